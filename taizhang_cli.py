"""taizhang-cli: the bundle's console program. It never loads Qt.

    taizhang-cli --data-dir DIR tasks --unit 市财政局 --json
    taizhang-cli --version | --self-test

pyinstaller.spec builds it from an Analysis of its own, without PySide6
(PyInstaller's PySide6 runtime hook would otherwise load QtCore, ICU and glib
on every start). Asked for the window (no command), it starts the bundle's
window program beside it, with the same arguments.
"""

import os
import sys


def window_program() -> str:
    from core import APP_ID
    from core.paths import executable_dir

    return str(executable_dir() / (APP_ID + (".exe" if os.name == "nt" else "")))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--version"]:
        # answered before the command line's modules are imported (the same line
        # as core.cli.run prints for --version; bench/bench_cli.py times it)
        from core import APP_TITLE, __version__

        try:
            sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
        print(f"{APP_TITLE}（台账）{__version__}")
        return 0
    from core.cli import build_parser, run

    args = build_parser().parse_args(argv)
    if args.command is None and not args.version and not args.self_test:
        from core.paths import is_frozen

        if not is_frozen():  # from source: the window is in this interpreter's reach
            import main as window_main

            return window_main.main(argv)
        import subprocess  # (not at the top: --version answers without it)

        return subprocess.call([window_program(), *argv])
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
