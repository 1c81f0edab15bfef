"""Public legacy Flask apps judged by their own test suites, before and after one run.

    python bench/legacy_apps.py [APP ...] [--work DIR] [--only old,today,fixed,fixed-old]

Not run by CI. For each app in APPS (a folder of /work/corpus, see its MANIFEST.md):

- old:       its suite on its old pins (a virtual environment with those releases);
- today:     its suite on today's releases, code as fetched;
- fixed:     a fresh copy gets ONE `flask-fix --unsafe-fixes .` (this checkout's), then its
             suite on today's releases; the run must not crash, every .py file that
             compiled before still compiles, and a second run (`--diff`) changes nothing;
- fixed-old: the fixed copy's suite on the old pins (a rewrite must not make it worse).

Every suite runs on a copy under --work (nothing is written in the corpus), with pytest
(unittest classes included), and must not create or change a database file of the app
(*.db, *.sqlite, *.sqlite3) but the test database its test configuration names
(`test_databases`): such a file is listed as "DB WRITTEN". Each failure left after
the run is listed with the rule codes of the fixed copy's findings (`--check`) that name
the symbol in its error, or "NOT NAMED".

Virtual environments live under --work/venvs and are reused while their requirements are
the same (a stamp file). Builds are slow: run one app at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/corpus")

# today's releases of the stack, as in bench/legacy_pins.py (Flask-Script is left out: it
# does not import on Flask 2.0+)
STACK = [
    "Flask==3.1.3", "Werkzeug==3.1.9", "Jinja2==3.1.6", "MarkupSafe==3.0.3",
    "itsdangerous==2.2.0", "click==8.1.8", "Flask-SQLAlchemy==3.1.1", "SQLAlchemy==2.0.44",
    "Flask-WTF==1.2.2", "WTForms==3.2.1", "Flask-Login==0.6.3", "Flask-Migrate==4.1.0",
]  # fmt: skip

# name, corpus folder, pytest arguments, environment, old pins (what was changed from the
# requirements file is said in `changed`), today's extra requirements (unpinned: the newest
# release on the day the table is made, beside STACK)
APPS: list[dict] = [
    {
        "name": "flask-basic-registration",
        "folder": "flask-basic-registration",
        "tests": ["tests"],
        "env": {"APP_SETTINGS": "project.config.DevelopmentConfig"},
        "old": [
            "email-validator==1.1.2", "Flask==1.1.2", "Flask-Bcrypt==0.7.1",
            "Flask-DebugToolbar==0.11.0", "Flask-Login==0.5.0", "Flask-Mail==0.9.1",
            "Flask-Migrate==2.7.0", "Flask-Script==2.0.6", "Flask-SQLAlchemy==2.4.4",
            "Flask-Testing==0.8.1", "Flask-WTF==0.14.3", "itsdangerous==2.0.1",
            "SQLAlchemy==1.3.23", "WTForms==2.3.3", "Werkzeug==1.0.1", "Jinja2==2.11.3",
            "MarkupSafe==1.1.1",
        ],
        "changed": "coverage dropped; Werkzeug 1.0.1, Jinja2 2.11.3, MarkupSafe 1.1.1 pinned "
        "(unpinned there: newest of Flask 1.1's range)",
        "today": ["Flask-Bcrypt", "Flask-DebugToolbar", "Flask-Mail", "Flask-Testing",
                  "email-validator"],
    },
    {
        "name": "flask-base",
        "folder": "flask-base",
        "tests": ["tests"],
        "env": {"FLASK_CONFIG": "testing"},
        # TestingConfig's own database: the suite is meant to write it
        "test_databases": ["data-test.sqlite"],
        "old": [
            "Flask==1.1.1", "Werkzeug==0.15.5", "Jinja2==2.11.3", "MarkupSafe==1.1.1",
            "itsdangerous==1.1.0", "Click==7.0", "Flask-Assets==0.12", "Flask-Compress==1.4.0",
            "Flask-Login==0.4.1", "Flask-Mail==0.9.1", "Flask-Migrate==2.5.2", "Flask-RQ==0.2",
            "Flask-Script==2.0.6", "Flask-SQLAlchemy==2.4.0", "Flask-SSLify==0.1.5",
            "Flask-WTF==0.14.2", "SQLAlchemy==1.3.8", "WTForms==2.2.1", "Faker==2.0.1",
            "jsmin==3.0.1", "webassets==0.12.1", "redis==3.3.8", "rq==1.1.0",
            "raygun4py==4.3.0", "alembic==1.1.0",
        ],
        "changed": "jsmin 2.2.2 -> 3.0.1 (2.x does not build: use_2to3); psycopg2, gunicorn, "
        "honcho, pipupgrade and their pinned dependencies "
        "dropped (the tests use SQLite)",
        "today": ["Flask-Assets", "Flask-Compress", "Flask-Mail", "Flask-RQ", "Flask-SSLify",
                  "Faker", "jsmin", "webassets", "redis", "rq", "raygun4py"],
    },
    {
        "name": "flask-realworld",
        "folder": "flask-realworld",
        "tests": ["tests"],
        "env": {},
        "pytest": "pytest==7.4.4",
        "shim": True,
        "old": [
            "Flask==1.0.2", "Werkzeug==0.14.1", "Jinja2==2.10", "MarkupSafe==1.1.1",
            "itsdangerous==0.24", "click==6.7", "Flask-SQLAlchemy==2.3.2", "SQLAlchemy==1.2.19",
            "Flask-Migrate==2.2.1", "alembic==1.4.3", "Flask-Bcrypt==0.7.1", "bcrypt==3.1.7",
            "Flask-Caching==1.4.0", "Flask-Cors==3.0.6", "Flask-JWT-Extended==3.10.0",
            "PyJWT==1.6.4", "flask-apispec==0.7.0", "apispec==0.39.0", "marshmallow==2.15.3",
            "webargs==3.0.2", "unicode-slugify==0.1.3", "WebTest==2.0.30", "WebOb==1.8.7",
            "factory-boy==2.11.1", "Faker==0.8.17", "six==1.11.0",
        ],
        "changed": "pins from Pipfile.lock (requirements/*.txt are unpinned but for "
        "SQLAlchemy 1.1.9 and Flask-SQLAlchemy 2.2, older than the lock); psycopg2, gunicorn "
        "dropped; alembic 1.0.0 -> 1.4.3 (inspect.formatargspec); SQLAlchemy 1.2.9 -> 1.2.19, MarkupSafe 1.0 -> 1.1.1, bcrypt 3.1.4 -> 3.1.7 "
        "(build on Python 3.11), WebOb 1.8.2 -> 1.8.7 (collections.MutableMapping); Python 3.11 shim; pytest 3.6.3 -> 7.4.4 for both (pytest.yield_fixture, used "
        "by conftest.py, is gone in pytest 8)",
        # marshmallow 4 has no __version__, which today's flask-apispec (0.11.4) reads
        "today": ["Flask-Bcrypt", "Flask-Caching", "Flask-Cors", "Flask-JWT-Extended",
                  "flask-apispec", "marshmallow<4", "unicode-slugify", "WebTest",
                  "factory-boy", "Faker"],
    },
    {
        "name": "flask-pycon2014",
        "folder": "flask-pycon2014",
        "tests": ["tests"],
        "env": {},
        "test_databases": ["data-test.sqlite"],  # TestingConfig's own database
        "old": [
            "Flask==0.11", "Werkzeug==0.11.10", "Jinja2==2.10.3", "MarkupSafe==0.23",
            "itsdangerous==0.24", "click==6.6", "blinker==1.3", "Flask-Bootstrap==3.1.1.1",
            "Flask-Login==0.3.2", "Flask-Mail==0.9.0", "Flask-Moment==0.3.0",
            "Flask-PageDown==0.1.4", "Flask-Script==0.6.7", "Flask-SQLAlchemy==2.1",
            "Flask-WTF==0.9.4", "SQLAlchemy==1.0.13", "WTForms==1.0.5", "bleach==1.4",
            "html5lib==0.999", "Markdown==2.6.11", "six==1.10.0",
        ],
        "shim": True,
        "changed": "coverage and nose dropped (pytest runs the unittest classes); Markdown "
        "2.4 -> 2.6.11 (2.4 does not build on Python 3.11: getiterator); Jinja2 2.8 -> "
        "2.10.3 (2.8's `\\w+(?u)` is a re.error on 3.11); Python 3.11 shim",
        "today": ["Flask-Bootstrap", "Flask-Mail", "Flask-Moment", "Flask-PageDown", "bleach",
                  "Markdown"],
    },
    {
        "name": "api-pycon2014",
        "folder": "api-pycon2014",
        "tests": ["tests"],
        "env": {},
        "old": [
            "Flask==0.10.1", "Werkzeug==0.9.4", "Jinja2==2.10.3", "MarkupSafe==0.23",
            "itsdangerous==0.24", "Flask-HTTPAuth==2.2.1", "Flask-SQLAlchemy==1.0",
            "Flask-Script==0.6.7", "SQLAlchemy==0.9.4", "redis==2.9.1",
        ],
        "shim": True,
        "changed": "coverage, nose, httpie, Pygments, requests dropped (not used by the "
        "tests); Jinja2 2.7.2 -> 2.10.3 and MarkupSafe 0.19 -> 0.23 (2.7's `\\w+(?u)` is a "
        "re.error on 3.11); Python 3.11 shim",
        "today": ["Flask-HTTPAuth", "redis"],
    },
    {
        "name": "discover-flask",
        "folder": "discover-flask",
        "tests": ["tests"],
        # tests/ import `base` as a top-level module (Python 2's implicit relative import)
        "env": {"APP_SETTINGS": "config.DevelopmentConfig",
                "DATABASE_URL": "sqlite:///discover.db", "PYTHONPATH": "tests"},
        "old": [
            "Flask==0.10.1", "Werkzeug==0.9.6", "Jinja2==2.7.3", "MarkupSafe==0.23",
            "itsdangerous==0.24", "Flask-Bcrypt==0.6.0", "Flask-Login==0.2.11",
            "Flask-Migrate==1.2.0", "Flask-SQLAlchemy==1.0", "Flask-Script==2.0.5",
            "Flask-Testing==0.4.2", "Flask-WTF==0.10.2", "SQLAlchemy==0.9.4", "WTForms==2.0.1",
            "alembic==0.6.6", "Mako==1.0.0",
        ],
        "shim": True,
        "changed": "coverage, gunicorn, psycopg2, py-bcrypt, wsgiref dropped; collections "
        "shim; DATABASE_URL "
        "set to sqlite:///discover.db (the development database; the tests must not touch it)",
        "today": ["Flask-Bcrypt", "Flask-Testing"],
    },
    {
        "name": "flask-user-starter",
        "folder": "flask-user-starter",
        "setup": [("app/local_settings_example.py", "app/local_settings.py")],
        "tests": ["tests"],
        "env": {},
        "old": [
            "Flask==1.0.2", "Werkzeug==0.15.6", "Jinja2==2.10.3", "MarkupSafe==1.1.1",
            "itsdangerous==1.1.0", "Flask-Login==0.4.0", "Flask-Migrate==2.0.2",
            "Flask-Script==2.0.5", "Flask-SQLAlchemy==2.4.0", "SQLAlchemy==1.3.24",
            "Flask-WTF==0.14.2", "WTForms==2.2.1", "Flask-User==1.0.1.5",
            "Flask-Mail==0.9.1",
        ],
        "shim": True,
        "changed": "pytest 3.0.5 and pytest-cov dropped (today's pytest); Python 3.11 shim; Werkzeug 0.15.6, "
        "Jinja2 2.10.3, SQLAlchemy 1.3.24, WTForms 2.2.1 pinned (unpinned there)",
        "today": ["Flask-User==1.0.2.2", "Flask-Mail"],
    },
]  # fmt: skip

DB_SUFFIXES = (".db", ".sqlite", ".sqlite3")


# Releases written before Python 3.10 import collections.Mapping & co., call
# inspect.getargspec / inspect.formatargspec (removed in 3.11) and cgi.escape (3.8); in an old-pins environment
# of an app marked "shim", a .pth file puts those names back (as bench/check_removed_apis.py
# does for collections), the only way to run such releases on Python 3.11 at all. The
# shim adds nothing to the packages themselves.
SHIM = """\
import collections, collections.abc, inspect
for _name in collections.abc.__all__:
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))
if not hasattr(inspect, "getargspec"):
    _ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")
    def getargspec(func):
        spec = inspect.getfullargspec(func)
        return _ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)
    inspect.getargspec = getargspec
if not hasattr(inspect, "formatargspec"):
    def formatargspec(args, varargs=None, varkw=None, defaults=None, kwonlyargs=(),
                      kwonlydefaults={}, annotations={}, formatarg=str,
                      formatvarargs=lambda name: "*" + name,
                      formatvarkw=lambda name: "**" + name,
                      formatvalue=lambda value: "=" + repr(value),
                      formatreturns=lambda text: " -> " + text,
                      formatannotation=inspect.formatannotation):
        # Python 3.10's inspect.formatargspec
        def formatargandannotation(arg):
            result = formatarg(arg)
            if arg in annotations:
                result += ": " + formatannotation(annotations[arg])
            return result
        specs = []
        if defaults:
            firstdefault = len(args) - len(defaults)
        for i, arg in enumerate(args):
            spec = formatargandannotation(arg)
            if defaults and i >= firstdefault:
                spec = spec + formatvalue(defaults[i - firstdefault])
            specs.append(spec)
        if varargs is not None:
            specs.append(formatvarargs(formatargandannotation(varargs)))
        elif kwonlyargs:
            specs.append("*")
        for kwonlyarg in kwonlyargs or ():
            spec = formatargandannotation(kwonlyarg)
            if kwonlydefaults and kwonlyarg in kwonlydefaults:
                spec += formatvalue(kwonlydefaults[kwonlyarg])
            specs.append(spec)
        if varkw is not None:
            specs.append(formatvarkw(formatargandannotation(varkw)))
        result = "(" + ", ".join(specs) + ")"
        if "return" in annotations:
            result += formatreturns(formatannotation(annotations["return"]))
        return result
    inspect.formatargspec = formatargspec
import cgi, html
if not hasattr(cgi, "escape"):
    cgi.escape = lambda s, quote=False: html.escape(s, quote)
"""


def environment(
    work: Path, key: str, requirements: list[str], pytest: str = "pytest", shim: bool = False
) -> Path:
    """A virtual environment with `requirements` and pytest, reused while they stay the same."""
    folder = work / "venvs" / key
    python = folder / "bin" / "python"
    stamp = folder / "requirements.stamp"
    wanted = "\n".join([pytest, *requirements])
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        put_shim(folder, shim)
        return python
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", pytest, *requirements],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"pip install failed for {key}:\n{done.stderr[-1500:]}")
    put_shim(folder, shim)
    stamp.write_text(wanted)
    return python


def put_shim(folder: Path, shim: bool) -> None:
    [site] = folder.glob("lib/python*/site-packages")
    path, module = site / "py311_shim.pth", site / "py311_shim.py"
    if shim:
        module.write_text(SHIM)
        path.write_text("import py311_shim\n")
    else:
        path.unlink(missing_ok=True)
        module.unlink(missing_ok=True)


def database_files(folder: Path) -> dict[str, float]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime
        for p in folder.rglob("*")
        if p.suffix in DB_SUFFIXES and p.is_file()
    }


def fresh_copy(app: dict, work: Path, label: str) -> Path:
    copy = work / "copies" / f"{app['name']}-{label}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(CORPUS / app["folder"], copy, symlinks=True)
    for source, target in app.get("setup", ()):  # files its README has the user copy
        shutil.copyfile(copy / source, copy / target)
    return copy


def run_suite(app: dict, python: Path, copy: Path) -> dict:
    """The suite's outcome on `copy`: counts, failures (test id, first error line) and
    database files written."""
    report = copy.parent / f"{copy.name}.junit.xml"
    report.unlink(missing_ok=True)
    before = database_files(copy)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(app["env"], PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         f"--junitxml={report}", *app["tests"]],
        cwd=copy, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    after = database_files(copy)
    meant = set(app.get("test_databases", ()))
    written = sorted(p for p, t in after.items() if before.get(p) != t and p not in meant)
    result = {"rc": done.returncode, "tests": 0, "passed": 0, "failures": [], "db": written}
    if not report.exists():
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        result["failures"].append(("(collection)", " | ".join(tail)))
        return result
    for case in ET.parse(report).getroot().iter("testcase"):
        result["tests"] += 1
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            if case.find("skipped") is None:
                result["passed"] += 1
            continue
        test = f"{case.get('classname', '')}.{case.get('name', '')}".strip(".")
        result["failures"].append((test, first_error(problem)))
    if result["tests"] == 0 and done.returncode not in (0, 5):
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        result["failures"].append(("(collection)", " | ".join(tail)))
    return result


def first_error(problem: ET.Element) -> str:
    """The line naming the exception: `E   SomeError: ...` in pytest's report, else the
    message attribute."""
    text = problem.text or ""
    for line in text.splitlines():
        if line.startswith("E   ") and re.search(r"\w+(Error|Exception|Warning)\b", line):
            return line[4:].strip()[:200]
    return (problem.get("message") or text.strip().splitlines()[-1:] or [""])[0][:200]


def flask_fix(copy: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", "--no-cache", *args, "."],
        cwd=copy, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def compiles(folder: Path) -> set[str]:
    good = set()
    for path in folder.rglob("*.py"):
        try:
            compile(path.read_bytes(), str(path), "exec")
        except (SyntaxError, ValueError):
            continue
        good.add(str(path.relative_to(folder)))
    return good


def fix(app: dict, work: Path) -> tuple[Path, dict]:
    copy = fresh_copy(app, work, "fixed")
    compiled = compiles(copy)
    run = flask_fix(copy, "--unsafe-fixes", "-q")
    crashed = run.returncode not in (0, 1, 3) or "Traceback" in run.stderr
    broken = sorted(compiled - compiles(copy))
    again = flask_fix(copy, "--unsafe-fixes", "--diff")
    check = flask_fix(copy, "--check", "--output-format", "json")
    findings = json.loads(check.stdout)["findings"] if check.stdout.strip() else []
    facts = {
        "rc": run.returncode,
        "crashed": crashed,
        "stderr": run.stderr.strip()[-400:],
        "broken": broken,
        "second_run_diff": again.stdout.strip() != "",
        "findings": findings,
    }
    return copy, facts


QUOTED = re.compile(r"'([A-Za-z_][\w.]*)'")


def naming(error: str, findings: list[dict]) -> str:
    """Rule codes of the findings whose message names a quoted symbol of the error."""
    names = {n.rsplit(".", 1)[-1] for n in QUOTED.findall(error)} | set(QUOTED.findall(error))
    codes = sorted(
        {
            f["code"]
            for f in findings
            for n in names
            if len(n) > 2 and re.search(rf"\b{re.escape(n)}\b", f["message"])
        }
    )
    return ",".join(codes) if codes else "NOT NAMED"


def summary(result: dict | None, total: int = 0) -> str:
    """passed/total: total is the most tests any step collected (a module that fails to
    import counts as one test in pytest's report)."""
    if result is None:
        return "-"
    text = f"{result['passed']}/{max(result['tests'], total)}"
    if result["db"]:
        text += " DB WRITTEN " + ",".join(result["db"])
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", help="names of APPS (default: all)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/flask-fix-apps"))
    parser.add_argument("--only", default="old,today,fixed,fixed-old")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    steps = set(args.only.split(","))
    chosen = [a for a in APPS if not args.apps or a["name"] in args.apps]
    rows, everything = [], {}
    for app in chosen:
        print(f"== {app['name']}", flush=True)
        pytest = app.get("pytest", "pytest")
        try:
            old_python = environment(
                args.work, f"{app['name']}-old", app["old"], pytest, app.get("shim", False)
            )
            today_python = environment(
                args.work, f"{app['name']}-today", STACK + app["today"], pytest
            )
        except RuntimeError as error:
            print(f"  {error}")
            continue
        out: dict = {}
        if "old" in steps:
            out["old"] = run_suite(app, old_python, fresh_copy(app, args.work, "old"))
        if "today" in steps:
            out["today"] = run_suite(app, today_python, fresh_copy(app, args.work, "today"))
        if steps & {"fixed", "fixed-old"}:
            fixed, facts = fix(app, args.work)
            out["run"] = facts
            if "fixed" in steps:
                copy = work_copy(fixed, "today")
                out["fixed"] = run_suite(app, today_python, copy)
            if "fixed-old" in steps:
                copy = work_copy(fixed, "old")
                out["fixed-old"] = run_suite(app, old_python, copy)
        everything[app["name"]] = out
        print_app(app, out)
        rows.append((app, out))
    print()
    print("| app | old pins | today before | today after | fixed on old pins | run |")
    print("|---|---|---|---|---|---|")
    for app, out in rows:
        run = out.get("run")
        run_text = "-"
        if run:
            run_text = (
                f"rc {run['rc']}"
                + (", CRASH" if run["crashed"] else "")
                + (f", {len(run['broken'])} not compiling" if run["broken"] else "")
                + (", second run changes" if run["second_run_diff"] else ", 2nd run clean")
            )
        total = max((r["tests"] for k, r in out.items() if k != "run"), default=0)
        cells = [summary(out.get(k), total) for k in ("old", "today", "fixed", "fixed-old")]
        print(f"| {app['name']} | {' | '.join(cells)} | {run_text} |")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1, default=str))
    return 0


def work_copy(fixed: Path, label: str) -> Path:
    copy = fixed.parent / f"{fixed.name}-{label}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(fixed, copy, symlinks=True)
    return copy


def print_app(app: dict, out: dict) -> None:
    findings = out.get("run", {}).get("findings", [])
    total = max((r["tests"] for k, r in out.items() if k != "run"), default=0)
    for step in ("old", "today", "fixed", "fixed-old"):
        result = out.get(step)
        if result is None:
            continue
        print(f"  {step}: {summary(result, total)} (pytest rc {result['rc']})")
        for test, error in result["failures"]:
            named = f"  [{naming(error, findings)}]" if step == "fixed" else ""
            print(f"    {test}: {error}{named}")
    run = out.get("run")
    if run:
        print(f"  run: rc {run['rc']} crashed={run['crashed']} broken={run['broken']} "
              f"second_run_diff={run['second_run_diff']} findings left={len(findings)}")
        if run["crashed"]:
            print("   ", run["stderr"])


if __name__ == "__main__":
    sys.exit(main())
