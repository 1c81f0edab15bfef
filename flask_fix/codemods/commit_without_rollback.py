"""FLK501 commit-without-rollback."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.names import AssignedValues, module_level_name, only_binding, qualified_name
from ..rewrite.session_calls import may_be_session
from ..rewrite.try_handlers import TryAwareRule

if TYPE_CHECKING:
    from ..index.triage import TriageModule

# handlers catching these catch every error a commit raises
CATCH_ALL = frozenset(
    {"builtins.Exception", "builtins.BaseException", "sqlalchemy.exc.SQLAlchemyError"}
)
# raised by queries (`.one()`), never by a commit: a handler for them is not about it
QUERY_ONLY = frozenset({"NoResultFound", "MultipleResultsFound"})
SQLALCHEMY_EXCEPTION_MODULES = ("sqlalchemy.exc.", "sqlalchemy.orm.exc.")
# calls that leave the handler by raising
RAISING_CALLS = frozenset(
    {"flask.abort", "werkzeug.exceptions.abort", "sys.exit", "builtins.exit"}
    | {"flask_restful.abort", "flask_restx.abort", "flask_smorest.abort"}
)
PENDING_ROLLBACK = (
    "PendingRollbackError: \"This Session's transaction has been rolled back due to a "
    "previous exception during flush. To begin a new transaction with this Session, "
    'first issue Session.rollback()."'
)

# the start of most examples
_DB = (
    "from flask import Flask, flash\nfrom flask_sqlalchemy import SQLAlchemy\n"
    "from sqlalchemy.exc import IntegrityError\n\n"
    "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n"
)


class CommitWithoutRollback(AssignedValues, TryAwareRule):
    """
    What it does:
        Finds `db.session.commit()` (db a Flask-SQLAlchemy `SQLAlchemy` instance) inside a
        `try` whose `except` handler can catch the commit's error but neither rolls the
        session back nor raises, and inserts `db.session.rollback()` as the handler's
        first statement.

    Why is this bad?:
        A commit that fails (a unique constraint, a lost connection) leaves the session in
        a failed transaction. Until someone calls `rollback()`, every later use of the
        session in the same request, even a lazy load while rendering the error page,
        raises SQLAlchemy's PendingRollbackError: "This Session's transaction has been
        rolled back due to a previous exception during flush. To begin a new transaction
        with this Session, first issue Session.rollback()." A handler that swallows the
        error has to roll back itself; one that raises lets Flask-SQLAlchemy remove the
        session when the request ends.

    Example:
        try:
            db.session.commit()
        except IntegrityError:
            flash("That name is taken.")

    Use instead:
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash("That name is taken.")

    Fix safety:
        Intended: the handler now discards the failed transaction (and the objects it
        had added or changed) before going on, so the rest of the request can use the
        session again. `db` (or `models.db` through an absolute import of its module)
        must resolve, through imports and the project, to a module-level
        `SQLAlchemy(...)` (or an instance of a project subclass of it);
        `session = db.session` aliases count (the rollback then goes through
        `db.session` for a local alias, through the alias for a module-level one). A
        plain SQLAlchemy `Session` is not looked at: its lifetime is the program's own
        business. Handlers that count are bare `except:`, `Exception`, `BaseException`
        and any exception of `sqlalchemy.exc` or `sqlalchemy.orm.exc` (but
        `NoResultFound`/`MultipleResultsFound`, which only queries raise); handlers for
        other exceptions (`KeyError`, a project's own class) are left alone. A handler is
        fine when it contains, anywhere, a `raise` (bare or of another exception: the
        error then ends the request and the session is removed), an `abort()` (Flask's,
        Flask-RESTful's, Flask-RESTX's, flask-smorest's), a `sys.exit()`, or a call of
        some `.rollback()`. Tries further out are looked at
        too, until one has a handler catching everything. A one-line handler
        (`except Exception: pass`) becomes an indented block.
    """

    code = "FLK501"
    name = "commit-without-rollback"
    fix_level = FixLevel.INTENDED
    summary = "Roll back the session in an `except` that swallows a failed commit."
    triggers = (b"commit",)
    called_names = frozenset({"commit"})
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        func = call.func
        return (
            not call.args
            and not call.keywords
            and isinstance(func, ast.Attribute)
            and may_be_session(func.value)
        )

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A `try` with a handler that may catch the commit's error and swallow it, around
        such a commit."""
        for statement in module.all(ast.Try):  # the rule does not look into `try*`
            if any(
                _may_catch_commit_error(handler, module) and _may_swallow(handler, module)
                for handler in statement.handlers
            ) and any(
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
                and cls.call_could_fire(node)
                for part in statement.body
                for node in ast.walk(part)
            ):
                return True
        return False

    @classmethod
    def could_fire_in(cls, path, index) -> bool:
        return path in index.sqlalchemy_users

    valid = (
        # already rolls back
        _DB + "def save(user):\n    db.session.add(user)\n    try:\n        db.session.commit()\n"
        "    except IntegrityError:\n        db.session.rollback()\n        flash('taken')\n",
        # re-raises, or raises something else: the request ends, the session is removed
        _DB + "def save():\n    try:\n        db.session.commit()\n    except Exception:\n"
        "        app.logger.exception('commit failed')\n        raise\n",
        _DB + "from werkzeug.exceptions import Conflict\n\ndef save():\n    try:\n"
        "        db.session.commit()\n    except IntegrityError as error:\n"
        "        raise Conflict() from error\n",
        # abort() raises
        _DB + "from flask import abort\n\ndef save():\n    try:\n        db.session.commit()\n"
        "    except IntegrityError:\n        abort(409)\n",
        # no try: Flask-SQLAlchemy removes the session when the request ends
        _DB + "def save():\n    db.session.commit()\n",
        # handlers that cannot catch the commit's error
        _DB
        + "def save(form):\n    try:\n        user = form['name']\n        db.session.commit()\n"
        "    except KeyError:\n        flash('missing name')\n",
        _DB + "from sqlalchemy.exc import NoResultFound\n\ndef save(query):\n    try:\n"
        "        user = query.one()\n        db.session.commit()\n    except NoResultFound:\n"
        "        return 'no such user', 404\n",
        # a plain SQLAlchemy session: not Flask-SQLAlchemy's
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\n\n"
        "engine = create_engine('sqlite://')\n\ndef save():\n    session = Session(engine)\n"
        "    try:\n        session.commit()\n    except Exception:\n        pass\n",
        # a parameter named db
        "def save(db):\n    try:\n        db.session.commit()\n"
        "    except Exception:\n        pass\n",
        # `db` rebound: no longer certainly the extension
        _DB + "db = None\n\ndef save():\n    try:\n        db.session.commit()\n"
        "    except Exception:\n        pass\n",
        # the commit runs later, in a function the try only defines; or in `else:`
        _DB + "def save():\n    try:\n        def later():\n            db.session.commit()\n"
        "    except Exception:\n        pass\n    return later\n",
        _DB + "def save():\n    try:\n        db.session.add(object())\n    except Exception:\n"
        "        pass\n    else:\n        db.session.commit()\n",
    )
    invalid = (
        Example(
            _DB + "def save(user):\n    db.session.add(user)\n    try:\n"
            "        db.session.commit()\n    except IntegrityError:\n"
            "        # the name is unique\n        flash('taken')\n",
            _DB + "def save(user):\n    db.session.add(user)\n    try:\n"
            "        db.session.commit()\n    except IntegrityError:\n"
            "        db.session.rollback()\n        # the name is unique\n        flash('taken')\n",
        ),
        # a one-line handler; the class imported under another name
        Example(
            "from flask_sqlalchemy import SQLAlchemy as Alchemy\n\ndb = Alchemy()\n\n"
            "def save():\n    try:\n        db.session.commit()\n"
            "    except:  # best effort\n        pass\n",
            "from flask_sqlalchemy import SQLAlchemy as Alchemy\n\ndb = Alchemy()\n\n"
            "def save():\n    try:\n        db.session.commit()\n"
            "    except:  # best effort\n        db.session.rollback()\n        pass\n",
        ),
        Example(
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "def save():\n    try:\n        db.session.commit()\n"
            "    except Exception as e: print(e)\n",
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "def save():\n    try:\n        db.session.commit()\n"
            "    except Exception as e:\n        db.session.rollback()\n        print(e)\n",
        ),
        # a project subclass of SQLAlchemy; several handlers, one finding
        Example(
            "import logging\nimport sqlalchemy as sa\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
            "class AppAlchemy(SQLAlchemy):\n    pass\n\ndb = AppAlchemy()\n\n"
            "def save():\n    try:\n        db.session.commit()\n"
            "    except sa.exc.IntegrityError:\n        return False\n"
            "    except (ValueError, sa.exc.OperationalError):\n"
            "        logging.exception('database down')\n        return False\n"
            "    return True\n",
            "import logging\nimport sqlalchemy as sa\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
            "class AppAlchemy(SQLAlchemy):\n    pass\n\ndb = AppAlchemy()\n\n"
            "def save():\n    try:\n        db.session.commit()\n"
            "    except sa.exc.IntegrityError:\n        db.session.rollback()\n"
            "        return False\n"
            "    except (ValueError, sa.exc.OperationalError):\n        db.session.rollback()\n"
            "        logging.exception('database down')\n        return False\n"
            "    return True\n",
        ),
        # session aliases: module-level (rolled back through it) and local (through db)
        Example(
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\nsession = db.session\n\n"
            "def save():\n    try:\n        session.commit()\n    except Exception:\n"
            "        return False\n\ndef save_local():\n    s = db.session\n    try:\n"
            "        s.commit()\n    except Exception:\n        return False\n",
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\nsession = db.session\n\n"
            "def save():\n    try:\n        session.commit()\n    except Exception:\n"
            "        session.rollback()\n        return False\n\ndef save_local():\n"
            "    s = db.session\n    try:\n        s.commit()\n    except Exception:\n"
            "        db.session.rollback()\n        return False\n",
        ),
        # the inner handler swallows an IntegrityError, the outer one everything else
        Example(
            _DB + "def save():\n    try:\n        try:\n            db.session.commit()\n"
            "        except IntegrityError:\n            flash('taken')\n"
            "    except Exception:\n        flash('try again')\n",
            _DB + "def save():\n    try:\n        try:\n            db.session.commit()\n"
            "        except IntegrityError:\n            db.session.rollback()\n"
            "            flash('taken')\n    except Exception:\n        db.session.rollback()\n"
            "        flash('try again')\n",
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self._module = context.index.modules.get(context.path)
        self._fixed: set[int] = set()  # handlers already given a rollback (by id)
        self._verdicts: dict[int, bool] = {}  # handler id -> leaves or rolls back

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "commit") or node.args:
            return
        session = self._session_for_rollback(func.value)
        if session is None:
            return
        handlers = []
        for statement in self.enclosing_tries():
            catches_all = False
            for handler in statement.handlers:
                catches = self._catches_commit_error(handler)
                catches_all = catches_all or catches == "all"
                if catches and id(handler) not in self._fixed and not self._leaves(handler):
                    handlers.append(handler)
            if catches_all:
                break
        if not handlers:
            return
        self._fixed.update(id(h) for h in handlers)
        rollback = cst.SimpleStatementLine(
            [cst.Expr(cst.Call(cst.Attribute(session, cst.Name("rollback"))))]
        )
        shown = ", ".join(f"`{_header(h)}`" for h in handlers)
        self.report(
            node,
            f"`{_code(node)}` can fail, and {shown} "
            f"{'carries' if len(handlers) == 1 else 'carry'} on without "
            f"`{_code(rollback.body[0])}`: the session stays in the failed transaction, and "
            f"its next use raises {PENDING_ROLLBACK}",
            fix=Fix({h: _with_first(h, rollback) for h in handlers}),
        )

    def _session_for_rollback(self, receiver: cst.BaseExpression) -> cst.BaseExpression | None:
        """The expression to call `.rollback()` on when `receiver.commit()` commits a
        Flask-SQLAlchemy session, else None."""
        index = self.context.index
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "session":
            owner = receiver.value
            if isinstance(owner, cst.Name):
                name = module_level_name(self, owner, self._module)
            else:  # `models.db` through `from app import models`
                name = qualified_name(self, owner)
            return receiver.deep_clone() if name in index.sqlalchemy_names else None
        if not isinstance(receiver, cst.Name):
            return None
        name = module_level_name(self, receiver, self._module)
        if name is not None:
            return receiver.deep_clone() if name in index.sqlalchemy_sessions else None
        # a local `s = db.session`: roll back through db, bound wherever the handler runs
        binding = only_binding(self, receiver)
        if binding is None:
            return None
        value = self.assigned_value(binding)
        if isinstance(value, cst.Attribute) and value.attr.value == "session":
            return self._session_for_rollback(value)
        return None

    def _catches_commit_error(self, handler: cst.ExceptHandler) -> str | None:
        """'all', 'some' (a SQLAlchemy exception) or None (nothing a commit raises)."""
        if handler.type is None:
            return "all"
        types = (
            [e.value for e in handler.type.elements]
            if isinstance(handler.type, cst.Tuple)
            else [handler.type]
        )
        found = None
        for expr in types:
            name = qualified_name(self, expr)
            if name is None:
                continue
            if name in CATCH_ALL:
                return "all"
            if name.startswith(SQLALCHEMY_EXCEPTION_MODULES) and (
                name.rpartition(".")[2] not in QUERY_ONLY
            ):
                found = "some"
        return found

    def _leaves(self, handler: cst.ExceptHandler) -> bool:
        """Whether the handler raises (anywhere) or rolls back (some `.rollback()`)."""
        if id(handler) not in self._verdicts:
            finder = _LeavesOrRollsBack(self)
            handler.body.visit(finder)
            self._verdicts[id(handler)] = finder.found
        return self._verdicts[id(handler)]


def _may_catch_commit_error(handler: ast.ExceptHandler, module: TriageModule) -> bool:
    """Stdlib-ast triage of `_catches_commit_error`: a bare `except:`, or a type that may
    name a catch-all or a SQLAlchemy exception (`except ValueError:` or `except
    NoResultFound:` never catches a failed commit)."""
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for expr in types:
        names = module.possible_names(expr)
        if names is None or any(
            name in CATCH_ALL
            or (
                name.startswith(SQLALCHEMY_EXCEPTION_MODULES)
                and name.rpartition(".")[2] not in QUERY_ONLY
            )
            for name in names
        ):
            return True
    return False


def _may_swallow(handler: ast.ExceptHandler, module: TriageModule) -> bool:
    """Stdlib-ast triage of `_leaves`: no `raise`, no `.rollback()` and no call surely of
    `abort()`, `sys.exit()`... in the handler's own code."""
    pending: list[ast.AST] = list(handler.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Raise):
            return False
        if isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == "rollback")
            or module.sure_name(node.func) in RAISING_CALLS
        ):
            return False
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return True


class _LeavesOrRollsBack(cst.CSTVisitor):
    def __init__(self, rule: CommitWithoutRollback) -> None:
        super().__init__()
        self.rule = rule
        self.found = False

    def visit_Raise(self, node: cst.Raise) -> bool:
        self.found = True
        return False

    def visit_Call(self, node: cst.Call) -> bool | None:
        func = node.func
        if (isinstance(func, cst.Attribute) and func.attr.value == "rollback") or (
            qualified_name(self.rule, func) in RAISING_CALLS
        ):
            self.found = True
        return None

    # what a nested function or class does is not the handler's doing
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _header(handler: cst.ExceptHandler) -> str:
    if handler.type is None:
        return "except:"
    return f"except {_code(handler.type)}:"


def _with_first(handler: cst.ExceptHandler, line: cst.SimpleStatementLine) -> cst.ExceptHandler:
    body = handler.body
    if isinstance(body, cst.SimpleStatementSuite):
        block = cst.IndentedBlock(
            header=body.trailing_whitespace,
            body=[line, cst.SimpleStatementLine(body=body.body)],
        )
        return handler.with_changes(body=block)
    assert isinstance(body, cst.IndentedBlock)
    return handler.with_changes(body=body.with_changes(body=[line, *body.body]))
