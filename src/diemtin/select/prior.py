"""The sentence prior: how likely a sentence is to be summary material before any coverage.

Concept coverage alone does not know *when position is the best evidence*: on short clusters of
wire copy the first sentences are the news, and "take each article's first sentences" beats
it. The prior is a logistic regression over a few sentence features (where it is in its
article, overlap with its article's title and sapo, support from other articles, length, the
learned concept weight it carries, whether it leans on the sentence before it), trained on soft
oracle labels: the share of the sentence's content bigrams found in the human summaries (a pair
of function syllables, "của các", says nothing about what it tells).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

PRIOR_FEATURES = (
    "bias",
    "relative_position",  # index / sentences in the article
    "log_index",
    "is_first",  # first sentence of its article
    "is_second",
    # (no paragraph number: paragraphing is the source's layout, one line per sentence in ViMs
    # and a few sentences per paragraph in AbMuSu; learned on one, it misleads on the other)
    "title_overlap",  # share of the sentence's content bigrams in its article's title
    "lead_overlap",  # ... in its article's sapo (0 when the source gives none)
    "support",  # mean share of the cluster's articles stating each of its bigrams
    "log_length",
    "concept_density",  # mean learned concept weight of its bigrams
    "log_articles",
    "first_x_few_articles",  # is_first / log(2 + articles): lead matters most on small clusters
    "lost_context",  # opens on context it does not give (select/context.py)
    "digit_share",
    "quote_opening",
)


def prior_features(
    index: np.ndarray,
    n_sentences: np.ndarray,
    title_overlap: np.ndarray,
    lead_overlap: np.ndarray,
    support: np.ndarray,
    length: np.ndarray,
    concept_density: np.ndarray,
    n_articles: int,
    lost_context: np.ndarray,
    digit_share: np.ndarray,
    quote_opening: np.ndarray,
) -> np.ndarray:
    """Rows of :data:`PRIOR_FEATURES` (the order is the model file's contract), one per
    sentence: every argument but ``n_articles`` holds one value per sentence."""
    n = len(index)
    first = (index == 0).astype(float)
    columns = [
        np.ones(n),
        index / np.maximum(1, n_sentences),
        _log1p(index),
        first,
        (index == 1).astype(float),
        title_overlap,
        lead_overlap,
        support,
        _log1p(length),
        concept_density,
        np.full(n, math.log1p(n_articles)),
        first / math.log(2 + n_articles),
        lost_context.astype(float),
        digit_share,
        quote_opening.astype(float),
    ]
    out = np.empty((n, len(PRIOR_FEATURES)))
    for k, column in enumerate(columns):
        out[:, k] = column
    return out


def _log1p(counts: np.ndarray) -> np.ndarray:
    # math's, not numpy's: the two may differ in the last bit, and the model was fitted on these
    return np.fromiter(map(math.log1p, counts.tolist()), dtype=float, count=len(counts))


def oracle_labels(bigram_lists: Sequence[Sequence[tuple[str, str]]], references: Sequence[set]) -> np.ndarray:
    """Soft labels: share of each sentence's bigrams found in a human summary (mean over summaries)."""
    out = np.zeros(len(bigram_lists))
    if not references:
        return out
    for i, grams in enumerate(bigram_lists):
        if grams:
            out[i] = sum(sum(g in ref for g in grams) / len(grams) for ref in references) / len(references)
    return out
