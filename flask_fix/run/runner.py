"""A whole run that the cache does not replay (flask_fix.run.start): find files, index
the project, fix each file in a worker pool.

Two phases over a process pool. The scan phase reads every file once with the stdlib
`ast` (fast) to build the ProjectIndex and to find which rules' trigger text occurs in
it; only those files reach the fix phase, the only one that pays for LibCST. Results are
streamed back in path order, so memory does not grow with the tree.

A replayed run never imports this module. What needs LibCST and the rules (the rules'
classes, `engine`, `transforms`) is imported by the phases that use them, never at the
top of this module: the scan phase reads only the stdlib `ast`.
"""

from __future__ import annotations

import fnmatch
import functools
import gc
import heapq
import multiprocessing
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TypeVar, cast

from ..rewrite import legacy_db
from ..index.compact import FactsCompactor
from .files import files_under
from .indexreads import RecordingIndex, fields_read
from ..index.triage import TriageModule, rules_for_module, rules_for_source
from ..model import (
    TOO_DEEP_ERRORS,
    TOO_DEEP_MESSAGE,
    ErrorKind,
    FileError,
    FileResult,
    Finding,
    FixLevel,
)
from .parsing import parse_module
from .pool import Lost, WorkerDied, ordered_map
from ..index.projectroot import NO_PROJECT, Projects
from ..index import pins
from ..index.pins import (
    FLASK, FLASK_SQLALCHEMY, declared_releases, implied_by_flask, lowest_version,
)
from ..rewrite.removed_apis import PACKAGES as REMOVED_API_PACKAGES
from ..index.project import (
    ProjectIndex,
    build_index,
    may_declare_routes,
    module_name_for,
    one_module_index,
    scan_module,
)
from ..index.facts import ModuleFacts
from ..sourceio import SourceError, decode_source, read_source, remove_leftovers, write_atomic
from ..rewrite.suppression import skips_file
from ..output.textdiff import unified_diff
from .settings import Mode, Settings

if TYPE_CHECKING:
    from . import transforms
    from ..rewrite.base import Rule, TextRule
    from .cache import RunCache

#: below this many files a pool costs more than it saves: scanning a file with `ast`
#: takes milliseconds, fixing one with LibCST can take a second
SCAN_SERIAL_BELOW = 48
FIX_SERIAL_BELOW = 2


#: the oldest Flask and Flask-SQLAlchemy a project's code must run on (None: current), and
#: the (package, lowest release) pairs of `ProjectIndex.requirements`
Versions = tuple[tuple[int, ...] | None, tuple[int, ...] | None, tuple]

#: what `ProjectIndex.requirements` holds: the removed-API table's packages, and the ones a
#: replacement needs that the table names in a note only
_REQUIREMENT_PACKAGES = tuple(sorted({*REMOVED_API_PACKAGES.values(), "email-validator"}))


def project_versions(root: str, settings: Settings) -> Versions:
    """`Versions` of the project at `root`: `target-flask-version`, else the lowest Flask
    its requirements allow (flask_fix.index.pins), and the lowest Flask-SQLAlchemy; FLK7
    rewrites needing a newer Flask are only reported, FLK301/FLK502 word their findings
    for a Flask-SQLAlchemy before 3.0."""
    if root == NO_PROJECT:
        declared_flask = declared_sqlalchemy = None
        declared: tuple = ()
    else:
        declared_flask = lowest_version(root, FLASK)
        declared_sqlalchemy = lowest_version(root, FLASK_SQLALCHEMY)
        # the removed-API table's packages (FLK504, FLK709-FLK711, FLK8) the project declares
        found = declared_releases(root, _REQUIREMENT_PACKAGES)
        # Werkzeug, Jinja2... left undeclared come with the Flask the project allows: their
        # lowest release is the one that Flask's own requirements allow (pins.FLASK_REQUIRES)
        flask = settings.target_flask_release() or declared_flask
        for package, lowest in implied_by_flask(flask).items():
            if package in _REQUIREMENT_PACKAGES and found.get(package) is None:
                found[package] = lowest
        declared = tuple(sorted(found.items()))
    return (settings.target_flask_release() or declared_flask, declared_sqlalchemy, declared)


class RunIndexes:
    """The fix phase's view of a run's projects: each project's index, and the project of
    each file it fixes (flask_fix.index.projectroot)."""

    def __init__(self, indexes: dict[str, ProjectIndex], project_of: dict[str, str]) -> None:
        self.indexes = indexes
        self.project_of = project_of

    def for_path(self, path: str) -> ProjectIndex:
        return self.indexes[self.project_of[path]]


@dataclass
class ScanResult:
    path: str
    facts: ModuleFacts | None = None
    error: FileError | None = None
    rule_codes: tuple[str, ...] = ()  # the rules worth running on it (triage)
    # parsed by LibCST but not by this interpreter's ast (newer syntax): not indexed
    unindexed_routes: bool = False
    # a file for text rules (not Python): its result, already complete
    text_result: FileResult | None = None
    # a file for text rules that read the index (`rule_codes`): checked once it exists
    text_after_index: bool = False


_AnyRule = TypeVar("_AnyRule", "type[Rule]", "type[TextRule]")


def _text_rules_for(path: str) -> list[type[TextRule]]:
    if path.endswith(".py"):
        return []
    name = os.path.basename(path)
    return [
        r
        for r in _for_file(path, _rules_of(path)[1])
        if any(fnmatch.fnmatch(name, p) for p in r.file_patterns)
    ]


def _for_file(path: str, rules: Sequence[_AnyRule]) -> Sequence[_AnyRule]:
    """`rules` minus those `per-file-ignores` turns off for `path`: chosen here, before
    triage, a rule ignored in a file neither reports nor fixes anything in it."""
    settings = _settings_for(path)
    ignored = settings.ignored_in(path) if settings is not None else ()
    return [r for r in rules if not r.code.startswith(ignored)] if ignored else rules


def _settings_for(path: str) -> Settings | None:
    """The settings of the file at `path`: its project's (Settings.projects)."""
    settings = _worker_settings
    if settings is None or not settings.projects:
        return settings
    return settings.for_root(_worker_projects.of(path))


def _rules_of(path: str) -> tuple[Sequence[type[Rule]], Sequence[type[TextRule]]]:
    """The rules and text rules selected for the file at `path` (its project's)."""
    settings = _settings_for(path)
    if settings is _worker_settings or settings is None:
        return _worker_rules, _worker_text_rules
    if id(settings) not in _worker_project_rules:
        _worker_project_rules[id(settings)] = (settings.rules(), settings.text_rules())
    return _worker_project_rules[id(settings)]


def check_text_file(
    path: str, rules: Sequence[type[TextRule]], index: ProjectIndex | None = None
) -> FileResult:
    """Run text rules over one file: report only, nothing to parse or fix."""
    result = FileResult(path)
    try:
        text, _ = decode_source(read_source(path))
    except SourceError as exc:
        result.error = FileError(path, ErrorKind(exc.kind), exc.message, exc.line)
        return result
    for rule in rules:
        for found in rule(index).check(path, text):
            result.findings.append(
                Finding(
                    code=rule.code,
                    name=rule.name,
                    message=found.message,
                    path=path,
                    line=found.line,
                    column=found.column,
                    end_line=found.line,
                    end_column=found.end_column,
                    fix_level=FixLevel.REPORT,
                )
            )
    result.findings.sort(key=lambda f: (f.line, f.column, f.code))
    result.remaining = list(result.findings)
    return result


# -- worker side ----------------------------------------------------------------------

_worker_rules: tuple[type[Rule], ...] = ()
_worker_text_rules: tuple[type[TextRule], ...] = ()
_worker_index: ProjectIndex | RunIndexes | None = None
_worker_settings: Settings | None = None
_worker_projects = Projects()
# id(settings of a project) -> its (rules, text rules)
_worker_project_rules: dict[int, tuple[tuple[type[Rule], ...], tuple[type[TextRule], ...]]] = {}


def _init_worker(settings: Settings, index: ProjectIndex | RunIndexes | None) -> None:
    global _worker_rules, _worker_text_rules, _worker_index, _worker_settings, _worker_projects
    _worker_settings = settings
    _worker_projects = Projects()
    _worker_project_rules.clear()
    _worker_rules = settings.rules()
    _worker_text_rules = settings.text_rules()
    _worker_index = index


def scan_file(path: str) -> ScanResult:
    """Phase one: read, parse with `ast`, extract the module's facts, test triggers.
    A file that text rules want (a Procfile...) is checked here and then done."""
    text_rules = _text_rules_for(path)
    if text_rules:
        if any(rule.needs_index for rule in text_rules):
            codes = tuple(rule.code for rule in text_rules)
            return ScanResult(path, rule_codes=codes, text_after_index=True)
        return ScanResult(path, text_result=check_text_file(path, text_rules))
    try:
        source = read_source(path)
        tree = parse_module(source, path)
    except SourceError as exc:
        return ScanResult(path, error=FileError(path, ErrorKind(exc.kind), exc.message, exc.line))
    if tree is None:
        # valid code for a newer Python: fix it, but its routes stay unknown
        rules = [] if skips_file(source) else rules_for_source(source, _for_file(path, _rules_of(path)[0]))
        return ScanResult(
            path,
            rule_codes=tuple(r.code for r in rules),
            unindexed_routes=may_declare_routes(source),
        )
    try:
        facts, nodes = scan_module(path, module_name_for(path), tree)
    except TOO_DEEP_ERRORS:  # ast reads deeper code than the index's walk can visit
        return ScanResult(path, error=FileError(path, ErrorKind.SYNTAX, TOO_DEEP_MESSAGE))
    except Exception as exc:  # a bug in the index must not end the whole run
        message = f"indexing failed: {type(exc).__name__}: {exc}"
        return ScanResult(path, error=FileError(path, ErrorKind.INTERNAL, message))
    # `# flask-fix: skip-file`: indexed (its routes are real) but never fixed
    worth_running = (
        []
        if skips_file(source)
        else rules_for_module(TriageModule(source, nodes), _for_file(path, _rules_of(path)[0]))
    )
    return ScanResult(path, facts, rule_codes=tuple(r.code for r in worth_running))


def fix_file(work: tuple) -> FileResult:
    """Phase two: run the triaged rules on one file and write, diff or only report.
    `work` is (path, rule codes) or, for a file a project transform rewrote, (path, rule
    codes, its new source): the rules run on that, the diff compares with the disk."""
    path, rule_codes, *rewritten = work
    assert _worker_index is not None
    own = _worker_index.for_path(path) if isinstance(_worker_index, RunIndexes) else _worker_index
    # what the result depends on of the index: the fields the rules and engine read
    recording = RecordingIndex(own)
    index = cast(ProjectIndex, recording)  # it answers as the index does
    result = _fix_file(path, rule_codes, rewritten[0] if rewritten else None, index)
    result.index_reads = fields_read(recording)
    return result


def _fix_file(
    path: str, rule_codes: tuple[str, ...], rewritten: bytes | None, index: ProjectIndex
) -> FileResult:
    from .engine import SourceFailure, fix_source
    from ..output.textdiff import on_disk

    settings = _settings_for(path)
    assert settings is not None
    # per-file-ignores again: items a project transform re-triaged skipped the scan's
    rules = [r for r in _for_file(path, _rules_of(path)[0]) if r.code in rule_codes]
    result = FileResult(path)
    try:
        original = read_source(path)
        source = rewritten if rewritten is not None else original
        fixed = fix_source(
            source,
            path,
            rules,
            index,
            unsafe_fixes=settings.unsafe_fixes,
            want_edits=settings.want_edits,
            # --check applies too (in memory): a fix may enable another rule's, in this
            # file or, next round, in another (flask_fix.run.fixpoint)
            apply=True,
        )
    except SourceError as exc:
        result.error = FileError(path, ErrorKind(exc.kind), exc.message, exc.line)
        return result
    except SourceFailure as exc:
        result.error = FileError(path, exc.kind, exc.message, exc.line)
        return result
    except TOO_DEEP_ERRORS:
        result.error = FileError(path, ErrorKind.SYNTAX, TOO_DEEP_MESSAGE)
        return result
    except Exception as exc:  # a rule's bug must not end the whole run
        result.error = FileError(
            path, ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}; file left unchanged"
        )
        return result
    result.findings = fixed.findings
    result.fixed = fixed.fixed
    result.remaining = fixed.remaining
    if rewritten is not None:  # found on the new text: shown on the file as it is
        on_disk(result, source, original)
    result.changed = fixed.changed or fixed.new_source != original
    if result.changed and fixed.new_source != original:
        result.new_source, result.source = fixed.new_source, original
        if settings.mode is Mode.FIX:
            try:
                write_atomic(path, fixed.new_source)
            except OSError as exc:
                result.error = FileError(path, ErrorKind.READ, f"cannot write: {exc}")
                return result
            result.written = True
        elif settings.mode is Mode.DIFF:
            result.diff = unified_diff(original, fixed.new_source, path)
    return result


# -- parent side ----------------------------------------------------------------------

T = TypeVar("T")
R = TypeVar("R")


def _mapped(
    func: Callable[[T], R],
    items: Sequence[T],
    settings: Settings,
    index: ProjectIndex | RunIndexes | None,
    serial_below: int,
    chunk: bool = True,
    weight: Callable[[T], int] | None = None,
    lost: Callable[[T, str, Lost], R] | None = None,
) -> Iterator[R]:
    """`map` in file order, in a process pool when the work is worth one; `chunk`
    batches small tasks (uneven heavy ones are better handed out one at a time). With
    `weight` (and no `chunk`), the pool gets the heaviest tasks first, so that the last
    one to finish is a light one, and the results still come in file order. When a
    worker dies, `lost(item, why, how)` stands for each result that never came; without
    `lost`, WorkerDied is raised."""
    # what this process holds now (the rules and LibCST, the index, what its heap kept of
    # the scan) leaves the collector's reach (until the run ends, `_fewer_collections`):
    # collections skip it, and a forked worker's never write to those pages, which would
    # copy them into the worker (copy-on-write)
    gc.freeze()
    workers = min(settings.worker_count(), len(items))
    if workers <= 1 or len(items) < serial_below:
        _init_worker(settings, index)
        yield from map(func, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunksize = max(1, min(64, len(items) // (workers * 8))) if chunk else 1
    order = None
    if weight is not None and not chunk:
        order = sorted(range(len(items)), key=lambda i: -weight(items[i]))
    # a worker that dies ends the pool at once (flask_fix.run.pool): `lost` stands for the
    # results that never came, or WorkerDied is raised
    yield from ordered_map(
        func,
        items,
        workers,
        context=context,
        initializer=_init_worker,
        initargs=(settings, index),
        chunksize=chunksize,
        order=order,
        lost=lost,
    )


#: the collector's first generation threshold during a run (Python's default: 700). The
#: scan allocates millions of `ast` nodes, which form no cycles; at 700 the collector ran
#: 1,553 times over indico's scan, 14% of its CPU. Workers inherit it when they fork.
COLLECT_AFTER_ALLOCATIONS = 20_000


def _fewer_collections(results: Iterator[FileResult]) -> Iterator[FileResult]:
    """`results`, produced with the collector run less often (see COLLECT_AFTER_ALLOCATIONS)
    and what `_mapped` froze given back to it at the end."""
    threshold = gc.get_threshold()
    gc.set_threshold(COLLECT_AFTER_ALLOCATIONS, *threshold[1:])
    try:
        yield from results
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def fresh(
    scanned: Sequence[str],
    wanted: set[str],
    extra: bool,
    settings: Settings,
    projects: Projects,
    roots: Sequence[str],
    on_scanned: Callable[[int], None] | None,
    cache: RunCache | None,
) -> Iterator[FileResult]:
    """A run the cache did not replay (flask_fix.run.start.run): `scanned`, the files of
    `roots` (`projects`: each file's), with `wanted` the ones reported on (`extra`: some
    are not)."""
    versions = {root: project_versions(root, settings.for_root(root)) for root in roots}
    work = _run(scanned, wanted, extra, settings, projects, versions, on_scanned, cache)
    return _stopping(_fewer_collections(work), wanted)


def requirement_reads(roots: Sequence[str]) -> set[str]:
    """The files the projects at `roots` declare their requirements in, with those they
    include (`-r`/`-c`): what `project_versions` read."""
    return {path for root in roots if root != NO_PROJECT for path in pins.read_files(root)}


def _stopping(results: Iterator[FileResult], wanted: set[str]) -> Iterator[FileResult]:
    """`results`; when a worker died in the scan phase (the only one that raises
    WorkerDied: the fix phase reports its own unfinished files), every file, unfinished:
    none was checked or fixed, nothing written."""
    try:
        yield from results
    except WorkerDied as died:
        why = f"{died.reason} while scanning, before any file was fixed"
        held = set(died.held)
        for path in sorted(wanted):
            if path in held:  # it, or a file in the same task, may have killed the worker
                message = f"not finished: {_its(died.reason)} while scanning it or a file "
                message += "scanned with it; nothing was written"
            else:
                message = f"not finished: the run stopped when {why}; nothing was written"
            error = FileError(path, ErrorKind.INTERNAL, message)
            yield FileResult(path, error=error, unfinished=why)


def _unparsable(scan: ScanResult) -> bool:
    """A Python file the scan could not read with `ast` (a syntax error, Python 2, an
    undecodable file, or syntax newer than this interpreter): not in the index."""
    if not scan.path.endswith(".py") or scan.facts is not None:
        return False
    if scan.text_result is not None or scan.text_after_index:
        return False
    return scan.error is None or scan.error.kind in (ErrorKind.SYNTAX, ErrorKind.DECODE)


def _run(
    scanned: Sequence[str],
    wanted: set[str],
    extra: bool,
    settings: Settings,
    projects: Projects,
    versions: dict[str, Versions],
    on_scanned: Callable[[int], None] | None,
    cache: RunCache | None,
) -> Iterator[FileResult]:
    """`run` itself: `extra` when some scanned files are there for the index only;
    `projects`: each file's project; `versions`: each project's `Versions`."""
    # load the rules (and LibCST) here, once, before the pools fork: every worker of
    # both phases inherits them instead of loading them itself
    for each in settings.every():
        each.rules()
    # one ModuleFacts per module stays in this process until the fix phase: compacted
    compact = FactsCompactor().compact
    parts = {root: _Project(root, versions[root]) for root in versions}
    candidates: list[tuple[str, tuple[str, ...]]] = []
    # results known before the fix phase (broken files, text files): joined with its
    # results in path order
    early: list[FileResult] = []
    for scan in _scans(scanned, settings, cache):
        if on_scanned is not None:
            on_scanned(1)
        part = parts[projects.of(scan.path)]
        if _unparsable(scan):
            part.unparsable.append(scan.path)
        if extra and scan.path not in wanted:
            if scan.facts is not None:
                part.facts.append(compact(scan.facts))
            if scan.unindexed_routes:
                part.unindexed.append(scan.path)
            continue
        if scan.text_after_index:
            part.text_later.append((scan.path, scan.rule_codes))
            continue
        if scan.text_result is not None:
            if scan.text_result.findings or scan.text_result.error:
                early.append(scan.text_result)
            continue
        if scan.error is not None:
            early.append(FileResult(scan.path, error=scan.error))
            continue
        if scan.facts is not None:
            part.facts.append(compact(scan.facts))
        if scan.unindexed_routes:
            part.unindexed.append(scan.path)
        if scan.rule_codes:
            candidates.append((scan.path, scan.rule_codes))
    list_files = cache.listing(files_under) if cache else files_under
    for root, part in parts.items():
        early += part.link(
            settings.for_root(root), wanted if extra else None, list_files,
            lambda path, root=root: projects.of(path) == root,
        )  # fmt: skip
    if cache is not None:
        read = {path for part in parts.values() for path in part.outcome.originals}
        cache.transform_reads = read - set(scanned)
    by_code = {rule.code: rule for each in settings.every() for rule in each.rules()}
    work_of: dict[str, list[tuple[str, tuple[str, ...]]]] = {root: [] for root in parts}
    for path, codes in candidates:
        index = parts[projects.of(path)].index
        codes = tuple(c for c in codes if by_code[c].could_fire_in(path, index))
        if codes:
            work_of[projects.of(path)].append((path, codes))
    work = [
        item
        for root, part in parts.items()
        for item in part.outcome.work_items(work_of[root], settings.for_root(root).rules())
    ]
    work.sort(key=lambda item: item[0])
    project_of = {item[0]: projects.of(item[0]) for item in work}
    indexes = RunIndexes({root: part.index for root, part in parts.items()}, project_of)
    # results are cached by what they read of the index, unless a transform rewrote
    # files of the project
    cacheable = {root for root, part in parts.items() if not part.rebuilt}
    output = {"write": settings.mode is Mode.FIX, "diff": settings.mode is Mode.DIFF}
    fixed = (
        parts[project_of[result.path]].outcome.merged(result, **output)
        for result in _fixes(work, settings, indexes, cache, cacheable)
    )
    fixed_paths = set(project_of)
    others = [part.outcome.other_results(fixed_paths, **output) for part in parts.values()]
    # every result in path order (each is in file order): the fix phase's stream, the
    # few known before it and the transforms' other files, merged as they come
    early.sort(key=_path_of)
    first_round = heapq.merge(early, fixed, *others, key=_path_of)
    transform_reads: set[str] = set()
    yield from _next_rounds(
        first_round, settings, parts, projects, candidates, work, transform_reads
    )
    if cache is not None:  # what later rounds' transforms read too
        cache.transform_reads |= transform_reads - set(scanned)


class _Project:
    """One project of a run between the scan and the fix phase: its modules' facts, then
    its index and what its project transforms did."""

    def __init__(self, root: str, versions: Versions) -> None:
        self.root = root
        self.versions = versions
        self.facts: list[ModuleFacts] = []
        self.unindexed: list[str] = []
        self.unparsable: list[str] = []
        self.text_later: list[tuple[str, tuple[str, ...]]] = []
        self.index = ProjectIndex()
        self.scanned = ProjectIndex()  # the index of the scanned facts, before transforms
        self.outcome: transforms.ProjectOutcome | None = None
        self.rebuilt = False
        # path -> the module's facts (compacted), for later rounds (flask_fix.run.fixpoint)
        self.facts_by_path: dict[str, ModuleFacts] = {}
        # the selected project transforms with this run's options, or None when none is
        self.run_transforms: Callable | None = None
        self.settings: Settings | None = None

    def link(
        self,
        settings: Settings,
        only: set[str] | None,
        list_files: Callable[[str], list[str]],
        inside: Callable[[str], bool] | None = None,
    ) -> list[FileResult]:
        """Build the index, check the text files that read it, run the project
        transforms; the text files' results. `only`: with files named one by one, the
        files to report on (the transforms then only report); `inside(path)`: whether a
        file belongs to this project (a transform naming one that does not is at fault)."""
        from . import transforms

        self.settings = settings
        index = build_index(self.facts)
        index.unindexed_route_modules = tuple(self.unindexed)
        index.unparsable_modules = tuple(self.unparsable)
        # the transforms read them too (FLK201 on Flask-SQLAlchemy before 3.0)
        index.flask_version, index.flask_sqlalchemy_version, declared = self.versions
        index.requirements = dict(declared)
        self.scanned = index
        self.facts_by_path = {module.path: module for module in self.facts}
        results = []
        # text rules that read the index (FLK601 resolves `python app.py`), now that it exists
        for path, codes in self.text_later:
            rules = [rule for rule in settings.text_rules() if rule.code in codes]
            result = check_text_file(path, rules, index)
            if result.findings or result.error:
                results.append(result)
        # cross-module rewrites (FLK201) first, on the parent's copy of the facts; with
        # files named one by one they only report, and only on those files
        selected = transforms.selected(settings.select, settings.ignore)
        run_transforms = functools.partial(
            transforms.run_transforms, selected,
            apply=only is None,  # --check too, in memory: what comes next may depend on it
            unsafe_fixes=settings.unsafe_fixes, want_edits=settings.want_edits,
            only=only, list_files=list_files,
            ignored_in=settings.ignored_in if settings.per_file_ignores else None,
            inside=inside,
        )  # fmt: skip
        self.run_transforms = run_transforms if selected else None
        self.outcome = run_transforms(index, self.facts)
        # set after the transforms: one that rewrote files has rebuilt the index
        self.rebuilt = self.outcome.index is not index
        self.index = self.prepared(self.outcome.index)
        self.facts = []
        return results

    def prepared(self, index: ProjectIndex) -> ProjectIndex:
        """`index` (built again by a transform or a later round) with what the run sets
        on it besides the modules' facts (those of the scanned index)."""
        assert self.settings is not None
        index.unindexed_route_modules = self.scanned.unindexed_route_modules
        index.unparsable_modules = self.scanned.unparsable_modules
        index.flask_version, index.flask_sqlalchemy_version, declared = self.versions
        index.requirements = dict(declared)
        rules = self.settings.rules()
        if any(r.code == "FLK202" for r in rules) and legacy_db.may_fall_back(index):
            # FLK202 weighs where a Flask-SQLAlchemy 2.x db is used outside an app context
            index.database_fallback_uses = tuple(legacy_db.fallback_uses(index))
        return index


def _next_rounds(
    first_round: Iterator[FileResult],
    settings: Settings,
    parts: dict[str, _Project],
    projects: Projects,
    candidates: list[tuple[str, tuple[str, ...]]],
    work: list[tuple],
    transform_reads: set[str],
) -> Iterator[FileResult]:
    """The first round's results, and those of the rounds its changes lead to
    (flask_fix.run.fixpoint), each project's rounds on its own index, transforms and
    settings: the run's final result. `transform_reads` receives the files the
    transforms read in the last round they ran (the cache's dependencies)."""
    from . import fixpoint
    from . import transforms as _transforms

    by_project: dict[str, list[FileResult]] = {root: [] for root in parts}
    strays: list[FileResult] = []
    for result in first_round:
        root = projects.of(result.path)
        if root in by_project:
            by_project[root].append(result)
        else:  # run_transforms drops what names such a file: a bug, still no traceback
            message = "a result for a file of no project of this run; nothing changed"
            error = FileError(result.path, ErrorKind.INTERNAL, message)
            strays.append(FileResult(result.path, error=error))
    settled = [strays]
    for root, part in parts.items():
        results = by_project[root]
        assert part.outcome is not None and part.settings is not None
        outcome = part.outcome
        compact = FactsCompactor().compact
        # each file's rules by its triage, before could_fire_in (a new index may let
        # more of them fire), with those a transform's rewrite added
        triage = {path: codes for path, codes in candidates if projects.of(path) == root}
        mine = [item for item in work if projects.of(item[0]) == root]
        for path, codes, *_ in mine:
            triage[path] = tuple(sorted({*triage.get(path, ()), *codes}))

        def fix(items: list[tuple], index: ProjectIndex, root: str = root) -> Iterator[FileResult]:
            indexes = RunIndexes({root: index}, {item[0]: root for item in items})
            return _mapped(
                fix_file, items, settings, indexes, FIX_SERIAL_BELOW, chunk=False,
                weight=_fix_weight,
                lost=functools.partial(_lost_fix, writing=settings.mode is Mode.FIX),
            )  # fmt: skip

        def run_again(index, facts, current, run_transforms=part.run_transforms):
            return run_transforms(index, facts, current=current)

        rounds = fixpoint.Rounds(
            settings=part.settings,
            index=part.index,
            facts={**part.facts_by_path, **{p: compact(f) for p, f in outcome.facts.items()}},
            triage=triage,
            prepare_index=part.prepared,
            transforms=run_again if part.run_transforms is not None else None,
            transform_reads=set(outcome.originals),
            fix=fix,
            transform_texts=dict(outcome.texts),
            ran={item[0]: item[1] for item in mine},
            # what the transforms alone report: a rule with a project part (FLK801's
            # test addresses, FLK802's templates) shares its code with a per-file rule,
            # whose findings a transform's silence must not clear
            transform_codes=frozenset(
                t.code for t in _transforms.selected(part.settings.select, part.settings.ignore)
            ) - {rule.code for rule in part.settings.rules()},
            notes=set(outcome.notes),
        )
        settled.append(fixpoint.settle(results, rounds))
        transform_reads.update(rounds.transform_reads)
    yield from heapq.merge(*settled, key=_path_of)


def _path_of(result: FileResult) -> str:
    return result.path


# -- the cache's hooks -------------------------------------------------------------------


def _scans(
    scanned: Sequence[str], settings: Settings, cache: RunCache | None
) -> Iterator[ScanResult]:
    """Phase one's results in file order; with a cache, only changed files are scanned."""

    def fresh(paths: Sequence[str]) -> Iterator[ScanResult]:
        return _mapped(scan_file, paths, settings, None, SCAN_SERIAL_BELOW)

    return fresh(scanned) if cache is None else cache.scans(scanned, module_name_for, fresh)


def _fixes(
    work: list[tuple],
    settings: Settings,
    indexes: RunIndexes,
    cache: RunCache | None,
    cacheable: set[str],
) -> Iterator[FileResult]:
    """Phase two's results in work order; with a cache, a file is fixed again only when
    it, the fix settings or the fields of its project's index its fix read changed
    (`cacheable`: the projects whose results may be cached at all)."""

    def fresh(items: Sequence[tuple]) -> Iterator[FileResult]:
        return _mapped(
            fix_file,
            items,
            settings,
            indexes,
            FIX_SERIAL_BELOW,
            chunk=False,
            weight=_fix_weight,
            lost=functools.partial(_lost_fix, writing=settings.mode is Mode.FIX),
        )

    if cache is None:
        return fresh(work)

    def index_for(path: str) -> ProjectIndex | None:
        root = indexes.project_of[path]
        return indexes.indexes[root] if root in cacheable else None

    fix_key = (settings.mode, settings.unsafe_fixes, settings.want_edits)
    return cache.fixes(work, index_for, fix_key, fresh, keep=_replayable)


def _fix_weight(work: tuple) -> int:
    """How long fixing one file may take, roughly: its size (LibCST's time grows with it)."""
    path, _, *rewritten = work
    if rewritten:
        return len(rewritten[0])
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _lost_fix(work: tuple, why: str, how: Lost, writing: bool) -> FileResult:
    """The result of a file whose fix never came back: its worker died, or the run
    stopped because another did. A worker may die after its write: such a file is
    either as it was or fully fixed, and a temporary file left beside it is removed."""
    path = work[0]
    if not writing or how is Lost.NOT_STARTED:
        state = "nothing was written"
    else:
        remove_leftovers(path)
        state = "the file is either untouched or fully fixed"
    if how is Lost.HELD:
        message = f"not finished: {_its(why)} while fixing it; {state}"
    else:
        message = f"not finished: the run stopped when {why}; {state}"
    return FileResult(path, error=FileError(path, ErrorKind.INTERNAL, message), unfinished=why)


def _its(why: str) -> str:
    """"a worker process (pid 7) was killed" -> "its worker process (pid 7) was killed"."""
    return "its " + why[2:] if why.startswith("a ") else why


def _replayable(result: FileResult) -> bool:
    """Whether a fix-phase result can stand for the next run over the same file: not when
    it changed the file (written, the file is no longer the one it describes) or could
    not read or write it."""
    if result.written:
        return False
    return result.error is None or result.error.kind is not ErrorKind.READ


def fix_stdin(source: bytes, settings: Settings, path: str = "-") -> tuple[bytes, FileResult]:
    """Fix code read from standard input; the project is that code alone."""
    from .engine import SourceFailure, fix_source

    result = FileResult(path)
    try:  # as a file is read: the same messages, and newer Python fixed
        decode_source(source)
        tree = parse_module(source, path)
        index = one_module_index(path, "__main__", tree, source)
    except SourceError as exc:
        result.error = FileError(path, ErrorKind(exc.kind), exc.message, exc.line)
        return source, result
    try:
        fixed = fix_source(
            source,
            path,
            settings.rules(),
            index,
            unsafe_fixes=settings.unsafe_fixes,
            want_edits=settings.want_edits,
        )
    except SourceFailure as exc:
        result.error = FileError(path, exc.kind, exc.message, exc.line)
        return source, result
    except TOO_DEEP_ERRORS:
        result.error = FileError(path, ErrorKind.SYNTAX, TOO_DEEP_MESSAGE)
        return source, result
    result.findings, result.fixed, result.remaining = fixed.findings, fixed.fixed, fixed.remaining
    result.changed = fixed.new_source != source
    return fixed.new_source, result

