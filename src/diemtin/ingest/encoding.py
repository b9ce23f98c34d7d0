"""Bytes -> NFC text, including the legacy Vietnamese encodings scraped pages still come in.

Order of trust:

1. BOMs (UTF-8, UTF-16) and BOM-less UTF-16 (NUL bytes in every other position);
2. strict UTF-8 — if it decodes, it is UTF-8 (legacy 8-bit Vietnamese text practically
   never forms valid UTF-8 sequences). Text that is valid UTF-8 but holds *mojibake* of a
   legacy font encoding (VNI/TCVN3 glyphs pasted from an old Word document, or UTF-8 read
   as cp1252 and saved again) is repaired only when the repair is clearly Vietnamese and
   the original clearly is not;
3. otherwise windows-1258, TCVN3 (ABC) and VNI-Windows are all tried and scored by the
   share of resulting words that are well-formed Vietnamese syllables; the best wins only
   when it is clearly good. Non-Vietnamese legacy text (cp1252 English, GBK Chinese ...)
   falls back to charset-normalizer's guess when that guess is clean and nothing looks
   Vietnamese. Anything else raises :class:`InputError` — never silently mangled text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from diemtin.errors import InputError
from diemtin.lang.tokens import nfc, reads_alike

# --------------------------------------------------------------------------- normalizing


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds lone surrogates (from JSON ``\\udfff`` escapes or undecodable file names)."""
    return _SURROGATE.search(text) is not None


def normalize_text(text: str) -> str:
    """NFC, '\\n' line ends, no BOM, lone surrogates (unencodable anywhere) as U+FFFD."""
    text = text.replace("\ufeff", "")
    if has_surrogates(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text)


# --------------------------------------------------------------------------- syllables

_TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}

_ONSET = r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)"
# Toneless vowel nuclei (with their final glide when there is one). Ordered longest first
# so the regex alternation prefers e.g. "ươi" over "ươ".
_NUCLEI = sorted(
    """
    a ă â e ê i o ô ơ u ư y
    ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê
    iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu
    """.split(),
    key=len,
    reverse=True,
)
_CODA = r"(?:ch|ng|nh|c|k|m|n|p|t)"  # k: Tây Nguyên names (Đắk Lắk)
_SYLLABLE = regex.compile(rf"({_ONSET}?)({'|'.join(_NUCLEI)})({_CODA}?)")
_GLIDE_END = set("iouy")
_STOP_CODAS = {"c", "ch", "k", "p", "t"}

# Letters that only Vietnamese (among Latin-script languages we meet) uses.
_VIET_LETTERS = set("ăâêôơưđ")


def _split_tone(token: str) -> tuple[str, int, str | None] | None:
    """``token`` (NFC, lowercase) -> (toneless NFC token, index of the toned char, tone).

    Returns None when a character carries more than one tone or a mark Vietnamese lacks.
    The toneless token has exactly one char per char of ``token``, so indices line up.
    """
    out = []
    tone_at, tone = -1, None
    for i, ch in enumerate(token):
        if ch.isascii():
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base = [c for c in parts if c not in _TONES]
        tones = [c for c in parts if c in _TONES]
        if tones:
            if tone is not None or len(tones) > 1:
                return None
            tone, tone_at = tones[0], i
        rebuilt = unicodedata.normalize("NFC", "".join(base))
        if len(rebuilt) != 1:
            return None  # a combining mark Vietnamese does not use (e.g. diaeresis on a)
        out.append(rebuilt)
    return "".join(out), tone_at, tone


@lru_cache(maxsize=200_000)
def is_vietnamese_syllable(token: str) -> bool:
    """True when ``token`` is a well-formed Vietnamese syllable (case-insensitive).

    Checks onset + nucleus + coda, at most one tone, stop codas (c, ch, p, t) taking only
    sắc/nặng, and that the tone does not sit on a final glide ("haì" is mojibake of "hài").
    """
    if not token or len(token) > 8:
        return False
    original = nfc(token)
    # "HaÌ": an upper-case letter after a lower-case one inside a word is a decoding error.
    if any(a.islower() and b.isupper() for a, b in zip(original, original[1:], strict=False)):
        return False
    split = _split_tone(original.lower())
    if split is None:
        return False
    bare, tone_at, tone = split
    m = _SYLLABLE.fullmatch(bare)
    if m is None:
        return False
    onset, nucleus, coda = m.group(1), m.group(2), m.group(3)
    if tone is not None:
        if coda in _STOP_CODAS and _TONES[tone] not in ("sắc", "nặng"):
            return False
        pos = tone_at - len(onset)
        if pos < 0:
            return False  # a tone on a consonant
        if (
            not coda
            and len(nucleus) >= 2
            and nucleus[-1] in _GLIDE_END
            and pos == len(nucleus) - 1
            and nucleus not in ("uy", "oo")
        ):
            return False
    return True


_WORD = regex.compile(r"[\p{L}\p{M}]+")
_RE_WORD = re.compile(r"[^\W\d_]+")  # the same runs where stdlib re reads a text alike (faster)


def _letter_tokens(text: str) -> list[str]:
    return (_RE_WORD if reads_alike(text) else _WORD).findall(text)


@lru_cache(maxsize=200_000)  # a pure function of the token, and a text repeats its syllables
def _has_viet_marks(token: str) -> bool:
    low = token.lower()
    if any(c in _VIET_LETTERS for c in low):
        return True
    return any(c in _TONES for c in unicodedata.normalize("NFD", low))


_OTHER, _MARKED, _PLAIN = 0, 1, 2  # not a Vietnamese syllable; one with diacritics; a plain-ASCII one


@lru_cache(maxsize=200_000)  # (one cached look-up a token, not two)
def _syllable_kind(token: str) -> int:
    if not is_vietnamese_syllable(token):
        return _OTHER
    if _has_viet_marks(token):
        return _MARKED
    return _PLAIN if token.isascii() else _OTHER


def vietnamese_ratio(text: str) -> float:
    """Share of word tokens that are Vietnamese syllables (0.0 .. 1.0).

    Syllables with Vietnamese diacritics always count. Plain-ASCII tokens are ambiguous
    ("anh", "cho" are Vietnamese, but so is the shape of "the", "on"), so they count only
    when at least a quarter of the tokens carry Vietnamese diacritics. Typical news text
    scores > 0.8; English or Chinese text scores < 0.1.
    """
    tokens = _letter_tokens(text)
    if not tokens:
        return 0.0
    marked = plain = 0
    for t in tokens:
        kind = _syllable_kind(t)
        if kind == _MARKED:
            marked += 1
        elif kind == _PLAIN:
            plain += 1
    if marked / len(tokens) >= 0.25:
        return (marked + plain) / len(tokens)
    return marked / len(tokens)


@dataclass
class _Score:
    good: int  # non-ASCII tokens that are valid syllables
    bad: int  # non-ASCII tokens that are not, plus stray symbols typical of mojibake

    @property
    def quality(self) -> float:
        total = self.good + self.bad
        return self.good / total if total else 0.0


# Symbols that legacy-font mojibake produces inside words; real text rarely has them.
_ODD_SYMBOLS = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷ƒˆ˜\ufffd")


_VOWELS = regex.compile(r"[aeiouyAEIOUY\u0300-\u036f]|[^\p{ASCII}đĐ]")


def _score(text: str) -> _Score:
    good = bad = 0
    for t in _letter_tokens(text):
        if t.isascii() or len(t) == 1 or (t.isupper() and not _VOWELS.search(t)):
            continue  # ASCII, "đ", acronyms like "HĐND" say nothing about the encoding
        if is_vietnamese_syllable(t):
            good += 1
        else:
            bad += 1
    bad += sum(1 for c in text if c in _ODD_SYMBOLS)
    return _Score(good, bad)


# --------------------------------------------------------------------------- legacy tables

# TCVN3 (TCVN 5712:1993 "VN3", the ABC fonts .VnTime etc.): one byte per letter. VN3 has
# only lower-case toned letters (upper case came from the separate .VnTimeH font using the
# same codes); the gaps are filled with the VN1 upper-case letters some "full" fonts use.
TCVN3_TABLE: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    # VN1 upper-case letters in the VN3 gaps ("TCVN3 full" fonts)
    0xAF: "Ặ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
}  # fmt: skip

# VNI-Windows: a base letter followed by cp1252 glyphs the VNI fonts draw as marks.
# Marks: tones over a/e/o/u/y and ơ/ư, then the circumflex and breve series.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRC = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# Single glyphs: ơ ư đ and the i-series (precomposed because i loses its dot), ỵ.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(seq: str, uni: str) -> None:
        table[seq] = uni
        table[seq.upper()] = uni.upper()

    for base in "aeouy":
        for mark, tone in _VNI_TONES.items():
            add(base + mark, nfc(base + tone))
    for base in "aeo":
        for mark, tone in _VNI_CIRC.items():
            add(base + mark, nfc(base + "\u0302" + tone))
    for mark, tone in _VNI_BREVE.items():
        add("a" + mark, nfc("a\u0306" + tone))
    for glyph, letter in _VNI_SINGLE.items():
        add(glyph, letter)
    for base_glyph, base in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _VNI_TONES.items():
            add(base_glyph + mark, nfc(base + tone))
    table["yî"], table["YÎ"] = "ỵ", "Ỵ"  # some VNI fonts write ỵ as y + its own dot glyph
    return table


VNI_TABLE: dict[str, str] = _build_vni()
_VNI_DECODE = regex.compile("|".join(regex.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))
_VNI_ENCODE = {v: k for k, v in sorted(VNI_TABLE.items(), key=lambda kv: -len(kv[0])) if k not in ("yî", "YÎ")}
_TCVN3_ENCODE = {v: bytes([k]) for k, v in TCVN3_TABLE.items()}


def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd"  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined, counts against the candidate


_TCVN3_DECODE = [chr(b) if b < 0x80 else TCVN3_TABLE.get(b) or _cp1252_char(b) for b in range(256)]


def decode_tcvn3(data: bytes) -> str:
    return nfc("".join(_TCVN3_DECODE[b] for b in data))


def vni_to_unicode(text: str) -> str:
    """VNI glyph sequences (as cp1252 characters) -> Unicode Vietnamese."""
    return nfc(_VNI_DECODE.sub(lambda m: VNI_TABLE[m.group(0)], text))


def decode_vni(data: bytes) -> str:
    return vni_to_unicode(data.decode("cp1252", errors="replace"))


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 glyphs read as cp1252 characters (e.g. "Hµ Néi") -> Unicode ("Hà Nội")."""
    return decode_tcvn3(text.encode("cp1252"))


def decode_cp1258(data: bytes) -> str:
    # cp1258 stores tones as combining marks after the letter; NFC composes them.
    return nfc(data.decode("cp1258", errors="replace"))


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encode NFC Vietnamese ``text`` in ``"cp1258"``, ``"tcvn3"`` or ``"vni"``.

    Used to build test files; raises ``UnicodeEncodeError`` for characters the encoding lacks.
    """
    text = nfc(text)
    if encoding == "tcvn3":
        out = bytearray()
        for ch in text:
            if ch in _TCVN3_ENCODE:
                out += _TCVN3_ENCODE[ch]
            elif ch.isupper() and ch.lower() in _TCVN3_ENCODE:
                out += _TCVN3_ENCODE[ch.lower()]  # VN3 has no upper-case toned letters
            else:
                out += ch.encode("cp1252")
        return bytes(out)
    if encoding == "vni":
        return "".join(_VNI_ENCODE.get(ch, ch) for ch in text).encode("cp1252")
    if encoding == "cp1258":
        out = bytearray()
        for ch in text:
            try:
                out += ch.encode("cp1258")
            except UnicodeEncodeError:
                # keep the vowel-quality mark composed, send the tone as a combining mark
                parts = unicodedata.normalize("NFD", ch)
                base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
                tones = "".join(c for c in parts if c in _TONES)
                out += (base + tones).encode("cp1258")
        return bytes(out)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


# --------------------------------------------------------------------------- detection

_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MIN_QUALITY = 0.9  # share of non-ASCII words that must be valid syllables to accept a guess
MARGIN = 0.1  # ... and by how much it must beat the runner-up


def _check_not_binary(text: str, source: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls and (controls > 8 or controls / max(len(text), 1) > 0.001):
        raise InputError(source, f"dữ liệu nhị phân, không phải văn bản ({controls} ký tự điều khiển)")


def _utf16_without_bom(data: bytes) -> str | None:
    """BOM-less UTF-16: NULs in (nearly) every other byte of the head."""
    head = data[:4096]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        # ASCII-heavy text has a NUL in most units; Vietnamese letters (U+1Exx) do not, so 30%.
        if zeros >= 0.3 * half and (even + odd - zeros) <= 0.02 * half:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _legacy_candidates(data: bytes) -> dict[str, str]:
    return {"windows-1258": decode_cp1258(data), "TCVN3": decode_tcvn3(data), "VNI": decode_vni(data)}


def _pick(candidates: dict[str, str]) -> tuple[str, str, list[tuple[str, float]]]:
    """Best candidate name, its text, and all (name, quality) for error messages."""
    scored = sorted(
        ((name, _score(text)) for name, text in candidates.items()),
        key=lambda ns: (ns[1].quality, ns[1].good),
        reverse=True,
    )
    name = scored[0][0]
    return name, candidates[name], [(n, s.quality) for n, s in scored]


def _clearly_best(candidates: dict[str, str]) -> tuple[str, str] | None:
    # A byte the encoding does not define (decoded as U+FFFD) rules that encoding out.
    candidates = {n: t for n, t in candidates.items() if "\ufffd" not in t}
    if not candidates:
        return None
    texts = set(candidates.values())
    if len(texts) == 1:  # high bytes were only punctuation all candidates agree on
        return next(iter(candidates.items()))
    scores = {n: _score(t) for n, t in candidates.items()}
    ranked = sorted(scores, key=lambda n: (scores[n].quality, scores[n].good), reverse=True)
    best = scores[ranked[0]]
    if len(ranked) == 1:
        return (ranked[0], candidates[ranked[0]]) if best.quality >= MIN_QUALITY and best.good >= 1 else None
    second = scores[ranked[1]]
    if best.quality >= MIN_QUALITY and best.good >= 1 and (
        best.quality - second.quality >= MARGIN or candidates[ranked[0]] == candidates[ranked[1]]
    ):
        return ranked[0], candidates[ranked[0]]
    return None


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    """A clean guess for non-Vietnamese legacy text (Russian cp1251, Chinese GBK ...)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    matches = [m for m in from_bytes(data[:200_000]) if m.chaos <= 0.1]
    if not matches:
        return None
    # On short Western text charset-normalizer ranks cp1257/cp1250 above cp1252 and turns
    # "très" into "trčs"; cp1252 is by far the likeliest single-byte Western codepage.
    encodings = [m.encoding for m in matches]
    encoding = "cp1252" if "cp1252" in encodings else encodings[0]
    try:
        return encoding, data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _cp1252_or_byte(text: str) -> bytes:
    # Latin-1 C1 controls pass through as bytes: that is how double-encoded UTF-8 looks
    # when it went through a latin-1 decode rather than cp1252.
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))
    return bytes(out)


_VIET_ONLY = regex.compile(r"[\u1ea0-\u1ef9ơưđƠƯĐ]")
_NOT_LETTER = regex.compile(r"\P{L}+")
MOJIBAKE_SAMPLE = 65536  # characters: the head that decides whether valid text is legacy mojibake


def repair_mojibake(text: str) -> str | None:
    """Valid Unicode text that is really legacy-encoded Vietnamese -> the repaired text.

    Handles VNI or TCVN3 glyphs pasted as cp1252 characters and UTF-8 that was read as
    cp1252 and saved again. Returns None unless a repair is clearly Vietnamese while the
    original clearly is not (so real text with a stray "é" is left alone).
    """
    # Decided on a bounded head (mojibake runs through a whole file), repaired in full: a
    # 10 MB input costs one pass, not several per character.
    sample = text[:MOJIBAKE_SAMPLE]
    letters = len(sample) - len(_NOT_LETTER.sub("", sample))
    if len(_VIET_ONLY.findall(sample)) > 0.01 * letters:
        return None  # real Vietnamese letters (ạ..ỹ, ơ, ư, đ) are there: not mojibake, and fast
    original = _score(sample)
    if original.quality >= 0.5 or original.bad < 3:
        return None
    repairs = {"VNI": vni_to_unicode, "TCVN3": tcvn3_to_unicode,
               "UTF-8 read as cp1252": lambda t: nfc(_cp1252_or_byte(t).decode("utf-8"))}
    candidates: dict[str, str] = {}
    for name, repair in repairs.items():
        try:
            candidates[name] = repair(sample)
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    name, fixed, _ = _pick(candidates)
    score = _score(fixed)
    if score.quality >= MIN_QUALITY and score.good >= 3:
        if len(text) == len(sample):
            return fixed
        try:
            return repairs[name](text)
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None  # the head repairs, the rest does not: not one legacy encoding
    return None


def detect_encoding(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """(encoding name, decoded normalized text) for ``data``; raises :class:`InputError`."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError(source, "đầu vào rỗng")
    if data.startswith(codecs.BOM_UTF8):
        encoding, text = "UTF-8", _strict(data, "utf-8-sig", source)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, text = "UTF-16", _strict(data, "utf-16", source)
    elif (text16 := _utf16_without_bom(data)) is not None:
        encoding, text = "UTF-16", text16
    elif b"\x00" in data:
        raise InputError(source, "dữ liệu nhị phân, không phải văn bản (có byte NUL)")
    else:
        _check_not_binary(data[:65536].decode("latin-1"), source)
        try:
            encoding, text = "UTF-8", data.decode("utf-8")
        except UnicodeDecodeError as e:
            encoding, text = _decode_legacy(data, source, e)
        else:
            fixed = repair_mojibake(text)
            if fixed is not None:
                encoding, text = "UTF-8 (repaired legacy glyphs)", fixed
    _check_not_binary(text, source)
    text = normalize_text(text)
    if not text.strip():
        raise InputError(source, "đầu vào rỗng")
    return encoding, text


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(source, f"không giải mã được theo {codec} ({e.reason} ở byte {e.start})") from e


def _decode_legacy(data: bytes, source: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    candidates = _legacy_candidates(data)
    chosen = _clearly_best(candidates)
    if chosen is not None:
        return chosen
    _, _, ranking = _pick(candidates)
    best_quality = ranking[0][1]
    if best_quality < 0.5:
        # Nothing looks Vietnamese: maybe another language in its own legacy codepage.
        guess = _charset_normalizer_guess(data)
        if guess is not None and _score(guess[1]).quality < 0.5:
            return guess
    tried = ", ".join(f"{n} {q:.0%}" for n, q in ranking)
    raise InputError(
        source,
        f"không giải mã chắc chắn được: không phải UTF-8 (byte {utf8_error.start}) và không bảng mã "
        f"tiếng Việt cũ nào khớp (tỉ lệ chữ hợp lệ: {tried})",
    )


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a file's bytes to normalized NFC text, or raise :class:`InputError` naming ``source``."""
    return detect_encoding(data, source)[1]
