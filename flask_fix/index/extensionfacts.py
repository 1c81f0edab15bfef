"""Project facts for the extension rules (FLK202, FLK204), gathered with `ast`.

Per module (in the scan phase, from the tree the index scanner just walked): the
module-level classes that follow the Flask extension protocol (an `init_app` method, and
whether `__init__` does nothing with the app but hand it to `init_app`), and what the
triage needs: the calls constructing something from a `flask_*` package or a project
extension class with a name as argument, and the import-time `x.register_blueprint(...)`
and `x.init_app(app)` calls, each with how the scan saw the name that must be an app
bound. `link` resolves the classes across modules (re-exports included) and keeps the
modules where such a name may be an app of the project: the rules report only names
bound to one (`ExtensionTracking.app_ref`), never a blueprint (`Api(bp)`,
`bp.register_blueprint(child)`) or anything else the scan knows is not an app.

Nothing here imports `flask_fix.index.project` (which imports this module): the scanner
and the linker are seen through `facts.ModuleScan` and `facts.ProjectLink`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .contextfacts import is_main_guard

if TYPE_CHECKING:
    from .facts import ModuleScan, NodesByType, ProjectLink

# modules whose classes may be Flask extensions (the `flask_foo` naming convention, and the
# `flask.ext.foo` form removed in Flask 1.0)
EXTENSION_PREFIXES = ("flask_", "flask.ext.")
# import-time calls FLK204 is about
REGISTRATIONS = frozenset({"register_blueprint", "init_app"})

# How the scan saw a name bound where FLK202/FLK204 need an app, in the scope of the call
# (the binding the name had there, one of those the rules look at): (NAMED, the qualified
# name an import or alias binds it to) or (MADE, the qualified callee whose result it is,
# `x = Blueprint(...)`); None: unknown (a parameter, a name bound in an enclosing scope or
# not at all, another kind of binding), which may be an app.
NAMED = "named"
MADE = "made"
Binding = tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class InitAppClass:
    """A module-level project class with an `init_app` method."""

    path: str
    qualname: str
    line: int
    # `__init__(self, <parameter>=None)` whose only use of the parameter is a last statement
    # `if <parameter> is not None: self.init_app(<parameter>)` (or `if <parameter>:`):
    # `Ext(app)` is then exactly `Ext()` followed by `.init_app(app)`
    delegates: bool
    parameter: str | None = None


@dataclass(slots=True)
class ModuleExtensionFacts:
    """What one module contributes; stored in `ModuleFacts.raw["extensions"]`."""

    init_app_classes: list[InitAppClass] = field(default_factory=list)
    # the calls FLK202 could split: given plain names where the app may go (the first
    # positional argument, keywords: `SQLAlchemy(app)`) and making a module-global object
    # (see `_global_objects`); qualified callee (resolved in the scope of the call,
    # function-level imports included) -> the bindings of those names, one tuple a call
    constructed: dict[str, set[tuple[Binding, ...]]] = field(default_factory=dict)
    # the same for calls run at import time (outside functions): callee -> (line, bindings)
    import_time_constructed: dict[str, list[tuple[int, tuple[Binding, ...]]]] = field(
        default_factory=dict
    )
    # during the walk only: (call, callee, runs at import time, bindings) of every call
    # given a name as the app; `scan_module` keeps those making a module-global object,
    # then empties it
    named_app_calls: list[tuple[ast.Call, str, bool, tuple[Binding, ...]]] = field(
        default_factory=list
    )
    # `x.register_blueprint(...)` / `y.init_app(x)` calls run at import time whose `x`,
    # the app they need, is a plain name: (line, its binding)
    registrations: list[tuple[int, Binding]] = field(default_factory=list)


@dataclass(frozen=True)
class ExtensionIndex:
    """The linked facts, held by `ProjectIndex.extensions`."""

    # qualified name of a project class with `init_app` (every re-export included)
    init_app_classes: dict[str, InitAppClass] = field(default_factory=dict)
    # paths of modules that construct a `flask_*` class or a project extension class with a
    # name as argument that may be an app (FLK202 could fire there)
    constructing: frozenset[str] = frozenset()
    # paths of modules that do so, or call register_blueprint/init_app on what may be an
    # app, at import time (FLK204 could fire there)
    registering: frozenset[str] = frozenset()


# --- one module ---------------------------------------------------------------------------


def record_call(scanner: ModuleScan, call: ast.Call) -> None:
    """Called by the index scanner for every call, in the call's own scope (so `qualify`
    sees function-level imports too): no walk of its own."""
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in REGISTRATIONS and "<locals>" not in scanner.scope.prefix:
            app = _registered_app(call, func)
            if app is not None:
                _facts(scanner).registrations.append((call.lineno, _binding(scanner, app)))
    elif not isinstance(func, ast.Name):
        return
    # where FLK202 looks for the app: the first argument when positional (`*args` is an
    # ast.Starred), else a keyword argument (`app=`, or a project class's own parameter)
    names = [call.args[0]] if call.args and call.args[0].__class__ is ast.Name else []
    names += [
        keyword.value
        for keyword in call.keywords
        if keyword.arg is not None and keyword.value.__class__ is ast.Name
    ]
    if not names:
        return
    callee = scanner.qualify(func)
    if callee is None:
        return
    # module level or a class body
    import_time = "<locals>" not in scanner.scope.prefix
    bindings = tuple(_binding(scanner, name) for name in names)  # type: ignore[arg-type]
    _facts(scanner).named_app_calls.append((call, callee, import_time, bindings))


def _registered_app(call: ast.Call, func: ast.Attribute) -> ast.Name | None:
    """The name FLK204 needs to be an app: the receiver of `x.register_blueprint(...)`,
    the app given to `ext.init_app(x)` (first positional, or `app=`); None when that is
    not a plain name (the rule then reports nothing)."""
    if func.attr == "register_blueprint":
        app: ast.expr | None = func.value
    else:
        positional = [a for a in call.args if a.__class__ is not ast.Starred]
        keyword = next((k.value for k in call.keywords if k.arg == "app"), None)
        app = positional[0] if positional else keyword
    return app if app.__class__ is ast.Name else None  # type: ignore[return-value]


def _binding(scanner: ModuleScan, name: ast.Name) -> Binding:
    """How `name` is bound in the scope of the call being scanned (see `Binding`)."""
    scope = scanner.scope_of(name.id)
    if scope is not scanner.scope:
        return None  # bound in an enclosing scope (or later in this one): not known here
    target = scope.names[name.id]
    if target is None:
        return None
    own = scanner.own(name.id)
    if target != own:
        return NAMED, target
    made = scanner.created.get(own)
    return (MADE, made) if made is not None else None


def _facts(scanner: ModuleScan) -> ModuleExtensionFacts:
    facts = scanner.facts.raw.get("extensions")
    if facts is None:
        facts = scanner.facts.raw["extensions"] = ModuleExtensionFacts()
    return facts


def scan_module(
    path: str,
    tree: ast.Module,
    facts: ModuleExtensionFacts | None,
    nodes: NodesByType | None = None,
) -> ModuleExtensionFacts:
    """Complete the module's facts once the index scanner has walked it (`nodes`: every
    node of `tree` by class, as it collected them; else found here): the constructions
    that make a module-global object, the project extension classes, and no import-time
    line inside a `__main__` block (a script's main code never runs on import)."""
    facts = facts if facts is not None else ModuleExtensionFacts()
    if facts.named_app_calls:
        global_objects = _global_objects(tree, nodes)
        for call, callee, import_time, bindings in facts.named_app_calls:
            if id(call) in global_objects:
                facts.constructed.setdefault(callee, set()).add(bindings)
                if import_time:
                    uses = facts.import_time_constructed.setdefault(callee, [])
                    uses.append((call.lineno, bindings))
        facts.named_app_calls = []
    main_blocks = []
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            found = _init_app_class(path, statement)
            if found is not None:
                facts.init_app_classes.append(found)
        elif isinstance(statement, ast.If) and is_main_guard(statement.test) and statement.body:
            main_blocks.append((statement.body[0].lineno, statement.body[-1].end_lineno or 0))
    if main_blocks:

        def outside(line: int) -> bool:
            return not any(first <= line <= last for first, last in main_blocks)

        facts.registrations = [r for r in facts.registrations if outside(r[0])]
        facts.import_time_constructed = {
            callee: kept
            for callee, uses in facts.import_time_constructed.items()
            if (kept := [use for use in uses if outside(use[0])])
        }
    return facts


def _global_objects(tree: ast.Module, nodes: NodesByType | None) -> set[int]:
    """The ids of the calls whose result FLK202 sees outlive the setup: the whole value of
    a statement binding one name in the module's scope (`ext = Ext(app)`, `ext: T =
    Ext(app)` outside functions and classes, or in a function under `global ext`), or a
    bare expression statement outside functions and classes (`CSRFProtect(app)`). An
    extension made for a local app (a test building its own app) has nothing to split."""
    found: set[int] = set()
    statements = list(tree.body)
    while statements:
        statement = statements.pop()
        kind = statement.__class__
        if kind is ast.Expr:
            found.add(id(statement.value))  # type: ignore[attr-defined]
        elif kind is ast.Assign or kind is ast.AnnAssign:
            value = _bound_value(statement)
            if value is not None:
                found.add(id(value))
        elif kind not in _NEW_SCOPES:  # compound statements: if, with, try, for, match...
            for name in ("body", "orelse", "finalbody"):
                statements.extend(getattr(statement, name, ()))
            for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
                statements.extend(part.body)
    if nodes is None:
        nodes = {}
        for node in ast.walk(tree):
            nodes.setdefault(node.__class__, []).append(node)
    declared = {
        name
        for node in nodes.get(ast.Global, ())
        for name in node.names  # type: ignore[attr-defined]
    }
    if declared:
        for statement in (*nodes.get(ast.Assign, ()), *nodes.get(ast.AnnAssign, ())):
            value = _bound_value(statement)  # type: ignore[arg-type]
            if value is not None and _bound_name(statement) in declared:  # type: ignore[arg-type]
                found.add(id(value))
    return found


_NEW_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _bound_name(statement: ast.Assign | ast.AnnAssign) -> str | None:
    """The one name a statement binds (`x = ...`, `x: T = ...`); None for any other shape."""
    if statement.__class__ is ast.Assign:
        targets = statement.targets  # type: ignore[union-attr]
        target = targets[0] if len(targets) == 1 else None
    else:
        target = statement.target  # type: ignore[union-attr]
    return target.id if target.__class__ is ast.Name else None  # type: ignore[union-attr]


def _bound_value(statement: ast.Assign | ast.AnnAssign) -> ast.expr | None:
    return statement.value if _bound_name(statement) is not None else None


def _is_extension_module(module: str) -> bool:
    return module.startswith(EXTENSION_PREFIXES)


def may_be_extension_class(qualified: str) -> bool:
    """A class (CapWords, by PEP 8) of a `flask_*` package: `flask_humanize.Humanize`, not a
    function such as `flask_profiler.init_app`."""
    return _is_extension_module(qualified) and qualified.rpartition(".")[2][:1].isupper()


def _init_app_class(path: str, node: ast.ClassDef) -> InitAppClass | None:
    functions = {
        s.name: s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if "init_app" not in functions:
        return None
    parameter = _delegating_parameter(node, functions.get("__init__"))
    return InitAppClass(path, node.name, node.lineno, parameter is not None, parameter)


def _delegating_parameter(
    cls: ast.ClassDef, init: ast.FunctionDef | ast.AsyncFunctionDef | None
) -> str | None:
    """The app parameter of an `__init__` that only hands the app on to `init_app`."""
    if init is None or isinstance(init, ast.AsyncFunctionDef) or cls.decorator_list:
        return None
    if cls.keywords or init.decorator_list:  # a metaclass or a wrapped __init__
        return None
    if sum(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__init__"
           for s in cls.body) != 1:  # fmt: skip
        return None
    arguments = init.args
    if (
        arguments.posonlyargs
        or arguments.vararg
        or arguments.kwarg
        or arguments.kwonlyargs
        or len(arguments.args) != 2
        or len(arguments.defaults) != 1
    ):
        return None
    default = arguments.defaults[0]
    if not (isinstance(default, ast.Constant) and default.value is None):
        return None
    self_name, parameter = arguments.args[0].arg, arguments.args[1].arg
    body = init.body
    if not body:
        return None
    last = body[-1]
    if not (isinstance(last, ast.If) and not last.orelse and len(last.body) == 1):
        return None
    if not (_is_name(last.test, parameter) or _is_not_none(last.test, parameter)):
        return None
    statement = last.body[0]
    if not (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "init_app"
        and _is_name(statement.value.func.value, self_name)
        and len(statement.value.args) == 1
        and not statement.value.keywords
        and _is_name(statement.value.args[0], parameter)
    ):
        return None
    # the parameter is used nowhere else (and never rebound)
    for earlier in body[:-1]:
        for sub in ast.walk(earlier):
            if isinstance(sub, ast.Name) and sub.id == parameter:
                return None
    return parameter


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_not_none(test: ast.expr, name: str) -> bool:
    return (
        isinstance(test, ast.Compare)
        and _is_name(test.left, name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


# --- the whole project ----------------------------------------------------------------------


def link(linker: ProjectLink, app_names: frozenset[str], makes_app: frozenset[str]) -> ExtensionIndex:
    """Resolve every module's facts across the project. `app_names`: the qualified names
    of its app objects (re-exports included); `makes_app`: of what returns a new app
    (`flask.Flask`, the project's subclasses and factories)."""
    per_module = [(m, m.raw.get("extensions")) for m in linker.facts]
    per_module = [(m, f) for m, f in per_module if f is not None]
    classes = {
        (module.path, cls.qualname): (module.module, cls)
        for module, facts in per_module
        for cls in facts.init_app_classes
    }
    names = {f"{module}.{cls.qualname}": cls for module, cls in classes.values()}
    if classes:
        for module in linker.facts:  # re-exports: `from .tracking import Tracker`
            for local, target in linker.exports_of(module).items():
                found = classes.get(linker.resolve(target, module.path))  # type: ignore[arg-type]
                if found is not None:
                    names[f"{module.module}.{local}"] = found[1]

    def candidate(callee: str, path: str) -> bool:
        if may_be_extension_class(callee) or callee in names:
            return True
        return bool(classes) and linker.resolve(callee, path) in classes

    def may_be_app(binding: Binding) -> bool:
        """What `ExtensionTracking.app_ref` may take for an app: a name imported as one
        of the project's apps, or bound to what a Flask class or a factory returns."""
        if binding is None:
            return True
        kind, name = binding
        return name in (app_names if kind == NAMED else makes_app)

    def with_an_app(bindings: tuple[Binding, ...]) -> bool:
        return any(may_be_app(binding) for binding in bindings)

    constructing, registering = set(), set()
    for module, facts in per_module:
        if any(
            candidate(callee, module.path) and any(with_an_app(b) for b in calls)
            for callee, calls in facts.constructed.items()
        ):
            constructing.add(module.path)
        if any(may_be_app(binding) for _, binding in facts.registrations) or any(
            candidate(callee, module.path) and any(with_an_app(b) for _, b in uses)
            for callee, uses in facts.import_time_constructed.items()
        ):
            registering.add(module.path)
    return ExtensionIndex(
        init_app_classes=names,
        constructing=frozenset(constructing),
        registering=frozenset(registering),
    )
