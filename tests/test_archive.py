"""The story archive on real articles: storage, idempotent and interrupted adds, concurrent
readers, search with diacritics, bad input, update summaries, the HTTP API, Dask."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ABMUSU, REPO, need

from diemtin.archive import Archive, SchemaError, config, store
from diemtin.archive.update import content_bigrams, known_bigrams
from diemtin.evaluation.metrics import bcubed

ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _feed(tmp_path: Path, clusters: int, start: int = 0, dated: bool = False, name: str = "feed.jsonl") -> Path:
    """A JSON Lines feed of single articles from real AbMuSu clusters (ids c<k>-<i>)."""
    lines = need(ABMUSU).read_text(encoding="utf-8").splitlines()[start : start + clusters]
    out = tmp_path / name
    with out.open("w", encoding="utf-8") as f:
        for k, line in enumerate(lines, start):
            for i, doc in enumerate(json.loads(line)["single_documents"]):
                rec = {"id": f"c{k}-{i}", "title": doc["title"], "lead": doc.get("anchor_text"),
                       "text": doc["raw_text"]}
                if dated:
                    rec["published"] = f"2022-03-{10 + i:02d}"
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


def _stories(ar: Archive) -> set[frozenset[str]]:
    return {frozenset(s["articles"]) for s in ar.stories()}


@dataclass
class _Run:
    returncode: int
    stdout: str
    stderr: str


def _cli(*args: str) -> _Run:
    """The ``diemtin`` command, in this process (click's runner: no interpreter start-up)."""
    from click.testing import CliRunner

    from diemtin.app.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return _Run(result.exit_code, result.stdout, result.stderr)


def test_add_is_idempotent_and_stories_group_real_clusters(tmp_path: Path) -> None:
    feed = _feed(tmp_path, 12)
    with Archive(tmp_path / "a.db") as ar:
        first = ar.add([str(feed)], digest=False)
        before = _stories(ar)
        again = ar.add([str(feed)], digest=False)
        assert (first.added, again.added, again.duplicates) == (first.added, 0, first.added)
        assert _stories(ar) == before
        ids = [a for s in ar.stories() for a in s["articles"]]
        gold = [a.split("-")[0] for a in ids]
        pred = [s["id"] for s in ar.stories() for _ in s["articles"]]
        assert len(ids) == len(set(ids)) == first.added
        assert bcubed(pred, gold)[2] > 0.8  # real clusters come out as stories


def test_changed_version_replaces_and_keeps_the_old(tmp_path: Path) -> None:
    feed = _feed(tmp_path, 3)
    with Archive(tmp_path / "a.db") as ar:
        ar.add([str(feed)], digest=False)
        recs = [json.loads(x) for x in feed.read_text(encoding="utf-8").splitlines()]
        recs[0]["text"] += "\nCập nhật: cơ quan chức năng cho biết thêm thông tin mới về vụ việc."
        changed = tmp_path / "changed.jsonl"
        changed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
        report = ar.add([str(changed)], digest=False)
        assert (report.added, report.replaced, report.duplicates) == (0, 1, len(recs) - 1)
        assert "Cập nhật: cơ quan" in ar.store.article(recs[0]["id"])["text"]
        old = ar.store.db.execute("SELECT text FROM article_versions WHERE id = ?", (recs[0]["id"],)).fetchall()
        assert len(old) == 1 and "Cập nhật: cơ quan" not in old[0][0]
        assert sum(s["size"] for s in ar.stories()) == len(recs)


def test_kill_during_add_loses_nothing_committed_readers_work_and_rerun_completes(tmp_path: Path) -> None:
    feed = _feed(tmp_path, 40)
    db = tmp_path / "a.db"
    proc = subprocess.Popen([sys.executable, "-m", "diemtin", "archive", "add", "--db", str(db), "--no-digest",
                             "--no-progress", "--batch", "8", str(feed)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = 0
    deadline = time.monotonic() + 120
    try:  # a reader while `add` writes: every read sees a consistent, growing archive
        while seen < 40 and time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    with Archive(db, readonly=True) as reader:
                        # (two reads, two snapshots: the writer may commit a batch between them)
                        before = reader.counts()["articles"]
                        n = sum(s["size"] for s in reader.stories())
                        after = reader.counts()["articles"]
                        assert seen <= before <= n <= after
                        seen = n
                        reader.search("người", 5)
                except SchemaError:
                    pass  # the writer is creating the schema
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert seen >= 8, "the reader never saw a committed batch"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with Archive(db) as ar:
        kept = ar.counts()["articles"]
        assert kept >= seen  # nothing the reader saw committed was lost
        rerun = ar.add([str(feed)], digest=False)
        assert rerun.duplicates == kept
        total = ar.counts()["articles"]
    with Archive(tmp_path / "whole.db") as whole:
        whole.add([str(feed)], digest=False)
        assert whole.counts()["articles"] == total  # the interrupted add, rerun, stored every article


def test_search_keeps_diacritics_and_normalizes(tmp_path: Path, seed_dir: Path) -> None:
    with Archive(tmp_path / "a.db") as ar:
        ar.add([str(seed_dir)], digest=False)
        hits = ar.search("đàm phán", 10)
        assert hits["articles"]
        assert all("đàm phán" in ar.store.article(h["id"])["text"].lower() for h in hits["articles"])
        assert ar.search(unicodedata.normalize("NFD", "đàm phán"), 10) == hits  # NFD query: same answer
        assert ar.search("dam phan", 10)["articles"] == []  # diacritics are not stripped
        assert ar.search('"đàm phán an ninh"', 10)["articles"]  # a phrase
        assert set(ar.search('") OR (* NEAR ^', 10)) == {"articles", "stories"}  # user text is never FTS syntax
        assert ar.search("NATO", 10)["stories"]  # stories are searchable by title (and summary once digested)


def test_one_bad_article_is_reported_the_rest_ingested(tmp_path: Path, seed_dir: Path) -> None:
    folder = tmp_path / "pile"
    folder.mkdir()
    for p in seed_dir.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    result = _cli("archive", "add", "--db", str(tmp_path / "a.db"), "--no-digest", str(folder))
    assert result.returncode == 1, result.stderr
    assert "empty.txt" in result.stderr and "binary.txt" in result.stderr
    assert "added 5," in result.stdout
    with Archive(tmp_path / "a.db") as ar:
        assert ar.counts()["articles"] == 5 and ar.counts()["problems"] >= 2


def test_schema_is_versioned_and_migrated(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(store.MIGRATIONS[0] + "\nPRAGMA user_version=1;")
    con.close()
    with Archive(db) as ar:  # version 1 -> current, in place
        assert ar.store.version == store.SCHEMA_VERSION
        ar.store.db.execute("SELECT count(*) FROM article_versions").fetchone()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version={store.SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(SchemaError):
        Archive(db)


def test_update_summary_says_what_is_new(tmp_path: Path) -> None:
    feed = _feed(tmp_path, 6, dated=True)
    with Archive(tmp_path / "a.db") as ar:
        ar.add([str(feed)], digest=False)
        story = max(ar.stories(), key=lambda s: s["size"])
        assert story["size"] >= 3
        since = "2022-03-11"
        update = ar.update(story["id"], since)
        rows = ar.store.story_articles(story["id"])
        earlier = [r for r in rows if r["time"] < since]
        from diemtin.archive.tasks import article_from_row

        known = known_bigrams(article_from_row(r) for r in earlier)
        later_ids = {r["id"] for r in rows if r["time"] >= since}
        assert update.digest.summary
        for s in update.digest.summary:
            assert s.sources[0].article in later_ids
            grams = content_bigrams(s.text)
            assert (len(grams & known) / len(grams) < config.NOVELTY_CONTAINMENT
                    or len(grams - known) >= config.NOVELTY_MIN_NEW)
        plain = ar.show(story["id"], fmt="json")
        assert plain["summary"] and ar.show(story["id"], since=since, fmt="md").startswith("#")


def test_a_known_frame_with_a_new_fact_is_news_a_restatement_is_not() -> None:
    from diemtin.archive.update import is_novel
    from diemtin.segment.sentences import split_sentences

    docs = [json.loads(x)["single_documents"] for x in need(ABMUSU).read_text(encoding="utf-8").splitlines()[:2]]
    lines = [line for d in docs for line in d[0]["raw_text"].split("\n")]
    sentences = [line[a:b] for line in lines for a, b in split_sentences(line)]
    first = next(x for x in sentences if len(content_bigrams(x)) >= 30)
    known = content_bigrams(first)
    fact = next(x for x in sentences[::-1]
                if config.NOVELTY_MIN_NEW <= len(content_bigrams(x) - known) <= config.NOVELTY_MIN_NEW + 4)
    assert not is_novel(first, known)
    # the earlier sentence again with another story's fact after it: mostly known, still news
    longer = f"{first.rstrip('.')}, {fact}"
    assert len(content_bigrams(longer) & known) / len(content_bigrams(longer)) >= config.NOVELTY_CONTAINMENT
    assert is_novel(longer, known)


def test_cli_stories_show_search(tmp_path: Path) -> None:
    feed = _feed(tmp_path, 3)
    db = str(tmp_path / "a.db")
    added = _cli("archive", "add", "--db", db, str(feed), "--format", "json")
    assert added.returncode == 0, added.stderr
    counts = json.loads(added.stdout)
    assert counts["added"] > 0 and counts["digested"] == counts["stories_changed"] > 0
    listed = json.loads(_cli("archive", "stories", "--db", db).stdout)
    assert set(listed[0]) == {"id", "title", "articles", "first_seen", "last_seen", "size"}
    assert [s["last_seen"] for s in listed] == sorted((s["last_seen"] for s in listed), reverse=True)
    shown = json.loads(_cli("archive", "show", "--db", db, str(listed[0]["id"]), "--format", "json").stdout)
    assert {a["id"] for a in shown["articles"]} == set(listed[0]["articles"])
    assert _cli("archive", "show", "--db", db, "99999").returncode == 2
    assert _cli("archive", "stories", "--db", db, "--since", "hôm qua").returncode == 2
    assert "câu chuyện" in _cli("archive", "search", "--db", db, listed[0]["title"].split()[0]).stdout


def test_http_api_and_page(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from diemtin.app.serve import create_app

    feed = _feed(tmp_path, 3, dated=True)
    db = tmp_path / "a.db"
    with Archive(db) as ar:
        ar.add([str(feed)], digest=False)
    client = TestClient(create_app(db=str(db)))
    listed = client.get("/api/archive/stories").json()
    assert listed["counts"]["articles"] == sum(s["size"] for s in listed["stories"])
    sid = listed["stories"][0]["id"]
    story = client.get(f"/api/archive/stories/{sid}").json()
    assert story["story"]["id"] == sid and story["digest"]["summary"]
    assert client.get(f"/api/archive/stories/{sid}?since=2022-03-11").status_code == 200
    assert client.get("/api/archive/stories/99999").status_code == 404
    assert client.get("/api/archive/stories?since=bad").status_code == 422
    assert client.get("/api/archive/search", params={"q": listed["stories"][0]["title"]}).json()["articles"]
    page = client.get("/archive")
    assert page.status_code == 200 and "Câu chuyện" in page.text and "archive.js" in page.text
    assert "innerHTML" not in (REPO / "src/diemtin/app/static/archive.js").read_text(encoding="utf-8")
    assert client.get("/api/archive/stories").status_code == 200 and create_app().url_path_for  # no db: no routes
    assert TestClient(create_app()).get("/api/archive/stories").status_code == 404


def test_dask_local_cluster_gives_the_same_stories(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    feed = _feed(tmp_path, 4)
    with Archive(tmp_path / "local.db") as ar:
        ar.add([str(feed)], digest=True, batch=8)
        local = _stories(ar)
        local_digest = ar.show(ar.stories()[0]["id"], fmt="json")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as lc:
        with Archive(tmp_path / "dask.db") as ar:
            report = ar.add([str(feed)], scheduler=lc.scheduler_address, digest=True, batch=8)
            assert report.digested == report.stories_changed > 0
            assert _stories(ar) == local
            assert ar.show(ar.stories()[0]["id"], fmt="json")["summary"] == local_digest["summary"]


def test_bcubed_is_the_pairwise_definition() -> None:
    import random

    rnd = random.Random(11)
    for _ in range(50):
        n = rnd.randint(1, 40)
        pred = [rnd.randint(0, 6) for _ in range(n)]
        gold = [rnd.randint(0, 6) for _ in range(n)]
        p = sum(sum(pred[i] == pred[j] and gold[i] == gold[j] for j in range(n))
                / sum(pred[i] == pred[j] for j in range(n)) for i in range(n)) / n
        r = sum(sum(pred[i] == pred[j] and gold[i] == gold[j] for j in range(n))
                / sum(gold[i] == gold[j] for j in range(n)) for i in range(n)) / n
        got = bcubed(pred, gold)
        assert abs(got[0] - p) < 1e-12 and abs(got[1] - r) < 1e-12


def test_only_changed_stories_are_redigested(tmp_path: Path) -> None:
    first, second = _feed(tmp_path, 4), _feed(tmp_path, 3, start=4, name="later.jsonl")
    with Archive(tmp_path / "a.db") as ar:
        ar.add([str(first)])
        before = {s["id"]: ar.store.digest(s["id"]) for s in ar.stories()}
        assert all(before.values()) and not ar.store.stale_stories()
        members = {s["id"]: set(s["articles"]) for s in ar.stories()}
        report = ar.add([str(second)])
        new_ids = {json.loads(x)["id"] for x in second.read_text(encoding="utf-8").splitlines()}
        # the stories new articles joined, and those the regrouping pass took an article from
        touched = {s["id"] for s in ar.stories() if set(s["articles"]) != members.get(s["id"])}
        assert {s["id"] for s in ar.stories() if new_ids & set(s["articles"])} <= touched
        assert report.digested == report.stories_changed == len(touched)
        for sid, digest in before.items():
            if sid not in touched and ar.store.story(sid) is not None:
                assert ar.store.digest(sid) == digest  # untouched: the stored digest, not recomputed


def test_kept_pool_between_adds_releases_the_lock_and_gives_the_same_stories(tmp_path: Path) -> None:
    first, second = _feed(tmp_path, 3), _feed(tmp_path, 3, start=3, name="later.jsonl")
    with Archive(tmp_path / "one.db") as ar:
        ar.add([str(first)], digest=False)
        ar.add([str(second)], digest=False)
        alone = _stories(ar)
    with Archive(tmp_path / "two.db") as ar:
        ar.add([str(first)], digest=False, jobs=2)
        # the pool's workers live on; another writer must still get the lock
        with Archive(tmp_path / "two.db") as other:
            assert other.add([str(first)], digest=False).duplicates > 0
        ar.add([str(second)], digest=False, jobs=2)  # another connection wrote: caches reloaded
        assert ar._pool is not None  # the same pool served both calls
        assert _stories(ar) == alone


def _dated_feed(path: Path, docs: list[tuple[str, dict, str]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for aid, doc, published in docs:
            f.write(json.dumps({"id": aid, "title": doc["title"], "lead": doc.get("anchor_text"),
                                "text": doc["raw_text"], "published": published}, ensure_ascii=False) + "\n")
    return path


@pytest.mark.parametrize("old_copies", [0, 10])
@pytest.mark.parametrize("cluster", [6, 10])
def test_old_look_alikes_outside_the_window_do_not_capture_a_new_article(
    tmp_path: Path, cluster: int, old_copies: int
) -> None:
    """A recurring event: more older stories than candidate places, each made of a real
    article, months before today and added after today's first article (a backfill), must
    not keep today's next article from joining today's story. ``old_copies=0`` is the
    control: on these clusters the two articles join when nothing old is in the way
    (before candidates were picked within the window, the 10 copies made both fail)."""
    lines = need(ABMUSU).read_text(encoding="utf-8").splitlines()[:12]
    clusters = [json.loads(x)["single_documents"] for x in lines]
    today = clusters[cluster]
    others = [(f"o{k}-{i}", d, "2022-03-10") for k, c in enumerate(clusters) if k != cluster for i, d in enumerate(c)]
    assert old_copies == 0 or old_copies > config.CANDIDATES  # enough to take every place
    with Archive(tmp_path / "a.db") as ar:
        ar.add([str(_dated_feed(tmp_path / "1.jsonl", [("today-0", today[0], "2022-03-10"), *others]))],
               digest=False)
        old = []
        for k in range(1, old_copies + 1):  # each copy its own story: 60 days apart, window 21
            doc = dict(today[1], raw_text=today[1]["raw_text"] + f"\n\nBản tin lưu trữ số {k}.")
            old.append((f"old{k}", doc, (date(2022, 3, 10) - timedelta(days=60 * k)).isoformat()))
        if old:
            ar.add([str(_dated_feed(tmp_path / "2.jsonl", old))], digest=False)
            assert len({s["id"] for s in ar.stories() if any(a.startswith("old") for a in s["articles"])}) == old_copies
        ar.add([str(_dated_feed(tmp_path / "3.jsonl", [("today-1", today[1], "2022-03-11")]))], digest=False)
        story_of = {a: s["id"] for s in ar.stories() for a in s["articles"]}
        assert story_of["today-1"] == story_of["today-0"]
        assert not any(story_of[f"old{k}"] == story_of["today-1"] for k in range(1, old_copies + 1))


def _check_stories_match_their_articles(ar: Archive) -> None:
    """Every stored story's size and centroid are those of the articles stored under it."""
    sizes: dict[int, int] = {}
    sums: dict[int, dict[str, float]] = {}
    for story, feats in ar.store.db.execute("SELECT story, features FROM articles"):  # type: ignore[attr-defined]
        sizes[story] = sizes.get(story, 0) + 1
        acc = sums.setdefault(story, {})
        for t, w in json.loads(feats).items():
            acc[t] = acc.get(t, 0.0) + w
    rows = {r["id"]: r for r in (ar.store.story(sid) for sid in sizes)}
    assert all(rows[sid] is not None for sid in sizes)
    assert {sid: r["size"] for sid, r in rows.items()} == sizes
    for sid, row in rows.items():  # the centroid is truncated: what it keeps is the members' sum
        assert all(abs(w - sums[sid][t]) < 1e-6 for t, w in row["centroid"].items())


def test_regrouping_rebuilds_stories_that_one_by_one_assignment_left_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no article may join a story on arrival, nor stories merge: every article starts alone,
    # so only the regrouping pass (average link over a story's neighbourhood) can put
    # real clusters back together, one article per `add`
    monkeypatch.setattr(config, "ASSIGN_THRESHOLD", 1.01)
    monkeypatch.setattr(config, "MERGE_THRESHOLD", 1.01)
    recs = _feed(tmp_path, 10, start=60).read_text(encoding="utf-8").splitlines()
    results = {}
    for regroup in (1.01, config.REGROUP_THRESHOLD):
        monkeypatch.setattr(config, "REGROUP_THRESHOLD", regroup)
        with Archive(tmp_path / f"r{regroup}.db") as ar:
            first_ids, moved = [], 0
            for k, line in enumerate(recs):
                one = tmp_path / f"one{k}.jsonl"
                one.write_text(line + "\n", encoding="utf-8")
                moved += ar.add([str(one)], digest=False).regrouped
                first_ids.append(ar.store.db.execute(  # type: ignore[attr-defined]
                    "SELECT story FROM articles WHERE id = ?", (json.loads(line)["id"],)).fetchone()[0])
            _check_stories_match_their_articles(ar)
            pred = [s["id"] for s in ar.stories() for _ in s["articles"]]
            gold = [a.split("-")[0] for s in ar.stories() for a in s["articles"]]
            results[regroup] = bcubed(pred, gold)
            assert (moved > 0) == (regroup < 1)
            # the id an article was first given still opens a story (regrouped away: where most went)
            assert all(ar.story_info(sid) is not None for sid in first_ids)
    assert results[1.01][0] == 1.0 and results[1.01][1] < 0.4  # all alone
    assert results[config.REGROUP_THRESHOLD][2] > 0.85
