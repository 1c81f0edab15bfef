"""Flask-Script's manage.py rewritten to Flask's own CLI (FLK803).

`convert_manager_module` rewrites one module holding a module-level `Manager(...)`:

- `manager = Manager(app)`: the commands go on `app.cli` (`@app.cli.command('seed')`),
  and `manager.run()` under `__main__` becomes `FlaskGroup(create_app=lambda: app)()`;
- `manager = Manager(create_app)`: `cli = FlaskGroup(create_app=create_app)`, the
  commands go on `cli`, and `manager.run()` becomes `cli()`.

Either way `python manage.py <command>` keeps working with the same command names (click
would turn `create_user` into `create-user`: every command is named explicitly), and the
FlaskGroup adds Flask's own `run`, `shell`, `routes` and the plugin commands (`db` of
Flask-Migrate). `@manager.option(...)` becomes `@click.option(...)`, `@manager.command`'s
arguments become `click.argument`/`click.option` as Flask-Script derived them;
`manager.add_command('db', MigrateCommand)` and `Server(...)` go away, `Shell(make_context=f)`
and `@manager.shell` become `app.shell_context_processor`. A function that other code
calls (a test calling `manage.seed()`) stays a plain function: it is registered after its
definition, `app.cli.command('seed')(click.option(...)(seed))`.

What has no sound conversion (a custom `Command` subclass, `Option`, the `prompt_*`
helpers, `manager.add_option`, an option keyword it does not know) is returned as a
refusal: the module is then left as it is.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Callable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .module_layout import is_main_test

SCRIPT_MODULES = frozenset({"flask_script", "flask.ext.script"})
MIGRATE_MODULES = frozenset({"flask_migrate", "flask.ext.migrate"})
#: Flask-Script names the conversion knows
CONVERTED = frozenset({"Manager", "Shell", "Server"})
#: `Server(...)` keywords -> the `run` options giving the same (True or a value)
SERVER_OPTIONS = {
    "host": "--host", "port": "--port", "use_debugger": "--debugger",
    "use_reloader": "--reload", "threaded": "--with-threads",
}  # fmt: skip
#: argparse `type=` values click reads the same way
PLAIN_TYPES = frozenset({"int", "float", "str"})
#: argparse keywords of an option and what click calls them (None: handled apart)
OPTION_KEYWORDS = {
    "dest": None, "default": "default", "help": "help", "type": None, "required": "required",
    "action": None, "choices": None, "metavar": "metavar",
}  # fmt: skip


@dataclass
class Place:
    line: int
    column: int
    message: str


@dataclass
class Conversion:
    """The module rewritten (`text` None when refused), why not (`refusals`), what the
    rewrite leaves to a person (`notes`), the Manager's position, and the commands that
    started the development server with the `run` options standing for their settings."""

    text: str | None = None
    refusals: list[Place] = field(default_factory=list)
    notes: list[Place] = field(default_factory=list)
    manager: Place | None = None
    servers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)


def _dotted(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _literal(module: cst.Module, node: cst.BaseExpression) -> object:
    try:
        return ast.literal_eval(module.code_for_node(node))
    except (ValueError, SyntaxError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def convert_manager_module(
    source: str, called_elsewhere: Callable[[str], bool] = lambda name: False
) -> Conversion:
    """Rewrite a module holding a Flask-Script Manager; `called_elsewhere(name)`: whether
    another module of the project names the module-level function `name`."""
    return _Converter(source, called_elsewhere).convert()


class _Converter:
    def __init__(self, source: str, called_elsewhere: Callable[[str], bool]) -> None:
        self.module = cst.parse_module(source)
        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        self.positions = wrapper.resolve(PositionProvider)
        self.called_elsewhere = called_elsewhere
        self.result = Conversion()
        self.script_names: dict[str, str] = {}  # local name -> Flask-Script name
        self.migrate_command: set[str] = set()
        self.manager: str | None = None
        self.target: str | None = None  # `app` or `cli`: what the commands go on
        self.factory = False
        self.uses_click = False
        self.uses_group = False
        self.uses_sys = False

    # --- helpers ---------------------------------------------------------------------

    def _place(self, node: cst.CSTNode, message: str) -> Place:
        start = self.positions[node].start
        return Place(start.line, start.column + 1, message)

    def refuse(self, node: cst.CSTNode, message: str) -> None:
        self.result.refusals.append(self._place(node, message))

    def note(self, node: cst.CSTNode, message: str) -> None:
        self.result.notes.append(self._place(node, message))

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def _manager_attr(self, node: cst.BaseExpression, *attrs: str) -> bool:
        return (
            isinstance(node, cst.Attribute)
            and isinstance(node.value, cst.Name)
            and node.value.value == self.manager
            and node.attr.value in attrs
        )

    # --- the module ------------------------------------------------------------------

    def convert(self) -> Conversion:
        body = list(self.module.body)
        self._read_imports(body)
        self._find_manager(body)
        if self.manager is None or self.result.refusals:
            return self.result
        new_body: list[cst.BaseStatement] = []
        import_slot: int | None = None
        for statement in body:
            if self._is_script_import(statement):
                if import_slot is None:
                    import_slot = len(new_body)
                continue
            new_body.extend(self._statement(statement))
        if self.result.refusals:
            return self.result
        imports = []
        if self.uses_click and not self._imports_click():
            imports.append(cst.parse_statement("import click\n"))
        if self.uses_group:
            imports.append(cst.parse_statement("from flask.cli import FlaskGroup\n"))
        if imports:
            self._insert_imports(body, new_body, import_slot, imports)
        if self.uses_sys and not self._imports_sys():
            # first among the module's imports, where the standard library's go
            first = next((i for i, s in enumerate(new_body) if _is_plain_import(s)), None)
            sys_import = cst.parse_statement("import sys\n")
            while (
                first is not None
                and first + 1 < len(new_body)
                and _import_name(new_body[first]) is not None
                and str(_import_name(new_body[first])) < "sys"
                and not _has_blank_above(new_body[first + 1])
                and _import_name(new_body[first + 1]) is not None
            ):
                first += 1
            if first is not None and (_import_name(new_body[first]) or "") < "sys":
                new_body.insert(first + 1, sys_import)
            elif first is None:
                new_body.insert(0, sys_import)
            else:
                sys_import = sys_import.with_changes(leading_lines=new_body[first].leading_lines)
                new_body[first] = new_body[first].with_changes(leading_lines=[])
                new_body.insert(first, sys_import)
        new = self.module.with_changes(body=new_body)
        leftovers = self._leftovers(new)
        if leftovers:
            return self.result
        self.result.text = new.code
        return self.result

    def _insert_imports(
        self,
        body: list[cst.BaseStatement],
        new_body: list[cst.BaseStatement],
        slot: int | None,
        imports: list[cst.BaseStatement],
    ) -> None:
        """The new imports go first in the block of imports Flask-Script's was in."""
        if slot is None:
            new_body[0:0] = imports
            return
        script = next(s for s in body if self._is_script_import(s))
        start = slot
        while start > 0 and _is_plain_import(new_body[start - 1]) and not _has_blank_above(
            script if start == slot else new_body[start]
        ):
            start -= 1
        if start == slot:
            imports[0] = imports[0].with_changes(leading_lines=script.leading_lines)
        else:
            first = new_body[start]
            imports[0] = imports[0].with_changes(leading_lines=first.leading_lines)
            new_body[start] = first.with_changes(leading_lines=[])
        new_body[start:start] = imports

    def _imports_click(self) -> bool:
        for statement in self.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import) and any(
                        _dotted(a.name) == "click" and a.asname is None for a in small.names
                    ):
                        return True
        return False

    def _read_imports(self, body: list[cst.BaseStatement]) -> None:
        for node in _all_imports(self.module):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    name = _dotted(alias.name) or ""
                    if name in SCRIPT_MODULES or name.startswith(("flask_script.", "flask.ext.script.")):
                        self.refuse(node, f"`import {name}`: Flask-Script used through its module; "
                                          "convert its commands to `@app.cli.command()` by hand")
                continue
            module = _dotted(node.module) if node.module is not None and not node.relative else None
            if module is None:
                continue
            if module in SCRIPT_MODULES or module.startswith(("flask_script.", "flask.ext.script.")):
                if isinstance(node.names, cst.ImportStar):
                    self.refuse(node, f"`from {module} import *`: convert by hand")
                    continue
                for alias in node.names:
                    name = alias.name.value if isinstance(alias.name, cst.Name) else self.code(alias.name)
                    local = alias.asname.name.value if alias.asname is not None else name  # type: ignore[union-attr]
                    if module not in SCRIPT_MODULES or name not in CONVERTED:
                        self.refuse(alias, _unconvertible(name))
                    else:
                        self.script_names[local] = name
            elif module in MIGRATE_MODULES and not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == "MigrateCommand":
                        local = alias.asname.name.value if alias.asname is not None else "MigrateCommand"  # type: ignore[union-attr]
                        self.migrate_command.add(local)
        top_level = {id(s) for s in body}
        for node in _all_imports(self.module):
            if self._is_script_import_node(node) and id(_statement_of(self.module, node)) not in top_level:
                self.refuse(node, "Flask-Script imported inside a block: convert by hand")

    def _is_script_import_node(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            return _dotted(node.module) in SCRIPT_MODULES
        return False

    def _is_script_import(self, statement: cst.BaseStatement) -> bool:
        return (
            isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and self._is_script_import_node(statement.body[0])
        )

    def _find_manager(self, body: list[cst.BaseStatement]) -> None:
        classes = {local for local, name in self.script_names.items() if name == "Manager"}
        for statement in body:
            if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
                continue
            small = statement.body[0]
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
                and _dotted(small.value.func) in classes
            ):
                continue
            if self.manager is not None:
                self.refuse(small, "a second Flask-Script Manager in the module: convert by hand")
                return
            call = small.value
            self.manager = small.targets[0].target.value
            self.result.manager = self._place(small.value, "")
            app = self._manager_app(call)
            if app is None:
                return
            self.factory = self._is_factory(app, body)
            self.target = "cli" if self.factory else app
            if self.factory and _binds(self.module, "cli"):
                self.refuse(call, "the module already has a name `cli`, which the FlaskGroup "
                                  "replacing the Manager would take: convert by hand")

    def _manager_app(self, call: cst.Call) -> str | None:
        app: str | None = None
        for arg in call.args:
            if arg.star:
                self.refuse(arg, "`Manager(*...)`: convert by hand")
                return None
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword in (None, "app"):
                if isinstance(arg.value, cst.Name):
                    app = arg.value.value
                else:
                    self.refuse(arg, f"`Manager({self.code(arg.value)})`: an app given by an "
                                     "expression; convert by hand")
                    return None
            elif keyword not in ("with_default_commands", "usage", "description",
                                 "disable_argcomplete", "help"):  # fmt: skip
                self.refuse(arg, f"`Manager(..., {keyword}=...)` has no counterpart in Flask's "
                                 "CLI: convert by hand")
                return None
        if app is None:
            self.refuse(call, "`Manager()` without an app (`manager.app = ...` later, or "
                              "sub-managers): convert by hand")
        return app

    def _is_factory(self, name: str, body: list[cst.BaseStatement]) -> bool:
        """`Manager(create_app)` (a function) or `Manager(app)` (the app object)."""
        for statement in body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
                return True
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, (cst.Assign, cst.AnnAssign)):
                        targets = small.targets if isinstance(small, cst.Assign) else [small]
                        if any(_dotted(t.target) == name for t in targets):
                            return False
        # an imported name: the usual factory names, else an app object
        return bool(re.fullmatch(r"(create|make)_\w*app\w*|\w*factory\w*", name))

    def _leftovers(self, new: cst.Module) -> bool:
        """Refuse when the rewritten module still names the manager or Flask-Script."""
        names = {self.manager, *self.script_names, *self.migrate_command} - {None}
        left = next((n for n in _names(new) if n.value in names), None)
        if left is None:
            return False
        used = next(
            (n for n in _names(self.module) if n.value == left.value and self._unconverted(n)),
            None,
        )
        message = (
            f"`{left.value}` is used beyond what the conversion knows (`manager.add_option`, "
            "`manager.app`, a Flask-Script class used elsewhere, an import of the manager "
            "elsewhere): convert it by hand"
        )
        if used is not None:
            self.refuse(used, message)
        else:
            place = self.result.manager or Place(1, 1, "")
            self.result.refusals.append(Place(place.line, place.column, message))
        return True

    def _unconverted(self, node: cst.Name) -> bool:
        """A use of the manager the conversion does not rewrite (its own line and the
        decorators, `add_command` and `run` calls it converts are not)."""
        line = self.positions[node].start.line
        text = self.module.code.splitlines()[line - 1].strip()
        manager = re.escape(self.manager or "")
        return not re.match(
            rf"(@{manager}\.(command|option|shell)\b|{manager}\.(add_command|run)\(|"
            rf"{manager}\s*=)",
            text,
        )

    # --- statements ------------------------------------------------------------------

    def _statement(self, statement: cst.BaseStatement) -> list[cst.BaseStatement]:
        if isinstance(statement, cst.FunctionDef):
            return self._function(statement)
        if isinstance(statement, cst.If) and is_main_test(statement.test):
            return [self._main(statement)]
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return [statement]
        small = statement.body[0]
        if isinstance(small, cst.ImportFrom):
            return self._migrate_import(statement, small)
        if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and (
            len(small.targets) == 1 and _dotted(small.targets[0].target) == self.manager
        ):
            if self.factory:
                line = f"cli = FlaskGroup(create_app={self.code(_first_arg(small.value))})\n"
                self.uses_group = True
                return [cst.parse_statement(line).with_changes(leading_lines=statement.leading_lines)]
            return _dropped(statement)
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            if self._manager_attr(call.func, "add_command"):
                return self._add_command(statement, call)
        return [statement]

    def _migrate_import(
        self, statement: cst.SimpleStatementLine, node: cst.ImportFrom
    ) -> list[cst.BaseStatement]:
        if _dotted(node.module) not in MIGRATE_MODULES or isinstance(node.names, cst.ImportStar):
            return [statement]
        kept = [
            a for a in node.names
            if not (isinstance(a.name, cst.Name) and a.name.value == "MigrateCommand")
        ]  # fmt: skip
        if len(kept) == len(node.names):
            return [statement]
        if not kept:
            return _dropped(statement)
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return [statement.with_changes(body=[node.with_changes(names=kept)])]

    def _add_command(self, statement: cst.SimpleStatementLine, call: cst.Call) -> list[cst.BaseStatement]:
        args = [a for a in call.args if a.keyword is None and not a.star]
        if len(args) != 2 or len(args) != len(call.args):
            self.refuse(call, f"`{self.code(call)}`: convert by hand")
            return [statement]
        name = _string(args[0].value)
        command = args[1].value
        if name is None:
            self.refuse(call, f"`{self.code(call)}`: a command name that is not a string")
            return [statement]
        if isinstance(command, cst.Name) and command.value in self.migrate_command:
            self.result.commands.append(name)
            if name != "db":
                self.note(call, f"Flask-Migrate's commands were `{name} ...`; Flask-Migrate "
                                f"registers them as `db ...`: call `db upgrade` where "
                                f"`{name} upgrade` was called")
            return _dropped(statement)
        kind = self.script_names.get(_dotted(command.func) or "") if isinstance(command, cst.Call) else None
        if kind == "Server":
            assert isinstance(command, cst.Call)
            self.result.servers[name] = self._server_options(command)
            return _dropped(statement)
        if kind == "Shell":
            assert isinstance(command, cst.Call)
            return self._shell(statement, name, command)
        self.refuse(call, _unconvertible_command(name, self.code(command)))
        return [statement]

    def _server_options(self, call: cst.Call) -> tuple[str, ...]:
        options: list[str] = []
        for arg in call.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            value = _literal(self.module, arg.value)
            flag = SERVER_OPTIONS.get(keyword or "")
            if flag is None or value is _NOT_LITERAL or arg.star:
                self.note(arg, f"`Server({self.code(arg).rstrip(', ')})` is not carried over: "
                               "pass the matching option to `flask run` where the server starts")
            elif flag in ("--host", "--port"):
                options += [flag, str(value)]
            elif value is True:
                options.append(flag)
            elif value is False:
                options.append("--no-" + flag[2:] if flag != "--with-threads" else "--without-threads")
        return tuple(options)

    def _shell(self, statement: cst.SimpleStatementLine, name: str, call: cst.Call) -> list[cst.BaseStatement]:
        if name != "shell":
            self.refuse(call, f"a shell command named `{name}`: Flask's is `shell`; convert by hand")
            return [statement]
        make_context = None
        for arg in call.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "make_context":
                make_context = arg.value
            elif keyword in ("banner", "use_ipython", "use_bpython", "use_ptipython", "use_ptpython"):
                self.note(arg, f"`Shell({self.code(arg).rstrip(', ')})` has no counterpart in "
                               "`flask shell` and is dropped")
            else:
                self.refuse(arg, f"`Shell({self.code(arg)})`: convert by hand")
                return [statement]
        self.result.commands.append(name)
        if make_context is None:
            return _dropped(statement)
        if self.factory:
            self.refuse(call, "a shell context with an app factory: register it with "
                              "`app.shell_context_processor` inside the factory")
            return [statement]
        line = f"{self.target}.shell_context_processor({self.code(make_context)})\n"
        return [cst.parse_statement(line).with_changes(leading_lines=statement.leading_lines)]

    def _main(self, statement: cst.If) -> cst.If:
        body = statement.body
        if not isinstance(body, cst.IndentedBlock):
            return statement
        new: list[cst.BaseStatement] = []
        for inner in body.body:
            if (
                isinstance(inner, cst.SimpleStatementLine)
                and len(inner.body) == 1
                and isinstance(inner.body[0], cst.Expr)
                and isinstance(inner.body[0].value, cst.Call)
                and self._manager_attr(inner.body[0].value.func, "run")
            ):
                call = inner.body[0].value
                if call.args:
                    self.refuse(call, f"`{self.code(call)}`: convert by hand")
                    return statement
                self.uses_group = True
                line = "cli()\n" if self.factory else f"FlaskGroup(create_app=lambda: {self.target})()\n"
                new.append(cst.parse_statement(line).with_changes(leading_lines=inner.leading_lines))
            else:
                new.append(inner)
        return statement.with_changes(body=body.with_changes(body=new))

    # --- commands --------------------------------------------------------------------

    def _function(self, function: cst.FunctionDef) -> list[cst.BaseStatement]:
        ours = [d for d in function.decorators if self._is_manager_decorator(d.decorator)]
        if not ours:
            return [function]
        name = function.name.value
        others = [d for d in function.decorators if d not in ours]
        if others:
            self.refuse(others[0], f"`{name}` has decorators besides the Manager's: convert by hand")
            return [function]
        kinds = {self._decorator_kind(d.decorator) for d in ours}
        if kinds == {"shell"}:
            if self.factory:
                self.refuse(ours[0], "`@manager.shell` with an app factory: register the "
                                     "function with `app.shell_context_processor` in the factory")
                return [function]
            self.result.commands.append("shell")
            decorator = cst.Decorator(cst.parse_expression(f"{self.target}.shell_context_processor"))
            return [function.with_changes(decorators=[decorator])]
        if len(kinds) != 1:
            self.refuse(ours[0], f"`{name}` is both `@manager.command` and `@manager.option`: "
                                 "convert by hand")
            return [function]
        if kinds == {"command"}:
            clicks = self._from_signature(function)
        else:
            clicks = self._from_options(function, [d.decorator for d in ours])  # type: ignore[misc]
        if clicks is None:
            return [function]
        self.result.commands.append(name)
        group = "cli" if self.factory else f"{self.target}.cli"
        register = f"{group}.command({name!r})"
        plain = not self.called_elsewhere(name) and not self._called_here(name)
        returns = _value_returns(function)
        if returns and plain and self._can_exit(function):
            # only the command line saw the value: Flask-Script exited with it
            function = _exit_instead_of_return(function, set(returns))
            self.uses_sys = True
        elif returns:
            self.note(returns[0], f"`{name}` returns a value: Flask-Script made it the exit "
                                  "status, click ignores it; call `sys.exit(...)` where the "
                                  "status matters")
        if plain:
            decorators = [cst.Decorator(cst.parse_expression(d)) for d in (register, *clicks)]
            decorators[0] = decorators[0].with_changes(leading_lines=ours[0].leading_lines)
            return [function.with_changes(decorators=decorators)]
        # other code calls the function: it stays plain, and is registered after it
        plain = function.with_changes(decorators=[])
        registration = _nested_call(register, list(clicks), name)
        statement = cst.parse_module(registration).body[0]
        statement = statement.with_changes(
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()]
        )
        return [plain, statement]

    def _called_here(self, name: str) -> bool:
        """Whether the module names the function outside its own body (a def's own name
        is not counted; a local of that name in its body is not the function)."""
        own = next(
            (s for s in self.module.body if isinstance(s, cst.FunctionDef) and s.name.value == name),
            None,
        )
        inside = {id(n) for n in _names(own.body)} if own is not None else set()
        return any(n.value == name and id(n) not in inside for n in _names(self.module))

    def _can_exit(self, function: cst.FunctionDef) -> bool:
        """Whether each `return value` may become `sys.exit(value)`: none inside a `try`
        or a `with` (a handler or a context manager would see the SystemExit), and `sys`
        is the module's `import sys` or a free name."""
        if _returns_in_blocks(function):
            return False
        return self._imports_sys() or not _binds(self.module, "sys")

    def _imports_sys(self) -> bool:
        for statement in self.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import) and any(
                        _dotted(a.name) == "sys" and a.asname is None for a in small.names
                    ):
                        return True
        return False

    def _is_manager_decorator(self, node: cst.BaseExpression) -> bool:
        return self._decorator_kind(node) is not None

    def _decorator_kind(self, node: cst.BaseExpression) -> str | None:
        if self._manager_attr(node, "command", "shell"):
            return node.attr.value  # type: ignore[union-attr]
        if isinstance(node, cst.Call) and self._manager_attr(node.func, "option"):
            return "option"
        if isinstance(node, cst.Call) and self._manager_attr(node.func, "command", "shell"):
            return "call"  # `@manager.command()`: not Flask-Script's spelling
        return None

    def _from_signature(self, function: cst.FunctionDef) -> list[str] | None:
        """`@manager.command`: a parameter without default is a positional argument, one
        with a default an option `-x/--name` (a flag when the default is a bool)."""
        params = function.params
        name = function.name.value
        if params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) or params.star_kwarg or params.kwonly_params or params.posonly_params:
            self.refuse(function, f"`{name}` takes *args, **kwargs or keyword-only "
                                  "parameters: convert by hand")
            return None
        clicks = []
        shorts: set[str] = set()
        for param in params.params:
            arg = param.name.value
            if param.default is None:
                clicks.append(f"click.argument({arg!r})")
                continue
            value = _literal(self.module, param.default)
            short = f"-{arg[0]}"
            names = [short] if short not in shorts else []
            shorts.add(short)
            names.append(f"--{arg}")
            declared = ", ".join(repr(n) for n in names)
            if isinstance(value, bool):
                if value:
                    self.refuse(param, f"`{arg}={self.code(param.default)}`: Flask-Script's "
                                       "flag could not turn it off; convert by hand")
                    return None
                clicks.append(f"click.option({declared}, is_flag=True)")
            else:
                clicks.append(f"click.option({declared}, default={self.code(param.default)})")
        self.uses_click = self.uses_click or bool(clicks)
        return clicks

    def _from_options(self, function: cst.FunctionDef, calls: list[cst.Call]) -> list[str] | None:
        clicks = []
        for call in calls:
            text = self._option(function, call)
            if text is None:
                return None
            clicks.append(text)
        self.uses_click = True
        return clicks

    def _option(self, function: cst.FunctionDef, call: cst.Call) -> str | None:
        flags: list[str] = []
        keywords: dict[str, cst.BaseExpression] = {}
        for arg in call.args:
            if arg.star:
                self.refuse(arg, f"`{self.code(call)}`: convert by hand")
                return None
            if arg.keyword is None:
                value = _string(arg.value)
                if value is None:
                    self.refuse(arg, f"`{self.code(call)}`: an option name that is not a string")
                    return None
                flags.append(value)
            else:
                keywords[arg.keyword.value] = arg.value
        unknown = [k for k in keywords if k not in OPTION_KEYWORDS]
        if unknown or not flags:
            what = f"`{unknown[0]}=`" if unknown else "no name"
            self.refuse(call, f"`{self.code(call)}`: {what} has no sound click counterpart; "
                              "convert this command by hand")
            return None
        positional = not flags[0].startswith("-")
        if positional and (len(flags) != 1 or set(keywords) - {"type", "default", "metavar"}):
            self.refuse(call, f"`{self.code(call)}`: a positional argument with options click's "
                              "`argument` lacks (help=...): convert by hand")
            return None
        parts = [repr(f) for f in flags]
        dest = _string(keywords["dest"]) if "dest" in keywords else None
        if "dest" in keywords and dest is None:
            self.refuse(call, f"`{self.code(call)}`: a dest that is not a string")
            return None
        if dest is not None and dest != _click_name(flags):
            parts.append(repr(dest))
        action = _string(keywords["action"]) if "action" in keywords else None
        if "action" in keywords:
            if action == "store_true":
                parts.append("is_flag=True")
            elif action == "store_false":
                parts.append("is_flag=True")
                parts.append("flag_value=False")
                if "default" not in keywords:
                    parts.append("default=True")
            else:
                self.refuse(call, f"`{self.code(call)}`: `action={self.code(keywords['action'])}` "
                                  "has no sound click counterpart; convert by hand")
                return None
        for keyword, value in keywords.items():
            mapped = OPTION_KEYWORDS[keyword]
            if mapped is not None:
                parts.append(f"{mapped}={self.code(value)}")
        if "type" in keywords:
            kind = _dotted(keywords["type"])
            if kind not in PLAIN_TYPES:
                self.refuse(call, f"`type={self.code(keywords['type'])}`: click calls a type "
                                  "differently from argparse; convert by hand")
                return None
            parts.append(f"type={kind}")
        if "choices" in keywords:
            if "type" in keywords:
                self.refuse(call, "`choices=` with `type=`: convert by hand")
                return None
            parts.append(f"type=click.Choice({self.code(keywords['choices'])})")
        if positional:
            if "default" in keywords:
                parts.append("required=False")
            return f"click.argument({', '.join(parts)})"
        return f"click.option({', '.join(parts)})"


def _click_name(flags: list[str]) -> str:
    """The parameter name click (and argparse) derive from option strings."""
    longs = [f for f in flags if f.startswith("--")]
    chosen = longs[0] if longs else flags[0]
    return chosen.lstrip("-").replace("-", "_")


def _nested_call(register: str, clicks: list[str], name: str) -> str:
    """`register(click1(click2(name)))`, one decorator a line when long."""
    inner = name
    for click in reversed(clicks):
        inner = f"{click}({inner})"
    one_line = f"{register}({inner})\n"
    if len(one_line) <= 89:
        return one_line
    lines = [f"{register}("]
    for depth, click in enumerate(clicks, 1):
        lines.append("    " * depth + f"{click}(")
    closing = ")" * (len(clicks) + 1)
    text = "\n".join(lines) + f"{name}{closing}\n"
    return text


def _is_plain_import(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        return not small.relative and _dotted(small.module) != "__future__"
    return isinstance(small, cst.Import)


def _import_name(statement: cst.BaseStatement) -> str | None:
    """The module of `import x` (one name, no alias), else None."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Import) and len(small.names) == 1 and small.names[0].asname is None:
            return _dotted(small.names[0].name)
    return None


def _has_blank_above(statement: cst.BaseStatement) -> bool:
    return any(line.comment is None for line in getattr(statement, "leading_lines", ()))


def _dropped(statement: cst.BaseStatement) -> list[cst.BaseStatement]:
    return []


def _first_arg(call: cst.Call) -> cst.BaseExpression:
    return next(a.value for a in call.args if a.keyword is None or a.keyword.value == "app")


def _all_imports(module: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    found: list[cst.Import | cst.ImportFrom] = []

    class Visitor(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            found.append(node)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            found.append(node)

    module.visit(Visitor())
    return found


def _statement_of(module: cst.Module, node: cst.CSTNode) -> cst.CSTNode | None:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and node in statement.body:
            return statement
    return None


def _names(node: cst.CSTNode) -> list[cst.Name]:
    """Every Name read or bound, but a def's or a keyword argument's own name."""
    found: list[cst.Name] = []

    class Visitor(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            for part in (*node.decorators, node.params, *([node.returns] if node.returns else [])):
                part.visit(self)
            node.body.visit(self)
            return False  # type: ignore[return-value]

        def visit_Arg(self, node: cst.Arg) -> bool:
            node.value.visit(self)
            return False

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

        def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

    node.visit(Visitor())
    return found


def _binds(module: cst.Module, name: str) -> bool:
    return any(n.value == name for n in _names(module)) or any(
        isinstance(s, (cst.FunctionDef, cst.ClassDef)) and s.name.value == name for s in module.body
    )


def _own_returns(function: cst.FunctionDef) -> list[tuple[cst.Return, bool]]:
    """The function's own `return`s (not a nested function's, lambda's or class's), each
    with whether it sits inside a try or a with."""
    found: list[tuple[cst.Return, bool]] = []

    class Visitor(cst.CSTVisitor):
        depth = 0

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Try(self, node: cst.Try) -> None:
            self.depth += 1

        def leave_Try(self, node: cst.Try) -> None:
            self.depth -= 1

        def visit_TryStar(self, node: cst.TryStar) -> None:
            self.depth += 1

        def leave_TryStar(self, node: cst.TryStar) -> None:
            self.depth -= 1

        def visit_With(self, node: cst.With) -> None:
            self.depth += 1

        def leave_With(self, node: cst.With) -> None:
            self.depth -= 1

        def visit_Return(self, node: cst.Return) -> None:
            found.append((node, self.depth > 0))

    function.visit(Visitor())
    return found


def _value_returns(function: cst.FunctionDef) -> list[cst.Return]:
    return [
        r for r, _ in _own_returns(function)
        if r.value is not None and not (isinstance(r.value, cst.Name) and r.value.value == "None")
    ]  # fmt: skip


def _returns_in_blocks(function: cst.FunctionDef) -> bool:
    """Whether a `return` of the function (not of a nested one) is inside a try or a with."""
    return any(in_block for _, in_block in _own_returns(function))


def _exit_instead_of_return(function: cst.FunctionDef, returns: set[cst.Return]) -> cst.FunctionDef:
    """`return value` -> `sys.exit(value)`, as Flask-Script's `sys.exit(result or 0)` did
    (`or 0` kept unless the value is an int, a bool or None literal)."""

    class Transformer(cst.CSTTransformer):
        def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.BaseSmallStatement:
            if original not in returns or updated.value is None:
                return updated
            value = updated.value
            code = cst.Module([]).code_for_node(value)
            literal = isinstance(value, cst.Integer) or (
                isinstance(value, cst.Name) and value.value in ("True", "False")
            ) or (
                isinstance(value, cst.UnaryOperation) and isinstance(value.expression, cst.Integer)
            )
            if not literal:
                atom = isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript))
                code = f"{code} or 0" if atom else f"({code}) or 0"
            return cst.Expr(cst.parse_expression(f"sys.exit({code})"))

    return function.visit(Transformer())  # type: ignore[return-value]


def _unconvertible(name: str) -> str:
    if name in ("Command", "Option", "Group"):
        kind = "an option of a custom command class" if name == "Option" else "a custom command class"
        what = f"Flask-Script's `{name}` ({kind})"
        todo = "rewrite it as a click command (`@app.cli.command()` with `click.option`)"
    elif name.startswith("prompt"):
        what = f"Flask-Script's `{name}`"
        todo = "use click's `click.prompt`/`click.confirm` (or an option with `prompt=True`)"
    else:
        what = f"`{name}` from Flask-Script"
        todo = "convert it by hand"
    return f"{what} has no sound automatic conversion to Flask's CLI: {todo}"


def _unconvertible_command(name: str, command: str) -> str:
    return (
        f"`{name}` runs `{command}`, a Flask-Script command object the conversion does not "
        "know: rewrite it as a click command (`@app.cli.command()`) by hand"
    )
