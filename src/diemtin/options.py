"""Options and limits shared by every entry point (CLI, HTTP, Python, archive): defaults in one place.

The CLI and the service read the same :class:`DigestOptions`, so a bound is never
different between them. Stages keep their own tuning constants next to their code.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_PARTS = ("summary", "timeline", "entities", "quotes", "figures")
DEFAULT_WORDS = 200
MIN_WORDS, MAX_WORDS = 10, 2000


@dataclass(frozen=True)
class DigestOptions:
    """What to produce and the bounds that keep one input from tying up a run.

    Defaults are ~50x a typical news cluster (5 articles x 10 KB).
    """

    words: int = DEFAULT_WORDS
    parts: tuple[str, ...] = ALL_PARTS
    max_article_bytes: int = 200 * 1024  # an article over this is skipped and reported
    max_articles: int = 50  # per request (HTTP)
    max_body_bytes: int = 5 * 1024 * 1024  # per request (HTTP)
    cluster_time_budget_s: float | None = 30.0  # per cluster; parts past it are skipped and reported; None: none
