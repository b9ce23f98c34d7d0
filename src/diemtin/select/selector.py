"""Select stage: a multi-document extractive summary under a syllable budget.

Method: concept coverage (Gillick & Favre 2009). Concepts are syllable bigrams (and, lightly,
content syllables); a concept's weight is how many *distinct* articles state it (a fact several
outlets repeat matters more), with extra votes when it comes early in an article and when a
title or lead states it. Sentences are picked greedily by newly covered weight per length
(the cost-scaled greedy of Lin & Bilmes 2010, near-optimal for this monotone submodular
objective); each concept counts once, and a sentence stating a fact already told is skipped,
so the summary does not repeat itself. An exact integer program (HiGHS) was measured too: it
scored no better on the development sets and was 40-60x slower, so it is not used.

Every chosen sentence carries all sentences of the cluster that state the same fact
(near-duplicates by bigram overlap) as its sources, so a reader can trace it to every outlet.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import regex

from diemtin.lang.tokens import syllables
from diemtin.model import Article, Cluster, Sentence, SourceRef, SummarySentence
from diemtin.select.concepts import Concept, Occurrence, concept_features, load_model, probabilities

# Function syllables: bigrams made only of these carry no fact ("của các", "và đã").
STOP_SYLLABLES = frozenset(
    """và của các là có được cho với những một này đã trong không để khi thì đến từ theo về ra vào lại
    cũng như nhiều nhưng tại trên đó sẽ bị do hơn đang rằng mà nên nếu vì bởi qua sau trước cùng đều
    vẫn còn chỉ rất nào gì ai ở hay hoặc thế nhất đây kia ấy họ chúng tôi ta mình nó ông bà anh chị em
    việc điều cái con sự nhau lên xuống hết đi làm năm ngày tháng""".split()
)


@dataclass
class SelectorConfig:
    # candidates
    min_syllables: int = 8  # shorter lines are rarely a whole fact (captions, fragments)
    max_syllables: int = 90
    heading_max_syllables: int = 20  # an unpunctuated one-line paragraph this short is a subheading
    # selection
    length_exponent: float = 0.5  # greedy gain per length**r: r=1 favours short sentences
    duplicate_threshold: float = 0.5  # bigram containment for "states the same fact"
    # learned concept weights (data/concept_model.json)
    weighting: str = "learned"  # or "heuristic"
    unigram_weight: float = 0.1  # a content syllable vs a bigram
    probability_power: float = 2.0  # sharpen probabilities: likely concepts dominate
    min_probability: float = 0.03
    # heuristic weights: the fallback without a model, and the ablation in scripts/train_concepts.py
    heuristic_unigram_weight: float = 0.2
    position_boost: float = 2.0  # extra vote for a concept found early in an article
    position_power: float = 4.0
    singleton_weight: float = 0.3  # concepts only one article states (times their early vote)
    title_boost: float = 1.0
    lead_boost: float = 0.5
    max_concepts: int = 3000


@dataclass
class _Candidate:
    article: Article
    sentence: Sentence
    tokens: list[str]
    bigrams: set[tuple[str, str]]
    position: float  # relative position in its article, 0 = first
    length: int
    concepts: list[int] = field(default_factory=list)
    units: set[tuple[str, str]] = field(default_factory=set)  # concepts: bigrams (+ unigrams)


def _bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    return {
        (a, b)
        for a, b in zip(tokens, tokens[1:], strict=False)
        if not (a in STOP_SYLLABLES and b in STOP_SYLLABLES) and not (a.isdigit() and b.isdigit())
    }


class ConceptSelector:
    """Extractive summarizer (scikit-learn style: configure, then ``summarize``)."""

    def __init__(self, config: SelectorConfig | None = None) -> None:
        self.config = config or SelectorConfig()

    # -- candidates and concept weights -------------------------------------------------
    def _candidates(self, cluster: Cluster) -> list[_Candidate]:
        out = []
        for article in cluster.distinct_articles:
            n = max(1, len(article.sentences))
            for s in article.sentences:
                tokens = syllables(s.text)
                cand = _Candidate(article, s, tokens, _bigrams(tokens), s.index / n, len(tokens))
                cand.units = cand.bigrams | {(t, "") for t in tokens if t not in STOP_SYLLABLES}
                out.append(cand)
        return out

    def _weights(self, cluster: Cluster, cands: list[_Candidate]) -> dict[Concept, float]:
        model = load_model() if self.config.weighting == "learned" else None
        if model is None:
            return self._heuristic_weights(cluster, cands)
        return self._learned_weights(cluster, cands, model["coef"])

    def _learned_weights(self, cluster: Cluster, cands: list[_Candidate], coef: np.ndarray) -> dict[Concept, float]:
        """P(a human summary holds the concept)^2; content syllables count for less than bigrams."""
        cfg = self.config
        occurrences = [Occurrence(c.article.id, c.position, c.tokens, c.units) for c in cands]
        articles = cluster.distinct_articles
        concepts, x = concept_features(
            occurrences, (a.title for a in articles), (a.lead or "" for a in articles), STOP_SYLLABLES
        )
        p = probabilities(x, coef)
        weights = {}
        for g, pg in zip(concepts, p, strict=True):
            if pg >= cfg.min_probability:
                weights[g] = float(pg) ** cfg.probability_power * (cfg.unigram_weight if g[1] == "" else 1.0)
        return weights

    def _heuristic_weights(self, cluster: Cluster, cands: list[_Candidate]) -> dict[Concept, float]:
        """Unsupervised weights: article votes, early positions, titles and leads."""
        cfg = self.config
        unigram_weight = cfg.heuristic_unigram_weight
        # Each article votes once per concept, more when the concept appears early in it
        # (news put the facts that matter first).
        doc_freq: Counter[tuple[str, str]] = Counter()
        votes: dict[tuple[str, str], float] = defaultdict(float)
        per_article: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
        for c in cands:
            seen = per_article[c.article.id]
            early = cfg.position_boost * (1.0 - c.position) ** cfg.position_power
            for g in c.units:
                if g not in seen or seen[g] < early:
                    seen[g] = early
        for grams in per_article.values():
            doc_freq.update(grams.keys())
            for g, e in grams.items():
                votes[g] += e
        n_docs = len(per_article)
        headline: set[tuple[str, str]] = set()
        lead: set[tuple[str, str]] = set()
        for article in cluster.distinct_articles:
            headline |= _bigrams(syllables(article.title))
            if article.lead:
                lead |= _bigrams(syllables(article.lead))
        # With one article, "repeated across outlets" means "repeated within the article".
        if n_docs <= 1:
            counts: Counter[tuple[str, str]] = Counter()
            for c in cands:
                counts.update(c.units)
            doc_freq = counts
        min_df = 2 if n_docs >= 2 or headline else 1
        weights: dict[tuple[str, str], float] = {}
        for gram, df in doc_freq.items():
            if df >= min_df:
                w = float(df) + votes.get(gram, 0.0)
            else:  # stated by one article only: worth something, mostly when stated early
                w = cfg.singleton_weight * votes.get(gram, 0.0)
            if gram[1] == "":
                w *= unigram_weight

            if gram in headline:
                w += cfg.title_boost
            if gram in lead:
                w += cfg.lead_boost
            if w > 0:
                weights[gram] = w
        if len(weights) > cfg.max_concepts:
            keep = sorted(weights.items(), key=lambda kv: -kv[1])[: cfg.max_concepts]
            weights = dict(keep)
        return weights

    # -- selection ----------------------------------------------------------------------
    def prepare(self, cluster: Cluster, words: int) -> tuple[list[_Candidate], list[_Candidate], dict[Concept, float]]:
        """All sentences, the candidates among them, and concept weights."""
        cfg = self.config
        cands_all = self._candidates(cluster)
        cands = [
            c
            for c in cands_all
            if cfg.min_syllables <= c.length <= cfg.max_syllables
            and not _is_heading(c, cfg.heading_max_syllables)
            and not _inside_quote(c)
            and not _CONTINUATION.match(c.sentence.text)
        ]
        if not cands:  # very short articles: take what there is
            cands = [c for c in cands_all if c.length <= max(words, 1)]
        return cands_all, cands, self._weights(cluster, cands)

    def summarize(self, cluster: Cluster, words: int = 200) -> list[SummarySentence]:
        cands_all, cands, weights = self.prepare(cluster, words)
        if not cands:
            return []
        # Sorted so that ties break the same way in every process (str hashing is salted).
        index = {g: i for i, g in enumerate(sorted(weights))}
        w = np.array([weights[g] for g in sorted(weights)], dtype=float)
        for c in cands:
            c.concepts = sorted(index[g] for g in c.units if g in index)
        chosen = self._greedy(cands, w, words)
        chosen = [cands[i] for i in chosen]
        return self._render(cluster, chosen, cands_all)

    def _greedy(self, cands: list[_Candidate], w: np.ndarray, budget: int) -> list[int]:
        """Cost-scaled greedy, lazily evaluated: a sentence's gain only shrinks as concepts get
        covered, so a stale gain is an upper bound and most sentences are never re-scored."""
        r = self.config.length_exponent
        covered = np.zeros(len(w), dtype=bool)
        chosen: list[int] = []
        used = 0

        def gain(i: int) -> float:
            idx = cands[i].concepts
            return float(w[idx][~covered[idx]].sum()) / cands[i].length**r if idx else 0.0

        heap = [(-gain(i), i) for i in range(len(cands))]
        heapq.heapify(heap)
        while heap:
            _, i = heapq.heappop(heap)
            c = cands[i]
            if used + c.length > budget:
                continue  # the budget only shrinks: it will never fit
            if any(_same_fact(c, cands[k], self.config.duplicate_threshold) for k in chosen):
                continue  # uncovered concepts left, but the same fact is already told
            fresh = gain(i)
            if fresh <= 0:
                continue
            if heap and -fresh > heap[0][0]:
                heapq.heappush(heap, (-fresh, i))  # someone else may now be better
                continue
            chosen.append(i)
            covered[c.concepts] = True
            used += c.length
        return chosen

    # -- output -------------------------------------------------------------------------
    def _render(
        self, cluster: Cluster, chosen: list[_Candidate], pool: list[_Candidate]
    ) -> list[SummarySentence]:
        # Duplicate articles' sentences are sources too: the fact is traceable to every copy.
        dup_pool = []
        for article in cluster.articles:
            if article.duplicate_of is not None:
                for s in article.sentences:
                    toks = syllables(s.text)
                    dup_pool.append(_Candidate(article, s, toks, _bigrams(toks), 0.0, len(toks)))
        everyone = pool + dup_pool
        dated = {a.id: (a.published or "") for a in cluster.articles}

        def order_key(c: _Candidate) -> tuple[str, float, str, int]:
            return (dated.get(c.article.id, ""), c.position, c.article.id, c.sentence.index)

        out = []
        for c in sorted(chosen, key=order_key):
            refs = [c] + [
                o for o in everyone if o is not c and _same_fact(c, o, self.config.duplicate_threshold)
            ]
            out.append(
                SummarySentence(
                    text=c.sentence.text,
                    sources=[
                        SourceRef(r.article.id, r.sentence.index, r.sentence.start, r.sentence.end) for r in refs
                    ],
                )
            )
        return out


_END_PUNCT = frozenset(".!?…\"”’')»:;")


def _is_heading(c: _Candidate, max_syllables: int) -> bool:
    """A subheading or a headline pasted into the body: short, alone in its paragraph, no final stop."""
    if c.length > max_syllables or c.sentence.text.rstrip()[-1:] in _END_PUNCT:
        return False
    paragraph = c.article.paragraphs[c.sentence.paragraph] if c.article.paragraphs else None
    return paragraph is None or (paragraph.start, paragraph.end) == (c.sentence.start, c.sentence.end)


# A sentence opening with a conjunction continues the one before it: alone it is a fragment.
_CONTINUATION = regex.compile(r"^(?:hoặc|hay|còn|rồi)\b", regex.IGNORECASE)


def _inside_quote(c: _Candidate) -> bool:
    """A sentence in the middle of a quotation: out of context, and its speaker is not in it."""
    if not c.article.paragraphs:
        return False
    before = c.article.text[c.article.paragraphs[c.sentence.paragraph].start : c.sentence.start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _same_fact(a: _Candidate, b: _Candidate, threshold: float) -> bool:
    """Near-duplicate sentences: most bigrams of the shorter one appear in the other."""
    if not a.bigrams or not b.bigrams:
        return False
    small = min(len(a.bigrams), len(b.bigrams))
    return len(a.bigrams & b.bigrams) / small >= threshold


def summarize(cluster: Cluster, words: int = 200, config: SelectorConfig | None = None) -> list[SummarySentence]:
    """The summary of a segmented cluster, at most ``words`` syllables."""
    return ConceptSelector(config).summarize(cluster, words)
