"""The hostile-input corpus in numbers (issue 8, "Done means").

Run from the repository root:  .venv/bin/python benchmarks/bench_hostile.py [--seeds 11,29,47,101,202]

Builds the generated corpus of ``tests/test_hostile.py`` for each seed (the test's seeds and
others it never saw) and runs every input through the Python API alone and beside a good
article (a real seed-cluster article), then all of a seed's inputs in one CLI run with the good
article. Prints: inputs, Python exceptions / tracebacks, the slowest run, how often the good
article was digested, how many bad inputs were reported on one line naming them.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_hostile import BUDGET, Case, _json_outputs, corpus  # noqa: E402

import diemtin  # noqa: E402

GOOD = ROOT.parent / "shared" / "data" / "seed-cluster"


def _reported(clusters: list, case: Case) -> bool:
    return any(case.name in p.source and "\n" not in str(p) and (p.fatal or case.expect != "refused")
               for c in clusters for p in c.problems)


def api(cases: list[Case], good: Path, stats: collections.Counter, worst: list[float]) -> None:
    for case in cases:
        for with_good in (False, True):
            inputs = [str(good), case.api_arg] if with_good else [case.api_arg]
            t = time.perf_counter()
            try:
                result = diemtin.digest(inputs, options=BUDGET)
            except Exception:  # noqa: BLE001 - counted, that is the point
                stats["api exceptions"] += 1
                continue
            finally:
                worst.append(time.perf_counter() - t)
            clusters = result if isinstance(result, list) else [result]
            stats["api runs"] += 1
            if with_good:
                stats["good beside a bad input"] += 1
                kept = [a for c in clusters for a in c.articles if a.path == str(good) and a.sentences]
                stats["good digested"] += bool(kept)
            if case.expect != "accepted":
                stats["bad runs"] += 1
                stats["bad reported"] += _reported(clusters, case)


def cli(cases: list[Case], good: Path, stats: collections.Counter, worst: list[float]) -> None:
    cmd = [sys.executable, "-m", "diemtin.app.cli", "digest", "-f", "json", "--no-progress", "--words", "80",
           "--time-budget", str(BUDGET.cluster_time_budget_s), str(good), *(c.arg for c in cases)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=600, cwd=ROOT)
    worst.append(time.perf_counter() - t)
    stderr = proc.stderr.decode("utf-8", "replace")
    stats["cli tracebacks"] += stderr.count("Traceback")
    lines = stderr.splitlines()
    stats["cli lines not one-problem"] += sum(not ln.startswith("diemtin: ") for ln in lines)
    try:
        outs = _json_outputs(proc.stdout)
    except ValueError:
        stats["cli invalid output"] += 1
        outs = []
    stats["cli good digested"] += any(a["path"] == str(good) for o in outs for a in o["articles"])
    bad = [c for c in cases if c.expect != "accepted"]
    stats["cli bad"] += len(bad)
    stats["cli bad reported"] += sum(any(c.name in ln for ln in lines) for c in bad)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="11,29,47,101,202")
    args = ap.parse_args()
    good = sorted(GOOD.glob("*.txt"))[0]
    body = good.read_text(encoding="utf-8").split("\n", 1)[1]
    stats: collections.Counter = collections.Counter()
    api_times: list[float] = []
    cli_times: list[float] = []
    kinds: collections.Counter = collections.Counter()
    with tempfile.TemporaryDirectory() as d:
        for seed in (int(s) for s in args.seeds.split(",")):
            root = Path(d) / str(seed)
            root.mkdir()
            cases = corpus(root, seed, body)
            stats["inputs"] += len(cases)
            kinds.update(c.kind for c in cases)
            api(cases, good, stats, api_times)
            cli(cases, good, stats, cli_times)
    print(f"inputs: {stats['inputs']} ({len(kinds)} kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
          + ")")
    print(f"API: {stats['api runs']} runs, {stats['api exceptions']} exceptions, slowest {max(api_times):.2f} s; "
          f"good article digested {stats['good digested']}/{stats['good beside a bad input']}; "
          f"bad inputs reported {stats['bad reported']}/{stats['bad runs']}")
    print(f"CLI: {len(cli_times)} batch runs, {stats['cli tracebacks']} tracebacks, "
          f"{stats['cli lines not one-problem']} stderr lines that are not a problem line, "
          f"{stats['cli invalid output']} invalid outputs, slowest batch {max(cli_times):.1f} s; "
          f"good article digested {stats['cli good digested']}/{len(cli_times)}; "
          f"bad inputs reported {stats['cli bad reported']}/{stats['cli bad']}")


if __name__ == "__main__":
    main()
