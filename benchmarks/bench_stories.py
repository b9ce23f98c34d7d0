"""Story splitting quality on mixed piles made from real clusters (their labels are the truth).

Run from the repository root:
    .venv/bin/python benchmarks/bench_stories.py                 # default settings, 2 x 50 piles
    .venv/bin/python benchmarks/bench_stories.py --grid          # threshold x paragraphs grid

A pile pools the articles of 3-8 random clusters of AbMuSu train + ViMs dev (shuffled, so
input order gives nothing away). Articles are cleaned and segmented once, as
``pipeline.split_and_process`` does. Reported per setting, mean over piles: B-cubed P/R/F1,
purity, inverse purity, adjusted Rand index, and the share of piles split exactly right.
Two disjoint sets of piles (seeds): tune on ``tune``, read the result on ``check``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from diemtin.evaluation import metrics
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster
from diemtin.pipeline import prepare
from diemtin.stories import split as stories

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def load() -> list[Cluster]:
    clusters = read_inputs([DATA / "abmusu" / "train.jsonl"]) + read_inputs([DATA / "vims-dev"])
    for c in clusters:
        prepare(c)
    return [c for c in clusters if c.articles]


def piles(clusters: list[Cluster], count: int, seed: int) -> list[tuple[list[Article], list[int]]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chosen = rng.sample(range(len(clusters)), rng.randint(3, 8))
        items = [(a, g) for g in chosen for a in clusters[g].articles]
        rng.shuffle(items)
        out.append(([a for a, _ in items], [g for _, g in items]))
    return out


def score(
    sample: list[tuple[list[Article], list[int]]], threshold: float, paragraphs: int
) -> dict[str, float]:
    rows: dict[str, list[float]] = {k: [] for k in ("P", "R", "F1", "purity", "inv_purity", "ARI", "exact")}
    for articles, gold in sample:
        pred = stories.story_labels(articles, threshold, paragraphs)
        p, r, f = metrics.bcubed(pred, gold)
        rows["P"].append(p)
        rows["R"].append(r)
        rows["F1"].append(f)
        rows["purity"].append(metrics.purity(pred, gold))
        rows["inv_purity"].append(metrics.purity(gold, pred))
        rows["ARI"].append(metrics.adjusted_rand(pred, gold))
        rows["exact"].append(float(metrics.adjusted_rand(pred, gold) == 1.0))
    return {k: statistics.fmean(v) for k, v in rows.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--piles", type=int, default=50)
    ap.add_argument("--grid", action="store_true", help="Try thresholds x paragraph counts.")
    ns = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"shared data not found at {DATA}")
    t = time.perf_counter()
    clusters = load()
    print(f"{len(clusters)} clusters, {sum(len(c.articles) for c in clusters)} articles "
          f"(prepared in {time.perf_counter() - t:.1f} s)", file=sys.stderr)
    sets = {"tune": piles(clusters, ns.piles, seed=1), "check": piles(clusters, ns.piles, seed=2)}
    settings = [(stories.DEFAULT_THRESHOLD, stories.LEAD_PARAGRAPHS)]
    if ns.grid:
        settings = [(th, pa) for pa in (1, 2, 3, 5, 1000) for th in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)]
    print(f"{'set':6} {'thr':>5} {'paras':>5} " + " ".join(f"{k:>10}" for k in
          ("P", "R", "F1", "purity", "inv_purity", "ARI", "exact")))
    for name, sample in sets.items():
        for th, pa in settings:
            t = time.perf_counter()
            res = score(sample, th, pa)
            ms = (time.perf_counter() - t) * 1000 / len(sample)
            print(f"{name:6} {th:5.2f} {pa:5d} " + " ".join(f"{v:10.3f}" for v in res.values())
                  + f"   ({ms:.0f} ms/pile)")


if __name__ == "__main__":
    main()
