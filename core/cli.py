"""The command line: the same services as the window, for scripts and tests.

    python main.py [--data-dir DIR] tasks --unit NAME [--json] [--all]
    python main.py [--data-dir DIR] record --unit NAME --task N --text TEXT ...
    python main.py [--data-dir DIR] units [--json] [--kinds] | units add NAME --kind K [--alias A …] | units import FILE
    python main.py [--data-dir DIR] plans [--json] [--use P | --remove P | --restore P | --edit P --title T …]
    python main.py [--data-dir DIR] import-plan FILE [--check] [--json] [--title T] [--use] [--yes]
                   [--map NAME=UNIT …] [--add NAME=KIND …] [--replace PLAN]
    python main.py [--data-dir DIR] search --unit NAME WORDS
    python main.py [--data-dir DIR] report self|lookback --unit NAME --out FILE.pdf
    python main.py [--data-dir DIR] export ledger --unit NAME --out FILE.xlsx
    python main.py [--data-dir DIR] backup --out FILE.zip | restore FILE
    python main.py [--data-dir DIR] empty-bin --unit NAME | clean
    python main.py [--data-dir DIR] package export|export-plan|import …   (core/supervise/cli.py)
    python main.py [--data-dir DIR] supervise | rollup | score …          the supervising office's desk
    python main.py [--data-dir DIR] report bulletin|reminders --out F.pdf | export rollup --out F.xlsx
    python main.py --version | --self-test

Bad input prints one Chinese line on stderr, exits 1 and writes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core import APP_TITLE, __version__
from core.cli_common import (  # noqa: F401  (main.py: data_dir_of; tests: the exit codes)
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    _out,
    _today,
    _unit_and_plan,
    data_dir_of,
    folder_of,
)
from core.cli_plans import cmd_check_plan, cmd_import_plan, cmd_plans, cmd_units
from core.cli_upkeep import cmd_backup, cmd_clean, cmd_empty_bin, cmd_restore
from core.datafolder import DataFolder
from core.errors import TaizhangError
from core.supervise.cli import (
    COMMANDS as _SUPERVISOR_COMMANDS,  # package, supervise, rollup, score
)
from core.supervise.cli import SUPERVISOR_REPORTS, add_parsers, cmd_supervisor_report
from core.vocabulary import LEAD, REPORT_KINDS, STATUSES, format_cn_date

# argparse's own words, in Chinese.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
}


def _zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message)


@contextlib.contextmanager
def _chinese_argparse() -> Iterator[None]:
    """argparse looks its messages up through the module's ``_``; it says them in
    Chinese only while our own parser is being built, parses or formats, so
    another parser in the same process (the GUI run, a library) is left alone."""
    saved = argparse._  # type: ignore[attr-defined]
    argparse._ = _zh  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese (see _chinese_argparse)."""

    def __init__(self, *args, **kwargs):
        with _chinese_argparse():  # the group titles and -h's help are looked up here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese_argparse():
            return super().format_help()

    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"错误：{message}\n")


def _today_arg(text: str) -> str:
    """--today's type: the date checked when parsed (a usage error, not a traceback
    in the window), kept as typed for _today (core.tasks.parse_user_date)."""
    from core.tasks import parse_user_date

    if not text:  # --today "": no date given, today's (as before)
        return text
    try:
        parse_user_date(text)
    except TaizhangError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="taizhang", description=f"{APP_TITLE}（台账）。不带命令时启动窗口。")
    p.add_argument("--data-dir", metavar="DIR", help="数据文件夹（默认为用户的应用数据文件夹，或环境变量 TAIZHANG_DATA）")
    p.add_argument("--version", action="store_true", help="显示版本号并退出")
    p.add_argument("--self-test", action="store_true", help="用临时数据自检后退出（检查安装包是否完整）")
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_today_arg, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    t = sub.add_parser("tasks", help="列出某单位的任务")
    t.add_argument("--unit", required=True, metavar="单位", help="单位全称、简称或别名")
    t.add_argument("--json", action="store_true", help="以 JSON 输出")
    t.add_argument("--all", action="store_true", help="包括未分配给该单位的任务")
    t.add_argument("--plan", metavar="方案", help="方案年度或标题（默认当前方案）")

    r = sub.add_parser("record", help="记录一条工作进展")
    r.add_argument("--unit", required=True, metavar="单位")
    r.add_argument("--task", required=True, metavar="N", help="任务序号")
    r.add_argument("--text", required=True, metavar="内容", help="做了什么")
    r.add_argument("--date", metavar="YYYY-MM-DD", help="日期（默认今天）")
    r.add_argument("--handler", metavar="经办人")
    r.add_argument("--link", metavar="URL", help="公开链接")
    r.add_argument("--attach", nargs="+", metavar="FILE", help="佐证材料文件")
    r.add_argument("--status", metavar="状态", help=f"同时把任务状态设为：{'、'.join(STATUSES)}")
    r.add_argument("--plan", metavar="方案")

    u = sub.add_parser("units", help="列出单位名录；units add 添加单位；units import 从文件导入单位")
    u.add_argument("action", nargs="?", choices=["add", "import"], metavar="操作", help="add（添加）或 import（导入）")
    u.add_argument("name", nargs="?", metavar="名称或文件", help="add：单位名称；import：.xlsx .csv .txt 文件")
    u.add_argument("--kind", metavar="类别", help="镇街园区、市直单位、垂直管理单位、科室（或 town/municipal/vertical/office）")
    u.add_argument("--alias", nargs="+", metavar="别名", help="add：单位的其他名称")
    u.add_argument("--short", metavar="简称")
    u.add_argument("--directory", metavar="所属", help="科室所属的单位（该单位自己的方案中的科室）")
    u.add_argument("--kinds", action="store_true", help="列出单位类别")
    u.add_argument("--json", action="store_true", help="以 JSON 输出")

    pl = sub.add_parser("plans", help="列出、切换、修改、删除（进回收站）和恢复工作方案")
    pl.add_argument("--json", action="store_true", help="以 JSON 输出")
    g = pl.add_mutually_exclusive_group()
    g.add_argument("--use", metavar="方案", help="设为当前方案（年度、标题或编号）")
    g.add_argument("--remove", metavar="方案", help="删除方案（进回收站，可恢复）")
    g.add_argument("--restore", metavar="方案", help="从回收站恢复方案")
    g.add_argument("--edit", metavar="方案", help="修改方案的标题、发文单位、成文日期或年度")
    pl.add_argument("--title", metavar="标题")
    pl.add_argument("--issuer", metavar="发文单位")
    pl.add_argument("--date", metavar="YYYY-MM-DD", help="成文日期")
    pl.add_argument("--year", metavar="年度")

    ip = sub.add_parser("import-plan", help="导入一个工作方案（Word、Excel、网页、CSV、PDF 或表格文本）")
    ip.add_argument("file", metavar="文件", help=".docx .xlsx .xls .html .csv .txt .pdf")
    ip.add_argument("--check", action="store_true", help="只读取并显示结果，不导入、不写入任何内容")
    ip.add_argument("--json", action="store_true", help="与 --check 同用：以 JSON 输出")
    ip.add_argument("--title", metavar="标题", help="方案标题（代替读出的标题）")
    ip.add_argument("--use", action="store_true", help="导入后设为当前方案")
    ip.add_argument("--yes", action="store_true", help="确认导入任务数很多的方案，或确认替换")
    ip.add_argument("--map", nargs="+", default=[], metavar="名称=单位", help="把方案中的名称对应到名录中的单位（名称保留为别名）")
    ip.add_argument("--add", nargs="+", default=[], metavar="名称=类别", help="把方案中的名称作为新单位添加（类别如“科室”）")
    ip.add_argument("--replace", metavar="方案", help="用本文件替换已导入的方案（先列出变化，加 --yes 才替换）")

    s = sub.add_parser("search", help="在任务要求和进展记录中查找")
    s.add_argument("--unit", required=True, metavar="单位")
    s.add_argument("words", nargs="+", metavar="词")
    s.add_argument("--json", action="store_true", help="以 JSON 输出")
    s.add_argument("--plan", metavar="方案")
    rp = sub.add_parser("report", help="生成 PDF 报告：self 年度自查报告，lookback 回头看核查清单；汇总单位：bulletin 通报，reminders 催办单")
    rp.add_argument("kind", choices=["self", "lookback", "bulletin", "reminders"], metavar="类型",
                    help="self（年度自查报告）、lookback（回头看核查清单）、bulletin（通报）或 reminders（催办单）")
    rp.add_argument("--unit", metavar="单位", help="self、lookback：哪个单位（必填）")
    rp.add_argument("--out", required=True, metavar="FILE.pdf", help="保存为（.pdf）")
    rp.add_argument("--plan", metavar="方案")

    ex = sub.add_parser("export", help="导出 Excel：ledger 工作台账；汇总单位：rollup 汇总表")
    ex.add_argument("kind", choices=["ledger", "rollup"], metavar="类型", help="ledger（工作台账）或 rollup（汇总表）")
    ex.add_argument("--unit", metavar="单位", help="ledger：哪个单位（必填）")
    ex.add_argument("--out", required=True, metavar="FILE.xlsx", help="保存为（.xlsx）")
    ex.add_argument("--plan", metavar="方案")

    bk = sub.add_parser("backup", help="把整个数据文件夹（数据文件和佐证材料）备份为一个经过核对的压缩包")
    bk.add_argument("--out", required=True, metavar="FILE.zip", help="保存为（例如 U 盘上的 台账备份.zip）")

    rs = sub.add_parser("restore", help="从备份恢复（备份压缩包，或 backups 文件夹中的 .db 文件）；"
                                        "原有数据先移到 backups 中保留")
    rs.add_argument("file", metavar="备份文件")

    eb = sub.add_parser("empty-bin", help="清空回收站：永久删除某单位回收站中的记录和文件")
    eb.add_argument("--unit", required=True, metavar="单位")
    eb.add_argument("--plan", metavar="方案", help="只清空该方案的（默认所有方案）")

    sub.add_parser("clean", help="清理未用文件：没有任何记录使用的佐证材料文件和遗留的临时文件")

    _add_supervisor_parsers(sub)
    return p


def _add_supervisor_parsers(sub) -> None:
    """package, supervise, rollup, score: core/supervise/cli.py."""
    add_parsers(sub)


def cmd_tasks(ledger, args) -> int:
    unit, plan_id = _unit_and_plan(ledger, args)
    views = ledger.tasks(unit.id, plan_id=plan_id, today=_today(args), include_all=args.all)
    if args.json:
        _out(json.dumps([v.to_json() for v in views], ensure_ascii=False, indent=1))
        return EXIT_OK
    _out(f"{unit.full_name}：共 {sum(v.role is not None for v in views)} 项任务")
    for v in views:
        _out(f"{v.number:>3}  {v.role_label or '—':<6} {v.status:<4} [{v.light_label}] 时限：{v.deadline_text}  {v.text[:30]}")
    return EXIT_OK


def cmd_record(ledger, args) -> int:
    unit, plan_id = _unit_and_plan(ledger, args)
    task_id = ledger.task_id(args.task, plan_id)
    action = ledger.record(unit.id, task_id, args.text, action_date=args.date, handler=args.handler,
                           link=args.link, attach=[Path(a) for a in args.attach or []], status=args.status)
    extra = f"，附 {len(args.attach)} 个佐证材料" if args.attach else ""
    _out(f"已记录：{unit.short_name} 第{args.task}项任务，{format_cn_date(action['action_date'])}{extra}。")
    if action["status_changed_from"]:
        _out(f"状态由“{action['status_changed_from']}”改为“{action['status']}”。")
    return EXIT_OK


def cmd_search(ledger, args) -> int:
    unit, plan_id = _unit_and_plan(ledger, args)
    numbers = ledger.search(unit.id, " ".join(args.words), plan_id)
    if args.json:
        _out(json.dumps(numbers))
    else:
        _out(f"找到 {len(numbers)} 项任务：" + "、".join(str(n) for n in numbers))
    return EXIT_OK


def cmd_report(ledger, args) -> int:
    """report self|lookback and export ledger: write the file safely, then say where."""
    from core.reports import build_report

    if args.kind in SUPERVISOR_REPORTS:
        return cmd_supervisor_report(ledger, args)
    if not args.unit:  # required for a unit's reports (the office's need none)
        print(f"错误：缺少必需的参数：--unit（{args.kind} 需要指定单位）", file=sys.stderr)
        return EXIT_USAGE
    unit, plan_id = _unit_and_plan(ledger, args)
    out = Path(args.out).expanduser()
    result = build_report(args.kind, ledger, unit.id, out, plan_id=plan_id, today=_today(args))
    pages = f"，共 {result.pages} 页" if result.pages else ""
    _out(f"已生成{unit.short_name}{REPORT_KINDS[args.kind][0]}：{result.path}{pages}。")
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"tasks": cmd_tasks, "record": cmd_record, "units": cmd_units, "plans": cmd_plans,
            "import-plan": cmd_import_plan, "search": cmd_search, "report": cmd_report, "export": cmd_report,
            "backup": cmd_backup, "empty-bin": cmd_empty_bin, "clean": cmd_clean}

# Arguments that are text the clerk typed (paths may be any bytes the system allows).
_TEXT_ARGS = {"unit": "--unit", "text": "--text", "handler": "--handler", "link": "--link", "status": "--status",
              "plan": "--plan", "task": "--task", "words": "查找的词", "date": "--date", "today": "--today"}


def _check_text_args(args) -> None:
    """Invalid UTF-8 in an argument reaches Python as lone surrogates; say so in Chinese."""
    from core.errors import InputError

    for key, label in _TEXT_ARGS.items():
        value = getattr(args, key, None)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError:
                    raise InputError(f"参数 {label} 中有无法识别的字符（不是有效的 UTF-8 文本）。"
                                     "请检查终端的编码设置（应为 UTF-8）后重新输入。") from None

COMMANDS.update(_SUPERVISOR_COMMANDS)


def self_test() -> int:
    """Open a temporary store, load the embedded plan, list a unit's tasks."""
    from core.ledger import Ledger
    from core.paths import is_frozen, resource_path

    with tempfile.TemporaryDirectory(prefix="taizhang-selftest-") as tmp:
        ledger = Ledger.open(DataFolder(tmp))
        try:
            plan = ledger.current_plan()
            unit = ledger.find_unit("市财政局")
            tasks = ledger.tasks(unit.id)
            lead = [t.number for t in tasks if t.role == LEAD]
            ok = plan["year"] == 2021 and len(tasks) > 0 and lead == [9, 10, 11]
            _out(f"{APP_TITLE} {__version__}（{'安装包' if is_frozen() else '源代码'}）")
            _out(f"资源文件夹：{resource_path()}")
            _out(f"方案：《{plan['title']}》，{plan['task_count']} 项任务")
            _out(f"{unit.short_name}：{len(tasks)} 项任务，牵头 {lead}")
        finally:
            ledger.close()
    ok = _self_test_fonts() and ok
    try:
        import _rl_accel  # noqa: F401  (reportlab's C accelerator, requirements.txt)

        _out("报表加速模块：已启用")
    except ImportError:  # reports still come out, more slowly
        _out("报表加速模块：未安装（报表照常生成，只是较慢）")
    _out("自检通过。" if ok else "自检失败：内置方案的内容与预期不符。")
    return EXIT_OK if ok else EXIT_ERROR


def _self_test_fonts() -> bool:
    """The bundled report fonts load and draw a sample of what clerks type."""
    sample = "政务公开工作台账堃玥喆珺燊ABCxyz0123①％，。（）《》"
    try:
        from core.pdf_fonts import missing_chars, register_fonts

        fonts = register_fonts(prefer_windows=False)
        lost = missing_chars(sample, fonts)
    except Exception as exc:  # a missing or unreadable font file
        _out(f"报表字体无法加载：{exc}")
        return False
    if lost:
        _out(f"报表字体缺字：{''.join(sorted(lost))}")
        return False
    _out(f"报表字体：{len(fonts.names())} 种，可用")
    return True


def _utf8_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def run(args: argparse.Namespace) -> int:
    """Run a parsed command line that is not the GUI."""
    _utf8_stdio()
    if args.version:
        _out(f"{APP_TITLE}（台账）{__version__}")
        return EXIT_OK
    try:
        if args.self_test:
            return self_test()
        _check_text_args(args)
        if args.command == "import-plan" and args.check:
            return cmd_check_plan(args)
        if args.command == "restore":
            return cmd_restore(args)
        from core.ledger import Ledger

        handler = COMMANDS[args.command]
        ledger = Ledger.open(folder_of(args))
        try:
            for warning in ledger.warnings:
                print(f"提示：{warning}", file=sys.stderr)
            return handler(ledger, args)
        finally:
            ledger.close()
    except TaizhangError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return EXIT_OK
    except Exception:
        import logging
        import traceback

        log = _internal_error_log(args)
        logging.getLogger("taizhang").exception("命令行内部错误")
        print(f"程序内部错误，操作未完成。详细信息{'已写入 ' + str(log) if log else '如下'}：", file=sys.stderr)
        if log is None:
            traceback.print_exc()
        return EXIT_INTERNAL


def _internal_error_log(args) -> Path | None:
    """Write the traceback to logs/taizhang.log in the data folder, if it can be."""
    import logging

    try:
        path = folder_of(args).log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("taizhang").addHandler(handler)
        return path
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(args)
