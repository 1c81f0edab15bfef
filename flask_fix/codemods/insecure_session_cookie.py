"""FLK404 insecure-session-cookie."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.flask_config import (
    ConfigWrite,
    FlaskConfigRule,
    is_false,
    is_true,
    string_value,
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
# words in a config class name that mark a development configuration (lowercased)
DEVELOPMENT_WORDS = ("dev", "local")


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
        `after_request` hook receives. With `--unsafe-fixes` a session or remember-me
        setting becomes `True`; `set_cookie(...)` calls are only reported.

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
        resp.set_cookie("theme", "dark", secure=True, httponly=False)  # read by scripts

    Fix safety:
        Unsafe, and only where the cookie is provably Flask's session cookie or
        Flask-Login's remember-me cookie: a `SESSION_COOKIE_*`/`REMEMBER_COOKIE_*` setting
        written as a literal `False` becomes `True`. A Secure cookie is never sent over
        plain HTTP, so logging in on an `http://` server other than localhost stops
        working; an HttpOnly session cookie can no longer be read by the page's scripts.
        For that reason `SESSION_COOKIE_SECURE`/`REMEMBER_COOKIE_SECURE = False` in a
        development configuration (a config class named `Dev...`/`Local...` or whose own
        body sets `DEBUG = True` or `ENV = "development"`, or a settings module that sets
        them) is reported without a rewrite. `response.set_cookie(...)` sets a cookie of
        the app's own (a theme, a consent flag, a CSRF token read by JavaScript), which
        the page's scripts may need to read and a plain-HTTP deployment may need to send:
        it is reported, never rewritten; write `httponly=False` (or `secure=False`)
        explicitly where that is intended, and the call is no longer reported. Only a
        literal `False` setting and an absent `set_cookie` argument are reported (a value
        computed from the environment is the deployment's choice); calls with `**kwargs`
        are skipped. Settings under an `if` or `try` in a class or module body are
        reported without a rewrite. `SESSION_COOKIE_SAMESITE = None` is not reported: it
        is Flask's default, and browsers then apply their own `Lax` default. Test modules
        (in `tests/`, `test/` or `testing/` folders, `test_*.py`, `*_test.py`,
        `conftest.py`) are skipped: their cookies never reach a browser; so are test
        configurations (config classes whose own body sets `TESTING = True`).
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
        # cookies of the app's own: reported, never rewritten (scripts may read them)
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
        # development configurations: qualnames of config classes named Dev*/Local* or
        # whose body sets DEBUG = True or ENV = "development"; "" for such a module
        self._development: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        params = node.params.posonly_params or node.params.params
        if not params:
            return
        for decorator in node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Attribute) and expr.attr.value in RESPONSE_HOOKS:
                self._hook_params[id(params[0])] = expr.value

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        super().visit_ClassDef(node)
        if any(word in node.name.value.lower() for word in DEVELOPMENT_WORDS):
            self._development.add(self._class_qualname())

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if any(frame[0] != "class" for frame in self._frames):
            return  # only class bodies and module level, outside `if`/`try`
        for target in node.targets:
            name = target.target
            if isinstance(name, cst.Name) and (
                (name.value == "DEBUG" and is_true(node.value))
                or (
                    name.value in ("ENV", "FLASK_ENV")
                    and string_value(node.value) == "development"
                )
            ):
                self._development.add(self._class_qualname() if self._frames else "")

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
        development = (
            write.kind in ("class", "module") and (write.qualname or "") in self._development
        )
        if flag == "SECURE" and development:
            self.report(
                write.value,
                f"{message}; this looks like a development configuration, which may be "
                "served over plain HTTP, so it is not rewritten",
            )
        elif write.conditional:
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
            arguments = " and ".join(f"`{flag}=`" for flag in missing)
            # report only: the rule cannot tell whether page scripts read this cookie (a
            # theme or a CSRF token for JavaScript must not become HttpOnly) or whether the
            # site is served over HTTPS
            self.report(
                call,
                f"cookie set without {arguments}: {effects}; pass `secure=True` where the "
                "site is served over HTTPS, and `httponly=True` unless the page's scripts "
                "read this cookie (then write `httponly=False`)",
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
