"""FLK402 hardcoded-secret-key."""

from __future__ import annotations

import ast
import re
from textwrap import dedent

import libcst as cst
from libcst.metadata import QualifiedNameSource, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix, ImportSpec
from ..rewrite.flask_config import (
    ConfigWrite,
    FlaskConfigRule,
    is_test_path,
    string_value,
    testing_config_example,
    written_values,
)

ENV_GETTERS = ("os.environ.get", "os.getenv")
ENV_NAME = "SECRET_KEY"
WHY = (
    "anyone who can read the code can sign session cookies (and any other data signed "
    "with the key) that the app accepts as genuine"
)
ADVICE = f'load it from the environment (`os.environ["{ENV_NAME}"]`) or from a file kept out of version control'
# in a class body or a settings module, read whenever the module is imported, whichever
# configuration the app then uses: a form that cannot fail there
ADVICE_AT_IMPORT = (
    f'load it from the environment without a default (`os.environ.get("{ENV_NAME}")`: the '
    "module stays importable, and an app started with this configuration and no variable "
    "refuses to sign sessions) or from a file kept out of version control"
)
# ConfigWrite kinds evaluated when their module is imported, not when an app is set up
AT_IMPORT = ("class", "module")
# placeholders seen in tutorials, templates and generated projects (compared lowercased,
# letters and digits only)
PLACEHOLDERS = frozenset(
    {
        "secret", "secretkey", "mysecret", "mysecretkey", "supersecret", "supersecretkey",
        "yoursecretkey", "thisisasecret", "changeme", "changethis", "changeit", "dev",
        "devkey", "development", "developmentkey", "default", "test", "testing", "testkey",
        "key", "password", "flask", "example", "hardtoguessstring", "youwillneverguess",
        "notasecret", "insecure", "placeholder", "todo", "xxx", "abc", "123", "123456",
        "12345678", "123456790",
    }
)  # fmt: skip
PLACEHOLDER_PARTS = ("changeme", "changethis", "secretkey", "notset", "placeholder", "guess")
SHORT = 24


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


def weakness(value: str | bytes) -> str | None:
    """Why a key is guessable on sight, or None."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    normalized = re.sub(r"[^a-z0-9]", "", text.lower())
    if normalized in PLACEHOLDERS or any(part in normalized for part in PLACEHOLDER_PARTS):
        return "a well-known placeholder"
    if len(set(text)) <= 2:
        return "one or two characters repeated"
    if len(text) < SHORT:
        return f"only {len(text)} characters long"
    return None


class HardcodedSecretKey(FlaskConfigRule):
    """
    What it does:
        Finds the secret key set from a string (or bytes) literal: `app.secret_key =
        "..."`, `app.config["SECRET_KEY"] = "..."`, `app.config.update(SECRET_KEY="...")`,
        `from_mapping(SECRET_KEY="...")` or `{"SECRET_KEY": "..."}`, and `SECRET_KEY =
        "..."` in a config class or module the project loads with
        `config.from_object(...)` or `config.from_pyfile(...)` (their project base classes
        included). With `--unsafe-fixes` the literal becomes `os.environ["SECRET_KEY"]`
        where the app is set up, and `os.environ.get("SECRET_KEY")` in a config class
        body or a settings module (see Fix safety).
        A literal fallback (`os.environ.get("SECRET_KEY", "dev")`, `os.getenv(..., "dev")`,
        `os.environ.get("SECRET_KEY") or "dev"`) is reported: it is the key that ships
        whenever the variable is missing. Keys that are short (under 24 characters), made
        of a repeated character, or well-known placeholders ("dev", "changeme", "hard to
        guess string"...) are called out as guessable.

    Why is this bad?:
        Flask signs the session cookie with the secret key. Whoever knows the key can
        write any session they like (log in as any user, skip any check kept in the
        session) and forge everything else signed with it (password-reset and
        confirmation tokens). A key in the code is known to everyone who can read the
        repository, its history and its forks, and is the same in every deployment.

    Example:
        app = Flask(__name__)
        app.config["SECRET_KEY"] = "dev"

    Use instead:
        import os

        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]

    Fix safety:
        Unsafe: sessions signed with the old key become invalid when a new one is set, and
        an app that no longer finds the key behaves differently. Where the key is set on
        the app itself (`app.config[...]`, `app.secret_key`, `config.update(...)`,
        `from_mapping(...)`, at module level or in `create_app`), the value is read when
        that app is set up, so `os.environ["SECRET_KEY"]` makes that app fail to start
        (KeyError) wherever the variable is not set: the failure the fix is for. A config
        class body or a settings module is different: it is evaluated whenever its module
        is imported, for every configuration in it, also by tests that use another class
        (`TestingConfig` next to a `ProductionConfig` holding the literal), so a KeyError
        there would break every import of the module. There the literal becomes
        `os.environ.get("SECRET_KEY")`: the module stays importable without the variable,
        and an app started with that configuration and no variable has no key, so Flask
        refuses to write a session (RuntimeError on first use) and Flask-WTF refuses to
        make CSRF tokens; nothing is signed with a known key. An `os` or
        `from os import environ` already imported is used,
        else `import os` is added; where the name `os` means something else the finding is
        only reported. Reported without a rewrite: literal
        fallbacks (the variable may be optional on purpose), keys set under an `if` or
        `try` in a class or module body (the condition decides, e.g. "use the environment
        when set"), and `config.setdefault(...)`. An empty string is not reported (Flask
        treats it as no key at all). Test modules (in `tests/`, `test/` or `testing/`
        folders, `test_*.py`, `*_test.py`, `conftest.py`) are skipped: a key that only a
        test app uses never reaches a deployment, and the rewrite would make the test
        suite depend on the environment; for the same reason a test configuration (a
        config class whose own body sets `TESTING = True`) is skipped, and a class such a
        test configuration inherits the key from (`BaseConfig` under `TestingConfig` in
        the same module) is reported without a rewrite: the test suite would run with no
        key (sessions, flash and CSRF tokens fail) until the test configuration has its
        own. For the same reason a settings module (a whole module loaded with
        `from_object`/`from_pyfile`) is only reported when the project has test modules:
        every app loading it, the tests' too, takes its key from there
        (flask-user-starter's app/local_settings.py: Flask-User refused the keyless test
        app). The key itself is never repeated in a message.
    """

    code = "FLK402"
    name = "hardcoded-secret-key"
    fix_level = FixLevel.UNSAFE
    summary = "Load the secret key from the environment, not from a literal in the code."
    triggers = (b"SECRET_KEY", b"secret_key")
    config_keys = frozenset({"SECRET_KEY"})

    @classmethod
    def module_could_fire(cls, module) -> bool:
        return any(_may_hold_literal(value) for value in written_values(module, cls.config_keys))

    valid = (
        # a test configuration (its body sets TESTING = True) never deploys
        testing_config_example('SECRET_KEY = "testing-secret-key"'),
        # from the environment, without a literal fallback
        _code("""
            import os
            from flask import Flask

            app = Flask(__name__)
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
            app.secret_key = os.environ.get("SECRET_KEY")
            app.config.from_mapping(SECRET_KEY=os.urandom(32))
        """),
        # a class that no from_object loads
        _code("""
            class AWSCredentials:
                SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        """),
        # not a Flask app: a parameter, and another library's object
        _code("""
            from itsdangerous import Signer

            def configure(app):
                app.config["SECRET_KEY"] = "not known to be a Flask app"

            signer = Signer("a-key-for-something-else")
            signer.secret_key = "a-key-for-something-else"
        """),
        # a local variable named like the setting, inside a function
        _code("""
            from flask import Flask

            class Config:
                def keys(self):
                    SECRET_KEY = "only a local variable here"
                    return [SECRET_KEY]

            app = Flask(__name__)
            app.config.from_object(Config)
        """),
        # an empty key is no key
        _code("""
            from flask import Flask

            app = Flask(__name__)
            app.secret_key = ""
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.config["SECRET_KEY"] = "dev"
            """),
            _code("""
                import os

                from flask import Flask

                app = Flask(__name__)
                app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
            """),
            unsafe=True,
        ),
        # every app form; the existing `import os` is used
        Example(
            _code("""
                import os
                import flask

                def create_app():
                    app = flask.Flask(__name__)
                    app.secret_key = b"kT9#mQ2$vL8@xR4!pW6^zN1&cY7*bH3%"
                    app.config.update(SECRET_KEY="kT9#mQ2$vL8@xR4!pW6^zN1&cY7*bH3%")
                    app.config.from_mapping({"SECRET_KEY": "kT9#mQ2$vL8@xR4!pW6^zN1&cY7*bH3%"})
                    return app
            """),
            _code("""
                import os
                import flask

                def create_app():
                    app = flask.Flask(__name__)
                    app.secret_key = os.environ["SECRET_KEY"]
                    app.config.update(SECRET_KEY=os.environ["SECRET_KEY"])
                    app.config.from_mapping({"SECRET_KEY": os.environ["SECRET_KEY"]})
                    return app
            """),
            unsafe=True,
        ),
        # a config class loaded with from_object, through a dict of configs; its base too
        Example(
            _code("""
                import os
                from flask import Flask

                class Config:
                    SECRET_KEY = "hard to guess string"

                class DevelopmentConfig(Config):
                    SQLALCHEMY_ECHO = True

                configs = {"development": DevelopmentConfig}

                def create_app(name):
                    app = Flask(__name__)
                    app.config.from_object(configs[name])
                    return app
            """),
            _code("""
                import os
                from flask import Flask

                class Config:
                    SECRET_KEY = os.environ.get("SECRET_KEY")

                class DevelopmentConfig(Config):
                    SQLALCHEMY_ECHO = True

                configs = {"development": DevelopmentConfig}

                def create_app(name):
                    app = Flask(__name__)
                    app.config.from_object(configs[name])
                    return app
            """),
            unsafe=True,
        ),
        # a base class the test configuration inherits the key from: reported only
        Example(
            _code("""
                from flask import Flask

                class BaseConfig:
                    SECRET_KEY = "my_precious"

                class TestingConfig(BaseConfig):
                    TESTING = True

                def create_app():
                    app = Flask(__name__)
                    app.config.from_object(TestingConfig)
                    return app
            """),
            unsafe=True,
        ),
        # without --unsafe-fixes the finding stays and nothing changes
        Example(
            _code("""
                from flask import Flask

                app = Flask(__name__)
                app.secret_key = "changeme"
            """),
        ),
        # literal fallbacks and conditional keys: reported only
        Example(
            _code("""
                import os
                from flask import Flask

                SECRET_KEY = os.environ.get("SECRET_KEY") or "dev"

                class Config:
                    if os.environ.get("SECRET_KEY"):
                        SECRET_KEY = os.environ["SECRET_KEY"]
                    else:
                        SECRET_KEY = "SECRET_KEY_ENV_VAR_NOT_SET"

                app = Flask(__name__)
                app.config.from_object(__name__)
                app.config.from_object(Config)
                app.config["SECRET_KEY"] = os.getenv("FLASK_SECRET", "x9$Lq2!vR7@pK4#mZ8&wT1^c")
            """),
            unsafe=True,
        ),
    )

    def on_config_write(self, write: ConfigWrite) -> None:
        literal = string_value(write.value)
        if literal is not None:
            if not literal:
                return
            self._report_literal(write, literal)
            return
        fallback = self._literal_fallback(write.value)
        if fallback:
            reason = weakness(fallback)
            weak = f", and that key is guessable ({reason})" if reason else ""
            if write.kind in AT_IMPORT:
                advice = (
                    f'drop the default (`os.environ.get("{ENV_NAME}")`) so an app started '
                    "without the variable refuses to sign sessions instead of using a known key"
                )
            else:
                advice = (
                    f'require the variable (`os.environ["{ENV_NAME}"]`) so a missing key '
                    "stops the app from starting"
                )
            self.report(
                write.value,
                "the secret key falls back to a literal written in the code when the "
                f"environment does not provide one{weak}: {WHY}; {advice}",
            )

    def _report_literal(self, write: ConfigWrite, literal: str | bytes) -> None:
        reason = weakness(literal)
        at_import = write.kind in AT_IMPORT
        advice = ADVICE_AT_IMPORT if at_import else ADVICE
        if reason:
            message = f"GUESSABLE secret key ({reason}) written in the code: {WHY}; {advice}"
        else:
            message = f"secret key written in the code: {WHY}; {advice}"
        if write.conditional or write.kind == "setdefault":
            self.report(write.value, message)
            return
        heir = self.testing_heir(write.qualname, ENV_NAME) if write.kind == "class" else None
        if heir:  # the test suite's configuration would lose its key
            self.report(
                write.value,
                f"{message}; not rewritten: the test configuration `{heir}` inherits this "
                "key, and its suite would run without one: give the test configuration its "
                "own key first",
            )
            return
        tests = sorted(p for p in self.context.index.modules if is_test_path(p))
        if write.kind == "module" and tests:  # every app loads it, the tests' too
            self.report(
                write.value,
                f"{message}; not rewritten: every app that loads this settings module takes "
                f"its key from it, the test suite's too ({tests[0]}), which would run "
                "without one: give the tests their own key first",
            )
            return
        environ = self._environ(write.value)
        if environ is None:
            self.report(write.value, message)
            return
        expression, imports = environ
        name = cst.SimpleString(f'"{ENV_NAME}"')
        replacement: cst.BaseExpression
        if at_import:  # `os.environ.get("SECRET_KEY")`: never raises at import
            replacement = cst.Call(
                func=cst.Attribute(expression, cst.Name("get")), args=[cst.Arg(name)]
            )
        else:  # set up on the running app: a missing key stops it from starting
            replacement = cst.Subscript(
                value=expression, slice=[cst.SubscriptElement(cst.Index(name))]
            )
        self.report(write.value, message, fix=Fix({write.value: replacement}, add_imports=imports))

    def _environ(self, at: cst.CSTNode) -> tuple[cst.BaseExpression, tuple[ImportSpec, ...]] | None:
        """`os.environ` usable at `at`, and the import it needs; None when `os` is bound
        to something else there and `environ` is not os.environ."""
        scope = self.get_metadata(ScopeProvider, at, None)
        if scope is None:
            return None
        if scope["os"] and _only_import_of(scope, "os", ("os",)):
            return cst.Attribute(cst.Name("os"), cst.Name("environ")), ()
        if scope["environ"] and _only_import_of(scope, "environ", ("os.environ",)):
            return cst.Name("environ"), ()
        if not scope["os"]:
            return cst.Attribute(cst.Name("os"), cst.Name("environ")), (("os", None, None),)
        return None

    def _literal_fallback(self, value: cst.BaseExpression) -> str | bytes | None:
        """The literal a value falls back to: `os.environ.get(k, "x")`, `os.getenv(k,
        "x")`, `... or "x"`, `"x" if ... else ...`."""
        if isinstance(value, cst.Call) and self.imported_name(value.func) in ENV_GETTERS:
            default = None
            if len(value.args) >= 2 and value.args[1].keyword is None:
                default = value.args[1].value
            for arg in value.args:
                if arg.keyword is not None and arg.keyword.value in ("default", "failobj"):
                    default = arg.value
            return string_value(default) if default is not None else None
        if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
            return string_value(value.right) or self._literal_fallback(value.right)
        if isinstance(value, cst.IfExp):
            return string_value(value.body) or string_value(value.orelse)
        return None


def _may_hold_literal(value: ast.expr) -> bool:
    """Stdlib-ast triage: could `value` be a non-empty literal, or fall back to one?"""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, (str, bytes)) and bool(value.value)
    if isinstance(value, ast.Call):  # os.environ.get(key, default), os.getenv(key, default)
        return len(value.args) >= 2 or any(k.arg in ("default", "failobj") for k in value.keywords)
    if isinstance(value, ast.BoolOp):
        return any(_may_hold_literal(v) for v in value.values)
    if isinstance(value, ast.IfExp):
        return _may_hold_literal(value.body) or _may_hold_literal(value.orelse)
    return False


def _only_import_of(scope, name: str, modules: tuple[str, ...]) -> bool:
    qualified = scope.get_qualified_names_for(name)
    return bool(qualified) and all(
        q.source is QualifiedNameSource.IMPORT and q.name in modules for q in qualified
    )
