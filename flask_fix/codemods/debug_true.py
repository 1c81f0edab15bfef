"""FLK401 debug-true."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.flask_config import (
    AppStatus,
    ConfigWrite,
    FlaskConfigRule,
    is_true,
    testing_config_example,
    written_values,
)

RUN_MESSAGE = (
    "`app.run(debug=True)` turns on the interactive debugger, which runs any code a "
    "visitor types into an error page; drop `debug=True` and let `FLASK_DEBUG=1` (or "
    "`flask run --debug`) turn it on where you develop"
)
MAYBE_NOTE = (
    "`{}` may not be the app here: one of its bindings that can reach this call (in a "
    "branch, a loop, or a function through `global`) makes it something else"
)
CONFIG_MESSAGE = (
    "{what} turns on debug mode, and with it the interactive debugger, wherever this "
    "configuration is used; set `FLASK_DEBUG=1` (or `flask run --debug`) where you develop "
    "instead"
)
FORMS = {
    "item": "`config['DEBUG'] = True`",
    "attribute": "`app.debug = True`",
    "keyword": "`DEBUG=True`",
    "dict": "`'DEBUG': True`",
    "setdefault": "`config.setdefault('DEBUG', True)`",
    "class": "`DEBUG = True` in a config class",
    "module": "`DEBUG = True` in a config module",
}


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class DebugTrue(FlaskConfigRule):
    """
    What it does:
        Finds `app.run(debug=True)` on a Flask app and removes `debug=True`. Reports
        (without a rewrite) debug mode switched on in the configuration:
        `app.debug = True`, `app.config['DEBUG'] = True`, `app.config.update(DEBUG=True)`,
        `from_mapping(DEBUG=True)`, and `DEBUG = True` in a config class or module the
        project loads with `config.from_object(...)` or `config.from_pyfile(...)`.

    Why is this bad?:
        Debug mode turns on Werkzeug's interactive debugger: any exception shows a page
        where a visitor can run Python code on the server. Hard-coding it means the day the
        app is started this way on a reachable host, anyone can take it over. Flask's
        documentation asks for debug mode to be switched on from outside the code, with
        `FLASK_DEBUG=1` or `flask run --debug`, and never in production.

    Example:
        if __name__ == "__main__":
            app.run(host="127.0.0.1", debug=True)

    Use instead:
        if __name__ == "__main__":
            app.run(host="127.0.0.1")

    Fix safety:
        Intended: `app.run()` no longer forces debug mode; it follows `FLASK_DEBUG` when
        that variable is set, and the app's own `DEBUG` setting otherwise (off by default),
        so the reloader and the debugger run only where the developer asks for them. Other
        arguments of `run()` stay as written. Only a literal `True` passed as `debug=` is
        removed (`debug=os.environ.get(...)` already comes from outside), and only on
        objects that surely are Flask apps: a name whose binding that reaches the call, in
        the module's execution order, is `Flask(...)`, a project factory returning a new
        app, or an app imported from the module creating it (`app = Flask(__name__)`,
        `app.run(debug=True)`, `app = 1`, `app.run(debug=True)`: the first call only).
        When a binding in a branch, a loop or a function (`global`) may make it something
        else, the call is reported and not rewritten. `run(debug=True)` on other objects
        (a Socket.IO server, a name rebound to something else), instances of Flask
        subclasses, `self` in a Flask subclass and a positional `debug` argument are left
        alone. The configuration forms are only
        reported: which environment loads a config class or sets `DEBUG` is the project's
        deployment decision. Test modules (in `tests/`, `test/` or `testing/` folders,
        `test_*.py`, `*_test.py`, `conftest.py`) are skipped: tests switch debug mode on to
        test it, and never deploy; so is a test configuration, a config class whose own
        body sets `TESTING = True`.
    """

    code = "FLK401"
    name = "debug-true"
    fix_level = FixLevel.INTENDED
    summary = "Turn on debug mode with `FLASK_DEBUG`, not `app.run(debug=True)`."
    triggers = (
        b"debug=True", b"debug = True", b".debug =", b".debug=",
        b"DEBUG =", b"DEBUG=", b"DEBUG:", b"'DEBUG'", b'"DEBUG"',
    )  # fmt: skip
    config_keys = frozenset({"DEBUG"})

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """`x.run(..., debug=True)`, or True written to DEBUG."""
        return any(
            keyword.arg == "debug" and _is_true(keyword.value)
            for call in module.calls("run")
            for keyword in call.keywords
        ) or any(_is_true(value) for value in written_values(module, cls.config_keys))

    valid = (
        # a test configuration (its body sets TESTING = True) never deploys
        testing_config_example('DEBUG = True'),
        # a name rebound to something that is not an app
        _code("""
            from flask import Flask

            app = Flask(__name__)
            app = 1
            app.run(debug=True)
        """),
        # rebound by a function through `global`, and then again, before the call
        _code("""
            from flask import Flask

            app = Flask(__name__)

            def reset():
                global app
                app = None

            app = object()
            app.run(debug=True)
        """),
        # a plain function, and another library's server
        _code("""
            from flask import Flask
            from flask_socketio import SocketIO

            app = Flask(__name__)
            socketio = SocketIO(app)

            def run(debug=False):
                pass

            run(debug=True)
            socketio.run(app, debug=True)
        """),
        # the value comes from outside the code
        _code("""
            import os
            from flask import Flask

            app = Flask(__name__)
            app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
        """),
        # a parameter named app: what it holds is not known here
        _code("""
            def serve(app):
                app.run(debug=True)
                app.config["DEBUG"] = True
        """),
        # switched off, and a class that is not loaded as configuration
        _code("""
            from flask import Flask

            app = Flask(__name__)
            app.debug = False
            app.config.update(DEBUG=False)

            class Settings:
                DEBUG = True
        """),
        # another object's config dict
        _code("""
            from celery import Celery

            celery = Celery(__name__)
            celery.config["DEBUG"] = True
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)

                if __name__ == "__main__":
                    app.run(debug=True)
            """),
            _code("""
                from flask import Flask

                app = Flask(__name__)

                if __name__ == "__main__":
                    app.run()
            """),
        ),
        # other arguments stay, commas included
        Example(
            _code("""
                import flask

                application = flask.Flask(__name__)
                application.run(host="127.0.0.1", debug=True, port=5000)
                application.run(host="127.0.0.1", debug=True)
                application.run(
                    host="127.0.0.1",
                    debug=True,
                )
            """),
            _code("""
                import flask

                application = flask.Flask(__name__)
                application.run(host="127.0.0.1", port=5000)
                application.run(host="127.0.0.1")
                application.run(
                    host="127.0.0.1",
                )
            """),
        ),
        # an app made by a factory of the module
        Example(
            _code("""
                from flask import Flask

                def create_app():
                    app = Flask(__name__)
                    return app

                app = create_app()
                app.run(port=8000, debug=True)
            """),
            _code("""
                from flask import Flask

                def create_app():
                    app = Flask(__name__)
                    return app

                app = create_app()
                app.run(port=8000)
            """),
        ),
        # the binding that reaches each call, in execution order (ruff's S201 fixture):
        # the first call is on the app, the second on 1
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.run(debug=True)

                app = 1
                app.run(debug=True)
            """),
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.run()

                app = 1
                app.run(debug=True)
            """),
        ),
        # straight-line code inside the `__main__` block counts too
        Example(
            _code("""
                from flask import Flask
                from tools import make_server

                app = make_server()
                if __name__ == "__main__":
                    app = Flask(__name__)
                    app.run(debug=True)
            """),
            _code("""
                from flask import Flask
                from tools import make_server

                app = make_server()
                if __name__ == "__main__":
                    app = Flask(__name__)
                    app.run()
            """),
        ),
        # a binding in a branch may reach the call: not sure, reported only
        Example(
            _code("""
                from flask import Flask
                from tools import make_server

                app = Flask(__name__)
                if make_server:
                    app = make_server()
                app.run(debug=True)
            """),
        ),
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)
                for attempt in range(3):
                    app.run(debug=True)
                    app = attempt
            """),
        ),
        # the configuration forms are reported only
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.debug = True
                app.config["DEBUG"] = True
                app.config.update(DEBUG=True)
            """),
        ),
        Example(
            _code("""
                from flask import Flask

                class DevelopmentConfig:
                    DEBUG = True

                def create_app():
                    app = Flask(__name__)
                    app.config.from_object(DevelopmentConfig)
                    return app
            """),
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._runs: list[tuple[cst.Call, int]] = []

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "run":
            for position, arg in enumerate(node.args):
                if arg.keyword is not None and arg.keyword.value == "debug" and is_true(arg.value):
                    self._runs.append((node, position))

    def on_config_write(self, write: ConfigWrite) -> None:
        if is_true(write.value):
            self.report(write.node, CONFIG_MESSAGE.format(what=FORMS[write.kind]))

    def finish(self) -> None:
        for call, position in self._runs:
            status = self.app_status(call.func.value)  # type: ignore[attr-defined]
            if status is AppStatus.SURE:
                self.report(call, RUN_MESSAGE, fix=Fix({call: _without_arg(call, position)}))
            elif status is AppStatus.MAYBE:
                receiver = call.func.value.value  # type: ignore[attr-defined]
                self.report(call, f"{RUN_MESSAGE}; not rewritten: {MAYBE_NOTE.format(receiver)}")


def _without_arg(call: cst.Call, position: int) -> cst.Call:
    """`call` without its argument at `position`, commas and line breaks kept tidy."""
    args = list(call.args)
    removed = args.pop(position)
    if not args:
        return call.with_changes(args=(), whitespace_before_args=cst.SimpleWhitespace(""))
    if position == len(args):  # it was the last: the new last takes its comma and spacing
        args[-1] = args[-1].with_changes(
            comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg
        )
    return call.with_changes(args=args)


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True
