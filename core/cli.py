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
from datetime import date
from pathlib import Path

from core import APP_TITLE, __version__
from core.datafolder import DataFolder
from core.errors import InputError, TaizhangError
from core.vocabulary import LEAD, REPORT_KINDS, STATUSES, format_cn_date

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

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


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="taizhang", description=f"{APP_TITLE}（台账）。不带命令时启动窗口。")
    p.add_argument("--data-dir", metavar="DIR", help="数据文件夹（默认为用户的应用数据文件夹，或环境变量 TAIZHANG_DATA）")
    p.add_argument("--version", action="store_true", help="显示版本号并退出")
    p.add_argument("--self-test", action="store_true", help="用临时数据自检后退出（检查安装包是否完整）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
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
    from core.supervise.cli import add_parsers

    add_parsers(sub)


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


def cmd_units(ledger, args) -> int:
    from core.units import KINDS, Unit, kind_key

    kind = None
    if args.kind is not None:
        kind = kind_key(args.kind)
        if kind is None:
            raise InputError(f"单位类别“{args.kind}”无效，应为：{'、'.join(KINDS.values())}。")
    if args.action and not args.name:
        raise InputError("请给出单位名称（units add）或文件（units import）。")
    if args.action == "add":
        if kind is None:
            raise InputError(f"请用 --kind 给出单位类别：{'、'.join(KINDS.values())}。")
        unit = Unit(id="", full_name=args.name, short_name=args.short or args.name, kind=kind,
                    aliases=tuple(args.alias or ()), has_admin=None if kind == "office" else True,
                    directory=args.directory or "")
        changes = ledger.save_unit(unit)
        _out(f"已添加{KINDS[kind]}“{unit.full_name}”。" + (f"{len(changes)} 处任务分工随之变化。" if changes else ""))
        return EXIT_OK
    if args.action == "import":
        from core.unit_list import read_unit_list

        units = read_unit_list(Path(args.name), kind or "municipal", args.directory or "")
        changes = ledger.add_units(units)
        _out(f"已导入 {len(units)} 个单位。" + (f"{len(changes)} 处任务分工随之变化。" if changes else ""))
        return EXIT_OK
    if args.kinds:
        if args.json:
            _out(json.dumps(KINDS, ensure_ascii=False, indent=1))
        else:
            _out("\n".join(f"{k:<10}{v}" for k, v in KINDS.items()))
        return EXIT_OK
    units = ledger.units()
    if args.json:
        _out(json.dumps([u.to_json() for u in units], ensure_ascii=False, indent=1))
        return EXIT_OK
    from core.units import KINDS
    for u in units:
        flag = "（已撤销）" if u.retired else ""
        aliases = f"  别名：{'、'.join(u.aliases)}" if u.aliases else ""
        _out(f"{KINDS[u.kind]:<6} {u.short_name:<12} {u.full_name}{flag}{aliases}")
    return EXIT_OK


def cmd_plans(ledger, args) -> int:
    if args.use:
        plan = ledger.set_current_plan(args.use)
        _out(f"当前方案：{plan['year']}年《{plan['title']}》。")
        return EXIT_OK
    if args.remove:
        plan = ledger.remove_plan(args.remove)
        _out(f"已删除《{plan['title']}》（在回收站中，可用 plans --restore 恢复）。")
        return EXIT_OK
    if args.restore:
        plan = ledger.restore_plan(args.restore)
        _out(f"已恢复《{plan['title']}》。")
        return EXIT_OK
    if args.edit:
        plan = ledger.edit_plan(args.edit, title=args.title, issuer=args.issuer,
                                issued_date=args.date if args.date is not None else "", year=args.year)
        _out(f"已修改：{plan['year']}年《{plan['title']}》（{plan['issuer'] or '发文单位未注明'}，"
             f"{format_cn_date(plan['issued_date']) or '日期未注明'}）。")
        return EXIT_OK
    plans = ledger.plans()
    current = ledger.current_plan()["id"] if plans else None
    if args.json:
        _out(json.dumps([{"id": p["id"], "title": p["title"], "year": p["year"], "issuer": p["issuer"],
                          "issued_date": p["issued_date"], "tasks": p["task_count"],
                          "current": p["id"] == current} for p in plans], ensure_ascii=False, indent=1))
        return EXIT_OK
    for p in plans:
        mark = "*" if p["id"] == current else " "
        _out(f"{mark} {p['year']}  {p['title']}（{p['issuer']}，{format_cn_date(p['issued_date'])}，{p['task_count']} 项）")
    for p in ledger.removed_plans():
        _out(f"  {p['year']}  {p['title']}（在回收站中）")
    return EXIT_OK


def _decisions(ledger, args) -> dict:
    from core.plan_life import ADD, MAP, NameDecision
    from core.units import KINDS, kind_key

    out = {}
    for item, action in [(m, MAP) for m in args.map] + [(a, ADD) for a in args.add]:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"“{item}”应写成 名称=单位（--map）或 名称=类别（--add）。")
        if action == MAP:
            out[name.strip()] = NameDecision(MAP, unit_id=ledger.find_unit(value.strip()).id)
        else:
            kind = kind_key(value)
            if kind is None:
                raise InputError(f"单位类别“{value}”无效，应为：{'、'.join(KINDS.values())}。")
            out[name.strip()] = NameDecision(ADD, kind=kind)
    return out


def cmd_import_plan(ledger, args) -> int:
    from core.ledger import LARGE_PLAN
    from core.plans.check import read_plan_file

    draft = read_plan_file(Path(args.file))
    if args.title:
        draft.title = args.title.strip()
    decisions = _decisions(ledger, args)
    if len(draft.tasks) > LARGE_PLAN and not args.yes:
        raise InputError(f"这个方案有 {len(draft.tasks)} 项任务（超过 {LARGE_PLAN} 项），请核对文件无误后加 --yes 导入。")
    if args.replace:
        preview = ledger.plan_replacement_preview(args.replace, draft)
        for line in preview.lines():
            _out(line)
        if not args.yes:
            _out("未替换。确认无误后加 --yes 替换。")
            return EXIT_OK
        res = ledger.replace_plan(args.replace, draft, Path(args.file).name, decisions)
        _out(f"已用《{res.title}》替换原方案（原方案在回收站中）：{res.categories} 类 {res.tasks} 项任务。")
    else:
        res = ledger.import_draft(draft, Path(args.file).name, decisions)
        _out(f"已导入《{res.title}》：{res.categories} 类 {res.tasks} 项任务。")
    if args.use:
        ledger.set_current_plan(res.plan_id)
        _out("已设为当前方案。")
    for w in res.warnings:
        print(f"提示：{w}", file=sys.stderr)
    if res.unresolved:
        _out("以下落实单位在名录中找不到，已保留在任务上，请在单位名录中补充：")
        for number, names in sorted(res.unresolved.items()):
            _out(f"  第{number}项：{'、'.join(names)}")
    for name, unit in res.uncertain.items():
        _out(f"“{name}”可能是东莞的“{unit}”，也可能是本地单位，未自动对应：可用 --map {name}={unit} 确认，或在单位名录中添加。")
    _offer_carry_over(ledger, res.plan_id)
    return EXIT_OK


def _offer_carry_over(ledger, plan_id: str) -> None:
    """Next year's plan: last year's unfinished tasks of my unit, for the new 回头看."""
    unit = ledger.my_unit()
    if unit is None:
        return
    prev, views = ledger.unfinished_last_year(unit.id, plan_id)
    if views:
        _out(f"{prev['year']}年方案中{unit.short_name}尚未完成的 {len(views)} 项任务可纳入今年的回头看："
             + "、".join(f"第{v.number}项" for v in views[:20]) + ("等" if len(views) > 20 else "")
             + f"（report lookback --plan {prev['year']} 生成核查清单）。")


def cmd_check_plan(args) -> int:
    """import-plan --check: read the plan and show what an import would give; write nothing
    (the data folder is only read, and not even created when it does not exist)."""
    from core.plans.check import draft_report, read_plan_file

    draft = read_plan_file(Path(args.file))
    report = draft_report(draft, _directory_for_check(data_dir_of(args)))
    if args.json:
        _out(json.dumps(report, ensure_ascii=False, indent=1))
        return EXIT_OK
    from core.vocabulary import role_label

    date_text = f"，{format_cn_date(report['issued_date'])}" if report["issued_date"] else ""
    _out(f"《{report['title']}》（{report['issuer'] or '发文单位未注明'}{date_text}）：{report['year']} 年度，"
         f"{len(report['categories'])} 类 {len(report['tasks'])} 项任务。未导入。")
    for t in report["tasks"]:
        units = "、".join(f"{u['name']}（{role_label(u['role'])}）" for u in t["units"]) or "（无）"
        _out(f"{t['number']:>3}. [{t['category']}] {t['text'][:40]}  时限：{t['deadline'] or '无'}  单位：{units}")
    if report["unknown"]:
        _out("名录中找不到的单位：" + "、".join(report["unknown"]))
    for u in report["uncertain"]:
        _out(f"不确定的单位：“{u['name']}”可能是东莞的“{u['candidate']}”，导入时请确认")
    for w in report["warnings"]:
        _out(f"提示：{w}")
    return EXIT_OK


def _directory_for_check(data_dir: Path):
    """The unit directory of an existing data folder, read only; else the embedded one."""
    import sqlite3

    from core.datafolder import DataFolder
    from core.paths import resource_path
    from core.units import UnitDirectory, load_directory_file

    db = DataFolder(data_dir).store
    if db.is_file():
        from core.ledger import Ledger
        from db.store import Store

        # read only; "immutable" when no write-ahead log is open, so that not even a -shm file is made
        wal = db.with_name(db.name + "-wal").exists()
        try:
            conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro{'' if wal else '&immutable=1'}", uri=True)
            conn.row_factory = sqlite3.Row
            try:
                directory = Ledger(Store(conn, None)).directory()
            finally:
                conn.close()
            if directory.units:
                return directory
        except (sqlite3.Error, KeyError, ValueError, TypeError):
            pass  # an older or damaged store: the embedded directory will do for a check
    return UnitDirectory(load_directory_file(resource_path("units.json")))


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
    from core.supervise.cli import SUPERVISOR_REPORTS, cmd_supervisor_report

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


def _progress_line(label: str):
    """progress(done, total) for a terminal: a percentage on one line, if stderr is one."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        print(f"\r{label} {100 * done // max(total, 1):3d}%", end="", file=sys.stderr, flush=True)
    return progress


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

from core.supervise.cli import COMMANDS as _SUPERVISOR_COMMANDS  # noqa: E402  (package, supervise, rollup, score)

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
