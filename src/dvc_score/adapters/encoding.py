"""Decode input files to text, and recognise the legacy Vietnamese encodings.

Province exports are UTF-8 (often with a BOM, written by Excel), sometimes
UTF-16 (Excel's "Unicode text"), and now and then one of the pre-Unicode
Vietnamese encodings that are still on office PCs:

* **TCVN3 (ABC)**: each precomposed lowercase letter is one byte in 0xA1-0xFE
  ("ư" = 0xAD, "đ" = 0xAE, "ế" = 0xD5). Uppercase toned letters do not exist;
  the .VnTimeH fonts draw the lowercase codes as capitals.
* **VNI Windows**: a base letter followed by a mark byte ("á" = ``a`` + 0xF9,
  "ệ" = ``e`` + 0xE4, the infamous "Vieät Nam"), with single bytes for
  "ư" (0xF6), "ơ" (0xF4), "đ" (0xF1) and the toned "i".
* **Windows-1258 (CP1258)**: what Excel writes for "CSV" on a Vietnamese
  Windows; base letters plus combining tone bytes.

Decision: :func:`read_text` never decodes a legacy file, not even CP1258 which
Python can decode. Detection is a heuristic; a wrong guess would silently put
mangled unit names and codes into an official score, while converting the file
once is cheap. So a legacy file is always a :class:`DataError` that names the
encoding and says how to convert it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from dvc_score.errors import DataError

__all__ = ["LegacyEncoding", "detect_legacy_vietnamese", "nfc", "read_text"]

LegacyEncoding = Literal["tcvn3", "vni", "cp1258"]

# Tone marks as Unicode combining characters, in TCVN3's table order
# (huyền, hỏi, ngã, sắc, nặng).
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (precomposed) form.

    Vietnamese typed on macOS or with some input methods arrives decomposed
    ("e" + U+0302 + U+0301 instead of "ế"); NFC makes equal text compare equal.
    """
    if unicodedata.is_normalized("NFC", text):  # fast path for large files
        return text
    return unicodedata.normalize("NFC", text)


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


# --- TCVN3 (ABC) -----------------------------------------------------------
# base letter -> (byte of the toneless letter or None if plain ASCII,
#                 bytes of the five toned letters in _TONES order)
_TCVN3_LAYOUT: dict[str, tuple[int | None, tuple[int, int, int, int, int]]] = {
    "a": (None, (0xB5, 0xB6, 0xB7, 0xB8, 0xB9)),
    "ă": (0xA8, (0xBB, 0xBC, 0xBD, 0xBE, 0xC6)),
    "â": (0xA9, (0xC7, 0xC8, 0xC9, 0xCA, 0xCB)),
    "e": (None, (0xCC, 0xCE, 0xCF, 0xD0, 0xD1)),
    "ê": (0xAA, (0xD2, 0xD3, 0xD4, 0xD5, 0xD6)),
    "i": (None, (0xD7, 0xD8, 0xDC, 0xDD, 0xDE)),
    "o": (None, (0xDF, 0xE1, 0xE2, 0xE3, 0xE4)),
    "ô": (0xAB, (0xE5, 0xE6, 0xE7, 0xE8, 0xE9)),
    "ơ": (0xAC, (0xEA, 0xEB, 0xEC, 0xED, 0xEE)),
    "u": (None, (0xEF, 0xF1, 0xF2, 0xF3, 0xF4)),
    "ư": (0xAD, (0xF5, 0xF6, 0xF7, 0xF8, 0xF9)),
    "y": (None, (0xFA, 0xFB, 0xFC, 0xFD, 0xFE)),
}
# The only uppercase letters TCVN3 has, plus đ.
_TCVN3_EXTRA = {
    0xAE: "đ",
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
}


def _build_tcvn3() -> dict[int, str]:
    table = dict(_TCVN3_EXTRA)
    for base, (plain, toned) in _TCVN3_LAYOUT.items():
        if plain is not None:
            table[plain] = base
        for byte, tone in zip(toned, _TONES, strict=True):
            table[byte] = _compose(base, tone)
    return table


_TCVN3_TO_UNICODE: dict[int, str] = _build_tcvn3()


def _decode_tcvn3(data: bytes) -> str:
    # High bytes outside the table become U+FFFD so they cannot form words
    # that look Vietnamese by accident.
    return "".join(chr(b) if b < 0x80 else _TCVN3_TO_UNICODE.get(b, "\ufffd") for b in data)


# --- VNI Windows --------------------------------------------------------------
# Mark bytes (as their Latin-1 characters, lowercase form) that follow a base
# letter, with the Unicode combining marks they stand for.
_VNI_TONE_BYTES = {"ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ù": _ACUTE, "ï": _DOT}
_VNI_CIRCUMFLEX_BYTES = {
    "â": (_CIRCUMFLEX,),
    "à": (_CIRCUMFLEX, _GRAVE),
    "å": (_CIRCUMFLEX, _HOOK),
    "ã": (_CIRCUMFLEX, _TILDE),
    "á": (_CIRCUMFLEX, _ACUTE),
    "ä": (_CIRCUMFLEX, _DOT),
}
_VNI_BREVE_BYTES = {
    "ê": (_BREVE,),
    "è": (_BREVE, _GRAVE),
    "ú": (_BREVE, _HOOK),
    "ü": (_BREVE, _TILDE),
    "é": (_BREVE, _ACUTE),
    "ë": (_BREVE, _DOT),
}
# Letters that VNI encodes as one byte: ơ, ư, đ, the toned i, and ỵ.
_VNI_SINGLE_BYTES = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "í": "í",
    "ò": "ị",
    "î": "ỵ",
}


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    """Return (two-character sequences, single characters) -> Unicode, both cases."""
    tones: dict[str, tuple[str, ...]] = {m: (c,) for m, c in _VNI_TONE_BYTES.items()}
    marks_for_base: dict[str, dict[str, tuple[str, ...]]] = {
        "a": {**tones, **_VNI_CIRCUMFLEX_BYTES, **_VNI_BREVE_BYTES},
        "e": {**tones, **_VNI_CIRCUMFLEX_BYTES},
        "o": {**tones, **_VNI_CIRCUMFLEX_BYTES},
        "u": tones,
        "y": {mark: c for mark, c in tones.items() if c != (_DOT,)},  # ỵ is one byte
        "ô": tones,  # ô is VNI's ơ
        "ö": tones,  # ö is VNI's ư
    }
    pairs: dict[str, str] = {}
    for base, marks in marks_for_base.items():
        unicode_base = _VNI_SINGLE_BYTES.get(base, base)
        for mark, combining in marks.items():
            letter = _compose(unicode_base, *combining)
            pairs[base + mark] = letter
            # Capitals use the capital form of both the letter and the mark byte.
            pairs[base.upper() + mark.upper()] = letter.upper()
    singles = dict(_VNI_SINGLE_BYTES)
    singles.update({k.upper(): v.upper() for k, v in _VNI_SINGLE_BYTES.items()})
    return pairs, singles


_VNI_PAIRS, _VNI_SINGLES = _build_vni()


def _decode_vni(data: bytes) -> str:
    text = data.decode("latin-1")
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        char = text[i]
        if char in _VNI_SINGLES:
            out.append(_VNI_SINGLES[char])
        else:
            # A mark byte with no base letter before it is not VNI text.
            out.append(char if ord(char) < 0x80 else "\ufffd")
        i += 1
    return "".join(out)


def _decode_cp1258(data: bytes) -> str:
    # CP1258 puts tone marks in separate combining bytes; NFC joins them.
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


# --- Recognising Vietnamese ----------------------------------------------------
# A Vietnamese syllable without its tone mark: initial consonant, vowel
# nucleus (with its glides), final consonant. Mis-decoded text produces letters
# outside this alphabet, impossible vowel clusters or several tone marks.
_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
# Nuclei ending in a glide take no final consonant (mai, kêu, người).
_OPEN_NUCLEI = (
    "iêu|oai|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|uơ|ưa|ưi|ưu"
)
# Nuclei that need a final consonant (ăn, tiên, muốn, mương).
_CLOSED_NUCLEI = "uyê|iê|oă|uâ|uô|ươ|yê|[ăâ]"
_FREE_NUCLEI = "oa|oe|uê|uy|[aeêioôơuưy]"
_FINALS = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(
    f"(?:{_INITIALS})?"
    f"(?:{_OPEN_NUCLEI}|(?:{_CLOSED_NUCLEI})(?:{_FINALS})|(?:{_FREE_NUCLEI})(?:{_FINALS})?"
    "|oo(?:ng|c))"  # only in loans: xoong, moóc
)
_WORD = re.compile(r"[^\W\d_]+")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")

# How much of a file the heuristic looks at: plenty of words, bounded time.
_SAMPLE_BYTES = 256 * 1024
# A guess needs this many Vietnamese-looking words, and this share of the
# words with non-ASCII letters, before it is reported.
_MIN_VALID_WORDS = 2
_MIN_VALID_SHARE = 0.6


def _is_vietnamese_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in decomposed if c in _TONES) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(toneless) is not None


def _vietnamese_words(text: str) -> tuple[int, int]:
    """Count (valid syllables, words) among the words that contain non-ASCII letters.

    ASCII-only words say nothing about the encoding, so they are skipped.
    """
    valid = total = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        total += 1
        valid += _is_vietnamese_syllable(word)
    return valid, total


_DECODERS: dict[LegacyEncoding, Callable[[bytes], str]] = {
    "tcvn3": _decode_tcvn3,
    "vni": _decode_vni,
    "cp1258": _decode_cp1258,
}


def detect_legacy_vietnamese(data: bytes) -> LegacyEncoding | None:
    """Guess whether ``data`` is Vietnamese text in TCVN3, VNI or CP1258.

    Decodes a sample with each encoding and keeps the one that yields the most
    well-formed Vietnamese syllables. Returns None for valid UTF-8 (ASCII
    included), for text with BOMs, and when no encoding is convincing.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None
    # Sample from just before the first non-ASCII byte: a file may open with
    # thousands of ASCII-only rows (codes, dates) before any Vietnamese text.
    first_high = _HIGH_BYTE.search(data)
    start = max(0, first_high.start() - 1024) if first_high else 0
    sample = data[start : start + _SAMPLE_BYTES]
    if _looks_utf16_without_bom(sample):
        return None  # legacy encodings never contain NUL bytes
    # Rank by well-formed words minus malformed ones: the right decoding has
    # many of the first and almost none of the second.
    scores: list[tuple[int, LegacyEncoding]] = []
    for name, decode in _DECODERS.items():
        valid, total = _vietnamese_words(decode(sample))
        if valid >= _MIN_VALID_WORDS and valid / total >= _MIN_VALID_SHARE:
            scores.append((2 * valid - total, name))
    if not scores:
        return None
    scores.sort(reverse=True)
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        return None  # a tie means the sample cannot tell the encodings apart
    return scores[0][1]


# --- Reading files -----------------------------------------------------------------
_LEGACY_MESSAGES: dict[LegacyEncoding, str] = {
    "tcvn3": (
        "the file looks TCVN3 (ABC)-encoded, not UTF-8; convert it to UTF-8 "
        "(for example with UniKey's converter) and try again"
    ),
    "vni": (
        "the file looks VNI-encoded (VNI Windows), not UTF-8; convert it to UTF-8 "
        "(for example with UniKey's converter) and try again"
    ),
    "cp1258": (
        "the file looks Windows-1258 (CP1258)-encoded, not UTF-8; save it as UTF-8 "
        "(in Excel: Save As > 'CSV UTF-8') and try again"
    ),
}

# Byte-order marks, longest first: the UTF-32 LE mark begins with UTF-16 LE's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(path: Path) -> str:
    """Read a text file as NFC-normalised Unicode, or raise :class:`DataError`.

    Accepts UTF-8 with or without a BOM, and UTF-16/UTF-32 with a BOM; the BOM
    is removed. Line endings are left untouched (the CSV reader handles them).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return nfc(_decode_strict(path, data, codec, len(bom)))
    try:
        return nfc(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc) from None


def _decode_strict(path: Path, data: bytes, codec: str, start: int) -> str:
    try:
        return data[start:].decode(codec)
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        name = codec.removesuffix("-le").removesuffix("-be").upper()
        raise DataError(
            f"{path}: the file starts with a {name} byte-order mark but is not valid "
            f"{name} text (byte 0x{data[offset]:02X} at offset {offset})"
        ) from None


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError) -> DataError:
    if _looks_utf16_without_bom(data):
        return DataError(
            f"{path}: the file looks like UTF-16 text without a byte-order mark; "
            "save it as UTF-8 and try again"
        )
    legacy = detect_legacy_vietnamese(data)
    if legacy is not None:
        return DataError(f"{path}: {_LEGACY_MESSAGES[legacy]}")
    return DataError(
        f"{path}: the file is not UTF-8 text (byte 0x{data[exc.start]:02X} at offset "
        f"{exc.start}); save it as UTF-8 and try again"
    )


def _looks_utf16_without_bom(data: bytes) -> bool:
    # UTF-16 text in a Latin script has a NUL in nearly every other byte;
    # real text files (legacy ones included) have none.
    sample = data[:_SAMPLE_BYTES]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 4
