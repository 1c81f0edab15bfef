"""FLK304 test-outside-app-context."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from textwrap import dedent

import libcst as cst

from ..model import FixLevel
from ..index.contextfacts import CONTEXT_TEST_CASES, UNITTEST_CASES
from ..index.project import ProjectIndex
from ..index.testcode import FIXTURES, is_test_path
from ..rewrite.base import Example, Fix
from ..rewrite.contexts import APP, APP_CONTEXT_ERROR, FSA2_NO_APP_ERROR, NONE, ContextWalker, Use, spelled
from ..rewrite.flask_config import CURRENT_APP, FlaskConfigRule
from ..rewrite.imports import is_docstring
from ..rewrite.names import qualified_name
from ..rewrite.nodes import descendants

# methods unittest runs around every test (a context pushed in setUp covers them)
CLASS_HOOKS = ("setUpClass", "tearDownClass")
CONTEXT_ATTRIBUTES = ("app_context", "app_ctx", "_app_context")

WHY = (
    "Flask-SQLAlchemy before 3.0 found the app through `SQLAlchemy(app)` outside a "
    f'context; from 3.0 on it raises "RuntimeError: {APP_CONTEXT_ERROR}"'
)


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


def _why(use: Use) -> str:
    if use.kind in ("database", "engine"):
        if use.legacy_db == "bound":
            return WHY
        if use.legacy_db == "unbound":
            return (
                f'it raises "RuntimeError: {FSA2_NO_APP_ERROR}" before Flask-SQLAlchemy 3.0 '
                f'and "RuntimeError: {APP_CONTEXT_ERROR}" from 3.0 on'
            )
        return f'Flask-SQLAlchemy raises "RuntimeError: {APP_CONTEXT_ERROR}"'
    return f'it raises "RuntimeError: {APP_CONTEXT_ERROR}" on every release'


@dataclass
class _Found:
    """The first use outside a context in a function, and the body statement holding it."""

    use: Use
    statement: int


class OutsideAppContextInTests(FlaskConfigRule):
    """
    What it does:
        Finds test code that needs an application context and has none: a unittest
        `TestCase`'s methods (`setUp`, `setUpClass`, `tearDown`, the tests and the helper
        methods they call), pytest fixtures and tests, using Flask-SQLAlchemy's
        `db.session`, `Model.query`, `db.create_all()`, `db.drop_all()`, `db.engine`,
        or `current_app`, `g`, `url_for(...)`, `render_template(...)`, `jsonify(...)`,
        directly or in a function of the module they call. Pushes an application
        context for them: `self.app_context = app.app_context()` and
        `self.app_context.push()` in `setUp` (in `setUpClass` on `cls` when that is where
        the database is first used), `self.app_context.pop()` at the end of `tearDown`
        (both methods created when missing); a pytest fixture or test runs the rest of
        its body inside `with app.app_context():`, a fixture that returned its value
        yields it there instead.

    Why is this bad?:
        Flask-SQLAlchemy before 3.0 kept the app given to `SQLAlchemy(app)` and fell back
        on it outside an application context, so legacy suites call `db.create_all()` in
        `setUp` with no context. From 3.0 the session and the engines live in the app
        context: every such test fails with "RuntimeError: Working outside of application
        context.". `current_app`, `g` and the helpers calling them need a context on
        every release.

    Example:
        class BlogTestCase(unittest.TestCase):
            def setUp(self):
                db.create_all()

            def tearDown(self):
                db.session.remove()
                db.drop_all()

    Use instead:
        class BlogTestCase(unittest.TestCase):
            def setUp(self):
                self.app_context = app.app_context()
                self.app_context.push()
                db.create_all()

            def tearDown(self):
                db.session.remove()
                db.drop_all()
                self.app_context.pop()

    Fix safety:
        Safe: pushing an application context around a test works on every Flask and
        Flask-SQLAlchemy release, and the code that ran without one ran against the same
        app. The app is the one `setUp` stores (`self.app = create_app('testing')`, the
        context pushed right after that line) or keeps in a local, a pytest fixture
        parameter named `app`, or the one app the test module imports or creates at
        module level; with none (or several) the finding is a report. Nothing is
        changed where a context is already pushed: Flask-Testing's `TestCase` (it pushes
        `self.app.test_request_context()` before `setUp`), a class or function calling
        `.push()`, code inside `with app.app_context():` or `with
        app.test_request_context():`, a module pushing one at import time, tests under a
        `conftest.py` that pushes one, a test taking a fixture of the module that does.
        Module-level helpers that are not tests stay as they are (the tests calling them
        get the context), so do a `db` that is not a Flask-SQLAlchemy object and a local
        named `current_app`. A subclass of a project test class defined in another
        module that uses the database itself is only reported (its base gets the
        context); a `tearDown` that returns early, and a fixture returning in several
        places, are reported.
    """

    code = "FLK304"
    name = "test-outside-app-context"
    fix_level = FixLevel.SAFE
    summary = "Push an application context in tests that use the database or `current_app`."
    skip_tests = False
    triggers = (
        b"create_all", b"drop_all", b".session", b".query", b".engine", b"current_app",
        b"url_for", b"render_template", b"jsonify", b"g.",
    )  # fmt: skip
    required_words = (b"test",)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A class with a base, or a function named test* or decorated."""
        return bool(module.all(ast.ClassDef)) or any(
            f.name.startswith("test") or f.decorator_list for f in module.all(ast.FunctionDef)
        )

    valid = (
        # the context is pushed in setUp already
        _code("""
            import unittest
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            class ModelTest(unittest.TestCase):
                def setUp(self):
                    self.ctx = app.app_context()
                    self.ctx.push()
                    db.create_all()

                def tearDown(self):
                    db.drop_all()
                    self.ctx.pop()
        """),
        # inside `with app.app_context():` and `with app.test_request_context():`
        _code("""
            import unittest
            from flask import Flask, current_app
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            class ModelTest(unittest.TestCase):
                def setUp(self):
                    with app.app_context():
                        db.create_all()

                def test_name(self):
                    with app.test_request_context():
                        self.assertEqual(current_app.name, __name__)
        """),
        # Flask-Testing's TestCase pushes a request context around every test
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy
            from flask_testing import TestCase

            app = Flask(__name__)
            db = SQLAlchemy(app)

            class ModelTest(TestCase):
                def create_app(self):
                    return app

                def setUp(self):
                    db.create_all()
        """),
        # only the test client: it pushes what each request needs
        _code("""
            import unittest
            from flask import Flask

            app = Flask(__name__)

            class PageTest(unittest.TestCase):
                def test_index(self):
                    self.assertEqual(app.test_client().get("/").status_code, 404)
        """),
        # a helper that is not a test, another library's `db`, a local `current_app`
        _code("""
            import sqlite3
            import unittest
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            def add_user(name):
                db.session.add(name)

            class StoreTest(unittest.TestCase):
                def test_store(self):
                    db = sqlite3.connect(":memory:")
                    db.create_all = None
                    current_app = object()
                    self.assertIsNotNone(current_app)
        """),
        # a pytest fixture yielding inside a context, and a test using it
        _code("""
            import pytest
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)

            @pytest.fixture
            def database():
                with app.app_context():
                    db.create_all()
                    yield db

            def test_count(database):
                assert db.session.query(1).scalar() == 1
        """),
    )
    invalid = (
        # the app imported by the module; tearDown created
        Example(
            _code("""
                import unittest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class BlogTestCase(unittest.TestCase):
                    def setUp(self):
                        app.config["TESTING"] = True
                        db.create_all()

                    def test_empty(self):
                        self.assertEqual(db.session.query(1).scalar(), 1)
            """),
            _code("""
                import unittest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class BlogTestCase(unittest.TestCase):
                    def setUp(self):
                        self.app_context = app.app_context()
                        self.app_context.push()
                        app.config["TESTING"] = True
                        db.create_all()

                    def tearDown(self):
                        self.app_context.pop()

                    def test_empty(self):
                        self.assertEqual(db.session.query(1).scalar(), 1)
            """),
        ),
        # the app made in setUp: the context is pushed after it; popped after drop_all
        Example(
            _code("""
                import unittest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()

                def create_app(config=None):
                    app = Flask(__name__)
                    db.init_app(app)
                    return app

                class ApiTest(unittest.TestCase):
                    def setUp(self):
                        self.app = create_app("testing")
                        db.create_all()
                        self.client = self.app.test_client()

                    def tearDown(self):
                        db.session.remove()
                        db.drop_all()
            """),
            _code("""
                import unittest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()

                def create_app(config=None):
                    app = Flask(__name__)
                    db.init_app(app)
                    return app

                class ApiTest(unittest.TestCase):
                    def setUp(self):
                        self.app = create_app("testing")
                        self.app_context = self.app.app_context()
                        self.app_context.push()
                        db.create_all()
                        self.client = self.app.test_client()

                    def tearDown(self):
                        db.session.remove()
                        db.drop_all()
                        self.app_context.pop()
            """),
        ),
        # uses only in the tests (and through a helper of the module): setUp created
        Example(
            _code("""
                import unittest
                from flask import Flask, current_app
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                def users():
                    return User.query.all()

                class UserTest(unittest.TestCase):
                    \"\"\"Users.\"\"\"

                    def test_none(self):
                        self.assertEqual(users(), [])

                    def test_name(self):
                        self.assertEqual(current_app.name, __name__)
            """),
            _code("""
                import unittest
                from flask import Flask, current_app
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class User(db.Model):
                    id = db.Column(db.Integer, primary_key=True)

                def users():
                    return User.query.all()

                class UserTest(unittest.TestCase):
                    \"\"\"Users.\"\"\"

                    def setUp(self):
                        self.app_context = app.app_context()
                        self.app_context.push()

                    def tearDown(self):
                        self.app_context.pop()

                    def test_none(self):
                        self.assertEqual(users(), [])

                    def test_name(self):
                        self.assertEqual(current_app.name, __name__)
            """),
        ),
        # setUpClass: pushed on the class, popped in tearDownClass
        Example(
            _code("""
                import unittest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class SchemaTest(unittest.TestCase):
                    @classmethod
                    def setUpClass(cls):
                        db.create_all()

                    def test_tables(self):
                        self.assertTrue(db.engine)
            """),
            _code("""
                import unittest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                class SchemaTest(unittest.TestCase):
                    @classmethod
                    def setUpClass(cls):
                        cls.app_context = app.app_context()
                        cls.app_context.push()
                        db.create_all()

                    @classmethod
                    def tearDownClass(cls):
                        cls.app_context.pop()

                    def test_tables(self):
                        self.assertTrue(db.engine)
            """),
        ),
        # pytest: a fixture yields inside the context; a test gets its own block
        Example(
            _code("""
                import pytest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                @pytest.fixture
                def client():
                    app.config["TESTING"] = True
                    db.create_all()
                    return app.test_client()

                def test_rows():
                    assert db.session.query(1).scalar() == 1
            """),
            _code("""
                import pytest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)

                @pytest.fixture
                def client():
                    app.config["TESTING"] = True
                    with app.app_context():
                        db.create_all()
                        yield app.test_client()

                def test_rows():
                    with app.app_context():
                        assert db.session.query(1).scalar() == 1
            """),
        ),
        # a fixture taking the `app` fixture, already a generator
        Example(
            _code("""
                import pytest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()

                @pytest.fixture
                def database(app):
                    db.create_all()
                    yield db
                    db.drop_all()
            """),
            _code("""
                import pytest
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()

                @pytest.fixture
                def database(app):
                    with app.app_context():
                        db.create_all()
                        yield db
                        db.drop_all()
            """),
        ),
        # no app to push a context from: reported
        Example(
            _code("""
                import unittest
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()

                class ModelTest(unittest.TestCase):
                    def setUp(self):
                        db.create_all()
            """),
        ),
    )

    # the traversal: everything is decided on the whole module

    def leave_Module(self, original_node: cst.Module) -> None:
        self._module = original_node
        super().leave_Module(original_node)

    def finish(self) -> None:
        module = self._module
        if self._conftest_pushes():
            return
        walker = ContextWalker(self)
        walker.statements(module.body, NONE)
        if walker.pushed >= APP:  # `app.app_context().push()` at import time
            return
        self._walker_names = dict(walker.context_names)
        pytest_module = is_test_path(self.context.path) or self._imports_pytest(module)
        classes = {
            s.name.value: s for s in module.body if isinstance(s, cst.ClassDef)
        }
        self._fixed_classes: set[str] = set()
        for statement in module.body:
            if isinstance(statement, cst.ClassDef):
                self._check_class(statement, classes)
        if not pytest_module:
            return
        functions = [s for s in module.body if isinstance(s, cst.FunctionDef)]
        fixtures = {f.name.value: f for f in functions if self._is_fixture(f)}
        # a fixture pushing a context (or given one that does) covers what takes it
        pushing = {name for name, f in fixtures.items() if self._pushes(f)}
        everywhere = any(self._autouse(fixtures[name]) for name in pushing)
        checked: set[str] = set()
        while not everywhere:
            ready = [
                name
                for name, f in fixtures.items()
                if name not in pushing | checked and not (_params(f) & set(fixtures)) - pushing - checked - {name}
            ] or [n for n in fixtures if n not in pushing | checked][:1]
            if not ready:
                break
            for name in ready:
                function = fixtures[name]
                if _params(function) & pushing or self._check_function(function, fixture=True):
                    pushing.add(name)
                    everywhere = everywhere or self._autouse(function)
                else:
                    checked.add(name)
        if everywhere:
            return
        for function in functions:
            if not self._is_fixture(function) and function.name.value.startswith("test"):
                if _params(function) & pushing or self._pushes(function):
                    continue
                self._check_function(function, fixture=False)

    def _conftest_pushes(self) -> bool:
        """A conftest.py in this module's folder or above pushes a context (`.push()`, or
        a fixture yielding inside `with app.app_context():`)."""
        index = self.context.index
        folder = os.path.dirname(os.path.abspath(self.context.path))
        for path, reads in index.database_reads.items():
            if os.path.basename(path) != "conftest.py" or not reads.test_context:
                continue
            if path == self.context.path:
                continue
            where = os.path.dirname(os.path.abspath(path))
            if folder == where or folder.startswith(where + os.sep):
                return True
        return False

    def _imports_pytest(self, module: cst.Module) -> bool:
        for statement in module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import) and any(
                        spelled(a.name).partition(".")[0] == "pytest" for a in small.names
                    ):
                        return True
                    if isinstance(small, cst.ImportFrom) and small.module is not None:
                        if spelled(small.module).partition(".")[0] == "pytest":
                            return True
        return False

    # unittest

    def _class_kind(self, node: cst.ClassDef, classes: dict[str, cst.ClassDef], depth: int = 0) -> str | None:
        """'plain' (a unittest TestCase pushing no context), 'pushes' (Flask-Testing's,
        or a base of this module that pushes one or gets one here), 'elsewhere' (a
        subclass of a project test class of another module), or None: not a test class."""
        contexts = self.context.index.contexts
        kinds = []
        for base in node.bases:
            name = qualified_name(self, base.value)
            absolute = self.absolute(name) if name is not None else None
            if absolute in CONTEXT_TEST_CASES or absolute in contexts.context_test_classes:
                return "pushes"
            if absolute in UNITTEST_CASES:
                kinds.append("plain")
            elif absolute in contexts.test_classes:
                kinds.append(self._elsewhere(absolute))
            elif isinstance(base.value, cst.Name) and base.value.value in classes and depth < 16:
                local = classes[base.value.value]
                if local is node:
                    continue
                kind = self._class_kind(local, classes, depth + 1)
                if kind is None:
                    continue
                if kind == "plain" and (
                    local.name.value in self._fixed_classes or _calls_push(local)
                ):
                    return "pushes"
                kinds.append("local" if kind == "plain" else kind)
        for kind in ("pushes", "elsewhere", "local", "plain"):
            if kind in kinds:
                return kind
        return None

    def _elsewhere(self, qualified: str) -> str:
        """A project test class of another module: 'pushes' when that module pushes a
        context, 'local' (handled as a base of this module that needs nothing) when its
        functions use no database outside a context, else 'elsewhere'."""
        index = self.context.index
        module = qualified.rpartition(".")[0]
        paths = [p for p, m in index.modules.items() if m == module]
        if len(paths) != 1:
            return "elsewhere"
        reads = index.database_reads.get(paths[0])
        if reads is None:
            return "local"
        if reads.test_context:
            return "pushes"
        return "elsewhere" if any(r.in_function for r in reads.reads) else "local"

    def _check_class(self, node: cst.ClassDef, classes: dict[str, cst.ClassDef]) -> None:
        kind = self._class_kind(node, classes)
        if kind is None or kind == "pushes" or _calls_push(node):
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        methods = {
            s.name.value: s for s in node.body.body if isinstance(s, cst.FunctionDef)
        }
        class_found: _Found | None = None
        instance_found: list[tuple[str, _Found]] = []
        for name, method in methods.items():
            decorators = {qualified_name(self, d.decorator) for d in method.decorators}
            if "builtins.staticmethod" in decorators:
                continue
            found = self._first_use(method)
            if found is None:
                continue
            if "builtins.classmethod" in decorators:
                if name in CLASS_HOOKS and class_found is None and name == "setUpClass":
                    class_found = found
                continue
            instance_found.append((name, found))
        if class_found is None and not instance_found:
            return
        if kind == "elsewhere":
            use = (class_found or instance_found[0][1]).use
            self.report(
                use.node,
                f"`{use.name}` runs in a test with no application context pushed: "
                f"{_why(use)}; push `app.app_context()` in `setUp` (here or in the base "
                "class of another module, which flask-fix checks on its own) and pop it "
                "in `tearDown`",
            )
            return
        if class_found is not None:
            self._fix_class(node, methods, "setUpClass", "tearDownClass", class_found, kind)
        else:
            setup = instance_found[0][1] if instance_found[0][0] == "setUp" else None
            first = next((f for n, f in instance_found if n == "setUp"), instance_found[0][1])
            self._fix_class(node, methods, "setUp", "tearDown", setup or first, kind)

    def _fix_class(
        self,
        node: cst.ClassDef,
        methods: dict[str, cst.FunctionDef],
        setup_name: str,
        teardown_name: str,
        found: _Found,
        kind: str,
    ) -> None:
        use = found.use
        on_class = setup_name == "setUpClass"
        where = f"`{setup_name}`" if setup_name in methods else "a test"
        message = (
            f"`{use.name}` runs in {where} with no application context pushed: {_why(use)}; "
            f"push `app.app_context()` in `{setup_name}` and pop it in `{teardown_name}`"
        )
        setup = methods.get(setup_name)
        teardown = methods.get(teardown_name)
        owner = "cls" if on_class else "self"
        if setup is not None:
            params = setup.params.params
            if not params or not isinstance(setup.body, cst.IndentedBlock):
                self.report(use.node, message)
                return
            owner = params[0].name.value
        if teardown is not None:
            params = teardown.params.params
            if (
                not params
                or params[0].name.value != owner
                or not isinstance(teardown.body, cst.IndentedBlock)
                or _returns(teardown)
            ):
                self.report(use.node, message + " (the `tearDown` found cannot be extended)")
                return
        # which app, and where in setUp its context can be pushed
        app, position = None, 0
        if setup is not None:
            body = list(setup.body.body)
            position = _after_preamble(body, self)
            for number, statement in enumerate(body):
                stored = self._app_stored(statement, owner)
                if stored is not None:
                    app, position = stored, number + 1
                    break
            if app is not None and setup_name in methods and found is not None:
                first = self._first_use(setup)
                if first is not None and first.statement < position:
                    self.report(use.node, message + " (it is used before the app is made)")
                    return
        imports: tuple = ()
        if app is None:
            app = self._module_app(node)
        if app is None:
            app, imports = self._app_of_database(use, node)
            if app is None:
                self.report(
                    use.node,
                    message + " (flask-fix found no single app for it: `self.app = "
                    "create_app(...)` in setUp, one app the module imports or creates, or "
                    "the app of the module defining the database)",
                )
                return
        attribute = next(
            (a for a in CONTEXT_ATTRIBUTES if not _uses_attribute(node, a)), None
        )
        if attribute is None:
            self.report(use.node, message)
            return
        push = [
            cst.parse_statement(f"{owner}.{attribute} = {app}.app_context()\n"),
            cst.parse_statement(f"{owner}.{attribute}.push()\n"),
        ]
        pop = cst.parse_statement(f"{owner}.{attribute}.pop()\n")
        inherits = kind == "local"
        class_body = list(node.body.body)
        if setup is not None:
            body = list(setup.body.body)
            new_setup = setup.with_changes(
                body=setup.body.with_changes(body=[*body[:position], *push, *body[position:]])
            )
            class_body[class_body.index(setup)] = new_setup
            anchor = new_setup
        else:
            lines = ["super().setUp()\n"] if inherits else []
            new_setup = _method(setup_name, owner, on_class, lines, push)
            first_method = next(s for s in class_body if isinstance(s, cst.FunctionDef))
            at = class_body.index(first_method)
            new_setup = new_setup.with_changes(leading_lines=first_method.leading_lines)
            if not first_method.leading_lines:
                class_body[at] = first_method.with_changes(leading_lines=[cst.EmptyLine(indent=False)])
            class_body.insert(at, new_setup)
            anchor = new_setup
        if teardown is not None:
            body = list(teardown.body.body)
            if len(body) == 1 and _is_pass(body[0]):  # `def tearDown(self): pass`
                body = []
            class_body[class_body.index(teardown)] = teardown.with_changes(
                body=teardown.body.with_changes(body=[*body, pop])
            )
        else:
            lines = [f"super().{teardown_name}()\n"] if inherits else []
            new_teardown = _method(teardown_name, owner, on_class, lines, [pop])
            at = class_body.index(anchor) + 1
            following = class_body[at] if at < len(class_body) else None
            blank = (
                following.leading_lines
                if isinstance(following, cst.FunctionDef) and following.leading_lines
                else [cst.EmptyLine(indent=False)]
            )
            class_body.insert(at, new_teardown.with_changes(leading_lines=blank))
        new_class = node.with_changes(body=node.body.with_changes(body=class_body))
        self._fixed_classes.add(node.name.value)
        self.report(use.node, message, fix=Fix({node: new_class}, add_imports=imports))

    def _app_stored(self, statement: cst.CSTNode, owner: str) -> str | None:
        """`self.app = create_app(...)` (or an app) or `app = ...` at the top of setUp:
        the expression for the app."""
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
            return None
        small = statement.body[0]
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
            return None
        target = small.targets[0].target
        if not self.is_app(small.value):
            return None
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == owner
        ):
            return spelled(target)
        if isinstance(target, cst.Name):
            return target.value
        return None

    def _module_app(self, node: cst.CSTNode) -> str | None:
        """The one app `node` (else the module) refers to by a global name or a dotted
        name (`app`, `flasktasks.app`)."""
        for where in (node, self._module):
            found = {
                spelled(n)
                for n in _names(where)
                if not _on_self(n) and self._global_app(n)
            }
            if len(found) == 1:
                return found.pop()
            if found:
                return None
        return None

    def _app_of_database(self, use: Use, at: cst.CSTNode) -> tuple[str | None, tuple]:
        """The module-level app of the module defining the database `use` uses (the
        only one there, given to `SQLAlchemy(app)`), and the import it needs here."""
        from ..rewrite.contexts import project_name
        from ..rewrite.names import reference

        if use.kind not in ("database", "engine") or not isinstance(use.node, cst.Attribute):
            return None, ()
        database = project_name(self, use.node.value)
        index = self.context.index
        if database is None or database not in index.contexts.sqlalchemy_given_app:
            return None, ()
        module = database.rpartition(".")[0]
        apps = [a for a in index.apps if a.module == module and a.function is None]
        if len(apps) != 1:
            return None, ()
        found = reference(self, at, module, apps[0].variable)
        if found is None:
            return None, ()
        expression, imports = found
        return spelled(expression), imports

    def _global_app(self, node: cst.BaseExpression) -> bool:
        if not self.is_app(node) or self.imported_name(node) == CURRENT_APP:
            return False
        if isinstance(node, cst.Name):
            return self.imported_name(node) is not None or self._is_module_global(node)
        return True

    def _is_module_global(self, node: cst.Name) -> bool:
        from libcst.metadata import GlobalScope, ScopeProvider

        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return False
        assignments = scope[node.value]
        return bool(assignments) and all(isinstance(a.scope, GlobalScope) for a in assignments)

    # pytest

    def _is_fixture(self, function: cst.FunctionDef) -> bool:
        for decorator in function.decorators:
            target = decorator.decorator
            if isinstance(target, cst.Call):
                target = target.func
            if qualified_name(self, target) in FIXTURES:
                return True
        return False

    def _autouse(self, function: cst.FunctionDef) -> bool:
        return any(
            isinstance(d.decorator, cst.Call)
            and any(
                a.keyword is not None and a.keyword.value == "autouse" and spelled(a.value) == "True"
                for a in d.decorator.args
            )
            for d in function.decorators
        )

    def _pushes(self, function: cst.FunctionDef) -> bool:
        return _calls_push(function) or _yields_in_context(function)

    def _check_function(self, function: cst.FunctionDef, *, fixture: bool) -> bool:
        """Report (and fix) a fixture or test using what needs a context; True when
        fixed (a fixture: the tests using it run inside the context)."""
        found = self._first_use(function)
        if found is None or not isinstance(function.body, cst.IndentedBlock):
            return False
        use = found.use
        what = "fixture" if fixture else "test"
        message = (
            f"`{use.name}` runs in the {what} `{function.name.value}` with no application "
            f"context pushed: {_why(use)}; run it inside `with app.app_context():`"
            + (" and yield from there" if fixture else "")
        )
        body = list(function.body.body)
        start = found.statement
        if fixture:  # the tests run at its `yield`: inside the context too
            start = min(
                [start]
                + [n for n, s in enumerate(body) if any(isinstance(x, cst.Yield) for x in descendants(s))]
            )
        app = None
        params = [p.name.value for p in (*function.params.params, *function.params.kwonly_params)]
        if "app" in params:
            app = "app"
        else:
            for statement in body[:start]:
                stored = self._app_stored(statement, "")
                if stored is not None and "." not in stored:
                    app = stored
            if app is None:
                app = self._module_app(function)
        if app is None:
            self.report(
                use.node,
                message + " (flask-fix found no single app for it: a fixture parameter "
                "`app`, a local app, or one app the module imports or creates)",
            )
            return False
        rest = body[start:]
        if fixture and not _is_generator(function):
            returns = _top_returns(function)
            last = rest[-1]
            if returns != [last] or last.body[0].value is None:  # type: ignore[attr-defined]
                self.report(use.node, message + " (the fixture returns in several places)")
                return False
            value = last.body[0].value  # type: ignore[attr-defined]
            rest[-1] = last.with_changes(body=[cst.Expr(cst.Yield(value=value))])
        elif fixture and _top_returns(function):
            self.report(use.node, message + " (the fixture returns in several places)")
            return False
        block = cst.With(
            items=[cst.WithItem(cst.parse_expression(f"{app}.app_context()"))],
            body=cst.IndentedBlock(body=rest),
            leading_lines=rest[0].leading_lines,
        )
        rest[0] = rest[0].with_changes(leading_lines=())
        block = block.with_changes(body=cst.IndentedBlock(body=rest))
        new = function.with_changes(body=function.body.with_changes(body=[*body[:start], block]))
        self.report(use.node, message, fix=Fix({function: new}))
        return True

    # uses

    def _first_use(self, function: cst.FunctionDef) -> _Found | None:
        """The first use needing an app context with none pushed in `function`'s body
        (module functions it calls followed), and the body statement holding it."""
        if not isinstance(function.body, cst.IndentedBlock):
            walker = ContextWalker(self, follow=True)
            walker.suite(function.body, NONE)
            uses = [u for u in walker.uses if _needs_app(u)]
            return _Found(uses[0], 0) if uses else None
        walker = ContextWalker(self, follow=True)
        walker.context_names.update(self._walker_names)
        for number, statement in enumerate(function.body.body):
            walker.statement(statement, NONE)
            uses = [u for u in walker.uses if _needs_app(u)]
            if uses:
                return _Found(uses[0], number)
        return None

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        """A module with a class that may derive from a test case class, or with test
        functions or fixtures in a pytest module (index/testcode.py); one the index
        could not read (newer syntax) may hold anything."""
        return path in index.test_modules or path not in index.modules


def _params(function: cst.FunctionDef) -> set[str]:
    params = function.params
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def _needs_app(use: Use) -> bool:
    return use.needs == APP and use.outside


def _calls_push(node: cst.CSTNode) -> bool:
    """`.push()` called anywhere in `node` (`self.ctx.push()`, `app.app_context().push()`)."""
    for child in descendants(node):
        if (
            isinstance(child, cst.Call)
            and isinstance(child.func, cst.Attribute)
            and child.func.attr.value == "push"
            and not child.args
        ):
            return True
    return False


def _yields_in_context(function: cst.FunctionDef) -> bool:
    """A `yield` inside `with x.app_context():` (or a request context)."""
    for child in descendants(function):
        if isinstance(child, cst.With) and any(
            isinstance(item.item, cst.Call)
            and isinstance(item.item.func, cst.Attribute)
            and item.item.func.attr.value
            in ("app_context", "test_request_context", "request_context")
            for item in child.items
        ):
            if any(isinstance(n, cst.Yield) for n in descendants(child.body)):
                return True
    return False


def _own_nodes(function: cst.FunctionDef):
    """The nodes of `function`'s body, nested functions and classes left out."""
    stack = list(function.body.children)
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        yield current
        stack.extend(current.children)


def _returns(function: cst.FunctionDef) -> bool:
    return any(isinstance(n, cst.Return) for n in _own_nodes(function))


def _is_generator(function: cst.FunctionDef) -> bool:
    return any(isinstance(n, cst.Yield) for n in _own_nodes(function))


def _top_returns(function: cst.FunctionDef) -> list[cst.CSTNode]:
    """The body statements holding a `return` (all returns must be such to be kept)."""
    found = []
    for statement in function.body.body:  # type: ignore[union-attr]
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(s, cst.Return) for s in statement.body
        ):
            if len(statement.body) != 1:
                return [None]  # type: ignore[list-item]
            found.append(statement)
    nested = sum(1 for n in _own_nodes(function) if isinstance(n, cst.Return))
    if nested != len(found):
        return [None]  # type: ignore[list-item]
    return found


def _after_preamble(body: list[cst.BaseStatement], rule) -> int:
    """Where a push goes at the top of setUp: after a docstring and a first
    `super().setUp()` (or `Base.setUp(self)`) call."""
    position = 0
    if position < len(body) and is_docstring(body[position]):
        position += 1
    if position < len(body) and _is_super_call(body[position]):
        position += 1
    return position


def _is_pass(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Pass)
        and not statement.leading_lines
        and statement.trailing_whitespace.comment is None
    )


def _is_super_call(statement: cst.CSTNode) -> bool:
    if not (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.Call)
    ):
        return False
    func = statement.body[0].value.func
    return isinstance(func, cst.Attribute) and func.attr.value in ("setUp", "setUpClass")


def _uses_attribute(node: cst.CSTNode, attribute: str) -> bool:
    return any(isinstance(n, cst.Attribute) and n.attr.value == attribute for n in descendants(node))


def _names(node: cst.CSTNode):
    """Names and dotted names in `node` (an Attribute's own Name parts left out)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Attribute):
            if _dotted(current):
                yield current
            stack.append(current.value)
            continue
        if isinstance(current, cst.Name):
            yield current
            continue
        stack.extend(current.children)


def _dotted(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _on_self(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name) and node.value in ("self", "cls")


def _method(
    name: str, owner: str, on_class: bool, lines: list[str], statements: list[cst.BaseStatement]
) -> cst.FunctionDef:
    decorators = [cst.Decorator(cst.Name("classmethod"))] if on_class else []
    return cst.FunctionDef(
        name=cst.Name(name),
        params=cst.Parameters(params=[cst.Param(cst.Name(owner))]),
        body=cst.IndentedBlock(
            body=[*(cst.parse_statement(line) for line in lines), *statements]
        ),
        decorators=decorators,
    )
