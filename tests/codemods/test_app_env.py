"""FLK707 app-env: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def lines(source: str, path: str = "app.py", index=None) -> list[int]:
    result = fix_code(source, path=path, select=("FLK707",), index=index)
    assert result.source == source  # report only
    assert {f.fix_level for f in result.findings} <= {FixLevel.REPORT}
    return [f.line for f in result.findings]


def test_messages():
    source = code("""
        import os
        from flask import Flask

        app = Flask(__name__)
        dev = app.env == "development"
        os.environ.setdefault("FLASK_ENV", "development")
        stage = app.config.get("ENV")
    """)
    result = fix_code(source, path="app.py", select=("FLK707",))
    assert [(f.line, f.column, f.code, f.name) for f in result.findings] == [
        (5, 7, "FLK707", "app-env"),
        (6, 1, "FLK707", "app-env"),
        (7, 9, "FLK707", "app-env"),
    ]
    assert result.findings[0].message == (
        "`app.env` was removed in Flask 2.3 (AttributeError); use `app.debug` (set with"
        " `flask run --debug` or FLASK_DEBUG) or a setting of your own"
    )
    assert result.findings[1].message.startswith(
        "Flask ignores the FLASK_ENV environment variable since 2.3"
    )
    assert result.findings[2].message.startswith(
        "the `ENV` config key was removed in Flask 2.3 (KeyError on read)"
    )


def test_environment_forms():
    source = code("""
        import os
        from os import environ, getenv

        a = "FLASK_ENV" in os.environ
        b = getenv("FLASK_ENV")
        c = environ["FLASK_ENV"]
        d = os.environ.pop("FLASK_ENV", None)
        e = {"FLASK_ENV": "x"}  # a plain dictionary: not the environment
        f = os.environ.get("FLASK_DEBUG")
    """)
    assert lines(source) == [4, 5, 6, 7]


def test_an_app_imported_from_the_project():
    sources = {
        "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "shop/util.py": "from . import app\n\ndef dev():\n    return app.env == 'dev'\n",
        "shop/other.py": "from .assets import env\n\nbundle = env.env\n",
    }
    index = index_from_sources(sources)
    assert lines(sources["shop/util.py"], "shop/util.py", index) == [4]
    assert lines(sources["shop/other.py"], "shop/other.py", index) == []


def test_config_classes():
    source = code("""
        class Base:
            TESTING = False

        class Production(Base):
            ENV = "production"

        class Unrelated:
            ENV = "x"

        class Flat:
            DEBUG = False
            ENV = "production"

            def env(self):
                ENV = "local"
                return ENV
    """)
    assert lines(source) == [5, 12]
