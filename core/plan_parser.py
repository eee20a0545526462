"""Parse a city's division plan (分工方案) given as a table flattened to text.

Two layouts are read, both from the table's structure:

* one cell per line: every cell ends with " |" (a cell may run over several
  lines until its " |"); a line of bare pipes ("|", "||") holds empty cells
  left by vertically merged cells;
* one row per line, cells separated by " | " (Markdown-style outer pipes and
  "---" rule lines are accepted).

The header row names the columns (工作任务 | 具体要求 | 落实单位, optionally
序号, 牵头单位, 配合单位, 完成时限 ...). Vertically merged cells come out
empty: an empty 工作任务 keeps the category above and an empty responsibility
block inherits the row above. A cell may hold several numbered requirements
("5.… 6.… 7.…"); unnumbered requirements are numbered in order.

Nothing here touches the store: the result is a ``PlanDraft`` or a
``PlanParseError`` naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.errors import PlanParseError

MAX_PLAN_BYTES = 5 * 1024 * 1024

COLUMN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(序号|编号|序)$")),
    ("category", re.compile(r"^(工作任务|重点任务|任务类别|任务分类|工作类别|类别|工作事项|重点工作|工作项目|项目|任务)$")),
    ("text", re.compile(r"^(具体要求|工作要求|具体内容|工作内容|主要内容|任务内容|要求|具体任务|工作措施|具体措施)$")),
    ("lead", re.compile(r"^(牵头单位|牵头部门|牵头科室)$")),
    ("cooperate", re.compile(r"^(配合单位|配合部门|配合科室|协办单位)$")),
    ("units", re.compile(r"^(落实单位|责任单位|责任部门|承办单位|责任科室|落实科室|负责科室|责任主体|落实部门|责任分工)$")),
    ("deadline", re.compile(r"^(完成时限|时限要求|时限|完成时间|办结时限)$")),
    ("notes", re.compile(r"^(备注)$")),
]
RESPONSIBILITY = ("lead", "cooperate", "units")
DEFAULT_CATEGORY = "其他工作"

# "5." / "5．" / "5、" at the start of a requirement ("2.2021年底前…" is number 2);
# inside a cell only the next number in sequence starts a new requirement.
_NUM_AT_START = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*")
_NUM_INSIDE = re.compile(r"(?:(?<=\s)|(?<=[。；;!！?？]))(\d{1,3})\s*[.．、]\s*")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_PIPES_ONLY = re.compile(r"^\|+$")
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_UNIT_WORDS = re.compile(r"(单位|部门|局|委|办|镇街|镇|街道|园区|科|室|中心|牵头|配合|落实|政府)\)?$")


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


@dataclass
class _Cell:
    text: str
    line: int


def decode_plan_bytes(data: bytes) -> str:
    if len(data) > MAX_PLAN_BYTES:
        raise PlanParseError(None, f"文件过大（{len(data) // 1024} KB），方案文本通常不超过 {MAX_PLAN_BYTES // 1024 // 1024} MB")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise PlanParseError(None, "这不是文本文件（请先把方案表格另存为 .txt 文本）")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PlanParseError(None, "无法识别文件编码（请另存为 UTF-8 或 GBK 编码的文本）")


def _column_kind(cell: str) -> str | None:
    cell = re.sub(r"\s+", "", cell)
    for kind, pat in COLUMN_PATTERNS:
        if pat.match(cell):
            return kind
    return None


def _split_row(line: str, outer: bool = True) -> list[str]:
    """Cells of a one-row-per-line table. With ``outer`` (the header was
    written "| a | b |"), the outermost pipes are borders; without it a line
    starting with "|" begins with an empty (merged) cell."""
    s = line.strip()
    if outer and s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _check_columns(cols: list[str], line: int) -> None:
    if "text" not in cols:
        raise PlanParseError(line, "表头缺少“具体要求”列")
    if not any(c in cols for c in RESPONSIBILITY):
        raise PlanParseError(line, "表头缺少“落实单位”（或“责任单位”“牵头单位”）列")
    seen = set()
    for c in cols:
        if c != "ignore" and c in seen:
            raise PlanParseError(line, f"表头中“{c}”列重复")
        seen.add(c)


def _find_header(lines: list[str]) -> tuple[str, int, int, list[str]]:
    """Returns (mode, first header line index, first body line index, columns).

    The mode is "cell" (one cell per line), "row" (one row per line) or
    "row|" (one row per line with outer border pipes)."""
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        if "|" in s and not s.endswith(" |") or s.count("|") >= 2:
            cells = [c for c in _split_row(s)]
            kinds = [_column_kind(c) for c in cells]
            if len(cells) >= 2 and sum(k is not None for k in kinds) >= 2:
                cols = [k or "ignore" for k in kinds]
                _check_columns(cols, i + 1)
                return ("row|" if s.startswith("|") else "row"), i, i + 1, cols
        if s.endswith("|") and not _PIPES_ONLY.match(s):
            kind = _column_kind(s[:-1])
            if kind is None:
                continue
            cols = []
            j = i
            while j < len(lines):
                t = lines[j].strip()
                k = _column_kind(t[:-1]) if t.endswith("|") and not _PIPES_ONLY.match(t) else None
                if k is None:
                    break
                cols.append(k)
                j += 1
            if len(cols) >= 2:
                _check_columns(cols, i + 1)
                return "cell", i, j, cols
    raise PlanParseError(None, "未找到表头（表格第一行应含“工作任务”“具体要求”“落实单位”等列名）")


def _parse_meta(pre: list[tuple[int, str]], source: str) -> tuple[str, str, date | None, int, str]:
    lines = [(n, s.strip()) for n, s in pre if s.strip()]
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
    if not title:
        raise PlanParseError(None, "未找到方案标题（应在表头之前）")
    m = re.search(r"(\d{4})年", title)
    if m:
        year = int(m[1])
    elif issued:
        year = issued.year
    else:
        raise PlanParseError(None, "无法确定方案年度（标题或成文日期中应有年份）")
    return title, issuer, issued, year, "\n".join(preamble)


def _cells(lines: list[str], start: int) -> list[_Cell]:
    cells: list[_Cell] = []
    buf: list[str] = []
    buf_line = 0
    for i in range(start, len(lines)):
        s = lines[i].strip()
        if not buf and not s:
            continue
        if not buf and _PIPES_ONLY.match(s):
            cells.extend(_Cell("", i + 1) for _ in s)
            continue
        if not buf:
            buf_line = i + 1
        if s.endswith("|"):
            buf.append(s[:-1].strip())
            cells.append(_Cell("\n".join(b for b in buf if b), buf_line))
            buf = []
        else:
            buf.append(s)
    if buf:
        raise PlanParseError(buf_line, "单元格没有以“|”结尾，表格可能不完整")
    return cells


def _numbered(text: str) -> bool:
    return bool(_NUM_AT_START.match(text))


def _looks_like_units(text: str) -> bool:
    return "。" not in text and len(text) <= 400 and bool(_UNIT_WORDS.search(text.strip().rstrip("。")))


def _rows_from_cells(cells: list[_Cell], cols: list[str]) -> list[tuple[dict[str, str], int]]:
    ti = cols.index("text")
    before, after = cols[:ti], cols[ti + 1:]
    rows: list[tuple[dict[str, str], int]] = []
    pre: list[_Cell] = []
    current: dict[str, str] | None = None
    filled = 0
    line = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            rows.append((current, line))
            current = None

    nonempty = [c for c in cells if c.text]
    nxt = {id(c): (nonempty[k + 1] if k + 1 < len(nonempty) else None) for k, c in enumerate(nonempty)}
    for cell in cells:
        if current is not None and filled < len(after):
            if cell.text and _numbered(cell.text) and not _numbered_units_ok(after[filled]):
                close()  # the rest of the row was merged away: inherit
            else:
                current[after[filled]] = cell.text
                filled += 1
                if filled == len(after):
                    close()
                continue
        if not cell.text:
            continue
        is_req = _numbered(cell.text)
        if not is_req:
            following = nxt[id(cell)]
            filled_before = len(pre) >= len([c for c in before if c != "number"])
            if not before or filled_before:
                is_req = True
            elif following is not None and not _numbered(following.text) and _looks_like_units(following.text) \
                    and not _looks_like_units(cell.text):
                is_req = True
            elif "。" in cell.text or len(cell.text) > 40:
                is_req = True
        if not is_req:
            if "number" in before and re.fullmatch(r"\d{1,3}", cell.text):
                pre.insert(0, cell)  # a 序号 cell
            else:
                pre.append(cell)
            continue
        current = {c: "" for c in cols}
        current["text"] = cell.text
        line = cell.line
        for c in pre:
            if re.fullmatch(r"\d{1,3}", c.text) and "number" in before:
                current["number"] = c.text
            elif "category" in before and not current["category"]:
                current["category"] = c.text
            else:
                raise PlanParseError(c.line, f"多出的单元格“{c.text[:20]}”，无法对应到表头的列")
        pre = []
        filled = 0
        if not after:
            close()
    close()
    if pre:
        raise PlanParseError(pre[0].line, f"“{pre[0].text[:20]}”之后没有具体要求")
    return rows


def _numbered_units_ok(col: str) -> bool:
    # A responsibility column never starts with "5."; a 时限/备注 column might.
    return col in ("deadline", "notes", "ignore")


def _rows_from_lines(lines: list[str], start: int, cols: list[str], outer: bool) -> list[tuple[dict[str, str], int]]:
    """Rows of a one-row-per-line table. A line with fewer cells than the
    header is a row whose last cell goes on over the next line(s), until the
    row has as many cells as the header (a short last row is padded)."""
    rows: list[tuple[dict[str, str], int]] = []
    pending: list[str] | None = None
    pending_line = 0

    def emit(cells: list[str], line: int) -> None:
        cells = cells + [""] * (len(cols) - len(cells))
        rows.append((dict(zip(cols, (c.strip() for c in cells))), line))

    for i in range(start, len(lines)):
        s = lines[i].strip()
        if not s or _RULE_ROW.match(s):
            continue
        if "|" not in s and pending is None:
            raise PlanParseError(i + 1, "这一行不是表格行（缺少“|”分隔符）")
        cells = _split_row(s, outer) if "|" in s else [s]
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


def split_requirements(text: str) -> list[tuple[int | None, str]]:
    """Split a cell holding "5.… 6.… 7.…" into numbered requirements."""
    text = text.strip()
    m = _NUM_AT_START.match(text)
    if not m:
        return [(None, text)]
    parts: list[tuple[int | None, str]] = []
    number = int(m[1])
    pos = m.end()
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
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("｜", "|")
    if not text.strip():
        raise PlanParseError(None, "文件为空")
    lines = text.split("\n")
    if "|" not in text and "\t" in text:  # pasted from a spreadsheet: cells separated by tabs
        lines = [" | ".join(c.strip() for c in ln.split("\t")) if "\t" in ln else ln for ln in lines]
    mode, head, body, cols = _find_header(lines)
    title, issuer, issued, year, preamble = _parse_meta(list(enumerate(lines[:head], 1)), source)
    if mode == "cell":
        rows = _rows_from_cells(_cells(lines, body), cols)
    else:
        rows = _rows_from_lines(lines, body, cols, outer=mode == "row|")

    draft = PlanDraft(title=title, issuer=issuer, issued_date=issued, year=year, preamble=preamble, source=source)
    category = None if "category" in cols else DEFAULT_CATEGORY
    resp: dict[str, str] | None = None
    last_number = 0
    for row, line in rows:
        if not any(v.strip() for v in row.values()):
            continue
        if row.get("category"):
            category = re.sub(r"\s+", "", row["category"])
        if not row["text"].strip():
            if row.get("category") and not any(row.get(c) for c in RESPONSIBILITY):
                continue  # a category heading row of its own
            raise PlanParseError(line, "缺少“具体要求”")
        if category is None:
            raise PlanParseError(line, "第一项要求之前没有“工作任务”（类别）")
        # an empty responsibility cell was vertically merged: it inherits the row above
        if resp is None:
            if not any(row.get(c, "").strip() for c in RESPONSIBILITY):
                raise PlanParseError(line, "落实单位为空，且上方没有可沿用的单位")
            resp = {c: "" for c in RESPONSIBILITY}
        resp = {c: row.get(c, "").strip() or resp[c] for c in RESPONSIBILITY}
        parts = split_requirements(row["text"])
        explicit_number = row.get("number", "").strip()
        for k, (num, req) in enumerate(parts):
            if num is None and k == 0 and re.fullmatch(r"\d{1,3}", explicit_number):
                num = int(explicit_number)
            if num is None:
                num = last_number + 1
            elif num <= last_number:
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
        raise PlanParseError(body + 1, "表头之后没有任何要求")
    return draft
