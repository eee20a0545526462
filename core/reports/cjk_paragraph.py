"""A paragraph flowable that sets Chinese text the way official documents are set.

reportlab's own CJK wrapping lets "，" or "。" start a line when the text has
more than one font run, does not justify CJK lines, and cannot tighten the
character pitch — so 16 pt type gives 27 characters on a 156 mm line where
GB/T 9704 asks for 28 (Word gets 28 with its character grid: a 15.79 pt
pitch).  ``GridParagraph`` does what Word's grid does:

- every character advances by its width plus ``charSpace`` (negative for the
  body: 28 characters of 16 pt fill exactly 156 mm);
- line breaks obey the usual 避头尾 rules (no line starts with ，。、；：？！）》”
  …, none ends with （《“ …) and never split a run of Latin letters and
  digits unless it is longer than a line (a long web address, which then
  breaks after a "/" so that its pieces read back whole);
- full lines are justified (the slack spread over the gaps between
  characters); the last line and lines ended by a line break are not;
- lines sit on a fixed leading, the glyphs centred in each line, so a page
  holds exactly ``frame height / leading`` lines;
- it splits across pages between lines, and never leaves a lone first line
  at the foot of a page.

The text comes as reportlab paragraph markup (what
``core.pdf_fonts.markup_with_fallback`` makes: escaped text, <font face>
runs, <br/>), parsed by reportlab's own parser.
"""

from __future__ import annotations

import re

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser

# GB/T 15834 and common practice: characters that may not begin a line …
NO_START = set("，。、；：？！）》」』】〕〉〗〙〛”’｝］…—～·・%％‰℃,.;:?!)]}>'\"》々ー゙゚ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_START.discard('"')
NO_START.discard("'")
# … and characters that may not end one.
NO_END = set("（《「『【〔〈〖〘〚“‘｛［([{<￥$£")
URL_BREAKS = set("/?&=#")  # a long web address breaks after one of these
LATIN_RUN = re.compile(r"[A-Za-z0-9_@#&+=/\\:.\-%~?]")  # letters of one word / number / address

_width_cache: dict[tuple[str, str, float], float] = {}


def char_width(ch: str, font: str, size: float) -> float:
    key = (ch, font, size)
    w = _width_cache.get(key)
    if w is None:
        w = _width_cache[key] = stringWidth(ch, font, size)
    return w


class _Glyph:
    __slots__ = ("ch", "font", "size", "w")

    def __init__(self, ch, font, size, w):
        self.ch, self.font, self.size, self.w = ch, font, size, w


class _Line:
    """``width`` counts every glyph's advance including the last one's char_space."""
    __slots__ = ("glyphs", "width", "justify", "indent", "avail")

    def __init__(self, glyphs, width, justify, indent, avail):
        self.glyphs, self.width, self.justify, self.indent, self.avail = glyphs, width, justify, indent, avail


_LATIN: dict[str, bool] = {}  # LATIN_RUN.match, once per character


def _units(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Unbreakable units: one CJK character, or a run of Latin letters/digits,
    or a space; then glued by the 避头尾 rules."""
    units: list[list[_Glyph]] = []
    latin = _LATIN
    prev_latin = False  # the previous glyph goes on a Latin run (and is not a space)
    for g in glyphs:
        ch = g.ch
        is_latin = latin.get(ch)
        if is_latin is None:
            is_latin = latin[ch] = LATIN_RUN.match(ch) is not None
        if units and is_latin and prev_latin:
            units[-1].append(g)
        else:
            units.append([g])
        prev_latin = is_latin and ch != " "
    glued: list[list[_Glyph]] = []
    glue_next = False
    for u in units:
        if glued and (glue_next or u[0].ch in NO_START):
            glued[-1].extend(u)
        else:
            glued.append(u)
        glue_next = u[-1].ch in NO_END
    return glued


def _width(glyphs) -> float:
    return sum(g.w for g in glyphs)


class GridParagraph(Flowable):
    """A paragraph on a fixed leading with a character pitch (see module doc).

    ``style`` is a reportlab ParagraphStyle: fontName, fontSize, leading,
    firstLineIndent, leftIndent, rightIndent, alignment and keepWithNext are
    used; ``char_space`` is added to every character's advance.
    """

    def __init__(self, markup: str, style, char_space: float = 0.0, _lines=None, _first=True):
        super().__init__()
        self.style = style
        self.char_space = char_space
        self.markup = markup
        self._lines: list[_Line] | None = _lines
        self._laid_width = None if _lines is None else -1
        self._first = _first
        self.keepWithNext = getattr(style, "keepWithNext", 0)

    # ---- text -> glyphs -> lines ------------------------------------------
    def _paragraphs(self) -> list[list[_Glyph]]:
        """The text as glyphs, cut at <br/> and newlines."""
        _, frags, _ = ParaParser().parse(self.markup, self.style)
        paras: list[list[_Glyph]] = [[]]
        cs = self.char_space
        for f in frags:
            if getattr(f, "lineBreak", False):
                paras.append([])
                continue
            for ch in f.text:
                if ch == "\n":
                    paras.append([])
                    continue
                if ch in "\r\t":
                    ch = " "
                paras[-1].append(_Glyph(ch, f.fontName, f.fontSize, char_width(ch, f.fontName, f.fontSize) + cs))
        return paras

    def _layout(self, aw: float) -> list[_Line]:
        st = self.style
        lines: list[_Line] = []
        cs = self.char_space  # the last glyph's spacing is not part of the visible line
        for pi, glyphs in enumerate(self._paragraphs()):
            first = True
            units = _units(glyphs)
            cur: list[_Glyph] = []
            cur_w = 0.0

            def avail_now():
                indent = st.leftIndent + (st.firstLineIndent if first and pi == 0 else 0)
                return indent, aw - indent - st.rightIndent

            def close(justify):
                nonlocal cur, cur_w, first
                while cur and cur[-1].ch == " ":
                    cur_w -= cur.pop().w
                indent, avail = avail_now()
                lines.append(_Line(cur, cur_w, justify, indent, avail))
                cur, cur_w, first = [], 0.0, False

            for u in units:
                indent, avail = avail_now()
                uw = _width(u)
                long_word = len(u) > 8 and uw > avail / 4 and LATIN_RUN.match(u[0].ch)
                if cur and cur_w + uw - cs > avail + 0.01 and not long_word:
                    if u[0].ch == " " and len(u) == 1:
                        close(True)
                        continue
                    close(True)
                    indent, avail = avail_now()
                if not cur and u[0].ch == " " and len(u) == 1 and lines and not first:
                    continue  # no space at the start of a continued line
                if long_word or uw - cs > avail + 0.01:
                    # a web address or other long run: cut it where the line ends,
                    # after its last "/" (or ? & = #) on that line if it has one, so
                    # that no path segment is split
                    start = len(cur)  # where this run begins on the current line
                    for g in u:
                        if cur and cur_w + g.w - cs > avail + 0.01:
                            # no break on this line yet: the whole run moves to the next
                            # line rather than split "h|ttps"
                            cut = max((i + 1 for i in range(start, len(cur)) if cur[i].ch in URL_BREAKS),
                                      default=start)
                            carry = cur[cut:] if 0 < cut < len(cur) else []
                            if carry:
                                del cur[cut:]
                                cur_w -= _width(carry)
                            close(bool(not carry))
                            indent, avail = avail_now()
                            cur.extend(carry)
                            cur_w += _width(carry)
                            start = 0
                        cur.append(g)
                        cur_w += g.w
                    continue
                cur.extend(u)
                cur_w += uw
            close(False)  # an empty paragraph (two line breaks in a row) is an empty line
        return lines

    # ---- Flowable ----------------------------------------------------------
    def wrap(self, aw, ah):
        if self._lines is None or (self._laid_width not in (-1, aw)):
            self._lines = self._layout(aw)
            self._laid_width = aw
        self.width = aw
        self.height = len(self._lines) * self.style.leading
        return aw, self.height

    def split(self, aw, ah):
        self.wrap(aw, ah)
        lead = self.style.leading
        fit = int((ah + 0.01) // lead)
        n = len(self._lines)
        if fit >= n:
            return [self]
        if fit <= 0 or (fit == 1 and n > 1 and self._first and not getattr(self.style, "allowOrphans", 0)):
            return []
        a = GridParagraph(self.markup, self.style, self.char_space, self._lines[:fit], self._first)
        b = GridParagraph(self.markup, self.style, self.char_space, self._lines[fit:], False)
        a.keepWithNext = 0
        return [a, b]

    def draw(self):
        st = self.style
        canv = self.canv
        lead = st.leading
        for i, line in enumerate(self._lines):
            if not line.glyphs:
                continue
            size = max(g.size for g in line.glyphs)
            top = self.height - i * lead
            baseline = top - (lead - size) / 2 - 0.86 * size  # glyphs centred in the line
            slack = line.avail - (line.width - self.char_space)
            extra = 0.0
            x = line.indent
            if st.alignment == TA_JUSTIFY and line.justify and len(line.glyphs) > 1 and slack > 0:
                extra = slack / (len(line.glyphs) - 1)
                if extra > 0.6 * size:  # a nearly empty line: do not spread it out
                    extra = 0.0
            elif st.alignment == TA_CENTER:
                x += slack / 2
            elif st.alignment == TA_RIGHT:
                x += slack
            tx = canv.beginText(x, baseline)
            run_font = run_size = None
            run: list[str] = []
            cs = self.char_space + extra
            tx.setCharSpace(cs)
            for g in line.glyphs:
                if (g.font, g.size) != (run_font, run_size):
                    if run:
                        tx.textOut("".join(run))
                        run = []
                    tx.setFont(g.font, g.size)
                    run_font, run_size = g.font, g.size
                run.append(g.ch)
            if run:
                tx.textOut("".join(run))
            canv.drawText(tx)

    # for tests and the signature block
    def line_texts(self) -> list[str]:
        return ["".join(g.ch for g in line.glyphs) for line in self._lines or []]
