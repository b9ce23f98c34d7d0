"""Lost context: does a sentence open on something only the sentence before it explains?

A summary sentence read away from its article must stand on its own. It does not when it
opens on a pronoun subject ("Ông cho biết …"), a connective ("Tuy nhiên", "Cụ thể",
"Trong khi đó"), an attribution to a pronoun ("Theo ông …"), a demonstrative subject
("Đây là …", "Các lệnh trừng phạt này …"), an anaphor anywhere ("nước này", "tổ chức nói
trên") whose noun the sentence itself does not name, a demonstrative opening a reported
clause ("X nhấn mạnh: Đây là …"), or a bare quote (no speaker, or a
pronoun speaker); past the opening, a pronoun in a sentence naming no one ("thi thể của
ông"), a pro-form ("tin rằng đây là"), a moment or a day told before ("Lúc này", "22 giờ cùng
ngày"), a person known by initials ("D. đi …"), a rule with no issuer ("… phải được lưu
trữ"); and fragments (a list item, a label and its value, a list scraped glued). The words are
language data (``diemtin.lang.context_words``); the rules are here. The selector takes such a
sentence only right after the one it continues, or with the reference made explicit
(``explicit.py``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress, islice
from typing import NamedTuple

import regex

from diemtin.lang import lexicon
from diemtin.lang.context_words import context_words
from diemtin.lang.stopwords import STOPWORDS
from diemtin.lang.tokens import cased_syllables, iter_cased_syllables, syllables

# A demonstrative ("này", "nói trên") this early is part of the subject: "Kết quả này cho thấy".
SUBJECT_SPAN = 6
_OPEN_QUOTES = "“\"‘«'"
_CLOSE_QUOTES = "”\"’»'"
_MAX_PHRASE = 4  # longest lexicon phrase, in syllables
# Pointing words that make an early noun phrase lean back ("Kết quả này", "Trên tinh thần đó")
_EARLY_POINTERS = frozenset({"này", "nói", "kể", "vừa", "đó", "ấy"})
_SINCE = frozenset({"sau", "từ", "trước"})  # "Sau thời điểm này": after a moment told before
_THAT = frozenset({"đó", "ấy"})  # after a time noun: that time, told before ("này": this one, now)
# An opening frame clause ("Kết thúc cuộc đàm phán,") this short, with no name, place, date or
# number, points back to an event the article told before; a longer one says which it is.
FRAME_MAX_SYLLABLES = 8
# ... and in a longer opening clause ("Phát biểu tại cuộc họp báo … sau cuộc hội đàm, …"), an event
# word with at most this many plain words after it before the comma is an event left unnamed.
EVENT_TAIL_MAX = 2
OPENING_CLAUSE_MAX = 20  # syllables before the first comma read as an opening clause



@dataclass(frozen=True)
class LostContext:
    kind: str  # "pronoun" | "connective" | "attribution" | "demonstrative" | "anaphor" | "side" | "bare_quote"
    #          | "event" (a frame on an unnamed event) | "conditional" (advice with no speaker)
    #          | "participant" ("nạn nhân", "sự việc") | "fragment" | "place" (a bare "tỉnh": which?)
    #          | "definite" ("Chiếc xe …": which one?) | "directive" ("Tuyệt đối chấp hành …": whose?)
    #          | "office" ("Phó Thủ tướng yêu cầu …": who?)
    words: str  # the words that need the earlier sentence


def _prefix(lower: Sequence[str], phrases: frozenset[tuple[str, ...]], at: int = 0) -> int:
    """Length of the longest phrase of ``phrases`` at ``lower[at:]`` (0: none)."""
    lengths = _lengths(phrases).get(lower[at]) if at < len(lower) else None
    if lengths is None:
        return 0  # most calls: no phrase starts with this word
    room = len(lower) - at
    for n in lengths:  # only the lengths its phrases have, longest first
        if n <= room and tuple(lower[at : at + n]) in phrases:
            return n
    return 0


@cache
def _lengths(phrases: frozenset[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    """Per first word of ``phrases``: the lengths of the phrases it opens (up to _MAX_PHRASE), longest first."""
    out: dict[str, set[int]] = {}
    for p in phrases:
        if p and len(p) <= _MAX_PHRASE:
            out.setdefault(p[0], set()).add(len(p))
    return {w: tuple(sorted(ns, reverse=True)) for w, ns in out.items()}


@cache
def _starts(kind: str) -> frozenset[str]:
    """First words of the ``kind`` phrases: most positions are ruled out by one set lookup."""
    return frozenset(p[0] for p in context_words()[kind])


@cache
def _ends(kind: str) -> frozenset[str]:
    """Last words of the ``kind`` phrases (a role noun's head: "tượng", "nhân"), rarer than
    their first ("các", "người")."""
    return frozenset(p[-1] for p in context_words()[kind])


_OPENER_KINDS = ("attribution", "pronoun", "connective", "demonstrative", "directive")  # in the order tested


@cache
def _opener_starts() -> frozenset[str]:
    """First words of what :func:`_opener` looks for."""
    return frozenset().union(*map(_starts, _OPENER_KINDS))


class _RuleStarts(NamedTuple):
    opener: frozenset[str]
    frame: frozenset[str]
    event: frozenset[str]
    conditional: frozenset[str]
    deictic: frozenset[str]
    saying: frozenset[str]
    demonstrative: frozenset[str]
    side: frozenset[str]
    loose: frozenset[str]
    participant: frozenset[str]
    place: frozenset[str]
    remainder: frozenset[str]
    definite: frozenset[str]  # a classifier, a definite noun's, an office's, an instruction's first word
    participant_head: frozenset[str]  # a role noun's word before its last ("bệnh" of "bệnh nhân"), or its only one
    short_opening: frozenset[str]  # the first word of an opening that leans back before a comma ("Để", "Nếu")
    provision: frozenset[str]  # "khoản", "điều": a provision's number word
    # every word the rules look for anywhere in a sentence (the sets above but the first-word
    # ones): the few a sentence holds, found in one scan, answer each rule's test
    anywhere: frozenset[str]


@cache
def _rule_starts() -> _RuleStarts:
    """The first words :func:`lost_context` tests before each rule, in one lookup."""
    frame, event, conditional, deictic, saying, demonstrative, side, loose = map(_starts, (
        "frame", "event", "conditional", "deictic", "saying", "demonstrative", "side", "loose_deictic"))
    participant, place = _ends("participant") | _ends("epithet"), _starts("place") | _starts("department")
    participant_head = frozenset(p[-2] if len(p) > 1 else p[0] for p in _participant_phrases())
    definite = (_starts("classifier") | _starts("definite") | _starts("restrictive") | _starts("directive_adverb")
                | _starts("office") | _starts("honorific"))
    remainder = _starts("remainder")
    anywhere = frozenset().union(frame, event, deictic, loose, participant, participant_head, saying, demonstrative,
                                 place, remainder, _starts("additive"), _PRO_FORMS, _starts("inner_pronoun"),
                                 _starts("obligation"), _SAME)
    return _RuleStarts(_opener_starts(), frame, event, conditional, deictic, saying, demonstrative, side, loose,
                       participant, place, remainder, definite, participant_head,
                       _PURPOSE | _starts("opening_only"), _starts("provision"), anywhere)


def _deictic_starts() -> frozenset[str]:
    return _starts("deictic")


def _positions(lower: Sequence[str], words: frozenset[str]) -> Iterator[int]:
    """Indices after the first of the words of ``lower`` that are in ``words``, in order (one
    C-level scan: most words are none)."""
    return compress(range(1, len(lower)), map(words.__contains__, lower[1:]))


def _is_name(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


_NAMED_AFTER = frozenset({"attribution", "pronoun"})  # ... cleared when a name follows


@cache
def _opener_kinds() -> dict[str, tuple[str, ...]]:
    """Per first word: the kinds of :func:`_opener` (in its order) with a phrase opening on it."""
    return {w: tuple(k for k in _OPENER_KINDS if w in _starts(k)) for w in _opener_starts()}


def _opener(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """Context needed by how the sentence opens (its first words): only the kinds with a
    phrase opening on its first word are tested."""
    lex = context_words()
    for kind in _opener_kinds().get(lower[0], ()):
        n = _prefix(lower, lex[kind])
        # "Ông Ryabkov cho biết", "Theo ông Lavrov": a name follows, the reader knows who.
        if n and not (kind in _NAMED_AFTER and n < len(cased) and _is_name(cased[n])):
            if kind == "pronoun" and tuple(lower[:2]) in lex["not_pronoun"]:
                continue  # "Bà con trong xã …": people, not her
            return LostContext(kind, " ".join(cased[:n]))
    return None


_DIRECTIONS = lexicon.word_set("directions")  # "Phía Bắc …" is a place, not a side


def _side(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """One side of an event told before: "Phía Mỹ do Thứ trưởng Wendy Sherman đứng đầu" (of which
    talks?); "Về phía Mỹ, …" (a connective) and "Phía Bắc …" (a place) are not this."""
    n = _prefix(lower, context_words()["side"])
    if n and n < len(cased) and cased[n][:1].isupper() and lower[n] not in _DIRECTIONS:
        return LostContext("side", " ".join(cased[: n + 1]))
    return None


def _opening_clause(text: str, cased: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The cased and lowercased syllables before the sentence's first comma (none: no comma);
    read once per sentence (kept on its :class:`_Cased`: two rules read it)."""
    if isinstance(cased, _Cased):
        if cased.clause is None:
            cased.clause = _read_opening_clause(text)
        return cased.clause
    return _read_opening_clause(text)


def _read_opening_clause(text: str) -> tuple[list[str], list[str]]:
    comma = text.find(",")
    head = cased_syllables(text[:comma]) if comma >= 0 else []
    return head, [t.lower() for t in head]


def _event_frame(text: str, lower: Sequence[str], cased: Sequence[str] = ()) -> LostContext | None:
    """A short opening frame on an event it does not name: "Kết thúc cuộc đàm phán, …",
    "Tại hội nghị, …" (but "Sau cuộc gặp ở Geneva hôm 10/1, …" says which)."""
    if not lower or lower[0] not in _starts("frame"):
        return None
    head, lower = _opening_clause(text, cased)
    if not head or len(head) > FRAME_MAX_SYLLABLES or any(_is_name(t) for t in head[1:]):
        return None
    lex = context_words()
    n = _prefix(lower, lex["frame"])
    if not n or not _prefix(lower, lex["event"], n) or _prefix(lower, lex["not_event"], n):
        return None
    return LostContext("event", " ".join(head))


def _unnamed_event(text: str, cased: Sequence[str] = ()) -> LostContext | None:
    """An opening clause that ends on an event it does not name: "Trả lời báo chí sau cuộc họp, …",
    "… bên lề hội nghị, …" (but "sau cuộc họp hôm 12/1", "sau cuộc gặp với Thủ tướng" say which)."""
    head, low = _opening_clause(text, cased)
    if len(head) > OPENING_CLAUSE_MAX:
        return None
    lex = context_words()
    frames = _starts("frame")
    for i, word in enumerate(low):
        if word not in frames:
            continue
        n = _prefix(low, lex["frame"], i)
        e = _prefix(low, lex["event"], i + n) if n else 0
        if not e or _prefix(low, lex["not_event"], i + n):
            continue
        tail = head[i + n + e :]
        plain = not any(_is_name(t) for t in tail) and not any(
            _prefix(low, lex["time"], j) for j in range(i + n + e, len(low)))
        if len(tail) <= EVENT_TAIL_MAX and plain:
            return LostContext("event", " ".join(head[i:]))
    return None


PARTICIPANT_NAMED_WITHIN = 3  # syllables after a role noun where a name or an age says who ("nạn nhân là anh H.")


@cache
def _participant_phrases() -> frozenset[tuple[str, ...]]:
    return context_words()["participant"] | context_words()["epithet"]


def _participant(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A role noun standing for someone or something the article introduced before: "Việt bị
    nạn nhân quét rác", "Các đối tượng đã lập ra …", "Sau khi vụ việc xảy ra, …" (but "một
    bệnh nhân", "nạn nhân là anh Nguyễn Văn H.", "bệnh nhân 45 tuổi" say who). An epithet
    ("nữ ca sĩ") is the person the sentence names before it, or names a few words on."""
    lex = context_words()
    phrases = _participant_phrases()
    ends = _ends("participant") | _ends("epithet")
    for j in compress(range(len(lower)), map(ends.__contains__, lower)):
        # the longest phrase ending on its head word ("đối tượng" of "các đối tượng")
        n = next((n for n in range(min(_MAX_PHRASE, j + 1), 0, -1) if tuple(lower[j - n + 1 : j + 1]) in phrases), 0)
        if not n:
            continue
        i = j - n + 1
        if i and ((lower[i - 1],) in lex["introducing"] or lower[i - 1][:1].isdigit() and n == 1):
            continue  # "một bệnh nhân", "nhiều nạn nhân", "3 nạn nhân": introduced here
        if any(_prefix(lower, lex["generic"], k) for k in range(i, i + n)) or (
            lower[i] in lower[:i] and lower[i : i + n] in (lower[k : k + n] for k in range(i))
        ):
            continue  # a category ("đối tượng chính sách"), or told again in the sentence
        # (the words after it read only when there are some: cased words cost a tokenization)
        after = cased[i + n : i + n + PARTICIPANT_NAMED_WITHIN]
        # (a number says who only as an age right after it: "bệnh nhân 62 tuổi", not "… vong ngày 20/7")
        if i + n == len(lower) or any(t[:1].isupper() for t in after) or after[0][:1].isdigit():
            continue  # named or aged right after: the sentence says who
        epithet = tuple(lower[i : i + n]) in lex["epithet"]
        if epithet and (any(t[:1].isupper() for t in cased[1:i]) or _named_as(cased, lower, i + n)):
            continue  # "Justin Bieber cho biết … khiến nam ca sĩ": the one just named
        return LostContext("participant", " ".join(cased[i : i + n]))
    return None


def _named_as(cased: Sequence[str], lower: Sequence[str], at: int) -> bool:
    """Does "là" and a name follow ``at`` ("Người tài xế điều khiển chiếc xe … là Nguyễn Quang Huy")?"""
    return any(w == "là" and any(_is_name(t) for t in cased[k + 1 : k + 3]) for k, w in enumerate(lower[at:], at))


def _event_subject(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """An event with no name as the sentence's subject: "Buổi tiệc được tổ chức …", "Triển lãm
    diễn ra từ …" (which one?); "Hội nghị G20 diễn ra …" says which."""
    lex = context_words()
    n = _prefix(lower, lex["event"])
    if not n or _prefix(lower, lex["not_event"]):
        return None
    for k in range(n, min(n + EVENT_TAIL_MAX, len(lower) - 1) + 1):
        if _is_name(cased[k]) or lower[k][:1].isdigit():
            return None
        if _prefix(lower, lex["event_verb"], k):
            return LostContext("event", " ".join(cased[:k]))
    return None


_OF = frozenset({"của", "trong"})


def _remainder(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """One of a set told before, in the subject: "Vụ án thứ tư là …", "Hai người còn lại",
    "Chiếc xe kia" (but "ngày thứ hai", "hôm kia" are days; "Thứ Hai" a weekday)."""
    lex = context_words()
    times = lex["time"]
    for k in range(1, min(SUBJECT_SPAN, len(lower))):
        n = _prefix(lower, lex["remainder"], k)
        # (after a time noun an ordinal or "kia" is a day: "ngày thứ hai"; "mùa còn lại" is no day)
        day = (lower[k - 1],) in times and lower[k] != "còn"
        which = k + n < len(lower) and lower[k + n] in _OF  # "6 tháng còn lại của năm 2022" says which
        if n and not day and not which and not _is_name(cased[k + n - 1]):
            return LostContext("definite", " ".join(cased[: k + n]))
    return None


@cache
def _portfolio() -> frozenset[tuple[str, ...]]:
    """An office's portfolio ("Bộ trưởng ngoại giao", "Giám đốc điều hành"): what follows is the office's."""
    return frozenset(tuple(syllables(t)) for t in lexicon.words("title_words"))


@cache
def _pointing_words() -> frozenset[str]:
    return _deictic_starts() | _starts("loose_deictic")


IDENTIFIED_WITHIN = 4  # syllables after a definite noun where "của"/"tại" … says which one
NAMED_WITHIN = 2  # ... and where a name does ("Chiếc xe tải Hyundai"; "Nghị quyết gồm 3 Điều" does not)


def _instruction(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """An adverb opening an instruction, no comma after it: "Khẩn trương đưa ra xét xử …" (whose
    instruction?); "Khẩn trương vào cuộc, công an …" is a frame before its subject."""
    n = _prefix(lower, context_words()["directive_adverb"])
    return LostContext("directive", " ".join(cased[:n])) if n and "," not in text else None


def _office(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """An office held by one person, opening the sentence with no name after it: "Phó Thủ tướng
    yêu cầu …" (who?); "Phó Thủ tướng Trần Hồng Hà", "Bộ trưởng Bộ Y tế", "Giám đốc điều hành
    Tim Cook" say who, or of what."""
    lex = context_words()
    at = _prefix(lower, lex["honorific"])  # "Đồng chí Phó Chủ tịch …"
    n = at + _prefix(lower, lex["office"], at) if at < len(lower) else 0
    if n > at and n < len(lower) and not _is_name(cased[n]) and not _prefix(lower, _portfolio(), n):
        return LostContext("office", " ".join(cased[:n]))
    return None


def _definite(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A sentence opening on one thing told before, with nothing saying which: a classifier on a
    plain noun ("Chiếc xe bị hư hỏng nặng", "Chỉ riêng căn nhà …") or a noun that stands for one
    document, work or project ("Nghị quyết gồm …", "Dự án có tổng vốn …"). A name or a number
    right after it ("Dự án Metro", "Nghị định 100"), a name or an identifying word a few words
    on ("Chiếc xe tải của …", "Bộ phim về …") say which; "con người", "căn cứ" are no such thing."""
    lex = context_words()
    at = _prefix(lower, lex["restrictive"])
    if at >= len(lower) - 1:
        return None
    if _prefix(lower, lex["not_definite"], at):
        return None
    n = _prefix(lower, lex["definite"], at)
    if not n and (lower[at],) in lex["classifier"] and not _is_name(cased[at + 1]) and lower[at + 1] not in STOPWORDS:
        n = 2  # the classifier and its noun
    if not n:
        return None
    end = at + n
    if end >= len(lower) or lower[end] in _pointing_words() or _is_name(cased[end]):
        return None  # named or numbered right after it, or pointed at (the anaphor rules')
    for k in range(end, min(end + IDENTIFIED_WITHIN, len(lower))):
        named = k < end + NAMED_WITHIN and _is_name(cased[k]) and not cased[k][:1].isdigit()
        if named or _prefix(lower, lex["identifying"], k):
            return None
    return LostContext("definite", " ".join(cased[: end]))


# Before a level word, these make it a category or a count, not one place ("các tỉnh", "cấp huyện")
# (and a number: "12 tỉnh")
_GENERIC_BEFORE = frozenset({"các", "những", "nhiều", "mỗi", "cấp", "ngoại", "liên", "cả", "một", "từng", "hai", "ba"})


def _names_a_place(cased: Sequence[str], lower: Sequence[str]) -> bool:
    """Does the sentence name a place: a level and its name ("tỉnh Điện Biên"), or one the
    gazetteer knows ("TP.HCM", "Hà Nội")?"""
    lex, places, starts = context_words(), _place_names(), _place_starts()
    levels = _starts("place")
    # only where a level or a gazetteer name may start (one C-level scan), cased words only there
    for k in compress(range(len(lower)), map(_place_openers().__contains__, lower)):
        word = lower[k]
        if word in levels:
            n = _prefix(lower, lex["place"], k)
            if n and k + n < len(lower) and _is_name(cased[k + n]):
                return True
        if word in starts and any(" ".join(lower[k : k + m]) in places for m in (1, 2, 3)) and cased[k][:1].isupper():
            return True
    return False


@cache
def _place_starts() -> frozenset[str]:
    """First words of :func:`_place_names`."""
    return frozenset(p.split()[0] for p in _place_names())


@cache
def _place_openers() -> frozenset[str]:
    """The words :func:`_names_a_place` reads on: a level's first word, a gazetteer name's."""
    return _starts("place") | _place_starts()


def names_a_place(text: str) -> bool:
    """Does ``text`` name a place (:func:`_names_a_place`)? A sentence flagged ``"place"`` reads
    well after one that does: "UBND tỉnh …" once the summary said "tỉnh Đồng Tháp"."""
    cased = cased_syllables(text)
    return _names_a_place(cased, [t.lower() for t in cased])


def _place(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """An administrative level standing for a place named before: "UBND tỉnh đã thành lập …",
    "… ưu thế tự nhiên của tỉnh" (which one?); "tỉnh Đồng Tháp", "các tỉnh", "xã hội" are not."""
    lex = context_words()
    department = _department(text, cased, lower) if "Sở" in text else None  # (most "sở" are "cơ sở")
    if department is not None:
        return department
    levels, ends = _starts("place"), _ends("place")
    for i in compress(range(len(lower)), map(levels.__contains__, lower)):
        n = _prefix(lower, lex["place"], i)
        if not n or _prefix(lower, lex["not_place"], i) or (i and (lower[i - 1] in _GENERIC_BEFORE
                                                                   or lower[i - 1][:1].isdigit())):
            continue
        if (i and lower[i - 1] in ends) or (i + n < len(lower) and lower[i + n] in levels):
            continue  # a list of levels: "các tỉnh, thành phố", "quận, huyện"
        if i + n < len(lower) and (lower[i + n] in _deictic_starts() or _is_name(cased[i + n])):
            continue  # pointed at (the anaphor rule's), or named ("tỉnh Đồng Tháp")
        if _names_a_place(cased, lower):
            return None  # the bare level is the place the sentence names ("Công an huyện Nậm Pồ … tỉnh")
        return LostContext("place", " ".join(cased[max(0, i - 1) : i + n]))
    return None


def _department(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A provincial department with no province and no one named: "Giám đốc Sở Nội vụ lý giải
    …" (who, of which province?); "Sở Y tế Hà Nội", "Sở GD-ĐT tỉnh Nghệ An" say where, "Giám
    đốc Sở Y tế Nguyễn Văn Đồng" says who."""
    words = _starts("department")
    for i in compress(range(len(lower) - 1), map(words.__contains__, lower)):
        if cased[i][:1].isupper() and _is_name(cased[i + 1]):
            if _names_a_place(cased, lower) or _vn_name_run().search(text) is not None:
                return None
            return LostContext("place", " ".join(cased[i : i + 2]))
    return None


def _conditional(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """Advice under a condition with no speaker: "Nếu muốn …, thì Nga nên …" is someone's
    demand, told right after the sentence that says whose."""
    lex = context_words()
    if lower[0] not in _starts("conditional"):
        return None
    n = _prefix(lower, lex["conditional"])
    if not n:
        return None
    saying, advice = _starts("saying"), _starts("advice")
    has_advice = False
    for i in range(n, len(lower)):
        if lower[i] in saying and _prefix(lower, lex["saying"], i):
            return None  # "Nếu …, ông X cho biết": the speaker is here
        has_advice = has_advice or (lower[i] in advice and bool(_prefix(lower, lex["advice"], i)))
    return LostContext("conditional", " ".join(cased[:n])) if has_advice else None


@cache
def _pointed_ends() -> frozenset[str]:
    """Last words of the phrases a pointing word may follow (occasion, time, anaphor nouns)."""
    return _ends("occasion") | _ends("time") | _ends("anaphor")


_PURPOSE = frozenset({"để"})
PURPOSE_MAX_SYLLABLES = 2  # "Để gỡ khó, …", "Để xử lý, …" (what?); "Để đảm bảo an toàn cho …" says what
_PRO_FORMS = frozenset({"đây", "thế", "vậy"})
# "… là thế nhưng", "… như vậy": what was said before; "như thế nào" asks, "như thế này" shows
_PRO_FORM = re.compile(
    r"(?<![^\W\d_])(?:là (?:thế|vậy)(?=\s*[,.;:!?…]|\s+(?:nhưng|thì|mà|nên)(?![^\W\d_]))"
    r"|như (?:thế|vậy)(?![^\W\d_])(?!\s+(?:nào|này)(?![^\W\d_])))",
    re.IGNORECASE,
)
ADDITIVE_SUBJECT_MAX = 8  # syllables of a name before "còn" read as the sentence's subject


def _short_opening(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """An opening clause that leans back only when a comma ends it: a short purpose on a problem
    it does not name ("Để gỡ khó, …", "Để xử lý, …"), "Nếu không, …" (if not what?); but "Nếu
    không được điều trị, …" says what."""
    head, low = _opening_clause(text, cased)
    if not head or any(_is_name(t) for t in head[1:]):
        return None
    purpose = low[0] in _PURPOSE and 1 < len(head) <= 1 + PURPOSE_MAX_SYLLABLES
    if purpose or tuple(low) in context_words()["opening_only"]:
        return LostContext("connective", " ".join(head))
    return None


def _pro_form(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A pro-form past the opening: "các chuyên gia tin rằng đây là …", "Gọi đây là …" (what is?),
    "Rủi ro cao là thế nhưng …", "làm như vậy" (like what?); but "gần đây", "tại đây" are a time
    and a place (the opening "Đây là …" is :func:`_opener`'s)."""
    lex = context_words()
    for i in _positions(lower, frozenset({"đây"})):
        if (lower[i - 1],) not in lex["clause_after"] and _prefix(lower, lex["clause_verb"], i + 1):
            return LostContext("demonstrative", " ".join(cased[i : i + 2]))
    if "thế" in lower or "vậy" in lower:
        m = _PRO_FORM.search(text)
        if m:
            return LostContext("demonstrative", m.group())
    return None


def _additive(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """"còn" (also) right after the name opening the sentence: "Nhâm Hoàng Khang còn sử dụng …"
    (besides what?); "Hà Nội còn 3 ca", "còn nhiều", "còn lại" are "still" and "left"."""
    lex = context_words()
    additive, not_additive = lex["additive"], lex["not_additive"]
    if _prefix(lower, lex["besides"]):
        return None  # "Ngoài Lee Nguyễn, HLV Klinsmann còn loại …": besides whom, it says
    for k in range(2, min(ADDITIVE_SUBJECT_MAX + 1, len(lower) - 1)):
        if not cased[k - 1][:1].isupper():
            return None  # the name ended before any "còn"
        if (lower[k],) in additive:
            nxt = lower[k + 1]
            if nxt[:1].isdigit() or (nxt,) in not_additive:
                return None
            return LostContext("connective", " ".join(cased[: k + 1]))
    return None


_SAME = frozenset({"cùng"})


def _same_time(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """"cùng ngày", "cùng thời điểm" past the opening: the same day as one told before ("Khoảng
    6h20 cùng ngày, Việt quay lại …"); "cùng năm 2022" says which."""
    times = context_words()["same_time"]  # (not "cùng kỳ": year on year)
    for i in _positions(lower, _SAME):
        n = _prefix(lower, times, i + 1)
        if n and not (i + 1 + n < len(lower) and lower[i + 1 + n][:1].isdigit()):
            return LostContext("anaphor", " ".join(cased[i : i + 1 + n]))
    return None


PROVISION_DOCUMENT_WITHIN = 4  # syllables after "Khoản 6 Điều 26" where the law it is of is named


def _provision(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A provision opening a sentence with no document named: "Khoản 6 Điều 26 nêu …" (of which
    law?); "Điều 5 Luật Đất đai quy định …", "Khoản 2 Điều 8 của Nghị định …" say which."""
    lex = context_words()
    k = 0
    while k + 1 < len(lower) and (lower[k],) in lex["provision"] and lower[k + 1][:1].isdigit():
        k += 2  # "Khoản 6 Điều 26"
    if not k:
        return None
    if any(_prefix(lower, lex["document"], j) for j in range(k, min(k + PROVISION_DOCUMENT_WITHIN, len(lower)))):
        return None
    return LostContext("definite", " ".join(cased[:k]))


def _unissued_rule(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A rule with no one issuing it: "Dữ liệu … phải được lưu trữ tại Việt Nam", "Các cảng hàng
    không được yêu cầu …" (whose rule?); "Theo Nghị định 53, …", "Bộ Y tế yêu cầu …" say whose."""
    lex = context_words()
    for i in _positions(lower, _starts("obligation")):
        n = _prefix(lower, lex["obligation"], i)
        if not n:
            continue
        if any(_prefix(lower, lex["issuer"], k) for k in range(len(lower)) if k < i or k >= i + n) or (
                reports_speech(lower)):
            return None  # the instrument, the issuer, or someone saying it is named
        return LostContext("directive", " ".join(cased[i : i + n]))
    return None


def _inner_pronoun(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A pronoun past the opening, in a sentence that names no one: "Thi thể của ông được tìm
    thấy …" (whose?); "ông Nam", "bà con", "đàn ông" are a name, people, men."""
    lex = context_words()
    starts = _starts("inner_pronoun")
    for i in _positions(lower, starts):
        n = _prefix(lower, lex["inner_pronoun"], i)
        if not n or (i + n < len(lower) and lower[i + n][:1].isdigit()):
            continue
        if tuple(lower[i - 1 : i + 1]) in lex["not_pronoun"] or tuple(lower[i : i + 2]) in lex["not_pronoun"]:
            continue
        if any(t[:1].isupper() for t in cased[1:]):
            return None  # a name it may stand for (a person, or someone's organisation)
        return LostContext("pronoun", " ".join(cased[max(0, i - 1) : i + n]))
    return None


# A person named by initials alone ("D. đi uống rượu về"; but "anh D.", "bà T.T.N." say who)
_INITIALS = re.compile(r"(?<![\w.])((?:[A-ZĐ]\.){1,4})(?=\s)")


def _initials(text: str) -> LostContext | None:
    introduced = False  # "hai người đàn ông khác là H. và V.": the first said who, the next too
    for m in _INITIALS.finditer(text):
        after = text[m.end() :].lstrip()[:1]
        if after.isupper() or after.isdigit():
            continue  # an abbreviation before a name or a number ("Q. Bình Tân", "P. 12"), or "độ C. Các …"
        before = text[: m.start()].split()
        word = before[-1].lower().strip(",;:(") if before else ""
        if word and (word in _person_words() or (word,) in context_words()["introducing_name"]
                     or before[-1][:1].isupper() or word[:1].isdigit() or (introduced and word == "và")):
            introduced = True
            continue  # a title, a role, "tên", or the rest of a name before it
        return LostContext("participant", m.group(1))
    return None


@cache
def _person_words() -> frozenset[str]:
    """Words that may stand before a person's initials: titles ("anh", "bà"), pronouns, roles' heads."""
    lex = context_words()
    return (frozenset(w for t in _person_titles() for w in t.lower().split())
            | frozenset(p[-1] for p in lex["pronoun"] | lex["participant"] | lex["epithet"]))


LABEL_MAX_SYLLABLES = 10  # "Cấp độ rủi ro thiên tai: Cấp 3.": a label and its value, not a sentence
LABEL_VALUE_MAX = 3


def _label(text: str, lower: Sequence[str]) -> LostContext | None:
    colon = text.find(":")
    if colon < 0 or len(lower) > LABEL_MAX_SYLLABLES:
        return None
    if len(syllables(text[colon + 1 :])) <= LABEL_VALUE_MAX:
        return LostContext("fragment", text.strip()[:30])
    return None


@cache
def _someone_words() -> frozenset[str]:
    """Last words of nouns that may stand for a person, a group or a place a name before them says
    ("ca sĩ", "hãng hàng không", "nước"), and pronouns ("anh này"); a thing's noun is none of them."""
    lex = context_words()
    phrases = lex["participant"] | lex["epithet"] | lex["pronoun"] | (lex["anaphor"] - lex["thing"])
    return frozenset(p[-1] for p in phrases) - STOPWORDS  # their heads ("minh" of "liên minh")


_NOW_BEFORE = frozenset({"đến", "tới", "vào"})  # "Tính đến thời điểm này", "Vào thời điểm này": now


_CATAPHORS = frozenset({"dưới", "sau"})  # "dưới đây", "sau đây": a list the summary does not hold


def _anaphor(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A noun pointing back ("nước này", "tổ chức nói trên", "Các lệnh trừng phạt này"), or on
    to what the article lists next ("những thực phẩm dưới đây")."""
    lex = context_words()
    starts = _deictic_starts()  # (lost_context tests the sentence holds one first)
    named_from: int | None = None  # where a name that could be what it points at may start
    for i in _positions(lower, starts):
        d = _prefix(lower, lex["deictic"], i)
        if not d:
            continue
        if lower[i] in _CATAPHORS:
            return LostContext("demonstrative", " ".join(cased[max(0, i - 2) : i + d]))
        if named_from is None:
            named_from = 1
            if lower[0] in _starts("frame"):
                # an opening frame names a place or a time, not what is pointed at: "Tại Cơ
                # quan điều tra, kẻ này khai nhận …"
                head, _ = _opening_clause(text, cased)
                named_from = len(head) if 0 < len(head) < i else 1
        # the words before the pointer: an anaphor noun, or any subject when it comes this early
        # (none of those phrases ends on the word before it, most often: none is looked up)
        for n in range(min(_MAX_PHRASE, i) if lower[i - 1] in _pointed_ends() else 0, 0, -1):
            head = tuple(lower[i - n : i])
            if head in lex["occasion"] and i - n < SUBJECT_SPAN:
                return LostContext("anaphor", " ".join(cased[i - n : i + d]))  # "dịp này": which one?
            if head in lex["time"]:
                if (lower[i] == "này" and head in lex["then"] and head[0] not in lower[: i - n]
                        and not (i - n and lower[i - n - 1] in _NOW_BEFORE)):
                    return LostContext("anaphor", " ".join(cased[i - n : i + d]))  # "Lúc này": which moment?
                if lower[i] in _THAT and not any(t[:1].isdigit() for t in lower[: i - n]):
                    return LostContext("anaphor", " ".join(cased[i - n : i + d]))  # "năm đó": that year, told before
                if i - n > 0 and lower[i - n - 1] in _SINCE and head in lex["moment"]:
                    return LostContext("anaphor", " ".join(cased[i - n - 1 : i + d]))  # "Sau thời điểm này": which?
                break  # "tuần này": this week, anchored by the article's date
            if head in lex["anaphor"]:
                # (a name before "trận này", "quyết định này" is not the match, the decision)
                named = head not in lex["thing"] and any(_is_name(t) for t in cased[named_from : i - n])
                if head[0] in lower[: i - n] or named:
                    break  # the sentence names it itself: "Bộ Ngoại giao Nga … nước này"
                return LostContext("anaphor", " ".join(cased[i - n : i + d]))
        else:
            if lower[i] in _EARLY_POINTERS and i < SUBJECT_SPAN and lower[i - 1] not in lex["time"]:
                return LostContext("demonstrative", " ".join(cased[: i + d]))
            # later in the sentence, any noun pointed at ("2 bệnh nhi này", "cầu thủ này") when
            # the sentence names nobody and nothing before it that it could point at
            # (a name before it is what it points at only when the noun may stand for someone:
            # "…, nam ca sĩ này"; not "R Balasubramanian … gọi cây cột này")
            if (lower[i] in ("này", "nói", "kể") and lower[i - 1] not in lex["time"]
                    and lower[i - 1] not in lower[: i - 1]
                    and not (_someone_words().intersection(lower[max(0, i - 3) : i])
                             and any(t[:1].isupper() for t in cased[1:i]))):
                return LostContext("anaphor", " ".join(cased[max(0, i - 2) : i + d]))
    return None


# "… ở trên.": a place, above; "tuyến trên": the higher-level hospitals
_ABOVE_PLACE = frozenset({"ở", "phía", "bên", "lên", "ngay", "đứng", "nằm", "mặt", "tuyến"})
_TREN = re.compile(r"(?<![^\W\d_])trên(?![^\W\d_])(\s*[,.;:!?)])?")


def _loose_deictic(text: str, cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A bare "trên" closing a noun phrase points back: "Căn nhà trên chỉ có …", "Ngoài công
    trình trên, …" (before a verb or at the end of the phrase); "trên địa bàn" is a place."""
    lex = context_words()
    after = _starts("after_loose")
    found: list[re.Match[str]] | None = None  # its "trên" in the text, in order (read when needed)
    for k, i in enumerate(_positions(lower, _starts("loose_deictic"))):
        if i + 1 < len(lower) and lower[i + 1] not in after:
            if found is None:
                found = list(_TREN.finditer(text.lower()))
            if k >= len(found) or found[k].group(1) is None:  # no pause (",", ".") right after it
                continue
        for n in range(min(_MAX_PHRASE, i) if lower[i - 1] in _pointed_ends() else 0, 0, -1):
            head = tuple(lower[i - n : i])
            if head in lex["anaphor"] or head in lex["occasion"]:
                if head[0] in lower[: i - n]:
                    break  # the sentence names it itself
                return LostContext("anaphor", " ".join(cased[i - n : i + 1]))
        else:
            # any other noun: when it is the subject or the opening frame ("Trước thực trạng
            # trên, …"); later in the sentence ("… phụ phí trên") it is read as a detail, unless
            # it is what the sentence ends on ("… chia sẻ thông tin về vấn đề trên.")
            ends = i == len(lower) - 1 and lower[i - 1] not in _ABOVE_PLACE
            # before a verb it closes a noun phrase anywhere ("… người bị mất số tiền trên là anh …")
            verb = i + 1 < len(lower) and lower[i + 1] in after and lower[i - 1] not in _ABOVE_PLACE
            if i < SUBJECT_SPAN or ends or verb or _ends_opening_clause(text, found, k):
                return LostContext("demonstrative", " ".join(cased[max(0, i - 3) : i + 1]))
    return None


def _ends_opening_clause(text: str, found: list[re.Match[str]] | None, k: int) -> bool:
    """Is the ``k``-th "trên" of ``text`` (``found``: its matches, when read) right before its
    first comma ("Ngoài những điều kiện trên, …")?"""
    if found is None:
        found = list(_TREN.finditer(text.lower()))
    if k >= len(found) or found[k].group(1) is None or "," not in found[k].group(1):
        return False
    return "," not in text[: found[k].start()]


def _unopened_quote(text: str) -> LostContext | None:
    """A quotation's tail ("… không bị sốt”, bác sĩ Công giải thích."): it closes a quote that
    opened in an earlier sentence, whose start the reader does not have."""
    close = text.find("”")
    if close >= 0 and "“" not in text[:close] and '"' not in text[:close]:  # (or a straight one opened it)
        return LostContext("bare_quote", text[: min(close + 1, 30)])
    at = text.find('"')
    # (a straight quote may close a curly one: “For Youth")
    balanced = text.count("“") == text.count("”") + 1
    closing = at > 0 and not text[at - 1].isspace() and text[at - 1] not in "(:–-"
    if closing and text.count('"') % 2 == 1 and not balanced:
        return LostContext("bare_quote", text[: min(at + 1, 30)])  # a straight quote closing first
    return None


_BULLET = re.compile(r"^\s*[-–—•+*]\s+")
_ITEM_MARKER = re.compile(r"^\s*(?:\(?[ivx]{1,4}\)|\(?[a-zđ]\))\s")  # "(i) …", "a) …": an item of a list
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)](?=\s+\S)")  # "7. Vụ án …": an item of a list the summary does not hold
# "Phương án 1: …", "Bước 2. …", "Cách 3) …": a numbered item by its label
_LABELLED_ITEM = re.compile(r"^\s*[^\W\d_]+(?:\s[^\W\d_]+)?\s\d{1,2}\s*[:.)](?=\s+\S)")
# a table of contents scraped as one line: "… chống lão hóa2.1 Dùng kem chống nắng2.2 Serum …"
_CONTENTS = re.compile(r"[^\W\d_]\d{1,2}\.\d{1,2}[ \t]")
CONTENTS_ENTRIES = 2  # numbered headings glued to the words before them, from this many
# a list scraped as one line, its items glued: "… cảm giác ớn lạnhĐau họng, hoHắt hơi …" (a word
# with a tone mark that turns upper-case inside: not a brand's "TikTok")
_WORDS = re.compile(r"[^\W\d_]{3,}")
_CASE_TURN = regex.compile(r"\p{Ll}\p{Lu}")
# a heading's number glued to its end ("… tình dục5.", "… như thế nào?7."): a scraped list
# (a toned lower-case word or a "?" before it: not "87m2", "CR7", "VTV1", "U23")
_NUMBERED_END = re.compile(r"(\?|[^\W\d_]+)\d{1,2}\.?\s*$")
GLUED_ITEMS = 2


def _glued(word: str) -> bool:
    return not word.isascii() and any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


_CUT_ENDS = frozenset(",;:")  # a sentence ending on a pause was cut, or opens a list it does not hold


def _fragment(text: str) -> LostContext | None:
    """A list item or a cut-off sentence ("(i) Dữ liệu …", "- cùng ngụ thôn 18, …", "thể thao
    và du lịch tỉnh …", "… sau thời gian dài khai quật từ năm 2009,"): part of something the
    article told around it. A bulleted sentence that reads whole ("- NLĐ có thời gian đóng …")
    is not."""
    tail = text.rstrip()[-1:]
    if tail in _CUT_ENDS:
        return LostContext("fragment", text.rstrip()[-20:])  # cut at a pause: "… từ năm 2009,"
    head = text.lstrip()[:1]
    if head.isdigit() and (m := _NUMBERED.match(text)) is not None:
        return LostContext("fragment", m.group(0).strip())
    if text.count(".") >= CONTENTS_ENTRIES and len(_CONTENTS.findall(text)) >= CONTENTS_ENTRIES:
        return LostContext("fragment", text[:20])
    m = _NUMBERED_END.search(text) if text.rstrip().rstrip(".")[-1:].isdigit() else None
    if m is not None and (m.group(1) == "?" or (m.group(1).islower() and not m.group(1).isascii())):
        return LostContext("fragment", m.group(0))  # "… như thế nào?7.": a numbered heading scraped
    if _CASE_TURN.search(text) is not None:  # (most sentences: no lower-case letter before a capital)
        glued = {w for w in _WORDS.findall(text) if _glued(w)}  # (distinct: "ĐắkLắk" twice is one name)
        if len(glued) >= GLUED_ITEMS:
            return LostContext("fragment", min(glued, key=text.find))
    if head.isupper() and (m := _LABELLED_ITEM.match(text)) is not None:
        return LostContext("fragment", m.group(0).strip())
    if head.isupper() or head.isdigit() or head in _OPEN_QUOTES:
        return None  # most sentences
    m = _ITEM_MARKER.match(text)
    if m:
        return LostContext("fragment", m.group(0).strip())
    bullet = _BULLET.match(text)
    body = text[bullet.end() :] if bullet else text.lstrip()
    if body[:1].islower():
        return LostContext("fragment", body.split(" ", 1)[0])
    if bullet and body.rstrip().endswith("?"):
        return LostContext("fragment", bullet.group(0).strip())  # an interviewer's question
    return None


class ShortReference(NamedTuple):
    words: str  # "ông Biên"
    full: str  # the name as the cluster gives it in full: "Trần Văn Biên"


def short_references(texts: Sequence[str], known: Mapping[str, str] | KnownNames) -> list[ShortReference | None]:
    """Per text, in order: a person named by a title and one syllable of a name ``known`` gives
    in full (:class:`KnownNames` of the cluster: "Theo ông Biên" for "luật sư Hoàng Ngọc Biên"),
    not named in full in that text or an earlier one. A reader who did not meet the full name
    cannot place them. ``texts``: a summary, or one sentence read alone."""
    seen: set[str] = set()  # last syllables of the full names told so far
    out: list[ShortReference | None] = []
    for text in texts:
        out.append(short_reference_after(text, known, seen))
        if len(texts) > 1:
            seen.update(_told_lasts(text))
    return out


def told_names(texts: Iterable[str]) -> set[str]:
    """The last syllables of the full names ``texts`` tell (what :func:`short_reference_after` reads of them)."""
    return {last for text in texts for last in _told_lasts(text)}


def _told_lasts(text: str) -> Iterator[str]:
    return (run[-1].rstrip(".") for run in _name_runs(text) if len(run) > 1)


def short_reference_after(
    text: str, known: Mapping[str, str] | KnownNames, seen: Collection[str] = ()
) -> ShortReference | None:
    """:func:`short_references` of ``text`` read after texts telling the full names ending in
    ``seen`` (:func:`told_names`): the earlier texts are read once for a text tried several
    times, not again for each."""
    hits = list(_short_hits(text, known)) if known else []
    if not hits:  # most sentences: no short name the cluster knows in full
        return None
    here = set(_told_lasts(text))
    for m in hits:
        last = m.group(2).rstrip(".")
        full = known[last]
        if (last not in here and last not in seen and full.split(" ", 1)[0].lower() in _VN_SURNAMES
                and not (not m.group(1) and _spells_out(text, m.start(), full))):
            # (a Vietnamese name: "ông Biên" is his given name; "ông Johnson", a surname,
            # is how the press names anyone it named in full once)
            return ShortReference(m.group(0), full)
    return None


class KnownNames:
    """The people a cluster names in full, to find the sentences that name one of them short."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = list(texts)
        self._full: dict[str, str | None] | None = None  # last word -> the first full name ending in it
        self._lasts: frozenset[str] = frozenset()

    def get(self, last: str) -> str | None:
        """The first full name of the texts ending in ``last`` (the texts are read once, when
        first asked)."""
        return self._names().get(last)

    def _names(self) -> dict[str, str | None]:
        if self._full is None:
            self._full = _full_names(self.texts)
            # the last words of the full names as syllables: a sentence holding none names no one short
            self._lasts = frozenset(k.lower() for k, v in self._full.items() if v is not None)
        return self._full

    def __contains__(self, last: object) -> bool:
        return isinstance(last, str) and self.get(last) is not None

    def __getitem__(self, last: str) -> str:
        full = self.get(last)
        if full is None:
            raise KeyError(last)
        return full

    def short_reference(self, text: str, tokens: Sequence[str] | None = None) -> ShortReference | None:
        """:func:`short_references` of one sentence; ``tokens`` (its lowercase syllables) rule
        most sentences out first: none is the last word of a full name the cluster gives."""
        if tokens is not None:
            self._names()
            if self._lasts.isdisjoint(tokens):
                return None
        return short_reference_after(text, self)


_VN_SURNAMES = lexicon.word_set("vn_surnames")


@cache
def _title_starts() -> frozenset[str]:
    return frozenset(t.split()[0] for t in _person_titles())


@cache
def _person_titles() -> frozenset[str]:
    return frozenset((*lexicon.table("honorifics"), *lexicon.words("person_titles")))


# Capital letters (Latin with Vietnamese diacritics, and the rest of the BMP's alphabets):
# the re module has no Unicode category classes.
_UPPER = "".join(chr(c) for c in range(0x41, 0x2000) if chr(c).isupper() and chr(c).isalpha())
_CAP_WORD = rf"[{_UPPER}][^\W_]*\.?"
# Capitalised words parted by spaces only ("Lê Mạnh Hà – Phó phòng" is two runs).
_RUN = re.compile(rf"(?<![^\W_]){_CAP_WORD}(?:[ \t]+{_CAP_WORD})*")


@cache
def _short_pattern() -> re.Pattern[str]:
    """A title, then one capitalised word not followed by another: "ông Biên", "Bà L."."""
    forms = {f for t in _person_titles() for f in (t, t.capitalize(), t.upper())}
    titles = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])({titles})[ \t]+({_CAP_WORD})(?![^\W_])(?![ \t]+[{_UPPER}])")


@cache
def _bare_pattern() -> re.Pattern[str]:
    """One capitalised word alone, no title, no capitalised word on either side: "Bất ngờ Trí
    dùng dao", "Dương là …" (group 1 empty, group 2 the word, as in :func:`_short_pattern`)."""
    return re.compile(rf"(?<![^\W_])()({_CAP_WORD})(?![^\W_])(?![ \t]+[{_UPPER}])")


_NAME_VERBS = lexicon.word_set("name_verbs")  # "Dương là …": after these, an opening capital is a name
_COMMON_CAPS = lexicon.word_set("common_caps")
_NOT_NAME_AFTER = lexicon.word_set("not_name_after")
_CAP_BEFORE = re.compile(rf"{_CAP_WORD}[ \t]+$")
_TITLE_REACH = 40  # characters before a word alone where a title or a run's start is read


def _short_hits(text: str, known: Mapping[str, str] | KnownNames) -> Iterator[re.Match[str]]:
    """A title and one word of a name ``known`` gives in full ("ông Biên"), or that one word
    alone, where it can only be a name: not a run's part, not a capitalised common word, not an
    acronym; opening the sentence, only before a verb ("Dương là …", not "Đồng thời, …")."""
    yield from (m for m in _short_pattern().finditer(text)
                if m.group(2).rstrip(".") in known and not _after_initials(text, m.start(2)))
    for m in _bare_pattern().finditer(text):
        word = m.group(2)
        if word.rstrip(".") not in known or _after_initials(text, m.start(2)):
            continue  # most capitalised words: no full name ends on them (one lookup)
        if len(word) > 1 and word.rstrip(".").isupper() or word.lower() in _COMMON_CAPS:
            continue
        before = text[max(0, m.start() - _TITLE_REACH) : m.start()]  # (the words right before it)
        if _CAP_BEFORE.search(before) or _short_pattern().search(before + word) is not None:
            continue  # a run's last word, or the title's name (found above)
        last = before.rsplit(None, 1)[-1:] if before[-1:].isspace() else []
        if last and last[0].lower() in _NOT_NAME_AFTER:
            continue  # "miền Nam", "người Hoa", "tiếng Anh": not a person's given name
        if not text[: m.start()].strip():
            nxt = text[m.end() :].split(None, 1)
            if not nxt or nxt[0].lower() not in _NAME_VERBS:
                continue
        yield m


def _after_initials(text: str, at: int) -> bool:
    """Is the word at ``at`` the end of a name given by its initials ("N.V.Nam"): its person is
    not the one the cluster names in full."""
    return at > 0 and text[at - 1] == "."


def _spells_out(text: str, at: int, full: str) -> bool:
    """Do the words before ``at`` spell, lowercase, the rest of ``full``? "châu Âu" is "Châu Âu"
    (a place) written with a lowercase first word, not "Âu" named short."""
    rest = full.lower().split()[:-1]
    return text[:at].lower().split()[-len(rest) :] == rest




@cache
def _vn_name_run() -> re.Pattern[str]:
    """A Vietnamese surname, then capitalised words: "Nguyễn Văn Đồng" (the surnames as
    literals: most of a text is skipped fast; no lookbehind, the caller checks a word starts).
    The surnames as a tree of their letters ("Ng(?:uyễn|ô)"): at a capital, a few letters are
    tried, not each surname in turn. (A surname has no space and a space must follow it, so one
    surname at most can match at a place: the order they are tried in changes nothing.)"""
    return re.compile(rf"{_letter_tree(w.capitalize() for w in _VN_SURNAMES)}(?:[ \t]+{_CAP_WORD})+(?![^\W_])")


def _letter_tree(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, their shared first letters written once; at each
    letter the longer words are tried first (the optional group is greedy)."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


_INITIAL_CLUSTERS = frozenset({"Ch", "Gh", "Gi", "Kh", "Ng", "Ngh", "Nh", "Ph", "Qu", "Th", "Tr"})


def _is_initial(word: str) -> bool:
    """"N.", "Th.": a name's initial (a capital, or a consonant cluster), not "Mỹ." ending a sentence."""
    w = word[:-1] if word.endswith(".") else word
    return (len(w) == 1 and w.isupper()) or w in _INITIAL_CLUSTERS


_ONE_WORD_PLACES = frozenset({"city", "province"})  # gazetteer types whose one-word names count ("Huế")


@cache
def _place_names() -> frozenset[str]:
    """The gazetteer's names and their endings of two words or more, case-folded: "Lâm Đồng",
    "Hồ Chí Minh" (of "Thành phố Hồ Chí Minh") are places, not people."""
    out = set()
    for variant, (_, kind) in lexicon.name_table("places.tsv").items():
        words = variant.split()
        out.update(" ".join(words[k:]) for k in range(len(words) - 1))
        if len(words) == 1 and kind in _ONE_WORD_PLACES and len(syllables(variant)) == 1:
            out.add(variant)  # a city or province in one word: "TPHCM", "Huế" (not "Mỹ": no province)
    return frozenset(out)



def _full_names(texts: Sequence[str]) -> dict[str, str | None]:
    """Per last word (its final dot dropped), the first Vietnamese full name of the texts ending
    on it ("Nguyễn Văn Đồng"; an initial ends a name: "Nguyễn Văn N."); None when that is a
    place ("Lâm Đồng"). Only these: "ông Biên" names a Vietnamese by his given name; "ông
    Johnson", a surname, is how the press names anyone it named in full once."""
    out: dict[str, str | None] = {}
    places, titles = _place_names(), _person_titles()
    for text in texts:
        at = 0
        while (m := _vn_name_run().search(text, at)) is not None:
            at = m.end()
            start = m.start()
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue  # the surname's letters end a longer word
            if start > 1 and text[start - 1] in " \t" and text[start - 2] not in " \t":
                # the word right before it ("TP" of "TP Hồ Chí Minh": inside a longer run), unless a title
                prev = text[max(0, start - _TITLE_REACH) : start - 1].rsplit(None, 1)[-1]
                if prev[:1].isupper() and prev.lower() not in titles:
                    continue
            words = m.group().split()
            for k, w in enumerate(words[1:], 1):
                if w.endswith("."):  # an initial ends a name ("Nguyễn Văn N."); a word, the sentence
                    words = [*words[:k], w if _is_initial(w) else w[:-1]]
                    at = m.start() + len(" ".join(words))  # what follows may open on a name
                    break
            full = " ".join(words)
            out.setdefault(words[-1].rstrip("."), None if full.rstrip(".").casefold() in places else full)
    return out


def _name_runs(text: str) -> list[list[str]]:
    """Runs of capitalised words not parted by punctuation, a capitalised title ("Ông Đồng"
    opening a sentence) left out; an initial ends a name ("Nguyễn Văn N.")."""
    titles = _person_titles()
    runs = []
    for m in _RUN.finditer(text):
        words = m.group().split()
        if words[0].lower() in titles:
            words = words[1:]
        run: list[str] = []
        for w in words:
            run.append(w)
            if w.endswith("."):
                runs.append(run)
                run = []
        if run:
            runs.append(run)
    return runs


def _bare_quote(text: str) -> LostContext | None:
    """A quotation with no speaker, or a pronoun one ("…”, ông nói.")."""
    body = text.strip()
    if not body or body[0] not in _OPEN_QUOTES:
        return None
    close = max(body.rfind(q) for q in _CLOSE_QUOTES)
    tail = cased_syllables(body[close + 1 :]) if close > 0 else []
    if not tail:
        return LostContext("bare_quote", body[:30])
    lex = context_words()
    lower = [t.lower() for t in tail]
    n = _prefix(lower, lex["pronoun"])
    if n and not (n < len(tail) and _is_name(tail[n])) and _prefix(lower, lex["saying"], n):
        return LostContext("pronoun", " ".join(tail[:n]))
    return None


def _reported(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A demonstrative opening the reported clause: "X nhấn mạnh: Đây là …", "X cho rằng, đó là …"."""
    lex = context_words()
    saying_starts = _starts("saying")  # (lost_context tests it holds one, and a demonstrative's word)
    for i in _positions(lower, saying_starts):
        n = _prefix(lower, lex["saying"], i)
        if not n:
            continue
        j = i + n + (1 if i + n < len(lower) and lower[i + n] == "rằng" else 0)
        d = _prefix(lower, lex["demonstrative"], j)
        if d:
            return LostContext("demonstrative", " ".join(cased[j : j + d]))
    return None


def reports_speech(lower: Sequence[str]) -> bool:
    """Does the sentence report what someone said ("X đánh giá …", "…, Y cho biết")? Such a
    sentence is a reaction to the news; a lead states the event itself."""
    starts = _starts("saying")
    if starts.isdisjoint(lower):
        return False
    saying = context_words()["saying"]
    return any(w in starts and _prefix(lower, saying, i) for i, w in enumerate(lower))


class _Cased(Sequence[str]):
    """The cased syllables of a text, tokenized as far as they are read: the rules read them
    only to tell a name from a pronoun and to quote the words, mostly the first few."""

    __slots__ = ("text", "n", "words", "_rest", "clause")  # one per sentence read

    def __init__(self, text: str, n: int) -> None:
        self.text, self.n = text, n
        self.words: list[str] = []
        self._rest: Iterator[str] | None = None
        self.clause: tuple[list[str], list[str]] | None = None  # (_opening_clause)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        stop = (index + 1 if index >= 0 else None) if isinstance(index, int) else index.stop
        if stop is None or stop < 0:
            stop = self.n
        if len(self.words) < stop:
            if self._rest is None:
                self._rest = iter_cased_syllables(self.text)
            self.words.extend(islice(self._rest, stop - len(self.words)))
        return self.words[index]


def lost_context(text: str, tokens: Sequence[str] | None = None) -> LostContext | None:
    """Why ``text`` cannot be read without the sentence before it, or None when it can.

    ``tokens``: its syllables (``lang.tokens.syllables``), when the caller has them: most
    sentences are then cleared by a few set lookups, with no second tokenization."""
    if text.strip()[:1] in _OPEN_QUOTES:
        # A quotation: its own words ("Chúng tôi …") are the speaker's; what matters is the speaker.
        return _bare_quote(text)
    cased: Sequence[str]
    if tokens is None:
        cased = cased_syllables(text)
        lower: Sequence[str] = list(map(str.lower, cased))  # once: every rule reads it
    else:
        # the same words as lowercased cased syllables (they differ at most in a Greek final sigma)
        lower = tokens
        cased = _Cased(text, len(lower))
    if not lower:
        return None
    # What each rule needs before it reads anything else (its first word, a pointing word, a
    # verb of saying with a demonstrative): most sentences meet none and are cleared here.
    # Each test is made only when its rule is reached (the first rule that finds one wins).
    first, starts = lower[0], _rule_starts()
    lost = (
        (_opener(cased, lower) if first in starts.opener else None)
        or (_event_frame(text, lower, cased) if first in starts.frame else None)
        or (_side(cased, lower) if first in starts.side else None)
        or (_event_subject(cased, lower) if first in starts.event else None)
        or ((_instruction(text, cased, lower) or _office(cased, lower) or _definite(cased, lower))
            if first in starts.definite else None)
        or (_provision(cased, lower) if first in starts.provision else None)
        or (_short_opening(text, cased, lower) if first in starts.short_opening else None)
    )
    if lost is not None:
        return lost
    # the words the other rules look for that the sentence holds: a few, most often none (one
    # scan of its words; each test below then reads this small set, not the sentence again)
    held = starts.anywhere.intersection(lower)
    if not held:  # most sentences: only the rules that need none of these words are left
        return ((_conditional(cased, lower) if first in starts.conditional else None)
                or (_unopened_quote(text) if "”" in text or '"' in text else None)
                or _fragment(text)
                or (_initials(text) if "." in text[:-1] else None)
                or (_label(text, lower) if ":" in text else None))
    return (
        (_unnamed_event(text, cased) if not (starts.frame.isdisjoint(held) or starts.event.isdisjoint(held)) else None)
        or (_conditional(cased, lower) if first in starts.conditional else None)
        or (_anaphor(text, cased, lower) if not starts.deictic.isdisjoint(held) else None)
        or (_remainder(cased, lower) if not starts.remainder.isdisjoint(held) else None)
        or (_pro_form(text, cased, lower) if not _PRO_FORMS.isdisjoint(held) else None)
        or (_additive(cased, lower) if "còn" in held else None)
        or (_loose_deictic(text, cased, lower) if not starts.loose.isdisjoint(held) else None)
        or (_participant(cased, lower)
            if not (starts.participant.isdisjoint(held) or starts.participant_head.isdisjoint(held)) else None)
        or (_unopened_quote(text) if "”" in text or '"' in text else None)
        or _fragment(text)
        or (_inner_pronoun(cased, lower) if not _starts("inner_pronoun").isdisjoint(held) else None)
        or (_initials(text) if "." in text[:-1] else None)
        or (_label(text, lower) if ":" in text else None)
        or (_unissued_rule(cased, lower) if not _starts("obligation").isdisjoint(held) else None)
        or (_same_time(cased, lower) if "cùng" in held else None)
        or (_reported(cased, lower) if not (starts.saying.isdisjoint(held) or starts.demonstrative.isdisjoint(held))
            else None)
        # last: a sentence flagged only for this may follow any that names a place (the selector's)
        or (_place(text, cased, lower) if not starts.place.isdisjoint(held) else None)
    )
