"""Project transforms in a run: cross-module rewrites between the scan and the fix phase.

A project transform (the app factory, FLK201) needs the whole project at once: it gets
the ProjectIndex the scan phase built and returns new text for several files. The runner
calls `run_transforms` in the parent process once the index exists; then

- the new texts replace the files' sources for the fix phase: each rewritten Python
  module goes to a worker with its new bytes (`work_items`), so the per-file rules run
  on the transformed code, while diffs and writes compare with the bytes on disk;
- the index is rebuilt for the rewritten modules, so per-file rules see the new
  endpoints and blueprints;
- files that no worker handles (Jinja templates, modules no per-file rule wants) are
  diffed or written here (`other_results`);
- each transform's findings join the FileResult of their file (`merged`).

A transform whose output does not compile changes nothing: all its texts are dropped and
the run reports an internal error, so a project is never left half-converted by it.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from ..codemods import project_transforms, select_rules
from ..rewrite.base import ProjectContext, ProjectFinding, ProjectTransform, Rule
from .files import files_under
from ..model import ErrorKind, FileError, FileResult, Finding, FixLevel
from ..index.project import ProjectIndex, build_index, module_name_for, scan_module
from ..index.facts import ModuleFacts
from ..sourceio import write_atomic
from ..rewrite.suppression import comment_suppressions, is_suppressed, skips_file
from ..output.textdiff import LineMap, edits_between, shown_on, unified_diff
from ..index.triage import TriageModule, rules_for_module


def selected(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type[ProjectTransform], ...]:
    return project_transforms(select_rules(select, ignore))


@dataclass
class ProjectOutcome:
    """What the project transforms did to a run."""

    index: ProjectIndex
    # path -> the new text (final, after every transform), and the bytes on disk
    texts: dict[str, bytes] = field(default_factory=dict)
    originals: dict[str, bytes] = field(default_factory=dict)
    # path -> findings, and the ones whose fixes were applied
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    fixed: dict[str, list[Finding]] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    # path -> the rewritten Python module as the triage sees it (from the index's scan)
    rescanned: dict[str, TriageModule] = field(default_factory=dict)
    # path -> the rewritten Python module's facts
    facts: dict[str, ModuleFacts] = field(default_factory=dict)
    # (path, code, message) of each note a transform attached to its own rewrite of a
    # file: a report-only finding there (what the rewrite could not carry over), which
    # the transform, run again on its output, no longer sees (flask_fix.run.fixpoint)
    notes: set[tuple[str, str, str]] = field(default_factory=set)

    def current_text(self, path: str) -> bytes:
        """A file's text after the transforms (as on disk when they did not rewrite it)."""
        if path in self.texts:
            return self.texts[path]
        with open(path, "rb") as file:
            return file.read()

    # the fix phase

    def work_items(
        self, work: list[tuple[str, tuple[str, ...]]], rules: Sequence[type[Rule]]
    ) -> list[tuple]:
        """The fix phase's (path, rule codes[, new source]) items: rewritten Python files
        carry their new text and are triaged again on it."""
        if not self.texts:
            return list(work)
        items: list[tuple] = []
        seen = set()
        for path, codes in work:
            seen.add(path)
            if path in self.texts:
                items.append((path, self._codes_for(path, rules), self.texts[path]))
            else:
                items.append((path, codes))
        for path in sorted(self.texts):
            if path not in seen and path.endswith(".py"):
                items.append((path, self._codes_for(path, rules), self.texts[path]))
        return items

    def _codes_for(self, path: str, rules: Sequence[type[Rule]]) -> tuple[str, ...]:
        codes = [r.code for r in rules_for_module(self.rescanned[path], rules)]
        return tuple(c for c in codes if _rule(rules, c).could_fire_in(path, self.index))

    def merged(self, result: FileResult, *, write: bool, diff: bool) -> FileResult:
        """A worker's result with the transforms' findings for its file added. When the
        per-file phase failed on a rewritten module, the transforms' text is still
        written (the other modules depend on it) and the error is reported."""
        path = result.path
        findings = self.findings.get(path, [])
        fixed = self.fixed.get(path, [])
        if findings:
            result.findings = _in_file_order([*findings, *result.findings])
            result.fixed = _in_file_order([*fixed, *result.fixed])
            applied = {id(f) for f in fixed}
            result.remaining = _in_file_order(
                [*(f for f in findings if id(f) not in applied), *result.remaining]
            )
        if result.error is not None and path in self.texts:
            self._write_or_diff(result, write=write, diff=diff)
        return result

    def other_results(
        self, fixed_paths: set[str], *, write: bool, diff: bool
    ) -> Iterator[FileResult]:
        """Results for what the workers do not see (`fixed_paths`: the files they fix),
        in path order: the transforms' errors, rewritten files that are not Python
        (templates) and findings in files no worker handles."""
        errors: dict[str, list[FileError]] = {}
        for error in self.errors:
            errors.setdefault(error.path, []).append(error)
        paths = (set(self.texts) | set(self.findings)) - fixed_paths
        for path in sorted(paths | set(errors)):
            for error in errors.get(path, ()):
                yield FileResult(path, error=error)
            if path not in paths:
                continue
            findings = self.findings.get(path, [])
            fixed = self.fixed.get(path, [])
            applied = {id(f) for f in fixed}
            result = FileResult(
                path,
                findings=_in_file_order(findings),
                fixed=_in_file_order(fixed),
                remaining=_in_file_order([f for f in findings if id(f) not in applied]),
            )
            if path in self.texts:
                self._write_or_diff(result, write=write, diff=diff)
            yield result

    def _write_or_diff(self, result: FileResult, *, write: bool, diff: bool) -> None:
        path = result.path
        new, old = self.texts[path], self.originals[path]
        if new == old:
            return
        result.changed = True
        result.new_source, result.source = new, old
        if write:
            try:
                write_atomic(path, new)
                result.written = True
            except OSError as exc:
                result.error = FileError(path, ErrorKind.READ, f"cannot write: {exc}")
        elif diff:
            result.diff = unified_diff(old, new, path)


class UserSuppressions:
    """`ProjectContext.suppressed` for a run: `per-file-ignores` (`ignored_in(path)`, the
    codes and prefixes turned off in a file), `# flask-fix: skip-file` and suppression
    comments, each Python file's comments read once (with the tokenizer)."""

    def __init__(
        self,
        read: Callable[[str], bytes],
        ignored_in: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self._read = read
        self._ignored_in = ignored_in
        self._comments: dict[str, tuple[bool, dict[int, frozenset[str] | None]]] = {}

    def __call__(self, code: str, path: str, line: int | None = None) -> bool:
        if self._ignored_in is not None and code.startswith(self._ignored_in(path)):
            return True
        if not path.endswith(".py"):
            return False  # comments are read in Python files only
        skipped, lines = self._comments_of(path)
        if skipped:
            return True
        return line is not None and line in lines and is_suppressed(code, lines[line])

    def _comments_of(self, path: str) -> tuple[bool, dict[int, frozenset[str] | None]]:
        if path not in self._comments:
            try:
                source = self._read(path)
            except OSError:
                source = b""
            self._comments[path] = (skips_file(source), comment_suppressions(source))
        return self._comments[path]

    def finding(self, found: ProjectFinding) -> bool:
        """Whether a transform's finding is suppressed: on its first or its last line,
        as the engine decides for the per-file rules."""
        lines = {found.line, found.end_line if found.end_line is not None else found.line}
        return any(self(found.code, found.path, line) for line in sorted(lines))


#: index fields the runner sets (not facts of the modules): kept when a transform's
#: rewrite rebuilds the index
_CARRIED = (
    "unindexed_route_modules", "unparsable_modules", "flask_version", "flask_sqlalchemy_version",
    "requirements",
)


def _rule(rules: Sequence[type[Rule]], code: str) -> type[Rule]:
    return next(r for r in rules if r.code == code)


def _in_file_order(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))


def run_transforms(
    transforms: Sequence[type[ProjectTransform]],
    index: ProjectIndex,
    facts: list[ModuleFacts],
    *,
    apply: bool,
    unsafe_fixes: bool,
    want_edits: bool = False,
    only: set[str] | None = None,
    list_files: Callable[[str], list[str]] = files_under,
    ignored_in: Callable[[str], tuple[str, ...]] | None = None,
    current: dict[str, bytes] | None = None,
    inside: Callable[[str], bool] | None = None,
) -> ProjectOutcome:
    """Run the selected project transforms in code order, each on the texts and the
    index the previous ones left. `current`: files the run changed already, not on disk
    (a later round of flask_fix.run.fixpoint): the transforms read those texts, and their
    findings there are shown on the file as it is on disk. `apply` is False with --check (report only); `only`:
    the files to report on (files named one by one), None for all; `list_files`: the
    files under a folder (templates); `ignored_in(path)`: the codes `per-file-ignores`
    turns off in a file. Suppressed findings are dropped (the transforms themselves
    leave suppressed places unchanged). `inside(path)`: whether a file belongs to the
    project; a transform naming one that does not (a finding or a text) is at fault, as
    one whose output does not compile: its result is dropped, an internal error names
    the file."""
    outcome = ProjectOutcome(index)
    transforms = [t for t in transforms if t.could_fire(index)]
    if not transforms:
        return outcome
    facts_by_path = {f.path: f for f in facts}

    def read(path: str) -> bytes:
        if path in outcome.texts:
            return outcome.texts[path]
        if path not in outcome.originals:
            with open(path, "rb") as file:
                outcome.originals[path] = file.read()
        if current and path in current:
            return current[path]
        return outcome.originals[path]

    def where() -> str:
        """The file a transform's error is shown on: the app's module, else the first
        module (a file of the project, which "." may not be)."""
        if outcome.index.apps:
            return outcome.index.apps[0].path
        return min(outcome.index.modules, default=".")

    for transform in transforms:
        applies = apply and transform.fix_level.applies(unsafe_fixes)
        # comments are read afresh for each transform: an earlier one may have moved them
        suppressed = UserSuppressions(read, ignored_in)
        enabled = transform.fix_level.applies(unsafe_fixes)
        context = ProjectContext(
            outcome.index, read, list_files, applies, suppressed, enabled, unsafe_fixes
        )
        try:
            result = transform().transform(context)
            texts = {p: t for p, t in result.new_texts.items() if t != read(p)} if applies else {}
            _check_compiles(texts)
        except Exception as exc:  # a transform's bug must not end the run
            message = f"{transform.code}: {type(exc).__name__}: {exc}; nothing changed"
            outcome.errors.append(FileError(where(), ErrorKind.INTERNAL, message))
            continue
        named = {*result.new_texts, *(found.path for found in result.findings)}
        strays = sorted(path for path in named if inside is not None and not inside(path))
        if strays:
            message = (
                f"{transform.code}: names {', '.join(strays)}, a file of no project of this "
                "run (a project transform's bug); nothing changed"
            )
            outcome.errors.append(FileError(where(), ErrorKind.INTERNAL, message))
            continue
        shown = texts
        if want_edits and not applies and any(f.has_fix for f in result.findings):
            # a fix the run does not apply (unsafe without --unsafe-fixes; files named one
            # by one, or a shard, where the transforms only report): its edits are shown,
            # never applied, as the per-file rules show theirs
            shown = _planned(transform, outcome.index, read, list_files, suppressed)
        for found in result.findings:
            if only is not None and found.path not in only:
                continue
            if suppressed.finding(found):
                continue
            finding = _finding(found, shown, outcome.originals, want_edits, current)
            outcome.findings.setdefault(found.path, []).append(finding)
            if found.has_fix and found.path in texts:
                outcome.fixed.setdefault(found.path, []).append(finding)
            elif not found.has_fix and found.path in texts:
                outcome.notes.add((found.path, found.code, found.message))
        if texts:
            outcome.texts.update(texts)
            for path, text in texts.items():
                if path.endswith(".py"):
                    module = facts_by_path[path].module if path in facts_by_path else module_name_for(path)
                    facts, nodes = scan_module(path, module, ast.parse(text, filename=path))
                    facts_by_path[path] = outcome.facts[path] = facts
                    outcome.rescanned[path] = TriageModule(text, nodes)
            before = outcome.index
            outcome.index = build_index(list(facts_by_path.values()))
            for carried in _CARRIED:
                setattr(outcome.index, carried, getattr(before, carried))
    return outcome


def _planned(
    transform: type[ProjectTransform],
    index: ProjectIndex,
    read: Callable[[str], bytes],
    list_files: Callable[[str], list[str]],
    suppressed: UserSuppressions,
) -> dict[str, bytes]:
    """The texts the transform would write were its fix enabled; none when it refuses
    there or fails (its findings then carry no edits)."""
    context = ProjectContext(index, read, list_files, True, suppressed, True, True)
    try:
        result = transform().transform(context)
        texts = {p: t for p, t in result.new_texts.items() if t != read(p)}
        _check_compiles(texts)
    except Exception:  # reported by nothing: the run does not apply it anyway
        return {}
    return texts


class _DoesNotCompile(Exception):
    pass


def _check_compiles(texts: dict[str, bytes]) -> None:
    for path, text in texts.items():
        if path.endswith(".py"):
            try:
                compile(text, path, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise _DoesNotCompile(f"the rewrite of {path} does not compile: {exc}") from None


def _finding(
    found: ProjectFinding,
    texts: dict[str, bytes],
    originals: dict[str, bytes],
    want_edits: bool,
    current: dict[str, bytes] | None = None,
) -> Finding:
    edits = None
    if want_edits and found.has_fix and found.path in texts:
        old = originals[found.path].decode("utf-8", "surrogateescape")
        edits = edits_between(old, texts[found.path].decode("utf-8", "surrogateescape"))
    finding = Finding(
        code=found.code,
        name=found.name,
        message=found.message,
        path=found.path,
        line=found.line,
        column=found.column,
        end_line=found.end_line if found.end_line is not None else found.line,
        end_column=found.end_column if found.end_column is not None else found.column,
        fix_level=found.fix_level if found.has_fix else FixLevel.REPORT,
        edits=edits,
        has_fix=found.has_fix,
    )
    if current and found.path in current and found.path in originals:
        finding = shown_on(finding, LineMap(originals[found.path], current[found.path]))
    return finding


def transform_sources(
    transform: type[ProjectTransform],
    sources: dict[str, str],
    *,
    apply: bool = True,
    ignored_in: Callable[[str], tuple[str, ...]] | None = None,
    fix_enabled: bool = True,
    flask_sqlalchemy_version: tuple[int, ...] | None = None,
    unsafe_fixes: bool = False,
    requirements: dict[str, tuple[int, ...] | None] | None = None,
) -> tuple[dict[str, str], list[ProjectFinding]]:
    """Run one project transform over an in-memory project (path -> text; `.py` files are
    indexed, any other file is there to be read, e.g. templates): the project afterwards
    (every file) and the findings, less the suppressed ones (`ignored_in` stands for
    `per-file-ignores`; `flask_sqlalchemy_version` for the project's requirements). For
    examples and tests."""
    from ..index.project import index_from_sources

    python = {p: t for p, t in sources.items() if p.endswith(".py")}
    unparsable = [p for p, t in python.items() if not _parses(t)]
    index = index_from_sources({p: t for p, t in python.items() if p not in unparsable})
    index.unparsable_modules = tuple(os.path.normpath(p) for p in unparsable)
    index.flask_sqlalchemy_version = flask_sqlalchemy_version
    index.requirements = dict(requirements or {})
    texts = {os.path.normpath(p): t.encode("utf-8") for p, t in sources.items()}

    def read(path: str) -> bytes:
        try:
            return texts[os.path.normpath(path)]
        except KeyError:
            raise OSError(f"no such file: {path}") from None

    def listed(folder: str) -> list[str]:
        folder = os.path.normpath(folder)
        prefix = "" if folder in ("", ".") else folder + os.sep
        return sorted(p for p in sources if os.path.normpath(p).startswith(prefix))

    suppressed = UserSuppressions(read, ignored_in)
    context = ProjectContext(index, read, listed, apply, suppressed, fix_enabled, unsafe_fixes)
    result = transform().transform(context)
    after = dict(sources)
    for path, text in result.new_texts.items():
        after[next(p for p in sources if os.path.normpath(p) == os.path.normpath(path))] = text.decode("utf-8")
    _check_compiles(
        {p: t.encode() for p, t in after.items() if p.endswith(".py") and p not in unparsable}
    )
    return after, [f for f in result.findings if not suppressed.finding(f)]


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True
