"""Line and column of the few nodes a file's findings are about.

LibCST's `PositionProvider` gives a range to every node of a module: a code-generation
pass that splits every token on newlines and records a range per node, about a quarter
of the time of a file with findings. The engine needs the reported nodes (and, for
suppression comments, the comments), so this runs the same code generation and keeps
exactly what `PositionProvider` would give those nodes, recording nothing else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import libcst as cst
from libcst.metadata import CodePosition, CodeRange
from libcst.metadata.position_provider import NEWLINE_RE, PositionProvidingCodegenState

_NOT_RECORDED = contextlib.nullcontext()


class _Ranges:
    """Stands for the metadata provider the codegen state writes its ranges into."""

    def __init__(self) -> None:
        self._computed: dict[cst.CSTNode, CodeRange] = {}


class _SomePositionsState(PositionProvidingCodegenState):
    """`PositionProvider`'s code generation, recording only the wanted nodes: their
    syntactic ranges, or where they have none their whitespace-inclusive ones, and the
    ranges those are taken from (a block's first and last statements)."""

    wanted: set[cst.CSTNode]
    comments: bool
    starts: dict[cst.CSTNode, CodePosition]

    def _update_position(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = NEWLINE_RE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def _wants(self, node: cst.CSTNode) -> bool:
        return node in self.wanted or (self.comments and node.__class__ is cst.Comment)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if self._wants(node):
            self.starts[node] = CodePosition(self.line, self.column)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.starts.pop(node, None)
        if start is not None and node not in self.provider._computed:
            end = CodePosition(self.line, self.column)
            self.provider._computed[node] = CodeRange(start, end)

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> contextlib.AbstractContextManager[None]:
        if node not in self.wanted:
            return _NOT_RECORDED
        self.wanted.update(n for n in (start_node, end_node) if n is not None)
        return self._recording(node, start_node, end_node)

    def _recording(
        self, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
    ) -> contextlib.AbstractContextManager[None]:
        return super().record_syntactic_position(node, start_node=start_node, end_node=end_node)


def node_positions(
    module: cst.Module, nodes: Iterable[cst.CSTNode], *, comments: bool = False
) -> dict[cst.CSTNode, CodeRange]:
    """What `PositionProvider` gives each of `nodes` (nodes of `module`), and every
    `Comment` of the module when `comments`; other nodes may be missing."""
    state = _SomePositionsState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=_Ranges(),  # type: ignore[arg-type]
    )
    state.wanted = set(nodes)
    state.comments = comments
    state.starts = {}
    module._codegen(state)
    return state.provider._computed  # type: ignore[attr-defined]
