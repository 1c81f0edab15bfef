"""An all-repos autofixer: `python -m flask_fix.all_repos`, one branch and one pull
request per repository flask-fix changes.

all-repos (https://github.com/asottile/all-repos, `pip install 'flask-fix[all-repos]'`)
clones an organisation's repositories and runs an autofixer in a fresh clone of each: the
fixer edits the files, all-repos commits them on a branch and its push module opens the
pull request. This module is that fixer. It takes all-repos' usual options (`--config-
filename`, `--dry-run`, `--interactive`, `--jobs`, `--limit`, `--repos`, `--author`) and
adds `--unsafe-fixes` and `--branch-name`.

- **Which repositories:** those whose tracked Python files import `flask` or a
  `flask_*` package (`git grep` in all-repos' clones), then only those where `flask-fix
  --check` finds a fix to apply, or fails (a failure is reported, never skipped
  silently). `--repos` names repositories directly and skips this selection.
- **The run:** flask-fix runs as a subprocess at the clone's root, so the repository's
  own `[tool.flask-fix]` settings and requirement pins apply: first `--check --output-
  format json` (the fixes it will apply, per rule and level), then the writing run
  (`--output-format json` there lists the findings left, at their lines in the fixed
  code). Files flask-fix creates are staged too.
- **Failures:** exit code 2 (a file that does not parse, a configuration error, an
  internal error), output that is not flask-fix's JSON, or a changed Python file that
  would not compile: the repository gets no commit and no branch, and the summary at the
  end names it with the reason. The other repositories go on.
- **The message:** a title line, then what a reviewer needs (see `pull_request_body`).
  all-repos commits with one message for every repository; the push step is wrapped so
  that each commit is first amended with its own message, which the push module then
  posts (github_pull_request takes the title and body from the commit). `--dry-run`
  pushes nothing and prints each repository's diff (all-repos) and the body (here).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .version import __version__

#: the first line of every commit (the pull request's title), before the counts
TITLE = "Apply flask-fix"
DEFAULT_BRANCH = "flask-fix"
#: where a repository's message waits between the fix and the push (inside .git: never
#: part of the diff, gone with all-repos' temporary clone)
MESSAGE_FILE = os.path.join(".git", "flask-fix-message")
CACHE_DIR = os.path.join(".git", "flask-fix-cache")
#: GitHub refuses pull request bodies over 65,536 characters; the findings list stops short
BODY_BUDGET = 60_000
MESSAGE_WIDTH = 400
#: `import flask`, `from flask import`, `import flask_sqlalchemy`, `from flask.ext...`
FLASK_IMPORT = r"^[[:space:]]*(from|import)[[:space:]]+flask"
LEVELS = ("safe", "intended", "unsafe")


class Failure(Exception):
    """A repository flask-fix cannot migrate: no commit, listed at the end."""


@dataclass(frozen=True)
class Options:
    unsafe_fixes: bool = False
    #: flask-fix's own -j: all cores when all-repos handles one repository at a time
    jobs: int = 0

    def flask_fix(self, *args: str) -> list[str]:
        command = [sys.executable, "-m", "flask_fix", *args, "-j", str(self.jobs)]
        if self.unsafe_fixes:
            command.append("--unsafe-fixes")
        return command

    def applies(self, level: str) -> bool:
        return level in ("safe", "intended") or (level == "unsafe" and self.unsafe_fixes)


# -- running flask-fix ----------------------------------------------------------------


@dataclass
class Run:
    code: int
    document: dict


def run_flask_fix(options: Options, *args: str, cwd: str = ".") -> Run:
    """flask-fix with JSON output in `cwd`; Failure when it exits with 2 (or 3) or prints
    something that is not its JSON document."""
    done = subprocess.run(
        options.flask_fix(*args, "--output-format", "json", "."),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        document = json.loads(done.stdout)
        if not isinstance(document, dict) or not {"findings", "errors"} <= document.keys():
            raise ValueError("not flask-fix's JSON document")
    except ValueError:
        lines = done.stderr.strip().splitlines() or ["no output"]
        raise Failure(f"flask-fix exited with {done.returncode}: {lines[-1]}") from None
    if done.returncode & 2:
        errors = document["errors"]
        where = [_error_line(e) for e in errors[:3]]
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise Failure(f"flask-fix exited with {done.returncode}: " + "; ".join(where) + more)
    return Run(done.returncode, document)


def _error_line(error: dict) -> str:
    where = f"{error['path']}:{error['line']}" if error.get("line") else error["path"]
    return f"{where}: {error['kind']}: {error['message']}"


def fixes_of(findings: Iterable[dict], options: Options) -> list[dict]:
    """The findings whose fix a writing run applies: a finding without a fix has the
    level `report` in the JSON, and unsafe fixes need --unsafe-fixes."""
    return [f for f in findings if options.applies(f["fix_level"])]


# -- choosing repositories ------------------------------------------------------------


def mentions_flask(path: str) -> bool:
    found = subprocess.run(
        ["git", "-C", path, "grep", "--quiet", "-E", FLASK_IMPORT, "--", "*.py"],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


def worth_a_clone(path: str, options: Options) -> bool:
    """Whether flask-fix would change this clone, or fails on it (to be reported)."""
    try:
        run = run_flask_fix(options, "--check", "--no-cache", cwd=path)
    except Failure:
        return True
    return bool(fixes_of(run.document["findings"], options))


def find_repos(config: Any, *, options: Options, jobs: int) -> list[str]:
    from all_repos import mapper

    cloned = [os.path.join(config.output_dir, name) for name in config.get_cloned_repos()]
    flask = [path for path in cloned if mentions_flask(path)]
    with mapper.thread_mapper(jobs) as do_map:
        keep = list(do_map(functools.partial(worth_a_clone, options=options), flask))
    chosen = sorted(path for path, wanted in zip(flask, keep) if wanted)
    print(
        f"flask-fix: {len(cloned)} repositories, {len(flask)} import Flask, "
        f"{len(chosen)} to migrate (or failing)",
        flush=True,
    )
    return chosen


# -- one repository (in all-repos' clone, the current folder) -------------------------


def _record_path(report_dir: str, remote: str) -> str:
    return os.path.join(report_dir, hashlib.sha1(remote.encode()).hexdigest() + ".json")


def _remote() -> str:
    return subprocess.check_output(["git", "config", "remote.origin.url"], text=True).strip()


def _update_record(report_dir: str, **fields: object) -> None:
    path = _record_path(report_dir, _remote())
    record: dict = {}
    if os.path.exists(path):
        with open(path) as f:
            record = json.load(f)
    record.update(fields)
    with open(path + ".tmp", "w") as f:
        json.dump(record, f)
    os.replace(path + ".tmp", path)


def apply_fix(options: Options, report_dir: str) -> None:
    """all-repos' `apply_fix`: run flask-fix here, stage what it wrote, keep the message."""
    _update_record(report_dir, status="started")
    try:
        check = run_flask_fix(options, "--check", "--cache-dir", CACHE_DIR)
        fixes = fixes_of(check.document["findings"], options)
        if not fixes:
            _update_record(report_dir, status="unchanged", left=len(check.document["findings"]))
            return
        written = run_flask_fix(options, "--cache-dir", CACHE_DIR)
    except Failure as failure:
        _update_record(report_dir, status="failed", reason=str(failure))
        raise
    subprocess.run(["git", "add", "--all"], check=True)
    left = written.document["findings"]
    staged = subprocess.run(["git", "diff", "--cached", "--quiet", "origin/HEAD"], check=False)
    if staged.returncode == 0:  # the fixes left the bytes as they were
        _update_record(report_dir, status="unchanged", left=len(left))
        return
    added = _added_lines()
    requirements = requirement_changes(fixes, added, options)
    message = commit_message(fixes, left, requirements, options)
    with open(MESSAGE_FILE, "w", encoding="utf-8") as f:
        f.write(message)
    _update_record(
        report_dir,
        status="changed",
        fixes=dict(Counter(f["fix_level"] for f in fixes)),
        left=len(left),
        requirements=[r.requirement for r in requirements],
    )


def check_fix(report_dir: str) -> None:
    """all-repos' `check_fix` (after its diff, before its commit): every changed Python
    file must compile; then the message is shown (with --dry-run, the body it would post)."""
    changed = subprocess.run(
        ["git", "diff", "--cached", "--name-only", "--diff-filter=AM", "-z", "origin/HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for path in changed:
        if not path.endswith(".py"):
            continue
        with open(path, "rb") as f:
            source = f.read()
        try:
            compile(source, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            reason = f"the fixed {path} does not compile: {exc}"
            _update_record(report_dir, status="failed", reason=reason)
            raise Failure(reason) from None
    with open(MESSAGE_FILE, encoding="utf-8") as f:
        print(f"***Commit message and pull request body\n{f.read()}", flush=True)


def push_with_message(
    push: Callable[[Any, str], None], report_dir: str, settings: Any, branch: str
) -> None:
    """The configured push module's `push`, after the commit gets this repository's own
    message (github_pull_request takes the pull request's title and body from it)."""
    subprocess.run(
        ["git", "commit", "--amend", "--quiet", "--cleanup=whitespace", "--file", MESSAGE_FILE],
        check=True,
    )
    _update_record(report_dir, status="pushing", branch=branch)
    push(settings, branch)
    _update_record(report_dir, status="pushed")


def _added_lines() -> list[tuple[str, str]]:
    """(path, line) of every line the fixes added (staged against origin/HEAD)."""
    diff = subprocess.run(
        ["git", "diff", "--cached", "--no-color", "--unified=0", "origin/HEAD"],
        check=True,
        capture_output=True,
        text=True,
        errors="replace",
    ).stdout
    added, path = [], ""
    for line in diff.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("+") and path:
            added.append((path, line[1:]))
    return added


# -- what the project's requirements must change --------------------------------------


@dataclass(frozen=True)
class RequirementChange:
    requirement: str  # what to declare: "flask>=2.0", "markupsafe"
    why: str


#: applied fixes that need a Flask release: the rule, the release (each rule module's
#: own NEEDS, which decides when it rewrites), what in its edits marks such a fix (None:
#: every fix of the rule), and what the new code uses
def _flask_needs() -> list[tuple[str, tuple[int, ...], str | None, str]]:
    from .codemods import removed_helpers, removed_json_api, send_file_kwargs

    return [
        (
            "FLK703",
            send_file_kwargs.NEEDS,
            None,
            "`send_file` keywords `download_name=`, `max_age=`",
        ),
        ("FLK704", removed_json_api.NEEDS, None, "`app.json` (the JSON provider)"),
        ("FLK708", removed_helpers.NEEDS, "werkzeug.utils", "`werkzeug.utils.safe_join`"),
        ("FLK708", removed_helpers.NEEDS, "from_file", "`Config.from_file`"),
    ]


#: a deployment line FLK201 rewrote to call the factory: Gunicorn 20.1 reads `'m:f()'`
GUNICORN_FACTORY = re.compile(r"\bgunicorn\b.*:create_app\(\)")


def requirement_changes(
    fixes: Sequence[dict], added: Sequence[tuple[str, str]], options: Options, root: str = "."
) -> list[RequirementChange]:
    """What the requirements must now say, compared with what they say (read as the rules
    read them, flask_fix.pins): a Flask release some rewrite needs, when no declaration
    already bounds Flask at or above it; `markupsafe` when FLK702 made the code import it
    and no declaration names it; Gunicorn 20.1 for a start command FLK201 made call
    `create_app()`. Each rule rewrites only when the declared pins allow it; with no pin
    it assumes a current release, which is what the project must now declare."""
    from .index import pins
    from .rewrite.factory.deploy_refs import GUNICORN_CALLS_FACTORIES

    changes: list[RequirementChange] = []
    needed: dict[tuple[int, ...], list[str]] = {}
    for code, release, marker, what in _flask_needs():
        for fix in fixes:
            if fix["code"] != code:
                continue
            contents = " ".join(e["content"] for e in (fix.get("fix") or {}).get("edits", ()))
            if marker is None or marker in contents:
                uses = needed.setdefault(release, [])
                if f"{code}: {what}" not in uses:
                    uses.append(f"{code}: {what}")
    if needed:
        release = max(needed, key=lambda r: r + (0,) * (4 - len(r)))
        uses = [u for r in sorted(needed) for u in needed[r]]
        changes += _raise(
            root, pins.FLASK, "flask", release, "the fixed code uses " + "; ".join(uses)
        )
    if any(f["code"] == "FLK702" for f in fixes) and not pins.requirements_of(root, "markupsafe"):
        changes.append(
            RequirementChange(
                "markupsafe",
                "FLK702: the code now imports `markupsafe` itself (every Flask release "
                "installs it, through Jinja2 or directly); declare what the code imports",
            )
        )
    if any(path for path, line in added if GUNICORN_FACTORY.search(line)):
        changes += _raise(
            root, "gunicorn", "gunicorn", GUNICORN_CALLS_FACTORIES,
            "FLK201: the start command calls the factory (`'module:create_app()'`)",
        )  # fmt: skip
    return changes


def _raise(
    root: str, package: str, name: str, release: tuple[int, ...], why: str
) -> list[RequirementChange]:
    from .index import pins

    declared = pins.lowest_version(root, package)
    if pins.at_least(declared, release) and declared is not None:
        return []
    wanted = f"{name}>={pins.describe(release)}"
    files = sorted({os.path.relpath(f, root) for f, _ in pins.requirements_of(root, package)})
    where = f" ({', '.join(files)})" if files else ""
    if not files:
        now = f"no requirements file names {name}"
    elif declared is None:
        now = f"the requirements name {name} without a lower bound{where}"
    elif not any(declared):
        now = f"the requirements allow any {name}{where}"
    else:
        now = f"the requirements allow {name} {pins.describe(declared)}{where}"
    return [RequirementChange(wanted, f"{why}; {now}")]


# -- the commit message ---------------------------------------------------------------


def commit_message(
    fixes: Sequence[dict],
    left: Sequence[dict],
    requirements: Sequence[RequirementChange],
    options: Options,
) -> str:
    files = len({f["path"] for f in fixes})
    title = f"{TITLE}: {_plural(len(fixes), 'fix', 'fixes')} in {_plural(files, 'file')}"
    return f"{title}\n\n{pull_request_body(fixes, left, requirements, options)}"


def pull_request_body(
    fixes: Sequence[dict],
    left: Sequence[dict],
    requirements: Sequence[RequirementChange],
    options: Options,
) -> str:
    """Markdown for the reviewer: the fixes per rule and level, what the requirements must
    change, and the findings left for a person at their file:line in the fixed code."""
    command = "flask-fix --unsafe-fixes" if options.unsafe_fixes else "flask-fix"
    parts = [
        (
            f"`{command}` ({__version__}) rewrote this repository's Flask code, with the "
            "repository's own `[tool.flask-fix]` settings and requirement pins. "
            "`flask-fix --explain CODE` prints what a rule does and how safe its fix is."
        ),
        "## Fixes\n\n" + _fix_table(fixes),
    ]
    if requirements:
        lines = [f"- `{r.requirement}`: {r.why}" for r in requirements]
        parts.append("## Requirements to change\n\n" + "\n".join(lines))
    else:
        parts.append(
            "## Requirements to change\n\nNone: every rewrite works on the releases the "
            "project's requirements allow."
        )
    variables = environment_variables(fixes)
    if variables:
        names = ", ".join(f"`{v}`" for v in variables)
        it = "it" if len(variables) == 1 else "them"
        parts.append(
            f"## Before merging\n\n- Set {names} in the environment of every deployment: "
            f"the fixed code reads {it} from `os.environ`; without {it} an app stops at "
            "start-up (`os.environ[...]`, where the key is set on the app) or runs with no "
            "key and refuses to sign sessions (`os.environ.get(...)`, in a config class or "
            "settings module); sessions signed with the old key end when a new one is set "
            "(FLK402)."
        )
    parts.append(_left_section(left, options, BODY_BUDGET - sum(len(p) for p in parts)))
    return "\n\n".join(parts) + "\n"


#: what FLK402 (with --unsafe-fixes) writes instead of the literal key
ENVIRON_READ = re.compile(r"""environ(?:\[|\.get\()\s*["']([^"']+)["']\s*[\])]""")


def environment_variables(fixes: Sequence[dict]) -> list[str]:
    """The variables the fixed code now requires from the environment (FLK402's edits)."""
    found: list[str] = []
    for fix in fixes:
        if fix["code"] != "FLK402":
            continue
        for edit in (fix.get("fix") or {}).get("edits", ()):
            for name in ENVIRON_READ.findall(edit["content"]):
                if name not in found:
                    found.append(name)
    return found


def _fix_table(fixes: Sequence[dict]) -> str:
    by_rule: dict[tuple[str, str], Counter] = {}
    for fix in fixes:
        by_rule.setdefault((fix["code"], fix["name"]), Counter())[fix["fix_level"]] += 1
    rows = ["| rule | name | safe | intended | unsafe | fixes |", "|---|---|--:|--:|--:|--:|"]
    total: Counter = Counter()
    for (code, name), counts in sorted(by_rule.items()):
        total.update(counts)
        cells = [str(counts[level]) if counts[level] else "" for level in LEVELS]
        rows.append(f"| {code} | `{name}` | {' | '.join(cells)} | {sum(counts.values())} |")
    cells = [str(total[level]) for level in LEVELS]
    rows.append(f"| **all** | | {' | '.join(cells)} | {sum(total.values())} |")
    return "\n".join(rows) + (
        "\n\n**safe**: the program behaves exactly as before. **intended**: behaviour "
        "changes only in the way the rule's practice asks for. **unsafe**: may change "
        "behaviour beyond that (applied because of `--unsafe-fixes`): review each one."
    )


def _left_section(left: Sequence[dict], options: Options, budget: int) -> str:
    heading = f"## Findings left for a person ({len(left)})"
    if not left:
        return heading + "\n\nNone."
    lines: list[str] = []
    used = len(heading)
    for finding in left:
        message = finding["message"]
        if len(message) > MESSAGE_WIDTH:
            message = message[: MESSAGE_WIDTH - 1].rstrip() + "…"
        note = ""
        if finding["fix_level"] == "unsafe" and not options.unsafe_fixes:
            note = " (an unsafe fix exists: `flask-fix --unsafe-fixes`)"
        line = f"- `{finding['path']}:{finding['line']}` {finding['code']} {message}{note}"
        if used + len(line) + 200 > budget:
            rest = len(left) - len(lines)
            lines.append(f"- ... and {rest} more: `flask-fix --check` lists them all")
            break
        lines.append(line)
        used += len(line) + 1
    where = "At their file:line in the fixed code."
    return heading + "\n\n" + where + "\n\n" + "\n".join(lines)


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# -- the sweep ------------------------------------------------------------------------


def summary(
    repos: Sequence[str], report_dir: str, output_dir: str, dry_run: bool, interactive: bool
) -> tuple[list[str], int]:
    """The lines printed after the sweep, and how many repositories failed. A repository
    is named as all-repos names it (its folder under output_dir), else by its path."""
    from all_repos import git

    changed, unchanged, declined, failed = [], [], [], []
    levels: Counter = Counter()
    left = 0
    for path in repos:
        repo = os.path.relpath(path, output_dir)
        if repo.startswith(os.pardir):
            repo = path
        try:
            remote = git.remote(path)
        except subprocess.CalledProcessError:
            failed.append((repo, "not a git repository with an origin"))
            continue
        path = _record_path(report_dir, remote)
        record: dict = {}
        if os.path.exists(path):
            with open(path) as f:
                record = json.load(f)
        status = record.get("status")
        if status == "failed":
            failed.append((repo, record["reason"]))
        elif status == "unchanged":
            unchanged.append(repo)
        elif status == "pushed" or (status == "changed" and dry_run):
            changed.append(repo)
            levels.update(record["fixes"])
            left += record["left"]
        elif status == "changed" and interactive:
            declined.append(repo)
        elif status == "pushing":
            failed.append((repo, "the push failed (its error is above)"))
        elif status in ("started", "changed"):
            failed.append((repo, "an error in the fixer (its traceback is above)"))
        else:
            failed.append((repo, "all-repos could not clone it (its error is above)"))
    verb = "would change" if dry_run else "changed (pushed)"
    fixes = ", ".join(f"{levels[level]} {level}" for level in LEVELS)
    lines = [
        (
            f"flask-fix sweep: {len(repos)} repositories: {len(changed)} {verb}, "
            f"{len(unchanged)} unchanged, "
            + (f"{len(declined)} declined, " if interactive else "")
            + f"{len(failed)} failed"
        ),
        f"fixes: {fixes} ({sum(levels.values())}); findings left for a person: {left}",
    ]
    if failed:
        lines.append("failed (no branch):")
        lines += [f"  {repo}: {reason}" for repo, reason in failed]
    return lines, len(failed)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from all_repos import autofix_lib
    except ImportError:
        print(
            "flask_fix.all_repos needs all-repos: pip install 'flask-fix[all-repos]'",
            file=sys.stderr,
        )
        return 2
    import tempfile

    parser = argparse.ArgumentParser(
        prog="python -m flask_fix.all_repos",
        description="Run flask-fix in every repository all-repos manages: one branch, "
        "one commit and one pull request per repository it changes.",
    )
    autofix_lib.add_fixer_args(parser)
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply fixes flask-fix marks unsafe."
    )
    parser.add_argument(
        "--branch-name",
        default=DEFAULT_BRANCH,
        help="the branch, after all-repos' prefix (default `%(default)s`: "
        "`all-repos_autofix_%(default)s`).",
    )
    args = parser.parse_args(argv)
    options = Options(unsafe_fixes=args.unsafe_fixes, jobs=0 if args.jobs == 1 else 1)

    repos, config, commit, settings = autofix_lib.from_cli(
        args,
        find_repos=functools.partial(find_repos, options=options, jobs=args.jobs),
        msg=TITLE,
        branch_name=args.branch_name,
    )
    repos = tuple(repos)[: settings.limit]
    with tempfile.TemporaryDirectory(prefix="flask-fix-sweep-") as report_dir:
        config = config._replace(push=functools.partial(push_with_message, config.push, report_dir))
        autofix_lib.fix(
            repos,
            apply_fix=functools.partial(apply_fix, options, report_dir),
            check_fix=functools.partial(check_fix, report_dir),
            config=config,
            commit=commit,
            autofix_settings=settings,
        )
        lines, failures = summary(
            repos, report_dir, config.output_dir, settings.dry_run, settings.interactive
        )
    print("\n".join(lines), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
