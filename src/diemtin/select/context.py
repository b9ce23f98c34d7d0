"""Lost context: does a sentence open on something only the sentence before it explains?

A summary sentence read away from its article must stand on its own. It does not when it
opens on a pronoun subject ("Ông cho biết …"), a connective ("Tuy nhiên", "Cụ thể",
"Trong khi đó"), an attribution to a pronoun ("Theo ông …"), a demonstrative subject
("Đây là …", "Các lệnh trừng phạt này …"), an anaphor anywhere ("nước này", "tổ chức nói
trên") whose noun the sentence itself does not name, a demonstrative opening a reported
clause ("X nhấn mạnh: Đây là …"), or a bare quote (no speaker, or a
pronoun speaker). The words are language data (``diemtin.lang.context_words``); the rules are
here. The selector takes such a sentence only right after the one it continues.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress, islice
from typing import NamedTuple

from diemtin.lang import lexicon
from diemtin.lang.context_words import context_words
from diemtin.lang.tokens import cased_syllables, iter_cased_syllables

# A demonstrative ("này", "nói trên") this early is part of the subject: "Kết quả này cho thấy".
SUBJECT_SPAN = 6
_OPEN_QUOTES = "“\"‘«'"
_CLOSE_QUOTES = "”\"’»'"
_MAX_PHRASE = 4  # longest lexicon phrase, in syllables
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
def _opener_starts() -> frozenset[str]:
    """First words of what :func:`_opener` looks for."""
    return frozenset().union(*map(_starts, ("attribution", "pronoun", "connective", "demonstrative")))


class _RuleStarts(NamedTuple):
    opener: frozenset[str]
    frame: frozenset[str]
    event: frozenset[str]
    conditional: frozenset[str]
    deictic: frozenset[str]
    saying: frozenset[str]
    demonstrative: frozenset[str]
    side: frozenset[str]


@cache
def _rule_starts() -> _RuleStarts:
    """The first words :func:`lost_context` tests before each rule, in one lookup."""
    return _RuleStarts(_opener_starts(), *map(_starts, ("frame", "event", "conditional", "deictic", "saying",
                                                         "demonstrative", "side")))


def _deictic_starts() -> frozenset[str]:
    return _starts("deictic")


def _positions(lower: Sequence[str], words: frozenset[str]) -> Iterator[int]:
    """Indices after the first of the words of ``lower`` that are in ``words``, in order (one
    C-level scan: most words are none)."""
    return compress(range(1, len(lower)), map(words.__contains__, lower[1:]))


def _is_name(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


def _opener(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """Context needed by how the sentence opens (its first words)."""
    lex = context_words()
    for kind in ("attribution", "pronoun"):
        n = _prefix(lower, lex[kind])
        # "Ông Ryabkov cho biết", "Theo ông Lavrov": a name follows, the reader knows who.
        if n and not (n < len(cased) and _is_name(cased[n])):
            return LostContext(kind, " ".join(cased[:n]))
    for kind in ("connective", "demonstrative"):
        n = _prefix(lower, lex[kind])
        if n:
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


def _opening_clause(text: str) -> tuple[list[str], list[str]]:
    """The cased and lowercased syllables before the sentence's first comma (none: no comma)."""
    comma = text.find(",")
    head = cased_syllables(text[:comma]) if comma >= 0 else []
    return head, [t.lower() for t in head]


def _event_frame(text: str, lower: Sequence[str]) -> LostContext | None:
    """A short opening frame on an event it does not name: "Kết thúc cuộc đàm phán, …",
    "Tại hội nghị, …" (but "Sau cuộc gặp ở Geneva hôm 10/1, …" says which)."""
    if not lower or lower[0] not in _starts("frame"):
        return None
    head, lower = _opening_clause(text)
    if not head or len(head) > FRAME_MAX_SYLLABLES or any(_is_name(t) for t in head[1:]):
        return None
    lex = context_words()
    n = _prefix(lower, lex["frame"])
    if not n or not _prefix(lower, lex["event"], n) or _prefix(lower, lex["not_event"], n):
        return None
    return LostContext("event", " ".join(head))


def _unnamed_event(text: str) -> LostContext | None:
    """An opening clause that ends on an event it does not name: "Trả lời báo chí sau cuộc họp, …",
    "… bên lề hội nghị, …" (but "sau cuộc họp hôm 12/1", "sau cuộc gặp với Thủ tướng" say which)."""
    head, low = _opening_clause(text)
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


def _anaphor(cased: Sequence[str], lower: Sequence[str]) -> LostContext | None:
    """A noun pointing back ("nước này", "tổ chức nói trên", "Các lệnh trừng phạt này")."""
    lex = context_words()
    starts = _deictic_starts()
    if starts.isdisjoint(lower):
        return None  # most sentences: no pointing word at all
    for i in _positions(lower, starts):
        d = _prefix(lower, lex["deictic"], i)
        if not d:
            continue
        # the words before the pointer: an anaphor noun, or any subject when it comes this early
        for n in range(min(_MAX_PHRASE, i), 0, -1):
            head = tuple(lower[i - n : i])
            if head in lex["time"]:
                break  # "tuần này", "năm đó": time, anchored by the article's date
            if head in lex["anaphor"]:
                if head[0] in lower[: i - n] or any(_is_name(t) for t in cased[1 : i - n]):
                    break  # the sentence names it itself: "Bộ Ngoại giao Nga … nước này"
                return LostContext("anaphor", " ".join(cased[i - n : i + d]))
        else:
            if lower[i] in ("này", "nói", "kể", "vừa") and i < SUBJECT_SPAN and lower[i - 1] not in lex["time"]:
                return LostContext("demonstrative", " ".join(cased[: i + d]))
    return None


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
    saying_starts = _starts("saying")
    if saying_starts.isdisjoint(lower) or _starts("demonstrative").isdisjoint(lower):
        return None
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

    __slots__ = ("text", "n", "words", "_rest")  # one per sentence read

    def __init__(self, text: str, n: int) -> None:
        self.text, self.n = text, n
        self.words: list[str] = []
        self._rest: Iterator[str] | None = None

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
    return (
        (_opener(cased, lower) if first in starts.opener else None)
        or (_event_frame(text, lower) if first in starts.frame else None)
        or (_side(cased, lower) if first in starts.side else None)
        or (_unnamed_event(text) if not (starts.frame.isdisjoint(lower) or starts.event.isdisjoint(lower)) else None)
        or (_conditional(cased, lower) if first in starts.conditional else None)
        or (_anaphor(cased, lower) if not starts.deictic.isdisjoint(lower) else None)
        or (_reported(cased, lower) if not (starts.saying.isdisjoint(lower) or starts.demonstrative.isdisjoint(lower))
            else None)
    )
