"""FLK202 extension-init-app."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Fix, Rule
from ..rewrite.extensions import ExtensionTracking


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class ExtensionInitApp(ExtensionTracking, Rule):
    """
    What it does:
        Finds Flask extensions constructed with the app object, `db = SQLAlchemy(app)`,
        and splits them into `db = SQLAlchemy()` followed, on the next line, by
        `db.init_app(app)`. The argument must be an app object of the project: created by
        `Flask(...)` in the module, imported from the module that creates it, or returned
        by the project's factory (`app = create_app()`).

    Why is this bad?:
        An extension given the app in its constructor is bound to that one app object, so
        the app must exist when the module defining the extension is imported: models and
        views then import the app module, and the project cannot build its apps in an
        application factory (one app per test, per configuration). `ext.init_app(app)` is
        Flask's documented extension pattern: the extension object is created once, with
        no app, and initialised on each app the factory builds.

    Example:
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db = SQLAlchemy(app)
        migrate = Migrate(app, db)

    Use instead:
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db = SQLAlchemy()
        db.init_app(app)
        migrate = Migrate()
        migrate.init_app(app, db)

    Fix safety:
        Safe: `init_app` runs at the same point of setup, so the configuration set before
        it is read exactly as before (Flask-SQLAlchemy reads its database URI there). The
        rewrite is made only for extensions whose constructor flask-fix has read (the
        versions are named in `flask_fix/rewrite/extensions.py`): SQLAlchemy, Migrate,
        LoginManager, Mail, CSRFProtect, CORS, Bcrypt, Moment, Babel, Cache, Limiter,
        Marshmallow, JWTManager, Bootstrap, DebugToolbarExtension, Session, Principal,
        SeaSurf, Talisman, SocketIO, PyMongo, FlaskRedis and RQ, and for classes of the
        project whose `__init__(self, app=None)` ends with `if app is not None:
        self.init_app(app)` and uses the app nowhere else. Options go where each
        extension's constructor sent them: `Migrate(app, db, directory=d)` becomes
        `Migrate(directory=d)` and `migrate.init_app(app, db)`; `LoginManager(app,
        add_context_processor=False)` passes the flag to `init_app`; a positional option,
        `*args`/`**kwargs`, or an option that versions disagree on (Flask-Babel's
        `default_locale`) is only reported. `Migrate(app)` without `db` never initialises
        anything, so it is left alone; Flask-Limiter's app is recognised when passed as
        `app=` (or first, with `key_func=`), since 3.0 takes `key_func` first.
        A bare statement `CSRFProtect(app)` becomes `CSRFProtect().init_app(app)`.
        Unsafe: `Mail(app)` (the constructor also keeps the app and the mail state:
        afterwards `mail.send()` needs an application context). Report only: `db =
        SQLAlchemy(app)` when the module uses `db.session`, `db.create_all()`,
        `db.engine`... outside any function (its `__main__` block included, and the
        module functions such code calls) and outside `with app.app_context():`, unless
        the project requires Flask-SQLAlchemy 3.0 or newer — that only works with
        Flask-SQLAlchemy 2.x, whose constructor remembers the app as a fallback, and the
        split removes it (`python app.py` would raise). That fallback also serves uses this rule cannot see (a script's
        `db.create_all()`, a test querying models without a context, a shell), so the
        project's declared Flask-SQLAlchemy decides (its requirements, read by
        `flask_fix.index.pins`): 3.0 or newer, safe (3.x keeps no app: such uses fail before the
        split too); an older release allowed, unsafe; an older release allowed or none
        declared, and a test module of the project imports the database: report only,
        since a test querying outside a context would break (run such tests inside `with
        app.app_context():`, or require Flask-SQLAlchemy>=3.0, then split; checked with
        Flask-SQLAlchemy 2.5.1, which raises "No application found"). With no declaration
        and no test using it, a current release is assumed, as every rule does. The app
        factory (FLK201) looks at those uses itself. Report only: an extension
        that keeps the app as `ext.app` (Flask-Limiter, Flask-DebugToolbar, Flask-Session)
        when the module reads `ext.app`; extensions whose constructor does more with the
        app (Flask-SSLify, Flask-Admin, Flask-RESTful, Flask-Assets); other classes from
        `flask_*` packages (not checked); project classes with `init_app` whose
        constructor does more. Only a name bound by the statement is followed (`ext = ...`
        or `ext: T = ...`); an argument that is a function parameter is not known to be an
        app, so nothing is reported.
    """

    code = "FLK202"
    name = "extension-init-app"
    fix_level = FixLevel.SAFE
    summary = "Create Flask extensions without the app and call `ext.init_app(app)`."
    # the app and the extension class both come from imports; the index narrows the
    # modules to those constructing an extension class with a name that may be an app
    triggers = (b"import",)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return path in index.extensions.constructing

    valid = (
        # already the init_app form
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()
            app = Flask(__name__)
            db.init_app(app)
        """),
        # a function parameter named like the app is not known to be one
        _code("""
            from flask_sqlalchemy import SQLAlchemy

            def make_db(app):
                return SQLAlchemy(app)

            def setup(app):
                db = SQLAlchemy(app)
                return db
        """),
        # `app` is rebound to a WSGI middleware: not the Flask object any more
        _code("""
            from flask import Flask
            from flask_cors import CORS
            from werkzeug.middleware.proxy_fix import ProxyFix

            app = Flask(__name__)
            app = ProxyFix(app)
            cors = CORS(app)
        """),
        # Migrate without db never calls init_app
        _code("""
            from flask import Flask
            from flask_migrate import Migrate

            app = Flask(__name__)
            migrate = Migrate(app)
        """),
        # a class of the project with the same name as an extension, no init_app
        _code("""
            from flask import Flask

            class Cache:
                def __init__(self, app):
                    self.app = app

            app = Flask(__name__)
            cache = Cache(app)
        """),
        # `SQLAlchemy` is rebound to something else
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            SQLAlchemy = dict
            app = Flask(__name__)
            db = SQLAlchemy(app=app)
        """),
        # a CLI manager of a flask_* package is no extension
        _code("""
            from flask import Flask
            from flask_script import Manager

            app = Flask(__name__)
            manager = Manager(app)
        """),
        # Limiter's first positional argument is key_func (Flask-Limiter 3.0+)
        _code("""
            from flask import Flask
            from flask_limiter import Limiter

            app = Flask(__name__)
            limiter = Limiter(app)
        """),
        # a value that is not an app: the name comes from a plain call
        _code("""
            from flask_sqlalchemy import SQLAlchemy
            from settings import build

            app = build()
            db = SQLAlchemy(app)
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy
                from flask_migrate import Migrate

                app = Flask(__name__)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                db = SQLAlchemy(app)  # the database
                migrate = Migrate(app, db, directory="db/migrations")
            """),
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy
                from flask_migrate import Migrate

                app = Flask(__name__)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                db = SQLAlchemy()  # the database
                db.init_app(app)
                migrate = Migrate(directory="db/migrations")
                migrate.init_app(app, db)
            """),
        ),
        # options stay where the constructor used them; a bare statement
        Example(
            _code("""
                import flask
                import flask_login
                from flask_wtf.csrf import CSRFProtect
                from flask_sqlalchemy import SQLAlchemy as Alchemy

                application = flask.Flask(__name__)
                login: flask_login.LoginManager = flask_login.LoginManager(application, False)
                CSRFProtect(application)
                db = Alchemy(
                    application,
                    session_options={"autoflush": False},
                )
            """),
            _code("""
                import flask
                import flask_login
                from flask_wtf.csrf import CSRFProtect
                from flask_sqlalchemy import SQLAlchemy as Alchemy

                application = flask.Flask(__name__)
                login: flask_login.LoginManager = flask_login.LoginManager()
                login.init_app(application, False)
                CSRFProtect().init_app(application)
                db = Alchemy(
                    session_options={"autoflush": False},
                )
                db.init_app(application)
            """),
        ),
        # inside a factory, and the app a factory returns
        Example(
            _code("""
                from flask import Flask
                from flask_cors import CORS
                from flask_limiter import Limiter
                from flask_limiter.util import get_remote_address

                def create_app():
                    app = Flask(__name__)
                    global cors
                    cors = CORS(app, resources={r"/api/*": {"origins": "*"}})
                    return app

                app = create_app()
                limiter = Limiter(get_remote_address, app=app, default_limits=["5/second"])
            """),
            _code("""
                from flask import Flask
                from flask_cors import CORS
                from flask_limiter import Limiter
                from flask_limiter.util import get_remote_address

                def create_app():
                    app = Flask(__name__)
                    global cors
                    cors = CORS(resources={r"/api/*": {"origins": "*"}})
                    cors.init_app(app)
                    return app

                app = create_app()
                limiter = Limiter(get_remote_address, default_limits=["5/second"])
                limiter.init_app(app)
            """),
        ),
        # a project class that only hands the app to init_app
        Example(
            _code("""
                from flask import Flask

                class Tracker:
                    def __init__(self, app=None):
                        self.events = []
                        if app is not None:
                            self.init_app(app)

                    def init_app(self, app):
                        app.extensions["tracker"] = self

                app = Flask(__name__)
                tracker = Tracker(app)
            """),
            _code("""
                from flask import Flask

                class Tracker:
                    def __init__(self, app=None):
                        self.events = []
                        if app is not None:
                            self.init_app(app)

                    def init_app(self, app):
                        app.extensions["tracker"] = self

                app = Flask(__name__)
                tracker = Tracker()
                tracker.init_app(app)
            """),
        ),
        # Flask-Mail keeps the app: unsafe
        Example(
            _code("""
                from flask import Flask
                from flask_mail import Mail

                app = Flask(__name__)
                mail = Mail(app)
            """),
            _code("""
                from flask import Flask
                from flask_mail import Mail

                app = Flask(__name__)
                mail = Mail()
                mail.init_app(app)
            """),
            unsafe=True,
        ),
        Example(
            _code("""
                from flask import Flask
                from flask_mail import Mail

                app = Flask(__name__)
                mail = Mail(app)
            """),
        ),
        # Flask-SQLAlchemy 2.x used the remembered app at import time: unsafe
        Example(
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                db.create_all()
            """),
        ),
        # an option versions disagree on; an extension that cannot be split; an unknown one
        Example(
            _code("""
                from flask import Flask
                from flask_babel import Babel
                from flask_sslify import SSLify
                from flask_humanize import Humanize

                app = Flask(__name__)
                babel = Babel(app, default_locale="de")
                sslify = SSLify(app)
                humanize = Humanize(app)
            """),
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        for found in self.extension_inits():
            if found.level is None:
                self.report(found.call, found.message)
            else:
                self.report(
                    found.call,
                    found.message,
                    fix_level=found.level,
                    fix=Fix(found.replacements),
                )
