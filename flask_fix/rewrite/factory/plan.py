"""The app-factory rewrite (FLK201) of one module-level app, planned then applied.

`plan_factory(context, app)` reads the app's module and every module that imports the app,
decides what moves where, and either raises `Refused` (with the exact reason and place)
or returns a `FactoryPlan` whose `texts()` are the rewritten modules and templates.

The app's module:
- `app = Flask(...)` and every statement that uses the app at import time (configuration,
  `init_app` calls, `register_blueprint`, middleware, logging, Jinja settings, `with
  app.app_context():` blocks...) move, in their order, into `create_app(config=None)`;
- `ext = Ext(app)` stays as `ext = Ext()`; `ext.init_app(app)` goes into the factory at
  the same point (FLK202's split, flask_fix/rewrite/extensions.py);
- views and handlers decorated with `@app.<x>` stay where they are, decorated with the
  blueprint equivalent (`@bp.route`, `@bp.app_errorhandler`, ...); app-only handlers
  (`teardown_appcontext`, `shell_context_processor`) are registered by the factory;
- `app` in function bodies becomes `current_app`;
- `if __name__ == '__main__':` creates the app with `create_app()`.

Modules importing the app: views modules (the app used in decorators and functions only)
get their own blueprint and `current_app` (FLK203); entry points (wsgi.py, run.py, tests,
modules using the app at import time) get `app = create_app()`.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

import libcst as cst

from ...index import pins
from ..imports import is_docstring
from ..importers import ImportedNames
from ...index.project import ProjectIndex, absolute_module
from ...index.facts import AppObject
from .. import legacy_db
from ..base import ProjectContext
from .support import (
    DECORATOR,
    FUNCTION,
    IMPORT_TIME,
    ModuleView,
    app_root,
    is_test_module,
    other_roots,
    under,
    bound_names,
    is_main_guard,
    replace_nodes,
    strip_blank_lines,
    with_blank_lines,
)
from ..module_layout import ModuleBody
from ..nodes import walk

ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})
# RULES.md's decorator map: the blueprint method registering the same app-wide handler
BLUEPRINT_EQUIVALENTS = {
    "errorhandler": "app_errorhandler",
    "before_request": "before_app_request",
    "after_request": "after_app_request",
    "teardown_request": "teardown_app_request",
    "context_processor": "app_context_processor",
    "template_filter": "app_template_filter",
    "template_test": "app_template_test",
    "template_global": "app_template_global",
    "url_value_preprocessor": "app_url_value_preprocessor",
    "url_defaults": "app_url_defaults",
}
# no blueprint equivalent: the factory registers them on the app
APP_ONLY_DECORATORS = frozenset({"teardown_appcontext", "shell_context_processor"})
CLI_DECORATORS = frozenset({"command", "group"})
# app methods that need the concrete app (no request or app context to find it through)
NEEDS_THE_APP = frozenset(
    {"app_context", "test_request_context", "test_client", "test_cli_runner", "run"}
)
FACTORY = "create_app"


class Refused(Exception):
    """The project is too irregular to convert soundly: nothing is changed."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.line = line
        self.reason = reason


@dataclass
class Note:
    """A finding the plan reports (1-based position)."""

    path: str
    line: int
    column: int
    message: str
    code: str = "FLK201"
    has_fix: bool = True


@dataclass
class BlueprintPlan:
    """A blueprint created for the app-level routes and handlers of one module."""

    path: str
    module: str  # dotted module name
    name: str  # the blueprint's name: endpoints become `name.endpoint`
    variable: str
    cli: bool = False  # has `cli.command`s: `cli_group=None`
    routes: int = 0
    handlers: int = 0
    functions: dict[str, str] = field(default_factory=dict)  # moved function -> blueprint
    views: set[str] = field(default_factory=set)  # those of them that are views (routes)
    first_statement: int | None = None  # the first top-level statement using it

    def used_at(self, statement: int) -> None:
        if self.first_statement is None or statement < self.first_statement:
            self.first_statement = statement


@dataclass
class FactoryPlan:
    app: AppObject
    texts: dict[str, bytes] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    endpoints: dict[str, str] = field(default_factory=dict)
    blueprints: list[BlueprintPlan] = field(default_factory=list)
    # modules whose functions use the app through current_app now
    current_app_modules: list[str] = field(default_factory=list)
    entry_points: list[str] = field(default_factory=list)
    extensions: list[str] = field(default_factory=list)
    template_folder: str = "templates"  # the app's, as a path
    # (path, line) of each endpoint renamed in a Python module (where suppression
    # comments may sit; recorded only in modules that have some)
    renamed_lines: list[tuple[str, int]] = field(default_factory=list)


def _decorator_shape(decorator: cst.Decorator, app_name: str) -> tuple[str, str] | None:
    """('method', name) for `@app.name` / `@app.name(...)`, ('cli', name) for
    `@app.cli.name(...)`; None for anything else."""
    expression = decorator.decorator
    func = expression.func if isinstance(expression, cst.Call) else expression
    if not isinstance(func, cst.Attribute):
        return None
    if isinstance(func.value, cst.Name) and func.value.value == app_name:
        return ("method", func.attr.value)
    inner = func.value
    if (
        isinstance(inner, cst.Attribute)
        and inner.attr.value == "cli"
        and isinstance(inner.value, cst.Name)
        and inner.value.value == app_name
        and isinstance(expression, cst.Call)
    ):
        return ("cli", func.attr.value)
    return None


def _renamed_decorator(decorator: cst.Decorator, kind: str, method: str, variable: str) -> cst.Decorator:
    expression = decorator.decorator
    func = expression.func if isinstance(expression, cst.Call) else expression
    assert isinstance(func, cst.Attribute)
    if kind == "cli":
        inner = func.value
        assert isinstance(inner, cst.Attribute)
        new_func = func.with_changes(value=inner.with_changes(value=cst.Name(variable)))
    else:
        new_func = func.with_changes(value=cst.Name(variable), attr=cst.Name(method))
    if isinstance(expression, cst.Call):
        return decorator.with_changes(decorator=expression.with_changes(func=new_func))
    return decorator.with_changes(decorator=new_func)


class _ModulePlanner:
    """Shared by the app's module and the views modules: decorators and function bodies."""

    def __init__(self, plan: FactoryPlan, view: ModuleView, app_name: str) -> None:
        self.plan = plan
        self.view = view
        self.app_name = app_name
        self.replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        self.uses_current_app = False
        self.needs_blueprint = False
        self.blueprint: BlueprintPlan | None = None
        # top-level function name -> True when it is a view or an app-wide handler
        self.request_functions: set[str] = set()

    def refuse(self, node: cst.CSTNode, reason: str) -> Refused:
        return Refused(self.view.path, self.view.line(node), reason)

    def decorator_use(self, name: cst.Name, blueprint: BlueprintPlan) -> tuple[cst.FunctionDef, cst.Decorator, str | None]:
        """Map one `@app.x` decorator; returns the function and, for app-only handlers, the
        method the factory must call with it."""
        where = self.view.location(name)
        decorator = where.decorator
        assert decorator is not None
        statement = self.view.body[where.statement]
        shape = _decorator_shape(decorator, self.app_name)
        root = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        while isinstance(root, cst.Attribute):
            root = root.value
        if shape is None or root is not name:
            raise self.refuse(
                name, f"`{self.view.code(decorator.decorator)}` uses the app in a decorator flask-fix cannot map to a blueprint"
            )
        if not isinstance(statement, cst.FunctionDef):
            raise self.refuse(name, "a class is decorated with the app")
        kind, method = shape
        function_name = statement.name.value
        if kind == "cli":
            if method not in CLI_DECORATORS:
                raise self.refuse(name, f"`@{self.app_name}.cli.{method}` has no blueprint equivalent")
            blueprint.cli = True
            blueprint.handlers += 1
            self.replacements[decorator] = _renamed_decorator(decorator, kind, method, blueprint.variable)
            blueprint.functions[function_name] = blueprint.name
            blueprint.used_at(where.statement)
            self.needs_blueprint = True
            return statement, decorator, None
        if method in ROUTE_DECORATORS:
            blueprint.routes += 1
            blueprint.views.add(function_name)
            new_method = method
        elif method in BLUEPRINT_EQUIVALENTS:
            blueprint.handlers += 1
            new_method = BLUEPRINT_EQUIVALENTS[method]
        elif method in APP_ONLY_DECORATORS:
            position = statement.decorators.index(decorator)
            above = statement.decorators[:position]
            if any(_decorator_shape(d, self.app_name) is None for d in above):
                raise self.refuse(
                    name,
                    f"`@{self.app_name}.{method}` is below a decorator that may change the "
                    "function it registers",
                )
            if isinstance(decorator.decorator, cst.Call):
                raise self.refuse(name, f"`@{self.app_name}.{method}(...)` takes no arguments")
            self.replacements[decorator] = cst.RemovalSentinel.REMOVE
            self.request_functions.add(function_name)
            return statement, decorator, method
        elif method == "before_first_request":
            raise self.refuse(
                name,
                "`@app.before_first_request` was removed in Flask 2.3 (see FLK705); "
                "convert it first",
            )
        else:
            raise self.refuse(name, f"`@{self.app_name}.{method}` has no blueprint equivalent")
        self.replacements[decorator] = _renamed_decorator(decorator, kind, new_method, blueprint.variable)
        blueprint.functions[function_name] = blueprint.name
        blueprint.used_at(where.statement)
        self.request_functions.add(function_name)
        self.needs_blueprint = True
        return statement, decorator, None

    def current_app_users(self) -> set[str]:
        """Top-level functions whose own body now uses `current_app`."""
        view = self.view
        users = set()
        for node in self.replacements:
            if isinstance(node, cst.Name) and id(node) in view.where:
                where = view.location(node)
                if where.zone == FUNCTION and where.direct and where.function is not None:
                    users.add(where.function.name.value)
        return users

    def check_import_time_calls(self, moved: set[int] = frozenset()) -> None:
        """A function whose own body now uses current_app must not run at import time."""
        view = self.view
        users = set()
        for node in self.replacements:
            if isinstance(node, cst.Name) and id(node) in view.where:
                where = view.location(node)
                if where.zone == FUNCTION and where.direct and where.function is not None:
                    users.add(where.function.name.value)
        for name in sorted(users):
            for assignment in view.global_assignments(name):
                for use in view.accesses_of(assignment):
                    where = view.location(use)
                    if where.zone == FUNCTION:
                        continue
                    call = view.call_of.get(id(use))
                    decorator = where.decorator is not None and where.decorator.decorator is use
                    if call is None and not decorator:
                        continue
                    if where.statement in moved and where.in_app_context:
                        continue
                    raise self.refuse(
                        use,
                        f"`{name}()` runs at import time and uses the app; inside a factory "
                        "it would run without an application context",
                    )

    def function_use(self, name: cst.Name, replacement: cst.BaseExpression, *, node: cst.CSTNode | None = None) -> None:
        """`app` read inside a function body: `current_app` (the app serving the request,
        or the one whose context is pushed)."""
        where = self.view.location(name)
        node = node if node is not None else name
        attribute = self.view.attribute_of.get(id(node))
        function = where.function
        function_name = function.name.value if function is not None else None
        if attribute is not None and attribute.attr.value in NEEDS_THE_APP:
            in_request = function_name in self.request_functions and where.direct
            if not in_request:
                raise self.refuse(
                    name,
                    f"`{function_name or 'a function'}` calls `{self.view.code(attribute)}()`, "
                    "which needs the app object itself (it may run outside a request, where "
                    "`current_app` is unavailable)",
                )
        scope = self.view.scopes.get(name)
        if scope is not None:
            for assignment in scope["current_app"]:
                if self.view.qualified_assignment(assignment) not in ("flask.current_app", "flask.globals.current_app"):
                    raise self.refuse(name, "`current_app` means something else here")
        if attribute is None:
            replacement = cst.Call(cst.Attribute(replacement, cst.Name("_get_current_object")))
        self.replacements[node] = replacement
        self.uses_current_app = True


CURRENT_APP = frozenset({"flask.current_app", "flask.globals.current_app"})
BLUEPRINT = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
# `app.<attr> = value` statements that configure the app (the factory applies the
# `config` argument after the configuration it starts with)
CONFIG_ATTRIBUTES = frozenset(
    {"config", "secret_key", "debug", "testing", "permanent_session_lifetime",
     "session_cookie_name", "send_file_max_age_default", "use_x_sendfile", "env"}
)  # fmt: skip


@dataclass
class _Entry:
    """One piece of the factory's body, placed by the source position it stands for."""

    key: float
    statements: list[cst.BaseStatement]
    config: bool = False  # configuration (the `config` argument is applied after these)


def plan_factory(context: ProjectContext, app: AppObject) -> FactoryPlan:
    """Plan the rewrite of one module-level app; raises Refused when it cannot be done."""
    refusal = refusal_from_index(context.index, app)
    if refusal is not None:
        raise refusal
    return _AppModulePlanner(context, app).plan_all()


def refusal_from_index(index: ProjectIndex, app: AppObject) -> Refused | None:
    """Why the app cannot be converted, when the index alone tells (no file is read):
    its module creates several apps, or the same one in several places."""
    others = [a for a in index.apps if a.path == app.path and a is not app]
    if others and all(a.variable == app.variable for a in others):
        lines = ", ".join(str(a.line) for a in sorted([app, *others], key=lambda a: a.line))
        return Refused(
            app.path, app.line,
            f"`{app.variable}` is created in more than one place (lines {lines}), e.g. "
            "in the branches of a conditional",
        )  # fmt: skip
    if others:
        names = ", ".join(f"`{a.variable}` (line {a.line})" for a in [app, *others])
        return Refused(app.path, app.line, f"several apps in one module: {names}")
    return None


def _names_qualified(view: ModuleView, node: cst.CSTNode, name: str) -> set[str] | None:
    """The qualified names `name` may have where `node` is (None: a local binding)."""
    scope = view.scopes.get(node)
    if scope is None:
        return set()
    found = scope.get_qualified_names_for(name)
    from libcst.metadata import QualifiedNameSource

    if any(q.source is QualifiedNameSource.LOCAL for q in found):
        return None
    return {q.name for q in found}


class _ViewsModule(_ModulePlanner):
    """A module importing the app: a views module (FLK203) or an entry point."""

    def __init__(self, owner: "_AppModulePlanner", path: str, imported) -> None:
        view = ModuleView(path, owner.context.read(path))
        super().__init__(owner.plan, view, imported.local)
        self.owner = owner
        self.imported = imported
        self.module_import = imported.name is None
        assignments = view.global_assignments(imported.local)
        if len(assignments) != 1:
            raise Refused(
                path,
                1,
                f"`{imported.local}` is bound {len(assignments)} times at module level",
            )
        self.assignment = assignments[0]
        self.import_node = self.assignment.node
        if not isinstance(self.import_node, (cst.Import, cst.ImportFrom)):
            raise Refused(path, 1, f"`{imported.local}` is not bound by an import")
        self.import_statement = self._top_statement(self.import_node)
        self.uses: list[cst.CSTNode] = []
        for name in view.accesses_of(self.assignment):
            if self.module_import:
                attribute = view.attribute_of.get(id(name))
                if attribute is not None and attribute.attr.value == owner.app.variable:
                    self.uses.append(attribute)
            else:
                self.uses.append(name)
        self.is_test = is_test_module(path, view)
        # top-level functions whose own body uses the app, and those of them the app's
        # module calls at import time (they take the app as a parameter)
        self.direct_app_functions: dict[str, cst.FunctionDef] = {}
        for use in self.uses:
            where = view.location(self._root_name(use))
            function = where.function
            if where.zone == FUNCTION and where.direct and function is not None and view.body[where.statement] is function:
                self.direct_app_functions[function.name.value] = function
        self.setup_functions: set[str] = set()
        self._standalone: bool | None = None
        self.kind = self._kind()

    def _top_statement(self, node: cst.CSTNode) -> int:
        """The top-level statement holding the import; an import directly in the body of
        `if __name__ == '__main__':` counts too (`self.inner` is then its place there)."""
        self.inner: int | None = None
        for index, statement in enumerate(self.view.body):
            if isinstance(statement, cst.SimpleStatementLine) and node in statement.body:
                return index
            if is_main_guard(statement) and isinstance(statement.body, cst.IndentedBlock):
                for inner, line in enumerate(statement.body.body):
                    if isinstance(line, cst.SimpleStatementLine) and node in line.body:
                        self.inner = inner
                        return index
        raise Refused(
            self.view.path,
            self.view.line(node),
            "the app is imported inside a block (`if`, `try`...); flask-fix rewrites plain "
            "top-level imports only",
        )

    def _root_name(self, use: cst.CSTNode) -> cst.Name:
        while isinstance(use, cst.Attribute):
            use = use.value
        assert isinstance(use, cst.Name)
        return use

    def _kind(self) -> str:
        zones = [self._zone(u) for u in self.uses]
        import_time = [
            u for u, z in zip(self.uses, zones) if z == IMPORT_TIME and not self._is_route_statement(u)
        ]
        decorators = [u for u, z in zip(self.uses, zones) if z == DECORATOR] + [
            u for u, z in zip(self.uses, zones) if z == IMPORT_TIME and self._is_route_statement(u)
        ]
        module = self.owner.index.modules.get(self.view.path, "")
        in_package = "." in module or os.path.basename(self.view.path) == "__init__.py"
        imported_by_app = self.owner.imports_module(module)
        if not self.uses and not self.is_test and not self.module_import and (
            in_package or imported_by_app
        ):
            return "views"  # an unused import of the app: dropped
        if imported_by_app and (import_time or not self.uses):
            raise Refused(
                self.view.path,
                self.view.line(self.import_node),
                "the app's module imports this module, which uses the app at import time",
            )
        if self.is_test or import_time or not self.uses:
            if not self.is_test:
                for use in import_time:
                    self._refuse_setup(use)
            if decorators and not all(self._standalone_cli(use) for use in decorators):
                use = decorators[0]
                raise Refused(
                    self.view.path,
                    self.view.line(use),
                    "registers routes or handlers on the app and also uses it at import "
                    "time (an entry point with views: split it first)",
                )
            return "entry"
        if self.module_import:
            raise Refused(
                self.view.path,
                self.view.line(self.uses[0]),
                f"uses the app as `{self.view.code(self.uses[0])}`; flask-fix converts views "
                f"modules that import it by name (`from {self.owner.app.module} import "
                f"{self.owner.app.variable}`)",
            )
        return "views"

    def _zone(self, use: cst.CSTNode) -> str:
        """Where `use` runs; in the `if __name__ == "__main__":` block, a function or
        lambda too runs as the script starts (FLK803 writes
        `FlaskGroup(create_app=lambda: app)()` there): import time, as `app.run()` there,
        not a function that `current_app` could stand in for."""
        where = self.view.location(self._root_name(use))
        if where.zone == FUNCTION and is_main_guard(self.view.body[where.statement]):
            return IMPORT_TIME
        return where.zone

    def _refuse_setup(self, use: cst.CSTNode) -> None:
        """An entry point that sets the app up at import time (FLK204): after the rewrite
        that setup would reach only its own app, not the ones tests or servers create."""
        attribute = self.view.attribute_of.get(id(use))
        what = None
        init_app = False
        if attribute is not None and attribute.attr.value in ("register_blueprint", "add_url_rule", "route"):
            what = f"`{self.view.code(attribute)}(...)`"
        else:
            for node, call in self.view.call_of.items():
                func = call.func
                if (
                    isinstance(func, cst.Attribute)
                    and func.attr.value == "init_app"
                    and any(argument.value is use for argument in call.args)
                ):
                    what = f"`{self.view.code(call)}`"
                    init_app = True
        if what is not None and not (init_app and self.standalone()):
            raise Refused(
                self.view.path,
                self.view.line(use),
                f"sets the app up at import time ({what}, FLK204); move that into the "
                "app's module first, so that every app the factory creates gets it",
            )

    def standalone(self) -> bool:
        """Whether this module is a script no module of the project imports (manage.py,
        run.py): its import-time setup (`migrate.init_app(app, db)`) only ever reached the
        app of the runs that start from it, so after the rewrite it applies, the same, to
        the app it builds with `create_app()`. Any import of it, at module level or in a
        function, by any indexed module (tests included) or by a module that does not
        parse, counts; so does a string naming it next to `import_module`/`__import__`/
        `run_module`/`run_path`."""
        if self._standalone is None:
            self._standalone = not self.is_test and self.owner.imported_modules_of(self.view.path) == []
        return self._standalone

    def _standalone_cli(self, use: cst.CSTNode) -> bool:
        """`@app.cli.command(...)` in a standalone script (from-import of the app): the
        command is registered on the app the script builds, as before."""
        if self.module_import or not self.standalone():
            return False
        decorator = self.view.location(use).decorator
        if decorator is None:
            return False
        shape = _decorator_shape(decorator, self.imported.local)
        return shape is not None and shape[0] == "cli"

    def _is_route_statement(self, use: cst.CSTNode) -> bool:
        where = self.view.location(self._root_name(use))
        statement = self.view.body[where.statement]
        return _add_url_rule_of(statement, use) is not None

    # entry points: `app = create_app()`

    def plan_entry(self) -> None:
        view = self.view
        factory_names = _names_qualified(view, self.import_node, FACTORY)
        if factory_names is None or factory_names - {f"{self.owner.app.module}.{FACTORY}"}:
            raise Refused(view.path, view.line(self.import_node), f"`{FACTORY}` is already bound here")
        if self.module_import:
            variable = next(
                (n for n in ("app", "flask_app", "application") if view.name_is_free(n)), None
            )
            if variable is None:
                raise Refused(view.path, view.line(self.import_node), "no free name for the app")
            for use in self.uses:
                self.replacements[use] = cst.Name(variable)
            creation = f"{variable} = {self.imported.local}.{FACTORY}()"
        else:
            node = self.import_node
            assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
            alias = next(
                a for a in node.names
                if (a.evaluated_alias or a.evaluated_name) == self.imported.local
            )
            names = list(node.names)
            already = any(a.evaluated_name == FACTORY and a.asname is None for a in names)
            if already:
                names.remove(alias)
                if names:
                    names[-1] = names[-1].with_changes(comma=alias.comma if alias is node.names[-1] else names[-1].comma)
                self.replacements[node] = node.with_changes(names=names)
            else:
                self.replacements[alias] = alias.with_changes(name=cst.Name(FACTORY), asname=None)
            creation = f"{self.imported.local} = {FACTORY}()"
        if self.inner is not None:
            creation_statement = cst.parse_statement(creation + "\n")
            self.insert_inside = (self.import_statement, self.inner, creation_statement)
            self.insert_after = (-1, [])
        else:
            creation_statement = with_blank_lines(cst.parse_statement(creation + "\n"), 1)
            after = _end_of_imports(view.body, self.import_statement)
            self.insert_after = (after, [creation_statement])
        self.owner.plan.entry_points.append(view.path)
        self.owner.notes.append(
            Note(
                view.path,
                view.line(self.import_node),
                view.column(self.import_node),
                f"imports the module-level app; it now calls `{FACTORY}()` "
                f"(`{creation}`), so it keeps working once the app is built by the factory",
            )
        )

    # views modules: a blueprint of their own, current_app in functions

    def plan_views(self, blueprint: BlueprintPlan) -> None:
        self.blueprint = blueprint
        view = self.view
        if self.inner is not None:
            raise Refused(view.path, view.line(self.import_node), "imports the app in its `__main__` block and uses it in functions")
        for name in self.setup_functions:
            params = self.direct_app_functions[name].params
            parameter = cst.Param(cst.Name(self.imported.local))
            self.replacements[params] = params.with_changes(params=[parameter])
        ordered = sorted(self.uses, key=lambda u: self.view.location(u).zone != DECORATOR)
        for use in ordered:
            where = view.location(use)
            if (
                where.zone == FUNCTION
                and where.function is not None
                and where.function.name.value in self.setup_functions
                and view.body[where.statement] is where.function
            ):
                continue  # the app is its parameter now
            if where.zone == DECORATOR:
                self.decorator_use(use, blueprint)
            elif where.zone == IMPORT_TIME:
                statement = view.body[where.statement]
                self.replacements[use] = cst.Name(blueprint.variable)
                blueprint.routes += 1
                self.needs_blueprint = True
            else:
                self.function_use(use, cst.Name("current_app"))
        node = self.import_node
        assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
        remaining = [a for a in node.names if (a.evaluated_alias or a.evaluated_name) != self.imported.local]
        statement = view.body[self.import_statement]
        if remaining:
            last = node.names[-1]
            remaining[-1] = remaining[-1].with_changes(comma=last.comma)
            self.replacements[node] = node.with_changes(names=remaining)
        else:
            self.replacements[statement] = cst.RemovalSentinel.REMOVE
        self.insert_after = (self.import_statement, [])
        if self.needs_blueprint:
            statement = with_blank_lines(self.owner.blueprint_statement(view, blueprint), 1)
            self.insert_after = (_end_of_imports(view.body, self.import_statement), [statement])
        self.check_import_time_calls()
        if self.uses_current_app:
            self.owner.plan.current_app_modules.append(view.path)
        self.owner.notes.append(
            Note(
                view.path,
                view.line(self.import_node),
                view.column(self.import_node),
                self._views_message(blueprint),
                code="FLK203",
            )
        )

    def _views_message(self, blueprint: BlueprintPlan) -> str:
        parts = []
        if self.needs_blueprint:
            parts.append(
                f"its routes and handlers join blueprint '{blueprint.name}' (endpoints "
                f"'{blueprint.name}.*'), registered by `{FACTORY}()`"
            )
        if self.uses_current_app:
            parts.append("functions use `current_app` instead of the app object")
        return (
            f"imports the app object `{self.owner.app.variable}` from "
            f"`{self.owner.app.module}`: " + "; ".join(parts or ["the import is removed"])
        )

    def text(self) -> bytes:
        module = self.view.module
        body = ModuleBody()
        index_after, extra = self.insert_after
        inside = getattr(self, "insert_inside", None)
        for index, statement in enumerate(module.body):
            new = replace_nodes_in(statement, self.replacements)
            if inside is not None and index == inside[0]:
                assert isinstance(new, cst.If) and isinstance(new.body, cst.IndentedBlock)
                lines = list(new.body.body)
                lines.insert(inside[1] + 1, inside[2])
                new = new.with_changes(body=new.body.with_changes(body=lines))
            if new is cst.RemovalSentinel.REMOVE:
                body.drop(statement)
            else:
                body.keep(new)
            if index == index_after:
                for added in extra:
                    body.add(added)
        new_module = module.with_changes(body=body.statements)
        add = []
        if self.needs_blueprint:
            add.append(("flask", "Blueprint", None))
        if self.uses_current_app:
            add.append(("flask", "current_app", None))
        if add:
            from ..imports import first_party, update_imports

            project = first_party(self.owner.index.modules.values())
            new_module = update_imports(new_module, add, [], project)
        return new_module.bytes


def _end_of_imports(body, start: int) -> int:
    """The last of the import statements that follow each other from `start` on."""
    end = start
    for index in range(start + 1, len(body)):
        statement = body[index]
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            end = index
        else:
            break
    return end


def _quote_of(module: cst.Module) -> str:
    """The quote the module's strings use most."""
    counts = {"'": 0, '"': 0}
    for node in walk(module):
        if isinstance(node, cst.SimpleString) and node.quote in counts:
            counts[node.quote] += 1
    return '"' if counts['"'] > counts["'"] else "'"


def replace_nodes_in(statement: cst.BaseStatement, replacements) -> cst.BaseStatement | cst.RemovalSentinel:
    if statement in replacements:
        return replacements[statement]
    wrapper = cst.Module(body=[statement])
    new = replace_nodes(wrapper, {k: v for k, v in replacements.items()})
    if not new.body:
        return cst.RemovalSentinel.REMOVE
    return new.body[0]


def _add_url_rule_of(statement: cst.BaseStatement, use: cst.CSTNode) -> cst.Call | None:
    """The call when `statement` is exactly `<use>.add_url_rule(...)`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    func = small.value.func
    if isinstance(func, cst.Attribute) and func.attr.value == "add_url_rule" and func.value is use:
        return small.value
    return None


class _AppModulePlanner(_ModulePlanner):
    def __init__(self, context: ProjectContext, app: AppObject) -> None:
        self.context = context
        self.app = app
        self.index: ProjectIndex = context.index
        # module path -> what it may import, read once
        self._imported_names = ImportedNames(context)
        view = ModuleView(app.path, context.read(app.path))
        super().__init__(FactoryPlan(app), view, app.variable)
        self.notes: list[Note] = []
        self.entries: list[_Entry] = []
        self.moved: set[int] = set()
        self.split: dict[int, tuple[cst.BaseStatement, cst.BaseStatement]] = {}
        self.main_guards: dict[int, list[cst.Name]] = {}
        # main blocks calling a setup function (`init_db()` -> `init_db(app)`)
        self.guards_with_setup: set[int] = set()
        # `setup()` statements calling a function that now takes the app: `setup(app)`
        self.setup_calls: dict[int, cst.BaseStatement] = {}
        self.importers: list[_ViewsModule] = []
        # test modules importing the app inside their functions (fixtures)
        self.lazy_test_imports: set[str] = set()
        # module -> (path, line) of a `from module import *` in the project
        self.star_imported: dict[str, tuple[str, int]] = {}

    def in_scope(self, path: str) -> bool:
        """Whether a module belongs to this app's project: below its import root, not
        below another app's (examples folders often hold several apps named alike)."""
        return under(path, self.root) and not any(under(path, r) for r in self.excluded_roots)

    def plan_all(self) -> FactoryPlan:
        view, app = self.view, self.app
        self.root = app_root(app)
        self.excluded_roots = other_roots(self.index, app)
        self.other_app_paths = {a.path for a in self.index.apps if a.path != app.path}
        self.construction = self._construction()
        self.plan.template_folder = self._template_folder()
        for name in (FACTORY,):
            if not view.name_is_free(name):
                raise Refused(app.path, app.line, f"`{name}` is already used in this module")
        self.config_parameter = "config"
        if "config" in view.globals.assignments or "config" in view.globals.accesses:
            self.config_parameter = "test_config"
            if not view.name_is_free("test_config"):
                raise Refused(app.path, app.line, "`config` and `test_config` are both taken")
        existing = {b.name for b in self.index.blueprints if b.name and self.in_scope(b.path)}
        name = next((n for n in ("main", "site", "pages") if n not in existing), None)
        if name is None:
            raise Refused(app.path, app.line, "blueprints named 'main', 'site' and 'pages' already exist")
        self.main = BlueprintPlan(
            app.path, app.module, name, self._free_variable(view, ("bp", f"{name}_bp", f"{name}_blueprint"))
        )
        self._check_unparsable_modules()
        self._check_namespace_imports()
        self._find_importers()
        self._classify_app_uses()
        self._scan_other_imports()
        self._check_moved_bindings()
        self.check_import_time_calls(self.moved)
        self._plan_importers()
        self._endpoint_map()
        self.plan.texts[app.path] = self._app_module_text()
        for importer in self.importers:
            self.plan.texts[importer.view.path] = importer.text()
        for path in sorted(self.lazy_test_imports):
            self.plan.texts[path] = self._lazy_test_import_text(path)
        self.plan.notes = [self._summary(), *self.notes]
        return self.plan

    # the app object

    def _construction(self) -> int:
        view, app = self.view, self.app
        assignments = view.global_assignments(app.variable)
        if len(assignments) != 1:
            lines = ", ".join(str(view.line(a.node)) for a in assignments if a.node in view.positions)
            raise Refused(
                app.path, app.line, f"`{app.variable}` is bound more than once at module level (lines {lines})"
            )
        self.assignment = assignments[0]
        target = self.assignment.node
        for index, statement in enumerate(view.body):
            if (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign)
                and len(statement.body[0].targets) == 1
                and statement.body[0].targets[0].target is target
            ):
                self.flask_call = statement.body[0].value
                return index
        raise Refused(
            app.path,
            app.line,
            "the app is created inside a conditional or another block, or together with "
            "other statements; flask-fix converts a plain top-level `app = Flask(...)`",
        )

    def _template_folder(self) -> str:
        """Where Jinja finds the app's templates: `template_folder` (default 'templates')
        next to the module (for a package, inside it)."""
        call = self.flask_call
        if not isinstance(call, cst.Call):
            raise Refused(self.app.path, self.app.line, "the app is not created by a plain call")
        folder = "templates"
        for position, argument in enumerate(call.args):
            if argument.star:
                raise Refused(self.app.path, self.app.line, "`Flask(*args, **kwargs)`: the template folder is unknown")
            keyword = argument.keyword.value if argument.keyword is not None else None
            if keyword is None and position > 0:
                raise Refused(self.app.path, self.app.line, "Flask options given by position; pass them by keyword")
            if keyword == "root_path":
                raise Refused(self.app.path, self.app.line, "`root_path=` moves the template folder")
            if keyword == "template_folder":
                from .support import string_value

                value = string_value(argument.value)
                if value is None:
                    raise Refused(
                        self.app.path, self.app.line,
                        "`template_folder=` is not a literal; its templates cannot be found",
                    )  # fmt: skip
                folder = value
        return os.path.join(os.path.dirname(self.app.path), folder)

    @staticmethod
    def _free_variable(view: ModuleView, candidates: tuple[str, ...]) -> str:
        for name in candidates:
            if view.name_is_free(name):
                return name
        raise Refused(view.path, 1, f"no free name for the blueprint ({', '.join(candidates)})")

    # who else uses the app

    def _find_importers(self) -> None:
        app = self.app
        for path, imported_names in sorted(self.index.app_importers.items()):
            if not self.in_scope(path):
                continue
            for imported in imported_names:
                target = f"{imported.module}.{imported.name}" if imported.name else imported.module
                direct = (imported.name == app.variable and imported.module == app.module) or (
                    imported.name is None and imported.module == app.module
                )
                if not direct:
                    if self._resolves_to_app(imported):
                        raise Refused(
                            path,
                            1,
                            f"imports the app through `{target}`, a re-export; import it "
                            f"from `{app.module}` (or remove the re-export) first",
                        )
                    continue
                if path == app.path:
                    continue
                self.importers.append(_ViewsModule(self, path, imported))

    def imported_modules_of(self, path: str) -> list[str]:
        """The paths of the project's modules importing the module at `path` (the index's
        modules, every import at any depth, resolved like the index does; modules that do
        not parse by their import lines). A package's `__init__.py` is imported by any
        import of a module below it."""
        target = self.index.modules.get(path)
        if target is None:
            return [path]  # unknown: assume imported
        target = target.removesuffix(".__init__")
        importers = []

        def hits(name: str) -> bool:
            return name == target or name.startswith(target + ".")

        for other in sorted(self.index.modules):
            if other == path or not other.endswith(".py"):
                continue
            names = self._imported_names(other)
            if names is None or any(hits(name) for name in names):
                importers.append(other)
        for other in self.index.unparsable_modules:
            if other == path or not other.endswith(".py"):
                continue
            try:
                text = self.context.read(other).decode("utf-8", "replace")
            except OSError:
                continue
            if importing_line(text, _module_below(other, self.root), target) is not None:
                importers.append(other)
        return importers

    def _check_unparsable_modules(self) -> None:
        """A module of the project that does not parse (a syntax error, Python 2 code) is
        not in the index and cannot be rewritten: if its text imports the app's module,
        the conversion would leave it importing an app that no longer exists."""
        for path in self.index.unparsable_modules:
            if not path.endswith(".py") or not self.in_scope(path):
                continue
            try:
                text = self.context.read(path).decode("utf-8", "replace")
            except OSError:
                continue
            line = importing_line(text, _module_below(path, self.root), self.app.module)
            if line is not None:
                raise Refused(
                    path, line,
                    f"this module does not parse, so flask-fix cannot rewrite it, and it "
                    f"imports the app's module `{self.app.module}`: it would be left using "
                    "an app that no longer exists; fix its syntax first",
                )  # fmt: skip

    def _check_namespace_imports(self) -> None:
        """The app's module sits in a folder without `__init__.py` (`app/main.py`,
        indexed as `main`), and a module imports it through that folder as a namespace
        package (`from app.main import app`, with the project root on sys.path): the
        index does not link that import to the app, so it would not be rewritten."""
        if "." in self.app.module or os.path.basename(self.app.path) == "__init__.py":
            return
        folders = os.path.normpath(os.path.dirname(self.app.path)).split(os.sep)
        folders = [f for f in folders if f not in ("", ".", "..") and f.isidentifier()]
        names = [".".join([*folders[i:], self.app.module]) for i in range(len(folders))][-3:]
        if not names:
            return
        for path in sorted(self.index.modules):
            if path == self.app.path:
                continue
            try:
                data = self.context.read(path)
            except OSError:
                continue
            for name in names:
                if name.encode() not in data:
                    continue
                line = importing_line(data.decode("utf-8", "replace"), self.index.modules[path], name)
                if line is not None:
                    raise Refused(
                        path, line,
                        f"imports the app's module as `{name}`, through a folder without "
                        f"`__init__.py` (a namespace package), a name flask-fix does not link to "
                        f"`{self.app.module}`; add an `__init__.py` to that folder first",
                    )  # fmt: skip

    def _resolves_to_app(self, imported) -> bool:
        """Whether an importer's import (not straight from the app's module) is our app:
        through a re-export, or a module attribute use."""
        if imported.name is None:
            return False
        exporter = next(
            (p for p, m in self.index.modules.items() if m == imported.module), None
        )
        if exporter is None:
            return False
        chain = self.index.app_importers.get(exporter, [])
        return any(i.local == imported.name for i in chain) and imported.module != self.app.module

    def _scan_other_imports(self) -> None:
        """Star imports of the app's module and imports of the app inside functions (the
        index records module-level imports only): both would break, so refuse. Star
        imports of other modules are recorded (`star_imported`)."""
        app = self.app
        needle = app.variable.encode()
        for path, module in sorted(self.index.modules.items()):
            if not path.endswith(".py") or not self.in_scope(path):
                continue
            try:
                source = self.context.read(path)
            except OSError:
                continue
            if (needle not in source or path == app.path) and b"*" not in source:
                continue
            try:
                tree = ast.parse(source)
            except (SyntaxError, ValueError):
                continue
            package = module if os.path.basename(path) == "__init__.py" else module.rpartition(".")[0]
            for node, nested in _imports_with_depth(tree):
                base = absolute_module(node.module, node.level, package)
                for alias in node.names:
                    if alias.name == "*" and base is not None:
                        self.star_imported.setdefault(base, (path, node.lineno))
                    if path == app.path:
                        continue
                    if base == app.module and alias.name == "*":
                        raise Refused(
                            path, node.lineno,
                            f"`from {base} import *` imports the app's module by star; "
                            "import the names it uses explicitly first",
                        )  # fmt: skip
                    if base == app.module and alias.name == app.variable:
                        if nested and is_test_module(path) and not any(
                            i.view.path == path for i in self.importers
                        ):
                            self.lazy_test_imports.add(path)  # `app = create_app()` there
                        elif nested:
                            raise Refused(
                                path, node.lineno,
                                "imports the app inside a function; import it at module "
                                "level (or use `current_app`) first",
                            )  # fmt: skip
                    if base == app.module and nested is False and alias.name in self._moved_names():
                        raise Refused(
                            path, node.lineno,
                            f"imports `{alias.name}` from `{app.module}`, which the factory "
                            "makes local to `create_app()`",
                        )  # fmt: skip

    def _lazy_test_import_text(self, path: str) -> bytes:
        """`from app import app` inside a test function or fixture: that test builds its
        app there (`from app import create_app` then `app = create_app()`)."""
        view = ModuleView(path, self.context.read(path))
        module = self.index.modules.get(path, "")
        package = module if os.path.basename(path) == "__init__.py" else module.rpartition(".")[0]
        replacements: dict = {}
        for node in walk(view.module):
            if not isinstance(node, cst.IndentedBlock):
                continue
            for position, line in enumerate(node.body):
                if not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
                    continue
                small = line.body[0]
                if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                    continue
                base = absolute_module(
                    cst.helpers.get_full_name_for_node(small.module) if small.module else None,
                    len(small.relative),
                    package,
                )
                alias = next(
                    (a for a in small.names if a.evaluated_name == self.app.variable), None
                )
                if base != self.app.module or alias is None:
                    continue
                local = alias.evaluated_alias or alias.evaluated_name
                if any(a.evaluated_name == FACTORY for a in small.names):
                    raise Refused(path, view.line(small), f"`{FACTORY}` is imported here already")
                new_import = small.with_changes(
                    names=[
                        a.with_changes(name=cst.Name(FACTORY), asname=None) if a is alias else a
                        for a in small.names
                    ]
                )
                creation = cst.parse_statement(f"{local} = {FACTORY}()\n")
                replacements[line] = cst.FlattenSentinel(
                    [line.with_changes(body=[new_import]), creation]
                )
                self.plan.entry_points.append(path)
                self.notes.append(
                    Note(
                        path, view.line(small), view.column(small),
                        f"imports the module-level app inside a function; it now builds its "
                        f"own (`{local} = {FACTORY}()`)",
                    )
                )  # fmt: skip
        return replace_nodes(view.module, replacements).bytes

    def _moved_names(self) -> set[str]:
        names: set[str] = set()
        for index in self.moved:
            names |= bound_names(self.view.body[index]) - {self.app.variable}
        return names

    # the app's own module

    def _classify_app_uses(self) -> None:
        view = self.view
        uses = [n for n in view.accesses_of(self.assignment)]
        decorator_uses = [n for n in uses if view.location(n).zone == DECORATOR]
        self.app_only: list[tuple[int, str, str]] = []  # (statement, method, function)
        for name in decorator_uses:
            function, _, method = self.decorator_use(name, self.main)
            if method is not None:
                self.app_only.append((view.location(name).statement, method, function.name.value))
        import_time = [n for n in uses if view.location(n).zone == IMPORT_TIME]
        self.route_statements: set[int] = set()
        for name in import_time:
            index = view.location(name).statement
            statement = view.body[index]
            if index == self.construction:
                continue
            if is_main_guard(statement):
                self.main_guards.setdefault(index, []).append(name)
            elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                raise self.refuse(
                    name,
                    f"the definition of `{statement.name.value}` uses the app at import time "
                    "(a default value or a class body)",
                )
            elif _add_url_rule_of(statement, name) is not None:
                self.replacements[name] = cst.Name(self.main.variable)
                self.route_statements.add(index)
                self.main.used_at(index)
                self.main.routes += 1
                self.needs_blueprint = True
            else:
                self.moved.add(index)
        for index in self.route_statements:
            others = [
                n for n in import_time if view.location(n).statement == index
            ]
            if len(others) != 1:
                raise Refused(self.app.path, view.line(view.body[index]), "an `add_url_rule` statement uses the app twice")
        self._extension_splits()
        runners = self._entry_functions(uses)  # they create their own app
        entry_functions = runners | self._setup_functions(uses, runners)
        for name in uses:
            where = view.location(name)
            if where.zone == FUNCTION and where.statement not in self.moved and where.statement != self.construction:
                if is_main_guard(view.body[where.statement]):
                    raise self.refuse(name, "a function defined in the `__main__` block uses the app")
                if where.function in entry_functions:
                    continue  # its own `app = create_app()`
                self.function_use(name, cst.Name("current_app"))
        self.loops_and_conditionals()

    def _setup_functions(
        self, uses: list[cst.Name], runners: set[cst.FunctionDef]
    ) -> set[cst.FunctionDef]:
        """Functions that set the app up and are only called at import time, as plain
        `setup()` statements (`def init_login(): login_manager.init_app(app)`), at top
        level or directly in the `__main__` block: they take the app as a parameter; the
        factory calls `setup(app)` where the module did, and the `__main__` block calls
        it with the app it creates."""
        view = self.view
        candidates = {
            view.location(n).function
            for n in uses
            if view.location(n).zone == FUNCTION
            and view.location(n).function is not None
            and view.body[view.location(n).statement] is view.location(n).function
            and view.location(n).statement not in self.moved
        }
        found: set[cst.FunctionDef] = set()
        for function in candidates - runners:
            name = function.name.value
            params = function.params
            if (
                function.decorators
                or name in self.request_functions
                or params.params or params.posonly_params or params.kwonly_params
                or not isinstance(params.star_arg, cst.MaybeSentinel)
                or params.star_kwarg is not None
            ):
                continue
            assignments = view.global_assignments(name)
            if len(assignments) != 1:
                continue
            calls = []
            guard_calls = []  # in `if __name__ == '__main__':`, which creates its app
            for use in view.accesses_of(assignments[0]):
                where = view.location(use)
                call = view.call_of.get(id(use))
                statement = view.body[where.statement]
                if where.zone != IMPORT_TIME or call is None or call.args:
                    break
                if is_main_guard(statement):
                    if not _is_statement_of(statement, call):
                        break
                    guard_calls.append((where.statement, call))
                    continue
                if (
                    where.statement in self.moved
                    or not isinstance(statement, cst.SimpleStatementLine)
                    or len(statement.body) != 1
                    or not isinstance(statement.body[0], cst.Expr)
                    or statement.body[0].value is not call
                ):
                    break
                calls.append((where.statement, statement, call))
            else:
                if not calls and not guard_calls:
                    continue
                found.add(function)
                parameter = cst.Param(cst.Name(self.app.variable))
                self.replacements[params] = params.with_changes(params=[parameter])
                for index, statement, call in calls:
                    with_app = call.with_changes(args=[cst.Arg(cst.Name(self.app.variable))])
                    moved = strip_blank_lines(statement)
                    moved = moved.with_changes(body=[statement.body[0].with_changes(value=with_app)])
                    self.setup_calls[index] = moved
                for index, call in guard_calls:
                    with_app = call.with_changes(args=[cst.Arg(cst.Name(self.app.variable))])
                    self.replacements[call] = with_app
                    self.main_guards.setdefault(index, [])
                    self.guards_with_setup.add(index)
        return found

    def _entry_functions(self, uses: list[cst.Name]) -> set[cst.FunctionDef]:
        """Top-level functions that run the app (`def main(): ... app.run()`): they
        start with `app = create_app()` and keep using that app."""
        view = self.view
        found: set[cst.FunctionDef] = set()
        for name in uses:
            where = view.location(name)
            function = where.function
            attribute = view.attribute_of.get(id(name))
            if (
                where.zone == FUNCTION
                and where.direct
                and function is not None
                and view.body[where.statement] is function
                and function.name.value not in self.request_functions
                and attribute is not None
                and attribute.attr.value == "run"
                and where.statement not in self.moved
            ):
                found.add(function)
        for function in found:
            body = function.body
            if not isinstance(body, cst.IndentedBlock):
                raise self.refuse(function, f"`{function.name.value}` runs the app on one line")
            # (it reads the module's app, so `app` is no local of its own yet)
            first = 1 if is_docstring(body.body[0]) and len(body.body) > 1 else 0
            statement = body.body[first]
            creation = cst.parse_statement(f"{self.app.variable} = {FACTORY}()\n")
            self.replacements[statement] = cst.FlattenSentinel([creation, statement])
            self.plan.entry_points.append(f"{view.path}:{function.name.value}")
        return found

    def loops_and_conditionals(self) -> None:
        """Routes registered in loops or conditionals: their endpoints are not knowable."""
        for index in self.moved:
            statement = self.view.body[index]
            if isinstance(statement, cst.SimpleStatementLine):
                continue
            for node in walk(statement):
                if isinstance(node, cst.Attribute) and node.attr.value in ("route", "add_url_rule"):
                    root = node.value
                    if isinstance(root, cst.Name) and root.value == self.app.variable:
                        kind = type(statement).__name__.lower()
                        raise Refused(
                            self.app.path,
                            self.view.line(statement),
                            f"routes are registered on the app inside a `{kind}` block; "
                            "flask-fix moves top-level routes only",
                        )

    def _extension_splits(self) -> None:
        """`ext = Ext(app)` stays as `ext = Ext()`; `ext.init_app(app)` joins the factory."""
        for made in _extension_inits(self.view, self.index, self.app.path):
            call_name = made.call.func
            root = call_name
            while isinstance(root, cst.Attribute):
                root = root.value
            index = self.view.location(root).statement
            statement = self.view.body[index]
            if made.target is None or not made.import_time or index not in self.moved:
                continue
            if not (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], (cst.Assign, cst.AnnAssign))
                and statement.body[0].value is made.call
            ):
                continue
            if made.level is None or made.init_app is None or made.constructor is None:
                uses_elsewhere = self._used_outside(index, {made.target})
                if uses_elsewhere:
                    raise Refused(self.app.path, self.view.line(statement), made.message)
                continue
            apps = [
                n for n in self.view.accesses_of(self.assignment) if self.view.location(n).statement == index
            ]
            if len(apps) != 1:
                continue
            if _keeps_a_fallback(made.extension):
                self._check_database_uses(made.target)
            self.moved.discard(index)
            small = statement.body[0]
            kept = statement.with_changes(body=[small.with_changes(value=made.constructor)])
            init = cst.SimpleStatementLine(body=[cst.Expr(made.init_app)])
            self.split[index] = (kept, init)
            self.plan.extensions.append(made.target)

    def _check_database_uses(self, target: str) -> None:
        """Flask-SQLAlchemy before 3.0 (allowed by the project's requirements, or not
        declared) falls back on the app given to `SQLAlchemy(app)` outside an application
        context; the factory's split removes it. Refuse when a script, a module's import-time
        code or a test uses the database outside a context (legacy_db.py)."""
        if not legacy_db.may_fall_back(self.index):
            return
        qualified = f"{self.app.module}.{target}"
        databases = frozenset(
            name
            for name in self.index.contexts.sqlalchemy_given_app
            if name == qualified or name.rpartition(".")[2] == target
        ) | {qualified}
        uses = legacy_db.fallback_uses(self.index, self.in_scope, databases)
        for path, line, code, _ in uses:
            version = self.index.flask_sqlalchemy_version
            allowed = (
                "does not declare which Flask-SQLAlchemy it runs on"
                if version is None
                else f"allows Flask-SQLAlchemy {pins.describe(version) if any(version) else 'before 3.0'}"
            )
            raise Refused(
                path, line,
                f"`{code}` runs outside an application context, which works only with "
                "Flask-SQLAlchemy before 3.0, through the app given to "
                f"`{target} = SQLAlchemy({self.app.variable})`, and the project {allowed}; "
                "the factory's `init_app` split removes that app: use it inside "
                f"`with app.app_context():` (or require Flask-SQLAlchemy>=3.0) first",
            )  # fmt: skip

    def _used_outside(self, index: int, names: set[str]) -> list[cst.Name]:
        found = []
        for name in names:
            for assignment in self.view.global_assignments(name):
                for use in self.view.accesses_of(assignment):
                    if self.view.location(use).statement not in self.moved | {index}:
                        found.append(use)
        return found

    def _check_moved_bindings(self) -> None:
        view = self.view
        moved = self.moved | {self.construction}
        for index in sorted(self.moved):
            for name in sorted(bound_names(view.body[index]) - {self.app.variable}):
                for assignment in view.global_assignments(name):
                    node = assignment.node
                    if node in view.positions and id(node) in view.where and view.location(node).statement not in moved:
                        raise Refused(
                            self.app.path,
                            view.line(view.body[index]),
                            f"`{name}` is set both at import time from the app (line "
                            f"{view.line(view.body[index])}) and elsewhere (line {view.line(node)})",
                        )
                    for use in view.accesses_of(assignment):
                        if view.location(use).statement not in moved:
                            raise Refused(
                                self.app.path,
                                view.line(use),
                                f"`{name}` is computed from the app at import time (line "
                                f"{view.line(view.body[index])}) and used by code that stays at "
                                "module level; in a factory it would be local to `create_app()`",
                            )

    # other modules

    def imports_module(self, module: str) -> bool:
        """Whether the app's module imports `module` at module level."""
        return any(self._module_binding(statement, module) is not None for statement in self.view.body) or any(
            isinstance(statement, cst.SimpleStatementLine)
            and any(
                isinstance(small, cst.Import)
                and any(alias.evaluated_name == module for alias in small.names)
                for small in statement.body
            )
            for statement in self.view.body
        )

    def _absolute(self, qualified: str | None) -> str | None:
        """A qualified name made absolute (LibCST keeps relative imports' dots)."""
        if qualified is None or not qualified.startswith("."):
            return qualified
        rest = qualified.lstrip(".")
        level = len(qualified) - len(rest)
        package = self.app.module if os.path.basename(self.app.path) == "__init__.py" else self.app.module.rpartition(".")[0]
        base = absolute_module(None, level, package)
        return f"{base}.{rest}" if base else rest

    def _import_time_calls(self):
        """(statement index, call, absolute callee) for the calls the app's module makes
        at import time outside an application context."""
        view = self.view
        for node in walk(view.module):
            if not isinstance(node, cst.Call):
                continue
            root = node.func
            while isinstance(root, cst.Attribute):
                root = root.value
            if id(root) not in view.where:
                continue
            where = view.location(root)
            if where.zone == FUNCTION or is_main_guard(view.body[where.statement]):
                continue
            if where.statement in self.moved and where.in_app_context:
                continue
            yield where.statement, node, self._absolute(view.qualified(node.func))

    def _cross_module_setup(self, importer: _ViewsModule) -> None:
        """`load_plugins()` at import time in the app's module, where `load_plugins` uses
        the app and comes from a views module: it takes the app, the factory calls it."""
        module = self.index.modules.get(importer.view.path)
        functions = importer.direct_app_functions
        if not functions or module is None:
            return
        for index, call, callee in list(self._import_time_calls()):
            name = callee.rpartition(".")[2] if callee else None
            if callee != f"{module}.{name}" or name not in functions:
                continue
            function = functions[name]
            statement = self.view.body[index]
            params = function.params
            plain = (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Expr)
                and statement.body[0].value is call
                and not call.args
                and index not in self.moved
                and not function.decorators
                and not (params.params or params.posonly_params or params.kwonly_params)
                and isinstance(params.star_arg, cst.MaybeSentinel)
                and params.star_kwarg is None
            )
            others = [
                use
                for assignment in importer.view.global_assignments(name)
                for use in importer.view.accesses_of(assignment)
            ]
            if not plain or others:
                raise Refused(
                    self.app.path,
                    self.view.line(call),
                    f"`{name}()` ({importer.view.path}) runs at import time and uses the app; "
                    "inside a factory it would run without an application context",
                )
            importer.setup_functions.add(name)
            with_app = call.with_changes(args=[cst.Arg(cst.Name(self.app.variable))])
            moved = strip_blank_lines(statement).with_changes(
                body=[statement.body[0].with_changes(value=with_app)]
            )
            self.setup_calls[index] = moved

    def _check_calls_into_importers(self) -> None:
        """No import-time call of the app's module may reach a function of another module
        that now uses current_app."""
        users = {}
        for importer in self.importers:
            module = self.index.modules.get(importer.view.path)
            for name in importer.current_app_users():
                users[f"{module}.{name}"] = importer.view.path
        for index, call, callee in self._import_time_calls():
            if callee in users and index not in self.setup_calls:
                raise Refused(
                    self.app.path,
                    self.view.line(call),
                    f"`{callee.rpartition('.')[2]}()` ({users[callee]}) runs at import time "
                    "and uses the app; inside a factory it would run without an application "
                    "context",
                )

    def _plan_importers(self) -> None:
        taken = {b.name for b in self.index.blueprints if b.name}
        taken.add(self.main.name)
        for importer in self.importers:
            if importer.kind == "entry":
                importer.plan_entry()
                continue
            name = importer.view.path and self.index.modules.get(importer.view.path, "views").rpartition(".")[2]
            if name in taken or name == "__init__":
                raise Refused(
                    importer.view.path,
                    1,
                    f"a blueprint named '{name}' (after the module) already exists",
                )
            taken.add(name)
            blueprint = BlueprintPlan(
                importer.view.path,
                self.index.modules.get(importer.view.path, name),
                name,
                self._free_variable(importer.view, ("bp", f"{name}_bp")),
            )
            self._cross_module_setup(importer)
            importer.plan_views(blueprint)
            star = self.star_imported.get(blueprint.module)
            if importer.needs_blueprint and star is not None:
                raise Refused(
                    star[0], star[1],
                    f"`from {blueprint.module} import *` would also import the blueprint "
                    f"`{blueprint.variable}` the rewrite creates there; import the names it "
                    "uses explicitly first",
                )  # fmt: skip
            if importer.needs_blueprint:
                self.plan.blueprints.append(blueprint)
                self._register(importer, blueprint)
        self._check_calls_into_importers()

    def _register(self, importer: _ViewsModule, blueprint: BlueprintPlan) -> None:
        """The factory registers a views module's blueprint where the app's module imported
        that module (its routes were registered then), or at the end."""
        view = self.view
        for index, statement in enumerate(view.body):
            expression = self._module_binding(statement, blueprint.module)
            if expression is not None:
                register = cst.parse_statement(
                    f"{self.app.variable}.register_blueprint({expression}.{blueprint.variable})\n"
                )
                self.entries.append(_Entry(index + 0.5, [register]))
                return
        alias = f"{blueprint.name}_bp"
        statements = [
            cst.parse_statement(f"from {blueprint.module} import {blueprint.variable} as {alias}\n"),
            cst.parse_statement(f"{self.app.variable}.register_blueprint({alias})\n"),
        ]
        self.entries.append(_Entry(len(view.body) + 0.5, statements))

    def _module_binding(self, statement: cst.BaseStatement, module: str) -> str | None:
        """The expression naming `module` that a top-level import statement binds."""
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        package = self.app.module if os.path.basename(self.app.path) == "__init__.py" else self.app.module.rpartition(".")[0]
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                base = absolute_module(
                    cst.helpers.get_full_name_for_node(small.module) if small.module else None,
                    len(small.relative),
                    package,
                )
                for alias in small.names:
                    full = f"{base}.{alias.evaluated_name}" if base else alias.evaluated_name
                    if full == module:
                        return alias.evaluated_alias or alias.evaluated_name
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.evaluated_name == module:
                        return alias.evaluated_alias or module
        return None

    def _endpoint_map(self) -> None:
        blueprints = {self.app.path: self.main, **{b.path: b for b in self.plan.blueprints}}
        for route in self.index.routes:
            if route.app != self.app.qualified_name or route.blueprint is not None:
                continue
            if route.endpoint == "static" and route.view is None:
                continue
            if not self.in_scope(route.path) or route.path in self.other_app_paths:
                continue  # a namesake app's route
            blueprint = blueprints.get(route.path)
            if blueprint is None:
                raise Refused(
                    route.path,
                    route.line,
                    "registers a route on the app in a way flask-fix does not convert",
                )
            if route.endpoint is None:
                raise Refused(
                    route.path, route.line, "a route's endpoint is not a literal; its new name is unknown"
                )
            self.plan.endpoints[route.endpoint] = f"{blueprint.name}.{route.endpoint}"
        if self.needs_blueprint:
            self.plan.blueprints.insert(0, self.main)

    # writing the app's module

    def blueprint_statement(self, view: ModuleView, blueprint: BlueprintPlan) -> cst.BaseStatement:
        options = ", cli_group=None" if blueprint.cli else ""
        reference = "Blueprint"
        names = _names_qualified(view, view.module, "Blueprint")
        if names and not names <= BLUEPRINT:
            raise Refused(view.path, 1, "`Blueprint` means something else in this module")
        quote = _quote_of(view.module)
        return cst.parse_statement(
            f"{blueprint.variable} = {reference}({quote}{blueprint.name}{quote}, __name__{options})\n"
        )

    def _app_module_text(self) -> bytes:
        view, app = self.view, self.app
        for name in ("current_app",):
            names = _names_qualified(view, view.module, name)
            if self.uses_current_app and (names is None or names - CURRENT_APP):
                raise Refused(app.path, 1, f"`{name}` means something else in this module")
        body = ModuleBody()
        main_guard = next((i for i in range(len(view.body)) if is_main_guard(view.body[i])), None)
        factory_at = main_guard if main_guard is not None else len(view.body)
        self._factory_entries()
        for index, statement in enumerate(view.body):
            if index == factory_at:
                body.add(self._factory_def())
            if index == self.construction:
                if self.needs_blueprint:
                    blueprint = self.blueprint_statement(view, self.main)
                    blueprint = blueprint.with_changes(
                        leading_lines=[l for l in statement.leading_lines if l.comment is None]
                    )
                    body.keep(blueprint)
                else:
                    body.drop(statement)
                continue
            if index in self.moved or index in self.setup_calls:
                body.drop(statement)
                continue
            if index in self.split:
                body.keep(replace_nodes_in(self.split[index][0], self.replacements))
                continue
            if index in self.main_guards:
                statement = self._main_guard(index, statement, self.main_guards[index])
            new = replace_nodes_in(statement, self.replacements)
            if new is cst.RemovalSentinel.REMOVE:
                body.drop(statement)
            else:
                body.keep(new)
        if factory_at == len(view.body):
            body.add(self._factory_def())
        module = view.module.with_changes(body=body.statements)
        add = []
        if self.needs_blueprint:
            add.append(("flask", "Blueprint", None))
        if self.uses_current_app:
            add.append(("flask", "current_app", None))
        if add:
            from ..imports import first_party, update_imports

            project = first_party(self.index.modules.values())
            module = update_imports(module, add, [], project)
        return module.bytes

    def _main_guard(self, index: int, statement: cst.If, uses: list[cst.Name]) -> cst.BaseStatement:
        """`app.run()` alone becomes `create_app().run()`; a block using the app more
        (or calling a setup function, which now takes it) starts with `app = create_app()`."""
        call = f"{FACTORY}()"
        if len(uses) == 1 and index not in self.guards_with_setup:
            attribute = self.view.attribute_of.get(id(uses[0]))
            if attribute is not None and attribute.attr.value == "run":
                self.replacements[uses[0]] = cst.parse_expression(call)
                return statement
        creation = cst.parse_statement(f"{self.app.variable} = {call}\n")
        block = statement.body
        assert isinstance(block, cst.IndentedBlock)
        return statement.with_changes(body=block.with_changes(body=[creation, *block.body]))

    def _factory_entries(self) -> None:
        view = self.view
        construction = strip_blank_lines(view.body[self.construction])
        self.entries.append(_Entry(self.construction, [construction], config=True))
        for index in self.moved:
            statement = strip_blank_lines(view.body[index])
            self.entries.append(_Entry(index, [statement], config=self._is_config(index)))
        for index, (_, init) in self.split.items():
            self.entries.append(_Entry(index, [init]))
        for index, call in self.setup_calls.items():
            self.entries.append(_Entry(index, [call]))
        for index, method, function in self.app_only:
            register = cst.parse_statement(f"{self.app.variable}.{method}({function})\n")
            self.entries.append(_Entry(index, [register]))
        if self.needs_blueprint:
            first = self.main.first_statement
            assert first is not None
            register = cst.parse_statement(
                f"{self.app.variable}.register_blueprint({self.main.variable})\n"
            )
            self.entries.append(_Entry(first - 0.5, [register]))

    def _is_config(self, index: int) -> bool:
        return self._configures(self.view.body[index])

    def _configures(self, statement: cst.BaseStatement) -> bool:
        """`app.config.<load>(...)`, `app.config[key] = ...`, `app.secret_key = ...` (what
        the statement reads does not matter: it configures the app), or an `if` whose
        branches only do that (`if app.config['ENV'] == 'development': ...`)."""
        if isinstance(statement, cst.If):
            branches = [statement.body]
            orelse = statement.orelse
            while orelse is not None:
                if isinstance(orelse, cst.If):
                    branches.append(orelse.body)
                    orelse = orelse.orelse
                else:
                    branches.append(orelse.body)
                    orelse = None
            return all(
                isinstance(block, cst.IndentedBlock)
                and all(self._configures(line) for line in block.body)
                for block in branches
            )
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        app = self.app.variable

        def is_app(node: cst.BaseExpression) -> bool:
            return isinstance(node, cst.Name) and node.value == app

        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            func = small.value.func
            return (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Attribute)
                and func.value.attr.value == "config"
                and is_app(func.value.value)
            )
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if isinstance(target, cst.Subscript):
                target = target.value
                return (
                    isinstance(target, cst.Attribute)
                    and target.attr.value == "config"
                    and is_app(target.value)
                )
            return (
                isinstance(target, cst.Attribute)
                and target.attr.value in CONFIG_ATTRIBUTES
                and is_app(target.value)
            )
        return False

    def _factory_def(self) -> cst.FunctionDef:
        entries = sorted(self.entries, key=lambda e: e.key)
        # the `config` argument goes right after the module's own configuration: the
        # first run of configuration statements (or the construction when there is none),
        # so that it overrides them and extensions initialised later see it
        config_after = 0
        first = next((p for p, e in enumerate(entries) if p > 0 and e.config), None)
        if first is not None:
            config_after = first
            while config_after + 1 < len(entries) and entries[config_after + 1].config:
                config_after += 1
        parameter = self.config_parameter
        app = self.app.variable
        apply_config = cst.parse_statement(
            f"if {parameter} is not None:\n"
            f"    if isinstance({parameter}, dict):\n"
            f"        {app}.config.from_mapping({parameter})\n"
            f"    else:\n"
            f"        {app}.config.from_object({parameter})\n"
        )
        statements: list[cst.BaseStatement] = []
        for position, entry in enumerate(entries):
            statements.extend(entry.statements)
            if position == config_after:
                statements.append(apply_config)
        statements.append(cst.parse_statement(f"return {app}\n"))
        function = cst.parse_statement(f"def {FACTORY}({parameter}=None):\n    pass\n")
        assert isinstance(function, cst.FunctionDef)
        function = function.with_changes(body=function.body.with_changes(body=statements))
        return with_blank_lines(function, 2)

    def _summary(self) -> Note:
        plan, view, app = self.plan, self.view, self.app
        parts = [f"the app is built in `{FACTORY}({self.config_parameter}=None)`"]
        for blueprint in plan.blueprints:
            what = []
            if blueprint.routes:
                what.append(f"{blueprint.routes} route{'s' if blueprint.routes != 1 else ''}")
            if blueprint.handlers:
                what.append(f"{blueprint.handlers} handler{'s' if blueprint.handlers != 1 else ''}")
            where = "" if blueprint.path == app.path else f" of {blueprint.path}"
            verb = "moves" if blueprint.routes + blueprint.handlers == 1 else "move"
            parts.append(
                f"{' and '.join(what) or 'nothing'}{where} {verb} to blueprint "
                f"'{blueprint.name}' (endpoints become '{blueprint.name}.*')"
            )
        if plan.extensions:
            names = ", ".join(f"`{n}`" for n in plan.extensions)
            parts.append(f"{names} {'is' if len(plan.extensions) == 1 else 'are'} initialised with `init_app`")
        if plan.current_app_modules:
            count = len(plan.current_app_modules)
            parts.append(f"{_plural(count, 'module')} {'uses' if count == 1 else 'use'} `current_app`")
        if plan.entry_points:
            count = len(plan.entry_points)
            parts.append(f"{_plural(count, 'entry point')} {'calls' if count == 1 else 'call'} `{FACTORY}()`")
        node = view.body[self.construction]
        return Note(
            app.path,
            view.line(node),
            view.column(node),
            f"module-level app `{app.variable}`: " + "; ".join(parts),
        )


def _is_statement_of(block: cst.If, call: cst.Call) -> bool:
    """Whether `call` is a whole statement directly in the body of `block`."""
    body = block.body
    return isinstance(body, cst.IndentedBlock) and any(
        isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
        and isinstance(line.body[0], cst.Expr)
        and line.body[0].value is call
        for line in body.body
    )



def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _imports_with_depth(tree: ast.Module):
    """(ImportFrom, nested in a function or class) for every from-import of the module."""

    def visit(node: ast.AST, nested: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom):
                yield child, nested
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
            yield from visit(child, inner)

    yield from visit(tree, False)



def _keeps_a_fallback(extension: str) -> bool:
    """Flask-SQLAlchemy: before 3.0 its constructor keeps the app as a fallback."""
    from ..extensions import KNOWN_EXTENSIONS, Remembers

    spec = KNOWN_EXTENSIONS.get(extension)
    return spec is not None and spec.remembers is Remembers.FALLBACK


def _extension_inits(view: ModuleView, index: ProjectIndex, path: str) -> list:
    """FLK202's split of `ext = Ext(app)` (flask_fix/rewrite/extensions.py)."""
    from ..extensions import find_extension_inits

    return find_extension_inits(view.wrapper, index, path)


# `from x import ...` / `import x, y as z` at the start of a line (a module that does
# not parse is read as text)
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w., \t]+))", re.M)


def importing_line(text: str, module: str, target: str) -> int | None:
    """The first line of `text` (the module `module`) importing the module `target`
    itself (`from target import x`, `import target`, a relative `from . import x`
    resolving to it), or None."""
    is_package = module.endswith(".__init__")
    module = module.removesuffix(".__init__")
    package = module if is_package else module.rpartition(".")[0]
    for match in _IMPORT_LINE.finditer(text):
        if match.group(1) is not None:
            dots = len(match.group(1)) - len(match.group(1).lstrip("."))
            named = [absolute_module(match.group(1)[dots:] or None, dots, package)]
        else:
            named = [part.split()[0] for part in match.group(2).split(",") if part.split()]
        if target in named:
            return text.count("\n", 0, match.start()) + 1
    return None


def _module_below(path: str, root: str) -> str:
    """The dotted name of the module at `path` under the import root `root`
    (`pkg/__init__.py` -> `pkg.__init__`)."""
    relative = os.path.relpath(os.path.normpath(path), os.path.normpath(root) or ".")
    return relative.removesuffix(".py").replace(os.sep, ".")
