"""Word lists and small tables of the language, read from ``lang/data/lexicon/`` (not code).

A ``.txt`` lexicon holds one entry per line (a multiword entry is one line: ``tổng thống``);
a ``.tsv`` table holds ``key<TAB>value`` lines. ``#`` starts a comment line; entries are NFC.
Stages read them through :func:`words`, :func:`word_set` and :func:`table`, never inline lists.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

_DIR = "data/lexicon"


def _lines(filename: str) -> list[str]:
    text = resources.files("diemtin.lang").joinpath(f"{_DIR}/{filename}").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = unicodedata.normalize("NFC", line.rstrip("\r\n"))
        if line.strip() and not line.startswith("#"):
            out.append(line)
    return out


@cache
def words(name: str) -> tuple[str, ...]:
    """Entries of ``lexicon/<name>.txt`` in file order (stripped; order matters for first-match lists)."""
    return tuple(line.strip() for line in _lines(f"{name}.txt"))


@cache
def word_set(name: str) -> frozenset[str]:
    """Entries of ``lexicon/<name>.txt`` as a set."""
    return frozenset(words(name))


@cache
def table(name: str) -> dict[str, str]:
    """``key -> value`` of ``lexicon/<name>.tsv`` (an empty value reads as ``""``)."""
    out: dict[str, str] = {}
    for line in _lines(f"{name}.tsv"):
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip()
    return out


@cache
def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """``(key, value)`` rows of ``lexicon/<name>.tsv`` in file order (for ordered rewrite rules)."""
    return tuple((k, v) for k, v in (line.split("\t", 1) for line in _lines(f"{name}.tsv")))


@cache
def name_table(filename: str) -> dict[str, tuple[str, str]]:
    """Case-folded variant -> (canonical name, type) of a name list under ``lang/data/``:
    ``canonical<TAB>variant|variant…[<TAB>type]`` lines (``places.tsv``: the gazetteer, ``outlets.tsv``)."""
    text = resources.files("diemtin.lang").joinpath(f"data/{filename}").read_text(encoding="utf-8")
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, variants, *kind = unicodedata.normalize("NFC", line).split("\t")
        for v in variants.split("|"):
            table[v.strip().casefold()] = (canonical.strip(), kind[0].strip() if kind else "")
    return table
