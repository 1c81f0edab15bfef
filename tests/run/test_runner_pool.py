"""The fix phase hands the pool its heaviest files first and still yields in file order."""

from __future__ import annotations

from flask_fix.run import runner
from flask_fix.run.runner import Mode, Settings


class RecordingMap:
    """A stand-in for flask_fix.run.pool.ordered_map: runs each task in this process, in
    the order the pool would hand them out, and records that order."""

    submitted: list = []

    @staticmethod
    def ordered_map(func, items, workers, *, initializer, initargs, order=None, **options):
        initializer(*initargs)
        order = order if order is not None else range(len(items))
        RecordingMap.submitted.extend(items[i] for i in order)
        results = {i: func(items[i]) for i in order}
        yield from (results[i] for i in range(len(items)))


def test_the_heaviest_files_are_submitted_first_and_results_come_in_file_order(
    tmp_path, monkeypatch
):
    sizes = {"a.py": 10, "b.py": 300, "c.py": 20, "d.py": 200}
    work = []
    for name, size in sizes.items():
        path = tmp_path / name
        path.write_text("x = 1\n" + "#" * size + "\n")
        work.append((str(path), ()))
    monkeypatch.setattr(runner, "ordered_map", RecordingMap.ordered_map)
    monkeypatch.setattr(RecordingMap, "submitted", [])
    monkeypatch.setattr(runner, "fix_file", lambda item: item[0])
    settings = Settings(mode=Mode.CHECK, jobs=2)
    results = list(runner._fixes(work, settings, runner.build_index([]), None, None))
    assert results == [path for path, _ in work]
    assert [item[0].rsplit("/", 1)[1] for item in RecordingMap.submitted] == [
        "b.py", "d.py", "c.py", "a.py"
    ]


def test_a_rewritten_file_weighs_its_new_source():
    assert runner._fix_weight(("missing.py", (), b"x" * 50)) == 50
    assert runner._fix_weight(("missing.py", ())) == 0
