"""Clustering metrics for story splitting and the archive: B-cubed, purity, adjusted Rand index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def bcubed(pred: Sequence[int], gold: Sequence[int]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 (Bagga & Baldwin 1998), averaged over items.

    Linear in the items: an item of predicted group p and gold class g has precision
    |p ∩ g| / |p| and recall |p ∩ g| / |g|; summing over the (p, g) cells of the contingency
    table gives the same averages as comparing every pair, without an n x n matrix."""
    n = len(pred)
    if n == 0:
        return 1.0, 1.0, 1.0
    cells = Counter(zip(pred, gold, strict=True))
    size_p, size_g = Counter(pred), Counter(gold)
    precision = sum(k * k / size_p[p] for (p, _), k in cells.items()) / n
    recall = sum(k * k / size_g[g] for (_, g), k in cells.items()) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def purity(pred: Sequence[int], gold: Sequence[int]) -> float:
    """Share of items in the majority gold class of their predicted group."""
    if not pred:
        return 1.0
    pairs = Counter(zip(pred, gold, strict=True))
    best: dict[int, int] = {}
    for (p, _), k in pairs.items():
        best[p] = max(best.get(p, 0), k)
    return sum(best.values()) / len(pred)


def adjusted_rand(pred: Sequence[int], gold: Sequence[int]) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985); 1 identical, ~0 chance."""
    n = len(pred)
    if n < 2:
        return 1.0

    def pairs(k: int) -> float:
        return k * (k - 1) / 2

    index = sum(pairs(k) for k in Counter(zip(pred, gold, strict=True)).values())
    a = sum(pairs(k) for k in Counter(pred).values())
    b = sum(pairs(k) for k in Counter(gold).values())
    expected = a * b / pairs(n)
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)
