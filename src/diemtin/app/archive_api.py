"""The archive over HTTP (``diemtin serve --db FILE``): story list with search, a story's
digest, its update since a date, and the page that shows them (``/archive``).

Each request opens the archive read-only: ``archive add`` can write at the same time (WAL),
readers see the last committed batch. A stale digest is computed for the answer, not stored.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, PlainTextResponse, Response

from diemtin.archive import Archive
from diemtin.render import to_dict, to_markdown
from diemtin.render.formats import vn_datetime

STATIC_DIR = Path(__file__).parent / "static"


def _readable(story: dict[str, Any] | None) -> dict[str, Any] | None:
    """A story record with its dates as a person reads them (``first_seen_text``, ``last_seen_text``)
    beside the ISO ones, so the page needs no date formatter of its own."""
    if story is None:
        return None
    return {**story, **{f"{k}_text": vn_datetime(story[k]) if story.get(k) else None
                        for k in ("first_seen", "last_seen")}}


def _check_since(since: str | None) -> str | None:
    if since is None or since == "":
        return None
    try:
        (datetime if "T" in since else date).fromisoformat(since)
    except ValueError as e:
        raise HTTPException(422, f"since: không phải ngày ISO (YYYY-MM-DD): {since}") from e
    return since


def archive_router(db: str | Path) -> APIRouter:
    """Routes on the archive at ``db`` (opened per request, read-only)."""
    router = APIRouter()

    def open_ro() -> Archive:
        try:
            return Archive(db, readonly=True)
        except FileNotFoundError as e:
            raise HTTPException(503, "không tìm thấy kho lưu trữ") from e

    @router.get("/archive", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "archive.html", media_type="text/html; charset=utf-8")

    @router.get("/api/archive/stories", summary="Stories, newest first (archive)")
    def stories(
        since: str | None = Query(None, description="only stories active since this ISO date"),
        limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        with open_ro() as ar:
            listed = ar.stories(since=_check_since(since), limit=limit, offset=offset)
            return {"stories": [_readable(s) for s in listed], "counts": ar.counts()}

    @router.get("/api/archive/search", summary="Full-text search over articles and stories")
    def search(q: str = Query(..., min_length=1, max_length=500), limit: int = Query(20, ge=1, le=200)) -> Any:
        with open_ro() as ar:
            found = ar.search(q, limit)
        return {**found, "stories": [_readable(s) for s in found.get("stories", [])]}

    @router.get("/api/archive/stories/{story}", summary="A story's digest, or its update since a date")
    def story(
        story: int, since: str | None = Query(None, description="update: what articles since then add"),
        format: str = Query("json", pattern="^(json|md)$"),
    ) -> Response:
        since = _check_since(since)
        with open_ro() as ar:
            try:
                if since:
                    cluster = ar.update(story, since)
                    data, md = to_dict(cluster), to_markdown(cluster)
                else:
                    data, md, _ = ar.digest(story)
            except KeyError as e:
                raise HTTPException(404, f"không có câu chuyện số {story}") from e
            info = _readable(ar.story_info(story))
        if format == "md":
            return PlainTextResponse(md, media_type="text/markdown; charset=utf-8")
        from fastapi.responses import JSONResponse

        return JSONResponse({"story": info, "since": since, "since_text": vn_datetime(since) if since else None,
                             "digest": data})

    return router
