"""Words that make a sentence lean on the one before it (``data/context.tsv``): pronoun
subjects, connectives, "theo ông", demonstratives, anaphors like "nước này", verbs of saying."""

from __future__ import annotations

from functools import cache
from importlib import resources

from diemtin.lang.tokens import syllables


@cache
def context_words() -> dict[str, frozenset[tuple[str, ...]]]:
    """``kind -> phrases`` (each a tuple of lowercase syllables)."""
    raw = resources.files("diemtin.lang").joinpath("data/context.tsv").read_text(encoding="utf-8")
    out: dict[str, set[tuple[str, ...]]] = {}
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, phrase = line.split("\t", 1)
        out.setdefault(kind.strip(), set()).add(tuple(syllables(phrase)))
    return {k: frozenset(v) for k, v in out.items()}
