"""FLK704 removed-json-api: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(source: str, **options):
    return fix_code(source, path="app.py", select=("FLK704",), **options)


APP = code("""
    from flask import Flask, jsonify

    app = Flask(__name__)
    app.config["JSON_SORT_KEYS"] = False
    app.config["JSON_AS_ASCII"] = False
    app.config["JSONIFY_PRETTYPRINT_REGULAR"] = True
    app.config["JSONIFY_MIMETYPE"] = "application/vnd.api+json"

    @app.route("/")
    def index():
        return jsonify({"zebra": "é", "apple": 1})
""")


def _client(source: str):
    namespace = {"__name__": "json_app"}
    exec(compile(source, "app.py", "exec"), namespace)
    return namespace["app"].test_client()


def test_the_rewrite_restores_what_flask_3_ignores():
    # on Flask 3 the config lines are silently ignored
    ignored = _client(APP).get("/")
    assert ignored.data == b'{"apple":1,"zebra":"\\u00e9"}\n'
    assert ignored.mimetype == "application/json"
    expected = APP
    for line, new in (
        ('app.config["JSON_SORT_KEYS"] = False', "app.json.sort_keys = False"),
        ('app.config["JSON_AS_ASCII"] = False', "app.json.ensure_ascii = False"),
        ('app.config["JSONIFY_PRETTYPRINT_REGULAR"] = True', "app.json.compact = False"),
        ('app.config["JSONIFY_MIMETYPE"] =', "app.json.mimetype ="),
    ):
        expected = expected.replace(line, new)
    after = run(APP).source
    assert after == expected
    restored = _client(after).get("/")
    assert restored.data.decode() == '{\n  "zebra": "é",\n  "apple": 1\n}\n'
    assert restored.mimetype == "application/vnd.api+json"


def test_finding_fields():
    result = run(APP)
    first = result.findings[0]
    assert (first.code, first.name, first.fix_level) == (
        "FLK704",
        "removed-json-api",
        FixLevel.INTENDED,
    )
    assert (first.line, first.column) == (4, 1)
    assert first.message == (
        "Flask 2.3 ignores the config key `JSON_SORT_KEYS`: set `app.json.sort_keys`:"
        " `app.json.sort_keys = False`"
    )


@pytest.mark.parametrize(("pin", "fixed"), [((2, 1, 3), False), ((2, 2), True), (None, True)])
def test_app_json_needs_flask_2_2(pin, fixed):
    result = run(APP, flask_version=pin)
    assert (result.source != APP) is fixed
    if not fixed:
        assert {f.fix_level for f in result.findings} == {FixLevel.REPORT}
        assert "needs Flask >= 2.2" in result.findings[0].message


def test_an_app_imported_from_another_module():
    sources = {
        "shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "shop/settings.py": "from shop import app\n\napp.config['JSON_AS_ASCII'] = False\n",
        "other.py": "from helpers import app\n\napp.config['JSON_AS_ASCII'] = False\n",
    }
    index = index_from_sources(sources)
    fixed = fix_code(
        sources["shop/settings.py"], path="shop/settings.py", select=("FLK704",), index=index
    )
    assert fixed.source == "from shop import app\n\napp.json.ensure_ascii = False\n"
    unknown = fix_code(sources["other.py"], path="other.py", select=("FLK704",), index=index)
    assert unknown.source == sources["other.py"]
    assert "on the app instead" in unknown.findings[0].message


def test_forms_that_are_only_reported():
    source = code("""
        from flask import Flask

        app = Flask(__name__)
        app.config['JSON_SORT_KEYS'] = app.config['JSON_AS_ASCII'] = False
        app.config.from_mapping({'JSONIFY_MIMETYPE': 'text/json'})
        sorting = app.config['JSON_SORT_KEYS']
        pretty = app.config.get('JSONIFY_PRETTYPRINT_REGULAR')
        app.json_decoder = None
        bp_encoder = app.json_encoder
        JSON_AS_ASCII = False
    """)
    result = run(source)
    assert result.source == source
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (4, FixLevel.REPORT),
        (4, FixLevel.REPORT),
        (5, FixLevel.REPORT),
        (6, FixLevel.REPORT),
        (7, FixLevel.REPORT),
        (8, FixLevel.REPORT),
        (9, FixLevel.REPORT),
        (10, FixLevel.REPORT),
    ]


def test_a_shadowed_true_is_not_a_literal():
    source = code("""
        from flask import Flask

        app = Flask(__name__)

        def configure(True_=True):
            app.config['JSONIFY_PRETTYPRINT_REGULAR'] = True_
    """)
    result = run(source)
    assert result.source == source
    assert "only a literal value" in result.findings[0].message


def test_request_json_tested_for_none_is_reported():
    """flask-pycon2014's API blueprint answers 400 when `request.json is None`; from
    Werkzeug 2.1 `request.json` raises for a request that is not JSON (415 from 2.3), so
    its test_token_errors got 415 on today's releases. Reported, never rewritten; other
    objects' `.json`, `get_json(silent=True)` and other tests stay silent."""
    source = (
        "import flask\nfrom flask import request\n\n\ndef check(response):\n"
        "    if request.json is None:\n        return 'no', 400\n"
        "    if not flask.request.get_json():\n        return 'no', 400\n"
        "    if request.get_json(silent=True) is None or response.json is None:\n"
        "        return 'no', 400\n"
        "    if request.json == {} or not request.is_json:\n        return 'no', 400\n"
        "    return request.json.get('token')\n"
    )
    result = fix_code(source, path="api.py", select=("FLK704",))
    assert result.source == source
    assert [(f.line, f.column, f.fix_level, f.message.partition(" looks")[0]) for f in result.findings] == [
        (6, 8, FixLevel.REPORT, "`request.json is None`"),
        (8, 8, FixLevel.REPORT, "`not flask.request.get_json()`"),
    ]
    assert "415 Unsupported Media Type" in result.findings[0].message
