"""One failure never sinks anything else (issue 8 §1): a failure injected into each stage.

A stage that raises for one article drops that article; for one cluster it loses that part
(and the parts that need it). Either way a Problem names the article or cluster, the stage
and the error, the rest of the digest is produced, the batch goes on and the CLI exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from diemtin import pipeline
from diemtin.app import cli
from diemtin.ingest.read import read_inputs
from diemtin.lang.tokens import count_syllables
from diemtin.model import Article, Cluster
from diemtin.options import ALL_PARTS, DigestOptions

PER_ARTICLE = {"clean": "clean_article", "segment": "segment_article"}
PER_CLUSTER = {
    "dedup": "mark_duplicates", "language": "vietnamese_ratio", "dates": "find_dates", "select": "summarize",
    "timeline": "extract_timeline", "entities": "extract_entities", "quotes": "extract_quotes",
    "figures": "extract_figures",
}
PART_OF = {"select": "summary", "timeline": "timeline", "entities": "entities", "quotes": "quotes",
           "figures": "figures"}


class Boom(RuntimeError):
    pass


def _seed(seed_dir: Path) -> Cluster:
    return read_inputs([seed_dir])[0]


def _failing(name: str, victim: str | None = None) -> Any:
    """The stage function ``name`` of the pipeline, raising (only for article ``victim`` if given)."""
    real = getattr(pipeline, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        target = args[0]
        if victim is None or (isinstance(target, Article) and target.id == victim):
            raise Boom(f"injected failure in {name}")
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("stage", sorted(PER_ARTICLE))
def test_failure_for_one_article_drops_only_that_article(
    stage: str, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster = _seed(seed_dir)
    victim = cluster.articles[1]
    monkeypatch.setattr(pipeline, PER_ARTICLE[stage], _failing(PER_ARTICLE[stage], victim.id))
    pipeline.process(cluster, 120)
    assert victim.id not in [a.id for a in cluster.articles]
    assert len(cluster.articles) == 4
    [problem] = [p for p in cluster.problems if p.stage == stage]
    assert problem.source == victim.path and problem.fatal
    assert "Boom" in problem.message and "injected failure" in problem.message and stage in problem.message
    assert "\n" not in str(problem)
    digest = cluster.digest
    assert digest is not None and digest.summary and digest.entities and digest.timeline  # everything else is there


@pytest.mark.parametrize("stage", sorted(PER_CLUSTER))
def test_failure_in_a_cluster_stage_loses_only_that_part(
    stage: str, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = pipeline.process(_seed(seed_dir), 120)
    cluster = _seed(seed_dir)
    monkeypatch.setattr(pipeline, PER_CLUSTER[stage], _failing(PER_CLUSTER[stage]))
    pipeline.process(cluster, 120)
    problems = [p for p in cluster.problems if p.stage == stage]
    assert len(problems) == 1 and problems[0].fatal
    assert "Boom" in problems[0].message and stage in problems[0].message
    assert problems[0].source in {f"cụm {cluster.id}", *(a.path for a in cluster.articles)}
    assert len(cluster.articles) == 5
    lost = {PART_OF.get(stage)}
    if stage == "entities":
        lost.add("quotes")  # quotes are attributed to entities: skipped, and said so
        assert any(p.stage == "quotes" and "digest.entities" in p.message for p in cluster.problems)
    if stage == "dates":
        lost |= {"timeline", "figures"}  # both read the date layer: skipped, and said so
        assert {p.stage for p in cluster.problems if "cluster.dates" in p.message} == {"timeline", "figures"}
    for part in ALL_PARTS:
        got, expected = getattr(cluster.digest, part), getattr(baseline.digest, part)
        if part in lost:
            assert got == []
        elif stage == "dates" and part == "summary":
            # the selector reads the date layer (the main event's day, the order of events):
            # without it the summary is still made, in the budget, from other choices
            assert got and sum(count_syllables(s.text) for s in got) <= 120
        else:
            assert len(got) == len(expected), part  # the other parts are computed as without the failure


def test_batch_goes_on_and_cli_exits_1(abmusu_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = abmusu_path.read_text(encoding="utf-8").split("\n")[:3]
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    victim = json.loads(lines[1]).get("id") or "three-2"
    real = pipeline.extract_timeline

    def timeline_fails_on_second(cluster: Cluster) -> Any:
        if cluster.id == victim:
            raise ValueError("year 10001 is out of range")
        return real(cluster)

    monkeypatch.setattr(pipeline, "extract_timeline", timeline_fails_on_second)
    result = CliRunner().invoke(cli.main, ["digest", str(path), "-f", "json", "--no-progress", "--words", "80"])
    assert result.exit_code == 1, result.output
    outs = [json.loads(x) for x in result.stdout.strip().split("\n")]
    assert [o["cluster"] for o in outs][1] == victim and len(outs) == 3  # the clusters after it are digested
    assert all(o["summary"] for o in outs)
    assert outs[1]["timeline"] == [] and outs[0]["timeline"] and outs[2]["timeline"]
    [line] = [ln for ln in result.stderr.splitlines() if "timeline" in ln]
    assert line.startswith("diemtin: lỗi: ") and victim in line and "year 10001" in line


def test_time_budget_skips_parts_and_reports(seed_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    real = pipeline.extract_entities

    def slow(cluster: Cluster) -> Any:
        end = time.monotonic() + 5
        while time.monotonic() < end:  # pure Python work: the budget interrupts it
            sum(range(1000))
        return real(cluster)

    monkeypatch.setattr(pipeline, "extract_entities", slow)
    cluster = _seed(seed_dir)
    t = time.monotonic()
    pipeline.process(cluster, options=DigestOptions(words=120, cluster_time_budget_s=1.0))
    assert time.monotonic() - t < 4
    digest = cluster.digest
    assert digest is not None and digest.summary and digest.timeline  # done before the budget ran out
    assert digest.entities == [] and digest.quotes == [] and digest.figures == []
    skipped = {p.stage for p in cluster.problems if "thời gian" in p.message}
    assert skipped == {"entities", "figures"}  # quotes: skipped for want of entities
    assert any(p.stage == "quotes" for p in cluster.problems)


def test_order_is_checked_once() -> None:
    rows = pipeline.check_order(pipeline.COMPONENTS)
    assert [r["name"] for r in rows][:3] == ["clean", "segment", "dedup"]
    assert tuple(r["part"] for r in rows if r["part"]) == ALL_PARTS
    wrong = (pipeline.PARTS[0], *pipeline.PREPARE)  # the summary before any segmentation
    with pytest.raises(pipeline.PipelineError, match="select"):
        pipeline.check_order(wrong)
    assert [c.name for c in pipeline.plan(["quotes"])] == ["entities", "quotes"]


def test_plan_takes_what_a_part_needs_from_helper_components() -> None:
    def noop(cluster: Cluster, options: DigestOptions) -> None:
        pass

    dates = pipeline.Component("dates", noop, pipeline.SEGMENTED, ("cluster.dates",))
    timeline = pipeline.Component("timeline", noop, ("cluster.dates",), ("digest.timeline",), part="timeline")
    summary = pipeline.PARTS[0]
    chain = (summary, dates, timeline)
    pipeline.check_order(pipeline.PREPARE + chain)
    assert [c.name for c in pipeline.plan(["timeline"], chain)] == ["dates", "timeline"]
    assert [c.name for c in pipeline.plan(["summary"], chain)] == ["select"]
