"""A person named short, made explicit: "ông [Hoàng Ngọc] Biên".

A summary sentence naming someone by a title and one syllable ("Theo ông Biên, …") cannot be
placed by a reader who has not met the full name ("luật sư Hoàng Ngọc Biên"). Rather than wait
for a sentence naming them in full, the summary may show the rest of the name in square
brackets: words not of the source, marked as such (``model.Insertion``), every other word still
the source's. Only when the cluster gives one full name ending in that syllable (two people
called "… Biên": no guess), the short reference is a Vietnamese given name
(``context.short_references``: after a title, "ông", "chị", "luật sư", or alone where only a
name can stand: "Tháng 4/2013, [Trần Nguyễn An] Khương đã đến …"; "Mỹ" of "châu Mỹ", a
place, and "miền Nam" are none). The
selector drops the insertion once the summary names the person in full before
(``selector._named_once``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from diemtin.lang import lexicon
from diemtin.model import Article, Sentence
from diemtin.select.context import ShortReference

OPEN, CLOSE = "[", "]"
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
# Capitalised words right before a name's last syllable: the rest of the name (at most this far)
_BEFORE = regex.compile(r"(?:\p{Lu}[\p{L}\p{M}]*\.?[ \t]+)+$")
_REACH = 60  # characters before the last syllable where the rest of a name is read
_GOES_ON = regex.compile(r"[ \t]+\p{Lu}")  # another capitalised word follows: a longer name


class Made(NamedTuple):
    """A text with a name's first words inserted."""

    text: str
    start: int  # offsets into ``text`` of the inserted span, brackets included (a space follows)
    end: int
    words: str  # the inserted words: "Hoàng Ngọc"


def shown_words(text: str) -> str:
    """``text`` as a reader reads it: brackets around inserted words dropped, the words kept."""
    return _BRACKETED.sub(r"\1", text) if OPEN in text else text


def with_full_name(text: str, ref: ShortReference) -> Made | None:
    """``text`` with the words of ``ref.full`` before its last one inserted, in brackets, before
    the syllable ``ref.words`` names the person by ("ông Biên" -> "ông [Hoàng Ngọc] Biên"); a
    title word that is the name's too is the name's ("mà Anh Quân" -> "mà [Lê Phùng] Anh Quân")."""
    full, short = ref.full.split(), ref.words.split()
    if len(full) < 2:
        return None
    m = next((m for m in _word(ref.words).finditer(text) if not _GOES_ON.match(text, m.end())), None)
    if m is None:
        return None
    k = 1  # the words the short reference and the full name end on
    while k < min(len(full) - 1, len(short)) and full[-k - 1].lower() == short[-k - 1].lower():
        k += 1
    before = full[: len(full) - k]
    at = m.end() - len(" ".join(short[len(short) - k :]))
    inserted = OPEN + " ".join(before) + CLOSE
    return Made(text[:at] + inserted + " " + text[at:], at, at + len(inserted), " ".join(before))


class FullNames:
    """Where a cluster names its people in full, and whether one name is one person."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self._one: dict[str, bool] = {}
        self._source: dict[str, tuple[Article, Sentence] | None] = {}

    def one_person(self, full: str) -> bool:
        """Every name the cluster ends on ``full``'s last syllable is ``full`` or part of it
        ("Ngọc Biên", "Luật sư Hoàng Ngọc Biên"): not two people ("Nguyễn Văn Biên")."""
        if full not in self._one:
            self._one[full] = _one_person(self.articles, full)
        return self._one[full]

    def source(self, full: str) -> tuple[Article, Sentence] | None:
        """The first sentence of the cluster naming ``full``."""
        if full not in self._source:
            word = _word(full)
            self._source[full] = next(
                ((a, s) for a in self.articles for s in a.sentences if word.search(a.text, s.start, s.end)), None
            )
        return self._source[full]


def _one_person(articles: Sequence[Article], full: str) -> bool:
    words = full.split()
    last = _word(words[-1])
    titles = _titles()
    for a in articles:
        text = a.text
        for m in last.finditer(text):
            if _GOES_ON.match(text, m.end()):
                continue  # "… Đồng Nai": another name
            run = _BEFORE.search(text[max(0, m.start() - _REACH) : m.start()])
            if run is None:
                continue
            other = run.group().split()
            while other and other[0].lower() in titles:
                other = other[1:]  # "Ông", "Luật sư" opening a sentence: not the name
            # the shorter one's words end the longer one's: one name, told more or less fully
            n = min(len(other), len(words) - 1)
            if other[len(other) - n :] != words[len(words) - 1 - n : -1]:
                return False
    return True


@cache
def _titles() -> frozenset[str]:
    """One-word titles ("ông", "bà", "ts"): capitalised, opening a sentence, they open a name's run
    (not the words of longer ones: "Phạm" of "nghi phạm" is a surname)."""
    return frozenset(t for t in (*lexicon.table("honorifics"), *lexicon.words("person_titles")) if " " not in t)


@lru_cache(maxsize=4096)
def _word(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(words)}(?![^\W_])")
