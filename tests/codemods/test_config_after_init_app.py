"""FLK503 when Flask-SQLAlchemy is initialised by a module-level `db.init_app(app)` (what
FLK202 makes of `SQLAlchemy(app)`): the engines are made there just the same, so a
setting written afterwards (in the module, inside `if`/`with`, or in a test's setUp) is
ignored on Flask-SQLAlchemy 3."""

from __future__ import annotations

from flask_fix.run.runner import Mode, Settings
from flask_fix.run.start import run as run_project

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///x.db"
db = SQLAlchemy()
db.init_app(app)
if app.debug:
    app.config["SQLALCHEMY_ECHO"] = True
with app.app_context():
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
"""
TEST = """\
import unittest
from app import app, db

class T(unittest.TestCase):
    def setUp(self):
        with app.app_context():
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        if True:
            app.config.update(SQLALCHEMY_ECHO=False)
"""


def _found(tmp_path, app=APP, test=TEST):
    (tmp_path / "tests").mkdir()
    (tmp_path / "app.py").write_text(app)
    (tmp_path / "tests" / "test_a.py").write_text(test)
    settings = Settings(select=("FLK503",), mode=Mode.CHECK)
    files = [str(tmp_path / "app.py"), str(tmp_path / "tests" / "test_a.py")]
    return sorted(
        (f.path.rpartition("/")[2], f.line, f.column, f.message)
        for r in run_project(files, settings)
        for f in r.findings
    )


def test_module_level_init_app_counts_as_the_database_made(tmp_path):
    found = _found(tmp_path)
    assert [(p, line, col) for p, line, col, _ in found] == [
        ("app.py", 9, 5), ("app.py", 11, 5), ("test_a.py", 7, 13), ("test_a.py", 9, 31),
    ]
    assert "(`db.init_app(app)` on line 7)" in found[0][3]
    assert "(`db.init_app(app)` in " in found[2][3] and "data loss" in found[2][3]


def test_settings_before_init_app_are_not_reported(tmp_path):
    later = APP.replace("db.init_app(app)\n", "").replace(
        "with app.app_context():", "db.init_app(app)\nwith app.app_context():"
    )
    # `if app.debug:` now comes before `db.init_app(app)`: only the `with` block's write
    found = _found(tmp_path, later, "import app\n")
    assert [(p, line) for p, line, _, _ in found] == [("app.py", 11)]


def test_init_app_inside_a_function_is_not_import_time(tmp_path):
    inside = APP.replace("db.init_app(app)\n", "def setup():\n    db.init_app(app)\n")
    assert _found(tmp_path, inside, TEST) == []


def test_another_objects_init_app_is_not_the_database(tmp_path):
    other = APP.replace("db.init_app(app)\n", "login = object()\nlogin.init_app(app)\n")
    assert _found(tmp_path, other, TEST) == []


# --- a test module's global `app = create_app()`, written on in setUp ------------------

FACTORY = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app(config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///x.db"
    if config is not None:
        if isinstance(config, dict):
            app.config.from_mapping(config)
        else:
            app.config.from_object(config)
    db.init_app(app)
    return app
"""
SUITE = """\
import unittest
from app import create_app, db

app = create_app()


class T(unittest.TestCase):
    def setUp(self):
        app.config["TESTING"] = True
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"


def local():
    app = make()
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    return app
"""


def _fix(tmp_path, suite, unsafe=True, mode=Mode.FIX):
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / "app.py").write_text(FACTORY)
    (tmp_path / "tests" / "test_a.py").write_text(suite)
    settings = Settings(select=("FLK503",), unsafe_fixes=unsafe, mode=mode)
    files = [str(tmp_path / "app.py"), str(tmp_path / "tests" / "test_a.py")]
    findings = [f for r in run_project(files, settings) for f in r.findings]
    return (tmp_path / "tests" / "test_a.py").read_text(), findings


def test_a_setup_write_on_the_modules_factory_app_moves_into_the_call(tmp_path):
    """The factory FLK201 writes (`isinstance(config, dict)` -> from_mapping) applies a
    dict before `init_app`: the setting moves into the module-level call."""
    after, findings = _fix(tmp_path, SUITE)
    assert after == SUITE.replace(
        "app = create_app()", "app = create_app(config={\"SQLALCHEMY_DATABASE_URI\": \"sqlite://\"})"
    ).replace('        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n\n\ndef', "\n\ndef")
    compile(after, "test_a.py", "exec")
    assert [(f.line, f.column) for f in findings] == [(10, 9)]
    assert "pass it to `create_app(config={...})`" in findings[0].message
    again, findings = _fix(tmp_path, after, mode=Mode.CHECK)
    assert (again, findings) == (after, [])


def test_without_unsafe_fixes_it_is_reported(tmp_path):
    after, findings = _fix(tmp_path, SUITE, unsafe=False)
    assert after == SUITE
    assert [(f.line, str(f.fix_level.value)) for f in findings] == [(10, "unsafe")]


def test_a_value_that_is_not_a_literal_is_only_reported(tmp_path):
    suite = SUITE.replace('= "sqlite://"\n\n\ndef', '= os.environ["URL"]\n\n\ndef')
    after, findings = _fix(tmp_path, suite)
    assert after == suite
    assert [f.line for f in findings] == [10]


def test_a_local_app_or_a_rebound_global_is_not_the_factorys(tmp_path):
    rebound = SUITE + "\napp = create_app()\n"
    for suite in (SUITE.replace('        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n\n\ndef', "\n\ndef"), rebound):
        after, findings = _fix(tmp_path, suite)
        assert (after, findings) == (suite, [])


def test_a_config_object_loaded_after_init_is_reported(tmp_path):
    test = (
        "import unittest\nfrom app import app\n\nclass T(unittest.TestCase):\n"
        "    def setUp(self):\n        app.config.from_object('settings.Testing')\n"
        "        app.config.from_pyfile('test.cfg')\n        other.config.from_object(x)\n"
    )
    found = _found(tmp_path, APP, test)
    loads = [(p, line, col) for p, line, col, m in found if "loads settings" in m]
    # from_object of an object the scan cannot follow (no settings.py in the project) is
    # not reported; from_pyfile reads a file the scan never follows: always reported
    assert loads == [("test_a.py", 7, 9)]
    message = next(m for p, line, _, m in found if (p, line) == ("test_a.py", 7))
    assert message.startswith(
        "`app.config.from_pyfile(...)` loads settings on `app` after Flask-SQLAlchemy was"
        " initialised on it (`db.init_app(app)` in "
    )
    assert "any Flask-SQLAlchemy setting it loads" in message
