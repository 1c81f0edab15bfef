"""FLK602 hidden-exceptions."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.handlers import LOUD_BUILTINS, QUIET_MODULES, REPORTING_METHODS
from ..index.project import FLASK_CLASSES
from ..rewrite.base import Example, Rule
from ..rewrite.contexts import bound_function, project_name
from ..rewrite.names import AssignedValues, only_binding, qualified_name

CATCH_ALL = frozenset({"builtins.Exception", "builtins.BaseException"})
BLUEPRINT_CLASSES = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
REGISTERS = frozenset({"errorhandler", "app_errorhandler", "register_error_handler"})


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class HiddenExceptions(AssignedValues, Rule):
    """
    What it does:
        Finds an error handler for every exception, `@app.errorhandler(Exception)`
        (also `BaseException`, a blueprint's `errorhandler`/`app_errorhandler`, and
        `register_error_handler(Exception, handler)`) on a Flask app or blueprint, whose
        body neither logs, reports, nor raises: no `raise`, and no call that could log or
        report (a method named like a logger's or a tracker's: `exception`, `error`,
        `warning`, `log`, `capture_exception`, `report_exc_info`, `notify`, `send`...;
        `print`; any function of the project or of a library other than Flask,
        Werkzeug, json, Jinja or MarkupSafe). A handler imported from another module of
        the project (`app.register_error_handler(Exception, handle_error)`,
        `app.errorhandler(Exception)(handle_error)`) is read from the project index,
        which judges module-level functions taking one parameter the same way.

    Why is this bad?:
        Flask looks for a handler for the exception class first
        (`handle_user_exception`), and only an exception no handler takes reaches
        `handle_exception`, which sends `got_request_exception` (what Sentry's
        `FlaskIntegration`, raven, Rollbar and Bugsnag listen to) and logs the traceback
        with `app.log_exception`. A handler for `Exception` takes every error, so
        nothing is logged and the tracker never hears of it: the users see an error
        page, the team sees nothing. A handler for `500` or `InternalServerError` is not
        reported: Flask calls it from `handle_exception`, after logging and signalling
        (checked in Flask 3.1's source). `PROPAGATE_EXCEPTIONS = False` is not reported
        either: it is the default outside debug and testing, and the signal is sent
        before it is read, so the trackers still see every error.

    Example:
        @app.errorhandler(Exception)
        def handle_error(error):
            return render_template("error.html"), 500

    Use instead:
        @app.errorhandler(Exception)
        def handle_error(error):
            if isinstance(error, HTTPException):
                return error
            app.logger.exception("unhandled error")
            return render_template("error.html"), 500

    Fix safety:
        Report only: whether to log, re-raise or report to a tracker is the program's
        choice. To stay precise, a handler counts as logging when it makes any call this
        rule cannot see through (a project function, another library), and the receiver
        must be known to be a Flask app or blueprint (Flask-RESTful's and Flask-RESTX's
        `api.errorhandler` send `got_request_exception` themselves).
    """

    code = "FLK602"
    name = "hidden-exceptions"
    fix_level = FixLevel.REPORT
    summary = "Log or report the errors a catch-all error handler takes."
    triggers = (b"errorhandler(", b"register_error_handler(")
    required_words = (b"Exception",)
    called_names = REGISTERS
    METADATA_DEPENDENCIES = (ScopeProvider,)

    valid = (
        # the handler logs
        _code("""
            from flask import Flask, render_template

            app = Flask(__name__)

            @app.errorhandler(Exception)
            def handle_error(error):
                app.logger.exception("unhandled: %s", error)
                return render_template("error.html"), 500
        """),
        # reported to Sentry
        _code("""
            import sentry_sdk
            from flask import Flask, jsonify

            app = Flask(__name__)

            @app.errorhandler(Exception)
            def handle_error(error):
                sentry_sdk.capture_exception(error)
                return jsonify(error="internal"), 500
        """),
        # a 500 handler runs after Flask logged the error and sent the signal
        _code("""
            from flask import Flask, render_template

            app = Flask(__name__)

            @app.errorhandler(500)
            def server_error(error):
                return render_template("500.html"), 500
        """),
        # re-raised (HTTP errors) or handed to a project function
        _code("""
            from flask import Flask
            from werkzeug.exceptions import HTTPException

            from .errors import render_error

            app = Flask(__name__)

            @app.errorhandler(Exception)
            def handle_error(error):
                if isinstance(error, HTTPException):
                    raise error
                return render_error(error)
        """),
        # not a Flask app: Flask-RESTX sends got_request_exception itself
        _code("""
            from flask_restx import Api

            api = Api()

            @api.errorhandler(Exception)
            def handle_error(error):
                return {"message": "internal"}, 500
        """),
        # a local class named Exception
        _code("""
            from flask import Flask

            app = Flask(__name__)

            class Exception(ValueError):
                pass

            @app.errorhandler(Exception)
            def handle_error(error):
                return "bad value", 400
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask, jsonify
                from werkzeug.exceptions import HTTPException

                app = Flask(__name__)

                @app.errorhandler(Exception)
                def handle_error(error):
                    if isinstance(error, HTTPException):
                        return error
                    return jsonify(error=str(error)), 500
            """)
        ),
        Example(
            _code("""
                import flask

                def handle_error(error):
                    return flask.render_template("error.html"), 500

                def create_app():
                    app = flask.Flask(__name__)
                    bp = flask.Blueprint("main", __name__)
                    app.register_error_handler(BaseException, handle_error)
                    return app
            """)
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self._blueprints = {
            f"{b.module}.{b.variable}" for b in context.index.blueprints if b.function is None
        }
        self._seen: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            call = decorator.decorator
            if not (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and call.func.attr.value in ("errorhandler", "app_errorhandler")
                and self._catches_all(call, 0, "code_or_exception")
                and self._is_app_or_blueprint(call.func.value)
            ):
                continue
            self._check(node, decorator, _spelled(call.func.value), call.func.attr.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Call)  # `app.errorhandler(Exception)(handle_error)`
            and isinstance(func.func, cst.Attribute)
            and func.func.attr.value in ("errorhandler", "app_errorhandler")
            and len(node.args) == 1
            and isinstance(node.args[0].value, (cst.Name, cst.Attribute))
            and self._catches_all(func, 0, "code_or_exception")
            and self._is_app_or_blueprint(func.func.value)
        ):
            self._check_imported(node.args[0].value, node, _spelled(func.func.value),
                                 func.func.attr.value)  # fmt: skip
            return
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "register_error_handler"
            and self._catches_all(node, 0, "code_or_exception")
            and len(node.args) >= 2
            and isinstance(node.args[1].value, (cst.Name, cst.Attribute))
            and self._is_app_or_blueprint(func.value)
        ):
            return
        value = node.args[1].value
        handler = bound_function(self, value) if isinstance(value, cst.Name) else None
        if handler is not None:
            self._check(handler, node, _spelled(func.value), "register_error_handler")
        else:
            self._check_imported(value, node, _spelled(func.value), "register_error_handler")

    def _check_imported(self, value: cst.BaseExpression, at: cst.CSTNode, owner: str, how: str) -> None:
        """A handler defined in another module of the project: the index says whether
        its body is quiet (index/handlers.py)."""
        name = project_name(self, value)
        if name is None or name not in self.context.index.quiet_functions:
            return
        self._report(at, _spelled(value), owner, how)

    def _check(self, handler: cst.FunctionDef, at: cst.CSTNode, owner: str, how: str) -> None:
        if id(handler) in self._seen or not self._hides(handler):
            return
        self._seen.add(id(handler))
        self._report(at, handler.name.value, owner, how)

    def _report(self, at: cst.CSTNode, handler: str, owner: str, how: str) -> None:
        self.report(
            at,
            f"`{handler}()` handles every exception (`{owner}.{how}`) without "
            "logging, reporting or re-raising it: Flask logs an error and sends "
            "`got_request_exception` (which Sentry, Rollbar and Bugsnag listen to) only "
            "for exceptions no handler takes, so these errors reach neither the log nor "
            "the tracker; call `current_app.logger.exception(...)` (or the tracker's "
            "capture) in the handler, or register it for `500` instead, which Flask calls "
            "after logging",
        )

    # what the handler catches, and on what

    def _catches_all(self, call: cst.Call, position: int, keyword: str) -> bool:
        arg = next((a for a in call.args if a.keyword and a.keyword.value == keyword), None)
        if arg is None and len(call.args) > position and call.args[position].keyword is None:
            arg = call.args[position]
        if arg is None or not isinstance(arg.value, (cst.Name, cst.Attribute)):
            return False
        return qualified_name(self, arg.value) in CATCH_ALL

    def _is_app_or_blueprint(self, expr: cst.BaseExpression) -> bool:
        index = self.context.index
        if isinstance(expr, cst.Call):
            return self._creates(expr)
        name = project_name(self, expr)
        if name is not None and (name in index.app_names or name in self._blueprints):
            return True
        if not isinstance(expr, cst.Name):
            return False
        binding = only_binding(self, expr)
        if binding is None:
            return False
        value = self.assigned_value(binding)
        return isinstance(value, cst.Call) and self._creates(value)

    def _creates(self, call: cst.Call) -> bool:
        """`Flask(...)`, `Blueprint(...)`, a project subclass or a project app factory."""
        if not isinstance(call.func, (cst.Name, cst.Attribute)):
            return False
        index = self.context.index
        name = qualified_name(self, call.func)
        if name in FLASK_CLASSES or name in BLUEPRINT_CLASSES:
            return True
        name = project_name(self, call.func)
        return name is not None and (name in index.app_factories or name in index.flask_classes)

    # what the handler does

    def _hides(self, handler: cst.FunctionDef) -> bool:
        finder = _Loud(self)
        handler.body.visit(finder)
        return not finder.loud


class _Loud(cst.CSTVisitor):
    """Whether a handler's body raises, or makes a call that may log or report."""

    def __init__(self, rule: HiddenExceptions) -> None:
        super().__init__()
        self.rule = rule
        self.loud = False

    def visit_Raise(self, node: cst.Raise) -> bool:
        self.loud = True
        return False

    def visit_Call(self, node: cst.Call) -> bool | None:
        if self.loud:
            return False
        if not self._quiet(node.func):
            self.loud = True
            return False
        return None

    def _quiet(self, func: cst.BaseExpression) -> bool:
        if isinstance(func, cst.Attribute) and func.attr.value in REPORTING_METHODS:
            return False
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return True  # a call of a call's result, a subscript...: its callee is a value
        try:
            name = qualified_name(self.rule, func)
        except KeyError:  # a node the scope analysis did not see
            return False
        if name is not None:
            if name.startswith("builtins."):
                return name not in LOUD_BUILTINS
            top = name.split(".")[0]
            return top in QUIET_MODULES
        base = func
        while isinstance(base, cst.Attribute):
            base = base.value
        if not isinstance(base, cst.Name):
            return True  # a method of an expression's value (`str(e).split()`)
        scope = self.rule.get_metadata(ScopeProvider, base, None)
        if scope is None:
            return False
        if isinstance(func, cst.Name):
            return False  # a function of the project, a local, a parameter: unknown
        # a method of a local value or of the error (`error.get_response()`): only its
        # name, checked above, can say it reports; a project module's function may
        return not any(
            getattr(a, "node", None) is not None
            and isinstance(getattr(a, "node", None), (cst.Import, cst.ImportFrom))
            for a in scope[base.value]
        )


def _spelled(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
