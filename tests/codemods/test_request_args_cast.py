"""FLK103 request-args-cast: levels, messages, try handlers, and behaviour under real Flask.

The rule's own valid/invalid examples run in test_rule_examples.py; these tests cover what
they cannot: each finding's fix level and message, which fixes apply by default, and that
the rewrite changes a real Flask view's answers exactly as RULES.md documents.
"""

from __future__ import annotations

import textwrap

import pytest
from flask import Flask

from flask_fix.codemods.request_args_cast import RequestArgsCast
from flask_fix.run.engine import fix_source
from flask_fix.index.project import ProjectIndex

HEAD = "from flask import request\n\n"


def run(source: str, unsafe: bool = False):
    source = textwrap.dedent(source)
    result = fix_source(
        source.encode(), "x.py", [RequestArgsCast], ProjectIndex(), unsafe_fixes=unsafe
    )
    return result.new_source.decode(), result.findings


def view(expr: str) -> str:
    return f"{HEAD}def view(key):\n    return {expr}\n"


@pytest.mark.parametrize(
    ("expr", "level", "message"),
    [
        (
            "int(request.args.get('page', 1))",
            "intended",
            "use `request.args.get('page', default=1, type=int)`: a malformed value gives "
            "the default instead of a 500",
        ),
        (
            "float(request.form.get('x', '2'))",
            "intended",
            "use `request.form.get('x', default=2.0, type=float)`: a malformed value gives "
            "the default instead of a 500",
        ),
        (
            "int(request.values.get(key) or '5')",
            "intended",
            "use `request.values.get(key, default=5, type=int)`: a malformed value gives "
            "the default instead of a 500",
        ),
        (
            "int(request.args.get('n', PER_PAGE))",
            "unsafe",
            "use `request.args.get('n', default=PER_PAGE, type=int)`: a malformed value gives "
            "the default instead of a 500; unsafe: `PER_PAGE` is returned as is, not "
            "converted to int",
        ),
        (
            "int(request.args.get('n'))",
            "unsafe",
            "use `request.args.get('n', type=int)`: unsafe: a missing or malformed value then "
            "gives None instead of a 500",
        ),
        (
            "int(request.form['n'])",
            "unsafe",
            "use `request.form.get('n', type=int)`: unsafe: a missing or malformed value then "
            "gives None instead of a 400 (missing) or 500 (malformed)",
        ),
        (
            "request.args.get('n', 1, int)",
            "safe",
            "use `request.args.get('n', default=1, type=int)`: keywords say which argument "
            "is the default and which the type",
        ),
        (
            "int(request.args.get('n', '1.5'))",
            "report",
            "use `request.args.get(..., default=<int>, type=int)`: the default `'1.5'` is not "
            "a number or string that converts to int, so this is only reported",
        ),
    ],
)
def test_level_and_message(expr, level, message):
    _, findings = run(view(expr))
    assert [(f.code, f.fix_level.value, f.message) for f in findings] == [
        ("FLK103", level, message)
    ]
    assert findings[0].has_fix is (level != "report")


MIXED = HEAD + """\
def view():
    a = int(request.args.get('a', '1'))
    b = int(request.args.get('b'))
    c = request.args.get('c', 0, float)
    d = int(request.args.get('d', '1.5'))
    e = int(request.args.get('e') or PER_PAGE)
"""


def test_only_safe_and_intended_fixes_apply_by_default():
    source, findings = run(MIXED)
    levels = [f.fix_level.value for f in findings]
    assert levels == ["intended", "unsafe", "safe", "report", "unsafe"]
    assert source == HEAD + """\
def view():
    a = request.args.get('a', default=1, type=int)
    b = int(request.args.get('b'))
    c = request.args.get('c', default=0, type=float)
    d = int(request.args.get('d', '1.5'))
    e = int(request.args.get('e') or PER_PAGE)
"""
    unsafe, _ = run(MIXED, unsafe=True)
    assert unsafe == HEAD + """\
def view():
    a = request.args.get('a', default=1, type=int)
    b = request.args.get('b', type=int)
    c = request.args.get('c', default=0, type=float)
    d = int(request.args.get('d', '1.5'))
    e = request.args.get('e', default=PER_PAGE, type=int)
"""


def guarded(expr: str, handler: str) -> str:
    return (
        f"{HEAD}from werkzeug.exceptions import BadRequest\n\ndef view():\n"
        f"    try:\n        return {expr}\n    except {handler}:\n        return 0\n"
    )


@pytest.mark.parametrize(
    ("expr", "handler"),
    [
        ("int(request.args.get('k', 1))", "ValueError"),
        ("int(request.args.get('k', 1))", "Exception"),
        ("int(request.args.get('k', 1))", "(KeyError, BaseException)"),
        ("int(request.args.get('k'))", "TypeError"),
        ("int(request.args.get('k', DEFAULT))", "TypeError"),
        ("int(request.args.get('k', None))", "TypeError"),  # report-only, handled anyway
        ("int(request.args['k'])", "KeyError"),
        ("int(request.args['k'])", "LookupError"),
        ("int(request.args['k'])", "BadRequest"),
        ("int(request.args['k'])", "werkzeug.exceptions.HTTPException"),
        ("int(request.args['k'])", "UnknownError"),  # unresolved: assume it catches
    ],
)
def test_never_rewritten_where_a_handler_caught_the_old_error(expr, handler):
    source = guarded(expr, handler).replace(
        "from werkzeug", "import werkzeug.exceptions\nfrom werkzeug"
    )
    assert run(source, unsafe=True) == (source, [])
    bare = guarded(expr, "Exception").replace("except Exception:", "except:")
    assert run(bare, unsafe=True) == (bare, [])


@pytest.mark.parametrize(
    ("expr", "handler"),
    [
        ("int(request.args.get('k', 1))", "TypeError"),  # int('x') never raised it
        ("int(request.args.get('k', 1))", "BadRequest"),  # .get() never raised it
        ("int(request.args.get('k'))", "KeyError"),
    ],
)
def test_rewritten_where_the_handler_never_caught_the_old_error(expr, handler):
    source, findings = run(guarded(expr, handler), unsafe=True)
    assert "type=int" in source and len(findings) == 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # the key as written, spaces included; `builtins.int` kept as the type
        (
            "builtins.int(flask.request.args.get( KEYS['page'] , 1))",
            "flask.request.args.get( KEYS['page'] , default=1, type=builtins.int)",
        ),
        # one argument per line stays so, comments stay with their argument
        (
            "int(flask.request.args.get(\n        'page',  # which\n        '2',  # first\n    ))",
            "flask.request.args.get(\n        'page',  # which\n        default=2,  # first\n"
            "        type=int,\n    )",
        ),
        (
            "flask.request.args.get(\n        'page',\n        1,\n        int\n    )",
            "flask.request.args.get(\n        'page',\n        default=1,\n        type=int\n    )",
        ),
    ],
)
def test_layout_is_kept(before, after):
    head = "import builtins\nimport flask\n\ndef view():\n    return "
    assert run(head + before + "\n")[0] == head + after + "\n"


# ---- behaviour under real Flask ---------------------------------------------------------

APP = """\
from flask import Flask, request

app = Flask("flk103_behaviour")

@app.route("/", methods=["GET", "POST"])
def index():
    page = int(request.args.get("page", "1"))
    per_page = int(request.args.get("per_page") or 20)
    ratio = float(request.values.get("ratio", 0))
    return {"page": page, "per_page": per_page, "ratio": ratio}

@app.route("/item")
def item():
    return {"id": int(request.args["id"])}
"""


def client_for(source: str):
    namespace: dict = {"__name__": "flk103_behaviour"}
    exec(compile(source, "app.py", "exec"), namespace)
    app: Flask = namespace["app"]
    return app.test_client()


@pytest.fixture(scope="module")
def clients():
    intended, _ = run(APP)
    unsafe, _ = run(APP, unsafe=True)
    assert 'request.values.get("ratio", default=0.0, type=float)' in intended
    assert 'int(request.args["id"])' in intended  # unsafe: not applied by default
    assert 'request.args.get("id", type=int)' in unsafe
    return client_for(APP), client_for(intended), client_for(unsafe)


@pytest.mark.parametrize(
    "query",
    ["/?page=3&per_page=50&ratio=0.25", "/", "/?per_page=", "/?page=%2B7&ratio=1e3"],
)
def test_same_answer_for_valid_missing_and_empty_values(clients, query):
    before, after, _ = clients
    old, new = before.get(query), after.get(query)
    assert (old.status_code, old.get_json()) == (new.status_code, new.get_json())
    assert old.status_code == 200


def test_malformed_value_gives_the_default_instead_of_500(clients):
    before, after, _ = clients
    for query in ["/?page=abc", "/?per_page=ten", "/?ratio=half"]:
        assert before.get(query).status_code == 500
        assert after.get(query).get_json() == {"page": 1, "per_page": 20, "ratio": 0.0}
    # defaults are returned unconverted by Werkzeug, hence written as the target type
    assert type(after.get("/?page=x").get_json()["page"]) is int


def test_the_unsafe_form_gives_none_where_the_original_failed(clients):
    before, _, unsafe = clients
    assert before.get("/item?id=4").get_json() == unsafe.get("/item?id=4").get_json() == {"id": 4}
    assert before.get("/item").status_code == 400
    assert before.get("/item?id=x").status_code == 500
    assert unsafe.get("/item").get_json() == unsafe.get("/item?id=x").get_json() == {"id": None}
