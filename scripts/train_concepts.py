"""Train the selector's model (src/diemtin/select/data/selector_model.json) on both dev sets.

The learning itself is :meth:`diemtin.select.selector.ConceptSelector.fit` (the concept
regression, then the sentence prior); this script only loads AbMuSu train + ViMs dev, cleans
and segments them the way the pipeline does, fits, and writes the coefficients. How well the
model does on clusters it was not trained on is measured by ``diemtin eval`` (in-domain
k-fold and out of dataset: trained on AbMuSu -> scored on ViMs and back), not here.

    .venv/bin/python scripts/train_concepts.py [--write]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from diemtin.evaluation.evaluate import resolve_dataset
from diemtin.ingest.read import read_inputs
from diemtin.pipeline import finish, prepare
from diemtin.select.concepts import FEATURES
from diemtin.select.prior import PRIOR_FEATURES
from diemtin.select.selector import MODEL_FILE, ConceptSelector

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "diemtin" / "select" / MODEL_FILE


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    args = ap.parse_args()
    data = {}
    for name in ("abmusu", "vims"):
        clusters = [c for c in read_inputs([resolve_dataset(name)]) if c.references and c.articles]
        for c in clusters:
            finish(c, parts=(), timings=prepare(c))  # cleaned, segmented, date layer: what selection reads
        data[name] = clusters
    selector = ConceptSelector().fit([c for cl in data.values() for c in cl])
    model = selector.model_
    model.info = {
        "label_concepts": "the concept occurs in a human summary of the cluster (syllables, NFC, lowercase)",
        "label_prior": "share of the sentence's content bigrams (not two function syllables, not two numbers)"
        " found in the human summaries",
        "trained_on": {"abmusu/train.jsonl": len(data["abmusu"]), "vims-dev": len(data["vims"]), **model.info},
        "evaluation": "diemtin eval (in-domain k-fold and out-of-dataset transfer)",
    }
    print("concepts:", {f: round(float(c), 3) for f, c in zip(FEATURES, model.concept_coef, strict=True)})
    print("prior:", {f: round(float(c), 3) for f, c in zip(PRIOR_FEATURES, model.prior_coef, strict=True)})
    if args.write:
        model.save(OUT)
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
