"""--interactive, driven through a pseudo-terminal as a person would use it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flask_fix.output.interactive import PatchDoesNotApply, apply_hunks, parse_patch
from flask_fix.output.textdiff import unified_diff


def view(name: str, key: str) -> str:
    return textwrap.dedent(
        f"""\
        @app.route("/{name}")
        def {name}():
            page = int(request.args.get("{key}", 1))
            return str(page)
        """
    )


FILLER = "".join(f"CONSTANT_{n} = {n}\n" for n in range(10))
FIRST = (
    "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    + view("one", "a")
    + "\n\n"
    + FILLER
    + "\n\n"
    + view("two", "b")
)
SECOND = "from flask import request\nfrom first import app\n\n\n" + view("three", "c")


def fixed(text: str, *keys: str) -> str:
    for key in keys:
        text = text.replace(
            f'int(request.args.get("{key}", 1))', f'request.args.get("{key}", default=1, type=int)'
        )
    return text


class Terminal:
    """flask-fix on a pseudo-terminal: read until a prompt appears, then answer it."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask_fix", "--no-cache", "-j", "1", *args],
            cwd=cwd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        )
        os.close(slave)
        self.output = b""

    def expect(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {text!r} in {self.output.decode(errors='replace')!r}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the other side closed
                    chunk = b""
                assert chunk, f"exited before {text!r}: {self.output.decode(errors='replace')!r}"
                self.output += chunk

    def answer(self, prompt: str, reply: str) -> None:
        self.expect(prompt)
        self.output = self.output[self.output.index(prompt.encode()) + len(prompt) :]
        os.write(self.master, reply.encode() + b"\n")

    def finish(self) -> int:
        code = self.process.wait(timeout=120)
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        os.close(self.master)
        return code


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "first.py").write_text(FIRST)
    (tmp_path / "second.py").write_text(SECOND)
    return tmp_path


def test_accepted_hunks_are_written_and_the_others_are_not(project: Path):
    terminal = Terminal(project, "--interactive", "--select", "FLK103", ".")
    terminal.answer("Apply hunk 1/2 to first.py [y,n,a,q,?]? ", "y")
    terminal.answer("Apply hunk 2/2 to first.py [y,n,a,q,?]? ", "n")
    terminal.answer("Apply hunk 1/1 to second.py [y,n,a,q,?]? ", "y")
    assert terminal.finish() == 1
    assert "2 of 3 hunks applied, 2 files written" in terminal.output.decode()
    assert (project / "first.py").read_text() == fixed(FIRST, "a")
    assert (project / "second.py").read_text() == fixed(SECOND, "c")


def test_help_then_all_applies_every_remaining_hunk(project: Path):
    terminal = Terminal(project, "--interactive", "--select", "FLK103", ".")
    terminal.expect('+    page = request.args.get("a", default=1, type=int)')
    terminal.answer("Apply hunk 1/2 to first.py [y,n,a,q,?]? ", "?")
    terminal.expect("a - apply this hunk and every hunk after it, in every file")
    terminal.answer("Apply hunk 1/2 to first.py [y,n,a,q,?]? ", "a")
    assert terminal.finish() == 1
    assert "3 of 3 hunks applied, 2 files written" in terminal.output.decode()
    assert (project / "first.py").read_text() == fixed(FIRST, "a", "b")
    assert (project / "second.py").read_text() == fixed(SECOND, "c")


def test_quit_writes_what_was_accepted_and_nothing_after(project: Path):
    terminal = Terminal(project, "--interactive", "--select", "FLK103", ".")
    terminal.answer("Apply hunk 1/2 to first.py [y,n,a,q,?]? ", "n")
    terminal.answer("Apply hunk 2/2 to first.py [y,n,a,q,?]? ", "y")
    terminal.answer("Apply hunk 1/1 to second.py [y,n,a,q,?]? ", "q")
    assert terminal.finish() == 1
    assert "1 of 3 hunks applied, 1 file written" in terminal.output.decode()
    assert (project / "first.py").read_text() == fixed(FIRST, "b")
    assert (project / "second.py").read_text() == SECOND


def test_refused_without_a_terminal(project: Path):
    result = subprocess.run(
        [sys.executable, "-m", "flask_fix", "--interactive", "."],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "flask-fix: error: --interactive asks about each hunk on a terminal, and standard "
        "input is not one; use --diff to review the patch, then apply it\n"
    )
    assert (project / "first.py").read_text() == FIRST


@pytest.mark.parametrize("other", ["--diff", "--check"])
def test_refused_with_another_mode(project: Path, other: str):
    terminal = Terminal(project, "--interactive", other, ".")
    assert terminal.finish() == 2
    assert b"--interactive cannot be combined with --diff or --check" in terminal.output


@pytest.mark.parametrize(
    "old, new",
    [
        (FIRST, fixed(FIRST, "a", "b")),
        ("a\nb\nc", "a\nB\nc\nd\n"),  # the last line gains its newline
        ("x\n", "y\nx\n"),  # an insertion at the top
        ("", "new\n"),
    ],
)
def test_every_subset_of_hunks_applies(old: str, new: str):
    patch = unified_diff(old.encode(), new.encode(), "f.py")
    _, hunks = parse_patch(patch)
    assert apply_hunks(old.encode(), hunks) == new.encode()
    assert apply_hunks(old.encode(), []) == old.encode()


def test_one_hunk_of_two_applies_alone():
    patch = unified_diff(FIRST.encode(), fixed(FIRST, "a", "b").encode(), "first.py")
    _, hunks = parse_patch(patch)
    assert len(hunks) == 2
    assert apply_hunks(FIRST.encode(), hunks[:1]) == fixed(FIRST, "a").encode()
    assert apply_hunks(FIRST.encode(), hunks[1:]) == fixed(FIRST, "b").encode()
    changed = FIRST.replace("def one():", "def uno():")
    with pytest.raises(PatchDoesNotApply):
        apply_hunks(changed.encode(), hunks[:1])
