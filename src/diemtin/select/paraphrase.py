"""Paraphrased repeats: two sentences telling one fact in partly other words.

Bigram containment ("most bigrams of one are in the other") only catches copies. Reworded
sentences keep the fact's rare words (names, figures, the event's nouns) in another order,
around other function words. So a sentence is a unit set of content syllables and content
bigrams (Vietnamese words are mostly 1–2 syllables), each weighted by its rarity in the
cluster (idf over the cluster's sentences: "Nga", "đàm phán" in every sentence of a story
weigh little), and two sentences overlap by the weight they share over the lighter one's.

What this cannot see is a paraphrase with no rare word in common ("không đạt được tiến bộ"
vs "không mang lại kết quả đột phá"): that needs word meaning. One such meaning is common in
news and cheap to read: an outcome that got nowhere (:func:`no_progress`, a negation close
before a word of progress); the selector takes two of them about the same actors as one fact.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from diemtin.lang.stopwords import STOPWORDS

# Share of the lighter sentence's idf weight found in the other: above it, one fact told twice.
PARAPHRASE_OVERLAP = 0.3

Unit = str | tuple[str, str]


def units(tokens: Sequence[str]) -> set[Unit]:
    """Content syllables and the bigrams holding at least one content syllable."""
    out: set[Unit] = {t for t in tokens if t not in STOPWORDS and not t.isdigit()}
    out.update((a, b) for a, b in zip(tokens, tokens[1:], strict=False) if a not in STOPWORDS or b not in STOPWORDS)
    return out


class Idf:
    """Rarity of each unit among a cluster's sentences (unseen units: the rarest)."""

    def __init__(self, sentences: Iterable[Sequence[str]]) -> None:
        df: Counter[Unit] = Counter()
        n = 0
        for tokens in sentences:
            n += 1
            df.update(units(tokens))
        self.default = math.log(1 + n)
        self.weights = {u: math.log((1 + n) / (1 + k)) for u, k in df.items()}

    def mass(self, us: Iterable[Unit]) -> float:
        w, d = self.weights, self.default
        return sum(w.get(u, d) for u in us)


def overlap(a: set[Unit], b: set[Unit], idf: Idf) -> float:
    """Idf weight shared by ``a`` and ``b`` over the lighter one's weight (0 when one is empty)."""
    small = min(idf.mass(a), idf.mass(b))
    return idf.mass(a & b) / small if small > 0 else 0.0


def is_paraphrase(a: set[Unit], b: set[Unit], idf: Idf, threshold: float = PARAPHRASE_OVERLAP) -> bool:
    return overlap(a, b, idf) >= threshold


# One outcome told twice in other words: "không đạt được tiến bộ", "không có dấu hiệu … thu hẹp
# sự khác biệt", "kết thúc mà không đạt được nhiều tiến triển" share no rare word, but each says
# the talks got nowhere. A negation followed closely by a word of progress states that outcome.
_NEGATIONS = frozenset({"không", "chưa", "chẳng"})
_PROGRESS = frozenset({
    ("tiến", "bộ"), ("tiến", "triển"), ("đột", "phá"), ("thu", "hẹp"), ("bước", "tiến"),
    ("thỏa", "hiệp"),  # no compromise in sight: the talks got nowhere too ("không cần thỏa thuận" is no outcome)
})
_DEADLOCK = ("bế", "tắc")
_PROGRESS_FIRSTS = frozenset({p[0] for p in _PROGRESS} | {_DEADLOCK[0]})
# syllables from the negation to the progress word ("không có dấu hiệu cho thấy hai bên đã thu hẹp")
NEGATION_REACH = 10
SHARED_NAMES = 2  # two such sentences naming as many of the same actors tell one outcome


def no_progress(tokens: Sequence[str]) -> bool:
    """Does the sentence state that something got nowhere (talks without progress, a deadlock)?"""
    if _PROGRESS_FIRSTS.isdisjoint(tokens) or (_NEGATIONS.isdisjoint(tokens) and _DEADLOCK[0] not in tokens):
        return False  # most sentences: no word of progress, or no negation
    pairs = list(zip(tokens, tokens[1:], strict=False))
    if _DEADLOCK in pairs:
        return True
    for i, t in enumerate(tokens):
        if t in _NEGATIONS and any(p in _PROGRESS for p in pairs[i + 1 : i + 1 + NEGATION_REACH]):
            return True
    return False
