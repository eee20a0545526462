"""The clerk's services: my tasks, lights, records, files, decisions, search, directory."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from core import attachments as files
from core.errors import Cancelled, InputError, UnknownTaskError, UnknownUnitError
from core.tasks import compute_light
from core.units import Unit
from tests.test_store import UNDO_V4


def test_a_new_store_holds_the_embedded_plan_and_the_directory(ledger):
    [plan] = ledger.plans()
    assert plan["title"] == "东莞市贯彻落实国家、省2021年政务公开工作要点分工方案"
    assert plan["task_count"] == 50 and plan["year"] == 2021 and plan["issued_date"] == "2021-08-03"
    assert len(ledger.store.list_categories(plan["id"])) == 14
    assert len([u for u in ledger.units() if u.kind == "town"]) == 34
    assert [m for m in ledger.store.mentions(plan["id"]) if m["kind"] == "unresolved"] == []


def test_my_tasks_with_roles_deadlines_and_units(ledger):
    fin = ledger.find_unit("市财政局")
    views = {v.number: v for v in ledger.tasks(fin.id, today=date(2021, 9, 1))}
    assert len(views) == 40
    assert [n for n, v in views.items() if v.role == "lead"] == [9, 10, 11]
    assert [n for n, v in views.items() if v.pending] == [18, 23, 32, 41]
    assert views[2].deadline == date(2021, 12, 31) and views[2].deadline_explicit
    assert views[34].deadline == date(2021, 10, 31)
    assert views[43].deadline_kind == "yearly" and not views[43].deadline_explicit
    assert views[9].units[1] == {"name": "市财政局", "role": "lead", "kind": "unit",
                                 "unit_id": fin.id, "group": None}
    assert len(ledger.tasks(fin.id, include_all=True)) == 50


@pytest.mark.parametrize("today, status, light", [
    (date(2021, 9, 1), "未启动", "green"),
    (date(2021, 12, 10), "推进中", "yellow"),
    (date(2022, 1, 5), "推进中", "red"),
    (date(2022, 1, 5), "已完成", "grey"),
    (date(2022, 1, 5), "持续推进", "red"),  # 持续推进 is not done: the deadline passed
])
def test_warning_light_of_a_task_due_at_year_end(ledger, today, status, light):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(2)
    ledger.set_status(fin.id, task, status)
    assert ledger.task(fin.id, task, today=today).light == light


def test_light_rules():
    assert compute_light(None, "none", "未启动", date(2030, 1, 1)) == "green"
    assert compute_light(date(2021, 12, 31), "yearly", "推进中", date(2022, 3, 1)) == "yellow"
    assert compute_light(date(2021, 10, 31), "date", "未启动", date(2021, 10, 1)) == "yellow"
    assert compute_light(date(2021, 10, 31), "date", "未启动", date(2021, 9, 30)) == "green"


def test_edit_keeps_earlier_versions_and_delete_can_be_undone(ledger):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(9)
    a = ledger.add_action(fin.id, task, "第一稿", "2021-09-01", handler="张三")
    ledger.edit_action(a["id"], content="第二稿")
    ledger.edit_action(a["id"], action_date="2021-09-02")
    history = ledger.action_history(a["id"])
    assert [(h["version"], h["content"], h["action_date"]) for h in history] == [
        (1, "第一稿", "2021-09-01"), (2, "第二稿", "2021-09-01")]
    [current] = ledger.actions(fin.id, task)
    assert (current["content"], current["action_date"], current["version"]) == ("第二稿", "2021-09-02", 3)
    ledger.delete_action(a["id"])
    assert ledger.actions(fin.id, task) == []
    assert [d["id"] for d in ledger.deleted_actions(fin.id)] == [a["id"]]
    assert ledger.task(fin.id, task).action_count == 0
    ledger.restore_action(a["id"])
    assert [x["content"] for x in ledger.actions(fin.id, task)] == ["第二稿"]


def test_bad_action_input_is_refused(ledger):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(9)
    with pytest.raises(InputError, match="进展内容不能为空"):
        ledger.add_action(fin.id, task, "   ")
    with pytest.raises(InputError, match="日期“2021-02-30”无效"):
        ledger.add_action(fin.id, task, "内容", "2021-02-30")
    with pytest.raises(InputError, match="第33项任务没有分配给市财政局"):
        ledger.add_action(fin.id, ledger.task_id(33), "内容")
    with pytest.raises(UnknownTaskError):
        ledger.task_id(51)
    with pytest.raises(UnknownUnitError):
        ledger.find_unit("不存在的局")
    assert ledger.store.list_actions(fin.id, plan_id=ledger.current_plan()["id"]) == []


def test_the_same_file_content_is_stored_once(ledger, tmp_path):
    fin = ledger.find_unit("市财政局")
    a, b = tmp_path / "通知.pdf", tmp_path / "通知-副本.pdf"
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    ledger.attach_file(fin.id, ledger.task_id(9), a)
    ledger.attach_file(fin.id, ledger.task_id(10), b)
    blobs = [p for p in ledger.attachments_dir.rglob("*") if p.is_file()]
    assert len(blobs) == 1 and blobs[0].name == hashlib.sha256(b"same bytes").hexdigest()
    assert blobs[0].read_bytes() == b"same bytes"
    names = [f["name"] for t in (9, 10) for f in ledger.attachments(fin.id, ledger.task_id(t))]
    assert names == ["通知.pdf", "通知-副本.pdf"]


def test_a_lost_file_attached_again_by_a_failed_write_is_kept_for_its_first_record(ledger, tmp_path, monkeypatch):
    """The file of a committed record went missing; attaching the same content
    again puts it back. If that second write then fails, the file stays: the
    first record needs it."""
    fin = ledger.find_unit("市财政局")
    f = tmp_path / "通知.pdf"
    f.write_bytes(b"the only copy")
    first = ledger.attach_file(fin.id, ledger.task_id(9), f)
    blob = ledger.attachment_path(first)
    blob.unlink()  # lost from disk

    def refuse(row):
        raise OSError("磁盘已满")
    monkeypatch.setattr(ledger.store, "insert_attachment", refuse)
    with pytest.raises(OSError):
        ledger.attach_file(fin.id, ledger.task_id(10), f)
    assert blob.read_bytes() == b"the only copy"
    assert [a["name"] for a in ledger.attachments(fin.id, ledger.task_id(10))] == []


def test_removing_an_attachment_is_recoverable(ledger, tmp_path):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(9)
    f = tmp_path / "a.docx"
    f.write_bytes(b"docx")
    att = ledger.attach_file(fin.id, task, f)
    ledger.remove_attachment(att["id"])
    assert ledger.attachments(fin.id, task) == []
    assert ledger.attachment_path(att).exists()  # the bytes stay until nothing refers to them
    ledger.restore_attachment(att["id"])
    assert [x["name"] for x in ledger.attachments(fin.id, task)] == ["a.docx"]


def test_a_cancelled_copy_leaves_nothing_behind(ledger, tmp_path):
    fin = ledger.find_unit("市财政局")
    big = tmp_path / "big.zip"
    big.write_bytes(b"x" * (3 * files.CHUNK + 5))
    seen = []
    with pytest.raises(Cancelled):
        ledger.attach_file(fin.id, ledger.task_id(9), big, progress=lambda d, t: seen.append((d, t)),
                           cancelled=lambda: len(seen) >= 2)
    assert seen == [(files.CHUNK, big.stat().st_size), (2 * files.CHUNK, big.stat().st_size)]
    assert [p for p in ledger.attachments_dir.rglob("*") if p.is_file()] == []
    assert ledger.attachments(fin.id, ledger.task_id(9)) == []


def test_missing_and_oversized_files_are_refused(ledger, tmp_path, monkeypatch):
    fin = ledger.find_unit("市财政局")
    with pytest.raises(InputError, match="找不到文件"):
        ledger.attach_file(fin.id, ledger.task_id(9), tmp_path / "nope.pdf")
    f = tmp_path / "big.mp4"
    f.write_bytes(b"0" * 2000)
    monkeypatch.setattr(files, "MAX_ATTACHMENT_BYTES", 1000)
    with pytest.raises(InputError, match="超过单个佐证材料"):
        ledger.attach_file(fin.id, ledger.task_id(9), f)


def test_record_is_all_or_nothing(ledger, tmp_path):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(9)
    good = tmp_path / "good.pdf"
    good.write_bytes(b"good")
    with pytest.raises(InputError, match="找不到文件"):
        ledger.record(fin.id, task, "内容", attach=[good, tmp_path / "missing.pdf"])
    with pytest.raises(InputError, match="状态“完成了”无效"):
        ledger.record(fin.id, task, "内容", attach=[good], status="完成了")
    assert ledger.actions(fin.id, task) == [] and ledger.attachments(fin.id, task) == []
    assert not ledger.attachments_dir.exists() or not [p for p in ledger.attachments_dir.rglob("*") if p.is_file()]
    ledger.record(fin.id, task, "内容", "2021-10-01", attach=[good], status="已完成")
    view = ledger.task(fin.id, task)
    assert (view.action_count, view.attachment_count, view.status) == (1, 1, "已完成")


def test_related_tasks_are_confirmed_or_dismissed_and_can_be_undone(ledger):
    fin = ledger.find_unit("市财政局")
    t18 = ledger.task_id(18)
    ledger.decide_related(fin.id, t18, "confirmed")
    assert ledger.task(fin.id, t18).role_label == "相关（已确认）"
    ledger.decide_related(fin.id, t18, "dismissed")
    assert 18 not in [v.number for v in ledger.tasks(fin.id)]
    assert 18 in [v.number for v in ledger.tasks(fin.id, include_dismissed=True)]
    ledger.decide_related(fin.id, t18, None)
    assert ledger.task(fin.id, t18).pending
    with pytest.raises(InputError, match="不是待确认"):
        ledger.decide_related(fin.id, ledger.task_id(9), "dismissed")


def test_search_finds_two_character_words(ledger):
    fin = ledger.find_unit("市财政局")
    assert ledger.search(fin.id, "舆情") == [23, 24, 25, 26]
    assert ledger.search(fin.id, "台账") == [26, 49]
    assert ledger.search(fin.id, "公报") == [33]
    assert ledger.search(fin.id, "荔枝") == []
    ledger.add_action(fin.id, ledger.task_id(9), "荔枝节期间公开专项债信息")
    assert ledger.search(fin.id, "荔枝") == [9]
    assert ledger.search(fin.id, "荔枝 债务") == [9]  # every word must match
    hm = ledger.find_unit("虎门")
    assert ledger.search(hm.id, "荔枝") == []  # another unit's actions are not searched


ODD_PLAN = """某局2022年政务公开工作要点分工方案
工作任务 | 具体要求 | 落实单位
制度 | 1.2022年底前完善制度。 | 市星际旅行局牵头,市审计局配合
"""


def test_directory_edits_re_resolve_and_report_what_changed(ledger):
    res = ledger.import_plan_text(ODD_PLAN, "odd.txt")
    assert res.unresolved == {1: ["市星际旅行局"]}
    changes = ledger.save_unit(Unit(id="", full_name="东莞市星际旅行局", short_name="市星际旅行局",
                                    kind="municipal", aliases=("星际局",)))
    odd = [(c.number, c.unit, c.before, c.after) for c in changes if c.plan_id == res.plan_id]
    assert odd == [(1, "市星际旅行局", None, "lead")]
    seed_changes = [c for c in changes if c.plan_id != res.plan_id]
    assert {(c.number, c.after) for c in seed_changes if c.number in (1, 9)} == {(1, "implement"), (9, "implement")}
    assert [m["kind"] for m in ledger.store.mentions(res.plan_id)] == ["unit", "unit"]

    fin = ledger.find_unit("市财政局")
    changes = ledger.save_unit(Unit(**{**fin.__dict__, "has_website": True}))
    assert [(c.number, c.before, c.after) for c in changes] == [(32, "related", "implement")]

    audit = ledger.find_unit("市审计局")
    changes = ledger.retire_unit(audit.id)
    gone = {c.number for c in changes if c.unit == "市审计局" and c.after is None}
    assert {1, 2, 49} <= gone  # group tasks; the named one in the odd plan stays
    assert ledger.store.assignment(ledger.task_id(1, res.plan_id), audit.id) == "cooperate"


@pytest.mark.parametrize("alias", ["市财政局", "财政局", "东莞市财政局"])
def test_directory_refuses_a_name_another_unit_answers_to(ledger, alias):
    before = ledger.store.all_assignments()
    with pytest.raises(InputError, match="与“东莞市财政局”的名称相同或可互相指代"):
        ledger.save_unit(Unit(id="", full_name="东莞市财政局松山湖分局", short_name="财政分局", kind="municipal",
                              aliases=(alias,)))
    assert ledger.store.all_assignments() == before
    assert ledger.find_unit("财政局").full_name == "东莞市财政局"


def test_a_failed_directory_edit_leaves_no_trace_in_the_cache(ledger, monkeypatch):
    fin = ledger.find_unit("市财政局")

    def broken(*a, **k):
        raise RuntimeError("disk gone")
    monkeypatch.setattr(ledger, "reresolve", broken)
    with pytest.raises(RuntimeError):
        ledger.save_unit(Unit(**{**fin.__dict__, "aliases": ("财政",), "has_website": True}))
    monkeypatch.undo()
    assert ledger.find_unit("市财政局").has_website is None
    with pytest.raises(UnknownUnitError):
        ledger.find_unit("财政")


def test_importing_twice_or_a_broken_plan_adds_nothing(ledger, seed_text):
    with pytest.raises(InputError, match="已经导入过了"):
        ledger.import_plan_text(seed_text)
    from core.errors import PlanParseError
    with pytest.raises(PlanParseError):
        ledger.import_plan_text("某市2022年方案\n工作任务 | 具体要求 | 落实单位\n制度 | 1.做事。 | 各镇街\n"
                                "制度 | 1.又做事。 | 各镇街\n")
    assert len(ledger.plans()) == 1


def test_switching_the_current_plan(ledger):
    res = ledger.import_plan_text(ODD_PLAN)
    assert ledger.current_plan()["year"] == 2021
    ledger.set_current_plan("2022")
    assert ledger.current_plan()["id"] == res.plan_id
    with pytest.raises(InputError, match="找不到方案"):
        ledger.set_current_plan("1999")
    assert ledger.plan(res.plan_id)["title"] == ledger.current_plan()["title"]
    with pytest.raises(InputError, match="找不到所选的工作方案"):
        ledger.plan("no-such-id")


def test_report_texts_and_lookback_fields_are_kept_per_unit_and_plan(ledger):
    fin = ledger.find_unit("市财政局")
    hm = ledger.find_unit("虎门")
    ledger.set_report_texts(fin.id, summary="全年共完成……", next_steps="明年继续")
    assert ledger.report_texts(fin.id) == {"summary": "全年共完成……", "problems": "", "next_steps": "明年继续"}
    assert ledger.report_texts(hm.id) == {"summary": "", "problems": "", "next_steps": ""}
    task = ledger.task_id(2)
    ledger.set_lookback(fin.id, task, problem="制度尚在审议", remedy="提交党组会审定", remedy_due="2022-03-31")
    view = ledger.task(fin.id, task)
    assert (view.problem, view.remedy, view.remedy_due) == ("制度尚在审议", "提交党组会审定", date(2022, 3, 31))
    ledger.set_lookback(fin.id, task, remedy_due=None)
    assert ledger.task(fin.id, task).remedy_due is None and ledger.task(fin.id, task).problem == "制度尚在审议"


def test_a_deleted_actions_files_leave_and_come_back_with_it(ledger, tmp_path):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(9)
    f = tmp_path / "纪要.pdf"
    f.write_bytes(b"minutes")
    a = ledger.record(fin.id, task, "召开专题会", "2021-09-01", attach=[f])
    ledger.delete_action(a["id"])
    assert ledger.attachments(fin.id, task) == [] and ledger.task(fin.id, task).attachment_count == 0
    ledger.restore_action(a["id"])
    assert [x["name"] for x in ledger.attachments(fin.id, task)] == ["纪要.pdf"]


def test_a_dismissed_task_takes_no_records_until_undone(ledger):
    fin = ledger.find_unit("市财政局")
    t18 = ledger.task_id(18)
    ledger.decide_related(fin.id, t18, "dismissed")
    with pytest.raises(InputError, match="与本单位无关"):
        ledger.add_action(fin.id, t18, "内容")
    ledger.decide_related(fin.id, t18, None)
    ledger.add_action(fin.id, t18, "内容")


def test_a_failure_inside_record_rolls_everything_back(ledger, tmp_path, monkeypatch):
    fin = ledger.find_unit("市财政局")
    task = ledger.task_id(9)
    f = tmp_path / "new.pdf"
    f.write_bytes(b"unique bytes for this test")

    def broken(*a, **k):
        raise RuntimeError("power cut")
    monkeypatch.setattr(ledger.store, "update_state", broken)
    with pytest.raises(RuntimeError):
        ledger.record(fin.id, task, "内容", attach=[f], status="已完成")
    monkeypatch.undo()
    assert ledger.actions(fin.id, task) == []
    assert ledger.store.list_attachments(fin.id, task) == []
    assert [p for p in ledger.attachments_dir.rglob("*") if p.is_file()] == []  # the copied blob is gone too


def test_half_copied_files_are_cleaned_up_on_open_only_when_abandoned(data_dir):
    """A copy older than a day and not locked is a crash leftover; a fresh one
    or a locked one (another program's attach in progress) stays."""
    import fcntl
    import os
    import time

    from core.ledger import Ledger
    Ledger.open(data_dir).close()
    tmp = data_dir / "attachments" / "tmp"
    tmp.mkdir(parents=True)
    dead, fresh, busy = tmp / "dead.part", tmp / "fresh.part", tmp / "busy.part"
    for p in (dead, fresh, busy):
        p.write_bytes(b"half")
    two_days_ago = time.time() - 2 * 86400
    for p in (dead, busy):
        os.utime(p, (two_days_ago, two_days_ago))
    with open(busy, "rb+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        Ledger.open(data_dir).close()
        assert (dead.exists(), fresh.exists(), busy.exists()) == (False, True, True)


# ---- status follows the work; completion dates; the dates a clerk types -------------

def test_the_first_record_starts_a_task_and_says_so(ledger):
    fin = ledger.find_unit("市财政局")
    t9 = ledger.task_id(9)  # 市财政局 leads task 9 of the seed plan
    assert ledger.task(fin.id, t9).status == "未启动"
    first = ledger.add_action(fin.id, t9, "公开债务限额", "2021-03-15")
    assert first["status_changed_from"] == "未启动" and first["status"] == "推进中"
    assert first["content"] == "公开债务限额" and first["id"]  # still the action row
    assert ledger.task(fin.id, t9).status == "推进中"
    second = ledger.add_action(fin.id, t9, "公开债务余额", "2021-04-15")
    assert second["status_changed_from"] is None and second["status"] == "推进中"
    # undo (what the window's status bar offers) is an ordinary status change
    ledger.set_status(fin.id, t9, "未启动")
    assert ledger.task(fin.id, t9).status == "未启动"
    # a task already done or 持续推进 keeps its status
    t43 = ledger.task_id(43)
    ledger.set_status(fin.id, t43, "持续推进")
    assert ledger.add_action(fin.id, t43, "听取汇报", "2021-06-01")["status_changed_from"] is None
    assert ledger.task(fin.id, t43).status == "持续推进"


def test_the_first_record_and_its_status_change_are_one_transaction(ledger, monkeypatch):
    fin = ledger.find_unit("市财政局")
    t9 = ledger.task_id(9)

    def broken(*a, **k):
        raise RuntimeError("power cut")
    monkeypatch.setattr(ledger.store, "update_state", broken)
    with pytest.raises(RuntimeError):
        ledger.add_action(fin.id, t9, "公开债务限额", "2021-03-15")
    monkeypatch.undo()
    assert ledger.actions(fin.id, t9) == [] and ledger.task(fin.id, t9).status == "未启动"


def test_record_reports_the_status_it_changed(ledger):
    hm = ledger.find_unit("虎门")
    t2 = ledger.task_id(2)
    row = ledger.record(hm.id, t2, "修订公开制度", "2021-05-10")
    assert (row["status_changed_from"], row["status"]) == ("未启动", "推进中")
    row = ledger.record(hm.id, t2, "印发制度", "2021-06-20", status="已完成")
    assert (row["status_changed_from"], row["status"]) == ("推进中", "已完成")
    assert ledger.task(hm.id, t2).done_date == date(2021, 6, 20)  # the record's date


def test_done_keeps_a_completion_date(ledger):
    fin = ledger.find_unit("市财政局")
    t9, t10, t11 = ledger.task_id(9), ledger.task_id(10), ledger.task_id(11)
    ledger.add_action(fin.id, t9, "公开债务限额", "2021-03-15")
    ledger.add_action(fin.id, t9, "公开债务余额", "2021-10-15")
    ledger.set_status(fin.id, t9, "已完成")  # default: the latest record's date
    assert ledger.task(fin.id, t9).done_date == date(2021, 10, 15)
    ledger.set_status(fin.id, t9, "已完成", done_date="2021年11月2日")
    assert ledger.task(fin.id, t9).done_date == date(2021, 11, 2)
    assert ledger.task(fin.id, t9).to_json()["done_date"] == "2021-11-02"
    ledger.set_status(fin.id, t9, "推进中")  # not done any more: no date
    assert ledger.task(fin.id, t9).done_date is None
    # no record: today while the plan's year runs, else its last day
    ledger.set_status(fin.id, t10, "已完成", today=date(2021, 7, 1))
    assert ledger.task(fin.id, t10).done_date == date(2021, 7, 1)
    ledger.set_status(fin.id, t11, "已完成", today=date(2026, 11, 28))
    assert ledger.task(fin.id, t11).done_date == date(2021, 12, 31)
    with pytest.raises(InputError, match="只有“已完成”"):
        ledger.set_status(fin.id, t11, "推进中", done_date="2021-05-01")
    with pytest.raises(InputError, match="日期“2021-13-01”无效"):
        ledger.set_status(fin.id, t11, "已完成", done_date="2021-13-01")


@pytest.mark.parametrize("text", ["2021-06-30", "2021/6/30", "2021.6.30", "20210630", "2021年6月30日",
                                  " 2021-6-30 ", "２０２１－０６－３０", "２０２１年６月３０日", "２０２１０６３０",
                                  "2021 年 6 月 30 日"])
def test_the_usual_ways_of_writing_a_date(text):
    from core.tasks import parse_user_date

    assert parse_user_date(text) == date(2021, 6, 30)


@pytest.mark.parametrize("text", ["2021-13-01", "20211301", "2021630", "6月30日", "2021-06", "", "明天"])
def test_dates_that_are_not_dates(text):
    from core.tasks import parse_user_date

    with pytest.raises(InputError, match="无效"):
        parse_user_date(text)


def test_dates_outside_the_plans_years_and_defaults_from_the_plan_year():
    from core.tasks import default_date, outside_plan_years

    assert not outside_plan_years(date(2020, 1, 1), 2021) and not outside_plan_years(date(2022, 12, 31), 2021)
    assert outside_plan_years(date(2019, 12, 31), 2021) and outside_plan_years(date(2026, 6, 30), 2021)
    assert default_date(2021, date(2021, 8, 3)) == date(2021, 8, 3)  # the plan's year: today
    assert default_date(2021, date(2026, 11, 28)) == date(2021, 12, 31)  # over: its last day
    assert default_date(2022, date(2021, 11, 28)) == date(2022, 1, 1)  # not begun: its first day


def test_the_migration_dates_tasks_already_done(data_dir):
    """A version-2 file: 已完成 tasks get their latest record's date."""
    from core.ledger import Ledger
    from db import connection

    led = Ledger.open(data_dir)
    fin = led.find_unit("市财政局")
    t9, t29 = led.task_id(9), led.task_id(29)
    led.add_action(fin.id, t9, "公开债务限额", "2021-03-15")
    led.add_action(fin.id, t9, "公开债务余额", "2021-10-15")
    led.set_status(fin.id, t9, "已完成")
    led.set_status(fin.id, t29, "已完成", today=date(2021, 5, 1))
    conn = led.store.conn
    conn.executescript("BEGIN; " + UNDO_V4 + "UPDATE task_states SET done_date = NULL;"
                       "ALTER TABLE task_states DROP COLUMN done_date; PRAGMA user_version = 2; COMMIT;")
    led.close()
    led = Ledger.open(data_dir)
    assert connection.user_version(led.store.conn) == connection.latest_version()
    assert led.task(fin.id, t9).done_date == date(2021, 10, 15)
    assert led.task(fin.id, t29).done_date is None  # no record to date it by
    led.close()
