"""Configuration: finding `[tool.flask-fix]`, validating it, merging the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flask_fix.config import (
    ConfigError,
    FileConfig,
    PerFileIgnores,
    find_config,
    load_config,
    merge,
)

TABLE = "[tool.flask-fix]\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- discovery ------------------------------------------------------------------------


def test_the_nearest_pyproject_with_the_table_wins_and_others_are_passed_over(tmp_path: Path):
    write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["FLK102"]\n')
    # a pyproject.toml of some other tool, nearer: not ours, passed over unread
    write(tmp_path / "app" / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    inner = tmp_path / "app" / "views"
    inner.mkdir()
    config = find_config(["."], cwd=str(inner))
    assert config is not None
    assert config.path == str(tmp_path / "pyproject.toml")  # not under cwd: absolute
    assert config.root == str(tmp_path)
    assert config.ignore == ("FLK102",)

    write(tmp_path / "app" / "pyproject.toml", TABLE + 'ignore = ["FLK101"]\n')
    config = find_config(["."], cwd=str(inner))
    assert config is not None and config.ignore == ("FLK101",)
    assert config.root == str(tmp_path / "app")


def test_discovery_starts_from_the_folder_the_paths_share(tmp_path: Path):
    write(tmp_path / "proj" / "pyproject.toml", TABLE + 'select = ["FLK1"]\n')
    write(tmp_path / "proj" / "pkg" / "a.py", "")
    write(tmp_path / "proj" / "pkg" / "sub" / "b.py", "")
    config = find_config(["proj/pkg/a.py", "proj/pkg/sub/b.py"], cwd=str(tmp_path))
    assert config is not None
    assert (config.path, config.select) == (os.path.join("proj", "pyproject.toml"), ("FLK1",))
    # the current folder holds no configuration and the paths' common folder is above it
    assert find_config(["."], cwd=str(tmp_path)) is None


def test_no_configuration_anywhere(tmp_path: Path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(["."], cwd=str(tmp_path)) is None
    assert find_config(["-"], cwd=str(tmp_path)) is None


def test_a_pyproject_that_mentions_us_must_be_valid_toml(tmp_path: Path):
    write(tmp_path / "pyproject.toml", TABLE + "select = [\n")
    with pytest.raises(ConfigError) as error:
        find_config(["."], cwd=str(tmp_path))
    assert str(error.value) == "pyproject.toml: invalid TOML: Invalid value (at end of document)"


def test_explicit_config_file_forms(tmp_path: Path):
    write(tmp_path / "ci" / "pyproject.toml", TABLE + "unsafe-fixes = true\n")
    config = load_config("ci/pyproject.toml", cwd=str(tmp_path))
    assert (config.path, config.root, config.unsafe_fixes) == (
        os.path.join("ci", "pyproject.toml"),
        str(tmp_path / "ci"),
        True,
    )
    # a file of its own: the keys at the top level
    write(tmp_path / "flask-fix.toml", 'ignore = ["FLK103"]\n')
    assert load_config("flask-fix.toml", cwd=str(tmp_path)).ignore == ("FLK103",)
    # any TOML file with a [tool.flask-fix] table
    write(tmp_path / "shared.toml", TABLE + 'ignore = ["FLK104"]\n[tool.other]\nx = 1\n')
    assert load_config("shared.toml", cwd=str(tmp_path)).ignore == ("FLK104",)


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("pyproject.toml", "[tool.black]\n", "pyproject.toml: no [tool.flask-fix] table"),
        ("other.toml", "[tool.black]\n", "other.toml: no [tool.flask-fix] table"),
        ("missing.toml", None, "missing.toml: cannot read: No such file or directory"),
        (
            "pyproject.toml",
            '[tool]\nflask-fix = "yes"\n',
            "pyproject.toml: tool.flask-fix must be a table, got a string",
        ),
    ],
)
def test_explicit_config_errors(tmp_path: Path, name: str, text: str | None, message: str):
    if text is not None:
        write(tmp_path / name, text)
    with pytest.raises(ConfigError) as error:
        load_config(name, cwd=str(tmp_path))
    assert str(error.value) == message


# -- validation -----------------------------------------------------------------------

KNOWN = "known keys: select, ignore, unsafe-fixes, exclude, extend-exclude, per-file-ignores, "
KNOWN += "target-flask-version"


@pytest.mark.parametrize(
    "body, message",
    [
        ('selct = ["FLK1"]', f"selct: unknown key ({KNOWN})"),
        (
            'extend-select = ["FLK1"]',
            "extend-select: unknown key (list every code in select, "
            "or leave select out to run every rule)",
        ),
        ("unsafe_fixes = true", "unsafe_fixes: unknown key (did you mean unsafe-fixes?)"),
        ('select = "FLK1"', "select: expected a list of strings, got a string"),
        ("select = [101]", "select: expected a list of strings, got a list holding an integer"),
        ("select = []", "select: empty list (leave select out to run every rule)"),
        ('select = ["FLK0", "FLK101", "E501"]', "select: unknown rule code or prefix: FLK0, E501"),
        ('ignore = ["FLK000"]', "ignore: unknown rule code or prefix: FLK000"),
        ('unsafe-fixes = "yes"', "unsafe-fixes: expected true or false, got a string"),
        ("exclude = 'migrations'", "exclude: expected a list of strings, got a string"),
        (
            "extend-exclude = [1]",
            "extend-exclude: expected a list of strings, got a list holding an integer",
        ),
        (
            'per-file-ignores = ["tests/*"]',
            "per-file-ignores: expected a table of glob = [codes], got a list",
        ),
        (
            'per-file-ignores = {"tests/*" = "FLK101"}',
            'per-file-ignores."tests/*": expected a list of strings, got a string',
        ),
        (
            'per-file-ignores = {tests = ["FLK0"]}',
            "per-file-ignores.tests: unknown rule code or prefix: FLK0",
        ),
        (
            "target-flask-version = 2.3",
            'target-flask-version: expected a version string such as "2.3", got a float',
        ),
        (
            'target-flask-version = "latest"',
            'target-flask-version: expected a version string such as "2.3", got a string '
            "'latest'",
        ),
    ],
)
def test_every_mistake_is_one_line_naming_the_file_and_key(tmp_path: Path, body: str, message: str):
    write(tmp_path / "pyproject.toml", TABLE + body + "\n")
    with pytest.raises(ConfigError) as error:
        find_config(["."], cwd=str(tmp_path))
    assert str(error.value) == f"pyproject.toml: [tool.flask-fix] {message}"


def test_a_valid_table_is_read_whole(tmp_path: Path):
    write(
        tmp_path / "pyproject.toml",
        TABLE
        + 'select = ["flk1"]\n'
        + 'ignore = ["FLK102"]\n'
        + "unsafe-fixes = false\n"
        + 'exclude = ["migrations/"]\n'
        + 'extend-exclude = ["legacy/*.py"]\n'
        + 'target-flask-version = "2.3"\n'
        + "[tool.flask-fix.per-file-ignores]\n"
        + '"tests/*" = ["FLK104", "FLK101"]\n'
        + '"conftest.py" = []\n',
    )
    assert find_config(["."], cwd=str(tmp_path)) == FileConfig(
        path="pyproject.toml",
        root=str(tmp_path),
        select=("FLK1",),
        ignore=("FLK102",),
        unsafe_fixes=False,
        exclude=("migrations/", "legacy/*.py"),
        per_file_ignores=(("tests/*", ("FLK104", "FLK101")), ("conftest.py", ())),
        target_flask_version="2.3",
    )


# -- merging with the command line -----------------------------------------------------

FILE = FileConfig(
    path="pyproject.toml",
    root="/proj",
    select=("FLK1",),
    ignore=("FLK102",),
    unsafe_fixes=True,
    exclude=("migrations/",),
    per_file_ignores=(("tests/*", ("FLK101",)),),
    target_flask_version="2.3",
)


def test_without_command_line_options_the_file_decides():
    options = merge(FILE)
    assert (options.select, options.ignore, options.unsafe_fixes) == (("FLK1",), ("FLK102",), True)
    assert (options.exclude, options.exclude_root) == (("migrations/",), "/proj")
    assert options.per_file_ignores == PerFileIgnores("/proj", (("tests/*", ("FLK101",)),))
    assert (options.target_flask_version, options.config_path) == ("2.3", "pyproject.toml")


def test_select_on_the_command_line_replaces_the_files_selection():
    options = merge(FILE, select=("FLK102",), ignore=("FLK103",))
    assert (options.select, options.ignore) == (("FLK102",), ("FLK103",))


def test_ignore_on_the_command_line_adds_to_the_files():
    options = merge(FILE, ignore=("FLK104", "FLK102"))
    assert (options.select, options.ignore) == (("FLK1",), ("FLK102", "FLK104"))


def test_unsafe_fixes_flag_overrides_the_file_both_ways():
    assert merge(FILE, unsafe_fixes=False).unsafe_fixes is False
    assert merge(FILE, unsafe_fixes=None).unsafe_fixes is True
    no_setting = FileConfig(path="pyproject.toml", root="/proj")
    assert merge(no_setting).unsafe_fixes is False
    assert merge(no_setting, unsafe_fixes=True).unsafe_fixes is True


def test_exclude_on_the_command_line_adds_to_the_files():
    assert merge(FILE, exclude=("build_tools/",)).exclude == ("migrations/", "build_tools/")


def test_no_file_means_the_command_line_alone():
    options = merge(None, select=("FLK1",), ignore=("FLK103",), unsafe_fixes=None, exclude=("x",))
    assert (options.select, options.ignore, options.unsafe_fixes) == (("FLK1",), ("FLK103",), False)
    assert (options.exclude, options.exclude_root, options.per_file_ignores) == (("x",), None, None)


# -- per-file-ignores matching ------------------------------------------------------------


def test_per_file_ignore_globs_are_relative_to_the_configuration_folder(tmp_path: Path):
    root = str(tmp_path)
    ignores = PerFileIgnores(
        root,
        (
            ("tests/*", ("FLK4",)),
            ("conftest.py", ("FLK101",)),
            ("migrations", ("FLK1",)),
            ("./legacy/", ("FLK103",)),
            ("app/*_old.py", ("FLK102",)),
        ),
    )

    def codes(relative: str) -> tuple[str, ...]:
        return ignores.codes_for(os.path.join(root, relative))

    assert codes("tests/test_views.py") == ("FLK4",)
    assert codes("tests/unit/test_models.py") == ("FLK4",)  # `*` crosses folders
    assert codes("tests/conftest.py") == ("FLK4", "FLK101")
    assert codes("app/conftest.py") == ("FLK101",)  # no `/`: the name, anywhere
    assert codes("app/migrations/versions/1.py") == ("FLK1",)  # a folder's name
    assert codes("legacy/views.py") == ("FLK103",)  # a folder relative to the root
    assert codes("app/legacy/views.py") == ()  # ... and only there
    assert codes("app/views_old.py") == ("FLK102",)
    assert codes("app/views.py") == ()
    assert ignores.codes_for(str(tmp_path.parent / "tests" / "x.py")) == ()  # outside


def test_per_file_ignores_take_paths_as_shown(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ignores = PerFileIgnores(str(tmp_path), (("tests/*", ("FLK4",)),))
    assert ignores.codes_for(os.path.join("tests", "test_a.py")) == ("FLK4",)


def test_the_readme_snippet_is_valid_configuration(tmp_path: Path):
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    start = readme.index("```toml\n[tool.flask-fix]\n") + len("```toml\n")
    write(tmp_path / "pyproject.toml", readme[start : readme.index("```", start)])
    config = find_config(["."], cwd=str(tmp_path))
    assert config is not None
    assert (config.select, config.ignore, config.target_flask_version) == (
        ("FLK1",),
        ("FLK102",),
        "2.3",
    )
    assert config.per_file_ignores == (("tests/*", ("FLK104",)), ("conftest.py", ("FLK101",)))
