"""One file's journey: parse, run the rules in one batched traversal, apply, verify.

Bytes in, bytes out: LibCST keeps the encoding, BOM, line endings and indentation.
Fixes are applied and the rules run again until nothing changes (bounded), then the
result is re-parsed; a fix that yields invalid code raises `FixError` and the caller
leaves the file untouched.
"""

from __future__ import annotations

import ast
import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper

from ..rewrite.base import Fix, Report, Rule, RuleContext
from .fixedits import FixEdits
from ..rewrite.imports import first_party, update_imports
from ..model import TOO_DEEP_ERRORS, Edit, ErrorKind, Finding
from ..output.positions import node_positions
from ..index.project import ProjectIndex
from .python2 import syntax_error_message
from ..rewrite.suppression import may_suppress, skips_file, unsuppressed
from ..output.textdiff import LineMap, edits_between

MAX_PASSES = 8


class SourceFailure(Exception):
    """The file cannot be processed (it does not parse, or a fix broke it)."""

    def __init__(self, kind: ErrorKind, message: str, line: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line


@dataclass
class SourceResult:
    new_source: bytes
    # on the source as given (positions refer to it)
    findings: list[Finding] = field(default_factory=list)
    # on the fixed source: what no applied fix took care of
    remaining: list[Finding] = field(default_factory=list)
    # the findings (on the source as given) whose fixes were applied
    fixed: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def parse(source: bytes) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise _syntax_failure(source, exc) from None
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceFailure(ErrorKind.DECODE, str(exc)) from None


def _syntax_failure(source: bytes, exc: cst.ParserSyntaxError) -> SourceFailure:
    """Python's own diagnosis when it has one: its message and line are more exact than
    LibCST's ("expected one of ..."), and they show Python 2 code for what it is."""
    try:
        ast.parse(source)
    except SyntaxError as python_error:
        message = syntax_error_message(python_error)
        return SourceFailure(ErrorKind.SYNTAX, message, python_error.lineno)
    except (ValueError, *TOO_DEEP_ERRORS):
        pass
    return SourceFailure(ErrorKind.SYNTAX, exc.message, exc.raw_line)


def fix_source(
    source: bytes,
    path: str,
    rules: Sequence[type[Rule]],
    index: ProjectIndex,
    *,
    unsafe_fixes: bool = False,
    want_edits: bool = False,
    apply: bool = True,
) -> SourceResult:
    """Run `rules` over `source` and apply every fix the fix level allows.

    With `apply=False` (`--check`) only the findings are wanted: nothing is applied,
    and `fixed` lists the findings whose fixes would be.
    """
    if skips_file(source):  # `# flask-fix: skip-file`
        return SourceResult(source)
    # suppression comments: findings they name are neither reported nor fixed
    suppressing = may_suppress(source)
    context = RuleContext(path=path, index=index)
    original = parse(source)
    module = original
    first: _Pass | None = None
    passes: list[_Pass] = []
    for _ in range(MAX_PASSES):
        last = _Pass(module, *_run_rules(module, rules, context), suppressing)
        if suppressing and last.reports:
            last.reports = unsuppressed(last.reports, last.positions())
        if first is None:
            first = last
        passes.append(last)
        fixes = [r.fix for r in last.reports if r.fix and r.fix_level.applies(unsafe_fixes)]
        if not fixes or not apply:
            break
        fixed = apply_fixes(module, fixes, _first_party(index))
        if fixed.code == module.code:
            break
        module = fixed
    else:
        raise SourceFailure(
            ErrorKind.INTERNAL,
            f"fixes did not settle after {MAX_PASSES} passes; file left unchanged",
        )

    changed = module is not original
    new_source = module.bytes if changed else source
    if changed:
        _verify(source, new_source)
    assert first is not None
    first_party = _first_party(index) if want_edits else frozenset()
    findings = [_finding(r, first, path, want_edits, first_party) for r in first.reports]
    fixed = [
        f
        for f, r in zip(findings, first.reports)
        if (changed or not apply) and r.fix and r.fix_level.applies(unsafe_fixes)
    ]
    remaining = [
        _finding(r, last, path, False)
        for r in last.reports
        if not (r.fix and r.fix_level.applies(unsafe_fixes))
    ]
    if len(passes) > 1:
        # what only the fixed code showed (a fix enabling another rule's): found too
        later, later_fixed = _later_findings(passes, path, findings, unsafe_fixes)
        if later:
            findings += later
            fixed += later_fixed
            if want_edits and later_fixed:
                findings, fixed = _whole_change(findings, fixed, source, new_source)
    return SourceResult(
        new_source, _in_file_order(findings), _in_file_order(remaining), _in_file_order(fixed)
    )


def _later_findings(
    passes: list[_Pass], path: str, known: list[Finding], unsafe_fixes: bool
) -> tuple[list[Finding], list[Finding]]:
    """The findings of the passes after the first that it did not have, shown on the
    source as given (flask_fix.textdiff.LineMap), and those of them whose fixes were
    applied (a pass's fixes were when another pass followed)."""
    original = passes[0].module.code
    seen = {(f.code, f.line) for f in known}
    found: list[Finding] = []
    fixed: list[Finding] = []
    for number, one in enumerate(passes[1:], start=1):
        if not one.reports:
            continue
        lines = LineMap(original, one.module.code)
        applied = number < len(passes) - 1
        for report in one.reports:
            where = one.positions()[report.node]
            first_line, last_line, exact = lines.span(where.start.line)
            if exact:
                if (report.code, first_line) in seen:
                    continue
            elif any((report.code, n) in seen for n in range(first_line, last_line + 1)):
                continue  # on rewritten lines: the same rule found there before
            finding = _finding(report, one, path, False)
            line, column = lines.back(finding.line, finding.column)
            end_line, end_column = lines.back(finding.end_line, finding.end_column)
            if (end_line, end_column) < (line, column):
                end_line, end_column = line, column
            finding = dataclasses.replace(
                finding, line=line, column=column, end_line=end_line, end_column=end_column
            )
            seen.add((finding.code, finding.line))
            found.append(finding)
            if applied and report.fix and report.fix_level.applies(unsafe_fixes):
                fixed.append(finding)
    return found, fixed


def _whole_change(
    findings: list[Finding], fixed: list[Finding], source: bytes, new_source: bytes
) -> tuple[list[Finding], list[Finding]]:
    """Fixes that needed one another (a later pass's): the first fixed finding carries
    the whole change from the source as given, the others no edits (as
    flask_fix.run.fixpoint does for a file changed in several rounds)."""
    old, new = (
        text.decode("utf-8", "surrogateescape") for text in (source, new_source)
    )
    edits = edits_between(old, new)
    ordered = _in_file_order(fixed)
    first = ordered[0] if ordered else None
    replaced = {
        id(f): dataclasses.replace(f, edits=edits if f is first else ()) for f in fixed
    }
    return [replaced.get(id(f), f) for f in findings], [replaced[id(f)] for f in fixed]


def _in_file_order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))


def _run_rules(
    module: cst.Module, rules: Sequence[type[Rule]], context: RuleContext
) -> tuple[list[Report], MetadataWrapper]:
    """The rules' reports, and the wrapper holding the metadata they resolved."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    context = RuleContext(context.path, context.index, module)
    visitors = [rule(context) for rule in rules]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper.visit_batched(visitors)
    return [report for v in visitors for report in v.reports], wrapper


class _Pass:
    """One traversal of the rules: the module it saw, what they reported, and where
    (computed once, on first use, for the reported nodes only: flask_fix.output.positions;
    with every comment too when the file may hold suppression comments), and what each
    fix alone would change (flask_fix.run.fixedits, on first use)."""

    def __init__(
        self,
        module: cst.Module,
        reports: list[Report],
        wrapper: MetadataWrapper | None,
        comments: bool,
    ) -> None:
        self.module = module
        self.reports = reports
        self.wrapper = wrapper
        self.comments = comments
        self._positions: dict[cst.CSTNode, CodeRange] | None = None
        self._fix_edits: FixEdits | None = None

    def edits(self, fix: Fix, first_party: frozenset[str]) -> tuple[Edit, ...]:
        """The edits that apply `fix` alone to this pass's module."""
        if self._fix_edits is None:
            fixes = [report.fix for report in self.reports if report.fix is not None]
            self._fix_edits = FixEdits(self.module, self.wrapper, fixes, first_party)
        return self._fix_edits.edits(fix)

    def positions(self) -> dict[cst.CSTNode, CodeRange]:
        if self._positions is None:
            nodes = [report.node for report in self.reports]
            self._positions = node_positions(self.module, nodes, comments=self.comments)
        return self._positions


class _Replacer(cst.CSTTransformer):
    """Swap nodes by identity; where fixes nest, the outer one wins this pass."""

    def __init__(self, replacements: dict[int, cst.CSTNode]):
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        return self.replacements.get(id(original_node), updated_node)


def apply_fixes(
    module: cst.Module, fixes: Sequence[Fix], first_party: frozenset[str] = frozenset()
) -> cst.Module:
    """`first_party`: the project's top-level module names (where added imports sort)."""
    replacements: dict[int, cst.CSTNode] = {}
    for fix in fixes:
        for old, new in fix.replacements.items():
            replacements[id(old)] = new
    result = module.visit(_Replacer(replacements))
    add = [spec for fix in fixes for spec in fix.add_imports]
    remove = [spec for fix in fixes for spec in fix.remove_unused_imports]
    return update_imports(result, add, remove, first_party)


def _first_party(index: ProjectIndex) -> frozenset[str]:
    """The project's top-level module and package names: imports of them sort as first
    party (only files that get fixed or whose edits are wanted ask)."""
    return first_party(index.modules.values())


def _verify(source: bytes, new_source: bytes) -> None:
    """The fixed code must still compile; checked with the interpreter's own parser, or
    with LibCST's when the original uses syntax newer than this interpreter knows."""
    try:
        ast.parse(new_source)
    except SyntaxError as exc:
        if not _parses_with_ast(source):
            try:
                cst.parse_module(new_source)
                return
            except cst.ParserSyntaxError:
                pass
        raise SourceFailure(
            ErrorKind.INTERNAL,
            f"a fix produced invalid code ({exc.msg}); file left unchanged",
            exc.lineno,
        ) from None


def _parses_with_ast(source: bytes) -> bool:
    try:
        ast.parse(source)
        return True
    except (SyntaxError, ValueError):
        return False


def _finding(
    report: Report,
    where_from: _Pass,
    path: str,
    want_edits: bool,
    first_party: frozenset[str] = frozenset(),
) -> Finding:
    where = where_from.positions()[report.node]
    edits: tuple[Edit, ...] | None = None
    if want_edits and report.fix is not None:
        edits = where_from.edits(report.fix, first_party)
    return Finding(
        code=report.code,
        name=report.name,
        message=report.message,
        path=path,
        line=where.start.line,
        column=where.start.column + 1,
        end_line=where.end.line,
        end_column=where.end.column + 1,
        fix_level=report.fix_level,
        edits=edits,
        has_fix=report.fix is not None,
    )
