"""Modality of a dated event: told as done, or as still to come / planned.

"Biden và Putin sẽ có cuộc điện đàm vào ngày 30/12" is a plan on 30/12, not a call that took
place; "Ngày 5/1, NATO cho biết cuộc họp sẽ diễn ra ngày 12/1" reports on 5/1 (done) a plan
for 12/1. The date's own clause decides: from the last clause break before the date (a comma,
a verb of saying, a clause conjunction, "rằng") to the date, the plan or past word nearest the
date; a date opening its clause ("Ngày 15/1, Nga sẽ …") is read with the clause after it; a
date followed by "tới" ("ngày 10/1 tới") is ahead of the writing. Words in ``lang/data/lexicon``.
"""

from __future__ import annotations

from functools import cache

import regex

from diemtin.lang import lexicon
from diemtin.lang.tokens import syllables

MODAL_REACH = 15  # syllables on either side of the date a plan word may govern it
# A date inside its clause ("Nga ngày 15/1 sẽ …") governs a plan word right after it only:
# further on, the words are another predicate's ("… công bố năm 2021 cho thấy … sẽ …").
MID_CLAUSE_AFTER_REACH = 2
_CLAUSE_PUNCT = regex.compile(r"[,;:]")
# Words that may stand with the date at the head of its clause ("Vào ngày 15/1, …", "Hôm 15/1 …").
_DATE_LEAD = frozenset({"vào", "trong", "hôm", "ngày", "từ", "đến", "tới", "trước", "sau", "sáng", "chiều",
                        "tối", "trưa", "đêm", "rạng", "cùng"})
# After "tới", words that make it "to" (a range, "từ 1/1 tới ngày 5/1"), not "upcoming".
_RANGE_NEXT = frozenset({"ngày", "hôm", "tháng", "năm", "cuối", "đầu", "giữa"})


_Phrases = dict[str, tuple[tuple[str, ...], ...]]  # first syllable -> its phrases, longest first


def _phrases(*names: str) -> _Phrases:
    out = {tuple(syllables(w)) for name in names for w in lexicon.words(name)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in sorted((p for p in out if p), key=len, reverse=True):
        by_first.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in by_first.items()}


@cache
def _lexicons() -> dict[str, _Phrases]:
    return {
        "plan": _phrases("plan_markers"),
        "past": _phrases("past_markers"),
        "stop": _phrases("speech_verbs", "clause_conjunctions", "plan_scope_stops"),
        "after_stop": _phrases("plan_scope_after_stops"),
        "after_date": _phrases("plan_after_date"),
    }


@cache
def _plan_words() -> tuple[str, ...]:
    """The plan markers and "tới", as written: a sentence holding none tells no plan."""
    lex = _lexicons()
    return tuple(sorted({" ".join(p) for kind in ("plan", "after_date") for ps in lex[kind].values() for p in ps}))


def _at(tokens: list[str], i: int, phrases: _Phrases) -> int:
    """Length of the longest of ``phrases`` starting at ``tokens[i]``, or 0."""
    for p in phrases.get(tokens[i], ()) if i < len(tokens) else ():
        if tuple(tokens[i : i + len(p)]) == p:
            return len(p)
    return 0


def _after_last_stop(tokens: list[str]) -> list[str]:
    stop = _lexicons()["stop"]
    for i in range(len(tokens) - 1, -1, -1):
        if n := _at(tokens, i, stop):
            return tokens[i + n :]
    return tokens


def _before_first_stop(tokens: list[str]) -> list[str]:
    lex = _lexicons()
    for i in range(len(tokens)):
        if _at(tokens, i, lex["stop"]) or _at(tokens, i, lex["after_stop"]):
            return tokens[:i]
    return tokens


def _nearest_marker(tokens: list[str], backward: bool) -> str | None:
    """"plan" or "past": the kind of the marker nearest the date (the end of ``tokens`` when
    ``backward``, else their start), or None."""
    lex = _lexicons()
    order = range(len(tokens) - 1, -1, -1) if backward else range(len(tokens))
    for i in order:
        if _at(tokens, i, lex["plan"]):
            return "plan"
        if _at(tokens, i, lex["past"]):
            return "past"
    return None


def _upcoming(after: list[str]) -> bool:
    """The date is followed by "tới" / "sắp tới" ("ngày 10/1 tới"), not by a range's "tới ngày 5/1"."""
    n = _at(after, 0, _lexicons()["after_date"])
    return bool(n) and not (n < len(after) and (after[n] in _RANGE_NEXT or after[n].isdigit()))


def told_as_planned(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text`` tells what happens at the date ``text[start:end]`` as still
    to come or planned ("sẽ", "dự kiến", "kế hoạch" in the date's clause, nearer the date than
    a past word like "đã"; or "<date> tới"). A report made on the date about a later plan
    ("Ngày 5/1, NATO cho biết cuộc họp sẽ …") is not: its date's clause ends at the verb of saying."""
    low = text.lower()
    if not any(w in low for w in _plan_words()):
        return False  # most sentences: no word of a plan nor "tới" anywhere
    head = text[:start]
    breaks = list(_CLAUSE_PUNCT.finditer(head))
    before = _after_last_stop(syllables(head[breaks[-1].end() if breaks else 0 :]))[-MODAL_REACH:]
    mark = _nearest_marker(before, backward=True)
    if mark is not None:
        return mark == "plan"
    tail = text[end:]
    first = _CLAUSE_PUNCT.search(tail)
    if _upcoming(syllables(tail[: first.start() if first else len(tail)])):
        return True
    reach = MID_CLAUSE_AFTER_REACH
    if all(t in _DATE_LEAD for t in before):
        reach = MODAL_REACH  # the date opens its clause ("Ngày 15/1, Nga sẽ …"): read the clause after it
        if first is not None and not tail[: first.start()].strip():
            tail = tail[first.end() :]  # (after its comma)
            first = _CLAUSE_PUNCT.search(tail)
    after = _before_first_stop(syllables(tail[: first.start() if first else len(tail)]))[:reach]
    return _nearest_marker(after, backward=False) == "plan"
