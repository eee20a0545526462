#!/usr/bin/env python3
"""Build the TrueType subset fonts that Taizhang's PDF reports embed.

reportlab reads only TrueType-outline ('glyf') fonts.  Debian's Noto CJK
fonts have CFF outlines, so they are subset with fontTools and their cubic
outlines converted to quadratic TrueType outlines (cu2qu).  AR PL UKai is
TrueType already and is only subset.

Faces written to resources/fonts/ (see resources/fonts/README.md):

    TaizhangSerif-Regular.ttf  body (仿宋/宋体 role) and fallback: Noto Serif CJK SC
                               Regular, everything it maps except Hangul
    TaizhangSerif-Bold.ttf     title (小标宋 role): Noto Serif CJK SC Bold
    TaizhangSans-Regular.ttf   heading (黑体 role): Noto Sans CJK SC Regular
    TaizhangKai-Regular.ttf    楷体 role: AR PL UKai CN
    TaizhangFang-Regular.ttf   body (仿宋 role): FandolFang Regular, the one free 仿宋
                               with all of GB2312 (cwTeX 仿宋 has 4384 of its 6763 hanzi)

The last four carry ASCII, Latin-1, the punctuation and symbol blocks,
GB2312, GBK's symbols and every character of the seed plan.

Sources (Debian bookworm packages):

    fonts-noto-cjk     /usr/share/fonts/opentype/noto/Noto{Sans,Serif}CJK-{Regular,Bold}.ttc
    fonts-arphic-ukai  /usr/share/fonts/truetype/arphic/ukai.ttc
    texlive-lang-chinese  /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
                       (installing it pulls in TeX Live; `apt-get download texlive-lang-chinese`
                       and `dpkg-deb -x` into a folder, then --fandol-root FOLDER, is enough)

Usage (from the repository root):

    apt-get install fonts-noto-cjk fonts-arphic-ukai texlive-lang-chinese
    pip install fonttools
    python tools/build_fonts.py                 # writes resources/fonts/
    python tools/build_fonts.py --only kai      # one face
    python tools/build_fonts.py --out /tmp/f    # elsewhere

The output is deterministic for given source files and fontTools version: the
modification date written into the fonts ('head' and the name-table notice)
comes from SOURCE_DATE_EPOCH when it is set, otherwise from BUILD_DATE below
(bump it when the subset definition changes).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from fontTools import subset as ft_subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.misc.timeTools import timestampSinceEpoch

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "fonts"
PLAN_FILES = [ROOT / "resources" / "plans" / "dongguan-2021.txt"]

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
UKAI_TTC = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
NOTO_COPYRIGHT_FILE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
ARPHIC_LICENSE_DIR = Path("/usr/share/doc/fonts-arphic-ukai/license")
FANDOL_OTF = Path("usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf")
FANDOL_DOC = Path("usr/share/doc/texlive-doc/fonts/fandol")  # README (the licence statement), COPYING.gz

# Date written into 'head' and the modification notice.  Change it when the
# subset definition below changes (the Arphic licence asks each modified file
# to say how and when it was changed).
BUILD_DATE = "2026-11-27"

# Maximum distance (font units, 1000/em) between the cubic CFF outline and
# its quadratic approximation.  1 unit at 16 pt is 0.006 mm.
CU2QU_MAX_ERR = 1.0


# --------------------------------------------------------------------------
# character sets


def _blocks(*ranges: tuple[int, int]) -> set[int]:
    out: set[int] = set()
    for lo, hi in ranges:
        out.update(range(lo, hi + 1))
    return out


def _double_byte_charset(codec: str) -> set[int]:
    """Every character a GB codec decodes from a two-byte sequence."""
    out: set[int] = set()
    for b1 in range(0x81, 0xFF):
        for b2 in range(0x40, 0xFF):
            try:
                s = bytes((b1, b2)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def _is_unified_ideograph(cp: int) -> bool:
    return 0x4E00 <= cp <= 0x9FFF


GB2312 = _double_byte_charset("gb2312")  # 7445: 6763 hanzi + 682 symbols
GBK = _double_byte_charset("gbk")  # 21791: 20902 hanzi + symbols
GBK_SYMBOLS = {cp for cp in GBK if not _is_unified_ideograph(cp)}

# Blocks the report text needs in every main face (only what the source font
# actually has is kept).
BASE_BLOCKS = _blocks(
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike Symbols: ℃ № ℡
    (0x2150, 0x218F),  # Number Forms: Ⅰ–Ⅻ ⅰ–ⅻ
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: ①–⑳ ⑴–⒇ ⒈–⒛
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3220, 0x3243),  # Parenthesized ideographs ㈠–㈩
    (0x3280, 0x32B0),  # Circled ideographs ㊀–㊉
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)


def plan_chars() -> set[int]:
    out: set[int] = set()
    for p in PLAN_FILES:
        if p.exists():
            out.update(ord(c) for c in p.read_text(encoding="utf-8") if c not in "\r\n\t")
    return out


def main_charset() -> set[int]:
    """The body/heading/title/kai faces: ASCII, Latin-1, punctuation, GB2312,
    GBK's symbols, and every character of the seed plan."""
    return BASE_BLOCKS | GB2312 | GBK_SYMBOLS | plan_chars()


HANGUL = _blocks((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))


def broad_charset() -> set[int]:
    """Everything Noto Serif CJK SC maps except Korean Hangul: GBK, the whole
    CJK Unified Ideographs block, Extension A, the font's Extension B–G
    characters (names in the 通用规范汉字表 such as 𬌗), Kangxi radicals and
    compatibility ideographs (they come in by copy-paste from other PDFs),
    kana, bopomofo, Greek, Cyrillic, arrows, box drawing and other symbols."""
    return _blocks((0x0000, 0x10FFFF)) - HANGUL


# --------------------------------------------------------------------------
# faces


@dataclass
class Face:
    key: str  # role-ish key used by --only
    out_name: str  # file stem == PostScript name
    family: str
    style: str  # 'Regular' or 'Bold'
    weight: int
    source: Path
    source_index: int  # index in the .ttc
    package: str  # Debian package
    charset: Callable[[], set[int]] = field(repr=False)
    description: str = ""


def faces(noto_dir: Path, ukai: Path, fandol_root: Path = Path("/")) -> list[Face]:
    return [
        Face(
            "body", "TaizhangSerif-Regular", "Taizhang Serif", "Regular", 400,
            noto_dir / "NotoSerifCJK-Regular.ttc", 2, "fonts-noto-cjk", broad_charset,
            "body face (仿宋/宋体 role) and fallback face: Noto Serif CJK SC Regular, broad coverage",
        ),
        Face(
            "title", "TaizhangSerif-Bold", "Taizhang Serif", "Bold", 700,
            noto_dir / "NotoSerifCJK-Bold.ttc", 2, "fonts-noto-cjk", main_charset,
            "title face (小标宋 role): Noto Serif CJK SC Bold",
        ),
        Face(
            "heading", "TaizhangSans-Regular", "Taizhang Sans", "Regular", 400,
            noto_dir / "NotoSansCJK-Regular.ttc", 2, "fonts-noto-cjk", main_charset,
            "heading face (黑体 role): Noto Sans CJK SC Regular",
        ),
        Face(
            "kai", "TaizhangKai-Regular", "Taizhang Kai", "Regular", 400,
            ukai, 0, "fonts-arphic-ukai", main_charset,
            "kai face (楷体 role): AR PL UKai CN",
        ),
        Face(
            "fang", "TaizhangFang-Regular", "Taizhang Fang", "Regular", 400,
            fandol_root / FANDOL_OTF, 0, "texlive-lang-chinese", main_charset,
            "body face (仿宋 role): FandolFang Regular",
        ),
    ]


# --------------------------------------------------------------------------
# building


def build_epoch() -> int:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env:
        return int(env)
    d = _dt.datetime.strptime(BUILD_DATE, "%Y-%m-%d").replace(tzinfo=_dt.timezone.utc)
    return int(d.timestamp())


def build_date() -> str:
    return _dt.datetime.fromtimestamp(build_epoch(), _dt.timezone.utc).strftime("%Y-%m-%d")


def package_version(pkg: str, source: Path | None = None) -> str:
    """The installed package's version, else the one in the changelog of a
    .deb unpacked around ``source`` (dpkg-deb -x: <root>/usr/share/...)."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True, check=False
        )
        if out.stdout.strip():
            return out.stdout.strip()
    except OSError:
        pass
    for root in (source.parents if source else ()):
        log = root / "usr" / "share" / "doc" / pkg / "changelog.Debian.gz"
        if log.is_file():
            m = re.match(r"\S+ \(([^)]+)\)", gzip.decompress(log.read_bytes()).decode("utf-8", "replace"))
            if m:
                return m[1]
    return "unknown"


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    opts = ft_subset.Options()
    opts.layout_features = []  # reportlab does no shaping
    opts.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GDEF", "GPOS", "GSUB", "FFTM", "gasp", "DSIG"]
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True  # a visible box if a glyph is ever missing
    opts.glyph_names = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.recalc_bounds = True
    opts.prune_unicode_ranges = True
    opts.prune_codepage_ranges = True
    sub = ft_subset.Subsetter(options=opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)


def cff_to_glyf(font: TTFont, max_err: float = CU2QU_MAX_ERR) -> None:
    """Replace the CFF table by quadratic 'glyf' outlines (fontTools'
    otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()

    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]

    hmtx = font["hmtx"]
    for name, g in glyphs.items():
        g.recalcBounds(glyf)
        adv, _ = hmtx[name]
        hmtx[name] = (adv, getattr(g, "xMin", 0))

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyphs.values() if hasattr(g, "components")), default=0
    )

    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def set_post_format3(font: TTFont) -> None:
    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)


def rename(font: TTFont, face: Face, src_desc: str, src_version: str, pkg_version: str, was_cff: bool) -> None:
    """Give the subset its own names (it is a Modified Version in OFL terms;
    the Arphic licence asks for a notice of how and when it was changed)."""
    date = build_date()
    name = font["name"]
    old = {nid: name.getDebugName(nid) for nid in (0, 7, 8, 9, 11, 12, 13, 14)}
    name.names = []
    notice = (
        f"Modified {date} by Taizhang tools/build_fonts.py: subset of {src_desc} "
        f"(version {src_version}, Debian package {face.package} {pkg_version}); "
        "hinting, vertical metrics and OpenType layout tables removed"
        + ("; CFF outlines converted to TrueType quadratic outlines (fontTools cu2qu)" if was_cff else "")
        + "."
    )
    records = {
        0: (old[0] or "") + ("\n" if old[0] else "") + notice,
        1: face.family,
        2: face.style,
        3: f"{face.out_name};{date}",
        4: f"{face.family} {face.style}",
        5: f"Version {src_version}; Taizhang subset {date}",
        6: face.out_name,
        10: notice,
    }
    for nid in (7, 8, 9, 11, 12, 13, 14):
        if old[nid]:
            records[nid] = old[nid]
    for nid, text in sorted(records.items()):
        name.setName(text, nid, 3, 1, 0x409)


def fix_os2(font: TTFont, face: Face) -> None:
    os2 = font["OS/2"]
    os2.usWeightClass = face.weight
    os2.fsType = 0  # installable embedding (both sources already 0)
    # fsSelection: bit 0 italic, 5 bold, 6 regular
    sel = os2.fsSelection & ~(1 | 1 << 5 | 1 << 6)
    sel |= (1 << 5) if face.style == "Bold" else (1 << 6)
    os2.fsSelection = sel
    font["head"].macStyle = 1 if face.style == "Bold" else 0


def build_face(face: Face, out_dir: Path) -> dict:
    t0 = time.time()
    font = TTFont(face.source, fontNumber=face.source_index, recalcTimestamp=False, lazy=False)
    src_desc = font["name"].getDebugName(4) or face.source.name
    src_version = (font["name"].getDebugName(5) or "").split(";")[0].replace("Version ", "").strip()
    src_cmap = font.getBestCmap()
    was_cff = "CFF " in font
    wanted = face.charset()
    unicodes = {cp for cp in wanted if cp in src_cmap}
    subset_font(font, unicodes)
    if "CFF " in font:
        cff_to_glyf(font)
    set_post_format3(font)
    fix_os2(font, face)
    pkg_version = package_version(face.package, face.source)
    rename(font, face, src_desc, src_version, pkg_version, was_cff)
    epoch = build_epoch()
    font["head"].modified = timestampSinceEpoch(epoch)
    out = out_dir / f"{face.out_name}.ttf"
    font.save(out, reorderTables=True)

    # check what we wrote
    chk = TTFont(out)
    assert "glyf" in chk and "CFF " not in chk, out
    cmap = chk.getBestCmap()
    return {
        "file": out.name,
        "bytes": out.stat().st_size,
        "glyphs": chk["maxp"].numGlyphs,
        "chars": len(cmap),
        "hanzi": sum(1 for c in cmap if _is_unified_ideograph(c) or 0x3400 <= c <= 0x4DBF or c >= 0x20000),
        "gb2312_missing": "".join(chr(c) for c in sorted(GB2312 - set(cmap))),
        "source": f"{face.source} #{face.source_index} ({src_desc} {src_version})",
        "role": face.description,
        "package": f"{face.package} {pkg_version}",
        "seconds": round(time.time() - t0, 1),
    }


# --------------------------------------------------------------------------
# licences


FANDOL_HEADER = """\
FandolFang Regular (the source of TaizhangFang-Regular.ttf):

Copyright (c) 2012-2013, the Fandol team (Clerk Ma, Jie Su).
https://ctan.org/pkg/fandol

The Fandol README says: "These fonts's licensing is GPL + GPL font exception."
The GPL is version 3 (the COPYING file of the package, copied verbatim below).
The font exception is the Free Software Foundation's:

  As a special exception, if you create a document which uses this font, and
  embed this font or unaltered portions of this font into the document, this
  font does not by itself cause the resulting document to be covered by the
  GNU General Public License. This exception does not however invalidate any
  other reasons why the document might be covered by the GNU General Public
  License. If you modify this font, you may extend this exception to your
  version of the font, but you are not obligated to do so. If you do not wish
  to do so, delete this exception statement from your version.

TaizhangFang-Regular.ttf is a modified version (subset to the characters listed
in resources/fonts/README.md, CFF outlines converted to TrueType outlines,
renamed) made by tools/build_fonts.py from FandolFang-Regular.otf as shipped
in Debian's texlive-lang-chinese package; it is distributed under the same
licence, with the exception. Its corresponding source is that .otf file
(Debian, CTAN) together with tools/build_fonts.py.


"""


def write_licences(out_dir: Path, kinds: set[str], fandol_root: Path = Path("/")) -> list[str]:
    written = []
    if "fandol" in kinds:
        gpl = gzip.decompress((fandol_root / FANDOL_DOC / "COPYING.gz").read_bytes()).decode("utf-8")
        (out_dir / "LICENSE-GPL-3.0-FandolFang.txt").write_text(FANDOL_HEADER + gpl, encoding="utf-8")
        written.append("LICENSE-GPL-3.0-FandolFang.txt")
    if "noto" in kinds:
        text = NOTO_COPYRIGHT_FILE.read_text(encoding="utf-8")
        m = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", text, re.M)
        if not m:
            raise SystemExit(f"no SIL-1.1 licence text in {NOTO_COPYRIGHT_FILE}")
        body = []
        for line in m.group(1).rstrip().splitlines():
            line = line[1:] if line.startswith(" ") else line
            body.append("" if line == "." else line)
        header = (
            "Noto Serif CJK and Noto Sans CJK (the source of TaizhangSerif-Regular.ttf,\n"
            "TaizhangSerif-Bold.ttf and TaizhangSans-Regular.ttf):\n\n"
            "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
            "(font name table: (c) 2017-2022 Adobe (http://www.adobe.com/).)\n"
            "Noto is a trademark of Google Inc.\n\n"
            "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
            "The files here are Modified Versions (subset, outlines converted to\n"
            "TrueType by tools/build_fonts.py) and are distributed under the same licence.\n"
            "This license is copied below, and is also available with a FAQ at:\n"
            "https://openfontlicense.org\n\n\n"
        )
        (out_dir / "LICENSE-OFL-1.1.txt").write_text(header + "\n".join(body) + "\n", encoding="utf-8")
        written.append("LICENSE-OFL-1.1.txt")
    if "arphic" in kinds:
        for src, dst in (
            ("english/ARPHICPL.TXT.gz", "ARPHICPL.TXT"),
            ("zh_CN.UTF-8/ARPHICPL.TXT.gz", "ARPHICPL-zh_CN.TXT"),
        ):
            data = gzip.decompress((ARPHIC_LICENSE_DIR / src).read_bytes())
            (out_dir / dst).write_bytes(data)  # verbatim, as the licence requires
            written.append(dst)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--noto-dir", type=Path, default=NOTO_DIR)
    ap.add_argument("--ukai", type=Path, default=UKAI_TTC)
    ap.add_argument("--fandol-root", type=Path, default=Path("/"),
                    help="where texlive-lang-chinese is installed or unpacked (dpkg-deb -x)")
    ap.add_argument("--only", action="append", help="build only this face (body, title, heading, kai, fang)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = ap.parse_args(argv)

    todo = [f for f in faces(args.noto_dir, args.ukai, args.fandol_root) if not args.only or f.key in args.only]
    for f in todo:
        if not f.source.exists():
            raise SystemExit(f"missing source font {f.source} (apt-get install {f.package})")
    args.out.mkdir(parents=True, exist_ok=True)

    if args.jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        # the biggest first so the two workers finish together
        todo.sort(key=lambda f: f.key != "body")
        with ProcessPoolExecutor(args.jobs) as ex:
            results = list(ex.map(build_face, todo, [args.out] * len(todo)))
    else:
        results = [build_face(f, args.out) for f in todo]

    kinds = {"arphic" if "arphic" in f.package else "fandol" if "texlive" in f.package else "noto" for f in todo}
    lic = write_licences(args.out, kinds, args.fandol_root)

    total = 0
    for r in sorted(results, key=lambda r: r["file"]):
        total += r["bytes"]
        print(
            f"{r['file']:34} {r['bytes'] / 1e6:6.2f} MB  glyphs {r['glyphs']:5}  chars {r['chars']:5}  "
            f"ideographs {r['hanzi']:5}  {r['seconds']:5.1f}s\n    {r['role']}\n    from {r['source']} [{r['package']}]"
            + (f"\n    GB2312 characters the source lacks: {r['gb2312_missing']}" if r["gb2312_missing"] else "")
        )
    print(f"licences: {', '.join(lic)}")
    print(f"total {total / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
