"""Timeline: the dated events of a cluster, merged across articles, sorted by date.

Reads the date layer (``cluster.dates``, filled once by the dates stage, see
:mod:`diemtin.dates`); it finds and resolves no dates itself. Kept out of the timeline:
background dates and plans of a coarse date (``event=False``: a year inside a statement made
now, a cited document's date), deictic dates counted from a guessed "now" (a day-level guess is
too often wrong to print as fact), and years that are not known at all. A limit (``role`` =
deadline: "trước ngày 30/4", "đến hết 30/11") is kept, marked ``deadline``, to the month or
finer ("đến năm 2030" is a horizon, not a moment).
"""

from __future__ import annotations

import bisect
import calendar
import heapq
from dataclasses import dataclass

import regex

from diemtin.extract.modality import told_as_planned
from diemtin.lang.attribution import opening_byline
from diemtin.lang.dates import UNKNOWN_YEAR
from diemtin.lang.tokens import syllables
from diemtin.model import ROLE_DEADLINE, Cluster, DateMention, SourceRef, TimelineEntry

MERGE_THRESHOLD = 0.5  # overlap coefficient of event words for two mentions to be one event
MIN_EVENT_SYLLABLES = 4  # an event text shorter than this is not shown
# Bounds that keep merging linear on huge inputs (thousands of events on one date); real
# clusters stay far below them, so they change nothing there.
MAX_GROUPS_COMPARED = 48  # latest groups on the same dates an event is compared with
MAX_MEMBERS_COMPARED = 24  # members of a group compared (and considered as its representative)

_STOP = frozenset(
    "của và các những đã được là có cho với tại trong về này đó khi thì mà như để từ ra một "
    "ngày hôm tháng năm nay qua sáng chiều tối cùng trước sau theo cũng không sẽ đang rằng vào "
    "bà ông nói biết cho".split()
)
_LEAD_PUNCT = regex.compile(r"^[\s,;:–\-)]+")
_LEAD_WORDS = frozenset({"", "vào", "trong", "hôm", "ngày", "từ", "đến", "tới", "trước", "sau"})
_FINENESS = {"day": 0, "range": 1, "month": 2, "year": 3, "decade": 4}
_ORDER = {"decade": -1, "year": 0, "month": 1, "range": 2, "day": 3}


_YEAR_UNKNOWN_RANK = 1  # sorts after every known year; no stand-in year, no arithmetic on one


def _bounds(iso: str) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    """(first day, last day) as comparable (rank, y, m, d) tuples: known years by year, then the
    unknown year (EDTF ``XXXX``) by month and day. Only compared, never computed with."""
    def parse(part: str, last: bool) -> tuple[int, int, int, int]:
        ps = part.split("-")
        known = ps[0] != UNKNOWN_YEAR
        y = int(ps[0]) if known else 0
        m = int(ps[1]) if len(ps) > 1 else (12 if last else 1)
        if len(ps) > 2:
            d = int(ps[2])
        elif last:
            d = calendar.monthrange(y, m)[1] if known else 31  # the month's end, whatever the year
        else:
            d = 1
        return (0 if known else _YEAR_UNKNOWN_RANK), y, m, d

    head, _, tail = iso.partition("/")
    return parse(head, False), parse(tail or head, True)


def _content_of(tokens: list[str]) -> set[str]:
    return {t for t in tokens if t not in _STOP and not t.isdigit()}


def _similar(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _event_text(stext: str, spans: list[tuple[int, int]]) -> tuple[str, bool]:
    """The sentence trimmed of its leading date phrases ("Ngày 11/1, ..." -> "...").

    ``spans``: the sentence's date expressions, offsets into ``stext``. Returns the text and
    whether a leading date was trimmed (the sentence is *about* it).
    """
    pos, trimmed = 0, False
    for s, e in spans:
        if stext[pos:s].strip(' \t,;:"“(').lower() not in _LEAD_WORDS:
            break
        pos, trimmed = e, True
    rest = _LEAD_PUNCT.sub("", stext[pos:]) if trimmed else stext.strip()
    if trimmed and len(syllables(rest)) >= MIN_EVENT_SYLLABLES:
        return rest[0].upper() + rest[1:], True
    return stext.strip(), False


def _shown_text(stext: str, spans: list[tuple[int, int]]) -> str:
    """What the timeline shows of a sentence: without its leading date phrases and without an
    opening outlet byline ("Theo phóng viên TTXVN tại Nga, ..."), in either order and each
    more than once ("Theo hãng tin X, ngày 4/1, ..."); the sentence itself when nothing or
    too little would be left. (The words compared for merging stay :func:`_event_text`'s:
    a byline is not cut from what is compared, only from what is read.)"""
    pos = 0
    while True:
        at = pos
        for s, e in spans:
            if s < pos:
                continue
            if stext[pos:s].strip(' \t,;:"“(').lower() not in _LEAD_WORDS:
                break
            pos = e
        if pos > at:
            pos = len(stext) - len(_LEAD_PUNCT.sub("", stext[pos:]))
        pos += opening_byline(stext[pos:], capital_after=False, documents_kept=True)  # (rest capitalised below)
        if pos == at:
            break
    rest = stext[pos:].strip()
    if pos and len(syllables(rest)) >= MIN_EVENT_SYLLABLES:
        return rest[0].upper() + rest[1:]
    return stext.strip()


_LIMIT_PRECISIONS = frozenset({"day", "range", "month"})  # a limit worth a line: to the month or finer


def _printable(m: DateMention) -> bool:
    if not m.event and not (m.role == ROLE_DEADLINE and m.precision in _LIMIT_PRECISIONS):
        return False
    if m.kind == "deictic" and m.anchor != "published":
        return False
    return not (m.date.startswith(UNKNOWN_YEAR) and m.precision == "year")


@dataclass
class _Item:
    mention: DateMention
    event: str
    lead: bool
    words: set[str]
    ref: SourceRef
    lo: tuple[int, int, int, int]
    hi: tuple[int, int, int, int]
    shown: str  # ``event`` without an opening byline: what the entry reads
    planned: bool  # told as still to come ("sẽ có cuộc điện đàm vào ngày 30/12")


def extract_timeline(cluster: Cluster, merge_threshold: float = MERGE_THRESHOLD) -> list[TimelineEntry]:
    """Dated events of the cluster (from ``cluster.dates``), merged across articles, sorted by date."""
    all_by_sentence: dict[tuple[str, int], list[DateMention]] = {}
    for m in cluster.dates:
        all_by_sentence.setdefault((m.article_id, m.sentence), []).append(m)
    articles = {a.id: a for a in cluster.articles}

    items: list[_Item] = []
    for (aid, sidx), every in all_by_sentence.items():
        ms = [m for m in every if _printable(m)]
        if not ms or aid not in articles:
            continue
        sent = articles[aid].sentences[sidx]
        if any(m.kind == "explicit" for m in ms):
            ms = [m for m in ms if m.kind == "explicit"]
        spans = [(m.start - sent.start, m.end - sent.start) for m in every]
        event, lead = _event_text(sent.text, spans)
        shown = _shown_text(sent.text, spans)
        # an untrimmed event is the sentence itself: its tokens are computed once, on the model
        tokens = syllables(event) if lead else sent.tokens
        if len(tokens) < MIN_EVENT_SYLLABLES:
            continue
        words = _content_of(tokens)
        ref = SourceRef(aid, sidx, sent.start, sent.end)
        seen: set[str] = set()
        for m in ms:
            if m.date in seen:
                continue
            seen.add(m.date)
            lo, hi = _bounds(m.date)
            planned = told_as_planned(sent.text, m.start - sent.start, m.end - sent.start)
            items.append(_Item(m, event, lead, words, ref, lo, hi, shown, planned))

    # Merge: same date, similar event words (overlap coefficient of content syllables).
    # A coarser date that contains a finer one ("tháng 12/2021" vs "giữa tháng 12/2021") merges
    # into it: items are visited finest first, so groups carry the most precise date. Groups are
    # indexed by their first day, so an item is compared only with groups inside its own span.
    items.sort(key=lambda it: (_FINENESS.get(it.mention.precision, 5), it.hi, it.lo))
    groups: list[list[_Item]] = []
    by_start: dict[tuple[int, int, int, int], list[int]] = {}  # first day -> indexes into groups
    starts: list[tuple[int, int, int, int]] = []  # sorted keys of by_start
    for it in items:
        target = None
        if it.lo == it.hi:
            candidates = by_start.get(it.lo, [])
        else:
            i, j = bisect.bisect_left(starts, it.lo), bisect.bisect_right(starts, it.hi)
            # the latest groups starting in the span: each day's own latest suffice (group
            # numbers grow as groups are made), so a year is never a sort of all its groups
            tails = (k for s in starts[i:j] for k in by_start[s][-MAX_GROUPS_COMPARED:])
            candidates = sorted(heapq.nlargest(MAX_GROUPS_COMPARED, tails))
        for k in candidates[-MAX_GROUPS_COMPARED:]:  # in creation order
            g = groups[k]
            members = g[:MAX_MEMBERS_COMPARED]
            if g[0].hi <= it.hi and any(_similar(it.words, o.words) >= merge_threshold for o in members):
                target = g
                break
        if target is not None:
            target.append(it)
        else:
            if it.lo not in by_start:
                bisect.insort(starts, it.lo)
            by_start.setdefault(it.lo, []).append(len(groups))
            groups.append([it])

    entries: list[TimelineEntry] = []
    for g in groups:
        # Show the sentence closest to the others; on ties one that opens with its date.
        sample = g[:MAX_MEMBERS_COMPARED]
        rep = max(
            sample, key=lambda it: (round(sum(_similar(it.words, o.words) for o in sample), 3), it.lead, -len(it.event))
        )
        sources, seen_refs = [rep.ref], {(rep.ref.article, rep.ref.sentence)}
        for it in g:
            if (it.ref.article, it.ref.sentence) not in seen_refs:
                seen_refs.add((it.ref.article, it.ref.sentence))
                sources.append(it.ref)
        m = g[0].mention  # the finest date of the group
        if rep.mention.date == m.date:
            m = rep.mention
        # planned while no source tells it as done
        planned = all(it.planned for it in g)
        deadline = all(it.mention.role == ROLE_DEADLINE for it in g)  # a limit while no source dates an act then
        entries.append(
            TimelineEntry(m.date, m.precision, rep.shown, sources, m.expression, m.anchor, planned, deadline)
        )
    entries.sort(key=lambda e: (_bounds(e.date)[0], _ORDER.get(e.precision, 4), _bounds(e.date)[1]))
    return entries
