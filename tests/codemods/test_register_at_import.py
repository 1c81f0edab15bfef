"""FLK204 register-at-import: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

from flask_fix import fix_code
from flask_fix.codemods.register_at_import import RegisterAtImport
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def findings(sources: dict[str, str], path: str):
    sources = {name: code(text) for name, text in sources.items()}
    index = index_from_sources(sources)
    result = fix_code(sources[path], path=path, select=("FLK204",), index=index)
    assert result.source == sources[path]  # report only
    return result.findings


GLOBAL_APP = {
    "shop/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy()
        db.init_app(app)
    """,
    "shop/admin.py": """
        from flask import Blueprint
        from shop import app, db

        admin = Blueprint("admin", __name__)
        app.register_blueprint(admin, url_prefix="/admin")
    """,
}


def test_registration_on_an_app_imported_from_another_module():
    (finding,) = findings(GLOBAL_APP, "shop/admin.py")
    assert (finding.line, finding.column) == (5, 1)
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message == (
        "`app.register_blueprint(...)` runs when this module is imported, on the app object "
        "imported from `shop`: the setup depends on this import and applies to that one app; "
        "do it where the app is built, inside the application factory (`create_app()`)"
    )


def test_the_module_creating_its_global_app_without_a_factory_is_flk201s_business():
    assert findings(GLOBAL_APP, "shop/__init__.py") == []


FACTORY_PROJECT = {
    "shop/__init__.py": "from .factory import create_app\n",
    "shop/factory.py": """
        from flask import Flask
        from .extensions import db

        def create_app(config=None):
            app = Flask(__name__)
            db.init_app(app)
            return app
    """,
    "shop/extensions.py": """
        from flask_sqlalchemy import SQLAlchemy
        from flask_login import LoginManager

        db = SQLAlchemy()
        login = LoginManager()
    """,
    "wsgi.py": """
        from flask_migrate import Migrate
        from shop import create_app
        from shop.extensions import db, login

        app = create_app()
        login.init_app(app)
        migrate = Migrate(app, db)
    """,
}


def test_setup_outside_the_factory_on_the_app_it_built():
    found = findings(FACTORY_PROJECT, "wsgi.py")
    assert [(f.line, f.message.split(" runs")[0]) for f in found] == [
        (6, "`login.init_app(app)`"),
        (7, "`Migrate(app)`"),
    ]
    assert "the other apps the factory builds (tests, the CLI, workers) lack it" in (
        found[0].message
    )
    assert findings(FACTORY_PROJECT, "shop/factory.py") == []


def test_a_script_serving_the_app_is_a_program_not_an_import():
    sources = dict(FACTORY_PROJECT)
    sources["serve.py"] = """
        from shop import create_app
        from shop.extensions import login

        app = create_app()
        login.init_app(app)
        app.run(debug=True)
    """
    assert findings(sources, "serve.py") == []


def test_global_app_beside_a_factory_of_the_same_package():
    sources = dict(FACTORY_PROJECT)
    sources["shop/legacy.py"] = """
        from flask import Flask
        from .extensions import login

        app = Flask(__name__)
        login.init_app(app)
    """
    (finding,) = findings(sources, "shop/legacy.py")
    assert "while the project builds its apps with `create_app()`" in finding.message


def test_scripts_of_the_same_name_in_other_folders_are_other_programs():
    sources = {
        "one/app.py": """
            from flask import Flask

            def create_app():
                app = Flask(__name__)
                return app
        """,
        "two/app.py": """
            from flask import Blueprint, Flask

            app = Flask(__name__)
            bp = Blueprint("bp", __name__)
            app.register_blueprint(bp)
        """,
    }
    assert findings(sources, "two/app.py") == []


def test_triage_needs_import_time_setup():
    index = index_from_sources({"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert not RegisterAtImport.could_fire_in("app.py", index)
    sources = {name: code(text) for name, text in GLOBAL_APP.items()}
    index = index_from_sources(sources)
    assert RegisterAtImport.could_fire_in("shop/admin.py", index)
