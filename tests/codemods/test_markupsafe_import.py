"""FLK702 markupsafe-import: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

import markupsafe
import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(source: str, **options):
    return fix_code(source, path="app.py", select=("FLK702",), **options)


def test_finding_fields():
    result = run("from flask import Flask, escape\n")
    [finding] = result.findings
    assert (finding.code, finding.name, finding.line, finding.column) == (
        "FLK702",
        "markupsafe-import",
        1,
        1,
    )
    assert finding.fix_level is FixLevel.SAFE
    assert finding.message == (
        "`escape` was removed from flask in Flask 3.0: import from `markupsafe`"
    )


def test_fixed_code_runs_on_flask_3():
    before = code("""
        import flask
        from flask import Flask, Markup, escape

        app = Flask(__name__)
        label = Markup("<b>{}</b>").format(escape("<i>")) + flask.Markup("!")
    """)
    with pytest.raises(ImportError, match="Markup"):
        exec(compile(before, "app.py", "exec"), {})
    after = run(before).source
    # `import flask` served only flask.Markup: it goes
    assert after == code("""
        import markupsafe
        from flask import Flask
        from markupsafe import Markup, escape

        app = Flask(__name__)
        label = Markup("<b>{}</b>").format(escape("<i>")) + markupsafe.Markup("!")
    """)
    namespace: dict = {"__name__": "fixed_app"}
    exec(compile(after, "app.py", "exec"), namespace)
    assert namespace["label"] == markupsafe.Markup("<b>&lt;i&gt;</b>!")


def test_a_shared_line_inside_a_block_is_reported():
    source = code("""
        def page():
            from flask import Markup, url_for; x = 1
            return Markup(url_for("index")), x
    """)
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "the line holds other statements" in finding.message


def test_parenthesized_import_keeps_the_other_names_as_written():
    source = code("""
        from flask import (
            Flask,
            Markup,
            render_template,
        )
    """)
    assert run(source).source == code("""
        from flask import (
            Flask,
            render_template,
        )
        from markupsafe import Markup
    """)


def test_star_import_and_other_modules_are_left_alone():
    source = "from flask import *\nfrom jinja2 import Markup\nfrom flask_wtf import Markup as M\n"
    result = run(source)
    assert (result.source, result.findings) == (source, [])


def test_unused_import_flask_goes_but_a_used_one_stays():
    source = "import flask\n\nsafe = flask.escape('<')\napp = flask.Flask(__name__)\n"
    assert run(source).source == (
        "import flask\nimport markupsafe\n\nsafe = markupsafe.escape('<')\n"
        "app = flask.Flask(__name__)\n"
    )
