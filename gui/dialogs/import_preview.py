"""The import preview: what a plan file (or a pasted table) would give, before
anything is written — the column mapping (one choice per source column), the
tasks with their category, deadline and units with roles, every warning with
its row, and the names the directory does not know (or only guesses) with
the clerk's decision for each. 导入 hands the decisions on; 取消 writes nothing."""

from __future__ import annotations

from datetime import date as _date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.plan_life import ADD, LEAVE, MAP, NameDecision
from core.units import KINDS
from core.vocabulary import deadline_text, role_label
from gui.dialogs.base import FormDialog

# The kinds a source column may be given, in the order the combo offers them.
COLUMN_CHOICES = [("category", "工作任务"), ("text", "具体要求"), ("units", "落实单位"), ("lead", "牵头单位"),
                  ("cooperate", "配合单位"), ("deadline", "完成时限"), ("number", "序号"), ("ignore", "忽略")]
TASK_COLUMNS = ["序号", "工作任务", "具体要求", "完成时限", "落实单位（角色）"]


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class ImportPreviewDialog(FormDialog):
    columns_changed = Signal(list)  # the kinds of the source columns, as set by hand

    def __init__(self, source: str, units: list[tuple[str, str]], parent: QWidget | None = None):
        """``units``: (id, name shown) of the directory's units, for mapping a name to one."""
        super().__init__(parent, ok_text="导入")
        self.setWindowTitle(f"导入工作方案 — {source}")
        self.units = units
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mapping_box = QGroupBox("列的含义（识别不对时请在这里改）")
        self.mapping = QGridLayout(self.mapping_box)
        self.column_combos: list[QComboBox] = []

        self.tasks = QTableWidget(0, len(TASK_COLUMNS))
        self.tasks.setHorizontalHeaderLabels(TASK_COLUMNS)
        self.tasks.verticalHeader().hide()
        self.tasks.setWordWrap(True)
        self.tasks.setAccessibleName("读出的任务")
        head = self.tasks.horizontalHeader()
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        self.warnings = QListWidget()
        self.warnings.setAccessibleName("提示")
        self.names = QTableWidget(0, 3)
        self.names.setHorizontalHeaderLabels(["名称", "情况", "处理"])
        self.names.verticalHeader().hide()
        self.names.setAccessibleName("需要确认的单位名称")
        self.names.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.name_combos: dict[str, QComboBox] = {}

        below = QSplitter(Qt.Orientation.Horizontal)
        for title, widget in (("提示（请核对这些行）", self.warnings), ("名录中没有或不确定的单位", self.names)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            below.addWidget(box)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tasks)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.mapping_box)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(1100, 680)

    # ---- what the worker read -------------------------------------------------
    def show_columns(self, header: list[str], kinds: list[str]) -> None:
        if len(self.column_combos) != len(header):
            while self.mapping.count():
                self.mapping.takeAt(0).widget().deleteLater()
            self.column_combos = []
            for c, text in enumerate(header):
                label = QLabel(text or f"第{c + 1}列")
                combo = QComboBox()
                for key, word in COLUMN_CHOICES:
                    combo.addItem(word, key)
                combo.setAccessibleName(f"“{text or c + 1}”列的含义")
                label.setBuddy(combo)
                combo.activated.connect(lambda _=0: self.columns_changed.emit(self.column_kinds()))
                self.mapping.addWidget(label, 0, c)
                self.mapping.addWidget(combo, 1, c)
                self.column_combos.append(combo)
        for combo, kind in zip(self.column_combos, kinds):
            combo.setCurrentIndex(max(0, combo.findData(kind if kind in dict(COLUMN_CHOICES) else "ignore")))

    def column_kinds(self) -> list[str]:
        return [c.currentData() for c in self.column_combos]

    def show_report(self, report: dict | None, problem: str = "") -> None:
        """The parsed plan (``report`` as core.plans.check.draft_report gives it), or why it cannot be read."""
        self.tasks.setRowCount(0)
        self.warnings.clear()
        if report is None:
            self.summary.setText(f"按当前的列设置读不出方案：{problem}")
            self.ok_button.setEnabled(False)
            self._show_names([], [])
            return
        self.ok_button.setEnabled(True)
        self.error.hide()
        date = f"，{report['issued_date']}" if report["issued_date"] else ""
        self.summary.setText(
            f"《{report['title']}》（{report['issuer'] or '发文单位未注明'}{date}）　{report['year']} 年度　"
            f"共 {len(report['categories'])} 个类别、{len(report['tasks'])} 项任务；"
            f"提示 {len(report['warnings'])} 条；名录中没有的单位 {len(report['unknown'])} 个，"
            f"不确定的 {len(report['uncertain'])} 个。")
        self.tasks.setRowCount(len(report["tasks"]))
        for r, t in enumerate(report["tasks"]):
            units = "、".join(f"{u['name']}（{role_label(u['role'])}）" for u in t["units"])
            due = deadline_text(_date.fromisoformat(t["deadline"]) if t["deadline"] else None, t["deadline_kind"])
            for c, text in enumerate((str(t["number"]), t["category"], t["text"], due, units)):
                self.tasks.setItem(r, c, _item(text))
        self.tasks.resizeColumnToContents(0)
        self.tasks.resizeColumnToContents(3)
        self.tasks.setColumnWidth(1, 110)
        for w in report["warnings"]:
            self.warnings.addItem(w)
        if not report["warnings"]:
            self.warnings.addItem("没有需要核对的行。")
        self._show_names(report["unknown"], report["uncertain"])

    def _show_names(self, unknown: list[str], uncertain: list[dict]) -> None:
        before = self.decisions()
        self.names.setRowCount(0)
        self.name_combos = {}
        rows = [(n, "单位名录中没有", None) for n in unknown]
        rows += [(u["name"], f"可能是东莞的“{u['candidate']}”（{u['candidate_full_name']}），请确认", u["candidate_id"])
                 for u in uncertain]
        self.names.setRowCount(len(rows))
        for r, (name, why, candidate) in enumerate(rows):
            combo = QComboBox()
            combo.addItem("暂不处理", f"{LEAVE}:")
            for key, label in KINDS.items():
                combo.addItem(f"新增为{label}", f"{ADD}:{key}")
            for uid, shown in sorted(self.units, key=lambda u: u[0] != candidate):  # the candidate first
                combo.addItem(f"对应到：{shown}", f"{MAP}:{uid}")
            combo.setAccessibleName(f"“{name}”的处理")
            old = before.get(name)
            if old is not None:
                combo.setCurrentIndex(max(0, combo.findData(f"{old.action}:{old.unit_id or old.kind}")))
            self.names.setItem(r, 0, _item(name))
            self.names.setItem(r, 1, _item(why))
            self.names.setCellWidget(r, 2, combo)
            self.name_combos[name] = combo
        self.names.resizeColumnToContents(0)
        self.names.setColumnWidth(0, max(self.names.columnWidth(0), 100))
        self.names.setColumnWidth(2, 220)

    # ---- what the clerk decided --------------------------------------------------
    def decisions(self) -> dict[str, NameDecision]:
        out = {}
        for name, combo in self.name_combos.items():
            action, _, value = combo.currentData().partition(":")
            if action == MAP:
                out[name] = NameDecision(MAP, unit_id=value)
            elif action == ADD:
                out[name] = NameDecision(ADD, kind=value)
        return out

    def values(self) -> dict:
        return {"columns": self.column_kinds(), "decisions": self.decisions()}
