"""A date's role in its sentence, beside "when its event happened": read once per expression.

The date layer gives every expression one role (``DateMention.role``, see :mod:`diemtin.model`):

- ``deadline``: a limit, not the day of the act: a deadline or a bound ("báo cáo UBND tỉnh
  trước ngày 20/5", "chậm nhất ngày 6/7", "trước 30/4/2008") or the end of a span told after
  the clause's verb ("được lưu hành đến hết 30/11", "từ ngày 20/6 đến hết ngày 20/9"). Heading
  its clause "đến ngày 29/4, Cục ban hành ..." dates the act, and "tính đến hết tháng 6" is a
  count made then: both stay events.
- ``background``: a cited document's date ("theo Công văn số 6577/QLD-MP ngày 13/4/2015"; not
  when the sentence issues it: "ban hành Quyết định số 460/QĐ-TTg ngày 14/4/2022"), a recalled
  date describing a noun inside a clause that goes on ("được một người đào tẩu hồi năm 2015
  cung cấp"; not one between subject and verb, "Maduro hồi tháng 1 đã tuyên bố"), and the
  context dates of :mod:`diemtin.dates.events`.
- ``plan``: a coarse date of a plan or forecast (:mod:`diemtin.dates.events`).

This module reads only the words around the expression (no resolution), so the resolver asks
it too: a limit written without its year is read ahead of the writing rather than behind it
("đến hết 30/11" in May is this November).
"""

from __future__ import annotations

import regex

from diemtin.dates.expressions import Span, phrase_alternation
from diemtin.lang.dates import (
    AS_OF_BEFORE,
    DEADLINE_WORDS,
    ISSUING_REACH,
    ISSUING_VERBS,
    LIMIT_BEFORE,
    PREDICATE_OPENERS,
    RECALL_CUES,
    RECALL_DATE_TAILS,
    SPAN_END_BEFORE,
)

_I = regex.IGNORECASE | regex.UNICODE



# A clause break: punctuation, not the "." or "," inside a number ("19.5", "2,44").
_BREAK = regex.compile(r"[;:!?\"“”()–]|[.,](?!\d)")
# The cue words a date expression may open with ("trước ngày 30/4", "hết 30/11", "đến ngày 29/4").
_OPENER = regex.compile(r"^(?:(?:trước|đến|tới|hết|sau|từ|vào|cho)\s+)+", _I)
_DEADLINE = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(DEADLINE_WORDS) + r")(?!\p{L})", _I)
_LIMIT_END = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(LIMIT_BEFORE) + r")\s+(?:ngày\s+)?$", _I)
_SPAN_END = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(SPAN_END_BEFORE) + r")\s+(?:ngày\s+)?$", _I)
_AS_OF = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(AS_OF_BEFORE) + r")\s*$", _I)
# The number of a document right before a date: "số 6577/QLD-MP", "số 2379", "153/2020/NĐ-CP".
_DOC_NUMBER = regex.compile(
    r"(?:(?<!\p{L})số\s+[\p{L}\d./\-]*\d[\p{L}\d./\-]*|(?<![\p{L}\d])[\p{L}\d.\-]*\d[\p{L}\d.\-]*/[\p{L}\d./\-]*)"
    r"\s*,?\s*$",
    _I,
)
_ISSUED = regex.compile(
    r"(?<!\p{L})(?:" + phrase_alternation(ISSUING_VERBS) + r")(?:\s+\S+){0," + str(ISSUING_REACH) + r"}\s*$", _I
)
_RECALL = regex.compile(r"(?<!\p{L})(?:" + phrase_alternation(RECALL_CUES) + r")\s+$", _I)
_RECALL_TAIL = regex.compile(r"^\s*(?:(?:" + phrase_alternation(RECALL_DATE_TAILS) + r")(?!\p{L})\s*)*", _I)
_PERIOD = regex.compile(r"(?<!\p{L})(?:tuần|tháng|năm)(?!\p{L})", _I)  # "đến cuối năm nay" is a limit
_PREDICATE = regex.compile(r"^\s*(?:" + phrase_alternation(PREDICATE_OPENERS) + r")(?!\p{L})", _I)
_NOT_LIMITS = frozenset({"relative", "range", "years", "bracket_year", "offset"})  # spans of their own
_CITED_LOOKBACK = 60  # characters before a date searched for a document's number
_LEAD = frozenset({"", "vào", "trong", "hôm", "ngày", "cụ thể", "riêng", "còn", "tuy nhiên", "đặc biệt"})


def clause_start(text: str, start: int) -> int:
    """Where the clause holding offset ``start`` begins (after the last break before it)."""
    cut = 0
    for m in _BREAK.finditer(text, 0, start):
        cut = m.end()
    return cut


def _heads(words: str) -> bool:
    return " ".join(words.lower().split()) in _LEAD


def is_limit(span: Span, text: str) -> bool:
    """A deadline, a bound or the end of a span, not the day of the act (module docstring)."""
    if span.kind in _NOT_LIMITS or (span.kind == "deictic" and not _PERIOD.search(span.text)):
        return False  # "... và đến hôm nay có thể tập luyện": a day counted from now is the act's
    opener = _OPENER.match(span.text)
    head = text[clause_start(text, span.start) : span.start] + (opener.group(0) if opener else "")
    if _DEADLINE.search(head):
        return True
    end = _SPAN_END.search(head)  # first: "Đến hết ngày 8/5, ..." heads its clause
    if end is None:
        return _LIMIT_END.search(head) is not None
    before = head[: end.start()]
    return not _heads(before) and not _AS_OF.search(before)


def is_cited(span: Span, text: str) -> bool:
    """The date of a document the sentence cites by its number, not one it issues."""
    if span.text[:4].lower() != "ngày":
        return False
    number = _DOC_NUMBER.search(text, max(0, span.start - _CITED_LOOKBACK), span.start)
    if number is None:
        return False
    return _ISSUED.search(text, clause_start(text, number.start()), number.start()) is None


def is_recalled_aside(span: Span, text: str) -> bool:
    """"hồi năm 2015" inside a clause that goes on: a date describing a noun (module docstring)."""
    lo = clause_start(text, span.start)
    before = text[lo : span.start]
    cue = _RECALL.search(before)
    if cue is None or _heads(before[: cue.start()]):
        return False
    rest = text[span.end :]
    rest = rest[_RECALL_TAIL.match(rest).end() :]
    if _PREDICATE.match(rest):
        return False  # "Tổng thống Maduro hồi tháng 1 đã tuyên bố ...": between subject and verb
    nxt = _BREAK.search(rest)
    return bool(rest[: nxt.start() if nxt else len(rest)].strip())
