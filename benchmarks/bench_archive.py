"""The archive, measured: story quality, scale, update summaries (issue 12, §5).

Run from the repository root (``PYTHONPATH=src``):
    python benchmarks/bench_archive.py quality            # pooled real clusters, batches and one at a time
    python benchmarks/bench_archive.py scale --sizes 10000 30000 100000 --plus 1000
    python benchmarks/bench_archive.py update             # update summaries vs plain summaries of the later half
    python benchmarks/bench_archive.py ceiling            # what the gold labels allow: an event-perfect clustering

quality: every cluster of ../shared/data (AbMuSu train + test inputs, each line one story;
ViMs dev) pooled, shuffled (seed 7), ingested through ``Archive.add`` in batches of random
size in random order, and again one article per ``add``; B-cubed against the source cluster.
Baseline in the same run: ``diemtin.stories.split`` (average link over the whole pile at
once, dense n x n).

scale: a stream of synthetic articles made from the real ones by deterministic rewriting:
a synthetic story is (real cluster, copy k); copy k is published k x 45 days after copy 0
(the same kind of event recurring), its articles are the cluster's articles and variants of
them (paragraphs reordered or dropped, numbers and dates shifted, titles rewritten), spread
over 3 days. Articles arrive in publication order, ``add`` is called per 1,000. Each size
runs in its own process (peak RSS is that size's). Growth exponent: log(t2/t1)/log(n2/n1).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from diemtin.archive import Archive
from diemtin.evaluation.metrics import bcubed
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = [DATA / "abmusu" / "train.jsonl", DATA / "abmusu" / "test-inputs.jsonl", DATA / "vims-dev"]


SOURCE_NAMES = ("AbMuSu train", "AbMuSu test", "ViMs dev")


def pooled() -> list[tuple[tuple[str, int], Article]]:
    """Every article of every cluster, labelled (source, cluster number)."""
    out = []
    for name, path in zip(SOURCE_NAMES, SOURCES, strict=True):
        for k, c in enumerate(read_inputs([str(path)])):
            out += [((name, k), a) for a in c.articles]
    return out


def _b3_line(pred: list[object], gold: list[tuple[str, int]]) -> str:
    """B-cubed on the whole pool, then restricted to each source's articles (their predicted
    stories as in the pooled run: a story mixing sources counts against each)."""
    p, r, f = bcubed(pred, gold)
    out = f"B3 P {p:.3f} R {r:.3f} F1 {f:.3f}"
    for name in SOURCE_NAMES:
        sel = [(x, g) for x, g in zip(pred, gold, strict=True) if g[0] == name]
        p, r, f = bcubed([x for x, _ in sel], [g for _, g in sel])
        out += f" | {name} P {p:.3f} R {r:.3f} F1 {f:.3f}"
    return out


def _labels(ar: Archive, gold_of: dict[str, object]) -> tuple[list[int], list[object]]:
    rows = ar.store.db.execute("SELECT id, story FROM articles").fetchall()  # type: ignore[attr-defined]
    return [r[1] for r in rows], [gold_of[r[0]] for r in rows]


def quality(args: argparse.Namespace) -> None:
    items = pooled()
    rng = random.Random(7)
    rng.shuffle(items)
    gold_of = {a.id: g for g, a in items}
    print(f"pool: {len(items)} articles, {len({g for g, _ in items})} stories (shuffled, seed 7)")

    from diemtin.options import DigestOptions
    from diemtin.pipeline import prepare
    from diemtin.stories.split import story_labels

    t = time.perf_counter()
    pile = Cluster(id="pile", articles=[a.__class__(**{**a.__dict__, "meta": {}}) for _, a in items])
    prepare(pile, DigestOptions(cluster_time_budget_s=0))  # one pile of 2,000 articles: no time budget
    gold = [gold_of[a.id] for a in pile.articles]
    print(f"baseline stories.split (whole pile, dense): {_b3_line(story_labels(pile.articles), gold)}  "
          f"{time.perf_counter() - t:.1f} s")
    from diemtin.archive import config

    whole = story_labels(pile.articles, paragraphs=config.LEAD_PARAGRAPHS)
    print(f"the same on the whole text (the archive's features): {_b3_line(whole, gold)}")

    if args.baseline_only:
        return
    modes = [("batches of 1-400, random order", lambda: rng.randint(1, 400))]
    if not args.no_one:
        modes.append(("one article per add", lambda: 1))
    for name, size in modes:
        with tempfile.TemporaryDirectory() as d, Archive(Path(d) / "q.db") as ar:
            t = time.perf_counter()
            i = 0
            while i < len(items):
                k = size()
                batch = [a.__class__(**{**a.__dict__, "meta": {}}) for _, a in items[i : i + k]]
                ar.add(None, clusters=[Cluster(id="feed", articles=batch)], digest=False)
                i += k
            elapsed = time.perf_counter() - t
            pred, gold = _labels(ar, gold_of)
            print(f"archive, {name}: {_b3_line(pred, gold)}  stories {len(set(pred))}  "
                  f"{elapsed:.1f} s ({len(pred)} articles stored)")


# --- the ceiling the labels allow ------------------------------------------------------
_TR, _TE, _VM = SOURCE_NAMES
# gold stories that report one event (read by hand among the 45 gold-story pairs with the
# highest average cosine): AbMuSu train and test were collected over the same weeks
SAME_EVENT = [
    [(_TE, 132), (_TE, 238), (_TR, 126)], [(_TR, 36), (_TR, 192)], [(_VM, 35), (_VM, 75)],
    [(_TE, 112), (_TR, 28), (_TE, 177)], [(_VM, 28), (_VM, 29)], [(_TE, 164), (_TE, 236)], [(_TE, 219), (_TR, 33)],
    [(_VM, 67), (_VM, 68)], [(_VM, 54), (_VM, 55)], [(_VM, 80), (_VM, 81)], [(_TR, 94), (_TR, 111)],
    [(_TE, 285), (_TR, 9)], [(_TE, 110), (_TE, 231)], [(_TE, 134), (_TR, 136)], [(_TE, 30), (_TE, 148)],
    [(_TR, 87), (_TR, 101)], [(_TE, 226), (_TR, 0), (_TR, 128)], [(_TE, 28), (_TE, 166)], [(_TR, 15), (_TR, 21)],
    [(_TE, 144), (_TE, 202)], [(_TE, 49), (_TE, 168)],
]
LIKELY_SAME = [  # the same running story by most readings (daily market reports, one epidemic wave)
    [(_TE, 20), (_TE, 241)], [(_TR, 39), (_TR, 156)], [(_TE, 24), (_TE, 246)], [(_TE, 229), (_TR, 59)],
    [(_TR, 25), (_TR, 178)], [(_TE, 271), (_TR, 40)], [(_TR, 186), (_TR, 199), (_TE, 286)], [(_TR, 17), (_TR, 155)],
]
# articles of a topical gold story that report another event (read by hand among the 45
# articles least similar to the rest of their gold story): an event-level split cuts them off
OTHER_EVENT_TITLES = [
    "Nước xuất khẩu dầu ăn lớn nhất khu vực", "Phát hiện vụ vận chuyển trái phép 4,5 kg cần sa",
    "Cuba sắp cử gần 500 bác sĩ", "Cuba bán đồng USD", "'Ông chủ' Tesla: Thế giới vẫn cần",
    "Mỹ muốn chấm dứt phụ thuộc vào nguồn cung đất hiếm", "Chuyến hàng hỗ trợ nhân đạo thứ 15 của Ấn Độ",
    "ĐT Mỹ chốt danh sách dự Copa", "Đào ao, phát hiện ngôi mộ cổ", "Naftogaz ủng hộ",
    "30 phút giải cứu thanh niên câm điếc", "Sự thật về xác ướp chú chó", "Động đất mạnh 7,3 độ ở Philippines",
    "Australia đang trải qua đợt dịch cúm", "Thu lãi bất chính hơn 4 tỷ đồng", "Vận tải cơ An-12 Ukraine",
    "Người chồng nhảy xuống sông tự tử", "Những hình ảnh đầu tiên về bầu cử sớm tại Kỳ Sơn",
]


def ceiling(args: argparse.Namespace) -> None:
    """B3 against the gold labels of a clustering that is right about every event: the most
    any story splitter can score on the pool, given labels that split one event into several
    gold stories and put several events in one."""
    items = pooled()
    gold = [g for g, _ in items]
    alias = {g: group[0] for group in SAME_EVENT for g in group}
    likely = {**alias, **{g: group[0] for group in LIKELY_SAME for g in group}}
    other = {a.id: ("other", k) for _, a in items for k, t in enumerate(OTHER_EVENT_TITLES) if a.title.startswith(t)}
    print(f"pool: {len(items)} articles, {len(set(gold))} gold stories; {len(SAME_EVENT)} groups of "
          f"{len(alias)} gold stories are one event each (+{len(LIKELY_SAME)} likely groups); "
          f"{len(other)} articles report another event than their gold story")
    rows = [("one event, several gold stories (certain)", [alias.get(g, g) for g in gold]),
            ("  + likely", [likely.get(g, g) for g in gold]),
            ("several events, one gold story", [other.get(a.id, g) for g, a in items]),
            ("both (certain)", [other.get(a.id, alias.get(g, g)) for g, a in items]),
            ("both (+ likely)", [other.get(a.id, likely.get(g, g)) for g, a in items])]
    for name, pred in rows:
        print(f"  event-perfect, {name}: {_b3_line(pred, gold)}")


# --- synthetic stream ----------------------------------------------------------------
NUMBER = re.compile(r"\d+")
DAY_MONTH = re.compile(r"\b(ngày|hôm|sáng|chiều|tối|trưa|đêm)\s+(\d{1,2})/(\d{1,2})\b")
COPY_SPACING_DAYS = 45  # > 2 x the archive's time window: copies of one event do not mix
START = date(2015, 1, 1)


def _shift_numbers(text: str, shift: int) -> str:
    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        if len(s) == 4 and s.startswith(("19", "20")):  # a year: shift it by the copy's years
            return str(int(s) + shift // 8)
        return str(int(s) + shift) if len(s) <= 3 else s
    return NUMBER.sub(one, text)


def _shift_dates(text: str, days: int) -> str:
    def one(m: re.Match[str]) -> str:
        try:
            d = date(2022, int(m.group(3)), int(m.group(2))) + timedelta(days=days)
        except ValueError:
            return m.group(0)
        return f"{m.group(1)} {d.day}/{d.month}"
    return DAY_MONTH.sub(one, text)


def _rewrite_title(title: str, rnd: random.Random) -> str:
    words = title.split()
    if len(words) > 6 and rnd.random() < 0.5:
        cut = rnd.randint(3, len(words) - 3)
        words = words[cut:] + words[:cut]  # the same words, another order
    elif len(words) > 5:
        words = words[: len(words) - rnd.randint(1, 2)]  # a shorter headline
    prefix = rnd.choice(["", "", "Cập nhật:", "Nóng:", "Tin mới:"])
    return " ".join(([prefix] if prefix else []) + words)


def _variant(a: Article, aid: str, copy: int, variant: int, when: date) -> Article:
    rnd = random.Random(f"{a.id}/{copy}/{variant}")
    paras = [p for p in a.raw_text.split("\n") if p.strip()]
    if variant:
        head, rest = paras[:1], paras[1:]
        rest = [p for p in rest if rnd.random() > 0.2] or rest[:1]  # some paragraphs dropped
        for i in range(0, len(rest) - 1, 2):
            if rnd.random() < 0.5:
                rest[i], rest[i + 1] = rest[i + 1], rest[i]  # and some reordered
        paras = head + rest
    shift = copy * 3 + variant
    body = "\n".join(_shift_dates(_shift_numbers(p, shift), copy * COPY_SPACING_DAYS) for p in paras)
    title = _shift_numbers(a.title if not variant else _rewrite_title(a.title, rnd), shift)
    lead = _shift_numbers(a.lead, shift) if a.lead else None
    return Article(id=aid, title=title, raw_text=body, lead=lead, published=when.isoformat())


def stream(n: int, base: list[Cluster]) -> list[tuple[tuple[int, int], Article]]:
    """The first ``n`` synthetic articles in publication order, with (cluster, copy) labels."""
    out = []
    copy = 0
    while len(out) < n + 2000:
        rnd = random.Random(copy)
        for k, c in enumerate(base):
            day0 = START + timedelta(days=copy * COPY_SPACING_DAYS + rnd.randint(0, COPY_SPACING_DAYS // 3))
            members = []
            for a in c.articles:
                members.append((a, 0))
                if rnd.random() < 0.45:
                    members.append((a, 1))  # a variant: the same story told by another outlet
            for m, (a, v) in enumerate(members):
                when = day0 + timedelta(days=rnd.randint(0, 3))
                out.append(((k, copy), _variant(a, f"s{copy}-{k}-{m}", copy, v + m, when), when, rnd.random()))
        copy += 1
    out.sort(key=lambda x: (x[2], x[3]))
    return [(label, a) for label, a, _, _ in out[: n + 2000]]


def _live_descendants_cpu() -> float:
    """CPU seconds of the live descendants of this process (the archive keeps its cleaning
    pool, under a forkserver, between `add` calls), read from /proc (Linux)."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    me, total = os.getpid(), 0.0
    for pid in parent:
        p = parent[pid]
        while p > 1 and p != me:
            p = parent.get(p, 0)
        if p == me and pid != me:
            total += cpu[pid]
    return total


def _main_cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _cpu() -> float:
    """CPU seconds of this process and its children, reaped or alive (the cleaning pool): on a
    shared machine this moves far less with other people's load than wall time does."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + _live_descendants_cpu()


def scale_one(n: int, plus: int, jobs: int) -> dict[str, float]:
    base = [c for c in read_inputs([str(p) for p in SOURCES]) if c.articles]
    items = stream(n + plus, base)
    gold_of = {a.id: label for label, a in items}
    with tempfile.TemporaryDirectory() as d, Archive(Path(d) / "s.db") as ar:
        t, cpu, main_cpu = time.perf_counter(), _cpu(), _main_cpu()
        for i in range(0, n, 1000):
            ar.add(None, clusters=[Cluster(id="feed", articles=[a for _, a in items[i : min(i + 1000, n)]])],
                   digest=False, jobs=jobs)
        build, build_cpu, build_main = time.perf_counter() - t, _cpu() - cpu, _main_cpu() - main_cpu
        rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pred, gold = _labels(ar, gold_of)
        p, r, f = bcubed(pred, gold)
        out = {"n": n, "build_s": build, "build_cpu_s": build_cpu, "build_main_cpu_s": build_main,
               "peak_rss_mb": rss_build, "b3_p": p, "b3_r": r,
               "b3_f1": f, "stories": len(set(pred)), "db_mb": (Path(d) / "s.db").stat().st_size / 2**20}
        if plus:
            t, cpu = time.perf_counter(), _cpu()
            rep = ar.add(None, clusters=[Cluster(id="feed", articles=[a for _, a in items[n : n + plus]])],
                         digest=True, jobs=jobs)
            out.update(plus=plus, plus_s=time.perf_counter() - t, plus_cpu_s=_cpu() - cpu, plus_digested=rep.digested,
                       peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def scale(args: argparse.Namespace) -> None:
    results = []
    cmds = [[sys.executable, __file__, "_scale_one", str(n), str(args.plus if n == max(args.sizes) else 0),
             str(args.jobs)] for n in args.sizes]
    # --parallel: all sizes at once (CPU times stay comparable; wall times then include each other's load)
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in cmds] if args.parallel else []
    for k, n in enumerate(args.sizes):
        if args.parallel:
            stdout = procs[k].communicate()[0]
        else:
            stdout = subprocess.run(cmds[k], check=True, capture_output=True, text=True).stdout
        res = json.loads(stdout.splitlines()[-1])
        results.append(res)
        print(f"{n:>7,} articles: build {res['build_s']:7.1f} s wall, {res.get('build_cpu_s', 0):7.1f} s CPU "
              f"(writer process {res['build_main_cpu_s']:.1f} s) "
              f"({res['build_s'] / n * 1000:.2f} ms/article wall), "
              f"peak RSS {res['peak_rss_mb']:7.0f} MB, B3 P {res['b3_p']:.3f} R {res['b3_r']:.3f} "
              f"F1 {res['b3_f1']:.3f}, {res['stories']:,} stories, db {res['db_mb']:.0f} MB", flush=True)
        if "plus_s" in res:
            print(f"   + {res['plus']:,} articles to the {n:,} archive: {res['plus_s']:.1f} s wall, "
                  f"{res.get('plus_cpu_s', 0):.1f} s CPU, including "
                  f"{res['plus_digested']} stories re-digested")
    for a, b in zip(results, results[1:], strict=False):
        k = math.log(b["build_s"] / a["build_s"]) / math.log(b["n"] / a["n"])
        kc = math.log(b["build_cpu_s"] / a["build_cpu_s"]) / math.log(b["n"] / a["n"])
        print(f"growth exponent {a['n']:,} -> {b['n']:,}: {k:.2f} (wall), {kc:.2f} (CPU)")


# --- update summaries ----------------------------------------------------------------
def _update_reference(reference: str, earlier: set, later: set) -> str:
    """The part of a human summary of the whole story that the later half supports better
    than the earlier half: what a human update summary would keep. Its sentences are judged
    on the articles, not by the update summarizer's own novelty rule."""
    from diemtin.archive.update import content_bigrams
    from diemtin.segment.sentences import split_sentences

    kept = []
    for start, end in split_sentences(reference):
        grams = content_bigrams(reference[start:end])
        if grams and len(grams & later) > len(grams & earlier):
            kept.append(reference[start:end])
    return " ".join(kept)


def update(args: argparse.Namespace) -> None:
    """Update summaries of the later half vs plain summaries of it, three ROUGE comparisons:

    - ``full``: against the human summary of the whole story, each summary cut to the budget
      (what the previous measurement reported; it favours the plain summary twice: the
      reference covers the earlier half too, which an update must leave out, and the update
      summary is often shorter than the budget because few later sentences are new);
    - ``same length``: the plain summary cut to the update summary's length, per cluster;
    - ``update ref``: against the sentences of the human summary the later half supports
      better than the earlier half (both summaries at the same length): the fair target.
    """
    from diemtin import pipeline
    from diemtin.archive import config
    from diemtin.archive.tasks import story_cluster
    from diemtin.archive.update import content_bigrams, known_bigrams, novel_articles
    from diemtin.evaluation.evaluate import score_text
    from diemtin.lang.tokens import count_syllables, truncate_syllables

    args.containment = args.containment or config.NOVELTY_CONTAINMENT
    end = None if args.limit is None else args.offset + args.limit
    clusters = read_inputs([str(DATA / "vims-dev")])[args.offset : end] + read_inputs(
        [str(DATA / "abmusu" / "train.jsonl")])[args.offset : end]
    rows: dict[str, list[tuple[float, ...]]] = {"plain": [], "update": []}
    dated = no_update_ref = 0
    for c in clusters:
        if not c.references or len(c.articles) < 2:
            continue
        pipeline.prepare(c)
        if len(c.articles) < 2:
            continue
        # publication order; articles without a date keep their input order (stable sort)
        order = sorted(c.articles, key=lambda a: a.published or "")
        dated += all(a.published for a in c.articles)
        half = len(order) // 2
        earlier, later = order[:half], order[half:]
        known, known_later = known_bigrams(earlier), known_bigrams(later)
        texts = {}
        for name, arts in (("plain", later), ("update", novel_articles(earlier, later, args.containment))):
            cluster = pipeline.finish(story_cluster(0, arts), args.words, ("summary",))
            texts[name] = truncate_syllables(" ".join(s.text for s in cluster.digest.summary), args.words)
        length = count_syllables(texts["update"])
        refs_update = [r for r in (_update_reference(r, known, known_later) for r in c.references) if r]
        no_update_ref += not refs_update
        for name, text in texts.items():
            grams = content_bigrams(text)
            repeat = len(grams & known) / len(grams) if grams else 0.0
            full = score_text(c.references, text, args.words)
            same = score_text(c.references, text, length)
            upd = score_text(refs_update, text, length) if refs_update else None
            rows[name].append((repeat, full["rouge1"].f, full["rouge2"].f, same["rouge1"].f, same["rouge2"].f,
                               upd["rouge1"].f if upd else math.nan, upd["rouge2"].f if upd else math.nan,
                               upd["rouge2"].r if upd else math.nan, count_syllables(text)))
    n = len(rows["plain"])
    print(f"{n} dev clusters (ViMs dev + AbMuSu train) split by publication order ({dated} fully dated, the "
          f"rest in input order); summaries of the later half, budget {args.words} syllables; ROUGE F on "
          f"syllables; update ref: empty for {no_update_ref} clusters (left out of that column)")
    for name in ("plain", "update"):
        cols = [statistics.mean(v for x in rows[name] if not math.isnan(v := x[i])) for i in range(9)]
        print(f"  {name:>6}: repeats {cols[0]:.3f} of its content bigrams from the earlier half; "
              f"{cols[8]:.0f} syllables; full ref R1 {cols[1]:.4f} R2 {cols[2]:.4f}; same length R1 {cols[3]:.4f} "
              f"R2 {cols[4]:.4f}; update ref (same length) R1 {cols[5]:.4f} R2 {cols[6]:.4f} (R2 recall {cols[7]:.4f})")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_scale_one":
        print(json.dumps(scale_one(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--no-one", action="store_true", help="skip the one-article-at-a-time run")
    q.add_argument("--baseline-only", action="store_true", help="only the stories.split baseline")
    s = sub.add_parser("scale")
    s.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000])
    s.add_argument("--plus", type=int, default=1000)
    s.add_argument("--jobs", type=int, default=2)
    s.add_argument("--parallel", action="store_true", help="run the sizes at the same time")
    sub.add_parser("ceiling", help="B3 of an event-perfect clustering against the gold labels")
    u = sub.add_parser("update")
    u.add_argument("--words", type=int, default=100)
    u.add_argument("--limit", type=int, default=None, help="N clusters of each dataset")
    u.add_argument("--offset", type=int, default=0, help="skip the first N clusters of each dataset")
    u.add_argument("--containment", type=float, default=None, help="novelty containment (default: config)")
    args = ap.parse_args()
    {"quality": quality, "scale": scale, "update": update, "ceiling": ceiling}[args.cmd](args)


if __name__ == "__main__":
    main()
