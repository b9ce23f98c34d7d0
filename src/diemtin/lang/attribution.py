"""Framing a reader of a digest does without: the outlet's byline that opens a sentence
("Theo phóng viên TTXVN tại Nga, …") and a parenthesised source or photo note ("(Nguồn: …)").

Shared by the summary's trim (``select/trim.py``) and the timeline (``extract/timeline.py``,
``render/``): how Vietnamese news writes these is a fact of the language, the stages decide
what to cut. Words in ``data/lexicon/byline_heads.txt``.
"""

from __future__ import annotations

from functools import cache

import regex

from diemtin.lang import lexicon
from diemtin.lang.tokens import cased_syllables, syllables

# An opening "Theo …," longer than this is more than a byline: it is kept.
MAX_ATTRIBUTION_SYLLABLES = 10

# "(Nguồn: …)", "(Ảnh: …)", "(Theo …)": a note on where the text or photo comes from.
SOURCE_NOTE = regex.compile(
    r"\s*\(\s*(?:(?:nguồn|ảnh|video|clip|đồ họa)\s*:|theo\s)[^()]{0,80}\)", regex.IGNORECASE
)
# The same, where "(theo …)" must name someone, as a source does ("(Theo Reuters)"): "(theo giờ
# địa phương)" is not a note. (The summary's trim still uses SOURCE_NOTE: changing it would
# change summaries.)
NAMED_SOURCE_NOTE = regex.compile(
    r"\s*\(\s*(?:(?i:nguồn|ảnh|video|clip|đồ họa)\s*:|(?i:theo)\s+\p{Lu})[^()]{0,80}\)"
)


@cache
def byline_heads() -> tuple[tuple[str, ...], ...]:
    """The first syllables of an outlet's or reporter's byline after "Theo" (lower-case tuples)."""
    return tuple(tuple(syllables(h)) for h in lexicon.words("byline_heads"))


@cache
def _not_heads() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(syllables(h)) for h in lexicon.words("byline_not_heads"))


def opening_byline(text: str, capital_after: bool = True, documents_kept: bool = False) -> int:
    """Length in characters of an opening outlet byline ("Theo phóng viên TTXVN tại Nga, "), or 0.

    ``capital_after``: only when what follows opens on a capital, so that the rest still starts
    like a sentence as written (the summary shows the article's own words); a caller that
    capitalises the rest itself passes False. ``documents_kept``: "Theo báo cáo …," (a report,
    the claim's source, ``byline_not_heads.txt``) is not a byline (the summary's trim asks for
    it: cut, "Theo báo cáo của Sở Văn hóa, Thể thao …" left a sentence opening mid-name)."""
    if not text[:5].lower().startswith("theo "):
        return 0
    comma = text.find(",")
    if comma < 0:
        return 0
    words = [t.lower() for t in cased_syllables(text[5:comma])]
    if not words or len(words) > MAX_ATTRIBUTION_SYLLABLES:
        return 0
    if not any(tuple(words[: len(h)]) == h for h in byline_heads()):
        return 0
    if documents_kept and any(tuple(words[: len(h)]) == h for h in _not_heads()):
        return 0
    rest = comma + 1
    while rest < len(text) and text[rest].isspace():
        rest += 1
    if rest >= len(text) or (capital_after and not text[rest].isupper()):
        return 0  # the rest would start mid-sentence
    return rest


def without_notes(text: str) -> str:
    """``text`` less its parenthesised source notes (never all of it)."""
    if "(" not in text:
        return text
    out = NAMED_SOURCE_NOTE.sub("", text)
    return out if out.strip() else text
