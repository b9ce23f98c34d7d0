"""Segment stage: cleaned text -> paragraphs and sentences with character offsets.

Vietnamese news breaks generic splitters in known places: abbreviations with a dot
(``TP.HCM``, ``Q.1``, ``ThS.``, ``GS.TS``), dates and numbers written with dots
(``ngày 10.1``, ``100.000``), decimals with commas (``7,5 giờ``), sentences closing
inside quotes (``.”``), ellipses, and a missing space after a period (``2,58%.Trong``).
The rule here: a boundary is end punctuation (plus any closing quotes/brackets) followed
by whitespace or directly by an upper-case word, where the next token can open a
sentence and the token before the dot is not an abbreviation or an initial.
"""

from __future__ import annotations

import regex

from diemtin.model import Article, Paragraph, Sentence

# Titles and abbreviations that take a dot and are followed by a capitalised name/number.
ABBREVIATIONS = frozenset(
    """TP Tp tp Q P X H TX TT Th ThS Ths TS Ts GS Gs PGS Pgs BS Bs KS Ks CN NXB St Mr Mrs Ms Dr Jr Sr
    Co Corp Inc Ltd No Vol Prof Gen Lt Col Capt Sgt Rep Sen Gov Mt Ft Ave Jan Feb Mar Apr Jun Jul Aug
    Sep Sept Oct Nov Dec vs tr TCN SCN ĐH ĐHQG UBND HĐND""".split()
) | frozenset(
    # Address and road parts, always followed by their name or number: khu phố, tổ dân phố, khu
    # công nghiệp, khu đô thị, quốc lộ ("tổ 8, KP. 3", "QL. 1A"). (Not "ĐT": "Bộ GD-ĐT." ends one.)
    "KP Kp TDP KCN KĐT QL".split()
)

_CLOSERS = "\"”’'»)]}"
_OPENERS = "\"“‘'«([{-–—•"
# End punctuation, optional closing quotes/brackets, then either whitespace or an upper-case
# letter glued to it ("2,58%.Trong").
# The whole run of end punctuation is taken at once (possessive, and never starting inside
# a run), so a line of 40,000 dots costs one pass instead of a backtrack per dot.
_BOUNDARY = regex.compile(
    r"(?<![.!?…])(?P<punct>[.!?…]++)(?P<close>[" + regex.escape(_CLOSERS) + r"]*+)"
    r"(?:(?P<space>\s+)|(?=\p{Lu}\p{Ll}))"
)
_LIST_NUMBER = regex.compile(r"^\s*(\d{1,2}|[a-zA-Z]|[IVX]{1,4})$")
LONGEST_ABBREVIATION = 40  # characters looked back for the word before a dot ("GS.TS.BS", URLs are longer)


def _can_open(text: str, pos: int) -> bool:
    """Whether a sentence can start at ``text[pos]``: upper case, digit or an opening mark."""
    if pos >= len(text):
        return True
    ch = text[pos]
    return ch.isupper() or ch.isdigit() or ch in _OPENERS


def _is_abbreviation(text: str, dot: int, segment_start: int) -> bool:
    """Whether the period at ``text[dot]`` ends an abbreviation or initial, not a sentence."""
    # The word before the dot, found by looking back a bounded distance: searching from the
    # segment start would make a long run of abbreviations quadratic.
    begin = dot
    floor = max(segment_start, dot - LONGEST_ABBREVIATION)
    while begin > floor and not text[begin - 1].isspace():
        begin -= 1
    if begin == dot:
        return False
    word = text[begin:dot].lstrip(_OPENERS)
    last = word.rsplit(".", 1)[-1]  # "GS.TS" -> "TS", "Th.S" -> "S"
    if last in ABBREVIATIONS or word in ABBREVIATIONS:
        return True
    if len(last) == 1 and last.isalpha() and last.isupper():
        return True  # an initial: "J. Smith", "Nguyễn V. A."
    if dot - segment_start <= 8 and _LIST_NUMBER.match(text[segment_start:dot]):
        return True  # "1. Thay vì …" at the start of a paragraph is list numbering
    return False


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    seg_start = start
    for m in _BOUNDARY.finditer(text, start, end):
        punct, close = m.group("punct"), m.group("close")
        boundary = m.end("close")
        next_pos = m.end()
        if not _can_open(text, next_pos) and next_pos < end:
            continue
        if punct == "." and not close and _is_abbreviation(text, m.start("punct"), seg_start):
            continue
        if m.group("space") is None and punct != ".":
            continue  # glued boundaries are only trusted after a plain period
        if m.group("space") is None:
            before = text[m.start("punct") - 1] if m.start("punct") > seg_start else ""
            # "TP.HCM", "U.S.Army": upper case on both sides is an abbreviation, not a break.
            if not before or before.isupper():
                continue
        _append_span(text, seg_start, boundary, spans)
        seg_start = next_pos
    _append_span(text, seg_start, end, spans)
    return spans


def _append_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def segment_article(article: Article) -> None:
    """Fill ``article.paragraphs`` and ``article.sentences`` from ``article.text``."""
    text = article.text
    article.paragraphs = []
    article.sentences = []
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            continue
        p_index = len(article.paragraphs)
        is_lead = bool(article.lead) and p_index == 0 and line.strip() == article.lead.strip()
        article.paragraphs.append(Paragraph(index=p_index, start=line_start, end=line_end, is_lead=is_lead))
        for s_start, s_end in split_sentences(text, line_start, line_end):
            article.sentences.append(
                Sentence(
                    article_id=article.id,
                    index=len(article.sentences),
                    paragraph=p_index,
                    start=s_start,
                    end=s_end,
                    text=text[s_start:s_end],
                )
            )
