"""The date layer: every temporal expression of a cluster, found and resolved once."""

from __future__ import annotations

import bisect
import unicodedata

from diemtin.dates.events import role
from diemtin.dates.expressions import find_expressions
from diemtin.dates.now import SentenceSpans, infer_now
from diemtin.dates.resolve import Anchor, Context, Resolved, first_day, resolve
from diemtin.model import ROLE_EVENT, Article, Cluster, DateMention

_OWN_KINDS = ("dm", "dmy_words", "range", "month")  # a written date the sentence is about


_OPEN, _CLOSE = "“", "”"


_STRAIGHT = '"'


def _marks(line: str) -> list[int]:
    """Offsets of the quotation marks of ``line``, in order (str.find: lines hold few)."""
    out: list[int] = []
    for ch in (_OPEN, _CLOSE, _STRAIGHT):
        k = line.find(ch)
        while k >= 0:
            out.append(k)
            k = line.find(ch, k + 1)
    out.sort()
    return out


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Direct speech in ``text``: “...” pairs (or straight "..." pairs) within a line; an
    unclosed quote runs to the end of its line (quotes spanning sentences)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        curly = straight = -1  # where the open quote of each kind started, -1 when none is open
        for k in _marks(line):
            ch = line[k]
            if ch == _OPEN:
                if curly < 0:
                    curly = k
            elif ch == _CLOSE:
                if curly >= 0:
                    out.append((pos + curly, pos + k))
                    curly = -1
            elif straight < 0:
                straight = k
            else:
                out.append((pos + straight, pos + k))
                straight = -1
        out.extend((pos + o, pos + len(line)) for o in (curly, straight) if o >= 0)
        pos += len(line) + 1
    out.sort()
    return out


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    k = bisect.bisect_right(spans, (offset, 10**12)) - 1
    return k >= 0 and spans[k][0] < offset < spans[k][1]


def _ordinal(iso: str) -> int | None:
    d = first_day(iso)
    return d.toordinal() if d else None


def article_dates(
    article: Article, sentences: SentenceSpans, anchor: Anchor, quotes: list[tuple[int, int]]
) -> list[DateMention]:
    out: list[DateMention] = []
    prev: Resolved | None = None  # the last topic date of the article, for "cùng ngày"
    last: Resolved | None = None  # the last written date of the previous sentence
    last_index = -2
    for sent, spans in sentences:
        stext = sent.text
        # "Trước đó, ngày 18/5, ...": a written date in the sentence beats the back-reference.
        own = None
        for span in spans:
            if span.kind in _OWN_KINDS:
                own = resolve(span, Context(stext, anchor, None))
                if own:
                    break
        ctx = Context(stext, anchor, own or prev, own, last if last_index == sent.index - 1 else None)
        topic: Resolved | None = None
        written: Resolved | None = None
        for span in spans:
            res = resolve(span, ctx)
            if res is None:
                continue
            label = anchor.label if res.kind != "relative" else f"relative:{ctx.prev.iso if ctx.prev else ''}"
            why = role(span, res, stext, _inside(quotes, sent.start + span.start))
            out.append(
                DateMention(
                    article.id, sent.index, sent.start + span.start, sent.start + span.end,
                    unicodedata.normalize("NFC", span.text), res.iso, res.precision, label,
                    why == ROLE_EVENT, _ordinal(res.iso), res.kind, why,
                )
            )
            if res.kind == "explicit" and res.precision in ("day", "range") and topic is None:
                topic = res
            if res.kind == "explicit":
                written = res
        if topic is not None:
            prev = topic
        if written is not None:
            last, last_index = written, sent.index
    return out


def title_date(article: Article, anchor: Anchor) -> str | None:
    """The first explicit day date of the title, year known (titles carry no offsets into the text)."""
    title = article.title or ""
    for span in find_expressions(title):
        res = resolve(span, Context(title, anchor, None))
        if res and res.precision == "day" and res.kind == "explicit" and first_day(res.iso):
            return res.iso
    return None


def build(cluster: Cluster) -> None:
    articles = [a for a in cluster.articles if a.duplicate_of is None]
    spans: dict[str, SentenceSpans] = {
        a.id: [(s, ss) for s in a.sentences if (ss := find_expressions(s.text))] for a in articles
    }
    quotes = {a.id: quoted_spans(a.text) for a in articles}
    inferred = infer_now(articles, spans, lambda aid, offset: _inside(quotes[aid], offset))
    cluster.now = inferred.now
    mentions: list[DateMention] = []
    for article in articles:
        anchor = inferred.anchors[article.id]
        td = title_date(article, anchor)
        if td:
            article.meta["title_date"] = td
        mentions.extend(article_dates(article, spans[article.id], anchor, quotes[article.id]))
    cluster.dates = mentions
