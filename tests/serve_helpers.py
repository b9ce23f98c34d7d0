"""Processors for the service tests. They run in the service's worker processes, so they
live at module level (importable by name) and are bound with ``functools.partial``."""

from __future__ import annotations

import time
from pathlib import Path

from diemtin.app.jobs import pipeline_processor
from diemtin.model import Cluster
from diemtin.options import DigestOptions


def slow(delay: float, cluster: Cluster, options: DigestOptions) -> Cluster:
    time.sleep(delay)  # blocking on purpose: it would freeze an event loop it ran on
    return pipeline_processor(cluster, options)


def spin(heartbeat: str, cluster: Cluster, options: DigestOptions) -> Cluster:
    """Compute forever, appending to ``heartbeat`` every 50 ms: only a kill stops it."""
    path = Path(heartbeat)
    while True:
        t = time.monotonic()
        while time.monotonic() - t < 0.05:
            pass
        with path.open("a") as f:
            f.write(".")


def failing(stage: str, victim: str | None, cluster: Cluster, options: DigestOptions) -> Cluster:
    """The real pipeline with one stage function (a name the pipeline module calls) raising,
    for every call or only for the article whose id is ``victim``."""
    from diemtin import pipeline
    from diemtin.model import Article

    original = getattr(pipeline, stage)

    def boom(*args: object, **kwargs: object) -> object:
        target = args[0] if args else None
        if victim is None or (isinstance(target, Article) and target.id == victim):
            raise RuntimeError(f"injected failure in {stage}")
        return original(*args, **kwargs)

    setattr(pipeline, stage, boom)
    try:
        return pipeline_processor(cluster, options)
    finally:
        setattr(pipeline, stage, original)


def hog(megabytes: int, cluster: Cluster, options: DigestOptions) -> Cluster:
    """Allocate far more than a digest needs (a runaway stage), then digest."""
    block = bytearray(megabytes * 1024 * 1024)
    del block
    return pipeline_processor(cluster, options)
