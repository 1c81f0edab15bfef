"""FLK403 missing-secret-key."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Rule
from ..rewrite.names import qualified_name

SESSION = ("flask.session", "flask.globals.session")
FLASH = ("flask.flash", "flask.helpers.flash")
# Flask-Login keeps the user id in Flask's session
SESSION_WRITERS = (
    "flask_login.login_user",
    "flask_login.logout_user",
    "flask_login.utils.login_user",
    "flask_login.utils.logout_user",
)
# what NullSession refuses (flask.sessions.NullSession._fail)
MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear"})
FLASK_ERROR = (
    "RuntimeError: The session is unavailable because no secret key was set.  Set the "
    "secret_key on the application to something unique and secret."
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class MissingSecretKey(Rule):
    """
    What it does:
        Reports, once per module, where the project writes to Flask's `session`
        (`session[k] = v`, `del session[k]`, `session[k] += 1`, `session.update/
        setdefault/pop/popitem/clear(...)`, `session.permanent = ...`), calls `flash()`,
        or calls Flask-Login's `login_user()`/`logout_user()` (which write the session),
        when no module of the project sets a secret key.

    Why is this bad?:
        Without a secret key Flask cannot sign the session cookie: the session it hands
        out is read-only, and the first write fails with "RuntimeError: The session is
        unavailable because no secret key was set.  Set the secret_key on the application
        to something unique and secret." Every request that reaches that line answers 500.

    Example:
        app = Flask(__name__)

        @app.post("/login")
        def login():
            session["user_id"] = check_password(request.form)
            return redirect(url_for("index"))

    Use instead:
        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]

    Fix safety:
        Report only: the key must come from the deployment. The project counts as setting
        a key (nothing is reported) when any module assigns `SECRET_KEY` or `secret_key`
        in any form, sets a config key whose name is not a literal, passes a mapping or
        `**kwargs` to `config.update`/`from_mapping`, calls any config loader
        (`from_object`, `from_pyfile`, `from_envvar`, `from_file`, `from_prefixed_env`,
        `from_json`: what they load cannot be read here), replaces `session_interface`, or
        imports Flask-Session or Flask-KVSession (server-side sessions need no key). A
        project that never creates a Flask app (a library or extension that calls
        `flash()` for the apps using it) is not reported. Only the first session write in
        each module is reported, with a count of the others: the fix is one setting.
    """

    code = "FLK403"
    name = "missing-secret-key"
    fix_level = FixLevel.REPORT
    summary = "Set a secret key when the app writes to the session or flashes messages."
    triggers = (
        b"session[", b"session.update", b"session.setdefault", b"session.pop",
        b"session.clear", b"session.permanent", b"flash(", b"login_user(", b"logout_user(",
    )  # fmt: skip
    required_imports = frozenset({"flask", "flask_login"})
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return _key_surely_missing(index)

    valid = (
        # a key is set
        _code("""
            import os
            from flask import Flask, session

            app = Flask(__name__)
            app.secret_key = os.environ["SECRET_KEY"]

            @app.post("/")
            def index():
                session["seen"] = True
                return ""
        """),
        # the configuration comes from somewhere we cannot read
        _code("""
            from flask import Flask, flash

            app = Flask(__name__)
            app.config.from_envvar("APP_SETTINGS")

            @app.post("/")
            def index():
                flash("saved")
                return ""
        """),
        # only reading the session works without a key
        _code("""
            from flask import Flask, session

            app = Flask(__name__)

            @app.get("/")
            def index():
                return str(session.get("user_id"))
        """),
        # a local dict named session, and a local flash()
        _code("""
            from flask import Flask

            app = Flask(__name__)

            def flash(message):
                print(message)

            @app.post("/")
            def index():
                session = {}
                session["seen"] = True
                flash("saved")
                return ""
        """),
        # server-side sessions (Flask-Session) need no secret key
        _code("""
            from flask import Flask, session
            from flask_session import Session

            app = Flask(__name__)
            app.config["SESSION_TYPE"] = "filesystem"
            Session(app)

            @app.post("/")
            def index():
                session["seen"] = True
                return ""
        """),
        # no Flask app in the project: a library flashing for the apps that use it
        _code("""
            from flask import flash

            def notify_saved():
                flash("saved")
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask, session

                app = Flask(__name__)

                @app.post("/login")
                def login():
                    session["user_id"] = 1
                    session.permanent = True
                    return ""
            """),
        ),
        Example(
            _code("""
                import flask

                def create_app():
                    app = flask.Flask(__name__)
                    app.config["TESTING"] = True
                    return app

                def forget():
                    del flask.session["cart"]
                    flask.flash("cart emptied")
            """),
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writes: list[tuple[cst.CSTNode, str]] = []

    def _is_session(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, (cst.Name, cst.Attribute)) and qualified_name(self, node) in SESSION

    def _note_target(self, target: cst.BaseExpression, node: cst.CSTNode, what: str) -> None:
        if isinstance(target, cst.Subscript) and self._is_session(target.value):
            self._writes.append((node, what))
        elif (
            isinstance(target, cst.Attribute)
            and target.attr.value == "permanent"
            and self._is_session(target.value)
        ):
            self._writes.append((node, "setting `session.permanent`"))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._note_target(target.target, node, "writing to the session")

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._note_target(node.target, node, "writing to the session")

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._note_target(node.target, node, "writing to the session")

    def visit_Del(self, node: cst.Del) -> None:
        targets = (
            [e.value for e in node.target.elements]
            if isinstance(node.target, (cst.Tuple, cst.List))
            else [node.target]
        )
        for target in targets:
            self._note_target(target, node, "deleting from the session")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in MUTATORS
            and self._is_session(func.value)
        ):
            self._writes.append((node, f"`session.{func.attr.value}()`"))
            return
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return
        name = qualified_name(self, func)
        if name in FLASH:
            self._writes.append((node, "`flash()` (it stores messages in the session)"))
        elif name in SESSION_WRITERS:
            what = name.rpartition(".")[2]
            self._writes.append((node, f"`{what}()` (it writes the session)"))

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._writes or not _key_surely_missing(self.context.index):
            return
        node, what = self._writes[0]
        more = len(self._writes) - 1
        others = f" ({more} more session write{'s' if more > 1 else ''} in this module)"
        self.report(
            node,
            f"no secret key is set anywhere in the project, so {what} fails with "
            f'"{FLASK_ERROR}"; set `SECRET_KEY` from the environment when creating the app'
            + (others if more else ""),
        )


def _key_surely_missing(index: ProjectIndex) -> bool:
    """No module may set a key, and the project makes a Flask app (or a subclass's)."""
    makes_app = index.apps or index.factory_apps or index.app_names or index.app_factories
    return index.secret_key_may_be_set is False and bool(makes_app)
