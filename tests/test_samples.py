"""End to end on samples/: the exact patch, git accepts it, the app's own tests still pass,
and replaying requests shows only the behaviour changes RULES.md calls intended."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SHOP = ROOT / "samples" / "legacy_shop"
EXPECTED_DIFF = Path(__file__).parent / "expected" / "legacy_shop.diff"


def flask_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask_fix", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def shop_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "legacy_shop"
    shutil.copytree(SHOP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return copy


def test_diff_is_exact_applies_and_equals_the_write(shop_copy: Path):
    diff = flask_fix("--diff", ".", cwd=shop_copy)
    assert diff.returncode == 1, diff.stderr.decode()
    assert diff.stdout.decode() == EXPECTED_DIFF.read_text()

    subprocess.run(["git", "init", "-q"], cwd=shop_copy, check=True)
    check = subprocess.run(
        ["git", "apply", "--check", "-"], cwd=shop_copy, input=diff.stdout, capture_output=True
    )
    assert check.returncode == 0, check.stderr.decode()

    patched = shop_copy.parent / "patched"
    shutil.copytree(shop_copy, patched)
    subprocess.run(["git", "apply", "-"], cwd=patched, input=diff.stdout, check=True)

    write = flask_fix(".", cwd=shop_copy)
    assert write.returncode == 1  # changes made, and report-only findings remain
    for name in ("app.py", "replay.py", "tests/test_app.py"):
        assert (shop_copy / name).read_bytes() == (patched / name).read_bytes()

    again = flask_fix("--diff", ".", cwd=shop_copy)
    assert again.stdout == b""
    # the report-only findings are still listed, but with nothing to patch --diff exits 0
    assert again.returncode == 0, again.stderr.decode()
    assert b"FLK102 no route of the project serves GET /favourites" in again.stderr
    for path in shop_copy.rglob("*.py"):
        compile(path.read_bytes(), str(path), "exec")


def test_the_apps_own_tests_pass_after_the_rewrite(shop_copy: Path):
    assert flask_fix(".", cwd=shop_copy).returncode == 1
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=shop_copy,
        capture_output=True,
    )
    assert tests.returncode == 0, tests.stdout.decode()[-3000:]


def _replay(folder: Path, tag: str) -> list[dict]:
    """Import the app and its replay module from `folder` under unique names and replay."""
    modules = {}
    for name in ("app", "replay"):
        spec = importlib.util.spec_from_file_location(f"{tag}_{name}", folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[name] = module
    return modules["replay"].replay(modules["app"].app)


# The only differences RULES.md allows between the app before and after the default fixes.
JSON_CONTENT_TYPE = "application/json"
MALFORMED_NUMBER_GIVES_DEFAULT = (500, 200)  # FLK103: type= gives the default
INVALID_JSON_GIVES_400 = (500, 400)  # FLK104: get_json(force=True)


def test_replayed_requests_differ_only_as_intended(shop_copy: Path):
    before = _replay(shop_copy, "before")
    assert flask_fix(".", cwd=shop_copy).returncode == 1
    after = _replay(shop_copy, "after")

    assert len(before) == len(after)
    changes = []
    for old, new in zip(before, after):
        assert (old["method"], old["path"]) == (new["method"], new["path"])
        assert old["location"] == new["location"], old["path"]
        if old["status"] == new["status"]:
            assert old["json"] == new["json"], old["path"]
            if old["content_type"] != new["content_type"]:
                assert new["content_type"] == JSON_CONTENT_TYPE, old["path"]
                changes.append(("content-type", old["method"], old["path"]))
        else:
            pair = (old["status"], new["status"])
            assert pair in (MALFORMED_NUMBER_GIVES_DEFAULT, INVALID_JSON_GIVES_400), (
                old["path"],
                pair,
            )
            changes.append((pair, old["method"], old["path"]))
    # the replay must really exercise the rewritten code paths
    assert ("content-type", "GET", "/api/products") in changes
    assert (MALFORMED_NUMBER_GIVES_DEFAULT, "GET", "/products?page=abc") in changes
    assert (INVALID_JSON_GIVES_400, "POST", "/api/products") in changes
