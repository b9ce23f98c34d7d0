"""How each stage's time grows with its input: 1x, 2x, 4x, 8x, and the growth exponent.

Run from the repository root:  .venv/bin/python benchmarks/bench_scaling.py [--quick] [--json FILE]

Workloads (real text from ``../shared/data/abmusu/test-inputs.jsonl``, plus the synthetic
shapes of issue 8 §3), each scaled by k = 1, 2, 4, 8:

- ``pile``: k x 40 distinct real articles in one cluster (a pile digested without ``--split``);
- ``long article``: one article of k x 12 real articles' paragraphs;
- ``one line``: the same article with its paragraphs joined into one line (as scrapers write it);
- ``periods`` (k x 5,000 dots), ``figures`` (k x 1,000 ``khoảng N,5 giờ.``), ``entities``
  (k x 2,000 ``Ông Nguyễn Văn X nói.``), ``dates`` (k x 1,260 date expressions): one article each.

For every stage — read (JSON Lines -> articles), clean, dedup, segment, language check,
select, and each extract part (timeline, entities, quotes, figures) — the best of ``--repeat``
runs is printed with the exponent b of time ~ size^b (least squares on log-log over the points
that took >= 5 ms; 1.0 is linear, 2.0 quadratic). Stages run through ``pipeline.process`` with
the article cap lifted and a per-cluster budget of ``--budget`` seconds: a stage the budget
cut is shown as ``>N`` and its workload stops growing. The machine is shared: the exponent
compares points measured in the same run, so contention affects it less than absolute times,
but small times are noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diemtin.dates import clear_cache
from diemtin.ingest.read import read_inputs
from diemtin.options import DigestOptions
from diemtin.pipeline import COMPONENTS, process

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FACTORS = (1, 2, 4, 8)
MIN_MS = 5.0  # points faster than this are noise for the exponent
STAGES = ("read", *(c.stat_key.removesuffix("_ms") for c in COMPONENTS))


def real_articles(n: int) -> list[dict[str, str]]:
    path = DATA / "abmusu" / "test-inputs.jsonl"
    if not path.exists():
        sys.exit(f"needs {path}")
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            for doc in json.loads(line)["single_documents"]:
                text = (doc.get("raw_text") or "").strip()
                if text and text[:200] not in seen:
                    seen.add(text[:200])
                    out.append({"title": doc.get("title", "").strip(), "text": text})
                    if len(out) >= n:
                        return out
    return out


def workloads(pool: list[dict[str, str]]) -> dict[str, Callable[[int], list[dict[str, str]]]]:
    rng = random.Random(7)

    def paragraphs(k: int) -> list[str]:
        return [p for a in pool[: 12 * k] for p in a["text"].split("\n") if p.strip()]

    return {
        "pile": lambda k: pool[: 40 * k],
        "long article": lambda k: [{"title": pool[0]["title"], "text": "\n".join(paragraphs(k))}],
        "one line": lambda k: [{"title": pool[0]["title"], "text": " ".join(paragraphs(k))}],
        "periods": lambda k: [{"title": "Tin", "text": "Ông A nói" + "." * (5_000 * k)}],
        "figures": lambda k: [{"title": "Tin", "text": " ".join(
            f"Cuộc họp kéo dài khoảng {rng.randint(1, 99)},5 giờ." for _ in range(1_000 * k))}],
        "entities": lambda k: [{"title": "Tin", "text": " ".join(
            f"Ông Nguyễn Văn {chr(65 + i % 26)}{i} nói." for i in range(2_000 * k))}],
        "dates": lambda k: [{"title": "Tin", "text": " ".join(
            f"Ngày {1 + i % 28}/{1 + i % 12}, đoàn phim công bố phần {i}." for i in range(1_260 * k))}],
    }


def measure(records: list[dict[str, str]], options: DigestOptions, tmp: Path) -> tuple[dict[str, float], set[str]]:
    """Stage -> ms for one run, and the stages the budget cut."""
    path = tmp / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    clear_cache()  # the best of the repeats must not be a repeat served from the sentence cache
    t = time.perf_counter()
    [cluster] = read_inputs([path], max_article_bytes=options.max_article_bytes)
    times = {"read": (time.perf_counter() - t) * 1000}
    process(cluster, options=options)
    stats = cluster.digest.stats if cluster.digest else {}
    for key, value in stats.items():
        if key.endswith("_ms") and key != "extract_ms":
            times[key.removesuffix("_ms")] = float(value)
    over = {p.stage for p in cluster.problems if "thời gian" in p.message}  # skipped past the budget
    return times, {c.stat_key.removesuffix("_ms") for c in COMPONENTS if c.name in over}


def exponent(sizes: list[float], times: list[float]) -> float | None:
    pts = [(math.log(s), math.log(t)) for s, t in zip(sizes, times, strict=True) if t >= MIN_MS]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def run(names: list[str], factors: tuple[int, ...], repeat: int, budget: float) -> dict[str, Any]:
    options = DigestOptions(max_article_bytes=1 << 30, cluster_time_budget_s=budget)
    pool = real_articles(40 * max(factors) + 20)
    loads = workloads(pool)
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        measure(loads["pile"](1), options, tmp)  # warm caches and lazy imports
        for name in names:
            rows: dict[str, list[float]] = {}
            cut_at: dict[str, int] = {}
            sizes: list[float] = []
            for k in factors:
                records = loads[name](k)
                best: dict[str, float] = {}
                cut: set[str] = set()
                for _ in range(repeat):
                    times, cut = measure(records, options, tmp)
                    for stage, ms in times.items():
                        best[stage] = min(best.get(stage, math.inf), ms)
                    if cut:
                        break
                sizes.append(sum(len(r["text"]) for r in records))
                for stage in STAGES:
                    rows.setdefault(stage, []).append(best.get(stage, 0.0))
                    if stage in cut:
                        cut_at.setdefault(stage, k)
                print(f"  {name} {k}x: {sizes[-1]:,} chars, {sum(best.get(s, 0) for s in STAGES) / 1000:.1f} s",
                      file=sys.stderr)
                if cut:
                    break
            result[name] = {
                "sizes": sizes,
                "stages": {
                    s: {"ms": rows[s], "exponent": exponent(sizes[: len(rows[s])], rows[s]), "cut_at": cut_at.get(s)}
                    for s in STAGES
                },
            }
    return result


def table(result: dict[str, Any], factors: tuple[int, ...]) -> str:
    lines = []
    for name, r in result.items():
        lines.append(f"\n{name}  (1x = {r['sizes'][0]:,} characters)")
        lines.append(f"  {'stage':<18}" + "".join(f"{f'{k}x ms':>11}" for k in factors) + f"{'exponent':>10}")
        for stage, s in r["stages"].items():
            cells = []
            for i, _ in enumerate(factors):
                if i >= len(s["ms"]):
                    cells.append(f"{'-':>11}")
                else:
                    mark = ">" if s["cut_at"] is not None and i == len(s["ms"]) - 1 else ""
                    cells.append(f"{mark + format(s['ms'][i], '.1f'):>11}")
            b = s["exponent"]
            lines.append(f"  {stage:<18}" + "".join(cells) + f"{'~' if b is None else format(b, '.2f'):>10}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", default=None, help="comma-separated subset (default: all)")
    ap.add_argument("--quick", action="store_true", help="1x, 2x, 4x only, one repeat")
    ap.add_argument("--repeat", type=int, default=2, help="runs per point; the best is kept")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per run before stages are cut")
    ap.add_argument("--json", default=None, help="also write the numbers here")
    args = ap.parse_args()
    factors = FACTORS[:3] if args.quick else FACTORS
    names = args.workloads.split(",") if args.workloads else list(workloads([{"title": "", "text": ""}]))
    result = run(names, factors, 1 if args.quick else args.repeat, args.budget)
    print(table(result, factors))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
