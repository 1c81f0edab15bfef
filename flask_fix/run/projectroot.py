"""The project around files named one by one (as pre-commit passes them).

Rules such as FLK102 need the whole project's route map, so when files (not folders)
are named on the command line, the scan phase also reads every Python file of the
project each one belongs to: the nearest folder upward holding `pyproject.toml`,
`setup.py`, `setup.cfg` or `.git`. Those extra files go into the ProjectIndex only;
they are never fixed and nothing is reported about them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from .files import discover

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def project_root(path: str) -> str | None:
    """The nearest folder at or above `path`'s folder that holds a project marker
    (absolute, symlinks not resolved), or None when no folder up to the root does."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if any(os.path.lexists(os.path.join(folder, m)) for m in PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


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
