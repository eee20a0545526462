"""CSV and tab-separated files → Grid (csv module): Excel's and WPS's saves —
GBK (cp936) "CSV", "CSV UTF-8" with a BOM, "Unicode text" (UTF-16 with tabs);
a cell holding line breaks is quoted and stays one cell."""

from __future__ import annotations

import csv
import io

from core.errors import PlanParseError
from core.plans.grid import Grid, decode_text


def decode_delimited(data: bytes) -> str:
    return decode_text(data, "这不是 CSV 文本文件（请在 Excel/WPS 中另存为“CSV”或 .xlsx）",
                       "无法识别 CSV 文件的编码（请另存为“CSV UTF-8”）")


def _delimiter(text: str, hint: str) -> str:
    if hint == ".tsv":
        return "\t"
    head = text[:4096]
    counts = {d: 0 for d in ",\t;"}
    quoted = False
    for ch in head:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def delimited_grid(text: str, source: str = "", ext: str = "") -> Grid:
    text = text.lstrip("\ufeff")
    delim = _delimiter(text, ext)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    grid = Grid(source=source)
    line = 1
    try:
        for row in reader:
            grid.add_row(row, line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise PlanParseError(line, f"CSV 格式有误（{exc}）") from None
    while grid.rows and not any(grid.rows[-1]):
        grid.rows.pop()
        grid.labels.pop()
    return grid
