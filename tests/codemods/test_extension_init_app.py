"""FLK202 extension-init-app: what the generic example tests do not cover."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst
import pytest

from flask_fix import fix_code
from flask_fix.codemods.extension_init_app import ExtensionInitApp
from flask_fix.rewrite.extensions import AppKind, find_extension_inits
from flask_fix.index.extensionfacts import scan_module
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(sources: dict[str, str], path: str, *, unsafe: bool = False):
    sources = {name: code(text) for name, text in sources.items()}
    index = index_from_sources(sources)
    return fix_code(sources[path], path=path, select=("FLK202",), index=index, unsafe=unsafe)


SINGLE = code("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)
""")


def test_message_level_and_position():
    result = fix_code(SINGLE, select=("FLK202",))
    (finding,) = result.findings
    assert (finding.line, finding.column, finding.end_column) == (5, 6, 21)
    assert finding.fix_level is FixLevel.SAFE
    assert finding.message == (
        "`SQLAlchemy` is given the app `app` in its constructor, which binds it to that one "
        "app: create it without the app and call `db.init_app(app)`, the same setup in the "
        "form an application factory can call"
    )
    assert result.source.endswith("db = SQLAlchemy()\ndb.init_app(app)\n")


def test_app_imported_from_the_module_that_creates_it():
    result = run(
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "models.py": """
                from flask_sqlalchemy import SQLAlchemy
                from app import app
                db = SQLAlchemy(app)
            """,
        },
        "models.py",
    )
    assert result.source.endswith("db = SQLAlchemy()\ndb.init_app(app)\n")


def test_relative_import_of_the_app_in_a_package():
    result = run(
        {
            "shop/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
            "shop/models.py": """
                from flask_login import LoginManager
                from . import app as application
                login = LoginManager(application, add_context_processor=False)
            """,
        },
        "shop/models.py",
    )
    assert result.source.endswith(
        "login = LoginManager()\nlogin.init_app(application, add_context_processor=False)\n"
    )


def test_app_from_a_reexported_factory():
    result = run(
        {
            "shop/__init__.py": "from .factory import create_app\n",
            "shop/factory.py": """
                from flask import Flask

                def create_app():
                    app = Flask(__name__)
                    return app
            """,
            "shop/models.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
            "manage.py": """
                from flask_migrate import Migrate
                from shop import create_app
                from shop.models import db

                app = create_app()
                migrate = Migrate(app, db)
            """,
        },
        "manage.py",
    )
    assert result.source.endswith("migrate = Migrate()\nmigrate.init_app(app, db)\n")


def test_a_name_imported_from_outside_the_project_is_not_an_app():
    result = run(
        {
            "models.py": """
                from flask_sqlalchemy import SQLAlchemy
                from somewhere_else import app
                db = SQLAlchemy(app)
            """,
        },
        "models.py",
    )
    assert result.findings == []


TRACKER = """
    class Tracker:
        def __init__(self, app=None):
            self.events = []
            if app:
                self.init_app(app)

        def init_app(self, app):
            app.extensions["tracker"] = self
"""
KEEPER = """
    class Keeper:
        def __init__(self, app=None):
            self.app = app
            if app is not None:
                self.init_app(app)

        def init_app(self, app):
            app.extensions["keeper"] = self
"""


def test_project_extension_class_from_another_module():
    sources = {
        "shop/__init__.py": "from .tracking import Tracker, Keeper\n",
        "shop/tracking.py": TRACKER + KEEPER,
        "shop/app.py": """
            from flask import Flask
            from shop import Tracker
            from .tracking import Keeper

            app = Flask(__name__)
            tracker = Tracker(app)
            keeper = Keeper(app)
        """,
    }
    result = run(sources, "shop/app.py")
    assert "tracker = Tracker()\ntracker.init_app(app)\n" in result.source
    assert "keeper = Keeper(app)\n" in result.source
    keeper = [f for f in result.findings if f.line == 7]
    assert keeper[0].fix_level is FixLevel.REPORT
    assert "`Keeper.__init__` does more with the app" in keeper[0].message


def test_statements_sharing_a_line_and_a_suite():
    source = code("""
        from flask import Flask
        from flask_cors import CORS
        from flask_bcrypt import Bcrypt

        app = Flask(__name__)
        cors = CORS(app, origins="*"); ready = True
        if ready: bcrypt = Bcrypt(app)
    """)
    result = fix_code(source, select=("FLK202",))
    assert result.source.endswith(
        'cors = CORS(origins="*"); cors.init_app(app); ready = True\n'
        "if ready: bcrypt = Bcrypt(); bcrypt.init_app(app)\n"
    )
    again = fix_code(result.source, select=("FLK202",))
    assert again.findings == []


def test_multiline_constructor_keeps_its_layout():
    source = code("""
        from flask import Flask
        from flask_caching import Cache

        app = Flask(__name__)
        cache = Cache(
            app,
            config={"CACHE_TYPE": "SimpleCache"},
        )
    """)
    result = fix_code(source, select=("FLK202",))
    assert result.source.endswith(
        'cache = Cache(\n    config={"CACHE_TYPE": "SimpleCache"},\n)\ncache.init_app(app)\n'
    )


@pytest.mark.parametrize(
    ("tail", "level"),
    [
        # Flask-SQLAlchemy 2.x only: the remembered app serves outside a context, and
        # `python app.py` would raise after the split (issue 13): report only
        ('if __name__ == "__main__":\n    db.create_all()\n', FixLevel.REPORT),
        ("engine = db.engine\n", FixLevel.REPORT),
        ("db.session.add(object())\n", FixLevel.REPORT),
        # inside an app context, in a function, or the session object only handed on
        ('if __name__ == "__main__":\n    with app.app_context():\n        db.create_all()\n',
         FixLevel.SAFE),
        ("def reset():\n    db.drop_all()\n", FixLevel.SAFE),
        ("session = db.session\n", FixLevel.SAFE),
        ("class User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
         FixLevel.SAFE),
    ],
)  # fmt: skip
def test_sqlalchemy_used_outside_an_app_context_is_not_split_where_2x_may_run(tail, level):
    result = fix_code(SINGLE + tail, select=("FLK202",), unsafe=True)
    (finding,) = result.findings
    assert finding.fix_level is level
    if level is FixLevel.REPORT:
        assert "before 3.0" in finding.message
        assert "does not say which it runs on" in finding.message
        assert result.source == SINGLE + tail
        # the project requires 3.0: such a use fails before the split as after it
        index = index_from_sources({"app.py": SINGLE + tail})
        index.flask_sqlalchemy_version = (3, 0)
        fixed = fix_code(SINGLE + tail, path="app.py", select=("FLK202",), index=index)
        assert fixed.findings[0].fix_level is FixLevel.SAFE
        assert "db.init_app(app)" in fixed.source
        # 2.x allowed: report only, whatever the level
        index.flask_sqlalchemy_version = (2, 4)
        kept = fix_code(SINGLE + tail, path="app.py", select=("FLK202",), index=index, unsafe=True)
        assert kept.source == SINGLE + tail and "(the project allows it)" in kept.findings[0].message


def test_a_function_the_main_block_calls_counts_as_run_there():
    tail = 'def init_db():\n    db.create_all()\n\n\nif __name__ == "__main__":\n    init_db()\n'
    index = index_from_sources({"app.py": SINGLE + tail})
    index.flask_sqlalchemy_version = (2, 4)
    from flask_fix.rewrite import legacy_db

    index.database_fallback_uses = tuple(legacy_db.fallback_uses(index))
    assert [(u[0], u[2]) for u in index.database_fallback_uses] == [("app.py", "db.create_all")]
    result = fix_code(SINGLE + tail, path="app.py", select=("FLK202",), index=index, unsafe=True)
    assert result.source == SINGLE + tail
    assert result.findings[0].fix_level is FixLevel.REPORT
    # called inside a context: no use
    inside = tail.replace("    init_db()", "    with app.app_context():\n        init_db()")
    index = index_from_sources({"app.py": SINGLE + inside})
    assert legacy_db.fallback_uses(index) == []


def test_an_extension_keeping_the_app_as_an_attribute_is_reported_when_it_is_read():
    source = code("""
        from flask import Flask
        from flask_limiter import Limiter

        app = Flask(__name__)
        limiter = Limiter(key_func=str, app=app)
        owner = limiter.app
    """)
    result = fix_code(source, select=("FLK202",))
    (finding,) = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "`limiter.app` is read in this module" in finding.message
    assert result.source == source


def test_positional_limiter_app_with_key_func_keyword():
    source = code("""
        from flask import Flask
        from flask_limiter import Limiter

        app = Flask(__name__)
        limiter = Limiter(app, key_func=str)
    """)
    result = fix_code(source, select=("FLK202",))
    assert result.source.endswith("limiter = Limiter(key_func=str)\nlimiter.init_app(app)\n")


def test_local_extension_on_a_local_app_is_left_alone():
    source = code("""
        from flask import Flask
        from flask_admin import Admin
        from flask_sqlalchemy import SQLAlchemy

        def test_views():
            app = Flask(__name__)
            db = SQLAlchemy(app)
            admin = Admin(app)
            return db, admin
    """)
    assert fix_code(source, select=("FLK202",)).findings == []


def test_flask_ext_imports_are_the_extension_packages():
    source = code("""
        from flask import Flask
        from flask.ext.bcrypt import Bcrypt

        app = Flask(__name__)
        bcrypt = Bcrypt(app)
    """)
    result = fix_code(source, select=("FLK202",))
    assert result.source.endswith("bcrypt = Bcrypt()\nbcrypt.init_app(app)\n")


def test_find_extension_inits_gives_the_split_for_transforms():
    index = index_from_sources({"app.py": SINGLE})
    wrapper = cst.MetadataWrapper(cst.parse_module(SINGLE))
    (found,) = find_extension_inits(wrapper, index, "app.py")
    empty = cst.Module(body=[])
    assert found.extension == "flask_sqlalchemy.SQLAlchemy"
    assert found.target == "db" and found.import_time
    assert (found.app.kind, found.app.name) == (AppKind.CREATED, "app")
    assert empty.code_for_node(found.constructor) == "SQLAlchemy()"
    assert empty.code_for_node(found.init_app) == "db.init_app(app)"
    assert found.level is FixLevel.SAFE
    # the replacement nodes belong to the wrapper's module
    statement = wrapper.module.body[3]
    assert statement in found.replacements


def test_triage_skips_modules_constructing_no_extension():
    index = index_from_sources({"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert not ExtensionInitApp.could_fire_in("app.py", index)
    index = index_from_sources({"app.py": SINGLE})
    assert ExtensionInitApp.could_fire_in("app.py", index)


@pytest.mark.parametrize(
    ("body", "delegates"),
    [
        ("def __init__(self, app=None):\n    if app is not None:\n        self.init_app(app)\n",
         True),
        ("def __init__(self, app=None):\n    self.x = 1\n    if app:\n        self.init_app(app)\n",
         True),
        # keeps the app, takes more, does something after, or hands on something else
        ("def __init__(self, app=None):\n    self.app = app\n"
         "    if app:\n        self.init_app(app)\n", False),
        ("def __init__(self, app=None, x=1):\n    if app:\n        self.init_app(app)\n", False),
        ("def __init__(self, app=None):\n    if app:\n        self.init_app(app)\n    self.x = 1\n",
         False),
        ("def __init__(self, app=None):\n    if app:\n        self.init_app(app, 2)\n", False),
        ("def __init__(self, app):\n    self.init_app(app)\n", False),
        ("pass\n", False),  # no __init__ of its own: an inherited one may do anything
    ],
)  # fmt: skip
def test_project_classes_that_only_hand_the_app_to_init_app(body, delegates):
    source = "class Ext:\n" + "".join(
        f"    {line}\n" for line in (body + "def init_app(self, app):\n    pass").splitlines()
    )
    (found,) = scan_module("ext.py", ast.parse(source), None).init_app_classes
    assert found.delegates is delegates


def test_split_behaves_like_the_constructor_with_flask_sqlalchemy():
    """Run the module before and after the rewrite with the real Flask-SQLAlchemy: the same
    extension registered, the same configuration read, the same database in a context."""
    source = code("""
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"echo_pool": False}
        db = SQLAlchemy(app, session_options={"autoflush": False})
        app.config["SQLALCHEMY_ECHO"] = True  # set after: read by neither

        class Item(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """)
    fixed = fix_code(source, select=("FLK202",)).source
    assert 'db = SQLAlchemy(session_options={"autoflush": False})\ndb.init_app(app)\n' in fixed

    def observe(text: str) -> dict:
        namespace: dict = {"__name__": "shop_under_test"}
        exec(compile(text, "<shop>", "exec"), namespace)  # noqa: S102 - our own sample
        app, db = namespace["app"], namespace["db"]
        with app.app_context():
            db.create_all()
            db.session.add(namespace["Item"]())
            db.session.commit()
            return {
                "extension": app.extensions["sqlalchemy"] is db,
                "url": str(db.engine.url),
                "echo": db.engine.echo,
                "autoflush": db.session().autoflush,
                "items": db.session.query(namespace["Item"]).count(),
                "teardown": len(app.teardown_appcontext_funcs),
                "shell": len(app.shell_context_processors),
            }

    assert observe(fixed) == observe(source)


_LOST_FALLBACK = (
    "before 3.0 the constructor also keeps the app and falls back on it outside an "
    "application context, so `db` used there works only thanks to it, and after the split "
    'raises "RuntimeError: No application found. Either work inside a view function or push '
    'an application context."'
)
_SPLIT = "db = SQLAlchemy()\ndb.init_app(app)\n"
_USED = ", and `Task.query` runs outside an application context (tests/test_tasks.py:4 and 1 more): "
_USE_IT_IN_A_CONTEXT = (
    "; use it inside `with app.app_context():` (or require Flask-SQLAlchemy>=3.0), then split"
)
_UNSEEN = (
    " (a script's `db.create_all()`, a test querying models without `with "
    "app.app_context():`, a shell)"
)
_USES = (("tests/test_tasks.py", 4, "Task.query", "app.py"), ("db_create.py", 2, "db.create_all", "app.py"))


@pytest.mark.parametrize(
    ("version", "uses", "level", "because"),
    [
        ((3, 0), _USES, FixLevel.SAFE, None),  # 3.x never falls back: the split is exact
        # code of the project uses it outside a context: it would break, report only
        ((2, 5, 1), _USES, FixLevel.REPORT, "the project's requirements allow Flask-SQLAlchemy 2.5.1" + _USED),
        (
            None,
            _USES,
            FixLevel.REPORT,
            "the project does not declare which Flask-SQLAlchemy it runs on" + _USED,
        ),
        # none seen, but a shell or code run by hand may: unsafe
        ((2, 5, 1), (), FixLevel.UNSAFE, "the project's requirements allow Flask-SQLAlchemy 2.5.1: "),
        ((0,), None, FixLevel.UNSAFE, "the project's requirements allow Flask-SQLAlchemy before 3.0: "),
        (None, (), FixLevel.SAFE, None),  # undeclared, none seen: a current release
    ],
)
def test_flask_sqlalchemy_before_3_keeps_the_app_as_a_fallback(version, uses, level, because):
    index = index_from_sources({"app.py": SINGLE})
    index.flask_sqlalchemy_version = version
    index.database_fallback_uses = uses
    result = fix_code(SINGLE, path="app.py", select=("FLK202",), index=index)
    unsafe = fix_code(SINGLE, path="app.py", select=("FLK202",), index=index, unsafe=True)
    (finding,) = result.findings
    assert finding.fix_level is level
    if level is FixLevel.SAFE:
        assert result.source.endswith(_SPLIT)
    elif level is FixLevel.UNSAFE:
        assert finding.message.endswith(f"(unsafe: {because}{_LOST_FALLBACK}{_UNSEEN})")
        assert (result.source, unsafe.source) == (SINGLE, SINGLE.replace("db = SQLAlchemy(app)\n", _SPLIT))
    else:
        assert finding.message.endswith(f"not rewritten: {because}{_LOST_FALLBACK}{_USE_IT_IN_A_CONTEXT}")
        assert (result.source, unsafe.source) == (SINGLE, SINGLE)


_SHOP_APP = code("""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)

    class Task(db.Model):
        id = db.Column(db.Integer, primary_key=True)
""")


@pytest.mark.parametrize(
    ("requirements", "test", "level"),
    [
        (None, "from app import Task\n\ndef test_none():\n    assert Task.query.all() == []\n", FixLevel.REPORT),
        (
            None,
            (
                "from app import app, Task\n\ndef test_none():\n    with app.app_context():\n"
                "        assert Task.query.all() == []\n"
            ),
            FixLevel.SAFE,
        ),
        (
            "Flask-SQLAlchemy==2.5.1\n",
            (
                "from app import app, Task\n\ndef test_none():\n    with app.app_context():\n"
                "        assert Task.query.all() == []\n"
            ),
            FixLevel.UNSAFE,
        ),
        ("Flask-SQLAlchemy>=3.1\n", "from app import Task\n\ndef test_none():\n    assert Task.query.all() == []\n", FixLevel.SAFE),
    ],
)
def test_the_runner_looks_for_uses_outside_an_app_context(tmp_path, requirements, test, level):
    from flask_fix.run.runner import Mode, Settings
    from flask_fix.run.start import run as run_files

    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text(_SHOP_APP)
    (tmp_path / "test_app.py").write_text(test)
    if requirements:
        (tmp_path / "requirements.txt").write_text(requirements)
    files = [str(tmp_path / "app.py"), str(tmp_path / "test_app.py")]
    results = list(run_files(files, Settings(jobs=1, select=("FLK202",), mode=Mode.CHECK)))
    [finding] = [f for r in results for f in r.findings]
    assert finding.fix_level is level
    if level is FixLevel.REPORT:
        assert f"`Task.query` runs outside an application context ({tmp_path / 'test_app.py'}:4)" in finding.message


def test_uses_in_another_apps_folder_do_not_count():
    """An examples folder holds several apps, each with its own `db`: only uses of a
    database (or model) defined beside this module count."""
    index = index_from_sources({"examples/auth/app.py": SINGLE, "examples/sqla/app.py": SINGLE})
    index.flask_sqlalchemy_version = (2, 5, 1)
    index.database_fallback_uses = (("examples/sqla/db_create.py", 2, "db.create_all", "examples/sqla/app.py"),)
    [other] = fix_code(SINGLE, path="examples/auth/app.py", select=("FLK202",), index=index).findings
    [own] = fix_code(SINGLE, path="examples/sqla/app.py", select=("FLK202",), index=index).findings
    assert (other.fix_level, own.fix_level) == (FixLevel.UNSAFE, FixLevel.REPORT)
    assert "`db.create_all` runs outside an application context (examples/sqla/db_create.py:2)" in own.message
