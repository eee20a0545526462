"""The meaning of a plan's table: from a ``Grid`` (any format) to a ``PlanDraft``.

Every reader (core/plans/: text, .docx, .xlsx, .xls, .html, .csv, PDF, the
clipboard) gives a ``Grid``; this module alone decides what it means:

* the header row is found by its words (工作任务 | 具体要求 | 落实单位, optionally
  序号, 牵头单位, 配合单位, 完成时限 …, see ``core.plans.columns``); the rows
  above it are the title, issuer, date and notice (a plan without a title takes
  the file name);
* an empty or merged 工作任务 keeps the category above, an empty
  responsibility block inherits the row above;
* a cell may hold several numbered requirements ("5.… 6.… 7.…"); unnumbered
  requirements are numbered in order, numbering restarted in each category is
  continued;
* a row shifted by a lost merged cell (a "4." requirement in the category
  column and a unit name in the requirement column) is moved back when that is
  clear, and named in ``warnings`` otherwise; a row missing a cell is a warning,
  not a lost task.

Nothing here touches the store: the result is a ``PlanDraft`` or a
``PlanParseError`` naming the line (the row of a sheet or document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.errors import PlanParseError
from core.plans.columns import (  # noqa: F401
    COLUMN_PATTERNS,
    KIND_LABELS,
    RESPONSIBILITY,
    check_columns,
    find_header_row,
    header_kinds,
)
from core.plans.grid import Grid, decode_text
from core.plans.text import looks_like_units, numbered, text_grid

MAX_PLAN_BYTES = 5 * 1024 * 1024
DEFAULT_CATEGORY = "其他工作"

# "5." / "5．" / "5、" at the start of a requirement ("2.2021年底前…" is number 2);
# inside a cell only the next number in sequence starts a new requirement.
_NUM_AT_START = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*")
_NUM_INSIDE = re.compile(r"(?:(?<=\s)|(?<=[。；;!！?？]))(\d{1,3})\s*[.．、]\s*")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?$")
_DEADLINE_LIKE = re.compile(r"^(\d{4}年|\d{1,2}月|年底|年内|长期|持续|全年|每年|每季|每月|即时|常态)")


@dataclass
class TaskDraft:
    number: int
    category: str
    text: str
    units_text: str
    lead_text: str = ""
    cooperate_text: str = ""
    deadline_text: str = ""
    line: int = 0


@dataclass
class PlanDraft:
    title: str
    issuer: str
    issued_date: date | None
    year: int
    preamble: str
    categories: list[str] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    source: str = ""
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the header's column kinds, in order


def decode_plan_bytes(data: bytes) -> str:
    if len(data) > MAX_PLAN_BYTES:
        raise PlanParseError(None, f"文件过大（{len(data) // 1024} KB），方案文件通常不超过 {MAX_PLAN_BYTES // 1024 // 1024} MB")
    return decode_text(data, "这不是文本文件（请把方案另存为 .docx、.xlsx 或 .txt 后再导入）",
                       "无法识别文件编码（请另存为 UTF-8 或 GBK 编码的文本）")


def _parse_meta(pre: list[tuple[int, str]], source: str) -> tuple[str, str, date | None, int, str]:
    lines = [(n, s.strip()) for n, s in pre if s.strip() and not _ATTACHMENT.match(s.strip())]
    date_idx = None
    for idx, (_n, s) in enumerate(lines):
        if _DATE_LINE.match(s):
            date_idx = idx
    issued = None
    issuer = ""
    if date_idx is not None:
        n, s = lines[date_idx]
        m = _DATE_LINE.match(s)
        assert m
        try:
            issued = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise PlanParseError(n, f"成文日期“{s}”不是有效日期") from None
        preamble_end = date_idx
        if date_idx >= 1:
            cand = lines[date_idx - 1][1]
            if len(cand) <= 40 and not re.search(r"[。：:，,；;]", cand):
                issuer = cand
                preamble_end = date_idx - 1
        preamble = [s for _n, s in lines[:preamble_end]]
        title_lines = [s for _n, s in lines[date_idx + 1:]]
    else:
        title_lines = []
        preamble = []
        for _n, s in lines:
            if not preamble and not title_lines and len(s) <= 60 and not re.search(r"[。：:]", s):
                title_lines.append(s)
            else:
                preamble.append(s)
    if not title_lines and preamble and len(preamble[0]) <= 60 and not re.search(r"[。：:，,；;]", preamble[0]):
        title_lines = [preamble.pop(0)]  # title first, then issuer and date
    title = "".join(title_lines)
    if not title:
        for s in preamble:
            m = re.search(r"《([^》]*(?:方案|要点|台账|清单)[^》]*)》", s)
            if m:
                title = m[1]
                break
    stem = Path(source).stem if source else ""
    if not title:
        title = stem
    if not title:
        raise PlanParseError(None, "未找到方案标题（应在表头之前）")
    m = re.search(r"(\d{4})年", title) or re.search(r"(20\d\d)", stem)
    if m:
        year = int(m[1])
    elif issued:
        year = issued.year
    else:
        raise PlanParseError(None, "无法确定方案年度（标题或成文日期中应有年份）")
    return title, issuer, issued, year, "\n".join(preamble)


def split_requirements(text: str, first: int | None = None) -> list[tuple[int | None, str]]:
    """Split a cell holding "5.… 6.… 7.…" into numbered requirements; ``first``
    is the number of an unnumbered first requirement (from a 序号 column)."""
    text = text.strip()
    m = _NUM_AT_START.match(text)
    if not m and first is None:
        return [(None, text)]
    parts: list[tuple[int | None, str]] = []
    number = int(m[1]) if m else first
    pos = m.end() if m else 0
    while True:
        expected = number + 1
        nxt = None
        for cand in _NUM_INSIDE.finditer(text, pos):
            if int(cand[1]) == expected:
                nxt = cand
                break
        if nxt is None:
            parts.append((number, text[pos:].strip()))
            return parts
        parts.append((number, text[pos:nxt.start()].strip()))
        number, pos = expected, nxt.end()




def parse_plan(text: str, source: str = "") -> PlanDraft:
    """A plan given as text (any of the text layouts of ``core.plans.text``)."""
    return plan_from_grid(text_grid(text, source))


def _before_lines(grid: Grid, head: int) -> list[str]:
    lines = list(grid.before)
    for r in range(head):
        for c, cell in enumerate(grid.rows[r]):
            if cell and not grid.is_merged(r, c):
                lines.extend(cell.split("\n"))
    return lines


def header_row(grid: Grid) -> int | None:
    """The header's row: found by its words; the first row when none is (for a mapping given by hand)."""
    head = find_header_row(grid.rows)
    return head if head is not None or not grid.rows else 0


def plan_from_grid(grid: Grid, columns: list[str] | None = None) -> PlanDraft:
    """``columns``: the kind of each column as the user set it in the preview
    (``KIND_LABELS`` keys), instead of the kinds the header's words give."""
    head = find_header_row(grid.rows) if columns is None else header_row(grid)
    if head is None:
        raise PlanParseError(None, "未找到表头（表格第一行应含“工作任务”“具体要求”“落实单位”等列名）")
    if columns is not None:
        cols = list(columns[:grid.width]) + ["ignore"] * (grid.width - len(columns))
    else:
        cols = header_kinds(grid.rows[head]) or []
        cols = ["ignore" if grid.is_merged(head, c) else k for c, k in enumerate(cols)]
    header = grid.rows[head] + [""] * (len(cols) - len(grid.rows[head]))
    names = [re.sub(r"\s+", "", h) or KIND_LABELS[k] for h, k in zip(header, cols)]  # as the header says
    body = head + 1
    sub = header_kinds(grid.rows[body]) if body < len(grid.rows) and columns is None else None
    if sub:  # a header of two rows: "责任单位" over "牵头单位 | 配合单位"
        for c, k in enumerate(sub[:len(cols)]):
            if k != "ignore":
                cols[c], names[c] = k, re.sub(r"\s+", "", grid.rows[body][c])
        body += 1
    check_columns(cols, grid.labels[head])
    title, issuer, issued, year, preamble = _parse_meta(list(enumerate(_before_lines(grid, head), 1)), grid.source)
    draft = PlanDraft(title=title, issuer=issuer, issued_date=issued, year=year, preamble=preamble,
                      source=grid.source, columns=cols)
    warn = draft.warnings.append
    category = None if "category" in cols else DEFAULT_CATEGORY
    resp: dict[str, str] | None = None
    last_number = offset = 0
    for r in range(body, len(grid.rows)):
        line = grid.labels[r]
        cells = grid.rows[r]
        if not any(cells) or header_kinds(cells) == cols:
            continue  # an empty row, or the header repeated (each page, each table)
        extra = [c for c in cells[len(cols):] if c]
        if extra:
            warn(f"第{line}行比表头多出单元格“{extra[0][:20]}”，已忽略，请核对")
        cells = cells[:len(cols)] + [""] * (len(cols) - len(cells))
        if len(grid.rows[r]) < len(cols):
            warn(f"第{line}行只有 {len(grid.rows[r])} 个单元格，比表头少 {len(cols) - len(grid.rows[r])} 个，请核对")
        cells = _repair_shift(cells, cols, names, line, warn)
        row = {k: ("" if grid.is_merged(r, c) else cells[c]) for c, k in reversed(list(enumerate(cols)))}
        if row.get("category"):
            category = re.sub(r"\s+", "", row["category"])
        text = row["text"].strip()
        if not text:
            ti = cols.index("text")
            if grid.is_merged(r, ti) or (row.get("category") and not any(row.get(c) for c in RESPONSIBILITY)):
                continue  # the requirement above goes on, or a category heading row of its own
            warn(f"第{line}行没有“具体要求”，已跳过（{'、'.join(c[:12] for c in cells if c)}）")
            continue
        if category is None:
            raise PlanParseError(line, "第一项要求之前没有“工作任务”（类别）")
        # an empty responsibility cell was vertically merged: it inherits the row above
        if resp is None:
            resp = {c: "" for c in RESPONSIBILITY}
            if not any(row.get(c, "").strip() for c in RESPONSIBILITY):
                warn(f"第{line}行落实单位为空，且上方没有可沿用的单位，请导入后补充")
        resp = {c: row.get(c, "").strip() or resp[c] for c in RESPONSIBILITY}
        explicit_number = row.get("number", "").strip()
        parts = split_requirements(text, int(explicit_number) if re.fullmatch(r"\d{1,3}", explicit_number) else None)
        for k, (num, req) in enumerate(parts):
            if num is None and k == 0 and re.fullmatch(r"\d{1,3}", explicit_number):
                num = int(explicit_number)
            if num is None:
                num = last_number + 1
            else:
                if num == 1 and last_number and draft.tasks and draft.tasks[-1].category != category:
                    if not offset:
                        warn("各类别的要求分别从 1 编号，已按全文顺序连续编号")
                    offset = last_number
                num += offset
                if num <= last_number:
                    raise PlanParseError(line, f"要求编号 {num} 与前面的编号重复或顺序颠倒（上一项是 {last_number}）")
            if not req:
                raise PlanParseError(line, f"第{num}项要求没有内容")
            if category not in draft.categories:
                draft.categories.append(category)
            draft.tasks.append(TaskDraft(
                number=num, category=category, text=req,
                units_text=resp["units"], lead_text=resp["lead"], cooperate_text=resp["cooperate"],
                deadline_text=row.get("deadline", "").strip(), line=line,
            ))
            last_number = num
    if not draft.tasks:
        raise PlanParseError(grid.labels[head] + 1, "表头之后没有任何要求")
    return draft


def _is_requirement(text: str) -> bool:
    return numbered(text) or "。" in text or len(text) > 40


def _repair_shift(cells: list[str], cols: list[str], names: list[str], line: int, warn) -> list[str]:
    """Put back a cell lost to a merged cell when the evidence is clear."""
    if cells[-1]:
        return cells  # the row is full: nothing was lost
    ti = cols.index("text")
    text = cells[ti]
    if ti > 0 and text and cells[ti - 1] and cols[ti - 1] in ("category", "number") \
            and looks_like_units(text) and not numbered(text):
        if _is_requirement(cells[ti - 1]):
            warn(f"第{line}行少一个单元格（合并单元格），已把“{cells[ti - 1][:12]}…”移回“{names[ti]}”列、"
                 f"“{text[:12]}”移回“{names[ti + 1]}”列，请核对")
            return cells[:ti - 1] + [""] + cells[ti - 1:-1]
        warn(f"第{line}行的“{names[ti]}”是“{text[:20]}”，像是单位名称，可能错位，请核对")
        return cells
    if "deadline" in cols and ti + 1 < len(cols) and cols[ti + 1] in RESPONSIBILITY:
        nxt = cells[ti + 1]
        if nxt and len(nxt) <= 20 and _DEADLINE_LIKE.match(nxt) and not looks_like_units(nxt):
            warn(f"第{line}行的“{names[ti + 1]}”是“{nxt}”，像是完成时限，已右移一列（合并单元格），请核对")
            return cells[:ti + 1] + [""] + cells[ti + 1:-1]
    return cells
