"""FLK301 outside-app-context."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Rule
from ..rewrite.contexts import (
    APP,
    APP_CONTEXT_ERROR,
    ENGINE_METHODS,
    NONE,
    ContextWalker,
    Use,
    legacy_database_outcome,
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


def where(use: Use) -> str:
    """' at import time' or ' at import time (in `helper()`, called ...)'."""
    if not use.via:
        return "at import time"
    if len(use.via) == 1:
        return f"at import time (in `{use.via[0]}()`, called at module level)"
    chain = " → ".join(f"`{name}()`" for name in use.via)
    return f"at import time (in `{use.via[-1]}()`, called at module level through {chain})"


class OutsideAppContext(Rule):
    """
    What it does:
        Finds code run at import time that needs an application context: `current_app`
        and `g` used (an attribute read or set, an item), `url_for(...)`,
        `render_template(...)`, `render_template_string(...)`, `stream_template(...)`,
        `stream_template_string(...)` and `jsonify(...)` called, and Flask-SQLAlchemy's
        `db.session` used, `Model.query` read, `db.create_all()`, `db.drop_all()`,
        `db.reflect()` or `db.get_engine()` called, or `db.engine` read. Import time
        means module level, class bodies, decorators and their arguments, default
        argument values, and the bodies of this module's functions called (or applied
        as decorators) from there, followed call by call.

    Why is this bad?:
        These names only work while an application context is pushed: during a request,
        a CLI command, or inside `with app.app_context():`. Importing the module raises
        "RuntimeError: Working outside of application context." Flask-SQLAlchemy 3 binds
        its session and queries to the app context too, and finds the app's engine
        (for `create_all()` and the rest) through it.

    Example:
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db = SQLAlchemy(app)
        ADMINS = User.query.filter_by(admin=True).all()
        UPLOADS = current_app.config["UPLOAD_FOLDER"]

    Use instead:
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db = SQLAlchemy(app)
        with app.app_context():
            ADMINS = User.query.filter_by(admin=True).all()

        def uploads():
            return current_app.config["UPLOAD_FOLDER"]

    Fix safety:
        Report only: where the code belongs (a function, a CLI command, a
        `with app.app_context():` block) is a design decision. Not reported: code inside
        `with app.app_context():` (app names), `with app.test_request_context():`,
        `with app.request_context(...)` or `with app.test_client():` (all names); code
        after `app.app_context().push()` (or `ctx.push()` of a context made earlier);
        code guarded by `if has_app_context():` or `if current_app:` (a proxy is false
        outside its context); code in a `try` whose handler catches RuntimeError (or
        Exception, or everything), or inside `with contextlib.suppress(RuntimeError)`.
        A bare reference does not count (`x = current_app`, `jinja_env.globals["url_for"]
        = url_for`): only a use raises. `db` must be a Flask-SQLAlchemy object created
        in the project (resolved through imports and re-exports) and `Model` a class
        deriving from its `db.Model`; for `db.session` the scoped session's own
        `query_property()`, `registry` and `session_factory` need no context, and
        `db.create_all(app=app)` (an app given, as Flask-SQLAlchemy before 3.0 allowed)
        needs none there; 3.0 removed the argument, a TypeError this rule leaves alone.
        Choices where the catalogue is silent: an `if __name__ == "__main__":` block
        counts (run as a script it is outside any context too); only calls of this
        module's own module-level functions are followed (not methods, not other
        modules, at most 8 calls deep); a generator expression's body and a lambda's
        body run later and do not count; annotations do not count. When the project's
        requirements allow Flask-SQLAlchemy older than 3.0, a `db` created with the app
        (`SQLAlchemy(app)`) falls back to that app outside a context: its uses are still
        reported (they break on 3.0, or once FLK202 splits the constructor), saying so
        rather than claiming an error; one given its app with `init_app` quotes that
        version's "No application found" error.
    """

    code = "FLK301"
    name = "outside-app-context"
    fix_level = FixLevel.REPORT
    summary = "Use `current_app`, `g`, `url_for` and `db.session` inside an app context."
    # a module using `db` without importing flask: its session, queries and engine
    triggers = (b"flask", b".session", b".query", b".create_all", b".drop_all", b".reflect",
                b"engine")  # fmt: skip
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        contexts = index.contexts
        return path in contexts.import_time_app and contexts.import_context.get(path, 0) < APP

    valid = (
        # inside a view: runs during a request
        _code("""
            from flask import Flask, current_app, url_for

            app = Flask(__name__)

            @app.route("/")
            def index():
                return url_for("index", v=current_app.config["VERSION"])
        """),
        # module-level code inside an app context
        _code("""
            from flask import Flask, current_app
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            db = SQLAlchemy(app)

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            with app.app_context():
                db.create_all()
                db.session.add(User())
                db.session.commit()
                NAME = current_app.name
        """),
        # a context pushed for good, and one made first then pushed
        _code("""
            from flask import Flask, g
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            db = SQLAlchemy(app)
            app.app_context().push()
            db.session.execute(db.text("select 1"))
            ctx = app.app_context()
            ctx.push()
            g.ready = True
        """),
        # a local named like Flask's proxy, and a module-level class with `query`
        _code("""
            from myapp import make_app

            current_app = make_app()
            current_app.config["DEBUG"] = False

            class User:
                query = None

            users = User.query
        """),
        # only referenced, never used: a proxy or a function is not evaluated
        _code("""
            from flask import Flask, current_app, request, url_for

            app = Flask(__name__)
            app.jinja_env.globals["url_for"] = url_for
            helpers = {"app": current_app, "request": request}
        """),
        # a helper defined at module level but never called there; lambdas run later
        _code("""
            from flask import Flask, current_app, render_template

            app = Flask(__name__)

            def uploads():
                return current_app.config["UPLOADS"]

            page = lambda: render_template("page.html")
            defaults = {"folder": lambda: current_app.config["UPLOADS"]}
        """),
        # guarded: the program checks for a context, or handles the error
        _code("""
            from flask import current_app, has_app_context

            if has_app_context():
                LEVEL = current_app.config["LOG_LEVEL"]
            if current_app:
                NAME = current_app.name
            try:
                DEBUG = current_app.debug
            except RuntimeError:
                DEBUG = False
        """),
        # `db` is not Flask-SQLAlchemy: another library's session
        _code("""
            from mylib.database import db

            db.session.add(object())
            db.session.commit()
        """),
        # the scoped session handed over, not used (Flask-Admin's ModelView takes it)
        _code("""
            from flask import Flask
            from flask_admin import Admin
            from flask_admin.contrib.sqla import ModelView
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            db = SQLAlchemy(app)

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            admin = Admin(app)
            admin.add_view(ModelView(User, db.session))
        """),
        # the scoped session's own query_property() needs no context
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            db = SQLAlchemy(app)

            class Legacy:
                query = db.session.query_property()
        """),
        # `url_for` rebound to the module's own function
        _code("""
            from flask import url_for

            def url_for(name):
                return "/" + name

            HOME = url_for("home")
        """),
    )
    invalid = (
        # current_app and g at module level
        Example(
            _code("""
                from flask import current_app, g

                UPLOADS = current_app.config["UPLOAD_FOLDER"]
                g.user = None
            """)
        ),
        # url_for in a class body, jsonify in a default value, through `import flask`
        Example(
            _code("""
                import flask

                class Links:
                    home = flask.url_for("index")

                def api(payload=flask.jsonify(ok=True)):
                    return payload
            """)
        ),
        # render_template in a decorator argument
        Example(
            _code("""
                from flask import Flask, render_template

                app = Flask(__name__)

                @app.errorhandler(404)
                @app.route("/", defaults={"body": render_template("home.html")})
                def home(body):
                    return body
            """)
        ),
        # Flask-SQLAlchemy session and model queries at module level
        Example(
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                db = SQLAlchemy(app)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                ADMINS = User.query.filter_by(id=1).all()
                db.session.add(User())
            """)
        ),
        # a module function called at import time, and one it calls in turn
        Example(
            _code("""
                from flask import current_app

                def settings():
                    return current_app.config

                def configure():
                    return settings()["NAME"]

                NAME = configure()
            """)
        ),
        # the `__main__` block runs outside any context too
        Example(
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                db = SQLAlchemy(app)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                if __name__ == "__main__":
                    print(User.query.count())
                    app.run()
            """)
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        walker = ContextWalker(self, follow=True)
        contexts = self.context.index.contexts
        walker.statements(node.body, contexts.import_context.get(self.context.path, NONE))
        for use in walker.uses:
            if use.needs == APP and use.outside:
                self.report(use.node, message(use))


def message(use: Use) -> str:
    if _is_call(use):
        what = f"`{use.name}()` is called {where(use)}, outside any application context"
    else:
        what = f"`{use.name}` is used {where(use)}, outside any application context"
    legacy = legacy_database_outcome(use) if use.kind in ("database", "engine") else None
    if legacy is not None:
        return (
            f"{what}: {legacy}; move it into a function that runs during a request or a "
            "CLI command, or inside `with app.app_context():`"
        )
    if use.kind == "database":
        what += " (Flask-SQLAlchemy binds sessions and queries to it)"
    elif use.kind == "engine":
        what += " (Flask-SQLAlchemy 3 finds the app's database engine through it)"
    return (
        f'{what}, where Flask raises "RuntimeError: {APP_CONTEXT_ERROR}"; move it into a '
        "function that runs during a request or a CLI command, or inside "
        "`with app.app_context():`"
    )


def _is_call(use: Use) -> bool:
    """`url_for(...)`, `db.create_all()`: reported as called (the rest as used)."""
    if use.kind == "engine":
        return isinstance(use.node, cst.Attribute) and use.node.attr.value in ENGINE_METHODS
    return use.kind == "function"
