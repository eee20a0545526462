"""The command line over the same services."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.cli import main
from tests.conftest import ROOT


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(data_dir):
    import sqlite3
    conn = sqlite3.connect(data_dir / "taizhang.db")
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("actions", "attachments", "task_states", "action_versions")}
    finally:
        conn.close()


def test_tasks_json_for_the_finance_bureau(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--today", "2021-12-10", "tasks", "--unit", "市财政局", "--json")
    assert code == 0
    tasks = json.loads(out)
    assert len(tasks) == 40
    t9 = next(t for t in tasks if t["number"] == 9)
    assert t9["role"] == "lead" and t9["category"] == "做好财政信息公开"
    assert t9["deadline"] is None and t9["deadline_explicit"] is False and t9["status"] == "未启动"
    assert t9["units"][:2] == [{"name": "各镇街(园区)", "role": "implement", "kind": "group"},
                               {"name": "市财政局", "role": "lead", "kind": "unit"}]
    t2 = next(t for t in tasks if t["number"] == 2)
    assert (t2["deadline"], t2["deadline_explicit"], t2["light"]) == ("2021-12-31", True, "yellow")
    assert {t["role"] for t in tasks} == {"lead", "implement", "related"}
    for t in tasks:
        assert set(t) >= {"number", "category", "text", "role", "deadline", "deadline_explicit", "status",
                          "units", "light"}
        assert isinstance(t["number"], int) and t["light"] in ("red", "yellow", "green", "grey")


def test_tasks_all_and_unit_by_alias(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "tasks", "--unit", "虎门", "--json", "--all")
    tasks = json.loads(out)
    assert len(tasks) == 50
    assert [t["number"] for t in tasks if t["role"] is None] == [24, 29, 33, 34, 39, 40, 41]
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "tasks", "--unit", "人社局", "--json")
    assert code == 0 and len(json.loads(out)) > 0


def test_record_then_list(capsys, data_dir, tmp_path):
    f = tmp_path / "会议纪要.pdf"
    f.write_bytes(b"minutes")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "record", "--unit", "东莞市财政局", "--task", "9",
                         "--text", "召开债务信息公开专题会议", "--date", "2021-09-15", "--handler", "张三",
                         "--link", "http://czj.dg.gov.cn/x", "--attach", str(f), "--status", "推进中")
    assert code == 0, err
    assert "已记录" in out and "2021年9月15日" in out
    out_first = out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "tasks", "--unit", "市财政局", "--json")
    t9 = next(t for t in json.loads(out) if t["number"] == 9)
    assert (t9["status"], t9["action_count"], t9["attachment_count"]) == ("推进中", 1, 1)
    assert "状态由“未启动”改为“推进中”" in out_first  # said once, when it changed
    code, out, err = run(capsys, "--data-dir", str(data_dir), "record", "--unit", "市财政局", "--task", "9",
                         "--text", "再次公开", "--date", "2021-10-15")
    assert code == 0 and "状态" not in out


@pytest.mark.parametrize("argv, words", [
    (["record", "--unit", "市星际局", "--task", "9", "--text", "x"], "找不到单位“市星际局”"),
    (["record", "--unit", "市财政局", "--task", "51", "--text", "x"], "没有第51项任务"),
    (["record", "--unit", "市财政局", "--task", "九", "--text", "x"], "任务序号“九”应是数字"),
    (["record", "--unit", "市财政局", "--task", "9", "--text", "x", "--date", "2021/13/01"], "日期“2021/13/01”无效"),
    (["record", "--unit", "市财政局", "--task", "9", "--text", "x", "--attach", "/no/such/file.pdf"], "找不到文件"),
    (["record", "--unit", "市财政局", "--task", "9", "--text", "x", "--status", "done"], "状态“done”无效"),
    (["record", "--unit", "市财政局", "--task", "33", "--text", "x"], "没有分配给市财政局"),
    (["record", "--unit", "市财政局", "--task", "9", "--text", "  "], "进展内容不能为空"),
])
def test_bad_input_prints_one_chinese_line_and_writes_nothing(capsys, data_dir, argv, words):
    run(capsys, "--data-dir", str(data_dir), "plans")  # make the store
    before = counts(data_dir)
    code, out, err = run(capsys, "--data-dir", str(data_dir), *argv)
    assert code == 1
    assert out == ""
    assert err.startswith("错误：") and words in err and err.count("\n") == 1
    assert counts(data_dir) == before


def test_usage_errors_are_chinese(capsys, data_dir):
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(data_dir), "record", "--unit", "市财政局"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "用法：" in err and "缺少必需的参数" in err


def test_chinese_argparse_messages_stay_inside_our_parser(capsys):
    import argparse
    import gettext

    from core.cli import build_parser

    ours = build_parser()
    assert argparse._ is gettext.gettext  # not patched for the whole process (the GUI, other parsers)
    other = argparse.ArgumentParser(prog="other")
    other.add_argument("--x", required=True)
    assert other.format_usage().startswith("usage:") and "options:" in other.format_help()
    assert ours.format_usage().startswith("用法：") and "选项" in ours.format_help()
    with pytest.raises(SystemExit):
        other.parse_args([])
    assert "the following arguments are required" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        ours.parse_args(["tasks", "--unit", "x", "--bogus"])
    assert "无法识别的参数" in capsys.readouterr().err
    assert argparse._ is gettext.gettext


def test_units_and_plans(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "units", "--json")
    units = json.loads(out)
    hr = next(u for u in units if u["full_name"] == "东莞市人力资源和社会保障局")
    assert hr["short_name"] == "市人力资源社会保障局" and "市人社局" in hr["aliases"] and hr["kind"] == "municipal"
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "plans", "--json")
    [plan] = json.loads(out)
    assert (plan["year"], plan["tasks"], plan["current"]) == (2021, 50, True)


def test_import_plan_reports_unresolved_names_and_malformed_lines(capsys, data_dir, tmp_path):
    good = tmp_path / "plan.txt"
    good.write_text("某局2022年政务公开工作要点分工方案\n工作任务 | 具体要求 | 落实单位\n"
                    "制度 | 1.做事。 | 市财政局牵头,市月球局配合\n", encoding="gbk")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "import-plan", str(good))
    assert code == 0 and "1 类 1 项任务" in out and "第1项：市月球局" in out
    bad = tmp_path / "bad.txt"
    bad.write_text("某局2023年方案\n工作任务 | 具体要求 | 落实单位\n制度 | 1.做事。 | 市财政局 | 多\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import-plan", str(bad))
    assert code == 1 and "第3行" in err
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "plans", "--json")
    assert [p["year"] for p in json.loads(out)] == [2022, 2021]


def test_data_dir_defaults_to_the_environment(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TAIZHANG_DATA", str(tmp_path / "env-data"))
    code, _, _ = run(capsys, "plans")
    assert code == 0 and (tmp_path / "env-data" / "taizhang.db").exists()


def test_version_and_self_test_through_main_py(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TAIZHANG_DATA": str(tmp_path / "d")}
    v = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert v.returncode == 0 and "0.1.0" in v.stdout
    s = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert s.returncode == 0, s.stderr
    assert "自检通过" in s.stdout and "牵头 [9, 10, 11]" in s.stdout
    assert not (tmp_path / "d").exists()  # the self-test used a temporary store


def test_a_data_dir_that_is_a_file_or_read_only(capsys, tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    code, out, err = run(capsys, "--data-dir", str(f), "plans")
    assert code == 1 and "是一个文件，不是文件夹" in err
    # a write-protected stick, for real: the folder and the store are read-only and the
    # program runs without root's right to ignore that (tests/unprivileged.py)
    from tests.unprivileged import make_read_only, make_writable, without_override

    ro = tmp_path / "ro"
    code, out, _ = run(capsys, "--data-dir", str(ro), "plans")
    assert code == 0 and "2021" in out
    make_read_only(ro)
    try:
        r = without_override([sys.executable, str(ROOT / "main.py"), "--data-dir", str(ro), "tasks", "--unit", "虎门"],
                             env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        assert r.returncode == 1 and "只读" in r.stderr and "已损坏" not in r.stderr, r.stderr
        assert not (ro / "taizhang.db-wal").exists()
    finally:
        make_writable(ro)


def test_a_read_only_folder_with_a_leftover_wal(tmp_path):
    """A stick pulled while the window was open, then write-protected: -wal and -shm are left."""
    import shutil
    import sqlite3

    from core.ledger import Ledger
    from tests.unprivileged import make_read_only, make_writable, without_override

    led = Ledger.open(tmp_path / "live")
    led.add_action(led.find_unit("市财政局").id, led.task_id(9), "未检查点的记录", "2021-09-01")
    ro = tmp_path / "ro"
    ro.mkdir()
    for name in ("taizhang.db", "taizhang.db-wal", "taizhang.db-shm"):
        shutil.copy(tmp_path / "live" / name, ro / name)
    led.close()
    make_read_only(ro)
    try:
        r = without_override([sys.executable, str(ROOT / "main.py"), "--data-dir", str(ro), "record", "--unit",
                              "市财政局", "--task", "9", "--text", "写不进去"],
                             env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        assert r.returncode == 1 and "只读" in r.stderr and "内部错误" not in r.stderr, r.stderr
    finally:
        make_writable(ro)
    conn = sqlite3.connect(ro / "taizhang.db")
    assert conn.execute("SELECT content FROM actions").fetchall() == [("未检查点的记录",)]
    conn.close()


def test_an_absurd_task_number(capsys, data_dir):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "record", "--unit", "市财政局",
                         "--task", "99999999999999999999", "--text", "x")
    assert code == 1 and "没有第99999999999999999999项任务" in err
