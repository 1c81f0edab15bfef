"""Differences between two versions of a file: unified diffs and minimal edits."""

from __future__ import annotations

import difflib

from ..model import Edit


def unified_diff(old: bytes, new: bytes, display_path: str) -> bytes:
    """A unified diff with a/ b/ prefixes that `git apply` and `patch -p1` accept.

    Works on bytes so that files in any encoding round-trip; marks a last line without
    newline the way git does.
    """
    name = display_path.replace("\\", "/").encode("utf-8", "surrogateescape")
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    out: list[bytes] = []
    for line in difflib.diff_bytes(
        difflib.unified_diff, old_lines, new_lines, b"a/" + name, b"b/" + name, n=3
    ):
        if line.startswith((b"---", b"+++")):
            out.append(line.rstrip(b"\n") + b"\n")
        elif line.endswith(b"\n"):
            out.append(line)
        else:
            out.append(line + b"\n\\ No newline at end of file\n")
    return b"".join(out)


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """The smallest line-grouped edits turning `old` into `new` (1-based positions)."""
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = "".join(old_lines[i1:i2])
        after = "".join(new_lines[j1:j2])
        # trim what both sides share so a suggestion touches only what changes
        head = _common_prefix(before, after)
        tail = _common_prefix(before[head:][::-1], after[head:][::-1])
        start = _position(old_lines, i1, before[:head])
        end = _position(old_lines, i1, before[: len(before) - tail])
        edits.append(Edit(*start, *end, after[head : len(after) - tail]))
    return tuple(edits)


def split_lines(text):
    """Lines ending in \\n, as git and editors count them (str.splitlines also breaks
    at form feeds and other separators, which would shift line numbers)."""
    sep = b"\n" if isinstance(text, bytes) else "\n"
    parts = text.split(sep)
    lines = [part + sep for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _position(lines: list[str], first_line: int, consumed: str) -> tuple[int, int]:
    """1-based (line, column) reached after `consumed` from the start of `first_line`."""
    newlines = consumed.count("\n")
    if newlines:
        column = len(consumed) - consumed.rindex("\n")
    else:
        column = len(consumed) + 1
    return first_line + 1 + newlines, column
