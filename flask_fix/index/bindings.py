"""What a module's imports bind its names to, read from the stdlib `ast` as LibCST's
qualified names spell them: shared by the triage (flask_fix.index.triage) and the scan
facts that decide for a rule which modules it may fire in (flask_fix.index.testcode)."""

from __future__ import annotations

import ast
from collections.abc import Iterable


def import_bindings(node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
    """(local name, what it refers to) for each name an import binds, as LibCST's
    qualified names spell them: `flask` for `import flask.json`, `.views.home` for
    `from .views import home`; ("*", "") for a star import."""
    if node.__class__ is ast.Import:
        return [
            (a.asname, a.name) if a.asname else (a.name.partition(".")[0],) * 2
            for a in node.names
        ]
    prefix = "." * node.level  # type: ignore[union-attr]
    if node.module:  # type: ignore[union-attr]
        prefix += node.module + "."  # type: ignore[union-attr]
    return [
        ("*", "") if a.name == "*" else (a.asname or a.name, prefix + a.name) for a in node.names
    ]


def imported_names(imports: Iterable[ast.Import | ast.ImportFrom]) -> tuple[dict[str, set[str]], bool]:
    """(local name -> what the imports binding it import, whether a `from x import *`
    occurs) over `imports` (a module's, at any depth)."""
    imported: dict[str, set[str]] = {}
    star = False
    for node in imports:
        for local, target in import_bindings(node):
            if local == "*":
                star = True
            else:
                imported.setdefault(local, set()).add(target)
    return imported, star


def dotted(expr: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything but names and attributes of them."""
    parts = []
    while expr.__class__ is ast.Attribute:
        parts.append(expr.attr)  # type: ignore[attr-defined]
        expr = expr.value  # type: ignore[attr-defined]
    if expr.__class__ is not ast.Name:
        return None
    parts.append(expr.id)  # type: ignore[attr-defined]
    return parts[::-1]


def possible_names(
    expr: ast.expr, imported: dict[str, set[str]], star: bool
) -> frozenset[str] | None:
    """Every qualified name a rule resolving names through imports and scopes
    (`rewrite.names.qualified_name`) may find for `expr`, a name or dotted attribute,
    wherever it is used in a module whose imports bind `imported` (`imported_names`):
    what the imports binding its first name import (`flask.abort`), or the builtin
    (`builtins.ValueError`); where the name is bound otherwise (a local), such a rule
    finds no name at all. None: it may be anything (any other expression; a name a
    `from x import *` may bind)."""
    parts = dotted(expr)
    if parts is None:
        return None
    root, rest = parts[0], "".join(f".{part}" for part in parts[1:])
    if star and root not in imported:
        return None
    imports = (f"{target}{rest}" for target in imported.get(root, ()))
    return frozenset({f"builtins.{root}{rest}", *imports})


def absolute_name(name: str, module: str | None, is_package: bool) -> str | None:
    """A qualified name with a relative import's dots resolved against `module` (a
    package's `__init__` when `is_package`); None beyond the top-level package."""
    if not name.startswith("."):
        return name
    if module is None:
        return None
    dots = len(name) - len(name.lstrip("."))
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if dots - 1 > len(parts):
        return None
    base = parts[: len(parts) - (dots - 1)]
    rest = name[dots:]
    return ".".join([*base, rest] if rest else base) or None
