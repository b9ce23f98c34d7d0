"""ROUGE on syllables, truncation, and a small real eval run (``diemtin eval``)."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest

from diemtin.evaluation.evaluate import (
    format_table,
    lcs_length,
    main,
    reference_length,
    rouge,
    run_eval,
    score_text,
    write_json,
)
from diemtin.lang.tokens import syllables
from diemtin.model import Cluster

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / "abmusu" / "train.jsonl").exists(),
    reason=f"real data not found at {DATA} (expected ../shared/data next to the repo)",
)


def _lcs_dp(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def test_diacritics_are_distinct_tokens() -> None:
    s = rouge(syllables("Mỹ cấm vận Nga"), syllables("Mẹ cầm vợt ngã"))
    assert s["rouge1"].f == 0.0
    assert s["rouge2"].f == 0.0
    assert s["rougeL"].f == 0.0


def test_nfd_and_case_do_not_matter() -> None:
    nfd = unicodedata.normalize("NFD", "MỸ CẤM VẬN NGA")
    assert nfd != "MỸ CẤM VẬN NGA"
    s = rouge(syllables("Mỹ cấm vận Nga"), syllables(nfd))
    assert s["rouge1"].f == pytest.approx(1.0)
    assert s["rougeL"].f == pytest.approx(1.0)


def test_hand_computed_scores() -> None:
    # ref: nga và mỹ đàm phán ở geneva (7); sys: mỹ và nga đàm phán (5)
    s = rouge(syllables("Nga và Mỹ đàm phán ở Geneva."), syllables("Mỹ và Nga đàm phán"))
    # unigrams: all 5 system tokens occur in the reference
    assert (s["rouge1"].p, s["rouge1"].r) == (pytest.approx(1.0), pytest.approx(5 / 7))
    assert s["rouge1"].f == pytest.approx(2 * (5 / 7) / (1 + 5 / 7))
    # bigrams: only "đàm phán" is shared; 4 system bigrams, 6 reference bigrams
    assert (s["rouge2"].p, s["rouge2"].r) == (pytest.approx(1 / 4), pytest.approx(1 / 6))
    # LCS: positions of system tokens in the reference are 2,1,0,3,4 -> longest increasing run 3
    assert (s["rougeL"].p, s["rougeL"].r) == (pytest.approx(3 / 5), pytest.approx(3 / 7))


def test_clipped_counts() -> None:
    # "Hà Nội" twice in the summary, once in the reference: counted once
    s = rouge(syllables("Hà Nội mưa"), syllables("Hà Nội Hà Nội"))
    assert s["rouge1"].p == pytest.approx(2 / 4)
    assert s["rouge1"].r == pytest.approx(2 / 3)


def test_empty_summary_scores_zero() -> None:
    s = score_text(["Nga và Mỹ"], "")
    assert all(v.f == 0.0 for v in s.values())


def test_truncation_to_budget() -> None:
    # The summary's tail matches the reference; cutting it to 3 syllables must lose it.
    ref = ["một hai ba bốn năm"]
    full = score_text(ref, "sáu bảy tám bốn năm")
    cut = score_text(ref, "sáu bảy tám bốn năm", budget=3)
    assert full["rouge1"].f > 0
    assert cut["rouge1"].f == 0.0
    assert score_text(ref, "một hai ba bốn năm sáu", budget=5)["rouge1"].f == pytest.approx(1.0)


def test_mean_over_references() -> None:
    s = score_text(["Nga", "Mỹ"], "Nga")
    assert s["rouge1"].f == pytest.approx(0.5)  # 1.0 against the first, 0.0 against the second


def test_reference_length_is_mean_syllables() -> None:
    c = Cluster(id="c", references=["một hai ba", "một hai ba bốn năm"])
    assert reference_length(c) == 4


def test_lcs_matches_dynamic_programming() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 40))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 80))]
        assert lcs_length(a, b) == _lcs_dp(a, b)


def test_rouge_score_with_our_tokenizer_agrees_and_ascii_default_does_not() -> None:
    rs = pytest.importorskip("rouge_score.rouge_scorer")

    class Syl:
        def tokenize(self, text: str) -> list[str]:
            return syllables(text)

    ours = rs.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=Syl())
    ref = "Ngày 10/1, phái đoàn Mỹ và Nga đàm phán tại Geneva về an ninh châu Âu."
    hyp = "Nga và Mỹ đàm phán về an ninh tại Geneva ngày 10/1, nhưng không đạt đột phá."
    theirs = ours.score(ref, hyp)
    mine = rouge(syllables(ref), syllables(hyp))
    for m in ("rouge1", "rouge2", "rougeL"):
        assert mine[m].p == pytest.approx(theirs[m].precision)
        assert mine[m].r == pytest.approx(theirs[m].recall)
        assert mine[m].f == pytest.approx(theirs[m].fmeasure)
    # A custom tokenizer is used as is: no ASCII folding on top.
    assert ours.score("Mỹ cấm vận Nga", "Mẹ cầm vợt ngã")["rouge1"].fmeasure == 0.0
    # Its default tokenizer keeps only [a-z0-9] and would score the two as similar.
    default = rs.RougeScorer(["rouge1"])
    assert default.score("Mỹ cấm vận Nga", "Mẹ cầm vợt ngã")["rouge1"].fmeasure > 0.3


def test_unknown_system_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown system"):
        run_eval(["abmusu"], systems=["gpt"], progress=False)


def test_missing_dataset_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        run_eval([str(tmp_path / "nope.jsonl")], systems=["lead"], progress=False)


@needs_data
def test_small_real_eval_run(tmp_path: Path) -> None:
    result = run_eval(["abmusu"], limit=5, progress=False)
    ds = result["datasets"]["abmusu"]
    assert ds["clusters"] == 5 and len(ds["per_cluster"]) == 5
    assert set(result["systems"]) >= {"lead", "centroid", "lexrank", "textrank"}
    for system in result["systems"]:
        assert ds["errors"][system] == 0
        for metric in ("rouge1", "rouge2", "rougeL"):
            assert 0.0 < ds["means"][system][metric]["f"] < 1.0, (system, metric)
        # extractive news summaries share many unigrams with human ones; far below that is a bug
        assert ds["means"][system]["rouge1"]["f"] > 0.25, system
        assert ds["lengths"][system] <= ds["lengths"]["budget"] + 1e-9
    for rec in ds["per_cluster"]:
        assert rec["budget"] > 0 and rec["sentences"] > 0
        for system in result["systems"]:
            assert rec["lengths"][system] <= rec["budget"]
    table = format_table(result)
    for system in result["systems"]:
        assert system in table
    out = tmp_path / "eval.json"
    write_json(result, out)
    assert json.loads(out.read_text(encoding="utf-8"))["datasets"]["abmusu"]["clusters"] == 5


@needs_data
def test_vims_has_multiple_references_and_module_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vims", "--limit", "2", "--systems", "lead", "--jobs", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "vims" in out and "lead" in out
    result = run_eval(["vims"], systems=["lead"], limit=3, progress=False)
    assert max(r["references"] for r in result["datasets"]["vims"]["per_cluster"]) >= 2


@needs_data
def test_held_out_protocols_in_one_run() -> None:
    """In-domain k-fold and out-of-dataset transfer beside every baseline, with paired CIs;
    each held-out model never saw the clusters it scores."""
    from diemtin.evaluation import evaluate

    seen: list[set[str]] = []
    real_fit = evaluate._fit

    def spy(examples):  # type: ignore[no-untyped-def]
        seen.append({e.cluster.id for e in examples})
        return real_fit(examples)

    evaluate._fit = spy
    try:
        result = run_eval(["abmusu", "vims"], systems=["diemtin", "lead"], limit=8, folds=2, progress=False)
    finally:
        evaluate._fit = real_fit
    assert len(seen) == 2 * 2 + 2  # two folds per dataset, one transfer model per dataset
    for name, ds in result["datasets"].items():
        assert {"diemtin", "diemtin-kfold", "diemtin-transfer", "lead"} <= set(ds["means"])
        assert {"diemtin-transfer - lead", "diemtin-kfold - lead"} <= set(ds["paired"])
        lo, hi = ds["ci95"]["diemtin-transfer"]["rouge2"]
        assert lo <= ds["means"]["diemtin-transfer"]["rouge2"]["f"] <= hi
        ids = {r["id"] for r in ds["per_cluster"]}
        # the transfer model of this dataset was fitted on the other dataset only
        assert any(s and not (s & ids) and len(s) == 8 for s in seen), name
        rd = ds["readability"]
        assert rd["human"]["sentences"] > 0 and 0 <= rd["diemtin-transfer"]["lost_context_rate"] <= 1
    assert "diemtin-transfer" in format_table(result)
