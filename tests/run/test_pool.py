"""flask_fix.run.pool: results in order, and a worker that dies, hangs in a send or ignores
SIGTERM never hangs the map. Each case runs in a fresh interpreter whose timeout is the
failure: a hang fails the test instead of hanging the suite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]
#: far beyond what any case needs (a few seconds at most); reaching it means a hang
HANG = 120

PRELUDE = """
import json, multiprocessing, os, signal, sys, time
from flask_fix.run.pool import WorkerDied, ordered_map

FORK = multiprocessing.get_context("fork")

def done(value):
    print(json.dumps(value))
    # no worker outlives the map that started it
    assert multiprocessing.active_children() == [], multiprocessing.active_children()
"""


def run_case(body: str, helpers: str = "") -> object:
    script = PRELUDE + helpers + textwrap.dedent(body)
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=HANG,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.splitlines()[-1])


def test_results_come_in_item_order():
    result = run_case(
        """
        def slow_square(n):
            time.sleep(0.001 * (n % 3))
            return n * n

        done(list(ordered_map(slow_square, list(range(50)), 2, context=FORK, chunksize=3)))
        """
    )
    assert result == [n * n for n in range(50)]


def test_order_is_the_order_tasks_are_handed_out():
    result = run_case(
        """
        calls = []

        def record(item):
            calls.append(item)  # in the one worker
            return (item, len(calls))

        results = ordered_map(record, ["a", "b", "c", "d"], 1, context=FORK, order=[2, 0, 3, 1])
        done(list(results))
        """
    )
    # results in item order; the numbers say c was handed out first, then a, d, b
    assert result == [["a", 2], ["b", 4], ["c", 1], ["d", 3]]


def test_the_initializer_runs_in_each_worker():
    result = run_case(
        """
        seen = {}

        def setup(value):
            seen["value"] = value

        def read(item):
            return seen.get("value")

        done(list(ordered_map(read, [1, 2, 3], 2, context=FORK, initializer=setup, initargs=(7,))))
        """
    )
    assert result == [7, 7, 7]


DIES_ON_5 = """
def dies_on_5(n):
    if n == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.01)
    return n
"""


def test_a_killed_worker_ends_the_map_and_lost_stands_for_the_results_that_never_came():
    result = run_case(
        """
        def lost(item, why, how):
            return ["lost", item, why.split(" (pid")[0] + why.split(")")[1], how.value]

        done(list(ordered_map(dies_on_5, list(range(12)), 2, context=FORK, lost=lost)))
        """,
        DIES_ON_5,
    )
    # items are handed out in order, one at a time: when 5 was handed out, 0-4 had been,
    # and all of them were done but the one the other worker held (usually 4; on a loaded
    # machine an earlier one, the other worker having taken several in the meantime),
    # which is "stopped"; 5 is the one its worker died on, the others came or not,
    # depending on when the death was seen, and none of them is blamed
    killed = "a worker process was killed by SIGKILL"
    stopped = [n for n in range(5) if result[n] != n]
    assert len(stopped) <= 1
    assert all(result[n] == ["lost", n, killed, "stopped"] for n in stopped)
    assert result[5] == ["lost", 5, killed, "held"]
    for item, value in enumerate(result):
        if item != 5:
            hows = ["lost", item, killed, "stopped"], ["lost", item, killed, "not started"]
            assert value == item or value in hows
    assert result[-1] == ["lost", 11, killed, "not started"]


def test_without_lost_worker_died_names_the_items_not_done():
    result = run_case(
        """
        got = []
        try:
            for value in ordered_map(dies_on_5, list(range(12)), 2, context=FORK, chunksize=2):
                got.append(value)
        except WorkerDied as died:
            done({"got": got, "unfinished": died.unfinished, "held": died.held,
                  "reason": died.reason})
        """,
        DIES_ON_5,
    )
    # chunks of two, handed out in order: 0-1 were done when 4-5 were handed out, 2-3
    # perhaps not (the other worker's chunk)
    assert result["got"] in ([0, 1], [0, 1, 2, 3])
    assert result["held"] == [4, 5]  # the chunk its worker held when it died
    unfinished = result["unfinished"]
    assert unfinished == sorted(unfinished)
    assert set(range(4, 12)) <= set(unfinished) <= set(range(len(result["got"]), 12))
    assert result["reason"].startswith("a worker process (pid ")
    assert result["reason"].endswith(") was killed by SIGKILL")


def test_a_worker_blocked_sending_its_result_is_stopped_when_the_caller_stops():
    # the worker finishes a result far larger than a pipe holds while nobody reads:
    # it blocks in the send, and must still end when the map does
    result = run_case(
        """
        def big(n):
            return b"x" * (64 * 1024 * 1024) if n == 1 else n

        results = ordered_map(big, [0, 1, 2], 1, context=FORK)
        first = next(results)
        time.sleep(1.0)  # the worker is in its send of item 1's result now
        results.close()
        done(first)
        """
    )
    assert result == 0


def test_a_worker_that_ignores_sigterm_is_killed():
    result = run_case(
        """
        def stubborn(n):
            if n == 0:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                time.sleep(3600)
            if n == 1:
                time.sleep(0.5)  # the stubborn worker is asleep by now
                os.kill(os.getpid(), signal.SIGKILL)
            return n

        start = time.monotonic()
        results = list(ordered_map(stubborn, [0, 1], 2, context=FORK, lost=lambda *a: "lost"))
        done([results, time.monotonic() - start < 600])
        """
    )
    assert result == [["lost", "lost"], True]


def test_an_exception_in_a_task_is_raised_in_the_caller():
    result = run_case(
        """
        def fails_on_3(n):
            if n == 3:
                raise ValueError(f"no {n}")
            return n

        try:
            list(ordered_map(fails_on_3, list(range(8)), 2, context=FORK))
        except ValueError as exc:
            done([str(exc), "fails_on_3" in str(exc.__cause__)])
        """
    )
    assert result == ["no 3", True]


def test_a_result_that_does_not_pickle_is_an_error_not_a_hang():
    result = run_case(
        """
        def unpicklable(n):
            return (lambda: n) if n == 2 else n

        try:
            list(ordered_map(unpicklable, list(range(5)), 2, context=FORK))
        except Exception as exc:
            done(type(exc).__name__)
        """
    )
    assert result in ("PicklingError", "AttributeError")


def test_ctrl_c_stops_the_workers(tmp_path: Path):
    # the whole process group gets SIGINT, as from a terminal
    script = PRELUDE + textwrap.dedent(
        """
        def forever(n):
            time.sleep(3600)

        print("started", flush=True)
        try:
            list(ordered_map(forever, list(range(4)), 2, context=FORK))
        except KeyboardInterrupt:
            done("interrupted")
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "started\n"
    time.sleep(1.0)  # the workers are asleep in their tasks
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=HANG)
    assert process.returncode == 0, err[-2000:]
    assert out.splitlines()[-1] == '"interrupted"'
    assert "Traceback" not in err  # the workers end quietly
