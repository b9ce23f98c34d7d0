"""Does a summary read like one an editor would publish? Counts per summary, summed by the run.

- ``lost_context``: sentences that open on context the summary does not give
  (:func:`diemtin.select.context.lost_context`: pronoun subject, connective, "theo ông",
  demonstrative, "nước này", bare quote) when the sentence before them in the summary is not
  the one they follow in their article; and sentences naming a person short ("ông Đồng") whom
  the cluster names in full ("Nguyễn Văn Đồng") when the summary has not named them in full
  before (:func:`~diemtin.select.context.short_references`; a name shown in full in brackets,
  ``select/explicit.py``, is named in full); a place named by its level only ("UBND tỉnh")
  counts when no sentence before it names a place. For the human summaries (``human_*``), which cannot
  be traced to an article, a flagged sentence counts when it opens the summary (nothing before
  it can give the context); ``human_flagged`` counts every flagged sentence.
- ``dated_pairs`` / ``backwards``: adjacent summary sentences that both state a dated event
  in the date layer (``Cluster.dates``, ``event=True``; background dates do not count), and
  those whose second date is earlier.
- ``repeats`` / ``pairs``: sentence pairs saying the same thing: most content syllables (stop
  words and numbers dropped) of the shorter one are in the other.
- ``paraphrases``: pairs telling one fact in partly other words: the idf-weighted content
  words (syllables and bigrams, idf over the cluster's sentences) they share are most of the
  lighter one's (:mod:`diemtin.select.paraphrase`); a superset of near-copies.
- ``first_best``: the first sentence is, among the chosen ones, the closest (ROUGE-2 F1) to the
  human summary's first sentence (mean over references; summaries of 2+ sentences only).
"""

from __future__ import annotations

from collections.abc import Sequence

from diemtin.lang.stopwords import STOPWORDS
from diemtin.lang.tokens import syllables
from diemtin.model import Cluster, Sentence
from diemtin.select.context import KnownNames, lost_context, names_a_place, short_references
from diemtin.select.explicit import shown_words
from diemtin.select.paraphrase import Idf, is_paraphrase, units

REPEAT_OVERLAP = 0.5  # share of the shorter sentence's content syllables found in the other
MIN_CONTENT = 4  # fewer content syllables than this: too short to call a repeat


def _split(text: str) -> list[str]:
    from diemtin.segment.sentences import split_sentences

    return [text[a:b] for a, b in split_sentences(text)]


def _content(tokens: Sequence[str]) -> set[str]:
    return {t for t in tokens if t not in STOPWORDS and not t.isdigit()}


def is_repeat(a: Sequence[str], b: Sequence[str], overlap: float = REPEAT_OVERLAP) -> bool:
    ca, cb = _content(a), _content(b)
    small = min(len(ca), len(cb))
    return small >= MIN_CONTENT and len(ca & cb) / small >= overlap


def _r2(a: Sequence[str], b: Sequence[str]) -> float:
    ga, gb = set(zip(a, a[1:], strict=False)), set(zip(b, b[1:], strict=False))
    if not ga or not gb:
        return 0.0
    common = len(ga & gb)
    return 2 * common / (len(ga) + len(gb))


_IDF: dict[int, tuple[Cluster, Idf]] = {}


def cluster_idf(cluster: Cluster) -> Idf:
    """The cluster's unit rarity over its distinct articles' sentences (the last cluster's is kept)."""
    hit = _IDF.get(id(cluster))
    if hit is not None and hit[0] is cluster:
        return hit[1]
    idf = Idf(s.tokens for a in cluster.distinct_articles for s in a.sentences)
    _IDF.clear()
    _IDF[id(cluster)] = (cluster, idf)
    return idf


def cluster_names(cluster: Cluster) -> KnownNames:
    """The people the cluster names in full (what the selector reads too)."""
    return KnownNames(a.text for a in cluster.distinct_articles)


def readability(cluster: Cluster, summary: Sequence[Sentence], references: Sequence[str] = ()) -> dict[str, float]:
    """Counts for one summary of a prepared cluster (see the module docstring)."""
    idf = cluster_idf(cluster)
    unit_sets = [units(s.tokens) for s in summary]
    own_day: dict[tuple[str, int], int] = {}
    for m in cluster.dates:
        if m.ordinal is not None and m.event:  # the date of the event it states, not background
            key = (m.article_id, m.sentence)
            own_day[key] = min(own_day.get(key, m.ordinal), m.ordinal)
    out = {"sentences": len(summary), "lost_context": 0, "dated_pairs": 0, "backwards": 0, "repeats": 0, "pairs": 0,
           "paraphrases": 0}
    # a name the summary made explicit ("ông [Hoàng Ngọc] Biên") is read as the reader reads it
    texts = [shown_words(s.text) for s in summary]
    short = short_references(texts, cluster_names(cluster))
    for i, s in enumerate(summary):
        prev = summary[i - 1] if i else None
        continues = prev is not None and prev.article_id == s.article_id and prev.index == s.index - 1
        lost = None if continues else lost_context(texts[i])
        if lost is not None and lost.kind == "place" and any(names_a_place(t) for t in texts[:i]):
            lost = None  # "UBND tỉnh …" after a sentence naming the province
        if lost is not None or short[i] is not None:
            out["lost_context"] += 1
        if prev is not None and prev.ref in own_day and s.ref in own_day:
            out["dated_pairs"] += 1
            out["backwards"] += own_day[s.ref] < own_day[prev.ref]
        for j, t in enumerate(summary[:i]):
            out["pairs"] += 1
            out["repeats"] += is_repeat(s.tokens, t.tokens)
            out["paraphrases"] += is_paraphrase(unit_sets[i], unit_sets[j], idf)
    if len(summary) >= 2 and references:
        hits = 0.0
        for ref in references:
            first = _split(ref)[:1]
            if not first:
                continue
            ft = syllables(first[0])
            scores = [_r2(ft, s.tokens) for s in summary]
            hits += scores[0] >= max(scores)
        out["first_summaries"] = 1
        out["first_best"] = hits / len(references)
    return out


def human_readability(references: Sequence[str], cluster: Cluster | None = None) -> dict[str, float]:
    """Lost context in the human summaries: flagged sentences that open a summary, and all
    flagged; repeats (and, given the prepared ``cluster`` for word rarity, paraphrases)."""
    out = {"sentences": 0, "lost_context": 0, "flagged": 0, "repeats": 0, "pairs": 0, "paraphrases": 0}
    idf = cluster_idf(cluster) if cluster is not None else None
    names: KnownNames | dict[str, str] = cluster_names(cluster) if cluster is not None else {}
    for ref in references:
        sents = [syllables(x) for x in _split(ref)]
        unit_sets = [units(x) for x in sents]
        short = short_references(_split(ref), names)
        for j, sent in enumerate(_split(ref)):
            flagged = lost_context(sent) is not None
            out["sentences"] += 1
            out["flagged"] += flagged or short[j] is not None
            out["lost_context"] += (flagged and j == 0) or short[j] is not None
            for k, t in enumerate(sents[:j]):
                out["pairs"] += 1
                out["repeats"] += is_repeat(sents[j], t)
                if idf is not None:
                    out["paraphrases"] += is_paraphrase(unit_sets[j], unit_sets[k], idf)
    return out
