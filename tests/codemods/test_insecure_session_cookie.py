"""FLK404 insecure-session-cookie: messages and levels, which objects count as responses,
argument layouts, and the cookies a real Flask app sends after the rewrite."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
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
    assert finding.line == 8 and finding.fix_level is FixLevel.REPORT
    assert finding.message == (
        "cookie set without `secure=`: the browser also sends it over plain HTTP, where "
        "anyone on the network can read it; pass `secure=True` where the site is served "
        "over HTTPS, and `httponly=True` unless the page's scripts read this cookie (then "
        "write `httponly=False`)"
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
    source = view(f"resp = {make}\nresp.set_cookie('k', 'v')\nreturn resp")
    result = one(source, unsafe=True)
    assert result.source == source  # reported only
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message.startswith("cookie set without `secure=` and `httponly=`:")


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
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (6, FixLevel.REPORT),
        (10, FixLevel.REPORT),
    ]
    assert result.source == sources["pkg/hooks.py"]


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
    [finding] = result.findings
    assert finding.message.startswith("cookie set without `httponly=`: any script")


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
    """The session cookie gains HttpOnly; the app's own `theme` cookie, which the page's
    script reads, keeps no flags."""
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

    assert fixed == source.replace("'SESSION_COOKIE_HTTPONLY'] = False", "'SESSION_COOKIE_HTTPONLY'] = True")
    assert cookies(source, "/") == cookies(fixed, "/") == "theme=dark; Path=/"
    assert "HttpOnly" not in cookies(source, "/login")
    assert "HttpOnly" in cookies(fixed, "/login")


def test_preference_cookie_read_by_javascript_is_left_alone():
    source = code("""
        from flask import Flask, make_response, render_template_string

        app = Flask(__name__)
        app.config.update(SESSION_COOKIE_HTTPONLY=False)

        PAGE = "<script>document.body.className = document.cookie.split('theme=')[1]</script>"

        @app.post("/theme/<name>")
        def theme(name):
            resp = make_response(render_template_string(PAGE))
            resp.set_cookie("theme", name, max_age=31536000)
            return resp
    """)
    result = one(source, unsafe=True)
    expected = source.replace("SESSION_COOKIE_HTTPONLY=False", "SESSION_COOKIE_HTTPONLY=True")
    assert result.source == expected
    cst.parse_module(result.source)
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (4, FixLevel.UNSAFE),
        (11, FixLevel.REPORT),
    ]
    again = one(result.source, unsafe=True)
    assert again.source == result.source and [f.line for f in again.findings] == [11]
    # with the intent written down, nothing is reported
    explicit = source.replace("max_age=31536000)", "max_age=31536000, secure=True, httponly=False)")
    assert [f.line for f in one(explicit).findings] == [4]


CONFIGS = code("""
    import os

    class Config:
        SESSION_COOKIE_HTTPONLY = False

    class DevelopmentConfig(Config):
        SESSION_COOKIE_SECURE = False

    class LocalConfig:
        REMEMBER_COOKIE_SECURE = False

    class StagingConfig(Config):
        DEBUG = True
        SESSION_COOKIE_SECURE = False

    class ProductionConfig(Config):
        SESSION_COOKIE_SECURE = False
        REMEMBER_COOKIE_HTTPONLY = False

    class TestingConfig(Config):
        TESTING = True
        SESSION_COOKIE_SECURE = False

    configs = {
        "development": DevelopmentConfig,
        "local": LocalConfig,
        "staging": StagingConfig,
        "production": ProductionConfig,
        "testing": TestingConfig,
    }
""")


def test_development_configurations_keep_plain_http():
    sources = {
        "config.py": CONFIGS,
        "app.py": code("""
            from flask import Flask
            from config import configs

            def create_app(name):
                app = Flask(__name__)
                app.config.from_object(configs[name])
                return app
        """),
    }
    result = run(sources, "config.py", unsafe=True)
    expected = (
        CONFIGS.replace("HTTPONLY = False", "HTTPONLY = True")
        .replace(
            "class ProductionConfig(Config):\n    SESSION_COOKIE_SECURE = False",
            "class ProductionConfig(Config):\n    SESSION_COOKIE_SECURE = True",
        )
    )
    assert result.source == expected
    cst.parse_module(result.source)
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (4, FixLevel.UNSAFE),  # the base's HttpOnly: the session cookie in every config
        (7, FixLevel.REPORT),  # DevelopmentConfig (named)
        (10, FixLevel.REPORT),  # LocalConfig (named)
        (14, FixLevel.REPORT),  # DEBUG = True in its body
        (17, FixLevel.UNSAFE),
        (18, FixLevel.UNSAFE),
    ]  # TestingConfig: skipped
    assert result.findings[1].message.endswith(
        "this looks like a development configuration, which may be served over plain "
        "HTTP, so it is not rewritten"
    )
    again = run({**sources, "config.py": result.source}, "config.py", unsafe=True)
    assert again.source == result.source and len(again.findings) == 3


def test_development_settings_module():
    sources = {
        "app.py": HEAD + "app.config.from_object('settings')\n",
        "settings.py": "DEBUG = True\nSESSION_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = False\n",
    }
    result = run(sources, "settings.py", unsafe=True)
    assert result.source == "DEBUG = True\nSESSION_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = True\n"
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (2, FixLevel.REPORT),
        (3, FixLevel.UNSAFE),
    ]
