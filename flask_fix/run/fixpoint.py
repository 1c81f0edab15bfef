"""A run's fixpoint: project transforms and file fixes again on the fixed text, until
nothing changes.

One round is what the runner always did: the project transforms (FLK201) on the index,
then the per-file rules on every file that may have something, each file to its own
fixpoint (flask_fix.engine repeats its rules until the file stops changing). A fix can
enable another rule beyond that file's own rules, though: FLK705 removes the
`@app.before_first_request` FLK201 refused to move, FLK202's split changes what the
index says about a module. So, after a round that changed files, another round runs
when, and only on what, that change may matter to:

- each changed Python module is scanned again with `ast` (its facts and its triage);
- when the facts of some changed module differ, the index is built again, and the files
  whose fix read a field of the index that changed (`FileResult.index_reads`, as the
  cache keys them) are fixed again, with files some rule may now fire in;
- the project transforms run again when the index changed or they had read a changed
  file (they decide on the text too, not only on the index);
- a changed module whose triage now names a rule that did not run on it is fixed again.

A round with none of these ends the run: most runs have one round, and a run that fixed
files pays for one `ast` scan of each. At most `MAX_ROUNDS` rounds: a chain of fixes
each enabling the next is short (the longest one known, FLK705 then FLK201, needs two
rounds), so a run still changing files after eight rounds has two rules undoing each
other; each file the last round changed is then reported as an internal error (the
results of the last round are kept: in place, the files hold them).

What the results say after several rounds:

- `findings` are on the file as it is on disk (as read, except in place, where the
  file was written each round): a finding first seen on rewritten text is shown where
  its line was (`LineMap`); a finding seen again in a later round replaces the earlier
  one (same rule, same place: FLK201's refusal becomes FLK201's fix; a report whose line
  a later step moved, same rule and message: the secret key's, moved into
  `create_app()`). A report of an earlier round that the rules run again on the file's
  new text no longer make is gone (FLK202's refusal to split `SQLAlchemy(app)`, which
  FLK201's factory then split): `findings` hold the fixes of every round and the reports
  of the last; a transform run again speaks for every file, those it no longer names too;
- `fixed` gathers the fixes of every round; `remaining` is the last word on each file,
  but for the notes a project transform attached to its own rewrite of the file
  (`ProjectOutcome.notes`: FLK803's `Server(passthrough_errors=...)` not carried over):
  the transform, run again on its output, no longer sees what they are about, so they
  stay unless it reports there again. A per-file rule has no such notes: the engine ran
  it on its own output already, so what it left in `remaining` held there;
- `diff` and the written file are the final text, against the file on disk;
- the edits (JSON, SARIF, rdjson) of a file changed by one fix phase alone are each
  fix's own, on the file as read, as always. When a file changed in more than one step
  (two rounds, or a transform then the per-file fixes), its fixes depend on each other
  and cannot be applied one by one: the file's whole change, from the file as read to
  the final text, is carried by its first fixed finding, and its other fixed findings
  carry no edits (an empty list).
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Callable, Iterable

from ..index.compact import FactsCompactor
from ..index.facts import ModuleFacts
from ..index.project import ProjectIndex, build_index, module_name_for, scan_module
from ..index.triage import TriageModule, rules_for_module
from ..model import TOO_DEEP_ERRORS, ErrorKind, FileError, FileResult, Finding
from ..output.textdiff import LineMap, edits_between
from .cache import IndexDigests

#: rounds of project transforms and file fixes a run may take (see the module docstring;
#: ruff stops after 100 rounds of its fix loop, where each applies the fixes that do not
#: overlap; here each round applies every fix it can, in every file)
MAX_ROUNDS = 8

NOT_SETTLED = (
    "project transforms and file fixes did not settle after {rounds} rounds (each round "
    "changed this file again; the last round's result is shown): a second run would "
    "change it again"
)


@dataclass
class Rounds:
    """What the runner's first round leaves for the next ones."""

    settings: Any  # the run's flask_fix.run.runner.Settings
    index: ProjectIndex
    facts: dict[str, ModuleFacts]  # path -> the module's facts (compacted)
    # path -> the rule codes its triage gave (before each rule's could_fire_in)
    triage: dict[str, tuple[str, ...]]
    # sets what the runner sets on a fresh index (versions, unknown modules...)
    prepare_index: Callable[[ProjectIndex], ProjectIndex]
    # runs the transforms on the index, over `current` texts; None: no transform selected
    transforms: Callable[[ProjectIndex, list[ModuleFacts], dict[str, bytes]], object] | None
    transform_reads: set[str] = field(default_factory=set)
    # the fix phase over items ((path, codes) or (path, codes, text)), in item order
    fix: Callable[[list[tuple], ProjectIndex], Iterable[FileResult]] = lambda items, index: ()
    # the texts the first round's transforms wrote (a file changed twice in one round)
    transform_texts: dict[str, bytes] = field(default_factory=dict)
    # path -> the rule codes its last fix ran with
    ran: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the codes of the selected project transforms
    transform_codes: frozenset[str] = frozenset()
    # the notes the transforms attached to their own rewrites (`ProjectOutcome.notes`)
    notes: set[tuple[str, str, str]] = field(default_factory=set)


def _key(finding: Finding) -> tuple[str, int]:
    """What makes two rounds' findings one: the rule and the line on the file as read
    (a finding on a line a fix rewrote is shown at the line's start, so the column of
    the earlier one is the better place)."""
    return (finding.code, finding.line)


def _in_file_order(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))


def _matches(
    earlier: list[Finding], later: list[Finding], applied: list[Finding] | None = None
) -> dict[int, Finding]:
    """id(later finding) -> the earlier finding it is (same `_key`), one to one: the one
    with the same message first, then the same column, then the first left. `applied`:
    earlier findings whose fixes the run applied, which a later finding is only with the
    same message (what they found is gone from the text: `from jinja2 import Markup,
    contextfilter`, Markup fixed, contextfilter reported again at the line's start is
    contextfilter's earlier finding, not Markup's)."""
    left: dict[tuple[str, int], list[Finding]] = {}
    for finding in earlier:
        left.setdefault(_key(finding), []).append(finding)
    matched: dict[int, Finding] = {}
    for finding in later:
        candidates = left.get(_key(finding))
        if not candidates:
            continue
        same = next((f for f in candidates if f.message == finding.message), None)
        open_ = [f for f in candidates if applied is None or f not in applied]
        best = same or next((f for f in open_ if f.column == finding.column), None)
        best = best or (open_[0] if open_ else None)
        if best is None:
            continue
        candidates.remove(best)
        matched[id(finding)] = best
    return matched


def _moved(
    earlier: FileResult, later: FileResult, matched: dict[int, Finding]
) -> dict[int, Finding]:
    """`matched` (of `_matches`) with the findings it left that no fix applied matched
    by rule and message: a report whose line a later step moved (FLK201 moves the app's
    setup into `create_app()`, and the secret key's finding with it) is the earlier one,
    shown where that was. Applied fixes are not: two fixes with one message are two."""
    taken = {id(f) for f in matched.values()}
    left: dict[tuple[str, str], list[Finding]] = {}
    for finding in earlier.findings:
        if id(finding) not in taken and finding not in earlier.fixed:
            left.setdefault((finding.code, finding.message), []).append(finding)
    moved = dict(matched)
    for finding in later.findings:
        candidates = left.get((finding.code, finding.message))
        if id(finding) not in moved and finding not in later.fixed and candidates:
            moved[id(finding)] = candidates.pop(0)
    return moved


Notes = AbstractSet[tuple[str, str, str]]


def _merge(
    earlier: FileResult,
    later: FileResult,
    codes: frozenset[str] | None,
    shifted: bool,
    notes: Notes = frozenset(),
    but: frozenset[str] = frozenset(),
) -> FileResult:
    """One file's result after another round: `later` speaks for the rules in `codes`
    (None: every rule but those in `but`) and wins where both found the same thing,
    shown where the earlier one was. What `later` speaks for and no longer reports is
    gone, unless the earlier round fixed it (a fix applied stays applied) or it is one
    of `notes` ((path, code, message): see `ProjectOutcome.notes`). `shifted`: `later`
    ran on a text the run had changed, so the edits of a fix it did not apply are not on
    the file as read: the earlier ones are kept, or none."""
    if later.error is not None:
        return later

    def speaks_for(finding: Finding) -> bool:
        return finding.code in codes if codes is not None else finding.code not in but

    def note(finding: Finding) -> bool:
        return not finding.has_fix and (finding.path, finding.code, finding.message) in notes

    # each later finding is one earlier finding at most (two of a rule on one line stay
    # two: a rule reporting both names of an import, one of them fixed)
    matched = _moved(earlier, later, _matches(earlier.findings, later.findings, earlier.fixed))
    applied = {id(f) for f in later.fixed}
    placed: dict[int, Finding] = {}
    for finding in later.findings:
        old = matched.get(id(finding))
        new = finding
        if old is not None:
            new = dataclasses.replace(
                new, line=old.line, column=old.column, end_line=old.end_line,
                end_column=old.end_column,
            )  # fmt: skip
        if id(finding) not in applied and shifted and new.edits is not None:
            new = dataclasses.replace(new, edits=old.edits if old is not None else None)
        placed[id(finding)] = new
    replaced = {id(old) for old in matched.values()}
    # an earlier finding `later` speaks for stands only as a fix the run applied or a
    # note: a report (a refusal, a fix not applied) it does not make again is gone, as
    # what the file's last text no longer shows (FLK202's refusal to split
    # `SQLAlchemy(app)`, which FLK201 then moved into `create_app()`)
    kept = [
        f for f in earlier.findings
        if id(f) not in replaced and (not speaks_for(f) or f in earlier.fixed or note(f))
    ]  # fmt: skip
    findings = kept + list(placed.values())
    later_fixed = [placed.get(id(f), f) for f in later.fixed]
    fixed_matched = _matches(earlier.fixed, later.fixed)
    gone = {id(old) for old in fixed_matched.values()}
    fixed = [f for f in earlier.fixed if id(f) not in gone] + later_fixed
    # a note a transform attached to its own rewrite of this file (what the rewrite
    # could not carry over) is left after the fixes: a later round runs it on its
    # output, which no longer shows what the note is about, so only the rule reporting
    # there again (same place or same message) replaces it
    again = {_key(f) for f in later.findings} | {_key(f) for f in later.remaining}
    said = {(f.code, f.message) for f in (*later.findings, *later.remaining)}
    left_notes = [
        f for f in earlier.remaining
        if speaks_for(f) and note(f) and _key(f) not in again and (f.code, f.message) not in said
    ]  # fmt: skip
    remaining = [f for f in earlier.remaining if not speaks_for(f)] + left_notes + [
        f for f in later.remaining if speaks_for(f)
    ]
    return dataclasses.replace(
        later,
        findings=_in_file_order(findings),
        fixed=_in_file_order(fixed),
        remaining=_in_file_order(remaining),
        changed=earlier.changed or later.changed,
        written=earlier.written or later.written,
        diff=later.diff if later.diff is not None else earlier.diff,
        new_source=later.new_source if later.new_source is not None else earlier.new_source,
        source=earlier.source if earlier.source is not None else later.source,
    )


def settle(first: Iterable[FileResult], rounds: Rounds) -> list[FileResult]:
    """The results of the first round, and of the rounds it leads to, in path order."""
    results = list(first)
    settings = rounds.settings
    main: dict[str, FileResult] = {}  # path -> its result (with the findings)
    others: list[FileResult] = []  # errors of the transforms, beside a file's result
    for result in results:
        if result.path in main and result.error is not None and not result.findings:
            others.append(result)
        elif result.path in main:
            others.append(main[result.path])
            main[result.path] = result
        else:
            main[result.path] = result
    current: dict[str, bytes] = {}  # path -> its text now, when the run changed it
    steps: dict[str, int] = {}  # path -> how many steps changed it
    changed: dict[str, bytes] = {}
    for path, result in main.items():
        if result.new_source is not None and result.new_source != result.source:
            changed[path] = current[path] = result.new_source
            twice = path in rounds.transform_texts and rounds.transform_texts[path] != result.new_source
            steps[path] = 2 if twice else 1
    # path -> what its last fix read of the index, and the codes it ran with
    reads = {p: r.index_reads for p, r in main.items() if r.index_reads is not None}
    ran = rounds.ran
    number = 1
    # a worker died (flask_fix.run.pool): the run has stopped and its unfinished files
    # are named; another round would hand them, and the dead worker's file, out again
    stopped = any(result.unfinished is not None for result in results)
    while changed and not stopped:
        index_changed, retriaged = _rescan(changed, rounds)
        rerun = rounds.transforms is not None and (
            index_changed or bool(set(changed) & rounds.transform_reads)
        )
        if not (index_changed or retriaged or rerun):
            break
        if number == MAX_ROUNDS:
            for path in sorted(changed):
                message = NOT_SETTLED.format(rounds=MAX_ROUNDS)
                main[path] = dataclasses.replace(
                    main[path], error=FileError(path, ErrorKind.INTERNAL, message)
                )
            break
        number += 1
        before = rounds.index
        if index_changed:
            rounds.index = rounds.prepare_index(build_index(list(rounds.facts.values())))
        outcome = None
        if rerun:
            outcome = rounds.transforms(rounds.index, list(rounds.facts.values()), dict(current))
            rounds.transform_reads = set(outcome.originals)
            rounds.notes |= outcome.notes
            compact = FactsCompactor().compact
            rounds.facts.update({path: compact(f) for path, f in outcome.facts.items()})
            if outcome.index is not rounds.index:
                rounds.index = rounds.prepare_index(outcome.index)
        items = _work(rounds, before, reads, ran, retriaged, current, outcome)
        fresh: list[FileResult] = []
        output = {"write": settings.mode.value == "fix", "diff": settings.mode.value == "diff"}
        for result in rounds.fix(items, rounds.index):
            fresh.append(outcome.merged(result, **output) if outcome is not None else result)
        for item in items:
            ran[item[0]] = item[1]
        if outcome is not None:
            fresh.extend(outcome.other_results({item[0] for item in items}, **output))
        transform_codes = rounds.transform_codes if outcome is not None else frozenset()
        if outcome is not None:  # their errors now are those of this round
            prefixes = tuple(f"{code}:" for code in transform_codes)
            others = [
                r for r in others if r.error is None or not r.error.message.startswith(prefixes)
            ]
        fixed_paths = {item[0] for item in items}
        stopped = any(result.unfinished is not None for result in fresh)
        changed = {}
        for result in fresh:
            path = result.path
            if result.error is not None and not result.findings and path not in fixed_paths:
                others.append(result)  # a transform's error
                continue
            if result.index_reads is not None:
                reads[path] = result.index_reads
            # what this result speaks for: every rule (a file fixed again, with the
            # transforms' findings merged in when they ran) or the transforms' alone
            # (the file rules' alone when the transforms did not run: each file is
            # fixed with every rule its triage names that may fire, as a first run does)
            codes = None if path in fixed_paths else transform_codes
            but = rounds.transform_codes if outcome is None else frozenset()
            shifted = path in current
            if path in main:
                main[path] = _merge(main[path], result, codes, shifted, rounds.notes, but)
            else:
                main[path] = result
            new = result.new_source
            if new is not None and new != current.get(path, result.source):
                changed[path] = current[path] = new
                steps[path] = steps.get(path, 0) + 1
        if outcome is not None:
            # the transforms ran on the whole project: a file they said something about
            # before and nothing now keeps only their fixes (and notes)
            heard = {result.path for result in fresh}
            for path, result in main.items():
                if path in heard or result.error is not None:
                    continue
                if any(f.code in transform_codes for f in result.findings):
                    silent = dataclasses.replace(result, findings=[], fixed=[], remaining=[])
                    main[path] = _merge(
                        result, silent, transform_codes, path in current, rounds.notes
                    )
    final = []
    for path, result in main.items():
        if settings.want_edits and steps.get(path, 0) > 1 and result.source is not None:
            result = _whole_change(result, current[path])
        final.append(result)
    # a transform run again in a later round reports the same error again: once
    seen = set()
    kept = []
    for result in others:
        key = (result.path, result.error) if result.error is not None else None
        if key is None or key not in seen:
            kept.append(result)
        if key is not None:
            seen.add(key)
    return sorted([*final, *kept], key=lambda r: r.path)


def _rescan(changed: dict[str, bytes], rounds: Rounds) -> tuple[bool, set[str]]:
    """Scan the changed Python modules again: whether the facts of one changed (the
    index must be built again), and the modules whose triage names a rule more."""
    settings = rounds.settings
    compact = FactsCompactor().compact
    index_changed = False
    retriaged = set()
    rules = settings.rules()
    for path, text in sorted(changed.items()):
        if not path.endswith(".py"):
            continue
        try:
            tree = ast.parse(text, filename=path)
            before = rounds.facts.get(path)
            module = before.module if before is not None else module_name_for(path)
            facts, nodes = scan_module(path, module, tree)
        except (SyntaxError, ValueError, *TOO_DEEP_ERRORS):
            continue  # newer syntax than this Python reads: as the scan left it
        facts = compact(facts)
        if before is not None and facts != before:
            rounds.facts[path] = facts
            index_changed = True
        ignored = settings.ignored_in(path)
        wanted = [r for r in rules if not r.code.startswith(ignored)] if ignored else rules
        codes = tuple(r.code for r in rules_for_module(TriageModule(text, nodes), wanted))
        if set(codes) - set(rounds.triage.get(path, ())):
            retriaged.add(path)
            rounds.triage[path] = tuple(sorted(set(codes) | set(rounds.triage.get(path, ()))))
    return index_changed, retriaged


def _work(
    rounds: Rounds,
    before: ProjectIndex,
    reads: dict[str, frozenset[str] | None],
    ran: dict[str, tuple[str, ...]],
    retriaged: set[str],
    current: dict[str, bytes],
    outcome,
) -> list[tuple]:
    """The next round's fix-phase items: files the transforms rewrote, files whose fix
    read a part of the index that changed, files some rule may now fire in, and files
    whose triage grew; each with its current text when the run changed it."""
    index = rounds.index
    rules = rounds.settings.rules()
    by_code = {rule.code: rule for rule in rules}
    old, new = IndexDigests(before), IndexDigests(index)

    def index_moved(path: str) -> bool:
        if index is before:
            return False
        fields = reads.get(path)
        return fields is None or any(old(name) != new(name) for name in sorted(fields))

    texts = outcome.texts if outcome is not None else {}
    items = []
    for path, found in sorted(rounds.triage.items()):
        codes = tuple(c for c in found if by_code[c].could_fire_in(path, index))
        if path in texts and path.endswith(".py"):
            items.append((path, outcome._codes_for(path, rules), texts[path]))
            continue
        if not codes:
            continue
        if path in retriaged or set(codes) != set(ran.get(path, codes)) or index_moved(path):
            if path not in reads and path not in retriaged and index is before:
                continue
            items.append((path, codes, current[path]) if path in current else (path, codes))
    listed = {item[0] for item in items}
    for path in sorted(texts):
        if path not in listed and path.endswith(".py"):
            items.append((path, outcome._codes_for(path, rules), texts[path]))
    return sorted(items, key=lambda item: item[0])


def _whole_change(result: FileResult, final: bytes) -> FileResult:
    """A file changed in several steps: its first fixed finding carries the whole change
    from the file as read, the other fixed ones none (see the module docstring)."""
    assert result.source is not None
    old = result.source.decode("utf-8", "surrogateescape")
    edits = edits_between(old, final.decode("utf-8", "surrogateescape"))
    # the findings the fixed ones are, one to one
    matched = _matches(result.findings, result.fixed)
    chosen = {id(f) for f in matched.values()}
    fixed = [f for f in result.findings if id(f) in chosen]
    first = fixed[0] if fixed else None
    new = {id(f): dataclasses.replace(f, edits=edits if f is first else ()) for f in fixed}
    findings = [new.get(id(f), f) for f in result.findings]
    return dataclasses.replace(
        result,
        findings=findings,
        fixed=[new[id(matched[id(f)])] if id(f) in matched else f for f in result.fixed],
    )
