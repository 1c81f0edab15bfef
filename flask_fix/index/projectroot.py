"""The project around files named one by one (as pre-commit passes them).

Rules such as FLK102 need the whole project's route map, so when files (not folders)
are named on the command line, the scan phase also reads every Python file of the
project each one belongs to: the nearest folder upward holding `pyproject.toml`,
`setup.py`, `setup.cfg` or `.git`. Those extra files go into the ProjectIndex only;
they are never fixed and nothing is reported about them (which files: flask_fix.run.
selection.index_only_files).
"""

from __future__ import annotations

import os

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
