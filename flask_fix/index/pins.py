"""Which Flask (or Flask-SQLAlchemy) the project declares: the lowest version its
requirements allow.

Rules that rewrite toward an API added in a given Flask release (FLK703 needs 2.0, FLK704
2.2) must not break a project that still runs an older one: they report instead when the
project's own declarations allow a Flask older than the API. FLK301 and FLK502 read the
Flask-SQLAlchemy the project allows: before 3.0, a `db` created with the app works outside
an app context. The declarations are read from the project root (the nearest folder,
walking up from the paths given, that holds a `pyproject.toml`, `setup.py`, `setup.cfg`,
a `requirements*.txt` or `.git`):

- `requirements*.txt` and `requirements/*.txt`, following `-r`/`-c` includes;
- `pyproject.toml`: `[project] dependencies` and `[tool.poetry.dependencies]` (Poetry's
  `^`, `~`, `*` and `||` constraints included);
- `setup.cfg`: `[options] install_requires`;
- `setup.py`: the `install_requires=` of its `setup(...)` call, read with `ast` (a list
  literal, a module-level name bound to one, or lists joined with `+`); never run.

Requirement strings are parsed with `packaging` (PEP 440 / PEP 508). Environment markers
are not evaluated: every declaration counts, which can only make rules more careful.
Nothing here imports or runs project code, and an unreadable or malformed file is skipped.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .projectroot import (
    DECLARATION_FILES,
    PROJECT_MARKERS,
    declaration_files,
    requirement_files,
    root_of_folder,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: tomli if installed, else pyproject.toml is skipped
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

Release = tuple[int, ...]

#: files (or folders) whose presence makes a folder a project root (flask_fix.index.projectroot)
ROOT_MARKERS = PROJECT_MARKERS

FLASK = "flask"
FLASK_SQLALCHEMY = "flask-sqlalchemy"


def project_root(paths: Iterable[str]) -> str | None:
    """The nearest folder at or above the paths' common folder that holds a project file
    (pyproject.toml, setup.py, setup.cfg, requirements*.txt) or `.git`; None if none does."""
    folders = []
    for path in paths:
        absolute = os.path.abspath(path)
        folders.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    if not folders:
        return None
    try:
        folder = os.path.commonpath(folders)
    except ValueError:  # different drives on Windows
        return None
    return root_of_folder(folder)


def flask_version_for(paths: Iterable[str]) -> Release | None:
    """The lowest Flask version the project holding `paths` allows (see `lowest_version`)."""
    return version_for(paths, FLASK)


def version_for(paths: Iterable[str], package: str) -> Release | None:
    """The lowest version of `package` the project holding `paths` allows."""
    return versions_for(paths, (package,))[0]


def versions_for(paths: Iterable[str], packages: Sequence[str]) -> tuple[Release | None, ...]:
    """`version_for` of each of `packages`, finding the project root once."""
    root = project_root(paths)
    return tuple(None if root is None else lowest_version(root, p) for p in packages)


def requirements_for(paths: Iterable[str], packages: Sequence[str]) -> dict[str, Release | None]:
    """The packages among `packages` the project holding `paths` declares, each with the
    lowest release its declarations allow (None: named without a bound); a package it
    does not declare is absent. The removed-API rules (FLK504, FLK709-FLK711, FLK8) read
    it: the oldest Werkzeug, Jinja2, WTForms... a rewrite must still work on, and whether
    the requirements already name a package a replacement needs (`email-validator`)."""
    root = project_root(paths)
    return {} if root is None else declared_releases(root, packages)


def declared_releases(root: str, packages: Sequence[str]) -> dict[str, Release | None]:
    """`requirements_for` the project at `root`."""
    found: dict[str, Release | None] = {}
    for package in packages:
        if requirements_of(root, package):
            found[package] = lowest_version(root, package)
    return found


#: per Flask release, the lowest release of each package it requires that its own
#: metadata allows (`Requires-Dist` of the wheels on PyPI, read from the wheels of these
#: releases: Flask 0.12.5 `Werkzeug>=0.7,<1.0`, 1.0 and 1.0.2 `Werkzeug>=0.14`, 1.1.0 and
#: 1.1.4 `Werkzeug>=0.15`, 2.0.0 and 2.0.3 `>=2.0`, 2.2.0 `>=2.2.0`, 2.2.5 `>=2.2.2`, 2.3.0
#: `>=2.3.0`, 3.0.0 `>=3.0.0`, 3.1.0 `>=3.1`). MarkupSafe is Jinja2's requirement, not
#: Flask's: Jinja2 2.10 and 2.10.1 require `MarkupSafe>=0.23`, 3.0.0 `>=2.0.0rc2`, 3.1.2
#: `>=2.0`. A Flask between two rows takes the older row's bounds: they only grow, so
#: that never claims a newer release than the project may run on.
FLASK_REQUIRES: tuple[tuple[Release, dict[str, Release]], ...] = (
    ((0, 12, 5), {"werkzeug": (0, 7), "jinja2": (2, 4), "itsdangerous": (0, 21),
                  "click": (2, 0), "markupsafe": (0,)}),
    ((1, 0), {"werkzeug": (0, 14), "jinja2": (2, 10), "itsdangerous": (0, 24),
              "click": (5, 1), "markupsafe": (0, 23)}),
    ((1, 1), {"werkzeug": (0, 15), "jinja2": (2, 10, 1), "itsdangerous": (0, 24),
              "click": (5, 1), "markupsafe": (0, 23)}),
    ((2, 0), {"werkzeug": (2, 0), "jinja2": (3, 0), "itsdangerous": (2, 0),
              "click": (7, 1, 2), "markupsafe": (2, 0)}),
    ((2, 1), {"werkzeug": (2, 0), "jinja2": (3, 0), "itsdangerous": (2, 0),
              "click": (8, 0), "markupsafe": (2, 0)}),
    ((2, 2), {"werkzeug": (2, 2), "jinja2": (3, 0), "itsdangerous": (2, 0),
              "click": (8, 0), "markupsafe": (2, 0)}),
    ((2, 3), {"werkzeug": (2, 3), "jinja2": (3, 1, 2), "itsdangerous": (2, 1, 2),
              "click": (8, 1, 3), "markupsafe": (2, 0)}),
    ((3, 0), {"werkzeug": (3, 0), "jinja2": (3, 1, 2), "itsdangerous": (2, 1, 2),
              "click": (8, 1, 3), "markupsafe": (2, 0)}),
    ((3, 1), {"werkzeug": (3, 1), "jinja2": (3, 1, 2), "itsdangerous": (2, 2),
              "click": (8, 1, 3), "markupsafe": (2, 0)}),
)  # fmt: skip
#: the packages FLASK_REQUIRES bounds
FLASK_DEPENDENCIES = ("werkzeug", "jinja2", "itsdangerous", "click", "markupsafe")


def implied_by_flask(flask: Release | None) -> dict[str, Release]:
    """The lowest release of each of Flask's own requirements (FLASK_DEPENDENCIES) that
    a project allowing Flask `flask` at lowest may get, when it does not declare them:
    `Flask==1.0.2` alone allows Werkzeug 0.14, so a rewrite needing Werkzeug 0.15 must
    not assume today's. A Flask older than the table's oldest row (or `flask<2`, (0,))
    allows any (0,); None (no bound on Flask: a current one) implies nothing."""
    if flask is None:
        return {}
    row: dict[str, Release] | None = None
    for release, bounds in FLASK_REQUIRES:
        if _padded(release) <= _padded(flask):
            row = bounds
    if row is None:
        return {package: (0,) for package in FLASK_DEPENDENCIES}
    return dict(row)


def lowest_flask_version(root: str) -> Release | None:
    return lowest_version(root, FLASK)


def lowest_version(root: str, package: str) -> Release | None:
    """The lowest release of `package` (a canonical name: "flask", "flask-sqlalchemy") the
    declarations under `root` allow, as a release tuple (`Flask==1.1.2` -> (1, 1, 2);
    `flask>=2.0,<3` -> (2, 0); `Flask<2.0` -> (0,)).

    None when no declaration bounds it (absent, or named without a version): rules then
    assume a current release. With several declarations (a library's range, a dev pin, a
    constraints file), the lowest lower bound wins; one with only an upper bound
    (`flask<3`) counts only when no declaration has a lower bound.
    """
    found = [lowest_allowed(spec) for _, spec in requirements_of(root, package)]
    lower = [v for v in found if v is not None and any(v)]
    if lower:
        return min(lower, key=_padded)
    return (0,) if (0,) in found else None


def flask_requirements(root: str) -> list[tuple[str, SpecifierSet]]:
    return requirements_of(root, FLASK)


def requirements_of(root: str, package: str) -> list[tuple[str, SpecifierSet]]:
    """(file, specifier) for every declaration of `package` found under `root`."""
    found: list[tuple[str, SpecifierSet]] = []
    seen: set[str] = set()
    for path in requirement_files(root):
        found += [(path, spec) for spec in _requirements_file(path, package, seen)]
    for name, reader in _READERS:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            found += [(path, spec) for spec in reader(path, package)]
    return found


def read_files(root: str) -> list[str]:
    """The files `requirements_of` reads under `root`: projectroot.declaration_files and
    the files the requirements files include (`-r`/`-c`, followed, which means reading
    them)."""
    files = declaration_files(root)
    seen: set[str] = set()
    for path in requirement_files(root):
        files += _included(path, seen)
    return sorted(set(files))


def _included(path: str, seen: set[str]) -> list[str]:
    """The files the requirements file at `path` includes, and theirs (as
    `_requirements_file` follows them)."""
    real = os.path.realpath(path)
    if real in seen:
        return []
    seen.add(real)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return []
    found = []
    for line in _logical_lines(text):
        include = _INCLUDE.match(line)
        if include:
            target = os.path.join(os.path.dirname(path), include.group(1))
            found += [target, *_included(target, seen)]
    return found


def at_least(version: Release | None, needed: Release) -> bool:
    """Whether every Flask the project allows is `needed` or newer (True when unknown)."""
    return version is None or _padded(version) >= _padded(needed)


def describe(version: Release) -> str:
    """`(2, 0)` -> '2.0'."""
    return ".".join(map(str, version))


def older_than(version: Release | None, needed: Release) -> str | None:
    """None when every Flask the project allows is `needed` or newer; else a sentence
    for a finding: why a rewrite needing Flask `needed` is only reported."""
    if at_least(version, needed):
        return None
    assert version is not None
    allowed = "an older Flask" if not any(version) else f"Flask {describe(version)}"
    return (
        f"not rewritten: this needs Flask >= {describe(needed)} and the project may run on"
        f" {allowed} (its requirements, or target-flask-version); upgrade Flask first"
    )


def _padded(version: Release) -> Release:
    return tuple(version) + (0,) * (4 - len(version))


# --- specifiers ----------------------------------------------------------------------


def lowest_allowed(specifier: SpecifierSet) -> Release | None:
    """The lowest release `specifier` allows: its highest lower bound (`>=`, `>`, `==`,
    `~=`, `===`); (0,) when it has only upper bounds; None when it bounds nothing.

    `>X` counts as X, and pre-release or post-release suffixes are dropped: a version
    compared against what a rewrite needs (`at_least`) is never taken as newer than it is.
    """
    lower: list[Release] = []
    upper = False
    for spec in specifier:
        operator, text = spec.operator, spec.version
        if operator in ("<", "<="):
            upper = True
            continue
        if operator == "!=":
            continue
        release = _release(text.removesuffix(".*"))
        if release is None:
            continue
        lower.append(release)
    if lower:
        return max(lower, key=_padded)
    return (0,) if upper else None


def _release(text: str) -> Release | None:
    try:
        return Version(text).release
    except InvalidVersion:
        return None


#: the name a requirement string starts with, or more: PEP 508 names end with a letter or
#: digit, and one followed by `.`, `-` or `_` is no valid requirement
_LEADING_NAME = re.compile(r"\s*([A-Za-z0-9._-]+)")


def _specifier(text: str, package: str) -> SpecifierSet | None:
    """The specifier of a PEP 508 requirement string if it names `package`."""
    leading = _LEADING_NAME.match(text)
    if leading is None or canonicalize_name(leading[1]) != package:
        return None  # not this package (or not a requirement): no need to parse it
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if canonicalize_name(requirement.name) != package or requirement.url:
        return None
    return requirement.specifier


# --- requirements files --------------------------------------------------------------

_OPTION = re.compile(r"\s+--?[A-Za-z]")
_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)")


def _requirements_file(path: str, package: str, seen: set[str]) -> Iterator[SpecifierSet]:
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return
    for line in _logical_lines(text):
        include = _INCLUDE.match(line)
        if include:
            target = os.path.join(os.path.dirname(path), include.group(1))
            yield from _requirements_file(target, package, seen)
            continue
        if line.startswith("-"):  # -e, --index-url, ...
            continue
        line = _OPTION.split(line, maxsplit=1)[0]  # `flask==2.0 --hash=...`
        spec = _specifier(line, package)
        if spec is not None:
            yield spec


def _logical_lines(text: str) -> Iterator[str]:
    pending = ""
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield line
    if pending.strip():
        yield pending.strip()


# --- pyproject.toml -------------------------------------------------------------------


def _pyproject(path: str, package: str) -> Iterator[SpecifierSet]:
    if tomllib is None:  # pragma: no cover
        return
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("dependencies"), list):
        for text in project["dependencies"]:
            if isinstance(text, str):
                spec = _specifier(text, package)
                if spec is not None:
                    yield spec
    poetry = data.get("tool", {}).get("poetry", {})
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(dependencies, dict):
        for name, constraint in dependencies.items():
            if isinstance(name, str) and canonicalize_name(name) == package:
                yield from _poetry_constraints(constraint)


def _poetry_constraints(constraint: object) -> Iterator[SpecifierSet]:
    """Poetry's forms: "^2.0", {version = "^2.0", extras = [...]}, or a list of tables
    (one per Python version); a table without a version (git, path) bounds nothing."""
    if isinstance(constraint, list):
        for item in constraint:
            yield from _poetry_constraints(item)
        return
    if isinstance(constraint, dict):
        constraint = constraint.get("version")
    if isinstance(constraint, str):
        # `||` joins alternatives: the lowest of them is what the project allows
        alternatives = [_poetry_specifier(part) for part in constraint.split("||")]
        lowest = [lowest_allowed(s) for s in alternatives if s is not None]
        if any(v is None for v in lowest) or not lowest:
            return  # one alternative is unbounded: so is the whole
        yield SpecifierSet(f">={describe(min(lowest, key=_padded))}")


def _poetry_specifier(constraint: str) -> SpecifierSet | None:
    """A Poetry constraint (`^2.0`, `~2.0`, `2.0.*`, `2.0`, `>=2.0,<3`, `>=2 <3`, `*`) as
    the PEP 440 specifier with the same lower bound."""
    specs: list[str] = []
    constraint = re.sub(r"([<>=!~^])\s+", r"\1", constraint.strip())
    for token in re.split(r"\s*,\s*|\s+", constraint):
        token = token.replace(" ", "")
        if not token or token == "*":
            continue
        if token[0] in "^~" and not token.startswith("~="):
            specs.append(f">={token[1:]}")
        elif token[0].isdigit():
            specs.append(f"=={token}")
        else:
            specs.append(token)
    try:
        for spec in specs:
            Specifier(spec)
        return SpecifierSet(",".join(specs))
    except InvalidSpecifier:
        return None


# --- setup.cfg, setup.py ----------------------------------------------------------------


def _setup_cfg(path: str, package: str) -> Iterator[SpecifierSet]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        value = parser.get("options", "install_requires", fallback="")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return
    for line in value.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        spec = _specifier(line, package) if line else None
        if spec is not None:
            yield spec


def _setup_py(path: str, package: str) -> Iterator[SpecifierSet]:
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return
    lists: dict[str, list[ast.expr]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    lists.setdefault(target.id, []).append(statement.value)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called(node.func) != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg == "install_requires":
                for text in _strings(keyword.value, lists, depth=0):
                    spec = _specifier(text, package)
                    if spec is not None:
                        yield spec


def _called(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _strings(node: ast.expr, lists: dict[str, list[ast.expr]], depth: int) -> Iterator[str]:
    """The string literals of a list/tuple literal, a module-level name bound to one, or
    several joined with `+`."""
    if depth > 8:
        return
    if isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                yield element.value
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _strings(node.left, lists, depth + 1)
        yield from _strings(node.right, lists, depth + 1)
    elif isinstance(node, ast.Name):
        for value in lists.get(node.id, ()):
            yield from _strings(value, lists, depth + 1)


#: the other files declaring requirements (projectroot.DECLARATION_FILES), each with its reader
_READERS = tuple(zip(DECLARATION_FILES, (_pyproject, _setup_cfg, _setup_py)))
