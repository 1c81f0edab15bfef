"""FLK204 register-at-import."""

from __future__ import annotations

import os
from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Rule
from ..rewrite.extensions import AppKind, AppRef, ExtensionTracking

REGISTRATIONS = frozenset({"register_blueprint", "init_app"})


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class RegisterAtImport(ExtensionTracking, Rule):
    """
    What it does:
        Reports app setup that runs when a module is imported, outside the application
        factory: `app.register_blueprint(bp)`, `ext.init_app(app)` and `ext = Ext(app)`
        (FLK202's extensions) at module level, on
        - an app object imported from another module of the project
          (`from myapp import app`, then `app.register_blueprint(admin)`);
        - an app this module builds with the project's factory (`app = create_app()`,
          then `db.init_app(app)` or `migrate = Migrate(app, db)`);
        - a module-level `app = Flask(...)` in a project whose same package also has an
          application factory.

    Why is this bad?:
        Setup done as a side effect of an import depends on that module being imported,
        in the right order, and applies to that one app object. In a project with an
        application factory, the apps the factory builds elsewhere (tests, the CLI,
        workers) silently lack the blueprint or the extension; with a global app, the
        module doing the registration must import the app, the circular import that
        FLK203 reports. Flask's documented pattern does all the setup inside
        `create_app()`.

    Example:
        # manage.py
        from myapp import create_app, db
        from flask_migrate import Migrate

        app = create_app()
        migrate = Migrate(app, db)

    Use instead:
        # myapp/__init__.py
        migrate = Migrate()

        def create_app():
            app = Flask(__name__)
            ...
            db.init_app(app)
            migrate.init_app(app, db)
            return app

    Fix safety:
        Report only: moving setup into the factory changes when it runs and for which
        apps. Not reported: setup inside functions (a factory, or a helper it calls),
        inside `if __name__ == "__main__":` (never run on import), on an app created in
        the same module of a project without a factory (that whole module is FLK201's
        application-factory rewrite), and on anything not known to be an app (a function
        parameter, a blueprint: `bp.register_blueprint(child)` is how nested blueprints
        are set up). A factory is a function of the project that creates `Flask(...)` and
        returns it.
    """

    code = "FLK204"
    name = "register-at-import"
    fix_level = FixLevel.REPORT
    summary = "Register blueprints and initialise extensions inside the app factory."
    # the app comes from an import (or Flask does); the index narrows the modules to those
    # registering or constructing an extension at import time, on a name that may be an app
    triggers = (b"import",)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return path in index.extensions.registering

    valid = (
        # registration inside the factory
        _code("""
            from flask import Blueprint, Flask

            bp = Blueprint("main", __name__)

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(bp)
                return app
        """),
        # a project with one global app and no factory: FLK201's business
        _code("""
            from flask import Blueprint, Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            bp = Blueprint("main", __name__)
            db = SQLAlchemy()
            app.register_blueprint(bp)
            db.init_app(app)
        """),
        # a script block never runs on import
        _code("""
            from flask import Blueprint, Flask

            bp = Blueprint("main", __name__)

            def create_app():
                return Flask(__name__)

            if __name__ == "__main__":
                app = create_app()
                app.register_blueprint(bp)
                app.run()
        """),
        # nested blueprints are registered on a blueprint, not an app
        _code("""
            from flask import Blueprint, Flask

            parent = Blueprint("parent", __name__)
            child = Blueprint("child", __name__)
            parent.register_blueprint(child)

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(parent)
                return app
        """),
        # a helper the factory calls: the app is a parameter
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()

            def register_extensions(app):
                db.init_app(app)

            def create_app():
                app = Flask(__name__)
                register_extensions(app)
                return app
        """),
        # `create_app` here returns something else than the app it creates
        _code("""
            from flask import Blueprint, Flask

            bp = Blueprint("main", __name__)

            def create_app():
                app = Flask(__name__)
                return app.wsgi_app

            app = create_app()
            app.register_blueprint(bp)
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Blueprint, Flask
                from flask_sqlalchemy import SQLAlchemy
                from flask_migrate import Migrate

                db = SQLAlchemy()
                admin = Blueprint("admin", __name__)

                def create_app():
                    app = Flask(__name__)
                    db.init_app(app)
                    return app

                app = create_app()
                app.register_blueprint(admin)
                migrate = Migrate(app, db)
            """),
        ),
        # a global app next to a factory of the same module
        Example(
            _code("""
                from flask import Blueprint, Flask
                from flask_login import LoginManager

                login = LoginManager()
                bp = Blueprint("main", __name__)

                def create_app():
                    application = Flask(__name__)
                    application.register_blueprint(bp)
                    login.init_app(application)
                    return application

                app = Flask(__name__)
                login.init_app(app)
            """),
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in REGISTRATIONS:
            self._registrations.append((node, self._main_depth > 0))
        elif isinstance(func, cst.Attribute) and func.attr.value == "run":
            self._runs.append((node, self._main_depth > 0))

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._registrations: list[tuple[cst.Call, bool]] = []
        self._runs: list[tuple[cst.Call, bool]] = []

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._serves_at_import():
            return
        found: list[tuple[cst.Call, str, AppRef]] = []
        for call, in_main in self._registrations:
            if not self.is_import_time(call, in_main):
                continue
            func = call.func
            assert isinstance(func, cst.Attribute)
            receiver = _short(func.value)
            if func.attr.value == "register_blueprint":
                app = self.app_ref(func.value)
                what = f"`{receiver}.register_blueprint(...)`"
            else:
                argument = _app_argument(call)
                app = self.app_ref(argument.value) if argument is not None else None
                what = f"`{receiver}.init_app({app.name})`" if app else ""
            if app is not None:
                found.append((call, what, app))
        for made in self.extension_inits():
            if made.import_time:
                found.append((made.call, f"`{_short(made.call.func)}({made.app.name})`", made.app))
        reported: set[int] = set()
        for call, what, app in found:
            message = self._message(what, app)
            if message is not None and id(call) not in reported:
                reported.add(id(call))
                self.report(call, message)

    def _serves_at_import(self) -> bool:
        """The module runs the app's development server when imported, outside a
        `__main__` guard: it is a program (`python serve.py`), not a module anything
        imports, and its import-time code is its main code."""
        return any(
            self.is_import_time(call, in_main)
            and isinstance(call.func, cst.Attribute)
            and self.app_ref(call.func.value) is not None
            for call, in_main in self._runs
        )

    def _message(self, what: str, app: AppRef) -> str | None:
        if app.kind is AppKind.IMPORTED:
            return (
                f"{what} runs when this module is imported, on the app object imported from "
                f"`{app.source.rpartition('.')[0]}`: the setup depends on this import and "
                "applies to that one app; do it where the app is built, inside the "
                "application factory (`create_app()`)"
            )
        factory = app.source.rpartition(".")[2]
        if app.kind is AppKind.FACTORY:
            return (
                f"{what} runs at import time on the app this module builds with "
                f"`{factory}()`: the other apps the factory builds (tests, the CLI, workers) "
                f"lack it; do it inside `{factory}()`"
            )
        factories = self._factories_nearby()
        if not factories:
            return None
        factory = factories[0].rpartition(".")[2]
        return (
            f"{what} runs at import time on the module-level app `{app.name}`, while the "
            f"project builds its apps with `{factory}()`: do it inside the factory"
        )

    def _factories_nearby(self) -> list[str]:
        """The project's factories in this module's package (in this module, for a module
        outside any package: same-named scripts in other folders are other programs)."""
        index = self.context.index
        factories = index.app_factories
        here = _package_root(self.context.path, self._module_name())
        found = set()
        for app in index.factory_apps:
            name = f"{app.module}.{app.function}"
            if name in factories and _package_root(app.path, app.module) == here:
                found.add(name)
        return sorted(found)


def _package_root(path: str, module: str) -> tuple[str, str]:
    """(folder holding the top-level package, its name); a module outside any package is
    its own root (its path)."""
    if "." not in module and os.path.basename(path) != "__init__.py":
        return path, module
    folder = os.path.normpath(path)
    for _ in range(module.count(".") + 1 + (os.path.basename(path) == "__init__.py")):
        folder = os.path.dirname(folder)
    return folder, module.partition(".")[0]


def _app_argument(call: cst.Call) -> cst.Arg | None:
    for argument in call.args:
        if argument.keyword is None and not argument.star:
            return argument
        if argument.keyword is not None and argument.keyword.value == "app":
            return argument
    return None


_EMPTY = cst.Module(body=[])


def _short(node: cst.CSTNode) -> str:
    text = _EMPTY.code_for_node(node)
    return text if len(text) <= 40 and "\n" not in text else "..."
