#!/usr/bin/env python3
"""Benchmark (not a test): importing the embedded 50-task plan from each format.

The plan's table is written as .txt, .docx, .xlsx, .html, .csv and .pdf the way
tests/plan_files.py writes them (merged cells, title lines before the table).
For each file, in the same run, it times:
  - Taizhang's import: Ledger.import_plan_file on a fresh in-memory store
    holding the unit directory (read, grid, parse, resolve, write; the store is
    made outside the timing);
  - the library's bare read of the same file: python-docx Document(), openpyxl
    load_workbook, html.parser feed, csv.reader, pdfplumber open+extract_tables,
    and for the text file reading and decoding it;
and prints the medians and their ratio. Each import should take under 1 s.

    python bench/bench_import.py [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT = 1.0  # seconds


def seed_table() -> tuple[list[str], list[list[str | None]]]:
    """The embedded plan as (lines before the table, rows with None for merged cells)."""
    from core.plans.text import text_grid

    grid = text_grid((ROOT / "resources" / "plans" / "dongguan-2021.txt").read_text("utf-8"))
    rows = [list(r) for r in grid.rows]
    for row in rows[1:]:
        for c in (0, 2):
            if row[c] == "":
                row[c] = None
    return [ln for ln in grid.before if ln.strip()], rows


def write_files(folder: Path) -> dict[str, Path]:
    from tests.plan_files import write_csv, write_docx, write_html, write_pdf, write_xlsx

    before, rows = seed_table()
    txt = folder / "方案.txt"
    txt.write_bytes((ROOT / "resources" / "plans" / "dongguan-2021.txt").read_bytes())
    return {".txt": txt, ".docx": write_docx(folder / "方案.docx", before, rows),
            ".xlsx": write_xlsx(folder / "方案.xlsx", before, rows),
            ".html": write_html(folder / "方案.html", before, rows),
            ".csv": write_csv(folder / "方案.csv", before, rows), ".pdf": write_pdf(folder / "方案.pdf", before, rows)}


def bare_read(ext: str, path: Path) -> None:
    if ext == ".txt":
        path.read_bytes().decode("utf-8")
    elif ext == ".docx":
        import docx

        docx.Document(str(path))
    elif ext == ".xlsx":
        import openpyxl

        openpyxl.load_workbook(path)
    elif ext == ".html":
        from html.parser import HTMLParser

        HTMLParser().feed(path.read_bytes().decode("utf-8"))
    elif ext == ".csv":
        list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    elif ext == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()


def fresh_ledger(units):
    """An in-memory store holding the unit directory (made outside the timing)."""
    from core.ledger import Ledger

    ledger = Ledger.memory(seed=False)
    ledger.load_directory(units)
    return ledger


def median_time(fn, runs: int, setup=lambda: None) -> float:
    times = []
    for _ in range(runs):
        arg = setup()
        t = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from core.paths import resource_path
    from core.units import load_directory_file

    units = load_directory_file(resource_path("units.json"))
    slow = []
    with tempfile.TemporaryDirectory(prefix="taizhang-bench-") as tmp:
        files = write_files(Path(tmp))
        print(f"{'格式':<6}{'任务':>5}{'导入 (s)':>12}{'库的裸读 (s)':>14}{'倍数':>8}")
        for ext, path in files.items():
            tasks = fresh_ledger(units).import_plan_file(path).tasks  # warm-up (imports) and the count
            ours = median_time(lambda led, p=path: led.import_plan_file(p), args.runs, lambda: fresh_ledger(units))
            bare_read(ext, path)
            bare = median_time(lambda _, e=ext, p=path: bare_read(e, p), args.runs)
            print(f"{ext:<6}{tasks:>5}{ours:>12.3f}{bare:>14.3f}{ours / bare:>8.1f}")
            if ours >= LIMIT:
                slow.append(ext)
    print("全部在 1 秒以内。" if not slow else f"超过 1 秒：{'、'.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
