"""Finding temporal expressions in a sentence: span patterns, before any resolution.

Detection is our own span patterns (``dateparser.search_dates`` fires on ``7,5 giờ`` and
``bây giờ`` and misses ``hôm 12/1``). Not expressions: birth years (``sinh năm 1985``,
``SN 1985``), durations (``3 tháng``, ``sau hai năm``), clock times, bare years without
``năm`` (``Euro 2016``), bare ``D/M`` without a cue word (fractions ``1/3``, ``24/7``,
scores ``2-1``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from diemtin.lang.dates import (
    DATE_CUES,
    DAY_PARTS,
    MEASURE_WORDS,
    NUMWORD_PATTERN,
    VAGUE_QUANTITIES,
    WEEKDAY_CUE_PATTERN,
    WEEKDAY_PATTERN,
)
from diemtin.lang.tokens import reads_alike

_I = regex.IGNORECASE | regex.UNICODE


def phrase_alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` (phrases of space-separated words, any run of spaces
    between them), longest first so the longest phrase wins."""
    return "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in sorted(words, key=len, reverse=True))


# A number standing alone: not glued to other digits, decimal/thousand marks or letters.
_NA = r"(?![\d\p{L}]|[.,/\-]\d)"  # right boundary
_D = r"(?P<d>\d{1,2})"  # ranges checked in code: alternations here cost 10x
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"[/.\-–]"
_PARTS = phrase_alternation(DAY_PARTS)
_CUE = r"(?:" + phrase_alternation(DATE_CUES) + "|" + _PARTS + "|" + WEEKDAY_CUE_PATTERN + ")"
_PART = r"(?:(?:" + _PARTS + r")\s+)"
# "vài tháng sau", "5 năm nay" (for five years): amounts of time, not deictics
_VAGUE = r"(?<!(?:(?<!\p{L})(?:" + phrase_alternation(VAGUE_QUANTITIES) + r"|" + NUMWORD_PATTERN[3:-1] + r")|\d)\s+)"

PATTERNS: list[tuple[str, regex.Pattern[str]]] = [
    # "từ ngày 10 đến 14/1", "từ 10/1 đến 14/1/2022": ranges
    (
        "range",
        regex.compile(
            r"(?:từ\s+(?:ngày\s+)?)(?P<d1>\d{1,2})(?:" + _SEP + r"(?P<m1>\d{1,2}))?"
            r"\s*(?:đến|tới|–|-)\s*(?:ngày\s+)?" + _D + _SEP + _M + r"(?:" + _SEP + _Y + r")?" + _NA,
            _I,
        ),
    ),
    # "ngày 23 tháng 11 năm 2024", "ngày 10 tháng 1"
    (
        "dmy_words",
        regex.compile(
            r"(?:" + _PART + r"?(?:ngày|hôm)\s+)" + _D + r"\s+(?:tháng)\s+" + _M + _NA
            + r"(?:\s+(?:năm)\s+" + _Y + r")?" + _NA,
            _I,
        ),
    ),
    # "giữa tháng 12/2021", "cuối tháng 1", "tháng 12.2021", "tháng 1 năm 2022"
    (
        "month",
        regex.compile(
            r"(?:(?P<q>đầu|giữa|cuối|hạ\s+tuần|trung\s+tuần|thượng\s+tuần)\s+)?(?:(?<!\p{L})tháng)\s+"
            + _M + r"(?:(?:" + _SEP + r"|\s+(?:năm)\s+)" + _Y + r"|\s+năm\s+(?P<dy>nay|ngoái|trước|tới|sau))?"
            + _NA + r"(?!\p{L})",
            _I,
        ),
    ),
    # "từ năm 2019 đến 2023", "năm 2019 - 2023": a span of years
    (
        "years",
        regex.compile(
            r"(?<!\p{L})(?:từ\s+)?năm\s+(?P<y1>(?:19|20)\d\d)\s*(?:đến|tới|-|–)\s*(?:năm\s+)?" + _Y + _NA, _I
        ),
    ),
    # "năm 2008", "đầu năm 2022"; birth years are filtered after matching
    ("year", regex.compile(r"(?:(?P<q>đầu|giữa|cuối)\s+)?(?:(?<!\p{L})năm)\s+" + _Y + _NA, _I)),
    # "8 năm sau", "hai năm trước", "cách đây 3 năm"
    (
        "offset",
        regex.compile(
            r"(?<!\p{L})(?:(?P<ago>cách\s+đây)\s+)?(?P<n>" + NUMWORD_PATTERN + r")\s+(?P<u>năm|tháng|tuần|ngày)"
            r"(?:\s+(?P<dir>sau|trước|về\s+trước)(?P<khi>\s+khi)?)?(?!\p{L})",
            _I,
        ),
    ),
    # deictics
    (
        "deictic",
        regex.compile(
            r"(?<!\p{L})"
            r"(?P<w>(?:ngày\s+)?hôm\s+(?:nay|qua|kia)|(?:rạng\s+sáng|sáng|trưa|chiều|tối|đêm)\s+(?:nay|qua|mai)"
            # (each costly _VAGUE lookbehind behind a lookahead for the word it guards: tried at
            # every word otherwise, it was most of this pattern's time)
            r"|ngày\s+mai|(?=tuần|tháng)" + _VAGUE
            + r"(?:tuần\s+(?:tới|sau|trước|này|qua)|tháng\s+(?:tới|sau|trước|này))"
            r"|(?:(?P<q>đầu|giữa|cuối)\s+)?(?=năm)" + _VAGUE + r"năm\s+(?:nay|ngoái|tới)"
            r"|(?P<q2>đầu|giữa|cuối)\s+năm(?!\s+\d))(?!\p{L})"
            # "chiều nay (20/5)", "hôm nay 23.5", "sáng nay (ngày 21/5)": the written date wins
            r"(?:\s*\(?\s*(?:ngày\s+)?" + _D + _SEP + _M + r"(?:" + _SEP + _Y + r")?" + _NA + r"\)?)?",
            _I,
        ),
    ),
    # "cùng ngày"; "Trước đó, ..." only opening a clause ("thông báo trước đó" is no date)
    (
        "relative",
        regex.compile(
            r"(?<!\p{L})(?P<w>cùng\s+ngày|(?:tại|vào)\s+thời\s+điểm\s+đó"
            r"|(?:(?<=^|[,;:.]\s*)|(?<=^\W*))trước\s+đó"
            r"(?=\s*,|\s+(?:cùng|ngày|hôm|từ|vào|sáng|trưa|chiều|tối|đêm)(?!\p{L})))(?!\p{L})",
            _I,
        ),
    ),
    # "Boys Over Flowers (2009)": a work's year in brackets (background, never an event)
    ("bracket_year", regex.compile(r"(?<=\p{L}\s*\()" + _Y + r"(?=\))", _I)),
    (
        "weekday",
        regex.compile(
            r"(?<!\p{L})" + WEEKDAY_PATTERN + r"(?:\s+(?P<fut>tới|này|tuần\s+sau|tuần\s+tới))?(?!\p{L})", _I
        ),
    ),
]

# Literals one of which each pattern needs (lower case): a sentence without any of them skips
# the pattern. Most sentences hold no temporal words, and nine regex scans per sentence were
# most of the timeline's time.
_NEEDS: dict[str, tuple[str, ...]] = {
    kind: tuple(unicodedata.normalize("NFC", w) for w in words)
    for kind, words in {
        "range": ("từ",),
        "dmy_words": ("tháng",),
        "month": ("tháng",),
        "years": ("năm",),
        "year": ("năm",),
        "offset": ("năm", "tháng", "tuần", "ngày"),
        "deictic": ("hôm", "nay", "qua", "mai", "tuần", "tháng", "năm"),  # "cuối năm" has "năm"
        "relative": ("cùng", "trước", "thời điểm"),
        "bracket_year": ("(",),
        "weekday": ("thứ", "chủ"),
    }.items()
}
assert set(_NEEDS) == {kind for kind, _ in PATTERNS}
# Then a stricter test, in stdlib ``re`` (several times faster than a ``regex`` scan): words a
# *kept* match must hold, on the lowercased sentence. Each is implied by its pattern (``re``'s
# ``\s`` is a superset of ``regex``'s, ``\d`` the same), so skipping on a miss changes nothing;
# "nay", "qua", "năm" are in most sentences, the deictics and offsets built on them are not.
# Each gate is a few alternatives, each led by a literal: an alternative is searched only when
# its literal is in the sentence (``str`` ``in``), each search skipping ahead to that literal.
# One alternation of them all has no literal to skip to, and was tried at every character: the
# deictic gate alone cost ~10 µs per sentence holding "năm" or "qua". A sentence passes a gate
# when one of its alternatives matches: the same sentences as the alternation.
_GATE_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "range": (r"từ\s+(?:ngày\s+)?\d",),
    "dmy_words": (r"ngày\s+\d{1,2}\s+tháng\s+\d", r"hôm\s+\d{1,2}\s+tháng\s+\d"),
    "month": (r"tháng\s+\d",),
    "years": (r"năm\s+(?:19|20)\d\d\s*(?:đến|tới|-|–)",),
    "year": (r"năm\s+(?:19|20)\d\d",),
    # an offset is kept only with its direction or "cách đây" ("3 tháng" alone is a duration)
    "offset": (*(rf"{u}\s+(?:sau|trước|về)" for u in ("năm", "tháng", "tuần", "ngày")), r"cách\s+đây"),
    "deictic": (
        r"hôm\s+(?:nay|qua|kia)", *(rf"{p}\s+(?:nay|qua|mai)" for p in ("sáng", "trưa", "chiều", "tối", "đêm")),
        r"ngày\s+mai", r"tuần\s+(?:tới|sau|trước|này|qua)", r"tháng\s+(?:tới|sau|trước|này)",
        r"năm\s+(?:nay|ngoái|tới)", *(rf"{q}\s+năm" for q in ("đầu", "giữa", "cuối")),
    ),
    "relative": (r"cùng\s+ngày", r"tại\s+thời\s+điểm\s+đó", r"vào\s+thời\s+điểm\s+đó", r"trước\s+đó"),
    "bracket_year": (r"\((?:19|20)\d\d\)",),
    "weekday": (r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy)", r"chủ\s+nhật"),
}


def _leading_literal(pattern: str) -> str:
    """The characters ``pattern`` starts with, literally ("hôm" of ``hôm\\s+...``, "(" of ``\\(...``)."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            out.append(pattern[i + 1])
            i += 2
        elif ch in "\\()[]{}|.*+?^$":
            break
        else:
            out.append(ch)
            i += 1
    if not out or pattern[i : i + 1] in ("*", "+", "?", "{"):  # (a quantified last character is optional)
        raise ValueError(f"gate alternative with no leading literal: {pattern!r}")
    return "".join(out)


_GATES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    kind: tuple(
        (_leading_literal(alt := unicodedata.normalize("NFC", a)), re.compile(alt)) for a in alternatives
    )
    for kind, alternatives in _GATE_ALTERNATIVES.items()
}


assert set(_GATES) == set(_NEEDS)
_ALL_NEEDS = frozenset(w for words in _NEEDS.values() for w in words)

# Day/month dates are found digits first (fast), then the cue before them is looked up.
_DM_CORE = regex.compile(
    r"(?<![\p{L}\d.,/\-])(?P<d>\d{1,2})(?P<s>[/.\-–])(?P<m>\d{1,2})(?:(?P=s)(?P<y>(?:19|20)\d\d))?"
    r"(?![\d\p{L}]|[.,/\-]\d)"
    r"(?:\s+năm\s+(?P<dy>nay|ngoái|trước|tới|sau)(?!\p{L}))?",  # "1/11 năm trước": the year counted from now
    _I,
)
_DM_BEFORE = regex.compile(
    r"(?:(?:(?<!\p{L})" + _PART + r"?" + WEEKDAY_PATTERN + r"\s*[,(]?\s*(?:ngày\s+)?)"
    r"|(?:(?<!\p{L})" + _CUE + r"(?:\s+ngày)?\s+)|\(|(?:(?<!\p{L})ngày\s+\p{Ll}+(?:\s+\p{Ll}+)?\s+))$",
    _I,
)
_MEASURE_AFTER = regex.compile(r"\s*(?:" + phrase_alternation(MEASURE_WORDS) + r")(?!\p{L})", _I)
_BIRTH = regex.compile(r"(?:sinh|SN|s\.n)\s*$", _I)
_CUE_LOOKBACK = 30  # characters before a D/M date searched for its cue word
_BIRTH_LOOKBACK = 6


@dataclass
class Span:
    """A temporal expression found in a text, before resolution (read-only once found: cached)."""

    start: int
    end: int
    kind: str
    groups: dict[str, str | None]
    text: str

    def g(self, key: str) -> str | None:
        return self.groups.get(key)


# Sentences seen lately: a story re-digested as its articles arrive (the archive) parses the
# same sentences again. Within one digest each sentence is parsed once (the date layer).
@lru_cache(maxsize=4096)
def _find_cached(text: str) -> tuple[Span, ...]:
    return tuple(_find(text))


def clear_cache() -> None:
    """Forget the sentences seen: a benchmark times a first digest, not a repeat."""
    _find_cached.cache_clear()


def find_expressions(text: str) -> list[Span]:
    """All temporal expressions in ``text`` (non-overlapping, leftmost-longest)."""
    return list(_find_cached(text))


def _valid(m: regex.Match[str]) -> bool:
    g = m.groupdict()
    for key, hi in (("d", 31), ("d1", 31), ("m", 12), ("m1", 12)):
        v = g.get(key)
        if v is not None and not 1 <= int(v) <= hi:
            return False
    wd = g.get("wd")
    return not (wd and not wd[0].isupper())  # "thứ Hai" is Monday, "thứ hai" is "second"


def _inside_number(text: str, m: regex.Match[str]) -> bool:
    """``1.10.1`` style version numbers: a date glued to more dotted digits on the left."""
    i = m.start("d")
    return i >= 2 and text[i - 1] in "./" and text[i - 2].isdigit()


def _groups(m: regex.Match[str]) -> dict[str, str | None]:
    return m.groupdict()


_NEEDS_DIGIT = frozenset({"range", "dmy_words", "month", "years", "year", "bracket_year"})
# The same patterns without IGNORECASE, run on the lowercased sentence (Unicode case folding in
# the regex engine made these scans most of the stage's time). Weekdays need the case.
_CASED = frozenset({"weekday"})
_LOWER_PATTERNS = {kind: regex.compile(p.pattern, regex.UNICODE) for kind, p in PATTERNS if kind not in _CASED}


def _groups_from(m: regex.Match[str], text: str) -> dict[str, str | None]:
    """A match's groups read from ``text`` (the original case) at the match's offsets."""
    out: dict[str, str | None] = {}
    for k in m.re.groupindex:
        a, b = m.span(k)
        out[k] = text[a:b] if a >= 0 else None
    return out
_DIGIT = re.compile(r"\d")  # stdlib: the same Unicode digits, a faster scan
# What every _DM_CORE match holds: a digit, a separator, a digit. In a text read alike by both
# engines (lang.tokens.reads_alike: ASCII digits only) stdlib ``re`` finds it several times
# faster than the ``regex`` scan, which tries its look-behind at every character.
_DM_HINT = re.compile(r"\d[/.\-–]\d")


_NEEDS_ORDER = tuple(sorted(_ALL_NEEDS))
_Kinds = tuple[tuple[str, regex.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]], ...]
_KINDS_NEEDED: dict[tuple[bool, frozenset[str]], _Kinds] = {}
_KINDS_NEEDED_MAX = 8192  # sets of words met (about a thousand in 300 clusters); past it, forgotten


def _kinds_needed(has_digit: bool, present: frozenset[str]) -> _Kinds:
    """(kind, pattern, gate alternatives) of the patterns, in order, that a sentence with a digit
    or not and the ``_NEEDS`` words ``present`` can match: most sentences hold no date, and the
    scans that cannot match are skipped. Looked up per set of words (a loop over the kinds per
    sentence cost more than the test)."""
    key = (has_digit, present)
    kinds = _KINDS_NEEDED.get(key)
    if kinds is None:
        if len(_KINDS_NEEDED) >= _KINDS_NEEDED_MAX:
            _KINDS_NEEDED.clear()
        kinds = _KINDS_NEEDED[key] = tuple(
            (kind, pat, _GATES[kind]) for kind, pat in PATTERNS
            if not (kind in _NEEDS_DIGIT and not has_digit) and not present.isdisjoint(_NEEDS[kind])
        )
    return kinds


def _find(text: str) -> list[Span]:
    found: list[Span] = []
    has_digit = _DIGIT.search(text) is not None
    dm = has_digit and (_DM_HINT.search(text) is not None or not reads_alike(text))
    for m in _DM_CORE.finditer(text) if dm else ():
        if not _valid(m):
            continue
        before = _DM_BEFORE.search(text, max(0, m.start() - _CUE_LOOKBACK), m.start())
        if before is not None and not _valid(before):
            before = None
        if before is None and not m.group("y"):
            continue  # a bare "1/3" or "2-1" is a fraction or a score
        if not m.group("y") and not m.group("dy") and _MEASURE_AFTER.match(text, m.end()):
            continue  # "từ 3-4 giờ", "từ 2/3 số phiếu": an amount
        start, end = (before.start() if before else m.start()), m.end()
        if before is not None and "(" in before.group(0) and text[end : end + 1] == ")":
            end += 1
        if _inside_number(text, m):
            continue
        found.append(Span(start, end, "dm", _groups(m), text[start:end]))
    low = text.lower()
    lowered = len(low) == len(text)  # offsets shared (always so for Vietnamese NFC text)
    for kind, pat, gates in _kinds_needed(has_digit, frozenset([w for w in _NEEDS_ORDER if w in low])):
        # the gate: whether the lowercased sentence holds what a kept match of ``kind`` must hold
        for literal, gate in gates:
            if literal in low and gate.search(low):
                break
        else:
            continue
        fast = lowered and kind not in _CASED
        for m in (_LOWER_PATTERNS[kind].finditer(low) if fast else pat.finditer(text)):
            if not _valid(m):
                continue
            if kind == "year" and _BIRTH.search(text, max(0, m.start() - _BIRTH_LOOKBACK), m.start()):
                continue
            if kind == "offset":
                if not m.group("dir") and not m.group("ago"):
                    continue  # "3 tháng" alone is a duration
                if (m.group("u") or "").lower() == "năm" and (m.group("n") or "").lower() == "năm":
                    continue
            groups = _groups_from(m, text) if fast else _groups(m)
            found.append(Span(m.start(), m.end(), kind, groups, text[m.start() : m.end()]))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for s in found:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out
