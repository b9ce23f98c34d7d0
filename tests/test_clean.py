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
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from diemtin.clean import clean_article, clean_cluster
from diemtin.model import Article, Cluster
from diemtin.repair import repair_line

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


def _seed_article(path: Path) -> tuple[Article, list[str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    # Title on the first line (as diemtin.read does); raw_text line k is file line k + 2.
    return Article(id=path.stem, title=lines[0].strip(), raw_text="\n".join(lines[1:])), lines


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
        dropped = {r.line + 2 for r in article.removed}
        for o in labels:
            if o["file"] == path.name and o["label"] != "title":
                score.add(o["label"], o["line"] in dropped)
                if (o["label"] == "keep") == (o["line"] in dropped):
                    errors.append(f"{o['file']}:{o['line']} {o['label']}: {o['text'][:80]}")
    print("\n" + score.report())
    for e in errors:
        print("   ", e)
    assert score.keep_recall >= 0.99
    assert score.noise_recall >= 0.98


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
        for i, raw in enumerate(article.raw_text.split("\n")):
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

AUTHORS = ["Minh Anh", "Thu Hằng", "Hoàng Nam", "Lê Vy", "Ngọc Mai", "Trần Phong", "Khánh Linh", "Đức Huy"]
SITES = ["Tiền Phong", "Lao Động", "VTC News", "Báo Tin tức", "Vietnamplus", "Znews"]
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]


def _vims_docs() -> list[tuple[str, str, list[str], str | None]]:
    out = []
    for d in sorted((DATA / "vims-dev" / "data").glob("Cluster_*"))[:60]:
        for f in sorted(d.glob("*.txt"))[:2]:
            lines = f.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
            body = [x.strip() for x in lines[1:] if x.strip()]
            out.append((d.name, lines[0].strip(), body, None))
    return out


def _abmusu_docs(name: str, limit: int) -> list[tuple[str, str, list[str], str | None]]:
    out = []
    with open(DATA / "abmusu" / name, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= limit:
                break
            for d in json.loads(line)["single_documents"][:2]:
                body = [x.strip() for x in d["raw_text"].split("\n") if x.strip()]
                lead = (d.get("anchor_text") or "").strip() or None
                out.append((f"ab{k}", d["title"].strip(), body, lead))
    return out


def _dress(template: Path, doc: tuple[str, str, list[str], str | None], others, rng) -> tuple[Article, list]:
    """Wrap a real body in a chrome template; return the article and per-raw-line labels."""
    cluster, title, body, lead = doc
    same = [t for c, t, _, _ in others if c == cluster and t != title] or [title + " (tiếp)"]
    off = [(t, b, ld) for c, t, b, ld in others if c != cluster]
    tpl = [x for x in template.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    n_parts = sum(x == "{BODY_PART}" for x in tpl)
    cut = sorted(rng.sample(range(1, max(2, len(body))), min(n_parts - 1, max(0, len(body) - 1))))
    parts = [body[a:b] for a, b in zip([0, *cut], [*cut, len(body)], strict=False)]
    parts += [[]] * (n_parts - len(parts))
    out: list[tuple[str, str]] = []

    def value(key: str) -> str:  # a fresh draw for every placeholder occurrence
        d, m = rng.randint(1, 28), rng.randint(1, 12)
        hh, mm = rng.randint(0, 23), rng.randint(0, 59)
        if key == "TITLE":
            return title
        if key == "AUTHOR":
            return rng.choice(AUTHORS)
        if key == "SITE":
            return rng.choice(SITES)
        if key == "NUM":
            return str(rng.randint(0, 40))
        if key == "DATE":
            return f"{d}/{m}/2024"
        if key == "TIME":
            return f"{hh:02d}:{mm:02d}"
        if key == "WEEKDAY":
            return rng.choice(WEEKDAYS)
        if key == "DATETIME":
            return f"{d:02d}/{m:02d}/2024 {hh:02d}:{mm:02d}"
        if key == "RELTIME":
            return rng.choice([f"{rng.randint(1, 59)} phút trước", f"{rng.randint(1, 23)} giờ trước"])
        if key == "REL_TIME_ONLY":
            return f"{hh:02d}:{mm:02d}"
        if key == "REL_DATE":
            return f"{d:02d}/{m:02d}/2024"
        if key == "REL_TITLE_ONTOPIC":
            return rng.choice(same)
        if key == "REL_TITLE":
            return rng.choice(off)[0]
        if key == "REL_LEAD":
            return next((ld for _, _, ld in rng.sample(off, 20) if ld), rng.choice(off)[0])
        if key == "TAGS":
            return ", ".join(" ".join(title.split()[i : i + 2]) for i in (0, 2, 4))
        if key == "CAPTION":
            return " ".join(rng.choice(body).rstrip(".").split()[:12])
        raise KeyError(key)

    def fill(line: str) -> str:
        return re.sub(r"\{([A-Z_]+)\}", lambda m: value(m.group(1)), line)

    for line in tpl:
        if line == "{BODY_PART}":
            out += [(x, "keep") for x in parts.pop(0)]
        elif "{LEAD}" in line:  # a line carrying the sapo is body, even with a site prefix
            if lead:
                out.append((fill(line.replace("{LEAD}", lead)), "keep"))
        else:
            out.append((fill(line), "drop"))
    article = Article(id=f"{template.stem}-{cluster}", title=title, raw_text="\n".join(x for x, _ in out))
    return article, [lab for _, lab in out]


def _run_dressed(folder: str, per_template: int, seed: int) -> tuple[Score, list[str]]:
    vims = _vims_docs()
    ab = _abmusu_docs("train.jsonl", 120)
    pool = vims + ab + _abmusu_docs("test-inputs.jsonl", 40)
    # Source bodies are not perfectly clean: lines read and relabelled by hand (bylines, credits,
    # captions inside the ViMs/AbMuSu text) are listed by document id and line prefix.
    relabel = [json.loads(x) for x in (FIX / "dressed-body-relabels.jsonl").read_text(encoding="utf-8").splitlines()]
    score, errors = Score(folder), []
    for template in sorted((FIX / "templates" / folder).glob("*.txt")):
        rng = random.Random(f"{seed}-{template.stem}")
        docs = rng.sample(vims, per_template // 2) + rng.sample(ab, per_template - per_template // 2)
        for doc in docs:
            article, labels = _dress(template, doc, pool, rng)
            clean_article(article)
            dropped = {r.line for r in article.removed}
            for i, (line, label) in enumerate(zip(article.raw_text.split("\n"), labels, strict=True)):
                for r in relabel:
                    if r["doc"] == article.id and line.startswith(r["prefix"]):
                        label = r["label"]
                score.add(label, i in dropped)
                if (label == "keep") == (i in dropped):
                    errors.append(f"{article.id}:{i} {label}: {line[:90]}")
    return score, errors


@needs_corpora
def test_dressed_precision_recall() -> None:
    score, errors = _run_dressed("dev", per_template=4, seed=3)
    print("\n" + score.report())
    for e in errors:
        print("   ", e)
    assert score.keep_recall >= 0.99
    assert score.noise_recall >= 0.98


@needs_corpora
def test_heldout_templates_report() -> None:
    """Templates written after the cleaner was finished (never tuned on): reported, with a looser
    floor than the dev set -- the point is an honest number, not a pass."""
    if not any((FIX / "templates" / "heldout").glob("*.txt")):
        pytest.skip("no held-out templates")
    score, errors = _run_dressed("heldout", per_template=4, seed=5)
    print("\n" + score.report())
    for e in errors:
        print("   ", e)
    assert score.keep_recall >= 0.95
    assert score.noise_recall >= 0.90


@needs_corpora
def test_plain_bodies_lose_almost_nothing() -> None:
    """Bodies with no chrome around them. They are not perfectly clean (some end with a byline,
    "Theo Reuters" or carry a photo caption, which the cleaner rightly drops), so the bar is 2%."""
    docs = _vims_docs() + _abmusu_docs("train.jsonl", 120)
    total = dropped = 0
    for cluster, title, body, lead in docs:
        a = Article(id=cluster, title=title, raw_text="\n".join(body), lead=lead)
        clean_article(a)
        total += len(body)
        dropped += len(a.removed)
    print(f"\n[plain bodies] {len(docs)} articles, {total} lines, dropped {dropped} ({dropped / total:.2%})")
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
    assert [r.line for r in a.removed] == [0, 3, 4, 5, 6, 7, 8]
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
    assert [r.line for r in a.removed] == [1, 2]


def test_clean_cluster_cleans_every_article() -> None:
    text = "Một câu văn bình thường của bài báo."
    c = Cluster(id="c", articles=[Article(id=str(i), raw_text=text) for i in range(3)])
    clean_cluster(c)
    assert all(a.text == text for a in c.articles)
