"""Who's who: people, organisations and places of a cluster, with roles, merged variants and a rank.

No model: Vietnamese (and foreign) proper names are runs of capitalised syllables, so we
find those runs, peel off what is not the name (sentence-initial common words, titles,
country names, org names that prefix a person), and classify what is left from the
context the articles give: a title/role head or honorific before it -> person, an
organisation head or an acronym -> organisation, the gazetteer -> location. Variants are
merged by exact form, by gazetteer, by "short form is a suffix of the full name"
(``Ryabkov`` / ``Đình Luật``), by transliteration-tolerant similarity for foreign names
(``Sergei``/``Sergey``, ``Grushko``/``Grouchko``) and by ``Long name (ACRONYM)``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import accumulate, chain, combinations, compress, count
from operator import attrgetter, itemgetter, not_

import regex
from scipy.cluster.hierarchy import DisjointSet

from diemtin.lang import lexicon
from diemtin.lang.tokens import _NAME_TOKEN, name_tokens, tone_key
from diemtin.model import Article, Cluster, Entity, Mention

# --- lexicons (lower-case, NFC) -------------------------------------------------------------

# Titles / roles that introduce a person's name. Multiword heads are matched token-wise.
ROLE_HEADS: tuple[str, ...] = lexicon.words("role_heads")
# Written-out role abbreviations ("TTK Stoltenberg", "PGS.TS Nguyễn ...", "GĐ Sở"). All-caps tokens
# are otherwise organisations, so only these are read as titles.
ROLE_ABBREVIATIONS = lexicon.word_set("role_abbreviations")
ROLE_HEADS = ROLE_HEADS + tuple(sorted(ROLE_ABBREVIATIONS - set(ROLE_HEADS)))
DIRECTIONS = lexicon.word_set("directions")
_ROLE_BREAK = lexicon.word_set("role_break")
ROLE_MODIFIERS = lexicon.word_set("role_modifiers")
HONORIFICS: dict[str, str | None] = {k: v or None for k, v in lexicon.table("honorifics").items()}
# Capitalised heads that start an organisation name ("Bộ Ngoại giao Nga", "Tổ chức ...").
ORG_HEADS: tuple[str, ...] = lexicon.words("org_heads")
# Company heads: what follows is a trade name, which is often a person-like name ("Cty TNHH Sử
# Thành Phú"), so a surname after them does not end the organisation.
COMPANY_HEADS = lexicon.word_set("company_heads")
# Heads that only name ("Tổ chức Hiệp ước …"), never a sub-body of the organisation after them.
NAMING_HEADS = lexicon.word_set("naming_heads")
# Legal forms between a company head and its name; stripped to compare variants.
LEGAL_FORMS: tuple[str, ...] = lexicon.words("legal_forms")
# Administrative and geographic words before a place name ("xã Đất Mũi", "huyện Ngọc Hiển", "cầu
# Ô Rô"): whatever capitalised run follows is a place, even when no gazetteer knows it.
ADMIN_PREFIXES: tuple[str, ...] = lexicon.words("admin_prefixes")
# Abbreviations of the administrative prefixes, written with a dot ("H.Ngọc Hiển", "TP.HCM").
# Words ending in a prefix syllable: "yêu cầu Bộ Công an" is a request, not a bridge.
_NOT_PREFIX = lexicon.word_set("not_prefix")
ADMIN_LEVELS = lexicon.word_set("admin_levels")
# The same, longest first: a role ending in "thị xã" ends in "xã" too, and the longer level is
# the one it names (a set's order changes with the hash seed from one run to the next).
ADMIN_LEVELS_LONGEST_FIRST = tuple(sorted(ADMIN_LEVELS, key=lambda lv: (-len(lv), lv)))
ADMIN_ABBREVIATIONS = lexicon.word_set("admin_abbreviations")
_ADMIN_LEVEL = lexicon.table("admin_level")
# "CH Montenegro", "Cộng hòa Séc": state-form words that belong to the country's name.
STATE_PREFIXES = lexicon.word_set("state_prefixes")
# "các xã …", "những huyện …": a prefix after these heads a list of places
PLURAL_MARKERS = lexicon.word_set("plural_markers")
# administrative level -> the gazetteer's type for places of that level ("tỉnh" -> province)
LEVEL_PLACE_TYPES = lexicon.table("level_place_types")
# Prefixes of streets and works named after people ("đường Nguyễn Chí Thanh", "cầu Trần Thị Lý")
STREET_PREFIXES = lexicon.word_set("street_prefixes")
# Lower-case particles inside foreign names ("von der Leyen", "bin Salman")
NAME_PARTICLES = lexicon.word_set("name_particles")
# Short all-caps tokens are mostly codes, grades and fragments ("A", "H8", "VI", "NN"); these
# short ones are known organisations.
KNOWN_SHORT = lexicon.word_set("known_short")
# Lower-case words that, shortly before a capitalised run, say "this is an organisation".
ORG_CUES = lexicon.word_set("org_cues")
# Capitalised words that start sentences but are not names.
COMMON_CAPS = lexicon.word_set("common_caps")
# Acronyms that are units, abbreviations or page furniture, not entities.
NON_ENTITY_ACRONYMS = lexicon.word_set("non_entity_acronyms")
VN_SURNAMES = lexicon.word_set("vn_surnames")
# Suffixes that make "Vietjet Air" the same organisation as "Vietjet".
ORG_GENERIC_SUFFIX = lexicon.word_set("org_generic_suffix")

# Two-syllable common words that appear with only the first syllable capitalised inside titles
# and organisation names ("Thứ trưởng Quốc phòng", "Đại diện Thường trực", "đảng Dân chủ").
TITLE_WORDS = lexicon.word_set("title_words")

_OPENER = regex.compile(r"[\n“\"‘(:–—]|[.!?]\s")
# The two characters before a word mid-sentence: a word (or comma) and a space, no sentence
# punctuation ("… của Nga", "…, Mỹ"); matched whole (fullmatch)
_MID_BEFORE = regex.compile(r"[^.!?\n:“\"]?[\p{L}\p{N},] ?")
_SOLO = regex.compile(r"(?<=[\p{Ll},] )(\p{Lu}[\p{L}\p{N}]+)(?= \p{Ll})")
_ACRONYM_PAREN = regex.compile(r"\(\s*(\p{Lu}[\p{Lu}\p{N}&]{1,9})\s*\)")  # "… Dương (NATO)"
_ACRONYM_LONG_MAX = 81  # characters of the long name before its acronym
_CLAUSE_BREAK = regex.compile(r"[.!?;:\"“”‘’\n]|,\s")  # a role phrase does not cross these
_VN_MARKS = regex.compile(r"[^\x00-\x7f]")
_ADMIN_GLUED = re.compile(r"([A-Z]{1,2})\.(?=[^\W\d_])")
_APPOSITION_GAP = re.compile(r", | ?[-–—] ?")
_ROMAN = re.compile(r"[IVXLC]+")
_CODE = re.compile(r"(?=.*\d)[^\W_]{1,4}")  # "H8", "T1", "U23": grades, piers, teams by age


# --- gazetteer ------------------------------------------------------------------------------


def gazetteer() -> dict[str, tuple[str, str]]:
    """Lower-cased variant -> (canonical name, place type), from ``lang/data/places.tsv``."""
    return lexicon.name_table("places.tsv")


def outlets() -> dict[str, tuple[str, str]]:
    """Lower-cased variant -> (canonical name, ""), from ``lang/data/outlets.tsv``."""
    return lexicon.name_table("outlets.tsv")


@lru_cache(maxsize=4)
def _heads(filename: str) -> frozenset[str]:
    """First token of every name of a name table: a token that is none of them starts no name."""
    return frozenset(m.group() for k in lexicon.name_table(filename) if (m := next(name_tokens(k), None)))


@lru_cache(maxsize=4)
def _prefixes(filename: str) -> frozenset[str]:
    """Every prefix of every name of a name table (case folded), the names included."""
    return frozenset(k[:j] for k in lexicon.name_table(filename) for j in range(1, len(k) + 1))


class _PhraseIndex(dict[str, list[tuple[str, ...]]]):
    """First word -> the lexicon entries starting with it (word tuples, longest first), with the
    first two words of every longer entry (``pairs``) and the one-word entries (``singles``): most
    tokens :func:`_match_at` is asked about start no longer entry, told by one lookup."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__()
        for w in words:
            parts = tuple(w.split())
            self.setdefault(parts[0], []).append(parts)
        for v in self.values():
            v.sort(key=len, reverse=True)  # longest match first
        self.pairs = frozenset(p[:2] for v in self.values() for p in v if len(p) > 1)
        self.singles = frozenset(k for k, v in self.items() if len(v[-1]) == 1)


_ROLE_INDEX = _PhraseIndex(ROLE_HEADS)
_ORG_INDEX = _PhraseIndex(ORG_HEADS)
_ORG_CUE_INDEX = _PhraseIndex(ORG_CUES)
_ADMIN_INDEX = _PhraseIndex(ADMIN_PREFIXES)
_LEGAL_INDEX = _PhraseIndex(LEGAL_FORMS)
_STATE_INDEX = _PhraseIndex(STATE_PREFIXES)
_SPEECH_INDEX = _PhraseIndex(lexicon.words("speech_verbs"))
_DATE_INDEX = _PhraseIndex(lexicon.words("date_names"))
_OUTLET_CUE_INDEX = _PhraseIndex(lexicon.words("outlet_cues"))


# --- tokens ---------------------------------------------------------------------------------


class _Toks:
    """The tokens of one article as columns, one list per attribute (token ``i`` is ``text[i]``,
    ``start[i]``, ... ``tag[i]``): built by a few C-level passes over the article (split, map),
    with no Python object per word. The passes below read the columns and write ``tag`` (and
    ``sent_start``) in place. ``gap[i]`` is the text between tokens ``i - 1`` and ``i`` (before
    the first token for ``i = 0``): the passes ask about it at every step, a list lookup instead
    of a slice of the article."""

    __slots__ = ("text", "start", "end", "low", "cap", "acronym", "sent_start", "tag", "gap")

    def __init__(self, text: list[str], start: list[int], end: list[int], low: list[str], cap: list[bool],
                 acronym: list[bool], sent_start: list[bool], gap: list[str]) -> None:
        self.text, self.start, self.end, self.low = text, start, end, low  # the word, offsets, case folded
        self.cap, self.acronym, self.sent_start = cap, acronym, sent_start  # capitalised, all caps, opens a sentence
        self.gap = gap
        self.tag = [""] * len(text)  # the pass that claimed the token (see _Doc), "" while free

    def __len__(self) -> int:
        return len(self.text)


class _Pairs:
    """"x y" pairs of lower-case words one space apart somewhere in the cluster (so "Ngoại giao"
    is a word, not a name). A handful of pairs is asked per article: each is searched in the
    texts, until the searches have read the texts _PAIR_SEARCHES times over; then every pair is
    collected once from the token splits (a string per word, dearer than a few searches, but it
    keeps a pile linear: searching every text for each pair asked grew as articles x questions)."""

    __slots__ = ("texts", "splits", "known", "seen", "budget", "words", "chars")

    def __init__(self, words: set[str] | None = None) -> None:
        # the texts' words starting lower case (_Vocabulary.lowercase), if given: a pair of a word
        # never seen is in no text, told without a search (that would have read every text: ``chars``)
        self.words = words
        self.chars = 0
        self.texts: list[str] = []
        self.splits: list[list[str]] = []  # each text's _NAME_SPLIT: gap, word, gap, ..., word, gap
        self.known: dict[str, bool] = dict.fromkeys(TITLE_WORDS, True)
        self.seen: set[str] | None = None  # every pair, once collected
        self.budget = 0  # characters the searches may still read

    def add(self, text: str, parts: list[str]) -> None:
        self.texts.append(text)
        self.splits.append(parts)
        self.chars += len(text)
        self.budget += _PAIR_SEARCHES * len(text)

    def __contains__(self, pair: object) -> bool:
        hit = self.known.get(pair)  # (asked again and again: the answer first, the type only when new)
        if hit is None:
            if not isinstance(pair, str):
                return False
            hit = self.known[pair] = self._seen(pair)
        return hit

    def _seen(self, pair: str) -> bool:
        a, _, b = pair.partition(" ")
        if not (a.isalpha() and a.islower() and b.isalpha() and b.islower()):
            return False
        if self.seen is None and self.budget > 0:
            if self.words is not None and a[0].islower() and b[0].islower() and (
                    a not in self.words or b not in self.words):
                self.budget -= self.chars  # (what the search would have read, so it ends as before)
                return False  # (a text holding the pair holds both as words starting lower case)
            return self._search(pair)
        if self.seen is None:
            self.seen = set()
            for parts in self.splits:
                words = parts[1::2]
                # (the gap after word i is parts[2i + 2]: a pair is two words one space apart)
                self.seen.update(map(" ".join, compress(zip(words[:-1], words[1:], strict=True),
                                                        map(" ".__eq__, parts[2:-1:2]))))
        return pair in self.seen

    def _search(self, pair: str) -> bool:
        for text in self.texts:
            self.budget -= len(text)
            at = text.find(pair)
            while at != -1:
                end = at + len(pair)
                if _token_edge_before(text, at) and _token_edge_after(text, end):
                    return True
                at = text.find(pair, at + 1)
        return False


_PAIR_SEARCHES = 64  # (a typical cluster asks about 40 pairs: it never collects them)


def _token_edge_before(text: str, at: int) -> bool:
    """A name token (lang.tokens.name_tokens) can start at ``at``: no word character (nor a
    joiner "." "&" "'" "-" after one) runs into it."""
    if at == 0:
        return True
    if _WORD_CHAR.match(text, at - 1):
        return False
    return not (text[at - 1] in _JOINERS and at >= 2 and _WORD_CHAR.match(text, at - 2))


def _token_edge_after(text: str, end: int) -> bool:
    if end < len(text) and _WORD_CHAR.match(text, end):
        return False
    return not (end + 1 < len(text) and text[end] in _JOINERS and _WORD_CHAR.match(text, end + 1))


_WORD_CHAR = re.compile(r"[^\W_]")
_JOINERS = frozenset(".&'’-")


@dataclass(slots=True)
class _Vocabulary:
    """Cluster-wide evidence gathered while tokenising: words seen in lower case (so a capitalised
    sentence opener is a common word), capitalised forms seen mid-sentence (so they are names),
    and "x y" pairs of lower-case words one space apart (so "Ngoại giao" is a word, not a name)."""

    lowercase: set[str] = field(default_factory=set)
    midcaps: set[str] = field(default_factory=set)
    pairs: _Pairs = field(init=False)

    def __post_init__(self) -> None:
        self.pairs = _Pairs(self.lowercase)

    def see_capitalised(self, text: str, w: str, start: int) -> None:
        if w not in self.midcaps and start:
            before = text[max(0, start - 2) : start]
            if _MID_BEFORE.fullmatch(before):
                self.midcaps.add(w)


def _tokens(text: str, sentence_starts: set[int], vocab: _Vocabulary,
            at: dict[str, list[int]] | None = None) -> _Toks:
    """Tokens of ``text`` (one pass, also feeding ``vocab``). The hot loop of who's who: the
    words and their attributes are built column by column (split, accumulate, map: loops in C)
    and only the capitalised words take a Python step."""
    parts = _NAME_SPLIT.split(text)  # gap, word, gap, word, ..., gap
    vocab.pairs.add(text, parts)
    words = parts[1::2]
    n = len(words)
    if not n:
        return _Toks([], [], [], [], [], [], [], [])
    gaps = parts[0:-1:2]  # the text before each word
    offsets = list(accumulate(map(len, parts)))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    lows = list(map(_FOLDED.__getitem__, words))
    lowerfirst = list(map(str.islower, map(itemgetter(0), words)))
    # (set in the loop below over the words not starting lower case: a few, a step each is
    # cheaper than a pass over every word)
    caps = [False] * n
    acronyms = [False] * n
    vocab.lowercase.update(compress(words, lowerfirst))
    # A token opens a sentence at a sentence start, after a line break, or after an opening
    # quote / colon / dash that starts reported speech (or as the text's first token).
    # An opener is never inside a word (no joiner, and a "." before a blank ends no word): it is in
    # the gap before the word it marks, so each gap is asked once (a few distinct gaps, looked up).
    sent = list(map(_OPENER_GAPS.__getitem__, gaps))
    sent[0] = sent[0] or gaps[0] != " "
    for s in sentence_starts:
        i = bisect_left(starts, s)
        if i < n and starts[i] == s:
            sent[i] = True
    midcaps = vocab.midcaps
    mid_before = _MID_BEFORE_SEEN
    glued: list[tuple[int, re.Match[str]]] = []
    for i in list(compress(range(n), map(not_, lowerfirst))):  # capitalised words, codes, acronyms
        w = words[i]
        if "." in w and (ab := _ADMIN_GLUED.match(w)) and ab.group(1).casefold() in ADMIN_ABBREVIATIONS and (
                w[ab.end()].isupper()):
            glued.append((i, ab))  # split below
            continue
        caps[i] = w[0].isupper()
        acronyms[i] = len(w) >= 2 and w.isupper()
        if w not in midcaps:
            start = starts[i]
            # (_Vocabulary.see_capitalised inlined: the two characters before, looked up)
            if start:
                before = text[max(0, start - 2) : start]
                ok = mid_before.get(before)
                if ok is None:
                    ok = _mid_before(before)
                if ok:
                    midcaps.add(w)
    see_capitalised = vocab.see_capitalised
    cols = (words, starts, ends, lows, caps, acronyms, sent, lowerfirst, gaps)
    for i, ab in reversed(glued):
        # "H.Ngọc" / "TP.HCM": the administrative abbreviation and the name are two tokens.
        w, start, end, ss = words[i], starts[i], ends[i], sent[i]
        a = ab.group(1)
        cut = start + ab.end(1)
        see_capitalised(text, a, start)
        rest = w[ab.end(1) + 1 :]  # (capitalised)
        if rest not in midcaps:
            see_capitalised(text, rest, cut + 1)
        pieces = ((a, rest), (start, cut + 1), (cut, end), (a.casefold(), rest.casefold()),
                  (True, rest[0].isupper()), (cut - start >= 2, len(rest) >= 2 and rest.isupper()), (ss, False),
                  (False, False), (gaps[i], "."))
        for col, two in zip(cols, pieces, strict=True):
            col[i : i + 1] = two
    if at is not None:
        at.update(_pass_index(words, caps, acronyms))
    return _Toks(words, starts, ends, lows, caps, acronyms, sent, gaps)


class _Folded(dict[str, str]):
    """Word -> its case fold, filled as words are met: a pile's words are a few thousand syllables and
    names said again and again, so most are looked up, not folded anew (and the folded column shares
    its strings, whose hashes the lookups below then find computed)."""

    def __missing__(self, word: str) -> str:
        low = word.casefold()
        if len(self) < _FOLDED_MAX:
            self[word] = low
        return low


_FOLDED = _Folded()
_FOLDED_MAX = 1 << 16  # (bounded: numbers and rare names would grow it without end)


class _OpenerGaps(dict[str, bool]):
    """Gap between two words -> an opener (_OPENER) is in it; filled as gaps are met."""

    def __missing__(self, gap: str) -> bool:
        hit = _OPENER.search(gap) is not None
        if len(self) < _OPENER_GAPS_MAX:
            self[gap] = hit
        return hit


_OPENER_GAPS = _OpenerGaps()
_OPENER_GAPS_MAX = 1 << 16  # (gaps are a few hundred strings; bounded all the same)


# _MID_BEFORE.fullmatch of the two characters before a capitalised word, by those characters (a
# few hundred strings: a dict lookup per word instead of a regex match)
_MID_BEFORE_SEEN: dict[str, bool] = {}
_MID_BEFORE_MAX = 1 << 16  # (bounded all the same)


def _mid_before(before: str) -> bool:
    ok = _MID_BEFORE.fullmatch(before) is not None
    if len(_MID_BEFORE_SEEN) < _MID_BEFORE_MAX:
        _MID_BEFORE_SEEN[before] = ok
    return ok


_NAME_SPLIT = re.compile(f"({_NAME_TOKEN.pattern})")


def _joinable(text: str, toks: _Toks, a: int, b: int) -> bool:
    """Tokens ``a`` and ``b = a + 1`` may belong to one name: the gap between them joins."""
    gap = toks.gap[b]
    return gap == " " or gap == " & " or (
        gap == " - " and toks.cap[b] and toks.cap[a] and len(toks.text[b]) > 1) or (
        # "H.Ngọc", "TP.HCM"
        toks.tag[a] in ("admin", "loc") and gap in (".", ". ") and toks.low[a] in ADMIN_ABBREVIATIONS)


def _match_at(toks: _Toks, i: int, index: _PhraseIndex) -> int:
    """Length (in tokens) of the longest lexicon entry starting at token ``i``, else 0."""
    low = toks.low
    entries = index.get(low[i])
    if not entries:
        return 0
    m = len(low)
    if i + 1 >= m or (low[i], low[i + 1]) not in index.pairs:  # no longer entry goes on here
        return 1 if low[i] in index.singles else 0
    for parts in entries:  # (longest first; the first word is the index key)
        n = len(parts)
        if n == 1:
            return 1
        if i + n <= m:
            for k in range(1, n):
                if low[i + k] != parts[k]:
                    break
            else:
                return n
    return 0


# --- candidates -----------------------------------------------------------------------------


@dataclass(slots=True)
class Cand:
    name: str
    article: str
    start: int
    end: int
    sentence: int
    kind: str = ""  # "person" | "organization" | "location" | "" (unknown)
    role: str = ""
    gender: str | None = None
    evidence: set[str] = field(default_factory=set)
    canonical: str = ""  # gazetteer canonical for locations


def _sentence_of(starts: list[int], pos: int) -> int:
    """Index of the sentence holding ``pos``: the last one starting at or before it (0 if none)."""
    return max(bisect_right(starts, pos) - 1, 0)


def _sentence_starts(article: Article) -> list[int]:
    # Extraction requires the segment stage (the pipeline runs it first): no re-segmenting here.
    return [s.start for s in article.sentences]


def _role_before(text: str, toks: _Toks, i: int) -> tuple[str, int]:
    """Role phrase ending right before token ``i`` ("Thứ trưởng Ngoại giao Nga"), and its start index."""
    gaps, tags, low = toks.gap, toks.tag, toks.low
    first = max(i - 20, 0)  # (20 steps back at most)
    if "role_head" not in tags[first:i]:
        return "", -1  # (most names: no title tagged within reach, told by one C-level scan)
    for j in range(i - 1, first - 1, -1):
        gap = gaps[j + 1]
        if gap != " " and _CLAUSE_BREAK.search(gap.replace("(", "").replace(")", "")):  # (most gaps: one space)
            break
        tag = tags[j]
        if tag == "role_head":
            k = j
            while k > 0 and toks.low[k - 1] in ROLE_MODIFIERS and toks.gap[k] == " ":
                k -= 1
            end = toks.end[i - 1]
            if text[end : end + 1] == ")" and text.count("(", toks.start[k], end) > text.count(")", toks.start[k], end):
                end += 1  # "… Liên minh châu Âu (EU) Josep Borrell": the parenthesis closes in the role
            return text[toks.start[k] : end].strip(" ,-–("), k
        if tag == "person" or (tag == "" and low[j] in _ROLE_BREAK and not (
                low[j] == "và" and (toks.cap[j + 1] or (j > 0 and not toks.cap[j - 1])))):
            break  # ("và" between lower-case words is inside the role: "chính sách an ninh và đối ngoại")
    return "", -1


def _role_clause_before(text: str, toks: _Toks, s: int) -> str:
    """Role-first apposition: "Trưởng nhóm nghiên cứu … tại Viện …, ông Nikita Bondarev" — a
    clause that opens with a title, then a comma and the honorific + name."""
    h = s - 1
    if h < 1 or toks.tag[h] != "hon" or toks.gap[h] != ", ":
        return ""
    c = h - 1
    while c > 0 and h - c < _ROLE_MAX_TOKENS and not toks.sent_start[c] and not _CLAUSE_BREAK.search(
            toks.gap[c].replace("(", "").replace(")", "")):
        c -= 1
    if h - c >= _ROLE_MAX_TOKENS:
        return ""
    k = c
    while k < h - 1 and toks.low[k] in ROLE_MODIFIERS and toks.tag[k] != "role_head":
        k += 1
    if toks.tag[k] != "role_head":
        return ""
    return text[toks.start[c] : toks.end[h - 1]].strip(" ,-–(")


def _role_after(text: str, toks: _Toks, i: int) -> str:
    """Appositive role: "Nguyễn Thị Phương Thảo, Tổng giám đốc Vietjet" / "Thắng - Chủ tịch Hội ..."."""
    if i + 1 >= len(toks):
        return ""
    gap = toks.gap[i + 1]
    if gap == " " or not _APPOSITION_GAP.fullmatch(gap):  # ", " / " - " / "- " (typed sloppily: "Huấn- Phó Giám đốc")
        return ""
    j = i + 1
    while j < len(toks) and toks.low[j] in ROLE_MODIFIERS and toks.tag[j] != "role_head":
        j += 1
    if j >= len(toks) or toks.tag[j] != "role_head":
        return ""
    end = j
    complete = False
    dashed = "," not in gap  # "Huấn- Phó Giám đốc Sở …- vừa ký": the closing dash ends the role
    while end + 1 < len(toks) and end - j < _ROLE_MAX_TOKENS:
        g = toks.gap[end + 1]
        if ((_CLAUSE_BREAK.search(g) and not _joinable(text, toks, end, end + 1)) or "(" in g
                or (dashed and _APPOSITION_GAP.fullmatch(g) and "," not in g)
                or (toks.low[end + 1] in _SPEECH_STOP and not _completes_word(toks, end, end + 1))):
            complete = True  # the apposition ends here ("(RIAC)" is the org's, not the role's)
            break
        if toks.low[end + 1] in VN_SURNAMES and toks.cap[end + 1] and toks.tag[end + 1] not in ("loc", "location"):
            return ""  # "Đình Luật, HLV Nguyễn Hữu Thắng quyết định …": a new subject, not an apposition
        end += 1
    if not complete and end + 1 < len(toks):
        # Cut by the length limit: end before the last connector rather than mid-phrase
        # ("Giám đốc chương trình của Hội đồng Nga về các vấn" -> "... của Hội đồng Nga").
        k = max((q for q in range(j + 1, end + 1) if toks.low[q] in _ROLE_CONNECTORS), default=None)
        if k is not None:
            end = k - 1
    return text[toks.start[i + 1] : toks.end[end]].strip()


def _ends_vn_name(text: str, toks: _Toks, i: int) -> bool:
    """Token ``i`` continues a run of capitalised free syllables that starts with a Vietnamese surname."""
    j = i
    while j > 0 and i - j < 3 and toks.cap[j - 1] and not toks.tag[j - 1] and not toks.acronym[j - 1] and (
            toks.gap[j] == " "):
        j -= 1
        if toks.low[j] in VN_SURNAMES:
            return True
    return False


def _place_list(text: str, toks: _Toks, e: int, loc_spans: list[tuple[int, int]]) -> int:
    """"các xã Tân Lập, Động Quan, Phúc Lợi và Tô Mậu": after a plural prefix, the names listed
    are places of that level too. Tags them and returns the last token of the list."""
    n = len(toks)
    while e + 1 < n:
        p = e + 1
        gap = toks.gap[p]  # (p = e + 1)
        if gap == " " and toks.low[p] == "và" and p + 1 < n:
            p += 1
        elif gap != ", ":
            break
        r = p
        while (r + 1 < n and r - p < _PLACE_MAX_TOKENS - 1 and toks.cap[r + 1] and toks.tag[r + 1] in ("", "loc")
               and toks.gap[r + 1] == " "):
            r += 1
        if not (toks.cap[p] and toks.tag[p] in ("", "loc") and not toks.acronym[p]):
            break
        for q in range(p, r + 1):
            toks.tag[q] = "loc"
        loc_spans[:] = [(a, b) for a, b in loc_spans if b < p or a > r]  # ("Chương Mỹ" is not Mỹ)
        loc_spans.append((p, r))
        e = r
    return e


def _noise_token(text: str, toks: _Toks, i: int) -> bool:
    """A lone token that names nothing: a letter ("mố A"), a code ("H8", "T1"), a Roman numeral
    ("cấp VI"), a unit or abbreviation, a two-letter acronym not known to be an organisation, or
    a fragment of a sloppily hyphenated abbreviation ("NN- PTNT")."""
    w = toks.text[i]
    if w in KNOWN_SHORT:
        return False
    if _code_like(w):
        return True
    if not toks.acronym[i]:
        return False
    start, end = toks.start[i], toks.end[i]
    return (w.upper() in NON_ENTITY_ACRONYMS or len(w) > 8 or len(w) == 2
            or text[end : end + 2] == "- " or text[max(0, start - 2) : start] in ("- ", " -"))


@lru_cache(maxsize=65536)
def _code_like(w: str) -> bool:
    """A letter, a code ("H8", "T1") or a Roman numeral ("VI"): a pure function of the word, cached."""
    return len(w) < 2 or bool(_CODE.fullmatch(w)) or (len(w) <= 4 and bool(_ROMAN.fullmatch(w)))


def _completes_word(toks: _Toks, prev: int, i: int) -> bool:
    """Token ``i`` is the second syllable of a known word ("vấn đề"), not a verb ("đề nghị")."""
    return f"{toks.low[prev]} {toks.low[i]}" in TITLE_WORDS


_ROLE_MAX_TOKENS = 18
_SOLO_MIN = 2  # a stand-alone capitalised word seen this often is a name ("Boeing là …")
_FUZZY_MIN_LEN = 4  # shorter surnames must match exactly
# ranking: articles naming it, mentions (log), lead-sentence mentions (capped), a known role
_W_ARTICLES, _W_MENTIONS, _W_LEAD, _W_ROLE = 3.0, 1.5, 0.5, 1.0
_LEAD_SENTENCES, _LEAD_CAP = 2, 4
_PLACE_DISCOUNT = 0.6
_PLACE_MAX_TOKENS = 4  # a place name after its prefix runs at most this many syllables
_ANAPHOR_SENTENCES = 2  # "nước này" points to a country named in this sentence or the two before
# "nước này" / "tổ chức đó" -> what the noun points to ("location:country", "organization")
ROLE_ANAPHORS = lexicon.table("role_anaphors")
_ROLE_ANAPHOR = regex.compile(
    r"(?i)\b(?P<noun>" + "|".join(sorted(map(regex.escape, ROLE_ANAPHORS), key=len, reverse=True))
    + r")\s+(?:" + "|".join(lexicon.words("demonstratives")) + r")\b")
_DANGLING = regex.compile(r"(?i)\s+(?:" + "|".join(lexicon.words("role_connectors")) + r")\s*$")
_SPACES = regex.compile(r"\s{2,}")
_COUNTERPART = "người đồng cấp"  # "Lavrov và người đồng cấp Mỹ Blinken": the same title, another country
_ROLE_CONNECTORS = lexicon.word_set("role_connectors")


_ORG_STOP = lexicon.word_set("org_stop")
_ORG_STRETCH = 3  # lower-case words inside an organisation name before a capitalised one
_ORG_STRETCH_MAX = 8  # ... before the level and place it belongs to ("… thiên tai tỉnh Yên Bái")
_SPEECH_STOP = lexicon.word_set("speech_stop")


_ACRONYM_AFTER = regex.compile(r"\s*\(\s*(\p{Lu}[\p{Lu}\p{N}&]{1,9})\s*\)")
# Lower-case words that may sit inside a long organisation name ("... về các vấn đề quốc tế").
_ORG_INNER = lexicon.word_set("org_inner")


_BLANKS = regex.compile(r"\s*")


def _acronym_after(text: str, end: int) -> regex.Match[str] | None:
    """``_ACRONYM_AFTER.match(text, end)``, bounded: with no end position ``regex`` looks for the
    "(" up to the end of the text on every call (quadratic in an article's length), so the match
    is tried only at a "(" after blanks, and ends at the first ")"."""
    at = _BLANKS.match(text, end).end()
    if text[at : at + 1] != "(":
        return None
    close = text.find(")", at)
    return _ACRONYM_AFTER.match(text, end, close + 1) if close != -1 else None


def _extend_to_acronym(text: str, toks: _Toks, end: int, limit: int = 8) -> int:
    """An organisation name defined by an acronym runs up to it: "Hội đồng Nga về các vấn đề
    quốc tế (RIAC)" is one name, though "về"/"các" would otherwise end it after "Nga"."""
    if end + 1 >= len(toks) or (toks.low[end + 1] in _ORG_STOP and toks.low[end + 1] not in _ORG_INNER):
        return end  # (a plain lower-case word may continue it: "Sở Giao thông Vận tải (GTVT)")
    n = len(toks.text)
    for q in range(end + 1, min(n, end + 1 + limit)):
        low = toks.low[q]
        if (not _joinable(text, toks, q - 1, q) or toks.acronym[q] or toks.tag[q] in ("role_head", "role_tail", "hon")
                or (not toks.cap[q] and low not in _ORG_INNER and low in _ORG_STOP
                    and not _completes_word(toks, q - 1, q))):
            return end
        if q + 1 < n and "(" not in toks.gap[q + 1]:
            continue  # (no "(" before the next word: no acronym after this one, told without a match)
        m = _acronym_after(text, toks.end[q])
        if m:
            return q if m.group(1) not in NON_ENTITY_ACRONYMS else end
    return end


@dataclass(slots=True)
class _Doc:
    """One article while its candidates are found: the passes below tag ``toks`` in place (the tag
    says which pass claimed a token: "date", "role_head"/"role_tail", "hon", "loc", "admin",
    "orghead", "organization", "location", "person") and append to ``cands``."""

    article: Article
    toks: _Toks
    starts: list[int]  # sentence starts
    gaz: dict[str, tuple[str, str]]
    cands: list[Cand] = field(default_factory=list)
    loc_spans: list[tuple[int, int]] = field(default_factory=list)  # place token spans, emitted after pass 1
    at: dict[str, list[int]] = field(default_factory=dict)  # the tokens each pass can act on (_pass_index)

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def n(self) -> int:
        return len(self.toks)

    def add(self, s: int, e: int, kind: str = "", **kw: object) -> Cand:
        """A candidate over tokens ``s..e`` (inclusive); its tokens are tagged with ``kind``."""
        text, toks = self.article.text, self.toks
        start, end = toks.start[s], toks.end[e]
        c = Cand(text[start:end], self.article.id, start, end, _sentence_of(self.starts, start), kind)
        for key, val in kw.items():
            setattr(c, key, val)
        self.cands.append(c)
        for q in range(s, e + 1):
            toks.tag[q] = kind or "person"
        return c

    def name_len(self, i: int, names: str = "places.tsv") -> int:
        """Tokens of the longest name of the ``names`` table (the gazetteer, the outlets) starting at ``i``."""
        toks = self.toks
        low = toks.low
        if low[i] not in _heads(names) or not (toks.cap[i] or low[i] in _LOWER_PLACE_HEADS):
            return 0
        table = lexicon.name_table(names)
        prefixes = _prefixes(names)
        phrase = low[i]  # (the first word's case-folded form is its column)
        best = 1 if phrase in table else 0
        if phrase not in prefixes:
            return best  # (no longer name starts so: most phrases stop at their first word)
        text, words, gap = self.article.text, toks.text, toks.gap
        phrase = words[i]
        for k in range(i + 1, min(i + 5, len(low))):
            if not _joinable(text, toks, k - 1, k) and not (low[k - 1] in ADMIN_ABBREVIATIONS and gap[k] == "."):
                break  # ("TP.HCM" is tokenised "TP" + "HCM")
            phrase = phrase + gap[k] + words[k]
            folded = phrase.casefold()
            if folded in table:
                best = k - i + 1
            if folded not in prefixes:
                break
        return best


def _article_candidates(
    article: Article, toks: _Toks, lowercase_vocab: set[str], midcaps: set[str], solo: set[str],
    bigrams: set[str], at: dict[str, list[int]],
) -> list[Cand]:
    """Candidate mentions of one article; ``toks`` (from :func:`_tokens`) get tagged in place.

    Passes in order, each claiming tokens the earlier ones left free: dates and titles, news
    outlets, gazetteer places, prefixed places, organisations, then the remaining capitalised
    runs (people, or what the cluster's evidence says); hyphenated pairs are split; roles resolved.
    """
    doc = _Doc(article, toks, _sentence_starts(article), gazetteer(), at=at)
    _tag_dates_and_heads(doc)
    _pass_outlets(doc)
    _pass_gazetteer(doc)
    _pass_prefixed_places(doc)
    _pass_organisations(doc, bigrams)
    _emit_places(doc)
    _pass_name_runs(doc, lowercase_vocab, midcaps, solo, bigrams)
    _split_hyphenated(doc)
    _resolve_roles(doc.cands, doc.text, doc.starts)
    return doc.cands


@lru_cache(maxsize=1)
def _pass_words() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Lower-case word -> the passes whose lexicon it starts an entry of (see _pass_index): for the
    word written in lower case, and capitalised (outlets, organisations and most places need a capital)."""
    words: dict[str, list[str]] = defaultdict(list)
    for name, vocab in (("date", _DATE_INDEX), ("head", (*_ROLE_INDEX, *HONORIFICS)), ("outlet", _heads("outlets.tsv")),
                        ("place", _heads("places.tsv")), ("admin", (*_ADMIN_INDEX, *ADMIN_ABBREVIATIONS)),
                        ("org", _ORG_INDEX)):
        for w in set(vocab):
            words[w].append(name)
    lower = {w: tuple(p for p in ps if p not in _NEED_CAP and (p != "place" or w in _LOWER_PLACE_HEADS))
             for w, ps in words.items()}
    return {w: ps for w, ps in lower.items() if ps}, {w: tuple(ps) for w, ps in words.items()}


_PASSES = ("date", "head", "outlet", "place", "admin", "org")
_NEED_CAP = frozenset({"outlet", "org"})
_LOWER_PLACE_HEADS = ("châu", "miền")  # place names that start lower case ("châu Âu", "miền Bắc")


def _pass_index(words: list[str], caps: list[bool], acronyms: list[bool]) -> dict[str, list[int]]:
    """For each pass, the indices of the tokens it can act on (a lexicon entry starts there, with
    the case the pass needs): the passes step from one to the next instead of looking at every
    word. Built from the token columns of _tokens: one C-level pass looks every word up as written
    (_WORD_PASSES), in text order (so no list needs sorting); only the words starting an entry take
    a Python step. (Sorting out the lower-case words first, in C, cost more than the Python steps
    it spared: it read every token twice more.)"""
    at: dict[str, list[int]] = {k: [] for k in _PASSES}
    passes = list(map(_WORD_PASSES.__getitem__, words))
    for q in compress(count(), passes):
        for p in passes[q]:
            at[p].append(q)
    at["cap"] = list(compress(count(), caps))
    glued = [q for q in compress(count(), acronyms) if "-" in words[q]]
    if glued:  # "TTK-NATO": a title abbreviation glued to the organisation
        at["head"] = sorted({*at["head"], *glued})
    return at


class _WordPasses(dict[str, tuple[str, ...]]):
    """Word as written -> the passes it starts a lexicon entry of (see _pass_words: lower case or
    capitalised), () for most words; filled as words are met (a pile's words repeat)."""

    def __missing__(self, word: str) -> tuple[str, ...]:
        lower_words, capitalised_words = _pass_words()
        low = _FOLDED[word]
        passes = capitalised_words.get(low, ()) if word[0].isupper() else lower_words.get(low, ())
        if len(self) < _FOLDED_MAX:
            self[word] = passes
        return passes


_WORD_PASSES = _WordPasses()


def _tag_dates_and_heads(doc: _Doc) -> None:
    """Weekday/month names are dates; role heads, honorifics are tagged."""
    toks, n = doc.toks, doc.n
    for i in doc.at["date"]:
        if not toks.tag[i]:
            for q in range(i, i + _match_at(toks, i, _DATE_INDEX)):
                toks.tag[q] = "date"
    # Tag role heads, honorifics and org heads (org heads only when capitalised).
    tag, low, cap, acronym = toks.tag, toks.low, toks.cap, toks.acronym
    role_pairs, role_singles = _ROLE_INDEX.pairs, _ROLE_INDEX.singles
    nxt = 0  # the first token still to look at (the tokens before it are read)
    for i in doc.at["head"]:
        if i < nxt or tag[i]:
            continue
        w = low[i]
        if w not in _ROLE_INDEX:
            k = 0
        elif i + 1 < n and (w, low[i + 1]) in role_pairs:
            k = _match_at(toks, i, _ROLE_INDEX)
        else:  # (_match_at's quick answer, inlined: most words here start only longer entries)
            k = 1 if w in role_singles else 0
        if not k and acronym[i] and "-" in w and w.split("-")[0] in ROLE_ABBREVIATIONS:
            k = 1  # "TTK-NATO Jen Stoltenberg": title abbreviation glued to the organisation
        if k and not (acronym[i] and w.split("-")[0] not in ROLE_ABBREVIATIONS):
            tag[i] = "role_head"
            for q in range(i + 1, i + k):
                tag[q] = "role_tail"
            nxt = i + k
            continue
        if w in HONORIFICS and (i + 1 < n and cap[i + 1]) and not acronym[i]:
            # "Ông"/"Bà" at sentence start is still an honorific when a name follows.
            tag[i] = "hon"


def _pass_outlets(doc: _Doc) -> None:
    """News outlets and agencies: always organisations."""
    text, toks = doc.text, doc.toks
    # Pass 00: news outlets and agencies from ``outlets.tsv`` ("báo Thanh niên", "Reuters"): always
    # organisations. A name not capitalised throughout ("Thanh niên") only after an outlet cue.
    out_table, heads = outlets(), _heads("outlets.tsv")
    for i in doc.at["outlet"]:
        g = doc.name_len(i, "outlets.tsv") if toks.cap[i] and not toks.tag[i] and toks.low[i] in heads else 0
        if not g or any(toks.tag[q] for q in range(i, i + g)):
            continue
        if not all(toks.cap[i : i + g]) and not any(
                i - b >= 0 and _match_at(toks, i - b, _OUTLET_CUE_INDEX) == b for b in (1, 2)):
            continue
        name = text[toks.start[i] : toks.end[i + g - 1]]
        doc.add(i, i + g - 1, "organization", canonical=out_table[name.casefold()][0])


def _pass_gazetteer(doc: _Doc) -> None:
    """Places from the gazetteer ("Nga", "Thụy Sĩ", "châu Âu")."""
    text, toks, n = doc.text, doc.toks, doc.n
    heads = _heads("places.tsv")
    # Pass 0: places from the gazetteer ("Nga", "Thụy Sĩ", "châu Âu").
    nxt = 0  # the first token still to look at (the tokens before it are read)
    for i in doc.at["place"]:
        if i < nxt:
            continue
        g = doc.name_len(i) if not toks.tag[i] and toks.low[i] in heads and (
            toks.cap[i] or toks.low[i] in _LOWER_PLACE_HEADS) else 0
        after = i + g
        # "Đức Huy" is a Vietnamese given name, not Germany + Huy: a place followed by a single
        # Vietnamese syllable (and nothing more) is left to the name rules.
        vn_name = (g and after < n and toks.cap[after] and _joinable(text, toks, after - 1, after)
                   and _VN_MARKS.search(toks.text[after]) and not doc.name_len(after)
                   and not (after + 1 < n and toks.cap[after + 1] and _joinable(text, toks, after, after + 1))
                   and not (i > 0 and toks.tag[i - 1] in ("role_head", "role_tail")))
        # "báo New York Times", "tờ Washington Post": after an organisation cue, a place followed
        # by more capitalised words starts the organisation's name, which pass 2 collects.
        org_name = (g and after < n and toks.cap[after] and not toks.tag[after]
                    and _joinable(text, toks, after - 1, after)
                    and any(i - b >= 0 and not toks.cap[i - b] and _match_at(toks, i - b, _ORG_CUE_INDEX) == b
                            for b in (1, 2)))
        if org_name:
            nxt = after + 1
            continue
        # "Phạm Văn Đức", "Lê Anh": a one-syllable place ending a Vietnamese name run is a given name.
        vn_name = vn_name or (g == 1 and _ends_vn_name(text, toks, i))
        if g and not vn_name and not (g == 1 and toks.sent_start[i] and toks.low[i] in COMMON_CAPS):
            s0 = i
            # "CH Montenegro", "Cộng hòa Séc": the state form is part of the country's name.
            for b in (1, 2):
                if i - b >= 0 and not toks.tag[i - b] and toks.cap[i - b] and _match_at(
                        toks, i - b, _STATE_INDEX) == b and _joinable(text, toks, i - b, i - b + 1):
                    s0 = i - b
                    break
            for q in range(s0, i + g):
                toks.tag[q] = "loc"
            doc.loc_spans.append((s0, i + g - 1))
            nxt = i + g
        else:
            nxt = i + 1


def _pass_prefixed_places(doc: _Doc) -> None:
    """Places after an administrative or geographic prefix ("xã Đất Mũi")."""
    text, toks, n = doc.text, doc.toks, doc.n
    loc_spans = doc.loc_spans
    # Pass 0b: places marked by an administrative or geographic prefix ("xã Đất Mũi", "H.Ngọc
    # Hiển", "cầu Ô Rô"): no gazetteer lists every commune, but the prefix says what follows.
    nxt = 0  # the first token still to look at (the tokens before it are read)
    for i in doc.at["admin"]:
        if i < nxt:
            continue
        k = 0
        if not toks.tag[i] and i + 1 < n:
            low, cap, end = toks.low[i], toks.cap[i], toks.end[i]
            if (not cap or toks.sent_start[i]) and low in _ADMIN_INDEX:
                k = _match_at(toks, i, _ADMIN_INDEX)
                if k and i > 0 and f"{toks.low[i - 1]} {low}" in _NOT_PREFIX:
                    k = 0  # the second syllable of a word ("yêu cầu Bộ …"), not a prefix
            elif cap and low in ADMIN_ABBREVIATIONS and toks.cap[i + 1] and (
                    toks.gap[i + 1] in (".", ". ") or (low == "tp" and toks.start[i + 1] == end + 1)
            ) and not (len(toks.text[i]) == 1 and i > 0 and toks.cap[i - 1] and not toks.acronym[i - 1]
                       and toks.tag[i - 1] in ("", "loc")):
                # (not after a capitalised name: "George H. W. Bush" has initials, not a district)
                k = 1
        q = i + k
        if k and q < n and toks.tag[q] == "hon":
            toks.tag[q] = ""  # "TP Bà Rịa", "xã Bà Điểm": after a prefix "Bà" is part of the name, not "Mrs"
        if not k or q >= n or not toks.cap[q] or toks.tag[q] not in ("", "loc") or (toks.tag[q] != "loc" and (
                toks.acronym[q] or (toks.low[q] in _ORG_INDEX and _match_at(toks, q, _ORG_INDEX)))):
            # (an organisation is no place name)
            nxt = i + 1
            continue
        if (toks.low[q] in VN_SURNAMES and q + 2 < n and toks.cap[q + 1] and toks.cap[q + 2]
                and " ".join(toks.low[i:q]) not in STREET_PREFIXES
                and _joinable(text, toks, q, q + 1) and _joinable(text, toks, q + 1, q + 2)):
            # "Chủ tịch UBND tỉnh Tạ Văn Long": three syllables from a surname are a person, not a
            # place ("đường Nguyễn Chí Thanh" is: streets are named after people)
            nxt = i + 1
            continue
        for r in range(i, q):
            toks.tag[r] = "admin"
        if not _joinable(text, toks, q - 1, q):
            for r in range(i, q):
                toks.tag[r] = ""
            nxt = i + 1
            continue
        if toks.tag[q] == "loc":  # a known place after its prefix ("tỉnh Cà Mau")
            e = q
            while (e + 1 < n and e - q < _PLACE_MAX_TOKENS - 1 and toks.cap[e + 1] and toks.tag[e + 1] in ("", "loc")
                   and toks.gap[e + 1] == " "):
                e += 1
            if e > q and any(not (a <= q and e <= b) for a, b in loc_spans if a <= e and q <= b) or (
                    e > q and not any(a <= q and e <= b for a, b in loc_spans)):
                # "huyện Mỹ Đức": after its prefix the whole run is one name, not Mỹ + Đức
                loc_spans[:] = [(a, b) for a, b in loc_spans if b < q or a > e]
                for r in range(q, e + 1):
                    toks.tag[r] = "loc"
                loc_spans.append((q, e))
            else:
                e = max(b for a, b in loc_spans if a <= q <= b) if any(a <= q <= b for a, b in loc_spans) else q
            if i > 0 and (toks.low[i - 1] in PLURAL_MARKERS or toks.text[i - 1].isdigit()):
                e = _place_list(text, toks, e, loc_spans)
            nxt = e + 1
            continue
        e = q
        while (e + 1 < n and e - q < 3 and toks.cap[e + 1] and not toks.tag[e + 1]
               and _joinable(text, toks, e, e + 1)):
            e += 1
        if e == q and (len(toks.text[q]) < 2 or (toks.sent_start[q] and toks.low[q] in COMMON_CAPS)):
            for r in range(i, q):  # "mố cầu A": a one-letter label, not a place name
                toks.tag[r] = ""
            nxt = q
            continue
        for r in range(q, e + 1):
            toks.tag[r] = "loc"
        loc_spans.append((q, e))
        if i > 0 and (toks.low[i - 1] in PLURAL_MARKERS or toks.text[i - 1].isdigit()):
            e = _place_list(text, toks, e, loc_spans)
        nxt = e + 1


def _pass_organisations(doc: _Doc, bigrams: set[str]) -> None:
    """Organisations introduced by a capitalised head."""
    text, toks, n = doc.text, doc.toks, doc.n
    # Pass 1: organisations introduced by a capitalised head ("Bộ Ngoại giao Nga", "Tổ chức ...").
    # Vietnamese org names capitalise only the first syllable of each word ("Bộ Tài nguyên và
    # Môi trường"), so short lower-case stretches between capitalised words belong to the name.
    nxt = 0  # the first token still to look at (the tokens before it are read)
    for i in doc.at["org"]:
        if i < nxt:
            continue
        k = _match_at(toks, i, _ORG_INDEX) if toks.cap[i] and not toks.tag[i] and toks.low[i] in _ORG_INDEX else 0
        if not k:
            nxt = i + 1
            continue
        j = i + k - 1  # last token of the head
        company = " ".join(toks.low[i : j + 1]) in COMPANY_HEADS
        if company:  # "Cty TNHH", "Doanh nghiệp tư nhân": the legal form belongs to the head
            while j + 1 < n and _joinable(text, toks, j, j + 1) and not toks.tag[j + 1]:
                lf = _match_at(toks, j + 1, _LEGAL_INDEX) or (toks.acronym[j + 1] and len(toks.text[j + 1]) <= 5)
                if not lf:
                    break
                j += lf
        # "Văn phòng Ban Chỉ đạo …", "Hội đồng Tổ chức Hiệp ước …", "Tổ chức Hiệp ước …": nested
        # heads make one name. A sub-body of a named organisation ("Hội đồng" of NATO) is not that
        # organisation, so it takes no acronym of the inner name; "Tổ chức" only names (no sub-body).
        sub_body = nested = False
        while (j + 1 < n and toks.cap[j + 1] and toks.low[j + 1] in _ORG_INDEX
               and (inner := _match_at(toks, j + 1, _ORG_INDEX)) and _joinable(text, toks, j, j + 1)):
            sub_body = sub_body or " ".join(toks.low[i : j + 1]) not in NAMING_HEADS
            j += inner
            nested = True  # ("Văn phòng Chính phủ" is a name even with nothing after it)
        end = stretch_end = j
        q = j + 1
        while q < n and _joinable(text, toks, q - 1, q) and toks.tag[q] in ("", "date", "loc", "admin"):
            if toks.tag[q] == "admin":  # "UBND huyện Ngọc Hiển", "Sở GTVT tỉnh Cà Mau"
                g = q
                while g + 1 < n and toks.tag[g + 1] == "admin":
                    g += 1
                if g + 1 < n and toks.tag[g + 1] == "loc" and _joinable(text, toks, g, g + 1):
                    q = g + 1
                    continue
                break
            if (not toks.cap[q] and toks.low[q] in ADMIN_LEVELS and toks.acronym[j] and end == j
                    and not (q + 1 < n and toks.cap[q + 1] and _joinable(text, toks, q, q + 1))):
                end = q  # "UBND tỉnh" with the province understood
                break
            if toks.tag[q] == "loc":
                g = q
                while g + 1 < n and toks.tag[g + 1] == "loc" and _joinable(text, toks, g, g + 1):
                    g += 1
                end = g
                rest = g + 1
                # "Bộ Ngoại giao Mỹ Ned Price": the org ends at the country; a name may follow.
                # ("Hội đồng Nga - NATO" goes on: a dash joins the parties of a name)
                if (rest < n and toks.cap[rest] and toks.tag[rest] == "" and _joinable(text, toks, g, rest)
                        and toks.gap[rest] == " "):
                    break
                q = rest
                continue
            if toks.cap[q]:
                if (toks.low[q] in VN_SURNAMES and q + 1 < n and toks.cap[q + 1] and not company
                        and _joinable(text, toks, q, q + 1) and end > j):
                    end = max(end, stretch_end)
                    break  # "Bộ Khoa học và Công nghệ Phạm Công Tạc": a person's name follows
                end = q
                q += 1
                continue
            # lower-case stretch ("An ninh và Hợp tác", "Nông nghiệp và Phát triển"): keep it if
            # each word continues a known word (or is "và") and a capitalised word follows.
            r = q
            while (r < n and r - q < _ORG_STRETCH_MAX and not toks.cap[r] and toks.tag[r] in ("", "date")
                   and _joinable(text, toks, r - 1, r)
                   and (toks.low[r] == "và" or (f"{toks.low[r - 1]} {toks.low[r]}" in bigrams
                                                and toks.low[r] not in _ORG_STOP))):
                r += 1
            g = r
            while g < n and toks.tag[g] == "admin":
                g += 1
            if (r - q > _ORG_STRETCH and g > r and g < n and toks.tag[g] == "loc" and toks.low[r - 1] != "và"
                    and _joinable(text, toks, r - 1, r)):
                # "Ban Chỉ huy Tìm kiếm cứu nạn và giảm nhẹ thiên tai tỉnh Yên Bái": a body's long
                # lower-case name (longer than a stretch before a capital may be) runs to the level
                # and place it belongs to
                q = r
                continue
            r = min(r, q + _ORG_STRETCH)  # (otherwise a few words, then a capitalised one)
            if (r > q and r < n and _joinable(text, toks, r - 1, r) and toks.tag[r] in ("", "loc")
                    and (toks.cap[r] or toks.tag[r] == "loc") and toks.low[r - 1] != "và" or
                    (r > q and r < n and toks.low[r - 1] == "và" and toks.cap[r] and toks.tag[r] in ("", "loc")
                     and not _match_at(toks, r, _ORG_INDEX))):  # "Sở X và UBND tỉnh": two organisations
                if toks.low[r - 1] != "và":
                    stretch_end = r - 1  # kept even if a person's name follows ("… Công nghệ Phạm Công Tạc")
                q = r
                continue
            # otherwise one trailing syllable completes a two-syllable word ("Ngoại giao", "Nghề cá")
            if (end == q - 1 and toks.tag[end] == "" and toks.cap[end] and toks.tag[q] == ""
                    and f"{toks.low[end]} {toks.low[q]}" in bigrams):
                end = q
            break
        if end > j or nested:
            end = _extend_to_acronym(text, toks, end)
            doc.add(i, end, "organization", evidence={"sub_body"} if sub_body else set())
            nxt = end + 1
        else:
            for q in range(i, j + 1):
                toks.tag[q] = "orghead"
            nxt = j + 1


def _emit_places(doc: _Doc) -> None:
    """The place spans still standing after the organisations took theirs."""
    text, toks = doc.text, doc.toks
    loc_spans, gaz = doc.loc_spans, doc.gaz
    tags = toks.tag
    for s0, e0 in loc_spans:
        span = tags[s0 : e0 + 1]
        if span.count("loc") == len(span):  # (every token still the place's)
            seg = text[toks.start[s0] : toks.end[e0]]
            hit = gaz.get(seg.casefold())
            if hit is None and toks.low[s0] in _STATE_INDEX and _match_at(toks, s0, _STATE_INDEX):
                hit = gaz.get(text[toks.start[s0 + _match_at(toks, s0, _STATE_INDEX)] : toks.end[e0]].casefold())
            doc.add(s0, e0, "location", canonical=hit[0] if hit else seg)


def _pass_name_runs(doc: _Doc, lowercase_vocab: set[str], midcaps: set[str], solo: set[str], bigrams: set[str]) -> None:
    """Runs of capitalised free tokens: people, or what the evidence says."""
    text, toks, n = doc.text, doc.toks, doc.n
    article, starts, cands = doc.article, doc.starts, doc.cands
    # (the columns as locals: this loop reads them at every step)
    words, low, cap, acronym, sent_start, tag, gap = (toks.text, toks.low, toks.cap, toks.acronym, toks.sent_start,
                                                      toks.tag, toks.gap)
    tstart, tend = toks.start, toks.end
    # Pass 2: runs of capitalised free tokens.
    cap_at = doc.at["cap"]
    nxt = 0  # the first token still to look at (the tokens before it are read)
    # (the free ones only: a token this loop tags is before ``nxt``, so the filter reads the tags as they are)
    for i in compress(cap_at, map(not_, map(tag.__getitem__, cap_at))):
        if i < nxt:
            continue
        e = i
        while e + 1 < n and (gap[e + 1] == " " or _joinable(text, toks, e, e + 1)) and tag[e + 1] == "":
            if cap[e + 1]:
                e += 1
                continue
            # "Ursula von der Leyen", "Ludwig van Beethoven": lower-case particles inside a foreign name
            p = e + 1
            while (p < n and low[p] in NAME_PARTICLES and not cap[p] and p - e <= 2
                   and (gap[p] == " " or _joinable(text, toks, p - 1, p))):
                p += 1
            if p == e + 1 or p >= n or not (
                    cap[p] and tag[p] == "" and (gap[p] == " " or _joinable(text, toks, p - 1, p))):
                break
            e = p
        s = i
        # Peel sentence-initial common words ("Theo", "Ngày", "Sau" ...).
        while s <= e and sent_start[s] and (
            low[s] in COMMON_CAPS or (low[s] in lowercase_vocab and words[s] not in midcaps)
        ):
            s += 1
            if s <= e:
                sent_start[s] = True
        while s <= e and low[s] in COMMON_CAPS and words[s] not in midcaps:
            s += 1
        while s <= e:
            # "Boeing Ray Conner", "NATO Jens Stoltenberg": a known stand-alone name prefixing a person.
            if (e - s >= 2 and (low[s] in solo or acronym[s]) and low[s] not in VN_SURNAMES):
                doc.add(s, s, "organization")  # the employer before a person's name
                s += 1
                continue
            break
        if s > e:
            nxt = e + 1
            continue
        # (a one-word run's case-folded form is its column)
        if (low[s] if s == e else text[tstart[s] : tend[e]].casefold()) in DIRECTIONS and not (
                s > 0 and tag[s - 1] == "hon"):
            # ("ông Nam" is a man called Nam, not the south)
            nxt = e + 1
            continue
        if s == e and not acronym[s] and e + 1 < n and not cap[e + 1] and (
            gap[e + 1] == " " or _joinable(text, toks, e, e + 1)
        ) and (f"{low[s]} {low[e + 1]}" in bigrams or (
            low[s] in lowercase_vocab and not (s > 0 and tag[s - 1] in ("hon", "role_head", "role_tail"))
        )):
            # A lone capitalised common syllable before a lower-case one is the first syllable
            # of a word inside a title or name ("Thứ trưởng Ngoại giao", "phương Tây"), not a name.
            nxt = e + 1
            continue
        if s == e and _noise_token(text, toks, s):
            nxt = e + 1
            continue
        c = Cand(text[tstart[s] : tend[e]], article.id, tstart[s], tend[e],
                 max(bisect_right(starts, tstart[s]) - 1, 0))  # (_sentence_of, inlined)
        # (the cheap tests of the three role rules first: most names have no title next to them)
        role = _role_before(text, toks, s)[0] if "role_head" in tag[max(s - 20, 0) : s] else ""
        if not role and e + 1 < n and gap[e + 1] != " ":
            role = _role_after(text, toks, e)
        if not role and s > 1 and tag[s - 1] == "hon" and gap[s - 1] == ", ":
            role = _role_clause_before(text, toks, s)
        if role:
            c.role = role
            c.evidence.add("role")
        if s > 0 and tag[s - 1] == "hon" and gap[s] == " ":
            c.gender = HONORIFICS[low[s - 1]]
            c.evidence.add("honorific")
        # organisation cue within a few words before ("hãng tin RIA", "tập đoàn ... Boeing")
        # (mostly none of those words starts a cue: one C-level test skips the loop)
        for back in range(max(0, s - 5), s) if not _ORG_CUE_INDEX.keys().isdisjoint(low[max(0, s - 5) : s]) else ():
            cue = _match_at(toks, back, _ORG_CUE_INDEX) if not cap[back] and (
                low[back] in _ORG_CUE_INDEX) else 0
            if cue and back > 0 and f"{low[back - 1]} {low[back]}" in TITLE_WORDS:
                cue = 0  # the end of a word ("Môi trường"), not the cue "trường"
            if cue and not _CLAUSE_BREAK.search(text[tend[back] : tstart[s]]):
                c.evidence.add("org_cue")
                if back + cue == s and c.role:
                    # "Đại diện bệnh viện Vinmec cho biết": the title is someone's at the organisation
                    c.role = ""
                    c.evidence.discard("role")
        if s == e and acronym[s]:
            c.kind = "organization"
        elif e > s and low[s] in VN_SURNAMES and not any(acronym[s : e + 1]):
            c.evidence.add("vn_fullname")
        if e + 1 < n and low[e + 1] in _SPEECH_INDEX and _match_at(toks, e + 1, _SPEECH_INDEX) and gap[e + 1] == " ":
            c.evidence.add("speaker")  # "… (EU) Josep Borrell thúc giục:": whoever speaks is someone
        cands.append(c)
        for q in range(s, e + 1):
            tag[q] = c.kind or "person"  # (an acronym is an organisation: a role may run over it)
        nxt = e + 1


def _split_hyphenated(doc: _Doc) -> None:
    """Hyphenated pairs of places ("Nga-NATO"): one mention per part."""
    toks = doc.toks
    article, starts, cands, gaz = doc.article, doc.starts, doc.cands, doc.gaz
    # Hyphenated pairs of places ("Nga-NATO", "Mỹ-Nga"): one mention per part.
    # (only the hyphenated words, found from the hyphens of the text: a token's text is
    # text[start:end], so a hyphen at h is inside the last token starting at or before h if it
    # ends after h; a step per word, even in C, cost more than the rest)
    text, tok_starts, tok_ends = doc.text, toks.start, toks.end
    hyphenated: list[int] = []
    h = text.find("-")
    while h != -1:
        i = bisect_right(tok_starts, h) - 1
        if i >= 0 and tok_ends[i] > h and (not hyphenated or hyphenated[-1] != i):
            hyphenated.append(i)
        h = text.find("-", h + 1)
    for i in hyphenated:
        if toks.tag[i] in ("", "person"):
            word, start = toks.text[i], toks.start[i]
            parts = word.split("-")
            if len(parts) > 1 and all(p.casefold() in gaz or (p.isupper() and len(p) > 1) for p in parts):
                pos = start
                for p in parts:
                    kind = "location" if p.casefold() in gaz else "organization"
                    c = Cand(p, article.id, pos, pos + len(p), _sentence_of(starts, pos), kind)
                    if kind == "location":
                        c.canonical = gaz[p.casefold()][0]
                    cands.append(c)
                    pos += len(p) + 1
                end = toks.end[i]
                cands[:] = [c for c in cands if not (c.start == start and c.end == end and c.name == word)]



def _resolve_roles(cands: list[Cand], text: str, starts: list[int]) -> None:
    """Roles that point elsewhere, resolved from the article or dropped: "Ngoại trưởng nước này"
    -> "Ngoại trưởng Ukraine" (the country just named), else "Ngoại trưởng"; "người đồng cấp Mỹ"
    (after "Ngoại trưởng Nga Lavrov và") -> "Ngoại trưởng Mỹ"."""
    ordered = sorted(cands, key=attrgetter("start"))
    gaz = gazetteer()
    places_at: dict[str, set[str]] = {}  # administrative level -> places of that level the article names
    first = 0  # the first candidate within the anaphora window (a sliding window keeps this linear)
    for idx, c in enumerate(ordered):
        if not c.role:
            continue
        while ordered[first].sentence < c.sentence - _ANAPHOR_SENTENCES:
            first += 1
        at = text.rfind(c.role, max(0, c.start - 200), c.end + len(c.role) + 3)
        at = c.start if at == -1 else min(at, c.start)
        earlier = [p for p in ordered[first:idx] if p.end <= at]
        m = _ROLE_ANAPHOR.search(c.role)
        if m:
            want = ROLE_ANAPHORS[m.group("noun").casefold()]
            ante = next((p for p in reversed(earlier) if p.kind == want.partition(":")[0] and (
                want != "location:country" or gaz.get(p.canonical.casefold(), ("", ""))[1] == "country")), None)
            if ante and ante.name.isupper():  # "Ngân hàng Thế giới (WB) …. Chủ tịch tổ chức này"
                ante = next((p for p in earlier if p.kind == ante.kind and p.end < ante.start
                             and text[p.end : ante.start].strip() == "("), ante)
            repl = (ante.canonical or ante.name) if ante else ""
            c.role = _SPACES.sub(" ", (c.role[: m.start()] + repl + c.role[m.end():])).strip(" ,")
            c.role = _DANGLING.sub("", c.role).strip(" ,")
        role_low = c.role.casefold()
        level = next((lv for lv in ADMIN_LEVELS_LONGEST_FIRST if role_low.endswith(" " + lv)), None)
        if level:
            # "Phó chủ tịch UBND tỉnh": the province the article names (when it names one)
            if level not in places_at:
                ptype = LEVEL_PLACE_TYPES.get(level)
                places_at[level] = {p.canonical for p in ordered if p.kind == "location" and (
                    text[max(0, p.start - len(level) - 1) : p.start].casefold().rstrip() == level
                    or (ptype and gaz.get(p.canonical.casefold(), ("", ""))[1] == ptype))}
            if len(places_at[level]) == 1:
                c.role = f"{c.role} {next(iter(places_at[level]))}"
        if c.role.casefold().startswith(_COUNTERPART):
            prev = next((p for p in reversed(earlier) if p.role and p.sentence == c.sentence
                         and not p.role.casefold().startswith(_COUNTERPART)), None)
            head = _title_of(prev.role) if prev else ""
            if head:
                c.role = (head + c.role[len(_COUNTERPART):]).strip()
        if c.role and not _has_country(c.role, gaz):
            # "Dẫn đầu phái đoàn Nga là Thứ trưởng Quốc phòng Alexandr Fomin": the side's country
            sides = [m for m in _SIDE.finditer(text, starts[c.sentence], at)
                     if gaz.get(m.group("country").casefold(), ("", ""))[1] == "country"]
            if sides and not _SIDE_NOUN.search(text, sides[-1].end(), at):
                c.role = f"{c.role} {gaz[sides[-1].group('country').casefold()][0]}"


_SIDE_WORDS = "|".join(sorted({regex.escape(f(w)) for w in lexicon.words("delegation_sides")
                               for f in (str, str.capitalize)}, key=len, reverse=True))
_SIDE_NOUN = regex.compile(rf"(?<![\p{{L}}])(?:{_SIDE_WORDS})(?![\p{{L}}])")
_SIDE = regex.compile(rf"(?<![\p{{L}}])(?:{_SIDE_WORDS})\s+(?P<country>\p{{Lu}}\p{{L}}*(?:\s\p{{Lu}}\p{{L}}*){{0,2}})"
                      r"\s+(?:là|do|gồm)\s")


def _has_country(role: str, gaz: dict[str, tuple[str, str]]) -> bool:
    words = role.casefold().split()
    return any(gaz.get(" ".join(words[i : i + k]), ("", ""))[1] == "country"
               for k in (1, 2, 3) for i in range(len(words) - k + 1))


def _title_of(role: str) -> str:
    """``role`` without the place it ends with: "Bộ trưởng Quốc phòng Nhật Bản" -> "Bộ trưởng Quốc phòng"."""
    words = role.split()
    gaz = gazetteer()
    for k in range(min(3, len(words) - 1), 0, -1):
        if " ".join(words[-k:]).casefold() in gaz:
            return " ".join(words[:-k])
    return _role_head(role)


def _role_head(role: str) -> str:
    """The title at the start of ``role`` ("Ngoại trưởng" of "Ngoại trưởng Nga"), with its modifiers."""
    words = role.split()
    k = 0
    while k < len(words) and words[k].casefold() in ROLE_MODIFIERS:
        k += 1
    low = [w.casefold() for w in words]
    for parts in _ROLE_INDEX.get(low[k] if k < len(low) else "", ()):
        if tuple(low[k : k + len(parts)]) == parts:
            return " ".join(words[: k + len(parts)])
    return ""


# --- merging --------------------------------------------------------------------------------


def _fold(s: str) -> str:
    """Diacritic-free lower case, only for comparing foreign spellings."""
    return "".join(c for c in unicodedata.normalize("NFD", s.casefold()) if not unicodedata.combining(c))


_TRANSLIT = lexicon.pairs("translit")


@lru_cache(maxsize=65536)
def _translit_key(tok: str) -> str:
    s = _fold(tok)
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    return _REPEATS.sub(r"\1", s)


_FUZZY_TOKEN_MIN = 4  # shorter tokens match only exactly
_SPELLING_RATIO = 0.8  # difflib ratio of two transliteration keys spelling one foreign name


@lru_cache(maxsize=65536)
def _exact_only(tok: str) -> bool:
    """A token :func:`_tok_eq` matches only by case-folded equality, whatever the other token."""
    return len(tok) < _FUZZY_TOKEN_MIN or bool(_VN_MARKS.search(tok))


_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _digits(tok: str) -> tuple[str, ...]:
    """The numbers in a token: a code or model differing in them is another thing
    ("Boeing737"/"Boeing747", "VN30-Index"/"VN-Index"); spelling variants differ in letters."""
    return tuple(_DIGITS.findall(tok))


@lru_cache(maxsize=65536)
def _tok_eq(a: str, b: str) -> bool:
    if a.casefold() == b.casefold():
        return True
    # Fuzzy only for foreign (ASCII) names long enough to carry a spelling variant, with the same
    # numbers; Vietnamese syllables differing by a mark are different names (Thắng / Thăng).
    if _exact_only(a) or _exact_only(b) or _digits(a) != _digits(b):
        return False
    if a[0].casefold() != b[0].casefold():
        # "Gangnam"/"Kangnam": initials two romanisations write differently, the rest the same
        # (words of two syllables or more: one unmarked syllable may be Vietnamese, "Tinh"/"Dinh")
        return _syllable_count(a) >= 2 and _initial_fold(a) == _initial_fold(b)
    ka, kb = _translit_key(a), _translit_key(b)
    if ka == kb:
        return True
    # the length bound and the quick ratios are upper bounds of ratio(): the same answer, most
    # pairs without matching
    if 2 * min(len(ka), len(kb)) < _SPELLING_RATIO * (len(ka) + len(kb)):
        return False
    m = SequenceMatcher(None, ka, kb)
    return all(r() >= _SPELLING_RATIO for r in (m.real_quick_ratio, m.quick_ratio, m.ratio))


_ROMAN_INITIALS = lexicon.pairs("romanisation_initials")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def _syllable_count(tok: str) -> int:
    """Vowel groups of a foreign (unmarked) token: a Vietnamese syllable has one."""
    return len(_VOWEL_GROUP.findall(_fold(tok)))


@lru_cache(maxsize=65536)
def _initial_fold(tok: str) -> str:
    """The transliteration key of a foreign token with its initial consonant folded as the
    romanisation systems differ (``romanisation_initials.tsv``: "Kangnam" -> "gangnam")."""
    s = _fold(tok)
    for written, folded in _ROMAN_INITIALS:
        if s.startswith(written):
            s = folded + s[len(written):]
            break
    return _translit_key(s)


@lru_cache(maxsize=65536)
def _match_key(tok: str) -> str:
    """What two tokens equal under :func:`_tok_eq` or :func:`_given_eq` must share: the whole
    case-folded syllable when it carries Vietnamese marks (those match exactly), else its first letter."""
    low = tok.casefold()
    if _VN_MARKS.search(low):
        return low
    return next((folded[0] for written, folded in _ROMAN_INITIALS if low.startswith(written)), low[0])


def _shape_key(toks: list[str], keys: tuple[str, ...]) -> tuple[str, ...]:
    """Block of names that may be transliteration variants of each other: a Vietnamese name (a
    marked syllable or a Vietnamese surname) is spelled one way, so only its exact form; a
    foreign name by its tokens' match keys."""
    if any(len(k) > 1 for k in keys) or toks[0].casefold() in VN_SURNAMES:
        return tuple(t.casefold() for t in toks)
    return keys


def _given_eq(a: str, b: str) -> bool:
    """Given names differing by a dropped final letter in transliteration ("Jen"/"Jens")."""
    if a.casefold() == b.casefold():
        return True
    short, long = sorted((a.casefold(), b.casefold()), key=len)
    return (len(short) >= 3 and len(long) == len(short) + 1 and long.startswith(short)
            and not _VN_MARKS.search(long))


class _TokenIndex:
    """Tokens indexed by what :func:`_tok_eq` can match them on, so a token is compared only with
    the few that may equal it (comparing it with every token sharing its initial grew as a pile's
    names squared). :meth:`candidates` returns a superset of the indexed tokens ``b`` for which
    ``_tok_eq(a, b)`` or ``_tok_eq(b, a)`` holds:

    - case-folded equality: by the folded token;
    - different initials, one romanisation folded to the other: by :func:`_initial_fold`;
    - equal transliteration keys: by the key;
    - difflib ratio >= r (_SPELLING_RATIO) of the keys ``ka``, ``kb`` (same initial): difflib's
      matching blocks are a common subsequence, so the longest common subsequence has
      ``L >= M >= r (la + lb) / 2`` characters, and ``M <= la, lb`` gives ``lb >= la r / (2 - r)``:
      ``ka`` loses at most ``la (2 - 2r) / (2 - r)`` characters to become it (a third of them at
      r = 0.8), ``kb`` likewise. Every key is indexed by the strings it gives when that many
      characters are deleted (its deletion neighbourhood): two keys that may reach the ratio
      share one. Keys too long for their neighbourhood to be small (a few in a pile) are
      offered to every token of their initial.

    Fuzzy matches need the same numbers (:func:`_digits`), so every fuzzy table is keyed by them
    too: a pile of codes ("P15998", "P15999", ...) would otherwise share neighbourhoods by the
    thousand."""

    __slots__ = ("by_fold", "by_initial", "by_key", "by_near", "long", "by_first")

    def __init__(self, tokens: Iterable[str]) -> None:
        self.by_fold: dict[str, set[str]] = defaultdict(set)
        self.by_initial: dict[str, set[str]] = defaultdict(set)
        self.by_key: dict[str, set[str]] = defaultdict(set)
        # (initial, numbers) -> neighbour -> tokens: one table per (initial, numbers), so a lookup
        # builds no tuple per neighbour (a key has a few hundred of them)
        self.by_near: dict[tuple[str, tuple[str, ...]], dict[str, set[str]]] = {}
        # (initial, numbers) -> tokens with no neighbourhood; -> every fuzzy token
        self.long: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        self.by_first: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        for b in set(tokens):
            self.by_fold[b.casefold()].add(b)
            if _exact_only(b):
                continue
            self.by_initial[_initial_fold(b)].add(b)
            kb = _translit_key(b)
            self.by_key[kb].add(b)
            first = (b[0].casefold(), _digits(b))
            self.by_first[first].add(b)
            near = _neighbourhood(kb)
            if near is None:
                self.long[first].add(b)
                continue
            table = self.by_near.get(first)
            if table is None:
                table = self.by_near[first] = defaultdict(set)
            for v in near:
                table[v].add(b)

    def candidates(self, a: str) -> set[str]:
        out = set(self.by_fold.get(a.casefold(), ()))
        if _exact_only(a):
            return out
        out.update(self.by_initial.get(_initial_fold(a), ()))
        ka = _translit_key(a)
        out.update(self.by_key.get(ka, ()))
        first = (a[0].casefold(), _digits(a))
        out.update(self.long.get(first, ()))
        near = _neighbourhood(ka)
        if near is None:  # (a long key: every token of its initial)
            out.update(self.by_first.get(first, ()))
            return out
        table = self.by_near.get(first)
        if table:
            # (the smaller side is read: a pile's table, or the key's neighbourhood)
            shared = filter(near.__contains__, table) if len(table) < len(near) else filter(table.__contains__, near)
            for v in shared:
                out.update(table[v])
        return out


_NEAR_MAX_DELETIONS = 3  # longer keys (12 letters and more at r = 0.8) are not indexed by neighbourhood


@lru_cache(maxsize=65536)
def _neighbourhood(key: str) -> frozenset[str] | None:
    """``key`` with every choice of at most ``len(key) (2 - 2r) / (2 - r)`` characters deleted
    (see _TokenIndex), or None when that is more than _NEAR_MAX_DELETIONS."""
    r = _SPELLING_RATIO
    k = int(len(key) * (2 - 2 * r) / (2 - r) + 1e-9)  # (the slack only adds candidates)
    if k > _NEAR_MAX_DELETIONS:
        return None
    out = {key}
    level = out  # the strings with d characters deleted, one deletion at a time (slices, no per-letter step)
    for _ in range(min(k, len(key))):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        out |= level
    return frozenset(out)


_ORG_PLACE = regex.compile(
    r"(?i)^(?P<core>.+?)\s+(?P<level>tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường|tp\.?|h\.|q\.|p\.|x\.)"
    r"\s*(?P<place>\S.*)?$"
)
_ACRONYM_HYPHEN = regex.compile(r"(?<=\p{Lu})\s?-\s?(?=\p{Lu})")
_PARTIES = regex.compile(r"\p{Lu}[\p{L}]*(?:\s?[-–]\s?\p{Lu}[\p{L}]*)+$")
_DASH = regex.compile(r"\s?[-–]\s?")


_COMPANY_HEAD_WORDS = tuple(h.split() for h in sorted(COMPANY_HEADS, key=len, reverse=True))  # longest first
_LEGAL_FORM_WORDS = tuple(f.split() for f in LEGAL_FORMS)


@lru_cache(maxsize=65536)  # (organisation names recur across clusters: "Bộ Y tế", "UBND tỉnh …")
def _org_core(name: str) -> tuple[str, str | None, str | None]:
    """(core, administrative level, place) of an organisation name, for comparing variants:
    "Sở GTVT tỉnh Cà Mau" -> ("sở gtvt", "tỉnh", "Cà Mau"), "Sở GT-VT" -> ("sở gtvt", None, None),
    "Cty TNHH Sử Thành Phú" -> ("sử thành phú", None, None)."""
    # "Hội đồng Nga - NATO" / "Hội đồng NATO-Nga": the parties joined by a dash, in any order
    # (not an acronym spelled with a dash: "Sở GT-VT")
    name = _PARTIES.sub(lambda m: "-".join(sorted(p.casefold() for p in _DASH.split(m.group())))
                        if not m.group().replace("-", "").replace(" ", "").isupper() else m.group(), name)
    name = _ACRONYM_HYPHEN.sub("", name)
    words = name.split()
    low = [w.casefold() for w in words]
    # company head and legal forms go: the trade name is what varies least
    for hw in _COMPANY_HEAD_WORDS:
        if low[: len(hw)] == hw and len(words) > len(hw):
            k = len(hw)
            while k < len(words) - 1:
                lf = next((len(f) for f in _LEGAL_FORM_WORDS if low[k : k + len(f)] == f), 0)
                if not lf and not (words[k].isupper() and len(words[k]) <= 5):
                    break
                k += lf or 1
            words, low = words[k:], low[k:]
            break
    m = _ORG_PLACE.match(" ".join(words))
    if m:
        level = _ADMIN_LEVEL.get(m["level"].casefold().rstrip("."), m["level"].casefold())
        return _tone_key(m["core"]), level, m["place"]
    gaz = gazetteer()
    for k in range(1, len(words)):
        hit = gaz.get(" ".join(low[k:]))
        if hit:
            return _tone_key(" ".join(low[:k])), _ADMIN_LEVEL.get(hit[1]), hit[0]
    return _tone_key(" ".join(low)), None, None


def _merge_org_variants(uf: DisjointSet, orgs: dict[str, str], keys: set[str]) -> None:
    """Union organisation variants that differ only by legal form, spelling of an acronym, or a
    place that is the same (or, when left out, the only one) for that organisation in the cluster."""
    cores: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for k, name in orgs.items():
        core, level, place = _org_core(name)
        if core != k and core in keys and place is None and level is None:
            uf.merge(k, core)  # "Cty TNHH Sử Thành Phú" / "Sử Thành Phú" (not "Bộ X Nga" / "Bộ X")
        cores[core].append((k, level, place and place.casefold()))
    for entries in cores.values():
        by_place: dict[str, str] = {}
        for k, _, place in entries:
            if place:
                uf.merge(by_place.setdefault(place, k), k)
        for k, level, place in entries:
            if place:
                continue
            # left unsaid, the place is the only one the cluster gives (at that level, if stated)
            cands = {p for _, lv, p in entries if p and (level is None or lv in (None, level))}
            if len(cands) == 1:
                uf.merge(by_place[cands.pop()], k)
            elif not cands:
                uf.merge(entries[0][0], k)
    _merge_spelled_acronyms(uf, cores)
    # "Sở GTVT" / "GTVT": an acronym with an organisation head in front, when that is unambiguous.
    by_acronym: dict[str, set[str]] = defaultdict(set)
    for core in cores:
        parts = core.split()
        if len(parts) >= 2 and parts[-1] in orgs and orgs[parts[-1]].isupper() and (
                " ".join(parts[:-1]) in ORG_HEADS) and parts[-1] not in ORG_HEADS:
            by_acronym[parts[-1]].add(core)
    for acr, cs in by_acronym.items():
        if len(cs) == 1:
            uf.merge(cores[cs.pop()][0][0], acr)


def _merge_spelled_acronyms(uf: DisjointSet, cores: dict[str, list[tuple[str, str | None, str | None]]]) -> None:
    """"Ban Chỉ huy PCTT-TKCN tỉnh Yên Bái" / "Ban Chỉ huy Tìm kiếm cứu nạn … tỉnh Yên Bái": the same
    words up to an acronym in one and several words in the other, one level and place, and the
    initials of those words begin or end the acronym. Only when one spelled form fits the acronym."""
    by_place: dict[tuple[str | None, str | None], list[tuple[str, list[str]]]] = defaultdict(list)
    for core, entries in cores.items():
        for k, level, place in entries:
            if (level and place) or (level is None and place is None):
                by_place[(level, place)].append((k, core.split()))
    for (_, place), group in by_place.items():
        # the spelled forms of a name of m + 1 words: m words the same, then two or more; indexed
        # by those m words (testing each name against the whole group grew as a pile's group squared)
        by_prefix: dict[tuple[str, ...], list[tuple[str, list[str]]]] = defaultdict(list)
        for ks, ws in group:
            for m in range(1, len(ws) - 2):
                by_prefix[tuple(ws[:m])].append((ks, ws))
        for ka, wa in group:
            if _VN_MARKS.search(wa[-1]) or len(wa) < 2:
                continue
            # (with no place to agree on, the acronym must spell the whole name: "Bộ TN&MT")
            fits = {uf[ks] for ks, ws in by_prefix.get(tuple(wa[:-1]), ())
                    if _spells(wa[-1], ws[len(wa) - 1 :], whole=place is None)}
            if len(fits) == 1 and uf[ka] not in fits:
                uf.merge(ka, fits.pop())


def _spells(acronym: str, words: list[str], whole: bool = False) -> bool:
    initials = _fold("".join(w[0] for w in words if w != "và"))
    acronym = _NON_WORD.sub("", _fold(acronym))
    if whole:
        return initials == acronym
    return any(acronym.startswith(initials[:n]) or acronym.endswith(initials[:n])
               for n in range(min(len(initials), len(acronym)), _ACRONYM_PART_MIN - 1, -1))


_ACRONYM_PART_MIN = 3  # letters of an acronym part that may spell a name


def _is_suffix(short: list[str], long: list[str]) -> bool:
    return len(short) < len(long) and all(_tok_eq(a, b) for a, b in zip(short, long[-len(short):], strict=True))


_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_REPEATS = regex.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _slug(name: str) -> str:
    return _NON_WORD.sub("-", name.casefold()).strip("-")


def extract_entities(cluster: Cluster) -> list[Entity]:
    """People, organisations and places of ``cluster``, most central first."""
    articles = [a for a in cluster.distinct_articles if a.text]
    if not articles:
        return []
    return _extract(articles)


def _extract(articles: list[Article]) -> list[Entity]:
    cands = _candidates(articles)
    keys: dict[str, list[Cand]] = defaultdict(list)
    for c in cands:
        keys[_key(c)].append(c)
    uf: DisjointSet = DisjointSet(keys)  # scipy's union-find over the variant keys
    _merge_acronyms(uf, articles, cands, keys)
    _merge_variants(uf, keys)
    _merge_described_alike(uf, keys, {a.id: a.text for a in articles})
    groups: dict[str, list[Cand]] = defaultdict(list)
    for key, cs in keys.items():
        groups[uf[key]].extend(cs)
    entities = [e for cs in groups.values() if (e := _entity(cs))]
    entities.sort(key=lambda e: (-e.score, e.name))
    _assign_ids(entities)
    return entities


def _candidates(articles: list[Article]) -> list[Cand]:
    """Candidate mentions of every article, read against cluster-wide evidence: words seen in
    lower case (so a capitalised sentence opener is a common word), forms seen capitalised
    mid-sentence (so they are names), stand-alone names ("Boeing là …"), lower-case word pairs."""
    vocab = _Vocabulary()
    solo_counter: Counter[str] = Counter()
    tokens: dict[str, _Toks] = {}  # each article is tokenised once
    at: dict[str, dict[str, list[int]]] = {}  # the tokens each pass can act on, per article
    for a in articles:
        at[a.id] = {}
        tokens[a.id] = _tokens(a.text, set(_sentence_starts(a)), vocab, at[a.id])
        solo_counter.update(map(str.casefold, _SOLO.findall(a.text)))
    solo = {w for w, c in solo_counter.items() if c >= _SOLO_MIN}
    cands: list[Cand] = []
    for a in articles:
        cands.extend(_article_candidates(a, tokens[a.id], vocab.lowercase, vocab.midcaps, solo, vocab.pairs,
                                         at[a.id]))
    return [c for c in cands if c.name.strip()]


# Names repeat within a cluster and across clusters ("Việt Nam", "Bộ Y tế"): fold each once.
_tone_key = lru_cache(maxsize=65536)(tone_key)


def _key(c: Cand) -> str:
    """The variant key mentions are grouped by: a place by its gazetteer name, an outlet by its
    canonical name ("Thanh niên"/"Thanh Niên"), anything else as written; tone placement folded."""
    if c.kind == "location":
        return "loc:" + _tone_key(c.canonical)
    return _tone_key(c.canonical or c.name)


def _merge_acronyms(uf: DisjointSet, articles: list[Article], cands: list[Cand],
                    keys: dict[str, list[Cand]]) -> None:
    """"Tổ chức Hiệp ước Bắc Đại Tây Dương (NATO)": long name and acronym are one organisation."""
    org_cands: dict[str, list[Cand]] = defaultdict(list)
    for c in cands:
        if c.kind == "organization":
            org_cands[c.article].append(c)
    for a in articles:
        for m in _ACRONYM_PAREN.finditer(a.text):
            acr = m.group(1).casefold()
            if acr not in keys:
                continue
            long_end = len(a.text[: m.start()].rstrip())  # the long name ends right before "("
            for c in org_cands.get(a.id, ()):
                if (long_end - _ACRONYM_LONG_MAX <= c.start and long_end - 1 <= c.end <= long_end
                        and "sub_body" not in c.evidence):
                    uf.merge(_key(c), acr)


def _merge_variants(uf: DisjointSet, keys: dict[str, list[Cand]]) -> None:
    """Union the keys that name one thing: a bare name marked a place elsewhere, organisation
    variants, transliterations, short forms of one longer name, "Vietjet"/"Vietjet Air"."""
    names = {k: v[0].name for k, v in keys.items() if not k.startswith("loc:")}
    kinds_hint = {k: {c.kind for c in v} for k, v in keys.items()}
    for k in names:
        # "trung tâm Đất Mũi" is the "xã Đất Mũi" of another sentence: a bare name the cluster
        # marks as a place elsewhere is that place (unless a title or honorific makes it a person).
        if kinds_hint[k] == {""} and "loc:" + k in keys and not any(
                c.evidence & {"role", "honorific"} for c in keys[k]):
            uf.merge("loc:" + k, k)
    _merge_org_variants(uf, {k: n for k, n in names.items() if "organization" in kinds_hint[k]}, set(keys))
    tokenized = {k: n.split() for k, n in names.items()}
    # Pairwise comparisons only within blocks: two tokens can be equal under _tok_eq/_given_eq
    # only when their match keys are (see _match_key), so names are indexed by those keys; a
    # block of Vietnamese names is one exact spelling, which keeps the merge linear.
    initials = {k: tuple(map(_match_key, toks)) for k, toks in tokenized.items()}
    not_org = [k for k in sorted(tokenized) if "organization" not in kinds_hint[k]]
    _merge_transliterations(uf, not_org, tokenized, initials)
    _merge_short_forms(uf, [k for k in not_org if "location" not in kinds_hint[k]], not_org, tokenized,
                       initials, keys)
    _merge_generic_suffix(uf, tokenized)
    _merge_place_spellings(uf, keys)


def _merge_place_spellings(uf: DisjointSet, keys: dict[str, list[Cand]]) -> None:
    """Places no gazetteer unites, spelled by two romanisations ("quận Kangnam" / "quận Gangnam",
    "Pusan" / "Busan"): foreign names whose tokens are transliteration variants (:func:`_tok_eq`);
    never two places the gazetteer knows apart."""
    gaz = gazetteer()
    blocks: dict[tuple[str, ...], list[tuple[str, list[str]]]] = defaultdict(list)
    for k, cs in keys.items():
        name = cs[0].canonical or cs[0].name
        if k.startswith("loc:") and not _VN_MARKS.search(name):
            toks = name.split()
            blocks[tuple(_match_key(t) for t in toks)].append((k, toks))
    for block in blocks.values():
        for x, (kx, tx) in enumerate(block):
            for ky, ty in block[x + 1 :]:
                if (uf[kx] != uf[ky] and all(_tok_eq(a, b) for a, b in zip(tx, ty, strict=True))
                        and not (" ".join(tx).casefold() in gaz and " ".join(ty).casefold() in gaz)):
                    uf.merge(kx, ky)


def _merge_described_alike(uf: DisjointSet, keys: dict[str, list[Cand]], texts: dict[str, str]) -> None:
    """One person whose given name two articles write differently ("bà Trần Thị Giêng (48 tuổi, mẹ
    vợ Nguyên)" in four articles, "bà Trần Thị Duyên (48 tuổi, mẹ ruột chị H.)" in the fifth): the
    same surname and middle name, the same age stated beside the name, and never both in one
    article (two people of one family are named together somewhere)."""
    described: dict[tuple[str, str], set[str]] = defaultdict(set)  # (surname+middle, age) -> roots
    for k, cs in keys.items():
        words = cs[0].name.split()
        if k.startswith("loc:") or len(words) < 3 or words[0].casefold() not in VN_SURNAMES or not any(
                c.kind in ("", "person") and c.evidence & {"honorific", "role", "vn_fullname"} for c in cs):
            continue
        for age in {a for c in cs if (a := _stated_age(texts[c.article], c.end))}:
            # (any age it is given: one article may misprint it, "58 tuổi" for 48)
            described[(tone_key(" ".join(words[:-1])), age)].add(uf[k])
    articles: dict[str, set[str]] = defaultdict(set)
    for k, cs in keys.items():
        articles[uf[k]].update(c.article for c in cs)
    for roots in described.values():
        if len(roots) == 2:
            a, b = roots
            if uf[a] != uf[b] and articles[a].isdisjoint(articles[b]):
                uf.merge(a, b)


_AGE_AFTER = tuple(regex.compile(p) for p in lexicon.words("age_appositions"))


def _stated_age(text: str, end: int) -> str | None:
    """The age written right after a name ending at ``end`` ("… (48 tuổi, …"), if any."""
    for pattern in _AGE_AFTER:
        m = pattern.match(text, end, min(len(text), end + 24))
        if m:
            return m.group(1)
    return None


_PAIRWISE_MAX = 8  # names of a block tested pair by pair (28 pairs); larger blocks are indexed


def _merge_transliterations(uf: DisjointSet, ks: list[str], tokenized: dict[str, list[str]],
                            initials: dict[str, tuple[str, ...]]) -> None:
    """Same-length names that differ only by transliteration (Sergei/Sergey Ryabkov, Jen/Jens)."""
    same_shape: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in ks:
        same_shape[_shape_key(tokenized[k], initials[k])].append(k)
    for block in same_shape.values():
        if len(block) < 2:
            continue  # (most blocks: a name alone in its shape has nothing to merge with)
        if len(block) <= _PAIRWISE_MAX:
            # (most blocks: a few names, every pair's last tokens tested, cheaper than indexing them)
            pairs = [(x, y) for x, y in combinations(range(len(block)), 2)
                     if _tok_eq(tokenized[block[x]][-1], tokenized[block[y]][-1])]
        else:
            # both rules need the last tokens equal under _tok_eq: only pairs the index offers
            # (tested in block order, as _tok_eq is not symmetric)
            by_last: dict[str, list[int]] = defaultdict(list)
            for x, k in enumerate(block):
                by_last[tokenized[k][-1]].append(x)
            index = _TokenIndex(by_last)
            pairs = [(x, y) for t, xs in by_last.items() for b in index.candidates(t) if b == t or _tok_eq(t, b)
                     for x in xs for y in by_last[b] if y > x]
        for x, y in pairs:
            kx, ky = block[x], block[y]
            tx, ty = tokenized[kx], tokenized[ky]
            if all(_tok_eq(a, b) for a, b in zip(tx, ty, strict=True)) or (
                    len(tx) >= 2 and _tok_eq(tx[-1], ty[-1]) and len(tx[-1]) >= _FUZZY_MIN_LEN
                    and all(_given_eq(a, b) for a, b in zip(tx[:-1], ty[:-1], strict=True))):
                uf.merge(kx, ky)


_SCAN_MAX = 32  # last tokens of longer names tested one by one; more are indexed (_TokenIndex)


def _merge_short_forms(uf: DisjointSet, shorts: list[str], longs: list[str], tokenized: dict[str, list[str]],
                       initials: dict[str, tuple[str, ...]], keys: dict[str, list[Cand]]) -> None:
    """A short form that is a suffix of exactly one longer name (Ryabkov, ông Thắng, Đình Luật)."""
    by_suffix: dict[tuple[str, ...], list[str]] = defaultdict(list)
    by_folded: dict[tuple[str, ...], list[str]] = defaultdict(list)  # the same, by whole case-folded tokens
    by_last: dict[str, list[str]] = defaultdict(list)  # names of two tokens or more, by last token
    for k in longs:
        folded = list(map(str.casefold, tokenized[k]))
        for n in range(1, len(folded)):
            by_suffix[initials[k][-n:]].append(k)
            by_folded[tuple(folded[-n:])].append(k)
        if len(folded) > 1:
            by_last[tokenized[k][-1]].append(k)
    index: _TokenIndex | None = None  # (built when a short form needs fuzzy matching)
    endings: dict[str, list[str]] = {}  # short form's last token -> the names ending with its match
    for ks in shorts:
        ts = tokenized[ks]
        if all(map(_exact_only, ts)):
            # _tok_eq is case-folded equality for these: look the suffix up instead of testing
            # every name sharing its initials (a pile's "Nam", "Anh": quadratic in the pile)
            longer = by_folded.get(tuple(map(str.casefold, ts)), [])
        else:
            # a suffix ends with a token _tok_eq to ts[-1]: the names the index finds by last token
            last = ts[-1]
            ending = endings.get(last)
            if ending is None:
                if len(by_last) <= _SCAN_MAX:  # (a few names: each tested, cheaper than indexing them)
                    near: Iterable[str] = by_last
                else:
                    if index is None:
                        index = _TokenIndex(by_last)
                    near = index.candidates(last)
                ending = endings[last] = [kl for b in near if _tok_eq(last, b) for kl in by_last[b]]
            bucket = set(by_suffix.get(initials[ks], ()))
            longer = [kl for kl in ending if kl in bucket and _is_suffix(ts, tokenized[kl])]
        targets = {uf[kl] for kl in longer}
        if len(targets) > 1:
            # "ông Nam" where two Nams are in the cluster: the one named in the same articles.
            here = {c.article for c in keys[ks]}
            targets = {uf[kl] for kl in longer if not here.isdisjoint(c.article for c in keys[kl])}
        if len(targets) == 1:
            uf.merge(targets.pop(), ks)


def _merge_generic_suffix(uf: DisjointSet, tokenized: dict[str, list[str]]) -> None:
    """"Vietjet" / "Vietjet Air": a name and the same name with a company's generic suffix."""
    by_head: dict[str, list[str]] = defaultdict(list)
    for k, toks in tokenized.items():
        if len(toks) > 1 and all(t.casefold() in ORG_GENERIC_SUFFIX for t in toks[1:]):
            by_head[toks[0].casefold()].append(k)
    for ks, toks in tokenized.items():
        if len(toks) == 1:
            targets = {uf[kl] for kl in by_head.get(ks, ())}
            if len(targets) == 1:
                uf.merge(targets.pop(), ks)


def _canonical(kind: str, cs: list[Cand], variants: Counter[str]) -> str:
    """The name shown: a place's gazetteer name, an organisation's full name (its abbreviation a
    variant: "Tổ chức Hiệp ước Bắc Đại Tây Dương", NATO), a person's longest, most written name."""
    if kind == "location":
        return Counter(c.canonical or c.name for c in cs).most_common(1)[0][0]
    if kind == "organization":
        if any(c.canonical for c in cs):
            return Counter(c.canonical for c in cs if c.canonical).most_common(1)[0][0]
        full = [v for v in variants if not v.isupper() and len(v.split()) >= 2]
        return max(full if full and any(v.isupper() for v in variants) else variants,
                   key=lambda v: (variants[v], len(v), v))
    longest = max(len(v.split()) for v in variants)
    return max((v for v in variants if len(v.split()) == longest), key=lambda v: (variants[v], v))


def _entity(cs: list[Cand]) -> Entity | None:
    """One entity from the mentions grouped as one, scored by spread, frequency and lead position."""
    kind = _decide_kind(cs)
    if not kind:
        return None
    if len(cs) == 1:
        return _single_entity(cs[0], kind)  # (most groups: one mention, nothing to count)
    variants = Counter(c.name for c in cs)
    roles = _merge_roles([c.role for c in cs if c.role]) if kind == "person" else []
    mentions = sorted({(c.article, c.start, c.end, c.name) for c in cs}, key=itemgetter(0, 1))
    n_articles = len({c.article for c in cs})
    lead = sum(1 for c in cs if c.sentence < _LEAD_SENTENCES)
    return Entity(name=_canonical(kind, cs, variants), kind=kind, roles=roles,
                  variants=[v for v, _ in variants.most_common()],
                  mentions=[Mention(text=t, article=a, start=s, end=e) for a, s, e, t in mentions],
                  score=_score(kind, n_articles, len(mentions), lead, bool(roles)), id="")


def _single_entity(c: Cand, kind: str) -> Entity:
    """:func:`_entity` of one mention: its name is every variant, and the canonical name but for a
    place's or outlet's (see _canonical)."""
    roles = _merge_roles([c.role]) if kind == "person" and c.role else []
    name = (c.canonical or c.name) if kind != "person" else c.name
    return Entity(name=name, kind=kind, roles=roles, variants=[c.name],
                  mentions=[Mention(text=c.name, article=c.article, start=c.start, end=c.end)],
                  score=_score(kind, 1, 1, int(c.sentence < _LEAD_SENTENCES), bool(roles)), id="")


def _score(kind: str, n_articles: int, n_mentions: int, lead: int, has_roles: bool) -> float:
    """Articles naming it, mentions (log), lead-sentence mentions (capped), a known role."""
    score = (_W_ARTICLES * n_articles + _W_MENTIONS * math.log1p(n_mentions)
             + _W_LEAD * min(lead, _LEAD_CAP) + (_W_ROLE if has_roles else 0.0))
    if kind == "location":
        score *= _PLACE_DISCOUNT  # places frame a story; people and organisations drive it
    return round(score, 3)


def _assign_ids(entities: list[Entity]) -> None:
    used: set[str] = set()
    for e in entities:
        base = f"{e.kind[0]}:{_slug(e.name)}"
        eid, n = base, 1
        while eid in used:
            n += 1
            eid = f"{base}-{n}"
        used.add(eid)
        e.id = eid


def _decide_kind(cs: list[Cand]) -> str:
    if len(cs) == 1:
        return _decide_kind_one(cs[0])
    kinds = [c.kind for c in cs if c.kind]
    if kinds:
        if kinds.count(kinds[0]) == len(kinds):
            return kinds[0]  # (one kind: no vote to count)
        return Counter(kinds).most_common(1)[0][0]
    ev: Counter[str] = Counter(chain.from_iterable(c.evidence for c in cs))  # (one count, not one per mention)
    if ev["org_cue"] > ev["role"] + ev["honorific"] or any(
            len(w := c.name.split()) >= 2 and w[-1].casefold() in ORG_GENERIC_SUFFIX for c in cs):
        return "organization"  # ("Polar Group", "Vietjet Air": a company's generic suffix)
    if ev["role"] or ev["honorific"] or ev["vn_fullname"] or (
            ev["speaker"] and any(len(c.name.split()) >= 2 for c in cs)):
        return "person"
    # Unknown: keep only names the cluster repeats across articles; single words are likelier
    # brands / organisations ("Boeing"), several words likelier people.
    if len({c.article for c in cs}) >= 2:
        multi = any(len(c.name.split()) >= 2 for c in cs)
        return "person" if multi else "organization"
    return ""


def _decide_kind_one(c: Cand) -> str:
    """:func:`_decide_kind` of one mention: its evidence a set, nothing to count."""
    if c.kind:
        return c.kind
    ev = c.evidence
    if ("org_cue" in ev and "role" not in ev and "honorific" not in ev) or (
            len(w := c.name.split()) >= 2 and w[-1].casefold() in ORG_GENERIC_SUFFIX):
        return "organization"
    if "role" in ev or "honorific" in ev or "vn_fullname" in ev or ("speaker" in ev and len(c.name.split()) >= 2):
        return "person"
    return ""  # (one article: see _decide_kind)


def _merge_roles(roles: list[str]) -> list[str]:
    """A person's distinct roles, most written first. One role written two ways is kept once: a
    prefix of another (the longer stays: "Thứ trưởng" / "Thứ trưởng Ngoại giao Nga"), or the same
    words but for "Bộ"/"của" or an organisation's long name beside its acronym ("Tổng thư ký NATO" /
    "Tổng Thư ký Tổ chức Hiệp ước Bắc Đại Tây Dương (NATO)"): the most written, else the shorter,
    stays. A role saying more ("Thứ trưởng Ngoại giao thứ nhất của Mỹ") is another role."""
    counts = Counter(r.strip() for r in roles if 2 <= len(r.split()) <= _ROLE_MAX_TOKENS
                     or r.strip().upper() in ("HLV", "CEO"))
    out: list[str] = []
    for r, _ in counts.most_common():
        low, key = r.casefold(), _role_key(r)
        same = next((i for i, o in enumerate(out) if low == o.casefold() or o.casefold().startswith(low)
                     or low.startswith(o.casefold()) or key == _role_key(o)), None)
        if same is None:
            if len(out) < 5:
                out.append(r)
            continue
        o = out[same]
        if o.casefold().startswith(low) or low.startswith(o.casefold()):
            out[same] = max(o, r, key=len)  # (a role cut short is the longer one's prefix)
        else:
            out[same] = max(o, r, key=lambda x: (counts[x], -len(x)))
    return out


_ROLE_FILLERS = lexicon.word_set("role_filler_words")


@lru_cache(maxsize=65536)
def _role_key(role: str) -> tuple[str, ...]:
    """The words that make a role what it is: case folded, without "Bộ"/"của", and an organisation's
    long name written beside its acronym reduced to the acronym."""
    m = _ACRONYM_PAREN.search(role)
    if m:
        words = role[: m.start()].split()
        low = [w.casefold() for w in words]
        head = min((i for i in range(1, len(words)) if words[i][:1].isupper() and any(
            tuple(low[i : i + len(p)]) == p for p in _ORG_INDEX.get(low[i], ()))), default=None)
        if head is not None:
            role = " ".join(words[:head]) + " " + m.group(1) + role[m.end():]
    words = role.casefold().replace("(", " ").replace(")", " ").split()
    return tuple(w for i, w in enumerate(words) if i == 0 or w not in _ROLE_FILLERS)  # ("Bộ trưởng" keeps "bộ")
