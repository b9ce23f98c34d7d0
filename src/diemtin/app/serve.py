"""`diemtin serve`: the HTTP API and the web page (issue 5).

Everything the server reads comes from the request body: paths named in JSON are never
opened, uploads are written to a private temp dir and read with the same readers as the
CLI, and URLs are fetched only when the server was started with ``allow_urls=True``.
Digest work runs on a bounded thread pool so the event loop (and ``/api/health``) stays
responsive; every limit answers with a JSON ``{"error": ..., "detail": ...}``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from diemtin import __version__, pipeline
from diemtin.ingest.read import HTML_SUFFIXES, JSON_SUFFIXES, TEXT_SUFFIXES, Reader, article_from_record
from diemtin.model import Cluster, Problem

log = logging.getLogger("diemtin.app.serve")

STATIC_DIR = Path(__file__).parent / "static"
PARTS = ("summary", "timeline", "entities", "quotes", "figures")
UPLOAD_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES  # no suffix = text, as in the CLI
MIN_WORDS, MAX_WORDS = 10, 2000
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

# A strict policy: only our own files run; no inline script or style, nothing framed.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass(frozen=True)
class Limits:
    """Request limits. Defaults are ~50x a typical news cluster (5 articles x 10 KB)."""

    max_body_bytes: int = 5 * 1024 * 1024
    max_articles: int = 50
    max_article_bytes: int = 200 * 1024
    timeout_s: float = 30.0
    workers: int = 4  # digest threads; the work is mostly GIL-bound, more threads only queue
    max_pending: int = 32  # running + queued jobs before answering 503


# A processor digests one cluster in place (the default is the real pipeline); tests
# inject slow ones to exercise timeouts and the thread pool.
Processor = Callable[[Cluster, int, Sequence[str]], Cluster]


def pipeline_processor(cluster: Cluster, words: int, parts: Sequence[str]) -> Cluster:
    from diemtin import pipeline

    return pipeline.process(cluster, words=words, parts=parts)


# ---------------------------------------------------------------- request models (OpenAPI)


class ArticleIn(BaseModel):
    """One pasted article. Unknown fields are ignored; ``path`` is never read."""

    model_config = ConfigDict(extra="ignore")
    title: str = Field("", max_length=2000)
    text: str = Field("", description="The article body (plain text).")
    url: str | None = Field(None, max_length=2048, description="Metadata; fetched only if allowed.")
    published: str | None = Field(None, max_length=64, description="ISO date or datetime.")
    lead: str | None = Field(None, description="Sapo / lead paragraph if given separately.")
    id: str | None = Field(None, max_length=200)


class DigestRequest(BaseModel):
    articles: list[ArticleIn] = Field(..., min_length=1)
    words: int = Field(200, ge=MIN_WORDS, le=MAX_WORDS)
    parts: list[Literal["summary", "timeline", "entities", "quotes", "figures"]] = Field(
        default_factory=lambda: list(PARTS)
    )


class CleanRequest(BaseModel):
    articles: list[ArticleIn] = Field(..., min_length=1)


UPLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["files"],
    "properties": {
        "files": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": ".txt (title on the first line), .html, .json or .jsonl files",
        },
        "words": {"type": "integer", "minimum": MIN_WORDS, "maximum": MAX_WORDS, "default": 200},
        "parts": {"type": "string", "description": "comma-separated subset of " + ",".join(PARTS)},
    },
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "detail": {}},
}


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {"schema": UPLOAD_SCHEMA},
            },
        },
        "x-defs": defs,  # moved into components below
    }


_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": desc, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for code, desc in [
        (400, "Malformed request"),
        (413, "Too large: body, article count"),
        (415, "Unsupported content type"),
        (422, "Invalid parameters or no usable article"),
        (503, "Server busy"),
        (504, "Digest timed out"),
    ]
}


# ---------------------------------------------------------------- errors


class ApiError(Exception):
    def __init__(self, status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None):
        super().__init__(error)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


def _error(status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


# ---------------------------------------------------------------- ASGI middleware


async def _send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Outermost layer: security headers on every response, Host check, body size cap.

    The body is buffered (up to the cap) before the app sees it, so a chunked upload
    without Content-Length cannot slip past the limit.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, allowed_hosts: Sequence[str] | None) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if self.allowed_hosts is not None:
            # DNS-rebinding guard: a page on evil.example resolving to 127.0.0.1 gets refused.
            host = headers.get(b"host", b"").decode("latin-1").lower()
            hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if hostname not in self.allowed_hosts:
                await _send_json(send, 400, {"error": "invalid Host header", "detail": host})
                return

        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send_with_headers)
            return

        too_big = {
            "error": "request body too large",
            "detail": {"limit_bytes": self.max_body},
        }
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body:
                    await _send_json(send, 413, too_big)
                    return
            except ValueError:
                await _send_json(send, 400, {"error": "invalid Content-Length", "detail": None})
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_body:
                await _send_json(send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # only a disconnect can come now

        await self.app(scope, replay, send_with_headers)


# ---------------------------------------------------------------- jobs


class Jobs:
    """A bounded thread pool with a pending-job cap and a per-job timeout.

    A timed-out job keeps its thread until it finishes (Python threads cannot be killed),
    so it still counts as pending: under overload the server answers 503 quickly instead
    of piling up work.
    """

    def __init__(self, workers: int, max_pending: int) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="diemtin-digest")
        self.max_pending = max_pending
        self.pending = 0
        self._lock = threading.Lock()

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self.pending -= 1

    async def run(self, fn: Callable[[], Any], timeout: float) -> Any:
        with self._lock:
            if self.pending >= self.max_pending:
                raise ApiError(503, "server busy, retry later", {"pending": self.pending}, {"Retry-After": "5"})
            self.pending += 1
        future = self.executor.submit(fn)
        future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
        except TimeoutError:
            raise ApiError(504, "digest timed out", {"timeout_s": timeout}) from None

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------- input parsing


@dataclass
class Batch:
    """What a request asked for: clusters of raw articles plus settings."""

    clusters: list[Cluster]
    words: int = 200
    parts: tuple[str, ...] = PARTS
    problems: list[Problem] = field(default_factory=list)  # request-level, go into every cluster


def _parse_words(value: Any) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not MIN_WORDS <= value <= MAX_WORDS:
        raise ApiError(422, f"'words' must be an integer from {MIN_WORDS} to {MAX_WORDS}", {"got": value})
    return value


def _parse_parts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [p.strip() for p in value.split(",") if p.strip()]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ApiError(422, "'parts' must be a list of part names", {"allowed": list(PARTS)})
    unknown = [p for p in value if p not in PARTS]
    if unknown:
        raise ApiError(422, "unknown parts", {"unknown": unknown, "allowed": list(PARTS)})
    return tuple(p for p in PARTS if p in value)  # canonical order, no duplicates


def _too_many(n: int, limit: int) -> ApiError:
    return ApiError(413, f"too many articles ({n} > {limit})", {"limit": limit, "got": n})


def _size_problem(source: str, n: int, limit: int) -> Problem:
    return Problem(source, f"article too large ({n:,} bytes > {limit:,}); skipped")


class InputParser:
    def __init__(self, limits: Limits, allow_urls: bool) -> None:
        self.limits = limits
        self.allow_urls = allow_urls

    # -- JSON

    def from_json(self, raw: bytes, with_settings: bool) -> Batch:
        try:
            payload = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ApiError(400, "request body is not valid JSON", str(e)) from None
        if not isinstance(payload, dict):
            raise ApiError(422, "request body must be a JSON object with an 'articles' list")
        items = payload.get("articles")
        if not isinstance(items, list) or not items:
            raise ApiError(422, "'articles' must be a non-empty list")
        if len(items) > self.limits.max_articles:
            raise _too_many(len(items), self.limits.max_articles)
        batch = Batch(clusters=[])
        if with_settings:
            batch.words = _parse_words(payload.get("words", 200))
            batch.parts = _parse_parts(payload.get("parts", list(PARTS)))
        reader = Reader()
        for i, item in enumerate(items):
            self._read_json_article(reader, item, i)
        batch.clusters = reader.result()
        return batch

    def _read_json_article(self, reader: Reader, item: Any, i: int) -> None:
        source = f"articles[{i}]"
        problems = reader.loose.problems
        if not isinstance(item, dict):
            problems.append(Problem(source, f"expected an object, got {type(item).__name__}"))
            return
        if "path" in item:
            # Never open a server-side file named by a client.
            problems.append(Problem(source, "'path' ignored: the server only reads what is sent", fatal=False))
        try:
            art = ArticleIn.model_validate(item)
        except ValidationError as e:
            msg = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
            problems.append(Problem(source, f"invalid article ({msg})"))
            return
        url = art.url.strip() if art.url else None
        if url and not re.match(r"https?://", url, re.IGNORECASE):
            problems.append(Problem(source, "'url' ignored: only http(s) URLs are accepted", fatal=False))
            url = None
        if not art.text.strip() and not (art.lead or "").strip():
            if not url:
                problems.append(Problem(source, "no article text (expected a non-empty 'text' field)"))
            elif not self.allow_urls:
                problems.append(Problem(url, "URL fetching is disabled on this server; send the text"))
            else:
                self._read_guarded(reader, url, url)
            return
        size = sum(len(s.encode()) for s in (art.title, art.text, art.lead or ""))
        if size > self.limits.max_article_bytes:
            problems.append(_size_problem(source, size, self.limits.max_article_bytes))
            return
        record = art.model_dump()
        record["url"] = url
        try:
            article = article_from_record(record, art.id or f"a{i + 1}", source)
        except Exception as e:  # noqa: BLE001 - one bad article never sinks the batch
            problems.append(Problem(source, str(getattr(e, "message", e))))
            return
        reader.read(article)

    @staticmethod
    def _read_guarded(reader: Reader, item: Any, source: str) -> None:
        try:
            reader.read(item)
        except Exception as e:  # noqa: BLE001 - e.g. a reader for this format not built yet
            log.warning("reading %s failed", source, exc_info=True)
            reader.loose.problems.append(Problem(source, f"could not read ({type(e).__name__})"))

    # -- multipart

    async def from_form(self, request: Request, with_settings: bool) -> Batch:
        try:
            form = await request.form(max_files=self.limits.max_articles, max_fields=20)
        except StarletteHTTPException as e:
            raise ApiError(e.status_code, "malformed multipart body", e.detail) from None
        except Exception as e:  # noqa: BLE001 - multipart parser errors vary by version
            raise ApiError(400, "malformed multipart body", str(e)) from None
        batch = Batch(clusters=[])
        if with_settings:
            words = form.get("words")
            batch.words = _parse_words(words if words not in (None, "") else 200)
            parts = [p for p in form.getlist("parts") if isinstance(p, str)]
            batch.parts = _parse_parts(",".join(parts)) if parts else PARTS
        uploads = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
        if not uploads:
            raise ApiError(422, "no files uploaded (multipart field 'files')")
        if len(uploads) > self.limits.max_articles:
            raise _too_many(len(uploads), self.limits.max_articles)
        saved: list[tuple[int, str, bytes]] = []
        for i, upload in enumerate(uploads):
            saved.append((i, upload.filename or "", await upload.read()))
            await upload.close()
        batch.clusters = await asyncio.to_thread(self._read_uploads, saved)
        return batch

    def _read_uploads(self, saved: list[tuple[int, str, bytes]]) -> list[Cluster]:
        reader = Reader()
        problems = reader.loose.problems
        with tempfile.TemporaryDirectory(prefix="diemtin-upload-") as tmp:
            root = Path(tmp)
            for i, filename, data in saved:
                name = safe_filename(filename, f"upload{i + 1}.txt")
                suffix = PurePosixPath(name).suffix.lower()
                if suffix not in UPLOAD_SUFFIXES:
                    problems.append(Problem(name, f"unsupported file type '{suffix}' (use .txt, .html, .jsonl)"))
                    continue
                if suffix not in JSON_SUFFIXES and len(data) > self.limits.max_article_bytes:
                    problems.append(_size_problem(name, len(data), self.limits.max_article_bytes))
                    continue
                # One subdir per upload keeps the original name (article id = file stem).
                target = root / str(i) / name
                target.parent.mkdir()
                target.write_bytes(data)
                self._read_guarded(reader, target, name)
            clusters = reader.result()
            _hide_paths(clusters, f"{root}{'/'}")
        return self._enforce_sizes(clusters)

    def _enforce_sizes(self, clusters: list[Cluster]) -> list[Cluster]:
        total = sum(len(c.articles) for c in clusters)
        if total > self.limits.max_articles:
            raise _too_many(total, self.limits.max_articles)
        for c in clusters:
            kept = []
            for a in c.articles:
                size = sum(len((s or "").encode()) for s in (a.title, a.raw_text, a.lead))
                if size > self.limits.max_article_bytes:
                    c.problems.append(_size_problem(a.path or a.id, size, self.limits.max_article_bytes))
                else:
                    kept.append(a)
            c.articles = kept
        return clusters


def safe_filename(filename: str, default: str) -> str:
    """The last path component of a client file name, reduced to safe characters."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-]+", "_", name).lstrip(".")[:120]
    return name or default


def _hide_paths(clusters: list[Cluster], tmp_prefix: str) -> None:
    """Replace temp-dir paths with the uploaded names: no server paths in responses."""
    pattern = re.compile(re.escape(tmp_prefix) + r"\d+/")

    def strip(s: str | None) -> str | None:
        return pattern.sub("", s) if s else s

    for c in clusters:
        for a in c.articles:
            a.path = strip(a.path)
        for p in c.problems:
            p.source = strip(p.source) or ""
            p.message = strip(p.message) or ""


# ---------------------------------------------------------------- the app


def _clean_payload(clusters: list[Cluster]) -> dict[str, Any]:

    articles, problems = [], []
    for c in clusters:
        pipeline.clean(c)
        for a in c.articles:
            articles.append(
                {
                    "cluster": c.id,
                    "id": a.id,
                    "path": a.path,
                    "url": a.url,
                    "title": a.title,
                    "published": a.published,
                    "duplicate_of": a.duplicate_of,
                    "text": a.text,
                    "removed": [{"line": r.line, "text": r.text, "reason": r.reason} for r in a.removed],
                }
            )
        problems += [{"source": p.source, "message": p.message, "fatal": p.fatal} for p in c.problems]
    return {"articles": articles, "problems": problems}


def _usable(clusters: list[Cluster]) -> None:
    if not any(c.articles for c in clusters):
        detail = [{"source": p.source, "message": p.message} for c in clusters for p in c.problems]
        raise ApiError(422, "no usable article in the request", detail)


def create_app(
    *,
    limits: Limits | None = None,
    allow_urls: bool = False,
    cors_origins: Iterable[str] | None = None,
    allowed_hosts: Sequence[str] | None = None,
    processor: Processor | None = None,
    db: str | None = None,
) -> FastAPI:
    """The FastAPI app. ``allowed_hosts`` (Host header allow-list) is off when None;
    ``run`` turns it on for loopback binds. CORS stays closed unless origins are given."""
    limits = limits or Limits()
    process = processor or pipeline_processor
    jobs = Jobs(limits.workers, limits.max_pending)
    parser = InputParser(limits, allow_urls)

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        yield
        jobs.shutdown()

    # FastAPI's own /docs and /redoc pull Swagger/ReDoc from a CDN; we serve a local page.
    app = FastAPI(
        title="diemtin",
        version=__version__,
        description="Vietnamese multi-document news digests with sources for every sentence.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.jobs = jobs
    app.state.limits = limits

    origins = list(cors_origins or [])
    if origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"], allow_headers=["*"])
    app.add_middleware(GuardMiddleware, max_body_bytes=limits.max_body_bytes, allowed_hosts=allowed_hosts)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return _error(422, "invalid request", detail)

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal error", type(exc).__name__)

    async def read_batch(request: Request, with_settings: bool) -> Batch:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/json" or ctype.endswith("+json"):
            return parser.from_json(await request.body(), with_settings)
        if ctype == "multipart/form-data":
            return await parser.from_form(request, with_settings)
        raise ApiError(415, "send application/json or multipart/form-data", {"content_type": ctype or None})

    digest_doc = _body_doc(DigestRequest)
    clean_doc = _body_doc(CleanRequest)

    @app.post(
        "/api/digest",
        summary="Digest a pile of articles",
        openapi_extra={"requestBody": digest_doc["requestBody"]},
        responses={
            200: {
                "description": "The digest (same JSON as `diemtin digest --format json`), or Markdown",
                "content": {"application/json": {}, "text/markdown": {"schema": {"type": "string"}}},
            },
            **_ERROR_RESPONSES,
        },
    )
    async def api_digest(
        request: Request,
        format: Literal["json", "md"] = Query("json", description="json, or md for the Markdown briefing"),
    ) -> Response:
        batch = await read_batch(request, with_settings=True)
        _usable(batch.clusters)

        def work() -> list[Any]:
            from diemtin.render import formats as render
            out = []
            for c in batch.clusters:
                if not c.articles:
                    continue  # e.g. the pile holding only problems next to a jsonl cluster
                process(c, batch.words, batch.parts)
                out.append(render.to_markdown(c) if format == "md" else render.to_dict(c))
            _usable(batch.clusters)  # e.g. every article was boilerplate the cleaner removed
            return out

        t = time.perf_counter()
        results = await jobs.run(work, limits.timeout_s)
        log.info("digest of %d cluster(s) in %.0f ms", len(results), (time.perf_counter() - t) * 1000)
        if format == "md":
            return PlainTextResponse("\n\n".join(results), media_type="text/markdown; charset=utf-8")
        return JSONResponse(results[0] if len(results) == 1 else results)

    @app.post(
        "/api/clean",
        summary="Clean articles (no digest)",
        openapi_extra={"requestBody": clean_doc["requestBody"]},
        responses={200: {"description": "Cleaned articles and problems"}, **_ERROR_RESPONSES},
    )
    async def api_clean(request: Request) -> JSONResponse:
        batch = await read_batch(request, with_settings=False)
        _usable(batch.clusters)
        return JSONResponse(await jobs.run(lambda: _clean_payload(batch.clusters), limits.timeout_s))

    @app.get("/api/health", summary="Liveness and load")
    async def api_health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "pending": jobs.pending, "workers": limits.workers}

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html", media_type="text/html; charset=utf-8")

    if db:  # the archive's pages and API (diemtin serve --db FILE)
        app.include_router(__import__("diemtin.app.archive_api", fromlist=["x"]).archive_router(db))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Hoist the pydantic $defs of our hand-written request bodies into components.
    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original_openapi()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(digest_doc["x-defs"])
        components.update(clean_doc["x-defs"])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


# ---------------------------------------------------------------- running


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    allow_urls: bool = False,
    cors_origins: Iterable[str] | None = None,
    limits: Limits | None = None,
    db: str | None = None,
) -> None:
    """Serve until interrupted. On a loopback bind only loopback Host headers are accepted."""
    import uvicorn

    hosts = list(LOOPBACK_HOSTS) if host in LOOPBACK_HOSTS else None
    app = create_app(limits=limits, allow_urls=allow_urls, cors_origins=cors_origins, allowed_hosts=hosts, db=db)
    uvicorn.run(app, host=host, port=port, log_level="info")


class BackgroundServer:
    """uvicorn in a daemon thread on a free loopback port (tests and benchmarks).

    The socket is bound before uvicorn starts, so there is no pick-a-port race.
    """

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1") -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.host, self.port = self.sock.getsockname()[:2]
        config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
