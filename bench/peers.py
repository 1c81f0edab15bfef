"""flask-fix and its peers on a folder of many real repositories, from one run, as ratios.

    python bench/peers.py FOLDER [--repeat N]

FOLDER holds real repositories (fetched outside this repository), one per sub-folder,
and is checked as one tree. Each round runs every command below once, in this order
(interleaved, so that a machine getting busier weighs on every command alike); after N
rounds (3 unless told) it prints each command's median wall time and median CPU time
(user + system of the command and its workers), and their ratios to ruff's and to
django-upgrade's:

  flask-fix --check --no-cache .                     text, cold
  flask-fix --check --no-cache --output-format json .  json, cold
  flask-fix --check .  (text, then json)             warm: a cache filled by one untimed
                                                     run of each before the rounds
  ruff check --isolated --select ALL --no-cache .   (--isolated: a repository's own ruff
                                                     settings neither narrow the check nor,
                                                     written for another ruff, stop it)
  django-upgrade --target-version 5.0                one process per core over every .py
  pyupgrade --py311-plus                             file, as `xargs -P<cores>` runs them

django-upgrade and pyupgrade rewrite files in place: they run on a copy of the tree's .py
files, made afresh (untimed) before each of their runs, so every run does the same work.
Install the peers with `pip install -e '.[bench]'`. The commands run with Python's
bytecode cache on, as on a user's machine. Machines shared with other work are noisy:
compare the ratios of one run, not seconds across runs. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import count_lines, user_environment  # noqa: E402


def python_files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*.py") if p.is_file())


def fresh_copy(root: Path, files: list[Path], target: Path) -> None:
    """The tree's .py files under `target` (emptied first)."""
    shutil.rmtree(target, ignore_errors=True)
    for relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, destination)


def timed(
    command: list[str], cwd: Path, stdin: bytes | None = None, ok: tuple[int, ...] = (0, 1, 2, 3, 123)
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and the workers it waited for)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=user_environment(), stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if stdin:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # flask-fix: 1 findings, 2 broken files, 3 both; the upgraders exit 1 when they
    # rewrite a file, which xargs reports as 123
    if code not in ok:
        sys.exit(f"{' '.join(command[:4])} ... failed with exit code {code}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    args = parser.parse_args()
    root = args.folder.resolve()
    files = python_files(root)
    _, lines = count_lines(root)
    cores = os.cpu_count() or 1
    repositories = sum(1 for p in root.iterdir() if p.is_dir())
    print(f"tree: {root} ({repositories} folders, {len(files)} .py files, {lines} lines), "
          f"cores: {cores}, median of {args.repeat} interleaved rounds")  # fmt: skip

    python = sys.executable
    bin_dir = Path(python).parent
    tools = {name: shutil.which(name, path=str(bin_dir)) or shutil.which(name)
             for name in ("ruff", "django-upgrade", "pyupgrade")}  # fmt: skip
    missing = [name for name, found in tools.items() if not found]
    if missing:
        sys.exit(f"not installed: {', '.join(missing)} (pip install -e '.[bench]')")
    cache = Path(tempfile.mkdtemp(prefix="flask-fix-peers-cache-"))
    copies = Path(tempfile.mkdtemp(prefix="flask-fix-peers-tree-"))
    flask_fix = [python, "-m", "flask_fix", "--check", "-q"]
    json = ["--output-format", "json"]
    warm = ["--cache-dir", str(cache)]
    # one process per core, each given its share of the files, as `xargs -P` runs them
    share = str(max(1, math.ceil(len(files) / cores)))
    xargs = ["xargs", "-0", "-P", str(cores), "-n", share]
    listing = b"\0".join(str(p).encode() for p in files)
    commands: dict[str, tuple[list[str], Path, bytes | None]] = {
        "flask-fix text, cold": ([*flask_fix, "--no-cache", "."], root, None),
        "flask-fix json, cold": ([*flask_fix, "--no-cache", *json, "."], root, None),
        "flask-fix text, warm": ([*flask_fix, *warm, "."], root, None),
        "flask-fix json, warm": ([*flask_fix, *warm, *json, "."], root, None),
        "ruff check --select ALL": (
            [tools["ruff"], "check", "--isolated", "--select", "ALL", "--no-cache",
             "--quiet", "--exit-zero", "."], root, None,
        ),  # fmt: skip
        f"django-upgrade, -P{cores}": (
            [*xargs, tools["django-upgrade"], "--target-version", "5.0"], copies, listing
        ),
        f"pyupgrade, -P{cores}": ([*xargs, tools["pyupgrade"], "--py311-plus"], copies, listing),
    }
    # untimed: fill the caches of the warm rows (and write every tool's bytecode)
    for name in ("flask-fix text, warm", "flask-fix json, warm"):
        command, cwd, _ = commands[name]
        timed(command, cwd)
    ruff = "ruff check --select ALL"
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, (command, cwd, stdin) in commands.items():
            if cwd == copies:
                fresh_copy(root, files, copies)
            # ruff exits 2 when it fails (a bad setting): only 0 is a run
            wall, cpu = timed(command, cwd, stdin, (0,) if name == ruff else (0, 1, 2, 3, 123))
            walls[name].append(wall)
            cpus[name].append(cpu)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(copies, ignore_errors=True)

    wall = {name: statistics.median(times) for name, times in walls.items()}
    cpu = {name: statistics.median(times) for name, times in cpus.items()}
    django = f"django-upgrade, -P{cores}"
    print(f"{'command':<26} {'wall':>8} {'/ruff':>7} {'/django':>8} {'CPU':>8} {'/ruff':>7}"
          f" {'/django':>8}")  # fmt: skip
    for name in commands:
        print(f"{name:<26} {wall[name]:7.2f}s {wall[name] / wall[ruff]:6.2f}x"
              f" {wall[name] / wall[django]:7.2f}x {cpu[name]:7.2f}s {cpu[name] / cpu[ruff]:6.2f}x"
              f" {cpu[name] / cpu[django]:7.2f}x")  # fmt: skip
    for temperature in ("cold", "warm"):
        text, json_row = f"flask-fix text, {temperature}", f"flask-fix json, {temperature}"
        print(f"json / text, {temperature}: wall {wall[json_row] / wall[text]:.2f}x,"
              f" CPU {cpu[json_row] / cpu[text]:.2f}x")  # fmt: skip
    print("every run, wall seconds: "
          + "; ".join(f"{n}: {', '.join(f'{t:.2f}' for t in walls[n])}" for n in commands))


if __name__ == "__main__":
    main()
