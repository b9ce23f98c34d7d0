"""Syllable tokens: the unit of length budgets, ROUGE and word-overlap features.

Vietnamese words are one or more space-separated syllables; counting and matching
syllables (NFC, lowercase, Unicode ``\\w+``) keeps every diacritic, unlike ASCII
tokenizers that turn ``Mỹ`` and ``Mẹ`` into the same token.
"""

from __future__ import annotations

import unicodedata

import regex

_TOKEN = regex.compile(r"\w+", regex.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def syllables(text: str) -> list[str]:
    """Lowercased NFC syllable tokens of ``text``."""
    return _TOKEN.findall(nfc(text).lower())


def count_syllables(text: str) -> int:
    return sum(1 for _ in _TOKEN.finditer(text))


def truncate_syllables(text: str, limit: int) -> str:
    """``text`` cut after its first ``limit`` syllables (used to level lengths for ROUGE)."""
    for i, m in enumerate(_TOKEN.finditer(text)):
        if i == limit:
            return text[: m.start()].rstrip()
    return text


def cased_syllables(text: str) -> list[str]:
    """NFC syllable tokens with their case kept (a capital tells a name from a pronoun)."""
    return _TOKEN.findall(nfc(text))
