"""What the context rules share (FLK301, FLK302, FLK303, FLK502).

`ContextWalker` follows code the way it runs and records every use of something that
needs a Flask context (`current_app.config`, `request.args`, `url_for(...)`,
`db.session.add(...)`, `User.query`), with the context that code runs in: none at import
time or in a fresh thread, an application context inside `with app.app_context():`, a
request context inside `with app.test_request_context():`. Function bodies are skipped
(they run later) unless the walker follows a call into them.

`BackgroundRule` finds code handed to a background thread, an executor or a Celery task
(`threading.Thread(target=...)`, `executor.submit(fn, ...)`, `task.delay(...)`) and the
function that will run there.

Rules using these list `ScopeProvider` in their METADATA_DEPENDENCIES.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import GlobalScope, QualifiedNameSource, ScopeProvider

from ..index import pins
from ..index.project import module_name_for
from .base import Rule
from .names import enclosing_function, only_binding, qualified_name, qualified_names
from .try_handlers import _catches

if TYPE_CHECKING:
    from ..index.triage import TriageModule

NONE, APP, REQUEST = 0, 1, 2

APP_PROXIES = {
    "flask.current_app": "current_app",
    "flask.globals.current_app": "current_app",
    "flask.g": "g",
    "flask.globals.g": "g",
}
REQUEST_PROXIES = {
    "flask.request": "request",
    "flask.globals.request": "request",
    "flask.session": "session",
    "flask.globals.session": "session",
}
PROXIES = {**APP_PROXIES, **REQUEST_PROXIES}
_TEMPLATE_FUNCTIONS = (
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
)
APP_FUNCTIONS = {
    "flask.url_for": "url_for",
    "flask.helpers.url_for": "url_for",
    "flask.jsonify": "jsonify",
    "flask.json.jsonify": "jsonify",
    **{f"flask.{name}": name for name in _TEMPLATE_FUNCTIONS},
    **{f"flask.templating.{name}": name for name in _TEMPLATE_FUNCTIONS},
}
REQUEST_FUNCTIONS = {"flask.flash": "flash", "flask.helpers.flash": "flash"}
FUNCTIONS = {**APP_FUNCTIONS, **REQUEST_FUNCTIONS}
_WORDS = {name for name in [*PROXIES.values(), *FUNCTIONS.values()]}
HAS_CONTEXT = {
    "flask.has_app_context": APP,
    "flask.ctx.has_app_context": APP,
    "flask.has_request_context": REQUEST,
    "flask.ctx.has_request_context": REQUEST,
}
COPY_REQUEST_CONTEXT = frozenset(
    {"flask.copy_current_request_context", "flask.ctx.copy_current_request_context"}
)
# `with x.app_context():` and friends; `with app.test_client():` counts as a request
CONTEXT_METHODS = {
    "app_context": APP,
    "test_request_context": REQUEST,
    "request_context": REQUEST,
    "test_client": REQUEST,
}
# what Flask raises outside a context; a `try` catching one of these handles it
RUNTIME_ERRORS = ("RuntimeError", "Exception", "BaseException")
SUPPRESS = frozenset({"contextlib.suppress"})
# scoped_session attributes that reach the session (and so need an app context) when
# read; its methods need one only when called, and these never do
SESSION_PROPERTIES = frozenset(
    {"bind", "info", "new", "dirty", "deleted", "identity_map", "is_active", "autoflush",
     "no_autoflush"}
)  # fmt: skip
SESSION_OWN = frozenset({"query_property", "registry", "session_factory"})
# Flask-SQLAlchemy methods and properties that look up the app's engine: from 3.0 on
# through the app context; before 3.0 through an `app` argument, the context, or the app
# the object was created with (a method given `app` needs no context there)
ENGINE_METHODS = frozenset({"create_all", "drop_all", "reflect", "get_engine"})
ENGINE_PROPERTIES = frozenset({"engine", "engines"})

APP_CONTEXT_ERROR = "Working outside of application context."
REQUEST_CONTEXT_ERROR = "Working outside of request context."
# Flask-SQLAlchemy before 3.0, for a `db` not created with an app, outside a context
FSA2_NO_APP_ERROR = (
    "No application found. Either work inside a view function or push an application context."
)


def legacy_database_outcome(use: Use, *, thread: bool = False) -> str | None:
    """What a `db.session` / `Model.query` / `db.create_all()` use with no app context does
    when the project allows Flask-SQLAlchemy < 3.0 (FLK301, FLK502 messages); None: it
    allows only 3.x.

    Before 3.0 a `SQLAlchemy(app)` object falls back to its app (no error; in a thread,
    a session nothing removes), one given its app with `init_app` raises "No application
    found"; from 3.0 on both raise "Working outside of application context."."""
    since = "which the project's requirements allow"
    if use.legacy_db == "bound":
        leak = (
            ", but nothing removes the thread's session when it ends (the app context's "
            "teardown does that)"
            if thread
            else ", so this works there"
        )
        return (
            f"Flask-SQLAlchemy before 3.0 ({since}) falls back to the app the `SQLAlchemy` "
            f'object was created with{leak}; from 3.0 on this raises "RuntimeError: '
            f'{APP_CONTEXT_ERROR}", and so does any version once the object is created '
            "without the app and given it with `init_app` (FLK202)"
        )
    if use.legacy_db == "unbound":
        return (
            f'Flask-SQLAlchemy before 3.0 ({since}) raises "RuntimeError: {FSA2_NO_APP_ERROR}"'
            f' here (from 3.0 on: "{APP_CONTEXT_ERROR}")'
        )
    return None


def spelled(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def module_name(rule: Rule) -> str:
    path = rule.context.path
    return rule.context.index.modules.get(path) or module_name_for(path)


def project_name(rule: Rule, node: cst.CSTNode) -> str | None:
    """The qualified name a Name or dotted Attribute has in the project (`pkg.ext.db`):
    through an import (relative ones made absolute), or a module-level binding of this
    module (`db = SQLAlchemy()` here is `<this module>.db`); None when a local,
    ambiguous, or not a name."""
    if isinstance(node, cst.Attribute):
        base = project_name(rule, node.value)
        return f"{base}.{node.attr.value}" if base is not None else None
    if not isinstance(node, cst.Name):
        return None
    names = qualified_names(rule, node)
    if len(names) != 1:
        return None
    (name,) = names
    if name.source is QualifiedNameSource.IMPORT:
        return _absolute(rule, name.name)
    if name.source is QualifiedNameSource.LOCAL and "." not in name.name:
        assignments = rule.get_metadata(ScopeProvider, node)[node.value]
        if assignments and all(isinstance(a.scope, GlobalScope) for a in assignments):
            return f"{module_name(rule)}.{name.name}"
    return None


def _absolute(rule: Rule, name: str) -> str | None:
    if not name.startswith("."):
        return name
    rest = name.lstrip(".")
    level = len(name) - len(rest)
    module = module_name(rule)
    is_package = rule.context.path.replace("\\", "/").endswith("/__init__.py") or (
        rule.context.path == "__init__.py"
    )
    package = module if is_package else module.rpartition(".")[0]
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, rest]) if rest else ".".join(base)


def module_function(rule: Rule, name: cst.Name) -> cst.FunctionDef | None:
    """The one module-level `def` (not async) `name` refers to, or None."""
    assignment = only_binding(rule, name)
    node = getattr(assignment, "node", None)
    if (
        isinstance(node, cst.FunctionDef)
        and node.asynchronous is None
        and isinstance(assignment.scope, GlobalScope)
    ):
        return node
    return None


def bound_function(rule: Rule, name: cst.Name) -> cst.FunctionDef | None:
    """The one `def` of this module (at any depth) `name` refers to, or None."""
    node = getattr(only_binding(rule, name), "node", None)
    return node if isinstance(node, cst.FunctionDef) else None


def _parameters(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        found.append(params.star_arg)
    if params.star_kwarg is not None:
        found.append(params.star_kwarg)
    return found


@dataclass(frozen=True)
class Use:
    """Something evaluated that needs a context."""

    node: cst.CSTNode  # what to report: `current_app`, `url_for`, `db.session`, `User.query`
    name: str  # how the thing is called in messages: 'current_app', 'url_for', ...
    # 'proxy', 'function', 'database' (`db.session`, `Model.query`) or 'engine' (the
    # Flask-SQLAlchemy object's engine: `db.create_all()`, `db.engine`)
    kind: str
    needs: int  # APP or REQUEST
    state: int  # the context it runs in: NONE, APP or REQUEST
    via: tuple[str, ...] = ()  # functions followed to get there (import-time calls)
    # for a 'database' or 'engine' use when the project allows Flask-SQLAlchemy < 3.0:
    # 'bound' when `db` was created with the app (it falls back to that app), else 'unbound'
    legacy_db: str | None = None

    @property
    def outside(self) -> bool:
        return self.state < self.needs


class ContextWalker:
    """Walks statements and expressions as they run, tracking the context they run in.

    `follow`: also walk the bodies of this module's own functions called (or used as
    decorators) along the way, up to `max_depth` calls deep (for import time).
    """

    def __init__(self, rule: Rule, *, follow: bool = False, max_depth: int = 8) -> None:
        self.rule = rule
        self.follow = follow
        self.max_depth = max_depth
        self.uses: list[Use] = []
        contexts = rule.context.index.contexts
        self.sqlalchemy = contexts.sqlalchemy
        self.models = contexts.models
        self.contexts = contexts
        # the project allows a Flask-SQLAlchemy older than 3.0 (see `Use.legacy_db`)
        self.legacy_db = not pins.at_least(rule.context.index.flask_sqlalchemy_version, (3,))
        self.pushed = NONE  # a context pushed for good (`app.app_context().push()`)
        self.context_names: dict[str, int] = {}  # `ctx = app.app_context()`
        self.via: tuple[str, ...] = ()
        self._seen: set[int] = set()
        self._followed: set[tuple[int, int]] = set()

    # statements

    def suite(self, block: cst.BaseSuite, state: int) -> None:
        if isinstance(block, cst.SimpleStatementSuite):
            for small in block.body:
                self.small_statement(small, state)
        else:
            for statement in block.body:
                self.statement(statement, state)

    def statements(self, body, state: int) -> None:
        for statement in body:
            self.statement(statement, state)

    def statement(self, node: cst.CSTNode, state: int) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small_statement(small, state)
        elif isinstance(node, cst.FunctionDef):
            for decorator in node.decorators:
                self.expression(decorator.decorator, state)
                if self.follow and isinstance(decorator.decorator, cst.Name):
                    self._follow(decorator.decorator, state)
            for param in _parameters(node.params):
                if param.default is not None:
                    self.expression(param.default, state)
        elif isinstance(node, cst.ClassDef):
            for decorator in node.decorators:
                self.expression(decorator.decorator, state)
            for arg in [*node.bases, *node.keywords]:
                self.expression(arg.value, state)
            self.suite(node.body, state)
        elif isinstance(node, cst.If):
            self.expression(node.test, state)
            guard, negated = self._guard(node.test)
            self.suite(node.body, state if negated else max(state, guard))
            orelse_state = max(state, guard) if negated else state
            if isinstance(node.orelse, cst.If):
                self.statement(node.orelse, orelse_state)
            elif isinstance(node.orelse, cst.Else):
                self.suite(node.orelse.body, orelse_state)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            if not any(_catches(self.rule, h, RUNTIME_ERRORS) for h in node.handlers):
                self.suite(node.body, state)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expression(handler.type, state)
                self.suite(handler.body, state)
            if node.orelse is not None:
                self.suite(node.orelse.body, state)
            if node.finalbody is not None:
                self.suite(node.finalbody.body, state)
        elif isinstance(node, cst.With):
            inner = state
            for item in node.items:
                self.expression(item.item, state)
                kind = self._context_of(item.item)
                if kind is None:
                    return  # contextlib.suppress(RuntimeError): the program handles it
                inner = max(inner, kind)
            self.suite(node.body, inner)
        elif isinstance(node, (cst.For, cst.While)):
            self.expression(node.iter if isinstance(node, cst.For) else node.test, state)
            if isinstance(node, cst.For):
                self.expression(node.target, state)
            self.suite(node.body, state)
            if node.orelse is not None:
                self.suite(node.orelse.body, state)
        elif isinstance(node, cst.Match):
            self.expression(node.subject, state)
            for case in node.cases:
                if case.guard is not None:
                    self.expression(case.guard, state)
                self.suite(case.body, state)
        else:
            for child in node.children:
                self.expression(child, state)

    def small_statement(self, node: cst.CSTNode, state: int) -> None:
        pushed = None
        if isinstance(node, cst.Expr):
            pushed = self._pushed_by(node.value)
        elif isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
            kind = self._context_call(node.value)
            if isinstance(target, cst.Name):
                if kind is not None:
                    self.context_names[target.value] = kind
                else:
                    self.context_names.pop(target.value, None)
        for child in node.children:
            self.expression(child, state)
        if pushed is not None:
            self.pushed = max(self.pushed, pushed)

    # expressions

    def expression(self, node: cst.CSTNode, state: int) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.BaseCompoundStatement, cst.SimpleStatementLine)):
                self.statement(current, state)
                continue
            if isinstance(current, cst.Lambda):
                # the body runs when the lambda is called, not here
                stack.extend(p.default for p in _parameters(current.params) if p.default)
                continue
            if isinstance(current, cst.GeneratorExp):
                stack.append(current.for_in.iter)  # the rest runs lazily
                continue
            if isinstance(current, cst.Attribute):
                self._check_proxy(current.value, state)
                self._check_attribute(current, state)
            elif isinstance(current, cst.Subscript):
                self._check_proxy(current.value, state)
            elif isinstance(current, cst.Call):
                self._check_call(current, state)
            elif isinstance(current, cst.Comparison):
                for target in current.comparisons:
                    if isinstance(target.operator, (cst.In, cst.NotIn)):
                        self._check_proxy(target.comparator, state)
            stack.extend(reversed(current.children))

    def _check_proxy(self, node: cst.CSTNode, state: int) -> None:
        if not _may_be_word(node):
            return
        name = PROXIES.get(qualified_name(self.rule, node) or "")
        if name is not None:
            needs = APP if name in ("current_app", "g") else REQUEST
            self._use(node, name, "proxy", needs, state)

    def _check_attribute(self, node: cst.Attribute, state: int) -> None:
        attr = node.attr.value
        if attr == "query":
            model = project_name(self.rule, node.value)
            if model in self.models:
                bound = model in self.contexts.models_given_app
                self._use(node, spelled(node), "database", APP, state, self._legacy(bound))
        elif attr in SESSION_PROPERTIES and self.is_session(node.value):
            self._database(node.value, state)
        elif attr in ENGINE_PROPERTIES and self.is_sqlalchemy(node.value):
            self._engine(node, state)

    def _check_call(self, node: cst.Call, state: int) -> None:
        func = node.func
        if _may_be_word(func):
            name = FUNCTIONS.get(qualified_name(self.rule, func) or "")
            if name is not None:
                needs = REQUEST if name == "flash" else APP
                self._use(func, name, "function", needs, state)
                return
        if self.is_session(func):
            self._database(func, state)
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value not in SESSION_OWN
            and self.is_session(func.value)
        ):
            self._database(func.value, state)
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in ENGINE_METHODS
            and self.is_sqlalchemy(func.value)
            and not _given_app(node)
        ):
            self._engine(func, state)
        elif self.follow and isinstance(func, cst.Name):
            self._follow(func, state)

    def is_session(self, node: cst.CSTNode) -> bool:
        """`db.session` where `db` is a Flask-SQLAlchemy object of the project."""
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value == "session"
            and self.is_sqlalchemy(node.value)
        )

    def is_sqlalchemy(self, node: cst.CSTNode) -> bool:
        """`db`, a Flask-SQLAlchemy object of the project."""
        return bool(self.sqlalchemy) and project_name(self.rule, node) in self.sqlalchemy

    def _engine(self, node: cst.Attribute, state: int) -> None:
        """`db.create_all` (called) or `db.engine` (read), `db` checked with
        `is_sqlalchemy`."""
        bound = project_name(self.rule, node.value) in self.contexts.sqlalchemy_given_app
        self._use(node, spelled(node), "engine", APP, state, self._legacy(bound))

    def _database(self, session: cst.Attribute, state: int) -> None:
        """A use of `db.session` (checked with `is_session`)."""
        bound = project_name(self.rule, session.value) in self.contexts.sqlalchemy_given_app
        self._use(session, spelled(session), "database", APP, state, self._legacy(bound))

    def _legacy(self, bound: bool) -> str | None:
        if not self.legacy_db:
            return None
        return "bound" if bound else "unbound"

    def _use(
        self,
        node: cst.CSTNode,
        name: str,
        kind: str,
        needs: int,
        state: int,
        legacy_db: str | None = None,
    ) -> None:
        if id(node) in self._seen:
            return
        self._seen.add(id(node))
        self.uses.append(Use(node, name, kind, needs, max(state, self.pushed), self.via, legacy_db))

    def _follow(self, name: cst.Name, state: int) -> None:
        function = module_function(self.rule, name)
        if function is None or len(self.via) >= self.max_depth:
            return
        key = (id(function), max(state, self.pushed))
        if key in self._followed:
            return
        self._followed.add(key)
        outer = self.via
        self.via = (*outer, name.value)
        try:
            self.suite(function.body, state)
        finally:
            self.via = outer

    # contexts

    def _context_call(self, node: cst.CSTNode) -> int | None:
        """The context `x.app_context()` (and friends) gives, or None."""
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            return CONTEXT_METHODS.get(node.func.attr.value)
        return None

    def _context_of(self, item: cst.BaseExpression) -> int | None:
        """The context a `with` item enters; None when it suppresses RuntimeError."""
        kind = self._context_call(item)
        if kind is not None:
            return kind
        if isinstance(item, cst.Name) and item.value in self.context_names:
            return self.context_names[item.value]
        if (
            isinstance(item, cst.Call)
            and qualified_name(self.rule, item.func) in SUPPRESS
            and any(
                (qualified_name(self.rule, a.value) or "").removeprefix("builtins.")
                in RUNTIME_ERRORS
                for a in item.args
            )
        ):
            return None
        return NONE

    def _pushed_by(self, node: cst.BaseExpression) -> int | None:
        """The context `x.app_context().push()` or `ctx.push()` pushes, or None."""
        if not (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "push"
            and not node.args
        ):
            return None
        receiver = node.func.value
        if isinstance(receiver, cst.Name):
            return self.context_names.get(receiver.value)
        return self._context_call(receiver)

    def _guard(self, test: cst.BaseExpression) -> tuple[int, bool]:
        """`if has_app_context():` (or `if current_app:`, a proxy being false outside its
        context): the context the body has, and whether the test is negated."""
        negated = False
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test, negated = test.expression, True
        if isinstance(test, cst.Call) and not test.args:
            return HAS_CONTEXT.get(qualified_name(self.rule, test.func) or "", NONE), negated
        if _may_be_word(test):
            name = PROXIES.get(qualified_name(self.rule, test) or "")
            if name is not None:
                return (APP if name in ("current_app", "g") else REQUEST), negated
        return NONE, negated


def _given_app(call: cst.Call) -> bool:
    """`db.create_all(app=app)`, `db.get_engine(app)`: Flask-SQLAlchemy before 3.0 uses
    that app and needs no context (3.0 removed the argument: a TypeError, not ours)."""
    if any(arg.keyword is not None and arg.keyword.value == "app" for arg in call.args):
        return True
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    method = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
    # get_engine(app=None, bind=None); create_all / drop_all / reflect(bind, app)
    return len(positional) >= (1 if method == "get_engine" else 2)


def _may_be_word(node: cst.CSTNode) -> bool:
    """A cheap look before resolving a name: could it be one of Flask's?"""
    if isinstance(node, cst.Name):
        return node.value in _WORDS
    return isinstance(node, cst.Attribute) and node.attr.value in _WORDS


# --- background threads, executors and Celery tasks ------------------------------------------

THREAD = frozenset({"threading.Thread"})
TIMER = frozenset({"threading.Timer"})
THREAD_CLASSES = frozenset({"Thread", "Timer"})  # their names in `threading`
THREAD_EXECUTORS = frozenset(
    {"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"}
)
PROCESS_EXECUTORS = frozenset(
    {"concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"}
)
PARTIAL = frozenset({"functools.partial"})
COPY_CONTEXT = frozenset({"contextvars.copy_context"})
HARMLESS_DECORATORS = frozenset({"builtins.staticmethod", "builtins.classmethod"})
EXECUTOR_METHODS = frozenset({"submit", "map"})
TASK_METHODS = frozenset({"delay", "apply_async", "s", "si"})
LAUNCH_NAMES = frozenset({"Thread", "Timer", *EXECUTOR_METHODS, *TASK_METHODS})


def may_call(module: TriageModule, call: ast.Call, qualified: frozenset[str]) -> bool:
    """Stdlib-`ast` triage: whether `call` may call one of `qualified` as `qualified_name`
    resolves names (through the module's imports: `T` after `from threading import
    Thread as T`; not a class of the module that happens to be called `Thread`)."""
    names = module.possible_names(call.func)
    return names is None or not names.isdisjoint(qualified)


def thread_calls(module: TriageModule) -> list[ast.Call]:
    """Stdlib-`ast` triage: the calls that may create a `threading.Thread` or `Timer`,
    whatever name they are imported under."""
    return [
        call
        for name in ("Thread", "Timer")
        for call in module.calls_to(name)
        if may_call(module, call, THREAD | TIMER)
    ]


@dataclass
class Launch:
    """A call that runs code somewhere else."""

    call: cst.Call
    kind: str  # 'thread' (a thread of this process), 'process' or 'celery'
    label: str  # how the call reads in messages: 'threading.Thread(target=work)'
    target: cst.FunctionDef | cst.Lambda | None  # the code run there, when found here
    target_name: str | None
    passed: list[cst.BaseExpression] = field(default_factory=list)  # its arguments
    import_time: bool = False
    # the target runs with a copy of the caller's contexts (`@copy_current_request_context`,
    # `contextvars.copy_context().run`): the proxies work there
    copies_context: bool = False


@dataclass
class _Site:
    call: cst.Call
    owner: cst.ClassDef | None  # the class whose method makes the call
    self_name: str | None  # that method's first parameter


class BackgroundRule(Rule):
    """Collects launches (threads, executors, Celery tasks) in one traversal and hands
    each to `launched()` at the end of the module."""

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, context) -> None:
        super().__init__(context)
        self._stack: list[cst.CSTNode] = []  # enclosing ClassDefs and FunctionDefs
        self._executors: dict[int, str] = {}  # id(bound Name) -> 'thread' | 'process'
        self._sites: list[_Site] = []
        # names `from threading import Thread as T` binds: calls of them may launch too
        self._renamed_launchers: set[str] = set()
        self.reported: set[int] = set()

    def launched(self, launch: Launch) -> None:
        raise NotImplementedError

    # traversal

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._stack.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        kind = self._executor_kind(node.value)
        if kind is not None:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._executors[id(target.target)] = kind

    def visit_WithItem(self, node: cst.WithItem) -> None:
        kind = self._executor_kind(node.item)
        if kind is not None and node.asname is not None and isinstance(node.asname.name, cst.Name):
            self._executors[id(node.asname.name)] = kind

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if alias.asname is not None and alias.evaluated_name in THREAD_CLASSES:
                self._renamed_launchers.add(alias.evaluated_alias or "")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        # every call of a plain name: it may be Thread or Timer imported under another
        # name, by an import further down (leave_Module keeps the calls of those names)
        if isinstance(func, cst.Name) or (
            isinstance(func, cst.Attribute) and func.attr.value in LAUNCH_NAMES
        ):
            self._sites.append(self._site(node))

    def _site(self, node: cst.Call) -> _Site:
        """The call, with the class and the `self` of the method making it, if any."""
        owner = self_name = None
        if (
            len(self._stack) >= 2
            and isinstance(self._stack[-1], cst.FunctionDef)
            and isinstance(self._stack[-2], cst.ClassDef)
        ):
            params = _parameters(self._stack[-1].params)
            if params:
                owner, self_name = self._stack[-2], params[0].name.value
        return _Site(node, owner, self_name)

    def leave_Module(self, original_node: cst.Module) -> None:
        names = LAUNCH_NAMES | self._renamed_launchers
        for site in self._sites:
            if _called_name(site.call) not in names:
                continue
            # the name only suggests a launch: `_launch` resolves what is called
            launch = self._launch(site)
            if launch is not None:
                self.launched(launch)

    # what a call launches

    def _executor_kind(self, value: cst.BaseExpression) -> str | None:
        if isinstance(value, cst.Call):
            name = qualified_name(self, value.func)
            if name in THREAD_EXECUTORS:
                return "thread"
            if name in PROCESS_EXECUTORS:
                return "process"
        return None

    def _bound_executor(self, node: cst.BaseExpression) -> str | None:
        if not isinstance(node, cst.Name):
            return None
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return None
        kinds = {self._executors.get(id(getattr(a, "node", None))) for a in scope[node.value]}
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
        return None

    def _launch(self, site: _Site) -> Launch | None:
        call = site.call
        func = call.func
        name = qualified_name(self, func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if name in THREAD or name in TIMER:
            layout = (
                ("group", "target", "name", "args", "kwargs")
                if name in THREAD
                else ("interval", "function", "args", "kwargs")
            )
            arguments = _bind(call, layout)
            if arguments is None:
                return None
            target = arguments.get(layout[1])
            passed = _elements(arguments.get("args")) + _values(arguments.get("kwargs"))
            label = "threading.Thread(target=%s)" if name in THREAD else "threading.Timer(..., %s)"
            return self._make(site, "thread", target, passed, label)
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        if method in EXECUTOR_METHODS:
            kind = self._bound_executor(func.value)
            if kind is None or not call.args or call.args[0].keyword or call.args[0].star:
                return None
            target = call.args[0].value
            rest = call.args[1:]
            if method == "submit":
                passed = [a.value for a in rest if not a.star]
            else:
                passed = [
                    e for a in rest if not a.keyword and not a.star for e in _elements(a.value)
                ]
            more = ", ..." if len(call.args) > 1 else ""
            return self._make(site, kind, target, passed, f"{spelled(func)}(%s{more})")
        if method in TASK_METHODS:
            task = project_name(self, func.value)
            if task is None or task not in self.context.index.contexts.tasks:
                return None
            if method == "apply_async":
                arguments = _bind(call, ("args", "kwargs"), strict=False) or {}
                passed = _elements(arguments.get("args")) + _values(arguments.get("kwargs"))
            else:
                passed = [a.value for a in call.args if not a.star]
            return Launch(
                call, "celery", f"{spelled(func)}(...)", None, None, passed, self._at_import(call)
            )
        return None

    def _make(self, site, kind, target, passed, label) -> Launch:
        """`label` reads the call, with %s standing for the target."""
        label = label % _short(target)
        passed = list(passed)
        if (
            isinstance(target, cst.Call)
            and qualified_name(self, target.func) in PARTIAL
            and target.args
            and not target.args[0].keyword
            and not target.args[0].star
        ):
            passed += [a.value for a in target.args[1:] if not a.star]
            target = target.args[0].value
        # `copy_current_request_context(fn)`, `contextvars.copy_context().run`: the
        # thread runs with a copy of this one's contexts
        copies = (
            isinstance(target, cst.Call)
            and qualified_name(self, target.func) in COPY_REQUEST_CONTEXT
        ) or (
            isinstance(target, cst.Attribute)
            and target.attr.value == "run"
            and isinstance(target.value, cst.Call)
            and qualified_name(self, target.value.func) in COPY_CONTEXT
        )
        function = self._target(site, target) if target is not None else None
        target_name = None
        if isinstance(function, cst.FunctionDef):
            target_name = function.name.value
            decorators = [qualified_name(self, d.decorator) for d in function.decorators]
            if any(d in COPY_REQUEST_CONTEXT for d in decorators):
                copies = True
            elif any(d not in HARMLESS_DECORATORS for d in decorators):
                function = None  # a decorator we do not know may push a context
        return Launch(
            site.call,
            kind,
            label,
            function,
            target_name,
            passed,
            self._at_import(site.call),
            copies,
        )

    def _target(
        self, site: _Site, target: cst.BaseExpression
    ) -> cst.FunctionDef | cst.Lambda | None:
        if isinstance(target, cst.Lambda):
            return target
        if isinstance(target, cst.Name):
            return bound_function(self, target)
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and site.owner is not None
            and target.value.value == site.self_name
        ):
            methods = [
                s
                for s in site.owner.body.body
                if isinstance(s, cst.FunctionDef) and s.name.value == target.attr.value
            ]
            return methods[0] if len(methods) == 1 else None
        return None

    def _at_import(self, node: cst.CSTNode) -> bool:
        return enclosing_function(self, node) is None

    # walking a target

    def target_uses(self, launch: Launch) -> list[Use]:
        """What the launched function uses, in the fresh context of the thread."""
        target = launch.target
        if target is None:
            return []
        walker = ContextWalker(self)
        if isinstance(target, cst.Lambda):
            walker.expression(target.body, NONE)
        else:
            walker.suite(target.body, NONE)
        return walker.uses

    def report_once(self, node: cst.CSTNode, message: str, **kwargs) -> None:
        if id(node) not in self.reported:
            self.reported.add(id(node))
            self.report(node, message, **kwargs)


def _called_name(call: cst.Call) -> str:
    func = call.func
    return func.attr.value if isinstance(func, cst.Attribute) else func.value  # type: ignore[attr-defined]


def _short(target: cst.BaseExpression | None) -> str:
    """The target as written, or an ellipsis when long or spread over lines."""
    if target is None:
        return "..."
    text = spelled(target)
    if len(text) <= 50 and "\n" not in text:
        return text
    return "lambda: ..." if isinstance(target, cst.Lambda) else "..."


def _bind(
    call: cst.Call, layout: tuple[str, ...], strict: bool = True
) -> dict[str, cst.BaseExpression] | None:
    """Arguments by parameter name; None when `*args`/`**kwargs` hide them (strict)."""
    bound: dict[str, cst.BaseExpression] = {}
    position = 0
    for arg in call.args:
        if arg.star:
            if strict:
                return None
            continue
        if arg.keyword is not None:
            bound[arg.keyword.value] = arg.value
        elif position < len(layout):
            bound[layout[position]] = arg.value
            position += 1
    return bound


def _elements(node: cst.BaseExpression | None) -> list[cst.BaseExpression]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    return []


def _values(node: cst.BaseExpression | None) -> list[cst.BaseExpression]:
    if isinstance(node, cst.Dict):
        return [e.value for e in node.elements if isinstance(e, cst.DictElement)]
    return []
