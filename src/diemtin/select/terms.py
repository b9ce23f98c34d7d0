"""A cluster's sentences as integer codes: what selection counts, compares and weighs.

Every syllable of the analysed sentences gets an id in sorted order, so integer order is the
order of the strings. A bigram ``(a, b)`` is one int64 code ``a * WIDTH + b + 1`` and a content
syllable ``a`` (a concept ``(a, "")``) is ``a * WIDTH``: sorting codes sorts concepts as the
tuples they stand for, and a code is a bigram exactly when it is not a multiple of WIDTH.
The tokens of all sentences sit in one flat array, so the bigrams, content syllables and
concepts of a whole cluster come from a few numpy operations, not one Python set per sentence
(the sets cost more than everything they were used for).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from itertools import chain, repeat

import numpy as np

from diemtin.lang.stopwords import STOPWORDS

_FUNCTION, _NUMBER = 1, 2  # Vocabulary.kind: a function syllable, all digits
WIDTH = 1 << 31  # more than any syllable id: codes stay unique and int64


class Vocabulary:
    """Syllable ids: the sorted syllables of the sentences it was built on, then (``encode`` of
    unseen text) new ones in the order met; those are never concepts, so their order is moot."""

    def __init__(self, token_lists: Iterable[Sequence[str]]) -> None:
        self.words: list[str] = sorted(set(chain.from_iterable(token_lists)))
        self.ids: dict[str, int] = dict(zip(self.words, range(len(self.words)), strict=True))
        self.stop = np.zeros(0, dtype=bool)  # per id: a function syllable
        self.number = np.zeros(0, dtype=bool)  # per id: all digits
        self.alpha = np.zeros(0, dtype=bool)  # per id: all letters
        self.kind = np.zeros(0, dtype=np.int8)  # per id: _FUNCTION | _NUMBER (a unit's test in one lookup)
        self._flag(self.words)

    def _flag(self, words: list[str]) -> None:
        n = len(words)
        stop = np.fromiter(map(STOPWORDS.__contains__, words), bool, n)
        number = np.fromiter(map(str.isdigit, words), bool, n)
        self.stop = np.concatenate((self.stop, stop))
        self.number = np.concatenate((self.number, number))
        self.alpha = np.concatenate((self.alpha, np.fromiter(map(str.isalpha, words), bool, n)))
        self.kind = np.concatenate((self.kind, (stop * _FUNCTION | number * _NUMBER).astype(np.int8)))

    def encode(self, token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The ids of all ``token_lists`` in one flat array, and each list's length."""
        lens = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        try:
            ids = map(self.ids.__getitem__, chain.from_iterable(token_lists))
            return np.fromiter(ids, dtype=np.int64, count=int(lens.sum())), lens
        except KeyError:
            new = sorted(set(chain.from_iterable(token_lists)).difference(self.ids))
            self.ids.update(zip(new, range(len(self.words), len(self.words) + len(new)), strict=True))
            self.words.extend(new)
            self._flag(new)
            return self.encode(token_lists)

    def known(self, tokens: Sequence[str]) -> np.ndarray:
        """Ids of ``tokens``, -1 for a syllable it does not hold (it matches nothing)."""
        return np.fromiter(map(self.ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))


def pair_codes(ids: np.ndarray) -> np.ndarray:
    """Codes of the adjacent pairs of one token sequence (-1 ids: pairs that match nothing)."""
    a, b = ids[:-1], ids[1:]
    return np.where((a >= 0) & (b >= 0), a * WIDTH + b + 1, -1)


def is_bigram(codes: np.ndarray) -> np.ndarray:
    return codes % WIDTH != 0


def first_second(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Syllable ids of each code's two parts (-1 for a content syllable's missing second)."""
    return codes // WIDTH, codes % WIDTH - 1


NONE = np.zeros(0, dtype=np.int64)
NONE.flags.writeable = False  # the one empty code array, shared: never written to


def split(values: np.ndarray, lens: np.ndarray) -> list[np.ndarray]:
    """``values`` cut into consecutive pieces of ``lens`` (views; np.split is slower on many)."""
    ends = np.cumsum(lens).tolist()
    return [values[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def distinct(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct ``codes`` (np.unique, without its overhead on small arrays)."""
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


def count(sorted_codes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """How many times each of ``codes`` occurs in ``sorted_codes``."""
    return np.searchsorted(sorted_codes, codes, "right") - np.searchsorted(sorted_codes, codes, "left")


def _counted_pairs(row: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (row, code) pairs, by row then code, and how many times each occurs."""
    if not len(row):
        return row, code, row
    span = int(code.max()) + 1
    if span * (int(row.max()) + 1) < 1 << 62:  # one int64 key per pair: one sort
        key = np.sort(row * span + code)
        new = np.concatenate(([True], key[1:] != key[:-1]))
        key = key[new]
        row, code = key // span, key % span
    else:
        order = np.lexsort((code, row))
        row, code = row[order], code[order]
        new = np.empty(len(row), dtype=bool)
        new[0] = True
        new[1:] = (row[1:] != row[:-1]) | (code[1:] != code[:-1])
        row, code = row[new], code[new]
    return row, code, np.diff(np.append(np.flatnonzero(new), len(new)))


class Sentences:
    """Sentences (rows) as flat integer arrays: their syllables, their distinct bigrams (not two
    function syllables, not two numbers) and content syllables (neither), each by row then code."""

    def __init__(self, vocab: Vocabulary, token_lists: Sequence[Sequence[str]]) -> None:
        self.vocab = vocab
        self.n = len(token_lists)
        self.tok, self.lens = vocab.encode(token_lists)
        self.row = np.repeat(np.arange(self.n), self.lens)  # row of each syllable
        a, b = self.tok[:-1], self.tok[1:]
        same = self.row[:-1] == self.row[1:]  # pairs inside one sentence
        self.pair_row, self.pair = self.row[:-1][same], (a * WIDTH + b + 1)[same]  # every pair, as written
        kind = vocab.kind
        keep = (kind[a[same]] & kind[b[same]]) == 0  # not two function syllables, not two numbers
        content = kind[self.tok] == 0
        # units: the distinct bigrams and content syllables of each row, by row then code
        # (and how many times each occurs in its row: a term frequency)
        self.unit_row, self.unit, self.unit_count = _counted_pairs(
            np.concatenate((self.pair_row[keep], self.row[content])),
            np.concatenate((self.pair[keep], self.tok[content] * WIDTH)),
        )
        bigram = is_bigram(self.unit)
        self.bigram_row, self.bigram = self.unit_row[bigram], self.unit[bigram]
        self.content_row, self.content = self.unit_row[~bigram], self.unit[~bigram]
        self.bigram_len = np.bincount(self.bigram_row, minlength=self.n)
        self.content_len = np.bincount(self.content_row, minlength=self.n)

    def letters(self) -> np.ndarray:
        """Per row: how many of its syllables are all letters."""
        return np.bincount(self.row, weights=self.vocab.alpha[self.tok], minlength=self.n).astype(np.int64)

    def bigrams_at(self, row: int) -> np.ndarray:
        """Row ``row``'s distinct bigram codes, sorted (a view; for a few rows, no split of all)."""
        end = self._bigram_ends[row]
        return self.bigram[end - int(self.bigram_len[row]) : end]

    def content_at(self, row: int) -> np.ndarray:
        """Row ``row``'s distinct content-syllable codes, sorted (a view)."""
        end = self._content_ends[row]
        return self.content[end - int(self.content_len[row]) : end]

    @cached_property
    def _bigram_ends(self) -> list[int]:
        return np.cumsum(self.bigram_len).tolist()

    @cached_property
    def _content_ends(self) -> list[int]:
        return np.cumsum(self.content_len).tolist()

    def units(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (row, code) pairs of the bigrams and content syllables of ``rows`` (a mask), by row then code."""
        keep = rows[self.unit_row]
        return self.unit_row[keep], self.unit[keep]

    def unit_counts(self, rows: np.ndarray) -> np.ndarray:
        """Per pair of :meth:`units`: how many times its bigram (as written) or syllable occurs in its row."""
        return self.unit_count[rows[self.unit_row]]

    def shared_bigrams(self, code_lists: Sequence[np.ndarray]) -> np.ndarray:
        """Per list of sorted distinct bigram codes (a row of the result), per sentence: how
        many of them it holds. All lists at once: one pass over the sentences' bigrams."""
        lens = np.fromiter(map(len, code_lists), dtype=np.int64, count=len(code_lists))
        out = np.zeros((len(code_lists), self.n), dtype=np.int64)
        if not lens.sum() or not len(self.bigram):
            return out
        codes = np.concatenate(code_lists)
        universe = distinct(codes)
        holds = np.zeros((len(code_lists), len(universe)), dtype=bool)  # list x code
        holds[np.repeat(np.arange(len(code_lists)), lens), np.searchsorted(universe, codes)] = True
        at = np.searchsorted(universe, self.bigram).clip(max=len(universe) - 1)
        hits = holds[:, at] & (universe[at] == self.bigram)  # list x the sentences' bigrams
        # per sentence, a difference of running sums: its bigrams are consecutive
        running = np.zeros((len(code_lists), len(self.bigram) + 1), dtype=np.int64)
        np.cumsum(hits, axis=1, out=running[:, 1:])
        ends = np.cumsum(self.bigram_len)
        return running[:, ends] - running[:, ends - self.bigram_len]
