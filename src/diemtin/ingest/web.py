"""HTML pages and URLs -> :class:`Article` (main text and metadata via trafilatura).

``article_from_html`` takes already-decoded HTML (``read.py`` decodes files with
``decode_bytes``); ``fetch_article`` downloads a page with hard limits (timeout, size,
redirects, content type) and decodes it itself. Every failure is an :class:`InputError`
naming the file or URL, so one bad page never sinks a batch.
"""

from __future__ import annotations

import re
import time
import warnings
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

import regex

from diemtin.errors import InputError
from diemtin.ingest.encoding import decode_bytes, detect_encoding, normalize_text
from diemtin.model import Article

USER_AGENT = "diemtin/0.1 (+news digest; respects size and time limits)"
MIN_WORDS = 10  # fewer words than this is a menu or an error page, not an article
_WORD = regex.compile(r"\w+")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
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


def _dom_lines(tree) -> tuple[list[str], int]:  # noqa: ANN001 - lxml element
    """The page's visible text, one line per block element in document order, and the index
    of the first ``<h1>`` line (-1 when none)."""
    from lxml import etree

    lines: list[str] = []
    cur: list[str] = []
    h1 = -1

    def flush() -> None:
        text = " ".join("".join(cur).split())
        cur.clear()
        if text:
            lines.append(text)

    skip = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skip += 1
            if skip:
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if tag == "h1" and h1 < 0:
                h1 = len(lines)
            cur.append(el.text or "")
        else:
            if tag in _SKIP_TAGS:
                skip -= 1
            elif not skip:
                if tag in _BLOCK_TAGS:
                    flush()
            if not skip:
                cur.append(el.tail or "")
    flush()
    return lines, h1


def _header_lines(html: str, body: list[str]) -> tuple[list[str], list[str]]:
    """DOM-order lines around the headline and right under the lead, when one of them carries
    a date: trafilatura drops a dateline printed as text, and the cleaner reads it from there (and
    logs what it drops). Returns (lines from above the headline down to the body, lines between
    the lead and the next paragraph); empty when nothing there looks dated."""
    if not body:
        return [], []
    try:
        from lxml import html as lxml_html

        lines, h1 = _dom_lines(lxml_html.fromstring(html))
    except (ValueError, TypeError, SyntaxError):
        return [], []
    if h1 < 0:
        return [], []
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


# --------------------------------------------------------------------------- fetching


def _id_from_url(url: str) -> str:
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    if segments:
        stem = re.sub(r"\.(html?|php|aspx?|chn|htm|vn)$", "", segments[-1], flags=re.IGNORECASE)
        if stem:
            return stem[:80]
    return parts.hostname or "page"


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return m.group(1).lower() if m else None


def decode_html_bytes(data: bytes, declared: str | None, source: str) -> str:
    """Decode a page's bytes using the declared charset (header or <meta>) with care.

    Declarations lie often: pages typed in VNI/TCVN3 fonts are served as iso-8859-1, and
    UTF-8 pages as iso-8859-1 too. UTF-8 and the Vietnamese legacy encodings are detected
    from the bytes first; the declaration decides only what detection cannot.
    """
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "replace").lower() if m else None
    if declared in (None, "utf-8", "utf8"):
        return decode_bytes(data, source)
    try:
        encoding, text = detect_encoding(data, source)
    except InputError:
        encoding, text = "", ""
    if encoding.startswith(("UTF", "windows-1258", "TCVN3", "VNI")):
        return text
    try:
        return normalize_text(data.decode(declared))
    except LookupError:
        if text:
            return text
        raise InputError(source, f"unknown charset {declared!r}") from None
    except UnicodeDecodeError as e:
        raise InputError(source, f"cannot decode as declared charset {declared} (byte {e.start})") from e


def fetch_article(
    url: str, timeout: float = 10, max_bytes: int = 5_000_000, max_redirects: int = 5
) -> Article:
    """Download ``url`` and extract its article. Every failure is an :class:`InputError`."""
    import httpx

    deadline = time.monotonic() + timeout  # total budget; httpx's timeout is per read
    current = url
    with httpx.Client(
        timeout=httpx.Timeout(timeout), follow_redirects=False, headers={"User-Agent": USER_AGENT}
    ) as client:
        for _hop in range(max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise InputError(url, f"unsupported URL scheme in {current!r}")
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(url, f"redirect without a Location (HTTP {response.status_code})")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        reason = response.reason_phrase or "error"
                        raise InputError(url, f"HTTP {response.status_code} {reason}")
                    content_type = response.headers.get("content-type", "")
                    data = _read_capped(response, url, max_bytes, deadline, timeout)
            except httpx.TimeoutException as e:
                raise InputError(url, f"timed out after {timeout:g} s") from e
            except httpx.HTTPError as e:
                raise InputError(url, f"cannot fetch ({type(e).__name__}: {e})") from e
            return _article_from_response(url, str(response.url), content_type, data)
    raise InputError(url, f"too many redirects (more than {max_redirects})")


def _read_capped(response, url: str, max_bytes: int, deadline: float, timeout: float) -> bytes:
    length = response.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise InputError(url, f"page too large ({int(length):,} bytes > {max_bytes:,})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"page too large (more than {max_bytes:,} bytes)")
        if time.monotonic() > deadline:
            raise InputError(url, f"timed out after {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _article_from_response(url: str, final_url: str, content_type: str, data: bytes) -> Article:
    mime = content_type.split(";")[0].strip().lower()
    looks_html = data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    article_id = _id_from_url(final_url)
    if mime in _HTML_TYPES or (not mime and looks_html):
        html = decode_html_bytes(data, _charset(content_type), url)
        article = article_from_html(html, article_id, url, url=final_url)
        article.path = None
        return article
    if mime == "text/plain":
        from diemtin.ingest.read import article_from_text

        article = article_from_text(decode_html_bytes(data, _charset(content_type), url), article_id)
        article.url = final_url
        return article
    raise InputError(url, f"not an HTML page (content-type {mime or 'missing'})")
