"""FLK201 app-factory: a module-level `app = Flask(...)` becomes `create_app(config=None)`."""

from __future__ import annotations

import ast
import os

from ..index import pins
from ..model import FixLevel
from ..index.projectroot import project_root
from ..index.project import ProjectIndex
from ..index.facts import AppObject
from ..rewrite.suppression import may_suppress
from ..rewrite.base import ProjectContext, ProjectFinding, ProjectTransform, TransformResult
from ..rewrite.factory.deploy_refs import (
    GUNICORN_CALLS_FACTORIES,
    Unrewritable,
    is_deployment_file,
    rewrite_deployment_files,
)
from ..rewrite.factory.endpoint_renames import computed_in_template, rename_in_python, rename_in_template
from ..rewrite.factory.plan import (
    FACTORY,
    FactoryPlan,
    Note,
    Refused,
    plan_factory,
    refusal_from_index,
)
from ..rewrite.factory.support import app_root as _app_root
from ..rewrite.factory.support import is_test_module
from ..rewrite.factory.support import other_roots as _other_roots
from ..rewrite.factory.support import under as _under
from ..rewrite.factory.project_examples import APP_FACTORY_EXAMPLES, APP_FACTORY_VALID

# files in template folders worth reading for endpoint names
_TEMPLATE_MARKERS = (b"url_for", b"request.endpoint")


class AppFactory(ProjectTransform):
    """
    What it does:
        Turns a module-level `app = Flask(__name__)` into an application factory,
        `create_app(config=None)`, across the whole project:

        - the app's construction and everything that uses it at import time
          (configuration, `ext.init_app(app)`, `register_blueprint`, middleware, logging,
          Jinja settings, `with app.app_context(): db.create_all()`) move, in order, into
          `create_app()`, which applies a `config` mapping (`from_mapping`) or object
          (`from_object`) passed in, after the module's own configuration;
        - `db = SQLAlchemy(app)` stays at module level as `db = SQLAlchemy()`, and
          `db.init_app(app)` runs in the factory at the same point (FLK202's split). When
          the project may run Flask-SQLAlchemy before 3.0 (its requirements allow it, or
          declare none), whose constructor kept the app as a fallback outside an
          application context, the conversion is refused, naming the place, if a script or
          a module's import-time code (`db.create_all()`), or a test (`Task.query` in a test
          function), uses the database outside `with app.app_context():` (tests run inside
          a context pushed with `.push()` or by a fixture yielding inside one are fine);
        - the module's routes and handlers join a blueprint `main` registered by the
          factory, with the blueprint equivalents of app decorators (`errorhandler` →
          `app_errorhandler`, `before_request` → `before_app_request`, `context_processor`
          → `app_context_processor`, `template_filter` → `app_template_filter`,
          `app.cli.command` → `bp.cli.command` with `cli_group=None`, ...);
          `teardown_appcontext` and `shell_context_processor` are registered in the factory;
        - `app` inside functions becomes `current_app`; modules importing the app for
          their views get a blueprint of their own (FLK203);
        - endpoint names follow: `url_for('index')` becomes `url_for('main.index')` in
          every module and in the Jinja templates of the app's template folders, as do
          `request.endpoint == 'index'` and `login_manager.login_view = 'login'`; a
          relative `url_for('.index')` resolves against the request's blueprint, so
          outside the moved views (handlers, helpers, the app's templates: they also run
          for 404 pages, which have none) it gets the full name, `main.index` (`.static`
          becomes `static`), and is reported instead when a blueprint of the project
          has an `index` of its own;
        - entry points keep working: `if __name__ == '__main__': app.run()` becomes
          `create_app().run()`; wsgi.py, run.py, manage.py and test modules importing the
          app get `from pkg import create_app` and `app = create_app()` (a test fixture
          importing it inside its body builds its own there), and a function running the
          app (`def main(): ... app.run()`) starts with `app = create_app()`. A script no
          module of the project imports (a manage.py) that sets the app up at import
          time (`migrate.init_app(app, db)`, `@app.cli.command`) keeps that setup on the
          app it now builds, the one app it ever set up; imported by any module (tests
          included), the conversion is refused there (FLK204), as the factory's other
          apps would lack the setup;
        - deployment files naming the app's module and variable (`module:app`, the module
          in full or by its last parts) call the factory: `gunicorn app:app` in a
          Procfile, a Dockerfile's `CMD`/`ENTRYPOINT`, a shell script, a compose file,
          `app.yaml` or a Makefile becomes `gunicorn 'app:create_app()'` (Gunicorn 20.1
          and later call a factory written as a call; quoted for the shell, unquoted
          inside JSON), `waitress-serve app:app` becomes `waitress-serve --call
          app:create_app`, and `FLASK_APP=app:app` or `flask --app app:app` become
          `app` (Flask finds `create_app` itself). Where no such spelling exists
          (uWSGI's `module = app:app`, a `vercel.json` whose Python build serves the
          app's file, waitress in a Dockerfile's exec form, a server flask-fix does not
          know, a Gunicorn older than 20.1 allowed by the requirements) the conversion
          is refused, naming the file and line: point it at an entry module that keeps
          a module-level app (a wsgi.py with `app = create_app()`, which the conversion
          keeps working) first. References to other modules (`gunicorn wsgi:app`) are
          left as they are;
        - a function that sets the app up and is called at import time (`def
          init_logging(): app.logger...` then `init_logging()`, in the app's module or
          imported from another) takes the app as a parameter: the factory calls
          `init_logging(app)` at that point. Called in the `__main__` block instead
          (`create_tables()` before `app.run()`), it is called there with the app that
          block now creates (`app = create_app()`, `create_tables(app)`).

        Findings on the modules that import the app carry FLK203's code. Apps created in
        test code are test scaffolding that tests load by their module-level name (like
        Flask's own `tests/test_apps`), so they are left alone and not reported: test code
        is `test*.py`, `*_test.py`, `*_tests.py`, `conftest.py`, any module under a
        `tests` or `test` folder of the project (counted from the project root, the
        folder holding pyproject.toml, setup.py, setup.cfg or .git), and modules
        importing unittest or pytest.

        A project too irregular to convert soundly (several apps in one module, an app
        created in a conditional, a star import of the app's module, routes registered in
        loops, a value computed from the app at import time and used elsewhere, a module
        of the project that does not parse, such as Python 2 code, and imports the app's
        module, ...) is reported with the exact reason, and nothing is changed. `--check
        --unsafe-fixes` reports, once per app, what the rewrite would do or why it cannot.
        Without `--unsafe-fixes` each app is reported from the project index alone,
        without planning the rewrite (which parses the app's module and every module
        importing it): the reasons it may refuse show with `--unsafe-fixes`.

    Why is this bad?:
        An app created at import time exists once per process, with the configuration
        it had when first imported: tests cannot create an app with their own settings,
        modules that import it form import cycles, and extensions are bound to it for
        good. Flask's documentation recommends the application factory pattern.

    Example:
        app = Flask(__name__)
        app.config.from_object("config")
        db = SQLAlchemy(app)

        @app.route("/")
        def index():
            return render_template("index.html")

    Use instead:
        db = SQLAlchemy()
        bp = Blueprint("main", __name__)

        @bp.route("/")
        def index():
            return render_template("index.html")

        def create_app(config=None):
            app = Flask(__name__)
            app.config.from_object("config")
            if config is not None:
                if isinstance(config, dict):
                    app.config.from_mapping(config)
                else:
                    app.config.from_object(config)
            db.init_app(app)
            app.register_blueprint(bp)
            return app

    Fix safety:
        Unsafe: the import surface changes (`from app import app` no longer works;
        every module of the project that did it is rewritten), endpoint names gain the
        blueprint's prefix (`url_for('index')` anywhere outside the project, or built from
        a variable, breaks with "BuildError: Could not build url for endpoint 'index'.
        Did you mean 'main.index' instead?"), and each entry point creates its own app
        (state kept on one app object is not shared between a test module and another).
        Code that ran at import time now runs when `create_app()` is called, in the same
        order. URLs, methods, responses and redirects stay the same. A computed endpoint
        (`url_for(name)`) is reported.

        Choices: the app module's blueprint is named `main` (`site` or `pages` when taken),
        a views module's after the module (`views`); its variable is `bp` when free. The
        `config` argument is applied right after the module's first run of configuration
        statements (so later `init_app` calls see it): a `dict` with `from_mapping`,
        anything else with `from_object`; the parameter is `test_config` when the module
        already uses a global named `config`. `create_app` is placed before the `__main__`
        block (at the end otherwise).
    """

    code = "FLK201"
    name = "app-factory"
    fix_level = FixLevel.UNSAFE
    summary = "Build the app in a `create_app()` factory, not at import time."
    valid = APP_FACTORY_VALID
    examples = APP_FACTORY_EXAMPLES

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        return bool(_apps_in_order(index))

    def transform(self, context: ProjectContext) -> TransformResult:
        result = TransformResult()
        touched: set[str] = set()
        refused_modules: set[str] = set()
        for app in _apps_in_order(context.index):
            if app.path in refused_modules:
                continue  # one finding for a module with several apps
            if _app_is_suppressed(context, app, self.code):
                continue  # neither reported nor converted
            if not context.fix_enabled:
                finding = self._report(context.index, app)
                if not finding.has_fix:  # several apps in the module: one finding
                    refused_modules.add(app.path)
                result.findings.append(finding)
                continue
            try:
                plan = plan_factory(context, app)
                _plan_deployment_files(context, plan)
                if context.apply:
                    _rename_endpoints(context, plan, _app_root(app), _other_roots(context.index, app))
                    _check_suppressions(context, plan)
            except Refused as refusal:
                result.findings.append(self._refusal(app, refusal))
                if sum(a.path == app.path for a in context.index.apps) > 1:
                    refused_modules.add(app.path)
                continue
            if touched & set(plan.texts):
                shared = ", ".join(sorted(touched & set(plan.texts)))
                refusal = Refused(
                    app.path,
                    app.line,
                    f"{shared} also belongs to another app converted in this run; run "
                    "flask-fix again",
                )
                result.findings.append(self._refusal(app, refusal))
                continue
            touched |= set(plan.texts)
            # reporting only: one finding per app (FLK203 reports the importing modules)
            for note in plan.notes if context.apply else plan.notes[:1]:
                result.findings.append(self._finding(note))
            if context.apply:
                result.new_texts.update(plan.texts)
        return result

    def _finding(self, note: Note) -> ProjectFinding:
        code, name = self.code, self.name
        if note.code != code:
            from .circular_app_import import CircularAppImport

            code, name = CircularAppImport.code, CircularAppImport.name
        return ProjectFinding(
            code, name, note.path, note.line, note.column, note.message, self.fix_level,
            has_fix=note.has_fix,
        )  # fmt: skip

    def _report(self, index: ProjectIndex, app: AppObject) -> ProjectFinding:
        """The finding of a run that cannot convert anyway (no --unsafe-fixes): from the
        index alone, without planning the rewrite (which reads and parses the app's
        module and every module importing it)."""
        refusal = refusal_from_index(index, app)
        if refusal is not None:
            return self._refusal(app, refusal)
        message = (
            f"module-level app `{app.variable}` should be built by an application factory, "
            f"`{FACTORY}()`; with --unsafe-fixes flask-fix converts the project, or reports "
            "why it cannot"
        )
        return ProjectFinding(
            self.code, self.name, app.path, app.line, 1, message, self.fix_level, has_fix=True
        )

    def _refusal(self, app: AppObject, refusal: Refused) -> ProjectFinding:
        if refusal.path != app.path:
            where = f" ({refusal.path}:{refusal.line})"
        else:
            where = f" (line {refusal.line})" if refusal.line != app.line else ""
        message = (
            f"module-level app `{app.variable}` should be built by an application factory, "
            f"but flask-fix cannot convert this project soundly: {refusal.reason}{where}; "
            "nothing was changed"
        )
        return ProjectFinding(self.code, self.name, app.path, app.line, 1, message, FixLevel.REPORT)


def _app_is_suppressed(context: ProjectContext, app: AppObject, code: str) -> bool:
    """FLK201 turned off for the app: in its module (`per-file-ignores`, `# flask-fix:
    skip-file`) or by a comment on the first or last line of `app = Flask(...)`."""
    if context.suppressed(code, app.path, None):
        return True
    try:
        source = context.read(app.path)
    except OSError:
        return False
    if not may_suppress(source):
        return False
    lines = {app.line}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        tree = None
    for statement in tree.body if tree is not None else ():
        if statement.lineno <= app.line <= (statement.end_lineno or statement.lineno):
            lines |= {statement.lineno, statement.end_lineno or statement.lineno}
    return any(context.suppressed(code, app.path, line) for line in sorted(lines))


def _check_suppressions(context: ProjectContext, plan: FactoryPlan) -> None:
    """The rewrite changes every file in `plan.texts` together: if the user turned the
    rule off in one of them (`per-file-ignores`, `skip-file`) or on a line it must
    change (a finding's line, a renamed endpoint), refuse rather than convert half."""
    codes: dict[str, set[str]] = {}
    for note in plan.notes:
        codes.setdefault(note.path, {AppFactory.code}).add(note.code)
    for path in sorted(plan.texts):
        for code in sorted(codes.get(path, {AppFactory.code})):
            if context.suppressed(code, path, None):
                raise Refused(
                    path, 1,
                    f"{code} is turned off in this file (per-file-ignores or `# flask-fix: "
                    "skip-file`), but the rewrite must change it",
                )  # fmt: skip
    places = [(n.path, n.line, n.code) for n in plan.notes if n.has_fix]
    places += [(path, line, AppFactory.code) for path, line in plan.renamed_lines]
    for path, line, code in sorted(set(places)):
        if context.suppressed(code, path, line):
            raise Refused(
                path, line,
                f"a suppression comment turns {code} off on a line the rewrite must change",
            )  # fmt: skip


def _plan_deployment_files(context: ProjectContext, plan: FactoryPlan) -> None:
    """Deployment files naming the module-level app (`gunicorn app:app`, `FLASK_APP=
    app:app`...) call the factory instead (deploy_refs.py), or the conversion is refused
    where they cannot. They are looked for in the project: the folder above the app's
    import root that holds pyproject.toml, setup.py, setup.cfg or .git, else that root."""
    app = plan.app
    folder = _app_root(app) or "."
    root = project_root(app.path) if os.path.exists(app.path) else None
    if root is not None and _under(os.path.abspath(folder), root):
        folder = root if os.path.isabs(app.path) else os.path.relpath(root)
    excluded = _other_roots(context.index, app)
    paths = [
        os.path.normpath(path)
        for path in context.files_under(folder)
        if is_deployment_file(path) and not any(_under(os.path.normpath(path), o) for o in excluded)
    ]
    if not paths:
        return
    gunicorn = pins.version_for([app.path], "gunicorn") if root is not None else None
    try:
        rewrite = rewrite_deployment_files(
            paths, context.read, module=app.module, variable=app.variable, factory=FACTORY,
            app_file=app.path, gunicorn_calls_factories=pins.at_least(gunicorn, GUNICORN_CALLS_FACTORIES),
            other_modules=frozenset(context.index.modules.values()) - {app.module},
        )  # fmt: skip
    except Unrewritable as refusal:
        raise Refused(refusal.path, refusal.line, refusal.reason) from None
    for path, changes in sorted(rewrite.changes.items()):
        plan.texts[path] = rewrite.texts[path]
        line, column, _, _ = changes[0]
        pairs = list(dict.fromkeys((old, new) for _, _, old, new in changes))
        shown = ", ".join(f"`{old}` → `{new}`" for old, new in pairs)
        count = _plural_references(len(changes))
        message = f"{count} to the module-level app rewritten for the application factory: {shown}"
        plan.notes.append(Note(path, line, column, message))


def _plural_references(count: int) -> str:
    return f"{count} reference{'s' if count != 1 else ''}"


def _apps_in_order(index: ProjectIndex) -> list[AppObject]:
    """The module-level apps, not counting those of test modules (test scaffolding, like
    the apps Flask's own CLI tests load, is no application to restructure)."""
    apps = [a for a in index.apps if not is_test_module(a.path)]
    return sorted(apps, key=lambda a: (a.path, a.line))


def _rename_endpoints(
    context: ProjectContext, plan: FactoryPlan, root: str, excluded: list[str]
) -> None:
    """`url_for('index')` -> `url_for('main.index')` in the modules under the app's root
    and in its template folders."""
    endpoints = plan.endpoints
    if not endpoints:
        return
    targets = _relative_targets(context.index, plan, root, excluded)
    needles = [name.encode() for name in targets]
    relative = {}
    for blueprint in plan.blueprints:
        relative[blueprint.path] = {name: blueprint.name for name in blueprint.views}
    noted = {note.path for note in plan.notes}
    for path in sorted(context.index.modules):
        if not path.endswith(".py") or not _under(path, root):
            continue
        if any(_under(path, other) for other in excluded):
            continue
        text = plan.texts.get(path)
        if text is None:
            try:
                text = context.read(path)
            except OSError:
                continue
        if not any(n in text for n in needles):
            continue
        if b"url_for" not in text and b"endpoint" not in text and b"login_view" not in text:
            continue
        # `.x` outside the moved views of a module that gets a blueprint (its handlers
        # and helpers run for any request); other modules' are their blueprint's own
        in_blueprint = targets if path in relative else None
        renamed = rename_in_python(path, text, endpoints, relative.get(path), in_blueprint)
        if renamed.changes:
            original = context.read(path)
            if may_suppress(original):  # where suppression comments would sit
                changes = renamed.changes
                if path in plan.texts:
                    changes = rename_in_python(
                        path, original, endpoints, relative.get(path), in_blueprint
                    ).changes
                plan.renamed_lines.extend((path, line) for line, _, _, _ in changes)
        computed, ambiguous = renamed.computed, renamed.ambiguous
        if (computed or ambiguous) and path in plan.texts:
            # positions on the file as it was read, for the findings
            again = rename_in_python(
                path, context.read(path), endpoints, relative.get(path), in_blueprint
            )
            computed, ambiguous = again.computed, again.ambiguous
        for line, column, name in ambiguous:
            plan.notes.append(_ambiguous_note(path, line, column, name, endpoints))
        for line, column in computed:
            plan.notes.append(
                Note(
                    path, line, column,
                    "`url_for` with a computed endpoint: the endpoints of moved views now "
                    f"start with their blueprint's name ({_examples(endpoints)}); an old "
                    f"name fails with {_build_error(endpoints)}",
                    has_fix=False,
                )
            )  # fmt: skip
        if renamed.changes:
            plan.texts[path] = renamed.text
            if path not in noted:
                line, column, _, _ = renamed.changes[0]
                plan.notes.append(Note(path, line, column, _renames_message(renamed.changes)))
                noted.add(path)
    for folder in _template_folders(context, plan):
        # the app's templates may be rendered for any request; a blueprint's are its own
        in_app = targets if folder == os.path.normpath(plan.template_folder) else None
        for path in context.files_under(folder):
            try:
                data = context.read(path)
            except OSError:
                continue
            if not any(m in data for m in _TEMPLATE_MARKERS):
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            for line, column in computed_in_template(text):
                plan.notes.append(
                    Note(
                        path, line, column,
                        "`url_for` with a computed endpoint in a template: the endpoints of "
                        f"moved views now start with their blueprint's name ({_examples(endpoints)}); "
                        f"an old name fails with {_build_error(endpoints)}",
                        has_fix=False,
                    )
                )  # fmt: skip
            if not any(n in data for n in needles):
                continue
            new, changes, ambiguous = rename_in_template(text, endpoints, in_app)
            for line, column, name in ambiguous:
                plan.notes.append(_ambiguous_note(path, line, column, name, endpoints))
            if changes:
                plan.texts[path] = new.encode("utf-8")
                line, column, _, _ = changes[0]
                plan.notes.append(Note(path, line, column, _renames_message(changes)))


def _relative_targets(
    index: ProjectIndex, plan: FactoryPlan, root: str, excluded: list[str]
) -> dict[str, str | None]:
    """What `url_for('.x')` outside the moved views should become, for each `x` the app
    served before: its new full name (`main.x`; `static` for the app's static files), or
    None when a blueprint of the project that is not moved has an `x` of its own (then
    `.x` meant that one for its requests)."""
    targets: dict[str, str | None] = dict(plan.endpoints)
    app = plan.app.qualified_name
    if any(r.endpoint == "static" and r.blueprint is None and r.app == app for r in index.routes):
        targets["static"] = "static"
    for route in index.routes:
        if route.blueprint is None or route.endpoint is None:
            continue
        if not _under(route.path, root) or any(_under(route.path, o) for o in excluded):
            continue
        name = route.endpoint[len(route.blueprint) + 1 :]
        if name in targets:
            targets[name] = None
    return targets


def _ambiguous_note(path: str, line: int, column: int, name: str, endpoints: dict) -> Note:
    new = endpoints.get(name[1:], name[1:])
    return Note(
        path, line, column,
        f"`url_for('{name}')` resolves against the blueprint of the request: '{new}' for "
        f"the views moved into blueprints and on pages no view serves (404), but a "
        f"blueprint of the project has its own '{name[1:]}'; write the endpoint in full",
        has_fix=False,
    )  # fmt: skip


def _examples(endpoints: dict[str, str]) -> str:
    shown = sorted(endpoints.items())[:3]
    return ", ".join(f"'{old}' is now '{new}'" for old, new in shown)


def _build_error(endpoints: dict[str, str]) -> str:
    """What Flask raises for an old endpoint name (werkzeug's BuildError, which suggests
    the endpoint that takes the same arguments)."""
    old, new = sorted(endpoints.items())[0]
    return f'"BuildError: Could not build url for endpoint \'{old}\'. Did you mean \'{new}\' instead?"'


def _renames_message(changes: list[tuple[int, int, str, str]]) -> str:
    pairs = list(dict.fromkeys((old, new) for _, _, old, new in changes))
    shown = ", ".join(f"'{old}' → '{new}'" for old, new in pairs[:4])
    more = f" and {len(pairs) - 4} more" if len(pairs) > 4 else ""
    count = len(changes)
    return (
        f"{count} endpoint name{'s' if count != 1 else ''} renamed for the views moved into "
        f"blueprints: {shown}{more}"
    )


def _template_folders(context: ProjectContext, plan: FactoryPlan) -> list[str]:
    """The app's template folder and those of the project's blueprints (Jinja looks in
    the app's first, then in each blueprint's)."""
    folders = [plan.template_folder]
    root = _app_root(plan.app)
    for blueprint in context.index.blueprints:
        if not _under(blueprint.path, root):
            continue
        try:
            tree = ast.parse(context.read(blueprint.path))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.lineno == blueprint.line:
                for keyword in node.keywords:
                    value = keyword.value
                    if (
                        keyword.arg == "template_folder"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        folders.append(os.path.join(os.path.dirname(blueprint.path), value.value))
    return list(dict.fromkeys(os.path.normpath(f) for f in folders))
