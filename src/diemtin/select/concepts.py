"""Learned concept weights for the summarizer (supervised bigram weighting, after Li et al. 2013).

A concept (a syllable bigram, or a content syllable) gets the probability that a human
summary of the cluster contains it, from a logistic regression over a few cluster-level
features: how many articles state it, how early, how often, whether a title or lead has it.
Training is :meth:`diemtin.select.selector.ConceptSelector.fit`; the coefficients ship in
``data/selector_model.json``.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

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
    # sorted by "a\0b": the order of the (a, b) tuples (no syllable holds \0), compared faster
    concepts = sorted(set().union(*(o.concepts for o in occurrences)), key="\0".join) if occurrences else []
    n = len(concepts)
    if not n:
        return [], np.empty((0, len(FEATURES))), [np.zeros(0, dtype=np.int64) for _ in occurrences]
    index = {g: i for i, g in enumerate(concepts)}
    articles = {a: k for k, a in enumerate(dict.fromkeys(o.article for o in occurrences))}
    at = index.__getitem__
    lens = np.array([len(o.concepts) for o in occurrences])
    cat = np.fromiter(map(at, chain.from_iterable(o.concepts for o in occurrences)), dtype=np.int64, count=lens.sum())
    ids = np.split(cat, np.cumsum(lens)[:-1])
    pos = np.repeat(np.array([o.position for o in occurrences], dtype=float), lens)
    art = np.repeat(np.array([articles[o.article] for o in occurrences]), lens)
    n_docs = len(articles)
    # Earliest relative position of each concept in each article stating it, over the
    # (concept, article) pairs that occur (a dense articles x concepts matrix grows as their
    # product). Pairs are sorted concept-major, articles in order: the sums below add them in
    # the order the dense matrix's column sums did.
    key = cat * n_docs + art
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    first = np.minimum.reduceat(pos[order], starts)
    pair_concept = key[starts] // n_docs
    dfs = np.bincount(pair_concept, minlength=n).astype(float)
    min_pos = np.minimum.reduceat(first, np.flatnonzero(np.concatenate(([True], np.diff(pair_concept) != 0))))
    sum_pos = np.bincount(pair_concept, weights=first, minlength=n)
    early = np.bincount(pair_concept, weights=(1.0 - np.minimum(first, 1.0)) ** 4, minlength=n)
    n_sentences = np.bincount(cat, minlength=n).astype(float)
    tf: Counter[Concept] = Counter()  # bigrams
    tf_uni: Counter[str] = Counter()  # syllables, keyed plainly (no (t, "") tuples to build)
    tf.update(chain.from_iterable(zip(o.tokens, o.tokens[1:], strict=False) for o in occurrences))
    tf_uni.update(chain.from_iterable(o.tokens for o in occurrences))
    titles_list = list(titles)
    title_bi, title_uni = _grams(titles_list)
    lead_bi, lead_uni = _grams(leads)
    in_titles: Counter[Concept] = Counter()  # unigrams keyed as (syllable, "") like the concepts
    for t in titles_list:
        bi, uni = _grams([t])
        in_titles.update(bi)
        in_titles.update((u, "") for u in uni)
    # \w+ syllables that are not all letters hold a digit (or, rarely, an underscore)
    digit = {t for t in tf_uni if not t.isalpha()}
    fs = function_syllables
    # Per-concept columns by C-level maps, no per-concept Python loop: a unigram (a, "") is
    # looked up in sets and counts holding unigrams keyed the same way.
    dict.update(tf, zip(zip(tf_uni, repeat("")), tf_uni.values(), strict=True))  # new keys: no Counter.update loop
    title_all = title_bi | {(u, "") for u in title_uni}
    lead_all = lead_bi | {(u, "") for u in lead_uni}
    firsts, seconds = zip(*concepts, strict=True)
    is_uni = np.fromiter(map(operator.not_, seconds), dtype=bool, count=n)

    def has(words: frozenset[str] | set[str]) -> np.ndarray:
        a = np.fromiter(map(words.__contains__, firsts), dtype=bool, count=n)
        b = np.fromiter(map(words.__contains__, seconds), dtype=bool, count=n)
        return a | (b & ~is_uni)

    per_tf = np.fromiter(map(tf.__getitem__, concepts), dtype=float, count=n)
    per_title = np.fromiter(map(title_all.__contains__, concepts), dtype=float, count=n)
    per_lead = np.fromiter(map(lead_all.__contains__, concepts), dtype=float, count=n)
    per_titles = np.fromiter(map(in_titles.get, concepts, repeat(0)), dtype=float, count=n)
    per = (per_tf, per_title, per_lead, is_uni.astype(float), has(fs).astype(float), has(digit).astype(float))
    columns = [
        np.ones(n),
        dfs / n_docs,
        np.log1p(dfs),
        np.log1p(per[0]),
        min_pos,
        sum_pos / np.maximum(dfs, 1.0),
        per[1],
        per[2],
        per[3],
        per[4],
        per[5],
        np.full(n, math.log1p(n_docs)),
        early,
        n_sentences / len(occurrences),
        (min_pos == 0).astype(float),
        per_titles / max(1, len(titles_list)),
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
