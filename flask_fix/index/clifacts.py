"""Whether running a module as a script starts a `FlaskGroup` that has Flask's own `run`
command: then `python manage.py run` is Flask's development server, as `flask run` is
(FLK601 reads deployment files with it; FLK803 writes such scripts from Flask-Script's).

Read from the module's top level and its `__main__` blocks: a group is
`name = FlaskGroup(...)` or a function decorated `@click.group(cls=FlaskGroup, ...)`,
started by `FlaskGroup(...)()`, `name()` or `name.main(...)`. It has Flask's `run` unless
`add_default_commands=False` (or `**kwargs`, unknown) is passed, or the group registers a
command of its own named `run` (`@name.command('run')`, `@name.command()` on `def run`,
`name.add_command(f, 'run')`), which click finds first.
"""

from __future__ import annotations

import ast
from typing import Iterable

from .contextfacts import is_main_guard
from .facts import ImportedName

FLASK_GROUP = "flask.cli.FlaskGroup"
_CLICK_GROUPS = frozenset({"click.group", "click.decorators.group"})
#: suffixes click 8.2 strips from a function's name to name its command
_SUFFIXES = ("-command", "-cmd", "-group", "-grp")


def runs_flask_run(tree: ast.Module, imports: Iterable[ImportedName]) -> bool:
    names = {i.local: f"{i.module}.{i.name}" if i.name else i.module for i in imports}

    def qualified(node: ast.expr) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in names:
            return None
        return ".".join([names[node.id], *reversed(parts)])

    statements = []
    for statement in tree.body:
        if isinstance(statement, ast.If) and is_main_guard(statement.test):
            statements.extend(statement.body)
        else:
            statements.append(statement)
    groups: dict[str, bool] = {}  # name -> has the default commands (run among them)
    started: list[str | bool] = []  # group names, or a started FlaskGroup(...)'s defaults
    own_run: set[str] = set()  # groups with a `run` command of their own
    for statement in statements:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            if qualified(statement.value.func) == FLASK_GROUP:
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        groups[target.id] = _has_defaults(statement.value)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in statement.decorator_list:
                if not isinstance(decorator, ast.Call):
                    continue
                if qualified(decorator.func) in _CLICK_GROUPS:
                    cls = next((k.value for k in decorator.keywords if k.arg == "cls"), None)
                    if cls is not None and qualified(cls) == FLASK_GROUP:
                        groups[statement.name] = _has_defaults(decorator, positional=False)
                func = decorator.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("command", "group")
                    and isinstance(func.value, ast.Name)
                    and _command_name(decorator, statement.name) in ("run", None)
                ):
                    own_run.add(func.value.id)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            func = call.func
            if isinstance(func, ast.Call) and qualified(func.func) == FLASK_GROUP:
                started.append(_has_defaults(func))
            elif isinstance(func, ast.Name):
                started.append(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.attr == "main":
                    started.append(func.value.id)
                elif func.attr == "add_command" and _adds_run(call):
                    own_run.add(func.value.id)
    return any(
        one if isinstance(one, bool) else groups.get(one, False) and one not in own_run
        for one in started
    )


def _has_defaults(call: ast.Call, positional: bool = True) -> bool:
    """Whether FlaskGroup(...) (or click.group(cls=FlaskGroup, ...), `positional` False:
    its first argument is the name) keeps Flask's commands. FlaskGroup's first parameter
    is add_default_commands: `FlaskGroup(app)` (CTFd's manage.py) keeps them."""
    if positional and call.args:
        first = call.args[0]
        if isinstance(first, ast.Starred):
            return False
        if isinstance(first, ast.Constant) and not first.value:
            return False
    for keyword in call.keywords:
        if keyword.arg is None:
            return False  # **kwargs: unknown
        if keyword.arg == "add_default_commands":
            value = keyword.value
            return isinstance(value, ast.Constant) and value.value is True
    return True


def _command_name(decorator: ast.Call, function: str) -> str | None:
    """The name `@group.command(...)` gives the function's command; None: not literal."""
    given = decorator.args[0] if decorator.args else None
    for keyword in decorator.keywords:
        if keyword.arg == "name":
            given = keyword.value
    if given is None:
        name = function.lower().replace("_", "-")
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and name != suffix[1:]:
                return name[: -len(suffix)]
        return name
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return given.value
    return None


def _adds_run(call: ast.Call) -> bool:
    """`group.add_command(cmd, 'run')`, or `group.add_command(run)` (a command named by
    its function, as a rule): may register a `run` of the group's own."""
    name = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "name":
            name = keyword.value
    if name is not None:
        return not (isinstance(name, ast.Constant) and name.value != "run")
    return bool(call.args) and isinstance(call.args[0], ast.Name) and call.args[0].id == "run"
