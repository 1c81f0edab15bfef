"""Peak memory of flask-fix against the number of files: it must stay flat.

    python bench/memory.py PATH [--fractions 0.25,0.5,1] [--mode check|diff] [-j N]

Runs `flask-fix --check --no-cache` (or `--diff`) on subsets of PATH (a large real tree, fetched
outside this repository): for each fraction, a scratch copy keeping that share of its
`.py` files (every n-th in path order, other files kept). Prints, per run, the files and
lines, the wall time, the peak RSS of the parent process and of the largest worker (each
process's own high-water mark, VmHWM, sampled from /proc while it runs; Linux only).

Results are streamed and a worker parses one file at a time, so the workers' peak should
not grow with the number of files; the parent holds the project index (one small
ModuleFacts per module), so it grows slowly with the tree, never with its parse trees.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE_EVERY = 0.02  # seconds


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid`, from the parent field of /proc/*/stat."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name (field 2) may hold spaces: fields after its closing ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == parent]
        found += kids
        frontier += kids
    return found


def high_water_mark_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path) -> tuple[float, int, int, int]:
    """(seconds, parent's peak KiB, largest worker's peak KiB, workers seen)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peaks: dict[int, int] = {}
    while process.poll() is None:
        for pid in (process.pid, *children_of(process.pid)):
            peaks[pid] = max(peaks.get(pid, 0), high_water_mark_kib(pid))
        time.sleep(SAMPLE_EVERY)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1, 2, 3):
        sys.exit(f"{' '.join(command)} failed with exit code {process.returncode}")
    parent = peaks.pop(process.pid, 0)
    return elapsed, parent, max(peaks.values(), default=0), len(peaks)


def subset(root: Path, fraction: float, scratch: Path) -> Path:
    """A copy of `root` keeping about `fraction` of its .py files (evenly spread)."""
    target = scratch / f"{root.name}-{fraction:g}"
    shutil.copytree(root, target, symlinks=True)
    python = sorted(target.rglob("*.py"))
    keep = {python[int(i / fraction)] for i in range(int(len(python) * fraction))}
    for path in python:
        if path not in keep:
            path.unlink()
    return target


def count(root: Path) -> tuple[int, int]:
    files = lines = 0
    for path in root.rglob("*.py"):
        files += 1
        lines += path.read_bytes().count(b"\n")
    return files, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--fractions", default="0.25,0.5,1")
    parser.add_argument("--mode", choices=["check", "diff"], default="check")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()
    command = [sys.executable, "-m", "flask_fix", f"--{args.mode}", "-q", "--no-cache", "."]
    if args.jobs:
        command[3:3] = ["-j", str(args.jobs)]
    print(f"{' '.join(command[1:])} on {args.path}, cores: {os.cpu_count()}")
    print(f"{'fraction':>8} {'files':>6} {'lines':>8} {'seconds':>8} "
          f"{'parent MiB':>10} {'worker MiB':>10} {'workers':>7}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="flask-fix-memory-") as scratch:
        for fraction in (float(f) for f in args.fractions.split(",")):
            tree = subset(args.path.resolve(), fraction, Path(scratch))
            files, lines = count(tree)
            seconds, parent, worker, workers = measure(command, tree)
            print(f"{fraction:8g} {files:6} {lines:8} {seconds:8.1f} "
                  f"{parent / 1024:10.0f} {worker / 1024:10.0f} {workers:7}", flush=True)  # fmt: skip
            shutil.rmtree(tree)


if __name__ == "__main__":
    main()
