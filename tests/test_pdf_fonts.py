"""The report fonts: bundled TrueType subsets, registration, glyph fallback,
and that every character reaches the PDF (drawn with an embedded subset
face and extractable as text)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from core import pdf_fonts
from core.pdf_fonts import (
    has_glyph,
    markup_with_fallback,
    missing_chars,
    register_fonts,
)

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
SEED = ROOT / "resources" / "plans" / "dongguan-2021.txt"

BUNDLED_NAMES = {
    "TaizhangSerif-Regular",
    "TaizhangSerif-Bold",
    "TaizhangSans-Regular",
    "TaizhangKai-Regular",
    "TaizhangFang-Regular",
}

LATIN = "ABC xyz 0123456789"
PUNCT = "，。；：“”（）《》"
SYMBOLS = "① ％"
NAMES = "堃 玥 喆 珺 燊"
EXT_B = "赵孟𫖯"  # U+2B5AF, beyond the BMP


def seed_sentence() -> str:
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("1.加强政务公开工作组织领导"):
            return line.rstrip(" |")
    raise AssertionError("seed sentence not found")


def sample_text() -> str:
    return "\n".join([LATIN, PUNCT, SYMBOLS, NAMES, EXT_B, seed_sentence()])


def _gb2312() -> set[str]:
    out = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                out.add(bytes((b1, b2)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


@pytest.fixture
def fs(monkeypatch):
    monkeypatch.delenv(pdf_fonts.SYSTEM_FONTS_ENV, raising=False)
    return register_fonts(prefer_windows=False)


def build_pdf(paragraphs) -> bytes:
    """paragraphs: [(font name, markup)], one page each."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    story = []
    for i, (font, markup) in enumerate(paragraphs):
        style = ParagraphStyle(f"p{i}", fontName=font, fontSize=16, leading=28, wordWrap="CJK")
        if story:
            story.append(PageBreak())
        story.append(Paragraph(markup, style))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def embedded_fonts(pdf: bytes) -> dict[str, dict]:
    """BaseFont without the subset tag -> font dictionary, for embedded fonts."""
    from pypdf import PdfReader

    out = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None:
                continue  # the standard 14 fonts (reportlab lists Helvetica)
            base = str(font["/BaseFont"]).lstrip("/")
            tag, _, name = base.partition("+")
            assert len(tag) == 6 and tag.isupper(), base  # a subset
            out[name] = font
    return out


# --------------------------------------------------------------------------
# the bundled files


def test_bundled_fonts_are_truetype_with_the_promised_coverage():
    from fontTools.ttLib import TTFont

    files = {p.stem: p for p in FONTS.glob("*.ttf")}
    assert set(files) == BUNDLED_NAMES
    total = sum(p.stat().st_size for p in FONTS.iterdir())
    assert total < 32_000_000, total  # 29.6 MB with FandolFang (5.7 MB)

    gb2312 = _gb2312()
    plan = set(SEED.read_text(encoding="utf-8")) - set("\r\n")
    base = set(map(chr, range(0x21, 0x7F))) | set(map(chr, range(0xA1, 0x100))) - {"\xad"}
    base |= set(PUNCT) | set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳％、——…·")
    for stem, path in files.items():
        font = TTFont(path)
        assert "glyf" in font and "CFF " not in font, stem
        assert font["name"].getDebugName(6) == stem
        assert font["OS/2"].fsType == 0, stem  # installable embedding
        cmap = {chr(c) for c in font.getBestCmap()}
        if stem == "TaizhangFang-Regular":
            # FandolFang has ASCII and GB2312 but few accented letters and no ⑪–⑳:
            # the broad serif face supplies them
            assert not (set(map(chr, range(0x21, 0x7F))) | set(PUNCT) | set("①⑩％、…·")) - cmap
        else:
            assert not (base - cmap), (stem, sorted(base - cmap))
        assert not (plan - cmap), (stem, sorted(plan - cmap))
        lacking = gb2312 - cmap
        # AR PL UKai has no FULLWIDTH MACRON, FandolFang no HORIZONTAL BAR; the fallback supplies them
        allowed = {"TaizhangKai-Regular": {"￣"}, "TaizhangFang-Regular": {"―"}}.get(stem, set())
        assert lacking <= allowed, (stem, lacking)
        if stem == "TaizhangFang-Regular":
            assert len({c for c in gb2312 if "\u4e00" <= c <= "\u9fff"} & cmap) == 6763  # every GB2312 hanzi

    body = {chr(c) for c in TTFont(files["TaizhangSerif-Regular"]).getBestCmap()}
    assert set(NAMES.replace(" ", "")) | {"𫖯", "㐀", "䶵"} <= body
    gbk_han = {bytes((b1, b2)).decode("gbk", "replace") for b1 in range(0x81, 0xFF) for b2 in range(0x40, 0xFF)}
    gbk_han = {c for c in gbk_han if len(c) == 1 and "\u4e00" <= c <= "\u9fff"}
    assert len(gbk_han) == 20902 and gbk_han <= body


def test_licences_and_readme_are_next_to_the_fonts():
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "LICENSE-OFL-1.1.txt").read_text(encoding="utf-8")
    assert "ARPHIC PUBLIC LICENSE" in (FONTS / "ARPHICPL.TXT").read_text(encoding="utf-8")
    gpl = (FONTS / "LICENSE-GPL-3.0-FandolFang.txt").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in gpl and "Version 3" in gpl and "As a special exception" in gpl
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    for stem in BUNDLED_NAMES:
        assert stem in readme
    assert "tools/build_fonts.py" in readme


# --------------------------------------------------------------------------
# registration


def test_register_fonts_is_idempotent_and_uses_the_bundled_faces(fs):
    assert register_fonts(prefer_windows=False) is fs
    assert (fs.body, fs.heading, fs.kai, fs.title) == (
        "TaizhangFang-Regular", "TaizhangSans-Regular", "TaizhangKai-Regular", "TaizhangSerif-Bold")
    assert fs.fallback == "TaizhangSerif-Regular"
    assert not fs.system_roles
    assert Path(fs.files["body"]).parent == pdf_fonts.fonts_dir() == FONTS


def test_windows_body_face_is_preferred_when_present(tmp_path, monkeypatch):
    shutil.copy(FONTS / "TaizhangSans-Regular.ttf", tmp_path / "simfang.ttf")
    monkeypatch.setenv(pdf_fonts.SYSTEM_FONTS_ENV, str(tmp_path))

    fs = register_fonts()
    assert fs.files["body"] == str(tmp_path / "simfang.ttf")
    assert fs.body not in BUNDLED_NAMES
    assert fs.system_roles == {"body"}
    assert fs.heading == "TaizhangSans-Regular" and fs.kai == "TaizhangKai-Regular"
    assert fs.fallback == "TaizhangSerif-Regular"  # always the bundled broad face
    assert register_fonts() is fs

    # the Windows face is really used and embedded
    text = "正文 ABC 123 堃"
    pdf = build_pdf([(fs.body, markup_with_fallback(text, fs.body, fs))])
    assert "TaizhangSans-Regular" in embedded_fonts(pdf)  # simfang.ttf is a copy of it
    assert all(c in page_texts(pdf)[0] for c in text.replace(" ", ""))

    assert register_fonts(prefer_windows=False).body == "TaizhangFang-Regular"


def test_system_fonts_match_case_insensitively_and_bad_files_are_skipped(tmp_path, monkeypatch, caplog):
    shutil.copy(FONTS / "TaizhangSans-Regular.ttf", tmp_path / "SIMHEI.TTF")
    (tmp_path / "simkai.ttf").write_bytes(b"not a font")
    monkeypatch.setenv(pdf_fonts.SYSTEM_FONTS_ENV, str(tmp_path))

    fs = register_fonts()
    assert fs.system_roles == {"heading"}
    assert fs.files["heading"] == str(tmp_path / "SIMHEI.TTF")
    assert fs.kai == "TaizhangKai-Regular"
    assert "simkai.ttf" in caplog.text


# --------------------------------------------------------------------------
# fallback markup


def test_has_glyph(fs):
    assert has_glyph(fs.body, "A") and has_glyph(fs.body, "政") and not has_glyph(fs.body, "堃")
    assert has_glyph(fs.fallback, "堃") and has_glyph(fs.fallback, "𫖯")
    assert has_glyph(fs.heading, "①") and not has_glyph(fs.heading, "堃")
    assert not has_glyph(fs.body, "\U00013000")
    assert has_glyph("Helvetica", "é") and not has_glyph("Helvetica", "中")


def test_markup_escapes_and_falls_back_per_run(fs):
    m = markup_with_fallback("A&B <i>王堃</i>", fs.heading, fs)
    assert m == f'A&amp;B &lt;i&gt;王<font name="{fs.fallback}">堃</font>&lt;/i&gt;'


def test_markup_whitespace(fs):
    assert markup_with_fallback("一\r\n二\r三\n四", fs.body, fs) == "一<br/>二<br/>三<br/>四"
    assert markup_with_fallback("甲   乙\t丙", fs.body, fs) == "甲\xa0\xa0 乙 丙"
    # BOM, zero-width joiner and variation selectors are invisible: dropped
    assert markup_with_fallback("\ufeff葛\U000e0100\u200d", fs.body, fs) == "葛"
    assert missing_chars("\ufeff葛\U000e0100 \u3000\n", fs) == set()


def test_kai_takes_latin_and_punctuation_from_the_body_face(fs):
    m = markup_with_fallback("（一）2021年。", fs.kai, fs)
    b = f'<font name="{fs.body}">'
    assert m == f"{b}（</font>一{b}）2021</font>年{b}。</font>"


def test_characters_no_face_has_are_reported_and_drawn_visibly(fs):
    text = "甲\U00013000乙\U0010FFFD丙"
    assert missing_chars(text, fs) == {"\U00013000", "\U0010FFFD"}

    seen: set[str] = set()
    m = markup_with_fallback(text, fs.heading, fs, missing=seen)
    assert seen == {"\U00013000", "\U0010FFFD"}
    assert m == f'甲<font name="{fs.fallback}">□</font>乙<font name="{fs.fallback}">□</font>丙'

    extracted = page_texts(build_pdf([(fs.heading, m)]))[0]
    assert "甲□乙□丙" in extracted.replace("\n", "")


# --------------------------------------------------------------------------
# the real thing: every character reaches the PDF in every role


@pytest.mark.parametrize("role", ["body", "heading", "kai", "title", "fallback"])
def test_every_character_is_embedded_and_extractable(fs, role):
    font = fs.role(role)
    text = sample_text()
    assert missing_chars(text, fs) == set()
    pdf = build_pdf([(font, markup_with_fallback(text, font, fs))])

    extracted = page_texts(pdf)[0]
    lost = [c for c in text if not c.isspace() and c not in extracted]
    assert not lost, lost

    fonts = embedded_fonts(pdf)
    assert font in fonts
    assert set(fonts) <= BUNDLED_NAMES
    for name, f in fonts.items():
        assert f["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in f["/FontDescriptor"], name  # the glyphs are in the file
    if role in ("heading", "title", "kai"):
        # the GB2312 faces borrow 堃 玥 喆 珺 燊 from the broad serif face
        assert fs.fallback in fonts


def test_all_roles_in_one_document_embed_the_four_subset_faces(fs):
    text = sample_text()
    roles = ("title", "heading", "kai", "body")
    pdf = build_pdf([(fs.role(r), markup_with_fallback(text, fs.role(r), fs)) for r in roles])
    assert set(embedded_fonts(pdf)) == BUNDLED_NAMES
    for page in page_texts(pdf):
        assert seed_sentence()[:20] in page.replace("\n", "")


def test_reportlab_is_the_release_the_tounicode_fix_was_written_for():
    """Fails on a reportlab upgrade: compare its ttfonts.makeToUnicodeCMap with the
    copy in core/pdf_fonts.py (_patch_tounicode), then update TOUNICODE_PATCH_FOR
    (or drop the fix if reportlab now writes UTF-16 surrogate pairs itself)."""
    import reportlab

    pin = [line.split("==")[1].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
           if line.startswith("reportlab==")]
    assert reportlab.Version == pdf_fonts.TOUNICODE_PATCH_FOR == pin[0], (reportlab.Version, pin)


def test_another_reportlab_is_left_alone_with_a_warning(monkeypatch, caplog):
    import reportlab
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    monkeypatch.setattr(pdf_fonts, "_patched", False)
    monkeypatch.setattr(reportlab, "Version", "99.0.0")
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", original)  # restored after the test
    with caplog.at_level("WARNING", logger=pdf_fonts.log.name):
        pdf_fonts._patch_tounicode()
    assert ttfonts.makeToUnicodeCMap is original
    assert "99.0.0" in caplog.text and "unpatched" in caplog.text
