"""FLK505 changes-never-committed."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst
from libcst.metadata import ScopeProvider

from ..index import pins
from ..index.project import ProjectIndex
from ..model import FixLevel
from ..rewrite.base import Example, Rule
from ..rewrite.contexts import project_name, spelled
from ..rewrite.names import AssignedValues, enclosing_function, only_binding
from ..rewrite.session_calls import may_be_session

#: the session methods that change what the next commit writes
CHANGES = {"add": "adds", "add_all": "adds", "delete": "deletes", "merge": "merges"}
#: SQLALCHEMY_COMMIT_ON_TEARDOWN is read by Flask-SQLAlchemy 2.x and 3.0, not from 3.1 on
TEARDOWN_SETTING_REMOVED = (3, 1)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


def _app(text: str) -> str:
    """A module with a Flask-SQLAlchemy `db` and a model, then `text`."""
    return _code(_APP) + dedent(text)


_APP = """
    from flask import Flask, request
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)


    class Note(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        text = db.Column(db.String)
"""


class ChangesNeverCommitted(AssignedValues, Rule):
    """
    What it does:
        Finds a view (a function the project routes to, a method of a routed `MethodView`
        or `View` class, a blueprint's route) that calls `add`, `add_all`, `delete` or
        `merge` on a Flask-SQLAlchemy session (`db.session`, `db` resolving through
        imports to a `SQLAlchemy(...)` of the project; `session = db.session` aliases,
        module-level or local, count) when nothing commits that session before the
        request ends: no `.commit()` in the view, nor in any project function it calls,
        followed call by call across modules through imports (a helper `save(obj)` in
        another module that commits counts as the view's commit), and no commit at the
        request's end. It reports the view's first such call.

    Why is this bad?:
        Flask-SQLAlchemy's session lives for one application context. When the request
        ends, its `teardown_appcontext` handler calls `db.session.remove()`, which closes
        the session and rolls back whatever was not committed. The view returns a success
        (often a redirect to the list that should show the new row) and the row is never
        written; nothing is logged. `flush()` sends the statements inside the open
        transaction, so the rollback undoes them too.

    Example:
        @app.post("/notes")
        def add_note():
            db.session.add(Note(text=request.form["text"]))
            return redirect(url_for("notes"))

    Use instead:
        @app.post("/notes")
        def add_note():
            db.session.add(Note(text=request.form["text"]))
            db.session.commit()
            return redirect(url_for("notes"))

    Fix safety:
        Report only: where the transaction should end (after each change, once per
        request, or in a service layer) is the program's choice. Counted as committing,
        anywhere in the view or in a project function it calls (in the same module or
        imported from another, a class's `__init__` when it calls the class, a decorator
        of the view, and the functions nested in any of them: a decorator's wrapper):
        any `.commit()` call, whatever its receiver, and a session's `.begin()` (`with
        db.session.begin():` commits when the block ends). A method call on an object
        the scan cannot resolve (`note.save()`, `self.persist()`,
        `current_user.follow(user)`) counts as a call of every project method of that
        name. Nothing is reported in a project where a
        commit happens at the request's end: an `after_request`, `teardown_request` or
        `teardown_appcontext` handler (`after_app_request`, `teardown_app_request` on a
        blueprint) that commits, or `SQLALCHEMY_COMMIT_ON_TEARDOWN` set to anything but
        `False` while Flask-SQLAlchemy 2.x or 3.0 may run (3.1 removed the setting; it
        is then reported, as FLK504 does too); when no release is declared, the setting
        is trusted. A request-end handler counts when it commits on any path (one that
        commits only when a query was slow still silences the project). Nor in a project
        with a Python file the scan cannot parse (Python 2 code): what its functions
        commit is unknown (seen in a public flasky clone whose `User.follow()`, in a
        Python 2 models.py, commits for the view). Not looked at: which branch commits (a view committing on any path
        counts as committing), changes to loaded objects (`note.text = ...`, whose
        commit cannot be told from a read-only view's), `add` called in functions that
        are not views (a helper is reported through no view), and plain SQLAlchemy
        sessions, whose lifetime the program manages.
    """

    code = "FLK505"
    name = "changes-never-committed"
    fix_level = FixLevel.REPORT
    summary = "Commit what a view adds or deletes: the request's session is rolled back."
    triggers = (b"session",)
    called_names = frozenset(CHANGES)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        func = call.func
        # `db.session().add(...)` too
        return isinstance(func, ast.Attribute) and (
            may_be_session(func.value) or isinstance(func.value, ast.Call)
        )

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return path in index.sqlalchemy_users and index.has_views(path)

    valid = (
        # commits
        _app("""

            @app.post("/notes")
            def add_note():
                db.session.add(Note(text=request.form["text"]))
                db.session.commit()
                return "", 201
        """),
        # a helper the view calls commits
        _app("""

            def save(obj):
                db.session.add(obj)
                db.session.commit()


            @app.post("/notes")
            def add_note():
                note = Note(text=request.form["text"])
                db.session.add(note)
                save(note)
                return "", 201
        """),
        # the session's transaction block commits
        _app("""

            @app.delete("/notes/<int:id>")
            def delete_note(id):
                with db.session.begin():
                    db.session.delete(db.get_or_404(Note, id))
                return "", 204
        """),
        # a handler commits at the end of every request
        _app("""

            @app.teardown_request
            def commit(exception):
                if exception is None:
                    db.session.commit()


            @app.post("/notes")
            def add_note():
                db.session.add(Note(text=request.form["text"]))
                return "", 201
        """),
        # not a view: whoever calls it decides when to commit
        _app("""

            def stage(text):
                db.session.add(Note(text=text))
        """),
        # a local named db that is not Flask-SQLAlchemy's
        _code("""
            from flask import Flask

            app = Flask(__name__)


            @app.post("/tags")
            def add_tag():
                db = {"session": set()}
                db["session"].add("tag")
                return "", 201
        """),
    )
    invalid = (
        Example(
            _app("""

                @app.post("/notes")
                def add_note():
                    db.session.add(Note(text=request.form["text"]))
                    db.session.flush()
                    return "", 201
            """)
        ),
        # through a local alias, in a MethodView method
        Example(
            _app("""
                from flask.views import MethodView


                class NoteAPI(MethodView):
                    def delete(self, id):
                        session = db.session
                        session.delete(db.get_or_404(Note, id))
                        return "", 204


                app.add_url_rule("/notes/<int:id>", view_func=NoteAPI.as_view("note"))
            """)
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # view -> (its first change, what it does, how many changes)
        self._changes: dict[str, tuple[cst.Call, str, int]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in CHANGES):
            return
        if not self._is_session(func.value, 0):
            return
        function = enclosing_function(self, node)
        index = self.context.index
        if function is None or not index.is_view(self.context.path, function):
            return
        if index.sessions.commits(self.context.path, function):
            return
        found = self._changes.get(function)
        if found is None:
            self._changes[function] = (node, CHANGES[func.attr.value], 1)
        else:
            self._changes[function] = (found[0], found[1], found[2] + 1)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._changes:
            return
        index = self.context.index
        sessions = index.sessions
        if sessions.teardown_commit is not None or index.unparsable_modules:
            return
        note = ""
        setting = sessions.commit_on_teardown
        if setting is not None:
            version = index.flask_sqlalchemy_version
            if version is None or not pins.at_least(version, TEARDOWN_SETTING_REMOVED):
                return
            note = (
                f" (`SQLALCHEMY_COMMIT_ON_TEARDOWN`, set in {setting[0]}:{setting[1]}, "
                f"is ignored from Flask-SQLAlchemy 3.1, which the requirements ask for)"
            )
        for function, (call, verb, count) in self._changes.items():
            session = spelled(call.func.value)  # type: ignore[attr-defined]
            shown = f"{session}.{call.func.attr.value}(...)"  # type: ignore[attr-defined]
            more = f", and {count - 1} more change{'s' if count > 2 else ''}" if count > 1 else ""
            self.report(
                call,
                f"the view `{function}()` {verb} through `{session}` (`{shown}`"
                f"{more}) and nothing commits it: no `.commit()` in the view or in a project "
                f"function it calls, and none when the request ends{note}; Flask-SQLAlchemy "
                "removes the session at teardown and the change is rolled back: call "
                "`db.session.commit()` before returning",
            )

    # helpers

    def _is_session(self, node: cst.BaseExpression, depth: int) -> bool:
        """Whether `node` is a Flask-SQLAlchemy session: `db.session` (`models.db.session`),
        `db.session()`, a module-level alias of it, or a local assigned one."""
        index = self.context.index
        if depth > 4:
            return False
        if isinstance(node, cst.Call) and not node.args:
            return self._is_session(node.func, depth + 1)
        if isinstance(node, cst.Attribute) and node.attr.value == "session":
            return project_name(self, node.value) in index.sqlalchemy_names
        if not isinstance(node, cst.Name):
            return False
        if project_name(self, node) in index.sqlalchemy_sessions:
            return True
        binding = only_binding(self, node)
        value = self.assigned_value(binding)
        return value is not None and self._is_session(value, depth + 1)
