"""What a person reads in the Markdown and text outputs (issue 13), and the mixed-pile warning.

Real digests of real clusters; the Markdown is rendered to HTML by a CommonMark renderer that
passes raw HTML through (markdown-it-py, ``commonmark`` preset), the worst case for escaping.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from diemtin import pipeline
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster, Digest, Problem, Quote, SourceRef
from diemtin.options import ALL_PARTS
from diemtin.render.formats import PART_TITLES, md_text, to_dict, to_markdown, to_text, vn_datetime
from diemtin.render.messages import problem_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = DATA / "seed-cluster"
TRAIN = DATA / "abmusu" / "train.jsonl"
needs_data = pytest.mark.skipif(not TRAIN.is_file() or not SEED.is_dir(), reason=f"{DATA} not found (shared data)")

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Words of the English problem messages; none may reach a reader.
ENGLISH = re.compile(r"\b(no|input|empty|article|file|cannot|expected|left|after|cleaning|got|bytes)\b", re.I)


def train_clusters(n: int, start: int = 0) -> list[Cluster]:
    with TRAIN.open(encoding="utf-8") as f:
        lines = [line for _, line in zip(range(start + n), f, strict=False)][start:]
    path_clusters = []
    for line in lines:
        record = json.loads(line)
        docs = [{"title": d["title"].strip(), "text": d["raw_text"], "published": d.get("publish_date")}
                for d in record["single_documents"]]
        path_clusters += read_inputs(docs)
    return path_clusters


def headings(md: str) -> list[str]:
    return [line[3:] for line in md.splitlines() if line.startswith("## ")]


@needs_data
def test_only_the_parts_asked_appear() -> None:
    """Every subset of parts (random, seeded) on real clusters: a heading for each part asked
    that has content, none for a part not asked; text has the same sections."""
    rng = random.Random(13)
    clusters = train_clusters(4, start=20)
    for cluster in clusters:
        pipeline.prepare(cluster)
        for _ in range(4):
            asked = tuple(p for p in ALL_PARTS if rng.random() < 0.5) or ("timeline",)
            pipeline.finish(cluster, 120, asked)
            md = to_markdown(cluster)
            shown = set(headings(md)) - {"Nguồn", "Lỗi và cảnh báo"}
            digest = cluster.digest
            assert digest is not None
            has = {p for p in ALL_PARTS if getattr(digest, p)} | ({"summary"} if "summary" in asked else set())
            # (figures may show only where sources disagree: present only if asked)
            assert shown <= {PART_TITLES[p] for p in asked}, (asked, shown)
            assert {PART_TITLES[p] for p in (has & set(asked)) - {"figures"}} <= shown, (asked, shown)
            assert "không có nội dung để tóm tắt" not in md or "summary" in asked
            text = to_text(cluster)
            for p in set(ALL_PARTS) - {"summary"}:
                there = f"\n{PART_TITLES[p].upper()}\n" in "\n" + text
                assert not there or p in asked, p
                assert there or p not in asked or not getattr(digest, p) or p == "figures", p
            if asked == ("summary",):
                assert text.splitlines() == [s.text for s in digest.summary]


@needs_data
def test_cli_text_renders_every_part_asked() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "diemtin.app.cli", "digest", str(SEED), *args],
                              capture_output=True, text=True, timeout=300)

    both = run("--format", "text", "--parts", "timeline,quotes")
    assert both.returncode == 0, both.stderr
    assert "DIỄN BIẾN" in both.stdout and "PHÁT NGÔN" in both.stdout and "NGUỒN" in both.stdout
    assert "NHÂN VẬT" not in both.stdout and "SỐ LIỆU" not in both.stdout
    assert not ISO.search(both.stdout)
    md = run("--format", "md", "--parts", "timeline")
    assert headings(md.stdout) == ["Diễn biến", "Nguồn"]
    assert "Tóm tắt" not in md.stdout


def test_vietnamese_dates() -> None:
    assert vn_datetime("2022-01-10T23:15:00+07:00") == "10/1/2022 23:15"
    assert vn_datetime("2022-01-10T08:05:59Z") == "10/1/2022 8:05"
    assert vn_datetime("2022-01-10 23:15") == "10/1/2022 23:15"
    assert vn_datetime("2022-01-10T00:00:00") == "10/1/2022"  # a date stored at midnight
    assert vn_datetime("2022-01-10") == "10/1/2022"
    assert vn_datetime("2021-12") == "12/2021"
    assert vn_datetime("hôm qua") == "hôm qua"  # not a date: shown as written, never guessed
    rng = random.Random(5)
    for _ in range(200):  # every ISO datetime comes out d/m/yyyy [h:mm], never ISO
        y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        h, mi = rng.randint(0, 23), rng.randint(0, 59)
        shown = vn_datetime(f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00+07:00")
        assert shown.startswith(f"{d}/{m}/{y}") and not ISO.search(shown)
        if (h, mi) != (0, 0):
            assert shown.endswith(f" {h}:{mi:02d}")


@needs_data
def test_published_dates_in_markdown_and_json() -> None:
    cluster = train_clusters(1, start=7)[0]
    for i, a in enumerate(cluster.articles):
        a.published = f"2022-07-0{i + 1}T2{i}:1{i}:00+07:00"
    pipeline.process(cluster, 120)
    md = to_markdown(cluster)
    sources = md.split("## Nguồn")[1]
    assert "1/7/2022 20:10" in sources and not ISO.search(sources)
    data = to_dict(cluster)
    assert data["articles"][0]["published"].startswith("2022-07-01T")  # the contract keeps ISO
    assert data["articles"][0]["published_text"] == "1/7/2022 20:10"
    assert all(not ISO.search(e["date_text"]) for e in data["timeline"])


HOSTILE = [
    "<script>alert(1)</script>",
    "[bấm vào đây](javascript:alert(1))",
    "![ảnh](javascript:alert(2))",
    "<img src=x onerror=alert(3)>",
    "<a href='javascript:alert(4)'>link</a>",
    "&lt;script&gt;alert(5)&lt;/script&gt;",
    "<javascript:alert(6)>",
    "`code` **đậm** _nghiêng_",
    "\n# Tiêu đề giả\n<div onclick=alert(7)>",
]


def _html(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(md)


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Tags().feed(html)
    return found


def test_markdown_escapes_article_text() -> None:
    rng = random.Random(3)
    for k in range(30):
        bits = [rng.choice(HOSTILE) for _ in range(3)]
        title = f"Tin {k} {bits[0]}"
        text = f"Câu đầu {bits[1]} của bài báo. Câu hai {bits[2]} kết thúc ở đây."
        arts = [Article(id="a", title=title, text=text, path=f"`{bits[0]}`.txt", url=None)]
        ref = SourceRef("a", 0, 0, len(text))
        quote = Quote(bits[1], None, bits[2], True, ref)
        cluster = Cluster(id="x", articles=arts, problems=[Problem(bits[2], bits[0])],
                          digest=Digest(summary=[], quotes=[quote]))
        from diemtin.model import SummarySentence, TimelineEntry

        cluster.digest.summary = [SummarySentence(text, [ref])]
        cluster.digest.timeline = [TimelineEntry("2022-01-10", "day", text, [ref])]
        html = _html(to_markdown(cluster))
        tags = _tags(html)
        assert {t for t, _ in tags} <= {"h1", "h2", "ul", "ol", "li", "strong", "em", "code", "p"}, (tags, html)
        assert not any(attrs for _, attrs in tags), html  # no links, no images, no handlers
        assert "<h1>Tiêu đề giả" not in html and html.count("<h1>") == 1
    # Escaped text reads back as the same characters.
    for s in HOSTILE:
        shown = re.sub(r"<[^>]+>", "", _html(md_text(s)))
        import html as h

        assert h.unescape(shown).strip() == " ".join(s.split())


def test_unresolved_speaker_is_never_a_heading() -> None:
    arts = [Article(id="a", title="T", text="x" * 50)]
    ref = SourceRef("a", 0, 0, 5)
    quotes = [Quote("Câu nói một", None, "ông", True, ref), Quote("Câu nói hai", None, None, False, ref),
              Quote("Câu nói ba", None, "một nguồn tin ngoại giao", True, ref)]
    cluster = Cluster(id="x", articles=arts, digest=Digest(quotes=quotes))
    md = to_markdown(cluster)
    section = md.split("## Phát ngôn")[1].split("## ")[0]
    assert "_Chưa rõ người nói_:" in section
    assert "**ông**" not in section and "**None**" not in section and "**" not in section
    assert "(bài viết ghi: một nguồn tin ngoại giao)" in section and "bài viết ghi: ông" not in section


@needs_data
def test_problem_messages_are_vietnamese(tmp_path: Path) -> None:
    """Problems produced by the real readers and pipeline on bad inputs reach a reader in Vietnamese."""
    (tmp_path / "trong.txt").write_text("", encoding="utf-8")
    (tmp_path / "nhi-phan.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "chi-menu.txt").write_text("Trang chủ\nTrang chủ | Thời sự | Thể thao\n", encoding="utf-8")
    (tmp_path / "xau.jsonl").write_text('{"title": "x"}\n[1, 2]\n{bad json\n', encoding="utf-8")
    (tmp_path / "english.txt").write_text(
        "A story\n" + "The minister said the talks would continue next week in Geneva. " * 8, encoding="utf-8")
    good = sorted(SEED.glob("*.txt"))[0]
    (tmp_path / "tot.txt").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    cluster = pipeline.digest([str(tmp_path)], words=80)
    clusters = cluster if isinstance(cluster, list) else [cluster]
    problems = [p for c in clusters for p in c.problems]
    assert len(problems) >= 5, problems
    for c in clusters:
        for p in to_dict(c)["problems"]:
            assert not ENGLISH.search(p["message_vi"]) or "chi tiết kỹ thuật" in p["message_vi"], p
        section = to_markdown(c).split("## Lỗi và cảnh báo")[-1]
        assert not ENGLISH.search(re.sub(r"`[^`]*`|\(chi tiết kỹ thuật:[^)]*\)", "", section)), section
    translated = [problem_text(p.message) for p in problems]
    assert sum("chi tiết kỹ thuật" in t for t in translated) <= len(translated) // 4, translated


# --- the mixed-pile warning ----------------------------------------------------------------------


def _mixed(a: Cluster, b: Cluster, k: int, rng: random.Random) -> Cluster:
    arts = [x for x in a.articles[:k]] + [x for x in b.articles[:k]]
    rng.shuffle(arts)
    return Cluster(id="pile", articles=arts)


@needs_data
def test_mixed_pile_warning_on_real_piles() -> None:
    """No warning on real single-story clusters; a warning on most piles of two stories
    (measured on all 300 of AbMuSu train + ViMs dev: 0 false warnings; pairs of 1/2/3
    articles each: 99/84/97 %)."""
    from diemtin.stories.split import mixed_pile_problem

    clusters = train_clusters(24, start=100)
    for c in clusters:
        pipeline.prepare(c)
    warned = [c.id for c in clusters if mixed_pile_problem(c)]
    assert not warned, warned
    rng = random.Random(29)
    hits = 0
    trials = 24
    for _ in range(trials):
        a, b = rng.sample(clusters, 2)
        hits += mixed_pile_problem(_mixed(a, b, 3, rng)) is not None
    assert hits >= 0.8 * trials, hits


@needs_data
def test_mixed_pile_warning_cli_and_json(tmp_path: Path) -> None:
    with TRAIN.open(encoding="utf-8") as f:
        exams = json.loads(next(f))["single_documents"][:2]
    for f in sorted(SEED.glob("*.txt"))[:3]:
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    for i, d in enumerate(exams):
        (tmp_path / f"thi-{i}.txt").write_text(d["title"].strip() + "\n" + d["raw_text"], encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "diemtin.app.cli", "digest", str(tmp_path), *args],
                              capture_output=True, text=True, timeout=300)

    proc = run("--format", "json", "--parts", "summary")
    assert proc.returncode == 0, proc.stderr  # a warning, not a failure
    warning = [line for line in proc.stderr.splitlines() if "--split" in line]
    assert len(warning) == 1 and "cảnh báo" in warning[0] and "2 câu chuyện" in warning[0]
    problems = json.loads(proc.stdout)["problems"]
    assert [p["fatal"] for p in problems if "--split" in p["message"]] == [False]
    split = run("--format", "json", "--parts", "summary", "--split")
    assert "--split" not in split.stderr and len(split.stdout.strip().splitlines()) == 2
    seed_only = subprocess.run([sys.executable, "-m", "diemtin.app.cli", "digest", str(SEED), "--parts", "summary"],
                               capture_output=True, text=True, timeout=300)
    assert "--split" not in seed_only.stderr


def test_parts_list_served_from_options() -> None:
    import httpx

    from diemtin.app.serve import BackgroundServer, create_app

    with BackgroundServer(create_app()) as server:
        parts = httpx.get(server.url + "/api/parts").json()["parts"]
        assert [p["name"] for p in parts] == list(ALL_PARTS)
        assert all(p["title"] and p["short"] for p in parts)
        icon = httpx.get(server.url + "/favicon.ico")
        assert icon.status_code == 200 and icon.content[:4] == b"\x00\x00\x01\x00"
    page = (Path(__file__).resolve().parents[1] / "src/diemtin/app/static/app.js").read_text(encoding="utf-8")
    # no copy of the list in the page: no array of part names
    assert not re.search(r"""\[\s*["'](summary|timeline|entities|quotes|figures)["']\s*,""", page)


@needs_data
def test_json_carries_the_date_layer_and_the_inferred_now() -> None:
    """``dates`` (every date expression with its resolved date) and ``now`` (when the articles were
    written, how sure, why) are in the JSON; each date points at its words in ``articles[].text``
    and every timeline date is one of them. Without publication dates ``now`` is inferred."""
    cluster = read_inputs(SEED)[0]
    data = to_dict(pipeline.process(cluster))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    assert data["dates"], "the seed cluster writes dates"
    for d in data["dates"]:
        assert texts[d["article_id"]][d["start"]:d["end"]] == d["expression"]
        assert d["precision"] in ("day", "month", "year", "range", "decade")
        assert d["date_text"] and not ISO.search(d["date_text"])
    layer = {d["date"] for d in data["dates"]}
    assert {e["date"] for e in data["timeline"]} <= layer
    assert data["now"]["date"] and 0 < data["now"]["confidence"] <= 1 and data["now"]["evidence"]
    assert data["now"]["date_text"] and not ISO.search(data["now"]["date_text"])
    # the seed files carry no publication date: "now" is inferred, less than certain
    assert all(a["published"] is None for a in data["articles"]) and data["now"]["confidence"] < 1.0
    dated = read_inputs(SEED)[0]
    for a in dated.articles:
        a.published = "2022-01-14"
    now = to_dict(pipeline.process(dated))["now"]
    assert (now["date"], now["confidence"], now["date_text"]) == ("2022-01-14", 1.0, "14/1/2022")
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data  # plain JSON types only


@needs_data
def test_every_quoted_speaker_is_in_whos_who() -> None:
    """Issue 10 §4: a person quoted (or named with a role) is listed even when mentioned once,
    e.g. the seed's Kuleba and Borrell, below the most-mentioned dozen."""
    cluster = read_inputs([str(SEED)])[0]
    pipeline.process(cluster, words=200, parts=("entities", "quotes"))
    md = to_markdown(cluster)
    section = md.split("## Nhân vật và tổ chức")[1].split("\n## ")[0]
    by_id = {e.id: e for e in cluster.digest.entities}
    speakers = {by_id[q.speaker].name for q in cluster.digest.quotes if q.speaker in by_id
                and by_id[q.speaker].kind == "person"}
    assert speakers, "the seed cluster has attributed quotes"
    for name in speakers:
        assert f"**{name}**" in section, name
    assert "**Dmytro Kuleba** — Ngoại trưởng Ukraine" in section
