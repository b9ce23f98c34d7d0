"""Render stage: a digested cluster -> JSON-ready dict, Markdown briefing, or plain text.

The JSON shape is the public contract (documented in the README); add keys, never rename.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import regex

from diemtin.lang import lexicon
from diemtin.lang.attribution import without_notes
from diemtin.lang.dates import vn_date
from diemtin.lang.tokens import count_syllables
from diemtin.model import Article, Cluster, Digest, Entity, FigureGroup, Quote, SourceRef, TimelineEntry
from diemtin.options import ALL_PARTS
from diemtin.render.messages import problem_text

# What a person reads as each part's heading (Markdown, text, the page via /api/parts), and a
# short label for choosing parts.
PART_TITLES = {
    "summary": "Tóm tắt",
    "timeline": "Diễn biến",
    "entities": "Nhân vật và tổ chức",
    "quotes": "Phát ngôn",
    "figures": "Số liệu và điểm vênh giữa các nguồn",
}
PART_LABELS = {"summary": "Tóm tắt", "timeline": "Diễn biến", "entities": "Nhân vật", "quotes": "Phát ngôn",
               "figures": "Số liệu"}


def parts_catalogue() -> list[dict[str, str]]:
    """Every part, in order, with its Vietnamese heading and label (for the page)."""
    return [{"name": p, "title": PART_TITLES.get(p, p), "short": PART_LABELS.get(p, p)} for p in ALL_PARTS]


def _source(ref: SourceRef) -> dict[str, Any]:
    return {"article": ref.article, "sentence": ref.sentence, "start": ref.start, "end": ref.end}


def to_dict(cluster: Cluster) -> dict[str, Any]:
    digest = cluster.digest or Digest()
    return {
        "cluster": cluster.id,
        "summary": [
            {"text": s.text, "sources": [_source(r) for r in s.sources], "spans": [list(p) for p in s.spans],
             # words not of the source (a name told in full, in brackets): offsets into ``text``
             "inserted": [{"start": i.start, "end": i.end, "words": i.words, "source": _source(i.source)}
                          for i in s.inserted]}
            for s in digest.summary
        ],
        "timeline": [{**asdict(e), "date_text": vn_date(e.date, e.precision)} for e in digest.timeline],
        "entities": [asdict(e) for e in digest.entities],
        "quotes": [asdict(q) for q in digest.quotes],
        "figures": [asdict(f) for f in digest.figures],
        "now": _now(cluster),
        "dates": [{**asdict(d), "date_text": vn_date(d.date, d.precision)} for d in cluster.dates],
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "url": a.url,
                "title": a.title,
                "published": a.published,
                "published_text": vn_datetime(a.published) if a.published else None,
                "site": a.site,
                "duplicate_of": a.duplicate_of,
                "text": a.text,
            }
            for a in cluster.articles
        ],
        "problems": [
            {**asdict(p), "message_vi": problem_text(p.message)}
            for p in cluster.problems
        ],
        "stats": digest.stats,
    }


def _now(cluster: Cluster) -> dict[str, Any] | None:
    """When the articles were written, as the dates stage inferred it (null when it did not run);
    ``date`` null when it cannot be known."""
    now = cluster.now
    if now is None:
        return None
    return {**asdict(now), "date_text": vn_date(now.date) if now.date else None}


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


def parts_asked(digest: Digest) -> tuple[str, ...]:
    """The parts the digest was asked for (recorded by the pipeline in ``stats["parts"]``);
    a digest built by hand without that record counts as asking for all of them."""
    asked = digest.stats.get("parts")
    return tuple(p for p in ALL_PARTS if p in asked) if isinstance(asked, list | tuple) else ALL_PARTS


# Markdown that article text cannot turn into markup: HTML tags and entities, links and
# images (``[x](javascript:…)``), emphasis and code spans. Line breaks are flattened so a
# line of article text cannot start a heading, a list or an HTML block.
_MD_SPECIAL = regex.compile(r"([\\`*_\[\]<>|])")
_MD_ENTITY = regex.compile(r"&(?=#?\w+;)")
# What would open a block at the start of a list item or line: heading, list marker, quote.
_MD_BLOCK_MARK = regex.compile(r"^(#+|[-+])(?=\s|$)")
_MD_ORDERED = regex.compile(r"^(\d+)([.)])(?=\s|$)")


def md_text(text: str) -> str:
    """``text`` (from an article) as literal Markdown inline text."""
    text = " ".join(str(text).split())
    text = _MD_SPECIAL.sub(r"\\\1", _MD_ENTITY.sub("&amp;", text))
    return _MD_ORDERED.sub(r"\1\\\2", _MD_BLOCK_MARK.sub(r"\\\1", text))


def md_code(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds."""
    text = " ".join(str(text).split())
    longest = max((len(m) for m in regex.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(cluster: Cluster) -> str:
    """A briefing: the parts asked for (summary with source markers, timeline, people, quotes,
    figures), then the sources and any problems. Article text is escaped (:func:`md_text`)."""
    digest = cluster.digest or Digest()
    asked = parts_asked(digest)
    numbers = _article_numbers(cluster)
    title = cluster.articles[0].title if cluster.articles else cluster.id
    lines = [f"# Điểm tin: {md_text(title)}"]
    if "summary" in asked:
        lines += ["", f"## {PART_TITLES['summary']}", ""]
        for s in digest.summary:
            lines.append(f"- {md_text(s.text)} {_markers(s.sources, numbers)}")
        if not digest.summary:
            lines.append("_(không có nội dung để tóm tắt)_")
    if "timeline" in asked:
        lines += _timeline_md(digest, numbers)
    if "entities" in asked:
        lines += _entities_md(digest)
    if "quotes" in asked:
        lines += _quotes_md(digest, numbers)
    if "figures" in asked:
        lines += _figures_md(digest, numbers)
    if any(ln.lstrip(" -").startswith(f"_{MORE} ") for ln in lines):  # (article text has its "_" escaped)
        lines += ["", _MARKDOWN.em(FULL_LISTS)]
    lines += ["", "## Nguồn", ""]
    for a in cluster.articles:
        dup = f" (trùng với [{numbers[a.duplicate_of]}])" if a.duplicate_of in numbers else ""
        lines.append(f"{numbers[a.id]}. {md_text(a.title or a.id)}{_source_meta(a)} — {md_code(_where(a))}{dup}")
    if cluster.problems:
        lines += ["", "## Lỗi và cảnh báo", ""]
        lines += [f"- {md_code(p.source)}: {md_text(problem_text(p.message))}{_problem_level(p.fatal)}"
                  for p in cluster.problems]
    return "\n".join(lines) + "\n"


def _where(a: Article) -> str:
    return a.url or a.path or a.id


def _source_meta(a: Article) -> str:
    """", 10/1/2022 23:15" (the publication date as a person reads it), or nothing."""
    return f", {vn_datetime(a.published)}" if a.published else ""


def _problem_level(fatal: bool) -> str:
    return " (bỏ qua)" if fatal else " (cảnh báo)"


# --- Markdown sections for the structured parts (timeline, people, quotes, figures) --------------
# The JSON keeps everything; the Markdown is a briefing an editor reads in a minute, so these
# sections shorten, merge and cap, and say how much more is in the JSON.

TIMELINE_MAX = 12  # dated moments shown
EVENT_SYLLABLES = 30  # an event phrase, cut at a clause boundary
# A dated sentence up to this long is shown whole: cut at 30, most lines ended mid-clause
# (a cold read found 8 of 12 seed lines unfinished); longer ones are still cut.
EVENT_WHOLE_SYLLABLES = 45
# No clause boundary within EVENT_SYLLABLES: the first one up to this is taken (a little
# longer, but ended where the sentence pauses rather than inside a name or a noun phrase: on the
# 441 check digests 8 of 2667 events are then cut after a word, 176 without it, 156 before).
EVENT_STRETCH_SYLLABLES = 56
QUOTE_SYLLABLES = 45
PLANNED_MARK = "(dự kiến)"  # after the date of an event every source tells as still to come
DEADLINE_MARK = "(thời hạn)"  # after a date every source gives as a limit ("trước ngày 30/4")
# A shortened list ends on a line "… và N … khác."; the briefing then says once where the rest is
# (not on every such line: a reader of the briefing has no JSON at hand).
MORE = "… và"
FULL_LISTS = "Các danh sách trên được rút gọn; bản đầy đủ có trong kết quả dạng JSON."
AGREED_FIGURES_SHOWN = 5  # figures confirmed by several sources, listed after the disagreements
SPEAKERS_MAX = 8
QUOTES_PER_SPEAKER = 3
# A quote shorter than this is a phrase taken into the writer's sentence, not a statement.
MIN_STATEMENT_SYLLABLES = 8
PEOPLE_MAX = 12  # the most mentioned people shown
PEOPLE_SHOWN_MAX = 20  # ... plus, up to this many, every other person quoted or given a role
ORGS_MAX = 10
MAX_DANGLING_BACKOFF = 4  # words backed over at most, so a cut after a word does not end on "của"


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(map(regex.escape, words), key=len, reverse=True))


def _conjunction_boundary() -> str:
    """A space before a clause conjunction ("… trong tuần tới| khi hai bên …"), not before the
    last word of a longer one ("sau khi": not before "khi")."""
    conj = lexicon.words("clause_conjunctions")
    heads = {" ".join(c.split()[:-1]) for c in conj if len(c.split()) > 1 and c.split()[-1] in conj}
    behind = "".join(f"(?<!(?<![\\p{{L}}\\p{{N}}]){regex.escape(h)})" for h in sorted(heads))
    return rf"{behind}\s(?=(?:{_alternation(conj)})(?![\p{{L}}\p{{N}}]))"


_WORD = regex.compile(r"[\p{L}\p{N}]+")
# Clause boundaries a phrase may end at: comma/semicolon/colon/dash followed by a space, or the
# space before a clause conjunction.
_BRACKET_SPACE = regex.compile(r"(\()\s+|\s+(\))")
_CLAUSE_END = regex.compile(r"\s*(?:[,;:]|\s[–—-])\s|" + _conjunction_boundary())
# A clause ending on a reporting verb ("…, thông cáo nhấn mạnh") announces what follows: not an end.
_REPORTING_END = regex.compile(
    r"(?<![\p{L}\p{N}])(?:" + _alternation(lexicon.words("speech_verbs")) + r")\s*$", regex.IGNORECASE)
_DANGLING_END = regex.compile(r"(?<![\p{L}\p{N}])(?:" + _alternation(lexicon.words("dangling_words")) + r")$")
# A sentence opening on an adverbial ("Theo báo cáo của …, …", "Với …, …"): its first clause is
# not the event, the phrase does not end after it.
_ADVERBIAL_OPENING = regex.compile(
    r"^(?:" + _alternation(lexicon.words("adverbial_openers")) + r")(?![\p{L}\p{N}])", regex.IGNORECASE)
_PRONOUNS = frozenset({"ông", "bà", "anh", "chị", "ông ấy", "bà ấy", "anh ấy", "chị ấy", "ông ta", "bà ta"})


def _word_cut(text: str, words: list[regex.Match[str]], last: int, floor: int) -> int:
    """Where to cut ``text`` after a whole word, at most after ``words[last]``: backed over
    words that announce more (a function word, "… của", or a verb of saying) and over a name the
    cut would split ("… Tổng Thư ký NATO | Jens …"), but never to fewer than ``floor`` words."""
    k = last
    for _ in range(MAX_DANGLING_BACKOFF):
        head = text[: words[k].end()]
        splits_name = (k + 1 < len(words) and words[k].group()[:1].isupper()
                       and words[k + 1].group()[:1].isupper())
        if k <= floor or not (_DANGLING_END.search(head) or _REPORTING_END.search(head) or splits_name):
            break
        k -= 1
    return words[k].end() if k > floor else words[last].end()


def short_phrase(text: str, limit: int = EVENT_SYLLABLES, whole: int | None = None,
                 stretch: int | None = None) -> str:
    """``text`` cut to at most ``limit`` syllables, at the last clause boundary that fits and
    does not end on a reporting verb nor after an opening adverbial alone ("Theo báo cáo của
    …,"); failing one, at the first such boundary up to ``stretch``
    syllables (a text that long is kept whole); else after a whole word that does not announce
    more (with "…"); never mid-word. A text of at most ``whole`` syllables is kept whole. A
    scraper's stray space inside brackets ("( NATO)") is closed up: this is display text, the
    JSON keeps the source's."""
    text = _BRACKET_SPACE.sub(lambda m: m.group(1) or m.group(2), " ".join(text.split()))
    if count_syllables(text) <= max(limit, whole or 0):
        return text
    words = list(_WORD.finditer(text))
    cut_at = words[limit - 1].end()  # end of the last syllable that fits
    best = None
    opening = _ADVERBIAL_OPENING.match(text) is not None
    first = next(_CLAUSE_END.finditer(text), None)
    first_end = first.start() if first is not None and opening else -1  # not an end: the adverbial alone

    def ends(m: regex.Match[str]) -> bool:
        return m.start() != first_end and not _REPORTING_END.search(text, 0, m.start())

    for m in _CLAUSE_END.finditer(text, 0, cut_at + 2):
        # a conjunction is a weaker pause than a comma: not taken in the phrase's first half
        floor = min(8, limit // 2) if m.group().strip() else limit // 2
        if m.start() <= cut_at and count_syllables(text[: m.start()]) >= floor and ends(m):
            best = m.start()
    if best is None and stretch:
        if len(words) <= stretch:
            return text
        far = words[stretch - 1].end()
        best = next((m.start() for m in _CLAUSE_END.finditer(text, cut_at, far + 2) if m.start() <= far and ends(m)),
                    None)
    if best is not None:
        return text[:best].rstrip(" ,;:–—-") + " …"
    end = _word_cut(text, words, limit - 1, min(8, limit // 2))
    return text[:end].rstrip(" ,;:–—-") + " …"


def vn_datetime(iso: str) -> str:
    """A publication date or datetime as a person reads it: ``2022-01-10T23:15:00+07:00`` ->
    ``10/1/2022 23:15`` (the clock time as written in the source, not converted)."""
    date, _, clock = str(iso).strip().partition("T")
    if not clock and " " in date:
        date, _, clock = date.partition(" ")
    if not regex.fullmatch(r"\d{4}(-\d{2}){0,2}|XXXX(-\d{2}){1,2}", date):
        return str(iso)
    hm = regex.match(r"(\d{2}):(\d{2})", clock)
    shown = vn_date(date)
    if hm and (hm[1], hm[2]) != ("00", "00"):
        shown += f" {int(hm[1])}:{hm[2]}"
    return shown


@dataclass(frozen=True)
class _Style:
    """How a briefing section is written: Markdown escapes and decorates, plain text does not."""

    heading: Callable[[str], list[str]]
    text: Callable[[str], str]  # article text made literal
    bold: Callable[[str], str]
    em: Callable[[str], str]


_MARKDOWN = _Style(
    heading=lambda h: ["", f"## {h}", ""],
    text=md_text,
    bold=lambda s: f"**{s}**",
    em=lambda s: f"_{s}_",
)
_PLAIN = _Style(
    heading=lambda h: ["", h.upper(), ""],
    text=lambda s: " ".join(str(s).split()),
    bold=lambda s: s,
    em=lambda s: s,
)


def _timeline_md(digest: Digest, numbers: dict[str, int], style: _Style = _MARKDOWN) -> list[str]:
    if not digest.timeline:
        return []
    # One line per date: the entries of that date, the best-sourced first.
    by_date: dict[str, list[TimelineEntry]] = {}
    for e in digest.timeline:
        by_date.setdefault(e.date, []).append(e)

    def weight(e: TimelineEntry) -> tuple[int, bool]:
        # the best-sourced first; on ties what happened before what is only planned or a limit
        return len({r.article for r in e.sources}), not (e.planned or e.deadline)

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
    lines = style.heading(PART_TITLES["timeline"])
    for date, entries, _ in keep:
        # one line per date: its best-sourced event; the others are counted, not printed
        best = entries[0]
        more = f" (+{len(entries) - 1} sự kiện khác cùng ngày)" if len(entries) > 1 else ""
        event = style.text(short_phrase(without_notes(best.event), whole=EVENT_WHOLE_SYLLABLES,
                                        stretch=EVENT_STRETCH_SYLLABLES))
        mark = DEADLINE_MARK if best.deadline else PLANNED_MARK if best.planned else ""
        shown = style.bold(vn_date(date, best.precision)) + (f" {mark}" if mark else "")
        lines.append(f"- {shown} — {event} {_markers(best.sources, numbers)}{more}")
    hidden = len(moments) - len(keep)
    if hidden > 0:
        lines.append("- " + style.em(f"{MORE} {hidden} mốc thời gian khác."))
    return lines


def _entities_md(digest: Digest, style: _Style = _MARKDOWN) -> list[str]:
    if not digest.entities:
        return []
    lines = style.heading(PART_TITLES["entities"])
    # A person quoted, or named with a role, is who a reader looks for even if mentioned once
    # (a foreign minister quoted in one article).
    speakers = {q.speaker for q in digest.quotes if q.speaker}
    persons = [e for e in digest.entities if e.kind == "person"]
    people = [e for i, e in enumerate(persons)
              if i < PEOPLE_MAX or e.roles or e.id in speakers][:PEOPLE_SHOWN_MAX]
    for e in people:
        roles = f" — {style.text('; '.join(e.roles[:2]))}" if e.roles else ""
        variants = [v for v in e.variants if v != e.name][:3]
        also = f" (còn gọi: {style.text(', '.join(variants))})" if variants else ""
        lines.append(f"- {style.bold(style.text(e.name))}{roles}{also}")
    if len(persons) > len(people):
        lines.append(f"- _… và {len(persons) - len(people)} người khác được nhắc đến._")
    orgs = [e for e in digest.entities if e.kind == "organization"][:ORGS_MAX]
    if orgs:
        lines.append(f"- {style.bold('Tổ chức:')} " + ", ".join(style.text(_org_label(e)) for e in orgs))
    return lines


def _org_label(e: Entity) -> str:
    """"Tổ chức An ninh và Hợp tác châu Âu (OSCE)": the name with its acronym, if one was merged."""
    acronyms = [v for v in e.variants if v.isupper() and len(v) <= 10]
    longs = [v for v in e.variants if not v.isupper()]
    if acronyms and longs:
        long = e.name if e.name in longs else max(longs, key=len)
        return f"{long} ({acronyms[0]})"
    return e.name


UNKNOWN_SPEAKER = "chưa rõ người nói"


@dataclass
class QuoteGroup:
    """The quotes of one speaker: the merged person of who's who (``entity``, when entities
    were asked for), else the resolved speaker's name; ``name`` None: speaker not resolved."""

    name: str | None
    role: str | None
    quotes: list[Quote]


_QUOTE_EDGE = " \t\"'“”‘’«»…,.;:-–—()[]"


def is_fragment(q: Quote) -> bool:
    """A quote that is a phrase taken into the writer's sentence (“bất chấp mọi lệnh trừng phạt
    trong tương lai”), not a statement: short, or direct words opening in lower case (mid-
    sentence). Reported words always open in lower case: only their length tells."""
    text = q.text.strip(_QUOTE_EDGE)
    if count_syllables(text) < MIN_STATEMENT_SYLLABLES:
        return True
    first = next((c for c in text if c.isalpha()), "")
    return q.direct and first.islower()


def _quote_rank(q: Quote) -> tuple[bool, bool]:
    # whole statements first (direct, then reported), fragments after
    return is_fragment(q), not q.direct


def quote_groups(digest: Digest) -> list[QuoteGroup]:
    """Quotes under their resolved speaker (the quote's ``speaker`` id, named as the merged
    entity), speakers quoted most first (ties: first quoted first); in a group, whole
    statements before fragments (:func:`is_fragment`), direct words before reported ones;
    the quotes whose speaker is not resolved (``speaker`` null) last."""
    entities = {e.id: e for e in digest.entities}
    groups: dict[str, list[Quote]] = {}
    unknown: list[Quote] = []
    for q in digest.quotes:
        if q.speaker:
            groups.setdefault(q.speaker, []).append(q)
        else:
            unknown.append(q)
    out = []
    for key, qs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        ent = entities.get(key)
        name = ent.name if ent else next((q.speaker_name for q in qs if q.speaker_name), None) or UNKNOWN_SPEAKER
        role = ent.roles[0] if ent and ent.roles else None
        out.append(QuoteGroup(name, role, sorted(qs, key=_quote_rank)))
    if unknown:
        out.append(QuoteGroup(None, None, sorted(unknown, key=_quote_rank)))
    return out


def written_speaker(q: Quote) -> str | None:
    """The words the article names an unresolved speaker with ("Smith"), unless a bare pronoun."""
    name = " ".join((q.speaker_name or "").split())
    return name if name and name.casefold() not in _PRONOUNS else None


def _quotes_md(digest: Digest, numbers: dict[str, int], style: _Style = _MARKDOWN) -> list[str]:
    if not digest.quotes:
        return []
    ranked = quote_groups(digest)
    named = [g for g in ranked if g.name is not None]
    lines = style.heading(PART_TITLES["quotes"])
    for g in named[:SPEAKERS_MAX] + [g for g in ranked if g.name is None]:
        if g.name is None:
            lines.append(f"- {style.em(UNKNOWN_SPEAKER.capitalize())}:")
        else:
            role = f" ({style.text(g.role)})" if g.role else ""
            lines.append(f"- {style.bold(style.text(g.name))}{role}:")
        for q in g.quotes[:QUOTES_PER_SPEAKER]:
            written = written_speaker(q) if g.name is None else None
            said = f" (bài viết ghi: {style.text(written)})" if written else ""
            lines.append(f"  - {_quote_text(q, style)}{said} {_markers([q.source], numbers)}")
        if len(g.quotes) > QUOTES_PER_SPEAKER:
            more = len(g.quotes) - QUOTES_PER_SPEAKER
            lines.append("  - " + style.em(f"{MORE} {more} phát ngôn khác."))
    rest = sum(len(g.quotes) for g in named[SPEAKERS_MAX:])
    if rest:
        lines.append("- " + style.em(f"{MORE} {rest} phát ngôn khác của người nói khác."))
    return lines


def _quote_text(q: Quote, style: _Style = _MARKDOWN) -> str:
    text = style.text(short_phrase(q.text.strip().rstrip(",").strip(), QUOTE_SYLLABLES))
    return f"“{text}”" if q.direct else style.em(text)


def _figures_md(digest: Digest, numbers: dict[str, int], style: _Style = _MARKDOWN) -> list[str]:
    # Where sources disagree first (what an editor must check), then the figures several
    # sources confirm, the best-sourced first; the rest are only counted.
    conflicts = [f for f in digest.figures if f.conflict]
    agreed = sorted(
        (f for f in digest.figures if not f.conflict and len({v.source.article for v in f.values}) >= 2),
        key=lambda f: -len({v.source.article for v in f.values}),
    )[:AGREED_FIGURES_SHOWN]
    if not conflicts and not agreed:
        return []
    lines = style.heading(PART_TITLES["figures"])
    for f in conflicts:
        lines.append(f"- ⚠️ {style.bold(style.text(f.quantity))} — các nguồn không khớp: {_values(f, numbers, style)}")
    for f in agreed:
        sources = _markers([v.source for v in f.values], numbers)
        value = style.text(f.values[0].text)
        lines.append(f"- {style.bold(style.text(f.quantity))}: {value} — các nguồn ghi khớp nhau {sources}")
    rest = len(digest.figures) - len(conflicts) - len(agreed)
    if rest:
        lines.append("- " + style.em(f"{MORE} {rest} số liệu khác."))
    return lines


def _values(f: FigureGroup, numbers: dict[str, int], style: _Style = _MARKDOWN) -> str:
    return "; ".join(f"{style.text(v.text)} {_markers([v.source], numbers)}" for v in f.values)


def to_text(cluster: Cluster) -> str:
    """Plain text of every part asked. The summary comes first, one sentence per line with
    no heading and no markers, so ``--parts summary`` gives exactly the summary (for pipes and
    ROUGE); the other parts follow under upper-case headings, as in the Markdown briefing."""
    digest = cluster.digest or Digest()
    asked = parts_asked(digest)
    numbers = _article_numbers(cluster)
    lines = [s.text for s in digest.summary] if "summary" in asked else []
    if "timeline" in asked:
        lines += _timeline_md(digest, numbers, _PLAIN)
    if "entities" in asked:
        lines += _entities_md(digest, _PLAIN)
    if "quotes" in asked:
        lines += _quotes_md(digest, numbers, _PLAIN)
    if "figures" in asked:
        lines += _figures_md(digest, numbers, _PLAIN)
    if asked != ("summary",) and cluster.articles:
        lines += _PLAIN.heading("Nguồn")
        for a in cluster.articles:
            lines.append(f"{numbers[a.id]}. {_PLAIN.text(a.title or a.id)}{_source_meta(a)} — {_where(a)}")
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines) + ("\n" if lines else "")
