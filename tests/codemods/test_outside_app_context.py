"""FLK301 outside-app-context: what the generic example tests do not cover."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from import_time import error_at_import

from flask_fix import check_paths, fix_code
from flask_fix.codemods.outside_app_context import OutsideAppContext
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def findings(source: str, path: str = "app.py", index=None):
    result = fix_code(source, path=path, select=("FLK301",), index=index)
    assert result.source == source  # report only
    return [f for f in result.findings if f.code == "FLK301"]


def project_findings(sources: dict[str, str], path: str):
    sources = {p: code(t) for p, t in sources.items()}
    index = index_from_sources(sources)
    return findings(sources[path], path=path, index=index), index


def test_message_quotes_flask_and_names_the_fix():
    [finding] = findings("from flask import current_app\nX = current_app.config['X']\n")
    assert finding.fix_level is FixLevel.REPORT
    assert (finding.line, finding.column, finding.end_column) == (2, 5, 16)  # `current_app`
    assert finding.message == (
        "`current_app` is used at import time, outside any application context, where "
        'Flask raises "RuntimeError: Working outside of application context."; move it '
        "into a function that runs during a request or a CLI command, or inside "
        "`with app.app_context():`"
    )


def test_followed_calls_are_named_in_the_message():
    source = code("""
        from flask import g

        def remember():
            g.seen = True

        def boot():
            remember()

        boot()
    """)
    [finding] = findings(source)
    assert finding.line == 4
    assert "(in `remember()`, called at module level through `boot()` → `remember()`)" in (
        finding.message
    )


def test_a_function_called_inside_an_app_context_is_fine():
    source = code("""
        from flask import Flask, current_app

        app = Flask(__name__)

        def boot():
            current_app.logger.info("up")

        with app.app_context():
            boot()
    """)
    assert findings(source) == []


def test_recursion_and_mutual_calls_terminate():
    source = code("""
        from flask import current_app

        def a(n):
            return b(n - 1) if n else current_app.name

        def b(n):
            return a(n)

        NAME = a(3)
    """)
    [finding] = findings(source)
    assert finding.line == 4


def test_database_message():
    source = code("""
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy(app)
        db.session.commit()
    """)
    [finding] = findings(source)
    assert finding.message.startswith(
        "`db.session` is used at import time, outside any application context "
        "(Flask-SQLAlchemy binds sessions and queries to it)"
    )


# --- across modules --------------------------------------------------------------------

PACKAGE = {
    "shop/__init__.py": """
        from flask import Flask
        from .ext import db
        from . import views

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            with app.app_context():
                from . import admin
            return app
    """,
    "shop/ext.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
    """,
    "shop/models.py": """
        from .ext import db

        class Base(db.Model):
            __abstract__ = True

        class Product(Base):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "shop/views.py": """
        from .models import Product

        FEATURED = Product.query.limit(3).all()
    """,
    "shop/admin.py": """
        from flask import current_app
        from .models import Product

        PAGE_SIZE = current_app.config["ADMIN_PAGE_SIZE"]
        COUNT = Product.query.count()
    """,
    "shop/plugins/__init__.py": "",
    "shop/plugins/loaded_by_importlib.py": """
        from flask import current_app

        NAME = current_app.name
    """,
    "migrations/env.py": """
        from alembic import context
        from flask import current_app

        config = context.config
        config.set_main_option("sqlalchemy.url", current_app.config["SQLALCHEMY_DATABASE_URI"])
    """,
    "seed.py": """
        from shop.ext import db
        from shop.models import Product

        db.session.add(Product())
        db.session.commit()
    """,
}


def test_models_resolved_through_imports_and_an_abstract_base():
    found, _ = project_findings(PACKAGE, "shop/views.py")
    assert [(f.line, f.column) for f in found] == [(3, 12)]
    assert "`Product.query` is used at import time" in found[0].message


def test_a_script_using_the_session():
    found, _ = project_findings(PACKAGE, "seed.py")
    assert [f.line for f in found] == [4, 5]


@pytest.mark.parametrize(
    "path",
    [
        "shop/admin.py",  # imported inside `with app.app_context():` in the factory
        "shop/plugins/loaded_by_importlib.py",  # nobody imports it: loaded dynamically
        "migrations/env.py",  # Flask-Migrate runs it inside an app context
    ],
)
def test_modules_imported_inside_a_context_are_not_reported(path):
    found, index = project_findings(PACKAGE, path)
    assert found == []
    assert not OutsideAppContext.could_fire_in(path, index)


def test_a_module_imported_at_import_time_by_an_entry_point_is_reported():
    sources = {
        "wsgi.py": "from blog import app\n",
        "blog/__init__.py": "from flask import Flask\napp = Flask(__name__)\nfrom . import views\n",
        "blog/views.py": "from flask import current_app\nLIMIT = current_app.config['LIMIT']\n",
    }
    found, index = project_findings(sources, "blog/views.py")
    assert [f.line for f in found] == [2]
    assert OutsideAppContext.could_fire_in("blog/views.py", index)


def test_triage_skips_modules_without_import_time_uses():
    sources = {
        "app.py": code("""
            from flask import Flask, current_app, url_for

            app = Flask(__name__)

            @app.route("/")
            def index():
                return url_for("index", name=current_app.name)
        """)
    }
    index = index_from_sources(sources)
    assert not OutsideAppContext.could_fire_in("app.py", index)


# --- the examples against real Flask -------------------------------------------------------


@pytest.mark.parametrize("example", OutsideAppContext.invalid, ids=lambda e: e.before[:30])
def test_every_invalid_example_really_fails_at_import(example):
    assert error_at_import(example.before) == "RuntimeError: Working outside of application context."


@pytest.mark.parametrize("source", OutsideAppContext.valid, ids=lambda s: s[:30])
def test_every_valid_example_really_imports(source):
    assert error_at_import(source) in (None, "skipped")


# --- Flask-SQLAlchemy before 3.0 (the project's requirements) ----------------------------

BOUND_SCRIPT = code("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)


    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)


    db.session.add(User())
    print(User.query.count())
""")


def _with_fsa(source: str, version):
    index = dataclasses.replace(
        index_from_sources({"app.py": source}), flask_sqlalchemy_version=version
    )
    return findings(source, index=index)


def test_a_db_created_with_the_app_is_worded_for_flask_sqlalchemy_2():
    # Flask-SQLAlchemy 2 falls back to the app given to SQLAlchemy(app): the script works
    # there, so the finding must not claim it raises; it names what breaks it
    session, query = _with_fsa(BOUND_SCRIPT, (2, 5, 1))
    assert (session.line, query.line) == (12, 13)
    assert session.message == (
        "`db.session` is used at import time, outside any application context: "
        "Flask-SQLAlchemy before 3.0 (which the project's requirements allow) falls back to "
        "the app the `SQLAlchemy` object was created with, so this works there; from 3.0 on "
        'this raises "RuntimeError: Working outside of application context.", and so does '
        "any version once the object is created without the app and given it with "
        "`init_app` (FLK202); move it into a function that runs during a request or a CLI "
        "command, or inside `with app.app_context():`"
    )
    assert query.message.startswith(
        "`User.query` is used at import time, outside any "
        "application context: Flask-SQLAlchemy before 3.0"
    )


def test_a_db_given_its_app_with_init_app_quotes_flask_sqlalchemy_2s_error():
    source = BOUND_SCRIPT.replace("db = SQLAlchemy(app)", "db = SQLAlchemy()\ndb.init_app(app)")
    session, _ = _with_fsa(source, (2, 5))
    assert (
        "Flask-SQLAlchemy before 3.0 (which the project's requirements allow) raises "
        '"RuntimeError: No application found. Either work inside a view function or push an '
        'application context." here (from 3.0 on: "Working outside of application context.")'
    ) in session.message


@pytest.mark.parametrize("version", [None, (3, 0), (3, 1, 1)])
def test_flask_sqlalchemy_3_or_undeclared_keeps_the_plain_message(version):
    session, query = _with_fsa(BOUND_SCRIPT, version)
    assert "(Flask-SQLAlchemy binds sessions and queries to it), where Flask raises" in (
        session.message
    )
    assert "before 3.0" not in session.message + query.message


def test_the_command_line_reads_flask_sqlalchemy_from_the_requirements(tmp_path):
    (tmp_path / "app.py").write_text(BOUND_SCRIPT)
    (tmp_path / "requirements.txt").write_text("Flask>=2.2\nFlask-SQLAlchemy==2.5.1\n")
    command = [sys.executable, "-m", "flask_fix", "--check", "--select", "FLK301", "."]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, check=False, env=env)
    lines = result.stdout.decode().splitlines()
    assert [line.split(" ")[:2] for line in lines] == [
        ["app.py:12:1:", "FLK301"],
        ["app.py:13:7:", "FLK301"],
    ]
    assert all("Flask-SQLAlchemy before 3.0" in line for line in lines)
    # the pin is part of what a cached run depends on
    (tmp_path / "requirements.txt").write_text("Flask>=2.2\nFlask-SQLAlchemy>=3.1\n")
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, check=False, env=env)
    lines = again.stdout.decode().splitlines()
    assert len(lines) == 2
    assert not any("before 3.0" in line for line in lines)


# --- Flask-SQLAlchemy's engine: create_all() and friends --------------------------------

ENGINE_SCRIPT = code("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)

    db.create_all()
    db.drop_all()
    db.reflect()
    ENGINE = db.engine
    db.engines
    db.get_engine()
""")


def test_engine_uses_at_import_time():
    found = findings(ENGINE_SCRIPT)
    assert [(f.line, f.column, f.end_column) for f in found] == [
        (7, 1, 14),  # `db.create_all`
        (8, 1, 12),
        (9, 1, 11),
        (10, 10, 19),  # `db.engine`
        (11, 1, 11),
        (12, 1, 14),
    ]
    assert found[0].message == (
        "`db.create_all()` is called at import time, outside any application context "
        "(Flask-SQLAlchemy 3 finds the app's database engine through it), where Flask "
        'raises "RuntimeError: Working outside of application context."; move it into a '
        "function that runs during a request or a CLI command, or inside "
        "`with app.app_context():`"
    )
    assert found[3].message.startswith(
        "`db.engine` is used at import time, outside any application context "
        "(Flask-SQLAlchemy 3 finds"
    )


def test_engine_uses_that_need_no_context_or_are_not_flask_sqlalchemy():
    source = code("""
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy
        from sqlalchemy import MetaData, create_engine

        from mylib import database

        app = Flask(__name__)
        db = SQLAlchemy(app)
        engine = create_engine("sqlite://")
        metadata = MetaData()
        metadata.create_all(engine)  # SQLAlchemy's own
        db.metadata.create_all(engine)  # Flask-SQLAlchemy's metadata: no app needed
        database.create_all()  # not a Flask-SQLAlchemy object
        engine.dispose()
        db.create_all(app=app)  # Flask-SQLAlchemy 2: given its app
        db.create_all("__all__", app)
        db.get_engine(app)

        def init_db():
            db.create_all()  # runs later

        with app.app_context():
            db.create_all()
            ENGINE = db.engine
    """)
    assert findings(source) == []


def test_create_all_in_a_main_block_is_reported():
    # gabrielssilva/flasktasks' setup_db.py
    found, _ = project_findings(
        {
            "tasks/__init__.py": """
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)
            """,
            "setup_db.py": """
                from tasks import db

                if __name__ == '__main__':
                    db.create_all()
            """,
        },
        "setup_db.py",
    )
    assert [(f.line, f.column) for f in found] == [(4, 5)]
    assert found[0].message.startswith("`db.create_all()` is called at import time")


def test_create_all_is_worded_for_flask_sqlalchemy_2():
    source = ENGINE_SCRIPT.replace("db.drop_all()\ndb.reflect()\n", "").replace(
        "ENGINE = db.engine\ndb.engines\ndb.get_engine()\n", ""
    )
    [bound] = _with_fsa(source, (2, 5, 1))
    assert bound.message == (
        "`db.create_all()` is called at import time, outside any application context: "
        "Flask-SQLAlchemy before 3.0 (which the project's requirements allow) falls back to "
        "the app the `SQLAlchemy` object was created with, so this works there; from 3.0 on "
        'this raises "RuntimeError: Working outside of application context.", and so does '
        "any version once the object is created without the app and given it with "
        "`init_app` (FLK202); move it into a function that runs during a request or a CLI "
        "command, or inside `with app.app_context():`"
    )
    unbound_source = source.replace("db = SQLAlchemy(app)", "db = SQLAlchemy()\ndb.init_app(app)")
    [unbound] = _with_fsa(unbound_source, (2, 5, 1))
    assert (
        "Flask-SQLAlchemy before 3.0 (which the project's requirements allow) raises "
        '"RuntimeError: No application found. Either work inside a view function or push '
        'an application context." here'
    ) in unbound.message


def test_a_script_that_only_creates_the_tables_is_checked(tmp_path):
    # discover-flask's db_create.py: no `flask`, `.session` or `.query` in its text
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "__init__.py").write_text(
        code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)
        """)
    )
    (tmp_path / "db_create.py").write_text("from blog import db\n\ndb.create_all()\n")
    report = check_paths([str(tmp_path)], select=("FLK301",), ignore=(), unsafe=None, config=None)
    assert [(Path(f.path).name, f.line, f.column) for f in report.findings] == [
        ("db_create.py", 3, 1)
    ]


def test_triage_keeps_a_module_whose_only_import_time_use_is_create_all():
    index = index_from_sources(
        {"app.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\ndb.create_all()\n"}
    )
    assert OutsideAppContext.could_fire_in("app.py", index)
