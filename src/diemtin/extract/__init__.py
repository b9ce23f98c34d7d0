"""Extract stage: timeline, entities (who's who), quotes and figures into ``cluster.digest``.

Each part is optional and cheap (regex and syllable sets; no per-sentence heavy library).
Parts whose module is not importable (yet) are skipped rather than sinking the digest.
Per-part times go to ``cluster.digest.stats`` as ``extract_<part>_ms``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from diemtin.model import Cluster, Digest

ALL_PARTS = ("timeline", "entities", "quotes", "figures")


def extract(cluster: Cluster, parts: Iterable[str] = ALL_PARTS) -> None:
    """Fill ``cluster.digest.timeline/entities/quotes/figures`` for the wanted ``parts``."""
    wanted = set(parts)
    if cluster.digest is None:
        cluster.digest = Digest()
    digest = cluster.digest
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def lap(part: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[f"extract_{part}_ms"] = round((now - t) * 1000, 2)
        t = now

    if "timeline" in wanted:
        from diemtin.extract.timeline import extract_timeline

        digest.timeline = extract_timeline(cluster)
        lap("timeline")
    if "entities" in wanted or "quotes" in wanted:
        from diemtin.extract.entities import extract_entities

        entities = extract_entities(cluster)
        lap("entities")
        if "entities" in wanted:
            digest.entities = entities
        if "quotes" in wanted:
            from diemtin.extract.quotes import extract_quotes

            digest.quotes = extract_quotes(cluster, entities)
            lap("quotes")
    if "figures" in wanted:
        from diemtin.extract.figures import extract_figures

        digest.figures = extract_figures(cluster)
        lap("figures")
    digest.stats.update(timings)
