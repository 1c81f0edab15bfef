"""Cheap stdlib-`ast` triage: could any selected rule fire in this module at all?

LibCST parsing plus scope analysis costs far more than `ast.parse`, so the scan phase,
which already holds each module's `ast` tree for the index, decides which files the fix
phase needs to see. A rule declares the names it needs called (`Rule.called_names`: the
last component of the called expression, `dumps` for `json.dumps(...)`) and may look
closer at each such call (`Rule.call_could_fire`, on the stdlib `ast.Call`), and the
modules one of which must be imported for its names to resolve at all
(`Rule.required_imports`: `flask` for `flask.request`); a module failing these is never
given to LibCST for that rule. The check must only ever say
"no" where the rule surely finds nothing (the example tests hold every rule to that).
"""

from __future__ import annotations

import ast
from typing import Sequence

from .codemods.base import Rule


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def rules_for_module(
    source: bytes, tree: ast.Module, rules: Sequence[type[Rule]]
) -> list[type[Rule]]:
    """The rules worth running on this module: trigger text present, a module they need
    imported, and a call made that the rule's `call_could_fire` accepts (one walk)."""
    pending = [r for r in rules if any(t in source for t in r.triggers)]
    if not pending or all(not (r.called_names or r.required_imports) for r in pending):
        return pending
    by_name: dict[str, list[type[Rule]]] = {}
    for rule in pending:
        for name in rule.called_names:
            by_name.setdefault(name, []).append(rule)
    call_seen = {r for r in pending if not r.called_names}
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for rule in by_name.get(_called_name(node.func), ()):  # type: ignore[arg-type]
                if rule not in call_seen and rule.call_could_fire(node):
                    call_seen.add(rule)
        elif isinstance(node, ast.Import):
            imported.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.partition(".")[0])
    return [
        r
        for r in pending
        if r in call_seen and (not r.required_imports or r.required_imports & imported)
    ]
