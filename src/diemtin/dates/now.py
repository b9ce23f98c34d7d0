"""The cluster's "now": when its articles were written, inferred from the evidence, and how sure.

An article with a publication date is anchored on it. Without one:

1. **Lower bounds.** Every reported event dated with its year bounds "now" from below: a full
   date (``ngày 23/12/2015``), a month (``tháng 1-2016``), a part of a year (``cuối năm 2015``),
   a year said to be over (``hồi năm 2015``, back in 2015). Dates that are plans, forecasts or
   deadlines are not evidence (``dự kiến ...``, ``có thể đến giữa năm 2017``, ``trước 30/4/2008``):
   only what happened bounds when it was written. A plain year (``từ năm 2014``, ``năm 2009``) is
   too often background to fix the year: it bounds nothing on its own.
2. **Pegs.** The news peg of each article (its first day date in the lead, ``Ngày 19/5, TAND
   ...``) and any deictic that states its day (``hôm nay (21/5)``, ``đêm qua (20/5)``) are written
   without a year because they are *now*: each is placed in the earliest year that puts it no
   more than ``TOLERANCE_DAYS`` before the latest bound. So a trial "ngày 19/5" reported after a
   crime of 23/12/2015 is 19/5/2016.
3. **Now** is the stated day when an article states it, else the latest of the bound and the
   pegs. With no bound at all the year cannot be known: ``Cluster.now.date`` is None and dates
   written without a year stay ``XXXX``.

Confidence: 1.0 publication date; 0.8 a full date bounds the pegs; 0.7 a month does; 0.5 only a
past year does; 0.6/0.5/0.4 the same bound with no peg (now = the bound); 0.1 only years
written; 0.0 nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import regex

from diemtin.dates.expressions import Span, phrase_alternation
from diemtin.dates.resolve import Anchor, future_after, safe_date
from diemtin.lang.dates import (
    BOUND_OPENERS,
    DAY_DEICTIC_STEPS,
    FORECAST_CUES,
    NOT_YET_CUES,
    PAST_YEAR_CUES,
    YEAR_PARTS,
    vn_date,
)
from diemtin.model import Article, ClusterNow, Sentence

TOLERANCE_DAYS = 60  # a peg may precede the latest bound by this much (reports of last week's events)
LEAD_SENTENCES = 3  # an article's news peg is a day date in its first sentences
CLAUSE_LOOKBACK = 60  # characters of the clause before a date read for forecast cues
_STRENGTH = {"day": 0.8, "month": 0.7, "past_year": 0.5}
_NO_PEG = {"day": 0.6, "month": 0.5, "past_year": 0.4}
_RANK = {"day": 3, "month": 2, "past_year": 1}

_I = regex.IGNORECASE | regex.UNICODE



_FORECAST = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(FORECAST_CUES) + r")(?!\p{L})", _I)
_BOUND = regex.compile(r"^(?:" + phrase_alternation(BOUND_OPENERS) + r")(?!\p{L})", _I)
_NOT_YET = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(NOT_YET_CUES) + r")(?!\p{L})", _I)
_STARTS_PERIOD = regex.compile(r"(?<!\p{L})(?:kể\s+)?từ(?!\p{L})", _I)
_BOUND_BEFORE = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(BOUND_OPENERS) + r")\s+$", _I)
_PAST_YEAR = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(PAST_YEAR_CUES) + r")\s+$", _I)
_CLAUSE_END = regex.compile(r"[,;:.!?\"“”()–]")

SentenceSpans = list[tuple[Sentence, list[Span]]]


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def clause_before(text: str, start: int) -> str:
    """The words of the clause before ``start`` (back to the last punctuation mark)."""
    lo = max(0, start - CLAUSE_LOOKBACK)
    cut = lo
    for m in _CLAUSE_END.finditer(text, lo, start):
        cut = m.end()
    return text[cut:start]


def is_forecast(text: str, span: Span) -> bool:
    """A plan, forecast or deadline: not when something happened."""
    return bool(_FORECAST.search(clause_before(text, span.start)) or future_after(text, span.end))


def is_bound(span: Span, text: str = "") -> bool:
    """``trước 30/4/2008``, ``đến (ngày) 14/1``, ``đến cuối năm 2023``: a limit, not the date of an event."""
    return bool(_BOUND.match(span.text) or _BOUND_BEFORE.search(text, max(0, span.start - 8), span.start))


@dataclass(frozen=True)
class _Bound:
    day: date
    strength: str  # day | month | past_year
    expression: str


def _bound_of(span: Span, text: str, quoted: bool = False) -> _Bound | None:
    """What ``span`` says about the earliest "now": None unless it dates something that happened.

    Stricter than an event flag: any cue of a plan, condition or rule earlier in the sentence,
    or direct speech (it may speak of anything), and the date is no evidence."""
    y = span.g("y")
    if not y or quoted or is_forecast(text, span) or is_bound(span, text) or _NOT_YET.search(text, 0, span.start):
        return None
    yy = int(y)
    if span.kind in ("dm", "dmy_words", "deictic"):
        dt = safe_date(yy, int(span.g("m") or 0), int(span.g("d") or 0))
        return _Bound(dt, "day", span.text) if dt else None
    if span.kind == "range":
        dt = safe_date(yy, int(span.g("m1") or span.g("m") or 0), int(span.g("d1") or 0))
        return _Bound(dt, "day", span.text) if dt else None
    if span.kind == "month":
        return _Bound(date(yy, int(span.g("m") or 1), 1), "month", span.text)
    q = " ".join((span.g("q") or "").lower().split())
    if span.kind == "year" and q in YEAR_PARTS:
        (m, d), _ = YEAR_PARTS[q]  # "cuối năm 2015": that part of the year had begun
        return _Bound(date(yy, m, d), "month", span.text)
    if span.kind == "year" and _PAST_YEAR.search(text, max(0, span.start - 8), span.start):
        return _Bound(date(yy + 1, 1, 1), "past_year", span.text)
    return None


def _stated_now(span: Span) -> tuple[int, int] | None:
    """(month, day) of now from "hôm nay (21/5)", "đêm qua (20/5)": the deictic's written day moved back."""
    if span.kind != "deictic" or not span.g("d") or span.g("y"):
        return None
    step = DAY_DEICTIC_STEPS.get((span.g("w") or "").lower().split()[-1])
    if step is None:
        return None
    m, d = int(span.g("m") or 0), int(span.g("d") or 0)
    seen = {((dt := date(y, m, d) - timedelta(days=step)).month, dt.day) for y in (2000, 2001) if safe_date(y, m, d)}
    return seen.pop() if len(seen) == 1 else None


def _peg(sentences: SentenceSpans) -> tuple[int, int] | None:
    """(month, day) of the article's news peg: its first yearless day date in the lead."""
    for sent, spans in sentences[:LEAD_SENTENCES]:
        for span in spans:
            if span.kind in ("dm", "dmy_words") and not span.g("y") and not span.g("dy"):
                if is_forecast(sent.text, span) or is_bound(span, sent.text) or _STARTS_PERIOD.search(
                    sent.text, max(0, span.start - 8), span.end
                ):
                    continue  # a plan, a limit, or the start of a period ("từ ngày 1/7") is no news peg
                return int(span.g("m") or 0), int(span.g("d") or 0)
    return None


def _place(md: tuple[int, int], bound: date) -> date | None:
    """The earliest date on (month, day) no more than TOLERANCE_DAYS before ``bound``."""
    floor = bound - timedelta(days=TOLERANCE_DAYS)
    for y in (floor.year, floor.year + 1, floor.year + 2):
        dt = safe_date(y, *md)
        if dt is not None and dt >= floor:
            return dt
    return None


@dataclass
class NowInference:
    now: ClusterNow
    anchors: dict[str, Anchor]  # article id -> what its dates are resolved against


def infer_now(
    articles: list[Article], spans: dict[str, SentenceSpans], quoted: Callable[[str, int], bool] | None = None
) -> NowInference:
    """The cluster's now (see module docstring) and each article's anchor."""
    published = {a.id: p for a in articles if (p := parse_published(a.published))}
    bounds: list[_Bound] = [_Bound(p, "day", "publication date") for p in published.values()]
    stated: dict[str, tuple[int, int]] = {}
    pegs: dict[str, tuple[int, int]] = {}
    years_written = False
    for a in articles:
        for sent, ss in spans.get(a.id, []):
            for span in ss:
                years_written |= bool(span.g("y"))
                b = _bound_of(span, sent.text, bool(quoted and quoted(a.id, sent.start + span.start)))
                if b is not None:
                    bounds.append(b)
                md = _stated_now(span)
                if md is not None and a.id not in stated:
                    stated[a.id] = md
        peg = _peg(spans.get(a.id, []))
        if peg is not None:
            pegs[a.id] = peg

    anchors: dict[str, Anchor] = {aid: Anchor(p, "published", True) for aid, p in published.items()}
    if not bounds:
        now = ClusterNow(None, 0.1 if years_written else 0.0,
                         "chỉ có năm của bối cảnh, không biết năm viết bài" if years_written
                         else "không có ngày tháng nào có năm")
        for a in articles:
            anchors.setdefault(a.id, Anchor(None, "", False))
        return NowInference(now, anchors)

    latest = max(bounds, key=lambda b: (b.day, _RANK.get(b.strength, 0)))
    article_days: dict[str, date] = {}
    for aid, md in {**pegs, **stated}.items():  # a stated "hôm nay (21/5)" beats the lead's date
        if aid in published:
            continue
        placed = _place(md, latest.day)
        if placed is not None:
            article_days[aid] = placed
    stated_days = [article_days[aid] for aid in stated if aid in article_days]
    if published and len(published) == len(articles):
        now = ClusterNow(max(published.values()).isoformat(), 1.0, "ngày đăng bài")
    elif stated_days:
        day = max(stated_days)
        now = ClusterNow(day.isoformat(), min(0.9, _STRENGTH[latest.strength] + 0.1),
                         f"bài viết ghi rõ hôm nay là {vn_date(day.isoformat())}, sau {latest.expression}")
    elif article_days:
        day = max([latest.day, *article_days.values()])
        now = ClusterNow(day.isoformat(), _STRENGTH[latest.strength],
                         f"sự kiện mới nhất được đưa tin {vn_date(day.isoformat())}, "
                         f"đặt sau mốc có năm gần nhất ({latest.expression})")
    else:
        now = ClusterNow(latest.day.isoformat(), _NO_PEG[latest.strength],
                         f"mốc có năm gần nhất của sự kiện đã xảy ra ({latest.expression})")
    day_now = date.fromisoformat(now.date)
    for a in articles:
        if a.id in anchors:
            continue
        day = article_days.get(a.id, day_now)
        anchors[a.id] = Anchor(day, f"cluster:{day.isoformat()}", True)
    return NowInference(now, anchors)
