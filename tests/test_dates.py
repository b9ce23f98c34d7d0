"""The date layer (dates stage): cluster.dates / cluster.now, filled once, read by everyone."""

from __future__ import annotations

import random
from datetime import date

import pytest

from diemtin.dates import find_dates
from diemtin.lang.dates import vn_date
from diemtin.model import Article, Cluster
from diemtin.pipeline import digest
from diemtin.segment.sentences import segment_article


def _cluster(*texts: str, published: str | None = None) -> Cluster:
    arts = [Article(id=f"a{i}", text=t, published=published) for i, t in enumerate(texts)]
    for a in arts:
        segment_article(a)
    return find_dates(Cluster(id="t", articles=arts))


def test_shift_of_an_unknown_year_is_an_unknown_year() -> None:
    """Issue 8: a relative shift of an ``XXXX`` year did arithmetic on a stand-in year (9998, 10001)."""
    text = ("Bộ phim ra mắt năm 2022 và rất thành công. Ngày 5/7, đoàn phim công bố phần 2. "
            "Phần 2 sẽ lên sóng sau 5 năm nữa, tức 2 năm sau ngày 5/7.")
    c = digest([{"title": "Phim", "text": text}])
    years = [m.date[:4] for m in c.dates]
    assert all(y == "XXXX" or 1900 <= int(y) <= 2100 for y in years), years
    assert all(not e.date.startswith("99") for e in c.digest.timeline)
    # a long shift of an unknown year: no ValueError, still unknown
    c = _cluster("Ngày 5/7, đoàn phim công bố phần 2. Phần 3 ra mắt 150 năm sau.")
    shifted = [m for m in c.dates if m.expression.startswith("150")]
    assert shifted and all(m.date == "XXXX" and m.ordinal is None for m in shifted)


def test_field_semantics() -> None:
    c = _cluster("Ngày 10/1, Nga và Mỹ đàm phán tại Geneva. Hôm qua, NATO họp.", published="2022-01-13")
    by = {m.expression: m for m in c.dates}
    assert by["Ngày 10/1"].date == "2022-01-10" and by["Ngày 10/1"].ordinal == date(2022, 1, 10).toordinal()
    assert by["Ngày 10/1"].kind == "explicit" and by["Hôm qua"].kind == "deictic"
    assert by["Hôm qua"].date == "2022-01-12"
    for m in c.dates:  # offsets point into Article.text
        assert c.article(m.article_id).text[m.start : m.end] == m.expression
    assert c.now is not None and c.now.date == "2022-01-13" and c.now.confidence == 1.0


def test_layer_is_built_once_by_the_pipeline() -> None:
    c = digest([{"title": "T", "text": "Ngày 10/1/2022, Nga và Mỹ đàm phán tại Geneva về an ninh châu Âu."}])
    assert [m.date for m in c.dates] == ["2022-01-10"]
    assert c.digest.timeline and c.digest.timeline[0].date == "2022-01-10"
    assert "dates_ms" in c.digest.stats


@pytest.mark.parametrize(
    "iso, precision, words, shown",
    [
        ("2022-01-10", "day", False, "10/1/2022"),
        ("2022-01-10", "day", True, "ngày 10/1/2022"),
        ("2021-12", "month", True, "tháng 12/2021"),
        ("2014", "year", True, "năm 2014"),
        ("1990-01-01/1999-12-31", "decade", False, "thập niên 1990"),
        ("2019-01-01/2023-12-31", "range", False, "2019–2023"),
        ("2021-12-11/2021-12-20", "range", False, "11–20/12/2021"),
        ("XXXX-05-19", "day", False, "19/5 (chưa rõ năm)"),
        ("XXXX-07", "month", False, "tháng 7 (chưa rõ năm)"),
    ],
)
def test_vn_date(iso: str, precision: str, words: bool, shown: str) -> None:
    assert vn_date(iso, precision, words) == shown


_FORMS = [
    "ngày {d}/{m}", "hôm {d}-{m}-{y}", "tháng {m}", "cuối tháng {m}/{y}", "năm {y}", "những năm {dec}",
    "{n} năm sau", "{n} tháng trước", "cách đây {n} ngày", "cùng ngày", "trước đó", "hôm qua", "tuần tới",
    "thứ Hai", "từ ngày {d} đến {d2}/{m}", "năm nay", "{n} tuần sau", "sáng nay ({d}/{m})",
]


@pytest.mark.parametrize("seed", [3, 17, 2024])
def test_random_expressions_never_crash_and_stay_in_range(seed: int) -> None:
    rnd = random.Random(seed)
    texts = []
    for _ in range(6):
        sents = []
        for _ in range(rnd.randint(1, 12)):
            form = rnd.choice(_FORMS)
            sents.append("Sự kiện diễn ra " + form.format(
                d=rnd.randint(1, 31), d2=rnd.randint(1, 31), m=rnd.randint(1, 12), y=rnd.randint(1900, 2099),
                dec=rnd.randrange(1900, 2100, 10), n=rnd.choice([1, 2, 5, 30, 150, 200])) + ".")
        texts.append(" ".join(sents))
    published = rnd.choice([None, "2016-02-29", "2022-01-03"])
    c = _cluster(*texts, published=published)
    for m in c.dates:
        y = m.date[:4]
        assert y == "XXXX" or 1700 <= int(y) <= 2300, m
        assert (m.ordinal is None) == ("XXXX" in m.date.split("/")[0]), m
