"""FLK503 on `config.from_object(X)` after `SQLAlchemy(app)`: X a project class that sets
the database (flask-basic-registration's tests load `project.config.TestingConfig` onto
the app built with the development database; on Flask-SQLAlchemy 3 the suite then wrote
project/dev.sqlite)."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


INIT = code('''
    import os
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    app.config.from_object(os.environ["APP_SETTINGS"])
    db = SQLAlchemy(app)
''')
CONFIG = code('''
    class BaseConfig(object):
        DEBUG = False

    class DevelopmentConfig(BaseConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite:///dev.sqlite"

    class TestingConfig(BaseConfig):
        TESTING = True
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    class MoreTesting(TestingConfig):
        WTF_CSRF_ENABLED = False
''')
TEST = code('''
    from project import app
    from project.config import BaseConfig, MoreTesting

    class TestConfig:
        def create_app(self):
            app.config.from_object("project.config.TestingConfig")
            app.config.from_object(MoreTesting)
            app.config.from_object(BaseConfig)
            app.config.from_object("project.config.BaseConfig")
            app.config.from_object("project.config.Missing")
            return app
''')
SOURCES = {"project/__init__.py": INIT, "project/config.py": CONFIG, "tests/test_config.py": TEST}


def run(path: str, unsafe: bool = True):
    index = index_from_sources(SOURCES)
    return fix_code(SOURCES[path], path=path, select=("FLK503",), index=index, unsafe=unsafe)


def test_the_index_knows_the_classes_that_set_the_database():
    index = index_from_sources(SOURCES)
    # with the settings loading each applies (a base's inherited), literal values known
    assert index.database_configs == {
        "project.config.DevelopmentConfig": (("SQLALCHEMY_DATABASE_URI", "sqlite:///dev.sqlite"),),
        "project.config.MoreTesting": (("SQLALCHEMY_DATABASE_URI", "sqlite://"),),
        "project.config.TestingConfig": (("SQLALCHEMY_DATABASE_URI", "sqlite://"),),
    }  # fmt: skip
    computed = dict(SOURCES, **{"project/config.py": CONFIG.replace('"sqlite://"', 'os.environ["DB"]')})
    assert index_from_sources(computed).database_configs["project.config.MoreTesting"] == (
        ("SQLALCHEMY_DATABASE_URI", None),
    )


def test_from_object_of_a_database_config_after_init_is_reported():
    result = run("tests/test_config.py")
    assert [(f.line, f.column) for f in result.findings] == [(6, 9), (7, 9)]
    first, second = result.findings
    assert first.message == (
        "`from_object` loads `project.config.TestingConfig`, which sets the database "
        "(`SQLALCHEMY_DATABASE_URI`/`SQLALCHEMY_BINDS`), and it runs on `app` after "
        "Flask-SQLAlchemy was initialised on it (`db = SQLAlchemy(app)` in "
        "project/__init__.py): from Flask-SQLAlchemy 3.0 the engines are made in "
        "`init_app` and any Flask-SQLAlchemy setting it loads (`SQLALCHEMY_DATABASE_URI`...) "
        "is silently ignored and the suite's `create_all()`/`drop_all()` run against the "
        "app's real database: data loss; pass those settings to the app before "
        "`SQLAlchemy(app)`/`init_app`, e.g. through an application "
        "factory (`create_app({...})`, FLK201)"
    )
    assert "loads `MoreTesting`" in second.message  # inherits the URI
    assert not first.has_fix and not second.has_fix
    # reported only: nothing changes, the code still parses, a second run is the same
    assert result.source == TEST
    cst.parse_module(result.source)


def test_look_alikes_stay_quiet():
    # the app's own from_object before SQLAlchemy(app); config modules themselves
    assert run("project/__init__.py").findings == []
    assert run("project/config.py").findings == []
    # from_object on something that is not the app, and a database config loaded into a
    # factory-less app that never got a database
    lookalike = code('''
        from flask import Flask
        from project.config import TestingConfig

        other = Flask(__name__)
        other.config.from_object(TestingConfig)

        class Settings:
            def __init__(self):
                self.config = {}

        Settings().config.from_object(TestingConfig)
    ''')
    sources = {**SOURCES, "other.py": lookalike}
    index = index_from_sources(sources)
    result = fix_code(lookalike, path="other.py", select=("FLK503",), index=index, unsafe=True)
    assert result.findings == [] and result.source == lookalike
