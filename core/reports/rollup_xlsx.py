"""The supervising office's 汇总表 (xlsx, openpyxl).

    汇总     the matrix: one row per unit, one column per task; each cell the
             unit's status on a fill of its light (red / yellow / green / grey),
             blank where the task is not the unit's; then the unit's counts
    考评     the scores with their parts and the ranking
    未上报   the units that never sent a package
    <单位>   one sheet per unit: its tasks, status, light, records, evidence

Every user string is stored as text (never a formula), as in the 工作台账.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.reports import ReportResult, output_path
from core.reports.ledger_xlsx import _clean, _set_text
from core.safe_write import safe_output
from core.vocabulary import (
    GREEN,
    GREY,
    LIGHT_LABELS,
    RED,
    ROLE_WORDS,
    YELLOW,
    deadline_text,
)

FONT = "宋体"
FILLS = {RED: "F4B6B6", YELLOW: "FBE5A6", GREEN: "CDE8C4", GREY: "DDDDDD"}
STATUS_SHORT = {"未启动": "未启", "推进中": "推进", "已完成": "完成", "持续推进": "持续"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _text(cell, value: str) -> None:
    _set_text(cell, _clean(value)[0])


def _row(sheet, r: int, values: list, **style) -> None:
    """One row of values from column 1: user strings forced to text, the rest as they are."""
    for c, v in enumerate(values, 1):
        cell = sheet.cell(r, c)
        if isinstance(v, str):
            _text(cell, v)
        else:
            cell.value = v
        for name, value in style.items():
            setattr(cell, name, value)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:28] or "单位"
    out, i = base, 2
    while out in taken or out in ("汇总", "考评", "未上报"):
        out, i = f"{base[:26]}{i}", i + 1
    taken.add(out)
    return out


def build_rollup_xlsx(ledger, rollup, out: Path, scores=None) -> ReportResult:
    from datetime import date as _date

    out = output_path(out, "汇总表", ".xlsx")
    if scores is None:
        from core.supervise.scoring import score_rollup

        scores = score_rollup(ledger, rollup)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name=FONT, bold=True, size=10)
    plain = Font(name=FONT, size=10)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    wb = Workbook()

    # ---- 汇总: the matrix
    ws = wb.active
    ws.title = "汇总"
    title = f"{rollup.plan['year']}年政务公开工作要点落实情况汇总表（截至{rollup.today.isoformat()}）"
    _text(ws.cell(1, 1), title)
    ws.cell(1, 1).font = Font(name=FONT, bold=True, size=14)
    _text(ws.cell(2, 1), "单元格：该单位的落实状态；底色为预警灯（红：已逾期；黄：30天内到期；绿：正常；灰：已完成）；空白：非该单位任务。")
    ws.cell(2, 1).font = plain
    head = ["单位", "类别"] + [str(t.number) for t in rollup.tasks] + ["任务数", "已落实", "完成率", "逾期", "佐证材料",
                                                                   "最近上报"]
    for c, h in enumerate(head, 1):
        cell = ws.cell(3, c)
        _text(cell, h)
        cell.font, cell.alignment, cell.border = bold, center, border
    for r, u in enumerate(rollup.units, 4):
        _text(ws.cell(r, 1), u.name)
        _text(ws.cell(r, 2), u.kind_label)
        for c, t in enumerate(rollup.tasks, 3):
            cell_data = rollup.cells.get((u.unit_id, t.id))
            cell = ws.cell(r, c)
            cell.border, cell.alignment, cell.font = border, center, plain
            if cell_data is None:
                continue
            _text(cell, STATUS_SHORT.get(cell_data.status, cell_data.status))
            cell.fill = PatternFill("solid", fgColor=FILLS[cell_data.light])
        base = 3 + len(rollup.tasks)
        values = [u.tasks, u.done, round(u.completion, 4), u.overdue, u.evidence]
        for k, v in enumerate(values):
            cell = ws.cell(r, base + k, v)
            cell.border, cell.font = border, plain
        ws.cell(r, base + 2).number_format = "0%"
        _text(ws.cell(r, base + 5), u.last_package[:10] if u.last_package else "未上报")
        for c in (1, 2, base + 5):
            ws.cell(r, c).border, ws.cell(r, c).font = border, plain
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 10
    for c in range(3, 3 + len(rollup.tasks)):
        ws.column_dimensions[get_column_letter(c)].width = 5
    for c in range(3 + len(rollup.tasks), len(head) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 9
    ws.freeze_panes = "C4"

    # ---- 考评
    sc = wb.create_sheet("考评")
    head = ["名次", "单位", "总分", "完成率", "时效", "佐证", "按时上报", "扣分", "说明"]
    for c, h in enumerate(head, 1):
        cell = sc.cell(1, c)
        _text(cell, h)
        cell.font, cell.alignment, cell.border = bold, center, border
    for r, s in enumerate(scores, 2):
        row = [s.rank, s.name, s.total, s.parts["completion"], s.parts["timeliness"], s.parts["evidence"],
               s.parts["package"], s.parts["deductions"]]
        _row(sc, r, row, border=border, font=plain)
        _text(sc.cell(r, 9), "；".join(s.reasons))
        sc.cell(r, 9).alignment, sc.cell(r, 9).border, sc.cell(r, 9).font = wrap, border, plain
    for c, w in zip("ABCDEFGHI", (6, 16, 8, 8, 8, 8, 9, 7, 90)):
        sc.column_dimensions[c].width = w
    sc.freeze_panes = "C2"

    # ---- 未上报
    nr = wb.create_sheet("未上报")
    _text(nr.cell(1, 1), "单位")
    _text(nr.cell(1, 2), "类别")
    _text(nr.cell(1, 3), "任务数")
    for c in (1, 2, 3):
        nr.cell(1, c).font = bold
    for r, u in enumerate(rollup.never_reported, 2):
        _text(nr.cell(r, 1), u.full_name)
        _text(nr.cell(r, 2), u.kind_label)
        nr.cell(r, 3, u.tasks)
    nr.column_dimensions["A"].width = 36
    nr.column_dimensions["B"].width = 12

    # ---- one sheet per unit
    taken: set[str] = set()
    head = ["序号", "工作任务", "具体要求", "角色", "时限", "状态", "预警", "进展记录", "佐证材料"]
    widths = (6, 18, 60, 8, 18, 10, 6, 9, 9)
    for u in rollup.units:
        us = wb.create_sheet(_sheet_name(u.name, taken))
        _text(us.cell(1, 1), f"{u.full_name}（{'最近上报 ' + u.last_package[:10] if u.last_package else '未上报'}）")
        us.cell(1, 1).font = Font(name=FONT, bold=True, size=12)
        for c, h in enumerate(head, 1):
            cell = us.cell(2, c)
            _text(cell, h)
            cell.font, cell.alignment, cell.border = bold, center, border
        for r, (t, cell_data) in enumerate(rollup.unit_items(u.unit_id), 3):
            due = _date.fromisoformat(t.deadline) if t.deadline else None
            row = [t.number, t.category, t.text, ROLE_WORDS.get(cell_data.role, ""),
                   deadline_text(due, t.deadline_kind), cell_data.status, LIGHT_LABELS[cell_data.light],
                   cell_data.actions, cell_data.files]
            _row(us, r, row, border=border, font=plain, alignment=wrap)
            us.cell(r, 7).fill = PatternFill("solid", fgColor=FILLS[cell_data.light])
        for c, w in enumerate(widths, 1):
            us.column_dimensions[get_column_letter(c)].width = w
        us.freeze_panes = "A3"

    buf = io.BytesIO()
    wb.save(buf)
    with safe_output(out) as fh:
        fh.write(buf.getvalue())
    return ReportResult(out, None, [])
