"""The heavy, independent units of work: clean + segment + vectorize a chunk of articles,
digest one story. Plain functions on picklable data, so the same calls run in this process,
on a process pool or on Dask workers (which import them by name) with identical results."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from diemtin import pipeline, render
from diemtin.archive.assign import story_features
from diemtin.archive.store import JSON_COLUMNS
from diemtin.dedup import mark_duplicates
from diemtin.model import Article, Cluster, Paragraph, Problem, Sentence


def content_hash(article: Article) -> str:
    """The raw article's identity: the same article read twice hashes the same."""
    h = hashlib.blake2b(digest_size=16)
    for part in (article.title, article.lead or "", article.raw_text):
        h.update(part.strip().encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass
class Prepared:
    """A chunk after cleaning: per article, the article (identity and dates only), its story
    features and its row to store (JSON columns encoded here, off the writer's process);
    and what went wrong."""

    articles: list[tuple[Article, dict[str, int], dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _prepare_one(cluster: Cluster) -> Prepared:
    # duplicates are marked within each story when it is digested, not within an input chunk
    pipeline.prepare(cluster, skip=("dedup",))
    out = Prepared(problems=list(cluster.problems))
    for a in cluster.articles:
        row = article_row(a)
        for key in JSON_COLUMNS:
            row[key] = json.dumps(row[key], ensure_ascii=False, separators=(",", ":"))
        light = Article(id=a.id, title=a.title, published=a.published, meta=a.meta)
        out.articles.append((light, story_features(a), row))
    return out


def prepare_chunk(chunk: Cluster) -> Prepared:
    """Clean, segment and vectorize a chunk; a failing article is reported, the rest kept."""
    try:
        return _prepare_one(copy.deepcopy(chunk))
    except Exception:  # noqa: BLE001 - isolate the article that breaks it
        pass
    out = Prepared(problems=[])
    for a in chunk.articles:
        try:
            one = _prepare_one(Cluster(id=chunk.id, articles=[copy.deepcopy(a)]))
        except Exception as e:  # noqa: BLE001 - one bad article never sinks the batch
            out.problems.append(Problem(a.path or a.id, f"could not be cleaned: {type(e).__name__}: {e}"))
            continue
        out.articles += one.articles
        out.problems += one.problems
    return out


def article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "title": article.title, "lead": article.lead, "text": article.text, "url": article.url,
        "path": article.path, "site": article.site, "author": article.author, "published": article.published,
        "published_source": article.published_source,
        "paragraphs": [[p.start, p.end, int(p.is_lead)] for p in article.paragraphs],
        "sentences": [[s.paragraph, s.start, s.end] for s in article.sentences],
        "removed": [[r.line, r.text, r.reason] for r in article.removed],
    }


def article_from_row(row: dict[str, Any]) -> Article:
    """The prepared article back from its stored row (offsets into the stored text)."""
    from diemtin.model import RemovedLine

    text = row["text"] or ""
    a = Article(id=row["id"], title=row["title"] or "", text=text, path=row["path"], url=row["url"],
                lead=row["lead"], published=row["published"], published_source=row["published_source"],
                site=row["site"], author=row["author"])
    a.paragraphs = [Paragraph(i, s, e, bool(lead)) for i, (s, e, lead) in enumerate(row["paragraphs"] or [])]
    a.sentences = [Sentence(a.id, i, p, s, e, text[s:e]) for i, (p, s, e) in enumerate(row["sentences"] or [])]
    a.removed = [RemovedLine(line, t, reason) for line, t, reason in row["removed"] or []]
    return a


def story_cluster(story_id: int, articles: list[Article]) -> Cluster:
    cluster = Cluster(id=f"story-{story_id}", articles=articles)
    mark_duplicates(cluster)
    return cluster


def digest_story(story_id: int, articles: list[Article], words: int) -> tuple[int, dict[str, Any], str, str]:
    """The digest of one story (its stored, prepared articles): JSON, Markdown and text."""
    cluster = pipeline.finish(story_cluster(story_id, articles), words)
    return story_id, render.to_dict(cluster), render.to_markdown(cluster), render.to_text(cluster)
