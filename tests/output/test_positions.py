"""flask_fix.output.positions gives the reported nodes exactly the ranges LibCST's
PositionProvider gives them, whichever nodes are asked for."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from flask_fix.output.positions import node_positions

ROOT = Path(__file__).parents[2]
SOURCES = sorted(ROOT.glob("samples/*/*.py"))
TRICKY = (
    "if x:\r\n    y = (  # noqa: FLK101\r\n        f(a,\r\n          b)  )\r\nelse:\r\n    pass\r\n"
    'def g(\n    a=1,\n):\n    """doc\n    string"""\n    return [\n        i for i in a\n    ]\n'
    "class C(B):\n\n    @d\n    def m(self): return 1  # flask-fix: ignore\n"
    "match p:\n    case [1, *rest] if rest:\n        pass\n"
)


def provider_positions(module: cst.Module) -> dict:
    return dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))


@pytest.mark.parametrize("source", [*SOURCES, TRICKY], ids=lambda s: getattr(s, "name", "tricky"))
def test_every_node_alone_and_all_together(source):
    text = source.read_bytes() if isinstance(source, Path) else source.encode()
    module = cst.parse_module(text)
    expected = provider_positions(module)
    assert node_positions(module, list(expected)) == expected
    # each node alone: every one of the short tricky module, a sample of the others
    # (one code generation per node)
    step = 1 if isinstance(source, str) else 40
    for node, where in list(expected.items())[::step]:
        found = node_positions(module, [node])
        assert found[node] == where, (type(node).__name__, where)


def test_comments_are_given_when_asked():
    module = cst.parse_module(TRICKY)
    expected = provider_positions(module)
    found = node_positions(module, [], comments=True)
    comments = {n: r for n, r in expected.items() if isinstance(n, cst.Comment)}
    assert [(c.value, r.start.line) for c, r in comments.items()] == [
        ("# noqa: FLK101", 2), ("# flask-fix: ignore", 18),
    ]  # fmt: skip
    assert {n: r for n, r in found.items() if isinstance(n, cst.Comment)} == comments
    assert not [n for n in node_positions(module, []) if isinstance(n, cst.Comment)]
