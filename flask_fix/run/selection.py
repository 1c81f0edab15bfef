"""Which files a run over paths reports on, and which it reads for the index only.

Shared by the command and `flask_fix.check_paths`: the files discovered under the paths,
the rest of the project when files are named one by one (pre-commit), and, with a shard
(`--shard 2/4`), the files of the other shards, which are indexed but never reported on.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .files import discover
from ..model import ErrorKind, FileError
from ..index.projectroot import project_root


@dataclass(frozen=True)
class Shard:
    """Shard `number` (1-based) of `count`: the files whose path hashes to it."""

    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise ValueError(f"--shard: expected I/N with 1 <= I <= N, such as 2/4 (got {text!r})")
        return cls(int(match[1]), int(match[2]))

    def holds(self, path: str) -> bool:
        """Whether `path` (as shown, `./` and separators normalised) falls in this shard:
        a hash of the path, the same on every machine and every run."""
        shown = os.path.normpath(path).replace(os.sep, "/")
        digest = hashlib.sha256(shown.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.number - 1


@dataclass
class FileSelection:
    files: list[str]  # reported on (and fixed)
    index_files: list[str] = field(default_factory=list)  # read for the index only
    errors: list[FileError] = field(default_factory=list)  # paths that could not be read


def select_files(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    other_names: Sequence[str] = (),
    anchor: str | None = None,
    shard: Shard | None = None,
) -> FileSelection:
    found = discover(paths, exclude=exclude, other_names=other_names, anchor=anchor)
    files = list(found.files)
    # files named one by one (pre-commit): their whole project goes into the index
    index_files = index_only_files(paths, files, exclude)
    if shard is not None:
        index_files = sorted([*index_files, *(p for p in files if not shard.holds(p))])
        files = [p for p in files if shard.holds(p)]
    errors = [
        FileError(p, ErrorKind.READ, message)
        for p, message in found.errors
        if shard is None or shard.holds(p)
    ]
    return FileSelection(files, index_files, errors)


def index_only_files(
    named: Sequence[str], files: Sequence[str], exclude: Sequence[str] = ()
) -> list[str]:
    """The Python files of the projects holding the named files, minus `files` (the
    files being processed): what the scan phase reads for the index only.

    `named` are the paths as given on the command line; only those that are files and
    were kept by discovery (in `files`) count. The projects are walked like any folder
    (`.gitignore`, skipped folders, `exclude`). Empty when no file was named.
    """
    if not any(os.path.isfile(path) for path in named):
        return []  # folders only: nothing to add (and no need to resolve every file)
    processed = {os.path.realpath(f) for f in files}
    roots = sorted(
        {
            root
            for path in named
            if os.path.isfile(path) and os.path.realpath(path) in processed
            if (root := project_root(path)) is not None
        }
    )
    if not roots:
        return []
    extra: dict[str, str] = {}  # real path -> path as shown
    for path in discover(roots, exclude=exclude).files:
        real = os.path.realpath(path)
        if real not in processed:
            extra.setdefault(real, path)
    return sorted(extra.values())
