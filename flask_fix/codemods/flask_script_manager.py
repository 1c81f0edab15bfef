"""FLK803 flask-script-manager."""

from __future__ import annotations

import ast
import os
import re

import libcst as cst

from ..index.project import ProjectIndex
from ..index.projectroot import search_folder
from ..model import FixLevel
from ..rewrite.base import ProjectContext, ProjectExample, ProjectFinding, ProjectTransform
from ..rewrite.base import ImportSpec, TransformResult
from ..rewrite.factory.commands import Positions
from ..rewrite.flask_script import Conversion, convert_manager_module
from ..rewrite.importers import ImportedNames
from ..rewrite.imports import update_imports

#: files never read for `manage.py runserver`: Python (the rewrite's own business),
#: compiled and binary files, databases, archives, images
_NOT_TEXT = (
    ".py", ".pyc", ".pyo", ".so", ".db", ".sqlite", ".sqlite3", ".png", ".jpg", ".jpeg",
    ".gif", ".ico", ".pdf", ".zip", ".gz", ".tar", ".whl", ".egg", ".woff", ".woff2", ".ttf",
    ".eot", ".mo", ".lock", ".min.js", ".map",
)  # fmt: skip
#: Flask-Script's `runserver` options -> `flask run`'s (None: takes a value, kept as is)
_RUNSERVER_OPTIONS = {
    "-h": None, "--host": None, "-p": None, "--port": None,
    "-d": "--debugger", "--debug": "--debugger", "-D": "--no-debugger",
    "--no-debug": "--no-debugger", "-r": "--reload", "--reload": "--reload",
    "-R": "--no-reload", "--no-reload": "--no-reload", "--threaded": "--with-threads",
}  # fmt: skip
#: a text file larger than this is data, not a script or a doc
_LARGEST = 1 << 20
_SKIPPED_FOLDERS = frozenset(
    {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "site-packages", "migrations"}
)

FLASK_SCRIPT_BROKEN = (
    "Flask-Script does not import on Flask 2.0+ (`ModuleNotFoundError: No module named "
    "'flask._compat'`), and Flask-Migrate 3.0 removed `MigrateCommand`"
)


class FlaskScriptManager(ProjectTransform):
    """
    What it does:
        Rewrites a Flask-Script `manage.py` to Flask's own CLI (click). `manager =
        Manager(app)` goes away and its commands go on `app.cli`; `Manager(create_app)`
        becomes `cli = FlaskGroup(create_app=create_app)` and the commands go on `cli`.
        `@manager.command` becomes `@app.cli.command('name')` with a `click.argument`
        for each parameter without a default and a `click.option('-x', '--name')` for
        each one with (a flag for a `False` default), as Flask-Script derived them;
        `@manager.option(...)` becomes `@click.option(...)` (`dest`, `default`, `help`,
        `type=int/float/str`, `required`, `choices`, `metavar`, `action='store_true'`
        or `'store_false'`). `manager.add_command('db', MigrateCommand)` and `Server(...)`
        are removed, `Shell(make_context=f)` and `@manager.shell` become
        `app.shell_context_processor`, and `manager.run()` under `__main__` becomes
        `FlaskGroup(create_app=lambda: app)()` (or `cli()`). In the project's other
        text files (scripts, Procfiles under any name, Dockerfiles, Makefiles, docs;
        not Python files, nor `migrations/` or tool folders), `manage.py runserver` (or the name a `Server`
        had) becomes `manage.py run`, with Flask-Script's options spelled as `flask
        run`'s (`-d` -> `--debugger`, `-r` -> `--reload`, `--threaded` ->
        `--with-threads`) and the `Server(host=..., port=...)` settings added. A
        module-level import of Flask-Script (or of Flask-Migrate's `MigrateCommand`) in
        another module whose names nothing uses (not that module, not its `__all__`, and
        no other module imports them from it) is deleted; one still in use is named.

    Why is this bad?:
        Flask-Script is unmaintained: it imports `flask._compat`, which Flask 2.0 removed
        (`ModuleNotFoundError: No module named 'flask._compat'`), its `@manager.command`
        calls `inspect.getargspec`, which Python 3.11 removed, and Flask-Migrate 3.0
        removed `MigrateCommand`. On today's releases `manage.py` does not import, so no
        command of it runs, including the `db upgrade` a deployment calls.

    Example:
        from flask_migrate import Migrate, MigrateCommand
        from flask_script import Manager

        from blog import app, db

        migrate = Migrate(app, db)
        manager = Manager(app)
        manager.add_command('db', MigrateCommand)


        @manager.option('-c', '--count', dest='count', type=int, default=25)
        def seed(count):
            ...


        if __name__ == '__main__':
            manager.run()

    Use instead:
        import click
        from flask.cli import FlaskGroup
        from flask_migrate import Migrate

        from blog import app, db

        migrate = Migrate(app, db)


        @app.cli.command('seed')
        @click.option('-c', '--count', type=int, default=25)
        def seed(count):
            ...


        if __name__ == '__main__':
            FlaskGroup(create_app=lambda: app)()

    Fix safety:
        Unsafe: the command line changes. The choice made: `python manage.py <command>`
        keeps working, with the same command names (click would spell `create_user` as
        `create-user`: each command is named explicitly) and options, because the
        `__main__` block runs a `FlaskGroup`, which also brings Flask's `run`, `shell`
        and `routes` and the plugin commands: `python manage.py db upgrade` keeps working
        through Flask-Migrate's `flask db` (registered by the package; `Migrate(app, db)`
        must run, as `MigrateCommand` needed too). `flask --app manage <command>` works
        as well. So the project's scripts and docs need no change but for `runserver`,
        Flask's `run`. A function that other code calls (a test calling `manage.seed()`)
        stays a plain function, registered after its definition:
        `app.cli.command('seed')(click.option(...)(seed))`. Differences: Flask-Script ran
        a command in a test request context, click runs it in an app context; a
        command's return value was the exit status (`sys.exit(result or 0)`): in a
        function nothing else calls, `return 1` becomes `sys.exit(1)` (`sys.exit(x or
        0)` for a value that is not an int literal), unless a `try` or `with` holds the
        `return` (a handler or a context manager would see the SystemExit): that, and a
        function other code calls, is reported, as click ignores the value; an
        option of `@manager.command` with a non-string default gets click's type from the
        default (`count=25` reads `--count 3` as the int 3, Flask-Script passed the
        string '3'); `Server(...)` settings other than host, port, debugger, reloader
        and threads, and `Shell`'s banner, are dropped (reported). Only reported, the
        module left as it is: a custom `Command` subclass, `Option`, `Group`, the
        `prompt_*` helpers, `manager.add_option` (options of the app factory), an option
        keyword or `type=` click reads differently (`nargs`, `action='append'`, a
        callable type), `Manager(create_app)` with a shell context, the manager used any
        other way. The rewrite works on Flask 1.x too, so it applies whatever the pins
        say.
    """

    code = "FLK803"
    name = "flask-script-manager"
    fix_level = FixLevel.UNSAFE
    summary = "Rewrite Flask-Script's `manage.py` to Flask's CLI (click), and its `runserver` calls."

    valid = (
        # a Manager of another library, and Flask's own CLI already
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "manage.py": (
                "import click\nfrom celery.bin.manager import Manager\n\nfrom app import app\n\n"
                "manager = Manager(app)\n\n\n@app.cli.command('seed')\n"
                "@click.option('-c', '--count', default=3)\ndef seed(count):\n    pass\n\n\n"
                "if __name__ == '__main__':\n    manager.run()\n"
            ),
            "README.md": "Run `python manage.py runserver` (Django's, in the other repository).\n",
        },
        # a local `manager` that is no Flask-Script one
        {
            "app.py": (
                "from flask import Flask\n\napp = Flask(__name__)\n\n\nclass Manager:\n"
                "    def command(self, f):\n        return f\n\n\nmanager = Manager()\n\n\n"
                "@manager.command\ndef seed():\n    pass\n"
            ),
            "Procfile": "release: python manage.py runserver\n",
        },
    )
    examples = (
        ProjectExample(
            {
                "blog.py": "from flask import Flask\n\napp = Flask(__name__)\n",
                "manage.py": (
                    "from flask_migrate import Migrate, MigrateCommand\n"
                    "from flask_script import Manager, Shell, Server\n\n"
                    "from blog import app, db\n\n"
                    "migrate = Migrate(app, db)\nmanager = Manager(app)\n"
                    "manager.add_command('db', MigrateCommand)\n"
                    "manager.add_command('shell', Shell(make_context=lambda: dict(db=db)))\n"
                    "manager.add_command('runserver', Server(host='0.0.0.0'))\n\n\n"
                    "@manager.command\ndef test():\n    \"\"\"Run the unit tests.\"\"\"\n"
                    "    import unittest\n\n"
                    "    tests = unittest.TestLoader().discover('tests')\n"
                    "    unittest.TextTestRunner(verbosity=2).run(tests)\n\n\n"
                    "@manager.command\ndef create_db(drop_first=False, name=None):\n    pass\n\n\n"
                    "@manager.option('-c', '--count', dest='count', type=int, default=25,"
                    " help='posts')\ndef seed(count):\n    create_db()\n\n\n"
                    "if __name__ == '__main__':\n    manager.run()\n"
                ),
                "Procfile": "release: python manage.py db upgrade\nweb: python manage.py runserver -d\n",
                "README.md": "Run `./manage.py runserver` and `python manage.py test`.\n",
            },
            {
                "blog.py": "from flask import Flask\n\napp = Flask(__name__)\n",
                "manage.py": (
                    "import click\nfrom flask.cli import FlaskGroup\n"
                    "from flask_migrate import Migrate\n\n"
                    "from blog import app, db\n\n"
                    "migrate = Migrate(app, db)\n"
                    "app.shell_context_processor(lambda: dict(db=db))\n\n\n"
                    "@app.cli.command('test')\ndef test():\n    \"\"\"Run the unit tests.\"\"\"\n"
                    "    import unittest\n\n"
                    "    tests = unittest.TestLoader().discover('tests')\n"
                    "    unittest.TextTestRunner(verbosity=2).run(tests)\n\n\n"
                    "def create_db(drop_first=False, name=None):\n    pass\n\n\n"
                    "app.cli.command('create_db')(\n"
                    "    click.option('-d', '--drop_first', is_flag=True)(\n"
                    "        click.option('-n', '--name', default=None)(create_db)))\n\n\n"
                    "@app.cli.command('seed')\n"
                    "@click.option('-c', '--count', default=25, help='posts', type=int)\n"
                    "def seed(count):\n    create_db()\n\n\n"
                    "if __name__ == '__main__':\n    FlaskGroup(create_app=lambda: app)()\n"
                ),
                "Procfile": (
                    "release: python manage.py db upgrade\n"
                    "web: python manage.py run --debugger --host 0.0.0.0\n"
                ),
                "README.md": "Run `./manage.py run --host 0.0.0.0` and `python manage.py test`.\n",
            },
        ),
        # an app factory: the commands go on a FlaskGroup
        ProjectExample(
            {
                "api/__init__.py": (
                    "from flask import Flask\n\n\ndef create_app():\n"
                    "    app = Flask(__name__)\n    return app\n"
                ),
                "manage.py": (
                    "from flask.ext.script import Manager\nfrom api import create_app\n\n"
                    "manager = Manager(create_app)\n\n\n"
                    "@manager.command\ndef adduser(username):\n    print(username)\n\n\n"
                    "if __name__ == '__main__':\n    manager.run()\n"
                ),
            },
            {
                "api/__init__.py": (
                    "from flask import Flask\n\n\ndef create_app():\n"
                    "    app = Flask(__name__)\n    return app\n"
                ),
                "manage.py": (
                    "import click\nfrom flask.cli import FlaskGroup\nfrom api import create_app\n\n"
                    "cli = FlaskGroup(create_app=create_app)\n\n\n"
                    "@cli.command('adduser')\n@click.argument('username')\n"
                    "def adduser(username):\n    print(username)\n\n\n"
                    "if __name__ == '__main__':\n    cli()\n"
                ),
            },
        ),
        # a custom Command subclass: reported, nothing changes
        ProjectExample(
            {
                "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
                "manage.py": (
                    "from flask_script import Manager, Command\n\nfrom app import app\n\n"
                    "manager = Manager(app)\n\n\nclass Hello(Command):\n"
                    "    def run(self):\n        print('hello')\n\n\n"
                    "manager.add_command('hello', Hello())\n\n"
                    "if __name__ == '__main__':\n    manager.run()\n"
                ),
                "Procfile": "web: python manage.py runserver\n",
            },
        ),
    )

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        return "flask-script" in index.dev_server_scripts.values()

    def transform(self, context: ProjectContext) -> TransformResult:
        result = TransformResult()
        index = context.index
        managers = sorted(p for p, how in index.dev_server_scripts.items() if how == "flask-script")
        for path in managers:
            if context.suppressed(self.code, path, None):
                continue
            source = context.read(path).decode("utf-8", "surrogateescape")
            others = [p for p in index.modules if p != path]
            module_name = os.path.splitext(os.path.basename(path))[0]
            conversion = convert_manager_module(
                source, lambda name: _called_in(context, others, module_name, name)
            )
            if conversion.manager is None:
                continue
            line = conversion.manager.line
            if context.suppressed(self.code, path, line):
                continue
            if conversion.text is None:
                for place in conversion.refusals:
                    message = f"{FLASK_SCRIPT_BROKEN}; {place.message}"
                    result.findings.append(self._finding(path, place.line, place.column, message))
                continue
            commands = ", ".join(conversion.commands)
            message = (
                f"{FLASK_SCRIPT_BROKEN}: the commands go to Flask's CLI (click); "
                f"`python {os.path.basename(path)} <command>` keeps working ({commands}) "
                "through a FlaskGroup, `runserver` is Flask's `run`"
                + (", `db` comes from Flask-Migrate" if "db" in conversion.commands else "")
            )
            result.findings.append(self._finding(path, line, conversion.manager.column, message, fix=True))
            for place in conversion.notes:
                result.findings.append(self._finding(path, place.line, place.column, place.message))
            if context.apply:
                result.new_texts[path] = conversion.text.encode("utf-8", "surrogateescape")
            self._rewrite_runserver(context, result, path, conversion)
        if managers:
            self._other_imports(context, result, set(managers))
        return result

    def _other_imports(
        self, context: ProjectContext, result: TransformResult, managers: set[str]
    ) -> None:
        """A module other than the manager script that imports Flask-Script (an app
        package's leftover `from flask_script import Manager`) fails to import on Flask
        2.0+ as well, and one that imports `MigrateCommand` on Flask-Migrate 3.0+. A module-level import whose names nothing uses (not the module,
        not its `__all__`, and no other module of the project imports them from it) is
        deleted; any other is named, saying what still uses it."""
        imported = ImportedNames(context)
        for path in sorted(context.index.modules):
            if path in managers or not path.endswith(".py"):
                continue
            try:
                source = context.read(path)
            except OSError:
                continue
            if b"flask_script" not in source and b"MigrateCommand" not in source:
                continue
            try:
                tree = ast.parse(source, filename=path)
            except (SyntaxError, ValueError):
                continue
            loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            loaded |= {n.value.id for n in ast.walk(tree)
                       if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
            exported = _dunder_all(tree)
            top = {id(node) for node in tree.body}
            places: list[tuple[ast.stmt, list[tuple[ImportSpec, str]], str | None]] = []
            for node in ast.walk(tree):
                specs = _broken_specs(node)
                if not specs or context.suppressed(self.code, path, node.lineno):
                    continue
                names = [spec_name for _, spec_name in specs]
                used = [n for n in names if n in loaded]
                listed = [n for n in names if n in exported]
                importers = [] if used or listed else _importers_of(
                    context, imported, path, names
                )
                if used:
                    advice = (
                        f"this module still uses {', '.join(f'`{n}`' for n in used)}: move that "
                        "to Flask's CLI (click) by hand"
                    )
                elif listed:
                    advice = (
                        f"this module re-exports {', '.join(f'`{n}`' for n in listed)} "
                        "(`__all__`): remove it there and in what uses it by hand"
                    )
                elif importers:
                    advice = (
                        f"{', '.join(importers)} import{'s' if len(importers) == 1 else ''} "
                        f"{', '.join(f'`{n}`' for n in names)} from this module: change that "
                        "by hand, then delete the import"
                    )
                elif id(node) not in top:
                    advice = "nothing uses what it imports: delete the import"
                else:
                    advice = None
                places.append((node, specs, advice))
            fixable = [(node, specs) for node, specs, advice in places if advice is None]
            if len(fixable) < len(places) and any(
                id(node) not in top for node, _, _ in places
            ):
                # a nested import of the same names would be removed along with them
                fixable = []
            for node, specs, advice in places:
                (module_name, obj, _), _ = specs[0]
                what = module_name if module_name.startswith("flask_script") else f"{module_name}.{obj}"
                fix = (node, specs) in fixable
                if fix:
                    advice = "nothing in the project uses what it imports: the import is deleted"
                elif advice is None:
                    advice = "nothing in the project uses what it imports: delete the import"
                result.findings.append(self._finding(
                    path, node.lineno, node.col_offset + 1,
                    f"{FLASK_SCRIPT_BROKEN}; FLK803 converts the manager script only, and "
                    f"this import of `{what}` fails on today's releases too: "
                    f"{advice}", fix=fix,
                ))  # fmt: skip
            if fixable and context.apply:
                module = cst.parse_module(source)
                module = update_imports(module, (), [s for _, specs in fixable for s, _ in specs])
                result.new_texts[path] = module.bytes

    def _finding(
        self, path: str, line: int, column: int, message: str, *, fix: bool = False
    ) -> ProjectFinding:
        return ProjectFinding(
            self.code, self.name, path, line, column, message,
            self.fix_level if fix else FixLevel.REPORT, has_fix=fix,
        )  # fmt: skip

    def _rewrite_runserver(
        self, context: ProjectContext, result: TransformResult, path: str, conversion: Conversion
    ) -> None:
        servers = dict(conversion.servers)
        servers.setdefault("runserver", ())
        script = re.escape(os.path.basename(path))
        pattern = re.compile(
            rf"(?<![\w.-]){script}(?P<space>[ \t]+)(?P<command>{'|'.join(map(re.escape, servers))})"
            r"(?![\w-])(?P<options>(?:[ \t]+-[-\w]+(?:[ \t]+(?!-)[^\s`'\"]+)?)*)"
        )
        for file in _text_files(context, _root(path)):
            try:
                data = context.read(file)
                if len(data) > _LARGEST or b"\0" in data:
                    continue
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if os.path.basename(path) not in text:
                continue
            changes = []
            for match in pattern.finditer(text):
                options, unknown = _run_options(match.group("options"), servers[match.group("command")])
                new = f"{os.path.basename(path)}{match.group('space')}run{options}"
                changes.append((match, new, unknown))
            if not changes:
                continue
            positions = Positions(text)
            out, last = [], 0
            for match, new, unknown in changes:
                out += [text[last : match.start()], new]
                last = match.end()
                line, column = positions.line_col(match.start())
                if context.suppressed(self.code, file, line):
                    return
                message = (
                    f"`{match.group(0).strip()}`: Flask-Script's `{match.group('command')}` is "
                    f"Flask's `run` now: `{new}`"
                )
                result.findings.append(self._finding(file, line, column, message, fix=True))
                if unknown:
                    result.findings.append(
                        self._finding(file, line, column, f"`{' '.join(unknown)}`: Flask-Script "
                                      "`runserver` options `flask run` does not have; drop or "
                                      "replace them (`flask run --help`)")
                    )
            out.append(text[last:])
            if context.apply:
                result.new_texts[file] = "".join(out).encode("utf-8")


def _run_options(options: str, defaults: tuple[str, ...]) -> tuple[str, list[str]]:
    """`runserver`'s options as `run`'s, with a Server's settings the call lacks added;
    and the options `run` does not have (kept as written)."""
    words = options.split()
    out: list[str] = []
    unknown: list[str] = []
    given: set[str] = set()
    i = 0
    while i < len(words):
        word = words[i]
        flag, _, value = word.partition("=")
        if flag in _RUNSERVER_OPTIONS:
            mapped = _RUNSERVER_OPTIONS[flag]
            if mapped is None:
                canonical = "--host" if flag in ("-h", "--host") else "--port"
                given.add(canonical)
                if value:
                    out.append(word)
                elif i + 1 < len(words):
                    out += [word, words[i + 1]]
                    i += 1
                else:
                    out.append(word)
            else:
                given.add(mapped.replace("--no-", "--"))
                out.append(mapped)
        else:
            unknown.append(word)
            out.append(word)
        i += 1
    extra: list[str] = []
    j = 0
    while j < len(defaults):
        flag = defaults[j]
        takes_value = flag in ("--host", "--port")
        if flag.replace("--no-", "--").replace("--without-", "--with-") not in given:
            extra += defaults[j : j + (2 if takes_value else 1)]
        j += 2 if takes_value else 1
    words = out + extra
    return ("" if not words else " " + " ".join(words)), unknown


def _root(path: str) -> str:
    """The folder to search: the manager module's project (as FLK603 searches)."""
    return search_folder(os.path.dirname(os.path.abspath(path)))


def _text_files(context: ProjectContext, root: str) -> list[str]:
    """Every file of the project but Python modules and what lies in tool folders (a
    honcho Procfile may have any name: `honcho start -f Local`); `_rewrite_runserver`
    reads those that decode as UTF-8 and name the script."""
    found = []
    for file in map(os.path.normpath, context.files_under(root)):
        parts = file.split(os.sep)
        if any(p in _SKIPPED_FOLDERS for p in parts[:-1]) or parts[-1].endswith(_NOT_TEXT):
            continue
        found.append(file)
    return found


def _broken_specs(node: ast.AST) -> list[tuple[ImportSpec, str]]:
    """The imports in `node` (an import statement) that fail on today's releases beside
    a Flask-Script manager: Flask-Script's, and `MigrateCommand` from Flask-Migrate
    (removed in 3.0); each as the spec `update_imports` removes, with the name it binds."""
    if isinstance(node, ast.ImportFrom) and node.level == 0 and (
        node.module == "flask_script" or (node.module or "").startswith("flask_script.")
    ):
        return [((node.module, a.name, a.asname), a.asname or a.name) for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "flask_migrate":
        return [
            ((node.module, a.name, a.asname), a.asname or a.name)
            for a in node.names
            if a.name == "MigrateCommand"
        ]
    if isinstance(node, ast.Import):
        return [
            ((a.name, None, a.asname), a.asname or a.name.split(".")[0])
            for a in node.names
            if a.name.split(".")[0] == "flask_script"
        ]
    return []


def _dunder_all(tree: ast.Module) -> set[str]:
    """The strings a module's top-level `__all__` assignments (`=`, `+=`) list."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                if node.value is not None:
                    names |= {
                        n.value for n in ast.walk(node.value)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    }  # fmt: skip
    return names


def _importers_of(
    context: ProjectContext, imported: ImportedNames, path: str, names: list[str]
) -> list[str]:
    """The project's other modules that may take one of `names` from the module at
    `path`: `from module import name`, `from module import *`, or an import of the module
    and `.name` in its text; a module that does not parse counts."""
    module = context.index.modules[path]
    found = []
    for other in sorted(context.index.modules):
        if other == path or not other.endswith(".py"):
            continue
        taken = imported(other)
        if taken is None or f"{module}.*" in taken or any(f"{module}.{n}" in taken for n in names):
            found.append(other)
            continue
        if module in taken:
            try:
                text = context.read(other).decode("utf-8", "replace")
            except OSError:
                continue
            if any(re.search(rf"\.\s*{re.escape(n)}\b", text) for n in names):
                found.append(other)
    for other in context.index.unparsable_modules:
        if other == path or not other.endswith(".py"):
            continue
        try:
            text = context.read(other).decode("utf-8", "replace")
        except OSError:
            continue
        if any(re.search(rf"\\b{re.escape(n)}\\b", text) for n in names):
            found.append(other)
    return found


def _called_in(context: ProjectContext, paths: list[str], module: str, name: str) -> bool:
    """Whether another module that imports the manager module names `name`."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    imports = re.compile(rf"\b(import|from)\s+([\w.]*\.)?{re.escape(module)}\b")
    for path in paths:
        try:
            text = context.read(path).decode("utf-8", "replace")
        except OSError:
            continue
        if imports.search(text) and word.search(text):
            return True
    return False
