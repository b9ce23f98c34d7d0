"""Boilerplate removal, measured on labelled real data.

* seeds: every line of the five seed articles labelled keep/drop by hand
  (``fixtures/boilerplate/seed-labels.jsonl``, text stored to check alignment);
* dressed: real bodies from ViMs / AbMuSu (read at test time, never copied) wrapped in chrome
  templates imitating other Vietnamese sites (``fixtures/boilerplate/templates/dev``);
* held-out: three more templates written after the cleaner was finished
  (``templates/heldout``), reported separately.

Run with ``-s`` to see the precision/recall lines.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import dressing
import pytest

from diemtin.clean.cleaner import clean_article, clean_cluster
from diemtin.clean.repair import repair_line
from diemtin.model import Article, Cluster

DATA = Path(__file__).parents[1].parent / "shared" / "data"
FIX = Path(__file__).parent / "fixtures" / "boilerplate"
SEEDS = DATA / "seed-cluster"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed data not found at {SEEDS}")
needs_corpora = pytest.mark.skipif(
    not (DATA / "vims-dev").is_dir() or not (DATA / "abmusu").is_dir(),
    reason=f"ViMs/AbMuSu data not found under {DATA}",
)


@dataclass
class Score:
    name: str
    keep: int = 0
    keep_ok: int = 0
    noise: int = 0
    noise_ok: int = 0
    wrong_drops: int = 0

    def add(self, label: str, dropped: bool) -> None:
        if label == "keep":
            self.keep += 1
            self.keep_ok += not dropped
            self.wrong_drops += dropped
        else:
            self.noise += 1
            self.noise_ok += dropped

    @property
    def keep_recall(self) -> float:
        return self.keep_ok / self.keep

    @property
    def noise_recall(self) -> float:
        return self.noise_ok / self.noise

    @property
    def precision(self) -> float:
        return self.noise_ok / max(1, self.noise_ok + self.wrong_drops)

    def report(self) -> str:
        return (
            f"[{self.name}] body lines {self.keep}, noise lines {self.noise}: "
            f"keep-recall {self.keep_recall:.2%}, noise removal (drop recall) {self.noise_recall:.2%}, "
            f"drop precision {self.precision:.2%}"
        )


# ------------------------------------------------------------------------------------ seeds


def _report_and_check(score: Score, errors: list[str], keep: float, noise: float) -> None:
    """Print the precision/recall report and the misclassified lines, then hold the floors."""
    print("\n" + score.report())
    for e in errors:
        print("   ", e)
    assert score.keep_recall >= keep
    assert score.noise_recall >= noise


def _seed_article(path: Path) -> tuple[Article, list[str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    # Title on the first line (as diemtin.ingest.read does, which also records where the text
    # starts, so ``removed[].line`` is the file's 1-based line number).
    article = Article(id=path.stem, title=lines[0].strip(), raw_text="\n".join(lines[1:]))
    article.meta.update(raw_line_offset=1, title_line=1)
    return article, lines


@needs_seeds
def test_seed_labels_align_with_data() -> None:
    labels = [json.loads(x) for x in (FIX / "seed-labels.jsonl").read_text(encoding="utf-8").splitlines()]
    files = {p.name: p.read_text(encoding="utf-8").split("\n") for p in SEEDS.glob("*.txt")}
    assert len(labels) > 500
    for o in labels:
        assert files[o["file"]][o["line"] - 1].strip() == o["text"], o
        assert o["label"] in {"keep", "drop", "title"}
    labelled = {(o["file"], o["line"]) for o in labels}
    for name, lines in files.items():  # every non-blank line is labelled
        assert {(name, i + 1) for i, t in enumerate(lines) if t.strip()} <= labelled


@needs_seeds
def test_seed_precision_recall() -> None:
    labels = [json.loads(x) for x in (FIX / "seed-labels.jsonl").read_text(encoding="utf-8").splitlines()]
    score, errors = Score("seeds"), []
    for path in sorted(SEEDS.glob("*.txt")):
        article, _ = _seed_article(path)
        clean_article(article)
        dropped = {r.line for r in article.removed if r.reason != "prefix"}
        for o in labels:
            if o["file"] == path.name and o["label"] != "title":
                score.add(o["label"], o["line"] in dropped)
                if (o["label"] == "keep") == (o["line"] in dropped):
                    errors.append(f"{o['file']}:{o['line']} {o['label']}: {o['text'][:80]}")
    _report_and_check(score, errors, keep=0.99, noise=0.98)


@needs_seeds
def test_seed_text_is_clean_and_repaired() -> None:
    texts = {}
    for path in sorted(SEEDS.glob("*.txt")):
        article, _ = _seed_article(path)
        clean_article(article)
        texts[path.stem[:3]] = article.text
        # Nothing lost silently: every non-blank raw line is either in text or in removed.
        kept = set(article.text.split("\n"))
        removed = {r.line for r in article.removed}
        for i, raw in enumerate(article.raw_text.split("\n"), start=2):
            fixed = repair_line(raw)
            assert not fixed or i in removed or any(fixed[:15] in k for k in kept), raw
    assert "t.ố c.áo" not in texts["002"] and "tố cáo các hành động" in texts["002"]
    assert "đánh giá thấp nguy cơ" in texts["002"]
    assert "3.000" not in texts["000"]  # it only appeared in a related box
    for t in texts.values():
        assert "Hình 1" not in t and "Theo dõi" not in t and "Tin liên quan" not in t
        assert not any(ch in t for ch in "\u200b\u00a0")
    # Second concatenated articles keep their headline and paragraphs (decision: subheadings stay).
    assert "Thứ trưởng Nga tuyên bố không còn lý do để tiếp tục đàm phán với phương Tây" in texts["001"]
    assert texts["003"].count("\n") == 26  # the page of related leads is kept (decision)


@needs_seeds
def test_seed_metadata_from_chrome() -> None:
    article, _ = _seed_article(sorted(SEEDS.glob("000_*.txt"))[0])
    clean_article(article)
    assert article.author == "Bảo Hà"
    assert article.meta.get("credit") == "Sputnik, AFP"
    reasons = {r.reason for r in article.removed}
    assert {"byline", "credit", "caption", "chrome"} <= reasons


# ------------------------------------------------------------------------------ dressed set


def _run_dressed(folder: str, per_template: int, seed: int) -> tuple[Score, list[str]]:
    vims = dressing.vims_docs()
    ab = dressing.abmusu_docs("train.jsonl", 120)
    pool = vims + ab + dressing.abmusu_docs("test-inputs.jsonl", 40)
    # Source bodies are not perfectly clean: lines read and relabelled by hand (bylines, credits,
    # captions inside the ViMs/AbMuSu text) are listed by line prefix.
    fixes = dressing.relabels()
    score, errors = Score(folder), []
    for template in dressing.templates(folder):
        rng = random.Random(f"{seed}-{template.stem}")
        docs = rng.sample(vims, per_template // 2) + rng.sample(ab, per_template - per_template // 2)
        for doc in docs:
            article, labels = dressing.dress(template, doc, pool, rng)
            clean_article(article)
            dropped = {r.line - 1 for r in article.removed if r.reason != "prefix"}  # 0-based raw lines
            for i, (line, label) in enumerate(zip(article.raw_text.split("\n"), labels, strict=True)):
                label = dressing.relabel(line, label, fixes)
                score.add(label, i in dropped)
                if (label == "keep") == (i in dropped):
                    errors.append(f"{article.id}:{i} {label}: {line[:90]}")
    return score, errors


@needs_corpora
def test_dressed_precision_recall() -> None:
    score, errors = _run_dressed("dev", per_template=4, seed=3)
    _report_and_check(score, errors, keep=0.99, noise=0.98)


@needs_corpora
@pytest.mark.parametrize(
    ("folder", "seed"),
    [
        # written after the first cleaner was finished; its misses were then read and fixed
        ("heldout", 5),
        # Tiền Phong, VTC News, 24h: written after the issue-3 changes; their misses were then read
        # and fixed in issue 4 by general mechanisms, so this set is no longer held-out either
        ("heldout2", 7),
        # Pháp Luật TP.HCM, VnEconomy, Người Đưa Tin: written after the issue-4 changes without
        # running the cleaner on them -- the honest number for chrome the cleaner has not seen
        ("heldout3", 11),
    ],
)
def test_heldout_templates_report(folder: str, seed: int) -> None:
    """Held-out chrome templates: reported, with a looser floor than the dev set -- the point
    is an honest number, not a pass."""
    if not dressing.templates(folder):
        pytest.skip(f"no {folder} templates")
    score, errors = _run_dressed(folder, per_template=4, seed=seed)
    _report_and_check(score, errors, keep=0.95, noise=0.90)


@needs_corpora
def test_plain_bodies_lose_almost_nothing() -> None:
    """Every ViMs and AbMuSu (train + test) body with no chrome around it. They are not perfectly
    clean (some end with a byline, "Theo Reuters", a reader appeal or carry a photo caption, which
    the cleaner rightly drops), so the bar is 2%; the lines lost were read (1.6% in issue 3)."""
    docs = dressing.vims_docs(clusters=10_000, per_cluster=10_000)
    docs += dressing.abmusu_docs("train.jsonl", 10_000, per_cluster=10_000)
    docs += dressing.abmusu_docs("test-inputs.jsonl", 10_000, per_cluster=10_000)
    total = dropped = 0
    reasons: Counter[str] = Counter()
    for doc in docs:
        a = Article(id=doc.cluster, title=doc.title, raw_text="\n".join(doc.body), lead=doc.lead)
        clean_article(a)
        total += len(doc.body)
        lines = [r for r in a.removed if r.reason != "prefix"]  # a cut tag is no lost line
        dropped += len(lines)
        reasons.update(r.reason for r in lines)
    print(f"\n[plain bodies] {len(docs)} articles, {total} lines, dropped {dropped} ({dropped / total:.2%})")
    print(f"    by reason: {dict(reasons)}")
    assert len(docs) > 2000
    assert dropped / total < 0.02


# --------------------------------------------------------------------------- unit behaviour


def test_contract_text_removed_and_lead() -> None:
    raw = "\n".join(
        [
            "Theo dõi Báo ABC trên",
            "Hà Nội hôm nay mưa lớn kéo dài, nhiều tuyến phố ngập sâu khiến giao thông ùn tắc.",
            "Ông A nói: “Chúng tôi đã chuẩn bị.”",
            "Video đang HOT",
            "Tin liên quan",
            "Giá vàng hôm nay tăng mạnh",
            "08:53:26 17/11/2024",
            "Lịch âm hôm nay 23/11/2024",
            "09:10:14 17/11/2024",
        ]
    )
    a = Article(id="x", title="Mưa lớn ở Hà Nội", raw_text=raw, lead="Sapo của bài về mưa lớn ở Hà Nội.")
    clean_article(a)
    assert a.text.split("\n") == [
        "Sapo của bài về mưa lớn ở Hà Nội.",
        "Hà Nội hôm nay mưa lớn kéo dài, nhiều tuyến phố ngập sâu khiến giao thông ùn tắc.",
        "Ông A nói: “Chúng tôi đã chuẩn bị.”",
    ]
    assert [r.line for r in a.removed] == [1, 4, 5, 6, 7, 8, 9]  # 1-based, as in the input
    assert all(r.reason for r in a.removed)


def test_short_real_sentences_and_subheadings_stay() -> None:
    body = [
        "Cuộc họp kéo dài bốn giờ tại trụ sở liên minh ở Brussels nhưng không có đột phá nào.",
        "Không ngoài dự đoán",
        "Các bên giữ nguyên lập trường và hẹn gặp lại vào tuần tới để bàn tiếp.",
        "“Không.”",
        "Ông nói ngắn gọn như vậy rồi rời khỏi phòng họp báo.",
        "Hết giờ.",
    ]
    a = Article(id="y", title="Họp ở Brussels", raw_text="\n".join(body))
    clean_article(a)
    assert a.text.split("\n") == body


_PARAS = [
    "Cuộc họp kéo dài bốn giờ tại trụ sở liên minh ở Brussels nhưng không có đột phá nào.",
    "Các bên giữ nguyên lập trường và hẹn gặp lại vào tuần tới để bàn tiếp về an ninh châu Âu.",
    "Người phát ngôn cho biết hai phái đoàn sẽ trao đổi văn bản trước cuộc gặp tiếp theo.",
]


def test_lone_control_label_between_paragraphs_goes() -> None:
    """A short unended line between two paragraphs that shares nothing with the story (a button
    left in the text) is dropped as ``label``; the paragraphs around it stay."""
    a = Article(id="l", title="Họp ở Brussels", raw_text="\n".join([_PARAS[0], "Chế độ tối", *_PARAS[1:]]))
    clean_article(a)
    assert a.text.split("\n") == _PARAS
    assert [(r.text, r.reason) for r in a.removed] == [("Chế độ tối", "label")]


@pytest.mark.parametrize(
    "lines",
    [
        # subheadings in series are the story's own, however little they share with it
        [_PARAS[0], "Chế độ tối", _PARAS[1], "Hẹn gặp lại", _PARAS[2]],
        # one quoting or numbering something, or written in the story's words
        [_PARAS[0], "“Chế độ tối”", *_PARAS[1:]],
        [_PARAS[0], "2. Chế độ tối", *_PARAS[1:]],
        [_PARAS[0], "Hai phái đoàn", *_PARAS[1:]],
    ],
)
def test_short_lines_that_are_the_storys_own_stay(lines: list[str]) -> None:
    a = Article(id="k", title="Họp ở Brussels", raw_text="\n".join(lines))
    clean_article(a)
    assert a.text.split("\n") == lines


@pytest.mark.skipif(not (DATA / "abmusu").is_dir(), reason="data not found")
def test_control_label_rule_spares_real_subheadings() -> None:
    """On every undressed article of ../shared/data (2,188, with their real subheadings), the
    label rule drops only what is no body text (measured: two "PV/HANOITV" bylines)."""
    import layouts

    dropped = []
    for src in layouts.load_sources():
        a = Article(id=src.key, title=src.title, raw_text="\n".join(src.paragraphs))
        clean_article(a)
        dropped += [r.text for r in a.removed if r.reason == "label"]
    assert len(dropped) <= 3, dropped
    assert all(len(t.split()) <= 2 for t in dropped), dropped


def test_consecutive_duplicate_caption_recorded() -> None:
    raw = "\n".join(
        [
            "Bộ trưởng phát biểu tại hội nghị ở Hà Nội sáng nay với nhiều đại biểu tham dự đông đủ.",
            "Toàn cảnh hội nghị sáng 12/1. Ảnh: TTXVN",
            "Toàn cảnh hội nghị sáng 12/1. Ảnh: TTXVN",
            "Hội nghị thông qua nghị quyết về phát triển kinh tế trong năm tới với đa số phiếu.",
        ]
    )
    a = Article(id="z", title="Hội nghị", raw_text=raw)
    clean_article(a)
    assert "Ảnh" not in a.text and len(a.text.split("\n")) == 2
    assert [r.line for r in a.removed] == [2, 3]


def test_clean_cluster_cleans_every_article() -> None:
    text = "Một câu văn bình thường của bài báo."
    c = Cluster(id="c", articles=[Article(id=str(i), raw_text=text) for i in range(3)])
    clean_cluster(c)
    assert all(a.text == text for a in c.articles)


# ------------------------------------------------------- issue 3: features found by held-out misses

BODY = [
    "Hà Nội hôm nay mưa lớn kéo dài, nhiều tuyến phố ngập sâu khiến giao thông ùn tắc nghiêm trọng.",
    "Ông Nguyễn Văn A, người dân phố Huế, cho biết nước lên rất nhanh từ khoảng 6 giờ sáng.",
    "Công ty thoát nước đã huy động hàng trăm công nhân và máy bơm đến các điểm ngập.",
    "Dự báo mưa còn kéo dài đến hết tuần, người dân được khuyến cáo hạn chế ra đường.",
]


def _clean(raw: list[str], title: str = "Mưa lớn gây ngập nhiều tuyến phố Hà Nội", lead: str | None = None):
    a = Article(id="t", title=title, raw_text="\n".join(raw), lead=lead)
    clean_article(a)
    return a, {r.line - 1: r.reason for r in a.removed if r.reason != "prefix"}  # 0-based raw lines


def test_link_marker_lines_are_links_but_arrow_sentences_stay() -> None:
    a, reasons = _clean(
        [
            BODY[0],
            "» Giá xăng dầu hôm nay tăng mạnh sau nhiều tuần giảm",
            BODY[1],
            "→ Người dân nên chuẩn bị áo mưa và tránh các tuyến phố trũng.",
            BODY[2],
        ]
    )
    assert reasons == {1: "link"}
    assert "→ Người dân nên chuẩn bị" in a.text


def test_byline_glued_to_source_credit() -> None:
    a, reasons = _clean([*BODY, "Thu Hằng | Theo Tổ Quốc", "Tin cùng chuyên mục"])
    assert reasons.get(4) == "credit" and a.author == "Thu Hằng" and a.meta["credit"] == "Tổ Quốc"
    a, reasons = _clean([*BODY[:3], "Ngọc Mai/VOV-Châu Âu", BODY[3]])
    assert reasons == {3: "credit"} and a.author == "Ngọc Mai"
    # A sentence with a slash is not a credit line.
    a, reasons = _clean([*BODY[:3], "Giá bán lẻ là 25.000 đồng/lít, tăng 300 đồng/lít so với kỳ trước.", BODY[3]])
    assert reasons == {}


def test_descriptive_photo_credits_are_captions() -> None:
    a, reasons = _clean(
        [
            BODY[0],
            "Nước ngập sâu trên phố Huế sáng nay. Ảnh chụp màn hình",
            BODY[1],
            "Người dân lội nước đi làm (Ảnh minh họa)",
            BODY[2],
            "Anh A kể rằng con trai đã gửi cho anh ảnh chụp màn hình.",
            BODY[3],
        ]
    )
    assert reasons == {1: "caption", 3: "caption"}
    assert "gửi cho anh ảnh chụp màn hình." in a.text


def test_line_quoting_own_headline_and_reader_contact_are_chrome() -> None:
    title = "Mưa lớn gây ngập nhiều tuyến phố Hà Nội"
    a, reasons = _clean(
        [
            *BODY,
            f'Bạn đang đọc bài viết "{title}" tại chuyên mục Thời sự.',
            "Mọi góp ý xin vui lòng gửi về hòm thư toasoan@example.vn hoặc hotline 0123 456 789.",
        ]
    )
    assert reasons == {4: "chrome", 5: "chrome"}
    # Reporting a hotline is news, not chrome: no reader address.
    a, reasons = _clean([*BODY, "Công ty đã mở đường dây nóng, người dân gọi hotline 1900 1234 khi cần hỗ trợ."])
    assert reasons == {}


def test_short_labelled_related_box_mid_body() -> None:
    a, reasons = _clean(
        [
            BODY[0],
            BODY[1],
            "Tin liên quan:",
            "Giá vàng hôm nay tăng mạnh sau phiên giảm sâu",
            "Tiền vào chứng khoán cao nhất một tháng qua",
            BODY[2],
            "Clip: Lũ quét cuốn trôi cầu tạm ở miền núi phía Bắc",
            BODY[3],
        ]
    )
    assert set(reasons) == {2, 3, 4, 6}
    assert a.text.split("\n") == BODY


def test_last_paragraph_after_inline_links_is_body_when_signed() -> None:
    a, reasons = _clean(
        [
            *BODY[:3],
            "ĐỌC THÊM",
            "Hà Nội ngập sâu sau trận mưa lớn nhất từ đầu năm",
            BODY[3],
            "Minh Anh",
            "Bình luận",
            "Đọc nhiều",
            "Giá vàng hôm nay tăng mạnh sau phiên giảm sâu",
        ]
    )
    assert BODY[3] in a.text and a.author == "Minh Anh"
    assert set(reasons) == {3, 4, 6, 7, 8, 9}


def test_header_stamps_do_not_eat_the_lead() -> None:
    a, reasons = _clean(["Thời sự", "Thứ bảy, 17/04/2024 06:36 (GMT+7)", "Nghe đọc bài viết", "00:00", *BODY])
    assert a.text.split("\n") == BODY


def test_site_prefix_is_cut_from_lead_and_logged() -> None:
    a, reasons = _clean(["VOV.VN - " + BODY[0], *BODY[1:]])
    assert a.text.split("\n") == BODY and reasons == {}
    assert a.meta["stripped"] == [{"line": 1, "text": "VOV.VN -", "reason": "prefix"}]
    # The cut is listed in ``removed`` like any dropped text (issue 8 §6).
    assert [(r.line, r.text, r.reason) for r in a.removed] == [(1, "VOV.VN -", "prefix")]
    a, _ = _clean(BODY, lead="(Dân trí) - Mưa lớn kéo dài từ đêm qua khiến nhiều tuyến phố Hà Nội ngập sâu.")
    assert a.text.startswith("Mưa lớn kéo dài từ đêm qua") and a.meta["stripped"][0]["text"] == "(Dân trí) -"


def test_obfuscated_title_is_repaired() -> None:
    a, _ = _clean(BODY, title="Mưa lớn gây ngập nhiều t.uyến phố Hà Nội")
    assert a.title == "Mưa lớn gây ngập nhiều tuyến phố Hà Nội"


def test_two_paragraph_article_between_stamped_header_and_list_survives() -> None:
    # Found by the dressed benchmark: the header date and the list dates were bridged into one
    # "list" block that swallowed a short body (the article came out empty).
    raw = [
        "Người Lao Động Online",
        "Quốc tế",
        "11/06/2024 20:06",
        BODY[0],
        BODY[1],
        "Minh Anh",
        "Tin liên quan",
        "Giá vàng hôm nay tăng mạnh sau phiên giảm sâu",
        "01/08/2024",
        "Apple phát hành iOS 15.6",
        "15/07/2024",
    ]
    a, _ = _clean(raw)
    assert a.text.split("\n") == BODY[:2]


# ------------------------------------------- issue 4: features found by held-out round 2 misses


def test_tag_line_outside_body_is_chrome_but_label_lists_in_body_stay() -> None:
    a, reasons = _clean(["Thứ tư, 07/11/2024 06:37 (GMT+7)", "Sự kiện: Mưa lớn, Hà Nội, Thời tiết", *BODY])
    assert reasons.get(1) == "tags" and a.text.split("\n") == BODY
    # The same shape between paragraphs is content (a line-up, ingredients): kept.
    lineup = "Đội hình: Văn Lâm, Duy Mạnh, Quế Hải, Văn Hậu"
    a, reasons = _clean([BODY[0], BODY[1], lineup, BODY[2], BODY[3]])
    assert reasons == {} and lineup in a.text


def test_reader_invitation_is_a_link_label_and_body_resumes_after_it() -> None:
    a, reasons = _clean(
        [
            *BODY[:3],
            "Mời bạn đọc xem thêm video được quan tâm:",
            "Giá vàng hôm nay tăng mạnh sau phiên giảm sâu",
            BODY[3],
            "Nguồn: https://www.example.vn/tin-tuc/bai-viet-c46a1.html",
            "Minh Anh (Tổng hợp)",
            "Tin bài cùng sự kiện",
            "Hà Nội ngập sâu sau trận mưa lớn nhất từ đầu năm",
        ]
    )
    assert a.text.split("\n") == BODY
    assert reasons[3] == "chrome" and reasons[6] == "credit" and reasons[7] == "credit"
    assert a.author == "Minh Anh"
    # A journalist inviting someone is a sentence.
    a, reasons = _clean([*BODY[:2], "Mời ông Nguyễn Văn A phát biểu ý kiến về dự án.", *BODY[2:]])
    assert reasons == {}


def test_short_last_sentence_after_link_box_is_body() -> None:
    a, reasons = _clean(
        [
            *BODY[:3],
            "Xem thêm:",
            "Hà Nội ngập sâu sau trận mưa lớn nhất từ đầu năm",
            "Hà Nội ngập sâu sau trận mưa lớn nhất từ đầu năm",
            BODY[3],
            "Cảnh sát đang điều tra.",
            "Thu Hằng (Nguồn: TTXVN)",
            "Tin liên quan",
            "Giá vàng hôm nay tăng mạnh sau phiên giảm sâu",
        ]
    )
    assert a.text.split("\n") == [*BODY, "Cảnh sát đang điều tra."]


def test_masthead_is_not_the_author() -> None:
    for mast in ("VTC News", "TIỀN PHONG", "Người Lao Động"):
        a, reasons = _clean([mast, "Thời sự", "Mưa lớn gây ngập nhiều tuyến phố Hà Nội", *BODY, "Minh Anh"])
        assert reasons[0] == "masthead" and a.author == "Minh Anh", mast
    # A byline with an initial ("V.Dũng") is a person.
    a, _ = _clean([*BODY, "V.Dũng"])
    assert a.author == "V.Dũng"


def test_header_stamps_and_link_box_do_not_bridge_over_the_lead() -> None:
    # Found by held-out round 2: the headline line (sentence-shaped) was taken for the start of
    # the body, so the stamps + "Xem thêm:" box were read as one list that ate the lead.
    title = "Nếu người càng có nhiều đất, càng gánh thuế cao, cơ hội mua nhà cho người thu nhập thấp?"
    raw = [
        "VTC News",
        title,
        "Chủ nhật, 28/02/2024 16:47 (GMT+7)",
        "Nghe đọc bài viết",
        "00:00",
        BODY[0],
        "Toàn cảnh phố Huế ngập sâu. (Ảnh: Reuters)",
        BODY[1],
        "Xem thêm:",
        "Hà Nội ngập sâu sau trận mưa lớn nhất từ đầu năm",
        "Hà Nội ngập sâu sau trận mưa lớn nhất từ đầu năm",
        BODY[2],
        BODY[3],
    ]
    a, _ = _clean(raw, title=title)
    assert a.text.split("\n") == BODY
