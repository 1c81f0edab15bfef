"""FLK101 json-dumps-response: what the generic example tests do not cover.

Most tests pass a hand-built index naming the views, so they check the rule alone; the
last ones go through the real project index.
"""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import Edit, FixLevel
from flask_fix.index.project import ProjectIndex, index_from_sources

PATH = "app.py"


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(source: str, *views: str, path: str = PATH, index: ProjectIndex | None = None):
    if index is None:
        index = ProjectIndex(views=frozenset((path, view) for view in views))
    return fix_code(source, path=path, select=("FLK101",), index=index)


def apply_edits(source: str, edits: tuple[Edit, ...]) -> str:
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        begin, end = offset(edit.line, edit.column), offset(edit.end_line, edit.end_column)
        source = source[:begin] + edit.content + source[end:]
    return source


SIMPLE = code("""
    import json
    from flask import Flask

    app = Flask(__name__)

    @app.route("/users")
    def users():
        return json.dumps({"users": []}), 200
""")


def test_finding_fields():
    result = run(SIMPLE, "users")
    [finding] = result.findings
    assert finding.code == "FLK101"
    assert finding.name == "json-dumps-response"
    assert finding.path == PATH
    assert (finding.line, finding.column) == (8, 12)  # the json.dumps call
    assert (finding.end_line, finding.end_column) == (8, 37)
    assert finding.fix_level is FixLevel.INTENDED
    assert finding.has_fix
    assert finding.message == (
        "return `jsonify(...)` instead of `json.dumps(...)`: "
        "the response's Content-Type becomes application/json"
    )
    assert result.remaining == []


def test_edits_apply_the_fix_alone():
    result = run(SIMPLE, "users")
    [finding] = result.findings
    assert result.source == SIMPLE.replace(
        "import json\nfrom flask import Flask", "from flask import Flask, jsonify"
    ).replace("json.dumps(", "jsonify(")
    # the import line and the returned call, nothing else
    assert {e.line for e in finding.edits} <= {1, 2, 8}
    assert apply_edits(SIMPLE, finding.edits) == result.source


def test_only_views_change():
    source = code("""
        import json
        from flask import Flask

        app = Flask(__name__)

        def audit_line(event):
            return json.dumps({"event": event})

        @app.route("/a")
        def a():
            return json.dumps({"a": 1})

        @app.route("/b")
        def b():
            app.logger.info(audit_line("b"))
            return json.dumps({"b": 2}), 201
    """)
    result = run(source, "a", "b")
    assert result.source == code("""
        import json
        from flask import Flask, jsonify

        app = Flask(__name__)

        def audit_line(event):
            return json.dumps({"event": event})

        @app.route("/a")
        def a():
            return jsonify({"a": 1})

        @app.route("/b")
        def b():
            app.logger.info(audit_line("b"))
            return jsonify({"b": 2}), 201
    """)
    assert [f.line for f in result.findings] == [11, 16]


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("json.dumps(data, indent=2)", "jsonify has no `indent=`; it writes compact JSON"),
        (
            "json.dumps(data, default=str)",
            "jsonify has no `default=`; it encodes other types",
        ),
        ("json.dumps(data, cls=Encoder)", "jsonify has no `cls=`; move the encoder's"),
        ("json.dumps(data, ensure_ascii=False)", "`app.json.ensure_ascii` sets it"),
        ("json.dumps(data, allow_nan=False)", "jsonify has no `allow_nan=`; a custom JSON"),
        ("json.dumps(data, sort_keys=True, **options)", "unpacked (`**`)"),
        ("json.dumps(*args)", "unpacked (`*`)"),
        ("json.dumps(data, True)", "no further positional arguments"),
    ],
)
def test_arguments_jsonify_cannot_take_are_reported(call, reason):
    source = code(f"""
        import json
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def index(data, args, options):
            return {call}
    """)
    result = run(source, "index")
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT and not finding.has_fix
    assert finding.edits is None
    assert finding.message.startswith(
        "return `jsonify(...)` instead of `json.dumps(...)`: the response's Content-Type "
        "becomes application/json; not rewritten: "
    )
    assert reason in finding.message
    assert result.remaining == result.findings


def test_dropped_layout_arguments_are_named_in_the_message():
    source = SIMPLE.replace("[]})", "[]}, sort_keys=True)")
    [finding] = run(source, "users").findings
    assert finding.message.endswith(
        "(`sort_keys=` dropped: jsonify sorts keys and writes compact JSON itself)"
    )


def test_a_user_jsonify_is_reported_not_called():
    source = code("""
        import json
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def index(jsonify):
            return json.dumps({"ok": True})
    """)
    result = run(source, "index")
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "`jsonify` here is not flask.jsonify" in finding.message


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # a trailing comma and the closing newline survive
        (
            "json.dumps(\n        payload,\n        sort_keys=True,\n    )",
            "jsonify(\n        payload,\n    )",
        ),
        ("json.dumps(obj=payload)", "jsonify(payload)"),
        ("json.dumps( payload )", "jsonify( payload )"),
    ],
)
def test_argument_layout(before, after):
    template = code("""
        import json
        from flask import Flask, jsonify

        app = Flask(__name__)

        @app.route("/")
        def index(payload):
            return CALL
    """)
    result = run(template.replace("CALL", before), "index")
    assert result.source == template.replace("import json\n", "").replace("CALL", after)


@pytest.mark.parametrize(
    ("imports", "call", "new_imports", "new_call"),
    [
        ("import json\nimport flask", "json.dumps(x)", "import flask", "flask.jsonify(x)"),
        (
            "from flask import Flask, json",
            "json.dumps(x)",
            "from flask import Flask, jsonify",
            "jsonify(x)",
        ),
        ("import flask", "flask.json.dumps(x)", "import flask", "flask.jsonify(x)"),
        (
            "import json\nimport flask as f\nfrom flask import make_response",
            "make_response(json.dumps(x), 201)",
            "import flask as f\nfrom flask import make_response",
            "make_response(f.jsonify(x), 201)",
        ),
    ],
)
def test_name_resolution(imports, call, new_imports, new_call):
    template = "{}\n\napp = Flask(__name__)\n\n@app.route('/')\ndef index(x):\n    return {}\n"
    result = run(template.format(imports, call), "index")
    assert result.source == template.format(new_imports, new_call)


@pytest.mark.parametrize(
    "returned",
    [
        "make_response(json.dumps(x), 201)",  # the module's own make_response
        "json.dumps(x), 1, 2, 3",  # not a (body, status, headers) tuple
        "'a' + json.dumps(x)",
        "json.dumps(x).encode()",
        "json.dumps()",
    ],
)
def test_untouched_in_a_view(returned):
    source = code(f"""
        import json
        from flask import Flask

        app = Flask(__name__)

        def make_response(body, status):
            return body

        @app.route("/")
        def index(x):
            return {returned}
    """)
    result = run(source, "index")
    assert result.source == source
    assert result.findings == []


def test_qualified_names_of_nested_views():
    source = code("""
        import json
        from flask import Flask
        from flask.views import MethodView

        def create_app():
            app = Flask(__name__)

            @app.route("/")
            async def index():
                def helper():
                    return json.dumps(1)
                return json.dumps(helper())

            class Item(MethodView):
                def get(self):
                    return json.dumps(2)

            app.add_url_rule("/item", view_func=Item.as_view("item"))
            return app
    """)
    views = ("create_app.<locals>.index", "create_app.<locals>.Item.get")
    # the qualified names the rule computes are the ones the project index records
    assert index_from_sources({PATH: source}).views == {(PATH, view) for view in views}
    result = run(source, *views)
    assert [f.line for f in result.findings] == [12, 16]
    assert "return json.dumps(1)" in result.source
    assert "return jsonify(helper())" in result.source
    assert "return jsonify(2)" in result.source


# -- through the real project index ---------------------------------------------------

VIEWS = code("""
    import json

    def list_users():
        return json.dumps({"users": []}), 200

    def user_count():
        return json.dumps(0)
""")
APP = code("""
    from flask import Flask

    from shop.views import list_users

    app = Flask(__name__)
    app.add_url_rule("/users", view_func=list_users)
""")


def test_view_registered_with_add_url_rule_in_another_module():
    index = index_from_sources({"shop/__init__.py": "", "shop/app.py": APP, "shop/views.py": VIEWS})
    result = run(VIEWS, path="shop/views.py", index=index)
    assert result.source == code("""
        import json

        from flask import jsonify

        def list_users():
            return jsonify({"users": []}), 200

        def user_count():
            return json.dumps(0)
    """)
    assert [(f.path, f.line, f.fix_level) for f in result.findings] == [
        ("shop/views.py", 4, FixLevel.INTENDED)
    ]


def test_same_module_alone_is_not_a_view():
    # without the module that registers it, nothing says `list_users` is a view
    result = fix_code(VIEWS, path="shop/views.py", select=("FLK101",))
    assert result.source == VIEWS
    assert result.findings == []
