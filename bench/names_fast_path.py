"""Hold flask_fix.rewrite.names' answers without scope analysis to LibCST's, on real code.

    python bench/names_fast_path.py PATH [PATH ...]

For every Name and dotted Attribute of every Python file under PATH (real trees, fetched
outside this repository), asks `qualified_names`, `qualified_name`, `import_binding`,
`only_binding` and `reaching_assignments` once through the fast path (names._Bindings,
where it answers) and once through ScopeProvider, and prints each difference, then how
many files and nodes it read and for how many `qualified_names` needed no scope
analysis. Exits 1 on any difference. Files that do not parse are skipped. Nothing is
written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ScopeProvider

from flask_fix.index.project import ProjectIndex
from flask_fix.rewrite import names
from flask_fix.rewrite.base import RuleContext


class _Asker(cst.BatchableCSTVisitor):
    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.context = RuleContext("m.py", ProjectIndex(), module)
        self.nodes: list[cst.CSTNode] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.nodes.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.nodes.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        """(node, answered without scope analysis, its answers, LibCST's)."""
        self.rows = []
        for node in self.nodes:
            answered = names._known_names(self, node) is not None
            self.rows.append((node, answered, _answers(self, node), _slow(self, node)))


def _answers(rule: _Asker, node: cst.CSTNode) -> tuple:
    if not isinstance(node, cst.Name):
        return (
            names.qualified_names(rule, node),
            names.qualified_name(rule, node),
            names.import_binding(rule, node),
        )
    one = names.only_binding(rule, node)
    reaching = names.reaching_assignments(rule, node)
    return (
        names.qualified_names(rule, node),
        names.qualified_name(rule, node),
        names.import_binding(rule, node),
        _kinds(one) if one else None,
        None if reaching is None else sorted(map(_kinds, reaching), key=repr),
    )


def _kinds(binding: object) -> tuple:
    """A binding as its kind, its scope's kind and its node (the fast path's bindings
    are LibCST's kinds with a stand-in scope)."""
    return type(binding), type(binding.scope), getattr(binding, "node", None)  # type: ignore[attr-defined]


def _slow(rule: _Asker, node: cst.CSTNode) -> tuple:
    keep = names._facts
    names._facts = lambda *_: None  # type: ignore[assignment]
    try:
        return _answers(rule, node)
    finally:
        names._facts = keep  # type: ignore[assignment]


def main() -> None:
    files = nodes = fast = differing = 0
    for root in sys.argv[1:]:
        for path in sorted(Path(root).rglob("*.py")):
            try:
                module = cst.parse_module(path.read_bytes())
                asker = _Asker(module)
                MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([asker])
            except (cst.ParserSyntaxError, RecursionError, UnicodeDecodeError):
                continue
            files += 1
            for node, answered, mine, theirs in asker.rows:
                nodes += 1
                fast += answered
                if mine != theirs:
                    differing += 1
                    code = module.code_for_node(node)
                    print(f"{path}: {code}: fast {mine} LibCST {theirs}")
    print(f"{files} files, {nodes} names and attributes, {fast} answered without scope "
          f"analysis, {differing} differing")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
