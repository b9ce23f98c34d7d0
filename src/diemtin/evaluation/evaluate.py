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

from diemtin.evaluation.readability import human_readability, readability
from diemtin.lang.tokens import count_syllables, syllables, truncate_syllables
from diemtin.model import Cluster
from diemtin.select.base import Summarizer

METRICS = ("rouge1", "rouge2", "rougeL")
# Fixed lengths at which diemtin's readability (lost context, order, repeats) is also counted:
# what a reader of a short, a medium and a long digest gets.
READABILITY_BUDGETS = (100, 200, 400)
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
    """A copy cleaned, segmented and annotated (the date layer) the way the pipeline does
    before selection: what every summarizer reads."""
    prepared = copy.deepcopy(cluster)
    _ready(prepared)
    return prepared


def _ready(cluster: Cluster) -> None:
    """In place: every stage the summary stage reads from, in the pipeline's order, no digest parts."""
    from diemtin.pipeline import finish, prepare

    finish(cluster, parts=(), timings=prepare(cluster))


def summarizers(models: dict[str, Any] | None = None) -> dict[str, Summarizer]:
    """Every system behind the one interface: baselines, diemtin with its shipped model, and
    diemtin variants with given models (``{"diemtin-transfer": SelectorModel, ...}``)."""
    from diemtin.evaluation.baselines import BASELINES
    from diemtin.select.selector import ConceptSelector

    out: dict[str, Summarizer] = {"diemtin": ConceptSelector(), **BASELINES}
    for name, model in (models or {}).items():
        out[name] = ConceptSelector(model=model)
    return out


def evaluate_cluster(
    cluster: Cluster, systems: Sequence[str], words: int | None = None, models: dict[str, Any] | None = None,
    prepared: bool = False,
) -> dict[str, Any]:
    """Scores of every system on one cluster, all reading the same cleaned, segmented articles.

    ``models``: extra diemtin variants by name (their learned state); ``prepared``: the
    cluster was already cleaned and segmented (else a copy is).
    """
    available = summarizers(models)
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
    ready = cluster if prepared else _prepare(cluster)
    record["readability"] = {"human": human_readability(cluster.references, ready)}
    record["readability_at"] = {}
    record["sentences"] = sum(len(a.sentences) for a in ready.distinct_articles)
    names = list(systems) + [m for m in (models or {}) if m not in systems]
    for name in names:
        t = time.perf_counter()
        try:
            chosen = available[name](ready, budget)
        except Exception as e:  # one failing cluster must not sink a 300-cluster run
            record["errors"][name] = f"{type(e).__name__}: {e}"
            chosen = []
        outputs = [s.text for s in chosen]
        record["seconds"][name] = time.perf_counter() - t
        text = truncate_syllables(" ".join(outputs), budget)
        scores = score_text(cluster.references, text)
        record["scores"][name] = {m: [s.p, s.r, s.f] for m, s in scores.items()}
        record["lengths"][name] = count_syllables(text)
        record["readability"][name] = readability(ready, chosen, cluster.references)
        if name.startswith("diemtin") and name in available:
            record["readability_at"][name] = {
                str(b): readability(ready, available[name](ready, b), cluster.references) for b in READABILITY_BUDGETS
            }
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


def _worker(args: tuple[Cluster, tuple[str, ...], int | None, dict[str, Any]]) -> dict[str, Any]:
    cluster, systems, words, models = args
    return evaluate_cluster(cluster, systems, words, models=models, prepared=True)


def _available(systems: Sequence[str] | None) -> list[str]:
    from diemtin.evaluation.baselines import BASELINES

    known = ("diemtin", *BASELINES)
    if systems is None:
        return list(SYSTEMS)
    unknown = [s for s in systems if s not in known]
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return list(dict.fromkeys(systems))


def _fit(examples: Sequence[Any]) -> Any:
    from diemtin.select.selector import ConceptSelector

    return ConceptSelector().fit_examples(examples).model_


def held_out_models(
    data: dict[str, list[Cluster]], folds: int = 5, transfer: bool = True, progress: bool = False
) -> dict[str, dict[str, dict[str, Any]]]:
    """diemtin models for clusters they were not trained on: ``{dataset: {cluster id: {variant: model}}}``.

    - ``diemtin-kfold``: in-domain, trained on the other ``folds - 1`` folds of its dataset
      (fold ``i`` is clusters ``i, i+k, i+2k, ...``);
    - ``diemtin-transfer``: out of dataset, trained on every *other* dataset of the run
      (AbMuSu train -> ViMs dev and ViMs dev -> AbMuSu train). This is the number to optimize.
    """
    from diemtin.select.selector import ConceptSelector

    out: dict[str, dict[str, dict[str, Any]]] = {name: {c.id: {} for c in cl} for name, cl in data.items()}
    selector = ConceptSelector()
    examples = {name: [selector.training_example(c) for c in cl] for name, cl in data.items()}
    for name, clusters in data.items():
        if folds > 1 and len(clusters) >= 2 * folds:
            for i in range(folds):
                model = _fit([e for j, e in enumerate(examples[name]) if j % folds != i])
                for c in clusters[i::folds]:
                    out[name][c.id]["diemtin-kfold"] = model
                if progress:
                    print(f"{name}: fold {i + 1}/{folds} fitted", file=sys.stderr, flush=True)
        others = [e for other, ex in examples.items() if other != name for e in ex]
        if transfer and others:
            model = _fit(others)
            for c in clusters:
                out[name][c.id]["diemtin-transfer"] = model
    return out


def run_eval(
    datasets: list[str],
    systems: list[str] | None = None,
    limit: int | None = None,
    words: int | None = None,
    progress: bool = True,
    jobs: int = 1,
    folds: int = 5,
    transfer: bool = True,
) -> dict:
    """Score ``systems`` on the first ``limit`` clusters of each dataset.

    Beside ``diemtin`` (the shipped model, trained on the dev sets: in-sample there), the run
    scores ``diemtin-kfold`` (in-domain ``folds``-fold cross-validation) and, with two
    datasets or more, ``diemtin-transfer`` (trained on the other datasets only), every
    baseline in the same run. ``words`` fixes the budget for every cluster instead of the
    mean reference length. Returns ``{"method": ..., "systems": [...], "datasets": {name:
    {"path", "clusters", "skipped", "seconds", "means": {system: {metric: {"p","r","f"}}},
    "ci95", "lengths", "errors", "paired", "readability", "per_cluster": [...]}}}``.
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
            "diemtin": "shipped model (trained on the dev sets: in-sample on them)",
            "diemtin-kfold": f"in-domain {folds}-fold cross-validation (clusters i::{folds})",
            "diemtin-transfer": "trained on the other dataset(s) of the run only: out of dataset",
        },
        "systems": list(chosen),
        "datasets": {},
    }
    loaded: dict[str, tuple[Path, list[Cluster], list[str], float]] = {}
    for name in datasets:
        path = resolve_dataset(name)
        t0 = time.perf_counter()
        clusters = read_inputs([path])
        usable = [c for c in clusters if c.references and c.articles]
        skipped = [c.id for c in clusters if not (c.references and c.articles)]
        if limit is not None:
            usable = usable[:limit]
        for c in usable:
            _ready(c)
        label = name if name in DATASETS else Path(name).name
        loaded[label] = (path, usable, skipped, time.perf_counter() - t0)
    models: dict[str, dict[str, dict[str, Any]]] = {}
    if "diemtin" in chosen:
        t0 = time.perf_counter()
        models = held_out_models({k: v[1] for k, v in loaded.items()}, folds, transfer, progress)
        result["fit_seconds"] = round(time.perf_counter() - t0, 2)
    for label, (path, usable, skipped, seconds) in loaded.items():
        t0 = time.perf_counter()
        tasks = [(c, chosen, words, models.get(label, {}).get(c.id, {})) for c in usable]
        records = _map(tasks, jobs, progress, desc=label)
        names = list(chosen) + sorted({v for r in records for v in r["scores"] if v not in chosen})
        result["datasets"][label] = summarize_records(
            records, names, str(path), skipped, seconds + time.perf_counter() - t0
        )
    result["systems"] = sorted({s for d in result["datasets"].values() for s in d["means"]}, key=_system_order)
    return result


def _system_order(name: str) -> tuple[int, str]:
    order = ("diemtin", "diemtin-kfold", "diemtin-transfer", *SYSTEMS[1:])
    return (order.index(name) if name in order else len(order), name)


def _map(tasks: list[tuple[Any, ...]], jobs: int, progress: bool, desc: str) -> list[dict[str, Any]]:
    from tqdm import tqdm

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
    systems = [s for s in systems if all(s in r["scores"] for r in records)]
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
        "ci95": _intervals(records, systems),
        "lengths": {
            "budget": statistics.fmean(r["budget"] for r in records) if records else 0.0,
            **{s: (statistics.fmean(r["lengths"][s] for r in records) if records else 0.0) for s in systems},
        },
        "system_seconds": {s: round(sum(r["seconds"].get(s, 0.0) for r in records), 2) for s in systems},
        "errors": {s: sum(1 for r in records if s in r.get("errors", {})) for s in systems},
        "paired": _paired(records, systems),
        "readability": _readability(records, [*systems, "human"]),
        "readability_at": _readability_at(records, systems),
        "per_cluster": records,
    }


def _readability(records: list[dict[str, Any]], systems: Sequence[str]) -> dict[str, dict[str, float]]:
    """Summed counts per system and the rates the README reports."""
    out = {}
    for s in systems:
        total: Counter[str] = Counter()
        for r in records:
            total.update(r.get("readability", {}).get(s, {}))
        sentences = total["sentences"] or 1
        out[s] = {
            **dict(total),
            "lost_context_rate": total["lost_context"] / sentences,
            "backwards_rate": total["backwards"] / total["dated_pairs"] if total["dated_pairs"] else None,
            "repeat_rate": total["repeats"] / total["pairs"] if total["pairs"] else 0.0,
            "paraphrase_rate": total["paraphrases"] / total["pairs"] if total["pairs"] else 0.0,
            "first_best_rate": total["first_best"] / total["first_summaries"] if total["first_summaries"] else None,
        }
        if s == "human":
            out[s]["flagged_rate"] = total["flagged"] / sentences
    return out


def _readability_at(records: list[dict[str, Any]], systems: Sequence[str]) -> dict[str, dict[str, Any]]:
    """diemtin's readability rates at each of :data:`READABILITY_BUDGETS` syllables."""
    out: dict[str, dict[str, Any]] = {}
    for s in systems:
        if not s.startswith("diemtin") or not any(s in r.get("readability_at", {}) for r in records):
            continue
        out[s] = {}
        for b in READABILITY_BUDGETS:
            rows = [{"readability": {s: r.get("readability_at", {}).get(s, {}).get(str(b), {})}} for r in records]
            out[s][str(b)] = _readability(rows, [s])[s]
    return out


def _boot_index(n: int, samples: int = 2000) -> Any:
    import numpy as np

    return np.random.default_rng(0).integers(0, n, size=(samples, n))  # fixed seed: reruns print the same CI


def _intervals(records: list[dict[str, Any]], systems: Sequence[str]) -> dict[str, dict[str, list[float]]]:
    """95% percentile-bootstrap interval of each system's mean F1, per metric."""
    if len(records) < 2:
        return {}
    import numpy as np

    idx = _boot_index(len(records))
    out: dict[str, dict[str, list[float]]] = {}
    for s in systems:
        out[s] = {}
        for m in METRICS:
            boots = np.array([r["scores"][s][m][2] for r in records])[idx].mean(axis=1)
            out[s][m] = [float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))]
    return out


def _paired(records: list[dict[str, Any]], systems: Sequence[str]) -> dict[str, Any]:
    """Each diemtin variant minus each baseline, ROUGE-2 F1 per cluster: mean, 95% paired
    bootstrap CI, wins/losses. Keys ``"<variant> - <baseline>"``.

    Differences of ~0.01 between systems are common on 100-200 clusters; the CI says whether
    one is real.
    """
    if len(records) < 2:
        return {}
    import numpy as np

    idx = _boot_index(len(records))
    out = {}
    for own_name in [s for s in systems if s.startswith("diemtin")]:
        own = np.array([r["scores"][own_name]["rouge2"][2] for r in records])
        for s in systems:
            if s.startswith("diemtin"):
                continue
            diff = own - np.array([r["scores"][s]["rouge2"][2] for r in records])
            boots = diff[idx].mean(axis=1)
            out[f"{own_name} - {s}"] = {
                "metric": "rouge2 f",
                "mean_diff": float(diff.mean()),
                "ci95": [float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))],
                "wins": int((diff > 0).sum()),
                "losses": int((diff < 0).sum()),
                "ties": int((diff == 0).sum()),
            }
    return out


def format_table(result: dict) -> str:
    """Plain-text table: per dataset, one row per system with ROUGE-1/2/L F1 (R2 with its CI)."""
    lines = []
    header = (
        f"{'dataset':<10} {'clusters':>8}  {'system':<16} "
        + " ".join(f"{h:>6}" for h in ("R1", "R2"))
        + f" {'R2 95% CI':>15} "
        + " ".join(f"{h:>6}" for h in ("RL", "len"))
        + f"  {'errors':>6}"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for name, ds in result["datasets"].items():
        for i, s in enumerate(result["systems"]):
            if s not in ds["means"]:
                continue
            m = ds["means"][s]
            lo, hi = ds.get("ci95", {}).get(s, {}).get("rouge2", [float("nan")] * 2)
            lines.append(
                f"{name if i == 0 else '':<10} {ds['clusters'] if i == 0 else '':>8}  {s:<16} "
                f"{m['rouge1']['f']:6.4f} {m['rouge2']['f']:6.4f} [{lo:.4f},{hi:.4f}] {m['rougeL']['f']:6.4f} "
                f"{ds['lengths'][s]:6.1f}  {ds['errors'][s]:>6}"
            )
        pad = " " * 37
        lines.append(f"{'':<10} {'':>8}  {'(budget)':<16} {pad}{ds['lengths']['budget']:6.1f}")
        for key, p in ds.get("paired", {}).items():
            lo, hi = p["ci95"]
            lines.append(
                f"{'':<10} {'':>8}  {key}: R2 {p['mean_diff']:+.4f} [95% CI {lo:+.4f}, {hi:+.4f}], "
                f"wins {p['wins']}/{p['wins'] + p['losses'] + p['ties']}"
            )
        for s, rd in ds.get("readability", {}).items():
            if not (s.startswith("diemtin") or s == "human"):
                continue
            back = rd["backwards_rate"]
            first = rd.get("first_best_rate")
            lines.append(
                f"{'':<10} {'':>8}  {s}: lost context {rd['lost_context_rate']:.1%}"
                + (f" (flagged anywhere {rd['flagged_rate']:.1%})" if s == "human" else "")
                + f", repeats {rd['repeat_rate']:.2%} (paraphrased {rd['paraphrase_rate']:.2%}) of pairs"
                + (f", backwards {back:.1%} of {rd['dated_pairs']} dated pairs" if back is not None else "")
                + (f", first sentence closest to the human first {first:.1%}" if first is not None else "")
            )
        for s, at in ds.get("readability_at", {}).items():
            cells = []
            for b, rd in at.items():
                back = rd["backwards_rate"]
                cells.append(
                    f"{b}: lost {rd['lost_context_rate']:.1%}, repeats {rd['repeat_rate']:.1%}"
                    f" / paraphrased {rd['paraphrase_rate']:.1%}"
                    + (f", backwards {back:.1%}" if back is not None else "")
                )
            lines.append(f"{'':<10} {'':>8}  {s} at fixed lengths: " + "; ".join(cells))
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
