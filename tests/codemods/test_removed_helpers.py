"""FLK708 removed-helpers: what the generic example tests do not cover."""

from __future__ import annotations

import hmac
import json
from textwrap import dedent
from urllib.parse import unquote

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.utils import safe_join

from flask_fix import fix_code
from flask_fix.model import FixLevel


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


HEX = "0123456789ABCDEFabcdef"


def run(source: str, unsafe: bool = False, **options):
    return fix_code(source, path="app.py", select=("FLK708",), unsafe=unsafe, **options)


FROM_JSON = code("""
    from flask import Flask

    app = Flask(__name__, root_path=ROOT)
    app.config.from_json("settings.json")
    loaded = app.config.from_json("missing.json", silent=True)
""")


def test_from_json_finding_and_the_fixed_code_on_flask_3(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"GREETING": "héllo", "lower": 1}))
    result = run(FROM_JSON)
    first = result.findings[0]
    assert (first.code, first.name, first.fix_level, first.line, first.column) == (
        "FLK708",
        "removed-helpers",
        FixLevel.SAFE,
        4,
        1,
    )
    assert first.message == (
        "`Config.from_json` was removed in Flask 2.1: use `from_file(filename,"
        ' load=json.load)`: `app.config.from_file("settings.json", load=json.load)`'
    )
    with pytest.raises(AttributeError, match="from_json"):
        exec(compile(FROM_JSON, "app.py", "exec"), {"__name__": "cfg", "ROOT": str(tmp_path)})
    namespace = {"__name__": "cfg", "ROOT": str(tmp_path)}
    exec(compile(result.source, "app.py", "exec"), namespace)
    config = namespace["app"].config
    assert config["GREETING"] == "héllo" and "lower" not in config  # from_mapping rules
    assert namespace["loaded"] is False


@pytest.mark.parametrize("pin", [(1, 1, 4), (0,)])
def test_old_pins_only_report(pin):
    source = FROM_JSON + "from flask import safe_join\n"
    result = run(source, unsafe=True, flask_version=pin)
    assert result.source == source
    assert [f.fix_level for f in result.findings] == [FixLevel.REPORT] * 3
    assert all("needs Flask >= 2.0" in f.message for f in result.findings)


def test_json_bound_otherwise_is_reported():
    source = code("""
        from flask import Flask, json

        app = Flask(__name__)
        app.config.from_json("settings.json")
    """)
    result = run(source)
    assert result.source == source
    assert "`json` is another name here" in result.findings[0].message


def test_safe_join_changes_a_404_into_none():
    """Why the safe_join rewrite is unsafe: the two functions differ on bad paths."""

    def flask_safe_join(directory, *pathnames):  # Flask 2.0's, which raised
        path = safe_join(directory, *pathnames)
        if path is None:
            raise NotFound()
        return path

    assert flask_safe_join("/srv", "a.txt") == safe_join("/srv", "a.txt") == "/srv/a.txt"
    assert safe_join("/srv", "../etc/passwd") is None
    with pytest.raises(NotFound):
        flask_safe_join("/srv", "../etc/passwd")
    result = run("from flask.helpers import safe_join\n")
    assert [f.fix_level for f in result.findings] == [FixLevel.UNSAFE]
    assert "returns None for a path leaving the folder" in result.findings[0].message


def test_safe_str_cmp_matches_compare_digest_only_for_bytes_or_ascii():
    def safe_str_cmp(a, b):  # Werkzeug 2.0's
        a = a.encode("utf-8") if isinstance(a, str) else a
        b = b.encode("utf-8") if isinstance(b, str) else b
        return hmac.compare_digest(a, b)

    for a, b in [(b"x", b"x"), ("token", "token"), ("token", "tok3n"), (b"\xff", b"\xfe")]:
        assert safe_str_cmp(a, b) == hmac.compare_digest(a, b)
    assert safe_str_cmp("é", "é") is True
    with pytest.raises(TypeError):
        hmac.compare_digest("é", "é")
    with pytest.raises(TypeError):
        hmac.compare_digest("a", b"a")


def test_safe_str_cmp_used_as_a_value_keeps_its_import():
    source = code("""
        from werkzeug.security import safe_str_cmp

        check = safe_str_cmp
        ok = safe_str_cmp("a", "b")
    """)
    result = run(source, unsafe=True)
    assert result.source == code("""
        import hmac

        from werkzeug.security import safe_str_cmp

        check = safe_str_cmp
        ok = hmac.compare_digest("a", "b")
    """)
    # the import still fails on Werkzeug >= 2.1: it stays reported
    assert any("this import fails" in f.message for f in result.remaining)


def test_url_unquote_rewrite_and_equivalence():
    hex_to_byte = {f"{a}{b}".encode(): int(a + b, 16) for a in HEX for b in HEX}

    def werkzeug_url_unquote(s):  # Werkzeug 2.x's url_unquote, default charset and errors
        raw = s.encode("utf-8") if isinstance(s, str) else s
        head, *groups = raw.split(b"%")
        out = bytearray(head)
        for group in groups:
            if group[:2] in hex_to_byte:
                out.append(hex_to_byte[group[:2]])
                out.extend(group[2:])
            else:
                out.append(ord("%"))
                out.extend(group)
        return bytes(out).decode("utf-8", "replace")

    for sample in ["a%20b", "%C3%A9t%C3%A9", "%zz%", "100%", "é%C3", "%E2%82¬", b"%41+"]:
        assert unquote(sample) == werkzeug_url_unquote(sample)
    source = "import werkzeug.urls\n\nname = werkzeug.urls.url_unquote(raw, 'latin-1')\n"
    result = run(source, unsafe=True)
    assert result.source == source  # a charset: not the same function any more
    assert "not rewritten here" in result.findings[0].message


def test_every_removed_url_function_is_reported_with_advice():
    source = code("""
        from werkzeug import urls
        from werkzeug.urls import Href, url_encode, url_fix

        q = url_encode({"a": None}) + urls.url_decode("a=1").get("a")
        h = Href("/x")
    """)
    result = run(source, unsafe=True)
    assert result.source == source
    messages = [f.message for f in result.findings]
    assert any("`werkzeug.urls.Href` was removed in Werkzeug 2.1" in m for m in messages)
    assert any("url_encode dropped None values" in m for m in messages)
    assert any("`werkzeug.urls.url_decode` was removed in Werkzeug 3.0" in m for m in messages)
    assert len(result.findings) == 6  # three imports, three uses
