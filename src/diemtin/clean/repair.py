"""Text repair: pure ``str -> str`` helpers used by the cleaner.

- :func:`normalize_line`: NFC, invisible/non-breaking characters, runs of spaces.
- :func:`fix_dotted_words`: words obfuscated with a dot (``t.iền`` -> ``tiền``), which some
  sites do to dodge keyword filters. A token is joined only when the pieces are lowercase
  letter runs, the first piece is short and the joined token is a well-formed Vietnamese
  syllable (checked with a syllable-structure regex, not a word list), so ``TP.HCM``,
  ``10.1``, ``U.S.``, ``Baoquocte.vn``, e-mails and ``Q.1`` are left alone.
- :func:`undouble`: a title glued to itself (``"AB"+"AB"``) or repeated after a space.
- :func:`strip_prefix`: a site/place tag glued before a lead (``VOV.VN - ``, ``(Dân trí) - ``).
"""

from __future__ import annotations

import re
import unicodedata

import regex

# Zero-width and non-breaking characters: invisible in a browser, but they split words.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# What str.split() splits at besides the space (str.isspace: tests/test_repair.py checks it).
OTHER_SPACES = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

# --- Vietnamese syllable structure: onset? + nucleus (1-3 vowels, at most one tone) + coda?
_V = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_CODA = r"(?:ch|ng|nh|c|m|n|p|t|i|y|o|u)?"
_SYLLABLE = regex.compile(rf"{_ONSET}[{_V}]{{1,3}}{_CODA}")
_TONED = regex.compile("[àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
# Stop consonant codas only take the sắc or nặng tone (or none): "tiệc", "hát", not "tiềc".
_BAD_STOP_TONE = regex.compile("[àảãằẳẵầẩẫèẻẽềểễìỉĩòỏõồổỗờởỡùủũừửữỳỷỹ](?:c|ch|p|t)$")


def is_syllable(token: str) -> bool:
    """True when ``token`` (any case) is a well-formed Vietnamese syllable."""
    t = unicodedata.normalize("NFC", token.lower())
    if not t or not _SYLLABLE.fullmatch(t):
        return False
    if len(_TONED.findall(t)) > 1 or _BAD_STOP_TONE.search(t):
        return False
    # Onsets that cannot precede some vowels: "gh"/"ngh"/"k" only before i/e/ê (and y for k).
    if regex.match(r"(?:gh|ngh)[^ieêìíỉĩịèéẻẽẹềếểễệ]", t) or regex.match(r"k(?!h)[^ieêyìíỉĩịèéẻẽẹềếểễệỳýỷỹỵ]", t):
        return False
    return True


# A dotted token: 1-3 letters (first may be upper case), then ".lowercase" pieces; not part of
# a longer dotted/URL/e-mail token on either side.
_DOTTED = regex.compile(
    r"(?<![\p{L}\p{N}.@/_-])(\p{L}\p{Ll}{0,2})((?:\.\p{Ll}{1,7})+)(?![\p{L}\p{N}@/_]|\.[\p{L}\p{N}])"
)


# A dot followed by what could be a lowercase letter: ASCII ``a-z`` or any character beyond
# ASCII but spaces and general punctuation (``”``, ``…``). Every ``_DOTTED`` match holds one;
# most lines hold none (full stops before spaces, capitals, digits), and stdlib ``re`` finds
# that several times faster than a ``_DOTTED`` scan, which tries each letter of the line.
_MAYBE_DOTTED = re.compile(r"\.[^\x00-\x60\x7b-\x7f\s\u2000-\u206f]")
_LATIN_ABBREVIATIONS = {"am", "pm", "eg", "ie", "ps", "vs", "bc", "ad"}


def _join_dotted(m: regex.Match[str]) -> str:
    first, rest = m.group(1), m.group(2)
    pieces = rest.split(".")[1:]
    whole = m.group(0)
    if first[0].isupper() and len(first) > 1 and not first[1:].islower():
        return whole
    joined = first + "".join(pieces)
    # "a.m.", "e.g." abbreviations: single letters, dot after. Only the Latin ones: "đ.ó." or
    # "r.a." at the end of a sentence are obfuscated "đó", "ra" followed by the full stop.
    end = m.end()
    if (
        all(len(p) == 1 for p in [first, *pieces])
        and m.string[end : end + 1] == "."
        and joined.lower() in _LATIN_ABBREVIATIONS
    ):
        return whole
    return joined if is_syllable(joined) else whole


def fix_dotted_words(text: str) -> str:
    """``t.ố c.áo`` -> ``tố cáo``; leaves abbreviations, numbers, domains and e-mails alone."""
    if "." not in text or not _MAYBE_DOTTED.search(text):
        return text
    return _DOTTED.sub(_join_dotted, text)


def normalize_line(text: str) -> str:
    """NFC; drop zero-width characters; non-breaking/odd spaces -> one space; strip."""
    # str.split() already treats U+00A0, U+2000-U+200A, U+202F, U+3000 as spaces.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if "  " in text or text[:1] == " " or text[-1:] == " " or OTHER_SPACES.search(text):
        return " ".join(text.split())
    return text  # (spaced as the join would leave it: splitting a long paragraph to rejoin it was a third of the time)


def undouble(line: str, min_half: int = 12) -> str:
    """``"Tiêu đềTiêu đề"`` or ``"Tiêu đề Tiêu đề"`` -> ``"Tiêu đề"``; anything else unchanged.

    Only multi-word halves of at least ``min_half`` characters count, so "haha" or a
    repeated single word survive.
    """
    n = len(line)
    if n < 2 * min_half:
        return line
    half = n // 2
    if n % 2 == 0 and line[:half] == line[half:] and " " in line[:half]:
        return line[:half]
    if n % 2 == 1 and line[half] == " " and line[:half] == line[half + 1 :] and " " in line[:half]:
        return line[:half]
    return line


def repair_line(line: str) -> str:
    """All line-level repairs, in the order the cleaner needs them."""
    return undouble(fix_dotted_words(normalize_line(line)))


# A site or place tag glued before the lead: "VOV.VN - ", "(Dân trí) - ", "TTO - ", "HÀ NỘI - ",
# "Baonghean.vn -". Parenthesised tags, domains, or all-caps words followed by a spaced dash
# ("VN-Index tăng" or "PV: Ông ..." are sentences, not tags).
_PREFIX = regex.compile(
    r"""^(?:\(\s*\p{Lu}[^()]{1,28}\)\s*[-–—]\s*
          |[\p{L}\d-]+\.(?i:vn|net|com|com\.vn)\s*[-–—]\s*
          |[\p{Lu}\d][\p{Lu}\d.&]{1,15}(?:\s[\p{Lu}\d.&]{2,12}){0,2}\s+[-–—]\s+)(?=[\p{Lu}\d"“‘'])""",
    regex.X | regex.V1,
)


def strip_prefix(line: str) -> tuple[str, str]:
    """``"VOV.VN - Nội dung"`` -> ``("VOV.VN - ", "Nội dung")``; ``("", line)`` when no tag."""
    m = _PREFIX.match(line)
    if not m or len(line) - m.end() < 30:
        return "", line
    return m.group(0), line[m.end() :]
