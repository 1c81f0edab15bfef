"""Module-level functions that could be a catch-all error handler hiding errors (FLK602).

FLK602 checks a handler registered for every exception (`register_error_handler(Exception,
handler)`) with LibCST in the file that registers it; when the handler is a function of
another module of the project, that file is not there to read. The scan records, per
module, the module-level functions taking one positional parameter (the error) whose
body neither raises nor makes a call that may log or report: what FLK602's own check
(codemods/hidden_exceptions.py, `_Loud`) would find quiet, judged on the stdlib `ast`
with the module's imports. The linker turns them into qualified names, re-exports
included (ProjectIndex.quiet_functions).

The walk is small: one per such function, stopped at its first loud statement.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Mapping

# method names that log, report or signal the error (`app.logger.exception`,
# `logging.error`, `sentry_sdk.capture_exception`, `rollbar.report_exc_info`,
# `bugsnag.notify`, `got_request_exception.send`, `app.log_exception`...)
REPORTING_METHODS = frozenset(
    {
        "exception", "error", "critical", "fatal", "warning", "warn", "info", "debug",
        "log", "log_exception", "handle_exception", "capture_exception",
        "captureException", "capture_message", "captureMessage", "capture_event",
        "report_exc_info", "report_message", "notify", "notify_exception", "send",
        "emit", "print_exc", "print_exception", "write", "handle_error",
    }
)  # fmt: skip
# libraries whose functions surely neither log nor report (building the response)
QUIET_MODULES = ("flask", "werkzeug", "json", "http", "markupsafe", "jinja2")
LOUD_BUILTINS = frozenset({"builtins.print", "builtins.exec", "builtins.eval"})
_BUILTINS = frozenset(dir(builtins))


def may_be_handler(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """One positional parameter, the error, and nothing else required."""
    arguments = node.args
    positional = len(arguments.posonlyargs) + len(arguments.args)
    required_keywords = sum(d is None for d in arguments.kw_defaults)
    return positional == 1 and not required_keywords


def is_quiet(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    imported: Mapping[str, str],
    module_names: Mapping[str, object],
    star: bool,
) -> bool:
    """Whether the body neither raises nor may log or report. `imported`: module-level
    names bound by imports -> what they import; `module_names`: every module-level name;
    `star`: the module has a `from m import *` (an unbound name may be anything)."""
    local: set[str] = {a.arg for a in [*node.args.posonlyargs, *node.args.args]}
    calls: list[ast.Call] = []
    for child in ast.walk(node):
        kind = child.__class__
        if kind is ast.Raise:
            return False
        if kind is ast.Call:
            calls.append(child)  # type: ignore[arg-type]
        elif kind is ast.Name and child.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
            local.add(child.id)  # type: ignore[attr-defined]
        elif kind is ast.arg:
            local.add(child.arg)  # type: ignore[attr-defined]
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) and child is not node:
            local.add(child.name)  # type: ignore[attr-defined]
    return all(_quiet_call(call.func, local, imported, module_names, star) for call in calls)


def _quiet_call(
    func: ast.expr,
    local: set[str],
    imported: Mapping[str, str],
    module_names: Mapping[str, object],
    star: bool,
) -> bool:
    if isinstance(func, ast.Attribute) and func.attr in REPORTING_METHODS:
        return False
    base = func
    while isinstance(base, ast.Attribute):
        base = base.value
    if not isinstance(base, ast.Name):
        return True  # a call of a call's result, a method of an expression's value
    root = base.id
    if root in local:
        # a local function or parameter: unknown; a method of a local value: its name
        return not isinstance(func, ast.Name)
    target = imported.get(root)
    if target is not None:
        return target.partition(".")[0] in QUIET_MODULES
    if root in module_names:
        return not isinstance(func, ast.Name)  # a project function: unknown
    if star or root not in _BUILTINS:
        return False
    return not (isinstance(func, ast.Name) and f"builtins.{root}" in LOUD_BUILTINS)
