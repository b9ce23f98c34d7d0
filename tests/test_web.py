"""HTML extraction and URL fetching, served from a local HTTP server on 127.0.0.1 only.

The fetcher refuses loopback addresses (see test_ssrf.py); these tests reach their local
server through the explicit test-only allowance ``FetchPolicy(allow_networks=...)``.
"""

from __future__ import annotations

import html as html_lib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from diemtin.errors import InputError
from diemtin.ingest.encoding import encode_legacy
from diemtin.ingest.fetch import FetchPolicy
from diemtin.ingest.fetch import fetch_article as _fetch
from diemtin.ingest.web import article_from_html

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED_ARTICLE = DATA / "seed-cluster" / "004_ed021bb4d3f2b618.txt"

OWN_TITLE = "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu"
OWN_PARAGRAPHS = [
    "Chiều 12/7, một trận mưa lớn kéo dài hơn hai giờ đã khiến nhiều tuyến phố ở nội thành Hà Nội "
    "ngập sâu, giao thông ùn tắc nghiêm trọng vào giờ tan tầm.",
    "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, lượng mưa đo được tại quận Hoàn Kiếm "
    "vượt 120 mm, cao nhất kể từ đầu mùa mưa năm nay.",
    "Ông Nguyễn Văn Dũng, người dân phố Lý Thường Kiệt, cho biết nước tràn vào nhà chỉ sau ba mươi "
    "phút và gia đình phải kê đồ đạc lên cao.",
]


def seed_article() -> tuple[str, list[str]]:
    if not SEED_ARTICLE.is_file():
        pytest.skip(f"seed data not found at {SEED_ARTICLE} (shared data absent)")
    lines = SEED_ARTICLE.read_text(encoding="utf-8").split("\n")
    title = lines[0].strip()
    # the journalist's paragraphs near the top: long lines, not captions ("- Hình 1")
    paras = [ln.strip() for ln in lines[1:30] if len(ln.split()) >= 25 and "Ảnh:" not in ln]
    return title, paras[:6]


def news_page(title: str, paragraphs: list[str], *, charset: str = "utf-8", dated: bool = True) -> str:
    """A page shaped like a Vietnamese news site: menu, dateline, body, related list, footer."""
    esc = html_lib.escape
    meta = (
        '<meta property="article:published_time" content="2022-01-21T19:05:00+07:00">'
        if dated
        else ""
    )
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    related = "\n".join(
        f'<li><a href="/tin-{i}.html">{esc(t)}</a><span class="time">09:10:14 17/11/2024</span></li>'
        for i, t in enumerate(
            [
                "Quảng Nam: Nhóm học sinh lớp 7 tắm sông, 1 em tử vong",
                "Bão số 4 tác động rất rộng, tuyệt đối không xem nhẹ gió cấp 8",
                "5 kiểu áo blazer được mặc nhiều nhất trên phim Hàn Quốc",
            ]
        )
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}">
<title>{esc(title)} | Báo Thế Giới và Việt Nam</title>
<meta property="og:site_name" content="Báo Thế Giới và Việt Nam">
<meta property="og:title" content="{esc(title)}">
<meta name="author" content="Bảo Hà">{meta}
</head><body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/the-gioi">Thế giới</a></li><li><a href="/kinh-te">Kinh tế</a></li>
<li><a href="/video">Video đang HOT</a></li></ul></nav></header>
<main><article>
<h1 class="title">{esc(title)}</h1>
<div class="byline"><span class="author">Bảo Hà</span></div>
<div class="content">
{body}
</div></article>
<aside class="related"><h3>Tin liên quan</h3><ul>{related}</ul></aside></main>
<footer><p>Cơ quan chủ quản: Bộ Ngoại giao. Giấy phép số 159/GP-BTTTT. Theo dõi VGT trên Google News.</p>
<p>© Bản quyền thuộc về Báo Thế Giới và Việt Nam.</p></footer>
</body></html>"""


# --------------------------------------------------------------------------- article_from_html


def test_article_from_html_seed_page() -> None:
    title, paras = seed_article()
    article = article_from_html(news_page(title, paras), "p1", "p1.html")
    assert article.title == title
    assert article.raw_text.split("\n") == paras  # paragraphs kept, one per line, diacritics intact
    assert article.published == "2022-01-21T19:05:00+07:00"
    assert article.published_source == "html"
    assert article.author == "Bảo Hà"
    assert article.site == "Báo Thế Giới và Việt Nam"
    assert article.path == "p1.html"
    for chrome in ("Trang chủ", "Tin liên quan", "Quảng Nam", "Giấy phép", "Bản quyền", "17/11/2024"):
        assert chrome not in article.raw_text


def test_article_from_html_without_date_metadata_has_no_date() -> None:
    # the only timestamps are in the related list: they must not become the article's date
    article = article_from_html(news_page(OWN_TITLE, OWN_PARAGRAPHS, dated=False), "p2", "p2.html")
    assert article.published is None
    assert article.raw_text.split("\n") == OWN_PARAGRAPHS


def test_article_from_html_no_text() -> None:
    page = "<html><body><nav><a href='/'>Trang chủ</a> <a href='/tg'>Thế giới</a></nav></body></html>"
    with pytest.raises(InputError, match="no article text found"):
        article_from_html(page, "x", "menu.html")
    with pytest.raises(InputError, match="empty"):
        article_from_html("   ", "x", "blank.html")


def test_read_stage_reads_html_file(tmp_path: Path) -> None:
    from diemtin.ingest.read import read_inputs

    (tmp_path / "bai.html").write_text(news_page(OWN_TITLE, OWN_PARAGRAPHS), encoding="utf-8")
    [cluster] = read_inputs(tmp_path)
    assert not cluster.problems
    [article] = cluster.articles
    assert article.title == OWN_TITLE
    assert article.raw_text.split("\n") == OWN_PARAGRAPHS


# --------------------------------------------------------------------------- fetch_article

LOOPBACK_FOR_TESTS = ("127.0.0.1/32",)


def fetch_article(url: str, timeout: float = 10, max_bytes: int = 5_000_000, max_redirects: int = 5):  # noqa: ANN201
    policy = FetchPolicy(
        timeout_s=timeout, max_bytes=max_bytes, max_redirects=max_redirects, allow_networks=LOOPBACK_FOR_TESTS
    )
    return _fetch(url, policy)


PAGE = news_page(OWN_TITLE, OWN_PARAGRAPHS).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/html", {"Location": location})

    def do_GET(self) -> None:  # noqa: C901 - a small router
        path = self.path
        if path == "/bai-viet.html":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/cp1258.html":
            page = news_page(OWN_TITLE, OWN_PARAGRAPHS, charset="windows-1258")
            self._send(200, encode_legacy(page, "cp1258"), "text/html; charset=windows-1258")
        elif path == "/vni.html":
            # old pages typed in a VNI font, served (wrongly) as iso-8859-1
            page = news_page(OWN_TITLE, OWN_PARAGRAPHS, charset="iso-8859-1")
            self._send(200, encode_legacy(page, "vni"), "text/html; charset=iso-8859-1")
        elif path.startswith("/r/"):
            n = int(path[3:])
            self._redirect("/bai-viet.html" if n == 0 else f"/r/{n - 1}")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")  # no length: the client must count
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "50000000")
            self.end_headers()
            self.close_connection = True
        elif path == "/slow":
            time.sleep(2)
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            try:  # each read is fast, the whole is slow: only a total deadline catches it
                for i in range(0, 40):
                    self.wfile.write(PAGE[i * 10 : i * 10 + 10])
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
        elif path == "/menu.html":
            self._send(200, b"<html><body><nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav></body></html>", "text/html")
        else:
            self._send(404, b"<html><body>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y</body></html>", "text/html")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_normal_page(server: str) -> None:
    article = fetch_article(f"{server}/bai-viet.html")
    assert article.id == "bai-viet"
    assert article.title == OWN_TITLE
    assert article.raw_text.split("\n") == OWN_PARAGRAPHS
    assert article.url == f"{server}/bai-viet.html"
    assert article.published == "2022-01-21T19:05:00+07:00"
    assert article.site == "Báo Thế Giới và Việt Nam"


@pytest.mark.parametrize("path", ["/cp1258.html", "/vni.html"])
def test_fetch_legacy_encoded_pages(server: str, path: str) -> None:
    article = fetch_article(server + path)
    assert article.title == OWN_TITLE
    assert article.raw_text.split("\n") == OWN_PARAGRAPHS


def test_fetch_follows_redirect_chain(server: str) -> None:
    article = fetch_article(f"{server}/r/3", max_redirects=5)
    assert article.url == f"{server}/bai-viet.html"  # where the text actually came from
    assert article.raw_text.split("\n") == OWN_PARAGRAPHS


@pytest.mark.parametrize(
    "path, kwargs, message",
    [
        ("/r/6", {"max_redirects": 5}, "chuyển hướng quá nhiều lần"),
        ("/loop", {}, "chuyển hướng quá nhiều lần"),
        ("/big", {"max_bytes": 1_000_000}, "trang quá lớn"),
        ("/big-declared", {}, "trang quá lớn"),
        ("/slow", {"timeout": 0.5}, "quá thời gian tải"),
        ("/drip", {"timeout": 1.0}, "quá thời gian tải"),
        ("/nowhere", {}, "HTTP 404"),
        ("/report.pdf", {}, "không phải trang HTML (content-type application/pdf)"),
        ("/menu.html", {}, ""),  # the HTML reader's own message (no article text)
    ],
)
def test_fetch_failures(server: str, path: str, kwargs: dict, message: str) -> None:
    url = server + path
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        fetch_article(url, **kwargs)
    assert err.value.source == url
    assert message in err.value.message
    assert time.monotonic() - started < 5


def test_fetch_refuses_other_schemes_and_dead_ports() -> None:
    with pytest.raises(InputError):
        fetch_article("http://127.0.0.1:9/none", timeout=2)  # discard port: nothing listens


def test_read_stage_turns_fetch_failure_into_problem(server: str) -> None:
    # The read stage fetches with the default policy: a loopback URL is a problem naming
    # it (never fetched), and the inputs beside it are still read.
    from diemtin.ingest.read import read_inputs

    good = {"title": OWN_TITLE, "text": "\n".join(OWN_PARAGRAPHS)}
    clusters = read_inputs([f"{server}/nowhere", good, f"{server}/bai-viet.html"])
    pile = clusters[0]
    assert [a.title for a in pile.articles] == [OWN_TITLE]
    assert [p.source for p in pile.problems] == [f"{server}/nowhere", f"{server}/bai-viet.html"]
    assert all("địa chỉ nội bộ" in p.message for p in pile.problems)
