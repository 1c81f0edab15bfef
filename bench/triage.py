"""How much LibCST work the triage sends to the fix phase for nothing, per rule.

    python bench/triage.py PATH [PATH ...] [--top N]

Runs `flask-fix --check --no-cache -j1` in this process on each PATH (a real tree,
fetched outside this repository) and times every file the fix phase gets (CPU time:
steadier than wall time on a shared machine). Prints, per rule, the (file, rule) pairs
the triage sent to LibCST, how many of them found something, and the fix-phase CPU of
the files where nothing at all was found, split evenly among the rules sent there (a
file with a finding is work the run needs; its parse is not wasted). Then the totals and
the N costliest silent files. A file the fixpoint fixes again in a later round (on the
text the first round fixed, or after the index changed) counts once, in its first
round; the later rounds are totalled apart. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask_fix.run import runner
from flask_fix.cli import main as flask_fix_main


@dataclass
class FixedFile:
    path: str
    codes: tuple[str, ...]  # the rules the triage sent it for
    found: frozenset[str]  # the rules with a finding in it
    cpu: float
    again: bool = False  # a later round of the fixpoint on a file fixed before


@dataclass
class RuleTally:
    sent: int = 0
    hit: int = 0
    silent_cpu: float = 0.0


@dataclass
class TreeTally:
    files: list[FixedFile] = field(default_factory=list)

    @property
    def first(self) -> list[FixedFile]:
        """The files of the fix phase's first round (the triage's choice)."""
        return [f for f in self.files if not f.again]

    def by_rule(self) -> dict[str, RuleTally]:
        rules: dict[str, RuleTally] = {}
        for fixed in self.first:
            for code in fixed.codes:
                tally = rules.setdefault(code, RuleTally())
                tally.sent += 1
                tally.hit += code in fixed.found
                if not fixed.found:
                    tally.silent_cpu += fixed.cpu / len(fixed.codes)
        return rules


def measure(tree: Path) -> TreeTally:
    """The fix phase's files of one `--check` run over `tree`, with their CPU time."""
    tally = TreeTally()
    fix_file = runner.fix_file
    seen: set[str] = set()

    def timed(work: tuple) -> runner.FileResult:
        start = time.process_time()
        result = fix_file(work)
        found = frozenset(f.code for f in result.findings)
        again = work[0] in seen
        seen.add(work[0])
        cpu = time.process_time() - start
        tally.files.append(FixedFile(work[0], tuple(work[1]), found, cpu, again))
        return result

    runner.fix_file = timed  # type: ignore[assignment]
    cwd = os.getcwd()
    try:
        os.chdir(tree)
        args = ["--check", "--no-cache", "-j1", "-q", "--output-format", "json", "."]
        with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())), contextlib.suppress(SystemExit):
            flask_fix_main(args, standalone_mode=False)
    finally:
        os.chdir(cwd)
        runner.fix_file = fix_file  # type: ignore[assignment]
    return tally


def print_tally(name: str, tally: TreeTally, top: int) -> None:
    files = tally.first
    silent = [f for f in files if not f.found]
    print(
        f"{name}: {len(files)} files sent to LibCST, {len(files) - len(silent)} with findings;"
        f" {sum(len(f.codes) for f in files)} (file, rule) pairs,"
        f" {sum(len(f.found) for f in files)} with findings; fix-phase CPU"
        f" {sum(f.cpu for f in files):.2f} s, {sum(f.cpu for f in silent):.2f} s of it on"
        " files with no finding"
    )
    again = [f for f in tally.files if f.again]
    if again:
        print(
            f"  and {len(again)} later-round fixes of the fixpoint, CPU"
            f" {sum(f.cpu for f in again):.2f} s (not counted above)"
        )
    rules = tally.by_rule()
    if rules:
        print(f"  {'rule':<8} {'sent':>5} {'hit':>5} {'silent CPU':>11}")
    for code, rule in sorted(rules.items(), key=lambda item: -item[1].silent_cpu):
        print(f"  {code:<8} {rule.sent:>5} {rule.hit:>5} {rule.silent_cpu:>10.2f}s")
    for fixed in sorted(silent, key=lambda f: -f.cpu)[:top]:
        print(f"    {fixed.cpu:6.2f}s  {fixed.path}  {' '.join(fixed.codes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--top", type=int, default=5, help="costliest silent files to list")
    args = parser.parse_args()
    total = TreeTally()
    for path in args.paths:
        tally = measure(path.resolve())
        print_tally(path.name, tally, args.top)
        total.files.extend(tally.files)
    if len(args.paths) > 1:
        print_tally("all", total, 0)
        print(
            "  rules sent most often for nothing:",
            ", ".join(
                f"{code} {count}"
                for code, count in Counter(
                    c for f in total.first for c in f.codes if c not in f.found
                ).most_common(8)
            ),
        )


if __name__ == "__main__":
    main()
