"""``diemtin digest --jobs/--split/--scheduler``: same output as one process, in input order."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from diemtin import pipeline, render
from diemtin.app.parallel import digest_clusters
from diemtin.ingest.read import read_inputs
from diemtin.model import without_insertions
from diemtin.options import DigestOptions

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "diemtin.app.cli", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def comparable(line: str) -> dict[str, Any]:
    out = json.loads(line)
    out["stats"] = {k: v for k, v in out["stats"].items() if not k.endswith("_ms")}  # timings differ
    return out


@pytest.fixture(scope="module")
def five_clusters(tmp_path_factory: pytest.TempPathFactory, abmusu_path: Path) -> Path:
    test_inputs = abmusu_path.parent / "test-inputs.jsonl"
    lines = test_inputs.read_text(encoding="utf-8").split("\n")[:5]
    path = tmp_path_factory.mktemp("par") / "five.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory, abmusu_path: Path) -> tuple[Path, dict[str, int]]:
    """Articles of three AbMuSu train clusters as loose .txt files, interleaved by name, plus
    an empty and a binary file. Returns the folder and each good file's gold cluster."""
    folder = tmp_path_factory.mktemp("mixed")
    lines = abmusu_path.read_text(encoding="utf-8").split("\n")
    gold = {}
    for c in (0, 7, 42):
        for j, doc in enumerate(json.loads(lines[c])["single_documents"]):
            name = f"{j}_{c:03d}"
            (folder / f"{name}.txt").write_text(
                f"{doc['title']}\n{doc['anchor_text']}\n{doc['raw_text']}", encoding="utf-8"
            )
            gold[name] = c
    (folder / "9_empty.txt").write_bytes(b"")
    (folder / "9_junk.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    return folder, gold


def test_jobs_2_same_output_as_jobs_1(five_clusters: Path) -> None:
    one = run("digest", str(five_clusters), "-f", "json", "--jobs", "1", "--no-progress")
    two = run("digest", str(five_clusters), "-f", "json", "--jobs", "2", "--no-progress")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    a = [comparable(x) for x in one.stdout.strip().split("\n")]
    b = [comparable(x) for x in two.stdout.strip().split("\n")]
    assert len(a) == 5 and a == b


def test_processed_cluster_pickles(five_clusters: Path) -> None:
    # workers send digested clusters back through pickle: nothing may be lost on the way
    cluster = pipeline.process(read_inputs([five_clusters])[0], 100)
    assert render.to_dict(pickle.loads(pickle.dumps(cluster))) == render.to_dict(cluster)


def test_split_end_to_end(mixed_folder: tuple[Path, dict[str, int]]) -> None:
    folder, gold = mixed_folder
    proc = run("digest", str(folder), "--split", "-f", "json", "--words", "60")
    assert proc.returncode == 1, proc.stderr  # some inputs failed, the rest was digested
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("diemtin: lỗi")]
    assert len(errors) == 2
    assert any("9_empty.txt" in e for e in errors) and any("9_junk.txt" in e for e in errors)
    outs = [json.loads(x) for x in proc.stdout.strip().split("\n")]
    assert [o["cluster"] for o in outs] == ["pile-1", "pile-2", "pile-3"]
    found = [{gold[Path(a["path"]).stem] for a in o["articles"]} for o in outs]
    assert all(len(f) == 1 for f in found) and set.union(*found) == {0, 7, 42}  # one story each
    assert sum(len(o["articles"]) for o in outs) == len(gold)
    assert [len(o["problems"]) for o in outs] == [2, 0, 0]  # the pile's problems, once
    sizes = [len(o["articles"]) for o in outs]
    assert sizes == sorted(sizes, reverse=True)
    for o in outs:
        texts = {a["id"]: a["text"] for a in o["articles"]}
        for s in o["summary"]:
            text = texts[s["sources"][0]["article"]]
            shown = without_insertions(s["text"], [(i["start"], i["end"]) for i in s["inserted"]])
            assert "".join(text[a:b] for a, b in s["spans"]) == shown  # (its kept spans: trim.py)


def test_split_markdown_and_jobs(mixed_folder: tuple[Path, dict[str, int]]) -> None:
    folder, _ = mixed_folder
    md = run("digest", str(folder), "--split", "--words", "40", "--parts", "summary")
    assert md.returncode == 1
    assert md.stdout.count("# Điểm tin") == 3 and md.stdout.count("\n---\n") == 2
    # one pile, two workers: the pile is split here and its stories digested in parallel
    one = run("digest", str(folder), "--split", "-f", "json", "--words", "40")
    two = run("digest", str(folder), "--split", "-f", "json", "--words", "40", "--jobs", "2")
    assert two.returncode == 1 and two.stderr.count("diemtin: lỗi") == 2
    assert [comparable(x) for x in one.stdout.split("\n") if x] == [
        comparable(x) for x in two.stdout.split("\n") if x
    ]


def test_many_piles_split_in_parallel_keep_order(five_clusters: Path) -> None:
    clusters = read_inputs([five_clusters])
    options = DigestOptions(words=60)
    serial = [[render.to_dict(c) for c in g]
              for g in digest_clusters(read_inputs([five_clusters]), options, split=True)]
    parallel = [[render.to_dict(c) for c in g] for g in digest_clusters(clusters, options, split=True, jobs=2)]
    for groups in (serial, parallel):
        for g in groups:
            for d in g:
                d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("_ms")}
    assert serial == parallel and len(serial) == 5
    # each pile's stories are named after it, in input order
    assert [g[0]["cluster"].rsplit("-", 1)[0] for g in parallel] == [c.id for c in clusters]


def test_dask_local_cluster(five_clusters: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask is the optional [dask] extra")
    options = DigestOptions(words=60)
    base = [render.to_dict(c) for g in digest_clusters(read_inputs([five_clusters]), options) for c in g]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as lc:
        out = [render.to_dict(c) for g in digest_clusters(read_inputs([five_clusters]), DigestOptions(words=60),
                                                          scheduler=lc.scheduler_address) for c in g]
    for d in base + out:
        d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("_ms")}
    assert out == base


def test_a_worker_that_fails_yields_its_cluster_with_the_problem() -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from diemtin.app.parallel import _ordered
    from diemtin.model import Cluster

    def submit(fn: Any, cluster: Cluster, *args: Any) -> Future:
        future: Future = Future()
        if cluster.id == "b":
            future.set_exception(BrokenProcessPool("a worker was killed"))
        else:
            future.set_result([cluster])
        return future

    clusters = [Cluster(id=x) for x in "abc"]
    out = [c for group in _ordered(submit, ((None, c) for c in clusters), window=2) for c in group]
    assert [c.id for c in out] == ["a", "b", "c"]  # in order, none lost
    assert [len(c.problems) for c in out] == [0, 1, 0]
    assert "BrokenProcessPool" in out[1].problems[0].message and out[1].problems[0].source == "cụm b"
