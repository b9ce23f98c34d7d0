"""Issue 8 §2: the page's header in DOM order -- which line is the headline, where the body
starts, which stamp is the dateline -- decided by mechanisms, not by site words.

The bodies are real (the first AbMuSu training cluster), the chrome around them is written
here in wording that neither the cleaner's cue list nor ``tests/layouts.py`` uses, so these
tests exercise position, shape and topic, not a vocabulary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dressing import clean_page

from diemtin import pipeline
from diemtin.ingest.read import read_inputs
from diemtin.model import Article

TRAIN = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "abmusu" / "train.jsonl"
pytestmark = pytest.mark.skipif(not TRAIN.is_file(), reason=f"AbMuSu data not found at {TRAIN}")


def _docs() -> list[dict]:
    """The documents of the first two clusters: two stories on different topics."""
    lines = TRAIN.read_text(encoding="utf-8").splitlines()
    return [d for line in lines[:2] for d in json.loads(line)["single_documents"]]


def _story(i: int = 0) -> tuple[str, list[str]]:
    doc = _docs()[i]
    return doc["title"].strip(), [p.strip() for p in doc["raw_text"].split("\n") if p.strip()]


def _others() -> list[str]:
    """Headlines of another cluster's stories (another topic)."""
    lines = TRAIN.read_text(encoding="utf-8").splitlines()
    return [d["title"].strip() for line in lines[5:8] for d in json.loads(line)["single_documents"]][:4]


def _clean_json(tmp_path: Path, title: str, lines: list[str]) -> Article:
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"title": title, "text": "\n".join(lines)}, ensure_ascii=False), encoding="utf-8")
    [cluster] = read_inputs([path])
    pipeline.clean(cluster)
    return cluster.articles[0]


def test_another_storys_headline_printed_first_is_not_the_title(tmp_path: Path) -> None:
    """Line 1 is a plain headline, but of another story (an event tag, a teaser): the line above
    the body that sums the body up is the headline."""
    title, body = _story()
    other = _others()[0]
    a = clean_page(tmp_path, [other, "09:15 | 14/11/2019", title, *body])
    assert a.title == title
    assert other not in a.text
    assert (a.published or "")[:10] == "2019-11-14"
    assert body[0][:60] in a.text


def test_sentence_shaped_widget_above_the_stamp_is_not_the_lead(tmp_path: Path) -> None:
    """A short exclamation printed above the breadcrumb and the dateline shares nothing with the
    story: the header goes on below it, so the stamp is the page's dateline and the widget goes."""
    title, body = _story()
    widget = "Vui lòng đăng nhập tài khoản để gửi ý kiến của bạn!"
    a = _clean_json(tmp_path, title, [widget, "Trang đầu / Quốc tế", "Thứ Hai, 11/11/2019 - 07:30", *body])
    assert (a.published or "")[:10] == "2019-11-11"
    assert widget not in a.text
    assert body[0][:60] in a.text
    assert {r.text: r.reason for r in a.removed}[widget] == "header"


def test_related_box_below_the_headline_holds_no_dateline(tmp_path: Path) -> None:
    """Headline, then a labelled box whose last item sits right above the body: with the page's
    headline above the box, that item and its stamp are the box's, not the page's."""
    title, body = _story()
    r1, r2 = _others()[:2]
    page = ["Trang đầu / Quốc tế", title, "Tin liên quan", r1, "08:02 03/03/2016", r2, "21:40 17/05/2018", *body]
    a = clean_page(tmp_path, page)
    assert a.title == title
    assert a.published is None
    assert r1 not in a.text and r2 not in a.text


def test_bulleted_box_ends_at_the_first_line_without_the_bullet(tmp_path: Path) -> None:
    """Items of one box share a shape: after "+ item / stamp" pairs, an unbulleted short line is
    no item, so the stamp after it (above the headline) is the page's dateline."""
    title, body = _story()
    r1, r2 = _others()[:2]
    page = ["Tin liên quan", f"+ {r1}", "15/02/2016", f"+ {r2}", "23:20 10/03/2017", "Gửi góp ý",
            "Thứ Tư, 14:24 13/11/2019 (GMT+7)", title, *body]  # fmt: skip
    a = clean_page(tmp_path, page)
    assert a.title == title
    assert (a.published or "")[:10] == "2019-11-13"


def test_doubled_related_titles_do_not_split_a_link_run(tmp_path: Path) -> None:
    """After the body, an unlabelled run of other stories' headlines, one printed twice (image alt
    and link): the doubled copy is dropped first, and the run still reads as one link list."""
    title, body = _story()
    others = _others()
    a = clean_page(tmp_path, [title, *body, others[0], others[0], others[1], others[2]])
    assert not any(o in a.text for o in others[:3])
    assert body[-1][:60] in a.text


def test_html_stamp_inside_another_storys_box_is_not_the_dateline(tmp_path: Path) -> None:
    """HTML keeps the DOM: a stamp inside an <aside> (or a linked list item) belongs to the story
    it lists, never to the page; the page's own stamp under the <h1> is."""
    title, body = _story()
    r1 = _others()[0]
    aside = f"<aside><ul><li><a href='/a.html'>{r1}</a></li><li><span>06/11/2017 15:32</span></li></ul></aside>"
    paras = "".join(f"<p>{p}</p>" for p in body)

    def page(dateline: str) -> str:
        return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{aside}"
                f"<h1>{title}</h1>{dateline}<article>{paras}</article></body></html>")  # fmt: skip

    for name, dateline, want in (("no.html", "", None), ("own.html", "<span>12/11/2019 10:09</span>", "2019-11-12")):
        path = tmp_path / name
        path.write_text(page(dateline), encoding="utf-8")
        [cluster] = read_inputs([path])
        pipeline.clean(cluster)
        a = cluster.articles[0]
        assert ((a.published or "")[:10] or None) == want, name
        assert body[0][:60] in a.text


def test_stamp_under_a_long_lead_counts_when_the_body_resumes_past_a_subheading(tmp_path: Path) -> None:
    """Lead paragraph, the page's stamp, a subheading, then the body: the stamp is the dateline
    (a scraper that keeps the sapo above the meta line)."""
    title, body = _story()
    lead = " ".join(body[:3])  # a long first paragraph
    a = _clean_json(tmp_path, title, [lead, "25/09/2018 07:15 GMT+7", "Những con số biết nói", *body[3:]])
    assert (a.published or "")[:10] == "2018-09-25"
    assert lead[:60] in a.text and "Những con số biết nói" in a.text


def test_box_item_and_stamp_above_the_body_are_not_the_dateline_when_the_headline_is_known(
    tmp_path: Path,
) -> None:
    """The headline on line 1 (it sums the body up, so it stays), then a labelled box whose last
    "<headline> <stamp>" sits right above the body: that headline is not the page's (the page's is
    known), so the stamp is the item's. Ambiguous at best: no date rather than a wrong one."""
    title, body = _story(1)  # (a story whose first line is a paragraph, not a subheading)
    r1, r2, r3 = _others()[:3]
    page = [title, "Cùng chuyên mục", r1, "08:02 03/03/2016", r2, "21:40 17/05/2018", r3, "(17/05/2018)", *body]
    a = clean_page(tmp_path, page)
    assert a.title == title
    assert a.published is None
    assert not any(r in a.text for r in (r1, r2, r3))
    assert body[0][:60] in a.text
    # The same box in a record whose headline is its title field.
    b = _clean_json(tmp_path, title, page[1:])
    assert b.published is None
    assert body[0][:60] in b.text


def test_long_item_and_its_stamp_under_the_headline_are_a_list_not_lead_and_dateline(tmp_path: Path) -> None:
    """Under the headline, a long headline of another story (it reads like a lead), its stamp,
    a second headline, its stamp, then the body: the alternation goes on past the header, so
    the first stamp is an item's, not the page's dateline."""
    title, body = _story(1)
    r1, r2, r3 = _others()[:3]
    long_item = f"{r1} - {r2}, lần thứ hai trong năm nay"
    a = clean_page(tmp_path, [title, long_item, "01/12/2018", r3, "25/05/2017 16:29", *body])
    assert a.title == title
    assert a.published is None
    assert body[0][:60] in a.text


# ------------------------------------------------------- datelines the header hides (issue 8 §2)


def _sapo(i: int) -> str:
    return _docs()[i]["anchor_text"].strip()


def _loose_headline(body: list[str]) -> str:
    """A headline sharing one word pair with the body and nothing else: too little to sum it up,
    more than other stories' headlines share (see CleanConfig.title_offtopic_share)."""
    w1, w2 = body[0].split()[:2]
    return f"{w1} {w2} giữa mùa mưa bão cuối năm"


def test_widget_then_sapo_then_stamp(tmp_path: Path) -> None:
    """A sentence-shaped widget sharing nothing with the story, the sapo, then the page's stamp
    (a record whose headline is its title field): the header runs past the sapo, so the stamp is
    the dateline; the widget goes, the sapo stays."""
    title, body = _story(1)
    widget = "Nhấn vào chuông để nhận thông báo khi có bài mới!"
    a = _clean_json(tmp_path, title, [widget, _sapo(1), "Thứ Ba, 15/11/2022 - 08:05", *body])
    assert (a.published or "")[:10] == "2022-11-15"
    assert widget not in a.text
    assert _sapo(1)[:60] in a.text and body[0][:60] in a.text


def test_stamp_under_a_long_lead_counts_when_the_story_goes_on_past_a_box(tmp_path: Path) -> None:
    """Headline, a long lead (one line of several sentences), the stamp, another story's box, then
    the rest of the body: the story goes on below the stamp, so it sits under the lead."""
    title, body = _story(1)
    r1, r2 = _others()[:2]
    lead = " ".join(body[:2])
    a = clean_page(tmp_path, [title, lead, "14:02 21/12/2021", "Cùng chuyên mục", r1, r2, *body[2:]])
    assert (a.published or "")[:10] == "2021-12-21"
    assert r1 not in a.text and lead[:60] in a.text and body[2][:60] in a.text
    # the same stamp after a one-line body that does not go on is no dateline (issue 8 §2 b)
    b = clean_page(tmp_path, [title, " ".join(body), "14:02 21/12/2021", "Cùng chuyên mục", r1, r2])
    assert b.published is None


def test_dateline_shaped_stamp_after_a_box_and_a_widget(tmp_path: Path) -> None:
    """A box of dated items, an event line, then a stamp with a time zone (no item of the box
    prints one): that is the page's dateline. With a bare stamp there, the event line and its
    stamp look exactly like one more item: no date rather than a wrong one."""
    title, body = _story()
    r1, r2, r3 = _others()[:3]
    box = ["Cùng chuyên mục", r1, "08:02 03/03/2016", r2, "21:40 17/05/2018", f"Dòng thời sự: {r3}"]
    a = _clean_json(tmp_path, title, [*box, "Thứ Hai, 10:09 13/11/2019 (GMT+7)", *body])
    assert (a.published or "")[:10] == "2019-11-13"
    b = _clean_json(tmp_path, title, [*box, "10:09 13/11/2019", *body])
    assert b.published is None
    assert body[0][:60] in a.text and body[0][:60] in b.text


def test_stamp_after_an_undated_box_is_the_pages(tmp_path: Path) -> None:
    """Items of one box share one shape: two items without stamps, then one stamp with no other
    below it, then the headline: the stamp is the page's, not the box's last item's."""
    title, body = _story()
    r1, r2 = _others()[:2]
    a = clean_page(tmp_path, ["Cùng chuyên mục", r1, r2, "07:45 | 09/06/2020", title, *body])
    assert a.title == title
    assert (a.published or "")[:10] == "2020-06-09"
    assert r1 not in a.text and r2 not in a.text


def test_byline_and_stamp_under_the_headline_end_the_box(tmp_path: Path) -> None:
    """A byline glued to the stamp ("Lan Chi (tổng hợp) | 01/03/2019 22:17") is a dateline, not a
    headline with its stamp: under an undated box's items, the line above it is the page's
    headline."""
    title, body = _story()
    r1, r2 = _others()[:2]
    a = clean_page(tmp_path, ["Đọc thêm", r1, r1, r2, title, "Lan Chi (tổng hợp) | 01/03/2019 22:17", *body])
    assert a.title == title
    assert (a.published or "")[:10] == "2019-03-01"


def test_long_linked_item_and_its_stamp_stay_in_the_box(tmp_path: Path) -> None:
    """A related item with a link marker, long enough to look like a sentence, and its stamp right
    above the body are the box's last item: not the page's dateline."""
    title, body = _story()
    r1, r2, r3 = _others()[:3]
    # (25 words: sentence-sized by length, headline-sized for a link)
    long_item = "» " + " ".join(f"{r2} - {r3}, những điều cần biết trước mùa cao điểm".split()[:25])
    page = ["Trang đầu / Quốc tế", title, "Tin liên quan", f"» {r1}", "20-05-2015 13:52", long_item, "12:33 09/03/2019"]
    a = clean_page(tmp_path, [*page, *body])
    assert a.title == title
    assert a.published is None
    assert body[0][:60] in a.text


def test_loose_headline_above_a_dated_box_is_the_title(tmp_path: Path) -> None:
    """A breadcrumb on line 1, then a headline sharing a little with the body (not enough to sum
    it up), then a box of dated items right above the body: the loose headline is the title (it
    shares more than other stories' headlines do), so the box's last item and stamp are the
    box's -- neither the title nor the date."""
    _, body = _story(1)
    head = _loose_headline(body)
    r1, r2 = _others()[:2]
    a = clean_page(tmp_path, ["Trang đầu > Quốc tế", head, "Nổi bật", r1, "13/03/2017 11:58", r2, "19/08/2020", *body])
    assert a.title == head
    assert a.published is None
    assert r2 not in a.text


def test_numbered_subheading_under_the_stamp(tmp_path: Path) -> None:
    """A long lead, the stamp, then a numbered subheading ("1. ...") and the body: the body goes
    on below the stamp, so it is the dateline."""
    title, body = _story()
    lead = " ".join(body[:3])
    a = _clean_json(tmp_path, title, [lead, "25/09/2018 07:15", "1. Những con số biết nói", *body[3:]])
    assert (a.published or "")[:10] == "2018-09-25"
    assert "1. Những con số biết nói" in a.text


def test_plain_headline_and_stamp_above_a_bulleted_list_are_no_item(tmp_path: Path) -> None:
    """Under a headline that does not sum the body up, the page's stamp, a button, then a list of
    "+ item" / stamp pairs: a plain headline is none of the list's items (items share one shape),
    so its stamp is the page's dateline."""
    _, body = _story(1)
    head = _loose_headline(body)
    r1, r2, r3 = _others()[:3]
    page = ["Trang đầu > Quốc tế", head, "22/04/2023 12:45", "Bản in", "Các tin khác",
            f"+ {r1}", "21:26:24 28/11/2023", f"+ {r2}", "16/07/2020"]  # fmt: skip
    a = _clean_json(tmp_path, f"Dòng thời sự: {r3}", [*page, *body])
    assert (a.published or "")[:10] == "2023-04-22"


def test_headline_ending_with_a_date_keeps_its_own_line_stamp(tmp_path: Path) -> None:
    """In a box whose items print their stamps on their own lines, an item whose headline ends with
    a date ("... từ 1/10/2022") is still followed by its stamp: not the page's dateline."""
    title, body = _story(1)
    r1, r2 = _others()[:2]
    page = ["Tin liên quan", f">> {r1}", "(09/05/2018)", f">> {r2} từ 1/10/2022", "02/09/2019", title, *body]
    a = clean_page(tmp_path, page)
    assert a.title == title
    assert a.published is None


def test_body_does_not_start_inside_a_box(tmp_path: Path) -> None:
    """A box's first item shaped like a sentence (a long headline ending with "?") is no lead:
    the undated box, an event line and the page's stamp come before the body."""
    title, body = _story(1)
    r1, r2, r3 = _others()[:3]
    question = f"{r1}: vì sao {r2.lower()} mà chẳng ai lên tiếng?"
    a = _clean_json(tmp_path, title, ["Cùng chuyên mục", question, r2, r3, f"Dòng thời sự: {r3}",
                                      "01-04-2019 - 21:15:00", *body])  # fmt: skip
    assert (a.published or "")[:10] == "2019-04-01"
    assert body[0][:60] in a.text


def test_plain_line_after_a_bulleted_list_is_no_item_of_it(tmp_path: Path) -> None:
    """An unlabelled list of "• item" / stamp pairs, then a plain (unbulleted) line and a stamp
    right above the body: the plain line is none of the list's items, so its stamp is the page's."""
    title, body = _story(1)
    r1, r2, r3 = _others()[:3]
    page = [f"• {r1}", "08:17:51 15/02/2024", f"• {r2}", "12:06 03/05/2022", f"Dòng thời sự: {r3}", "14:15 25/12/2021"]
    a = _clean_json(tmp_path, title, [*page, *body])
    assert (a.published or "")[:10] == "2021-12-25"
    assert r1 not in a.text and body[0][:60] in a.text


# ------------------------------------- the page's own pair closing a box; a second copy below


def test_own_headline_and_stamp_closing_a_box_above_a_cut_sapo(tmp_path: Path) -> None:
    """A labelled box of "<headline> <stamp>" pairs whose last pair is the page's own: its
    headline shares the body's words and a sapo cut short ("...") follows it, then the body.
    That pair is the page's headline and dateline; another story's pair there (sharing nothing
    with the body) gives no date."""
    title, body = _story(1)
    r1, r2, r3 = _others()[:3]
    sapo = " ".join(body[0].split()[:30]) + "..."
    box = ["Cùng chuyên mục", r1, "08:02 03/03/2016", r2, "21:40 17/05/2018"]
    a = clean_page(tmp_path, [*box, title, "11/08/2020 06:12", sapo, *body])
    assert a.title == title
    assert (a.published or "")[:10] == "2020-08-11"
    assert r1 not in a.text and r2 not in a.text
    assert body[0][:60] in a.text
    b = clean_page(tmp_path, [*box, r3, "11/08/2020 06:12", sapo, *body])
    assert (b.published or "")[:10] != "2020-08-11"
    assert body[0][:60] in b.text


def test_stamp_of_a_second_copy_below_the_body_is_not_the_dateline(tmp_path: Path) -> None:
    """A scraped page holding the story twice: headline, stamp, body, then the headline again
    with another stamp (and a time zone) and the body again. The date is the header's stamp,
    never one printed after the body has started."""
    title, body = _story(1)
    # (one sentence a line, as scrapers often save: no line is a long paragraph on its own)
    body = [s if s.endswith(".") else s + "." for p in body[:3] for s in p.split(". ") if len(s.split()) >= 8]
    page = [title, "21:05 | 02/02/2023", *body, title, "17/03/2015 08:40 GMT+7", *body]
    a = clean_page(tmp_path, page)
    assert (a.published or "")[:10] == "2023-02-02"
    assert body[0][:60] in a.text
    b = _clean_json(tmp_path, title, page[1:])
    assert (b.published or "")[:10] == "2023-02-02"
