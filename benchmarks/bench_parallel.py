"""Speed-up of ``diemtin digest --jobs N`` on the 300 AbMuSu test clusters.

Run from the repository root:
    .venv/bin/python benchmarks/bench_parallel.py                 # jobs 1 and 2, all parts
    .venv/bin/python benchmarks/bench_parallel.py --limit 60 --dask

Times ``diemtin.app.parallel.digest_clusters`` (what the CLI runs) over fresh copies of the
clusters read once (reading is not timed; pool start-up is). Every run's output is checked
to be identical to the one-job run (the per-stage ``*_ms`` timings aside). ``--dask`` adds a
run on a two-worker Dask ``LocalCluster`` on 127.0.0.1 (needs the ``[dask]`` extra; its
start-up is not timed, as an existing cluster's would not be).

First, a calibration: the same pool running a pure-Python loop, 1 vs 2 processes. It says
how much parallelism the machine really gives (a shared or throttled VM may give 2 CPUs
but one core's worth of time); read the digest speed-up against it.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from diemtin import render
from diemtin.app.parallel import digest_clusters
from diemtin.ingest.read import read_inputs
from diemtin.model import Cluster
from diemtin.options import DigestOptions

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "abmusu" / "test-inputs.jsonl"


def comparable(clusters: list[Cluster]) -> list[dict[str, Any]]:
    out = []
    for c in clusters:
        d = render.to_dict(c)
        d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("_ms")}
        out.append(d)
    return out


def spin(n: int = 20_000_000) -> int:
    x = 0
    for i in range(n):
        x += i
    return x


def calibrate() -> float:
    """Speed-up of 2 processes over 1 on 4 equal CPU-bound tasks."""
    from concurrent.futures import ProcessPoolExecutor

    times = []
    for jobs in (1, 2):
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(spin, [1000] * jobs))  # start the workers before timing
            t = time.perf_counter()
            list(pool.map(spin, [20_000_000] * 4))
            times.append(time.perf_counter() - t)
    return times[0] / times[1]


def run(raw: list[Cluster], jobs: int, scheduler: str | None = None) -> tuple[float, list[dict[str, Any]]]:
    clusters = copy.deepcopy(raw)
    t = time.perf_counter()
    done = [c for group in digest_clusters(
        clusters, DigestOptions(words=200), jobs=jobs, scheduler=scheduler) for c in group]
    return time.perf_counter() - t, comparable(done)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dask", action="store_true", help="Also run on a local two-worker Dask cluster.")
    ns = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"shared data not found at {DATA}")
    raw = read_inputs([DATA])[: ns.limit]
    print(f"{len(raw)} clusters, {sum(len(c.articles) for c in raw)} articles, {os.cpu_count()} CPUs")
    print(f"calibration: a pure CPU loop runs {calibrate():.2f}x faster on 2 processes than on 1")
    base_s, base = run(raw, 1)
    rows = [("jobs=1", base_s, True)]
    for jobs in ns.jobs:
        if jobs != 1:
            s, out = run(raw, jobs)
            rows.append((f"jobs={jobs}", s, out == base))
    if ns.dask:
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as lc:
            s, out = run(raw, 1, scheduler=lc.scheduler_address)
            rows.append(("dask 2 workers", s, out == base))
    print(f"{'run':16} {'seconds':>8} {'speed-up':>8} {'clusters/s':>10}  same output")
    for name, s, same in rows:
        print(f"{name:16} {s:8.2f} {base_s / s:8.2f} {len(raw) / s:10.1f}  {same}")
    print(json.dumps({name: round(s, 2) for name, s, _ in rows}))


if __name__ == "__main__":
    main()
