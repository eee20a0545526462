"""(Re)make the window screenshots in docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshots.py
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshots.py --scaled

Builds a realistic store (市财政局's year, as of 2021-12-10: some tasks
done, some overdue, related tasks pending and decided, actions with evidence
files; a few records of 虎门镇 too) in a temporary folder, opens the window on
it and grabs the first-run dialog, the main window, a task's detail and the
unit-directory editor. Needs a CJK font (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
TODAY = date(2021, 12, 10)

# number: (status, dept, person, [(date, content, [evidence files])], problem, remedy, remedy_due)
FINANCE = {
    1: ("已完成", "办公室", "李晓燕", [
        ("2021-08-25", "局党组会议研究确定由分管副局长履行政务公开工作领导职责，办公室为政府信息公开工作机构。",
         ["关于调整政务公开工作领导小组的通知.pdf"])], "", "", None),
    2: ("推进中", "办公室", "李晓燕", [
        ("2021-09-10", "梳理现有主动公开、依申请公开、保密审查等8项制度，形成修订清单。", []),
        ("2021-11-26", "起草《东莞市财政局政务公开工作制度汇编（征求意见稿）》，发各科室征求意见。",
         ["政务公开工作制度汇编（征求意见稿）.docx"])], "", "", None),
    8: ("已完成", "预算科", "陈志强", [
        ("2021-08-31", "督促局属2个事业单位在部门网站公开2021年单位预算及相关报表。", ["单位预算公开情况统计表.xlsx"])],
        "", "", None),
    9: ("推进中", "债务管理科", "陈志强", [
        ("2021-08-20", "在局门户网站“政府债务”专栏公开2021年全市地方政府债务限额、余额情况。",
         ["债务限额余额公开页面截图.png", "2021年地方政府债务限额及余额情况表.pdf"]),
        ("2021-09-30", "公开2021年第三季度地方政府债券发行信息，包括品种、期限、利率、规模。",
         ["三季度债券发行信息公告.pdf"]),
        ("2021-11-15", "公开地方政府债务偿还计划及偿债资金来源，同步推送至省集中统一平台。", [])],
        "", "", None),
    10: ("推进中", "社会保障科", "黄丽华", [
        ("2021-09-15", "在“惠民惠农财政补贴资金一卡通”专栏公开第三季度补贴发放名单和金额。", ["一卡通补贴发放公示.pdf"]),
        ("2021-11-30", "公布财政直达资金分配、下达和使用管理信息（截至11月底）。", [])], "", "", None),
    11: ("已完成", "农业农村科", "黄丽华", [
        ("2021-10-20", "会同市农业农村局推动补贴信息公开向村（社区）延伸，与村务公开栏衔接。",
         ["村级补贴信息公开栏照片.jpg"])], "", "", None),
    12: ("持续推进", "办公室", "李晓燕", [
        ("2021-10-08", "转发疫情防控权威信息12条，做好常态化防控经费保障信息公开。", [])], "", "", None),
    15: ("推进中", "办公室", "李晓燕", [
        ("2021-09-28", "对《东莞市财政支持制造业高质量发展若干措施》开展图文解读。", [])], "", "", None),
    17: ("已完成", "办公室", "李晓燕", [
        ("2021-09-03", "印发本局政策解读工作规程，明确解读材料与政策文件同步起草、同步审签。", [])], "", "", None),
    18: ("推进中", "办公室", "李晓燕", [
        ("2021-11-10", "在市政策问答平台上线财政政策问答32条。", [])], "", "", None),
    24: ("推进中", "办公室", "李晓燕", [
        ("2021-10-15", "建立财政领域舆情监测台账，按周报送。", [])], "", "", None),
    29: ("推进中", "信息中心", "周敏", [
        ("2021-11-05", "完成政务信息资源目录梳理，待与市政数局平台对接。", [])],
        "与市政数局平台接口尚未开放，数据对接进度滞后。", "12月底前完成接口联调和数据对接。", "2022-01-15"),
    34: ("未启动", "办公室", "李晓燕", [],
         "基层政务公开标准目录的财政部分待市级统一发布后细化。", "目录发布后一个月内完成本领域标准目录编制。", "2022-01-31"),
    36: ("推进中", "办公室", "李晓燕", [
        ("2021-07-30", "修订依申请公开办理流程，统一答复文书格式。", [])], "", "", None),
}
DECISIONS = {18: "confirmed", 41: "dismissed"}
HUMEN = {
    1: ("已完成", "党政办", "王芳", [("2021-08-18", "镇党委会议确定分管领导和政务公开工作机构。", [])]),
    2: ("推进中", "党政办", "王芳", [("2021-10-12", "修订虎门镇政务公开工作制度（初稿）。", [])]),
    10: ("推进中", "财政分局", "刘洋", [("2021-10-30", "公开镇级惠民惠农补贴发放信息。", [])]),
}


def build_store(data_dir: Path, files_dir: Path) -> None:
    from core.ledger import Ledger

    led = Ledger.open(data_dir)
    try:
        files_dir.mkdir(parents=True, exist_ok=True)

        def evidence(name: str) -> Path:
            p = files_dir / name
            body = f"{name}\n（台账截图用的示例佐证材料）\n".encode() * (40 + 7 * len(name))
            p.write_bytes(body)
            return p

        for unit_name, handler, records in (("虎门镇", "王芳", {k: (*v, "", "", None) for k, v in HUMEN.items()}),
                                            ("市财政局", "李晓燕", FINANCE)):
            unit = led.set_my_unit(unit_name)
            led.set_handler(handler)
            if unit_name == "市财政局":
                for n, decision in DECISIONS.items():
                    led.decide_related(unit.id, led.task_id(n), decision)
            for n, (status, dept, person, actions, problem, remedy, due) in records.items():
                tid = led.task_id(n)
                for day, content, names in actions:
                    a = led.add_action(unit.id, tid, content, day, handler=person)
                    for name in names:
                        led.attach_file(unit.id, tid, evidence(name), action_id=a["id"])
                led.set_status(unit.id, tid, status)
                led.set_division(unit.id, tid, dept=dept, person=person)
                if problem or remedy:
                    led.set_lookback(unit.id, tid, problem=problem, remedy=remedy, remedy_due=due)
        fin = led.find_unit("市财政局")
        # an edited action (history) and a deleted one (回收站)
        t9 = led.task_id(9)
        first = led.actions(fin.id, t9)[0]
        led.edit_action(first["id"], content=first["content"] + "同步在“粤财通”公开。")
        gone = led.add_action(fin.id, t9, "误录：重复的债务信息公开记录。", "2021-11-16")
        led.delete_action(gone["id"])
        led.attach_file(fin.id, t9, evidence("债务信息公开自查表.xlsx"))
        led.set_report_texts(fin.id, summary="我局高度重视政务公开工作，成立了以分管副局长为组长的政务公开工作领导小组。")
    finally:
        led.close()


def pump(app, n: int = 5) -> None:
    import time

    for _ in range(n):
        app.processEvents()
        time.sleep(0.03)


def dialog(cls):
    """The open dialog of this class (the window keeps no references to them)."""
    from PySide6.QtWidgets import QApplication

    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible())


def fill_screen(win) -> None:
    """Maximised (there is no window manager under Xvfb to do it)."""
    win.setGeometry(win.screen().availableGeometry())
    win.show()


def save(widget, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    widget.grab().save(str(path))
    print("wrote", path.relative_to(ROOT), widget.width(), "x", widget.height())
    return path


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--scaled", action="store_true", help="only the main window (run with QT_SCALE_FACTOR=1.5)")
    args = p.parse_args()

    from PySide6.QtCore import Qt

    from gui.app import ensure_app, start, stop

    app = ensure_app(["taizhang"])
    tmp = Path(tempfile.mkdtemp(prefix="taizhang-shots-"))

    if args.scaled:
        data = tmp / "data"
        build_store(data, tmp / "files")
        win = start(data, today=TODAY, sync=True)
        fill_screen(win)
        pump(app)
        win.select_number(9)
        pump(app)
        save(win, "main-window-150.png")
        win.close()
        stop(win)
        return 0

    # first run
    fresh = tmp / "fresh"
    win = start(fresh, today=TODAY, sync=True)
    fill_screen(win)
    pump(app)
    from gui.dialogs.action import ActionDialog
    from gui.dialogs.first_run import UnitChooserDialog
    from gui.dialogs.recycle import RecycleBinDialog
    from gui.dialogs.units import UnitEditorDialog

    dlg = dialog(UnitChooserDialog)
    dlg.search.setText("局")  # the bureaus; then pick one
    for i in range(dlg.list.count()):
        if dlg.list.item(i).text().startswith("市财政局"):
            dlg.list.setCurrentRow(i)
            dlg.list.scrollToItem(dlg.list.item(i))
    dlg.handler.setText("李晓燕")
    pump(app)
    save(dlg, "first-run.png")
    dlg.done(0)  # closed without the "放弃已填写的内容吗？" question
    win.close()
    stop(win)

    # the main window on a realistic store
    data = tmp / "data"
    build_store(data, tmp / "files")
    win = start(data, today=TODAY, sync=True)
    fill_screen(win)
    pump(app)
    from gui.tasks.model import COL

    win.table.sortByColumn(COL["light"], Qt.SortOrder.AscendingOrder)  # red and yellow first
    win.select_number(9)
    pump(app)
    save(win, "main-window.png")
    win.table.sortByColumn(COL["number"], Qt.SortOrder.AscendingOrder)

    # the detail of one task, taller than in the window
    win.table.step(0)
    win.select_number(9)
    detail = win.detail
    detail.setParent(None)
    detail.resize(620, 900)
    detail.content.setSizes([250, 650])
    detail.show()
    pump(app)
    save(detail, "task-detail.png")
    win.splitter.addWidget(detail)
    pump(app)

    # the unit directory after an edit that changes assignments
    win.act_units.trigger()
    pump(app)
    ed = dialog(UnitEditorDialog)
    ed.search.setText("财政")
    ed.select("市财政局")
    ed.has_website.setCurrentText("是")
    ed.save()
    pump(app)
    save(ed, "unit-editor.png")
    ed.has_website.setCurrentText("未知")
    ed.save()
    ed.close()

    # an action being edited, and the 回收站
    win.select_number(9)
    pump(app)
    win.detail.select_action(win.detail.actions[-1]["id"])
    win.detail.edit_button.click()
    pump(app)
    action_dialog = dialog(ActionDialog)
    save(action_dialog, "action-dialog.png")
    action_dialog.done(0)
    win.act_recycle.trigger()
    pump(app)
    recycle = dialog(RecycleBinDialog)
    save(recycle, "recycle-bin.png")
    recycle.close()
    win.close()
    stop(win)
    return 0


if __name__ == "__main__":
    sys.exit(main())
