"""Timeline: temporal expressions in every sentence, resolved to absolute dates.

Detection is our own span patterns (``dateparser.search_dates`` fires on ``7,5 giờ`` and
``bây giờ`` and misses ``hôm 12/1``). Resolution rules:

* Explicit dates without a year (``ngày 10/1``, ``tháng 12``) take the year that puts them
  closest to the anchor, a future date costing 3x a past one (news reports what happened);
  ``... tới``/``sắp tới`` after the date asks for the future. So an article of 2022-01-03
  saying ``ngày 28/12`` means 2021-12-28.
* The anchor is ``article.published`` when known ("published"); otherwise the latest
  explicit full date (day, month and year written out) anywhere in the cluster
  ("cluster:2022-01-21"), or the latest written year ("cluster:2016") when no full date exists.
  Against such a bare-year anchor a day or month written without a year is *not* given a
  year: it comes out as EDTF ``XXXX-05-19`` / ``XXXX-07`` (year unspecified), because the
  latest year written is as often a forecast ("giữa năm 2017") as the current one.
* Deictic expressions (``hôm nay``, ``hôm qua``, ``sáng nay``, ``tuần tới``, ``tháng tới``,
  ``năm nay``, ``N năm trước``, weekday names) are counted from the anchor. When the anchor
  is only a cluster guess they are still returned by :func:`find_date_mentions` (and scored),
  but kept out of the timeline: a day-level guess is too often wrong to print as fact.
* ``cùng ngày``/``trước đó``/``N năm sau`` refer to the last date mentioned earlier in the
  same article (``trước đó`` is placed *on* that date: only the order is known). Without an
  earlier date they are dropped.
* Not events, skipped: birth years (``sinh năm 1985``, ``SN 1985``), durations (``3 tháng``,
  ``sau hai năm``), clock times, bare years without ``năm`` (``Euro 2016``), bare ``D/M``
  without a cue word (fractions ``1/3``, ``24/7``, scores ``2-1``). ``năm 2014`` — also in
  ``trong năm 2014`` — is a year-precision event.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import regex

from diemtin.lang.tokens import syllables
from diemtin.model import Article, Cluster, Sentence, SourceRef, TimelineEntry

# --- patterns -------------------------------------------------------------------------

# A number standing alone: not glued to other digits, decimal/thousand marks or letters.
_NB = r"(?<![\p{L}\d.,/\-])"  # left boundary
_NA = r"(?![\d\p{L}]|[.,/\-]\d)"  # right boundary
_D = r"(?P<d>\d{1,2})"  # ranges checked in code: alternations here cost 10x
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"[/.\-–]"
# Words after which a bare "10/1" is a date ("hôm 12/1", "sáng 10-1", "(10/1)", "từ 10/1").
_CUE = (
    r"(?:ngày|hôm|sáng|trưa|chiều|tối|đêm|khuya|rạng\s+sáng|từ|đến|tới|trước|sau|vào|hết|"
    r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
)
_PART = r"(?:(?:rạng\s+sáng|sáng|trưa|chiều|tối|đêm|khuya)\s+)"
_WEEKDAY = r"(?:thứ\s+(?P<wd>hai|ba|tư|năm|sáu|bảy)|(?P<cn>chủ\s+nhật))"  # capital checked in code
_NUMWORD = r"(?:\d{1,3}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi)"

_I = regex.IGNORECASE | regex.UNICODE

_PATTERNS: list[tuple[str, regex.Pattern[str]]] = [
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
            r"(?:"
            + _PART
            + r"?(?:ngày|hôm)\s+)"
            + _D
            + r"\s+(?:tháng)\s+"
            + _M
            + _NA
            + r"(?:\s+(?:năm)\s+"
            + _Y
            + r")?"
            + _NA,
            _I,
        ),
    ),
    # "giữa tháng 12/2021", "cuối tháng 1", "tháng 12.2021", "tháng 1 năm 2022"
    (
        "month",
        regex.compile(
            r"(?:(?P<q>đầu|giữa|cuối|hạ\s+tuần|trung\s+tuần|thượng\s+tuần)\s+)?(?:(?<!\p{L})tháng)\s+"
            + _M
            + r"(?:(?:"
            + _SEP
            + r"|\s+(?:năm)\s+)"
            + _Y
            + r")?"
            + _NA,
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
    (
        "year",
        regex.compile(r"(?:(?P<q>đầu|giữa|cuối)\s+)?(?:(?<!\p{L})năm)\s+" + _Y + _NA, _I),
    ),
    # "8 năm sau", "hai năm trước", "cách đây 3 năm"
    (
        "offset",
        regex.compile(
            r"(?<!\p{L})(?:(?P<ago>cách\s+đây)\s+)?(?P<n>" + _NUMWORD + r")\s+(?P<u>năm|tháng|tuần|ngày)"
            r"(?:\s+(?P<dir>sau|trước|về\s+trước)(?P<khi>\s+khi)?)?(?!\p{L})",
            _I,
        ),
    ),
    # deictics
    (
        "deictic",
        regex.compile(
            r"(?<!\p{L})(?P<w>(?:ngày\s+)?hôm\s+(?:nay|qua|kia)|(?:rạng\s+sáng|sáng|trưa|chiều|tối|đêm)\s+(?:nay|qua|mai)"
            r"|ngày\s+mai|tuần\s+(?:tới|sau|trước|này|qua)|tháng\s+(?:tới|sau|trước|này)"
            r"|năm\s+(?:nay|ngoái|tới))(?!\p{L})"
            # "chiều nay (20/5)", "hôm nay 23.5": the written date wins over the deictic
            r"(?:\s*\(?\s*" + _D + _SEP + _M + r"(?:" + _SEP + _Y + r")?" + _NA + r"\)?)?",
            _I,
        ),
    ),
    ("relative", regex.compile(r"(?<!\p{L})(?P<w>cùng\s+ngày|trước\s+đó)(?!\p{L})", _I)),
    (
        "weekday",
        regex.compile(
            r"(?<!\p{L})" + _WEEKDAY + r"(?:\s+(?P<fut>tới|này|tuần\s+sau|tuần\s+tới))?(?!\p{L})", _I
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
        "deictic": ("hôm", "nay", "qua", "mai", "tuần", "tháng", "năm"),
        "relative": ("cùng", "trước"),
        "weekday": ("thứ", "chủ"),
    }.items()
}
assert set(_NEEDS) == {kind for kind, _ in _PATTERNS}

_DECADE = regex.compile(r"(?:những|thập\s+(?:niên|kỷ))\s+$", _I)
# Day/month dates are found digits first (fast), then the cue before them is looked up.
_DM_CORE = regex.compile(
    r"(?<![\p{L}\d.,/\-])(?P<d>\d{1,2})(?P<s>[/.\-–])(?P<m>\d{1,2})(?:(?P=s)(?P<y>(?:19|20)\d\d))?"
    r"(?![\d\p{L}]|[.,/\-]\d)",
    _I,
)
_DM_BEFORE = regex.compile(
    r"(?:(?:(?<!\p{L})" + _PART + r"?" + _WEEKDAY + r"\s*[,(]?\s*(?:ngày\s+)?)"
    r"|(?:(?<!\p{L})" + _CUE + r"(?:\s+ngày)?\s+)|\()$",
    _I,
)
_BIRTH = regex.compile(r"(?:sinh|SN|s\.n)\s*$", _I)
_FUTURE_AFTER = regex.compile(r"^\s*(?:tới|sắp\s+tới|sắp\s+diễn\s+ra)(?!\p{L})", _I)
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5}
_NUMWORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_DEICTIC_KINDS = {"deictic", "weekday", "offset_anchor"}


@dataclass
class Span:
    """A temporal expression found in a text, before resolution."""

    start: int
    end: int
    kind: str
    groups: dict[str, str | None]
    text: str


@dataclass
class DateMention:
    """A resolved temporal expression: where it is and what date it means."""

    article: str
    sentence: int
    start: int  # offsets into Article.text
    end: int
    expression: str
    date: str  # ISO, "YYYY-MM" or "YYYY" or "start/end"
    precision: str  # day | month | year | range
    anchor: str
    kind: str  # explicit | deictic | relative

    @property
    def first_day(self) -> date:
        return _first_day(self.date)


@lru_cache(maxsize=4096)
def _find_cached(text: str) -> tuple[Span, ...]:
    return tuple(_find(text))


def find_expressions(text: str) -> list[Span]:
    """All temporal expressions in ``text`` (non-overlapping, leftmost-longest)."""
    return list(_find_cached(text))


def _find(text: str) -> list[Span]:
    """All temporal expressions in ``text`` (non-overlapping, leftmost-longest)."""
    found: list[Span] = []
    for m in _DM_CORE.finditer(text):
        if not _valid(m):
            continue
        before = _DM_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if before is not None and not _valid(before):
            before = None
        if before is None and not m.group("y"):
            continue  # a bare "1/3" or "2-1" is a fraction or a score
        start, end = (before.start() if before else m.start()), m.end()
        if before is not None and before.group(0) == "(" or (before and "(" in before.group(0)):
            if text[end : end + 1] == ")":
                end += 1
        if _inside_number(text, m):
            continue
        groups = m.groupdict()
        found.append(Span(start, end, "dm", groups, text[start:end]))
    low = text.lower()
    for kind, pat in _PATTERNS:
        if not any(w in low for w in _NEEDS[kind]):
            continue
        for m in pat.finditer(text):
            if not _valid(m):
                continue
            if kind == "year" and _BIRTH.search(text, max(0, m.start() - 6), m.start()):
                continue
            if kind == "offset":
                if not m.group("dir") and not m.group("ago"):
                    continue  # "3 tháng" alone is a duration
                if m.group("u").lower() == "năm" and m.group("n").lower() == "năm":
                    continue
            found.append(Span(m.start(), m.end(), kind, m.groupdict(), m.group(0)))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for s in found:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


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


# --- resolution -----------------------------------------------------------------------


_UNKNOWN_YEAR = 9996  # stands for "XXXX" in date arithmetic: a leap year, sorting after every real one


def _parts(iso_part: str) -> list[int]:
    return [_UNKNOWN_YEAR if p == "XXXX" else int(p) for p in iso_part.split("-")]


def _first_day(iso: str) -> date:
    head = iso.split("/")[0]
    parts = _parts(head)
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(iso: str) -> date:
    tail = iso.split("/")[-1]
    parts = _parts(tail)
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def _span_days(iso: str) -> int:
    return (_last_day(iso) - _first_day(iso)).days


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _pick_year(m: int, d: int, anchor: date, future: bool) -> date | None:
    """The year for day ``d`` of month ``m`` closest to ``anchor``, preferring the past."""
    best, best_cost = None, None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        cand = _safe_date(y, m, d)
        if cand is None:
            continue
        delta = (cand - anchor).days
        if future:
            cost = abs(delta) if delta >= -1 else 3 * abs(delta)
        else:
            cost = -delta if delta <= 0 else 3 * delta
        if best_cost is None or cost < best_cost:
            best, best_cost = cand, cost
    return best


def _range(a: date, b: date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def _week(anchor: date, offset_weeks: int) -> str:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset_weeks)
    return _range(monday, monday + timedelta(days=6))


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _numword(s: str) -> int | None:
    s = s.lower()
    if s.isdigit():
        return int(s)
    return _NUMWORDS.get(s)


_Q_MONTH = {"đầu": (1, 10), "thượng tuần": (1, 10), "giữa": (11, 20), "trung tuần": (11, 20)}


def _month_part(y: int, m: int, q: str | None) -> tuple[str, str]:
    last = calendar.monthrange(y, m)[1]
    if not q:
        return f"{y:04d}-{m:02d}", "month"
    q = " ".join(q.lower().split())
    a, b = _Q_MONTH.get(q, (21, last))
    return _range(date(y, m, a), date(y, m, b)), "range"


def _resolve(
    span: Span, text: str, anchor: date | None, prev: tuple[str, str] | None
) -> tuple[str, str, str] | None:
    """(iso, precision, kind) for ``span``; None when it cannot be resolved."""
    g = span.groups
    k = span.kind
    after = text[span.end : span.end + 20]
    future = bool(_FUTURE_AFTER.match(after))
    if k in ("dm", "dmy_words"):
        d, m, y = int(g["d"]), int(g["m"]), g.get("y")
        if y:
            dt = _safe_date(int(y), m, d)
        elif anchor is not None:
            dt = _pick_year(m, d, anchor, future)
        else:
            return None
        return (dt.isoformat(), "day", "explicit") if dt else None
    if k == "range":
        d2, m2, y = int(g["d"]), int(g["m"]), g.get("y")
        d1, m1 = int(g["d1"]), int(g["m1"] or m2)
        if y:
            end = _safe_date(int(y), m2, d2)
        elif anchor is not None:
            end = _pick_year(m2, d2, anchor, future)
        else:
            return None
        if end is None:
            return None
        start = _safe_date(end.year - (1 if m1 > m2 else 0), m1, d1)
        if start is None or start > end:
            return None
        return _range(start, end), "range", "explicit"
    if k == "month":
        m, y = int(g["m"]), g.get("y")
        if y:
            yy = int(y)
        elif anchor is not None:
            cand = _pick_year(m, 1, anchor.replace(day=1), future)
            if cand is None:
                return None
            yy = cand.year
        else:
            return None
        iso, prec = _month_part(yy, m, g.get("q"))
        return iso, prec, "explicit"
    if k == "years":
        y1, y2 = int(g["y1"]), int(g["y"])
        if y2 < y1:
            return None
        return _range(date(y1, 1, 1), date(y2, 12, 31)), "range", "explicit"
    if k == "year":
        y = int(g["y"])
        q = (g.get("q") or "").lower()
        if y % 10 == 0 and _DECADE.search(text, max(0, span.start - 12), span.start):
            return _range(date(y, 1, 1), date(y + 9, 12, 31)), "range", "explicit"  # "những năm 1990"
        if q == "đầu":
            return _range(date(y, 1, 1), date(y, 4, 30)), "range", "explicit"
        if q == "giữa":
            return _range(date(y, 5, 1), date(y, 8, 31)), "range", "explicit"
        if q == "cuối":
            return _range(date(y, 9, 1), date(y, 12, 31)), "range", "explicit"
        return f"{y:04d}", "year", "explicit"
    if k == "relative":
        if prev is None:
            return None
        return prev[0], prev[1], "relative"
    if k == "offset":
        n = _numword(g["n"])
        if n is None or n > 200:
            return None
        unit = g["u"].lower()
        sign = -1 if (g.get("ago") or (g.get("dir") or "").lower().endswith("trước")) else 1
        if sign > 0 and g.get("khi"):
            # "8 năm sau khi Nga sáp nhập Crimea": the clause describes the present.
            if anchor is None:
                return None
            return _shift(anchor, unit, 0) + ("deictic",)
        elif sign > 0:
            if prev is None:
                return None
            base, kind = _first_day(prev[0]), "relative"
        else:
            if anchor is None:
                return None
            base, kind = anchor, "deictic"
        return _shift(base, unit, sign * n) + (kind,)
    if anchor is None:
        return None
    if k == "weekday":
        target = 6 if g.get("cn") else _WEEKDAYS[g["wd"].lower()]
        fut = (g.get("fut") or "").lower()
        if fut in ("tới", "tuần sau", "tuần tới"):
            delta = (target - anchor.weekday()) % 7 or 7
            if fut != "tới":
                delta = 7 - anchor.weekday() + target
        elif fut == "này":
            delta = target - anchor.weekday()
        else:
            delta = -((anchor.weekday() - target) % 7)
        return (anchor + timedelta(days=delta)).isoformat(), "day", "deictic"
    if k == "deictic" and g.get("d"):
        y = g.get("y")
        dt = (
            _safe_date(int(y), int(g["m"]), int(g["d"]))
            if y
            else _pick_year(int(g["m"]), int(g["d"]), anchor, False)
        )
        return (dt.isoformat(), "day", "explicit") if dt else None
    if k == "deictic":
        w = " ".join(g["w"].lower().split())
        w = w.removeprefix("ngày ")
        if w.startswith("hôm nay") or w.endswith(" nay"):
            return anchor.isoformat(), "day", "deictic"
        if w.endswith("kia"):
            return (anchor - timedelta(days=2)).isoformat(), "day", "deictic"
        if w.endswith(" qua") and not w.startswith("tuần"):
            return (anchor - timedelta(days=1)).isoformat(), "day", "deictic"
        if w.endswith("mai"):
            return (anchor + timedelta(days=1)).isoformat(), "day", "deictic"
        unit, rel = w.split(" ", 1)
        step = {"tới": 1, "sau": 1, "trước": -1, "qua": -1, "ngoái": -1, "này": 0, "nay": 0}[rel]
        if unit == "tuần":
            if rel == "qua":  # "trong tuần qua": the seven days before the anchor
                return _range(anchor - timedelta(days=7), anchor), "range", "deictic"
            return _week(anchor, step), "range", "deictic"
        if unit == "tháng":
            y, m = _add_months(anchor.year, anchor.month, step)
            return f"{y:04d}-{m:02d}", "month", "deictic"
        return f"{anchor.year + step:04d}", "year", "deictic"
    return None


def _shift(base: date, unit: str, n: int) -> tuple[str, str]:
    if unit == "năm":
        return f"{base.year + n:04d}", "year"
    if unit == "tháng":
        y, m = _add_months(base.year, base.month, n)
        return f"{y:04d}-{m:02d}", "month"
    days = n * (7 if unit == "tuần" else 1)
    return (base + timedelta(days=days)).isoformat(), "day"


# --- anchors --------------------------------------------------------------------------


def _parse_published(value: str | None) -> date | None:
    if not value:
        return None
    m = regex.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not m:
        return None
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _spans(article: Article) -> Iterable[Span]:
    """Expressions of the article, sentence by sentence (shares the per-sentence cache)."""
    for sent in sentences_of(article):
        yield from find_expressions(article.text[sent.start : sent.end])


def cluster_anchor(cluster: Cluster) -> tuple[date, str] | None:
    """Latest explicit full date in the cluster (or latest written year), with its label."""
    best_day: date | None = None
    best_year: int | None = None
    for article in cluster.articles:
        for span in _spans(article):
            g = span.groups
            if not g.get("y"):
                continue
            y = int(g["y"])
            if span.kind in ("dm", "dmy_words", "range"):
                dt = _safe_date(y, int(g["m"]), int(g["d"]))
                if dt and (best_day is None or dt > best_day):
                    best_day = dt
            best_year = y if best_year is None else max(best_year, y)
    if best_day is not None:
        # A full date fixes the year; later day dates written without a year (within 60 days)
        # are closer to when the articles were written, so the anchor moves up to them.
        latest = best_day
        for article in cluster.articles:
            for span in _spans(article):
                g = span.groups
                if span.kind == "dm" and not g.get("y"):
                    dt = _pick_year(int(g["m"]), int(g["d"]), best_day, False)
                    if dt and latest < dt <= best_day + timedelta(days=60):
                        latest = dt
        return latest, f"cluster:{latest.isoformat()}"
    if best_year is not None:
        return date(best_year, 12, 31), f"cluster:{best_year:04d}"
    return None


# --- sentences ------------------------------------------------------------------------

_CRUDE_SENT = regex.compile(r"[^\n]+?(?:[.!?…]+[\"”’)]*(?=\s+[\p{Lu}\d\"“(])|$)", regex.MULTILINE)


def sentences_of(article: Article) -> list[Sentence]:
    """The article's sentences; a crude split when no segmenter has run (keeps offsets)."""
    if article.sentences:
        return article.sentences
    out: list[Sentence] = []
    for m in _CRUDE_SENT.finditer(article.text):
        s, e = m.start(), m.end()
        while s < e and article.text[s].isspace():
            s += 1
        if s < e:
            out.append(Sentence(article.id, len(out), 0, s, e, article.text[s:e]))
    return out


def _article_anchor(article: Article, fallback: tuple[date, str] | None) -> tuple[date | None, str]:
    published = _parse_published(article.published)
    if published is not None:
        return published, "published"
    if fallback is not None:
        return fallback
    return None, ""


def title_dates(cluster: Cluster) -> dict[str, str]:
    """Article id -> the first explicit day date of its title (titles carry no offsets)."""
    fallback = cluster_anchor(cluster)
    out: dict[str, str] = {}
    for article in cluster.articles:
        anchor, _ = _article_anchor(article, fallback)
        for span in find_expressions(article.title or ""):
            res = _resolve(span, article.title, anchor, None)
            if res and res[1] == "day" and res[2] == "explicit":
                out[article.id] = res[0]
                break
    return out


_YEAR_ONLY_ANCHOR = regex.compile(r"cluster:\d{4}")
_YEAR = regex.compile(r"\b\d{4}(?=-)")


def find_date_mentions(cluster: Cluster) -> list[DateMention]:
    """Every resolvable temporal expression of every (distinct) article, in text order."""
    fallback = cluster_anchor(cluster)
    mentions: list[DateMention] = []
    for article in cluster.articles:
        if article.duplicate_of:
            continue
        anchor, label = _article_anchor(article, fallback)
        # Anchored on a bare year (no publication date, no full date anywhere): a day or month
        # written without a year cannot be placed in a year, and the latest year written may be
        # a forecast ("giữa năm 2017"), so such dates keep their year unspecified.
        year_guessed = bool(_YEAR_ONLY_ANCHOR.fullmatch(label))
        prev: tuple[str, str] | None = None
        for sent in sentences_of(article):
            stext = article.text[sent.start : sent.end]
            topic: tuple[str, str] | None = None  # the sentence's first explicit date is its topic
            spans = find_expressions(stext)
            # "Trước đó, ngày 18/5, ...": a written date in the sentence beats the back-reference.
            own = None
            for span in spans:
                if span.kind in ("dm", "dmy_words", "range", "month"):
                    own = _resolve(span, stext, anchor, None)
                    if own:
                        own = (own[0], own[1])
                        break
            for span in spans:
                res = _resolve(span, stext, anchor, own or prev)
                if res is None:
                    continue
                iso, precision, kind = res
                if year_guessed and not span.groups.get("y") and kind in ("explicit", "relative"):
                    iso = _YEAR.sub("XXXX", iso)  # the year is not known: say so (EDTF), do not guess
                mentions.append(
                    DateMention(
                        article.id,
                        sent.index,
                        sent.start + span.start,
                        sent.start + span.end,
                        unicodedata.normalize("NFC", span.text),
                        iso,
                        precision,
                        label if kind != "relative" else f"relative:{prev[0] if prev else ''}",
                        kind,
                    )
                )
                if kind == "explicit" and precision in ("day", "range") and topic is None:
                    topic = (iso, precision)
            if topic is not None:
                prev = topic
    return mentions


# --- timeline -------------------------------------------------------------------------

_STOP = frozenset(
    "của và các những đã được là có cho với tại trong về này đó khi thì mà như để từ ra một "
    "ngày hôm tháng năm nay qua sáng chiều tối cùng trước sau theo cũng không sẽ đang rằng vào "
    "bà ông nói biết cho".split()
)
_LEAD_PUNCT = regex.compile(r"^[\s,;:–\-)]+")


def _content(text: str) -> set[str]:
    return {t for t in syllables(text) if t not in _STOP and not t.isdigit()}


def _similar(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


_LEAD_WORDS = frozenset({"", "vào", "trong", "hôm", "ngày", "từ", "đến", "tới", "trước", "sau"})


def _event_text(stext: str) -> tuple[str, bool]:
    """The sentence trimmed of its leading date phrases ("Ngày 11/1, ..." -> "...").

    Returns the text and whether a leading date was trimmed (the sentence is *about* it).
    """
    pos, trimmed = 0, False
    for span in find_expressions(stext):
        if stext[pos : span.start].strip(' \t,;:"“(').lower() not in _LEAD_WORDS:
            break
        pos, trimmed = span.end, True
    rest = _LEAD_PUNCT.sub("", stext[pos:]) if trimmed else stext.strip()
    if trimmed and len(syllables(rest)) >= 4:
        return rest[0].upper() + rest[1:], True
    return stext.strip(), False


@dataclass
class _Item:
    mention: DateMention
    event: str
    lead: bool
    words: set[str]
    ref: SourceRef


def extract_timeline(cluster: Cluster, merge_threshold: float = 0.5) -> list[TimelineEntry]:
    """Dated events of the cluster, merged across articles, sorted by date."""
    mentions = find_date_mentions(cluster)
    by_sentence: dict[tuple[str, int], list[DateMention]] = {}
    for m in mentions:
        if m.kind == "deictic" and not m.anchor == "published":
            continue  # see module docstring: a guessed anchor makes a guessed date
        by_sentence.setdefault((m.article, m.sentence), []).append(m)

    items: list[_Item] = []
    for (aid, sidx), ms in by_sentence.items():
        article = cluster.article(aid)
        sent = sentences_of(article)[sidx]
        stext = article.text[sent.start : sent.end]
        if any(m.kind == "explicit" for m in ms):
            ms = [m for m in ms if m.kind == "explicit"]
        seen: set[str] = set()
        for m in ms:
            if m.date in seen:
                continue
            seen.add(m.date)
            event, lead = _event_text(stext)
            if len(syllables(event)) < 4:
                continue
            ref = SourceRef(aid, sidx, sent.start, sent.end)
            items.append(_Item(m, event, lead, _content(event), ref))

    # Merge: same date, similar event words (overlap coefficient of content syllables).
    # A coarser date that contains a finer one ("tháng 12/2021" vs "giữa tháng 12/2021") merges
    # into it: items are visited finest first, so groups carry the most precise date.
    fineness = {"day": 0, "range": 1, "month": 2, "year": 3}
    items.sort(key=lambda it: (fineness.get(it.mention.precision, 4), _span_days(it.mention.date)))
    groups: list[list[_Item]] = []
    for it in items:
        lo, hi = _first_day(it.mention.date), _last_day(it.mention.date)
        for g in groups:
            d = g[0].mention.date
            if (
                lo <= _first_day(d)
                and _last_day(d) <= hi
                and any(_similar(it.words, o.words) >= merge_threshold for o in g)
            ):
                g.append(it)
                break
        else:
            groups.append([it])

    entries: list[TimelineEntry] = []
    for g in groups:
        # Show the sentence closest to the others; on ties one that opens with its date.
        rep = max(
            g, key=lambda it: (round(sum(_similar(it.words, o.words) for o in g), 3), it.lead, -len(it.event))
        )
        sources, seen_refs = [rep.ref], {(rep.ref.article, rep.ref.sentence)}
        for it in g:
            if (it.ref.article, it.ref.sentence) not in seen_refs:
                seen_refs.add((it.ref.article, it.ref.sentence))
                sources.append(it.ref)
        m = g[0].mention  # the finest date of the group
        if rep.mention.date == m.date:
            m = rep.mention
        entries.append(TimelineEntry(m.date, m.precision, rep.event, sources, m.expression, m.anchor))
    order = {"year": 0, "month": 1, "range": 2, "day": 3}
    entries.sort(key=lambda e: (_first_day(e.date), order.get(e.precision, 4), _last_day(e.date)))
    return entries


def mentions_by_article(mentions: Iterable[DateMention]) -> dict[str, list[DateMention]]:
    out: dict[str, list[DateMention]] = {}
    for m in mentions:
        out.setdefault(m.article, []).append(m)
    return out
