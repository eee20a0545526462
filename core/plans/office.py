"""Word and Excel files → Grid (.docx with python-docx, .xlsx with openpyxl,
.xls with xlrd). Each library is imported when its format is read."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from core.plans.grid import Grid


def docx_grid(data: bytes, source: str = "") -> Grid:
    """The document's tables one after another; the paragraphs before the
    first table are the text before it. A merged cell is the same ``_tc``
    element in every row/column it covers: compared by identity."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(io.BytesIO(data))
    grid = Grid(source=source)
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p") and not grid.rows:
            grid.before.extend(Paragraph(child, doc).text.replace("\r", "\n").split("\n"))
        elif child.tag == qn("w:tbl"):
            above: list = []
            for row in Table(child, doc).rows:
                cells = list(row.cells)
                merged = set()
                for c, cell in enumerate(cells):
                    if c < len(above) and cell._tc is above[c]._tc or c > 0 and cell._tc is cells[c - 1]._tc:
                        merged.add(c)
                grid.add_row(["" if c in merged else cell.text for c, cell in enumerate(cells)], merged=merged)
                above = cells
    return grid


def _value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (datetime, date)):
        return f"{v.year}年{v.month}月{v.day}日"
    return str(v)


def xlsx_grid(data: bytes, source: str = "") -> Grid:
    """The first sheet holding a plan's header (else the first sheet); merged
    ranges give their text to the top-left cell, the others are marked."""
    import openpyxl

    from core.plans.columns import find_header_row

    _check_merged_areas(data)
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    grids = []
    for ws in wb.worksheets:
        if ws.max_row > 20000 or ws.max_column > 200:
            continue
        covered: dict[tuple[int, int], bool] = {}
        for rng in ws.merged_cells.ranges:  # clipped to the used area: a range may cover whole columns
            for r in range(rng.min_row, min(rng.max_row, ws.max_row) + 1):
                for c in range(rng.min_col, min(rng.max_col, ws.max_column) + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered[(r, c)] = True
        grid = Grid(source=source)
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            merged = {c for c in range(len(row)) if covered.get((r, c + 1))}
            grid.add_row([_value(v) for v in row], r, merged)
        _trim(grid)
        if find_header_row(grid.rows) is not None:
            return grid
        grids.append(grid)
    return grids[0] if grids else Grid(source=source)


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
MAX_MERGED_CELLS = 1_000_000


def _check_merged_areas(data: bytes) -> None:
    """openpyxl makes an object for every cell a merged range covers: a range
    over whole columns would take minutes and gigabytes. Refuse it first."""
    import zipfile

    from openpyxl.utils import range_boundaries

    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for ref in _MERGE_REF.findall(z.read(name)):
                    c1, r1, c2, r2 = range_boundaries(ref.decode())
                    total += (c2 - c1 + 1) * (r2 - r1 + 1)
    if total > MAX_MERGED_CELLS:
        from core.errors import PlanParseError

        raise PlanParseError(None, "工作簿中的合并单元格范围过大（可能合并了整列或整行），请取消这些合并后另存，再导入")


def xls_grid(data: bytes, source: str = "") -> Grid:
    import xlrd

    from core.plans.columns import find_header_row

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    grids = []
    for sh in book.sheets():
        covered = {(r, c) for rlo, rhi, clo, chi in sh.merged_cells
                   for r in range(rlo, min(rhi, sh.nrows, 20000)) for c in range(clo, min(chi, sh.ncols, 200))
                   if (r, c) != (rlo, clo)}
        grid = Grid(source=source)
        for r in range(min(sh.nrows, 20000)):
            cells = []
            for c in range(min(sh.ncols, 200)):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    y, m, d, *_ = xlrd.xldate_as_tuple(cell.value, book.datemode)
                    cells.append(f"{y}年{m}月{d}日")
                else:
                    cells.append(_value(cell.value))
            grid.add_row(cells, r + 1, {c for c in range(len(cells)) if (r, c) in covered})
        _trim(grid)
        if find_header_row(grid.rows) is not None:
            return grid
        grids.append(grid)
    return grids[0] if grids else Grid(source=source)


def _trim(grid: Grid) -> None:
    """Drop the empty columns on the right that sheets often carry."""
    width = max((max((c for c, v in enumerate(row) if v), default=-1) + 1 for row in grid.rows), default=0)
    grid.rows = [row[:width] for row in grid.rows]
    grid.merged = {(r, c) for r, c in grid.merged if c < width}
