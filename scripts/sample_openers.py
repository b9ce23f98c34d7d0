"""Sample summary sentences for a blind lost-context read (held-out clusters, no references).

Summarizes the AbMuSu test inputs (never used for training or tuning) and writes, for a random
sample of the summary sentences that do *not* follow their article's previous sentence in the
summary, the sentence and the summary sentence printed before it. A reader who has not seen the
code labels each one: does it lean on context the summary does not give? That rate, not the
detector's own count (``diemtin eval`` reports 0% for diemtin, since the selector uses the same
detector), is the held-out measure of lost context.

    .venv/bin/python scripts/sample_openers.py OUT.json [--words 200] [--n 300] [--seed 11] [--odd | --even]
        [--exclude EARLIER.json ...]

``--exclude``: earlier samples whose sentences are left out, so that a new read holds only
sentences no reader (and no one writing a rule after that read) has seen.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from diemtin.ingest.read import read_inputs
from diemtin.options import DigestOptions
from diemtin.pipeline import process

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "abmusu" / "test-inputs.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--words", type=int, default=200)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    parity = ap.add_mutually_exclusive_group()
    parity.add_argument("--odd", action="store_true", help="only clusters of odd rank (keep the even ones to look at)")
    parity.add_argument("--even", action="store_true", help="only clusters of even rank (the ones to look at)")
    ap.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier samples: their sentences are left out")
    args = ap.parse_args()
    seen = {r["sentence"] for path in args.exclude for r in json.loads(path.read_text(encoding="utf-8"))}
    rows = []
    for k, cluster in enumerate(read_inputs([args.data])):
        if (args.odd and k % 2 == 0) or (args.even and k % 2 == 1):
            continue
        digest = process(cluster, options=DigestOptions(words=args.words, parts=("summary",))).digest
        previous = None
        for s in digest.summary if digest else []:
            ref = s.sources[0]
            follows = previous is not None and any(
                p.article == ref.article and p.sentence == ref.sentence - 1 for p in previous.sources
            )
            if not follows and s.text not in seen:
                rows.append({"cluster": cluster.id, "previous_in_summary": previous.text if previous else None,
                             "sentence": s.text})
            previous = s
    random.Random(args.seed).shuffle(rows)
    sample = [{"id": i, **r} for i, r in enumerate(rows[: args.n])]
    args.out.write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(sample)} of {len(rows)} sentences -> {args.out}"
          + (f" ({len(seen)} sentences of earlier samples left out)" if seen else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
