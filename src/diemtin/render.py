"""Render stage: a digested cluster -> JSON-ready dict, Markdown briefing, or plain text.

The JSON shape is the public contract (documented in the README); add keys, never rename.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from diemtin.model import Cluster, Digest, SourceRef


def _source(ref: SourceRef) -> dict[str, Any]:
    return {"article": ref.article, "sentence": ref.sentence, "start": ref.start, "end": ref.end}


def to_dict(cluster: Cluster) -> dict[str, Any]:
    digest = cluster.digest or Digest()
    return {
        "cluster": cluster.id,
        "summary": [{"text": s.text, "sources": [_source(r) for r in s.sources]} for s in digest.summary],
        "timeline": [asdict(e) for e in digest.timeline],
        "entities": [asdict(e) for e in digest.entities],
        "quotes": [asdict(q) for q in digest.quotes],
        "figures": [asdict(f) for f in digest.figures],
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "url": a.url,
                "title": a.title,
                "published": a.published,
                "site": a.site,
                "duplicate_of": a.duplicate_of,
                "text": a.text,
            }
            for a in cluster.articles
        ],
        "problems": [{"source": p.source, "message": p.message, "fatal": p.fatal} for p in cluster.problems],
        "stats": digest.stats,
    }


def _article_numbers(cluster: Cluster) -> dict[str, int]:
    return {a.id: i for i, a in enumerate(cluster.articles, start=1)}


def _markers(refs: list[SourceRef], numbers: dict[str, int]) -> str:
    seen: list[int] = []
    for r in refs:
        n = numbers.get(r.article)
        if n is not None and n not in seen:
            seen.append(n)
    return "".join(f"[{n}]" for n in seen)


def to_markdown(cluster: Cluster) -> str:
    """A briefing: summary with source markers, timeline, people, quotes, figures, sources."""
    digest = cluster.digest or Digest()
    numbers = _article_numbers(cluster)
    title = cluster.articles[0].title if cluster.articles else cluster.id
    lines = [f"# Điểm tin: {title}", ""]
    lines += ["## Tóm tắt", ""]
    for s in digest.summary:
        lines.append(f"- {s.text} {_markers(s.sources, numbers)}")
    if not digest.summary:
        lines.append("_(không có nội dung để tóm tắt)_")
    if digest.timeline:
        lines += ["", "## Diễn biến", ""]
        for e in digest.timeline:
            lines.append(f"- **{e.date}** — {e.event} {_markers(e.sources, numbers)}")
    people = [e for e in digest.entities if e.roles or e.kind == "person"]
    if digest.entities:
        lines += ["", "## Nhân vật và tổ chức", ""]
        for e in (people or digest.entities)[:20]:
            roles = f" — {'; '.join(e.roles)}" if e.roles else ""
            variants = [v for v in e.variants if v != e.name]
            also = f" (còn gọi: {', '.join(variants)})" if variants else ""
            lines.append(f"- **{e.name}**{roles}{also}")
    if digest.quotes:
        lines += ["", "## Phát ngôn", ""]
        for q in digest.quotes:
            who = q.speaker_name or "(không rõ người nói)"
            mark = _markers([q.source], numbers)
            text = f"“{q.text}”" if q.direct else q.text
            lines.append(f"- **{who}**: {text} {mark}")
    if digest.figures:
        lines += ["", "## Số liệu giữa các nguồn", ""]
        for f in digest.figures:
            flag = " ⚠️ không khớp" if f.conflict else ""
            values = "; ".join(f"{v.text} {_markers([v.source], numbers)}" for v in f.values)
            lines.append(f"- {f.quantity}: {values}{flag}")
    lines += ["", "## Nguồn", ""]
    for a in cluster.articles:
        where = a.url or a.path or a.id
        date = f", {a.published}" if a.published else ""
        dup = f" (trùng với [{numbers[a.duplicate_of]}])" if a.duplicate_of in numbers else ""
        lines.append(f"{numbers[a.id]}. {a.title or a.id}{date} — `{where}`{dup}")
    if cluster.problems:
        lines += ["", "## Lỗi đầu vào", ""]
        lines += [f"- `{p.source}`: {p.message}" for p in cluster.problems]
    return "\n".join(lines) + "\n"


def to_text(cluster: Cluster) -> str:
    """The summary alone, one sentence per line (for pipes and for ROUGE)."""
    digest = cluster.digest or Digest()
    return "\n".join(s.text for s in digest.summary) + ("\n" if digest.summary else "")
