"""Bounded load test of `diemtin serve` on loopback (issue 5).

N digest requests of the seed cluster, C at a time, against a server in this process
(its own thread and event loop); meanwhile /api/health is polled to show the event loop
stays responsive. Reports p50/p95/max latency, failures and throughput.

    .venv/bin/python benchmarks/bench_serve.py [--requests 200] [--concurrency 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

from diemtin.app.serve import BackgroundServer, Limits, create_app

SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed-cluster"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, ms: list[float]) -> str:
    return (
        f"{name:<8} n={len(ms):<4} p50={pct(ms, 0.5):8.1f} ms  p95={pct(ms, 0.95):8.1f} ms  "
        f"max={max(ms, default=float('nan')):8.1f} ms"
    )


async def load(url: str, body: dict, n: int, concurrency: int, timeout: float) -> dict:
    latencies: list[float] = []
    health: list[float] = []
    failures: dict[str, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=concurrency + 2)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:

        async def worker() -> None:
            while True:
                try:
                    queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                try:
                    r = await client.post("/api/digest", json=body)
                    key = None if r.status_code == 200 and r.json().get("summary") else str(r.status_code)
                except httpx.HTTPError as e:
                    key = type(e).__name__
                latencies.append((time.perf_counter() - t) * 1000)
                if key:
                    failures[key] = failures.get(key, 0) + 1

        async def prober() -> None:
            # Its own connection so it never waits behind a digest on a shared one.
            async with httpx.AsyncClient(base_url=url, timeout=timeout) as probe:
                while not done.is_set():
                    t = time.perf_counter()
                    r = await probe.get("/api/health")
                    if r.status_code == 200:
                        health.append((time.perf_counter() - t) * 1000)
                    else:
                        failures[f"health {r.status_code}"] = failures.get(f"health {r.status_code}", 0) + 1
                    await asyncio.sleep(0.1)

        t0 = time.perf_counter()
        probe_task = asyncio.create_task(prober())
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
        done.set()
        await probe_task
    return {"latencies": latencies, "health": health, "failures": failures, "wall_s": wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=Limits.workers, help="digest threads in the server")
    ap.add_argument("--words", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="print the raw numbers as JSON too")
    args = ap.parse_args(argv)
    if not SEED.is_dir():
        print(f"seed cluster not found at {SEED}", file=sys.stderr)
        return 2
    articles = []
    for f in sorted(SEED.glob("*.txt")):
        title, _, text = f.read_text(encoding="utf-8").lstrip().partition("\n")
        articles.append({"title": title.strip(), "text": text})
    body = {"articles": articles, "words": args.words}

    # Room for every request in flight: this measures latency, not the 503 shedding.
    limits = Limits(workers=args.workers, max_pending=max(Limits.max_pending, args.concurrency), timeout_s=120)
    with BackgroundServer(create_app(limits=limits)) as server:
        httpx.post(f"{server.url}/api/digest", json=body, timeout=120)  # warm-up: imports, caches
        res = asyncio.run(load(server.url, body, args.requests, args.concurrency, timeout=180))

    print(
        f"diemtin serve: {args.requests} digests of the seed cluster ({len(articles)} articles, "
        f"{args.words} words), {args.concurrency} concurrent, {args.workers} digest threads"
    )
    print(summary("digest", res["latencies"]))
    print(summary("health", res["health"]) + "   (polled every 100 ms while digests run)")
    total_failures = sum(res["failures"].values())
    print(f"failures {total_failures} {res['failures'] or ''}")
    print(f"wall {res['wall_s']:.1f} s, throughput {args.requests / res['wall_s']:.2f} digests/s")
    if args.json:
        print(
            json.dumps(
                {k: res[k] for k in ("failures", "wall_s")}
                | {
                    "digest_p50_ms": pct(res["latencies"], 0.5),
                    "digest_p95_ms": pct(res["latencies"], 0.95),
                    "health_p50_ms": pct(res["health"], 0.5),
                    "health_p95_ms": pct(res["health"], 0.95),
                    "health_mean_ms": statistics.fmean(res["health"]) if res["health"] else None,
                }
            )
        )
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
