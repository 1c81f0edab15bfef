"""Which files flask-fix processes.

A path named on the command line is taken as given: a file is included whatever its
suffix (pre-commit passes files), a folder is walked whatever its name. Only `--exclude`
applies to such paths. What the walk finds below a folder is filtered further: `*.py`
files only, tool and environment folders skipped, and `.gitignore` respected inside a
git work tree (outside one, `.gitignore` files mean nothing, as with ruff and ripgrep).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Optional, TypeAlias

import pathspec

SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "node_modules",
        "site-packages",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".flask_fix_cache",
        ".eggs",
    }
)
VIRTUALENV_MARKER = "pyvenv.cfg"


@dataclass
class Discovery:
    """The files to process and the paths that could not be read.

    Paths are shown the way a user expects to read them: relative to the current
    directory when they lie under it, absolute otherwise. `files` is sorted and holds
    each real file once (a file reached through a symlink and directly is listed under
    the direct path). `errors` holds (path, message) pairs; a path named on the command
    line that does not exist is shown exactly as it was typed.
    """

    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def discover(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    other_names: Sequence[str] = (),
    anchor: str | None = None,
) -> Discovery:
    """List the Python files under `paths` (see the module docstring for the rules),
    and the files whose name matches one of the `other_names` fnmatch patterns
    (`Procfile`, `Dockerfile*`: the files text rules read).

    `exclude` holds fnmatch-style globs, as ruff's `--exclude`: each is matched against
    a path relative to the folder being walked, relative to the current directory, and
    against its bare name; a pattern ending in `/` matches folders only. An excluded
    folder is not entered, and a named path lying in an excluded folder is dropped.
    With `anchor` (the configuration file's folder), the globs also match paths
    relative to it.
    """
    return _Walk(_ExcludePatterns(exclude), respect_gitignore, other_names, anchor).run(paths)


def excluded_below(path: str, root: str, exclude: Sequence[str]) -> bool:
    """Whether `exclude` globs (as `discover` takes them, relative to the folder `root`)
    exclude the file at `path` or a folder between `root` and it."""
    patterns = _ExcludePatterns(exclude)
    prefix = os.path.join(os.path.abspath(root), "")
    absolute = os.path.abspath(path)
    if not absolute.startswith(prefix):
        return False
    parts = _as_posix(absolute[len(prefix) :]).split("/")
    return any(
        patterns.match(("/".join(parts[:depth]), parts[depth - 1]), depth < len(parts))
        for depth in range(1, len(parts) + 1)
    )


class _ExcludePatterns:
    def __init__(self, patterns: Iterable[str]) -> None:
        any_kind: list[str] = []
        folders_only: list[str] = []
        for pattern in patterns:
            pattern = _as_posix(pattern).removeprefix("./")
            if pattern.endswith("/"):
                folders_only.append(pattern.rstrip("/"))
            else:
                any_kind.append(pattern)
        self._for_files = _compile_globs(any_kind)
        self._for_folders = _compile_globs(any_kind + folders_only)

    def match(self, candidates: Iterable[str], is_folder: bool) -> bool:
        regex = self._for_folders if is_folder else self._for_files
        return regex is not None and any(regex.match(text) for text in candidates)

    def match_named_path(self, shown: str, is_folder: bool) -> bool:
        """Whether a path from the command line, or a folder between it and the
        current directory, is excluded (the current directory itself never is)."""
        shown = _as_posix(shown)
        if shown == ".":
            return False
        if self.match((shown, _basename(shown)), is_folder):
            return True
            return True
        if os.path.isabs(shown):
            return False
        parts = shown.split("/")
        return any(
            self.match(("/".join(parts[:depth]), parts[depth - 1]), is_folder=True)
            for depth in range(1, len(parts))
        )


def _compile_globs(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns))


@dataclass(frozen=True)
class _IgnoreFile:
    """The rules of one .gitignore (or info/exclude), matched relative to `base`."""

    base_prefix: str
    spec: pathspec.GitIgnoreSpec

    def verdict(self, path: str, is_folder: bool) -> bool | None:
        """True if ignored, False if re-included by a `!` rule, None if no rule matches."""
        relative = _as_posix(path[len(self.base_prefix) :])
        return self.spec.check_file(relative + "/" if is_folder else relative).include


# The ignore files in force for a folder, lowest precedence first; None outside a
# git work tree, where .gitignore files are not read.
_IgnoreRules: TypeAlias = Optional[tuple[_IgnoreFile, ...]]


def _is_ignored(rules: _IgnoreRules, path: str, is_folder: bool) -> bool:
    # A deeper .gitignore overrides a shallower one, and within a file the last
    # matching rule wins (GitIgnoreSpec already applies that).
    for ignore_file in reversed(rules or ()):
        verdict = ignore_file.verdict(path, is_folder)
        if verdict is not None:
            return verdict
    return False


class _Walk:
    def __init__(
        self,
        exclude: _ExcludePatterns,
        respect_gitignore: bool,
        other_names: Sequence[str] = (),
        anchor: str | None = None,
    ) -> None:
        self._anchor_prefix = os.path.join(os.path.abspath(anchor), "") if anchor else None
        self._wanted_other = _compile_globs(list(other_names))
        self._exclude = exclude
        self._respect_gitignore = respect_gitignore
        self._cwd = os.getcwd()
        self._cwd_prefix = os.path.join(self._cwd, "")
        self._real_roots: list[str] = []
        # real path -> (reached through a symlink, absolute path as found)
        self._found: dict[str, tuple[bool, str]] = {}
        self._errors: set[tuple[str, str]] = set()

    def run(self, paths: Sequence[str]) -> Discovery:
        folders: list[str] = []
        for given in paths:
            absolute = os.path.abspath(given)
            try:
                mode = os.stat(absolute).st_mode
            except OSError as error:
                self._errors.add((given, error.strerror or str(error)))
                continue
            is_folder = stat.S_ISDIR(mode)
            if not is_folder and not stat.S_ISREG(mode):
                self._errors.add((given, "not a regular file or folder"))
            elif self._exclude.match_named_path(self._shown(absolute), is_folder) or (
                (anchored := self._anchored(absolute))
                and self._exclude.match_named_path(anchored, is_folder)
            ):
                continue
            elif is_folder:
                folders.append(absolute)
            else:
                self._add(os.path.realpath(absolute), absolute)
        # Every root must be known before walking: a link in one may point into another.
        self._real_roots = [os.path.join(os.path.realpath(folder), "") for folder in folders]
        for folder in folders:
            self._walk(folder)
        return Discovery(
            files=sorted(self._shown(absolute) for _, absolute in self._found.values()),
            errors=sorted(self._errors),
        )

    def _walk(self, root: str) -> None:
        root_prefix = os.path.join(root, "")
        real_root_prefix = os.path.join(os.path.realpath(root), "")
        rules = self._rules_above(root) if self._respect_gitignore else None
        pending = [(root, rules)]
        while pending:
            folder, rules = pending.pop()
            try:
                with os.scandir(folder) as scan:
                    entries = list(scan)
            except OSError as error:
                self._errors.add((self._shown(folder), f"cannot list folder: {error.strerror}"))
                continue
            names = {entry.name for entry in entries}
            if folder != root and VIRTUALENV_MARKER in names:
                continue
            if self._respect_gitignore:
                rules = self._rules_in(folder, names, rules)
            for entry in entries:
                name, path = entry.name, entry.path
                is_link = entry.is_symlink()
                if not is_link and entry.is_dir(follow_symlinks=False):
                    if name in SKIPPED_FOLDERS or name.endswith(".egg-info"):
                        continue
                    if not self._skips(path, name, root_prefix, rules, is_folder=True):
                        pending.append((path, rules))
                elif self._wanted(name) and (is_link or entry.is_file(follow_symlinks=False)):
                    if self._skips(path, name, root_prefix, rules, is_folder=False):
                        continue
                    if not is_link:
                        self._add(real_root_prefix + path[len(root_prefix) :], path)
                    elif self._is_file_inside_roots(real := os.path.realpath(path)):
                        self._add(real, path)

    def _wanted(self, name: str) -> bool:
        return name.endswith(".py") or bool(
            self._wanted_other and self._wanted_other.fullmatch(name)
        )

    def _skips(
        self,
        path: str,
        name: str,
        root_prefix: str,
        rules: _IgnoreRules,
        is_folder: bool,
    ) -> bool:
        candidates = (_as_posix(path[len(root_prefix) :]), _as_posix(self._shown(path)), name)
        anchored = self._anchored(path)
        if anchored:
            candidates += (anchored,)
        return self._exclude.match(candidates, is_folder) or _is_ignored(rules, path, is_folder)

    def _anchored(self, absolute: str) -> str | None:
        """`absolute` relative to the anchor folder (posix), when it lies below it."""
        if self._anchor_prefix and absolute.startswith(self._anchor_prefix):
            return _as_posix(absolute[len(self._anchor_prefix) :])
        return None

    def _is_file_inside_roots(self, real: str) -> bool:
        """Symlinked files count only when they point into a walked folder (and exist)."""
        return any(real.startswith(root) for root in self._real_roots) and os.path.isfile(real)

    def _add(self, real: str, absolute: str) -> None:
        candidate = (absolute != real, absolute)
        known = self._found.get(real)
        if known is None or candidate < known:
            self._found[real] = candidate

    def _shown(self, absolute: str) -> str:
        if absolute == self._cwd:
            return "."
        if absolute.startswith(self._cwd_prefix):
            return absolute[len(self._cwd_prefix) :]
        return absolute

    # -- .gitignore ---------------------------------------------------------------

    def _rules_above(self, root: str) -> _IgnoreRules:
        """The ignore rules of the folders above `root`, up to its work tree's top.

        A root that those rules ignore was asked for explicitly, so they are dropped.
        The root's own .git and .gitignore are read when the walk lists the root.
        """
        above: list[str] = []
        folder = root
        while True:
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            folder = parent
            above.append(folder)
            if os.path.lexists(os.path.join(folder, ".git")):
                break
        rules = self._repository_rules(folder)
        for folder in reversed(above):
            rules += self._read_ignore_file(folder, os.path.join(folder, ".gitignore"))
        return () if _is_ignored(rules, root, is_folder=True) else rules

    def _rules_in(
        self, folder: str, names: set[str], inherited: _IgnoreRules
    ) -> _IgnoreRules:
        if ".git" in names:
            # The top of a work tree (or of a nested repository, whose own rules apply).
            inherited = self._repository_rules(folder)
        if inherited is None or ".gitignore" not in names:
            return inherited
        return inherited + self._read_ignore_file(folder, os.path.join(folder, ".gitignore"))

    def _repository_rules(self, top: str) -> tuple[_IgnoreFile, ...]:
        """The work tree's `info/exclude`, found through a `.git` folder or `.git` file."""
        git_dir = os.path.join(top, ".git")
        if not os.path.isdir(git_dir):
            # A linked worktree or a submodule: ".git" is a file reading "gitdir: <path>".
            pointer = _read_text(git_dir)
            if pointer is None or not pointer.startswith("gitdir:"):
                return ()
            git_dir = os.path.join(top, pointer.removeprefix("gitdir:").strip())
            common_dir = _read_text(os.path.join(git_dir, "commondir"))
            if common_dir is not None:
                git_dir = os.path.join(git_dir, common_dir.strip())
        return self._read_ignore_file(top, os.path.join(git_dir, "info", "exclude"))

    def _read_ignore_file(self, base: str, path: str) -> tuple[_IgnoreFile, ...]:
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                lines = file.read().splitlines()
        except FileNotFoundError:
            return ()
        except OSError as error:
            self._errors.add((self._shown(path), f"cannot read ignore file: {error.strerror}"))
            return ()
        return (_IgnoreFile(os.path.join(base, ""), pathspec.GitIgnoreSpec.from_lines(lines)),)


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return None


def _as_posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _basename(posix_path: str) -> str:
    return posix_path.rsplit("/", 1)[-1]


#: folders files_under never lists (the same spirit as SKIPPED_FOLDERS)
_UNLISTED_FOLDERS = frozenset({".git", "__pycache__", "node_modules", ".venv", "venv"})
#: the file marking a cache folder (https://bford.info/cachedir/): flask-fix's own cache
#: holds one, wherever --cache-dir puts it; what is below is not listed
CACHE_TAG = "CACHEDIR.TAG"


def files_under(folder: str) -> list[str]:
    """Every file below `folder` (sorted, hidden, tool and cache folders skipped); [] if none.
    What the project transforms list (templates), and the cache checks is unchanged."""
    found: list[str] = []
    if not os.path.isdir(folder):
        return found
    for root, folders, names in os.walk(folder):
        if CACHE_TAG in names:  # a cache (this run's own, written as it goes): no file of the project
            folders[:] = []
            continue
        folders[:] = sorted(f for f in folders if f not in _UNLISTED_FOLDERS and not f.startswith("."))
        found.extend(os.path.join(root, name) for name in sorted(names))
    return found
