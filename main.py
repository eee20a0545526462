"""Taizhang (政务公开工作台账): start the window, or run a command-line subcommand.

    python main.py                      # the window, on the user's data folder
    python main.py --data-dir DIR tasks --unit 市财政局 --json
    python main.py --help
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from core.cli import build_parser, data_dir_of, run

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None and not args.version and not args.self_test:
        from datetime import date

        from gui.app import run_gui

        return run_gui(data_dir_of(args), today=date.fromisoformat(args.today) if args.today else None)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
