"""Cheap stdlib-`ast` triage: could any selected rule fire in this module at all?

LibCST parsing plus scope analysis costs far more than `ast.parse`, so the scan phase,
which already holds each module's `ast` tree for the index, decides which files the fix
phase needs to see. A rule declares the names it needs called (`Rule.called_names`: the
last component of the called expression, `dumps` for `json.dumps(...)`) and may look
closer at each such call (`Rule.call_could_fire`, on the stdlib `ast.Call`), and the
modules one of which must be imported for its names to resolve at all
(`Rule.required_imports`: `flask` for `flask.request`); last, `Rule.module_could_fire`
may look at the whole module (its nodes by type: the `try` statements, the imports).
A module failing these is never given to LibCST for that rule. The checks must only
ever say "no" where the rule surely finds nothing (the example tests hold every rule to
that).

The triage walks nothing itself: the index scanner hands over every node of the tree it
walked, by node class (`project.scan_module`).
"""

from __future__ import annotations

import ast
from functools import cached_property
from typing import Sequence, TypeVar

from .codemods.base import Rule
from .project import NodesByType, scan_module

Node = TypeVar("Node", bound=ast.AST)


class TriageModule:
    """One module as the triage sees it: its bytes and its nodes by class."""

    def __init__(self, source: bytes, nodes: NodesByType) -> None:
        self.source = source
        self.nodes = nodes

    @classmethod
    def from_tree(cls, source: bytes, tree: ast.Module) -> TriageModule:
        """The module as the scan phase sees it, for callers that did not scan it."""
        return cls(source, scan_module("module.py", "module", tree)[1])

    def all(self, node_class: type[Node]) -> list[Node]:
        """Every node of exactly this class (`ast.Try`, `ast.Call`, ...): complete for
        statements and expressions but `ast.Name`, which the scanner reads in place like
        `alias`, `arg` and `arguments` nodes."""
        return self.nodes.get(node_class, [])  # type: ignore[return-value]

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        """Top-level modules imported anywhere in the module (`flask` for
        `import flask.json`, `from flask.json import x`); relative imports do not count."""
        found = {a.name.partition(".")[0] for i in self.all(ast.Import) for a in i.names}
        found.update(
            i.module.partition(".")[0] for i in self.all(ast.ImportFrom) if i.module and not i.level
        )
        return frozenset(found)

    def may_use(self, module: str, names: frozenset[str]) -> bool:
        """Could the module use one of `names` from `module` (a top-level package)?
        `from module[.sub] import name`, or an attribute `.name` read through a name an
        `import module[...]` binds (`flask.Markup`, `f.Markup` after `import flask as f`)."""
        if any(
            node.module
            and not node.level
            and node.module.partition(".")[0] == module
            and any(alias.name in names for alias in node.names)
            for node in self.all(ast.ImportFrom)
        ):
            return True
        bound = {
            alias.asname or alias.name.partition(".")[0]
            for node in self.all(ast.Import)
            for alias in node.names
            if alias.name.partition(".")[0] == module
        }
        for node in self.all(ast.Attribute):
            if node.attr in names:
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in bound:
                    return True
        return False

    @cached_property
    def calls_by_name(self) -> dict[str, list[ast.Call]]:
        """Calls by the last component of what they call (`dumps` for `json.dumps()`)."""
        calls: dict[str, list[ast.Call]] = {}
        for call in self.all(ast.Call):
            name = _called_name(call.func)
            if name is not None:
                calls.setdefault(name, []).append(call)
        return calls

    def calls(self, name: str) -> list[ast.Call]:
        return self.calls_by_name.get(name, [])


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def rules_for_module(
    module: TriageModule, rules: Sequence[type[Rule]]
) -> list[type[Rule]]:
    """The rules worth running on this module: trigger text present, a module they need
    imported, a call made that the rule's `call_could_fire` accepts, and
    `module_could_fire`."""
    source = module.source
    return [
        rule
        for rule in rules
        if any(t in source for t in rule.triggers)
        and (not rule.required_imports or rule.required_imports & module.imported_modules)
        and (
            not rule.called_names
            or any(
                rule.call_could_fire(call)
                for name in rule.called_names
                for call in module.calls(name)
            )
        )
        and rule.module_could_fire(module)
    ]
