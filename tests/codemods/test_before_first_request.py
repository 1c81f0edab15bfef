"""FLK705 before-first-request: what the generic example tests do not cover."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(source: str, unsafe: bool = True, **options):
    return fix_code(source, path="app.py", select=("FLK705",), unsafe=unsafe, **options)


SOURCE = code("""
    from flask import Flask, current_app, g

    app = Flask(__name__)
    calls = []


    # warm the cache once
    @app.before_first_request
    def warm_up():
        g.started = True
        calls.append(current_app.name)


    @app.route("/")
    def index():
        return "ok"
""")


def test_finding_fields():
    result = run(SOURCE, unsafe=False)
    [finding] = result.findings
    assert (finding.code, finding.name, finding.fix_level) == (
        "FLK705",
        "before-first-request",
        FixLevel.UNSAFE,
    )
    assert (finding.line, finding.column) == (8, 1)
    assert finding.message.startswith(
        "`app.before_first_request` was removed in Flask 2.3: on Flask >= 2.3 this module no"
        " longer imports (AttributeError), an upgrade blocker: call `warm_up()` inside"
        " `with app.app_context():` right after its definition"
    )
    assert result.source == SOURCE  # unsafe: not applied by default


def test_on_flask_3_the_original_fails_and_the_fix_runs_the_function_once():
    with pytest.raises(AttributeError, match="before_first_request"):
        exec(compile(SOURCE, "app.py", "exec"), {"__name__": "bfr_app"})
    after = run(SOURCE).source
    assert after == code("""
        from flask import Flask, current_app, g

        app = Flask(__name__)
        calls = []


        # warm the cache once
        def warm_up():
            g.started = True
            calls.append(current_app.name)


        with app.app_context():
            warm_up()


        @app.route("/")
        def index():
            return "ok"
    """)
    namespace = {"__name__": "bfr_app"}
    exec(compile(after, "app.py", "exec"), namespace)
    assert namespace["calls"] == ["bfr_app"]
    namespace["app"].test_client().get("/")
    assert namespace["calls"] == ["bfr_app"]


@pytest.mark.parametrize(
    ("definition", "reason"),
    [
        ("@app.before_first_request\n@timed\ndef f():\n    pass\n", None),
        ("@timed\n@app.before_first_request\ndef f():\n    pass\n", "other decorators"),
        ("@app.before_first_request\nasync def f():\n    pass\n", "async"),
        ("@app.before_first_request\ndef f(x):\n    pass\n", "takes arguments"),
        ("@app.before_first_request\ndef f(*, x):\n    pass\n", "takes arguments"),
        ("@app.before_first_request\ndef f(x=1, *args, **kw):\n    pass\n", None),
        ("class Setup:\n    @app.before_first_request\n    def f(self):\n        pass\n", "method"),
        ("@app.before_first_request\ndef f():\n    flask.session.clear()\n", "`session`"),
        ("@app.before_first_request\ndef f():\n    print(url_for('index'))\n", "`url_for`"),
        ("@app.before_first_request\ndef f():\n    def g():\n        flash('x')\n", "`flash`"),
    ],
)
def test_what_is_rewritten_and_why_not(definition, reason):
    source = (
        "import flask\nfrom flask import Flask, flash, url_for\n\ntimed = lambda f: f\n"
        "app = Flask(__name__)\n\n" + definition
    )
    result = run(source)
    [finding] = result.findings
    if reason is None:
        assert finding.fix_level is FixLevel.UNSAFE
        assert "with app.app_context():\n    f()\n" in result.source
    else:
        assert finding.fix_level is FixLevel.REPORT
        assert result.source == source
        assert reason in finding.message


def test_a_local_helper_named_request_is_not_flask_s():
    source = code("""
        from flask import Flask

        app = Flask(__name__)

        @app.before_first_request
        def f():
            request = {"host": "x"}
            return request["host"]
    """)
    assert run(source).findings[0].fix_level is FixLevel.UNSAFE


def test_an_app_imported_from_the_project():
    views = "from shop import app\n\n\n@app.before_first_request\ndef seed():\n    pass\n"
    index = index_from_sources(
        {"shop/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
         "shop/views.py": views}
    )  # fmt: skip
    result = fix_code(views, path="shop/views.py", select=("FLK705",), unsafe=True, index=index)
    assert result.source == (
        "from shop import app\n\n\ndef seed():\n    pass\n\n\nwith app.app_context():\n    seed()\n"
    )


def test_tab_indented_factory_keeps_its_indentation():
    source = (
        "from flask import Flask\n\ndef create_app():\n\tapp = Flask(__name__)\n\n"
        "\t@app.before_first_request\n\tdef f():\n\t\tpass\n\treturn app\n"
    )
    assert run(source).source == (
        "from flask import Flask\n\ndef create_app():\n\tapp = Flask(__name__)\n\n"
        "\tdef f():\n\t\tpass\n\n\twith app.app_context():\n\t\tf()\n\treturn app\n"
    )


def test_a_rebound_app_is_not_proven():
    source = code("""
        from flask import Flask

        app = Flask(__name__)
        app = wrap(app)

        @app.before_first_request
        def f():
            pass
    """)
    result = run(source)
    assert result.source == source
    assert "not known to be an app object" in result.findings[0].message


def test_an_app_passed_as_a_parameter_is_reported():
    source = code("""
        def init_app(app):
            @app.before_first_request
            def f():
                pass
    """)
    result = run(source)
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert "`app` is not known to be an app object of the project" in finding.message
