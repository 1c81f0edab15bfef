"""flask_fix.index.pins: the lowest Flask a project's own declarations allow."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
from packaging.specifiers import SpecifierSet

from flask_fix.index.pins import (
    at_least,
    flask_version_for,
    lowest_allowed,
    lowest_flask_version,
    lowest_version,
    older_than,
    project_root,
    version_for,
)


def tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"))
    return root


@pytest.mark.parametrize(
    ("specifier", "lowest"),
    [
        ("==1.1.2", (1, 1, 2)),
        (">=2.0,<3", (2, 0)),
        ("~=2.2", (2, 2)),
        ("~=2.2.1", (2, 2, 1)),
        (">2.1", (2, 1)),  # strictly above 2.1: never taken as newer than it is
        ("==2.*", (2,)),
        ("===2.3.0", (2, 3, 0)),
        (">=0.12,>=1.0", (1, 0)),  # the highest lower bound
        ("<2.0", (0,)),  # only an upper bound: any older release
        ("<=1.1.4,!=1.0", (0,)),
        ("!=2.0.0", None),  # bounds nothing
        ("", None),
        (">=2.0rc1", (2, 0)),
    ],
)
def test_lowest_allowed(specifier, lowest):
    assert lowest_allowed(SpecifierSet(specifier)) == lowest


def test_at_least_pads_versions():
    assert at_least(None, (2, 2))  # unknown: assume a current Flask
    assert at_least((2,), (2, 0))
    assert at_least((2, 2), (2, 2, 0))
    assert at_least((3, 0, 0), (2, 2))
    assert not at_least((2, 1, 3), (2, 2))
    assert not at_least((0,), (1, 0))


def test_older_than_message():
    assert older_than(None, (2, 0)) is None
    assert older_than((2, 0), (2, 0)) is None
    assert older_than((1, 1, 2), (2, 0)) == (
        "not rewritten: this needs Flask >= 2.0 and the project may run on Flask 1.1.2 (its"
        " requirements, or target-flask-version); upgrade Flask first"
    )
    assert "may run on an older Flask (" in older_than((0,), (2, 0))


def test_requirements_txt(tmp_path):
    tree(
        tmp_path,
        {
            "requirements.txt": """
        # pinned by pip-compile
        click==8.1.7
        Flask==1.1.2 \\
            --hash=sha256:abc
        flask-login==0.6.3
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) == (1, 1, 2)


def test_requirements_names_are_normalized_and_extras_markers_kept(tmp_path):
    tree(tmp_path, {"requirements-dev.txt": 'FLASK[async] >= 2.2 ; python_version >= "3.8"\n'})
    assert lowest_flask_version(str(tmp_path)) == (2, 2)


def test_requirements_folder_and_includes(tmp_path):
    tree(tmp_path, {
        "requirements.txt": "-r requirements/prod.txt\n",
        "requirements/prod.txt": "-r common.txt\ngunicorn\n",
        "requirements/common.txt": "Flask~=2.3.2\n-c constraints.txt\n",
        "requirements/constraints.txt": "flask<3\n",
        "requirements/dev.txt": "-r common.txt\n-r dev.txt\n",  # a cycle is harmless
    })  # fmt: skip
    assert lowest_flask_version(str(tmp_path)) == (2, 3, 2)


def test_unpinned_and_urls_bound_nothing(tmp_path):
    tree(
        tmp_path,
        {
            "requirements.txt": """
        flask
        -e git+https://github.com/pallets/flask.git#egg=flask
        flask @ https://example.com/flask-9.9.tar.gz
        not a requirement at all ===
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) is None


def test_pyproject_project_dependencies(tmp_path):
    tree(
        tmp_path,
        {
            "pyproject.toml": """
        [project]
        name = "shop"
        dependencies = ["requests>=2", "flask>=2.0,<3"]
        [project.optional-dependencies]
        old = ["flask==0.12"]  # extras are not what the project runs on
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) == (2, 0)


@pytest.mark.parametrize(
    ("constraint", "lowest"),
    [
        ('"^2.2"', (2, 2)),
        ('"~2.0.1"', (2, 0, 1)),
        ('"2.1.*"', (2, 1)),
        ('"2.3.3"', (2, 3, 3)),
        ('">= 2.0, < 3.0"', (2, 0)),
        ('">=2.0 <3.0"', (2, 0)),
        ('"^1.1 || ^2.0"', (1, 1)),
        ('{version = "^2.2", extras = ["async"]}', (2, 2)),
        ('[{version = "^2.0", python = "<3.8"}, {version = "^3.0", python = ">=3.8"}]', (2, 0)),
        ('"*"', None),
        ('{git = "https://github.com/pallets/flask.git"}', None),
    ],
)
def test_pyproject_poetry(tmp_path, constraint, lowest):
    tree(
        tmp_path,
        {
            "pyproject.toml": f"""
        [tool.poetry.dependencies]
        python = "^3.10"
        Flask = {constraint}
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) == lowest


def test_setup_cfg(tmp_path):
    tree(
        tmp_path,
        {
            "setup.cfg": """
        [metadata]
        name = shop
        [options]
        install_requires =
            click
            Flask>=1.0.2  # old but fine
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) == (1, 0, 2)


def test_setup_py_literal_name_and_concatenation(tmp_path):
    tree(
        tmp_path,
        {
            "setup.py": """
        from setuptools import setup

        base = ['click']
        web = ['Flask>=0.7', 'wtforms']
        setup(name='x', install_requires=base + web, extras_require={'a': ['flask==0.1']})
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) == (0, 7)


def test_setup_py_is_never_run(tmp_path):
    tree(
        tmp_path,
        {
            "setup.py": """
        import sys
        sys.exit("must not run")
        setuptools.setup(install_requires=["flask==2.2.5"])
    """
        },
    )
    assert lowest_flask_version(str(tmp_path)) == (2, 2, 5)


def test_broken_files_are_skipped(tmp_path):
    tree(tmp_path, {
        "pyproject.toml": "[project\ndependencies = [",
        "setup.py": "def (:\n",
        "setup.cfg": "[options\ninstall_requires = flask==1.0",
        "requirements.txt": "flask==2.1\n",
    })  # fmt: skip
    assert lowest_flask_version(str(tmp_path)) == (2, 1)


def test_the_lowest_declaration_wins(tmp_path):
    # flask-admin's shape: setup.py allows >= 0.7, a requirements file pins below 2.0
    tree(tmp_path, {
        "setup.py": "from setuptools import setup\nsetup(install_requires=['Flask>=0.7'])\n",
        "requirements-dev.txt": "Flask<2.0.0\n",
        "requirements.txt": "flask\n",
    })  # fmt: skip
    assert lowest_flask_version(str(tmp_path)) == (0, 7)
    tree(tmp_path, {"requirements-ci.txt": "flask==2.3.3\nflask>=0.12\n"})
    assert lowest_flask_version(str(tmp_path)) == (0, 7)


def test_only_an_upper_bound(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask<2\n"})
    assert lowest_flask_version(str(tmp_path)) == (0,)


def test_project_root_walks_up_to_the_nearest_marker(tmp_path):
    tree(tmp_path, {
        "repo/.git/HEAD": "ref: refs/heads/main\n",
        "repo/service/requirements.txt": "flask==2.0.3\n",
        "repo/service/app/views.py": "",
        "repo/service/app/models.py": "",
        "repo/other/tool.py": "",
    })  # fmt: skip
    service = tmp_path / "repo" / "service"
    views, models = service / "app" / "views.py", service / "app" / "models.py"
    assert project_root([str(views), str(models)]) == str(service)
    assert project_root([str(service / "app")]) == str(service)
    # files of two projects: their common folder's project
    assert project_root([str(views), str(tmp_path / "repo/other/tool.py")]) == str(
        tmp_path / "repo"
    )
    assert flask_version_for([str(views)]) == (2, 0, 3)
    assert flask_version_for([str(tmp_path / "repo/other/tool.py")]) is None


def test_no_paths():
    assert project_root([]) is None


def test_a_folder_without_markers_is_not_a_root(tmp_path):
    lone = tree(tmp_path, {"a.py": ""}) / "a.py"
    assert project_root([str(lone)]) != str(tmp_path)


def test_relative_paths(tmp_path, monkeypatch):
    tree(tmp_path, {"pyproject.toml": '[project]\ndependencies = ["flask==2.2.0"]\n', "a.py": ""})
    monkeypatch.chdir(tmp_path)
    assert flask_version_for(["a.py"]) == (2, 2, 0)
    assert flask_version_for(["."]) == (2, 2, 0)


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "Flask==2.3.3\nFlask_SQLAlchemy==2.5.1\n"},
        {
            "pyproject.toml": '[project]\ndependencies = ["flask>=2.3", "flask-sqlalchemy>=2.5.1,<3"]\n'
        },
        {
            "pyproject.toml": '[tool.poetry.dependencies]\nflask = "^2.3"\nFlask-SQLAlchemy = "~2.5.1"\n'
        },
        {
            "setup.cfg": "[options]\ninstall_requires =\n    Flask>=2.3\n    Flask-SQLAlchemy>=2.5.1\n"
        },
        {
            "setup.py": "from setuptools import setup\nsetup(install_requires=['Flask>=2.3', 'Flask-SQLAlchemy>=2.5.1'])\n"
        },
    ],
    ids=["requirements", "pyproject", "poetry", "setup.cfg", "setup.py"],
)
def test_other_packages_are_read_the_same_way(tmp_path, files):
    tree(tmp_path, files)
    assert lowest_version(str(tmp_path), "flask-sqlalchemy") == (2, 5, 1)
    assert lowest_version(str(tmp_path), "flask")[:2] == (2, 3)
    assert version_for([str(tmp_path)], "flask-sqlalchemy") == (2, 5, 1)
    assert lowest_version(str(tmp_path), "flask-login") is None


def test_a_requirement_is_read_only_when_it_names_the_package():
    from flask_fix.index.pins import _specifier

    assert str(_specifier("Flask_SQLAlchemy >= 2.5", "flask-sqlalchemy")) == ">=2.5"
    assert str(_specifier("  flask[async]>=2.0; python_version>'3'", "flask")) == ">=2.0"
    assert _specifier("flask-sqlalchemy==2.5", "flask") is None
    assert _specifier("flask-==1.0", "flask") is None
    assert _specifier("flask @ https://example.com/flask.zip", "flask") is None
    assert _specifier("--hash=sha256:abc", "flask") is None


def test_requirements_for_lists_only_the_declared_packages(tmp_path):
    from flask_fix.index.pins import requirements_for

    (tmp_path / "requirements.txt").write_text(
        "Flask==1.1.4\nWerkzeug>=0.15,<1\nWTForms\nemail-validator ; python_version > '3'\n"
    )
    (tmp_path / "app.py").write_text("")
    found = requirements_for(
        [str(tmp_path / "app.py")], ("werkzeug", "wtforms", "email-validator", "flask-login")
    )
    assert found == {"werkzeug": (0, 15), "wtforms": None, "email-validator": None}


def test_flasks_own_requirements_bound_what_it_leaves_undeclared():
    """pins.FLASK_REQUIRES: the Requires-Dist of each Flask release's wheel; a Flask
    between two rows takes the older row's (lower) bounds."""
    from flask_fix.index.pins import implied_by_flask

    assert implied_by_flask(None) == {}
    assert implied_by_flask((1, 0, 2))["werkzeug"] == (0, 14)
    assert implied_by_flask((1, 1, 4))["werkzeug"] == (0, 15)
    assert implied_by_flask((1, 1, 4))["markupsafe"] == (0, 23)  # through Jinja2>=2.10.1
    assert implied_by_flask((2, 2, 5))["werkzeug"] == (2, 2)  # 2.2.0's, not 2.2.5's 2.2.2
    assert implied_by_flask((3, 1))["itsdangerous"] == (2, 2)
    assert implied_by_flask((0, 10, 1)) == {
        p: (0,) for p in ("werkzeug", "jinja2", "itsdangerous", "click", "markupsafe")
    }
    assert implied_by_flask((0,))["werkzeug"] == (0,)  # `flask<2`: any
