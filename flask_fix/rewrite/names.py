"""Resolving names through imports and scopes, never by spelling alone.

Rules that use these helpers must list `ScopeProvider` in their METADATA_DEPENDENCIES.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
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
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None:
        return None
    assignments = list(scope[node.value])
    if len(assignments) != 1 or not isinstance(assignments[0].scope, GlobalScope):
        return None
    return f"{module}.{node.value}"
