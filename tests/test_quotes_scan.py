"""Reported speech's verb scans: the speech-verb patterns tried where a verb starts give the
same matches as scanning each sentence (extract.quotes._verb_starts, _matches_at)."""

from gold_clusters import load_gold_cluster

from diemtin.extract.quotes import _REPORTED, _VERB, _matches_at, _verb_starts


def _same_matches(text: str, spans: list[tuple[int, int]]) -> int:
    found = 0
    for (ss, se), starts in zip(spans, _verb_starts(text, spans), strict=True):
        sent = text[ss:se]
        expected = [m.span() for m in _REPORTED.finditer(sent)]
        assert [m.span() for m in _matches_at(_REPORTED, sent, starts, len(sent))] == expected, sent
        found += len(expected)
        # _VERB from a position inside the sentence (after "Theo X, "), offsets into the text
        for cs in range(ss, se, 7):
            expected = [m.span() for m in _VERB.finditer(text, cs, se)]
            assert [m.span() for m in _matches_at(_VERB, text, [ss + p for p in starts if ss + p >= cs], se)
                    ] == expected, (sent, cs)
    return found


def test_verb_starts_give_every_reported_match_of_real_articles():
    cluster = load_gold_cluster("vims-Cluster_019")
    found = 0
    for a in cluster.articles:
        spans = [(s.start, s.end) for s in a.sentences]
        found += _same_matches(a.text, spans)
        found += _same_matches(a.text, spans[::-1])  # (out of order: each sentence on its own)
    assert found > 5


def test_verbs_held_in_longer_verbs_and_bounds():
    # "ra tuyên bố" holds "tuyên bố" after its start; "cho biết thêm" holds "cho biết"; a verb
    # glued to a letter is no verb, to a digit it is; a verb crossing the sentence's end is not in it
    text = "Bộ ra tuyên bố rằng giá tăng mạnh. Ông A cho biết thêm, 3nói chuyện xnói đã xong rồi cho"
    spans = [(0, 34), (35, len(text) - 4), (len(text) - 3, len(text))]
    assert _same_matches(text, spans) >= 2
