"""The summarizer on real clusters: budget, redundancy, traceability, order, determinism."""

from __future__ import annotations

import pytest

from diemtin.ingest.read import read_inputs
from diemtin.lang.tokens import count_syllables, syllables
from diemtin.model import Article, Cluster
from diemtin.pipeline import process
from diemtin.select.selector import STOP_SYLLABLES, summarize


def content_bigrams(text: str) -> set[tuple[str, str]]:
    t = syllables(text)
    return {
        (a, b)
        for a, b in zip(t, t[1:], strict=False)
        if not (a in STOP_SYLLABLES and b in STOP_SYLLABLES) and not (a.isdigit() and b.isdigit())
    }


def bigram_overlap(a: str, b: str) -> float:
    """Share of the shorter sentence's content bigrams found in the other one."""
    ga, gb = content_bigrams(a), content_bigrams(b)
    return len(ga & gb) / max(1, min(len(ga), len(gb)))


@pytest.fixture(scope="module")
def real_clusters(abmusu_path, vims_dir) -> list[Cluster]:
    clusters = read_inputs(abmusu_path)[:15] + read_inputs(vims_dir)[:10]
    for c in clusters:
        process(c, 120, parts=("summary",))
    return clusters


@pytest.mark.parametrize("words", [40, 120, 300])
def test_budget_is_respected(real_clusters: list[Cluster], words: int) -> None:
    for c in real_clusters:
        summary = summarize(c, words)
        assert summary, c.id
        assert sum(count_syllables(s.text) for s in summary) <= words


def test_no_two_summary_sentences_state_the_same_fact(real_clusters: list[Cluster]) -> None:
    for c in real_clusters:
        texts = [s.text for s in c.digest.summary]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                assert bigram_overlap(texts[i], texts[j]) < 0.5, (c.id, texts[i], texts[j])


def test_every_sentence_is_traceable_to_exact_source_text(real_clusters: list[Cluster]) -> None:
    for c in real_clusters:
        for s in c.digest.summary:
            first = s.sources[0]
            article = c.article(first.article)
            assert article.text[first.start : first.end] == s.text
            for ref in s.sources:
                src = c.article(ref.article)
                assert src.sentences[ref.sentence].start == ref.start
                assert bigram_overlap(s.text, src.text[ref.start : ref.end]) >= 0.5


def test_near_duplicates_in_other_articles_are_all_attached() -> None:
    """The fact all three outlets report is chosen, and carries all three as sources."""
    fact = "Ngày 10/1, Nga và Mỹ đã tiến hành cuộc đàm phán về an ninh tại Geneva kéo dài khoảng 7,5 giờ."
    same = "Nga và Mỹ đã tiến hành cuộc đàm phán về an ninh tại Geneva kéo dài khoảng 7,5 giờ hôm 10/1."
    cluster = Cluster(
        id="t",
        articles=[
            Article(id="a", title="Đàm phán Nga Mỹ", raw_text=f"{fact}\nThời tiết ở Geneva hôm đó lạnh và có tuyết."),
            Article(id="b", title="Nga Mỹ đàm phán", raw_text=f"{same}\nGiá dầu thế giới tăng nhẹ trong phiên."),
            Article(id="c", title="Geneva", raw_text=f"Một câu khác hẳn về thời tiết ở Hà Nội hôm nay.\n{same}"),
        ],
    )
    process(cluster, 30, parts=("summary",))
    [first] = [s for s in cluster.digest.summary if "7,5 giờ" in s.text]
    assert {r.article for r in first.sources} == {"a", "b", "c"}


def test_summary_sentences_follow_source_order() -> None:
    body_a = "\n".join(f"Sự kiện số {i} về đàm phán Nga Mỹ tại Geneva có chi tiết riêng {i}." for i in range(6))
    cluster = Cluster(id="t", articles=[Article(id="a", title="Đàm phán Nga Mỹ Geneva", raw_text=body_a)])
    process(cluster, 200, parts=("summary",))
    idx = [s.sources[0].sentence for s in cluster.digest.summary]
    assert idx == sorted(idx)


def test_deterministic(abmusu_path) -> None:
    a = read_inputs(abmusu_path)[3]
    b = read_inputs(abmusu_path)[3]
    process(a, 150, parts=("summary",))
    process(b, 150, parts=("summary",))
    assert [s.text for s in a.digest.summary] == [s.text for s in b.digest.summary]


def test_empty_cluster_gives_empty_summary() -> None:
    cluster = Cluster(id="empty")
    process(cluster, 100, parts=("summary",))
    assert cluster.digest.summary == []
