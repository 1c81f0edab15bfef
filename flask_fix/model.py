"""Plain data passed between the engine, the rules and the renderers.

Everything here is picklable: results travel back from worker processes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FixLevel(str, enum.Enum):
    """How far a finding's rewrite may change behaviour (see RULES.md)."""

    SAFE = "safe"
    INTENDED = "intended"
    UNSAFE = "unsafe"
    REPORT = "report"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def applies(self, unsafe_fixes: bool) -> bool:
        """Whether a fix of this level is written by default (or with --unsafe-fixes)."""
        if self is FixLevel.REPORT:
            return False
        return unsafe_fixes or self is not FixLevel.UNSAFE


_RANKS = {FixLevel.SAFE: 0, FixLevel.INTENDED: 1, FixLevel.UNSAFE: 2, FixLevel.REPORT: 3}


class ErrorKind(str, enum.Enum):
    SYNTAX = "syntax-error"
    DECODE = "decode-error"
    READ = "read-error"
    INTERNAL = "internal-error"


# What Python's parser raises for code nested too deeply to read (`x = a.a.a...` or
# 50,000 unary minus signs: RecursionError or, from its own stack, MemoryError): not a
# syntax error, yet a file it cannot read, reported as one (ErrorKind.SYNTAX)
TOO_DEEP_ERRORS = (RecursionError, MemoryError)
TOO_DEEP_MESSAGE = "too deeply nested to parse"


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based (line, column) positions with `content`.

    Columns are 1-based character offsets; the end position is exclusive.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix_level: FixLevel
    # The edits that apply this finding's fix alone to the file as it was read; None
    # for report-only findings, and left empty unless the caller asked for edits.
    edits: tuple[Edit, ...] | None = None
    has_fix: bool = False


@dataclass(frozen=True)
class FileError:
    path: str
    kind: ErrorKind
    message: str
    line: int | None = None

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.kind.value}: {self.message}"


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    # Findings on the file as it was read (positions refer to the original text).
    findings: list[Finding] = field(default_factory=list)
    # Findings still standing after the fixes were applied (positions refer to the
    # fixed text); equal to `findings` minus the fixed ones when nothing was written.
    remaining: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    changed: bool = False
    written: bool = False
    diff: bytes | None = None
    # when the run changed the file: its text afterwards, and the text it had before
    # (flask_fix.run.fixpoint goes on from the one and shows findings on the other)
    new_source: bytes | None = None
    source: bytes | None = None
    # the ProjectIndex fields its fix phase read (flask_fix.run.indexreads), which the cache
    # keys the result by; None: not fixed by a worker
    index_reads: frozenset[str] | None = None
    # not finished because the run stopped (a worker process died): why; `error` says it
    unfinished: str | None = None
