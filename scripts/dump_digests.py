"""Dump the JSON digests (all parts, timings removed) of a fixed check corpus, one a line.

Run from the repository root:  .venv/bin/python scripts/dump_digests.py OUT.jsonl

For speed work that must not change output: dump on the base commit and after each change,
then ``cmp`` the files. Corpus: the 300 AbMuSu test clusters, the first 100 train clusters,
the first 40 ViMs dev clusters and the seed cluster (441 digests), from ``../shared/data``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from diemtin.ingest.read import read_inputs
from diemtin.pipeline import ALL_PARTS, process
from diemtin.render.formats import to_dict

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ns = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"data not found: {DATA}", file=sys.stderr)
        return 2
    clusters = (read_inputs([DATA / "abmusu" / "test-inputs.jsonl"])
                + read_inputs([DATA / "abmusu" / "train.jsonl"])[:100]
                + read_inputs([str(DATA / "vims-dev")])[:40]
                + read_inputs([str(DATA / "seed-cluster")]))
    with ns.out.open("w", encoding="utf-8") as f:
        for c in clusters:
            process(c, words=200, parts=ALL_PARTS)
            d = to_dict(c)
            d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("_ms")}  # timings vary
            f.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(clusters)} digests, sha256 {hashlib.sha256(ns.out.read_bytes()).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
