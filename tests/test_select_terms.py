"""The selector's integer codes (select/terms.py) stand for exactly the syllable sets they replace.

Each test recomputes, with plain Python sets of syllable tuples, what the selector now reads
from flat integer arrays (concepts and their order, each sentence's units, title overlaps, the
summary's sources, quotation state) on real clusters, and checks that both say the same.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from diemtin.ingest.read import read_inputs
from diemtin.lang.stopwords import STOPWORDS
from diemtin.lang.tokens import syllables
from diemtin.model import Cluster
from diemtin.pipeline import prepare
from diemtin.select.prior import PRIOR_FEATURES
from diemtin.select.selector import ConceptSelector, SelectorConfig, _inside_quotes
from diemtin.select.terms import Vocabulary


def pairs(text: str) -> set[tuple[str, str]]:
    t = syllables(text)
    return set(zip(t, t[1:], strict=False))


def bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    """Syllable bigrams that are not two stop words nor two numbers (the selector's definition)."""
    return {
        (a, b)
        for a, b in zip(tokens, tokens[1:], strict=False)
        if not (a in STOPWORDS and b in STOPWORDS) and not (a.isdigit() and b.isdigit())
    }


def units(tokens: list[str]) -> set[tuple[str, str]]:
    content = {(t, "") for t in tokens if t not in STOPWORDS and not t.isdigit()}
    return bigrams(tokens) | content


@pytest.fixture(scope="module")
def clusters(abmusu_path, seed_dir) -> list[Cluster]:
    out = read_inputs(abmusu_path)[:8] + read_inputs(seed_dir)
    for c in out:
        prepare(c)
    return out


def test_concepts_are_the_sorted_syllable_tuples_of_the_candidates(clusters: list[Cluster]) -> None:
    for cluster in clusters:
        an = ConceptSelector()._analyse(cluster)
        concepts = an.concepts
        # (a sentence shown with a bracketed name, "Ông [Sergei Ryabkov] cho biết", keeps its
        # sentence's concepts: the inserted words are not the source's)
        own = [c.plain.tokens if c.plain is not None else c.tokens for c in an.cands]
        assert concepts == sorted(set().union(*(units(t) for t in own))), cluster.id
        for c, tokens in zip(an.cands, own, strict=True):
            assert {concepts[i] for i in c.concepts} == units(tokens)
            assert list(c.concepts) == sorted(c.concepts)  # the greedy sums them in this order
            assert len(c.bigrams) == len(bigrams(tokens)) == len(c.bigram_ids)


def test_title_and_lead_overlaps_are_set_intersections(clusters: list[Cluster]) -> None:
    title, lead = PRIOR_FEATURES.index("title_overlap"), PRIOR_FEATURES.index("lead_overlap")
    for cluster in clusters:
        selector = ConceptSelector()
        an, _ = selector._prepare(cluster)
        for row, c in zip(an.prior_x, an.cands, strict=True):
            mine = bigrams(c.tokens)
            n = max(1, len(mine))
            assert row[title] == len(mine & pairs(c.article.title)) / n
            assert row[lead] == len(mine & pairs(c.article.lead or "")) / n


def test_sources_are_every_sentence_holding_most_of_the_bigrams_duplicates_included(clusters: list[Cluster]) -> None:
    cluster = copy.deepcopy(next(c for c in clusters if len(c.distinct_articles) >= 2))
    copied = copy.deepcopy(cluster.articles[0])  # a duplicate article: its sentences are sources too
    copied.id, copied.duplicate_of = "copy", cluster.articles[0].id
    cluster.articles.append(copied)
    threshold = SelectorConfig().duplicate_threshold
    summary = ConceptSelector().summarize(cluster, 150)
    assert summary
    everyone = [(a.id, s.index, bigrams(syllables(s.text))) for a in cluster.articles for s in a.sentences]
    for sentence in summary:
        own = sentence.sources[0]  # the sentence shown comes first
        mine = bigrams(syllables(sentence.text))
        expected = {(own.article, own.sentence)} | {
            (a, i) for a, i, theirs in everyone
            if theirs and mine and len(mine & theirs) / min(len(mine), len(theirs)) >= threshold
        }
        assert {(r.article, r.sentence) for r in sentence.sources} == expected
        if own.article == cluster.articles[0].id:
            assert ("copy", own.sentence) in expected


def test_quotation_state_carried_sentence_to_sentence_is_the_paragraph_recount(clusters: list[Cluster]) -> None:
    checked = 0
    for cluster in clusters:
        for article in cluster.articles:
            inside = _inside_quotes(article)
            for s, got in zip(article.sentences, inside, strict=True):
                before = article.text[article.paragraphs[s.paragraph].start : s.start]
                assert got == (before.count("“") > before.count("”") or before.count('"') % 2 == 1)
                checked += got
    assert checked  # real articles do quote across sentences


def test_vocabulary_ids_sort_as_the_syllables_and_new_ones_never_collide() -> None:
    vocab = Vocabulary([["nga", "mỹ"], ["đàm", "phán", "nga"]])
    assert vocab.words == sorted(["nga", "mỹ", "đàm", "phán"])
    tok, lens = vocab.encode([["nga", "geneva"], ["phán"]])
    assert list(lens) == [2, 1]
    assert vocab.words[tok[0]] == "nga" and vocab.words[tok[1]] == "geneva" and tok[1] >= 4
    assert list(vocab.known(["mỹ", "brussels"])) == [vocab.ids["mỹ"], -1]


def test_distinct_pairs_are_the_same_whichever_sort_is_used() -> None:
    """Codes small enough share one int64 key per (row, code) pair; a huge vocabulary falls back
    to a two-key sort: both give every distinct pair once, by row then code."""

    from diemtin.select.terms import WIDTH, _counted_pairs

    rng = np.random.default_rng(3)
    row = rng.integers(0, 50, 2000)
    for top in (10**6, (1 << 31) * (1 << 29)):  # one key; a key that would overflow int64
        code = rng.integers(0, 40, 2000) * (top // 40) + rng.integers(0, 3, 2000) * WIDTH
        r, c, _ = _counted_pairs(row, code)
        expected = sorted(set(zip(row.tolist(), code.tolist(), strict=True)))
        assert list(zip(r.tolist(), c.tolist(), strict=True)) == expected
