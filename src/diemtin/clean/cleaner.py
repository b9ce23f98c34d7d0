"""Clean stage: raw scraped text -> the journalist's text only.

Plain-text dumps keep no DOM, so boilerplate is recognised from what lines and blocks look
like, not from where they sat in a page:

* line shape: sentence (ends with . ! ? …, or long), title-like (no final period),
  short label, bare timestamp, truncated snippet (``…``), caption (``- Hình 2``,
  ``Ảnh: AFP``, ``(Nguồn: …)``), byline, source credit;
* block shape: related / most-read lists are runs of items (title, often doubled, category,
  timestamp far from the story, lead snippet). A run with repeated item structure is dropped
  whole; runs of 3+ title-like lines are link lists;
* position: what follows the last body paragraph, and everything after a section marker
  ("Tin liên quan", "Xem nhiều" ...) once no body paragraphs follow it;
* topic: lines sharing no vocabulary with the article (title + body syllable bigrams) are
  cheaper to drop in ambiguous places.

* link and credit shapes: a link marker (``>>``, ``»``, ``▶``) before a headline; a byline glued
  to a source credit ("Thu Hằng | Theo Tổ Quốc", "Ngọc Mai/VOV-Châu Âu"); captions whose credit
  describes the picture ("Ảnh chụp màn hình", "(Ảnh minh họa)"); a line quoting the article's
  own headline ("Bạn đang đọc bài viết "<title>" ..."); reader-addressed contact boilerplate
  (reader words *and* an e-mail/hotline);
* partial lines: a site/place tag before the lead ("VOV.VN - ", "(Dân trí) - ") is cut and
  logged in ``meta["stripped"]``.

A few generic cue phrases (follow/share/feedback/section labels) help, but every decision that
could remove real text goes through the features above. Isolated title-like lines between body
paragraphs are kept: they are subheadings, or headlines of a second article concatenated into
the same dump, and their paragraphs are body text.

Decisions where the issue was silent (see tests/fixtures/boilerplate/README.md):
source credits such as "(theo Sputnik, AFP)" and bylines are dropped from ``text`` (the byline
fills ``article.author`` when unknown, credits go to ``article.meta["credit"]``); a page made of
full-sentence leads of related articles is kept (its lines are on-topic sentences, and a page
cut into one sentence per line looks exactly like that).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from diemtin.clean.dateline import find_publication_date
from diemtin.clean.repair import fix_dotted_words, is_syllable, normalize_line, strip_prefix, undouble
from diemtin.lang.dates import WEEKDAY_STAMP_PATTERN
from diemtin.model import Article, Cluster, RemovedLine

# ---------------------------------------------------------------------------- line patterns

_WEEKDAY = WEEKDAY_STAMP_PATTERN
_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?|\d{4}-\d{2}-\d{2}"
_TIME = r"\d{1,2}\s*[:h]\s*\d{2}(?:\s*:\s*\d{2})?(?:\s*(?:am|pm|sa|ch))?"
# A line that is only a date/time (plus weekday, GMT, separators): list timestamps, datelines.
_TIMESTAMP = regex.compile(
    rf"""^[\s|,\-–(]*(?:(?:{_WEEKDAY}|ngày|lúc|cập\s*nhật|đăng|gmt\s*[+-]\s*\d+|{_DATE}|{_TIME})[\s|,\-–:()]*)+$""",
    regex.I | regex.V1,
)
_RELATIVE_TIME = regex.compile(
    r"^\d+\s*(?:giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)\s*trước$|^(?:hôm\s*qua|vừa\s*xong|mới\s*đây)$",
    regex.I,
)
# "Znews - 8 giờ trước", "VTC News | 10/1/2022": an aggregator's source + time line.
_SOURCE_TIME = regex.compile(r"^[\p{L}\d .]{2,30}\s[-|–·]\s(.+)$")
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")

# Image alt text left by the scraper: "<title> - Hình 2", "Ảnh 1", "Photo 3".
_IMAGE_MARKER = regex.compile(r"(?:^|\s[-–]\s*)(?:hình|ảnh|photo|image)\s*\d{1,2}$", regex.I)
# Captions end with a photo/source credit: "Ảnh: AFP/TTXVN", "Ảnh Reuters", "(Nguồn: X)", "- Ảnh: NASA".
_CREDIT_TAIL = regex.compile(
    r"""(?:^|[.!?”"')]\s*|\s[-–]\s*|\s)\(?\s*(?i:Ảnh|Nguồn|Đồ\s*họa|Photo|Video|Clip|Infographic)
        (?:\s*minh\s*họa)?\s*[:.]?\s*[^\s.!?][^.!?]{0,45}\)?\.?\s*$""",
    regex.X | regex.V1,
)
_CREDIT_HEAD = regex.compile(
    r"^\W*(?:Ảnh|Nguồn|Đồ\s*họa|Photo|Video|Clip|Infographic)(?:\s*minh\s*họa)?\s*[:.]?\s*", regex.I
)
_CREDIT_BODY = regex.compile(r"^[\p{Lu}\d][\p{L}\d.&'’\-/ ,]*$")
# Credits that describe the picture instead of naming a source ("Ảnh chụp màn hình", "(Ảnh minh
# họa)", "Ảnh cắt từ clip", "Ảnh: Internet"). Only with a capital "Ảnh" after a sentence end, a
# dash or a bracket: "gửi cho tôi ảnh chụp màn hình." is a sentence.
_CREDIT_DESC = regex.compile(
    r"""(?:^|[.!?”"')]\s*|\s[-–]\s*|\(\s*)(?:Ảnh|ẢNH|Hình|HÌNH|Video|Clip)\s*[:.]?\s*
        (?i:chụp\s*(?:màn\s*hình|(?:lại\s*)?từ\s*\p{L}+(?:\s+\p{L}+){0,3})
           |cắt\s*từ\s*(?:video|clip)(?:\s+\p{L}+){0,3}
           |minh\s*họa|minh\s*hoạ|tư\s*liệu|internet|nguồn\s*internet|mạng\s*xã\s*hội|mxh|nvcc
           |(?:do\s*)?(?:gia\s*đình|nhân\s*vật|người\s*dân|bạn\s*đọc)\s*cung\s*cấp|trên\s*mạng)
        \s*\)?\.?\s*$""",
    regex.X | regex.V1,
)
# A link to another story: a marker then a headline (">> Tiêu đề", "» Tiêu đề", "▶ Tiêu đề").
_LINK_MARKER = regex.compile(r"^(?:>>+|»+|›+|→|⇒|➤|➜|▶|►|▸|⏩|\+\+)\s*(?=\S)")
# Reader-facing contact boilerplate: addresses the reader *and* gives a contact.
_READER = regex.compile(
    r"(?:vui\s+lòng|quý\s+(?:độc\s+giả|bạn\s+đọc|vị)|bạn\s+đọc|góp\s+ý|bạn\s+đang\s+(?:đọc|xem))", regex.I
)
_CONTACT = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b(?:sđt|hotline|điện\s+thoại|email|e-mail)\b", regex.I)
# A reader invitation to other content: "Mời bạn đọc xem thêm video được quan tâm:", "Mời quý vị
# theo dõi clip:", "Mời độc giả đón đọc ...". Addressed to the reader *and* a viewing/reading verb;
# it introduces links, so it is also a section label. (A journalist writes "Mời ông ... phát biểu".)
_INVITE = regex.compile(
    r"""^(?:\W*)(?:mời|kính\s+mời)\s+(?:(?:quý\s+)?(?:bạn\s+đọc|độc\s+giả|khán\s+giả|thính\s+giả)|quý\s+vị|các\s+bạn|bạn)
        (?:\s+(?:cùng|hãy))?\s+(?:xem|theo\s+dõi|đón\s+(?:đọc|xem|nghe)|đọc|nghe|thưởng\s+thức|click|bấm|nhấn)\b""",
    regex.I | regex.X,
)
# A tag/label line: a short label, a colon, then a short list of short items ("Sự kiện: Tin tức
# trong ngày, Nga - Ukraine", "Chủ đề nóng: A, B, C"). Bodies have such lines too (ingredients,
# line-ups), so it is only dropped outside the body (header zone, after the last paragraph).
_TAG_LINE = regex.compile(r"^\p{Lu}[\p{L} ]{1,18}:\s*(?P<items>[^!?…;]{2,}(?:\s*[,|;]\s*[^!?…;]*){1,12})$", regex.V1)
# A source credit line: "(theo Sputnik, AFP)", "Theo Reuters", "Nguồn: VnExpress".
_SOURCE_CREDIT = regex.compile(
    r"^\(?\s*(?:theo|nguồn|nguồn tin|tổng hợp)\s*:?\s+(.{2,60}?|(?:https?://|www\.)\S+)\s*\)?\.?$", regex.I
)

# Generic chrome cue phrases. Only short lines are tested against them.
_CUE = regex.compile(
    r"""^(?:
        theo\s+dõi\b.{0,40}\btrên\b.{0,20}
      | (?:bạn|quý\s+vị)\s+(?:thấy|đánh\s+giá).{0,40}(?:hữu\s+ích|thế\s+nào).{0,10}
      | (?:video|clip|podcast|emagazine|infographic|longform)\b.{0,25}
      | (?:video|clip|ảnh|infographic)\s*:.{3,160}
      | \d+\s*phút\s*đọc
      | (?:chia\s+sẻ|share|like|thích|bình\s+luận|gửi\s+bình\s+luận|lưu\s+bài|lưu\s+lại|in\s+bài|gửi\s+bài|
           báo\s+lỗi|copy\s+link|sao\s+chép|tweet|email|zalo|facebook|messenger)\b[\s:()\d/+|\p{P}]*(?:\p{L}+\s*){0,3}
      | (?:\d+\s+)?(?:bình\s+luận|lượt\s+xem|lượt\s+thích|chia\s+sẻ)\s*(?:\(\d+\))?
      | quảng\s+cáo.{0,30} | (?:liên\s+hệ|đặt)\s+quảng\s+cáo.{0,40} | advertisement | sponsored
      | phiên\s+bản\s+(?:di\s+động|mobile|web).{0,20} | xem\s+phiên\s+bản.{0,20}
      | (?:trở\s+về|về)\s+(?:đầu\s+trang|trang\s+chủ) | trang\s+chủ\b.{0,60}
      | đăng\s+(?:nhập|ký|kí)(?:\s*[/|]\s*đăng\s+(?:nhập|ký|kí))?(?:\s+(?:tài\s+khoản|nhận\s+tin|ngay))?
      | (?:từ\s+khóa|từ\s+khoá|tags?|chủ\s+đề)\s*:.{0,120}
      | (?:xem|đọc)\s+(?:thêm|tiếp|nhiều|ngay|chi\s+tiết|toàn\s+bộ|bài\s+gốc)\b.{0,120}
      | (?:tin|bài|bài\s+viết|video|tin\s+bài|tin\s+tức)\s+(?:liên\s+quan|cùng\s+(?:chuyên|danh)\s+mục|cùng\s+chủ\s+đề|
           cùng\s+sự\s+kiện|cùng\s+loạt\s+bài|khác|mới|mới\s+nhất|
           nổi\s+bật|đang\s+nóng|xem\s+nhiều|đọc\s+nhiều|được\s+quan\s+tâm|hot|hay|đề\s+xuất|gợi\s+ý|cùng\s+tác\s+giả)\b.{0,30}
      | (?:bài\s+viết|tin\s+tức)?\s*cùng\s+(?:chủ\s+đề|chuyên\s+mục).{0,20}
      | tiêu\s+điểm | mới\s+nhất | nổi\s+bật | đọc\s+nhiều | xem\s+nhiều
      | có\s+thể\s+bạn\s+(?:quan\s+tâm|thích).{0,10}
      | (?:©|\(c\)|bản\s+quyền|copyright|ghi\s+rõ\s+nguồn|giấy\s+phép|cơ\s+quan\s+chủ\s+quản|tổng\s+biên\s+tập|
           hotline|đường\s+dây\s+nóng|tòa\s+soạn|toà\s+soạn).{0,160}
      | (?:có|không)\s*;? | ý\s+kiến\s+của\s+bạn.{0,20} | top\s+\d+.{0,10}
    )$""",
    regex.I | regex.X | regex.V1,
)
_LONG_CUE_START = {
    *"xem đọc video clip ảnh infographic bạn quý bản copyright hotline đường tòa toà cơ ghi tổng".split(),
    *"liên từ tags tag chủ tin bài theo".split(),
    "",
}
_SECTION = regex.compile(
    r"""(?:liên\s+quan|cùng\s+(?:chủ\s+đề|chuyên\s+mục|danh\s+mục|sự\s+kiện|loạt\s+bài)|xem\s+nhiều|đọc\s+nhiều|đọc\s+thêm|xem\s+thêm|mới\s+nhất|
        tiêu\s+điểm|đang\s+nóng|nổi\s+bật|quan\s+tâm|tin\s+khác|tin\s+mới|đề\s+xuất|gợi\s+ý)""",
    regex.I | regex.X,
)

_BREADCRUMB = regex.compile(r"\s[›»>/|]\s")
_MENU_STOP = regex.compile(r"[:(’']|\d\s*[-–]\s*\d")  # scores, "Bàn thắng:", "(81')" are content, not menus
_BULLET = regex.compile(r"^(?:[-–•+*▪●]\s|\d{1,2}[.)]\s|[a-zđ][.)]\s)")
_NAME_WORD = regex.compile(r"^\p{Lu}[\p{Ll}]*\.?$")


@dataclass
class _Line:
    idx: int  # 0-based line number in raw_text
    raw: str
    text: str
    n: int  # words
    kind: str  # S sentence, H title-like, L short label, T timestamp, X truncated snippet
    doubled: bool = False
    reason: str | None = None  # set when dropped
    cue: bool = False
    section: bool = False
    image: bool = False
    _bg: set[tuple[str, str]] | None = None

    @property
    def bigrams(self) -> set[tuple[str, str]]:
        if self._bg is None:
            self._bg = _bigrams(_words(self.text))
        return self._bg


_CLOSERS = "\"”’'»)]"


def _kind(text: str, n: int) -> str:
    if n <= 10 and (_TIMESTAMP.match(text) or _RELATIVE_TIME.match(text)):
        return "T"
    if (
        n <= 12
        and (m := _SOURCE_TIME.match(text))
        and (_TIMESTAMP.match(m.group(1)) or _RELATIVE_TIME.match(m.group(1)))
    ):
        return "T"
    core = text.rstrip(_CLOSERS)
    if 6 <= n < 60 and core.endswith(("...", "…")):
        return "X"  # a snippet; a 100-word line ending with "..." is a paragraph
    if core.endswith((".", "!", "…", ":", ";")):
        return "S" if n >= 4 else "L"
    if n >= 25 or (n >= 15 and text.count(",") >= 2):
        return "S"  # a long or clause-laden line is body text even when its final period was cut
    return "L" if n <= 4 else "H"


_PUNCT = "\"”“’‘'»«()[]{}.,;:!?…-–—/|*"


def _words(text: str) -> list[str]:
    return [w for w in (t.strip(_PUNCT) for t in text.lower().split()) if w]


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


_CREDIT_WORDS = ("Ảnh", "ẢNH", "Nguồn", "NGUỒN", "họa", "Photo", "PHOTO", "Video", "Clip", "Infographic")
_CREDIT_WORDS += ("Hình", "HÌNH")


def _is_caption(text: str, n: int) -> bool:
    if n > 60 or not any(w in text for w in _CREDIT_WORDS):
        return False
    if _CREDIT_DESC.search(text):
        return True
    m = _CREDIT_TAIL.search(text)
    if not m:
        return False
    credit = _CREDIT_HEAD.sub("", m.group(0).strip(" ()-–.")).strip(" ().")
    # The credit names a source: short, capitalised tokens (AFP/TTXVN, Ngọc Thắng, NI) or "minh họa".
    return (not credit or len(credit.split()) <= 6) and (not credit or bool(_CREDIT_BODY.match(credit)))


def _is_name(text: str) -> bool:
    """Byline shape: 2-5 capitalised words (or an all-caps short form), nothing else."""
    parts = [p for p in regex.split(r"\s*[-–,&/]\s*|\s+", text.strip("() ")) if p]
    if not 1 <= len(parts) <= 6:
        return False
    if len(parts) == 1:  # "PV", "CTV", "V.Dũng"
        return bool(regex.fullmatch(r"\p{Lu}{2,6}|(?:\p{Lu}\.){1,2}\s?\p{Lu}\p{Ll}+", parts[0]))
    return all(_NAME_WORD.match(p) or regex.fullmatch(r"\p{Lu}{2,6}", p) for p in parts)


_URL = regex.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org)(?:/\S*)?$", regex.I)
# A compiler's note after a byline: "Minh Anh (Tổng hợp)", "Lê Vy (lược dịch)".
_COMPILED = regex.compile(
    r"^(?:tổng\s+hợp|th|lược\s+dịch|dịch|biên\s+dịch|biên\s+soạn|tổng\s+hợp\s+và\s+dịch)$", regex.I
)


def _tag_line(text: str, n: int) -> bool:
    """ "Sự kiện: A, B, C": a short label, then >= 2 short items (<= 6 words, no sentence end)."""
    if n > 30 or ":" not in text:
        return False
    m = _TAG_LINE.match(text)
    if not m:
        return False
    if ". " in m.group("items") or text.endswith("."):
        return False  # sentences inside: a body line ("Lưu ý: ... Ví dụ, ...")
    items = [x for x in regex.split(r"\s*[,|;]\s*", m.group("items")) if x.strip()]
    return len(items) >= 2 and all(len(x.split()) <= 6 for x in items)


def _masthead(text: str, first: bool) -> bool:
    """A site name shaped like a byline: brand-shaped (a token that is no Vietnamese syllable and
    no initial: "VTC News", "24H", "Zing.vn") or, on the page's first line, all caps ("TIỀN PHONG").
    Vietnamese personal names are made of syllables, and bylines are not the first line of a page."""
    words = text.split()
    if first and len(words) >= 2 and text.isupper():
        return True
    for w in regex.split(r"[\s.,()]+", text):  # "V.Dũng": an initial and a syllable
        if len(w) >= 3 and not w.isupper() and not is_syllable(w):
            return True  # "News", "VnExpress": a brand, not a Vietnamese name
        if any(c.isdigit() for c in w):
            return True
    return False


def _source_credit(text: str) -> str | None:
    m = _SOURCE_CREDIT.match(text)
    if not m:
        return None
    if _URL.match(m.group(1)):  # "Nguồn: https://site.vn/bai-viet.html": a credit, not a sentence
        return m.group(1)
    names = [p for p in regex.split(r"\s*[,;/&]\s*|\s+(?:và|and)\s+|\s+[-–]\s+", m.group(1)) if p]
    if names and all(regex.match(r"^[\p{Lu}\d]", p) for p in names):
        return m.group(1)
    return None


_CREDIT_SPLIT = regex.compile(r"\s*[|/]\s*|\s+[-–]\s+|\s*[()]\s*")


def _credit_line(text: str, n: int) -> tuple[str | None, str | None] | None:
    """A byline glued to a source credit: "Thu Hằng | Theo Tổ Quốc", "Minh Anh (Theo Reuters)",
    "Ngọc Mai/VOV-Châu Âu", "Theo AFP - Minh Anh". Returns (author, credit), or None.

    Every part must be a name (capitalised words, short all-caps forms) or a "Theo X" credit,
    so a sentence never qualifies; a line of names only needs a "|" or "/" between them.
    """
    if n > 14 or text.endswith((".", "?", "!", ":")) and not text.endswith(")."):
        return None
    parts = [p for p in _CREDIT_SPLIT.split(text.rstrip(".")) if p.strip()]
    if len(parts) < 2:
        return None
    author = credit = None
    compiled = False
    for part in parts:
        c = _source_credit(part)
        if c is not None:
            credit = credit or c
        elif _COMPILED.match(part.strip()):
            compiled = True
        elif _is_name(part):
            author = author or part
        else:
            return None
    if credit is None and not compiled and not regex.search(r"[|/]", text):
        return None
    return author, credit


def _link_line(text: str) -> bool:
    """ ">> Tiêu đề bài khác": a link marker followed by a headline (no final period)."""
    m = _LINK_MARKER.match(text)
    if not m:
        return False
    rest = text[m.end() :]
    return 3 <= len(rest.split()) <= 30 and not rest.rstrip(_CLOSERS).endswith((".", ";"))


_CONTACT_HINTS = ("@", "otline", "OTLINE", "SĐT", "sđt", "điện thoại", "mail")


def _contact_chrome(text: str) -> bool:
    # Substring pre-check first: the regexes cost more than the rest of the line tests together.
    return any(h in text for h in _CONTACT_HINTS) and bool(_CONTACT.search(text)) and bool(_READER.search(text))


def _self_reference(text: str, title: str) -> bool:
    """A line quoting the article's own headline inside other words ("Bạn đang đọc bài viết
    "<title>" tại chuyên mục ..."): page furniture; a journalist does not quote their headline."""
    if len(title) < 20 or len(text) <= len(title) + 10 or not any(q in text for q in "\"“'‘«"):
        return False
    at = text.casefold().find(title)
    return at > 0 and text[at - 1] in "\"“'‘«"


# --------------------------------------------------------------------------------- cleaner


def _prepare(article: Article) -> list[_Line]:
    lines: list[_Line] = []
    for i, raw in enumerate(article.raw_text.split("\n")):
        text = fix_dotted_words(normalize_line(raw))
        if not text:
            continue
        single = undouble(text)
        n = len(text.split()) if single == text else len(single.split())
        ln = _Line(i, raw, single, n, _kind(single, n), doubled=single != text)
        # Long cue lines ("Xem thêm: <headline>") start with one of a few words; test only those.
        short = ln.n <= 10 or (ln.n <= 30 and single.split(None, 1)[0].lower().strip("©:(") in _LONG_CUE_START)
        ln.cue = short and len(single) <= 200 and bool(_CUE.match(single))
        ln.section = ln.cue and ln.n <= 7 and bool(_SECTION.search(single))
        if ln.n <= 40 and single[:1] in "MmKk" and _INVITE.match(single):
            ln.cue = ln.section = True  # "Mời bạn đọc xem thêm video ...:" introduces links
        ln.image = ln.kind != "S" and single[-1:].isdigit() and bool(_IMAGE_MARKER.search(single))
        lines.append(ln)
    # Doubling: the same text on two neighbouring lines (related-list titles are printed twice).
    for a, b in zip(lines, lines[1:], strict=False):
        if a.text == b.text:
            a.doubled = b.doubled = True
    return lines


def _byline_place(lines: list[_Line], k: int, first_body: int) -> bool:
    """Where a bare name is a byline: above the body, in the last lines, or closing the body
    right before page furniture ("Bình luận", "Tin liên quan")."""
    if k < first_body or k >= len(lines) - 3:
        return True
    return k + 1 < len(lines) and lines[k + 1].cue and lines[k - 1].kind == "S"


def _drop(ln: _Line, reason: str) -> None:
    if ln.reason is None:
        ln.reason = reason


def _ended(ln: _Line) -> bool:
    return ln.text.rstrip(_CLOSERS).endswith((".", "!", "?", "…"))


def _body_pair(a: _Line, b: _Line) -> bool:
    """Two sentences in a row: both long, or a paragraph and a short sentence ending with a
    period ("Cảnh sát đang mở rộng điều tra."). List items alternate title / snippet instead."""
    if a.kind != "S" or b.kind != "S" or min(a.n, b.n) < 4 or max(a.n, b.n) < 10:
        return False
    return min(a.n, b.n) >= 10 or (_ended(a) and _ended(b))


def _mark_lists(lines: list[_Line]) -> None:
    """Drop blocks shaped like link lists: items with timestamps, doubled titles, snippets."""
    # Truncated snippets ("…") are no evidence on their own: body sentences end with "…" too.
    evid = [ln.kind == "T" or ln.doubled or ln.section for ln in lines]
    i, n = 0, len(lines)
    # Lines already dropped (the page's own headline is often sentence-shaped) do not start the body.
    # A sapo may end with "..." (kind X) like a snippet; after the header stamps it is the lead.
    first_body = next((k for k, ln in enumerate(lines) if ln.kind in "SX" and ln.n >= 8 and not ln.reason), n)
    while i < n:
        if not evid[i]:
            i += 1
            continue
        j = i
        k = i + 1
        prev = lines[i]
        while k < n and k - j <= 4:  # gaps of up to 3 item lines (title, category, snippet)
            if evid[k]:
                j = k
            elif lines[k].reason in _TRANSPARENT:
                k += 1
                continue  # a caption between two paragraphs does not separate them
            elif _body_pair(prev, lines[k]):
                break  # two sentence paragraphs in a row are body, not one item: the block ends here
            prev = lines[k]
            k += 1
        block = lines[i : j + 1]
        items = sum(ln.kind == "T" for ln in block) + sum(ln.doubled for ln in block) // 2
        items += sum(ln.kind == "X" for ln in block) + sum(ln.section for ln in block)
        if sum(evid[i : j + 1]) >= 2 and items >= 2:
            is_list = sum(ln.kind == "T" for ln in block) >= 2 or sum(ln.doubled for ln in block) >= 3
            start = i
            # The item title(s)/section labels just before the first anchor belong to the list --
            # unless the anchor is a label: it opens the box, and what precedes it is body.
            while start > 0 and i - start < 3 and lines[start - 1].kind in "HL" and not lines[i].section:
                if lines[start - 1].reason:
                    break
                start -= 1
            end = j
            if end + 1 == first_body:
                pass  # header stamps (date, audio player "00:00") are followed by the lead, not a snippet
            elif is_list and end + 1 < n and lines[end].kind in "T" and lines[end + 1].kind in "SX":
                end += 1  # the last item's lead snippet
            elif is_list and end + 1 < n and lines[end].doubled and lines[end + 1].kind in "SX":
                end += 1
            for ln in lines[start : end + 1]:
                if ln.kind == "S" and ln.n >= 10 and not is_list:
                    continue  # a header block (date + share buttons) must not eat the lead
                _drop(ln, "list")
            i = end + 1
        else:
            i += 1


class Vocab:
    """Bigram -> number of body lines (title counts twice) using it; built on first use,
    since most articles never need a topic decision (keeps cleaning > 1,000 articles/s)."""

    def __init__(self, article: Article, lines: list[_Line]) -> None:
        self._article, self._lines = article, lines
        self._counts: Counter[tuple[str, str]] | None = None

    def counts(self) -> Counter[tuple[str, str]]:
        if self._counts is None:
            c: Counter[tuple[str, str]] = Counter()
            title = _bigrams(_words(self._article.title))
            c.update(title)
            c.update(title)
            for ln in self._lines:
                if ln.reason is None and ln.kind == "S" and ln.n >= 8:
                    c.update(ln.bigrams)
            self._counts = c
        return self._counts


def _on_topic(ln: _Line, vocab: Vocab) -> bool:
    """A quarter of the line's bigrams also occur in the title or in another body line."""
    bg = ln.bigrams
    if not bg:
        return False
    counts = vocab.counts()
    own = 1 if ln.reason is None and ln.kind == "S" and ln.n >= 8 else 0
    shared = sum(1 for b in bg if counts[b] - own >= 1)
    return shared / len(bg) >= 0.25


def _clean_lines(article: Article, lines: list[_Line]) -> None:
    title = normalize_line(article.title).casefold()
    n = len(lines)
    # The page's own headline (often sentence-shaped) is not the start of the body.
    is_title = [bool(title) and ln.text.casefold() == title for ln in lines]
    first_body = next((k for k, ln in enumerate(lines) if ln.kind == "S" and ln.n >= 8 and not is_title[k]), 0)
    last_body = max((k for k, ln in enumerate(lines) if ln.kind == "S" and ln.n >= 8), default=n)
    title_at = is_title.index(True) if any(is_title) else -1
    for k, ln in enumerate(lines):
        t = ln.text
        if ln.cue:
            _drop(ln, "chrome")
        elif ln.kind == "T":
            _drop(ln, "timestamp")
        elif ln.image:
            _drop(ln, "image")
        elif (pair := _credit_line(t, ln.n)) is not None:  # before captions: "Tên (Nguồn: X)" is a byline
            _drop(ln, "credit")
            if pair[0] and article.author is None:
                article.author = pair[0]
            if pair[1]:
                article.meta.setdefault("credit", pair[1])
        elif _is_caption(t, ln.n):
            _drop(ln, "caption")
        elif title and t.casefold() == title:
            _drop(ln, "title")
        elif (credit := _source_credit(t)) is not None:
            _drop(ln, "credit")
            article.meta.setdefault("credit", credit)
        elif ln.kind in "LH" and ln.n <= 5 and _is_name(t) and _byline_place(lines, k, first_body):
            # Above the headline, or brand-shaped: the site's name, not the journalist's.
            if k < title_at or _masthead(t, k == 0):
                _drop(ln, "masthead")
            else:
                _drop(ln, "byline")
                if article.author is None:
                    article.author = t
        elif (k < first_body or k > last_body) and ln.kind in "LH" and _tag_line(t, ln.n):
            _drop(ln, "tags")
        elif ln.kind in "HLX" and _link_line(t):
            _drop(ln, "link")
        elif title and _self_reference(t, title):
            _drop(ln, "chrome")
        elif ln.n <= 80 and _contact_chrome(t):
            _drop(ln, "chrome")
    # Captions are often printed twice: once with the credit, once without.
    for k, ln in enumerate(lines):
        if ln.reason == "caption":
            for other in lines[max(0, k - 3) : k + 4]:
                if other is ln or other.reason is not None or len(other.text) < 20:
                    continue
                if ln.text.startswith(other.text):
                    _drop(other, "caption")
        # A title-like line right after a bare image marker is the image's link (related article).
        if ln.reason == "image" and k + 1 < n:
            nxt = lines[k + 1]
            if nxt.kind == "H" and nxt.n >= 10 and nxt.reason is None:
                _drop(nxt, "image-link")
    # Header zone: before the first body sentence, short lines are menus and breadcrumbs.
    head = [ln for ln in lines[:first_body] if ln.reason is None]
    menu = [
        ln
        for ln in head
        if ln.kind == "T"
        or (ln.kind in "LH" and (ln.n <= 6 or _BREADCRUMB.search(ln.text)) and not _MENU_STOP.search(ln.text))
    ]
    if len(menu) >= 2 or any(_BREADCRUMB.search(ln.text) for ln in menu):
        for ln in menu:
            _drop(ln, "menu")
    # A title-like line that is the start of another line: a caption/teaser copied from the body.
    by_start: dict[str, list[str]] = {}
    for ln in lines:
        # Only body lines count: "<headline> - Hình 1" repeats a headline on purpose, and a
        # caption quoting a subheading does not make the subheading a copy.
        if ln.reason is None:
            by_start.setdefault(ln.text[:20], []).append(ln.text)
    for ln in lines:
        if ln.reason is None and ln.kind == "H" and ln.n >= 6 and not _BULLET.match(ln.text):
            if any(t != ln.text and t.startswith(ln.text) for t in by_start.get(ln.text[:20], ())):
                _drop(ln, "fragment")
    # Repeated lines: keep the first.
    for a, b in zip(lines, lines[1:], strict=False):
        if a.text == b.text and b.reason is None:
            _drop(b, "duplicate")
    _mark_lists(lines)
    vocab = Vocab(article, lines)
    # Runs of 3+ headline-sized title-like lines with no sentence between them are link lists
    # when a section label introduces them or most are off-topic. (Bodies have lists too:
    # symptoms, line-ups, criteria -- short items, on-topic, no label.)
    run: list[_Line] = []
    for k, ln in enumerate([*lines, None]):
        if ln is not None and ln.kind in "HLX" and ln.reason is None and not _BULLET.match(ln.text):
            run.append(ln)
            continue
        heads = [r for r in run if r.kind != "L"]
        before = k - len(run) - 1
        labelled = before >= 0 and lines[before].section
        # Under a section label ("Tin liên quan:") even one or two headlines are links.
        if heads and labelled and sum(r.n for r in heads) / len(heads) >= 5:
            for r in run:
                _drop(r, "link-list")
        elif len(heads) >= 3 and sum(r.n for r in heads) / len(heads) >= 7:
            off = sum(not _on_topic(r, vocab) for r in heads)
            if off * 2 > len(heads):
                for r in run:
                    _drop(r, "link-list")
        run = []
    # After a section marker, when no body paragraph (two sentences in a row) follows, it is all noise.
    for k, ln in enumerate(lines):
        if ln.section or (ln.reason == "list" and ln.kind in "HL" and ln.n <= 6):
            rest = lines[k + 1 :]
            if not _has_body_run(rest, vocab):
                for r in lines[k:]:
                    _drop(r, "tail")
                break
    # Tail debris: title-like lines after the last body sentence, unless on-topic.
    last = max((k for k, ln in enumerate(lines) if ln.reason is None and ln.kind == "S"), default=-1)
    for ln in lines[last + 1 :]:
        if ln.reason is None and ln.kind in "HLXT" and ln.n <= 15 and not _on_topic(ln, vocab):
            if ln.kind == "L" and ln.text.rstrip(_CLOSERS).endswith((".", "!", "…")):
                continue  # "Hết giờ." is a sentence, however short
            _drop(ln, "tail")
    # Short leftovers wedged between dropped lines ("Có;", "Không", category names).
    for k, ln in enumerate(lines):
        if ln.reason is None and ln.kind in "LH" and ln.n <= 6:
            prev = lines[k - 1].reason if k > 0 else "start"
            nxt = lines[k + 1].reason if k + 1 < n else "end"
            if prev and nxt and not (prev == "start" and nxt == "end"):
                _drop(ln, "chrome")


_TRANSPARENT = {"chrome", "caption", "image", "image-link", "link"}


def _has_body_run(rest: list[_Line], vocab: Vocab) -> bool:
    """Two sentence paragraphs in a row (nothing between them): body resumes after a list.

    List items alternate title / snippet, so two adjacent sentences are the body's shape. Topic
    overlap is only a tie-breaker for short ones: long paragraphs share few bigrams with the rest
    of an article even when they are on topic.
    """
    prev = prev_sent = False
    for ln in rest:
        if ln.reason in _TRANSPARENT:
            continue  # an inline link or caption between two paragraphs does not split them
        if prev_sent and ln.reason in ("byline", "credit"):
            return True  # a paragraph signed off by a byline is the end of the body, not a list item
        # Headlines never end with a period; a short "?"/"!" line may be one, so it needs the topic.
        # An unended line must be long (25 words, as in _kind) to count on its own: headlines with
        # commas ("Cục X: Khẩn trương nhập lương thực, vật tư, bảo quản ...") reach 20 words.
        ended = ln.text.rstrip(_CLOSERS).endswith(".")
        ok = ln.reason is None and ln.kind == "S" and ln.n >= 10 and (ln.n >= 25 or ended or _on_topic(ln, vocab))
        # A short sentence ending with a period ("Cảnh sát đang mở rộng điều tra.") pairs with a
        # paragraph, and may close the body before the byline; snippets follow titles, not paragraphs.
        sent = ln.reason is None and ln.kind == "S" and ln.n >= 4 and ended
        if (ok and (prev or prev_sent)) or (sent and prev):
            return True
        prev, prev_sent = ok, ok or sent
    return False


def clean_article(article: Article) -> None:
    """Fill ``article.text`` (one paragraph per line) from ``raw_text``; log drops in ``removed``."""
    # Titles are obfuscated and padded like bodies; they are matched against lines below.
    article.title = fix_dotted_words(normalize_line(article.title))
    lines = _prepare(article)
    article.removed = []
    if article.published is None:
        found = find_publication_date(article.raw_text)
        if found:
            article.published, article.published_source = found[0], "dateline"
            for ln in lines:
                if ln.idx == found[1]:
                    _drop(ln, "dateline")
    _clean_lines(article, lines)
    kept = [ln for ln in lines if ln.reason is None]
    body = [ln.text for ln in kept]
    article.removed = [RemovedLine(ln.idx, ln.raw.strip(), ln.reason) for ln in lines if ln.reason]
    # Partial-line repair: a site/place tag glued before the lead ("VOV.VN - ", "(Dân trí) - ")
    # is not the journalist's sentence. The line stays; the cut is logged in meta["stripped"].
    stripped: list[dict[str, object]] = []
    if body:
        tag, rest = strip_prefix(body[0])
        if tag:
            body[0] = rest
            stripped.append({"line": kept[0].idx, "text": tag.strip(), "reason": "prefix"})
    if article.lead:
        lead = normalize_line(fix_dotted_words(article.lead))
        tag, lead = strip_prefix(lead)
        if tag:
            stripped.append({"line": None, "text": tag.strip(), "reason": "prefix"})
        if lead and not (body and body[0].startswith(lead[:50])):
            body.insert(0, lead)
    if stripped:
        article.meta["stripped"] = stripped
    article.text = "\n".join(body)


def clean_cluster(cluster: Cluster) -> None:
    for article in cluster.articles:
        clean_article(article)
