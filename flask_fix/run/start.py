"""A run's start: the replay of a recorded run over unchanged files (flask_fix.run.cache).

A replayed run ends here, having loaded neither the index, the rules nor LibCST, nor
read a requirement (tests/test_startup.py); any other run goes on in flask_fix.run.runner,
imported then: the scan, the index, the project transforms and the fix phase.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..index.projectroot import NO_PROJECT, Projects, declaration_files
from ..model import FileResult
from .files import files_under
from .settings import Settings

if TYPE_CHECKING:
    from .cache import RunCache


def run(
    files: Sequence[str],
    settings: Settings,
    on_scanned: Callable[[int], None] | None = None,
    index_files: Sequence[str] = (),
    cache: RunCache | None = None,
) -> Iterator[FileResult]:
    """Results for the files that have something to say (errors, findings, fixes), in
    path order (the paths as given, sorted as strings; each file's findings in file order).

    Every file is scanned for the index; only files some rule's triggers occur in are
    fixed. `on_scanned(1)` is called as each file is scanned (for a progress bar).
    `index_files` (the rest of the project of files named one by one) are scanned for
    the index only: never fixed, and nothing about them is reported, not even errors.
    With a `cache` (flask_fix.run.cache), a run over files that have not changed replays the
    recorded results; otherwise unchanged files are not scanned again and the fix phase
    reuses each file's result while its content and the parts of the index its fix read
    (flask_fix.run.indexreads) are unchanged.

    Each project the files belong to (flask_fix.index.projectroot) has its own index,
    pins and project transforms: the result for a file is the one a run over its project
    alone gives.
    """
    wanted = set(files)
    extra = [path for path in index_files if path not in wanted]
    scanned = sorted([*files, *extra]) if extra else files
    projects = Projects()
    roots = sorted({projects.of(path) for path in scanned})
    if cache is not None:
        # the projects (the files' split follows from the roots) and the files their
        # pins are read from, by name and content: a replay reads no requirement
        declared = [
            path for root in roots if root != NO_PROJECT for path in declaration_files(root)
        ]
        tree_key = cache.tree_key(scanned, wanted, (roots, declared))
        replayed = cache.replay(tree_key, files_under)
        if replayed is not None:
            if on_scanned is not None:
                on_scanned(len(scanned))
            yield from replayed
            return
    from . import runner

    work = runner.fresh(scanned, wanted, bool(extra), settings, projects, roots, on_scanned, cache)
    if cache is None:
        yield from work
        return
    results = []
    for result in work:
        results.append(result)
        yield result
    if all(result.unfinished is None for result in results):
        # the files the requirements files include count as those they are in
        reads = cache.transform_reads | runner.requirement_reads(roots)
        cache.record_run(tree_key, results, reads)
