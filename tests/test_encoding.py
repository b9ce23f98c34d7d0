"""Encodings: UTF-8/16, windows-1258, TCVN3, VNI; refusing junk; Vietnamese-ness."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from diemtin.errors import InputError
from diemtin.ingest.encoding import (
    TCVN3_TABLE,
    decode_bytes,
    detect_encoding,
    encode_legacy,
    is_vietnamese_syllable,
    normalize_text,
    vietnamese_ratio,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = DATA / "seed-cluster"

VI = (
    "Ngày 10/1, tại Geneva đã diễn ra cuộc tham vấn về đảm bảo an ninh giữa Nga và Mỹ.\n"
    "Thứ trưởng Ngoại giao Nga Sergey Ryabkov cho biết hai bên không đạt được tiến bộ.\n"
    "Ông khẳng định Tổng thống Vladimir Putin luôn sẵn sàng tiếp xúc với người đồng cấp Mỹ.\n"
    "Người dân ở Hà Nội, Đà Nẵng và TP.HCM theo dõi chặt chẽ diễn biến; kiết lỵ, quỹ, thuở ấy.\n"
    "Ưu tiên: Ổn định, Ấm áp, Ước mơ, Ặc, Ờ, Ỷ lại, Ỹ, Ỳ, Ữ, Ự."
)
LEGACY = ["cp1258", "tcvn3", "vni"]
EXPECTED_NAME = {"cp1258": "windows-1258", "tcvn3": "TCVN3", "vni": "VNI"}
_TCVN3_LETTERS = set(TCVN3_TABLE.values())


def tcvn3_expected(text: str) -> str:
    """TCVN3 (VN3) has no code for most upper-case toned letters: they come back lower case."""
    return "".join(
        c.lower() if not c.isascii() and c.isupper() and c not in _TCVN3_LETTERS else c for c in text
    )


def seed_sentences(limit: int = 40) -> str:
    if not SEED.is_dir():
        pytest.skip(f"seed data not found at {SEED} (shared data absent)")
    lines: list[str] = []
    for f in sorted(SEED.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) < 40:
                continue
            try:  # keep lines every legacy encoding can hold (no «, ö, zero-width ...)
                for enc in LEGACY:
                    encode_legacy(line, enc)
            except UnicodeEncodeError:
                continue
            lines.append(line)
            if len(lines) >= limit:
                return "\n".join(lines)
    return "\n".join(lines)


@pytest.mark.parametrize("enc", LEGACY)
def test_legacy_round_trip_own_sentences(tmp_path: Path, enc: str) -> None:
    path = tmp_path / f"bai-{enc}.txt"
    path.write_bytes(encode_legacy(VI, enc))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    name, text = detect_encoding(path.read_bytes(), str(path))
    assert name == EXPECTED_NAME[enc]
    expected = tcvn3_expected(VI) if enc == "tcvn3" else VI
    assert text == unicodedata.normalize("NFC", expected)
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("enc", LEGACY)
def test_legacy_round_trip_seed_articles(tmp_path: Path, enc: str) -> None:
    original = seed_sentences()
    path = tmp_path / f"seed-{enc}.txt"
    path.write_bytes(encode_legacy(original, enc))
    name, text = detect_encoding(path.read_bytes(), str(path))
    assert name == EXPECTED_NAME[enc]
    assert text == (tcvn3_expected(original) if enc == "tcvn3" else original)


def test_cp1258_uses_combining_tones_and_comes_out_nfc() -> None:
    data = encode_legacy("Hà Nội", "cp1258")
    assert data == b"H\xe0 N\xf4\xf2i"  # à exists precomposed; ộ is ô + combining dot below
    assert decode_bytes(data, "x") == "Hà Nội"
    assert decode_bytes(b"Ha\xcc N\xf4\xf2i", "x") == "Hà Nội"  # a + combining grave


def test_vni_is_base_letter_plus_mark_bytes() -> None:
    assert encode_legacy("Hà Nội", "vni") == "Haø Noäi".encode("cp1252")
    assert encode_legacy("Mỹ, Đường", "vni") == "Myõ, Ñöôøng".encode("cp1252")


def test_tcvn3_known_bytes() -> None:
    assert encode_legacy("Hà Nội", "tcvn3") == b"H\xb5 N\xe9i"
    assert decode_bytes(b"H\xb5 N\xe9i l\xb5 th\xf1 \xae\xab", "x") == "Hà Nội là thủ đô"


def test_read_stage_reads_legacy_file(tmp_path: Path) -> None:
    from diemtin.ingest.read import read_inputs

    (tmp_path / "a.txt").write_bytes(encode_legacy("Tiêu đề bài báo\nNgười dân Hà Nội đón Tết.", "vni"))
    [cluster] = read_inputs(tmp_path)
    assert not cluster.problems
    assert cluster.articles[0].title == "Tiêu đề bài báo"
    assert cluster.articles[0].raw_text == "Người dân Hà Nội đón Tết."


@pytest.mark.parametrize(
    "data",
    [
        VI.encode("utf-8"),
        VI.encode("utf-8-sig"),
        VI.encode("utf-16"),
        VI.encode("utf-16-le"),  # no BOM
        VI.encode("utf-16-be"),  # no BOM
        VI.replace("\n", "\r\n").encode("utf-8"),
        unicodedata.normalize("NFD", VI).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "crlf", "nfd"],
)
def test_unicode_forms(data: bytes) -> None:
    assert decode_bytes(data, "x") == VI


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "đầu vào rỗng"),
        (b" \n\r\n\t", "đầu vào rỗng"),
        (codecs.BOM_UTF8 + b"\n", "đầu vào rỗng"),
        (bytes(range(256)) * 8, "dữ liệu nhị phân"),
        (b"\x89PNG\r\n\x1a\n" + bytes([7, 1, 2, 3, 200, 100, 5, 6]) * 50, "dữ liệu nhị phân"),
        (bytes([0xE0, 0xF1, 0x80, 0x9F, 0xA5, 0x41, 0x42]) * 30, "không giải mã chắc chắn"),
    ],
    ids=["empty", "whitespace", "bom-only", "all-bytes", "png", "high-byte-junk"],
)
def test_refuses_junk(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data, "junk.txt")
    assert err.value.source == "junk.txt"
    assert message in err.value.message
    assert "\n" not in str(err.value)


def test_ambiguous_legacy_bytes_are_refused_not_guessed() -> None:
    # Half TCVN3, half VNI: no single decoding is clearly right, so it must be reported.
    half = VI[: len(VI) // 2]
    data = encode_legacy(half, "tcvn3") + b"\n" + encode_legacy(VI[len(VI) // 2 :], "vni")
    with pytest.raises(InputError, match="không giải mã chắc chắn"):
        decode_bytes(data, "mixed.txt")


def test_non_vietnamese_text_decodes() -> None:
    english = "The talks in Geneva ended without a breakthrough, officials said on Monday."
    chinese = "俄罗斯与美国在日内瓦举行安全会谈，双方未能取得突破。"
    assert decode_bytes(english.encode(), "en") == english
    assert decode_bytes(chinese.encode(), "zh") == chinese
    # ... also in their own legacy codepages
    assert decode_bytes(chinese.encode("gbk"), "zh-gbk") == chinese
    french = "Le café était très apprécié par les élèves. Où êtes-vous allés à Noël?"
    assert decode_bytes(french.encode("cp1252"), "fr") == french
    curly = "He said \u201chello\u201d \u2014 it\u2019s fine."
    assert decode_bytes(curly.encode("cp1252"), "en-1252") == curly
    assert vietnamese_ratio(english) < 0.2
    assert vietnamese_ratio(chinese) < 0.2
    assert vietnamese_ratio(french) < 0.2


def test_vietnamese_ratio_on_vietnamese() -> None:
    assert vietnamese_ratio(VI) > 0.8
    assert vietnamese_ratio("") == 0.0


def test_vietnamese_ratio_on_seed_articles() -> None:
    if not SEED.is_dir():
        pytest.skip(f"seed data not found at {SEED} (shared data absent)")
    for f in sorted(SEED.glob("*.txt")):
        assert vietnamese_ratio(f.read_text(encoding="utf-8")) > 0.8, f.name


@pytest.mark.parametrize("mojibake_of", ["vni", "tcvn3", "utf8-as-cp1252"])
def test_utf8_file_holding_legacy_glyphs_is_repaired(mojibake_of: str) -> None:
    if mojibake_of == "utf8-as-cp1252":
        garbled = VI.encode("utf-8").decode("latin-1")
        expected = VI
    else:
        garbled = encode_legacy(VI, mojibake_of).decode("cp1252")  # "Haø Noäi" pasted as text
        expected = tcvn3_expected(VI) if mojibake_of == "tcvn3" else VI
    name, text = detect_encoding(garbled.encode("utf-8"), "x")
    assert "repaired" in name
    assert text == expected


def test_real_text_with_accents_is_not_repaired() -> None:
    text = "The café serves crème brûlée; naïve señor Müller paid in Zürich."
    assert decode_bytes(text.encode(), "x") == text


@pytest.mark.parametrize(
    "token", ["Nguyễn", "người", "khuya", "giữ", "gì", "quý", "thuở", "Đắk", "ĐẤT", "chuyện", "nghiêng", "ươm"]
)
def test_valid_syllables(token: str) -> None:
    assert is_vietnamese_syllable(token)


@pytest.mark.parametrize(
    "token",
    [
        "haì",  # tone on the final glide: cp1258 'hà' misread
        "HaÌ",  # case flip inside a word
        "néi",  # TCVN3 'nội' read as cp1252
        "hµ",
        "bàt",  # stop coda with huyền
        "àá",
        "strength",
        "ä",
    ],
)
def test_invalid_syllables(token: str) -> None:
    assert not is_vietnamese_syllable(token)


def test_normalize_text() -> None:
    assert normalize_text("\ufeffa\r\nb\rc") == "a\nb\nc"
