"""Near-duplicate articles in a cluster: the same story syndicated, or the same file twice.

Each article becomes a set of syllable 3-gram shingles of its cleaned ``text`` (``raw_text``
when not cleaned yet). A segmented article's syllables are its sentences' ``tokens`` in
order (the same syllables: only whitespace lies between sentences), so they are computed
once for this stage and every later one. MinHash + LSH (datasketch) finds candidate pairs without comparing
every pair; each candidate is then checked on the exact shingle sets, which are at hand and
cheap, so the decision does not depend on MinHash's estimation noise.

A pair is a duplicate when its Jaccard similarity reaches ``threshold``, or when the shorter
article is almost entirely contained in the longer one (a syndicated copy cut short or with
an extra paragraph) — containment alone needs a long enough text to be meaningful.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from diemtin.lang.tokens import syllables
from diemtin.model import Article, Cluster

NUM_PERM = 128
SHINGLE = 3  # syllable 3-grams: "đàm phán an", "phán an ninh" ...
CONTAINMENT = 0.9  # share of the shorter text's shingles found in the longer one
ALL_PAIRS_MAX = 64  # articles; up to here exact all-pairs comparison beats hashing
MIN_CONTAINED = 50  # shingles; below this, containment says little (short briefs share phrases)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Syllable k-gram shingles (lowercase NFC); short texts fall back to single syllables."""
    syl = syllables(text)
    if len(syl) < k:
        return set(syl)
    return {" ".join(syl[i : i + k]) for i in range(len(syl) - k + 1)}


class _AllPairs:
    """Candidate originals for a small pile: every indexed one (exact sets decide anyway)."""

    def __init__(self) -> None:
        self.keys: list[int] = []

    def query(self, i: int) -> list[int]:
        return list(self.keys)

    def insert(self, i: int) -> None:
        self.keys.append(i)

    def remove(self, i: int) -> None:
        self.keys.remove(i)


class _LSHIndex:
    """MinHash LSH over the shingle sets: sub-quadratic candidates for large piles."""

    def __init__(self, sets: list[set[int]], threshold: float) -> None:
        from datasketch import MinHash, MinHashLSH  # imported here: it pulls in scipy (~0.6 s)

        # LSH proposes candidates at a lower threshold than the decision so that contained
        # copies (Jaccard ~0.3 when a third as long) are proposed too; exact sets decide.
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=_lsh_params(threshold))
        template = _template()
        self.hashes = [
            MinHash(num_perm=NUM_PERM, hashfunc=_mix32, permutations=template.permutations, scheme=template.scheme)
            for _ in sets
        ]
        for mh, sh in zip(self.hashes, sets, strict=True):
            mh.update_batch(sh)

    def query(self, i: int) -> list[int]:
        return [int(k) for k in self.lsh.query(self.hashes[i])]

    def insert(self, i: int) -> None:
        self.lsh.insert(str(i), self.hashes[i])

    def remove(self, i: int) -> None:
        self.lsh.remove(str(i))


def _candidate_index(sets: list[Any], threshold: float) -> _AllPairs | _LSHIndex:
    return _AllPairs() if len(sets) <= ALL_PAIRS_MAX else _LSHIndex(sets, threshold)


@lru_cache(maxsize=16)
def _lsh_params(threshold: float) -> tuple[int, int]:
    from datasketch import MinHashLSH

    # datasketch optimizes (bands, rows) by numerical integration on every MinHashLSH():
    # ~80 ms, far more than hashing a whole cluster. Do it once per threshold.
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def _template():  # -> datasketch.MinHash
    from datasketch import MinHash

    # MinHash() draws its permutations anew each time; share one set (same seed, same values).
    return MinHash(num_perm=NUM_PERM)


def _shingle_tuples(syl: list[str]) -> set[tuple[str, str, str]] | set[str]:
    """Like :func:`shingles` but as syllable triples, built in C (``zip``): a small pile's
    exact comparison needs nothing more, and joining or numbering syllables in Python was
    most of this stage's time."""
    if len(syl) < SHINGLE:
        return set(syl)
    return set(zip(syl, syl[1:], syl[2:], strict=False))


def _shingle_ids(syl: list[str], vocab: dict[str, int], k: int = SHINGLE) -> set[int]:
    """Like :func:`shingles` but as ints (syllable ids packed 21 bits each), what MinHash
    hashes: its updates on ints are several times faster than on joined strings."""
    ids = [vocab.setdefault(s, len(vocab)) for s in syl]
    if len(ids) < k:
        return set(ids)
    return {(ids[i] << 42) | (ids[i + 1] << 21) | ids[i + 2] for i in range(len(ids) - k + 1)}


def _mix32(x: int) -> int:
    # the MinHash scheme takes 32-bit inputs; fold the 63-bit shingle id with a multiplicative hash
    return ((x * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> 32


def _syllables(article: Article) -> list[str]:
    """The article's syllables: its sentences' cached tokens once segmented, else its text's."""
    if article.sentences:
        return [tok for sentence in article.sentences for tok in sentence.tokens]
    return syllables(article.text if article.text.strip() else article.raw_text)


def _order(articles: list[Article]) -> list[int]:
    """Originals come first: by publication time when every article has one, else input order."""
    indices = list(range(len(articles)))
    if articles and all(a.published for a in articles):
        # ISO strings sort chronologically at the precision they share (day at least)
        indices.sort(key=lambda i: (articles[i].published or "")[:10])
    return indices


def mark_duplicates(
    cluster: Cluster, threshold: float = 0.8, containment: float | None = CONTAINMENT
) -> list[tuple[str, str, float]]:
    """Set ``duplicate_of`` on near-duplicates; return ``(duplicate id, original id, Jaccard)``.

    Near-identical pairs (Jaccard >= ``threshold``): the earlier article is the original
    (see :func:`_order`). Contained pairs (the shorter's shingles >= ``containment`` inside
    the longer; ``None`` disables): the longer is the original whatever the order, so no
    text is lost. ``duplicate_of`` always names an original, never another duplicate.
    The Jaccard reported is exact (on the shingle sets), not MinHash's estimate.
    Marks from a previous call are recomputed.
    """
    articles = cluster.articles
    for a in articles:
        a.duplicate_of = None
    if len(articles) < 2:
        return []  # nothing to be a duplicate of (and no shingles to build for a huge single article)
    sets: list[Any]
    if len(articles) <= ALL_PAIRS_MAX:
        sets = [_shingle_tuples(_syllables(a)) for a in articles]
    else:
        vocab: dict[str, int] = {}
        sets = [_shingle_ids(_syllables(a), vocab) for a in articles]
    index = _candidate_index(sets, min(threshold, 0.3))

    original_of: dict[int, tuple[int, float]] = {}  # duplicate index -> (original index, Jaccard)
    for i in _order(articles):
        if not sets[i]:
            continue  # nothing to compare; an empty article is the cleaner's business
        best: tuple[float, int, bool] | None = None  # (Jaccard, j, i is the original)
        for j in index.query(i):
            inter = len(sets[i] & sets[j])
            jaccard = inter / (len(sets[i]) + len(sets[j]) - inter)  # (the union's size, not the union)
            smaller = min(len(sets[i]), len(sets[j]))
            contained = (
                containment is not None and smaller >= MIN_CONTAINED and inter / smaller >= containment
            )
            if jaccard >= threshold:
                candidate = (jaccard, j, False)
            elif contained:
                candidate = (jaccard, j, len(sets[i]) > len(sets[j]))
            else:
                continue
            if best is None or candidate[0] > best[0]:
                best = candidate
        if best is None:
            index.insert(i)  # only originals are indexed
            continue
        jaccard, j, i_is_original = best
        if not i_is_original:
            original_of[i] = (j, jaccard)
            continue
        # i is the longer text holding j: j and everything marked against it now point to i.
        index.remove(j)
        index.insert(i)
        original_of[j] = (i, jaccard)
        for k, (orig, jac) in list(original_of.items()):
            if orig == j:
                original_of[k] = (i, jac)

    pairs: list[tuple[str, str, float]] = []
    for i in sorted(original_of):
        j, jaccard = original_of[i]
        articles[i].duplicate_of = articles[j].id
        pairs.append((articles[i].id, articles[j].id, round(jaccard, 4)))
    return pairs
