from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from flask_fix.run import files
from flask_fix.run.files import discover

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def make_tree(root: Path, layout: dict[str, str]) -> None:
    for relative, content in layout.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder that is also the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_git_work_tree(root: Path) -> None:
    (root / ".git" / "info").mkdir(parents=True)


def test_walks_python_files_only_sorted_and_relative_to_cwd(tree: Path) -> None:
    make_tree(
        tree,
        {"b.py": "", "a.py": "", "pkg/mod.py": "", "pkg/data.json": "", "README.md": ""},
    )
    result = discover(["."])
    assert result.files == ["a.py", "b.py", os.path.join("pkg", "mod.py")]
    assert result.errors == []


@pytest.mark.parametrize(
    "folder",
    [".git", "__pycache__", "node_modules", "site-packages", "build", "dist", ".tox",
     ".mypy_cache", ".eggs", "flask_fix.egg-info"],
)
def test_tool_and_build_folders_are_skipped(tree: Path, folder: str) -> None:
    make_tree(tree, {"app.py": "", f"{folder}/skipped.py": "", f"src/{folder}/skipped.py": ""})
    assert discover(["."]).files == ["app.py"]


def test_any_folder_holding_pyvenv_cfg_is_skipped(tree: Path) -> None:
    make_tree(tree, {"app.py": "", "my-env/pyvenv.cfg": "home = /usr/bin\n", "my-env/lib/x.py": ""})
    assert discover(["."]).files == ["app.py"]


def test_a_folder_named_on_the_command_line_is_walked_whatever_its_name(tree: Path) -> None:
    make_tree(tree, {"build/gen.py": "", "build/pyvenv.cfg": ""})
    assert discover(["build"]).files == [os.path.join("build", "gen.py")]


def test_gitignore_rules_inside_a_work_tree(tree: Path) -> None:
    make_git_work_tree(tree)
    (tree / ".git" / "info" / "exclude").write_text("local_only.py\n")
    make_tree(
        tree,
        {
            ".gitignore": "*_generated.py\nscratch/\n",
            "app.py": "",
            "models_generated.py": "",
            "local_only.py": "",
            "scratch/try.py": "",
            "pkg/.gitignore": "*.py\n!keep.py\n",
            "pkg/drop.py": "",
            "pkg/keep.py": "",
            "pkg/deeper/also_dropped.py": "",
        },
    )
    assert discover(["."]).files == ["app.py", os.path.join("pkg", "keep.py")]


def test_a_deeper_gitignore_can_re_include_what_a_shallower_one_ignores(tree: Path) -> None:
    make_git_work_tree(tree)
    make_tree(tree, {".gitignore": "settings_*.py\n", "conf/.gitignore": "!settings_base.py\n",
                     "conf/settings_base.py": "", "conf/settings_local.py": ""})
    assert discover(["."]).files == [os.path.join("conf", "settings_base.py")]


def test_gitignore_means_nothing_outside_a_work_tree(tree: Path) -> None:
    make_tree(tree, {".gitignore": "*.py\n", "app.py": ""})
    assert discover(["."]).files == ["app.py"]


def test_gitignore_can_be_switched_off(tree: Path) -> None:
    make_git_work_tree(tree)
    make_tree(tree, {".gitignore": "*.py\n", "app.py": ""})
    assert discover(["."], respect_gitignore=False).files == ["app.py"]


def test_walking_a_subfolder_applies_the_gitignore_files_above_it(tree: Path) -> None:
    make_git_work_tree(tree)
    make_tree(tree, {".gitignore": "*_pb2.py\n", "src/app.py": "", "src/api_pb2.py": ""})
    assert discover(["src"]).files == [os.path.join("src", "app.py")]


def test_an_ignored_folder_named_on_the_command_line_is_walked(tree: Path) -> None:
    make_git_work_tree(tree)
    make_tree(tree, {".gitignore": "vendor/\n", "vendor/lib.py": ""})
    assert discover(["."]).files == []
    assert discover(["vendor"]).files == [os.path.join("vendor", "lib.py")]


def test_a_nested_repository_found_while_walking_uses_its_own_rules(tree: Path) -> None:
    make_tree(tree, {".gitignore": "*.py\n", "top.py": "", "repo/.gitignore": "old.py\n",
                     "repo/old.py": "", "repo/new.py": ""})
    make_git_work_tree(tree / "repo")
    assert discover(["."]).files == [os.path.join("repo", "new.py"), "top.py"]


def test_a_linked_worktree_reads_info_exclude_from_the_common_git_folder(tree: Path) -> None:
    main_git = tree / "main" / ".git"
    (main_git / "info").mkdir(parents=True)
    (main_git / "info" / "exclude").write_text("private.py\n")
    (main_git / "worktrees" / "feature").mkdir(parents=True)
    (main_git / "worktrees" / "feature" / "commondir").write_text("../..\n")
    make_tree(tree, {"feature/.git": f"gitdir: {main_git / 'worktrees' / 'feature'}\n",
                     "feature/app.py": "", "feature/private.py": ""})
    assert discover(["feature"]).files == [os.path.join("feature", "app.py")]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_agrees_with_git_on_which_files_are_ignored(tree: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    (tree / ".git" / "info" / "exclude").write_text("/excluded_at_top.py\n")
    make_tree(
        tree,
        {
            ".gitignore": "logs/\n/top_only.py\n**/gen/*.py\n!gen/keep.py\ntmp*\n",
            "a/.gitignore": "*.py\n!b/\n!*_keep.py\n",
            "a/x.py": "", "a/x_keep.py": "", "a/b/y.py": "",
            "logs/l.py": "", "top_only.py": "", "sub/top_only.py": "",
            "gen/g.py": "", "gen/keep.py": "", "deep/gen/g.py": "",
            "tmpfile.py": "", "excluded_at_top.py": "", "sub/excluded_at_top.py": "", "ok.py": "",
        },
    )
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "*.py"],
        cwd=tree, check=True, capture_output=True, text=True,
    ).stdout.split()
    assert discover(["."]).files == sorted(os.path.normpath(path) for path in listed)


def test_a_named_file_is_included_whatever_its_suffix_or_ignore_status(tree: Path) -> None:
    make_git_work_tree(tree)
    make_tree(tree, {".gitignore": "manage\n", "manage": "#!/usr/bin/env python\n"})
    assert discover(["manage"]).files == ["manage"]


def test_exclude_globs_match_the_relative_path_and_the_name(tree: Path) -> None:
    make_tree(
        tree,
        {"app/views.py": "", "app/views_test.py": "", "app/migrations/0001.py": "",
         "conftest.py": "", "legacy/old.py": ""},
    )
    result = discover(["."], exclude=["*_test.py", "app/migrations/*", "legacy/", "conftest.py"])
    assert result.files == [os.path.join("app", "views.py")]


def test_exclude_globs_also_match_relative_to_the_walked_folder(tree: Path) -> None:
    make_tree(tree, {"app/views.py": "", "app/migrations/0001.py": ""})
    assert discover(["app"], exclude=["migrations/*"]).files == [os.path.join("app", "views.py")]


def test_a_folder_pattern_matches_folders_only(tree: Path) -> None:
    make_tree(tree, {"static/a.py": "", "lib/static": "", "static.py": ""})
    assert discover([".", "lib/static"], exclude=["static/"]).files == [
        os.path.join("lib", "static"),
        "static.py",
    ]


def test_exclude_drops_a_named_file_inside_an_excluded_folder(tree: Path) -> None:
    # pre-commit passes every staged file, ignoring the tool's own exclusions.
    make_tree(tree, {"app/migrations/0001.py": "", "app/views.py": ""})
    named = [os.path.join("app", "migrations", "0001.py"), os.path.join("app", "views.py")]
    assert discover(named, exclude=["migrations"]).files == [os.path.join("app", "views.py")]


def test_exclude_never_drops_the_current_directory_itself(tmp_path: Path, monkeypatch) -> None:
    make_tree(tmp_path, {"legacy/app.py": ""})
    monkeypatch.chdir(tmp_path / "legacy")
    assert discover(["."], exclude=["legacy"]).files == ["app.py"]


def test_overlapping_paths_list_each_file_once(tree: Path) -> None:
    make_tree(tree, {"app/views.py": "", "run.py": ""})
    result = discover([".", "app", "./app/views.py", str(tree / "run.py")])
    assert result.files == [os.path.join("app", "views.py"), "run.py"]


def test_paths_outside_the_cwd_are_shown_absolute(tmp_path: Path, monkeypatch) -> None:
    make_tree(tmp_path, {"project/app.py": "", "elsewhere/cwd.txt": ""})
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert discover([os.path.join("..", "project")]).files == [str(tmp_path / "project" / "app.py")]


def test_symlinked_folders_are_never_followed(tree: Path) -> None:
    make_tree(tree, {"pkg/mod.py": ""})
    (tree / "pkg" / "loop").symlink_to("..", target_is_directory=True)
    (tree / "outside_link").symlink_to(tree.parent, target_is_directory=True)
    result = discover(["."])
    assert result.files == [os.path.join("pkg", "mod.py")]
    assert result.errors == []


def test_symlink_loops_and_dangling_links_are_skipped_quietly(tree: Path) -> None:
    make_tree(tree, {"app.py": ""})
    (tree / "first.py").symlink_to("second.py")
    (tree / "second.py").symlink_to("first.py")
    (tree / "dangling.py").symlink_to("missing.py")
    assert discover(["."]) == files.Discovery(files=["app.py"], errors=[])


def test_symlinked_files_count_only_when_they_point_into_a_root(tmp_path: Path, monkeypatch) -> None:
    make_tree(tmp_path, {"project/bin/serve": "", "secret/keys.py": ""})
    project = tmp_path / "project"
    (project / "serve.py").symlink_to(project / "bin" / "serve")
    (project / "keys.py").symlink_to(tmp_path / "secret" / "keys.py")
    monkeypatch.chdir(project)
    assert discover(["."]).files == ["serve.py"]


def test_a_file_and_a_link_to_it_are_listed_once_under_the_direct_path(tree: Path) -> None:
    make_tree(tree, {"real.py": ""})
    (tree / "alias.py").symlink_to("real.py")
    assert discover(["."]).files == ["real.py"]
    assert discover(["alias.py", "real.py"]).files == ["real.py"]


def test_a_missing_path_is_an_error_shown_as_typed(tree: Path) -> None:
    make_tree(tree, {"app.py": ""})
    result = discover(["app.py", "./nope.py"])
    assert result.files == ["app.py"]
    assert result.errors == [("./nope.py", "No such file or directory")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_an_error_not_a_file_to_read(tree: Path) -> None:
    os.mkfifo(tree / "pipe")
    assert discover(["pipe"]).errors == [("pipe", "not a regular file or folder")]


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root can list any folder")
def test_an_unreadable_folder_is_an_error_and_the_rest_is_listed(tree: Path) -> None:
    make_tree(tree, {"app.py": "", "locked/hidden.py": ""})
    (tree / "locked").chmod(0)
    try:
        result = discover(["."])
    finally:
        (tree / "locked").chmod(0o755)
    assert result.files == ["app.py"]
    assert result.errors == [("locked", "cannot list folder: Permission denied")]


def test_a_folder_that_cannot_be_listed_is_an_error(tree: Path, monkeypatch) -> None:
    make_tree(tree, {"app.py": "", "locked/hidden.py": ""})
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    result = discover(["."])
    assert result.files == ["app.py"]
    assert result.errors == [("locked", "cannot list folder: Permission denied")]


def test_the_listing_the_transforms_read_skips_cache_folders(tmp_path: Path) -> None:
    """files_under (templates, deployment files): a folder holding CACHEDIR.TAG (the
    run's own cache, wherever --cache-dir puts it) is not listed."""
    from flask_fix.run.files import files_under

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "index.html").write_text("x")
    (tmp_path / "cache" / "abc").mkdir(parents=True)
    (tmp_path / "cache" / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
    (tmp_path / "cache" / "abc" / "runs.pickle").write_bytes(b"")
    (tmp_path / "Procfile").write_text("web: gunicorn app:app\n")
    assert files_under(str(tmp_path)) == [
        str(tmp_path / "Procfile"), str(tmp_path / "templates" / "index.html")
    ]  # fmt: skip
