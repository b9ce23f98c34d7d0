"""Bounded load test of `diemtin serve` on loopback (issues 5 and 8).

1. Health with a long digest in flight: /api/health polled every 20 ms on an idle server
   (the baseline, same run), then while long digests (a pile of --long-articles real
   AbMuSu articles, one per worker) run. Target: p95 < 100 ms.
2. Load: N digest requests of the seed cluster, C at a time, health polled meanwhile.
   Reports p50/p95/max latency, failures and throughput.

The server runs in this process (its own thread and event loop); digests run in its
worker processes.

    .venv/bin/python benchmarks/bench_serve.py [--requests 200] [--concurrency 8] [--workers 2]
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

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = DATA / "seed-cluster"
ABMUSU = DATA / "abmusu" / "train.jsonl"


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


def long_pile(n: int) -> list[dict]:
    """``n`` real articles from consecutive AbMuSu clusters: one long mixed pile."""
    out: list[dict] = []
    with ABMUSU.open(encoding="utf-8") as f:
        for line in f:
            for doc in json.loads(line)["single_documents"]:
                out.append({"title": doc.get("title") or "", "text": doc["raw_text"]})
                if len(out) == n:
                    return out
    return out


async def probe_health(url: str, seconds: float | None, until: asyncio.Event | None, interval: float) -> list[float]:
    ms: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as probe:
        t0 = time.perf_counter()
        while (until is None or not until.is_set()) and (seconds is None or time.perf_counter() - t0 < seconds):
            t = time.perf_counter()
            r = await probe.get("/api/health")
            if r.status_code == 200:
                ms.append((time.perf_counter() - t) * 1000)
            await asyncio.sleep(interval)
    return ms


async def health_during_long_digests(url: str, body: dict, digests: int, interval: float) -> dict:
    idle = await probe_health(url, 3.0, None, interval)  # baseline: nothing in flight
    done = asyncio.Event()
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:

        async def one() -> tuple[int, float]:
            t = time.perf_counter()
            r = await client.post("/api/digest", json=body)
            return r.status_code, time.perf_counter() - t

        probe = asyncio.create_task(probe_health(url, None, done, interval))
        results = await asyncio.gather(*(one() for _ in range(digests)))
        done.set()
        busy = await probe
    return {"idle": idle, "busy": busy, "digests": results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=Limits().workers, help="digest processes in the server")
    ap.add_argument("--long-articles", type=int, default=50, help="articles in the long digest (max 50)")
    ap.add_argument("--interval", type=float, default=0.02, help="seconds between health probes")
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
    # one load generator plays every client: its share is the whole queue
    pending = max(Limits.max_pending, args.concurrency)
    limits = Limits(workers=args.workers, max_pending=pending, max_pending_per_client=pending, timeout_s=600)
    long_body = {"articles": long_pile(args.long_articles), "words": args.words} if ABMUSU.is_file() else None
    with BackgroundServer(create_app(limits=limits)) as server:
        httpx.post(f"{server.url}/api/digest", json=body, timeout=120)  # warm-up: imports, caches
        for _ in range(args.workers):  # every worker warm
            httpx.post(f"{server.url}/api/digest", json=body, timeout=120)
        long = None
        if long_body is not None:
            long = asyncio.run(health_during_long_digests(server.url, long_body, args.workers, args.interval))
        res = asyncio.run(load(server.url, body, args.requests, args.concurrency, timeout=180))

    if long is not None:
        size = sum(len(a["text"].encode()) for a in long_body["articles"]) // 1024
        print(
            f"health with long digests in flight: {args.workers} digest(s) of a {len(long_body['articles'])}-article "
            f"pile ({size} KB), health polled every {args.interval * 1000:.0f} ms"
        )
        print(summary("idle", long["idle"]) + "   (baseline, same run: nothing in flight)")
        print(
            summary("busy", long["busy"])
            + f"   target p95 < 100 ms: {'ok' if pct(long['busy'], 0.95) < 100 else 'MISSED'}"
        )
        print("long digests: " + ", ".join(f"HTTP {s} in {t:.1f} s" for s, t in long["digests"]))

    print(
        f"diemtin serve: {args.requests} digests of the seed cluster ({len(articles)} articles, "
        f"{args.words} words), {args.concurrency} concurrent, {args.workers} digest processes"
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
                | (
                    {
                        "long_idle_health_p95_ms": pct(long["idle"], 0.95),
                        "long_busy_health_p95_ms": pct(long["busy"], 0.95),
                    }
                    if long
                    else {}
                )
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
