"""Which modules may hold the test code FLK304 (test-outside-app-context) checks, decided
on the stdlib `ast` so that the fix phase parses only those with LibCST.

The rule (flask_fix/codemods/test_outside_app_context.py) checks two things only:

- the module's top-level classes deriving from unittest's `TestCase` or a project class
  that does (`ContextIndex.test_classes`), through a base it resolves by imports and
  scopes or through a top-level class of the module a base names;
- in a pytest module (a test path, or a top-level import of `pytest`), its top-level
  functions named `test*` and its fixtures (decorated with `pytest.fixture`).

The scan records what each module may offer (`ModuleTestCode`): every qualified name
the rule may resolve one of its top-level classes' bases to (what the imports binding the
base's first name import, at any depth, or a builtin: `bindings.possible_names`) and
whether it has such functions. A class deriving from a local class derives through that
class's own bases, which are among those recorded. Once the project is linked,
`test_modules` keeps the modules where one of those names is a test case class, or
whose functions the rule reads.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .bindings import absolute_name, imported_names, possible_names
from .facts import NodesByType

TEST_FOLDERS = frozenset({"tests", "test", "testing"})
FIXTURES = frozenset({"pytest.fixture", "pytest.yield_fixture"})


def is_test_path(path: str) -> bool:
    """A test module or fixture: in a `tests`/`test`/`testing` folder, or named
    `test_*.py`, `*_test.py`, `tests.py` or `conftest.py`."""
    parts = os.path.normpath(path).replace("\\", "/").split("/")
    name = parts[-1]
    return (
        any(part in TEST_FOLDERS for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name in ("tests.py", "conftest.py")
    )


@dataclass(frozen=True, slots=True)
class ModuleTestCode:
    """What FLK304 may check in one module; `ModuleFacts.raw["tests"]`, absent when
    neither field says anything."""

    # the absolute qualified names its top-level classes' bases may refer to; None: a
    # base may be anything (no dotted name, or a name a star import may bind)
    class_bases: frozenset[str] | None = frozenset()
    # top-level functions named test* or decorated with what may be `pytest.fixture`
    test_functions: bool = False
    # a top-level `import pytest` (or `from pytest... import`)
    imports_pytest: bool = False


def scan_module(
    tree: ast.Module, nodes: NodesByType, module: str, is_package: bool
) -> ModuleTestCode | None:
    imported, star = imported_names(
        [*nodes.get(ast.Import, ()), *nodes.get(ast.ImportFrom, ())]  # type: ignore[list-item]
    )
    bases: set[str] | None = set()
    test_functions = imports_pytest = False
    for statement in tree.body:
        kind = statement.__class__
        if kind is ast.ClassDef:
            for base in statement.bases:  # type: ignore[attr-defined]
                if base.__class__ is ast.Starred:  # `class A(*bases)`: LibCST reads `bases`
                    base = base.value  # type: ignore[attr-defined]
                names = possible_names(base, imported, star)
                if names is None:
                    bases = None
                    break
                if bases is not None:
                    bases.update(
                        n for n in (absolute_name(n, module, is_package) for n in names) if n
                    )
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            if not test_functions:
                test_functions = statement.name.startswith("test") or any(  # type: ignore[attr-defined]
                    _may_be_fixture(d, imported, star) for d in statement.decorator_list  # type: ignore[attr-defined]
                )
        elif kind is ast.Import:
            imports_pytest = imports_pytest or any(
                a.name.partition(".")[0] == "pytest" for a in statement.names  # type: ignore[attr-defined]
            )
        elif kind is ast.ImportFrom:
            # `from .pytest import x` too: the rule reads the module's name without its dots
            found = statement.module  # type: ignore[attr-defined]
            imports_pytest = imports_pytest or (found or "").partition(".")[0] == "pytest"
    if bases == set() and not test_functions:
        return None
    return ModuleTestCode(
        None if bases is None else frozenset(bases), test_functions, imports_pytest
    )


def _may_be_fixture(decorator: ast.expr, imported: dict[str, set[str]], star: bool) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    names = possible_names(target, imported, star)
    return names is None or not names.isdisjoint(FIXTURES)


def may_hold_tests(path: str, code: ModuleTestCode, test_cases: frozenset[str]) -> bool:
    """Whether FLK304 may find something in the module at `path` that offers `code`:
    a class base that may be one of `test_cases` (unittest's and the project's test case
    classes), or test functions or fixtures in a pytest module."""
    if code.test_functions and (code.imports_pytest or is_test_path(path)):
        return True
    return code.class_bases is None or not code.class_bases.isdisjoint(test_cases)


def test_modules(
    modules: Iterable[tuple[str, ModuleTestCode | None]], test_cases: frozenset[str]
) -> frozenset[str]:
    """The paths of `modules` (path, its `ModuleTestCode`) that `may_hold_tests`."""
    return frozenset(
        path for path, code in modules if code is not None and may_hold_tests(path, code, test_cases)
    )
