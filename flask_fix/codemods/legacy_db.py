"""Where a project relies on Flask-SQLAlchemy 2.x's remembered app.

Before 3.0, `db = SQLAlchemy(app)` keeps the app, and `db.session`, `db.create_all()`,
`Model.query`... fall back on it outside an application context. The app factory (FLK201)
splits the constructor (`db = SQLAlchemy()`, `db.init_app(app)` in `create_app`), so
code that used the database outside a context raises "No application found" afterwards.

`uses_outside_context(tree, module, names, models)` finds such uses, read with `ast`, in
the places that run without a context: the statements a module runs when imported or run
as a script (its `__main__` block included), and, in test code, test functions too. A use
lexically inside `with x.app_context():` (or `test_request_context()`) is inside one; a
module that pushes a context for good (`ctx.push()`) or from a fixture (`yield` inside
such a `with`) is taken to run its tests inside it.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator

from ..project import ProjectIndex, absolute_module

# methods whose result is a context pushed by `with`
CONTEXT_METHODS = frozenset({"app_context", "test_request_context", "request_context"})
# db attributes that need an app (Flask-SQLAlchemy 2.5's get_app)
DB_USES = frozenset(
    {"session", "engine", "create_all", "drop_all", "reflect", "get_engine", "get_app",
     "get_binds", "get_tables_for_bind", "engines"}
)  # fmt: skip


# attributes that need the app only when used further (`db.session.add(...)`)
USED_THROUGH = frozenset({"session"})
# words a module using a database outside a context has in its text
_WORDS = (b"query", *(use.encode() for use in sorted(DB_USES)))


def may_fall_back(index: ProjectIndex) -> bool:
    """Whether the project has a db built with its app and may run Flask-SQLAlchemy
    before 3.0 (its requirements allow it, or declare none)."""
    from .. import pins

    version = index.flask_sqlalchemy_version
    if version is not None and pins.at_least(version, (3,)):
        return False
    return bool(index.contexts.sqlalchemy_given_app)


def fallback_uses(
    index: ProjectIndex,
    read: Callable[[str], bytes],
    in_scope: Callable[[str], bool] | None = None,
    databases: frozenset[str] | None = None,
) -> list[tuple[str, int, str, str]]:
    """(path, line, code, the path of the module defining the database or model used;
    '' when unknown) of every use of a database built with the app (`databases`;
    all of them by default) or of its models' `.query`, outside an application context,
    in the project's modules (those `in_scope`): import-time code everywhere, test
    functions in test code. Only modules whose text names a module holding one of them
    and a database word are parsed."""
    from .factory_plan import is_test_module

    if databases is None:
        databases = index.contexts.sqlalchemy_given_app
    models = index.contexts.models_given_app
    holders = {name.rpartition(".")[0] for name in databases | models}
    needles = {
        part.encode() for holder in holders for part in holder.split(".") if part
    }
    trees: dict[str, ast.Module] = {}
    for path in sorted(index.modules):
        if in_scope is not None and not in_scope(path):
            continue
        try:
            text = read(path)
        except OSError:
            continue
        if not any(n in text for n in needles):
            continue
        if (
            not any(w in text for w in _WORDS)
            and os.path.basename(path) != "conftest.py"
        ):
            continue  # (a conftest.py may push the context its tests run in)
        try:
            trees[path] = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
    tests = [p for p in trees if is_test_module(p)]
    # a conftest.py fixture yielding inside a context runs every test inside it
    fixture = any(
        pushes_context(trees[p]) for p in tests if os.path.basename(p) == "conftest.py"
    )
    defined_in = {module: path for path, module in index.modules.items()}
    found = []
    for path, tree in trees.items():
        test = path in tests
        if test and (fixture or pushes_context(tree)):
            continue
        module = index.modules.get(path, "")
        is_package = os.path.basename(path) == "__init__.py"
        for line, code, used in uses_outside_context(
            tree, module, is_package, databases, models, functions_too=test
        ):
            found.append(
                (path, line, code, defined_in.get(used.rpartition(".")[0], ""))
            )
    return found


def under(path: str, folder: str) -> bool:
    """`path` is in `folder` ('' being the current folder, holding every relative path)."""
    folder, path = os.path.normpath(folder), os.path.normpath(path)
    if folder in ("", "."):
        return not os.path.isabs(path)
    return path == folder or path.startswith(folder + os.sep)


def pushes_context(tree: ast.Module) -> bool:
    """A context pushed outside a plain `with` block: `.push()` called anywhere, or a
    fixture yielding inside `with app.app_context():`."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "push"
            and not node.args
        ):
            return True
        if (
            isinstance(node, (ast.With, ast.AsyncWith))
            and _is_context(node)
            and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node))
        ):
            return True
    return False


def uses_outside_context(
    tree: ast.Module,
    module: str,
    is_package: bool,
    databases: frozenset[str],
    models: frozenset[str],
    *,
    functions_too: bool,
) -> Iterator[tuple[int, str, str]]:
    """(line, code, the qualified name used) of each use of a database (qualified names
    in `databases`) or of a model's `.query` (`models`) outside an application context,
    at import time (and in function bodies when `functions_too`: test code)."""
    package = module if is_package else module.rpartition(".")[0]
    # the module's own databases and models, then what it imports
    bound = {
        name.rpartition(".")[2]: name
        for name in databases | models
        if name.rpartition(".")[0] == module
    }
    bound.update(_imported_names(tree, package))
    db_locals = {local for local, target in bound.items() if target in databases}
    model_locals = {local for local, target in bound.items() if target in models}
    module_locals = {
        local: target for local, target in bound.items() if target not in databases
    }

    def database(node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id in db_locals:
            return bound[node.id]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = module_locals.get(node.value.id)
            if target is not None and f"{target}.{node.attr}" in databases:
                return f"{target}.{node.attr}"
        return None

    def visit(node: ast.AST, nested: bool) -> Iterator[tuple[int, str, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.With, ast.AsyncWith)) and _is_context(child):
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if not functions_too:
                    continue
                yield from visit(child, True)
                continue
            if isinstance(child, ast.ClassDef):
                yield from visit(child, nested)
                continue
            if isinstance(child, ast.Attribute):
                used = database(child.value) if child.attr in DB_USES else None
                if (
                    used is not None
                    and child.attr in USED_THROUGH
                    and not _used_further(node, child)
                ):
                    used = None  # `db.session` handed on: the session needs the app when used
                if used is not None:
                    yield child.lineno, ast.unparse(child), used
                    continue
                if (
                    child.attr == "query"
                    and isinstance(child.value, ast.Name)
                    and child.value.id in model_locals
                ):
                    yield child.lineno, ast.unparse(child), bound[child.value.id]
                    continue
            yield from visit(child, nested)

    yield from visit(tree, False)


def _used_further(parent: ast.AST, node: ast.expr) -> bool:
    """`node` is read from (`node.x`) or called (`node()`)."""
    return (isinstance(parent, ast.Attribute) and parent.value is node) or (
        isinstance(parent, ast.Call) and parent.func is node
    )


def _is_context(node: ast.With | ast.AsyncWith) -> bool:
    return any(
        isinstance(item.context_expr, ast.Call)
        and isinstance(item.context_expr.func, ast.Attribute)
        and item.context_expr.func.attr in CONTEXT_METHODS
        for item in node.items
    )


def _imported_names(tree: ast.Module, package: str) -> dict[str, str]:
    """local name -> the qualified name it is imported as (`from shop import db as d` ->
    d: shop.db; `import shop.models as m` -> m: shop.models), at any depth."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    bound[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(node.module, node.level, package)
            if base is None:
                continue
            for alias in node.names:
                if alias.name != "*":
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    return bound

