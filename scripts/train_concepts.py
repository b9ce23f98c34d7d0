"""Train the concept model (src/diemtin/data/concept_model.json) on the development data.

Rows: every concept of every cluster (syllable bigrams and content syllables of candidate
sentences); label: the concept occurs in one of the cluster's human summaries. Model:
L2 logistic regression (numpy, see diemtin.select.concepts). Before fitting on everything, a
5-fold cross-validation over AbMuSu train + ViMs dev (folds stratified by dataset) scores
the summarizer's ROUGE-2 with out-of-fold models beside the unsupervised heuristic weights,
so the shipped file records how it does on clusters it was not trained on.

    .venv/bin/python scripts/train_concepts.py [--write] [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from diemtin.evaluation.evaluate import rouge_n
from diemtin.ingest.read import read_inputs
from diemtin.lang.tokens import syllables, truncate_syllables
from diemtin.model import Cluster
from diemtin.pipeline import process
from diemtin.select.concepts import FEATURES, Occurrence, concept_features, fit_logistic
from diemtin.select.selector import STOP_SYLLABLES, ConceptSelector, SelectorConfig

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
OUT = REPO / "src" / "diemtin" / "select" / "data" / "concept_model.json"
SETS = {"abmusu": DATA / "abmusu" / "train.jsonl", "vims": DATA / "vims-dev"}


def load(path: Path) -> list[Cluster]:
    clusters = [c for c in read_inputs(path) if c.references and c.articles]
    for c in clusters:
        process(c, 200, parts=())
    return clusters


def ref_length(c: Cluster) -> int:
    return int(sum(len(syllables(r)) for r in c.references) / len(c.references))


def rows(clusters: list[Cluster]) -> tuple[np.ndarray, np.ndarray]:
    # Heuristic weighting: candidates are the same, and it needs no model file (which may be stale).
    selector = ConceptSelector(SelectorConfig(weighting="heuristic"))
    xs, ys = [], []
    for c in clusters:
        _, cands, _ = selector.prepare(c, ref_length(c))
        occurrences = [Occurrence(k.article.id, k.position, k.tokens, k.units) for k in cands]
        arts = c.distinct_articles
        concepts, x = concept_features(occurrences, (a.title for a in arts), (a.lead or "" for a in arts),
                                       STOP_SYLLABLES)
        ref_bi: set[tuple[str, str]] = set()
        ref_uni: set[str] = set()
        for r in c.references:
            t = syllables(r)
            ref_bi.update(zip(t, t[1:], strict=False))
            ref_uni.update(t)
        xs.append(x)
        ys.append(np.array([float(g[0] in ref_uni if g[1] == "" else g in ref_bi) for g in concepts]))
    return np.vstack(xs), np.concatenate(ys)


def rouge2(clusters: list[Cluster], selector: ConceptSelector) -> list[float]:
    scores = []
    for c in clusters:
        n = ref_length(c)
        text = truncate_syllables(" ".join(s.text for s in selector.summarize(c, n)), n)
        scores.append(float(np.mean([rouge_n(syllables(r), syllables(text), 2).f for r in c.references])))
    return scores


class _FixedModel(ConceptSelector):
    """A selector with given coefficients instead of the shipped file."""

    def __init__(self, coef: np.ndarray) -> None:
        super().__init__(SelectorConfig())
        self.coef = coef

    def _weights(self, cluster, cands):  # type: ignore[override]
        return self._learned_weights(cluster, cands, self.coef)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    k = args.folds
    sets = {name: load(path) for name, path in SETS.items()}
    folds = {name: [cl[i::k] for i in range(k)] for name, cl in sets.items()}
    fold_rows = {name: [rows(f) for f in fs] for name, fs in folds.items()}
    learned: dict[str, list[float]] = {name: [] for name in sets}
    heuristic: dict[str, list[float]] = {name: [] for name in sets}
    for i in range(k):
        train = [r for name in sets for j, r in enumerate(fold_rows[name]) if j != i]
        coef = fit_logistic(np.vstack([x for x, _ in train]), np.concatenate([y for _, y in train]))
        for name in sets:
            learned[name] += rouge2(folds[name][i], _FixedModel(coef))
            heuristic[name] += rouge2(folds[name][i], ConceptSelector(SelectorConfig(weighting="heuristic")))
        print(f"fold {i + 1}/{k} done", file=sys.stderr, flush=True)
    report = {
        name: {"clusters": len(sets[name]), "rouge2_f1_learned_out_of_fold": round(float(np.mean(learned[name])), 4),
               "rouge2_f1_heuristic": round(float(np.mean(heuristic[name])), 4)}
        for name in sets
    }
    for name, r in report.items():
        print(f"{name:8s} {r['clusters']:4d} clusters  ROUGE-2 F1: learned (out of fold) "
              f"{r['rouge2_f1_learned_out_of_fold']:.4f}   heuristic {r['rouge2_f1_heuristic']:.4f}")
    all_rows = [r for name in sets for r in fold_rows[name]]
    x, y = np.vstack([r[0] for r in all_rows]), np.concatenate([r[1] for r in all_rows])
    coef = fit_logistic(x, y)
    print("coefficients:", {f: round(float(c), 3) for f, c in zip(FEATURES, coef, strict=True)})
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({
            "features": list(FEATURES),
            "coefficients": [round(float(c), 6) for c in coef],
            "label": "the concept occurs in a human summary of the cluster (syllables, NFC, lowercase)",
            "trained_on": {"abmusu/train.jsonl": len(sets["abmusu"]), "vims-dev": len(sets["vims"]),
                           "concepts": int(len(y)), "positive_share": round(float(y.mean()), 4)},
            "cross_validation": {"folds": k, **report},
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
