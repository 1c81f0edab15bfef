"""Resolving names through imports and scopes, never by spelling alone.

Rules that use these helpers must list `ScopeProvider` in their METADATA_DEPENDENCIES.

A module-level name bound more than once is read through the binding that reaches the
use in Python's execution order (`reaching_assignments`): in `app = Flask(__name__)`,
`app.run(debug=True)`, `app = 1`, `app.run(debug=True)`, the first call is on the app
and the second is not. Only straight-line module code is followed: a binding inside an
`if`, `try`, `for`, `while`, `with` or `match` at module level, a rebinding in a function
through `global`, or a use inside a function (run when called, after any of the
bindings) leave every such binding possible, and a rule that is then not sure reports
without rewriting.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import libcst as cst
from libcst.metadata import (
    BaseAssignment,
    ClassScope,
    ComprehensionScope,
    FunctionScope,
    GlobalScope,
    QualifiedNameSource,
    ScopeProvider,
)

from .base import ImportSpec, Rule


def qualified_name(rule: Rule, node: cst.CSTNode) -> str | None:
    """The one qualified name `node` (a Name or dotted Attribute) refers to, or None.

    None unless every binding the name could have at that point comes from an import (or
    is a builtin) and all agree: `import json` followed anywhere in the scope chain by
    `json = something` makes `json.dumps` ambiguous, and a parameter named `request` is
    a local, not Flask's.
    """
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None:
        return None
    names = scope.get_qualified_names_for(node)
    if not names:
        return None
    if any(n.source is QualifiedNameSource.LOCAL for n in names):
        return None
    distinct = {n.name for n in names}
    if len(distinct) != 1:
        return None
    return distinct.pop()


def refers_to(rule: Rule, node: cst.CSTNode, *qualified: str) -> bool:
    name = qualified_name(rule, node)
    return name is not None and name in qualified


def reference(
    rule: Rule, at: cst.CSTNode, module: str, name: str
) -> tuple[cst.BaseExpression, tuple[ImportSpec, ...]] | None:
    """An expression for `module.name` usable at `at`, and the import it needs.

    Prefers a name already bound to it, then `alias.name` through an `import module as
    alias`, then a new `from module import name`. None if `name` is bound to something
    else where it would be used (the caller reports instead of rewriting).
    """
    scope = rule.get_metadata(ScopeProvider, at, None)
    if scope is None:
        return None
    target = f"{module}.{name}"
    bindings = scope[name]
    if bindings:
        qnames = scope.get_qualified_names_for(name)
        if {q.name for q in qnames} == {target} and all(
            q.source is QualifiedNameSource.IMPORT for q in qnames
        ):
            return cst.Name(name), ()
    else:
        # `import flask as f` already in reach: use f.name rather than add an import.
        for assignment in scope.globals.assignments:
            node = getattr(assignment, "node", None)
            if isinstance(node, cst.Import) and _imports_module_as(node, module, assignment.name):
                alias = assignment.name
                if all(
                    q.name == module for q in scope.get_qualified_names_for(alias)
                ) and "." not in alias:
                    return cst.Attribute(cst.Name(alias), cst.Name(name)), ()
        return cst.Name(name), ((module, name, None),)
    return None


def _imports_module_as(node: cst.Import, module: str, bound: str) -> bool:
    for alias in node.names:
        dotted = cst.helpers.get_full_name_for_node(alias.name)
        local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else dotted
        if dotted == module and local == bound:
            return True
    return False


def import_binding(rule: Rule, node: cst.CSTNode) -> ImportSpec | None:
    """The import statement that binds the first name of `node` (`json` in
    `json.loads`, `loads` in `loads(...)`) as an ImportSpec, to remove it once unused."""
    base = node
    while isinstance(base, cst.Attribute):
        base = base.value
    if not isinstance(base, cst.Name):
        return None
    scope = rule.get_metadata(ScopeProvider, base, None)
    if scope is None:
        return None
    for assignment in scope[base.value]:
        statement = getattr(assignment, "node", None)
        if not isinstance(statement, (cst.Import, cst.ImportFrom)) or isinstance(
            statement.names, cst.ImportStar
        ):
            continue
        for alias in statement.names:
            bound = alias.evaluated_alias or alias.evaluated_name.split(".")[0]
            if bound != base.value:
                continue
            if isinstance(statement, cst.Import):
                return (alias.evaluated_name, None, alias.evaluated_alias)
            if statement.relative or statement.module is None:
                return None
            module = cst.helpers.get_full_name_for_node(statement.module)
            return (module, alias.evaluated_name, alias.evaluated_alias)
    return None


def enclosing_function(rule: Rule, node: cst.CSTNode) -> str | None:
    """Python's `__qualname__` of the innermost function whose body evaluates `node`
    (`view`, `UserAPI.get`, `outer.<locals>.inner`, `view.<locals>.<lambda>`); None when
    `node` is evaluated at import time: at module level, in a class body outside any
    function, in the decorators or default values of a module-level function."""
    scope = rule.get_metadata(ScopeProvider, node, None)
    chain = []
    while isinstance(scope, (FunctionScope, ClassScope, ComprehensionScope)):
        chain.append(scope)
        scope = scope.parent
    functions = [i for i, s in enumerate(chain) if isinstance(s, FunctionScope)]
    if not functions:
        return None
    parts: list[str] = []
    for s in reversed(chain[functions[0] :]):
        if isinstance(s, FunctionScope):
            parts += [s.name or "<lambda>", "<locals>"]
        elif isinstance(s, ClassScope):
            parts.append(s.name or "")
    return ".".join(parts[:-1])


def module_level_name(rule: Rule, node: cst.CSTNode, module: str | None) -> str | None:
    """`module.name` when `node` is a Name whose one binding, where it is read, is at the
    module level of `module` (an import, an assignment or a definition); the
    ProjectIndex then says what it denotes. None for locals, parameters, builtins, and
    names bound more than once (`db = None` then `db = SQLAlchemy()`)."""
    if module is None or not isinstance(node, cst.Name):
        return None
    binding = only_binding(rule, node)
    if binding is None or not isinstance(binding.scope, GlobalScope):
        return None
    return f"{module}.{node.value}"


def only_binding(rule: Rule, name: cst.Name) -> BaseAssignment | None:
    """The one binding of `name` where it is read, or None (no scope known, not bound,
    or bound more than once)."""
    scope = rule.get_metadata(ScopeProvider, name, None)
    if scope is None:
        return None
    assignments = list(scope[name.value])
    return assignments[0] if len(assignments) == 1 else None


# --- the binding that reaches a use -------------------------------------------------------

#: where a node sits in the module's statements: one (suite, statement, small statement)
#: triple per suite from the module's body down; suites are numbered in source order, so
#: comparing two places compares their source order
Place = tuple[tuple[int, int, int], ...]


class _Outline:
    """The place of every name read or bound in the module's own code (not inside
    function, class or lambda bodies), and of every statement binding a name (`def`,
    `class`, `import`), found by walking the module's statements once."""

    def __init__(self, module: cst.Module) -> None:
        self.places: dict[int, Place] = {}
        self.loop_suites: set[int] = set()
        self._suites = itertools.count()
        self._suite(module.body, (), loop=False)

    def _suite(self, body: Sequence[cst.CSTNode], path: Place, loop: bool) -> None:
        number = next(self._suites)
        if loop:
            self.loop_suites.add(number)
        for position, statement in enumerate(body):
            if isinstance(statement, cst.SimpleStatementLine):
                for small_position, small in enumerate(statement.body):
                    self._simple(small, path, (number, position, 2 * small_position))
            elif isinstance(statement, cst.BaseSmallStatement):  # a SimpleStatementSuite's
                self._simple(statement, path, (number, position, 0))
            else:
                self._compound(statement, path + ((number, position, 1),))

    def _simple(self, node: cst.CSTNode, path: Place, first: tuple[int, int, int]) -> None:
        """A small statement: an assignment's value is read before its targets are
        bound (`app = wrap(app)` reads the earlier `app`), so it gets the place before."""
        suite, position, small = first
        here = path + ((suite, position, small + 1),)
        self.places[id(node)] = here
        for name in _names_in(node):
            self.places[id(name)] = here
        value = getattr(node, "value", None)
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and value is not None:
            before = path + ((suite, position, small),)
            for name in _names_in(value):
                self.places[id(name)] = before

    def _compound(self, statement: cst.CSTNode, here: Place) -> None:
        self.places[id(statement)] = here
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            return  # its body runs elsewhere (a call) or is a scope of its own
        loop_body = statement.body if isinstance(statement, (cst.For, cst.While)) else None
        self._clause(statement, here, loop_body)

    def _clause(self, node: cst.CSTNode, here: Place, loop_body: object) -> None:
        """A compound statement or one of its clauses (else, except, finally, case,
        elif): its header's names are at `here`, its suites are walked."""
        for child in node.children:
            if isinstance(child, cst.IndentedBlock):
                self._suite(child.body, here, loop=child is loop_body)
            elif isinstance(child, cst.SimpleStatementSuite):
                self._suite(child.body, here, loop=child is loop_body)
            elif isinstance(
                child, (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.If)
            ) or type(child).__name__ == "MatchCase":
                self._clause(child, here, loop_body)
            else:
                self.places[id(child)] = here
                for name in _names_in(child):
                    self.places[id(name)] = here


def _names_in(node: cst.CSTNode) -> Iterator[cst.Name]:
    """Every Name in `node`, except in the bodies of lambdas (run later)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
            continue
        if isinstance(current, cst.Lambda):
            continue
        stack.extend(current.children)


_outline_cache: list[tuple[cst.Module, _Outline]] = []


def _outline(module: cst.Module) -> _Outline:
    for known, outline in _outline_cache:
        if known is module:
            return outline
    outline = _Outline(module)
    _outline_cache[:] = [(module, outline)]  # a pass's rules share the module
    return outline


def _relation(binding: Place, use: Place, loops: set[int]) -> str:
    """'before' when the binding is a statement that runs before the use whenever the use
    runs (straight-line code); 'after' when it never runs before it; else 'maybe'."""
    for depth, (bound, used) in enumerate(zip(binding, use)):
        if bound == used:
            continue
        # both lie in the suites of `use[:depth]`, and in `used`'s when they share it
        same_suite = bound[0] == used[0]
        shared = [suite for suite, _, _ in use[:depth]] + ([used[0]] if same_suite else [])
        in_loop = any(suite in loops for suite in shared)
        if same_suite and bound < used:
            return "before" if depth == len(binding) - 1 else "maybe"
        if not same_suite and bound[0] < used[0]:
            return "maybe"  # an earlier clause of the same statement (try, then except)
        return "maybe" if in_loop else "after"
    return "maybe"  # one statement holds both (a header binding, the same line)


def reaching_assignments(rule: Rule, name: cst.Name) -> list[BaseAssignment] | None:
    """The bindings of `name` that may be the one it holds where it is read, in the order
    LibCST lists them; None when the scope is unknown.

    For a name read in the module's own code (not in a function body), in Python's
    execution order: the last binding before the use in straight-line code, and any
    binding that may run between it and the use (in a branch, a loop, a function through
    `global`). Elsewhere, and without the module (`RuleContext.module`), every binding:
    a function may run after any of them."""
    scope = rule.get_metadata(ScopeProvider, name, None)
    if scope is None:
        return None
    assignments = list(scope[name.value])
    module = rule.context.module
    if len(assignments) < 2 or module is None or not isinstance(scope, GlobalScope):
        return assignments
    if any(a.scope is not scope for a in assignments):
        return assignments
    outline = _outline(module)
    use = outline.places.get(id(name))
    if use is None:
        return assignments
    last: tuple[Place, BaseAssignment] | None = None
    possible: list[tuple[Place | None, BaseAssignment]] = []
    for assignment in assignments:
        place = outline.places.get(id(getattr(assignment, "node", None)))
        if place is None:  # in a function (`global`), a class body...
            possible.append((None, assignment))
            continue
        relation = _relation(place, use, outline.loop_suites)
        if relation == "before":
            if last is None or place > last[0]:
                last = (place, assignment)
        elif relation == "maybe":
            possible.append((place, assignment))
    reaching = {id(last[1])} if last is not None else set()
    for place, assignment in possible:
        if place is None or last is None or place > last[0]:
            reaching.add(id(assignment))
    return [a for a in assignments if id(a) in reaching]
