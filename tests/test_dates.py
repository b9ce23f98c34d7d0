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
        ("2021-12-11/2021-12-20", "range", False, "giữa tháng 12/2021"),  # as "giữa tháng 12/2021" is written
        ("2022-01-21/2022-01-31", "range", False, "cuối tháng 1/2022"),
        ("2022-01-12/2022-01-20", "range", False, "12–20/1/2022"),
        ("2022-01-01/2022-04-30", "range", True, "đầu năm 2022"),
        ("XXXX-02-21/XXXX-02-28", "range", False, "cuối tháng 2 (chưa rõ năm)"),
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


# --- the cluster's "now" (issue 10 §2), on texts written for these tests -------------------------


def _dates(c: Cluster) -> dict[str, str]:
    return {m.expression: m.date for m in c.dates}


def test_yearless_news_peg_goes_after_the_latest_reported_event() -> None:
    """An earlier event written with its year does not pull a later yearless date back a year."""
    c = _cluster(
        "Hôm 27/5, TAND TP Cần Thơ tuyên phạt bị cáo Trần Văn B 12 năm tù về tội lừa đảo.\n"
        "Ngày 14/10/2015, B đã khai nhận hành vi tại cơ quan điều tra.\n"
        "Cùng ngày, cơ quan điều tra thu giữ nhiều tang vật."
    )
    d = _dates(c)
    assert d["Hôm 27/5"] == "2016-05-27" and d["Ngày 14/10/2015"] == "2015-10-14"
    assert d["Cùng ngày"] == "2015-10-14"
    assert c.now.date == "2016-05-27" and 0.7 <= c.now.confidence < 1.0


def test_deadlines_and_forecasts_are_no_evidence_of_now() -> None:
    """A deadline or a plan with a year does not give the year to the story's yearless dates."""
    c = _cluster(
        "Ngày 12/3, UBND huyện họp với các hộ dân về việc giải phóng mặt bằng.\n"
        "Các hộ phải bàn giao đất trước 30/6/2009.\n"
        "Dự kiến đến năm 2030, khu đô thị mới sẽ có 20.000 dân."
    )
    d = _dates(c)
    assert d["Ngày 12/3"] == "XXXX-03-12"
    assert c.now.date is None and c.now.confidence <= 0.1
    assert all(m.ordinal is None for m in c.dates if m.expression == "Ngày 12/3")


def test_a_stated_month_and_year_fixes_the_year_and_this_year() -> None:
    c = _cluster(
        "Sáng 19/5, nhà máy đường Sơn La thông báo ngừng sản xuất.\n"
        "Hồi tháng 2-2016, nhà máy đã cắt giảm một nửa công suất.\n"
        "Từ tháng 3 năm nay, giá mía giảm mạnh."
    )
    d = _dates(c)
    assert d["Sáng 19/5"] == "2016-05-19"
    assert d["tháng 3 năm nay"] == "2016-03"


def test_a_stated_today_anchors_the_article() -> None:
    c = _cluster("Hôm nay (3/9), lễ hội khai mạc tại Huế. Tối qua, hàng nghìn người đã đổ về.\n"
                 "Lễ hội lần đầu được tổ chức vào tháng 4/2000.")
    d = _dates(c)
    assert d["Hôm nay (3/9)"].endswith("-09-03") and d["Tối qua"].endswith("-09-02")
    assert d["Hôm nay (3/9)"][:4] == d["Tối qua"][:4] != "XXXX"


def test_no_date_with_a_year_keeps_every_year_unknown() -> None:
    c = _cluster("Ngày 5/7, đội tuyển tập trung. Hôm qua, huấn luyện viên công bố danh sách.")
    assert c.now.date is None and c.now.confidence == 0.0
    assert _dates(c)["Ngày 5/7"] == "XXXX-07-05"
    assert "Hôm qua" not in _dates(c)  # counted from an unknown day: no date at all


# --- events, not passing mentions (§3) ------------------------------------------------------------


def test_background_years_are_not_events() -> None:
    c = _cluster(
        "Ngày 20/4, ông Lê Văn C cho biết công ty đã hoạt động ở đây từ năm 2012.\n"
        "Theo ông, tình hình hiện nay khó khăn như năm 2008.\n"
        "Bộ phim từng gây sốt năm 2019.\n"
        "“Gia đình tôi chuyển vào Nam khoảng năm 1995”, bà D kể.\n"
        "Năm 2010, nhà máy được khởi công.",
        published="2023-04-21",
    )
    flags = {m.expression: m.event for m in c.dates}
    assert flags["Ngày 20/4"] is True  # a day date in a statement still dates the statement
    assert flags["năm 2012"] is False and flags["năm 2008"] is False  # "từ năm 2012", "như năm 2008"
    assert flags["năm 2019"] is False and flags["năm 1995"] is False
    assert flags["Năm 2010"] is True
    from diemtin.extract.timeline import extract_timeline

    shown = {e.date for e in extract_timeline(c)}
    assert "2010" in shown and not shown & {"2012", "2008", "2019", "1995"}


def test_decades_print_as_decades() -> None:
    from diemtin.extract.timeline import extract_timeline
    from diemtin.model import Digest
    from diemtin.render.formats import to_markdown

    c = _cluster("Những năm 1990, nhiều gia đình rời làng lên thành phố tìm việc làm.", published="2020-01-01")
    (m,) = c.dates
    assert m.precision == "decade" and m.date == "1990-01-01/1999-12-31"
    c.digest = Digest(timeline=extract_timeline(c))
    assert "**thập niên 1990**" in to_markdown(c)


def test_a_failing_dates_stage_loses_only_what_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure injected into the dates stage: a Problem naming it; timeline and figures (which
    read the layer) are skipped and say why; the summary, entities and quotes are still made."""
    from diemtin import pipeline

    def boom(cluster: Cluster) -> Cluster:
        raise RuntimeError("injected failure in find_dates")

    monkeypatch.setattr(pipeline, "find_dates", boom)
    text = ("Ngày 10/1/2022, ông Nguyễn Văn An cho biết cuộc họp kéo dài 4 giờ. "
            "Ông An nói: “Chúng tôi sẽ tiếp tục đàm phán.” Cuộc họp diễn ra tại Hà Nội.")
    c = digest([{"title": "Họp", "text": text}])
    stages = {p.stage for p in c.problems}
    assert {"dates", "timeline", "figures"} <= stages
    assert c.digest.summary and not c.digest.timeline and c.dates == []


def test_day_with_a_counted_year_and_period_starts() -> None:
    c = _cluster("Ngày 12/5/2016, ban tổ chức công bố giải thưởng.\n"
                 "Giải xét các tác phẩm đăng từ ngày 1/11 năm trước đến 31/10 năm nay.")
    d = _dates(c)
    assert d["từ ngày 1/11 năm trước"] == "2015-11-01" and d["đến 31/10 năm nay"] == "2016-10-31"
    assert c.now.date == "2016-05-12"  # the start of a period is no news peg


@pytest.mark.parametrize("seed", [5, 99])
def test_token_soup_never_breaks_the_layer(seed: int) -> None:
    """Random runs of date words, digits, brackets and quotes: no exception, offsets point into
    the text, no year outside the calendar (hostile input, issue 8)."""
    from diemtin.extract.figures import extract_figures
    from diemtin.extract.timeline import extract_timeline

    rnd = random.Random(seed)
    toks = ["ngày", "hôm", "tháng", "năm", "nay", "qua", "tới", "trước", "sau", "đó", "cùng", "từ", "đến", "thứ",
            "Hai", "chủ", "nhật", "(", ")", "/", "-", ".", ",", "29", "2", "31", "12", "13", "0", "9999", "2016",
            "1900", "2099", "XXXX", "những", "cuối", "đầu", "khoảng", "“", "”", '"', "\n", "vài", "200", "giờ"]
    for _ in range(150):
        text = " ".join(rnd.choice(toks) for _ in range(rnd.randint(1, 40)))
        a = Article(id="x", text=text, published=rnd.choice([None, "2016-02-29", "bad", "2022-01-03T10:00"]))
        segment_article(a)
        c = find_dates(Cluster(id="f", articles=[a]))
        extract_timeline(c)
        extract_figures(c)
        for m in c.dates:
            assert a.text[m.start : m.end] == m.expression
            assert m.date[:4] == "XXXX" or 1000 <= int(m.date[:4]) <= 3000, m


def _roles(text: str, published: str | None = "2023-05-20") -> dict[str, tuple[str, bool, str]]:
    """expression -> (role, event, date) of every date in ``text``."""
    return {m.expression: (m.role, m.event, m.date) for m in _cluster(text, published=published).dates}


@pytest.mark.parametrize(
    "text, expression, role",
    [
        # a deadline or bound, wherever it stands: not the day of the act
        ("Bộ Y tế yêu cầu các cơ sở báo cáo kết quả trước ngày 30/6.", "trước ngày 30/6", "deadline"),
        ("Trước ngày 15/6, các trường phải công bố phương án tuyển sinh.", "Trước ngày 15/6", "deadline"),
        ("Hồ sơ dự thi phải được nộp về sở, chậm nhất ngày 15/7.", "ngày 15/7", "deadline"),
        ("Thời hạn nộp thuế là ngày 30/7/2023.", "ngày 30/7/2023", "deadline"),
        # the end of a span, after the clause's verb
        ("Giá điện được giữ nguyên đến hết 31/12.", "hết 31/12", "deadline"),
        ("Đợt cao điểm kéo dài từ ngày 20/6 đến hết ngày 20/9.", "hết ngày 20/9", "deadline"),
        ("Đợt cao điểm kéo dài từ ngày 20/6 đến hết ngày 20/9.", "từ ngày 20/6", "event"),
        # heading the clause, or "tính đến": the act, a count made then
        ("Tuy nhiên, đến ngày 29/4, Sở Y tế lại ban hành hướng dẫn mới.", "đến ngày 29/4", "event"),
        ("Đến hết ngày 8/5/2023, thành phố đã tiêm xong mũi nhắc lại.", "hết ngày 8/5/2023", "event"),
        ("Tính đến hết ngày 5/5, thành phố ghi nhận hơn 2.000 ca sốt xuất huyết.", "hết ngày 5/5", "event"),
        ("Cầu thủ này bị đau nhẹ nhưng đến hôm nay đã tập luyện bình thường.", "hôm nay", "event"),
        ("Công trình phải hoàn thành trước cuối năm nay.", "cuối năm nay", "deadline"),
        # a cited document's date is the paper's, not the sentence's act
        ("Theo Công văn số 1234/BYT-KCB ngày 5/3/2023 của Bộ Y tế, chiều 18/5, đoàn kiểm tra đã đến các nhà thuốc.",
         "ngày 5/3/2023", "background"),
        ("Theo Công văn số 1234/BYT-KCB ngày 5/3/2023 của Bộ Y tế, chiều 18/5, đoàn kiểm tra đã đến các nhà thuốc.",
         "chiều 18/5", "event"),
        ("Sở căn cứ Thông tư 22/2019/TT-BYT ngày 28/8/2019 để trả lời bạn đọc.", "ngày 28/8/2019", "background"),
        # ... unless the sentence issues it
        ("Thủ tướng đã ký Quyết định số 460/QĐ-TTg ngày 14/4/2022 phê duyệt chiến lược nợ công.",
         "ngày 14/4/2022", "event"),
        # a recalled date describing a noun inside a clause that goes on
        ("Thông tin này được một cựu quan chức nghỉ hưu hồi năm 2018 xác nhận với báo chí.", "năm 2018", "background"),
        ("Hồi tháng 3, công ty công bố khoản lỗ kỷ lục.", "tháng 3", "event"),
        ("Tổng thống đã tuyên bố tình trạng khẩn cấp hồi tháng 1.", "tháng 1", "event"),
        ("Thủ tướng Anh hồi tháng 2 đã gặp lãnh đạo các nước.", "tháng 2", "event"),
        ("Kết quả cuộc khảo sát hồi tháng 2 cho thấy giá nhà tăng mạnh.", "tháng 2", "background"),
    ],
)
def test_a_date_s_role_in_its_sentence(text: str, expression: str, role: str) -> None:
    """Issue 11 (told in the order it happened): a limit, a cited paper's date or a recalled
    aside is not when the sentence's event happened, so it orders nothing as one."""
    got = _roles(text)
    assert expression in got, got
    assert got[expression][:2] == (role, role == "event"), got


def test_a_limit_without_its_year_is_ahead_of_the_writing() -> None:
    """"đến hết 30/11" written in May is this November (it was read as last November, and a
    summary sentence dated by it was told before one of this April)."""
    got = _roles("Các sản phẩm này được phép tiếp tục lưu hành trên thị trường đến hết 30/11.", "2016-05-20")
    assert got["hết 30/11"] == ("deadline", False, "2016-11-30")
    # an act keeps the past reading
    assert _roles("Ngày 30/11, công ty công bố sản phẩm mới.", "2016-05-20")["Ngày 30/11"][2] == "2015-11-30"


@pytest.mark.parametrize(
    "cluster, document, key, expression, role",
    [
        (18, 0, "đặt chỉ tiêu hoàn thành thu nhận hồ sơ", "trước ngày 31/8", "deadline"),
        (152, 2, "chậm nhất ngày 28/7", "ngày 28/7", "deadline"),
        (72, 2, "theo yêu cầu của Chính phủ, trước ngày 20-11-2022", "trước ngày 20-11-2022", "deadline"),
        (37, 2, "Thực hiện Công điện số 724/CĐ-TTg", "ngày 16/8/2022", "background"),
        (63, 2, "thực hiện Chỉ thị số 40-CT/TW", "ngày 22/11/2014", "background"),
        (25, 0, "Chính phủ đã ban hành Nghị quyết số 103/NQ-CP", "ngày 11/8/2022", "event"),
    ],
)
def test_date_roles_on_held_out_news(cluster: int, document: int, key: str, expression: str, role: str) -> None:
    """The same roles on AbMuSu test inputs (held out: never looked at while tuning)."""
    import json

    from conftest import ABMUSU_TEST, need

    with open(need(ABMUSU_TEST), encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i == cluster:
                text = json.loads(line)["single_documents"][document]["raw_text"]
                break
    c = _cluster(text)
    art = c.articles[0]
    sent = next(s for s in art.sentences if key in s.text)
    got = {m.expression: m.role for m in c.dates if m.sentence == sent.index}
    assert got.get(expression) == role, got
