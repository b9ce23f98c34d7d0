"""Clustering metrics for story splitting and the archive: B-cubed, purity, adjusted Rand index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def bcubed(pred: Sequence[int], gold: Sequence[int]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 (Bagga & Baldwin 1998), averaged over items."""
    n = len(pred)
    if n == 0:
        return 1.0, 1.0, 1.0
    p_arr, g_arr = np.asarray(pred), np.asarray(gold)
    same_p = p_arr[:, None] == p_arr[None, :]
    same_g = g_arr[:, None] == g_arr[None, :]
    both = (same_p & same_g).sum(axis=1)
    precision = float(np.mean(both / same_p.sum(axis=1)))
    recall = float(np.mean(both / same_g.sum(axis=1)))
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
