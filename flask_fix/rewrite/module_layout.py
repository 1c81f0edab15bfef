"""Blank lines between a module's top-level statements when a rewrite removes or adds some,
and what kind a top-level statement is (an import, a definition, a `__main__` guard).

FLK201 moves statements out of a module (into `create_app()`) and adds others (a
blueprint, `app = create_app()`, the factory itself). `ModuleBody` rebuilds the body in
order and decides the blank lines of each gap the rewrite changed, as a person (and black,
ruff's isort and pycodestyle's E3 checks) lays a module out:

- where statements were removed, the gap left is the widest of the gaps it joins, so the
  blank lines a user wrote to separate code from what came before are never lost;
- the first statement after the imports has at least one blank line above it;
- a def or class (decorators included) next to a changed gap has at least two.

Gaps between statements that were already neighbours stay as the user wrote them. A
statement's "blank lines above" are those before its first leading comment: the comments
stay attached to their statement.
"""

from __future__ import annotations

import libcst as cst


class ModuleBody:
    """The new top-level statements, built in order from `keep`, `add` and `drop`."""

    def __init__(self) -> None:
        self.statements: list[cst.BaseStatement] = []
        self._owed = 0  # blank lines above the statements removed since the last one placed
        self._changed = False  # the next statement's neighbour above is not its old one
        self._dropped_on_top = False

    def keep(self, statement: cst.BaseStatement) -> None:
        """A statement of the module, in its place (possibly rewritten inside)."""
        self._place(statement, new=False)

    def add(self, statement: cst.BaseStatement) -> None:
        """A new statement; its own blank lines above are the least it gets."""
        self._place(statement, new=True)

    def drop(self, statement: cst.BaseStatement) -> None:
        """A statement of the module that is removed from it."""
        if not self.statements:
            self._dropped_on_top = True
            return
        self._owed = max(self._owed, blank_lines_above(statement))
        self._changed = True

    def _place(self, statement: cst.BaseStatement, new: bool) -> None:
        if not self.statements:
            if self._dropped_on_top:  # the first statements went: no blank lines on top
                statement = with_blank_lines_above(statement, 0)
        elif self._changed or new:
            previous = self.statements[-1]
            blank = max(self._owed, blank_lines_above(statement))
            if is_import(previous) and not is_import(statement):
                blank = max(blank, 1)
            if is_definition(previous) or is_definition(statement):
                blank = max(blank, 2)
            statement = with_blank_lines_above(statement, blank)
        self.statements.append(statement)
        self._owed = 0
        self._changed = new


def blank_lines_above(statement: cst.BaseStatement) -> int:
    """The blank lines between the statement (or its first leading comment) and the code
    above it."""
    count = 0
    for line in statement.leading_lines:
        if line.comment is not None:
            break
        count += 1
    return count


def with_blank_lines_above(statement: cst.BaseStatement, count: int) -> cst.BaseStatement:
    """The statement with `count` blank lines above it (and above its leading comments,
    whose own layout is kept)."""
    lines = list(statement.leading_lines)
    rest = lines[blank_lines_above(statement):]
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * count + rest)


def is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def is_definition(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, (cst.FunctionDef, cst.ClassDef))


def is_main_test(test: cst.BaseExpression) -> bool:
    """`__name__ == '__main__'`, either way round."""
    if not (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Equal)
    ):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [
        s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"
    ]
    return len(names) == 1 and len(strings) == 1
