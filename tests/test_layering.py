"""The layout holds: flask_fix imports downwards only, and has no import cycle.

Every import counts: at module level, inside functions (the lazy ones) and under
`if TYPE_CHECKING:` alike. The layers, highest first, are written down here and in the
README's Layout section; a module may import its own layer and the layers below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "flask_fix"

# Highest first; a module belongs to the layer with a prefix naming it or a package holding
# it ("flask_fix" alone is the package's root). Why this order:
# - entry points: the command, the API, `python -m flask_fix.ruletable`, `python -m
#   flask_fix.all_repos`; nothing imports them;
# - run: drives a run, calls the rules (codemods) and renders diffs (output);
# - output: renderers; they read findings and rule metadata only, never a rule;
# - codemods: the rules; they use rewrite and the index, never the run;
# - rewrite: what rules share; reads the index;
# - index: stdlib `ast` facts; knows no rule (triage sees rules through a Protocol);
# - plain data: findings, settings, source bytes, rule metadata read without LibCST.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry points", ("flask_fix", "flask_fix.__main__", "flask_fix.cli", "flask_fix.api",
                      "flask_fix.ruletable", "flask_fix.all_repos")),
    ("run", ("flask_fix.run",)),
    ("output", ("flask_fix.output",)),
    ("codemods", ("flask_fix.codemods",)),
    ("rewrite", ("flask_fix.rewrite",)),
    ("index", ("flask_fix.index",)),
    ("plain data", ("flask_fix.model", "flask_fix.sourceio", "flask_fix.config",
                    "flask_fix.meta", "flask_fix.version")),
)  # fmt: skip


def modules(package: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, whether it is a package's __init__)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (a name imported from a package
    is the submodule when there is one, else the package)."""
    found = modules(package)
    root = package.name

    def owner(name: str) -> str | None:
        while name and name not in found:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, (path, is_package) in found.items():
        here = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = here.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target == root or target.startswith(root + "."):
                    module = owner(target)
                    if module is not None and module != name:
                        graph[name].add(module)
    return graph


def layer_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes if p != "flask_fix"):
            return rank
        if module == "flask_fix" and "flask_fix" in prefixes:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and to the README")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if layer_of(target) < layer_of(module)
    ]


def test_every_module_is_in_a_layer():
    for module in modules():
        layer_of(module)


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_imports_go_downwards_only():
    found = upward_imports(import_graph())
    assert not found, "imports from a lower layer to a higher one:\n" + "\n".join(found)


def test_the_check_sees_function_level_and_relative_imports(tmp_path: Path):
    package = tmp_path / "flask_fix"
    (package / "run").mkdir(parents=True)
    (package / "index").mkdir()
    for init in (package, package / "run", package / "index"):
        (init / "__init__.py").write_text("")
    (package / "run" / "runner.py").write_text("from ..index import project\n")
    (package / "index" / "project.py").write_text(
        "def later():\n    from ..run.runner import main\n"
    )
    graph = import_graph(package)
    assert graph["flask_fix.index.project"] == {"flask_fix.run.runner"}
    assert cycles(graph) == [["flask_fix.index.project", "flask_fix.run.runner"]]
    assert upward_imports(graph) == [
        "flask_fix.index.project (index) imports flask_fix.run.runner (run)"
    ]
