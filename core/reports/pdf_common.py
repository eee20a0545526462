"""What the two PDF reports share: fonts with fallback, paragraphs, output.

Imported only when a PDF is built (it imports reportlab).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from core import __version__
from core.pdf_fonts import markup_with_fallback, register_fonts
from core.safe_write import safe_output

PT_PER_MM = mm


class Typesetter:
    """Turns user text into Paragraph markup that never loses a character:
    runs the chosen face lacks switch to a face that has them
    (core.pdf_fonts); characters no face has are collected for a warning."""

    def __init__(self):
        self.fonts = register_fonts()
        self.missing: set[str] = set()

    def markup(self, text: str, font_name: str) -> str:
        return markup_with_fallback(text, font_name, self.fonts, missing=self.missing)

    def para(self, text: str, style, char_space: float = 0.0):
        """A GridParagraph: 避头尾 line breaking, justified, fixed leading."""
        from core.reports.cjk_paragraph import GridParagraph

        return GridParagraph(self.markup(text, style.fontName), style, char_space)

    def rl_para(self, text: str, style) -> Paragraph:
        """reportlab's own Paragraph (titles, single lines)."""
        return Paragraph(self.markup(text, style.fontName), style)

    def warnings(self) -> list[str]:
        if not self.missing:
            return []
        shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in sorted(self.missing)[:20])
        more = f"等 {len(self.missing)} 个字符" if len(self.missing) > 20 else ""
        return [f"字体中没有这些字符，PDF 中以方框代替：{shown}{more}。请检查是否为误输入的特殊符号。"]


class StepMarker(Flowable):
    """An invisible flowable that reports progress (and checks for a cancel)
    when the page layout reaches it."""

    def __init__(self, steps):
        super().__init__()
        self.steps = steps
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.steps.tick()


def one_frame_doc(fh, pagesize, left: float, right: float, top: float, bottom: float, on_page, *,
                  title: str, author: str, subject: str, initial_font: str):
    """A document whose every page is one text block inside the given margins.

    ``initial_font`` is the font each page's canvas starts with: reportlab's
    default is Helvetica, which it names on every page without embedding it,
    and archive checks (PDF/A, 归档) reject a PDF with an unembedded font."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = pagesize
    doc = BaseDocTemplate(fh, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                          bottomMargin=bottom, title=title, author=author, subject=subject,
                          initialFontName=initial_font)
    frame = Frame(left, bottom, width - left - right, height - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    return doc


def save_pdf(doc_factory, story, out: Path, canvasmaker=None) -> int:
    """Build ``story`` with ``doc_factory(file)`` into ``out`` safely; return the page count."""
    with safe_output(out) as fh:
        doc = doc_factory(fh)
        doc.creator = f"政务公开工作台账 {__version__}"
        if canvasmaker is not None:
            doc.build(story, canvasmaker=canvasmaker)
        else:
            doc.build(story)
        pages = doc.page
    return pages
