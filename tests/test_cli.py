"""The ``diemtin`` command end to end, as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from diemtin import render
from diemtin.model import without_insertions

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "diemtin.app.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_digest_seed_cluster_json(seed_dir: Path) -> None:
    proc = run("digest", str(seed_dir), "--format", "json", "--words", "150")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {"summary", "articles", "stats", "timeline", "entities", "quotes", "figures", "problems"}
    assert len(out["articles"]) == 5
    texts = {a["id"]: a["text"] for a in out["articles"]}
    assert out["summary"]
    for s in out["summary"]:
        src = s["sources"][0]
        text = texts[src["article"]]
        # the shown text is its kept spans of the first source (a trimmed sentence: select/trim.py)
        # and the words it inserts (a name in full, select/explicit.py), flagged by offset
        shown = without_insertions(s["text"], [(i["start"], i["end"]) for i in s["inserted"]])
        assert "".join(text[a:b] for a, b in s["spans"]) == shown
        assert all(src["start"] <= a < b <= src["end"] for a, b in s["spans"])
        assert set(src) == {"article", "sentence", "start", "end"}
    assert out["stats"]["summary_syllables"] <= 150


def test_digest_markdown_and_text(seed_dir: Path) -> None:
    md = run("digest", str(seed_dir), "--format", "md")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Điểm tin")
    assert "## Tóm tắt" in md.stdout and "## Nguồn" in md.stdout
    assert "[1]" in md.stdout
    text = run("digest", str(seed_dir), "--format", "text", "--words", "80", "--parts", "summary")
    assert text.returncode == 0
    assert 1 <= len(text.stdout.strip().split("\n")) <= 10  # the summary alone, one sentence per line
    every = run("digest", str(seed_dir), "--format", "text", "--words", "80")  # every part (issue 13)
    assert every.stdout.startswith(text.stdout) and "DIỄN BIẾN" in every.stdout and "PHÁT NGÔN" in every.stdout


def test_many_clusters_give_json_lines_in_order(tmp_path: Path, abmusu_path: Path) -> None:
    lines = abmusu_path.read_text(encoding="utf-8").split("\n")[:3]
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run("digest", str(path), "--format", "json", "--words", "100")
    assert proc.returncode == 0, proc.stderr
    outs = [json.loads(x) for x in proc.stdout.strip().split("\n")]
    assert len(outs) == 3
    for line, out in zip(lines, outs, strict=True):
        titles = [d["title"].strip() for d in json.loads(line)["single_documents"]]
        assert [a["title"] for a in out["articles"]] == titles
    assert "digest" in proc.stderr  # the progress bar


def test_bad_files_reported_rest_digested_exit_1(tmp_path: Path, seed_dir: Path) -> None:
    for f in sorted(seed_dir.iterdir())[:2]:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    proc = run("digest", str(tmp_path), "--format", "json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert len(out["articles"]) == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("diemtin: lỗi")]
    assert len(errors) == 2
    assert any("empty.txt" in e for e in errors) and any("junk.txt" in e for e in errors)


def test_nothing_usable_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run("digest", str(tmp_path / "empty"))
    assert proc.returncode == 2
    assert "empty" in proc.stderr


def test_clean_command_json(seed_dir: Path) -> None:
    proc = run("clean", str(seed_dir), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in proc.stdout.strip().split("\n")]
    assert len(recs) == 5
    assert all(r["text"] for r in recs)


def test_python_api(seed_dir: Path) -> None:
    import diemtin

    cluster = diemtin.digest(seed_dir, words=120)
    assert isinstance(cluster, diemtin.Cluster)
    data = json.loads(render.to_json(cluster))
    assert data["summary"] and data["articles"]
    assert render.to_markdown(cluster).startswith("# Điểm tin")


def test_huge_file_and_foreign_text(tmp_path: Path, seed_dir: Path) -> None:
    """A file past the size cap is refused by name; an English article is digested with a warning."""
    first = sorted(seed_dir.iterdir())[0]
    (tmp_path / first.name).write_bytes(first.read_bytes())
    with open(tmp_path / "huge.txt", "wb") as f:  # sparse: 21 MB without writing 21 MB
        f.truncate(21 * 1024 * 1024)
    (tmp_path / "english.txt").write_text(
        "Talks end without breakthrough\nRussia and the United States ended their security talks in Geneva "
        "without any sign of narrowing their differences over Ukraine, officials said on Monday.\n",
        encoding="utf-8",
    )
    proc = run("digest", str(tmp_path), "--format", "json")
    assert proc.returncode == 1  # huge.txt failed; the rest was used
    out = json.loads(proc.stdout)
    assert sorted(a["id"] for a in out["articles"]) == sorted([first.stem, "english"])
    lines = proc.stderr.splitlines()
    assert any(ln.startswith("diemtin: lỗi") and "huge.txt" in ln and "quá lớn" in ln for ln in lines)
    assert any(ln.startswith("diemtin: cảnh báo") and "english.txt" in ln and "tiếng Việt" in ln for ln in lines)


def test_hostile_inputs_of_the_issue_one_line_each(tmp_path: Path, seed_dir: Path) -> None:
    """Deep JSON, a huge integer, a lone surrogate, ``http://[::1``, a FIFO, a link to /dev/zero
    and a non-UTF-8 file name beside a good article: one line each, the good one digested."""
    import os

    good = sorted(seed_dir.glob("*.txt"))[0]
    body = json.dumps(good.read_text(encoding="utf-8").split("\n", 1)[1])
    (tmp_path / "deep.jsonl").write_text("[" * 100_000 + "\n")
    (tmp_path / "huge.jsonl").write_text(f'{{"title": "Tin", "text": {body}, "id": {"7" * 5000}}}\n')
    (tmp_path / "surrogate.jsonl").write_text(f'{{"title": "Tin \\udfff", "text": {body}}}\n')
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    raw = os.fsencode(tmp_path) + b"/t\xff\xfen.txt"
    with open(raw, "wb") as f:
        f.write(b"")
    args = [str(good), *(str(tmp_path / n) for n in ("deep.jsonl", "huge.jsonl", "surrogate.jsonl", "pipe.txt",
                                                     "zero.txt")), "http://[::1", raw]
    proc = subprocess.run([sys.executable, "-m", "diemtin.app.cli", "digest", "-f", "json", *args],
                          capture_output=True, cwd=REPO, timeout=120)
    stderr = proc.stderr.decode("utf-8")
    out = json.loads(proc.stdout.decode("utf-8"))  # strict UTF-8: no lone surrogate reached stdout
    assert proc.returncode == 1 and "Traceback" not in stderr
    assert [a["path"] for a in out["articles"]] == [str(good), str(tmp_path / "surrogate.jsonl") + ":1"]
    assert "\ufffd" in out["articles"][1]["title"]
    lines = stderr.splitlines()
    expected = {"deep.jsonl:1": "JSON lồng nhau quá sâu", "huge.jsonl:1": "4300", "surrogate.jsonl:1": "surrogate",
                "pipe.txt": "FIFO", "zero.txt": "thiết bị", "http://[::1": "URL không hợp lệ",
                "t\\xff\\xfen.txt": "rỗng"}
    for name, why in expected.items():
        assert any(name in ln and why in ln for ln in lines), (name, lines)
    assert len(lines) == len(expected) + 1  # + the warning that the last name is not UTF-8
