"""The project's one Vietnamese stop-word list (function syllables), loaded from ``data/stopwords.txt``."""

from __future__ import annotations

from functools import cache
from importlib import resources

from diemtin.lang.tokens import nfc


@cache
def stopwords() -> frozenset[str]:
    """Lowercase NFC function syllables ("và", "của", "đã", ...)."""
    raw = resources.files("diemtin.lang").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    words = (w for line in raw.splitlines() if not line.lstrip().startswith("#") for w in line.split())
    return frozenset(nfc(w).lower() for w in words)


STOPWORDS: frozenset[str] = stopwords()


def content_syllables(tokens: list[str]) -> list[str]:
    """The syllables of ``tokens`` that are not function syllables (nor bare numbers)."""
    return [t for t in tokens if t not in STOPWORDS and not t.isdigit()]
