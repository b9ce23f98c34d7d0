"""Where the archive lives: a small storage interface and its SQLite implementation.

The assigner and the archive only call :class:`Store` methods, so a server database can be
added later without touching them. SQLite runs in WAL mode: readers (``diemtin serve``)
read the last committed state while ``add`` writes, and a process killed mid-``add`` loses
only its uncommitted batch (``synchronous=NORMAL`` is durable against process crashes).

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` upgrade an older
database step by step, each step in one transaction. Full-text search uses FTS5 with the
``unicode61`` tokenizer and ``remove_diacritics 0``: Vietnamese syllables are the tokens
and ``lũ`` never matches ``lu``; everything indexed and queried is NFC.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from diemtin.lang.tokens import nfc, syllables

FTS_TOKENIZER = "unicode61 remove_diacritics 0"

_V1 = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE articles(
    seq INTEGER PRIMARY KEY,            -- arrival order
    id TEXT NOT NULL UNIQUE,            -- as `digest` gives it (a file's stem)
    hash TEXT NOT NULL,                 -- content hash: the same article twice is stored once
    story INTEGER NOT NULL,
    title TEXT, lead TEXT, text TEXT, url TEXT, path TEXT, site TEXT, author TEXT,
    published TEXT, published_source TEXT,
    added_at TEXT NOT NULL,             -- UTC, ISO
    time TEXT NOT NULL,                 -- published, else added_at: the story clock
    paragraphs TEXT, sentences TEXT, removed TEXT,   -- JSON: the prepared article, offsets into text
    features TEXT                       -- JSON: story features (syllable uni/bigram -> tf)
);
CREATE INDEX articles_hash ON articles(hash);
CREATE INDEX articles_story ON articles(story, time);
CREATE TABLE stories(
    id INTEGER PRIMARY KEY,
    title TEXT, first_seen TEXT, last_seen TEXT, size INTEGER NOT NULL,
    first_published TEXT, last_published TEXT,   -- span of known publication dates (time window)
    centroid TEXT NOT NULL,             -- JSON: feature -> sum of its articles' unit vectors
    version INTEGER NOT NULL DEFAULT 0, -- +1 at every change: a digest is stored only for the version it read
    digest_json TEXT, digest_md TEXT, digest_text TEXT   -- NULL: stale, recomputed on demand
);
CREATE INDEX stories_last ON stories(last_seen);
CREATE TABLE story_alias(old INTEGER PRIMARY KEY, new INTEGER NOT NULL);  -- merged stories
-- terms.stories: the ids of the recently active stories, comma-separated
CREATE TABLE terms(term TEXT PRIMARY KEY, df INTEGER NOT NULL, stories TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE problems(id INTEGER PRIMARY KEY, source TEXT, message TEXT, fatal INTEGER, added_at TEXT);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize="{FTS_TOKENIZER}");
CREATE VIRTUAL TABLE stories_fts USING fts5(title, summary, tokenize="{FTS_TOKENIZER}");
"""

_V2 = """
CREATE TABLE article_versions(          -- a changed version replaces the article; the old text stays here
    id TEXT NOT NULL, hash TEXT NOT NULL, title TEXT, text TEXT, replaced_at TEXT NOT NULL
);
CREATE INDEX article_versions_id ON article_versions(id);
"""

MIGRATIONS: list[str] = [_V1, _V2]  # MIGRATIONS[k] takes a database from version k to k + 1
SCHEMA_VERSION = len(MIGRATIONS)

ARTICLE_COLUMNS = (
    "seq", "id", "hash", "story", "title", "lead", "text", "url", "path", "site", "author", "published",
    "published_source", "added_at", "time", "paragraphs", "sentences", "removed", "features",
)
JSON_COLUMNS = ("paragraphs", "sentences", "removed")  # of an article row; put_article takes them encoded or not
STORY_COLUMNS = ("id", "title", "first_seen", "last_seen", "size", "first_published", "last_published", "centroid")


class SchemaError(RuntimeError):
    """The database was written by a newer diemtin, or is not an archive."""


class Store(Protocol):
    """What the archive needs from a database (rows are plain dicts, JSON columns decoded)."""

    def transaction(self) -> Any: ...
    def article(self, article_id: str) -> dict[str, Any] | None: ...
    def article_by_hash(self, content_hash: str) -> str | None: ...
    def put_article(self, row: dict[str, Any]) -> int: ...
    def move_article(self, seq: int, story: int) -> None: ...
    def move_story_articles(self, old: int, new: int) -> None: ...
    def replace_article(self, article_id: str, replaced_at: str) -> None: ...
    def story_articles(self, story: int, features: bool = False) -> list[dict[str, Any]]: ...
    def story_members(self, stories: Sequence[int]) -> list[dict[str, Any]]: ...
    def terms(self, terms: Iterable[str]) -> dict[str, tuple[int, list[int]]]: ...
    def put_terms(self, rows: dict[str, tuple[int, list[int]]]) -> None: ...
    def story(self, story: int) -> dict[str, Any] | None: ...
    def stories_by_id(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]: ...
    def story_spans(self, ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]: ...
    def put_story(self, row: dict[str, Any]) -> None: ...
    def new_story_id(self) -> int: ...
    def drop_story(self, story: int, into: int | None) -> None: ...
    def resolve(self, story: int) -> int: ...
    def list_stories(self, since: str | None, limit: int | None, offset: int = 0) -> list[dict[str, Any]]: ...
    def story_article_ids(self, stories: Sequence[int]) -> dict[int, list[str]]: ...
    def stale_stories(self) -> list[int]: ...
    def story_version(self, story: int) -> int | None: ...
    def put_digest(
        self, story: int, digest: dict[str, Any], md: str, text: str, version: int | None = None
    ) -> None: ...
    def digest(self, story: int) -> tuple[dict[str, Any], str, str] | None: ...
    def search(self, query: str, limit: int) -> dict[str, list[dict[str, Any]]]: ...
    def add_problem(self, source: str, message: str, fatal: bool, added_at: str) -> None: ...
    def counts(self) -> dict[str, int]: ...
    def data_version(self) -> int: ...
    def close(self) -> None: ...


def fts_query(query: str) -> str:
    """A safe FTS5 query: every syllable of ``query`` must appear (quoted, so no FTS syntax
    from the user runs); a query in double quotes is one phrase."""
    text = nfc(query).strip()
    toks = [t.replace('"', "") for t in syllables(text)]
    toks = [t for t in toks if t]
    if not toks:
        return ""
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        return '"' + " ".join(toks) + '"'
    return " ".join(f'"{t}"' for t in toks)


class SQLiteStore:
    """:class:`Store` on one SQLite file (WAL). ``readonly``: for readers (serve, show)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"no archive at {self.path}")
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None,
                                      check_same_thread=False)
        else:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        self.db.row_factory = sqlite3.Row
        self.readonly = readonly
        self._migrate()

    # -- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaError(f"{self.path}: schema version {version} is newer than this diemtin ({SCHEMA_VERSION})")
        if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise SchemaError(f"{self.path}: not a diemtin archive")
        if version < SCHEMA_VERSION and self.readonly:
            raise SchemaError(f"{self.path}: schema version {version}; run `diemtin archive add` once to upgrade")
        for step in range(version, SCHEMA_VERSION):
            # executescript commits first; BEGIN ... COMMIT makes each step all-or-nothing
            self.db.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[step]}\nPRAGMA user_version={step + 1};\nCOMMIT;")

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def data_version(self) -> int:
        """Changes when another connection commits: a writer's caches stay valid while it does not."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    # -- articles -----------------------------------------------------------------------
    @staticmethod
    def _article(row: sqlite3.Row) -> dict[str, Any]:
        out = dict(row)
        for key in ("paragraphs", "sentences", "removed", "features"):
            if out.get(key) is not None:
                out[key] = json.loads(out[key])
        return out

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def article_by_hash(self, content_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE hash = ? LIMIT 1", (content_hash,)).fetchone()
        return row[0] if row else None

    def put_article(self, row: dict[str, Any]) -> int:
        values = dict(row)
        for key in (*JSON_COLUMNS, "features"):
            if not isinstance(values.get(key), str):  # already encoded (by the cleaning worker)
                values[key] = json.dumps(values.get(key), ensure_ascii=False, separators=(",", ":"))
        cols = [c for c in ARTICLE_COLUMNS if c != "seq"]
        cur = self.db.execute(
            f"INSERT INTO articles({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            [values.get(c) for c in cols],
        )
        seq = int(cur.lastrowid or 0)
        self.db.execute("INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                        (seq, nfc(values.get("title") or ""), nfc(values.get("text") or "")))
        return seq

    def move_article(self, seq: int, story: int) -> None:
        self.db.execute("UPDATE articles SET story = ? WHERE seq = ?", (story, seq))

    def move_story_articles(self, old: int, new: int) -> None:
        self.db.execute("UPDATE articles SET story = ? WHERE story = ?", (new, old))

    def replace_article(self, article_id: str, replaced_at: str) -> None:
        """Keep the old version's text in ``article_versions`` and drop it from the live tables."""
        row = self.db.execute("SELECT seq, hash, title, text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        self.db.execute("INSERT INTO article_versions(id, hash, title, text, replaced_at) VALUES (?, ?, ?, ?, ?)",
                        (article_id, row["hash"], row["title"], row["text"], replaced_at))
        self.db.execute("DELETE FROM articles WHERE seq = ?", (row["seq"],))
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (row["seq"],))

    def story_articles(self, story: int, features: bool = False) -> list[dict[str, Any]]:
        cols = "*" if features else ", ".join(c for c in ARTICLE_COLUMNS if c != "features")
        rows = self.db.execute(f"SELECT {cols} FROM articles WHERE story = ? ORDER BY time, seq", (story,))
        return [self._article(r) for r in rows]

    def story_members(self, stories: Sequence[int]) -> list[dict[str, Any]]:
        """What story assignment reads of the articles of ``stories`` (seq, story, title,
        time, published, features), not their text; by seq."""
        out: list[dict[str, Any]] = []
        ids = list(stories)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows = self.db.execute(
                f"SELECT seq, story, title, time, published, features FROM articles WHERE story IN "
                f"({','.join('?' * len(part))})", part)
            out += [{**dict(r), "features": json.loads(r["features"] or "{}")} for r in rows]
        return sorted(out, key=lambda r: r["seq"])

    # -- the inverted index: feature -> (document frequency, recently active stories) ----
    def terms(self, terms: Iterable[str]) -> dict[str, tuple[int, list[int]]]:
        out: dict[str, tuple[int, list[int]]] = {}
        keys = list(terms)
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT term, df, stories FROM terms WHERE term IN ({','.join('?' * len(part))})"
            for term, df, stories in self.db.execute(q, part):
                out[term] = (df, [int(x) for x in stories.split(",")] if stories else [])
        return out

    def put_terms(self, rows: dict[str, tuple[int, list[int]]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO terms(term, df, stories) VALUES (?, ?, ?)",
            ((t, df, ",".join(map(str, st))) for t, (df, st) in rows.items()),
        )

    # -- stories ------------------------------------------------------------------------
    @staticmethod
    def _story(row: sqlite3.Row) -> dict[str, Any]:
        out = {c: row[c] for c in STORY_COLUMNS}
        out["centroid"] = json.loads(out["centroid"])
        return out

    def story(self, story: int) -> dict[str, Any] | None:
        return self.stories_by_id([story]).get(story)

    def stories_by_id(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        keys = list(ids)
        out: dict[int, dict[str, Any]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT {','.join(STORY_COLUMNS)} FROM stories WHERE id IN ({','.join('?' * len(part))})"
            for row in self.db.execute(q, part):
                out[row["id"]] = self._story(row)
        return out

    def story_spans(self, ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]:
        """(first_published, last_published) of these stories: the time window, without
        decoding their centroids."""
        keys = list(ids)
        out: dict[int, tuple[str | None, str | None]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT id, first_published, last_published FROM stories WHERE id IN ({','.join('?' * len(part))})"
            for sid, first, last in self.db.execute(q, part):
                out[int(sid)] = (first, last)
        return out

    def new_story_id(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'next_story'").fetchone()
        top = self.db.execute("SELECT max(id) FROM stories").fetchone()[0] or 0
        nxt = max(int(row[0]) if row else 1, top + 1)
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('next_story', ?)", (str(nxt + 1),))
        return nxt

    def put_story(self, row: dict[str, Any]) -> None:
        """Insert or update a story; its digest becomes stale (its articles changed)."""
        centroid = json.dumps(row["centroid"], ensure_ascii=False, separators=(",", ":"))
        self.db.execute(
            "INSERT INTO stories(id, title, first_seen, last_seen, size, first_published, last_published, centroid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
            "last_seen=excluded.last_seen, size=excluded.size, first_published=excluded.first_published, "
            "last_published=excluded.last_published, centroid=excluded.centroid, version=stories.version + 1, "
            "digest_json=NULL, digest_md=NULL, digest_text=NULL",
            (row["id"], row["title"], row["first_seen"], row["last_seen"], row["size"], row.get("first_published"),
             row.get("last_published"), centroid),
        )
        # the title is searchable at once; the summary joins it when the digest is computed
        self.db.execute("DELETE FROM stories_fts WHERE rowid = ?", (row["id"],))
        self.db.execute("INSERT INTO stories_fts(rowid, title, summary) VALUES (?, ?, '')",
                        (row["id"], nfc(row["title"] or "")))

    def drop_story(self, story: int, into: int | None) -> None:
        self.db.execute("DELETE FROM stories WHERE id = ?", (story,))
        self.db.execute("DELETE FROM stories_fts WHERE rowid = ?", (story,))
        if into is not None:
            self.db.execute("INSERT OR REPLACE INTO story_alias(old, new) VALUES (?, ?)", (story, into))
            self.db.execute("UPDATE story_alias SET new = ? WHERE new = ?", (into, story))

    def resolve(self, story: int) -> int:
        row = self.db.execute("SELECT new FROM story_alias WHERE old = ?", (story,)).fetchone()
        return int(row[0]) if row else story

    def list_stories(self, since: str | None, limit: int | None, offset: int = 0) -> list[dict[str, Any]]:
        q = "SELECT id, title, first_seen, last_seen, size, digest_json IS NULL AS stale FROM stories"
        args: list[Any] = []
        if since:
            q += " WHERE last_seen >= ?"
            args.append(since)
        q += " ORDER BY last_seen DESC, id DESC"
        if limit is not None:
            q += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [dict(r) for r in self.db.execute(q, args)]

    def story_article_ids(self, stories: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {s: [] for s in stories}
        for i in range(0, len(stories), 500):
            part = list(stories[i : i + 500])
            q = f"SELECT story, id FROM articles WHERE story IN ({','.join('?' * len(part))}) ORDER BY time, seq"
            for story, aid in self.db.execute(q, part):
                out[story].append(aid)
        return out

    def stale_stories(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM stories WHERE digest_json IS NULL ORDER BY id")]

    def story_version(self, story: int) -> int | None:
        row = self.db.execute("SELECT version FROM stories WHERE id = ?", (story,)).fetchone()
        return None if row is None else int(row[0])

    def put_digest(self, story: int, digest: dict[str, Any], md: str, text: str, version: int | None = None) -> None:
        """Store a digest; with ``version``, only if the story has not changed since it was read."""
        cur = self.db.execute(
            "UPDATE stories SET digest_json = ?, digest_md = ?, digest_text = ? WHERE id = ?"
            + (" AND version = ?" if version is not None else ""),
            (json.dumps(digest, ensure_ascii=False), md, text, story) + ((version,) if version is not None else ()))
        if not cur.rowcount:
            return
        title = self.db.execute("SELECT title FROM stories WHERE id = ?", (story,)).fetchone()
        summary = " ".join(s["text"] for s in digest.get("summary", []))
        self.db.execute("DELETE FROM stories_fts WHERE rowid = ?", (story,))
        if title is not None:
            self.db.execute("INSERT INTO stories_fts(rowid, title, summary) VALUES (?, ?, ?)",
                            (story, nfc(title[0] or ""), nfc(summary)))

    def digest(self, story: int) -> tuple[dict[str, Any], str, str] | None:
        row = self.db.execute("SELECT digest_json, digest_md, digest_text FROM stories WHERE id = ?",
                              (story,)).fetchone()
        if row is None or row[0] is None:
            return None
        return json.loads(row[0]), row[1], row[2]

    # -- search and bookkeeping ---------------------------------------------------------
    def search(self, query: str, limit: int) -> dict[str, list[dict[str, Any]]]:
        match = fts_query(query)
        if not match:
            return {"articles": [], "stories": []}
        arts = self.db.execute(
            "SELECT a.id, a.story, a.title, a.published, snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 3.0, 1.0) LIMIT ?", (match, limit))
        stories = self.db.execute(
            "SELECT s.id, s.title, s.first_seen, s.last_seen, s.size FROM stories_fts "
            "JOIN stories s ON s.id = stories_fts.rowid "
            "WHERE stories_fts MATCH ? ORDER BY bm25(stories_fts, 3.0, 1.0) LIMIT ?", (match, limit))
        return {"articles": [dict(r) for r in arts], "stories": [dict(r) for r in stories]}

    def add_problem(self, source: str, message: str, fatal: bool, added_at: str) -> None:
        self.db.execute("INSERT INTO problems(source, message, fatal, added_at) VALUES (?, ?, ?, ?)",
                        (source, message, int(fatal), added_at))

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "stories": one("SELECT count(*) FROM stories").fetchone()[0],
            "stale_digests": one("SELECT count(*) FROM stories WHERE digest_json IS NULL").fetchone()[0],
            "problems": one("SELECT count(*) FROM problems").fetchone()[0],
        }
