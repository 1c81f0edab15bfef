"""Where a cold run's CPU goes, phase by phase.

    python bench/phases.py PATH [--output-format FORMAT] [--repeat N] [--profile N]

Runs `flask-fix --check --no-cache -j1 --output-format FORMAT` (text unless told) on PATH
(a real tree, fetched outside this repository; one process, so every phase's CPU is seen)
and prints the CPU
time (process time: steadier than wall time on a shared machine) spent in each phase,
each counted once, without what it calls that is listed as a phase of its own:
  start-up      `import flask_fix.cli`, in a fresh interpreter
  load rules    the rule classes and LibCST, loaded once before the scan
  scan: read    reading each file
  scan: parse   `parsing.parse_module` (`ast.parse`; LibCST where that one stops)
  scan: facts   `project.scan_module` (the index scanner's walk)
  scan: triage  `triage.rules_for_module`
  scan: other   the rest of `runner.scan_file` (text rules, errors)
  build_index   linking the facts, in the parent
  transforms    the project transforms (FLK201...)
  fallback uses `legacy_db.fallback_uses` (FLK202 on Flask-SQLAlchemy before 3.0)
  fix phase     `runner.fix_file` (LibCST), its reads included; with json, sarif or
                rdjson this includes each finding's edits (flask_fix.run.fixedits)
  other         the rest: file listing, pins, the report
Each run is its own interpreter, as a real cold run; with `--repeat N` it runs N times and
prints each phase's least CPU (on a shared machine the least is the steadiest figure).
With `--profile N` it then profiles one more run in this process and prints cProfile's N
costliest functions by own time.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

IMPORT_TIME = (
    "import time; start = time.process_time(); import flask_fix.cli; "
    "print(time.process_time() - start)"
)


class PhaseClock:
    """Exclusive CPU time per phase: time spent inside a nested phase counts for it only."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.stack: list[str] = []
        self.mark = time.process_time()

    def _charge(self) -> None:
        now = time.process_time()
        if self.stack:
            top = self.stack[-1]
            self.spent[top] = self.spent.get(top, 0.0) + now - self.mark
        self.mark = now

    def timed(self, phase: str, func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            self._charge()
            self.stack.append(phase)
            try:
                return func(*args, **kwargs)
            finally:
                self._charge()
                self.stack.pop()

        return wrapper


def _patches(clock: PhaseClock) -> list[tuple[object, str, object]]:
    from flask_fix.run import runner, transforms
    from flask_fix.rewrite import legacy_db

    settings_rules = runner.Settings.rules
    loaded: list[bool] = []

    def rules(self):  # only the first call loads the rules (and LibCST)
        if loaded:
            return settings_rules(self)
        loaded.append(True)
        return clock.timed("load rules", settings_rules)(self)

    read_source = runner.read_source
    timed_read = clock.timed("scan: read", read_source)

    def scan_read(path):  # the fix phase's reads count in the fix phase
        return read_source(path) if clock.stack[-1] == "fix phase" else timed_read(path)

    replacements = [
        (runner, "parse_module", clock.timed("scan: parse", runner.parse_module)),
        (runner, "read_source", scan_read),
        (runner, "scan_module", clock.timed("scan: facts", runner.scan_module)),
        (runner, "rules_for_module", clock.timed("scan: triage", runner.rules_for_module)),
        (runner, "scan_file", clock.timed("scan: other", runner.scan_file)),
        (runner, "build_index", clock.timed("build_index", runner.build_index)),
        (transforms, "run_transforms", clock.timed("transforms", transforms.run_transforms)),
        (legacy_db, "fallback_uses", clock.timed("fallback uses", legacy_db.fallback_uses)),
        (runner, "fix_file", clock.timed("fix phase", runner.fix_file)),
        (runner.Settings, "rules", rules),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in replacements]
    for owner, name, value in replacements:
        setattr(owner, name, value)
    return originals


def run_check(
    tree: Path, profiler: cProfile.Profile | None, output_format: str = "text"
) -> tuple[PhaseClock, float]:
    from flask_fix.run import runner
    from flask_fix.cli import main as flask_fix_main

    clock = PhaseClock()
    originals = _patches(clock)
    cwd = os.getcwd()
    try:
        os.chdir(tree)
        # the format matters: json, sarif and rdjson ask every finding for its edits
        args = ["--check", "--no-cache", "-j1", "-q", "--output-format", output_format, "."]
        start = time.process_time()
        clock.stack.append("other")
        clock.mark = start
        if profiler:
            profiler.enable()
        with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())), contextlib.suppress(
            SystemExit
        ):
            flask_fix_main(args, standalone_mode=False)
        if profiler:
            profiler.disable()
        clock._charge()
        total = time.process_time() - start
    finally:
        os.chdir(cwd)
        for owner, name, value in originals:
            setattr(owner, name, value)
    return clock, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--output-format", default="text", metavar="FORMAT")
    parser.add_argument("--repeat", type=int, default=1, metavar="N")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:  # one measured run, for the parent process below: JSON on stdout
        clock, total = run_check(args.path.resolve(), None, args.output_format)
        print(json.dumps({**clock.spent, "run": total}))
        return
    least: dict[str, float] = {}
    for _ in range(args.repeat):
        # each run in a fresh interpreter, as a real cold run: nothing loaded or cached
        startup = subprocess.run(
            [sys.executable, "-c", IMPORT_TIME], capture_output=True, text=True, check=True
        )
        one = subprocess.run(
            [sys.executable, __file__, str(args.path), "--one-run",
             "--output-format", args.output_format],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        spent = {"start-up": float(startup.stdout), **json.loads(one.stdout.splitlines()[-1])}
        spent["total"] = spent.pop("run") + spent["start-up"]
        for phase, seconds in spent.items():
            least[phase] = min(least.get(phase, seconds), seconds)
    print(f"{args.path}: -j1 --check --no-cache --output-format {args.output_format}, CPU seconds"
          + (f", least of {args.repeat} runs" if args.repeat > 1 else ""))  # fmt: skip
    for phase in ("start-up", "load rules", "scan: read", "scan: parse", "scan: facts",
                  "scan: triage", "scan: other", "build_index", "transforms", "fallback uses",
                  "fix phase", "other", "total"):  # fmt: skip
        print(f"  {phase:<14} {least.get(phase, 0.0):6.2f}")
    if args.profile:
        profiler = cProfile.Profile()
        run_check(args.path.resolve(), profiler, args.output_format)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
