"""Publication date from a dateline near the top of scraped text.

News pages print a stamp under the title — "Thứ Hai, 10/01/2022 14:35 (GMT+7)",
"Cập nhật: 10/01/2022, 08:00", "14:35 | 10/01/2022" — and scrapers keep it as a line of
text. A line counts only when it is essentially nothing but the stamp (plus a label, a
weekday, a time zone or a short author name) and sits in the first few lines: a date in
prose ("Ngày 12/1, ...") is an event date, and stamps in "related news" lists at the end
belong to other articles. Anything unsure returns None.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import regex

from diemtin.lang.dates import WEEKDAY_STAMP_PATTERN

_WEEKDAY = WEEKDAY_STAMP_PATTERN
_LABEL = (
    r"(?:cập\s*nhật(?:\s*(?:lúc|ngày))?|đăng(?:\s*(?:lúc|ngày|tải|tin))?|ngày\s*(?:đăng|xuất\s*bản)"
    r"|xuất\s*bản|thời\s*gian|ngày|lúc|published|updated|posted)"
)
_NUMERIC_DATE = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d{2})(?!\d)"
_ISO_DATE = r"(?P<iy>(?:19|20)\d{2})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)"
_WORD_DATE = r"(?:ngày\s*)?(?P<wd>\d{1,2})\s*tháng\s*(?P<wm>\d{1,2})\s*(?:năm|,)?\s*(?P<wy>(?:19|20)\d{2})(?!\d)"
_DATE = regex.compile(rf"(?<!\d)(?:{_NUMERIC_DATE}|{_ISO_DATE}|{_WORD_DATE})", regex.IGNORECASE)
_TIME = regex.compile(
    r"(?<![\d/.-])(?P<H>[01]?\d|2[0-3])\s*(?::|h)\s*(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
    r"(?:\s*(?P<ampm>am|pm|sa|ch)\b)?(?![\d/])",
    regex.IGNORECASE,
)
_TZ = regex.compile(r"\(?\s*(?:gmt|utc)\s*(?P<tz>[+-]\s*\d{1,2})(?::?00)?\s*\)?", regex.IGNORECASE)
_FILLER = regex.compile(rf"\b{_LABEL}\b|\b{_WEEKDAY}\b", regex.IGNORECASE)
_LABELLED = regex.compile(rf"\b{_LABEL}\b", regex.IGNORECASE)
_SEPARATORS = regex.compile(r"[\s,|:;·•/()\[\]\-–—]+")
_NOTE = regex.compile(r"\((?:[^()\d]{1,30})\)")  # a byline's note: "(tổng hợp)", "(lược dịch)"
_UPDATED = regex.compile(r"\b(?:cập\s*nhật|updated)\b", regex.IGNORECASE)

MAX_LINES = 5  # only the first few non-empty lines can hold the article's own dateline
MAX_EXTRA_WORDS = 4  # room for a byline ("Thanh Hà - 10/01/2022 14:35"), not for a sentence


def _iso(m: regex.Match[str], t: regex.Match[str] | None, tz: regex.Match[str] | None) -> str | None:
    if m.group("d"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    elif m.group("iy"):
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    else:
        y, mo, d = int(m.group("wy")), int(m.group("wm")), int(m.group("wd"))
    try:
        day = date(y, mo, d)
    except ValueError:
        return None  # 31/02/2022 or a month/day swap we cannot resolve
    if t is None:
        return day.isoformat()
    hour, minute = int(t.group("H")), int(t.group("M"))
    second = int(t.group("S")) if t.group("S") else 0
    ampm = (t.group("ampm") or "").lower()
    if ampm in ("pm", "ch") and hour < 12:
        hour += 12
    elif ampm in ("am", "sa") and hour == 12:
        hour = 0
    stamp = datetime(day.year, day.month, day.day, hour, minute, second)
    if tz is not None:
        offset = int(tz.group("tz").replace(" ", ""))
        if -12 <= offset <= 14:
            stamp = stamp.replace(tzinfo=timezone(timedelta(hours=offset)))
    return stamp.isoformat(timespec="seconds" if second else "minutes")


def _read(line: str) -> tuple[str, list[str], bool, bool] | None:
    """(ISO date/datetime, leftover words, time zone shown, label shown) when ``line`` is
    essentially only a date stamp, else None."""
    line = line.strip()
    if not line or len(line) > 120:
        return None
    dates = list(_DATE.finditer(line))
    if not dates:
        return None
    m = dates[0]
    rest = line[: m.start()] + " " * (m.end() - m.start()) + line[m.end() :]
    times = list(_TIME.finditer(rest))
    t = min(times, key=lambda x: min(abs(x.start() - m.end()), abs(m.start() - x.end()))) if times else None
    if t is not None:
        rest = rest[: t.start()] + " " * (t.end() - t.start()) + rest[t.end() :]
    tz = _TZ.search(rest)
    if tz is not None:
        rest = rest[: tz.start()] + rest[tz.end() :]
    labelled = _LABELLED.search(rest) is not None
    rest = _FILLER.sub(" ", rest)
    rest = _NOTE.sub(" ", rest)  # "Thu Hà (tổng hợp) | 10/01/2022 14:35"
    if any(c.isdigit() for c in rest):
        return None  # another number: a sentence or a list, not a stamp
    words = [w for w in _SEPARATORS.split(rest) if w]
    if len(words) > MAX_EXTRA_WORDS:
        return None
    if words and not all(w[:1].isupper() for w in words):
        return None  # leftover words must look like a name ("Bảo Hà"), not prose
    iso = _iso(m, t, tz)
    return None if iso is None else (iso, words, tz is not None, labelled)


def parse_dateline(line: str) -> str | None:
    """ISO date/datetime when ``line`` is essentially only a date stamp, else None."""
    read = _read(line)
    return None if read is None else read[0]


def dateline_marks(line: str) -> frozenset[str]:
    """What only a page's own dateline prints beside the stamp: a time zone ("(GMT+7)"), a label
    ("Cập nhật:", "Đăng lúc", "Ngày đăng:") or a byline ("Thanh Hà | 10/01/2022 14:35"). Lists of
    other stories print bare stamps ("10/01/2022", "14:35 10/01"). Empty when none, or no stamp."""
    read = _read(line)
    if read is None:
        return frozenset()
    _, words, zone, labelled = read
    return frozenset(m for m, on in (("zone", zone), ("label", labelled), ("byline", bool(words))) if on)


def find_publication_date(text: str) -> tuple[str, int] | None:
    """(ISO date or datetime, 0-based line index) of the dateline near the top of ``text``.

    A "Cập nhật" (updated) stamp is used only when no plain publication stamp is found.
    """
    lines = text.split("\n")
    found: list[tuple[str, int, bool]] = []
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > MAX_LINES:
            break
        if len(lines) >= 4 and i >= len(lines) / 2 + 1:
            break  # in a very short text the "top" ends halfway
        iso = parse_dateline(line)
        if iso is not None:
            found.append((iso, i, bool(_UPDATED.search(line))))
    if not found:
        return None
    for iso, i, updated in found:
        if not updated:
            return iso, i
    return found[0][0], found[0][1]


def is_update(line: str) -> bool:
    """An "updated" stamp ("Cập nhật: ..."): used only when no publication stamp is found."""
    return bool(_UPDATED.search(line))


_PUBLISHED_LABEL = regex.compile(
    r"\b(?:ngày\s*(?:đăng|xuất\s*bản)|đăng\s*(?:lúc|ngày|tải)|thời\s*gian\s*đăng|xuất\s*bản|published|posted)\b",
    regex.IGNORECASE,
)


def is_labelled(line: str) -> bool:
    """A stamp that says it is the publication date ("Ngày đăng: ...", "Đăng lúc ...")."""
    return bool(_PUBLISHED_LABEL.search(line))


def has_stamp(line: str) -> bool:
    """A full date with a year and a clock time somewhere in the line (a dateline glued to a
    byline: "Thanh Hà | 19/04/2016 19:00"); headlines carry dates, rarely clock times."""
    m = _DATE.search(line)
    if m is None or not (m.group("y") or m.group("iy") or m.group("wy")):
        return False
    rest = line[: m.start()] + " " + line[m.end() :]
    return bool(_TIME.search(rest))
