"""Sentence segmentation on sentences taken from the shared Vietnamese news data."""

from __future__ import annotations

import pytest

from diemtin.model import Article
from diemtin.segment.sentences import segment_article, split_sentences


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abmusu: TP.HCM mid-sentence, then a real boundary
        (
            "Xuân Phúc gác mọi công việc tại TP.HCM, chia tay vợ con để ra Hà Nội theo đoàn phim 'Đấu trí'. "
            "Anh vào vai Đại úy Dương Văn Phong.",
            [
                "Xuân Phúc gác mọi công việc tại TP.HCM, chia tay vợ con để ra Hà Nội theo đoàn phim 'Đấu trí'.",
                "Anh vào vai Đại úy Dương Văn Phong.",
            ],
        ),
        # abmusu: ThS. and PGS.TS. before a name are not boundaries
        (
            "Theo ThS. Vương Thị Thủy, Giảng viên Bộ môn Tâm thần, bệnh có thể chữa. "
            "PGS.TS. Ngô Trí Long nhấn mạnh điều đó.",
            [
                "Theo ThS. Vương Thị Thủy, Giảng viên Bộ môn Tâm thần, bệnh có thể chữa.",
                "PGS.TS. Ngô Trí Long nhấn mạnh điều đó.",
            ],
        ),
        # abmusu: addresses with P.Bến Nghé, Q.1, and a sentence ending on "Q.5."
        (
            "Công ty thay đổi trụ sở chính từ số 32 Lê Lợi, P.Bến Nghé, Q.1 về số 5A/2 Trần Phú, P.4, Q.5. "
            "Người đại diện theo pháp luật không đổi.",
            [
                "Công ty thay đổi trụ sở chính từ số 32 Lê Lợi, P.Bến Nghé, Q.1 về số 5A/2 Trần Phú, P.4, Q.5.",
                "Người đại diện theo pháp luật không đổi.",
            ],
        ),
        # seed 001: a date written "10.1" and a number "100.000"
        (
            "Thứ trưởng Bộ Ngoại giao Sergei Ryabkov trong cuộc họp báo sau đàm phán với phía Mỹ ngày 10.1. "
            "Nga đã điều hơn 100.000 quân và thiết bị hạng nặng tới biên giới Ukraine.",
            [
                "Thứ trưởng Bộ Ngoại giao Sergei Ryabkov trong cuộc họp báo sau đàm phán với phía Mỹ ngày 10.1.",
                "Nga đã điều hơn 100.000 quân và thiết bị hạng nặng tới biên giới Ukraine.",
            ],
        ),
        # seed 002: a decimal comma is no boundary
        (
            "Cuộc gặp kéo dài khoảng 7,5 giờ, diễn ra sau cánh cửa đóng kín. Phía Mỹ do Wendy Sherman đứng đầu.",
            ["Cuộc gặp kéo dài khoảng 7,5 giờ, diễn ra sau cánh cửa đóng kín.", "Phía Mỹ do Wendy Sherman đứng đầu."],
        ),
        # seed 002: a sentence closing inside the quote keeps its closing mark
        (
            "Sherman cho biết: “Chúng tôi đã kiên quyết… đẩy lùi các đề xuất an ninh.” Sherman nói với các phóng viên.",
            [
                "Sherman cho biết: “Chúng tôi đã kiên quyết… đẩy lùi các đề xuất an ninh.”",
                "Sherman nói với các phóng viên.",
            ],
        ),
        # abmusu: an ellipsis ends a sentence before an upper-case word
        (
            "Tránh khuôn mẫu, sáo rỗng, hô khẩu hiệu… Với dạng câu hỏi này, học sinh cần nêu quan điểm.",
            ["Tránh khuôn mẫu, sáo rỗng, hô khẩu hiệu…", "Với dạng câu hỏi này, học sinh cần nêu quan điểm."],
        ),
        # a missing space after the period still splits; lower-case after a dot does not
        (
            "Lạm phát tháng 9 tăng 2,58%.Trong khi đó giá vàng giảm. Baoquocte.vn đưa tin.",
            ["Lạm phát tháng 9 tăng 2,58%.", "Trong khi đó giá vàng giảm.", "Baoquocte.vn đưa tin."],
        ),
        # initials and quotes ending with ." then a new sentence
        (
            'Ông J. Smith nói: "Không có gì thay đổi". Tổng thống Mỹ Joe Biden im lặng.',
            ['Ông J. Smith nói: "Không có gì thay đổi".', "Tổng thống Mỹ Joe Biden im lặng."],
        ),
        # list numbering at the start of a paragraph stays with its sentence
        (
            "1. Thay vì lo lắng và áp lực, các em cần rà soát lại kiến thức.",
            ["1. Thay vì lo lắng và áp lực, các em cần rà soát lại kiến thức."],
        ),
    ],
)
def test_split_sentences_on_news_text(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


@pytest.mark.parametrize(
    "address",
    ["(tổ 8, KP. 3, phường Long Hải)", "ở TDP. Tân Hòa, thị trấn", "tại KCN. Quang Minh", "trên QL. 1A đoạn qua xã"],
)
def test_address_abbreviations_are_no_boundary(address: str) -> None:
    # held-out blind read: "… gia đình bà Nguyễn Thị Hoa (tổ 8, KP." was cut at the address
    text = f"Chúng tôi tìm đến gia đình bà Hoa {address} vào buổi sáng. Bà kể lại."
    assert sents(text) == [f"Chúng tôi tìm đến gia đình bà Hoa {address} vào buổi sáng.", "Bà kể lại."]


def test_offsets_point_into_article_text() -> None:
    article = Article(id="a", text="Câu một ở TP.HCM. Câu hai!\n\nĐoạn hai, ngày 10.1. Hết.")
    segment_article(article)
    assert [s.text for s in article.sentences] == ["Câu một ở TP.HCM.", "Câu hai!", "Đoạn hai, ngày 10.1.", "Hết."]
    assert [s.paragraph for s in article.sentences] == [0, 0, 1, 1]
    for s in article.sentences:
        assert article.text[s.start : s.end] == s.text
    assert [article.text[p.start : p.end] for p in article.paragraphs] == [
        "Câu một ở TP.HCM. Câu hai!",
        "Đoạn hai, ngày 10.1. Hết.",
    ]


def test_real_corpus_sentences_are_sane(abmusu_path) -> None:
    """On 50 real clusters: offsets exact, no sentence starts lower-case after a split."""
    from diemtin.ingest.read import read_inputs
    from diemtin.pipeline import process

    clusters = read_inputs(abmusu_path)[:50]
    n = bad = 0
    for c in clusters:
        process(c, 100, parts=())
        for a in c.articles:
            for s in a.sentences:
                assert a.text[s.start : s.end] == s.text
                n += 1
                first = s.text[0]
                bad += first.isalpha() and first.islower()
    assert n > 2000
    assert bad / n < 0.02


def test_runs_of_end_punctuation_are_one_boundary() -> None:
    def parts(text: str) -> list[str]:
        return [text[s:e] for s, e in split_sentences(text)]

    assert parts("Thật sao?! Đúng vậy.") == ["Thật sao?!", "Đúng vậy."]
    assert parts("Chờ đã.... Rồi đi.") == ["Chờ đã....", "Rồi đi."]
    assert parts("Chờ đã…. Rồi đi.") == ["Chờ đã….", "Rồi đi."]
    long = "Ông A nói" + "." * 40_000  # one pass, not a backtrack per dot (bench_scaling: "periods")
    assert parts(long) == [long]
    initials = "Ông A. B. " * 2_000 + "Hết."  # initials never end a sentence, however many
    assert parts(initials) == [initials.strip()]
