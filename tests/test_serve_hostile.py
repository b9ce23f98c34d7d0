"""The service against hostile requests, slow clients and runaway work (issue 8, section 4).

Every malformed request gets a 4xx JSON answer (a stable ``error`` code, a Vietnamese
``message``), never a 5xx; slow clients are cut off; a digest past its budget is stopped in
its worker process; a failing stage still gives 200 with the problem listed.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import serve_helpers

from diemtin.app.jobs import warm_up
from diemtin.app.serve import BackgroundServer, Limits, create_app, safe_filename
from diemtin.app.workers import WorkerPool

GOOD = {
    "title": "Hà Nội mở rộng xe buýt điện",
    "text": "Sáng 3/4, thành phố công bố kế hoạch mở rộng tuyến xe buýt điện. "
    "Theo kế hoạch, 120 xe mới sẽ chạy trước cuối năm. Ông Trần Văn Minh cho biết giá vé giữ nguyên.",
}
VIETNAMESE_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


WORKER_MEMORY_MB = 1024


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(2, 32, initializer=partial(warm_up, WORKER_MEMORY_MB))
    yield workers
    workers.close()


@pytest.fixture(scope="module")
def live(pool: WorkerPool) -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(pool=pool)) as server:
        yield server


def body_of(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def raw_json(text: str) -> bytes:
    return text.encode("utf-8")


def good_with(**fields: Any) -> bytes:
    return body_of({"articles": [GOOD], **fields})


def jsonl_upload(*lines: str) -> dict[str, Any]:
    return {"files": [("files", ("bai.jsonl", "\n".join(lines).encode(), "application/x-ndjson"))]}


def multipart(fields: dict[str, bytes]) -> dict[str, Any]:
    """A raw multipart body: form values as given bytes (httpx would refuse to encode some)."""
    parts = [
        b'--b0\r\nContent-Disposition: form-data; name="' + k.encode() + b'"\r\n\r\n' + v + b"\r\n"
        for k, v in fields.items()
    ]
    parts.append(b'--b0\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nTin\nBai.\r\n')
    return {"content": b"".join(parts) + b"--b0--\r\n", "headers": {"content-type": "multipart/form-data; boundary=b0"}}


BIG_INT = "9" * 4301
SURROGATE_ARTICLE = '{"title": "Tin", "text": "Nội dung \\udfff bài báo."}'
SURROGATE_LEAD = '{"title": "Tin", "text": "Nội dung bài báo đủ dài.", "lead": "\\ud800"}'

# (name, request kwargs for httpx, allowed statuses). JSON bodies go as raw bytes so the
# hostile spellings (Infinity, lone surrogates, huge numbers) reach the server unchanged.
JSON = {"content-type": "application/json"}
HOSTILE: list[tuple[str, dict[str, Any], set[int]]] = [
    ("deep list", {"content": b"[" * 100_000, "headers": JSON}, {400}),
    ("deep in articles", {"content": b'{"articles": ' + b"[" * 100_000, "headers": JSON}, {400}),
    ("deep objects", {"content": b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "headers": JSON}, {400}),
    ("deep but closed", {"content": b"[" * 5000 + b"]" * 5000, "headers": JSON}, {400}),
    ("4301-digit words", {"content": raw_json(f'{{"articles": [], "words": {BIG_INT}}}'), "headers": JSON}, {400}),
    ("4301-digit id", {"content": raw_json(f'{{"articles": [{{"id": {BIG_INT}}}]}}'), "headers": JSON}, {400}),
    ("negative huge int", {"content": raw_json(f'{{"articles": [], "words": -{BIG_INT}}}'), "headers": JSON}, {400}),
    (
        "words Infinity",
        {"content": raw_json('{"articles": [{"text": "x"}], "words": Infinity}'), "headers": JSON},
        {400},
    ),
    ("words -Infinity", {"content": raw_json('{"articles": [], "words": -Infinity}'), "headers": JSON}, {400}),
    ("words NaN", {"content": raw_json('{"articles": [{"text": "x"}], "words": NaN}'), "headers": JSON}, {400}),
    ("words 1e400", {"content": raw_json('{"articles": [{"text": "x"}], "words": 1e400}'), "headers": JSON}, {400}),
    ("words -1e400", {"content": good_with()[:-1] + b', "words": -1e400}', "headers": JSON}, {400}),
    ("words 1e-400", {"content": good_with()[:-1] + b', "words": 1e-400}', "headers": JSON}, {422}),
    ("words 200.0", {"content": good_with(words=200.0), "headers": JSON}, {422}),
    ("words list", {"content": good_with(words=[200]), "headers": JSON}, {422}),
    ("words dict", {"content": good_with(words={"n": 200}), "headers": JSON}, {422}),
    ("words surrogate", {"content": good_with()[:-1] + b', "words": "\\udfff"}', "headers": JSON}, {422}),
    ("words huge string", {"content": good_with(words="9" * 5000), "headers": JSON}, {422}),
    ("parts surrogate", {"content": good_with()[:-1] + b', "parts": ["\\udfff"]}', "headers": JSON}, {422}),
    ("parts numbers", {"content": good_with(parts=[1, 2]), "headers": JSON}, {422}),
    ("text surrogate", {"content": raw_json(f'{{"articles": [{SURROGATE_ARTICLE}]}}'), "headers": JSON}, {422}),
    ("lead surrogate", {"content": raw_json(f'{{"articles": [{SURROGATE_LEAD}]}}'), "headers": JSON}, {422}),
    (
        "title surrogate",
        {"content": raw_json('{"articles": [{"title": "\\udc00", "text": "Bài."}]}'), "headers": JSON},
        {422},
    ),
    ("url surrogate", {"content": raw_json('{"articles": [{"url": "http://\\udfff.vn/"}]}'), "headers": JSON}, {422}),
    (
        "pair of surrogates is fine",
        {"content": raw_json('{"articles": [{"text": "😀"}], "words": 10}'), "headers": JSON},
        {200, 422},
    ),
    ("invalid UTF-8", {"content": b'{"articles": [{"text": "\xff\xfe\xc3"}]}', "headers": JSON}, {400}),
    ("UTF-8 BOM", {"content": b"\xef\xbb\xbf" + good_with(), "headers": JSON}, {200, 400}),
    ("empty body", {"content": b"", "headers": JSON}, {400}),
    ("whitespace body", {"content": b"  \n ", "headers": JSON}, {400}),
    ("truncated", {"content": good_with()[:30], "headers": JSON}, {400}),
    ("top-level string", {"content": b'"articles"', "headers": JSON}, {422}),
    ("top-level null", {"content": b"null", "headers": JSON}, {422}),
    ("articles null", {"content": b'{"articles": null}', "headers": JSON}, {422}),
    ("articles of nulls", {"content": b'{"articles": [null, [], 1, "x"]}', "headers": JSON}, {422}),
    ("text as list", {"content": body_of({"articles": [{"text": ["a", "b"]}]}), "headers": JSON}, {422}),
    ("text as operator", {"content": body_of({"articles": [{"text": {"$gt": ""}}]}), "headers": JSON}, {422}),
    (
        "text deep list",
        {"content": b'{"articles": [{"text": ' + b"[" * 900 + b"]" * 900 + b"}]}", "headers": JSON},
        {422},
    ),
    ("51 articles", {"content": body_of({"articles": [GOOD] * 51}), "headers": JSON}, {413}),
    ("body over 5 MB", {"content": b" " * (5 * 1024 * 1024 + 1), "headers": JSON}, {413}),
    ("bad content-type", {"content": good_with(), "headers": {"content-type": "text/xml"}}, {415}),
    ("no content-type", {"content": good_with(), "headers": {"content-type": ""}}, {415}),
    ("multipart without boundary", {"content": b"--x\r\n", "headers": {"content-type": "multipart/form-data"}}, {400}),
    (
        "multipart garbage",
        {"content": b"\x00\x01garbage", "headers": {"content-type": "multipart/form-data; boundary=zz"}},
        {400, 422},
    ),
    (
        "json body sent as multipart type",
        {"content": good_with(), "headers": {"content-type": "multipart/form-data; boundary=a"}},
        {400, 422},
    ),
    ("words as a file", {"files": {"words": ("w.txt", b"200"), "files": ("a.txt", b"Tin\nBai.")}}, {422}),
    ("parts as a file", {"files": {"parts": ("p.txt", b"summary"), "files": ("a.txt", b"Tin\nBai.")}}, {422}),
    ("words form field NaN", {"files": {"files": ("a.txt", b"Tin\nBai.")}, "data": {"words": "NaN"}}, {422}),
    ("words form field surrogate bytes", multipart({"words": b"\xed\xbf\xbf"}), {400, 422}),
    ("parts form field invalid bytes", multipart({"parts": b"summary\xff\xfe"}), {400, 422}),
    ("no files", {"data": {"words": "100"}, "files": {}}, {415, 422}),
    # Uploaded files are read as the CLI reads them: U+FFFD in place, a warning listed.
    ("jsonl with only surrogate lines", jsonl_upload(SURROGATE_ARTICLE, SURROGATE_LEAD), {200, 422}),
    ("jsonl deep line", jsonl_upload("[" * 100_000), {422}),
    ("jsonl huge int line", jsonl_upload(f'{{"title": "T", "text": {BIG_INT}}}'), {422}),
    ("jsonl NaN line", jsonl_upload('{"title": "T", "text": NaN}'), {422}),
    ("upload .exe", {"files": {"files": ("x.exe", b"MZ\x90\x00")}}, {422}),
    ("upload zero bytes", {"files": {"files": ("a.txt", b"")}}, {422}),
    ("upload invalid bytes", {"files": {"files": ("a.txt", bytes(range(256)) * 10)}}, {200, 422}),
    ("format xml", {"content": good_with(), "headers": JSON, "params": {"format": "xml"}}, {422}),
]


def _check_error(name: str, r: httpx.Response, allowed: set[int]) -> None:
    assert r.status_code < 500, (name, r.status_code, r.text[:300])
    assert r.status_code in allowed, (name, r.status_code, r.text[:300])
    if r.status_code >= 400:
        body = r.json()
        assert isinstance(body["error"], str) and body["error"].isascii(), (name, body)
        assert set(body["message"].lower()) & VIETNAMESE_LETTERS, (name, body)


@pytest.mark.parametrize(("name", "kwargs", "allowed"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_request_is_a_4xx(live: BackgroundServer, name: str, kwargs: dict[str, Any], allowed: set[int]) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        _check_error(name, c.post("/api/digest", **kwargs), allowed)
        if "params" not in kwargs:  # /api/clean ignores words and parts: 200 is right there
            _check_error(name, c.post("/api/clean", **kwargs), allowed | {200, 400, 413, 415, 422})


def test_bad_uploads_beside_a_good_one(live: BackgroundServer) -> None:
    good = json.dumps(GOOD, ensure_ascii=False).encode()
    bad = [
        ("surrogate.jsonl", SURROGATE_ARTICLE.encode()),
        ("deep.jsonl", b"[" * 100_000),
        ("deep.json", b"[" * 100_000),
        ("int.jsonl", f'{{"text": {BIG_INT}}}'.encode()),
        ("nan.jsonl", b'{"text": NaN, "title": "x"}'),
        ("binary.txt", bytes(range(256))),
        ("page.html", b"<html><body>" + b"<div>" * 20_000 + b"</body></html>"),
    ]
    files = [("files", (name, data)) for name, data in bad] + [("files", ("good.jsonl", good))]
    with httpx.Client(base_url=live.url, timeout=60) as c:
        r = c.post("/api/digest", files=files, data={"words": "30"})
    assert r.status_code == 200, r.text
    d = r.json()
    # The lone surrogate is read as the CLI reads it: U+FFFD in its place, and a warning.
    assert [a["title"] for a in d["articles"]] == ["Tin", GOOD["title"]]
    assert "\ufffd" in d["articles"][0]["text"]
    named = " ".join(p["source"] for p in d["problems"])
    assert all(name.split(".")[0] in named for name, _ in bad), d["problems"]  # each bad file named


def test_random_byte_soup_never_5xx(live: BackgroundServer) -> None:
    """Seeded random mutations of a valid body: truncations, byte flips, spliced tokens."""
    rng = random.Random(20260801)
    base = good_with(words=50, parts=["summary", "figures"])
    tokens = [b"[", b"{", b"NaN", b"1e999", b"\\udfff", b'"', b"\xff", b"-" + BIG_INT.encode(), b"\x00", b"}"]
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=live.url, timeout=60) as c:
        for _ in range(60):
            data = bytearray(base)
            for _ in range(rng.randint(1, 4)):
                op, at = rng.random(), rng.randrange(len(data))
                if op < 0.3:
                    del data[at:]
                elif op < 0.6:
                    data[at] = rng.randrange(256)
                else:
                    data[at:at] = rng.choice(tokens) * rng.choice([1, 3, 2000])
            r = c.post("/api/digest", content=bytes(data), headers=JSON)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            _check_error("soup", r, {200, 400, 413, 422})
    assert set(statuses) - {200}, statuses  # the mutations did reach the error paths


# ---------------------------------------------------------------- cross-site requests


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1.evil.example"},
        {"Origin": "http://127.0.0.1:1"},  # same host, another port: another origin
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_site_posts_refused(live: BackgroundServer, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        for kwargs in ({"json": {"articles": [GOOD]}}, {"files": {"files": ("a.txt", b"Tin\nNoi dung.")}}):
            r = c.post("/api/digest", headers=headers, **kwargs)
            assert r.status_code == 403, r.text
            assert r.json()["error"] == "origin_forbidden"


def test_same_origin_post_allowed(live: BackgroundServer) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        r = c.post("/api/digest", json={"articles": [GOOD], "words": 30}, headers={"Origin": live.url})
        assert r.status_code == 200, r.text
        assert c.get("/api/health", headers={"Origin": "http://evil.example"}).status_code == 200  # GETs are fine


# ---------------------------------------------------------------- slow and many clients


def _recv_all(sock: socket.socket, limit_s: float) -> bytes:
    sock.settimeout(limit_s)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


@pytest.fixture(scope="module")
def strict(pool: WorkerPool) -> Iterator[BackgroundServer]:
    limits = Limits(header_timeout_s=1.0, body_timeout_s=1.0, max_connections=8)
    with BackgroundServer(create_app(limits=limits, pool=pool)) as server:
        yield server


def test_header_trickle_is_cut(strict: BackgroundServer) -> None:
    with socket.create_connection((strict.host, strict.port)) as s:
        t = time.monotonic()
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        answer = b""
        try:
            for _ in range(40):  # one header byte every 0.1 s: never a complete head
                s.sendall(b"X")
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _recv_all(s, 2)
        elapsed = time.monotonic() - t
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b'"header_timeout"' in answer
    assert elapsed < 3.5


def test_silent_connection_is_closed(strict: BackgroundServer) -> None:
    with socket.create_connection((strict.host, strict.port)) as s:
        t = time.monotonic()
        answer = _recv_all(s, 3)
        assert time.monotonic() - t < 2.5
    assert answer.startswith(b"HTTP/1.1 408")


def test_slow_body_is_cut(strict: BackgroundServer) -> None:
    body = good_with()
    head = (
        f"POST /api/digest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((strict.host, strict.port)) as s:
        s.sendall(head)
        t = time.monotonic()
        try:
            for i in range(0, 30):
                s.sendall(body[i : i + 1])
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _recv_all(s, 2)
        assert time.monotonic() - t < 4.5
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b'"body_timeout"' in answer


def test_connection_limit(strict: BackgroundServer) -> None:
    idle = [socket.create_connection((strict.host, strict.port)) for _ in range(8)]
    try:
        time.sleep(0.1)
        with httpx.Client(base_url=strict.url, timeout=10) as c:
            r = c.get("/api/health")
            assert r.status_code == 503  # over the cap: refused, not queued
            # answered in JSON like every other error (uvicorn's own answer is plain text)
            assert r.headers["content-type"] == "application/json"
            assert r.json()["error"] == "too_many_connections" and r.headers.get("retry-after") == "5"
            assert r.headers.get("x-content-type-options") == "nosniff"
    finally:
        for s in idle:
            s.close()
    deadline = time.monotonic() + 5
    with httpx.Client(base_url=strict.url, timeout=10) as c:
        while (status := c.get("/api/health").status_code) != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert status == 200


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",  # no request line
        b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n",  # a header without a colon
        b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000,  # a head growing too big
        b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    ],
    ids=["no-request-line", "no-colon", "head-too-big", "two-lengths"],
)
def test_malformed_http_gets_json_400(strict: BackgroundServer, raw: bytes) -> None:
    """What uvicorn answers itself (before any app runs) is JSON too, with a stable code."""
    with socket.create_connection((strict.host, strict.port)) as s:
        s.sendall(raw)
        answer = _recv_all(s, 2)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"content-type: application/json" in head.lower()
    payload = json.loads(body)
    assert payload["error"] == "invalid_http" and set(payload["message"]) & VIETNAMESE_LETTERS


def test_oversized_head_sent_at_once_gets_json_431(strict: BackgroundServer) -> None:
    """A head over the limit that arrives whole passes the parser's incomplete-event cap; the
    guard refuses it."""
    with httpx.Client(base_url=strict.url, timeout=10) as c:
        r = c.get("/api/health", headers={"X-Big": "a" * 20_000})
    assert r.status_code == 431 and r.json()["error"] == "headers_too_large"


def test_per_client_limit_gives_429(pool: WorkerPool) -> None:
    """One client with its share of requests in flight gets 429 for more; another client (an
    other address, as a proxy's X-Forwarded-For would give) is still served."""
    limits = Limits(max_pending_per_client=1, timeout_s=30)
    app = create_app(limits=limits, processor=partial(serve_helpers.slow, 1.5), pool=pool)

    async def scenario() -> tuple[int, httpx.Response, int, int]:
        def client(addr: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(addr, 50000))
            return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=30)

        async with client("10.0.0.1") as a, client("10.0.0.2") as b:
            first = asyncio.create_task(a.post("/api/digest", json={"articles": [GOOD]}))
            await asyncio.sleep(0.3)  # the first one is in flight
            second = await a.post("/api/digest", json={"articles": [GOOD]})
            other = await b.post("/api/digest", json={"articles": [GOOD]})
            done = await first
            again = await a.post("/api/digest", json={"articles": [GOOD]})  # its slot is free again
            return done.status_code, second, other.status_code, again.status_code

    done, second, other, again = asyncio.run(scenario())
    assert done == 200 and other == 200 and again == 200
    assert second.status_code == 429 and second.headers.get("retry-after") == "5"
    assert second.json()["error"] == "too_many_requests" and second.json()["detail"] == {"limit": 1}


# ---------------------------------------------------------------- runaway work is stopped


def warm(pool: WorkerPool) -> None:
    """Every worker started and warmed up, so a short budget is spent on the job itself."""

    async def all_workers() -> None:
        await asyncio.gather(*(pool.run(time.sleep, (0.3,), 120) for _ in range(pool.size)))

    asyncio.run(all_workers())


def test_timed_out_digest_is_killed_not_left_running(pool: WorkerPool, tmp_path: Path) -> None:
    warm(pool)
    heartbeat = tmp_path / "heartbeat"
    app = create_app(limits=Limits(timeout_s=1.0), processor=partial(serve_helpers.spin, str(heartbeat)), pool=pool)
    killed_before = pool.killed
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as c:
        t = time.perf_counter()
        r = c.post("/api/digest", json={"articles": [GOOD]})
        assert r.status_code == 504 and r.json()["error"] == "timeout", r.text
        assert time.perf_counter() - t < 4
        assert pool.killed == killed_before + 1
        size = heartbeat.stat().st_size
        assert size > 0  # it was computing...
        time.sleep(0.5)
        assert heartbeat.stat().st_size == size  # ...and stopped with the 504
        assert c.get("/api/health").json()["killed"] == pool.killed
    # The pool replaced the worker: the next digest works.
    with BackgroundServer(create_app(pool=pool)) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        assert c.post("/api/digest", json={"articles": [GOOD], "words": 30}).status_code == 200


def test_workers_are_separate_processes(live: BackgroundServer, pool: WorkerPool) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        assert c.post("/api/digest", json={"articles": [GOOD], "words": 30}).status_code == 200
    pids = {w.pid for w in pool._all}
    assert len(pids) == pool.size and os.getpid() not in pids


# ---------------------------------------------------------------- a failing part is a problem, not a 500


# Each stage function the pipeline calls (the names tests/test_isolation.py injects into).
STAGES = [
    "clean_article",
    "mark_duplicates",
    "segment_article",
    "vietnamese_ratio",
    "summarize",
    "extract_timeline",
    "extract_entities",
    "extract_quotes",
    "extract_figures",
]


@pytest.mark.parametrize("stage", STAGES)
def test_failing_stage_gives_200_with_the_problem(pool: WorkerPool, stage: str) -> None:
    per_article = stage in ("clean_article", "segment_article")
    victim = "a2" if per_article else None  # a per-article failure drops that article only
    app = create_app(processor=partial(serve_helpers.failing, stage, victim), pool=pool)
    articles = [GOOD, GOOD | {"title": "Tin 2", "text": GOOD["text"] + " Thêm một câu."}]
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        for fmt in ("json", "md"):
            r = c.post(f"/api/digest?format={fmt}", json={"articles": articles})
            assert r.status_code == 200, (stage, fmt, r.text[:300])
            if fmt == "json":
                d = r.json()
                messages = " ".join(p["message"] for p in d["problems"])
                assert f"injected failure in {stage}" in messages, d["problems"]
                assert [a["id"] for a in d["articles"]] == (["a1"] if per_article else ["a1", "a2"])


def test_runaway_memory_is_a_problem_not_a_crash(pool: WorkerPool) -> None:
    app = create_app(processor=partial(serve_helpers.hog, 4 * WORKER_MEMORY_MB), pool=pool)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        r = c.post("/api/digest", json={"articles": [GOOD]})
        assert r.status_code == 200, r.text
        assert any("MemoryError" in p["message"] for p in r.json()["problems"]), r.json()["problems"]
        assert c.post("/api/digest", json={"articles": [GOOD], "words": 30}).status_code == 200  # worker fine


def test_health_stays_fast_during_many_hostile_requests(live: BackgroundServer) -> None:
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=live.url, timeout=60) as c:
            while not stop.is_set():
                c.post("/api/digest", content=b"[" * 100_000, headers=JSON)
                c.post("/api/digest", json={"articles": [GOOD] * 10})

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for th in threads:
        th.start()
    latencies = []
    try:
        with httpx.Client(base_url=live.url, timeout=10) as c:
            for _ in range(30):
                t = time.perf_counter()
                assert c.get("/api/health").status_code == 200
                latencies.append(time.perf_counter() - t)
                time.sleep(0.03)
    finally:
        stop.set()
        for th in threads:
            th.join(60)
    assert sorted(latencies)[len(latencies) // 2] < 0.25, latencies  # loose: a shared CI machine


# ---------------------------------------------------------------- the hostile corpus, over HTTP


def test_hostile_corpus_through_the_service(pool: WorkerPool, seed_dir: Path, tmp_path: Path) -> None:
    """The generated corpus of tests/test_hostile.py, sent as uploads (and URLs) beside a good
    article: never a 5xx, the good article always digested, every bad input named."""
    import stat

    from test_hostile import corpus

    from diemtin.ingest.read import display_name
    from diemtin.options import DigestOptions

    good_path = sorted(seed_dir.glob("*.txt"))[0]
    good = ("files", (good_path.name, good_path.read_bytes()))
    cases = corpus(tmp_path, 11, good_path.read_text(encoding="utf-8").split("\n", 1)[1])
    options = DigestOptions(words=80, cluster_time_budget_s=5.0)
    app = create_app(limits=Limits(options=options), allow_urls=True, pool=pool)
    statuses: list[int] = []
    limit = options.max_body_bytes - 64 * 1024
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=120) as c:

        def post(**kwargs: Any) -> httpx.Response:
            r = c.post("/api/digest", **kwargs)
            statuses.append(r.status_code)
            assert r.status_code < 500, r.text[:300]
            return r

        def check(r: httpx.Response, names: list[str]) -> None:
            assert r.status_code == 200, r.text[:300]
            d = r.json()
            kept = [a for a in d["articles"] if a["path"] == good_path.name]
            assert kept and d["summary"], "the good article was not digested"
            seen = " ".join([p["source"] for p in d["problems"]] + [a["path"] or "" for a in d["articles"]])
            assert all(n in seen for n in names), [n for n in names if n not in seen]

        urls = [case.api_arg for case in cases if case.kind == "bad_url"]
        text = {"title": "Tin tốt", "text": good_path.read_text(encoding="utf-8")}
        r = post(json={"articles": [text] + [{"url": u} for u in urls], "words": 80})
        assert r.status_code == 200 and len(r.json()["problems"]) >= len(urls), r.text[:300]

        batch: list[tuple[str, tuple[str, bytes]]] = []
        for case in cases:
            if case.kind == "bad_url":
                continue
            path = os.fsencode(case.arg) if isinstance(case.arg, str) else case.arg
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue  # FIFOs, links to devices: the server never opens paths at all
            name = safe_filename(display_name(os.fsdecode(os.path.basename(path))), "x")  # as the server names it
            data = Path(os.fsdecode(path)).read_bytes()
            if len(data) > limit:
                assert post(files=[good, ("files", (name, data))]).status_code == 413
            elif case.kind == "stress":  # seconds of work: alone beside the good article
                check(post(files=[good, ("files", (name, data))], data={"words": "80"}), [name])
            else:
                batch.append(("files", (name, data)))
        for i in range(0, len(batch), 40):
            part = batch[i : i + 40]
            if sum(len(d) for _, (_, d) in part) > limit:
                part = part[:10]
            check(post(files=[good, *part], data={"words": "80"}), [n for _, (n, _) in part])
    assert statuses and max(statuses) < 500
    print(f"hostile corpus over HTTP: {len(statuses)} requests, statuses {sorted(set(statuses))}")
