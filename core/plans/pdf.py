"""PDF with a text layer → Grid (pdfplumber's table finder reads ruled tables).
The tables of all pages, one after another; the text above the first table
is the text before it. A scanned PDF has no text: that is said plainly."""

from __future__ import annotations

import io
import re

from core.errors import PlanParseError
from core.plans.grid import Grid, clean_cell

MAX_PAGES = 300
_NUMBERED_LINE = re.compile(r"^\d{1,3}\s*[.．、]")


def _cell(value: str | None) -> str:
    """pdfplumber breaks a cell's text where the line wrapped: join the pieces,
    keeping a break only before a numbered requirement."""
    lines = clean_cell(value).split("\n")
    out = lines[:1]
    for ln in lines[1:]:
        if _NUMBERED_LINE.match(ln):
            out.append("\n" + ln)
        else:
            sep = " " if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and ln[:1].isascii() and ln[:1].isalpha() else ""
            out.append(sep + ln)
    return "".join(out)


def pdf_grid(data: bytes, source: str = "") -> Grid:
    import pdfplumber

    grid = Grid(source=source)
    any_text = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise PlanParseError(None, f"PDF 有 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页，不像是一份工作方案")
        for page in pdf.pages:
            words = page.extract_words()
            if not words:
                continue
            any_text = True
            tables = page.find_tables()
            if not grid.rows:
                top = tables[0].bbox[1] if tables else page.height
                if top > 1:
                    text = page.crop((0, 0, page.width, top)).extract_text() or ""
                    grid.before.extend(ln.strip() for ln in text.split("\n") if ln.strip())
            for table in tables:
                for row in table.extract():
                    merged = {c for c, v in enumerate(row) if v is None}
                    grid.add_row([_cell(v) for v in row], merged=merged)
    if not any_text:
        raise PlanParseError(None, "这是扫描版 PDF（只有图片，没有文字），无法读取表格。"
                                   "请向发文单位索取 Word/Excel 版本，或用文字识别（OCR）软件转成 Word 后再导入")
    if not grid.rows:
        raise PlanParseError(None, "PDF 中没有找到带框线的表格（请改用方案的 Word/Excel 版本）")
    return grid
