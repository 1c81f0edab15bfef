"""names.reaching_assignments: the bindings of a module-level name that may reach a use,
in Python's execution order."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from flask_fix.rewrite.base import RuleContext
from flask_fix.rewrite.names import reaching_assignments
from flask_fix.index.project import ProjectIndex


class _Uses(cst.BatchableCSTVisitor):
    """For each `use(x)` call, the source of the values of the bindings of `x` that
    reach it (`<def>`, `<import>`... for bindings that are not assignments)."""

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.context = RuleContext("m.py", ProjectIndex(), module)
        self.values: dict[int, str] = {}
        self.uses: list[cst.Name] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.values[id(target.target)] = cst.Module([]).code_for_node(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "use":
            argument = node.args[0].value
            assert isinstance(argument, cst.Name)
            self.uses.append(argument)

    def leave_Module(self, original_node: cst.Module) -> None:
        self.found = [
            sorted(
                self.values.get(id(getattr(a, "node", None)), f"<{type(a.node).__name__}>")
                for a in reaching_assignments(self, use) or []
            )
            for use in self.uses
        ]


def reaching(source: str) -> list[list[str]]:
    module = cst.parse_module(dedent(source).lstrip("\n"))
    visitor = _Uses(module)
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([visitor])
    return visitor.found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # straight-line code: the last binding before each use (ruff's S201 fixture)
        ("x = 1\nuse(x)\nx = 2\nuse(x)\n", [["1"], ["2"]]),
        ("x = 1; use(x); x = 2; use(x)\n", [["1"], ["2"]]),
        # an assignment's value is read before its target is bound
        ("x = 1\nx = wrap(use(x))\nuse(x)\n", [["1"], ["wrap(use(x))"]]),
        # a binding in a branch may or may not run
        ("x = 1\nif c:\n    x = 2\nuse(x)\n", [["1", "2"]]),
        ("x = 1\ntry:\n    x = 2\nexcept E:\n    use(x)\n", [["1", "2"]]),
        ("x = 1\nwith c:\n    x = 2\nuse(x)\n", [["1", "2"]]),
        # ... unless a straight-line binding follows it
        ("if c:\n    x = 2\nx = 1\nuse(x)\n", [["1"]]),
        # straight-line code inside the block holding the use counts
        ('x = 1\nif __name__ == "__main__":\n    x = 2\n    use(x)\n', [["2"]]),
        ("if c:\n    x = 1\n    use(x)\nelse:\n    x = 2\n    use(x)\n", [["1"], ["2"]]),
        # a later binding in a loop around the use reaches the next iteration
        ("x = 1\nfor i in r:\n    use(x)\n    x = 2\n", [["1", "2"]]),
        ("x = 1\nfor i in r:\n    pass\nelse:\n    use(x)\nx = 2\n", [["1"]]),
        # a function rebinding it through `global` may have run
        ("x = 1\ndef f():\n    global x\n    x = 3\nx = 2\nuse(x)\n", [["2", "3"]]),
        # a use inside a function runs when it is called: every binding
        ("x = 1\ndef f():\n    use(x)\nx = 2\n", [["1", "2"]]),
        # other kinds of bindings take part in the order
        ("import x\nuse(x)\ndef x():\n    pass\nuse(x)\n", [["<Import>"], ["<FunctionDef>"]]),
        # one binding: as LibCST has it
        ("if c:\n    x = 1\nuse(x)\n", [["1"]]),
    ],
)
def test_the_bindings_that_reach_a_use(source: str, expected: list[list[str]]):
    assert reaching(source) == expected


def test_without_the_module_every_binding_reaches():
    module = cst.parse_module("x = 1\nuse(x)\nx = 2\n")
    visitor = _Uses(module)
    visitor.context = RuleContext("m.py", ProjectIndex())
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([visitor])
    assert visitor.found == [["1", "2"]]
