"""Flask-SQLAlchemy 2.x's fallback (rewrite/legacy_db): reads recorded in the scan phase,
linked in the parent once the databases are known, without reading any file again."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flask_fix.rewrite import legacy_db
from flask_fix.index.contextfacts import DatabaseRead, DatabaseReads
from flask_fix.index.project import index_from_sources, module_facts


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def reads_of(path: str, module: str, source: str) -> DatabaseReads | None:
    return module_facts(path, module, ast.parse(source)).raw["context"].database


APP = code("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)


    class Task(db.Model):
        id = db.Column(db.Integer, primary_key=True)
""")


def test_the_scan_records_import_time_reads_with_what_their_names_are_imported_as():
    source = code("""
        import shop.models as m
        from shop import db as database

        database.create_all()
        rows = m.Task.query.all()
        views = [database.session]
        engines = database.engine.engines

        with m.app.app_context():
            database.drop_all()


        def later():
            database.session.commit()
    """)
    recorded = reads_of("setup_db.py", "setup_db", source)
    assert recorded == DatabaseReads(
        reads=(
            DatabaseRead(4, "database", None, "create_all", True, -1, False),
            DatabaseRead(6, "database", None, "session", False, -1, False),
            DatabaseRead(7, "database", "engine", "engines", False, -1, False),
            DatabaseRead(7, "database", None, "engine", True, 2, False),
        ),
        imports={"database": "shop.db"},
        test_context=False,
    )
    # `m.Task.query` is no read: `.query` counts on a name only (`Task.query`)
    assert [read.code for read in recorded.reads] == [
        "database.create_all", "database.session", "database.engine.engines", "database.engine"
    ]  # fmt: skip


def test_functions_are_recorded_only_in_what_may_be_test_code():
    body = "from shop import db\n\n\ndef test_add():\n    db.session.add(1)\n"
    assert reads_of("shop/helpers.py", "shop.helpers", body) is None
    [read] = reads_of("tests/test_add.py", "test_add", body).reads
    assert (read.line, read.code, read.in_function) == (5, "db.session", True)
    fixture = code("""
        import pytest
        from shop import app


        @pytest.fixture(autouse=True)
        def context():
            with app.app_context():
                yield
    """)
    assert reads_of("tests/conftest.py", "conftest", fixture) == DatabaseReads(test_context=True)
    assert reads_of("shop/context.py", "shop.context", fixture) is None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # a relative import: the module's text need not name the package holding the db
        ({"shop/cli.py": "from . import db\n\ndb.create_all()\n"},
         [("shop/cli.py", 3, "db.create_all", "shop/__init__.py")]),
        ({"shop/cli.py": "from .models import Task\n\nprint(Task.query.count())\n"},
         [("shop/cli.py", 3, "Task.query", "shop/models.py")]),
        ({"manage.py": "import shop\n\nif __name__ == '__main__':\n    shop.db.session.commit()\n"},
         [("manage.py", 4, "shop.db.session", "shop/__init__.py")]),
        # handed on, inside a context, inside a function of a module that is no test
        ({"shop/admin.py": "from shop import db\n\nviews = [db.session]\n"}, []),
        ({"manage.py": "from shop import app, db\n\nwith app.app_context():\n    db.create_all()\n"}, []),
        ({"shop/helpers.py": "from shop import db\n\ndef save(x):\n    db.session.add(x)\n"}, []),
        # test functions count, unless a conftest.py pushes the context they run in
        ({"tests/test_tasks.py": "from shop.models import Task\n\ndef test_none():\n    assert Task.query.all() == []\n"},
         [("tests/test_tasks.py", 4, "Task.query", "shop/models.py")]),
        ({"tests/test_tasks.py": "from shop.models import Task\n\ndef test_none():\n    assert Task.query.all() == []\n",
          "tests/conftest.py": "import pytest\nfrom shop import app\n\n@pytest.fixture(autouse=True)\n"
                               "def context():\n    with app.app_context():\n        yield\n"},
         []),
        # a test case deriving, through a project base class in another module, from
        # Flask-Testing's TestCase runs its methods inside a request context
        ({"shop/testing.py": "from flask_testing import TestCase\n\nclass Base(TestCase):\n    pass\n",
          "tests/test_tasks.py": "from shop.testing import Base\nfrom shop.models import Task\n\n"
                                 "class TaskTest(Base):\n    def test_none(self):\n"
                                 "        assert Task.query.all() == []\n"},
         []),
        # ... not a plain unittest one, nor a function beside it
        ({"tests/test_tasks.py": "import unittest\nfrom shop.models import Task\n\n"
                                 "class TaskTest(unittest.TestCase):\n    def test_none(self):\n"
                                 "        assert Task.query.all() == []\n\n"
                                 "def test_more():\n    assert Task.query.count() == 0\n"},
         [("tests/test_tasks.py", 6, "Task.query", "shop/models.py"),
          ("tests/test_tasks.py", 9, "Task.query", "shop/models.py")]),
        # ... and its class body runs at import time, outside any context
        ({"tests/test_tasks.py": "from flask_testing import TestCase\nfrom shop.models import Task\n\n"
                                 "class TaskTest(TestCase):\n    COUNT = Task.query.count()\n"},
         [("tests/test_tasks.py", 5, "Task.query", "shop/models.py")]),
        # a function the __main__ block calls, and the functions it calls: run there
        ({"manage.py": "from shop import db\n\ndef reset():\n    db.drop_all()\n\n"
                       "def init():\n    reset()\n    db.create_all()\n\n"
                       "if __name__ == '__main__':\n    init()\n"},
         [("manage.py", 4, "db.drop_all", "shop/__init__.py"),
          ("manage.py", 8, "db.create_all", "shop/__init__.py")]),
        ({"manage.py": "from shop import app, db\n\ndef init():\n    db.create_all()\n\n"
                       "if __name__ == '__main__':\n    with app.app_context():\n        init()\n"},
         []),
        # plain click commands run outside a context; Flask's and Flask-Script's push one
        ({"manage.py": "import click\nfrom shop import db\n\n@click.command()\n"
                       "def initdb():\n    db.create_all()\n"},
         [("manage.py", 6, "db.create_all", "shop/__init__.py")]),
        ({"manage.py": "import click\nfrom shop import db\n\n@click.group()\ndef cli():\n    pass\n\n"
                       "@cli.command()\ndef initdb():\n    db.create_all()\n"},
         [("manage.py", 10, "db.create_all", "shop/__init__.py")]),
        ({"manage.py": "from shop import app, db\n\n@app.cli.command()\ndef initdb():\n    db.create_all()\n"},
         []),
        ({"manage.py": "import click\nfrom flask.cli import with_appcontext\nfrom shop import db\n\n"
                       "@click.command()\n@with_appcontext\ndef initdb():\n    db.create_all()\n"},
         []),
        ({"manage.py": "from flask_script import Manager\nfrom shop import app, db\n\nmanager = Manager(app)\n\n"
                       "@manager.command\ndef initdb():\n    db.create_all()\n"},
         []),
        # another `db`, not built with the app
        ({"shop/cache.py": "class Redis:\n    pass\n\ndb = Redis()\n",
          "shop/warm.py": "from .cache import db\n\ndb.session.commit()\n"}, []),
    ],
)  # fmt: skip
def test_uses_are_linked_from_the_index_alone(extra, expected):
    # the sources are not on disk: linking reads no file
    sources = {
        "shop/__init__.py": APP.replace("\n\nclass Task(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n", ""),
        "shop/models.py": "from shop import db\n\n\nclass Task(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
        **extra,
    }
    index = index_from_sources(sources)
    assert legacy_db.may_fall_back(index)
    assert legacy_db.fallback_uses(index) == expected


def test_only_the_databases_and_modules_asked_about():
    index = index_from_sources(
        {
            "one/app.py": APP,
            "one/setup_db.py": "from app import db\n\ndb.create_all()\n",
            "two/app.py": APP.replace("db = ", "store = ").replace("(db.", "(store."),
            "two/setup_db.py": "from app import store\n\nstore.create_all()\n",
        }
    )
    everything = legacy_db.fallback_uses(index)
    assert [use[:3] for use in everything] == [
        ("one/setup_db.py", 3, "db.create_all"), ("two/setup_db.py", 3, "store.create_all")
    ]  # fmt: skip
    in_two = legacy_db.fallback_uses(index, in_scope=lambda path: path.startswith("two/"))
    assert [use[:3] for use in in_two] == [("two/setup_db.py", 3, "store.create_all")]
    only_db = legacy_db.fallback_uses(index, databases=frozenset({"app.db"}))
    assert [use[:3] for use in only_db] == [("one/setup_db.py", 3, "db.create_all")]


def test_a_name_imported_twice_as_different_things_is_the_last_walked():
    # `ast.walk` order: the module-level import first, the one in the function later
    source = "from shop import db\n\ndb.create_all()\n\n\ndef other():\n    from cache import db\n"
    assert reads_of("setup_db.py", "setup_db", source).imports == {"db": "cache.db"}
    source = "import shop as db\nfrom shop import db\n\ndb.create_all()\n"
    assert reads_of("setup_db.py", "setup_db", source).imports == {"db": "shop.db"}
