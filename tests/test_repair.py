"""Text repair: dotted obfuscation, invisible characters, doubled titles."""

from __future__ import annotations

import unicodedata

import pytest

from diemtin.clean.cleaner import clean_article
from diemtin.clean.repair import (
    OTHER_SPACES,
    fix_dotted_words,
    is_syllable,
    normalize_line,
    repair_line,
    strip_prefix,
    undouble,
)
from diemtin.model import Article


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("t.iền", "tiền"),
        ("Ryabkov t.ố c.áo các hành động", "Ryabkov tố cáo các hành động"),
        ("đ.ánh giá thấp", "đánh giá thấp"),
        ("vụ á.m s.át hụt", "vụ ám sát hụt"),
        ("Quỹ T.iền tệ Quốc tế", "Quỹ Tiền tệ Quốc tế"),
        ("bé 19 tháng t.uổi", "bé 19 tháng tuổi"),
        ("“nỗ lực tống t.iền và đe dọa”.", "“nỗ lực tống tiền và đe dọa”."),
        ("tầm b.ắn mạnh hơn", "tầm bắn mạnh hơn"),
        # two-letter words at the end of a sentence are not "a.m." abbreviations
        ("là tô luôn câu đ.ó.", "là tô luôn câu đó."),
        ("do phi công gây r.a.", "do phi công gây ra."),
        ("lại tô B d.o...nhìn nhầm", "lại tô B do...nhìn nhầm"),
    ],
)
def test_dotted_words_are_joined(raw: str, fixed: str) -> None:
    assert fix_dotted_words(raw) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "TP.HCM",
        "lúc 10 a.m. giờ địa phương",
        "e.g. như vậy",
        "ngày 10.1 tại Geneva",
        "3.000 binh sĩ",
        "U.S. Army",
        "Theo dõi Baoquocte.vn trên",
        "vnexpress.net",
        "liên hệ info@soha.vn",
        "tăng 2.5 điểm",
        "Q.1, TP.HCM",
        "ThS. Nguyễn Văn A",
        "G.S Lê",
        "v.v.",
        "lúc 9 a.m. hôm qua",
        "ở Hà Nội.Theo đó",
        "ông.và",
        "https://a.b.vn/x.html",
        "Tháng 12.2021",
        "PGS.TS Trần",
        "www.t.vn",
    ],
)
def test_dotted_lookalikes_untouched(text: str) -> None:
    assert fix_dotted_words(text) == text


def test_syllable_structure() -> None:
    for s in ["tiền", "nghiêng", "khuỷu", "quốc", "giặt", "đánh", "ám", "ngoằn", "Tiền"]:
        assert is_syllable(s), s
    for s in ["baoquoctevn", "vv", "tphcm", "email", "ghà", "tiềc", "kan", "xyz", "hcm"]:
        assert not is_syllable(s), s


def test_normalize_line_nfc_and_invisibles() -> None:
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt")
    assert normalize_line(decomposed) == "Tiếng Việt"
    assert normalize_line("a\u200bb\u200c\u200d\u2060\ufeffc") == "abc"
    assert normalize_line("\u00a0 Hà\u00a0\u00a0Nội \t ") == "Hà Nội"
    for spaced in ("Hà  Nội", " Hà Nội", "Hà Nội ", "Hà\u2009Nội", "Hà\u3000Nội"):
        assert normalize_line(spaced) == "Hà Nội"


def test_other_spaces_are_what_split_splits_at() -> None:
    # normalize_line skips the split-and-join when none of these (nor a doubled or edge space) is there
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert [ch for ch in spaces if not OTHER_SPACES.fullmatch(ch)] == [" "]
    assert all(chr(c).isspace() for c in range(0x3001) if OTHER_SPACES.fullmatch(chr(c)))


def test_undouble() -> None:
    t = "Bitcoin biến động như tàu lượn, chuyên gia cảnh báo"
    assert undouble(t + t) == t
    assert undouble(t + " " + t) == t
    assert undouble("Ông Zelensky nói gì?Ông Zelensky nói gì?") == "Ông Zelensky nói gì?"
    for keep in ["haha haha", "Mưa mưa", "Đi đi đi đi", t]:
        assert undouble(keep) == keep


def test_repair_line_combines_everything() -> None:
    raw = unicodedata.normalize("NFD", "Nga t.ố c.áo Mỹ\u00a0tống t.iền") + "\u200b"
    assert repair_line(raw) == "Nga tố cáo Mỹ tống tiền"


def test_cleaner_applies_repairs_and_records_duplicates() -> None:
    title = "Bitcoin biến động như tàu lượn, chuyên gia cảnh báo"
    raw = "\n".join(
        [
            "Giá Bitcoin hôm nay đ.ánh rơi 10%, giới đầu tư lo ngại về\u00a0một đợt t.ố c.áo mới từ cơ quan quản lý.",
            "Các chuyên gia khuyên nhà đầu tư nên thận trọng trong những ngày tới khi thị trường còn biến động.",
            "Các chuyên gia khuyên nhà đầu tư nên thận trọng trong những ngày tới khi thị trường còn biến động.",
        ]
    )
    a = Article(id="b", title=title, raw_text=raw)
    clean_article(a)
    assert "đánh rơi 10%, giới đầu tư lo ngại về một đợt tố cáo mới" in a.text
    assert a.text.count("Các chuyên gia khuyên") == 1
    assert [(r.line, r.reason) for r in a.removed] == [(3, "duplicate")]


@pytest.mark.parametrize(
    ("line", "tag"),
    [
        ("VOV.VN - Công an tỉnh Đồng Nai đang phối hợp điều tra vụ cháy.", "VOV.VN - "),
        ("VOV.VN- Công an tỉnh Đồng Nai đang phối hợp điều tra vụ cháy.", "VOV.VN- "),
        ("(Dân trí) - Sáng 12/1, Bộ Y tế công bố thêm 15.000 ca mắc mới.", "(Dân trí) - "),
        ("TTO - Sáng 12/1, Bộ Y tế công bố thêm 15.000 ca mắc mới trong ngày.", "TTO - "),
        ("BRUSSELS - Tổng thư ký NATO loan báo việc ký kết văn kiện mới.", "BRUSSELS - "),
        ("Baonghean.vn - Sáng 12/1, tỉnh tổ chức hội nghị tổng kết năm.", "Baonghean.vn - "),
    ],
)
def test_site_prefix_is_split_off(line: str, tag: str) -> None:
    assert strip_prefix(line) == (tag, line[len(tag) :])


@pytest.mark.parametrize(
    "line",
    [
        "VN-Index chỉ lình xình chiều nay khi dòng tiền vào blue-chips khá hạn chế.",
        "PV: Ông nhận định như thế nào về công tác điều hành kiềm chế lạm phát?",
        "(1) Điều kiện được hưởng trợ cấp là người lao động đã đóng bảo hiểm.",
        "Mỹ - Trung nối lại đàm phán thương mại sau nhiều tháng căng thẳng.",
        "VOV.VN - Ngắn quá.",  # nothing sentence-sized after the tag
    ],
)
def test_sentences_are_not_prefixes(line: str) -> None:
    assert strip_prefix(line) == ("", line)
