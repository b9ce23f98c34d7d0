"""Trimmed sentences: words a reader of the summary does not need, cut from a chosen sentence.

Five kinds, all framing rather than fact:

- an opening attribution to the outlet or its reporter, "Theo phóng viên TTXVN tại Nga, …",
  "Theo hãng tin Reuters, …" (cut only when what follows opens on a capital, so the
  sentence still starts like one; "Theo ông Lavrov, …" names who claims it and is kept, and
  so does a report, "Theo báo cáo của Sở Văn hóa, Thể thao và Du lịch, …");
- an opening connective that only adds to the sentence before, "Ngoài ra, …", "Đồng thời, …"
  (cut only before a capital: the sentence then stands alone, ``context.py`` no longer flags it);
- a parenthesised source or photo note, "(Nguồn: …)", "(Ảnh: …)", "(Theo …)";
- the stray space inside a parenthesis, "( NATO)" -> "(NATO)";
- an acronym spelled out again: "Tổ chức Hiệp ước Bắc Đại Tây Dương (NATO)" is read in full the
  first time the summary names NATO, as "NATO" after (:func:`repeated_expansions`; this one
  needs the summary's order, the others only the sentence).

Nothing is rewritten: the trimmed text is the concatenation of kept spans of the article's
text, and the spans (offsets into ``Article.text``) go with the summary sentence, so every
word still traces to its source.
"""

from __future__ import annotations

from collections import Counter

import regex

from diemtin.lang.attribution import SOURCE_NOTE, opening_byline
from diemtin.lang.stopwords import STOPWORDS

# Opening connectives a sentence read on its own does without: they add to or detail the
# sentence before ("Ngoài ra, Bộ Y tế …", "Đồng thời, Sở …"), and the fact after the comma
# stands alone. Not a contrast ("Tuy nhiên": measured, cutting it costs ROUGE-2 on ViMs, and
# the fact it qualifies is missing), a cause or a time ("Do đó", "Trước đó", "Theo đó"), whose
# fact depends on what "đó" is, nor "Trong đó" (a part of something named before).
_DROPPABLE = frozenset(
    tuple(p.split()) for p in (
        "ngoài ra", "bên cạnh đó", "trong khi đó", "đồng thời", "mặt khác", "thêm vào đó", "hơn nữa",
        "cùng với đó", "cụ thể",
    )
)
_OPENERS = tuple(" ".join(p).capitalize() + "," for p in _DROPPABLE)  # as a sentence opens on them

_NOTE = SOURCE_NOTE
_SPACED_PAREN = regex.compile(r"\((\s+)|(\s+)\)")
_SPACE = regex.compile(r"\s")


def _spaced_paren_possible(text: str) -> bool:
    """A space right inside some parenthesis: what _SPACED_PAREN needs (it tries every space)."""
    for paren, step in (("(", 1), (")", -1)):
        at = text.find(paren)
        while at >= 0:
            near = at + step
            if 0 <= near < len(text) and _SPACE.match(text, near, near + 1):
                return True
            at = text.find(paren, at + 1)
    return False


def _byline(text: str) -> int:
    """Length in characters of an opening outlet byline ("Theo phóng viên TTXVN tại Nga, "), or 0;
    only before a capital (the sentence then still starts like one)."""
    # (a report, "Theo báo cáo của Sở …,", is the claim's source: kept; its first comma may be
    # inside the name, "Sở Văn hóa, Thể thao và Du lịch": cut there, the rest began mid-name)
    return opening_byline(text, documents_kept=True) if text[:1] in "Tt" else 0  # (most: not read further)


def _connective(text: str) -> int:
    """Length in characters of an opening droppable connective and its comma ("Ngoài ra, "), or 0.
    Only when what follows opens on a capital (a name: "Ngoài ra, Bộ Y tế …"), so the sentence
    still starts like one and its text is still the article's own."""
    if not text.startswith(_OPENERS):
        return 0  # most sentences (one C-level prefix test: no tokenizing)
    rest = text.find(",") + 1
    while rest < len(text) and text[rest].isspace():
        rest += 1
    return rest if rest < len(text) and text[rest].isupper() else 0


def kept_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (offsets relative to it) to keep; one span ``(0, len)`` when nothing is cut."""
    start = _byline(text) or _connective(text)
    if "(" not in text and not start:
        return [(0, len(text))]  # most sentences: nothing that could be cut
    cut: list[tuple[int, int]] = []
    if start:
        cut.append((0, start))
    # (both patterns need a parenthesis: a byline alone is not scanned for them)
    for m in _NOTE.finditer(text, pos=start) if "(" in text else ():
        if m.end() - m.start() < len(text) - start:  # never the whole sentence
            cut.append((m.start(), m.end()))
    for m in _SPACED_PAREN.finditer(text, pos=start) if _spaced_paren_possible(text) else ():
        g = 1 if m.group(1) is not None else 2
        cut.append((m.start(g), m.end(g)))
    if not cut:
        return [(0, len(text))]
    cut.sort()
    spans = []
    at = 0
    for a, b in cut:
        if a > at:
            spans.append((at, a))
        at = max(at, b)
    if at < len(text):
        spans.append((at, len(text)))
    return spans


def trimmed(text: str, spans: list[tuple[int, int]]) -> str:
    return "".join(text[a:b] for a, b in spans)


# --- acronyms spelled out once ---------------------------------------------------------------

# "(NATO)", "( IAEA )", "(UBND)": capitals (and digits, "G20"), in parentheses right after words.
_EXPANDED = regex.compile(r"\(\s*(\p{Lu}[\p{Lu}\p{Nd}]{1,9})\s*\)")
_WORD = regex.compile(r"\w+")
_NOT_WORD = regex.compile(r"[^\w\s]")
MAX_EXPANSION_SYLLABLES = 12  # longer than this before "(X)" is not one name
MIN_EXPANSION_SYLLABLES = 2
MIN_SPELLINGS = 2  # occurrences spelled out in the cluster needed to tell where the name starts
SPELLING_SHARE = 0.5  # of them that must end with the same words (an odd one does not decide)
EXPANSION_LOOKBACK = 160  # characters before "(" where an expansion may start


def _words_before(text: str, paren: int, function_words: bool = True) -> list[tuple[int, int]]:
    """Offsets of the words that may spell out the acronym in parentheses at ``text[paren]``:
    back from it to a punctuation mark or (``function_words``) a lower-case function word
    ("tại", "và", "của"), then from the first capitalised one ("… thuộc Tổ chức Hiệp ước …" ->
    "Tổ chức Hiệp ước …")."""
    floor = max(0, paren - EXPANSION_LOOKBACK)
    window = text[floor:paren]
    stop = max((m.end() for m in _NOT_WORD.finditer(window)), default=0)
    words = [(floor + m.start(), floor + m.end()) for m in _WORD.finditer(window, stop)]
    kept: list[tuple[int, int]] = []
    for a, b in reversed(words):
        word = text[a:b]
        if len(kept) == MAX_EXPANSION_SYLLABLES or (function_words and word.islower() and word in STOPWORDS):
            break
        kept.append((a, b))
    kept.reverse()
    while kept and not text[kept[0][0]].isupper():
        kept.pop(0)
    return kept


def acronym_expansions(texts: list[str], acronyms: set[str]) -> dict[str, tuple[str, ...]]:
    """How ``texts`` (the cluster's sentences) spell out each of ``acronyms``: the longest run of
    words, from a capital, that most of its spelled-out occurrences end with ("Hội đồng Tổ chức
    … (NATO)" and "Tổ chức … (NATO)" share "tổ chức …"), lower-cased (an outlet's "Đại Tây
    dương" is the same name); at least two words, else none."""
    seen: dict[str, list[tuple[tuple[str, ...], list[int]]]] = {}  # acronym -> (words, tail lengths)
    for text in texts:
        if "(" not in text:
            continue
        for m in _EXPANDED.finditer(text):
            if m.group(1) in acronyms:
                words = _words_before(text, m.start())
                if len(words) >= MIN_EXPANSION_SYLLABLES:
                    # the tails that start on a capital: where the name may start
                    starts = [len(words) - k for k, (a, _) in enumerate(words) if text[a].isupper()]
                    seen.setdefault(m.group(1), []).append((tuple(text[a:b].lower() for a, b in words), starts))
    out = {}
    for acronym, forms in seen.items():
        if len(forms) < MIN_SPELLINGS:
            continue
        tails = Counter(form[-n:] for form, starts in forms for n in starts if n >= MIN_EXPANSION_SYLLABLES)
        shared = [tail for tail, k in tails.items() if k >= max(MIN_SPELLINGS, SPELLING_SHARE * len(forms))]
        if shared:
            out[acronym] = max(shared, key=len)
    return out


def spelled_out(text: str) -> set[str]:
    """The acronyms ``text`` spells out in parentheses ("… Dương (NATO)" -> {"NATO"})."""
    return {m.group(1) for m in _EXPANDED.finditer(text)} if "(" in text else set()


def repeated_expansions(texts: list[str], expansions: dict[str, tuple[str, ...]]) -> list[list[tuple[int, int]]]:
    """Per text of a summary, in reading order: the spans to cut so that each acronym of
    ``expansions`` is spelled out only where the summary first names it ("… tại Tổ chức Hiệp
    ước Bắc Đại Tây Dương (NATO) Julianne Smith" read after "NATO" -> "… tại NATO Julianne
    Smith"). Offsets are into each text; an acronym named bare first is not spelled out after."""
    named: set[str] = set()
    cuts: list[list[tuple[int, int]]] = []
    for text in texts:
        mine: list[tuple[int, int]] = []
        spelled = {m.start(1): m for m in _EXPANDED.finditer(text)} if "(" in text else {}
        for w in _WORD.finditer(text):
            word = w.group()
            if word not in expansions:
                continue
            m = spelled.get(w.start())
            if m is not None and word in named:
                form = expansions[word]
                # (a spelling known, function words may be in it: "Y tế thế giới")
                words = _words_before(text, m.start(), function_words=False)
                if len(words) >= len(form) and tuple(text[a:b].lower() for a, b in words[-len(form):]) == form:
                    mine += [(words[-len(form)][0], m.start(1)), (m.end(1), m.end())]
            named.add(word)
        cuts.append(mine)
    return cuts


def without(spans: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` less the ranges of ``cuts`` (all offsets into one text, spans sorted)."""
    out = []
    for a, b in spans:
        at = a
        for c, d in sorted(cuts):
            if d <= at or c >= b:
                continue
            if c > at:
                out.append((at, c))
            at = max(at, d)
        if at < b:
            out.append((at, b))
    return out
