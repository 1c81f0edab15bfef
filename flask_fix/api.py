"""The Python API for bots and editors: fix a string without touching the disk."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .codemods import python_rules, select_rules
from .engine import fix_source
from .model import Finding
from . import project
from .project import ProjectIndex


@dataclass(frozen=True)
class CodeResult:
    source: str
    findings: list[Finding]
    remaining: list[Finding]


def fix_code(
    source: str,
    *,
    path: str = "<string>",
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    unsafe: bool = False,
    index: ProjectIndex | None = None,
    flask_version: tuple[int, ...] | None = None,
) -> CodeResult:
    """Apply the selected rules to `source` and return the new code and the findings.

    Without `index`, the project is this one module (its own routes and views).
    `flask_version` is the lowest Flask the project allows (see `flask_fix.pins`): rewrites
    needing a newer one are only reported; None keeps the index's (unknown: current).
    Raises `engine.SourceFailure` when the code does not parse.
    """
    if index is None:
        index = project.index_from_sources({path: source})
    if flask_version is not None:
        index = dataclasses.replace(index, flask_version=tuple(flask_version))
    result = fix_source(
        source.encode("utf-8"),
        path,
        python_rules(select_rules(tuple(select), tuple(ignore))),
        index,
        unsafe_fixes=unsafe,
        want_edits=True,
    )
    return CodeResult(result.new_source.decode("utf-8"), result.findings, result.remaining)
