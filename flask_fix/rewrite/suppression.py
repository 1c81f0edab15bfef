"""Suppression comments: findings a user asked flask-fix to leave alone.

- `# noqa` (every code), `# noqa: FLK101` or `# noqa: E501, FLK101` (codes separated by
  commas or spaces; other tools' codes are ignored; a prefix such as `FLK1` counts for
  every code it starts);
- `# flask-fix: ignore[FLK101]`, `# flask-fix: ignore[FLK101, FLK102]`, or a bare
  `# flask-fix: ignore` (every code);

on the line a finding starts on (the line the output names) or, for a finding spanning
several lines, on its last line (where a comment after a closing bracket sits). A
suppressed finding is neither reported nor fixed.

- `# flask-fix: skip-file` in the comment block at the top of a file (before its first
  statement: shebang, coding cookie, license header) skips the whole file.

Only real comments count: they are taken from the parsed module (LibCST `Comment`
nodes and their positions), so `"# noqa"` inside a string means nothing. All of this
costs nothing for a file whose text mentions neither `noqa` nor `flask-fix`. Project
transforms, which never parse most of the files they name, read comments with the
tokenizer instead (`comment_suppressions`).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # LibCST loads only with the rules: skips_file serves runs without them
    import libcst as cst
    from libcst.metadata import CodeRange

    from .base import Report

#: a quick look at the bytes: could the file hold any suppression comment at all?
_HINT = re.compile(rb"noqa|flask-fix", re.IGNORECASE)
_SKIP_FILE = re.compile(rb"#.*?\bflask-fix\s*:\s*skip-file\b")
_CODES = r"[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*"
_NOQA = re.compile(rf"#\s*noqa\b(?::\s*(?P<codes>{_CODES}))?", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*flask-fix\s*:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?")
_SPLIT = re.compile(r"[\s,]+")

#: every code is suppressed on the line
ALL = None


def may_suppress(source: bytes) -> bool:
    return _HINT.search(source) is not None


def skips_file(source: bytes) -> bool:
    """Whether `# flask-fix: skip-file` occurs in the leading comment block."""
    if b"skip-file" not in source:
        return False
    for line in source.removeprefix(b"\xef\xbb\xbf").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith(b"#"):
            return False
        if _SKIP_FILE.match(stripped):
            return True
    return False


def comment_codes(comment: str) -> frozenset[str] | None:
    """The codes a comment suppresses: `ALL` (None) for every code, else a set of
    upper-case codes or prefixes (empty: the comment suppresses nothing)."""
    codes: set[str] = set()
    for match in _NOQA.finditer(comment):
        if match["codes"] is None:
            return ALL
        codes.update(_SPLIT.split(match["codes"].upper()))
    for match in _IGNORE.finditer(comment):
        if match["codes"] is None:
            return ALL
        codes.update(c for c in _SPLIT.split(match["codes"].upper()) if c)
    return frozenset(codes)


def suppressions(positions: Mapping[cst.CSTNode, CodeRange]) -> dict[int, frozenset[str] | None]:
    """Line number → the codes suppressed on it, from the module's comments."""
    import libcst as cst

    lines: dict[int, frozenset[str] | None] = {}
    for node, where in positions.items():
        if isinstance(node, cst.Comment) and _HINT.search(node.value.encode("utf-8")):
            codes = comment_codes(node.value)
            if codes is ALL or codes:
                lines[where.start.line] = codes
    return lines


def comment_suppressions(source: bytes) -> dict[int, frozenset[str] | None]:
    """Line number → the codes suppressed on it, from the comments the tokenizer finds
    (no parse needed); {} for a file that cannot be tokenized."""
    lines: dict[int, frozenset[str] | None] = {}
    if not may_suppress(source):
        return lines
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.type == tokenize.COMMENT and _HINT.search(token.string.encode("utf-8")):
                codes = comment_codes(token.string)
                if codes is ALL or codes:
                    lines[token.start[0]] = codes
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return {}
    return lines


def is_suppressed(code: str, codes: frozenset[str] | None) -> bool:
    return codes is ALL or any(code.startswith(prefix) for prefix in codes)


def unsuppressed(
    reports: Sequence[Report], positions: Mapping[cst.CSTNode, CodeRange]
) -> list[Report]:
    """The reports no suppression comment applies to."""
    lines = suppressions(positions)
    if not lines:
        return list(reports)
    kept = []
    for report in reports:
        where = positions[report.node]
        candidates = {where.start.line, where.end.line}
        if not any(
            line in lines and is_suppressed(report.code, lines[line]) for line in candidates
        ):
            kept.append(report)
    return kept
