"""FLK404 insecure-session-cookie."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst
from libcst import MaybeSentinel

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.flask_config import (
    ConfigWrite,
    FlaskConfigRule,
    is_false,
    testing_config_example,
    written_values,
)

COOKIE_KEYS = frozenset(
    {
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "REMEMBER_COOKIE_SECURE",
        "REMEMBER_COOKIE_HTTPONLY",
    }
)
# what each flag protects against
EFFECT = {
    "SECURE": "the browser also sends it over plain HTTP, where anyone on the network can read it",
    "HTTPONLY": "any script running on the page (an XSS payload) can read it",
}
# calls returning a new Werkzeug/Flask response object
RESPONSE_FACTORIES = frozenset(
    {
        "flask.make_response",
        "flask.helpers.make_response",
        "flask.Response",
        "flask.wrappers.Response",
        "werkzeug.Response",
        "werkzeug.wrappers.Response",
        "werkzeug.wrappers.response.Response",
        "flask.jsonify",
        "flask.json.jsonify",
        "flask.redirect",
        "flask.helpers.redirect",
        "werkzeug.utils.redirect",
        "flask.send_file",
        "flask.helpers.send_file",
        "flask.send_from_directory",
        "flask.helpers.send_from_directory",
    }
)
APP_RESPONSE_METHODS = frozenset({"make_response", "response_class"})
# hooks whose function receives the response as its first argument
RESPONSE_HOOKS = frozenset({"after_request", "after_app_request"})
# Response.set_cookie(key, value, max_age, expires, path, domain, secure, httponly, ...)
SET_COOKIE_PARAMETERS = (
    "key",
    "value",
    "max_age",
    "expires",
    "path",
    "domain",
    "secure",
    "httponly",
)
FLAGS = ("secure", "httponly")


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class InsecureSessionCookie(FlaskConfigRule):
    """
    What it does:
        Finds `SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`, `REMEMBER_COOKIE_SECURE`
        and `REMEMBER_COOKIE_HTTPONLY` (Flask-Login's remember-me cookie) set to `False`
        (`app.config[...] = False`, `config.update(...)`, `from_mapping(...)`, or in a
        config class or module loaded with `from_object`/`from_pyfile`), and
        `response.set_cookie(...)` calls without `secure=` or `httponly=` on a response
        the code surely holds: one made by `make_response`, `Response`, `jsonify`,
        `redirect`, `send_file`, `app.response_class(...)`, or the response an
        `after_request` hook receives. With `--unsafe-fixes` the setting becomes `True` and
        the missing arguments are added as `secure=True, httponly=True`.

    Why is this bad?:
        A cookie without the Secure flag is also sent over plain HTTP, where anyone on the
        network path can read it and replay the session. A cookie without the HttpOnly flag
        can be read by any script on the page, so one XSS flaw leaks every visitor's
        session. Flask's security guide asks for both on session cookies.

    Example:
        app.config["SESSION_COOKIE_SECURE"] = False

        resp = make_response(render_template("index.html"))
        resp.set_cookie("theme", "dark")

    Use instead:
        app.config["SESSION_COOKIE_SECURE"] = True

        resp = make_response(render_template("index.html"))
        resp.set_cookie("theme", "dark", secure=True, httponly=True)

    Fix safety:
        Unsafe: a Secure cookie is never sent over plain HTTP, so logging in on an
        `http://` development server stops working, and an HttpOnly cookie can no longer
        be read by the page's own JavaScript (a CSRF token meant for scripts, a UI
        preference read client-side): write `httponly=False` explicitly where that is
        intended, and the call is no longer reported. Only a literal `False` setting and an
        absent `set_cookie` argument are reported (a value computed from the environment
        is the deployment's choice); calls with `**kwargs` are skipped. Settings under an
        `if` or `try` in a class or module body are reported without a rewrite.
        `SESSION_COOKIE_SAMESITE = None` is not reported: it is Flask's default, and
        browsers then apply their own `Lax` default. Test modules (in `tests/`, `test/` or
        `testing/` folders, `test_*.py`, `*_test.py`, `conftest.py`) are skipped: their
        cookies never reach a browser; so are test configurations (config classes whose
        own body sets `TESTING = True`).
    """

    code = "FLK404"
    name = "insecure-session-cookie"
    fix_level = FixLevel.UNSAFE
    summary = "Keep the Secure and HttpOnly flags on session and other cookies."
    triggers = (b"COOKIE_SECURE", b"COOKIE_HTTPONLY", b"set_cookie")
    config_keys = COOKIE_KEYS

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A cookie key set to False, or `set_cookie(...)` on a call or a name with a
        flag not given (Flask's own defaults and `set_cookie` definitions, and calls
        passing both flags, matched the trigger text)."""
        if any(
            isinstance(value, ast.Constant) and value.value is False
            for value in written_values(module, COOKIE_KEYS)
        ):
            return True
        for call in module.calls("set_cookie"):
            func = call.func
            if not (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, (ast.Call, ast.Name))
                and (call.args or call.keywords)
            ):
                continue
            if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
                keyword.arg is None for keyword in call.keywords
            ):
                continue  # `*args`, `**kwargs`: the rule cannot tell what is given
            given = {keyword.arg for keyword in call.keywords}
            given.update(SET_COOKIE_PARAMETERS[: len(call.args)])
            if any(flag not in given for flag in FLAGS):
                return True
        return False

    valid = (
        # a test configuration (its body sets TESTING = True) never deploys
        testing_config_example('SESSION_COOKIE_SECURE = False'),
        # both flags given, whatever their value
        _code("""
            import os
            from flask import Flask, make_response

            app = Flask(__name__)
            app.config["SESSION_COOKIE_SECURE"] = os.environ.get("HTTPS") == "1"

            @app.get("/")
            def index():
                resp = make_response("hello")
                resp.set_cookie("theme", "dark", secure=True, httponly=False)
                return resp
        """),
        # not known to be a response: a parameter, a test client, another object
        _code("""
            from flask import Flask

            app = Flask(__name__)

            def remember(response, value):
                response.set_cookie("value", value)

            def test_cookie(client):
                client.set_cookie("session", "x")
        """),
        # a name rebound to something else
        _code("""
            from flask import Flask, make_response

            app = Flask(__name__)

            @app.get("/")
            def index():
                resp = make_response("hello")
                resp = Jar()
                resp.set_cookie("theme", "dark")
                return "ok"
        """),
        # the flags turned on, and another object's config
        _code("""
            from flask import Flask

            app = Flask(__name__)
            app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)
            settings.config["SESSION_COOKIE_SECURE"] = False
        """),
        # options passed through **kwargs may hold the flags
        _code("""
            from flask import Flask, make_response

            app = Flask(__name__)

            @app.get("/")
            def index():
                resp = make_response("hello")
                resp.set_cookie("theme", "dark", **COOKIE_OPTIONS)
                return resp
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.config["SESSION_COOKIE_SECURE"] = False
                app.config.update(REMEMBER_COOKIE_HTTPONLY=False)
            """),
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.config["SESSION_COOKIE_SECURE"] = True
                app.config.update(REMEMBER_COOKIE_HTTPONLY=True)
            """),
            unsafe=True,
        ),
        Example(
            _code("""
                from flask import Flask, make_response

                app = Flask(__name__)

                @app.get("/")
                def index():
                    resp = make_response("hello")
                    resp.set_cookie("theme", "dark", max_age=3600)
                    return resp

                @app.after_request
                def remember(response):
                    response.set_cookie(
                        "seen",
                        "1",
                        secure=True,
                    )
                    return response
            """),
            _code("""
                from flask import Flask, make_response

                app = Flask(__name__)

                @app.get("/")
                def index():
                    resp = make_response("hello")
                    resp.set_cookie("theme", "dark", max_age=3600, secure=True, httponly=True)
                    return resp

                @app.after_request
                def remember(response):
                    response.set_cookie(
                        "seen",
                        "1",
                        secure=True,
                        httponly=True,
                    )
                    return response
            """),
            unsafe=True,
        ),
        # reported only without --unsafe-fixes; a loaded config class
        Example(
            _code("""
                from flask import Flask

                class Config:
                    SESSION_COOKIE_HTTPONLY = False

                app = Flask(__name__)
                app.config.from_object(Config)
            """),
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._cookies: list[cst.Call] = []
        self._hook_params: dict[int, cst.BaseExpression] = {}  # Param -> hook owner

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        params = node.params.posonly_params or node.params.params
        if not params:
            return
        for decorator in node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Attribute) and expr.attr.value in RESPONSE_HOOKS:
                self._hook_params[id(params[0])] = expr.value

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "set_cookie":
            self._cookies.append(node)

    def on_config_write(self, write: ConfigWrite) -> None:
        if not is_false(write.value):
            return
        flag = write.key.rpartition("_")[2]
        message = (
            f"`{write.key}` is set to False: {EFFECT[flag]}; set it to True "
            "(the app must then be served over HTTPS)"
            if flag == "SECURE"
            else f"`{write.key}` is set to False: {EFFECT[flag]}; set it to True"
        )
        if write.conditional:
            self.report(write.value, message)
        else:
            self.report(write.value, message, fix=Fix({write.value: cst.Name("True")}))

    def finish(self) -> None:
        for call in self._cookies:
            if not self._is_response(call.func.value):  # type: ignore[attr-defined]
                continue
            given = self._given_parameters(call)
            if given is None or not call.args:
                continue
            missing = [flag for flag in FLAGS if flag not in given]
            if not missing:
                continue
            effects = "; ".join(EFFECT[flag.upper()] for flag in missing)
            arguments = " and ".join(f"`{flag}=True`" for flag in missing)
            self.report(
                call,
                f"cookie set without {arguments}: {effects}",
                fix=Fix({call: _with_flags(call, missing)}),
            )

    @staticmethod
    def _given_parameters(call: cst.Call) -> set[str] | None:
        """The set_cookie parameters given; None when `*args`/`**kwargs` may hide some."""
        given: set[str] = set()
        for position, arg in enumerate(call.args):
            if arg.star:
                return None
            if arg.keyword is not None:
                given.add(arg.keyword.value)
            elif position < len(SET_COOKIE_PARAMETERS):
                given.add(SET_COOKIE_PARAMETERS[position])
        return given

    def _is_response(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Call):
            return self._is_response_call(node)
        if not isinstance(node, cst.Name):
            return False
        values = self.local_values(node)
        if not values:
            return False
        for value in values:
            if isinstance(value, cst.Param):
                owner = self._hook_params.get(id(value))
                if owner is None or not (self.is_app(owner) or self.is_blueprint(owner)):
                    return False
            elif not self._is_response_call(value):
                return False
        return True

    def _is_response_call(self, node: cst.CSTNode) -> bool:
        if not isinstance(node, cst.Call):
            return False
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in APP_RESPONSE_METHODS
            and self.is_app(func.value)
        ):
            return True
        return self.defined_name(func) in RESPONSE_FACTORIES


def _with_flags(call: cst.Call, flags: list[str]) -> cst.Call:
    """`call` with `flag=True` keyword arguments appended, in the call's own layout."""
    args = list(call.args)
    last = args[-1]
    new = [
        cst.Arg(
            cst.Name("True"),
            keyword=cst.Name(flag),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        for flag in flags
    ]
    if isinstance(last.comma, MaybeSentinel):  # no trailing comma: `a, b)` -> `a, b, f=True)`
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
        new = [arg.with_changes(comma=separator) for arg in new[:-1]] + [
            new[-1].with_changes(whitespace_after_arg=last.whitespace_after_arg)
        ]
    else:  # a trailing comma (one argument a line): the new ones follow the same layout
        inner = args[-2].comma if len(args) > 1 else last.comma
        args[-1] = last.with_changes(comma=inner)
        new = [arg.with_changes(comma=inner) for arg in new[:-1]] + [
            new[-1].with_changes(comma=last.comma)
        ]
    return call.with_changes(args=[*args, *new])
