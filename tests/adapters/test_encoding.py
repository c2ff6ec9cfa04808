"""Tests for dvc_score.adapters.encoding: decoding files and spotting legacy encodings.

The legacy fixtures are produced by encoders written here independently of the
module: a literal TCVN3 table and a VNI encoder built from Unicode
decomposition, plus a few byte strings known from the wild ("Vieät Nam").
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_score.adapters import encoding
from dvc_score.adapters.encoding import detect_legacy_vietnamese, nfc, read_text
from dvc_score.errors import DataError

# --- Independent encoders for fixtures ----------------------------------------

# TCVN3 (ABC), as published in converter tables: the Unicode letters and the
# byte each one takes, in the same order.
_TCVN3_LETTERS = (
    "àảãáạ" "ăằẳẵắặ" "âầẩẫấậ" "đ" "èẻẽéẹ" "êềểễếệ" "ìỉĩíị" "òỏõóọ"
    "ôồổỗốộ" "ơờởỡớợ" "ùủũúụ" "ưừửữứự" "ỳỷỹýỵ" "ĂÂĐÊÔƠƯ"
)  # fmt: skip
_TCVN3_BYTES = bytes.fromhex(
    "b5b6b7b8b9" "a8bbbcbdbec6" "a9c7c8c9cacb" "ae" "cccecfd0d1" "aad2d3d4d5d6"
    "d7d8dcddde" "dfe1e2e3e4" "abe5e6e7e8e9" "aceaebecedee" "eff1f2f3f4"
    "adf5f6f7f8f9" "fafbfcfdfe" "a1a2a7a3a4a5a6"
)  # fmt: skip
_TCVN3_ENCODE = dict(zip(_TCVN3_LETTERS, _TCVN3_BYTES, strict=True))


def tcvn3_encode(text: str) -> bytes:
    # TCVN3 has no capital toned letters: .VnTimeH fonts draw the lowercase
    # codes as capitals, so a capital is written as its lowercase code.
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out += char.encode("ascii")
        else:
            out.append(_TCVN3_ENCODE.get(char, _TCVN3_ENCODE.get(char.lower(), 0)))
    assert 0 not in out
    return bytes(out)


_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONE = {None: "", _GRAVE: "ø", _ACUTE: "ù", _HOOK: "û", _TILDE: "õ", _DOT: "ï"}
_VNI_CIRCUMFLEX = {None: "â", _GRAVE: "à", _ACUTE: "á", _HOOK: "å", _TILDE: "ã", _DOT: "ä"}
_VNI_BREVE = {None: "ê", _GRAVE: "è", _ACUTE: "é", _HOOK: "ú", _TILDE: "ü", _DOT: "ë"}
_VNI_I = {None: "i", _GRAVE: "ì", _ACUTE: "í", _HOOK: "æ", _TILDE: "ó", _DOT: "ò"}


def _vni_letter(char: str) -> str:
    if char == "đ":
        return "ñ"
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    tone = next((m for m in marks if m in _VNI_TONE), None)
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == _DOT:
        return "î"
    if _HORN in marks:
        return {"o": "ô", "u": "ö"}[base] + _VNI_TONE[tone]
    if _CIRCUMFLEX in marks:
        return base + _VNI_CIRCUMFLEX[tone]
    if _BREVE in marks:
        return base + _VNI_BREVE[tone]
    return base + _VNI_TONE[tone]


def vni_encode(text: str) -> bytes:
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        else:
            letter = _vni_letter(char.lower())
            out.append(letter.upper() if char.isupper() else letter)
    return "".join(out).encode("latin-1")


_TONE_MARKS = {_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT}


def cp1258_encode(text: str) -> bytes:
    # Windows writes letters CP1258 lacks as base letter + combining tone byte.
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize(
                "NFC", "".join(c for c in decomposed if c not in _TONE_MARKS)
            )
            tones = "".join(c for c in decomposed if c in _TONE_MARKS)
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


SENTENCES = [
    "Ủy ban nhân dân xã Tân Lập, hồ sơ đã tiếp nhận trực tuyến",
    "Mã hồ sơ,Mã TTHC,Ngày tiếp nhận,Trạng thái\r\n"
    "H44.100-230315-0001,1.005129,15/03/2023,Đã trả kết quả\r\n",
    "Sở Tư pháp tỉnh Quảng Nam; UBND huyện Điện Bàn; người yêu cầu nộp hồ sơ "
    "qua dịch vụ bưu chính công ích",
    "Cấp giấy chứng nhận quyền sử dụng đất lần đầu; thời hạn giải quyết 30 ngày",
    "Phường Khương Trung, quận Thanh Xuân: giải quyết khiếu nại lần hai",
]

ENCODERS = {"tcvn3": tcvn3_encode, "vni": vni_encode, "cp1258": cp1258_encode}

# Every Vietnamese letter outside ASCII, lowercase and capital.
_VOWELS = "aăâeêioôơuưy"
_ASCII_VOWELS = set("aeiouy")
ALPHABET = sorted(
    {
        unicodedata.normalize("NFC", vowel + tone)
        for vowel in _VOWELS
        for tone in ("", _GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)
    }
    - _ASCII_VOWELS
    | {"đ"}
)
ALPHABET += [letter.upper() for letter in ALPHABET]


# --- nfc ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vie\u0323\u0302t Nam", "Việt Nam"),  # decomposed, marks in canonical order
        ("Vie\u0302\u0323t Nam", "Việt Nam"),  # decomposed, marks the other way round
        ("Việt Nam", "Việt Nam"),  # already NFC: returned as is
        ("ho\u0302\u0300 so\u031b", "hồ sơ"),
        ("", ""),
        ("ASCII only", "ASCII only"),
    ],
)
def test_nfc(text: str, expected: str) -> None:
    assert nfc(text) == expected
    assert nfc(text) == unicodedata.normalize("NFC", text)


# --- The fixture encoders agree with text seen in the wild ------------------------


@pytest.mark.parametrize(
    ("encoded", "text"),
    [
        (b"B\xb6o Th\xbeng", "Bảo Thắng"),  # "B¶o Th¾ng"
        (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),
        (b"Ninh B\xd7nh", "Ninh Bình"),  # "Ninh B×nh"
        (b"\xa7\xb5 N\xbdng", "Đà Nẵng"),  # "§µ N½ng"
    ],
)
def test_tcvn3_known_strings(encoded: bytes, text: str) -> None:
    assert tcvn3_encode(text) == encoded
    assert encoding._decode_tcvn3(encoded) == text


@pytest.mark.parametrize(
    ("encoded", "text"),
    [
        (b"Vie\xe4t Nam", "Việt Nam"),  # "Vieät Nam"
        (b"ng\xf6\xf4\xf8i", "người"),  # "ngöôøi"
        (b"Xin cha\xf8o ca\xf9c ba\xefn", "Xin chào các bạn"),
        (b"\xd1a\xfbng", "Đảng"),  # "Ñaûng"
        (b"U\xdbY BAN NHA\xc2N DA\xc2N", "ỦY BAN NHÂN DÂN"),  # "UÛY BAN NHAÂN DAÂN"
    ],
)
def test_vni_known_strings(encoded: bytes, text: str) -> None:
    assert vni_encode(text) == encoded
    assert encoding._decode_vni(encoded) == text


def test_tcvn3_table_matches_the_published_table() -> None:
    published = {byte: letter for letter, byte in _TCVN3_ENCODE.items()}
    table = encoding._TCVN3_TO_UNICODE
    assert table == published


@pytest.mark.parametrize("letter", ALPHABET)
def test_vni_round_trips_every_letter(letter: str) -> None:
    assert encoding._decode_vni(vni_encode(letter)) == letter


def test_alphabet_is_complete() -> None:
    # 12 vowels x 6 tones + đ, minus the 6 plain ASCII vowels; both cases.
    assert len(ALPHABET) == 2 * (12 * 6 + 1 - 6)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_decoders_round_trip_sentences(sentence: str) -> None:
    assert encoding._decode_vni(vni_encode(sentence)) == sentence
    assert encoding._decode_tcvn3(tcvn3_encode(sentence)).lower() == sentence.lower()
    assert encoding._decode_cp1258(cp1258_encode(sentence)) == sentence


# --- detect_legacy_vietnamese -------------------------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_detects_each_legacy_encoding(name: str, sentence: str) -> None:
    data = ENCODERS[name](sentence)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # otherwise the test proves nothing
    assert detect_legacy_vietnamese(data) == name


@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_detects_a_whole_file(name: str) -> None:
    data = ENCODERS[name]("".join(sentence + "\n" for sentence in SENTENCES) * 200)
    assert detect_legacy_vietnamese(data) == name


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"dossier_id,unit_code,status\nH44-0001,H44.100,9\n",
        "Ủy ban nhân dân xã Tân Lập".encode(),
        unicodedata.normalize("NFD", "Ủy ban nhân dân xã Tân Lập").encode(),
        codecs.BOM_UTF8 + "Mã hồ sơ,Trạng thái".encode(),
        "Mã hồ sơ,Trạng thái".encode("utf-16"),
        *(sentence.encode("utf-8") for sentence in SENTENCES),
    ],
)
def test_utf8_and_ascii_are_never_flagged(data: bytes) -> None:
    assert detect_legacy_vietnamese(data) is None


@pytest.mark.parametrize(
    "text",
    [
        "café, déjà, où, été, à la poste",
        "Müller, Straße, Grüße",
        "São Paulo, ação, não",
        "Résumé à Paris",
    ],
)
def test_other_latin1_text_is_not_taken_for_vietnamese(text: str) -> None:
    assert detect_legacy_vietnamese(text.encode("latin-1")) is None


@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_detects_vietnamese_after_a_long_ascii_prefix(name: str) -> None:
    prefix = b"H44.100-230315-0001,1.005129,15/03/2023\n" * 20_000  # ~800 KB
    assert detect_legacy_vietnamese(prefix + ENCODERS[name](SENTENCES[0])) == name


def test_too_little_evidence_is_not_flagged() -> None:
    # One Vietnamese word is not enough to name an encoding.
    assert detect_legacy_vietnamese(vni_encode("H44.100,Việt,2023")) is None


def test_utf16_without_bom_is_not_taken_for_legacy() -> None:
    assert detect_legacy_vietnamese("Mã hồ sơ,Ngày tiếp nhận".encode("utf-16-le")) is None


@given(st.text())
def test_any_utf8_text_is_never_flagged(text: str) -> None:
    assert detect_legacy_vietnamese(text.encode("utf-8")) is None


# --- The syllable check behind detection --------------------------------------------

REAL_TEXT = (
    "Thủ tục cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản "
    "khác gắn liền với đất lần đầu. Ủy ban nhân dân tỉnh Quảng Ninh, Sở Kế hoạch và "
    "Đầu tư, Trung tâm Phục vụ hành chính công. Người yêu cầu nộp hồ sơ trực tuyến "
    "hoặc qua bưu chính công ích; khuyến khích thanh toán. Huyện Điện Biên Đông, "
    "xã Nghĩa Hưng, thị trấn Ngọc Lặc, Nguyễn Văn Quý, Trương Thị Huyền, Huỳnh Thúc "
    "Kháng. Khiếu nại, tố cáo, phản ánh, kiến nghị, đúng hạn, trễ hạn, chờ bổ sung, "
    "từ chối, nghiêng, khuya, khuỷu, xoong, quằn, thuở, huơ, ngoằn ngoèo, truyền, "
    "giữ gìn, quỹ, thuế, tuần, xuân, loắt choắt, khoẻ, khỏe, hoá, hóa, thuỷ, thủy"
)


@pytest.mark.parametrize("word", sorted(set(re.findall(r"[^\W\d_]+", REAL_TEXT))))
def test_real_vietnamese_words_are_syllables(word: str) -> None:
    assert encoding._is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "vieät",  # VNI read as Latin-1
        "ngöôøi",
        "viêịt",  # CP1258 read as VNI
        "ngưêi",  # TCVN3 read badly
        "hòá",  # two tones
        "café",  # f is not Vietnamese
        "müller",
        "ăo",  # ă needs a final consonant
        "aic",  # a glide ends the syllable
    ],
)
def test_garbled_words_are_not_syllables(word: str) -> None:
    assert not encoding._is_vietnamese_syllable(word)


# --- read_text ------------------------------------------------------------------------


def _write(tmp_path: Path, data: bytes, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


TEXT = "Mã hồ sơ,Trạng thái\r\nH44-0001,Đã trả kết quả\r\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with the platform's BOM
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
        unicodedata.normalize("NFD", TEXT).encode("utf-8"),
        codecs.BOM_UTF8 + unicodedata.normalize("NFD", TEXT).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16le", "utf16be", "utf32le", "utf32be", "nfd", "nfd-bom"],
)
def test_read_text_decodes_and_normalises(tmp_path: Path, data: bytes) -> None:
    text = read_text(_write(tmp_path, data))
    assert text == TEXT  # BOM gone, NFC, line endings untouched
    assert unicodedata.is_normalized("NFC", text)


def test_read_text_empty_file(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, b"")) == ""
    assert read_text(_write(tmp_path, codecs.BOM_UTF8)) == ""


LEGACY_MESSAGES = {
    "tcvn3": "the file looks TCVN3 (ABC)-encoded, not UTF-8; convert it to UTF-8 "
    "(for example with UniKey's converter) and try again",
    "vni": "the file looks VNI-encoded (VNI Windows), not UTF-8; convert it to UTF-8 "
    "(for example with UniKey's converter) and try again",
    "cp1258": "the file looks Windows-1258 (CP1258)-encoded, not UTF-8; save it as UTF-8 "
    "(in Excel: Save As > 'CSV UTF-8') and try again",
}


@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_read_text_rejects_legacy_files_by_name(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, ENCODERS[name]("\n".join(SENTENCES)))
    with pytest.raises(DataError) as info:
        read_text(path)
    assert str(info.value) == f"{path}: {LEGACY_MESSAGES[name]}"
    assert "\n" not in str(info.value)


def test_read_text_reports_the_first_bad_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, b"dossier_id\nH44\xff\xfe-0001\n")
    with pytest.raises(DataError) as info:
        read_text(path)
    assert str(info.value) == (
        f"{path}: the file is not UTF-8 text (byte 0xFF at offset 14); "
        "save it as UTF-8 and try again"
    )


def test_read_text_reports_utf16_without_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "Mã hồ sơ,Ngày tiếp nhận\n".encode("utf-16-le"))
    with pytest.raises(DataError, match="UTF-16 text without a byte-order mark"):
        read_text(path)


def test_read_text_reports_broken_utf8_after_a_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, codecs.BOM_UTF8 + b"ok\xc3(")
    with pytest.raises(DataError, match=r"UTF-8 byte-order mark .*byte 0xC3 at offset 5"):
        read_text(path)


def test_read_text_reports_broken_utf16(tmp_path: Path) -> None:
    path = _write(tmp_path, codecs.BOM_UTF16_LE + b"a\x00\x00\xdc")  # lone low surrogate
    with pytest.raises(DataError, match="UTF-16 byte-order mark"):
        read_text(path)


def test_read_text_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    with pytest.raises(DataError, match=re.escape(f"{path}: cannot read the file")):
        read_text(path)
