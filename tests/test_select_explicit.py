"""A person named short in the summary ("Theo ông Biên, …") is shown with the rest of their name
in brackets ("ông [Hoàng Ngọc] Biên"), flagged as inserted, unless the summary named them before."""

from __future__ import annotations

import json

from diemtin.evaluation.readability import readability
from diemtin.lang.tokens import count_syllables
from diemtin.model import Article, Cluster, Sentence
from diemtin.pipeline import process
from diemtin.render.formats import to_json

LEAD = ("Sáng 3/12, Tòa án nhân dân TP Hà Nội mở phiên xét xử vụ án lừa đảo chiếm đoạt tài sản "
        "tại Công ty bất động sản Sao Mai.")
INTRO = "Luật sư Hoàng Ngọc Biên, người bào chữa cho bị cáo, có mặt tại tòa từ sớm cùng gia đình thân chủ."
SHORT = ("Theo ông Biên, bị cáo Trần Văn Hùng đã khắc phục toàn bộ hậu quả cho các bị hại nên xứng đáng "
         "được giảm nhẹ hình phạt.")
LEAD2 = ("Tòa án nhân dân TP Hà Nội xét xử vụ án lừa đảo chiếm đoạt tài sản tại Công ty bất động sản "
         "Sao Mai vào sáng 3/12.")
OTHER2 = "Hơn 200 khách hàng đã nộp tiền mua căn hộ tại dự án nhưng chưa nhận được nhà sau nhiều năm."
MORE2 = "Bị cáo Trần Văn Hùng đã khắc phục toàn bộ hậu quả cho các bị hại trước phiên xét xử."


def _cluster(intro: str = INTRO, short: str = SHORT, extra: str = "") -> Cluster:
    return Cluster(id="t", articles=[
        Article(id="a", title="Xét xử vụ lừa đảo tại Công ty Sao Mai", raw_text=f"{LEAD}\n{intro}\n{short}"),
        Article(id="b", title="Vụ lừa đảo tại Công ty Sao Mai", raw_text=f"{LEAD2}\n{OTHER2}\n{MORE2}{extra}"),
    ])


def _summary(cluster: Cluster, words: int) -> Cluster:
    process(cluster, words, parts=("summary",))
    return cluster


def test_a_short_named_sentence_shows_the_full_name_in_brackets() -> None:
    """At 60 syllables the lead and "Theo ông Biên, …" fit, the lawyer's introduction does not:
    the sentence is chosen anyway, showing the rest of his name as inserted words."""
    cluster = _summary(_cluster(), 60)
    [s] = [s for s in cluster.digest.summary if "Trần Văn Hùng" in s.text and s.sources[0].article == "a"]
    assert s.text.startswith("Theo ông [Hoàng Ngọc] Biên, bị cáo")
    assert not any(INTRO[:20] in t.text for t in cluster.digest.summary)
    # the inserted syllables count in the budget
    assert sum(count_syllables(t.text) for t in cluster.digest.summary) <= 60
    [ins] = s.inserted
    assert s.text[ins.start : ins.end] == "[Hoàng Ngọc]" and ins.words == "Hoàng Ngọc"
    # it comes from the sentence naming him in full; the sentence's own sources do not change
    article = cluster.article("a")
    assert (ins.source.article, article.text[ins.source.start : ins.source.end]) == ("a", INTRO)
    assert article.text[s.sources[0].start : s.sources[0].end] == SHORT
    # every other character is the source's: the spans give the text less the insertion
    assert "".join(article.text[a:b] for a, b in s.spans) == s.source_text() == SHORT


def test_json_flags_the_inserted_words_by_offset() -> None:
    cluster = _summary(_cluster(), 60)
    data = json.loads(to_json(cluster))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    flagged = [s for s in data["summary"] if s["inserted"]]
    assert len(flagged) == 1
    [s] = flagged
    [ins] = s["inserted"]
    assert s["text"][ins["start"] : ins["end"]] == "[Hoàng Ngọc]"
    assert texts[ins["source"]["article"]][ins["source"]["start"] : ins["source"]["end"]] == INTRO
    own = texts[s["sources"][0]["article"]]
    kept = "".join(own[a:b] for a, b in s["spans"])
    rest = s["text"][: ins["start"]] + s["text"][ins["end"] :]
    assert " ".join(kept.split()) == " ".join(rest.split())  # (the space after "]" is not the source's)
    for other in data["summary"]:
        if not other["inserted"]:
            assert "".join(texts[other["sources"][0]["article"]][a:b] for a, b in other["spans"]) == other["text"]


def test_no_insertion_once_the_summary_named_the_person_in_full() -> None:
    cluster = _summary(_cluster(), 200)
    texts = [s.text for s in cluster.digest.summary]
    assert INTRO in texts and SHORT in texts  # shown as its article has it
    assert texts.index(INTRO) < texts.index(SHORT)
    assert all(not s.inserted for s in cluster.digest.summary)
    assert not any("[" in t for t in texts)


def test_the_name_is_inserted_where_the_summary_first_names_the_person() -> None:
    """In reading order: the first sentence naming him short shows the full name, a later one
    does not; after a sentence naming him in full, none does."""
    from diemtin.select.selector import ConceptSelector, _named_once

    later = "\nÔng Biên đề nghị hội đồng xét xử xem xét hoàn cảnh gia đình khó khăn của bị cáo Trần Văn Hùng."
    cluster = _cluster(extra=later)
    process(cluster, 60, parts=("summary",))
    an, _ = ConceptSelector()._prepare(cluster)
    by_text = {c.text: c for c in an.cands}
    short, second, intro = by_text[SHORT], by_text[later.strip()], by_text[INTRO]
    assert short.spelled is not None and second.spelled is not None and intro.spelled is None
    shown = [c.text for c in _named_once([short.spelled, second.spelled])]
    assert shown == [short.spelled.text, second.text] and "[Hoàng Ngọc] Biên" in shown[0]
    assert [c.text for c in _named_once([second, short])] == [second.spelled.text, SHORT]
    assert [c.text for c in _named_once([intro, short.spelled, second])] == [INTRO, SHORT, second.text]


def test_no_insertion_for_a_name_given_by_initials() -> None:
    """"N.V.Nam" is someone named by initials, not the "Nguyễn Văn Nam" of another sentence."""
    from diemtin.select.context import KnownNames

    known = KnownNames(["Ông Nguyễn Văn Nam là giám đốc công ty."])
    assert known.short_reference("Cựu công chức N.V.Nam (ở Hà Nội) cho rằng lương thấp.") is None
    assert known.short_reference("Theo ông Nam, lương thấp.") == ("ông Nam", "Nguyễn Văn Nam")


def test_no_insertion_for_a_foreign_surname() -> None:
    """"ông Johnson" is how the press names Mark Johnson once named in full: nothing to insert."""
    intro = "Luật sư Mark Johnson, người bào chữa cho bị cáo, có mặt tại tòa từ sớm cùng gia đình thân chủ."
    short = SHORT.replace("ông Biên", "ông Johnson")
    for words in (60, 200):
        cluster = _summary(_cluster(intro=intro, short=short), words)
        assert all(not s.inserted and "[" not in s.text for s in cluster.digest.summary)


def test_no_insertion_when_two_people_bear_the_name() -> None:
    """Two men called "… Biên" in the cluster: which one "ông Biên" is, the summary does not guess."""
    two = "\nÔng Nguyễn Văn Biên, một khách hàng mua căn hộ, cho biết đã chờ nhận nhà suốt 5 năm qua."
    one = "\nÔng Nguyễn Văn Tâm, một khách hàng mua căn hộ, cho biết đã chờ nhận nhà suốt 5 năm qua."
    assert any(s.inserted for s in _summary(_cluster(extra=one), 60).digest.summary)
    cluster = _summary(_cluster(extra=two), 60)
    assert all(not s.inserted and "[" not in s.text for s in cluster.digest.summary)


def test_an_explicit_name_is_not_lost_context() -> None:
    cluster = _summary(_cluster(), 60)
    shown = [Sentence(s.sources[0].article, s.sources[0].sentence, 0, 0, 0, s.text) for s in cluster.digest.summary]
    [explicit] = [s for s in shown if "[" in s.text]
    assert readability(cluster, shown)["lost_context"] == 0
    # the same sentence without the insertion, with nothing naming him before, is
    assert readability(cluster, [Sentence("a", 2, 0, 0, 0, SHORT)])["lost_context"] == 1
    # the tokens ROUGE reads drop the brackets, keep the words
    assert explicit.tokens[:5] == ["theo", "ông", "hoàng", "ngọc", "biên"]


def test_the_inserted_words_are_the_rest_of_the_name() -> None:
    from diemtin.select.context import ShortReference
    from diemtin.select.explicit import shown_words, with_full_name

    made = with_full_name("Theo ông Biên, bị cáo đã khắc phục hậu quả.", ShortReference("ông Biên", "Hoàng Ngọc Biên"))
    assert made is not None and made.text == "Theo ông [Hoàng Ngọc] Biên, bị cáo đã khắc phục hậu quả."
    assert (made.text[made.start : made.end], made.words) == ("[Hoàng Ngọc]", "Hoàng Ngọc")
    # "Anh Quân" is his given name, not a title and a name: the rest goes before both
    made = with_full_name("Điểm thi mà Anh Quân đạt được rất cao.", ShortReference("Anh Quân", "Lê Phùng Anh Quân"))
    assert made is not None and made.text == "Điểm thi mà [Lê Phùng] Anh Quân đạt được rất cao."
    assert shown_words(made.text) == "Điểm thi mà Lê Phùng Anh Quân đạt được rất cao."
    # a given name alone: the rest goes before it
    made = with_full_name("Tháng 4/2013, Khương đã đến bệnh viện.", ShortReference("Khương", "Trần Nguyễn An Khương"))
    assert made is not None and made.text == "Tháng 4/2013, [Trần Nguyễn An] Khương đã đến bệnh viện."


def test_a_place_is_no_full_name_to_insert() -> None:
    """"Châu Mỹ" opens on a surname but is a place (the gazetteer's): "ở Mỹ" names no one short."""
    from diemtin.select.context import KnownNames

    known = KnownNames(["Biến thể BA.5 lan ra Châu Âu, Lâm Đồng và Châu Mỹ.", "Bà Lê Thị N. nói."])
    for text in ("Biến thể BA.5 thống trị ở Mỹ và châu Âu.", "Đồng thời, số ca mắc tăng.", "Ca mắc ở miền Nam tăng."):
        assert known.short_reference(text) is None, text
    # ("Mỹ." ends a sentence; "N." is an initial, and "bà N." is her)
    assert known.short_reference("Theo bà N., ca mắc tăng.") == ("bà N.", "Lê Thị N.")


def test_every_person_a_sentence_names_short_is_named_or_it_waits() -> None:
    from diemtin.select.selector import ConceptSelector

    two = "\nÔng Biên cho rằng ông Hùng đã thành khẩn khai báo và ăn năn hối cải trong suốt quá trình điều tra."
    bare = "\nÔng Biên cho rằng Hùng đã thành khẩn khai báo và ăn năn hối cải trong suốt quá trình điều tra."
    for extra in (two, bare):
        cluster = _cluster(extra=extra)
        process(cluster, 60, parts=("summary",))
        an, _ = ConceptSelector()._prepare(cluster)
        [c] = [c for c in an.cands if c.text == extra.strip()]
        e = c.spelled
        assert e is not None
        title = "ông " if extra == two else ""  # "Hùng" alone, where only a name can stand, is him too
        assert e.text == (f"Ông [Hoàng Ngọc] Biên cho rằng {title}[Trần Văn] Hùng đã thành khẩn khai báo và ăn năn "
                          "hối cải trong suốt quá trình điều tra.")
        assert [e.text[i.start : i.end] for i in e.inserted] == ["[Hoàng Ngọc]", "[Trần Văn]"]
        assert e.length == c.length + 4


# -- a pronoun subject made explicit ------------------------------------------------------------

ANNOUNCE = ("Chiều 5/3, Bộ Công Thương công bố kế hoạch điều chỉnh giá điện bán lẻ áp dụng từ ngày "
            "1/4 trên cả nước.")
NAMED = "Thứ trưởng Bộ Công Thương Trần Quốc Khánh chủ trì buổi họp báo công bố kế hoạch tại Hà Nội."
PRONOUN = ("Ông cho biết giá điện bình quân sẽ tăng 3%, mức tăng thấp nhất trong 5 năm qua, để hỗ trợ "
           "doanh nghiệp sản xuất phục hồi.")


def test_an_opening_pronoun_names_the_one_person_before_it() -> None:
    from diemtin.select.explicit import antecedent

    assert antecedent(NAMED, "ông") == "Trần Quốc Khánh"
    assert antecedent("Ngoại trưởng Nga Sergei Lavrov chủ trì cuộc họp báo tại Moskva.", "ông") == "Sergei Lavrov"
    # two people, or none: no guess
    assert antecedent("Ông Nguyễn Văn An gặp ông Lê Văn Bình tại Hà Nội.", "ông") is None
    assert antecedent("Hội đồng NATO nhóm họp tại Brussels hôm 12/1.", "ông") is None
    # "Ông" is no "Nguyễn Thị …"
    assert antecedent("Bà Nguyễn Thị Hoa được bổ nhiệm làm Giám đốc Sở Tài chính.", "ông") is None
    assert antecedent("Bà Nguyễn Thị Hoa được bổ nhiệm làm Giám đốc Sở Tài chính.", "bà") == "Nguyễn Thị Hoa"
    # the place and the organisation before the name are not his name ("Hà" of "Hà Nội" is no surname)
    assert antecedent("Chủ tịch UBND TP Đà Nẵng Lê Trung Chinh dự lễ khởi công.", "ông") == "Lê Trung Chinh"
    assert antecedent("Chủ tịch UBND TP Hà Nội Trần Sỹ Thanh dự lễ khởi công.", "ông") == "Trần Sỹ Thanh"


def _candidate(title: str, lines: list[str], index: int):  # noqa: ANN202 (the selector's private _Candidate)
    """The summary candidate of sentence ``index`` of a one-article cluster of ``lines``."""
    from diemtin.select.selector import ConceptSelector

    cluster = Cluster(id="t", articles=[Article(id="a", title=title, raw_text="\n".join(lines))])
    process(cluster, 60, parts=("summary",))
    an, _ = ConceptSelector()._prepare(cluster)
    [c] = [c for c in an.cands if c.sentence.index == index]
    return c


def test_a_pronoun_past_the_opening_names_the_one_person_before_it() -> None:
    """"Thi thể của ông …" in a sentence naming no one, read away from the sentence before it,
    shows whom "ông" stands for in brackets (the one person that sentence names)."""
    lead = "Ông Trần Văn Phúc, 67 tuổi, ngụ xã Hòa Bình, mất tích từ chiều 3/9 khi đi thăm ruộng."
    body = "Sau hai ngày tìm kiếm, thi thể của ông được tìm thấy bên bờ suối cách nhà khoảng 3 km."
    c = _candidate("Tìm thấy thi thể người mất tích", [lead, body], 1)
    assert c.text == ("Sau hai ngày tìm kiếm, thi thể của ông [Trần Văn Phúc] được tìm thấy bên bờ suối "
                      "cách nhà khoảng 3 km.")
    assert c.eligible and [i.sentence.index for i in c.inserted] == [0]


def _pronoun_summary(words: int) -> Cluster:
    article = Article(id="a", title="Giá điện tăng 3% từ ngày 1/4", raw_text=f"{ANNOUNCE}\n{NAMED}\n{PRONOUN}")
    cluster = Cluster(id="t", articles=[article])
    process(cluster, words, parts=("summary",))
    return cluster


def test_a_pronoun_sentence_away_from_its_antecedent_shows_the_name_in_brackets() -> None:
    """At 40 syllables the pronoun sentence is chosen without the sentence naming the deputy
    minister: it shows his name as inserted words, traced to that sentence."""
    cluster = _pronoun_summary(40)
    [s] = [s for s in cluster.digest.summary if "giá điện bình quân" in s.text]
    assert s.text.startswith("Ông [Trần Quốc Khánh] cho biết")
    [ins] = s.inserted
    assert s.text[ins.start : ins.end] == "[Trần Quốc Khánh]" and ins.words == "Trần Quốc Khánh"
    text = cluster.article("a").text
    assert text[ins.source.start : ins.source.end] == NAMED
    assert "".join(text[a:b] for a, b in s.spans) == PRONOUN
    from diemtin.select.context import lost_context
    from diemtin.select.explicit import shown_words

    assert lost_context(PRONOUN) is not None and lost_context(shown_words(s.text)) is None  # as a reader reads it


def test_a_pronoun_sentence_right_after_its_antecedent_reads_as_written() -> None:
    cluster = _pronoun_summary(80)
    texts = [s.text for s in cluster.digest.summary]
    assert NAMED in texts and PRONOUN in texts  # no brackets: the name is the sentence before
    assert texts.index(NAMED) == texts.index(PRONOUN) - 1
    assert not any(s.inserted for s in cluster.digest.summary)


def test_an_office_with_no_name_names_its_one_holder_in_the_cluster() -> None:
    from diemtin.select.explicit import office_holder

    texts = ["Chiều 2/7, Phó Thủ tướng Lê Văn Thành chủ trì cuộc họp trực tuyến về bão số 1.",
             "Phó Thủ tướng yêu cầu các bộ, ngành, địa phương không được chủ quan."]
    assert office_holder("Phó Thủ tướng", texts) == "Lê Văn Thành"
    assert office_holder("Phó Thủ tướng", [*texts, "Phó Thủ tướng Trần Hồng Hà dự lễ khởi công."]) is None
    named = ["Giám đốc Sở Nội vụ Hà Nội Trần Đình Cảnh cho biết."]
    assert office_holder("Giám đốc Sở Nội vụ", named) == "Trần Đình Cảnh"  # the place before the name dropped
    assert office_holder("Bộ trưởng", ["Bộ trưởng Bộ Y tế cho biết số ca mắc giảm."]) is None  # no one named


def test_a_bare_office_sentence_shows_its_holder_in_brackets() -> None:
    lead = ("Chiều 2/7, Phó Thủ tướng Lê Văn Thành chủ trì cuộc họp trực tuyến với các địa phương "
            "ven biển về ứng phó bão số 1.")
    other = "Bão số 1 đã gây gió mạnh cấp 7, giật cấp 9 tại đảo Bạch Long Vĩ trong đêm 1/7."
    office = ("Phó Thủ tướng yêu cầu các bộ, ngành, địa phương tuyệt đối không chủ quan với mưa lớn "
              "do hoàn lưu bão gây lũ quét, sạt lở đất tại các tỉnh miền núi phía Bắc.")
    cluster = Cluster(id="t", articles=[
        Article(id="a", title="Ứng phó bão số 1", raw_text=f"{lead}\n{other}\n{office}")])
    process(cluster, 45, parts=("summary",))
    [s] = [s for s in cluster.digest.summary if "lũ quét" in s.text]
    assert s.text.startswith("Phó Thủ tướng [Lê Văn Thành] yêu cầu")
    [ins] = s.inserted
    text = cluster.article("a").text
    assert text[ins.source.start : ins.source.end] == lead
    assert "".join(text[a:b] for a, b in s.spans) == office


FIRE = [
    "Khoảng 20 giờ ngày 14/7/2022, một vụ cháy lớn xảy ra tại xưởng gỗ ở xã Tân Phú, huyện Đức Hòa.",
    "Lực lượng cứu hỏa đã điều 6 xe chữa cháy đến hiện trường để dập lửa và cứu người mắc kẹt.",
    "Đến khoảng 22 giờ cùng ngày, đám cháy cơ bản được khống chế, không có thiệt hại về người.",
]


def test_the_same_day_shows_the_day_the_date_layer_read() -> None:
    """"… 22 giờ cùng ngày" read away from the sentence telling that day shows the day in
    brackets, flagged as inserted with the sentence that wrote it; a "cùng ngày" the date
    layer cannot tie to a day told before is not made up."""
    from diemtin.select.explicit import same_day

    cluster = Cluster(id="t", articles=[Article(id="a", title="Cháy xưởng gỗ ở Đức Hòa",
                                                raw_text="\n".join(FIRE))])
    process(cluster, 60, parts=("summary",))
    article = cluster.articles[0]
    shown, told = same_day(cluster.dates, article, article.sentences[2], year="2022")
    assert (shown, told.index) == ("14/7", 0)
    # another year is written out; a sentence with no "cùng ngày" has none
    assert same_day(cluster.dates, article, article.sentences[2], year="2023")[0] == "14/7/2022"
    assert same_day(cluster.dates, article, article.sentences[1]) is None
    # with nothing before it to tie it to, the day is not guessed
    alone = Cluster(id="u", articles=[Article(id="b", title="Cháy xưởng gỗ", raw_text="\n".join(FIRE[1:]))])
    process(alone, 60, parts=("summary",))
    assert same_day(alone.dates, alone.articles[0], alone.articles[0].sentences[1]) is None


def test_a_same_day_sentence_away_from_its_day_shows_it_in_brackets() -> None:
    c = _candidate("Cháy xưởng gỗ ở Đức Hòa", FIRE, 2)
    assert c.text == "Đến khoảng 22 giờ cùng ngày [14/7], đám cháy cơ bản được khống chế, không có thiệt hại về người."
    assert [(c.text[i.start : i.end], i.sentence.index) for i in c.inserted] == [("[14/7]", 0)]
    assert c.eligible  # chosen anywhere: it says which day
