"""``diemtin eval``: ROUGE on syllables for diemtin and the baselines, in one run.

Method (fixed so numbers from different runs stay comparable):

- Tokens are syllables (:func:`diemtin.lang.tokens.syllables`: NFC, lowercase, Unicode ``\\w+``).
  No stemming, no stop words, no ASCII folding: ``Mỹ`` and ``Mẹ`` are different tokens.
- Every system gets the same budget, the cluster's mean reference length in syllables
  (or ``words`` if given), and its output is cut to that budget with
  :func:`diemtin.lang.tokens.truncate_syllables` before scoring, so no system wins by length.
- ROUGE-1/2: clipped n-gram overlap. ROUGE-L: LCS of the whole summary against the whole
  reference as single token sequences (what rouge-score calls ``rougeL``; we do not use the
  summary-level union-LCS ``rougeLsum``, whose value depends on each system's sentence
  splitting). P, R and F1 per reference, mean over the cluster's references, then mean over
  clusters (macro average).
- Sentences for every system come from one segmentation: the baselines read the very
  ``Article.sentences`` that ``pipeline.process`` produced for diemtin.

ROUGE is implemented here (it is short) rather than taken from rouge-score, to keep it out of
the runtime dependencies and fast (bit-parallel LCS); tests check it against rouge-score.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diemtin.lang.tokens import count_syllables, syllables, truncate_syllables
from diemtin.model import Cluster

METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("diemtin", "lead", "centroid", "lexrank", "textrank")
DATASETS = {"abmusu": "abmusu/train.jsonl", "vims": "vims-dev"}


# --- ROUGE --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    p: float
    r: float
    f: float

    @classmethod
    def of(cls, overlap: int, sys_len: int, ref_len: int) -> Score:
        p = overlap / sys_len if sys_len else 0.0
        r = overlap / ref_len if ref_len else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(ref: Sequence[str], summary: Sequence[str], n: int) -> Score:
    ref_ng, sys_ng = ngrams(ref, n), ngrams(summary, n)
    overlap = sum((ref_ng & sys_ng).values())  # clipped counts
    return Score.of(overlap, sum(sys_ng.values()), sum(ref_ng.values()))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004): O(|a|·|b|/64)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, tok in enumerate(b):
        masks[tok] = masks.get(tok, 0) | (1 << i)
    full = (1 << len(b)) - 1
    v = full
    for tok in a:
        u = v & masks.get(tok, 0)
        v = ((v + u) | (v - u)) & full
    return len(b) - v.bit_count()


def rouge_l(ref: Sequence[str], summary: Sequence[str]) -> Score:
    return Score.of(lcs_length(ref, summary), len(summary), len(ref))


def rouge(ref: Sequence[str], summary: Sequence[str]) -> dict[str, Score]:
    """ROUGE-1/2/L of syllable token lists."""
    return {
        "rouge1": rouge_n(ref, summary, 1),
        "rouge2": rouge_n(ref, summary, 2),
        "rougeL": rouge_l(ref, summary),
    }


def score_text(references: Sequence[str], summary: str, budget: int | None = None) -> dict[str, Score]:
    """ROUGE of ``summary`` (cut to ``budget`` syllables) against each reference, averaged."""
    if budget is not None:
        summary = truncate_syllables(summary, budget)
    sys_tokens = syllables(summary)
    per_ref = [rouge(syllables(r), sys_tokens) for r in references]
    return {m: _mean_scores([s[m] for s in per_ref]) for m in METRICS}


def _mean_scores(scores: Sequence[Score]) -> Score:
    if not scores:
        return Score(0.0, 0.0, 0.0)
    return Score(*(statistics.fmean(getattr(s, k) for s in scores) for k in "prf"))


def reference_length(cluster: Cluster) -> int:
    """The cluster's mean reference length in syllables: every system's budget."""
    return round(statistics.fmean(count_syllables(r) for r in cluster.references))


# --- systems ------------------------------------------------------------------------------


def _prepare(cluster: Cluster) -> Cluster:
    """Clean and segment a copy the way the pipeline does (used when diemtin is not run)."""
    from diemtin.pipeline import prepare

    prepared = copy.deepcopy(cluster)
    prepare(prepared)
    return prepared


def _run_diemtin(cluster: Cluster, words: int) -> tuple[Cluster, list[str]]:
    from diemtin.pipeline import process

    done = process(copy.deepcopy(cluster), words=words, parts=("summary",))
    summary = done.digest.summary if done.digest else []
    return done, [s.text for s in summary]


def evaluate_cluster(cluster: Cluster, systems: Sequence[str], words: int | None = None) -> dict[str, Any]:
    """Scores of every system on one cluster (all from the same cleaned, segmented articles)."""
    from diemtin.evaluation.baselines import BASELINES

    budget = words if words is not None else reference_length(cluster)
    record: dict[str, Any] = {
        "id": cluster.id,
        "budget": budget,
        "references": len(cluster.references),
        "articles": len(cluster.articles),
        "scores": {},
        "lengths": {},
        "seconds": {},
        "errors": {},
    }
    outputs: dict[str, list[str]] = {}
    prepared: Cluster | None = None
    if "diemtin" in systems:
        t = time.perf_counter()
        try:
            prepared, outputs["diemtin"] = _run_diemtin(cluster, budget)
        except Exception as e:  # one failing cluster must not sink a 300-cluster run
            record["errors"]["diemtin"] = f"{type(e).__name__}: {e}"
            outputs["diemtin"] = []
        record["seconds"]["diemtin"] = time.perf_counter() - t
    if prepared is None or not any(a.sentences for a in prepared.articles):
        prepared = _prepare(cluster)
    record["sentences"] = sum(len(a.sentences) for a in prepared.distinct_articles)
    for name in systems:
        if name == "diemtin":
            continue
        t = time.perf_counter()
        try:
            outputs[name] = BASELINES[name](prepared, budget)
        except Exception as e:
            record["errors"][name] = f"{type(e).__name__}: {e}"
            outputs[name] = []
        record["seconds"][name] = time.perf_counter() - t
    for name in systems:
        text = truncate_syllables(" ".join(outputs[name]), budget)
        scores = score_text(cluster.references, text)
        record["scores"][name] = {m: [s.p, s.r, s.f] for m, s in scores.items()}
        record["lengths"][name] = count_syllables(text)
    if not record["errors"]:
        del record["errors"]
    return record


# --- datasets and the run -----------------------------------------------------------------


def data_root() -> Path:
    """``$DIEMTIN_DATA``, else the shared data next to the repository (``../shared/data``)."""
    env = os.environ.get("DIEMTIN_DATA")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    for candidate in (repo.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return repo.parent / "shared" / "data"


def resolve_dataset(name: str) -> Path:
    """A dataset name (``abmusu``, ``vims``) or an explicit path."""
    path = data_root() / DATASETS[name] if name in DATASETS else Path(name)
    if not path.exists():
        raise FileNotFoundError(f"dataset {name!r}: {path} does not exist")
    return path


def _worker(args: tuple[Cluster, tuple[str, ...], int | None]) -> dict[str, Any]:
    return evaluate_cluster(*args)


def _available(systems: Sequence[str] | None) -> list[str]:
    from diemtin.evaluation.baselines import BASELINES

    known = ("diemtin", *BASELINES)
    if systems is None:
        return list(SYSTEMS)
    unknown = [s for s in systems if s not in known]
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return list(dict.fromkeys(systems))


def run_eval(
    datasets: list[str],
    systems: list[str] | None = None,
    limit: int | None = None,
    words: int | None = None,
    progress: bool = True,
    jobs: int = 1,
) -> dict:
    """Score ``systems`` on the first ``limit`` clusters of each dataset.

    ``words`` fixes the budget for every cluster instead of the mean reference length.
    Returns ``{"method": ..., "systems": [...], "datasets": {name: {"path", "clusters",
    "skipped", "seconds", "means": {system: {metric: {"p","r","f"}}}, "lengths",
    "errors", "per_cluster": [...]}}}``; per-cluster scores are ``[p, r, f]`` lists.
    """
    from diemtin.ingest.read import read_inputs

    chosen = tuple(_available(systems))
    result: dict[str, Any] = {
        "method": {
            "tokens": "syllables: NFC, lowercase, Unicode \\w+ (diemtin.lang.tokens.syllables)",
            "budget": f"{words} syllables" if words else "mean reference length in syllables, per cluster",
            "truncation": "every output cut to the budget before scoring",
            "rougeL": "LCS over the whole text as one sequence (rouge-score 'rougeL', not 'rougeLsum')",
            "average": "mean over references, then mean over clusters",
        },
        "systems": list(chosen),
        "datasets": {},
    }
    for name in datasets:
        path = resolve_dataset(name)
        t0 = time.perf_counter()
        clusters = read_inputs([path])
        usable = [c for c in clusters if c.references and c.articles]
        skipped = [c.id for c in clusters if not (c.references and c.articles)]
        if limit is not None:
            usable = usable[:limit]
        records = _map(usable, chosen, words, jobs, progress, desc=name)
        label = name if name in DATASETS else Path(name).name
        result["datasets"][label] = summarize_records(records, chosen, str(path), skipped, time.perf_counter() - t0)
    return result


def _map(
    clusters: list[Cluster], systems: tuple[str, ...], words: int | None, jobs: int, progress: bool, desc: str
) -> list[dict[str, Any]]:
    from tqdm import tqdm

    tasks = [(c, systems, words) for c in clusters]
    bar = tqdm(total=len(tasks), desc=desc, unit="cluster", file=sys.stderr, disable=not progress)
    out: list[dict[str, Any]] = []
    try:
        if jobs > 1 and len(tasks) > 1:
            import multiprocessing as mp

            # fork keeps start-up cheap; each worker imports sumy/numpy once.
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            with ctx.Pool(jobs) as pool:
                for rec in pool.imap(_worker, tasks, chunksize=1):
                    out.append(rec)
                    bar.update()
        else:
            for task in tasks:
                out.append(_worker(task))
                bar.update()
    finally:
        bar.close()
    return out


def summarize_records(
    records: list[dict[str, Any]], systems: Sequence[str], path: str, skipped: list[str], seconds: float
) -> dict[str, Any]:
    means: dict[str, dict[str, dict[str, float]]] = {}
    for s in systems:
        means[s] = {}
        for m in METRICS:
            triples = [r["scores"][s][m] for r in records]
            means[s][m] = {
                k: (statistics.fmean(t[i] for t in triples) if triples else 0.0) for i, k in enumerate("prf")
            }
    return {
        "path": path,
        "clusters": len(records),
        "skipped": skipped,
        "seconds": round(seconds, 2),
        "means": means,
        "lengths": {
            "budget": statistics.fmean(r["budget"] for r in records) if records else 0.0,
            **{s: (statistics.fmean(r["lengths"][s] for r in records) if records else 0.0) for s in systems},
        },
        "system_seconds": {s: round(sum(r["seconds"].get(s, 0.0) for r in records), 2) for s in systems},
        "errors": {s: sum(1 for r in records if s in r.get("errors", {})) for s in systems},
        "paired": _paired(records, systems),
        "per_cluster": records,
    }


def _paired(records: list[dict[str, Any]], systems: Sequence[str], samples: int = 2000) -> dict[str, Any]:
    """diemtin minus each baseline, ROUGE-2 F1 per cluster: mean, 95% bootstrap CI, wins/losses.

    Differences of ~0.01 between systems are common on 100-200 clusters; the CI says whether
    one is real. Fixed seed so reruns print the same interval.
    """
    if "diemtin" not in systems or len(records) < 2:
        return {}
    import numpy as np

    rng = np.random.default_rng(0)
    own = np.array([r["scores"]["diemtin"]["rouge2"][2] for r in records])
    idx = rng.integers(0, len(records), size=(samples, len(records)))
    out = {}
    for s in systems:
        if s == "diemtin":
            continue
        diff = own - np.array([r["scores"][s]["rouge2"][2] for r in records])
        boots = diff[idx].mean(axis=1)
        out[s] = {
            "metric": "rouge2 f",
            "mean_diff": float(diff.mean()),
            "ci95": [float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))],
            "wins": int((diff > 0).sum()),
            "losses": int((diff < 0).sum()),
            "ties": int((diff == 0).sum()),
        }
    return out


def format_table(result: dict) -> str:
    """Plain-text table: per dataset, one row per system with ROUGE-1/2/L F1."""
    lines = []
    header = (
        f"{'dataset':<10} {'clusters':>8}  {'system':<9} "
        + " ".join(f"{h:>6}" for h in ("R1", "R2", "RL", "len"))
        + f"  {'errors':>6}"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for name, ds in result["datasets"].items():
        for i, s in enumerate(result["systems"]):
            m = ds["means"][s]
            lines.append(
                f"{name if i == 0 else '':<10} {ds['clusters'] if i == 0 else '':>8}  {s:<9} "
                f"{m['rouge1']['f']:6.4f} {m['rouge2']['f']:6.4f} {m['rougeL']['f']:6.4f} "
                f"{ds['lengths'][s]:6.1f}  {ds['errors'][s]:>6}"
            )
        lines.append(f"{'':<10} {'':>8}  {'(budget)':<9} {'':>6} {'':>6} {'':>6} {ds['lengths']['budget']:6.1f}")
        for s, p in ds.get("paired", {}).items():
            lo, hi = p["ci95"]
            lines.append(
                f"{'':<10} {'':>8}  diemtin - {s}: R2 {p['mean_diff']:+.4f} [95% CI {lo:+.4f}, {hi:+.4f}], "
                f"wins {p['wins']}/{p['wins'] + p['losses'] + p['ties']}"
            )
    lines.append("F1 on syllables; outputs cut to the mean reference length; len = mean syllables scored.")
    return "\n".join(lines)


def write_json(result: dict, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: Sequence[str] | None = None, run: Callable[..., dict] = run_eval) -> int:
    """``python -m diemtin.evaluation.evaluate [abmusu vims] [--limit N] [--jobs N] [--json PATH]``.

    A stand-in until ``diemtin eval`` is wired in ``cli.py``; same function underneath.
    """
    import argparse

    ap = argparse.ArgumentParser(prog="python -m diemtin.evaluation.evaluate")
    ap.add_argument("datasets", nargs="*", default=["abmusu", "vims"])
    ap.add_argument("--systems", help="comma-separated; default: all")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--words", type=int)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", dest="json_path")
    ap.add_argument("--quiet", action="store_true")
    ns = ap.parse_args(argv)
    result = run(
        ns.datasets,
        systems=ns.systems.split(",") if ns.systems else None,
        limit=ns.limit,
        words=ns.words,
        progress=not ns.quiet,
        jobs=ns.jobs,
    )
    print(format_table(result))
    if ns.json_path:
        write_json(result, ns.json_path)
        print(f"wrote {ns.json_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
