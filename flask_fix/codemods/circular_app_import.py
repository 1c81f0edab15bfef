"""FLK203 circular-app-import: another module of the project imports the app object."""

from __future__ import annotations

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..rewrite.base import ProjectContext, ProjectFinding, ProjectTransform, TransformResult
from ..rewrite.factory.support import is_test_module
from ..rewrite.factory.support import DECORATOR, FUNCTION, ModuleView
from ..rewrite.factory.project_examples import CIRCULAR_IMPORT_EXAMPLES, CIRCULAR_IMPORT_VALID


class CircularAppImport(ProjectTransform):
    """
    What it does:
        Finds modules of the project that import the module-level app object (`from app
        import app`, `from pkg import app`, `import app` then `app.app`) and reports how
        they use it: in decorators (`@app.route`), inside functions, at import time.

        With FLK201 and `--unsafe-fixes`, the application factory rewrite converts them:
        views modules get a blueprint of their own, registered by `create_app()`, with
        RULES.md's decorator map (`@app.route` → `@bp.route`, `@app.errorhandler` →
        `@bp.app_errorhandler`, ...), and `app` inside their functions (`app.config[...]`,
        `app.logger`) becomes `current_app`; entry points and tests get `app =
        create_app()`. On its own this rule only reports.

    Why is this bad?:
        The app's module usually imports its views to register their routes, and the
        views import the app back: a cycle that works only in one import order, breaks
        as soon as the app moves into a factory, and ties every module to the one app
        object (tests cannot build their own).

    Example:
        # views.py
        from myapp import app

        @app.route("/about")
        def about():
            app.logger.info("about")
            return render_template("about.html")

    Use instead:
        # views.py
        from flask import Blueprint, current_app

        bp = Blueprint("views", __name__)

        @bp.route("/about")
        def about():
            current_app.logger.info("about")
            return render_template("about.html")

    Fix safety:
        Report only on its own. The rewrite is FLK201's (unsafe): the endpoints of moved
        views gain the blueprint's name (`about` → `views.about`, renamed in `url_for`
        calls and templates), and `current_app` works only where an application context
        exists (views, handlers, CLI commands): a function using the app that may run
        outside one (`app.app_context()`, `app.test_client()` in a helper) makes FLK201
        refuse and leave the project unchanged.
    """

    code = "FLK203"
    name = "circular-app-import"
    fix_level = FixLevel.UNSAFE
    summary = "Use `current_app` and blueprints instead of importing the app object."
    valid = CIRCULAR_IMPORT_VALID
    examples = CIRCULAR_IMPORT_EXAMPLES

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        return bool(index.apps and index.app_importers)

    def transform(self, context: ProjectContext) -> TransformResult:
        result = TransformResult()
        index = context.index
        apps = {(app.module, app.variable): app for app in index.apps}
        for path, imports in sorted(index.app_importers.items()):
            for imported in imports:
                app = apps.get((imported.module, imported.name or ""))
                if imported.name is None:
                    app = next((a for a in index.apps if a.module == imported.module), None)
                if app is None or app.path == path or is_test_module(app.path):
                    continue
                finding = self._finding(context, path, imported, app)
                if finding is not None:
                    result.findings.append(finding)
        return result

    def _finding(self, context: ProjectContext, path: str, imported, app) -> ProjectFinding | None:
        try:
            view = ModuleView(path, context.read(path))
        except Exception:  # unreadable or unparsable here: the per-file phase reports it
            return None
        assignments = view.global_assignments(imported.local)
        node = next(
            (a.node for a in assignments if a.node is not None and a.node in view.positions), None
        )
        if node is None:
            return None
        counts = {DECORATOR: 0, FUNCTION: 0, "import-time": 0}
        for assignment in assignments:
            for name in view.accesses_of(assignment):
                use = name
                if imported.name is None:
                    attribute = view.attribute_of.get(id(name))
                    if attribute is None or attribute.attr.value != app.variable:
                        continue
                    use = attribute
                counts[view.location(name).zone] += 1
                del use
        how = []
        if counts[DECORATOR]:
            how.append(f"{counts[DECORATOR]} decorator(s) register routes or handlers on it")
        if counts[FUNCTION]:
            how.append(f"{counts[FUNCTION]} use(s) inside functions")
        if counts["import-time"]:
            how.append(f"{counts['import-time']} use(s) at import time")
        source = f"{imported.module}.{imported.name}" if imported.name else f"{imported.module}.{app.variable}"
        message = (
            f"imports the app object `{source}`"
            + (f" ({'; '.join(how)})" if how else "")
            + ": with an application factory, functions use `current_app`, routes join a "
            "blueprint registered by `create_app()`, and import-time uses call "
            "`create_app()` (FLK201 with --unsafe-fixes rewrites it)"
        )
        return ProjectFinding(
            self.code, self.name, path, view.line(node), view.column(node), message,
            FixLevel.REPORT,
        )  # fmt: skip
