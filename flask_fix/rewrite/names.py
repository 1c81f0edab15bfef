"""Resolving names through imports and scopes, never by spelling alone.

Rules that use these helpers must list `ScopeProvider` in their METADATA_DEPENDENCIES.
The rules resolve it only when first asked (`Rule.resolve`), and `qualified_name`,
`refers_to` and `import_binding` answer without it where one walk of the module shows
the answer cannot depend on scopes (`_Bindings`): the name is bound once in the whole
module, by an import at its top level, or never (a builtin). Their answers are LibCST's
in either case (tests/rewrite/test_names_fast.py holds the two to each other).

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

import builtins
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    BaseAssignment,
    BuiltinAssignment,
    ClassScope,
    ComprehensionScope,
    FunctionScope,
    GlobalScope,
    ImportAssignment,
    QualifiedName,
    QualifiedNameSource,
    ScopeProvider,
)

from .base import ImportSpec, Rule

T = TypeVar("T")


def qualified_name(rule: Rule, node: cst.CSTNode) -> str | None:
    """The one qualified name `node` (a Name or dotted Attribute) refers to, or None.

    None unless every binding the name could have at that point comes from an import (or
    is a builtin) and all agree: `import json` followed anywhere in the scope chain by
    `json = something` makes `json.dumps` ambiguous, and a parameter named `request` is
    a local, not Flask's.
    """
    if _surely_local(rule, node):
        return None
    names = qualified_names(rule, node)
    if not names:
        return None
    if any(n.source is QualifiedNameSource.LOCAL for n in names):
        return None
    distinct = {n.name for n in names}
    if len(distinct) != 1:
        return None
    return distinct.pop()


def qualified_names(rule: Rule, node: cst.CSTNode) -> set[QualifiedName]:
    """LibCST's `scope.get_qualified_names_for(node)` in `node`'s scope (empty when the
    node has no scope), without scope analysis where `_Bindings` allows."""
    known = _known_names(rule, node)
    if known is not None:
        return known
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None:
        return set()
    return set(scope.get_qualified_names_for(node))


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
    found = _root_name(rule, base)
    only = _only_import(found[0], base.value) if found is not None else None
    if only is not None:
        assignments: Iterator[BaseAssignment] | set[BaseAssignment] = iter([only])
    else:
        scope = rule.get_metadata(ScopeProvider, base, None)
        if scope is None:
            return None
        assignments = scope[base.value]
    for assignment in assignments:
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


class AssignedValues:
    """A rule mixin remembering `name = value` statements (each Name target of an
    Assign), so that `assigned_value(binding)` gives the value a LibCST assignment (from
    `only_binding`, `reaching_assignments`) bound, when an Assign made it."""

    def __init__(self, context) -> None:
        super().__init__(context)  # type: ignore[call-arg]
        self._assigned_values: dict[cst.Name, cst.BaseExpression] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._assigned_values[target.target] = node.value

    def assigned_value(self, binding: object) -> cst.BaseExpression | None:
        return self._assigned_values.get(getattr(binding, "node", None))  # type: ignore[arg-type]


def only_binding(rule: Rule, name: cst.Name) -> BaseAssignment | None:
    """The one binding of `name` where it is read, or None (no scope known, not bound,
    or bound more than once).

    Without scope analysis where the name is bound once in the module, by an import at
    its top level, or nowhere (a builtin): the binding is then LibCST's kind
    (ImportAssignment, BuiltinAssignment) with its node, but its `scope` is a stand-in
    of the kind LibCST gives (GlobalScope, BuiltinScope), not the module's own Scope:
    compare kinds, not identities, and read no references."""
    found = _root_name(rule, name) if isinstance(name, cst.Name) else None
    if found is not None:
        facts, _ = found
        if facts.count.get(name.value, 0) == 0:
            if not hasattr(builtins, name.value):
                return None
            return BuiltinAssignment(name.value, _STAND_IN_GLOBALS.parent)
        only = _only_import(facts, name.value)
        if only is not None:
            return only
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


def _for_last_module(build: Callable[[cst.Module], T]) -> Callable[[cst.Module], T]:
    """`build(module)`, kept for the last module asked about: a pass's rules share it."""
    last: list[tuple[cst.Module, T]] = []

    def get(module: cst.Module) -> T:
        if last and last[0][0] is module:
            return last[0][1]
        built = build(module)
        last[:] = [(module, built)]
        return built

    return get


_outline = _for_last_module(_Outline)


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
    a function may run after any of them. A name bound once in the module, by an import
    at its top level, or nowhere, is answered as `only_binding` answers it."""
    found = _root_name(rule, name) if isinstance(name, cst.Name) else None
    if found is not None:
        facts, _ = found
        if facts.count.get(name.value, 0) == 0 or _only_import(facts, name.value):
            one = only_binding(rule, name)
            return [one] if one is not None else []
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


# --- names whose binding needs no scope analysis ------------------------------------------


class _Bindings:
    """What one walk of a module says about its names, enough to answer some questions
    without ScopeProvider (about a tenth of its cost: the walk skips whitespace).

    - `count`: how many times each name is bound anywhere in the module (imports, defs,
      classes, parameters, assignment, for, with, except and comprehension targets,
      walrus); a dotted `import a.b` counts twice for `a` (LibCST binds `a.b` too);
    - `imports`: for a name some import binds, that statement, and the index of the
      module's top-level statement holding it when the import runs in the module's own
      scope (also in a `try`, `if`, `with`, `for` or `while` block; None in a function
      or class);
    - `declared`, `deleted`: names in `global`/`nonlocal` and `del` statements;
    - `visited`: every Name and Attribute ScopeProvider gives a scope (not an attribute's
      `.attr`, a keyword argument's name, a part of an import or of a `global`), with
      the index of the top-level statement holding it;
    - `unscoped`: the Names and Attributes of the import statements, which it does not.

    `usable` is False for modules whose syntax the walk does not follow (`match`, type
    parameters): then every question goes to ScopeProvider."""

    def __init__(self, module: cst.Module) -> None:
        self.count: dict[str, int] = {}
        self.imports: dict[str, tuple[cst.Import | cst.ImportFrom, int | None]] = {}
        self.declared: set[str] = set()
        self.deleted: set[str] = set()
        self.visited: dict[int, int] = {}
        self.unscoped: set[int] = set()
        self.usable = True
        # id of an import run in the module's own scope -> its top-level statement
        self._module_level: dict[int, int] = {}
        for index, statement in enumerate(module.body):
            self._module_level.update((id(i), index) for i in _module_level_imports(statement))
            self._walk(statement, index)

    def _bind(self, name: str, times: int = 1) -> None:
        self.count[name] = self.count.get(name, 0) + times

    def _bind_target(self, target: cst.CSTNode) -> None:
        """The names an assignment target binds (`a`, `a, *b`, not `a.b` or `a[b]`)."""
        if isinstance(target, cst.Name):
            self._bind(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value)

    def _import(self, node: cst.Import | cst.ImportFrom) -> None:
        top = self._module_level.get(id(node))
        parts: list[cst.CSTNode] = []
        if isinstance(node, cst.ImportFrom) and node.module is not None:
            parts.append(node.module)
        if isinstance(node.names, cst.ImportStar):  # LibCST binds nothing for it
            self._unscoped(parts)
            return
        for alias in node.names:
            parts.append(alias.name)
            if alias.asname is not None:
                parts.append(alias.asname.name)
        self._unscoped(parts)
        for alias in node.names:
            if alias.asname is not None:
                bound = alias.asname.name
                if not isinstance(bound, cst.Name):
                    self.usable = False
                    return
                name, times = bound.value, 1
            elif isinstance(alias.name, cst.Name):
                name, times = alias.name.value, 1
            else:  # `import a.b`: binds `a` and `a.b`
                dotted = get_full_name_for_node(alias.name) or ""
                name, times = dotted.partition(".")[0], 2
            self._bind(name, times)
            self.imports[name] = (node, top)

    def _unscoped(self, parts: list[cst.CSTNode]) -> None:
        while parts:
            part = parts.pop()
            if isinstance(part, (cst.Name, cst.Attribute)):
                self.unscoped.add(id(part))
            if isinstance(part, cst.Attribute):
                parts.extend((part.value, part.attr))

    def _walk(self, root: cst.CSTNode, index: int) -> None:
        visited = self.visited
        stack = [root]
        while stack:
            node = stack.pop()
            kind = node.__class__
            if kind is cst.Name:
                visited[id(node)] = index
                continue
            if kind is cst.Attribute:
                visited[id(node)] = index
                stack.append(node.value)  # type: ignore[attr-defined]
                continue
            if kind is cst.Arg:
                stack.append(node.value)  # type: ignore[attr-defined]
                continue
            if kind in _STOP:
                self._special(node, kind)
                if kind in _OWN_NAME:  # what it holds but its own name
                    stack.extend(_children(node))
                continue
            targets = _TARGET_FIELDS.get(kind)
            if targets is not None:
                for field_name in targets:
                    target = getattr(node, field_name)
                    if target is not None:
                        self._bind_target(target)
            stack.extend(_children(node))

    def _special(self, node: cst.CSTNode, kind: type) -> None:
        if kind is cst.Import or kind is cst.ImportFrom:
            self._import(node)  # type: ignore[arg-type]
        elif kind is cst.Global or kind is cst.Nonlocal:
            names = node.names  # type: ignore[attr-defined]
            self.declared.update(item.name.value for item in names)
        elif kind is cst.Del:
            self.deleted.update(_target_names(node.target))  # type: ignore[attr-defined]
        elif kind is cst.FunctionDef or kind is cst.ClassDef:
            self._bind(node.name.value)  # type: ignore[attr-defined]
            if node.type_parameters is not None:  # type: ignore[attr-defined]
                self.usable = False
        elif kind is cst.Param:
            self._bind(node.name.value)  # type: ignore[attr-defined]
        else:  # match statements, type aliases: not followed
            self.usable = False


def _module_level_imports(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The import statements in `statement`, a top-level statement, that run in the
    module's own scope: in it or in its blocks, not in a function or class."""
    if isinstance(statement, cst.SimpleStatementLine):
        yield from (s for s in statement.body if isinstance(s, (cst.Import, cst.ImportFrom)))
        return
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return
    pending: list[cst.CSTNode] = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            yield node
        elif isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            pending.extend(node.body)
        elif isinstance(node, cst.IndentedBlock):
            pending.extend(node.body)
        elif isinstance(node, (cst.If, cst.Else, cst.Try, cst.TryStar, cst.ExceptHandler,
                               cst.ExceptStarHandler, cst.Finally, cst.With, cst.For,
                               cst.While)):  # fmt: skip
            for name in ("body", "orelse", "handlers", "finalbody"):
                value = getattr(node, name, None)
                if isinstance(value, cst.CSTNode):
                    pending.append(value)
                elif isinstance(value, (tuple, list)):
                    pending.extend(value)


def _target_names(target: cst.CSTNode) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)
    else:  # `del a.b`, `del a[b]`: what they read
        return


#: node classes the walk handles itself (`_Bindings._special`); it descends into those in
#: _OWN_NAME only, and there not into their own name (ScopeProvider does not visit it)
_STOP: frozenset[type] = frozenset(
    {
        cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal, cst.Del, cst.FunctionDef,
        cst.ClassDef, cst.Param, cst.Match, cst.TypeAlias, cst.TypeVar, cst.TypeVarTuple,
        cst.ParamSpec, cst.TypeParameters,
    }
)  # fmt: skip
_OWN_NAME = frozenset({cst.FunctionDef, cst.ClassDef, cst.Param})

#: node class -> its fields holding assignment targets
_TARGET_FIELDS: dict[type, tuple[str, ...]] = {
    cst.AssignTarget: ("target",),
    cst.AnnAssign: ("target",),
    cst.AugAssign: ("target",),
    cst.For: ("target",),
    cst.CompFor: ("target",),
    cst.NamedExpr: ("target",),
    cst.AsName: ("name",),  # with ... as x, except E as x (imports are handled apart)
}

#: fields that never hold a name: whitespace, brackets, punctuation, and the names a
#: scope analysis does not visit as names (a def's, a class's, a parameter's own name)
_NO_NAMES = frozenset(
    {
        "lpar", "rpar", "lbracket", "rbracket", "lbrace", "rbrace", "comma", "semicolon",
        "colon", "equal", "dot", "star", "operator", "leading_lines",
        "lines_after_decorators", "header", "footer", "newline", "trailing_whitespace",
        "asynchronous", "arrow", "walrus", "whitespace", "first_line", "indent",
        "default_indent", "default_newline", "encoding", "has_trailing_newline",
    }
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    kind = node.__class__
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(
            name
            for name in kind.__dataclass_fields__  # type: ignore[attr-defined]
            if name not in _NO_NAMES
            and not name.startswith("whitespace")
            and not (kind in _OWN_NAME and name == "name")
        )
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif value.__class__ is tuple or value.__class__ is list:
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


_bindings = _for_last_module(_Bindings)


def _facts(rule: Rule, node: cst.CSTNode) -> _Bindings | None:
    """The bindings of the rules' module when `node` is a Name or Attribute and the walk
    followed the module; else None (every question goes to ScopeProvider)."""
    module = rule.context.module
    if module is None or not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    facts = _bindings(module)
    return facts if facts.usable else None


def _root_name(rule: Rule, node: cst.CSTNode) -> tuple[_Bindings, str] | None:
    """The module's bindings and the first name LibCST looks `node` up by (the first part
    of `get_full_name_for_node`: `Node` for `Node.query.get(1).name`, `None` where the
    chain starts with anything but a name), when `node` is a Name or Attribute that
    ScopeProvider gives a scope in the rules' module and that name is in no `global`,
    `nonlocal` or `del`; else None."""
    facts = _facts(rule, node)
    if facts is None or id(node) not in facts.visited:
        return None
    name = (get_full_name_for_node(node) or "").partition(".")[0]
    if name in facts.declared or name in facts.deleted:
        return None
    return facts, name


def _known_names(rule: Rule, node: cst.CSTNode) -> set[QualifiedName] | None:
    """LibCST's qualified names for `node` where they cannot depend on scopes, else None.

    A part of an import has no scope: no names. A first name bound nowhere in the module
    is a builtin or nothing, as LibCST has it. One bound once, by an import run in the
    module's own scope, is that import wherever it is read after the top-level statement
    holding it (LibCST does not let a read at module level see a later binding; the walk
    does not tell a module-level read inside an earlier statement from one in a
    function, so it asks only after it). A star import binds nothing for LibCST."""
    facts = _facts(rule, node)
    if facts is not None and id(node) in facts.unscoped:
        return set()
    found = _root_name(rule, node)
    if found is None:
        return None
    facts, name = found
    full = get_full_name_for_node(node)
    assert full is not None  # a Name or Attribute
    if facts.count.get(name, 0) == 0:
        if not hasattr(builtins, name):
            return set()
        return BuiltinAssignment(name, _STAND_IN_GLOBALS.parent).get_qualified_names_for(full)
    only = _only_import(facts, name)
    if only is None:
        return None
    _statement, top = facts.imports[name]
    if top is None or facts.visited[id(node)] <= top:
        return None
    return only.get_qualified_names_for(full)


def _surely_local(rule: Rule, node: cst.CSTNode) -> bool:
    """True when each qualified name LibCST may give `node` is a local one, or it gives
    none: its first name is bound in the module, never by an import (in any scope), and
    is no builtin (which a read before the binding would find)."""
    found = _root_name(rule, node)
    if found is None:
        return False
    facts, name = found
    return name in facts.count and name not in facts.imports and not hasattr(builtins, name)


def _only_import(facts: _Bindings, name: str) -> ImportAssignment | None:
    """The one binding of `name` in its module when that is an import run in the
    module's own scope, the name bound nowhere else (what `scope[name]` holds wherever
    `name` has a scope); else None."""
    if facts.count.get(name) != 1:
        return None
    imported = facts.imports.get(name)
    if imported is None or imported[1] is None:
        return None
    statement, _top = imported
    return ImportAssignment(name, _STAND_IN_GLOBALS, statement, 0, statement)


#: the scope of the bindings the fast path makes up (only_binding's callers read its kind)
_STAND_IN_GLOBALS = GlobalScope()
