"""FLK304's triage (index/testcode.py): the modules it skips hold no test code the rule
checks; the look-alikes it must still send are checked, and found, by the rule."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.codemods.test_outside_app_context import OutsideAppContextInTests as FLK304
from flask_fix.index.project import index_from_sources

SHOP = dedent("""\
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)
""")
BASE = dedent("""\
    import unittest

    from shop import db


    class BaseTestCase(unittest.TestCase):
        def tearDown(self):
            db.drop_all()
""")


def project(path: str, text: str, **more: str) -> dict[str, str]:
    return {"shop/__init__.py": SHOP, "tests/__init__.py": "", "tests/base.py": BASE, **more, path: dedent(text)}


def found(sources: dict[str, str], path: str) -> list[str]:
    index = index_from_sources(sources)
    return [f.code for f in fix_code(sources[path], path=path, select=("FLK304",), index=index).findings]


def sent(sources: dict[str, str], path: str) -> bool:
    return FLK304.could_fire_in(path, index_from_sources(sources))


SKIPPED = {
    # models and forms: their bases are no test case class, whatever the word `test`
    "models": ("shop/models.py", """\
        from shop import db


        class User(db.Model):
            def test_password(self, password):
                return db.session.query(User).count()
    """),
    # a top-level test function outside a pytest module (no test path, no pytest import)
    "function outside pytest": ("shop/checks.py", """\
        from shop import db


        def test_connection():
            db.create_all()
    """),
    # a helper module of the tests: decorated, but not with pytest.fixture
    "test helpers": ("tests/helpers.py", """\
        from contextlib import contextmanager

        from shop import db


        @contextmanager
        def tables():
            db.create_all()
            yield
    """),
    # a class whose base is a project class that is no test case
    "project base that is no test case": ("shop/admin.py", """\
        from shop import db
        from shop.views import BaseView


        class UserAdmin(BaseView):
            def test_rows(self):
                return db.session.query(1).all()
    """),
}


@pytest.mark.parametrize("name", SKIPPED)
def test_modules_with_no_test_code_are_not_sent(name):
    path, text = SKIPPED[name]
    sources = project(path, text, **{"shop/views.py": "class BaseView:\n    pass\n"})
    assert found(sources, path) == []
    assert not sent(sources, path)


SENT = {
    # derives from a project test case of another module, imports neither unittest nor
    # pytest and is not under a test folder
    "project test case": ("shop/selftest.py", """\
        from shop import db
        from tests.base import BaseTestCase


        class CartTest(BaseTestCase):
            def test_cart(self):
                db.session.add(object())
    """),
    # the same through a relative import
    "relative import": ("tests/test_cart.py", """\
        from shop import db
        from .base import BaseTestCase


        class CartTest(BaseTestCase):
            def setUp(self):
                db.create_all()
    """),
    # through a re-export of the test case by the package
    "re-exported": ("shop/selftest.py", """\
        from shop import db
        from tests import BaseTestCase


        class CartTest(BaseTestCase):
            def setUp(self):
                db.create_all()
    """),
    # through a local class of the module
    "local base": ("shop/selftest.py", """\
        import unittest as ut

        from shop import app, db


        class Base(ut.TestCase):
            pass


        class CartTest(Base):
            def setUp(self):
                db.create_all()
    """),
    # pytest tests and fixtures outside a test folder: a top-level pytest import
    "pytest module": ("shop/checks.py", """\
        import pytest

        from shop import app, db


        def test_tables():
            db.create_all()
    """),
    # a fixture under another name, in a test folder
    "renamed fixture": ("tests/fixtures.py", """\
        from pytest import fixture as provides

        from shop import db


        @provides
        def database(app):
            db.create_all()
            yield db
    """),
}


@pytest.mark.parametrize("name", SENT)
def test_test_code_look_alikes_are_sent(name):
    path, text = SENT[name]
    more = {"tests/__init__.py": "from .base import BaseTestCase\n"} if name == "re-exported" else {}
    sources = project(path, text, **more)
    assert found(sources, path) == ["FLK304"]
    assert sent(sources, path)


def test_a_star_import_may_bind_a_test_case():
    # LibCST does not resolve it either, but the triage cannot tell what it binds
    sources = project("shop/selftest.py", """\
        from unittest import *


        class CartTest(TestCase):
            pass
    """)
    assert sent(sources, "shop/selftest.py")


def test_a_module_the_index_could_not_read_is_sent():
    assert FLK304.could_fire_in("shop/new_syntax.py", index_from_sources({"shop/__init__.py": SHOP}))
