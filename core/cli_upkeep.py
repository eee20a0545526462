"""The command line's upkeep of the data folder: backup, restore, 清空回收站, 清理未用文件."""

from __future__ import annotations

import sys
from pathlib import Path

from core.cli_common import EXIT_OK, _out, _progress_line, _unit_and_plan, folder_of


def cmd_backup(ledger, args) -> int:
    from core.backup import describe

    result = ledger.backup_to(Path(args.out).expanduser(), progress=_progress_line("正在备份"))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    _out(describe(result))
    return EXIT_OK


def cmd_restore(args) -> int:
    from core.backup import restore
    from core.ledger import Ledger

    folder = folder_of(args)
    result = restore(Path(args.file).expanduser(), folder, progress=_progress_line("正在恢复"))
    ledger = Ledger.open(folder)  # upgrades an older copy and checks it opens
    ledger.close()
    kept = f"原有数据已移到“{result.kept}”保留。" if result.kept else ""
    files = f"，{result.files} 个佐证材料" if result.files else ""
    _out(f"已从备份恢复：{result.records} 条记录{files}。{kept}")
    return EXIT_OK


def cmd_empty_bin(ledger, args) -> int:
    from core.attachments import human_size

    unit, plan_id = _unit_and_plan(ledger, args)
    freed = ledger.empty_recycle_bin(unit.id, plan_id)
    _out(f"已清空{unit.short_name}的回收站：永久删除 {freed.count} 项，释放 {human_size(freed.bytes)}。")
    return EXIT_OK


def cmd_clean(ledger, args) -> int:
    from core.attachments import human_size

    freed = ledger.collect_unused_files()
    _out(f"已清理未用文件 {freed.count} 个，释放 {human_size(freed.bytes)}。")
    return EXIT_OK
