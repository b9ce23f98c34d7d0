"""The cluster's main event (select/event.py), the opener it gives, one event told twice, the
last pick made for its room, and droppable connectives (select/trim.py): on real text."""

from __future__ import annotations

import datetime as dt

import pytest

from diemtin.ingest.read import read_inputs
from diemtin.lang.tokens import count_syllables
from diemtin.model import Article, Cluster
from diemtin.pipeline import process

# Three reports of one story (a Japan–South Korea summit in Tokyo on 16/3), written for the test.
_SUMMIT = [
    (
        "a",
        "Nhật Bản và Hàn Quốc nối lại đối thoại thượng đỉnh",
        "Ngày 16/3, Thủ tướng Nhật Bản Fumio Kishida và Tổng thống Hàn Quốc Yoon Suk-yeol đã hội đàm "
        "tại Tokyo, cuộc gặp thượng đỉnh đầu tiên giữa hai nước sau 12 năm.\n"
        "Hai nhà lãnh đạo nhất trí khôi phục các chuyến thăm con thoi và nối lại đối thoại an ninh.\n"
        "Ngày 14/3, Bộ Ngoại giao Hàn Quốc đã công bố kế hoạch bồi thường cho các nạn nhân lao động "
        "cưỡng bức thời chiến, mở đường cho cuộc gặp.",
    ),
    (
        "b",
        "Thượng đỉnh Nhật - Hàn tại Tokyo",
        "Ngày 15/3, giới chức hai nước cho biết công tác chuẩn bị cho cuộc gặp ngày 16/3 đã hoàn tất.\n"
        "Ngày 16/3, ông Kishida và ông Yoon đã có cuộc hội đàm kéo dài hơn một giờ tại văn phòng Thủ "
        "tướng Nhật Bản ở Tokyo.\n"
        "Sau cuộc gặp, Nhật Bản tuyên bố dỡ bỏ các hạn chế xuất khẩu vật liệu bán dẫn sang Hàn Quốc.",
    ),
    (
        "c",
        "Hàn Quốc rút đơn kiện Nhật Bản tại WTO",
        "Ngày 16/3, Hàn Quốc thông báo rút đơn khiếu nại Nhật Bản tại Tổ chức Thương mại Thế giới "
        "sau khi Tokyo nới lỏng kiểm soát xuất khẩu.\n"
        "Giới quan sát đánh giá đây là bước tiến quan trọng trong quan hệ song phương vốn căng thẳng "
        "nhiều năm qua.",
    ),
]


def _summit() -> Cluster:
    return Cluster(
        id="summit",
        articles=[Article(id=i, title=t, raw_text=x, published="2023-03-17") for i, t, x in _SUMMIT],
    )


def test_the_main_event_day_is_the_one_most_articles_state() -> None:
    from diemtin.select.event import event_days, main_event_day

    cluster = _summit()
    process(cluster, 60, parts=("summary",))
    refs = [(a.id, s.index) for a in cluster.distinct_articles for s in a.sentences]
    found, main = event_days(cluster, refs)
    days = dict(zip(refs, found, strict=True))
    summit = dt.date(2023, 3, 16).toordinal()
    assert main_event_day(cluster) == summit  # all three articles give 16/3
    assert days[("a", 0)] == days[("b", 1)] == days[("c", 0)] == summit
    assert main[refs.index(("a", 0))] and main[refs.index(("b", 1))] and main[refs.index(("c", 0))]
    # the eve "Ngày 15/3 … cuộc gặp ngày 16/3" tells 15/3: not the summit; 14/3 is background
    assert not main[refs.index(("b", 0))] and not main[refs.index(("a", 2))]


def test_one_article_has_no_main_event() -> None:
    """A day only one article states is that article's story, not the cluster's centre."""
    from diemtin.select.event import event_days, main_event_day

    i, t, x = _SUMMIT[0]
    cluster = Cluster(id="one", articles=[Article(id=i, title=t, raw_text=x, published="2023-03-17")])
    process(cluster, 60, parts=("summary",))
    refs = [(a.id, s.index) for a in cluster.distinct_articles for s in a.sentences]
    assert main_event_day(cluster) is None and not any(event_days(cluster, refs)[1])


def test_a_short_summary_opens_on_the_main_event() -> None:
    cluster = _summit()
    process(cluster, 45, parts=("summary",))
    first = cluster.digest.summary[0]
    assert "16/3" in first.text, [s.text for s in cluster.digest.summary]


def test_one_event_told_twice_in_other_words_is_told_once() -> None:
    """Two articles report the 16/3 talks in different words (well under the 70% of shared
    content syllables a general repeat needs): on the same event day, one of them is enough."""
    from diemtin.select.selector import ConceptSelector, SelectorConfig, _same_fact

    cluster = _summit()
    process(cluster, 200, parts=("summary",))
    sel = ConceptSelector()
    an = sel._analyse(cluster)
    by_ref = {(c.article.id, c.sentence.index): c for c in an.cands}
    a, b = by_ref[("a", 0)], by_ref[("b", 1)]
    shared = len(a.content & b.content) / min(len(a.content), len(b.content))
    assert 0.35 <= shared < 0.7
    assert _same_fact(a, b, sel.config)
    assert not _same_fact(a, b, SelectorConfig(same_day_overlap=1.0))
    # another fact of the same day, in words of its own, is not a repeat
    assert not _same_fact(a, by_ref[("c", 0)], sel.config)
    told = {(s.sources[0].article, s.sources[0].sentence) for s in cluster.digest.summary}
    assert not {("a", 0), ("b", 1)} <= told


@pytest.fixture(scope="module")
def real_clusters(abmusu_path, vims_dir) -> list[Cluster]:
    clusters = read_inputs(abmusu_path)[:24] + read_inputs(vims_dir)[:8]
    for c in clusters:
        process(c, 120, parts=())
    return clusters


@pytest.mark.parametrize("words", [100, 200])
def test_the_last_pick_uses_the_room_it_has(real_clusters: list[Cluster], words: int) -> None:
    """The last sentence is swapped only for a longer one that fits: never a longer summary than
    the budget, never a shorter one than without the swap, and on some clusters a fuller one."""
    from diemtin.select.selector import ConceptSelector, SelectorConfig

    fuller = 0
    for c in real_clusters:
        with_fill = sum(count_syllables(s.text) for s in ConceptSelector()(c, words))
        without = sum(count_syllables(s.text) for s in ConceptSelector(SelectorConfig(fill_last=False))(c, words))
        assert without <= with_fill <= words, c.id
        fuller += with_fill > without
    assert fuller >= 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Ngoài ra, Bộ Y tế khuyến cáo người dân đeo khẩu trang.", "Bộ Y tế khuyến cáo người dân đeo khẩu trang."),
        ("Đồng thời, Sở Giáo dục Hà Nội yêu cầu các trường rà soát.", "Sở Giáo dục Hà Nội yêu cầu các trường rà soát."),
        ("Bên cạnh đó, Công an tỉnh Nghệ An đã lập chốt kiểm tra.", "Công an tỉnh Nghệ An đã lập chốt kiểm tra."),
        # what follows does not open like a sentence: kept whole
        ("Ngoài ra, các bệnh viện phải bố trí khu cách ly.", "Ngoài ra, các bệnh viện phải bố trí khu cách ly."),
        # a contrast, a cause, a time say how it relates to what came before: kept
        ("Tuy nhiên, Hà Nội vẫn chưa công bố lịch thi.", "Tuy nhiên, Hà Nội vẫn chưa công bố lịch thi."),
        ("Do đó, Hà Nội lùi lịch thi một tuần.", "Do đó, Hà Nội lùi lịch thi một tuần."),
        ("Trước đó, Công an tỉnh Nghệ An đã lập chốt.", "Trước đó, Công an tỉnh Nghệ An đã lập chốt."),
    ],
)
def test_trim_drops_an_opening_connective_before_a_name(text: str, shown: str) -> None:
    from diemtin.select.context import lost_context
    from diemtin.select.trim import kept_spans, trimmed

    out = trimmed(text, kept_spans(text))
    assert out == shown
    if out != text:
        assert lost_context(out) is None  # it now stands alone


@pytest.mark.parametrize(
    ("text", "stalled"),
    [
        ("Vòng đàm phán thương mại giữa Anh và EU tại London đã khép lại mà không đạt được đột phá nào.", True),
        ("Các nhà đàm phán Anh và EU không có dấu hiệu cho thấy đã thu hẹp bất đồng về nghề cá.", True),
        ("Đàm phán về ngân sách giữa hai đảng rơi vào bế tắc.", True),
        ("Phía Hàn Quốc không thấy khả năng đạt được thỏa hiệp với Nhật Bản về bồi thường lao động.", True),
        ("Anh và EU đạt được tiến triển quan trọng về quy tắc xuất xứ hàng hóa.", False),
        ("Không ai ngờ rằng vòng đàm phán lại kéo dài tới ba ngày.", False),
    ],
)
def test_a_stalled_outcome_is_recognised(text: str, stalled: bool) -> None:
    from diemtin.lang.tokens import syllables
    from diemtin.select.paraphrase import no_progress

    assert no_progress(syllables(text)) is stalled


def test_one_outcome_two_tellings_keeps_the_one_read_at_the_news_day(seed_dir) -> None:
    """The seed: Geneva, 10/1, "hai bên không đạt được tiến bộ" (Ryabkov, read at the talks'
    day) and "Mỹ không nhận thấy cơ hội đạt được thỏa hiệp" (Smith, the day after) tell one
    outcome; at every length the summary tells it once, by the sentence of the talks' day."""
    from diemtin.ingest.read import read_inputs

    for words in (100, 200, 400):
        cluster = read_inputs(seed_dir)[0]
        process(cluster, words, parts=("summary",))
        texts = " ".join(s.text for s in cluster.digest.summary)
        assert "không đạt được tiến bộ" in texts, words
        assert "không nhận thấy cơ hội đạt được thỏa hiệp" not in texts, words


def test_the_same_actors_getting_nowhere_is_told_once() -> None:
    """Two reports that talks in London ended without a result, in words they do not share, are
    one fact; a third saying what one side will do next is another."""
    from diemtin.select.selector import ConceptSelector, _same_fact

    texts = {
        "a": "Vòng đàm phán thương mại giữa Anh và EU tại London đã khép lại mà không đạt được đột phá nào. "
        "Hai bên sẽ gặp lại nhau vào tháng tới tại Brussels để bàn tiếp về nghề cá và trợ cấp.",
        "b": "Sau năm ngày làm việc căng thẳng, các nhà thương thuyết của Anh và EU vẫn chưa có tiến triển đáng kể "
        "về những vấn đề then chốt. Thủ tướng Anh cho biết London sẵn sàng ra đi mà không cần thỏa thuận.",
    }
    cluster = Cluster(
        id="brexit", articles=[Article(id=k, title="Đàm phán Anh - EU", raw_text=v) for k, v in texts.items()]
    )
    process(cluster, 200, parts=("summary",))
    an = ConceptSelector()._analyse(cluster)
    by_ref = {(c.article.id, c.sentence.index): c for c in an.cands}
    a, b, other = by_ref[("a", 0)], by_ref[("b", 0)], by_ref[("b", 1)]
    assert a.stalled and b.stalled and not other.stalled
    assert _same_fact(a, b, ConceptSelector().config)
    assert not _same_fact(a, other, ConceptSelector().config)


# Three reports of a trade agreement signed in Hanoi on 5/4, written for the test: the
# sentences of that day are both the signing itself and ministers' comments on it.
_TRADE = [
    (
        "a",
        "Việt Nam và Australia ký hiệp định thương mại nông sản",
        "Bộ trưởng Công Thương Việt Nam đánh giá lễ ký hiệp định thương mại nông sản với Australia ngày "
        "5/4 tại Hà Nội là dấu mốc mở ra thị trường rộng lớn cho trái cây và thủy sản hai nước.\n"
        "Hiệp định cắt giảm thuế nhập khẩu đối với hơn 300 dòng hàng nông sản trong vòng 5 năm.",
    ),
    (
        "b",
        "Hiệp định nông sản Việt Nam - Australia",
        "Ngày 5/4, Việt Nam và Australia đã ký hiệp định thương mại nông sản tại Hà Nội.\n"
        "Theo hiệp định, thuế nhập khẩu trái cây và thủy sản sẽ giảm dần về 0%.",
    ),
    (
        "c",
        "Australia mở cửa cho trái cây Việt",
        "Bộ trưởng Thương mại Australia cho biết hiệp định thương mại nông sản ký ngày 5/4 tại Hà Nội "
        "sẽ giúp trái cây và thủy sản Việt Nam vào thị trường Australia dễ dàng hơn.\n"
        "Doanh nghiệp hai nước kỳ vọng kim ngạch nông sản tăng mạnh từ năm sau.",
    ),
]


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        ("Bộ trưởng đánh giá lễ ký là dấu mốc.", True),
        ("Hiệp định, theo ông, sẽ có hiệu lực sớm, người phát ngôn cho biết.", True),
        ("Ngày 5/4, hai nước đã ký hiệp định tại Hà Nội.", False),
        ("Biển báo ghi rõ giờ mở cửa.", False),  # "ghi" is no verb of saying here
    ],
)
def test_a_reported_reaction_is_told_from_an_event(text: str, reports: bool) -> None:
    from diemtin.lang.tokens import syllables
    from diemtin.select.context import reports_speech

    assert reports_speech(syllables(text)) is reports


def test_the_lead_states_the_event_not_a_reaction_to_it() -> None:
    from diemtin.lang.tokens import syllables
    from diemtin.select.context import reports_speech
    from diemtin.select.selector import ConceptSelector, SelectorConfig

    cluster = Cluster(
        id="trade", articles=[Article(id=i, title=t, raw_text=x, published="2023-04-06") for i, t, x in _TRADE]
    )
    process(cluster, 45, parts=())
    lead = ConceptSelector()(cluster, 45)[0].text
    assert "5/4" in lead and not reports_speech(syllables(lead))
    # without the rule, the most valued sentence of that day (a minister's comment) opens
    reaction = ConceptSelector(SelectorConfig(lead_states_event=False))(cluster, 45)[0].text
    assert reports_speech(syllables(reaction))


def test_two_pages_saying_the_same_talks_got_nowhere_tell_it_once() -> None:
    """Two sentences saying talks got nowhere, naming one shared actor and read at the same day
    (own or borrowed from their article), are one outcome; on another day they are two."""
    from diemtin.select.selector import ConceptSelector, SelectorConfig, _same_fact

    def outcome_pair(second_day: str) -> tuple:
        a = Article(id="a", published="2023-06-03", raw_text=(
            "Ngày 2/6, phái đoàn Pháp và Trung Quốc đàm phán về thương mại tại Bắc Kinh.\n"
            "Kết thúc cuộc đàm phán, Trưởng đoàn Pháp cho biết hai bên không đạt được tiến bộ đáng kể."))
        b = Article(id="b", published="2023-06-03", raw_text=(
            f"Ngày {second_day}, các cuộc thảo luận của phái đoàn Pháp kết thúc mà không có dấu hiệu "
            "thu hẹp bất đồng."))
        cluster = Cluster(id="t", articles=[a, b])
        process(cluster, 80, parts=())
        by_ref = {(k.article.id, k.sentence.index): k for k in ConceptSelector()._analyse(cluster).cands}
        return by_ref[("a", 1)], by_ref[("b", 0)]

    first, second = outcome_pair("2/6")
    assert first.stalled and second.stalled and len(first.names & second.names) == 1
    assert _same_fact(first, second, SelectorConfig())
    first, second = outcome_pair("1/6")  # an earlier round: its own outcome
    assert not _same_fact(first, second, SelectorConfig())
