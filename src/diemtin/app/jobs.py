"""What a worker process does for one HTTP request: read the inputs (pasted articles,
uploaded bytes, URLs), digest or clean them, render the answer as bytes.

Everything slow or unbounded happens here, in a process the server can kill: URL fetching,
HTML extraction, the pipeline, rendering. The server itself only checks the request's
shape. One failure never sinks the rest: a bad input is a ``problem``, a cluster whose
digest fails is returned with what is known and the error listed (HTTP 200, never 500).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from diemtin.errors import InputError
from diemtin.ingest.fetch import DEFAULT_POLICY, FetchPolicy, fetch_article
from diemtin.ingest.read import article_from_record, read_files, read_inputs
from diemtin.model import Article, Cluster, Digest, Problem
from diemtin.options import ALL_PARTS, DigestOptions

MAX_PARALLEL_FETCHES = 4  # URLs of one request fetched at once (each waits on the network)

# A processor digests one cluster in place with the request's options (words, parts and
# the shared bounds); the default is the real pipeline. It must be importable by name: it
# runs in a worker process. Tests pass slow or failing ones.
Processor = Callable[[Cluster, DigestOptions], Cluster]


def pipeline_processor(cluster: Cluster, options: DigestOptions) -> Cluster:
    from diemtin import pipeline

    return pipeline.process(cluster, options=options)


# ---------------------------------------------------------------- errors as answers


class ApiError(Exception):
    """An answer other than 200: a stable machine code, a Vietnamese message, details."""

    def __init__(
        self, status: int, error: str, message: str, detail: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{error}: {message}")
        self.status, self.error, self.message, self.detail, self.headers = status, error, message, detail, headers

    def payload(self) -> dict[str, Any]:
        return {"error": self.error, "message": self.message, "detail": self.detail}


def printable(value: Any, limit: int = 80) -> str:
    """A client-sent value as it may appear in an error: short, valid UTF-8, never raw."""
    text = repr(value) if not isinstance(value, str) else value
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def json_bytes(obj: Any) -> bytes:
    """Strict JSON (no NaN), valid UTF-8 whatever strings it holds."""
    try:
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8", "replace")  # a lone surrogate that slipped through becomes "?"


def problems_detail(clusters: Sequence[Cluster]) -> list[dict[str, str]]:
    return [{"source": p.source, "message": p.message} for c in clusters for p in c.problems]


def no_usable_article(clusters: Sequence[Cluster]) -> ApiError:
    return ApiError(
        422, "no_usable_article", "Không có bài báo nào dùng được trong yêu cầu.", problems_detail(clusters)
    )


def too_many_articles(n: int, limit: int) -> ApiError:
    return ApiError(
        413, "too_many_articles", f"Quá nhiều bài: {n} bài, tối đa {limit} bài mỗi yêu cầu.", {"limit": limit, "got": n}
    )


def too_large_problem(source: str, n: int, limit: int) -> Problem:
    return Problem(source, f"bài quá dài ({n:,} byte > {limit:,}); bỏ qua")


def invalid_text_problem(source: str) -> Problem:
    return Problem(source, "văn bản chứa ký tự Unicode không hợp lệ (surrogate lẻ); bài bị từ chối")


# ---------------------------------------------------------------- the job


@dataclass
class Source:
    """One input of a request: a pasted article (already checked), an uploaded file, a URL."""

    kind: Literal["record", "file", "url"]
    name: str  # articles[i], the upload's safe file name, or the URL
    record: dict[str, Any] | None = None
    data: bytes = b""


@dataclass
class Job:
    sources: list[Source]
    words: int
    parts: tuple[str, ...]
    output: Literal["json", "md", "clean"]
    options: DigestOptions = field(default_factory=DigestOptions)
    fetch: FetchPolicy = DEFAULT_POLICY
    problems: list[Problem] = field(default_factory=list)  # found by the server while checking
    processor: Processor | None = None


@dataclass
class Reply:
    status: int
    body: bytes
    media_type: str = "application/json"
    headers: dict[str, str] | None = None


def error_reply(e: ApiError) -> Reply:
    return Reply(e.status, json_bytes(e.payload()), headers=e.headers)


def run_job(job: Job) -> Reply:
    """The whole request, in the worker. Never raises: every outcome is a :class:`Reply`."""
    try:
        clusters = read_job(job)
        if job.output == "clean":
            return Reply(200, json_bytes(clean_payload(clusters)))
        return digest_reply(job, clusters)
    except ApiError as e:
        return error_reply(e)


def _fetch_all(urls: list[str], policy: FetchPolicy) -> dict[str, Article | InputError]:
    def one(url: str) -> Article | InputError:
        try:
            return fetch_article(url, policy)
        except InputError as e:
            return e

    if not urls:
        return {}
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_FETCHES, len(urls))) as pool:
        return dict(zip(urls, pool.map(one, urls), strict=True))


def read_job(job: Job) -> list[Cluster]:
    """The request's clusters of raw articles, checked against the limits."""
    fetched = _fetch_all(sorted({s.name for s in job.sources if s.kind == "url"}), job.fetch)
    problems = list(job.problems)
    articles: list[Article] = []
    for i, src in enumerate(job.sources):
        if src.kind == "record":
            assert src.record is not None
            try:
                articles.append(article_from_record(src.record, str(src.record.get("id") or f"a{i + 1}"), src.name))
            except InputError as e:
                problems.append(Problem(e.source, e.message))
            except Exception as e:  # noqa: BLE001 - one bad article never sinks the batch
                problems.append(Problem(src.name, f"không đọc được bài ({type(e).__name__})"))
        elif src.kind == "url":
            got = fetched[src.name]
            if isinstance(got, InputError):
                problems.append(Problem(got.source, got.message))
            else:
                articles.append(copy.copy(got))  # the same URL twice: two articles, two ids
    limit = job.options.max_article_bytes
    clusters = read_inputs(articles, max_article_bytes=limit) if articles else []
    files = [(s.name, s.data) for s in job.sources if s.kind == "file"]
    if files:
        clusters += read_files(files, max_article_bytes=limit)
    if not clusters:
        clusters = [Cluster(id="pile")]
    clusters[0].problems[:0] = problems
    return enforce_limits(clusters, job.options)


def enforce_limits(clusters: list[Cluster], options: DigestOptions) -> list[Cluster]:
    """The article count over the whole request (an upload may hold many); each article's
    size was checked by the reader (``max_article_bytes``)."""
    total = sum(len(c.articles) for c in clusters)
    if total > options.max_articles:
        raise too_many_articles(total, options.max_articles)
    if not any(c.articles for c in clusters):
        raise no_usable_article(clusters)
    return clusters


def _render(cluster: Cluster, output: str) -> Any:
    from diemtin.render import to_dict, to_markdown

    render = to_markdown if output == "md" else to_dict
    try:
        return render(cluster)
    except Exception as e:  # noqa: BLE001 - a part that cannot be rendered is dropped, not the answer
        cluster.problems.append(Problem(cluster.id, f"không trình bày được điểm tin ({type(e).__name__}: {e})"))
        cluster.digest = Digest(stats=cluster.digest.stats if cluster.digest else {})
        return render(cluster)


def digest_reply(job: Job, clusters: list[Cluster]) -> Reply:
    process = job.processor or pipeline_processor
    options = dataclasses.replace(job.options, words=job.words, parts=job.parts)
    out = []
    # A cluster left with no article (e.g. a JSONL line with empty ``single_documents``) is
    # not digested: its problems go with the first cluster that is, never lost.
    orphans = [p for c in clusters if not c.articles for p in c.problems]
    for c in clusters:
        if not c.articles:
            continue
        c.problems[:0], orphans = orphans, []
        try:
            process(c, options)
        except Exception as e:  # noqa: BLE001 - the HTTP half of "one failure never sinks anything"
            c.problems.append(Problem(c.id, f"lỗi khi tạo điểm tin ({type(e).__name__}: {e}); trả về phần đã có"))
            if c.digest is None:
                c.digest = Digest()
        out.append(_render(c, job.output))
    if not any(c.articles for c in clusters):
        raise no_usable_article(clusters)  # e.g. every article was boilerplate the cleaner removed
    if job.output == "md":
        return Reply(200, "\n\n".join(out).encode("utf-8", "replace"), "text/markdown; charset=utf-8")
    return Reply(200, json_bytes(out[0] if len(out) == 1 else out))


def clean_payload(clusters: list[Cluster]) -> dict[str, Any]:
    from diemtin import pipeline

    articles, problems = [], []
    for c in clusters:
        try:
            pipeline.clean(c)
        except Exception as e:  # noqa: BLE001 - listed, the other clusters still cleaned
            c.problems.append(Problem(c.id, f"lỗi khi làm sạch ({type(e).__name__}: {e})"))
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


def warm_up(memory_mb: int | None = None) -> None:
    """Worker start: a memory ceiling (a runaway input raises MemoryError, reported as a
    problem, instead of swapping the machine), one BLAS thread (N workers on N cores),
    models loaded before the first job."""
    from threadpoolctl import threadpool_limits

    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    threadpool_limits(1)
    text = "Ngày 10/1, Nga và Mỹ đàm phán tại Geneva. Ông Sergei Ryabkov nói cuộc gặp kéo dài 7,5 giờ."
    try:
        warm = Cluster(id="warm", articles=[Article(id="w", title="Khởi động", raw_text=text)])
        pipeline_processor(warm, DigestOptions(words=30, parts=ALL_PARTS))
    except Exception:  # noqa: BLE001, S110 - warming is an optimisation; the first job will report
        pass
