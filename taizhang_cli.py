"""taizhang-cli: the bundle's console program. It never loads Qt.

    taizhang-cli --data-dir DIR tasks --unit 市财政局 --json
    taizhang-cli --version | --self-test

pyinstaller.spec builds it from an Analysis of its own, without PySide6
(PyInstaller's PySide6 runtime hook would otherwise load QtCore, ICU and glib
on every start). Asked for the window (no command), it starts the bundle's
window program beside it, with the same arguments.
"""

from __future__ import annotations

import os
import subprocess
import sys


def window_program() -> str:
    from core import APP_ID
    from core.paths import executable_dir

    return str(executable_dir() / (APP_ID + (".exe" if os.name == "nt" else "")))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from core.cli import build_parser, run

    args = build_parser().parse_args(argv)
    if args.command is None and not args.version and not args.self_test:
        from core.paths import is_frozen

        if not is_frozen():  # from source: the window is in this interpreter's reach
            import main as window_main

            return window_main.main(argv)
        return subprocess.call([window_program(), *argv])
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
