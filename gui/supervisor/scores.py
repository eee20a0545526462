"""考评 in the office's window: every unit's score with its parts and the
reasons in words (so that a unit can be told why), the ranking, and the
weights, which the office may change (core/supervise/scoring.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.supervisor.window import SupervisorWindow

PARTS = ("completion", "timeliness", "evidence", "package")


def load_scores(today):
    """On the worker: (weights, part words, ranked scores) of the current roll-up."""
    def fn(led):
        from core.supervise.rollup import build_rollup
        from core.supervise.scoring import PART_WORDS, score_rollup, weights

        return weights(led), PART_WORDS, score_rollup(led, build_rollup(led, today=today))
    return fn


class ScoresDialog(QDialog):
    def __init__(self, desk: SupervisorWindow):
        super().__init__(desk)
        self.desk = desk
        self.setWindowTitle("考评")
        self.resize(980, 620)
        lay = QVBoxLayout(self)
        note = QLabel("总分 = 完成率 + 时效 + 佐证 + 按时上报 − 扣分（满分为各项分值之和）。"
                      "选中一个单位，下方显示各项得分的理由。")
        note.setWordWrap(True)
        lay.addWidget(note)
        weights_row = QHBoxLayout()
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.weight_labels: dict[str, QLabel] = {}
        for key in PARTS:
            label = QLabel(key)
            spin = QDoubleSpinBox()
            spin.setRange(0, 100)
            spin.setDecimals(1)
            spin.setSuffix(" 分")
            self.weight_labels[key], self.spins[key] = label, spin
            weights_row.addWidget(label)
            weights_row.addWidget(spin)
        self.save_weights_button = QPushButton("按新分值重新考评")
        self.save_weights_button.clicked.connect(self.save_weights)
        weights_row.addWidget(self.save_weights_button)
        weights_row.addStretch(1)
        lay.addLayout(weights_row)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._show_reasons)
        lay.addWidget(self.table, 1)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.reasons)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.scores: list = []

    def load(self) -> None:
        self.desk.runner.read(load_scores(self.desk.main.today())).success(self._show).run()

    def _show(self, result) -> None:
        w, words, scores = result
        self.scores = scores
        for key in PARTS:
            self.weight_labels[key].setText(words[key])
            self.spins[key].setValue(w[key])
        heads = ["名次", "单位", "总分", *(words[k] for k in PARTS), words["deductions"]]
        self.table.setColumnCount(len(heads))
        self.table.setHorizontalHeaderLabels(heads)
        self.table.setRowCount(len(scores))
        for r, s in enumerate(scores):
            cells = [str(s.rank), s.name, f"{s.total:.2f}", *(f"{s.parts.get(k, 0):.2f}" for k in PARTS),
                     f"{s.parts.get('deductions', 0):.2f}"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if scores:
            self.table.selectRow(0)

    def _show_reasons(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) == 1 and self.scores:
            s = self.scores[rows.pop()]
            self.reasons.setText(f"{s.name}：" + "；".join(s.reasons) if s.reasons else s.name)

    def save_weights(self) -> None:
        changes = {k: self.spins[k].value() for k in PARTS}

        def fn(led):
            from core.supervise.scoring import set_weights

            return Written(OpChanges(), set_weights(led, changes))

        self.desk.runner.write(fn, initiator=self).success(lambda _: self.load()).run()
