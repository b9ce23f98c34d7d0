"""Vietnamese date vocabulary and the one person-readable date formatter.

Language data only: the dates stage builds its patterns from these words, and every reader
(timeline, figures, render) prints dates with :func:`vn_date`. Dates are ISO 8601 / EDTF:
``2022-01-10``, ``2022-01``, ``2022``, ``2022-01-10/2022-01-14`` (a range), and ``XXXX`` for
a year that cannot be known (``XXXX-05-19``).
"""

from __future__ import annotations

import calendar

UNKNOWN_YEAR = "XXXX"  # EDTF "year unspecified"; never replaced by a number in arithmetic

# "thứ Hai" .. "thứ Bảy" (capitalised when a weekday: "thứ hai" is "second"), "chủ nhật".
WEEKDAYS: dict[str, int] = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5}
SUNDAY = 6
# The one weekday pattern: groups ``wd`` (a key of WEEKDAYS) and ``cn`` (Sunday).
WEEKDAY_PATTERN = r"(?:thứ\s+(?P<wd>hai|ba|tư|năm|sáu|bảy)|(?P<cn>chủ\s+nhật))"
# Digits also name weekdays: "thứ 2" is Monday.
WEEKDAY_CUE_PATTERN = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
# A page's date stamp spells them more loosely: "Thứ bẩy", "thứ2", "CN", "T2".
WEEKDAY_STAMP_PATTERN = r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|cn|t[2-7])"

NUMWORDS: dict[str, int] = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
}
NUMWORD_PATTERN = r"(?:\d{1,3}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi)"

# Parts of a day that may precede a date: "sáng 10/1", "rạng sáng nay".
DAY_PARTS = ("rạng sáng", "sáng", "trưa", "chiều", "tối", "đêm", "khuya")
# Words after which a bare "10/1" is a date ("hôm 12/1", "từ 10/1", "vào 10/1").
DATE_CUES = ("ngày", "hôm", "từ", "đến", "tới", "trước", "sau", "vào", "hết")

# Units after "3-4" that make it an amount, not a day/month: "từ 3-4 giờ" (never words that
# also follow dates: "ngày 5/8 người dân", "ngày 5/8 năm 2016").
MEASURE_WORDS = (
    "giờ", "tiếng", "phút", "giây", "km", "m", "cm", "mm", "kg", "tấn", "triệu", "tỷ", "tỉ", "nghìn", "ngàn",
    "trăm", "chục", "%",
)

# Vague quantities: "vài tháng sau" is some months later, not "next month".
VAGUE_QUANTITIES = ("vài", "mấy", "nhiều", "dăm", "các", "những", "ít")

# Parts of a month: qualifier -> (first day, last day); None = the month's last day.
MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "đầu": (1, 10), "thượng tuần": (1, 10),
    "giữa": (11, 20), "trung tuần": (11, 20),
    "cuối": (21, None), "hạ tuần": (21, None),
}
# Parts of a year: qualifier -> ((month, day), (month, day)).
YEAR_PARTS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "đầu": ((1, 1), (4, 30)),
    "giữa": ((5, 1), (8, 31)),
    "cuối": ((9, 1), (12, 31)),
}

# What a date in such context is not: the date of a reported event. Words in the clause before
# a date that make it a plan, forecast or deadline ("dự kiến ngày 30/6", "có thể đến giữa năm
# 2017"), and words that open a date expression and make it a bound ("trước 30/4/2008").
FORECAST_CUES = (
    "dự kiến", "kế hoạch", "sẽ", "dự định", "dự báo", "có thể", "có khả năng", "mục tiêu", "phấn đấu",
    "hạn chót", "thời hạn", "chậm nhất", "muộn nhất", "ước tính", "định hướng", "tầm nhìn", "lộ trình",
)
BOUND_OPENERS = ("trước", "đến", "tới", "hết", "sau")
# Anywhere before a date in its sentence, these make it no evidence of when the text was written:
# a condition, a rule taking effect, a plan said earlier in the sentence ("tuyên bố sẽ ... tháng 11").
NOT_YET_CUES = FORECAST_CUES + ("nếu", "hiệu lực", "áp dụng", "thi hành")
# Words before a year that say it is over: "hồi năm 2015" (back in 2015) is not this year.
PAST_YEAR_CUES = ("hồi",)
# Context, not the sentence's event: "từ năm 2009" (a state since then), "như năm 1997",
# "từng ... năm 2013" (once), a year said in testimony or a forecast ("khai", "dự báo").
SINCE_CUES = ("từ", "kể từ", "từ sau")
COMPARISON_CUES = ("như", "giống", "so với", "kể cả", "hơn cả")
APPROXIMATE_CUES = ("khoảng", "chừng", "tầm", "cỡ", "độ")
EXPERIENCE_CUES = ("từng",)
STATEMENT_VERBS = (
    "khai", "khai nhận", "cho biết", "nói", "kể", "chia sẻ", "cho rằng", "nhận định", "đánh giá", "dự báo",
    "ước tính", "nhấn mạnh", "khẳng định", "thừa nhận", "bày tỏ", "nhớ lại", "tâm sự", "phát biểu",
)

# A date's role beside "when it happened" (``dates/roles.py``). A limit: a deadline or the end
# of a span ("báo cáo trước ngày 20/5", "chậm nhất ngày 6/7", "lưu hành đến hết 30/11"), not
# the day the sentence's act took place. Words anywhere in the date's clause before it:
DEADLINE_WORDS = ("chậm nhất", "muộn nhất", "trễ nhất", "hạn chót", "hạn cuối", "thời hạn", "hết hạn")
# Words right before the date (or opening its expression) that make it a bound wherever it stands:
LIMIT_BEFORE = ("trước", "hết")
# ... and words that make it the end of a span only after the clause's verb ("kéo dài đến
# 12/1"): heading the clause, "Đến ngày 29/4, Cục ban hành ..." dates the act.
SPAN_END_BEFORE = ("đến", "tới", "cho đến", "cho tới", "đến hết", "tới hết")
# Right before those: "tính đến hết tháng 6": as of then (a count made then), not a limit.
AS_OF_BEFORE = ("tính", "tính từ đầu năm", "lũy kế")
# A cited document's date ("theo Công văn số 6577/QLD-MP ngày 13/4/2015"): the date of the
# paper, not of the sentence's act; unless the sentence issues it ("ban hành Quyết định số
# 460/QĐ-TTg ngày 14/4/2022"): a verb of issuing a few words before the document's number.
ISSUING_VERBS = (
    "ban hành", "ký", "ký ban hành", "gửi", "phát hành", "công bố", "cấp", "có văn bản", "có công văn", "trình",
    "ra quyết định", "ra văn bản", "ra thông báo",
)
ISSUING_REACH = 8  # words between the verb of issuing and the document's number (its name)
# "hồi năm 2015" inside a clause that goes on ("được một người đào tẩu hồi năm 2015 cung cấp"):
# a recalled date describing a noun, not the clause's event. Heading or ending its clause it
# dates the act ("Hồi tháng 3, ...", "... tuyên bố hồi tháng 1."). Words that may follow the
# date and still end it ("hồi tháng 4 vừa qua"):
RECALL_CUES = ("hồi", "vào hồi")
RECALL_DATE_TAILS = ("vừa qua", "qua", "năm nay", "năm ngoái", "trước", "vừa rồi", "rồi")
# ... and words that, right after the date, open the clause's own predicate: the date stands
# between subject and verb ("Tổng thống Maduro hồi tháng 1 đã tuyên bố ..."), dating the act.
PREDICATE_OPENERS = ("đã", "đang", "sẽ", "vừa", "mới", "từng", "bị", "được", "cũng", "lại", "chính thức")

# Deictic words: relative unit steps ("tuần tới" +1, "năm ngoái" -1).
DEICTIC_STEPS: dict[str, int] = {"tới": 1, "sau": 1, "trước": -1, "qua": -1, "ngoái": -1, "này": 0, "nay": 0}
# Days from "now" of a day deictic's last word: "hôm qua" -1, "sáng nay" 0, "ngày mai" +1.
DAY_DEICTIC_STEPS: dict[str, int] = {"nay": 0, "qua": -1, "kia": -2, "mai": 1}


def _nums(part: str) -> list[str]:
    return part.split("-")


def _month_part_name(year: int | None, month: int, first: int, last: int) -> str:
    """"đầu" / "giữa" / "cuối" when days first..last are exactly that part of the month."""
    month_end = calendar.monthrange(year if year is not None else 2001, month)[1]
    for name in ("đầu", "giữa", "cuối"):
        a, b = MONTH_PARTS[name]
        if (a, b if b is not None else month_end) == (first, last):
            return name
    return ""


def _year_part_name(a: list[str], b: list[str]) -> str:
    """"đầu" / "giữa" / "cuối" when the range is exactly that part of one year."""
    for name, ((m1, d1), (m2, d2)) in YEAR_PARTS.items():
        if [int(x) for x in a[1:]] == [m1, d1] and [int(x) for x in b[1:]] == [m2, d2]:
            return name
    return ""


def _day_month(parts: list[str]) -> str:
    """["XXXX"|"2022", "01", "10"] -> "10/1" (day/month, no leading zeros)."""
    if len(parts) == 3:
        return f"{int(parts[2])}/{int(parts[1])}"
    return f"{int(parts[1])}"


def vn_date(iso: str, precision: str | None = None, words: bool = False) -> str:
    """ISO/EDTF date, month, year or range -> the way a Vietnamese reader writes it.

    ``words=False`` (a briefing's date column): ``10/1/2022``, ``1/2022``, ``2022``;
    ``words=True`` (inside a phrase): ``ngày 10/1/2022``, ``tháng 1/2022``, ``năm 2022``.
    A decade (``precision="decade"``) is ``thập niên 1990``; an unknown year (``XXXX``) is left
    out and said: ``19/5 (chưa rõ năm)``.
    """
    if "/" in iso:
        a, b = (_nums(x) for x in iso.split("/", 1))
        if len(a) != 3 or len(b) != 3:
            return iso
        if precision == "decade" and a[0].isdigit():
            return f"thập niên {a[0]}"
        if UNKNOWN_YEAR in (a[0], b[0]):
            if a[0] != b[0]:
                return iso
            if a[1] == b[1]:
                if part := _month_part_name(None, int(a[1]), int(a[2]), int(b[2])):
                    return f"{part} tháng {int(a[1])} (chưa rõ năm)"
                return f"{int(a[2])}–{int(b[2])}/{int(a[1])} (chưa rõ năm)"
            return f"{_day_month(a)}–{_day_month(b)} (chưa rõ năm)"
        if a[1:] == ["01", "01"] and b[1:] == ["12", "31"]:
            return a[0] if a[0] == b[0] else f"{a[0]}–{b[0]}"
        if a[0] == b[0] and a[1] == b[1]:
            part = _month_part_name(int(a[0]) if a[0].isdigit() else None, int(a[1]), int(a[2]), int(b[2]))
            if part:  # "giữa tháng 12/2021" is stored as 11–20/12: say it as it was written
                return f"{part} tháng {int(a[1])}/{a[0]}"
            return f"{int(a[2])}–{int(b[2])}/{int(a[1])}/{a[0]}"
        if a[0] == b[0] and (part := _year_part_name(a, b)):
            return f"{part} năm {a[0]}"
        if a[0] == b[0]:
            return f"{_day_month(a)}–{_day_month(b)}/{a[0]}"
        return f"{_day_month(a)}/{a[0]}–{_day_month(b)}/{b[0]}"
    parts = _nums(iso)
    if not all(p.isdigit() or p == UNKNOWN_YEAR for p in parts) or len(parts) > 3:
        return iso
    if parts[0] == UNKNOWN_YEAR:
        if len(parts) == 1:
            return "chưa rõ năm"
        if len(parts) == 2:
            return f"tháng {int(parts[1])} (chưa rõ năm)"
        return f"{'ngày ' if words else ''}{_day_month(parts)} (chưa rõ năm)"
    if len(parts) == 3:
        return f"{'ngày ' if words else ''}{_day_month(parts)}/{parts[0]}"
    if len(parts) == 2:
        return f"{'tháng ' if words else ''}{int(parts[1])}/{parts[0]}"
    return f"{'năm ' if words else ''}{parts[0]}"
