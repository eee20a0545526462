"""The supervising office's side of the window (gui/supervisor/window.py).

``SupervisorActions`` adds the 汇总 menu to the clerk's main window; once the
store is open it asks whether this data folder is a supervisor's, and if so
shows the menu and opens the 汇总工作台.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from gui.supervisor.window import SupervisorWindow


class SupervisorActions:
    def __init__(self, window: MainWindow, menubar):
        self.w = window
        self.window: SupervisorWindow | None = None
        self.menu = QMenu("汇总(&S)", window)
        existing = menubar.actions()
        if existing:  # before 帮助, the last menu
            menubar.insertMenu(existing[-1], self.menu)
        else:
            menubar.addMenu(self.menu)
        self.act_open = QAction("汇总工作台…", window)
        self.act_open.setStatusTip("导入各单位的上报包，查看汇总、考评，生成通报和催办单")
        self.act_open.triggered.connect(self.open)
        self.menu.addAction(self.act_open)
        self.menu.menuAction().setVisible(False)

    def store_opened(self) -> None:
        def ask(led):
            from core.supervise import is_supervisor

            return is_supervisor(led)

        self.w.runner.read(ask).success(self._answered).run()

    def _answered(self, yes: bool) -> None:
        self.menu.menuAction().setVisible(yes)
        if yes:
            self.open()

    def open(self) -> SupervisorWindow:
        from gui.supervisor.window import SupervisorWindow

        if self.window is None:
            self.window = SupervisorWindow(self.w)
        self.window.show()
        self.window.raise_()
        self.window.refresh()
        return self.window
