"""Differences between two versions of a file: unified diffs and minimal edits."""

from __future__ import annotations

import dataclasses
import difflib

from ..model import Edit, FileResult, Finding


#: lines of context around each change, as git and `diff -u` give
CONTEXT = 3
#: how much of the enclosing line a hunk header shows: git's buffer (xdiff's func_line)
FUNCNAME_BYTES = 80


def unified_diff(old: bytes, new: bytes, display_path: str) -> bytes:
    """A unified diff with a/ b/ prefixes that `git apply` and `patch -p1` accept, as
    `git diff` writes it: the same hunks in nearly every case (`line_changes`), and
    after each hunk header the line git shows there (`@@ -10,7 +10,7 @@ def index():`,
    see `_enclosing_line`).

    Works on bytes so that files in any encoding round-trip; marks a last line without
    newline the way git does.
    """
    name = display_path.replace("\\", "/").encode("utf-8", "surrogateescape")
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    out: list[bytes] = []
    for group in _hunks(line_changes(old_lines, new_lines), CONTEXT):
        if not out:
            out.append(b"--- a/" + name + b"\n+++ b/" + name + b"\n")
        first, last = group[0], group[-1]
        header = b"@@ -%s +%s @@" % (
            _hunk_range(first[1], last[2]),
            _hunk_range(first[3], last[4]),
        )
        enclosing = _enclosing_line(old_lines, first[1])
        out.append(header + (b" " + enclosing if enclosing else b"") + b"\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_marked(b" ", old_lines[i1:i2]))
                continue
            out.extend(_marked(b"-", old_lines[i1:i2]))
            out.extend(_marked(b"+", new_lines[j1:j2]))
    return b"".join(out)


#: an opcode as difflib gives them: (tag, old start, old end, new start, new end)
Opcode = tuple[str, int, int, int, int]


def line_changes(old: list[bytes], new: list[bytes]) -> list[Opcode]:
    """Which lines changed, as opcodes, placed as `git diff` places them.

    The matching lines come from difflib's matcher without its "junk" heuristic (which,
    in files over 200 lines, takes frequent lines such as blank ones for lines that never
    match, and shows them removed and added again). A run of added or removed lines that
    could as well sit a few lines higher or lower (the lines it would move past equal its
    own) is then placed where git places it (`_Slider`: xdiff's change compaction with
    its indent heuristic, git's default since 2.14). Where two matchings differ by more
    than such a slide (rare: two equally long ways to match lines), difflib's choice may
    differ from git's Myers diff."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    old_changed = [False] * len(old)
    new_changed = [False] * len(new)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_changed[i1:i2] = [True] * (i2 - i1)
            new_changed[j1:j2] = [True] * (j2 - j1)
    _Slider(old, old_changed, new_changed).compact()
    _Slider(new, new_changed, old_changed).compact()
    opcodes: list[Opcode] = []
    i = j = 0
    while i < len(old) or j < len(new):
        if (i < len(old) and old_changed[i]) or (j < len(new) and new_changed[j]):
            i2, j2 = i, j
            while i2 < len(old) and old_changed[i2]:
                i2 += 1
            while j2 < len(new) and new_changed[j2]:
                j2 += 1
            tag = "replace" if i2 > i and j2 > j else "delete" if i2 > i else "insert"
            opcodes.append((tag, i, i2, j, j2))
            i, j = i2, j2
            continue
        if opcodes and opcodes[-1][0] == "equal":
            _, i1, _, j1, _ = opcodes.pop()
        else:
            i1, j1 = i, j
        i, j = i + 1, j + 1
        opcodes.append(("equal", i1, i, j1, j))
    return opcodes


def _hunks(opcodes: list[Opcode], context: int) -> list[list[Opcode]]:
    """The opcodes in hunks: `context` equal lines around each change, and changes
    `2 * context` or fewer equal lines apart in one hunk (as git and difflib do)."""
    if not any(tag != "equal" for tag, *_ in opcodes):
        return []
    codes = list(opcodes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    hunks: list[list[Opcode]] = []
    hunk: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            hunk.append((tag, i1, i1 + context, j1, j1 + context))
            hunks.append(hunk)
            hunk = []
            i1, j1 = i2 - context, j2 - context
        hunk.append((tag, i1, i2, j1, j2))
    if hunk and not (len(hunk) == 1 and hunk[0][0] == "equal"):
        hunks.append(hunk)
    return hunks


#: the indent heuristic's weights, as xdiff has them (lower scores are better)
_MAX_INDENT = 200
_MAX_BLANKS = 20
_START_OF_FILE_PENALTY = 1
_END_OF_FILE_PENALTY = 21
_TOTAL_BLANK_WEIGHT = -30
_POST_BLANK_WEIGHT = 6
_RELATIVE_INDENT_PENALTY = -4
_RELATIVE_INDENT_WITH_BLANK_PENALTY = 10
_RELATIVE_OUTDENT_PENALTY = 24
_RELATIVE_OUTDENT_WITH_BLANK_PENALTY = 17
_RELATIVE_DEDENT_PENALTY = 23
_RELATIVE_DEDENT_WITH_BLANK_PENALTY = 17
_INDENT_WEIGHT = 60
_MAX_SLIDING = 100


class _Slider:
    """Slides each run of changed lines of one side (`changed`, over `lines`) as git's
    xdiff does after its diff: first as far up, then as far down as the lines allow,
    merging with runs it meets; then back up to face the last changed run of the other
    side (`other`) it passed, if any, else to where the indent heuristic scores best.

    The two sides advance together: `self.other_start/other_end` is the run of the
    other side facing the current run (the lines between unchanged lines pair up)."""

    def __init__(self, lines: list[bytes], changed: list[bool], other: list[bool]) -> None:
        self.lines = lines
        self.changed = changed
        self.other = other

    def _is(self, flags: list[bool], index: int) -> bool:
        return 0 <= index < len(flags) and flags[index]

    def compact(self) -> None:
        start, end = 0, self._run_end(self.changed, 0)
        other_start, other_end = 0, self._run_end(self.other, 0)
        while True:
            if end > start:
                start, end, other_start, other_end = self._place(
                    start, end, other_start, other_end
                )
            if end == len(self.changed):
                return
            start, end = end + 1, self._run_end(self.changed, end + 1)
            other_start, other_end = other_end + 1, self._run_end(self.other, other_end + 1)

    def _run_end(self, flags: list[bool], index: int) -> int:
        while self._is(flags, index):
            index += 1
        return index

    def _run_start(self, flags: list[bool], index: int) -> int:
        while self._is(flags, index - 1):
            index -= 1
        return index

    def _up(self, start: int, end: int) -> tuple[int, int] | None:
        if start > 0 and self.lines[start - 1] == self.lines[end - 1]:
            self.changed[start - 1], self.changed[end - 1] = True, False
            return self._run_start(self.changed, start - 1), end - 1
        return None

    def _down(self, start: int, end: int) -> tuple[int, int] | None:
        if end < len(self.lines) and self.lines[start] == self.lines[end]:
            self.changed[start], self.changed[end] = False, True
            return start + 1, self._run_end(self.changed, end + 1)
        return None

    def _place(self, start: int, end: int, ostart: int, oend: int) -> tuple[int, int, int, int]:
        while True:
            size = end - start
            facing_end = -1  # the last end at which the run faced a changed run
            while (moved := self._up(start, end)) is not None:
                start, end = moved
                oend = ostart - 1
                ostart = self._run_start(self.other, oend)
            earliest_end = end
            if oend > ostart:
                facing_end = end
            while (moved := self._down(start, end)) is not None:
                start, end = moved
                ostart = oend + 1
                oend = self._run_end(self.other, ostart)
                if oend > ostart:
                    facing_end = end
            if size == end - start:
                break
        if end == earliest_end:
            return start, end, ostart, oend
        if facing_end != -1:
            # back up to the last place it faced a changed run of the other side
            while oend == ostart and (moved := self._up(start, end)) is not None:
                start, end = moved
                oend = ostart - 1
                ostart = self._run_start(self.other, oend)
            return start, end, ostart, oend
        best_shift, best = -1, (0, 0)
        shift = max(earliest_end, end - size - 1, end - _MAX_SLIDING)
        for shift in range(shift, end + 1):
            indent_sum, penalty = self._score(shift)
            indent_two, penalty_two = self._score(shift - size)
            score = (indent_sum + indent_two, penalty + penalty_two)
            if best_shift == -1 or _compare(score, best) <= 0:
                best, best_shift = score, shift
        while end > best_shift and (moved := self._up(start, end)) is not None:
            start, end = moved
            oend = ostart - 1
            ostart = self._run_start(self.other, oend)
        return start, end, ostart, oend

    def _indent(self, index: int) -> int:
        """Columns of leading whitespace (tabs to multiples of 8); -1 for a blank line."""
        columns = 0
        for byte in self.lines[index]:
            if byte == 0x20:
                columns += 1
            elif byte == 0x09:
                columns += 8 - columns % 8
            elif byte not in b"\n\r\x0b\x0c":
                return columns
            if columns >= _MAX_INDENT:
                return _MAX_INDENT
        return -1

    def _score(self, split: int) -> tuple[int, int]:
        """(effective indent, penalty) of splitting the lines above line `split`."""
        count = len(self.lines)
        end_of_file = split >= count
        indent = -1 if end_of_file else self._indent(split)
        pre_blank, pre_indent = 0, -1
        for index in range(split - 1, -1, -1):
            pre_indent = self._indent(index)
            if pre_indent != -1:
                break
            pre_blank += 1
            if pre_blank == _MAX_BLANKS:
                pre_indent = 0
                break
        post_blank, post_indent = 0, -1
        for index in range(split + 1, count):
            post_indent = self._indent(index)
            if post_indent != -1:
                break
            post_blank += 1
            if post_blank == _MAX_BLANKS:
                post_indent = 0
                break
        penalty = 0
        if pre_indent == -1 and pre_blank == 0:
            penalty += _START_OF_FILE_PENALTY
        if end_of_file:
            penalty += _END_OF_FILE_PENALTY
        blank_after = 1 + post_blank if indent == -1 else 0
        blanks = pre_blank + blank_after
        penalty += _TOTAL_BLANK_WEIGHT * blanks + _POST_BLANK_WEIGHT * blank_after
        effective = indent if indent != -1 else post_indent
        if effective != -1 and pre_indent != -1 and effective != pre_indent:
            if effective > pre_indent:
                penalty += (
                    _RELATIVE_INDENT_WITH_BLANK_PENALTY if blanks else _RELATIVE_INDENT_PENALTY
                )
            elif post_indent != -1 and post_indent > effective:
                penalty += (
                    _RELATIVE_OUTDENT_WITH_BLANK_PENALTY if blanks else _RELATIVE_OUTDENT_PENALTY
                )
            else:
                penalty += (
                    _RELATIVE_DEDENT_WITH_BLANK_PENALTY if blanks else _RELATIVE_DEDENT_PENALTY
                )
        return effective, penalty


def _compare(one: tuple[int, int], other: tuple[int, int]) -> int:
    """Below 0 when score `one` is better than `other` (xdiff's score_cmp)."""
    indents = (one[0] > other[0]) - (one[0] < other[0])
    return _INDENT_WEIGHT * indents + one[1] - other[1]


def _hunk_range(start: int, end: int) -> bytes:
    """`start,length` (1-based; the line before, for an empty range), ",1" left out."""
    length = end - start
    if length == 1:
        return b"%d" % (start + 1)
    return b"%d,%d" % (start + 1 if length else start, length)


def _marked(prefix: bytes, lines: list[bytes]) -> list[bytes]:
    out = []
    for line in lines:
        if line.endswith(b"\n"):
            out.append(prefix + line)
        else:
            out.append(prefix + line + b"\n\\ No newline at end of file\n")
    return out


def _enclosing_line(lines: list[bytes], first: int) -> bytes:
    """What git shows after a hunk's header with no diff driver set (no .gitattributes):
    the nearest line above the hunk (above its first context line) that begins with an
    ASCII letter, `_` or `$` (xdiff's default rule, which for Python finds the enclosing
    `def` or `class` at top level, or the last top-level statement), cut to 80 bytes and
    stripped of trailing whitespace; b"" when there is none."""
    for number in range(first - 1, -1, -1):
        line = lines[number]
        head = line[:1]
        if head.isalpha() and head.isascii() or head in (b"_", b"$"):
            return line[:FUNCNAME_BYTES].rstrip()
    return b""


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """The smallest line-grouped edits turning `old` into `new` (1-based positions).

    Lines are matched by difflib's SequenceMatcher, which takes the longest run of equal
    lines first, then does the same on each side of it; on a whole file that costs more
    than the rest of a finding's work. Two versions of a file that differ in a few places
    share a long head and a long tail, and the lines far from the differences cannot
    change what it matches: it sees only the lines between the common head and tail, with
    as many of the head's and tail's lines around them as there are lines between (so that
    a run reaching into the head or tail is weighed against them as on the whole file).
    Where a file repeats a run of lines longer than that, the edits can differ from a
    whole-file match; they still give `new`.
    """
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    n, m = len(old_lines), len(new_lines)
    same_head = _common_run(old_lines, new_lines, min(n, m))
    same_tail = _common_run(old_lines[::-1], new_lines[::-1], min(n, m))
    if same_head >= same_tail:
        same_tail = min(same_tail, n - same_head, m - same_head)
    else:
        same_head = min(same_head, n - same_tail, m - same_tail)
    around = max(n - same_head - same_tail, m - same_head - same_tail) + 3
    first = max(0, same_head - around)
    skip_tail = max(0, same_tail - around)
    matcher = difflib.SequenceMatcher(
        None, old_lines[first : n - skip_tail], new_lines[first : m - skip_tail], autojunk=False
    )
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + first, i2 + first, j1 + first, j2 + first
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


def _common_run(a: list, b: list, most: int) -> int:
    """How many items `a` and `b` share from their start (at most `most`)."""
    n = 0
    while n < most and a[n] == b[n]:
        n += 1
    return n


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


class LineMap:
    """Where a position of a later version of a text (`new`) was in an earlier one
    (`old`): a line both share maps exactly, column included; a line the change wrote
    maps to the start of the lines it replaced (where a finding first seen on rewritten
    code is shown on the file as it was read)."""

    def __init__(self, old, new) -> None:
        old_lines, new_lines = split_lines(old), split_lines(new)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        # (first new line, last new line + 1, first old line, whether the lines are equal)
        opcodes = matcher.get_opcodes()
        self._blocks = [(j1, j2, i1, tag == "equal") for tag, i1, _, j1, j2 in opcodes]
        self._old_end = {(j1, j2): i2 for _, _, i2, j1, j2 in opcodes}
        self._old_count = len(old_lines)

    def span(self, line: int) -> tuple[int, int, bool]:
        """The 1-based first and last lines of `old` that line `line` of `new` comes
        from, and whether it is one of them unchanged (else the lines it replaced)."""
        index = line - 1
        for first, end, old_first, equal in self._blocks:
            if first <= index < end:
                if equal:
                    return old_first + (index - first) + 1, old_first + (index - first) + 1, True
                old_end = self._old_end[(first, end)]
                start = min(old_first, max(self._old_count - 1, 0)) + 1
                return start, max(start, old_end), False
        return max(self._old_count, 1), max(self._old_count, 1), False

    def back(self, line: int, column: int) -> tuple[int, int]:
        """The 1-based (line, column) in `old` of the 1-based (line, column) in `new`."""
        index = line - 1
        for first, end, old_first, equal in self._blocks:
            if first <= index < end:
                if equal:
                    return old_first + (index - first) + 1, column
                return min(old_first, max(self._old_count - 1, 0)) + 1, 1
        return max(self._old_count, 1), 1


def on_disk(result: FileResult, source: bytes, original: bytes) -> None:
    """Show `result`'s findings, found on `source`, on `original` (the file on disk)."""
    if source == original:
        return
    lines = LineMap(original, source)
    moved = {id(f): shown_on(f, lines) for f in result.findings}
    result.findings = [moved[id(f)] for f in result.findings]
    result.fixed = [moved.get(id(f)) or shown_on(f, lines) for f in result.fixed]


def shown_on(finding: Finding, lines: LineMap) -> Finding:
    """`finding`, found on `lines`' new text, where it is on its old one."""
    line, column = lines.back(finding.line, finding.column)
    end_line, end_column = lines.back(finding.end_line, finding.end_column)
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return dataclasses.replace(
        finding, line=line, column=column, end_line=end_line, end_column=end_column
    )
