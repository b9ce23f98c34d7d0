"""``diemtin archive``: add articles to a story archive, list stories, show digests and
updates, search. Exit codes as ``digest``: 0 all used, 1 some inputs failed, 2 nothing usable."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any

import click

from diemtin.archive import Archive, ArchiveBusy, SchemaError
from diemtin.archive import config as archive_config

DB = click.option("--db", "db", required=True, type=click.Path(dir_okay=False), help="The archive (SQLite file).")


def _since(_: Any, __: Any, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        (datetime if "T" in value else date).fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(f"not an ISO date or datetime: {value}") from e
    return value


SINCE = click.option("--since", callback=_since, metavar="DATE", help="ISO date (2022-01-10) or datetime.")


def _open(db: str, readonly: bool) -> Archive:
    try:
        return Archive(db, readonly=readonly)
    except (FileNotFoundError, SchemaError) as e:
        click.echo(f"diemtin: error: {e}", err=True)
        sys.exit(2)


@click.group()
def archive() -> None:
    """A story archive that grows as articles arrive."""


@archive.command()
@DB
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Processes cleaning articles (and digesting stories).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Clean, vectorize and digest on an existing Dask cluster (tcp://host:8786).")
@click.option("--no-digest", is_flag=True, help="Do not digest the changed stories now (done when shown).")
@click.option("--words", "-w", default=archive_config.DEFAULT_WORDS, show_default=True,
              type=click.IntRange(10, 5000), help="Digest length in syllables.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--batch", default=archive_config.BATCH_ARTICLES, show_default=True, type=click.IntRange(1),
              help="Articles committed per transaction (all a crash can lose).")
@click.option("--format", "-f", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def add(db: str, inputs: tuple[str, ...], jobs: int, scheduler: str | None, no_digest: bool, words: int,
        no_progress: bool, batch: int, fmt: str) -> None:
    """Add INPUTS (anything `digest` reads) to the archive; the same article twice is stored once."""
    with _open(db, readonly=False) as ar:
        try:
            report = ar.add(list(inputs), jobs=jobs, scheduler=scheduler, digest=not no_digest, words=words,
                            progress=not no_progress, batch=batch)
        except ArchiveBusy as e:
            click.echo(f"diemtin: error: {e}", err=True)
            sys.exit(2)
        for p in report.problems:
            click.echo(f"diemtin: {'error' if p.fatal else 'warning'}: {p}", err=True)
        counts = report.as_dict()
        if fmt == "json":
            click.echo(json.dumps({**counts, "archive": ar.counts()}, ensure_ascii=False))
        else:
            total = ar.counts()
            click.echo(f"added {counts['added']}, duplicates {counts['duplicates']}, replaced {counts['replaced']}, "
                       f"problems {counts['problems']}; stories changed {counts['stories_changed']}, "
                       f"digested {counts['digested']}; archive: {total['articles']} articles, "
                       f"{total['stories']} stories")
    fatal = sum(p.fatal for p in report.problems)
    if not (report.added or report.duplicates or report.replaced) and fatal:
        sys.exit(2)
    sys.exit(1 if fatal else 0)


@archive.command()
@DB
@SINCE
@click.option("--format", "-f", "fmt", type=click.Choice(("json", "md")), default="json", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many stories.")
def stories(db: str, since: str | None, fmt: str, limit: int | None) -> None:
    """The stories, newest first (those active since DATE with --since)."""
    with _open(db, readonly=True) as ar:
        rows = ar.stories(since=since, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo("# Các câu chuyện" + (f" từ {since}" if since else "") + "\n")
    for r in rows:
        click.echo(f"- **{r['id']}** {r['title']} — {r['size']} bài, {r['first_seen']} → {r['last_seen']}")


@archive.command()
@DB
@click.argument("story", type=int)
@SINCE
@click.option("--format", "-f", "fmt", type=click.Choice(("md", "json", "text")), default="md", show_default=True)
@click.option("--words", "-w", default=archive_config.DEFAULT_WORDS, show_default=True, type=click.IntRange(10, 5000))
def show(db: str, story: int, since: str | None, fmt: str, words: int) -> None:
    """A story's digest; with --since, the update: what its articles since DATE add."""
    with _open(db, readonly=False) as ar:
        try:
            out = ar.show(story, since=since, fmt=fmt, words=words)
        except KeyError:
            click.echo(f"diemtin: error: no story {story}", err=True)
            sys.exit(2)
    click.echo(json.dumps(out, ensure_ascii=False, indent=2) if isinstance(out, dict) else out)


@archive.command()
@DB
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--format", "-f", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def search(db: str, query: str, limit: int, fmt: str) -> None:
    """Full-text search over articles and stories (syllables, diacritics kept)."""
    with _open(db, readonly=True) as ar:
        hits = ar.search(query, limit)
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for s in hits["stories"]:
        click.echo(f"câu chuyện {s['id']}: {s['title']} ({s['size']} bài)")
    for a in hits["articles"]:
        click.echo(f"bài {a['id']} (câu chuyện {a['story']}): {a['title']}\n    {a['snippet']}")
    if not hits["stories"] and not hits["articles"]:
        click.echo("Không tìm thấy kết quả.")


@archive.command(name="digest")
@DB
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256))
@click.option("--scheduler", default=None, metavar="ADDRESS")
@click.option("--words", "-w", default=archive_config.DEFAULT_WORDS, show_default=True, type=click.IntRange(10, 5000))
def digest_(db: str, jobs: int, scheduler: str | None, words: int) -> None:
    """Compute every stale digest now (after `add --no-digest`)."""
    with _open(db, readonly=False) as ar:
        n = ar.refresh_stale(jobs=jobs, scheduler=scheduler, words=words)
    click.echo(f"digested {n} stories")
