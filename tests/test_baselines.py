"""Baselines: budgets, order, no duplicates, and sumy fed with our syllables (no diacritic loss)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diemtin.evaluation.baselines import BASELINES, SyllableTokenizer, fill, lead, summary_text, units
from diemtin.evaluation.evaluate import _prepare, reference_length
from diemtin.ingest.read import read_inputs
from diemtin.lang.tokens import count_syllables
from diemtin.model import Article, Cluster

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TRAIN = DATA / "abmusu" / "train.jsonl"


def _toy() -> Cluster:
    a = Article(id="a", raw_text="Nga và Mỹ đàm phán ở Geneva. Cuộc họp kéo dài 7 giờ. Hai bên không đạt đột phá.")
    b = Article(id="b", raw_text="NATO họp ở Brussels. Nga và Mỹ đàm phán ở Geneva. Phía Nga nêu yêu cầu an ninh.")
    return _prepare(Cluster(id="toy", articles=[a, b]))


def test_lead_is_round_robin() -> None:
    out = [u.text for u in lead(_toy(), 12)]
    assert out[:3] == ["Nga và Mỹ đàm phán ở Geneva.", "NATO họp ở Brussels.", "Cuộc họp kéo dài 7 giờ."]


def test_fill_skips_verbatim_repeats() -> None:
    us = units(_toy())
    texts = [u.text for u in fill(us, 1000)]
    assert texts.count("Nga và Mỹ đàm phán ở Geneva.") == 1
    assert len(texts) == len(us) - 1


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_baseline_on_toy(name: str) -> None:
    out = [s.text for s in BASELINES[name](_toy(), 10)]
    assert out and count_syllables(" ".join(out)) >= 10  # fills the budget...
    assert count_syllables(summary_text(out, 10)) == 10  # ...and is cut to it


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_baseline_is_a_summarizer_returning_model_sentences(name: str) -> None:
    from diemtin.select.base import Summarizer

    cluster = _toy()
    system = BASELINES[name]
    assert isinstance(system, Summarizer) and system.fit([cluster]) is system
    chosen = system(cluster, 10)
    own = {id(s) for a in cluster.articles for s in a.sentences}
    assert chosen and all(id(s) in own for s in chosen)  # the cluster's own Sentence objects


def test_sumy_sees_our_syllables_with_diacritics() -> None:
    from sumy.models.dom import Sentence
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    s = Sentence("Mỹ cấm vận Nga, 100 tỷ USD", SyllableTokenizer())
    expected = ["mỹ", "cấm", "vận", "nga", "100", "tỷ", "usd"]
    assert LexRankSummarizer()._to_words_set(s) == expected
    assert TextRankSummarizer()._to_words_set(s) == expected


@pytest.mark.skipif(not TRAIN.exists(), reason=f"real data not found at {TRAIN}")
@pytest.mark.parametrize("name", sorted(BASELINES))
def test_baselines_within_budget_on_real_cluster(name: str) -> None:
    raw = read_inputs([TRAIN])[0]
    cluster = _prepare(raw)
    budget = reference_length(raw)
    out = [s.text for s in BASELINES[name](cluster, budget)]
    text = summary_text(out, budget)
    assert 0.9 * budget <= count_syllables(text) <= budget
    bodies = [a.text for a in cluster.articles]
    for sentence in out:  # extractive: every sentence is verbatim article text
        assert any(sentence in body for body in bodies)
    assert len(set(out)) == len(out)


@pytest.mark.skipif(not TRAIN.exists(), reason=f"real data not found at {TRAIN}")
def test_fast_sumy_matches_stock_sumy_on_real_clusters() -> None:
    import numpy as np

    from diemtin.evaluation.baselines import lexrank_scores, textrank_scores

    for raw in read_inputs([TRAIN])[:4]:
        cands = units(_prepare(raw))
        np.testing.assert_allclose(lexrank_scores(cands), lexrank_scores(cands, fast=False), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(textrank_scores(cands), textrank_scores(cands, fast=False), rtol=1e-9, atol=1e-12)
