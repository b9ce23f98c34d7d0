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

from diemtin.model import Cluster
from diemtin.pipeline import process
from diemtin.read import read_inputs

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


def measure(raw: Cluster) -> dict[str, float]:
    process(copy.deepcopy(raw))  # warm
    done = process(copy.deepcopy(raw))
    stats = done.digest.stats if done.digest else {}
    return {k: float(v) for k, v in stats.items() if k.endswith("_ms")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    sets = load(args.n)
    print(f"{'set':8} {'n':>3} {'clean':>7} {'segment':>7} {'select':>7} {'base':>7} {'extract':>7} {'ratio':>6}"
          "  extract parts (mean ms)")
    for name, clusters in sets.items():
        rows = [measure(c) for c in clusters]
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
    if args.profile:
        from diemtin.extract import extract

        ready = []
        for clusters in sets.values():
            for c in clusters:
                done = process(copy.deepcopy(c), parts=("summary",))
                ready.append(done)
        prof = cProfile.Profile()
        prof.enable()
        for c in ready:
            extract(c)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
