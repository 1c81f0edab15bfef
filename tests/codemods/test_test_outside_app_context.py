"""FLK304 and FLK503 across modules: what the one-module examples cannot show."""

from __future__ import annotations

import ast
from textwrap import dedent

from flask_fix import fix_code
from flask_fix.index.project import index_from_sources
from flask_fix.model import FixLevel

APP = dedent("""\
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)
""")


def run(sources: dict[str, str], path: str, code: str = "FLK304"):
    index = index_from_sources(sources)
    result = fix_code(sources[path], path=path, select=(code,), index=index)
    ast.parse(result.source)
    again = fix_code(result.source, path=path, select=(code,), index=index_from_sources({**sources, path: result.source}))
    assert again.source == result.source
    return result


def test_flask_testing_base_in_another_module_is_left_alone():
    sources = {
        "shop/__init__.py": APP,
        "tests/__init__.py": "",
        "tests/base.py": "from flask_testing import TestCase\n\n\nclass BaseTestCase(TestCase):\n    pass\n",
        "tests/test_cart.py": dedent("""\
            from shop import db
            from tests.base import BaseTestCase


            class CartTest(BaseTestCase):
                def setUp(self):
                    db.create_all()
        """),
    }
    result = run(sources, "tests/test_cart.py")
    assert result.source == sources["tests/test_cart.py"] and result.findings == []


def test_subclass_of_a_plain_base_elsewhere_gets_the_app_of_the_database():
    sources = {
        "shop/__init__.py": APP,
        "tests/__init__.py": "",
        "tests/base.py": dedent("""\
            import unittest

            from shop import app, db


            class BaseTestCase(unittest.TestCase):
                def setUp(self):
                    with app.app_context():
                        db.create_all()
        """),
        "tests/test_cart.py": dedent("""\
            from shop import db
            from tests.base import BaseTestCase


            class CartTest(BaseTestCase):
                def setUp(self):
                    super().setUp()
                    db.session.add(object())
        """),
    }
    result = run(sources, "tests/test_cart.py")
    assert result.source == dedent("""\
        from shop import app, db
        from tests.base import BaseTestCase


        class CartTest(BaseTestCase):
            def setUp(self):
                super().setUp()
                self.app_context = app.app_context()
                self.app_context.push()
                db.session.add(object())

            def tearDown(self):
                super().tearDown()
                self.app_context.pop()
    """)
    [finding] = result.findings
    assert "Working outside of application context" in finding.message


def test_a_conftest_pushing_a_context_covers_the_tests():
    sources = {
        "shop/__init__.py": APP,
        "tests/__init__.py": "",
        "tests/conftest.py": dedent("""\
            import pytest

            from shop import app


            @pytest.fixture(autouse=True)
            def context():
                with app.app_context():
                    yield
        """),
        "tests/test_cart.py": "from shop import db\n\n\ndef test_rows():\n    assert db.session.query(1).scalar() == 1\n",
    }
    result = run(sources, "tests/test_cart.py")
    assert result.source == sources["tests/test_cart.py"] and result.findings == []


def test_config_after_db_init_in_another_module_names_key_and_place():
    sources = {
        "shop/__init__.py": APP,
        "tests/__init__.py": "",
        "tests/test_cart.py": dedent("""\
            import unittest

            from shop import app


            class CartTest(unittest.TestCase):
                def setUp(self):
                    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", TESTING=True)
                    app.config["SQLALCHEMY_ECHO"] = False
        """),
    }
    result = run(sources, "tests/test_cart.py", "FLK503")
    assert result.source == sources["tests/test_cart.py"]
    assert [(f.line, f.column) for f in result.findings] == [(8, 27), (9, 9)]
    uri, echo = (f.message for f in result.findings)
    assert uri.startswith(
        "`SQLALCHEMY_DATABASE_URI` is set on `app` after Flask-SQLAlchemy was initialised on "
        "it (`db = SQLAlchemy(app)` in shop/__init__.py)"
    )
    assert "data loss" in uri and "data loss" not in echo


def test_config_after_db_init_after_a_factory_with_init_app():
    """Reported since the factory support (issue 12): create_app takes no settings, so
    there is no fix (tests/codemods/test_config_after_factory.py has the rest)."""
    sources = {
        "shop/__init__.py": dedent("""\
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            def create_app():
                app = Flask(__name__)
                db.init_app(app)
                return app
        """),
        "tests/test_cart.py": dedent("""\
            from shop import create_app


            def test_uri():
                app = create_app()
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        """),
    }
    result = run(sources, "tests/test_cart.py", "FLK503")
    [finding] = result.findings
    assert (finding.line, finding.fix_level) == (6, FixLevel.REPORT)
    assert finding.message.endswith(
        "give `create_app` a parameter for settings that it applies to `app.config` "
        "before `init_app`, and pass it there"
    )
