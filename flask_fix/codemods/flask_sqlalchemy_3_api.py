"""FLK504 flask-sqlalchemy-3-api."""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import Assignment, GlobalScope, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.names import qualified_name
from ..rewrite.removed_api import RemovedApiRule, release
from ..rewrite.removed_apis import BY_OLD, CONFIG, ROWS

PAGINATE = BY_OLD["flask_sqlalchemy.BaseQuery.paginate(page, per_page, error_out)"]
PAGINATE_KEYWORDS = ("page", "per_page", "error_out", "max_per_page")
BINARY = BY_OLD["sqlalchemy.Binary"]
SETTINGS = {row.old: row for row in ROWS if row.rule == "FLK504" and row.kind == CONFIG}


class FlaskSqlalchemy3Api(RemovedApiRule):
    """
    What it does:
        Passes `paginate`'s arguments by keyword (`Post.query.paginate(page, 20, False)`
        becomes `paginate(page=page, per_page=20, error_out=False)`), renames `db.Binary`
        (and `sqlalchemy.Binary`) to `LargeBinary`, imports `Model` from
        `flask_sqlalchemy.model`, `get_debug_queries` as
        `flask_sqlalchemy.record_queries.get_recorded_queries` and `BaseQuery` as
        `flask_sqlalchemy.query.Query`. Reports the settings Flask-SQLAlchemy 3.0 removed
        (`SQLALCHEMY_COMMIT_ON_TEARDOWN`, `SQLALCHEMY_NATIVE_UNICODE`,
        `SQLALCHEMY_POOL_SIZE`) and `SignallingSession`.

    Why is this bad?:
        Flask-SQLAlchemy 3.0 made `paginate`'s arguments keyword-only
        (`TypeError: paginate() takes 1 positional argument but 4 were given`) and
        stopped reading those settings (silently); 3.1 removed `get_debug_queries`,
        `flask_sqlalchemy.Model` and `BaseQuery`; SQLAlchemy 1.4 removed `Binary`.

    Example:
        posts = Post.query.order_by(Post.id.desc()).paginate(page, 20, False)

        class Upload(db.Model):
            data = db.Column(db.Binary)

    Use instead:
        posts = Post.query.order_by(Post.id.desc()).paginate(page=page, per_page=20, error_out=False)

        class Upload(db.Model):
            data = db.Column(db.LargeBinary)

    Fix safety:
        Safe: the keywords name the same parameters on every Flask-SQLAlchemy 2.x and
        `LargeBinary` is what `Binary` was an alias of, on every SQLAlchemy 1.3.
        `paginate` is only rewritten on a query Flask-SQLAlchemy makes (`Model.query...`
        where `Model` is a class or an import, not `self.query`;
        `db.session.query(...)...`, in a project that uses Flask-SQLAlchemy), `Binary` on
        the project's `db`; a positional `paginate` on another receiver in such a project
        (a query a function returned, a dynamic relationship, `self.query`) is only
        reported. The moved imports need Flask-SQLAlchemy 2.3 (`Model`) or 3.0:
        with older pins they are only reported. `get_recorded_queries` also needs
        `SQLALCHEMY_RECORD_QUERIES = True` and calls a query's `.context` `.location`.
    """

    code = "FLK504"
    name = "flask-sqlalchemy-3-api"
    fix_level = FixLevel.SAFE
    summary = "Use Flask-SQLAlchemy 3's API: `paginate(page=, per_page=)`, `LargeBinary`, moved names."
    triggers = (
        b"paginate",
        b"flask_sqlalchemy",
        b"flask.ext.sqlalchemy",
        b"Binary",
        *(name.encode() for name in SETTINGS),
    )

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """What the rule reads (the trigger text mostly finds every module importing
        Flask-SQLAlchemy): an import or attribute naming one of the table's rows
        (`table_could_fire`), a setting's name, an attribute `Binary`, or a
        `.paginate(...)` call given positional arguments (`_may_paginate`)."""
        return (
            cls.table_could_fire(module)
            or any(name.encode() in module.source for name in SETTINGS)
            or any(node.attr == "Binary" for node in module.all(ast.Attribute))
            or any(_may_paginate(call) for call in module.calls("paginate"))
        )

    valid = (
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
        "def page(n):\n    return Post.query.paginate(page=n, per_page=20, error_out=False)\n",
        # peewee's paginate, not Flask-SQLAlchemy's
        "from peewee import Model\n\ndef page(n):\n    return Note.select().paginate(n, 20)\n",
        # a local object with a Binary attribute
        "class Types:\n    Binary = bytes\n\ntypes = Types()\nx = types.Binary\n",
        "from flask_sqlalchemy.model import Model\n",
    )
    invalid = (
        Example(
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "class Post(db.Model):\n    pass\n\n"
            "def index(page):\n"
            "    return Post.query.order_by(Post.id.desc()).paginate(page, 20, False)\n",
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "class Post(db.Model):\n    pass\n\n"
            "def index(page):\n"
            "    return Post.query.order_by(Post.id.desc()).paginate(page=page, per_page=20, error_out=False)\n",
        ),
        Example(
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "class Upload(db.Model):\n    data = db.Column(db.Binary)\n",
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "class Upload(db.Model):\n    data = db.Column(db.LargeBinary)\n",
        ),
        Example(
            "from flask_sqlalchemy import SQLAlchemy, get_debug_queries\n\n"
            "def slow():\n    return [q for q in get_debug_queries() if q.duration > 1]\n",
            "from flask_sqlalchemy import SQLAlchemy\n"
            "from flask_sqlalchemy.record_queries import get_recorded_queries\n\n"
            "def slow():\n    return [q for q in get_recorded_queries() if q.duration > 1]\n",
        ),
        Example(
            "from sqlalchemy import Column, Binary\n\ndata = Column(Binary)\n",
            "from sqlalchemy import Column, LargeBinary\n\ndata = Column(LargeBinary)\n",
        ),
        # `self.query` may be anything: reported, not rewritten
        Example(
            "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n"
            "class Table:\n    def page(self, n, k):\n        return self.query.paginate(n, k)\n",
            None,
        ),
        Example("SQLALCHEMY_COMMIT_ON_TEARDOWN = True\n", None),
        Example(
            "def configure(app):\n    app.config['SQLALCHEMY_POOL_SIZE'] = 10\n",
            None,
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        index = self.context.index
        self._uses_fsa = self.context.path in index.sqlalchemy_users or bool(
            index.sqlalchemy_names
        )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        super().visit_ImportFrom(node)
        if node.module is not None and cst.helpers.get_full_name_for_node(node.module) == "flask_sqlalchemy":
            self._uses_fsa = True

    # paginate(page, per_page, error_out)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "paginate":
            return
        positional = [a for a in node.args if a.keyword is None]
        if not positional or any(a.star for a in node.args):
            return
        if len(positional) > len(PAGINATE_KEYWORDS) or not self._uses_fsa:
            return
        given = {a.keyword.value for a in node.args if a.keyword is not None}
        names = PAGINATE_KEYWORDS[: len(positional)]
        message = (
            f"`paginate()` takes keyword arguments only from {release(PAGINATE.removed_in)}:"
            f" pass {', '.join(f'`{n}=`' for n in names)}"
        )
        if not self._is_fsa_query(func.value):
            # a query handed over (`query = f()`), a dynamic relationship, `self.query`:
            # in a project using Flask-SQLAlchemy most likely one of its queries; not
            # `db.paginate(select, ...)` (Flask-SQLAlchemy 3's own) nor `self.paginate()`
            receiver = func.value
            last = receiver.attr if isinstance(receiver, cst.Attribute) else receiver
            if (
                isinstance(receiver, cst.Name) and receiver.value in ("self", "cls")
            ) or (isinstance(last, cst.Name) and last.value == "db") or self._is_db(receiver):
                return
            receiver = cst.Module([]).code_for_node(func.value)
            self.report(
                node,
                f"{message}, if `{receiver}` is a Flask-SQLAlchemy query, as it may be in "
                "this project; not rewritten: it is not provably one",
            )
            return
        if given & set(names):
            self.report(node, message + " (not rewritten: an argument is given twice)")
            return
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        for arg, name in zip(positional, names):
            replacements[arg] = arg.with_changes(
                keyword=cst.Name(name),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
        self.report(node, message, fix=Fix(replacements))

    def _is_fsa_query(self, expr: cst.BaseExpression) -> bool:
        """`Model.query[.method(...)...]` or `db.session.query(...)[...]`."""
        while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            inner = expr.func.value
            if expr.func.attr.value == "query" and self._is_db_session(inner):
                return True
            expr = inner
        return (
            isinstance(expr, cst.Attribute)
            and expr.attr.value == "query"
            and self._is_class(expr.value)
        )

    def _is_class(self, expr: cst.BaseExpression) -> bool:
        """A name bound only by a class statement or an import (`Post`, `models.Post`),
        as a model is: not `self.query` or a variable's."""
        while isinstance(expr, cst.Attribute):
            expr = expr.value
        if not isinstance(expr, cst.Name):
            return False
        scope = self.get_metadata(ScopeProvider, expr, None)
        if scope is None:
            return False
        assignments = list(scope[expr.value])
        return bool(assignments) and all(
            isinstance(getattr(a, "node", None), (cst.ClassDef, cst.Import, cst.ImportFrom))
            for a in assignments
        )

    def _is_db_session(self, expr: cst.BaseExpression) -> bool:
        return (
            isinstance(expr, cst.Attribute)
            and expr.attr.value == "session"
            and self._is_db(expr.value)
        )

    def _is_db(self, expr: cst.BaseExpression) -> bool:
        """The project's Flask-SQLAlchemy object (`db`), imported or made in this module."""
        names = self.context.index.sqlalchemy_names
        name = qualified_name(self, expr)
        if name is not None:
            return self.absolute(name) in names
        if not isinstance(expr, cst.Name):
            return False
        scope = self.get_metadata(ScopeProvider, expr, None)
        if scope is None:
            return False
        assignments = list(scope[expr.value])
        if not assignments or any(
            type(a) is not Assignment or not isinstance(a.scope, GlobalScope) for a in assignments
        ):
            return False
        module = self.context.index.modules.get(self.context.path, "")
        return f"{module}.{expr.value}" in names

    # db.Binary

    def visit_Attribute(self, node: cst.Attribute) -> None:
        super().visit_Attribute(node)
        if node.attr.value == "Binary" and self._is_db(node.value):
            self.report(
                node,
                f"`Binary` was removed in {release(BINARY.removed_in)}: use `LargeBinary`",
                fix=Fix({node.attr: cst.Name("LargeBinary")}),
            )

    # settings

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._setting(target.target, target.target.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            value = node.slice[0].slice.value
            if isinstance(value, cst.SimpleString):
                self._setting(value, value.raw_value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._setting(node.keyword, node.keyword.value)

    def _setting(self, node: cst.CSTNode, key: str) -> None:
        row = SETTINGS.get(key)
        if row is None:
            return
        instead = f" (use `{row.new}`: {row.note})" if row.new else f": {row.note}"
        self.report(
            node,
            f"`{key}` is ignored from {release(row.removed_in)}{instead}",
        )


def _may_paginate(call: ast.Call) -> bool:
    """Stdlib-ast triage of `visit_Call`: `<receiver>.paginate(a[, b...])`, one to four
    positional arguments and no `*`/`**`, on any receiver but `self`/`cls` (a
    Flask-SQLAlchemy query is rewritten, another receiver in a project using it is
    reported: `visit_Call`)."""
    if not isinstance(call.func, ast.Attribute) or not call.args:
        return False
    if len(call.args) > len(PAGINATE_KEYWORDS) or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    if any(keyword.arg is None for keyword in call.keywords):
        return False
    receiver = call.func.value
    return not (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls"))
