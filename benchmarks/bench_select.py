"""The summary stage alone (``select``), this tree against a baseline tree, in the same run.

Run from the repository root:

    git archive <base-commit> src | tar -x -C /tmp/base     # the tree to compare against
    .venv/bin/python benchmarks/bench_select.py --baseline /tmp/base/src [--limit 300] [--rounds 3]

Issue 11 asks the summary stage to be no slower per cluster than before its work began; this is
that measurement. Each tree runs in its own child process (``PYTHONPATH=<tree>``) on the same
AbMuSu test clusters: ``pipeline.process(cluster, words=200, parts=("summary",))`` on a fresh
copy, and the stage time the pipeline records (``digest.stats["select_ms"]``, wall clock) is
kept. Every cluster is run ``--passes`` times in a child and its fastest pass is kept (the
first pass also warms caches); the children of the two trees are alternated ``--rounds``
times, so a change of load on the shared machine hits both. Reported: mean and median ms per
cluster of each round, the median over rounds, and the ratio this tree / baseline; beside it,
the date layer's stage (``dates_ms``), which the selection reads since issue 11 (0 in a tree
from before it, whose selection read no dates).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "abmusu" / "test-inputs.jsonl"
SUMMARY_WORDS = 200


def child(limit: int, passes: int) -> dict[str, float]:
    from diemtin.ingest.read import read_inputs

    try:
        from diemtin.dates import clear_cache
    except ImportError:  # a tree from before the date layer
        def clear_cache() -> None:
            return None
    from diemtin.pipeline import process

    clusters = read_inputs([str(DATA)])[:limit]
    best: list[float] = []
    dates: list[float] = []  # the date layer the selection reads (a stage of its own since issue 11)
    for raw in clusters:
        times, date_times = [], []
        for _ in range(passes):
            clear_cache()  # else a second pass is served the sentences the first one parsed
            done = process(copy.deepcopy(raw), words=SUMMARY_WORDS, parts=("summary",))
            stats = done.digest.stats if done.digest else {}
            times.append(float(stats.get("select_ms", 0.0)))
            date_times.append(float(stats.get("dates_ms", 0.0)))
        best.append(min(times))
        dates.append(min(date_times))
    return {"clusters": len(best), "mean_ms": statistics.fmean(best), "median_ms": statistics.median(best),
            "dates_mean_ms": statistics.fmean(dates)}


def run_child(src: str, limit: int, passes: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": src}
    cmd = [sys.executable, __file__, "--child", "--limit", str(limit), "--passes", str(passes)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="another src/ tree, measured the same way in the same run")
    ap.add_argument("--limit", type=int, default=300, help="AbMuSu test clusters (default all 300)")
    ap.add_argument("--passes", type=int, default=3, help="runs per cluster in a child; the fastest is kept")
    ap.add_argument("--rounds", type=int, default=3, help="alternations of the two trees")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.limit, args.passes)))
        return
    trees = {"this tree": str(ROOT / "src")} | ({"baseline": args.baseline} if args.baseline else {})
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    print(f"select stage, ms per cluster (fastest of {args.passes} passes), {args.limit} AbMuSu test clusters, "
          f"{SUMMARY_WORDS} syllables")
    for rnd in range(args.rounds):
        for name, src in trees.items():
            r = run_child(src, args.limit, args.passes)
            runs[name].append(r)
            print(f"  round {rnd + 1} {name:10} mean {r['mean_ms']:.2f}  median {r['median_ms']:.2f}  "
                  f"dates stage {r['dates_mean_ms']:.2f}  ({int(r['clusters'])} clusters)")
    medians = {name: statistics.median(r["mean_ms"] for r in rs) for name, rs in runs.items()}
    for name, m in medians.items():
        dates = statistics.median(r["dates_mean_ms"] for r in runs[name])
        print(f"{name:10} median over rounds of the mean: select {m:.2f} ms per cluster, dates stage {dates:.2f}")
    if "baseline" in medians:
        print(f"this tree / baseline: {medians['this tree'] / medians['baseline']:.3f}")


if __name__ == "__main__":
    main()
