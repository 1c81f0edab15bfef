"""What each module of a project may import, read once per run of a transform.

FLK201 asks it which modules import a module (the app's, a views module); FLK803 asks it
whether another module imports a name from a module it would delete the import of.
"""

from __future__ import annotations

import ast
import os
import re

from ..index.project import absolute_module
from .base import ProjectContext


class ImportedNames:
    """`names(path)`: what the module at `path` may import, at any depth: `import x` names
    x, `from b import n` names b and b.n (relative ones made absolute), and a string
    literal names itself where the module calls import_module, __import__, run_module or
    run_path. None when it does not parse (taken as importing anything); each module is
    read once, whichever module's importers are asked for."""

    def __init__(self, context: ProjectContext) -> None:
        self.context = context
        self._names: dict[str, frozenset[str] | None] = {}

    def __call__(self, path: str) -> frozenset[str] | None:
        if path not in self._names:
            self._names[path] = self._read(path)
        return self._names[path]

    def _read(self, path: str) -> frozenset[str] | None:
        try:
            source = self.context.read(path)
        except OSError:
            return frozenset()
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return None
        module = self.context.index.modules[path]
        package = module if os.path.basename(path) == "__init__.py" else module.rpartition(".")[0]
        dynamic = re.search(rb"\b(import_module|__import__|run_module|run_path)\b", source)
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = absolute_module(node.module, node.level, package)
                if base is not None:
                    found.add(base)
                found.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
            elif dynamic and isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
        return frozenset(found)
