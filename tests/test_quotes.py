"""Who said what (issue 4, part 3): unit behaviour, and speaker precision/recall against gold."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from gold_clusters import ISSUE10_GOLD

from diemtin.clean.cleaner import clean_cluster
from diemtin.extract.entities import extract_entities
from diemtin.extract.quotes import extract_quotes
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster, Entity, Quote
from diemtin.segment.sentences import segment_article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GOLD = Path(__file__).parent / "gold"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"real data not found at {DATA} (expected ../shared/data next to the repo)"
)


def _run(*texts: str) -> tuple[Cluster, list[Entity], list[Quote]]:
    c = Cluster(id="t", articles=[Article(id=f"a{i}", text=t) for i, t in enumerate(texts)])
    for a in c.articles:
        segment_article(a)
    ents = extract_entities(c)
    return c, ents, extract_quotes(c, ents)


def _name(ents: list[Entity], eid: str | None) -> str | None:
    return next((e.name for e in ents if e.id == eid), None)


def test_patterns_before_after_and_offsets() -> None:
    c, ents, qs = _run(
        "Thứ trưởng Ngoại giao Nga Sergei Ryabkov nói: “Chúng tôi không thấy lý do gì để ngồi lại lúc này”. "
        "“Mỹ và các đồng minh thực sự không chấp nhận các nội dung cơ bản”, ông Ryabkov nói thêm. "
        "Ông cáo buộc phương Tây thiếu sự “linh hoạt”.\n"
        "Tổng thư ký NATO Jens Stoltenberg cho biết liên minh sẽ không ngừng mở rộng khắp châu Âu."
    )
    direct = [q for q in qs if q.direct]
    assert len(direct) == 2  # 'linh hoạt' is a scare quote
    assert all(_name(ents, q.speaker) == "Sergei Ryabkov" for q in direct)
    assert direct[1].speaker_name == "Ryabkov"
    for q in qs:
        assert c.article(q.source.article).text[q.source.start : q.source.end].strip().startswith(q.text[:20])
    reported = [q for q in qs if not q.direct]
    assert len(reported) == 1 and _name(ents, reported[0].speaker) == "Jens Stoltenberg"
    assert reported[0].text.startswith("liên minh sẽ không ngừng")


def test_quote_split_across_sentences_is_one_quote() -> None:
    _, ents, qs = _run(
        "Trưởng ban Nguyễn Hải Hường trả lời phóng viên. “Cầu thủ vi phạm đạo đức sẽ bị treo giò dài hạn. "
        "Tuy nhiên trường hợp của Đình Luật chưa đến mức như vậy”, ông Hường lý giải."
    )
    direct = [q for q in qs if q.direct]
    assert len(direct) == 1
    assert "Tuy nhiên" in direct[0].text and direct[0].text.startswith("Cầu thủ")
    assert _name(ents, direct[0].speaker) == "Nguyễn Hải Hường"


def test_pronoun_resolved_only_when_unambiguous() -> None:
    _, ents, qs = _run(
        "Ngoại trưởng Nga Sergei Lavrov gặp Ngoại trưởng Mỹ Antony Blinken tại Geneva. "
        "“Chúng tôi không mong đợi bất kỳ đột phá lớn nào hôm nay”, ông nói.",
        "Ông Ryabkov dẫn đầu phái đoàn Nga. “Tôi không nghĩ rằng tình hình là vô vọng”, ông nói.",
    )
    by_article = {q.source.article: q for q in qs if q.direct}
    # two men: no guess, and no bare pronoun shown as if it named the speaker (issue 10 §5)
    assert by_article["a0"].speaker is None and by_article["a0"].speaker_name is None
    assert _name(ents, by_article["a1"].speaker) == "Ryabkov"


def test_unnamed_source_is_kept_as_written_without_id() -> None:
    _, _, qs = _run(
        "“Không có gì thay đổi, mọi thứ vẫn mờ mịt như trước”, một nguồn tin ngoại giao phương Tây cho biết."
    )
    assert len(qs) == 1 and qs[0].speaker is None
    assert qs[0].speaker_name == "một nguồn tin ngoại giao phương Tây"


# --- gold -------------------------------------------------------------------------------------


def score_quotes(gold_q: dict, gold_e: dict, entities: list[Entity], quotes: list[Quote]) -> dict[str, float]:
    variants = {g["name"]: {v.casefold() for v in g["variants"]} for g in gold_e["entities"]}
    by_id = {e.id: {v.casefold() for v in e.variants} for e in entities}
    matched = correct = attributed = attributed_ok = 0
    for g in gold_q["quotes"]:
        snippet = g["snippet"].casefold()
        hit = next((q for q in quotes if q.source.article.startswith(g["article"])
                    and snippet in q.text.casefold()), None)
        if hit is None:
            continue
        matched += 1
        ok = (hit.speaker is None) if g["speaker"] is None else bool(
            hit.speaker and by_id.get(hit.speaker, set()) & variants[g["speaker"]])
        correct += ok
        if hit.speaker is not None:
            attributed += 1
            attributed_ok += ok
    n = len(gold_q["quotes"])
    return {
        "quote_recall": matched / n,
        "speaker_precision": attributed_ok / attributed if attributed else 1.0,
        "speaker_recall": correct / n,
        "attributed": attributed,
        "matched": matched,
    }


QUOTE_FILES = sorted((GOLD / "quotes").glob("*.json"))
# Blind clusters (gold written by reading before the extractor was run on them): a floor they
# miss is recorded here with the measured numbers instead of lowering the floor.
# Blind clusters (gold written before the extractor ran on them, sha256 in the closing note).
# vims-016/100 passed after the fixes they prompted and are now seen; 030/059 are still blind.
BLIND_XFAIL: dict[str, str] = {
    "vims-030-health": "blind: speaker_precision=0.89 (8 of 9 attributed), found=0.52, speaker_recall=0.30; "
    "most gold quotes are an association's official letter ('công văn nêu rõ …') as the speaker",
    # issue 10's blind gold, first run on the unchanged extractor
    # (first run: 019 found 0.24, precision 0.67; 028 found 0.55; 047 found 0.33, precision 0.25; 055 found 0.25)
    # then (court and report verbs, "Theo báo cáo của X", unnamed sources, continued speakers):
    # 019 found 0.24 -> 0.71, 047 0.33 -> 0.75, both speaker_precision 1.00
    "vims-055-culture": "blind: found=0.50 (was 0.25; 'Đại diện bệnh viện cho biết' names no entity, a "
    "reported clause beside a direct quote in one sentence is not read), speaker_precision=1.00 (2 attributed)",
}


def _score_file(f: Path) -> tuple[dict[str, float], int]:
    gold_q = json.loads(f.read_text(encoding="utf-8"))
    gold_e = json.loads((GOLD / "entities" / f.name).read_text(encoding="utf-8"))
    cluster = read_inputs(str(DATA / gold_q["path"]))[0]
    clean_cluster(cluster)
    for a in cluster.articles:
        segment_article(a)
    entities = extract_entities(cluster)
    t0 = time.perf_counter()
    quotes = extract_quotes(cluster, entities)
    ms = (time.perf_counter() - t0) * 1000
    s = score_quotes(gold_q, gold_e, entities, quotes)
    print(f"\n[quotes] {gold_q['cluster']}: found={s['quote_recall']:.2f} "
          f"speaker_precision={s['speaker_precision']:.2f} ({s['attributed']} attributed) "
          f"speaker_recall={s['speaker_recall']:.2f}, {len(quotes)} quotes, {ms:.0f} ms")
    return s, len(gold_q["quotes"])


@needs_data
@pytest.mark.parametrize(
    "gold_file",
    [pytest.param(f, marks=pytest.mark.xfail(reason=BLIND_XFAIL[f.stem], strict=True)) if f.stem in BLIND_XFAIL
     else f for f in QUOTE_FILES],
    ids=[f.stem for f in QUOTE_FILES],
)
def test_quotes_against_gold(gold_file: Path) -> None:
    s, _ = _score_file(gold_file)
    assert s["speaker_precision"] >= 0.85
    assert s["quote_recall"] >= 0.6


# with issue 10's blind gold: first run speaker_precision=0.945 over 110, speaker_recall=0.594, found=0.693
# of 192; then 0.982 over 114, 0.635, 0.708; now 0.992 over 130, 0.745, 0.812.
@needs_data
def test_quotes_overall() -> None:
    tot = {"attributed": 0, "ok": 0.0, "correct": 0.0, "n": 0, "matched": 0.0}
    for f in QUOTE_FILES:
        s, n = _score_file(f)
        tot["attributed"] += s["attributed"]
        tot["ok"] += s["speaker_precision"] * s["attributed"]
        tot["correct"] += s["speaker_recall"] * n
        tot["matched"] += s["quote_recall"] * n
        tot["n"] += n
    precision = tot["ok"] / max(tot["attributed"], 1)
    print(f"\n[quotes] overall: speaker_precision={precision:.3f} over {tot['attributed']}, "
          f"speaker_recall={tot['correct'] / tot['n']:.3f}, found={tot['matched'] / tot['n']:.3f} of {tot['n']}")
    assert precision >= 0.90
    assert tot["correct"] / tot["n"] >= 0.65


# Issue 10's target on the blind gold it asked for (written before the extractor ran on these four
# clusters: sha256 in the gold commit bb0d52d): speaker precision >= 0.97, a null speaker allowed
# and counted apart (matched - attributed). A target missed is an xfail with the numbers.
ISSUE10 = ISSUE10_GOLD
ISSUE10_XFAIL: dict[str, str] = {
}


def _issue10_quotes(stem: str) -> dict[str, float]:
    if stem == "pooled":
        rows = [_issue10_quotes(s) for s in ISSUE10]
        att = sum(r["attributed"] for r in rows)
        return {"attributed": att, "matched": sum(r["matched"] for r in rows),
                "speaker_precision": sum(r["speaker_precision"] * r["attributed"] for r in rows) / max(att, 1)}
    return _score_file(GOLD / "quotes" / f"{stem}.json")[0]


@needs_data
@pytest.mark.parametrize(
    "stem",
    [pytest.param(s, marks=pytest.mark.xfail(reason=ISSUE10_XFAIL[s], strict=True)) if s in ISSUE10_XFAIL
     else s for s in (*ISSUE10, "pooled")],
)
def test_issue10_speaker_precision(stem: str) -> None:
    s = _issue10_quotes(stem)
    print(f"\n[quotes targets] {stem}: speaker_precision={s['speaker_precision']:.3f} over {s['attributed']} "
          f"attributed, {s['matched'] - s['attributed']} null of {s['matched']} found")
    assert s["speaker_precision"] >= 0.97


def test_markdown_groups_quotes_by_speaker_with_role() -> None:
    from diemtin.render.formats import to_markdown

    c, ents, qs = _run(
        "Thứ trưởng Ngoại giao Nga Sergei Ryabkov nói: “Chúng tôi không thấy lý do gì để ngồi lại lúc này”. "
        "“Mỹ và các đồng minh thực sự không chấp nhận các nội dung cơ bản”, ông Ryabkov nói thêm.\n"
        "Tổng thư ký NATO Jens Stoltenberg cho biết liên minh sẽ không ngừng mở rộng khắp châu Âu."
    )
    from diemtin.model import Digest

    c.digest = Digest(entities=ents, quotes=qs)
    section = to_markdown(c).split("## Phát ngôn")[1].split("## ")[0]
    assert section.count("**Sergei Ryabkov** (Thứ trưởng Ngoại giao Nga):") == 1
    ryabkov = section.split("**Sergei Ryabkov**")[1].split("- **")[0]
    assert ryabkov.count("  - “") == 2 and "[1]" in ryabkov
    assert "**Jens Stoltenberg** (Tổng thư ký NATO):" in section and "_liên minh sẽ" in section


def test_nested_quote_keeps_its_speaker() -> None:
    _, ents, qs = _run(
        "Giám đốc Sở Xây dựng Trần Văn Bình trả lời phóng viên chiều nay. "
        "“Còn công trình có bị “rút ruột” hay không thì phải chờ kết luận của đoàn kiểm tra\", ông Bình nói."
    )
    direct = [q for q in qs if q.direct]
    assert len(direct) == 1 and direct[0].text.endswith("kết luận của đoàn kiểm tra")
    assert "“rút ruột”" in direct[0].text and _name(ents, direct[0].speaker) == "Trần Văn Bình"


def test_unclosed_quote_after_colon_runs_to_paragraph_end() -> None:
    _, _, qs = _run("Cán bộ khảo sát ghi nhận: \"Tuyến đường dài 13 km, còn lại đang hoàn thiện các đoạn dẫn.\n"
                    "Cầu có 5 nhịp chính.")
    direct = [q for q in qs if q.direct]
    assert len(direct) == 1 and direct[0].text.endswith("đang hoàn thiện các đoạn dẫn.")
    assert direct[0].speaker is None and direct[0].speaker_name == "Cán bộ khảo sát"


def test_reported_speech_verbs_and_comma_after_verb() -> None:
    _, ents, qs = _run(
        "Thủ tướng Montenegro Milo Dukanovic cho biết, sau 10 năm độc lập đất nước đang tiến gần tới mục tiêu. "
        "Ông Dukanovic dự đoán rằng quá trình phê chuẩn sẽ kéo dài khoảng một năm nữa. "
        "Ngoại trưởng Pháp Jean Dupont loan báo: hai bên sẽ ký văn kiện trong ngày thứ Năm tới. "
        "Chuyên gia Jorge Benitez tại viện Atlantic (Washington, Mỹ) nhận định việc này khó gây thách thức lớn. "
        "Ông Peskov nhấn mạnh việc mở rộng là \"tiến trình tiêu cực\" cho an ninh khu vực châu Âu. "
        "Kết quả như đã dự đoán, hai bên vẫn chưa tìm được tiếng nói chung về mọi vấn đề."
    )
    got = {q.text[:12]: _name(ents, q.speaker) for q in qs if not q.direct}
    assert got == {"sau 10 năm đ": "Milo Dukanovic", "quá trình ph": "Milo Dukanovic",
                   "hai bên sẽ k": "Jean Dupont", "việc này khó": "Jorge Benitez",
                   "việc mở rộng": "Peskov"}


# --- issue 10 §5 mechanisms, on sentences written for the test -----------------------------------


def test_next_sentence_subject_is_not_the_speaker() -> None:
    _, ents, qs = _run(
        "Ông Trần Văn Nam và ông Lê Văn Hùng cùng dự họp. “Chúng tôi chưa nhận được bất cứ văn bản nào từ phía "
        "công ty cả”. "
        "Ông Hùng đã gửi đơn lên tỉnh."
    )
    q = next(q for q in qs if q.direct)
    assert q.speaker is None and q.speaker_name is None


def test_bare_common_noun_and_parenthesised_name_are_not_speakers() -> None:
    _, ents, qs = _run(
        "Ông Phạm Văn Đức (bố của anh Phạm Minh Tuấn) kể: “Con tôi đi làm từ sáng sớm rồi không về nữa”. "
        "“Giá vàng sẽ còn biến động mạnh trong những tuần tới”, chuyên gia nhận định."
    )
    by_text = {q.text[:7]: q for q in qs if q.direct}
    assert _name(ents, by_text["Con tôi"].speaker) == "Phạm Văn Đức"
    assert by_text["Giá vàn"].speaker is None and by_text["Giá vàn"].speaker_name is None


def test_outlet_relays_and_the_person_speaks() -> None:
    _, ents, qs = _run(
        "Theo báo Tuổi Trẻ, bà Nguyễn Thị Lan, Giám đốc Sở Y tế tỉnh Bến Tre, đang ở hiện trường, cho biết: "
        "hiện có 20 người đang được điều trị tại bệnh viện tỉnh."
    )
    q = next(q for q in qs if not q.direct)
    assert _name(ents, q.speaker) == "Nguyễn Thị Lan" and q.text.startswith("hiện có 20 người")


def test_court_and_report_verbs_but_not_their_compounds() -> None:
    """"Nguyên khai …" is a defendant's statement; "Quốc hội khai mạc …" opens a session."""
    _, ents, qs = _run(
        "Tại phiên tòa, bị cáo Nguyễn Ngọc Nguyên khai đã sống với chị Hậu từ năm 2009, có 2 con trai. "
        "Nguyên dọa nếu vợ không đưa tiền thì sẽ chém cả nhà. "
        "Quốc hội khai mạc kỳ họp thứ năm tại Hà Nội với nhiều nội dung quan trọng. Chương trình “Cảnh sát "
        "biển đồng hành với ngư dân trên mọi vùng biển” được triển khai với nhiều hoạt động."
    )
    assert not any((q.speaker_name or "").endswith("triển") for q in qs)
    said = {q.text[:12]: _name(ents, q.speaker) for q in qs}
    assert said.get("đã sống với ") == "Nguyễn Ngọc Nguyên"
    assert said.get("nếu vợ không") == "Nguyễn Ngọc Nguyên"
    assert not any("kỳ họp" in q.text for q in qs)


def test_theo_forms_documents_and_unnamed_sources() -> None:
    """"Cũng theo ông X, …" is X's; "Theo báo cáo nhanh của <body>, …" the body's; "Theo người dân địa
    phương, …" is said by no one named (speaker null, the source kept as written)."""
    _, ents, qs = _run(
        "Ông Hoàng Đức Trọng, Phó Chủ tịch UBND huyện Lục Yên cho biết lực lượng đã có mặt ở hiện trường. "
        "Cũng theo ông Trọng, chưa có thông tin thiệt hại về người trong vụ lốc này. "
        "Theo báo cáo nhanh của Văn phòng Ban Chỉ đạo Phòng chống thiên tai, cơn lốc đã làm 9 người bị thương. "
        "Theo người dân địa phương, đây là trận lốc xoáy kinh hoàng nhất mà họ từng chứng kiến."
    )
    by_text = {q.text[:10]: q for q in qs}
    assert _name(ents, by_text["chưa có th"].speaker) == "Hoàng Đức Trọng"
    assert (_name(ents, by_text["cơn lốc đã"].speaker) or "").startswith("Văn phòng Ban Chỉ đạo")
    unnamed = by_text["đây là trậ"]
    assert unnamed.speaker is None and unnamed.speaker_name == "người dân địa phương"


def test_a_pronoun_after_a_statement_and_a_quoted_paragraph_go_on_with_its_speaker() -> None:
    """"Ngoại trưởng Lavrov đánh giá … với người đồng cấp Blinken … . Ông khẳng định …" is Lavrov's;
    a quotation standing as the next paragraph after "Theo ông Timofeev, …" is Timofeev's."""
    _, ents, qs = _run(
        "Ngoại trưởng Nga Sergei Lavrov đánh giá cuộc đối thoại với người đồng cấp Mỹ Antony Blinken là cởi "
        "mở và hữu ích. Ông khẳng định Tổng thống Vladimir Putin luôn sẵn sàng tiếp xúc với người đồng cấp Mỹ."
        "\nTheo ông Ivan Timofeev, kết quả của các cuộc đàm phán như đã dự đoán từ trước cuộc gặp."
        "\n“Lập trường của Mỹ vẫn không thay đổi, họ không thể đưa ra những đảm bảo về việc NATO không mở rộng.”"
    )
    by_text = {q.text[:12]: _name(ents, q.speaker) for q in qs}
    assert by_text["Tổng thống V"] == "Sergei Lavrov"
    assert by_text["Lập trường c"] == "Ivan Timofeev"


def test_a_new_indefinite_subject_is_not_the_named_persons_apposition() -> None:
    """"Nghe bị cáo Nguyên khai nhận, một vị hội thẩm đã phân tích rằng …": the hội thẩm speaks, not
    Nguyên; "Ông Nguyễn Văn Tân – một thương lái – chia sẻ, …" is Tân (an apposition)."""
    _, ents, qs = _run(
        "Nghe bị cáo Nguyễn Ngọc Nguyên khai nhận, một vị hội thẩm nhân dân đã phân tích rằng chỉ vì mâu "
        "thuẫn nhỏ mà bị cáo tước đoạt mạng sống của vợ mình. "
        "Ông Nguyễn Văn Tân – một thương lái mua dừa – chia sẻ, mùa này dừa trong dân còn rất nhiều."
    )
    assert not any(_name(ents, q.speaker) == "Nguyễn Ngọc Nguyên" for q in qs)
    assert any(_name(ents, q.speaker) == "Nguyễn Văn Tân" and q.text.startswith("mùa này") for q in qs)


def _best_ms(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best


def test_reported_speech_time_grows_linearly_with_the_article() -> None:
    # Issue 8 §3: 16,000 "Ông Nguyễn Văn X nói." in one article. Each sentence was tested for
    # "Theo …" with a regex match given no end, and ``regex`` then looked for "heo" up to the
    # text's end every time: 8x the sentences took about 40x the time. Linear is 8x.
    def article(k: int) -> Cluster:
        text = " ".join(f"Ông Nguyễn Văn {chr(65 + i % 26)}{i} nói." for i in range(1_000 * k))
        c = Cluster(id="t", articles=[Article(id="a", text=text)])
        segment_article(c.articles[0])
        return c

    small, large = article(1), article(8)
    ms_small = _best_ms(lambda: extract_quotes(small, []))
    ms_large = _best_ms(lambda: extract_quotes(large, []))
    assert ms_large / ms_small < 20, (ms_small, ms_large)


def test_whole_statements_are_listed_before_fragments() -> None:
    """A phrase quoted inside the writer's sentence (“bất chấp … tương lai”) is not a statement:
    in the shortened list it comes after the speaker's whole sentences, and JSON keeps it."""
    from diemtin.model import Digest, SourceRef
    from diemtin.render.formats import QUOTES_PER_SPEAKER, is_fragment, quote_groups, to_dict, to_markdown

    ref = SourceRef("a0", 0, 0, 1)

    def q(text: str, direct: bool = True) -> Quote:
        return Quote(text, "p:lan", "Lan", direct, ref)

    fragments = [q("những khoản đầu tư mạo hiểm nhất từ trước tới nay của ngành"), q("không thể chấp nhận"),
                 q("cơn bão hoàn hảo")]
    whole = [q("Chúng tôi sẽ không lùi bước trước bất kỳ sức ép nào từ các đối thủ cạnh tranh"),
             q("Các nhà máy mới sẽ hoạt động hết công suất từ năm sau", direct=False)]
    assert all(is_fragment(f) for f in fragments) and not any(is_fragment(w) for w in whole)
    assert is_fragment(q("Rất tốt.")) and is_fragment(q("đó là tin vui", direct=False))  # short either way
    c = Cluster(id="t", articles=[Article(id="a0", text="x")])
    c.digest = Digest(quotes=fragments + whole)
    (group,) = quote_groups(c.digest)
    assert group.quotes[:2] == whole  # direct whole, then reported whole, then the fragments
    shown = to_markdown(c).split("## Phát ngôn")[1].split("## ")[0]
    assert "Chúng tôi sẽ không lùi bước" in shown and "cơn bão hoàn hảo" not in shown
    assert QUOTES_PER_SPEAKER < len(c.digest.quotes) == len(to_dict(c)["quotes"])  # every quote in JSON
