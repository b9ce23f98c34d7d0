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
