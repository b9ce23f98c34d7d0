"""The summary's reading order: told in the order it happened.

Sentences are ordered by the day of the event they state, read from the date layer
(``Cluster.dates``, filled by the dates stage: nothing is re-parsed here), then by their
article's publication and their position in it. A sentence with no date of its own takes
the date of its nearest dated neighbour before it in its article (after it, if none), and is
read after the sentences that state that day themselves; background from earlier years comes
before the news. A sentence that
continues another (``needs_previous``) is always read right after it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from diemtin.model import Article, Cluster, Sentence

_UNDATED = 10**7  # after every real ordinal


class _Chosen(Protocol):
    article: Article
    sentence: Sentence
    needs_previous: bool
    prior: float  # how much it looks like summary material: the likeliest opens the summary


def sentence_days(cluster: Cluster) -> dict[str, tuple[list[int], list[int]]]:
    """Per article: sorted sentence indices holding an event date, and that day's ordinal."""
    best: dict[tuple[str, int], int] = {}
    background: dict[tuple[str, int], int] = {}
    for m in cluster.dates:
        if m.ordinal is None:
            continue
        key = (m.article_id, m.sentence)
        target = best if m.event else background
        target[key] = min(target.get(key, m.ordinal), m.ordinal)
    for key, day in background.items():  # a sentence dated only by context still has a date
        best.setdefault(key, day)
    out: dict[str, tuple[list[int], list[int]]] = {}
    for (aid, idx), day in sorted(best.items()):
        idxs, days = out.setdefault(aid, ([], []))
        idxs.append(idx)
        days.append(day)
    return out


def _published_day(article: Article) -> int:
    try:
        return dt.date.fromisoformat((article.published or "")[:10]).toordinal()
    except ValueError:
        return _UNDATED


def _day(days: dict[str, tuple[list[int], list[int]]], article: Article, index: int) -> int:
    return _dated(days, article, index)[0]


def _dated(days: dict[str, tuple[list[int], list[int]]], article: Article, index: int) -> tuple[int, bool]:
    """The day a sentence is read at, and whether it is borrowed (the sentence states no date)."""
    idxs, ords = days.get(article.id, ([], []))
    if not idxs:
        return _published_day(article), True
    k = bisect.bisect_right(idxs, index) - 1
    if k >= 0:
        return ords[k], idxs[k] != index  # its own date, or its nearest dated sentence before it
    return ords[0], True  # none before it: the nearest after it


def reading_order(cluster: Cluster, chosen: Sequence[_Chosen], news_first: bool = True) -> list:
    """``chosen`` in reading order: chains of continued sentences kept together, by event day.

    ``news_first``: the sentence most likely to be the news (highest prior) opens the summary,
    the rest follow in the order of events."""
    days = sentence_days(cluster)
    by_ref = {(c.article.id, c.sentence.index): c for c in chosen}
    heads = [c for c in chosen if not (c.needs_previous and (c.article.id, c.sentence.index - 1) in by_ref)]

    def key(c: _Chosen) -> tuple[int, bool, str, int, str]:
        # A borrowed day sorts after the sentences stating that day: an undated "Sau cuộc hội
        # đàm …" is read after its article's dated neighbour, not before another article's
        # sentence dated the same day.
        day, borrowed = _dated(days, c.article, c.sentence.index)
        return (day, borrowed, c.article.published or "", c.sentence.index, c.article.id)

    ordered = sorted(heads, key=key)
    leads = [c for c in ordered if c.sentence.index == 0]
    if news_first and leads:
        # An article's opening sentence states its news; the likeliest of them opens the summary
        # unless that would tell an earlier event after it (background of earlier days stays first).
        news = max(leads, key=lambda c: c.prior)
        day = _day(days, news.article, news.sentence.index)
        before = ordered[: ordered.index(news)]
        if all(_day(days, c.article, c.sentence.index) >= day for c in before):
            ordered = [news] + [c for c in ordered if c is not news]
    out = []
    for head in ordered:
        c = head
        out.append(c)
        while (nxt := by_ref.get((c.article.id, c.sentence.index + 1))) is not None and nxt.needs_previous:
            out.append(nxt)
            c = nxt
    return out
