"""`diemtin serve`: the HTTP API and the web page.

The server process only talks HTTP and checks a request's shape; everything slow runs in
a worker process (:mod:`diemtin.app.workers`, :mod:`diemtin.app.jobs`) that is killed when
the request's time budget runs out, so ``/api/health`` always answers and a runaway digest
really stops. What the server reads comes from the request body: paths named in JSON are
never opened, uploads are parsed from bytes, and URLs are fetched only with
``allow_urls=True``, never into a local network (:mod:`diemtin.ingest.fetch`).

Every answer other than 200 is JSON ``{"error": <stable code>, "message": <Vietnamese>,
"detail": ...}``. Slow clients meet a header deadline, a body deadline and a connection
cap; a POST from another site's page (``Origin``) is refused.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pickle
import re
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from diemtin import __version__
from diemtin.app.jobs import (
    ApiError,
    Job,
    Processor,
    Source,
    invalid_text_problem,
    json_bytes,
    pipeline_processor,
    printable,
    run_job,
    too_large_problem,
    too_many_articles,
    warm_up,
)
from diemtin.app.workers import JobFailed, JobTimeout, PoolBusy, WorkerLost, WorkerPool
from diemtin.ingest.encoding import has_surrogates
from diemtin.ingest.fetch import FetchPolicy
from diemtin.model import Problem
from diemtin.options import ALL_PARTS, DEFAULT_WORDS, MAX_WORDS, MIN_WORDS, DigestOptions

__all__ = ["BackgroundServer", "Limits", "create_app", "pipeline_processor", "run", "safe_filename"]

log = logging.getLogger("diemtin.app.serve")

STATIC_DIR = Path(__file__).parent / "static"
PARTS = ALL_PARTS
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
HARD_STOP_GRACE_S = 5.0  # past the cluster budget (which degrades parts), the worker is killed
MAX_INT_DIGITS = 100  # no field of this API needs a longer integer; Python refuses > 4,300 anyway
MAX_HEADER_BYTES = 16 * 1024
JSON_IN_THREAD_BYTES = 256 * 1024  # parse bigger JSON bodies off the event loop thread

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


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Limits:
    """The service's limits. The digest bounds (article size and count, body size, cluster
    time budget) are the shared :class:`DigestOptions`, the same as the CLI's."""

    options: DigestOptions = field(default_factory=DigestOptions)
    timeout_s: float | None = None  # per request; None: the cluster budget + HARD_STOP_GRACE_S
    workers: int = field(default_factory=_default_workers)  # digest processes
    max_pending: int = 32  # running + queued requests before answering 503
    header_timeout_s: float = 10.0  # the request line and headers must arrive within this
    body_timeout_s: float = 30.0  # the whole body must arrive within this
    keep_alive_s: float = 5.0  # an idle kept-alive connection is closed after this
    max_connections: int = 200  # open connections (each runs one request at a time); more get 503
    # POSTs one client (its address, as resolved from proxy headers) may have in flight, body
    # upload included; more get 429, so one client cannot take every worker and queue slot
    max_pending_per_client: int = 8
    worker_memory_mb: int | None = 2048  # address-space ceiling of each worker process
    fetch: FetchPolicy = field(default_factory=FetchPolicy)  # --allow-urls only

    @property
    def request_timeout_s(self) -> float:
        if self.timeout_s is not None:
            return self.timeout_s
        return self.options.cluster_time_budget_s + HARD_STOP_GRACE_S

    @property
    def max_body_bytes(self) -> int:
        return self.options.max_body_bytes


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
    words: int = Field(DEFAULT_WORDS, ge=MIN_WORDS, le=MAX_WORDS)
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
        "words": {"type": "integer", "minimum": MIN_WORDS, "maximum": MAX_WORDS, "default": DEFAULT_WORDS},
        "parts": {"type": "string", "description": "comma-separated subset of " + ",".join(PARTS)},
    },
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "stable machine-readable code, e.g. too_many_articles"},
        "message": {"type": "string", "description": "what happened, in Vietnamese, for a person"},
        "detail": {},
    },
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
        (403, "Cross-site request refused"),
        (408, "Request body too slow"),
        (413, "Too large: body, article count"),
        (415, "Unsupported content type"),
        (422, "Invalid parameters or no usable article"),
        (429, "Too many requests in flight from this client"),
        (431, "Request headers too large"),
        (503, "Server busy (work queue or connections full)"),
        (504, "Digest timed out (and stopped)"),
    ]
}


# ---------------------------------------------------------------- ASGI middleware


async def _send_error(
    send: Send,
    status: int,
    error: str,
    message: str,
    detail: Any = None,
    *,
    close: bool = False,
    retry_after: int | None = None,
) -> None:
    body = json_bytes({"error": error, "message": message, "detail": detail})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 408 or close:
        # A client this slow is not waited for. (After a 413 the connection stays: closing
        # with unread bytes would reset it and lose the answer; uvicorn drains the rest.)
        headers.append((b"connection", b"close"))
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})


RETRY_AFTER_S = 5


class ClientLimiter:
    """Requests in flight per client address. The server runs on one event loop, so plain
    counting is safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}

    def acquire(self, client: str) -> bool:
        n = self.counts.get(client, 0)
        if self.limit > 0 and n >= self.limit:
            return False
        self.counts[client] = n + 1
        return True

    def release(self, client: str) -> None:
        n = self.counts.get(client, 0) - 1
        if n > 0:
            self.counts[client] = n
        else:
            self.counts.pop(client, None)


def _host_port(value: str, scheme: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(f"{scheme}://{value}" if "://" not in value else value)
        return (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


def same_origin(origin: str, host: str, scheme: str) -> bool:
    """``Origin`` names the site answering on ``Host`` (ports compared when Host has one;
    behind a TLS proxy the Host has none and the origin is https on 443)."""
    if origin == "null" or not host:
        return False
    theirs = _host_port(origin, "http")
    if theirs is None or not origin.startswith(("http://", "https://")):
        return False
    if re.search(r":\d+$", host.rsplit("]", 1)[-1]):
        ours = _host_port(host, scheme)
        return ours is not None and theirs == ours
    return theirs[0] == (_host_port(host, scheme) or ("", 0))[0]


class GuardMiddleware:
    """Outermost layer: security headers on every response, Host check, Origin check on
    POSTs, per-client cap on POSTs in flight, body size cap and body deadline; a JSON 500 if
    anything below fails before answering.

    The body is buffered (up to the cap, within the deadline) before the app sees it, so a
    chunked upload without Content-Length cannot slip past the limit, nor trickle forever.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        body_timeout_s: float,
        allowed_hosts: Sequence[str] | None,
        allowed_origins: Sequence[str] = (),
        max_pending_per_client: int = 0,
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.body_timeout = body_timeout_s
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None
        self.allowed_origins = {o.rstrip("/").lower() for o in allowed_origins}
        self.clients = ClientLimiter(max_pending_per_client)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        try:
            await self._guard(scope, receive, send, send_with_headers)
        except Exception:
            # Past the app's own handlers (in this layer, or a response that failed to
            # start): a JSON 500 rather than uvicorn's plain-text one.
            log.exception("unhandled error")
            if started:
                raise
            await _send_error(send, 500, "internal_error", "Lỗi máy chủ.", close=True)

    async def _guard(self, scope: Scope, receive: Receive, send: Send, send_with_headers: Send) -> None:
        raw_headers = scope.get("headers", [])
        if sum(len(k) + len(v) + 4 for k, v in raw_headers) > MAX_HEADER_BYTES:
            # (uvicorn's parser caps a head only while it is incomplete; one sent whole passes)
            await _send_error(
                send,
                431,
                "headers_too_large",
                f"Tiêu đề yêu cầu quá lớn (tối đa {MAX_HEADER_BYTES // 1024} KB).",
                {"limit_bytes": MAX_HEADER_BYTES},
                close=True,
            )
            return
        headers = {k.lower(): v for k, v in raw_headers}
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if self.allowed_hosts is not None:
            # DNS-rebinding guard: a page on evil.example resolving to 127.0.0.1 gets refused.
            hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if hostname not in self.allowed_hosts:
                await _send_error(send, 400, "invalid_host", "Tên máy (Host) không được phép.", printable(host))
                return

        if scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send_with_headers)
            return

        origin = headers.get(b"origin")
        if origin is not None:
            value = origin.decode("latin-1").strip()
            if value.rstrip("/").lower() not in self.allowed_origins and not same_origin(
                value, host, scope.get("scheme", "http")
            ):
                await _send_error(
                    send, 403, "origin_forbidden", "Yêu cầu gửi từ trang web khác bị từ chối.", printable(value)
                )
                return
        elif headers.get(b"sec-fetch-site", b"") == b"cross-site":
            await _send_error(send, 403, "origin_forbidden", "Yêu cầu gửi từ trang web khác bị từ chối.")
            return

        client = (scope.get("client") or ("", 0))[0] or "?"
        if not self.clients.acquire(client):
            await _send_error(
                send,
                429,
                "too_many_requests",
                f"Máy của bạn đang có {self.clients.limit} yêu cầu chưa xong; hãy chờ chúng xong rồi gửi tiếp.",
                {"limit": self.clients.limit},
                retry_after=RETRY_AFTER_S,
            )
            return
        try:
            await self._read_and_run(scope, receive, send, send_with_headers, headers)
        finally:
            self.clients.release(client)

    async def _read_and_run(
        self, scope: Scope, receive: Receive, send: Send, send_with_headers: Send, headers: dict[bytes, bytes]
    ) -> None:
        too_big = ("body_too_large", f"Yêu cầu quá lớn (tối đa {self.max_body // (1024 * 1024)} MB).")
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body:
                    await _send_error(send, 413, *too_big, {"limit_bytes": self.max_body})
                    return
            except ValueError:
                await _send_error(send, 400, "invalid_content_length", "Content-Length không hợp lệ.")
                return
        chunks: list[bytes] = []
        total = 0
        deadline = time.monotonic() + self.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                await _send_error(
                    send,
                    408,
                    "body_timeout",
                    f"Gửi dữ liệu quá chậm (phải xong trong {self.body_timeout:g} giây).",
                    {"timeout_s": self.body_timeout},
                )
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_body:
                await _send_error(send, 413, *too_big, {"limit_bytes": self.max_body})
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


# ---------------------------------------------------------------- input checking


class _BadNumber(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadNumber(f"{name} không phải là một số JSON hợp lệ")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _BadNumber(f"số {printable(text, 40)} vượt quá giới hạn số thực")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _BadNumber(f"số nguyên quá dài ({len(text):,} chữ số, tối đa {MAX_INT_DIGITS})".replace(",", "."))
    return int(text)


def parse_json(raw: bytes) -> Any:
    """Strict JSON: no NaN/Infinity, no number that overflows or is absurdly long, bounded depth."""
    if not raw.strip():
        raise ApiError(400, "invalid_json", "Nội dung yêu cầu trống: cần một đối tượng JSON.")
    try:
        return json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except _BadNumber as e:
        raise ApiError(400, "invalid_number", f"JSON có số không hợp lệ: {e}.") from None
    except RecursionError:
        raise ApiError(400, "json_too_deep", "JSON lồng nhau quá sâu.") from None
    except UnicodeDecodeError as e:
        raise ApiError(400, "invalid_encoding", "Nội dung JSON không phải UTF-8.", {"byte": e.start}) from None
    except json.JSONDecodeError as e:
        raise ApiError(
            400, "invalid_json", f"JSON không hợp lệ (dòng {e.lineno}, cột {e.colno}).", {"position": e.pos}
        ) from None
    except ValueError as e:  # e.g. Python's own limit on integer digits
        raise ApiError(400, "invalid_json", "JSON không hợp lệ.", printable(str(e))) from None


def _parse_words(value: Any) -> int:
    if isinstance(value, UploadFile):
        raise _field_is_file("words")
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= MAX_INT_DIGITS:
        value = int(value.strip())
    if not isinstance(value, int) or not MIN_WORDS <= value <= MAX_WORDS:
        raise ApiError(
            422,
            "invalid_words",
            f"Độ dài 'words' phải là số nguyên từ {MIN_WORDS} đến {MAX_WORDS}.",
            {"got": printable(value), "min": MIN_WORDS, "max": MAX_WORDS},
        )
    return value


def _parse_parts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [p.strip() for p in value.split(",") if p.strip()]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ApiError(422, "invalid_parts", "'parts' phải là danh sách tên phần.", {"allowed": list(PARTS)})
    unknown = [printable(p) for p in value if p not in PARTS]
    if unknown:
        raise ApiError(
            422,
            "unknown_parts",
            f"Không có phần: {', '.join(unknown)}. Các phần: {', '.join(PARTS)}.",
            {"unknown": unknown, "allowed": list(PARTS)},
        )
    return tuple(p for p in PARTS if p in value)  # canonical order, no duplicates


def _field_is_file(name: str) -> ApiError:
    return ApiError(422, "field_is_file", f"Trường '{name}' phải là giá trị chữ, không phải tệp.", {"field": name})


def safe_filename(filename: str, default: str) -> str:
    """The last path component of a client file name, reduced to safe characters."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-]+", "_", name).lstrip(".")[:120]
    return name or default


JSON_KINDS = {list: "một mảng", str: "một chuỗi", int: "một số", float: "một số", bool: "đúng/sai", type(None): "null"}


def _vietnamese_validation(e: ValidationError) -> str:
    fields = ", ".join(sorted({".".join(map(str, err["loc"])) or "?" for err in e.errors()}))
    return f"bài không hợp lệ (trường {fields} sai kiểu hoặc quá dài)"


class InputChecker:
    """Turns a request body into a :class:`Job`: its shape checked here, cheaply; reading,
    fetching and digesting are left to the worker."""

    def __init__(self, limits: Limits, allow_urls: bool, processor: Processor | None) -> None:
        self.limits = limits
        self.options = limits.options
        self.allow_urls = allow_urls
        self.processor = processor

    def _job(
        self, sources: list[Source], problems: list[Problem], output: str, words: int, parts: tuple[str, ...]
    ) -> Job:
        return Job(
            sources=sources,
            words=words,
            parts=parts,
            output=output,  # type: ignore[arg-type]
            options=self.options,
            fetch=self.limits.fetch,
            problems=problems,
            processor=self.processor,
        )

    # -- JSON

    async def from_json(self, raw: bytes, output: str) -> Job:
        payload = await asyncio.to_thread(parse_json, raw) if len(raw) > JSON_IN_THREAD_BYTES else parse_json(raw)
        if not isinstance(payload, dict):
            raise ApiError(422, "not_an_object", "Nội dung phải là một đối tượng JSON có danh sách 'articles'.")
        items = payload.get("articles")
        if not isinstance(items, list) or not items:
            raise ApiError(422, "articles_missing", "'articles' phải là một danh sách bài không rỗng.")
        if len(items) > self.options.max_articles:
            raise too_many_articles(len(items), self.options.max_articles)
        words, parts = DEFAULT_WORDS, PARTS
        if output != "clean":
            words = _parse_words(payload.get("words", DEFAULT_WORDS))
            parts = _parse_parts(payload.get("parts", list(PARTS)))
        sources: list[Source] = []
        problems: list[Problem] = []
        for i, item in enumerate(items):
            self._check_article(item, i, sources, problems)
        if not sources:
            raise ApiError(
                422,
                "no_usable_article",
                "Không có bài báo nào dùng được trong yêu cầu.",
                [{"source": p.source, "message": p.message} for p in problems],
            )
        return self._job(sources, problems, output, words, parts)

    def _check_article(self, item: Any, i: int, sources: list[Source], problems: list[Problem]) -> None:
        source = f"articles[{i}]"
        if not isinstance(item, dict):
            kind = JSON_KINDS.get(type(item), type(item).__name__)
            problems.append(Problem(source, f"cần một đối tượng JSON, nhận được {kind}"))
            return
        if "path" in item:
            # Never open a server-side file named by a client.
            problems.append(Problem(source, "bỏ qua 'path': máy chủ chỉ đọc những gì được gửi", fatal=False))
        try:
            art = ArticleIn.model_validate(item)
        except ValidationError as e:
            problems.append(Problem(source, _vietnamese_validation(e)))
            return
        if any(has_surrogates(t) for t in (art.title, art.text, art.lead, art.url, art.published, art.id) if t):
            problems.append(invalid_text_problem(source))
            return
        url = art.url.strip() if art.url else None
        if url and not re.match(r"https?://", url, re.IGNORECASE):
            problems.append(Problem(source, "bỏ qua 'url': chỉ nhận địa chỉ http(s)", fatal=False))
            url = None
        if not art.text.strip() and not (art.lead or "").strip():
            if not url:
                problems.append(Problem(source, "không có nội dung bài (cần trường 'text' không rỗng)"))
            elif not self.allow_urls:
                problems.append(Problem(url, "máy chủ này không tải URL; hãy gửi nội dung bài"))
            else:
                sources.append(Source("url", url))
            return
        size = sum(len(s.encode()) for s in (art.title, art.text, art.lead or ""))
        if size > self.options.max_article_bytes:
            problems.append(too_large_problem(source, size, self.options.max_article_bytes))
            return
        record = art.model_dump()
        record["url"] = url
        record["id"] = art.id or f"a{i + 1}"
        sources.append(Source("record", source, record=record))

    # -- multipart

    async def from_form(self, request: Request, output: str) -> Job:
        try:
            form = await request.form(max_files=self.options.max_articles, max_fields=20)
        except StarletteHTTPException as e:
            raise ApiError(
                e.status_code, "malformed_multipart", "Dữ liệu multipart không hợp lệ.", printable(e.detail, 200)
            ) from None
        except Exception as e:  # noqa: BLE001 - multipart parser errors vary by version
            raise ApiError(
                400, "malformed_multipart", "Dữ liệu multipart không hợp lệ.", printable(str(e), 200)
            ) from None
        words, parts = DEFAULT_WORDS, PARTS
        if output != "clean":
            value = form.get("words")
            words = _parse_words(value if value not in (None, "") else DEFAULT_WORDS)
            given = form.getlist("parts")
            if any(isinstance(p, UploadFile) for p in given):
                raise _field_is_file("parts")
            parts = _parse_parts(",".join(str(p) for p in given)) if given else PARTS
        uploads = [(k, v) for k, v in form.multi_items() if isinstance(v, UploadFile) and k not in ("words", "parts")]
        if not uploads:
            raise ApiError(422, "no_files", "Không có tệp nào được gửi (trường multipart 'files').")
        if len(uploads) > self.options.max_articles:
            raise too_many_articles(len(uploads), self.options.max_articles)
        sources = []
        for i, (_, upload) in enumerate(uploads):
            name = safe_filename(upload.filename or "", f"upload{i + 1}.txt")
            sources.append(Source("file", name, data=await upload.read()))
            await upload.close()
        return self._job(sources, [], output, words, parts)


# ---------------------------------------------------------------- the app


def create_app(
    *,
    limits: Limits | None = None,
    allow_urls: bool = False,
    cors_origins: Iterable[str] | None = None,
    allowed_hosts: Sequence[str] | None = None,
    processor: Processor | None = None,
    pool: WorkerPool | None = None,
    db: str | None = None,
) -> FastAPI:
    """The FastAPI app. ``allowed_hosts`` (Host header allow-list) is off when None;
    ``run`` turns it on for loopback binds. CORS stays closed unless origins are given.
    ``processor`` (a module-level function, it runs in the workers) replaces the pipeline;
    ``pool`` shares worker processes between apps (tests) and is then not closed here."""
    limits = limits or Limits()
    if processor is not None:
        try:
            pickle.dumps(processor)
        except Exception as e:  # noqa: BLE001 - any pickling failure means the same thing
            raise TypeError(f"processor must be importable by name (it runs in a worker process): {e}") from e
    own_pool = pool is None
    workers = pool or WorkerPool(
        limits.workers, limits.max_pending, initializer=partial(warm_up, limits.worker_memory_mb)
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        yield
        if own_pool:
            workers.close()

    # FastAPI's own /docs and /redoc pull Swagger/ReDoc from a CDN; we serve a local page.
    app = FastAPI(
        title="diemtin",
        version=__version__,
        description="Vietnamese multi-document news digests with sources for every sentence.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = workers
    app.state.limits = limits
    origins = list(cors_origins or [])
    if origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"], allow_headers=["*"])
    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=limits.max_body_bytes,
        body_timeout_s=limits.body_timeout_s,
        allowed_hosts=allowed_hosts,
        allowed_origins=origins,
        max_pending_per_client=limits.max_pending_per_client,
    )
    _add_error_handlers(app)
    _add_api_routes(app, _Jobs(InputChecker(limits, allow_urls, processor), workers, limits))
    _add_pages(app)
    if db:  # the archive's pages and API (diemtin serve --db FILE)
        app.include_router(__import__("diemtin.app.archive_api", fromlist=["x"]).archive_router(db))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _hoist_request_schemas(app)
    return app


def _error_response(e: ApiError) -> Response:
    return Response(json_bytes(e.payload()), e.status, headers=e.headers, media_type="application/json")


_HTTP_CODES = {
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức HTTP này không được hỗ trợ ở đây."),
}


def _add_error_handlers(app: FastAPI) -> None:
    """Every error leaves as the one JSON shape (``ApiError.payload``), in Vietnamese."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> Response:
        return _error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
        code, message = _HTTP_CODES.get(exc.status_code, (f"http_{exc.status_code}", "Yêu cầu không hợp lệ."))
        return _error_response(ApiError(exc.status_code, code, message, None, getattr(exc, "headers", None)))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> Response:
        detail = [
            {"loc": [printable(x) for x in e.get("loc", ())], "msg": printable(e.get("msg"), 200)} for e in exc.errors()
        ]
        return _error_response(ApiError(422, "invalid_parameter", "Tham số không hợp lệ.", detail))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return _error_response(ApiError(500, "internal_error", "Lỗi máy chủ.", type(exc).__name__))


class _Jobs:
    """A request in, a job read and checked, run in a worker under the time limit, a reply out."""

    def __init__(self, checker: InputChecker, workers: WorkerPool, limits: Limits) -> None:
        self.checker, self.workers, self.limits = checker, workers, limits

    async def read(self, request: Request, output: str) -> Job:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/json" or ctype.endswith("+json"):
            return await self.checker.from_json(await request.body(), output)
        if ctype == "multipart/form-data":
            return await self.checker.from_form(request, output)
        raise ApiError(
            415,
            "unsupported_media_type",
            "Hãy gửi application/json hoặc multipart/form-data.",
            {"content_type": printable(ctype) or None},
        )

    async def answer(self, job: Job) -> Response:
        t = time.perf_counter()
        workers, timeout = self.workers, self.limits.request_timeout_s
        try:
            if workers.pending >= self.limits.max_pending:  # this app's share of a possibly shared pool
                raise PoolBusy(workers.pending)
            reply = await workers.run(run_job, (job,), timeout)
        except PoolBusy:
            raise ApiError(
                503,
                "busy",
                "Máy chủ đang bận, hãy thử lại sau ít giây.",
                {"pending": workers.pending},
                {"Retry-After": "5"},
            ) from None
        except JobTimeout:
            raise ApiError(
                504, "timeout", f"Quá thời gian xử lý ({timeout:g} giây); việc xử lý đã dừng.", {"timeout_s": timeout}
            ) from None
        except WorkerLost:
            raise ApiError(
                503, "worker_lost", "Tiến trình xử lý dừng đột ngột (có thể thiếu bộ nhớ); hãy gửi ít bài hơn."
            ) from None
        except JobFailed as e:
            log.error("job failed in the worker: %s", e)
            raise ApiError(500, "internal_error", "Lỗi máy chủ khi xử lý yêu cầu.") from None
        log.info("%s: %d in %.0f ms", job.output, reply.status, (time.perf_counter() - t) * 1000)
        return Response(reply.body, reply.status, headers=reply.headers, media_type=reply.media_type)


_DIGEST_DOC = _body_doc(DigestRequest)
_CLEAN_DOC = _body_doc(CleanRequest)


def _add_api_routes(app: FastAPI, jobs: _Jobs) -> None:
    @app.post(
        "/api/digest",
        summary="Digest a pile of articles",
        openapi_extra={"requestBody": _DIGEST_DOC["requestBody"]},
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
        return await jobs.answer(await jobs.read(request, format))

    @app.post(
        "/api/clean",
        summary="Clean articles (no digest)",
        openapi_extra={"requestBody": _CLEAN_DOC["requestBody"]},
        responses={200: {"description": "Cleaned articles and problems"}, **_ERROR_RESPONSES},
    )
    async def api_clean(request: Request) -> Response:
        return await jobs.answer(await jobs.read(request, "clean"))

    @app.get("/api/health", summary="Liveness and load")
    async def api_health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, **jobs.workers.stats()}

    @app.get("/api/parts", summary="The digest parts, with their Vietnamese headings")
    async def api_parts() -> dict[str, Any]:
        from diemtin.render.formats import parts_catalogue

        return {"parts": parts_catalogue()}


def _add_pages(app: FastAPI) -> None:
    """The browser page, its icon and the local API docs (no CDN)."""

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html", media_type="text/html; charset=utf-8")


def _hoist_request_schemas(app: FastAPI) -> None:
    """Hoist the pydantic $defs of our hand-written request bodies into components."""
    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original_openapi()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(_DIGEST_DOC["x-defs"])
        components.update(_CLEAN_DOC["x-defs"])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# ---------------------------------------------------------------- running


def _raw_response(status: int, reason: str, payload: dict[str, Any], retry_after: int | None = None) -> bytes:
    """A whole HTTP/1.1 error answer with a JSON body, for the protocol layer (no app runs)."""
    body = json_bytes(payload)
    head = [f"HTTP/1.1 {status} {reason}", "content-type: application/json", "connection: close"]
    head.append(f"content-length: {len(body)}")
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}")
    head += [f"{k.decode()}: {v.decode()}" for k, v in SECURITY_HEADERS]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def guarded_protocol(header_timeout_s: float, max_connections: int | None = None) -> type:
    """uvicorn's h11 protocol with a deadline on each request's head (request line and
    headers): a client sending nothing, or trickling header bytes (slowloris), is answered
    408 and dropped. uvicorn itself only times idle keep-alive connections.

    uvicorn's own answers are plain text; here they are JSON like every other error: a
    malformed request (bad request line or headers, a head over the size limit) gets 400
    ``invalid_http``, and a connection over ``max_connections`` gets 503 ``too_many_connections``
    (this replaces uvicorn's ``limit_concurrency``; each connection runs one request at a time)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    invalid = _raw_response(
        400,
        "Bad Request",
        {
            "error": "invalid_http",
            "message": "Yêu cầu HTTP không hợp lệ (dòng yêu cầu hoặc tiêu đề sai, hoặc tiêu đề quá dài).",
            "detail": {"max_header_bytes": MAX_HEADER_BYTES},
        },
    )

    async def over_cap(scope: Scope, receive: Receive, send: Send) -> None:
        await _send_error(
            send,
            503,
            "too_many_connections",
            "Máy chủ đang có quá nhiều kết nối; hãy thử lại sau ít giây.",
            {"max_connections": max_connections},
            close=True,
            retry_after=RETRY_AFTER_S,
        )

    response = _raw_response(
        408,
        "Request Timeout",
        {
            "error": "header_timeout",
            "message": "Gửi tiêu đề yêu cầu quá chậm.",
            "detail": {"timeout_s": header_timeout_s},
        },
    )

    class GuardedH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                # asyncio sets this only on sockets created with proto=IPPROTO_TCP; without
                # it the body waits for the client's delayed ACK after the head (~40 ms).
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()
            if max_connections is not None and len(self.connections) > max_connections:
                log.warning("over the connection cap (%d)", max_connections)
                self.app = over_cap  # this connection's request is answered 503, then closed

        def send_400_response(self, msg: str) -> None:
            if not self.transport.is_closing():
                self.transport.write(invalid)
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            if self._head_timer is None and self.conn.their_state is h11.IDLE:
                self._arm()  # the next request on a kept-alive connection
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(header_timeout_s, self._head_timeout)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timeout(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.write(response)
                self.transport.close()

    return GuardedH11Protocol


def server_config(app: ASGIApp, limits: Limits, **kwargs: Any) -> Any:
    """The uvicorn settings that hold against slow or many clients."""
    import uvicorn

    return uvicorn.Config(
        app,
        http=guarded_protocol(limits.header_timeout_s, limits.max_connections),
        timeout_keep_alive=int(max(1, limits.keep_alive_s)),
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        **kwargs,
    )


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

    limits = limits or Limits()
    hosts = list(LOOPBACK_HOSTS) if host in LOOPBACK_HOSTS else None
    app = create_app(limits=limits, allow_urls=allow_urls, cors_origins=cors_origins, allowed_hosts=hosts, db=db)
    app.state.pool.start()  # workers warm up while uvicorn starts
    uvicorn.Server(server_config(app, limits, host=host, port=port, log_level="info")).run()


class BackgroundServer:
    """uvicorn in a daemon thread on a free loopback port (tests and benchmarks), with the
    same protections as :func:`run`. The socket is bound before uvicorn starts, so there is
    no pick-a-port race."""

    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.host, self.port = self.sock.getsockname()[:2]
        limits = getattr(getattr(app, "state", None), "limits", None) or Limits()
        config = server_config(app, limits, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
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
