"""Syllable tokens: the unit of length budgets, ROUGE and word-overlap features.

Vietnamese words are one or more space-separated syllables; counting and matching
syllables (NFC, lowercase, Unicode ``\\w+``) keeps every diacritic, unlike ASCII
tokenizers that turn ``Mỹ`` and ``Mẹ`` into the same token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

import regex

_TOKEN = regex.compile(r"\w+", regex.UNICODE)
# Characters that stdlib ``re`` and ``regex`` class alike, word character (``\w``) and letter
# (``[^\W\d_]`` and ``[\p{L}\p{M}]``) or not (tests/test_tokens.py checks each): ASCII,
# Latin-1 but for its superscripts, ordinals and fractions, Latin Extended-A/B and Additional
# (Vietnamese), spaces and general punctuation but for joiners and connectors, currency signs.
# A text of these only is tokenized by ``re``, a third faster, into the same tokens.
RE_AGREES = (
    "\x00-\x7f\u00a0-\u00b1\u00b4-\u00b8\u00bb\u00bf-\u024f\u1e00-\u1eff"
    "\u2000-\u200b\u2010-\u203e\u2041-\u2053\u2055-\u205f\u20a0-\u20bf\u3000"
)
_BEYOND_RE = re.compile(f"[^{RE_AGREES}]")
_RE_TOKEN = re.compile(r"\w+")
# stdlib ``re``: [^\W_] is exactly [\p{L}\p{N}] here and tokenises about 1.5x faster than ``regex``.
_NAME_TOKEN = re.compile(r"[^\W_]+(?:[.&'’\-][^\W_]+)*")


# Texts longer than this are normalized piece by piece. CPython normalizes a whole string the slow
# way (decompose, recompose every character) as soon as its quick check meets one "maybe"
# character (a lone combining mark): one stray U+0309 in a 6 MB pile made reading it 5x slower.
NFC_PIECE = 1 << 16


def nfc(text: str) -> str:
    """NFC of ``text``; long texts are cut before an ASCII space, which is exact: a space is a
    starter (no reordering crosses it) and no canonical composition has a space as its second
    element, so nothing composes across the cut."""
    if len(text) <= NFC_PIECE:
        return unicodedata.normalize("NFC", text)
    pieces = []
    start = 0
    while start < len(text):
        cut = text.find(" ", start + NFC_PIECE)
        end = len(text) if cut == -1 else cut
        pieces.append(unicodedata.normalize("NFC", text[start:end]))
        start = end
    return "".join(pieces)


def reads_alike(text: str) -> bool:
    """Whether stdlib ``re`` classes every character of ``text`` as ``regex`` does (``RE_AGREES``)."""
    return _BEYOND_RE.search(text) is None


def _token_pattern(text: str) -> re.Pattern[str] | regex.Pattern[str]:
    """``\\w+`` for ``text``: stdlib ``re`` when it reads the text alike, else ``regex``."""
    return _RE_TOKEN if reads_alike(text) else _TOKEN


def _findall(text: str) -> list[str]:
    return _token_pattern(text).findall(text)


def syllables(text: str) -> list[str]:
    """Lowercased NFC syllable tokens of ``text``."""
    return _findall(nfc(text).lower())


def _exact_between_offsets(text: str, low: str) -> bool:
    """Whether ``\\w+`` between offsets of ``low`` (``text`` lowered) gives ``syllables`` of the slice."""
    return len(low) == len(text) and reads_alike(text) and reads_alike(low) and unicodedata.is_normalized("NFC", text)


def slice_syllables(text: str) -> Callable[[int, int], list[str]]:
    """A function ``(start, end) -> syllables(text[start:end])``, for many windows of one text:
    lowered and checked once, each window is one ``findall`` between offsets. Exact when
    ``text`` is NFC and reads alike, lowered and not, at the same length (no capital sigma,
    which reads its neighbours, nor combining marks: none reads alike); else each window is
    tokenized on its own."""
    low = text.lower()
    if _exact_between_offsets(text, low):
        # (a substring of an NFC text is NFC; one character at a time, the lowercase is the
        # text's lowercase sliced; \w+ stops at the window's ends as at a slice's)
        return lambda start, end: _RE_TOKEN.findall(low, max(start, 0), end)
    return lambda start, end: syllables(text[max(start, 0) : end])


# Characters first read for a few syllables beside an offset (``syllables_beside``): most
# syllables with their spaces are shorter than 8 characters; when the short window holds too few
# the whole reach is read.
_NEAR_CHARS_PER_SYLLABLE = 8


def syllables_beside(
    text: str, n: int, reach: int
) -> tuple[Callable[[int], list[str]], Callable[[int], list[str]]]:
    """``(before, after)``: ``before(pos)`` is ``syllables(text[max(pos - reach, 0) : pos])[-n:]``,
    ``after(pos)`` is ``syllables(text[pos : pos + reach])[:n]``, for many offsets of one text.

    Where ``slice_syllables`` reads between offsets, a shorter window is read first: past
    ``n`` syllables in it, its ``n`` nearest ones are whole (the one its far end may cut is not
    among them) and the same as the whole reach's. Tokenizing ``reach`` characters per figure
    to keep a few syllables was most of the figures' context time."""
    low = text.lower()
    if not _exact_between_offsets(text, low):
        return (lambda pos: syllables(text[max(pos - reach, 0) : pos])[-n:],
                lambda pos: syllables(text[max(pos, 0) : pos + reach])[:n])
    near = min(reach, n * _NEAR_CHARS_PER_SYLLABLE)

    def before(pos: int) -> list[str]:
        found = _RE_TOKEN.findall(low, max(pos - near, 0), pos)
        if len(found) <= n and pos - near > 0:
            found = _RE_TOKEN.findall(low, max(pos - reach, 0), pos)
        return found[-n:]

    def after(pos: int) -> list[str]:
        found = _RE_TOKEN.findall(low, max(pos, 0), pos + near)
        if len(found) <= n and pos + near < len(low):
            found = _RE_TOKEN.findall(low, max(pos, 0), pos + reach)
        return found[:n]

    return before, after


def name_tokens(text: str, pos: int = 0) -> Iterator[re.Match[str]]:
    """Syllables of ``text`` (case and offsets kept) with the inner punctuation of names and codes
    in one token ("Coca-Cola", "TP.HCM", "KH&CN", "O’Neil"): what who's who reads."""
    return _NAME_TOKEN.finditer(text, pos)


def count_syllables(text: str) -> int:
    return sum(1 for _ in _TOKEN.finditer(text))


def truncate_syllables(text: str, limit: int) -> str:
    """``text`` cut after its first ``limit`` syllables (used to level lengths for ROUGE)."""
    for i, m in enumerate(_TOKEN.finditer(text)):
        if i == limit:
            return text[: m.start()].rstrip()
    return text



# Old and new tone placement in "oa", "oe", "uy" at a syllable's end ("hoà"/"hòa", "thuỷ"/"thủy"):
# the tone goes on the first vowel (the spelling most Vietnamese papers use).
_TONED = {"o": "òóỏõọ", "u": "ùúủũụ", "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
# ("quý": "qu" is one consonant, its tone is always on the y)
_NEW_STYLE = regex.compile(r"(?<!q)(o)([àáảãạèéẻẽẹ])(?!\p{L})|(?<!q)(u)([ỳýỷỹỵ])(?!\p{L})")


def _old_style(m: regex.Match[str]) -> str:
    first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    for plain, toned in _TONED.items():
        if second in toned:
            tone = toned.index(second)
            return _TONED[first][tone] + plain
    return m.group()


def tone_key(text: str) -> str:
    """Case-folded NFC ``text`` with one tone placement for "oa", "oe", "uy" at a syllable's end,
    so "Vĩnh Hoà Hiệp" and "Vĩnh Hòa Hiệp" compare equal; another tone or vowel ("Hoà"/"Hoa",
    "Thắng"/"Thăng") still differs. For comparing names; what is shown keeps the article's spelling."""
    return _NEW_STYLE.sub(_old_style, nfc(text).casefold())


def cased_syllables(text: str) -> list[str]:
    """NFC syllable tokens with their case kept (a capital tells a name from a pronoun)."""
    return _findall(nfc(text))


def iter_cased_syllables(text: str) -> Iterator[str]:
    """:func:`cased_syllables` one at a time, for a reader that mostly needs the first few."""
    text = nfc(text)
    return (m.group() for m in _token_pattern(text).finditer(text))
