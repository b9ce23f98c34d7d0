"""Figures across sources: numbers about the same quantity, side by side, with conflicts.

A figure is ``[qualifier] number [scale] unit``: ``khoảng 7,5 giờ``, ``hơn 100.000 quân``,
``1,5 triệu USD``. Vietnamese number writing: ``.`` groups thousands when followed by
exactly three digits (``100.000``), ``,`` is the decimal mark (``7,5``); ``giờ rưỡi`` adds
a half. Numbers inside dates, clock times, names (``G20``, ``COVID-19``) and ordinals
(``lần thứ 2``) are not figures.

Grouping: same unit (synonyms folded: ``tiếng đồng hồ`` = ``giờ``, ``binh sĩ`` = ``quân``),
same modality (planned ``dự kiến``/``sẽ`` vs reported), and similar context (content
syllables of the words around the number, overlap coefficient >= 0.35), single-link.
Only groups with values from >= 2 distinct articles are reported.

Tolerance (``conflict``): each value becomes an interval from its qualifier —
exact ±5 %; ``khoảng/chừng/xấp xỉ`` ±15 %; ``gần`` [-15 %, 0]; ``hơn/trên/ngoài`` [0, +50 %];
``dưới/chưa đến`` [-50 %, 0]; ``ít nhất`` [0, ∞); ``tới/lên tới`` [-20 %, +5 %]; ``tối đa``
[0, v]. Two values whose intervals do not overlap conflict. So ``khoảng 7,5`` vs ``gần 8``
is rounding (compatible) and ``4 giờ`` vs ``7,5 giờ`` is a conflict.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from diemtin.lang.dates import vn_date
from diemtin.lang.tokens import cased_syllables, syllables, syllables_beside
from diemtin.model import Article, Cluster, FigureGroup, FigureValue, Sentence, SourceRef

_I = regex.IGNORECASE | regex.UNICODE

_QUALIFIERS = (
    "ít nhất",
    "tối thiểu",
    "tối đa",
    "lên tới",
    "lên đến",
    "xấp xỉ",
    "chừng",
    "khoảng",
    "gần",
    "hơn",
    "trên",
    "ngoài",
    "dưới",
    "chưa đến",
    "chưa tới",
    "tới",
)
_UNIT_SYNONYMS = {
    "tiếng": "giờ",
    "h": "giờ",
    "binh sĩ": "quân",
    "binh lính": "quân",
    "lính": "quân",
    "quân nhân": "quân",
    "tỉ": "tỷ",
    "ngàn": "nghìn",
    "đô la": "USD",
    "usd": "USD",
    "đôla": "USD",
    "vnđ": "đồng",
    "vnd": "đồng",
    "euro": "euro",
    "phần trăm": "%",
    "ki-lô-mét": "km",
    "cây số": "km",
}
_TWO_WORD_UNITS = (
    "trung đoàn",
    "sư đoàn",
    "tiểu đoàn",
    "binh sĩ",
    "binh lính",
    "quân nhân",
    "đô la",
    "phần trăm",
    "cây số",
    "máy bay",
    "ngôi nhà",
    "căn nhà",
    "tàu cá",
    "con tàu",
    "xe tăng",
    "tên lửa",
    "lượt khách",
    "hành khách",
)
_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}

_QUAL_RE = "|".join(regex.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
# The number first (a scan that can skip to digits), its qualifier looked up just before it.
_QUAL_BEFORE = regex.compile(r"(?P<q>" + _QUAL_RE + r")\s+$", _I)
_QUAL_LOOKBACK = 16  # characters: the longest qualifier and its space
_FIGURE = regex.compile(
    r"(?<![\p{L}\d.,/\-])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d]|[.,/\-]\d|\p{L})"
    r"(?:\s*(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)(?!\p{L}))?"
    r"\s*(?P<unit>%|(?:" + "|".join(_TWO_WORD_UNITS) + r")(?!\p{L})|\p{L}[\p{L}]*)"
    r"(?P<half>\s+rưỡi)?",
    _I,
)
# Words after a number that are not units of a quantity.
_NOT_UNITS = frozenset(
    "và hoặc hay của là thì mà với tại trong để từ đến theo năm tháng ngày tuần thứ lần giờ h phút "
    "hôm sáng trưa chiều tối đêm rạng đã sẽ đang được bị cũng vẫn liên còn chỉ nên này đó là".split()
) - {"giờ", "h", "phút", "năm", "tháng", "ngày", "tuần"}
_DURATION_OK = frozenset({"giờ", "phút", "năm", "tháng", "ngày", "tuần"})
_BEFORE_BAD = regex.compile(r"(?i:(?:thứ|số|lần|hạng|top|mã|phiên\s+bản|điều|khoản|chương|mục)\s*)$")
_CODE_UNITS = frozenset({"USD", "EUR", "VNĐ", "VND", "km", "kg", "MW", "GB"})
_NAME_BEFORE = regex.compile(r"(?:\b\p{Lu}[\p{Lu}\d]+|\d)[\s\-]*$")
# The last words of _BEFORE_BAD's and _QUAL_BEFORE's phrases: each match ends with one, then
# spaces. Tested first on the case-folded window (see _may_end_with): most figures follow none.
_BAD_LAST_WORDS = ("thứ", "số", "lần", "hạng", "top", "mã", "bản", "điều", "khoản", "chương", "mục")
_QUAL_LAST_WORDS = tuple(sorted({q.split()[-1] for q in _QUALIFIERS}))
# Characters a _NAME_BEFORE match may end with before its spaces and hyphens, for windows of old,
# stable scripts (ASCII, Latin, Vietnamese): an upper-case letter or a digit.
_STABLE_LETTERS = re.compile("[\x00-\x7f\u00c0-\u024f\u1e00-\u1eff]")
_SPACES_HYPHENS = "".join(c for c in map(chr, range(0x3100)) if c.isspace()) + "-"


def _may_end_with(window: str, words: tuple[str, ...]) -> bool:
    """Whether a case-insensitive pattern ``(word)\\s*$`` over ``words`` can match in ``window``:
    its trailing spaces stripped (str.isspace holds regex's \\s), the case-folded window must end
    with one (each of their letters is matched case-insensitively only by characters folding to
    it, but "İ", folded to two)."""
    return "İ" in window or window.rstrip().casefold().endswith(words)


def _may_end_name(window: str) -> bool:
    """Whether _NAME_BEFORE can match in ``window``: its last character but spaces and hyphens is
    an upper-case letter or a digit (or of a script whose classes are not checked here)."""
    core = window.rstrip(_SPACES_HYPHENS)
    last = core[-1:]
    return bool(last) and (not _STABLE_LETTERS.match(last) or last.isupper() or last.isdigit())
_PLANNED = regex.compile(r"(?i)(?<!\p{L})(?:dự\s+kiến|kế\s+hoạch|sẽ|dự\s+định|có\s+thể)(?!\p{L})")
# Its words in a case-folded sentence (stdlib ``re``: its ``\s`` holds ``regex``'s; a character
# matching one of the letters case-insensitively case-folds to it, but "İ", two characters
# folded): a sentence without them has no planned figure, and most have none, so no
# ``_PLANNED`` search per figure there.
_PLANNED_WORDS = re.compile(unicodedata.normalize("NFC", r"dự\s+kiến|kế\s+hoạch|sẽ|dự\s+định|có\s+thể"))
_STOP = frozenset(
    "của và các những đã được là có cho với tại trong về này đó khi thì mà như để từ ra một "
    "ngày hôm tháng năm nay qua cùng trước sau theo cũng không sẽ đang rằng vào bà ông nói biết "
    "hơn gần khoảng trên dưới tới đến nhất ít đồng hồ rưỡi".split()
)
_DIGIT = re.compile(r"\d")  # stdlib: the same Unicode digits, a faster scan
_WINDOW = 8  # syllables of context on each side
_WINDOW_CHARS = 30 * _WINDOW  # characters that surely hold _WINDOW syllables (and their punctuation)
_TOPIC_REACH = 8  # a sentence without a date belongs to the day date of one this close before it
# Event words folded into one concept so "4 giờ thảo luận" and "hội đàm kéo dài 4 giờ" meet.
_CONCEPTS = {
    "họp": "<meeting>",
    "hội đàm": "<meeting>",
    "đàm phán": "<meeting>",
    "thảo luận": "<meeting>",
    "gặp": "<meeting>",
    "điện đàm": "<meeting>",
    "hội nghị": "<meeting>",
    "tham vấn": "<meeting>",
    "chết": "<death>",
    "tử vong": "<death>",
    "thiệt mạng": "<death>",
    "thương vong": "<death>",
    "bị thương": "<injured>",
    "mất tích": "<missing>",
    "bắt giữ": "<arrest>",
    "bắt": "<arrest>",
}
# Units general enough that the context must say which quantity; other units ("quân",
# "máy bay") name the quantity themselves.
_GENERIC_UNITS = frozenset(
    "giờ phút giây ngày tuần tháng năm người USD đồng euro % tỷ triệu nghìn lần".split()
)


@dataclass
class _Fig:
    article: str
    sentence: int
    sent_start: int
    sent_end: int
    start: int
    end: int
    text: str
    value: float
    qualifier: str
    unit: str
    planned: bool
    context: set[str]
    words: list[str]
    event_date: str | None
    window: str = ""  # the sentence's text around the figure, as written (for the label's case)
    window_opens: bool = False  # the window starts the sentence (its first word is capitalised anyway)


def parse_number(text: str) -> float:
    """``100.000`` -> 100000, ``7,5`` -> 7.5, ``1.234,5`` -> 1234.5 (Vietnamese marks)."""
    return float(text.replace(".", "").replace(",", "."))


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    q = qualifier.lower()
    if q in ("khoảng", "chừng", "xấp xỉ"):
        return value * 0.85, value * 1.15
    if q == "gần":
        return value * 0.85, value
    if q in ("hơn", "trên", "ngoài"):
        return value, value * 1.5
    if q in ("dưới", "chưa đến", "chưa tới"):
        return value * 0.5, value
    if q in ("ít nhất", "tối thiểu"):
        return value, math.inf
    if q in ("tới", "lên tới", "lên đến"):
        return value * 0.8, value * 1.05
    if q == "tối đa":
        return 0.0, value
    return value * 0.95, value * 1.05


def compatible(a: tuple[float, str], b: tuple[float, str]) -> bool:
    """Whether two (value, qualifier) readings can describe the same true quantity."""
    lo1, hi1 = _interval(*a)
    lo2, hi2 = _interval(*b)
    return lo1 <= hi2 and lo2 <= hi1


def find_figures_in(text: str, taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, float, str, str]]:
    """``(start, end, value, qualifier, unit)`` of each figure in ``text``.

    ``taken``: the date expressions of ``text`` (offsets into it, from the date layer): numbers
    inside them are dates, not figures.
    """
    if not _DIGIT.search(text):
        return []  # the figure pattern cannot skip ahead to digits by itself: test first
    spans = sorted(taken)
    starts = [a for a, _ in spans]
    max_ends = list(itertools.accumulate((b for _, b in spans), max))
    out = []
    for m in _FIGURE.finditer(text):
        ns, ne = m.span("num")
        k = bisect.bisect_left(starts, m.end())  # date spans starting before the figure ends
        if k and max_ends[k - 1] > ns:
            continue  # part of a date ("10/1", "đợt 2 năm 2016")
        if _may_end_with(text[max(0, ns - 12) : ns], _BAD_LAST_WORDS) and _BEFORE_BAD.search(
                text, max(0, ns - 12), ns):
            continue
        raw_unit = m.group("unit")
        unit = " ".join(raw_unit.lower().split())
        if unit in _NOT_UNITS and unit not in _DURATION_OK:
            continue
        if not (raw_unit == "%" or raw_unit[0].islower() or raw_unit in _CODE_UNITS):
            continue  # "Rossiya 1", "737 MAX": a capitalised word after a number is usually a name
        if _may_end_name(text[max(0, ns - 12) : ns]) and _NAME_BEFORE.search(text, max(0, ns - 12), ns):
            continue  # "QN-7038", "B737", "MAX 200": codes and model names
        if unit == "h" and m.end("unit") < len(text) and text[m.end("unit") : m.end("unit") + 1].isdigit():
            continue  # clock time "10h30"
        value = parse_number(m.group("num"))
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        if m.group("half"):
            value += 0.5
        unit = _UNIT_SYNONYMS.get(unit, unit)
        if unit in ("USD", "đồng", "euro") or raw_unit.isupper():
            unit = unit if unit != "usd" else "USD"
        if unit == "giờ" and ":" in text[ne : ne + 3]:
            continue
        window = text[max(0, ns - _QUAL_LOOKBACK) : ns]
        q = _QUAL_BEFORE.search(text, max(0, ns - _QUAL_LOOKBACK), ns) if window[-1:].isspace() and _may_end_with(
            window, _QUAL_LAST_WORDS) else None
        start = q.start() if q else m.start()
        out.append((start, m.end(), value, (q.group("q") if q else "").lower(), unit))
    return out


def _concepts(words: list[str]) -> set[str]:
    # (set operations in C: most windows hold no event word)
    out = {_CONCEPTS[w] for w in _CONCEPT_WORDS.intersection(words)}
    if not _CONCEPT_HEADS.isdisjoint(words):
        for i, w in enumerate(words[:-1]):
            if w in _CONCEPT_HEADS and (pair := f"{w} {words[i + 1]}") in _CONCEPTS:
                out.add(_CONCEPTS[pair])
    return out


_CONCEPT_WORDS = frozenset(k for k in _CONCEPTS if " " not in k)  # one-word keys (a syllable has no space)
_CONCEPT_HEADS = frozenset(k.split()[0] for k in _CONCEPTS if " " in k)  # first words of two-word keys


@lru_cache(maxsize=256)
def _unit_words(unit: str) -> frozenset[str]:
    return frozenset(syllables(unit))


def _with_digits(article: Article) -> Iterator[Sentence]:
    """The article's sentences holding a digit, in order: one search from each to the next digit
    of the text, not one per sentence (most hold none)."""
    text, sentences = article.text, article.sentences
    if not all(0 <= a.start <= a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False)) or (
            sentences and not 0 <= sentences[-1].start <= sentences[-1].end):
        yield from (s for s in sentences if _DIGIT.search(text[s.start : s.end]))  # (out of order: one by one)
        return
    starts = [s.start for s in sentences]
    pos = starts[0] if starts else len(text)
    while (m := _DIGIT.search(text, pos)) is not None:
        i = bisect.bisect_right(starts, m.start()) - 1  # the last sentence starting at the digit or before
        if m.start() < sentences[i].end:
            yield sentences[i]
        if i + 1 == len(sentences):
            return
        pos = starts[i + 1]  # (a digit between sentences belongs to none)


def _mentions(cluster: Cluster) -> list[_Fig]:
    # The event a figure belongs to: the date its sentence (or the closest earlier one within
    # 8 sentences, else the title's date) is about.
    topic: dict[tuple[str, int], str] = {}  # day dates, usable by the following sentences
    own: dict[tuple[str, int], str] = {}  # any explicit date ("Năm 2014, ..."), for its sentence only
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for dm in cluster.dates:
        key = (dm.article_id, dm.sentence)
        spans.setdefault(key, []).append((dm.start, dm.end))
        if dm.kind == "explicit":
            own.setdefault(key, dm.date)
        if dm.precision == "day":
            topic.setdefault(key, dm.date)
    figs: list[_Fig] = []
    for article in cluster.articles:
        if article.duplicate_of:
            continue
        title_date = article.meta.get("title_date")
        for sent in _with_digits(article):  # no number, no figure (most sentences)
            stext = article.text[sent.start : sent.end]
            taken = [(a - sent.start, b - sent.start) for a, b in spans.get((article.id, sent.index), ())]
            found = find_figures_in(stext, taken)
            if not found:
                continue
            event_date = own.get((article.id, sent.index)) or next(
                (
                    topic[(article.id, k)]
                    for k in range(sent.index, sent.index - _TOPIC_REACH, -1)
                    if (article.id, k) in topic
                ),
                title_date,
            )
            before_of, after_of = syllables_beside(stext, _WINDOW, _WINDOW_CHARS)
            maybe_planned = "İ" in stext or _PLANNED_WORDS.search(stext.casefold()) is not None
            for s, e, value, qual, unit in found:
                # the window's syllables from a bounded slice: tokenizing the whole sentence
                # prefix per figure was quadratic in a sentence holding thousands of figures
                # (syllables_beside reads a shorter slice first, when it holds enough)
                words = before_of(s) + after_of(e)
                # (set differences in C first: most of the few words left are kept)
                context = {w for w in set(words).difference(_STOP, _unit_words(unit)) if not w.isdigit()}
                context |= _concepts(words)
                planned = maybe_planned and bool(_PLANNED.search(stext[max(0, s - 60) : s]))
                figs.append(
                    _Fig(
                        article.id,
                        sent.index,
                        sent.start,
                        sent.end,
                        sent.start + s,
                        sent.start + e,
                        stext[s:e],
                        value,
                        qual,
                        unit,
                        planned,
                        context,
                        words,
                        event_date,
                        stext[max(0, s - _WINDOW_CHARS) : e + _WINDOW_CHARS],
                        s <= _WINDOW_CHARS,
                    )
                )
    return figs


def _similar(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


SAME_EVENT_BONUS = 0.3
NAMED_UNIT_BONUS = 0.3  # a unit that names its quantity ("quân") with values within 1.5x
MAX_RATIO = 3.0  # another order of magnitude is another quantity
SMALL_BLOCK = 48  # figures of one unit below which every pair is compared
MAX_POSTINGS = 24  # earlier figures compared per shared context word (bounds the work per figure)
MAX_COMPARED = 16  # earlier figures compared in all, whatever the number of its keys


def _same_event_date(a: str, b: str) -> bool:
    """One date is the other or contains it ("2022-01" and "2022-01-12")."""
    if "/" in a or "/" in b:
        return a == b
    return a.startswith(b) or b.startswith(a)


def _related(a: _Fig, b: _Fig) -> float:
    """How likely two figures measure the same quantity (0 when they cannot)."""
    if a.unit != b.unit or a.planned != b.planned:
        return 0.0
    lo, hi = (a.value, b.value) if a.value <= b.value else (b.value, a.value)
    if lo <= 0 or hi / lo > MAX_RATIO:
        return 0.0
    if a.event_date and b.event_date and not _same_event_date(a.event_date, b.event_date):
        return 0.0  # another dated event: the 4-hour meeting of 12/1 is not the talks of 10/1
    score = _similar(a.context, b.context)
    if a.event_date and a.event_date == b.event_date:
        score += SAME_EVENT_BONUS
    if a.unit not in _GENERIC_UNITS and hi / lo <= 1.5:
        score += NAMED_UNIT_BONUS
    return score


_TIME_UNITS = frozenset("giờ phút giây ngày tuần tháng năm".split())
_CONCEPT_NAMES = {
    "<meeting>": "cuộc họp",
    "<death>": "người chết",
    "<injured>": "người bị thương",
    "<missing>": "mất tích",
    "<arrest>": "bị bắt",
}


CASE_SAMPLE = 12  # figures of a group whose windows vote on how a word is written


def _cased_forms(members: list[_Fig], words: Collection[str]) -> dict[str, str]:
    """Lower-case word of ``words`` -> the form the articles write it in most ("nga" -> "Nga",
    "quân" -> "quân"), from the figures' windows; a sentence's first word is not counted
    (capitalised whatever it is)."""
    forms: dict[str, Counter[str]] = {w: Counter() for w in words}
    for f in members[:CASE_SAMPLE]:
        cased = cased_syllables(f.window)
        for w in cased[1:] if f.window_opens else cased:
            counter = forms.get(w.lower())
            if counter is not None:
                counter[w] += 1
    return {w: c.most_common(1)[0][0] for w, c in forms.items() if c}


def _phrases(words: list[str], window: str) -> list[list[str]]:
    """``words`` (in reading order) grouped into the runs that stand next to each other in
    ``window`` ("thế", "giới" -> "thế giới"): one phrase is not a list of its syllables."""
    spaced = f" {' '.join(syllables(window))} "
    runs: list[list[str]] = []
    for w in words:
        if runs and f" {runs[-1][-1]} {w} " in spaced:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _label(members: list[_Fig]) -> str:
    """What is measured: "thời lượng cuộc họp ngày 12/1/2022", "số quân Nga, Ukraine": the
    unit or the event, the words the figures share (as the articles write them, names with
    their capitals), then the event's date."""
    counts: dict[str, int] = {}
    for f in members:
        for w in f.context:
            counts[w] = counts.get(w, 0) + 1
    need = max(2, (len(members) + 1) // 2)
    shared = [
        w for w in dict.fromkeys(members[0].words) if counts.get(w, 0) >= need and w in members[0].context
    ]
    concepts = [
        _CONCEPT_NAMES[c] for c in sorted(members[0].context) if c in _CONCEPT_NAMES and counts[c] >= need
    ]
    unit = members[0].unit
    head = ("thời lượng " if unit in _TIME_UNITS else "số ") + (concepts[0] if concepts else unit)
    if shared:
        cased = _cased_forms(members, shared[:5])
        runs = _phrases(shared[:5], members[0].window)
        head += " " + ", ".join(" ".join(cased.get(w, w) for w in run) for run in runs)
    dates = {f.event_date for f in members}
    if len(dates) == 1 and None not in dates:
        head += f" {vn_date(dates.pop(), words=True)}"
    return head


def _candidate_pairs(figs: list[_Fig], block: list[int]) -> list[tuple[int, int]]:
    """Pairs of a block that can reach the threshold: they share a context word, or a dated
    event, or a unit naming its quantity (the bonuses). Each figure meets at most MAX_POSTINGS
    earlier figures per key, so the work is linear in the figures."""
    if len(block) <= SMALL_BLOCK:  # all pairs are cheaper than an index (same pairs that can relate)
        return [(i, j) for x, i in enumerate(block) for j in block[x + 1 :]]
    postings: dict[object, list[int]] = {}
    pairs: set[tuple[int, int]] = set()
    for j in block:
        f = figs[j]
        keys: list[object] = list(f.context)
        if f.event_date:
            keys.append(("date", f.event_date[:10]))
        if f.unit not in _GENERIC_UNITS:
            keys.append(("unit", f.unit))
        shared: Counter[int] = Counter()
        for key in keys:
            seen = postings.setdefault(key, [])
            shared.update(seen[-MAX_POSTINGS:])
            seen.append(j)
        # a figure with many busy keys would meet up to MAX_POSTINGS per key, and more keys fill
        # up as a pile grows: keep the earlier figures sharing the most keys (then the nearest)
        nearest = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))[:MAX_COMPARED]
        pairs.update((i, j) for i, _ in nearest)
    return sorted(pairs)


def extract_figures(cluster: Cluster, threshold: float = 0.35) -> list[FigureGroup]:
    """Groups of figures on the same quantity reported by >= 2 distinct articles."""
    figs = _mentions(cluster)
    n = len(figs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only figures with the same unit and modality can be related: compare within those blocks.
    blocks: dict[tuple[str, bool], list[int]] = {}
    for i, f in enumerate(figs):
        blocks.setdefault((f.unit, f.planned), []).append(i)
    for block in blocks.values():
        for i, j in _candidate_pairs(figs, block):
            if _related(figs[i], figs[j]) >= threshold:
                parent[find(i)] = find(j)

    groups: dict[int, list[_Fig]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(figs[i])
    out: list[FigureGroup] = []
    for members in groups.values():
        if len({f.article for f in members}) < 2:
            continue
        values: list[FigureValue] = []
        seen: set[tuple[str, float, str]] = set()
        for f in members:
            key = (f.article, f.value, f.qualifier)
            if key in seen:
                continue  # a caption repeating the body
            seen.add(key)
            values.append(
                FigureValue(
                    f.text, f.value, f.qualifier, SourceRef(f.article, f.sentence, f.sent_start, f.sent_end)
                )
            )
        # Intervals on a line pairwise overlap iff they share a point: O(n), not all pairs.
        intervals = [_interval(v.value, v.qualifier) for v in values]
        conflict = max(lo for lo, _ in intervals) > min(hi for _, hi in intervals)
        out.append(FigureGroup(_label(members), members[0].unit, values, conflict))
    out.sort(key=lambda g: (-len({v.source.article for v in g.values}), g.unit))
    return out
