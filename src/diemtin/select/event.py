"""The cluster's main event, as the date layer tells it: the day most of its articles report.

Several articles of one story each state the days of what they cover; the day stated by the
most articles is the story's centre (the seed: the Geneva talks of 10/1, in four articles of
five, while 12/1 or 21/1 are in fewer). A sentence stating that day states the main event; one
stating a day few articles give is a side event or background. Read from ``Cluster.dates``
(the dates stage): nothing is re-parsed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from diemtin.model import Cluster

# A day stated by fewer articles than this is no cluster-wide event (one article's days are
# its own story, not a consensus).
MIN_ARTICLES = 2
# The main event's day is stated by at least this share of the articles: a story's centre, not
# the busiest of many days (a long cluster can give a side day twice).
MAIN_SHARE = 0.5
_DAY = "day"  # only a day is an event's date ("tháng 1" or "2022" is a period, not one event)


def event_days(cluster: Cluster, refs: Sequence[tuple[str, int]]) -> list[int | None]:
    """Per sentence ``(article id, sentence index)``: the ordinal of the earliest day-precise
    event day it states (its event), or None."""
    own: dict[tuple[str, int], int] = {}
    for m in cluster.dates:
        if m.ordinal is not None and m.event and m.precision == _DAY:
            key = (m.article_id, m.sentence)
            own[key] = min(own.get(key, m.ordinal), m.ordinal)
    return [own.get(ref) for ref in refs]


def day_support(cluster: Cluster, refs: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence ``(article id, sentence index)``: the share of the cluster's distinct
    articles stating the day-precise event day it states (its best day; 0: it states none, or
    a day fewer than :data:`MIN_ARTICLES` articles give), and whether its event (its earliest
    day) is the main event: the day stated by the most articles, at least :data:`MAIN_SHARE`
    of them (ties: the later day, the news rather than the lead-up)."""
    articles = {a.id for a in cluster.distinct_articles}
    stating: dict[int, set[str]] = defaultdict(set)  # day -> articles stating it
    own: dict[tuple[str, int], set[int]] = defaultdict(set)  # sentence -> its days
    for m in cluster.dates:
        if m.ordinal is None or not m.event or m.precision != _DAY or m.article_id not in articles:
            continue
        stating[m.ordinal].add(m.article_id)
        own[(m.article_id, m.sentence)].add(m.ordinal)
    n = max(1, len(articles))
    counts = {day: len(ids) for day, ids in stating.items() if len(ids) >= MIN_ARTICLES}
    main = max(counts, key=lambda day: (counts[day], day)) if counts else None
    if main is not None and counts[main] < MAIN_SHARE * n:
        main = None  # no day most articles agree on: no main event to open on
    support = np.zeros(len(refs))
    is_main = np.zeros(len(refs), dtype=bool)
    for k, ref in enumerate(refs):
        days = own.get(ref)
        if not days:
            continue
        support[k] = max(counts.get(day, 0) for day in days) / n
        # its event is its earliest day (what the order and the readability count read): "ngày
        # 9/1 … trước thềm hội đàm ngày 10/1" tells the eve, not the talks
        is_main[k] = main == min(days)
    return support, is_main
