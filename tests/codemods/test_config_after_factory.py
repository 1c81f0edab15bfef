"""FLK503 after a factory call: `app = create_app()` then `app.config[...] = ...` where
create_app hands the app to Flask-SQLAlchemy's `init_app`. Reported; with --unsafe-fixes
moved into `create_app(config={...})` when create_app provably applies that mapping before
`init_app`. The fixed suite is run under today's Flask-SQLAlchemy."""

from __future__ import annotations

import os
import subprocess
import sys
from textwrap import dedent

import libcst as cst
import pytest

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


MODELS = code("""
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Note(db.Model):
        id = db.Column(db.Integer, primary_key=True)
""")
FACTORY = code("""
    import os
    from flask import Flask
    from .models import db


    def create_app(config=None):
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.abspath("app.db")
        if config is not None:
            app.config.update(config)
        db.init_app(app)
        return app
""")
TEST = code("""
    import unittest
    from notes import create_app
    from notes.models import Note, db


    class NoteTest(unittest.TestCase):
        def setUp(self):
            self.app = create_app()
            self.app.config["TESTING"] = True
            self.app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            self.context = self.app.app_context()
            self.context.push()
            db.create_all()

        def tearDown(self):
            db.drop_all()
            self.context.pop()

        def test_add(self):
            db.session.add(Note())
            db.session.commit()
            self.assertEqual(Note.query.count(), 1)
            print(db.engine.url, end=" ")
""")
FIXED_TEST = TEST.replace(
    "        self.app = create_app()\n",
    '        self.app = create_app(config={"SQLALCHEMY_DATABASE_URI": "sqlite://"})\n',
).replace('        self.app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n', "")


def run(sources: dict[str, str], path: str, unsafe: bool = False):
    index = index_from_sources(sources)
    return fix_code(sources[path], path=path, select=("FLK503",), index=index, unsafe=unsafe)


def project(test: str = TEST, factory: str = FACTORY) -> dict[str, str]:
    return {
        "notes/__init__.py": factory,
        "notes/models.py": MODELS,
        "tests/test_notes.py": test,
    }


def test_setting_after_the_factory_is_moved_into_the_call():
    sources = project()
    result = run(sources, "tests/test_notes.py")
    assert result.source == TEST
    [finding] = result.findings
    assert (finding.line, finding.fix_level) == (10, FixLevel.UNSAFE)
    assert finding.message == (
        "`SQLALCHEMY_DATABASE_URI` is set after `create_app()` initialised Flask-SQLAlchemy "
        "on the app it returns (`init_app`): from Flask-SQLAlchemy 3.0 the engines are made "
        "in `init_app` and this setting is silently ignored and the suite's "
        "`create_all()`/`drop_all()` run against the app's real database: data loss; pass "
        "it to `create_app(config={...})`"
    )
    fixed = run(sources, "tests/test_notes.py", unsafe=True)
    assert fixed.source == FIXED_TEST
    cst.parse_module(fixed.source)
    again = run({**sources, "tests/test_notes.py": fixed.source}, "tests/test_notes.py", True)
    assert again.source == FIXED_TEST and again.findings == []


@pytest.mark.parametrize(("test", "url"), [(TEST, "sqlite:///"), (FIXED_TEST, "sqlite://")])
def test_the_suite_under_todays_flask_sqlalchemy(tmp_path, test, url):
    """Before the fix the suite runs against the app's database file (and drops its
    tables); after it, in memory, and no file is written."""
    for path, text in project(test).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "unittest", "-q", "tests.test_notes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    if test is TEST:
        assert done.stdout.startswith("sqlite:///") and done.stdout.rstrip().endswith("app.db")
        assert (tmp_path / "app.db").exists()
    else:
        assert done.stdout == "sqlite:// "
        assert not (tmp_path / "app.db").exists()


FACTORY_WITHOUT_PARAMETER = code("""
    from flask import Flask
    from .models import db


    def create_app():
        app = Flask(__name__)
        db.init_app(app)
        return app
""")


@pytest.mark.parametrize(
    ("factory", "test", "advice"),
    [
        # no settings parameter: the factory must take one
        (FACTORY_WITHOUT_PARAMETER, TEST, "give `create_app` a parameter for settings"),
        # the mapping may be overridden before init_app
        (
            FACTORY.replace(
                "    db.init_app", "    app.config.from_object('notes.settings')\n    db.init_app"
            ),
            TEST,
            "give `create_app` a parameter for settings",
        ),
        # the parameter is already given, by position
        (FACTORY, TEST.replace("create_app()", "create_app({'TESTING': True})"),
         "pass it to `create_app(config={...})` instead"),
        # a value computed where it is written
        (FACTORY, TEST.replace('= "sqlite://"', "= os.environ['TEST_DB']"),
         "pass it to `create_app(config={...})` instead"),
        # two keys in one update, one of them not Flask-SQLAlchemy's
        (FACTORY, TEST.replace(
            'self.app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"',
            'self.app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", WTF_CSRF_ENABLED=False)',
        ), "pass it to `create_app(config={...})` instead"),
    ],
)  # fmt: skip
def test_reported_without_a_fix(factory, test, advice):
    sources = project(test, factory)
    result = run(sources, "tests/test_notes.py", unsafe=True)
    assert result.source == test
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message.endswith(advice) or advice in finding.message


@pytest.mark.parametrize(
    "test",
    [
        # a key Flask-SQLAlchemy does not read
        TEST.replace('        self.app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n', ""),
        # written before the factory call, on another app
        code("""
            from flask import Flask
            from notes import create_app

            other = Flask(__name__)
            other.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            app = create_app()
        """),
        # the name rebound to another app in between
        code("""
            from flask import Flask
            from notes import create_app

            app = create_app()
            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        """),
    ],
)
def test_look_alikes(test):
    assert run(project(test), "tests/test_notes.py", unsafe=True).findings == []


def test_a_factory_that_does_not_initialise_flask_sqlalchemy():
    factory = code("""
        from flask import Flask
        from flask_login import LoginManager

        login = LoginManager()


        def create_app(config=None):
            app = Flask(__name__)
            app.config.update(config or {})
            login.init_app(app)
            return app
    """)
    assert run(project(TEST, factory), "tests/test_notes.py", unsafe=True).findings == []


def test_module_level_app_and_if_parameter_form():
    factory = FACTORY.replace(
        "    if config is not None:\n        app.config.update(config)\n",
        "    app.config.from_mapping(config or {})\n",
    )
    test = code("""
        from notes import create_app

        app = create_app()
        app.config.update({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SQLALCHEMY_ECHO": True})
    """)
    result = run(project(test, factory), "tests/test_notes.py", unsafe=True)
    assert result.source == code("""
        from notes import create_app

        app = create_app(config={
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SQLALCHEMY_ECHO": True,
        })
    """)
    cst.parse_module(result.source)
    again = run({**project(test, factory), "tests/test_notes.py": result.source},
                "tests/test_notes.py", unsafe=True)  # fmt: skip
    assert again.source == result.source and again.findings == []
    findings = run(project(test, factory), "tests/test_notes.py").findings
    assert [(f.line, f.fix_level) for f in findings] == [(4, FixLevel.UNSAFE), (4, FixLevel.UNSAFE)]


def test_a_function_writing_on_the_modules_factory_app_is_reported_not_moved():
    """The function runs after `app = create_app()` whenever it runs, so the setting is
    ignored (reported); outside a test module's set-up it may run only sometimes, so it
    does not move into the call (a `setUp`'s does: tests/codemods/test_config_after_init_app.py)."""
    test = code("""
        from notes import create_app

        app = create_app()

        def configure():
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    """)
    result = run(project(test), "tests/test_notes.py", unsafe=True)
    assert result.source == test
    assert [(f.line, f.fix_level.value) for f in result.findings] == [(6, "report")]



# FLK201's factory: a dict goes to from_mapping, anything else to from_object
OBJECT_FACTORY = FACTORY.replace(
    "    if config is not None:\n        app.config.update(config)\n",
    "    if config is not None:\n        if isinstance(config, dict):\n"
    "            app.config.from_mapping(config)\n        else:\n"
    "            app.config.from_object(config)\n",
)
CONFIG = code("""
    class TestingConfig:
        SQLALCHEMY_DATABASE_URI = "sqlite://"
""")
FLASK_TESTING_BASE = code("""
    from flask_testing import TestCase

    from notes import create_app

    app = create_app()


    class BaseTestCase(TestCase):
        def create_app(self):
            app.config.from_object("notes.config.TestingConfig")
            return app
""")


def object_project(base: str, factory: str = OBJECT_FACTORY, config: str = CONFIG) -> dict[str, str]:
    return {
        "notes/__init__.py": factory,
        "notes/models.py": MODELS,
        "notes/config.py": config,
        "notes/testing.py": base,
    }


FLASK_TESTING_FIXED = FLASK_TESTING_BASE.replace(
    "app = create_app()\n", 'app = create_app(config={"SQLALCHEMY_DATABASE_URI": "sqlite://"})\n'
)


def test_the_database_settings_a_flask_testing_case_loads_move_into_the_call():
    """flask-basic-registration, once FLK201 built its factory: a Flask-Testing base case
    (outside the tests folder) loads its test configuration, a class with no base, onto
    the module's factory-made app before each test. The class's database settings (string
    literals) go to the factory call; the load stays for the rest of the class, which
    reaches the app after the extensions' `init_app` as before (moving the whole class
    into the call made Flask-Bcrypt see `BCRYPT_LOG_ROUNDS = 1` and raise 'Invalid
    rounds' in 14 of 16 tests)."""
    sources = object_project(FLASK_TESTING_BASE)
    [finding] = run(sources, "notes/testing.py").findings
    assert (finding.line, finding.fix_level) == (10, FixLevel.UNSAFE)
    assert finding.message == (
        "`app.config.from_object(...)` loads settings after `create_app()` initialised "
        "Flask-SQLAlchemy on the app it returns (`init_app`): from Flask-SQLAlchemy 3.0 the "
        "engines are made in `init_app` and any Flask-SQLAlchemy setting it loads "
        "(`SQLALCHEMY_DATABASE_URI`...) is silently ignored and the suite's "
        "`create_all()`/`drop_all()` run against the app's real database: data loss; "
        "pass the database settings it loads to `create_app(config={...})` (the load "
        "stays, for its other settings)"
    )
    fixed = run(sources, "notes/testing.py", unsafe=True)
    assert fixed.source == FLASK_TESTING_FIXED
    cst.parse_module(fixed.source)
    again = run({**sources, "notes/testing.py": fixed.source}, "notes/testing.py", True)
    assert again.source == FLASK_TESTING_FIXED and again.findings == []


@pytest.mark.parametrize(
    ("base", "factory", "config"),
    [
        # a factory applying no settings parameter: told to take one
        (FLASK_TESTING_BASE, FACTORY.replace(
            "    if config is not None:\n        app.config.update(config)\n", ""), CONFIG),
        # a plain unittest case: its `create_app` is no hook run before each test
        (FLASK_TESTING_BASE.replace("from flask_testing import TestCase", "from unittest import TestCase"),
         OBJECT_FACTORY, CONFIG),
        # the class's database is computed, not a literal
        (FLASK_TESTING_BASE, OBJECT_FACTORY,
         "import os\n\nclass TestingConfig:\n    SQLALCHEMY_DATABASE_URI = os.environ['DB']\n"),
        # a class object, not a dotted string
        (FLASK_TESTING_BASE.replace(
            'app.config.from_object("notes.config.TestingConfig")',
            "app.config.from_object(TestingConfig)",
        ).replace("from notes import create_app\n", "from notes import create_app\nfrom notes.config import TestingConfig\n"),
         OBJECT_FACTORY, CONFIG),
        # the call passes another database: still ignored by the load, reported
        (FLASK_TESTING_BASE.replace("create_app()", 'create_app(config={"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"})'),
         OBJECT_FACTORY, CONFIG),
    ],
)  # fmt: skip
def test_a_load_that_cannot_move_is_reported_only(base, factory, config):
    result = run(object_project(base, factory, config), "notes/testing.py", unsafe=True)
    assert result.source == base
    line = next(n for n, text in enumerate(base.splitlines(), 1) if "from_object" in text)
    assert [(f.line, f.fix_level) for f in result.findings] == [(line, FixLevel.REPORT)]


def test_a_class_setting_no_database_is_not_reported():
    config = CONFIG.replace("SQLALCHEMY_DATABASE_URI", "TESTING")
    assert run(object_project(FLASK_TESTING_BASE, config=config), "notes/testing.py", True).findings == []
