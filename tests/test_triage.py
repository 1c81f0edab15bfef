"""The stdlib-ast triage decides which files LibCST sees; it may only skip sure misses."""

from __future__ import annotations

import ast

import pytest

from flask_fix.codemods import rule_by_code
from flask_fix.project import index_from_sources
from flask_fix.triage import rules_for_module


IMPORTS = "import json\nfrom flask import redirect, request\n"


def triaged(source: str, *codes: str, imports: str = IMPORTS) -> list[str]:
    source = imports + source
    rules = [rule_by_code(c) for c in codes]
    return [r.code for r in rules_for_module(source.encode(), ast.parse(source), rules)]


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ("from flask import request\n", ["FLK103"]),
        ("import flask.globals as g\n", ["FLK103"]),
        ("def view():\n    from flask import request\n", ["FLK103"]),  # anywhere counts
        ("from .compat import request\n", []),  # the rule would not resolve it either
        ("from django.http import request\n", []),
    ],
)
def test_rules_need_their_module_imported(imports, expected):
    assert triaged("n = int(request.args['n'])\n", "FLK103", imports=imports) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = json.loads(request.data)", ["FLK104"]),
        ("x = json.loads(flask.request.get_data(as_text=True))", ["FLK104"]),
        ("x = json.loads(payload)", []),  # not the request body
        ("x = json.dumps(request.data)", []),  # trigger text, but no loads call
        ("x = 'loads of text'", []),
    ],
)
def test_loads_calls_on_the_request_body(source, expected):
    assert triaged(source, "FLK104") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("n = int(request.args.get('n', 1))", ["FLK103"]),
        ("n = float(request.form['n'])", ["FLK103"]),
        ("n = int(request.values.get('n') or 2)", ["FLK103"]),
        ("n = request.args.get('n', 1, int)", ["FLK103"]),
        ("n = request.args.get('n', type=int)", []),  # already right
        ("n = int(x.args.get('n'))", ["FLK103"]),  # shape only: resolution is LibCST's
        ("n = int(sum(counts.values()))", []),
        ("n = int(request.args)", []),
        ("n = int(count)\nflag = request.args", []),
    ],
)
def test_casts_of_request_data(source, expected):
    assert triaged(source, "FLK103") == expected


def test_a_rule_about_views_skips_modules_without_views():
    rule = rule_by_code("FLK101")
    index = index_from_sources(
        {
            "views.py": "from flask import Flask\napp = Flask(__name__)\n"
            "@app.route('/')\ndef home(): ...\n",
            "helpers.py": "import json\ndef dump(x): return json.dumps(x)\n",
        }
    )
    assert rule.could_fire_in("views.py", index)
    assert not rule.could_fire_in("helpers.py", index)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("r = redirect('/login')", ["FLK102"]),
        ("r = redirect(location='/login', code=301)", ["FLK102"]),
        ("r = redirect(f'/u/{uid}')", ["FLK102"]),
        ("r = redirect('/u/%d' % uid)", ["FLK102"]),
        ("r = redirect('/u/' + str(uid) + '/edit')", ["FLK102"]),
        ("r = redirect('/u/{}'.format(uid))", ["FLK102"]),
        ("r = redirect('https://example.com/')", []),
        ("r = redirect('//cdn.example.com/x')", []),
        ("r = redirect(url_for('login'))", []),
        ("r = redirect(next_url)", []),
        ("r = redirect(f'{base}/login')", []),
    ],
)
def test_redirects_to_literal_paths(source, expected):
    assert triaged(source, "FLK102") == expected
