"""Projects: which project a file belongs to, and the project around files named one by one.

A file's project is the nearest folder at or above it holding `pyproject.toml`,
`setup.py`, `setup.cfg`, a `requirements*.txt` or `.git` (a file with none above it
belongs to no project: such files form one project together). A run indexes each
project on its own (`Projects`): apps, routes, pins and project transforms never reach
from one project into another, so a run over a folder of checkouts gives each what a run
on it alone gives.

Rules such as FLK102 need the whole project's route map, so when files (not folders)
are named on the command line, the scan phase also reads every Python file of the
project each one belongs to. Those extra files go into the ProjectIndex only;
they are never fixed and nothing is reported about them (which files: flask_fix.run.
selection.index_only_files).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable

#: files (or folders) whose presence makes a folder a project root; and requirements*.txt
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

#: the project of files outside any project
NO_PROJECT = ""


def is_project_root(folder: str) -> bool:
    """Whether `folder` holds a project marker (or a `requirements*.txt`)."""
    if any(os.path.lexists(os.path.join(folder, m)) for m in PROJECT_MARKERS):
        return True
    return bool(glob.glob(os.path.join(glob.escape(folder), "requirements*.txt")))


#: the files besides requirements*.txt a project declares its requirements in
#: (flask_fix.index.pins reads them)
DECLARATION_FILES = ("pyproject.toml", "setup.cfg", "setup.py")


def requirement_files(root: str) -> list[str]:
    """The `requirements*.txt` and `requirements/*.txt` files of the project at `root`."""
    files = sorted(glob.glob(os.path.join(glob.escape(root), "requirements*.txt")))
    files += sorted(glob.glob(os.path.join(glob.escape(root), "requirements", "*.txt")))
    return files


def declaration_files(root: str) -> list[str]:
    """The files the project at `root` declares its requirements in (flask_fix.index.pins
    reads them and the files they include): what its pins depend on, found without
    reading any."""
    declared = [os.path.join(root, name) for name in DECLARATION_FILES]
    return requirement_files(root) + [path for path in declared if os.path.isfile(path)]


def project_root(path: str) -> str | None:
    """The nearest folder at or above `path`'s folder that holds a project marker
    (absolute, symlinks not resolved), or None when no folder up to the root does."""
    return root_of_folder(os.path.dirname(os.path.abspath(path)))


def root_of_folder(folder: str) -> str | None:
    """The nearest folder at or above `folder` (absolute) holding a project marker."""
    while True:
        if is_project_root(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def search_folder(folder: str) -> str:
    """The folder a project transform searches for the project's other files (Procfiles,
    Dockerfiles, web-server configs, docs), given the folder of its modules (absolute):
    upward to the first project root, the same roots the runner groups files by, never
    above the current directory (a run on `.` searches it); `folder` itself when it lies
    outside the current directory. Relative to the current directory when inside it."""
    here = os.getcwd()
    if folder != here and not folder.startswith(here + os.sep):
        return folder
    while folder != here and not is_project_root(folder):
        folder = os.path.dirname(folder)
    return os.path.relpath(folder, here)


class Projects:
    """Which project each file of a run belongs to: its project root (absolute), or
    NO_PROJECT. Each folder is looked at once."""

    def __init__(self) -> None:
        self._roots: dict[str, str] = {}  # folder (absolute) -> its project's root

    def of(self, path: str) -> str:
        folder = os.path.dirname(os.path.abspath(path))
        found = self._roots.get(folder)
        if found is None:
            walked = []
            while True:
                walked.append(folder)
                if is_project_root(folder):
                    found = folder
                    break
                parent = os.path.dirname(folder)
                if parent == folder:
                    found = NO_PROJECT
                    break
                folder = parent
                if folder in self._roots:
                    found = self._roots[folder]
                    break
            for each in walked:
                self._roots[each] = found
        return found

    def split(self, paths: Iterable[str]) -> dict[str, list[str]]:
        """`paths` by project (root -> its paths, in the order given)."""
        grouped: dict[str, list[str]] = {}
        for path in paths:
            grouped.setdefault(self.of(path), []).append(path)
        return grouped
