"""The SQLite store: migrations, refusal of newer files, backups, round trips."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3

import pytest

from core.datafolder import DataFolder
from core.errors import NewerDatabaseError, StoreError
from core.ledger import Ledger
from db import connection
from db.errors import MigrationFailedError, SchemaTooNewError
from db.store import Store
from tests.conftest import ROOT

DB_FILE = DataFolder.STORE

LATEST = 7  # pinned: adding a migration must bump this and keep older files upgradable


# The schema before 0004: units without offices or directories, plans without a 回收站.
# (Nor has it 0005's search index — which the latest has not either: 0007 removed it.)
_V1_UNITS = re.search(r"CREATE TABLE units \(.*?\n\);", (ROOT / "db/migrations/0001_initial.sql").read_text(), re.DOTALL)[0]
UNDO_V4 = ("PRAGMA defer_foreign_keys = ON; CREATE TEMP TABLE ka AS SELECT * FROM unit_aliases;"
           "CREATE TEMP TABLE kb AS SELECT * FROM assignments; CREATE TEMP TABLE ku AS SELECT * FROM units;"
           f"DROP TABLE units; {_V1_UNITS} INSERT INTO units SELECT id, full_name, short_name, kind, subkind,"
           " has_admin, has_website, retired, ord, created_at, updated_at FROM ku;"
           "INSERT OR IGNORE INTO unit_aliases SELECT * FROM ka; INSERT OR IGNORE INTO assignments SELECT * FROM kb;"
           "DROP TABLE plan_names; ALTER TABLE plans DROP COLUMN directory; ALTER TABLE plans DROP COLUMN deleted_at;")


def schema(conn: sqlite3.Connection) -> list[tuple]:
    return sorted((r[0], r[1], " ".join((r[2] or "").split()))
                  for r in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_latest_schema_version_is_pinned():
    assert connection.latest_version() == LATEST
    store = Store.memory()
    assert store.schema_version() == LATEST


def test_a_fresh_database_equals_one_migrated_step_by_step(tmp_path):
    files = connection.migration_files()
    fresh = connection.connect(tmp_path / "fresh.db")
    connection.migrate(fresh, None)
    for k in range(1, len(files) + 1):
        older = tmp_path / f"upto{k}"
        older.mkdir()
        for _n, path in files[:k]:
            shutil.copy(path, older / path.name)
        conn = connection.connect(tmp_path / f"step{k}.db")
        connection.migrate(conn, None, folder=older)
        assert connection.user_version(conn) == k
        connection.migrate(conn, tmp_path / "backups")
        assert connection.user_version(conn) == LATEST
        assert schema(conn) == schema(fresh)


def _next_migration(tmp_path, sql: str):
    """The real chain plus one more test migration after it."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for _n, path in connection.migration_files():
        shutil.copy(path, folder / path.name)
    (folder / f"{LATEST + 1:04d}_test.sql").write_text(sql, encoding="utf-8")
    return folder


def test_migration_backs_up_first_with_the_backup_api(tmp_path):
    conn = connection.connect(tmp_path / "t.db")
    connection.migrate(conn, None)
    conn.execute("INSERT INTO settings VALUES ('handler', '张三')")
    folder = _next_migration(tmp_path, "ALTER TABLE settings ADD COLUMN note TEXT;")
    before = connection.migrate(conn, tmp_path / "backups", folder=folder)
    assert before == LATEST and connection.user_version(conn) == LATEST + 1
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert old.execute("SELECT value FROM settings").fetchone()[0] == "张三"


def test_a_failing_migration_changes_nothing(tmp_path):
    conn = connection.connect(tmp_path / "t.db")
    connection.migrate(conn, None)
    folder = _next_migration(tmp_path, "CREATE TABLE half_done (x);\nTHIS IS NOT SQL;")
    with pytest.raises(MigrationFailedError, match="THIS"):
        connection.migrate(conn, tmp_path / "backups", folder=folder)
    assert connection.user_version(conn) == LATEST
    assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_a_version_1_database_with_records_is_upgraded_keeping_them(tmp_path):
    led = Ledger.open(tmp_path)
    led.set_handler("张三")
    fin = led.find_unit("市财政局")
    led.set_division(fin.id, led.task_id(9), dept="预算科")
    led.set_status(fin.id, led.task_id(9), "推进中")
    led.store.conn.executescript(  # back to version 1, as an old Taizhang left it
        "BEGIN; " + UNDO_V4 + "DROP TABLE unit_reports;" + "".join(
            f"ALTER TABLE task_states DROP COLUMN {c};" for c in ("problem", "remedy", "remedy_due", "done_date"))
        + "PRAGMA user_version = 1; COMMIT;")
    led.close()
    led = Ledger(Store(connection.connect(tmp_path / DB_FILE)))
    connection.migrate(led.store.conn, tmp_path / "backups")
    assert led.store.get_setting("handler") == "张三"
    assert led.store.schema_version() == LATEST
    view = led.task(fin.id, led.task_id(9))
    assert (view.status, view.dept, view.problem, view.remedy_due) == ("推进中", "预算科", "", None)
    assert fin.id in {u.id for u in led.units()} and "市人社局" in led.find_unit("东莞市人力资源和社会保障局").aliases
    assert [t.number for t in led.tasks(fin.id) if t.role == "lead"] == [9, 10, 11]
    led.close()


def test_a_database_from_a_newer_taizhang_is_refused_untouched(data_dir):
    Ledger.open(data_dir).close()
    conn = sqlite3.connect(data_dir / DB_FILE)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    digest = hashlib.sha256((data_dir / DB_FILE).read_bytes()).hexdigest()
    backups = sorted((data_dir / "backups").rglob("*"))  # today's automatic copy
    with pytest.raises(NewerDatabaseError) as err:
        Ledger.open(data_dir)
    assert "较新版本" in str(err.value) and "升级台账程序" in str(err.value)
    assert hashlib.sha256((data_dir / DB_FILE).read_bytes()).hexdigest() == digest
    assert sorted((data_dir / "backups").rglob("*")) == backups


def test_a_file_that_is_not_a_database(data_dir):
    data_dir.mkdir()
    (data_dir / DB_FILE).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="已损坏或不是台账的数据文件"):
        Ledger.open(data_dir)


def test_connections_use_wal_and_foreign_keys(data_dir):
    led = Ledger.open(data_dir)
    try:
        conn = led.store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        led.close()


def test_records_survive_closing_and_reopening(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    unit = led.set_my_unit("市财政局")
    led.set_handler("李四")
    task = led.task_id(9)
    action = led.add_action(unit.id, task, "在政府门户网站公开债务限额", "2021-09-01", link="http://czj.example/1")
    f = tmp_path / "佐证.pdf"
    f.write_bytes(b"%PDF-1.4 evidence")
    att = led.attach_file(unit.id, task, f, action_id=action["id"])
    led.set_status(unit.id, task, "推进中")
    led.set_division(unit.id, task, dept="预算科", person="王五")
    led.close()

    led = Ledger.open(data_dir)
    try:
        assert led.my_unit().short_name == "市财政局" and led.handler() == "李四"
        [a] = led.actions(unit.id, task)
        assert (a["content"], a["action_date"], a["handler"], a["link"]) == \
            ("在政府门户网站公开债务限额", "2021-09-01", "李四", "http://czj.example/1")
        [f2] = led.attachments(unit.id, task)
        assert (f2["name"], f2["size"], f2["action_id"]) == ("佐证.pdf", 17, action["id"])
        assert led.attachment_path(f2).read_bytes() == b"%PDF-1.4 evidence"
        view = led.task(unit.id, task)
        assert (view.status, view.dept, view.person) == ("推进中", "预算科", "王五")
        # every user record has a stable id, an updated time, and names its unit and plan
        for table in ("actions", "attachments", "task_states"):
            row = led.store.db.execute(f"SELECT * FROM {table}").fetchone()
            cols = [d[0] for d in led.store.db.execute(f"SELECT * FROM {table}").description]
            rec = dict(zip(cols, row))
            assert len(rec["id"]) == 36 and rec["updated_at"] and rec["unit_id"] == unit.id
            assert rec["plan_id"] == led.current_plan()["id"]
        assert att["id"] == f2["id"]
    finally:
        led.close()


def test_plan_and_task_ids_are_the_same_in_every_copy(tmp_path):
    a, b = Ledger.open(tmp_path / "a"), Ledger.open(tmp_path / "b")
    try:
        assert a.current_plan()["id"] == b.current_plan()["id"]
        assert a.task_id(9) == b.task_id(9)
        assert a.find_unit("虎门").id == b.find_unit("虎门").id
    finally:
        a.close()
        b.close()


def test_db_says_what_happened_and_the_ledger_says_it_in_chinese(data_dir):
    Ledger.open(data_dir).close()
    conn = connection.connect(data_dir / DB_FILE)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(SchemaTooNewError) as err:
        connection.migrate(conn, None)
    conn.close()
    assert (err.value.found, err.value.supported) == (LATEST + 1, LATEST)
    with pytest.raises(NewerDatabaseError) as chinese:
        Ledger.open(DataFolder(data_dir))
    assert isinstance(chinese.value.__cause__, SchemaTooNewError)


@pytest.mark.parametrize("kind, words", [("readonly", "是只读的"), ("io", "磁盘可能有故障"),
                                         ("full", "磁盘空间已满"), ("gone", "可能已被拔出"),
                                         ("too_long", "路径太长"), ("locked", "正被另一个程序"),
                                         ("corrupt", "已损坏")])
def test_every_kind_of_unavailable_database_has_its_sentence(tmp_path, kind, words):
    from core.errors import store_error
    from db.errors import DbUnavailableError

    err = store_error(DbUnavailableError(kind, tmp_path / DB_FILE, "detail"))
    assert isinstance(err, StoreError) and words in str(err)


def test_the_ledger_knows_its_data_folder(data_dir):
    led = Ledger.open(DataFolder(data_dir))
    try:
        assert led.folder == DataFolder(data_dir)
        assert led.attachments_dir == data_dir / "attachments" == led.folder.attachments
        assert led.store.path == led.folder.store
    finally:
        led.close()
    assert Ledger.memory(seed=False).folder is None


def test_a_version_6_file_loses_the_search_index_and_keeps_its_records(tmp_path):
    led = Ledger.open(tmp_path)
    fin = led.find_unit("市财政局")
    led.add_action(fin.id, led.task_id(9), "在门户网站公开专项债信息")
    v5 = (ROOT / "db/migrations/0005_search.sql").read_text(encoding="utf-8")
    statements = [x.strip() for x in re.split(r";\s*\n(?=CREATE|INSERT)", v5.split("\n", 12)[-1]) if x.strip()]
    conn = led.store.conn
    conn.execute("BEGIN")
    for sql in statements:  # back to version 6, as the last Taizhang left it: the index and its triggers
        conn.execute(sql)
    conn.execute("PRAGMA user_version = 6")
    conn.execute("COMMIT")
    assert conn.execute("SELECT count(*) FROM actions_fts WHERE actions_fts MATCH '专项债'").fetchone()[0] == 1
    led.close()

    led = Ledger.open(tmp_path)
    assert led.store.schema_version() == 7
    names = {r[0] for r in led.store.conn.execute("SELECT name FROM sqlite_master")}
    assert not any(n.startswith("actions_fts") for n in names)
    assert led.search(fin.id, "专项债") == [9]
    led.add_action(fin.id, led.task_id(10), "发布防汛简报")  # no trigger left to write the index
    assert led.search(fin.id, "防汛简报") == [10]
    led.close()


def test_a_join_that_repeats_a_column_name_gives_the_first_columns_value():
    """As sqlite3.Row did (the rows are plain dicts now): a name a join repeats
    (tasks.id and categories.id) answers with the first column's value."""
    store = Store.memory()
    try:
        store.conn.execute("INSERT INTO plans (id, title, year, created_at, updated_at) "
                           "VALUES ('p', '方案', 2021, '', '')")
        store.conn.execute("INSERT INTO categories (id, plan_id, ord, name) VALUES ('c', 'p', 1, '类别')")
        rows = store._rows("SELECT c.id, c.name, p.id, p.title FROM categories c JOIN plans p ON p.id = c.plan_id")
        assert rows == [{"id": "c", "name": "类别", "title": "方案"}]
    finally:
        store.close()
