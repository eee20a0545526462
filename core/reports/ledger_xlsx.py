"""The work ledger (工作台账) as an Excel workbook (openpyxl).

One row per task of the unit — lead, cooperate, implement, confirmed related
and, marked 待确认, related tasks the unit has not decided yet; dismissed ones
are left out.  Title row, subtitle, frozen header; wrapped text, set widths;
A4 landscape fitted to the page width with the header rows printed on every
page; a drop-down of the four statuses on the status column.  Every string
the user typed is stored as text (never a formula), with Excel's quote
prefix so that editing the cell in Excel or WPS keeps it text.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from core.reports import ReportResult
from core.reports.data import Steps, action_line, gather, numbers_text, units_by_role
from core.safe_write import safe_output
from core.vocabulary import STATUSES, format_cn_date

COLUMNS = [  # (header, width in Excel's units: about one digit, half a Chinese character)
    ("序号", 6),
    ("工作任务", 12),
    ("具体要求", 36),
    ("本单位角色", 10),
    ("牵头/配合单位", 18),
    ("时限要求", 13),
    ("责任科室", 11),
    ("责任人", 9),
    ("落实情况", 44),
    ("完成状态", 10),
    ("佐证材料", 16),
    ("备注", 14),
]
COL = {name: i + 1 for i, (name, _) in enumerate(COLUMNS)}
TITLE_ROW, SUB_ROW, HEAD_ROW = 1, 2, 3
FIRST_ROW = HEAD_ROW + 1
CELL_LIMIT = 32767  # Excel's limit on one cell's text
FONT = "宋体"  # Excel/WPS substitute their CJK default where it is missing
LINE_PT = 13.5  # one line of 10 pt text
MAX_ROW_PT = 409  # Excel's largest row height
TALLEST_LINES = math.ceil((MAX_ROW_PT - 4) / LINE_PT)  # lines that need the largest height
PENDING_NOTE = "待确认：本任务的落实单位含“有关单位”等泛指，请确认是否由本单位负责。"


def ledger_title(data) -> str:
    return f"{data.unit_name}{data.year}年政务公开工作重点任务台账"


def build_ledger(ledger, unit_id: str, out: Path, plan_id: str | None = None, today: date | None = None,
                 progress=None, cancelled=None) -> ReportResult:
    today = today or date.today()
    steps = Steps(progress, cancelled)
    data = gather(ledger, unit_id, plan_id, today, include_pending=True)
    entries = data.entries
    steps.total = len(entries) + 2
    steps.tick()
    warnings: list[str] = []
    cleaned: list[int] = []
    truncated: list[int] = []

    wb = Workbook()
    ws = wb.active
    ws.title = "工作台账"[:31]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    wrap_center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    body_font = Font(name=FONT, size=10)

    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    title = ws.cell(TITLE_ROW, 1)
    _set_text(title, ledger_title(data))
    title.font = Font(name=FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 30

    ws.merge_cells(f"A{SUB_ROW}:{last}{SUB_ROW}")
    sub = ws.cell(SUB_ROW, 1)
    _set_text(sub, f"依据：《{data.plan['title']}》（{data.plan.get('issuer') or ''}，"
                   f"{format_cn_date(data.plan.get('issued_date'))}）　　填报单位：{data.unit_name}"
                   f"　　更新日期：{format_cn_date(today)}")
    sub.font = Font(name=FONT, size=10)
    sub.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[SUB_ROW].height = 20

    head = StyleArray()  # made once (in the order a cell's setters would add them)
    head.fontId = wb._fonts.add(Font(name=FONT, size=10, bold=True))
    head.alignmentId = wb._alignments.add(wrap_center)
    head.borderId = wb._borders.add(border)
    head.fillId = wb._fills.add(PatternFill("solid", fgColor="D9D9D9"))
    for i, (name, width) in enumerate(COLUMNS, start=1):
        c = ws.cell(HEAD_ROW, i)
        _set_text(c, name)
        c._style = StyleArray(head)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[HEAD_ROW].height = 22

    # the two styles of a body cell (top-aligned, centred), each also with
    # Excel's quote prefix, made once: assigning Font/Border/Alignment to each
    # cell hashes and looks up all three again
    centred = ("序号", "本单位角色", "完成状态", "时限要求")
    made = {}
    for align in (wrap_top, wrap_center):
        plain = StyleArray()
        plain.fontId = wb._fonts.add(body_font)
        plain.borderId = wb._borders.add(border)
        plain.alignmentId = wb._alignments.add(align)
        quoted = StyleArray(plain)
        quoted.quotePrefix = 1
        made[id(align)] = (plain, quoted)
    # (column, style, quoted style, width) in the order of COLUMNS
    body = [(i, *made[id(wrap_center if name in centred else wrap_top)], width)
            for i, (name, width) in enumerate(COLUMNS, start=1)]
    cells = ws._cells  # the body cells go straight in: ws.cell() and the value and
    #                    style descriptors cost more than the writing itself

    row = FIRST_ROW
    for e in entries:
        steps.check()
        v = e.view
        units = "\n".join(f"{word}：{'、'.join(names)}" for word, names in units_by_role(v))
        actions = "\n".join(action_line(a, with_handler=True) for a in e.actions)
        files = "\n".join(a["name"] for a in e.attachments)
        notes = v.notes
        if v.pending:
            notes = PENDING_NOTE + ("\n" + notes if notes else "")
        due = v.deadline_text + ("（已逾期）" if e.overdue else "")
        values = (v.number, v.category, v.text, v.role_label, units, due, v.dept, v.person, actions, v.status,
                  files, notes)  # in the order of COLUMNS
        lines_needed = 1
        for (col, plain, quoted, width), value in zip(body, values):
            if isinstance(value, int):
                c = Cell(ws, row, col, style_array=plain)
                c._value = value
                text = str(value)
            else:
                text, was_cleaned, was_cut = _clean(value)
                if was_cleaned:
                    cleaned.append(v.number)
                if was_cut:
                    truncated.append(v.number)
                # what _set_text does, without the descriptors: _clean has
                # dropped what Cell.check_string would refuse and cut the text
                # to a cell's limit
                c = Cell(ws, row, col, style_array=quoted if text[:1] in _QUOTED else plain)
                if text:
                    c._value = text
                    c.data_type = "s"
            cells[(row, col)] = c
            if text and lines_needed < TALLEST_LINES:
                lines_needed = max(lines_needed, wrapped_lines(text, width, TALLEST_LINES))
        # Excel and WPS do not grow rows to fit wrapped text when they open a
        # file (LibreOffice neither): give each row the height its text needs.
        ws.row_dimensions[row].height = min(MAX_ROW_PT, lines_needed * LINE_PT + 4)
        row += 1
        steps.tick()
    last_row = row - 1

    # the four statuses as a drop-down on the status column
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False,
                        showDropDown=False, showErrorMessage=True, errorTitle="完成状态",
                        error="请从下拉列表中选择：" + "、".join(STATUSES) + "。",
                        promptTitle="完成状态", prompt="请选择：" + "、".join(STATUSES), showInputMessage=True)
    status_col = get_column_letter(COL["完成状态"])
    dv.add(f"{status_col}{FIRST_ROW}:{status_col}{max(last_row, FIRST_ROW) + 200}")
    ws.add_data_validation(dv)

    ws.freeze_panes = ws.cell(FIRST_ROW, 1)
    ws.auto_filter.ref = f"A{HEAD_ROW}:{last}{max(last_row, HEAD_ROW)}"
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    ws.print_area = f"A1:{last}{max(last_row, HEAD_ROW)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9

    wb.properties.title = ledger_title(data)
    wb.properties.creator = "政务公开工作台账"

    if data.pending:
        warnings.append(f"第{numbers_text([v.number for v in data.pending])}项是尚未确认的相关任务，"
                        "已列入台账并标注“待确认”，请在任务列表中确认或排除。")
    if cleaned:
        warnings.append(f"第{numbers_text(sorted(set(cleaned)))}项的文字含有 Excel 不能保存的控制字符，已删去。")
    if truncated:
        warnings.append(f"第{numbers_text(sorted(set(truncated)))}项的落实情况超过 Excel 单元格的容量"
                        f"（{CELL_LIMIT} 字），台账中只保留了前面部分，完整内容请见自查报告。")

    steps.check()
    buf = io.BytesIO()  # the whole workbook first: a failing stick never sees a half-built zip
    wb.save(buf)
    with safe_output(out) as fh:
        fh.write(buf.getvalue())
    steps.finish()
    return ReportResult(Path(out), None, warnings)


def wrapped_lines(text: str, width_chars: float, enough: int | None = None) -> int:
    """How many lines ``text`` takes in a column ``width_chars`` wide (Excel's
    unit: the width of a digit; a Chinese character takes about two: 1.85).
    With ``enough``, counting stops once that many lines are reached."""
    if enough is not None and text.count("\n") >= enough:
        return text.count("\n") + 1
    # in hundredths, so that a paragraph that exactly fills its lines is not
    # given one more by a float's rounding
    usable = max(100, round(width_chars * 100) - 70)
    total = 0
    for para in text.split("\n"):
        wide = sum(map(len, _COMMON_WIDE.findall(para)))
        others = _OTHERS.findall(para)
        if others:
            wide += sum(map(_WIDE.__getitem__, others))
        total += max(1, -(-(100 * len(para) + 85 * wide) // usable))
        if enough is not None and total >= enough:
            break
    return total


# The wide (W) and full-width (F) characters of Chinese text: CJK punctuation,
# kana, CJK ideographs with extension A, full-width forms.  Every character
# in these ranges is W or F (tests/test_reports_ledger.py checks that against
# unicodedata); a character outside them and outside ASCII is looked up.
_COMMON_RANGES = "\u3000-\u303e\u3041-\u3247\u3250-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6"
_COMMON_WIDE = re.compile(f"[{_COMMON_RANGES}]+")
_OTHERS = re.compile(f"[^\\x00-\\x7f{_COMMON_RANGES}]")


class _Wide(dict):
    """1 for a wide or full-width character, else 0; looked up once per character."""

    def __missing__(self, ch: str) -> int:
        w = self[ch] = 1 if unicodedata.east_asian_width(ch) in "WF" else 0
        return w


_WIDE = _Wide()
_QUOTED = ("=", "+", "-", "@")  # what Excel would take for the start of a formula


def _clean(text: str) -> tuple[str, bool, bool]:
    """Drop the control characters Excel cannot store; cut text too long for a cell."""
    text = text or ""
    new = ILLEGAL_CHARACTERS_RE.sub("", text)
    cleaned = new != text
    cut = len(new) > CELL_LIMIT
    if cut:
        new = new[: CELL_LIMIT - 20] + "\n……（以下内容过长，已截断）"
    return new, cleaned, cut


def _set_text(cell, text: str) -> None:
    """Store ``text`` as a string even when it starts with = + - @ (never a formula)."""
    if not text:
        cell.value = None
        return
    cell.value = text
    cell.data_type = "s"
    if text[:1] in _QUOTED:
        cell.quotePrefix = True
