"""FLK503 config-after-db-init."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.metadata import GlobalScope, PositionProvider, ScopeProvider

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import Example, Fix
from ..rewrite.contexts import project_name
from ..rewrite.flask_config import (
    ConfigWrite, FlaskConfigRule, is_test_path, string_value, written_values,
)
from ..rewrite.nodes import descendants, walk

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
#: `app.config.<loader>(...)` that loads settings the code does not spell out (a config
#: class, a file, the environment): after init, any Flask-SQLAlchemy setting among them
#: is ignored just the same
LOADERS = frozenset(
    {"from_object", "from_pyfile", "from_envvar", "from_file", "from_prefixed_env"}
)
#: a test module's set-up, which runs before each test: a setting written there on the
#: module's factory-made app may move into the factory call
SETUP_FUNCTIONS = frozenset({"setUp", "setUpClass", "setup_method", "setup_class", "setup_module"})
#: the key a load is filed under (ConfigWrite.kind "load")
LOADED = "<loaded>"
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
        ran on that app, or after a module-level `db.init_app(app)` (what FLK202 makes of
        it): in another module that imports the app (a test's `setUp` switching to
        `sqlite://`), or in the same module below that line (inside `if`/`with` blocks
        too). Also such a setting written on the app a project factory returned (`app =
        create_app()` or `self.app = create_app()`, then `app.config[...] = ...` below it
        in the same function or module body, or in a function of the module when `app`
        is that module-level global) when that factory hands the app to a
        Flask-SQLAlchemy object's `init_app` (`db.init_app(app)` in its body). With `--unsafe-fixes` the
        settings move into the factory call, `create_app(config={...})`, where the
        factory provably applies that mapping before `init_app`.

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
        Unsafe, and only after a factory call: the settings move into the call as a
        keyword argument (`create_app(config={"SQLALCHEMY_DATABASE_URI": "sqlite://"})`)
        and their statements are removed, so the code between the call and the old
        statements (a `db.create_all()`) now runs against the new database, which is the
        point. It is done only where the factory provably applies the mapping before
        `init_app`: its body ends `return app`, applies the parameter with
        `app.config.update(p)` or `from_mapping(p)` (or `p or {}`, alone or under `if p:`
        / `if p is not None:` / `if isinstance(p, dict):`, the factory FLK201 writes)
        before its first `x.init_app(app)`, touches `app` in
        between only through other `init_app` calls, and never rebinds `p`; the call
        does not already give `p` (by keyword or position) or `*args`/`**kwargs`; and
        every setting written on that app after the call is a statement of its own
        (`app.config["K"] = v`, `app.config.update(K=v)`, `update({"K": v})`) with a
        literal value and only Flask-SQLAlchemy keys. Otherwise it is reported: a factory
        without such a parameter is told to take one. Settings written on a module-level
        app after `SQLAlchemy(app)` are only reported: the setting must reach the app
        before `init_app`, which takes an application factory accepting the settings
        (FLK201 builds one). The finding
        names the key and the module and line where the database was initialised on
        the app. Settings written before `SQLAlchemy(app)` in its own module, written
        in that module's functions, on an app whose database is created without it
        (`db.init_app(app)` in a factory), or on another object's `config`, are not
        reported. `config.from_object(X)` after init is reported where X (a dotted string
        or an imported project class) is a class whose body, or a project base's, sets
        `SQLALCHEMY_DATABASE_URI` or `SQLALCHEMY_BINDS` (flask-basic-registration's tests
        load `project.config.TestingConfig` onto the app built with the development
        database); `from_pyfile`, `from_envvar`, `from_file` and `from_prefixed_env` after
        init are reported (what they load is not followed: any Flask-SQLAlchemy setting
        among it is ignored). A `from_object("pkg.Class")` after a factory call, in a
        test's set-up or in the `create_app` method of a Flask-Testing case, where every
        database setting of the class (its own or a base's) is a string literal, gets
        those settings passed to the call, `create_app(config={"SQLALCHEMY_DATABASE_URI":
        "sqlite://"})`, and the load stays: its other settings still reach the app after
        the extensions' `init_app`, as before (moving the whole class would let every
        extension read it at `init_app`, which none did: flask-basic-registration's
        `BCRYPT_LOG_ROUNDS = 1` then makes Flask-Bcrypt raise). A load whose database
        settings the call already passes is not reported. The other loads are not
        rewritten; `TESTING` is left out: Flask-SQLAlchemy 3 does not read it.
    """

    code = "FLK503"
    name = "config-after-db-init"
    fix_level = FixLevel.UNSAFE
    summary = "Set Flask-SQLAlchemy's settings before `SQLAlchemy(app)` or `init_app`, not after."
    skip_tests = False
    config_keys = SQLALCHEMY_KEYS
    triggers = (b"SQLALCHEMY_", b"config.from_")
    required_words = (b"config",)
    METADATA_DEPENDENCIES = (ScopeProvider, PositionProvider)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        return any(f"config.{name}(".encode() in module.source for name in LOADERS) or any(
            True for _ in written_values(module, cls.config_keys)
        )

    valid = (
        # settings before the database is made
        _code("""
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config.from_object("settings.Production")
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            app.config.update(SQLALCHEMY_TRACK_MODIFICATIONS=False)
            db = SQLAlchemy(app)
        """),
        # a factory: init_app after the settings; after the call, a key it does not read
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
            app.config["TESTING"] = True
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
        # after a module-level init_app, inside a block, and a config object loaded later
        Example(
            _code("""
                import os

                from flask import Flask
                from flask_sqlalchemy import SQLAlchemy

                app = Flask(__name__)
                db = SQLAlchemy()
                db.init_app(app)
                if os.environ.get("TESTING"):
                    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                app.config.from_object("settings.Production")
            """),
        ),
        # after a factory that applies its settings parameter before init_app
        Example(
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

                def make_test_app():
                    app = create_app()
                    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
                    app.config.update(SQLALCHEMY_ECHO=False)
                    return app
            """),
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

                def make_test_app():
                    app = create_app(config={
                        "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "SQLALCHEMY_ECHO": False,
                    })
                    return app
            """),
            unsafe=True,
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writes_found: list[ConfigWrite] = []
        self._loads: list[ConfigWrite] = []  # app.config.from_object(...) & co.

    def on_config_write(self, write: ConfigWrite) -> None:
        if write.kind in ("item", "keyword", "dict"):
            self._writes_found.append(write)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value == "config"
            and func.attr.value in LOADERS
        ):
            owner = func.value.value
            load = ConfigWrite(LOADED, node, "load", node, owner)
            self._loads.append(load)

    def leave_Module(self, original_node: cst.Module) -> None:
        self._module = original_node
        super().leave_Module(original_node)

    def finish(self) -> None:
        self._reported: set[int] = set()
        loads = [
            w for w in self._loads
            if w.owner is not None and self.is_app(w.owner) and self._may_set_database(w)
        ]
        self._writes_found.extend(loads)
        self._writes.extend(loads)
        self._after_own_database()
        self._after_factory()

    def _may_set_database(self, load: ConfigWrite) -> bool:
        """`from_object(X)` matters only where X (a dotted string or an imported project
        class) sets `SQLALCHEMY_DATABASE_URI`/`SQLALCHEMY_BINDS` in its body or a project
        base's (flask-basic-registration's tests load `project.config.TestingConfig`); an
        object the scan cannot follow is not reported. The other loaders read files or the
        environment, which the scan does not follow: always reported."""
        call = load.node
        assert isinstance(call, cst.Call)
        assert isinstance(call.func, cst.Attribute)
        if call.func.attr.value != "from_object":
            return True
        if len(call.args) != 1 or call.args[0].star:
            return False
        target = string_value(call.args[0].value)
        if not isinstance(target, str):
            target = project_name(self, call.args[0].value)
        return bool(target) and target in self.context.index.database_configs

    def _after_own_database(self) -> None:
        if not self._writes_found:
            return
        index = self.context.index
        given = index.contexts.sqlalchemy_given_app
        databases = given | index.contexts.sqlalchemy_init_at_import
        here = self.module_name
        own = self._own_databases()
        for write in self._writes_found:
            owner = project_name(self, write.owner) if write.owner is not None else None
            if owner is None:
                continue
            module, _, variable = owner.rpartition(".")
            if module == here and here is not None:
                statement = self._top_statement(write.node)
                made = [
                    (line, shown) for number, line, app, shown in own
                    if app == variable and number < statement
                ]  # fmt: skip
                if statement is None or not made:
                    continue
                where = f"`{made[0][1]}` on line {made[0][0]}"
            else:
                apps = [a for a in index.apps if a.module == module and a.variable == variable and a.function is None]
                found = sorted(d for d in databases if d.rpartition(".")[0] == module)
                if len(apps) != 1 or not found:
                    continue
                name = found[0].rpartition(".")[2]
                shown = (
                    f"{name} = SQLAlchemy({variable})"
                    if found[0] in given
                    else f"{name}.init_app({variable})"
                )
                where = f"`{shown}` in {apps[0].path}"
            loss = (
                " and the suite's `create_all()`/`drop_all()` run against the app's real "
                "database: data loss"
                if write.key in DATA_KEYS or _is_from_object(write)
                else ""
            )
            self._reported.add(id(write.node))
            self.report(
                write.node,
                f"{_what(write, variable)} after Flask-SQLAlchemy was initialised "
                f"on it ({where}): from Flask-SQLAlchemy 3.0 the engines are made in "
                f"`init_app` and {_ignored(write)}{loss}; pass {_it(write)} to the app "
                "before `SQLAlchemy(app)`/`init_app`, e.g. through an application factory "
                "(`create_app({...})`, FLK201)",
            )

    # `app = create_app()` then `app.config[...] = ...`, create_app calling db.init_app(app)

    def _after_factory(self) -> None:
        factories = self.context.index.contexts.sqlalchemy_factories
        writes = [
            w
            for w in self._writes
            if w.kind in ("item", "keyword", "dict", "load") and w.owner is not None
            and id(w.node) not in self._reported
        ]  # fmt: skip
        if not factories or not writes:
            return
        for body in _bodies(self._module):
            self._after_factory_in(body, writes, factories)
        self._after_module_factory(
            [w for w in writes if id(w.node) not in self._reported], factories
        )

    def _after_module_factory(self, writes, factories) -> None:
        """`app = create_app()` at module level (a test module's), then the settings
        written on that global `app` inside the module's functions (a `setUp`): they run
        after the call, as every use of the module's `app` does."""
        made: dict[str, list[tuple[cst.Call, str]]] = {}
        for statement in self._module.body:
            target, value = _single_assignment(statement)
            if isinstance(target, cst.Name) and isinstance(value, cst.Call):
                name = self.defined_name(value.func)
                if name in factories:
                    made.setdefault(target.value, []).append((value, name))
        if not made:
            return
        statements = {
            id(node): line
            for line in walk(self._module)
            if isinstance(line, cst.SimpleStatementLine)
            for node in walk(line)
        }  # fmt: skip
        # the function each node is in (the innermost): only a test module's set-up, or
        # the `create_app` method of a Flask-Testing test case (which the case calls
        # before each test), moves into the factory call; elsewhere the function may run
        # only sometimes
        functions: dict[int, str] = {}
        for function in walk(self._module):
            if isinstance(function, cst.FunctionDef):
                for node in walk(function):
                    functions[id(node)] = function.name.value
        in_case_setup = self._flask_testing_create_app_nodes()
        test_module = is_test_path(self.context.path)
        found: dict[int, list[tuple[ConfigWrite, cst.CSTNode]]] = {}
        calls: dict[int, tuple[cst.Call, str]] = {}
        movable: dict[int, bool] = {}
        for write in writes:
            owner = write.owner
            if not isinstance(owner, cst.Name) or len(made.get(owner.value, ())) != 1:
                continue
            if self._top_statement(write.node) is not None or not self._global(owner):
                continue  # at module level (the per-body pass), or a local `app`
            call, name = made[owner.value][0]
            statement = statements.get(id(write.node))
            if statement is None:
                continue
            calls[id(call)] = (call, name)
            found.setdefault(id(call), []).append((write, statement))
            setup = (
                test_module and functions.get(id(write.node)) in SETUP_FUNCTIONS
            ) or id(write.node) in in_case_setup
            movable[id(call)] = movable.get(id(call), True) and setup
        for key, writes_after in found.items():
            call, name = calls[key]
            self._report_after_factory(
                call, name, factories[name], writes_after, movable=movable[key]
            )

    def _flask_testing_create_app_nodes(self) -> set[int]:
        """The nodes of the `create_app` methods of this module's test cases deriving from
        Flask-Testing's TestCase (flask-basic-registration's `BaseTestCase`)."""
        module = self.context.index.modules.get(self.context.path, "")
        cases = self.context.index.contexts.context_test_classes
        found: set[int] = set()
        for statement in self._module.body:
            if isinstance(statement, cst.ClassDef) and f"{module}.{statement.name.value}" in cases:
                for method in statement.body.body:
                    if isinstance(method, cst.FunctionDef) and method.name.value == "create_app":
                        found.update(id(node) for node in walk(method))
        return found

    def _global(self, name: cst.Name) -> bool:
        """Whether `name`, read in a function, is the module's global of that name."""
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return False
        assignments = scope[name.value]
        return bool(assignments) and all(
            isinstance(a.scope, GlobalScope) for a in assignments
        )

    def _after_factory_in(self, body, writes, factories) -> None:
        # owner text -> (the factory call, its statement, the factory's qualified name)
        made: dict[str, tuple[cst.Call, cst.CSTNode, str]] = {}
        # factory call -> [(write, its statement)] in order
        after: dict[int, list[tuple[ConfigWrite, cst.CSTNode]]] = {}
        calls: dict[int, tuple[cst.Call, str]] = {}
        for statement in body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                continue
            inside = {id(node) for node in descendants(statement)}
            for write in writes:
                if id(write.node) in inside:
                    owner = _owner_text(write.owner)
                    if owner in made:
                        after.setdefault(id(made[owner][0]), []).append((write, statement))
            target, value = _single_assignment(statement)
            owner = _owner_text(target) if target is not None else None
            if owner is None:
                continue
            made.pop(owner, None)
            if isinstance(value, cst.Call):
                name = self.defined_name(value.func)
                if name in factories:
                    made[owner] = (value, statement, name)
                    calls[id(value)] = (value, name)
        for key, found in after.items():
            call, name = calls[key]
            self._report_after_factory(call, name, factories[name], found)

    def _report_after_factory(self, call, name, parameter, found, movable=True) -> None:
        factory = name.rpartition(".")[2]
        # a load whose database settings the call already passes (this fix's output)
        given = _given_settings(call, parameter)
        found = [
            (write, statement) for write, statement in found
            if not (loaded := self._loaded_settings(write))
            or any(given.get(key) != value for key, value in loaded)
        ]  # fmt: skip
        if not found:
            return
        fix = self._factory_fix(call, parameter, found) if movable else None
        for write, _ in found:
            loss = (
                " and the suite's `create_all()`/`drop_all()` run against the app's real "
                "database: data loss"
                if write.key in DATA_KEYS or _is_from_object(write)
                else ""
            )
            if fix is not None and write.kind == "load":
                advice = (
                    f"pass the database settings it loads to `{factory}({parameter[0]}={{...}})` "
                    "(the load stays, for its other settings)"
                )
            elif fix is not None:
                advice = f"pass it to `{factory}({parameter[0]}={{...}})`"
            elif parameter is not None:
                advice = f"pass it to `{factory}({parameter[0]}={{...}})` instead"
            else:
                advice = (
                    f"give `{factory}` a parameter for settings that it applies to "
                    "`app.config` before `init_app`, and pass it there"
                )
            self._reported.add(id(write.node))
            what = (
                f"`{write.key}` is set" if write.kind != "load"
                else f"`{_call_name(write)}(...)` loads settings"
            )  # fmt: skip
            self.report(
                write.node,
                f"{what} after `{factory}()` initialised Flask-SQLAlchemy on "
                f"the app it returns (`init_app`): from Flask-SQLAlchemy 3.0 the engines "
                f"are made in `init_app` and {_ignored(write)}{loss}; {advice}",
                fix=fix,
            )

    def _factory_fix(self, call: cst.Call, parameter, found) -> Fix | None:
        """`create_app(p={...})` with the settings, and their statements removed; None
        unless every write is a statement of its own with literal keys and values, and
        the factory applies parameter `p`, not given in the call, before `init_app`."""
        if parameter is None:
            return None
        name, _ = parameter
        if any(a.star for a in call.args) or _given_argument(call, parameter) is not None:
            return None
        elements: list[cst.DictElement] = []
        replacements: dict[cst.CSTNode, object] = {}
        for write, statement in found:
            if statement in replacements:
                continue
            if _is_from_object(write):
                # its database settings, when all are string literals; the load stays
                loaded = self._loaded_settings(write)
                if loaded is None:
                    return None
                for key, value in loaded:
                    elements.append(cst.DictElement(cst.SimpleString(f'"{key}"'), _string(value)))
                continue
            entries = _settings_statement(statement)
            if entries is None or any(key not in SQLALCHEMY_KEYS for key, _ in entries):
                return None
            for key, value in entries:
                elements.append(cst.DictElement(cst.SimpleString(f'"{key}"'), value))
            replacements[statement] = cst.RemovalSentinel.REMOVE
        settings = cst.Dict(elements)
        if len(elements) > 1:  # one entry a line, one level deeper than the statement
            def line(extra: str) -> cst.ParenthesizedWhitespace:
                return cst.ParenthesizedWhitespace(
                    first_line=cst.TrailingWhitespace(), indent=True,
                    last_line=cst.SimpleWhitespace(extra),
                )  # fmt: skip

            step = self._module.default_indent
            last = len(elements) - 1
            settings = cst.Dict(
                [
                    e.with_changes(comma=cst.Comma(whitespace_after=line("" if i == last else step)))
                    for i, e in enumerate(elements)
                ],
                lbrace=cst.LeftCurlyBrace(whitespace_after=line(step)),
            )
        argument = cst.Arg(
            settings,
            keyword=cst.Name(name),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        args = list(call.args)
        if args:
            args[-1] = args[-1].with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        replacements[call] = call.with_changes(args=[*args, argument])
        return Fix(replacements)  # type: ignore[arg-type]

    def _loaded_settings(self, write: ConfigWrite) -> tuple[tuple[str, str], ...] | None:
        """The database settings a `from_object(X)` write loads, ((key, value), ...), when
        X is a dotted string naming a project class whose settings are all string
        literals; None otherwise."""
        if not _is_from_object(write):
            return None
        call = write.node
        assert isinstance(call, cst.Call)
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return None
        target = string_value(call.args[0].value)
        settings = self.context.index.database_configs.get(target) if isinstance(target, str) else None
        if not settings or any(value is None for _, value in settings):
            return None
        return settings  # type: ignore[return-value]

    def _own_databases(self) -> list[tuple[int, int, str, str]]:
        """(statement number, line, app name, the code) of `x = SQLAlchemy(app)` and of
        `x.init_app(app)` on a Flask-SQLAlchemy object `x` at module level."""
        found = []
        databases = self.context.index.contexts.sqlalchemy
        for number, statement in enumerate(self._module.body):
            if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
                continue
            small = statement.body[0]
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call):
                call = small.value
                if self.defined_name(call.func) not in FSA_CLASSES or not call.args:
                    continue
                shown = "SQLAlchemy({})"
            elif (
                isinstance(small, cst.Expr)
                and isinstance(small.value, cst.Call)
                and isinstance(small.value.func, cst.Attribute)
                and small.value.func.attr.value == "init_app"
                and isinstance(small.value.func.value, cst.Name)
                and project_name(self, small.value.func.value) in databases
                and small.value.args
            ):
                call = small.value
                shown = f"{small.value.func.value.value}.init_app({{}})"
            else:
                continue
            first = call.args[0]
            if first.keyword is not None and first.keyword.value != "app":
                continue
            if isinstance(first.value, cst.Name):
                line = self._line_of(number)
                found.append((number, line, first.value.value, shown.format(first.value.value)))
        return found

    def _line_of(self, number: int) -> int:
        """The 1-based line of the module's top-level statement `number`."""
        return self.get_metadata(PositionProvider, self._module.body[number]).start.line

    def _top_statement(self, node: cst.CSTNode) -> int | None:
        for number, statement in enumerate(self._module.body):
            if any(child is node for child in descendants(statement)):
                if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                    return None  # in a function of this module: when it runs is not known
                return number
        return None

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        contexts = index.contexts
        return bool(
            contexts.sqlalchemy_given_app
            or contexts.sqlalchemy_init_at_import
            or contexts.sqlalchemy_factories
        )


def _string(value: str) -> cst.SimpleString:
    """A string literal for `value`, in double quotes where that needs no escape."""
    plain = '"' not in value and "\\" not in value and value.isprintable()
    return cst.SimpleString(f'"{value}"' if plain else repr(value))


def _given_argument(call: cst.Call, parameter) -> cst.Arg | None:
    """The argument a factory call gives for its settings parameter (name, position)."""
    name, position = parameter
    keyword = next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)
    if keyword is not None:
        return keyword
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position] if position != -1 and len(positional) > position else None


def _given_settings(call: cst.Call, parameter) -> dict[str, str]:
    """The string settings a factory call passes as its settings parameter, a dict
    literal (`create_app(config={"SQLALCHEMY_DATABASE_URI": "sqlite://"})`)."""
    argument = _given_argument(call, parameter) if parameter is not None else None
    given = argument.value if argument is not None else None
    if not isinstance(given, cst.Dict):
        return {}
    found = {}
    for element in given.elements:
        if isinstance(element, cst.DictElement):
            key, value = string_value(element.key), string_value(element.value)
            if isinstance(key, str) and isinstance(value, str):
                found[key] = value
    return found


def _call_name(write: ConfigWrite) -> str:
    """`app.config.from_object` of a load."""
    call = write.node
    assert isinstance(call, cst.Call)
    return cst.Module([]).code_for_node(call.func)


def _is_from_object(write: ConfigWrite) -> bool:
    """A `from_object` load: kept only where its class sets the database."""
    return write.kind == "load" and _call_name(write).endswith(".from_object")


def _what(write: ConfigWrite, variable: str) -> str:
    if _is_from_object(write):
        call = write.node
        assert isinstance(call, cst.Call)
        loaded = string_value(call.args[0].value)
        if not isinstance(loaded, str):
            loaded = cst.Module([]).code_for_node(call.args[0].value)
        return (
            f"`from_object` loads `{loaded}`, which sets the database "
            f"(`SQLALCHEMY_DATABASE_URI`/`SQLALCHEMY_BINDS`), and it runs on `{variable}`"
        )
    if write.kind == "load":
        return f"`{_call_name(write)}(...)` loads settings on `{variable}`"
    return f"`{write.key}` is set on `{variable}`"


def _ignored(write: ConfigWrite) -> str:
    if write.kind == "load":
        return "any Flask-SQLAlchemy setting it loads (`SQLALCHEMY_DATABASE_URI`...) is silently ignored"
    return "this setting is silently ignored"


def _it(write: ConfigWrite) -> str:
    return "those settings" if write.kind == "load" else "it"


def _bodies(module: cst.Module):
    """The statement lists of the module and of every function in it."""
    yield module.body
    for node in walk(module):
        if isinstance(node, cst.FunctionDef) and isinstance(node.body, cst.IndentedBlock):
            yield node.body.body


def _single_assignment(statement: cst.CSTNode):
    """(target, value) of a statement `target = value`; (None, None) otherwise."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            return small.targets[0].target, small.value
    return None, None


def _owner_text(node: cst.CSTNode | None) -> str | None:
    """`app` or `self.app`: the names a factory's app is kept under."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return None


LITERALS = (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)


def _literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, LITERALS) or (
        isinstance(node, cst.Name) and node.value in ("True", "False", "None")
    )


def _settings_statement(statement: cst.CSTNode) -> list[tuple[str, cst.BaseExpression]] | None:
    """The (key, value) pairs of a statement `x.config["K"] = v`, `x.config.update(K=v,
    ...)` or `x.config.update({"K": v, ...})` with literal values; None otherwise."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if not (isinstance(target, cst.Subscript) and len(target.slice) == 1):
            return None
        index = target.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if not isinstance(key, str) or not _literal(small.value):
            return None
        return [(key, small.value)]
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return None
    call = small.value
    if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "update"):
        return None
    entries: list[tuple[str, cst.BaseExpression]] = []
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            if not _literal(arg.value):
                return None
            entries.append((arg.keyword.value, arg.value))
        elif isinstance(arg.value, cst.Dict) and len(call.args) == 1:
            for element in arg.value.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                key = string_value(element.key)
                if not isinstance(key, str) or not _literal(element.value):
                    return None
                entries.append((key, element.value))
        else:
            return None
    return entries or None
