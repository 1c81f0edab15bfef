"""The per-file engine: fixed-point application, verification, edits, failures."""

from __future__ import annotations

import libcst as cst
import pytest

from flask_fix.rewrite.base import Example, Fix, Rule
from flask_fix.run.engine import MAX_PASSES, SourceFailure, fix_source
from flask_fix.model import ErrorKind, FixLevel
from flask_fix.index.project import ProjectIndex
from flask_fix.output.textdiff import edits_between, unified_diff


class _Doubler(Rule):
    """Rewrites the integer 1 to 2, then 2 to 3, ... up to 5: needs several passes."""

    code, name, fix_level, summary = "FLK990", "test-doubler", FixLevel.SAFE, "test"
    triggers = (b"",)
    valid = ()
    invalid = (Example("x = 1\n", "x = 5\n"),)

    def visit_Integer(self, node: cst.Integer) -> None:
        value = int(node.value)
        if value < 5:
            self.report(node, "bump", fix=Fix({node: cst.Integer(str(value + 1))}))


class _Breaker(Rule):
    """A buggy rule whose fix yields code that does not parse."""

    code, name, fix_level, summary = "FLK991", "test-breaker", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "x":
            self.report(node, "break", fix=Fix({node: cst.Name("lambda")}))


class _Forever(Rule):
    """A buggy rule that never settles."""

    code, name, fix_level, summary = "FLK992", "test-forever", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Name(self, node: cst.Name) -> None:
        self.report(node, "grow", fix=Fix({node: cst.Name(node.value + "x")}))


class _Unsafe(Rule):
    code, name, fix_level, summary = "FLK993", "test-unsafe", FixLevel.UNSAFE, "test"
    triggers = (b"",)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "a":
            self.report(node, "rename", fix=Fix({node: cst.Name("b")}))


def test_fixes_run_until_stable_and_report_the_first_pass():
    result = fix_source(b"x = 1\n", "m.py", [_Doubler], ProjectIndex())
    assert result.new_source == b"x = 5\n"
    assert [(f.line, f.column, f.message) for f in result.findings] == [(1, 5, "bump")]
    assert len(result.fixed) == 1 and result.remaining == []


def test_a_fix_producing_invalid_code_is_an_internal_error():
    with pytest.raises(SourceFailure) as failure:
        fix_source(b"x = 1\n", "m.py", [_Breaker], ProjectIndex())
    assert failure.value.kind is ErrorKind.INTERNAL
    assert "file left unchanged" in failure.value.message


def test_fixes_that_never_settle_are_an_internal_error():
    with pytest.raises(SourceFailure) as failure:
        fix_source(b"y = 1\n", "m.py", [_Forever], ProjectIndex())
    assert failure.value.kind is ErrorKind.INTERNAL
    assert f"{MAX_PASSES} passes" in failure.value.message


def test_unsafe_fixes_need_the_flag():
    kept = fix_source(b"a = 1\n", "m.py", [_Unsafe], ProjectIndex())
    assert kept.new_source == b"a = 1\n"
    assert [f.fix_level for f in kept.remaining] == [FixLevel.UNSAFE]
    applied = fix_source(b"a = 1\n", "m.py", [_Unsafe], ProjectIndex(), unsafe_fixes=True)
    assert applied.new_source == b"b = 1\n" and applied.remaining == []


def test_syntax_errors_name_the_line_and_python2():
    with pytest.raises(SourceFailure) as failure:
        fix_source(b"x = 1\nprint 'hi'\n", "m.py", [_Doubler], ProjectIndex())
    assert failure.value.kind is ErrorKind.SYNTAX
    assert failure.value.line == 2


def test_edits_are_minimal_and_one_based():
    old = "import json\nx = json.loads(a)\n"
    new = "x = get(a)\n"
    edits = edits_between(old, new)
    # what both sides share at the ends of a changed block is left out of the edit
    assert [(e.line, e.column, e.end_line, e.end_column, e.content) for e in edits] == [
        (1, 1, 2, 15, "x = get")
    ]
    assert _apply(old, edits) == new


def _apply(text: str, edits) -> str:
    """Apply 1-based (line, column) edits, last first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for e in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        start = offsets[e.line - 1] + e.column - 1
        end = offsets[e.end_line - 1] + e.end_column - 1
        text = text[:start] + e.content + text[end:]
    return text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb", "a\nb\n"),
        ("x = 1\r\ny = 2\r\n", "x = 1\r\nz = 2\r\n"),
        ("one\n", "zero\none\n"),
        ("f(json.dumps(x))\n", "f(jsonify(x))\n"),
    ],
)
def test_edits_reproduce_the_new_text(old, new):
    assert _apply(old, edits_between(old, new)) == new


def test_unified_diff_marks_a_missing_final_newline():
    diff = unified_diff(b"a = 1", b"a = 2", "pkg/m.py")
    assert diff == (
        b"--- a/pkg/m.py\n+++ b/pkg/m.py\n@@ -1 +1 @@\n-a = 1\n"
        b"\\ No newline at end of file\n+a = 2\n\\ No newline at end of file\n"
    )


class _Enabler(Rule):
    code, name, fix_level, summary = "FLK994", "test-enabler", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "old":
            self.report(node, "rename old", fix=Fix({node: cst.Name("new")}))


class _Enabled(Rule):
    """Fires only on what _Enabler's fix wrote."""

    code, name, fix_level, summary = "FLK995", "test-enabled", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "new":
            self.report(node, "rename new", fix=Fix({node: cst.Name("newer")}))
        elif node.value == "newer":
            self.report(node, "look at newer")  # report only


def test_findings_a_fix_enabled_are_reported_on_the_source_as_given():
    source = b"import os\n\nold = 1\nprint(old)\n"
    result = fix_source(source, "m.py", [_Enabler, _Enabled], ProjectIndex(), want_edits=True)
    assert result.new_source == b"import os\n\nnewer = 1\nprint(newer)\n"
    # shown where their line was; on rewritten lines, once per rule (the report-only
    # `newer` finding shares FLK995's place with the fix that wrote it)
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("FLK994", 3, 1, "rename old"),
        ("FLK995", 3, 1, "rename new"),
        ("FLK994", 4, 7, "rename old"),
    ]  # fmt: skip
    assert sorted((f.code, f.line) for f in result.fixed) == [
        ("FLK994", 3), ("FLK994", 4), ("FLK995", 3)
    ]  # fmt: skip
    # fixes that need one another: the first carries the whole change, the others none
    first, *others = sorted(result.fixed, key=lambda f: (f.line, f.column, f.code))
    assert edits_between(source.decode(), result.new_source.decode()) == first.edits
    assert all(f.edits == () for f in others)
    assert [(f.code, f.message) for f in result.remaining] == [
        ("FLK995", "look at newer"), ("FLK995", "look at newer")
    ]  # fmt: skip
