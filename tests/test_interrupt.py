"""A run killed while it writes leaves every file either as it was or fully fixed, and
no temporary file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
ORIGINAL = (
    "import json\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    '@app.post("/items")\ndef create_item():\n    item = json.loads(request.data)\n'
    '    return {"name": item["name"]}\n'
) + "".join(f"VALUE_{i} = {i}\n" for i in range(100))
FIXED = ORIGINAL.replace("import json\n", "").replace(
    "json.loads(request.data)", "request.get_json(force=True)"
)
FILES = 60


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_killed_while_writing(tmp_path: Path, signum: int):
    for i in range(FILES):
        (tmp_path / f"m{i:03}.py").write_text(ORIGINAL)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask_fix", "--select", "FLK104", "-j", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any("get_json" in p.read_text() for p in tmp_path.glob("m*.py")):
            break  # the writing has begun
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)

    texts = [p.read_text() for p in sorted(tmp_path.glob("m*.py"))]
    assert len(texts) == FILES
    assert all(text in (ORIGINAL, FIXED) for text in texts)
    assert FIXED in texts
    assert [p.name for p in tmp_path.iterdir() if "flask-fix" in p.name] == []
    if process.returncode != 1:  # it may have finished before the signal landed
        assert process.returncode == 130, stderr.decode()[-500:]
        assert b"interrupted" in stderr
