"""FLK805 flask-caching-2-api: what the generic example tests do not cover."""

from __future__ import annotations

import ast

from flask_fix import fix_code
from flask_fix.model import FixLevel
from flask_fix.rewrite.removed_apis import BY_OLD, CACHE_TYPES, PINS


def run(source: str, **options):
    return fix_code(source, path="settings.py", select=("FLK805",), **options)


# flask-realworld's conduit/settings.py (corpus): no import of flask_caching there, the
# requirements name Flask_Caching without a version
SETTINGS = (
    "class Config(object):\n"
    "    CACHE_TYPE = 'simple'  # Can be \"memcached\", \"redis\", etc.\n\n\n"
    "class DevConfig(Config):\n"
    "    CACHE_TYPE = \"simple\"\n"
)
FIXED = (
    "class Config(object):\n"
    "    CACHE_TYPE = 'SimpleCache'  # Can be \"memcached\", \"redis\", etc.\n\n\n"
    "class DevConfig(Config):\n"
    "    CACHE_TYPE = \"SimpleCache\"\n"
)
MESSAGE = (
    "the Flask-Caching backend name `simple` was removed in Flask-Caching 2.5"
    " (`ImportStringError`): use `SimpleCache` (there since Flask-Caching 1.10)"
)


def test_a_settings_module_of_a_project_requiring_flask_caching():
    result = run(SETTINGS, requirements={"flask-caching": None})
    assert result.source == FIXED
    ast.parse(result.source)
    assert [(f.line, f.column, f.fix_level, f.message) for f in result.findings] == [
        (2, 18, FixLevel.SAFE, MESSAGE), (6, 18, FixLevel.SAFE, MESSAGE),
    ]  # fmt: skip
    again = run(result.source, requirements={"flask-caching": None})
    assert (again.source, again.findings) == (FIXED, [])


def test_requirements_allowing_a_release_before_1_10_make_it_unsafe():
    pins = {"flask-caching": (1, 4, 0)}
    result = run(SETTINGS, requirements=pins)
    assert result.source == SETTINGS
    assert {f.fix_level for f in result.findings} == {FixLevel.UNSAFE}
    assert result.findings[0].message == MESSAGE + (
        "; needs Flask-Caching>=1.10 and the project's requirements allow Flask-Caching"
        " 1.4.0: an unsafe fix, raise the requirement with it"
    )
    fixed = run(SETTINGS, requirements=pins, unsafe=True)
    assert fixed.source == FIXED
    assert run(FIXED, requirements=pins, unsafe=True).findings == []


def test_every_lowercase_name_and_every_way_of_setting_it():
    source = (
        "from flask_caching import Cache\n\n"
        + "".join(f"C{k} = {{'CACHE_TYPE': '{old}'}}\n" for k, old in enumerate(CACHE_TYPES))
        + "uwsgi = Cache(config={'CACHE_TYPE': 'uwsgi'})\n"
        "gae = dict(CACHE_TYPE='gaememcached')\n"
        "def configure(app):\n    app.config['CACHE_TYPE'] = 'redis'\n"
    )
    result = run(source)
    expected = (
        "from flask_caching import Cache\n\n"
        + "".join(f"C{k} = {{'CACHE_TYPE': '{new}'}}\n" for k, new in enumerate(CACHE_TYPES.values()))
        + "uwsgi = Cache(config={'CACHE_TYPE': 'flask_caching.contrib.uwsgicache.UWSGICache'})\n"
        "gae = dict(CACHE_TYPE='MemcachedCache')\n"
        "def configure(app):\n    app.config['CACHE_TYPE'] = 'RedisCache'\n"
    )
    assert result.source == expected
    ast.parse(result.source)
    assert len(result.findings) == len(CACHE_TYPES) + 3
    assert run(expected).findings == []


def test_look_alikes_stay_untouched():
    for source, requirements in (
        # no Flask-Caching in the requirements nor in the module
        (SETTINGS, {}),
        # a value from the environment, another key, a class name already
        ("import os\nimport flask_caching\n\nCACHE_TYPE = os.environ.get('CACHE_TYPE', 'simple')\n"
         "OTHER = 'simple'\nconfig = {'CACHE_KIND': 'simple', 'CACHE_TYPE': 'SimpleCache'}\n", {}),
        # a prefixed string is not rewritten (b'simple' is not a backend name)
        ("import flask_caching\n\nCACHE_TYPE = b'simple'\n", {}),
    ):
        result = run(source, requirements=requirements)
        assert (result.source, result.findings) == (source, []), source


def test_the_rows():
    rows = [row for row in BY_OLD.values() if row.rule == "FLK805"]
    assert len(rows) == len(CACHE_TYPES) + 2
    for row in rows:
        assert (row.removed_in, row.new_since, row.level) == (
            ("flask-caching", (2, 5)), ("flask-caching", (1, 10)), PINS
        )
