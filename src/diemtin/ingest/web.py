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
    article = Article(id=article_id, title=title, raw_text="\n".join(lines), path=source, url=url)
    if doc.url and not url and doc.url.startswith(("http://", "https://")):
        article.url = doc.url  # canonical / og:url of a saved page
    day = doc.date if doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date) else None
    published = _full_timestamp(html, day) or day
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
