"""Project facts for the context rules: Flask-SQLAlchemy objects and models, Celery
tasks, import contexts, triage flags."""

from __future__ import annotations

import ast
import pickle
from textwrap import dedent

from flask_fix.index.contextfacts import APP, REQUEST, UNKNOWN, site_modules
from flask_fix.index.project import index_from_sources, module_facts


def index_of(sources: dict[str, str]):
    return index_from_sources({p: dedent(t).lstrip("\n") for p, t in sources.items()})


def test_sqlalchemy_objects_and_models_with_every_alias():
    index = index_of(
        {
            "pkg/__init__.py": "from .ext import db\n",
            "pkg/ext.py": """
            from flask_sqlalchemy import SQLAlchemy as FSA

            class MySQLAlchemy(FSA):
                pass

            db = MySQLAlchemy()
            other = object()
        """,
            "pkg/models.py": """
            from pkg import db
            Model = db.Model

            class Base(Model):
                __abstract__ = True

            class User(Base):
                pass

            class Plain:
                pass
        """,
            "pkg/api.py": "from .models import User as Account\n",
        }
    )
    assert index.contexts.sqlalchemy == {"pkg.db", "pkg.ext.db", "pkg.models.db"}
    assert index.contexts.models == {
        "pkg.models.Base",
        "pkg.models.User",
        "pkg.api.Account",
    }


def test_a_rebound_name_is_not_an_instance():
    index = index_of(
        {
            "app.py": """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()
            db = None
        """
        }
    )
    assert index.contexts.sqlalchemy == frozenset()


def test_celery_tasks_and_plain_tasks():
    index = index_of(
        {
            "tasks.py": """
            from celery import Celery, shared_task

            celery = Celery("x")
            configured = Celery("y", task_cls="app:FlaskTask")

            @celery.task
            def a():
                pass

            @celery.task(base=object)
            def b():
                pass

            @configured.task()
            def c():
                pass

            @shared_task
            def d():
                pass

            @other.task
            def e():
                pass
        """
        }
    )
    assert index.contexts.tasks == {"tasks.a", "tasks.b", "tasks.c", "tasks.d"}
    assert index.contexts.plain_tasks == {"tasks.a"}
    assert index.contexts.background == {"tasks.py"}


def test_a_task_class_swapped_anywhere_makes_no_task_plain():
    index = index_of(
        {
            "tasks.py": """
            from celery import Celery

            celery = Celery("x")

            @celery.task
            def a():
                pass
        """,
            "factory.py": """
            def init_celery(celery, app):
                class ContextTask(celery.Task):
                    pass
                celery.Task = ContextTask
        """,
        }
    )
    assert index.contexts.tasks == {"tasks.a"}
    assert index.contexts.plain_tasks == frozenset()


def test_import_contexts():
    index = index_of(
        {
            "wsgi.py": "from shop import create_app\napp = create_app()\n",
            "shop/__init__.py": """
            from flask import Flask
            from . import top

            def create_app():
                app = Flask(__name__)
                from . import lazy_in_factory
                with app.app_context():
                    from . import in_app_context
                with app.test_request_context():
                    import shop.in_request_context
                return app

            def later():
                from . import lazy_elsewhere
        """,
            "shop/top.py": "",
            "shop/lazy_in_factory.py": "",
            "shop/in_app_context.py": "from . import below_app_context\n",
            "shop/below_app_context.py": "",
            "shop/in_request_context.py": "",
            "shop/lazy_elsewhere.py": "",
            "shop/never_imported.py": "",
            "shop/test_views.py": "",
            "shop/script.py": "if __name__ == '__main__':\n    pass\n",
            "pushed.py": """
            from shop import create_app
            app = create_app()
            app.app_context().push()
            import shop.after_push
        """,
            "shop/after_push.py": "",
        }
    )
    assert index.contexts.import_context == {
        "shop/in_app_context.py": APP,
        "shop/below_app_context.py": APP,
        "shop/in_request_context.py": REQUEST,
        "shop/lazy_elsewhere.py": UNKNOWN,
        "shop/never_imported.py": UNKNOWN,
        "shop/after_push.py": APP,
    }


def test_triage_flags_follow_module_functions():
    index = index_of(
        {
            "a.py": """
            from flask import current_app

            def helper():
                return current_app.name

            def setup():
                return helper()

            NAME = setup()
        """,
            "b.py": """
            from flask import current_app, request

            def view():
                return current_app.name, request.path

            handler = lambda: request.args
            ITEMS = (request.args[k] for k in "ab")
        """,
            "c.py": """
            from flask import session

            class Prefs:
                lang = session.get("lang")
        """,
        }
    )
    # `session.get` may be Flask-SQLAlchemy's `db.session` as far as the triage knows
    assert index.contexts.import_time_app == {"a.py", "c.py"}
    assert index.contexts.import_time_request == {"c.py"}


def test_facts_and_index_pickle():
    tree = ast.parse("from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n")
    facts = module_facts("m.py", "m", tree)
    assert pickle.loads(pickle.dumps(facts)).raw["context"].instances == {
        "db": ("flask_sqlalchemy.SQLAlchemy", ())
    }
    index = index_of({"m.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"})
    assert pickle.loads(pickle.dumps(index)).contexts == index.contexts


def test_an_import_site_names_every_module_it_may_load():
    assert list(site_modules("a", ())) == ["a"]
    assert list(site_modules("a.b.c", ())) == ["a", "a.b", "a.b.c"]
    assert list(site_modules("pkg.sub", ("models", "db"))) == [
        "pkg", "pkg.sub", "pkg.sub.models", "pkg.sub.db",
    ]  # fmt: skip
    source = "import a.b\nfrom .sub import x, y\ndef f():\n    from pkg.mod import *\n"
    facts = module_facts("pkg/m.py", "pkg.m", ast.parse(source)).raw["context"]
    assert facts.import_sites == [
        ("a.b", (), None, 0), ("pkg.sub", ("x", "y"), None, 0), ("pkg.mod", (), "f", 0),
    ]  # fmt: skip
