"""The plumbing for rules over files that are not Python (Procfile, Dockerfile, ...)."""

from __future__ import annotations

from pathlib import Path

from flask_fix.run import runner
from flask_fix.rewrite.base import TextFinding, TextRule
from flask_fix.run.files import discover
from flask_fix.model import FixLevel


class _ServesWithFlaskRun(TextRule):
    """A stand-in text rule: flags lines running `flask run`."""

    code, name, summary = "FLK998", "test-text", "test"
    file_patterns = ("Procfile", "Dockerfile*")

    def check(self, path: str, text: str) -> list[TextFinding]:
        return [
            TextFinding(n, line.index("flask run") + 1, len(line) + 1, "dev server")
            for n, line in enumerate(text.splitlines(), 1)
            if "flask run" in line
        ]


def test_discovery_finds_the_named_files_too(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("app.py", "Procfile", "Dockerfile.prod", "README.md"):
        (tmp_path / name).write_text("x\n")
    assert discover(["."]).files == ["app.py"]
    found = discover(["."], other_names=("Procfile", "Dockerfile*"))
    assert found.files == ["Dockerfile.prod", "Procfile", "app.py"]


def test_text_files_are_checked_in_the_scan(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Procfile").write_text("release: ./migrate\nweb: flask run --host 0.0.0.0\n")
    monkeypatch.setattr(runner, "_worker_text_rules", (_ServesWithFlaskRun,))
    scan = runner.scan_file("Procfile")
    result = scan.text_result
    assert result is not None and result.error is None
    [finding] = result.findings
    assert (finding.code, finding.line, finding.column, finding.fix_level) == (
        "FLK998",
        2,
        6,
        FixLevel.REPORT,
    )
    assert result.remaining == result.findings


def test_an_undecodable_text_file_is_an_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Procfile").write_bytes(b"web: \xff\xfe\x00 run\n")
    monkeypatch.setattr(runner, "_worker_text_rules", (_ServesWithFlaskRun,))
    result = runner.scan_file("Procfile").text_result
    assert result is not None and result.error is not None
