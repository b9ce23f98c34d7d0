"""Events, not passing mentions: is a date the time of its sentence's main event?

A date is background (``event=False``) when the sentence only refers to it while telling
something else: a year or month inside a statement made now ("Nguyên khai ... từ năm 2009",
"IMF dự báo ... năm tới"), a state since then ("từ năm 2009 ... đến nay"), a comparison ("như
năm 1997"), a past experience ("từng làm mưa làm gió ... năm 2013 – 2014"), a plan or forecast
of a coarse date. Day dates stay events: a day is named because something happened (or is
scheduled) on it.
"""

from __future__ import annotations

import regex

from diemtin.dates.expressions import Span
from diemtin.dates.now import clause_before, is_forecast
from diemtin.dates.resolve import Resolved
from diemtin.lang.dates import (
    APPROXIMATE_CUES,
    BOUND_OPENERS,
    COMPARISON_CUES,
    EXPERIENCE_CUES,
    SINCE_CUES,
    STATEMENT_VERBS,
)

_I = regex.IGNORECASE | regex.UNICODE
_COARSE = frozenset({"year", "month", "decade", "range"})


def _words(words: tuple[str, ...]) -> str:
    return "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in sorted(words, key=len, reverse=True))


_OPENS_SINCE = regex.compile(r"^(?:" + _words(SINCE_CUES) + r")(?!\p{L})", _I)
_BEFORE_CONTEXT = regex.compile(r"(?<!\p{L})(?:" + _words(COMPARISON_CUES + EXPERIENCE_CUES) + r")(?!\p{L})", _I)
_STATEMENT = regex.compile(r"(?<!\p{L})(?:" + _words(STATEMENT_VERBS) + r")(?!\p{L})", _I)
# "đến khoảng năm 2007", "trước năm 2000": a bound or a rough year, not when the event happened
_BOUND_OR_ROUGH = regex.compile(
    r"(?<!\p{L})(?:" + _words(BOUND_OPENERS + APPROXIMATE_CUES) + r")"
    r"(?:\s+(?:" + _words(APPROXIMATE_CUES) + r"))?\s+$",
    _I,
)
_SINCE_BEFORE = regex.compile(r"(?<!\p{L})(?:" + _words(SINCE_CUES) + r")\s+$", _I)


def _coarse(span: Span, res: Resolved) -> bool:
    if res.precision in ("year", "month", "decade"):
        return True
    # a range of months or years, not "từ ngày 10 đến 14/1"
    return res.precision == "range" and span.kind in ("years", "year", "month", "deictic")


def is_event(span: Span, res: Resolved, text: str, quoted: bool = False) -> bool:
    """Whether ``span`` (resolved to ``res``) dates the main event of sentence ``text``;
    ``quoted``: the date is inside direct speech (a statement made now)."""
    if span.kind == "bracket_year":
        return False  # "Boys Over Flowers (2009)": a label of a work
    if not _coarse(span, res):
        return True
    if quoted:
        return False  # “... đến khoảng năm 2007, ...”: told now, inside a statement
    before = text[: span.start]
    since = _OPENS_SINCE.match(span.text) or _SINCE_BEFORE.search(before[-12:])
    if since and res.precision not in ("day", "month"):
        return False  # "từ năm 2009": a state lasting until now ("từ tháng 1-2016" still dates an act)
    if _BOUND_OR_ROUGH.search(before[-20:]) and res.precision in ("year", "decade"):
        return False
    if _BEFORE_CONTEXT.search(clause_before(text, span.start)) or _BEFORE_CONTEXT.search(before):
        return False  # "như năm 1997", "từng ... năm 2013"
    if _STATEMENT.search(before):
        return False  # "Nguyên khai ... năm 2009": said now, about then
    return not is_forecast(text, span) and not _FORECAST_ANYWHERE.search(text)


_FORECAST_ANYWHERE = regex.compile(r"(?<!\p{L})(?:dự\s+báo|có\s+khả\s+năng|ước\s+tính)(?!\p{L})", _I)
