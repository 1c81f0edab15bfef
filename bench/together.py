"""A folder of projects, run together, gives each what a run on it alone gives.

    python bench/together.py CORPUS_DIR [--unsafe-fixes] [-j N]

Runs `flask-fix --check --no-cache --output-format json REPO` from CORPUS_DIR for every
direct sub-folder REPO of it (real repositories, fetched outside this repository), then
`... .` once over CORPUS_DIR itself, and compares each repository's findings and errors:
those of its own run with those of the folder run under it. Every run starts in
CORPUS_DIR, so paths (in the findings, and in messages that name other files) are shown
relative to it in both. Prints, per repository, the findings of each run and how many
differ (in one run and not the other, counted with multiplicity), with the first few
differences; exits 1 if any differ. Nothing is written into the corpus.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

SHOWN = 3


def check(corpus: Path, path: str, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "flask_fix", "--check", "--no-cache", *extra]
    done = subprocess.run(
        [*command, "--output-format", "json", path], cwd=corpus, capture_output=True
    )
    if done.returncode not in (0, 1, 2, 3) or not done.stdout:
        raise SystemExit(f"{path}: exit {done.returncode}: {done.stderr.decode()[-2000:]}")
    return json.loads(done.stdout)


def _key(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True)


def entries(output: dict) -> dict[str, Counter]:
    """Findings and errors by repository (the first part of their path), each as a JSON
    string."""
    found: dict[str, Counter] = {}
    for kind in ("findings", "errors"):
        for entry in output.get(kind, []):
            repository = entry["path"].partition("/")[0]
            found.setdefault(repository, Counter())[_key({**entry, "kind": kind})] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()
    extra = ["--unsafe-fixes"] if args.unsafe_fixes else []
    extra += ["-j", str(args.jobs)]
    repositories = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    alone: dict[str, Counter] = {}
    started = time.perf_counter()
    for repository in repositories:
        own = entries(check(args.corpus, repository.name, extra))
        alone[repository.name] = own.pop(repository.name, Counter())
        assert not own, f"{repository.name}: findings outside it: {sorted(own)}"
    alone_seconds = time.perf_counter() - started
    started = time.perf_counter()
    together = entries(check(args.corpus, ".", extra))
    together_seconds = time.perf_counter() - started
    outside = sorted(set(together) - set(alone))
    differing_repositories = 0
    total = 0
    for repository in repositories:
        own, joint = alone[repository.name], together.get(repository.name, Counter())
        only_alone, only_together = own - joint, joint - own
        differing = sum(only_alone.values()) + sum(only_together.values())
        total += differing
        differing_repositories += bool(differing)
        print(
            f"{repository.name:<28} alone {sum(own.values()):5}  together "
            f"{sum(joint.values()):5}  differing {differing}"
        )
        for label, extra_entries in (("alone only", only_alone), ("together only", only_together)):
            for entry in list(extra_entries)[:SHOWN]:
                print(f"    {label}: {entry[:300]}")
    for name in outside:
        print(f"(outside the repositories: {name}: {sum(together[name].values())} entries)")
    print(
        f"{len(repositories)} repositories, {differing_repositories} with differences, "
        f"{total} differing findings/errors; alone {alone_seconds:.0f} s in all, "
        f"together {together_seconds:.0f} s"
    )
    sys.exit(1 if total or outside else 0)


if __name__ == "__main__":
    main()
