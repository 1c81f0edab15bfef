"""`--interactive`: review each hunk of the patch before it is written (Bowler's idiff).

The run works as `--diff` does; each file's patch is then split into its hunks, shown one
by one, and only the accepted hunks are applied to the file (atomically, as any write).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..sourceio import write_atomic
from .textdiff import split_lines

HELP = """\
y - apply this hunk
n - do not apply this hunk
a - apply this hunk and every hunk after it, in every file
q - quit: apply nothing more (hunks already accepted are written)
? - print this help
"""

_HUNK_HEADER = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_NO_NEWLINE = b"\\ No newline at end of file\n"


@dataclass
class Hunk:
    header: bytes
    old_start: int  # 1-based first line of `old` in the file (0 for an empty range)
    lines: list[bytes]  # the hunk's body: " ", "-" and "+" lines as in the patch

    @property
    def text(self) -> bytes:
        return self.header + b"".join(self.lines)

    def old(self) -> list[bytes]:
        return _side(self.lines, b" -")

    def new(self) -> list[bytes]:
        return _side(self.lines, b" +")


def _side(lines: list[bytes], kinds: bytes) -> list[bytes]:
    """One side of a hunk's body, with `\\ No newline at end of file` applied."""
    out: list[bytes] = []
    for number, line in enumerate(lines):
        if line == _NO_NEWLINE:
            continue
        if line[:1] in (kinds[:1], kinds[1:]):
            text = line[1:]
            following = lines[number + 1] if number + 1 < len(lines) else b""
            if following == _NO_NEWLINE and text.endswith(b"\n"):
                text = text[:-1]
            out.append(text)
    return out


def parse_patch(patch: bytes) -> tuple[bytes, list[Hunk]]:
    """The `---`/`+++` header and the hunks of one file's unified diff."""
    lines = split_lines(patch)
    header = b"".join(line for line in lines[:2])
    hunks: list[Hunk] = []
    for line in lines[2:]:
        match = _HUNK_HEADER.match(line)
        if match:
            hunks.append(Hunk(line, int(match[1]), []))
        elif hunks:
            hunks[-1].lines.append(line)
    return header, hunks


class PatchDoesNotApply(Exception):
    pass


def apply_hunks(original: bytes, hunks: list[Hunk]) -> bytes:
    """`original` with `hunks` (a subset of one patch's hunks, in order) applied."""
    lines = split_lines(original)
    out: list[bytes] = []
    position = 0  # lines of `original` consumed
    for hunk in hunks:
        old = hunk.old()
        start = hunk.old_start - 1 if old else hunk.old_start
        if start < position or lines[start : start + len(old)] != old:
            raise PatchDoesNotApply("the file changed since its patch was computed")
        out.extend(lines[position:start])
        out.extend(hunk.new())
        position = start + len(old)
    out.extend(lines[position:])
    return b"".join(out)


@dataclass
class Review:
    """The answers so far, across files: `a` and `q` hold for every later hunk."""

    ask: Callable[[str], str]
    show: Callable[[str], None]
    apply_all: bool = False
    stopped: bool = False
    hunks_seen: int = 0
    hunks_applied: int = 0
    files_written: int = 0

    def choose(self, path: str, hunks: list[Hunk], header: bytes) -> list[Hunk]:
        accepted: list[Hunk] = []
        for number, hunk in enumerate(hunks, 1):
            self.hunks_seen += 1
            if self.stopped:
                continue
            if self.apply_all:
                accepted.append(hunk)
                continue
            self.show(_decode(header + hunk.text))
            while True:
                answer = (
                    self.ask(f"Apply hunk {number}/{len(hunks)} to {path} [y,n,a,q,?]? ")
                    .strip()
                    .lower()
                )
                if answer in ("y", "n", "a", "q"):
                    break
                self.show(HELP)
            if answer == "q":
                self.stopped = True
            elif answer == "a":
                self.apply_all = True
                accepted.append(hunk)
            elif answer == "y":
                accepted.append(hunk)
        return accepted

    def review(self, path: str, patch: bytes) -> str | None:
        """Ask about each hunk of `path`'s patch and write the accepted ones; an error
        message when the file could not be written, else None."""
        header, hunks = parse_patch(patch)
        accepted = self.choose(path, hunks, header)
        if not accepted:
            return None
        try:
            with open(path, "rb") as file:
                original = file.read()
            updated = apply_hunks(original, accepted)
            if path.endswith(".py"):
                compile(updated, path, "exec", dont_inherit=True)
            write_atomic(path, updated)
        except SyntaxError as exc:
            return f"the accepted hunks alone do not compile ({exc.msg}); file left unchanged"
        except (OSError, PatchDoesNotApply) as exc:
            return f"{exc}; file left unchanged"
        self.hunks_applied += len(accepted)
        self.files_written += 1
        return None

    def summary(self) -> str:
        files = "file" if self.files_written == 1 else "files"
        return (
            f"{self.hunks_applied} of {self.hunks_seen} hunks applied, "
            f"{self.files_written} {files} written"
        )


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")
