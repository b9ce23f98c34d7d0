"""A small pool of worker processes whose jobs can be stopped: a job past its deadline has
its process killed (SIGKILL) and replaced, so a digest that runs too long stops computing,
unlike a thread. The service digests on it, off the event loop and on every core.

Design: ``size`` processes, each owned in turn by one of ``size`` runner threads. A runner
sends ``(fn, args)`` down the process's socket and waits on it until the deadline; past it
the process is killed and a fresh one started. ``fn`` must be importable by name (a
module-level function). Workers are fresh interpreters (``python -c``, nothing forked from
a threaded server, and unlike ``multiprocessing``'s spawn they never re-run the caller's
``__main__``, so a script without a ``__main__`` guard can use them); they get the
server's ``sys.path`` and run at a lower CPU priority so the event loop answers first.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("diemtin.app.workers")

WORKER_NICE = 5  # digest work yields the CPU to the process answering HTTP
KILL_WAIT_S = 2.0


class PoolBusy(Exception):
    """Too many jobs running or waiting."""


class JobTimeout(Exception):
    """The job ran past its deadline; its process was killed."""


class WorkerLost(Exception):
    """The worker process died during the job (killed from outside, out of memory...)."""


class JobFailed(Exception):
    """The job raised in the worker; ``str(exc)`` is ``Type: message``."""


# The child's first steps, before anything of ours can be imported: the server's sys.path.
_BOOT = (
    "import sys\n"
    "from multiprocessing.connection import Connection\n"
    "conn = Connection(int(sys.argv[1]))\n"
    "sys.path[:] = conn.recv()\n"
    "from diemtin.app.workers import worker_main\n"
    "worker_main(conn)\n"
)


def worker_main(conn: Connection) -> None:
    """The worker's loop: one initializer, then jobs until the server goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    try:
        os.nice(WORKER_NICE)
    except OSError:  # pragma: no cover - not permitted on some systems
        pass
    try:
        initializer = conn.recv()
    except (EOFError, OSError):
        return
    if initializer is not None:
        initializer()
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except BaseException as e:  # noqa: BLE001 - reported to the caller, the worker lives on
            reply = ("error", f"{type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as e:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send(("error", f"{type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, initializer: Callable[[], None] | None) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()  # the child's end closed here: EOF on ours when the worker dies
        self.conn = Connection(ours.detach())
        self.pid = self.process.pid
        self.conn.send(list(sys.path))
        self.conn.send(initializer)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(KILL_WAIT_S)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL not reaped yet
            pass
        self.conn.close()


class WorkerPool:
    """``await pool.run(fn, args, timeout)`` -> ``fn(*args)`` computed in a worker process.

    Raises :class:`PoolBusy` (``max_pending`` jobs already running or waiting),
    :class:`JobTimeout`, :class:`WorkerLost` or :class:`JobFailed`. Processes start on the
    first job, or at :meth:`start`; usable from any event loop or thread.
    """

    def __init__(self, size: int, max_pending: int, initializer: Callable[[], None] | None = None) -> None:
        self.size = max(1, size)
        self.max_pending = max(self.size, max_pending)
        self.initializer = initializer
        self.pending = 0  # running + waiting
        self.running = 0
        self.killed = 0  # processes stopped at a deadline (tests and /api/health)
        self._lock = threading.Lock()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()  # idle or busy, for close()
        self._runners: ThreadPoolExecutor | None = None
        self._closed = False

    # -- lifecycle

    def start(self) -> None:
        with self._lock:
            if self._runners is not None or self._closed:
                return
            self._runners = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="diemtin-runner")
            for _ in range(self.size):
                self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self.initializer)
        self._all.add(worker)
        self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            runners, self._runners = self._runners, None
        if runners is not None:
            runners.shutdown(wait=False, cancel_futures=True)
        for worker in list(self._all):
            worker.kill()  # a runner waiting on a killed worker sees EOF and ends

    def stats(self) -> dict[str, int]:
        return {"workers": self.size, "running": self.running, "pending": self.pending, "killed": self.killed}

    # -- jobs

    async def run(self, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        with self._lock:
            if self.pending >= self.max_pending:
                raise PoolBusy(self.pending)
            self.pending += 1
        try:
            self.start()
            assert self._runners is not None, "pool closed"
            deadline = time.monotonic() + timeout
            future = self._runners.submit(self._run_blocking, fn, args, deadline)
            try:
                # Also bounded here: a job still queued behind others at its deadline is dropped.
                return await asyncio.wait_for(asyncio.wrap_future(future), timeout + KILL_WAIT_S)
            except TimeoutError:
                raise JobTimeout() from None
        finally:
            with self._lock:
                self.pending -= 1

    def _run_blocking(self, fn: Callable[..., Any], args: tuple[Any, ...], deadline: float) -> Any:
        if time.monotonic() >= deadline:
            raise JobTimeout()
        try:  # there are as many workers as runner threads: one is free unless a respawn failed
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise JobTimeout() from None
        with self._lock:
            self.running += 1
        try:
            worker.conn.send((fn, args))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker, killed=True)
                worker = None
                raise JobTimeout()
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                self._replace(worker, killed=False)
                worker = None
                raise WorkerLost() from None
        except (BrokenPipeError, ConnectionResetError):
            self._replace(worker, killed=False)
            worker = None
            raise WorkerLost() from None
        finally:
            with self._lock:
                self.running -= 1
            if worker is not None:
                self._idle.put(worker)
        if status != "ok":
            raise JobFailed(value)
        return value

    def _replace(self, worker: _Worker | None, killed: bool) -> None:
        if worker is None:
            return
        pid = worker.pid
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.killed += killed
            if self._closed:
                return
            log.warning("worker %s %s; starting a new one", pid, "stopped at its deadline" if killed else "died")
            self._spawn()
