"""A list of units from a file (``units import``): .xlsx, .xls, .csv/.tsv or .txt.

A sheet or CSV has a header naming its columns — 单位名称 (or 名称, 全称,
单位全称, 科室名称), optionally 简称, 类别 (镇街园区 / 市直单位 / 垂直管理单位 /
科室, or their keys), 别名 (several separated by 、 or ，), 所属 (the bureau
whose offices they are) — or no header: the name first, then the kind. A .txt
file has one unit a line, its fields separated by tabs, commas or "|".
"""

from __future__ import annotations

import re
from pathlib import Path

from core.errors import InputError
from core.units import KINDS, Unit, kind_key, normalize_name

_HEADS = {
    "name": r"(单位)?(名称|全称)|单位|科室(名称)?|部门(名称)?",
    "short": r"简称",
    "kind": r"(单位)?(类别|类型)",
    "aliases": r"别名|其他名称",
    "directory": r"所属(单位|部门)?|上级(单位)?",
}


def _column_of(cell: str) -> str | None:
    cell = re.sub(r"\s+", "", cell)
    return next((k for k, p in _HEADS.items() if re.fullmatch(p, cell)), None)


def _rows(path: Path) -> list[list[str]]:
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xls", ".csv", ".tsv"):
        from core.plans.read import read_grid

        return [r for r in read_grid(path).rows if any(r)]
    if ext not in (".txt", ""):
        raise InputError(f"单位名录文件应为 .xlsx、.xls、.csv 或 .txt，“{path.name}”不是。")
    from core.plan_parser import decode_plan_bytes

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”（{exc.strerror or exc}）。") from exc
    lines = decode_plan_bytes(data).splitlines()
    return [[c.strip() for c in re.split(r"[\t,，|]", ln)] for ln in lines if ln.strip()]


def read_unit_list(path: Path | str, default_kind: str = "municipal", directory: str = "") -> list[Unit]:
    """The units a file lists (not yet checked against the directory: Ledger.add_units does that)."""
    path = Path(path)
    rows = _rows(path)
    if not rows:
        raise InputError(f"“{path.name}”中没有单位。")
    cols = [_column_of(c) for c in rows[0]]
    header = "name" in cols and not any(kind_key(c) for c in rows[0])  # "办公室, 科室" is a unit, not a header
    if header:
        rows = rows[1:]
    else:
        cols = ["name", "kind", "aliases"][:len(rows[0])] + [None] * max(0, len(rows[0]) - 3)
    units: list[Unit] = []
    for i, row in enumerate(rows, 2 if header else 1):
        cell = {k: row[c].strip() for c, k in enumerate(cols) if k and c < len(row)}
        name = normalize_name(cell.get("name", ""))
        if not name:
            continue
        kind = kind_key(cell.get("kind") or default_kind)
        if kind is None:
            raise InputError(f"第{i}行“{name}”的类别“{cell['kind']}”无效，应为：{'、'.join(KINDS.values())}。")
        owner = normalize_name(cell.get("directory", "")) or (directory if kind == "office" else "")
        aliases = tuple(a for a in (normalize_name(x) for x in re.split(r"[、，,;；/]", cell.get("aliases", ""))) if a)
        units.append(Unit(id="", full_name=name, short_name=normalize_name(cell.get("short", "")) or name,
                          kind=kind, aliases=aliases, has_admin=None if kind == "office" else True,
                          directory=owner))
    return units
