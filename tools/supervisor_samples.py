#!/usr/bin/env python3
"""A sample supervising office: a dozen units' packages imported, then the
汇总工作台 (window, offscreen at 1366×768) and the 通报's first two pages.

    python tools/supervisor_samples.py                 # docs/screenshots/supervisor-*.png, bulletin-p*.png
    python tools/supervisor_samples.py --keep /tmp/s   # also keep the folders, packages and PDFs there

Needs poppler's pdftoppm for the pages (not needed by Taizhang or its tests).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHOTS = ROOT / "docs" / "screenshots"
TODAY = date(2022, 1, 10)
UNITS = ["虎门", "莞城", "南城", "东城", "长安", "塘厦", "松山湖", "市财政局", "市教育局", "市公安局", "市卫生健康局",
         "市生态环境局"]


def make(tmp: Path) -> Path:
    from core.exchange.importer import import_packages
    from core.exchange.package import export_package
    from core.ledger import Ledger
    from core.supervise import make_supervisor

    rng = random.Random(7)
    stick = tmp / "stick"
    stick.mkdir()
    template = tmp / "template"
    Ledger.open(template).close()
    evidence = tmp / "佐证.pdf"
    evidence.write_bytes(b"%PDF-1.4 sample" * 50)
    for i, name in enumerate(UNITS):
        folder = tmp / f"unit{i}"
        shutil.copytree(template, folder)
        led = Ledger.open(folder)
        unit = led.set_my_unit(name)
        done_share = rng.uniform(0.3, 0.95)
        for v in led.tasks(unit.id, today=TODAY):
            if v.pending:
                continue
            roll = rng.random()
            if roll < done_share:
                led.record(unit.id, v.id, "已按要求落实并在政府网站公开。", action_date="2021-11-20",
                           attach=[evidence] if rng.random() < 0.7 else None, status="已完成")
            elif roll < done_share + 0.15:
                led.record(unit.id, v.id, "正在推进。", action_date="2021-10-15")
        export_package(led, unit.id, stick, today=TODAY, reports=False)
        led.close()
    office = tmp / "office"
    led = Ledger.open(office)
    make_supervisor(led, "市政府办公室", package_due=TODAY)
    led.set_handler("赵六")
    import_packages(led, [stick])
    led.close()
    return office


def window_shot(office: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.app import start, stop

    win = start(office, today=TODAY, sync=True)
    app = QApplication.instance()
    sup = win.supervisor.window
    sup.resize(1366, 768)
    for _ in range(20):
        app.processEvents()
    sup.grab().save(str(SHOTS / "supervisor-matrix.png"))
    sup.state.setCurrentText("有逾期任务")
    sup.category.setCurrentText("完善政务公开平台建设")
    app.processEvents()
    sup.grab().save(str(SHOTS / "supervisor-filtered.png"))
    sup.state.setCurrentText("全部单位")
    sup.category.setCurrentText("全部任务")
    sup.tabs.setCurrentIndex(1)
    for _ in range(10):
        app.processEvents()
    sup.grab().save(str(SHOTS / "supervisor-charts.png"))
    sup.tabs.setCurrentIndex(0)
    sup.show_scores()
    for _ in range(20):
        app.processEvents()
    from gui.supervisor.scores import ScoresDialog

    scores = next(w for w in app.topLevelWidgets() if isinstance(w, ScoresDialog) and w.isVisible())
    scores.grab().save(str(SHOTS / "supervisor-scores.png"))
    scores.close()
    stop(win)


def bulletin_pages(office: Path, keep: Path) -> None:
    from core.ledger import Ledger
    from core.reports.bulletin import build_bulletin
    from core.supervise.rollup import build_rollup

    led = Ledger.open(office)
    pdf = keep / "通报.pdf"
    build_bulletin(led, build_rollup(led, today=TODAY), pdf)
    led.close()
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(keep / "b")], check=True)
    for i in (1, 2):
        shutil.copy(keep / f"b-{i}.png", SHOTS / f"bulletin-p{i}.png")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="supervisor-samples-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    office = make(tmp)
    window_shot(office)
    bulletin_pages(office, tmp)
    if args.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
