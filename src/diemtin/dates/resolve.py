"""Resolving one temporal expression to an ISO/EDTF date: a table of rules, one per kind.

* Explicit dates without a year (``ngày 10/1``, ``tháng 12``) take the year that puts them
  closest to the anchor, a future date costing 3x a past one (news reports what happened);
  ``... tới``/``sắp tới`` after the date asks for the future, and so does a limit (``đến hết
  30/11``, :func:`diemtin.dates.roles.is_limit`). So an article of 2022-01-03 saying ``ngày
  28/12`` means 2021-12-28.
* When the anchor's year is not known, a date written without a year keeps it unspecified
  (EDTF ``XXXX-05-19``), and so does anything counted from it: a shift of an unknown year is an
  unknown year. No arithmetic is ever done on a stand-in year.
* Deictic expressions (``hôm nay``, ``tuần tới``, ``năm ngoái``, ``N năm trước``, weekday
  names) are counted from the anchor's day.
* ``cùng ngày``/``trước đó``/``N năm sau`` refer to the sentence's own written date, else the
  last date mentioned earlier in the same article (``trước đó`` is placed *on* that date: only
  the order is known). Without one they are dropped.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import regex

from diemtin.dates.expressions import Span
from diemtin.dates.roles import is_limit
from diemtin.lang.dates import (
    DAY_DEICTIC_STEPS,
    DEICTIC_STEPS,
    MONTH_PARTS,
    NUMWORDS,
    SUNDAY,
    UNKNOWN_YEAR,
    WEEKDAYS,
    YEAR_PARTS,
)

_I = regex.IGNORECASE | regex.UNICODE
_FUTURE_AFTER = regex.compile(r"\s*(?:tới|sắp\s+tới|sắp\s+diễn\s+ra)(?!\p{L})", _I)
_SAME_DAY_AFTER = regex.compile(r"\s*,?\s*cùng\s+ngày(?!\p{L})", _I)
_DECADE = regex.compile(r"(?:những|thập\s+(?:niên|kỷ))\s+$", _I)
_AFTER_WINDOW = 20  # characters after an expression read for "tới"
_DECADE_LOOKBACK = 12
# "Trước đó , cùng ngày" is read in a bounded window: a match with no end scans for its literal
# to the end of the text on every call (quadratic in a long article).
_SAME_DAY_WINDOW = 40
MAX_OFFSET = 200  # "N năm trước" beyond this is not a date of the story
FUTURE_COST = 3  # a future reading of a yearless date costs 3x a past one


@dataclass(frozen=True)
class Anchor:
    """What dates are resolved against: a day, and whether its year is known."""

    day: date | None
    label: str = ""  # "published" | "cluster:<iso>"
    year_known: bool = True


@dataclass(frozen=True)
class Resolved:
    iso: str
    precision: str  # day | month | year | range | decade
    kind: str  # explicit | deictic | relative


@dataclass(frozen=True)
class Context:
    text: str  # the sentence
    anchor: Anchor
    prev: Resolved | None  # the sentence's own written date, else the article's last topic date
    own: Resolved | None = None  # the sentence's own written date
    last: Resolved | None = None  # the last written date of the sentence before (any precision)


Rule = Callable[[Span, Context], Resolved | None]


# --- dates with a possibly unknown year -------------------------------------------------------


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str:
    head = UNKNOWN_YEAR if y is None else f"{y:04d}"
    if m is None:
        return head
    return f"{head}-{m:02d}" if d is None else f"{head}-{m:02d}-{d:02d}"


def _fields(iso_part: str) -> tuple[int | None, int | None, int | None]:
    ps = iso_part.split("-")
    y = None if ps[0] == UNKNOWN_YEAR else int(ps[0])
    return y, (int(ps[1]) if len(ps) > 1 else None), (int(ps[2]) if len(ps) > 2 else None)


def first_day(iso: str) -> date | None:
    """The first day of an ISO date/month/year/range; None when its year is unknown."""
    y, m, d = _fields(iso.split("/")[0])
    return None if y is None else safe_date(y, m or 1, d or 1)


def last_day(iso: str) -> date | None:
    y, m, d = _fields(iso.split("/")[-1])
    if y is None:
        return None
    if d is not None and m is not None:
        return safe_date(y, m, d)
    if m is not None:
        return date(y, m, calendar.monthrange(y, m)[1])
    return date(y, 12, 31)


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _possible(m: int, d: int) -> bool:
    """Day ``d`` of month ``m`` exists in some year (29/2 does)."""
    return safe_date(2000, m, d) is not None


def _pick_year(m: int, d: int, anchor: date, future: bool) -> date | None:
    """The year for day ``d`` of month ``m`` closest to ``anchor``, preferring the past."""
    best, best_cost = None, None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        cand = safe_date(y, m, d)
        if cand is None:
            continue
        delta = (cand - anchor).days
        if future:
            cost = abs(delta) if delta >= -1 else FUTURE_COST * abs(delta)
        else:
            cost = -delta if delta <= 0 else FUTURE_COST * delta
        if best_cost is None or cost < best_cost:
            best, best_cost = cand, cost
    return best


def _range(a: str, b: str) -> str:
    return f"{a}/{b}"


def _day_range(a: date, b: date) -> str:
    return _range(a.isoformat(), b.isoformat())


def _add_months(y: int | None, m: int, k: int) -> tuple[int | None, int]:
    n = (y or 0) * 12 + (m - 1) + k
    return (None if y is None else n // 12), n % 12 + 1


def _yearless_day(m: int, d: int, ctx: Context, future: bool) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a day written without a year."""
    if not _possible(m, d):
        return None
    a = ctx.anchor
    if a.day is None or not a.year_known:
        return None, m, d
    dt = _pick_year(m, d, a.day, future)
    return (dt.year, m, d) if dt else None


def future_after(text: str, end: int) -> bool:
    """``... tới``, ``sắp tới`` right after a date: it is ahead."""
    return bool(_FUTURE_AFTER.match(text, end, end + _AFTER_WINDOW))


def _future(span: Span, ctx: Context) -> bool:
    # a limit is set ahead: "đến hết 30/11" written in May is this November, not the last
    return future_after(ctx.text, span.end) or is_limit(span, ctx.text)


def _int(span: Span, key: str) -> int | None:
    v = span.g(key)
    return int(v) if v else None


# --- rules ------------------------------------------------------------------------------------


def _day_month(span: Span, ctx: Context) -> Resolved | None:
    d, m, y = _int(span, "d"), _int(span, "m"), _int(span, "y")
    assert d is not None and m is not None
    if y is not None:
        dt = safe_date(y, m, d)
        return Resolved(dt.isoformat(), "day", "explicit") if dt else None
    dy = (span.g("dy") or "").lower()
    if dy:
        a = ctx.anchor
        if a.day is None or not a.year_known:
            return Resolved(_iso(None, m, d), "day", "explicit") if _possible(m, d) else None
        dt = safe_date(a.day.year + DEICTIC_STEPS[dy], m, d)
        return Resolved(dt.isoformat(), "day", "explicit") if dt else None
    found = _yearless_day(m, d, ctx, _future(span, ctx))
    return Resolved(_iso(*found), "day", "explicit") if found else None


def _day_range_rule(span: Span, ctx: Context) -> Resolved | None:
    d2, m2, y = _int(span, "d"), _int(span, "m"), _int(span, "y")
    d1 = _int(span, "d1")
    assert d1 is not None and d2 is not None and m2 is not None
    m1 = _int(span, "m1") or m2
    if y is not None:
        end: tuple[int | None, int, int] | None = (y, m2, d2) if safe_date(y, m2, d2) else None
    else:
        end = _yearless_day(m2, d2, ctx, _future(span, ctx))
    if end is None:
        return None
    ey = end[0]
    sy = None if ey is None else ey - (1 if m1 > m2 else 0)
    if not _possible(m1, d1) or (sy is not None and safe_date(sy, m1, d1) is None):
        return None
    if (m1, d1) > (m2, d2) and m1 <= m2:
        return None
    if ey is None and m1 > m2:
        return None  # a range across an unknown new year
    return Resolved(_range(_iso(sy, m1, d1), _iso(*end)), "range", "explicit")


def _month_part(y: int | None, m: int, q: str | None) -> tuple[str, str]:
    if not q:
        return _iso(y, m), "month"
    a, b = MONTH_PARTS.get(" ".join(q.lower().split()), (21, None))
    if b is None:
        # the month's last day; February of an unknown year ends on its 28th for us
        b = calendar.monthrange(y, m)[1] if y is not None else calendar.monthrange(2001, m)[1]
    return _range(_iso(y, m, a), _iso(y, m, b)), "range"


def _month(span: Span, ctx: Context) -> Resolved | None:
    m, y = _int(span, "m"), _int(span, "y")
    assert m is not None
    if y is None:
        a = ctx.anchor
        if a.day is not None and a.year_known:
            cand = _pick_year(m, 1, a.day.replace(day=1), _future(span, ctx))
            y = cand.year if cand else None
    dy = (span.g("dy") or "").lower()
    if dy:  # "tháng 4 năm nay": the year counted from now
        a = ctx.anchor
        y = a.day.year + DEICTIC_STEPS[dy] if a.day is not None and a.year_known else None
    iso, prec = _month_part(y, m, span.g("q"))
    return Resolved(iso, prec, "explicit")


def _years(span: Span, ctx: Context) -> Resolved | None:
    y1, y2 = _int(span, "y1"), _int(span, "y")
    assert y1 is not None and y2 is not None
    if y2 < y1:
        return None
    return Resolved(_range(f"{y1:04d}-01-01", f"{y2:04d}-12-31"), "range", "explicit")


def _year(span: Span, ctx: Context) -> Resolved | None:
    y = _int(span, "y")
    assert y is not None
    q = (span.g("q") or "").lower()
    if y % 10 == 0 and _DECADE.search(ctx.text, max(0, span.start - _DECADE_LOOKBACK), span.start):
        return Resolved(_range(f"{y:04d}-01-01", f"{y + 9:04d}-12-31"), "decade", "explicit")  # "những năm 1990"
    if q in YEAR_PARTS:
        (m1, d1), (m2, d2) = YEAR_PARTS[q]
        return Resolved(_range(_iso(y, m1, d1), _iso(y, m2, d2)), "range", "explicit")
    return Resolved(f"{y:04d}", "year", "explicit")


def _relative(span: Span, ctx: Context) -> Resolved | None:
    if ctx.prev is None:
        return None
    if (span.g("w") or "").lower().startswith("trước") and ctx.own is None:
        if not _SAME_DAY_AFTER.match(ctx.text, span.end, span.end + _SAME_DAY_WINDOW):
            return None  # "Trước đó, ..." without a date of its own orders events, it names no date
    return Resolved(ctx.prev.iso, ctx.prev.precision, "relative")


def _bracket_year(span: Span, ctx: Context) -> Resolved | None:
    return Resolved(f"{_int(span, 'y'):04d}", "year", "explicit")


def _numword(s: str) -> int | None:
    s = s.lower()
    return int(s) if s.isdigit() else NUMWORDS.get(s)


def _shift(base: str, unit: str, n: int) -> tuple[str, str] | None:
    """``base`` (an ISO date of any precision, year possibly unknown) moved by ``n`` units."""
    y, m, d = _fields(base.split("/")[0])
    if unit == "năm":
        return _iso(None if y is None else y + n), "year"
    if m is None:
        return None
    if unit == "tháng":
        return _iso(*_add_months(y, m, n)), "month"
    if d is None:
        return None
    days = n * (7 if unit == "tuần" else 1)
    if y is not None:
        return (date(y, m, d) + timedelta(days=days)).isoformat(), "day"
    # Unknown year: the day is known only if leap and common years agree on it.
    seen = {(dt.month, dt.day) for dt in (date(yy, m, d) + timedelta(days=days) for yy in (2000, 2001)
                                          if safe_date(yy, m, d))}
    if len(seen) != 1:
        return None
    mm, dd = seen.pop()
    return _iso(None, mm, dd), "day"


def _in_range(iso: str) -> bool:
    y = _fields(iso.split("/")[0])[0]
    return y is None or 1 <= y <= 9999


def _offset(span: Span, ctx: Context) -> Resolved | None:
    n = _numword(span.g("n") or "")
    if n is None or n > MAX_OFFSET:
        return None
    unit = (span.g("u") or "").lower()
    back = span.g("ago") or (span.g("dir") or "").lower().endswith("trước")
    a = ctx.anchor
    if not back and span.g("khi") and unit != "năm" and ctx.last is not None:
        # "Thông báo đưa ra 2 ngày sau khi giá dầu ...": dates the event just told, not "now"
        return Resolved(ctx.last.iso, ctx.last.precision, "relative")
    if not back and span.g("khi"):
        # "8 năm sau khi Nga sáp nhập Crimea": the clause describes the present.
        if a.day is None:
            return None
        out = _shift(a.day.isoformat(), unit, 0)
        kind = "deictic"
    elif not back:
        if ctx.prev is None:
            return None
        out, kind = _shift(ctx.prev.iso, unit, n), "relative"
    else:
        if a.day is None:
            return None
        out, kind = _shift(a.day.isoformat(), unit, -n), "deictic"
    if out is None or not _in_range(out[0]):
        return None
    return Resolved(out[0], out[1], kind)


def _weekday(span: Span, ctx: Context) -> Resolved | None:
    anchor = ctx.anchor.day
    if anchor is None:
        return None
    target = SUNDAY if span.g("cn") else WEEKDAYS[(span.g("wd") or "").lower()]
    fut = " ".join((span.g("fut") or "").lower().split())
    if fut in ("tới", "tuần sau", "tuần tới"):
        delta = (target - anchor.weekday()) % 7 or 7
        if fut != "tới":
            delta = 7 - anchor.weekday() + target
    elif fut == "này":
        delta = target - anchor.weekday()
    else:
        delta = -((anchor.weekday() - target) % 7)
    return Resolved((anchor + timedelta(days=delta)).isoformat(), "day", "deictic")


def _week(anchor: date, offset_weeks: int) -> str:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset_weeks)
    return _day_range(monday, monday + timedelta(days=6))


def _deictic(span: Span, ctx: Context) -> Resolved | None:
    if span.g("d"):  # "chiều nay (20/5)": the written date wins
        return _day_month(span, ctx)
    anchor = ctx.anchor.day
    if anchor is None:
        return None
    words = (span.g("w") or "").lower().split()
    if words[0] in YEAR_PARTS:
        words = words[1:] + ([] if len(words) > 2 else ["nay"])  # "cuối năm" = "cuối năm nay"
    unit, rel = words[0], words[-1]
    if unit not in ("tuần", "tháng", "năm"):
        step = DAY_DEICTIC_STEPS[rel]
        return Resolved((anchor + timedelta(days=step)).isoformat(), "day", "deictic")
    step = DEICTIC_STEPS[rel]
    if unit == "tuần":
        if rel == "qua":  # "trong tuần qua": the seven days before the anchor
            return Resolved(_day_range(anchor - timedelta(days=7), anchor), "range", "deictic")
        return Resolved(_week(anchor, step), "range", "deictic")
    if unit == "tháng":
        y, m = _add_months(anchor.year, anchor.month, step)
        return Resolved(_iso(y, m), "month", "deictic")
    year = anchor.year + step
    q = (span.g("q") or span.g("q2") or "").lower()
    if q in YEAR_PARTS:  # "cuối năm (nay)": a part of this year
        (m1, d1), (m2, d2) = YEAR_PARTS[q]
        return Resolved(_range(_iso(year, m1, d1), _iso(year, m2, d2)), "range", "deictic")
    return Resolved(f"{year:04d}", "year", "deictic")


RULES: dict[str, Rule] = {
    "dm": _day_month,
    "dmy_words": _day_month,
    "range": _day_range_rule,
    "month": _month,
    "years": _years,
    "year": _year,
    "relative": _relative,
    "bracket_year": _bracket_year,
    "offset": _offset,
    "weekday": _weekday,
    "deictic": _deictic,
}


def resolve(span: Span, ctx: Context) -> Resolved | None:
    """The date ``span`` means in its sentence, or None when it cannot be resolved."""
    return RULES[span.kind](span, ctx)
