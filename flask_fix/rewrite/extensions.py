"""Flask extensions bound to an app object: which calls they are, and their split form.

Shared by FLK202 (extension-init-app), FLK204 (register-at-import) and the application
factory transform (FLK201), which needs the same split to move `ext.init_app(app)` into
`create_app()` while `ext = Ext()` stays at module level:

- `ExtensionTracking`: a visitor mixin that finds, in one traversal, every statement
  `ext = Ext(app)` / `Ext(app)` whose argument is an app object of the project, and
  resolves what an expression is (`app_ref`, `project_name`).
- `find_extension_inits(module, index, path)`: the same as a plain function, for
  transforms that are not rules.
- `KNOWN_EXTENSIONS`: how each checked extension's constructor arguments split between
  the constructor and `init_app` (read from their sources, versions named below).

An extension's constructor `Ext(app, **options)` is equivalent to `Ext(**options)`
followed by `ext.init_app(app, ...)` only when the constructor does nothing with the app
but hand it to `init_app`; the table records the exceptions (an app remembered on the
object, options that belong to one side only, versions that disagree).
"""

from __future__ import annotations

import dataclasses
import enum
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    Assignment,
    ClassScope,
    GlobalScope,
    ImportAssignment,
    MetadataWrapper,
    QualifiedNameSource,
    ScopeProvider,
)

from ..index import pins
from ..index.extensionfacts import InitAppClass, may_be_extension_class
from ..model import FixLevel
from ..index.project import FLASK_CLASSES, ProjectIndex
from .base import RuleContext
from .module_layout import is_main_test
from .names import enclosing_function, qualified_names, reaching_assignments


class Remembers(enum.Enum):
    """What the constructor keeps of the app that `init_app` does not."""

    NOTHING = "nothing"
    # `self.app = app`, never read by the extension itself: only `ext.app` differs
    ATTRIBUTE = "attribute"
    # Flask-SQLAlchemy 2.x: `self.app` is its fallback outside an application context
    FALLBACK = "fallback"
    # Flask-Mail: `self.app` and `self.state`, read by `mail.send()` and attribute access
    STATE = "state"


@dataclass(frozen=True)
class ExtensionSpec:
    """How one extension's constructor call splits (checked against the versions named)."""

    package: str  # the distribution, for messages
    # constructor parameters after the app that the constructor hands to init_app, in the
    # order init_app takes them right after the app (Migrate: db)
    passed_on: tuple[str, ...] = ()
    # every other keyword goes to init_app too (the constructor forwards **kwargs)
    forwards_keywords: bool = False
    # keywords that stay in the constructor; None: any keyword not passed on
    kept: frozenset[str] | None = frozenset()
    # the constructor calls init_app only when these are given (Migrate without db: never)
    requires: tuple[str, ...] = ()
    # the app may be positional only when this keyword is given (Flask-Limiter: its first
    # positional parameter is `key_func` from 3.0 on); positional arguments then stay
    app_positional_only_with: str | None = None
    remembers: Remembers = Remembers.NOTHING
    # Remembers.FALLBACK: attributes that need the app (outside an app context, 2.x found
    # it through the remembered app; after the split they raise)
    app_uses: frozenset[str] = frozenset()
    # extra words for the finding, when the split is unsafe
    caveat: str = ""


_SQLALCHEMY = ExtensionSpec(
    # 3.1: __init__(app=None, *, metadata, session_options, query_class, model_class,
    # engine_options, add_models_to_shell, disable_autonaming); init_app(app).
    # 2.5: positional options (use_native_unicode, session_options, ...), and it keeps
    # `self.app = app`, which get_app() falls back on outside an application context.
    "Flask-SQLAlchemy",
    kept=None,
    remembers=Remembers.FALLBACK,
    app_uses=frozenset(
        {
            "session",
            "engine",
            "create_all",
            "drop_all",
            "reflect",
            "get_engine",
            "get_app",
            "get_binds",
            "get_tables_for_bind",
            "engines",
        }
    ),
)
_MIGRATE = ExtensionSpec(
    # 2.7 and 4.1: __init__(app=None, db=None, directory='migrations', [command, compare_type,
    # render_as_batch,] **kwargs) calls init_app(app, db, directory) only when both app and
    # db are given; init_app(app, db=None, directory=None, ...) falls back on what the
    # constructor stored, so every other option can stay there.
    "Flask-Migrate",
    passed_on=("db",),
    kept=None,
    requires=("db",),
)
_LOGIN = ExtensionSpec(
    # 0.4 and 0.6: __init__(app=None, add_context_processor=True) ->
    # init_app(app, add_context_processor)
    "Flask-Login",
    passed_on=("add_context_processor",),
)
_JWT = ExtensionSpec(
    # 4.x: __init__(app=None, add_context_processor=False) -> init_app(app,
    # add_context_processor); 3.x: __init__(app=None)
    "Flask-JWT-Extended",
    passed_on=("add_context_processor",),
)
_MAIL = ExtensionSpec(
    # 0.9 and 0.10: __init__ keeps `self.app = app` and `self.state = self.init_app(app)`;
    # connect() uses `self.app or current_app`, attribute access reads `self.state`
    "Flask-Mail",
    remembers=Remembers.STATE,
    caveat="Flask-Mail's constructor also keeps the app and its mail state: afterwards "
    "`{target}.send()` needs an application context, and settings read through "
    "`{target}` (`{target}.server`, `{target}.default_sender`...) are None",
)
KNOWN_EXTENSIONS: dict[str, ExtensionSpec] = {
    "flask_sqlalchemy.SQLAlchemy": _SQLALCHEMY,
    "flask_sqlalchemy.extension.SQLAlchemy": _SQLALCHEMY,
    "flask_migrate.Migrate": _MIGRATE,
    "flask_login.LoginManager": _LOGIN,
    "flask_login.login_manager.LoginManager": _LOGIN,
    "flask_mail.Mail": _MAIL,
    # Flask-WTF 0.14 and 1.3: __init__(app=None) -> `if app: self.init_app(app)`
    "flask_wtf.CSRFProtect": ExtensionSpec("Flask-WTF"),
    "flask_wtf.csrf.CSRFProtect": ExtensionSpec("Flask-WTF"),
    "flask_wtf.csrf.CsrfProtect": ExtensionSpec("Flask-WTF"),
    # Flask-Cors 3.0 and 6.0: __init__(app=None, **kwargs) keeps the options and calls
    # init_app(app, **kwargs), which merges the constructor's options with its own
    "flask_cors.CORS": ExtensionSpec("Flask-Cors", kept=None),
    "flask_cors.extension.CORS": ExtensionSpec("Flask-Cors", kept=None),
    "flask_bcrypt.Bcrypt": ExtensionSpec("Flask-Bcrypt"),
    "flask_moment.Moment": ExtensionSpec("Flask-Moment"),
    # Flask-Babel 2.0 keeps default_locale/default_timezone/default_domain in the
    # constructor; 3.x and 4.0 hand them (and the selectors) to init_app: only the options
    # both agree on are split
    "flask_babel.Babel": ExtensionSpec(
        "Flask-Babel", kept=frozenset({"date_formats", "configure_jinja"})
    ),
    # Flask-Caching 1.11 and 2.5: init_app(app, config=None) merges the constructor's config
    "flask_caching.Cache": ExtensionSpec(
        "Flask-Caching", kept=frozenset({"with_jinja2_ext", "config"})
    ),
    # Flask-Limiter 1.5/2.9: __init__(app=None, key_func=None, ...); 3.x/4.x:
    # __init__(key_func, *, app=None, ...). All keep `self.app = app` and never read it.
    "flask_limiter.Limiter": ExtensionSpec(
        "Flask-Limiter",
        kept=None,
        app_positional_only_with="key_func",
        remembers=Remembers.ATTRIBUTE,
    ),
    "flask_limiter.extension.Limiter": ExtensionSpec(
        "Flask-Limiter",
        kept=None,
        app_positional_only_with="key_func",
        remembers=Remembers.ATTRIBUTE,
    ),
    "flask_marshmallow.Marshmallow": ExtensionSpec("flask-marshmallow"),
    "flask_jwt_extended.JWTManager": _JWT,
    # Flask-Bootstrap 3.3 (Bootstrap) and Bootstrap-Flask 2.x (Bootstrap4, Bootstrap5)
    "flask_bootstrap.Bootstrap": ExtensionSpec("Flask-Bootstrap"),
    "flask_bootstrap.Bootstrap4": ExtensionSpec("Bootstrap-Flask"),
    "flask_bootstrap.Bootstrap5": ExtensionSpec("Bootstrap-Flask"),
    "flask_debugtoolbar.DebugToolbarExtension": ExtensionSpec(
        "Flask-DebugToolbar", remembers=Remembers.ATTRIBUTE
    ),
    "flask_session.Session": ExtensionSpec("Flask-Session", remembers=Remembers.ATTRIBUTE),
    "flask_principal.Principal": ExtensionSpec(
        "Flask-Principal", kept=frozenset({"use_sessions", "skip_static"})
    ),
    "flask_seasurf.SeaSurf": ExtensionSpec("Flask-SeaSurf"),
    # __init__(app=None, **kwargs) -> init_app(app, **kwargs)
    "flask_talisman.Talisman": ExtensionSpec("flask-talisman", forwards_keywords=True),
    "flask_socketio.SocketIO": ExtensionSpec("Flask-SocketIO", forwards_keywords=True),
    # __init__(app=None, uri=None, *args, **kwargs) -> init_app(app, uri, *args, **kwargs)
    "flask_pymongo.PyMongo": ExtensionSpec(
        "Flask-PyMongo", passed_on=("uri",), forwards_keywords=True
    ),
    "flask_redis.FlaskRedis": ExtensionSpec("flask-redis", kept=None),
    "flask_rq2.RQ": ExtensionSpec("Flask-RQ2", kept=None),
}

# extensions whose constructor does more with the app than call init_app: never split
NOT_SPLIT: dict[str, str] = {
    "flask_sslify.SSLify": "Flask-SSLify's constructor reads the app's configuration "
    "itself (without an app it needs an application context)",
    "flask_admin.Admin": "Flask-Admin keeps the app it was created with and registers "
    "later views on it, and its init_app takes the index view and endpoint again",
    "flask_admin.base.Admin": "Flask-Admin keeps the app it was created with and registers "
    "later views on it, and its init_app takes the index view and endpoint again",
    "flask_restful.Api": "Flask-RESTful registers resources added later on the app given "
    "to the constructor",
    "flask_assets.Environment": "Flask-Assets falls back on the app given to the "
    "constructor outside an application context",
}
# classes of `flask_*` packages that take the app but are no extensions (no init_app)
NOT_EXTENSIONS = frozenset({"flask_script.Manager", "flask_testing.TestCase", "flask_fix.fix_code"})
# calls whose result is a context in which an extension finds its app through current_app
CONTEXT_METHODS = frozenset({"app_context", "test_request_context", "request_context"})


class AppKind(enum.Enum):
    CREATED = "created"  # `Flask(...)` in this module
    IMPORTED = "imported"  # an app object imported from a module of the project
    FACTORY = "factory"  # the result of a project factory, `create_app()`


@dataclass(frozen=True)
class AppRef:
    kind: AppKind
    name: str  # the name in the code
    source: str  # `flask.Flask`, the imported object's qualified name, or the factory's


@dataclass(frozen=True)
class ExtensionInit:
    """One `ext = Ext(app)` (or bare `Ext(app)`) statement, and how it splits."""

    call: cst.Call
    extension: str  # the class's qualified name
    app: AppRef
    target: str | None  # the name bound, None for a bare expression statement
    import_time: bool  # run when the module is imported (not in a function or __main__)
    # None: report only (then `reason` says why)
    level: FixLevel | None
    message: str
    # the split: the constructor without the app and the `init_app` call, and the nodes of
    # the module to replace (old -> new, FlattenSentinel for two statements)
    constructor: cst.Call | None = None
    init_app: cst.Call | None = None
    replacements: dict = field(default_factory=dict)


@dataclass
class _Candidate:
    call: cst.Call
    small: cst.BaseSmallStatement
    line: cst.SimpleStatementLine | None  # None inside a `x: y; z` suite
    target: cst.Name | None
    in_main: bool


class ExtensionTracking(cst.BatchableCSTVisitor):
    """Visitor mixin: collects extension constructions and what names are bound to.

    The class using it needs `self.context` (a RuleContext) and ScopeProvider metadata;
    call `extension_inits()` from `leave_Module`, once every binding has been seen.
    """

    context: RuleContext
    # weigh uses of a Flask-SQLAlchemy 2.x db that other modules may make (FLK202); the
    # app factory checks those uses itself (legacy_db.py)
    guesses_uses_elsewhere = True

    def visit_Module(self, node: cst.Module) -> None:
        self._values: dict[int, cst.BaseExpression] = {}
        self._candidates: list[_Candidate] = []
        self._uses: list[tuple[cst.Name, str, bool]] = []  # (name, attribute, in a context)
        self._context_depth = 0
        self._main_depth = 0
        self._with_stack: list[bool] = []
        self._if_stack: list[bool] = []

    # bindings

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._values[id(target.target)] = node.value

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, cst.Name):
            self._values[id(node.target)] = node.value

    # statements

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            self._candidate(small, node if len(node.body) == 1 else None)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        for small in node.body:
            self._candidate(small, None)

    def _candidate(self, small: cst.BaseSmallStatement, line) -> None:
        target = None
        if isinstance(small, cst.Assign):
            if len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
                return
            target, value = small.targets[0].target, small.value
        elif isinstance(small, cst.AnnAssign):
            if small.value is None or not isinstance(small.target, cst.Name):
                return
            target, value = small.target, small.value
        elif isinstance(small, cst.Expr):
            value = small.value
        else:
            return
        if isinstance(value, cst.Call) and value.args:
            self._candidates.append(_Candidate(value, small, line, target, self._main_depth > 0))

    # where code runs

    def visit_With(self, node: cst.With) -> None:
        pushes = any(
            isinstance(item.item, cst.Call)
            and isinstance(item.item.func, cst.Attribute)
            and item.item.func.attr.value in CONTEXT_METHODS
            for item in node.items
        )
        self._with_stack.append(pushes)
        self._context_depth += pushes

    def leave_With(self, original_node: cst.With) -> None:
        self._context_depth -= self._with_stack.pop()

    def visit_If(self, node: cst.If) -> None:
        guard = is_main_test(node.test)
        self._if_stack.append(guard)
        self._main_depth += guard

    def leave_If(self, original_node: cst.If) -> None:
        self._main_depth -= self._if_stack.pop()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        value = node.value
        if isinstance(value, cst.Name) and node.attr.value in _TRACKED_ATTRIBUTES:
            self._uses.append((value, node.attr.value, self._context_depth > 0))
        elif (
            isinstance(value, cst.Attribute)
            and isinstance(value.value, cst.Name)
            and value.attr.value in _USED_THROUGH
        ):
            # `db.session.add(...)` uses the session (hence the app); `db.session` alone,
            # handed to Flask-Admin's ModelView say, does not
            self._uses.append((value.value, value.attr.value, self._context_depth > 0))

    # resolution

    def project_name(self, node: cst.CSTNode) -> str | None:
        """The absolute qualified name `node` refers to: through imports (relative ones
        made absolute) or a module-level class or function of this module; else None."""
        names = qualified_names(self, node)
        if len(names) != 1:
            return None
        (qualified,) = names
        if qualified.source is QualifiedNameSource.IMPORT:
            return self._absolute(qualified.name)
        if qualified.source is not QualifiedNameSource.LOCAL or "<locals>" in qualified.name:
            return None
        scope = self.get_metadata(ScopeProvider, node)
        root = qualified.name.partition(".")[0]
        assignments = list(scope[root])
        if assignments and all(
            isinstance(a, Assignment)
            and isinstance(a.scope, GlobalScope)
            and isinstance(getattr(a, "node", None), (cst.ClassDef, cst.FunctionDef))
            for a in assignments
        ):
            return f"{self._module_name()}.{qualified.name}"
        return None

    def app_ref(self, expr: cst.BaseExpression) -> AppRef | None:
        """What app object a name is, if every binding that may reach this use makes it
        one (names.reaching_assignments)."""
        if not isinstance(expr, cst.Name):
            return None
        assignments = reaching_assignments(self, expr)
        if not assignments:
            return None
        index = self.context.index
        found: set[tuple[AppKind, str]] = set()
        for assignment in assignments:
            if isinstance(assignment, ImportAssignment):
                imported = self._imported_name(assignment.node, expr.value)
                if imported is None or imported not in index.app_names:
                    return None
                found.add((AppKind.IMPORTED, imported))
                continue
            node = getattr(assignment, "node", None)
            value = self._values.get(id(node)) if isinstance(node, cst.Name) else None
            if not isinstance(value, cst.Call):
                return None
            callee = self.project_name(value.func)
            if callee in FLASK_CLASSES:
                found.add((AppKind.CREATED, callee))
            elif callee is not None and callee in index.app_factories:
                found.add((AppKind.FACTORY, callee))
            else:
                return None
        if len({kind for kind, _ in found}) != 1:
            return None
        kind, source = min(found, key=lambda f: f[1])
        return AppRef(kind, expr.value, source)

    def _imported_name(self, statement: cst.CSTNode, local: str) -> str | None:
        if not isinstance(statement, cst.ImportFrom) or isinstance(statement.names, cst.ImportStar):
            return None
        for alias in statement.names:
            if (alias.evaluated_alias or alias.evaluated_name) != local:
                continue
            module = (
                cst.helpers.get_full_name_for_node(statement.module) if statement.module else ""
            )
            dots = "." * len(statement.relative)
            imported = f"{module}.{alias.evaluated_name}" if module else alias.evaluated_name
            return self._absolute(dots + imported)
        return None

    def _module_name(self) -> str:
        return self.context.index.modules.get(self.context.path, "__main__")

    def _absolute(self, name: str) -> str | None:
        if not name.startswith("."):
            return name
        rest = name.lstrip(".")
        level = len(name) - len(rest)
        module = self._module_name()
        is_package = os.path.basename(self.context.path) == "__init__.py"
        package = module if is_package else module.rpartition(".")[0]
        parts = package.split(".") if package else []
        if level - 1 >= len(parts):
            return None  # beyond the top-level package: Python raises ImportError
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, rest]) if rest else ".".join(base) or None

    # the findings

    def is_import_time(self, node: cst.CSTNode, in_main: bool) -> bool:
        """`node` runs when the module is imported: not in a function, not in a `__main__`
        block (`in_main`, as recorded during the traversal)."""
        return not in_main and enclosing_function(self, node) is None  # type: ignore[arg-type]

    def extension_inits(self) -> list[ExtensionInit]:
        """Every extension construction on an app object, with its split or the reason
        there is none. Call from `leave_Module`."""
        found = []
        for candidate in self._candidates:
            result = self._analyse(candidate)
            if result is not None:
                found.append(result)
        return found

    def _analyse(self, candidate: _Candidate) -> ExtensionInit | None:
        call = candidate.call
        extension = self.project_name(call.func)
        if extension is None:
            return None
        extension = _modern_name(extension)
        if extension in NOT_EXTENSIONS or not self._outlives_setup(candidate):
            return None
        spec = KNOWN_EXTENSIONS.get(extension)
        project_class = self.context.index.extensions.init_app_classes.get(extension)
        if spec is not None:
            split = _split_known(call, spec)
        elif project_class is not None:
            split = _split_project(call, project_class)
        elif extension in NOT_SPLIT or may_be_extension_class(extension):
            split = _split_unknown(call)
        else:
            return None
        if split is None:
            return None
        app = self.app_ref(split.app.value)
        if app is None:
            return None
        import_time = self.is_import_time(call, candidate.in_main)
        target = candidate.target.value if candidate.target is not None else None
        short = _code(call.func)
        made = ExtensionInit(call, extension, app, target, import_time, None, "")
        if spec is None and project_class is None:
            reason = NOT_SPLIT.get(extension)
            if reason is not None:
                message = (
                    f"`{short}({app.name})` binds the extension to one app at construction, "
                    f"and it cannot be split into `{short}()` and `init_app({app.name})`: "
                    f"{reason}"
                )
            else:
                message = (
                    f"`{short}({app.name})` binds the extension to one app at construction; "
                    f"if `{extension}` follows the extension pattern, create it without the "
                    f"app and call `.init_app({app.name})` (it is not among the extensions "
                    "flask-fix has checked, so it is not rewritten)"
                )
            return _replace(made, message=message)
        bound = (
            f"`{short}` is given the app `{app.name}` in its constructor, which binds it to "
            "that one app"
        )
        if split.problem is not None:
            message = (
                f"{bound}: create it without the app and call `.init_app({app.name})`; not "
                f"rewritten: {split.problem}"
            )
            return _replace(made, message=message)
        receiver: cst.BaseExpression
        constructor = call.with_changes(args=split.constructor_args)
        if not split.constructor_args:
            no_space = cst.SimpleWhitespace("")
            constructor = constructor.with_changes(whitespace_before_args=no_space)
        if target is None:
            receiver = constructor
        else:
            receiver = cst.Name(target)
        init_call = cst.Call(
            func=cst.Attribute(receiver, cst.Name("init_app")), args=split.init_args
        )
        level, caveat = FixLevel.SAFE, ""
        if spec is not None:
            level, caveat = self._remembered(spec, candidate, target)
        if level is None:
            message = (
                f"{bound}: create it without the app and call `{_code(init_call)}`; not "
                f"rewritten: {caveat}"
            )
            return _replace(made, message=message)
        how = "create it without the app and call" if target is not None else "write"
        message = (
            f"{bound}: {how} `{_code(init_call)}`, the same setup in the form an "
            "application factory can call"
        )
        if caveat:
            message += f" (unsafe: {caveat})"
        replacements = _statement_replacements(candidate, constructor, init_call)
        return _replace(
            made,
            level=level,
            message=message,
            constructor=constructor,
            init_app=init_call,
            replacements=replacements,
        )

    def _outlives_setup(self, candidate: _Candidate) -> bool:
        """The extension object is a module global (`ext = Ext(app)` at module level, or
        under `global ext` in a function), or a bare `Ext(app)` at module level. A local
        extension on a local app (a test building its own app) has nothing to decouple."""
        if candidate.target is None:
            scope = self.get_metadata(ScopeProvider, candidate.small, None)
            return isinstance(scope, GlobalScope)
        scope = self.get_metadata(ScopeProvider, candidate.target, None)
        if scope is None:
            return False
        return any(
            getattr(a, "node", None) is candidate.target and isinstance(a.scope, GlobalScope)
            for a in scope[candidate.target.value]
        )

    def _remembered(
        self, spec: ExtensionSpec, candidate: _Candidate, target: str | None
    ) -> tuple[FixLevel | None, str]:
        """The fix level given what the constructor remembers of the app."""
        if spec.remembers is Remembers.STATE:
            return FixLevel.UNSAFE, spec.caveat.format(target=target or "the extension")
        if target is None or spec.remembers is Remembers.NOTHING:
            return FixLevel.SAFE, ""
        uses = [
            (name, attribute, in_context)
            for name, attribute, in_context in self._uses
            if name.value == target and self._refers_to(name, candidate.target)
        ]
        if spec.remembers is Remembers.ATTRIBUTE:
            if any(attribute == "app" for _, attribute, _ in uses):
                return None, (
                    f"`{target}.app` is read in this module, and after the split it is None "
                    f"({spec.package} keeps the app only when given to the constructor)"
                )
            return FixLevel.SAFE, ""
        version = self.context.index.flask_sqlalchemy_version
        current = version is not None and pins.at_least(version, (3,))
        for name, attribute, in_context in uses:
            if current:
                break  # 3.x keeps no app: such a use fails before the split as after it
            if attribute in spec.app_uses and not in_context and self._outside_functions(name):
                # `python app.py` (a `__main__` block) or the import itself works on 2.x
                # only through the constructor's app: the split would break it
                return None, (
                    f"`{target}.{attribute}` is used at import time outside an application "
                    f"context, which works with {spec.package} before 3.0 (the project "
                    f"{'allows it' if version is not None else 'does not say which it runs on'}"
                    f") only through the app given to the constructor, and the split removes "
                    f"it: use it inside `with app.app_context():` (or require "
                    f"{spec.package}>=3.0), then split"
                )
        if not self.guesses_uses_elsewhere:
            return FixLevel.SAFE, ""
        return self._fallback_elsewhere(spec, target)

    def _fallback_elsewhere(self, spec: ExtensionSpec, target: str) -> tuple[FixLevel | None, str]:
        """Flask-SQLAlchemy before 3.0 falls back on the constructor's app outside an
        application context, for uses this module cannot see. When the project may run
        such a version (its requirements allow one, or declare none): report only where
        the runner found code of the project using the database outside a context (a
        script, a test; `ProjectIndex.database_fallback_uses`), since it would break;
        unsafe where the requirements allow one and none was found (a shell, code run by
        hand); safe otherwise (no declaration: a current release, as every rule assumes)."""
        index = self.context.index
        version = index.flask_sqlalchemy_version
        if version is not None and pins.at_least(version, (3,)):
            return FixLevel.SAFE, ""
        lost = (
            f"before 3.0 the constructor also keeps the app and falls back on it outside an "
            f"application context, so `{target}` used there works only thanks to it, and "
            'after the split raises "RuntimeError: No application found. Either work inside '
            'a view function or push an application context."'
        )
        if version is None:
            allowed = f"the project does not declare which {spec.package} it runs on"
        else:
            older = "before 3.0" if not any(version) else pins.describe(version)
            allowed = f"the project's requirements allow {spec.package} {older}"
        # uses of a database or model defined beside this module (an examples folder
        # holds several apps, each with its own `db`)
        from .legacy_db import under

        folder = os.path.dirname(self.context.path)
        uses = [use for use in index.database_fallback_uses or () if under(use[3] or folder, folder)]
        if uses:
            path, line, code, _ = uses[0]
            more = f" and {len(uses) - 1} more" if len(uses) > 1 else ""
            return None, (
                f"{allowed}, and `{code}` runs outside an application context ({path}:{line}"
                f"{more}): {lost}; use it inside `with app.app_context():` (or require "
                f"{spec.package}>=3.0), then split"
            )
        if version is None:
            return FixLevel.SAFE, ""
        return FixLevel.UNSAFE, (
            f"{allowed}: {lost} (a script's `{target}.create_all()`, a test querying models "
            "without `with app.app_context():`, a shell)"
        )

    def _refers_to(self, use: cst.Name, target: cst.Name | None) -> bool:
        scope = self.get_metadata(ScopeProvider, use, None)
        if scope is None or target is None:
            return False
        return any(getattr(a, "node", None) is target for a in scope[use.value])

    def _outside_functions(self, node: cst.CSTNode) -> bool:
        scope = self.get_metadata(ScopeProvider, node, None)
        while isinstance(scope, ClassScope):
            scope = scope.parent
        return isinstance(scope, GlobalScope)


# attributes that need the app only when used further (`db.session.add`)
_USED_THROUGH = frozenset({"session"})
_TRACKED_ATTRIBUTES = frozenset({"app"} | _SQLALCHEMY.app_uses) - _USED_THROUGH


def _modern_name(qualified: str) -> str:
    """`flask.ext.foo.Bar` (the import hook removed in Flask 1.0) is `flask_foo.Bar`."""
    if qualified.startswith("flask.ext."):
        return "flask_" + qualified[len("flask.ext.") :]
    return qualified


def _replace(made: ExtensionInit, **changes) -> ExtensionInit:
    return dataclasses.replace(made, **changes)


# --- splitting the arguments ------------------------------------------------------------------


@dataclass
class _Split:
    app: cst.Arg
    constructor_args: list[cst.Arg] = field(default_factory=list)
    init_args: list[cst.Arg] = field(default_factory=list)
    problem: str | None = None


def _split_known(call: cst.Call, spec: ExtensionSpec) -> _Split | None:
    """The app argument and where every other argument goes; None when the call does not
    initialise the extension on an app at all."""
    arguments = list(call.args)
    keywords = {a.keyword.value: a for a in arguments if a.keyword is not None}
    positional = [a for a in arguments if a.keyword is None and not a.star]
    if "app" in keywords:
        app = keywords["app"]
        kept_positional = positional if spec.app_positional_only_with else []
        if positional and not spec.app_positional_only_with:
            return None  # Ext(x, app=app): not a form we know
        moved_positional: list[cst.Arg] = []
    else:
        if not positional or arguments[0] is not positional[0]:
            return None
        if spec.app_positional_only_with and spec.app_positional_only_with not in keywords:
            return None  # the first positional may be something else (Limiter's key_func)
        app = positional[0]
        kept_positional = []
        moved_positional = positional[1:]
    given = set(keywords) | set(spec.passed_on[: len(moved_positional)])
    if any(name not in given for name in spec.requires):
        return None  # the constructor never calls init_app without these
    split = _Split(app)
    if any(a.star for a in arguments):
        split.problem = "`*args` or `**kwargs` may hold arguments of either side"
        return split
    if len(moved_positional) > len(spec.passed_on):
        split.problem = (
            "a positional option whose meaning differs between versions; pass it by keyword"
        )
        return split
    init_args = [_positional(app)] + [_bare(a) for a in moved_positional]
    constructor_args = list(kept_positional)
    for argument in arguments:
        if argument.keyword is None or argument is app:
            continue
        name = argument.keyword.value
        if name in spec.passed_on or spec.forwards_keywords:
            init_args.append(_bare(argument))
        elif spec.kept is None or name in spec.kept:
            constructor_args.append(argument)
        else:
            split.problem = (
                f"`{name}=` goes to the constructor in some {spec.package} versions and to "
                "`init_app` in others"
            )
            return split
    split.constructor_args = _fix_last_comma(constructor_args, arguments)
    split.init_args = init_args
    return split


def _split_project(call: cst.Call, cls: InitAppClass) -> _Split | None:
    arguments = list(call.args)
    first = arguments[0]
    if first.keyword is None and not first.star:
        argument = first
    else:
        keyword = cls.parameter or "app"
        argument = next(
            (a for a in arguments if a.keyword is not None and a.keyword.value == keyword), None
        )
        if argument is None:
            return None
    split = _Split(argument)
    if not cls.delegates:
        split.problem = (
            f"`{cls.qualname}.__init__` does more with the app than hand it to `init_app` "
            "(flask-fix rewrites project classes whose `__init__(self, app=None)` ends with "
            "`if app is not None: self.init_app(app)` and uses the app nowhere else)"
        )
        return split
    if len(arguments) != 1:
        split.problem = f"`{cls.qualname}` is given other arguments than the app"
        return split
    split.init_args = [_positional(argument)]
    return split


def _split_unknown(call: cst.Call) -> _Split | None:
    first = call.args[0]
    if first.keyword is None and not first.star:
        return _Split(first)
    app = next((a for a in call.args if a.keyword is not None and a.keyword.value == "app"), None)
    return _Split(app) if app is not None else None


def _bare(argument: cst.Arg) -> cst.Arg:
    """The argument without its comma and surrounding whitespace (a new call's layout)."""
    return cst.Arg(
        value=argument.value,
        keyword=argument.keyword,
        equal=argument.equal,
        star=argument.star,
    )


def _positional(argument: cst.Arg) -> cst.Arg:
    """The app, given first and by position to init_app (`init_app(app)`)."""
    return cst.Arg(value=argument.value)


def _fix_last_comma(kept: list[cst.Arg], original: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Keep the arguments' own layout; the new last one takes the old last one's comma."""
    if not kept or kept[-1] is original[-1]:
        return kept
    last = original[-1]
    return [
        *kept[:-1],
        kept[-1].with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg),
    ]


def _statement_replacements(
    candidate: _Candidate, constructor: cst.Call, init_call: cst.Call
) -> dict:
    small = candidate.small
    if isinstance(small, cst.Expr):
        return {candidate.call: init_call}
    assert isinstance(small, (cst.Assign, cst.AnnAssign))
    first = small.with_changes(value=constructor, semicolon=cst.MaybeSentinel.DEFAULT)
    second = cst.Expr(init_call, semicolon=small.semicolon)
    if candidate.line is not None:
        line = candidate.line
        return {
            line: cst.FlattenSentinel(
                [
                    line.with_changes(body=[first.with_changes(semicolon=small.semicolon)]),
                    cst.SimpleStatementLine(body=[cst.Expr(init_call)]),
                ]
            )
        }
    return {small: cst.FlattenSentinel([first, second])}


_EMPTY = cst.Module(body=[])


def _code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


# --- for transforms ------------------------------------------------------------------------


class _Finder(ExtensionTracking):
    METADATA_DEPENDENCIES = (ScopeProvider,)
    guesses_uses_elsewhere = False

    def __init__(self, context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.found: list[ExtensionInit] = []

    def leave_Module(self, original_node: cst.Module) -> None:
        self.found = self.extension_inits()


def find_extension_inits(
    module: cst.Module | MetadataWrapper, index: ProjectIndex, path: str
) -> list[ExtensionInit]:
    """Every extension construction on an app object in `module` (the module at `path`
    of the project `index` describes), with its split form where it is sound. The nodes
    in the results belong to the wrapper's module: pass a MetadataWrapper to get nodes of
    a module you hold (a plain Module is wrapped, and copied, here)."""
    wrapper = module if isinstance(module, MetadataWrapper) else MetadataWrapper(module)
    finder = _Finder(RuleContext(path=path, index=index, module=wrapper.module))
    wrapper.visit_batched([finder])
    return finder.found
