"""The unit directory: add, rename, retire units; aliases and attributes.
After a save every plan's assignments are re-resolved and the changes listed
("第32项：市财政局 待确认 → 落实")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.vocabulary import role_label
from gui.dialogs.first_run import unit_matches
from gui.widgets.look import ERROR, set_text_color

if TYPE_CHECKING:
    from core.ledger import RoleChange
    from core.units import Unit

KINDS = [("town", "镇街园区"), ("municipal", "市直单位"), ("vertical", "垂直管理单位"), ("office", "科室")]
SUBKINDS = [("", "（不细分）"), ("street", "街道"), ("town", "镇"), ("park", "园区"), ("department", "市直部门"),
            ("institution", "事业单位"), ("vertical", "垂直管理"), ("team", "工作组"), ("affiliate", "局属单位")]
TRI = [(True, "是"), (False, "否"), (None, "未知")]


def change_line(c: RoleChange, plan_years: dict[str, int] | None = None) -> str:
    where = ""
    if plan_years and len(plan_years) > 1 and c.plan_id in plan_years:
        where = f"{plan_years[c.plan_id]}年方案"
    return f"{where}第{c.number}项：{c.unit} {role_label(c.before) or '无'} → {role_label(c.after) or '无'}"


def split_aliases(text: str) -> list[str]:
    return [a for a in (x.strip() for x in re.split(r"[\n,，、;；]+", text)) if a]


def _combo(items) -> QComboBox:
    box = QComboBox()
    for value, label in items:
        box.addItem(label, value)
    return box


def _select(box: QComboBox, value) -> None:
    for i in range(box.count()):
        if box.itemData(i) == value:
            box.setCurrentIndex(i)
            return


class UnitEditorDialog(QDialog):
    save_requested = Signal(dict)  # the unit's fields (id "" for a new unit)
    retire_requested = Signal(str, bool)  # unit id, retired

    def __init__(self, units: list[Unit], my_unit_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("单位名录")
        self.units: list[Unit] = []
        self.my_unit_id = my_unit_id
        self.current: Unit | None = None
        self.saving = False
        lay = QVBoxLayout(self)
        intro = QLabel("方案中的“落实单位”按这里的名称和别名识别。修改后，各项任务的分工会重新计算，并在下方列出变化。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal)
        lay.addWidget(split, 1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找单位（名称或别名）")
        self.search.setClearButtonEnabled(True)
        ll.addWidget(self.search)
        self.show_retired = QCheckBox("显示已撤销的单位")
        ll.addWidget(self.show_retired)
        self.list = QListWidget()
        ll.addWidget(self.list, 1)
        self.new_button = QPushButton("新增单位")
        ll.addWidget(self.new_button)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.form_box = QGroupBox("单位信息")
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.full_name = QLineEdit()
        self.short_name = QLineEdit()
        self.keep_old_name = QCheckBox("把原全称保留为别名（旧方案仍能识别）")
        self.keep_old_name.setChecked(True)
        self.keep_old_name.hide()
        self.aliases = QPlainTextEdit()
        self.aliases.setPlaceholderText("每行一个，例如：人社局")
        self.aliases.setFixedHeight(84)
        self.kind = _combo(KINDS)
        self.subkind = _combo(SUBKINDS)
        self.has_admin = _combo(TRI)
        self.has_website = _combo(TRI)
        self.state = QLabel()
        form.addRow("全称", self.full_name)
        form.addRow("", self.keep_old_name)
        form.addRow("简称", self.short_name)
        form.addRow("别名", self.aliases)
        form.addRow("类别", self.kind)
        form.addRow("细分", self.subkind)
        form.addRow("具有行政职能", self.has_admin)
        form.addRow("开设网站", self.has_website)
        form.addRow("状态", self.state)
        rl.addWidget(self.form_box)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_text_color(self.error, ERROR)
        self.error.hide()
        rl.addWidget(self.error)
        row = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.retire_button = QPushButton("撤销单位")
        self.retire_button.setToolTip("单位撤并后使用：不再参与分工，记录仍保留；可随时恢复")
        row.addWidget(self.save_button)
        row.addWidget(self.retire_button)
        row.addStretch(1)
        rl.addLayout(row)
        changes_box = QGroupBox("分工变化")
        cl = QVBoxLayout(changes_box)
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.changes.setPlaceholderText("保存后，这里列出各项任务分工的变化。")
        cl.addWidget(self.changes)
        rl.addWidget(changes_box, 1)
        split.addWidget(right)
        split.setSizes([260, 460])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

        self.search.textChanged.connect(lambda *_: self._fill_list())
        self.show_retired.toggled.connect(lambda *_: self._fill_list())
        self.list.currentItemChanged.connect(self._current_changed)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.retire_button.clicked.connect(self._retire_clicked)
        self.full_name.textEdited.connect(self._name_edited)
        self.set_units(units)
        self.resize(820, 600)

    # ---- the list --------------------------------------------------------------
    def set_units(self, units: list[Unit], select_id: str | None = None) -> None:
        self.units = list(units)
        keep = select_id or (self.current.id if self.current else None)
        self._fill_list(keep)

    def _fill_list(self, select_id: str | None = None) -> None:
        select_id = select_id or (self.current.id if self.current else None)
        text = self.search.text()
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for u in self.units:
            if u.retired and not self.show_retired.isChecked() and u.id != select_id:
                continue
            if not unit_matches(u, text):
                continue
            label = u.short_name + ("（已撤销）" if u.retired else "") + ("　★本单位" if u.id == self.my_unit_id else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, u.id)
            item.setToolTip(u.full_name)
            if u.retired:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
            if u.id == select_id:
                chosen = item
        self.list.blockSignals(False)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        elif self.list.count() and self.current is None:
            self.list.setCurrentRow(0)

    def _current_changed(self, item: QListWidgetItem | None, _prev=None) -> None:
        if item is None:
            return
        uid = item.data(Qt.ItemDataRole.UserRole)
        unit = next((u for u in self.units if u.id == uid), None)
        if unit is not None:
            self.show_unit(unit)

    def select(self, name_or_id: str) -> None:
        for i in range(self.list.count()):
            it = self.list.item(i)
            uid = it.data(Qt.ItemDataRole.UserRole)
            unit = next(u for u in self.units if u.id == uid)
            if name_or_id in (uid, *unit.names):
                self.list.setCurrentItem(it)
                return
        raise KeyError(name_or_id)

    # ---- the form ----------------------------------------------------------------
    def show_unit(self, unit: Unit | None) -> None:
        self.current = unit
        self.error.hide()
        self.keep_old_name.hide()
        if unit is None:
            self.form_box.setTitle("新增单位")
            for w in (self.full_name, self.short_name):
                w.clear()
            self.aliases.clear()
            _select(self.kind, "municipal")
            _select(self.subkind, "department")
            _select(self.has_admin, True)
            _select(self.has_website, None)
            self.state.setText("新单位")
            self.retire_button.setEnabled(False)
            self.full_name.setFocus()
            return
        self.form_box.setTitle(f"单位信息：{unit.short_name}")
        self.full_name.setText(unit.full_name)
        self.short_name.setText(unit.short_name)
        self.aliases.setPlainText("\n".join(unit.aliases))
        _select(self.kind, unit.kind)
        _select(self.subkind, unit.subkind)
        _select(self.has_admin, unit.has_admin)
        _select(self.has_website, unit.has_website)
        self.state.setText("已撤销" if unit.retired else "正常")
        self.retire_button.setEnabled(True)
        self.retire_button.setText("恢复单位" if unit.retired else "撤销单位")

    def start_new(self) -> None:
        self.list.clearSelection()
        self.show_unit(None)

    def _name_edited(self, text: str) -> None:
        self.keep_old_name.setVisible(self.current is not None and text.strip() != self.current.full_name)

    def values(self) -> dict:
        aliases = split_aliases(self.aliases.toPlainText())
        full = self.full_name.text().strip()
        if (self.current is not None and self.keep_old_name.isVisible() and self.keep_old_name.isChecked()
                and full != self.current.full_name and self.current.full_name not in aliases):
            aliases.append(self.current.full_name)
        return {
            "id": self.current.id if self.current else "",
            "full_name": full, "short_name": self.short_name.text().strip() or full,
            "aliases": aliases, "kind": self.kind.currentData(), "subkind": self.subkind.currentData(),
            "has_admin": self.has_admin.currentData(), "has_website": self.has_website.currentData(),
            "retired": self.current.retired if self.current else False,
            "ord": self.current.ord if self.current else 0,
        }

    def save(self) -> None:
        if self.saving:
            return
        v = self.values()
        if not v["full_name"]:
            self.show_error("请填写单位全称。")
            return
        self._busy(True)
        self.save_requested.emit(v)

    def _retire_clicked(self) -> None:
        if self.current is None or self.saving:
            return
        self._busy(True)
        self.retire_requested.emit(self.current.id, not self.current.retired)

    def _busy(self, busy: bool) -> None:
        self.saving = busy
        self.save_button.setEnabled(not busy)
        self.retire_button.setEnabled(not busy and self.current is not None)
        if busy:
            self.error.hide()

    def saved(self, result: tuple[list[Unit], str, list[RoleChange], dict[str, int]]) -> None:
        """The save worked: the directory as it is now, the unit saved, what changed."""
        units, unit_id, changes, plan_years = result
        self._busy(False)
        self.current = next((u for u in units if u.id == unit_id), None)
        self.set_units(units, unit_id)
        if self.current is not None:
            self.show_unit(self.current)
        self.show_changes(changes, plan_years)

    def show_changes(self, changes: list[RoleChange], plan_years: dict[str, int] | None = None) -> None:
        if not changes:
            self.changes.setPlainText("已保存。各项任务的分工没有变化。")
        else:
            self.changes.setPlainText(f"已保存。{len(changes)} 处分工发生变化：\n"
                                      + "\n".join(change_line(c, plan_years) for c in changes))

    def failed(self, message: str) -> None:
        self._busy(False)
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
