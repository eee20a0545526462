"""What every command-line command shares: printing, the dates and the data
folder named by the arguments, the unit and plan they name, a progress line."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from core.datafolder import DataFolder

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _out(text: str = "") -> None:
    print(text)


def _today(args) -> date:
    if args.today:
        from core.tasks import parse_user_date
        return parse_user_date(args.today)
    return date.today()


def data_dir_of(args) -> Path:
    """The data folder's root: --data-dir, else the user's (core.paths.default_data_dir)."""
    from core.paths import default_data_dir
    return Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()


def folder_of(args) -> DataFolder:
    return DataFolder(data_dir_of(args))


def _unit_and_plan(ledger, args):
    """The unit named by --unit and the id of the plan named by --plan (None: the current one)."""
    unit = ledger.find_unit(args.unit)
    return unit, (ledger.find_plan(args.plan)["id"] if args.plan else None)


def _progress_line(label: str):
    """progress(done, total) for a terminal: a percentage on one line, if stderr is one."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        print(f"\r{label} {100 * done // max(total, 1):3d}%", end="", file=sys.stderr, flush=True)
    return progress
