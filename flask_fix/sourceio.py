"""Reading and writing source files as bytes, safely.

Source is kept as bytes end to end (LibCST preserves encoding, BOM and line endings);
this module only checks that the bytes are Python source and replaces files atomically.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import tokenize

from flask_fix.model import ErrorKind


class SourceError(Exception):
    """A file that cannot be read, or whose bytes are not decodable Python source."""

    def __init__(self, kind: ErrorKind, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line


def read_source(path: str | os.PathLike[str]) -> bytes:
    """Read a file's bytes, raising SourceError unless they decode as Python source."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        raise SourceError(ErrorKind.READ, f"cannot read file: {error.strerror or error}") from None
    decode_source(data)
    return data


def decode_source(data: bytes) -> tuple[str, str]:
    """Decode source bytes as Python does: UTF-8 BOM, PEP 263 coding cookie, else UTF-8.

    Returns (text, encoding) such that `text.encode(encoding) == data`: with a BOM the
    encoding is "utf-8-sig" and the text does not start with U+FEFF. Line endings are
    left as they are.
    """
    if b"\0" in data:
        raise SourceError(ErrorKind.DECODE, "binary file, not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if not error.msg.startswith("invalid or missing encoding declaration"):
            raise SourceError(ErrorKind.DECODE, f"bad coding declaration: {error.msg}") from None
        # A non-UTF-8 byte in the first two lines; decoding below reports where.
        encoding = "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"cannot decode as {encoding}: invalid byte 0x{data[error.start]:02x}"
        raise SourceError(ErrorKind.DECODE, message, line) from None
    except LookupError:
        # A cookie naming a bytes-to-bytes codec such as "hex" or "rot13".
        message = f"bad coding declaration: {encoding} is not a text encoding"
        raise SourceError(ErrorKind.DECODE, message) from None


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace an existing file's content with `data`, all at once.

    The bytes go to a hidden temporary file beside the target (".<name>.flask-fix-*"),
    are flushed to disk, take the original's permission bits (and owner, where the
    process may set it), then are renamed over the target. Readers, and a run
    interrupted at any point, see either the old file or the new one, never a part.
    A symlink is written through: its target is replaced and the link stays.
    Raises OSError; the original is then untouched and no temporary file is left.
    """
    target = os.path.realpath(path)
    original = os.stat(target)
    folder, name = os.path.split(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.flask-fix-", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
            _copy_owner(file.fileno(), original)
            # After the owner: changing the owner clears the set-user-ID bit.
            os.fchmod(file.fileno(), original.st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:  # KeyboardInterrupt too: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_leftovers(path: str | os.PathLike[str]) -> None:
    """Remove the temporary files `write_atomic` left beside `path` when the process
    writing it was killed (SIGKILL leaves no chance to clean up). Only for files no
    process of this run is writing any more."""
    folder, name = os.path.split(os.path.realpath(path))
    prefix = f".{name}.flask-fix-"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for leftover in names:
        if leftover.startswith(prefix):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, leftover))


def _copy_owner(descriptor: int, original: os.stat_result) -> None:
    """Keep the original's owner and group when allowed (root, or a group we are in)."""
    current = os.fstat(descriptor)
    if (current.st_uid, current.st_gid) == (original.st_uid, original.st_gid):
        return
    try:
        os.fchown(descriptor, original.st_uid, original.st_gid)
    except PermissionError:
        pass
