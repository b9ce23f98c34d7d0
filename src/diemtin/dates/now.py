"""The cluster's "now": when its articles were written, and how sure we are.

An article's anchor is its publication date when known. Otherwise the cluster's inferred now.
"""

from __future__ import annotations

from datetime import date, timedelta

from diemtin.dates.expressions import find_expressions
from diemtin.dates.resolve import Anchor, _pick_year, _safe_date
from diemtin.model import Article, Cluster, ClusterNow

FOLLOW_DAYS = 60  # yearless day dates this far after the latest full date move the anchor up to them


def parse_published(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    v = value.strip()[:10]
    try:
        return date.fromisoformat(v)
    except ValueError:
        return None


def _spans(article: Article):
    for sent in article.sentences:
        yield from find_expressions(sent.text)


def infer_now(cluster: Cluster) -> tuple[ClusterNow, Anchor | None]:
    """(what the cluster says about now, the anchor for articles without a publication date)."""
    published = [d for a in cluster.articles if (d := parse_published(a.published))]
    best_day: date | None = None
    best_year: int | None = None
    for article in cluster.articles:
        for span in _spans(article):
            y = span.g("y")
            if not y:
                continue
            if span.kind in ("dm", "dmy_words", "range"):
                dt = _safe_date(int(y), int(span.g("m") or 0), int(span.g("d") or 0))
                if dt and (best_day is None or dt > best_day):
                    best_day = dt
            best_year = int(y) if best_year is None else max(best_year, int(y))
    fallback: Anchor | None = None
    if best_day is not None:
        latest = best_day
        for article in cluster.articles:
            for span in _spans(article):
                if span.kind == "dm" and not span.g("y"):
                    dt = _pick_year(int(span.g("m") or 0), int(span.g("d") or 0), best_day, False)
                    if dt and latest < dt <= best_day + timedelta(days=FOLLOW_DAYS):
                        latest = dt
        fallback = Anchor(latest, f"cluster:{latest.isoformat()}", True)
        guess = ClusterNow(latest.isoformat(), 0.6, "latest full date written")
    elif best_year is not None:
        fallback = Anchor(date(best_year, 12, 31), f"cluster:{best_year:04d}", False)
        guess = ClusterNow(f"{best_year:04d}", 0.3, "latest year written")
    else:
        guess = ClusterNow(None, 0.0, "no date written")
    if published:
        return ClusterNow(max(published).isoformat(), 1.0, "publication date"), fallback
    return guess, fallback


def article_anchor(article: Article, fallback: Anchor | None) -> Anchor | None:
    published = parse_published(article.published)
    if published is not None:
        return Anchor(published, "published", True)
    return fallback
