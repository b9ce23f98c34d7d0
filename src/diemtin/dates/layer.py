"""The date layer: every temporal expression of a cluster, resolved once."""

from __future__ import annotations

import unicodedata

from diemtin.dates.expressions import find_expressions
from diemtin.dates.now import article_anchor, infer_now
from diemtin.dates.resolve import Anchor, Context, Resolved, first_day, resolve
from diemtin.model import Article, Cluster, DateMention

_OWN_KINDS = ("dm", "dmy_words", "range", "month")  # a written date the sentence is about


def _ordinal(iso: str) -> int | None:
    d = first_day(iso)
    return d.toordinal() if d else None


def article_dates(article: Article, anchor: Anchor | None) -> list[DateMention]:
    a = anchor or Anchor(None, "", False)
    out: list[DateMention] = []
    prev: Resolved | None = None
    for sent in article.sentences:
        stext = sent.text
        spans = find_expressions(stext)
        if not spans:
            continue
        # "Trước đó, ngày 18/5, ...": a written date in the sentence beats the back-reference.
        own = None
        for span in spans:
            if span.kind in _OWN_KINDS:
                own = resolve(span, Context(stext, a, None))
                if own:
                    break
        ctx = Context(stext, a, own or prev)
        topic: Resolved | None = None
        for span in spans:
            res = resolve(span, ctx)
            if res is None:
                continue
            anchor_label = a.label if res.kind != "relative" else f"relative:{ctx.prev.iso if ctx.prev else ''}"
            out.append(
                DateMention(
                    article.id, sent.index, sent.start + span.start, sent.start + span.end,
                    unicodedata.normalize("NFC", span.text), res.iso, res.precision, anchor_label,
                    True, _ordinal(res.iso), res.kind,
                )
            )
            if res.kind == "explicit" and res.precision in ("day", "range") and topic is None:
                topic = res
        if topic is not None:
            prev = topic
    return out


def title_date(article: Article, anchor: Anchor | None) -> str | None:
    """The first explicit day date of the title (titles carry no offsets into the text)."""
    a = anchor or Anchor(None, "", False)
    title = article.title or ""
    for span in find_expressions(title):
        res = resolve(span, Context(title, a, None))
        if res and res.precision == "day" and res.kind == "explicit" and "X" not in res.iso:
            return res.iso
    return None


def build(cluster: Cluster) -> None:
    now, fallback = infer_now(cluster)
    cluster.now = now
    mentions: list[DateMention] = []
    for article in cluster.articles:
        anchor = article_anchor(article, fallback)
        td = title_date(article, anchor)
        if td:
            article.meta["title_date"] = td
        if article.duplicate_of:
            continue
        mentions.extend(article_dates(article, anchor))
    cluster.dates = mentions
