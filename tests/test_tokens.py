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


def _beside_by_definition(text: str, n: int, reach: int, pos: int) -> tuple[list[str], list[str]]:
    return syllables(text[max(pos - reach, 0) : pos])[-n:], syllables(text[pos : pos + reach])[:n]


def test_syllables_beside_is_its_definition_at_every_offset():
    from gold_clusters import load_gold_cluster

    from diemtin.lang.tokens import syllables_beside

    texts = [a.text[:3000] for a in load_gold_cluster("seed-cluster").articles[:3]]
    # the slow path: a text not read alike (a superscript, a combining mark, Greek capital sigma)
    texts += ["Diện tích 25 m² ở ΟΔΟΣ Σ, gần e\u0301 " * 12, "x" * 300 + " 5 người " + "y" * 200, "a b", ""]
    for text in texts:
        for n, reach in ((8, 240), (2, 10), (3, 5)):
            before, after = syllables_beside(text, n, reach)
            for pos in range(len(text) + 1):
                assert (before(pos), after(pos)) == _beside_by_definition(text, n, reach, pos), (text[:40], n, pos)
