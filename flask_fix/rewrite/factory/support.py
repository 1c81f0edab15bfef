"""Shared pieces of the app-factory transform (FLK201/FLK203): one parsed module with its
scopes and positions, where each name is evaluated (import time, a decorator, a function
body), and small node builders.

A module is parsed once with LibCST; `ModuleView.where(name_node)` says in which top-level
statement the name occurs and whether it runs at import time, as a decorator of a
top-level definition, or inside a function body (and whether that function is the
top-level one itself or a function nested in it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameSource, ScopeProvider

from ...index.projectroot import project_root
from ..module_layout import is_main_test
from ..nodes import walk

if TYPE_CHECKING:
    from ...index.project import ProjectIndex
    from ...index.facts import AppObject

IMPORT_TIME = "import-time"
DECORATOR = "decorator"
FUNCTION = "function"


@dataclass(frozen=True)
class Where:
    """Where a node is evaluated."""

    statement: int  # index of the top-level statement holding it
    zone: str  # IMPORT_TIME, DECORATOR (of a top-level def or class) or FUNCTION
    decorator: cst.Decorator | None = None
    # the top-level function (or class method) whose body runs it; None at import time
    function: cst.FunctionDef | None = None
    # True when it is in that function's own body, not in a function nested in it
    direct: bool = False
    # inside a `with` statement whose items call `.app_context()` (at import time)
    in_app_context: bool = False


class _Locator(cst.CSTVisitor):
    """Records a Where for every Name node and who holds each expression."""

    def __init__(self) -> None:
        super().__init__()
        self.statement = 0
        self.where: dict[int, Where] = {}
        # Name or Attribute -> the Attribute whose `.value` it is
        self.attribute_of: dict[int, cst.Attribute] = {}
        # expression -> the Call whose `.func` it is
        self.call_of: dict[int, cst.Call] = {}
        self.functions: list[cst.FunctionDef] = []
        self.lambdas = 0
        self.decorator: cst.Decorator | None = None
        self.app_contexts = 0

    def location(self) -> Where:
        if self.functions:
            return Where(
                self.statement,
                FUNCTION,
                function=self.functions[0],
                direct=len(self.functions) == 1 and not self.lambdas,
            )
        if self.lambdas:
            return Where(self.statement, FUNCTION)
        if self.decorator is not None:
            return Where(self.statement, DECORATOR, decorator=self.decorator)
        return Where(self.statement, IMPORT_TIME, in_app_context=self.app_contexts > 0)

    def visit_Name(self, node: cst.Name) -> None:
        self.where[id(node)] = self.location()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attribute_of[id(node.value)] = node
        self.where[id(node)] = self.location()

    def visit_Call(self, node: cst.Call) -> None:
        self.call_of[id(node.func)] = node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        top = not self.functions and not self.lambdas
        for decorator in node.decorators:
            if top and self.decorator is None:
                self.decorator = decorator
                decorator.visit(self)
                self.decorator = None
            else:
                decorator.visit(self)
        node.params.visit(self)  # defaults: evaluated where the def runs
        if node.returns is not None:
            node.returns.visit(self)
        self.functions.append(node)
        node.body.visit(self)
        self.functions.pop()
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        node.params.visit(self)
        self.lambdas += 1
        node.body.visit(self)
        self.lambdas -= 1
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        top = not self.functions and not self.lambdas
        for decorator in node.decorators:
            if top and self.decorator is None:
                self.decorator = decorator
                decorator.visit(self)
                self.decorator = None
            else:
                decorator.visit(self)
        for child in (*node.bases, *node.keywords):
            child.visit(self)
        node.body.visit(self)
        return False

    def visit_With(self, node: cst.With) -> bool:
        for item in node.items:
            item.visit(self)
        opens_context = any(_calls_method(item.item, "app_context") for item in node.items)
        self.app_contexts += opens_context
        node.body.visit(self)
        self.app_contexts -= opens_context
        return False


def _calls_method(expression: cst.BaseExpression, method: str) -> bool:
    return (
        isinstance(expression, cst.Call)
        and isinstance(expression.func, cst.Attribute)
        and expression.func.attr.value == method
    )


class ModuleView:
    """A module parsed once, with its scopes, positions and the locations of its names."""

    def __init__(self, path: str, source: bytes) -> None:
        self.path = path
        self.source = source
        self.module = cst.parse_module(source)
        self.wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        self.scopes = self.wrapper.resolve(ScopeProvider)
        self.positions = self.wrapper.resolve(PositionProvider)
        self.globals = self.scopes[self.module]
        locator = _Locator()
        for index, statement in enumerate(self.module.body):
            locator.statement = index
            statement.visit(locator)
        self.where = locator.where
        self.attribute_of = locator.attribute_of
        self.call_of = locator.call_of

    @property
    def body(self) -> Sequence[cst.BaseStatement]:
        return self.module.body

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def column(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.column + 1

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def location(self, node: cst.CSTNode) -> Where:
        return self.where[id(node)]

    def global_assignments(self, name: str) -> list:
        return sorted(
            self.globals.assignments[name],
            key=lambda a: self.line(a.node) if a.node in self.positions else 0,
        )

    def accesses_of(self, assignment) -> list[cst.Name]:
        """The Name nodes reading a binding, in file order."""
        nodes = [r.node for r in assignment.references if isinstance(r.node, cst.Name)]
        return sorted(nodes, key=lambda n: (self.line(n), self.column(n)))

    def binds_globally(self, name: str) -> bool:
        return name in self.globals.assignments or name in self.globals.accesses

    def name_is_free(self, name: str) -> bool:
        """No binding or read of `name` anywhere in the module (any scope)."""
        return not re.search(rb"\b" + re.escape(name.encode()) + rb"\b", self.source)

    def qualified(self, node: cst.CSTNode) -> str | None:
        """The one qualified name a Name/Attribute refers to through imports, or None."""
        scope = self.scopes.get(node)
        if scope is None:
            return None
        names = scope.get_qualified_names_for(node)
        if not names or any(n.source is QualifiedNameSource.LOCAL for n in names):
            return None
        distinct = {n.name for n in names}
        return distinct.pop() if len(distinct) == 1 else None

    def statement_index(self, node: cst.CSTNode) -> int:
        return self.where[id(node)].statement

    def names_in(self, node: cst.CSTNode) -> Iterator[cst.Name]:
        for child in walk(node):
            if isinstance(child, cst.Name):
                yield child


def is_main_guard(statement: cst.BaseStatement) -> bool:
    """`if __name__ == '__main__':` (either side)."""
    return (
        isinstance(statement, cst.If)
        and statement.orelse is None
        and is_main_test(statement.test)
    )


def string_value(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def with_string(node: cst.SimpleString, value: str) -> cst.SimpleString:
    """The same literal (prefix and quotes kept) holding `value` (plain identifier text)."""
    prefix = "".join(c for c in node.prefix)
    quote = node.quote
    return node.with_changes(value=f"{prefix}{quote}{value}{quote}")


def bound_names(statement: cst.CSTNode) -> set[str]:
    """Names a statement binds in its own scope (targets, imports, defs, for/with/except
    targets); names bound inside functions and classes it defines are not included."""
    names: set[str] = set()

    def targets(node: cst.CSTNode | None) -> None:
        if node is None:
            return
        if isinstance(node, cst.Name):
            names.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                targets(element.value)
        elif isinstance(node, cst.StarredElement):
            targets(node.value)

    def visit(node: cst.CSTNode) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            names.add(node.name.value)
            return
        if isinstance(node, cst.Lambda):
            return
        if isinstance(node, cst.Assign):
            for target in node.targets:
                targets(target.target)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
            targets(node.target)
        elif isinstance(node, (cst.For,)):
            targets(node.target)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            targets(node.asname.name)
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            targets(node.name.name)
        elif isinstance(node, cst.NamedExpr):
            targets(node.target)
        elif isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(
            node.names, cst.ImportStar
        ):
            for alias in node.names:
                if alias.asname is not None:
                    targets(alias.asname.name)
                else:
                    names.add(cst.helpers.get_full_name_for_node(alias.name).split(".")[0])
        for child in node.children:
            visit(child)

    visit(statement)
    return names


def strip_blank_lines(statement: cst.BaseStatement) -> cst.BaseStatement:
    """The statement without the blank lines before it (comments are kept)."""
    lines = [line for line in statement.leading_lines if line.comment is not None]
    return statement.with_changes(leading_lines=lines)


def with_blank_lines(statement: cst.BaseStatement, count: int) -> cst.BaseStatement:
    comments = [line for line in statement.leading_lines if line.comment is not None]
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * count + comments)


def parse_statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code)


def first_import_block_end(body: Sequence[cst.BaseStatement]) -> int:
    """Index just after the module's leading docstring, `__future__` and import lines."""
    index = 0
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            return index
        if not all(
            isinstance(small, (cst.Import, cst.ImportFrom))
            or (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString))
            for small in statement.body
        ):
            return index
    return len(body)


def unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))


class _Replacer(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, object]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        return self.replacements.get(id(original_node), updated_node)


def replace_nodes(module: cst.Module, replacements) -> cst.Module:
    """The module with nodes swapped by identity (a value may be a FlattenSentinel or
    RemovalSentinel where the node is a statement)."""
    by_id = {id(old): new for old, new in replacements.items()}
    return module.visit(_Replacer(by_id)) if by_id else module


def app_root(app: AppObject) -> str:
    """The folder the app's top-level package (or module) lives in: the import root."""
    folder = os.path.dirname(app.path)
    levels = app.module.count(".") + (os.path.basename(app.path) == "__init__.py")
    for _ in range(levels):
        folder = os.path.dirname(folder)
    return folder


def other_roots(index: ProjectIndex, app: AppObject) -> list[str]:
    """Import roots of the project's other apps, nested below this app's root."""
    mine = app_root(app)
    roots = []
    for other in index.apps:
        root = app_root(other)
        if other is not app and root != mine and under(root, mine):
            roots.append(root)
    return roots


def under(path: str, folder: str) -> bool:
    folder = os.path.normpath(folder)
    path = os.path.normpath(path)
    if folder in ("", "."):
        return not os.path.isabs(path)
    return path == folder or path.startswith(folder + os.sep)


#: what test code imports: a module importing one of them and defining tests is test code
#: (Flask-Testing's TestCase is a unittest case whose `create_app` method builds the app)
TEST_PACKAGES = ("unittest", "pytest", "flask_testing")


def is_test_module(path: str, view: ModuleView | None = None) -> bool:
    """Test code, whose apps are test scaffolding (apps that tests load by their
    module-level name, like Flask's own `tests/test_apps`): pytest's and unittest's file
    names (`test_*.py`, `*_test.py`, `*_tests.py`, `conftest.py`), any module under a
    `tests` or `test` folder of the project, or a module importing unittest, pytest or
    Flask-Testing that defines tests (old tutorials keep theirs in `tests.py` or
    `flaskr_tests.py`; flask-basic-registration its base test case in `project/util.py`):
    a `test_*` function or a `Test*`/`*TestCase`/`*Tests` class. A manage.py importing
    unittest to run the suite (`TestLoader().discover('tests')`) is not one."""
    name = os.path.basename(path)
    if (
        name.startswith("test")
        or name.endswith(("_test.py", "_tests.py"))
        or name == "conftest.py"
        or any(f in ("tests", "test") for f in _folders_in_project(path))
    ):
        return True
    if view is None:
        return False
    imports = defines = False
    for node in walk(view.module):
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            imports = imports or any(p in TEST_PACKAGES for p in _imported_packages(node))
        elif isinstance(node, cst.FunctionDef):
            defines = defines or node.name.value.startswith("test_")
        elif isinstance(node, cst.ClassDef):
            name = node.name.value
            defines = defines or name.startswith("Test") or name.endswith(TEST_CLASS_ENDINGS)
        if imports and defines:  # what pytest or unittest would collect from it
            return True
    return False


TEST_CLASS_ENDINGS = ("TestCase", "Tests", "Test")


def _imported_packages(node: cst.Import | cst.ImportFrom) -> list[str]:
    """The top-level packages an import statement imports from (none when relative)."""
    if isinstance(node, cst.Import):
        names = [get_full_name_for_node(alias.name) for alias in node.names]
    elif node.relative or node.module is None:
        return []
    else:
        names = [get_full_name_for_node(node.module)]
    return [name.partition(".")[0] for name in names if name]


def _folders_in_project(path: str) -> list[str]:
    """The folders of `path` below its project root (the nearest folder holding
    pyproject.toml, setup.py, setup.cfg or .git), so that a project kept in, say,
    /srv/test/ is not all tests, wherever flask-fix runs from; without a root, the
    folders below the current folder."""
    root = project_root(path)
    if root is not None:
        relative = os.path.relpath(os.path.abspath(path), root)
    else:
        relative = os.path.relpath(path) if os.path.isabs(path) else path
    if relative.startswith(".."):
        return []
    return os.path.normpath(relative).split(os.sep)[:-1]
