"""The archive: add articles as they arrive, list stories, show digests and updates, search.

``add`` reads inputs like ``digest`` does, skips what is already stored (by content hash),
cleans and vectorizes new articles in chunks (here, on a process pool or on Dask), then
assigns them to stories one by one in input order, committing every
:data:`~config.BATCH_ARTICLES` articles. A kill mid-run loses only the open batch; running
the same ``add`` again stores the rest. Digests of the stories that changed are recomputed
at the end (or lazily, when a story is shown).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from diemtin import pipeline, render
from diemtin.archive import config
from diemtin.archive.assign import Assigner
from diemtin.archive.store import SQLiteStore, Store
from diemtin.archive.tasks import (
    Prepared,
    article_from_row,
    content_hash,
    digest_story,
    prepare_chunk,
    story_cluster,
)
from diemtin.archive.update import novel_articles
from diemtin.ingest.read import Input, read_inputs
from diemtin.model import Article, Cluster, Problem


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class AddReport:
    added: int = 0
    duplicates: int = 0  # already stored (same content), or twice in this input
    replaced: int = 0  # a changed version of a stored article (same id)
    problems: list[Problem] = field(default_factory=list)
    stories_changed: int = 0
    digested: int = 0
    merged: int = 0
    split: int = 0
    regrouped: int = 0  # articles the regrouping pass moved to another story

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "duplicates": self.duplicates, "replaced": self.replaced,
                "problems": len(self.problems), "stories_changed": self.stories_changed,
                "digested": self.digested, "merged": self.merged, "split": self.split,
                "regrouped": self.regrouped}


class ArchiveBusy(RuntimeError):
    """Another ``add`` is writing to this archive."""


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    # one writer at a time: the assigner caches state between its transactions
    fd = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise ArchiveBusy(f"{path}: another `archive add` is running") from e
        yield
    finally:
        os.close(fd)


def _watch_writer(pid: int) -> None:
    """In a cleaning worker: exit when the writer process is gone (killed mid-`add`), instead
    of waiting forever on a queue nobody writes to."""

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL_S)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # alive, another user's (the pid was reused): keep going
                pass

    threading.Thread(target=watch, daemon=True, name="diemtin-watch-writer").start()


WATCH_INTERVAL_S = 2.0  # how often a cleaning worker checks that its writer is alive


class _Engine:
    """Runs task calls here, on a process pool or on a Dask cluster; results in call order."""

    def __init__(self, jobs: int = 1, scheduler: str | None = None) -> None:
        self.client: Any = None
        self.pool: ProcessPoolExecutor | None = None
        if scheduler:
            try:
                from distributed import Client
            except ImportError as e:  # pragma: no cover - depends on the install
                raise RuntimeError("--scheduler needs Dask: pip install 'diemtin[dask]'") from e
            self.client = Client(scheduler)
            self.workers = max(1, sum(self.client.nthreads().values()))
        elif jobs > 1:
            self.pool = ProcessPoolExecutor(max_workers=jobs, initializer=_watch_writer, initargs=(os.getpid(),))
            # the workers outlive one `add` (the archive keeps its pool): fork them all now,
            # before the writer lock is taken, or they would inherit and hold its descriptor
            self.pool.submit(int).result()
            self.workers = jobs
        else:
            self.workers = 1

    def map(self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
        if self.client is None and self.pool is None:
            for args in calls:
                yield fn(*args)
            return
        window = 4 * self.workers  # bounded in flight: memory stays flat on big inputs
        pending: list[Any] = []
        for args in calls:
            if self.client is not None:
                pending.append(self.client.submit(fn, *args, pure=False))
            else:
                assert self.pool is not None
                pending.append(self.pool.submit(fn, *args))
            if len(pending) >= window:
                yield pending.pop(0).result()
        for f in pending:
            yield f.result()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.pool is not None:
            self.pool.shutdown()


def _chunks(clusters: Sequence[Cluster], size: int) -> Iterator[Cluster]:
    for c in clusters:
        for k in range(0, len(c.articles), size):
            yield Cluster(id=f"{c.id}#{k // size}", articles=c.articles[k : k + size], category=c.category)


class Archive:
    """A story archive on a :class:`Store` (SQLite by default)."""

    def __init__(self, path: str | Path, readonly: bool = False, store: Store | None = None) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.store: Store = store or SQLiteStore(self.path, readonly=readonly)
        # the assigner's caches (document frequencies, stories) outlive one `add` as long as
        # no other connection wrote in between (then they are reloaded from the store)
        self._assigner: Assigner | None = None
        self._assigner_version = -1
        self._pool: tuple[int, _Engine] | None = None  # a process pool kept between `add` calls

    def _engine(self, jobs: int, scheduler: str | None) -> _Engine:
        """The engine for one call; local process pools are kept for the next call (starting
        workers and warming their word lists costs about a second each)."""
        if scheduler or jobs <= 1:
            return _Engine(jobs, scheduler)
        if self._pool is None or self._pool[0] != jobs:
            self._drop_pool()
            self._pool = (jobs, _Engine(jobs))
        return self._pool[1]

    def _release(self, engine: _Engine, failed: bool) -> None:
        if self._pool is not None and engine is self._pool[1]:
            if failed:  # a worker may have died: the next call starts a fresh pool
                self._drop_pool()
            return
        engine.close()

    def _drop_pool(self) -> None:
        if self._pool is not None:
            self._pool[1].close()
            self._pool = None

    def close(self) -> None:
        self._drop_pool()
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- add ----------------------------------------------------------------------------
    def add(
        self, inputs: Iterable[Input] | Input, *, jobs: int = 1, scheduler: str | None = None,
        digest: bool = True, words: int = config.DEFAULT_WORDS, progress: bool = False,
        clusters: Sequence[Cluster] | None = None, batch: int = config.BATCH_ARTICLES,
    ) -> AddReport:
        """Read, clean and assign ``inputs`` (or already read ``clusters``); digest what changed.
        ``batch``: articles per transaction (what a crash can lose)."""
        engine = self._engine(jobs, scheduler)  # before the lock: see _Engine
        failed = True
        try:
            with _writer_lock(self.path):
                report = self._add(inputs, engine, digest, words, progress, clusters, max(1, batch))
            failed = False
            return report
        finally:
            self._release(engine, failed)

    def _add(
        self, inputs: Any, engine: _Engine, digest: bool, words: int, progress: bool,
        clusters: Sequence[Cluster] | None, batch: int,
    ) -> AddReport:
        report = AddReport()
        read = list(clusters) if clusters is not None else read_inputs(inputs)
        added_at = _now()
        for c in read:
            report.problems += c.problems
        fresh = self._new_articles(read, report)
        bar = None
        if progress and len(fresh) > batch:
            from tqdm import tqdm

            bar = tqdm(total=len(fresh), desc="archive add", unit="article", file=__import__("sys").stderr)
        if self._assigner is None or self.store.data_version() != self._assigner_version:
            self._assigner = Assigner(self.store)
        assigner = self._assigner
        changed: set[int] = set()
        chunks = list(_chunks([Cluster(id="input", articles=fresh)], min(batch, config.CHUNK_ARTICLES)))
        pending: list[tuple[Article, dict[str, int], dict[str, Any]]] = []

        def commit() -> None:
            with self.store.transaction():
                try:
                    for article, feats, row in pending:
                        self._store_one(article, feats, row, assigner, added_at, report)
                    done = assigner.maintain()
                    report.merged += done["merged"]
                    report.split += done["split"]
                    report.regrouped += done["regrouped"]
                    changed.update(assigner.flush())
                    for p in batch_problems:
                        self.store.add_problem(p.source, p.message, p.fatal, added_at)
                except BaseException:
                    assigner.rollback()
                    raise
            if bar is not None:
                bar.update(len(pending))
            pending.clear()
            batch_problems.clear()

        batch_problems: list[Problem] = [p for p in report.problems]
        for prepared in engine.map(prepare_chunk, ((c,) for c in chunks)):
            assert isinstance(prepared, Prepared)
            pending += prepared.articles
            batch_problems += prepared.problems
            report.problems += prepared.problems
            if len(pending) >= batch:
                commit()
        if pending or batch_problems:
            commit()
        self._assigner_version = self.store.data_version()
        if bar is not None:
            bar.close()
        live = {sid for sid in changed if self.store.story(sid) is not None}
        report.stories_changed = len(live)
        if digest:
            report.digested = self.refresh(sorted(live), engine, words)
        return report

    def _new_articles(self, clusters: Sequence[Cluster], report: AddReport) -> list[Article]:
        """The articles not stored yet (by content), each once; changed versions marked."""
        seen: set[str] = set()
        fresh = []
        for c in clusters:
            for a in c.articles:
                h = content_hash(a)
                if h in seen or self.store.article_by_hash(h) is not None:
                    report.duplicates += 1
                    continue
                seen.add(h)
                a.meta["archive_hash"] = h
                fresh.append(a)
        return fresh

    def _store_one(
        self, article: Article, feats: dict[str, int], row: dict[str, Any], assigner: Assigner, added_at: str,
        report: AddReport,
    ) -> None:
        old = self.store.article(article.id)
        if old is not None:
            # a changed version: the new text replaces it (the old one is kept in article_versions)
            assigner.flush_moves()
            assigner.remove(old["story"], old["features"] or {})
            assigner.uncount(old["features"] or {})
            self.store.replace_article(article.id, added_at)
            report.replaced += 1
        else:
            report.added += 1
        vector = assigner.unit_vector(feats)  # frozen with today's idf: the story sums these
        row.update(hash=article.meta.get("archive_hash") or content_hash(article), story=0, added_at=added_at,
                   time=article.published or added_at, features={t: round(w, 5) for t, w in vector.items()})
        seq = self.store.put_article(row)
        assigner.assign(seq, article.title, row["features"], row["time"], article.published)

    # -- digests ------------------------------------------------------------------------
    def story_articles(self, story: int) -> list[Article]:
        return [article_from_row(r) for r in self.store.story_articles(story)]

    def refresh(self, stories: Sequence[int] | None = None, engine: _Engine | None = None,
                words: int = config.DEFAULT_WORDS) -> int:
        """Recompute the digests of ``stories`` (default: every stale one); returns how many."""
        stories = list(self.store.stale_stories() if stories is None else stories)
        own = engine is None
        engine = engine or _Engine()
        n = 0
        try:
            calls = ((sid, self.story_articles(sid), words) for sid in stories)
            for sid, data, md, text in engine.map(digest_story, calls):
                with self.store.transaction():
                    self.store.put_digest(sid, data, md, text)
                n += 1
        finally:
            if own:
                engine.close()
        return n

    def refresh_stale(self, jobs: int = 1, scheduler: str | None = None, words: int = config.DEFAULT_WORDS) -> int:
        """Digest every stale story (after ``add(digest=False)``), here, on processes or on Dask."""
        engine = self._engine(jobs, scheduler)  # before the lock: see _Engine
        failed = True
        try:
            with _writer_lock(self.path):
                n = self.refresh(None, engine, words)
            failed = False
            return n
        finally:
            self._release(engine, failed)

    # -- reading ------------------------------------------------------------------------
    def stories(self, since: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Stories newest first: ``{"id", "title", "articles", "first_seen", "last_seen", "size"}``."""
        rows = self.store.list_stories(since, limit, offset)
        ids = self.store.story_article_ids([r["id"] for r in rows])
        return [{"id": r["id"], "title": r["title"], "articles": ids[r["id"]], "first_seen": r["first_seen"],
                 "last_seen": r["last_seen"], "size": r["size"]} for r in rows]

    def story_info(self, story: int) -> dict[str, Any] | None:
        """One story as :meth:`stories` lists it (merged ids resolve to the surviving story)."""
        sid = self.resolve(story)
        row = self.store.story(sid)
        if row is None:
            return None
        ids = self.store.story_article_ids([sid])
        return {"id": sid, "title": row["title"], "articles": ids[sid], "first_seen": row["first_seen"],
                "last_seen": row["last_seen"], "size": row["size"]}

    def resolve(self, story: int) -> int:
        return self.store.resolve(story)

    def digest(self, story: int, words: int = config.DEFAULT_WORDS) -> tuple[dict[str, Any], str, str]:
        """The story's digest (JSON, Markdown, text); computed now if stale (and stored if writable)."""
        story = self.resolve(story)
        if self.store.story(story) is None:
            raise KeyError(story)
        cached = self.store.digest(story)
        if cached is not None:
            return cached
        version = self.store.story_version(story)  # an `add` may change the story meanwhile
        _, data, md, text = digest_story(story, self.story_articles(story), words)
        if not self.readonly:
            with self.store.transaction():
                self.store.put_digest(story, data, md, text, version)
        return data, md, text

    def update(self, story: int, since: str, words: int = config.DEFAULT_WORDS) -> Cluster:
        """The update digest of a story: what its articles from ``since`` on add to the earlier ones."""
        story = self.resolve(story)
        if self.store.story(story) is None:
            raise KeyError(story)
        articles = self.store.story_articles(story)
        earlier = [article_from_row(r) for r in articles if r["time"] < since]
        later = [article_from_row(r) for r in articles if r["time"] >= since]
        cluster = story_cluster(story, novel_articles(earlier, later))
        cluster.id = f"story-{story}-since-{since}"
        pipeline.finish(cluster, words)
        cluster.digest.stats["earlier_articles"] = len(earlier)  # type: ignore[union-attr]
        return cluster

    def show(self, story: int, since: str | None = None, fmt: str = "md",
             words: int = config.DEFAULT_WORDS) -> str | dict[str, Any]:
        if since:
            cluster = self.update(story, since, words)
            return {"json": render.to_dict, "md": render.to_markdown, "text": render.to_text}[fmt](cluster)
        data, md, text = self.digest(story, words)
        return {"json": data, "md": md, "text": text}[fmt]

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        return self.store.search(query, limit)

    def counts(self) -> dict[str, int]:
        return self.store.counts()


def open_archive(path: str | Path, readonly: bool = False) -> Archive:
    return Archive(path, readonly=readonly)
