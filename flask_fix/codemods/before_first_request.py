"""FLK705 before-first-request."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope, GlobalScope, ScopeProvider

from ..model import FixLevel
from ..rewrite.base import Example, Fix
from ..rewrite.legacy_api import APP, LegacyApiRule, code
from ..rewrite.names import qualified_name

DECORATORS = ("before_first_request", "before_app_first_request")
# names that need a request context: under `with app.app_context()` alone they raise
# "Working outside of request context." (url_for: "Unable to build URLs outside an active
# request without 'SERVER_NAME' configured.")
REQUEST_BOUND = frozenset(
    {
        "request",
        "session",
        "flash",
        "get_flashed_messages",
        "url_for",
        "stream_with_context",
        "copy_current_request_context",
        "after_this_request",
        "has_request_context",
    }
)
BLOCKER = (
    "removed in Flask 2.3: on Flask >= 2.3 this module no longer imports"
    " (AttributeError), an upgrade blocker"
)


@dataclass
class _Candidate:
    function: cst.FunctionDef
    decorator: cst.Decorator
    position: int  # of the decorator, 0 = outermost
    request_names: list[str] = field(default_factory=list)


class BeforeFirstRequest(LegacyApiRule):
    """
    What it does:
        Finds `@app.before_first_request` (and a blueprint's `before_app_first_request`)
        and, for a function on an app object of the project, drops the decorator and
        calls the function once at start-up inside `with app.app_context():`, right after
        its definition (at module level, or inside the application factory).

    Why is this bad?:
        Both decorators were deprecated in Flask 2.2 and removed in 2.3: the module stops
        importing with `AttributeError: 'Flask' object has no attribute
        'before_first_request'`, which blocks every upgrade. Flask's advice is to run such
        setup when the application is created.

    Example:
        app = Flask(__name__)

        @app.before_first_request
        def create_tables():
            db.create_all()

    Use instead:
        app = Flask(__name__)

        def create_tables():
            db.create_all()


        with app.app_context():
            create_tables()

    Fix safety:
        Unsafe: the function no longer runs lazily in the serving process before the first
        request, but at import time where it is defined: before any setup later in the
        module or factory (configuration, `db.init_app(app)`), in every process that
        imports the module (the CLI, tests, each worker), and a failure now stops the
        import instead of the first request. It runs under an application context only,
        so a function using `request`, `session`, `flash`, `url_for` (or other
        request-bound helpers) is only reported. Also only reported: blueprints'
        `before_app_first_request` (the blueprint has no app to run it with), a receiver
        not proven to be an app object of the project (a parameter `app`, an app imported
        from outside the project, an app name rebound later; an object the module makes
        otherwise is not Flask's and is left alone), a decorator that is not the
        outermost one (the others would no longer wrap what is called), `async def`,
        functions taking required arguments, methods, and `app.before_first_request(f)`
        called directly.
    """

    code = "FLK705"
    name = "before-first-request"
    fix_level = FixLevel.UNSAFE
    summary = "Run start-up code in an app context, not `@app.before_first_request`."
    triggers = (b"first_request",)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """The rule reads the attributes `before_first_request` and
        `before_app_first_request` only (the trigger text also finds Flask's own
        `_got_first_request` and test names)."""
        return any(node.attr in DECORATORS for node in module.all(ast.Attribute))

    valid = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n"
        "def create_tables():\n    pass\n\n\nwith app.app_context():\n    create_tables()\n",
        # a scheduler of the project with a method of the same name
        "class Scheduler:\n    def before_first_request(self, func):\n        return func\n\n"
        "scheduler = Scheduler()\nhook = scheduler.before_first_request\n\n"
        "@scheduler.before_first_request\ndef job():\n    pass\n",
        # the attribute named in text only
        "NOTE = 'before_first_request was removed in Flask 2.3'\n",
    )
    invalid = (
        Example(
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
            "@app.before_first_request\ndef create_tables():\n    db.create_all()\n\n\n"
            "@app.route('/')\ndef index():\n    return 'ok'\n",
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
            "def create_tables():\n    db.create_all()\n\n\n"
            "with app.app_context():\n    create_tables()\n\n\n"
            "@app.route('/')\ndef index():\n    return 'ok'\n",
            unsafe=True,
        ),
        # not applied without --unsafe-fixes
        Example(
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
            "@app.before_first_request\ndef create_tables():\n    db.create_all()\n",
            None,
        ),
        # inside an application factory
        Example(
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n\n"
            "    @app.before_first_request\n    def warm_up():\n        cache.clear()\n\n"
            "    return app\n",
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n\n"
            "    def warm_up():\n        cache.clear()\n\n"
            "    with app.app_context():\n        warm_up()\n\n"
            "    return app\n",
            unsafe=True,
        ),
        # uses the request: reported only
        Example(
            "from flask import Flask, request\n\napp = Flask(__name__)\n\n"
            "@app.before_first_request\ndef remember_host():\n"
            "    app.config['HOST'] = request.host\n",
            None,
            unsafe=True,
        ),
        # a blueprint, and a direct call: reported only
        Example(
            "from flask import Blueprint, Flask\n\nbp = Blueprint('main', __name__)\n"
            "app = Flask(__name__)\n\n@bp.before_app_first_request\ndef setup():\n"
            "    pass\n\ndef other():\n    pass\n\napp.before_first_request(other)\n",
            None,
            unsafe=True,
        ),
        # the app imported from another module of the project
        Example(
            "from myapp import app\n\n@app.before_first_request\ndef seed():\n    pass\n",
            None,
            unsafe=True,
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._open: list[_Candidate] = []
        self._decorators: set[int] = set()  # decorator expressions already handled

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for position, decorator in enumerate(node.decorators):
            expr = decorator.decorator
            if isinstance(expr, cst.Attribute) and expr.attr.value in DECORATORS:
                self._decorators.add(id(expr))
                self._open.append(_Candidate(node, decorator, position))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        while self._open and self._open[-1].function is original_node:
            candidate = self._open.pop()
            self.defer(lambda candidate=candidate: self._decide(candidate))

    def visit_Name(self, node: cst.Name) -> None:
        if self._open and node.value in REQUEST_BOUND:
            self._note_request(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._open and node.attr.value in REQUEST_BOUND:
            self._note_request(node)
        if node.attr.value in DECORATORS and id(node) not in self._decorators:
            self._decorators.add(id(node))
            self.defer(lambda: self._direct_use(node))

    def _direct_use(self, node: cst.Attribute) -> None:
        if self.may_be_flask(node.value):
            self.report(
                node,
                f"`{node.attr.value}` was {BLOCKER}; run the function once when the app"
                " is created, inside `with app.app_context():`",
            )

    def _note_request(self, node: cst.BaseExpression) -> None:
        name = qualified_name(self, node)
        if name is not None and name.partition(".")[0] == "flask":
            short = name.rpartition(".")[2]
            for candidate in self._open:
                if short not in candidate.request_names:
                    candidate.request_names.append(short)

    def _decide(self, candidate: _Candidate) -> None:
        function, decorator = candidate.function, candidate.decorator
        expr = decorator.decorator
        assert isinstance(expr, cst.Attribute)
        receiver = expr.value
        head = f"`{code(expr)}` was {BLOCKER}"
        advice = "; run the function once when the app is created, inside `with app.app_context():`"
        if not self.may_be_flask(receiver):
            return
        if expr.attr.value == "before_app_first_request":
            self.report(decorator, head + advice + " (a blueprint has no app to run it with)")
            return
        kind = self.object_kind(receiver)
        reason = None
        if kind != APP or not isinstance(receiver, cst.Name):
            reason = f"`{code(receiver)}` is not known to be an app object of the project"
        elif candidate.position != 0:
            reason = "other decorators are applied before it"
        elif isinstance(self.get_metadata(ScopeProvider, function, None), ClassScope):
            reason = "it is a method"
        elif function.asynchronous is not None:
            reason = "it is an async function"
        elif _required_parameters(function):
            reason = "it takes arguments"
        elif candidate.request_names:
            names = ", ".join(f"`{n}`" for n in candidate.request_names)
            reason = f"it uses {names}: that needs a request context, not just an app context"
        if reason is not None:
            self.report(decorator, f"{head}{advice} (not rewritten: {reason})")
            return
        at_module_level = isinstance(self.get_metadata(ScopeProvider, function, None), GlobalScope)
        new_function = _without_decorator(function, candidate.decorator)
        call = cst.With(
            items=[cst.WithItem(cst.Call(cst.Attribute(receiver, cst.Name("app_context"))))],
            body=cst.IndentedBlock(
                [cst.SimpleStatementLine([cst.Expr(cst.Call(cst.Name(function.name.value)))])]
            ),
            leading_lines=[cst.EmptyLine(indent=False)] * (2 if at_module_level else 1),
        )
        self.report(
            decorator,
            f"{head}: call `{function.name.value}()` inside `with {code(receiver)}"
            ".app_context():` right after its definition (unsafe: it then runs at import"
            " time, before any later setup, in every process importing the module)",
            fix=Fix({function: cst.FlattenSentinel([new_function, call])}),
        )


def _required_parameters(function: cst.FunctionDef) -> bool:
    params = function.params
    positional = [*params.posonly_params, *params.params]
    return any(p.default is None for p in positional) or any(
        p.default is None for p in params.kwonly_params
    )


def _without_decorator(function: cst.FunctionDef, removed: cst.Decorator) -> cst.FunctionDef:
    """`function` without the decorator `removed`; comment lines written above it stay."""
    decorators = list(function.decorators)
    position = decorators.index(removed)
    del decorators[position]
    kept = list(removed.leading_lines)
    if position < len(decorators):
        following = decorators[position]
        decorators[position] = following.with_changes(
            leading_lines=[*kept, *following.leading_lines]
        )
        return function.with_changes(decorators=decorators)
    return function.with_changes(
        decorators=decorators, lines_after_decorators=[*kept, *function.lines_after_decorators]
    )
