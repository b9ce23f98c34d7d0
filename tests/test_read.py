"""Readers: every input shape, every encoding form, and bad input reported without sinking the batch."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from diemtin.ingest.read import read_inputs

TITLE = "Ngoại trưởng Nga, Mỹ thảo luận các vấn đề an ninh"
BODY = "Ngày 21/1, Ngoại trưởng Nga Sergei Lavrov và người đồng cấp Mỹ Antony Blinken đã có cuộc hội đàm tại Geneva."


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_txt_folder_title_first_line(seed_dir: Path) -> None:
    [cluster] = read_inputs(seed_dir)
    assert len(cluster.articles) == 5
    first = cluster.articles[0]
    assert first.id == "000_4a20151fa78d95ec"
    assert first.title.startswith("Mỹ bi quan về đàm phán Nga-NATO")
    assert "Julianne Smith" in first.raw_text
    assert not cluster.problems


def test_bom_crlf_and_nfd_are_normalized(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", f"{TITLE}\r\n{BODY}\r\n")
    write(tmp_path / "a.txt", b"\xef\xbb\xbf" + nfd.encode("utf-8"))
    [cluster] = read_inputs(tmp_path)
    a = cluster.articles[0]
    assert a.title == TITLE  # NFC, no BOM
    assert a.raw_text == BODY  # no \r
    assert unicodedata.is_normalized("NFC", a.raw_text)


def test_bad_inputs_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", f"{TITLE}\n{BODY}\n".encode())
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "binary.txt", bytes(range(256)) * 4)
    # Not UTF-8 and no legacy Vietnamese encoding makes sense of it: bytes undefined in cp1258.
    write(tmp_path / "latin.txt", b"Tin t\x81c m\x8d\x8fi nh\x90t \x9d\x81\x8d\x8f\x90 " * 10)
    [cluster] = read_inputs(tmp_path)
    assert [a.id for a in cluster.articles] == ["good"]
    failed = {Path(p.source).name: p.message for p in cluster.problems}
    assert set(failed) == {"empty.txt", "binary.txt", "latin.txt"}
    assert all("\n" not in m for m in failed.values())  # one line each


def test_empty_folder_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    [cluster] = read_inputs([tmp_path / "empty", tmp_path / "nope.txt"])
    assert not cluster.articles
    sources = [Path(p.source).name for p in cluster.problems]
    assert sources == ["empty", "nope.txt"]


def test_abmusu_jsonl_one_cluster_per_line_with_malformed_line(tmp_path: Path) -> None:
    rec = {
        "single_documents": [
            {"title": TITLE, "anchor_text": "Sapo của bài.", "raw_text": BODY},
            {"title": "Bài hai", "anchor_text": "", "raw_text": "Nội dung bài hai về hội đàm Geneva."},
        ],
        "summary": "Nga và Mỹ hội đàm tại Geneva.",
        "category": "Thế giới",
    }
    lines = [json.dumps(rec, ensure_ascii=False), "{not json", json.dumps(rec, ensure_ascii=False)]
    path = write(tmp_path / "c.jsonl", "\n".join(lines).encode())
    clusters = read_inputs(path)
    real = [c for c in clusters if c.articles]
    assert len(real) == 2
    assert real[0].articles[0].lead == "Sapo của bài."
    assert real[0].references == ["Nga và Mỹ hội đàm tại Geneva."]
    problems = [p for c in clusters for p in c.problems]
    assert len(problems) == 1 and problems[0].source.endswith("c.jsonl:2")
    assert "JSON hỏng" in problems[0].message


def test_single_article_jsonl(tmp_path: Path) -> None:
    recs = [
        {"title": TITLE, "text": BODY, "url": "https://example.vn/a", "published": "2022-01-21"},
        {"title": "Không có nội dung"},
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in recs).encode())
    [cluster] = read_inputs(path)
    [a] = cluster.articles
    assert (a.url, a.published, a.published_source) == ("https://example.vn/a", "2022-01-21", "input")
    assert len(cluster.problems) == 1 and "không có nội dung bài" in cluster.problems[0].message


def test_vims_layout_with_references(vims_dir: Path) -> None:
    clusters = read_inputs(vims_dir)
    assert len(clusters) == 100
    c = clusters[0]
    assert c.id == "Cluster_001"
    assert len(c.articles) >= 2
    assert 2 <= len(c.references) <= 4
    assert all("=Einleitung=" not in r and not r.startswith("Cluster_") for r in c.references)
    assert all("\r" not in a.raw_text for cl in clusters for a in cl.articles)


def test_python_objects(tmp_path: Path) -> None:
    [cluster] = read_inputs([{"title": TITLE, "text": BODY}, {"text": ""}])
    assert len(cluster.articles) == 1
    assert len(cluster.problems) == 1


def test_non_regular_files_are_refused_without_blocking(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # size 0, then endless bytes
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    write(tmp_path / "bai.txt", f"{TITLE}\n{BODY}\n".encode())
    [cluster] = read_inputs(tmp_path)  # a folder: every entry named, none skipped silently
    assert [a.id for a in cluster.articles] == ["bai"]
    why = {Path(p.source).name: p.message for p in cluster.problems}
    assert "FIFO" in why["pipe.txt"] and "thiết bị ký tự" in why["zero.txt"] and "không có tệp" in why["gone.txt"]
    assert all(p.fatal for p in cluster.problems)


def test_article_size_cap_applies_to_every_shape(tmp_path: Path) -> None:
    big = "Một câu dài. " * 2_000  # ~26 KB
    write(tmp_path / "big.txt", f"{TITLE}\n{big}\n".encode())
    write(tmp_path / "bai.txt", f"{TITLE}\n{BODY}\n".encode())
    records = [{"title": TITLE, "text": big}, {"title": TITLE, "text": BODY}]
    write(tmp_path / "many.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode())
    abmusu = {"single_documents": [{"title": TITLE, "raw_text": big}, {"title": TITLE, "raw_text": BODY}]}
    write(tmp_path / "cluster.jsonl", json.dumps(abmusu, ensure_ascii=False).encode())
    clusters = read_inputs([tmp_path / "big.txt", tmp_path / "bai.txt", tmp_path / "many.jsonl",
                            tmp_path / "cluster.jsonl"], max_article_bytes=10_000)
    kept = [a for c in clusters for a in c.articles]
    assert len(kept) == 3 and all(a.raw_text == BODY for a in kept)
    too_long = [p for c in clusters for p in c.problems if "quá dài" in p.message or "quá lớn" in p.message]
    assert sorted(Path(p.source.split(":")[0].split("[")[0]).name for p in too_long) == [
        "big.txt", "cluster.jsonl", "many.jsonl"]


def test_hostile_json_and_names_are_problems_not_crashes(tmp_path: Path) -> None:
    import os

    lines = ["[" * 50_000, f'{{"title": "T", "text": "{BODY}", "id": {"9" * 4_400}}}',
             f'{{"title": "T \\udfff", "text": "{BODY}"}}', '{"text": NaN}']
    write(tmp_path / "odd.jsonl", "\n".join(lines).encode())
    raw = os.fsencode(tmp_path) + b"/bad\xff.txt"
    with open(raw, "wb") as f:
        f.write(f"{TITLE}\n{BODY}\n".encode())
    clusters = read_inputs([tmp_path / "odd.jsonl", os.fsdecode(raw), "http://[::1"])
    [pile] = clusters
    assert [a.title for a in pile.articles] == ["T \ufffd", TITLE]  # the surrogate replaced, the name escaped
    assert pile.articles[1].path.endswith("bad\\xff.txt") and pile.articles[1].id == "bad\\xff"
    by_source = {p.source: p for p in pile.problems}
    src = str(tmp_path / "odd.jsonl")
    assert "sâu" in by_source[f"{src}:1"].message and "4300" in by_source[f"{src}:2"].message
    assert not by_source[f"{src}:3"].fatal and "surrogate" in by_source[f"{src}:3"].message
    assert "không có nội dung bài" in by_source[f"{src}:4"].message
    assert "URL không hợp lệ" in by_source["http://[::1"].message
    for p in pile.problems:
        str(p).encode("utf-8")  # every name printable as UTF-8
