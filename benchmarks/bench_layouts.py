"""The layout generator over a big sample: dressed real articles, read and cleaned, scored.

    PYTHONPATH=src python benchmarks/bench_layouts.py [--n 300] [--seeds 11,2026,31337] [-v]

Prints, per seed and pooled: body sentences kept, chrome leaked, wrong ``published``
(targets: kept >= 99.5 %, leaked < 1 %, wrong published 0). See ``tests/layouts.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import layouts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="articles per seed")
    ap.add_argument("--seeds", default=",".join(map(str, layouts.SEEDS)))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not layouts.DATA.exists():
        sys.exit(f"data not found at {layouts.DATA}")
    sources = layouts.load_sources()
    pooled = layouts.Score()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in (int(s) for s in args.seeds.split(",")):
            t = time.perf_counter()
            sc = layouts.run(seed, args.n, sources, Path(tmp), verbose=args.verbose)
            print(f"seed {seed}: {sc.line()}  [{time.perf_counter() - t:.1f} s]")
            if args.verbose:
                for k, v in sorted(sc.leaked_by_kind.items()):
                    print(f"    leaked {k}: {v}/{sc.chrome_by_kind[k]}")
                for e in sc.examples[:40]:
                    print("    " + e)
            pooled.add(sc)
    print(f"pooled: {pooled.line()}")
    for k in sorted(pooled.chrome_by_kind):
        print(f"    {k}: leaked {pooled.leaked_by_kind[k]}/{pooled.chrome_by_kind[k]}")


if __name__ == "__main__":
    main()
