"""The fix phase hands the pool its heaviest files first and still yields in file order."""

from __future__ import annotations

from concurrent.futures import Future

from flask_fix.run import runner
from flask_fix.run.runner import Mode, Settings


class RecordingPool:
    """A stand-in for ProcessPoolExecutor: runs each task when submitted, in this process,
    and records the order it was given them."""

    submitted: list = []

    def __init__(self, *args, initializer=None, initargs=(), **kwargs) -> None:
        initializer(*initargs)

    def submit(self, func, *args) -> Future:
        RecordingPool.submitted.append(args[-1])
        future: Future = Future()
        future.set_result(func(*args))
        return future

    def shutdown(self, **kwargs) -> None:
        pass


def test_the_heaviest_files_are_submitted_first_and_results_come_in_file_order(
    tmp_path, monkeypatch
):
    sizes = {"a.py": 10, "b.py": 300, "c.py": 20, "d.py": 200}
    work = []
    for name, size in sizes.items():
        path = tmp_path / name
        path.write_text("x = 1\n" + "#" * size + "\n")
        work.append((str(path), ()))
    monkeypatch.setattr(runner, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(RecordingPool, "submitted", [])
    monkeypatch.setattr(runner, "fix_file", lambda item: item[0])
    settings = Settings(mode=Mode.CHECK, jobs=2)
    results = list(runner._fixes(work, settings, runner.build_index([]), None, None))
    assert results == [path for path, _ in work]
    assert [item[0].rsplit("/", 1)[1] for item in RecordingPool.submitted] == [
        "b.py", "d.py", "c.py", "a.py"
    ]


def test_a_rewritten_file_weighs_its_new_source():
    assert runner._fix_weight(("missing.py", (), b"x" * 50)) == 50
    assert runner._fix_weight(("missing.py", ())) == 0
