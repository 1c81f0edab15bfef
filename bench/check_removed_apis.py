"""Check every row of flask_fix/rewrite/removed_apis.py against the releases themselves.

    python bench/check_removed_apis.py [--work /tmp/flask-fix-apis] [--only PREFIX] [-v]

Not run by CI: it needs the package index and a few minutes. Each package release it needs
is installed once, without its dependencies, in its own folder under --work
(`pip install --no-deps --target`); a check runs in a fresh interpreter whose sys.path is
one consistent set of releases (SETS: a Flask generation with the Werkzeug, Jinja2,
SQLAlchemy, WTForms... of its day) with the release under test put in its place.

Per row of kind import-move, rename or removed (an importable name):
- the old name imports on the release just before `removed_in`, and fails to (ImportError
  or AttributeError, nothing else) on `removed_in`;
- the new name imports on `new_since`, on the release before it fails to (unless
  `new_since` is the oldest release checked: then it only says "at least since"), and it
  imports on today's release (LATEST) unless a later row removes it too.
Rows of kind attribute, call and config are checked by the snippets in SNIPPETS.
Prints one line per failed check and a summary; exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from flask_fix.rewrite import removed_apis as apis  # noqa: E402

Release = tuple[int, ...]

# Consistent sets of releases, oldest first; a release under test replaces its package's
# entry in the newest set whose own release of that package is not newer than it.
SETS: list[dict[str, str]] = [
    {
        "flask": "0.12.5", "werkzeug": "0.14.1", "jinja2": "2.11.3", "markupsafe": "1.1.1",
        "itsdangerous": "0.24", "click": "7.1.2", "sqlalchemy": "1.3.24",
        "flask-sqlalchemy": "2.1", "wtforms": "2.0", "flask-wtf": "0.12",
        "flask-login": "0.2.11", "flask-script": "2.0.6", "flask-migrate": "2.0.0",
        "alembic": "1.4.3", "mako": "1.1.6", "cachelib": "0.1",
        "python-dateutil": "2.9.0.post0", "six": "1.16.0", "python-editor": "1.0.4",
    },
    {
        "flask": "1.1.4", "werkzeug": "0.16.1", "jinja2": "2.11.3", "markupsafe": "2.0.1",
        "itsdangerous": "1.1.0", "click": "7.1.2", "sqlalchemy": "1.3.24",
        "flask-sqlalchemy": "2.4.4", "wtforms": "2.3.3", "flask-wtf": "0.14.3",
        "flask-login": "0.4.1", "flask-script": "2.0.6", "flask-migrate": "2.7.0",
        "alembic": "1.4.3", "mako": "1.1.6", "cachelib": "0.1",
        "python-dateutil": "2.9.0.post0", "six": "1.16.0", "python-editor": "1.0.4",
        "flask-jwt-extended": "3.25.1", "pyjwt": "1.7.1", "flask-caching": "1.10.0",
    },
    {
        "flask": "2.0.3", "werkzeug": "2.0.3", "jinja2": "3.0.3", "markupsafe": "2.1.5",
        "itsdangerous": "2.0.1", "click": "8.1.8", "sqlalchemy": "1.4.54",
        "flask-sqlalchemy": "2.5.1", "wtforms": "2.3.3", "flask-wtf": "0.15.1",
        "flask-login": "0.5.0", "flask-script": "2.0.6", "flask-migrate": "3.1.0",
        "alembic": "1.13.3", "mako": "1.3.5", "cachelib": "0.9.0",
        "greenlet": "3.1.1", "flask-jwt-extended": "4.0.0", "pyjwt": "2.0.1",
    },
    {
        "flask": "2.2.5", "werkzeug": "2.2.3", "jinja2": "3.1.6", "markupsafe": "2.1.5",
        "itsdangerous": "2.1.2", "click": "8.1.8", "sqlalchemy": "1.4.54",
        "flask-sqlalchemy": "3.0.5", "wtforms": "3.0.1", "flask-wtf": "1.1.1",
        "flask-login": "0.6.3", "flask-migrate": "4.0.7", "alembic": "1.13.3",
        "mako": "1.3.5", "cachelib": "0.9.0", "greenlet": "3.1.1",
        "typing-extensions": "4.12.2", "flask-caching": "2.4.1",
    },
    {
        "flask": "3.1.3", "werkzeug": "3.1.9", "jinja2": "3.1.6", "markupsafe": "3.0.3",
        "itsdangerous": "2.2.0", "click": "8.1.8", "blinker": "1.9.0",
        "sqlalchemy": "2.0.44", "flask-sqlalchemy": "3.1.1", "wtforms": "3.2.1",
        "flask-wtf": "1.2.2", "flask-login": "0.6.3", "flask-migrate": "4.1.0",
        "alembic": "1.14.1", "mako": "1.3.5", "cachelib": "0.17.0", "greenlet": "3.1.1",
        "typing-extensions": "4.12.2", "wtforms-sqlalchemy": "0.4.2",
        "flask-jwt-extended": "4.7.4", "pyjwt": "2.11.0", "flask-caching": "2.5.1",
    },
]  # fmt: skip
# wtforms-sqlalchemy on every path (0.3: the first that imports on WTForms 3)
EXTRA = {"wtforms-sqlalchemy": "0.3"}

# Non-import rows: (package, which release, snippet, expected). "which" is one of
# before_removed, removed_in, new_since, before_new_since, latest. The snippet runs in a
# fresh interpreter; it must raise to fail, and an ImportError/AttributeError/TypeError
# counts as "missing".
_PAGINATE = (
    "import flask, flask_sqlalchemy as fs\n"
    "app = flask.Flask('x'); app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n"
    "app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False\n"
    "db = fs.SQLAlchemy(app)\n"
    "class T(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
    "with app.app_context():\n    db.create_all()\n"
    "    with app.test_request_context():\n        {call}\n"
)
_LOGIN = (
    "import flask, flask_login\n"
    "class U(flask_login.UserMixin):\n    id = 1\n"
    "assert {expr} is True, 'not a bool'\n"
)
# whether Flask-SQLAlchemy's source mentions a configuration key, in any of its modules
_SOURCE = (
    "import pathlib, flask_sqlalchemy as f\n"
    "text = ''.join(p.read_text() for p in pathlib.Path(f.__file__).parent.glob('*.py'))\n"
    "assert {} text"
)
SNIPPETS: dict[str, list[tuple[str, str, str, str]]] = {
    "flask_sqlalchemy.BaseQuery.paginate(page, per_page, error_out)": [
        ("flask-sqlalchemy", "before_removed", _PAGINATE.format(call="T.query.paginate(1, 20, False)"), "ok"),
        ("flask-sqlalchemy", "removed_in", _PAGINATE.format(call="T.query.paginate(1, 20, False)"), "missing"),
        ("flask-sqlalchemy", "new_since", _PAGINATE.format(call="T.query.paginate(page=1, per_page=20, error_out=False)"), "ok"),
        ("flask-sqlalchemy", "latest", _PAGINATE.format(call="T.query.paginate(page=1, per_page=20, error_out=False)"), "ok"),
    ],
    "flask_login.UserMixin.is_authenticated()": [
        ("flask-login", "before_removed", _LOGIN.format(expr="U().is_authenticated()"), "ok"),
        ("flask-login", "removed_in", _LOGIN.format(expr="U().is_authenticated()"), "missing"),
        ("flask-login", "new_since", _LOGIN.format(expr="U().is_authenticated"), "ok"),
        ("flask-login", "latest", _LOGIN.format(expr="U().is_authenticated"), "ok"),
        ("flask-login", "latest", "import flask_login\nassert flask_login.AnonymousUserMixin().is_authenticated is False", "ok"),
    ],
    "flask_login.UserMixin.is_active()": [
        ("flask-login", "before_removed", _LOGIN.format(expr="U().is_active()"), "ok"),
        ("flask-login", "removed_in", _LOGIN.format(expr="U().is_active()"), "missing"),
        ("flask-login", "latest", _LOGIN.format(expr="U().is_active"), "ok"),
    ],
    "flask_login.UserMixin.is_anonymous()": [
        ("flask-login", "before_removed", _LOGIN.format(expr="U().is_anonymous() is False or True"), "ok"),
        ("flask-login", "removed_in", "import flask_login\nflask_login.UserMixin().is_anonymous()", "missing"),
        ("flask-login", "latest", "import flask_login\nassert flask_login.UserMixin().is_anonymous is False", "ok"),
    ],
    "SQLALCHEMY_COMMIT_ON_TEARDOWN": [
        ("flask-sqlalchemy", "before_removed", _SOURCE.format("'SQLALCHEMY_COMMIT_ON_TEARDOWN' in"), "ok"),
        ("flask-sqlalchemy", "removed_in", "import pathlib, flask_sqlalchemy as f\nassert not any('COMMIT_ON_TEARDOWN' in p.read_text() for p in pathlib.Path(f.__file__).parent.glob('*.py'))", "ok"),
    ],
    "SQLALCHEMY_NATIVE_UNICODE": [
        ("flask-sqlalchemy", "before_removed", _SOURCE.format("'SQLALCHEMY_NATIVE_UNICODE' in"), "ok"),
        ("flask-sqlalchemy", "removed_in", "import pathlib, flask_sqlalchemy as f\nassert not any('NATIVE_UNICODE' in p.read_text() for p in pathlib.Path(f.__file__).parent.glob('*.py'))", "ok"),
    ],
    "SQLALCHEMY_POOL_SIZE": [
        ("flask-sqlalchemy", "before_removed", _SOURCE.format("'SQLALCHEMY_POOL_SIZE' in"), "ok"),
        ("flask-sqlalchemy", "removed_in", "import pathlib, flask_sqlalchemy as f\nassert not any('POOL_SIZE' in p.read_text() for p in pathlib.Path(f.__file__).parent.glob('*.py'))", "ok"),
        ("flask-sqlalchemy", "new_since", _SOURCE.format("'SQLALCHEMY_ENGINE_OPTIONS' in"), "ok"),
        ("flask-sqlalchemy", "before_new_since", _SOURCE.format("'SQLALCHEMY_ENGINE_OPTIONS' not in"), "ok"),
    ],
    "flask.Flask.before_first_request": [
        ("flask", "before_removed", "import flask\nflask.Flask.before_first_request", "ok"),
        ("flask", "removed_in", "import flask\nflask.Flask.before_first_request", "missing"),
    ],
    "flask.Flask.env": [
        ("flask", "before_removed", "import flask\nflask.Flask('x').env", "ok"),
        ("flask", "removed_in", "import flask\nflask.Flask('x').env", "missing"),
        ("flask", "latest", "import flask\nflask.Flask('x').debug", "ok"),
    ],
    "flask.Config.from_json": [
        ("flask", "before_removed", "import flask\nflask.Config.from_json", "ok"),
        ("flask", "removed_in", "import flask\nflask.Config.from_json", "missing"),
        ("flask", "new_since", "import flask\nflask.Config.from_file", "ok"),
        ("flask", "before_new_since", "import flask\nflask.Config.from_file", "missing"),
    ],
    "flask.send_file(attachment_filename=)": [
        ("flask", "before_removed", "import flask, io\nwith flask.Flask('x').test_request_context():\n    flask.send_file(io.BytesIO(b'x'), attachment_filename='a.txt', as_attachment=True)", "ok"),
        ("flask", "removed_in", "import flask, io\nwith flask.Flask('x').test_request_context():\n    flask.send_file(io.BytesIO(b'x'), attachment_filename='a.txt', as_attachment=True)", "missing"),
        ("flask", "new_since", "import flask, io\nwith flask.Flask('x').test_request_context():\n    flask.send_file(io.BytesIO(b'x'), download_name='a.txt', as_attachment=True)", "ok"),
        ("flask", "before_new_since", "import flask, io\nwith flask.Flask('x').test_request_context():\n    flask.send_file(io.BytesIO(b'x'), download_name='a.txt', as_attachment=True)", "missing"),
    ],
    "wtforms.validators.Email()": [
        ("wtforms", "before_removed", "import wtforms.validators as v\nv.Email()", "ok"),
        ("wtforms", "removed_in", "import wtforms.validators as v\nv.Email()", "error"),
    ],
    "flask_script.Manager": [
        ("flask", "before_removed", "import flask_script", "ok"),
        ("flask", "removed_in", "import flask_script", "missing"),
        ("flask", "new_since", "import flask.cli; flask.cli.FlaskGroup; flask.Flask('x').cli.command", "ok"),
    ],
}  # fmt: skip
# Flask-JWT-Extended: a view behind the decorator, asked without a token, then with a
# malformed one (422 on every release: an invalid token is never let through)
_JWT_VIEW = (
    "import flask, flask_jwt_extended as f\n"
    "app = flask.Flask('x'); app.config['JWT_SECRET_KEY'] = 'k'; app.testing = True\n"
    "f.JWTManager(app)\n"
    "@app.route('/')\n@{decorator}\ndef view():\n    return 'ok'\n"
    "c = app.test_client()\n"
    "got = c.get('/').status_code, c.get('/', headers={{'Authorization': 'Bearer x.y.z'}}).status_code\n"
    "assert got == ({status}, 422), got\n"
)
_JWT_VERIFY = "import flask_jwt_extended as f, inspect\ninspect.signature(f.verify_jwt_in_request).bind({})"
SNIPPETS["flask_jwt_extended.jwt_required(fn)"] = [
    ("flask-jwt-extended", "before_removed", _JWT_VIEW.format(decorator="f.jwt_required", status=401), "ok"),
    ("flask-jwt-extended", "removed_in", _JWT_VIEW.format(decorator="f.jwt_required", status=401), "missing"),
    ("flask-jwt-extended", "new_since", _JWT_VIEW.format(decorator="f.jwt_required()", status=401), "ok"),
    ("flask-jwt-extended", "before_new_since", _JWT_VIEW.format(decorator="f.jwt_required()", status=401), "missing"),
    ("flask-jwt-extended", "latest", _JWT_VIEW.format(decorator="f.jwt_required()", status=401), "ok"),
]
for _old, _keyword, _status in (("jwt_optional", "optional", 200),
                                ("fresh_jwt_required", "fresh", 401),
                                ("jwt_refresh_token_required", "refresh", 401)):
    _new = _JWT_VIEW.format(decorator=f"f.jwt_required({_keyword}=True)", status=_status)
    SNIPPETS[f"flask_jwt_extended.{_old}"] = [
        ("flask-jwt-extended", "before_removed", _JWT_VIEW.format(decorator=f"f.{_old}", status=_status), "ok"),
        ("flask-jwt-extended", "removed_in", f"import flask_jwt_extended as f\nf.{_old}", "missing"),
        ("flask-jwt-extended", "new_since", _new, "ok"),
        ("flask-jwt-extended", "before_new_since", _new, "missing"),
        ("flask-jwt-extended", "latest", _new, "ok"),
    ]
for _old, _keyword in (("verify_jwt_in_request_optional", "optional"),
                       ("verify_fresh_jwt_in_request", "fresh"),
                       ("verify_jwt_refresh_token_in_request", "refresh")):
    SNIPPETS[f"flask_jwt_extended.{_old}"] = [
        ("flask-jwt-extended", "before_removed", f"import flask_jwt_extended as f\nf.{_old}", "ok"),
        ("flask-jwt-extended", "removed_in", f"import flask_jwt_extended as f\nf.{_old}", "missing"),
        ("flask-jwt-extended", "new_since", _JWT_VERIFY.format(f"{_keyword}=True"), "ok"),
        ("flask-jwt-extended", "before_new_since", _JWT_VERIFY.format(f"{_keyword}=True"), "missing"),
        ("flask-jwt-extended", "latest", _JWT_VERIFY.format(f"{_keyword}=True"), "ok"),
    ]
for _row in apis.ROWS:
    if _row.old.startswith("flask_jwt_extended.JWTManager."):
        _manager = "import flask_jwt_extended as f\nf.JWTManager.{}"
        _old, _new = _row.old.rpartition(".")[2], _row.new.rpartition(".")[2]
        SNIPPETS[_row.old] = [
            ("flask-jwt-extended", "before_removed", _manager.format(_old), "ok"),
            ("flask-jwt-extended", "removed_in", _manager.format(_old), "missing"),
            ("flask-jwt-extended", "new_since", _manager.format(_new), "ok"),
            ("flask-jwt-extended", "before_new_since", _manager.format(_new), "missing"),
            ("flask-jwt-extended", "latest", _manager.format(_new), "ok"),
        ]
# Flask-Caching: a cache made with the setting, used once (a backend needing a server only
# has to be found: its client library is missing, which fails past the lookup); the newest
# set's cachelib is Flask-Caching 2.5.1's lowest (0.17.0)
_CACHE = (
    "import flask, flask_caching, werkzeug.utils as u\n"
    "app = flask.Flask('x'); app.config['CACHE_TYPE'] = {value!r}\n"
    "import tempfile; app.config['CACHE_DIR'] = tempfile.mkdtemp()\n"
    "try:\n    cache = flask_caching.Cache(app)\n"
    "except u.ImportStringError as error:\n    raise ImportError(str(error)[:120])\n"
    "except Exception as error:\n"
    "    if {simple}:\n        raise\n"
    "else:\n"
    "    with app.app_context():\n"
    "        cache.set('k', 1)\n"
    "        assert cache.get('k') == (None if {value!r} in ('null', 'NullCache') else 1) or not {simple}\n"
)
for _row in apis.ROWS:
    if _row.rule == "FLK805":
        _old = _row.old.partition("=")[2].strip("'")
        _new = _row.new.partition("=")[2].strip("'")
        _simple = _old in ("null", "simple", "filesystem")  # no server, no client library
        _old_code = _CACHE.format(value=_old, simple=_simple)
        _new_code = _CACHE.format(value=_new, simple=_simple)
        SNIPPETS[_row.old] = [
            ("flask-caching", "before_removed", _old_code, "ok"),
            ("flask-caching", "removed_in", _old_code, "missing"),
            ("flask-caching", "new_since", _new_code, "ok"),
            ("flask-caching", "latest", _new_code, "ok"),
        ]
        if _simple:
            SNIPPETS[_row.old].append(("flask-caching", "before_new_since", _new_code, "missing"))
# Flask-WTF 1.0 left `Form` importable, as WTForms' own Form: it lost what FlaskForm adds
_FLASK_FORM = "import flask_wtf{dot}\nif not hasattr({name}, 'validate_on_submit'):\n    raise AttributeError('{name} is ' + repr({name}))"
for _name in ("flask_wtf.Form", "flask_wtf.form.Form"):
    _code = _FLASK_FORM.format(name=_name, dot=".form" if ".form." in _name else "")
    SNIPPETS[_name] = [
        ("flask-wtf", "before_removed", _code, "ok"),
        ("flask-wtf", "removed_in", _code, "missing"),
        ("flask-wtf", "new_since", "import flask_wtf\nflask_wtf.FlaskForm.validate_on_submit", "ok"),
        ("flask-wtf", "before_new_since", "import flask_wtf\nflask_wtf.FlaskForm", "missing"),
        ("flask-wtf", "latest", "import flask_wtf\nflask_wtf.FlaskForm.validate_on_submit", "ok"),
    ]
# WTForms 3.0 moved the HTML5 fields into wtforms.fields; 2.x has other classes of four
# of the names there
_HTML5 = "import wtforms.fields as f, wtforms.fields.html5 as h\nif f.{0} is not h.{0}:\n    raise AttributeError('another {0}')"
for _row in apis.ROWS:
    if _row.old.startswith("wtforms.fields.html5."):
        _field = _row.old.rpartition(".")[2]
        SNIPPETS[_row.old] = [
            ("wtforms", "before_removed", f"import wtforms.fields.html5\nwtforms.fields.html5.{_field}", "ok"),
            ("wtforms", "before_removed", _HTML5.format(_field), "missing"),
            ("wtforms", "removed_in", "import wtforms.fields.html5", "missing"),
            ("wtforms", "new_since", f"import wtforms.fields\nwtforms.fields.{_field}", "ok"),
            ("wtforms", "latest", f"import wtforms.fields\nwtforms.fields.{_field}", "ok"),
        ]

# Releases older than Python 3.10 import collections.Mapping & co.; the shim gives them the
# collections.abc names back so that their names can be looked up at all (it adds nothing
# to the packages themselves).
CHECK = r"""
import collections, collections.abc, importlib, json, sys, warnings
for _name in collections.abc.__all__:
    setattr(collections, _name, getattr(collections.abc, _name))
warnings.simplefilter("ignore")
kind, what = sys.argv[1], sys.argv[2]

class Missing(Exception):
    pass

def resolve(dotted):
    parts = dotted.split(".")
    if parts[0] == "builtins":
        import builtins
        return getattr(builtins, parts[1])
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        try:
            obj = importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name and module.startswith(error.name) and error.name.startswith(parts[0]):
                continue  # this prefix is not a module: an attribute of a shorter one
            raise
        for part in parts[cut:]:
            if not hasattr(obj, part):
                raise Missing(f"{obj.__name__ if hasattr(obj, '__name__') else obj} has no {part}")
            obj = getattr(obj, part)
        return obj
    raise Missing(f"no module {parts[0]}")

try:
    if kind == "name":
        resolve(what)
    else:
        try:
            exec(compile(what, "<snippet>", "exec"), {})
        except (ImportError, AttributeError, TypeError) as error:
            raise Missing(type(error).__name__ + ": " + str(error))
    print(json.dumps("ok"))
except Missing as error:
    print(json.dumps("missing: " + str(error)[:200]))
except BaseException as error:
    print(json.dumps("error: " + type(error).__name__ + ": " + str(error)[:200]))
"""


def key(version: str) -> Release:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def text(release: Release) -> str:
    return ".".join(map(str, release))


class Releases:
    """Each package's final releases, from the index (`pip index versions`), cached."""

    def __init__(self, work: Path) -> None:
        self.file = work / "releases.json"
        self.known: dict[str, list[str]] = (
            json.loads(self.file.read_text()) if self.file.exists() else {}
        )

    def of(self, package: str) -> list[str]:
        if package not in self.known:
            out = subprocess.run(
                [sys.executable, "-m", "pip", "index", "versions", package],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            line = next(line for line in out.splitlines() if "Available versions:" in line)
            versions = [v.strip() for v in line.split(":", 1)[1].split(",")]
            self.known[package] = [v for v in versions if v.replace(".", "").isdigit()]
            self.file.write_text(json.dumps(self.known, indent=1))
        return self.known[package]

    def at(self, package: str, release: Release) -> str:
        """The published version equal to `release` (1.0 may be '1.0' or '1.0.0')."""
        wanted = release + (0,) * (4 - len(release))
        for version in self.of(package):
            if key(version) + (0,) * (4 - len(key(version))) == wanted:
                return version
        raise LookupError(f"{package} {text(release)} is not on the index")

    def before(self, package: str, release: Release) -> str:
        """The newest published version older than `release`."""
        wanted = release + (0,) * (4 - len(release))
        older = [v for v in self.of(package) if key(v) + (0,) * (4 - len(key(v))) < wanted]
        return max(older, key=key)


class Installs:
    def __init__(self, work: Path) -> None:
        self.root = work / "pkgs"
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.locks: dict[Path, threading.Lock] = {}

    def folder(self, package: str, version: str) -> Path:
        folder = self.root / f"{package}-{version}"
        with self.lock:
            lock = self.locks.setdefault(folder, threading.Lock())
        with lock:
            return self._install(folder, package, version)

    def _install(self, folder: Path, package: str, version: str) -> Path:
        if not (folder / ".done").exists():
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                 "--target", str(folder), f"{package}=={version}"],
                capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                raise RuntimeError(f"{package}=={version} does not install:\n{done.stderr[-800:]}")
            (folder / ".done").write_text("")
        return folder


def environment(package: str, version: str) -> dict[str, str]:
    """The set whose own release of `package` is the nearest at or above `version` (the
    newest set when none is), with `version` in its place."""
    release = key(version)
    candidates = [pins for pins in SETS if package in pins and key(pins[package]) >= release]
    chosen = min(candidates, key=lambda pins: key(pins[package])) if candidates else SETS[-1]
    return {**EXTRA, **chosen, package: version}


def run(installs: Installs, pins: dict[str, str], kind: str, what: str) -> str:
    path = [str(installs.folder(p, v)) for p, v in sorted(pins.items())]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run(
        [sys.executable, "-c", CHECK, kind, what],
        capture_output=True, text=True, env=env, cwd="/tmp",
    )  # fmt: skip
    if done.returncode:
        return "error: " + done.stderr[-300:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def checks(releases: Releases) -> list[tuple[str, str, str, str, str, str]]:
    """(row's old name, package, version, kind, what, expected) for every check."""
    removed_later = {row.old for row in apis.ROWS}
    out = []
    for row in apis.ROWS:
        package, removed = row.removed_in
        if row.old in SNIPPETS:
            for pkg, which, snippet, expected in SNIPPETS[row.old]:
                since = row.new_since[1] if row.new_since else None
                version = {
                    "before_removed": lambda: releases.before(pkg, removed),
                    "removed_in": lambda: releases.at(pkg, removed),
                    "new_since": lambda: releases.at(pkg, since),
                    "before_new_since": lambda: releases.before(pkg, since),
                    "latest": lambda: releases.at(pkg, apis.LATEST[pkg]),
                }[which]()
                out.append((row.old, pkg, version, "code", snippet, expected))
            continue
        if row.kind not in (apis.MOVED, apis.RENAMED, apis.REMOVED):
            continue
        out.append((row.old, package, releases.before(package, removed), "name", row.old, "ok"))
        out.append((row.old, package, releases.at(package, removed), "name", row.old, "missing"))
        if row.new is None or row.new_since is None:
            continue
        new_package, since = row.new_since
        out.append((row.old, new_package, releases.at(new_package, since), "name", row.new, "ok"))
        first = min(releases.of(new_package), key=key)
        if since not in (apis.OLDEST_CHECKED.get(new_package), key(first)):
            out.append(
                (row.old, new_package, releases.before(new_package, since), "name", row.new, "missing")
            )  # fmt: skip
        if row.new not in removed_later and new_package in apis.LATEST:
            latest = releases.at(new_package, apis.LATEST[new_package])
            out.append((row.old, new_package, latest, "name", row.new, "ok"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/flask-fix-apis"))
    parser.add_argument("--only", default="", help="only rows whose old name starts so")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    unknown = SNIPPETS.keys() - apis.BY_OLD.keys()
    assert not unknown, f"snippets for no row: {sorted(unknown)}"
    args.work.mkdir(parents=True, exist_ok=True)
    releases, installs = Releases(args.work), Installs(args.work)
    todo = [c for c in checks(releases) if c[0].startswith(args.only)]

    def one(check):
        old, package, version, kind, what, expected = check
        try:
            got = run(installs, environment(package, version), kind, what)
        except RuntimeError as error:
            got = f"error: {error}"
        return check, got

    failed = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        for (old, package, version, kind, what, expected), got in pool.map(one, todo):
            good = got.split(":")[0] == expected
            failed += not good
            if not good or args.verbose:
                shown = what if kind == "name" else what.splitlines()[-1].strip()
                print(f"{'ok  ' if good else 'FAIL'} {old}: {package} {version}: {shown}"
                      f" -> {got} (expected {expected})")  # fmt: skip
    print(f"{len(todo) - failed} of {len(todo)} checks as the table says")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
