"""Is this code already guarded by a `try` that handles the error a rewrite would change?

Rules using it must list `ParentNodeProvider` and `ScopeProvider` in their metadata.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from .base import Rule
from .names import qualified_name

_SCOPE_BOUNDARIES = (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)


def inside_try_catching(rule: Rule, node: cst.CSTNode, exceptions: tuple[str, ...]) -> bool:
    """True if `node` runs in the body of a `try` (in the same function) with a handler
    that catches one of `exceptions` (builtins by bare name, others qualified), or a
    bare `except:`. A handler naming something we cannot resolve counts as catching:
    the rewrite is then not provably outside its reach."""
    child = node
    parent = rule.get_metadata(ParentNodeProvider, child, None)
    while parent is not None and not isinstance(parent, _SCOPE_BOUNDARIES):
        if isinstance(parent, cst.Try) and child is parent.body:
            if any(_catches(rule, h, exceptions) for h in parent.handlers):
                return True
        child = parent
        parent = rule.get_metadata(ParentNodeProvider, child, None)
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
