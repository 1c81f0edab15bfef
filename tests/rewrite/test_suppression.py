"""Suppression comments: `# noqa`, `# flask-fix: ignore[...]`, `# flask-fix: skip-file`."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from flask_fix.rewrite.base import Fix, Rule
from flask_fix.codemods.json_dumps_response import JsonDumpsResponse
from flask_fix.run.engine import SourceResult, fix_source
from flask_fix.model import FixLevel
from flask_fix.index.project import ProjectIndex, index_from_sources
from flask_fix.rewrite.suppression import ALL, comment_codes, skips_file

JSONIFY = "`jsonify(...)` instead of `json.dumps(...)`"


@pytest.mark.parametrize(
    "comment, codes",
    [
        ("# noqa", ALL),
        ("#noqa", ALL),
        ("# NOQA", ALL),
        ("# noqa: FLK101", {"FLK101"}),
        ("# noqa:FLK101,FLK103", {"FLK101", "FLK103"}),
        ("# noqa: FLK101 FLK103", {"FLK101", "FLK103"}),
        ("# noqa: E501, flk101", {"E501", "FLK101"}),
        ("# noqa: FLK1 because reasons", {"FLK1"}),
        ("# noqa E501", ALL),  # no colon: every code, as flake8 and ruff read it
        ("# noqa:", ALL),
        ("# type: ignore  # noqa: FLK102", {"FLK102"}),
        ("# flask-fix: ignore[FLK101]", {"FLK101"}),
        ("# flask-fix: ignore[FLK101, FLK102]", {"FLK101", "FLK102"}),
        ("# flask-fix:ignore[ FLK101 ]", {"FLK101"}),
        ("# flask-fix: ignore", ALL),
        ("# flask-fix: ignore[]", set()),
        ("# noqa: E501  # flask-fix: ignore[FLK104]", {"E501", "FLK104"}),
        ("# noqas are great", set()),
        ("# see the noqa docs", set()),
        ("# flask-fix: skip-file", set()),
    ],
)
def test_comment_codes(comment: str, codes):
    found = comment_codes(comment)
    assert found is ALL if codes is ALL else found == frozenset(codes)


@pytest.mark.parametrize(
    "source, skipped",
    [
        (b"# flask-fix: skip-file\nimport json\n", True),
        (
            b"#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n#   flask-fix:skip-file\nx = 1\n",
            True,
        ),
        (b"# Flask-Fix: Skip-File\n", False),  # our directives are lower case
        (b"\xef\xbb\xbf# flask-fix: skip-file\r\nx = 1\r\n", True),
        (b"# generated  # flask-fix: skip-file\n", True),
        (b'"""Docstring."""\n# flask-fix: skip-file\n', False),  # after the first statement
        (b"x = 1\n# flask-fix: skip-file\n", False),
        (b'x = "# flask-fix: skip-file"\n', False),
        (b"# flask-fix: skip-files-later\n", False),
        (b"# flask-fix: ignore\n", False),
    ],
)
def test_skip_file_only_in_the_leading_comment_block(source: bytes, skipped: bool):
    assert skips_file(source) is skipped


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


_TWO_VIEWS = code(
    """
    import json
    from flask import Flask

    app = Flask(__name__)


    @app.route("/a")
    def a():
        return json.dumps({"a": 1})<comment>


    @app.route("/b")
    def b():
        return json.dumps({"b": 2})
    """
)


def fix_views(source: str, apply: bool = True) -> tuple[str, SourceResult]:
    """FLK101 alone over `source` as views.py, the project being that one module."""
    index = index_from_sources({"views.py": source})
    result = fix_source(source.encode(), "views.py", [JsonDumpsResponse], index, apply=apply)
    return result.new_source.decode(), result


def two_views(comment: str) -> str:
    """Two views returning json.dumps; `comment` follows the first one's return."""
    return _TWO_VIEWS.replace("<comment>", comment)


@pytest.mark.parametrize(
    "comment",
    [
        "  # noqa",
        "  # noqa: FLK101",
        "  # noqa: E501, FLK101",
        "  # noqa: FLK103 FLK101",
        "  # noqa: FLK1",
        "  # flask-fix: ignore[FLK101]",
        "  # flask-fix: ignore[FLK102, FLK101]",
        "  # flask-fix: ignore",
    ],
)
def test_a_suppressed_finding_is_neither_reported_nor_fixed_its_sibling_is(comment: str):
    source = two_views(comment)
    fixed, result = fix_views(source)
    assert fixed == source.replace(
        "from flask import Flask\n", "from flask import Flask, jsonify\n"
    ).replace('return json.dumps({"b": 2})', 'return jsonify({"b": 2})')
    # `import json` stays: the suppressed view still uses it
    assert fixed.startswith("import json\n")
    assert [(f.code, f.line) for f in result.findings] == [("FLK101", 14)]
    assert result.remaining == []


@pytest.mark.parametrize(
    "comment",
    [
        "  # noqa: E501",  # another tool's code only
        "  # noqa: FLK102",  # another rule
        "  # flask-fix: ignore[FLK104]",
        '\n    x = "# noqa"',  # not a comment: inside a string
        "  # reviewed, no noqa needed",  # `noqa` not right after the `#`
    ],
)
def test_comments_that_do_not_name_the_finding_change_nothing(comment: str):
    source = two_views(comment)
    fixed, result = fix_views(source)
    moved = 1 if comment.startswith("\n") else 0  # a line added above the second view
    assert [(f.code, f.line) for f in result.findings] == [("FLK101", 9), ("FLK101", 14 + moved)]
    assert "json.dumps" not in fixed


def test_noqa_in_a_string_on_the_findings_line_does_not_count():
    source = two_views("").replace('json.dumps({"a": 1})', 'json.dumps({"a": "# noqa"})')
    fixed, result = fix_views(source)
    assert 'return jsonify({"a": "# noqa"})' in fixed
    assert [f.line for f in result.findings] == [9, 14]


def test_a_multi_line_finding_is_suppressed_on_its_first_or_last_line():
    first = code(
        """
        import json
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a")
        def a():
            return json.dumps(  # noqa: FLK101
                {"a": 1}
            )


        @app.route("/b")
        def b():
            return json.dumps(
                {"b": 2}
            )  # flask-fix: ignore[FLK101]


        @app.route("/c")
        def c():
            return json.dumps(
                {"c": 3},  # noqa: FLK101 (a middle line does not count)
            )
        """
    )
    fixed, result = fix_views(first)
    assert [(f.code, f.line) for f in result.findings] == [("FLK101", 23)]
    assert fixed == first.replace(
        "from flask import Flask\n", "from flask import Flask, jsonify\n"
    ).replace('return json.dumps(\n        {"c"', 'return jsonify(\n        {"c"')


def test_check_mode_reports_and_would_fix_only_the_unsuppressed():
    source = two_views("  # noqa: FLK101")
    fixed, result = fix_views(source, apply=False)
    assert fixed == source
    assert [f.line for f in result.findings] == [14]
    assert [f.line for f in result.fixed] == [14]


def test_skip_file_is_neither_reported_nor_fixed():
    source = "# flask-fix: skip-file\n" + two_views("")
    fixed, result = fix_views(source)
    assert (fixed, result.findings, result.remaining, result.fixed) == (source, [], [], [])


class _Doubler(Rule):
    """Rewrites the integer 1 to 2, 2 to 3, ... up to 5 (several passes), and adds
    `import os` on the way, which moves every line down by one after the first pass."""

    code, name, fix_level, summary = "FLK990", "test-doubler", FixLevel.SAFE, "test"
    triggers = (b"",)

    def visit_Integer(self, node: cst.Integer) -> None:
        value = int(node.value)
        if value < 5:
            fix = Fix({node: cst.Integer(str(value + 1))}, add_imports=(("os", None, None),))
            self.report(node, "bump", fix=fix)


def test_suppression_holds_in_every_pass_even_as_lines_move():
    # the `1` in the list is on a line of its own: the comment after `]` is not on it
    source = b"x = 1\ny = 1  # noqa: FLK990\nz = [\n    1,\n]  # noqa\n"
    result = fix_source(source, "m.py", [_Doubler], ProjectIndex())
    assert result.new_source == (
        b"import os\n\nx = 5\ny = 1  # noqa: FLK990\nz = [\n    5,\n]  # noqa\n"
    )
    assert [(f.line, f.message) for f in result.findings] == [(1, "bump"), (4, "bump")]
    assert result.remaining == []
