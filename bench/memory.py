"""Peak memory of flask-fix against the number of files: it must stay flat.

    python bench/memory.py PATH [--fractions 0.25,0.5,1] [--mode check|diff] [-j N]
    python bench/memory.py PATH --copies 1,2,4,8 [--mode check|diff] [-j N]
    python bench/memory.py FOLDER --repos 5,10,20,37 [--mode check|diff] [-j N]

Runs `flask-fix --check --no-cache` (or `--diff`) on scratch trees made from PATH (a large
real tree, fetched outside this repository) in a temporary folder outside this repository:
  - `--fractions`: a copy keeping that share of PATH's `.py` files (every n-th in path
    order, other files kept). The largest file parsed changes with the share, and the
    workers' peak follows it, which hides what grows per file.
  - `--copies K,...` (the scaling mode): K copies of PATH's `.py` files, each under its own
    top-level package (`copy0/`, `copy1/`... each given an `__init__.py`, so every module
    has a distinct name). The largest file stays the same while the number of files grows
    K-fold, so what grows is per-file state. Then also prints the slope of each peak in
    MiB per 1,000 files (least squares over the runs).
  - `--repos K,...`: FOLDER holds real repositories, one per sub-folder; a copy of the
    first K of them (in name order, each step adding to the last) is checked as one
    tree, as a folder of checkouts is. The slopes are printed as with `--copies`.
Prints, per run, the files and lines, the wall time, the peak RSS of the parent process
and of the largest worker (each process's own high-water mark, VmHWM, sampled from /proc
while it runs; Linux only), and the largest worker's peak private memory (sampled from
smaps_rollup: a forked worker's RSS also counts the parent's pages it only shares).

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


def private_kib(pid: int) -> int:
    """Memory only this process holds (Private_Clean + Private_Dirty of smaps_rollup): a
    forked worker's VmHWM also counts the parent's pages it shares and never wrote."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1])
    except OSError:
        pass
    return total


def measure(command: list[str], cwd: Path) -> tuple[float, int, int, int, int]:
    """(seconds, parent's peak KiB, largest worker's peak KiB, largest worker's peak
    private KiB, workers seen)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peaks: dict[int, int] = {}
    private: dict[int, int] = {}
    while process.poll() is None:
        for pid in (process.pid, *children_of(process.pid)):
            peaks[pid] = max(peaks.get(pid, 0), high_water_mark_kib(pid))
            private[pid] = max(private.get(pid, 0), private_kib(pid))
        time.sleep(SAMPLE_EVERY)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1, 2, 3):
        sys.exit(f"{' '.join(command)} failed with exit code {process.returncode}")
    parent = peaks.pop(process.pid, 0)
    private.pop(process.pid, None)
    worker, worker_private = max(peaks.values(), default=0), max(private.values(), default=0)
    return elapsed, parent, worker, worker_private, len(peaks)


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


def copies(root: Path, times: int, scratch: Path) -> Path:
    """`times` copies of the `.py` files of `root`, each under a distinct top-level package."""
    target = scratch / f"{root.name}-x{times}"
    python = [p.relative_to(root) for p in root.rglob("*.py") if p.is_file()]
    for number in range(times):
        package = target / f"copy{number}"
        for relative in python:
            (package / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / relative, package / relative)
        (package / "__init__.py").touch()
    return target


def repositories(folder: Path, number: int, target: Path) -> Path:
    """`target` holding copies of the first `number` sub-folders of `folder` (name order);
    those already there are kept (the steps grow one tree)."""
    for repository in sorted(p for p in folder.iterdir() if p.is_dir())[:number]:
        if not (target / repository.name).exists():
            shutil.copytree(repository, target / repository.name, symlinks=True)
    return target


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of (files, MiB) points, in MiB per 1,000 files."""
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if not spread:
        return 0.0
    return 1000 * sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


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
    parser.add_argument(
        "--copies", help="scaling mode: numbers of copies of PATH's .py files, e.g. 1,2,4,8"
    )
    parser.add_argument(
        "--repos", help="PATH holds repositories: numbers of them to check together, e.g. 5,10"
    )
    parser.add_argument("--mode", choices=["check", "diff"], default="check")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()
    command = [sys.executable, "-m", "flask_fix", f"--{args.mode}", "-q", "--no-cache", "."]
    if args.jobs:
        command[3:3] = ["-j", str(args.jobs)]
    print(f"{' '.join(command[1:])} on {args.path}, cores: {os.cpu_count()}")
    label = "copies" if args.copies else "repos" if args.repos else "fraction"
    print(f"{label:>8} {'files':>6} {'lines':>8} {'seconds':>8} "
          f"{'parent MiB':>10} {'worker MiB':>10} {'private':>7} {'workers':>7}")  # fmt: skip
    parents, workers_peaks, workers_private = [], [], []
    steps = (args.copies or args.repos or args.fractions).split(",")
    growing = args.copies or args.repos
    with tempfile.TemporaryDirectory(prefix="flask-fix-memory-") as scratch:
        for step in steps:
            if args.copies:
                tree = copies(args.path.resolve(), int(step), Path(scratch))
            elif args.repos:
                tree = repositories(args.path.resolve(), int(step), Path(scratch) / "repos")
            else:
                tree = subset(args.path.resolve(), float(step), Path(scratch))
            files, lines = count(tree)
            seconds, parent, worker, worker_private, workers = measure(command, tree)
            parents.append((files, parent / 1024))
            workers_peaks.append((files, worker / 1024))
            workers_private.append((files, worker_private / 1024))
            print(f"{step:>8} {files:6} {lines:8} {seconds:8.1f} {parent / 1024:10.1f} "
                  f"{worker / 1024:10.1f} {worker_private / 1024:7.1f} {workers:7}", flush=True)  # fmt: skip
            if not args.repos:
                shutil.rmtree(tree)
    if growing and len(steps) > 1:
        print(f"slope, MiB per 1,000 files: parent {slope(parents):.2f}, largest worker "
              f"{slope(workers_peaks):.2f} (private {slope(workers_private):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
