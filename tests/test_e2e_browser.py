"""The web page in a real browser: system Chromium driven by Playwright (issue 5).

Playwright's own browser download does not work offline, so this drives the Debian
``chromium`` package through ``executable_path``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diemtin.app.serve import BackgroundServer, create_app

CHROMIUM = Path("/usr/bin/chromium")
SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed-cluster"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium not installed (apt-get install -y chromium chromium-driver)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app()) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, server: BackgroundServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    # Offline guarantee: any request leaving the test server fails the test.
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not outside, f"page tried to reach the network: {outside}"


def seed_texts() -> list[str]:
    if not SEED.is_dir():
        pytest.skip(f"seed cluster not found at {SEED} (shared data is not checked out)")
    return [f.read_text(encoding="utf-8").strip() for f in sorted(SEED.glob("*.txt"))]


def png_stats(path: Path) -> tuple[int, int, int, float]:
    """(width, height, distinct colours, luminance variance) of an 8-bit RGB(A) PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = ctype = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    lum_sum = lum_sq = 0.0
    n = 0
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):  # undo PNG filters (None, Sub, Up, Average, Paeth)
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 4 == 0:  # sample every 4th row/column: plenty to tell blank from not
            for x in range(0, width, 4):
                px = bytes(line[x * bpp : x * bpp + 3])
                colours.add(px)
                lum = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]
                lum_sum += lum
                lum_sq += lum * lum
                n += 1
    mean = lum_sum / n
    return width, height, len(colours), lum_sq / n - mean * mean


def test_digest_and_source_highlight(page: Any, server: BackgroundServer, tmp_path: Path) -> None:
    texts = seed_texts()
    page.goto(server.url + "/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.evaluate("document.characterSet") == "UTF-8"

    # Box 1 holds two articles split by a '---' line; the others get a box each.
    page.locator(".article-box").nth(0).fill(texts[0] + "\n---\n" + texts[1])
    for text in texts[2:]:
        page.click("#add-box")
        page.locator(".article-box").last.fill(text)
    assert page.locator(".article-box").count() == len(texts) - 1

    with page.expect_response(lambda r: r.url.endswith("/api/digest")) as info:
        page.click("#go")
    response = info.value
    assert response.status == 200
    data = response.json()
    assert len(data["articles"]) == len(texts)
    assert data["articles"][0]["title"] == texts[0].split("\n")[0].strip()

    items = page.locator("#summary > li")
    items.first.wait_for()
    assert items.count() == len(data["summary"]) > 0

    # Click the second summary sentence (the first is shown by default): its source lights up.
    k = 1 if len(data["summary"]) > 1 else 0
    items.nth(k).click()
    src = data["summary"][k]["sources"][0]
    article = next(a for a in data["articles"] if a["id"] == src["article"])
    expected = article["text"][src["start"] : src["end"]]
    mark = page.locator("#article-text mark.hl-primary")
    assert mark.count() == 1
    assert mark.text_content() == expected == data["summary"][k]["text"]
    assert article["title"] in page.locator("#article-title").text_content()
    assert "active" in (items.nth(k).get_attribute("class") or "")
    # The whole article is shown verbatim around the mark (offsets line up).
    assert page.locator("#article-text").text_content() == article["text"]

    # Hovering another sentence previews its source.
    other = 0 if k else min(1, len(data["summary"]) - 1)
    items.nth(other).hover()
    src2 = data["summary"][other]["sources"][0]
    art2 = next(a for a in data["articles"] if a["id"] == src2["article"])
    assert mark.text_content() == art2["text"][src2["start"] : src2["end"]]

    # Markdown download comes from the server.
    with page.expect_download() as dl:
        page.click("#dl-md")
    md = Path(dl.value.path()).read_text(encoding="utf-8")
    assert md.startswith("# Điểm tin:")
    with page.expect_download() as dl:
        page.click("#dl-json")
    assert '"summary"' in Path(dl.value.path()).read_text(encoding="utf-8")

    shot = tmp_path / "digest.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000
    width, height, colours, variance = png_stats(shot)
    assert (width, height) == (1280, 900)
    assert colours > 50 and variance > 100, (colours, variance)
    assert not page.errors, page.errors  # type: ignore[attr-defined]


XSS = (
    "Tin <script>window.__xss = 1; alert('xss')</script> giả\n"
    "Bài này chứa <img src=x onerror=\"window.__xss = 2; alert('img')\"> một thẻ ảnh độc hại. "
    'Một đoạn <svg onload="window.__xss = 3"></svg> nữa cũng phải hiện như chữ thường. '
    '<iframe src="javascript:window.__xss=4"></iframe> Câu cuối cùng của bài báo thử nghiệm này.'
)


def test_untrusted_markup_is_text(page: Any, server: BackgroundServer) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.url + "/")
    page.locator(".article-box").first.fill(XSS)
    with page.expect_response(lambda r: r.url.endswith("/api/digest")) as info:
        page.click("#go")
    assert info.value.status == 200
    page.locator("#summary > li").first.wait_for()
    for i in range(page.locator("#summary > li").count()):
        page.locator("#summary > li").nth(i).click()
    page.wait_for_timeout(300)  # give any injected handler time to fire

    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert page.locator("#article-text img, #article-text script, #summary img, #summary svg, iframe").count() == 0
    shown = page.locator("#article-text").text_content()
    assert "<img src=x onerror=" in shown and "<svg onload=" in shown
    assert "<script>" in page.locator("#article-title").text_content()
    assert "<script>" in page.locator("#sources").text_content()


def test_error_is_shown(page: Any, server: BackgroundServer) -> None:
    page.goto(server.url + "/")
    page.click("#go")
    assert "dán ít nhất một bài" in page.locator("#status").text_content()
    page.locator(".article-box").first.fill("Tiêu đề\n   ")  # a title and no text
    with page.expect_response(lambda r: r.url.endswith("/api/digest")) as info:
        page.click("#go")
    assert info.value.status == 422
    page.wait_for_function("document.getElementById('status').classList.contains('error')")
    assert "422" in page.locator("#status").text_content()


def test_file_upload(page: Any, server: BackgroundServer) -> None:
    if not SEED.is_dir():
        pytest.skip(f"seed cluster not found at {SEED}")
    files = sorted(SEED.glob("*.txt"))[:3]
    page.goto(server.url + "/")
    page.set_input_files("#files", [str(f) for f in files])
    assert page.locator("#file-list li").count() == 3
    with page.expect_response(lambda r: r.url.endswith("/api/digest")) as info:
        page.click("#go")
    assert info.value.status == 200
    data = info.value.json()
    assert [a["path"] for a in data["articles"]] == [f.name for f in files]
    page.locator("#summary > li").first.wait_for()
    assert page.locator("#sources li").count() == 3
