"""Speed of the diemtin digest vs sumy LexRank on the 300 AbMuSu test clusters, and peak memory.

Run from the repository root:  .venv/bin/python benchmarks/bench_digest.py [--limit N]

Per cluster, in one process, one after the other on the same raw cluster:
- ``diemtin summary``: ``pipeline.process(cluster, words, parts=("summary",))``
  (clean, dedup, segment, language check, mixed-pile check, date layer, select);
- ``diemtin all parts``: the same with timeline/entities/quotes/figures (if ``diemtin.extract``
  exists): the whole digest a user gets, short of rendering; its per-stage times are printed;
- ``lexrank (sumy)``: the same clean + segment, then sumy LexRank on our syllables filling the
  same budget (``diemtin.evaluation.baselines.lexrank``), so both rows pay the same cleaning and
  segmentation (diemtin's rows also pay dedup, the checks and the date layer).
The issue's target is LexRank / all parts (printed with the summary's ratio).
Reading the JSONL is timed once and excluded from per-cluster times; so is the deepcopy that gives
every system a fresh raw cluster. Selection-only times (diemtin ``select_ms`` vs LexRank ranking)
are reported too. Peak memory: process max RSS (getrusage) after the timed run, plus a separate
tracemalloc pass (it slows code down, so it is kept out of the timings).

Results: a table on stdout and JSON in ``benchmarks/results/`` (not committed; see README).
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from diemtin.clean.cleaner import clean_cluster
from diemtin.dates import clear_cache
from diemtin.evaluation.baselines import lexrank_stock, units
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster
from diemtin.pipeline import ALL_PARTS, process
from diemtin.segment.sentences import segment_article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "abmusu" / "test-inputs.jsonl"
RESULTS = ROOT / "benchmarks" / "results"
ALL = "diemtin all parts"


def has_extract() -> bool:
    try:
        import diemtin.extract  # noqa: F401
    except ImportError:
        return False
    return True


def run_diemtin(parts: tuple[str, ...], words: int) -> Callable[[Cluster], dict[str, float]]:
    def run(raw: Cluster) -> dict[str, float]:
        done = process(raw, words=words, parts=parts)
        stats = done.digest.stats if done.digest else {}
        # every stage's time (the pipeline records them), for the per-stage table
        return {k: float(v) for k, v in stats.items() if k.endswith("_ms") and k != "extract_ms"}

    return run


def run_lexrank(words: int) -> Callable[[Cluster], dict[str, float]]:
    def run(raw: Cluster) -> dict[str, float]:
        # The pipeline's own preprocessing (clean, segment, drop empty articles), then LexRank.
        clean_cluster(raw)
        for a in raw.articles:
            segment_article(a)
        raw.articles = [a for a in raw.articles if a.sentences]
        t = time.perf_counter()
        lexrank_stock(raw, words)  # stock sumy, not the numpy-accelerated eval variant
        return {"select_ms": (time.perf_counter() - t) * 1000}

    return run


def n_sentences(raw: Cluster) -> int:
    c = copy.deepcopy(raw)
    clean_cluster(c)
    for a in c.articles:
        segment_article(a)
    return len(units(c))


def describe(ms: list[float]) -> dict[str, float]:
    return {
        "mean_ms": statistics.fmean(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": float(np.percentile(ms, 95)),
        "max_ms": max(ms),
        "total_s": sum(ms) / 1000,
    }


def growth(sizes: list[int], ms: list[float]) -> dict[str, Any]:
    """How time grows with sentences: linear slope, log-log exponent, and size buckets."""
    x, y = np.asarray(sizes, float), np.asarray(ms, float)
    slope, intercept = np.polyfit(x, y, 1)
    ok = (x > 0) & (y > 0)
    exponent = float(np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)[0])
    edges = [0, 50, 100, 150, 250, 10**9]
    buckets = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        sel = [m for s, m in zip(sizes, ms, strict=True) if lo <= s < hi]
        if sel:
            label = f"{lo}-{hi - 1}" if hi < 10**9 else f"{lo}+"
            buckets.append({"sentences": label, "clusters": len(sel), "mean_ms": statistics.fmean(sel)})
    return {
        "ms_per_sentence": float(slope),
        "intercept_ms": float(intercept),
        "loglog_exponent": exponent,
        "buckets": buckets,
    }


def synthetic_cluster(clusters: list[Cluster], n: int = 10) -> Cluster:
    """Ten real articles (the first ones of the test set, several stories) as one cluster."""
    arts: list[Article] = []
    for c in clusters:
        for a in c.articles:
            if len(arts) < n:
                arts.append(copy.deepcopy(a))
    for i, a in enumerate(arts):
        a.id = f"syn-{i}"
    return Cluster(id="synthetic-10", articles=arts)


def time_warm(fn: Callable[[Cluster], dict[str, float]], raw: Cluster, repeats: int = 7) -> tuple[float, float]:
    """Median wall and CPU ms of ``repeats`` runs after one warm-up run."""
    fn(copy.deepcopy(raw))  # warm-up: imports, regex compilation, caches
    wall, cpu = [], []
    for _ in range(repeats):
        c = copy.deepcopy(raw)
        clear_cache()  # warm code, not a repeat of the same sentences served from the cache
        t, tc = time.perf_counter(), time.process_time()
        fn(c)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - tc) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def peak_traced(fn: Callable[[Cluster], dict[str, float]], raws: list[Cluster]) -> float:
    """Largest tracemalloc peak (MiB) over the given clusters."""
    peaks = []
    for raw in raws:
        c = copy.deepcopy(raw)
        gc.collect()
        tracemalloc.start()
        fn(c)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return max(peaks) / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, help="only the first N clusters (quick check)")
    ap.add_argument("--words", type=int, default=200)
    ap.add_argument("--out", type=Path, help="JSON path (default benchmarks/results/bench_digest-<time>.json)")
    ns = ap.parse_args(argv)
    if not ns.data.exists():
        print(f"data not found: {ns.data} (expected ../shared/data next to the repo)", file=sys.stderr)
        return 2

    t = time.perf_counter()
    clusters = read_inputs([ns.data])
    read_s = time.perf_counter() - t
    if ns.limit:
        clusters = clusters[: ns.limit]

    systems: dict[str, Callable[[Cluster], dict[str, float]]] = {
        "diemtin summary": run_diemtin(("summary",), ns.words),
    }
    if has_extract():
        systems[ALL] = run_diemtin(ALL_PARTS, ns.words)
    systems["lexrank (sumy)"] = run_lexrank(ns.words)

    sizes = [n_sentences(c) for c in clusters]
    for fn in systems.values():  # warm every system once so imports are not billed to cluster 0
        fn(copy.deepcopy(clusters[0]))
    times: dict[str, list[float]] = {k: [] for k in systems}
    cpu: dict[str, list[float]] = {k: [] for k in systems}
    load_before = os.getloadavg()
    select: dict[str, list[float]] = {k: [] for k in systems}
    stages: dict[str, list[float]] = {}  # stage -> ms per cluster, in the all-parts run
    from tqdm import tqdm

    for raw in tqdm(clusters, desc="bench", unit="cluster", file=sys.stderr):
        for name, fn in systems.items():
            c = copy.deepcopy(raw)  # fresh raw cluster; the copy is not timed
            clear_cache()  # nor served from the sentences the previous system parsed
            t, tc = time.perf_counter(), time.process_time()
            extra = fn(c)
            times[name].append((time.perf_counter() - t) * 1000)
            cpu[name].append((time.process_time() - tc) * 1000)
            select[name].append(extra.get("select_ms", 0.0))
            if name == ALL:
                for k, v in extra.items():
                    stages.setdefault(k.removesuffix("_ms"), []).append(v)
                stages.setdefault("(outside stages)", []).append(times[name][-1] - sum(extra.values()))
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    total_sentences = sum(sizes)
    rows: dict[str, Any] = {}
    for name in systems:
        d = describe(times[name])
        d["sentences_per_s"] = total_sentences / d["total_s"]
        d["cpu"] = describe(cpu[name])
        d["select_only"] = describe(select[name])
        d["growth"] = growth(sizes, times[name])
        rows[name] = d

    largest = [clusters[i] for i in np.argsort(sizes)[-10:]]
    traced = {name: peak_traced(fn, largest) for name, fn in systems.items()}

    syn = synthetic_cluster(clusters)
    syn_sentences = n_sentences(syn)
    warm_both = {name: time_warm(fn, syn) for name, fn in systems.items()}
    warm = {name: w for name, (w, _) in warm_both.items()}
    warm_cpu = {name: c for name, (_, c) in warm_both.items()}
    load_after = os.getloadavg()

    base = "diemtin summary"
    lex = "lexrank (sumy)"
    result = {
        "data": str(ns.data),
        "clusters": len(clusters),
        "sentences": {"total": total_sentences, "mean": statistics.fmean(sizes), "max": max(sizes)},
        "words": ns.words,
        "read_s": round(read_s, 3),
        "timing_note": "per-cluster times include clean+segment(+select/extract), exclude JSONL reading "
        "(read_s, once for all clusters) and the deepcopy of the raw cluster",
        "systems": rows,
        "ratio_lexrank_over_diemtin_mean": rows[lex]["mean_ms"] / rows[base]["mean_ms"],
        "ratio_lexrank_over_diemtin_median": rows[lex]["median_ms"] / rows[base]["median_ms"],
        # the target: the whole digest (every part) against LexRank's summary alone
        **({
            "ratio_lexrank_over_all_parts_mean": rows[lex]["mean_ms"] / rows[ALL]["mean_ms"],
            "ratio_lexrank_over_all_parts_median": rows[lex]["median_ms"] / rows[ALL]["median_ms"],
            "ratio_lexrank_over_all_parts_cpu_mean": rows[lex]["cpu"]["mean_ms"] / rows[ALL]["cpu"]["mean_ms"],
        } if ALL in rows else {}),
        "all_parts_stages_mean_ms": {k: statistics.fmean(v) for k, v in stages.items()},
        "peak_memory": {"max_rss_mib": max_rss_mib, "tracemalloc_peak_mib_largest10": traced},
        "synthetic_10_articles": {
            "sentences": syn_sentences,
            "warm_median_ms": warm,
            "warm_median_cpu_ms": warm_cpu,
            "lexrank_over_diemtin": warm[lex] / warm[base],
            "lexrank_over_diemtin_cpu": warm_cpu[lex] / warm_cpu[base],
            "target": "diemtin summary <= 100 ms and >= 5x faster than LexRank",
            "met_wall": warm[base] <= 100 and warm[lex] / warm[base] >= 5,
            "met_cpu": warm_cpu[base] <= 100 and warm_cpu[lex] / warm_cpu[base] >= 5,
        },
        "load_average": {"before": load_before, "after": load_after, "cpus": os.cpu_count()},
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
    }

    print(format_report(result))
    out = ns.out or RESULTS / f"bench_digest-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


def format_report(r: dict[str, Any]) -> str:
    s = r["sentences"]
    lines = [
        f"{r['clusters']} clusters from {r['data']}; {s['total']} sentences "
        f"(mean {s['mean']:.0f}, max {s['max']}); budget {r['words']} syllables; "
        f"reading all: {r['read_s']:.2f} s (not in per-cluster times)",
        "",
        f"{'system':<18} {'mean ms':>8} {'median':>8} {'p95':>8} {'max':>8} {'cpu mean':>8} {'sent/s':>8}  "
        f"{'select mean':>11} {'ms/sent':>8} {'exp':>5}",
    ]
    for name, d in r["systems"].items():
        g = d["growth"]
        lines.append(
            f"{name:<18} {d['mean_ms']:8.1f} {d['median_ms']:8.1f} {d['p95_ms']:8.1f} {d['max_ms']:8.1f} "
            f"{d['cpu']['mean_ms']:8.1f} {d['sentences_per_s']:8.0f}  {d['select_only']['mean_ms']:11.1f} "
            f"{g['ms_per_sentence']:8.3f} {g['loglog_exponent']:5.2f}"
        )
    lines.append(
        f"LexRank / diemtin summary: {r['ratio_lexrank_over_diemtin_mean']:.1f}x (mean), "
        f"{r['ratio_lexrank_over_diemtin_median']:.1f}x (median)"
    )
    if "ratio_lexrank_over_all_parts_mean" in r:
        lines.append(
            f"LexRank / diemtin all parts: {r['ratio_lexrank_over_all_parts_mean']:.1f}x (mean), "
            f"{r['ratio_lexrank_over_all_parts_median']:.1f}x (median), "
            f"{r['ratio_lexrank_over_all_parts_cpu_mean']:.1f}x (cpu mean)"
        )
    if r.get("all_parts_stages_mean_ms"):
        lines.append("")
        lines.append("diemtin all parts, mean ms per cluster by stage (wall; outside stages: the mixed-pile")
        lines.append("check, the stats, the pipeline's bookkeeping):")
        for k, v in sorted(r["all_parts_stages_mean_ms"].items(), key=lambda kv: -kv[1]):
            lines.append(f"  {k:<20} {v:7.2f}")
    lines.append("")
    lines.append("mean ms by cluster size (sentences):")
    names = list(r["systems"])
    buckets = [b["sentences"] for b in r["systems"][names[0]]["growth"]["buckets"]]
    lines.append(f"  {'sentences':<10} {'clusters':>8} " + " ".join(f"{n:>18}" for n in names))
    for i, label in enumerate(buckets):
        row = [r["systems"][n]["growth"]["buckets"][i] for n in names]
        lines.append(f"  {label:<10} {row[0]['clusters']:>8} " + " ".join(f"{b['mean_ms']:18.1f}" for b in row))
    m = r["peak_memory"]
    lines.append("")
    lines.append(f"peak RSS of the whole run: {m['max_rss_mib']:.0f} MiB")
    lines.append(
        "tracemalloc peak, largest 10 clusters: "
        + ", ".join(f"{k} {v:.1f} MiB" for k, v in m["tracemalloc_peak_mib_largest10"].items())
    )
    syn = r["synthetic_10_articles"]
    lines.append(f"synthetic 10-article cluster ({syn['sentences']} sentences), warm median wall (cpu) ms:")
    for k, v in syn["warm_median_ms"].items():
        lines.append(f"  {k:<18} {v:8.1f} ({syn['warm_median_cpu_ms'][k]:.1f})")
    lines.append(
        f"  LexRank/diemtin {syn['lexrank_over_diemtin']:.1f}x wall, {syn['lexrank_over_diemtin_cpu']:.1f}x cpu; "
        f"target (<= 100 ms, >= 5x) met: wall {syn['met_wall']}, cpu {syn['met_cpu']}"
    )
    la = r["load_average"]
    lines.append(
        f"load average before/after: {la['before'][0]:.1f}/{la['after'][0]:.1f} on {la['cpus']} CPUs "
        "(wall times inflate when the load exceeds the CPU count; cpu times do not)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
