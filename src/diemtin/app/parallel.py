"""Digest many clusters at once, results in input order.

Backends: a local ``concurrent.futures.ProcessPoolExecutor`` (``jobs`` processes), or an
existing Dask cluster (``scheduler="tcp://host:8786"``; needs the ``[dask]`` extra here and
diemtin installed on the workers, which import the task functions below by name).

Units of work: one cluster each (``split=False``: :func:`diemtin.pipeline.process`; with
``split``: :func:`diemtin.pipeline.split_and_process`, one pile each). When there are fewer
piles than workers (one big mixed folder), the pile is cleaned and split here and its
stories are digested in parallel instead, so a single archive still uses every worker.

Clusters are plain dataclasses, so they pickle; the workers send the digested copies back
and the caller should use those (the inputs are not modified in the workers' memory).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

from diemtin import pipeline
from diemtin.model import Cluster, Problem
from diemtin.options import DigestOptions


class _Future(Protocol):  # concurrent.futures.Future and distributed.Future both have it
    def result(self) -> Any: ...


class _Done:
    """An already computed result, for the serial path (same interface as a future)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


Submit = Callable[..., _Future]


def _failed(cluster: Cluster, e: BaseException) -> list[Cluster]:
    cluster.problems.append(
        Problem(f"cụm {cluster.id}", f"lỗi khi tóm tắt ({type(e).__name__}: {' '.join(str(e).split())[:300]})")
    )
    return [cluster]


def _guard(cluster: Cluster, fn: Callable[[], list[Cluster]]) -> list[Cluster]:
    """``fn()``, or ``[cluster]`` carrying a problem if the pipeline itself fails (the stages'
    own failures are already problems): one cluster never sinks the batch."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001
        return _failed(cluster, e)


def _process(cluster: Cluster, options: DigestOptions) -> list[Cluster]:
    if not cluster.articles:  # an empty cluster only carries its problems (as the CLI always did)
        return [cluster]
    return _guard(cluster, lambda: [pipeline.process(cluster, options=options)])


def _split(cluster: Cluster, options: DigestOptions) -> list[Cluster]:
    if not cluster.articles:
        return [cluster]
    return _guard(cluster, lambda: pipeline.split_and_process(cluster, options=options))


def _finish(story: Cluster, options: DigestOptions, timings: dict[str, float]) -> list[Cluster]:
    return _guard(story, lambda: [pipeline.finish(story, timings=timings, options=options)])


def _ordered(submit: Submit, calls: Iterable[tuple[Any, ...]], window: int) -> Iterator[list[Cluster]]:
    """Submit ``fn(cluster, ...)`` calls keeping at most ``window`` in flight; yield results in order.

    The window bounds memory on big archives (digested clusters are much larger than raw
    ones) while keeping every worker busy. A call whose worker fails (killed, out of memory,
    a result that does not pickle) yields its input cluster with the problem."""
    pending: deque[tuple[_Future, Cluster]] = deque()

    def result(future: _Future, cluster: Cluster) -> list[Cluster]:
        try:
            return future.result()
        except Exception as e:  # noqa: BLE001 - e.g. BrokenProcessPool
            return _failed(cluster, e)

    for args in calls:
        pending.append((submit(*args), args[1]))
        if len(pending) >= window:
            yield result(*pending.popleft())
    while pending:
        yield result(*pending.popleft())


def _one_blas_thread() -> None:
    # N workers x a BLAS thread pool per core oversubscribe the CPU: measured on 2 cores,
    # two workers with default OpenBLAS threads were slower than one process.
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _serial(fn: Callable[..., Any], *args: Any) -> _Future:
    return _Done(fn(*args))


def _backend(jobs: int, scheduler: str | None) -> tuple[AbstractContextManager[Any], Callable[[Any], Submit], int]:
    """(context manager giving the engine, engine -> submit function, number of workers)."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as e:  # pragma: no cover - depends on the install
            raise RuntimeError("--scheduler needs Dask: pip install 'diemtin[dask]'") from e

        def dask_submit(client: Any) -> Submit:
            # pure=False: two identical clusters are still two tasks (and two outputs)
            return lambda fn, *args: client.submit(fn, *args, pure=False)

        client = Client(scheduler)
        workers = max(1, sum(client.nthreads().values()))
        return client, dask_submit, workers
    if jobs <= 1:
        return nullcontext(None), lambda _: _serial, 1

    def pool_submit(pool: Executor) -> Submit:
        return pool.submit

    return ProcessPoolExecutor(max_workers=jobs, initializer=_one_blas_thread), pool_submit, jobs


def digest_clusters(
    clusters: Sequence[Cluster],
    options: DigestOptions | None = None,
    split: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[list[Cluster]]:
    """For each input cluster, in input order, its digested cluster(s): one without ``split``,
    its stories with it. Use the yielded clusters, not the inputs (workers digest copies)."""
    options = options or DigestOptions()
    if not scheduler and len(clusters) <= 1 and not split:
        jobs = 1  # one cluster: a pool would only add start-up time
    context, make_submit, workers = _backend(jobs, scheduler)
    with context as engine:
        submit = make_submit(engine)
        window = 2 * workers
        if not split:
            yield from _ordered(submit, ((_process, c, options) for c in clusters), window)
        elif len(clusters) >= workers:
            yield from _ordered(submit, ((_split, c, options) for c in clusters), window)
        else:
            for pile in clusters:
                yield _split_here(pile, submit, window, options)


def _split_here(pile: Cluster, submit: Submit, window: int, options: DigestOptions) -> list[Cluster]:
    """Clean and split one pile in this process, then digest its stories on the workers."""
    if not pile.articles:
        return [pile]
    stories, timings = pipeline.prepare_and_split(pile, options)
    return [c for done in _ordered(submit, ((_finish, s, options, timings) for s in stories), window) for c in done]
