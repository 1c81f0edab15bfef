"""Cheap stdlib-`ast` triage: could any selected rule fire in this module at all?

LibCST parsing plus scope analysis costs far more than `ast.parse`, so the scan phase,
which already holds each module's `ast` tree for the index, decides which files the fix
phase needs to see. A rule declares the names it needs called (`Rule.called_names`: the
last component of the called expression, `dumps` for `json.dumps(...)`); a module calling
none of them is never given to LibCST for that rule.
"""

from __future__ import annotations

import ast
from typing import Sequence

from .codemods.base import Rule


def called_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


def rules_for_module(
    source: bytes, tree: ast.Module, rules: Sequence[type[Rule]]
) -> list[type[Rule]]:
    """The rules worth running on this module: trigger text present, needed calls made."""
    triggered = [r for r in rules if any(t in source for t in r.triggers)]
    if not triggered:
        return []
    if all(not r.called_names for r in triggered):
        return triggered
    called = called_names(tree)
    return [r for r in triggered if not r.called_names or r.called_names & called]
