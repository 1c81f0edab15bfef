"""Time flask-fix against its peers on the same tree, in the same run, as ratios.

    python bench/run.py PATH [--repeat N] [--skip-libcst]

Runs, on PATH (a large real Flask tree, fetched outside this repository):
  - flask-fix --check (all rules), without the cache (--no-cache: every file scanned
    and fixed)
  - the same with a cache filled by one untimed run before (nothing changed since: what
    a second run over an unchanged tree costs)
  - ruff check --isolated --select ALL --no-cache   (install with: pip install -e
    '.[bench]'; --isolated: the tree's own ruff settings neither narrow the check nor,
    written for another ruff, stop it)
  - python -m libcst.tool codemod noop.NOOPCommand   (parses every file with LibCST)
and prints wall time (best of N), CPU time (user + system of the command and its
workers, best of N) and the peak RSS of the largest process of each, then flask-fix's
times as ratios of each peer's. These machines are noisy: compare ratios taken in one
run, not seconds across runs; on a loaded machine the CPU ratio is the steadier one.
Nothing here asserts a time.

The commands run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE removed from
their environment), as on a user's machine: otherwise every run compiles flask-fix and
LibCST from source first, which costs more than a cached run's whole work.
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


def count_lines(root: Path) -> tuple[int, int]:
    files = lines = 0
    for path in root.rglob("*.py"):
        try:
            with open(path, "rb") as handle:
                lines += handle.read().count(b"\n")
            files += 1
        except OSError:
            pass
    return files, lines


def user_environment() -> dict[str, str]:
    """This environment with Python's bytecode cache on (see the module docstring)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(
    command: list[str], cwd: Path, repeat: int, ok: tuple[int, ...] = (0, 1, 2, 3)
) -> tuple[float, float, float, int]:
    """(best wall seconds, median wall seconds, best CPU seconds, peak RSS in MiB) of
    `command` run `repeat` times; an exit code not in `ok` ends the benchmark."""
    times = []
    cpu_times = []
    peak = 0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=user_environment(),
        )
        # wait4 gives this command's own usage: the peak RSS (KiB on Linux) of the
        # largest process among it and its workers
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:  # flask-fix: 1 findings, 2 broken files, 3 both
            sys.exit(f"{' '.join(command)} failed with exit code {process.returncode}")
        peak = max(peak, usage.ru_maxrss // 1024)
        cpu_times.append(usage.ru_utime + usage.ru_stime)
    times.sort()
    return times[0], times[len(times) // 2], min(cpu_times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-libcst", action="store_true", help="skip the slow no-op codemod")
    args = parser.parse_args()
    root = args.path.resolve()
    files, lines = count_lines(root)
    print(f"tree: {root} ({files} .py files, {lines} lines), cores: {os.cpu_count()}")

    python = sys.executable
    probe = subprocess.run([python, "-m", "flask_fix", "--version"], capture_output=True)
    if probe.returncode != 0:
        sys.exit("flask_fix is not importable here: pip install -e '.[bench]' first")
    cache_dir = tempfile.mkdtemp(prefix="flask-fix-bench-cache-")
    cached = [python, "-m", "flask_fix", "--check", "-q", "--cache-dir", cache_dir, "."]
    runs: dict[str, list[str]] = {
        "flask-fix --check": [python, "-m", "flask_fix", "--check", "-q", "--no-cache", "."],
        "flask-fix --check, cached": cached,
    }
    ruff = shutil.which("ruff") or str(Path(python).with_name("ruff"))
    if Path(ruff).exists():
        runs["ruff check --select ALL"] = [
            ruff, "check", "--isolated", "--select", "ALL", "--no-cache", "--quiet",
            "--exit-zero", ".",
        ]
    else:
        print("  ruff not installed: pip install -e '.[bench]'")
    if not args.skip_libcst:
        runs["libcst no-op codemod"] = [
            python, "-m", "libcst.tool", "codemod", "--no-format", "--hide-progress",
            "noop.NOOPCommand", ".",
        ]

    # fill the cache (untimed): the cached row measures a run over an unchanged tree;
    # this also writes the bytecode of flask-fix and LibCST, as any first run does
    subprocess.run(
        cached, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=user_environment(),
    )
    results = {}
    for name, command in runs.items():
        # libcst's no-op is slow; one run of it is enough to compare
        repeat = 1 if name.startswith("libcst") else args.repeat
        # ruff exits 2 when it fails (a bad setting): only 0 is a run (as bench/peers.py)
        ok = (0,) if name.startswith("ruff") else (0, 1, 2, 3)
        results[name] = measure(command, root, repeat, ok)
        best, median, cpu, peak = results[name]
        print(
            f"{name:<28} wall best {best:7.2f} s  median {median:7.2f} s"
            f"  CPU {cpu:7.2f} s  peak RSS {peak} MiB"
        )

    shutil.rmtree(cache_dir, ignore_errors=True)
    for ours_name in ("flask-fix --check", "flask-fix --check, cached"):
        ours = results[ours_name]
        for name, (best, _, cpu, _) in results.items():
            if not name.startswith("flask-fix"):
                print(
                    f"{ours_name} / {name}: wall {ours[0] / best:.2f}x, CPU {ours[2] / cpu:.2f}x"
                )
    cold, cached = results["flask-fix --check"], results["flask-fix --check, cached"]
    print(f"cold / cached: wall {cold[0] / cached[0]:.1f}x, CPU {cold[2] / cached[2]:.1f}x")


if __name__ == "__main__":
    main()
