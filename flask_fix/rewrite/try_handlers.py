"""Is this code already guarded by a `try` that handles the error a rewrite would change?

A rule that asks subclasses `TryAwareRule`: it tracks, while the batched traversal runs,
the `try` bodies around the node being visited (cheaper than LibCST's ParentNodeProvider,
which costs a whole extra pass). It must list `ScopeProvider` in its metadata.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import libcst as cst

from .base import Rule
from .names import qualified_name

if TYPE_CHECKING:
    from ..index.triage import TriageModule


class TryAwareRule(Rule):
    """A rule that can ask `inside_try_catching` about the node it is visiting."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the try statements whose body encloses the current node; None marks a function
        # or class boundary (a try around a `def` does not guard what the body runs later)
        self._guards: list[cst.Try | None] = []

    def visit_Try_body(self, node: cst.Try) -> None:
        self._guards.append(node)

    def leave_Try_body(self, node: cst.Try) -> None:
        self._guards.pop()

    # (LibCST finds visitor methods by their __name__, so each needs a def of its own)
    def visit_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self._guards.append(None)

    def leave_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self._guards.pop()

    def visit_Lambda_body(self, node: cst.Lambda) -> None:
        self._guards.append(None)

    def leave_Lambda_body(self, node: cst.Lambda) -> None:
        self._guards.pop()

    def visit_ClassDef_body(self, node: cst.ClassDef) -> None:
        self._guards.append(None)

    def leave_ClassDef_body(self, node: cst.ClassDef) -> None:
        self._guards.pop()

    def enclosing_tries(self) -> list[cst.Try]:
        """The `try` statements whose body runs the node being visited, innermost first,
        up to the enclosing function (or class) boundary."""
        tries: list[cst.Try] = []
        for guard in reversed(self._guards):
            if guard is None:
                break
            tries.append(guard)
        return tries

    def inside_try_catching(self, exceptions: tuple[str, ...]) -> bool:
        """True if the node being visited runs in the body of a `try` (in the same
        function) with a handler that catches one of `exceptions` (builtins by bare name,
        others qualified) or everything. A handler naming something we cannot resolve
        counts as catching: the rewrite is then not provably outside its reach."""
        for guard in reversed(self._guards):
            if guard is None:
                return False
            if any(_catches(self, handler, exceptions) for handler in guard.handlers):
                return True
        return False


def _catches(rule: Rule, handler: cst.ExceptHandler, exceptions: tuple[str, ...]) -> bool:
    if handler.type is None:
        return True
    types = (
        [e.value for e in handler.type.elements]
        if isinstance(handler.type, cst.Tuple)
        else [handler.type]
    )
    for expr in types:
        name = qualified_name(rule, expr)
        if name is None:
            return True
        if name.removeprefix("builtins.") in exceptions:
            return True
    return False


# --- the same question on the stdlib ast, for the triage ----------------------------------

_Span = tuple[tuple[int, int], tuple[int, int]]


def surely_inside_try_catching(
    module: TriageModule, node: ast.expr, exceptions: tuple[str, ...]
) -> bool:
    """Stdlib-ast triage: True only when `inside_try_catching(exceptions)` surely holds
    for `node`: it lies in the body of a `try` (with no function, lambda or class body
    in between) one of whose handlers is bare or names, surely, one of `exceptions`."""
    position = (node.lineno, node.col_offset)
    boundaries: list[_Span] | None = None
    for statement in module.all(ast.Try):
        body = _span(statement.body)
        if not body[0] <= position <= body[1]:
            continue
        if not any(_surely_catches(module, h, exceptions) for h in statement.handlers):
            continue
        if boundaries is None:
            boundaries = [
                _span(boundary.body)
                for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
                for boundary in module.all(kind)
            ]
        if not any(
            body[0] <= start and end <= body[1] and start <= position <= end
            for start, end in boundaries
        ):
            return True
    return False


def _surely_catches(
    module: TriageModule, handler: ast.ExceptHandler, exceptions: tuple[str, ...]
) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for expr in types:
        name = module.sure_name(expr)
        if name is not None and name.removeprefix("builtins.") in exceptions:
            return True
    return False


def _span(body: ast.AST | list[ast.stmt]) -> _Span:
    """Where a block of statements (or a lambda's expression) starts and ends."""
    first, last = (body[0], body[-1]) if isinstance(body, list) else (body, body)
    return (first.lineno, first.col_offset), (
        last.end_lineno or last.lineno,
        last.end_col_offset or 0,
    )
