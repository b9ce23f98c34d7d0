"""Events, not passing mentions: is a date the time of its sentence's main event?

A date is background (``event=False``) when the sentence only refers to it while telling
something else: a year or month inside a statement made now ("Nguyên khai ... từ năm 2009",
"IMF dự báo ... năm tới"), a state since then ("từ năm 2009 ... đến nay"), a comparison ("như
năm 1997"), a past experience ("từng làm mưa làm gió ... năm 2013 – 2014"), a plan or forecast
of a coarse date. Day dates stay events: a day is named because something happened (or is
scheduled) on it, unless it is a limit or a cited document's date (:mod:`diemtin.dates.roles`).
:func:`role` names why a date is no event (``DateMention.role``); :func:`is_event` is its
"event" test.
"""

from __future__ import annotations

import regex

from diemtin.dates.expressions import Span, phrase_alternation
from diemtin.dates.now import clause_before, is_forecast
from diemtin.dates.resolve import Resolved
from diemtin.dates.roles import is_cited, is_limit, is_recalled_aside
from diemtin.lang.dates import (
    APPROXIMATE_CUES,
    BOUND_OPENERS,
    COMPARISON_CUES,
    EXPERIENCE_CUES,
    SINCE_CUES,
    STATEMENT_VERBS,
)
from diemtin.model import ROLE_BACKGROUND, ROLE_DEADLINE, ROLE_EVENT, ROLE_PLAN

_I = regex.IGNORECASE | regex.UNICODE
_COARSE = frozenset({"year", "month", "decade", "range"})



_OPENS_SINCE = regex.compile(r"^(?:" + phrase_alternation(SINCE_CUES) + r")(?!\p{L})", _I)
_BEFORE_CONTEXT = regex.compile(
    r"(?<!\p{L})(?:" + phrase_alternation(COMPARISON_CUES + EXPERIENCE_CUES) + r")(?!\p{L})", _I
)
_STATEMENT = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(STATEMENT_VERBS) + r")(?!\p{L})", _I)
# "đến khoảng năm 2007", "trước năm 2000": a bound or a rough year, not when the event happened
_BOUND_OR_ROUGH = regex.compile(
    r"(?<!\p{L})(?:" + phrase_alternation(BOUND_OPENERS + APPROXIMATE_CUES) + r")"
    r"(?:\s+(?:" + phrase_alternation(APPROXIMATE_CUES) + r"))?\s+$",
    _I,
)
_SINCE_BEFORE = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(SINCE_CUES) + r")\s+$", _I)


def _coarse(span: Span, res: Resolved) -> bool:
    if res.precision in ("year", "month", "decade"):
        return True
    # a range of months or years, not "từ ngày 10 đến 14/1"
    return res.precision == "range" and span.kind in ("years", "year", "month", "deictic")


def role(span: Span, res: Resolved, text: str, quoted: bool = False) -> str:
    """What ``span`` (resolved to ``res``) is to sentence ``text``: the time of its main event
    (``event``), a limit (``deadline``), a plan (``plan``) or context (``background``);
    ``quoted``: the date is inside direct speech (a statement made now)."""
    if span.kind == "bracket_year":
        return ROLE_BACKGROUND  # "Boys Over Flowers (2009)": a label of a work
    if is_limit(span, text):
        return ROLE_DEADLINE  # "trước ngày 30/4", "đến hết 30/11": a limit, not the act
    if is_cited(span, text):
        return ROLE_BACKGROUND  # "theo Công văn số 6577/QLD-MP ngày 13/4/2015": the paper's date
    if not _coarse(span, res):
        return ROLE_EVENT
    if quoted:
        return ROLE_BACKGROUND  # “... đến khoảng năm 2007, ...”: told now, inside a statement
    before = text[: span.start]
    since = _OPENS_SINCE.match(span.text) or _SINCE_BEFORE.search(before[-12:])
    if since and res.precision not in ("day", "month"):
        return ROLE_BACKGROUND  # "từ năm 2009": a state lasting until now ("từ tháng 1-2016" still dates an act)
    if _BOUND_OR_ROUGH.search(before[-20:]) and res.precision in ("year", "decade"):
        return ROLE_BACKGROUND
    if _BEFORE_CONTEXT.search(clause_before(text, span.start)) or _BEFORE_CONTEXT.search(before):
        return ROLE_BACKGROUND  # "như năm 1997", "từng ... năm 2013"
    if _STATEMENT.search(before):
        return ROLE_BACKGROUND  # "Nguyên khai ... năm 2009": said now, about then
    if is_recalled_aside(span, text):
        return ROLE_BACKGROUND  # "được một người đào tẩu hồi năm 2015 cung cấp"
    if is_forecast(text, span) or _FORECAST_ANYWHERE.search(text):
        return ROLE_PLAN
    return ROLE_EVENT


def is_event(span: Span, res: Resolved, text: str, quoted: bool = False) -> bool:
    """Whether ``span`` (resolved to ``res``) dates the main event of sentence ``text`` (:func:`role`)."""
    return role(span, res, text, quoted) == ROLE_EVENT


_FORECAST_ANYWHERE = regex.compile(r"(?<!\p{L})(?:dự\s+báo|có\s+khả\s+năng|ước\s+tính)(?!\p{L})", _I)
