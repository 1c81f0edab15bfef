"""What one module declares, as the index scan records it (`ModuleFacts` and the
declarations in it), and the interface through which the fact gatherers (contextfacts,
extensionfacts) plug into the scan and the link: `ModuleScan` and `ProjectLink`.

Plain data and protocols only: the fact gatherers import this module; the scanner, the
linker and ProjectIndex (flask_fix.index.project) import both.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Protocol

#: every node of a module's `ast`, by node class, in the order the scan met them
NodesByType = dict[type, list[ast.AST]]

Key = tuple[str, str]  # (path, local qualified name) of an object


def local_name(function: str | None, variable: str) -> str:
    return f"{function}.<locals>.{variable}" if function else variable


@dataclass(frozen=True, slots=True)
class ImportedName:
    """`local` in a module refers to `module`.`name` (name None: the module itself)."""

    local: str
    module: str
    name: str | None


@dataclass(frozen=True, slots=True)
class AppObject:
    path: str
    module: str
    variable: str
    line: int
    # qualified name of the function creating it (a factory); None at module level
    function: str | None = None
    # `Flask(static_folder=...)` as written, relative to the module's folder (Flask's
    # root_path); None: no static folder; "" when not a literal string
    static_folder: str | None = "static"
    # the URL its static route is served at (`static_url_path`, else '/' and the
    # folder's name); None when not known
    static_url_path: str | None = "/static"

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{local_name(self.function, self.variable)}"


@dataclass(frozen=True, slots=True)
class BlueprintObject:
    path: str
    module: str
    variable: str
    name: str | None  # None when the name is not a literal
    url_prefix: str | None
    line: int
    url_prefix_known: bool = True  # False: url_prefix is an expression we cannot evaluate
    function: str | None = None  # qualified name of the function creating it, if any
    has_url_defaults: bool = False
    # False when its routes depend on what we do not model (subdomain=, **options)
    certain: bool = True


@dataclass(frozen=True, slots=True)
class Route:
    rule: str  # as written: '/user/<int:id>' (the source text when not a literal)
    url: str | None  # full rule with prefixes; None when a prefix is unknown
    endpoint: str | None  # 'admin.user'; None when not a literal
    methods: frozenset[str]  # uppercase, as declared; empty when unknown (then not certain)
    view: str | None  # qualified name of the view function (or View class) in its module
    path: str  # where the route is declared
    line: int
    blueprint: str | None = None  # the blueprint's registered (dotted) name
    strict_slashes: bool = True
    has_defaults: bool = False
    # registration order within the project, used to tell which rule url_for builds
    order: int = 0
    # False when the route might not be served as computed: its blueprint was never seen
    # registered, its app or blueprint is not resolvable, or it uses options, methods or
    # a blueprint setup we do not model
    certain: bool = True
    rule_known: bool = True  # False: `rule` is source text, not the rule
    view_path: str | None = None  # the file defining the view (may differ from `path`)
    app: str | None = None  # qualified name of the app serving it ('pkg.app')


@dataclass(frozen=True, slots=True)
class RouteDecl:
    """A route as declared in one module, before prefixes and endpoint names are known."""

    target: str | None  # qualified name of the app or blueprint; None: not resolvable
    rule: str  # the rule, or the source text of a rule that is not a literal
    rule_known: bool
    endpoint: str | None  # None: unknown, or to be taken from the view (endpoint_from_view)
    endpoint_from_view: bool
    methods: frozenset[str] | None  # None: not a literal, or taken from the View class
    view: str | None  # qualified name of the view function or View class
    view_is_class: bool  # registered through View.as_view(): methods come from the class
    line: int
    strict_slashes: bool = True
    has_defaults: bool = False
    modeled: bool = True  # False: options we do not model (subdomain, host, redirect_to...)
    # the call's own shape says it is Flask routing (`route`, `add_url_rule`, or a
    # shortcut with a '/' rule): kept as an uncertain route even if the target is unknown
    flask_shaped: bool = True


@dataclass(frozen=True, slots=True)
class RegistrationDecl:
    """`parent.register_blueprint(blueprint, **options)` as declared in one module."""

    parent: str | None  # qualified name of the app or blueprint; None: not resolvable
    blueprint: str  # qualified name of the blueprint registered
    line: int
    url_prefix: str | None = None  # the url_prefix= option; None when absent
    url_prefix_known: bool = True
    name: str | None = None  # the name= option; None when absent
    name_known: bool = True
    has_url_defaults: bool = False
    modeled: bool = True  # False: subdomain= or **options we cannot see


@dataclass(frozen=True, slots=True)
class ClassDecl:
    """A class with bases: enough to recognise class-based views and their methods."""

    qualname: str
    bases: tuple[str | None, ...]  # qualified names; None when not resolvable
    functions: frozenset[str]  # names of the functions defined in its body
    sets_methods: bool  # its body assigns `methods`
    methods: frozenset[str] | None  # that assignment, uppercase, when a literal
    line: int
    # Flask-SQLAlchemy's database settings its body assigns (a config class that moves
    # the app to another database: SQLALCHEMY_DATABASE_URI, SQLALCHEMY_BINDS), each with
    # its value when that is a string literal (else None), in the body's order
    database_settings: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class ConfigLoad:
    """`config.from_object(target)` or `config.from_pyfile(target)` in one module."""

    kind: str  # 'object': a qualified name; 'map': `mapping[...]`, the mapping's qualified
    # name (its values are loaded); 'pyfile': a file name relative to the calling module
    target: str
    line: int


@dataclass(slots=True)
class ModuleFacts:
    """What one module declares; produced per file, in a worker, from its `ast`."""

    path: str
    module: str
    imports: list[ImportedName] = field(default_factory=list)  # module-level imports
    apps: list[AppObject] = field(default_factory=list)  # module-level `app = Flask(...)`
    blueprints: list[BlueprintObject] = field(default_factory=list)
    # unused by the index; free for other passes to attach their own per-module facts
    raw: dict = field(default_factory=dict)
    factory_apps: list[AppObject] = field(default_factory=list)  # created inside functions
    routes: list[RouteDecl] = field(default_factory=list)
    registrations: list[RegistrationDecl] = field(default_factory=list)
    classes: list[ClassDecl] = field(default_factory=list)
    # module-level names bound to another qualified name (imports, `a = b.c` aliases)
    exports: dict[str, str] = field(default_factory=dict)
    # star imports: the modules a module-level `from m import *` names (absolute, in
    # order); every module-level name bound here; `__all__` when literal lists or tuples of
    # strings give it (None: not defined, or not known). A star import of this module
    # binds `__all__`, else the public names of `names` (the linker follows them)
    star_imports: list[str] = field(default_factory=list)
    # module-level functions taking the error alone that neither raise nor may log or
    # report: what a catch-all error handler of another module may be (index/handlers.py)
    quiet_functions: set[str] = field(default_factory=set)
    names: tuple[str, ...] = ()
    all_names: tuple[str, ...] | None = None
    # module-level `x.run(...)` calls (`__main__` blocks included): the receiver's qualified
    # name, or `f()` for `f().run()`; an app's run() starts the development server
    run_calls: list[str] = field(default_factory=list)
    # qualified names read through a module-level `import x` (`app.app`): who uses the app
    module_attribute_uses: set[str] = field(default_factory=set)
    # functions (qualified in the module) that return a Flask app they create: factories
    app_factories: set[str] = field(default_factory=set)
    # module-level `name = f(...)`: name -> qualified f (an app when f is a factory)
    call_results: dict[str, str] = field(default_factory=dict)
    # functions returning what a call made (`x = f(...); return x`, `return f(...)`):
    # function -> qualified f (a factory when f is a Flask subclass)
    returned_calls: dict[str, str] = field(default_factory=dict)
    config_loads: list[ConfigLoad] = field(default_factory=list)
    # module-level `name = {...: Class, ...}` -> the values' qualified names (`config[name]`)
    config_maps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the module may set a secret key: SECRET_KEY or secret_key assigned, a config loader
    # called, a config key set that is not a literal, or the session interface replaced
    may_set_secret_key: bool = False
    # Flask-Login's user properties (`is_authenticated`, `is_active`, `is_anonymous`) that
    # a class of the module defines as plain methods, the pre-0.3 way (FLK802)
    login_methods: set[str] = field(default_factory=set)


class Scope(Protocol):
    """A scope of the scan: what is defined in it is qualified with `prefix`."""

    prefix: str


class ModuleScan(Protocol):
    """What a fact gatherer sees of the scan of one module (the scanner in
    flask_fix.index.project hands itself over as one)."""

    facts: ModuleFacts
    nodes: NodesByType  # the module's nodes by class
    scope: Scope  # the scope being walked
    created: dict[str, str]  # qualified name -> what call made it, if any

    def own(self, name: str) -> str:
        """The qualified name `name` gets when bound in the current scope."""
        ...

    def scope_of(self, name: str) -> Scope | None:
        """The scope `name` is bound in, seen from the current one; None: unbound."""
        ...

    def qualify(self, node: ast.expr) -> str | None:
        """The qualified name a Name or dotted Attribute refers to, or None."""
        ...

    def absolute_module(self, module: str | None, level: int) -> str | None:
        """The absolute module an import statement (relative or not) names."""
        ...


class ProjectLink(Protocol):
    """What a fact gatherer sees of the link of every module's facts (the linker in
    flask_fix.index.project hands itself over as one)."""

    facts: list[ModuleFacts]
    classes: dict[Key, ClassDecl]

    def resolve(self, qualified: str, from_path: str) -> Key | None:
        """(path, name in that module) a qualified name refers to, following re-exports."""
        ...

    def module_file(self, module: str, from_path: str) -> ModuleFacts | None:
        """The file of a module (the one nearest `from_path` when several share it)."""
        ...

    def exports_of(self, module: ModuleFacts) -> dict[str, str]:
        """`module.exports` and the names its star imports of project modules bind."""
        ...
