"""Plain text → Grid: the table as Word, WPS, Excel and browsers flatten it.

* one cell per line: every cell ends with " |" (a cell may run over several
  lines until its " |"); a line of bare pipes ("|", "||") holds empty cells
  left by vertically merged cells;
* one row per line, cells separated by " | " (Markdown-style outer pipes and
  "---" rule lines are accepted) or by tabs; a line with fewer cells than the
  header goes on with the next line(s);
* one cell per line without pipes (Word's and WPS's "plain text" save of a
  table: every cell ends with a line break, an empty cell is an empty line;
  a line after a requirement that is neither a unit list nor numbered goes on
  with the requirement);
* tab-separated with quoted multi-line cells (Excel's "text" and "Unicode
  text" saves): read with the csv module.

Cells left out by merged cells are put back as empty cells; which column a
cell of the one-cell-per-line layout belongs to is decided from its shape
(a numbered requirement, a list of unit names).
"""

from __future__ import annotations

import csv
import io
import re

from core.errors import PlanParseError
from core.plans.columns import check_columns, column_kind
from core.plans.grid import Grid

_NUM_AT_START = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*")
_PIPES_ONLY = re.compile(r"^\|+$")
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_UNIT_WORDS = re.compile(r"(单位|部门|局|委|办|镇街|镇|街道|园区|科|室|中心|牵头|配合|落实|政府|主办|协办|组)\)?$")


def normalize_text(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("｜", "|")


def text_grid(text: str, source: str = "") -> Grid:
    text = normalize_text(text)
    if not text.strip():
        raise PlanParseError(None, "文件为空")
    if "|" not in text and "\t" in text:
        grid = _quoted_tab_grid(text, source)
        if grid is not None:
            return grid
    lines = text.split("\n")
    if "|" not in text and "\t" in text:  # pasted from a spreadsheet: cells separated by tabs
        lines = [" | ".join(c.strip() for c in ln.split("\t")) if "\t" in ln else ln for ln in lines]
    mode, head, body, cols = _find_header(lines)
    grid = Grid(before=lines[:head], source=source)
    if mode in ("cell", "lines"):
        grid.add_row([lines[i].strip().rstrip("|").strip() for i in range(head, body)], head + 1)
        cells = _cells(lines, body) if mode == "cell" else [(ln.strip(), i + 1) for i, ln in enumerate(lines)
                                                             if i >= body]
        for row, line in _rows_from_cells(cells, cols, joined=mode == "lines"):
            grid.add_row([row.get(k, "") for k in cols], line)
    else:
        grid.add_row(_split_row(lines[head], True), head + 1)
        for cells, line in _rows_from_lines(lines, body, cols, outer=mode == "row|"):
            grid.add_row(cells, line)
    return grid


def _quoted_tab_grid(text: str, source: str) -> Grid | None:
    """Excel's tab-delimited saves quote a cell holding line breaks; then the csv
    module reads the rows. Without such a cell the line reader below is used."""
    if '"' not in text:
        return None
    try:
        reader = csv.reader(io.StringIO(text), delimiter="\t")
        rows = []
        line = 1
        for row in reader:
            rows.append((row, line))
            line = reader.line_num + 1
    except csv.Error:
        return None
    if not any("\n" in c for row, _ in rows for c in row):
        return None
    grid = Grid(source=source)
    for row, label in rows:
        grid.add_row(row, label)
    return grid


def _split_row(line: str, outer: bool = True) -> list[str]:
    """Cells of a one-row-per-line table. With ``outer`` (the header was
    written "| a | b |"), the outermost pipes are borders; without it a line
    starting with "|" begins with an empty (merged) cell."""
    s = line.strip()
    if outer and s.startswith("|"):
        s = s[1:]
    s = s.removesuffix("|")
    return [c.strip() for c in s.split("|")]


def _find_header(lines: list[str]) -> tuple[str, int, int, list[str]]:
    """Returns (mode, first header line index, first body line index, columns).

    The mode is "cell" (one cell per line ending with "|"), "lines" (one
    cell per line, no pipes), "row" (one row per line) or "row|" (one row
    per line with outer border pipes)."""
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        if "|" in s and not s.endswith(" |") or s.count("|") >= 2:
            cells = _split_row(s)
            kinds = [column_kind(c) for c in cells]
            if len(cells) >= 2 and sum(k is not None for k in kinds) >= 2:
                cols = [k or "ignore" for k in kinds]
                check_columns(cols, i + 1)
                return ("row|" if s.startswith("|") else "row"), i, i + 1, cols
        if s.endswith("|") and not _PIPES_ONLY.match(s):
            if column_kind(s[:-1]) is None:
                continue
            cols = []
            j = i
            while j < len(lines):
                t = lines[j].strip()
                k = column_kind(t[:-1]) if t.endswith("|") and not _PIPES_ONLY.match(t) else None
                if k is None:
                    break
                cols.append(k)
                j += 1
            if len(cols) >= 2:
                check_columns(cols, i + 1)
                return "cell", i, j, cols
        if "|" not in s and "\t" not in s and column_kind(s):
            j = i
            while j < len(lines) and column_kind(lines[j].strip()):
                j += 1
            cols = [column_kind(lines[k].strip()) or "ignore" for k in range(i, j)]
            if len(cols) >= 2 and "text" in cols:
                check_columns(cols, i + 1)
                return "lines", i, j, cols
    raise PlanParseError(None, "未找到表头（表格第一行应含“工作任务”“具体要求”“落实单位”等列名）")


# ---- one cell per line ------------------------------------------------------

def _cells(lines: list[str], start: int) -> list[tuple[str, int]]:
    cells: list[tuple[str, int]] = []
    buf: list[str] = []
    buf_line = 0
    for i in range(start, len(lines)):
        s = lines[i].strip()
        if not buf and not s:
            continue
        if not buf and _PIPES_ONLY.match(s):
            cells.extend(("", i + 1) for _ in s)
            continue
        if not buf:
            buf_line = i + 1
        if s.endswith("|"):
            buf.append(s[:-1].strip())
            cells.append(("\n".join(b for b in buf if b), buf_line))
            buf = []
        else:
            buf.append(s)
    if buf:
        raise PlanParseError(buf_line, "单元格没有以“|”结尾，表格可能不完整")
    return cells


def numbered(text: str) -> bool:
    return bool(_NUM_AT_START.match(text))


def looks_like_units(text: str) -> bool:
    return "。" not in text and len(text) <= 400 and bool(_UNIT_WORDS.search(text.strip().rstrip("。")))


def _rows_from_cells(cells: list[tuple[str, int]], cols: list[str], joined: bool = False,
                     ) -> list[tuple[dict[str, str], int]]:
    ti = cols.index("text")
    before, after = cols[:ti], cols[ti + 1:]
    rows: list[tuple[dict[str, str], int]] = []
    pre: list[tuple[str, int]] = []
    current: dict[str, str] | None = None
    filled = 0
    line = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            rows.append((current, line))
            current = None

    nonempty = [k for k, c in enumerate(cells) if c[0]]
    nxt = {k: (cells[nonempty[j + 1]][0] if j + 1 < len(nonempty) else None) for j, k in enumerate(nonempty)}
    for k, (text, cell_line) in enumerate(cells):
        if current is not None and filled < len(after):
            if joined and filled == 0 and text and not numbered(text) and not looks_like_units(text) \
                    and after[0] in ("lead", "cooperate", "units"):
                current["text"] += "\n" + text  # a cell's second paragraph
                continue
            if text and numbered(text) and after[filled] not in ("deadline", "notes", "ignore"):
                close()  # the rest of the row was merged away: inherit
            else:
                current[after[filled]] = text
                filled += 1
                if filled == len(after):
                    close()
                continue
        if not text:
            continue
        is_req = numbered(text)
        if not is_req:
            following = nxt[k]
            filled_before = len(pre) >= len([c for c in before if c != "number"])
            if not before or filled_before:
                is_req = True
            elif following is not None and not numbered(following) and looks_like_units(following) \
                    and not looks_like_units(text):
                is_req = True
            elif "。" in text or len(text) > 40:
                is_req = True
        if not is_req:
            if "number" in before and re.fullmatch(r"\d{1,3}", text):
                pre.insert(0, (text, cell_line))  # a 序号 cell
            else:
                pre.append((text, cell_line))
            continue
        current = {c: "" for c in cols}
        current["text"] = text
        line = cell_line
        for t, t_line in pre:
            if re.fullmatch(r"\d{1,3}", t) and "number" in before:
                current["number"] = t
            elif "category" in before and not current["category"]:
                current["category"] = t
            else:
                raise PlanParseError(t_line, f"多出的单元格“{t[:20]}”，无法对应到表头的列")
        pre = []
        filled = 0
        if not after:
            close()
    close()
    if pre:
        raise PlanParseError(pre[0][1], f"“{pre[0][0][:20]}”之后没有具体要求")
    return rows


# ---- one row per line -------------------------------------------------------

def _rows_from_lines(lines: list[str], start: int, cols: list[str], outer: bool) -> list[tuple[list[str], int]]:
    """Rows of a one-row-per-line table. A line with fewer cells than the
    header is a row whose last cell goes on over the next line(s), until the
    row has as many cells as the header (a short last row is padded) — unless
    the short line ends with unit names and the next starts a numbered
    requirement: then the short line is a row that lost a merged cell, padded
    here and put right by the meaning step."""
    rows: list[tuple[list[str], int]] = []
    pending: list[str] | None = None
    pending_line = 0

    def emit(cells: list[str], line: int) -> None:
        rows.append(([c.strip() for c in cells] + [""] * (len(cols) - len(cells)), line))

    for i in range(start, len(lines)):
        s = lines[i].strip()
        if not s or _RULE_ROW.match(s):
            continue
        if "|" not in s and pending is None:
            raise PlanParseError(i + 1, "这一行不是表格行（缺少“|”分隔符）")
        cells = _split_row(s, outer) if "|" in s else [s]
        if pending is not None and numbered(cells[0]) and len(cells) > 1 and looks_like_units(pending[-1]) \
                and not numbered(pending[-1]):
            emit(pending, pending_line)  # a new requirement after a unit name: the short line lost a merged cell
            pending = None
        if pending is not None:
            merged = pending[:-1] + [pending[-1] + "\n" + cells[0]] + cells[1:]
            if len(merged) <= len(cols):
                pending = merged
                if len(merged) == len(cols):
                    emit(pending, pending_line)
                    pending = None
                continue
            emit(pending, pending_line)
            pending = None
        if len(cells) > len(cols):
            raise PlanParseError(i + 1, f"有 {len(cells)} 个单元格，比表头的 {len(cols)} 列多")
        if len(cells) == len(cols):
            emit(cells, i + 1)
        else:
            pending, pending_line = cells, i + 1
    if pending is not None:
        emit(pending, pending_line)
    return rows
