"""Update summaries (the TAC 2008 update task): what the later articles of a story add that
the earlier ones did not say.

A later sentence is a candidate only if it says something new: less than
:data:`~config.NOVELTY_CONTAINMENT` of its content bigrams appear in the earlier articles
(titles included), or :data:`~config.NOVELTY_MIN_NEW` of them at least do not. The later
articles, with only those candidates, are then digested as usual, so the update summary
keeps the selector's redundancy control and its sources; the articles' text and offsets
are untouched, only their sentence lists shrink.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from diemtin.archive import config
from diemtin.lang.tokens import syllables
from diemtin.model import Article


def content_bigrams(text: str) -> set[tuple[str, str]]:
    toks = syllables(text)
    return {(a, b) for a, b in zip(toks, toks[1:], strict=False) if a.isalpha() or b.isalpha()}


def known_bigrams(earlier: Iterable[Article]) -> set[tuple[str, str]]:
    known: set[tuple[str, str]] = set()
    for a in earlier:
        known |= content_bigrams(a.title)
        for s in a.sentences:
            known |= content_bigrams(s.text)
    return known


def is_novel(text: str, known: set[tuple[str, str]], containment: float = config.NOVELTY_CONTAINMENT) -> bool:
    """Mostly new (less than ``containment`` of its content bigrams known), or new in
    :data:`~config.NOVELTY_MIN_NEW` bigrams at least: a long sentence that restates the
    background and then adds a fact is news too (the lead of a follow-up often does)."""
    grams = content_bigrams(text)
    if not grams:
        return False
    known_share = len(grams & known) / len(grams)
    return known_share < containment or len(grams) - len(grams & known) >= config.NOVELTY_MIN_NEW


def novel_articles(
    earlier: Iterable[Article], later: Iterable[Article], containment: float = config.NOVELTY_CONTAINMENT
) -> list[Article]:
    """Copies of the later articles keeping only the sentences that say something new."""
    known = known_bigrams(earlier)
    out = []
    for a in later:
        keep = [s for s in a.sentences if is_novel(s.text, known, containment)]
        out.append(dataclasses.replace(a, sentences=keep))
    return out
