"""Who said what: direct quotes and reported speech, with the speaker resolved to an entity.

Direct quotes are spans between quotation marks (curly, straight, or the double prime some
sites use) of at least a few syllables — shorter ones are scare quotes ('lằn ranh đỏ').
A quote may run over several sentences. The speaker comes from the attribution around it:
``X nói: “…”``, ``“…”, X nói``, ``“…” - X khẳng định``, ``theo X, …``; a bare pronoun
(``ông nói``) is resolved to the one compatible person mentioned just before in the same
article, and left ``None`` otherwise. Reported speech (``X cho biết …``) gives
``direct=False`` quotes. Nothing is guessed: an unnamed source ("một quan chức VFF") keeps
its words as ``speaker_name`` and ``speaker=None``; a bare pronoun or common noun ("ông",
"chuyên gia") left unresolved names no one (both ``None``); a resolved pronoun gives the
person's name. The subject of the next sentence is never the speaker of a quote before it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice

import regex

from diemtin.lang import lexicon
from diemtin.lang.tokens import _TOKEN
from diemtin.model import Article, Cluster, Entity, Quote, SourceRef

SPEECH_VERBS: tuple[str, ...] = lexicon.words("speech_verbs")
# (never part of a longer word that says nothing: "khai mạc", "nói chung", "triển khai", "bài viết")
_COMPOUNDS = lexicon.words("speech_verb_compounds")
_VERB_WORDS = frozenset(SPEECH_VERBS)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted({regex.escape(w) for w in words}, key=len, reverse=True)) or "(?!)"


_STARTS: dict[str, list[str]] = {}  # verb -> what follows it in a compound it starts ("khai" -> "mạc")
for _c in _COMPOUNDS:
    _v = max((v for v in _VERB_WORDS if _c.startswith(v + " ")), key=len, default=None)
    if _v:
        _STARTS.setdefault(_v, []).append(_c[len(_v) + 1 :])
_ENDS = [c for c in _COMPOUNDS if any(c.endswith(" " + v) for v in _VERB_WORDS)]
# (checked after a verb matched, so the scan for verbs stays a plain search)
_NOT_PART = (rf"(?<!(?<![\p{{L}}])(?:{_alternation(_ENDS)}))"
             + "(?!" + "|".join(rf"(?<=(?<![\p{{L}}]){regex.escape(v)})\s(?:{_alternation(rest)})(?![\p{{L}}])"
                                for v, rest in sorted(_STARTS.items())) + ")")
_VERB_ALT = "(?:" + "|".join(sorted({regex.escape(v) for v in SPEECH_VERBS}, key=len, reverse=True)) + ")" + _NOT_PART
_VERB = regex.compile(rf"(?<![\p{{L}}])(?:{_VERB_ALT})(?![\p{{L}}])")
# text between a speaker and the verb: appositive, "cũng", "đã", "với phóng viên" etc.
_SUBJ_GAP = regex.compile(
    r"^(?:\s*\([^)]{0,40}\))?"
    # "Jorge Benitez tại viện … (Washington, Mỹ) nhận định": where the speaker works, unpunctuated
    r"(?:\s+(?:tại|thuộc|ở)\s[^,.;:“”\"()]{1,80}(?:\s*\([^)]{0,40}\))?)?"
    # ", Phó giám đốc Ban … H.Ngọc Hiển cho biết": a comma apposition (a dot inside "H.Ngọc" is no stop)
    # (or a dash one: "Ông Hoàng Đức Trọng - Phó Chủ tịch UBND huyện Lục Yên cho biết")
    # (an indefinite phrase after a comma is an apposition only when a comma closes it: "X, một
    # chuyên gia, cho biết"; else it is a new subject: "Nghe bị cáo Nguyên khai, một vị hội thẩm đã phân tích")
    r"(?:\s*,\s*(?:một|các|những|nhiều|mọi)\s(?:[^,.;:“”\"]|\.(?=\S)){1,90},"
    r"|\s*[,–—-](?!\s*(?:một|các|những|nhiều|mọi)\s)(?:[^,.;:“”\"]|\.(?=\S)){1,90}[,–—-]?"
    r"|\s*[–—-]\s*(?:một|các|những|nhiều|mọi)\s(?:[^,.;:“”\"]|\.(?=\S)){1,90}[,–—-]?)?"
    r"\s*(?:(?:cũng|đã|vừa|thì|còn|lại|mới|có)\s+)*$"
)
_AFTER_ATTR = regex.compile(
    rf"[\s,.…]*[-–—]?\s*(?P<who>[^\n.;:“”\"]{{1,90}}?)\s+(?:(?:cũng|đã|vừa|còn|lại)\s+)*(?P<verb>{_VERB_ALT})(?![\p{{L}}])"
)
_PRONOUN = regex.compile(r"^(?:ông|bà|anh|chị|ông ấy|bà ấy|anh ấy|chị ấy|ông ta|bà ta|vị này|người này)$", regex.I)
_PRONOUN_GENDER = {"ông": "m", "anh": "m", "bà": "f", "chị": "f"}
_HON_BEFORE = regex.compile(r"(?:^|[\s(“\"])(ông|bà|anh|chị)\s+$", regex.I)
# What a _HON_BEFORE match ends with once its spaces are stripped, case-folded (each letter of
# these words is matched case-insensitively only by characters folding to it): a test in str
# methods before the ``regex`` call, most names following no such word.
_HONORIFICS = ("ông", "bà", "anh", "chị")
_FUNCTION_WORDS = lexicon.word_set("function_words")
_QUOTE_CHARS = "“”\"″«»"
_QUOTE_MARK = re.compile("[" + re.escape(_QUOTE_CHARS) + "]")  # (stdlib: a class of literals, a faster scan)
_MIN_SYLLABLES = 5  # shorter quoted stretches are scare quotes / terms, not quotations
_MIN_UNATTRIBUTED = 12  # an unattributed quoted stretch shorter than this is a term, not a quotation
_MIN_REPORTED = 6  # reported speech shorter than this (syllables) is no statement
_MAX_QUOTE = 2500
_THEO_GAP = regex.compile(r"(?:[\p{L}]+\s+){0,6}")  # "Theo ông", "Theo Thứ trưởng Ngoại giao Mỹ"
# "Theo quan sát của NATO", "Theo phóng viên TTXVN": not the speaker of what follows
_THEO_NOT_SPEAKER = regex.compile(r"(?i)\b(?:của|đánh giá|quan sát|lưu ý|kế hoạch|đó|phóng viên|tin|trang|báo)\b")
_THEO_START = regex.compile(r"(?:[Cc]ũng\s+t|[Tt])heo\s+")
_THEO_FIRST = frozenset("CcTt")  # the characters a _THEO_START match starts with
_THEO = regex.compile(r"(?:^|,\s+)(?:[Cc]ũng\s+t|[Tt])heo\s+")
_ENDS_SENTENCE = regex.compile(r"[.!?…]")
# A speaker phrase that is only a pronoun or a common noun ("ông", "chuyên gia") names no one.
_UNNAMED = lexicon.word_set("unnamed_speakers")


def _sentence_spans(article: Article) -> list[tuple[int, int]]:
    # Extraction requires the segment stage (the pipeline runs it first): no re-segmenting here.
    return [(s.start, s.end) for s in article.sentences]


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Inner spans of double-quoted stretches; marks classified as opening/closing by context."""
    marks: list[tuple[int, str]] = []
    for qm in _QUOTE_MARK.finditer(text):  # (the marks only: a loop over every character cost more)
        i, ch = qm.start(), qm.group()
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch in "«":
            kind = "open"
        elif ch in "»″":
            kind = "close"
        elif nxt in " \n\t,.;:!?)-–…" or i + 1 == len(text):
            kind = "close"  # 'cần phải làm “,' — a mark followed by punctuation closes
        elif prev in " \n\t(-–—:" or i == 0:
            kind = "open"
        else:
            kind = "close" if ch != "“" else "open"
        marks.append((i, kind))
    spans: list[tuple[int, int]] = []
    stack: list[int] = []  # open marks: the outer quote, and at most one quote nested in it
    inner_close = -1  # where the first nested quote closed (-1: none yet)

    def flush() -> None:
        """The outer quote never closed: fall back to the first nested close (as if unnested)
        or, for a quotation introduced by a colon, to the end of its paragraph."""
        if not stack:
            return
        if inner_close != -1:
            spans.append((stack[0] + 1, inner_close))
        elif text[: stack[0]].rstrip().endswith(":"):
            end = text.find("\n", stack[0])
            spans.append((stack[0] + 1, len(text) if end == -1 else end))

    for pos, kind in marks:
        if stack and pos - stack[0] > _MAX_QUOTE:
            flush()
            stack, inner_close = [], -1
        if kind == "open":
            if not stack:
                stack = [pos]
            elif inner_close != -1 and "\n" in text[stack[0] : pos]:
                flush()  # an unbalanced quote earlier in the text: start afresh here
                stack, inner_close = [pos], -1
            elif len(stack) == 1 and "\n" not in text[stack[0] : pos]:
                stack.append(pos)  # “… có bị “rút ruột” hay không …": a quote inside the quote
        elif stack:
            if len(stack) == 1:
                spans.append((stack[0] + 1, pos))
                stack, inner_close = [], -1
            else:
                stack.pop()
                if inner_close == -1:
                    inner_close = pos
    flush()
    return spans


class _Resolver:
    """Entity mentions per article and pronoun resolution."""

    def __init__(self, cluster: Cluster, entities: list[Entity]) -> None:
        self.by_article: dict[str, list[tuple[int, int, Entity]]] = {}
        for e in entities:
            for m in e.mentions:
                self.by_article.setdefault(m.article, []).append((m.start, m.end, e))
        self.by_id = {e.id: e for e in entities}
        for lst in self.by_article.values():
            lst.sort(key=lambda x: x[0])
        self.starts = {k: [m[0] for m in v] for k, v in self.by_article.items()}
        self._texts = {a.id: a.text for a in cluster.articles}
        self._genders: dict[str, str | None] = {}

    def gender(self, entity_id: str) -> str | None:
        """The gender ("m", "f") the honorifics before the entity's mentions ("ông", "bà") agree on,
        else None. Worked out when a pronoun is resolved: most entities are never asked."""
        if entity_id not in self._genders:
            e = self.by_id.get(entity_id)
            genders: set[str] = set()
            for m in e.mentions if e else ():
                t = self._texts.get(m.article, "")
                before = t[max(0, m.start - 6) : m.start]
                h = _HON_BEFORE.search(before) if before.rstrip()[-3:].casefold().endswith(_HONORIFICS) else None
                if h:
                    genders.add(_PRONOUN_GENDER[h.group(1).casefold()])
            self._genders[entity_id] = genders.pop() if len(genders) == 1 else None
        return self._genders[entity_id]

    def mentions_in(self, article: str, start: int, end: int) -> list[tuple[int, int, Entity]]:
        lst = self.by_article.get(article, [])
        i = bisect.bisect_left(self.starts.get(article, []), start)
        out = []
        while i < len(lst) and lst[i][0] < end:
            if lst[i][1] <= end:
                out.append(lst[i])
            i += 1
        return out

    def pronoun(self, article: str, pronoun: str, window_start: int, pos: int) -> Entity | None:
        """The single compatible person mentioned in ``[window_start, pos)``, else None."""
        want = _PRONOUN_GENDER.get(pronoun.split()[0].casefold())
        found: dict[str, Entity] = {}
        for _, _, e in self.mentions_in(article, window_start, pos):
            if e.kind != "person":
                continue
            g = self.gender(e.id)
            if want is None or g is None or g == want:
                found[e.id] = e
        return next(iter(found.values())) if len(found) == 1 else None


def _speaker_from_phrase(
    res: _Resolver, article: str, text: str, start: int, end: int, window_start: int
) -> tuple[str | None, str | None]:
    """(entity id, name as written) for the speaker phrase ``text[start:end]``."""
    phrase = text[start:end].strip(" ,-–—")
    if not phrase:
        return None, None
    # a name inside parentheses describes the speaker ("Bà Hoa (mẹ ruột của Nguyên) nói"), it is not them
    ms = [m for m in res.mentions_in(article, start, end) if not _in_parentheses(text, start, m[0])]
    persons = [m for m in ms if m[2].kind == "person"]
    if persons:
        s, e, ent = persons[-1]
        return ent.id, text[s:e]
    orgs = [m for m in ms if m[2].kind == "organization"]
    if orgs and text[orgs[0][0] : end].strip() == text[orgs[0][0] : orgs[0][1]] and not _UNNAMED_HEAD.match(phrase):
        # "Hội Nghề cá cho biết": the organisation itself speaks.
        s, e, ent = orgs[0]
        return ent.id, text[s:e]
    low = phrase.casefold()
    if low in _FUNCTION_WORDS:
        return None, None
    if _PRONOUN.match(low):
        ent = res.pronoun(article, low, window_start, start)
        return (ent.id, ent.name) if ent else (None, None)  # the one person it can be, by name
    if low in _UNNAMED:
        return None, None
    if len(phrase.split()) > 12:
        return None, None
    return None, phrase


def _in_parentheses(text: str, start: int, pos: int) -> bool:
    """``pos`` sits inside a parenthesis opened after ``start``."""
    return text.rfind("(", start, pos) > text.rfind(")", start, pos)


def _clause_comma(text: str, end: int) -> int:
    """The last ", " before ``end`` outside parentheses: "Bà Hoa (61 tuổi, mẹ ruột của Nguyên) nói"
    is one clause whose subject is Bà Hoa, not Nguyên."""
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0 and text[i + 1 : i + 2] == " ":
            return i
    return -1


# after the verb that introduces a quote: "với phóng viên", "rằng", the colon
_VERB_TAIL = regex.compile(r"(?:\s+(?:với|trước)\s[^,:“”\"]{0,60})?(?:\s+rằng|\s+là)?\s*[:,]?\s*")


def _before_attr(text: str, sent_start: int, qs: int) -> tuple[int, int] | None:
    """Speaker phrase span before an opening mark: ``X nói: “``, ``X nói với phóng viên rằng “``."""
    before = text[sent_start : qs - 1]
    stripped = before.rstrip()
    if not stripped:
        return None
    verbs = list(_VERB.finditer(before))
    if stripped.endswith(":") or (verbs and _VERB_TAIL.fullmatch(before, verbs[-1].end())):
        if verbs:
            v = verbs[-1]
            tail = before[v.end():]
            if _VERB_TAIL.fullmatch(tail):
                cut = _clause_comma(before, v.start())
                clause = cut + 2 if cut != -1 else 0
                return sent_start + clause, sent_start + v.start()
        # "bà Smith nói:" handled above; "Sherman đăng dòng tweet có đoạn:" — the subject of the clause
        cut = _clause_comma(before, len(before))
        clause = cut + 2 if cut != -1 else 0
        return sent_start + clause, sent_start + len(stripped) - 1
    theo = list(_THEO.finditer(before))
    if theo:
        m = theo[-1]
        comma = before.find(",", m.end())
        if comma != -1 and before[comma + 1 :].strip() == "":
            return sent_start + m.end(), sent_start + comma
    return None


def extract_quotes(cluster: Cluster, entities: list[Entity]) -> list[Quote]:
    """Direct and reported quotes of ``cluster`` with speakers resolved against ``entities``."""
    res = _Resolver(cluster, entities)
    quotes: list[Quote] = []
    for article in cluster.distinct_articles:
        text = article.text
        if not text:
            continue
        spans = _sentence_spans(article)
        starts = [s for s, _ in spans]

        def sent_of(pos: int, starts: list[int] = starts) -> int:
            return max(0, bisect.bisect_right(starts, pos) - 1)

        first = len(quotes)  # this article's quotes start here
        taken: list[tuple[int, int]] = []
        quotations: list[tuple[int, int]] = []  # quoted stretches long enough to be speech
        for qs, qe in _quote_spans(text):
            inner = text[qs:qe]
            if _fewer_syllables(inner, _MIN_SYLLABLES):
                continue
            quotations.append((qs, qe))
            si, sj = sent_of(qs), sent_of(max(qs, qe - 1))
            window = spans[max(0, si - 3)][0]
            sid: str | None = None
            sname: str | None = None
            attributed = False
            before = _before_attr(text, spans[si][0], qs)
            if before:
                sid, sname = _speaker_from_phrase(res, article.id, text, before[0], before[1], window)
                if sid is None and before[0] > spans[si][0]:
                    # "Pierre Vimont, hiện là chuyên gia tại …, nhận xét: “…”": look past the appositive
                    wid, wname = _speaker_from_phrase(res, article.id, text, spans[si][0], before[1], window)
                    if wid is not None:
                        sid, sname = wid, wname
            if sname is None:
                # attribution after the closing mark, in the sentence where the quote closes
                send = spans[sj][1] if sj < len(spans) else len(text)
                tail_end = max(send, min(len(text), qe + 160))
                nl = text.find("\n", qe + 1)
                if nl != -1:
                    tail_end = min(tail_end, nl)
                m = _AFTER_ATTR.match(text, qe + 1, tail_end)
                if m and not _ENDS_SENTENCE.search(text, qe + 1, m.start("who")):
                    # (after “…”. the next sentence's subject is not this quote's speaker)
                    sid, sname = _speaker_from_phrase(res, article.id, text, m.start("who"), m.end("who"), window)
                    attributed = True  # (even to no one named: "…”, chuyên gia nhận định")
            if sname is None:
                # "“…” và “…”, X nói": the attribution after the sentence's last closing mark
                sent_end = spans[sj][1] if sj < len(spans) else len(text)
                last_close = max((text.rfind(ch, qe + 1, sent_end) for ch in "”\"″"), default=-1)
                if last_close > qe:
                    m = _AFTER_ATTR.match(text, last_close + 1, min(len(text), last_close + 160))
                    if m and not _ENDS_SENTENCE.search(text, last_close + 1, m.start("who")):
                        sid, sname = _speaker_from_phrase(res, article.id, text, m.start("who"), m.end("who"), window)
            if sname is None:
                # "Theo ông Ryabkov, Nga vẫn chưa nhận thấy “…”"
                t = _THEO_START.match(text, spans[si][0], qs)  # (an end: see _reported)
                comma = text.find(", ", spans[si][0], qs) if t else -1
                if t and comma != -1:
                    ms = [x for x in res.mentions_in(article.id, t.end(), comma) if x[2].kind == "person"]
                    if ms:
                        sid, sname = ms[-1][2].id, text[ms[-1][0] : ms[-1][1]]
            if sname is None and not before and not attributed and (
                    _fewer_syllables(inner, _MIN_UNATTRIBUTED) or not inner.lstrip()[:1].isupper()):
                continue  # an unattributed quoted term or phrase, not a quotation
            quotes.append(Quote(text=inner.strip(), speaker=sid, speaker_name=sname, direct=True,
                                source=SourceRef(article.id, si, qs, qe)))
            taken.append((qs - 1, qe + 1))
        quotes.extend(_reported(article, res, spans, taken, quotations, quotes[first:]))
        _continue_speakers(article, res, quotes[first:])
    return quotes


def _continue_speakers(article: Article, res: _Resolver, mine: list[Quote]) -> None:
    """A quotation standing alone as a paragraph ("“Lập trường của Mỹ vẫn không thay đổi …”" after
    "Theo ông Timofeev, …") goes on with the speaker of the paragraph before, when that paragraph
    ends with a statement of one named person."""
    by_sentence: dict[int, set[str]] = {}
    for q in mine:
        if q.speaker and res.by_id.get(q.speaker) and res.by_id[q.speaker].kind == "person":
            by_sentence.setdefault(q.source.sentence, set()).add(q.speaker)
    sentences = article.sentences
    for q in mine:
        si = q.source.sentence
        if q.speaker is not None or q.speaker_name is not None or not q.direct or si == 0:
            continue
        here, before = sentences[si], sentences[si - 1]
        opens = article.text[: q.source.start - 1].endswith("\n") and q.source.start - 1 == here.start
        if opens and before.paragraph == here.paragraph - 1 and len(by_sentence.get(si - 1, ())) == 1:
            q.speaker = next(iter(by_sentence[si - 1]))
            q.speaker_name = res.by_id[q.speaker].name


_REPORTED = regex.compile(
    rf"(?<![\p{{L}}])(?P<verb>{_VERB_ALT})(?![\p{{L}}])(?:\s+(?:với|trước)\s[^,:]{{0,50}}?(?=\s+rằng|\s*[,:]))?\s*(?:rằng|là)?\s*[,:]?\s*"
)


# (patterns of _reported and _speaker_from_phrase, compiled once)
_UNNAMED_HEAD = regex.compile(r"(?i)(?:một|các|những|lãnh đạo|quan chức|đại diện|nguồn|người|công văn|phía)")
_CIRCUMSTANCE = regex.compile(r"(?:với|trong|tại|trên|trước|sau|khi|về)\s")
_RANG = regex.compile(r"\srằng[\s,:]+")
_PERSON_VERBS = frozenset({"khai", "khai nhận", "dọa", "doạ"})  # testimony and threats: a person's
_SPOKESMAN_OF = regex.compile(r"(?i)(?:^|\s)(?:người\s+)?(?:đại diện|phát ngôn)(?:\s+của)?\s+$")
# after "X khai nhận, ": a new subject (indefinite) with its own speech verb
_NEW_SPEAKER = regex.compile(
    rf"(?:một|các|những|nhiều)\s[^,.;:“”\"]{{0,60}}?(?<!\s(?:được|bị))\s(?:(?:đã|cũng|vừa)\s+)*{_VERB_ALT}(?![\p{{L}}])")
_FOR_ORG = regex.compile(r"(?i)(?:lãnh đạo|quan chức|đại diện|nguồn tin|người phát ngôn|của)\s+$")
_PRONOUN_SUBJECT = regex.compile(r"(?:^|[,;]\s*)(ông|bà|Ông|Bà)\s+(?:(?:cũng|đã|vừa|còn)\s+)*$")
# Every _REPORTED match starts where a speech verb is written (its alternation is the verbs,
# case kept), so the verbs' starts are found per article with str.find, the verbs being few and
# rare, and the pattern is tried at those starts only: scanned over each sentence holding a
# verb, it was half of the stage's time. Each find is a pass over the article: a syllable several
# verbs share ("nhận": ghi nhận, xác nhận, …) is searched once for them all, and every verb
# holding what is searched ("cho biết thêm", "ra tuyên bố") is checked where it is found.
_VERB_STRINGS = tuple(sorted(v for v in set(SPEECH_VERBS) if not any(w != v and w in v for w in SPEECH_VERBS)))


def _search_keys(verbs: tuple[str, ...]) -> dict[str, str]:
    """Verb -> what is searched for it: the syllable it shares with the most verbs left, else itself."""
    key_of: dict[str, str] = {}
    left = sorted(verbs)
    while True:
        counts = Counter(s for v in left for s in set(v.split()))
        shared = max(((n, s) for s, n in counts.items() if n >= 2), default=None)
        if shared is None:
            break
        key_of.update((v, shared[1]) for v in left if shared[1] in v.split())
        left = [v for v in left if v not in key_of]
    key_of.update((v, v) for v in left)
    return key_of


_KEY_OF = _search_keys(_VERB_STRINGS)
# searched string -> (verb, offset of the searched string in it) for every verb found through it
_HOLDING: dict[str, list[tuple[str, int]]] = {}
for _w in sorted(set(SPEECH_VERBS)):
    _key = _KEY_OF[next(v for v in _VERB_STRINGS if v in _w)]
    _HOLDING.setdefault(_key, []).append((_w, _w.find(_key)))


def _verb_starts(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """For each sentence span, the sorted offsets (from the sentence's start) where a speech verb
    lying wholly inside the sentence starts."""
    if "" in _HOLDING or any(spans[i][1] > spans[i + 1][0] or spans[i][0] > spans[i][1]
                                  for i in range(len(spans) - 1)):
        # (spans out of order: each sentence on its own)
        return [_verb_starts(text[ss:se], [(0, se - ss)])[0] if se > ss else [] for ss, se in spans]
    starts = [ss for ss, _ in spans]
    found: list[set[int]] = [set() for _ in spans]
    for key, holding in _HOLDING.items():
        p = text.find(key)
        while p != -1:
            for w, offset in holding:
                q = p - offset
                if q >= 0 and text.startswith(w, q):
                    i = bisect.bisect_right(starts, q) - 1
                    if i >= 0 and q + len(w) <= spans[i][1]:
                        found[i].add(q - starts[i])
            p = text.find(key, p + 1)
    return [sorted(f) for f in found]


def _matches_at(pattern: regex.Pattern[str], text: str, starts: list[int], end: int) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text, starts[0], end)`` for a pattern (_REPORTED, _VERB) whose matches all
    start where a verb does: the same matches, each tried only at one of ``starts`` (ascending; its
    look-behind still sees the character before), the next one where the last ended or later."""
    last = 0
    for p in starts:
        if p < last:
            continue
        m = pattern.match(text, p, end)
        if m is not None:
            last = m.end()
            yield m


_AS_VERB = regex.compile(r"(?:^|\s)như\s+(?:(?:đã|được|từng)\s+)?$")
_VERB_THEN_COMMA = regex.compile(r"\s*[,:]")


def _theo_quote(text: str, res: _Resolver, article: str, si: int, src_start: int, comma: int,
                se: int, verbs: list[int]) -> Quote | None:
    """``Theo X, …`` (the sentence ``… se``; X in ``src_start:comma``): X's words, unless the rest has
    its own speech verb after someone named ("Theo báo Tuổi Trẻ, bà Lan, Giám đốc Sở …, cho biết: …"):
    then X only relays, and the speaker is that person (or organisation). "Theo báo cáo của X" is X's;
    a source named by no one ("Theo người dân địa phương") keeps its words with no speaker."""
    cs = comma + 2
    # (``verbs``: where the speech verbs of the sentence start, offsets into ``text``)
    inner = next((v for v in _matches_at(_VERB, text, [p for p in verbs if p >= cs], se)
                  if not _AS_VERB.search(text, cs, v.start())), None)
    named = [x for x in res.mentions_in(article, cs, inner.start()) if x[2].kind in ("person", "organization")
             ] if inner else []
    if named and not _SUBJ_GAP.match(text[res.mentions_in(article, cs, inner.start())[-1][1] : inner.start()]):
        return None  # the verb is no one's here ("Viettel là đơn vị đứng đầu … thông tin")
    sid: str | None
    if named:
        people = [x for x in named if x[2].kind == "person"]
        s, e, ent = people[0] if people else named[0]
        sid, sname = ent.id, text[s:e]
        cs = _REPORTED.match(text, inner.start()).end()
    elif inner and _CAPITAL.search(text, cs + 1, inner.start()):
        return None  # someone unrecognised speaks after the comma ("Theo báo X, Công an quận Y cho biết …")
    else:  # (a speech verb with no one before it is a noun: "chưa có thông tin …")
        ms = [x for x in res.mentions_in(article, src_start, comma) if x[2].kind in ("person", "organization")]
        gap = text[src_start : ms[0][0]] if ms else ""
        source = text[src_start:comma].strip()
        if ms and _THEO_GAP.fullmatch(gap) and (not _THEO_NOT_SPEAKER.search(gap) or _DOCUMENT_OF.fullmatch(gap)):
            # the person named ("Theo Bộ trưởng Bộ Y tế Nguyễn A"), else the first source ("Theo CNBC và Bloomberg")
            people = [x for x in ms if x[2].kind == "person"]
            s, e, ent = people[-1] if people else ms[0]
            sid, sname = ent.id, text[s:e]
        elif (not ms and _UNNAMED_SOURCE.match(source) and len(source.split()) <= _SOURCE_MAX_WORDS
              and not _OF.search(source)):  # ("báo cáo của Sở văn hóa, Thể thao …": an unread name, cut)
            sid, sname = None, source
        else:
            return None
    if _fewer_syllables(text[cs:se], _MIN_REPORTED):
        return None
    return Quote(text=text[cs:se].rstrip(" ."), speaker=sid, speaker_name=sname, direct=False,
                 source=SourceRef(article, si, cs, se))


def _words_re(name: str) -> str:
    return "|".join(sorted(map(regex.escape, lexicon.words(name)), key=len, reverse=True))


# "báo cáo nhanh của", "thống kê ban đầu của": a document, then whose it is
_DOCUMENT_OF = regex.compile(rf"(?i)(?:{_words_re('source_documents')})(?:\s+[\p{{L}}]+){{0,2}}\s+của\s+")
_UNNAMED_SOURCE = regex.compile(rf"(?i)(?:{_words_re('unnamed_sources')})(?![\p{{L}}])")
# the whole subject before a speech verb is an unnamed source ("Một số nguồn tin", "Đại diện bệnh viện")
_UNNAMED_SUBJECT = regex.compile(
    rf"(?i)(?P<who>(?:(?:một số|một|các|nhiều)\s+)?(?:{_words_re('unnamed_sources')})(?:\s+[\p{{L}}]+){{0,3}}?)"
    r"\s+(?:(?:cũng|đã|vừa|có)\s+)*")
_SOURCE_MAX_WORDS = 6  # "người dân địa phương", "báo cáo ban đầu": longer is a clause, not a source
_CAPITAL = regex.compile(r"\p{Lu}")
_OF = regex.compile(r"(?<![\p{L}])của(?![\p{L}])")


def _fewer_syllables(text: str, k: int) -> bool:
    """``count_syllables(text) < k``, counting no further than ``k``."""
    return next(islice(_TOKEN.finditer(text), k - 1, None), None) is None


def _previous_speaker(res: _Resolver, said: dict[int, set[str]], si: int, pronoun: str) -> Entity | None:
    """"Ngoại trưởng Lavrov đánh giá … . Ông khẳng định …": a pronoun opening the sentence after one
    person's statement is that person (when the gender fits), though others were named in between."""
    prev = said.get(si - 1, set())
    if len(prev) != 1:
        return None
    ent = res.by_id.get(next(iter(prev)))
    want = _PRONOUN_GENDER.get(pronoun.casefold())
    if ent is None or ent.kind != "person" or (want and res.gender(ent.id) not in (None, want)):
        return None
    return ent


def _reported(article: Article, res: _Resolver, spans: list[tuple[int, int]],
              taken: list[tuple[int, int]], quotations: list[tuple[int, int]],
              direct: list[Quote]) -> list[Quote]:
    """``X cho biết …`` / ``Theo X, …``: reported speech with a named (or pronoun) speaker."""
    text = article.text
    out: list[Quote] = []
    said: dict[int, set[str]] = {}  # sentence -> who made a statement in it (named speakers)
    for q in direct:
        if q.speaker:
            said.setdefault(q.source.sentence, set()).add(q.speaker)
    verb_at = _verb_starts(text, spans)
    for si, (ss, se) in enumerate(spans):
        sent = text[ss:se]
        # (most sentences hold no speech verb and no "theo": substring tests are far cheaper than the scans)
        has_verb = bool(verb_at[si])
        if not has_verb and "heo" not in sent:
            continue
        if any(a < se and ss < b for a, b in taken):
            continue
        if ('"' in sent or "“" in sent) and any(a < se and ss < b for a, b in quotations):
            continue  # a quotation proper is handled as direct speech; scare quotes ("bành trướng") are not
        window = spans[max(0, si - 3)][0]
        found = False
        # (the end matters: without one, ``regex`` looks for "heo" up to the end of the text on
        # every call, quadratic in an article's length)
        theo_comma = text.find(", ", ss, se) if text[ss : ss + 1] in _THEO_FIRST and _THEO_START.match(
            text, ss, se) else -1
        for m in _matches_at(_REPORTED, sent, verb_at[si], len(sent)):
            vs = ss + m.start("verb")
            content_start = ss + m.end()
            if _AS_VERB.search(text, ss, vs):
                continue  # "như đã dự đoán": "as predicted", an adverbial, not someone speaking
            if not _VERB_THEN_COMMA.match(text, ss + m.end("verb"), content_start) and _CIRCUMSTANCE.match(
                    text, content_start, se):
                # (after "cho biết," the content starts, whatever its first word: "…, sau 10 năm …")
                # "tuyên bố với các phóng viên …" / "cho biết trong một cuộc phỏng vấn … rằng …"
                r = _RANG.search(text, content_start, se)
                if not r:
                    continue
                content_start = r.end()
            if _fewer_syllables(text[content_start:se], _MIN_REPORTED):
                continue
            if _NEW_SPEAKER.match(text, content_start, se):
                continue  # "Nghe bị cáo khai nhận, một vị hội thẩm đã phân tích …": another's words follow
            # subject: the last entity mention before the verb, separated only by an appositive
            cands = res.mentions_in(article.id, ss, vs)
            sid = sname = None
            if cands:
                s, e, ent = cands[-1]
                # "Bà Thảo, Tổng giám đốc Vietjet Air cho biết": the person, not the org in the apposition
                # ("Polar Group - hãng đồ uống lớn nhất Venezuela - thông báo": an organisation likewise)
                # (when no person is named before the verb)
                speakers = ("person",) if any(c[2].kind == "person" for c in cands) else ("organization",)
                # "đại diện Cục Quản lý Dược khẳng định": the organisation speaks through its representative
                spokesman = ent.kind == "organization" and _SUBJ_GAP.match(text[e:vs]) and _SPOKESMAN_OF.search(
                    text[ss:s])
                for ps, pe, pent in () if spokesman else reversed(cands[:-1]):
                    if pent.kind in speakers and _SUBJ_GAP.match(text[pe:vs]):
                        s, e, ent = ps, pe, pent
                        break
                if theo_comma != -1 and e <= theo_comma < vs:
                    continue  # "Theo ông X, chưa có thông tin …": X is the source of the clause, not a subject
                if ent.kind == "organization" and m.group("verb") in _PERSON_VERBS:
                    continue  # ("sàn TMĐT khai thay thuế": a body declares taxes, a person testifies)
                if ent.kind in ("person", "organization") and _SUBJ_GAP.match(text[e:vs]):
                    pre = text[ss:s]
                    if ent.kind == "organization" and _FOR_ORG.search(pre) and not spokesman:
                        continue
                    sid, sname = ent.id, text[s:e]
            if sid is None:
                pm = _PRONOUN_SUBJECT.search(text[ss:vs])
                unnamed = None if pm or cands else _UNNAMED_SUBJECT.fullmatch(text, ss, vs)
                if not pm and not unnamed:
                    continue
                if unnamed:  # "Một số nguồn tin cho biết, …", "Người đại diện cho biết …": words, no one named
                    sname = unnamed.group("who")
                else:
                    ent = res.pronoun(article.id, pm.group(1), window, vs)
                    if ent is None and pm.start() == 0:
                        ent = _previous_speaker(res, said, si, pm.group(1))
                    sid, sname = (ent.id, ent.name) if ent else (None, None)
            out.append(Quote(text=text[content_start:se].rstrip(" ."), speaker=sid, speaker_name=sname,
                             direct=False, source=SourceRef(article.id, si, content_start, se)))
            if sid:
                said.setdefault(si, set()).add(sid)
            found = True
            break
        if found:
            continue
        # "Theo ông X, …"
        m = _THEO.search(sent)
        if m:
            comma = sent.find(", ", m.end())
            if comma != -1 and comma - m.end() < 80:
                quote = _theo_quote(text, res, article.id, si, ss + m.end(), ss + comma, se,
                                    [ss + p for p in verb_at[si]])
                if quote:
                    out.append(quote)
    return out
