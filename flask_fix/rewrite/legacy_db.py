"""Where a project relies on Flask-SQLAlchemy 2.x's remembered app.

Before 3.0, `db = SQLAlchemy(app)` keeps the app, and `db.session`, `db.create_all()`,
`Model.query`... fall back on it outside an application context. The app factory (FLK201)
splits the constructor (`db = SQLAlchemy()`, `db.init_app(app)` in `create_app`), so
code that used the database outside a context raises "No application found" afterwards.

`fallback_uses(index)` finds such uses in the places that run without a context: the
statements a module runs when imported or run as a script (its `__main__` block
included), and, in test code, test functions too. The scan phase records, per module and
with `ast`, the attribute reads that may be such uses (`contextfacts.DatabaseReads`);
here they are linked to the databases and models the index found. A use lexically
inside `with x.app_context():` (or `test_request_context()`) is inside one; a test
module that pushes a context for good (`ctx.push()`) or from a fixture (`yield` inside
such a `with`), or any test module when a conftest.py does, is taken to run its tests
inside it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from ..index.contextfacts import USED_THROUGH, DatabaseReads
from ..index.project import ProjectIndex


def may_fall_back(index: ProjectIndex) -> bool:
    """Whether the project has a db built with its app and may run Flask-SQLAlchemy
    before 3.0 (its requirements allow it, or declare none)."""
    from ..index import pins

    version = index.flask_sqlalchemy_version
    if version is not None and pins.at_least(version, (3,)):
        return False
    return bool(index.contexts.sqlalchemy_given_app)


def fallback_uses(
    index: ProjectIndex,
    in_scope: Callable[[str], bool] | None = None,
    databases: frozenset[str] | None = None,
) -> list[tuple[str, int, str, str]]:
    """(path, line, code, the path of the module defining the database or model used;
    '' when unknown) of every use of a database built with the app (`databases`;
    all of them by default) or of its models' `.query`, outside an application context,
    in the project's modules (those `in_scope`): import-time code everywhere, test
    functions in test code."""
    from .factory.support import is_test_module

    if databases is None:
        databases = index.contexts.sqlalchemy_given_app
    models = index.contexts.models_given_app
    recorded = {
        path: reads
        for path, reads in sorted(index.database_reads.items())
        if in_scope is None or in_scope(path)
    }
    tests = {path for path in recorded if is_test_module(path)}
    # a conftest.py fixture yielding inside a context runs every test inside it
    fixture = any(
        recorded[p].test_context for p in tests if os.path.basename(p) == "conftest.py"
    )
    defined_in = {module: path for path, module in index.modules.items()}
    found = []
    for path, reads in recorded.items():
        test = path in tests
        if test and (fixture or reads.test_context):
            continue
        module = index.modules.get(path, "")
        for line, code, used in uses_outside_context(
            reads, module, databases, models, functions_too=test,
            context_classes=index.contexts.context_test_classes,
        ):  # fmt: skip
            found.append(
                (path, line, code, defined_in.get(used.rpartition(".")[0], ""))
            )
    return found


def uses_outside_context(
    recorded: DatabaseReads,
    module: str,
    databases: frozenset[str],
    models: frozenset[str],
    *,
    functions_too: bool,
    context_classes: frozenset[str] = frozenset(),
) -> Iterator[tuple[int, str, str]]:
    """(line, code, the qualified name used) of each of a module's recorded reads that
    uses a database (qualified names in `databases`) or a model's `.query` (`models`):
    at import time, and in function bodies when `functions_too` (test code), but for
    the methods of test case classes that run inside a context (`context_classes`,
    qualified: those deriving from Flask-Testing's TestCase)."""
    # what a read's first name is: what the module imports as it, else its own
    # database or model of that name
    own = {
        name.rpartition(".")[2]: name
        for name in databases | models
        if name.rpartition(".")[0] == module
    }

    def bound(local: str) -> str | None:
        return recorded.imports.get(local, own.get(local))

    # reads inside one that is a use, or inside one left out, are not looked at
    skipped: set[int] = set()
    for number, read in enumerate(recorded.reads):
        in_context = read.owner is not None and f"{module}.{read.owner}" in context_classes
        if read.enclosing in skipped or in_context or (read.in_function and not functions_too):
            skipped.add(number)
            continue
        used = _used(read, bound(read.root), databases, models)
        if used is not None:
            skipped.add(number)
            yield read.line, read.code, used


def _used(
    read, target: str | None, databases: frozenset[str], models: frozenset[str]
) -> str | None:
    """The database or model `read` uses, given what its first name is bound to."""
    if target is None:
        return None
    if read.attr == "query":
        return target if read.middle is None and target in models else None
    if read.middle is None:
        used = target if target in databases else None
    elif target not in databases and f"{target}.{read.middle}" in databases:
        used = f"{target}.{read.middle}"
    else:
        used = None
    if used is not None and read.attr in USED_THROUGH and not read.further:
        return None  # `db.session` handed on: the session needs the app when used
    return used


def under(path: str, folder: str) -> bool:
    """`path` is in `folder` ('' being the current folder, holding every relative path)."""
    folder, path = os.path.normpath(folder), os.path.normpath(path)
    if folder in ("", "."):
        return not os.path.isabs(path)
    return path == folder or path.startswith(folder + os.sep)
