"""HTML pages -> :class:`Article` (main text and metadata via trafilatura).

``article_from_html`` takes already-decoded HTML (``read.py`` decodes files with
``decode_bytes``; ``diemtin.ingest.fetch`` downloads and decodes URLs). Every failure is an
:class:`InputError` naming the file or URL, so one bad page never sinks a batch.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from urllib.parse import urlsplit

import regex

from diemtin.errors import InputError
from diemtin.ingest.encoding import normalize_text
from diemtin.model import Article

MIN_WORDS = 10  # fewer words than this is a menu or an error page, not an article
_WORD = regex.compile(r"\w+")
# Full publication timestamps, which trafilatura reduces to a day.
_PUBLISHED_META = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publishdate']/@content",
    "//time[@itemprop='datePublished']/@datetime",
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _full_timestamp(html: str, day: str | None) -> str | None:
    """An ISO datetime from the page's own metadata when it agrees with trafilatura's day."""
    try:
        from lxml import html as lxml_html

        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError):
        return None
    values = [str(v) for xp in _PUBLISHED_META for v in tree.xpath(xp)]
    values += _JSONLD_DATE.findall(html)
    for value in values:
        try:
            stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        iso = stamp.isoformat()
        if day is None or iso.startswith(day):
            # a date with no time component stays a date, not "T00:00:00"
            return iso if "T" in value or " " in value.strip() else iso[:10]
    return None


_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "li main nav ol p section table td th time tr ul br".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
_DATED = re.compile(r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}(?!\d)")
HEADER_LINES_BEFORE = 6  # lines above the <h1> that may hold its dateline ("dateline / menu / h1")
HEADER_MAX_LINES = 8  # a header is a few short lines: stamp, byline, share buttons, sapo
HEADER_MAX_WORDS = 60


# Other stories' boxes: a dateline is never inside one, so their stamps are not offered as one.
_BOX_TAGS = frozenset({"aside", "nav", "footer"})


def _dom_lines(tree) -> tuple[list[str], int, list[bool]]:  # noqa: ANN001 - lxml element
    """The page's visible text, one line per block element in document order, the index of the
    first ``<h1>`` line (-1 when none), and per line whether it sits in another story's box: an
    ``<aside>``/``<nav>``/``<footer>``, or a list item holding a link (a related item)."""
    from lxml import etree

    lines: list[str] = []
    boxed: list[bool] = []
    cur: list[str] = []
    h1 = -1
    box = 0  # open box elements around the current text

    def flush() -> None:
        text = " ".join("".join(cur).split())
        cur.clear()
        if text:
            lines.append(text)
            boxed.append(box > 0)

    skip = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        in_box = tag in _BOX_TAGS or (tag == "li" and el.find(".//a") is not None)
        if event == "start":
            if tag in _SKIP_TAGS:
                skip += 1
            if skip:
                continue
            if tag in _BLOCK_TAGS:
                flush()
            box += in_box
            if tag == "h1" and h1 < 0:
                h1 = len(lines)
            cur.append(el.text or "")
        else:
            if tag in _SKIP_TAGS:
                skip -= 1
            elif not skip:
                if tag in _BLOCK_TAGS:
                    flush()
                box -= in_box
            if not skip:
                cur.append(el.tail or "")
    flush()
    return lines, h1, boxed


def _header_lines(html: str, body: list[str]) -> tuple[list[str], list[str]]:
    """DOM-order lines around the headline and right under the lead, when one of them carries
    a date: trafilatura drops a dateline printed as text, and the cleaner reads it from there (and
    logs what it drops). Returns (lines from above the headline down to the body, lines between
    the lead and the next paragraph); empty when nothing there looks dated."""
    if not body:
        return [], []
    try:
        from lxml import html as lxml_html

        lines, h1, boxed = _dom_lines(lxml_html.fromstring(html))
    except (ValueError, TypeError, SyntaxError):
        return [], []
    if h1 < 0:
        return [], []
    # Another story's box is neither header nor body: its lines are not offered to the cleaner.
    keep = [i for i in range(len(lines)) if not boxed[i] or i == h1]
    h1 = keep.index(h1)
    lines = [lines[i] for i in keep]
    first = next((i for i in range(h1 + 1, len(lines)) if lines[i].startswith(body[0][:40])), None)
    if first is None:
        return [], []

    def short(block: list[str]) -> list[str]:
        return [ln for ln in block if len(ln.split()) <= HEADER_MAX_WORDS][:HEADER_MAX_LINES]

    # The headline stays among them: the cleaner measures how far each stamp is from it.
    head = lines[max(0, h1 - HEADER_LINES_BEFORE) : h1 + 1] + short(lines[h1 + 1 : first])
    gap: list[str] = []
    if len(body) > 1:
        second = next((i for i in range(first + 1, len(lines)) if lines[i].startswith(body[1][:40])), None)
        if second is not None:
            gap = short(lines[first + 1 : second])
    if not any(_DATED.search(ln) for ln in head):
        head = []
    if not any(_DATED.search(ln) for ln in gap):
        gap = []
    return head, gap


def _machine_readable(day: str, html: str) -> bool:
    """Is the ISO ``day`` written in the page's markup (metadata, ``<time datetime>``, JSON-LD,
    a dated URL path like ``/2022/01/21/``), not only in its text?"""
    y, m, d = day.split("-")
    return bool(re.search(rf"{y}[-/]{m}[-/]{d}|{y}{m}{d}", html))


def _extract(html: str, url: str | None):  # -> trafilatura Document | None
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml FutureWarnings from inside trafilatura
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            # Never date an article by its neighbours: only the page's own date counts.
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
        if doc is None or not (doc.text or "").strip():
            doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_recall=True)
    return doc


def article_from_html(html: str, article_id: str, source: str, url: str | None = None) -> Article:
    """Main text (one paragraph per line) and metadata of an HTML page."""
    if not html or not html.strip():
        raise InputError(source, "empty input")
    try:
        doc = _extract(html, url)
    except Exception as e:  # trafilatura/lxml raise many types on broken markup
        raise InputError(source, f"cannot parse HTML ({type(e).__name__}: {e})") from e
    text = normalize_text(doc.text or "") if doc is not None else ""
    title = normalize_text(doc.title or "").strip() if doc is not None else ""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # trafilatura keeps the <h1> as the first line
    if _words("\n".join(lines)) < MIN_WORDS:
        raise InputError(source, "no article text found in the HTML page")
    day = doc.date if doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date) else None
    if day and not _machine_readable(day, html):
        # Guessed from the page's text: a related item's stamp, a headline's "ngày 22/7/2022", a
        # month in the prose. Only metadata is trusted here; a visible dateline is the cleaner's
        # to read (see _header_lines), with the page's layout around it.
        day = None
    published = _full_timestamp(html, day) or day
    if not published:
        # No date in the metadata: the header lines (dateline under the headline) go first, in
        # page order, for the cleaner to read the date from and drop.
        head, gap = _header_lines(html, lines)
        lines = head + lines[:1] + gap + lines[1:]
    article = Article(id=article_id, title=title, raw_text="\n".join(lines), path=source, url=url)
    if doc.url and not url and doc.url.startswith(("http://", "https://")):
        article.url = doc.url  # canonical / og:url of a saved page
    if published:
        article.published = published
        article.published_source = "html"
    if doc.author:
        article.author = normalize_text(doc.author).strip()
    if doc.sitename:
        article.site = normalize_text(doc.sitename).strip()
    elif article.url:
        article.site = urlsplit(article.url).hostname
    return article
