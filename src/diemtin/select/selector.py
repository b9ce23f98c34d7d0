"""Select stage: a multi-document extractive summary under a syllable budget.

Method: concept coverage (Gillick & Favre 2009) plus a learned sentence prior. Concepts are
syllable bigrams (and, lightly, content syllables); each weighs the probability that a human
summary holds it (``concepts.py``). Each sentence has a prior, the probability-like share of
its bigrams a human summary would hold, from where it sits, its title/sapo overlap, its
support across articles and its length (``prior.py``): it is what lets the method follow
position when position is the best evidence (short clusters of wire copy). Sentences are
picked greedily by newly covered concept weight x prior per length**r (the
cost-scaled greedy of Lin & Bilmes 2010), lazily evaluated; each concept counts once, and a
sentence stating a fact already told (bigram or content-word overlap, less of it on the same
event day; the same actors getting nowhere) is skipped. The opener is the most valued sentence
stating the cluster's main event day when there is one (``event.py``); the last pick is made for
the room left (:func:`_fill_last`).

A sentence that leans on the one before it (``context.py``: "Ông cho biết", "Tuy nhiên",
"nước này", a bare quote, the middle of a quotation) is a candidate only once the sentence it
continues is chosen, and it is then read right after it. The order is the events' (``order.py``).
A sentence naming a person short ("Theo ông Biên") whom the cluster names in full shows the rest
of the name in brackets, flagged as inserted ("ông [Hoàng Ngọc] Biên", ``explicit.py``), unless
the summary named them in full before it; when the name is not one person's it waits for a
chosen sentence naming them in full, and is read after it (left out when that sentence tells a
later day: read after it, it would go backwards).

Training (scikit-learn style) lives in :meth:`ConceptSelector.fit`: the concept regression,
then the sentence prior over the fitted concept weights; ``scripts/train_concepts.py``
calls it and writes ``data/selector_model.json``.
"""

from __future__ import annotations

import copy
import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from diemtin.lang.stopwords import STOPWORDS
from diemtin.lang.tokens import cased_syllables, syllables
from diemtin.model import Article, Cluster, Insertion, Sentence, SourceRef, SummarySentence
from diemtin.select.base import Summarizer
from diemtin.select.concepts import (
    FEATURES,
    Concept,
    Occurrences,
    concept_features,
    fit_logistic,
    probabilities,
)
from diemtin.select.context import (
    KnownNames,
    LostContext,
    ShortReference,
    lost_context,
    names_a_place,
    reports_speech,
    short_reference_after,
    told_names,
)
from diemtin.select.event import event_days
from diemtin.select.explicit import (
    RESOLVED_OPENERS,
    SAME_DAY,
    FullNames,
    antecedent,
    bare_level,
    office_holder,
    place_named,
    same_day,
    shown_words,
    with_antecedent,
    with_full_name,
    with_place,
)
from diemtin.select.order import Calendar, calendar, reading_day, reading_order
from diemtin.select.paraphrase import SHARED_NAMES, no_progress
from diemtin.select.prior import PRIOR_FEATURES, oracle_labels, prior_features
from diemtin.select.terms import NONE, Sentences, Vocabulary, first_second, is_bigram, split
from diemtin.select.trim import acronym_expansions, kept_spans, repeated_expansions, spelled_out, trimmed, without

# Kept for readers of the old name: the one list lives in diemtin.lang.stopwords.
STOP_SYLLABLES = STOPWORDS
MODEL_FILE = "data/selector_model.json"


@dataclass
class SelectorConfig:
    # candidates
    min_syllables: int = 8  # shorter lines are rarely a whole fact (captions, fragments)
    max_syllables: int = 90
    heading_max_syllables: int = 20  # an unpunctuated one-line paragraph this short is a subheading
    # selection
    length_exponent: float = 0.3  # greedy gain per length**r: r=1 favours short sentences
    prior_power: float = 1.0  # gain = new concept weight x prior**p / length**r
    duplicate_threshold: float = 0.5  # bigram containment for "states the same fact"
    content_overlap: float = 0.7  # content-syllable containment for "says it again in other words"
    # ... on the same event day (the date layer): a lower share says it again
    same_day_overlap: float = 0.35
    min_content_syllables: int = 6  # below this, content overlap is too noisy to call a repeat
    # Shared idf weight above which a sentence retells a chosen one in other words (paraphrase.py).
    # Off by default: at 0.3 repeats fall from ~8% to ~6% of pairs (human summaries: 5-7%) but
    # ROUGE-2 loses 0.3 in-domain and out of dataset; at 0.5 it changes almost nothing.
    paraphrase_overlap: float | None = None
    # The last sentence is chosen for the room it has (its whole value), not per syllable.
    fill_last: bool = True
    main_event_first: bool = True  # the first pick states the main event's day when one can
    lead_states_event: bool = True  # ... and, among those, one stating the event, not a reported reaction
    lead_gain_share: float = 0.5  # ... worth at least this share of the best opener's gain
    news_first: bool = True  # the most valued sentence opens the summary, then the order of events
    # concept weights
    unigram_weight: float = 0.25  # a content syllable vs a bigram
    probability_power: float = 1.5  # sharpen probabilities: likely concepts dominate
    min_probability: float = 0.03
    # training
    l2: float = 1.0


@dataclass
class SelectorModel:
    """Learned state: concept and sentence-prior coefficients (what ``fit`` sets)."""

    concept_coef: np.ndarray
    prior_coef: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "concept_features": list(FEATURES),
            "concept_coefficients": [round(float(c), 6) for c in self.concept_coef],
            "prior_features": list(PRIOR_FEATURES),
            "prior_coefficients": [round(float(c), 6) for c in self.prior_coef],
            **self.info,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SelectorModel:
        if tuple(raw["concept_features"]) != FEATURES or tuple(raw["prior_features"]) != PRIOR_FEATURES:
            raise ValueError(f"{MODEL_FILE} was trained on other features: run scripts/train_concepts.py --write")
        info = {k: v for k, v in raw.items() if not k.startswith(("concept_", "prior_"))}
        return cls(np.array(raw["concept_coefficients"], float), np.array(raw["prior_coefficients"], float), info)


@lru_cache(maxsize=1)
def shipped_model() -> SelectorModel:
    raw = resources.files("diemtin.select").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return SelectorModel.from_json(json.loads(raw))


class _Candidate:
    """A sentence as the selector weighs it. A plain class, not a dataclass: one is built per
    sentence of the cluster, and what only some get (codes, concepts, flags) is a class-level
    default until assigned, so building one sets what every sentence has, no default factories."""

    row: int = -1  # its row in the analysis's sentences (``terms.Sentences``) ...
    coded: Sentences | None = None  # ... which hold its codes (read for the few compared)
    concepts: np.ndarray = NONE  # ids of its units
    bigram_ids: np.ndarray = NONE
    needs_previous: bool = False  # leans on the sentence before it in its article
    eligible: bool = True  # may open a summary chain on its own
    orphan: bool = False  # needs a predecessor it cannot have: never chosen
    known: KnownNames | None = None  # the people its cluster names in full (needs_name reads it)
    full_names: FullNames | None = None  # ... and where (the sentence an insertion comes from)
    # the rest of a name it shows in brackets ("ông [Hoàng Ngọc] Biên"), and itself without it
    inserted: tuple[_Inserted, ...] | None = None
    plain: _Candidate | None = None
    # a bare "tỉnh", "huyện" (which one?): chosen only once a chosen sentence names a place
    needs_place: bool = False
    antecedent: str | None = None  # "pronoun" | "office" | "place": it shows, in brackets, whom or where it means
    main_event: bool = False  # states the day most articles report (event.py)
    days: Calendar | None = None  # the cluster's sentence days (order.calendar), for read_day
    day: int | None = None  # the ordinal of the day-precise event day it states (event.py)
    prior: float = 0.0

    def __init__(
        self, article: Article, sentence: Sentence, tokens: list[str], position: float, text: str,
        spans: list[tuple[int, int]],
    ) -> None:
        self.article = article
        self.sentence = sentence
        self.tokens = tokens
        self.position = position  # relative position in its article, 0 = first
        self.length = len(tokens)
        self.text = text  # what the summary shows: the sentence, trimmed (``trim.py``)
        self.spans = spans  # kept spans, offsets into the sentence

    @property
    def bigram_codes(self) -> np.ndarray:
        """Codes (``terms.py``) of its distinct bigrams (not two stop words nor two numbers), sorted."""
        return self.coded.bigrams_at(self.row) if self.coded is not None else NONE

    @property
    def content_codes(self) -> np.ndarray:
        """Codes of its distinct content syllables (no stop words, no bare numbers), sorted."""
        return self.coded.content_at(self.row) if self.coded is not None else NONE

    @cached_property
    def bigrams(self) -> frozenset[int]:
        return frozenset(self.bigram_codes.tolist())

    @cached_property
    def content(self) -> frozenset[int]:
        return frozenset(self.content_codes.tolist())

    @cached_property
    def read_day(self) -> int | None:
        """The day it is read at, its own or borrowed (read when two sentences are compared)."""
        return reading_day(self.days, self.article, self.sentence.index) if self.days is not None else None

    @cached_property
    def short_name(self) -> ShortReference | None:
        """A person it names short ("ông Biên") whom the cluster names in full (read only for
        the sentences the selection weighs)."""
        if self.needs_previous or self.known is None:
            return None  # (one that continues another is read right after it)
        return self.known.short_reference(self.text, self.tokens)

    @cached_property
    def needs_name(self) -> str | None:
        """The full name of a person it names short: it shows it (:attr:`spelled`), or it is
        chosen only once a chosen sentence tells that name."""
        ref = self.short_name
        return ref.full if ref is not None else None

    @cached_property
    def spelled(self) -> _Candidate | None:
        """It, naming in full (in brackets) the person it names short: "ông [Hoàng Ngọc] Biên";
        None when it names no one short, or the name is not one person's (explicit.py)."""
        if self.short_name is None or self.inserted is not None:
            return None
        e = _with_name(self)
        return e if e is not self else None

    @cached_property
    def names_place(self) -> bool:  # "tỉnh Đồng Tháp", "TP.HCM": a bare "tỉnh" after it is that one
        return names_a_place(self.text)

    @cached_property
    def stalled(self) -> bool:  # states that something got nowhere (paraphrase.no_progress)
        return no_progress(self.tokens)

    @cached_property
    def names(self) -> frozenset[str]:  # its capitalised words: who and where (an opener's
        # capital is a name's only if the other sentence capitalises it too)
        return frozenset(t for t in cased_syllables(self.text) if t[:1].isupper())

    def shown(self) -> Sentence:
        """The sentence as the summary shows it (its trimmed text, its own offsets)."""
        s = self.sentence
        return s if self.text == s.text else Sentence(s.article_id, s.index, s.paragraph, s.start, s.end, self.text)


def _candidate(article: Article, s: Sentence, n: int) -> _Candidate:
    spans = kept_spans(s.text)
    text = s.text if len(spans) == 1 and spans[0] == (0, len(s.text)) else trimmed(s.text, spans)
    tokens = s.tokens if text is s.text else syllables(text)
    return _Candidate(article, s, tokens, s.index / n, text, spans)


@dataclass(frozen=True)
class _Inserted:
    start: int  # offsets into the candidate's text, brackets included
    end: int
    words: str
    article: Article  # the sentence naming the person in full
    sentence: Sentence


def _with_name(c: _Candidate, told: Sequence[str] = ()) -> _Candidate | None:
    """A copy of ``c`` showing in full (explicit.py) each person it names short whom ``told``
    (the summary's sentences before it) did not name in full: its text, tokens and length count
    the inserted words; its codes, concepts and sources stay its sentence's. ``c`` itself when
    there is no one to name; None when one of them cannot be (not one person's name)."""
    if c.known is None or c.full_names is None:
        return None
    seen = told_names([shown_words(t) for t in told])  # (read once: the same for every insertion)
    text, inserted = c.text, []
    for _ in range(_MAX_INSERTIONS + 1):
        ref = short_reference_after(shown_words(text), c.known, seen)
        if ref is None:
            break
        made = with_full_name(text, ref)
        if made is None or len(inserted) == _MAX_INSERTIONS or not c.full_names.one_person(ref.full) or (
            source := c.full_names.source(ref.full)
        ) is None:
            return None
        shift = made.end - made.start + 1  # (the brackets and the space after them)
        inserted = [i if i.start < made.start else replace(i, start=i.start + shift, end=i.end + shift)
                    for i in inserted]
        inserted.append(_Inserted(made.start, made.end, made.words, *source))
        text = made.text
    if not inserted:
        return c
    new = copy.copy(c)  # (what it computed stays: short_name, needs_name, days, codes)
    new.text, new.plain, new.inserted = text, c, tuple(sorted(inserted, key=lambda i: i.start))
    new.tokens = syllables(text)
    new.length = len(new.tokens)
    return new


class _Reference(NamedTuple):
    """Whom or where a sentence's opener means, when the cluster says it without a guess."""

    kind: str  # "pronoun" ("Ông cho biết"), "office" ("Phó Thủ tướng yêu cầu"), "place" ("UBND tỉnh"),
    #            "day" ("22h cùng ngày": the date layer's day), "inner" (a pronoun past the opening)
    words: str  # the words it is named by
    name: str  # "Sergei Ryabkov", "Lê Văn Thành", "Quảng Ngãi"
    source: tuple[Article, Sentence]  # the sentence naming it


class _References:
    """The references of a cluster's sentences that ``explicit.py`` can make explicit: a pronoun
    right after a sentence naming one person, an office with one holder in the cluster, a bare
    level in an article naming one place of it (each place and holder read once per cluster)."""

    def __init__(self, cluster: Cluster, where: FullNames) -> None:
        self.texts = [a.text for a in cluster.distinct_articles]
        self.dates = cluster.dates
        self.year = (cluster.now.date or "")[:4] if cluster.now is not None else ""
        self.where = where
        self.places: dict[tuple[str, str], tuple[str, Sentence] | None] = {}  # (level, article) -> its one place
        self.holders: dict[str, str | None] = {}  # office -> its one holder

    def explicit(self, c: _Candidate, lost: LostContext) -> _Reference | None:
        if lost.kind == "place":
            level = bare_level(lost.words)
            if level is None:
                return None  # a department ("Sở Nội vụ"): no level to name
            key = (level, c.article.id)
            if key not in self.places:
                self.places[key] = place_named(level, c.article)
            place = self.places[key]
            return _Reference("place", lost.words, place[0], (c.article, place[1])) if place is not None else None
        if lost.kind == "anaphor" and lost.words.lower() == SAME_DAY:
            found = same_day(self.dates, c.article, c.sentence, self.year)
            return _Reference("day", lost.words, found[0], (c.article, found[1])) if found is not None else None
        if lost.kind == "office":
            if lost.words not in self.holders:
                self.holders[lost.words] = office_holder(lost.words, self.texts)
            name = self.holders[lost.words]
            told = self.where.source(name) if name is not None else None
            return _Reference("office", lost.words, name, told) if name is not None and told is not None else None
        opener = lost.words.lower()
        if c.sentence.index == 0:
            return None
        previous = c.article.sentences[c.sentence.index - 1]
        if opener in RESOLVED_OPENERS and c.text.lstrip().lower().startswith(opener + " "):
            name = antecedent(previous.text, opener)
            return _Reference("pronoun", lost.words, name, (c.article, previous)) if name is not None else None
        pronoun = opener.split()[-1]
        if lost.kind == "pronoun" and pronoun in RESOLVED_OPENERS and " " in opener:
            # past the opening, in a sentence naming no one: "Thi thể của ông [Nguyễn Văn A] …"
            name = antecedent(previous.text, pronoun)
            return _Reference("inner", lost.words, name, (c.article, previous)) if name is not None else None
        return None


def _with_antecedent(c: _Candidate, ref: _Reference) -> _Candidate | None:
    """A copy of ``c`` naming, in brackets, whom its opening pronoun or office stands for, or
    which place its bare level is (explicit.py): "Ông [Sergei Ryabkov] cho biết …" (the name
    from the sentence before it in its article), "Phó Thủ tướng [Lê Văn Thành] yêu cầu …" (the
    one the cluster names so), "UBND tỉnh [Đồng Tháp] …" (the one province its article names),
    "22h cùng ngày [19/8]" (the day the date layer read it as).
    Its codes, concepts and sources stay its sentence's; None when it cannot be shown so."""
    made = (with_place if ref.kind in ("place", "day", "inner") else with_antecedent)(c.text, ref.words, ref.name)
    if made is None:
        return None
    new = copy.copy(c)
    new.text, new.plain = made.text, c
    new.inserted = (_Inserted(made.start, made.end, made.words, *ref.source),)
    new.antecedent = ref.kind
    new.tokens = syllables(made.text)
    new.length = len(new.tokens)
    return new


def _antecedents_once(chosen: list[_Candidate]) -> list[_Candidate]:
    """``chosen`` (in reading order), a pronoun's bracketed name dropped where the summary reads
    the sentence naming that person right before it (the pronoun then reads as its article wrote
    it), an office's or a level's where an earlier summary sentence names its holder or place."""
    out: list[_Candidate] = []
    for c in chosen:
        if c.antecedent and c.plain is not None and out:
            after_source = (out[-1].article.id, out[-1].sentence.index) == (c.article.id, c.sentence.index - 1)
            # (an office: once the summary named its holder, "Phó Thủ tướng" reads as that one)
            named = c.antecedent in ("office", "place") and any(c.inserted[0].words in k.text for k in out)
            if (after_source and c.antecedent in ("pronoun", "inner", "day")) or named:
                c = c.plain
        out.append(c)
    return out


_MAX_INSERTIONS = 3  # people one sentence names short (more: a sentence of a longer story)


def _named_once(chosen: list[_Candidate]) -> list[_Candidate]:
    """``chosen`` (in reading order) with a person's full name inserted only where no earlier
    summary sentence names them in full: a reader meets "ông [Hoàng Ngọc] Biên" once, or
    "luật sư Hoàng Ngọc Biên" then "ông Biên"."""
    if not any(c.needs_name for c in chosen):
        return chosen  # most summaries
    out: list[_Candidate] = []
    for c in chosen:
        base = c.plain if c.plain is not None else c
        if base.needs_name is not None:
            # (None: one it cannot name, which the summary named before; it was chosen as it is)
            c = _with_name(base, [k.text for k in out]) or c
        out.append(c)
    return out


def _spelled_out_once(chosen: list[_Candidate], an: _Analysis) -> list[_Candidate]:
    """``chosen`` (in reading order) with each acronym spelled out only where the summary first
    names it (``trim.repeated_expansions``): a reader meets "Tổ chức Hiệp ước Bắc Đại Tây Dương
    (NATO)" once, then "NATO"."""
    acronyms = set().union(*(spelled_out(c.text) for c in chosen))
    if not acronyms:
        return chosen  # most summaries
    expansions = acronym_expansions([c.sentence.text for c in an.pool], acronyms)
    if not expansions:
        return chosen
    out, cut = [], []
    for c, cuts in zip(chosen, repeated_expansions([c.sentence.text for c in chosen], expansions), strict=True):
        if cuts:
            c = _shown_as(c, without(c.spans, cuts))
            cut.append(c)
        out.append(c)
    if cut:  # its sources are the sentences stating what it now shows (_render reads these codes)
        coded = Sentences(an.sentences.vocab, [c.tokens for c in cut])
        for k, c in enumerate(cut):
            c.coded, c.row = coded, k
    return out


_COMPUTED = tuple(name for name, v in vars(_Candidate).items() if isinstance(v, cached_property))


def _shown_as(c: _Candidate, spans: list[tuple[int, int]]) -> _Candidate:
    """A copy of ``c`` showing only ``spans`` of its sentence: its words, length and codes are
    those of what it shows (the caller codes it); what was computed from the old text is dropped."""
    new = copy.copy(c)
    for name in _COMPUTED:
        new.__dict__.pop(name, None)
    new.inserted = new.plain = None  # (_named_once inserts a name again where it is still needed)
    new.spans, new.text = spans, trimmed(c.sentence.text, spans)
    new.tokens = syllables(new.text)
    new.length, new.coded, new.row = len(new.tokens), None, -1
    return new


def _encoded(vocab: Vocabulary, cands: list[_Candidate]) -> Sentences:
    """``cands`` as rows of integer codes; each gets its row (and so its bigram and content codes)."""
    sents = Sentences(vocab, [c.tokens for c in cands])
    for k, c in enumerate(cands):
        c.row, c.coded = k, sents
    return sents


@dataclass
class _Analysis:
    """One cluster as the selector sees it: candidates, concept weights, prior features."""

    pool: list[_Candidate]  # every sentence of the distinct articles
    cands: list[_Candidate]  # those that may be chosen (alone or after their predecessor)
    codes: np.ndarray  # the concepts, as codes (``terms.py``), sorted
    concept_x: np.ndarray
    sentences: Sentences  # the pool's sentences as integer codes (row k: pool[k])
    titles: list[np.ndarray]  # per distinct article: the syllable ids of its title (-1: not in the pool)
    leads: list[np.ndarray]  # ... of its lead
    held: tuple[np.ndarray, np.ndarray]  # the (text, concept) pairs the titles, then the leads hold
    days: Calendar | None = None  # the sentences' days (order.calendar)
    prior_x: np.ndarray = field(default_factory=lambda: np.zeros((0, len(PRIOR_FEATURES))))

    @property
    def concepts(self) -> list[Concept]:
        """The concepts as syllable tuples ((syllable, "") for a content syllable)."""
        words = self.sentences.vocab.words
        a, b = first_second(self.codes)
        return [(words[i], words[j] if j >= 0 else "") for i, j in zip(a.tolist(), b.tolist(), strict=True)]


@dataclass
class TrainingExample:
    cluster: Cluster
    analysis: _Analysis
    concept_labels: np.ndarray  # per concept: occurs in a human summary
    prior_labels: np.ndarray  # per candidate: share of its content bigrams in the human summaries


class ConceptSelector(Summarizer):
    """diemtin's summarizer: ``fit`` learns concept and prior weights; calling it summarizes."""

    name = "diemtin"

    def __init__(self, config: SelectorConfig | None = None, model: SelectorModel | None = None) -> None:
        self.config = config or SelectorConfig()
        self.model_ = model

    @property
    def model(self) -> SelectorModel:
        return self.model_ if self.model_ is not None else shipped_model()

    # -- analysis -----------------------------------------------------------------------
    def _analyse(self, cluster: Cluster) -> _Analysis:
        cfg = self.config
        pool: list[_Candidate] = []
        for article in cluster.distinct_articles:
            n = max(1, len(article.sentences))
            pool.extend(_candidate(article, s, n) for s in article.sentences)
        cands = [
            c for c in pool if cfg.min_syllables <= c.length <= cfg.max_syllables and not _is_heading(c, cfg)
        ]
        if not cands:  # very short articles: take what there is
            cands = [c for c in pool if c.length > 0]
        quoted: dict[int, list[bool]] = {}  # per article (by identity)
        names = KnownNames(a.text for a in cluster.distinct_articles)  # the people it names in full
        where = FullNames(cluster.distinct_articles)
        references = _References(cluster, where)
        resolved: list[tuple[int, _Reference]] = []  # the candidates that may show whom or where they mean
        for k, c in enumerate(cands):
            # An article's first sentence has nothing before it to lean on: then it is never chosen.
            lost = lost_context(c.text, c.tokens)
            ref = references.explicit(c, lost) if lost is not None else None
            if ref is not None:
                resolved.append((k, ref))
                lost = None
            elif lost is not None and lost.kind == "place":
                c.needs_place, lost = True, None  # it may follow any sentence naming a place
            inside = quoted.get(id(c.article))
            if inside is None:
                inside = quoted[id(c.article)] = _inside_quotes(c.article)
            c.needs_previous = inside[c.sentence.index] or lost is not None
            c.known, c.full_names = names, where
            c.eligible = not c.needs_previous
            # A claim with no speaker ("Nếu muốn …, Nga nên …") has its speaker in its own
            # paragraph; opening one, its speaker is lost (a scraper's cut): never chosen.
            i = c.sentence.index
            c.orphan = lost is not None and lost.kind == "conditional" and (
                i == 0 or c.article.sentences[i - 1].paragraph != c.sentence.paragraph
            )
        refs = [(c.article.id, c.sentence.index) for c in cands]
        for c, day, on_main in zip(cands, *event_days(cluster, refs), strict=True):
            c.main_event, c.day = on_main, day
        days = calendar(cluster)  # read off the date layer once: reading_order reads it again
        for c in cands:
            c.days = days
        articles = cluster.distinct_articles
        vocab = Vocabulary(c.tokens for c in pool)
        sents = _encoded(vocab, pool)
        titles = [vocab.known(syllables(a.title)) for a in articles]
        leads = [vocab.known(syllables(a.lead or "")) for a in articles]
        occurrences = Occurrences(
            sents, np.array([c.row for c in cands], dtype=np.int64), [c.article.id for c in cands],
            np.array([c.position for c in cands], dtype=float),
        )
        codes, x, ids, held = concept_features(occurrences, titles, leads, STOPWORDS)
        bigram = is_bigram(codes)
        cat = np.concatenate([NONE, *ids])
        of_bigrams = bigram[cat]
        lens = np.bincount(np.repeat(np.arange(len(ids)), list(map(len, ids)))[of_bigrams], minlength=len(ids))
        for c, idx, bi in zip(cands, ids, split(cat[of_bigrams], lens), strict=True):
            c.concepts, c.bigram_ids = idx, bi
        for k, ref in resolved:
            shown = _with_antecedent(cands[k], ref) if cands[k].needs_name is None else None
            if shown is not None:
                cands[k] = shown
            elif ref.kind == "place":
                cands[k].needs_place = True
            else:  # (one naming someone short waits for the name: the greedy's)
                cands[k].needs_previous, cands[k].eligible = True, False
        return _Analysis(pool, cands, codes, x, sents, titles, leads, held, days)

    def _concept_probabilities(self, an: _Analysis) -> np.ndarray:
        return probabilities(an.concept_x, self.model.concept_coef) if len(an.codes) else np.zeros(0)

    def _concept_weights(self, an: _Analysis, p: np.ndarray | None = None) -> np.ndarray:
        """P(a human summary holds the concept)^2; content syllables count for less than bigrams.
        ``p``: the concepts' probabilities, when already computed."""
        cfg = self.config
        p = self._concept_probabilities(an) if p is None else p
        w = np.where(p >= cfg.min_probability, p**cfg.probability_power, 0.0)
        return np.where(is_bigram(an.codes), w, w * cfg.unigram_weight)

    def _prior_features(self, cluster: Cluster, an: _Analysis, p_concept: np.ndarray) -> np.ndarray:
        articles = cluster.distinct_articles
        sents = an.sentences
        letters = sents.letters()
        df_share = an.concept_x[:, FEATURES.index("df_share")] if len(an.codes) else np.zeros(0)
        # per candidate, all at once: mean support and mean concept weight of its bigrams, and
        # how many of them its article's title (lead) holds (its bigrams are concepts)
        cands = an.cands
        n = len(cands)
        by_id = {a.id: k for k, a in enumerate(articles)}
        # what the features read of each candidate, in one pass: a column each
        lens, rows, index, n_sentences, article, lost, quote = np.array([
            (len(c.bigram_ids), c.row, c.sentence.index, len(c.article.sentences), by_id[c.article.id],
             c.needs_previous, c.text.lstrip()[:1] in "“\"")
            for c in cands
        ], dtype=np.int64).reshape(n, 7).T
        support, density, in_title, in_lead = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        if lens.sum():
            cat = np.concatenate([c.bigram_ids for c in cands])
            row = np.repeat(np.arange(n), lens)
            has = lens > 0
            support[has] = np.bincount(row, weights=df_share[cat], minlength=n)[has] / lens[has]
            density[has] = np.bincount(row, weights=p_concept[cat], minlength=n)[has] / lens[has]
            own = article[row]  # per bigram: its article
            holds = np.zeros((2 * len(articles), len(an.codes)), dtype=bool)  # (titles, then leads) x concept
            holds[an.held] = True
            in_title[:] = np.bincount(row, weights=holds[own, cat], minlength=n)
            in_lead[:] = np.bincount(row, weights=holds[own + len(articles), cat], minlength=n)
        lengths, n_bigrams = sents.lens[rows], np.maximum(1, sents.bigram_len[rows])
        return prior_features(
            index=index,
            n_sentences=n_sentences,
            title_overlap=in_title / n_bigrams,
            lead_overlap=in_lead / n_bigrams,
            support=support,
            length=lengths,
            concept_density=density,
            n_articles=len(articles),
            lost_context=lost.astype(bool),
            digit_share=(lengths - letters[rows]) / np.maximum(1, lengths),
            quote_opening=quote.astype(bool),
        )

    def _prepare(self, cluster: Cluster) -> tuple[_Analysis, np.ndarray]:
        an = self._analyse(cluster)
        p_concept = self._concept_probabilities(an)
        an.prior_x = self._prior_features(cluster, an, p_concept)
        prior = probabilities(an.prior_x, self.model.prior_coef) if len(an.cands) else np.zeros(0)
        for c, p in zip(an.cands, prior, strict=True):
            c.prior = float(p)
        return an, self._concept_weights(an, p_concept)

    # -- training -----------------------------------------------------------------------
    def fit(self, clusters: Sequence[Cluster]) -> ConceptSelector:
        """Learn from prepared clusters with human summaries: the concept regression (label:
        the concept occurs in a human summary), then the sentence prior over the fitted
        concept weights (label: share of the sentence's content bigrams in the human summaries)."""
        return self.fit_examples([self.training_example(c) for c in clusters if c.references])

    def training_example(self, cluster: Cluster) -> TrainingExample:
        """What ``fit`` learns from in one cluster (model-independent: computed once, fit many times)."""
        an = self._analyse(cluster)
        per_ref = []
        uni_ref = []
        for r in cluster.references:
            t = syllables(r)
            per_ref.append(set(zip(t, t[1:], strict=False)))
            uni_ref.append(set(t))
        # in any of them (the share of them calibrates better across 1 or 4 summaries, but
        # measured: -0.5 ROUGE-2 in-domain on ViMs, no gain out of dataset)
        bi = set().union(*per_ref) if per_ref else set()
        uni = set().union(*uni_ref) if uni_ref else set()
        y = np.array([float(g[0] in uni if g[1] == "" else g in bi) for g in an.concepts])
        labels = oracle_labels([_content_pairs(k.tokens) for k in an.cands], per_ref)
        return TrainingExample(cluster, an, y, labels)

    def fit_examples(self, examples: Sequence[TrainingExample]) -> ConceptSelector:
        """``fit`` on precomputed :meth:`training_example` results (cross-validation reuses them)."""
        used = [e for e in examples if len(e.analysis.codes)]
        x = np.vstack([e.analysis.concept_x for e in used])
        y = np.concatenate([e.concept_labels for e in used])
        concept_coef = fit_logistic(x, y, l2=self.config.l2)
        px = [self._prior_features(e.cluster, e.analysis, probabilities(e.analysis.concept_x, concept_coef))
              for e in used]
        prior_coef = fit_logistic(np.vstack(px), np.concatenate([e.prior_labels for e in used]), l2=self.config.l2)
        self.model_ = SelectorModel(
            concept_coef, prior_coef, {"trained_on_clusters": len(used), "concepts": int(len(y))}
        )
        return self

    # -- selection ----------------------------------------------------------------------
    def __call__(self, cluster: Cluster, budget: int) -> list[Sentence]:
        return [c.shown() for c in self._select(cluster, budget)[0]]

    def summarize(self, cluster: Cluster, words: int = 200) -> list[SummarySentence]:
        chosen, an = self._select(cluster, words)
        return self._render(cluster, chosen, an) if an is not None else []

    def _select(self, cluster: Cluster, budget: int) -> tuple[list[_Candidate], _Analysis | None]:
        if not any(a.sentences for a in cluster.distinct_articles):
            return [], None
        an, w = self._prepare(cluster)
        chosen = self._greedy(an.cands, w, budget, _idf(an))  # most valued first: the opener's candidates
        ordered = reading_order(cluster, chosen, self.config.news_first, an.days)
        return _antecedents_once(_named_once(_spelled_out_once(ordered, an))), an

    def _greedy(
        self, cands: list[_Candidate], w: np.ndarray, budget: int, idf: np.ndarray | None = None
    ) -> list[_Candidate]:
        """Cost-scaled greedy, lazily evaluated: a sentence's gain only shrinks as concepts get
        covered, so a stale gain is an upper bound and most sentences are never re-scored.
        A sentence that needs its predecessor enters the heap once the predecessor is chosen.
        ``idf`` (per concept), with ``paraphrase_overlap`` set: a sentence sharing most of its
        rare words with a chosen one tells the same fact in other words and is skipped.
        A sentence naming a person short is weighed as it shows them in full (``spelled``:
        longer); one that cannot (two people of that name) waits for a chosen sentence naming them."""
        cfg = self.config
        r = cfg.length_exponent
        cands = list(cands)  # (a sentence is swapped for its spelled copy when first read)
        uncovered = np.ones(len(w), dtype=bool)  # (the mask a gain reads: no negation per gain)
        following = {
            (c.article.id, c.sentence.index - 1): i for i, c in enumerate(cands) if c.needs_previous and not c.orphan
        }
        named: dict[str, list[int]] = {}  # full name -> the sentences waiting for it to be told
        unplaced: list[int] = []  # the sentences waiting for a place to be named
        chosen: list[_Candidate] = []
        used = 0

        def released(c: _Candidate) -> list[int]:
            """The sentences ``c`` lets in: the one continuing it, those naming short whom it
            names, those naming a place by its level only ("UBND tỉnh") when it names one."""
            out = [nxt] if (nxt := following.get((c.article.id, c.sentence.index))) is not None else []
            waiting = [j for name in [n for n in named if n in c.text] for j in named.pop(name)]
            if unplaced and c.names_place:
                waiting.extend(unplaced)
                unplaced.clear()
            # read after ``c`` (order._after_names), one telling an earlier day would go backwards
            return out + [j for j in waiting if not _earlier(cands[j], c)]

        # per candidate, computed once: its concepts' weights, prior**p and length**r
        weights = [w[c.concepts] for c in cands]
        priors = [c.prior**cfg.prior_power for c in cands]
        lengths = [c.length**r for c in cands]
        scored_at = [-1] * len(cands)  # how many sentences were chosen when its gain was computed
        total = np.add.reduce  # what ndarray.sum calls, without its Python wrapper: the same sum

        def gain(i: int) -> float:
            idx = cands[i].concepts
            scored_at[i] = len(chosen)
            # (no concept covered yet: the same sum over the same weights in the same order)
            fresh = float(total(weights[i][uncovered[idx]] if chosen else weights[i])) if len(idx) else 0.0
            return fresh * priors[i] / lengths[i]

        def spell(i: int) -> bool:
            """Swap candidate ``i`` for its copy naming in full whom it names short, if it has one
            (longer: its gain only falls, a gain computed before stays an upper bound)."""
            e = cands[i].spelled if cands[i].inserted is None else None
            if e is None:
                return False
            cands[i], lengths[i] = e, e.length**r
            return True

        # per chosen sentence: its concepts as a mask, and their idf mass (paraphrase.py's overlap)
        masks: list[np.ndarray] = []
        masses: list[float] = []
        threshold = cfg.paraphrase_overlap or 0.0
        rarity = idf if idf is not None and threshold > 0 else None

        def reworded(c: _Candidate) -> bool:
            if rarity is None or not masks:
                return False
            weights = rarity[c.concepts]
            own = weights.sum()
            for mask, mass in zip(masks, masses, strict=True):
                small = min(own, mass)
                if small > 0 and weights[mask[c.concepts]].sum() / small >= threshold:
                    return True
            return False

        heap = [(-gain(i), i) for i, c in enumerate(cands) if c.eligible]
        main_day = next((c.day for c in cands if c.main_event and c.day is not None), None)
        if cfg.main_event_first:
            # The news first: the opener is the most valued sentence stating the cluster's main
            # event day, when one fits (at 100 syllables too, where side events won before).
            # Lazy gains hold: nothing is covered yet, every gain is exact.
            for k, (_, i) in enumerate(heap):
                if cands[i].main_event and cands[i].needs_name is not None and spell(i):
                    heap[k] = (-gain(i), i)  # weighed as it is shown
            news = [(g, i) for g, i in heap if cands[i].main_event and cands[i].length <= budget
                    and (cands[i].needs_name is None or cands[i].inserted is not None) and not cands[i].needs_place]
            if cfg.lead_states_event:
                # a lead tells the event, not what someone said of it: a reported reaction
                # opens only when no sentence of that day states the event itself
                # worth at least a share of the best one's gain (gains are negated in the heap)
                best = min(news)[0] if news else 0.0
                news = [
                    x for x in news if not reports_speech(cands[x[1]].tokens) and x[0] <= cfg.lead_gain_share * best
                ] or news
            if news:
                g, i = min(news)
                c = cands[i]
                chosen.append(c)
                uncovered[c.concepts] = False
                used += c.length
                heap = [(h, j) for h, j in heap if j != i]
                heap.extend((-gain(j), j) for j in released(c))
        heapq.heapify(heap)
        while heap:
            stale, i = heapq.heappop(heap)
            c = cands[i]
            if used + c.length > budget:
                continue  # the budget only shrinks: it will never fit
            # nothing chosen since it was scored: the same coverage, the same gain
            fresh = -stale if scored_at[i] == len(chosen) else gain(i)
            if fresh <= 0:
                continue
            if heap and -fresh > heap[0][0]:
                heapq.heappush(heap, (-fresh, i))  # someone else may now be better
                continue
            if c.needs_name is not None and c.inserted is None:
                if spell(i):
                    heapq.heappush(heap, (-gain(i), i))  # weighed again as it is shown
                    continue
                intro = next((k for k in chosen if c.needs_name in k.text), None)
                if intro is None:
                    named.setdefault(c.needs_name, []).append(i)  # back in once the name is told
                    continue
                if _earlier(c, intro):
                    continue  # read after it, it would tell an earlier day after a later one
            if c.needs_place:
                intro = next((k for k in chosen if k.names_place), None)
                if intro is None:
                    unplaced.append(i)  # back in once a place is named
                    continue
                if _earlier(c, intro):
                    continue
            # Checked last (chosen only grows: a repeat now is a repeat later, so the order of
            # the checks does not change what is chosen, and most pops never get here).
            told = next((k for k in chosen if _same_fact(c, k, cfg)), None)
            if told is not None or reworded(c):
                continued = any(k.needs_previous and (k.article.id, k.sentence.index - 1)
                                == (told.article.id, told.sentence.index) for k in chosen) if told else True
                if (told is not None and not continued and _better_outcome(c, told, main_day)
                        and used - told.length + c.length <= budget):
                    # one outcome, two tellings: the one read at the news's day tells it (unless
                    # a chosen sentence continues the other: it would be left leaning on nothing)
                    chosen.remove(told)
                    used -= told.length
                    uncovered[:] = True
                    for k in chosen:
                        uncovered[k.concepts] = False
                    heap = [(-gain(j), j) for _, j in heap]  # what it covered is open again
                    heapq.heapify(heap)
                    heapq.heappush(heap, (-gain(i), i))
                continue  # the same fact is already told
            chosen.append(c)
            uncovered[c.concepts] = False
            used += c.length
            if rarity is not None:
                mask = np.zeros(len(w), dtype=bool)
                mask[c.concepts] = True
                masks.append(mask)
                masses.append(rarity[c.concepts].sum())
            for j in released(c):
                heapq.heappush(heap, (-gain(j), j))
        if cfg.fill_last and chosen and rarity is None:
            chosen = _fill_last(cands, chosen, w, budget, cfg)
        return chosen

    # -- output -------------------------------------------------------------------------
    def _render(self, cluster: Cluster, chosen: list[_Candidate], an: _Analysis) -> list[SummarySentence]:
        # Duplicate articles' sentences are sources too: the fact is traceable to every copy.
        copies = [
            _candidate(article, s, max(1, len(article.sentences)))
            for article in cluster.articles if article.duplicate_of is not None for s in article.sentences
        ]
        groups = [(an.sentences, an.pool)]
        if copies:
            groups.append((Sentences(an.sentences.vocab, [o.tokens for o in copies]), copies))
        threshold = self.config.duplicate_threshold
        mine = [c.bigram_codes for c in chosen]
        n_mine = np.array([len(m) for m in mine], dtype=np.int64)[:, None]
        # _same_fact(c, o, paraphrase=False) of every chosen c against every sentence of the cluster at once
        same = [
            (sents.bigram_len > 0) & (n_mine > 0)
            & (sents.shared_bigrams(mine) / np.minimum(np.maximum(n_mine, 1), np.maximum(sents.bigram_len, 1))
               >= threshold)
            for sents, _ in groups
        ]
        out = []
        for k, c in enumerate(chosen):
            refs = [c]
            for (_, people), matches in zip(groups, same, strict=True):
                # (not its own sentence again: ``c`` may be a copy showing other words of it)
                refs.extend(o for o in map(people.__getitem__, np.flatnonzero(matches[k]).tolist())
                            if o.sentence is not c.sentence)
            out.append(
                SummarySentence(
                    text=c.text,
                    sources=[
                        SourceRef(r.article.id, r.sentence.index, r.sentence.start, r.sentence.end) for r in refs
                    ],
                    spans=[(c.sentence.start + a, c.sentence.start + b) for a, b in c.spans],
                    inserted=[
                        Insertion(i.start, i.end, i.words, SourceRef(
                            i.article.id, i.sentence.index, i.sentence.start, i.sentence.end))
                        for i in c.inserted or ()
                    ],
                )
            )
        return out


def _fill_last(
    cands: list[_Candidate], chosen: list[_Candidate], w: np.ndarray, budget: int, cfg: SelectorConfig
) -> list[_Candidate]:
    """The last pick, made for the room it has: value per syllable chooses while the budget is
    wide, but the last sentence only has to fit what is left, and then its whole value counts.
    The greedy's last (the least valued per syllable) is swapped for the longer sentence that
    fits its room and adds the most concept weight x prior given the others, if that adds more.
    A summary then uses the room it is given instead of leaving a sentence's worth unused."""
    last, rest = chosen[-1], chosen[:-1]
    room = budget - sum(c.length for c in rest)
    uncovered = np.ones(len(w), dtype=bool)
    for c in rest:
        uncovered[c.concepts] = False
    taken = {(c.article.id, c.sentence.index) for c in chosen}
    after = {(c.article.id, c.sentence.index + 1) for c in rest}  # whom a follower may continue

    def value(c: _Candidate) -> float:
        idx = c.concepts
        return float(w[idx][uncovered[idx]].sum()) * c.prior**cfg.prior_power if len(idx) else 0.0

    best, best_value = last, value(last)
    for c in cands:
        if not last.length < c.length <= room or (c.article.id, c.sentence.index) in taken:
            continue
        if not (c.eligible or (c.needs_previous and not c.orphan and (c.article.id, c.sentence.index) in after)):
            continue
        if c.needs_place and ((intro := next((k for k in rest if k.names_place), None)) is None or _earlier(c, intro)):
            continue
        v = value(c)
        if v > best_value and not any(_same_fact(c, k, cfg) for k in rest):
            if c.needs_name is not None and c.inserted is None:
                if c.spelled is not None:
                    c = c.spelled  # shown with the name in full: longer
                    if c.length > room:
                        continue
                elif (intro := next((k for k in rest if c.needs_name in k.text), None)) is None or _earlier(c, intro):
                    continue
            best, best_value = c, v
    return chosen if best is last else [*rest, best]


def _content_pairs(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """The syllable pairs that carry content: not two function syllables, not two numbers."""
    return [
        (a, b) for a, b in zip(tokens, tokens[1:], strict=False)
        if not (a in STOPWORDS and b in STOPWORDS) and not (a.isdigit() and b.isdigit())
    ]


_END_PUNCT = frozenset(".!?…\"”’')»:;")


def _is_heading(c: _Candidate, cfg: SelectorConfig) -> bool:
    """A subheading or a headline pasted into the body: short, alone in its paragraph, no final stop."""
    if c.length > cfg.heading_max_syllables or c.sentence.text.rstrip()[-1:] in _END_PUNCT:
        return False
    paragraph = c.article.paragraphs[c.sentence.paragraph] if c.article.paragraphs else None
    return paragraph is None or (paragraph.start, paragraph.end) == (c.sentence.start, c.sentence.end)


def _inside_quotes(article: Article) -> list[bool]:
    """Per sentence of ``article``: does it sit in the middle of a quotation (out of context, and
    its speaker is not in it)? Quote marks are counted from its paragraph's start, carried over
    from one sentence to the next: a paragraph of n sentences is read once, not n times."""
    inside = [False] * len(article.sentences)
    if not article.paragraphs:
        return inside
    text = article.text
    paragraph, at, opened, closed, plain = -1, 0, 0, 0, 0
    for k, s in enumerate(article.sentences):
        if s.paragraph != paragraph or s.start < at:  # a new paragraph: count from its start again
            paragraph, at, opened, closed, plain = s.paragraph, article.paragraphs[s.paragraph].start, 0, 0, 0
        if s.start > at:
            piece = text[at : s.start]
            opened, closed, plain = opened + piece.count("“"), closed + piece.count("”"), plain + piece.count('"')
            at = s.start
        inside[k] = opened > closed or plain % 2 == 1
    return inside


def _idf(an: _Analysis) -> np.ndarray:
    """Per concept: its rarity among the candidate sentences (log (1 + n) / (1 + sentences holding it))."""
    if not len(an.codes):
        return np.zeros(0)
    n = len(an.cands)
    held = an.concept_x[:, FEATURES.index("sentence_share")] * n
    return np.log((1 + n) / (1 + held))


def _earlier(c: _Candidate, than: _Candidate) -> bool:
    """Is ``c`` read at an earlier day than ``than`` (both days known)?"""
    return c.read_day is not None and than.read_day is not None and c.read_day < than.read_day


def _better_outcome(c: _Candidate, told: _Candidate, main_day: int | None) -> bool:
    """Two sentences saying one outcome got nowhere ("hai bên không đạt được tiến bộ", "Mỹ không
    nhận thấy cơ hội đạt được thỏa hiệp"): ``c`` tells it better when it is read at the main
    event's day and ``told`` is not (a comment the day after, a forecast before)."""
    return (
        main_day is not None and c.stalled and told.stalled
        and c.read_day == main_day and told.read_day != main_day
    )


def _same_fact(a: _Candidate, b: _Candidate, cfg: SelectorConfig, paraphrase: bool = True) -> bool:
    """Near-duplicates: most bigrams of the shorter one appear in the other; or, for
    paraphrases, most of its content syllables do, or a good part of them on the same event day
    (event.py), or both say the same actors got nowhere (paraphrase.no_progress)."""
    if a.bigrams and b.bigrams:
        small = min(len(a.bigrams), len(b.bigrams))
        if len(a.bigrams & b.bigrams) / small >= cfg.duplicate_threshold:
            return True
    if paraphrase:
        small = min(len(a.content), len(b.content))
        if small >= cfg.min_content_syllables:
            shared = len(a.content & b.content) / small
            # one event told twice: the same day, and most of the same words (its actors, its place)
            same_day = a.day is not None and a.day == b.day
            if shared >= cfg.content_overlap or (same_day and shared >= cfg.same_day_overlap):
                return True
        # the same actors getting nowhere, in other words: one outcome
        # (or naming one of them, read at the same day: the same talks told by two pages)
        if a.stalled and b.stalled:
            shared = len(a.names & b.names)
            if shared >= SHARED_NAMES or (shared and a.read_day is not None and a.read_day == b.read_day):
                return True
    return False


def summarize(cluster: Cluster, words: int = 200, config: SelectorConfig | None = None) -> list[SummarySentence]:
    """The summary of a segmented cluster, at most ``words`` syllables."""
    return ConceptSelector(config).summarize(cluster, words)
