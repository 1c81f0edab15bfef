"""Project facts for the context rules (FLK301-FLK303, FLK502), gathered with `ast`.

Per module (in the scan phase, from the tree the index scanner just walked): module-level
objects created by a call (`db = SQLAlchemy(app)`, `celery = Celery(__name__)`), Celery
task functions, whether the module pushes an application context outside a `with`, the
attribute reads that may use a database outside a context (`DatabaseReads`, resolved by
rewrite/legacy_db once the databases are known), and cheap triage flags. `link` then
resolves them across modules with the index linker: which qualified names are
Flask-SQLAlchemy objects, which classes are its models, which functions are Celery tasks,
and which of those run with no app context as far as the project shows.

Nothing here imports `flask_fix.index.project` (which imports this module): the scanner
and the linker are seen through `facts.ModuleScan` and `facts.ProjectLink`.
"""

from __future__ import annotations

import ast
import os
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .facts import ModuleScan, ProjectLink

FSA_CLASSES = frozenset(
    {
        "flask_sqlalchemy.SQLAlchemy",
        "flask_sqlalchemy.extension.SQLAlchemy",
        "flask.ext.sqlalchemy.SQLAlchemy",
    }
)
CELERY_CLASSES = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
SHARED_TASK = frozenset({"celery.shared_task", "celery.app.shared_task"})
# calls whose result is a context: `with x.app_context():`, `x.app_context().push()`
CONTEXT_LEVELS = {"app_context": 1, "test_request_context": 2, "request_context": 2,
                  "test_client": 2}  # fmt: skip
NONE, APP, REQUEST, UNKNOWN = 0, 1, 2, 3
# names whose use at import time may interest FLK301 / FLK302 (a cheap look, no resolution)
PROXY_WORDS = frozenset({"current_app", "g", "request", "session"})
APP_FUNCTION_WORDS = frozenset(
    {"url_for", "render_template", "render_template_string", "stream_template",
     "stream_template_string", "jsonify"}
)  # fmt: skip
# attributes of a model or a Flask-SQLAlchemy object that need an app context when read
# (`User.query`, `db.engine`) or called (`db.create_all()`)
DATABASE_ATTRIBUTES = frozenset(
    {"query", "engine", "engines", "create_all", "drop_all", "reflect", "get_engine"}
)
APP_WORDS = frozenset({"current_app", "g", "session", *DATABASE_ATTRIBUTES, *APP_FUNCTION_WORDS})
REQUEST_WORDS = frozenset({"request", "session", "flash"})
FOLLOW_LIMIT = 64  # module functions whose bodies the triage looks into
# attributes of a Flask-SQLAlchemy object that need an app (Flask-SQLAlchemy 2.5's get_app)
DATABASE_USES = frozenset(
    {"session", "engine", "create_all", "drop_all", "reflect", "get_engine", "get_app",
     "get_binds", "get_tables_for_bind", "engines"}
)  # fmt: skip
# those that need the app only when used further (`db.session.add(...)`)
USED_THROUGH = frozenset({"session"})
_READ_ATTRIBUTES = DATABASE_USES | {"query"}
# unittest's test case classes, and Flask-Testing's, which push a request context
# (`self._ctx = self.app.test_request_context()` in `_pre_setup`) around every test
UNITTEST_CASES = frozenset(
    {"unittest.TestCase", "unittest.case.TestCase", "unittest.IsolatedAsyncioTestCase",
     "unittest.async_case.IsolatedAsyncioTestCase"}
)  # fmt: skip
CONTEXT_TEST_CASES = frozenset(
    f"{package}.{name}"
    for package in ("flask_testing", "flask_testing.utils", "flask.ext.testing")
    for name in ("TestCase", "LiveServerTestCase")
)
# `with x.app_context():` and the request contexts: database reads inside run in one
DATABASE_CONTEXT_METHODS = frozenset({"app_context", "test_request_context", "request_context"})
BACKGROUND_MODULES = ("threading", "concurrent")


@dataclass(frozen=True, slots=True)
class DatabaseRead:
    """`root.attr` or `root.middle.attr` read where no application context is pushed:
    `attr` one of DATABASE_USES (`db.session`, `models.db.create_all`), or `query` on a
    name (`User.query`). Whether `root` is a Flask-SQLAlchemy object or model is known
    only once the project is linked (rewrite/legacy_db)."""

    line: int
    root: str
    middle: str | None
    attr: str
    # read from or called (`db.session.add`, `db.session()`), not handed on (`[db.session]`)
    further: bool
    # the read whose expression holds this one (`db.engine` in `db.engine.engines`), as an
    # index into the module's reads; -1: none. Once that one is a use, this one is not
    enclosing: int
    in_function: bool  # in a function or lambda body: a use only in test code
    # in a function of this module-level class (a method): a test case class deriving
    # from Flask-Testing's runs it inside a request context (known once linked)
    owner: str | None = None

    @property
    def code(self) -> str:
        return ".".join(p for p in (self.root, self.middle, self.attr) if p is not None)


@dataclass(slots=True)
class DatabaseReads:
    """What rewrite/legacy_db needs of one module: its database reads outside a context
    (import-time code; function bodies too in a module that may be test code), what the
    imports bind their first names to (`from shop import db as d`: d -> shop.db; `import
    shop.models as m`: m -> shop.models; anywhere in the module, the last of `ast.walk`'s
    order winning), and, for possible test code, whether it pushes a context its tests run
    in (`.push()` called, or a fixture yielding inside `with app.app_context():`)."""

    reads: tuple[DatabaseRead, ...] = ()
    imports: dict[str, str] = field(default_factory=dict)
    test_context: bool = False


@dataclass(slots=True)
class ModuleContextFacts:
    """What one module contributes; stored in `ModuleFacts.raw["context"]`."""

    # module-level `name = f(...)`: name -> (qualified f, keyword argument names)
    instances: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # those of them built with an app: `f(app)`, `f(app=app)` (a first argument given)
    given_app: set[str] = field(default_factory=set)
    # those of them given an app later at import time: a module-level `name.init_app(app)`
    # (what FLK202 makes of `SQLAlchemy(app)`: the engines are made there just the same)
    init_app_at_import: set[str] = field(default_factory=set)
    # module-level functions with a Celery task decorator: name -> (qualified app the
    # decorator belongs to, or None for `shared_task`; the decorator passes `base=`)
    task_defs: dict[str, tuple[str | None, bool]] = field(default_factory=dict)
    # somewhere an attribute `Task` or `task_cls` is assigned (a Celery task class swapped)
    overrides_task: bool = False
    # somewhere `x.app_context().push()` / `ctx.push()`: a context pushed outside a `with`
    pushes_context: bool = False
    # import-time code (and the module functions it calls) uses names FLK301 / FLK302
    # look for, in the shape they look for
    import_time_app: bool = False
    import_time_request: bool = False
    # imports threading or concurrent.futures
    threads: bool = False
    # every import: (the module it names, the names it imports from it, the function it is
    # in, or None at import time; the context it runs in: NONE, APP or REQUEST); the
    # modules it may load are `site_modules(module, names)`
    import_sites: list[tuple[str, tuple[str, ...], str | None, int]] = field(
        default_factory=list
    )
    # an Alembic environment script (`from alembic import context`): Flask-Migrate runs it
    # inside an application context
    alembic_env: bool = False
    # a module-level `if __name__ == "__main__":` block: the module is run as a script
    main_guard: bool = False
    # what may use a database outside an app context (rewrite/legacy_db); None: nothing
    database: DatabaseReads | None = None
    # module-level functions ending `return app` that call `x.init_app(app)` in their
    # body (FLK503): name -> (the qualified `x` of each such call, the parameter whose
    # mapping `app.config.update(p)` / `from_mapping(p)` applies before the first of
    # them, with nothing else touching the app in between, as (name, position among the
    # positional parameters or -1 for keyword-only); None when there is none)
    init_app_factories: dict[str, tuple[tuple[str, ...], tuple[str, int] | None]] = field(
        default_factory=dict
    )
    # module-level functions decorated `@x.user_loader` (Flask-Login): the qualified names
    # their `return` expressions name (`return User.query.get(int(id))`: pkg.models.User),
    # so the link can tell whether `current_user` is a model instance (FLK506)
    user_loader_names: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ContextIndex:
    """The linked facts, held by `ProjectIndex.contexts`. Names are qualified the way a
    module imports them (`pkg.models.User`), every re-export included; paths are the
    index's paths."""

    sqlalchemy: frozenset[str] = frozenset()  # Flask-SQLAlchemy extension objects
    models: frozenset[str] = frozenset()  # classes deriving from such an object's Model
    # those created with the app (`SQLAlchemy(app)`) and their models: before
    # Flask-SQLAlchemy 3.0 they fall back to that app outside an app context
    sqlalchemy_given_app: frozenset[str] = frozenset()
    # Flask-SQLAlchemy objects whose `init_app(app)` runs at module level (FLK503)
    sqlalchemy_init_at_import: frozenset[str] = frozenset()
    models_given_app: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()  # Celery task functions
    # tasks whose Celery app is a plain `Celery(...)`: no task class swapped anywhere,
    # no `base=`, and no module pushes an app context outside a `with`
    plain_tasks: frozenset[str] = frozenset()
    import_time_app: frozenset[str] = frozenset()  # paths
    import_time_request: frozenset[str] = frozenset()  # paths
    # paths whose import-time code runs inside a context: APP, REQUEST, or UNKNOWN (only
    # imported lazily, from functions that run we do not know when); absent: NONE
    import_context: dict[str, int] = field(default_factory=dict)
    background: frozenset[str] = frozenset()  # paths: threads imported or plain tasks
    # project classes deriving from unittest's TestCase (FLK304), and those of them
    # deriving from Flask-Testing's, which pushes a request context around every test
    test_classes: frozenset[str] = frozenset()
    context_test_classes: frozenset[str] = frozenset()
    # factories that hand the app they return to a Flask-SQLAlchemy object's `init_app`
    # (FLK503): qualified name -> the parameter whose mapping they apply to `app.config`
    # before that, (name, position), or None (see `ModuleContextFacts.init_app_factories`)
    sqlalchemy_factories: dict[str, tuple[str, int] | None] = field(default_factory=dict)
    # a Flask-Login user loader of the project returns one of `models` (its `return` names
    # a model): `current_user` is then a model instance (FLK506)
    login_user_model: bool = False
    # tasks whose arguments go through Celery's own serializers: `@shared_task`, or a task
    # of an app made by `celery.Celery(...)` itself, not by a project subclass (which may
    # send model instances its own way, as indico's sends their primary keys) (FLK506)
    stock_celery_tasks: frozenset[str] = frozenset()


# --- one module ---------------------------------------------------------------------------


def scan_module(tree: ast.Module, scanner: ModuleScan) -> ModuleContextFacts:
    """The module's facts; `scanner` (the index scanner, done with the module) resolves
    names through the module-level bindings as they stand at the end of the module."""
    qualify = scanner.qualify
    facts = ModuleContextFacts()
    functions: dict[str, ast.FunctionDef] = {}
    for statement in _module_level(tree.body):
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            _record_instance(facts, statement, qualify)
        elif isinstance(statement, ast.FunctionDef):
            _record_task(facts, statement, qualify)
            _record_init_app_factory(facts, statement, qualify)
            _record_user_loader(facts, statement, qualify)
            functions[statement.name] = statement
        elif isinstance(statement, ast.If) and is_main_guard(statement.test):
            facts.main_guard = True
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and statement.value.func.attr == "init_app"
            and isinstance(statement.value.func.value, ast.Name)
            and (statement.value.args or statement.value.keywords)
        ):
            facts.init_app_at_import.add(statement.value.func.value.id)
    _scan_import_time(facts, tree.body, functions)
    _import_sites(facts, tree.body, scanner, None, "", NONE)
    facts.database = database_reads(tree, scanner)
    return facts


def _scan_import_time(facts: ModuleContextFacts, body, functions) -> None:
    """Set the triage flags: names used at import time, in the shapes the rules look for,
    following calls of the module's own functions (bounded)."""
    found: set[str] = set()
    calls: set[str] = set()
    for node in _import_time_expressions(body):
        if isinstance(node, ast.Name):  # a bare decorator (or a value): may be applied
            calls.add(node.id)
        _scan_expression(node, found, calls)
    followed: set[str] = set()
    pending = [name for name in calls if name in functions]
    while pending and len(followed) < FOLLOW_LIMIT:
        name = pending.pop()
        if name in followed:
            continue
        followed.add(name)
        more: set[str] = set()
        for node in _import_time_expressions(functions[name].body):
            if isinstance(node, ast.Name):
                more.add(node.id)
            _scan_expression(node, found, more)
        pending.extend(n for n in more if n in functions and n not in followed)
    facts.import_time_app = bool(found & APP_WORDS)
    facts.import_time_request = bool(found & REQUEST_WORDS)


def _word(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _scan_expression(node: ast.AST, found: set[str], calls: set[str]) -> None:
    """Words used as the rules look for them: a proxy's attribute or item, a Flask
    function called, `X.query` or `db.engine` read, `db.create_all()` called, `db.session`
    used; and the names called."""
    stack = [node]
    pop, extend, AST = stack.pop, stack.extend, ast.AST
    while stack:
        current = pop()
        kind = type(current)
        if kind is ast.Attribute or kind is ast.Subscript:
            value = current.value  # type: ignore[attr-defined]
            word = value.id if type(value) is ast.Name else getattr(value, "attr", None)
            if word in PROXY_WORDS:
                found.add(word)
            attr = current.attr if kind is ast.Attribute else None  # type: ignore[attr-defined]
            if attr in DATABASE_ATTRIBUTES:
                found.add(attr)
            stack.append(value)
            if kind is ast.Subscript:
                stack.append(current.slice)  # type: ignore[attr-defined]
            continue
        if kind is ast.Name or kind is ast.Constant:
            continue
        if kind is ast.Call:
            func = current.func  # type: ignore[attr-defined]
            if type(func) is ast.Name:
                calls.add(func.id)
                word = func.id
            else:
                word = getattr(func, "attr", None)
            if word in APP_FUNCTION_WORDS or word == "flash" or word == "session":
                found.add(word)
        elif kind is ast.Lambda:  # the body runs later
            extend(current.args.defaults)  # type: ignore[attr-defined]
            defaults = current.args.kw_defaults  # type: ignore[attr-defined]
            extend(d for d in defaults if d is not None)
            continue
        elif kind is ast.GeneratorExp:  # lazy but for the first iterable
            stack.append(current.generators[0].iter)  # type: ignore[attr-defined]
            continue
        elif kind is ast.Compare:
            pairs = zip(current.ops, current.comparators)  # type: ignore[attr-defined]
            for operator, comparator in pairs:
                if isinstance(operator, (ast.In, ast.NotIn)) and _word(comparator) in PROXY_WORDS:
                    found.add(_word(comparator))  # type: ignore[arg-type]
        for name in current._fields:
            child = getattr(current, name, None)
            if type(child) is list:
                extend(c for c in child if isinstance(c, AST))
            elif isinstance(child, AST):
                stack.append(child)


def _import_sites(facts, body, scanner, function: str | None, prefix: str, level: int) -> None:
    """Record every import with the function it is in and the context it runs in; and,
    on the way through every statement, context pushes, task-class swaps, thread
    imports and Alembic's `context`."""
    for statement in body:
        kind = statement.__class__
        if kind is ast.Assign:
            facts.overrides_task = facts.overrides_task or any(
                isinstance(t, ast.Attribute) and t.attr in ("Task", "task_cls")
                for t in statement.targets
            )
        elif kind is ast.Import:
            for alias in statement.names:
                facts.import_sites.append((alias.name, (), function, level))
                top = alias.name.partition(".")[0]
                facts.threads = facts.threads or top in BACKGROUND_MODULES
        elif kind is ast.ImportFrom:
            if statement.level == 0:
                top = (statement.module or "").partition(".")[0]
                facts.threads = facts.threads or top in BACKGROUND_MODULES
                facts.alembic_env = facts.alembic_env or (
                    statement.module == "alembic"
                    and any(a.name == "context" for a in statement.names)
                )
            module = scanner.absolute_module(statement.module, statement.level)
            if module:
                names = tuple(a.name for a in statement.names if a.name != "*")
                facts.import_sites.append((module, names, function, level))
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            qualname = (
                f"{function}.<locals>.{statement.name}" if function else prefix + statement.name
            )
            _import_sites(facts, statement.body, scanner, qualname, "", NONE)
        elif kind is ast.ClassDef:
            inner = f"{function}.<locals>." if function else prefix
            _import_sites(facts, statement.body, scanner, function, inner + statement.name + ".",
                          level)  # fmt: skip
        elif kind is ast.Expr:
            pushed = _is_push(statement.value)
            if pushed is not None:
                facts.pushes_context = True
                level = max(level, pushed)
        else:
            blocks = _block_fields(kind)
            if not blocks:
                continue
            inner = level
            if kind is ast.With or kind is ast.AsyncWith:
                for item in statement.items:
                    call = item.context_expr
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                        inner = max(inner, CONTEXT_LEVELS.get(call.func.attr, NONE))
            for name in blocks:
                for child in getattr(statement, name):
                    children = [child] if isinstance(child, ast.stmt) else child.body
                    _import_sites(facts, children, scanner, function, prefix, inner)


def site_modules(module: str, names: tuple[str, ...]) -> Iterator[str]:
    """The modules an import may load: `import a.b` loads `a` and `a.b`; `from a.b
    import c` those and `a.b.c` when `c` is a submodule."""
    end = module.find(".")
    while end != -1:
        yield module[:end]
        end = module.find(".", end + 1)
    yield module
    for name in names:
        yield f"{module}.{name}"


def is_main_guard(test: ast.expr) -> bool:
    """`__name__ == '__main__'` (either way round)."""
    if not (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _record_instance(facts: ModuleContextFacts, statement, qualify) -> None:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    value = statement.value
    for target in targets:
        if not isinstance(target, ast.Name):
            continue
        facts.instances.pop(target.id, None)
        facts.given_app.discard(target.id)
        callee = qualify(value.func) if isinstance(value, ast.Call) else None
        if callee is not None:
            keywords = tuple(k.arg or "**" for k in value.keywords)  # type: ignore[union-attr]
            facts.instances[target.id] = (callee, keywords)
            if value.args or "app" in keywords:  # type: ignore[union-attr]
                facts.given_app.add(target.id)


def _record_task(facts: ModuleContextFacts, function: ast.FunctionDef, qualify) -> None:
    facts.instances.pop(function.name, None)
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        expression = call.func if call is not None else decorator
        has_base = call is not None and any(k.arg in ("base", None) for k in call.keywords)
        if isinstance(expression, ast.Attribute) and expression.attr == "task":
            app = qualify(expression.value)
            if app is not None:
                facts.task_defs[function.name] = (app, has_base)
        elif qualify(expression) in SHARED_TASK:
            facts.task_defs[function.name] = (None, has_base)


def _record_user_loader(facts: ModuleContextFacts, function: ast.FunctionDef, qualify) -> None:
    """See `ModuleContextFacts.user_loader_names`."""
    if not any(
        isinstance(d, ast.Attribute) and d.attr == "user_loader" for d in function.decorator_list
    ):
        return
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            for name in ast.walk(node.value):
                if isinstance(name, ast.Name):
                    qualified = qualify(name)
                    if qualified is not None:
                        facts.user_loader_names.add(qualified)


def _record_init_app_factory(facts: ModuleContextFacts, function: ast.FunctionDef, qualify) -> None:
    """See `ModuleContextFacts.init_app_factories`."""
    facts.init_app_factories.pop(function.name, None)
    body = function.body
    if not (body and isinstance(body[-1], ast.Return) and isinstance(body[-1].value, ast.Name)):
        return
    app = body[-1].value.id
    receivers: list[str] = []
    first = None
    for position, statement in enumerate(body):
        receiver = _init_app_receiver(statement, app)
        if receiver is not None:
            qualified = qualify(receiver)
            if qualified is not None:
                receivers.append(qualified)
                first = position if first is None else first
    if first is None:
        return
    arguments = function.args
    parameters = {a.arg for a in [*arguments.args, *arguments.kwonlyargs]}  # by keyword
    applied, last = None, -1
    for position in range(first):
        parameter = _applied_mapping(body[position], app, parameters)
        if parameter is not None:
            applied, last = parameter, position
    if applied is not None:
        between = body[last + 1 : first]
        reassigned = any(
            isinstance(node, ast.Name) and node.id == applied and isinstance(node.ctx, ast.Store)
            for node in ast.walk(function)
        )
        touched = any(
            _init_app_receiver(statement, app) is None
            and any(isinstance(n, ast.Name) and n.id == app for n in ast.walk(statement))
            for statement in between
        )
        if reassigned or touched:
            applied = None
    where = None
    if applied is not None:
        positional = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
        where = (applied, positional.index(applied) if applied in positional else -1)
    facts.init_app_factories[function.name] = (tuple(receivers), where)


def _init_app_receiver(statement: ast.stmt, app: str) -> ast.expr | None:
    """`x` of a statement `x.init_app(app)`."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "init_app"
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == app
    ):
        return call.func.value
    return None


def _applied_mapping(statement: ast.stmt, app: str, parameters: set[str]) -> str | None:
    """The parameter `p` of `app.config.update(p)` / `from_mapping(p)` (or `p or {...}`),
    alone or under `if p:` / `if p is not None:`, or under `if isinstance(p, dict):` with
    an `else: app.config.from_object(p)` (the factory FLK201 writes): a dict is applied."""
    if (
        isinstance(statement, ast.If)
        and len(statement.body) == 1
        and isinstance(statement.test, ast.Call)
        and isinstance(statement.test.func, ast.Name)
        and statement.test.func.id == "isinstance"
        and len(statement.test.args) == 2
        and not statement.test.keywords
        and isinstance(statement.test.args[0], ast.Name)
        and isinstance(statement.test.args[1], ast.Name)
        and statement.test.args[1].id == "dict"
        and (not statement.orelse or _applies_object(statement.orelse, app))
    ):
        parameter = _applied_mapping(statement.body[0], app, parameters)
        return parameter if statement.test.args[0].id == parameter else None
    if isinstance(statement, ast.If) and not statement.orelse and len(statement.body) == 1:
        test = statement.test
        if isinstance(test, ast.Compare) and (
            len(test.ops) == 1
            and isinstance(test.ops[0], ast.IsNot)
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
        ):
            test = test.left
        parameter = _applied_mapping(statement.body[0], app, parameters)
        return parameter if isinstance(test, ast.Name) and test.id == parameter else None
    call = statement.value if isinstance(statement, ast.Expr) else None
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("update", "from_mapping")
        and isinstance(call.func.value, ast.Attribute)
        and call.func.value.attr == "config"
        and isinstance(call.func.value.value, ast.Name)
        and call.func.value.value.id == app
        and len(call.args) == 1
        and not call.keywords
    ):
        return None
    value = call.args[0]
    if (
        isinstance(value, ast.BoolOp)
        and isinstance(value.op, ast.Or)
        and len(value.values) == 2
        and isinstance(value.values[1], ast.Dict)
    ):
        value = value.values[0]
    return value.id if isinstance(value, ast.Name) and value.id in parameters else None


def _applies_object(body: list[ast.stmt], app: str) -> bool:
    """Whether `body` is one statement `app.config.from_object(...)`."""
    if len(body) != 1 or not isinstance(body[0], ast.Expr):
        return False
    call = body[0].value
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "from_object"
        and isinstance(call.func.value, ast.Attribute)
        and call.func.value.attr == "config"
        and isinstance(call.func.value.value, ast.Name)
        and call.func.value.value.id == app
    )


def _is_push(value: ast.expr) -> int | None:
    """The context `x.app_context().push()` pushes for good; `.push()` without arguments
    on a name or attribute (`ctx.push()`) counts as an application context. None: no push."""
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "push"
        and not value.args
        and not value.keywords
    ):
        return None
    receiver = value.func.value
    if isinstance(receiver, ast.Call):
        func = receiver.func
        if isinstance(func, ast.Attribute) and func.attr in CONTEXT_LEVELS:
            return CONTEXT_LEVELS[func.attr]
        return None
    return APP if isinstance(receiver, (ast.Name, ast.Attribute)) else None


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


@lru_cache(maxsize=None)
def _block_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    """The fields of _BLOCKS a statement class has (none for a simple statement)."""
    return tuple(name for name in _BLOCKS if name in kind._fields)


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import time, outside function and class bodies."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in _BLOCKS:
            for child in getattr(statement, name, ()) or ():
                if isinstance(child, ast.stmt):
                    yield from _module_level([child])
                else:  # an except handler or a match case
                    yield from _module_level(child.body)


def _import_time_expressions(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Expressions evaluated at import time: module level, class bodies, decorators and
    default values (lambda bodies included: this is a cheap over-approximation)."""
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from statement.decorator_list
            yield from statement.args.defaults
            yield from (d for d in statement.args.kw_defaults if d is not None)
        elif isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            yield from statement.bases
            yield from (k.value for k in statement.keywords)
            yield from _import_time_expressions(statement.body)
        else:
            for name, value in ast.iter_fields(statement):
                if name in _BLOCKS:
                    for child in value or ():
                        if isinstance(child, ast.stmt):
                            yield from _import_time_expressions([child])
                        else:
                            if getattr(child, "type", None) is not None:
                                yield child.type
                            if getattr(child, "guard", None) is not None:
                                yield child.guard
                            yield from _import_time_expressions(child.body)
                elif isinstance(value, ast.AST):
                    yield value
                elif isinstance(value, list):
                    yield from (v for v in value if isinstance(v, ast.AST))


# --- database reads outside a context (Flask-SQLAlchemy before 3.0: rewrite/legacy_db) ---


def database_reads(tree: ast.Module, scanner: ModuleScan) -> DatabaseReads | None:
    """The module's `DatabaseReads`; None when it has none and is no possible test code."""
    path = scanner.facts.path
    maybe_test = may_be_test_module(path)
    reads: list[DatabaseRead] = []
    lines = sorted(
        {a.lineno for a in scanner.nodes.get(ast.Attribute, ()) if a.attr in _READ_ATTRIBUTES}
    )
    if lines:
        _record_reads(tree, reads, -1, False, maybe_test, lines)
        if not maybe_test:  # test code has its function bodies recorded already
            for function in _run_outside_a_context(tree.body):
                _record_reads(ast.Module(function.body, []), reads, -1, False, False, lines)
    test_context = maybe_test and _pushes_test_context(scanner.nodes)
    if not reads and not test_context:
        return None
    roots = {read.root for read in reads}
    sites = [*scanner.nodes.get(ast.Import, ()), *scanner.nodes.get(ast.ImportFrom, ())]
    targets: dict[str, set[str]] = {}
    for node in sites:
        for local, target in _import_bindings(node, scanner):
            if local in roots:
                targets.setdefault(local, set()).add(target)
    imports = {local: next(iter(found)) for local, found in targets.items()}
    if any(len(found) > 1 for found in targets.values()):
        # one name imported as different things: the last in `ast.walk`'s order wins
        for node in ast.walk(tree):
            if node.__class__ is ast.Import or node.__class__ is ast.ImportFrom:
                for local, target in _import_bindings(node, scanner):  # type: ignore[arg-type]
                    if local in roots:
                        imports[local] = target
    return DatabaseReads(tuple(reads), imports, test_context)


def _run_outside_a_context(body: list[ast.stmt]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's functions that run outside an application context: those its
    import-time code calls by name outside one (its `__main__` block included:
    `init_db()` before `app.run()`), plain click commands (`click_commands`), and the
    functions those call in turn, at most FOLLOW_LIMIT."""
    functions = {
        s.name: s for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if not functions:
        return []
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    waiting = [name for name in _names_called(body, top=True) if name in functions]
    waiting += click_commands(functions)
    while waiting and len(found) < FOLLOW_LIMIT:
        name = waiting.pop(0)
        if name in found:
            continue
        found[name] = functions[name]
        waiting.extend(n for n in _names_called(functions[name].body) if n in functions)
    return sorted(found.values(), key=lambda function: function.lineno)


def click_commands(functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> list[str]:
    """Module functions that are click commands run without an application context:
    `@click.command()` (or `command` imported from click), or `@group.command()` on a
    module function decorated `@click.group()`, and not `@with_appcontext`. Flask's own
    `@app.cli.command()` and Flask-Script's `@manager.command` push a context; so does
    any command of a `FlaskGroup`, which this does not tell apart from a plain group:
    a group made with `@click.group(cls=FlaskGroup)` is left out."""

    def last(node: ast.expr) -> str | None:
        node = node.func if isinstance(node, ast.Call) else node
        if isinstance(node, ast.Attribute):
            return node.attr
        return node.id if isinstance(node, ast.Name) else None

    def base(node: ast.expr) -> str | None:
        node = node.func if isinstance(node, ast.Call) else node
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return node.value.id
        return None

    def plain_group(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        for decorator in function.decorator_list:
            if last(decorator) == "group" and base(decorator) in ("click", None):
                keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
                return not any(k.arg == "cls" for k in keywords)
        return False

    groups = {name for name, function in functions.items() if plain_group(function)}
    found = []
    for name, function in functions.items():
        words = [last(d) for d in function.decorator_list]
        if "with_appcontext" in words:
            continue
        for decorator in function.decorator_list:
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(called, ast.Name) and called.id == "command":
                found.append(name)  # `from click import command`
            elif last(decorator) == "command" and base(decorator) in ("click", *groups):
                found.append(name)
    return found


def _names_called(body: list[ast.stmt], top: bool = False) -> list[str]:
    """Names called as `name(...)` in `body`, outside nested function bodies and `with
    x.app_context():` blocks (class bodies too at the top: they run at import)."""
    called: list[str] = []
    for statement in body:
        kind = statement.__class__
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
            continue
        if (kind is ast.With or kind is ast.AsyncWith) and _enters_context(statement):  # type: ignore[arg-type]
            continue
        for name, value in ast.iter_fields(statement):
            children = value if isinstance(value, list) else [value]
            statements = [c for c in children if isinstance(c, ast.stmt)]
            if statements:
                called.extend(_names_called(statements, top))
                continue
            for child in children:
                if isinstance(child, ast.excepthandler) or child.__class__.__name__ == "match_case":
                    called.extend(_names_called(child.body, top))
                elif isinstance(child, ast.AST):
                    for node in ast.walk(child):
                        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                            called.append(node.func.id)
    return called


def _import_bindings(
    node: ast.Import | ast.ImportFrom, scanner: ModuleScan
) -> Iterator[tuple[str, str]]:
    """(local name, what it is bound to) for each name an import binds (`import a.b`: a,
    a; `import a.b as c`: c, a.b; `from .m import x as y`: y, pkg.m.x)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            yield local, alias.name if alias.asname else local
        return
    base = scanner.absolute_module(node.module, node.level)
    if base is not None:
        for alias in node.names:
            if alias.name != "*":
                yield alias.asname or alias.name, f"{base}.{alias.name}"


def may_be_test_module(path: str) -> bool:
    """A cheap superset of rewrite.factory.support.is_test_module's file names and folders
    (any folder of the absolute path, not only those below the project root)."""
    folder, name = os.path.split(path)
    return (
        name.startswith("test")
        or name.endswith(("_test.py", "_tests.py"))
        or name == "conftest.py"
        or _in_test_folder(folder)
    )


@lru_cache(maxsize=1024)
def _in_test_folder(folder: str) -> bool:
    parts = os.path.abspath(folder).replace("\\", "/").split("/")
    return "tests" in parts or "test" in parts


def _record_reads(
    node: ast.AST,
    reads: list[DatabaseRead],
    enclosing: int,
    in_function: bool,
    functions: bool,
    lines: list[int],
    owner: str | None = None,
) -> None:
    """Append the reads in `node` outside context blocks, function bodies included only
    when `functions`, in the order of `ast.iter_child_nodes`; `lines` (sorted): where an
    attribute that may be a read starts, so that a node spanning none is not walked;
    `owner`: the module-level class `node` is in."""
    for child in ast.iter_child_nodes(node):
        kind = child.__class__
        function = kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda
        if function and not functions:
            continue
        end = getattr(child, "end_lineno", None)
        if end is not None:
            start = child.lineno  # type: ignore[attr-defined]
            decorators = getattr(child, "decorator_list", None)
            if decorators:  # above the `def` / `class` line
                start = min(start, *(d.lineno for d in decorators))
            at = bisect_left(lines, start)
            if at == len(lines) or lines[at] > end:
                continue
        if (kind is ast.With or kind is ast.AsyncWith) and _enters_context(child):  # type: ignore[arg-type]
            continue
        if function:
            _record_reads(child, reads, enclosing, True, functions, lines, owner)
            continue
        if kind is ast.Attribute:
            read = _database_read(child, node, enclosing, in_function)  # type: ignore[arg-type]
            if read is not None:
                if in_function and owner is not None:
                    read = replace(read, owner=owner)
                reads.append(read)
                _record_reads(child, reads, len(reads) - 1, in_function, functions, lines, owner)
                continue
        if kind is ast.ClassDef and node.__class__ is ast.Module:
            _record_reads(child, reads, enclosing, in_function, functions, lines, child.name)  # type: ignore[attr-defined]
            continue
        _record_reads(child, reads, enclosing, in_function, functions, lines, owner)


def _database_read(
    node: ast.Attribute, parent: ast.AST, enclosing: int, in_function: bool
) -> DatabaseRead | None:
    value = node.value
    if node.attr in DATABASE_USES:
        if isinstance(value, ast.Name):
            root, middle = value.id, None
        elif isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
            root, middle = value.value.id, value.attr
        else:
            return None
        further = (isinstance(parent, ast.Attribute) and parent.value is node) or (
            isinstance(parent, ast.Call) and parent.func is node
        )
        return DatabaseRead(node.lineno, root, middle, node.attr, further, enclosing, in_function)
    if node.attr == "query" and isinstance(value, ast.Name):
        return DatabaseRead(node.lineno, value.id, None, "query", True, enclosing, in_function)
    return None


def _enters_context(node: ast.With | ast.AsyncWith) -> bool:
    return any(
        isinstance(item.context_expr, ast.Call)
        and isinstance(item.context_expr.func, ast.Attribute)
        and item.context_expr.func.attr in DATABASE_CONTEXT_METHODS
        for item in node.items
    )


def _pushes_test_context(nodes: dict) -> bool:
    """A context pushed outside a plain `with` block: `.push()` called anywhere, or a
    fixture yielding inside `with app.app_context():`."""
    for call in nodes.get(ast.Call, ()):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "push" and not call.args:
            return True
    yields = [(y.lineno, y.col_offset) for kind in (ast.Yield, ast.YieldFrom)
              for y in nodes.get(kind, ())]  # fmt: skip
    if not yields:
        return False
    for kind in (ast.With, ast.AsyncWith):
        for node in nodes.get(kind, ()):
            if _enters_context(node):
                start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
                if any(start <= where <= end for where in yields):  # within its text
                    return True
    return False


# --- the whole project ----------------------------------------------------------------------


def link(linker: ProjectLink) -> ContextIndex:
    """Resolve every module's facts across the project."""
    per_module = [(m, m.raw.get("context")) for m in linker.facts]
    per_module = [(m, f) for m, f in per_module if f is not None]
    modules = {m.path: m.module for m in linker.facts}

    def derives(qualified: str, from_path: str, targets: frozenset[str], depth: int = 0) -> bool:
        if qualified in targets:
            return True
        key = linker.resolve(qualified, from_path)
        cls = linker.classes.get(key) if key is not None and depth < 16 else None
        return cls is not None and any(
            base is not None and derives(base, key[0], targets, depth + 1)  # type: ignore[index]
            for base in cls.bases
        )

    sqlalchemy, given_app, celery, plain_celery = set(), set(), set(), set()
    stock_celery = set()  # made by celery.Celery itself
    init_at_import: set[tuple[str, str]] = set()
    overridden = any(f.overrides_task for _, f in per_module)
    pushed = any(f.pushes_context for _, f in per_module)
    for module, facts in per_module:
        for name, (callee, keywords) in facts.instances.items():
            if derives(callee, module.path, FSA_CLASSES):
                sqlalchemy.add((module.path, name))
                if name in facts.given_app:
                    given_app.add((module.path, name))
                if name in facts.init_app_at_import:
                    init_at_import.add((module.path, name))
            elif derives(callee, module.path, CELERY_CLASSES):
                celery.add((module.path, name))
                if callee in CELERY_CLASSES:
                    stock_celery.add((module.path, name))
                if (
                    callee in CELERY_CLASSES
                    and not {"task_cls", "**"} & set(keywords)
                    and not overridden
                    and not pushed
                ):
                    plain_celery.add((module.path, name))

    candidates = [(key, cls) for key, cls in linker.classes.items() if "." not in key[1]]

    def models_of(databases: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """The classes deriving (at any depth) from one of `databases`' `Model`."""
        models: set[tuple[str, str]] = set()
        changed = True
        while changed:
            changed = False
            for key, cls in candidates:
                if key in models:
                    continue
                for base in cls.bases:
                    base_key = linker.resolve(base, key[0]) if base is not None else None
                    if base_key is None:
                        continue
                    path, name = base_key
                    if base_key in models or (
                        name.endswith(".Model") and (path, name[: -len(".Model")]) in databases
                    ):
                        models.add(key)
                        changed = True
                        break
        return models

    models = models_of(sqlalchemy)

    def class_derives(targets: frozenset[str]) -> set[tuple[str, str]]:
        return {
            key
            for key, cls in candidates
            if any(b is not None and derives(b, key[0], targets) for b in cls.bases)
        }

    context_tests = class_derives(CONTEXT_TEST_CASES)
    tests = class_derives(UNITTEST_CASES) | context_tests
    models_given_app = models_of(given_app) if given_app else set()

    tasks, plain_tasks, stock_tasks = set(), set(), set()
    for module, facts in per_module:
        for name, (app, has_base) in facts.task_defs.items():
            app_key = linker.resolve(app, module.path) if app is not None else None
            if app is None or app_key in celery:
                tasks.add((module.path, name))
            if app is None or app_key in stock_celery:
                stock_tasks.add((module.path, name))
            if app_key in plain_celery and not has_base:
                plain_tasks.add((module.path, name))

    def names_of(keys: set[tuple[str, str]]) -> frozenset[str]:
        found = {f"{modules[path]}.{name}" for path, name in keys}
        if keys:
            for module in linker.facts:
                for local, target in linker.exports_of(module).items():
                    if linker.resolve(target, module.path) in keys:
                        found.add(f"{module.module}.{local}")
        return frozenset(found)

    factories: dict[tuple[str, str], tuple[str, int] | None] = {}
    for module, facts in per_module:
        for name, (receivers, applied) in facts.init_app_factories.items():
            if any(linker.resolve(r, module.path) in sqlalchemy for r in receivers):
                factories[(module.path, name)] = applied
    sqlalchemy_factories = {f"{modules[path]}.{name}": p for (path, name), p in factories.items()}
    if factories:
        for module in linker.facts:
            for local, target in linker.exports_of(module).items():
                key = linker.resolve(target, module.path)
                if key in factories:
                    sqlalchemy_factories[f"{module.module}.{local}"] = factories[key]

    login_user_model = any(
        linker.resolve(name, module.path) in models
        for module, facts in per_module
        for name in facts.user_loader_names
    )

    return ContextIndex(
        login_user_model=login_user_model,
        stock_celery_tasks=names_of(stock_tasks),
        import_context=_import_contexts(linker, per_module),
        sqlalchemy_factories=sqlalchemy_factories,
        sqlalchemy=names_of(sqlalchemy),
        models=names_of(models),
        sqlalchemy_given_app=names_of(given_app),
        sqlalchemy_init_at_import=names_of(init_at_import),
        models_given_app=names_of(models_given_app),
        tasks=names_of(tasks),
        plain_tasks=names_of(plain_tasks),
        import_time_app=frozenset(m.path for m, f in per_module if f.import_time_app),
        import_time_request=frozenset(m.path for m, f in per_module if f.import_time_request),
        background=frozenset(
            {m.path for m, f in per_module if f.threads} | {path for path, _ in plain_tasks}
        ),
        test_classes=names_of(tests),
        context_test_classes=names_of(context_tests),
    )


def database_reads_by_path(linker: ProjectLink) -> dict[str, DatabaseReads]:
    """Every module's `DatabaseReads`, for `ProjectIndex.database_reads`: kept out of
    `ContextIndex`, which the rules read in the fix phase (the cache keys their results
    by it), as these change with every line moved in a module holding one."""
    found = {}
    for module in linker.facts:
        facts = module.raw.get("context")
        if facts is not None and facts.database is not None:
            found[module.path] = facts.database
    return found


def _import_contexts(linker: ProjectLink, per_module) -> dict[str, int]:
    """The context each module's import-time code runs in: the lowest over the ways the
    project imports it. A module nobody imports is an entry point (NONE) when it is a
    top-level module (a script, or the package `flask --app` loads) or has a `__main__`
    block or is a test module; inside a package it is loaded dynamically (plugins) or
    not at all (UNKNOWN, no finding). An import at import time passes on the importer's
    context (raised by an enclosing `with app.app_context():`); an import inside a
    function gives the context around it there when that is a context block or the
    function is an app factory (creating a Flask app); in any other function it runs we
    do not know when (no finding). An Alembic environment script runs inside
    Flask-Migrate's application context."""
    factories = {(a.path, a.function) for m in linker.facts for a in m.factory_apps}
    incoming: dict[str, list[tuple[str, str | None, int]]] = {}
    for module, facts in per_module:
        for module_name, names, function, level in facts.import_sites:
            for name in site_modules(module_name, names):
                target = linker.module_file(name, module.path)
                if target is not None and target.path != module.path:
                    incoming.setdefault(target.path, []).append((module.path, function, level))
    levels = {module.path: UNKNOWN for module, _ in per_module}
    for module, facts in per_module:
        if facts.alembic_env:
            levels[module.path] = APP
        elif module.path not in incoming and (
            "." not in module.module or facts.main_guard or _is_test_module(module.path)
        ):
            levels[module.path] = NONE
    fixed = {module.path for module, facts in per_module if facts.alembic_env}
    changed = True
    while changed:
        changed = False
        for target, sites in incoming.items():
            if target in fixed:
                continue
            best = levels.get(target, UNKNOWN)
            for source, function, level in sites:
                if function is None:
                    best = min(best, max(levels.get(source, UNKNOWN), level))
                elif (source, function) in factories or level > NONE:
                    best = min(best, level)
            if best < levels.get(target, UNKNOWN):
                levels[target] = best
                changed = True
    return {path: level for path, level in levels.items() if level > NONE}


def _is_test_module(path: str) -> bool:
    """pytest imports these itself, with no context pushed."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")
