"""Per-stage time of the digest, to check "the structured parts add at most 2x to digest time".

Run from the repository root:  .venv/bin/python benchmarks/bench_extract.py [--n 50] [--profile]

For the seed cluster, the first N AbMuSu test clusters and the first N ViMs dev clusters, each
cluster is processed twice in-process on fresh copies of the raw cluster (the first run warms
caches and lazy imports) and the second run's ``clean_ms``/``segment_ms``/``select_ms``/
``extract_ms`` (and the ``extract_*_ms`` breakdown, if present) from ``cluster.digest.stats``
are reported. The target: ``extract_ms <= 2 * (clean_ms + segment_ms + select_ms)``, on average
and on the seed cluster. ``--profile`` prints a cProfile of extract on all clusters.

``--scale`` measures growth instead: one article holding 1,260 x k date expressions (k = 1,
2, 4, 8: 10,080 at 8x) for dates + timeline, and 1,000 x k figures ``khoảng N,5 giờ.`` (8,000
at 8x) for dates + figures, with the growth exponent (log-log slope; 1.0 is linear).
``--baseline SRC`` runs the same measurement on another source tree (e.g. a ``git archive``
of main) in a subprocess, printed side by side; ``--base-factors`` limits its factors (the
quadratic baseline takes minutes at 8x).
``--entities`` times who's who and quotes alone (issue 8 §3, issue 9), in CPU seconds of the one
process (steadier than wall time on a shared machine): (1) growth on one article of N sentences
``Ông Nguyễn Văn X nói.`` (distinct names) at 1x, 2x, 4x, 8x of ``--sentences`` (default
2,000 -> 16,000) with the growth exponent (1.0 = linear); (2) growth on a pile of real articles
(the AbMuSu test articles as one cluster, ``--pile`` x 1, 2, 4, 8); (3) the total on the 300
AbMuSu test clusters (prepared once by clean + segment). ``--baseline-src DIR`` runs the same
measurement on another checkout's ``src`` in a subprocess, interleaved with ours, so the two
are measured in the same run (times are noisy on a shared machine: compare side by side).
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import itertools
import json
import math
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from diemtin.ingest.read import read_inputs
from diemtin.model import Cluster
from diemtin.options import DigestOptions
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
    # The pipeline records every stage's time, the extract parts included (extract_<part>_ms).
    return {k: float(v) for k, v in (done.digest.stats if done.digest else {}).items() if k.endswith("_ms")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--factors", default="1,2,4,8")
    ap.add_argument("--baseline", help="another src/ tree to measure the same way, side by side")
    ap.add_argument("--base-factors", default="1,2")
    ap.add_argument("--scale-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cost-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--entities", action="store_true", help="who's who / quotes growth and 300-cluster time")
    ap.add_argument("--sentences", type=int, default=2000, help="1x size of the growth test")
    ap.add_argument("--baseline-src", help="another checkout's src/ measured in the same run")
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds (median reported)")
    ap.add_argument("--pile", type=int, default=100, help="1x articles of the pile growth test")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one measurement, as JSON
    args = ap.parse_args()
    if args.entities:
        entities_bench(args)
        return
    if args.cost_child:
        print(json.dumps(cost_times(args.n)))
        return
    if args.scale_child:
        print(json.dumps(scale_times([int(f) for f in args.factors.split(",")])))
        return
    if args.scale:
        scale_report(args)
        if args.baseline:
            cost_report(args)
        return
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
        if "dates_ms" in mean:  # the dates stage (run by the pipeline before extract) serves timeline+figures
            parts = {"dates": mean["dates_ms"], **parts}
        print(f"{name:8} {len(rows):>3} {mean['clean_ms']:>7.1f} {mean['segment_ms']:>7.1f} "
              f"{mean['select_ms']:>7.1f} {base:>7.1f} {mean.get('extract_ms', 0.0):>7.1f} "
              f"{mean.get('extract_ms', 0.0) / base:>6.2f}  "
              + " ".join(f"{k}={v:.1f}" for k, v in parts.items())
              + f"  (median per-cluster ratio {statistics.median(ratios):.2f}, max {max(ratios):.2f})")


def profile(sets: dict[str, list[Cluster]]) -> None:
    from diemtin.pipeline import plan

    extract_parts = [c for c in plan(("timeline", "entities", "quotes", "figures")) if c.part != "summary"]
    ready = [process(copy.deepcopy(c), parts=("summary",)) for clusters in sets.values() for c in clusters]
    prof = cProfile.Profile()
    prof.enable()
    for c in ready:
        for component in extract_parts:
            component.run(c, DigestOptions())
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(40)


# --- growth at 1x, 2x, 4x, 8x input -------------------------------------------------------------

_DATE_FORMS = [
    "Ngày {d}/{m}, đoàn {i} đến thăm tỉnh {p}.", "Hôm {d}-{m}-{y}, hội nghị {i} khai mạc ở {p}.",
    "Cuối tháng {m}/{y}, nhà máy {i} ngừng sản xuất.", "Năm {y}, công ty {i} mở chi nhánh tại {p}.",
    "Sáng {d}/{m}, tòa xét xử vụ án số {i}.", "Cùng ngày, đội {i} về tới {p}.",
    "Trước đó, tháng {m}, dự án {i} được duyệt.", "Hôm qua, ủy ban {i} họp bất thường.",
    "Tuần tới, đoàn {i} sẽ sang {p}.", "Từ ngày {d} đến {d2}/{m}, lễ hội {i} diễn ra.",
    "{n} năm sau, cây cầu {i} được khánh thành.", "Thứ Hai ({d}/{m}), trường {i} khai giảng.",
]
_PLACES = ["Hà Nội", "Huế", "Cần Thơ", "Đà Nẵng", "Lào Cai", "Cà Mau", "Vinh"]
DATE_UNIT = 1260  # expressions at 1x: 10,080 at 8x
FIGURE_UNIT = 1000  # figures at 1x: 8,000 at 8x


def _date_text(n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        form = _DATE_FORMS[i % len(_DATE_FORMS)]
        out.append(form.format(d=rnd.randint(1, 28), d2=rnd.randint(1, 28), m=rnd.randint(1, 12),
                               y=rnd.randint(1990, 2024), n=rnd.randint(2, 9), i=i, p=rnd.choice(_PLACES)))
    return " ".join(out)


def _figure_text(n: int) -> str:
    return " ".join(f"khoảng {i % 97 + 1},5 giờ." for i in range(n))


def scale_times(factors: list[int]) -> dict[str, list[float]]:
    """Seconds for dates + timeline and dates + figures at each factor (this process's tree)."""
    from diemtin.model import Article
    from diemtin.segment.sentences import segment_article

    try:
        from diemtin.dates import find_dates
    except ImportError:  # a tree without the dates stage: extractors find dates themselves
        def find_dates(cluster):  # type: ignore[no-redef]
            return cluster
    from diemtin.extract.figures import extract_figures
    from diemtin.extract.timeline import extract_timeline

    out: dict[str, list[float]] = {"timeline": [], "figures": []}
    # a new seed per factor: the dates stage caches sentences it has seen, and a longer text
    # sharing the shorter one's sentences would be measured half from the cache
    makers = (("timeline", lambda n, k: _date_text(n, seed=k), DATE_UNIT, extract_timeline),
              ("figures", lambda n, k: _figure_text(n), FIGURE_UNIT, extract_figures))
    for part, make, unit, run in makers:
        for k in factors:
            article = Article(id="big", title="Bài dài", text=make(unit * k, k), published="2016-05-20")
            segment_article(article)
            cluster = Cluster(id="scale", articles=[article])
            t = time.perf_counter()
            find_dates(cluster)
            run(cluster)
            out[part].append(time.perf_counter() - t)
    return out


def _exponent(factors: list[int], secs: list[float]) -> float:
    if len(factors) < 2 or min(secs) <= 0:
        return float("nan")
    return math.log(secs[-1] / secs[0]) / math.log(factors[-1] / factors[0])


def _child(src: str, factors: list[int]) -> dict[str, list[float]]:
    env = dict(os.environ, PYTHONPATH=src)
    cmd = [sys.executable, __file__, "--scale-child", "--factors", ",".join(map(str, factors))]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cost_times(n: int) -> dict[str, float]:
    """Mean CPU ms per cluster of dates (if the tree has the stage) + timeline + figures, on
    prepared clusters (seed, N AbMuSu, N ViMs); the best of 3 passes. CPU time, not wall time:
    the machine is shared."""
    from diemtin.pipeline import prepare

    try:
        from diemtin.dates import find_dates
    except ImportError:
        def find_dates(cluster):  # type: ignore[no-redef]
            return cluster
    from diemtin.extract.figures import extract_figures
    from diemtin.extract.timeline import extract_timeline

    clusters = [c for cs in load(n).values() for c in cs]
    for c in clusters:
        prepare(c)
    best: dict[str, float] = {}
    for _ in range(3):
        tot = {"dates": 0.0, "timeline": 0.0, "figures": 0.0}
        for c in clusters:
            fresh = copy.deepcopy(c)
            t0 = time.process_time()
            find_dates(fresh)
            t1 = time.process_time()
            extract_timeline(fresh)
            t2 = time.process_time()
            extract_figures(fresh)
            t3 = time.process_time()
            tot["dates"] += t1 - t0
            tot["timeline"] += t2 - t1
            tot["figures"] += t3 - t2
        for k, v in tot.items():
            best[k] = min(best.get(k, math.inf), v * 1000 / len(clusters))
    best["total"] = best["dates"] + best["timeline"] + best["figures"]
    best["clusters"] = len(clusters)
    return best


def cost_report(args: argparse.Namespace) -> None:
    """Per-cluster cost on real clusters, this tree and the baseline alternated twice."""
    print(f"per cluster (mean CPU ms, best of 3), seed + {args.n} AbMuSu + {args.n} ViMs, runs alternated:")
    for rnd in range(3):
        for name, src in (("this tree", str(ROOT / "src")), ("baseline", args.baseline)):
            env = dict(os.environ, PYTHONPATH=src)
            cmd = [sys.executable, __file__, "--cost-child", "--n", str(args.n)]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  round {rnd + 1} {name:10} dates={r['dates']:.2f} timeline={r['timeline']:.2f} "
                  f"figures={r['figures']:.2f} total={r['total']:.2f} ({r['clusters']} clusters)")


def scale_report(args: argparse.Namespace) -> None:
    factors = [int(f) for f in args.factors.split(",")]
    runs = [("this tree", factors, _child(str(ROOT / "src"), factors))]
    if args.baseline:
        base_factors = [int(f) for f in args.base_factors.split(",")]
        runs.append((f"baseline {args.baseline}", base_factors, _child(args.baseline, base_factors)))
    for part, unit, what in (("timeline", DATE_UNIT, "date expressions"), ("figures", FIGURE_UNIT, "figures")):
        print(f"{part}: dates stage + {part} on one article, {unit} {what} at 1x")
        for name, fs, res in runs:
            cells = "  ".join(f"{k}x({unit * k})={s:.2f}s" for k, s in zip(fs, res[part], strict=True))
            print(f"  {name:40} {cells}  exponent={_exponent(fs, res[part]):.2f}")


# --- who's who / quotes growth ------------------------------------------------------------

_ONSETS = "B C D G H K L M N Ph Qu S T Th Tr V X Kh Ng Nh Đ".split()
_RIMES = "a ai an ang anh ao at âm ân ấn ơn ương iên iêu inh oa oan oanh ong ông uân uy ươc".split()


def _names_article(n: int) -> str:
    """n sentences "Ông Nguyễn Văn X nói." with distinct (generated) given names."""
    given = [o + r for o, r in itertools.product(_ONSETS, _RIMES)]
    out = []
    for i in range(n):
        x = given[i % len(given)] + ("" if i < len(given) else " " + given[(i // len(given)) % len(given)])
        out.append(f"Ông Nguyễn Văn {x} nói.")
    return " ".join(out)


def _measure_entities(sentences: int, pile_size: int) -> dict[str, float]:
    """One measurement in this interpreter (whatever ``diemtin`` is on the path)."""
    from diemtin.extract.entities import extract_entities
    from diemtin.extract.quotes import extract_quotes
    from diemtin.model import Article
    from diemtin.segment.sentences import segment_article

    clock = time.process_time
    out: dict[str, float] = {}
    for k in (1, 2, 4, 8):
        c = Cluster(id="grow", articles=[Article(id="a", text=_names_article(sentences * k))])
        segment_article(c.articles[0])
        t0 = clock()
        ents = extract_entities(c)
        out[f"grow_{k}x_entities_s"] = clock() - t0
        t0 = clock()
        extract_quotes(c, ents)
        out[f"grow_{k}x_quotes_s"] = clock() - t0
    abm = DATA / "abmusu" / "test-inputs.jsonl"
    if abm.exists():
        ready = [process(c, parts=("summary",)) for c in read_inputs(str(abm))]
        extract_entities(ready[0])
        te = tq = 0.0
        for c in ready:
            t0 = clock()
            ents = extract_entities(c)
            te += clock() - t0
            t0 = clock()
            extract_quotes(c, ents)
            tq += clock() - t0
        out.update(abmusu_entities_s=te, abmusu_quotes_s=tq, abmusu_clusters=len(ready))
        articles = [a for c in ready for a in c.distinct_articles]
        if len(articles) < pile_size * 8:
            raise SystemExit(f"--pile {pile_size}: only {len(articles)} articles, need {pile_size * 8}")
        for k in (1, 2, 4, 8):
            pile = Cluster(id="pile", articles=articles[: pile_size * k])
            t0 = clock()
            extract_entities(pile)
            out[f"pile_{k}x_entities_s"] = clock() - t0
    return out


def _subprocess_measure(src: str, sentences: int, pile_size: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": src}
    cmd = [sys.executable, __file__, "--entities", "--json", "--sentences", str(sentences), "--pile", str(pile_size)]
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def entities_bench(args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(_measure_entities(args.sentences, args.pile)))
        return
    here = str(ROOT / "src")
    systems = {"this tree": here} | ({"baseline": args.baseline_src} if args.baseline_src else {})
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in systems}
    for _ in range(args.rounds):  # interleaved, so load changes hit both alike
        for name, src in systems.items():
            runs[name].append(_subprocess_measure(src, args.sentences, args.pile))
    print(f"who's who / quotes, median of {args.rounds} interleaved rounds (CPU seconds; shared machine: noisy)")
    for name, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        grow = [med[f"grow_{k}x_entities_s"] for k in (1, 2, 4, 8)]
        exponent = math.log(grow[3] / grow[0]) / math.log(8) if grow[0] > 0 else float("nan")
        print(f"{name:10} entities at {args.sentences}x(1,2,4,8) sentences: "
              + " ".join(f"{g:.2f}" for g in grow) + f"  growth exponent {exponent:.2f}; quotes 8x "
              f"{med['grow_8x_quotes_s']:.2f}")
        if "abmusu_entities_s" in med:
            print(f"{'':10} {int(med['abmusu_clusters'])} AbMuSu test clusters: entities "
                  f"{med['abmusu_entities_s']:.2f}, quotes {med['abmusu_quotes_s']:.2f}")
            pile = [med[f"pile_{k}x_entities_s"] for k in (1, 2, 4, 8)]
            pexp = math.log(pile[3] / pile[0]) / math.log(8) if pile[0] > 0 else float("nan")
            print(f"{'':10} entities on a pile of {args.pile}x(1,2,4,8) real articles: "
                  + " ".join(f"{g:.2f}" for g in pile) + f"  growth exponent {pexp:.2f}")


if __name__ == "__main__":
    main()
