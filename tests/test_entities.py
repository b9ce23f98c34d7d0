"""Who's who (issue 4, part 2): unit behaviour, and precision/recall against hand-built gold.

Gold lives in tests/gold/entities/*.json (read by hand from the articles); the articles are
read from ../shared/data and the data-dependent tests skip when it is absent.
"""

from __future__ import annotations

import json
import re
import time
from itertools import combinations
from pathlib import Path

import pytest
from gold_clusters import ISSUE10_GOLD

from diemtin.clean.cleaner import clean_cluster
from diemtin.extract.entities import extract_entities
from diemtin.ingest.read import read_inputs
from diemtin.model import Article, Cluster, Entity
from diemtin.segment.sentences import segment_article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GOLD = Path(__file__).parent / "gold" / "entities"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"real data not found at {DATA} (expected ../shared/data next to the repo)"
)


def _cluster(*texts: str) -> Cluster:
    c = Cluster(id="t", articles=[Article(id=f"a{i}", text=t) for i, t in enumerate(texts)])
    for a in c.articles:
        segment_article(a)
    return c


def load(path: str) -> Cluster:
    cluster = read_inputs(str(DATA / path))[0]
    clean_cluster(cluster)
    for a in cluster.articles:
        segment_article(a)
    return cluster


def _by_variant(entities: list[Entity]) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for e in entities:
        for v in e.variants:
            out.setdefault(v.casefold(), e)
    return out


def score_entities(gold: dict, entities: list[Entity]) -> dict[str, float]:
    """Recall of gold entities, kind accuracy, role recall, merge precision/recall."""
    owner = {v.casefold(): i for i, g in enumerate(gold["entities"]) for v in g["variants"]}
    found = kind_ok = roles_total = roles_ok = 0
    pred = _by_variant(entities)
    for g in gold["entities"]:
        hit = next((pred[v.casefold()] for v in g["variants"] if v.casefold() in pred), None)
        if hit is None:
            continue
        found += 1
        kind_ok += hit.kind == g["kind"]
        for r in g["roles"]:
            roles_total += 1
            roles_ok += any(r.casefold() in pr.casefold() for pr in hit.roles)
    # merge precision: pairs of gold-known variants put in one predicted entity
    pairs = good = 0
    for e in entities:
        known = sorted({owner[v.casefold()] for v in e.variants if v.casefold() in owner} and
                       [(v, owner[v.casefold()]) for v in e.variants if v.casefold() in owner])
        for (_, a), (_, b) in combinations(known, 2):
            pairs += 1
            good += a == b
    # merge recall: pairs of one gold entity's variants (both extracted) that ended up together
    rpairs = rgood = 0
    for g in gold["entities"]:
        present = [v for v in g["variants"] if v.casefold() in pred]
        for a, b in combinations(present, 2):
            rpairs += 1
            rgood += pred[a.casefold()] is pred[b.casefold()]
    # merge errors (issue 10 target 0): a gold entity found as k predicted entities is k-1 splits;
    # a predicted entity holding variants of k gold entities is k-1 false merges.
    splits = sum(max(len({id(pred[v.casefold()]) for v in g["variants"] if v.casefold() in pred}) - 1, 0)
                 for g in gold["entities"])
    false_merges = sum(max(len({owner[v.casefold()] for v in e.variants if v.casefold() in owner}) - 1, 0)
                       for e in entities)
    n = len(gold["entities"])
    return {
        "entity_recall": found / n,
        "found": found,
        "kind_accuracy": kind_ok / max(found, 1),
        "role_recall": roles_ok / max(roles_total, 1),
        "merge_precision": good / pairs if pairs else 1.0,
        "merge_pairs": pairs,
        "merge_recall": rgood / rpairs if rpairs else 1.0,
        "splits": splits,
        "false_merges": false_merges,
        "role_anaphora": sum(bool(ROLE_ANAPHORA.search(r)) for e in entities for r in e.roles),
    }


# A role pointing elsewhere in the text ("Ngoại trưởng nước này", "đại sứ Nga tại tổ chức này").
ROLE_ANAPHORA = re.compile(r"\b(?:nước|tổ chức|cơ quan|thành phố|tỉnh|bộ|công ty|quốc gia) (?:này|đó|trên)\b",
                           re.IGNORECASE)


# --- unit behaviour ---------------------------------------------------------------------------


def test_role_and_name_split_with_variants_merged() -> None:
    c = _cluster(
        "Ngày 10/1, Thứ trưởng Ngoại giao Nga Sergey Ryabkov cho biết hai bên chưa đạt tiến bộ. "
        "Theo ông Ryabkov, Moscow sẽ chờ phản hồi.",
        "Thứ trưởng Bộ Ngoại giao Nga Sergei Ryabkov nói Moskva không vội. Thứ trưởng Ryabkov nói thêm.",
    )
    ents = extract_entities(c)
    ryab = _by_variant(ents)["ryabkov"]
    assert ryab.kind == "person"
    assert {"Sergey Ryabkov", "Sergei Ryabkov", "Ryabkov"} <= set(ryab.variants)
    assert any(r.startswith("Thứ trưởng Ngoại giao Nga") for r in ryab.roles)
    moskva = _by_variant(ents)["moscow"]
    assert moskva.kind == "location" and moskva.name == "Moskva" and "Moskva" in moskva.variants
    assert _by_variant(ents)["nga"].kind == "location"
    names = {e.name for e in ents}
    assert not names & {"Ngày", "Theo", "Thứ", "Ngoại"}  # sentence openers / title words are not names
    for e in ents:  # offsets point into Article.text
        for m in e.mentions:
            assert c.article(m.article).text[m.start : m.end] == m.text


def test_same_first_name_is_not_merged_but_transliteration_is() -> None:
    c = _cluster(
        "Ngoại trưởng Nga Sergei Lavrov gặp Thứ trưởng Ngoại giao Nga Alexander Grushko.",
        "Thứ trưởng Ngoại giao Nga Grouchko nói với Thứ trưởng Quốc phòng Alexandr Fomin. "
        "Ông Alexander Fomin đồng ý, còn ông Lavrov im lặng.",
    )
    by = _by_variant(extract_entities(c))
    assert by["grouchko"] is by["alexander grushko"]
    assert by["alexandr fomin"] is by["alexander fomin"]
    assert by["sergei lavrov"] is not by["alexander grushko"]
    assert by["alexander fomin"] is not by["alexander grushko"]


def test_one_person_two_given_names_merged_only_when_described_alike_apart() -> None:
    """A given name written two ways by two articles is one person when surname and middle name,
    the age beside the name and separate articles agree; named together, or of another age, two."""
    one = extract_entities(_cluster(
        "Bà Trần Thị Giêng (48 tuổi, mẹ vợ Nguyên) chạy vào thì bị chém. Bà Giêng trốn sau nhà hàng xóm.",
        "Khi bà Trần Thị Duyên (48 tuổi, mẹ ruột chị H.) chạy đến can ngăn, Nguyên chém bà Duyên.",
    ))
    by = _by_variant(one)
    assert by["trần thị giêng"] is by["trần thị duyên"] is by["duyên"]
    together = _by_variant(extract_entities(_cluster(
        "Bà Trần Thị Giêng (48 tuổi) và bà Trần Thị Duyên (48 tuổi) cùng bị thương.",
        "Bà Trần Thị Duyên (48 tuổi) kể lại.",
    )))
    assert together["trần thị giêng"] is not together["trần thị duyên"]
    other_age = _by_variant(extract_entities(_cluster(
        "Bà Trần Thị Giêng (48 tuổi) bị thương.", "Bà Trần Thị Duyên (61 tuổi) kể lại.")))
    assert other_age["trần thị giêng"] is not other_age["trần thị duyên"]


def test_romanisation_variants_of_a_place_merge_but_not_vietnamese_syllables() -> None:
    """"quận Kangnam"/"quận Gangnam" (two romanisations of one Korean initial) are one place; an
    unmarked Vietnamese syllable is no romanisation ("Tinh"/"Dinh" stay two people), nor are two
    places the gazetteer knows."""
    by = _by_variant(extract_entities(_cluster(
        "Cô tới quận Kangnam, Seoul để đăng ký.", "Hồ sơ được nộp ở quận Gangnam hôm qua.")))
    assert by["kangnam"] is by["gangnam"]
    people = _by_variant(extract_entities(_cluster(
        "Ông Nguyễn Văn Tinh cho biết như vậy.", "Ông Nguyễn Văn Dinh cũng nói thế. Ông Tinh im lặng.")))
    assert people["nguyễn văn tinh"] is not people["nguyễn văn dinh"]
    places = _by_variant(extract_entities(_cluster("Đoàn đi Paris rồi tới Baris.", "Họ ở Paris.")))
    assert "baris" not in places or places["baris"] is not places["paris"]


def test_vietnamese_short_forms_and_acronym_definitions() -> None:
    c = _cluster(
        "HLV Nguyễn Hữu Thắng gọi trung vệ Vũ Ngọc Thịnh. Liên đoàn Bóng đá Việt Nam (VFF) đồng ý.",
        "HLV Hữu Thắng nói Ngọc Thịnh sẽ lên tuyển. Trước đó VFF phạt trung vệ Quế Ngọc Hải.",
    )
    by = _by_variant(extract_entities(c))
    assert by["hữu thắng"] is by["nguyễn hữu thắng"]
    assert by["ngọc thịnh"] is by["vũ ngọc thịnh"]
    assert by["quế ngọc hải"] is not by["vũ ngọc thịnh"]
    assert by["vff"] is by["liên đoàn bóng đá việt nam"] and by["vff"].kind == "organization"
    assert "HLV" in by["nguyễn hữu thắng"].roles[0]


def test_ranking_prefers_cross_article_actors() -> None:
    c = _cluster(
        "Tổng thư ký NATO Jens Stoltenberg họp tại Brussels. Ông Stoltenberg nói về Ukraine.",
        "Ông Jens Stoltenberg cảnh báo Nga. Nhà ngoại giao Pháp Pierre Vimont nhận xét ngắn.",
        "Stoltenberg nói thêm rằng NATO sẵn sàng đối thoại.",
    )
    ents = extract_entities(c)
    people = [e for e in ents if e.kind == "person"]
    assert people[0].name == "Jens Stoltenberg" and people[0].score > people[-1].score
    assert len({e.id for e in ents}) == len(ents)


def test_empty_cluster() -> None:
    assert extract_entities(Cluster(id="empty")) == []


# --- gold -------------------------------------------------------------------------------------

GOLD_FILES = sorted(GOLD.glob("*.json"))
# Blind clusters (gold written by reading before the extractor was run on them): a floor they
# miss is recorded here with the measured numbers instead of lowering the floor.
# Blind clusters (gold written before the extractor ran on them, sha256 in the closing note).
# vims-016/100 passed after the fixes they prompted and are now seen; 030/059 are still blind.
BLIND_XFAIL: dict[str, str] = {
    "vims-059-sport": "blind: kind_accuracy=0.76 (was 0.67; clubs named after their city, Hải Phòng and Đồng "
    "Tháp, still typed as places), merge_recall=0.60; entity_recall=0.96, role_recall=0.85, merge_precision=1.00",
    # issue 10's blind gold, first run on the unchanged extractor
    # (first run: 047 entity_recall=0.70, kind 0.79, role_recall 0.33; 055 recall 0.73, kind 0.88, roles 0.00)
    "vims-047-disaster": "blind: entity_recall=0.74, kind_accuracy=1.00, role_recall=0.33 ('Phó chủ tịch UBND "
    "tỉnh' not completed with the province; the command's long role not read), merge_precision=1.00",
    "vims-055-culture": "blind: entity_recall=0.73, kind_accuracy=1.00, role_recall=0.00 ('diễn viên Hàn Quốc' "
    "is a description after the name), merge_precision=1.00",
}


@needs_data
@pytest.mark.parametrize(
    "gold_file",
    [pytest.param(p, marks=pytest.mark.xfail(reason=BLIND_XFAIL[p.stem], strict=True)) if p.stem in BLIND_XFAIL
     else p for p in GOLD_FILES],
    ids=[p.stem for p in GOLD_FILES],
)
def test_entities_against_gold(gold_file: Path) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    cluster = load(gold["path"])
    extract_entities(cluster)  # warm caches (gazetteer, compiled lexicons)
    t0 = time.perf_counter()
    entities = extract_entities(cluster)
    ms = (time.perf_counter() - t0) * 1000
    s = score_entities(gold, entities)
    print(f"\n[entities] {gold['cluster']}: " + ", ".join(
        f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in s.items()) + f", {ms:.0f} ms")
    assert s["merge_precision"] >= 0.95
    assert s["entity_recall"] >= 0.75
    assert s["kind_accuracy"] >= 0.8
    assert s["role_recall"] >= 0.6


# Issue 10's targets on the blind gold it asked for (written before the extractor ran on these
# four clusters: sha256 in the gold commit bb0d52d). A target missed is an xfail with the numbers.
ISSUE10 = ISSUE10_GOLD
ISSUE10_XFAIL: dict[str, str] = {
    # first run (unchanged extractor): 019 kind 0.93 splits 2; 028 kind 0.92; 047 kind 0.79; 055 kind 0.88
    # splits 1; pooled kind 0.87 (54 found), splits 3, false merges 0, role anaphora 0. Then splits 2
    # (019 Giêng/Duyên, 055 Gangnam/Kangnam) until the age-described and romanisation merges: 0.
}


def _issue10_score(stem: str) -> dict[str, float]:
    if stem == "pooled":
        rows = [_issue10_score(s) for s in ISSUE10]
        found = sum(r["found"] for r in rows)
        return {"found": found, "kind_accuracy": sum(r["kind_accuracy"] * r["found"] for r in rows) / max(found, 1),
                **{k: sum(r[k] for r in rows) for k in ("splits", "false_merges", "role_anaphora")}}
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return score_entities(gold, extract_entities(load(gold["path"])))


@needs_data
@pytest.mark.parametrize(
    "stem",
    [pytest.param(s, marks=pytest.mark.xfail(reason=ISSUE10_XFAIL[s], strict=True)) if s in ISSUE10_XFAIL
     else s for s in (*ISSUE10, "pooled")],
)
def test_issue10_entity_targets(stem: str) -> None:
    s = _issue10_score(stem)
    print(f"\n[entities targets] {stem}: kind_accuracy={s['kind_accuracy']:.2f} ({s['found']} found) "
          f"splits={s['splits']} false_merges={s['false_merges']} role_anaphora={s['role_anaphora']}")
    assert s["kind_accuracy"] >= 0.95
    assert s["splits"] + s["false_merges"] == 0
    assert s["role_anaphora"] == 0


@needs_data
def test_entities_overall_and_speed() -> None:
    totals = {"pairs": 0, "good": 0.0, "found": 0.0, "n": 0}
    worst_ms = 0.0
    for f in GOLD_FILES:
        gold = json.loads(f.read_text(encoding="utf-8"))
        cluster = load(gold["path"])
        extract_entities(cluster)
        t0 = time.perf_counter()
        entities = extract_entities(cluster)
        worst_ms = max(worst_ms, (time.perf_counter() - t0) * 1000)
        s = score_entities(gold, entities)
        totals["pairs"] += s["merge_pairs"]
        totals["good"] += s["merge_precision"] * s["merge_pairs"]
        totals["found"] += s["entity_recall"] * len(gold["entities"])
        totals["n"] += len(gold["entities"])
    mp = totals["good"] / max(totals["pairs"], 1)
    print(f"\n[entities] overall: merge_precision={mp:.3f} over {totals['pairs']} pairs, "
          f"entity_recall={totals['found'] / totals['n']:.3f}, slowest cluster {worst_ms:.0f} ms")
    assert mp >= 0.95


def test_long_names_are_not_cut_short() -> None:
    c = _cluster(
        "Ông Ivan Timofeev, Giám đốc chương trình của Hội đồng Nga về các vấn đề quốc tế (RIAC) cho rằng "
        "cuộc gặp diễn ra như mong đợi. Thứ trưởng Bộ Khoa học và Công nghệ Phạm Công Tạc trả lời báo chí.",
        "Theo RIAC, Nga đã chuẩn bị kỹ. Ông Timofeev nói thêm.",
    )
    by = _by_variant(extract_entities(c))
    riac = by["riac"]
    assert riac.kind == "organization" and "Hội đồng Nga về các vấn đề quốc tế" in riac.variants
    assert by["timofeev"].roles == ["Giám đốc chương trình của Hội đồng Nga về các vấn đề quốc tế"]
    assert "bộ khoa học và công nghệ" in by and by["phạm công tạc"].kind == "person"


def test_role_cut_by_length_ends_before_a_connector() -> None:
    c = _cluster(
        "Ông John Doe, Giám đốc chương trình nghiên cứu chính sách đối ngoại an ninh năng lượng của "
        "viện nghiên cứu chiến lược quốc tế lớn nhất khu vực hiện nay nhận định vậy. Ông Doe nói thêm."
    )
    assert _by_variant(extract_entities(c))["john doe"].roles == [
        "Giám đốc chương trình nghiên cứu chính sách đối ngoại an ninh năng lượng"
    ]


def test_vietnamese_place_prefixes_and_company_heads() -> None:
    c = _cluster(
        "Cầu Hòa Lạc ở xã Tân Thới, H.Phú Tân bị sập. Ông Trần Văn Bình, Phó giám đốc Ban quản lý dự án "
        "H.Phú Tân cho biết Cty TNHH Minh Quang Phát thi công mố A và trụ T1, tải trọng H8, đường cấp VI.",
        "UBND huyện Phú Tân yêu cầu Công ty CP Minh Quang Phát báo cáo. Người dân ở trung tâm Tân Thới lo ngại.",
    )
    by = _by_variant(extract_entities(c))
    assert by["tân thới"].kind == "location" and by["phú tân"].kind == "location"
    assert "trung tâm tân thới" not in by and by["tân thới"] is by.get("tân thới")
    assert by["cty tnhh minh quang phát"].kind == "organization"
    assert by["cty tnhh minh quang phát"] is by["công ty cp minh quang phát"]
    assert by["ubnd huyện phú tân"].kind == "organization"
    assert by["trần văn bình"].roles == ["Phó giám đốc Ban quản lý dự án H.Phú Tân"]
    assert not {"a", "t1", "h8", "vi", "h.phú tân"} & set(by)  # labels and codes are not entities


def test_role_abbreviations_and_appositions() -> None:
    c = _cluster(
        "TTK-NATO Jen Stoltenberg loan báo kế hoạch. TTK Stoltenberg nói thêm. Ông Jens Stoltenberg đồng ý.",
        "Ông Lê Văn Tám- Phó Giám đốc Sở Tài chính tỉnh Hà Tĩnh- vừa ký văn bản. Trưởng nhóm nghiên cứu "
        "châu Âu tại Viện Chiến lược Nga, ông Ivan Petrov cũng nhận xét. Tin từ báo New York Times (Mỹ).",
    )
    by = _by_variant(extract_entities(c))
    assert by["jen stoltenberg"] is by["jens stoltenberg"] is by["stoltenberg"]
    assert "ttk-nato" not in by and "ttk stoltenberg" not in by
    assert any(r.startswith("Phó Giám đốc Sở Tài chính") for r in by["lê văn tám"].roles)
    assert by["ivan petrov"].roles == ["Trưởng nhóm nghiên cứu châu Âu tại Viện Chiến lược Nga"]
    assert by["new york times"].kind == "organization" and "times" not in by


def test_organisation_variants_merge_by_core_acronym_and_place() -> None:
    c = _cluster(
        "Sở Giao thông Vận tải (GTVT) tỉnh Cà Mau đề xuất. Sở GTVT Cà Mau ký báo cáo gửi UBND tỉnh Cà Mau.",
        "Sở GT-VT yêu cầu kiểm tra. Sở GTVT tỉnh Cà Mau và UBND tỉnh chưa trả lời. GTVT là ngành chịu trách nhiệm.",
    )
    by = _by_variant(extract_entities(c))
    so = by["sở gtvt cà mau"]
    assert so.kind == "organization"
    assert {"sở gtvt tỉnh cà mau", "sở gt-vt", "gtvt", "sở giao thông vận tải"} <= {v.casefold() for v in so.variants}
    assert by["ubnd tỉnh"] is by["ubnd tỉnh cà mau"] and by["ubnd tỉnh"] is not so
    # two ministries with the same department: the bare form is ambiguous and stays apart
    c2 = _cluster("Bộ Ngoại giao Nga phản đối. Bộ Ngoại giao Mỹ im lặng. Bộ Ngoại giao ra thông báo.")
    by2 = _by_variant(extract_entities(c2))
    assert by2["bộ ngoại giao nga"] is not by2["bộ ngoại giao mỹ"]


# --- issue 10 §4 mechanisms, on sentences written for the test (not from the gold clusters) ------


def test_role_anaphora_resolved_to_the_country_named_before_or_dropped() -> None:
    c = _cluster(
        "Pháp muốn EU đoàn kết hơn. Trong cuộc họp, Ngoại trưởng nước này Catherine Colonna đề nghị đối thoại.",
        "Về phía mình, Bộ trưởng Quốc phòng nước này Hans Muller chưa bình luận.",
        "Ngân hàng Thế giới (WB) vừa họp. Chủ tịch tổ chức này David Malpass nói thêm.",
    )
    by = _by_variant(extract_entities(c))
    assert by["catherine colonna"].roles == ["Ngoại trưởng Pháp"]
    assert by["hans muller"].roles == ["Bộ trưởng Quốc phòng"]  # no country named: the anaphor goes
    assert by["david malpass"].roles == ["Chủ tịch Ngân hàng Thế giới"]


def test_counterpart_takes_the_title_and_its_own_country() -> None:
    c = _cluster("Bộ trưởng Quốc phòng Nhật Bản Yasukazu Hamada và người đồng cấp Úc Richard Marles ký kết.")
    assert _by_variant(extract_entities(c))["richard marles"].roles == ["Bộ trưởng Quốc phòng Úc"]


def test_places_in_a_list_after_a_plural_prefix_and_streets_named_after_people() -> None:
    c = _cluster(
        "Mưa lớn gây ngập tại các huyện Mỹ Đức, Chương Mỹ, Quốc Oai và Trần Văn Thời. Nước dâng trên "
        "đường Lê Văn Lương và phố Trần Hưng Đạo. Ông Lê Văn Lương (65 tuổi) cho biết nước lên nhanh."
    )
    by = _by_variant(extract_entities(c))
    for place in ("mỹ đức", "chương mỹ", "quốc oai", "trần văn thời", "trần hưng đạo"):
        assert by[place].kind == "location", place


def test_tone_placement_variants_are_one_name_but_tones_are_not() -> None:
    c = _cluster("Xã Hoà Bình và xã Hòa Bình là một. Ông Nguyễn Văn Thuỷ gặp ông Nguyễn Văn Thủy.",
                 "Bà Lê Thị Hoa khác bà Lê Thị Hòa.")
    by = _by_variant(extract_entities(c))
    assert by["hoà bình"] is by["hòa bình"]
    assert by["nguyễn văn thuỷ"] is by["nguyễn văn thủy"]
    assert by["lê thị hoa"] is not by["lê thị hòa"]


def test_company_suffix_institution_cue_and_a_speaker_named_once() -> None:
    c = _cluster(
        "Theo Acme Group, doanh thu giảm. Đại diện bệnh viện Vinmec Times City cho biết ca mổ thành công. "
        "Chủ tịch Ủy ban châu Âu (EC) Ursula von der Leyen tuyên bố: “Chúng tôi sẽ không lùi bước trước áp lực”."
    )
    by = _by_variant(extract_entities(c))
    assert by["acme group"].kind == "organization"
    assert by["vinmec times city"].kind == "organization"
    ursula = by["ursula von der leyen"]
    assert ursula.kind == "person" and ursula.roles == ["Chủ tịch Ủy ban châu Âu (EC)"]


def test_organisation_full_name_is_the_name_and_no_fragment() -> None:
    c = _cluster(
        "Tổ chức Y tế Thế giới (WHO) cảnh báo. WHO nói thêm. WHO họp với Hội đồng Mỹ - ASEAN.",
        "Hội đồng ASEAN-Mỹ ra tuyên bố; Văn phòng Ban Chỉ đạo Quốc gia cũng vậy.",
    )
    ents = extract_entities(c)
    by = _by_variant(ents)
    assert by["who"].name == "Tổ chức Y tế Thế giới" and "WHO" in by["who"].variants
    assert by["hội đồng mỹ - asean"] is by["hội đồng asean-mỹ"]
    assert "văn phòng ban chỉ đạo quốc gia" in by and "ban chỉ đạo quốc gia" not in by
    assert "hội đồng mỹ" not in by


def test_role_ending_with_an_administrative_level_gets_the_place_named() -> None:
    c = _cluster("Lũ quét qua xã Nậm Cuổi, huyện Sìn Hồ, tỉnh Lai Châu. Chủ tịch UBND tỉnh Lê Văn Lương và "
                 "Bí thư huyện Nguyễn Văn Hải đến hiện trường.",
                 "Hai tỉnh Lào Cai và Yên Bái cũng có mưa. Phó chủ tịch UBND tỉnh Trần Văn Tâm nói.")
    by = _by_variant(extract_entities(c))
    assert by["lê văn lương"].roles == ["Chủ tịch UBND tỉnh Lai Châu"]
    assert by["nguyễn văn hải"].roles == ["Bí thư huyện Sìn Hồ"]
    assert by["trần văn tâm"].roles == ["Phó chủ tịch UBND tỉnh"]  # two provinces named: left as written


def test_one_role_written_two_ways_is_kept_once_and_the_side_gives_the_country() -> None:
    """"Thứ trưởng Bộ Ngoại giao Nga" is "Thứ trưởng Ngoại giao Nga"; "Tổng Thư ký Tổ chức Hiệp ước Bắc
    Đại Tây Dương (NATO)" is "Tổng thư ký NATO"; "Phó Chủ tịch" is not "Chủ tịch". A role without a
    country takes the side the sentence names ("Dẫn đầu phái đoàn Nga là …"), never another's."""
    by = _by_variant(extract_entities(_cluster(
        "Thứ trưởng Ngoại giao Nga Sergei Ryabkov đến Geneva. Thứ trưởng Ngoại giao Nga Sergei Ryabkov nói.",
        "Thứ trưởng Bộ Ngoại giao Nga Sergei Ryabkov cho biết như vậy. Tổng thư ký NATO Jens Stoltenberg "
        "cũng nói. Tổng Thư ký Tổ chức Hiệp ước Bắc Đại Tây Dương (NATO) Jens Stoltenberg đồng ý.",
        "Dẫn đầu phái đoàn Nga là Thứ trưởng Quốc phòng Alexandr Fomin. Phía Mỹ đã gặp Ngoại trưởng Sergei "
        "Lavrov hôm qua. Chủ tịch Nguyễn Văn An và Phó Chủ tịch Nguyễn Văn An cùng dự.",
    )))
    assert by["sergei ryabkov"].roles == ["Thứ trưởng Ngoại giao Nga"]
    assert by["jens stoltenberg"].roles == ["Tổng thư ký NATO"]
    assert by["alexandr fomin"].roles == ["Thứ trưởng Quốc phòng Nga"]
    assert by["sergei lavrov"].roles == ["Ngoại trưởng"]  # ("Phía Mỹ đã gặp …": not his side)
    assert set(by["nguyễn văn an"].roles) == {"Chủ tịch", "Phó Chủ tịch"}


def test_an_acronym_and_the_name_it_spells_are_one_organisation() -> None:
    """"Bộ TN&MT" spells "Bộ Tài nguyên và Môi trường"; "Ban Chỉ huy PCTT-TKCN tỉnh Yên Bái" and "Ban
    Chỉ huy Tìm kiếm cứu nạn và giảm nhẹ thiên tai tỉnh Yên Bái" are one body of one province; an
    acronym spelling another name ("Bộ GTVT") is not merged with it."""
    by = _by_variant(extract_entities(_cluster(
        "Bộ Tài nguyên và Môi trường đã có văn bản gửi tỉnh. Bộ GTVT cũng vào cuộc.",
        "Bộ TN&MT yêu cầu kiểm tra ngay. Ban Chỉ huy PCTT-TKCN tỉnh Yên Bái họp khẩn về công tác tìm kiếm "
        "cứu nạn.",
        "Theo thống kê của Ban Chỉ huy Tìm kiếm cứu nạn và giảm nhẹ thiên tai tỉnh Yên Bái, 9 người bị thương.",
    )))
    assert by["bộ tn&mt"] is by["bộ tài nguyên và môi trường"]
    assert by["bộ gtvt"] is not by["bộ tài nguyên và môi trường"]
    assert by["ban chỉ huy pctt-tkcn tỉnh yên bái"] is by[
        "ban chỉ huy tìm kiếm cứu nạn và giảm nhẹ thiên tai tỉnh yên bái"]


def _pairs_of(texts: list[str], budget_readings: int | None = None, words: bool = False) -> object:
    """The texts' pairs; ``words``: told the words starting lower case, as _Vocabulary tells them."""
    from diemtin.extract import entities as ents

    seen = {w for t in texts for w in ents._NAME_SPLIT.split(t)[1::2] if w[0].islower()} if words else None
    pairs = ents._Pairs(seen)
    for t in texts:
        pairs.add(t, ents._NAME_SPLIT.split(t))
    if budget_readings is not None:
        pairs.budget = budget_readings * sum(map(len, texts))
    return pairs


def _asked_pairs(texts: list[str]) -> list[str]:
    """Every lower-case pair of neighbouring syllables of the texts (one space apart or not), a
    few made-up ones, and pairs that occur only inside longer tokens."""
    words = [w for t in texts for w in re.findall(r"\w+", t)]
    asked = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return asked + ["xyz abc", "ngoại giao", "cola ngon", "com vn", "hà nội", "nội dung"]


@pytest.mark.parametrize("texts", [
    ["Uống Coca-cola ngon. Trang web.com vn ở Hà nội dung dị, ngoại giao."],
    ["Ông A nói ngoại giao-kinh tế là trọng tâm. Vấn đề ngoại giao rất khó."],
    ["Bộ Ngoại giao Nga cho biết O’neil dạy ở Hà Nội; nội dung ‘cơ bản’ & đơn giản."],
])
def test_word_pairs_searched_or_collected_agree(texts: list[str]) -> None:
    # The pairs are answered by searching the texts until a budget is spent, then from a set
    # collected once: both ways must give the same answer for every pair, at token edges too.
    searched, collected = _pairs_of(texts, budget_readings=10**9), _pairs_of(texts, budget_readings=0)
    asked = _asked_pairs(texts)
    assert [p in searched for p in asked] == [p in collected for p in asked]
    told = _pairs_of(texts, budget_readings=10**9, words=True)  # (no search for a pair of an unseen word)
    assert [p in told for p in asked] == [p in collected for p in asked]
    assert searched.seen is None and collected.seen is not None  # each took its own way
    assert "cola ngon" not in searched and "com vn" not in searched  # (inside "Coca-cola", "web.com")
    assert ("dung dị" in searched) == ("dung dị" in texts[0])  # (one space apart in the first text only)


@needs_data
def test_word_pairs_agree_and_stay_linear_on_real_text() -> None:
    texts = [a.raw_text for c in read_inputs(str(DATA / "abmusu" / "train.jsonl"))[:20] for a in c.articles]
    asked = _asked_pairs(texts)[:3000]
    searched, collected = _pairs_of(texts, budget_readings=10**9), _pairs_of(texts, budget_readings=0)
    assert [p in searched for p in asked] == [p in collected for p in asked]
    # With the real budget, thousands of questions read the texts a bounded number of times:
    # the work stays linear in the texts, not texts x questions.
    from diemtin.extract import entities as ents

    pairs = _pairs_of(texts)
    total = sum(map(len, texts))
    answers = [p in pairs for p in asked]
    assert answers == [p in searched for p in asked]
    assert pairs.seen is not None
    assert ents._PAIR_SEARCHES * total - pairs.budget <= (ents._PAIR_SEARCHES + 1) * total


def test_token_match_shortcuts_give_difflib_answer() -> None:
    """_tok_eq's length bound, quick ratios and exact-only tokens answer as the plain rule does
    (case-folded equality, else difflib ratio >= 0.8 of the transliteration keys for foreign
    tokens of 4+ letters with the same numbers, initials folded across romanisations), on real names."""
    from difflib import SequenceMatcher

    from diemtin.extract.entities import _initial_fold, _syllable_count, _tok_eq, _translit_key

    def plain(a: str, b: str) -> bool:
        if a.casefold() == b.casefold():
            return True
        if any(ord(ch) > 127 for ch in a + b) or min(len(a), len(b)) < 4:
            return False
        if any(ch.isdigit() for ch in a + b) and re.findall(r"\d+", a) != re.findall(r"\d+", b):
            return False
        if a[0].casefold() != b[0].casefold():
            return _syllable_count(a) >= 2 and _initial_fold(a) == _initial_fold(b)
        ka, kb = _translit_key(a), _translit_key(b)
        return ka == kb or SequenceMatcher(None, ka, kb).ratio() >= 0.8

    names = ["Ryabkov", "Riabkov", "Sergei", "Sergey", "Jen", "Jens", "Psaki", "Blinken", "Blinkin",
             "Putin", "Vladiamir", "Vladimir", "Stoltenberg", "Kangnam", "Gangnam", "Nam", "Anh", "Thắng",
             "Thăng", "Lavrov", "Lavrova", "Biden", "Bidenn", "Sherman", "Shermann", "Antony", "Anthony",
             "Zakharova", "Zaharova", "Grushko", "Gruschko", "NATO", "Nato", "Kuleba", "Kulebo",
             "Boeing737", "Boeing747", "Boeng737", "VN30-Index", "VN-Index", "P15998", "P15999", "Cienco6"]
    disagree = [(a, b) for a in names for b in names if _tok_eq(a, b) != plain(a, b)]
    assert not disagree
    assert _tok_eq("Ryabkov", "Riabkov") and not _tok_eq("Thắng", "Thăng")
    # codes and models differing in a number are different things; a misspelled one is not
    assert not _tok_eq("Boeing737", "Boeing747") and not _tok_eq("VN30-Index", "VN-Index")
    assert _tok_eq("Boeing737", "Boeng737")


def test_token_index_offers_every_match() -> None:
    """_TokenIndex.candidates holds every indexed token _tok_eq can match (either way round):
    real names plus seeded random spellings one to four edits apart, short and long keys (the
    deletion-neighbourhood bound and the unindexed long keys), so the merges that use it compare
    every pair the plain all-pairs test would accept."""
    import random

    from diemtin.extract.entities import _tok_eq, _TokenIndex

    rng = random.Random(11)
    tokens = {"Ryabkov", "Riabkov", "Sergei", "Sergey", "Jens", "Kangnam", "Gangnam", "Nam", "Thắng",
              "Brent", "Bennett", "Stoltenberg", "Stoltenburg", "Zakharova", "Zaharova", "NATO", "Nato"}
    for _ in range(60):
        word = "".join(rng.choice("abdegiklmnoprstuvyz") for _ in range(rng.randint(3, 15))).capitalize()
        tokens.add(word)
        for _ in range(4):
            w = list(word)
            for _ in range(rng.randint(1, 4)):
                op, at = rng.choice("ids"), rng.randrange(1, len(w) + 1)
                if op == "i":
                    w.insert(at, rng.choice("aehkosvy"))
                elif at < len(w):
                    w[at : at + 1] = [] if op == "d" else [rng.choice("aehkosvy")]
            tokens.add("".join(w))
    for _ in range(40):  # codes: numbers inside, near misses in letters and in digits
        stem = "".join(rng.choice("abcdekmnprstv") for _ in range(rng.randint(2, 8))).capitalize()
        number = str(rng.randint(0, 999))
        tokens.update({stem + number, stem + str(rng.randint(0, 999)), stem[:-1] + "a" + number})
    index = _TokenIndex(tokens)
    missed = [(a, b) for a in tokens for b in tokens
              if (_tok_eq(a, b) or _tok_eq(b, a)) and b not in index.candidates(a)]
    matches = sum(1 for a in tokens for b in tokens if a != b and _tok_eq(a, b))
    assert not missed
    assert matches > len(tokens) // 2  # (the sample does hold fuzzy matches)


def test_neighbourhood_is_every_deletion() -> None:
    """_neighbourhood holds exactly the strings left by deleting up to its bound of characters
    (built one deletion at a time): the same set as choosing the deleted positions outright."""
    from itertools import combinations

    from diemtin.extract.entities import _neighbourhood

    for key in ("", "a", "ab", "sergei", "ryabkov", "stoltenberg", "aabbaab"):
        near = _neighbourhood.__wrapped__(key)
        assert near is not None
        k = len(key) - min(len(w) for w in near)
        chosen = {"".join(c for i, c in enumerate(key) if i not in drop)
                  for d in range(k + 1) for drop in map(set, combinations(range(len(key)), d))}
        assert near == chosen
    assert _neighbourhood.__wrapped__("a" * 14) is None  # (too many deletions: not indexed)


def test_phrase_index_longest_match() -> None:
    """_match_at's shortcut (no entry of two words or more goes on with the next token) gives the
    longest entry a walk over all the entries gives."""
    from diemtin.extract.entities import _match_at, _PhraseIndex, _Toks

    index = _PhraseIndex(("bộ trưởng", "bộ", "thứ trưởng bộ", "người phát ngôn", "công tố viên"))
    for words, want in ((["bộ", "trưởng", "x"], 2), (["bộ", "y"], 1), (["bộ"], 1), (["thứ", "trưởng", "bộ"], 3),
                        (["thứ", "trưởng"], 0), (["người", "phát", "biểu"], 0), (["công", "tố", "viên"], 3),
                        (["x", "bộ"], 0)):
        n = len(words)
        toks = _Toks(words, [0] * n, [0] * n, words, [False] * n, [False] * n, [False] * n, [" "] * n)
        assert _match_at(toks, 0, index) == want, words


def test_token_columns_gap_and_sentence_openers() -> None:
    """The gap column is the text between adjacent tokens, and a token opens a sentence exactly when
    an opener (_OPENER: a line break, an opening quote or bracket, a colon, a dash, a "." "!" "?"
    before a blank) lies before it since the last word, as a search over the whole text finds; glued
    administrative abbreviations ("TP.HCM", "H.Ngọc Hiển") are split in every column alike."""
    from bisect import bisect_right

    from diemtin.extract.entities import _OPENER, _tokens, _Vocabulary

    texts = ["Ông Lavrov nói: “Nga sẵn sàng.” Sau đó, Bộ Ngoại giao Mỹ (NATO) – phản hồi!\nTP.HCM, H.Ngọc Hiển",
             "(Reuters) Hãng tin RIA. Ngày 10/1… Tại Geneva? Có.\x1cKhông", "  Hai  khoảng trắng —Mỹ và Nga ",
             "Đà Nẵng.Huế", "a"]
    for text in texts:
        toks = _tokens(text, set(), _Vocabulary())
        n = len(toks)
        assert [toks.gap[0]] + [text[toks.end[i - 1] : toks.start[i]] for i in range(1, n)] == toks.gap
        assert [text[toks.start[i] : toks.end[i]] for i in range(n)] == toks.text
        want = [False] * n
        want[0] = text[: toks.start[0]] != " "
        for m in _OPENER.finditer(text):
            i = bisect_right(toks.start, m.start())
            if i < n:
                want[i] = True
        assert toks.sent_start == want, text
