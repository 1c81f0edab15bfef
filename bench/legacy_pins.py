"""Run a legacy sample's own test suite on its old pins, or on today's releases.

    python bench/legacy_pins.py [--sample legacy_blog] [--today] [--fix] [--work DIR]

Not run by CI: it builds a virtual environment with the package index (a minute or two the
first time; SQLAlchemy 1.3 is built from source). The sample is copied to a scratch folder
and its suite runs there with `python -m pytest -q`, so nothing is written into samples/.

- default: the sample's requirements.txt (the stack it was written for) must pass as is;
- --today: the releases of today (TODAY below) instead, where the unfixed sample fails;
- --fix: first run this checkout's `flask-fix --unsafe-fixes .` on the copy (with --today:
  what one run leaves to a person).

Prints the suite's summary, each failing test with its first error line, and whether the
suite wrote to the app's own database file (`blog.db` beside app.py): it never may.
Exits with the suite's exit code.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# today's releases of the stack (no Flask-Script: it no longer imports on Flask 2.0+, and
# a migrated app does not need it)
TODAY = [
    "Flask==3.1.3", "Werkzeug==3.1.9", "Jinja2==3.1.6", "MarkupSafe==3.0.3",
    "itsdangerous==2.2.0", "click==8.1.8", "Flask-SQLAlchemy==3.1.1", "SQLAlchemy==2.0.44",
    "Flask-WTF==1.2.2", "WTForms==3.2.1", "Flask-Login==0.6.3", "Flask-Migrate==4.1.0",
]  # fmt: skip
DATABASE_FILES = ("blog.db",)


def environment(folder: Path, requirements: list[str]) -> Path:
    """A virtual environment at `folder` with `requirements` and pytest, reused when the
    same requirements were installed there before."""
    python = folder / "bin" / "python"
    stamp = folder / "requirements.stamp"
    wanted = "\n".join(requirements)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    shutil.rmtree(folder, ignore_errors=True)
    venv.create(folder, with_pip=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "pytest", *requirements], check=True
    )
    stamp.write_text(wanted)
    return python


def requirements_of(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="legacy_blog")
    parser.add_argument("--today", action="store_true", help="today's releases, not the pins")
    parser.add_argument("--fix", action="store_true", help="run flask-fix --unsafe-fixes first")
    parser.add_argument("--work", type=Path, default=Path("/tmp/flask-fix-legacy"))
    args = parser.parse_args()

    sample = ROOT / "samples" / args.sample
    pins = requirements_of(sample / "requirements.txt")
    requirements = TODAY if args.today else pins
    python = environment(args.work / ("today" if args.today else args.sample), requirements)
    version = subprocess.run(
        [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout.split()
    print("environment:", " ".join(v for v in version if "==" in v))

    copy = args.work / "copies" / f"{args.sample}-{'today' if args.today else 'pins'}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(sample, copy, ignore=shutil.ignore_patterns("__pycache__", *DATABASE_FILES))
    if args.fix:
        fixed = subprocess.run(
            [sys.executable, "-m", "flask_fix", "--unsafe-fixes", "."],
            cwd=copy, capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        print(f"flask-fix --unsafe-fixes . exited {fixed.returncode}; its findings:")
        print(fixed.stdout + fixed.stderr)

    suite = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore", "-rf", "-rE"],
        cwd=copy, capture_output=True, text=True,
    )  # fmt: skip
    for line in suite.stdout.splitlines():
        if re.match(r"(FAILED|ERROR) |\d+ (passed|failed)|=+ .*(passed|failed|error)", line):
            print(line)
    written = [name for name in DATABASE_FILES if (copy / name).exists()]
    print("the app's database file:", f"WRITTEN ({', '.join(written)})" if written else "untouched")
    return suite.returncode or (1 if written else 0)


if __name__ == "__main__":
    sys.exit(main())
