"""The cleaner on real and dressed input: speed, noise leak, body kept, ROUGE-2 clean vs dressed.

Run from the repository root:  .venv/bin/python benchmarks/bench_clean.py [--quick]
Clean speed against another commit, same run:  ... bench_clean.py --baseline main [--rounds 3]

(a) speed: ``clean_article`` on every AbMuSu train + test article and every ViMs article
    (plain text, already in memory), in-process; CPU and wall time, articles/s.
(b) dressed: N clusters (AbMuSu train + ViMs). Every article is written to a file twice:
    clean (title, lead, body) and dressed (a random chrome template from one template folder,
    ~2 % of Vietnamese words dotted ``t.iền``, and per file one of UTF-8 / NFD / BOM+CRLF /
    windows-1258). Both are read back with ``read_inputs`` and run through
    ``pipeline.process(cluster, words=<mean reference length>, parts=("summary",))``.
    Reported per template folder (dev, held-out rounds 1, 2 and 3): noise leak (chrome
    lines surviving, and their share of the cleaned characters), body lines kept, sentences of
    the clean run found verbatim in the dressed run, dotted words left unrepaired, ROUGE-1/2/L
    F1 of the summaries (syllables, ``diemtin.evaluation.evaluate.score_text``), clean vs dressed.
(c) the seed cluster summarised from raw lines (cleaner bypassed) and from cleaned text, side by side.

Results: tables on stdout, JSON in ``benchmarks/results/bench_clean-<time>.json`` (not committed).
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import random
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import regex

from diemtin.clean.cleaner import clean_article, clean_cluster
from diemtin.clean.repair import is_syllable, normalize_line, repair_line, strip_prefix
from diemtin.evaluation.evaluate import reference_length, score_text
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster
from diemtin.pipeline import process
from diemtin.segment.sentences import segment_article
from diemtin.select.selector import summarize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import dressing  # noqa: E402  (test helper shared with tests/test_clean.py)

DATA = dressing.DATA
RESULTS = ROOT / "benchmarks" / "results"
FOLDERS = ("dev", "heldout", "heldout2", "heldout3")
_DOTTED_LEFT = regex.compile(r"(?<![\p{L}\p{N}.@/_-])\p{L}{1,3}\.\p{Ll}+(?![\p{L}\p{N}@/_]|\.[\p{L}\p{N}])")


# ------------------------------------------------------------------------------- (a) speed


def load_corpora() -> list[Cluster]:
    clusters = []
    for path in (DATA / "abmusu" / "train.jsonl", DATA / "abmusu" / "test-inputs.jsonl", DATA / "vims-dev"):
        clusters += read_inputs(path)
    return clusters


def bench_speed(clusters: list[Cluster]) -> dict[str, Any]:
    raw = [(a.id, a.title, a.raw_text, a.lead) for c in clusters for a in c.articles]
    fresh = [Article(id=i, title=t, raw_text=r, lead=ld) for i, t, r, ld in raw]  # built outside the timing
    per: list[float] = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for a in fresh:
        t = time.perf_counter()
        clean_article(a)
        per.append(time.perf_counter() - t)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    lines = sum(r.count("\n") + 1 for _, _, r, _ in raw)
    # clean_cluster adds duplicate marking (MinHash); timed on fresh copies of the same articles.
    fresh_clusters = [
        Cluster(
            id=c.id, articles=[Article(id=a.id, title=a.title, raw_text=a.raw_text, lead=a.lead) for a in c.articles]
        )
        for c in clusters
    ]
    wall1 = time.perf_counter()
    for c in fresh_clusters:
        clean_cluster(c)
    wall_cluster = time.perf_counter() - wall1
    per.sort()
    return {
        "articles": len(raw),
        "lines": lines,
        "cpu_s": cpu,
        "wall_s": wall,
        "articles_per_s_cpu": len(raw) / cpu if cpu else None,
        "articles_per_s_wall": len(raw) / wall,
        "lines_per_s_wall": lines / wall,
        "ms_p50": per[len(per) // 2] * 1000,
        "ms_p95": per[int(len(per) * 0.95)] * 1000,
        "ms_max": per[-1] * 1000,
        "clean_cluster_with_dedup_articles_per_s_wall": len(raw) / wall_cluster,
    }


# ----------------------------------------------------------------------------- (b) dressed


def _docs(cluster: Cluster) -> list[dressing.Doc]:
    return [
        dressing.Doc(cluster.id, a.title, [x.strip() for x in a.raw_text.split("\n") if x.strip()], a.lead)
        for a in cluster.articles
    ]


def _obfuscate_vietnamese(text: str, rng: random.Random, rate: float) -> tuple[str, int]:
    """Dot ~``rate`` of the Vietnamese words (sites dodge filters on Vietnamese keywords)."""
    count = 0

    def dot(m: regex.Match[str]) -> str:
        nonlocal count
        w = m.group(0)
        if not is_syllable(w) or rng.random() >= rate:
            return w
        count += 1
        k = rng.randint(1, min(3, len(w) - 1))
        return w[:k] + "." + w[k:]

    return dressing._WORD.sub(dot, text), count


def write_variant(
    root: Path, clusters: list[Cluster], pool: list[dressing.Doc], folder: str | None, rng: random.Random, rate: float
) -> dict[str, Any]:
    """Write every cluster's articles as files under ``root/<cluster>/``; returns labels and stats."""
    labels: dict[tuple[str, str], list[str]] = {}
    encodings: dict[str, int] = {}
    dotted = 0
    tpls = dressing.templates(folder) if folder else []
    for c in clusters:
        cdir = root / c.id
        cdir.mkdir(parents=True)
        for j, doc in enumerate(_docs(c)):
            stem = f"{j:02d}"
            if folder is None:  # the clean input: title, lead, body
                text = "\n".join([doc.title, *([doc.lead] if doc.lead else []), *doc.body]) + "\n"
                (cdir / f"{stem}.txt").write_bytes(text.encode("utf-8"))
                continue
            article, labs = dressing.dress(rng.choice(tpls), doc, pool, rng)
            labels[(c.id, stem)] = labs
            text, n = _obfuscate_vietnamese(article.title + "\n" + article.raw_text + "\n", rng, rate)
            dotted += n
            how = rng.choices(dressing.ENCODINGS, weights=(4, 2, 2, 2))[0]
            data, used = dressing.encode_file(text, how)
            encodings[used] = encodings.get(used, 0) + 1
            (cdir / f"{stem}.txt").write_bytes(data)
    return {"labels": labels, "encodings": encodings, "dotted_inserted": dotted}


def run_variant(root: Path, clusters: list[Cluster]) -> dict[str, Cluster]:
    out = {}
    for c in clusters:
        read = read_inputs(root / c.id)
        got = read[0] if read else Cluster(id=c.id)
        got.id, got.references = c.id, list(c.references)
        process(got, words=reference_length(c), parts=("summary",))
        out[c.id] = got
    return out


def _rouge(done: dict[str, Cluster], clusters: list[Cluster]) -> dict[str, float]:
    scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    for c in clusters:
        d = done[c.id].digest
        text = " ".join(s.text for s in (d.summary if d else []))
        for m, s in score_text(c.references, text, reference_length(c)).items():
            scores[m].append(s.f)
    return {m: statistics.fmean(v) * 100 for m, v in scores.items()}


def compare(
    clean: dict[str, Cluster], dressed: dict[str, Cluster], labels: dict[tuple[str, str], list[str]]
) -> dict[str, Any]:
    fixes = dressing.relabels()
    keep = keep_ok = noise = leak = 0
    leak_chars = text_chars = 0
    sents = sents_found = keep_also_dropped_clean = 0
    lost: list[str] = []
    dotted_left = 0
    problems = 0
    for cid, dc in dressed.items():
        problems += sum(p.fatal for p in dc.problems)
        by_stem = {Path(a.path or a.id).stem: a for a in dc.articles}
        for a in clean[cid].articles:
            stem = Path(a.path or a.id).stem
            d = by_stem.get(stem)
            sents += len(a.sentences)
            if d is None:
                continue
            for s in a.sentences:
                if s.text in d.text:
                    sents_found += 1
                elif len(lost) < 30:
                    why = next((r.reason for r in d.removed if s.text[:40] in repair_line(r.text)), "altered")
                    lost.append(f"{cid}/{stem} [{why}]: {s.text[:100]}")
            clean_lines = set(a.text.split("\n"))
            dotted_left += max(0, len(_DOTTED_LEFT.findall(d.text)) - len(_DOTTED_LEFT.findall(a.text)))
            text_chars += len(d.text)
            # ``removed[].line`` is the 1-based line of the input file (the title sits above
            # ``raw_text``); the labels index ``raw_text``. A cut prefix is no dropped line.
            offset = int(d.meta.get("raw_line_offset", 0)) + 1
            dropped = {r.line - offset for r in d.removed if r.reason != "prefix" and r.line >= offset}
            for i, (line, lab) in enumerate(zip(d.raw_text.split("\n"), labels[(cid, stem)], strict=True)):
                lab = dressing.relabel(normalize_line(line), lab, fixes)
                if lab == "keep":
                    # Body lines the clean run dropped too (bylines, captions inside the source
                    # bodies) are not losses caused by the dressing.
                    fixed = repair_line(line)
                    if fixed not in clean_lines and strip_prefix(fixed)[1] not in clean_lines:
                        keep_also_dropped_clean += 1
                        continue
                    keep += 1
                    keep_ok += i not in dropped
                else:
                    noise += 1
                    if i not in dropped:
                        leak += 1
                        leak_chars += len(normalize_line(line))
    return {
        "body_lines": keep,
        "body_lines_kept_pct": 100 * keep_ok / keep,
        "noise_lines": noise,
        "noise_lines_leaked_pct": 100 * leak / noise,
        "noise_chars_in_text_pct": 100 * leak_chars / max(1, text_chars),
        "body_lines_dropped_in_clean_run_too": keep_also_dropped_clean,
        "sentences_clean_run": sents,
        "sentences_lost": lost,
        "sentences_kept_pct": 100 * sents_found / max(1, sents),
        "dotted_left": dotted_left,
        "fatal_problems": problems,
    }


def bench_dressed(n_ab: int, n_vims: int, seed: int, rate: float) -> dict[str, Any]:
    ab = read_inputs(DATA / "abmusu" / "train.jsonl")[:n_ab]
    vims = read_inputs(DATA / "vims-dev")[:n_vims]
    clusters = [c for c in ab + vims if c.references and c.articles]
    pool = [d for c in clusters for d in _docs(c)]
    out: dict[str, Any] = {"clusters": len(clusters), "abmusu": len(ab), "vims": len(vims), "obfuscation_rate": rate}
    with tempfile.TemporaryDirectory(prefix="bench_clean-") as tmp:
        write_variant(Path(tmp) / "clean", clusters, pool, None, random.Random(seed), rate)
        t = time.perf_counter()
        clean = run_variant(Path(tmp) / "clean", clusters)
        out["clean"] = {"rouge": _rouge(clean, clusters), "seconds": time.perf_counter() - t}
        for folder in FOLDERS:
            if not dressing.templates(folder):
                continue
            info = write_variant(Path(tmp) / folder, clusters, pool, folder, random.Random(f"{seed}-{folder}"), rate)
            t = time.perf_counter()
            done = run_variant(Path(tmp) / folder, clusters)
            out[folder] = {
                "templates": [p.stem for p in dressing.templates(folder)],
                "rouge": _rouge(done, clusters),
                "seconds": time.perf_counter() - t,
                "encodings": info["encodings"],
                "dotted_inserted": info["dotted_inserted"],
                **compare(clean, done, info["labels"]),
            }
    return out


# ------------------------------------------------------------------------ (c) seed before/after


def bench_seed(words: int) -> dict[str, Any]:
    seeds = DATA / "seed-cluster"
    base = read_inputs(seeds)[0]
    raw = copy.deepcopy(base)
    for a in raw.articles:  # bypass the cleaner: every non-blank raw line is text
        a.text = "\n".join(normalize_line(x) for x in a.raw_text.split("\n") if x.strip())
        segment_article(a)
    raw_summary = [s.text for s in summarize(raw, words)]
    done = process(copy.deepcopy(base), words=words, parts=("summary",))
    cleaned_summary = [s.text for s in (done.digest.summary if done.digest else [])]
    kept = "\n".join(a.text for a in done.articles)
    return {
        "words": words,
        "raw": raw_summary,
        "cleaned": cleaned_summary,
        "raw_sentences_not_in_cleaned_text": [s for s in raw_summary if s not in kept],
    }


def side_by_side(left: list[str], right: list[str], width: int = 62) -> str:
    def col(items: list[str]) -> list[str]:
        out = []
        for k, s in enumerate(items, 1):
            out += textwrap.wrap(f"{k}. {s}", width) or [""]
        return out

    a, b = col(left), col(right)
    rows = [f"{'RAW (cleaner bypassed)':<{width}} | CLEANED", f"{'-' * width}-+-{'-' * width}"]
    rows += [
        f"{x:<{width}} | {y}" for x, y in zip(a + [""] * (len(b) - len(a)), b + [""] * (len(a) - len(b)), strict=True)
    ]
    return "\n".join(rows)


# ------------------------------------------------------------------------------------- main


def _speed_in(src: Path, rounds: int) -> list[dict[str, Any]]:
    """(a) in a fresh interpreter whose ``diemtin`` is ``src`` (this tree or an exported ref)."""
    import subprocess

    env = {**__import__("os").environ, "PYTHONPATH": str(src)}
    out = []
    for _ in range(rounds):
        run = subprocess.run(
            [sys.executable, __file__, "--speed-json"], env=env, capture_output=True, text=True, check=True
        )
        out.append(json.loads(run.stdout.strip().splitlines()[-1]))
    return out


def compare_speed(ref: str, rounds: int) -> None:
    """Clean speed of this tree against git ``ref`` in the same run, rounds interleaved (the
    machine is shared: compare the two columns, not the numbers across runs)."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        rows: dict[str, list[dict[str, Any]]] = {ref: [], "this tree": []}
        for _ in range(rounds):
            rows[ref] += _speed_in(Path(tmp) / "src", 1)
            rows["this tree"] += _speed_in(ROOT / "src", 1)
    print(f"(a) clean speed, {ref} vs this tree, {rounds} interleaved rounds (median)")
    print(f"    {'tree':<12} {'articles':>8} {'wall s':>7} {'art/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name, rs in rows.items():
        keys = ("wall_s", "articles_per_s_wall", "ms_p50", "ms_p95", "ms_max")
        med = {k: statistics.median(r[k] for r in rs) for k in keys}
        print(
            f"    {name:<12} {rs[0]['articles']:>8} {med['wall_s']:7.2f} {med['articles_per_s_wall']:7.0f} "
            f"{med['ms_p50']:7.2f} {med['ms_p95']:7.2f} {med['ms_max']:7.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--abmusu", type=int, default=60, help="AbMuSu train clusters to dress")
    ap.add_argument("--vims", type=int, default=40, help="ViMs clusters to dress")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.02, help="share of Vietnamese words dotted")
    ap.add_argument("--seed-words", type=int, default=150, help="summary budget for the seed cluster")
    ap.add_argument("--quick", action="store_true", help="10 + 6 clusters")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--baseline", metavar="REF", help="only (a): this tree vs git REF, same run")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds for --baseline")
    ap.add_argument("--speed-json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.speed_json:
        print(json.dumps(bench_speed(load_corpora())))
        return 0
    if args.baseline:
        compare_speed(args.baseline, args.rounds)
        return 0
    if args.quick:
        args.abmusu, args.vims = 10, 6
    if not (DATA / "abmusu").is_dir() or not (DATA / "vims-dev").is_dir():
        print(f"data not found under {DATA}", file=sys.stderr)
        return 2
    result: dict[str, Any] = {"machine": {"python": platform.python_version(), "platform": platform.platform()}}

    t = time.perf_counter()
    corpora = load_corpora()
    result["read_s"] = time.perf_counter() - t
    sp = result["speed"] = bench_speed(corpora)
    print(f"(a) speed: clean_article on {sp['articles']} plain articles ({sp['lines']} lines)")
    print(
        f"    wall {sp['wall_s']:.2f} s = {sp['articles_per_s_wall']:,.0f} articles/s "
        f"({sp['lines_per_s_wall']:,.0f} lines/s); CPU {sp['cpu_s']:.2f} s = {sp['articles_per_s_cpu']:,.0f} articles/s"
    )
    print(
        f"    per article p50 {sp['ms_p50']:.2f} ms, p95 {sp['ms_p95']:.2f} ms, max {sp['ms_max']:.1f} ms; "
        f"clean_cluster incl. dedup {sp['clean_cluster_with_dedup_articles_per_s_wall']:,.0f} articles/s"
    )

    dr = result["dressed"] = bench_dressed(args.abmusu, args.vims, args.seed, args.rate)
    print(f"\n(b) dressed input: {dr['clusters']} clusters ({dr['abmusu']} AbMuSu train + {dr['vims']} ViMs)")
    head = (
        f"{'input':<10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'ΔR-2':>6} {'leak%':>6} {'leakch%':>7} "
        f"{'body%':>6} {'sent%':>6} {'dots':>9} {'fatal':>5}"
    )
    print(head + "\n" + "-" * len(head))
    r0 = dr["clean"]["rouge"]
    print(f"{'clean':<10} {r0['rouge1']:6.2f} {r0['rouge2']:6.2f} {r0['rougeL']:6.2f}")
    for folder in FOLDERS:
        if folder not in dr:
            continue
        v, r = dr[folder], dr[folder]["rouge"]
        print(
            f"{folder:<10} {r['rouge1']:6.2f} {r['rouge2']:6.2f} {r['rougeL']:6.2f} {r['rouge2'] - r0['rouge2']:+6.2f} "
            f"{v['noise_lines_leaked_pct']:6.2f} {v['noise_chars_in_text_pct']:7.2f} {v['body_lines_kept_pct']:6.2f} "
            f"{v['sentences_kept_pct']:6.2f} {v['dotted_left']:>4}/{v['dotted_inserted']:<4} {v['fatal_problems']:>5}"
        )
    print(
        "  leak% chrome lines surviving; leakch% their share of cleaned characters; body% body lines kept\n"
        "  (of those the clean run keeps);"
        "  sent% sentences of the clean run found verbatim in the dressed run; dots: dotted words left / inserted"
    )
    for folder in FOLDERS:
        for line in dr.get(folder, {}).get("sentences_lost", [])[:6]:
            print(f"  lost ({folder}) {line}")
    for folder in FOLDERS:
        if folder in dr:
            print(f"  {folder}: templates {', '.join(dr[folder]['templates'])}; files {dr[folder]['encodings']}")

    sd = result["seed"] = bench_seed(args.seed_words)
    print(f"\n(c) seed cluster, {sd['words']}-syllable summary\n")
    print(side_by_side(sd["raw"], sd["cleaned"]))
    gone = sd["raw_sentences_not_in_cleaned_text"]
    print(f"\n  raw-summary sentences that are not in the cleaned text (chrome): {len(gone)}")
    for s in sd["raw_sentences_not_in_cleaned_text"]:
        print(f"    - {s[:110]}")

    out = args.out or RESULTS / f"bench_clean-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
