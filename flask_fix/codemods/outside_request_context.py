"""FLK302 outside-request-context."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Rule
from ..rewrite.contexts import APP, NONE, REQUEST, REQUEST_CONTEXT_ERROR, ContextWalker, Use
from .outside_app_context import where


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class OutsideRequestContext(Rule):
    """
    What it does:
        Finds code run at import time that needs a request context: `request` and
        `session` used (an attribute, an item, `key in session`) and `flash(...)`
        called. Import time means module level, class bodies, decorators and their
        arguments, default argument values, and the bodies of this module's functions
        called (or applied as decorators) from there, followed call by call.

    Why is this bad?:
        `request` and `session` describe the request being handled; there is none while
        a module is imported. Flask raises "RuntimeError: Working outside of request
        context." An application context (`with app.app_context():`) is not enough.
        A default argument value is the classic trap: `def search(q=request.args.get("q"))`
        is evaluated once, when the `def` runs.

    Example:
        @app.route("/search")
        def search(q=request.args.get("q")):
            return run_search(q)

    Use instead:
        @app.route("/search")
        def search():
            q = request.args.get("q")
            return run_search(q)

    Fix safety:
        Report only: the code must move into a view (or a function called from one).
        Not reported: code inside `with app.test_request_context(...):`,
        `with app.request_context(environ):` or `with app.test_client():`, code after
        `app.test_request_context().push()`, code guarded by `if has_request_context():`
        or `if request:`, code in a `try` whose handler catches RuntimeError (or
        Exception, or everything) or inside `with contextlib.suppress(RuntimeError)`.
        Inside `with app.app_context():` the request names are still reported: an app
        context carries no request. A bare reference does not count (`x = request`):
        only a use raises. The `__main__` block counts; only calls of this module's own
        module-level functions are followed; lambda and generator bodies run later and
        do not count.
    """

    code = "FLK302"
    name = "outside-request-context"
    fix_level = FixLevel.REPORT
    summary = "Use `request`, `session` and `flash` only while handling a request."
    triggers = (b"request", b"session", b"flash")
    required_imports = frozenset({"flask"})
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        contexts = index.contexts
        return (
            path in contexts.import_time_request and contexts.import_context.get(path, 0) < REQUEST
        )

    valid = (
        # inside a view
        _code("""
            from flask import Flask, flash, request, session

            app = Flask(__name__)

            @app.route("/")
            def index():
                session["seen"] = True
                flash("hello")
                return request.args.get("q", "")
        """),
        # a test request context at module level (a script or a doctest-like module)
        _code("""
            from flask import Flask, request, session

            app = Flask(__name__)
            app.secret_key = "dev"

            with app.test_request_context("/?q=1"):
                QUERY = request.args["q"]
                session["x"] = 1
            ctx = app.test_request_context("/")
            ctx.push()
            PATH = request.path
        """),
        # a parameter named `request`, a module-level `session` of another library
        _code("""
            import requests

            session = requests.Session()
            session.headers["User-Agent"] = "bot"

            def handler(request):
                return request.body
        """),
        # only referenced, and lambdas that run later
        _code("""
            from flask import Flask, request

            app = Flask(__name__)
            app.jinja_env.globals["request"] = request
            current_path = lambda: request.path
            key = lambda: request.args.get("q")
        """),
        # guarded by has_request_context() or a handler
        _code("""
            from flask import has_request_context, request

            if has_request_context():
                AGENT = request.user_agent
            try:
                HOST = request.host
            except RuntimeError:
                HOST = None
        """),
    )
    invalid = (
        # request in a default argument value
        Example(
            _code("""
                from flask import Flask, request

                app = Flask(__name__)

                @app.route("/search")
                def search(q=request.args.get("q")):
                    return q or ""
            """)
        ),
        # session in a class body, flash at module level
        Example(
            _code("""
                import flask

                class Prefs:
                    lang = flask.session.get("lang", "en")

                flask.flash("imported")
            """)
        ),
        # an app context is not a request context
        Example(
            _code("""
                from flask import Flask, request

                app = Flask(__name__)

                with app.app_context():
                    AGENT = request.headers.get("User-Agent")
            """)
        ),
        # a module function called at import time
        Example(
            _code("""
                from flask import request

                def client_ip():
                    return request.remote_addr

                ALLOWED = [client_ip()]
            """)
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        walker = ContextWalker(self, follow=True)
        contexts = self.context.index.contexts
        walker.statements(node.body, contexts.import_context.get(self.context.path, NONE))
        for use in walker.uses:
            if use.needs == REQUEST and use.outside:
                self.report(use.node, message(use))


def message(use: Use) -> str:
    verb = "called" if use.kind == "function" else "used"
    name = f"{use.name}()" if use.kind == "function" else use.name
    inside = " (an application context carries no request)" if use.state == APP else ""
    return (
        f"`{name}` is {verb} {where(use)}, outside any request context{inside}, where "
        f'Flask raises "RuntimeError: {REQUEST_CONTEXT_ERROR}"; read it inside a view '
        "(or under `with app.test_request_context():` in scripts and tests)"
    )
