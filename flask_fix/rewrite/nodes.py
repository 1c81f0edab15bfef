"""Walking a LibCST tree without a visitor."""

from __future__ import annotations

import dataclasses
from typing import Iterator

import libcst as cst


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`node` and every node below it, in source order (depth first)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


#: node class -> the names of its fields (a node's children are the nodes they hold)
_FIELDS: dict[type, tuple[str, ...]] = {}


def descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`node` and every node below it, as `walk` gives them but in no particular order:
    for questions the order does not change (is there a `yield` in it?). It reads each
    node's fields, where `walk` asks for `children`, which LibCST computes by rebuilding
    the node (validation included)."""
    stack = [node]
    fields = _FIELDS
    while stack:
        current = stack.pop()
        yield current
        kind = current.__class__
        names = fields.get(kind)
        if names is None:
            names = fields[kind] = tuple(f.name for f in dataclasses.fields(current))
        for name in names:
            value = getattr(current, name)
            if isinstance(value, cst.CSTNode):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(item for item in value if isinstance(item, cst.CSTNode))
