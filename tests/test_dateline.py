"""Publication date from a dateline line near the top of the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from diemtin.clean.dateline import find_publication_date, has_stamp, is_labelled, parse_dateline

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = DATA / "seed-cluster"


@pytest.mark.parametrize(
    "line, iso",
    [
        ("Thứ Hai, 10/01/2022 14:35 (GMT+7)", "2022-01-10T14:35+07:00"),
        ("10/01/2022 14:35", "2022-01-10T14:35"),
        ("Cập nhật: 10/01/2022, 08:00", "2022-01-10T08:00"),
        ("Thứ hai, 10/1/2022, 14:35 (GMT+7)", "2022-01-10T14:35+07:00"),
        ("14:35 | 10/01/2022", "2022-01-10T14:35"),
        ("Chủ nhật, 16/1/2022 - 07:00", "2022-01-16T07:00"),
        ("Thứ Tư, 12/01/2022, 07:35 GMT+7", "2022-01-12T07:35+07:00"),
        ("Đăng lúc 07:35 ngày 12/01/2022", "2022-01-12T07:35"),
        ("10/01/2022 02:35 PM", "2022-01-10T14:35"),
        ("09:10:14 17/11/2024", "2024-11-17T09:10:14"),
        ("Thứ Bảy, ngày 15 tháng 1 năm 2022", "2022-01-15"),
        ("2022-01-10 14:35", "2022-01-10T14:35"),
        ("Thanh Hà - 10/01/2022 14:35", "2022-01-10T14:35"),  # a byline with the stamp
        ("10-01-2022", "2022-01-10"),
    ],
)
def test_dateline_lines(line: str, iso: str) -> None:
    assert parse_dateline(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "Ngày 12/1, người phát ngôn Bộ Ngoại giao Mỹ Ned Price cho biết",  # event date in prose
        "Ngày 10/01/2022, Bộ Y tế công bố thêm 3 ca mắc mới",  # full date, still prose
        "Giá vàng ngày 10/01/2022 tăng mạnh",
        "31/02/2022 14:35",  # no such day
        "10/01/2022 14:35 và 11/01/2022 09:00 có 2 cuộc họp",
        "Theo dõi VGT trên",
        "14:35",
        "",
    ],
)
def test_not_datelines(line: str) -> None:
    assert parse_dateline(line) is None


def test_find_at_top() -> None:
    text = "Nga, Mỹ đàm phán an ninh\n\nThứ Hai, 10/01/2022 14:35 (GMT+7)\n\nNgày 10/1, tại Geneva ..."
    assert find_publication_date(text) == ("2022-01-10T14:35+07:00", 2)


def test_published_preferred_over_updated() -> None:
    text = "Tiêu đề\nCập nhật: 11/01/2022, 08:00\nĐăng: 10/01/2022 14:35\nNội dung bài báo."
    assert find_publication_date(text) == ("2022-01-10T14:35", 2)
    only_updated = "Tiêu đề\nCập nhật: 11/01/2022, 08:00\nNội dung bài báo.\nĐoạn hai.\nĐoạn ba."
    assert find_publication_date(only_updated) == ("2022-01-11T08:00", 1)


def test_prose_dates_and_related_lists_are_ignored() -> None:
    body = "\n".join(f"Đoạn văn thứ {i} của bài báo, ngày 12/1 có nhiều diễn biến." for i in range(8))
    related = "\nTin liên quan\nBão số 4 tác động rất rộng\n09:10:14 17/11/2024\nMột tin khác\n12:41:34 19/09/2024"
    assert find_publication_date("Tiêu đề bài báo\n" + body + related) is None


def test_dateline_too_deep_is_ignored() -> None:
    lines = ["Tiêu đề", "Sapo của bài.", "Đoạn một.", "Đoạn hai.", "Đoạn ba.", "10/01/2022 14:35"]
    assert find_publication_date("\n".join(lines + ["Đoạn bốn."] * 6)) is None


def test_seed_articles_have_no_false_dateline() -> None:
    # the seed pages' only timestamps are in "related news" lists at the end
    if not SEED.is_dir():
        pytest.skip(f"seed data not found at {SEED} (shared data absent)")
    files = sorted(SEED.glob("*.txt"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "/2024" in text or "/2025" in text or f.name.startswith("003")
        assert find_publication_date(text) is None, f.name


def test_seed_article_with_dateline_inserted() -> None:
    if not SEED.is_dir():
        pytest.skip(f"seed data not found at {SEED} (shared data absent)")
    lines = (SEED / "004_ed021bb4d3f2b618.txt").read_text(encoding="utf-8").split("\n")
    lines.insert(1, "Thứ Sáu, 21/01/2022 19:05 (GMT+7)")
    assert find_publication_date("\n".join(lines)) == ("2022-01-21T19:05+07:00", 1)


def test_byline_note_labels_and_glued_stamps() -> None:
    # a compiler's note in brackets after the byline does not hide the stamp
    assert parse_dateline("Thu Hà (tổng hợp) | 19/04/2016 19:00") == "2016-04-19T19:00"
    assert parse_dateline("Đăng lúc 06:24 ngày 26/06/2018") == "2018-06-26T06:24"
    assert is_labelled("Ngày đăng: 20/07/2023") and is_labelled("Thời gian đăng: 04/11/2015 14:06:40")
    assert not is_labelled("Thứ Hai, 10/01/2022 14:35") and not is_labelled("Cập nhật: 10/01/2022")
    # a full date and a clock time inside a longer line (a byline and its stamp); a headline's
    # date alone is not a stamp
    assert has_stamp("Thanh Hương (tổng hợp) | 19/04/2016 19:00")
    assert not has_stamp("Giá heo hơi ngày 22/7/2022: Nhiều địa phương tiếp tục tăng")
    assert not has_stamp("Khoảng 16h ngày 19/5, anh Huy điều khiển xe máy")


def test_cleaner_reads_the_dateline_only_above_the_body() -> None:
    from diemtin.clean.cleaner import clean_article
    from diemtin.model import Article

    body = [
        "Chiều 12/7, một trận mưa lớn kéo dài hơn hai giờ đã khiến nhiều tuyến phố ở Hà Nội ngập sâu.",
        "Theo Trung tâm Dự báo, lượng mưa đo được tại quận Hoàn Kiếm vượt 120 mm, cao nhất từ đầu mùa.",
    ]
    related = [
        "TIN LIÊN QUAN",
        "Giá vàng hôm nay tăng mạnh",
        "17:54:08 10/07/2024",
        "Lịch âm hôm nay",
        "09:10 11/07/2024",
    ]
    # after the body: a related item's stamp, never the page's date
    a = Article(id="a", title="Hà Nội mưa lớn", raw_text="\n".join(body + related))
    clean_article(a)
    assert a.published is None
    # above the body (under the headline, or under the lead): the page's date
    for raw in (["Thứ Hai, 10:09 13/11/2019 (GMT+7)", *body], [body[0], "13/11/2019 10:09", body[1]]):
        a = Article(id="b", title="Hà Nội mưa lớn", raw_text="\n".join(raw + related))
        clean_article(a)
        assert (a.published or "")[:10] == "2019-11-13" and a.published_source == "dateline"
    # a related box above the headline: its stamps are items, the one under the headline is the date
    headline = "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu"
    raw = [*related, headline, "13/11/2019 10:09", *body]
    a = Article(id="c", title="Trang chủ » Thời sự", raw_text="\n".join(raw))
    clean_article(a)
    assert a.title == headline and (a.published or "")[:10] == "2019-11-13"
