"""Issue 8 §2: pages laid out in ways the tests have not seen.

First the issue's four examples, then the randomized layout generator (``tests/layouts.py``)
over a moderate sample with floors; ``benchmarks/bench_layouts.py`` runs the big sample.
Every page is written to disk and read back with ``read_inputs``, so encoding, the reader and
the cleaner are all on the path.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import layouts
import pytest
from dressing import clean_page

from diemtin import pipeline
from diemtin.clean.cleaner import clean_article
from diemtin.ingest.read import read_inputs
from diemtin.ingest.web import article_from_html
from diemtin.model import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TRAIN = DATA / "abmusu" / "train.jsonl"
SEED_002 = next(iter(sorted((DATA / "seed-cluster").glob("002_*.txt"))), None)

needs_data = pytest.mark.skipif(not TRAIN.is_file(), reason=f"AbMuSu data not found at {TRAIN}")
STAMP = "17:54:08 10/07/2024"


def _first_train_article() -> tuple[str, str, list[str]]:
    """(title, body joined into one line, three other titles) from the first AbMuSu record."""
    lines = TRAIN.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])["single_documents"][0]
    body = " ".join(p.strip() for p in first["raw_text"].split("\n") if p.strip())
    others = [json.loads(x)["single_documents"][0]["title"].strip() for x in lines[1:4]]
    return first["title"].strip(), body, others


def _body_kept(article: Article, body: str) -> float:
    sents = layouts.sentences(body)
    text = layouts.key(article.text)
    return sum(layouts.key(s) in text for s in sents) / len(sents)


@needs_data
def test_issue_a_breadcrumb_and_dateline_above_the_title(tmp_path: Path) -> None:
    title, body, others = _first_train_article()
    related = [x for t in others for x in (t, t, STAMP)]
    page = ["Trang chủ » Thế giới", "Thứ Hai, 10:09 13/11/2019 (GMT+7)", title, body,
            "Theo dõi chúng tôi trên mạng xã hội", "TIN LIÊN QUAN", *related]  # fmt: skip
    a = clean_page(tmp_path, page)
    assert a.title == title  # the breadcrumb on line 1 is not the title
    assert _body_kept(a, body) == 1.0  # the one-line body is the body
    assert (a.published or "")[:10] == "2019-11-13"
    assert not any(layouts.key(t) in layouts.key(a.text) for t in others)
    assert "Trang chủ" not in a.text and "Theo dõi" not in a.text and "TIN LIÊN QUAN" not in a.text
    # nothing lost silently, and line numbers are the file's
    lines = (tmp_path / "page.txt").read_text(encoding="utf-8").split("\n")
    for r in a.removed:
        assert r.text == lines[r.line - 1].strip()


@needs_data
def test_issue_b_related_stamps_after_the_body_are_not_the_date(tmp_path: Path) -> None:
    title, body, others = _first_train_article()
    page = [title, body, "TIN LIÊN QUAN", *[x for t in others for x in (t, STAMP)]]
    a = clean_page(tmp_path, page)
    assert a.published is None  # the page shows no date of its own
    assert _body_kept(a, body) == 1.0
    assert not any(layouts.key(t) in layouts.key(a.text) for t in others)


@pytest.mark.skipif(SEED_002 is None, reason="seed cluster not found")
def test_issue_c_doubled_caption_keeps_the_journalists_copy() -> None:
    [cluster] = read_inputs([SEED_002])
    pipeline.clean(cluster)
    a = cluster.articles[0]
    assert a.text.count("Cuộc gặp kéo dài khoảng 7,5 giờ") == 1
    assert "Ảnh Reuters" not in a.text  # the credited copy is the caption


def test_issue_d_small_site_related_header_is_chrome() -> None:
    paras = [
        "Sáng 12/3, Ủy ban nhân dân huyện tổ chức hội nghị tổng kết công tác phòng chống thiên tai "
        "năm qua với sự tham gia của đại diện các xã và các đơn vị liên quan trên địa bàn.",
        "Theo báo cáo, trong năm các địa phương đã di dời hơn 300 hộ dân ra khỏi vùng nguy hiểm, "
        "gia cố 12 km đê bao và nạo vét nhiều tuyến kênh mương phục vụ sản xuất.",
        "Phát biểu tại hội nghị, Chủ tịch huyện đề nghị các xã chủ động xây dựng phương án ứng phó, "
        "không để người dân bị động khi mưa lũ xảy ra trong mùa mưa bão sắp tới.",
    ]
    links = ["Tỉnh khen thưởng 20 tập thể có thành tích xuất sắc", "Nông dân phấn khởi vì được mùa lúa đông xuân"]
    html = (
        "<html><head><meta charset='utf-8'><title>Tổng kết phòng chống thiên tai</title></head><body>"
        "<div id='content'><h2>Tổng kết phòng chống thiên tai</h2>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + "<p><b>&gt;&gt; Tin liên quan:</b></p>"
        + "".join(f"<p><a href='/tin/{i}.html'>{t}</a></p>" for i, t in enumerate(links))
        + "</div></body></html>"
    )
    a = article_from_html(html, "d", "d.html")
    clean_article(a)
    assert "Tin liên quan" not in a.text
    assert not any(t in a.text for t in links)
    assert all(p in a.text for p in paras)


# ------------------------------------------------------------------ the layout generator

CI_PER_SEED = 40  # ~3 s for the three seeds; benchmarks/bench_layouts.py runs hundreds per seed


@pytest.fixture(scope="module")
def sources() -> list[layouts.Source]:
    if not (DATA / "abmusu").is_dir() or not (DATA / "vims-dev").is_dir():
        pytest.skip(f"AbMuSu/ViMs data not found under {DATA}")
    return layouts.load_sources()


def test_generator_dresses_real_articles_in_varied_layouts(sources: list[layouts.Source]) -> None:
    pages = layouts.pages(1, 200, sources)
    assert len({p.fmt for p in pages}) == 3 and len({p.encoding for p in pages}) == 3
    assert any(p.nfd for p in pages) and any(p.crlf for p in pages) and any(p.one_line for p in pages)
    feats = {f for p in pages for f in p.features}
    assert {"prefix", "doubled_caption", "inner_chrome", "related_before", "related_after"} <= feats
    kinds = {k for p in pages for k, _ in p.chrome}
    assert {"breadcrumb", "dateline", "related", "related_head", "stamp", "widget", "image"} <= kinds
    # the bytes really are what they claim (windows-1258 with combining tones, NFD)
    p = next(p for p in pages if p.encoding == "cp1258" and p.fmt == "txt")
    raw = layouts._cp1258("\n".join(p.lines))
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == unicodedata.normalize("NFC", "\n".join(p.lines))


def test_layouts_kept_leaked_published(sources: list[layouts.Source], tmp_path: Path) -> None:
    """Floors on a moderate sample (targets of issue 8: kept >= 99.5 %, leaked < 1 %, wrong
    published 0). Run with -s for the figures; the big sample is benchmarks/bench_layouts.py."""
    pooled = layouts.Score()
    for seed in layouts.SEEDS:
        sc = layouts.run(seed, CI_PER_SEED, sources, tmp_path)
        print(f"\n[layouts seed {seed}] {sc.line()}")
        pooled.add(sc)
    print(f"[layouts pooled] {pooled.line()}")
    assert pooled.errors == 0
    assert pooled.kept_rate >= 0.995
    # measured 0.7 % here and 0.5 % on the 900 pages of bench_layouts (the target: < 1 %)
    assert pooled.leak_rate < 0.01
    assert pooled.wrong_published == 0
    assert pooled.title_wrong <= 0.05 * pooled.articles  # measured 2/120 (16/900 on the big sample)


def test_cleaning_is_idempotent_on_dressed_pages(sources: list[layouts.Source], tmp_path: Path) -> None:
    """Cleaning again changes nothing; cleaning the cleaned text keeps it (a fixed point)."""
    fixed = 0
    pages = layouts.pages(3, 60, sources)
    for i, page in enumerate(pages):
        [cluster] = read_inputs([layouts.write(page, tmp_path, f"i{i}")])
        a = cluster.articles[0]
        clean_article(a)
        first = (a.title, a.text, a.published, a.author, [(r.line, r.text, r.reason) for r in a.removed])
        clean_article(a)
        assert first == (a.title, a.text, a.published, a.author, [(r.line, r.text, r.reason) for r in a.removed])
        again = Article(id="again", title=a.title, raw_text=a.text, published=a.published)
        clean_article(again)
        fixed += again.text == a.text
    assert fixed >= 0.95 * len(pages)


def test_removed_lines_are_the_input_files_lines(sources: list[layouts.Source], tmp_path: Path) -> None:
    """Issue 8 §6: ``removed[].line`` is the (1-based) line number in the input file, prefix cuts
    included; every input line is in the text or in ``removed``."""
    pages = [p for p in layouts.pages(4, 80, sources) if p.fmt == "txt"]
    assert len(pages) > 20
    for i, page in enumerate(pages):
        path = layouts.write(page, tmp_path, f"r{i}")
        [cluster] = read_inputs([path])
        pipeline.clean(cluster)
        a = cluster.articles[0]
        data = path.read_bytes()
        text = data.decode("cp1258") if page.encoding == "cp1258" else data.decode("utf-8-sig")
        file_lines = [unicodedata.normalize("NFC", x) for x in text.replace("\r\n", "\n").split("\n")]
        for r in a.removed:
            if r.reason == "prefix":
                assert file_lines[r.line - 1].strip().startswith(r.text)
            else:
                assert r.text == file_lines[r.line - 1].strip()
        dropped = {r.line for r in a.removed if r.reason != "prefix"}
        kept_keys = layouts.key(a.text + " " + a.title)
        for n, line in enumerate(file_lines, start=1):
            if line.strip() and n not in dropped:
                assert layouts.key(line)[-40:] in kept_keys, (page.source.key, n, line[:80])
