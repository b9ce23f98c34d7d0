"""Extractive baselines that ``diemtin eval`` measures the summarizer against.

Every baseline reads the sentences the pipeline already produced (``Article.sentences`` of the
cleaned, segmented, deduplicated cluster), so segmentation is identical for all systems and
only the *selection* differs. Words are syllables from :func:`diemtin.lang.tokens.syllables`
(NFC, lowercase, Unicode ``\\w+``): no English stemmer, stop list or ASCII folding ever
touches the Vietnamese text, including inside sumy.

Each baseline is a :class:`diemtin.select.base.Summarizer` (the interface diemtin's selector
has too): ``baseline(cluster, budget) -> list[Sentence]``, in the order chosen, adding
sentences until the budget of ``budget`` syllables is reached (the last one may cross it;
:func:`summary_text` cuts the joined text to the budget, as the evaluator does). None of them
learns anything, so their ``fit`` is the default no-op.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from diemtin.lang.tokens import syllables, truncate_syllables
from diemtin.model import Cluster, Sentence
from diemtin.select.base import Summarizer

# Cosine above which a candidate repeats an already chosen sentence (centroid baseline).
REDUNDANCY_COSINE = 0.6


@dataclass(frozen=True)
class Unit:
    """One candidate sentence: where it is and its syllable tokens."""

    article: int  # position among the cluster's distinct articles
    index: int  # sentence index within the article
    text: str
    tokens: tuple[str, ...]
    sentence: Sentence


def units(cluster: Cluster) -> list[Unit]:
    """Candidate sentences of the cluster's distinct articles, in reading order."""
    out = []
    for a, article in enumerate(cluster.distinct_articles):
        for s in article.sentences:
            tokens = tuple(s.tokens)
            if tokens:  # a lone "…" or bullet carries nothing to rank
                out.append(Unit(a, s.index, s.text.strip(), tokens, s))
    return out


def fill(ranked: Iterable[Unit], words: int, redundant: Callable[[Unit, list[Unit]], bool] | None = None) -> list[Unit]:
    """Take sentences in ranked order until ``words`` syllables, skipping exact repeats.

    Verbatim repeats are common across articles of one story (agency copy); taking the same
    sentence twice would be a bug in any baseline, not a property of its ranking.
    """
    chosen: list[Unit] = []
    seen: set[tuple[str, ...]] = set()
    total = 0
    for u in ranked:
        if total >= words:
            break
        if u.tokens in seen or (redundant is not None and redundant(u, chosen)):
            continue
        seen.add(u.tokens)
        chosen.append(u)
        total += len(u.tokens)
    return chosen


def summary_text(sentences: Sequence[str], words: int) -> str:
    """Sentences joined by spaces and cut after ``words`` syllables."""
    return truncate_syllables(" ".join(s.strip() for s in sentences), words)


# --- lead -----------------------------------------------------------------------------


def lead(cluster: Cluster, words: int) -> list[Unit]:
    """Round robin over articles: every first sentence, then every second, ..."""
    by_article: dict[int, list[Unit]] = {}
    for u in units(cluster):
        by_article.setdefault(u.article, []).append(u)
    columns = list(by_article.values())
    depth = max((len(c) for c in columns), default=0)
    ranked = [c[i] for i in range(depth) for c in columns if i < len(c)]
    return fill(ranked, words)


# --- centroid ---------------------------------------------------------------------------


def _terms(tokens: Sequence[str]) -> list[str]:
    """Syllable unigrams and bigrams: Vietnamese words are mostly 1-2 syllables."""
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _tfidf(cands: list[Unit]) -> np.ndarray:
    """Rows: L2-normalised tf-idf vectors, idf over the cluster's sentences."""
    counts = [Counter(_terms(u.tokens)) for u in cands]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    vocab = {t: i for i, t in enumerate(df)}
    n = len(cands)
    idf = np.zeros(len(vocab))
    for t, i in vocab.items():
        idf[i] = math.log(n / df[t])  # terms in every sentence carry nothing
    m = np.zeros((n, len(vocab)))
    for r, c in enumerate(counts):
        for t, k in c.items():
            m[r, vocab[t]] = k * idf[vocab[t]]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def centroid(cluster: Cluster, words: int) -> list[Unit]:
    """Radev-style centroid: cosine to the cluster's mean tf-idf vector, greedy, non-redundant."""
    cands = units(cluster)
    if not cands:
        return []
    vecs = _tfidf(cands)
    center = vecs.mean(axis=0)
    scores = vecs @ center
    order = np.argsort(-scores, kind="stable")
    row = {id(u): i for i, u in enumerate(cands)}

    def redundant(u: Unit, chosen: list[Unit]) -> bool:
        if not chosen:
            return False
        sims = vecs[[row[id(c)] for c in chosen]] @ vecs[row[id(u)]]
        return bool(sims.max() > REDUNDANCY_COSINE)

    return fill((cands[i] for i in order), words, redundant)


# --- sumy LexRank / TextRank ------------------------------------------------------------


class SyllableTokenizer:
    """The ``to_words`` sumy's ``Sentence`` calls: our syllables, nothing language-specific."""

    language = "vietnamese"

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(syllables(text))

    @staticmethod
    def to_sentences(paragraph: str) -> tuple[str, ...]:
        # sumy only calls this from its parsers, which we bypass; sentences come from segment.py.
        raise NotImplementedError("sentences come from diemtin.segment.sentences")


def sumy_document(cands: Sequence[Unit]) -> object:
    """A sumy ObjectDocumentModel built from our sentences (one sumy paragraph per article)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tok = SyllableTokenizer()
    paragraphs: dict[int, list[Sentence]] = {}
    for u in cands:
        paragraphs.setdefault(u.article, []).append(Sentence(u.text, tok))
    return ObjectDocumentModel([Paragraph(ss) for ss in paragraphs.values()])


def _vocabulary(sentences: Sequence[Sequence[str]]) -> tuple[dict[str, int], np.ndarray]:
    """Term ids and an (n_sentences x n_terms) count matrix."""
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(w, len(vocab)) for w in words] for words in sentences]
    counts = np.zeros((len(sentences), len(vocab)))
    for r, ids in enumerate(rows):
        np.add.at(counts[r], ids, 1.0)
    return vocab, counts


@functools.cache
def _lexrank_class() -> type:
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class FastLexRank(LexRankSummarizer):
        """sumy's LexRank with its two O(n^2) pure-Python steps done by numpy, same formulas.

        sumy computes idf with a scan of every sentence per term and the idf-modified cosine
        pair by pair; on 300-sentence ViMs clusters that is most of an eval run. Equality of
        the resulting scores with stock sumy is checked in tests/test_baselines.py.
        """

        @staticmethod
        def _compute_idf(sentences: list[list[str]]) -> dict[str, float]:
            df: Counter[str] = Counter()
            for words in sentences:
                df.update(set(words))
            n = len(sentences)
            return {t: math.log(n / (1 + k)) for t, k in df.items()}

        def _create_matrix(self, sentences, threshold, tf_metrics, idf_metrics):  # type: ignore[no-untyped-def]
            vocab, _ = _vocabulary(sentences)
            w = np.zeros((len(sentences), len(vocab)))
            for r, tf in enumerate(tf_metrics):
                for t, v in tf.items():
                    w[r, vocab[t]] = v * idf_metrics[t]
            norms = np.sqrt((w**2).sum(axis=1))
            denom = np.outer(norms, norms)
            with np.errstate(divide="ignore", invalid="ignore"):
                cos = np.where(denom > 0, (w @ w.T) / denom, 0.0)
            matrix = (cos > threshold).astype(float)
            degrees = matrix.sum(axis=1)
            degrees[degrees == 0] = 1
            return matrix / degrees[:, None]

    return FastLexRank


@functools.cache
def _textrank_class() -> type:
    from sumy.summarizers.text_rank import TextRankSummarizer

    class FastTextRank(TextRankSummarizer):
        """sumy's TextRank with the pairwise word-overlap matrix done by numpy, same formula."""

        def _create_matrix(self, document):  # type: ignore[no-untyped-def]
            words = [self._to_words_set(s) for s in document.sentences]
            n = len(words)
            _, counts = _vocabulary(words)
            overlap = counts @ counts.T  # sum(words2.count(w) for w in words1)
            logs = np.log(np.maximum([len(ws) for ws in words], 1))
            norm = logs[:, None] + logs[None, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                weights = np.where(overlap == 0, 0.0, np.where(np.isclose(norm, 0.0), overlap, overlap / norm))
            weights /= weights.sum(axis=1)[:, None] + self._ZERO_DIVISION_PREVENTION
            return np.full((n, n), (1.0 - self.damping) / n) + self.damping * weights

    return FastTextRank


def lexrank_scores(cands: Sequence[Unit], fast: bool = True) -> np.ndarray:
    """sumy's LexRank scores, one per candidate (sumy's own steps, minus its dict keyed by text).

    ``fast=False`` runs stock sumy (what the speed benchmark compares against).
    """
    from sumy.summarizers.lex_rank import LexRankSummarizer

    doc = sumy_document(cands)
    # null stemmer, no stop words: sumy only lowercases our (already lowercase) syllables
    lr = _lexrank_class()() if fast else LexRankSummarizer()
    words = [lr._to_words_set(s) for s in doc.sentences]
    tf = lr._compute_tf(words)
    idf = lr._compute_idf(words)
    matrix = lr._create_matrix(words, lr.threshold, tf, idf)
    return np.asarray(lr.power_method(matrix, lr.epsilon))


def textrank_scores(cands: Sequence[Unit], fast: bool = True) -> np.ndarray:
    from sumy.summarizers.text_rank import TextRankSummarizer

    doc = sumy_document(cands)
    tr = _textrank_class()() if fast else TextRankSummarizer()
    matrix = tr._create_matrix(doc)
    return np.asarray(tr.power_method(matrix, tr.epsilon))


def _ranked_by(scores_fn: Callable[[Sequence[Unit]], np.ndarray]) -> Callable[[Cluster, int], list[Unit]]:
    def run(cluster: Cluster, words: int) -> list[Unit]:
        cands = units(cluster)
        if not cands:
            return []
        scores = scores_fn(cands)
        order = np.argsort(-scores, kind="stable")  # ties: earlier sentence first
        return fill((cands[i] for i in order), words)

    return run


lexrank = _ranked_by(lexrank_scores)
lexrank.__doc__ = "sumy LexRank (threshold 0.1) on syllables, top-ranked sentences until the budget."
textrank = _ranked_by(textrank_scores)
textrank.__doc__ = "sumy TextRank on syllables, top-ranked sentences until the budget."
# Stock sumy, unmodified: the reference for the speed benchmark and the equality tests.
lexrank_stock = _ranked_by(functools.partial(lexrank_scores, fast=False))
textrank_stock = _ranked_by(functools.partial(textrank_scores, fast=False))



class Baseline(Summarizer):
    """A ranking function behind the one summarizer interface."""

    def __init__(self, name: str, rank: Callable[[Cluster, int], list[Unit]]) -> None:
        self.name = name
        self.rank = rank
        self.__doc__ = rank.__doc__

    def __call__(self, cluster: Cluster, budget: int) -> list[Sentence]:
        return [u.sentence for u in self.rank(cluster, budget)]

    def __repr__(self) -> str:
        return f"Baseline({self.name!r})"


BASELINES: dict[str, Summarizer] = {
    name: Baseline(name, fn)
    for name, fn in (("lead", lead), ("centroid", centroid), ("lexrank", lexrank), ("textrank", textrank))
}
