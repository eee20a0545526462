"""上报包 and 方案包: a unit exports, the supervising office imports, and every
crafted file from a stick is refused with the office's store unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from core.exchange import PackageError
from core.exchange.importer import (
    ASK,
    IMPORTED,
    OLDER,
    PLAN,
    REFUSED,
    REPLACED,
    SAME,
    import_one,
    import_packages,
)
from core.exchange.package import export_package
from core.exchange.plan_package import export_plan_package, import_plan_package
from core.ledger import Ledger
from core.supervise import make_supervisor
from core.supervise.rollup import build_rollup

TODAY = date(2021, 12, 10)
PDF_BYTES = b"%PDF-1.4 budget published 2021" * 40
DOC_BYTES = "决算公开工作方案（草稿）".encode("utf-8") * 30


# ---- a unit's data folder and a supervisor's -----------------------------------------

def make_unit_folder(root: Path) -> Path:
    """虎门's clerk: task 9 done with a file, task 10 in progress with a file."""
    folder = root / "humen"
    led = Ledger.open(folder)
    try:
        me = led.set_my_unit("虎门")
        (root / "预算公开截图.pdf").write_bytes(PDF_BYTES)
        (root / "决算方案.docx").write_bytes(DOC_BYTES)
        led.record(me.id, led.task_id(9), "在政府网站公开2021年镇级预算", action_date="2021-05-01",
                   handler="李四", attach=[root / "预算公开截图.pdf"], status="已完成")
        led.record(me.id, led.task_id(10), "起草决算公开工作方案", action_date="2021-06-01",
                   attach=[root / "决算方案.docx"])
        led.set_division(me.id, led.task_id(10), dept="财政分局", person="王五")
        led.set_lookback(me.id, led.task_id(10), problem="决算尚未批复", remedy="批复后20日内公开",
                         remedy_due="2021-12-31")
    finally:
        led.close()
    return folder


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The unit's folder and two packages from it (the first with the reports)."""
    root = tmp_path_factory.mktemp("exchange")
    folder = make_unit_folder(root)
    sent = root / "stick"
    sent.mkdir()
    led = Ledger.open(folder)
    try:
        unit = led.my_unit()
        first = export_package(led, unit.id, sent, today=TODAY)
        led.record(unit.id, led.task_id(10), "决算公开方案印发", action_date="2021-07-01")
        second = export_package(led, unit.id, root / "second.tzbg", today=TODAY, reports=False)
    finally:
        led.close()
    return {"root": root, "folder": folder, "first": first.path, "second": second.path, "result": first}


@pytest.fixture
def office(tmp_path):
    led = Ledger.open(tmp_path / "office")
    make_supervisor(led, "市政府办公室")
    yield led
    led.close()


def checksums(led: Ledger) -> dict[str, str]:
    """A checksum of every table of the store, and of the evidence folder's listing."""
    conn = led.store.conn
    out = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        h = hashlib.sha256()
        # sorted in Python: some tables (the search index's) have no rowid to order by
        for line in sorted(repr(tuple(row)) for row in conn.execute(f"SELECT * FROM {table}")):
            h.update(line.encode("utf-8"))
        out[table] = h.hexdigest()
    blobs = sorted(str(p.relative_to(led.attachments_dir)) for p in led.attachments_dir.rglob("*") if p.is_file())
    out["<attachments>"] = repr(blobs)
    return out


# ---- export ------------------------------------------------------------------------

def test_the_package_is_a_zip_with_the_manifest_first(made):
    path = made["first"]
    assert path.name == "虎门镇-2021-上报包-20211210.tzbg"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        assert names[0] == "manifest.json"
        assert manifest["format"] == "taizhang-package" and manifest["format_version"] == 1
        assert manifest["kind"] == "report" and manifest["sequence"] == 1 and manifest["with_files"] is True
        assert manifest["unit"]["full_name"] == "东莞市虎门镇人民政府"
        assert manifest["plan"]["year"] == 2021 and len(manifest["plan"]["content_sha256"]) == 64
        assert manifest["installation_id"] and manifest["package_id"]
        listed = {e["name"]: e for e in manifest["entries"]}
        assert set(listed) == set(names[1:])
        for name, e in listed.items():
            data = zf.read(name)
            assert len(data) == e["size"] and hashlib.sha256(data).hexdigest() == e["sha256"]
        assert f"files/{hashlib.sha256(PDF_BYTES).hexdigest()}" in listed
        assert f"files/{hashlib.sha256(DOC_BYTES).hexdigest()}" in listed
        assert {n for n in names if n.startswith("reports/")} == {
            "reports/虎门镇2021年政务公开年度自查报告.pdf", "reports/虎门镇2021年政务公开回头看核查清单.pdf",
            "reports/虎门镇2021年政务公开工作台账.xlsx"}
        records = json.loads(zf.read("data/records.json"))
    states = {s["status"] for s in records["task_states"]}
    assert states == {"已完成", "推进中"}
    assert sorted(a["content"] for a in records["actions"]) == ["在政府网站公开2021年镇级预算", "起草决算公开工作方案"]
    s10 = next(s for s in records["task_states"] if s["status"] == "推进中")
    assert (s10["dept"], s10["person"], s10["problem"], s10["remedy"], s10["remedy_due"]) == \
        ("财政分局", "王五", "决算尚未批复", "批复后20日内公开", "2021-12-31")


def test_without_files_the_package_has_no_evidence_files(made, tmp_path):
    led = Ledger.open(made["folder"])
    try:
        res = export_package(led, led.my_unit().id, tmp_path / "x.tzbg", with_files=False, today=TODAY,
                             reports=False)
    finally:
        led.close()
    with zipfile.ZipFile(res.path) as zf:
        assert not [n for n in zf.namelist() if n.startswith("files/")]
        assert json.loads(zf.read("manifest.json"))["with_files"] is False


# ---- import and the roll-up ------------------------------------------------------------

def test_the_office_imports_and_the_rollup_shows_the_units_facts(made, office):
    outcome = import_one(office, made["first"])
    assert outcome.status == IMPORTED and "虎门镇" in outcome.message
    r = build_rollup(office, today=TODAY)
    humen = r.unit("虎门镇")
    assert humen.reported and humen.sequence == 1
    assert humen.tasks == 43  # the embedded plan gives 虎门镇 43 tasks to carry out
    assert (humen.done, humen.overdue, humen.evidence, humen.not_started) == (1, 0, 2, 41)
    nine, ten = (office.task_id(n) for n in (9, 10))
    assert (r.cells[(humen.unit_id, nine)].status, r.cells[(humen.unit_id, nine)].light) == ("已完成", "grey")
    assert (r.cells[(humen.unit_id, ten)].status, r.cells[(humen.unit_id, ten)].light) == ("推进中", "green")
    assert r.cells[(humen.unit_id, ten)].files == 1 and r.cells[(humen.unit_id, ten)].actions == 1
    assert "莞城街道" in [u.name for u in r.never_reported]
    assert "市政府办公室" not in [u.name for u in r.units]  # the office itself is not rolled up
    # the unit's records read back through the ordinary ledger, files included
    view = office.task(humen.unit_id, ten)
    assert (view.dept, view.person, view.remedy) == ("财政分局", "王五", "批复后20日内公开")
    files = office.attachments(humen.unit_id, nine)
    assert [f["name"] for f in files] == ["预算公开截图.pdf"]
    assert office.attachment_path(files[0]).read_bytes() == PDF_BYTES


def test_reimport_is_a_no_op_and_a_newer_package_replaces(made, office):
    assert import_one(office, made["first"]).status == IMPORTED
    before = checksums(office)
    again = import_one(office, made["first"])
    assert again.status == SAME and "已经导入过" in again.message
    assert checksums(office) == before
    newer = import_one(office, made["second"])
    assert newer.status == REPLACED
    humen = office.find_unit("虎门")
    assert [a["content"] for a in office.actions(humen.id, office.task_id(10))] == [
        "起草决算公开工作方案", "决算公开方案印发"]
    assert build_rollup(office, today=TODAY).unit("虎门镇").sequence == 2
    before = checksums(office)
    older = import_one(office, made["first"])
    assert older.status == SAME  # that very package was imported before
    assert checksums(office) == before


def test_an_older_package_is_skipped(made, office):
    assert import_one(office, made["second"]).status == IMPORTED
    before = checksums(office)
    older = import_one(office, made["first"])
    assert older.status == OLDER and "旧" in older.message and "跳过" in older.message
    assert checksums(office) == before


def test_a_folder_or_stick_is_searched(made, office):
    summary = import_packages(office, [made["root"]])  # second.tzbg at the top, the first one in stick/
    assert [(o.path.name, o.status) for o in summary.outcomes] == [
        ("second.tzbg", IMPORTED), ("虎门镇-2021-上报包-20211210.tzbg", OLDER)]
    assert summary.changed


def test_a_clerks_folder_cannot_import_report_packages(made, tmp_path):
    led = Ledger.open(tmp_path / "clerk")
    try:
        before = checksums(led)
        with pytest.raises(PackageError, match="supervise"):
            import_one(led, made["first"])
        assert checksums(led) == before
    finally:
        led.close()


# ---- crafted files -----------------------------------------------------------------

def repack(src: Path, dst: Path, manifest=None, entries=None, drop=(), add=(), rehash=True, first=None,
           link: str | None = None) -> Path:
    """A copy of ``src`` with its manifest or entries changed.
    ``manifest(m)`` edits the manifest dict; ``entries(name, data)`` returns new bytes;
    ``rehash`` puts the new sizes and hashes into the manifest (a consistent forgery)."""
    with zipfile.ZipFile(src) as zf:
        items = [(n, zf.read(n)) for n in zf.namelist()]
    m = json.loads(dict(items)["manifest.json"])
    body = [(n, entries(n, d) if entries else d) for n, d in items if n != "manifest.json" and n not in drop]
    body += list(add)
    if rehash:
        m["entries"] = [{"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in body]
    if manifest:
        manifest(m)
    order = [("manifest.json", json.dumps(m).encode())] + body
    if first:
        order.sort(key=lambda item: item[0] != first)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for n, d in order:
            info = zipfile.ZipInfo(n)
            info.compress_type = zipfile.ZIP_DEFLATED
            if n == link:
                info.create_system = 3
                info.external_attr = 0o120777 << 16
            out.writestr(info, d)
    return dst


def _records(edit):
    def change(name, data):
        if name != "data/records.json":
            return data
        rec = json.loads(data)
        edit(rec)
        return json.dumps(rec).encode()
    return change


def _bomb(tmp):
    return [("files/" + hashlib.sha256(b"\0" * (30 * 1024 * 1024)).hexdigest(), b"\0" * (30 * 1024 * 1024))]


CRAFTED = {
    "no_manifest": (dict(drop=("manifest.json",), first="data/records.json",
                         manifest=lambda m: m.clear()), "没有说明文件"),
    "manifest_not_first": (dict(first="data/records.json"), "没有说明文件"),
    "unknown_manifest": (dict(manifest=lambda m: m.update(format="something-else")), "无法识别"),
    "newer_format": (dict(manifest=lambda m: m.update(format_version=99)), "较新版本"),
    "absolute_name": (dict(add=[("/etc/passwd", b"x")]), "不安全的文件名"),
    "drive_name": (dict(add=[("C:/Windows/x.dll", b"x")]), "不安全的文件名"),
    "dotdot_name": (dict(add=[("files/../../evil.txt", b"x")]), "不安全的文件名"),
    "link": (dict(add=[("reports/link.pdf", b"/etc/passwd")], link="reports/link.pdf"), "链接"),
    "size_mismatch": (dict(manifest=lambda m: m["entries"][0].update(size=m["entries"][0]["size"] + 1)),
                      "大小与清单不符"),
    "hash_mismatch": (dict(entries=lambda n, d: d.replace(b"\xe5", b"\xe6") if n == "data/records.json" else d,
                           rehash=False), "校验值与清单不符"),
    "unlisted_entry": (dict(add=[("reports/extra.txt", b"x")], rehash=False), "与其文件清单不符"),
    "file_under_wrong_hash": (dict(add=[("files/" + "0" * 64, b"not zero hash")]), "校验值与其名称不符"),
    "unknown_plan": (dict(manifest=lambda m: m["plan"].update(id="00000000-0000-0000-0000-000000000000")),
                     "请先导入该方案的方案包"),
    "records_of_another_unit": (dict(entries=_records(lambda r: r["task_states"][0].update(
        unit_id="9c7c5ab4-0000-0000-0000-000000000000"))), "记录数据有误"),
    "task_not_in_plan": (dict(entries=_records(lambda r: r["actions"][0].update(
        task_id="9c7c5ab4-0000-0000-0000-000000000000"))), "记录数据有误"),
    "bad_status": (dict(entries=_records(lambda r: r["task_states"][0].update(status="已办结"))), "记录数据有误"),
    "missing_evidence": (dict(entries=None, drop=()), None),  # filled below
}


def _drop_files(src, dst):
    with zipfile.ZipFile(src) as zf:
        names = [n for n in zf.namelist() if n.startswith("files/")]
    return repack(src, dst, drop=tuple(names[:1]))


@pytest.mark.parametrize("case", [c for c in CRAFTED if c != "missing_evidence"])
def test_crafted_packages_are_refused_and_nothing_changes(made, office, tmp_path, case):
    kwargs, words = CRAFTED[case]
    bad = repack(made["second"], tmp_path / f"{case}.tzbg", **kwargs)
    before = checksums(office)
    with pytest.raises(PackageError, match=words):
        import_one(office, bad)
    assert checksums(office) == before
    assert not list((office.attachments_dir / "tmp").glob("*.part"))


def test_a_package_missing_an_evidence_file_is_refused(made, office, tmp_path):
    bad = _drop_files(made["second"], tmp_path / "lost.tzbg")
    before = checksums(office)
    with pytest.raises(PackageError, match="缺少 1 个佐证材料"):
        import_one(office, bad)
    assert checksums(office) == before


def test_a_truncated_package_is_refused(made, office, tmp_path):
    data = made["second"].read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        bad = tmp_path / f"cut{cut}.tzbg"
        bad.write_bytes(data[:cut])
        before = checksums(office)
        with pytest.raises(PackageError, match="不完整或已损坏"):
            import_one(office, bad)
        assert checksums(office) == before


def test_a_zip_bomb_is_refused(made, office, tmp_path, monkeypatch):
    bad = repack(made["second"], tmp_path / "bomb.tzbg", add=_bomb(tmp_path))
    before = checksums(office)
    with pytest.raises(PackageError, match="压缩炸弹"):
        import_one(office, bad)
    from core.exchange import reader

    monkeypatch.setattr(reader, "MAX_TOTAL", 10_000)
    with pytest.raises(PackageError, match="解压后过大"):
        import_one(office, made["first"])  # about 400 KB with its reports
    assert checksums(office) == before


def test_a_second_installation_for_the_same_unit_asks(made, office, tmp_path):
    import uuid

    assert import_one(office, made["second"]).status == IMPORTED
    other = repack(made["first"], tmp_path / "other-pc.tzbg",
                   manifest=lambda m: m.update(installation_id=str(uuid.uuid4()), package_id=str(uuid.uuid4())))
    before = checksums(office)
    asked = import_one(office, other)
    assert asked.status == ASK and "另一台电脑" in asked.message
    assert checksums(office) == before
    from core.cli import main

    assert main(["--data-dir", str(office.folder.root), "package", "import", str(other)]) == 1
    assert checksums(office) == before
    assert main(["--data-dir", str(office.folder.root), "package", "import", "--replace", str(other)]) == 0
    humen = office.find_unit("虎门")
    assert len(office.actions(humen.id, office.task_id(10))) == 1  # the other PC's package has one record on 10


def test_refusals_are_said_per_file_and_the_rest_imports(made, office, tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    shutil.copy(made["second"], folder / "good.tzbg")
    (folder / "junk.tzbg").write_bytes(b"not a zip at all")
    summary = import_packages(office, [folder])
    by_name = {o.path.name: o for o in summary.outcomes}
    assert by_name["good.tzbg"].status == IMPORTED
    assert by_name["junk.tzbg"].status == REFUSED and "不完整或已损坏" in by_name["junk.tzbg"].message


# ---- the plan package ----------------------------------------------------------------

def _plan_ids(led: Ledger) -> dict:
    plan = led.current_plan()
    return {
        "plan": plan["id"],
        "categories": [(c["id"], c["name"]) for c in led.store.list_categories(plan["id"])],
        "tasks": [(t["id"], t["number"], t["text"], t["deadline"]) for t in led.store.list_tasks(plan["id"])],
        "assignments": sorted((a["task_id"], a["unit_id"], a["role"]) for a in led.store.all_assignments(plan["id"])),
        "units": sorted((u.id, u.full_name) for u in led.units()),
    }


def test_the_plan_package_round_trip_gives_identical_ids(office, tmp_path):
    path = export_plan_package(office, tmp_path)
    assert path.suffix == ".tzfa"
    fresh = Ledger.open(tmp_path / "new-unit", seed=False)
    try:
        assert fresh.plans() == []
        res = import_plan_package(fresh, path)
        assert not res["unchanged"] and res["tasks"] == 50
        assert _plan_ids(fresh) == _plan_ids(office)
        humen = fresh.find_unit("虎门")
        assert len(fresh.tasks(humen.id)) == 43
        before = checksums(fresh)
        assert import_one(fresh, path).status == PLAN  # again: said so, nothing changed
        assert checksums(fresh) == before
    finally:
        fresh.close()


def test_a_tampered_plan_package_is_refused(office, tmp_path):
    path = export_plan_package(office, tmp_path / "p.tzfa")
    bad = repack(path, tmp_path / "bad.tzfa",
                 entries=lambda n, d: d.replace("政务公开".encode(), "政务公示".encode(), 1))
    fresh = Ledger.open(tmp_path / "new-unit", seed=False)
    try:
        before = checksums(fresh)
        with pytest.raises(PackageError, match="内容与其说明不符"):
            import_plan_package(fresh, bad)
        assert checksums(fresh) == before
    finally:
        fresh.close()


def test_the_cli_exports_and_imports(made, tmp_path, capsys):
    from core.cli import main

    out = tmp_path / "pk"
    out.mkdir()
    humen = shutil.copytree(made["folder"], tmp_path / "humen")
    assert main(["--data-dir", str(humen), "--today", "2021-12-10", "package", "export", "--unit", "虎门",
                 "--out", str(out), "--no-files"]) == 0
    assert "不含佐证材料文件" in capsys.readouterr().out
    office = tmp_path / "office"
    assert main(["--data-dir", str(office), "package", "import", str(out)]) == 1
    assert "supervise" in capsys.readouterr().err
    assert main(["--data-dir", str(office), "supervise", "--unit", "市政府办公室"]) == 0
    assert main(["--data-dir", str(office), "package", "import", str(out)]) == 0
    assert "已导入虎门镇的上报包" in capsys.readouterr().out
    assert main(["--data-dir", str(office), "--today", "2021-12-10", "rollup", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    humen_row = next(u for u in data["units"] if u["name"] == "虎门镇")
    assert humen_row["done"] == 1 and humen_row["evidence"] == 2 and humen_row["cells"]["9"]["status"] == "已完成"
    assert main(["--data-dir", str(office), "package", "export-plan", "--out", str(tmp_path / "p.tzfa")]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(office), "--today", "2021-12-10", "score", "--deduct", "虎门", "1", "迟报"]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if "虎门镇" in x and "分 =" in x)
    assert "完成率" in line and "时效" in line and "佐证" in line and "按时上报" in line and "扣分 1" in line
    assert "扣分：迟报，扣 1 分" in text


def _fail_record_package(monkeypatch):
    from db.rollup_store import RollupStore

    def fails(self, row):
        raise sqlite3.IntegrityError("simulated")
    monkeypatch.setattr(RollupStore, "record_package", fails)


def test_sqlite_is_not_left_open_in_a_transaction(office, made, tmp_path, monkeypatch):
    import_one(office, made["first"])
    assert not office.store.conn.in_transaction
    assert isinstance(office.store.conn, sqlite3.Connection)
    junk = tmp_path / "junk.tzbg"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(PackageError, match="不完整或已损坏"):  # refused while reading
        import_one(office, junk)
    assert not office.store.conn.in_transaction
    _fail_record_package(monkeypatch)
    with pytest.raises(PackageError, match="记录与本机数据不符"):  # refused inside the transaction
        import_one(office, made["second"])
    assert not office.store.conn.in_transaction


def test_a_failed_import_removes_only_the_evidence_files_it_added(made, office, tmp_path, monkeypatch):
    import uuid

    before = checksums(office)
    with monkeypatch.context() as mp:
        _fail_record_package(mp)
        with pytest.raises(PackageError, match="记录与本机数据不符"):
            import_one(office, made["second"])
    assert checksums(office) == before  # neither its records nor its two evidence files
    assert not list((office.attachments_dir / "tmp").glob("*.part"))

    assert import_one(office, made["second"]).status == IMPORTED
    pdf, doc = (office.attachments_dir / h[:2] / h for h in
                (hashlib.sha256(b).hexdigest() for b in (PDF_BYTES, DOC_BYTES)))
    pdf.unlink()  # lost from disk, though a committed row still uses it
    later = repack(made["first"], tmp_path / "later.tzbg",
                   manifest=lambda m: m.update(package_id=str(uuid.uuid4()), created_at="2099-01-01T00:00:00Z"))
    before = checksums(office)
    with monkeypatch.context() as mp:
        _fail_record_package(mp)
        with pytest.raises(PackageError, match="记录与本机数据不符"):
            import_one(office, later)
    after = checksums(office)
    assert {k: v for k, v in after.items() if k != "<attachments>"} == \
        {k: v for k, v in before.items() if k != "<attachments>"}
    # the file it brought back is kept (a committed row uses it); the one already there is untouched
    assert pdf.read_bytes() == PDF_BYTES and doc.read_bytes() == DOC_BYTES


def test_collecting_unused_files_during_an_import_removes_none_of_its_files(made, office, monkeypatch):
    """清理未用文件 in a second window (its own connection) just after the import
    has put the package's evidence files in place: it waits for the import's
    commit, after which the files are in use."""
    import threading

    from core import attachments

    other = Ledger.open(office.folder.root)
    real, swept, threads = attachments.place, [], []

    def place_then_collect(*args):
        result = real(*args)
        if not threads:  # once the first file is in place
            t = threading.Thread(target=lambda: swept.append(other.collect_unused_files()))
            t.start()
            threads.append(t)
            t.join(0.5)  # placed outside the write lock, the file would be removed right now
        return result
    monkeypatch.setattr(attachments, "place", place_then_collect)
    try:
        assert import_one(office, made["second"]).status == IMPORTED
        for t in threads:
            t.join(30)
    finally:
        other.close()
    assert len(threads) == 1 and len(swept) == 1 and tuple(swept[0]) == (0, 0)
    rows = office.store.all_attachment_rows()
    assert len(rows) == 2
    for row in rows:
        assert hashlib.sha256(office.attachment_path(row).read_bytes()).hexdigest() == row["sha256"]


def _lie_about_size(path: Path, name: str, size: int) -> None:
    """Patch the zip's local and central headers to say ``name`` is ``size`` bytes."""
    import struct

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
        start = zf.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, size)
    pos = start
    while data[pos:pos + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + n].decode("utf-8") == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 46 + n + m + k
    path.write_bytes(bytes(data))


def test_a_header_that_lies_about_a_size_is_caught(made, office, tmp_path):
    """A bomb whose headers declare a small size: reading stops at the declared
    size (memory stays bounded) and the check fails."""
    big = b"\0" * (8 * 1024 * 1024)
    name = "files/" + hashlib.sha256(big[:1000]).hexdigest()
    bad = repack(made["second"], tmp_path / "liar.tzbg", add=[(name, big)],
                 manifest=lambda m: next(e for e in m["entries"] if e["name"] == name).update(
                     size=1000, sha256=hashlib.sha256(big[:1000]).hexdigest()))
    _lie_about_size(bad, name, 1000)
    before = checksums(office)
    with pytest.raises(PackageError, match="已损坏或不完整"):
        import_one(office, bad)
    assert checksums(office) == before


def test_a_restored_backup_counting_again_from_a_lower_number_still_replaces(made, office, tmp_path):
    import uuid

    assert import_one(office, made["second"]).status == IMPORTED  # sequence 2
    later = repack(made["first"], tmp_path / "after-restore.tzbg",
                   manifest=lambda m: m.update(package_id=str(uuid.uuid4()), created_at="2099-01-01T00:00:00Z"))
    assert import_one(office, later).status == REPLACED
    humen = office.find_unit("虎门")  # the first package's records (one on task 10), not the second's two
    assert [a["content"] for a in office.actions(humen.id, office.task_id(10))] == ["起草决算公开工作方案"]
    assert build_rollup(office, today=TODAY).unit("虎门镇").sequence == 1


def test_imported_evidence_files_are_flushed_into_their_folders(made, office, monkeypatch):
    """As a clerk's own attachment is: the folder entry of each moved file is
    synced before the rows that name it commit (a power cut keeps both)."""
    from core import attachments

    synced: list[Path] = []
    real = attachments.fsync_dir

    def sync(folder):  # noted only while the import's transaction is open, before its rows commit
        if office.store.conn.in_transaction:
            synced.append(Path(folder))
        real(folder)
    monkeypatch.setattr(attachments, "fsync_dir", sync)
    assert import_one(office, made["second"]).status == IMPORTED
    for b in (PDF_BYTES, DOC_BYTES):
        sha = hashlib.sha256(b).hexdigest()
        assert office.attachments_dir / sha[:2] in synced
