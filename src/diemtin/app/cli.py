"""The ``diemtin`` command: digest, clean, eval, serve.

Exit codes: 0 all inputs used; 1 some inputs or parts failed (reported on stderr, one line
each, the rest processed); 2 nothing could be processed or the command was used wrongly.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import click
import regex

from diemtin import pipeline, render
from diemtin.ingest.read import read_inputs
from diemtin.model import Cluster, Problem
from diemtin.options import ALL_PARTS, DEFAULT_WORDS, MAX_WORDS, MIN_WORDS, DigestOptions

FORMATS = ("json", "md", "text")
_DEFAULTS = DigestOptions()
# Control characters (a newline in a file name ...) and lone surrogates would break the
# one-line-per-problem promise or the UTF-8 of stderr: shown escaped instead.
_UNPRINTABLE = regex.compile(r"[\p{Cc}\p{Cs}\u2028\u2029]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: ascii(m.group(0))[1:-1], text)


def _report_problems(clusters: list[Cluster]) -> int:
    """Print problems one per line on stderr; return the number of fatal ones."""
    fatal = 0
    for c in clusters:
        for p in c.problems:
            level = "lỗi" if p.fatal else "cảnh báo"
            text = render.formats.problem_text(p.message)  # Vietnamese, whichever stage wrote it
            click.echo(f"diemtin: {level}: {_printable(p.source)}: {_printable(text)}", err=True)
            fatal += p.fatal
    return fatal


def _utf8_streams() -> None:
    # Output is UTF-8 whatever the locale; a character that still cannot be written is
    # replaced rather than ending the run with a traceback.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _exit_code(clusters: list[Cluster], fatal: int) -> int:
    if not any(c.articles for c in clusters):
        return 2
    return 1 if fatal else 0


def _render(cluster: Cluster, fmt: str, many: bool) -> str:
    if fmt == "json":
        return render.to_json(cluster, indent=None if many else 2) + "\n"
    if fmt == "md":
        return render.to_markdown(cluster)
    return render.to_text(cluster)


def _render_guarded(cluster: Cluster, fmt: str, many: bool) -> str | None:
    """The cluster rendered, or None with a problem on the cluster (the batch goes on)."""
    try:
        return _render(cluster, fmt, many)
    except Exception as e:  # noqa: BLE001
        cluster.problems.append(
            Problem(f"cụm {cluster.id}", f"lỗi khi xuất kết quả ({type(e).__name__}: {e})", stage="render")
        )
        return None


def _limits(max_article_bytes: int, time_budget: float) -> dict[str, object]:
    return {"max_article_bytes": max_article_bytes, "cluster_time_budget_s": time_budget or None}


@click.group()
@click.version_option(package_name="diemtin")
def main() -> None:
    """diemtin: Vietnamese news piles -> sourced, non-redundant digests."""
    _utf8_streams()


_max_article = click.option(
    "--max-article-bytes", type=click.IntRange(1), default=_DEFAULTS.max_article_bytes, show_default=True,
    help="An article longer than this (UTF-8 bytes) is skipped and reported.")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--words", "-w", default=DEFAULT_WORDS, show_default=True, type=click.IntRange(MIN_WORDS, MAX_WORDS),
              help="Summary length budget in syllables.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--parts", default=",".join(ALL_PARTS), show_default=True,
              help="Comma-separated parts to produce.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--no-progress", is_flag=True, help="No progress bar for many clusters.")
@click.option("--split", is_flag=True, help="Each input pile is a mix of stories: split it, one digest per story.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Worker processes for many clusters (or the stories of one split pile).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on an existing Dask cluster (tcp://host:8786) instead; needs diemtin[dask].")
@_max_article
@click.option("--time-budget", type=click.FloatRange(0), default=_DEFAULTS.cluster_time_budget_s, show_default=True,
              help="Seconds per cluster; parts past it are skipped and reported (0: no limit).")
def digest(
    inputs: tuple[str, ...], words: int, fmt: str, parts: str, output: str | None, no_progress: bool,
    split: bool, jobs: int, scheduler: str | None, max_article_bytes: int, time_budget: float,
) -> None:
    """Digest INPUTS: files, folders, .jsonl files or URLs.

    One story gives one digest; a file of many clusters (AbMuSu JSON Lines) gives one
    digest per cluster, in input order (JSON Lines with --format json). With --split, each
    story found gets its own digest, and --format json always gives JSON Lines.
    """
    from diemtin.app.parallel import digest_clusters

    wanted = [p.strip() for p in parts.split(",") if p.strip()]
    unknown = set(wanted) - set(ALL_PARTS)
    if unknown:
        raise click.BadParameter(f"không có phần: {', '.join(sorted(unknown))} (chọn trong {', '.join(ALL_PARTS)})",
                                 param_hint="--parts")
    limits = _limits(max_article_bytes, time_budget)
    options = dataclasses.replace(_DEFAULTS, words=words, parts=tuple(wanted), **limits)
    clusters = read_inputs(list(inputs), max_article_bytes=options.max_article_bytes)
    # with --split the number of stories is only known at the end: always JSON Lines then
    many = len(clusters) > 1 or split
    done: list[Cluster] = []  # the digested clusters (workers return copies)
    written = 0
    try:
        out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    except OSError as e:
        raise click.BadParameter(f"không mở được {output} để ghi ({e.strerror or e})", param_hint="--output") from e
    try:
        results = digest_clusters(clusters, options, split=split, jobs=jobs, scheduler=scheduler)
        if len(clusters) > 1 and not no_progress:
            from tqdm import tqdm

            results = tqdm(results, total=len(clusters), desc="digest", unit="cluster", file=sys.stderr)
        for stories in results:
            for cluster in stories:
                text = _render_guarded(cluster, fmt, many) if cluster.articles or fmt == "json" else None
                if text is not None:
                    # digests apart: Markdown always, text when it holds more than summaries
                    if written and (fmt == "md" or (fmt == "text" and options.parts != ("summary",))):
                        out.write("\n---\n\n")
                    out.write(text)
                    written += 1
                done.append(cluster)
            out.flush()
    except BrokenPipeError:  # `diemtin digest ... | head`: the reader has seen enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush is silent
        sys.exit(1)
    finally:
        if output:
            out.close()
    sys.exit(_exit_code(done, _report_problems(done)))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--show-removed", is_flag=True, help="Also list the lines that were dropped, with reasons.")
@_max_article
def clean(inputs: tuple[str, ...], fmt: str, show_removed: bool, max_article_bytes: int) -> None:
    """Print the cleaned articles: exactly the text the summarizer sees."""

    clusters = read_inputs(list(inputs), max_article_bytes=max_article_bytes)
    for cluster in clusters:
        pipeline.clean(cluster)
        for a in cluster.articles:
            if fmt == "json":
                record = {"id": a.id, "path": a.path, "url": a.url, "title": a.title, "published": a.published,
                          "published_source": a.published_source, "duplicate_of": a.duplicate_of, "text": a.text}
                if show_removed:
                    record["removed"] = [{"line": r.line, "text": r.text, "reason": r.reason} for r in a.removed]
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(f"# {a.title}\n")
                if a.published:
                    click.echo(f"({render.formats.vn_datetime(a.published)})\n")  # as a person reads it
                click.echo(a.text + "\n")
                if show_removed:
                    for r in a.removed:
                        click.echo(f"  [removed line {r.line}: {r.reason}] {r.text}")
                    click.echo("")
    sys.exit(_exit_code(clusters, _report_problems(clusters)))


@main.command(name="eval")
@click.option("--dataset", "-d", "datasets", multiple=True, default=("abmusu", "vims"), show_default=True,
              help="'abmusu', 'vims' or a path (AbMuSu .jsonl or ViMs folder). Repeatable.")
@click.option("--systems", default=None, help="Comma-separated systems (default: diemtin and all baselines).")
@click.option("--limit", type=int, default=None, help="Only the first N clusters of each dataset.")
@click.option("--jobs", "-j", type=int, default=os.cpu_count() or 1, show_default="CPU count",
              help="Worker processes.")
@click.option("--words", "-w", type=click.IntRange(MIN_WORDS, MAX_WORDS), default=None,
              help="Fixed budget in syllables (default: each cluster's mean reference length).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="eval-results.json", show_default=True,
              help="Where to write the full results as JSON.")
def eval_(
    datasets: tuple[str, ...], systems: str | None, limit: int | None, jobs: int, words: int | None, output: str
) -> None:
    """Score diemtin and baselines with syllable ROUGE against human summaries."""
    from diemtin.evaluation import evaluate
    names = [s.strip() for s in systems.split(",")] if systems else None
    result = evaluate.run_eval(list(datasets), systems=names, limit=limit, words=words, progress=True, jobs=jobs)
    Path(output).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(evaluate.format_table(result))
    click.echo(f"(full results in {output})", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--allow-urls", is_flag=True, help="Let API clients submit URLs for the server to fetch.")
@click.option("--cors-origin", "cors_origins", multiple=True, help="Allow this origin (CORS is closed by default).")
@click.option("--db", default=None, type=click.Path(dir_okay=False), help="Also serve this story archive (/archive).")
def serve(host: str, port: int, allow_urls: bool, cors_origins: tuple[str, ...], db: str | None) -> None:
    """Start the HTTP API and the web page."""
    from diemtin.app import serve as server
    server.run(host=host, port=port, allow_urls=allow_urls, cors_origins=list(cors_origins) or None, db=db)


main.add_command(__import__("diemtin.app.archive_cli", fromlist=["archive"]).archive)

if __name__ == "__main__":  # pragma: no cover
    main()
