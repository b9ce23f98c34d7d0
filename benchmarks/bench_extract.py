"""Per-stage time of the digest, to check "the structured parts add at most 2x to digest time".

Run from the repository root:  .venv/bin/python benchmarks/bench_extract.py [--n 50] [--profile]

For the seed cluster, the first N AbMuSu test clusters and the first N ViMs dev clusters, each
cluster is processed twice in-process on fresh copies of the raw cluster (the first run warms
caches and lazy imports) and the second run's ``clean_ms``/``segment_ms``/``select_ms``/
``extract_ms`` (and the ``extract_*_ms`` breakdown, if present) from ``cluster.digest.stats``
are reported. The target: ``extract_ms <= 2 * (clean_ms + segment_ms + select_ms)``, on average
and on the seed cluster. ``--profile`` prints a cProfile of extract on all clusters.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import statistics
from pathlib import Path

from diemtin.ingest.read import read_inputs
from diemtin.model import Cluster
from diemtin.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
BASE = ("clean_ms", "segment_ms", "select_ms")


def load(n: int) -> dict[str, list[Cluster]]:
    sets: dict[str, list[Cluster]] = {"seed": read_inputs(str(DATA / "seed-cluster"))}
    abm = DATA / "abmusu" / "test-inputs.jsonl"
    if abm.exists():
        sets["abmusu"] = read_inputs(str(abm))[:n]
    vims = sorted((DATA / "vims-dev" / "data").glob("Cluster_*"))[:n]
    sets["vims"] = [c for p in vims for c in read_inputs(str(p))]
    return sets


def measure(raw: Cluster, warm: bool) -> dict[str, float]:
    if warm:
        process(copy.deepcopy(raw))
    done = process(copy.deepcopy(raw))
    stats = {k: float(v) for k, v in (done.digest.stats if done.digest else {}).items() if k.endswith("_ms")}
    # pipeline.process rebuilds digest.stats after extract, so the per-part breakdown that
    # extract() records is read from a separate extract-only run on the processed cluster.
    from diemtin.extract import extract

    extract(done)
    parts = done.digest.stats if done.digest else {}
    stats.update({k: float(v) for k, v in parts.items() if k.startswith("extract_") and k != "extract_ms"})
    return stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    sets = load(args.n)
    process(copy.deepcopy(sets["seed"][0]))  # imports, gazetteer, compiled patterns
    for warm in (False, True):  # first-seen first: the warm runs fill per-text caches
        print("warm: second run of the same cluster" if warm else
              "first-seen: each cluster's first run (per-text caches cold)")
        table(sets, warm)
    if args.profile:
        profile(sets)


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}


def table(sets: dict[str, list[Cluster]], warm: bool) -> None:
    print(f"{'set':8} {'n':>3} {'clean':>7} {'segment':>7} {'select':>7} {'base':>7} {'extract':>7} {'ratio':>6}"
          "  extract parts (mean ms)")
    for name, clusters in sets.items():
        # one cluster alone is noisy: the median of 7 warm runs
        reps = 7 if warm and len(clusters) == 1 else 1
        rows = [_median([measure(c, warm) for _ in range(reps)]) for c in clusters]
        mean = {k: statistics.fmean(r.get(k, 0.0) for r in rows) for k in rows[0]}
        base = sum(mean.get(k, 0.0) for k in BASE)
        ratios = [r.get("extract_ms", 0.0) / max(sum(r.get(k, 0.0) for k in BASE), 1e-9) for r in rows]
        parts = {k.removeprefix("extract_").removesuffix("_ms"): v for k, v in mean.items()
                 if k.startswith("extract_") and k != "extract_ms"}
        print(f"{name:8} {len(rows):>3} {mean['clean_ms']:>7.1f} {mean['segment_ms']:>7.1f} "
              f"{mean['select_ms']:>7.1f} {base:>7.1f} {mean.get('extract_ms', 0.0):>7.1f} "
              f"{mean.get('extract_ms', 0.0) / base:>6.2f}  "
              + " ".join(f"{k}={v:.1f}" for k, v in parts.items())
              + f"  (median per-cluster ratio {statistics.median(ratios):.2f}, max {max(ratios):.2f})")


def profile(sets: dict[str, list[Cluster]]) -> None:
    from diemtin.extract import extract

    ready = [process(copy.deepcopy(c), parts=("summary",)) for clusters in sets.values() for c in clusters]
    prof = cProfile.Profile()
    prof.enable()
    for c in ready:
        extract(c)
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(40)


if __name__ == "__main__":
    main()
