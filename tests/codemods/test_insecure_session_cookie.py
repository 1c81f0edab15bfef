"""FLK404 insecure-session-cookie: messages and levels, which objects count as responses,
argument layouts, and the cookies a real Flask app sends after the rewrite."""

from __future__ import annotations

from textwrap import dedent

import pytest

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources

HEAD = "from flask import Flask, make_response, jsonify, redirect, Response, current_app\n\n"
HEAD += "app = Flask(__name__)\n"


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(sources: dict[str, str], path: str, unsafe: bool = False):
    index = index_from_sources(sources)
    return fix_code(sources[path], path=path, select=("FLK404",), index=index, unsafe=unsafe)


def one(source: str, unsafe: bool = False):
    return run({"app.py": source}, "app.py", unsafe)


def view(body: str) -> str:
    return (
        HEAD
        + "\n@app.get('/')\ndef index():\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
    )


def test_config_finding_fields():
    source = HEAD + 'app.config["SESSION_COOKIE_SECURE"] = False\n'
    result = one(source)
    [finding] = result.findings
    assert (finding.code, finding.name) == ("FLK404", "insecure-session-cookie")
    assert (finding.line, finding.column) == (4, 39)  # the False
    assert finding.fix_level is FixLevel.UNSAFE and finding.has_fix
    assert finding.message == (
        "`SESSION_COOKIE_SECURE` is set to False: the browser also sends it over plain HTTP, "
        "where anyone on the network can read it; set it to True (the app must then be "
        "served over HTTPS)"
    )
    assert result.source == source
    assert one(source, unsafe=True).source.endswith('["SESSION_COOKIE_SECURE"] = True\n')


def test_set_cookie_finding_fields():
    result = one(
        view("resp = make_response('x')\nresp.set_cookie('k', 'v', httponly=True)\nreturn resp")
    )
    [finding] = result.findings
    assert finding.line == 8 and finding.fix_level is FixLevel.UNSAFE
    assert finding.message == (
        "cookie set without `secure=True`: the browser also sends it over plain HTTP, where "
        "anyone on the network can read it"
    )


@pytest.mark.parametrize(
    "make",
    [
        "make_response('x')",
        "Response('x')",
        "jsonify(ok=True)",
        "redirect('/')",
        "app.make_response('x')",
        "app.response_class('x')",
        "current_app.response_class('x')",
    ],
)
def test_responses(make):
    result = one(view(f"resp = {make}\nresp.set_cookie('k', 'v')\nreturn resp"), unsafe=True)
    assert "resp.set_cookie('k', 'v', secure=True, httponly=True)" in result.source


def test_werkzeug_response_and_blueprint_hook_in_another_module():
    sources = {
        "pkg/__init__.py": "",
        "pkg/bp.py": "from flask import Blueprint\n\nbp = Blueprint('bp', __name__)\n",
        "pkg/hooks.py": code("""
            from werkzeug.wrappers import Response
            from .bp import bp

            @bp.after_app_request
            def remember(response):
                response.set_cookie("seen", "1")
                return response

            def build():
                return Response("x").set_cookie("k", "v")
        """),
    }
    result = run(sources, "pkg/hooks.py", unsafe=True)
    assert len(result.findings) == 2
    assert 'response.set_cookie("seen", "1", secure=True, httponly=True)' in result.source
    assert 'Response("x").set_cookie("k", "v", secure=True, httponly=True)' in result.source


@pytest.mark.parametrize(
    "call",
    [
        "resp.set_cookie('k', 'v', None, None, '/', None, True, True)",
        "resp.set_cookie('k', 'v', secure=False, httponly=False)",
        "resp.set_cookie('k', 'v', secure=flag, httponly=flag)",
        "resp.set_cookie(*args)",
        "resp.set_cookie('k', 'v', **options)",
    ],
)
def test_flags_given_or_hidden(call):
    assert one(view(f"resp = make_response('x')\n{call}\nreturn resp")).findings == []


def test_positional_secure_counts():
    result = one(
        view("resp = make_response('x')\nresp.set_cookie('k', 'v', 60, None, '/', None, True)"),
        unsafe=True,
    )
    assert "resp.set_cookie('k', 'v', 60, None, '/', None, True, httponly=True)" in result.source


def test_multi_line_call_without_trailing_comma():
    before = "resp = make_response('x')\nresp.set_cookie(\n    'k',\n    'v'\n)"
    result = one(view(before), unsafe=True)
    assert "resp.set_cookie(\n        'k',\n        'v', secure=True, httponly=True\n    )" in (
        result.source
    )


def test_parameters_and_unknown_hooks_are_not_responses():
    source = HEAD + code("""
        @app.before_request
        def before():
            pass

        @app.after_request
        def after(response):
            response.set_cookie("a", "b")
            return response

        @cache.after_request
        def other(response):
            response.set_cookie("a", "b")

        def helper(response):
            response.set_cookie("a", "b")
    """)
    [finding] = one(source).findings
    assert finding.line == 10  # only the app's after_request hook


def test_conditional_setting_is_reported_only():
    sources = {
        "app.py": HEAD + "app.config.from_object('settings')\n",
        "settings.py": "import os\n\nif os.environ.get('LOCAL'):\n    SESSION_COOKIE_SECURE = False\n",
    }
    result = run(sources, "settings.py", unsafe=True)
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT and result.source == sources["settings.py"]


def test_samesite_none_is_not_reported():
    source = HEAD + "app.config.update(SESSION_COOKIE_SAMESITE=None)\n"
    assert one(source).findings == []


def test_test_modules_are_skipped():
    source = view("resp = make_response('x')\nresp.set_cookie('k', 'v')\nreturn resp")
    assert run({"tests/test_cookies.py": source}, "tests/test_cookies.py").findings == []


def test_rewritten_cookies_under_flask():
    source = view("resp = make_response('x')\nresp.set_cookie('theme', 'dark')\nreturn resp")
    source += "\napp.config['SESSION_COOKIE_HTTPONLY'] = False\n"
    source += "\n@app.get('/login')\ndef login():\n    from flask import session\n"
    source += "    session['user'] = 1\n    return 'ok'\n"
    source += "\napp.secret_key = 'test'\n"
    fixed = one(source, unsafe=True).source

    def cookies(text: str, path: str) -> str:
        namespace: dict = {"__name__": "cookie_app"}
        exec(compile(text, "app.py", "exec"), namespace)
        client = namespace["app"].test_client()
        return client.get(path).headers["Set-Cookie"]

    assert "Secure" not in cookies(source, "/") and "HttpOnly" not in cookies(source, "/")
    assert "Secure" in cookies(fixed, "/") and "HttpOnly" in cookies(fixed, "/")
    assert "HttpOnly" not in cookies(source, "/login")
    assert "HttpOnly" in cookies(fixed, "/login")
