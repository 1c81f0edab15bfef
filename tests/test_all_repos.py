"""`python -m flask_fix.all_repos`, the all-repos autofixer, offline: four local git
repositories made here (one with nothing to change, one holding a Python 2 file, two
with fixes), an all-repos configuration reading them from a JSON file, and a push module
that only records what it would push."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# the test extra installs all-repos; without it, this says so in pytest's summary
pytest.importorskip("all_repos", reason="all-repos is not installed (pip install -e '.[test]')")

from flask_fix import all_repos as fixer  # noqa: E402

BRANCH = "all-repos_autofix_flask-fix"

SHOP = {
    "app.py": """\
        import json

        from flask import Flask, redirect, request

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "shop"


        @app.route("/items")
        def items():
            return json.dumps([1, 2])


        @app.route("/old")
        def old():
            return redirect("/")


        @app.route("/gone")
        def gone():
            return redirect("/nowhere")


        @app.route("/upload", methods=["POST"])
        def upload():
            return str(json.loads(request.data))


        if __name__ == "__main__":
            app.run(debug=True)
        """,
    # the repository's own settings: FLK104 would rewrite json.loads(request.data)
    "pyproject.toml": """\
        [tool.flask-fix]
        ignore = ["FLK104"]
        """,
}

BLOG = {
    "app.py": """\
        from flask import Flask, Markup, send_file

        app = Flask(__name__)


        @app.route("/")
        def index():
            return Markup("<b>blog</b>")


        @app.route("/export")
        def export():
            return send_file("export.csv", attachment_filename="export.csv", as_attachment=True)
        """,
    "requirements.txt": "Flask\n",
}

CLEAN = {
    "app.py": """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            @app.route("/")
            def index():
                return "clean"

            return app
        """,
}

BROKEN = {
    "app.py": """\
        import json

        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return json.dumps({})
        """,
    "legacy.py": 'print "still Python 2"\n',
}

REPOS = {"shop": SHOP, "blog": BLOG, "clean": CLEAN, "broken": BROKEN}

RECORDING_PUSH = '''\
"""An all-repos push module that pushes nothing: it records the branch, the commit's
tree and parent, and the message a pull request would be opened with."""

import json
import subprocess
from typing import NamedTuple


class Settings(NamedTuple):
    record: str


def _git(*args):
    return subprocess.check_output(("git", *args), text=True).strip()


def push(settings, branch_name):
    entry = {
        "remote": _git("config", "remote.origin.url"),
        "branch": branch_name,
        "checked_out": _git("rev-parse", "--abbrev-ref", "HEAD"),
        "tree": _git("rev-parse", "HEAD^{tree}"),
        "parent": _git("rev-parse", "HEAD^"),
        "title": _git("log", "-1", "--format=%s"),
        "body": _git("log", "-1", "--format=%b"),
        "author": _git("log", "-1", "--format=%an <%ae>"),
    }
    with open(settings.record, "a") as f:
        f.write(json.dumps(entry) + "\\n")
'''


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def make_repo(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    git("init", "--quiet", "--initial-branch=main", cwd=folder)
    git("add", "--all", cwd=folder)
    git("commit", "--quiet", "--message", "Initial commit", cwd=folder)


GIT_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "Sweep Test",
    "GIT_AUTHOR_EMAIL": "sweep@example.com",
    "GIT_COMMITTER_NAME": "Sweep Test",
    "GIT_COMMITTER_EMAIL": "sweep@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,  # no user settings (hooks, message cleanup, signing)
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """The upstream repositories, all-repos' configuration and its clones, and the
    environment the sweep runs in (the push module importable, git's identity set)."""
    root = tmp_path_factory.mktemp("all-repos")
    with pytest.MonkeyPatch.context() as patch:
        for variable, value in GIT_ENVIRONMENT.items():
            patch.setenv(variable, value)
        for name, files in REPOS.items():
            make_repo(root / "upstream" / name, files)
        sources = {name: str(root / "upstream" / name) for name in REPOS}
        (root / "repos.json").write_text(json.dumps(sources))
        (root / "recording_push.py").write_text(RECORDING_PUSH)
        config = root / "all-repos.json"
        config.write_text(
            json.dumps(
                {
                    "output_dir": "output",
                    "source": "all_repos.source.json_file",
                    "source_settings": {"filename": str(root / "repos.json")},
                    "push": "recording_push",
                    "push_settings": {"record": str(root / "pushed.jsonl")},
                }
            )
        )
        config.chmod(0o600)  # all-repos refuses a configuration others can read
        environment = dict(os.environ, PYTHONPATH=str(root))
        clone_run = subprocess.run(
            [sys.executable, "-m", "all_repos.clone", "--config-filename", str(config)],
            env=environment,
            capture_output=True,
            text=True,
        )
        assert clone_run.returncode == 0, clone_run.stderr
    return root, config, environment


def run_sweep(world, *args: str) -> subprocess.CompletedProcess[str]:
    root, config, environment = world
    return subprocess.run(
        [sys.executable, "-m", "flask_fix.all_repos", "--config-filename", str(config)]
        + ["--color", "never", *args],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def sweep(world):
    """One real sweep (two repositories at a time): its output, exit code, and what the
    push module recorded, by repository."""
    root = world[0]
    done = run_sweep(world, "--jobs", "2")
    record = root / "pushed.jsonl"
    lines = record.read_text().splitlines() if record.exists() else []
    pushed = {Path(p["remote"]).name: p for p in map(json.loads, lines)}
    return done, pushed


def plain_run(world, name: str, tmp_path: Path, *args: str) -> tuple[str, Path]:
    """The tree a plain `flask-fix` run leaves in a clone of the upstream repository."""
    root, _, environment = world
    copy = tmp_path / name
    git("clone", "--quiet", str(root / "upstream" / name), str(copy), cwd=tmp_path)
    subprocess.run(
        [sys.executable, "-m", "flask_fix", *args, "."],
        cwd=copy,
        env=environment,
        capture_output=True,
    )
    git("add", "--all", cwd=copy)
    return git("write-tree", cwd=copy), copy


def test_branches_only_where_flask_fix_changes_code(world, sweep):
    done, pushed = sweep
    assert sorted(pushed) == ["blog", "shop"]
    root = world[0]
    for name, entry in pushed.items():
        assert entry["branch"] == BRANCH
        assert entry["checked_out"] == BRANCH
        # the branch starts from the default branch upstream
        assert entry["parent"] == git("rev-parse", "main", cwd=root / "upstream" / name)
        assert entry["author"] == "Sweep Test <sweep@example.com>"
    # the clean repository is not even cloned: flask-fix --check finds nothing to fix
    assert "flask-fix: 4 repositories, 4 import Flask, 3 to migrate (or failing)" in done.stdout
    # (two workers print at once: lines can interleave)
    cloned = re.findall(r"\*\*\*" + re.escape(str(root / "output")) + r"/(\w+)", done.stdout)
    assert sorted(cloned) == ["blog", "broken", "shop"]


@pytest.mark.parametrize("name", ["shop", "blog"])
def test_each_commit_is_a_plain_flask_fix_run(world, sweep, tmp_path, name):
    _, pushed = sweep
    tree, copy = plain_run(world, name, tmp_path)
    assert pushed[name]["tree"] == tree
    assert tree != git("rev-parse", "HEAD^{tree}", cwd=copy)
    if name == "shop":  # the repository's own [tool.flask-fix] ignores FLK104
        assert "return str(json.loads(request.data))" in (copy / "app.py").read_text()


def test_shop_message(sweep):
    _, pushed = sweep
    shop = pushed["shop"]
    assert shop["title"] == "Apply flask-fix: 3 fixes in 1 file"
    body = shop["body"]
    assert body.startswith("`flask-fix` (0.1.0) rewrote this repository's Flask code")
    table = textwrap.dedent(
        """\
        | rule | name | safe | intended | unsafe | fixes |
        |---|---|--:|--:|--:|--:|
        | FLK101 | `json-dumps-response` |  | 1 |  | 1 |
        | FLK102 | `literal-redirect` |  | 1 |  | 1 |
        | FLK401 | `debug-true` |  | 1 |  | 1 |
        | **all** | | 0 | 3 | 0 | 3 |
        """
    )
    assert table in body
    assert "## Requirements to change\n\nNone:" in body
    left = body[body.index("## Findings left for a person") :]
    assert left.startswith("## Findings left for a person (2)\n")
    assert "- `app.py:5` FLK201 module-level app `app` should be built" in left
    assert "- `app.py:25` FLK102 no route of the project serves GET /nowhere" in left
    assert "FLK104" not in body  # ignored by the repository's settings


def test_blog_message_names_the_requirements(sweep):
    _, pushed = sweep
    body = pushed["blog"]["body"]
    assert "| FLK702 | `markupsafe-import` | 1 |  |  | 1 |" in body
    assert "| FLK703 | `send-file-kwargs` | 1 |  |  | 1 |" in body
    requirements = body[body.index("## Requirements to change") : body.index("## Findings left")]
    assert (
        "- `flask>=2.0`: the fixed code uses FLK703: `send_file` keywords `download_name=`,"
        " `max_age=`; the requirements name flask without a lower bound (requirements.txt)"
        in requirements
    )
    assert "- `markupsafe`: FLK702: the code now imports `markupsafe` itself" in requirements
    # on the fixed code: FLK702 added `from markupsafe import Markup` above the app
    assert "- `app.py:4` FLK201 module-level app" in body


def test_broken_repository_is_reported_and_the_sweep_goes_on(sweep):
    done, pushed = sweep
    assert "broken" not in pushed
    assert done.returncode == 1
    summary = done.stdout[done.stdout.index("flask-fix sweep:") :].splitlines()
    assert summary == [
        "flask-fix sweep: 3 repositories: 2 changed (pushed), 0 unchanged, 1 failed",
        "fixes: 2 safe, 3 intended, 0 unsafe (5); findings left for a person: 3",
        "failed (no branch):",
        (
            "  broken: flask-fix exited with 3: legacy.py:1: syntax-error: Missing"
            " parentheses in call to 'print'. Did you mean print(...)? (Python 2 code?)"
        ),
    ]


def test_dry_run_prints_the_diff_and_the_body_and_pushes_nothing(world, sweep):
    root = world[0]
    before = (root / "pushed.jsonl").read_text()
    done = run_sweep(world, "--dry-run", "--unsafe-fixes", "--repos", str(root / "output" / "blog"))
    assert done.returncode == 0, done.stderr
    assert (root / "pushed.jsonl").read_text() == before
    out = done.stdout
    assert "-from flask import Flask, Markup, send_file\n" in out
    assert "+def create_app(config=None):\n" in out
    body = out[out.index("***Commit message and pull request body") :]
    assert "`flask-fix --unsafe-fixes` (0.1.0) rewrote" in body
    assert "| FLK201 | `app-factory` |  |  | 1 | 1 |" in body
    assert out.index("+def create_app") < out.index("***Commit message and pull request body")
    assert "flask-fix sweep: 1 repositories: 1 would change, 0 unchanged, 0 failed" in out


# -- the message's parts, without all-repos -----------------------------------------------


def finding(code: str, level: str, content: str = "", path: str = "app.py", line: int = 1) -> dict:
    edits = [{"line": 1, "column": 1, "end_line": 1, "end_column": 1, "content": content}]
    return {
        "code": code,
        "name": code.lower(),
        "message": f"{code} message",
        "path": path,
        "line": line,
        "column": 1,
        "end_line": line,
        "end_column": 2,
        "fix_level": level,
        "fix": None if level == "report" else {"edits": edits},
    }


def changes(tmp_path: Path, fixes: list[dict], added=(), **files: str) -> list[str]:
    for name, text in files.items():
        (tmp_path / name.replace("_txt", ".txt")).write_text(text)
    found = fixer.requirement_changes(fixes, list(added), fixer.Options(), root=str(tmp_path))
    return [f"{c.requirement}: {c.why}" for c in found]


def test_requirements_a_rewrite_needs_against_the_pins(tmp_path):
    fixes = [finding("FLK704", "intended", "app.json.compact = False")]
    assert changes(tmp_path, fixes, requirements_txt="Flask>=1.0\n") == [
        "flask>=2.2: the fixed code uses FLK704: `app.json` (the JSON provider); the"
        " requirements allow flask 1.0 (requirements.txt)"
    ]
    assert changes(tmp_path, fixes, requirements_txt="flask>=2.2.5,<3\n") == []


def test_requirements_the_highest_release_and_every_use(tmp_path):
    fixes = [
        finding("FLK703", "safe", "download_name"),
        finding("FLK704", "intended", "app.json.sort_keys = False"),
    ]
    assert changes(tmp_path, fixes) == [
        "flask>=2.2: the fixed code uses FLK703: `send_file` keywords `download_name=`,"
        " `max_age=`; FLK704: `app.json` (the JSON provider); no requirements file names flask"
    ]


def test_removed_helpers_need_flask_2_only_for_werkzeug_safe_join_and_from_file(tmp_path):
    hmac = finding("FLK708", "unsafe", "hmac.compare_digest")
    assert changes(tmp_path, [hmac]) == []
    safe_join = finding("FLK708", "unsafe", "from werkzeug.utils import safe_join\n")
    from_file = finding("FLK708", "safe", 'from_file("c.json", load=json.load)')
    assert changes(tmp_path, [hmac, safe_join, from_file]) == [
        "flask>=2.0: the fixed code uses FLK708: `werkzeug.utils.safe_join`; FLK708:"
        " `Config.from_file`; no requirements file names flask"
    ]


def test_markupsafe_is_added_only_when_undeclared(tmp_path):
    fixes = [finding("FLK702", "safe", "markupsafe")]
    assert [c.split(":")[0] for c in changes(tmp_path, fixes)] == ["markupsafe"]
    assert changes(tmp_path, fixes, requirements_txt="flask\nMarkupSafe>=2\n") == []


def test_gunicorn_calling_the_factory(tmp_path):
    added = [("Procfile", "web: gunicorn 'app:create_app()'")]
    assert changes(tmp_path, [], added) == [
        "gunicorn>=20.1: FLK201: the start command calls the factory"
        " (`'module:create_app()'`); no requirements file names gunicorn"
    ]
    assert changes(tmp_path, [], added, requirements_txt="gunicorn==21.2\n") == []
    assert changes(tmp_path, [], [("Procfile", "web: gunicorn app:app")]) == []


def test_the_body_stays_under_githubs_limit():
    left = [finding("FLK102", "report", line=n) for n in range(1, 5001)]
    left = [dict(f, message="x" * 1000) for f in left]
    fixes = [finding("FLK101", "intended")]
    body = fixer.pull_request_body(fixes, left, [], fixer.Options())
    assert len(body) < 65_536
    assert body.count("\n- `app.py:") < 5000
    assert body.rstrip().endswith("more: `flask-fix --check` lists them all")
    assert "- `app.py:1` FLK102 " + "x" * (fixer.MESSAGE_WIDTH - 1) + "…\n" in body


def test_a_secret_key_read_from_the_environment_is_named_before_merging():
    fixes = [
        finding("FLK402", "unsafe", 'os.environ["SECRET_KEY"]'),
        finding("FLK402", "unsafe", "import os\n\n"),
        finding("FLK402", "unsafe", "environ['APP_SECRET']"),
        finding("FLK402", "unsafe", 'os.environ.get("CONFIG_SECRET")'),
        finding("FLK101", "intended", 'os.environ["NOT_THIS"]'),
    ]
    body = fixer.pull_request_body(fixes, [], [], fixer.Options(unsafe_fixes=True))
    assert (
        "## Before merging\n\n- Set `SECRET_KEY`, `APP_SECRET`, `CONFIG_SECRET` in the "
        "environment of every deployment: the fixed code reads them from `os.environ`; "
        "without them an app stops at start-up (`os.environ[...]`, where the key is set on "
        "the app) or runs with no key and refuses to sign sessions (`os.environ.get(...)`, "
        "in a config class or settings module)" in body
    )
    assert "NOT_THIS" not in body
    assert "## Before merging" not in fixer.pull_request_body(fixes[4:], [], [], fixer.Options())
