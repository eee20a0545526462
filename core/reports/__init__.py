"""The documents a unit's clerk hands upward.

    self      年度自查报告    PDF after GB/T 9704-2012 (core/reports/self_report.py)
    lookback  回头看核查清单  PDF, landscape table (core/reports/lookback.py)
    ledger    工作台账        Excel workbook (core/reports/ledger_xlsx.py)

Which tasks appear (core/reports/data.py):
    - lead, cooperate and implement tasks, and related tasks the unit has
      confirmed, appear in all three;
    - related tasks the unit has dismissed appear in none;
    - related tasks still undecided (待确认) appear only in the Excel ledger,
      marked "待确认" in the role column and explained in 备注, because the
      ledger is the unit's working list; the two PDFs go upward and state
      only what the unit has accepted.  Each report then carries a warning
      naming those tasks so the clerk can decide them.

Every report is written through ``core.safe_write`` (temporary file in the
target folder, fsync, rename).  This module is cheap to import: reportlab
and openpyxl are imported only when a report is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.vocabulary import REPORT_KINDS  # noqa: F401  (kind: (title, suffix); re-exported for callers)

# What the file names say (the kinds' labels are for menus).
_FILE_LABELS = {
    "self": "政务公开年度自查报告",
    "lookback": "政务公开回头看核查清单",
    "ledger": "政务公开工作台账",
}

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


# What the clerk has not written yet, by where it is written (Gap.kind):
GAP_PLACES = {
    "summary": "总体情况",          # the unit's report texts (Ledger.set_report_texts(summary=…))
    "problems": "存在问题",         # the unit's report texts (problems=…)
    "next_steps": "下一步工作计划",  # the unit's report texts (next_steps=…)
    "reason": "未完成原因",          # per task: Ledger.set_lookback(problem=…)
    "remedy": "整改措施",            # per task (回头看 only): Ledger.set_lookback(remedy=…)
}


@dataclass(frozen=True)
class Gap:
    """Something the report leaves out because the clerk has not written it.
    The page shows nothing in its place; the window lists the gaps before
    saving, each jumping to where it is filled in (``kind``; for "reason" the
    task ``numbers`` of the plan). ``message`` says it in one Chinese line."""
    kind: str  # a key of GAP_PLACES
    message: str
    numbers: tuple[int, ...] = ()


@dataclass
class ReportResult:
    path: Path
    pages: int | None
    warnings: list[str] = field(default_factory=list)  # everything worth saying, gaps included, as lines
    gaps: list[Gap] = field(default_factory=list)


_UNSAFE = str.maketrans({c: "_" for c in '<>:"/\\|?*'} | {chr(i): None for i in range(32)})


def output_path(out: Path | str, title: str, suffix: str) -> Path:
    """``out`` as a Path, refused (InputError) unless it ends in ``suffix``."""
    from core.errors import InputError

    out = Path(out)
    if out.suffix.lower() != suffix:
        raise InputError(f"{title}应保存为 {suffix} 文件，“{out.name}”的扩展名不对。")
    return out


def default_filename(kind: str, unit_short_name: str, year: int) -> str:
    """E.g. "市财政局2021年政务公开年度自查报告.pdf" (characters Windows forbids become _)."""
    if kind not in REPORT_KINDS:
        raise _unknown_kind(kind)
    name = f"{unit_short_name}{year}年{_FILE_LABELS[kind]}".translate(_UNSAFE).strip(" .")
    return name + REPORT_KINDS[kind][1]


def _unknown_kind(kind: str):
    from core.errors import InputError

    return InputError(f"报表类型“{kind}”无效，应为：{'、'.join(REPORT_KINDS)}。")


def build_report(kind: str, ledger, unit_id: str, out: Path, plan_id: str | None = None,
                 today: date | None = None, progress: Progress | None = None,
                 cancelled: IsCancelled | None = None) -> ReportResult:
    """Write one report for ``unit_id`` to ``out``.

    Raises ``InputError`` for a bad kind, unit, plan or file name,
    ``SaveError`` when the file cannot be written and ``Cancelled`` when
    ``cancelled()`` turns true; in all three cases nothing is left at ``out``
    (an older file there stays as it was).  ``progress(done, total)`` is
    called from the calling thread as the work advances.
    """
    if kind not in REPORT_KINDS:
        raise _unknown_kind(kind)
    title, ext = REPORT_KINDS[kind]
    out = output_path(out, title, ext)
    if kind == "self":
        from core.reports.self_report import build_self_report as build
    elif kind == "lookback":
        from core.reports.lookback import build_lookback as build
    else:
        from core.reports.ledger_xlsx import build_ledger as build
    return build(ledger, unit_id, out, plan_id=plan_id, today=today or date.today(),
                 progress=progress, cancelled=cancelled)
