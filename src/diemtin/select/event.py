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

from diemtin.model import Cluster

# A day stated by fewer articles than this is no cluster-wide event (one article's days are
# its own story, not a consensus).
MIN_ARTICLES = 2
# The main event's day is stated by at least this share of the articles: a story's centre, not
# the busiest of many days (a long cluster can give a side day twice).
MAIN_SHARE = 0.5
_DAY = "day"  # only a day is an event's date ("tháng 1" or "2022" is a period, not one event)


def event_days(cluster: Cluster, refs: Sequence[tuple[str, int]]) -> tuple[list[int | None], list[bool]]:
    """Per sentence ``(article id, sentence index)``: the ordinal of its event, the earliest
    day-precise event day it states (None: it states none), and whether that is the cluster's
    main event day (:func:`main_event_day`). "Ngày 9/1 … trước thềm hội đàm ngày 10/1" tells the
    eve, not the talks: its event is 9/1, as the order and the readability count read it."""
    own: dict[tuple[str, int], int] = {}
    stating: dict[int, set[str]] = defaultdict(set)  # day -> articles stating it
    for m in cluster.dates:
        if m.ordinal is not None and m.event and m.precision == _DAY:
            key = (m.article_id, m.sentence)
            own[key] = min(own.get(key, m.ordinal), m.ordinal)
            stating[m.ordinal].add(m.article_id)
    main = _main_day(cluster, stating)
    days = [own.get(ref) for ref in refs]
    return days, [main is not None and day == main for day in days]


def main_event_day(cluster: Cluster) -> int | None:
    """The ordinal of the day most of the cluster's distinct articles state as an event day
    (at least :data:`MIN_ARTICLES` of them and :data:`MAIN_SHARE` of all; ties: the later day,
    the news rather than the lead-up), or None when no day is."""
    stating: dict[int, set[str]] = defaultdict(set)
    for m in cluster.dates:
        if m.ordinal is not None and m.event and m.precision == _DAY:
            stating[m.ordinal].add(m.article_id)
    return _main_day(cluster, stating)


def _main_day(cluster: Cluster, stating: dict[int, set[str]]) -> int | None:
    articles = {a.id for a in cluster.distinct_articles}
    counts = {day: n for day, ids in stating.items() if (n := len(ids & articles)) >= MIN_ARTICLES}
    if not counts:
        return None
    main = max(counts, key=lambda day: (counts[day], day))
    return main if counts[main] >= MAIN_SHARE * len(articles) else None
