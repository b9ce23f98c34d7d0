"""lang.tokens.nfc normalizes long texts piece by piece: the result must be exactly NFC."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diemtin.lang import tokens

# Letters, Vietnamese in both forms, lone and stacked combining marks, Hangul jamo (which
# compose starter + starter), spaces and newlines: everything that could compose across a cut.
ALPHABET = list("aAeEoOuUyY đĐ\n") + [
    "\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b",
    "\u1100", "\u1161", "\u11a8", "\uac00",
] + list(unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết ở Hà Nội")) + list("ườợ ở")


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "NFC_PIECE", 7)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=120).map("".join))
def test_piecewise_nfc_is_exact_nfc(text: str) -> None:
    old = tokens.NFC_PIECE
    tokens.NFC_PIECE = 7
    try:
        assert tokens.nfc(text) == unicodedata.normalize("NFC", text)
    finally:
        tokens.NFC_PIECE = old


def test_long_text_with_one_stray_mark(small_pieces: None) -> None:
    rng = random.Random(20261202)
    words = ["Thủ", "tướng", "cho", "biết", "Mỹ", "Nga", "đàm", "phán", "e\u0309", "x\u0309", "\u0309"]
    text = " ".join(rng.choice(words) for _ in range(5000))
    assert tokens.nfc(text) == unicodedata.normalize("NFC", text)
    assert len(text) > 10 * tokens.NFC_PIECE
