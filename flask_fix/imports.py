"""Adding and removing the imports that fixes need or free.

New names join an existing `from module import ...` statement at module level, in
alphabetical place when its names are sorted (at the end otherwise), as a person or isort
would write it; otherwise LibCST's AddImportsVisitor adds a statement after the last import.
Imports a fix made unused are removed by LibCST's RemoveImportsVisitor, which checks, with
scope analysis, that nothing else still uses them.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from .codemods.base import ImportSpec


def update_imports(
    module: cst.Module, add: Sequence[ImportSpec], remove: Sequence[ImportSpec]
) -> cst.Module:
    # libcst.codemod takes half a second to import: only files that get fixed need it
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    if add:
        module, rest = _join_existing_from_imports(module, add)
        if rest:
            context = CodemodContext()
            for mod, obj, asname in rest:
                AddImportsVisitor.add_needed_import(context, mod, obj, asname)
            # AddImportsVisitor builds a parser config from the module's indent, which
            # LibCST refuses unless it is spaces and tabs (a form feed is valid Python):
            # lend it a plain one and give the module its own back
            indent = module.default_indent
            if indent.strip(" \t"):
                module = module.with_changes(default_indent="    ")
            module = AddImportsVisitor(context).transform_module(module)
            module = module.with_changes(default_indent=indent)
    if remove:
        context = CodemodContext()
        for mod, obj, asname in remove:
            RemoveImportsVisitor.remove_unused_import(context, mod, obj, asname)
        module = RemoveImportsVisitor(context).transform_module(module)
    return module


def _join_existing_from_imports(
    module: cst.Module, add: Sequence[ImportSpec]
) -> tuple[cst.Module, list[ImportSpec]]:
    """Add `from m import name` specs to a module-level `from m import ...` if there is one."""
    wanted: dict[str, list[str]] = {}
    rest: list[ImportSpec] = []
    for mod, obj, asname in dict.fromkeys(add):
        if obj is None or asname is not None:
            rest.append((mod, obj, asname))
        else:
            wanted.setdefault(mod, []).append(obj)
    body = list(module.body)
    for i, statement in enumerate(body):
        if not wanted or not isinstance(statement, cst.SimpleStatementLine):
            continue
        for j, small in enumerate(statement.body):
            if not _is_plain_from_import(small) or small.module is None:
                continue
            mod = get_full_name_for_node(small.module)
            if mod not in wanted:
                continue
            present = {a.evaluated_name for a in small.names}
            names = [n for n in wanted.pop(mod) if n not in present]
            if names:
                new_small = small.with_changes(names=_with_names(small.names, names))
                parts = list(statement.body)
                parts[j] = new_small
                body[i] = statement = statement.with_changes(body=parts)
    rest.extend((mod, obj, None) for mod, objs in wanted.items() for obj in objs)
    return module.with_changes(body=body), rest


def _is_plain_from_import(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.ImportFrom)
        and not node.relative
        and not isinstance(node.names, cst.ImportStar)
    )


def _with_names(aliases: Sequence[cst.ImportAlias], names: list[str]) -> list[cst.ImportAlias]:
    existing = [a.evaluated_name for a in aliases]
    # isort's default order puts capitals first (plain sort); others ignore case
    order = next(
        (key for key in (str, str.lower) if existing == sorted(existing, key=key)), None
    )
    new = list(aliases)
    last = new[-1]
    # the separator between names as this statement writes it
    comma = (
        new[0].comma
        if len(new) > 1 and new[0].comma != cst.MaybeSentinel.DEFAULT
        else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    trailing = last.comma  # a trailing comma (parenthesized, one per line) stays last
    new[-1] = last.with_changes(comma=comma)
    for name in names:
        alias = cst.ImportAlias(name=cst.Name(name), comma=comma)
        if order is not None:
            position = next(
                (k for k, a in enumerate(new) if order(a.evaluated_name) > order(name)),
                len(new),
            )
        else:
            position = len(new)
        new.insert(position, alias)
    new[-1] = new[-1].with_changes(comma=trailing)
    return new
