"""Renderers: what a run prints, as text for people or JSON for bots."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import FileError, FileResult, Finding


@dataclass
class Tally:
    """Counts for the summary line and the exit code."""

    files_changed: int = 0
    findings_left: int = 0
    errors: Counter = field(default_factory=Counter)
    # why the run stopped before finishing every file (a worker process died); None: it did not
    stopped: str | None = None
    unfinished: int = 0

    def add(self, result: FileResult, writing: bool) -> None:
        if result.unfinished is not None:
            self.stopped = result.unfinished
            self.unfinished += 1
        if result.error is not None:
            self.errors[result.error.kind.value] += 1
            return
        if result.changed:
            self.files_changed += 1
        self.findings_left += len(result.remaining if writing else result.findings)

    def add_error(self, error: FileError) -> None:
        self.errors[error.kind.value] += 1

    def exit_code(self, diff_only: bool = False) -> int:
        """0 clean · 1 changes made or needed, or findings · 2 an error · 3 both; 2 when
        the run stopped before finishing every file (what it did is incomplete).

        `diff_only` (`--diff`): only a change counts for 1, as with ruff's `--diff`; the
        findings no fix covers are still listed, but the patch is what the run is for."""
        if self.stopped is not None:
            return 2
        changes = self.files_changed or (self.findings_left and not diff_only)
        return (1 if changes else 0) + (2 if self.errors else 0)

    def summary(self, writing: bool) -> str:
        verb = "fixed" if writing else "would be changed"
        parts = [
            f"{_plural(self.files_changed, 'file')} {verb}",
            f"{_plural(self.findings_left, 'finding')} {'left' if writing else 'found'}",
        ]
        for kind, count in sorted(self.errors.items()):
            parts.append(f"{_plural(count, 'file')} skipped: {kind.replace('-', ' ')}")
        return ", ".join(parts)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def finding_line(finding: Finding, unsafe_fixes: bool) -> str:
    if finding.fix_level.applies(unsafe_fixes) and finding.has_fix:
        marker = f" [fix: {finding.fix_level.value}]"
    elif finding.has_fix:
        marker = " [fix: unsafe, use --unsafe-fixes]"
    else:
        marker = ""
    return (
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.code} {finding.message}{marker}"
    )


def text_lines(result: FileResult, writing: bool, unsafe_fixes: bool) -> list[str]:
    if result.error is not None:
        return [result.error.describe()]
    lines = []
    if writing and result.written:
        codes = Counter(f.code for f in result.fixed)
        what = ", ".join(f"{c} x{n}" if n > 1 else c for c, n in sorted(codes.items()))
        lines.append(f"fixed {result.path} ({what})")
    for finding in result.remaining if writing else result.findings:
        lines.append(finding_line(finding, unsafe_fixes))
    return lines


def finding_json(finding: Finding) -> dict:
    fix = None
    if finding.edits is not None:
        fix = {
            "edits": [
                {
                    "line": e.line,
                    "column": e.column,
                    "end_line": e.end_line,
                    "end_column": e.end_column,
                    "content": e.content,
                }
                for e in finding.edits
            ]
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "fix_level": finding.fix_level.value,
        "fix": fix,
    }


def error_json(error: FileError) -> dict:
    return {
        "path": error.path,
        "kind": error.kind.value,
        "message": error.message,
        "line": error.line,
    }


def json_document(
    version: str, files_checked: int, findings: list[Finding], errors: list[FileError]
) -> dict:
    """The JSON contract bots rely on: exactly these keys (see the README)."""
    return {
        "version": version,
        "files_checked": files_checked,
        "findings": [finding_json(f) for f in findings],
        "errors": [error_json(e) for e in errors],
    }


@dataclass(frozen=True)
class RuleCount:
    """`--statistics`: one rule's findings, and how many of them it can fix."""

    code: str
    name: str
    count: int
    fixable: int

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name, "count": self.count, "fixable": self.fixable}


def rule_statistics(findings: list[Finding], unsafe_fixes: bool) -> list[RuleCount]:
    """Findings per rule, most frequent first (then by code). A finding is fixable when
    flask-fix would apply its fix with these settings (unsafe ones need --unsafe-fixes)."""
    counts: Counter = Counter()
    fixable: Counter = Counter()
    names: dict[str, str] = {}
    for finding in findings:
        counts[finding.code] += 1
        names[finding.code] = finding.name
        if finding.has_fix and finding.fix_level.applies(unsafe_fixes):
            fixable[finding.code] += 1
    return [
        RuleCount(code, names[code], count, fixable[code])
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics_lines(counts: list[RuleCount]) -> list[str]:
    """ruff's `--statistics` layout: count, code, name, then how many can be fixed."""
    if not counts:
        return []
    width = max(len(str(c.count)) for c in counts)
    name_width = max(len(c.name) for c in counts)
    return [
        f"{c.count:>{width}}\t{c.code}\t{c.name:<{name_width}}\t{c.fixable} fixable"
        for c in counts
    ]
