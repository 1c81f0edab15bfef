"""FLK601 dev-server-in-production: in Python (`app.run()`) and in deployment files."""

from __future__ import annotations

import ast
import os
import re

import libcst as cst
from libcst.metadata import ScopeProvider

from ..model import FixLevel
from ..index.contextfacts import is_main_guard
from ..index.project import FLASK_CLASSES
from ..rewrite.base import Example, Rule, TextExample, TextFinding, TextRule
from ..rewrite.factory.commands import (
    SHELLS,
    dash_c_script,
    is_dev_file,
    is_dev_name,
    Command,
    Positions,
    Word,
    file_commands,
    file_kind,
    shell_commands,
    simple_command,
)
from ..rewrite.module_layout import is_main_test
from ..rewrite.names import (
    AssignedValues,
    enclosing_function,
    module_level_name,
    qualified_name,
    reaching_assignments,
)

USE_INSTEAD = "use a production WSGI server (Gunicorn, uWSGI or Waitress)"
DEV_SERVER_WARNING = (
    'Werkzeug warns: "This is a development server. Do not use it in a production '
    'deployment. Use a production WSGI server instead."'
)
# addresses that make the server listen on every interface
ALL_INTERFACES = frozenset({"0.0.0.0", "::"})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


# --- deployment files ------------------------------------------------------------------

_PYTHON = re.compile(r"(python|pypy)(\d+(\.\d+)*)?")
# options of the `flask` command group that take a value
_FLASK_VALUE_OPTIONS = frozenset({"--app", "-A", "--env-file", "-e"})
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_DEV_ASSIGNMENTS = re.compile(r"FLASK_DEBUG=(1|true|True)|FLASK_ENV=development")
# FLASK_DEBUG=1 / FLASK_ENV=development set anywhere in a file: `KEY=v`, `KEY: v`, quoted
_DEV_SETTING = re.compile(
    r"""FLASK_DEBUG["']?\s*[:=]\s*["']?(1|true|True)\b|FLASK_ENV["']?\s*[:=]\s*["']?development"""
)


class DevServerCommand(TextRule):
    """The part of FLK601 that reads deployment files: registered, selected and documented
    through `DevServerInProduction.text_part` (see its docstring)."""

    code = "FLK601"
    name = "dev-server-in-production"
    needs_index = True
    file_patterns = (
        "Procfile",
        "Procfile.*",
        "Dockerfile",
        "Dockerfile.*",
        "Dockerfile-*",
        "*.Dockerfile",
        "*.dockerfile",
        "Containerfile",
        "Containerfile.*",
        "docker-compose*.yml",
        "docker-compose*.yaml",
        "compose*.yml",
        "compose*.yaml",
        "*.sh",
    )

    examples = (
        TextExample("Procfile", "web: flask run --host=0.0.0.0 --port=$PORT\n", (1,)),
        TextExample("Procfile", "release: flask db upgrade\nweb: gunicorn 'app:create_app()'\n"),
        TextExample("Procfile.dev", "web: flask run --debug\n"),
        TextExample(
            "Procfile",
            "web: python app.py\n",
            (1,),
            project=(
                (
                    "app.py",
                    "from flask import Flask\napp = Flask(__name__)\n"
                    "if __name__ == '__main__':\n    app.run()\n",
                ),
            ),
        ),
        # a script that does not serve the app (a worker, a seeding script)
        TextExample(
            "Procfile",
            "worker: python worker.py\n",
            project=(("worker.py", "import time\nwhile True:\n    time.sleep(1)\n"),),
        ),
        TextExample(
            "Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
            'CMD ["flask", "run", "--host=0.0.0.0"]\n',
            (4,),
        ),
        TextExample(
            "Dockerfile",
            "FROM python:3.12-slim\nENV FLASK_APP=app.py\n"
            "CMD flask db upgrade && \\\n    exec flask --app app run -h 0.0.0.0\n",
            (4,),
        ),
        TextExample(
            "Dockerfile",
            'FROM python:3.12-slim\nENTRYPOINT ["python", "-m", "flask"]\nCMD ["run"]\n',
            (2,),
        ),
        TextExample(
            "Dockerfile",
            "FROM python:3.12-slim\n# CMD flask run\nRUN flask --version\n"
            "HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\n"
            'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
        ),
        TextExample(
            "docker-compose.yml",
            "services:\n  web:\n    build: .\n    command: flask run --host 0.0.0.0\n"
            '  worker:\n    command: ["celery", "-A", "app.celery", "worker"]\n',
            (4,),
        ),
        TextExample(
            "compose.yaml",
            "services:\n  web:\n    command:\n      - flask\n      - run\n",
            (4,),
        ),
        TextExample(
            "compose.yaml",
            'services:\n  web:\n    command: ["sh", "-c", "flask db upgrade && flask run"]\n',
            (3,),
        ),
        TextExample(
            "docker-compose.yml",
            "services:\n  web:\n    # command: flask run\n"
            "    command: gunicorn -w 4 app:app\n"
            "  dev:\n    command: flask run --debug\n",
        ),
        TextExample("docker-compose.dev.yml", "services:\n  web:\n    command: flask run\n"),
        TextExample(
            "entrypoint.sh",
            "#!/bin/sh\nset -e\nflask db upgrade\n# flask run\nexec flask run -h 0.0.0.0\n",
            (5,),
        ),
        TextExample(
            "boot.sh",
            "#!/bin/sh\nflask deploy\necho 'flask run is for development'\n"
            "exec gunicorn -b :5000 app:app\n",
        ),
    )

    def check(self, path: str, text: str) -> list[TextFinding]:
        if is_dev_file(path):
            return []
        # compose files and shell scripts serve development as often as deployment:
        # commands (or a whole file) that say so are left alone
        may_be_dev = file_kind(path) in ("compose", "shell")
        if may_be_dev and _DEV_SETTING.search(text):
            return []
        positions = Positions(text)
        findings: dict[tuple[int, int], TextFinding] = {}
        for command in file_commands(path, text, skip_stage=is_dev_name):
            if may_be_dev and _says_development(command):
                continue
            for message, first, last in self._dev_server_uses(command, path):
                line, column = positions.line_col(first.start)
                end_line, end_column = positions.line_col(last.end)
                if end_line != line:
                    end_column = positions.line_col(positions.line_end(line))[1]
                findings.setdefault((line, column), TextFinding(line, column, end_column, message))
        return [findings[key] for key in sorted(findings)]

    def _dev_server_uses(self, command: Command, path: str) -> list[tuple[str, Word, Word]]:
        """(message, first word, last word) for each way `command` starts the server."""
        words = simple_command(command)
        if not words:
            return []
        program = os.path.basename(words[0].text)
        if program in SHELLS:
            script = dash_c_script(words)
            if script is None:
                return []
            found = []
            for inner in shell_commands(script.text):
                for message, _, _ in self._dev_server_uses(inner, path):
                    found.append((message, script, script))
            return found
        if program == "flask":
            if _flask_subcommand(words[1:]) == "run":
                return [(_flask_run_message(), words[0], words[-1])]
            return []
        if not _PYTHON.fullmatch(program):
            return []
        target = _python_target(words[1:])
        if target is None:
            return []
        kind, name, arguments = target
        if kind == "module" and name.text == "flask":
            if _flask_subcommand(arguments) == "run":
                return [(_flask_run_message(), words[0], words[-1])]
            return []
        script = self._script_path(path, name.text, kind)
        how = self.index.dev_server_scripts.get(script) if script and self.index else None
        shown = " ".join(w.text for w in words[: len(words) - len(arguments)])
        if how == "app.run":
            message = (
                f"`{shown}` starts Flask's development server ({script} calls `app.run()`): "
                f"{USE_INSTEAD}, e.g. `gunicorn 'module:app'`; {DEV_SERVER_WARNING}"
            )
            return [(message, words[0], words[-1])]
        if how == "flask-script" and arguments and arguments[0].text == "runserver":
            message = (
                f"`{shown} runserver` starts Flask's development server (Flask-Script's "
                f"`runserver` calls `app.run()`): {USE_INSTEAD}; {DEV_SERVER_WARNING}"
            )
            return [(message, words[0], words[-1])]
        if how == "flask-group" and arguments and arguments[0].text == "run":
            message = (
                f"`{shown} run` starts Flask's development server ({script} runs a "
                f"`FlaskGroup`, whose `run` is `flask run`): {USE_INSTEAD}; {DEV_SERVER_WARNING}"
            )
            return [(message, words[0], words[-1])]
        return []

    def _script_path(self, text_path: str, target: str, kind: str) -> str | None:
        """The project file `python target` (or `python -m target`) runs, if indexed."""
        if self.index is None:
            return None
        modules = self.index.modules
        folder = os.path.dirname(text_path)
        if kind == "module":
            wanted = {target, f"{target}.__main__"}
            found = [p for p, m in modules.items() if m in wanted and not p.endswith("__init__.py")]
            near = [
                p
                for p in found
                if os.path.dirname(os.path.dirname(p)) == folder or os.path.dirname(p) == folder
            ]
            if len(found) == 1:
                return found[0]
            return near[0] if len(near) == 1 else None
        by_path = {os.path.normpath(p): p for p in modules}
        parts = [p for p in target.replace("\\", "/").split("/") if p]
        starts = range(len(parts)) if target.startswith("/") else range(1)
        for start in starts:
            candidate = os.path.normpath(os.path.join(folder, *parts[start:]))
            if candidate in by_path:
                return by_path[candidate]
        return None


class DevServerInProduction(AssignedValues, Rule):
    """
    What it does:
        Finds Flask's development server where it would serve real traffic:
        `app.run()` executed when the module is imported (at module level, or in a
        module-level function called at import) rather than under
        `if __name__ == '__main__':`; `app.run(host='0.0.0.0')` and
        `app.run(threaded=True)` anywhere; and, in deployment files, a Procfile
        process, a Dockerfile `CMD`/`ENTRYPOINT`, a compose `command:`/`entrypoint:` or a
        shell script that runs `flask run`, `python -m flask run`, or `python app.py`
        where app.py is a module of the project that calls `app.run()` (also
        Flask-Script's `python manage.py runserver`).

    Why is this bad?:
        `app.run()` and `flask run` start Werkzeug's development server, which is not
        designed to be efficient, stable or secure: Werkzeug prints "WARNING: This is a
        development server. Do not use it in a production deployment. Use a production
        WSGI server instead." An `app.run()` that runs at import time also starts that
        server inside whatever imports the module: Gunicorn, `flask run`, the tests.
        `host='0.0.0.0'` opens it to other machines; `threaded=True` (the default since
        Flask 1.0) prepares it for concurrent traffic.

    Example:
        app = Flask(__name__)
        app.run(host="0.0.0.0")

        # Procfile
        web: flask run --host=0.0.0.0

    Use instead:
        app = Flask(__name__)

        if __name__ == "__main__":
            app.run()

        # Procfile
        web: gunicorn "app:app"

    Fix safety:
        Report only: choosing and configuring a WSGI server is a deployment decision.
        In Python, `app` must resolve to a Flask app of the project: a module-level
        `Flask(...)` (here or imported), the result of an app factory (a project
        function that creates and returns a `Flask`), or a local assigned from either;
        `run()` on anything else (a SocketIO object, a Flask-Script manager, a
        parameter) is not looked at. Only literal `host`/`threaded` values count, and
        `threaded=True` (the default anyway) not in a call that says it is for local
        development (`debug=True`, or a loopback `host` such as '127.0.0.1'). A
        function counts as called at import when a module-level statement outside the
        `__main__` guard calls it by name (one level, not through other functions).

        Deployment files: a Procfile's processes; each Dockerfile stage's last `CMD`
        and last `ENTRYPOINT`, and the two joined when both are in exec form (stages
        named for development, `FROM base AS dev`, are skipped); the `command:` and
        `entrypoint:` of compose services (strings read with shell quoting, flow and
        block sequences, block scalars; YAML anchors and merged keys are not
        followed); every command of a shell script (here-documents and comments
        skipped). Wrappers (`exec`, `env`, `nohup`, `sudo`, `gosu`, `poetry run`,
        `sh -c '...'`) are seen through. `flask run` and `python -m flask run` are
        always reported; `python X.py` only when X.py, resolved from the file's folder
        (an absolute path by its trailing components), is a module of the project
        calling `.run()` on an app at module level or in its `__main__` block, and
        `python -m X` likewise; `python manage.py runserver` when manage.py creates a
        Flask-Script `Manager`, and `python manage.py run` when manage.py runs a
        `FlaskGroup` (as FLK803 writes it) that keeps Flask's `run` (not
        `add_default_commands=False`, no `run` command of its own). Files meant for development or tests are skipped: a
        file name marked `dev`, `development`, `local`, `test`, `ci`, `e2e`, `example`,
        `docs`, `demo` (`docker-compose.dev.yml`, `Procfile.dev`, `run-local.sh`), a
        folder such as `.devcontainer/`, `tests/`, `examples/`, `docs/`; and compose
        files and shell scripts that set `FLASK_DEBUG=1` or `FLASK_ENV=development`,
        or commands there that pass `--debug` or `--reload`. A Procfile or a Dockerfile
        always deploys, so there `flask run --debug` is reported like any other.
    """

    code = "FLK601"
    name = "dev-server-in-production"
    fix_level = FixLevel.REPORT
    summary = "Serve with a production WSGI server, not `app.run()` or `flask run`."
    triggers = (b".run(",)
    called_names = frozenset({"run"})
    METADATA_DEPENDENCIES = (ScopeProvider,)
    text_part = DevServerCommand

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        return isinstance(call.func, ast.Attribute)

    @classmethod
    def module_could_fire(cls, module) -> bool:
        """A `.run()` on a name or a call (what `_is_app` accepts) given an option the
        rule reports (a literal host open to all, `threaded=True`), or run outside every
        `__main__` guard: at import time, or in a function that may be called then."""
        guarded = [
            _span(statement.body)
            for statement in module.all(ast.If)
            if is_main_guard(statement.test)
        ]
        functions = [
            (_span(function.body), function.name)
            for function in (*module.all(ast.FunctionDef), *module.all(ast.AsyncFunctionDef))
        ]
        called_at_import: set[str] | None = None
        for call in module.calls("run"):
            func = call.func
            if not (
                isinstance(func, ast.Attribute) and isinstance(func.value, (ast.Name, ast.Call))
            ):
                continue
            if _may_have_reasons(call):
                return True
            if _within(call, guarded):
                continue
            enclosing = {name for span, name in functions if _within(call, [span])}
            if not enclosing:
                return True
            if called_at_import is None:
                called_at_import = {
                    other.func.id
                    for other in module.all(ast.Call)
                    if isinstance(other.func, ast.Name)
                    and not _within(other, guarded)
                    and not _within(other, [span for span, _ in functions])
                }
            if enclosing & called_at_import:
                return True
        return False

    @classmethod
    def could_fire_in(cls, path, index) -> bool:
        module = index.modules.get(path)
        if module is None:
            return False
        prefix = f"{module}."
        return any(app.path == path for app in index.factory_apps) or any(
            name.startswith(prefix) and "." not in name[len(prefix) :]
            for name in (*index.app_names, *index.app_factories)
        )

    valid = (
        # the guard: only `python app.py` starts the server
        "from flask import Flask\n\napp = Flask(__name__)\n\n"
        "if __name__ == '__main__':\n    app.run()\n",
        # a CLI command run on demand, not at import
        "from flask import Flask\n\napp = Flask(__name__)\n\n"
        "def serve():\n    app.run(port=8000)\n",
        # a parameter named app: not known to be a Flask app
        "def serve(app):\n    app.run()\n\nserve(object())\n",
        # run() of something else (a Flask-SocketIO object, say)
        "from flask import Flask\nfrom flask_socketio import SocketIO\n\n"
        "app = Flask(__name__)\nsocketio = SocketIO(app)\nsocketio.run(app)\n",
        # `app` rebound to something else before running
        "from flask import Flask\n\napp = Flask(__name__)\napp = make_wsgi(app)\napp.run()\n",
        # threaded=True on a local debugging server
        "from flask import Flask\n\napp = Flask(__name__)\n\n"
        "if __name__ == '__main__':\n    app.run(debug=True, threaded=True, host='127.0.0.1')\n",
        # the host is not a literal: not reported
        "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n"
        "if __name__ == '__main__':\n    app.run(host=os.environ.get('HOST'))\n",
        # a function that is defined but only called under the guard
        "from flask import Flask\n\n\ndef main():\n    app = Flask(__name__)\n    app.run()\n\n\n"
        "if __name__ == '__main__':\n    main()\n",
    )
    invalid = (
        Example("from flask import Flask\n\napp = Flask(__name__)\napp.run()\n"),
        Example(
            "from flask import Flask\n\napp = Flask(__name__)\n\n"
            "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=80)\n"
        ),
        Example(
            "from flask import Flask\n\napp = Flask(__name__)\n\n"
            "if __name__ == '__main__':\n    app.run('::', 80, threaded=True)\n"
        ),
        # an app factory's result, run from a function called at import time
        Example(
            "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
            "    return app\n\n\ndef main():\n    app = create_app()\n    app.run()\n\n\n"
            "main()\n"
        ),
        Example(
            "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
            "    return app\n\n\ncreate_app().run(threaded=True)\n"
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self._module = context.index.modules.get(context.path)
        self._guards: list[bool] = []  # per `if` body: is it a `__main__` guard?
        self._guarded = 0
        # run() calls inside functions: reported if the function is called at import
        self._in_functions: list[tuple[cst.Call, str, list[str]]] = []
        self._called_at_import: set[str] = set()

    # the `if __name__ == '__main__':` guard

    def visit_If_body(self, node: cst.If) -> None:
        guard = is_main_test(node.test)
        self._guards.append(guard)
        self._guarded += guard

    def leave_If_body(self, node: cst.If) -> None:
        self._guarded -= self._guards.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name):
            if (
                not self._guarded
                and enclosing_function(self, node) is None
                and module_level_name(self, func, self._module) is not None
            ):
                self._called_at_import.add(func.value)
            return
        if not (isinstance(func, cst.Attribute) and func.attr.value == "run"):
            return
        if not self._is_app(func.value):
            return
        reasons = _option_reasons(node)
        function = enclosing_function(self, node)
        if self._guarded:
            if reasons:
                self.report(node, _message(reasons))
        elif function is None:
            self.report(node, _message([_UNGUARDED.format(call=_code(node))] + reasons))
        else:
            self._in_functions.append((node, function, reasons))

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, function, reasons in self._in_functions:
            if function in self._called_at_import:
                reasons = [_CALLED_AT_IMPORT.format(function=function)] + reasons
            if reasons:
                self.report(node, _message(reasons))

    # what is an app

    def _is_app(self, expr: cst.BaseExpression) -> bool:
        index = self.context.index
        if isinstance(expr, cst.Call):
            return self._creates_app(expr)
        if not isinstance(expr, cst.Name):
            return False
        name = module_level_name(self, expr, self._module)
        if name is not None:
            return name in index.app_names
        # bound more than once: the binding that reaches this use decides
        assignments = reaching_assignments(self, expr) or []
        if len(assignments) != 1:
            return False
        value = self.assigned_value(assignments[0])
        return isinstance(value, cst.Call) and self._creates_app(value)

    def _creates_app(self, call: cst.Call) -> bool:
        """`Flask(...)` or a call of one of the project's app factories."""
        if qualified_name(self, call.func) in FLASK_CLASSES:
            return True
        name = module_level_name(self, call.func, self._module)
        return name is not None and name in self.context.index.app_factories


_UNGUARDED = (
    "`{call}` runs at import time, outside `if __name__ == '__main__':`, so whatever "
    "imports this module (Gunicorn, `flask run`, a test) starts the development server"
)
_CALLED_AT_IMPORT = (
    "`{function}()` is called at import time, outside `if __name__ == '__main__':`, and "
    "starts the development server"
)


def _message(reasons: list[str]) -> str:
    return f"{'; '.join(reasons)}: {USE_INSTEAD}; {DEV_SERVER_WARNING}"


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _span(body: list[ast.stmt]) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a block of statements starts and ends, as (line, column) pairs."""
    first, last = body[0], body[-1]
    return (first.lineno, first.col_offset), (
        last.end_lineno or last.lineno,
        last.end_col_offset or 0,
    )


def _within(node: ast.expr, spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> bool:
    position = (node.lineno, node.col_offset)
    return any(start <= position <= end for start, end in spans)


def _may_have_reasons(call: ast.Call) -> bool:
    """Stdlib-ast triage of `_option_reasons`: a literal host open to all, by keyword
    or first, or `threaded=True`."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    host = keywords.get("host", call.args[0] if call.args else None)
    threaded = keywords.get("threaded")
    return (
        isinstance(host, ast.Constant) and host.value in ALL_INTERFACES
    ) or (isinstance(threaded, ast.Constant) and threaded.value is True)


def _option_reasons(call: cst.Call) -> list[str]:
    reasons = []
    host = _keyword(call, "host")
    if host is None and call.args and call.args[0].keyword is None and not call.args[0].star:
        host = call.args[0].value
    if isinstance(host, cst.SimpleString) and host.evaluated_value in ALL_INTERFACES:
        reasons.append(f"`host={host.value}` opens the development server to other machines")
    threaded = _keyword(call, "threaded")
    debug = _keyword(call, "debug")
    local = (isinstance(debug, cst.Name) and debug.value == "True") or (
        isinstance(host, cst.SimpleString) and host.evaluated_value in LOOPBACK
    )
    if isinstance(threaded, cst.Name) and threaded.value == "True" and not local:
        reasons.append(
            "`threaded=True` (the default since Flask 1.0) readies the development server "
            "for concurrent traffic"
        )
    return reasons


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((a.value for a in call.args if a.keyword and a.keyword.value == name), None)


def _flask_run_message() -> str:
    return (
        f"`flask run` starts Flask's development server: {USE_INSTEAD}, "
        f"e.g. `gunicorn 'module:create_app()'`; {DEV_SERVER_WARNING}"
    )


def _says_development(command: Command) -> bool:
    return any(
        word.text in ("--debug", "--reload") or _DEV_ASSIGNMENTS.fullmatch(word.text)
        for word in command
    )


def _flask_subcommand(arguments: Command) -> str | None:
    """The subcommand of `flask [options] subcommand ...`."""
    i = 0
    while i < len(arguments):
        text = arguments[i].text
        if text in _FLASK_VALUE_OPTIONS:
            i += 2
        elif text.startswith("-"):
            i += 1
        else:
            return text
    return None


def _python_target(arguments: Command) -> tuple[str, Word, Command] | None:
    """('script', path, arguments) or ('module', name, arguments) for `python ...`;
    None for `python -c code`, `python -` and an interactive interpreter."""
    i = 0
    while i < len(arguments):
        text = arguments[i].text
        if text == "-m" or (
            text.startswith("-")
            and not text.startswith("--")
            and text[1] not in "WX"
            and text.endswith("m")
        ):
            if i + 1 < len(arguments):
                return "module", arguments[i + 1], arguments[i + 2 :]
            return None
        if text == "-" or (text.startswith("-") and not text.startswith("--") and "c" in text):
            return None
        if text in _PYTHON_VALUE_OPTIONS:
            i += 2
        elif text.startswith("-"):
            i += 1
        else:
            return "script", arguments[i], arguments[i + 1 :]
    return None
