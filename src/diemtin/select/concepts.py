"""Learned concept weights for the summarizer (supervised bigram weighting, after Li et al. 2013).

A concept (a syllable bigram, or a content syllable) gets the probability that a human
summary of the cluster contains it, from a logistic regression over a few cluster-level
features: how many articles state it, how early, how often, whether a title or lead has it.
Training is :meth:`diemtin.select.selector.ConceptSelector.fit`; the coefficients ship in
``data/selector_model.json``.
"""

from __future__ import annotations

import math
from collections import Counter
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
) -> tuple[list[Concept], np.ndarray, list[np.ndarray]]:
    """Concepts of a cluster (sorted, for determinism), their feature matrix (rows: concepts)
    and, per occurrence, the indices of the concepts it holds."""
    concepts = sorted(set().union(*(o.concepts for o in occurrences))) if occurrences else []
    n = len(concepts)
    if not n:
        return [], np.empty((0, len(FEATURES))), [np.zeros(0, dtype=np.int64) for _ in occurrences]
    index = {g: i for i, g in enumerate(concepts)}
    articles = {a: k for k, a in enumerate(dict.fromkeys(o.article for o in occurrences))}
    at = index.__getitem__
    ids = [np.fromiter(map(at, o.concepts), dtype=np.int64, count=len(o.concepts)) for o in occurrences]
    lens = np.array([len(i) for i in ids])
    cat = np.concatenate(ids)
    pos = np.repeat(np.array([o.position for o in occurrences], dtype=float), lens)
    art = np.repeat(np.array([articles[o.article] for o in occurrences]), lens)
    # Earliest relative position of each concept in each article (2: absent).
    first = np.full((len(articles), n), 2.0)
    np.minimum.at(first, (art, cat), pos)
    present = first < 2.0
    dfs = present.sum(axis=0).astype(float)
    n_docs = len(articles)
    min_pos = first.min(axis=0)
    sum_pos = np.where(present, first, 0.0).sum(axis=0)
    early = np.where(present, (1.0 - np.minimum(first, 1.0)) ** 4, 0.0).sum(axis=0)
    n_sentences = np.bincount(cat, minlength=n).astype(float)
    tf: Counter[Concept] = Counter()  # bigrams
    tf_uni: Counter[str] = Counter()  # syllables, keyed plainly (no (t, "") tuples to build)
    for o in occurrences:
        toks = o.tokens
        tf.update(zip(toks, toks[1:], strict=False))
        tf_uni.update(toks)
    titles_list = list(titles)
    title_bi, title_uni = _grams(titles_list)
    lead_bi, lead_uni = _grams(leads)
    in_titles: Counter[Concept] = Counter()  # unigrams keyed as (syllable, "") like the concepts
    for t in titles_list:
        bi, uni = _grams([t])
        in_titles.update(bi)
        in_titles.update((u, "") for u in uni)
    # \w+ syllables that are not all letters hold a digit (or, rarely, an underscore)
    digit = {t for o in occurrences for t in o.tokens if not t.isalpha()}
    fs = function_syllables
    rows = []
    for g in concepts:
        a, b = g
        if b == "":  # a content syllable
            rows.append((tf_uni[a], a in title_uni, a in lead_uni, True, a in fs, a in digit, in_titles[g]))
        else:
            rows.append(
                (tf[g], g in title_bi, g in lead_bi, False, a in fs or b in fs, a in digit or b in digit, in_titles[g])
            )
    per = np.array(rows, dtype=float)
    columns = [
        np.ones(n),
        dfs / n_docs,
        np.log1p(dfs),
        np.log1p(per[:, 0]),
        min_pos,
        sum_pos / np.maximum(dfs, 1.0),
        per[:, 1],
        per[:, 2],
        per[:, 3],
        per[:, 4],
        per[:, 5],
        np.full(n, math.log1p(n_docs)),
        early,
        n_sentences / len(occurrences),
        (min_pos == 0).astype(float),
        per[:, 6] / max(1, len(titles_list)),
    ]
    return concepts, np.column_stack(columns), ids


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
