"""ProjectIndex: what the whole project declares, gathered with the stdlib `ast`.

One pass over every candidate file (in the engine's worker pool) turns each module into
`ModuleFacts`; `build_index` then links them: which blueprint is registered on which app
with which prefix, hence every route's full URL and endpoint. User code is never imported
or run.

Names are resolved the way Python would, within what one `ast` walk can see: through
imports (relative ones included), simple aliases (`application = app`) and module-level
re-exports (`from .admin import bp` in a package's `__init__.py`), star imports of project
modules included (`from .user import *`: the module's `__all__` when a literal gives it,
else its public module-level names; a name the importing module binds itself keeps its
own binding). Whatever cannot be resolved is kept, marked uncertain, so that rules report
instead of rewriting.
"""

from __future__ import annotations

import ast
import builtins
import functools
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from . import clifacts, contextfacts, extensionfacts, handlers, sessionfacts, testcode
from .facts import (
    AppObject,
    BlueprintObject,
    ClassDecl,
    ConfigLoad,
    ImportedName,
    Key,
    ModuleFacts,
    NodesByType,
    RegistrationDecl,
    Route,
    RouteDecl,
    local_name,
)
from ..model import TOO_DEEP_ERRORS, TOO_DEEP_MESSAGE, ErrorKind
from ..sourceio import SourceError

FLASK_CLASSES = frozenset({"flask.Flask", "flask.app.Flask"})
BLUEPRINT_CLASSES = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
SQLALCHEMY_CLASSES = frozenset(
    {
        "flask_sqlalchemy.SQLAlchemy",
        "flask_sqlalchemy.extension.SQLAlchemy",
        "flask.ext.sqlalchemy.SQLAlchemy",
    }
)
# Flask-Script (unmaintained): its `runserver` command serves the app with app.run()
FLASK_SCRIPT_MANAGERS = frozenset({"flask_script.Manager", "flask.ext.script.Manager"})
METHOD_VIEW_CLASSES = frozenset({"flask.views.MethodView"})
VIEW_CLASSES = frozenset({"flask.views.View"})
# MethodView dispatches to these (flask.views.http_method_funcs)
HTTP_METHOD_FUNCS = frozenset({"get", "post", "head", "options", "delete", "put", "trace", "patch"})
VIEW_METHOD_NAMES = HTTP_METHOD_FUNCS | {"dispatch_request"}
# `@app.get(rule)` and friends (flask.sansio.scaffold.Scaffold)
ROUTE_SHORTCUTS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
# route options whose effect on matching and building is modeled (or is none)
MODELED_ROUTE_OPTIONS = frozenset(
    {
        "methods",
        "endpoint",
        "strict_slashes",
        "defaults",
        "provide_automatic_options",
        "merge_slashes",
    }
)

# parameter names, in order, of the calls read here (Flask 3.1)
_FLASK_PARAMETERS = (
    "import_name",
    "static_url_path",
    "static_folder",
    "static_host",
    "host_matching",
)
_BLUEPRINT_PARAMETERS = (
    "name", "import_name", "static_folder", "static_url_path", "template_folder", "url_prefix",
    "subdomain", "url_defaults", "root_path", "cli_group",
)  # fmt: skip
_ADD_URL_RULE_PARAMETERS = ("rule", "endpoint", "view_func", "provide_automatic_options")
# flask.Config loaders: what they load may set any key, SECRET_KEY included
CONFIG_LOADERS = frozenset(
    {"from_object", "from_pyfile", "from_envvar", "from_file", "from_prefixed_env", "from_json"}
)
CONFIG_SETTERS = frozenset({"update", "from_mapping", "setdefault"})
# Flask-SQLAlchemy settings naming the database (ClassDecl.database_settings)
DATABASE_KEYS = frozenset({"SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_BINDS"})
# modules whose session interfaces work without Flask's secret key (server-side sessions)
SESSION_EXTENSIONS = frozenset({"flask_session", "flask_kvsession"})



@dataclass
class ProjectIndex:
    modules: dict[str, str] = field(default_factory=dict)  # path -> dotted module name
    apps: list[AppObject] = field(default_factory=list)
    blueprints: list[BlueprintObject] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    views: frozenset[tuple[str, str]] = frozenset()  # (path, qualified function name)
    app_importers: dict[str, list[ImportedName]] = field(default_factory=dict)
    factory_apps: list[AppObject] = field(default_factory=list)
    # qualified names under which a module-level Flask-SQLAlchemy instance (of its class or
    # a project subclass) can be imported, and module-level aliases of its `session`
    sqlalchemy_names: frozenset[str] = frozenset()
    sqlalchemy_sessions: frozenset[str] = frozenset()
    # modules holding one of those names, importing one or a module that holds one, or
    # reading one through a module import (`import pkg.models`: `pkg.models.db`) (paths)
    sqlalchemy_users: frozenset[str] = frozenset()
    # modules that start Flask's development server when run as a script, and how:
    # 'app.run' (module-level or `__main__`-block app.run()), 'flask-script' (a Manager) or
    # 'flask-group' (a FlaskGroup with Flask's `run` command: flask_fix.index.clifacts)
    dev_server_scripts: dict[str, str] = field(default_factory=dict)
    # modules that may declare routes but use syntax newer than this interpreter's `ast`
    # (LibCST parses them): their routes are unknown, so no URL can be proven unique
    unindexed_route_modules: tuple[str, ...] = ()
    # Python files the scan could not parse (syntax error, Python 2, undecodable): not
    # indexed; the app factory (FLK201) refuses when one of them imports the app's module
    unparsable_modules: tuple[str, ...] = ()
    # Flask-SQLAlchemy objects, models, Celery tasks (FLK301-FLK303, FLK502)
    contexts: contextfacts.ContextIndex = field(default_factory=contextfacts.ContextIndex)
    # modules that may hold the test code FLK304 checks: a top-level class whose bases
    # may be unittest's or a project test case class, or test functions or fixtures in a
    # pytest module (index/testcode.py); read by its triage, not in the fix phase
    test_modules: frozenset[str] = frozenset()
    # the lowest Flask release the project's requirements allow (flask_fix.index.pins); None:
    # not declared, assume a current Flask. FLK7 rules report rewrites needing a newer one
    flask_version: tuple[int, ...] | None = None
    # the lowest Flask-SQLAlchemy release it allows; None: not declared, assume 3.x.
    # Before 3.0 a `db` created with the app works outside an app context (FLK301, FLK502)
    flask_sqlalchemy_version: tuple[int, ...] | None = None
    # the packages of the removed-API table (Werkzeug, Jinja2, WTForms, Flask-Login...)
    # and the ones its replacements need (email-validator) that the requirements declare,
    # each with the lowest release they allow (None: unbounded); absent: not declared,
    # rewrites assume a current release (flask_fix.rewrite.removed_api)
    requirements: dict[str, tuple[int, ...] | None] = field(default_factory=dict)
    # where a db built with the app (or its models' `.query`) is used outside an app
    # context, (path, line, code, path of the db's or model's module): what only
    # Flask-SQLAlchemy 2.x's fallback serves (FLK202, rewrite/legacy_db.py); set by the
    # runner when that may matter, None: not looked at
    database_fallback_uses: tuple[tuple[str, int, str, str], ...] | None = None
    # what legacy_db links into those: each module's reads that may use a database outside
    # a context, unresolved (path -> contextfacts.DatabaseReads); read by the parent only
    database_reads: dict[str, contextfacts.DatabaseReads] = field(default_factory=dict)
    # functions that commit, themselves or through what they call, and commits at the
    # request's end (FLK505)
    sessions: sessionfacts.SessionIndex = field(default_factory=sessionfacts.SessionIndex)
    # project extension classes (`init_app`), triage for FLK202/FLK204
    extensions: extensionfacts.ExtensionIndex = field(
        default_factory=extensionfacts.ExtensionIndex
    )
    # qualified names under which a module-level app, or a factory returning a new app,
    # can be imported (re-exports included)
    app_names: frozenset[str] = frozenset()
    app_factories: frozenset[str] = frozenset()
    flask_classes: frozenset[str] = frozenset()  # project subclasses of flask.Flask
    # config classes and modules loaded by from_object/from_pyfile, with their project
    # bases: (path, class qualname), or (path, '') for a whole module
    config_objects: frozenset[tuple[str, str]] = frozenset()
    # qualified names (`pkg.config.TestingConfig`) of project classes that set
    # SQLALCHEMY_DATABASE_URI or SQLALCHEMY_BINDS, in their body or a project base's:
    # `config.from_object` of one after `SQLAlchemy(app)` moves nothing on 3.x (FLK503)
    database_configs: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    # some module may set a secret key (or uses server-side sessions); None: unknown
    secret_key_may_be_set: bool | None = None
    # Flask-Login user properties some class of the project defines as a plain method
    # (`def is_active(self)`): a call `current_user.is_active()` may be that method's (FLK802)
    login_methods: frozenset[str] = frozenset()
    # qualified names (re-exports included) of module-level functions taking one
    # parameter that neither raise nor may log or report (index/handlers.py): FLK602
    # reports one registered as a catch-all error handler from another module
    quiet_functions: frozenset[str] = frozenset()
    # caches, built on first use from the fields named (flask_fix.run.indexreads): the
    # compiled rules for flask_fix.index.routing (by the set of apps whose routes they
    # hold, None: every route), and the paths of `views`
    router: object | None = field(
        default=None, init=False, repr=False, compare=False, metadata={"derived_from": ("routes",)}
    )
    _view_paths: frozenset[str] | None = field(
        default=None, init=False, repr=False, compare=False, metadata={"derived_from": ("views",)}
    )

    def is_view(self, path: str, qualname: str) -> bool:
        return (path, qualname) in self.views

    def has_views(self, path: str) -> bool:
        """Whether any view of the project is defined in the module at `path`."""
        if self._view_paths is None:
            self._view_paths = frozenset(p for p, _ in self.views)
        return path in self._view_paths


# --- module names -------------------------------------------------------------------


def module_name_for(path: str) -> str:
    """Dotted module name of a file, walking up the folders that hold an `__init__.py`:
    `pkg/sub/mod.py` -> `pkg.sub.mod`, `pkg/__init__.py` -> `pkg`, a lone `app.py` -> `app`."""
    folder, filename = os.path.split(os.path.abspath(path))
    return _join_module(_package_of(folder), folder, filename)


@functools.lru_cache(maxsize=4096)
def _package_of(folder: str) -> str:
    """Dotted package name of a folder; '' when it holds no `__init__.py`."""
    if not os.path.isfile(os.path.join(folder, "__init__.py")):
        return ""
    parent, name = os.path.split(folder)
    outer = _package_of(parent) if parent != folder else ""
    return f"{outer}.{name}" if outer else name


def _join_module(package: str, folder: str, filename: str) -> str:
    stem = filename.removesuffix(".py")
    if stem == "__init__":
        return package or os.path.basename(folder)
    return f"{package}.{stem}" if package else stem


def _module_names_in(paths: Iterable[str]) -> dict[str, str]:
    """Module names for files that may not exist on disk: packages are the folders among
    `paths` holding an `__init__.py`; a path that is not a .py file is `__main__`."""
    paths = [os.path.normpath(p) for p in paths]
    package_folders = {os.path.dirname(p) for p in paths if os.path.basename(p) == "__init__.py"}

    def package_of(folder: str) -> str:
        parts: list[str] = []
        while folder in package_folders:
            folder, name = os.path.split(folder)
            parts.insert(0, name)
        return ".".join(parts)

    names = {}
    for path in paths:
        folder, filename = os.path.split(path)
        if filename.endswith(".py"):
            names[path] = _join_module(package_of(folder), folder, filename)
        else:
            names[path] = "__main__"
    return names


def module_name_of_path(path: str) -> str:
    """The module name of a file that may not exist on disk, from its path alone."""
    return _module_names_in([path])[os.path.normpath(path)]


def index_from_sources(sources: Mapping[str, str]) -> ProjectIndex:
    """Index source texts keyed by path (the engine's single-string API, and tests).

    Raises SyntaxError when a source does not parse.
    """
    names = _module_names_in(sources)
    facts = [
        module_facts(path, names[os.path.normpath(path)], ast.parse(text, filename=path))
        for path, text in sources.items()
    ]
    return build_index(facts)


def may_declare_routes(source: bytes) -> bool:
    """Whether a module the stdlib `ast` cannot read (code of a newer Python, which
    LibCST reads) may declare routes: its routes are then unknown to the index."""
    return b"route" in source or b"add_url_rule" in source


def one_module_index(
    path: str, module: str, tree: ast.Module | None, source: bytes
) -> ProjectIndex:
    """The index of a project made of one module (`api.fix_code`, standard input); `tree`
    is None for code of a newer Python (parsing.parse_module), left unindexed as in a run.
    Raises SourceError, as a run reports the file, when the tree is deeper than the
    index's walk can visit."""
    if tree is not None:
        try:
            return build_index([module_facts(path, module, tree)])
        except TOO_DEEP_ERRORS:
            raise SourceError(ErrorKind.SYNTAX, TOO_DEEP_MESSAGE) from None
    index = build_index([])
    if may_declare_routes(source):
        index.unindexed_route_modules = (path,)
    return index


# --- one module -----------------------------------------------------------------------


def module_facts(path: str, module: str, tree: ast.Module) -> ModuleFacts:
    """What `tree` (the module `module`, read from `path`) declares; one walk."""
    return scan_module(path, module, tree)[0]


def scan_module(path: str, module: str, tree: ast.Module) -> tuple[ModuleFacts, NodesByType]:
    """The module's facts, and every node of `tree` by type, from the same walk (the
    scan phase's triage reads the nodes, so it needs no walk of its own)."""
    scanner = _ModuleScanner(path, module)
    scanner.visit(tree)
    facts = scanner.finish()
    facts.raw["context"] = contextfacts.scan_module(tree, scanner)
    sessionfacts.scan_module(tree, scanner)
    facts.raw["extensions"] = extensionfacts.scan_module(
        path, tree, facts.raw.get("extensions"), scanner.nodes
    )
    tests = testcode.scan_module(tree, scanner.nodes, module, scanner.is_package)
    if tests is not None:
        facts.raw["tests"] = tests
    if clifacts.runs_flask_run(tree, facts.imports):
        facts.raw["flask_group_run"] = True
    return facts, scanner.nodes


def absolute_module(module: str | None, level: int, package: str) -> str | None:
    """The module `from <level dots><module> import ...` names inside `package`; None
    beyond the top-level package (Python raises ImportError there)."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + [module] if module else base)


@dataclass
class _Scope:
    prefix: str  # qualname prefix of what is defined here: '', 'f.<locals>.', 'C.'
    is_class: bool = False
    # local name -> qualified name it refers to; None: unknown (a parameter, say)
    names: dict[str, str | None] = field(default_factory=dict)


_BUILTIN_NAMES = frozenset(dir(builtins))
# nodes that carry nothing to look at: load/store markers and operators
_BARE_NODES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
# field types of the `ast` grammar that never hold a node worth visiting
_LEAF_FIELD_TYPES = frozenset(
    {"identifier", "string", "int", "constant", "expr_context", "operator", "unaryop", "cmpop",
     "boolop"}
)  # fmt: skip
_FIELD = re.compile(r"(\w+)([*?]?) (\w+)")


@functools.lru_cache(maxsize=None)
def _child_fields(cls: type[ast.AST]) -> tuple[tuple[str, bool], ...] | None:
    """(name, holds a list) of the fields of a node class that may hold nodes to visit,
    read from the grammar signature its docstring carries (`Compare(expr left, cmpop*
    ops, expr* comparators)`): the walk then never looks at a name, a constant or an
    operator. None when the signature is not there (the walk then checks every value)."""
    if not cls._fields:
        return ()
    signature = (cls.__doc__ or "").partition("(")[2].rpartition(")")[0]
    fields = [_FIELD.fullmatch(part.strip()) for part in signature.split(",")]
    if None in fields or tuple(f[3] for f in fields) != cls._fields:  # type: ignore[index]
        return None
    return tuple(
        (f[3], f[2] == "*") for f in fields if f[1] not in _LEAF_FIELD_TYPES  # type: ignore[index]
    )


class _ModuleScanner(ast.NodeVisitor):
    # `visit` method per node class (ast.NodeVisitor builds the name at every node)
    _visitors: ClassVar[dict[type, Callable]] = {}

    def __init__(self, path: str, module: str) -> None:
        self.nodes: NodesByType = {}
        self.module = module
        self.is_package = os.path.basename(path) == "__init__.py"
        self.facts = ModuleFacts(path, module)
        self.scopes = [_Scope("")]
        self.constants: dict[str, str] = {}  # module-level names bound to a string literal
        self.module_imports: set[str] = set()  # module-level names bound by `import x`
        self.created: dict[str, str] = {}  # qualified name -> what call made it, if any
        # `__all__`: its names while every assignment to it is a literal, None once one is not
        self.all_names: list[str] | None = None
        # module-level functions that may be error handlers (index/handlers.py)
        self.handler_candidates: list[ast.FunctionDef | ast.AsyncFunctionDef] = []

    def finish(self) -> ModuleFacts:
        module_scope = self.scopes[0]
        self.facts.exports = {
            name: target
            for name, target in module_scope.names.items()
            if target is not None and target != f"{self.module}.{name}"
        }
        self.facts.names = tuple(module_scope.names)
        if self.handler_candidates:
            imported = {
                i.local: f"{i.module}.{i.name}" if i.name else i.module for i in self.facts.imports
            }
            star = bool(self.facts.star_imports)
            for node in self.handler_candidates:
                if handlers.is_quiet(node, imported, module_scope.names, star):
                    self.facts.quiet_functions.add(node.name)
        if self.all_names is not None and "__all__" in module_scope.names:
            self.facts.all_names = tuple(self.all_names)
        return self.facts

    # traversal: every node once, also those the visit_ methods below walk themselves

    def visit(self, node: ast.AST) -> None:
        cls = node.__class__
        bucket = self.nodes.get(cls)
        if bucket is None:
            self.nodes[cls] = [node]
        else:
            bucket.append(node)
        (self._visitors.get(cls) or _visitor_for(cls))(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        _generic_visit(self, node)

    def visit_Constant(self, node: ast.Constant) -> None:
        pass  # ast.NodeVisitor's looks for the deprecated visit_Str, visit_Num...

    # scopes and bindings

    @property
    def scope(self) -> _Scope:
        return self.scopes[-1]

    @property
    def at_module_level(self) -> bool:
        return len(self.scopes) == 1

    def own(self, name: str) -> str:
        return f"{self.module}.{self.scope.prefix}{name}"

    def bind(self, name: str, target: str | None) -> None:
        self.scope.names[name] = target
        if self.at_module_level:
            self.constants.pop(name, None)
            self.module_imports.discard(name)

    def scope_of(self, name: str) -> _Scope | None:
        # class bodies are not visible from the functions nested in them
        for depth, scope in enumerate(reversed(self.scopes)):
            if (depth == 0 or not scope.is_class) and name in scope.names:
                return scope
        return None

    def qualify(self, node: ast.expr) -> str | None:
        """The qualified name a Name or dotted Attribute refers to, or None."""
        if isinstance(node, ast.Name):
            scope = self.scope_of(node.id)
            if scope is not None:
                return scope.names[node.id]
            if self.facts.star_imports and node.id not in _BUILTIN_NAMES:
                # maybe bound by `from m import *`: the linker resolves `module.name`
                # through the names that import binds (_Linker.exports_of)
                return f"{self.module}.{node.id}"
            return None
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return f"{base}.{node.attr}" if base is not None else None
        return None

    def string(self, node: ast.expr | None) -> str | None:
        """The value of a string built from literals and module-level string constants."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            if self.scope_of(node.id) is self.scopes[0]:
                return self.constants.get(node.id)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.string(node.left), self.string(node.right)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.JoinedStr):
            pieces = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    if value.conversion != -1 or value.format_spec is not None:
                        return None
                    value = value.value
                piece = self.string(value)
                if piece is None:
                    return None
                pieces.append(piece)
            return "".join(pieces)
        return None

    def absolute_module(self, module: str | None, level: int) -> str | None:
        package = self.module if self.is_package else self.module.rpartition(".")[0]
        return absolute_module(module, level, package)

    # imports

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                local, target = alias.asname, alias.name
            else:
                local = target = alias.name.partition(".")[0]
            self.bind(local, target)
            if self.at_module_level:
                self.facts.imports.append(ImportedName(local, target, None))
                self.module_imports.add(local)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = self.absolute_module(node.module, node.level)
        for alias in node.names:
            if alias.name == "*":
                if self.at_module_level and module:
                    self.facts.star_imports.append(module)
                continue
            local = alias.asname or alias.name
            self.bind(local, f"{module}.{alias.name}" if module else None)
            if self.at_module_level and module:
                self.facts.imports.append(ImportedName(local, module, alias.name))

    # definitions

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        arguments = node.args
        annotations = [
            a.annotation
            for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                      arguments.vararg, arguments.kwarg]
            if a is not None
        ]  # fmt: skip
        for expression in [
            *node.decorator_list, *arguments.defaults, *arguments.kw_defaults,
            *annotations, node.returns,
        ]:  # fmt: skip
            if expression is not None:
                self.visit(expression)
        qualname = self.scope.prefix + node.name
        sessionfacts.record_function(self, node, qualname)
        if self.at_module_level and handlers.may_be_handler(node):
            self.handler_candidates.append(node)
        # the decorator nearest the `def` is applied, hence registers, first
        for decorator in reversed(node.decorator_list):
            self.route_from_decorator(decorator, node.name, qualname)
        self.bind(node.name, self.own(node.name))
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        self.scopes.append(_Scope(f"{qualname}.<locals>.", names={a.arg: None for a in parameters}))
        for statement in node.body:
            self.visit(statement)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)
        arguments = node.args
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        self.scopes.append(_Scope(self.scope.prefix, names={a.arg: None for a in parameters}))
        self.visit(node.body)
        self.scopes.pop()

    def visit_ListComp(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        # comprehension variables do not leak into the enclosing scope
        self.scopes.append(_Scope(self.scope.prefix))
        self.generic_visit(node)
        self.scopes.pop()

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expression)
        qualname = self.scope.prefix + node.name
        declared = self.class_decl(node, qualname)
        if node.bases or declared.database_settings:  # `class Config:` too (FLK503)
            self.facts.classes.append(declared)
        for statement in node.body:
            if (
                isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                and statement.name in LOGIN_PROPERTIES
                and not statement.decorator_list
            ):
                self.facts.login_methods.add(statement.name)
        self.scopes.append(_Scope(f"{qualname}.", is_class=True))
        for statement in node.body:
            self.visit(statement)
        self.scopes.pop()
        self.bind(node.name, self.own(node.name))

    def class_decl(self, node: ast.ClassDef, qualname: str) -> ClassDecl:
        functions = set()
        sets_methods = False
        methods = None
        database_settings: dict[str, str | None] = {}
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.add(statement.name)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                value = statement.value
                literal = (
                    value.value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str)
                    else None
                )
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in DATABASE_KEYS:
                        database_settings[target.id] = literal
                if any(isinstance(t, ast.Name) and t.id == "methods" for t in targets):
                    sets_methods = True
                    methods = self.methods_literal(statement.value)
        return ClassDecl(
            qualname=qualname,
            bases=tuple(self.qualify(base) for base in node.bases),
            functions=frozenset(functions),
            sets_methods=sets_methods,
            methods=methods,
            line=node.lineno,
            database_settings=tuple(database_settings.items()),
        )

    # assignments

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.assign(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is None:
            return
        self.visit(node.value)
        self.assign(node.target, node.value)

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.bind(node.id, self.own(node.id))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name) and target.id == "__all__" and self.at_module_level:
            names = _string_list(node.value) if self.all_names is not None else None
            self.all_names = self.all_names + names if names is not None else None  # type: ignore[operator]
        self.generic_visit(node)

    def assign(self, target: ast.expr, value: ast.expr) -> None:
        if not self.facts.may_set_secret_key and _may_set_secret_key(target, self.scope.is_class):
            self.facts.may_set_secret_key = True
        if not isinstance(target, ast.Name):
            self.visit(target)
            return
        name = target.id
        if name == "__all__" and self.at_module_level:
            # `__all__ = [...]` then `__all__ += [...]`; anything else: not known
            first = "__all__" not in self.scopes[0].names
            self.all_names = _string_list(value) if first else None
        if self.at_module_level and isinstance(value, ast.Dict):
            classes = [self.qualify(v) for v in value.values]
            if classes and None not in classes:
                self.facts.config_maps[name] = tuple(classes)  # type: ignore[arg-type]
        created = self.qualify(value.func) if isinstance(value, ast.Call) else None
        if created is not None and self.at_module_level:
            self.facts.call_results[name] = created
        if created is not None:
            self.created[self.own(name)] = created
        else:
            self.created.pop(self.own(name), None)
        if created in FLASK_CLASSES:
            self.bind(name, self.own(name))
            self.add_app(name, value)
        elif created in BLUEPRINT_CLASSES:
            self.bind(name, self.own(name))
            self.add_blueprint(name, value)
        elif isinstance(value, (ast.Name, ast.Attribute)) and (alias := self.qualify(value)):
            self.bind(name, alias)
        else:
            self.bind(name, self.own(name))
            constant = self.string(value) if self.at_module_level else None
            if constant is not None:
                self.constants[name] = constant

    def enclosing_function(self) -> str | None:
        """Qualified name of the function being walked; '' at module level; None in a class."""
        prefix = self.scope.prefix
        if not prefix:
            return ""
        return prefix.removesuffix(".<locals>.") if prefix.endswith(".<locals>.") else None

    def add_app(self, variable: str, call: ast.Call) -> None:
        function = self.enclosing_function()
        if function is None:
            return
        arguments, complete = _call_arguments(call, _FLASK_PARAMETERS)
        host_matching = arguments.get("host_matching")
        folder = arguments.get("static_folder", ast.Constant("static"))
        url_prefix = self.add_static_route(
            self.own(variable),
            folder,
            arguments.get("static_url_path"),
            call.lineno,
            modeled=complete and _is_none_or_false(host_matching),
        )
        if _is_none(folder):
            static_folder, url_prefix = None, None
        else:
            static_folder = self.string(folder) or ""
        app = AppObject(
            self.facts.path, self.module, variable, call.lineno, function or None,
            static_folder, url_prefix,
        )  # fmt: skip
        (self.facts.factory_apps if function else self.facts.apps).append(app)

    def add_blueprint(self, variable: str, call: ast.Call) -> None:
        function = self.enclosing_function()
        if function is None:
            return
        arguments, complete = _call_arguments(call, _BLUEPRINT_PARAMETERS)
        prefix_node = arguments.get("url_prefix")
        url_prefix = self.string(prefix_node)
        self.facts.blueprints.append(
            BlueprintObject(
                path=self.facts.path,
                module=self.module,
                variable=variable,
                name=self.string(arguments.get("name")),
                url_prefix=url_prefix,
                line=call.lineno,
                url_prefix_known=complete and (_is_none(prefix_node) or url_prefix is not None),
                function=function or None,
                has_url_defaults=not _is_none(arguments.get("url_defaults")),
                certain=complete and _is_none(arguments.get("subdomain")),
            )
        )
        folder = arguments.get("static_folder")
        if not _is_none(folder):
            self.add_static_route(
                self.own(variable),
                folder,
                arguments.get("static_url_path"),
                call.lineno,
                modeled=True,
            )

    def add_static_route(
        self,
        target: str,
        folder: ast.expr | None,
        url_path: ast.expr | None,
        line: int,
        *,
        modeled: bool,
    ) -> str | None:
        """The `<static_url_path>/<path:filename>` route Flask adds for a static folder;
        returns its URL path (`/static`; '' for the root), None when not known."""
        if _is_none(folder):
            return None
        if _is_none(url_path):
            basename = self.static_basename(folder)
            prefix = None if basename is None else f"/{basename}".rstrip("/")
        else:
            prefix = self.string(url_path)
            prefix = None if prefix is None else prefix.rstrip("/")
        rule = (
            f"{prefix}/<path:filename>"
            if prefix is not None
            else "<static_url_path>/<path:filename>"
        )
        self.facts.routes.append(
            RouteDecl(
                target=target,
                rule=rule,
                rule_known=prefix is not None,
                endpoint="static",
                endpoint_from_view=False,
                methods=frozenset({"GET"}),
                view=None,
                view_is_class=False,
                line=line,
                modeled=modeled,
            )
        )
        return prefix

    def static_basename(self, folder: ast.expr | None) -> str | None:
        """os.path.basename of a static folder, as Flask computes static_url_path.

        Besides literals, `os.path.join(..., 'static')` and `BASE / 'static'` give the
        name of their last part.
        """
        last: ast.expr | None = folder
        if isinstance(folder, ast.Call) and folder.args and not folder.keywords:
            if self.qualify(folder.func) in {"os.path.join", "posixpath.join"}:
                last = folder.args[-1]
        elif isinstance(folder, ast.BinOp) and isinstance(folder.op, ast.Div):
            last = folder.right
        text = self.string(last)
        if text is None or (last is not folder and not text.rstrip("\\/")):
            return None
        return os.path.basename(text.rstrip("\\/"))

    # routes and registrations

    def route_from_decorator(self, decorator: ast.expr, function: str, qualname: str) -> None:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
            return
        kind = decorator.func.attr
        if kind != "route" and kind not in ROUTE_SHORTCUTS:
            return
        arguments, complete = _call_arguments(decorator, ("rule",))
        rule_node = arguments.pop("rule", None)
        if rule_node is None:
            return
        options = self.route_options(arguments, complete)
        methods = options.methods
        if kind in ROUTE_SHORTCUTS:
            methods = frozenset({ROUTE_SHORTCUTS[kind]})
        endpoint = function if _is_none(arguments.get("endpoint")) else options.endpoint
        self.add_route(decorator.func.value, kind, rule_node, options, decorator.lineno,
                       endpoint=endpoint, endpoint_from_view=False, methods=methods,
                       view=f"{self.module}.{qualname}", view_is_class=False)  # fmt: skip

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        extensionfacts.record_call(self, node)
        sessionfacts.record_call(self, node)
        if not isinstance(node.func, ast.Attribute):
            return
        if node.func.attr == "run" and self.at_module_level:
            receiver = node.func.value
            if isinstance(receiver, ast.Call):
                called = self.qualify(receiver.func)
                if called is not None:
                    self.facts.run_calls.append(f"{called}()")
            elif (qualified := self.qualify(receiver)) is not None:
                self.facts.run_calls.append(qualified)
        if node.func.attr == "add_url_rule":
            self.add_url_rule(node)
        elif node.func.attr == "register_blueprint":
            self.add_registration(node)
        elif node.func.attr in CONFIG_LOADERS:
            self.add_config_load(node)
        elif node.func.attr in CONFIG_SETTERS and not self.facts.may_set_secret_key:
            self.facts.may_set_secret_key = _config_update_may_set_secret_key(node)

    def add_config_load(self, call: ast.Call) -> None:
        self.facts.may_set_secret_key = True
        kind = call.func.attr  # type: ignore[attr-defined]
        target = call.args[0] if call.args else None
        if kind == "from_pyfile":
            filename = self.string(target)
            if filename is not None:
                self.facts.config_loads.append(ConfigLoad("pyfile", filename, call.lineno))
        elif kind == "from_object" and target is not None:
            load = None
            if isinstance(target, ast.Name) and target.id == "__name__":
                load = ConfigLoad("object", self.module, call.lineno)
            elif isinstance(target, ast.Subscript):
                mapping = self.qualify(target.value)
                load = ConfigLoad("map", mapping, call.lineno) if mapping else None
            else:
                name = self.string(target) or self.qualify(target)
                load = ConfigLoad("object", name, call.lineno) if name else None
            if load is not None:
                self.facts.config_loads.append(load)

    def visit_Return(self, node: ast.Return) -> None:
        self.generic_visit(node)
        function = self.enclosing_function()
        if function and isinstance(node.value, ast.Name):
            variable = node.value.id
            if self.qualify(node.value) == self.own(variable) and any(
                app.function == function and app.variable == variable
                for app in self.facts.factory_apps
            ):
                self.facts.app_factories.add(function)
        if function:
            value = node.value
            if isinstance(value, ast.Call):
                creator = self.qualify(value.func)
            else:
                creator = self.created.get(self.qualify(value) or "") if value else None
            if creator is not None:
                self.facts.returned_calls[function] = creator

    def add_url_rule(self, call: ast.Call) -> None:
        arguments, complete = _call_arguments(call, _ADD_URL_RULE_PARAMETERS)
        rule_node = arguments.pop("rule", None)
        if rule_node is None:
            return
        endpoint_node = arguments.pop("endpoint", None)
        view_node = arguments.pop("view_func", None)
        arguments.pop("provide_automatic_options", None)
        options = self.route_options(arguments, complete)
        view = view_name = None
        view_is_class = False
        if _is_as_view(view_node):
            view = self.qualify(view_node.func.value)
            view_is_class = True
            as_view_arguments, _ = _call_arguments(view_node, ("name",))
            view_name = self.string(as_view_arguments.get("name"))
        elif view_node is not None:
            view = self.qualify(view_node)
        endpoint_from_view = False
        if not _is_none(endpoint_node):
            endpoint = self.string(endpoint_node)
        elif view_is_class:
            endpoint = view_name
        else:
            endpoint = None
            endpoint_from_view = view is not None
        methods = options.methods
        if "methods" not in arguments and view_is_class:
            methods = None  # the View class's `methods`
        self.add_route(call.func.value, "add_url_rule", rule_node, options, call.lineno,
                       endpoint=endpoint, endpoint_from_view=endpoint_from_view,
                       methods=methods, view=view, view_is_class=view_is_class)  # fmt: skip

    def add_route(
        self,
        target_node: ast.expr,
        kind: str,
        rule_node: ast.expr,
        options: _RouteOptions,
        line: int,
        **declared,
    ) -> None:
        rule = self.string(rule_node)
        target = self.qualify(target_node)
        flask_shaped = kind in ("route", "add_url_rule") or (rule or "").startswith("/")
        if target is None and not flask_shaped:
            return
        self.facts.routes.append(
            RouteDecl(
                target=target,
                rule=rule if rule is not None else ast.unparse(rule_node),
                rule_known=rule is not None,
                line=line,
                strict_slashes=options.strict_slashes,
                has_defaults=options.has_defaults,
                modeled=options.modeled,
                flask_shaped=flask_shaped,
                **declared,
            )
        )

    def route_options(self, options: dict[str, ast.expr], complete: bool) -> _RouteOptions:
        """Read the keyword options of `route()`/`add_url_rule()` (rule and view removed)."""
        modeled = complete
        methods: frozenset[str] | None = frozenset({"GET"})
        if not _is_none(options.get("methods")):
            methods = self.methods_literal(options["methods"])
            modeled = modeled and methods is not None
        endpoint_node = options.get("endpoint")
        endpoint = None if _is_none(endpoint_node) else self.string(endpoint_node)
        strict_slashes = True
        if "strict_slashes" in options and not _is_none(options["strict_slashes"]):
            node = options["strict_slashes"]
            if isinstance(node, ast.Constant) and isinstance(node.value, bool):
                strict_slashes = node.value
            else:
                modeled = False
        for name, value in options.items():
            if name not in MODELED_ROUTE_OPTIONS and not _is_none(value):
                modeled = False
        return _RouteOptions(
            methods=methods,
            endpoint=endpoint,
            strict_slashes=strict_slashes,
            has_defaults=not _is_none(options.get("defaults")),
            modeled=modeled,
        )

    def methods_literal(self, node: ast.expr | None) -> frozenset[str] | None:
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return None
        methods = [self.string(element) for element in node.elts]
        if any(method is None for method in methods):
            return None
        return frozenset(method.upper() for method in methods)

    def add_registration(self, call: ast.Call) -> None:
        arguments, complete = _call_arguments(call, ("blueprint",))
        blueprint_node = arguments.pop("blueprint", None)
        blueprint = self.qualify(blueprint_node) if blueprint_node is not None else None
        if blueprint is None:
            return  # not a blueprint of the project we can name
        prefix_node = arguments.get("url_prefix")
        url_prefix = None if _is_none(prefix_node) else self.string(prefix_node)
        name_node = arguments.get("name")
        name = None if _is_none(name_node) else self.string(name_node)
        self.facts.registrations.append(
            RegistrationDecl(
                parent=self.qualify(call.func.value),
                blueprint=blueprint,
                line=call.lineno,
                url_prefix=url_prefix,
                url_prefix_known=complete and (_is_none(prefix_node) or url_prefix is not None),
                name=name,
                name_known=complete and (_is_none(name_node) or name is not None),
                has_url_defaults=not _is_none(arguments.get("url_defaults")),
                modeled=complete and _is_none(arguments.get("subdomain")),
            )
        )

    def visit_Attribute(self, node: ast.Attribute) -> None:
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in self.module_imports:
            qualified = self.qualify(node)
            if qualified is not None:
                self.facts.module_attribute_uses.add(qualified)
        self.generic_visit(node)


def _visitor_for(cls: type[ast.AST]) -> Callable[[_ModuleScanner, ast.AST], None]:
    visitor = getattr(_ModuleScanner, "visit_" + cls.__name__, None) or _generic_visit
    _ModuleScanner._visitors[cls] = visitor
    return visitor


def _generic_visit(scanner: _ModuleScanner, node: ast.AST) -> None:
    """Visit the children of `node`, in field order. The hot loop of the scan phase: it
    does `visit`'s work inline (one call per node, not two)."""
    fields = _child_fields(node.__class__)
    if fields is None:
        _checked_generic_visit(scanner, node)
        return
    nodes, visitors = scanner.nodes, _ModuleScanner._visitors
    for name, many in fields:
        value = getattr(node, name, None)
        if value is None:
            continue
        for child in value if many else (value,):
            if child is None:
                continue
            cls = child.__class__
            bucket = nodes.get(cls)
            if bucket is None:
                nodes[cls] = [child]
            else:
                bucket.append(child)
            (visitors.get(cls) or _visitor_for(cls))(scanner, child)


def _checked_generic_visit(scanner: _ModuleScanner, node: ast.AST) -> None:
    """The generic walk for a node class whose fields are not known (see _child_fields)."""
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST) and not isinstance(item, _BARE_NODES):
                    scanner.visit(item)
        elif isinstance(value, ast.AST) and not isinstance(value, _BARE_NODES):
            scanner.visit(value)


def _may_set_secret_key(target: ast.expr, in_class: bool) -> bool:
    """An assignment target that may set the secret key or replace the session interface:
    `SECRET_KEY = ...`, `x.secret_key = ...`, `x['SECRET_KEY'] = ...`, `x.config[key] = ...`
    with a key that is not a literal, `x.session_interface = ...`."""
    if isinstance(target, ast.Name):
        return target.id == "SECRET_KEY" or (in_class and target.id == "secret_key")
    if isinstance(target, ast.Attribute):
        return target.attr in ("secret_key", "SECRET_KEY", "session_interface")
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant):
            return key.value == "SECRET_KEY"
        return isinstance(target.value, ast.Attribute) and target.value.attr == "config"
    return False


def _config_update_may_set_secret_key(call: ast.Call) -> bool:
    """`x.config.update(...)`, `.setdefault(...)` or `.from_mapping(...)` that may set
    SECRET_KEY: by name, or through a mapping or `**kwargs` we cannot read."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    if func.attr != "from_mapping" and not (
        isinstance(func.value, ast.Attribute) and func.value.attr == "config"
    ):
        return False
    if func.attr == "setdefault":
        key = call.args[0] if call.args else None
        return not (isinstance(key, ast.Constant) and key.value != "SECRET_KEY")
    if any(k.arg is None or k.arg == "SECRET_KEY" for k in call.keywords):
        return True
    for argument in call.args:
        if not isinstance(argument, ast.Dict):
            return True
        for key in argument.keys:
            if not (isinstance(key, ast.Constant) and key.value != "SECRET_KEY"):
                return True
    return False


@dataclass(frozen=True)
class _RouteOptions:
    methods: frozenset[str] | None
    endpoint: str | None
    strict_slashes: bool
    has_defaults: bool
    modeled: bool


def _string_list(node: ast.expr) -> list[str] | None:
    """The strings of a literal list or tuple of strings (`__all__`), else None."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    names = [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return names if len(names) == len(node.elts) and all(isinstance(n, str) for n in names) else None


def _call_arguments(
    call: ast.Call, parameters: tuple[str, ...]
) -> tuple[dict[str, ast.expr], bool]:
    """Map a call's arguments to names: positional ones onto `parameters`, then keywords.

    The flag is False when `*args` or `**kwargs` may hide some.
    """
    bound: dict[str, ast.expr] = {}
    complete = True
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred):
            complete = False
            break
        if index < len(parameters):
            bound[parameters[index]] = argument
    for keyword in call.keywords:
        if keyword.arg is None:
            complete = False
        else:
            bound[keyword.arg] = keyword.value
    return bound, complete


def _is_none(node: ast.expr | None) -> bool:
    """The argument is absent or a literal None."""
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def _is_none_or_false(node: ast.expr | None) -> bool:
    return _is_none(node) or (isinstance(node, ast.Constant) and node.value is False)


def _is_as_view(node: ast.expr | None) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "as_view"
    )


# --- the whole project ----------------------------------------------------------------


#: Flask-Login's user attributes that were methods before 0.3 (FLK802)
LOGIN_PROPERTIES = frozenset({"is_authenticated", "is_active", "is_anonymous"})


def build_index(facts: list[ModuleFacts]) -> ProjectIndex:
    """Link the modules' facts: resolve names across modules, compute every route."""
    return _Linker(facts).link()


class _Unknown:
    """A prefix or name that exists but cannot be evaluated."""


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class _Mount:
    """Where a blueprint's routes end up for one registration (BlueprintSetupState)."""

    app: str | None  # qualified name of the app
    url_prefix: str | None | _Unknown
    name: str | None  # the dotted registered name; None when unknown
    certain: bool
    has_defaults: bool


class _Linker:
    def __init__(self, facts: list[ModuleFacts]) -> None:
        self.facts = facts
        self.by_module: dict[str, list[ModuleFacts]] = defaultdict(list)
        self.apps: dict[Key, AppObject] = {}
        self.blueprints: dict[Key, BlueprintObject] = {}
        self.classes: dict[Key, ClassDecl] = {}
        for module in facts:
            self.by_module[module.module].append(module)
            for app in [*module.apps, *module.factory_apps]:
                self.apps[module.path, local_name(app.function, app.variable)] = app
            for blueprint in module.blueprints:
                key = (module.path, local_name(blueprint.function, blueprint.variable))
                self.blueprints[key] = blueprint
            for cls in module.classes:
                self.classes[module.path, cls.qualname] = cls
        self.routes: list[Route] = []
        self.views: set[tuple[str, str]] = set()
        self.reached: set[Key] = set()
        self.method_cache: dict[Key, frozenset[str] | None | _Unknown] = {}
        # declarations grouped by the app or blueprint they are on (None: unknown)
        self.routes_on: dict[Key | None, list[tuple[ModuleFacts, RouteDecl]]] = defaultdict(list)
        self.children: dict[Key | None, list[tuple[RegistrationDecl, Key]]] = defaultdict(list)
        # blueprints registered on a known app or blueprint
        self.registered: set[Key] = set()
        # resolve's answers: the index's passes each resolve every module's exports
        self.resolved: dict[tuple[str, str], Key | None] = {}
        # exports_of's answers for modules with star imports (path -> exports)
        self.star_exports: dict[str, dict[str, str]] = {}

    # name resolution

    def resolve(self, qualified: str, from_path: str) -> Key | None:
        """(path, name in that module) a qualified name refers to, following re-exports."""
        asked = (qualified, from_path)
        try:
            return self.resolved[asked]
        except KeyError:
            found = self.resolved[asked] = self._resolve(qualified, from_path)
            return found

    def _resolve(self, qualified: str, from_path: str) -> Key | None:
        for _ in range(16):  # re-export chains are short; cycles are not followed forever
            # the longest dotted prefix naming a module of the project
            end = len(qualified)
            while True:
                end = qualified.rfind(".", 0, end)
                if end == -1:
                    return None
                module = self.module_file(qualified[:end], from_path)
                if module is not None:
                    break
            name = qualified[end + 1 :]  # 'head.rest' inside that module
            head = name.partition(".")[0]
            target = (module.exports if not module.star_imports else self.exports_of(module)).get(head)
            if target is None:
                return module.path, name
            qualified, from_path = target + name[len(head) :], module.path
        return None

    def exports_of(self, module: ModuleFacts) -> dict[str, str]:
        """The module's exports and, when it has a module-level `from m import *` of a
        module of the project, the names that import binds (`name` -> `m.name`); a name
        the module binds itself keeps its own binding, a later star import wins over an
        earlier one."""
        if not module.star_imports:
            return module.exports
        merged = self.star_exports.get(module.path)
        if merged is None:
            merged = dict(module.exports)
            own = frozenset(module.names)
            for star in module.star_imports:
                source = self.module_file(star, module.path)
                if source is None or source is module:
                    continue
                for name in self.star_bound(source, {module.path}):
                    if name not in own:
                        merged[name] = f"{source.module}.{name}"
            self.star_exports[module.path] = merged
        return merged

    def star_bound(self, module: ModuleFacts, seen: set[str]) -> list[str]:
        """The names `from module import *` binds: its `__all__`, else its public
        module-level names, those its own star imports bind included."""
        if module.all_names is not None:
            return list(module.all_names)
        names = [name for name in module.names if not name.startswith("_")]
        seen.add(module.path)
        for star in module.star_imports:
            source = self.module_file(star, module.path)
            if source is not None and source.path not in seen:
                names.extend(self.star_bound(source, seen))
        return names

    def module_file(self, module: str, from_path: str) -> ModuleFacts | None:
        """The file of a module; when several files share the name (scripts in different
        folders), the one nearest `from_path`, as Python's sys.path[0] would pick."""
        candidates = self.by_module.get(module)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        here = os.path.dirname(from_path)
        return max(
            candidates, key=lambda c: len(os.path.commonprefix([os.path.dirname(c.path), here]))
        )

    def object_key(self, qualified: str | None, from_path: str) -> Key | None:
        if qualified is None:
            return None
        key = self.resolve(qualified, from_path)
        return key if key in self.apps or key in self.blueprints else None

    # linking

    def link(self) -> ProjectIndex:
        for module in self.facts:
            for decl in module.routes:
                target = self.object_key(decl.target, module.path)
                if target is not None or decl.flask_shaped:
                    self.routes_on[target].append((module, decl))
            for registration in module.registrations:
                child = self.object_key(registration.blueprint, module.path)
                if child is None or child not in self.blueprints:
                    continue
                parent = self.object_key(registration.parent, module.path)
                self.children[parent].append((registration, child))
                if parent is not None:
                    self.registered.add(child)

        for key, app in self.apps.items():
            self.mount(key, _Mount(app.qualified_name, None, "", True, False), ())
        # registered on something we cannot resolve (`def init_app(app): app.register_...`)
        unknown_app = _Mount(None, None, "", False, False)
        for registration, child in self.children[None]:
            self.register(child, registration, unknown_app, ())
        # never seen registered: served at their own prefix, if at all
        unreached = [key for key in self.blueprints if key not in self.reached]
        unreached.sort(key=lambda key: key in self.registered)
        for key in unreached:
            if key not in self.reached:
                self.register(key, None, unknown_app, ())
        for module, decl in self.routes_on[None]:
            self.add_route(module, decl, _Mount(None, UNKNOWN, None, False, False), on_flask=False)

        self.add_class_views()
        config = self.config_facts()
        contexts = contextfacts.link(self)
        return ProjectIndex(
            modules={module.path: module.module for module in self.facts},
            apps=[app for module in self.facts for app in module.apps],
            blueprints=list(self.blueprints.values()),
            routes=self.routes,
            **self.database_and_server_facts(),
            views=frozenset(self.views),
            app_importers=self.app_importers(),
            factory_apps=[app for module in self.facts for app in module.factory_apps],
            **config,
            contexts=contexts,
            test_modules=testcode.test_modules(
                ((m.path, m.raw.get("tests")) for m in self.facts),
                contextfacts.UNITTEST_CASES | contexts.test_classes,
            ),
            sessions=sessionfacts.link(self),
            database_reads=contextfacts.database_reads_by_path(self),
            extensions=extensionfacts.link(
                self,
                config["app_names"],
                FLASK_CLASSES | config["app_factories"] | config["flask_classes"],
            ),
        )

    # apps made by factories, configuration objects, secret keys

    def config_facts(self) -> dict:
        modules = {m.path: m.module for m in self.facts}
        flask_classes = {key for key in self.classes if self.is_flask_class(key)}

        def makes_app(called: str, from_path: str, factories: set[Key]) -> bool:
            key = self.resolve(called, from_path)
            return called in FLASK_CLASSES or key in flask_classes or key in factories

        factories = {(m.path, f) for m in self.facts for f in m.app_factories}
        for module in self.facts:  # `return MyFlask(__name__)`, instances of subclasses
            for function, called in module.returned_calls.items():
                if makes_app(called, module.path, set()):
                    factories.add((module.path, function))
        apps = {(m.path, a.variable) for m in self.facts for a in m.apps}
        for module in self.facts:
            for variable, called in module.call_results.items():
                if makes_app(called, module.path, factories):
                    apps.add((module.path, variable))
        app_names = {f"{modules[path]}.{name}" for path, name in apps}
        factory_names = {f"{modules[path]}.{name}" for path, name in factories}
        class_names = {f"{modules[path]}.{name}" for path, name in flask_classes}
        for module in self.facts:  # re-exports: `from .factory import create_app`
            for local, target in self.exports_of(module).items():
                key = self.resolve(target, module.path)
                if key in apps:
                    app_names.add(f"{module.module}.{local}")
                elif key in factories:
                    factory_names.add(f"{module.module}.{local}")
                elif key in flask_classes:
                    class_names.add(f"{module.module}.{local}")
        may_set = any(m.may_set_secret_key for m in self.facts) or any(
            imported.module.partition(".")[0] in SESSION_EXTENSIONS
            for m in self.facts
            for imported in m.imports
        )
        return {
            "app_names": frozenset(app_names),
            "app_factories": frozenset(factory_names),
            "flask_classes": frozenset(class_names),
            "config_objects": self.config_objects(),
            "database_configs": self.database_configs(),
            "secret_key_may_be_set": may_set,
            "login_methods": frozenset(name for m in self.facts for name in m.login_methods),
            "quiet_functions": self.quiet_functions(),
        }

    def quiet_functions(self) -> frozenset[str]:
        keys = {(m.path, name) for m in self.facts for name in m.quiet_functions}
        if not keys:
            return frozenset()
        names = {f"{m.module}.{name}" for m in self.facts for name in m.quiet_functions}
        for module in self.facts:  # re-exports: `from .errors import handle_error`
            for local, target in self.exports_of(module).items():
                if self.resolve(target, module.path) in keys:
                    names.add(f"{module.module}.{local}")
        return frozenset(names)

    def is_flask_class(self, key: Key, depth: int = 0) -> bool:
        """A project class deriving from flask.Flask."""
        cls = self.classes.get(key)
        if cls is None or depth > 16:
            return False
        for base in cls.bases:
            if base in FLASK_CLASSES:
                return True
            base_key = self.resolve(base, key[0]) if base is not None else None
            if base_key is not None and self.is_flask_class(base_key, depth + 1):
                return True
        return False

    def database_configs(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """`module.Class` of the classes setting a database key, themselves or through a
        project base -> the database settings loading the class applies (a base's,
        overridden by the class's own), each with its value when a string literal."""
        modules = {m.path: m.module for m in self.facts}

        def settings(key: Key, depth: int) -> dict[str, str | None]:
            cls = self.classes.get(key)
            if cls is None or depth > 16:
                return {}
            found: dict[str, str | None] = {}
            for base in reversed(cls.bases):  # the first base wins, as in the MRO
                base_key = self.resolve(base, key[0]) if base is not None else None
                if base_key is not None:
                    found.update(settings(base_key, depth + 1))
            found.update(cls.database_settings)
            return found

        found = {}
        for path, qualname in sorted(self.classes):
            if path in modules:
                applied = settings((path, qualname), 0)
                if applied:
                    found[f"{modules[path]}.{qualname}"] = tuple(sorted(applied.items()))
        return found

    def config_objects(self) -> frozenset[Key]:
        """What from_object/from_pyfile load: (path, class) or (path, '') for a module,
        and the project classes those classes inherit from (their attributes load too)."""
        by_path = {os.path.normpath(m.path): m for m in self.facts}
        pending: list[Key] = []
        for module in self.facts:
            for load in module.config_loads:
                if load.kind == "pyfile":
                    folder = os.path.dirname(module.path)
                    loaded = by_path.get(os.path.normpath(os.path.join(folder, load.target)))
                    if loaded is not None:
                        pending.append((loaded.path, ""))
                    continue
                targets, from_path = [load.target], module.path
                if load.kind == "map":
                    key = self.resolve(load.target, module.path)
                    holder = by_path.get(os.path.normpath(key[0])) if key else None
                    if holder is None or key is None:
                        continue
                    targets, from_path = list(holder.config_maps.get(key[1], ())), holder.path
                for target in targets:
                    loaded_module = self.by_module.get(target)
                    if loaded_module:
                        pending.extend((m.path, "") for m in loaded_module)
                    elif (key := self.resolve(target, from_path)) is not None:
                        pending.append(key)
        found: set[Key] = set()
        while pending:
            key = pending.pop()
            if key in found:
                continue
            found.add(key)
            cls = self.classes.get(key)
            for base in cls.bases if cls is not None else ():
                base_key = self.resolve(base, key[0]) if base is not None else None
                if base_key is not None:
                    pending.append(base_key)
        return frozenset(found)

    def mount(self, key: Key, mount: _Mount, chain: tuple[Key, ...]) -> None:
        """Add the routes of an app or a registered blueprint, then of its blueprints."""
        self.reached.add(key)
        for module, decl in self.routes_on.get(key, ()):
            self.add_route(module, decl, mount)
        for registration, child in self.children.get(key, ()):
            if child not in chain:  # Flask refuses a blueprint registered on itself
                self.register(child, registration, mount, (*chain, key))

    def register(
        self,
        key: Key,
        registration: RegistrationDecl | None,
        parent: _Mount,
        chain: tuple[Key, ...],
    ) -> None:
        """Blueprint.register: the options override the blueprint's own prefix and name."""
        blueprint = self.blueprints[key]
        own_prefix = blueprint.url_prefix if blueprint.url_prefix_known else UNKNOWN
        prefix, name = own_prefix, blueprint.name
        certain = parent.certain and blueprint.certain
        has_defaults = parent.has_defaults or blueprint.has_url_defaults
        if registration is not None:
            if not registration.url_prefix_known:
                prefix = UNKNOWN
            elif registration.url_prefix is not None:
                prefix = registration.url_prefix
            if not registration.name_known:
                name = None
            elif registration.name is not None:
                name = registration.name
            certain = certain and registration.modeled
            has_defaults = has_defaults or registration.has_url_defaults
        if name is not None and parent.name is not None:
            name = f"{parent.name}.{name}".lstrip(".")
        else:
            name = None
        mount = _Mount(
            parent.app, _nest_prefixes(parent.url_prefix, prefix), name, certain, has_defaults
        )
        self.mount(key, mount, chain)

    def add_route(
        self, module: ModuleFacts, decl: RouteDecl, mount: _Mount, *, on_flask: bool = True
    ) -> None:
        """Add one Route; `on_flask` is False when its target is not a known app or blueprint
        (its function is then not taken for a Flask view)."""
        view_key = self.resolve(decl.view, module.path) if decl.view is not None else None
        if on_flask and view_key is not None and not decl.view_is_class:
            self.views.add(view_key)
        endpoint = decl.endpoint
        if decl.endpoint_from_view and decl.view is not None:
            endpoint = (view_key[1] if view_key else decl.view).rpartition(".")[2]
        in_blueprint = mount.name != ""
        if endpoint is not None and in_blueprint:
            endpoint = f"{mount.name}.{endpoint}" if mount.name is not None else None
        methods = decl.methods
        if methods is None and decl.view_is_class and view_key is not None:
            methods = self.view_class_methods(view_key)
        url = None
        if decl.rule_known and not isinstance(mount.url_prefix, _Unknown):
            url = _prefixed_rule(mount.url_prefix, decl.rule)
        self.routes.append(
            Route(
                rule=decl.rule,
                url=url,
                endpoint=endpoint,
                methods=methods or frozenset(),
                view=view_key[1] if view_key else None,
                path=module.path,
                line=decl.line,
                blueprint=mount.name if in_blueprint else None,
                strict_slashes=decl.strict_slashes,
                has_defaults=decl.has_defaults or mount.has_defaults,
                order=len(self.routes),
                certain=mount.certain and decl.modeled and methods is not None,
                rule_known=decl.rule_known,
                view_path=view_key[0] if view_key else None,
                app=mount.app,
            )
        )

    # class-based views

    def view_kind(self, key: Key, seen: frozenset[Key] = frozenset()) -> str | None:
        """'MethodView', 'View' or None for a project class."""
        cls = self.classes.get(key)
        if cls is None or key in seen:
            return None
        for base in cls.bases:
            if base in METHOD_VIEW_CLASSES:
                return "MethodView"
            if base in VIEW_CLASSES:
                return "View"
            base_key = self.resolve(base, key[0]) if base is not None else None
            kind = self.view_kind(base_key, seen | {key}) if base_key else None
            if kind:
                return kind
        return None

    def view_class_methods(self, key: Key) -> frozenset[str] | None:
        """The methods `Class.as_view()` registers: `methods`, or GET (Flask's default)."""
        kind = self.view_kind(key)
        if kind is None:
            return None
        methods = self.class_methods_attribute(key)
        if isinstance(methods, _Unknown):
            return None
        return methods or frozenset({"GET"})

    def class_methods_attribute(self, key: Key, depth: int = 0) -> frozenset[str] | None | _Unknown:
        """The class attribute `methods` as Flask leaves it (MethodView.__init_subclass__
        fills it from the handler methods the class has)."""
        if key in self.method_cache:
            return self.method_cache[key]
        cls = self.classes.get(key)
        if cls is None or depth > 16:
            return UNKNOWN
        if cls.sets_methods:
            result = cls.methods if cls.methods is not None else UNKNOWN
        else:
            inherited: list[frozenset[str] | None | _Unknown] = []
            handlers: set[str] = set()
            for base in cls.bases:
                if base in METHOD_VIEW_CLASSES or base in VIEW_CLASSES:
                    inherited.append(None)
                    continue
                base_key = self.resolve(base, key[0]) if base is not None else None
                if base_key is None or base_key not in self.classes:
                    inherited.append(UNKNOWN)  # an outside class may define anything
                    continue
                inherited.append(self.class_methods_attribute(base_key, depth + 1))
                handlers |= self.handlers_of(base_key)
            if any(isinstance(methods, _Unknown) for methods in inherited):
                result = UNKNOWN
            elif self.view_kind(key) == "MethodView":
                collected = {method for methods in inherited if methods for method in methods}
                collected |= {
                    name.upper() for name in (handlers | cls.functions) & HTTP_METHOD_FUNCS
                }
                result = frozenset(collected) or None
            else:
                result = next((methods for methods in inherited if methods), None)
        self.method_cache[key] = result
        return result

    def handlers_of(self, key: Key, depth: int = 0) -> set[str]:
        """Names of the functions a project class has, its project bases' included."""
        cls = self.classes.get(key)
        if cls is None or depth > 16:
            return set()
        names = set(cls.functions)
        for base in cls.bases:
            base_key = self.resolve(base, key[0]) if base is not None else None
            if base_key is not None:
                names |= self.handlers_of(base_key, depth + 1)
        return names

    def add_class_views(self) -> None:
        for (path, qualname), cls in self.classes.items():
            if self.view_kind((path, qualname)):
                for name in cls.functions & VIEW_METHOD_NAMES:
                    self.views.add((path, f"{qualname}.{name}"))

    # who imports the app

    def app_importers(self) -> dict[str, list[ImportedName]]:
        module_level_apps = {
            (app.path, app.variable) for module in self.facts for app in module.apps
        }

        def is_app(qualified: str, from_path: str) -> bool:
            key = self.resolve(qualified, from_path)
            return key in module_level_apps and key[0] != from_path

        importers = {}
        for module in self.facts:
            found = []
            for imported in module.imports:
                if imported.name is not None:
                    if is_app(f"{imported.module}.{imported.name}", module.path):
                        found.append(imported)
                elif any(
                    is_app(use, module.path)
                    for use in module.module_attribute_uses
                    if use.startswith(imported.module + ".")
                ):
                    found.append(imported)
            if found:
                importers[module.path] = found
        return importers

    # Flask-SQLAlchemy instances, scripts serving the app with the development server

    def database_and_server_facts(self) -> dict:
        instances: set[Key] = set()
        for module in self.facts:
            for variable, called in module.call_results.items():
                if self.is_sqlalchemy_class(called, module.path):
                    instances.add((module.path, variable))
        module_names = {module.path: module.module for module in self.facts}
        names = {f"{module_names[path]}.{variable}" for path, variable in instances}
        sessions = set()
        for module in self.facts:  # imports, re-exports and `session = db.session` aliases
            for local, target in self.exports_of(module).items():
                key = self.resolve(target, module.path)
                if key in instances:
                    names.add(f"{module.module}.{local}")
                elif key is not None and (key[0], key[1].removesuffix(".session")) in instances:
                    sessions.add(f"{module.module}.{local}")
        found = names | sessions
        holders = {name.rpartition(".")[0] for name in found}
        users = {
            module.path
            for module in self.facts
            if module.module in holders
            or any(
                (f"{i.module}.{i.name}" if i.name else i.module) in holders
                for i in module.imports
            )
            # `import shop.models` then `shop.models.db`: the import binds only `shop`
            or not found.isdisjoint(module.module_attribute_uses)
        }
        return {
            "sqlalchemy_names": frozenset(names),
            "sqlalchemy_sessions": frozenset(sessions),
            "sqlalchemy_users": frozenset(users),
            "dev_server_scripts": self.dev_server_scripts(),
        }

    def is_sqlalchemy_class(self, qualified: str, from_path: str, depth: int = 0) -> bool:
        if qualified in SQLALCHEMY_CLASSES:
            return True
        key = self.resolve(qualified, from_path)
        cls = self.classes.get(key) if key is not None and depth < 16 else None
        return cls is not None and any(
            base is not None and self.is_sqlalchemy_class(base, key[0], depth + 1)
            for base in cls.bases
        )

    def dev_server_scripts(self) -> dict[str, str]:
        factories = {(m.path, f) for m in self.facts for f in m.app_factories}
        apps = {(m.path, a.variable) for m in self.facts for a in m.apps}
        for module in self.facts:
            for variable, called in module.call_results.items():
                if self.resolve(called, module.path) in factories:
                    apps.add((module.path, variable))
        scripts = {}
        for module in self.facts:
            for receiver in module.run_calls:
                if receiver.endswith("()"):
                    called = receiver[:-2]
                    serves = called in FLASK_CLASSES or (
                        self.resolve(called, module.path) in factories
                    )
                else:
                    serves = self.resolve(receiver, module.path) in apps
                if serves:
                    scripts[module.path] = "app.run"
                    break
            else:
                if FLASK_SCRIPT_MANAGERS & set(module.call_results.values()):
                    scripts[module.path] = "flask-script"
                elif module.raw.get("flask_group_run"):
                    scripts[module.path] = "flask-group"
        return scripts


def _prefixed_rule(url_prefix: str | None, rule: str) -> str:
    """The rule BlueprintSetupState.add_url_rule registers."""
    if url_prefix is None:
        return rule
    if rule:
        return "/".join((url_prefix.rstrip("/"), rule.lstrip("/")))
    return url_prefix


def _nest_prefixes(
    outer: str | None | _Unknown, inner: str | None | _Unknown
) -> str | None | _Unknown:
    """A nested blueprint's prefix, combined with its parent's as Blueprint.register does."""
    if isinstance(outer, _Unknown) or isinstance(inner, _Unknown):
        return UNKNOWN
    if outer is not None and inner is not None:
        return outer.rstrip("/") + "/" + inner.lstrip("/")
    return inner if inner is not None else outer
