"""Clean stage: raw scraped text -> the journalist's text only.

How it runs (``clean_article``): lines are prepared once (``_make_line``: shape, cue, section,
stamp, body-line flags); the headline is recovered when the given title is page furniture
(``_recover_title``); the publication date is read from a dateline above the body
(``_find_dateline``); then ``LINE_RULES`` (one rule per line shape, first match decides) and
the block ``PASSES`` run in order over a ``_Page``. Every threshold is a named field of
``CleanConfig`` (defaults in ``DEFAULTS``). Cleaning is a function of the article's inputs, so
running it again changes nothing; ``_pass_settle`` makes the cleaned text a fixed point too.

Pages saved in DOM order (issue 8): a line of ``body_line_words`` words holding several
sentences is body whatever surrounds it (list, tail and menu passes cannot drop it); a title
that is a breadcrumb, a stamp or a share button -- or a plain headline sharing nothing with the
body while a line above the body sums it up (another story's headline printed first) -- goes
back to the lines, and the first headline above the body that shares its words (else the last
one that is no furniture and no related-box item) replaces it; the body starts below the
headline, and a short off-topic sentence above the header's stamp is a widget, not the lead;
above the header's last stamp/breadcrumb/headline, off-topic lines are furniture (``header``);
a stamp counts as the dateline only above the body (or right under the lead), and not when it
is an item of a related box (which ends at the headline, and whose items share one bullet
shape) or of an unlabelled headline/stamp list.

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
  listed in ``removed`` (reason ``prefix``) and in ``meta["stripped"]``.

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
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from diemtin.clean.dateline import dateline_marks, has_stamp, is_labelled, is_update, parse_dateline
from diemtin.clean.repair import fix_dotted_words, is_syllable, normalize_line, strip_prefix, undouble
from diemtin.lang.dates import WEEKDAY_STAMP_PATTERN
from diemtin.model import Article, Cluster, RemovedLine


@dataclass(frozen=True)
class CleanConfig:
    """Every threshold the cleaner compares against, named, with its default in one place.

    Word counts are whitespace tokens of a normalized line.
    """

    body_words: int = 8  # a sentence line this long starts the body (shorter: a label or a teaser)
    # A line this long holding this many sentences is the journalist's body, whatever surrounds it:
    # list, tail and menu passes never drop it (related snippets are one sentence, headlines none).
    body_line_words: int = 80
    body_line_sentences: int = 3
    timestamp_max_words: int = 10  # "Thứ Hai, 10/01/2022 14:35 (GMT+7)" and its longer forms
    source_time_max_words: int = 12  # "VTC News | 10/1/2022"
    snippet_min_words: int = 6  # a line ending with "…" is a truncated teaser between these sizes
    snippet_max_words: int = 60
    sentence_min_words: int = 4  # an ended line shorter than this is a label ("Hết.")
    long_line_words: int = 25  # unended but this long: body text whose final period was cut
    clause_line_words: int = 15  # unended, this long and with commas: body text too
    clause_line_commas: int = 2
    label_max_words: int = 4  # unended and this short: a label, longer: title-like
    caption_max_words: int = 60
    credit_max_words: int = 6  # "Ảnh: Ngọc Thắng/TTXVN"
    name_max_parts: int = 6  # a byline: at most this many capitalised parts
    byline_max_words: int = 5
    byline_tail_lines: int = 3  # a bare name in the page's last lines is a byline
    tag_line_max_words: int = 30
    tag_item_max_words: int = 6
    credit_line_max_words: int = 14
    link_min_words: int = 3  # ">> <headline>": the headline's size
    link_max_words: int = 30
    self_reference_min_title: int = 20  # characters: shorter titles are too common to be quoted
    contact_max_words: int = 80
    cue_max_words: int = 10  # cue phrases are only tested on short lines ...
    cue_long_max_words: int = 30  # ... or on lines starting with one of a few words
    cue_max_chars: int = 200
    section_max_words: int = 7  # "Tin liên quan" and its longer forms
    invite_max_words: int = 40
    caption_copy_window: int = 3  # a caption's uncredited copy sits this close
    caption_copy_min_chars: int = 20
    caption_body_sentences: int = 2  # a caption's uncredited copy this many sentences long is body
    image_link_min_words: int = 10
    menu_max_words: int = 6  # header-zone lines this short are menu items
    fragment_min_words: int = 6
    fragment_key_chars: int = 20
    list_gap: int = 4  # a list block spans gaps of up to this many item lines (title, category, snippet)
    list_lead_lines: int = 3  # item titles just before a list's first anchor belong to it
    list_min_evidence: int = 2
    list_min_items: int = 2
    list_min_stamps: int = 2  # this many timestamps, or ...
    list_min_doubled: int = 3  # ... this many doubled titles: a related list
    list_keep_words: int = 10  # a header block (date + share) keeps sentence lines this long
    pair_min_words: int = 4  # two sentence lines in a row are body (see _body_pair)
    pair_long_words: int = 10
    gap_links_min: int = 2  # this many off-topic headlines between the header and the lead: links
    link_run_min: int = 3  # runs of this many headline-sized lines ...
    link_run_words: float = 7.0  # ... of this mean size are link lists when mostly off-topic
    bullet_links_min: int = 2  # bulleted headlines in a run, all off-topic: links
    labelled_run_words: float = 5.0  # headlines under a section label, mean size
    topic_share: float = 0.25  # a line is on topic when this share of its bigrams is shared
    body_run_words: int = 10  # a paragraph resuming the body after a list
    tail_max_words: int = 15  # title-like debris after the last body sentence
    leftover_max_words: int = 6  # short lines wedged between dropped lines
    title_max_words: int = 40  # a recovered headline is no longer than this
    title_min_words: int = 3
    # A given headline sharing less than this share of its bigrams with the body is another
    # story's (measured on real articles: 1 % of own headlines, 92 % of other stories' are below).
    title_offtopic_share: float = 0.1
    title_ontopic_share: float = 0.2  # ... and a line sharing this much sums the body up (93 % / 1.4 %)
    title_min_shared: int = 2  # ... with this many bigrams at least (a short line shares one by chance)
    # A stamp right under a long lead is the dateline when the story goes on below it, within this
    # many lines (past a box of other stories: 8 items, each doubled and stamped) ...
    resume_window: int = 24
    # A lone short unended line between two body paragraphs, at most this many words, ...
    inner_label_max_words: int = 6
    # ... of whose syllables at most this share occurs in the story (and none of its word pairs),
    # is a control label: one syllable in five ("Không ngoài dự đoán" shares one in four and stays;
    # measured on the 2,188 undressed articles of ../shared/data: two bylines dropped, no subheading)
    inner_label_share: float = 0.2
    subheading_max_words: int = 12  # ... lone: no other unended line this short among the kept
    continue_share: float = 0.1  # ... in a paragraph sharing this share of its bigrams (see Vocab.continues)
    # Reasons a body line (see body_line_words) can still be dropped for: an exact repeat, the
    # page's own headline, a caption printed beside its uncredited copy.
    body_drop_reasons: frozenset[str] = field(default_factory=lambda: frozenset({"duplicate", "title", "caption"}))


DEFAULTS = CleanConfig()

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

# "A » B", "A > B", "A >> B" or three short dash-separated parts ("Home - Số hóa - Chính trị").
_BREADCRUMB = regex.compile(
    r"\s(?:[›»>/|]|>>|»»)\s|^[^\d\s\-–]+(?:\s[^\d\s\-–]+){0,2}(?:\s[-–]\s[^\d\s\-–]+(?:\s[^\d\s\-–]+){0,2}){2,}$"
)
# A headline with its timestamp on the same line: a related item ("Tiêu đề 17:54 10/07/2024").
_STAMP_TAIL = regex.compile(
    r"\s[-|–(]?\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s+)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\)?$"
)
_STAMP_TAIL_WORDS = 4  # at most this many tokens in such a stamp ("- 17:54 10/07/2024")
_MENU_STOP = regex.compile(r"[:(’']|\d\s*[-–]\s*\d")  # scores, "Bàn thắng:", "(81')" are content, not menus
_BULLET = regex.compile(r"^(?:[-–•+*▪●]\s|\d{1,2}[.)]\s|[a-zđ][.)]\s)")
_NAME_WORD = regex.compile(r"^\p{Lu}[\p{Ll}]*\.?$")


@dataclass
class _Line:
    idx: int  # 0-based line number in raw_text (-1: the title field)
    raw: str
    text: str
    n: int  # words
    kind: str  # S sentence, H title-like, L short label, T timestamp, X truncated snippet
    doubled: bool = False
    reason: str | None = None  # set when dropped
    cue: bool = False
    section: bool = False
    image: bool = False
    stamped: bool = False  # a headline with a timestamp glued on (a related item)
    # Reasons this line may still be dropped for; None: any. Set on body lines (see
    # CleanConfig.body_line_words): whatever surrounds them, list/tail/menu passes keep them.
    allowed: frozenset[str] | None = None
    _bg: set[tuple[str, str]] | None = None

    @property
    def bigrams(self) -> set[tuple[str, str]]:
        if self._bg is None:
            self._bg = _bigrams(_words(self.text))
        return self._bg


_CLOSERS = "\"”’'»)]"


def _kind(text: str, n: int, cfg: CleanConfig = DEFAULTS) -> str:
    if n <= cfg.timestamp_max_words and (_TIMESTAMP.match(text) or _RELATIVE_TIME.match(text)):
        return "T"
    if (
        n <= cfg.source_time_max_words
        and (m := _SOURCE_TIME.match(text))
        and (_TIMESTAMP.match(m.group(1)) or _RELATIVE_TIME.match(m.group(1)))
    ):
        return "T"
    core = text.rstrip(_CLOSERS)
    if cfg.snippet_min_words <= n < cfg.snippet_max_words and core.endswith(("...", "…")):
        return "X"  # a snippet; a 100-word line ending with "..." is a paragraph
    if core.endswith((".", "!", "…", ":", ";")):
        return "S" if n >= cfg.sentence_min_words else "L"
    if n >= cfg.long_line_words or (n >= cfg.clause_line_words and text.count(",") >= cfg.clause_line_commas):
        return "S"  # a long or clause-laden line is body text even when its final period was cut
    return "L" if n <= cfg.label_max_words else "H"


_PUNCT = "\"”“’‘'»«()[]{}.,;:!?…-–—/|*"


def _words(text: str) -> list[str]:
    return [w for w in (t.strip(_PUNCT) for t in text.lower().split()) if w]


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


_CREDIT_WORDS = ("Ảnh", "ẢNH", "Nguồn", "NGUỒN", "họa", "Photo", "PHOTO", "Video", "Clip", "Infographic")
_CREDIT_WORDS += ("Hình", "HÌNH")


def _is_caption(text: str, n: int, cfg: CleanConfig = DEFAULTS) -> bool:
    if n > cfg.caption_max_words or not any(w in text for w in _CREDIT_WORDS):
        return False
    if _CREDIT_DESC.search(text):
        return True
    m = _CREDIT_TAIL.search(text)
    if not m:
        return False
    credit = _CREDIT_HEAD.sub("", m.group(0).strip(" ()-–.")).strip(" ().")
    # The credit names a source: short, capitalised tokens (AFP/TTXVN, Ngọc Thắng, NI) or "minh họa".
    return (not credit or len(credit.split()) <= cfg.credit_max_words) and (
        not credit or bool(_CREDIT_BODY.match(credit))
    )


def _is_name(text: str, cfg: CleanConfig = DEFAULTS) -> bool:
    """Byline shape: a few capitalised words (or an all-caps short form), nothing else."""
    parts = [p for p in regex.split(r"\s*[-–,&/]\s*|\s+", text.strip("() ")) if p]
    if not 1 <= len(parts) <= cfg.name_max_parts:
        return False
    if len(parts) == 1:  # "PV", "CTV", "V.Dũng"
        return bool(regex.fullmatch(r"\p{Lu}{2,6}|(?:\p{Lu}\.){1,2}\s?\p{Lu}\p{Ll}+", parts[0]))
    return all(_NAME_WORD.match(p) or regex.fullmatch(r"\p{Lu}{2,6}", p) for p in parts)


_URL = regex.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org)(?:/\S*)?$", regex.I)
# A compiler's note after a byline: "Minh Anh (Tổng hợp)", "Lê Vy (lược dịch)".
_COMPILED = regex.compile(
    r"^(?:tổng\s+hợp|th|lược\s+dịch|dịch|biên\s+dịch|biên\s+soạn|tổng\s+hợp\s+và\s+dịch)$", regex.I
)


def _tag_line(text: str, n: int, cfg: CleanConfig = DEFAULTS) -> bool:
    """ "Sự kiện: A, B, C": a short label, then >= 2 short items (no sentence end)."""
    if n > cfg.tag_line_max_words or ":" not in text:
        return False
    m = _TAG_LINE.match(text)
    if not m:
        return False
    if ". " in m.group("items") or text.endswith("."):
        return False  # sentences inside: a body line ("Lưu ý: ... Ví dụ, ...")
    items = [x for x in regex.split(r"\s*[,|;]\s*", m.group("items")) if x.strip()]
    return len(items) >= 2 and all(len(x.split()) <= cfg.tag_item_max_words for x in items)


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


# The first letter of a _SOURCE_CREDIT match past its "(" and spaces ("theo", "nguồn", "tổng
# hợp"; no other character matches these case-insensitively): most lines start otherwise.
_CREDIT_FIRST = frozenset("tTnN")


def _source_credit(text: str) -> str | None:
    if text.removeprefix("(").lstrip()[:1] not in _CREDIT_FIRST:
        return None
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


def _credit_line(text: str, n: int, cfg: CleanConfig = DEFAULTS) -> tuple[str | None, str | None] | None:
    """A byline glued to a source credit: "Thu Hằng | Theo Tổ Quốc", "Minh Anh (Theo Reuters)",
    "Ngọc Mai/VOV-Châu Âu", "Theo AFP - Minh Anh". Returns (author, credit), or None.

    Every part must be a name (capitalised words, short all-caps forms) or a "Theo X" credit,
    so a sentence never qualifies; a line of names only needs a "|" or "/" between them.
    """
    if n > cfg.credit_line_max_words or text.endswith((".", "?", "!", ":")) and not text.endswith(")."):
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


def _link_line(text: str, cfg: CleanConfig = DEFAULTS) -> bool:
    """ ">> Tiêu đề bài khác": a link marker followed by a headline (no final period)."""
    m = _LINK_MARKER.match(text)
    if not m:
        return False
    rest = text[m.end() :]
    return cfg.link_min_words <= len(rest.split()) <= cfg.link_max_words and not rest.rstrip(_CLOSERS).endswith(
        (".", ";")
    )


_CONTACT_HINTS = ("@", "otline", "OTLINE", "SĐT", "sđt", "điện thoại", "mail")


def _contact_chrome(text: str) -> bool:
    # Substring pre-check first: the regexes cost more than the rest of the line tests together.
    return any(h in text for h in _CONTACT_HINTS) and bool(_CONTACT.search(text)) and bool(_READER.search(text))


def _self_reference(text: str, title: str, cfg: CleanConfig = DEFAULTS) -> bool:
    """A line quoting the article's own headline inside other words ("Bạn đang đọc bài viết
    "<title>" tại chuyên mục ..."): page furniture; a journalist does not quote their headline."""
    if (
        len(title) < cfg.self_reference_min_title
        or len(text) <= len(title) + 10
        or not any(q in text for q in "\"“'‘«")
    ):
        return False
    at = text.casefold().find(title)
    return at > 0 and text[at - 1] in "\"“'‘«"


# --------------------------------------------------------------------------------- cleaner


_SENTENCE_BREAK = regex.compile(r"[.!?…][\"”’')\]]*\s+[\"“‘'(]?\p{Lu}")


_MARKER_CHARS = frozenset(">»›→⇒➤➜▶►▸⏩+")
_DIGIT = regex.compile(r"\d")


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def _sentences(text: str) -> int:
    return len(_SENTENCE_BREAK.findall(text)) + 1


def _make_line(idx: int, raw: str, cfg: CleanConfig) -> _Line | None:
    text = fix_dotted_words(normalize_line(raw))
    if not text:
        return None
    single = undouble(text)
    n = single.count(" ") + 1  # words: normalize_line leaves single spaces between them, and undouble keeps that
    ln = _Line(idx, raw, single, n, _kind(single, n, cfg), doubled=single != text)
    # Long cue lines ("Xem thêm: <headline>") start with one of a few words; test only those.
    # A link marker before a cue ("> > Tin liên quan:", "» Xem thêm") does not hide it.
    core = (_LINK_MARKER.sub("", single, count=1) or single) if single[0] in _MARKER_CHARS else single
    first_word = core.split(None, 1)[0].lower().strip("©:(")
    short = ln.n <= cfg.cue_max_words or (ln.n <= cfg.cue_long_max_words and first_word in _LONG_CUE_START)
    ln.cue = short and len(core) <= cfg.cue_max_chars and bool(_CUE.match(core))
    ln.section = ln.cue and ln.n <= cfg.section_max_words and bool(_SECTION.search(core))
    if ln.n <= cfg.invite_max_words and single[:1] in "MmKk" and _INVITE.match(single):
        ln.cue = ln.section = True  # "Mời bạn đọc xem thêm video ...:" introduces links
    ln.image = ln.kind != "S" and single[-1:].isdigit() and bool(_IMAGE_MARKER.search(single))
    if (
        ln.kind in "HS"
        and ln.n <= cfg.link_max_words + _STAMP_TAIL_WORDS
        and single[-1:] in "0123456789)"
        and (m := _STAMP_TAIL.search(single))
    ):
        head = single[: m.start()].rstrip(_CLOSERS)
        # (the headline's size without its stamp: a long headline and "(22/01/2021)" is an item)
        ln.stamped = (
            bool(head) and not head.endswith((".", "!", "?", ";", ":")) and len(head.split()) <= cfg.link_max_words
        )
    if (
        ln.kind == "S"
        and ln.n >= cfg.body_line_words
        # sentence ends inside the line, counted cheaply (str.count): every line is tested
        and single.count(". ") + single.count("? ") + single.count("! ") + 1 >= cfg.body_line_sentences
    ):
        ln.allowed = cfg.body_drop_reasons
    return ln


def _prepare(article: Article, cfg: CleanConfig) -> list[_Line]:
    lines = [ln for i, raw in enumerate(article.raw_text.split("\n")) if (ln := _make_line(i, raw, cfg))]
    # Doubling: the same text on two neighbouring lines (related-list titles are printed twice).
    for a, b in zip(lines, lines[1:], strict=False):
        if a.text == b.text:
            a.doubled = b.doubled = True
    return lines


def _byline_place(lines: list[_Line], k: int, first_body: int, cfg: CleanConfig) -> bool:
    """Where a bare name is a byline: above the body, in the last lines, or closing the body
    right before page furniture ("Bình luận", "Tin liên quan")."""
    if k < first_body or k >= len(lines) - cfg.byline_tail_lines:
        return True
    return k + 1 < len(lines) and lines[k + 1].cue and lines[k - 1].kind == "S"


def _drop(ln: _Line, reason: str) -> None:
    if ln.reason is None and (ln.allowed is None or reason in ln.allowed):
        ln.reason = reason


def _ended(ln: _Line) -> bool:
    return ln.text.rstrip(_CLOSERS).endswith((".", "!", "?", "…"))


def _body_pair(a: _Line, b: _Line, cfg: CleanConfig) -> bool:
    """Two sentences in a row: both long, or a paragraph and a short sentence ending with a
    period ("Cảnh sát đang mở rộng điều tra."). List items alternate title / snippet instead."""
    if a.kind != "S" or b.kind != "S" or min(a.n, b.n) < cfg.pair_min_words or max(a.n, b.n) < cfg.pair_long_words:
        return False
    return min(a.n, b.n) >= cfg.pair_long_words or (_ended(a) and _ended(b))


def _marked(ln: _Line) -> bool:
    """A bullet or link marker opens the line ("+ A", ">> A", "1. A")."""
    return bool(_BULLET.match(ln.text) or _LINK_MARKER.match(ln.text))


def _is_item(ln: _Line) -> bool:
    """A list item's shape: a bullet or link marker, or a headline with its stamp glued on."""
    return ln.stamped or bool(_BULLET.match(ln.text) or _LINK_MARKER.match(ln.text))


def _first_body(lines: list[_Line], cfg: CleanConfig, title: str = "", start: int = 0) -> int:
    """Index of the first body line from ``start``: a sentence line of ``body_words`` (not the headline)."""
    return next(
        (
            k
            for k in range(start, len(lines))
            if (ln := lines[k]).kind in "SX"
            and ln.n >= cfg.body_words
            # an unended clause-laden line may be a headline with commas; the lead is ended or long
            and (ln.kind == "X" or _ended(ln) or ln.n >= cfg.long_line_words)
            and not ln.reason
            and not ln.cue  # "Bạn cần đăng nhập để thực hiện chức năng này!" is no lead
            # a body opens with its lead, not with a list item (a body line may open with "1.")
            and (ln.allowed is not None or not _is_item(ln))
            and not _is_title_line(ln, title)
        ),
        len(lines),
    )


def _is_title_line(ln: _Line, title: str) -> bool:
    """The line is the (casefolded) headline. Lengths first: casefolding every long body line
    costs more than the rest of the comparison, and it keeps the length of Vietnamese text."""
    return len(ln.text) == len(title) and ln.text.casefold() == title


def _headline_at(lines: list[_Line], title: str, cfg: CleanConfig) -> int:
    """Index of the page's own headline among the lines (the first line that is the title, above
    any body line), -1 when the title is not printed there. The body has started at a long body
    line or at two body paragraphs in a row: the headline printed below is a second copy of
    the story (a scraped page saved twice) or a caption's, not the page's header."""
    if not title:
        return -1
    for k, ln in enumerate(lines):
        if ln.allowed is not None:
            return -1
        if _is_title_line(ln, title):
            return k
        if k + 1 < len(lines) and _body_pair(ln, lines[k + 1], cfg) and not _is_title_line(lines[k + 1], title):
            return -1
    return -1


def _is_stamp(ln: _Line) -> bool:
    """A line that is only a date/time stamp, maybe with a label or a byline ("Thanh Hà | 10/01/2022
    14:35"): no headline. (Most lines have no digit: the parser runs on few.)"""
    return ln.kind == "T" or (_has_digit(ln.text) and parse_dateline(ln.text) is not None)


def _header_marker(ln: _Line, cfg: CleanConfig) -> bool:
    """A line only a page's header holds: a stamp or a breadcrumb."""
    if _is_stamp(ln):
        return True
    return ln.n <= 2 * cfg.menu_max_words and bool(_BREADCRUMB.search(ln.text)) and not _MENU_STOP.search(ln.text)


def _header_sentence(lines: list[_Line], k: int, cfg: CleanConfig, topic: Vocab) -> bool:
    """A short sentence printed above the page's stamp or breadcrumb and sharing no words with
    the story ("Vui lòng đăng nhập để gửi ý kiến!") is a widget, not the lead: the
    header is still going on below it -- past the sapo, perhaps (on topic, short of a body line)."""
    ln = lines[k]
    if ln.allowed is not None or ln.n >= cfg.long_line_words:
        return False
    sapo = False
    for j in range(k + 1, len(lines)):
        nxt = lines[j]
        if _header_marker(nxt, cfg):
            return not topic.on_topic(ln)
        if nxt.kind == "S" and nxt.n >= cfg.body_words:
            # (a sapo right above the stamp; the topic is only built when the stamp is there)
            below = lines[j + 1] if j + 1 < len(lines) else None
            if sapo or nxt.allowed is not None or below is None or not _header_marker(below, cfg):
                return False  # the body goes on: a lead
            if not topic.continues(nxt):
                return False
            sapo = True
    return False


def _body_start(lines: list[_Line], cfg: CleanConfig, title: str, topic: Vocab, start: int = 0) -> int:
    """The first body line below the page's headline (the body follows it; what sits above is
    header), skipping widgets shaped like sentences (see _header_sentence)."""
    k = _first_body(lines, cfg, title, start)
    while k < len(lines) and _header_sentence(lines, k, cfg, topic):
        k = _first_body(lines, cfg, title, k + 1)
    return k


def _mark_lists(page: _Page) -> None:
    """Drop blocks shaped like link lists: items with timestamps, doubled titles, snippets."""
    lines, cfg = page.lines, page.cfg
    # Truncated snippets ("…") are no evidence on their own: body sentences end with "…" too.
    # The page's own dateline is no list item; a sentence printed twice is a caption's copy, not a
    # related title printed twice (headlines carry no final period).
    evid = [
        ln.reason != "dateline"
        and (ln.kind == "T" or ln.stamped or ln.section or (ln.doubled and not (ln.kind == "S" and _ended(ln))))
        for ln in lines
    ]
    i, n = 0, len(lines)
    # Lines already dropped (the page's own headline is often sentence-shaped) do not start the body.
    # A sapo may end with "..." (kind X) like a snippet; after the header stamps it is the lead.
    first_body = _first_body(lines, cfg)
    while i < n:
        if not evid[i]:
            i += 1
            continue
        j = i
        k = i + 1
        prev = lines[i]
        while k < n and k - j <= cfg.list_gap:  # gaps of item lines (title, category, snippet)
            if evid[k]:
                j = k
            elif lines[k].reason in _TRANSPARENT:
                k += 1
                continue  # a caption between two paragraphs does not separate them
            elif _body_pair(prev, lines[k], cfg) or lines[k].allowed is not None:
                break  # body paragraphs are not one item: the block ends here
            prev = lines[k]
            k += 1
        block = lines[i : j + 1]
        stamps = sum(ln.kind == "T" or ln.stamped for ln in block)
        doubled = sum(ln.doubled for ln in block)
        items = stamps + doubled // 2 + sum(ln.kind == "X" for ln in block) + sum(ln.section for ln in block)
        if sum(evid[i : j + 1]) >= cfg.list_min_evidence and items >= cfg.list_min_items:
            is_list = stamps >= cfg.list_min_stamps or doubled >= cfg.list_min_doubled
            start = i
            # The item title(s)/section labels just before the first anchor belong to the list --
            # unless the anchor is a label: it opens the box, and what precedes it is body.
            while (
                start > 0 and i - start < cfg.list_lead_lines and lines[start - 1].kind in "HL" and not lines[i].section
            ):
                if lines[start - 1].reason:
                    break
                start -= 1
            end = j
            if end + 1 == first_body:
                pass  # header stamps (date, audio player "00:00") are followed by the lead, not a snippet
            elif (
                is_list
                and end + 1 < n
                and (lines[end].kind == "T" or lines[end].doubled)
                and lines[end + 1].kind in "SX"
                and not (end + 2 < n and _body_pair(lines[end + 1], lines[end + 2], cfg))
            ):
                end += 1  # the last item's lead snippet (not the first of the body's paragraphs)
            for ln in lines[start : end + 1]:
                if ln.kind == "S" and ln.n >= cfg.list_keep_words and not is_list:
                    continue  # a header block (date + share buttons) must not eat the lead
                _drop(ln, "list")
            i = end + 1
        else:
            i += 1


class Vocab:
    """Bigram -> number of body lines (title counts twice) using it; built on first use,
    since most articles never need a topic decision (keeps cleaning > 1,000 articles/s)."""

    def __init__(self, article: Article, lines: list[_Line], cfg: CleanConfig, with_title: bool = True) -> None:
        self._article, self._lines, self._cfg = article, lines, cfg
        self._with_title = with_title  # without: the body alone, to judge candidate headlines
        self._counts: Counter[tuple[str, str]] | None = None
        self._syllables: set[str] | None = None

    def counts(self) -> Counter[tuple[str, str]]:
        if self._counts is None:
            c: Counter[tuple[str, str]] = Counter()
            if self._with_title:
                title = _bigrams(_words(self._article.title))
                c.update(title)
                c.update(title)
            for ln in self._lines:
                if self.is_body(ln):
                    c.update(ln.bigrams)
            self._counts = c
        return self._counts

    def is_body(self, ln: _Line) -> bool:
        return ln.reason is None and ln.kind == "S" and ln.n >= self._cfg.body_words

    def shared(self, ln: _Line) -> int:
        """How many of the line's bigrams also occur in the title or in another body line."""
        counts = self.counts()
        own = 1 if self.is_body(ln) else 0
        return sum(1 for b in ln.bigrams if counts[b] - own >= 1)

    def share(self, ln: _Line) -> float:
        """The share of the line's bigrams that also occur in the title or in another body line."""
        return self.shared(ln) / len(ln.bigrams) if ln.bigrams else 0.0

    def sums_up(self, ln: _Line) -> bool:
        """A headline for this body: enough of its bigrams are the body's (see CleanConfig)."""
        return self.shared(ln) >= self._cfg.title_min_shared and self.share(ln) >= self._cfg.title_ontopic_share

    def on_topic(self, ln: _Line) -> bool:
        return self.share(ln) >= self._cfg.topic_share

    def syllable_share(self, ln: _Line) -> float:
        """The share of the line's distinct syllables that occur in the title or the body lines."""
        if self._syllables is None:
            seen: set[str] = set(_words(self._article.title)) if self._with_title else set()
            for other in self._lines:
                if self.is_body(other):
                    seen.update(_words(other.text))
            self._syllables = seen
        own = set(_words(ln.text))
        return len(own & self._syllables) / len(own) if own else 1.0

    def continues(self, ln: _Line) -> bool:
        """A paragraph of this story (long ones share less than ``topic_share``), not another's."""
        return self.shared(ln) >= self._cfg.title_min_shared and self.share(ln) >= self._cfg.continue_share


@dataclass
class _Page:
    """What every pass reads: the article, its lines, the thresholds and the body's bounds."""

    article: Article
    lines: list[_Line]
    cfg: CleanConfig
    title: str = ""  # casefolded headline
    first_body: int = 0
    last_body: int = 0
    title_at: int = -1
    vocab: Vocab | None = None  # built on first use, from the lines still kept then
    topic: Vocab | None = None  # built from every line, before any is dropped


# ------------------------------------------------------------------- line rules (first match)
# Each rule looks at one line and returns the reason to drop it, or None. The first rule that
# answers decides (a byline glued to a credit is a credit, not a caption). Order matters.

Rule = Callable[[_Page, int, _Line], "str | None"]


def _rule_cue(page: _Page, k: int, ln: _Line) -> str | None:
    return "chrome" if ln.cue else None


def _rule_timestamp(page: _Page, k: int, ln: _Line) -> str | None:
    return "timestamp" if ln.kind == "T" else None


def _rule_image(page: _Page, k: int, ln: _Line) -> str | None:
    return "image" if ln.image else None


def _rule_credit_line(page: _Page, k: int, ln: _Line) -> str | None:
    pair = _credit_line(ln.text, ln.n, page.cfg)  # before captions: "Tên (Nguồn: X)" is a byline
    if pair is None:
        return None
    if pair[0] and page.article.author is None:
        page.article.author = pair[0]
    if pair[1]:
        page.article.meta.setdefault("credit", pair[1])
    return "credit"


def _rule_caption(page: _Page, k: int, ln: _Line) -> str | None:
    return "caption" if _is_caption(ln.text, ln.n, page.cfg) else None


def _rule_title(page: _Page, k: int, ln: _Line) -> str | None:
    return "title" if page.title and _is_title_line(ln, page.title) else None


def _rule_source_credit(page: _Page, k: int, ln: _Line) -> str | None:
    credit = _source_credit(ln.text)
    if credit is None:
        return None
    page.article.meta.setdefault("credit", credit)
    return "credit"


def _rule_byline(page: _Page, k: int, ln: _Line) -> str | None:
    cfg = page.cfg
    if not (ln.kind in "LH" and ln.n <= cfg.byline_max_words and _is_name(ln.text, cfg)):
        return None
    if not _byline_place(page.lines, k, page.first_body, cfg):
        return None
    # Above the headline, or brand-shaped: the site's name, not the journalist's.
    if k < page.title_at or _masthead(ln.text, k == 0):
        return "masthead"
    if page.article.author is None:
        page.article.author = ln.text
    return "byline"


def _rule_tags(page: _Page, k: int, ln: _Line) -> str | None:
    outside = k < page.first_body or k > page.last_body
    return "tags" if outside and ln.kind in "LH" and _tag_line(ln.text, ln.n, page.cfg) else None


def _rule_link(page: _Page, k: int, ln: _Line) -> str | None:
    # (">> <headline>!" is sentence-shaped by its "!", still a link: _link_line wants no period)
    return "link" if ln.text[0] in _MARKER_CHARS and ln.kind in "HLXS" and _link_line(ln.text, page.cfg) else None


def _rule_self_reference(page: _Page, k: int, ln: _Line) -> str | None:
    return "chrome" if page.title and _self_reference(ln.text, page.title, page.cfg) else None


def _rule_contact(page: _Page, k: int, ln: _Line) -> str | None:
    return "chrome" if ln.n <= page.cfg.contact_max_words and _contact_chrome(ln.text) else None


LINE_RULES: tuple[Rule, ...] = (
    _rule_cue,
    _rule_timestamp,
    _rule_image,
    _rule_credit_line,
    _rule_caption,
    _rule_title,
    _rule_source_credit,
    _rule_byline,
    _rule_tags,
    _rule_link,
    _rule_self_reference,
    _rule_contact,
)


# ---------------------------------------------------------------- block passes (in order)


def _pass_line_rules(page: _Page) -> None:
    for k, ln in enumerate(page.lines):
        for rule in LINE_RULES:
            reason = rule(page, k, ln)
            if reason is not None:
                _drop(ln, reason)
                break


def _pass_caption_copies(page: _Page) -> None:
    """Captions are often printed twice: once with the credit, once without. When the copy is
    body text (a paragraph the site also used as a caption), it is the journalist's: keep it."""
    lines, cfg = page.lines, page.cfg
    for k, ln in enumerate(lines):
        if ln.reason == "caption":
            kept_copy = False
            for other in lines[max(0, k - cfg.caption_copy_window) : k + cfg.caption_copy_window + 1]:
                if other is ln or other.reason is not None or len(other.text) < cfg.caption_copy_min_chars:
                    continue
                if ln.text.startswith(other.text):
                    # A paragraph of several sentences is body text the site also used as a
                    # caption; a one-sentence photo description is the caption's copy.
                    if other.allowed is not None or _sentences(other.text) >= cfg.caption_body_sentences:
                        kept_copy = True  # the paragraph stays; its credited copy goes
                    else:
                        _drop(other, "caption")
            if not kept_copy and (ln.allowed is not None):
                ln.reason = None  # a paragraph ending with a photo credit, printed once: body
        # A title-like line right after a bare image marker is the image's link (related article).
        if ln.reason == "image" and k + 1 < len(lines):
            nxt = lines[k + 1]
            if nxt.kind == "H" and nxt.n >= cfg.image_link_min_words and nxt.reason is None:
                _drop(nxt, "image-link")


def _pass_header_menu(page: _Page) -> None:
    """Before the first body sentence, short lines are menus and breadcrumbs."""
    head = [ln for ln in page.lines[: page.first_body] if ln.reason is None]
    menu = [
        ln
        for ln in head
        if ln.kind == "T"
        or (
            ln.kind in "LH"
            and (ln.n <= page.cfg.menu_max_words or _BREADCRUMB.search(ln.text))
            and not _MENU_STOP.search(ln.text)
        )
    ]
    if len(menu) >= 2 or any(_BREADCRUMB.search(ln.text) for ln in menu):
        for ln in menu:
            _drop(ln, "menu")
    # Above the page's own headline, another headline is furniture (an event tag, a related
    # title). Below it and above the body it may be the journalist's subheading: kept.
    for ln in page.lines[: max(page.title_at, 0)]:
        if ln.reason is None and _headline_shaped(ln, page.cfg):
            _drop(ln, "header")


def _pass_header_zone(page: _Page) -> None:
    """Above the header's last stamp, breadcrumb or the headline itself, a line sharing no words
    with the story is page furniture (a widget, an event tag, another story's headline): the
    header is not over, and the journalist's text (a sapo, a kicker) is on topic. Below it and
    above the lead, so is a short off-topic label or headline (a share or listen button)."""
    lines, cfg, topic = page.lines, page.cfg, page.topic
    if topic is None or page.first_body <= 0:
        return
    marks = [k for k in range(page.first_body) if k == page.title_at or _header_marker(lines[k], cfg)]
    # the page's dateline printed under the lead (the sapo): the header went on down to it
    marks += [k for k in range(page.first_body, min(page.first_body + 2, len(lines))) if lines[k].reason == "dateline"]
    if not marks:
        return
    # Two or more other stories' headlines between the stamp and the lead: a list of links.
    gap = [ln for ln in lines[marks[-1] + 1 : page.first_body] if ln.reason is None and _headline_shaped(ln, cfg)]
    if len(gap) >= cfg.gap_links_min:
        gap = [ln for ln in gap if not topic.on_topic(ln)]
        if len(gap) >= cfg.gap_links_min:
            for ln in gap:
                _drop(ln, "header")
    for k in range(page.first_body):
        ln = lines[k]
        if ln.reason is not None or ln.allowed is not None:
            continue
        if k > marks[-1]:
            # between the header's last stamp and the lead: a short label or headline ("Nghe đọc",
            # "Bản in") when it shares nothing with the story; a sapo is a sentence
            furniture = ln.kind in "LH" and ln.n <= cfg.menu_max_words and not _is_item(ln)
        else:
            # sentences only when shaped like a widget (above a stamp, short); lists stay
            furniture = ln.kind != "S" or (not _is_item(ln) and _header_sentence(lines, k, cfg, topic))
        if furniture and not topic.on_topic(ln):
            _drop(ln, "header")


def _pass_fragments(page: _Page) -> None:
    """A title-like line that is the start of another line: a caption/teaser copied from the body."""
    cfg = page.cfg
    by_start: dict[str, list[str]] = {}
    for ln in page.lines:
        # Only body lines count: "<headline> - Hình 1" repeats a headline on purpose, and a
        # caption quoting a subheading does not make the subheading a copy.
        if ln.reason is None:
            by_start.setdefault(ln.text[: cfg.fragment_key_chars], []).append(ln.text)
    for ln in page.lines:
        if ln.reason is None and ln.kind == "H" and ln.n >= cfg.fragment_min_words and not _BULLET.match(ln.text):
            if any(t != ln.text and t.startswith(ln.text) for t in by_start.get(ln.text[: cfg.fragment_key_chars], ())):
                _drop(ln, "fragment")


def _pass_repeats(page: _Page) -> None:
    """Repeated lines: keep the first."""
    for a, b in zip(page.lines, page.lines[1:], strict=False):
        if a.text == b.text and b.reason is None:
            _drop(b, "duplicate")


_RUN_REASONS = (None, "timestamp", "duplicate", "list", "link", "link-list")
_UNENDED = (".", "!", "?", "…", ":", ";")


def _clause_headline(ln: _Line, cfg: CleanConfig) -> bool:
    """A long headline with commas ("Mưa lớn, ngập sâu, cây đổ: Hà Nội ra lệnh khẩn ..."):
    a sentence by its commas (see _kind), but unended and shorter than body text cut of its period;
    or a bulleted one, up to a link's size."""
    if ln.kind != "S" or ln.n > cfg.link_max_words or ln.text.rstrip(_CLOSERS).endswith(_UNENDED):
        return False
    return ln.n < cfg.long_line_words or (ln.n <= cfg.link_max_words and _is_item(ln))


def _pass_link_runs(page: _Page) -> None:
    """Runs of headline-sized title-like lines with no sentence between them are link lists
    when a section label introduces them or most are off-topic. (Bodies have lists too:
    symptoms, line-ups, criteria -- short items, on-topic, no label.)"""
    lines, cfg, vocab = page.lines, page.cfg, page.vocab
    run: list[_Line] = []
    for k, ln in enumerate([*lines, None]):
        shaped = ln is not None and (ln.kind in "HLXT" or ln.stamped or _clause_headline(ln, cfg))
        if ln is not None and shaped and ln.reason in _RUN_REASONS:
            # item stamps on their own lines, and items already dropped (a doubled title) do not
            # split a box
            run.append(ln)
            continue
        heads = [r for r in run if r.kind not in "LT" and r.reason is None]
        before = k - len(run) - 1
        labelled = before >= 0 and lines[before].section
        # Under a section label ("Tin liên quan:") even one or two headlines are links, bulleted
        # or not; without a label, bulleted runs are the body's own lists (symptoms, line-ups).
        if heads and labelled and sum(r.n for r in heads) / len(heads) >= cfg.labelled_run_words:
            items = 0
            for r in run:
                plain = r.reason is None and not (_is_item(r) or r.doubled) and r.kind not in "LT"
                if items and plain and vocab.on_topic(r):
                    break  # after the box's items, the story resumes (a subheading, the lead)
                items += r.kind not in "LT"
                _drop(r, "link-list")
            run = []
            continue
        # (symbol bullets only: numbered items "1. ..." are the body's own enumerations)
        bulleted = [r for r in heads if r.text[:1] in "-–•+*▪●" and _BULLET.match(r.text) and not _ended(r)]
        heads = [r for r in heads if not _BULLET.match(r.text)]
        if len(heads) >= cfg.link_run_min and sum(r.n for r in heads) / len(heads) >= cfg.link_run_words:
            off = sum(not vocab.on_topic(r) for r in heads)
            if off * 2 > len(heads):
                for r in run:
                    if not _BULLET.match(r.text):
                        _drop(r, "link-list")
        # Bulleted headlines sharing nothing with the story: other stories' links. (A body's own
        # bulleted list -- criteria, symptoms -- is on topic.)
        if len(bulleted) >= cfg.bullet_links_min and sum(r.n for r in bulleted) / len(bulleted) >= cfg.link_run_words:
            if all(not vocab.on_topic(r) for r in bulleted):
                for r in bulleted:
                    _drop(r, "link-list")
        run = []


def _pass_section_tail(page: _Page) -> None:
    """After a section marker, when no body paragraph follows, it is all noise."""
    lines = page.lines
    for k, ln in enumerate(lines):
        if ln.section or (ln.reason == "list" and ln.kind in "HL" and ln.n <= page.cfg.menu_max_words):
            if not _has_body_run(lines[k + 1 :], page):
                for r in lines[k:]:
                    _drop(r, "tail")
                break


def _pass_tail_debris(page: _Page) -> None:
    """Title-like lines after the last body sentence, unless on-topic."""
    lines = page.lines
    last = max((k for k, ln in enumerate(lines) if ln.reason is None and ln.kind == "S"), default=-1)
    for ln in lines[last + 1 :]:
        if ln.reason is None and ln.kind in "HLXT" and ln.n <= page.cfg.tail_max_words and not page.vocab.on_topic(ln):
            if ln.kind == "L" and ln.text.rstrip(_CLOSERS).endswith((".", "!", "…")):
                continue  # "Hết giờ." is a sentence, however short
            _drop(ln, "tail")


def _pass_leftovers(page: _Page) -> None:
    """Short leftovers wedged between dropped lines ("Có;", "Không", category names)."""
    lines, n = page.lines, len(page.lines)
    for k, ln in enumerate(lines):
        if ln.reason is None and ln.kind in "LH" and ln.n <= page.cfg.leftover_max_words:
            prev = lines[k - 1].reason if k > 0 else "start"
            nxt = lines[k + 1].reason if k + 1 < n else "end"
            if prev and nxt and not (prev == "start" and nxt == "end"):
                _drop(ln, "chrome")


_QUOTES = frozenset("\"“”‘’'«»")


def _pass_inner_labels(page: _Page) -> None:
    """A short unended line between two body paragraphs that shares no word pair and few
    syllables with the story is a control label left in the text ("Nghe", "Bản in" buttons): a
    subheading sums up what follows, in the story's words, and an article's subheadings come in
    series -- so only a lone one goes, and never one quoting or numbering something."""
    cfg, vocab = page.cfg, page.vocab
    if not any(ln.kind in "LH" and ln.n <= cfg.inner_label_max_words and ln.reason is None for ln in page.lines):
        return  # (most pages: nothing that short is left)
    kept = [ln for ln in page.lines if ln.reason is None]

    def unended_short(ln: _Line, most: int) -> bool:
        return ln.kind in "LH" and ln.n <= most and not ln.text.rstrip(_CLOSERS).endswith((*_UNENDED, ","))

    def paragraph(ln: _Line) -> bool:
        return ln.kind == "S" and ln.n >= cfg.body_words

    inner = [
        k
        for k in range(1, len(kept) - 1)
        if unended_short(kept[k], cfg.inner_label_max_words) and paragraph(kept[k - 1]) and paragraph(kept[k + 1])
    ]
    if len(inner) != 1 or vocab is None:
        return
    if sum(unended_short(ln, cfg.subheading_max_words) for ln in kept) > 1:
        return  # subheadings in series: the story's own
    ln = kept[inner[0]]
    if not ln.text[:1].isupper() or _marked(ln) or any(c in _QUOTES for c in ln.text):
        return
    if vocab.shared(ln) == 0 and vocab.syllable_share(ln) <= cfg.inner_label_share:
        _drop(ln, "label")


def _pass_settle(page: _Page) -> None:
    """What the kept text alone would show, decided now so that cleaning the cleaned text
    changes nothing: a line repeating the kept line before it, and a bare name among the last
    kept lines (a byline once the furniture after it is gone)."""
    kept = [ln for ln in page.lines if ln.reason is None]
    for a, b in zip(kept, kept[1:], strict=False):
        if a.text == b.text:
            _drop(b, "duplicate")
    kept = [ln for ln in kept if ln.reason is None]
    cfg = page.cfg
    for k in range(max(1, len(kept) - cfg.byline_tail_lines), len(kept)):
        ln = kept[k]
        if ln.kind in "LH" and ln.n <= cfg.byline_max_words and _is_name(ln.text, cfg) and kept[k - 1].kind == "S":
            _drop(ln, "byline")
            if page.article.author is None:
                page.article.author = ln.text


PASSES: tuple[Callable[[_Page], None], ...] = (
    _pass_line_rules,
    _pass_caption_copies,
    _pass_header_menu,
    _pass_header_zone,
    _pass_fragments,
    _pass_repeats,
    _mark_lists,
    _pass_link_runs,
    _pass_section_tail,
    _pass_tail_debris,
    _pass_leftovers,
    _pass_inner_labels,
    _pass_settle,
)


_TRANSPARENT = {"chrome", "caption", "image", "image-link", "link"}


def _has_body_run(rest: list[_Line], page: _Page) -> bool:
    """Body resumes after a list: one body line (see ``body_line_words``), or two sentence
    paragraphs in a row (nothing between them).

    List items alternate title / snippet, so two adjacent sentences are the body's shape. Topic
    overlap is only a tie-breaker for short ones: long paragraphs share few bigrams with the rest
    of an article even when they are on topic.
    """
    cfg, vocab = page.cfg, page.vocab
    prev = prev_sent = False
    for ln in rest:
        if ln.reason in _TRANSPARENT:
            continue  # an inline link or caption between two paragraphs does not split them
        if ln.reason is None and ln.allowed is not None:
            return True  # a paragraph of several long sentences is no list item
        if prev_sent and ln.reason in ("byline", "credit"):
            return True  # a paragraph signed off by a byline is the end of the body, not a list item
        # Headlines never end with a period; a short "?"/"!" line may be one, so it needs the topic.
        # An unended line must be long (as in _kind) to count on its own: headlines with commas
        # ("Cục X: Khẩn trương nhập lương thực, vật tư, bảo quản ...") reach 20 words.
        ended = ln.text.rstrip(_CLOSERS).endswith(".")
        ok = (
            ln.reason is None
            and ln.kind == "S"
            and ln.n >= cfg.body_run_words
            and (ln.n >= cfg.long_line_words or ended or vocab.on_topic(ln))
        )
        # A short sentence ending with a period ("Cảnh sát đang mở rộng điều tra.") pairs with a
        # paragraph, and may close the body before the byline; snippets follow titles, not paragraphs.
        sent = ln.reason is None and ln.kind == "S" and ln.n >= cfg.sentence_min_words and ended
        if (ok and (prev or prev_sent)) or (sent and prev):
            return True
        prev, prev_sent = ok, ok or sent
    return False


# ---------------------------------------------------------------- headline and dateline


def _title_chrome(ln: _Line, cfg: CleanConfig) -> str | None:
    """Why a headline candidate is page furniture, or None. "strong:" reasons are never a
    headline; the others (a short label, a cue phrase) only lose to a real headline."""
    digits = _has_digit(ln.text)
    if ln.kind == "T" or (digits and parse_dateline(ln.text)):
        return "strong:dateline"
    if digits and has_stamp(ln.text):
        return "dateline"  # a byline and its stamp
    if ln.section:
        return "strong:chrome"
    if _BREADCRUMB.search(ln.text) and ln.n <= 2 * cfg.menu_max_words and not _MENU_STOP.search(ln.text):
        return "strong:menu"
    if ln.cue or ln.image or _link_line(ln.text, cfg) or _is_caption(ln.text, ln.n, cfg):
        return "chrome"
    if _source_credit(ln.text) is not None or _credit_line(ln.text, ln.n, cfg) is not None:
        return "credit"
    if ln.kind == "L" or (ln.kind == "H" and _tag_line(ln.text, ln.n, cfg)):
        return "menu"
    return None


# A sentence end inside a line, not after an abbreviation or initial ("TP. HCM", "PGS. TS", "Q. 1").
_HEADLINE_BREAK = regex.compile(r"(?<!(?:^|\s)\p{Lu}{1,3})[.!?…][\"”’')\]]*\s+[\"“‘'(]?\p{Lu}")


def _headline_shaped(ln: _Line, cfg: CleanConfig) -> bool:
    """A headline: a few words to a long line, no sentence inside, no final period."""
    if ln.n < cfg.title_min_words or ln.n > cfg.title_max_words or _HEADLINE_BREAK.search(ln.text):
        return False
    if _BULLET.match(ln.text) or _LINK_MARKER.match(ln.text):
        return False  # a list item
    return ln.kind in "HX" or (ln.kind == "S" and not ln.text.rstrip(_CLOSERS).endswith("."))


_FURNITURE_CHARS = frozenset("»>/|›-–:()") | _MARKER_CHARS


def _plain_headline(title: str, cfg: CleanConfig) -> bool:
    """A cheap pre-check (every article pays it): five words or more, no digit, no separator or
    bracket, no cue phrase -- no furniture test below could fire, so none is run."""
    words = title.split()
    if len(words) <= cfg.label_max_words or _has_digit(title) or any(c in _FURNITURE_CHARS for c in title):
        return False
    if words[0].lower() in ("theo", "nguồn", "tổng") or any(w in title for w in _CREDIT_WORDS):
        return False  # maybe a credit or a caption
    return not (len(words) <= cfg.cue_long_max_words and _CUE.match(title))


def _opens_body(ln: _Line, cfg: CleanConfig) -> bool:
    """A line the body can start with: a long body line, or an ended sentence that is no list item."""
    return ln.allowed is not None or (ln.kind == "S" and ln.n >= cfg.body_words and _ended(ln) and not _is_item(ln))


def _recover_title(article: Article, lines: list[_Line], cfg: CleanConfig) -> None:
    """Scrapers save pages in DOM order: the "title" on line 1 may be a breadcrumb, a dateline, a
    share button or another story's headline (an event tag, a related item). Such a title goes back
    to the lines (and is logged like them), and a headline-shaped line above the body that is no
    furniture itself replaces it: the first one sharing words with the body (a headline sums up its
    article; other stories' headlines share nothing with it), else the last one above the body."""
    if not article.title:
        return
    # The body starts with a paragraph (not a list item): no headline below it.
    stop = next((k for k, ln in enumerate(lines) if _opens_body(ln, cfg)), len(lines))
    plain = _plain_headline(article.title, cfg)
    if plain and stop == 0:
        return  # nothing above the body could replace it (most pages: cheap tests first)
    probe = _make_line(-1, article.title, cfg)
    if probe is None:
        return
    why = None if plain else _title_chrome(probe, cfg)
    if why is None:
        if stop == 0:
            return
        # The body shares the headline's word pairs: it stays. (Line by line, stopping at enough
        # pairs -- usually in the lead -- instead of counting the whole body's bigrams.)
        pairs = probe.bigrams
        # (and at least two pairs, or all: one by chance is common)
        need, found = max(cfg.title_offtopic_share * len(pairs), min(cfg.title_min_shared, len(pairs))), set()
        for ln in lines[stop:]:
            if ln.kind == "S" and ln.n >= cfg.body_words and not _is_item(ln):  # (a list item may quote it)
                found |= pairs & ln.bigrams  # (the line's bigrams are kept for the passes' topic tests)
                if len(found) >= need:
                    return
    # Headlines above the body outside related boxes: DOM order puts menus, boxes and event
    # lines before the headline, and stamps, share buttons and the sapo after it. (The title
    # itself may be the box's label, "Tin liên quan"; an item of the box, even one ending with
    # "?", does not start the body.)
    # (the body's vocabulary, without the title: built on first use)
    body = Vocab(article, lines, cfg, with_title=False)
    boxed = _boxed([probe, *lines], cfg, topic=body)[1:] if stop < len(lines) and why is not None else None
    while boxed is not None and stop < len(lines) and boxed[stop]:
        stop = next((k for k in range(stop + 1, len(lines)) if _opens_body(lines[k], cfg)), len(lines))
    candidates: list[_Line] = []
    for k, ln in enumerate(lines[:stop]):
        if ln.doubled:
            continue  # a link title printed twice
        short = ln.kind == "L" and ln.n >= cfg.title_min_words and not ln.cue  # "Ai trả tiền?"
        if not (short or _headline_shaped(ln, cfg)) or _title_chrome(ln, cfg) not in (None, "menu"):
            continue  # furniture; menu-shaped ("Ai trả tiền?", "Hà Nam: A, B") only on topic
        if boxed is None:
            boxed = _boxed([probe, *lines], cfg, topic=body)[1:]
        if not boxed[k]:  # not a related box's item
            candidates.append(ln)
    # the first that sums the body up: a subheading or the sapo's kicker comes after the headline
    best = next((ln for ln in candidates if body.sums_up(ln)), None)
    on_topic = best is not None
    clean_heads = [ln for ln in candidates if _title_chrome(ln, cfg) is None]
    # else the first sharing more than other stories' headlines do (see title_offtopic_share),
    # else the last: DOM order prints the headline after menus and boxes
    loose = (ln for ln in clean_heads if body.share(ln) >= cfg.title_offtopic_share > 0)
    fallback = next(loose, clean_heads[-1] if clean_heads else None)
    if why is None and not on_topic:
        # A plain headline sharing (almost) nothing with the body (see above) stays unless a
        # line above the body sums it up: then it is another story's headline or a widget.
        return
    elif not on_topic and fallback is None and not why.startswith("strong:"):
        return  # a short or cue-like headline with nothing better above the body stays the headline
    lines.insert(0, probe)
    chosen = best if on_topic else fallback
    article.title = chosen.text if chosen is not None else ""


def _boxed(
    lines: list[_Line], cfg: CleanConfig, title_at: int = -1, titled: bool = False, topic: Vocab | None = None
) -> list[bool]:
    """Lines inside a related box: after a section label ("Tin liên quan"), its items (other
    stories' headlines) and each item's stamp, up to the first line of another shape. A stamp
    that follows a stamp, or a stamped item, or closes an undated box, is not an item's. Items
    share one shape: after bulleted items, a line without the bullet is no item; after two items
    without a stamp, a stamp with no other one below it before the body is the page's dateline.
    ``title_at``: the page's headline, when known; a box below it holds no headline of the
    page's own. ``titled``: the page's headline is known and printed apart from these lines (the
    file's first line, or the record's title field): a headline here is not the page's own either.
    ``topic``: the body's vocabulary, when known: a last pair above a sapo cut short is the page's
    own when its headline shares the body's words (see _cut_sapo)."""
    out = [False] * len(lines)
    k, n = 0, len(lines)
    stamp: list[bool] | None = None  # computed once a box is found (most pages have none above the body)
    while k < n:
        if not lines[k].section:
            k += 1
            continue
        if stamp is None:
            stamp = [_is_stamp(ln) for ln in lines]
        members: list[int] = []
        prev = ""
        # a stamp above the box: the page's dateline is there, so the box's last item is an item
        dated_above = any(stamp[:k])
        headline_above = 0 <= title_at < k
        bulleted: bool | None = None  # the first item's shape
        items = 0  # distinct items before the box's first stamp (a doubled title counts once)
        k += 1
        while k < n:
            ln = lines[k]
            if k == title_at:
                break  # the page's own headline ends the box above it
            if not stamp[k]:
                marked = _marked(ln)
                if bulleted is None:
                    bulleted = marked
                elif bulleted and not marked:
                    break  # "+ A", "+ B", then "C": C is no item of this box
            if stamp[k]:
                # (after a headline ending with a date -- "... từ 1/10/2022" -- in a box whose items
                # have their stamps on their own lines, this stamp is still that item's)
                if prev != "item" and not (prev == "stamped" and any(stamp[m] for m in members)):
                    break
                if items >= 2 and not any(stamp[m] for m in members) and not _stamps_below(lines, stamp, k, cfg):
                    break  # an undated box, then one stamp: the page's dateline, after the box
                prev = "stamp"
            elif (_is_item(ln) or ln.doubled or _headline_shaped(ln, cfg)) and _title_chrome(ln, cfg) is None:
                prev = "stamped" if ln.stamped else "item"
            elif (_is_item(ln) and (ln.kind != "S" or _clause_headline(ln, cfg))) or (ln.kind == "L" and not ln.cue):
                prev = "stamped" if ln.stamped else "item"  # short titles, long linked headlines are items too
            else:
                break
            if not stamp[k] and not (members and lines[members[-1]].text == ln.text):
                items += 1
            members.append(k)
            k += 1
        stamps_at = [i for i, m in enumerate(members) if stamp[m]]
        if (
            len(stamps_at) == 1
            and stamps_at[0] >= cfg.list_gap - 1
            and all(lines[m].kind == "L" for m in members[stamps_at[0] + 1 :])
        ):
            # items without stamps, then one stamp and short labels (a breadcrumb): the page's own
            # dateline and menu, printed after the box
            del members[stamps_at[0] :]
        while members and not headline_above:
            last = lines[members[-1]]
            nxt = lines[members[-1] + 1] if members[-1] + 1 < n else None
            stamps = sum(stamp[m] for m in members)
            head = lines[members[-2]] if len(members) >= 2 else None
            if (
                stamp[members[-1]]
                and not dated_above
                and not titled  # (the headline is elsewhere: this one is another story's)
                and nxt is not None
                and head is not None
                # (not a long headline shaped like a sentence)
                and (_opens_body(nxt, cfg) or _cut_sapo(nxt, head, cfg, topic))
                and not stamp[members[-2]]
                and not _is_item(head)
                and not head.doubled
            ):
                members[-2:] = []  # "<headline> <stamp>" right above the body: the page's own
            elif stamp[members[-1]] and stamps == 1 and len(members) >= cfg.list_gap - 1:
                members.pop()  # items without stamps, then one stamp: the page's own, after the box
            elif (
                not stamp[members[-1]]
                and not _is_item(last)
                and not last.doubled
                and nxt is not None
                and (nxt.kind in "ST" or stamp[members[-1] + 1])
            ):
                members.pop()  # a plain headline followed by its stamp or sapo: the page's own
            else:
                break
        for m in members:
            out[m] = True
    return out


def _cut_sapo(ln: _Line, head: _Line, cfg: CleanConfig, topic: Vocab | None) -> bool:
    """``ln``, printed under the headline ``head`` and its stamp, is the page's sapo cut short
    ("...", shaped like an item's snippet): the headline shares the body's words. Another story's
    item shares nothing with the body."""
    return topic is not None and ln.kind == "X" and ln.n >= cfg.body_words and topic.continues(head)


def _box_before(
    lines: list[_Line], first: int, cfg: CleanConfig, title_at: int, titled: bool, topic: Vocab
) -> list[bool]:
    """``_boxed`` over the page when a section label sits above line ``first`` (else no box)."""
    if first < len(lines) and any(ln.section for ln in lines[:first]):
        return _boxed(lines, cfg, title_at, titled, topic)
    return [False] * len(lines)


def _stamps_below(lines: list[_Line], stamp: list[bool], k: int, cfg: CleanConfig) -> bool:
    """Another stamp within a list's reach below line ``k``, before the body opens: items and
    stamps go on alternating (a box whose first items had no stamp)."""
    for j in range(k + 1, min(len(lines), k + cfg.list_gap + 1)):
        if stamp[j]:
            return True
        if _opens_body(lines[j], cfg):
            return False
    return False


def _resumes(ln: _Line, cfg: CleanConfig) -> bool:
    return ln.kind == "S" and ln.n >= cfg.body_words


def _goes_on(lines: list[_Line], k: int, cfg: CleanConfig, topic: Vocab) -> bool:
    """The story goes on below line ``k``: past a widget, a subheading or another story's box (its
    snippets share nothing with the story), a paragraph on the story's topic (or a body line)."""
    for ln in lines[k + 1 : k + 1 + cfg.resume_window]:
        if ln.reason is None and _opens_body(ln, cfg) and (ln.allowed is not None or topic.continues(ln)):
            return True
    return False


_NUMBERED = regex.compile(r"^\d{1,2}[.)]\s+(?=\S)")


def _subheading(ln: _Line, cfg: CleanConfig) -> bool:
    """A subheading of the body: headline-shaped, maybe numbered ("1. Trang phục dự thi") -- a
    body numbers its sections; other stories' links carry symbol bullets."""
    if _headline_shaped(ln, cfg):
        return True
    m = _NUMBERED.match(ln.text)
    return m is not None and _headline_shaped(_make_line(ln.idx, ln.text[m.end() :], cfg) or ln, cfg)


def _find_dateline(article: Article, lines: list[_Line], cfg: CleanConfig, topic: Vocab) -> None:
    """The publication date from the page's own stamp: only above the body (or right under the
    lead), never from a line after the body starts, and never from a stamp that is one item of
    a related list (inside a labelled box, or alternating with other headlines and stamps)."""
    title = article.title.casefold()
    title_at = _headline_at(lines, title, cfg)
    # The title kept from above the text (not recovered from a line, not found among the lines):
    # "<headline> <stamp>" closing a box right above the body is then another story's item and its
    # stamp -- a wrong date is worse than none.
    titled = title_at < 0 and bool(title) and not any(ln.idx < 0 for ln in lines)
    first = _body_start(lines, cfg, title, topic, title_at + 1)
    # the body does not start inside another story's box (an item shaped like a sentence)
    inbox = _box_before(lines, first, cfg, title_at, titled, topic)
    while first < len(lines) and inbox[first] and lines[first].allowed is None:
        first = _body_start(lines, cfg, title, topic, first + 1)
    zone = list(range(first))
    # the body resumes below the stamp (past a subheading, perhaps)
    after = [ln for ln in lines[first + 2 : first + 4] if not ln.reason]
    resumes = bool(after) and (
        _resumes(after[0], cfg) or (len(after) > 1 and _subheading(after[0], cfg) and _resumes(after[1], cfg))
    )
    # (the topic is only built when a stamp is there)
    goes_on = first + 1 < len(lines) and _is_stamp(lines[first + 1]) and _goes_on(lines, first + 1, cfg, topic)
    if first + 1 < len(lines) and (lines[first].allowed is None or resumes or goes_on):
        zone.append(first + 1)  # title / sapo / dateline / body: a stamp under the lead
    # (a stamp has digits: most lines are ruled out before the parser runs)
    stamps = {k for k in zone if _is_stamp(lines[k])}
    if not stamps:
        return
    # What only a page's dateline prints (a time zone, a label, a byline), on one stamp of the
    # header and no other: the page's own, wherever it sits in the header (a box's items share
    # their shape). The zone ends where the body starts: a second copy's stamp below is never own.
    marks = {k: dateline_marks(lines[k].text) for k in stamps}
    own = {k for k in stamps if marks[k] and not any(marks[k] & marks[o] for o in stamps if o != k)}
    boxed = _boxed(lines[: zone[-1] + 1], cfg, title_at, titled, topic)

    def headline(k: int) -> bool:  # another story's headline (not this page's)
        if not 0 <= k < len(lines) or k == title_at or lines[k].n < cfg.fragment_min_words:
            return False
        ln = lines[k]
        if ln.allowed is not None:
            return False  # a body line, even one opening with "1."
        return _is_item(ln) or (_headline_shaped(ln, cfg) and _title_chrome(ln, cfg) is None)

    def alike(h: int, item: int) -> bool:  # another item of the same list as the stamp's own item
        return 0 <= h < len(lines) and headline(h) and _marked(lines[h]) == _marked(lines[item])

    found: list[tuple[bool, int, bool, str, _Line]] = []
    for k in sorted(stamps):
        ln = lines[k]
        if ln.reason is not None and ln.idx >= 0:
            continue
        iso = parse_dateline(ln.text)
        if iso is None:
            continue
        if k - 1 != title_at and not is_labelled(ln.text) and k not in own:
            if boxed[k]:
                continue  # an item of a labelled related box
            # "<headline> <stamp> <headline> <stamp>": an unlabelled list of other stories, whose
            # items share one shape (a plain headline above "+ item" / stamp pairs is none of them)
            near = [o for o in stamps if o != k and abs(o - k) <= cfg.list_gap and not boxed[o]]
            own_item = k - 1 if headline(k - 1) else k + 1 if headline(k + 1) else None

            # (the other items: between the two stamps, or beside the other stamp)
            if own_item is not None and any(
                any(alike(h, own_item) for h in {*range(min(o, k) + 1, max(o, k)), o - 1, o + 1} - {own_item, k})
                for o in near
            ):
                continue
            # ... whose next stamp lies past the zone (a long item taken for the lead, its stamp,
            # then only headlines up to the next stamp: the alternation goes on below)
            later = (o for o in range(zone[-1] + 1, min(len(lines), k + cfg.list_gap + 1)) if _is_stamp(lines[o]))
            if headline(k + 1) and any(all(headline(h) for h in range(k + 1, o)) for o in later):
                continue
        found.append((is_update(ln.text), abs(k - title_at), k < title_at, iso, ln))
    if not found:
        return
    # A publication stamp before an "updated" one; the nearest to the headline; under it first.
    *_, iso, ln = min(found, key=lambda f: f[:3])
    article.published, article.published_source = iso, "dateline"
    ln.reason = None
    _drop(ln, "dateline")


# --------------------------------------------------------------------------------- cleaner


def _restore_inputs(article: Article) -> None:
    """Cleaning is a function of the inputs: a second run starts from what the first saw
    (title, dates, author as read), so cleaning twice changes nothing."""
    saved = article.meta.get("clean_input")
    if saved is None:
        article.meta["clean_input"] = {
            "title": article.title,
            "published": article.published,
            "published_source": article.published_source,
            "author": article.author,
            "credit": article.meta.get("credit"),
        }
        return
    article.title = saved["title"]
    article.published, article.published_source = saved["published"], saved["published_source"]
    article.author = saved["author"]
    if saved["credit"] is None:
        article.meta.pop("credit", None)
    else:
        article.meta["credit"] = saved["credit"]


def _clean_lines(article: Article, lines: list[_Line], cfg: CleanConfig, topic: Vocab) -> None:
    title = normalize_line(article.title).casefold()
    is_title = [bool(title) and _is_title_line(ln, title) for ln in lines]
    headline = _headline_at(lines, title, cfg)

    def sentence_from(start: int) -> int:
        body = (k for k in range(start, len(lines)) if lines[k].kind == "S" and lines[k].n >= cfg.body_words)
        return next((k for k in body if not is_title[k]), len(lines))

    # The page's own headline (often sentence-shaped) is not the start of the body, nor is what is
    # printed above it, nor a widget shaped like a sentence above the header's stamp.
    first_body = sentence_from(headline + 1)
    while first_body < len(lines) and _header_sentence(lines, first_body, cfg, topic):
        first_body = sentence_from(first_body + 1)
    if first_body == len(lines):
        first_body = 0  # no body sentence: no header zone either
    page = _Page(
        article,
        lines,
        cfg,
        title=title,
        first_body=first_body,
        last_body=max(
            (k for k, ln in enumerate(lines) if ln.kind == "S" and ln.n >= cfg.body_words), default=len(lines)
        ),
        title_at=is_title.index(True) if any(is_title) else -1,
        topic=topic,
    )
    page.vocab = Vocab(article, lines, cfg)
    for step in PASSES:
        step(page)


def clean_article(article: Article, config: CleanConfig = DEFAULTS) -> None:
    """Fill ``article.text`` (one paragraph per line) from ``raw_text``; log drops in ``removed``.

    ``removed[].line`` is the 1-based line number in the input file: ``meta["raw_line_offset"]``
    (set by the reader) counts the file lines before ``raw_text``, ``meta["title_line"]`` is the
    title's line; 0 for text that was no line of a file (a record's title or lead). Idempotent:
    cleaning an article again changes nothing.
    """
    cfg = config
    _restore_inputs(article)
    # Titles are obfuscated and padded like bodies; they are matched against lines below.
    article.title = fix_dotted_words(normalize_line(article.title))
    lines = _prepare(article, cfg)
    _recover_title(article, lines, cfg)
    topic = Vocab(article, lines, cfg)
    if article.published is None:
        _find_dateline(article, lines, cfg, topic)
    _clean_lines(article, lines, cfg, topic)
    kept = [ln for ln in lines if ln.reason is None]
    body = [ln.text for ln in kept]
    offset = int(article.meta.get("raw_line_offset", 0))
    title_line = int(article.meta.get("title_line", 0))

    def file_line(idx: int) -> int:
        return title_line if idx < 0 else offset + idx + 1

    removed = [RemovedLine(file_line(ln.idx), ln.raw.strip(), ln.reason) for ln in lines if ln.reason]
    # Partial-line repair: a site/place tag glued before the lead ("VOV.VN - ", "(Dân trí) - ")
    # is not the journalist's sentence: cut, and logged in ``removed`` like any dropped text.
    stripped: list[dict[str, object]] = []
    # On the first kept line, or else on the lead (the first sentence line: a kept subheading
    # or tag line may sit above it).
    lead_at = next((i for i, ln in enumerate(kept) if ln.kind == "S"), 0)
    if body and strip_prefix(body[0])[0]:
        lead_at = 0
    if body:
        tag, rest = strip_prefix(body[lead_at])
        if tag:
            body[lead_at] = rest
            stripped.append({"line": file_line(kept[lead_at].idx), "text": tag.strip(), "reason": "prefix"})
    if article.lead:
        lead = normalize_line(fix_dotted_words(article.lead))
        tag, lead = strip_prefix(lead)
        if tag:
            stripped.append({"line": 0, "text": tag.strip(), "reason": "prefix"})
        if lead and not (body and body[0].startswith(lead[:50])):
            body.insert(0, lead)
    if stripped:
        article.meta["stripped"] = stripped
        removed += [RemovedLine(int(s["line"]), str(s["text"]), "prefix") for s in stripped]  # type: ignore[call-overload]
    else:
        article.meta.pop("stripped", None)
    article.removed = removed
    article.text = "\n".join(body)


def clean_cluster(cluster: Cluster, config: CleanConfig = DEFAULTS) -> None:
    for article in cluster.articles:
        clean_article(article, config)
