"""Worker processes that cannot hang a run.

`ordered_map` is `map` over worker processes, yielding in the items' order. Each worker has
a connection of its own to the parent (no queue, lock or thread shared between workers),
gets one task at a time and sends back its results; the parent waits on every connection
and every worker's exit at once. So a worker that dies (killed, out of memory, a crash in
native code) is seen at once, whatever the others are doing, and cannot leave a lock
behind that blocks them.

What concurrent.futures.ProcessPoolExecutor did here, in a run seen to hang: a worker
killed while sending its result kept the shared result queue's lock; the other worker
then waited for that lock forever, turned the SIGTERM meant to end it into an exception
the executor caught (and tried to send again), and the shutdown waited for it.

When the run is over, or must stop (a worker died, Ctrl-C, a task raised, the caller
stopped iterating), the parent ends every worker: SIGTERM first, which lets a worker
writing a file finish its `finally` blocks (the temporary file removed), then, after
`GRACE_SECONDS`, SIGKILL for those still alive. It never waits for a worker unbounded.
"""

from __future__ import annotations

import collections
import enum
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: how long workers asked to stop (SIGTERM) get before they are killed (SIGKILL)
GRACE_SECONDS = 2.0

#: the exit code of a worker stopped by SIGINT or SIGTERM (128 + the signal's number)
_INTERRUPTED = 128


class WorkerDied(Exception):
    """A worker process ended while it held a task: the run cannot finish.

    `reason` says how it ended ("a worker process (pid 12) was killed by SIGKILL");
    `unfinished` are the items whose results never came, in the items' order, and `held`
    those of them the dead worker was working on (one of them, perhaps, killed it)."""

    def __init__(self, reason: str, unfinished: Sequence[Any], held: Sequence[Any]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unfinished = list(unfinished)
        self.held = list(held)


class Lost(enum.Enum):
    """What became of an item whose result never came, when a worker died."""

    HELD = "held"  # the dead worker was working on it (one of them, perhaps, killed it)
    STOPPED = "stopped"  # another worker was, and was stopped
    NOT_STARTED = "not started"  # no worker had begun it


class RemoteError(Exception):
    """A task raised in a worker and its exception could not be sent back as it was."""


def ordered_map(
    func: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    *,
    context: Any = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
    chunksize: int = 1,
    order: Sequence[int] | None = None,
    lost: Callable[[T, str, Lost], R] | None = None,
) -> Iterator[R]:
    """`func(item)` for each of `items`, computed in `workers` processes (started from
    `context`, a multiprocessing context, each running `initializer(*initargs)` first),
    yielded in the items' order as soon as each is ready.

    Tasks are runs of `chunksize` consecutive items; or, with `order` (a permutation of
    the positions), single items handed out in that order. An exception raised by `func`
    is raised here. When a worker dies holding a task, the workers are stopped and, with
    `lost`, the results that came are yielded in order and `lost(item, reason, Lost...)`
    stands for each of the others; without it, WorkerDied is raised (after the results
    that came before the first missing one)."""
    if order is not None:
        tasks = collections.deque([position] for position in order)
    else:
        tasks = collections.deque(
            list(range(start, min(start + chunksize, len(items))))
            for start in range(0, len(items), chunksize)
        )
    pool = _Workers(func, items, context or multiprocessing.get_context(), initializer, initargs)
    if not tasks:
        return
    done: dict[int, R] = {}
    position = 0
    try:
        pool.start(min(workers, len(tasks)), tasks)
        while position < len(items):
            while position in done:
                yield done.pop(position)
                position += 1
            if position < len(items):
                done.update(pool.results(tasks))
    except WorkerDied as died:
        pool.stop()
        held = set(died.held)
        if lost is None:
            missing = [items[p] for p in range(position, len(items)) if p not in done]
            raise WorkerDied(died.reason, missing, [items[p] for p in sorted(held)]) from None
        for rest in range(position, len(items)):
            if rest in done:
                yield done.pop(rest)
            elif rest in held:
                yield lost(items[rest], died.reason, Lost.HELD)
            else:
                how = Lost.STOPPED if rest in pool.started else Lost.NOT_STARTED
                yield lost(items[rest], died.reason, how)
    finally:
        # also when the caller stopped iterating (GeneratorExit) or was interrupted
        pool.stop()


class _Workers:
    """The worker processes of one `ordered_map`, and the task each one holds."""

    def __init__(
        self,
        func: Callable,
        items: Sequence,
        context: Any,
        initializer: Callable[..., None] | None,
        initargs: tuple,
    ) -> None:
        self.func = func
        self.items = items
        self.context = context
        self.initializer = initializer
        self.initargs = initargs
        self.processes: list[Any] = []
        self.connections: dict[Any, Connection] = {}  # by process
        self.holding: dict[Any, list[int]] = {}  # the positions each process works on
        self.started: set[int] = set()  # every position handed out

    def start(self, count: int, tasks: collections.deque) -> None:
        forking = self.context.get_start_method() == "fork"
        for _ in range(count):
            ours, theirs = self.context.Pipe()
            # a forked worker closes its copies of the others' connections: each worker's
            # end is then in that worker alone, and its EOF tells the parent it is gone
            others = list(self.connections.values()) if forking else []
            process = self.context.Process(
                target=_serve,
                args=(theirs, others, self.func, self.initializer, self.initargs),
                daemon=True,
            )
            self.processes.append(process)
            process.start()
            theirs.close()  # its end lives in the worker now: EOF when the worker is gone
            self.connections[process] = ours
            self._hand_out(process, tasks)

    def _hand_out(self, process: Any, tasks: collections.deque) -> None:
        if not tasks:
            self.holding.pop(process, None)
            return
        positions = tasks.popleft()
        self.holding[process] = positions
        self.started.update(positions)
        try:
            self.connections[process].send([(p, self.items[p]) for p in positions])
        except OSError:  # it has just died: its exit is seen by `results`
            pass

    def results(self, tasks: collections.deque) -> list[tuple[int, Any]]:
        """Wait for some worker to send results or to exit; hand it its next task."""
        busy = [p for p in self.processes if p in self.holding]
        if not busy:
            raise RuntimeError("no worker holds a task and results are missing")
        by_handle: dict[Any, Any] = {}
        for process in busy:
            by_handle[self.connections[process]] = process
            by_handle[process.sentinel] = process
        came: list[tuple[int, Any]] = []
        for handle in wait(list(by_handle)):
            process = by_handle[handle]
            if process not in self.holding:
                continue  # both its handles were ready: already read
            connection = self.connections[process]
            try:
                if not connection.poll():  # only its sentinel: it exited holding a task
                    raise EOFError
                message = connection.recv()
            except (EOFError, OSError):
                process.join(GRACE_SECONDS)  # it has exited, or is about to: its code
                raise WorkerDied(_how_it_ended(process), [], self.holding[process]) from None
            status, payload = message
            if status == "raised":
                error, remote = payload
                raise error from RemoteError(remote)
            came.extend(payload)
            self._hand_out(process, tasks)
        return came

    def stop(self) -> None:
        """End every worker now: SIGTERM, then SIGKILL after GRACE_SECONDS. A worker with
        no task is asked to leave (it exits at once); none is waited for unbounded."""
        if not self.processes:
            return
        for process in self.processes:
            if process not in self.holding:
                try:
                    self.connections[process].send(None)
                except OSError:
                    pass
        for process in self.processes:
            if process in self.holding and process.exitcode is None:
                process.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        alive = [p.sentinel for p in self.processes if p.exitcode is None]
        while alive and time.monotonic() < deadline:
            ended = wait(alive, timeout=max(0.0, deadline - time.monotonic()))
            alive = [sentinel for sentinel in alive if sentinel not in ended]
        for process in self.processes:
            if process.exitcode is None:
                process.kill()
            process.join(GRACE_SECONDS)
        for connection in self.connections.values():
            connection.close()
        self.processes.clear()
        self.connections.clear()
        self.holding.clear()


def _how_it_ended(process: Any) -> str:
    code = process.exitcode
    if code is None:
        return f"a worker process (pid {process.pid}) closed its connection and hung"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"a worker process (pid {process.pid}) was killed by {name}"
    if code > _INTERRUPTED:
        try:
            name = signal.Signals(code - _INTERRUPTED).name
            return f"a worker process (pid {process.pid}) was stopped by {name}"
        except ValueError:
            pass
    return f"a worker process (pid {process.pid}) exited with code {code}"


def _serve(
    connection: Connection,
    others: list[Connection],
    func: Callable,
    initializer: Callable[..., None] | None,
    initargs: tuple,
) -> None:
    """A worker: run the tasks the parent sends (lists of (position, item)) until it
    sends None or goes away. Ctrl-C or SIGTERM, wherever they land (in a task, in a send
    or between tasks), end the process at once once the `finally` blocks they unwind
    have run; nothing catches them and carries on."""
    try:
        signal.signal(signal.SIGTERM, _stop_on_signal)
        for other in others:
            other.close()
        if initializer is not None:
            initializer(*initargs)
        while True:
            try:
                    task = connection.recv()
            except EOFError:
                break  # the parent is gone
            if task is None:
                break
            try:
                message: tuple = ("done", [(p, func(item)) for p, item in task])
            except Exception as exc:  # the parent raises it
                message = ("raised", (exc, traceback.format_exc()))
            try:
                connection.send(message)
            except Exception as exc:  # a result or exception that does not pickle
                if message[0] == "raised":
                    exc = RemoteError(message[1][1])
                connection.send(("raised", (exc, traceback.format_exc())))
    except KeyboardInterrupt:
        _exit(_INTERRUPTED + signal.SIGINT)
    except OSError:  # the parent is gone
        _exit(1)
    except SystemExit as stop:
        _exit(stop.code if isinstance(stop.code, int) else 1)
    _exit(0)


def _stop_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(_INTERRUPTED + signum)


def _exit(code: int) -> None:
    os._exit(code)
