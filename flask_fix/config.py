"""Configuration: find `[tool.flask-fix]`, read it, validate it, merge the command line.

Discovery works like ruff's: starting from the folder the paths given have in common
(the current folder for `-`), walk up to the nearest `pyproject.toml` holding a
`[tool.flask-fix]` table; a `pyproject.toml` without one is passed over. `--config FILE`
names the file instead. Globs in the file (`exclude`, `per-file-ignores`) are relative to
the file's folder.

Every mistake in the file (an unknown key, a value of the wrong type, a rule code that
names no rule, invalid TOML) raises `ConfigError`, whose message names the file and the
key in one line; the command prints it and exits with 2.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .meta.ruleinfo import unknown_codes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TABLE = "flask-fix"
KEYS = (
    "select",
    "ignore",
    "unsafe-fixes",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "target-flask-version",
)
# keys users of other tools write by habit, and what to write instead
_HINTS = {
    "extend-select": "list every code in select, or leave select out to run every rule",
    "per_file_ignores": "did you mean per-file-ignores?",
    "unsafe_fixes": "did you mean unsafe-fixes?",
    "target_flask_version": "did you mean target-flask-version?",
    "extend_exclude": "did you mean extend-exclude?",
}
_VERSION = re.compile(r"\d+(\.\d+){0,2}")


class ConfigError(Exception):
    """A configuration that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class PerFileIgnores:
    """`per-file-ignores`: fnmatch globs (relative to `root`) → rule codes or prefixes.

    A glob holding a `/` (other than a trailing one) matches the file's path relative to
    `root` or one of the folders on that path (`app/legacy` and `./legacy/` name whole
    folders); a glob without one matches the file's name or any folder's name, anywhere
    below `root` (`conftest.py`, `migrations`). Picklable: it travels to
    the worker processes inside `runner.Settings`.
    """

    root: str
    entries: tuple[tuple[str, tuple[str, ...]], ...]

    def codes_for(self, path: str) -> tuple[str, ...]:
        """The codes and prefixes ignored in the file at `path` (as shown or absolute)."""
        absolute = os.path.abspath(path)
        prefix = os.path.join(self.root, "")
        if not absolute.startswith(prefix):
            return ()
        relative = absolute[len(prefix) :].replace(os.sep, "/")
        parts = relative.split("/")
        paths = [relative] + ["/".join(parts[:depth]) for depth in range(1, len(parts))]
        codes: list[str] = []
        for glob, ignored in self.entries:
            pattern = glob.rstrip("/")
            anchored = "/" in pattern  # `./legacy/` or `app/legacy`: from the root only
            pattern = pattern.removeprefix("./").lstrip("/")
            candidates = paths if anchored else parts
            if any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates):
                codes.extend(ignored)
        return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class FileConfig:
    """What one configuration file says; None: the key is not in the file."""

    path: str  # the file, as shown to the user
    root: str  # its folder, absolute
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target_flask_version: str | None = None


@dataclass(frozen=True)
class Effective:
    """The options of a run: the file's, overridden by the command line's."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    exclude: tuple[str, ...] = ()
    exclude_root: str | None = None
    per_file_ignores: PerFileIgnores | None = None
    target_flask_version: str | None = None
    config_path: str | None = None


def merge(
    config: FileConfig | None,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    unsafe_fixes: bool | None = None,
    exclude: tuple[str, ...] = (),
) -> Effective:
    """Command line over file, as ruff layers them: `--select` replaces the file's
    selection (its `select` and its `ignore`); without `--select`, `--ignore` adds to
    the file's `ignore`. `--exclude` adds to the file's globs (the folders flask-fix
    always skips stay skipped either way); `--[no-]unsafe-fixes` wins over the file."""
    if config is None:
        return Effective(select, ignore, bool(unsafe_fixes), exclude)
    if select:
        chosen_select, chosen_ignore = select, ignore
    else:
        chosen_select = config.select or ()
        chosen_ignore = tuple(dict.fromkeys(config.ignore + ignore))
    return Effective(
        select=chosen_select,
        ignore=chosen_ignore,
        unsafe_fixes=unsafe_fixes if unsafe_fixes is not None else bool(config.unsafe_fixes),
        exclude=config.exclude + exclude,
        exclude_root=config.root,
        per_file_ignores=(
            PerFileIgnores(config.root, config.per_file_ignores)
            if config.per_file_ignores
            else None
        ),
        target_flask_version=config.target_flask_version,
        config_path=config.path,
    )


# -- finding the file -----------------------------------------------------------------


def find_config(paths: Sequence[str], cwd: str | None = None) -> FileConfig | None:
    """The nearest `pyproject.toml` with a `[tool.flask-fix]` table above the folder the
    `paths` have in common (above `cwd` when there are none); None if there is none."""
    cwd = os.path.abspath(cwd or os.getcwd())
    absolute = [os.path.join(cwd, p) for p in paths if p != "-"]
    start = os.path.normpath(os.path.commonpath(absolute)) if absolute else cwd
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    folder = start
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            config = _read_pyproject(candidate, cwd, required=False)
            if config is not None:
                return config
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(path: str, cwd: str | None = None) -> FileConfig:
    """The file named by `--config`: a `pyproject.toml` (or any TOML file) with a
    `[tool.flask-fix]` table, or a file of its own holding the keys at the top level."""
    cwd = os.path.abspath(cwd or os.getcwd())
    absolute = os.path.join(cwd, path)
    if os.path.isdir(absolute):
        raise ConfigError(f"--config {path}: is a folder, not a file")
    if os.path.basename(absolute) == "pyproject.toml":
        config = _read_pyproject(absolute, cwd, required=True)
        assert config is not None
        return config
    document = _parse(absolute, cwd)
    if "tool" in document:
        table = _tool_table(document, _shown(absolute, cwd))
        if table is None:
            raise ConfigError(f"{_shown(absolute, cwd)}: no [tool.{TABLE}] table")
        return _validate(table, absolute, cwd, prefix=f"[tool.{TABLE}] ")
    return _validate(document, absolute, cwd, prefix="")


def _read_pyproject(path: str, cwd: str, required: bool) -> FileConfig | None:
    shown = _shown(path, cwd)
    if not required:
        # most pyproject.toml files never mention us: do not parse (or fail on) those
        try:
            with open(path, "rb") as file:
                if TABLE.encode() not in file.read():
                    return None
        except OSError as exc:
            raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    table = _tool_table(_parse(path, cwd), shown)
    if table is None:
        if required:
            raise ConfigError(f"{shown}: no [tool.{TABLE}] table")
        return None
    return _validate(table, path, cwd, prefix=f"[tool.{TABLE}] ")


def _parse(path: str, cwd: str) -> dict[str, Any]:
    shown = _shown(path, cwd)
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None


def _tool_table(document: dict[str, Any], shown: str) -> dict[str, Any] | None:
    tool = document.get("tool")
    if not isinstance(tool, dict) or TABLE not in tool:
        return None
    table = tool[TABLE]
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: tool.{TABLE} must be a table, got {_type(table)}")
    return table


def _shown(path: str, cwd: str) -> str:
    prefix = os.path.join(cwd, "")
    return path.removeprefix(prefix)


# -- validating it --------------------------------------------------------------------


def _validate(table: dict[str, Any], path: str, cwd: str, prefix: str) -> FileConfig:
    shown = _shown(path, cwd)

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{shown}: {prefix}{key}: {problem}")

    for key in table:
        if key not in KEYS:
            hint = _HINTS.get(key, f"known keys: {', '.join(KEYS)}")
            raise fail(key, f"unknown key ({hint})")

    def strings(key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise fail(key, f"expected a list of strings, got {_type(value)}")
        for item in value:
            if not isinstance(item, str):
                raise fail(key, f"expected a list of strings, got a list holding {_type(item)}")
        return tuple(value)

    def codes(key: str, value: Any) -> tuple[str, ...]:
        found = tuple(c.strip().upper() for c in strings(key, value) if c.strip())
        unknown = unknown_codes(found)
        if unknown:
            raise fail(key, f"unknown rule code or prefix: {', '.join(unknown)}")
        return found

    select = None
    if "select" in table:
        select = codes("select", table["select"])
        if not select:
            raise fail("select", "empty list (leave select out to run every rule)")
    unsafe = table.get("unsafe-fixes")
    if unsafe is not None and not isinstance(unsafe, bool):
        raise fail("unsafe-fixes", f"expected true or false, got {_type(unsafe)}")
    per_file: list[tuple[str, tuple[str, ...]]] = []
    if "per-file-ignores" in table:
        mapping = table["per-file-ignores"]
        if not isinstance(mapping, dict):
            raise fail(
                "per-file-ignores",
                f"expected a table of glob = [codes], got {_type(mapping)}",
            )
        for glob, ignored in mapping.items():
            per_file.append((glob, codes(f"per-file-ignores.{_key(glob)}", ignored)))
    version = table.get("target-flask-version")
    if version is not None and not (isinstance(version, str) and _VERSION.fullmatch(version)):
        raise fail(
            "target-flask-version",
            f'expected a version string such as "2.3", got {_type(version)}'
            + (f" {version!r}" if isinstance(version, str) else ""),
        )
    return FileConfig(
        path=shown,
        root=os.path.dirname(path),
        select=select,
        ignore=codes("ignore", table["ignore"]) if "ignore" in table else (),
        unsafe_fixes=unsafe,
        exclude=tuple(
            glob
            for key in ("exclude", "extend-exclude")
            if key in table
            for glob in strings(key, table[key])
        ),
        per_file_ignores=tuple(per_file),
        target_flask_version=version,
    )


def _key(glob: str) -> str:
    """A table key as TOML writes it: bare when it can be, quoted otherwise."""
    return glob if re.fullmatch(r"[A-Za-z0-9_-]+", glob) else f'"{glob}"'


def _type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
