"""What a header cell names: the column words of plans as they are written."""

from __future__ import annotations

import re

COLUMN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(序号|编号|序)$")),
    ("category", re.compile(r"^(工作任务|重点任务|任务类别|任务分类|工作类别|类别|工作事项|重点工作|工作项目|项目|任务"
                            r"|主要任务|任务名称|工作重点)$")),
    ("text", re.compile(r"^(具体要求|工作要求|具体内容|工作内容|主要内容|任务内容|要求|具体任务|工作措施|具体措施"
                        r"|任务要求|具体工作|工作任务及要求|主要措施|具体工作措施)$")),
    ("lead", re.compile(r"^(牵头单位|牵头部门|牵头科室|主办单位|主办科室|主办部门)$")),
    ("cooperate", re.compile(r"^(配合单位|配合部门|配合科室|协办单位|协办科室|协办部门|参与单位)$")),
    ("units", re.compile(r"^(落实单位|责任单位|责任部门|承办单位|责任科室|落实科室|负责科室|责任主体|落实部门|责任分工"
                         r"|负责单位|责任处室|牵头及责任单位|责任单位及分工)$")),
    ("deadline", re.compile(r"^(完成时限|时限要求|时限|完成时间|办结时限|时间要求|时间安排|完成期限|时间节点|进度安排)$")),
    ("notes", re.compile(r"^(备注)$")),
]
RESPONSIBILITY = ("lead", "cooperate", "units")
KIND_LABELS = {"number": "序号", "category": "工作任务", "text": "具体要求", "lead": "牵头单位",
               "cooperate": "配合单位", "units": "落实单位", "deadline": "完成时限", "notes": "备注", "ignore": "（不用）"}


def column_kind(cell: str) -> str | None:
    cell = re.sub(r"\s+", "", cell).strip("*＊:：")
    for kind, pat in COLUMN_PATTERNS:
        if pat.match(cell):
            return kind
    return None


def header_kinds(cells: list[str]) -> list[str] | None:
    """The column kinds if this row is a header (two or more column words), else None."""
    kinds = [column_kind(c) for c in cells]
    if sum(k is not None for k in kinds) < 2:
        return None
    return [k or "ignore" for k in kinds]


def find_header_row(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows):
        if header_kinds(row):
            return i
    return None


def check_columns(cols: list[str], label: int | None) -> None:
    from core.errors import PlanParseError

    if "text" not in cols:
        raise PlanParseError(label, "表头缺少“具体要求”列")
    if not any(c in cols for c in RESPONSIBILITY):
        raise PlanParseError(label, "表头缺少“落实单位”（或“责任单位”“牵头单位”）列")
    seen = set()
    for c in cols:
        if c != "ignore" and c in seen:
            raise PlanParseError(label, f"表头中“{KIND_LABELS[c]}”列重复")
        seen.add(c)
