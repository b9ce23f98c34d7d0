"""Read stage: files, folders, JSON Lines and URLs -> clusters of raw articles.

Shapes understood:
- a folder (or list) of ``.txt`` files, title on the first line, then the body;
- ``.html``/``.htm`` pages and ``http(s)://`` URLs (main text extracted, see ``diemtin.ingest.web``);
- ``.jsonl`` in the VLSP AbMuSu shape (``single_documents`` with ``title``, ``anchor_text``,
  ``raw_text``; one cluster per line, ``summary`` kept as reference);
- ``.jsonl``/``.json`` of single articles (``title``, ``text``, optional ``url``, ``published``, ``lead``);
- the ViMs layout: ``data/Cluster_NNN/*.txt`` with ``summary/Cluster_NNN/*.txt`` references.

Every problem becomes a :class:`Problem` naming the input; the rest is still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from diemtin.errors import InputError
from diemtin.ingest.encoding import decode_bytes, normalize_text
from diemtin.model import Article, Cluster, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024  # a news article is ~10 KB; 20 MB is certainly not one
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}

Input = str | Path | Article | dict[str, Any]


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}") from e
    if size > MAX_FILE_BYTES:
        raise InputError(str(path), f"file too large ({size:,} bytes > {MAX_FILE_BYTES:,})")
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}") from e


def article_from_text(text: str, article_id: str, path: str | None = None) -> Article:
    """A ``.txt`` article: title on the first non-empty line, body after it."""
    text = normalize_text(text)
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise InputError(path or article_id, "empty input")
    title = lines[first].strip()
    start = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), len(lines))
    body = "\n".join(lines[start:]).rstrip("\n")
    if not body.strip():
        # A one-line file: treat it as body, not as a title with nothing under it.
        title, body, start = "", title, first
    article = Article(id=article_id, title=title, raw_text=body, path=path)
    # Where the text sat in the file, so the cleaner's ``removed[].line`` are the file's lines.
    article.meta["raw_line_offset"] = start
    if title:
        article.meta["title_line"] = first + 1
    return article


def article_from_record(record: dict[str, Any], article_id: str, source: str) -> Article:
    """A JSON article: ``title``, ``text`` (or ``raw_text``/``body``), optional lead/url/published."""
    if not isinstance(record, dict):
        raise InputError(source, f"expected a JSON object, got {type(record).__name__}")
    body = record.get("text") or record.get("raw_text") or record.get("body") or record.get("content")
    lead = record.get("lead") or record.get("anchor_text") or record.get("sapo")
    if not isinstance(body, str) or not body.strip():
        if isinstance(lead, str) and lead.strip():
            body, lead = lead, None
        else:
            raise InputError(source, "no article text (expected a non-empty 'text' field)")
    title = record.get("title") or ""
    if not isinstance(title, str):
        title = str(title)
    article = Article(
        id=str(record.get("id") or article_id),
        title=normalize_text(title).strip(),
        raw_text=normalize_text(body),
        lead=normalize_text(lead).strip() if isinstance(lead, str) and lead.strip() else None,
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        path=source,
    )
    published = record.get("published") or record.get("date")
    if isinstance(published, str) and published.strip():
        article.published = published.strip()
        article.published_source = "input"
    return article


def _vims_references(summary_dir: Path) -> list[str]:
    refs = []
    for f in sorted(summary_dir.glob("*.txt")):
        try:
            text = decode_bytes(read_bytes(f), str(f))
        except InputError:
            continue
        lines = [
            ln.strip()
            for ln in text.split("\n")
            if ln.strip() and not ln.strip().startswith("Cluster_") and ln.strip() != "=Einleitung="
        ]
        if lines:
            refs.append("\n".join(lines))
    return refs


def _is_vims_root(path: Path) -> bool:
    return (path / "data").is_dir() and any((path / "data").glob("Cluster_*"))


class Reader:
    """Turns inputs into clusters, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.loose = Cluster(id="pile")  # articles given one by one form one pile
        self.clusters: list[Cluster] = []
        self._ids: set[str] = set()

    def _unique(self, article_id: str) -> str:
        base, n = article_id, 1
        while article_id in self._ids:
            n += 1
            article_id = f"{base}-{n}"
        self._ids.add(article_id)
        return article_id

    def _add(self, article: Article) -> None:
        article.id = self._unique(article.id)
        self.loose.articles.append(article)

    def _problem(self, source: str, message: str) -> None:
        self.loose.problems.append(Problem(source, message))

    def read(self, item: Input) -> None:
        if isinstance(item, Article):
            self._add(item)
        elif isinstance(item, dict):
            try:
                self._add(article_from_record(item, f"a{len(self.loose.articles)}", "<dict>"))
            except InputError as e:
                self._problem(e.source, e.message)
        else:
            text = str(item)
            if text.startswith(("http://", "https://")):
                self._read_url(text)
            else:
                self._read_path(Path(text))

    def _read_url(self, url: str) -> None:
        from diemtin.ingest.web import fetch_article  # here: httpx and trafilatura load only for URLs

        try:
            article = fetch_article(url)
        except InputError as e:
            self._problem(e.source, e.message)
            return
        self._add(article)

    def _read_path(self, path: Path) -> None:
        if path.is_dir():
            self._read_dir(path)
        elif not path.exists():
            self._problem(str(path), "no such file or folder")
        elif path.suffix.lower() in JSON_SUFFIXES:
            self._read_json_file(path)
        else:
            self._read_article_file(path)

    def _read_dir(self, path: Path) -> None:
        if _is_vims_root(path):
            for cdir in sorted((path / "data").glob("Cluster_*")):
                self.clusters.extend(read_vims_cluster(cdir, path / "summary" / cdir.name))
            return
        subclusters = sorted(p for p in path.iterdir() if p.is_dir() and p.name.startswith("Cluster_"))
        if subclusters:
            for cdir in subclusters:
                self.clusters.extend(read_vims_cluster(cdir, None))
            return
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file()
            and not p.name.startswith(".")
            and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
        )
        if not files:
            self._problem(str(path), "folder holds no .txt, .html or .jsonl files")
        for f in files:
            self._read_path(f)

    def _read_article_file(self, path: Path) -> None:
        try:
            data = read_bytes(path)
            if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(data):
                from diemtin.ingest.web import article_from_html

                article = article_from_html(decode_bytes(data, str(path)), path.stem, str(path))
            else:
                article = article_from_text(decode_bytes(data, str(path)), path.stem, str(path))
        except InputError as e:
            self._problem(e.source, e.message)
            return
        self._add(article)

    def _read_json_file(self, path: Path) -> None:
        try:
            text = decode_bytes(read_bytes(path), str(path))
        except InputError as e:
            self._problem(e.source, e.message)
            return
        stripped = text.lstrip()
        if path.suffix.lower() == ".json" and stripped[:1] in "[{":
            try:
                payload = json.loads(text)
            except json.JSONDecodeError:
                payload = None  # maybe JSON Lines with a .json name; fall through
            if payload is not None:
                records = payload if isinstance(payload, list) else [payload]
                for i, rec in enumerate(records):
                    self._read_record(rec, f"{path.stem}-{i}", f"{path}[{i}]", path)
                return
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            source = f"{path}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                self._problem(source, f"malformed JSON ({e.msg} at column {e.colno})")
                continue
            self._read_record(rec, f"{path.stem}-{n}", source, path)

    def _read_record(self, rec: Any, article_id: str, source: str, path: Path) -> None:
        if isinstance(rec, dict) and "single_documents" in rec:
            self.clusters.append(cluster_from_abmusu(rec, article_id, source))
            return
        if isinstance(rec, dict) and isinstance(rec.get("articles"), list):
            cluster = Cluster(id=str(rec.get("id") or article_id))
            for j, doc in enumerate(rec["articles"]):
                try:
                    cluster.articles.append(article_from_record(doc, f"{cluster.id}-{j}", f"{source}[{j}]"))
                except InputError as e:
                    cluster.problems.append(Problem(e.source, e.message))
            if isinstance(rec.get("summary"), str):
                cluster.references.append(rec["summary"])
            self.clusters.append(cluster)
            return
        try:
            self._add(article_from_record(rec, article_id, source))
        except InputError as e:
            self._problem(e.source, e.message)

    def result(self) -> list[Cluster]:
        clusters = list(self.clusters)
        if self.loose.articles or (self.loose.problems and not clusters):
            clusters.insert(0, self.loose)
        elif self.loose.problems:
            clusters[0].problems[:0] = self.loose.problems
        return clusters


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def cluster_from_abmusu(rec: dict[str, Any], cluster_id: str, source: str) -> Cluster:
    cluster = Cluster(id=str(rec.get("id") or cluster_id), category=rec.get("category"))
    docs = rec.get("single_documents")
    if not isinstance(docs, list) or not docs:
        cluster.problems.append(Problem(source, "'single_documents' is not a non-empty list"))
        return cluster
    for j, doc in enumerate(docs):
        try:
            cluster.articles.append(article_from_record(doc, f"{cluster.id}-d{j}", f"{source}[{j}]"))
        except InputError as e:
            cluster.problems.append(Problem(e.source, e.message))
    summary = rec.get("summary")
    if isinstance(summary, str) and summary.strip():
        cluster.references.append(normalize_text(summary).strip())
    return cluster


def read_vims_cluster(data_dir: Path, summary_dir: Path | None) -> list[Cluster]:
    cluster = Cluster(id=data_dir.name)
    for f in sorted(data_dir.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)):
        try:
            article = article_from_text(decode_bytes(read_bytes(f), str(f)), f"{data_dir.name}-{f.stem}", str(f))
        except InputError as e:
            cluster.problems.append(Problem(e.source, e.message))
            continue
        cluster.articles.append(article)
    if summary_dir is not None and summary_dir.is_dir():
        cluster.references = _vims_references(summary_dir)
    return [cluster]


def read_inputs(inputs: Iterable[Input] | Input) -> list[Cluster]:
    """Read everything given; returns the clusters (a pile of loose articles is one cluster)."""
    if isinstance(inputs, str | Path | Article | dict):
        inputs = [inputs]
    reader = Reader()
    for item in inputs:
        reader.read(item)
    return reader.result()


def iter_clusters(inputs: Iterable[Input] | Input) -> Iterator[Cluster]:
    yield from read_inputs(inputs)
