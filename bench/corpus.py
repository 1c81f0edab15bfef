"""Run flask-fix over a folder of real repositories, each as its own project, and check it.

    python bench/corpus.py CORPUS_DIR [--unsafe-fixes] [--only NAME]...

Every direct sub-folder of CORPUS_DIR is one repository (fetched outside this repository;
never commit them). Each is copied to a scratch folder and checked:
  - no internal error;
  - `--diff` applies with `git apply`;
  - writing gives exactly what the diff previews;
  - every changed file still compiles (a changed Jinja template still parses);
  - a second run finds nothing more to change.
Prints a Markdown table, one row per repository (files, lines, findings, files changed,
each check, the time of the `--diff` run), with the problems found under a failing row,
and exits 1 if any check failed. Needs no network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def flask_fix(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        # no cache: every run does the whole work, and the second run re-checks for real
        [sys.executable, "-m", "flask_fix", "--no-cache", *args, "."],
        cwd=cwd,
        capture_output=True,
    )


def git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True)


def check_repository(source: Path, scratch: Path, extra: list[str]) -> tuple[bool, str]:
    work = scratch / source.name
    shutil.copytree(source, work, symlinks=True)
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.email=x@y", "-c",
                    "user.name=corpus", "commit", "-qm", "original", "--no-verify"]):
        git(command, work)

    started = time.perf_counter()
    preview = flask_fix(["--diff", *extra], work)
    elapsed = time.perf_counter() - started
    problems = []
    stderr = preview.stderr.decode(errors="replace")
    if preview.returncode not in (0, 1, 2, 3):
        problems.append(f"exit {preview.returncode}")
    if "internal-error" in stderr or "Traceback" in stderr:
        problems.append("internal error: " + _first(stderr, "internal-error", "Traceback"))
    if preview.stdout:
        applied = git(["apply", "--check", "-"], work, preview.stdout)
        if applied.returncode:
            problems.append("git apply --check failed: " + applied.stderr.decode()[:200])

    flask_fix(extra, work)
    patched = scratch / (source.name + "-patched")
    shutil.copytree(source, patched, symlinks=True)
    git(["init", "-q"], patched)
    if preview.stdout:
        git(["apply", "-"], patched, preview.stdout)
    changed = [
        line.decode()
        for line in git(["diff", "--name-only"], work).stdout.splitlines()
    ]
    for name in changed:
        if (work / name).read_bytes() != (patched / name).read_bytes():
            problems.append(f"write differs from preview: {name}")
        broken = parse_error(name, (source / name).read_bytes(), (work / name).read_bytes())
        if broken:
            problems.append(f"does not compile after the fix: {name}: {broken}")
    again = flask_fix(["--diff", *extra], work)
    if again.stdout:
        problems.append("second run still changes: " + again.stdout.decode()[:200])

    summary = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    python = list(source.rglob("*.py"))  # as fetched, before any fix
    lines = sum(path.read_bytes().count(b"\n") for path in python if path.is_file())
    checks = {
        "no internal error": not any(p.startswith(("internal", "exit")) for p in problems),
        "diff applies": not any(p.startswith("git apply") for p in problems),
        "write == preview": not any(p.startswith("write differs") for p in problems),
        "changed files compile": not any(p.startswith("does not compile") for p in problems),
        "second run clean": not any(p.startswith("second run") for p in problems),
    }
    row = [
        source.name, str(len(python)), str(lines), _findings(summary), str(len(changed)),
        *("ok" if passed else "FAIL" for passed in checks.values()), f"{elapsed:.1f}s",
    ]  # fmt: skip
    return not problems, "| " + " | ".join(row) + " |" + "".join(f"\n  - {p}" for p in problems)


HEADER = (
    "| repository | .py files | lines | findings | files changed | no internal error "
    "| diff applies | write == preview | changed files compile | second run clean | time |"
)


def _findings(summary: str) -> str:
    """The findings count from the summary line ("3 files would be changed, 7 findings
    found, ..."): findings with a fix and those without."""
    for part in summary.split(", "):
        if "finding" in part:
            return part.split()[0]
    return "?"


def parse_error(name: str, before: bytes, after: bytes) -> str | None:
    """Why a changed file no longer parses: Python must compile; a Jinja template (the
    app-factory rewrite renames endpoints in them) must parse if it parsed before."""
    if name.endswith(".py"):
        try:
            compile(after, name, "exec")
        except SyntaxError as exc:
            if "f-string" not in str(exc):  # newer syntax than this interpreter
                return str(exc)
        return None
    try:
        import jinja2
    except ImportError:  # not installed: templates go unchecked
        return None
    extensions = ["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"]
    environment = jinja2.Environment(extensions=extensions)
    try:
        environment.parse(before.decode("utf-8", "replace"))
    except jinja2.TemplateSyntaxError:
        return None  # did not parse before either (custom tags)
    try:
        environment.parse(after.decode("utf-8", "replace"))
    except jinja2.TemplateSyntaxError as exc:
        return f"template: {exc}"
    return None


def _first(text: str, *needles: str) -> str:
    for line in text.splitlines():
        if any(n in line for n in needles):
            return line[:300]
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--only", action="append", help="this repository only (repeatable)")
    args = parser.parse_args()
    extra = ["--unsafe-fixes"] if args.unsafe_fixes else []
    all_ok = True
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    with tempfile.TemporaryDirectory(prefix="flask-fix-corpus-") as scratch:
        for repository in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
            if args.only and repository.name not in args.only:
                continue
            ok, line = check_repository(repository, Path(scratch), extra)
            all_ok &= ok
            print(line, flush=True)
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
