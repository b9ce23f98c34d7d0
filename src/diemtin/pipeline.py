"""Runs the stages in order on each cluster: read -> clean -> segment -> select -> extract.

This module is the only place that knows the order; stages talk through the data model.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from diemtin.clean import clean_cluster
from diemtin.dates import find_dates
from diemtin.dedup import mark_duplicates
from diemtin.extract import extract
from diemtin.ingest.encoding import vietnamese_ratio
from diemtin.ingest.read import Input, read_inputs
from diemtin.lang.tokens import count_syllables
from diemtin.model import Cluster, Digest, Problem
from diemtin.segment.sentences import segment_article
from diemtin.select.selector import summarize

ALL_PARTS = ("summary", "timeline", "entities", "quotes", "figures")
DEFAULT_WORDS = 200


def _check_language(cluster: Cluster) -> None:
    for article in cluster.articles:
        # A few hundred characters tell the language; the whole text costs far more.
        if article.text and vietnamese_ratio(article.text[:600]) < 0.5:
            cluster.problems.append(
                Problem(article.path or article.id, "does not look like Vietnamese text; digested anyway", fatal=False)
            )


def clean(cluster: Cluster) -> None:
    """Clean every article, then mark duplicates (the ``diemtin clean`` command and API)."""
    clean_cluster(cluster)
    mark_duplicates(cluster)


def prepare(cluster: Cluster) -> dict[str, float]:
    """Clean and segment a cluster in place (once: cleaning again is not idempotent, the
    dateline is only dropped while ``published`` is unknown); returns the stage timings."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    clean(cluster)
    timings["clean_ms"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    kept = []
    for article in cluster.articles:
        segment_article(article)
        if article.sentences:
            kept.append(article)
        else:
            cluster.problems.append(Problem(article.path or article.id, "no article text left after cleaning"))
    cluster.articles = kept
    _check_language(cluster)
    timings["segment_ms"] = (time.perf_counter() - t) * 1000
    return timings


def finish(
    cluster: Cluster, words: int = DEFAULT_WORDS, parts: Iterable[str] = ALL_PARTS,
    timings: dict[str, float] | None = None,
) -> Cluster:
    """Summarize and extract a prepared (cleaned, segmented) cluster in place; returns it."""
    parts = tuple(parts)
    timings = dict(timings or {})
    digest = cluster.digest = Digest()
    t = time.perf_counter()
    find_dates(cluster)  # the date layer (cluster.dates, cluster.now) that summary order, timeline, figures read
    timings["dates_ms"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    if "summary" in parts:
        digest.summary = summarize(cluster, words)
    timings["select_ms"] = (time.perf_counter() - t) * 1000

    wanted = [p for p in parts if p != "summary"]
    if wanted:
        t = time.perf_counter()
        extract(cluster, wanted)
        timings["extract_ms"] = (time.perf_counter() - t) * 1000

    digest.stats = {
        **digest.stats,  # stages may record their own numbers (extract's per-part times)
        "articles": len(cluster.articles),
        "distinct_articles": len(cluster.distinct_articles),
        "duplicates": [
            {"article": a.id, "duplicate_of": a.duplicate_of} for a in cluster.articles if a.duplicate_of
        ],
        "sentences": sum(len(a.sentences) for a in cluster.articles),
        "words_budget": words,
        "summary_syllables": sum(count_syllables(s.text) for s in digest.summary),
        "problems": len(cluster.problems),
        **{k: round(v, 2) for k, v in timings.items()},
    }
    return cluster


def process(cluster: Cluster, words: int = DEFAULT_WORDS, parts: Iterable[str] = ALL_PARTS) -> Cluster:
    """Clean, segment, summarize and extract one cluster in place; returns it."""
    return finish(cluster, words, parts, prepare(cluster))


def split_prepared(cluster: Cluster, threshold: float | None = None) -> list[Cluster]:
    """The stories of a prepared pile (:func:`diemtin.stories.split.split_stories`), with
    duplicates marked again within each story: they were marked across the whole pile, so an
    original may now sit in another story."""
    from diemtin.dedup.duplicates import mark_duplicates
    from diemtin.stories.split import split_stories

    stories = split_stories(cluster) if threshold is None else split_stories(cluster, threshold)
    for story in stories:
        mark_duplicates(story)
    return stories


def split_and_process(
    cluster: Cluster, words: int = DEFAULT_WORDS, parts: Iterable[str] = ALL_PARTS, threshold: float | None = None
) -> list[Cluster]:
    """Treat ``cluster`` as a mixed pile: clean it once, split it into stories
    (``<id>-1``, ``<id>-2``, ... largest first) and digest each. The pile's problems go on
    the first story; a pile with nothing usable comes back as itself, digested empty."""
    timings = prepare(cluster)
    if not cluster.articles:
        return [finish(cluster, words, parts, timings)]
    t = time.perf_counter()
    stories = split_prepared(cluster, threshold)
    timings["split_ms"] = (time.perf_counter() - t) * 1000
    return [finish(story, words, parts, timings) for story in stories]


def digest(
    inputs: Iterable[Input] | Input, words: int = DEFAULT_WORDS, parts: Iterable[str] = ALL_PARTS, split: bool = False
) -> Any:
    """Read and digest; one :class:`Cluster` for one story, a list when the input holds several.

    ``inputs``: paths (files, folders, ``.jsonl``), URLs, :class:`~diemtin.model.Article`
    objects or dicts with ``title``/``text``. ``split=True``: each input cluster is a mixed
    pile, split into stories (``pile-1``, ``pile-2``, ...) and digested one by one.
    """
    if split:
        clusters = [s for c in read_inputs(inputs) for s in split_and_process(c, words, parts)]
    else:
        clusters = [process(c, words, parts) for c in read_inputs(inputs)]
    return clusters[0] if len(clusters) == 1 else clusters
