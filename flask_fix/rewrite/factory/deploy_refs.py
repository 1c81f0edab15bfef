"""Deployment files that name the app object, for the app factory (FLK201).

After the conversion the app's module has no module-level app, so `gunicorn app:app` in a
Procfile, a Dockerfile, a shell script, a compose file or `app.yaml`, `FLASK_APP=app:app`
in `.flaskenv`, `waitress-serve app:app`, uWSGI's `module = app:app` or a `vercel.json`
building the app's file would fail to start. `rewrite_deployment_files` finds each
reference to `module:variable` (the app's module and variable) in the project's
deployment files and rewrites it where the tool has a sound spelling for a factory:

- Gunicorn (20.1 and later) calls a factory written as a call: `'app:create_app()'`
  (quoted in a shell command, as it is in JSON or a Dockerfile's exec form);
- waitress-serve calls it with `--call`: `--call app:create_app`;
- `flask --app app`, `FLASK_APP=app`: Flask finds `create_app` in the module itself.

Any other reference (uWSGI's `module =`, `vercel.json`'s Python build, a tool flask-fix
does not know) has no sound rewrite: `Unrewritable` names the file and line, and the
conversion is refused.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

#: file names worth reading for references to the app
DEPLOYMENT_FILES = (
    "Procfile", "Procfile.*", "Dockerfile", "Dockerfile.*", "*.dockerfile", "Containerfile",
    "docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml",
    "app.yaml", "app.yml", "render.yaml", "fly.toml", "*.ini", "*.conf", "*.service",
    ".flaskenv", ".env", ".env.*", "*.sh", "Makefile", "justfile", "vercel.json",
)  # fmt: skip
#: the first Gunicorn that calls `module:factory()` (Gunicorn 20.1.0, 2021)
GUNICORN_CALLS_FACTORIES = (20, 1)


class Unrewritable(Exception):
    """A deployment file names the app where no sound rewrite exists."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.line = line
        self.reason = reason


@dataclass
class DeploymentRewrite:
    texts: dict[str, bytes] = field(default_factory=dict)
    # path -> (line, column, old, new) of each rewritten reference
    changes: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)


def is_deployment_file(path: str) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DEPLOYMENT_FILES)


def rewrite_deployment_files(
    paths: Iterable[str],
    read: Callable[[str], bytes],
    *,
    module: str,
    variable: str,
    factory: str,
    app_file: str,
    gunicorn_calls_factories: bool = True,
    other_modules: frozenset[str] = frozenset(),
) -> DeploymentRewrite:
    """New texts for the deployment files among `paths` that reference
    `module:variable`; raises Unrewritable where a reference has no sound rewrite.
    `app_file`: the path of the app's module (vercel.json names files);
    `gunicorn_calls_factories`: False when the project allows a Gunicorn before 20.1;
    `other_modules`: the project's other modules (a short name one of them has is theirs)."""
    result = DeploymentRewrite()
    # the module as the deployment names it: in full, or by its last parts when the
    # server runs from inside the package's folder (`cd pkg && gunicorn app:app`)
    parts = module.split(".")
    names = [".".join(parts[i:]) for i in range(len(parts))]
    names = [name for name in names if name == module or name not in other_modules]
    reference = re.compile(
        rf"(?<![\w.:/-])({'|'.join(map(re.escape, names))}):{re.escape(variable)}(?![\w.(])"
    )
    for path in sorted(paths):
        if not is_deployment_file(path):
            continue
        try:
            data = read(path)
        except OSError:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if os.path.basename(path) == "vercel.json":
            _check_vercel(path, text, app_file)
        if f":{variable}".encode() not in data:
            continue
        new, changes = _rewrite(
            path, text, reference, factory, gunicorn_calls_factories
        )
        if changes:
            result.texts[path] = new.encode("utf-8")
            result.changes[path] = changes
    return result


def _rewrite(
    path: str,
    text: str,
    reference: re.Pattern[str],
    factory: str,
    gunicorn_calls_factories: bool,
) -> tuple[str, list[tuple[int, int, str, str]]]:
    pieces: list[str] = []
    changes = []
    last = 0
    for match in reference.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        before = _command_before(text, match.start())
        quoted = match.start() > 0 and text[match.start() - 1] in "'\""
        old, module = match.group(), match.group(1)
        if re.search(r"FLASK_APP\s*[=:]?\s*['\"]?$", before) or re.search(
            r"\bflask\b.*(--app[= ]|-A ?)['\"]?$", before
        ):
            new = module  # Flask finds the factory in the module
        elif re.search(r"\bgunicorn\b", before):
            if not gunicorn_calls_factories:
                raise Unrewritable(
                    path, line,
                    f"`{old}` is served by Gunicorn, and the project allows a Gunicorn older "
                    "than 20.1, which cannot call an application factory; require "
                    "gunicorn>=20.1 first",
                )  # fmt: skip
            call = f"{module}:{factory}()"
            new = call if quoted else f"'{call}'"
        elif re.search(r"\bwaitress-serve\b", before) and not quoted:
            new = f"--call {module}:{factory}"
        else:
            raise Unrewritable(
                path, line,
                f"`{old}` names the module-level app, which the conversion removes, and "
                "flask-fix knows no sound rewrite for it here (uWSGI's `module =`, an "
                "unknown server): point it at an entry module that keeps one (a wsgi.py "
                f"with `from {module} import {factory}` and `app = {factory}()`) first",
            )  # fmt: skip
        pieces.append(text[last : match.start()])
        pieces.append(new)
        last = match.end()
        changes.append((line, column, old, new))
    pieces.append(text[last:])
    return "".join(pieces), changes


def _command_before(text: str, offset: int) -> str:
    """The command the reference at `offset` belongs to, up to it: its line, and the
    lines it continues (a trailing backslash)."""
    start = text.rfind("\n", 0, offset) + 1
    while start > 1 and text[: start - 1].rstrip("\r").endswith("\\"):
        start = text.rfind("\n", 0, start - 1) + 1
    return text[start:offset]


def _check_vercel(path: str, text: str, app_file: str) -> None:
    """Vercel's Python build serves the module-level `app` of the file it names."""
    try:
        config = json.loads(text)
    except ValueError:
        return
    builds = config.get("builds") if isinstance(config, dict) else None
    folder = os.path.dirname(path)
    for build in builds if isinstance(builds, list) else ():
        if not isinstance(build, dict) or not str(build.get("use", "")).startswith(
            "@vercel/python"
        ):
            continue
        source = build.get("src")
        if isinstance(source, str) and os.path.normpath(
            os.path.join(folder, source)
        ) == os.path.normpath(app_file):
            line = text[: text.find(json.dumps(source))].count("\n") + 1
            raise Unrewritable(
                path, line,
                f"Vercel's Python build serves the module-level app of `{source}`, which the "
                "conversion removes: build an entry module that keeps one instead (a wsgi.py "
                "with `app = create_app()`) first",
            )  # fmt: skip
