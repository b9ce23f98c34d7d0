"""Render stage: a digested cluster -> JSON-ready dict, Markdown briefing, or plain text.

The JSON shape is the public contract (documented in the README); add keys, never rename.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import regex

from diemtin.lang.dates import vn_date
from diemtin.lang.tokens import count_syllables
from diemtin.model import Cluster, Digest, Entity, FigureGroup, Quote, SourceRef, TimelineEntry


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
        "problems": [asdict(p) for p in cluster.problems],
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


def to_json(cluster: Cluster, indent: int | None = 2) -> str:
    """The JSON contract as a string (UTF-8 text, Vietnamese unescaped)."""
    return json.dumps(to_dict(cluster), ensure_ascii=False, indent=indent)


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
    lines += _timeline_md(digest, numbers)
    lines += _entities_md(digest)
    lines += _quotes_md(digest, numbers)
    lines += _figures_md(digest, numbers)
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


# --- Markdown sections for the structured parts (timeline, people, quotes, figures) --------------
# The JSON keeps everything; the Markdown is a briefing an editor reads in a minute, so these
# sections shorten, merge and cap, and say how much more is in the JSON.

TIMELINE_MAX = 12  # dated moments shown
EVENT_SYLLABLES = 30  # an event phrase, cut at a clause boundary
QUOTE_SYLLABLES = 45
SPEAKERS_MAX = 8
QUOTES_PER_SPEAKER = 3
PEOPLE_MAX = 12
ORGS_MAX = 10

_WORD = regex.compile(r"[\p{L}\p{N}]+")
# Clause boundaries a phrase may end at: comma/semicolon/colon/dash followed by a space.
_CLAUSE_END = regex.compile(r"\s*(?:[,;:]|\s[–—-])\s")
_PRONOUNS = frozenset({"ông", "bà", "anh", "chị", "ông ấy", "bà ấy", "anh ấy", "chị ấy", "ông ta", "bà ta"})


def short_phrase(text: str, limit: int = EVENT_SYLLABLES) -> str:
    """``text`` cut to at most ``limit`` syllables, at the last clause boundary that fits,
    else after a whole word (with "…"); never mid-word."""
    text = " ".join(text.split())
    if count_syllables(text) <= limit:
        return text
    words = list(_WORD.finditer(text))
    cut_at = words[limit - 1].end()  # end of the last syllable that fits
    best = None
    for m in _CLAUSE_END.finditer(text, 0, cut_at + 2):
        if m.start() <= cut_at and count_syllables(text[: m.start()]) >= min(8, limit // 2):
            best = m.start()
    if best is not None:
        return text[:best].rstrip(" ,;:–—-") + " …"
    return text[:cut_at].rstrip(" ,;:–—-") + " …"


def _timeline_md(digest: Digest, numbers: dict[str, int]) -> list[str]:
    if not digest.timeline:
        return []
    # One line per date: the entries of that date, the best-sourced first.
    by_date: dict[str, list[TimelineEntry]] = {}
    for e in digest.timeline:
        by_date.setdefault(e.date, []).append(e)

    def weight(e: TimelineEntry) -> int:
        return len({r.article for r in e.sources})

    moments = []
    for date, entries in by_date.items():
        entries = sorted(entries, key=weight, reverse=True)
        articles = {r.article for e in entries for r in e.sources}
        moments.append((date, entries, len(articles)))
    # The most important moments: reported by most sources, then those with most events; the
    # latest on ties (the news is about now). Shown in date order.
    order = {d: i for i, d in enumerate(by_date)}
    keep = sorted(moments, key=lambda m: (-m[2], -len(m[1]), -order[m[0]]))[:TIMELINE_MAX]
    keep.sort(key=lambda m: order[m[0]])
    lines = ["", "## Diễn biến", ""]
    for date, entries, _ in keep:
        # one line per date: its best-sourced event; the others are counted, not printed
        best = entries[0]
        more = f" (+{len(entries) - 1} sự kiện khác cùng ngày)" if len(entries) > 1 else ""
        shown = vn_date(date, best.precision)
        lines.append(f"- **{shown}** — {short_phrase(best.event)} {_markers(best.sources, numbers)}{more}")
    hidden = len(moments) - len(keep)
    if hidden > 0:
        lines.append(f"- _… và {hidden} mốc thời gian khác (đầy đủ trong bản JSON, mục `timeline`)._")
    return lines


def _entities_md(digest: Digest) -> list[str]:
    if not digest.entities:
        return []
    lines = ["", "## Nhân vật và tổ chức", ""]
    people = [e for e in digest.entities if e.kind == "person"][:PEOPLE_MAX]
    for e in people:
        roles = f" — {'; '.join(e.roles[:2])}" if e.roles else ""
        variants = [v for v in e.variants if v != e.name][:3]
        also = f" (còn gọi: {', '.join(variants)})" if variants else ""
        lines.append(f"- **{e.name}**{roles}{also}")
    orgs = [e for e in digest.entities if e.kind == "organization"][:ORGS_MAX]
    if orgs:
        lines.append("- **Tổ chức:** " + ", ".join(_org_label(e) for e in orgs))
    return lines


def _org_label(e: Entity) -> str:
    """"Tổ chức An ninh và Hợp tác châu Âu (OSCE)": the name with its acronym, if one was merged."""
    acronyms = [v for v in e.variants if v.isupper() and len(v) <= 10]
    longs = [v for v in e.variants if not v.isupper()]
    if acronyms and longs:
        long = e.name if e.name in longs else max(longs, key=len)
        return f"{long} ({acronyms[0]})"
    return e.name


def _quotes_md(digest: Digest, numbers: dict[str, int]) -> list[str]:
    if not digest.quotes:
        return []
    entities = {e.id: e for e in digest.entities}
    groups: dict[str, list[Quote]] = {}
    for q in digest.quotes:
        groups.setdefault(_speaker_key(q), []).append(q)
    unknown = groups.pop("?", [])
    # Speakers quoted most first (ties: first quoted first); direct words before reported ones.
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    lines = ["", "## Phát ngôn", ""]
    for key, qs in ranked[:SPEAKERS_MAX]:
        ent = entities.get(key)
        name = ent.name if ent else (qs[0].speaker_name or "")
        role = f" ({ent.roles[0]})" if ent and ent.roles else ""
        lines.append(f"- **{name}**{role}:")
        qs = sorted(qs, key=lambda q: not q.direct)
        for q in qs[:QUOTES_PER_SPEAKER]:
            lines.append(f"  - {_quote_text(q)} {_markers([q.source], numbers)}")
        if len(qs) > QUOTES_PER_SPEAKER:
            lines.append(f"  - _… và {len(qs) - QUOTES_PER_SPEAKER} phát ngôn khác (JSON, mục `quotes`)._")
    rest = sum(len(qs) for _, qs in ranked[SPEAKERS_MAX:]) + len(unknown)
    if rest:
        lines.append(f"- _… và {rest} phát ngôn khác, của người nói khác hoặc chưa xác định (JSON, mục `quotes`)._")
    return lines


def _speaker_key(q: Quote) -> str:
    """Entity id; the words as written for an unnamed source; "?" for a bare pronoun or nothing."""
    if q.speaker:
        return q.speaker
    name = (q.speaker_name or "").strip()
    if not name or name.casefold() in _PRONOUNS:
        return "?"
    return name


def _quote_text(q: Quote) -> str:
    text = short_phrase(q.text.strip().rstrip(",").strip(), QUOTE_SYLLABLES)
    return f"“{text}”" if q.direct else f"_{text}_"


def _figures_md(digest: Digest, numbers: dict[str, int]) -> list[str]:
    # Findings are where sources disagree; groups on which all agree are only counted.
    conflicts = [f for f in digest.figures if f.conflict]
    if not conflicts:
        return []
    lines = ["", "## Số liệu và điểm vênh giữa các nguồn", ""]
    for f in conflicts:
        lines.append(f"- ⚠️ **{f.quantity}** — các nguồn không khớp: {_values(f, numbers)}")
    agreed = len(digest.figures) - len(conflicts)
    if agreed:
        lines.append(f"- _{agreed} số liệu khác các nguồn ghi khớp nhau (đầy đủ trong bản JSON, mục `figures`)._")
    return lines


def _values(f: FigureGroup, numbers: dict[str, int]) -> str:
    return "; ".join(f"{v.text} {_markers([v.source], numbers)}" for v in f.values)


def to_text(cluster: Cluster) -> str:
    """The summary alone, one sentence per line (for pipes and for ROUGE)."""
    digest = cluster.digest or Digest()
    return "\n".join(s.text for s in digest.summary) + ("\n" if digest.summary else "")
