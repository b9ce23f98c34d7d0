"""Publication date from a dateline line near the top of the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from diemtin.clean.dateline import find_publication_date, parse_dateline

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
