"""A run's settings, and what its cached results depend on besides the files
(flask_fix.run.cache): plain data every run needs, a replayed one too."""

from __future__ import annotations

import dataclasses
import enum
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..codemods import python_rules, select_rules, text_rules
from ..config import PerFileIgnores
from ..meta import ruleinfo

if TYPE_CHECKING:
    from ..rewrite.base import Rule, TextRule


class Mode(str, enum.Enum):
    FIX = "fix"  # write fixes in place
    DIFF = "diff"  # write nothing, produce a unified diff
    CHECK = "check"  # write nothing, list findings


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    mode: Mode = Mode.FIX
    want_edits: bool = False
    jobs: int = 0  # 0: one worker per core
    exclude: tuple[str, ...] = ()
    # from the configuration file: `exclude` globs also match relative to this folder
    exclude_root: str | None = None
    per_file_ignores: PerFileIgnores | None = None
    # `target-flask-version` ("2.3"), as configured; None: not set
    target_flask_version: str | None = None
    # the projects (flask_fix.index.projectroot) whose nearest `[tool.flask-fix]` is not the
    # run's, each with the settings it gives (flask_fix.run.projectconfig): (root, settings)
    projects: tuple[tuple[str, Settings], ...] = ()

    def for_root(self, root: str) -> Settings:
        """The settings of the files of the project at `root`."""
        for known, settings in self.projects:
            if known == root:
                return settings
        return self

    def every(self) -> tuple[Settings, ...]:
        """These settings and each project's own."""
        return (self, *(settings for _, settings in self.projects))

    def rules(self) -> tuple[type[Rule], ...]:
        """The selected rules over Python modules."""
        return python_rules(select_rules(self.select, self.ignore))

    def text_rules(self) -> tuple[type[TextRule], ...]:
        """The selected rules over other files (Procfile, Dockerfile, ...)."""
        return text_rules(select_rules(self.select, self.ignore))

    def text_file_patterns(self) -> tuple[str, ...]:
        selected = ruleinfo.select_rules(self.select, self.ignore)
        return tuple(p for rule in selected for p in rule.file_patterns)

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """The codes and prefixes `per-file-ignores` turns off in the file at `path`."""
        return self.per_file_ignores.codes_for(path) if self.per_file_ignores else ()

    def target_flask_release(self) -> tuple[int, ...] | None:
        """`target-flask-version` as a release tuple ("2.3" -> (2, 3)); None: not set."""
        if self.target_flask_version is None:
            return None
        return tuple(int(part) for part in self.target_flask_version.split("."))

    def worker_count(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)


def cache_keys(settings: Settings) -> dict[str, object]:
    """What a run's cached results depend on besides the files (flask_fix.run.cache): the
    scan phase on the rules chosen per file; the whole run on every setting but `jobs`."""
    selected = ruleinfo.select_rules(settings.select, settings.ignore)
    # a Python rule reading other files too (FLK601) counts twice, as itself and its text part
    codes = sorted(
        [r.code for r in selected if r.kind == ruleinfo.PYTHON]
        + [r.code for r in selected if r.file_patterns]
    )
    return {
        "scan_key": (codes, settings.per_file_ignores, settings.projects),
        "run_key": dataclasses.replace(settings, jobs=0),
    }
