"""Taizhang (政务公开工作台账): start the window, or run a command-line subcommand.

    python main.py                      # the window, on the user's data folder
    python main.py --data-dir DIR tasks --unit 市财政局 --json
    python main.py --help
"""

from __future__ import annotations

import sys


def window_args(argv: list[str]) -> dict | None:
    """The window's arguments when ``argv`` asks for nothing but the window
    (no option at all, or only --data-dir / --today), else None. The window
    then starts without loading the command line's parser and services."""
    known = {"--data-dir": "data_dir", "--today": "today"}
    out: dict = {"data_dir": None, "today": None}
    i = 0
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name not in known:
            return None
        if not eq:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None
            i += 1
            value = argv[i]
        if not value:
            return None
        out[known[name]] = value
        i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    simple = window_args(argv)
    if simple is not None:
        from types import SimpleNamespace

        from core.cli_common import data_dir_of
        from core.errors import InputError
        from core.tasks import parse_user_date
        from gui.app import run_gui

        try:
            today = parse_user_date(simple["today"]) if simple["today"] else None
        except InputError:
            pass  # a bad --today: the parser below says so (its --today checks the date)
        else:
            return run_gui(data_dir_of(SimpleNamespace(**simple)), today=today)

    from core.cli import build_parser, data_dir_of, run

    args = build_parser().parse_args(argv)
    if args.command is None and not args.version and not args.self_test:
        from core.tasks import parse_user_date
        from gui.app import run_gui

        # the parser has checked --today already
        return run_gui(data_dir_of(args), today=parse_user_date(args.today) if args.today else None)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
