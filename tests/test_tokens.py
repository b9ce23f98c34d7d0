"""The syllable tokenizer's fast path (stdlib ``re``) gives ``regex``'s tokens."""

import re

from diemtin.ingest.encoding import _RE_WORD, _WORD
from diemtin.lang.tokens import _RE_TOKEN, _TOKEN, RE_AGREES, cased_syllables, reads_alike, syllables


def _agreeing() -> list[str]:
    """Every character of the class ``[RE_AGREES]`` (single characters and ``a-b`` ranges)."""
    out: list[str] = []
    for lo, hi in re.findall(r"(.)(?:-(.))?", RE_AGREES, re.S):
        out.extend(chr(c) for c in range(ord(lo), ord(hi or lo) + 1))
    return out


def test_both_engines_read_every_agreeing_character_alike():
    chars = _agreeing()
    assert len(chars) > 900 and "\u00bb" in chars and "ễ" in chars and "“" in chars and "_" in chars
    for ch in chars:
        assert bool(_TOKEN.fullmatch(ch)) == bool(_RE_TOKEN.fullmatch(ch)), hex(ord(ch))
        assert bool(_WORD.fullmatch(ch)) == bool(_RE_WORD.fullmatch(ch)), hex(ord(ch))
    assert not reads_alike("m²") and not reads_alike("e\u0301") and reads_alike("Thủ tướng – “Hà Nội”…")


def test_fast_and_slow_paths_give_the_same_tokens():
    assert syllables("Ông Nguyễn Văn A nói: “Hôm nay, 12/1…” — xem tại www.vn_express.net") == [
        "ông", "nguyễn", "văn", "a", "nói", "hôm", "nay", "12", "1", "xem", "tại", "www", "vn_express", "net"]
    # a character beyond the agreement (a superscript, a combining mark) takes regex's path
    assert syllables("m² và e\u0301") == _TOKEN.findall("m² và é")
    assert cased_syllables("Hà Nội ²") == ["Hà", "Nội"]
