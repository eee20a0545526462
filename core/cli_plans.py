"""The command line's plans and units: list, use, edit, remove and restore plans;
import a plan (or only check it); add units, import a unit list."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.cli_common import EXIT_OK, _out, data_dir_of
from core.errors import InputError
from core.vocabulary import format_cn_date


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
    from core.plan_life import LARGE_PLAN
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
