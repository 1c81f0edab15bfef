"""Bulk migration: --statistics, --shard, and flask_fix.check_paths for bots."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import flask_fix
from flask_fix.cli import main
from flask_fix.run.selection import Shard

APP = textwrap.dedent(
    """\
    import json
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/items")
    def items():
        return json.dumps([int(request.args.get("page", "1"))])


    @app.route("/raw")
    def raw():
        return json.dumps({}, indent=2)
    """
)


def view_module(number: int) -> str:
    return textwrap.dedent(
        f"""\
        import json
        from flask import redirect
        from shop.app import app


        @app.route("/go{number}")
        def go{number}():
            return redirect("/items")


        @app.route("/data{number}")
        def data{number}():
            return json.dumps({number})
        """
    )


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "shop").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "app.py").write_text(APP)
    for number in range(8):
        (tmp_path / "shop" / f"views{number}.py").write_text(view_module(number))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(main, ["-j", "1", *args])


def test_statistics_count_findings_per_rule(shop: Path):
    result = invoke("--check", "--statistics", "--select", "FLK1", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "10\tFLK101\tjson-dumps-response\t9 fixable",
        " 8\tFLK102\tliteral-redirect   \t8 fixable",
        " 1\tFLK103\trequest-args-cast  \t1 fixable",
    ]
    as_json = invoke("--check", "--statistics", "--select", "FLK1", "--output-format", "json", ".")
    assert json.loads(as_json.stdout) == [
        {"code": "FLK101", "name": "json-dumps-response", "count": 10, "fixable": 9},
        {"code": "FLK102", "name": "literal-redirect", "count": 8, "fixable": 8},
        {"code": "FLK103", "name": "request-args-cast", "count": 1, "fixable": 1},
    ]


def test_statistics_after_writing_count_what_is_left(shop: Path):
    result = invoke("--statistics", "--select", "FLK1", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["1\tFLK101\tjson-dumps-response\t0 fixable"]
    assert "return jsonify([request.args.get(" in (shop / "shop" / "app.py").read_text()
    clean = invoke("--check", "--statistics", "--select", "FLK102", ".")
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_statistics_refuse_other_formats(shop: Path):
    result = invoke("--check", "--statistics", "--output-format", "sarif", ".")
    assert result.exit_code == 2
    assert "flask-fix: error: --statistics prints text or json, not sarif" in result.stderr


def findings(*args: str) -> list[tuple]:
    result = invoke("--check", "--output-format", "json", *args)
    document = json.loads(result.stdout)
    return [(f["path"], f["line"], f["code"], f["fix"] is not None) for f in document["findings"]]


def test_shards_split_the_files_and_together_give_the_whole_run(shop: Path):
    whole = findings(".")
    shards = [findings("--shard", f"{number}/3", ".") for number in (1, 2, 3)]
    assert sorted(f for shard in shards for f in shard) == sorted(whole)
    paths = [{f[0] for f in shard} for shard in shards]
    assert all(paths) and not (paths[0] & paths[1] or paths[1] & paths[2] or paths[0] & paths[2])
    # each shard indexes every module: the redirects resolve to the route in shop/app.py
    # wherever that file landed
    redirects = [f for shard in shards for f in shard if f[2] == "FLK102"]
    assert len(redirects) == 8 and all(fix for *_, fix in redirects)
    assert findings("--shard", "2/3", ".") == shards[1]  # the same split every run


def test_a_shard_depends_only_on_the_path_as_shown(shop: Path):
    by_dot = findings("--shard", "1/2", ".")
    by_name = findings("--shard", "1/2", "shop")
    assert by_dot == [(path.removeprefix("./"), *rest) for path, *rest in by_dot]
    assert sorted(by_dot) == sorted(by_name)
    shard = Shard(1, 2)
    assert shard.holds("./shop/app.py") == shard.holds("shop/app.py")


@pytest.mark.parametrize("value", ["0/2", "3/2", "1/0", "2", "a/b", "-1/2", ""])
def test_a_bad_shard_exits_2(shop: Path, value: str):
    result = invoke("--check", "--shard", value, ".")
    assert result.exit_code == 2
    assert result.stderr == (
        f"flask-fix: error: --shard: expected I/N with 1 <= I <= N, such as 2/4 (got {value!r})\n"
    )


def test_check_paths_returns_what_the_json_output_says(shop: Path):
    (shop / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\n\n[tool.flask-fix]\nignore = ['FLK103']\n"
    )
    (shop / "broken.py").write_text("print 'hello'\n")
    report = flask_fix.check_paths(["."], cache_dir=None)
    command = invoke("--check", "--no-cache", "--output-format", "json", ".")
    assert report.to_json() == json.loads(command.stdout)
    assert report.exit_code == command.exit_code == 3
    assert report.files_checked == 11
    assert [e.path for e in report.errors] == ["broken.py"]
    assert "FLK103" not in {f.code for f in report.findings}
    selected = flask_fix.check_paths([shop / "shop"], select=["flk103"], unsafe=True)
    assert [(f.code, f.line) for f in selected.findings] == [("FLK103", 9)]
    assert selected.exit_code == 1


def test_check_paths_with_a_shard_and_a_cache(shop: Path, tmp_path: Path):
    whole = flask_fix.check_paths(["shop"])
    halves = [
        flask_fix.check_paths(["shop"], shard=f"{n}/2", cache_dir=tmp_path / "cache")
        for n in (1, 2)
    ]
    assert sorted(f.path for h in halves for f in h.findings) == sorted(
        f.path for f in whole.findings
    )
    assert (tmp_path / "cache" / "CACHEDIR.TAG").exists()
    again = flask_fix.check_paths(["shop"], shard="1/2", cache_dir=tmp_path / "cache")
    assert again == halves[0]


def test_check_paths_rejects_unknown_codes(shop: Path):
    with pytest.raises(ValueError, match="unknown rule code or prefix: FLK999"):
        flask_fix.check_paths(["."], select=["FLK999"])
