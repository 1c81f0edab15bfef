"""FLK712 blueprint-setup-after-registration."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import GlobalScope, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.legacy_api import BLUEPRINT, LegacyApiRule, code

#: Blueprint's setup methods (Flask's @setupmethod): from Flask 2.3 each raises once the
#: blueprint was registered on an app
SETUP_METHODS = frozenset({
    "route", "add_url_rule", "endpoint", "before_request", "after_request",
    "teardown_request", "context_processor", "url_value_preprocessor", "url_defaults",
    "errorhandler", "register_error_handler", "register_blueprint", "record", "record_once",
    "before_app_request", "after_app_request", "teardown_app_request",
    "app_context_processor", "app_errorhandler", "app_url_value_preprocessor",
    "app_url_defaults", "app_template_filter", "add_app_template_filter",
    "app_template_test", "add_app_template_test", "app_template_global",
    "add_app_template_global",
})  # fmt: skip


class BlueprintSetupAfterRegistration(LegacyApiRule):
    """
    What it does:
        Reports a module-level blueprint that a function registering blueprints (an app
        factory's `register_blueprints(app)`) also sets up: a setup method called on it
        (`bp.after_request(...)`, `bp.route(...)`, `bp.errorhandler(...)`, ...) or an
        extension's `init_app(bp)` (Flask-CORS's adds an `after_request`).

    Why is this bad?:
        The blueprint lives as long as its module, the function runs once per app: from
        the second app on (a test suite makes one per test) the blueprint was already
        registered, and from Flask 2.3 setting it up then raises `AssertionError: The
        setup method 'after_request' can no longer be called on the blueprint 'user'.
        It has already been registered at least once` (Flask 2.2 warned).

    Example:
        from myapp.user.views import blueprint

        def register_blueprints(app):
            cors.init_app(blueprint, origins=app.config["CORS_ORIGINS"])
            app.register_blueprint(blueprint)

    Use instead:
        def register_blueprints(app):
            cors.init_app(app, origins=app.config["CORS_ORIGINS"])
            app.register_blueprint(blueprint)

    Fix safety:
        Report only: where the setup belongs depends on what it does. Setup that does
        not depend on the app goes where the blueprint is defined; setup that reads the
        app's configuration moves to the app (`cors.init_app(app, resources=...)`), or
        the blueprint is made by a function, a new one per app.
    """

    code = "FLK712"
    name = "blueprint-setup-after-registration"
    fix_level = FixLevel.REPORT
    summary = "Set a blueprint up once, not in the function that registers it (Flask 2.3)."
    triggers = (b"register_blueprint",)
    required_imports = frozenset()

    valid = (
        # setup at module level, registration in the factory
        "from flask import Blueprint, Flask\n\nbp = Blueprint('bp', __name__)\n"
        "bp.after_request(lambda r: r)\n\n"
        "def create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n"
        "    return app\n",
        # a blueprint made by the function itself: a new one per app
        "from flask import Blueprint, Flask\n\n"
        "def create_app():\n    app = Flask(__name__)\n    bp = Blueprint('bp', __name__)\n"
        "    bp.after_request(lambda r: r)\n    app.register_blueprint(bp)\n    return app\n",
        # the same, the blueprint made by the function as flaskbb's (corpus) is
        "from flask import Blueprint\n\nbp = Blueprint('bp', __name__)\n\n"
        "def load_blueprints(app):\n    bp = Blueprint('forum', __name__)\n"
        "    bp.before_request(print)\n    app.register_blueprint(bp)\n",
        # init_app on the app
        "from flask import Blueprint\nfrom flask_cors import CORS\n\n"
        "bp = Blueprint('bp', __name__)\ncors = CORS()\n\n"
        "def register(app):\n    cors.init_app(app)\n    app.register_blueprint(bp)\n",
    )
    invalid = (
        Example(
            "from flask import Blueprint\nfrom flask_cors import CORS\n\n"
            "bp = Blueprint('bp', __name__)\ncors = CORS()\n\n"
            "def register_blueprints(app):\n    cors.init_app(bp)\n"
            "    bp.before_request(lambda: None)\n    app.register_blueprint(bp)\n",
            None,
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # per enclosing function: its setup calls on blueprint candidates, and whether it
        # registers blueprints
        self._functions: list[tuple[list[tuple[cst.Call, cst.BaseExpression, str]], list[bool]]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(([], [False]))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        calls, registers = self._functions.pop()
        if registers[0]:
            for call, target, what in calls:
                self.defer(lambda call=call, target=target, what=what: self._check(call, target, what))

    def visit_Call(self, node: cst.Call) -> None:
        if not self._functions or not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        calls, registers = self._functions[-1]
        if method == "register_blueprint":
            registers[0] = True
        if method in SETUP_METHODS:
            calls.append((node, node.func.value, f"`{method}`"))
        elif method == "init_app" and node.args and node.args[0].keyword is None:
            calls.append((node, node.args[0].value, "an extension's `init_app`"))

    def _made_here(self, target: cst.BaseExpression) -> bool:
        """Whether `target` is a name the function binds itself: a new blueprint per call."""
        if not isinstance(target, cst.Name):
            return False
        scope = self.get_metadata(ScopeProvider, target, None)
        if scope is None:
            return True
        return not isinstance(scope, GlobalScope) and bool(scope.assignments[target.value])

    def _check(self, call: cst.Call, target: cst.BaseExpression, what: str) -> None:
        if self.object_kind(target) != BLUEPRINT or self._made_here(target):
            return
        self.report(
            call,
            f"{what} sets up the blueprint `{code(target)}` each time this function runs,"
            " and it registers blueprints: from Flask 2.3 the second app (each test's"
            " create_app()) raises AssertionError (`The setup method ... can no longer be"
            " called on the blueprint`, a warning in 2.2); set the blueprint up once where"
            " it is defined, or on the app (`init_app(app)`)",
        )
