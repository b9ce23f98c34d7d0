"""Learned concept weights for the summarizer (supervised bigram weighting, after Li et al. 2013).

A concept (a syllable bigram, or a content syllable) gets the probability that a human
summary of the cluster contains it, from a logistic regression over a few cluster-level
features: how many articles state it, how early, how often, whether a title or lead has it.
Training is :meth:`diemtin.select.selector.ConceptSelector.fit`; the coefficients ship in
``data/selector_model.json``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from diemtin.lang.tokens import syllables

Concept = tuple[str, str]  # a syllable bigram, or (syllable, "") for a content syllable

FEATURES = (
    "bias",
    "df_share",  # share of the cluster's articles stating it
    "log_df",
    "log_tf",
    "first_position",  # earliest relative sentence position over articles (0 = first sentence)
    "mean_first_position",
    "in_title",
    "in_lead",
    "is_unigram",
    "has_function_syllable",
    "has_digit",
    "log_articles",
    "early_votes",  # sum over articles of (1 - first position)^4
    "sentence_share",  # share of candidate sentences holding it
    "in_first_sentence",  # some article opens with it
    "title_share",  # share of titles holding it
)


@dataclass
class Occurrence:
    """One candidate sentence, as the concept model sees it."""

    article: str
    position: float  # relative position in its article, 0 = first
    tokens: list[str]
    concepts: set[Concept]


def concept_features(
    occurrences: Sequence[Occurrence], titles: Iterable[str], leads: Iterable[str], function_syllables: frozenset[str]
) -> tuple[list[Concept], np.ndarray]:
    """Concepts of a cluster (sorted, for determinism) and their feature matrix."""
    # First position of each concept in each article, then per-concept sums across articles.
    first_in: dict[str, dict[Concept, float]] = defaultdict(dict)
    n_sentences: Counter[Concept] = Counter()
    tf: Counter[Concept] = Counter()
    for o in occurrences:
        seen = first_in[o.article]
        for g in o.concepts:
            if g not in seen:  # occurrences come in article order, so the first is the earliest
                seen[g] = o.position
        n_sentences.update(o.concepts)
        toks = o.tokens
        tf.update(zip(toks, toks[1:], strict=False))
        tf.update((t, "") for t in toks)
    df: Counter[Concept] = Counter()
    min_pos: dict[Concept, float] = {}
    sum_pos: Counter[Concept] = Counter()
    early: Counter[Concept] = Counter()
    for seen in first_in.values():
        df.update(seen.keys())
        for g, p in seen.items():
            sum_pos[g] += p
            early[g] += (1.0 - p) ** 4
            if p < min_pos.get(g, 2.0):
                min_pos[g] = p
    n_docs = len(first_in) or 1
    titles_list = list(titles)
    title_bi, title_uni = _grams(titles_list)
    lead_bi, lead_uni = _grams(leads)
    concepts = sorted(df)
    dfs = np.array([df[g] for g in concepts], dtype=float)
    unigram = np.array([g[1] == "" for g in concepts], dtype=float)
    digit_cache: dict[str, bool] = {}

    def has_digit(t: str) -> bool:
        if t not in digit_cache:
            digit_cache[t] = any(ch.isdigit() for ch in t)
        return digit_cache[t]

    columns = [
        np.ones(len(concepts)),
        dfs / n_docs,
        np.log1p(dfs),
        np.log1p(np.array([tf[g] for g in concepts], dtype=float)),
        np.array([min_pos[g] for g in concepts]),
        np.array([sum_pos[g] for g in concepts]) / np.maximum(dfs, 1.0),
        np.array([(g[0] in title_uni) if g[1] == "" else (g in title_bi) for g in concepts], dtype=float),
        np.array([(g[0] in lead_uni) if g[1] == "" else (g in lead_bi) for g in concepts], dtype=float),
        unigram,
        np.array([g[0] in function_syllables or g[1] in function_syllables for g in concepts], dtype=float),
        np.array([has_digit(g[0]) or has_digit(g[1]) for g in concepts], dtype=float),
        np.full(len(concepts), math.log1p(n_docs)),
        np.array([early[g] for g in concepts]),
        np.array([n_sentences[g] for g in concepts], dtype=float) / (len(occurrences) or 1),
    ]
    # How many titles hold each concept (unigrams keyed as (syllable, "") like the concepts).
    in_titles: Counter[Concept] = Counter()
    for t in titles_list:
        bi, uni = _grams([t])
        in_titles.update(bi)
        in_titles.update((u, "") for u in uni)
    columns += [
        (columns[4] == 0).astype(float),
        np.array([in_titles[g] for g in concepts], dtype=float) / max(1, len(titles_list)),
    ]
    return concepts, np.column_stack(columns) if concepts else np.empty((0, len(FEATURES)))


def _grams(texts: Iterable[str]) -> tuple[set[Concept], set[str]]:
    bigrams: set[Concept] = set()
    unigrams: set[str] = set()
    for text in texts:
        toks = syllables(text)
        bigrams.update(zip(toks, toks[1:], strict=False))
        unigrams.update(toks)
    return bigrams, unigrams


def probabilities(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ coef)))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 30) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (few features, many rows)."""
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = probabilities(x, w)
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, x.T @ (p - y) + l2 * w)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w
