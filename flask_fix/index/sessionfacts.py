"""Project facts for FLK505 (changes never committed), gathered with `ast`.

Per module, during the index scanner's walk (`record_function`, `record_call`): which
functions call a `.commit()` (or a session's `.begin()`, whose `with` block commits),
which functions each function calls (the qualified names the scanner resolves, and the
bare method names of calls on objects it cannot resolve: `user.save()`), the methods
defined in classes, the functions registered as `after_request` / `teardown_request` /
`teardown_appcontext` handlers, and where `SQLALCHEMY_COMMIT_ON_TEARDOWN` is set to
something other than `False` (`scan_module`).

`link` then follows the calls across modules (through imports and re-exports, with the
index linker) and gives the set of functions that commit, directly or through a function
they call, nested functions counting for the function holding them (a decorator's
wrapper). A method call that cannot be resolved counts as a call of every project method
of that name: the rule reports only where no commit can be reached, so a guess that may
commit is taken as one.

Nothing here imports `flask_fix.index.project`: the scanner and the linker are seen
through `facts.ModuleScan` and `facts.ProjectLink`.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .facts import Key, ModuleScan, ProjectLink

#: the request's end: handlers registered with these run after every request
TEARDOWN_HOOKS = frozenset(
    {"after_request", "after_app_request", "teardown_request", "teardown_app_request",
     "teardown_appcontext"}
)  # fmt: skip
COMMIT_ON_TEARDOWN = "SQLALCHEMY_COMMIT_ON_TEARDOWN"


@dataclass(slots=True)
class ModuleSessionFacts:
    """What one module contributes; stored in `ModuleFacts.raw["sessions"]`."""

    # every function defined in the module (qualified in it)
    functions: set[str] = field(default_factory=set)
    # functions (qualified in the module) calling `.commit()` or a session's `.begin()`
    commits: set[str] = field(default_factory=set)
    # function -> qualified names of what it calls (`pkg.services.create`, `mod.helper`,
    # `flask_login.current_user.follow`); one that names no project function or class is
    # taken as a method call by its last name
    calls: dict[str, set[str]] = field(default_factory=dict)
    # function -> names of the methods it calls on what the scanner cannot resolve
    method_calls: dict[str, set[str]] = field(default_factory=dict)
    # functions defined in a class body: method name -> qualified names in the module
    methods: dict[str, set[str]] = field(default_factory=dict)
    # request-end handlers: (qualified name in the project, line)
    teardown_handlers: list[tuple[str, int]] = field(default_factory=list)
    # lines setting SQLALCHEMY_COMMIT_ON_TEARDOWN to anything but False
    commit_on_teardown: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SessionIndex:
    """The linked facts, held by `ProjectIndex.sessions`."""

    # functions that commit, themselves or through a function they call: (path, qualname)
    committing: frozenset[tuple[str, str]] = frozenset()
    # a request-end handler that commits: (path, line), or None
    teardown_commit: tuple[str, int] | None = None
    # SQLALCHEMY_COMMIT_ON_TEARDOWN set to something other than False: (path, line), or None
    commit_on_teardown: tuple[str, int] | None = None

    def commits(self, path: str, qualname: str) -> bool:
        return (path, qualname) in self.committing


# --- one module ---------------------------------------------------------------------------


def _facts(scanner: ModuleScan) -> ModuleSessionFacts:
    facts = scanner.facts.raw.get("sessions")
    if facts is None:
        facts = scanner.facts.raw["sessions"] = ModuleSessionFacts()
    return facts


def _function(scanner: ModuleScan) -> str | None:
    """The qualified name, in the module, of the function being walked; None outside one."""
    prefix = scanner.scope.prefix
    return prefix.removesuffix(".<locals>.") if prefix.endswith(".<locals>.") else None


def _is_session(node: ast.expr) -> bool:
    """`session`, `x.session`, `x.session()`: spelled as a session."""
    if isinstance(node, ast.Call):
        node = node.func
    return (isinstance(node, ast.Name) and node.id == "session") or (
        isinstance(node, ast.Attribute) and node.attr == "session"
    )


def record_function(
    scanner: ModuleScan, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str
) -> None:
    """A `def` about to be walked (the scanner is still in the enclosing scope)."""
    _facts(scanner).functions.add(qualname)
    if scanner.scope.is_class:  # type: ignore[attr-defined]
        _facts(scanner).methods.setdefault(node.name, set()).add(qualname)
    for decorator in node.decorator_list:
        hook = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(hook, ast.Attribute) and hook.attr in TEARDOWN_HOOKS:
            _facts(scanner).teardown_handlers.append(
                (f"{scanner.facts.module}.{qualname}", node.lineno)
            )
        # a decorator's wrapper runs around the function: what it calls counts as called
        # by the function (`@transactional` committing after the view returns)
        qualified = scanner.qualify(hook) if isinstance(hook, (ast.Name, ast.Attribute)) else None
        if qualified is not None:
            _facts(scanner).calls.setdefault(qualname, set()).add(qualified)


def record_call(scanner: ModuleScan, node: ast.Call) -> None:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in TEARDOWN_HOOKS and node.args:
        handler = scanner.qualify(node.args[0])  # app.teardown_appcontext(close_session)
        if handler is not None:
            _facts(scanner).teardown_handlers.append((handler, node.lineno))
    function = _function(scanner)
    if function is None:
        return
    if isinstance(func, ast.Attribute) and (
        func.attr == "commit" or (func.attr == "begin" and _is_session(func.value))
    ):
        _facts(scanner).commits.add(function)
        return
    if not isinstance(func, (ast.Name, ast.Attribute)) or (
        isinstance(func, ast.Attribute) and _is_session(func.value)
    ):  # `db.session.add(...)`: the session's own methods are not the project's
        return
    qualified = scanner.qualify(func)
    if qualified is not None:
        _facts(scanner).calls.setdefault(function, set()).add(qualified)
    elif isinstance(func, ast.Attribute):
        _facts(scanner).method_calls.setdefault(function, set()).add(func.attr)


def scan_module(tree: ast.Module, scanner: ModuleScan) -> None:
    """Complete the module's facts once the scanner has walked it: the settings of
    SQLALCHEMY_COMMIT_ON_TEARDOWN (a name or class attribute, `config[...] = `, a keyword
    of `config.update(...)`, a key of a dict literal)."""
    nodes = scanner.nodes
    lines = []
    for assign in nodes.get(ast.Assign, ()):
        assert isinstance(assign, ast.Assign)
        if any(_names_setting(target) for target in assign.targets) and not _false(assign.value):
            lines.append(assign.lineno)
    for keyword in nodes.get(ast.keyword, ()):
        assert isinstance(keyword, ast.keyword)
        if keyword.arg == COMMIT_ON_TEARDOWN and not _false(keyword.value):
            lines.append(keyword.value.lineno)
    for literal in nodes.get(ast.Dict, ()):
        assert isinstance(literal, ast.Dict)
        for key, value in zip(literal.keys, literal.values):
            if _is_setting(key) and not _false(value):
                lines.append(value.lineno)
    if lines:
        _facts(scanner).commit_on_teardown = sorted(lines)


def _is_setting(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value == COMMIT_ON_TEARDOWN


def _names_setting(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return target.id == COMMIT_ON_TEARDOWN
    if isinstance(target, ast.Attribute):
        return target.attr == COMMIT_ON_TEARDOWN
    if isinstance(target, ast.Subscript):
        return _is_setting(target.slice)
    return False


def _false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in (False, None, 0, "")


# --- the project --------------------------------------------------------------------------


def link(linker: ProjectLink) -> SessionIndex:
    per_module = [
        (m, facts) for m in linker.facts if (facts := m.raw.get("sessions")) is not None
    ]
    if not per_module:
        return SessionIndex()
    committing: set[Key] = set()
    todo: list[Key] = []

    def commit(key: Key) -> None:
        path, name = key
        while (path, name) not in committing:
            committing.add((path, name))
            todo.append((path, name))
            # the function holding a nested one (a decorator and its wrapper) commits too
            outer, found, _ = name.rpartition(".<locals>.")
            if not found:
                break
            name = outer

    callers: dict[Key, set[Key]] = defaultdict(set)  # callee -> callers
    method_callers: dict[str, set[Key]] = defaultdict(set)  # method name -> callers
    method_names: dict[Key, str] = {}  # a method -> its name
    functions: set[Key] = set()
    for module, facts in per_module:
        path = module.path
        functions.update((path, function) for function in facts.functions)
        for name, qualnames in facts.methods.items():
            for qualname in qualnames:
                method_names[path, qualname] = name
    for module, facts in per_module:
        path = module.path
        for function, called in facts.calls.items():
            caller = (path, function)
            for qualified in called:
                key = linker.resolve(qualified, path)
                init = (key[0], f"{key[1]}.__init__") if key is not None else None
                if key in functions:
                    callers[key].add(caller)
                elif init in functions:  # a class called: its __init__ runs (`Order(...)`)
                    callers[init].add(caller)
                elif "." in qualified and key not in linker.classes:
                    # an object's method (`current_user.follow(...)`, `api.commit_or_abort`)
                    method_callers[qualified.rpartition(".")[2]].add(caller)
        for function, names in facts.method_calls.items():
            for name in names:
                method_callers[name].add((path, function))
    for module, facts in per_module:
        for function in facts.commits:
            commit((module.path, function))
    while todo:
        key = todo.pop()
        for caller in callers.get(key, ()):
            commit(caller)
        name = method_names.get(key)
        if name is not None:
            for caller in method_callers.get(name, ()):
                commit(caller)

    teardown_commit = None
    commit_on_teardown = None
    for module, facts in per_module:
        for handler, line in facts.teardown_handlers:
            if teardown_commit is None and linker.resolve(handler, module.path) in committing:
                teardown_commit = (module.path, line)
        if commit_on_teardown is None and facts.commit_on_teardown:
            commit_on_teardown = (module.path, facts.commit_on_teardown[0])
    return SessionIndex(frozenset(committing), teardown_commit, commit_on_teardown)
