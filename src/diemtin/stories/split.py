"""Split a mixed pile of articles into stories, so each story gets its own digest.

Each article becomes a tf-idf vector over syllable unigrams and bigrams of its title and
first paragraphs (where a news article says what it is about; later paragraphs drift into
background shared by related stories). Similarity is cosine; stories are the groups of an
average-link agglomerative clustering cut at ``threshold``. Average link, unlike connected
components or single link, does not chain A~B~C into one story when A and C are unrelated:
a group joins another only if the two are similar *on average*.

The idf is computed on the pile itself (no background corpus ships with diemtin): what most
articles in the pile share says little about which story an article belongs to.

Evaluation helpers (B-cubed, purity, adjusted Rand index) are here too; the threshold was
tuned on pooled AbMuSu train + ViMs clusters (``benchmarks/bench_stories.py``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import regex

from diemtin.lang.tokens import syllables
from diemtin.model import Article, Cluster, Problem

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

_WORD_CHAR = regex.compile(r"\w\w")  # two word characters in a row (a word cut in two)
_MARK = regex.compile(r"\p{M}")  # (a combining mark may compose across a cut: NFC text has none)
DEFAULT_THRESHOLD = 0.18  # average cosine to merge two groups; see benchmarks/bench_stories.py
LEAD_PARAGRAPHS = 3  # paragraphs of the text used besides the title
TITLE_WEIGHT = 2  # the title is counted this many times: it names the story
# Two articles: no feature can be dropped as unshared, so cosines run lower. Measured on
# real pairs: same story >= 0.11 for 95 %, different stories <= 0.095 (max of 300).
PAIR_SCALE = 0.55
# The mixed-pile check (a pile digested without --split) looks at this many articles at
# most, evenly spaced: the clustering is quadratic, and a few hundred tell a mix as well.
MIXED_CHECK_MAX = 200
MIXED_GROUPS_SHOWN = 5  # group sizes named in the warning
# Slack below the cut for the one-story shortcut in story_labels: average-link merge heights are
# means of pair distances, so they never exceed the largest one but for float rounding (~1e-16
# per merge); with this margin the shortcut gives exactly what the clustering would.
ONE_STORY_MARGIN = 1e-9


def story_text(article: Article, paragraphs: int = LEAD_PARAGRAPHS) -> str:
    """Title and first paragraphs: the cleaned text when there is one, else the raw text."""
    body = article.text if article.text.strip() else article.raw_text
    paras = [p for p in body.split("\n") if p.strip()][:paragraphs]
    lead = [article.lead] if article.lead and not article.text.strip() else []
    return "\n".join([article.title] * TITLE_WEIGHT + lead + paras)


def story_syllables(article: Article, paragraphs: int = LEAD_PARAGRAPHS) -> list[str]:
    """``syllables(story_text(article, paragraphs))``, the paragraphs' read from their sentences'
    cached tokens (which the summary reads too) when the sentences cover those paragraphs:
    every character outside them a space, no word cut between two, each paragraph a line (and
    no combining mark or capital sigma, which read their neighbours). Lines joined by newlines
    tokenize as the lines do."""
    body = _segmented_lead(article, paragraphs)
    if body is None:
        return syllables(story_text(article, paragraphs))
    return syllables(article.title) * TITLE_WEIGHT + body


def _segmented_lead(article: Article, paragraphs: int) -> list[str] | None:
    """The tokens of the article's first ``paragraphs`` non-blank lines from its sentences, or
    None when they might differ from tokenizing the lines."""
    text = article.text
    if not text.strip() or "Σ" in text or _MARK.search(text):
        return None
    lead = [s for s in article.sentences if s.paragraph < paragraphs]
    if not lead:
        return None
    pos, line = 0, -1  # text up to pos is accounted for; the paragraph (line) of the last sentence
    for s in lead:
        gap = text[pos : s.start]
        if s.start < pos or (gap and not gap.isspace()) or s.text != text[s.start : s.end] or "\n" in s.text:
            return None
        if s.paragraph != line and (s.paragraph != line + 1 or (line >= 0 and "\n" not in gap)):
            return None  # each paragraph on a line of its own, in order
        if s.paragraph == line and "\n" in gap:
            return None
        if not gap and pos and _WORD_CHAR.match(text, pos - 1, pos + 1):
            return None  # a word running on from one sentence into the next
        pos, line = s.end, s.paragraph
    # nothing but spaces left out of the lead's last line, nor after it when it is the text's last
    newline = text.find("\n", pos)
    rest = text[pos:] if line + 1 < paragraphs or newline == -1 else text[pos:newline]
    if rest and not rest.isspace():
        return None
    return [t for s in lead for t in s.tokens]


def _features(text: str) -> Counter[str | tuple[str, str]]:
    return _features_of(syllables(text))


def _features_of(syl: list[str]) -> Counter[str | tuple[str, str]]:
    feats: Counter[str | tuple[str, str]] = Counter(syl)
    feats.update(zip(syl, syl[1:], strict=False))  # bigrams as pairs: counted in C, never joined
    return feats


DENSE_MAX_CELLS = 2_000_000  # articles x features up to which a dense matrix beats scipy.sparse


def _tfidf(articles: Sequence[Article], paragraphs: int) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray]:
    """(articles, features, rows, cols, values) of the tf-idf entries, not yet normalised."""
    counts = [_features_of(story_syllables(a, paragraphs)) for a in articles]
    df: Counter[str | tuple[str, str]] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(articles)
    vocab = {f: i for i, f in enumerate(f for f, d in df.items() if d >= 2 or n <= 2)}
    # sublinear tf and pile idf read from tables: the same floats as computing them per entry
    max_k = max((max(c.values(), default=0) for c in counts), default=0)
    tf = np.array([0.0] + [1 + math.log(k) for k in range(1, max_k + 1)])
    idf = np.array([0.0] + [math.log((1 + n) / (1 + d)) + 1 for d in range(1, n + 1)])
    rows: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    cols: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    vals: list[np.ndarray] = [np.zeros(0)]
    for row, c in enumerate(counts):
        # (map over dict methods: the same values in the same order as a comprehension, in C)
        col = np.fromiter(map(vocab.get, c, itertools.repeat(-1)), dtype=np.int64, count=len(c))
        keep = col >= 0
        k = np.fromiter(c.values(), dtype=np.int64, count=len(c))[keep]
        d = np.fromiter(map(df.__getitem__, c), dtype=np.int64, count=len(c))[keep]
        rows.append(np.full(len(k), row, dtype=np.int64))
        cols.append(col[keep])
        vals.append(tf[k] * idf[d])
    return n, len(vocab), np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def vectors(articles: Sequence[Article], paragraphs: int = LEAD_PARAGRAPHS) -> csr_matrix:
    """L2-normalised tf-idf rows (sublinear tf, pile idf), one per article, sparse.

    Only features shared by two or more articles are kept when there are more than two:
    the others cannot make two articles similar, they only dilute the norms."""
    return _normalised_csr(*_tfidf(articles, paragraphs))


def _normalised_csr(n: int, width: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> csr_matrix:
    from scipy.sparse import csr_matrix

    matrix = csr_matrix((vals, (rows, cols)), shape=(n, width), dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return csr_matrix(matrix.multiply(scale[:, None]))


def cosines(articles: Sequence[Article], paragraphs: int = LEAD_PARAGRAPHS) -> np.ndarray:
    """Cosine similarities of the articles' :func:`vectors`, dense ``n x n``. A small pile
    (the usual story, and the mixed-pile check) is computed densely: scipy.sparse's
    per-call overhead was most of the time for a few articles."""
    n, width, rows, cols, vals = _tfidf(articles, paragraphs)
    if n * width > DENSE_MAX_CELLS:
        x = _normalised_csr(n, width, rows, cols, vals)
        return (x @ x.T).toarray()
    matrix = np.zeros((n, width))
    matrix[rows, cols] = vals
    norms = np.sqrt((matrix * matrix).sum(axis=1))
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    matrix *= scale[:, None]
    return matrix @ matrix.T


def story_labels(
    articles: Sequence[Article], threshold: float = DEFAULT_THRESHOLD, paragraphs: int = LEAD_PARAGRAPHS
) -> list[int]:
    """A story number per article: 0 for the largest story, ties by first appearance."""
    n = len(articles)
    if n <= 1:
        return [0] * n
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if n == 2:
        threshold *= PAIR_SCALE
    dist = np.clip(1.0 - cosines(articles, paragraphs), 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    if dist.max() < 1.0 - threshold - ONE_STORY_MARGIN:
        # every pair is within the cut, so every average-link merge is too: one story, no tree
        # needed (97 of the first 100 test piles; the linkage was a third of the mixed-pile check)
        return [0] * n
    tree = linkage(squareform(dist, checks=False), method="average")
    raw = fcluster(tree, t=1.0 - threshold, criterion="distance")
    first: dict[int, int] = {}
    size: Counter[int] = Counter(raw.tolist())
    for i, lab in enumerate(raw.tolist()):
        first.setdefault(lab, i)
    order = sorted(first, key=lambda lab: (-size[lab], first[lab]))
    rank = {lab: k for k, lab in enumerate(order)}
    return [rank[lab] for lab in raw.tolist()]


def split_stories(cluster: Cluster, threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """The stories of a mixed pile, largest first (ties: first appearance), ids ``<id>-1``...

    Articles keep their input order inside each story; an article like no other is a story
    of its own. The pile's problems go on the first story (so they are reported once); its
    references only when it stays one story (they describe the whole pile)."""
    labels = story_labels(cluster.articles, threshold)
    count = max(labels, default=-1) + 1
    stories = [
        Cluster(id=f"{cluster.id}-{k + 1}", category=cluster.category) for k in range(max(count, 1))
    ]
    for article, label in zip(cluster.articles, labels, strict=True):
        stories[label].articles.append(article)
    stories[0].problems = list(cluster.problems)
    if len(stories) == 1:
        stories[0].references = list(cluster.references)
    return stories


def mixed_pile_problem(cluster: Cluster, threshold: float = DEFAULT_THRESHOLD) -> Problem | None:
    """A warning when a pile digested as one story looks like several (the same splitter
    as ``--split``, on its distinct articles), saying how to split it; ``None`` otherwise.

    Out of sample (AbMuSu test-inputs, 300 clusters): 4 false warnings (1.3 %); piles of two
    clusters warned 73-95 % (1-5 articles each). Train + ViMs dev (tuned on): 0 of 300, 84-99 %."""
    articles = cluster.distinct_articles
    if len(articles) > MIXED_CHECK_MAX:
        step = len(articles) / MIXED_CHECK_MAX
        articles = [articles[int(i * step)] for i in range(MIXED_CHECK_MAX)]
    sizes = sorted(Counter(story_labels(articles, threshold)).values(), reverse=True)
    if len(sizes) < 2:
        return None
    groups = " + ".join(str(n) for n in sizes[:MIXED_GROUPS_SHOWN])
    if len(sizes) > MIXED_GROUPS_SHOWN:
        groups += " + …"
    return Problem(
        cluster.id,
        f"các bài có vẻ thuộc {len(sizes)} câu chuyện khác nhau (nhóm {groups} bài) nhưng đang được "
        "tóm tắt chung thành một; để có một điểm tin cho mỗi câu chuyện, chạy lại với --split "
        "(diemtin digest --split …, hoặc diemtin.digest(…, split=True)), hoặc gửi riêng từng câu chuyện",
        fatal=False,
    )


# --- evaluation against gold story labels -------------------------------------------------
