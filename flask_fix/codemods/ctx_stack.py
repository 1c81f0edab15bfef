"""FLK706 ctx-stack."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example
from ..rewrite.legacy_api import LegacyApiRule, aliases, code, import_module
from ..rewrite.names import qualified_name

STACKS = {
    "_app_ctx_stack": "app",
    "_request_ctx_stack": "request",
}
MODULES = ("flask", "flask.globals")
QUALIFIED = {f"{m}.{s}": s for m in MODULES for s in STACKS}
# what `<stack>.top.<attribute>` becomes (the context objects' attributes)
TOP_ATTRIBUTES = {
    "app": "`current_app` (`current_app._get_current_object()` for the object itself)",
    "g": "`g`",
    "request": "`request`",
    "session": "`session`",
}
REMOVED = "removed in Flask 3.0 (deprecated since 2.2)"


class CtxStack(LegacyApiRule):
    """
    What it does:
        Reports imports and uses of `flask._app_ctx_stack` and `flask._request_ctx_stack`
        (also from `flask.globals`), with the replacement for each use:
        `_app_ctx_stack.top.app` is `current_app`, `.top.g` is `g`, `.top.request` is
        `request`; data stored on `.top` goes on `g`; the context itself is
        `flask.globals.app_ctx` / `request_ctx`; a test for a context is
        `has_app_context()` / `has_request_context()`.

    Why is this bad?:
        Flask 2.2 replaced the context stacks with context variables and kept the two names
        only as deprecated stand-ins; Flask 3.0 removed them:
        `ImportError: cannot import name '_app_ctx_stack' from 'flask'`. Extensions of the
        Flask 1.x era stored their per-context state on `_app_ctx_stack.top`.

    Example:
        from flask import _app_ctx_stack

        def get_db():
            ctx = _app_ctx_stack.top
            if not hasattr(ctx, "db"):
                ctx.db = connect()
            return ctx.db

    Use instead:
        from flask import g

        def get_db():
            if "db" not in g:
                g.db = connect()
            return g.db

    Fix safety:
        Report only: `.top` returned None outside a context where `g` and the
        `app_ctx`/`request_ctx` proxies raise, and data stored on the context object moves
        to `g` under other names; which replacement fits depends on what the code does.
    """

    code = "FLK706"
    name = "ctx-stack"
    fix_level = FixLevel.REPORT
    summary = "Use `g`, `current_app` or `flask.globals`, not `_app_ctx_stack`."
    triggers = (b"_ctx_stack",)
    required_imports = frozenset({"flask"})
    METADATA_DEPENDENCIES = (ScopeProvider,)

    valid = (
        "from flask import g, current_app\n\ndef get_db():\n"
        "    if 'db' not in g:\n        g.db = current_app.config['DB']\n    return g.db\n",
        # a stack of the project's own
        "class Stack:\n    top = None\n\n_app_ctx_stack = Stack()\nctx = _app_ctx_stack.top\n",
        "import flask\n\ndef f(_request_ctx_stack):\n    return _request_ctx_stack.top\n",
    )
    invalid = (
        Example(
            "from flask import _app_ctx_stack\n\ndef get_db():\n"
            "    ctx = _app_ctx_stack.top\n    return ctx.db\n"
        ),
        Example("import flask\n\ndef the_app():\n    return flask._app_ctx_stack.top.app\n"),
        Example(
            "from flask.globals import _request_ctx_stack as stack\n\n"
            "def user():\n    return stack.top.user\n\nkeep = stack\n"
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._seen: set[int] = set()  # nodes of a use already reported
        self._imported: set[str] = set()  # local names the stacks are imported as

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_module(node)
        if module not in MODULES:
            return
        for alias in aliases(node):
            if alias.evaluated_name in STACKS:
                self._imported.add(alias.evaluated_alias or alias.evaluated_name)
                self.report(
                    alias,
                    f"`{module}.{alias.evaluated_name}` was {REMOVED}: this import fails;"
                    " use `g`, `current_app`, `request` or `flask.globals.app_ctx` /"
                    " `request_ctx`",
                )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) in self._seen:
            return
        # `<stack>.top.<attribute>`
        inner = node.value
        if (
            isinstance(inner, cst.Attribute)
            and inner.attr.value == "top"
            and self._stack(inner.value) is not None
        ):
            stack = self._stack(inner.value)
            self._seen.update({id(inner), id(inner.value)})
            attribute = node.attr.value
            if attribute in TOP_ATTRIBUTES:
                advice = f"use {TOP_ATTRIBUTES[attribute]}"
            else:
                advice = self._advice_for_top(stack, attribute)
            self._report(node, stack, advice)
        elif node.attr.value == "top" and self._stack(node.value) is not None:
            stack = self._stack(node.value)
            self._seen.add(id(node.value))
            self._report(node, stack, self._advice_for_top(stack, None))
        elif node.attr.value in STACKS and (stack := self._stack(node)) is not None:
            self._seen.add(id(node))
            self._report(node, stack, self._advice_for_top(stack, None))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self._imported or id(node) in self._seen:
            return
        stack = self._stack(node)
        if stack is not None:
            self._report(node, stack, self._advice_for_top(stack, None))

    def _stack(self, node: cst.BaseExpression) -> str | None:
        """'_app_ctx_stack' or '_request_ctx_stack' if `node` is Flask's."""
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return None
        return QUALIFIED.get(qualified_name(self, node) or "")

    def _advice_for_top(self, stack: str, attribute: str | None) -> str:
        kind = STACKS[stack]
        context = f"`flask.globals.{kind}_ctx`"
        test = f"`has_{kind}_context()`"
        if attribute is not None:
            return (
                f"store data on `g` rather than the context; the context object is {context}"
                f" (Flask >= 2.2): `{kind}_ctx.{attribute}`"
            )
        return (
            f"store data on `g`; test for a context with {test}; the context object is"
            f" {context} (Flask >= 2.2)"
        )

    def _report(self, node: cst.CSTNode, stack: str, advice: str) -> None:
        self.report(node, f"`{code(node)}`: `{stack}` was {REMOVED}; {advice}")
