"""Processors for the service tests. They run in the service's worker processes, so they
live at module level (importable by name) and are bound with ``functools.partial``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from diemtin.app.jobs import pipeline_processor
from diemtin.model import Cluster


def slow(delay: float, cluster: Cluster, words: int, parts: Sequence[str]) -> Cluster:
    time.sleep(delay)  # blocking on purpose: it would freeze an event loop it ran on
    return pipeline_processor(cluster, words, parts)


def spin(heartbeat: str, cluster: Cluster, words: int, parts: Sequence[str]) -> Cluster:
    """Compute forever, appending to ``heartbeat`` every 50 ms: only a kill stops it."""
    path = Path(heartbeat)
    while True:
        t = time.monotonic()
        while time.monotonic() - t < 0.05:
            pass
        with path.open("a") as f:
            f.write(".")


def failing(stage: str, cluster: Cluster, words: int, parts: Sequence[str]) -> Cluster:
    """The real pipeline with one stage (a name the pipeline module calls) raising."""
    from diemtin import pipeline

    original = getattr(pipeline, stage)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"injected failure in {stage}")

    setattr(pipeline, stage, boom)
    try:
        return pipeline_processor(cluster, words, parts)
    finally:
        setattr(pipeline, stage, original)


def hog(megabytes: int, cluster: Cluster, words: int, parts: Sequence[str]) -> Cluster:
    """Allocate far more than a digest needs (a runaway stage), then digest."""
    block = bytearray(megabytes * 1024 * 1024)
    del block
    return pipeline_processor(cluster, words, parts)
