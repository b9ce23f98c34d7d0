"""The data model every stage reads and enriches.

A pile of inputs becomes a :class:`Cluster` of :class:`Article` objects. Each stage
(read -> clean -> segment -> select -> extract -> render) takes the cluster and fills in
its part; stages never call each other's internals. Offsets (``start``/``end``) always
point into ``Article.text``, the cleaned text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from diemtin.lang.tokens import syllables


@dataclass
class Paragraph:
    """A block of ``Article.text`` between blank lines/newlines."""

    index: int
    start: int
    end: int
    is_lead: bool = False


@dataclass
class Sentence:
    """One sentence of an article, located by character offsets in ``Article.text``."""

    article_id: str
    index: int  # position among the article's sentences
    paragraph: int  # index of the paragraph holding it
    start: int
    end: int
    text: str

    @property
    def ref(self) -> tuple[str, int]:
        return (self.article_id, self.index)

    @cached_property
    def tokens(self) -> list[str]:
        """Lowercased NFC syllables, computed once: every stage reads these, none re-tokenizes."""
        return syllables(self.text)


@dataclass
class RemovedLine:
    """A line the cleaner dropped, kept so nothing is lost silently."""

    # 1-based line number in the input file for text files (in the JSON ``text`` field, or in the
    # page's extracted text for HTML); 0 for text that was no line of it (a record's title or lead)
    line: int
    text: str
    reason: str


@dataclass
class Article:
    id: str
    title: str = ""
    raw_text: str = ""  # body as read (NFC, newlines normalized), before cleaning
    text: str = ""  # cleaned text: the journalist's words only; offsets point here
    path: str | None = None
    url: str | None = None
    lead: str | None = None  # sapo / anchor text if the source gives one separately
    published: str | None = None  # ISO date or datetime; None when unknown
    published_source: str | None = None  # where `published` came from (input, html, dateline)
    site: str | None = None
    author: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    duplicate_of: str | None = None  # id of an earlier article with (nearly) the same text
    meta: dict[str, Any] = field(default_factory=dict)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]


@dataclass
class Problem:
    """An input that could not be used (or only partly). One bad input never sinks a batch."""

    source: str  # file path, URL or "line N of file"
    message: str
    fatal: bool = True  # False: a warning, the article was still used
    stage: str | None = None  # the pipeline stage that failed ("clean", "timeline", ...), if any

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class SourceRef:
    article: str
    sentence: int
    start: int
    end: int


@dataclass
class Insertion:
    """Words the summary shows that its sentence does not have: the rest of a person's name
    ("ông [Hoàng Ngọc] Biên" for "ông Biên", named in full elsewhere in the cluster). The
    summary's text shows them in square brackets, followed by one space."""

    start: int  # offsets into SummarySentence.text of the inserted span, brackets included
    end: int
    words: str  # the inserted words, without the brackets: "Hoàng Ngọc"
    source: SourceRef  # the sentence that names the person in full


@dataclass
class SummarySentence:
    text: str
    sources: list[SourceRef]  # first one is the sentence whose text is shown
    # Offsets into the first source's Article.text of the kept pieces: ``text`` is their
    # concatenation (a trimmed sentence, select/trim.py) once the insertions are taken out
    # (:meth:`source_text`); empty means the whole sentence.
    spans: list[tuple[int, int]] = field(default_factory=list)
    inserted: list[Insertion] = field(default_factory=list)  # words not of the source, by offset

    def source_text(self) -> str:
        """``text`` without its insertions (and the space after each): the source's words only,
        what ``spans`` put together give."""
        return without_insertions(self.text, [(i.start, i.end) for i in self.inserted])


def without_insertions(text: str, inserted: list[tuple[int, int]]) -> str:
    """``text`` less the ``(start, end)`` ranges of ``inserted`` and the space following each."""
    out, at = [], 0
    for start, end in sorted(inserted):
        out.append(text[at:start])
        at = end + (text[end : end + 1] == " ")
    out.append(text[at:])
    return "".join(out)


@dataclass
class TimelineEntry:
    date: str  # ISO: "2022-01-10", "2022-01", "2022", or "2022-01-10/2022-01-14" for ranges
    precision: str  # "day" | "month" | "year" | "range"
    event: str
    sources: list[SourceRef]
    expression: str = ""  # the words the date was read from, e.g. "hôm 12/1"
    anchor: str = ""  # what the date was resolved against: "published" or "cluster:<date>"
    planned: bool = False  # every source tells it as still to come or planned ("sẽ", "dự kiến")
    deadline: bool = False  # every source gives the date as a limit ("trước ngày 30/4", "đến hết 30/11")


@dataclass
class Mention:
    text: str
    article: str
    start: int
    end: int


@dataclass
class Entity:
    name: str  # canonical name
    kind: str  # "person" | "organization" | "location"
    roles: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    score: float = 0.0
    id: str = ""


@dataclass
class Quote:
    text: str
    speaker: str | None  # Entity.id, or None when not resolved
    speaker_name: str | None
    direct: bool
    source: SourceRef


@dataclass
class FigureValue:
    text: str
    value: float
    qualifier: str  # "", "khoảng", "hơn", "gần", ...
    source: SourceRef


@dataclass
class FigureGroup:
    quantity: str  # what is measured, e.g. "thời lượng đàm phán Geneva"
    unit: str
    values: list[FigureValue]
    conflict: bool


# The roles of a date in its sentence (``DateMention.role``, assigned by the dates stage).
ROLE_EVENT = "event"  # when the sentence's main event happened (or is scheduled, to the day)
ROLE_DEADLINE = "deadline"  # a limit: a deadline, a bound, the end of a span
ROLE_PLAN = "plan"  # a coarse date of a plan or forecast ("dự kiến năm 2030")
ROLE_BACKGROUND = "background"  # context: a cited document's date, a state since, a comparison


@dataclass
class DateMention:
    """One date expression, resolved once per cluster by the dates stage (the date layer).

    Timeline, figures and the summary's ordering read these; nobody re-parses dates.
    """

    article_id: str
    sentence: int  # Sentence.index of the sentence holding it
    start: int  # offsets into Article.text
    end: int
    expression: str  # the words, e.g. "hôm 12/1"
    date: str  # ISO/EDTF: "2022-01-10", "2022-01", "2022", "XXXX-05-19", "2022-01-10/2022-01-14"
    precision: str  # "day" | "month" | "year" | "range" | "decade"
    anchor: str = ""  # what it was resolved against: "published" or "cluster:<date>"
    event: bool = True  # the sentence's main event happened then; False: background/context
    ordinal: int | None = None  # date.toordinal() of the first day; None when the year is unknown
    kind: str = "explicit"  # "explicit" (written date) | "deictic" (counted from now) | "relative" (from a prior date)
    # why it is (not) the event's date: ROLE_EVENT (then ``event``), ROLE_DEADLINE (a limit:
    # "trước ngày 30/4", "đến hết 30/11"), ROLE_PLAN (a coarse plan, forecast), ROLE_BACKGROUND
    role: str = "event"


@dataclass
class ClusterNow:
    """When the cluster's articles were written, as inferred from the evidence."""

    date: str | None  # ISO (any precision) or None when it cannot be known
    confidence: float  # 0..1
    evidence: str  # why, in a few words (for people and tests)


@dataclass
class Digest:
    summary: list[SummarySentence] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[FigureGroup] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class Cluster:
    """A pile of articles about one story, and (once digested) its digest."""

    id: str
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # human summaries, for evaluation
    category: str | None = None
    dates: list[DateMention] = field(default_factory=list)  # the date layer (dates stage)
    now: ClusterNow | None = None  # inferred writing date (dates stage)
    digest: Digest | None = None

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    @property
    def distinct_articles(self) -> list[Article]:
        return [a for a in self.articles if a.duplicate_of is None]
