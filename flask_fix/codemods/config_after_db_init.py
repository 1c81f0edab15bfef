"""FLK503 config-after-db-init."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import PositionProvider, ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example
from ..rewrite.contexts import project_name
from ..rewrite.flask_config import ConfigWrite, FlaskConfigRule, written_values

# what Flask-SQLAlchemy 3.1's `init_app` reads (and then never again)
SQLALCHEMY_KEYS = frozenset(
    {
        "SQLALCHEMY_DATABASE_URI",
        "SQLALCHEMY_BINDS",
        "SQLALCHEMY_ENGINE_OPTIONS",
        "SQLALCHEMY_ECHO",
        "SQLALCHEMY_RECORD_QUERIES",
        "SQLALCHEMY_TRACK_MODIFICATIONS",
    }
)
DATA_KEYS = frozenset({"SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_BINDS"})
FSA_CLASSES = frozenset(
    {"flask_sqlalchemy.SQLAlchemy", "flask_sqlalchemy.extension.SQLAlchemy",
     "flask.ext.sqlalchemy.SQLAlchemy"}
)  # fmt: skip


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


class ConfigAfterDbInit(FlaskConfigRule):
    """
    What it does:
        Finds a Flask-SQLAlchemy setting (`SQLALCHEMY_DATABASE_URI`, `SQLALCHEMY_BINDS`,
        `SQLALCHEMY_ENGINE_OPTIONS`, `SQLALCHEMY_ECHO`, `SQLALCHEMY_RECORD_QUERIES`,
        `SQLALCHEMY_TRACK_MODIFICATIONS`) written to `app.config` (`config[...] =`,
        `config.update(...)`, `config.from_mapping(...)`) after `db = SQLAlchemy(app)`
        ran on that app: in another module that imports the app (a test's `setUp`
        switching to `sqlite://`), or in the same module below that line.

    Why is this bad?:
        Flask-SQLAlchemy 3.0 creates the engines inside `init_app` (which
        `SQLAlchemy(app)` calls) from the settings of that moment and never reads them
        again. Before 3.0 the engine was made on first use, so a test could still
        switch the app to a scratch database afterwards. On today's releases the later
        setting is silently ignored: the suite's `create_all()` and `drop_all()` run
        against the app's real database, and its data is lost.

    Example:
        # app.py
        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"
        db = SQLAlchemy(app)

        # tests/test_blog.py
        class BlogTest(unittest.TestCase):
            def setUp(self):
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"

    Use instead:
        # app.py: an application factory taking the test settings
        def create_app(config=None):
            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"
            app.config.update(config or {})
            db.init_app(app)
            return app

        # tests/test_blog.py
        class BlogTest(unittest.TestCase):
            def setUp(self):
                self.app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    Fix safety:
        Report only: the setting must reach the app before `init_app`, which takes an
        application factory accepting the settings (FLK201 builds one). The finding
        names the key and the module and line where the database was initialised on
        the app. Settings written before `SQLAlchemy(app)` in its own module, written
        in that module's functions, on an app whose database is created without it
        (`db.init_app(app)` in a factory), or on another object's `config`, are not
        reported. `config.from_object(...)` is not followed; `TESTING` is left out:
        Flask-SQLAlchemy 3 does not read it.
    """

    code = "FLK503"
    name = "config-after-db-init"
    fix_level = FixLevel.REPORT
    summary = "Set Flask-SQLAlchemy's settings before `SQLAlchemy(app)`, not after."
    skip_tests = False
    config_keys = SQLALCHEMY_KEYS
    triggers = (b"SQLALCHEMY_",)
    required_words = (b"SQLALCHEMY_",)
    METADATA_DEPENDENCIES = (ScopeProvider, PositionProvider)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        return any(True for _ in written_values(module, cls.config_keys))

    valid = (
        # settings before the database is made
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            app.config.update(SQLALCHEMY_TRACK_MODIFICATIONS=False)
            db = SQLAlchemy(app)
        """),
        # a factory: init_app after the settings
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()

            def create_app(config=None):
                app = Flask(__name__)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
                app.config.update(config or {})
                db.init_app(app)
                return app

            app = create_app()
            app.config["SQLALCHEMY_ECHO"] = True
        """),
        # another object's config, and a key Flask-SQLAlchemy 3 does not read
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            db = SQLAlchemy(app)
            app.config["TESTING"] = True

            class Settings:
                config = {}

            Settings.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        """),
    )
    invalid = (
        Example(
            _code("""
                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy(app)
                app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///notes.db"
                app.config.update({"SQLALCHEMY_ECHO": True})
            """),
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writes_found: list[ConfigWrite] = []

    def on_config_write(self, write: ConfigWrite) -> None:
        if write.kind in ("item", "keyword", "dict"):
            self._writes_found.append(write)

    def leave_Module(self, original_node: cst.Module) -> None:
        self._module = original_node
        super().leave_Module(original_node)

    def finish(self) -> None:
        if not self._writes_found:
            return
        index = self.context.index
        databases = index.contexts.sqlalchemy_given_app
        here = self.module_name
        own = self._own_databases()
        for write in self._writes_found:
            owner = project_name(self, write.owner) if write.owner is not None else None
            if owner is None:
                continue
            module, _, variable = owner.rpartition(".")
            if module == here and here is not None:
                statement = self._top_statement(write.node)
                made = [line for number, line, app in own if app == variable and number < statement]
                if statement is None or not made:
                    continue
                where = f"`SQLAlchemy({variable})` on line {made[0]}"
            else:
                apps = [a for a in index.apps if a.module == module and a.variable == variable and a.function is None]
                given = sorted(d for d in databases if d.rpartition(".")[0] == module)
                if len(apps) != 1 or not given:
                    continue
                where = f"`{given[0].rpartition('.')[2]} = SQLAlchemy({variable})` in {apps[0].path}"
            loss = (
                " and the suite's `create_all()`/`drop_all()` run against the app's real "
                "database: data loss"
                if write.key in DATA_KEYS
                else ""
            )
            self.report(
                write.node,
                f"`{write.key}` is set on `{variable}` after Flask-SQLAlchemy was initialised "
                f"on it ({where}): from Flask-SQLAlchemy 3.0 the engines are made in "
                f"`init_app` and this setting is silently ignored{loss}; pass it to the app "
                "before `SQLAlchemy(app)`/`init_app`, e.g. through an application factory "
                "(`create_app({...})`, FLK201)",
            )

    def _own_databases(self) -> list[tuple[int, int, str]]:
        """(statement number, line, app name) of `x = SQLAlchemy(app)` at module level."""
        found = []
        for number, statement in enumerate(self._module.body):
            if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
                continue
            small = statement.body[0]
            if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
                continue
            call = small.value
            if self.defined_name(call.func) not in FSA_CLASSES or not call.args:
                continue
            first = call.args[0]
            if first.keyword is not None and first.keyword.value != "app":
                continue
            if isinstance(first.value, cst.Name):
                line = self._line_of(number)
                found.append((number, line, first.value.value))
        return found

    def _line_of(self, number: int) -> int:
        """The 1-based line of the module's top-level statement `number`."""
        return self.get_metadata(PositionProvider, self._module.body[number]).start.line

    def _top_statement(self, node: cst.CSTNode) -> int | None:
        for number, statement in enumerate(self._module.body):
            if any(child is node for child in _walk(statement)):
                if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                    return None  # in a function of this module: when it runs is not known
                return number
        return None

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        return bool(index.contexts.sqlalchemy_given_app)


def _walk(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)
