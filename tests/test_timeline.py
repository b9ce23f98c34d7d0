"""Timeline: expression patterns, resolution rules, and precision/recall against tests/gold/timeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gold_clusters import load_gold_cluster

from diemtin.dates import find_dates
from diemtin.dates.expressions import find_expressions
from diemtin.extract.timeline import extract_timeline
from diemtin.model import Article, Cluster, DateMention
from diemtin.pipeline import finish
from diemtin.segment.sentences import segment_article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = Path(__file__).parent / "gold" / "timeline"


def exprs(text: str) -> list[str]:
    return [s.text for s in find_expressions(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ngày 10/1, hôm 12/1", ["Ngày 10/1", "hôm 12/1"]),
        ("ngày 10-1 và ngày 10.1", ["ngày 10-1", "ngày 10.1"]),
        ("ngày 21/1/2022 và 12-1-2022", ["ngày 21/1/2022", "12-1-2022"]),
        ("giữa tháng 12/2021, cuối tháng 1", ["giữa tháng 12/2021", "cuối tháng 1"]),
        ("cùng ngày. Trước đó, ông nói", ["cùng ngày", "Trước đó"]),
        ("Trước đó cùng ngày, hai bên", ["Trước đó", "cùng ngày"]),
        ("hôm qua, hôm nay, rạng sáng nay, tuần tới", ["hôm qua", "hôm nay", "rạng sáng nay", "tuần tới"]),
        ("năm 2008, 8 năm sau khi Nga", ["năm 2008", "8 năm sau khi"]),
        ("thứ Hai, sáng 10/1, tối 10/1", ["thứ Hai", "sáng 10/1", "tối 10/1"]),
        ("thứ Hai (10/1)", ["thứ Hai (10/1)"]),
        ("ngày 23 tháng 11 năm 2024", ["ngày 23 tháng 11 năm 2024"]),
        ("từ ngày 10 đến 14/1", ["từ ngày 10 đến 14/1"]),
        ("chiều nay (20/5), Ban kỷ luật", ["chiều nay (20/5)"]),
    ],
)
def test_patterns_find(text: str, expected: list[str]) -> None:
    assert exprs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "kéo dài khoảng 7,5 giờ",
        "bây giờ điều quan trọng",
        "7.5 điểm",
        "10.000 người",
        "3.000 binh sĩ",
        "U.S. Army",
        "phiên bản 1.10.1",
        "Trump 2.0",
        "chiếm 1/3 số phiếu",
        "phục vụ 24/7",
        "thắng 2-1",
        "lần thứ hai, vòng thứ ba",
        "Thứ trưởng Ngoại giao",
        "sinh năm 1990",
        "SN 1985",
        "sau hai năm đóng băng",
        "kéo dài 3 tháng",
        "Euro 2016",
        "thông báo trước đó về đám cưới",
        "Chỉ vài tháng sau khi công bố",
        "đã sống ở đây gần 5 năm nay",
        "mất từ 3-4 tiếng đồng hồ",
        "tăng từ 5-7%",
    ],
)
def test_patterns_reject(text: str) -> None:
    assert exprs(text) == []


def _cluster(*texts: str, published: str | None = None) -> Cluster:
    arts = [Article(id=f"a{i}", text=t, published=published) for i, t in enumerate(texts)]
    for a in arts:
        segment_article(a)
    return Cluster(id="t", articles=arts)


def find_date_mentions(cluster: Cluster) -> list[DateMention]:
    """The date layer, as the pipeline builds it (segmented articles in, cluster.dates out)."""
    for a in cluster.articles:
        if not a.sentences:
            segment_article(a)
    return find_dates(cluster).dates


def timeline(cluster: Cluster):
    find_date_mentions(cluster)
    return extract_timeline(cluster)


def _dates(cluster: Cluster) -> dict[str, str]:
    return {m.expression: m.date for m in find_date_mentions(cluster)}


def test_year_inference_across_new_year() -> None:
    c = _cluster("Ngày 28/12, Nga công bố dự thảo. Ngày 2/1, hai bên gặp nhau.", published="2022-01-03")
    assert _dates(c) == {"Ngày 28/12": "2021-12-28", "Ngày 2/1": "2022-01-02"}
    assert {m.anchor for m in find_date_mentions(c)} == {"published"}


def test_future_marker_and_deictics() -> None:
    c = _cluster(
        "Cuộc gặp sẽ diễn ra vào ngày 5/1 tới. Hôm qua, ông nói. Họ sẽ gặp lại vào tuần tới.",
        published="2021-12-20T08:00:00",
    )
    d = _dates(c)
    assert d["vào ngày 5/1"] == "2022-01-05"
    assert d["Hôm qua"] == "2021-12-19"
    assert d["tuần tới"] == "2021-12-27/2022-01-02"


def test_cluster_anchor_and_relative() -> None:
    c = _cluster(
        "Ngày 11/1, bà Smith trả lời phỏng vấn về cuộc họp trong ngày 12/1. "
        "Trước đó, cùng ngày, bà Sherman gặp ông Stoltenberg.",
        "Ảnh chụp ngày 10/1/2022 tại Geneva.",
    )
    ms = find_date_mentions(c)
    # no publication date: a0 is anchored on its news peg (11/1, placed after the full date 10/1/2022)
    assert {m.anchor for m in ms if m.kind == "explicit" and m.article_id == "a0"} == {"cluster:2022-01-11"}
    rel = [m for m in ms if m.kind == "relative"]
    assert [m.date for m in rel] == ["2022-01-11", "2022-01-11"]  # the sentence's topic date, not 12/1


def test_month_parts_and_decades() -> None:
    c = _cluster("Giữa tháng 12/2021, Nga công bố dự thảo. Những năm 1990, Mỹ hứa. Cuối năm 2023 hoàn tất.")
    d = _dates(c)
    assert d["Giữa tháng 12/2021"] == "2021-12-11/2021-12-20"
    assert d["năm 1990"] == "1990-01-01/1999-12-31"
    assert d["Cuối năm 2023"] == "2023-09-01/2023-12-31"


def test_timeline_merges_sources_and_sorts() -> None:
    c = _cluster(
        "Ngày 10/1, Nga và Mỹ bắt đầu đàm phán về đảm bảo an ninh tại Geneva. Ngày 12/1, NATO họp với Nga.",
        "Hôm 10/1, Nga và Mỹ đã đàm phán về đảm bảo an ninh ở Geneva (Thụy Sĩ).",
        "Tháng 12/2021, Nga công bố dự thảo thỏa thuận an ninh với Mỹ và NATO.",
        published="2022-01-13",
    )
    tl = timeline(c)
    assert [e.date for e in tl] == ["2021-12", "2022-01-10", "2022-01-12"]
    assert {s.article for s in tl[1].sources} == {"a0", "a1"}
    assert tl[1].event.startswith("Nga và Mỹ")  # leading date phrase trimmed


def test_extract_fills_digest() -> None:
    c = _cluster(
        "Ngày 10/1, Nga và Mỹ đàm phán kéo dài khoảng 7,5 giờ.",
        "Hôm 10/1, Nga và Mỹ đàm phán gần 8 giờ.",
        published="2022-01-11",
    )
    finish(c, parts=("timeline", "figures"))  # the pipeline runs the dates layer, then the parts
    assert c.digest is not None and c.digest.timeline and c.digest.figures


# --- gold -----------------------------------------------------------------------------


def _same(m, g: dict, text: str) -> bool:
    """A predicted mention is the gold one: same article, same end (the text after it), and
    one expression contains the other ("vào ngày 12-1-2022" vs "ngày 12-1-2022")."""
    if m.article_id != g["article"] or text[m.end : m.end + len(g["after"])] != g["after"]:
        return False
    a, b = m.expression.lower(), g["expression"].lower()
    return a in b or b in a


# "Trước đó" with no date of its own orders events and names no date: the newer gold (ViMs 055
# note) and vims-100's true_date=None leave it out; the older gold followed the earlier "last
# date mentioned" convention. Such items are not scored (a "Trước đó, ngày 18/5" still is).
_OWN_DATE_AFTER = re.compile(r"^\s*,?\s*(?:cùng ngày|ngày|hôm|từ|vào|sáng|trưa|chiều|tối|đêm|\d)", re.I)


def _scored(g: dict) -> bool:
    if g.get("true_date", g["date"]) is None:
        return False  # a careful reader says it names no date
    return g["expression"].lower() != "trước đó" or bool(_OWN_DATE_AFTER.match(g["after"]))


def _score(name: str) -> tuple[float, float, float, int]:
    """(precision, recall, resolved correctly, n) against the careful reader's date (``true_date``
    when the gold gives one, else ``date``). The older gold's ``date`` followed the earlier
    anchor rule (latest full date written); the dates stage infers "now" from the evidence and
    is scored against what the reader knows."""
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    cluster = load_gold_cluster(name)
    pred = find_date_mentions(cluster)
    gold_items = [g for g in gold["mentions"] if _scored(g)]
    found = correct = 0
    matched: set[int] = set()
    for g in gold_items:
        text = cluster.article(g["article"]).text
        want = g.get("true_date", g["date"])
        hit = None
        for i, m in enumerate(pred):
            if i not in matched and _same(m, g, text):
                hit = i
                break
        if hit is not None:
            matched.add(hit)
            found += 1
            correct += pred[hit].date == want
    # Precision counts every predicted mention (duplicates of a gold one are matched above too).
    pred_ok = sum(any(_same(m, g, cluster.article(m.article_id).text) for g in gold["mentions"]) for m in pred)
    precision = pred_ok / len(pred) if pred else 1.0
    recall = found / len(gold_items)
    resolved = correct / found if found else 0.0
    return precision, recall, resolved, len(gold_items)


# The older gold (written during development, some with true_date); the new blind gold is scored
# strictly below.
GOLD_NAMES = sorted(p.stem for p in GOLD.glob("*.json") if p.stem not in {
    "vims-Cluster_019", "vims-Cluster_028", "vims-Cluster_047", "vims-Cluster_055"})
# The seed's articles were written on different days (11/1 to 21/1) without publication dates:
# its deictics ("hôm nay", "tuần tới") resolved against each article's inferred now are right
# 53 of 62 (the earlier latest-full-date anchor: 51 of 62). Deictics from an inferred now stay
# out of the timeline.
RESOLVED_FLOOR = {"seed-cluster": 0.85}


@pytest.mark.parametrize("name", GOLD_NAMES)
def test_gold_precision_recall(name: str) -> None:
    p, r, acc, n = _score(name)
    print(f"{name}: n={n} precision={p:.3f} recall={r:.3f} resolved-correctly={acc:.3f}")
    assert p >= 0.9 and r >= 0.9
    assert acc >= RESOLVED_FLOOR.get(name, 0.95)


def test_gold_overall() -> None:
    tot = ok = 0
    for name in GOLD_NAMES:
        _, r, acc, n = _score(name)
        tot += n
        ok += round(r * n * acc)
    print(f"older gold pooled: {ok}/{tot} found and resolved as the reader knows")
    assert ok / tot >= 0.93


def test_seed_timeline_shape() -> None:
    cluster = load_gold_cluster("seed-cluster")
    tl = timeline(cluster)
    dates = [e.date for e in tl]
    assert dates == sorted(dates, key=lambda d: (d.split("/")[0] + "-01-01")[:10])
    talks = [e for e in tl if e.date == "2022-01-10" and len({s.article for s in e.sources}) >= 3]
    assert talks, "the Geneva talks on 10/1 should merge sources from several articles"
    assert any(e.date == "2021-12-11/2021-12-20" for e in tl)  # giữa tháng 12/2021, merged with tháng 12/2021
    assert all(not e.anchor.startswith("cluster") or e.expression for e in tl)


def test_markdown_timeline_is_short_merged_and_capped() -> None:
    from diemtin.model import Digest, SourceRef, TimelineEntry
    from diemtin.render.formats import TIMELINE_MAX, short_phrase, to_markdown

    long_event = ("Hai bên đã bắt đầu cuộc hội đàm kín tại Phái đoàn thường trực Mỹ, sau đó các nhà ngoại giao "
                  "tiếp tục thảo luận về những đề xuất an ninh mà Nga đưa ra hồi giữa tháng trước tại Moskva")
    cut = short_phrase(long_event)
    assert cut.endswith(" …") and long_event.startswith(cut.removesuffix(" …"))
    assert cut.removesuffix(" …").endswith("Phái đoàn thường trực Mỹ")  # at the clause boundary
    assert short_phrase("Một câu ngắn.") == "Một câu ngắn."

    arts = [Article(id=f"a{i}", text="x") for i in range(3)]
    ref = [SourceRef(f"a{i}", 0, 0, 1) for i in range(3)]
    tl = [TimelineEntry(f"2022-01-{d:02d}", "day", f"Sự kiện ngày {d} đã diễn ra", [ref[0]]) for d in range(1, 21)]
    tl.insert(9, TimelineEntry("2022-01-10", "day", "Nga và Mỹ đàm phán tại Geneva", ref))
    c = Cluster(id="t", articles=arts, digest=Digest(timeline=tl))
    md = to_markdown(c)
    section = md.split("## Diễn biến")[1].split("## Nguồn")[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("- **")]
    assert len(lines) == TIMELINE_MAX
    ten = next(ln for ln in lines if ln.startswith("- **10/1/2022**"))
    assert "Nga và Mỹ đàm phán" in ten and "[1][2][3]" in ten and "+1 sự kiện khác" in ten
    assert f"… và {20 - TIMELINE_MAX} mốc thời gian khác" in section
    # where the rest is, said once for the briefing (its reader has no JSON at hand)
    assert "JSON" not in section.split("\n\n_")[0] and md.count("bản đầy đủ có trong kết quả dạng JSON") == 1
    shown = [ln.split("**")[1] for ln in lines]
    assert shown == sorted(shown, key=lambda d: int(d.split("/")[0]))  # date order


def test_bare_year_anchor_leaves_the_year_unspecified() -> None:
    """No publication date and no full date: "ngày 19/5" must not borrow the latest year written
    (here a forecast), it keeps the year unspecified; explicit years still resolve."""
    text = (
        "Ngày 19/5, NATO ký nghị định thư kết nạp Montenegro tại Brussels.\n"
        "Montenegro nộp đơn gia nhập NATO năm 2009.\n"
        "Nước này có thể đến giữa năm 2017 mới chính thức trở thành thành viên."
    )
    cluster = _cluster(text)
    dates = {e.date for e in timeline(cluster)}
    assert "XXXX-05-19" in dates
    assert "2009" in dates
    assert "2017-05-19" not in dates


# --- new blind gold (issue 10: ViMs 019 law, 028 economy, 047 disaster, 055 culture) -------------
# Written by reading before the extractor ran on these clusters; scored against the careful
# reader's date (no true_date split). Targets: precision >= 0.9 counting only mentions whose year
# is right (strict), recall >= 0.8, wrong years 0 (a known year that differs from the reader's).

BLIND_NAMES = ["vims-Cluster_019", "vims-Cluster_028", "vims-Cluster_047", "vims-Cluster_055"]
# A floor a blind cluster misses is recorded here with the measured numbers, not lowered.
# First run on the unchanged extractor (commit e32b5bf), for the record:
#   019 precision(year right)=0.73 recall=1.00 wrong_years=5 background-as-event=4
#   028 precision=0.56 recall=0.96 wrong_years=0 unknown years 10, background-as-event=4
#   047 precision=1.00 recall=0.91
#   055 precision=0.14 recall=0.78 unknown years 11, stray 8
#   pooled n=76 pred=81 precision=0.54 recall=0.92 wrong_years=5 unknown=21 background-as-event=9
# No floor is missed since the dates stage; a new miss goes here with its numbers.
BLIND_TIMELINE_XFAIL: dict[str, str] = {}


def _aid(m) -> str:
    return getattr(m, "article_id", None) or m.article


def _year(iso: str) -> str:
    return iso[:4]


def _score_strict(name: str) -> dict[str, float]:
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    cluster = load_gold_cluster(name)
    pred = find_date_mentions(cluster)
    texts = {a.id: a.text for a in cluster.articles}

    def same(m, g) -> bool:
        a, b = m.expression.lower(), g["expression"].lower()
        return (_aid(m) == g["article"] and texts[g["article"]][m.end : m.end + len(g["after"])] == g["after"]
                and (a in b or b in a))

    matched: dict[int, dict] = {}
    for g in gold["mentions"]:
        hit = next((i for i, m in enumerate(pred) if i not in matched and same(m, g)), None)
        if hit is not None:
            matched[hit] = g
    year_ok = exact = wrong = unknown = 0
    background_as_event = 0
    for i, g in matched.items():
        d = pred[i].date
        if "XXXX" in d[:4]:
            unknown += 1
        elif _year(d) != _year(g["date"]):
            wrong += 1
        year_ok += _year(d) == _year(g["date"])
        exact += d == g["date"]
        background_as_event += g.get("event") is False and getattr(pred[i], "event", True)
    # a predicted mention no gold mention matches (a duplicate one of a matched gold counts as found)
    stray = sum(1 for i, m in enumerate(pred) if i not in matched and not any(same(m, g) for g in gold["mentions"]))
    n_pred = len(pred)
    return {
        "n_gold": len(gold["mentions"]), "n_pred": n_pred, "found": len(matched), "year_ok": year_ok,
        "exact": exact, "wrong_years": wrong, "unknown_years": unknown, "stray": stray,
        "background_as_event": background_as_event,
        "precision": year_ok / n_pred if n_pred else 1.0,
        "recall": len(matched) / len(gold["mentions"]),
    }


def _report(name: str, s: dict[str, float]) -> str:
    return (f"{name}: n={s['n_gold']} pred={s['n_pred']} precision(year right)={s['precision']:.2f} "
            f"recall={s['recall']:.2f} wrong_years={s['wrong_years']} unknown_years={s['unknown_years']} "
            f"exact={s['exact']}/{s['found']} stray={s['stray']} background_as_event={s['background_as_event']}")


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(reason=BLIND_TIMELINE_XFAIL[n], strict=True))
     if n in BLIND_TIMELINE_XFAIL else n for n in BLIND_NAMES],
)
def test_blind_gold_strict(name: str) -> None:
    s = _score_strict(name)
    print(_report(name, s))
    assert s["precision"] >= 0.9 and s["recall"] >= 0.8 and s["wrong_years"] == 0


def _pooled() -> dict[str, float]:
    tot: dict[str, float] = {}
    for name in BLIND_NAMES:
        for k, v in _score_strict(name).items():
            tot[k] = tot.get(k, 0) + v
    tot["precision"] = tot["year_ok"] / tot["n_pred"] if tot["n_pred"] else 1.0
    tot["recall"] = tot["found"] / tot["n_gold"]
    return tot


POOLED_XFAIL = ""


@pytest.mark.xfail(bool(POOLED_XFAIL), reason=POOLED_XFAIL, strict=True)
def test_blind_gold_pooled() -> None:
    s = _pooled()
    print(_report("pooled", s))
    assert s["precision"] >= 0.9 and s["recall"] >= 0.8 and s["wrong_years"] == 0
    assert s["background_as_event"] <= 1  # background years (event false in the gold) kept out


def test_display_phrase_closes_stray_bracket_spaces() -> None:
    from diemtin.render.formats import short_phrase

    # the seed's "Hội đồng Tổ chức Hiệp ước Bắc Đại Tây Dương ( NATO)": display text only
    assert short_phrase("Các nước trong Hội đồng ( NATO ) đã họp.") == "Các nước trong Hội đồng (NATO) đã họp."
    assert short_phrase("Giá (  theo USD) tăng.") == "Giá (theo USD) tăng."


def test_event_phrase_is_whole_when_short_and_never_ends_on_a_reporting_verb() -> None:
    from diemtin.lang.tokens import count_syllables
    from diemtin.render.formats import EVENT_SYLLABLES, EVENT_WHOLE_SYLLABLES, short_phrase

    sentence = ("Tổng thống Mỹ và người đồng cấp Nga sẽ có cuộc điện đàm vào ngày 30/12, thông cáo của "
                "Nhà Trắng xác nhận, nhấn mạnh, hai bên sẽ bàn về an ninh châu Âu và tình hình ở biên giới")
    assert EVENT_SYLLABLES < count_syllables(sentence) <= EVENT_WHOLE_SYLLABLES
    assert short_phrase(sentence, whole=EVENT_WHOLE_SYLLABLES) == sentence  # short enough: whole
    cut = short_phrase(sentence)  # cut at 30: the clause "…, nhấn mạnh" announces what follows
    assert cut.endswith(" …") and not cut.removesuffix(" …").endswith("nhấn mạnh")
    assert cut.removesuffix(" …").endswith("vào ngày 30/12")  # "…, xác nhận" is a reporting verb too


# --- briefing lines: attributions, clause ends, plans (hand-written, not the seed's sentences) ----


def test_timeline_drops_an_outlet_byline_but_keeps_a_report_and_the_offsets() -> None:
    c = _cluster(
        "Theo phóng viên TTXVN tại Paris, một nguồn tin ngoại giao ngày 3/2 cho biết Pháp rút phái bộ khỏi Mali.",
        "Ngày 5/2, theo hãng tin AFP, quân đội Pháp đã bàn giao căn cứ Gao cho lực lượng Mali.",
        "Theo báo cáo của Bộ Quốc phòng, ngày 7/2 có 300 binh sĩ về nước.",
        published="2022-02-08",
    )
    tl = {e.date: e for e in timeline(c)}
    assert tl["2022-02-03"].event.startswith("Một nguồn tin ngoại giao ngày 3/2 cho biết")
    assert tl["2022-02-05"].event.startswith("Quân đội Pháp đã bàn giao")  # date, then byline
    assert tl["2022-02-07"].event.startswith("Theo báo cáo của Bộ Quốc phòng")  # a report is the source
    for e in tl.values():  # sources still point at the whole sentence in Article.text
        src = e.sources[0]
        art = next(a for a in c.articles if a.id == src.article)
        assert art.text[src.start : src.end] == art.sentences[src.sentence].text
        assert e.event.removesuffix(".")[-12:] in art.text[src.start : src.end]


def test_shortened_event_ends_at_a_conjunction_not_inside_a_noun_phrase() -> None:
    from diemtin.lang.tokens import count_syllables
    from diemtin.render.formats import EVENT_STRETCH_SYLLABLES, EVENT_SYLLABLES, EVENT_WHOLE_SYLLABLES, short_phrase

    event = ("Một quan chức giấu tên thuộc Ủy ban châu Âu ngày 3/2 cho biết Chủ tịch Ủy ban đã triệu tập một "
             "cuộc họp bất thường giữa bộ trưởng năng lượng các nước thành viên với đại diện các tập đoàn khí đốt "
             "lớn trong tuần tới khi giá khí đốt tại châu Âu tiếp tục tăng cao kỷ lục")
    assert count_syllables(event) > EVENT_STRETCH_SYLLABLES
    cut = short_phrase(event, whole=EVENT_WHOLE_SYLLABLES, stretch=EVENT_STRETCH_SYLLABLES)
    assert cut == event[: event.index(" khi giá")] + " …"  # no comma before: the clause conjunction
    # a phrase cut after a word ends neither on a function word nor inside a name
    no_pause = ("Bộ trưởng Ngoại giao các nước thành viên Hiệp hội các quốc gia Đông Nam Á đã thông qua bản "
                "tuyên bố chung về tình hình an ninh của khu vực Biển Đông Việt Nam trong năm nay")
    cut = short_phrase(no_pause, EVENT_SYLLABLES).removesuffix(" …")
    last = cut.split()[-1]
    assert last not in {"của", "về", "các", "những", "trong"} and not no_pause[len(cut) :].lstrip()[:1].isupper()
    # a conjunction in the phrase's first half is not an end ("… | để …" after 5 syllables)
    early = ("Ủy ban đã họp để bàn về việc cấp phép cho dự án điện gió ngoài khơi lớn nhất khu vực miền Trung "
             "với tổng vốn đầu tư dự kiến lên tới hàng tỷ đô la Mỹ trong giai đoạn tới đây")
    assert not short_phrase(early, EVENT_SYLLABLES).startswith("Ủy ban đã họp …")


@pytest.mark.parametrize(
    "text, date, planned",
    [
        ("Thủ tướng Anh và Tổng thống Pháp sẽ có cuộc gặp tại London vào ngày 14/3, văn phòng thủ tướng cho biết.",
         "ngày 14/3", True),
        ("Hội nghị dự kiến khai mạc ngày 20/5 tới tại Hà Nội.", "ngày 20/5", True),
        ("Ngày 9/7, Sở sẽ công bố điểm chuẩn vào các trường.", "Ngày 9/7", True),
        ("Ban tổ chức đã lên kế hoạch cho lễ bế mạc ngày 30/9.", "ngày 30/9", True),
        ("Các trận chung kết vào ngày 2/10 tới sẽ được truyền hình trực tiếp.", "ngày 2/10", True),
        # reported on the date: what was said is a plan, the saying happened
        ("Ngày 3/4, Bộ Y tế cho biết sẽ mở rộng tiêm vaccine cho trẻ em.", "Ngày 3/4", False),
        ("Trong thông cáo ngày 3/4, Bộ Y tế cho biết đợt tiêm sẽ bắt đầu ngày 15/4.", "ngày 3/4", False),
        ("Trong thông cáo ngày 3/4, Bộ Y tế cho biết đợt tiêm sẽ bắt đầu ngày 15/4.", "ngày 15/4", True),
        ("Ông Nam nói hôm 2/6 rằng công ty sẽ tuyển thêm 200 công nhân.", "hôm 2/6", False),
        ("Cùng ngày 5/6, tỉnh thông báo sẽ đóng cửa các bãi tắm.", "ngày 5/6", False),
        ("Công ty đã hoàn thành cây cầu vào ngày 2/9.", "ngày 2/9", False),
        ("Hai đội gặp nhau ngày 20/1 và sẽ đá lượt về sau đó một tuần.", "ngày 20/1", False),
        ("Một báo cáo công bố năm 2019 cho thấy mực nước biển sẽ dâng cao.", "năm 2019", False),
        ("Thực hiện Kế hoạch số 12 ngày 18/5, huyện đã ra quân dọn rác.", "ngày 18/5", False),
        ("Từ ngày 1/3 tới ngày 5/3, hai nước đã tập trận chung.", "ngày 1/3", False),
    ],
)
def test_told_as_planned(text: str, date: str, planned: bool) -> None:
    from diemtin.extract.modality import told_as_planned

    start = text.index(date)
    assert told_as_planned(text, start, start + len(date)) is planned


def test_planned_entries_are_marked_in_json_and_markdown() -> None:
    from diemtin.ingest.read import read_inputs
    from diemtin.pipeline import ALL_PARTS, process
    from diemtin.render.formats import PLANNED_MARK, to_dict, to_markdown, to_text

    texts = ["Ngày 2/3, Bộ Công Thương đã họp với các doanh nghiệp xăng dầu. "
             "Bộ trưởng hai nước sẽ ký hiệp định thương mại tự do vào ngày 10/3 tại Hà Nội.",
             "Hôm 2/3, Bộ Công Thương họp với doanh nghiệp xăng dầu về nguồn cung."]
    (c,) = read_inputs([{"title": f"Tin {i}", "text": t, "published": "2022-03-03"} for i, t in enumerate(texts)])
    process(c, words=50, parts=ALL_PARTS)
    by_date = {e["date"]: e for e in to_dict(c)["timeline"]}
    assert by_date["2022-03-10"]["planned"] is True and by_date["2022-03-02"]["planned"] is False
    md = to_markdown(c)
    assert f"- **10/3/2022** {PLANNED_MARK} — Bộ trưởng hai nước sẽ ký" in md
    assert "- **2/3/2022** —" in md
    assert f"10/3/2022 {PLANNED_MARK} — " in to_text(c)


def test_an_event_one_source_tells_as_done_is_not_planned() -> None:
    c = _cluster(
        "Hai bộ trưởng sẽ ký hiệp định thương mại tự do vào ngày 10/3 tại Hà Nội.",
        "Hai bộ trưởng đã ký hiệp định thương mại tự do vào ngày 10/3 tại Hà Nội.",
        published="2022-03-11",
    )
    (entry,) = [e for e in timeline(c) if e.date == "2022-03-10"]
    assert {s.article for s in entry.sources} == {"a0", "a1"} and entry.planned is False


def test_attribution_primitives() -> None:
    from diemtin.lang.attribution import opening_byline, without_notes

    s = "Theo phóng viên TTXVN tại Berlin, chính phủ Đức đã phê duyệt gói hỗ trợ."
    assert opening_byline(s) == 0  # the summary's rule: what follows must open on a capital
    assert s[opening_byline(s, capital_after=False) :].startswith("chính phủ Đức")
    assert opening_byline("Theo ông Scholz, Đức cần thêm thời gian.") == 0  # who claims it is kept
    report = "Theo báo cáo của Ngân hàng Thế giới, Việt Nam tăng trưởng 6%."
    assert opening_byline(report) > 0 and opening_byline(report, documents_kept=True) == 0
    assert without_notes("Giá xăng giảm (Nguồn: Bộ Công Thương) từ 15h (theo giờ Hà Nội).") == (
        "Giá xăng giảm từ 15h (theo giờ Hà Nội).")


def test_shortened_event_does_not_end_after_an_opening_adverbial_alone() -> None:
    from diemtin.render.formats import EVENT_STRETCH_SYLLABLES, EVENT_WHOLE_SYLLABLES, short_phrase

    event = ("Theo báo cáo của Sở Giao thông vận tải thành phố, trong tuần qua lượng xe máy đăng ký mới tại "
             "các quận nội thành đã tăng gần gấp đôi so với cùng kỳ năm ngoái trong khi lượng ô tô đăng ký mới "
             "giảm mạnh do giá xăng dầu tăng cao và chi phí gửi xe ở trung tâm ngày càng đắt đỏ")
    cut = short_phrase(event, whole=EVENT_WHOLE_SYLLABLES, stretch=EVENT_STRETCH_SYLLABLES)
    assert cut != "Theo báo cáo của Sở Giao thông vận tải thành phố …"
    assert cut == event[: event.index(" trong khi")] + " …"


def test_a_deadline_stays_on_the_timeline_marked_as_one_and_a_cited_paper_s_date_leaves_it() -> None:
    """A limit ("trước ngày 30/6") is a moment the reader needs, shown as a limit, not as a
    day something happened; the date of a document cited by its number is not a moment of
    the story (issue 11: both were read as events)."""
    from diemtin.ingest.read import read_inputs
    from diemtin.pipeline import ALL_PARTS, process
    from diemtin.render.formats import DEADLINE_MARK, to_dict, to_markdown

    texts = ["Ngày 10/5, Bộ Y tế yêu cầu các bệnh viện rà soát toàn bộ thuốc tồn kho. "
             "Các bệnh viện phải gửi báo cáo kết quả rà soát về Bộ Y tế trước ngày 30/6. "
             "Theo Công văn số 1234/BYT-KCB ngày 5/3/2019, thuốc hết hạn phải được tiêu hủy ngay."]
    (c,) = read_inputs([{"title": "Tin", "text": t, "published": "2023-05-11"} for t in texts])
    process(c, words=60, parts=ALL_PARTS)
    by_date = {e["date"]: e for e in to_dict(c)["timeline"]}
    assert by_date["2023-06-30"]["deadline"] is True and by_date["2023-05-10"]["deadline"] is False
    assert "2019-03-05" not in by_date
    assert f"- **30/6/2023** {DEADLINE_MARK} — " in to_markdown(c)
