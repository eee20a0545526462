"""Real plan files written by the tests with the libraries clerks' offices use.

A table is ``rows``: the header first, then body rows; a cell ``None`` is
covered by the cell above (a vertically merged cell). ``before`` is the text
before the table (title, issuer, date ...)."""

from __future__ import annotations

import csv
import html
from pathlib import Path

Table = list[list["str | None"]]


def _spans(rows: Table) -> dict[tuple[int, int], int]:
    """(row, col) of each merged cell's top -> how many rows it covers."""
    spans = {}
    for c in range(len(rows[0])):
        for r in range(len(rows)):
            if rows[r][c] is None:
                continue
            n = 1
            while r + n < len(rows) and rows[r + n][c] is None:
                n += 1
            if n > 1:
                spans[(r, c)] = n
    return spans


def write_docx(path: Path, before: list[str], rows: Table, split_at: int | None = None) -> Path:
    """A Word document: paragraphs, then the table (vMerge for None cells);
    with ``split_at`` the body goes on in a second table with the header repeated."""
    import docx

    doc = docx.Document()
    for line in before:
        doc.add_paragraph(line)
    parts = [rows] if split_at is None else [rows[:split_at], rows[:1] + rows[split_at:]]
    for part in parts:
        table = doc.add_table(rows=len(part), cols=len(part[0]))
        for r, row in enumerate(part):
            for c, value in enumerate(row):
                if value is not None:
                    table.cell(r, c).text = value
        for (r, c), n in _spans(part).items():
            text = part[r][c]
            table.cell(r, c).merge(table.cell(r + n - 1, c))
            table.cell(r, c).text = text  # merge() joins the texts of the merged cells
        doc.add_paragraph("")
    doc.save(path)
    return path


def write_xlsx(path: Path, before: list[str], rows: Table) -> Path:
    """A sheet as Excel users make it: the title rows merged across, the header
    under them, merged category/unit ranges."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    width = len(rows[0])
    for i, line in enumerate(before, 1):
        ws.cell(i, 1, line)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    top = len(before) + 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                cell = ws.cell(top + r, c + 1, value)
                cell.data_type = "s"
    for (r, c), n in _spans(rows).items():
        ws.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + n - 1, end_column=c + 1)
    wb.save(path)
    return path


def write_xls(path: Path, before: list[str], rows: Table) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("方案")
    width = len(rows[0])
    for i, line in enumerate(before):
        ws.write_merge(i, i, 0, width - 1, line)
    top = len(before)
    spans = _spans(rows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            n = spans.get((r, c), 1)
            if n > 1:
                ws.write_merge(top + r, top + r + n - 1, c, c, value)
            else:
                ws.write(top + r, c, value)
    wb.save(str(path))
    return path


def html_page(before: list[str], rows: Table, charset: str = "utf-8", paragraphs: bool = False) -> str:
    """A saved government web page: navigation, the notice, the table with
    rowspan, a footer. With ``paragraphs`` each line of a cell is a <p>."""
    spans = _spans(rows)

    def cell(r: int, c: int, value: str) -> str:
        tag = "th" if r == 0 else "td"
        span = f' rowspan="{spans[(r, c)]}"' if (r, c) in spans else ""
        lines = value.split("\n")
        body = "".join(f"<p>{html.escape(x)}</p>" for x in lines) if paragraphs else "<br>".join(
            html.escape(x) for x in lines)
        return f"<{tag}{span}>{body}</{tag}>"

    trs = "\n".join("<tr>" + "".join(cell(r, c, v) for c, v in enumerate(row) if v is not None) + "</tr>"
                    for r, row in enumerate(rows))
    notice = "\n".join(f"<p>{html.escape(x)}</p>" for x in before)
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>政务公开 - 通知公告</title><script>var nav = '<table><tr><td>x</td></tr></table>';</script>"
            f"</head><body><nav><ul><li>首页</li><li>政务公开</li><li>通知公告</li></ul></nav>"
            f'<div class="article">{notice}\n<table border="1">\n{trs}\n</table></div>'
            f"<footer><p>主办：某市人民政府办公室</p><p>网站标识码 4419000001</p></footer></body></html>")


def write_html(path: Path, before: list[str], rows: Table, charset: str = "utf-8", **kw) -> Path:
    encoding = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    path.write_bytes(html_page(before, rows, charset, **kw).encode(encoding))
    return path


def write_csv(path: Path, before: list[str], rows: Table, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    """As Excel saves a sheet: the title rows as rows of their own, merged
    cells empty, a cell with line breaks quoted."""
    width = len(rows[0])
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
        for line in before:
            w.writerow([line] + [""] * (width - 1))
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
    return path


def write_pdf(path: Path, before: list[str], rows: Table) -> Path:
    """A ruled table (reportlab Table, GRID) in the CJK font the reports use."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from core.pdf_fonts import register_fonts

    font = register_fonts(prefer_windows=False).body
    style = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    title = ParagraphStyle("title", fontName=font, fontSize=14, leading=20)
    spans = _spans(rows)
    data = [[Paragraph(html.escape(v).replace("\n", "<br/>"), style) if v is not None else "" for v in row]
            for row in rows]
    widths = [90, 260, 150][:len(rows[0])] + [60] * max(0, len(rows[0]) - 3)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    commands += [("SPAN", (c, r), (c, r + n - 1)) for (r, c), n in spans.items()]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    story = [Paragraph(html.escape(x), title) for x in before] + [Spacer(1, 12), table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path
