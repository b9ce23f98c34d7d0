"""A randomized page-layout generator: real article bodies dressed the way scrapers save pages.

It takes journalists' articles from ``../shared/data`` (AbMuSu train/test, ViMs), dresses
each one in a random but plausible page layout (breadcrumb, dateline, title, sapo in any
plausible order; the body as one line or as paragraphs; related lists with or without
timestamps before, inside and after the body; doubled captions; share/follow widgets;
lead prefixes; NFD; BOM/CRLF; windows-1258; ``.txt``, ``.html`` or JSON) and writes it to
disk. :func:`score` then reads and cleans it through the public API and counts:

- **kept**: the body's sentences (sapo included) still in ``Article.text``;
- **leaked**: inserted chrome still in ``Article.text``;
- **wrong published**: ``published`` not the dateline/metadata date (nor the data's own site
  stamp above the text, see ``Source.own_stamp``), or a date when the page shows none.

The site vocabulary below was written from knowledge of Vietnamese news sites, *before*
reading the cleaner and independently of its word lists; nothing here is imported from
``diemtin.clean``. Do not tune it (or the seeds) against the cleaner: that would make the
figures prove nothing.
"""

from __future__ import annotations

import html as html_lib
import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

# --------------------------------------------------------------------------------------
# Site vocabulary (the generator's own; keep apart from diemtin.clean's lexicons)
# --------------------------------------------------------------------------------------

SECTIONS = [
    "Thế giới",
    "Thời sự",
    "Kinh doanh",
    "Giải trí",
    "Thể thao",
    "Pháp luật",
    "Giáo dục",
    "Sức khỏe",
    "Đời sống",
    "Du lịch",
    "Khoa học",
    "Số hóa",
    "Xe",
    "Ý kiến",
    "Văn hóa",
    "Công nghệ",
    "Quốc tế",
    "Kinh tế",
    "Xã hội",
    "Bất động sản",
    "Chính trị",
    "Tài chính",
    "Quân sự",
    "Phân tích",
    "Tuyển sinh",
    "Bóng đá",
    "Sao Việt",
    "Nhịp sống trẻ",
]
HOMES = ["Trang chủ", "Trang nhất", "Home", "Tin tức", "Báo điện tử"]
CRUMB_SEPS = [" » ", " > ", " / ", " › ", " | ", " - ", " >> "]

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

SHARE_WIDGETS = [
    "Chia sẻ",
    "Chia sẻ Facebook",
    "Theo dõi chúng tôi trên mạng xã hội",
    "Theo dõi báo trên Google News",
    "Tweet",
    "Bình luận (0)",
    "0 bình luận",
    "Lưu bài viết",
    "In bài viết",
    "Gửi bài viết qua email",
    "Cỡ chữ A- A A+",
    "Nghe bài viết",
    "Copy link",
    "Zalo",
    "Facebook Twitter Zalo",
    "Gửi bình luận",
    "Ý kiến bạn đọc",
    "Đăng nhập để bình luận",
    "Xem bình luận",
    "Quảng cáo",
    "ADVERTISEMENT",
    "Quay lại đầu trang",
    "Bạn cần đăng nhập để thực hiện chức năng này!",
    "Lượt xem: 1.284",
    "Đánh giá bài viết",
    "Thích",
    "Tải ứng dụng",
    "Đọc báo in",
    "Đăng ký nhận bản tin",
]
TAG_HEADS = ["Từ khóa:", "Tags:", "Chủ đề:", "TỪ KHÓA", "Tag:"]
RELATED_HEADS = [
    "TIN LIÊN QUAN",
    "Tin liên quan",
    ">> Tin liên quan:",
    "Bài liên quan",
    "Xem thêm:",
    "ĐỌC THÊM",
    "Tin cùng chuyên mục",
    "Tin mới nhất",
    "Tin khác",
    "Các tin khác",
    "Có thể bạn quan tâm",
    "Đọc nhiều",
    "Tin nổi bật",
    "MỚI NHẤT",
    "Tin đọc nhiều",
    "Bài viết liên quan",
    "CÙNG CHUYÊN MỤC",
    "Tin tức liên quan",
]
RELATED_BULLETS = ["", "", ">> ", "- ", "• ", "+ ", "» "]
IMAGE_LINES = [
    "Ảnh: Reuters",
    "(Ảnh minh họa)",
    "Ảnh minh họa: Internet",
    "Ảnh: TTXVN",
    "Nguồn: AFP",
    "Ảnh: Getty Images",
    "Ảnh chụp màn hình",
    "Ảnh: AP",
    "(Ảnh: Xinhua)",
    "Ảnh: Tư liệu",
    "Ảnh: NVCC",
    "Ảnh minh hoạ",
    "Hình minh họa",
    "Ảnh: Báo Nhân Dân",
]
SOURCE_LINES = [
    "Theo TTXVN",
    "Theo VnExpress",
    "Theo Dân trí",
    "Nguồn: Tuổi Trẻ",
    "(Theo Reuters)",
    "Theo VOV",
    "Theo Thanh Niên",
    "Nguồn: Chinhphu.vn",
    "Theo Vietnam+",
    "(Theo AFP, CNN)",
]
AUTHORS = [
    "Minh Anh",
    "Hoàng Nam",
    "Thu Hà",
    "PV",
    "Nhóm PV",
    "Lê Phương",
    "Quốc Khánh",
    "Thanh Hương (tổng hợp)",
    "Việt Dũng",
    "Ngọc Mai",
]
LEAD_PREFIXES = [
    "HÀ NỘI - ",
    "(Dân trí) - ",
    "VOV.VN - ",
    "TPO - ",
    "(PLO)- ",
    "(NLĐO) - ",
    "BRUSSELS - ",
    "TTO - ",
    "(Chinhphu.vn) - ",
    "ANTD.VN - ",
    "VTV.vn - ",
    "(Thanh Niên) - ",
    "GD&TĐ - ",
    "(Baonghean.vn) - ",
    "MOSKVA - ",
    "TP.HCM - ",
]
EVENT_LINES = ["Sự kiện: ", "Chuyên đề: ", "Dòng sự kiện: "]


def _pad(n: int) -> str:
    return f"{n:02d}"


@dataclass(frozen=True)
class When:
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int

    @property
    def iso_day(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _random_when(rng: random.Random, years: tuple[int, int]) -> When:
    return When(
        rng.randint(*years),
        rng.randint(1, 12),
        rng.randint(1, 28),
        rng.randint(0, 23),
        rng.randint(0, 59),
        rng.randint(0, 59),
    )


def _weekday(w: When) -> str:
    import datetime

    return WEEKDAYS[datetime.date(w.year, w.month, w.day).weekday()]


def dateline_text(rng: random.Random, w: When) -> str:
    """A page's publication line, in one of the forms Vietnamese sites print."""
    d, m, y, h, mi, s = _pad(w.day), _pad(w.month), w.year, _pad(w.hour), _pad(w.minute), _pad(w.second)
    forms = [
        f"{_weekday(w)}, {h}:{mi} {d}/{m}/{y} (GMT+7)",
        f"{_weekday(w)}, {w.day}/{w.month}/{y}, {h}:{mi} (GMT+7)",
        f"{d}/{m}/{y} {h}:{mi}",
        f"Cập nhật: {h}:{mi} {d}/{m}/{y}",
        f"{_weekday(w)}, {d}/{m}/{y} - {h}:{mi}",
        f"{d}-{m}-{y} - {h}:{mi}:{s}",
        f"Đăng lúc {h}:{mi} ngày {d}/{m}/{y}",
        f"Ngày đăng: {d}/{m}/{y}",
        f"{h}:{mi} | {d}/{m}/{y}",
        f"{d}/{m}/{y} {h}:{mi} GMT+7",
        f"{_weekday(w)}, ngày {d}/{m}/{y} {h}:{mi}",
        f"{h}:{mi} {d}/{m}/{y}",
        f"Thời gian đăng: {d}/{m}/{y} {h}:{mi}:{s}",
        f"{rng.choice(AUTHORS)} | {d}/{m}/{y} {h}:{mi}",
        f"{h}:{mi}:{s} {d}/{m}/{y}",
    ]
    return rng.choice(forms)


def stamp_text(rng: random.Random, w: When) -> str:
    """A related item's timestamp (a date that is *not* the article's)."""
    d, m, y, h, mi, s = _pad(w.day), _pad(w.month), w.year, _pad(w.hour), _pad(w.minute), _pad(w.second)
    return rng.choice(
        [
            f"{h}:{mi}:{s} {d}/{m}/{y}",
            f"{d}/{m}/{y} {h}:{mi}",
            f"({d}/{m}/{y})",
            f"{d}/{m}/{y}",
            f"{h}:{mi} {d}/{m}/{y}",
            f"{d}-{m}-{y} {h}:{mi}",
            f"{_weekday(w)}, {d}/{m}/{y}",
        ]
    )


def breadcrumb_text(rng: random.Random) -> str:
    sep = rng.choice(CRUMB_SEPS)
    parts = [rng.choice(HOMES)] if rng.random() < 0.7 else []
    parts += rng.sample(SECTIONS, rng.randint(1, 2))
    return sep.join(parts)


# --------------------------------------------------------------------------------------
# Real articles
# --------------------------------------------------------------------------------------


@dataclass
class Source:
    """A journalist's article as the dataset gives it."""

    key: str
    title: str
    sapo: str
    paragraphs: list[str]

    @property
    def own_stamp(self) -> str | None:
        """The ISO day of a site stamp the data itself kept above the text (a few ViMs files are
        whole scraped pages: menus, "Gửi 10:44am | 21/05/2016", then the article): the page then
        shows that date whatever the dressing adds. A stamp below the first prose line is not
        looked at (the body has started)."""
        for p in self.paragraphs:
            if sentences(p):
                return None
            if iso := _own_stamp(p):
                return iso
        return None


def _paras(text: str) -> list[str]:
    return [p.strip() for p in unicodedata.normalize("NFC", text).replace("\r", "").split("\n") if p.strip()]


def load_sources(data: Path = DATA) -> list[Source]:
    """Every article of AbMuSu train + test inputs and of ViMs dev, in a fixed order."""
    out: list[Source] = []
    for name in ("train.jsonl", "test-inputs.jsonl"):
        path = data / "abmusu" / name
        for ci, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            rec = json.loads(line)
            for di, doc in enumerate(rec["single_documents"]):
                paras = _paras(doc.get("raw_text") or "")
                if paras:
                    out.append(
                        Source(
                            f"{name}:{ci}:{di}",
                            (doc.get("title") or "").strip(),
                            (doc.get("anchor_text") or "").strip(),
                            paras,
                        )
                    )
    for f in sorted((data / "vims-dev" / "data").glob("Cluster_*/*.txt")):
        lines = _paras(f.read_bytes().decode("utf-8", errors="replace"))
        if len(lines) >= 2:
            out.append(Source(f"vims:{f.parent.name}/{f.name}", lines[0], "", lines[1:]))
    return out


# --------------------------------------------------------------------------------------
# Sentences and comparison keys (the generator's own, simple on purpose)
# --------------------------------------------------------------------------------------

# A line that is a date and a clock time with at most a short label or name beside them.
_STAMP_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)")
_STAMP_CLOCK = re.compile(r"(?<!\d)\d{1,2}\s*[:h]\s*\d{2}(?:\s*[ap]m)?", re.I)
STAMP_MAX_WORDS = 3  # words beside the date and time ("Gửi", "Cập nhật", a name)


def _own_stamp(line: str) -> str | None:
    d = _STAMP_DATE.search(line)
    if d is None:
        return None
    rest = line[: d.start()] + " " + line[d.end() :]
    t = _STAMP_CLOCK.search(rest)
    if t is None:
        return None
    rest = rest[: t.start()] + " " + rest[t.end() :]
    words = [w for w in re.split(r"[\W_]+", rest) if w]
    if any(w.isdigit() for w in words) or len(words) > STAMP_MAX_WORDS:
        return None
    day, month, year = int(d.group(1)), int(d.group(2)), int(d.group(3))
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None


_SENT_END = re.compile(r"(?<=[.!?…])[\"”']?\s+(?=[\"“'(]?[A-ZĐÀ-ỸА-Я0-9])")
_KEY = re.compile(r"[^\w]+")
MIN_SENTENCE_WORDS = 6


def key(text: str) -> str:
    """Letters and digits only, lowercased NFC, single spaces: robust to spacing and quotes."""
    return " ".join(_KEY.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


# A photo caption inside the dataset's own text ("... vào Tây Ban Nha. Ảnh: AP"): not body text
# the cleaner should keep, so not counted (the generator's own reading, not the cleaner's).
_DATA_CAPTION = re.compile(r"(?:Ảnh|ẢNH|Nguồn|Video|Clip)(?:\s+minh\s+h[oọ]ạ?)?\s*[:.]\s*[^.!?]{0,40}\.?$")
_ENDED = re.compile(r"[.!?…][\"”’')]*$")
MIN_UNENDED_WORDS = 15  # an unended line this long is prose whose period was lost, shorter: a heading


def sentences(paragraph: str) -> list[str]:
    """The body sentences a reader would miss: ≥ MIN_SENTENCE_WORDS words, ended (or long);
    none from a paragraph that is a photo caption in the data itself."""
    if _DATA_CAPTION.search(paragraph):
        return []
    return [
        s
        for s in _SENT_END.split(paragraph)
        if len(s.split()) >= MIN_SENTENCE_WORDS and (_ENDED.search(s) or len(s.split()) >= MIN_UNENDED_WORDS)
    ]


# --------------------------------------------------------------------------------------
# Dressing
# --------------------------------------------------------------------------------------


@dataclass
class Page:
    """One dressed article and what the scorer must find in (or not in) its cleaning."""

    source: Source
    fmt: str  # "txt" | "html" | "json"
    encoding: str  # "utf-8" | "utf-8-sig" | "cp1258"
    nfd: bool
    crlf: bool
    one_line: bool
    published: str | None  # ISO day the page shows (dateline or metadata), None when none
    lines: list[str]  # the page in DOM order (txt/json: the file lines)
    chrome: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    prefix: str = ""  # lead prefix glued to the first body paragraph
    html: str = ""
    features: list[str] = field(default_factory=list)
    sapo_shown: bool = False
    # another date the page shows as its own: the data's own site stamp (see Source.own_stamp)
    # besides the dressing's dateline -- two datelines, either is right
    also_published: str | None = None


def _related_block(rng: random.Random, titles: list[str], dated: bool, pub_year: int) -> list[tuple[str, str]]:
    head = rng.choice(RELATED_HEADS)
    block = [("related_head", head)]
    bullet = rng.choice(RELATED_BULLETS)
    stamp_style = rng.choice(["own_line", "same_line"])
    for t in rng.sample(titles, rng.randint(2, 5)):
        item = bullet + t
        w = _random_when(rng, (pub_year - 2, pub_year + 3))
        if dated and stamp_style == "same_line":
            block.append(("related", f"{item} {stamp_text(rng, w)}"))
        else:
            block.append(("related", item))
            if rng.random() < 0.3:
                block.append(("related", item))  # many sites print the title twice (image alt + link)
            if dated:
                block.append(("stamp", stamp_text(rng, w)))
    return block


def _cp1258(text: str) -> bytes:
    """windows-1258 the way Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = [c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        try:
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)


def dress(rng: random.Random, src: Source, others: list[str]) -> Page:
    """Dress one article in a random plausible layout (see the module docstring)."""
    fmt = rng.choices(["txt", "html", "json"], weights=[5, 3, 2])[0]
    encoding = rng.choices(["utf-8", "utf-8-sig", "cp1258"], weights=[6, 2, 2 if fmt != "json" else 0])[0]
    nfd = rng.random() < 0.15
    crlf = fmt == "txt" and rng.random() < 0.25
    one_line = rng.random() < 0.4
    w = _random_when(rng, (2015, 2023))
    show_dateline = rng.random() < 0.75
    feats: list[str] = []

    paras = list(src.paragraphs)
    prefix = ""
    if rng.random() < 0.3:
        prefix = rng.choice(LEAD_PREFIXES)
        feats.append("prefix")

    # Body blocks: paragraphs, maybe with a doubled caption and inner widgets/related lists.
    body: list[tuple[str, str]] = [("body", p) for p in paras]
    if len(paras) >= 3 and rng.random() < 0.35 and not one_line:
        i = rng.randrange(1, len(paras))
        cap = [("image", rng.choice(IMAGE_LINES))] if rng.random() < 0.8 else []
        body[i:i] = cap + [("caption", paras[i])]  # the caption copy, then the body copy at i
        feats.append("doubled_caption")
    if one_line:
        text = " ".join(p for k, p in body if k == "body")
        body = [("body", text)]
    elif len(body) >= 4 and rng.random() < 0.3:
        i = rng.randrange(2, len(body) - 1)
        if rng.random() < 0.5:
            inner = [("widget", rng.choice(SHARE_WIDGETS))]
        else:
            inner = [("related_head", rng.choice(["Xem thêm:", ">> Xem thêm", "ĐỌC THÊM:", "Tin liên quan:"]))]
            inner += [("related", rng.choice(RELATED_BULLETS) + t) for t in rng.sample(others, rng.randint(1, 2))]
        body[i:i] = inner
        feats.append("inner_chrome")
    if prefix:
        first = next(i for i, (k, _) in enumerate(body) if k == "body")
        body[first] = ("body", prefix + body[first][1])

    head: list[tuple[str, str]] = []
    crumb = [("breadcrumb", breadcrumb_text(rng))] if rng.random() < 0.6 else []
    dateline = [("dateline", dateline_text(rng, w))] if show_dateline else []
    title = [("title", src.title)]
    sapo = [("sapo", src.sapo)] if src.sapo and rng.random() < 0.7 else []
    share = [("widget", rng.choice(SHARE_WIDGETS))] if rng.random() < 0.4 else []
    order = rng.choice(
        [
            crumb + title + dateline + sapo,
            crumb + dateline + title + sapo,
            dateline + crumb + title + sapo,
            crumb + title + sapo + dateline,
            title + dateline + sapo,
            title + sapo + dateline,
            crumb + title + dateline + share + sapo,
            dateline + title + sapo,
        ]
    )
    if share and share[0] not in order and rng.random() < 0.5:
        order = share + order
    head = order
    if rng.random() < 0.2:
        head = [("widget", rng.choice(EVENT_LINES) + rng.choice(others)[:60])] + head

    dated_related = rng.random() < 0.6
    before: list[tuple[str, str]] = []
    if rng.random() < 0.25:
        before = _related_block(rng, others, dated_related, w.year)
        feats.append("related_before")
    after: list[tuple[str, str]] = []
    if rng.random() < 0.5:
        after.append(("source", rng.choice(SOURCE_LINES) if rng.random() < 0.5 else rng.choice(AUTHORS)))
    if rng.random() < 0.5:
        after.append(("widget", rng.choice(SHARE_WIDGETS)))
    if rng.random() < 0.3:
        after.append(("tags", rng.choice(TAG_HEADS) + " " + ", ".join(rng.sample(SECTIONS, 3))))
    if rng.random() < 0.75:
        after += _related_block(rng, others, dated_related, w.year)
        feats.append("related_after")
    if rng.random() < 0.3:
        after.append(("widget", rng.choice(SHARE_WIDGETS)))

    blocks = before + head + body + after if rng.random() < 0.3 else head + before + body + after
    page = Page(
        src,
        fmt,
        encoding,
        nfd,
        crlf,
        one_line,
        w.iso_day if show_dateline else None,
        [t for _, t in blocks],
        prefix=prefix,
        features=feats,
        sapo_shown=bool(sapo),
    )
    page.chrome = [(k, t) for k, t in blocks if k not in ("body", "title", "sapo", "caption")]
    if fmt == "html":
        page.html = _html(rng, blocks, src.title, w, show_dateline, encoding)
        if not show_dateline and rng.random() < 0.4:
            # Metadata only: the date is in <meta>, not on the page.
            page.html = page.html.replace(
                "<head>",
                '<head><meta property="article:published_time" '
                f'content="{w.iso_day}T{_pad(w.hour)}:{_pad(w.minute)}:00+07:00">',
                1,
            )
            page.published = w.iso_day
            feats.append("meta_date")
    own = None if one_line else src.own_stamp  # (joined into the one body line, it is prose)
    if own is not None and page.published is None:
        page.published = own
    elif own is not None and own != page.published:
        page.also_published = own
    return page


def _html(rng: random.Random, blocks: list[tuple[str, str]], title: str, w: When, dated: bool, encoding: str) -> str:
    esc = html_lib.escape
    charset = "windows-1258" if encoding == "cp1258" else "utf-8"
    parts = [
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="{charset}">'
        f"<title>{esc(title)} - Báo Mới Online</title></head><body>",
        '<header><nav><a href="/">Trang chủ</a> <a href="/the-gioi">Thế giới</a> '
        '<a href="/kinh-te">Kinh tế</a></nav></header>',
        "<main>",
    ]
    in_article = False
    in_list = False
    for kind, text in blocks:
        t = esc(text)
        if kind not in ("related", "stamp") and in_list:  # an item's stamp stays in its list
            parts.append("</ul></aside>")
            in_list = False
        if kind in ("body", "caption", "image", "sapo") and not in_article:
            parts.append('<article class="content-detail">')
            in_article = True
        if kind == "breadcrumb":
            parts.append(f'<div class="breadcrumb">{t}</div>')
        elif kind == "title":
            parts.append(f'<h1 class="title-detail">{t}</h1>')
        elif kind == "dateline":
            parts.append(f'<span class="date">{t}</span>')
        elif kind == "sapo":
            parts.append(f'<p class="sapo"><strong>{t}</strong></p>')
        elif kind == "body":
            parts.append(f"<p>{t}</p>")
        elif kind == "image":
            parts.append(
                f'<figure><img src="/img/{rng.randint(1, 10**6)}.jpg" alt=""><figcaption>{t}</figcaption></figure>'
            )
        elif kind == "caption":
            parts.append(f'<p class="Image">{t}</p>')
        elif kind == "related_head":
            parts.append(f'<aside class="related"><h3>{t}</h3><ul>')
            in_list = True
        elif kind == "related":
            if not in_list:
                parts.append('<aside class="related"><ul>')
                in_list = True
            parts.append(f'<li><a href="/tin/{rng.randint(1, 10**6)}.html">{t}</a></li>')
        elif kind == "stamp":
            parts.append(f'<li><span class="time">{t}</span></li>' if in_list else f"<span>{t}</span>")
        else:
            parts.append(f'<div class="{kind}">{t}</div>')
    if in_list:
        parts.append("</ul></aside>")
    if in_article:
        parts.append("</article>")
    parts.append("</main><footer>© Báo Mới Online. Giấy phép số 123/GP-BTTTT.</footer></body></html>")
    return "\n".join(parts)


def write(page: Page, directory: Path, name: str) -> Path:
    """Write the page to ``directory`` as its format and encoding say; return the path."""
    if page.fmt == "html":
        text, suffix = page.html, ".html"
    elif page.fmt == "json":
        # A scraper's record: the title as a field, the DOM text (chrome and all) as ``text``.
        body = [t for t in page.lines if t != page.source.title]
        text, suffix = json.dumps({"title": page.source.title, "text": "\n".join(body)}, ensure_ascii=False), ".json"
    else:
        text, suffix = "\n".join(page.lines) + "\n", ".txt"
    if page.nfd:
        text = unicodedata.normalize("NFD", text)
    if page.crlf:
        text = text.replace("\n", "\r\n")
    data = _cp1258(text) if page.encoding == "cp1258" else text.encode(page.encoding)
    path = directory / f"{name}{suffix}"
    path.write_bytes(data)
    return path


def pages(seed: int, n: int, sources: list[Source]) -> list[Page]:
    """``n`` dressed pages, chosen and dressed by ``random.Random(seed)``."""
    rng = random.Random(seed)
    chosen = rng.sample(range(len(sources)), n)
    titles = [s.title for s in sources if 25 <= len(s.title) <= 140]
    out = []
    for i in chosen:
        src = sources[i]
        others = [t for t in rng.sample(titles, 12) if t != src.title][:8]
        out.append(dress(rng, src, others))
    return out


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


@dataclass
class Score:
    articles: int = 0
    sentences: int = 0
    kept: int = 0
    chrome: int = 0
    leaked: int = 0
    dated: int = 0
    wrong_published: int = 0  # any mismatch, a date missed included
    missed_published: int = 0  # of those: the page shows a date, none was found (no wrong date)
    title_wrong: int = 0
    errors: int = 0
    leaked_by_kind: Counter = field(default_factory=Counter)
    chrome_by_kind: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for f in (
            "articles",
            "sentences",
            "kept",
            "chrome",
            "leaked",
            "dated",
            "wrong_published",
            "missed_published",
            "title_wrong",
            "errors",
        ):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.leaked_by_kind.update(other.leaked_by_kind)
        self.chrome_by_kind.update(other.chrome_by_kind)
        self.examples += other.examples

    @property
    def kept_rate(self) -> float:
        return self.kept / self.sentences if self.sentences else 1.0

    @property
    def leak_rate(self) -> float:
        return self.leaked / self.chrome if self.chrome else 0.0

    def line(self) -> str:
        return (
            f"{self.articles} articles: kept {self.kept}/{self.sentences} = {self.kept_rate:.2%}, "
            f"leaked {self.leaked}/{self.chrome} = {self.leak_rate:.2%}, "
            f"wrong published {self.wrong_published}/{self.articles} ({self.dated} dated; "
            f"{self.missed_published} of them missed, {self.wrong_published - self.missed_published} a wrong date), "
            f"title wrong {self.title_wrong}, errors {self.errors}"
        )


def _leaked(kind: str, chrome: str, text_lines: set[str], text_key: str) -> bool:
    k = key(chrome)
    if not k:
        return False
    if k in text_lines:
        return True
    # Long chrome (related titles, event lines) is unmistakable anywhere in the text.
    return len(k) >= 25 and k in text_key


def score_article(page: Page, article, verbose: bool = False) -> Score:
    """Compare one cleaned article with what its page holds."""
    s = Score(articles=1)
    text = article.text or ""
    text_key = " " + key(text) + " "
    text_lines = {key(ln) for ln in text.split("\n")}
    # Body sentences, sapo included: the journalist's words.
    wanted = [x for p in ([page.source.sapo] if page.sapo_shown else []) + page.source.paragraphs for x in sentences(p)]
    for sent in wanted:
        s.sentences += 1
        if " " + key(sent) + " " in text_key or key(sent) in text_key:
            s.kept += 1
        elif verbose and len(s.examples) < 3:
            s.examples.append(f"lost [{page.source.key}]: {sent[:100]}")
    for kind, chrome in page.chrome:
        s.chrome += 1
        s.chrome_by_kind[kind] += 1
        if _leaked(kind, chrome, text_lines, text_key):
            s.leaked += 1
            s.leaked_by_kind[kind] += 1
            if verbose and len(s.examples) < 6:
                s.examples.append(f"leaked {kind} [{page.source.key}]: {chrome[:80]}")
    if page.prefix:
        s.chrome += 1
        s.chrome_by_kind["prefix"] += 1
        first = key(text.split("\n", 1)[0])
        if first.startswith(key(page.prefix)):
            s.leaked += 1
            s.leaked_by_kind["prefix"] += 1
    got = (article.published or "")[:10] or None
    if page.published:
        s.dated += 1
    if got != page.published and not (got is not None and got == page.also_published):
        s.wrong_published += 1
        s.missed_published += got is None
        if verbose:
            s.examples.append(f"published [{page.source.key}] {got} != {page.published} ({page.fmt})")
    if key(article.title or "") != key(page.source.title):
        s.title_wrong += 1
        if verbose and len(s.examples) < 8:
            s.examples.append(f"title [{page.source.key}] {article.title[:60]!r} != {page.source.title[:60]!r}")
    return s


def run(seed: int, n: int, sources: list[Source], directory: Path, verbose: bool = False) -> Score:
    """Dress ``n`` articles with ``seed``, read and clean each through the public API, score."""
    from diemtin import pipeline
    from diemtin.ingest.read import read_inputs

    total = Score()
    for i, page in enumerate(pages(seed, n, sources)):
        path = write(page, directory, f"s{seed}_{i:04d}")
        try:
            clusters = read_inputs([path])
            cluster = clusters[0]
            pipeline.clean(cluster)
            article = cluster.articles[0]
        except Exception as e:  # noqa: BLE001 - one bad page is a counted error, not a crash
            total.add(Score(articles=1, errors=1, examples=[f"error [{page.source.key}] {type(e).__name__}: {e}"]))
            continue
        total.add(score_article(page, article, verbose))
    return total


# Picked once, before the first run; never changed to make figures look better.
SEEDS = (11, 2026, 31337)
