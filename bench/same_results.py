"""Prove a change keeps flask-fix's results: record them on a corpus, then compare.

    python bench/same_results.py record CORPUS_DIR BASELINE_DIR [--unsafe-fixes]
    python bench/same_results.py compare CORPUS_DIR BASELINE_DIR [--unsafe-fixes]

Every direct sub-folder of CORPUS_DIR (real repositories, fetched outside this repository)
is checked as its own project with `flask-fix --check --no-cache --output-format json .`;
`record` saves each one's exit code and JSON output under BASELINE_DIR (outside the
repository too), `compare` runs the same command again and prints, per repository,
whether the exit code and the JSON are identical. When they are not it says whether
only the order of the findings or errors differs, and names the first differing entry.
Exits 1 if any repository differs. Nothing is written into the corpus.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def check(repository: Path, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "flask_fix", "--check", "--no-cache", *extra]
    done = subprocess.run(
        [*command, "--output-format", "json", "."], cwd=repository, capture_output=True
    )
    return {"exit": done.returncode, "output": json.loads(done.stdout or b"null")}


def _order_free(output: dict | None) -> dict | None:
    if not isinstance(output, dict):
        return output
    key = lambda item: json.dumps(item, sort_keys=True)  # noqa: E731
    return {k: sorted(v, key=key) if isinstance(v, list) else v for k, v in output.items()}


def difference(old: dict, new: dict) -> str:
    """'' when identical, else a short description of the first difference."""
    if old == new:
        return ""
    if old["exit"] != new["exit"]:
        return f"exit code {old['exit']} -> {new['exit']}"
    if _order_free(old["output"]) == _order_free(new["output"]):
        return "same entries, other order"
    for field in sorted(set(old["output"]) | set(new["output"])):
        before, after = old["output"].get(field), new["output"].get(field)
        if before == after:
            continue
        if isinstance(before, list) and isinstance(after, list):
            gone = [e for e in before if e not in after]
            added = [e for e in after if e not in before]
            return f"{field}: {len(gone)} gone, {len(added)} new; first: {(gone or added)[0]}"
        return f"{field}: {before!r} -> {after!r}"
    return "differs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("baseline", type=Path)
    parser.add_argument("--unsafe-fixes", action="store_true")
    args = parser.parse_args()
    extra = ["--unsafe-fixes"] if args.unsafe_fixes else []
    repositories = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    args.baseline.mkdir(parents=True, exist_ok=True)
    differing = 0
    for repository in repositories:
        saved = args.baseline / f"{repository.name}.json"
        result = check(repository, extra)
        findings = len((result["output"] or {}).get("findings", []))
        if args.action == "record":
            saved.write_text(json.dumps(result, indent=1))
            print(f"{repository.name:<40} exit {result['exit']}  findings {findings:4}")
            continue
        if not saved.exists():
            print(f"{repository.name:<40} no baseline")
            differing += 1
            continue
        diff = difference(json.loads(saved.read_text()), result)
        differing += bool(diff)
        print(f"{repository.name:<40} {'DIFFERS: ' + diff if diff else 'identical'}"
              f"  (exit {result['exit']}, findings {findings})")  # fmt: skip
    if args.action == "compare":
        print(f"{len(repositories) - differing} of {len(repositories)} identical")
        sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
