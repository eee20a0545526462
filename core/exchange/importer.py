"""Importing packages at the supervising office: files, a folder, a whole stick.

Each package is all or nothing: it is read and checked in full
(core/exchange/reader.py, then the records themselves) before one
transaction replaces the unit's records in this store. What happened to each
file is one ``Outcome`` with one Chinese sentence:

    imported   a unit's first package
    replaced   a newer package of a unit replaced the older one
    same       the very package again: nothing changed
    older      older than the one already imported (a sequence number not higher
               and a time not later, from the same installation): skipped
    ask        from a second installation for the same unit: asks before
               replacing (``replace=True`` answers yes; the CLI needs --replace)
    plan       a plan package: the plan imported (or already here)
    refused    anything else wrong: nothing changed
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core import attachments as files
from core.errors import InputError, TaizhangError
from core.exchange import PLAN_EXT, RECORDS, REPORT_EXT, REPORT_KIND, PackageError
from core.exchange.reader import open_package
from core.supervise import require_supervisor, supervisor_unit
from core.vocabulary import DECISIONS, STATUSES, format_cn_date
from db.rollup_store import (
    ACTION_COLUMNS,
    ATTACHMENT_COLUMNS,
    REPORT_COLUMNS,
    STATE_COLUMNS,
    RollupStore,
)

IMPORTED, REPLACED, SAME, OLDER, ASK, PLAN, REFUSED = "imported", "replaced", "same", "older", "ask", "plan", "refused"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Outcome:
    path: Path
    status: str
    message: str
    unit: str = ""
    changed: bool = False


@dataclass
class ImportSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(o.changed for o in self.outcomes)

    def count(self, *statuses: str) -> int:
        return sum(o.status in statuses for o in self.outcomes)


def package_files(paths: list[Path | str]) -> list[Path]:
    """The package files among ``paths``: files as given, folders searched
    (a whole stick too), plan packages first."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, _dirs, names in os.walk(p):
                found += [Path(root) / n for n in sorted(names)
                          if n.lower().endswith((REPORT_EXT, PLAN_EXT)) and not n.startswith(".~")]
        else:
            found.append(p)
    seen, out = set(), []
    for p in found:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return sorted(out, key=lambda p: (p.suffix.lower() != PLAN_EXT,))


def import_packages(ledger, paths: list[Path | str], replace: bool = False, progress=None,
                    cancelled=None) -> ImportSummary:
    summary = ImportSummary()
    todo = package_files(paths)
    if not todo:
        raise InputError("所选位置没有找到上报包（.tzbg）或方案包（.tzfa）。")
    for i, path in enumerate(todo):
        if cancelled is not None and cancelled():
            break
        try:
            summary.outcomes.append(import_one(ledger, path, replace=replace))
        except TaizhangError as exc:
            summary.outcomes.append(Outcome(path, REFUSED, str(exc)))
        if progress is not None:
            progress(i + 1, len(todo))
    return summary


def import_one(ledger, path: Path | str, replace: bool = False) -> Outcome:
    path = Path(path)
    if path.suffix.lower() == PLAN_EXT:
        from core.exchange.plan_package import import_plan_package

        res = import_plan_package(ledger, path)
        if res["unchanged"]:
            return Outcome(path, PLAN, f"方案《{res['title']}》本机已有且内容相同，未作改动。")
        return Outcome(path, PLAN, f"已导入方案《{res['title']}》（{res['tasks']} 项任务）。", changed=True)
    require_supervisor(ledger)
    rs = RollupStore(ledger.store)
    spool_dir = ledger.attachments_dir / "tmp"
    with open_package(path, spool_dir=spool_dir,
                      spool=lambda sha: not files.blob_path(ledger.attachments_dir, sha).exists()) as pkg:
        if pkg.kind != REPORT_KIND:
            raise PackageError(f"“{path.name}”不是上报包。")
        m = _manifest(pkg.manifest, path.name)
        label = f"“{path.name}”"
        plan = ledger.store.get_plan(m["plan"]["id"])
        if plan is None:
            raise PackageError(f"{label}是按方案《{m['plan'].get('title', '')}》填报的，本机没有这个方案。"
                               "请先导入该方案的方案包（.tzfa），再导入上报包。")
        unit = ledger.directory().get(m["unit"]["id"])
        if unit is None:
            raise PackageError(f"{label}的单位“{m['unit'].get('full_name', '')}”不在本机的单位名录中，未导入。"
                               "请先在单位名录中添加该单位（或导入方案包）。")
        own = supervisor_unit(ledger)
        if own is not None and own.id == unit.id:
            raise PackageError(f"{label}是本单位（{own.short_name}）自己的上报包，汇总时不导入，以免覆盖本机记录。")
        name = unit.short_name
        if rs.received(m["package_id"]) is not None:
            return Outcome(path, SAME, f"{name}的这个上报包已经导入过了，未作改动。", name)
        current = rs.current_package(plan["id"], unit.id)
        status = IMPORTED
        if current is not None:
            status = REPLACED
            if current["installation_id"] == m["installation_id"]:
                # older: neither a higher sequence number nor a later time (a clerk who restored a
                # backup counts from an older number again, but later; a PC clock set back still counts up)
                if m["sequence"] <= current["sequence"] and m["created_at"] <= current["created_at"]:
                    return Outcome(path, OLDER, f"{label}比已导入的{name}上报包（第{current['sequence']}号，"
                                   f"{format_cn_date(current['created_at'][:10])}）旧，已跳过。", name)
            elif not replace:
                return Outcome(path, ASK, f"{label}来自另一台电脑上的台账（{name}已有来自其他电脑的上报包，"
                               f"{format_cn_date(current['created_at'][:10])}生成）。确认以此包为准后再导入"
                               "（命令行加 --replace）。", name)
        records = _records(pkg.read_json(RECORDS), m, rs, plan["id"], unit.id, label)
        if m["with_files"]:
            missing = {a["sha256"] for a in records["attachments"]} - {n[6:] for n in pkg.entries
                                                                         if n.startswith("files/")}
            if missing:
                raise PackageError(f"{label}缺少 {len(missing)} 个佐证材料文件，可能不完整，未导入。")
        taken = []
        for table in ("task_states", "actions", "attachments", "unit_reports"):
            taken += rs.ids_taken_elsewhere(table, [r["id"] for r in records[table]], plan["id"], unit.id)
        if taken:
            raise PackageError(f"{label}中的记录编号与本机其他单位的记录重复，可能被改动过，未导入。")
        # the evidence files go into place in the write transaction of the rows that use them, as a
        # clerk's do, each named as its record names it (what a failed copy's message says)
        names = {a["sha256"]: a["name"] for a in records["attachments"]}
        parts = []
        for entry, tmp in pkg.spooled.items():
            sha = pkg.entries[entry]["sha256"]
            parts.append(files.Part.finished(tmp, sha, pkg.entries[entry]["size"], names.get(sha, entry)))
        try:
            with ledger.placing(parts):
                rs.replace_unit_records(plan["id"], unit.id, records)
                rs.record_package({"id": m["package_id"], "plan_id": plan["id"], "unit_id": unit.id,
                                   "installation_id": m["installation_id"], "sequence": m["sequence"],
                                   "created_at": m["created_at"], "file_name": path.name,
                                   "file_sha256": pkg.sha256, "with_files": int(m["with_files"]),
                                   "manifest": json.dumps(pkg.manifest, ensure_ascii=False)})
        except sqlite3.Error as exc:
            raise PackageError(f"{label}中的记录与本机数据不符（{exc}），未导入。") from exc
    counts = f"{len(records['task_states'])} 项任务状态、{len(records['actions'])} 条进展、" \
             f"{len(records['attachments'])} 个佐证材料"
    if status == REPLACED:
        return Outcome(path, REPLACED, f"已用新的上报包更新{name}（第{m['sequence']}号：{counts}）。", name, True)
    return Outcome(path, IMPORTED, f"已导入{name}的上报包（第{m['sequence']}号：{counts}）。", name, True)


def _manifest(m: dict, name: str) -> dict:
    bad = PackageError(f"“{name}”的说明文件不完整，未导入。")
    try:
        ok = (isinstance(m["package_id"], str) and _UUID.match(m["package_id"])
              and isinstance(m["sequence"], int) and m["sequence"] >= 1
              and isinstance(m["installation_id"], str) and m["installation_id"]
              and isinstance(m["created_at"], str) and isinstance(m["with_files"], bool)
              and isinstance(m["plan"], dict) and isinstance(m["plan"]["id"], str)
              and isinstance(m["unit"], dict) and isinstance(m["unit"]["id"], str))
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise bad
    return m


def _records(data, m: dict, rs: RollupStore, plan_id: str, unit_id: str, label: str) -> dict[str, list[dict]]:
    bad = PackageError(f"{label}中的记录数据有误，可能被改动过，未导入。")
    if not isinstance(data, dict) or data.get("plan_id") != plan_id or data.get("unit_id") != unit_id:
        raise bad
    tasks = rs.task_ids(plan_id)
    out: dict[str, list[dict]] = {}
    for table, columns in (("task_states", STATE_COLUMNS), ("actions", ACTION_COLUMNS),
                           ("attachments", ATTACHMENT_COLUMNS), ("unit_reports", REPORT_COLUMNS)):
        rows = data.get(table)
        if not isinstance(rows, list):
            raise bad
        for r in rows:
            if not isinstance(r, dict) or any(c not in r for c in columns):
                raise bad
            if r["plan_id"] != plan_id or r["unit_id"] != unit_id or not isinstance(r["id"], str):
                raise bad
            if "task_id" in r and r["task_id"] not in tasks:
                raise bad
            for c in columns:
                v = r[c]
                if v is not None and not isinstance(v, (str, int)) or isinstance(v, bool):
                    raise bad
        if len({r["id"] for r in rows}) != len(rows):
            raise bad
        out[table] = rows
    for s in out["task_states"]:
        if s["status"] not in STATUSES or (s["decision"] is not None and s["decision"] not in DECISIONS):
            raise bad
        for d in ("done_date", "remedy_due"):
            if s[d] is not None and not (isinstance(s[d], str) and _DATE.match(s[d])):
                raise bad
    actions = {a["id"] for a in out["actions"]}
    for a in out["actions"]:
        if not (isinstance(a["action_date"], str) and _DATE.match(a["action_date"])):
            raise bad
    for f in out["attachments"]:
        if f["action_id"] is not None and f["action_id"] not in actions:
            raise bad
        if not files.valid_sha(f["sha256"]):
            raise bad
        if not isinstance(f["size"], int) or f["size"] < 0:
            raise bad
    return out
