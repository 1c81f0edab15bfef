"""Outputs for CI and pull-request bots: SARIF 2.1.0, GitHub workflow commands, and
reviewdog's rdjson. (report.py keeps the text and JSON renderers, the summary and the
exit code; these three only translate findings and errors into other tools' formats.)

Positions: ours are 1-based lines and 1-based character (code point) columns, the end
exclusive. SARIF takes them as they are (the run declares `columnKind:
unicodeCodePoints`); GitHub annotations too; rdjson counts columns in UTF-8 bytes, so
its columns are converted with the text of the line they refer to.

Severity: every finding is a `warning` (rdjson `WARNING`), whether flask-fix can fix it
or only reports it: how serious a mistake is does not depend on whether it can be
rewritten mechanically, and any finding makes `--check` fail. The fix level travels
beside it (SARIF `properties.fix_level`, and the edits themselves). A file flask-fix
could not process (syntax, decode, read or internal error) is an `error`.
"""

from __future__ import annotations

import json
import os
import pathlib
import urllib.parse
from collections.abc import Callable, Sequence

from ..model import Edit, FileError, Finding, FixLevel
from .report import json_document
from ..meta.ruleinfo import RuleInfo, all_rules
from ..sourceio import SourceError, decode_source, read_source

FORMATS = ("text", "json", "sarif", "github", "rdjson")
#: the formats whose findings carry their edits (the engine computes them on request)
FORMATS_WITH_EDITS = ("json", "sarif", "rdjson")

TOOL_NAME = "flask-fix"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

#: path -> the text's lines (split at "\n", as the findings count them), or None when
#: the file cannot be read; rdjson needs them to turn character columns into bytes
LineSource = Callable[[str], "Sequence[str] | None"]


def render(
    output_format: str,
    version: str,
    files_checked: int,
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    lines_of: LineSource,
) -> str:
    """The whole output of a run in one of the document formats (all but text), each
    line ended by a newline; empty for `github` when there is nothing to say."""
    if output_format == "json":
        document = json_document(version, files_checked, list(findings), list(errors))
        return json.dumps(document, indent=2) + "\n"
    if output_format == "sarif":
        return json.dumps(sarif_document(version, findings, errors), indent=2) + "\n"
    if output_format == "rdjson":
        return json.dumps(rdjson_document(findings, errors, lines_of), indent=2) + "\n"
    if output_format == "github":
        return "".join(line + "\n" for line in github_lines(findings, errors))
    raise ValueError(f"unknown output format: {output_format}")


# -- SARIF ----------------------------------------------------------------------------


def sarif_document(
    version: str,
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    rules: Sequence[RuleInfo] | None = None,
) -> dict:
    """A SARIF 2.1.0 log with one run: every rule's metadata, the findings as results
    (with their edits as `fixes`), the files that could not be processed as
    tool execution notifications."""
    rules = all_rules() if rules is None else tuple(rules)
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": version,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not errors,
                        "toolExecutionNotifications": [_sarif_notification(e) for e in errors],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(f, rule_index.get(f.code)) for f in findings],
            }
        ],
    }


def _sarif_rule(rule: RuleInfo) -> dict:
    sections = rule.doc_sections()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary.replace("`", ""), "markdown": rule.summary},
        "fullDescription": {"text": sections.get("What it does", rule.summary)},
        "help": {"text": rule.documentation(), "markdown": _help_markdown(sections)},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"fix_level": rule.fix_level.value},
    }


def _help_markdown(sections: dict[str, str]) -> str:
    parts = []
    for heading, body in sections.items():
        if heading in ("Example", "Use instead"):
            body = f"```python\n{body}\n```"
        parts.append(f"**{heading}**\n\n{body}")
    return "\n\n".join(parts)


def _sarif_result(finding: Finding, rule_index: int | None) -> dict:
    uri = _uri(finding.path)
    result: dict = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update(
        {
            "level": "warning",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": _region(
                            finding.line, finding.column, finding.end_line, finding.end_column
                        ),
                    }
                }
            ],
        }
    )
    if finding.edits:
        result["fixes"] = [
            {
                "description": {"text": _fix_description(finding.fix_level)},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": _region(
                                    e.line, e.column, e.end_line, e.end_column
                                ),
                                "insertedContent": {"text": e.content},
                            }
                            for e in finding.edits
                        ],
                    }
                ],
            }
        ]
    result["properties"] = {"fix_level": finding.fix_level.value}
    return result


def _fix_description(level: FixLevel) -> str:
    if level is FixLevel.UNSAFE:
        return "unsafe fix: flask-fix applies it only with --unsafe-fixes"
    return f"{level.value} fix: flask-fix applies it by default"


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _sarif_notification(error: FileError) -> dict:
    location: dict = {"artifactLocation": {"uri": _uri(error.path)}}
    if error.line:
        location["region"] = {"startLine": error.line}
    return {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": error.kind.value},
        "locations": [{"physicalLocation": location}],
    }


def _uri(path: str) -> str:
    """A relative path as a relative URI reference (`/`-separated, percent-encoded);
    an absolute one as a file: URI."""
    if os.path.isabs(path):
        return pathlib.Path(path).as_uri()
    return urllib.parse.quote(path.replace(os.sep, "/"))


# -- GitHub workflow commands -----------------------------------------------------------


def github_lines(findings: Sequence[Finding], errors: Sequence[FileError]) -> list[str]:
    """One `::warning` workflow command per finding and one `::error` per file that
    could not be processed: GitHub Actions shows them as annotations on the lines."""
    lines = []
    for f in findings:
        properties: list[tuple[str, object]] = [("file", f.path), ("line", f.line)]
        if f.line == f.end_line:
            # GitHub takes columns only for an annotation within one line
            properties += [("col", f.column), ("endLine", f.end_line), ("endColumn", f.end_column)]
        else:
            properties.append(("endLine", f.end_line))
        properties.append(("title", f.code))
        lines.append(_workflow_command("warning", properties, f.message))
    for e in errors:
        properties = [("file", e.path)]
        if e.line:
            properties.append(("line", e.line))
        properties.append(("title", e.kind.value))
        lines.append(_workflow_command("error", properties, e.message))
    return lines


def _workflow_command(command: str, properties: list[tuple[str, object]], message: str) -> str:
    joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
    return f"::{command} {joined}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    # as @actions/core escapes a command's message; `%` first
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# -- reviewdog rdjson --------------------------------------------------------------------


def rdjson_document(
    findings: Sequence[Finding], errors: Sequence[FileError], lines_of: LineSource
) -> dict:
    """reviewdog's Diagnostic Result (`reviewdog -f=rdjson`): each finding with its
    edits as suggestions, columns in UTF-8 bytes; files that could not be processed as
    ERROR diagnostics."""
    diagnostics = []
    read: dict[str, Sequence[str] | None] = {}
    for f in findings:
        if f.path not in read:
            read[f.path] = lines_of(f.path)
        lines = read[f.path]
        diagnostic: dict = {
            "message": f.message,
            "location": {
                "path": f.path,
                "range": _rd_range(lines, f.line, f.column, f.end_line, f.end_column),
            },
            "severity": "WARNING",
            "code": {"value": f.code},
        }
        if f.edits:
            diagnostic["suggestions"] = [
                {
                    "range": _rd_range(lines, e.line, e.column, e.end_line, e.end_column),
                    "text": e.content,
                }
                for e in _own_lines_first(f, f.edits)
            ]
        diagnostics.append(diagnostic)
    for e in errors:
        location: dict = {"path": e.path}
        if e.line:
            location["range"] = {"start": {"line": e.line}}
        diagnostics.append(
            {
                "message": f"{e.kind.value}: {e.message}",
                "location": location,
                "severity": "ERROR",
                "code": {"value": e.kind.value},
            }
        )
    return {"source": {"name": TOOL_NAME}, "severity": "WARNING", "diagnostics": diagnostics}


def _own_lines_first(finding: Finding, edits: Sequence[Edit]) -> list[Edit]:
    """The edits touching the finding's own lines first, then the others (imports), each
    group in file order: reviewdog's github-pr-review anchors its comment on the first
    suggestion's lines and shows the others as text."""

    def elsewhere(edit: Edit) -> bool:
        # an edit ending at column 1 ends with the line before (its newline included)
        ends_before = edit.end_column == 1 and edit.end_line > edit.line
        last_line = edit.end_line - 1 if ends_before else edit.end_line
        return last_line < finding.line or edit.line > finding.end_line

    return sorted(edits, key=elsewhere)


def _rd_range(
    lines: Sequence[str] | None, line: int, column: int, end_line: int, end_column: int
) -> dict:
    return {
        "start": {"line": line, "column": byte_column(lines, line, column)},
        "end": {"line": end_line, "column": byte_column(lines, end_line, end_column)},
    }


def byte_column(lines: Sequence[str] | None, line: int, column: int) -> int:
    """A 1-based character column of `line` as a 1-based UTF-8 byte column. Past the
    last line, or without the text, it stays as it is (exact for ASCII)."""
    if lines is None or not 1 <= line <= len(lines):
        return column
    return len(lines[line - 1][: column - 1].encode("utf-8", "surrogatepass")) + 1


def source_lines(data: bytes) -> list[str] | None:
    """The lines of source bytes as findings count them (split at "\n"), or None."""
    try:
        text, _ = decode_source(data)
    except SourceError:
        return None
    return text.split("\n")


def file_lines(path: str) -> list[str] | None:
    """The lines of a file as it is now on disk, or None when it cannot be read."""
    try:
        return source_lines(read_source(path))
    except SourceError:
        return None
