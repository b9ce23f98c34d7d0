"""Runs the stages in order on each cluster: clean -> segment -> dedup -> select -> extract.

This module is the only place that knows the order. Each stage is declared once as a
:class:`Component` saying which model fields it ``requires`` and which it ``assigns``
(as spaCy's components do); :func:`check_order` verifies the declared order once, at
import. A digest part is one component here plus its renderer in ``diemtin.render``.

One failure never sinks anything else: an exception in a stage for one article drops that
article, for one cluster skips that part (and the parts that need it); either becomes a
:class:`~diemtin.model.Problem` naming the article or cluster, the stage and the error,
and the rest of the digest is still produced. Parts past the cluster's time budget are
skipped and reported the same way (see :class:`~diemtin.options.DigestOptions`).
"""

from __future__ import annotations

import _signal
import dataclasses
import gc
import signal
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from diemtin.clean import clean_article
from diemtin.dates import find_dates
from diemtin.dedup import mark_duplicates
from diemtin.extract.entities import extract_entities
from diemtin.extract.figures import extract_figures
from diemtin.extract.quotes import extract_quotes
from diemtin.extract.timeline import extract_timeline
from diemtin.ingest.encoding import vietnamese_ratio
from diemtin.ingest.read import Input, read_inputs
from diemtin.lang.tokens import count_syllables
from diemtin.model import Article, Cluster, Digest, Problem
from diemtin.options import ALL_PARTS, DEFAULT_WORDS, DigestOptions
from diemtin.segment import segment_article
from diemtin.select.selector import summarize

__all__ = [
    "ALL_PARTS", "COMPONENTS", "Component", "DEFAULT_WORDS", "DigestOptions", "check_order", "clean", "digest",
    "finish", "prepare", "prepare_and_split", "process", "split_and_process",
]

LANGUAGE_SAMPLE = 600  # characters: a few hundred tell the language; the whole text costs far more
MIN_VIETNAMESE = 0.5  # share of Vietnamese syllables below which an article is flagged

# What the read stage (``diemtin.ingest``) gives every article before any component runs.
READ_ASSIGNS = frozenset({"article.title", "article.raw_text", "article.lead", "article.published", "article.path"})


@dataclass(frozen=True)
class Component:
    """One stage, declared with the model fields it reads and writes.

    Fields are ``"article.<attr>"``, ``"cluster.<attr>"`` or ``"digest.<attr>"``.
    ``per_article`` components get one article at a time (a failure drops that article);
    the others get the whole cluster (a failure skips what they assign). ``part`` names the
    digest part a component produces (its output is shown only when that part is asked for).
    """

    name: str
    run: Callable[..., Any]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    per_article: bool = False
    part: str | None = None
    stat: str = ""  # the digest.stats timing key; default ``<name>_ms``

    @property
    def stat_key(self) -> str:
        return self.stat or f"{self.name}_ms"


class PipelineError(Exception):
    """The declared components cannot run in this order (a programming error)."""


class BudgetExceeded(BaseException):
    """The cluster's time budget ran out while a stage was running.

    A BaseException, like KeyboardInterrupt, so a stage's own ``except Exception`` cannot
    swallow it and carry on past the budget."""


# --------------------------------------------------------------------------- the stages


def _clean(article: Article, options: DigestOptions) -> None:
    clean_article(article)


def _dedup(cluster: Cluster, options: DigestOptions) -> None:
    mark_duplicates(cluster)


def _segment(article: Article, options: DigestOptions) -> None:
    segment_article(article)


def _language(cluster: Cluster, options: DigestOptions) -> None:
    for article in cluster.articles:
        if article.text and vietnamese_ratio(article.text[:LANGUAGE_SAMPLE]) < MIN_VIETNAMESE:
            cluster.problems.append(Problem(
                article.path or article.id, "không giống văn bản tiếng Việt; vẫn được tóm tắt",
                fatal=False, stage="language",
            ))


def _dates(cluster: Cluster, options: DigestOptions) -> None:
    find_dates(cluster)


def _summary(cluster: Cluster, options: DigestOptions) -> None:
    _digest(cluster).summary = summarize(cluster, options.words)


def _timeline(cluster: Cluster, options: DigestOptions) -> None:
    _digest(cluster).timeline = extract_timeline(cluster)


def _entities(cluster: Cluster, options: DigestOptions) -> None:
    _digest(cluster).entities = extract_entities(cluster)


def _quotes(cluster: Cluster, options: DigestOptions) -> None:
    digest = _digest(cluster)
    digest.quotes = extract_quotes(cluster, digest.entities)


def _figures(cluster: Cluster, options: DigestOptions) -> None:
    _digest(cluster).figures = extract_figures(cluster)


def _digest(cluster: Cluster) -> Digest:
    if cluster.digest is None:
        cluster.digest = Digest()
    return cluster.digest


SEGMENTED = ("article.text", "article.sentences", "article.duplicate_of")

# Preparation: every article cleaned and segmented once (cleaning is idempotent, but the work
# is not repeated).
PREPARE: tuple[Component, ...] = (
    Component("clean", _clean, ("article.raw_text", "article.title"),
              ("article.text", "article.removed", "article.published", "article.published_source"), per_article=True),
    Component("segment", _segment, ("article.text",), ("article.paragraphs", "article.sentences"), per_article=True),
    # after segment: it reads the sentences' tokens, which every later stage then finds computed
    Component("dedup", _dedup, ("article.text",), ("article.duplicate_of",)),
    Component("language", _language, ("article.text",), ("cluster.problems",)),
)
# Layers every digest computes once, after segmentation (and after a pile is split into
# stories): the date layer, read by timeline, figures and the summary's ordering.
LAYERS: tuple[Component, ...] = (
    Component("dates", _dates, (*SEGMENTED, "article.published"), ("cluster.dates", "cluster.now")),
)
# The digest parts, in the order they run (with any helper components they need, part=None:
# run only when a part asked for requires what they assign). A new part: one Component here,
# its renderer in diemtin.render, its name in diemtin.options.ALL_PARTS.
PARTS: tuple[Component, ...] = (
    # the summary orders by the date layer when it is there, by article date and position if not
    Component("select", _summary, SEGMENTED, ("digest.summary",), part="summary"),
    Component("timeline", _timeline, (*SEGMENTED, "cluster.dates"), ("digest.timeline",), part="timeline",
              stat="extract_timeline_ms"),
    Component("entities", _entities, SEGMENTED, ("digest.entities",), part="entities", stat="extract_entities_ms"),
    Component("quotes", _quotes, (*SEGMENTED, "digest.entities"), ("digest.quotes",), part="quotes",
              stat="extract_quotes_ms"),
    Component("figures", _figures, (*SEGMENTED, "cluster.dates"), ("digest.figures",), part="figures",
              stat="extract_figures_ms"),
)
COMPONENTS: tuple[Component, ...] = PREPARE + LAYERS + PARTS


def check_order(components: Iterable[Component], available: Iterable[str] = READ_ASSIGNS) -> list[dict[str, Any]]:
    """Check every component finds what it requires among what earlier ones assign.

    Returns one row per component (name, requires, assigns), like spaCy's ``analyze_pipes``;
    raises :class:`PipelineError` naming the first component whose needs are not met.
    """
    have = set(available)
    rows = []
    for c in components:
        missing = [f for f in c.requires if f not in have]
        if missing:
            raise PipelineError(f"component {c.name!r} requires {missing} but nothing before it assigns them")
        have.update(c.assigns)
        rows.append({"name": c.name, "requires": c.requires, "assigns": c.assigns, "part": c.part})
    return rows


check_order(COMPONENTS)
if tuple(c.part for c in PARTS if c.part) != ALL_PARTS:  # one list of parts: options.ALL_PARTS
    raise PipelineError(f"components produce {[c.part for c in PARTS if c.part]}, options.ALL_PARTS is {ALL_PARTS}")


def plan(parts: Iterable[str], components: Iterable[Component] = PARTS) -> list[Component]:
    """The components to run for ``parts``: those producing them, and those they need."""
    wanted = set(parts)
    needed: set[str] = set()
    chosen: list[Component] = []
    for c in reversed(tuple(components)):  # later components may need earlier ones, never the reverse
        if c.part in wanted or any(f in needed for f in c.assigns):
            needed.update(c.requires)
            chosen.append(c)
    return chosen[::-1]


# --------------------------------------------------------------------------- running


def _options(options: DigestOptions | None, words: int | None, parts: Iterable[str] | None) -> DigestOptions:
    options = options or DigestOptions()
    changes: dict[str, Any] = {}
    if words is not None:
        changes["words"] = words
    if parts is not None:
        changes["parts"] = tuple(parts)
    return dataclasses.replace(options, **changes) if changes else options


class _Deadline:
    """Interrupt the block with :class:`BudgetExceeded` after ``seconds`` (main thread, POSIX).

    Elsewhere (threads of a server, Dask workers) the budget is only checked between stages.
    A class, not a generator context: it is entered for every article of the per-article stages."""

    __slots__ = ("seconds", "armed", "previous", "started", "outer", "interval")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.armed = False

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self.armed:
            raise BudgetExceeded()

    def __enter__(self) -> None:
        if (self.seconds is None or threading.current_thread() is not threading.main_thread()
                or not hasattr(signal, "setitimer")):
            return
        self.armed = True
        # (_signal.signal: the C function under signal.signal, without the wrapper's conversions
        # to and from its enum, which fail by an exception for any handler that is a function:
        # ~4 µs, and this runs for every article of the per-article stages)
        self.previous = _signal.signal(signal.SIGALRM, self._on_alarm)
        self.started = time.monotonic()
        self.outer, self.interval = signal.setitimer(signal.ITIMER_REAL, max(self.seconds, 0.001))

    def __exit__(self, *exc: object) -> None:
        if not self.armed:
            return
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _signal.signal(signal.SIGALRM, self.previous)
        if self.outer > 0:  # a caller's own timer goes on as if we had not been here
            signal.setitimer(signal.ITIMER_REAL, max(self.outer - (time.monotonic() - self.started), 0.001),
                             self.interval)



class _Run:
    """The state of one cluster's run: its clock, what failed, the stage timings."""

    def __init__(self, cluster: Cluster, options: DigestOptions, timings: dict[str, float] | None = None) -> None:
        self.cluster = cluster
        self.options = options
        self.timings = dict(timings or {})
        budget = options.cluster_time_budget_s
        self.deadline = time.monotonic() + budget if budget and budget > 0 else None
        self.unavailable: set[str] = set()  # fields a failed or skipped component did not assign

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _problem(self, c: Component, source: str, message: str) -> None:
        self.cluster.problems.append(Problem(source, message, stage=c.name))

    def _skip(self, c: Component, why: str) -> None:
        self.unavailable.update(c.assigns)
        self._problem(c, f"cụm {self.cluster.id}", f"bỏ qua bước {c.name}: {why}")

    def _guarded(self, c: Component, source: str, fn: Callable[[], Any]) -> bool:
        """Run ``fn``; a failure becomes a problem naming ``source`` and the stage. True if it ran."""
        try:
            with _Deadline(self.remaining()):
                fn()
            return True
        except BudgetExceeded:
            why = f"vượt quá thời gian cho phép ({self.options.cluster_time_budget_s:g} giây)"
            if c.per_article:
                self._problem(c, source, f"bỏ qua bài ở bước {c.name}: {why}")
            else:
                self._skip(c, why)
        except Exception as e:  # one failure never sinks the rest: reported, not raised
            message = f"lỗi ở bước {c.name} ({type(e).__name__}: {_one_line(str(e))})"
            if c.per_article:
                self._problem(c, source, message + "; bài bị bỏ qua")
            else:
                self.unavailable.update(c.assigns)
                self._problem(c, source, message + "; phần này bị bỏ qua")
        return False

    def run(self, c: Component) -> None:
        with _cycle_collection_paused():
            self._run(c)

    def _run(self, c: Component) -> None:
        t = time.perf_counter()
        blocked = [f for f in c.requires if f in self.unavailable]
        left = self.remaining()
        if blocked:
            self._skip(c, f"cần {', '.join(blocked)} mà bước trước không tạo được")
        elif left is not None and left <= 0:
            self._skip(c, f"vượt quá thời gian cho phép ({self.options.cluster_time_budget_s:g} giây)")
        elif c.per_article:
            kept = []
            articles = self.cluster.articles
            for i, article in enumerate(articles):
                left = self.remaining()
                if left is not None and left <= 0:
                    self._skip(c, f"vượt quá thời gian cho phép ({self.options.cluster_time_budget_s:g} giây); "
                               f"{len(articles) - i} bài chưa xử lý bị bỏ qua")
                    break
                if self._guarded(c, article.path or article.id, lambda a=article: c.run(a, self.options)):
                    kept.append(article)
            self.cluster.articles = kept
        else:
            self._guarded(c, f"cụm {self.cluster.id}", lambda: c.run(self.cluster, self.options))
        self.timings[c.stat_key] = self.timings.get(c.stat_key, 0.0) + (time.perf_counter() - t) * 1000


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a component runs. The stages build tens of thousands
    of short-lived objects (tokens, bigram tuples, sets) with no cycles, freed by reference
    counting; yet every 700 allocations start a collection that walks every live object of the
    process (a batch's other clusters): measured, about a third of select's and a sixth of who's
    who's CPU. Restored on exit; left alone if a caller already paused it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def clean(cluster: Cluster) -> None:
    """Clean every article, then mark duplicates (the ``diemtin clean`` command and API)."""
    state = _Run(cluster, DigestOptions())
    for c in PREPARE:
        if c.name in ("clean", "dedup"):  # (dedup reads the text itself when not segmented)
            state.run(c)


def prepare(
    cluster: Cluster, options: DigestOptions | None = None, skip: Collection[str] = ()
) -> dict[str, float]:
    """Clean and segment a cluster in place (once); returns the stage timings.

    Articles left with no text are dropped, each reported. ``skip``: preparation components
    a caller does not need (the archive marks duplicates per story, not per input chunk)."""
    state = _Run(cluster, options or DigestOptions())
    for c in PREPARE:
        if c.name in skip:
            state.unavailable.update(c.assigns)
            continue
        state.run(c)
        if c.name == "segment":
            _drop_empty(cluster)
    return state.timings


def _drop_empty(cluster: Cluster) -> None:
    kept = []
    for article in cluster.articles:
        if article.sentences:
            kept.append(article)
        else:
            cluster.problems.append(
                Problem(article.path or article.id, "không còn nội dung bài sau khi làm sạch", stage="segment")
            )
    cluster.articles = kept


def finish(
    cluster: Cluster, words: int | None = None, parts: Iterable[str] | None = None,
    timings: dict[str, float] | None = None, *, options: DigestOptions | None = None,
) -> Cluster:
    """Summarize and extract a prepared (cleaned, segmented) cluster in place; returns it."""
    options = _options(options, words, parts)
    cluster.digest = Digest()
    state = _Run(cluster, options, timings)
    for c in LAYERS:
        state.run(c)
    components = plan(options.parts)
    for c in components:
        state.run(c)
    for c in components:  # parts computed only because another part needs them are not shown
        if c.part is not None and c.part not in options.parts:
            for f in c.assigns:
                if f.startswith("digest."):
                    setattr(cluster.digest, f.removeprefix("digest."), [])
    extract = [state.timings[c.stat_key] for c in components if c.stat_key.startswith("extract_")]
    if extract:
        state.timings["extract_ms"] = sum(extract)
    digest = cluster.digest
    digest.stats = {
        **digest.stats,
        "articles": len(cluster.articles),
        "distinct_articles": len(cluster.distinct_articles),
        "duplicates": [
            {"article": a.id, "duplicate_of": a.duplicate_of} for a in cluster.articles if a.duplicate_of
        ],
        "sentences": sum(len(a.sentences) for a in cluster.articles),
        "words_budget": options.words,
        "summary_syllables": sum(count_syllables(s.text) for s in digest.summary),
        "problems": len(cluster.problems),
        "parts": list(options.parts),  # what was asked: renderers show these parts, and only these
        **{k: round(v, 2) for k, v in state.timings.items()},
    }
    return cluster


def process(
    cluster: Cluster, words: int | None = None, parts: Iterable[str] | None = None,
    *, options: DigestOptions | None = None,
) -> Cluster:
    """Clean, segment, summarize and extract one cluster in place; returns it. A pile that
    looks like several stories gets a warning saying how to split it (``--split``)."""
    from diemtin.stories.split import mixed_pile_problem

    options = _options(options, words, parts)
    # The collector paused for the whole digest, not component by component: re-enabled
    # between components, it walked each one's output again (gen 0, then gen 1): measured,
    # 0.1-0.5 ms of a 25 ms digest (AbMuSu test). The digest's objects hold no cycles either.
    with _cycle_collection_paused():
        timings = prepare(cluster, options)
        try:
            warning = mixed_pile_problem(cluster)
        except Exception:  # noqa: BLE001 - an advice, never worth losing the digest over
            warning = None
        if warning:
            cluster.problems.append(warning)
        return finish(cluster, timings=timings, options=options)


def split_prepared(cluster: Cluster, threshold: float | None = None) -> list[Cluster]:
    """The stories of a prepared pile (:func:`diemtin.stories.split.split_stories`), with
    duplicates marked again within each story: they were marked across the whole pile, so an
    original may now sit in another story."""
    from diemtin.stories.split import split_stories

    stories = split_stories(cluster) if threshold is None else split_stories(cluster, threshold)
    for story in stories:
        mark_duplicates(story)
    return stories


def prepare_and_split(
    cluster: Cluster, options: DigestOptions | None = None, threshold: float | None = None
) -> tuple[list[Cluster], dict[str, float]]:
    """Clean a mixed pile once and split it into stories (``<id>-1``, ``<id>-2``, ...
    largest first), ready for :func:`finish`; with the timings so far. The pile's problems
    go on the first story; a pile with nothing usable comes back as itself."""
    timings = prepare(cluster, options)
    if not cluster.articles:
        return [cluster], timings
    t = time.perf_counter()
    try:
        stories = split_prepared(cluster, threshold)
    except Exception as e:  # the pile is still digested, as one story
        cluster.problems.append(Problem(
            f"cụm {cluster.id}", f"lỗi ở bước split ({type(e).__name__}: {_one_line(str(e))}); "
            "cả đống bài được tóm tắt như một chuyện", stage="split"))
        stories = [cluster]
    timings["split_ms"] = (time.perf_counter() - t) * 1000
    return stories, timings


def split_and_process(
    cluster: Cluster, words: int | None = None, parts: Iterable[str] | None = None, threshold: float | None = None,
    *, options: DigestOptions | None = None,
) -> list[Cluster]:
    """Treat ``cluster`` as a mixed pile: clean it once, split it into stories and digest each."""
    options = _options(options, words, parts)
    with _cycle_collection_paused():  # (as in process)
        stories, timings = prepare_and_split(cluster, options, threshold)
        return [finish(story, timings=timings, options=options) for story in stories]


def digest(
    inputs: Iterable[Input] | Input, words: int | None = None, parts: Iterable[str] | None = None,
    split: bool = False, *, options: DigestOptions | None = None,
) -> Any:
    """Read and digest; one :class:`Cluster` for one story, a list when the input holds several.

    ``inputs``: paths (files, folders, ``.jsonl``), URLs, :class:`~diemtin.model.Article`
    objects or dicts with ``title``/``text``. ``split=True``: each input cluster is a mixed
    pile, split into stories (``pile-1``, ``pile-2``, ...) and digested one by one.
    ``options`` (:class:`~diemtin.options.DigestOptions`) bounds article size and time.
    """
    options = _options(options, words, parts)
    read = read_inputs(inputs, max_article_bytes=options.max_article_bytes)
    if split:
        clusters = [s for c in read for s in split_and_process(c, options=options)]
    else:
        clusters = [process(c, options=options) for c in read]
    return clusters[0] if len(clusters) == 1 else clusters
