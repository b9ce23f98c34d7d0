"""A person named short, made explicit: "ông [Hoàng Ngọc] Biên".

A summary sentence naming someone by a title and one syllable ("Theo ông Biên, …") cannot be
placed by a reader who has not met the full name ("luật sư Hoàng Ngọc Biên"). Rather than wait
for a sentence naming them in full, the summary may show the rest of the name in square
brackets: words not of the source, marked as such (``model.Insertion``), every other word still
the source's. Only when the cluster gives one full name ending in that syllable (two people
called "… Biên": no guess), the short reference is a Vietnamese given name
(``context.short_references``: after a title, "ông", "chị", "luật sư", or alone where only a
name can stand: "Tháng 4/2013, [Trần Nguyễn An] Khương đã đến …"; "Mỹ" of "châu Mỹ", a
place, and "miền Nam" are none). The
selector drops the insertion once the summary names the person in full before
(``selector._named_once``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from diemtin.lang import lexicon
from diemtin.model import Article, DateMention, Sentence
from diemtin.select.context import ShortReference

OPEN, CLOSE = "[", "]"
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
# Capitalised words right before a name's last syllable: the rest of the name (at most this far)
_BEFORE = regex.compile(r"(?:\p{Lu}[\p{L}\p{M}]*\.?[ \t]+)+$")
_REACH = 60  # characters before the last syllable where the rest of a name is read
_GOES_ON = regex.compile(r"[ \t]+\p{Lu}")  # another capitalised word follows: a longer name


class Made(NamedTuple):
    """A text with a name's first words inserted."""

    text: str
    start: int  # offsets into ``text`` of the inserted span, brackets included (a space follows)
    end: int
    words: str  # the inserted words: "Hoàng Ngọc"


def shown_words(text: str) -> str:
    """``text`` as a reader reads it: brackets around inserted words dropped, the words kept."""
    return _BRACKETED.sub(r"\1", text) if OPEN in text else text


def with_full_name(text: str, ref: ShortReference) -> Made | None:
    """``text`` with the words of ``ref.full`` before its last one inserted, in brackets, before
    the syllable ``ref.words`` names the person by ("ông Biên" -> "ông [Hoàng Ngọc] Biên"); a
    title word that is the name's too is the name's ("mà Anh Quân" -> "mà [Lê Phùng] Anh Quân")."""
    full, short = ref.full.split(), ref.words.split()
    if len(full) < 2:
        return None
    m = next((m for m in _word(ref.words).finditer(text) if not _GOES_ON.match(text, m.end())), None)
    if m is None:
        return None
    k = 1  # the words the short reference and the full name end on
    while k < min(len(full) - 1, len(short)) and full[-k - 1].lower() == short[-k - 1].lower():
        k += 1
    before = full[: len(full) - k]
    at = m.end() - len(" ".join(short[len(short) - k :]))
    inserted = OPEN + " ".join(before) + CLOSE
    return Made(text[:at] + inserted + " " + text[at:], at, at + len(inserted), " ".join(before))


class FullNames:
    """Where a cluster names its people in full, and whether one name is one person."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self._one: dict[str, bool] = {}
        self._source: dict[str, tuple[Article, Sentence] | None] = {}

    def one_person(self, full: str) -> bool:
        """Every name the cluster ends on ``full``'s last syllable is ``full`` or part of it
        ("Ngọc Biên", "Luật sư Hoàng Ngọc Biên"): not two people ("Nguyễn Văn Biên")."""
        if full not in self._one:
            self._one[full] = _one_person(self.articles, full)
        return self._one[full]

    def source(self, full: str) -> tuple[Article, Sentence] | None:
        """The first sentence of the cluster naming ``full``."""
        if full not in self._source:
            word = _word(full)
            self._source[full] = next(
                ((a, s) for a in self.articles for s in a.sentences if word.search(a.text, s.start, s.end)), None
            )
        return self._source[full]


def _one_person(articles: Sequence[Article], full: str) -> bool:
    words = full.split()
    last = _word(words[-1])
    titles = _titles()
    for a in articles:
        text = a.text
        for m in last.finditer(text):
            if _GOES_ON.match(text, m.end()):
                continue  # "… Đồng Nai": another name
            run = _BEFORE.search(text[max(0, m.start() - _REACH) : m.start()])
            if run is None:
                continue
            other = run.group().split()
            while other and other[0].lower() in titles:
                other = other[1:]  # "Ông", "Luật sư" opening a sentence: not the name
            # the shorter one's words end the longer one's: one name, told more or less fully
            n = min(len(other), len(words) - 1)
            if other[len(other) - n :] != words[len(words) - 1 - n : -1]:
                return False
    return True


@cache
def _titles() -> frozenset[str]:
    """One-word titles ("ông", "bà", "ts"): capitalised, opening a sentence, they open a name's run
    (not the words of longer ones: "Phạm" of "nghi phạm" is a surname)."""
    return frozenset(t for t in (*lexicon.table("honorifics"), *lexicon.words("person_titles")) if " " not in t)


@lru_cache(maxsize=4096)
def _word(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(words)}(?![^\W_])")


# -- a pronoun subject made explicit: "Ông [Sergei Ryabkov] cho biết …" ----------------------

# The openers whose pronoun is one person named in the sentence before ("Ông cho biết",
# "Theo bà, …"): "họ", "hai bên" are several, "ông ấy" reads badly with a name after it.
RESOLVED_OPENERS = frozenset({"ông", "bà", "theo ông", "theo bà"})
_ROLE_REACH = 6  # words before a capitalised run where a role ("Ngoại trưởng", "ông") says it is a person
# (a hyphen joins the parts of one word of a name: "Kim Jong-un")
_NAME_WORD = r"\p{Lu}[\p{L}\p{M}]*(?:-[\p{L}\p{M}]+)*"
_RUN = regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}-]){_NAME_WORD}(?:[ \t]+{_NAME_WORD})+(?![\p{{L}}\p{{M}}\p{{N}}-])")


def antecedent(previous: str, pronoun: str) -> str | None:
    """The one person ``previous`` names in full, whom an opening ``pronoun`` ("Ông", "Theo bà")
    of the next sentence stands for; None when it names none, or several (no guess). A person:
    a Vietnamese full name ("Nguyễn Văn Đồng"), or capitalised words after a role or a title
    ("Ngoại trưởng Nga Sergei Lavrov": the country before the name is not the name). "Ông"
    is no "Nguyễn Thị …"."""
    found: dict[str, str] = {}  # last word -> the name
    for m in _RUN.finditer(previous):
        words = _person_words(m.group().split())
        if not words:
            continue
        before = previous[: m.start()].lower().split()[-_ROLE_REACH:]
        if not (len(words) > 1 and words[0].lower() in _surnames() or _ends_on_role(before)):
            continue  # no role, no Vietnamese surname: a place, a thing
        name = " ".join(words)
        found.setdefault(words[-1], name)
    if len(found) != 1:
        return None
    name = next(iter(found.values()))
    female = " Thị " in f" {name} "
    vietnamese = name.split()[0].lower() in _surnames()
    he = pronoun.split()[-1] == "ông"
    if (he and female) or (not he and vietnamese and not female):
        return None  # "Ông" is a man; a Vietnamese "bà" is a "Thị" (most often)
    return name


def _person_words(words: list[str]) -> list[str]:
    """The words of a capitalised run that may be a person's name: the place, the title and the
    organisation before it dropped ("Nga Sergei Lavrov", "Ông Nguyễn Văn Đồng", "Bộ Công Thương
    Trần Quốc Khánh", "Hà Nội Trần Đình Cảnh", "UBND TP Hà Nội Trần Sỹ Thanh": "Hà" of a place
    is no surname); none when the run is a place or an organisation."""
    places = _gazetteer()  # (case-folded variants)

    def two_word_place(k: int) -> bool:
        return k + 2 < len(words) and " ".join(words[k : k + 2]).casefold() in places

    def without_places(k: int) -> int:
        while k < len(words):
            if words[k].casefold() in places or words[k].lower() in _titles():
                k += 1
            elif two_word_place(k):
                k += 2
            else:
                break
        return k

    start = without_places(0)
    if _names_organisation(words[start:]):
        # the organisation's words, then a Vietnamese name (a place's first word is none)
        k = next((k for k in range(start + 1, len(words) - 1)
                  if words[k].lower() in _surnames() and not two_word_place(k)), None)
        start = without_places(k) if k is not None else len(words)
    words = words[start:]
    if not words or " ".join(words).casefold() in places or _names_organisation(words):
        return []  # "Sở Y (tế)", "Hội đồng NATO", "Bộ Tài (chính)"
    return words


def with_antecedent(text: str, opener: str, name: str) -> Made | None:
    """``text`` with ``name`` in brackets after its opening pronoun: "Ông [Sergei Ryabkov] cho biết"."""
    at = len(text) - len(text.lstrip())
    if text[at : at + len(opener)].lower() != opener.lower():
        return None
    end = at + len(opener)
    inserted = OPEN + name + CLOSE
    return Made(text[:end] + " " + inserted + text[end:], end + 1, end + 1 + len(inserted), name)


def _names_organisation(words: Sequence[str]) -> bool:
    lower = [w.lower() for w in words]
    heads = _org_heads()
    return any(" ".join(lower[k : k + n]) in heads for k in range(len(lower)) for n in (1, 2))


@cache
def _org_heads() -> frozenset[str]:
    return frozenset(lexicon.words("org_heads"))


def _ends_on_role(words: Sequence[str]) -> bool:
    """Do the words before a name end on a role, its portfolio words dropped ("thứ trưởng ngoại
    giao", "ngoại trưởng", "ông")?"""
    words = [w.strip(",;:()") for w in words]
    portfolio = _portfolio_words()
    while words and words[-1] in portfolio:
        words = words[:-1]
    roles = _role_heads()
    return any(" ".join(words[len(words) - n :]) in roles for n in (1, 2, 3) if n <= len(words))


@cache
def _role_heads() -> frozenset[str]:
    return frozenset(lexicon.words("role_heads")) | _titles()


@cache
def _portfolio_words() -> frozenset[str]:
    """The words a role's portfolio is made of ("ngoại", "giao" of "ngoại giao"), one by one:
    after "Thứ trưởng Ngoại giao" the role is still the words before them."""
    return frozenset(w for t in lexicon.words("title_words") for w in t.split())


@cache
def _surnames() -> frozenset[str]:
    return frozenset(lexicon.words("vn_surnames"))


@cache
def _gazetteer() -> dict[str, tuple[str, str]]:
    return lexicon.name_table("places.tsv")



def office_holder(office: str, texts: Sequence[str]) -> str | None:
    """The one person ``texts`` (a cluster's articles) name right after ``office`` ("Phó Thủ
    tướng Lê Văn Thành"), whom a sentence opening on the bare office ("Phó Thủ tướng yêu cầu
    …") means; None when they name none, or several under that office (no guess)."""
    found: dict[str, str] = {}
    pattern = _office_pattern(office)
    for text in texts:
        for m in pattern.finditer(text):
            words = _person_words(m.group(1).split())
            if len(words) < 2:
                continue  # a place, an organisation, one word (of what?)
            found.setdefault(words[-1], " ".join(words))
            if len(found) > 1:
                return None
    return next(iter(found.values()), None)


@lru_cache(maxsize=256)
def _office_pattern(office: str) -> regex.Pattern[str]:
    words = r"[ \t]+".join(map(regex.escape, office.split()))
    name = r"\p{Lu}[\p{L}\p{M}]*(?:[ \t]+\p{Lu}[\p{L}\p{M}]*){1,4}"
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?i:{words})[ \t]+({name})(?![\p{{L}}\p{{M}}\p{{N}}])")


# -- a bare level made explicit: "UBND tỉnh [Đồng Tháp] …" -----------------------------------

# The level words a sentence may name a place by alone, longest first, with the forms an
# article names the place with ("TP Cần Thơ", "TP.HCM").
_LEVEL_FORMS = {
    "thành phố": ("thành phố", "tp"), "thị xã": ("thị xã", "tx"), "tỉnh": ("tỉnh",), "huyện": ("huyện",),
    "quận": ("quận",), "phường": ("phường",),
}
_GAZETTEER_LEVELS = frozenset({"thành phố", "tỉnh"})  # their names are in places.tsv: only those count


def bare_level(words: str) -> str | None:
    """The level word the place rule's ``words`` end on ("UBND tỉnh" -> "tỉnh"), if any."""
    low = words.lower()
    return next((lv for lv in _LEVEL_FORMS if low == lv or low.endswith(" " + lv)), None)


def place_named(level: str, article: Article) -> tuple[str, Sentence] | None:
    """The one place of ``level`` its article names ("tỉnh Đồng Tháp", "TP Cần Thơ"), and the
    first sentence naming it; None when it names none, or several (no guess). A province's or
    a city's name must be one the gazetteer knows."""
    found: dict[str, tuple[str, Sentence, bool]] = {}  # (the place, case-folded or canonical) -> ...
    pattern, text, gazetteer = _level_pattern(level), article.text, _gazetteer()
    for s in article.sentences:
        for m in pattern.finditer(text, s.start, s.end):
            name = m.group(1)
            known = gazetteer.get(m.group(0).casefold()) or gazetteer.get(name.casefold())
            # (every name counts against "one": the gazetteer does not know every province)
            found.setdefault(known[0] if known else name.casefold(), (name, s, known is not None))
            if len(found) > 1:
                return None
    if not found:
        return None
    name, sentence, known = next(iter(found.values()))
    return (name, sentence) if known or level not in _GAZETTEER_LEVELS else None


@lru_cache(maxsize=16)
def _level_pattern(level: str) -> regex.Pattern[str]:
    forms = "|".join(r"[ \t]+".join(map(regex.escape, f.split())) for f in _LEVEL_FORMS[level])
    name = r"\p{Lu}[\p{L}\p{M}]*(?:[ \t]+\p{Lu}[\p{L}\p{M}]*){0,3}"
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?i:{forms})\.?[ \t]*({name})(?![\p{{L}}\p{{M}}\p{{N}}])")


def with_place(text: str, words: str, name: str) -> Made | None:
    """``text`` with ``name`` in brackets after the first bare ``words`` (no capitalised word
    after them): a level's place, "UBND tỉnh [Đồng Tháp]"; also a day, "cùng ngày [14/7]", and a
    pronoun's person, "của ông [Trần Văn Phúc]" (the selector's other uses)."""
    for m in regex.finditer(rf"(?<![\p{{L}}\p{{M}}]){regex.escape(words)}(?![\p{{L}}\p{{M}}\p{{N}}])", text):
        if not _GOES_ON.match(text, m.end()):  # the bare one, not "tỉnh Đồng Tháp" told in the sentence
            end = m.end()
            inserted = OPEN + name + CLOSE
            return Made(text[:end] + " " + inserted + text[end:], end + 1, end + 1 + len(inserted), name)
    return None


SAME_DAY = "cùng ngày"  # the words the date layer reads as the article's last day told ("22h cùng ngày")


def same_day(
    dates: Sequence[DateMention], article: Article, sentence: Sentence, year: str = ""
) -> tuple[str, Sentence] | None:
    """The day "cùng ngày" in ``sentence`` stands for, as the date layer resolved it, written
    as a reader writes it ("19/8"; "19/8/2021" when not of ``year``, the cluster's), and the
    earlier sentence of its article that told that day; None when the layer did not resolve it
    to one day, or no earlier sentence wrote it."""
    mine = next((d for d in dates if d.article_id == article.id and d.sentence == sentence.index
                 and d.kind == "relative" and d.precision == "day" and SAME_DAY in d.expression.lower()), None)
    if mine is None:
        return None
    told = [d for d in dates if d.article_id == article.id and d.sentence < sentence.index
            and d.kind == "explicit" and d.date == mine.date]
    if not told:
        return None
    y, m, d = mine.date[:10].split("-")
    if not (m.isdigit() and d.isdigit()):
        return None
    shown = f"{int(d)}/{int(m)}" + (f"/{y}" if y.isdigit() and y != year else "")
    return shown, article.sentences[told[-1].sentence]
