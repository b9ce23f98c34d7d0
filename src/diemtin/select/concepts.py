"""Learned concept weights for the summarizer (supervised bigram weighting, after Li et al. 2013).

A concept (a syllable bigram, or a content syllable) gets the probability that a human
summary of the cluster contains it, from a logistic regression over a few cluster-level
features: how many articles state it, how early, how often, whether a title or lead has it.
Training is :meth:`diemtin.select.selector.ConceptSelector.fit`; the coefficients ship in
``data/selector_model.json``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from diemtin.lang.stopwords import STOPWORDS
from diemtin.select.terms import (
    NONE,
    WIDTH,
    Sentences,
    distinct,
    first_second,
    is_bigram,
    split,
)

Concept = tuple[str, str]  # a syllable bigram, or (syllable, "") for a content syllable (codes: terms.py)

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
class Occurrences:
    """The candidate sentences as the concept model sees them: rows of ``sentences``
    (integer codes, ``terms.py``), with their article and relative position (0 = first)."""

    sentences: Sentences
    rows: np.ndarray  # indices of the candidates among the sentences, increasing
    article: Sequence[str]  # per candidate
    position: np.ndarray  # per candidate


def concept_features(
    occurrences: Occurrences, titles: Sequence[np.ndarray], leads: Sequence[np.ndarray],
    function_syllables: frozenset[str],
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Concepts of a cluster (their codes, sorted: the order of the (syllable, syllable) tuples),
    their feature matrix (rows: concepts), per occurrence the sorted indices of the concepts it
    holds, and the (text, concept index) pairs the titles then the leads hold
    (:func:`held_concepts` of ``[*titles, *leads]``). ``titles``, ``leads``: per article, the
    syllable ids of its title and lead (``Vocabulary.known``)."""
    sents, rows = occurrences.sentences, occurrences.rows
    n_occ = len(rows)
    mine = np.zeros(sents.n, dtype=bool)
    mine[rows] = True
    unit_row, unit_code = sents.units(mine)
    # Sorted distinct codes, and each pair's index among them (one sort, no search). Stable:
    # a concept's pairs stay in sentence order, so in article order (the second sort below).
    order = np.argsort(unit_code, kind="stable")
    by_code = unit_code[order]
    new = np.concatenate(([True], by_code[1:] != by_code[:-1]))
    concepts = by_code[new]
    n = len(concepts)
    if not n:
        return concepts, np.empty((0, len(FEATURES))), [NONE] * n_occ, (NONE, NONE)
    cat = np.empty(len(order), dtype=np.int64)
    cat[order] = np.cumsum(new) - 1
    at = np.full(sents.n, -1, dtype=np.int64)
    at[rows] = np.arange(n_occ)
    occ = at[unit_row]  # occurrence of each (sentence, concept) pair
    ids = split(cat, np.bincount(occ, minlength=n_occ))
    articles = {a: k for k, a in enumerate(dict.fromkeys(occurrences.article))}
    pos = np.asarray(occurrences.position, dtype=float)[occ]
    art = np.array([articles[a] for a in occurrences.article], dtype=np.int64)[occ]
    n_docs = len(articles)
    # Earliest relative position of each concept in each article stating it, over the
    # (concept, article) pairs that occur (a dense articles x concepts matrix grows as their
    # product). Pairs are sorted concept-major, articles in order: the sums below add them in
    # the order the dense matrix's column sums did.
    key = (cat * n_docs + art)[order]  # (equal keys: one pair, whose positions only count by their minimum)
    if (key[1:] < key[:-1]).any():  # an article's sentences are not all together: sort by article too
        by_key = np.argsort(key, kind="stable")
        order, key = order[by_key], key[by_key]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    first = np.minimum.reduceat(pos[order], starts)
    pair_concept = key[starts] // n_docs
    dfs = np.bincount(pair_concept, minlength=n).astype(float)
    min_pos = np.minimum.reduceat(first, np.flatnonzero(np.concatenate(([True], np.diff(pair_concept) != 0))))
    sum_pos = np.bincount(pair_concept, weights=first, minlength=n)
    early = np.bincount(pair_concept, weights=(1.0 - np.minimum(first, 1.0)) ** 4, minlength=n)
    n_sentences = np.bincount(cat, minlength=n).astype(float)
    vocab = sents.vocab
    a, b = first_second(concepts)
    bigram = is_bigram(concepts)
    # term frequency: a bigram's pairs as written, a content syllable's occurrences (exact sums of counts)
    per_tf = np.bincount(cat, weights=sents.unit_counts(mine), minlength=n)
    text, held = held_concepts([*titles, *leads], concepts)  # titles, then leads
    per_titles = np.bincount(held[text < len(titles)], minlength=n).astype(float)  # titles holding it
    per_title = per_titles > 0
    per_lead = np.bincount(held[text >= len(titles)], minlength=n) > 0

    def has(flag: np.ndarray) -> np.ndarray:  # either syllable of the concept has the flag
        return flag[a] | (bigram & flag[np.maximum(b, 0)])

    function = vocab.stop if function_syllables is STOPWORDS else np.fromiter(
        map(function_syllables.__contains__, vocab.words), dtype=bool, count=len(vocab.words)
    )
    columns = [
        np.ones(n),
        dfs / n_docs,
        np.log1p(dfs),
        np.log1p(per_tf),
        min_pos,
        sum_pos / np.maximum(dfs, 1.0),
        per_title.astype(float),
        per_lead.astype(float),
        (~bigram).astype(float),
        has(function).astype(float),
        has(~vocab.alpha).astype(float),  # \w+ syllables not all letters hold a digit (or, rarely, "_")
        np.full(n, math.log1p(n_docs)),
        early,
        n_sentences / n_occ,
        (min_pos == 0).astype(float),
        per_titles / max(1, len(titles)),
    ]
    x = np.empty((n, len(FEATURES)))  # rows: concepts (filled column by column: a little faster than column_stack)
    for k, column in enumerate(columns):
        x[:, k] = column
    return concepts, x, ids, (text, held)


def held_concepts(texts: Sequence[np.ndarray], concepts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (text, concept index) pairs of the concepts ``texts`` (syllable ids, -1:
    matches nothing) hold as a bigram or a syllable, concept-major. All texts in one integer
    pass: their grams are looked up once each (sorted, so the search walks the concepts once)."""
    n_texts = len(texts)
    ids = np.concatenate([NONE, *texts])
    text = np.repeat(np.arange(n_texts), [len(t) for t in texts])
    a, b = ids[:-1], ids[1:]
    pair = (text[:-1] == text[1:]) & (a >= 0) & (b >= 0)  # pairs inside one text, both known
    grams = np.concatenate(((a * WIDTH + b + 1)[pair], ids[ids >= 0] * WIDTH))
    if not len(grams) or not len(concepts):
        return NONE, NONE
    owner = np.concatenate((text[:-1][pair], text[ids >= 0]))
    order = np.argsort(grams)
    grams, owner = grams[order], owner[order]
    new = np.concatenate(([True], grams[1:] != grams[:-1]))
    rank = np.cumsum(new) - 1  # per gram: its index among the distinct grams
    distinct_grams = grams[new]
    at = np.searchsorted(concepts, distinct_grams).clip(max=len(concepts) - 1)
    known = (concepts[at] == distinct_grams)[rank]
    key = distinct(at[rank[known]] * n_texts + owner[known])
    return key % n_texts, key // n_texts


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
