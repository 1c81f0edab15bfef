"""The CI and bot outputs: SARIF 2.1.0 (validated against the official schema), GitHub
workflow commands, reviewdog rdjson (UTF-8 byte columns). Renderers on hand-made
findings, then the real CLI in a subprocess."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

from flask_fix import __version__
from flask_fix.codemods import all_rules, rule_by_code
from flask_fix.output.formats import (
    SARIF_SCHEMA,
    byte_column,
    github_lines,
    rdjson_document,
    render,
    sarif_document,
    source_lines,
)
from flask_fix.model import Edit, ErrorKind, FileError, Finding, FixLevel

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())


def validate_sarif(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


# -- renderers ---------------------------------------------------------------------------

# a line with two-byte (é) and three-byte (☕) characters before the finding
LINE = 'note = "café ☕"; item = json.loads(request.data)'
FINDING = Finding(
    code="FLK104",
    name="json-loads-request",
    message="use get_json",
    path="app.py",
    line=2,
    column=25,
    end_line=2,
    end_column=49,
    fix_level=FixLevel.INTENDED,
    edits=(
        Edit(1, 1, 2, 1, ""),
        Edit(2, 25, 2, 48, "request.get_json(force=True"),
    ),
    has_fix=True,
)
LINES = ["import json", LINE, ""]


def test_byte_columns_count_utf8_bytes():
    assert LINE[24:48] == "json.loads(request.data)"
    assert byte_column(LINES, 2, 25) == 28  # é is 2 bytes, ☕ is 3
    assert byte_column(LINES, 2, 1) == 1
    assert byte_column(["a𐐀b"], 1, 3) == 6  # the proto's own example: 𐐀 is 4 bytes
    # past the text (an edit ending at the start of the line after the last): as is
    assert byte_column(LINES, 4, 1) == 1
    assert byte_column(None, 2, 25) == 25


def test_rdjson_document_exact():
    error = FileError("broken.py", ErrorKind.SYNTAX, "invalid syntax", 3)
    unreadable = FileError("gone.py", ErrorKind.READ, "cannot read file: denied")
    document = rdjson_document([FINDING], [error, unreadable], lambda path: LINES)
    assert document == {
        "source": {"name": "flask-fix"},
        "severity": "WARNING",
        "diagnostics": [
            {
                "message": "use get_json",
                "location": {
                    "path": "app.py",
                    "range": {"start": {"line": 2, "column": 28}, "end": {"line": 2, "column": 52}},
                },
                "severity": "WARNING",
                "code": {"value": "FLK104"},
                # the edit on the finding's own line first: reviewdog anchors on it
                "suggestions": [
                    {
                        "range": {
                            "start": {"line": 2, "column": 28},
                            "end": {"line": 2, "column": 51},
                        },
                        "text": "request.get_json(force=True",
                    },
                    {
                        "range": {
                            "start": {"line": 1, "column": 1},
                            "end": {"line": 2, "column": 1},
                        },
                        "text": "",
                    },
                ],
            },
            {
                "message": "syntax-error: invalid syntax",
                "location": {"path": "broken.py", "range": {"start": {"line": 3}}},
                "severity": "ERROR",
                "code": {"value": "syntax-error"},
            },
            {
                "message": "read-error: cannot read file: denied",
                "location": {"path": "gone.py"},
                "severity": "ERROR",
                "code": {"value": "read-error"},
            },
        ],
    }


def test_rdjson_without_edits_has_no_suggestions():
    report_only = Finding("FLK104", "json-loads-request", "m", "a.py", 1, 1, 1, 5, FixLevel.REPORT)
    [diagnostic] = rdjson_document([report_only], [], lambda path: None)["diagnostics"]
    assert "suggestions" not in diagnostic
    assert diagnostic["location"]["range"] == {
        "start": {"line": 1, "column": 1},
        "end": {"line": 1, "column": 5},
    }


def test_github_lines_escape_data_and_properties():
    tricky = Finding(
        code="FLK102",
        name="literal-redirect",
        message="100% sure\r\nsecond line: a, b",
        path="odd,dir/a:b.py",
        line=3,
        column=5,
        end_line=3,
        end_column=9,
        fix_level=FixLevel.REPORT,
    )
    multi_line = Finding(
        "FLK101", "json-dumps-response", "m", "v.py", 4, 12, 6, 2, FixLevel.INTENDED
    )
    errors = [
        FileError("broken.py", ErrorKind.SYNTAX, "invalid syntax", 1),
        FileError("bin.py", ErrorKind.DECODE, "binary file, not Python source"),
    ]
    assert github_lines([tricky, multi_line], errors) == [
        (
            "::warning file=odd%2Cdir/a%3Ab.py,line=3,col=5,endLine=3,endColumn=9,title=FLK102"
            "::100%25 sure%0D%0Asecond line: a, b"
        ),
        # across lines GitHub takes no columns
        "::warning file=v.py,line=4,endLine=6,title=FLK101::m",
        "::error file=broken.py,line=1,title=syntax-error::invalid syntax",
        "::error file=bin.py,title=decode-error::binary file, not Python source",
    ]
    assert render("github", __version__, 1, [], [], lambda path: None) == ""


def test_sarif_document_exact_for_one_rule():
    rule = rule_by_code("FLK104")
    report_only = Finding(
        "FLK104", "json-loads-request", "only reported", "sub dir/b.py", 7, 3, 8, 1, FixLevel.REPORT
    )
    error = FileError("broken.py", ErrorKind.SYNTAX, "invalid syntax", 1)
    log = sarif_document("9.9", [FINDING, report_only], [error], rules=[rule])
    validate_sarif(log)
    sections = rule.doc_sections()
    assert log == {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flask-fix",
                        "version": "9.9",
                        "rules": [
                            {
                                "id": "FLK104",
                                "name": "json-loads-request",
                                "shortDescription": {
                                    "text": "Parse request bodies with request.get_json(), not json.loads.",
                                    "markdown": rule.summary,
                                },
                                "fullDescription": {"text": sections["What it does"]},
                                "help": {
                                    "text": rule.documentation(),
                                    "markdown": log["runs"][0]["tool"]["driver"]["rules"][0][
                                        "help"
                                    ]["markdown"],
                                },
                                "defaultConfiguration": {"level": "warning"},
                                "properties": {"fix_level": "intended"},
                            }
                        ],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": False,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": "invalid syntax"},
                                "descriptor": {"id": "syntax-error"},
                                "locations": [
                                    {
                                        "physicalLocation": {
                                            "artifactLocation": {"uri": "broken.py"},
                                            "region": {"startLine": 1},
                                        }
                                    }
                                ],
                            }
                        ],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": "FLK104",
                        "ruleIndex": 0,
                        "level": "warning",
                        "message": {"text": "use get_json"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "app.py"},
                                    "region": {
                                        "startLine": 2,
                                        "startColumn": 25,
                                        "endLine": 2,
                                        "endColumn": 49,
                                    },
                                }
                            }
                        ],
                        "fixes": [
                            {
                                "description": {
                                    "text": "intended fix: flask-fix applies it by default"
                                },
                                "artifactChanges": [
                                    {
                                        "artifactLocation": {"uri": "app.py"},
                                        "replacements": [
                                            {
                                                "deletedRegion": {
                                                    "startLine": 1,
                                                    "startColumn": 1,
                                                    "endLine": 2,
                                                    "endColumn": 1,
                                                },
                                                "insertedContent": {"text": ""},
                                            },
                                            {
                                                "deletedRegion": {
                                                    "startLine": 2,
                                                    "startColumn": 25,
                                                    "endLine": 2,
                                                    "endColumn": 48,
                                                },
                                                "insertedContent": {
                                                    "text": "request.get_json(force=True"
                                                },
                                            },
                                        ],
                                    }
                                ],
                            }
                        ],
                        "properties": {"fix_level": "intended"},
                    },
                    {
                        "ruleId": "FLK104",
                        "ruleIndex": 0,
                        "level": "warning",
                        "message": {"text": "only reported"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    # a relative URI reference: the space percent-encoded
                                    "artifactLocation": {"uri": "sub%20dir/b.py"},
                                    "region": {
                                        "startLine": 7,
                                        "startColumn": 3,
                                        "endLine": 8,
                                        "endColumn": 1,
                                    },
                                }
                            }
                        ],
                        "properties": {"fix_level": "report"},
                    },
                ],
            }
        ],
    }
    markdown = log["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
    assert markdown.startswith("**What it does**\n\n" + sections["What it does"] + "\n\n")
    assert f"**Example**\n\n```python\n{sections['Example']}\n```" in markdown


def test_sarif_unsafe_fix_and_absolute_path_and_clean_run():
    unsafe = Finding(
        "FLK103",
        "request-args-cast",
        "m",
        os.path.abspath("x.py"),
        1,
        1,
        1,
        2,
        FixLevel.UNSAFE,
        edits=(Edit(1, 1, 1, 2, "y"),),
        has_fix=True,
    )
    log = sarif_document("1", [unsafe], [])
    validate_sarif(log)
    [run] = log["runs"]
    [result] = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        Path(os.path.abspath("x.py")).as_uri()
    )
    assert result["fixes"][0]["description"]["text"] == (
        "unsafe fix: flask-fix applies it only with --unsafe-fixes"
    )
    assert result["ruleIndex"] == [r.code for r in all_rules()].index("FLK103")
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]

    clean = sarif_document("1", [], [])
    validate_sarif(clean)
    assert clean["runs"][0]["results"] == []


def test_the_schema_check_is_real():
    log = sarif_document("1", [FINDING], [])
    log["runs"][0]["results"][0]["level"] = "warn"  # not a SARIF level
    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(log)


def test_source_lines_split_like_the_findings():
    assert source_lines(b"a\r\nb\n") == ["a\r", "b", ""]
    assert source_lines(b"\xef\xbb\xbfx = 1\n") == ["x = 1", ""]  # BOM not a character
    assert source_lines(b"\x00binary") is None


# -- the command line ----------------------------------------------------------------------

APP = textwrap.dedent(
    """\
    import json
    from flask import Flask, request

    app = Flask(__name__)


    @app.post("/items")
    def create_item():
        note = "café ☕"; item = json.loads(request.data)
        return {"name": item["name"], "note": note}
    """
)
REPORT_ONLY = textwrap.dedent(
    """\
    import json
    from flask import request


    def parse():
        return json.loads(request.data, parse_float=str)
    """
)
BROKEN = "def f(:\n"


def flask_fix(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    # only the rule the fixtures are about: other rules must not change these exact outputs
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", "--select", "FLK104", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "report.py").write_text(REPORT_ONLY)
    (tmp_path / "broken.py").write_text(BROKEN)
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def syntax_message() -> str:
    try:
        ast.parse(BROKEN)
    except SyntaxError as exc:
        return exc.msg
    raise AssertionError("BROKEN parses")


def json_findings(project: Path) -> list[dict]:
    """The JSON contract's findings: the other formats must translate exactly these."""
    result = flask_fix("--check", "--output-format", "json", ".", cwd=project)
    return json.loads(result.stdout)["findings"]


def test_cli_sarif(project: Path):
    app_finding, report_finding = json_findings(project)
    result = flask_fix("--check", "--output-format", "sarif", ".", cwd=project)
    assert result.returncode == 3
    assert result.stderr.decode().endswith("1 file skipped: syntax error\n")
    log = json.loads(result.stdout)
    validate_sarif(log)
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("flask-fix", __version__)
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules()]
    index = [r.code for r in all_rules()].index("FLK104")

    def location(uri: str, line: int, column: int, end_line: int, end_column: int) -> list:
        region = {
            "startLine": line,
            "startColumn": column,
            "endLine": end_line,
            "endColumn": end_column,
        }
        return [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}]

    assert run["results"] == [
        {
            "ruleId": "FLK104",
            "ruleIndex": index,
            "level": "warning",
            "message": {"text": app_finding["message"]},
            # character columns: "café ☕" counts 6 characters
            "locations": location("app.py", 9, 29, 9, 53),
            "fixes": [
                {
                    "description": {"text": "intended fix: flask-fix applies it by default"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": "app.py"},
                            "replacements": [
                                {
                                    "deletedRegion": location("", 1, 1, 2, 1)[0][
                                        "physicalLocation"
                                    ]["region"],
                                    "insertedContent": {"text": ""},
                                },
                                {
                                    "deletedRegion": location("", 9, 29, 9, 52)[0][
                                        "physicalLocation"
                                    ]["region"],
                                    "insertedContent": {"text": "request.get_json(force=True"},
                                },
                            ],
                        }
                    ],
                }
            ],
            "properties": {"fix_level": "intended"},
        },
        {
            "ruleId": "FLK104",
            "ruleIndex": index,
            "level": "warning",
            "message": {"text": report_finding["message"]},
            "locations": location(
                "report.py",
                6,
                12,
                report_finding["end_line"],
                report_finding["end_column"],
            ),
            "properties": {"fix_level": "report"},
        },
    ]
    assert run["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": syntax_message()},
                    "descriptor": {"id": "syntax-error"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "broken.py"},
                                "region": {"startLine": 1},
                            }
                        }
                    ],
                }
            ],
        }
    ]


def test_cli_github(project: Path):
    app_finding, report_finding = json_findings(project)
    result = flask_fix("--check", "--output-format", "github", ".", cwd=project)
    assert result.returncode == 3
    assert result.stdout.decode() == (
        "::warning file=app.py,line=9,col=29,endLine=9,endColumn=53,title=FLK104::"
        f"{app_finding['message']}\n"
        f"::warning file=report.py,line=6,col=12,endLine=6,"
        f"endColumn={report_finding['end_column']},title=FLK104::{report_finding['message']}\n"
        f"::error file=broken.py,line=1,title=syntax-error::{syntax_message()}\n"
    )


def test_cli_rdjson(project: Path):
    app_finding, report_finding = json_findings(project)
    result = flask_fix("--check", "--output-format", "rdjson", ".", cwd=project)
    assert result.returncode == 3
    # UTF-8 byte columns: "café ☕" is 6 characters and 9 bytes
    assert json.loads(result.stdout) == {
        "source": {"name": "flask-fix"},
        "severity": "WARNING",
        "diagnostics": [
            {
                "message": app_finding["message"],
                "location": {
                    "path": "app.py",
                    "range": {"start": {"line": 9, "column": 32}, "end": {"line": 9, "column": 56}},
                },
                "severity": "WARNING",
                "code": {"value": "FLK104"},
                "suggestions": [
                    {
                        "range": {
                            "start": {"line": 9, "column": 32},
                            "end": {"line": 9, "column": 55},
                        },
                        "text": "request.get_json(force=True",
                    },
                    {
                        "range": {
                            "start": {"line": 1, "column": 1},
                            "end": {"line": 2, "column": 1},
                        },
                        "text": "",
                    },
                ],
            },
            {
                "message": report_finding["message"],
                "location": {
                    "path": "report.py",
                    "range": {
                        "start": {"line": 6, "column": 12},
                        "end": {"line": 6, "column": report_finding["end_column"]},
                    },
                },
                "severity": "WARNING",
                "code": {"value": "FLK104"},
            },
            {
                "message": f"syntax-error: {syntax_message()}",
                "location": {"path": "broken.py", "range": {"start": {"line": 1}}},
                "severity": "ERROR",
                "code": {"value": "syntax-error"},
            },
        ],
    }


def test_cli_rdjson_from_stdin_uses_the_given_text():
    result = flask_fix(
        "--check", "--output-format", "rdjson", "-", cwd=Path.cwd(), stdin=APP.encode()
    )
    assert result.returncode == 1
    [diagnostic] = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["location"] == {
        "path": "-",
        "range": {"start": {"line": 9, "column": 32}, "end": {"line": 9, "column": 56}},
    }


@pytest.mark.parametrize("output_format", ["sarif", "github", "rdjson"])
def test_exit_codes_do_not_depend_on_the_format(project: Path, output_format: str):
    def exit_code(*paths: str) -> int:
        run = flask_fix("--check", "--output-format", output_format, *paths, cwd=project)
        if paths == ("clean.py",) and output_format == "github":
            assert run.stdout == b""
        return run.returncode

    assert exit_code("clean.py") == 0
    assert exit_code("app.py") == 1
    assert exit_code("broken.py") == 2
    assert exit_code("app.py", "broken.py") == 3


def test_writing_mode_reports_what_is_left(project: Path):
    (project / "broken.py").unlink()
    result = flask_fix("--output-format", "sarif", ".", cwd=project)
    assert result.returncode == 1
    assert (project / "app.py").read_text(encoding="utf-8") == APP.replace(
        "import json\n", ""
    ).replace("json.loads(request.data)", "request.get_json(force=True)")
    log = json.loads(result.stdout)
    validate_sarif(log)
    assert [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["properties"])
        for r in log["runs"][0]["results"]
    ] == [("report.py", {"fix_level": "report"})]
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
