"""Fonts for the PDF reports, registered with reportlab, and glyph fallback.

Roles (GB/T 9704-2012 names them by typeface):

    body     仿宋  body text, （1） headings    Windows simfang.ttf, else bundled FandolFang
    heading  黑体  一、 headings                Windows simhei.ttf, else bundled sans
    kai      楷体  （一） headings               Windows simkai.ttf, else bundled AR PL UKai
    title    小标宋 the title                   方正小标宋 if installed, else bundled serif bold
    song     宋体  tables (optional)            Windows simsun.ttc, else bundled serif
    fallback      anything the others lack      always the bundled broad serif face

The bundled faces (resources/fonts/, built by tools/build_fonts.py) are
TrueType-outline subsets of FandolFang (the free 仿宋 for the 统信/麒麟 desks
without Windows fonts), Noto Serif/Sans CJK SC and AR PL UKai; the serif
regular face covers GBK, CJK Extension A and more, so it is the fallback of
every other face (uncommon name characters in 仿宋 text come from it).

reportlab draws a character its font lacks as an empty .notdef box that
vanishes from the text layer.  ``markup_with_fallback`` prevents that: every
run of characters the requested face lacks is wrapped in ``<font name=...>``
of the first face that has them, and characters no face has are drawn as
a visible □ and reported by ``missing_chars`` so callers can warn.

No Qt here; reportlab is imported inside the functions.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

SYSTEM_FONTS_ENV = "TAIZHANG_SYSTEM_FONTS_DIR"

ROLES = ("body", "heading", "kai", "title", "song", "fallback")

# role -> bundled file in resources/fonts/
BUNDLED = {
    "body": "TaizhangFang-Regular.ttf",
    "heading": "TaizhangSans-Regular.ttf",
    "kai": "TaizhangKai-Regular.ttf",
    "title": "TaizhangSerif-Bold.ttf",
    "song": "TaizhangSerif-Regular.ttf",
    "fallback": "TaizhangSerif-Regular.ttf",
}

# role -> system font files to prefer, in order: (file name, index in a .ttc).
# Names are matched case-insensitively.
SYSTEM_CANDIDATES: dict[str, tuple[tuple[str, int], ...]] = {
    "body": (("simfang.ttf", 0), ("仿宋_GB2312.ttf", 0), ("FS_GB2312.ttf", 0)),
    "heading": (("simhei.ttf", 0),),
    "kai": (("simkai.ttf", 0), ("楷体_GB2312.ttf", 0), ("KaiTi_GB2312.ttf", 0)),
    "title": (("FZXBSJW.TTF", 0), ("方正小标宋简体.ttf", 0), ("方正小标宋_GBK.ttf", 0)),
    "song": (("simsun.ttc", 0), ("simsun.ttf", 0)),
}

# Which faces to try, after the requested one, for characters it lacks:
# similar style first, the broad fallback always before the rest.
_FALLBACK_ORDER = {
    "body": ("body", "fallback", "song", "title", "kai", "heading"),
    "song": ("song", "body", "fallback", "title", "kai", "heading"),
    "title": ("title", "body", "fallback", "song", "kai", "heading"),
    "kai": ("kai", "body", "fallback", "song", "title", "heading"),
    "heading": ("heading", "body", "fallback", "song", "title", "kai"),
    "fallback": ("fallback", "body", "heading", "song", "title", "kai"),
}

SUBSTITUTE = "\u25a1"  # □, drawn for characters that no face has

# reportlab's Paragraph splits words on these (paragraph._wsc) and maps
# U+00A0 to a space: they need no glyph.
_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000"
)


@dataclass(frozen=True)
class FontSet:
    """reportlab font names for each role, and where they came from."""

    body: str
    heading: str
    kai: str
    title: str
    song: str
    fallback: str
    files: dict[str, str] = field(default_factory=dict, compare=False)
    system_roles: frozenset[str] = frozenset()
    # faces used for ideographs only: markup_with_fallback takes their
    # Latin letters, digits and punctuation from the next face in the chain
    # (AR PL UKai has monospaced Latin on a raised baseline and Taiwan-style
    # centred ，。).
    ideographs_only: frozenset[str] = frozenset()

    def role(self, role: str) -> str:
        return getattr(self, role)

    def names(self) -> list[str]:
        """Distinct font names, in role order."""
        out: list[str] = []
        for r in ROLES:
            n = self.role(r)
            if n not in out:
                out.append(n)
        return out

    def chain(self, font_name: str) -> list[str]:
        """``font_name`` followed by the faces to try for characters it lacks."""
        order: Iterable[str] = ROLES
        for r in ROLES:
            if self.role(r) == font_name:
                order = _FALLBACK_ORDER[r]
                break
        out = [font_name]
        for r in order:
            n = self.role(r)
            if n not in out:
                out.append(n)
        return out


# --------------------------------------------------------------------------
# locating and registering


def fonts_dir() -> Path:
    """resources/fonts, from the source tree or a PyInstaller bundle."""
    from core.paths import resource_path

    return resource_path("fonts")


def system_font_dirs() -> list[Path]:
    """Folders searched for the Windows faces: $TAIZHANG_SYSTEM_FONTS_DIR,
    then on Windows the system and the per-user font folders."""
    from core.paths import on_windows

    dirs: list[Path] = []
    env = os.environ.get(SYSTEM_FONTS_ENV)
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    if on_windows():
        dirs.extend(windows_font_dirs())
    return [d for d in dirs if d.is_dir()]


def windows_font_dirs() -> list[Path]:
    """Windows' font folders: %WINDIR%\\Fonts (C:\\Windows\\Fonts when unset), then
    the per-user fonts in %LOCALAPPDATA%\\Microsoft\\Windows\\Fonts."""
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    dirs = [Path(windir) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _find_system_font(role: str, dirs: list[Path]) -> tuple[Path, int] | None:
    wanted = SYSTEM_CANDIDATES.get(role, ())
    for d in dirs:
        try:
            listing = {p.name.lower(): p for p in d.iterdir() if p.is_file()}
        except OSError:
            continue
        for name, index in wanted:
            p = listing.get(name.lower())
            if p is not None:
                return p, index
    return None


_lock = threading.RLock()
_cache: dict[tuple, FontSet] = {}
_registered: dict[tuple[str, int], str] = {}  # (file, index) -> reportlab name


def _register_file(path: Path, index: int, name: str) -> str:
    """Register one TrueType file under ``name`` (once per file)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    key = (str(path), index)
    if key in _registered:
        return _registered[key]
    font = TTFont(name, str(path), subfontIndex=index)
    pdfmetrics.registerFont(font)
    # No bold/italic variants: map <b>/<i> back to the face itself instead
    # of failing.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    _registered[key] = name
    return name


def _system_name(path: Path, index: int) -> str:
    digest = hashlib.sha1(f"{path.resolve()}#{index}".encode("utf-8")).hexdigest()[:8]
    return f"Sys-{path.stem}-{index}-{digest}"


def register_fonts(prefer_windows: bool = True) -> FontSet:
    """Register the report faces with reportlab and return their names.

    Idempotent: files are registered once per process; the result is cached
    per (prefer_windows, system font folders).  With ``prefer_windows`` the
    Windows faces (simfang, simhei, simkai, simsun, 方正小标宋) are used for
    their roles when found in $TAIZHANG_SYSTEM_FONTS_DIR or the Windows font
    folders; a system font reportlab cannot read (e.g. CFF outlines or
    restricted embedding) is skipped with a warning.
    """
    dirs = system_font_dirs() if prefer_windows else []
    key = (prefer_windows, tuple(str(d) for d in dirs))
    with _lock:
        if key in _cache:
            return _cache[key]
        _patch_tounicode()
        base = fonts_dir()
        names: dict[str, str] = {}
        files: dict[str, str] = {}
        system_roles: set[str] = set()
        for role in ROLES:
            found = _find_system_font(role, dirs) if dirs else None
            if found is not None:
                path, index = found
                try:
                    names[role] = _register_file(path, index, _system_name(path, index))
                    files[role] = str(path)
                    system_roles.add(role)
                    continue
                except Exception as exc:  # reportlab raises TTFError and others
                    log.warning("system font %s not usable for %s: %s", path, role, exc)
            path = base / BUNDLED[role]
            if not path.is_file():
                raise FileNotFoundError(
                    f"bundled font missing: {path} (run python tools/build_fonts.py)"
                )
            names[role] = _register_file(path, 0, path.stem)
            files[role] = str(path)
        borrow = frozenset({names["kai"]}) if "kai" not in system_roles else frozenset()
        fs = FontSet(**names, files=files, system_roles=frozenset(system_roles), ideographs_only=borrow)
        _cache[key] = fs
        return fs


# --------------------------------------------------------------------------
# glyph look-up


def _char_map(font_name: str):
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    return getattr(face, "charToGlyph", None)


def has_glyph(font_name: str, ch: str) -> bool:
    """Does the registered font ``font_name`` have a glyph for ``ch``?

    For reportlab's standard Type 1 fonts (Helvetica …) only Latin-1 counts.
    """
    return len(ch) == 1 and _in(_char_map(font_name), ord(ch))


def _in(cmap, cp: int) -> bool:
    """``cp`` in a TrueType face's cmap; for standard fonts (no cmap) Latin-1."""
    return (cp in cmap) if cmap is not None else cp < 0x100


def _is_ideograph(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= cp <= 0x4DBF  # Extension A
        or 0x20000 <= cp <= 0x3FFFF  # Extensions B-H, compatibility supplement
        or 0xF900 <= cp <= 0xFAFF  # Compatibility Ideographs
        or 0x2E80 <= cp <= 0x2FDF  # radicals
        or cp == 0x3007  # 〇
    )


def _ignorable(ch: str) -> bool:
    """Invisible characters that are dropped, not drawn and not reported:
    control characters, format characters (BOM, zero-width joiners, bidi
    marks) and variation selectors (ideographic variation sequences in names
    fall back to the base character)."""
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf") and ch != "\xad"


def _printable_chars(text: str) -> Iterable[str]:
    for ch in text:
        if ch in _WHITESPACE or _ignorable(ch):
            continue
        yield ch


def missing_chars(text: str, fontset: FontSet) -> set[str]:
    """Characters of ``text`` that no face of ``fontset`` can draw."""
    maps = [_char_map(n) for n in fontset.names()]
    out: set[str] = set()
    for ch in set(_printable_chars(text)):
        cp = ord(ch)
        if not any(_in(m, cp) for m in maps):
            out.add(ch)
    return out


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_faces_cache: dict[tuple, tuple[list, dict]] = {}
_UNKNOWN, _KEEP, _DROP = object(), object(), object()


def markup_with_fallback(
    text: str,
    font_name: str,
    fontset: FontSet,
    missing: set[str] | None = None,
) -> str:
    """Paragraph markup for ``text`` in ``font_name`` with per-run fallback.

    The result is meant for a reportlab ``Paragraph`` whose style uses
    ``font_name``.  ``& < >`` are escaped.  Runs of characters that
    ``font_name`` lacks are wrapped in ``<font name="…">`` of the first face
    (see ``FontSet.chain``) that has them.  A character that no face has is
    drawn as □ in the fallback face and added to ``missing`` when given (use
    ``missing_chars`` to check beforehand).

    Whitespace: CR LF / CR / LF become ``<br/>``; a tab counts as a space;
    in a run of spaces all but the last become no-break spaces so the width
    the user typed survives (Paragraph collapses ordinary whitespace).
    Control and format characters (BOM, zero-width joiner, variation
    selectors) are dropped.  Paragraph treats U+3000 (ideographic space) as
    a word break, so indent paragraphs with the style's firstLineIndent
    rather than leading U+3000.
    """
    chain = fontset.chain(font_name)
    maps = [_char_map(n) for n in chain]

    skip = [n in fontset.ideographs_only for n in chain]
    # what each character needs (_KEEP, _DROP, a face's index, None: no face)
    # is worked out once per chain of faces, not once per character typed
    key = (tuple(chain), tuple(skip), tuple(id(m) for m in maps))
    held = _faces_cache.get(key)
    if held is None:
        held = _faces_cache[key] = (maps, {})  # the maps are held so that their ids stay theirs
    known = held[1]

    def face_for(cp: int) -> int | None:
        ideo = _is_ideograph(cp)
        for i, m in enumerate(maps):
            if _in(m, cp) and (ideo or not skip[i]):
                return i
        for i, m in enumerate(maps):
            if _in(m, cp):
                return i
        return None

    # the visible substitute for characters no face has: □ in the fallback
    # face if it has one, else in the first face that has it, else "?"
    subst, subst_face = SUBSTITUTE, chain.index(fontset.fallback)
    if not _in(maps[subst_face], ord(SUBSTITUTE)):
        found = face_for(ord(SUBSTITUTE))
        subst, subst_face = (SUBSTITUTE, found) if found is not None else ("?", 0)

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out: list[str] = []
    run: list[str] = []
    run_face = 0

    def flush() -> None:
        if not run:
            return
        s = _escape("".join(run))
        if run_face == 0:
            out.append(s)
        else:
            out.append(f'<font name="{chain[run_face]}">{s}</font>')
        run.clear()

    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            flush()
            out.append("<br/>")
            i += 1
            continue
        if ch == " ":
            j = i
            while j < n and text[j] == " ":
                j += 1
            run.append("\xa0" * (j - i - 1) + " ")
            i = j
            continue
        i += 1
        f = known.get(ch, _UNKNOWN)
        if f is _UNKNOWN:
            if ch in _WHITESPACE:
                f = _KEEP
            elif _ignorable(ch):
                f = _DROP
            else:
                f = face_for(ord(ch))
            known[ch] = f
        if f is _KEEP:
            run.append(ch)  # no glyph needed; stays in the current run
            continue
        if f is _DROP:
            continue
        if f is None:
            if missing is not None:
                missing.add(ch)
            log.debug("no face has U+%04X", ord(ch))
            f, ch = subst_face, subst
        if f != run_face:
            flush()
            run_face = f
        run.append(ch)
    flush()
    return "".join(out)


# --------------------------------------------------------------------------
# reportlab fix


# The reportlab release the fix below replaces a function of (requirements.txt
# pins it). Another release is left alone, with a warning in the log, and
# tests/test_pdf_fonts.py fails until someone has compared its
# makeToUnicodeCMap with the copy here and updated this.
TOUNICODE_PATCH_FOR = "5.1.0"

_patched = False  # checked (and applied if the version matched)


def _patch_tounicode() -> None:
    """reportlab 5.1 writes ToUnicode entries for characters beyond the BMP
    as 5-digit hex, which is not UTF-16BE: PDF readers then lose those
    characters (Extension B names such as 𫖯) when copying or searching.
    Write them as surrogate pairs instead; BMP output is unchanged.
    Only for reportlab TOUNICODE_PATCH_FOR."""
    global _patched
    if _patched:
        return
    import reportlab
    from reportlab.pdfbase import ttfonts

    _patched = True
    if reportlab.Version != TOUNICODE_PATCH_FOR:
        log.warning("reportlab %s is not %s, the release the ToUnicode fix was written for: "
                    "reportlab left unpatched (characters beyond the BMP may not copy out of PDFs)",
                    reportlab.Version, TOUNICODE_PATCH_FOR)
        return

    def utf16_hex(v: int) -> str:
        if v <= 0xFFFF:
            return "%04X" % v
        u = v - 0x10000
        return "%04X%04X" % (0xD800 + (u >> 10), 0xDC00 + (u & 0x3FF))

    def make_to_unicode_cmap(fontname, subset):
        # reportlab's makeToUnicodeCMap with UTF-16 destination strings
        cmap = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            "<< /Registry (%s)" % fontname,
            "/Ordering (%s)" % fontname,
            "/Supplement 0",
            ">> def",
            "/CMapName /%s def" % fontname,
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1),
            "endcodespacerange",
            "%d beginbfchar" % len(subset),
        ] + ["<%02X> <%s>" % (i, utf16_hex(v)) for i, v in enumerate(subset)] + [
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
        return "\n".join(cmap)

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
