"""The hostile-input corpus (issue 8 §5, "Done means"): hundreds of generated odd inputs.

Kinds: deep JSON, integers over Python's 4,300-digit limit, non-finite numbers, lone
surrogates, malformed URLs, FIFOs, symlinks to devices, dangling and looping links,
undecodable bytes in file names, binary junk, oversized articles, JSON of the wrong shape,
broken HTML and articles built to stress a stage. Each input runs through the Python API
alone and beside a good article, and through the CLI in batches with a good article.
Promises: no traceback, no run over 10 s, the good article always digested, every bad input
reported on one line naming it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import diemtin
from diemtin import pipeline
from diemtin.ingest.read import display_name, read_inputs
from diemtin.model import Cluster
from diemtin.options import DigestOptions

REPO = Path(__file__).resolve().parents[1]
SEEDS = (11, 29, 47)
PER_SEED = 105  # 3 x 105 = 315 inputs
MAX_SECONDS = 10.0
BUDGET = DigestOptions(words=80, cluster_time_budget_s=2.0)  # the stress kinds must degrade, not hang


@dataclass
class Case:
    kind: str
    arg: str | bytes  # what is passed on the command line / to the API (bytes: undecodable name)
    name: str  # what the problem line must contain
    expect: str  # "refused": a fatal problem; "warned": a problem, article kept; "accepted": digested

    @property
    def api_arg(self) -> str:
        return os.fsdecode(self.arg) if isinstance(self.arg, bytes) else self.arg


def _write(path: Path | bytes, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _jsonl(root: Path, i: int, line: str, suffix: str = ".jsonl") -> Case:
    path = root / f"{i:03d}{suffix}"
    path.write_text(line + "\n", encoding="utf-8")
    return Case("", str(path), str(path), "refused")


def _deep_json(rng: random.Random, root: Path, i: int, body: str) -> Case:
    n = rng.choice([2_000, 20_000, 100_000])
    opener = rng.choice(["[", '{"a":', '{"text":[', "[{"])
    return _jsonl(root, i, opener * n, rng.choice([".jsonl", ".json"]))


def _huge_int(rng: random.Random, root: Path, i: int, body: str) -> Case:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(4_301, 40_000)))
    field = rng.choice(["id", "title", "text", "published"])
    record = {"title": "Tin", "text": body}
    line = json.dumps(record, ensure_ascii=False).replace(f'"{field}": ' if field in record else '"title": ',
                                                         f'"{field}": {digits}, "x": ', 1)
    return _jsonl(root, i, line)


def _non_finite(rng: random.Random, root: Path, i: int, body: str) -> Case:
    value = rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
    return _jsonl(root, i, f'{{"title": "Tin", "text": {value}}}')


def _surrogate(rng: random.Random, root: Path, i: int, body: str) -> Case:
    lone = rng.choice(["\\udfff", "\\ud800", "\\udc80", "\\ud83d"])
    field = rng.choice(["title", "text", "lead"])
    record = {"title": "Tin mới", "text": body, "lead": "Tóm tắt."}
    line = json.dumps(record, ensure_ascii=True)
    key = f'"{field}": "'
    cut = line.index(key) + len(key)
    case = _jsonl(root, i, line[:cut] + lone + line[cut:])
    case.expect = "warned"
    return case


def _bad_url(rng: random.Random, root: Path, i: int, body: str) -> Case:
    hexes = "".join(rng.choice("0123456789abcdef:") for _ in range(rng.randint(0, 12)))
    url = rng.choice([
        f"http://[{hexes}",  # an unclosed IPv6 literal
        f"https://[::1]:{rng.randint(65_536, 10**9)}/",  # a port out of range
        f"http://tin.example:{rng.choice(['abc', '8o', '-1', '99999999999'])}/a",
        rng.choice(["http://", "https://", "http:///bai.html", "https://:80/"]),  # no host
    ])
    return Case("", url, url, "refused")


def _fifo(rng: random.Random, root: Path, i: int, body: str) -> Case:
    path = root / f"{i:03d}-fifo{rng.choice(['.txt', '.jsonl', '.html', ''])}"
    os.mkfifo(path)
    return Case("", str(path), str(path), "refused")


def _device_link(rng: random.Random, root: Path, i: int, body: str) -> Case:
    path = root / f"{i:03d}-dev{rng.choice(['.txt', '.jsonl', '.html', ''])}"
    path.symlink_to(rng.choice(["/dev/zero", "/dev/null", "/dev/urandom", "/dev/full"]))
    return Case("", str(path), str(path), "refused")


def _broken_link(rng: random.Random, root: Path, i: int, body: str) -> Case:
    path = root / f"{i:03d}-link.txt"
    if rng.random() < 0.5:
        path.symlink_to(root / f"{i:03d}-nowhere.txt")
    else:
        path.symlink_to(path)  # a loop
    return Case("", str(path), str(path), "refused")


def _bad_name(rng: random.Random, root: Path, i: int, body: str) -> Case:
    junk = bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 4)))
    raw = os.fsencode(root) + b"/" + f"{i:03d}-".encode() + junk + rng.choice([b".txt", b".jsonl", b""])
    content = rng.choice([b"", b"\x00\x01\x02" * 40, b"   \n\n"])
    _write(raw, content)
    return Case("", raw, display_name(os.fsdecode(raw)), "refused")


def _junk(rng: random.Random, root: Path, i: int, body: str) -> Case:
    path = root / f"{i:03d}-junk{rng.choice(['.txt', '.html', '', '.jsonl'])}"
    data = rng.choice([
        bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 3000))),
        b"\x00" * rng.randint(1, 500),
        b"\xef\xbb\xbf",
        b"\xff\xfe" + b"\x00\xd8" * rng.randint(1, 50),  # UTF-16 with lone surrogates
        bytes([0xE0, 0xF1, 0x80, 0x9F]) * rng.randint(5, 200),
    ])
    _write(path, data)
    return Case("", str(path), str(path), "refused")


def _too_big(rng: random.Random, root: Path, i: int, body: str) -> Case:
    path = root / f"{i:03d}-big{rng.choice(['.txt', '.jsonl'])}"
    size = rng.choice([250_000, 900_000, 21 * 1024 * 1024])
    if size > 1_000_000:
        with open(path, "wb") as f:  # sparse
            f.truncate(size)
    elif path.suffix == ".jsonl":
        path.write_text(json.dumps({"title": "Dài", "text": ("Một câu dài. " * (size // 12))}) + "\n")
    else:
        path.write_text("Dài\n" + "Một câu rất dài " * (size // 16), encoding="utf-8")  # one 10 MB-style line
    return Case("", str(path), str(path), "refused")


def _wrong_json(rng: random.Random, root: Path, i: int, body: str) -> Case:
    line = rng.choice([
        "[1, 2, 3]", '"chuỗi"', "null", "true", '{"single_documents": 5}', '{"single_documents": []}',
        '{"articles": [1, null, "x"]}', '{"title": {"a": 1}, "text": ["x"]}', "{", '{"text": ""}',
        '{"single_documents": [{"title": "a", "raw_text": 7}]}',
    ])
    return _jsonl(root, i, line, rng.choice([".jsonl", ".json"]))


def _html_junk(rng: random.Random, root: Path, i: int, body: str) -> Case:
    path = root / f"{i:03d}-page.html"
    page = rng.choice([
        "<html><body>" + "<div>" * rng.choice([1_000, 10_000]) + "</body></html>",
        "<html><head><title>Tin</title></head><body><nav>Trang chủ</nav></body></html>",
        "<!doctype html><html>" + "<" * rng.randint(1, 5000),
        "<html><body><p>" + "\u0000" * 10 + "</p></body></html>",
    ])
    path.write_text(page, encoding="utf-8")
    return Case("", str(path), str(path), "refused")


def _stress(rng: random.Random, root: Path, i: int, body: str) -> Case:
    n = rng.randint(800, 1_500)
    text = rng.choice([
        "Ông A nói" + "." * (n * 10),
        " ".join(f"Cuộc họp kéo dài khoảng {rng.randint(1, 99)},5 giờ." for _ in range(n)),
        " ".join(f"Ông Nguyễn Văn {rng.choice('ABCDEGHKLMNPQSTV')}{k} nói." for k in range(n)),
        " ".join(f"Ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}, đoàn phim công bố phần {k}." for k in range(n)),
        ("TP. " * n) + "Hết.",
    ])
    path = root / f"{i:03d}-stress.txt"
    path.write_text("Bài thử\n" + text + "\n", encoding="utf-8")
    return Case("", str(path), str(path), "accepted")  # well formed: digested, or degraded and reported


KINDS = [_deep_json, _huge_int, _non_finite, _surrogate, _bad_url, _fifo, _device_link, _broken_link, _bad_name,
         _junk, _too_big, _wrong_json, _html_junk, _stress]


def corpus(root: Path, seed: int, body: str) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for i in range(PER_SEED):
        # every kind once, then random kinds; the stress kind (seconds each) only once
        make = KINDS[i] if i < len(KINDS) else rng.choice(KINDS[:-1])
        case = make(rng, root, i, body)
        case.kind = make.__name__.lstrip("_")
        cases.append(case)
    return cases


@pytest.fixture(scope="module")
def good(seed_dir: Path) -> Path:
    return sorted(seed_dir.glob("*.txt"))[0]


@pytest.fixture(scope="module", params=SEEDS)
def cases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, good: Path) -> list[Case]:
    root = tmp_path_factory.mktemp(f"hostile{request.param}")
    body = good.read_text(encoding="utf-8").split("\n", 1)[1]
    return corpus(root, request.param, body)


def _clusters(result: Cluster | list[Cluster]) -> list[Cluster]:
    return result if isinstance(result, list) else [result]


def _reported(clusters: list[Cluster], case: Case) -> list[str]:
    lines = [f"{p.source}: {p.message}" for c in clusters for p in c.problems if case.name in p.source]
    if case.expect == "refused":
        lines = [ln for c in clusters for p in c.problems if case.name in p.source and p.fatal
                 for ln in [f"{p.source}: {p.message}"]]
    return lines


def _check(case: Case, clusters: list[Cluster], seconds: float, good: Path | None) -> None:
    assert seconds < MAX_SECONDS, (case.kind, case.name, seconds)
    for c in clusters:
        for p in c.problems:
            assert "\n" not in str(p) and "\r" not in str(p), str(p)
            str(p).encode("utf-8")  # printable: no lone surrogates
    articles = [a for c in clusters for a in c.articles]
    if case.expect in ("refused", "warned"):
        assert _reported(clusters, case), (case.kind, case.name, [str(p) for c in clusters for p in c.problems])
    if case.expect == "refused":
        assert not [a for a in articles if a.path and case.name in a.path], case.name
    if good is not None:
        kept = [a for a in articles if a.path == str(good)]
        assert kept and kept[0].sentences, (case.kind, case.name)
        home = [c for c in clusters if kept[0] in c.articles]
        # summarized, or (beside a stress input, on a loaded machine) cut by the budget and said so
        assert any(c.digest and c.digest.summary for c in home) or any(
            p.stage == "select" and "thời gian" in p.message for c in home for p in c.problems), (case.kind, case.name)


def test_api_alone_and_beside_a_good_article(cases: list[Case], good: Path) -> None:
    kinds = set()
    for case in cases:
        for with_good in (False, True):
            inputs = [str(good), case.api_arg] if with_good else [case.api_arg]
            t = time.perf_counter()
            result = _clusters(diemtin.digest(inputs, options=BUDGET))
            _check(case, result, time.perf_counter() - t, good if with_good else None)
        t = time.perf_counter()  # and what `diemtin clean` does with it
        cleaned = read_inputs([case.api_arg])
        for cluster in cleaned:
            pipeline.clean(cluster)
        assert time.perf_counter() - t < MAX_SECONDS, (case.kind, case.name)
        if case.expect != "accepted":
            assert _reported(cleaned, case), (case.kind, case.name)
        kinds.add(case.kind)
    assert len(cases) == PER_SEED and kinds == {k.__name__.lstrip("_") for k in KINDS}


def _json_outputs(stdout: bytes) -> list[dict]:
    """One JSON digest (one cluster, indented) or JSON Lines (several); strict UTF-8."""
    text = stdout.decode("utf-8")
    try:
        return [json.loads(text)]
    except ValueError:
        return [json.loads(x) for x in text.splitlines() if x.strip()]


def _cli(args: list[str | bytes]) -> tuple[subprocess.CompletedProcess[bytes], float]:
    cmd: list[str | bytes] = [sys.executable, "-m", "diemtin.app.cli", "digest", "-f", "json", "--no-progress",
                              "--words", "80", "--time-budget", str(BUDGET.cluster_time_budget_s), *args]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=300, cwd=REPO)
    return proc, time.perf_counter() - t


def test_cli_batch_beside_a_good_article(cases: list[Case], good: Path) -> None:
    """All of a seed's inputs in one run with a good article: one line per bad input, exit 1."""
    proc, _ = _cli([str(good), *(c.arg for c in cases)])
    stderr = proc.stderr.decode("utf-8")  # strict: valid UTF-8
    assert "Traceback" not in stderr, stderr[-3000:]
    assert proc.returncode == 1
    lines = stderr.splitlines()
    assert all(ln.startswith(("diemtin: lỗi: ", "diemtin: cảnh báo: ")) for ln in lines), lines
    outs = _json_outputs(proc.stdout)
    paths = [a["path"] for o in outs for a in o["articles"]]
    assert str(good) in paths
    pile = next(o for o in outs if any(a["path"] == str(good) for a in o["articles"]))
    assert pile["summary"]
    for case in cases:
        if case.expect in ("refused", "warned"):
            assert any(case.name in ln for ln in lines), (case.kind, case.name)
        if case.expect == "refused":
            assert not any(p and case.name in p for p in paths)


def test_cli_each_kind_alone(tmp_path: Path, good: Path) -> None:
    """One input of each kind alone on the command line: a problem line naming it, no traceback.
    (One seed: each run pays the start-up.)"""
    from concurrent.futures import ThreadPoolExecutor

    seen: dict[str, Case] = {}
    for case in corpus(tmp_path, SEEDS[-1] + 1, good.read_text(encoding="utf-8").split("\n", 1)[1]):
        seen.setdefault(case.kind, case)
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda c: (c, *_cli([c.arg])), seen.values()))
    for case, proc, seconds in runs:
        stderr = proc.stderr.decode("utf-8")
        assert "Traceback" not in stderr and seconds < MAX_SECONDS + 5, (case.kind, stderr[-2000:])  # + start-up
        proc.stdout.decode("utf-8")
        if case.expect == "refused":
            assert proc.returncode == 2 and any(case.name in ln for ln in stderr.splitlines()), (case.kind, stderr)
        else:
            assert proc.returncode in (0, 1), (case.kind, stderr)
