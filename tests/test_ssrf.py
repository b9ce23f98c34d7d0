"""SSRF: with URL fetching on, nothing in a local network is ever fetched.

A target server on 127.0.0.1 (and [::1]) counts its hits; every spelling of a loopback or
private address, and every redirect into one, must be refused with a problem while the
target stays untouched. A redirector on 127.0.0.2 is the only address the test-only
``FetchPolicy(allow_networks=...)`` lets through, so the fetch path itself stays tested.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from diemtin.app.jobs import warm_up
from diemtin.app.serve import BackgroundServer, Limits, create_app
from diemtin.app.workers import WorkerPool
from diemtin.errors import InputError
from diemtin.ingest.fetch import FetchPolicy, fetch_article, is_public

ALLOWED = "127.0.0.2"  # the redirector's address: the one local address tests may reach
PARAGRAPHS = [
    "Sáng 3/4, Ủy ban nhân dân thành phố công bố kế hoạch mở rộng tuyến xe buýt điện tới các quận ven đô.",
    "Theo kế hoạch, 120 xe mới sẽ được đưa vào hoạt động trước cuối năm, phục vụ khoảng 50.000 lượt khách.",
    "Ông Trần Văn Minh, giám đốc sở giao thông, cho biết giá vé giữ nguyên trong năm đầu tiên.",
]
PAGE = (
    "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Mở rộng xe buýt điện</title></head>"
    "<body><article><h1>Mở rộng xe buýt điện</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"
    "</body></html>"
).encode()


class Target(BaseHTTPRequestHandler):
    """Anything that reaches it is a failure of the SSRF guard."""

    hits: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        Target.hits.append(self.path)
        body = b"<html><body><p>SECRET internal page " + b"secret " * 50 + b"</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Redirector(BaseHTTPRequestHandler):
    """``/to?u=<url>`` redirects there; ``/page`` is a real article; ``/hang`` never answers."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/to":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["u"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/page":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif parts.path == "/hang":
            time.sleep(30)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


class V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _serve(server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Any]]:
    target = _serve(ThreadingHTTPServer(("127.0.0.1", 0), Target))
    port = target.server_address[1]
    try:
        target6: ThreadingHTTPServer | None = _serve(V6Server(("::1", port), Target))
    except OSError:  # no IPv6 loopback here, or the port is taken on ::1
        target6 = None
    redirector = _serve(ThreadingHTTPServer((ALLOWED, 0), Redirector))
    yield {"port": port, "redirector": f"http://{ALLOWED}:{redirector.server_address[1]}"}
    for s in (target, target6, redirector):
        if s is not None:
            s.shutdown()
            s.server_close()


def hostile_urls(port: int, redirector: str) -> list[str]:
    """The SSRF list: loopback in every spelling, private networks, other schemes, redirects."""
    spellings = [
        f"http://127.0.0.1:{port}/",
        f"http://localhost:{port}/",
        f"http://LOCALHOST.:{port}/",
        f"http://2130706433:{port}/",  # decimal
        f"http://0x7f000001:{port}/",  # hex
        f"http://017700000001:{port}/",  # octal
        f"http://127.1:{port}/",
        f"http://0x7f.1:{port}/",
        f"http://0177.0.0.1:{port}/",
        f"http://127.0.0.1.:{port}/",
        f"http://0.0.0.0:{port}/",  # reaches loopback on Linux
        f"http://0:{port}/",
        f"http://user@127.0.0.1:{port}/",
        f"http://evil.example@127.0.0.1:{port}/",
        f"http://[::1]:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",
        f"http://[::ffff:7f00:1]:{port}/",
        f"http://[0:0:0:0:0:ffff:127.0.0.1]:{port}/",
        f"http://[::]:{port}/",
        f"http://[64:ff9b::7f00:1]:{port}/",  # NAT64
        f"http://[2002:7f00:1::]:{port}/",  # 6to4
        f"https://127.0.0.1:{port}/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "file:///etc/passwd",
        f"ftp://127.0.0.1:{port}/",
        f"gopher://127.0.0.1:{port}/_GET",
    ]
    redirects = [
        f"http://127.0.0.1:{port}/",
        f"http://2130706433:{port}/",
        f"http://[::1]:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",
        f"http://localhost:{port}/",
        "file:///etc/passwd",
    ]
    return spellings + [f"{redirector}/to?u={u}" for u in redirects]


TEST_POLICY = FetchPolicy(timeout_s=5, allow_networks=(f"{ALLOWED}/32",))


def test_every_spelling_and_redirect_refused(servers: dict[str, Any]) -> None:
    Target.hits.clear()
    urls = hostile_urls(servers["port"], servers["redirector"])
    for url in urls:
        with pytest.raises(InputError) as err:
            fetch_article(url, TEST_POLICY)
        assert err.value.source == url
        assert any(key in err.value.message for key in ("địa chỉ nội bộ", "http/https", "tên đăng nhập")), (
            url,
            err.value.message,
        )
    assert Target.hits == []  # the internal server was never reached
    # The default policy (what the CLI and a real server use) refuses the redirector too.
    with pytest.raises(InputError, match="địa chỉ nội bộ"):
        fetch_article(f"{servers['redirector']}/page")


def test_allowed_fetch_path_still_works(servers: dict[str, Any]) -> None:
    article = fetch_article(f"{servers['redirector']}/to?u=/page", TEST_POLICY)
    assert article.title == "Mở rộng xe buýt điện"
    assert article.raw_text.split("\n") == PARAGRAPHS
    assert article.url == f"{servers['redirector']}/page"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("1.1.1.1", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("127.255.255.254", False),
        ("10.1.2.3", False),
        ("172.31.255.255", False),
        ("192.168.0.1", False),
        ("169.254.1.1", False),
        ("100.100.100.100", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.251", False),
        ("239.255.255.250", False),
        ("240.0.0.1", False),
        ("192.0.2.10", False),  # documentation
        ("198.18.0.1", False),  # benchmarking
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd12:3456::1", False),
        ("ff05::2", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::a00:1", False),
        ("2002:c0a8:101::1", False),  # 6to4 of 192.168.1.1
    ],
)
def test_public_address_table(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


# ---------------------------------------------------------------- through the service


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(2, 32, initializer=warm_up)
    yield workers
    workers.close()


def test_service_refuses_the_list_and_digests_the_good_url(servers: dict[str, Any], pool: WorkerPool) -> None:
    Target.hits.clear()
    urls = hostile_urls(servers["port"], servers["redirector"])
    good = f"{servers['redirector']}/page"
    app = create_app(limits=Limits(fetch=TEST_POLICY), allow_urls=True, pool=pool)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        articles = [{"url": u} for u in urls[:30]] + [{"url": good}]
        r = c.post("/api/digest", json={"articles": articles, "words": 40})
        assert r.status_code == 200, r.text
        d = r.json()
        assert [a["url"] for a in d["articles"]] == [good]
        refused = {p["source"] for p in d["problems"]}
        assert refused >= {u for u in urls[:30] if u.startswith("http")}
        # The rest in a second request: nothing usable, so a 422 listing every refusal.
        r = c.post("/api/digest", json={"articles": [{"url": u} for u in urls[30:]]})
        assert r.status_code == 422 and r.json()["error"] == "no_usable_article", r.text
        assert len({p["source"] for p in r.json()["detail"]}) == len(urls[30:])  # each named
    assert Target.hits == []


def test_hanging_urls_end_in_504_and_health_answers(servers: dict[str, Any], pool: WorkerPool) -> None:
    hang = f"{servers['redirector']}/hang"
    limits = Limits(timeout_s=1.5, fetch=FetchPolicy(timeout_s=20, allow_networks=(f"{ALLOWED}/32",)))
    app = create_app(limits=limits, allow_urls=True, pool=pool)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as c:
        result: dict[str, Any] = {}

        def digest() -> None:
            t = time.perf_counter()
            r = c.post("/api/digest", json={"articles": [{"url": f"{hang}?{i}"} for i in range(3)]})
            result.update(status=r.status_code, body=r.json(), seconds=time.perf_counter() - t)

        thread = threading.Thread(target=digest)
        thread.start()
        latencies = []
        while thread.is_alive():
            t = time.perf_counter()
            assert c.get("/api/health").status_code == 200
            latencies.append(time.perf_counter() - t)
            time.sleep(0.05)
        thread.join()
    assert result["status"] == 504 and result["body"]["error"] == "timeout", result
    assert result["seconds"] < 5, result
    assert latencies and max(latencies) < 0.5, latencies
