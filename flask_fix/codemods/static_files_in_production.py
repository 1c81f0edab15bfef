"""FLK603 static-files-in-production."""

from __future__ import annotations

import os
import re

from ..index.project import ProjectIndex
from ..index.projectroot import search_folder
from ..model import FixLevel
from ..rewrite.base import ProjectContext, ProjectExample, ProjectFinding, ProjectTransform
from ..rewrite.base import TransformResult
from ..rewrite.factory.commands import (
    SHELLS,
    Positions,
    Word,
    dash_c_script,
    file_commands,
    file_kind,
    is_dev_file,
    is_dev_name,
    shell_commands,
    simple_command,
)

# production WSGI servers, by the name of the command (or of the module `python -m` runs)
SERVERS = {"gunicorn": "Gunicorn", "uwsgi": "uWSGI", "waitress-serve": "Waitress"}
MODULES = {"gunicorn": "Gunicorn", "waitress": "Waitress", "uwsgi": "uWSGI"}
_PYTHON = re.compile(r"(python|pypy)(\d+(\.\d+)*)?")
# what serves /static in front of the app, or instead of Flask's static route:
# a web server in a Dockerfile or compose file (its image or its package)
_WEB_SERVER = re.compile(r"\b(nginx|caddy|httpd|apache2?|lighttpd|openresty)\b", re.IGNORECASE)
# a web server's configuration for the static URL or folder (nginx `location /static`,
# `alias .../static`; Caddy `handle_path /static*`, `file_server`; Apache `Alias
# /static`), {0}: the last parts of the apps' static URL paths and folders
_STATIC_CONFIG = (
    r"location\s+(?:[=~^*]+\s*)?\S*(?:{0})|alias\s+\S*(?:{0})|file_server|"
    r"handle(?:_path)?\s+/(?:{0})|Alias\s+/(?:{0})"
)
# uWSGI serving the files itself (`--static-map /static=app/static`, `check-static`)
_UWSGI_STATIC = re.compile(r"static-map|check-static|static-index", re.IGNORECASE)
# WhiteNoise, or static files on a CDN or object storage (Flask-CDN, Flask-S3)
_PYTHON_STATIC = re.compile(r"(?i:whitenoise)|flask_cdn|flask_s3|FLASKS3_|CDN_DOMAIN|\bSTATIC_URL\b")
_CONFIG_NAMES = re.compile(r"nginx|caddy|apache|httpd|uwsgi|\.conf$|\.ini$", re.IGNORECASE)
_REQUIREMENTS = re.compile(r"requirements.*\.(txt|in)$|pyproject\.toml$|Pipfile$|setup\.(py|cfg)$")


class StaticFilesInProduction(ProjectTransform):
    """
    What it does:
        Finds production commands (Gunicorn, uWSGI or Waitress, in a Procfile, a
        Dockerfile or a compose file) that serve a project whose app has a static folder
        (`static/` next to the module creating the app, or the `static_folder=` it is
        given), when nothing else in the repository serves `/static` (or the app's
        `static_url_path`): no nginx, Caddy or Apache configuration for it, no
        web server in a Dockerfile or compose file, no uWSGI `static-map`, no WhiteNoise,
        no CDN or object-storage setting (Flask-CDN, Flask-S3, `STATIC_URL`).

    Why is this bad?:
        Flask's static route is meant for development. In production every stylesheet,
        script and image then takes one of the WSGI server's few workers for the whole
        transfer, with no compression, no long-lived caching and no sendfile: a slow
        client downloading a large file blocks a worker that should be serving pages.
        A web server in front, or WhiteNoise inside the app, serves the files far more
        cheaply.

    Example:
        # Procfile
        web: gunicorn app:app
        # and app/static/ holds the site's CSS and JavaScript, served by Flask

    Use instead:
        # app.py: WhiteNoise serves /static before the request reaches Flask
        from whitenoise import WhiteNoise
        app.wsgi_app = WhiteNoise(app.wsgi_app, root="app/static/", prefix="static/")
        # or an nginx `location /static/ { alias /srv/app/static/; }` in front

    Fix safety:
        Report only: how the files should be served depends on the hosting.
        Choices where the catalogue is silent: the finding sits on each production command
        of a deployment file that is not for development (FLK601's rules: `Procfile.dev`,
        files under `tests/`, `examples/`, `docs/`...); the static folder is the app's
        `static_folder=` when a string literal gives it (else the app is left out), by
        default `static/` beside the app's module, and must hold files; a web server's
        configuration counts when it names the folder's or the URL path's last part;
        blueprints' static folders are not looked at; any web server named in a Dockerfile or compose file counts
        as serving `/static` (its configuration may come from an image), as does any
        mention of WhiteNoise or of a CDN setting in the project's Python files or
        requirements: the rule prefers silence to a wrong report.
    """

    code = "FLK603"
    name = "static-files-in-production"
    fix_level = FixLevel.REPORT
    summary = "Serve static files with the web server or WhiteNoise, not Flask's workers."

    valid = (
        # nginx in front, in the same Dockerfile
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "static/site.css": "body { margin: 0 }\n",
            "Dockerfile": (
                "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y nginx\n"
                "COPY nginx.conf /etc/nginx/conf.d/default.conf\n"
                'CMD ["sh", "-c", "nginx && gunicorn -b 127.0.0.1:8000 app:app"]\n'
            ),
        },
        # WhiteNoise wraps the app
        {
            "app.py": (
                "from flask import Flask\nfrom whitenoise import WhiteNoise\n\n"
                "app = Flask(__name__)\n"
                'app.wsgi_app = WhiteNoise(app.wsgi_app, root="static/", prefix="static/")\n'
            ),
            "static/site.css": "body { margin: 0 }\n",
            "Procfile": "web: gunicorn app:app\n",
        },
        # no static folder
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "Procfile": "web: gunicorn app:app\n",
        },
        # uWSGI maps /static itself; the development Procfile does not count
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "static/site.css": "body { margin: 0 }\n",
            "Procfile": "web: uwsgi --http :$PORT --static-map /static=static -w app:app\n",
            "Procfile.dev": "web: gunicorn --reload app:app\n",
        },
    )
    examples = (
        ProjectExample(
            {
                "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
                "static/site.css": "body { margin: 0 }\n",
                "Procfile": "release: flask db upgrade\nweb: gunicorn app:app\n",
            },
            unsafe=False,
        ),
        ProjectExample(
            {
                "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
                "shop/static/app.js": "console.log(1)\n",
                "shop/config.py": "STATIC_URL_PATH = '/assets'\n",
                "docker-compose.yml": (
                    "services:\n  web:\n    build: .\n"
                    "    command: waitress-serve --port=8000 shop:app\n"
                    '  worker:\n    command: sh -c "flask db upgrade && gunicorn shop:app"\n'
                ),
            },
            unsafe=False,
        ),
    )

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        return bool(index.apps or index.factory_apps)

    def transform(self, context: ProjectContext) -> TransformResult:
        result = TransformResult()
        index = context.index
        served: dict[str, set[str | None]] = {}  # static folder -> its URL paths
        for app in (*index.apps, *index.factory_apps):
            if app.static_folder:  # None: no static folder; "": not known
                folder = os.path.join(os.path.dirname(app.path), app.static_folder)
                served.setdefault(os.path.normpath(folder), set()).add(app.static_url_path)
        static = [folder for folder in sorted(served) if context.files_under(folder)]
        if not static:
            return result
        urls = sorted({url or "/" for f in static for url in served[f] if url is not None})
        files = [os.path.normpath(p) for p in context.files_under(_root(index))]
        uses = []  # (path, text, word, server) of each production command
        for path in files:
            if file_kind(path) not in ("procfile", "dockerfile", "compose") or is_dev_file(path):
                continue
            text = _text(context, path)
            for command in file_commands(path, text, skip_stage=is_dev_name):
                server = _server(simple_command(command))
                if server is not None and not any(_UWSGI_STATIC.search(w.text) for w in command):
                    uses.append((path, text, server))
        words = {os.path.basename(f) for f in static}
        words.update(url.rstrip("/").rpartition("/")[2] for url in urls)
        words.discard("")
        config = re.compile(_STATIC_CONFIG.format("|".join(map(re.escape, sorted(words)))),
                            re.IGNORECASE)  # fmt: skip
        if not uses or _served_otherwise(context, files, config):
            return result
        folders = ", ".join(f"{os.path.relpath(f)}/" for f in static)
        at = " or ".join(urls) or "them"
        for path, text, (server, word) in uses:
            line, column = Positions(text).line_col(word.start)
            if context.suppressed(self.code, path, line):
                continue
            message = (
                f"{server} serves the app, and Flask's static route serves {folders} through "
                f"its workers: nothing in the repository serves {at} otherwise (no nginx "
                "or Caddy configuration for it, no WhiteNoise, no CDN setting); serve the "
                "files with the web server in front, or with WhiteNoise"
            )
            result.findings.append(
                ProjectFinding(
                    self.code, self.name, path, line, column, message, FixLevel.REPORT,
                    end_line=line, end_column=column + word.end - word.start,
                )  # fmt: skip
            )
        return result


def _root(index: ProjectIndex) -> str:
    """The folder to search: the project of the folder holding every indexed module
    (`search_folder`)."""
    folders = [os.path.abspath(os.path.dirname(p)) for p in index.modules]
    return search_folder(os.path.commonpath(folders) if folders else os.getcwd())


def _text(context: ProjectContext, path: str) -> str:
    try:
        return context.read(path).decode("utf-8", "replace")
    except OSError:
        return ""


def _server(words: tuple[Word, ...]) -> tuple[str, Word] | None:
    """The production server a command runs, and the word naming it."""
    if not words:
        return None
    name = os.path.basename(words[0].text)
    if name in SHELLS:  # `sh -c "flask db upgrade && gunicorn app:app"`
        script = dash_c_script(words)
        for inner in shell_commands(script.text) if script is not None else ():
            found = _server(simple_command(inner))
            if found is not None:
                return found[0], script
        return None
    if name in SERVERS:
        return SERVERS[name], words[0]
    if _PYTHON.fullmatch(name) and len(words) > 2 and words[1].text == "-m":
        module = words[2].text
        if module in MODULES:
            return MODULES[module], words[0]
    return None


def _served_otherwise(context: ProjectContext, files: list[str], config: re.Pattern) -> bool:
    """Whether anything in the repository serves the static files besides Flask's
    route; `config`: what a web server's configuration serving them says."""
    for path in files:
        name = os.path.basename(path)
        kind = file_kind(path)
        if kind in ("dockerfile", "compose"):
            if _WEB_SERVER.search(_text(context, path)):
                return True
        elif name.lower().startswith("caddyfile") or _CONFIG_NAMES.search(name):
            text = _text(context, path)
            if config.search(text) or _UWSGI_STATIC.search(text):
                return True
        elif name.endswith(".py") or _REQUIREMENTS.search(name):
            if _PYTHON_STATIC.search(_text(context, path)):
                return True
    return False
