"""Incremental story assignment: each new article joins the most similar recent story or
starts one. Never all-pairs; the work per article does not grow with the archive.

An article is a bag of syllable unigrams and bigrams of its title (counted twice) and first
paragraphs, weighted by sublinear tf times the archive's running idf. A story is the sum of
its articles' tf (its centroid, truncated to the :data:`~config.CENTROID_TERMS` strongest
features). For a new article:

1. candidate retrieval: its :data:`~config.QUERY_TERMS` strongest features each name the
   :data:`~config.POSTINGS_PER_TERM` stories most recently active with that feature (an
   inverted index whose lists are bounded, so lookups cost the same at 1k or 1M articles);
   the :data:`~config.CANDIDATES` stories sharing the most weight are kept;
2. a dated article only considers stories active within :data:`~config.WINDOW_DAYS`,
   checked while the candidates are picked (up to :data:`~config.CANDIDATE_SCAN` of the
   ranked stories are looked at), on a small in-memory map story -> publication span read
   from the store's date columns alone: a recurring event's older stories, outside the
   window, neither take the candidate places nor get loaded;
3. exact cosine to each candidate's centroid (idf applied at query time, so early articles
   are re-weighted as the archive learns which features are common); the best above
   :data:`~config.ASSIGN_THRESHOLD` wins, else a new story.

After each batch, a maintenance pass over the stories the batch touched (only those) merges
stories whose centroids have converged (:data:`~config.MERGE_THRESHOLD`), re-assigns
articles that drifted away from the rest of their story (:data:`~config.SPLIT_THRESHOLD`),
then clusters the articles of each touched story and its nearest stories again by average
link (:data:`~config.REGROUP_THRESHOLD`), what the whole-pile split does, on a bounded
neighbourhood: one-by-one assignment depends on arrival order, this pass does not.

State is cached in memory during a run and written to the :class:`~store.Store` by
:meth:`Assigner.flush`, inside the caller's transaction.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

import numpy as np

from diemtin.archive import config
from diemtin.archive.store import Store
from diemtin.lang.tokens import syllables
from diemtin.model import Article

TITLE_WEIGHT = 3  # the title names the story: counted three times (2: B3 0.876, 3: 0.882 on AbMuSu train)
STORY_CACHE = 20000  # stories kept in memory between batches (the rest reload on demand)


def story_features(article: Article, paragraphs: int = config.LEAD_PARAGRAPHS) -> dict[str, int]:
    """Syllable unigram and bigram counts of the title (twice), lead and first paragraphs."""
    body = article.text if article.text.strip() else article.raw_text
    paras = [p for p in body.split("\n") if p.strip()][:paragraphs]
    lead = [article.lead] if article.lead and article.lead.strip() not in body[:2000] else []
    feats: Counter[str] = Counter()
    for part, times in [(article.title, TITLE_WEIGHT)] + [(p, 1) for p in lead + paras]:
        syl = syllables(part)
        for _ in range(times):
            feats.update(syl)
            feats.update(f"{a} {b}" for a, b in zip(syl, syl[1:], strict=False))
    return dict(feats)


def _sq(weights: dict[str, float]) -> float:
    return math.fsum(w * w for w in weights.values())


def _day(iso: str | None) -> int | None:
    if not iso or len(iso) < 10:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


@dataclass
class StoryState:
    id: int
    title: str
    first_seen: str
    last_seen: str
    size: int
    centroid: dict[str, float] = field(default_factory=dict)
    first_published: str | None = None  # span of the publication dates known (the time window)
    last_published: str | None = None

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "first_seen": self.first_seen, "last_seen": self.last_seen,
                "size": self.size, "centroid": self.centroid, "first_published": self.first_published,
                "last_published": self.last_published}


class Assigner:
    """Assign articles to stories over a :class:`Store`; call :meth:`flush` before commit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.df: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.dirty_terms: set[str] = set()
        self.stories: OrderedDict[int, StoryState] = OrderedDict()
        self.dirty_stories: set[int] = set()
        self.dropped: dict[int, int | None] = {}  # story -> merged into (None: emptied)
        self.dropped_written: set[int] = set()
        self.touched: set[int] = set()  # stories changed since the last maintenance pass
        self.moves: list[tuple[int, int]] = []  # (article seq, story) to write
        # articles assigned since the last maintenance pass, per story: (seq, title, vector, when, published)
        self.new_members: dict[int, list[tuple[int, str, dict[str, float], str, str | None]]] = {}
        # story -> (first, last) publication day ordinal, None when unknown: the time window
        # is checked on this without loading the story (a few dozen bytes per story)
        self.spans: dict[int, tuple[int | None, int | None]] = {}
        self.documents = 0
        meta = store.terms(["\x00documents"])
        self.documents = meta.get("\x00documents", (0, []))[0]

    # -- weights ------------------------------------------------------------------------
    def _load(self, terms: Collection[str]) -> None:
        df = self.df
        if df.keys() >= (terms.keys() if isinstance(terms, dict) else set(terms)):
            return  # all known (the usual case in a long run): a set comparison in C
        missing = [t for t in terms if t not in df]
        if missing:
            found = self.store.terms(missing)
            postings = self.postings
            for t in missing:
                df[t], postings[t] = found.get(t, (0, []))

    def _idf(self, term: str) -> float:
        return math.log((1 + self.documents) / (1 + self.df.get(term, 0))) + 1.0

    def unit_vector(self, feats: dict[str, int]) -> dict[str, float]:
        """L2-normalised sublinear tf x idf (current idf), its strongest :data:`~config.VECTOR_TERMS` features."""
        terms = [t for t, k in feats.items() if k > 0]
        if not terms:
            return {}
        self._load(terms)
        # _idf over the whole article at once (the hot loop of `add`)
        tf = np.fromiter((feats[t] for t in terms), dtype=np.float64, count=len(terms))
        df = np.fromiter(map(self.df.__getitem__, terms), dtype=np.float64, count=len(terms))
        weights = (1.0 + np.log(tf)) * (np.log((1.0 + self.documents) / (1.0 + df)) + 1.0)
        keep = np.arange(len(terms))
        if len(terms) > config.VECTOR_TERMS:  # the weak tail only adds noise and work
            keep = np.argsort(-weights, kind="stable")[: config.VECTOR_TERMS]
        norm = float(np.sqrt(np.square(weights[keep]).sum())) or 1.0
        return {terms[i]: float(weights[i] / norm) for i in keep.tolist()}

    @staticmethod
    def _similarity(vector: dict[str, float], story: StoryState, minus: dict[str, float] | None = None) -> float:
        """Average cosine of ``vector`` with the story's articles (average link): the dot
        product with the mean of their unit vectors. ``minus``: leave that article out."""
        size = story.size - (1 if minus else 0)
        if size <= 0:
            return 0.0
        c = story.centroid
        # the shared features, found in C (most of either side is not in the other); fsum is
        # exact, so the set's (per-process) order cannot change a decision
        shared = c.keys() & vector.keys()
        if minus:
            dot = math.fsum(vector[t] * (c[t] - minus.get(t, 0.0)) for t in shared)
        else:
            dot = math.fsum(vector[t] * c[t] for t in shared)
        return dot / size

    # -- stories ------------------------------------------------------------------------
    def _live(self, story: int) -> int | None:
        seen = set()
        while story in self.dropped and story not in seen:
            seen.add(story)
            nxt = self.dropped[story]
            if nxt is None:
                return None
            story = nxt
        return story

    def story(self, story_id: int) -> StoryState | None:
        sid = self._live(story_id)
        if sid is None:
            return None
        state = self.stories.get(sid)
        if state is None:
            row = self.store.story(sid)
            if row is None:
                resolved = self.store.resolve(sid)
                row = self.store.story(resolved) if resolved != sid else None
                if row is None:
                    return None
            state = StoryState(row["id"], row["title"] or "", row["first_seen"], row["last_seen"], row["size"],
                               row["centroid"], row["first_published"], row["last_published"])
            self.stories[state.id] = state
            self._note_span(state)
        self.stories.move_to_end(state.id)
        return state

    def _note_span(self, state: StoryState) -> None:
        self.spans[state.id] = (_day(state.first_published), _day(state.last_published))

    def _spans_of(self, ids: list[int]) -> None:
        """Put the publication spans of ``ids`` in :attr:`spans`, reading only the stories'
        date columns (one query for all the unknown ones; not their centroids)."""
        missing = [i for i in ids if i not in self.spans]
        if missing:
            for sid, (first, last) in self.store.story_spans(missing).items():
                self.spans[sid] = (_day(first), _day(last))

    def _candidates(self, weights: dict[str, float], exclude: set[int], days: tuple[int | None, ...] = ()) -> list[int]:
        """The :data:`~config.CANDIDATES` stories sharing the most weight with ``weights``,
        among those within the time window of one of ``days`` (none given: no window). The
        window is applied while picking, so older look-alikes of a recurring event cannot
        take every place from the story running now; when they fill the first places, the
        next ranked stories are looked at, up to :data:`~config.CANDIDATE_SCAN`."""
        top = sorted(weights, key=weights.__getitem__, reverse=True)[: config.QUERY_TERMS]
        score: Counter[int] = Counter()
        for t in top:
            for sid in self.postings.get(t, ()):
                score[sid] += weights[t]
        dated = [d for d in days if d is not None]
        ranked: list[int] = []
        for sid, _ in score.most_common(config.CANDIDATE_SCAN if dated else None):
            live = self._live(sid)
            if live is not None and live not in exclude and live not in ranked:
                ranked.append(live)
                if not dated and len(ranked) >= config.CANDIDATES:
                    break
        if not dated:
            return ranked
        self._spans_of(ranked)
        out: list[int] = []
        for sid in ranked:
            span = self.spans.get(sid)
            if span is None:  # merged away in an earlier run (an alias): resolve it, rare
                state = self.story(sid)
                span = self.spans.get(state.id) if state is not None else None
                if span is None:
                    continue
            if any(self._span_in_window(span, d) for d in dated):
                out.append(sid)
                if len(out) >= config.CANDIDATES:
                    break
        return out

    @staticmethod
    def _span_in_window(span: tuple[int | None, int | None], day: int | None) -> bool:
        first, last = span
        if day is None or first is None or last is None:
            return True
        return first - config.WINDOW_DAYS <= day <= last + config.WINDOW_DAYS

    @classmethod
    def _in_window(cls, story: StoryState, day: int | None) -> bool:
        return cls._span_in_window((_day(story.first_published), _day(story.last_published)), day)

    def best_story(
        self, vector: dict[str, float], published: str | None, exclude: set[int] = frozenset()  # noqa: B006
    ) -> tuple[int | None, float]:
        """The story an article with this unit vector would join (or None) and its score."""
        self._load(vector)
        # only features another article has can make it similar: the rest would only dilute
        # the norm (new words of a new story become shared when its next article arrives)
        shared = {t: w for t, w in vector.items() if self.df[t] >= 1}
        norm = math.sqrt(_sq(shared)) or 1.0
        vector = {t: w / norm for t, w in shared.items()}
        day = _day(published)
        best, best_sim = None, 0.0
        for sid in self._candidates(vector, set(exclude), (day,)):
            story = self.story(sid)
            if story is None or not self._in_window(story, day):
                continue
            sim = self._similarity(vector, story)
            if sim > best_sim:
                best, best_sim = story.id, sim
        return (best, best_sim) if best_sim >= config.ASSIGN_THRESHOLD else (None, best_sim)

    def assign(
        self, seq: int, title: str, vector: dict[str, float], when: str, published: str | None,
        exclude: set[int] = frozenset(),  # noqa: B006
    ) -> int:
        """Put one stored article (``seq``, its :meth:`unit_vector`) in a story; returns the story.
        ``when``: the story clock (publication, else arrival time); ``published``: or None."""
        sid, _ = self.best_story(vector, published, exclude)
        if sid is None:
            state = StoryState(self.store.new_story_id(), title, when, when, 0, {})
            self.stories[state.id] = state
            self.spans[state.id] = (None, None)
        else:
            state = self.story(sid)  # type: ignore[assignment]
            assert state is not None
        self._add_to(state, vector, when, published, title)
        self._count(vector, state.id)
        self.moves.append((seq, state.id))
        self.new_members.setdefault(state.id, []).append((seq, title, vector, when, published))
        return state.id

    def _add_to(
        self, state: StoryState, vector: dict[str, float], when: str, published: str | None, title: str
    ) -> None:
        for t, w in vector.items():
            state.centroid[t] = state.centroid.get(t, 0.0) + w
        state.size += 1
        if not state.title:
            state.title = title
        state.first_seen = min(state.first_seen, when)
        state.last_seen = max(state.last_seen, when)
        if _day(published) is not None:
            state.first_published = min(state.first_published or published, published)  # type: ignore[type-var]
            state.last_published = max(state.last_published or published, published)  # type: ignore[type-var]
            self._note_span(state)
        self._truncate(state)
        self.dirty_stories.add(state.id)
        self.touched.add(state.id)

    @staticmethod
    def _truncate(state: StoryState) -> None:
        if len(state.centroid) > config.CENTROID_TERMS * 3 // 2:
            keep = sorted(state.centroid, key=state.centroid.__getitem__, reverse=True)[: config.CENTROID_TERMS]
            state.centroid = {t: state.centroid[t] for t in keep}

    def _count(self, vector: dict[str, float], story: int) -> None:
        """One more document with these features; the story becomes the freshest posting of
        the article's strongest features."""
        self._load(vector)
        for t in vector:
            self.df[t] += 1
        self.dirty_terms.update(vector)
        self.documents += 1
        self._post(vector, story)

    def _post(self, vector: dict[str, float], story: int) -> None:
        """The story becomes the freshest posting of the article's strongest features."""
        top = sorted(vector, key=vector.__getitem__, reverse=True)[: config.QUERY_TERMS]
        self._load(top)
        self.dirty_terms.update(top)
        for t in top:
            lst = self.postings[t]
            if lst and lst[0] == story:
                continue
            if story in lst:
                lst.remove(story)
            lst.insert(0, story)
            del lst[config.POSTINGS_PER_TERM :]

    def uncount(self, vector: dict[str, float]) -> None:
        self._load(vector)
        for t in vector:
            self.df[t] = max(0, self.df[t] - 1)
        self.dirty_terms.update(vector)
        self.documents = max(0, self.documents - 1)

    def remove(self, story_id: int, vector: dict[str, float]) -> None:
        """Take an article out of a story (a replaced version, a split)."""
        state = self.story(story_id)
        if state is None:
            return
        for t, w in vector.items():
            if t in state.centroid:
                v = state.centroid[t] - w
                if v > 1e-9:
                    state.centroid[t] = v
                else:
                    del state.centroid[t]
        state.size -= 1
        self.dirty_stories.add(state.id)
        self.touched.add(state.id)
        if state.size <= 0:
            self.dropped[state.id] = None
            self.stories.pop(state.id, None)
            self.spans.pop(state.id, None)

    # -- maintenance: merge converged stories, re-assign drifted articles -------------
    def maintain(self) -> dict[str, int]:
        merged = split = regrouped = 0
        touched, self.touched = sorted(self.touched), set()
        for sid in touched:
            split += self._split(sid)
        self.new_members.clear()
        for sid in touched:
            merged += self._merge(sid)
        for sid in touched:
            regrouped += self._regroup(sid)
        self.touched.clear()  # what the regrouping changed is settled: not touched again
        return {"merged": merged, "split": split, "regrouped": regrouped}

    def _regroup(self, sid: int) -> int:
        """Cluster the articles of a touched story and of its nearest stories again, by average
        link cut at :data:`~config.REGROUP_THRESHOLD`, as the whole-pile split would: greedy
        one-by-one assignment depends on arrival order (an early, thin story takes articles a
        later, fuller one would not; two halves of a story started apart never meet). The
        region is bounded (:data:`~config.REGROUP_STORIES` stories of at most
        :data:`~config.REGROUP_MAX_SIZE` articles), so the work per article stays flat; larger
        stories are left to the merge pass. Returns the number of articles moved."""
        story = self.story(sid)
        if story is None or story.id != sid or story.size > config.REGROUP_MAX_SIZE:
            return 0
        days = (_day(story.first_published), _day(story.last_published))
        region = {sid: story}
        for other_id in self._candidates(self._mean(story), {sid}, days):
            other = self.story(other_id)
            if (other is None or other.id in region or other.size > config.REGROUP_MAX_SIZE
                    or not any(self._in_window(other, d) for d in days)):
                continue
            region[other.id] = other
            if len(region) > config.REGROUP_STORIES:
                break
        if len(region) < 2:
            return 0
        self.flush_moves()
        members = self.store.story_members(sorted(region))
        if Counter(m["story"] for m in members) != {i: st.size for i, st in region.items()}:
            return 0  # the store and the cache disagree (should not happen): leave it as it is
        labels = self._average_link([m["features"] for m in members])
        return self._apply_groups(region, members, labels)

    @staticmethod
    def _average_link(vectors: list[dict[str, float]]) -> list[int]:
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.sparse import csr_matrix
        from scipy.spatial.distance import squareform

        terms = [t for v in vectors for t in v]
        vocab = {t: i for i, t in enumerate(dict.fromkeys(terms))}
        cols = np.fromiter(map(vocab.__getitem__, terms), dtype=np.int64, count=len(terms))
        vals = np.fromiter(chain.from_iterable(v.values() for v in vectors), dtype=np.float64, count=len(terms))
        # as the whole-pile split does: a feature no other article of the region has cannot make
        # two of them similar, it only dilutes the norms (AbMuSu train B3 0.911 -> 0.939 at best)
        vals[np.bincount(cols, minlength=len(vocab))[cols] < 2] = 0.0
        indptr = np.concatenate([[0], np.cumsum([len(v) for v in vectors])])
        x = csr_matrix((vals, cols, indptr), shape=(len(vectors), len(vocab)))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = csr_matrix(x.multiply(1.0 / np.where(norms > 0, norms, 1.0)[:, None]))
        dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(dist, checks=False), method="average")
        return fcluster(tree, t=1.0 - config.REGROUP_THRESHOLD, criterion="distance").tolist()

    def _apply_groups(self, region: dict[int, StoryState], members: list[dict[str, Any]], labels: list[int]) -> int:
        """Give the groups story ids (each the old story holding most of it, once; else a new
        id) and rebuild the stories of the region from their members."""
        cells = Counter(zip(labels, (m["story"] for m in members), strict=True))
        if len(cells) == len(set(labels)) == len(region):
            return 0  # the same partition
        home: dict[int, int] = {}
        for (label, old), _ in sorted(cells.items(), key=lambda c: (-c[1], c[0][1], c[0][0])):
            if label not in home and old not in home.values():
                home[label] = old
        for label in sorted(set(labels)):
            if label not in home:
                home[label] = self.store.new_story_id()
        moved = 0
        groups: dict[int, list[dict[str, Any]]] = {}
        changed: set[int] = set()  # stories an article left or joined: only they are rebuilt
        for m, label in zip(members, labels, strict=True):
            groups.setdefault(home[label], []).append(m)
            if home[label] != m["story"]:
                self.moves.append((m["seq"], home[label]))
                self._post(m["features"], home[label])
                changed.update((m["story"], home[label]))
                moved += 1
        for new_id, group in groups.items():
            if new_id not in changed:
                continue
            group.sort(key=lambda m: (m["time"], m["seq"]))
            old = region.get(new_id)
            state = StoryState(new_id, old.title if old else group[0]["title"] or "", group[0]["time"],
                               max(m["time"] for m in group), len(group))
            for m in group:
                for t, w in m["features"].items():
                    state.centroid[t] = state.centroid.get(t, 0.0) + w
            dated = sorted(m["published"] for m in group if _day(m["published"]) is not None)
            state.first_published, state.last_published = (dated[0], dated[-1]) if dated else (None, None)
            self._truncate(state)
            self.stories[new_id] = state
            self._note_span(state)
            self.dirty_stories.add(new_id)
        for old in region:
            if old not in groups:  # every article left: the id follows most of them
                into = Counter(home[label] for label, m in zip(labels, members, strict=True) if m["story"] == old)
                self.dropped[old] = into.most_common(1)[0][0]
                self.stories.pop(old, None)
                self.spans.pop(old, None)
        return moved

    def _merge(self, sid: int) -> int:
        story = self.story(sid)
        if story is None or story.id != sid:
            return 0
        n = 0
        mean = self._mean(story)
        window = (_day(story.first_published), _day(story.last_published))
        for other_id in self._candidates(mean, {sid}, window)[: config.MERGE_CANDIDATES]:
            other = self.story(other_id)
            if other is None or not (self._in_window(other, _day(story.first_published))
                                     or self._in_window(other, _day(story.last_published))):
                continue
            if self._similarity(mean, other) >= config.MERGE_THRESHOLD:
                keep, gone = (other, story) if other.id < story.id else (story, other)
                self._absorb(keep, gone)
                n += 1
                if gone is story:
                    break
                mean = self._mean(story)
        return n

    @staticmethod
    def _mean(story: StoryState) -> dict[str, float]:
        """The story's strongest :data:`~config.VECTOR_TERMS` mean weights (to compare stories)."""
        top = sorted(story.centroid, key=story.centroid.__getitem__, reverse=True)[: config.VECTOR_TERMS]
        return {t: story.centroid[t] / story.size for t in top}

    def _absorb(self, keep: StoryState, gone: StoryState) -> None:
        for t, v in gone.centroid.items():
            keep.centroid[t] = keep.centroid.get(t, 0.0) + v
        keep.size += gone.size
        keep.first_seen = min(keep.first_seen, gone.first_seen)
        keep.last_seen = max(keep.last_seen, gone.last_seen)
        dates = [d for d in (keep.first_published, keep.last_published, gone.first_published, gone.last_published) if d]
        if dates:
            keep.first_published, keep.last_published = min(dates), max(dates)
        self._note_span(keep)
        self.spans.pop(gone.id, None)
        self._truncate(keep)
        self.moves.append((-gone.id, keep.id))  # negative: every article of story `gone`
        self.dropped[gone.id] = keep.id
        self.stories.pop(gone.id, None)
        self.dirty_stories.add(keep.id)

    def _split(self, sid: int) -> int:
        """Re-assign the batch's new members of a story that are far from the rest of it
        (an early, thin story can take an article a later, fuller one would not)."""
        story = self.story(sid)
        members = self.new_members.get(sid, [])
        if story is None or story.id != sid or story.size < config.SPLIT_MIN_SIZE or not members:
            return 0
        drifted = [m for m in members if self._similarity(m[2], story, minus=m[2]) < config.SPLIT_THRESHOLD]
        if len(drifted) * 2 >= story.size:
            return 0  # no core to drift from: leave it to the merge pass
        for seq, title, vector, when, published in drifted:
            self.remove(story.id, vector)
            self.uncount(vector)
            self.assign(seq, title, vector, when, published, exclude={story.id})
        return len(drifted)

    # -- persistence --------------------------------------------------------------------
    def flush_moves(self) -> None:
        for seq, story in self.moves:
            if seq < 0:
                self.store.move_story_articles(-seq, story)
            else:
                self.store.move_article(seq, story)
        self.moves.clear()

    def flush(self) -> list[int]:
        """Write the cached changes (inside the caller's transaction); returns changed stories."""
        self.flush_moves()
        self.store.put_terms({t: (self.df[t], self.postings[t]) for t in self.dirty_terms})
        self.store.put_terms({"\x00documents": (self.documents, [])})
        self.dirty_terms.clear()
        changed = []
        for sid in sorted(self.dirty_stories):
            state = self.stories.get(sid)
            if state is not None and state.id == sid and sid not in self.dropped:
                self.store.put_story(state.row())
                changed.append(sid)
        for sid, into in self.dropped.items():
            if sid not in self.dropped_written:
                self.store.drop_story(sid, into)
                self.dropped_written.add(sid)
        self.dirty_stories.clear()
        while len(self.stories) > STORY_CACHE:
            self.stories.popitem(last=False)
        return changed

    def rollback(self) -> None:
        """Forget everything cached: the transaction it belonged to was rolled back."""
        self.__init__(self.store)  # type: ignore[misc]
