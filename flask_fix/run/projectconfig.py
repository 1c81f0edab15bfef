"""Each project's own `[tool.flask-fix]` in a run over several projects.

As ruff does, each file follows the configuration nearest to it: for a file of a project
(flask_fix.index.projectroot), the nearest `pyproject.toml` with a `[tool.flask-fix]` table
above the project's root (no folder between a file and its project's root holds a
`pyproject.toml`, so this is the nearest one above the file). The command line's options
layer over each the same way (config.merge); `--config FILE` applies to every file.

The run's own configuration (found from the folder the paths have in common) chooses the
files first; when some project's nearest configuration is another, the files are chosen
again with the command line's `--exclude` only, and each is kept unless its own project's
`exclude` globs (relative to that configuration's folder) leave it out. Each such project
then runs with its own settings (runner.Settings.projects).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
from collections.abc import Callable, Sequence

from ..config import FileConfig, find_config
from ..index.projectroot import NO_PROJECT, Projects
from .files import excluded_below
from .settings import Settings
from .selection import FileSelection, Shard, select_files


def with_project_configs(
    paths: Sequence[str],
    settings: Settings,
    selection: FileSelection,
    run_config: FileConfig | None,
    settings_from: Callable[[FileConfig | None], Settings],
    cli_exclude: Sequence[str],
    shard: Shard | None = None,
) -> tuple[Settings, FileSelection]:
    """The run's settings with each project's own (`Settings.projects`), and its files.

    `settings` and `selection` are the run's, from `run_config`; `settings_from(config)`
    builds the settings a configuration gives with the command line layered over it;
    `cli_exclude`: the command line's `--exclude` globs. Raises config.ConfigError for a
    project's configuration that is not valid."""
    projects = Projects()
    roots = sorted(
        {projects.of(path) for path in [*selection.files, *selection.index_files]} - {NO_PROJECT}
    )
    run_path = run_config.path if run_config is not None else None
    own: dict[str, Settings] = {}
    for root in roots:
        config = find_config([root], cwd=None)
        if (config.path if config is not None else None) != run_path:
            own[root] = settings_from(config)
    if not own:
        return settings, selection
    settings = dataclasses.replace(settings, projects=tuple(sorted(own.items())))
    patterns = tuple(dict.fromkeys(p for each in settings.every() for p in each.text_file_patterns()))
    again = select_files(paths, exclude=cli_exclude, other_names=patterns, shard=shard)

    def kept(path: str) -> bool:
        chosen = settings.for_root(projects.of(path))
        if not path.endswith(".py"):  # found for another project's text rules?
            name = os.path.basename(path)
            if not any(fnmatch.fnmatch(name, p) for p in chosen.text_file_patterns()):
                return False
        root = chosen.exclude_root
        return root is None or not excluded_below(path, root, chosen.exclude)

    return settings, FileSelection(
        [path for path in again.files if kept(path)],
        [path for path in again.index_files if kept(path)],
        again.errors,
    )
