"""FLK503 when Flask-SQLAlchemy is initialised by a module-level `db.init_app(app)` (what
FLK202 makes of `SQLAlchemy(app)`): the engines are made there just the same, so a
setting written afterwards (in the module, inside `if`/`with`, or in a test's setUp) is
ignored on Flask-SQLAlchemy 3."""

from __future__ import annotations

from flask_fix.run.runner import Mode, Settings
from flask_fix.run.runner import run as run_project

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
