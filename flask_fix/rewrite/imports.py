"""Adding and removing the imports that fixes need or free.

Added imports go where isort (and ruff's `I001`, with its default settings) would put
them, without moving anything the user wrote:

- a name joins an existing module-level `from module import ...` in its sorted place
  (at the end when the names are not sorted); a line that no longer fits in 88
  characters is wrapped one name per line with a trailing comma, as isort and black do;
- a new statement goes into the module's first block of imports, in its section (future,
  standard library, third party, first party, local), `import x` statements before
  `from x import y` ones, modules in case-insensitive order; a section the block lacks
  is added between the others, separated by blank lines.

A module with no import block at its top gets one: after its docstring and a blank line,
and above its code by one blank line, two when the code starts with a def or class (black's
and isort's layout). Imports a fix made unused are removed by LibCST's
RemoveImportsVisitor, which checks, with scope analysis, that nothing else still uses them.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from .base import ImportSpec

#: isort's and ruff's default for black-compatible code (ruff's `line-length`)
LINE_LENGTH = 88

FUTURE, STANDARD_LIBRARY, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)


def first_party(module_names: Iterable[str]) -> frozenset[str]:
    """The top-level names of a project's dotted module names (`shop.views` -> `shop`):
    the first-party section, as isort finds it from the project's own folders."""
    return frozenset(name.partition(".")[0] for name in module_names)


def update_imports(
    module: cst.Module,
    add: Sequence[ImportSpec],
    remove: Sequence[ImportSpec],
    first_party: Collection[str] = (),
) -> cst.Module:
    """`first_party`: the top-level names of the project's own modules and packages (the
    section they sort in); every other name that is not in the standard library is
    third party."""
    # the code's distance from the import block the user wrote, kept when a fix empties
    # the block and another starts a new one
    below_imports = _blank_lines_below_imports(module)
    if remove:
        # libcst.codemod takes half a second to import: only files that get fixed need it
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import RemoveImportsVisitor

        context = CodemodContext()
        for mod, obj, asname in remove:
            RemoveImportsVisitor.remove_unused_import(context, mod, obj, asname)
        module = _top_kept(module, RemoveImportsVisitor(context).transform_module(module))
    if add:
        module, rest = _join_existing_from_imports(module, add)
        for spec in rest:
            # a name may join a statement added for an earlier one
            module, left = _join_existing_from_imports(module, [spec])
            if not left or _imported(module, spec):
                continue
            placed = _insert_statement(module, spec, first_party)
            if placed is None:
                placed = _start_import_block(module, spec, below_imports)
            module = placed
    return module


def _top_kept(before: cst.Module, after: cst.Module) -> cst.Module:
    """`after` without blank lines on top when `before` had none: removing the first
    statement leaves the blank lines that separated it from the next one."""
    if not (before.body and after.body) or before.body[0].leading_lines:
        return after
    first = after.body[0]
    blank, comments = _split_leading_lines(first.leading_lines)
    if not blank or after.header:
        return after
    return after.with_changes(body=[first.with_changes(leading_lines=comments), *after.body[1:]])


# -- joining an existing `from module import ...` ----------------------------------------


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
            if mod not in wanted or all(a.asname for a in small.names):  # type: ignore[union-attr]
                continue  # isort keeps `from m import x as y` on a line of its own
            present = {a.evaluated_name for a in small.names}
            names = [n for n in wanted.pop(mod) if n not in present]
            if names:
                new_small = small.with_changes(names=_with_names(small.names, names))
                if len(statement.body) == 1:
                    new_small = _wrapped_if_too_long(module, statement, new_small)
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
    order = next((key for key in (str, str.lower) if existing == sorted(existing, key=key)), None)
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


def _wrapped_if_too_long(
    module: cst.Module, statement: cst.SimpleStatementLine, joined: cst.ImportFrom
) -> cst.ImportFrom:
    """A one-line `from m import a, b` that our names pushed past `LINE_LENGTH`, wrapped
    as isort and black wrap it: one name per line, a trailing comma (which keeps it
    wrapped under any longer limit). A line that was too long already is left as written:
    the project allows longer lines."""
    original = statement.body[0]
    if joined.lpar is not None or "\n" in module.code_for_node(original):
        return joined
    before = len(module.code_for_node(statement.with_changes(leading_lines=())).rstrip("\n"))
    after = before + len(module.code_for_node(joined)) - len(module.code_for_node(original))
    if before > LINE_LENGTH or after <= LINE_LENGTH:
        return joined
    indent = module.default_indent if module.default_indent.strip(" \t") == "" else "    "
    line_break = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(newline=cst.Newline()),
        indent=True,
        last_line=cst.SimpleWhitespace(indent),
    )
    names = [
        alias.with_changes(comma=cst.Comma(whitespace_after=line_break))
        for alias in joined.names  # type: ignore[union-attr]
    ]
    names[-1] = names[-1].with_changes(
        comma=cst.Comma(
            whitespace_after=cst.ParenthesizedWhitespace(
                first_line=cst.TrailingWhitespace(newline=cst.Newline()),
                indent=True,
                last_line=cst.SimpleWhitespace(""),
            )
        )
    )
    return joined.with_changes(
        names=names,
        lpar=cst.LeftParen(whitespace_after=line_break),
        rpar=cst.RightParen(),
    )


# -- a new statement in its section ------------------------------------------------------


def _insert_statement(
    module: cst.Module, spec: ImportSpec, first_party: Collection[str]
) -> cst.Module | None:
    """The module with `spec` as a new statement in its place in the first import block;
    None when the module does not start with one (after its docstring)."""
    body = list(module.body)
    start = 1 if body and is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import_line(body[end]):
        end += 1
    if end == start:
        return None
    new = _statement(spec)
    key = _sort_key(new.body[0], first_party)
    block = [(_sort_key(s.body[0], first_party), s) for s in body[start:end]]
    section = key[0]
    same = [k for k, (other, _) in enumerate(block) if other[0] == section]
    if same:
        after = [k for k in same if block[k][0] > key]
        if after:
            # before the first one that sorts after it; when that one is the first of
            # its section, the new statement takes the blank lines above it
            at = after[0]
            return _insert_at(module, body, start + at, new, take_blank_lines=at == same[0])
        return _insert_at(module, body, start + same[-1] + 1, new, take_blank_lines=False)
    later = [k for k, (other, _) in enumerate(block) if other[0] > section]
    at = later[0] if later else len(block)
    return _insert_at(module, body, start + at, new, new_section=True, block_start=start)


def _insert_at(
    module: cst.Module,
    body: list[cst.BaseStatement],
    position: int,
    new: cst.SimpleStatementLine,
    *,
    take_blank_lines: bool = False,
    new_section: bool = False,
    block_start: int = 0,
) -> cst.Module:
    following = body[position] if position < len(body) else None
    if take_blank_lines and isinstance(following, cst.SimpleStatementLine):
        blank, comments = _split_leading_lines(following.leading_lines)
        new = new.with_changes(leading_lines=blank)
        if not comments:  # else the blank lines stay above its comments too, as isort has it
            body[position] = following.with_changes(leading_lines=())
    elif new_section:
        if position == block_start and isinstance(following, cst.SimpleStatementLine):
            # the first section of the block: it takes what stood above the block, and a
            # blank line then separates it from the section that was first
            blank, rest = _split_leading_lines(following.leading_lines)
            new = new.with_changes(leading_lines=blank)
            body[position] = following.with_changes(leading_lines=[cst.EmptyLine(), *rest])
        else:
            new = new.with_changes(leading_lines=[cst.EmptyLine()])
            if isinstance(following, cst.SimpleStatementLine) and _is_import_line(following):
                blank, rest = _split_leading_lines(following.leading_lines)
                if not blank:  # sections are separated by a blank line
                    body[position] = following.with_changes(leading_lines=[cst.EmptyLine(), *rest])
    body.insert(position, new)
    return module.with_changes(body=body)


def _blank_lines_below_imports(module: cst.Module) -> int | None:
    """The blank lines between the module's top import block and the code after it (None
    without such a block)."""
    body = module.body
    start = 1 if body and is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import_line(body[end]):
        end += 1
    if end == start or end == len(body):
        return None
    return len(_split_leading_lines(body[end].leading_lines)[0])


def _start_import_block(
    module: cst.Module, spec: ImportSpec, below: int | None = None
) -> cst.Module:
    """The module, which has no import block at its top, with `spec` as its first one, laid
    out as black and isort have it: after the docstring and one blank line (or on top),
    then the code, one blank line below it, two when it is a def or class; or `below`
    blank lines, the user's, when a fix removed the block they wrote."""
    body = list(module.body)
    start = 1 if body and is_docstring(body[0]) else 0
    new = _statement(spec)
    if start:
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    if start < len(body):
        following = body[start]
        blank, comments = _split_leading_lines(following.leading_lines)
        least = 2 if isinstance(following, (cst.FunctionDef, cst.ClassDef)) else 1
        if below is not None:
            least = below
        body[start] = following.with_changes(
            leading_lines=[cst.EmptyLine()] * max(len(blank), least) + comments
        )
    body.insert(start, new)
    return module.with_changes(body=body)


def _split_leading_lines(
    lines: Sequence[cst.EmptyLine],
) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """The blank lines before the first comment, and the rest (comments belong to the
    statement below them)."""
    first_comment = next((k for k, line in enumerate(lines) if line.comment), len(lines))
    return list(lines[:first_comment]), list(lines[first_comment:])


def _statement(spec: ImportSpec) -> cst.SimpleStatementLine:
    mod, obj, asname = spec
    alias_name = cst.Name(obj) if obj is not None else cst.parse_expression(mod)
    alias = cst.ImportAlias(
        name=alias_name,  # type: ignore[arg-type]
        asname=cst.AsName(name=cst.Name(asname)) if asname else None,
    )
    if obj is None:
        return cst.SimpleStatementLine(body=[cst.Import(names=[alias])])
    module = cst.parse_expression(mod)
    return cst.SimpleStatementLine(
        body=[cst.ImportFrom(module=module, names=[alias])]  # type: ignore[arg-type]
    )


def _imported(module: cst.Module, spec: ImportSpec) -> bool:
    """Whether a module-level statement already imports `spec` under the same name."""
    mod, obj, asname = spec
    return any(
        _imports(small, mod, obj, asname)
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
    )


def _imports(small: cst.BaseSmallStatement, mod: str, obj: str | None, asname: str | None) -> bool:
    if isinstance(small, cst.Import):
        return obj is None and any(
            get_full_name_for_node(alias.name) == mod and alias.evaluated_alias == asname
            for alias in small.names
        )
    if obj is None or not _is_plain_from_import(small):
        return False
    assert isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar)
    return (
        small.module is not None
        and get_full_name_for_node(small.module) == mod
        and any(a.evaluated_name == obj and a.evaluated_alias == asname for a in small.names)
    )


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _sort_key(
    statement: cst.BaseSmallStatement, first_party: Collection[str]
) -> tuple[int, int, str, tuple[int, str]]:
    """(section, `import x` before `from x import y`, module in lower case, first name):
    the first name orders statements of one module (`from m import A` before
    `from m import b as c`, which isort keeps apart)."""
    if isinstance(statement, cst.ImportFrom):
        first = (
            _member_key(statement.names[0].evaluated_name)
            if isinstance(statement.names, Sequence)
            else (0, "")
        )
        if statement.relative:
            dots = "." * len(statement.relative)
            name = get_full_name_for_node(statement.module) if statement.module else ""
            return LOCAL, 1, f"{dots}{name}".lower(), first
        name = get_full_name_for_node(statement.module) or ""  # type: ignore[arg-type]
        return _section(name, first_party), 1, name.lower(), first
    assert isinstance(statement, cst.Import)
    name = get_full_name_for_node(statement.names[0].name) or ""
    return _section(name, first_party), 0, name.lower(), (0, "")


def _member_key(name: str) -> tuple[int, str]:
    """isort's order of imported names: CONSTANTS, Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return 0, name
    if name[:1].isupper():
        return 1, name.lower()
    return 2, name.lower()


def _section(module: str, first_party: Collection[str]) -> int:
    top = module.partition(".")[0]
    if module == "__future__":
        return FUTURE
    if top in sys.stdlib_module_names:
        return STANDARD_LIBRARY
    if top in first_party:
        return FIRST_PARTY
    return THIRD_PARTY
