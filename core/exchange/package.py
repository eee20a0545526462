"""The report package (上报包, .tzbg): a unit's year of work, for the supervising office.

    manifest.json        (core/exchange/__init__.py) plus: package_id, sequence
                         (per unit in this installation, counted up on every
                         export), installation_id, unit {id, full_name,
                         short_name, kind}, with_files
    data/records.json    {"plan_id", "unit_id", "task_states", "actions",
                         "attachments", "unit_reports"}: rows with their stable
                         ids and times (columns: db/rollup_store.py)
    files/<sha256>       the evidence files (none with with_files=False)
    reports/…            the 年度自查报告 and 回头看核查清单 (PDF), the 工作台账 (xlsx)

Saved through core.safe_write and named "<单位>-<年度>-上报包-<YYYYMMDD>.tzbg".
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core import attachments as files
from core.errors import InputError
from core.exchange import K_SEQUENCE, RECORDS, REPORT_EXT, REPORT_KIND, installation_id
from core.exchange.plan_package import plan_sha256
from core.exchange.writer import Entry, base_manifest, json_bytes, write_package
from db.rollup_store import RollupStore

_UNSAFE = str.maketrans({c: "_" for c in '<>:"/\\|?*'} | {chr(i): None for i in range(32)})
REPORTS_IN_PACKAGE = ("self", "lookback", "ledger")


@dataclass
class PackageResult:
    path: Path
    size: int
    sequence: int
    files: int
    files_size: int
    warnings: list[str] = field(default_factory=list)


def default_package_name(unit_short_name: str, year: int, day: date | None = None) -> str:
    name = f"{unit_short_name}-{year}-上报包-{(day or date.today()).strftime('%Y%m%d')}".translate(_UNSAFE)
    return name + REPORT_EXT


def evidence_size(ledger, unit_id: str, plan_id: str | None = None) -> tuple[int, int]:
    """(number of distinct evidence files, their total bytes): shown before writing."""
    plan_id = plan_id or ledger.current_plan()["id"]
    rows = RollupStore(ledger.store).unit_records(plan_id, unit_id)["attachments"]
    sizes = {r["sha256"]: r["size"] for r in rows}
    return len(sizes), sum(sizes.values())


def export_package(ledger, unit_id: str, out: Path | str, with_files: bool = True, progress=None, cancelled=None,
                   plan_id: str | None = None, today: date | None = None, reports: bool = True) -> PackageResult:
    """Write the unit's report package to ``out`` (a file, or a folder for the default name).
    ``reports=False`` leaves the three rendered reports out (tests, benchmarks)."""
    unit = ledger.directory().get(unit_id)
    if unit is None:
        raise InputError("找不到该单位，请先选择本单位。")
    plan = ledger.plan(plan_id) if plan_id else ledger.current_plan()
    today = today or date.today()
    out = Path(out)
    if out.is_dir():
        out = out / default_package_name(unit.short_name, plan["year"], today)
    if out.suffix.lower() != REPORT_EXT:
        raise InputError(f"上报包应保存为 {REPORT_EXT} 文件，“{out.name}”的扩展名不对。")
    records = RollupStore(ledger.store).unit_records(plan["id"], unit_id)
    warnings: list[str] = []
    entries = [Entry(RECORDS, json_bytes({"plan_id": plan["id"], "unit_id": unit_id, **records}))]
    shas = {}
    if with_files:
        for a in records["attachments"]:
            shas.setdefault(a["sha256"], a["name"])
        for sha, name in sorted(shas.items()):
            path = files.blob_path(ledger.attachments_dir, sha)
            if not path.is_file():
                warnings.append(f"佐证材料“{name}”在本机数据文件夹中找不到，未放入上报包。")
                continue
            entries.append(Entry(f"files/{sha}", path=path, sha256=sha, compress=False))
    n_files = len(entries) - 1
    files_size = sum(e.size for e in entries[1:])
    tmp = None
    try:
        if reports:
            from core.reports import build_report, default_filename

            base = ledger.folder.tmp if ledger.folder is not None else None
            if base is not None:
                base.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix="package-", dir=base))
            for kind in REPORTS_IN_PACKAGE:
                name = default_filename(kind, unit.short_name, plan["year"])
                result = build_report(kind, ledger, unit_id, tmp / name, plan_id=plan["id"], today=today,
                                      cancelled=cancelled)
                warnings += [f"{name}：{w}" for w in result.warnings]
                entries.append(Entry(f"reports/{name}", (tmp / name).read_bytes()))
        sequence = int(ledger.store.get_setting(K_SEQUENCE + unit_id) or 0) + 1
        manifest = {**base_manifest(REPORT_KIND, ledger), "package_id": str(uuid.uuid4()), "sequence": sequence,
                    "installation_id": installation_id(ledger),
                    "plan": {"id": plan["id"], "title": plan["title"], "year": plan["year"],
                             "content_sha256": plan_sha256(ledger, plan["id"])},
                    "unit": {"id": unit.id, "full_name": unit.full_name, "short_name": unit.short_name,
                             "kind": unit.kind},
                    "with_files": bool(with_files)}
        size = write_package(out, manifest, entries, progress, cancelled)
        ledger.store.set_setting(K_SEQUENCE + unit_id, str(sequence))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return PackageResult(out, size, sequence, n_files, files_size, warnings)

