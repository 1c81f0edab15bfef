"""A run over a folder holding several projects gives each what a run on it alone gives.

A project is the nearest folder holding pyproject.toml, setup.py, setup.cfg, a
requirements*.txt or .git (flask_fix.index.projectroot): its apps, routes, pins and project
transforms never reach another project's files.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flask_fix.cli import main
from flask_fix.index.projectroot import NO_PROJECT, Projects


def _code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# the shop and the blog both serve /cart and /; each has an `app` module
SHOP_APP = _code(
    """
    from flask import Flask, redirect

    app = Flask(__name__)


    @app.route("/")
    def index():
        return "shop"


    @app.route("/cart")
    def cart():
        return "cart"


    @app.route("/buy")
    def buy():
        return redirect("/cart")
    """
)

BLOG_APP = _code(
    """
    from flask import Flask, redirect, send_file
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    db = SQLAlchemy(app)


    class Post(db.Model):
        id = db.Column(db.Integer, primary_key=True)


    @app.route("/")
    def index():
        return "blog"


    @app.route("/cart")
    def cart():
        return redirect("/")


    @app.route("/export")
    def export():
        return send_file("posts.csv", attachment_filename="posts.csv")
    """
)

# no pins: a current Flask and Flask-SQLAlchemy are assumed
WIKI_APP = BLOG_APP.replace('"blog"', '"wiki"')


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three projects side by side: shop (pyproject.toml, Flask 2.2), blog (requirements
    pinning Flask 1.1 and Flask-SQLAlchemy 2.5), wiki (setup.py, nothing pinned)."""
    shop, blog, wiki = (tmp_path / "all" / name for name in ("shop", "blog", "wiki"))
    for project in (shop, blog, wiki):
        project.mkdir(parents=True)
    (shop / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\ndependencies = ['flask>=2.2']\n"
    )
    (shop / "app.py").write_text(SHOP_APP)
    (blog / "requirements.txt").write_text("Flask==1.1.2\nFlask-SQLAlchemy==2.5.1\n")
    (blog / "app.py").write_text(BLOG_APP)
    (wiki / "setup.py").write_text("from setuptools import setup\nsetup(name='wiki')\n")
    (wiki / "app.py").write_text(WIKI_APP)
    return tmp_path / "all"


def _findings(path: Path, monkeypatch: pytest.MonkeyPatch, cwd: Path) -> list[dict]:
    """The JSON findings of `flask-fix --check` over `path`, each with its path relative
    to `cwd` (the runs compared are made from different folders)."""
    monkeypatch.chdir(path)
    result = CliRunner().invoke(
        main, ["--check", "--no-cache", "--output-format", "json", "-j", "1", "."]
    )
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    for finding in findings:
        finding["path"] = os.path.relpath(path / finding["path"], cwd)
    return sorted(findings, key=_place)


def _place(finding: dict) -> tuple:
    return (finding["path"], finding["line"], finding["column"], finding["code"])


def _findings_of_each_alone(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The findings of a run on each project of `folder` on its own, paths from `folder`."""
    return sorted(
        (
            finding
            for project in ("blog", "shop", "wiki")
            for finding in _findings(folder / project, monkeypatch, folder)
        ),
        key=_place,
    )


def test_a_folder_of_projects_gives_each_what_it_gets_alone(
    folder: Path, monkeypatch: pytest.MonkeyPatch
):
    together = _findings(folder, monkeypatch, folder)
    alone = _findings_of_each_alone(folder, monkeypatch)
    assert together == alone
    by_place = {(f["path"], f["code"], f["line"]): f for f in together}
    # the shop's redirect to /cart is its own route, not the blog's /cart
    redirect = by_place[("shop/app.py", "FLK102", 18)]
    assert redirect["fix_level"] == "intended"
    assert "url_for('cart')" in redirect["message"] or 'url_for("cart")' in redirect["message"]
    # the blog's pins: Flask 1.1 (send_file's download_name needs 2.0), Flask-SQLAlchemy 2.5
    assert by_place[("blog/app.py", "FLK703", 24)]["fix_level"] == "report"
    assert by_place[("blog/app.py", "FLK202", 5)]["fix_level"] == "unsafe"
    # the wiki pins nothing: current releases
    assert by_place[("wiki/app.py", "FLK703", 24)]["fix_level"] != "report"
    assert by_place[("wiki/app.py", "FLK202", 5)]["fix_level"] == "safe"


def test_a_folder_run_writes_what_each_project_alone_writes(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Fix mode: the files written in the folder run are those each project's own run
    writes (the blog keeps `attachment_filename`, its Flask is 1.1)."""
    import shutil

    alone = tmp_path / "alone"
    shutil.copytree(folder, alone)
    for project in ("blog", "shop", "wiki"):
        monkeypatch.chdir(alone / project)
        assert CliRunner().invoke(main, ["--no-cache", "-j", "1", "."]).exit_code in (0, 1)
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(main, ["--no-cache", "-j", "1", "."]).exit_code in (0, 1)
    for project in ("blog", "shop", "wiki"):
        written = (folder / project / "app.py").read_text()
        assert written == (alone / project / "app.py").read_text()
        compile(written, "app.py", "exec")
    assert 'attachment_filename="posts.csv"' in (folder / "blog" / "app.py").read_text()
    assert 'download_name="posts.csv"' in (folder / "wiki" / "app.py").read_text()
    assert 'url_for("cart")' in (folder / "shop" / "app.py").read_text()


def test_each_file_belongs_to_its_nearest_project(tmp_path: Path):
    (tmp_path / "repo" / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "repo" / "loose").mkdir()
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / "repo" / "sub" / "requirements-dev.txt").write_text("flask\n")
    projects = Projects()
    repo, sub = str(tmp_path / "repo"), str(tmp_path / "repo" / "sub")
    assert projects.of(str(tmp_path / "repo" / "app.py")) == repo
    assert projects.of(str(tmp_path / "repo" / "loose" / "x.py")) == repo
    assert projects.of(str(tmp_path / "repo" / "sub" / "deep" / "y.py")) == sub
    assert projects.of(str(tmp_path / "repo" / "sub" / "z.py")) == sub
    paths = [str(tmp_path / "repo" / "a.py"), str(tmp_path / "repo" / "sub" / "b.py")]
    assert projects.split(paths) == {repo: paths[:1], sub: paths[1:]}


def test_files_outside_any_project_form_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("flask_fix.index.projectroot.is_project_root", lambda folder: False)
    projects = Projects()
    assert projects.of(str(tmp_path / "a" / "x.py")) == NO_PROJECT
    assert projects.of(str(tmp_path / "b" / "y.py")) == NO_PROJECT


def test_each_project_follows_its_nearest_configuration(
    folder: Path, monkeypatch: pytest.MonkeyPatch
):
    """As ruff does: the shop's own [tool.flask-fix] applies to the shop in the folder
    run too (its ignore and exclude), and the folder's to the projects without one."""
    (folder / "pyproject.toml").write_text('[tool.flask-fix]\nselect = ["FLK7", "FLK1"]\n')
    (folder / "shop" / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\ndependencies = ['flask>=2.2']\n\n"
        '[tool.flask-fix]\nignore = ["FLK102"]\nexclude = ["legacy/"]\n'
    )
    (folder / "shop" / "legacy").mkdir()
    (folder / "shop" / "legacy" / "old.py").write_text(
        'from flask import send_file\n\n\ndef f():\n    return send_file("a", attachment_filename="a")\n'
    )
    together = _findings(folder, monkeypatch, folder)
    alone = _findings_of_each_alone(folder, monkeypatch)
    assert together == alone
    codes = {(f["path"].split("/")[0], f["code"]) for f in together}
    # the shop ignores FLK102 and excludes legacy/; it runs every other rule (FLK201)
    assert ("shop", "FLK102") not in codes and ("shop", "FLK201") in codes
    assert not any(f["path"].startswith("shop/legacy") for f in together)
    # the blog and the wiki follow the folder's selection
    assert {code for project, code in codes if project != "shop"} == {"FLK102", "FLK703"}


def test_a_configuration_named_on_the_command_line_applies_to_every_project(
    folder: Path, monkeypatch: pytest.MonkeyPatch
):
    (folder / "shop" / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.flask-fix]\nignore = ["FLK102"]\n'
    )
    (folder / "only.toml").write_text('select = ["FLK102"]\n')
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(
        main, ["--check", "--no-cache", "--output-format", "json", "--config", "only.toml", "."]
    )
    findings = json.loads(result.stdout)["findings"]
    assert {(f["path"], f["code"]) for f in findings} == {
        ("blog/app.py", "FLK102"), ("shop/app.py", "FLK102"), ("wiki/app.py", "FLK102"),
    }  # fmt: skip
