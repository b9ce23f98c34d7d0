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
import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePath, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from diemtin.errors import InputError
from diemtin.ingest.encoding import decode_bytes, has_surrogates, normalize_text
from diemtin.model import Article, Cluster, Problem
from diemtin.options import DigestOptions

MAX_FILE_BYTES = 20 * 1024 * 1024  # any one file (a .jsonl of many clusters, an HTML page); an article is ~10 KB
MAX_ARTICLE_BYTES = DigestOptions.max_article_bytes  # the article text itself, once read
# A UTF-16 or legacy-encoded text file holds up to this many bytes per UTF-8 byte of its text:
# a .txt file bigger than this many times the article cap cannot hold an article under it.
TEXT_FILE_FACTOR = 4
# A saved news page is 100-500 KB of markup around ~10 KB of text; 25x the article cap (5 MB
# by default, the service's request limit) leaves room for heavy pages without parsing 20 MB.
HTML_FILE_FACTOR = 25
MAX_URL_CHARS = 2048
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}

Input = str | Path | Article | dict[str, Any]


class FileTooLarge(InputError):
    """A file over the size limit (not read)."""


def display_name(path: Path | str) -> str:
    """``path`` as printable text: bytes that are not UTF-8 in a file name (kept by Python as
    lone surrogates) are shown as ``\\xNN`` escapes, so names never break UTF-8 output."""
    text = str(path)
    if not has_surrogates(text):
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _os_error(source: str, e: OSError) -> InputError:
    return InputError(source, f"không đọc được ({e.strerror or type(e).__name__})")


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or :class:`InputError`.

    Opened without blocking and checked on the open descriptor, so a FIFO, a device or a
    symlink to ``/dev/zero`` is refused instead of hanging or filling memory."""
    name = display_name(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise _os_error(name, e) from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(name, f"không phải tệp thường ({_file_kind(info.st_mode)}); bỏ qua")
        if info.st_size > limit:
            raise FileTooLarge(name, f"tệp quá lớn ({info.st_size:,} byte > {limit:,})")
        chunks, size = [], 0
        while size <= limit:  # the size may have changed since fstat: never read past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileTooLarge(name, f"tệp quá lớn (hơn {limit:,} byte)")
        return b"".join(chunks)
    except OSError as e:
        raise _os_error(name, e) from e
    finally:
        os.close(fd)


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "thiết bị ký tự"), (stat.S_ISBLK, "thiết bị khối"),
                       (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "thư mục")):
        if test(mode):
            return kind
    return "loại tệp lạ"


def article_from_text(text: str, article_id: str, path: str | None = None) -> Article:
    """A ``.txt`` article: title on the first non-empty line, body after it."""
    text = normalize_text(text)
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise InputError(path or article_id, "đầu vào rỗng")
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
        raise InputError(source, f"cần một đối tượng JSON, nhận được {_json_kind(record)}")
    body = record.get("text") or record.get("raw_text") or record.get("body") or record.get("content")
    lead = record.get("lead") or record.get("anchor_text") or record.get("sapo")
    if not isinstance(body, str) or not body.strip():
        if isinstance(lead, str) and lead.strip():
            body, lead = lead, None
        else:
            raise InputError(source, "không có nội dung bài (cần trường 'text' không rỗng)")
    title = record.get("title") or ""
    if not isinstance(title, str):
        title = "" if isinstance(title, dict | list) else repr(title)[:200]
    article_id = _record_id(record.get("id"), article_id)
    article = Article(
        id=article_id,
        title=normalize_text(title).strip(),
        raw_text=normalize_text(body),
        lead=normalize_text(lead).strip() if isinstance(lead, str) and lead.strip() else None,
        url=_url(record.get("url")),
        path=source,
    )
    published = record.get("published") or record.get("date")
    if isinstance(published, str) and published.strip():
        article.published = normalize_text(published).strip()[:64]
        article.published_source = "input"
    return article


def _url(value: Any) -> str | None:
    """The record's ``url`` as metadata (never fetched here): a string of sane length, or None."""
    if isinstance(value, str) and value.strip() and len(value) <= MAX_URL_CHARS:
        return normalize_text(value).strip()
    return None


def _json_kind(value: Any) -> str:
    names = {list: "một mảng", str: "một chuỗi", bool: "một giá trị đúng/sai", int: "một số", float: "một số"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _record_id(value: Any, default: str) -> str:
    """An id given in the input, if it is a short string or number; else ``default``."""
    if isinstance(value, str) and value.strip():
        return normalize_text(value).strip()[:200]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**18:
        return str(value)
    return default


def _surrogate_warning(record: Any, source: str) -> Problem | None:
    """JSON ``"\\udfff"`` escapes decode to lone surrogates, which no output can encode; the
    text keeps U+FFFD in their place (``normalize_text``) and this says so."""
    if isinstance(record, dict) and any(isinstance(v, str) and has_surrogates(v) for v in record.values()):
        return Problem(source, "có ký tự Unicode không hợp lệ (surrogate lẻ), đã thay bằng U+FFFD", fatal=False)
    return None


def _vims_references(summary_dir: Path) -> list[str]:
    refs = []
    for f in sorted(summary_dir.glob("*.txt")):
        try:
            text = decode_bytes(read_bytes(f), display_name(f))
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


def _parse_json(text: str) -> Any:
    """``json.loads`` with every way it fails on hostile text as one ``ValueError``
    (nesting too deep, integers over Python's 4,300-digit limit, bad syntax)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"JSON hỏng ({e.msg} ở cột {e.colno})") from e
    except RecursionError as e:
        raise ValueError("JSON lồng nhau quá sâu") from e
    except ValueError as e:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise ValueError(f"JSON không đọc được ({_one_line(str(e))})") from e


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]


class Reader:
    """Turns inputs into clusters, collecting problems instead of raising.

    ``max_article_bytes``: an article whose text (UTF-8) is longer is skipped and reported."""

    def __init__(self, max_article_bytes: int = MAX_ARTICLE_BYTES) -> None:
        self.loose = Cluster(id="pile")  # articles given one by one form one pile
        self.clusters: list[Cluster] = []
        self.max_article_bytes = max_article_bytes
        self._ids: set[str] = set()
        self._dicts = 0  # dict inputs seen, to name them in problems

    def _unique(self, article_id: str) -> str:
        base, n = article_id, 1
        while article_id in self._ids:
            n += 1
            article_id = f"{base}-{n}"
        self._ids.add(article_id)
        return article_id

    def _too_big(self, article: Article) -> Problem | None:
        size = sum(len((t or "").encode("utf-8", "replace")) for t in (article.title, article.raw_text, article.lead))
        if size > self.max_article_bytes:
            limit = self.max_article_bytes
            return Problem(article.path or article.id, f"bài quá dài ({size:,} byte > {limit:,}); bỏ qua")
        return None

    def _admit(self, article: Article, cluster: Cluster) -> None:
        """Add ``article`` to ``cluster`` unless it is over the size cap (then report it)."""
        problem = self._too_big(article)
        if problem is not None:
            cluster.problems.append(problem)
        else:
            cluster.articles.append(article)

    def _add(self, article: Article) -> None:
        article.id = self._unique(article.id)
        self._admit(article, self.loose)

    def _problem(self, source: str, message: str, fatal: bool = True) -> None:
        self.loose.problems.append(Problem(source, message, fatal))

    def read(self, item: Input) -> None:
        try:
            self._read(item)
        except Exception as e:  # a reader bug on one odd input must not sink the others
            self._problem(_item_name(item), f"không đọc được ({type(e).__name__}: {_one_line(str(e))})")

    def _read(self, item: Input) -> None:
        if isinstance(item, Article):
            self._add(item)
        elif isinstance(item, dict):
            self._dicts += 1
            self._read_record(item, f"a{len(self.loose.articles)}", f"<dict {self._dicts}>")
        else:
            text = str(item)
            if text.startswith(("http://", "https://")):
                self._read_url(text)
            else:
                self._read_path(Path(text))

    def _read_url(self, url: str) -> None:
        name = display_name(url)
        try:
            parts = urlsplit(url)
            if not parts.hostname:
                raise ValueError("thiếu tên máy chủ")
            _ = parts.port  # raises on a malformed port
        except ValueError as e:
            self._problem(name, f"URL không hợp lệ ({_one_line(str(e))})")
            return
        from diemtin.ingest.fetch import fetch_article  # here: httpx and trafilatura load only for URLs

        try:
            article = fetch_article(url)
        except InputError as e:
            self._problem(display_name(e.source), e.message)
            return
        except Exception as e:  # httpx raises more than its documented HTTPError on odd URLs
            self._problem(name, f"không tải được ({type(e).__name__}: {_one_line(str(e))})")
            return
        self._add(article)

    def read_data(self, name: str, data: bytes) -> None:
        """Read one file given as bytes (an upload), named ``name``: its suffix picks the format
        as for a file on disk; an unknown suffix is a problem. Nothing touches the disk."""
        path = PurePosixPath(name)
        suffix = path.suffix.lower()
        try:
            if suffix in JSON_SUFFIXES:
                self._read_json_file(path, data)
            elif suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
                self._read_article_file(path, data)
            else:
                self._problem(name, f"không đọc được loại tệp '{suffix}' (dùng .txt, .html, .json hoặc .jsonl)")
        except Exception as e:  # a reader bug on one odd input must not sink the others
            self._problem(name, f"không đọc được ({type(e).__name__}: {_one_line(str(e))})")

    def _read_path(self, path: Path) -> None:
        name = display_name(path)
        try:
            info = path.stat()  # follows symlinks: a link to a device is a device
        except OSError as e:
            if isinstance(e, FileNotFoundError):
                self._problem(name, "không có tệp hoặc thư mục này")
            else:
                self._problem(name, _os_error(name, e).message)
            return
        if name != str(path):
            self._problem(name, "tên tệp không phải UTF-8; các byte lạ được hiển thị dạng \\xNN", fatal=False)
        if stat.S_ISDIR(info.st_mode):
            self._read_dir(path)
        elif not stat.S_ISREG(info.st_mode):
            self._problem(name, f"không phải tệp thường ({_file_kind(info.st_mode)}); bỏ qua")
        elif path.suffix.lower() in JSON_SUFFIXES:
            self._read_json_file(path)
        else:
            self._read_article_file(path)

    def _read_dir(self, path: Path) -> None:
        try:
            entries = sorted(path.iterdir())
        except OSError as e:
            self._problem(display_name(path), _os_error(display_name(path), e).message)
            return
        if _is_vims_root(path):
            for cdir in sorted((path / "data").glob("Cluster_*")):
                self.clusters.append(self._vims_cluster(cdir, path / "summary" / cdir.name))
            return
        subclusters = [p for p in entries if p.name.startswith("Cluster_") and p.is_dir()]
        if subclusters:
            for cdir in subclusters:
                self.clusters.append(self._vims_cluster(cdir, None))
            return
        # Entries of a readable kind by name; the ones that are not regular files (FIFOs,
        # devices, dangling links) are refused one by one in _read_path, never silently.
        files = [
            p for p in entries
            if not p.name.startswith(".")
            and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
            and not p.is_dir()
        ]
        if not files:
            self._problem(display_name(path), "thư mục không có tệp .txt, .html hay .jsonl nào")
        for f in files:
            self._read_path(f)

    def _vims_cluster(self, data_dir: Path, summary_dir: Path | None) -> Cluster:
        cluster = Cluster(id=display_name(data_dir.name))
        for f in sorted(data_dir.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)):
            try:
                article = self._article_file(f, f"{cluster.id}-{display_name(f.stem)}")
            except InputError as e:
                cluster.problems.append(Problem(e.source, e.message))
                continue
            self._admit(article, cluster)
        if summary_dir is not None and summary_dir.is_dir():
            cluster.references = _vims_references(summary_dir)
        return cluster

    def _article_file(self, path: PurePath, article_id: str, data: bytes | None = None) -> Article:
        """A ``.txt`` or ``.html`` file (or its ``data``) as one article; raises :class:`InputError`."""
        name = display_name(path)
        html = path.suffix.lower() in HTML_SUFFIXES
        # An HTML page carries markup around its text; a text file is its text (up to
        # TEXT_FILE_FACTOR bytes per character in UTF-16 or legacy encodings).
        factor = HTML_FILE_FACTOR if html else TEXT_FILE_FACTOR
        limit = min(MAX_FILE_BYTES, factor * self.max_article_bytes)
        try:
            if data is None:
                data = read_bytes(Path(path), limit)
            elif len(data) > limit:
                raise FileTooLarge(name, f"tệp quá lớn ({len(data):,} byte > {limit:,})")
        except InputError as e:
            if isinstance(e, FileTooLarge):
                raise InputError(name, f"{e.message}: không thể là một bài dưới giới hạn "
                                       f"{self.max_article_bytes:,} byte; bỏ qua") from e
            raise
        if html or _looks_like_html(data):
            from diemtin.ingest.web import article_from_html

            return article_from_html(decode_bytes(data, name), article_id, name)
        return article_from_text(decode_bytes(data, name), article_id, name)

    def _read_article_file(self, path: PurePath, data: bytes | None = None) -> None:
        try:
            article = self._article_file(path, display_name(path.stem), data)
        except InputError as e:
            self._problem(e.source, e.message)
            return
        self._add(article)

    def _read_json_file(self, path: PurePath, data: bytes | None = None) -> None:
        name = display_name(path)
        try:
            text = decode_bytes(read_bytes(Path(path)) if data is None else data, name)
        except InputError as e:
            self._problem(e.source, e.message)
            return
        stem = display_name(path.stem)
        stripped = text.lstrip()
        if path.suffix.lower() == ".json" and stripped[:1] in "[{":
            try:
                payload = _parse_json(text)
            except ValueError:
                payload = None  # maybe JSON Lines with a .json name; fall through
            if payload is not None:
                records = payload if isinstance(payload, list) else [payload]
                for i, rec in enumerate(records):
                    self._read_record(rec, f"{stem}-{i}", f"{name}[{i}]")
                return
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            source = f"{name}:{n}"
            try:
                rec = _parse_json(line)
            except ValueError as e:
                self._problem(source, str(e))
                continue
            self._read_record(rec, f"{stem}-{n}", source)

    def _articles(self, docs: list[Any], cluster: Cluster, source: str, id_format: str) -> None:
        for j, doc in enumerate(docs):
            doc_source = f"{source}[{j}]"
            warning = _surrogate_warning(doc, doc_source)
            try:
                article = article_from_record(doc, id_format.format(j), doc_source)
            except InputError as e:
                cluster.problems.append(Problem(e.source, e.message))
                continue
            if warning:
                cluster.problems.append(warning)
            self._admit(article, cluster)

    def _read_record(self, rec: Any, article_id: str, source: str) -> None:
        if isinstance(rec, dict) and "single_documents" in rec:
            cluster = Cluster(id=_record_id(rec.get("id"), article_id),
                              category=rec.get("category") if isinstance(rec.get("category"), str) else None)
            docs = rec.get("single_documents")
            if not isinstance(docs, list) or not docs:
                cluster.problems.append(Problem(source, "'single_documents' không phải danh sách không rỗng"))
            else:
                self._articles(docs, cluster, source, f"{cluster.id}-d{{}}")
                summary = rec.get("summary")
                if isinstance(summary, str) and summary.strip():
                    cluster.references.append(normalize_text(summary).strip())
            self.clusters.append(cluster)
            return
        if isinstance(rec, dict) and isinstance(rec.get("articles"), list):
            cluster = Cluster(id=_record_id(rec.get("id"), article_id))
            self._articles(rec["articles"], cluster, source, f"{cluster.id}-{{}}")
            if isinstance(rec.get("summary"), str):
                cluster.references.append(normalize_text(rec["summary"]))
            self.clusters.append(cluster)
            return
        warning = _surrogate_warning(rec, source)
        try:
            article = article_from_record(rec, article_id, source)
        except InputError as e:
            self._problem(e.source, e.message)
            return
        if warning:
            self.loose.problems.append(warning)
        self._add(article)

    def result(self) -> list[Cluster]:
        clusters = list(self.clusters)
        if self.loose.articles or (self.loose.problems and not clusters):
            clusters.insert(0, self.loose)
        elif self.loose.problems:
            clusters[0].problems[:0] = self.loose.problems
        return clusters


def _item_name(item: Any) -> str:
    if isinstance(item, Article):
        return item.path or item.id
    if isinstance(item, dict):
        return "<dict>"
    return display_name(str(item))


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_inputs(inputs: Iterable[Input] | Input, max_article_bytes: int = MAX_ARTICLE_BYTES) -> list[Cluster]:
    """Read everything given; returns the clusters (a pile of loose articles is one cluster).

    Articles over ``max_article_bytes`` are skipped, each reported in the cluster's problems."""
    if isinstance(inputs, str | Path | Article | dict):
        inputs = [inputs]
    reader = Reader(max_article_bytes)
    for item in inputs:
        reader.read(item)
    return reader.result()


def read_files(files: Iterable[tuple[str, bytes]], max_article_bytes: int = MAX_ARTICLE_BYTES) -> list[Cluster]:
    """Files given as ``(name, bytes)`` (uploads), read as :func:`read_inputs` reads files on
    disk: the name's suffix picks the format, its stem is the article id. No temp files."""
    reader = Reader(max_article_bytes)
    for name, data in files:
        reader.read_data(name, data)
    return reader.result()
