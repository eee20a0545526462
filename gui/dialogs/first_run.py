"""First run (and later 本单位和经办人): choose this unit from the directory by
typing any of its names, and enter the handler's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs.base import FormDialog
from gui.widgets.look import MUTED, set_text_color

if TYPE_CHECKING:
    from core.units import Unit

KIND_LABELS = {"town": "镇街园区", "municipal": "市直单位", "vertical": "垂直管理单位"}


def _fold(s: str) -> str:
    return "".join(s.split()).translate(str.maketrans("（）", "()")).lower()


def unit_matches(unit: Unit, query: str) -> bool:
    q = _fold(query)
    if not q:
        return True
    for name in unit.names:
        n = _fold(name)
        if q in n:
            return True
        # "东莞市财政局" typed in full, or "市财政局" for "财政局"
        for prefix in ("东莞市", "东莞", "市"):
            if q.startswith(prefix) and q[len(prefix):] and q[len(prefix):] in n:
                return True
    return False


class UnitChooserDialog(FormDialog):
    def __init__(self, units: list[Unit], current_unit_id: str | None = None, handler: str = "",
                 first_run: bool = True, parent: QWidget | None = None, plan_title: str = ""):
        super().__init__(parent, ok_text="开始使用" if first_run else "确定")
        self.setWindowTitle("欢迎使用政务公开工作台账" if first_run else "本单位和经办人")
        self.units = [u for u in units if not u.retired or u.id == current_unit_id]
        lay = QVBoxLayout(self)
        if first_run:
            intro = QLabel(
                "<p style='font-size:15px'><b>第一次使用，请先告诉台账您是哪个单位的经办人。</b></p>"
                + (f"<p>已内置《{plan_title}》，选好本单位后即可看到分配给本单位的任务。</p>" if plan_title else "")
                + "<p>以后可从菜单“本单位 → 本单位和经办人…”修改。</p>")
            intro.setWordWrap(True)
            lay.addWidget(intro)
        form = QFormLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入单位全称、简称或别名，例如：财政局、人社局、虎门")
        self.search.setClearButtonEnabled(True)
        form.addRow("查找本单位", self.search)
        lay.addLayout(form)
        self.list = QListWidget()
        self.list.setMinimumHeight(220)
        lay.addWidget(self.list, 1)
        form2 = QFormLayout()
        self.handler = QLineEdit(handler)
        self.handler.setPlaceholderText("您的姓名，记录进展时默认填写")
        self.handler.setMaxLength(50)
        form2.addRow("经办人姓名", self.handler)
        lay.addLayout(form2)
        # The same program serves the office that collects every unit's packages.
        self.supervisor = QCheckBox("本机用于汇总各单位的上报包（汇总单位，例如市政府办公室、政务公开办）")
        self.supervisor.setToolTip("勾选后，选中的单位是汇总单位：可以导入各单位的上报包、查看汇总、考评，生成通报和催办单")
        self.supervisor.setVisible(first_run)
        lay.addWidget(self.supervisor)
        lay.addWidget(self.error)
        bottom = QHBoxLayout()
        self.reason = QLabel()  # why the OK button is grey, next to it
        set_text_color(self.reason, MUTED)
        self.reason.setWordWrap(True)
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.buttons)
        lay.addLayout(bottom)

        self.search.textChanged.connect(self.refilter)
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.list.itemDoubleClicked.connect(lambda *_: self.handler.setFocus())
        self.handler.textChanged.connect(lambda *_: self._update_ok())
        self.search.returnPressed.connect(self._search_enter)
        self.refilter("")
        if current_unit_id:
            for i in range(self.list.count()):
                if self.list.item(i).data(Qt.ItemDataRole.UserRole) == current_unit_id:
                    self.list.setCurrentRow(i)
        self.resize(520, 560)
        self.search.setFocus()
        self._update_ok()

    def refilter(self, text: str) -> None:
        current = self.chosen_id()
        self.list.clear()
        for u in self.units:
            if unit_matches(u, text):
                label = u.full_name if u.short_name == u.full_name else f"{u.short_name}　（{u.full_name}）"
                item = QListWidgetItem(f"{label}　· {KIND_LABELS.get(u.kind, u.kind)}")
                item.setData(Qt.ItemDataRole.UserRole, u.id)
                if u.aliases:
                    item.setToolTip("也称：" + "、".join(u.aliases))
                self.list.addItem(item)
                if u.id == current:
                    self.list.setCurrentItem(item)
        if self.list.count() == 1:
            self.list.setCurrentRow(0)
        self._update_ok()

    def _search_enter(self) -> None:
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.handler.setFocus()

    def chosen_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def missing(self) -> str:
        """What the clerk still has to do before OK, or ""."""
        todo = []
        if self.chosen_id() is None:
            todo.append("在列表中选择本单位" if self.list.count() else "换个名称查找本单位（没有找到）")
        if not self.handler.text().strip():
            todo.append("填写经办人姓名")
        return "请" + "，并".join(todo) if todo else ""

    def _update_ok(self) -> None:
        reason = self.missing()
        self.ok_button.setEnabled(not self.saving and not reason)
        self.reason.setText(reason)
        self.ok_button.setToolTip(reason)

    def values(self) -> dict:
        return {"unit_id": self.chosen_id(), "handler": self.handler.text().strip(),
                "supervisor": self.supervisor.isChecked()}

    def check(self, values: dict) -> str:
        if not values["unit_id"]:
            return "请在列表中选择本单位。"
        if not values["handler"]:
            return "请填写经办人姓名。"
        return ""
