"""FLK402 hardcoded-secret-key: messages, levels, config objects across modules, the `os`
import, test modules, and the rewritten app under real Flask."""

from __future__ import annotations

import subprocess
import sys
from textwrap import dedent

import libcst as cst
import pytest

from flask_fix import fix_code
from flask_fix.codemods.hardcoded_secret_key import weakness
from flask_fix.model import FixLevel
from flask_fix.index.project import index_from_sources

APP = "from flask import Flask\n\napp = Flask(__name__)\n"
STRONG = "kT9#mQ2$vL8@xR4!pW6^zN1&cY7*bH3%"


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


def run(sources: dict[str, str], path: str, unsafe: bool = False):
    index = index_from_sources(sources)
    return fix_code(sources[path], path=path, select=("FLK402",), index=index, unsafe=unsafe)


def one(source: str, unsafe: bool = False):
    return run({"app.py": source}, "app.py", unsafe)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("dev", "a well-known placeholder"),
        ("development key", "a well-known placeholder"),
        ("Change-Me-Please-Before-Deploying", "a well-known placeholder"),
        ("hard to guess string", "a well-known placeholder"),
        ("SECRET_KEY_ENV_VAR_NOT_SET", "a well-known placeholder"),
        ("A" * 40, "one or two characters repeated"),
        ("q8Zr!x", "only 6 characters long"),
        (b"\x01\x02\x03", "only 3 characters long"),
        (STRONG, None),
    ],
)
def test_weakness(key, reason):
    assert weakness(key) == reason


def test_finding_fields_and_levels():
    source = APP + f'app.secret_key = "{STRONG}"\n'
    result = one(source)
    [finding] = result.findings
    assert (finding.code, finding.name) == ("FLK402", "hardcoded-secret-key")
    assert (finding.line, finding.column) == (4, 18)  # the literal
    assert finding.fix_level is FixLevel.UNSAFE and finding.has_fix
    assert finding.message.startswith("secret key written in the code:")
    assert STRONG not in finding.message  # the key is never echoed
    assert result.source == source  # unsafe: not applied by default
    fixed = one(source, unsafe=True).source
    assert fixed.endswith('app.secret_key = os.environ["SECRET_KEY"]\n')
    assert "import os\n" in fixed


def test_guessable_keys_are_emphasised():
    [finding] = one(APP + 'app.config["SECRET_KEY"] = "secret"\n').findings
    assert finding.message.startswith("GUESSABLE secret key (a well-known placeholder)")


def test_environ_is_reused_or_the_finding_only_reported():
    from_import = "from os import environ\n" + APP + 'app.secret_key = "dev"\n'
    assert one(from_import, unsafe=True).source.endswith('app.secret_key = environ["SECRET_KEY"]\n')
    aliased = "import os as system\n" + APP + 'app.secret_key = "dev"\n'
    fixed = one(aliased, unsafe=True).source
    assert fixed.startswith("import os as system\n") and 'os.environ["SECRET_KEY"]' in fixed
    assert "import os\n" in fixed
    shadowed = APP + 'os = "not the module"\napp.secret_key = "dev"\n'
    result = one(shadowed, unsafe=True)
    assert result.source == shadowed
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT


@pytest.mark.parametrize(
    "value",
    [
        'os.environ.get("SECRET_KEY", "dev")',
        'os.getenv("KEY", default="dev")',
        'os.environ.get("SECRET_KEY") or "dev"',
        'os.environ.get("A") or os.environ.get("B", "dev")',
        '"dev" if app.debug else os.environ["SECRET_KEY"]',
    ],
)
def test_literal_fallbacks_are_reported(value):
    source = "import os\n" + APP + f"app.config['SECRET_KEY'] = {value}\n"
    result = one(source, unsafe=True)
    assert result.source == source
    [finding] = result.findings
    assert finding.fix_level is FixLevel.REPORT
    assert finding.message.startswith("the secret key falls back to a literal")
    assert "guessable (a well-known placeholder)" in finding.message


@pytest.mark.parametrize(
    "value",
    ['os.environ["SECRET_KEY"]', 'os.environ.get("SECRET_KEY")', "os.urandom(32)",
     "load_key()", 'f"{PREFIX}-key"', '""'],
)  # fmt: skip
def test_not_literal(value):
    assert one("import os\n" + APP + f"app.secret_key = {value}\n").findings == []


def test_config_classes_across_modules():
    sources = {
        "config.py": code("""
            import os

            class Config:
                SECRET_KEY = "hard to guess string"
                if os.environ.get("DEV"):
                    SECRET_KEY = "dev"

            class ProductionConfig(Config):
                pass

            class TestingConfig(Config):
                SECRET_KEY = "testing"

            config = {"production": ProductionConfig, "default": ProductionConfig}
        """),
        "app/__init__.py": code("""
            from flask import Flask
            from config import config

            def create_app(name):
                app = Flask(__name__)
                app.config.from_object(config[name])
                return app
        """),
    }
    result = run(sources, "config.py", unsafe=True)
    # the class reached through the dict and its base; TestingConfig is never loaded
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (4, FixLevel.UNSAFE),
        (6, FixLevel.REPORT),  # under an `if`: the condition decides
    ]
    assert 'SECRET_KEY = os.environ.get("SECRET_KEY")\n    if' in result.source
    assert 'SECRET_KEY = "testing"' in result.source


def test_modules_loaded_by_name_or_file():
    sources = {
        "proj/__init__.py": code("""
            from flask import Flask

            app = Flask(__name__)
            app.config.from_object("proj.settings")
            app.config.from_pyfile("local.py")
        """),
        "proj/settings.py": 'SECRET_KEY = "dev"\n',
        "proj/local.py": 'SECRET_KEY = b"dev"\n',
        "proj/other.py": 'SECRET_KEY = "dev"\n',  # not loaded: a module constant
    }
    assert len(run(sources, "proj/settings.py").findings) == 1
    assert len(run(sources, "proj/local.py").findings) == 1
    assert run(sources, "proj/other.py").findings == []


def test_test_modules_are_skipped():
    source = APP + 'app.config["SECRET_KEY"] = "dev"\n'
    for path in ("tests/conftest.py", "pkg/tests/__init__.py", "test_views.py", "views_test.py"):
        assert run({path: source}, path).findings == []


def test_rewritten_app_reads_the_environment(monkeypatch):
    source = APP + 'app.config.update(SECRET_KEY="dev", TESTING=True)\n'
    fixed = one(source, unsafe=True).source
    assert 'SECRET_KEY=os.environ["SECRET_KEY"], TESTING=True' in fixed
    monkeypatch.setenv("SECRET_KEY", STRONG)
    namespace: dict = {"__name__": "rewritten"}
    exec(compile(fixed, "app.py", "exec"), namespace)
    assert namespace["app"].secret_key == STRONG
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(KeyError):  # the documented unsafety: start-up fails
        exec(compile(fixed, "app.py", "exec"), {"__name__": "rewritten"})


CONFIG_MODULE = code("""
    import os

    class Config:
        SECRET_KEY = os.getenv("SECRET_KEY", "my_precious")
        DEBUG = False

    class DevelopmentConfig(Config):
        DEBUG = True

    class TestingConfig(Config):
        TESTING = True

    class ProductionConfig(Config):
        SECRET_KEY = "my_precious"
""")
FACTORY = code("""
    import os
    from flask import Flask

    def create_app():
        app = Flask(__name__)
        app.config.from_object(os.getenv("APP_SETTINGS", "config.DevelopmentConfig"))
        app.config.from_object("config.ProductionConfig")
        return app
""")
TESTS = code("""
    from flask import Flask
    from config import TestingConfig

    app = Flask(__name__)
    app.config.from_object(TestingConfig)
    print(repr(app.config["SECRET_KEY"]), app.testing)
""")


def test_unused_config_class_stays_importable(tmp_path):
    """The config module of a legacy app (a literal in ProductionConfig, tests using
    TestingConfig): after the fix it imports, and the tests' app works, with SECRET_KEY
    unset; an app started with ProductionConfig has no key and refuses sessions."""
    sources = {"config.py": CONFIG_MODULE, "app.py": FACTORY}
    result = run(sources, "config.py", unsafe=True)
    expected = CONFIG_MODULE.replace(
        'SECRET_KEY = "my_precious"', 'SECRET_KEY = os.environ.get("SECRET_KEY")'
    )
    assert result.source == expected
    cst.parse_module(result.source)
    assert [(f.line, f.fix_level) for f in result.findings] == [
        (4, FixLevel.REPORT),  # the fallback: reported only
        (14, FixLevel.UNSAFE),
    ]
    assert 'drop the default (`os.environ.get("SECRET_KEY")`)' in result.findings[0].message
    assert 'os.environ.get("SECRET_KEY")' in result.findings[1].message
    again = run({**sources, "config.py": result.source}, "config.py", unsafe=True)
    assert again.source == result.source and len(again.findings) == 1

    (tmp_path / "config.py").write_text(result.source)
    (tmp_path / "tests.py").write_text(TESTS)
    (tmp_path / "prod.py").write_text(
        "from flask import Flask, session\n"
        "app = Flask(__name__)\n"
        "app.config.from_object('config.ProductionConfig')\n"
        "with app.test_request_context():\n"
        "    try:\n"
        "        session['user'] = 1\n"
        "    except RuntimeError as error:\n"
        "        print('refused:', str(error).split('.')[0])\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "SECRET_KEY"}

    def python(script: str) -> str:
        done = subprocess.run(
            [sys.executable, script], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert python("tests.py") == "'my_precious' True\n"
    assert python("prod.py") == (
        "refused: The session is unavailable because no secret key was set\n"
    )
    # before: the literal rewritten to os.environ["SECRET_KEY"] broke every import
    (tmp_path / "config.py").write_text(
        CONFIG_MODULE.replace('"my_precious"\n', 'os.environ["SECRET_KEY"]\n')
    )
    done = subprocess.run(
        [sys.executable, "tests.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "KeyError: 'SECRET_KEY'" in done.stderr


def test_settings_module_gets_the_form_that_cannot_fail_at_import():
    sources = {
        "proj/__init__.py": APP + 'app.config.from_object("proj.settings")\n',
        "proj/settings.py": 'import os\n\nSECRET_KEY = "dev"\nDEBUG = False\n',
    }
    result = run(sources, "proj/settings.py", unsafe=True)
    assert result.source == 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY")\nDEBUG = False\n'
    namespace: dict = {}
    exec(compile(result.source, "settings.py", "exec"), namespace)  # no KeyError at import
    # the app itself, in create_app: read when that app is set up, so it may fail there
    factory = "import os\nfrom flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n"
    factory += '    app.secret_key = "dev"\n    return app\n'
    fixed = one(factory, unsafe=True).source
    assert fixed == factory.replace('"dev"', 'os.environ["SECRET_KEY"]')


CONFIGS = code('''
    import os

    class BaseConfig:
        SECRET_KEY = "my_precious"

    class DevelopmentConfig(BaseConfig):
        DEBUG = True

    class TestingConfig(BaseConfig):
        TESTING = True

    class OwnKey(BaseConfig):
        SECRET_KEY = "my_precious"

    class TestingOwnKey(OwnKey):
        TESTING = True

    class ProductionConfig(BaseConfig):
        SECRET_KEY = "my_precious"
''')
LOADER = code('''
    from flask import Flask
    from config import DevelopmentConfig, TestingConfig, TestingOwnKey, ProductionConfig

    configs = {"dev": DevelopmentConfig, "test": TestingConfig, "t2": TestingOwnKey,
               "prod": ProductionConfig}

    def create_app(name):
        app = Flask(__name__)
        app.config.from_object(configs[name])
        return app
''')


def test_key_a_test_configuration_inherits_is_reported_not_rewritten():
    """flask-basic-registration: `TestingConfig(BaseConfig)` takes BaseConfig's key; with
    `os.environ.get` there the suite ran with no key (Flask-DebugToolbar refused to start,
    16 of 16 tests failed on the old pins). A class the test configuration does not take
    the key from (OwnKey sets it again under TestingOwnKey's base; ProductionConfig) is
    rewritten as before."""
    sources = {"config.py": CONFIGS, "app.py": LOADER}
    result = run(sources, "config.py", unsafe=True)
    by_line = {f.line: f for f in result.findings}
    assert sorted(by_line) == [4, 13, 19]
    base = by_line[4]
    assert not base.has_fix
    assert base.message.endswith(
        "; not rewritten: the test configuration `TestingConfig` inherits this key, and its "
        "suite would run without one: give the test configuration its own key first"
    )
    # OwnKey is the base TestingOwnKey inherits from: reported only too
    assert not by_line[13].has_fix and "`TestingOwnKey`" in by_line[13].message
    assert by_line[19].has_fix
    assert result.source == CONFIGS.replace(
        'class ProductionConfig(BaseConfig):\n    SECRET_KEY = "my_precious"',
        'class ProductionConfig(BaseConfig):\n    SECRET_KEY = os.environ.get("SECRET_KEY")',
    )
    cst.parse_module(result.source)
    assert run({**sources, "config.py": result.source}, "config.py", unsafe=True).source == result.source


SETTINGS = code('''
    import os

    SECRET_KEY = "This is an UNSECURE Secret. CHANGE THIS for production environments."
''')
SETTINGS_FACTORY = code('''
    from flask import Flask

    def create_app(extra=None):
        app = Flask(__name__)
        app.config.from_object("app.local_settings")
        app.config.update(extra or {})
        return app
''')


def test_settings_module_with_tests_is_reported_not_rewritten():
    """flask-user-starter: app/local_settings.py is loaded by create_app() for every app,
    the tests' (conftest.py) too; with os.environ.get there the test app had no key and
    Flask-User's TokenManager refused it (1 of 1 test failing on the old pins). Without
    test modules the rewrite is as before."""
    sources = {
        "app/__init__.py": SETTINGS_FACTORY,
        "app/local_settings.py": SETTINGS,
        "tests/conftest.py": "from app import create_app\n\napp = create_app({'TESTING': True})\n",
    }
    result = run(sources, "app/local_settings.py", unsafe=True)
    [finding] = result.findings
    assert not finding.has_fix and result.source == SETTINGS
    assert finding.message.endswith(
        "; not rewritten: every app that loads this settings module takes its key from it, "
        "the test suite's too (tests/conftest.py), which would run without one: give the "
        "tests their own key first"
    )
    without_tests = {k: v for k, v in sources.items() if not k.startswith("tests/")}
    fixed = run(without_tests, "app/local_settings.py", unsafe=True)
    assert fixed.source == SETTINGS.replace(
        '"This is an UNSECURE Secret. CHANGE THIS for production environments."',
        'os.environ.get("SECRET_KEY")',
    )
    cst.parse_module(fixed.source)
    again = run({**without_tests, "app/local_settings.py": fixed.source}, "app/local_settings.py",
                unsafe=True)  # fmt: skip
    assert again.source == fixed.source
