"""The command line of packages and the supervising office (wired by core/cli.py).

    package export --unit U --out FILE|DIR [--no-files] [--plan P]   上报包 (.tzbg)
    package export-plan --out FILE|DIR [--plan P]                     方案包 (.tzfa)
    package import FILE|DIR … [--replace]                             either kind; a folder or stick searched
    supervise --unit 市政府办公室 [--due YYYY-MM-DD]                   make this data folder the office's
    rollup [--json] [--plan P]                                        units × tasks, per unit facts
    score [--json] [--set KEY=N …] [--deduct UNIT POINTS REASON]      考评 with its parts, ranking
    export rollup --out F.xlsx | report bulletin|reminders --out F.pdf
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.cli_common import EXIT_ERROR, EXIT_OK, _today
from core.errors import InputError
from core.vocabulary import LIGHT_LABELS

SUPERVISOR_REPORTS = {"bulletin": "通报", "reminders": "催办单", "rollup": "汇总表"}


def add_parsers(sub) -> None:
    pk = sub.add_parser("package", help="上报包、方案包：export 生成上报包，export-plan 生成方案包，import 导入")
    acts = pk.add_subparsers(dest="action", metavar="操作", parser_class=type(pk))
    ex = acts.add_parser("export", help="生成本单位的上报包（.tzbg）")
    ex.add_argument("--unit", required=True, metavar="单位", help="本单位")
    ex.add_argument("--out", required=True, metavar="FILE", help="保存为（文件或文件夹，如U盘）")
    ex.add_argument("--no-files", action="store_true", help="不附佐证材料文件")
    ex.add_argument("--plan", metavar="方案")
    ep = acts.add_parser("export-plan", help="生成方案包（.tzfa），供各单位导入同一方案")
    ep.add_argument("--out", required=True, metavar="FILE", help="保存为（文件或文件夹）")
    ep.add_argument("--plan", metavar="方案")
    im = acts.add_parser("import", help="导入上报包或方案包（文件、文件夹或整个U盘）")
    im.add_argument("files", nargs="+", metavar="文件", help="上报包或方案包文件、文件夹或U盘")
    im.add_argument("--replace", action="store_true", help="同一单位来自另一台电脑的上报包也导入（替换）")
    pk.set_defaults(action=None)

    sv = sub.add_parser("supervise", help="把本数据文件夹设为汇总单位（市政府办公室、政务公开办）使用")
    sv.add_argument("--unit", required=True, metavar="单位", help="汇总单位，例如 市政府办公室")
    sv.add_argument("--due", metavar="YYYY-MM-DD", help="上报包的报送截止日期（考评“按时上报”）")

    ru = sub.add_parser("rollup", help="汇总：各单位各任务的进展")
    ru.add_argument("--json", action="store_true", help="以 JSON 输出")
    ru.add_argument("--plan", metavar="方案")

    sc = sub.add_parser("score", help="考评：各单位得分及其构成、排名")
    sc.add_argument("--json", action="store_true", help="以 JSON 输出")
    sc.add_argument("--set", nargs="+", metavar="项=分值",
                    help="修改满分：completion（完成率）timeliness（时效）evidence（佐证）package（按时上报）")
    sc.add_argument("--deduct", nargs=3, metavar=("单位", "分值", "原因"), help="对某单位扣分并写明原因")
    sc.add_argument("--plan", metavar="方案")


def _plan_id(ledger, args):
    return ledger.find_plan(args.plan)["id"] if getattr(args, "plan", None) else None


def cmd_package(ledger, args) -> int:
    if args.action is None:
        raise InputError("请指明操作：package export、package export-plan 或 package import。")
    if args.action == "import":
        return _import(ledger, args)
    out = Path(args.out).expanduser()
    if args.action == "export-plan":
        from core.exchange.plan_package import export_plan_package
        path = export_plan_package(ledger, out, _plan_id(ledger, args))
        print(f"已生成方案包：{path}。")
        return EXIT_OK
    from core import attachments
    from core.exchange.package import export_package

    unit = ledger.find_unit(args.unit)
    res = export_package(ledger, unit.id, out, with_files=not args.no_files, plan_id=_plan_id(ledger, args),
                         today=_today(args))
    files = (f"，含 {res.files} 个佐证材料（{attachments.human_size(res.files_size)}）" if not args.no_files
             else "，不含佐证材料文件")
    print(f"已生成{unit.short_name}上报包（第{res.sequence}号）：{res.path}，{attachments.human_size(res.size)}{files}。")
    for w in res.warnings:
        print(f"提示：{w}", file=sys.stderr)
    return EXIT_OK


def _import(ledger, args) -> int:
    from core.exchange.importer import ASK, REFUSED, import_packages

    summary = import_packages(ledger, [Path(f).expanduser() for f in args.files], replace=args.replace)
    for o in summary.outcomes:
        stream = sys.stderr if o.status in (REFUSED, ASK) else sys.stdout
        print(f"{o.path.name}：{o.message}", file=stream)
    bad = summary.count(REFUSED, ASK)
    print(f"共 {len(summary.outcomes)} 个文件：导入或更新 {sum(o.changed for o in summary.outcomes)} 个"
          + (f"，未导入 {bad} 个" if bad else "") + "。")
    return EXIT_ERROR if bad else EXIT_OK


def cmd_supervise(ledger, args) -> int:
    from core.supervise import make_supervisor, package_due

    unit = make_supervisor(ledger, args.unit, package_due=args.due)
    due = package_due(ledger, ledger.current_plan())
    print(f"本数据文件夹已设为汇总单位（{unit.full_name}）使用；上报包报送截止日期：{due.isoformat()}。")
    return EXIT_OK


def _rollup(ledger, args):
    from core.supervise import require_supervisor
    from core.supervise.rollup import build_rollup

    require_supervisor(ledger)
    return build_rollup(ledger, _plan_id(ledger, args), _today(args))


def cmd_rollup(ledger, args) -> int:
    r = _rollup(ledger, args)
    if args.json:
        print(json.dumps(r.to_json(), ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"《{r.plan['title']}》汇总（{r.today.isoformat()}）：{len(r.units)} 个单位，"
          f"已上报 {len(r.reported)} 个，未上报 {len(r.never_reported)} 个。")
    for u in r.units:
        last = u.last_package[:10] if u.last_package else "未上报"
        print(f"{u.name:<10} 任务 {u.tasks:>3}  完成 {u.done:>3}（{u.completion:.0%}）  逾期 {u.overdue:>2}  "
              f"佐证 {u.evidence:>3}  上报包 {last}")
        if u.overdue:
            red = [str(t.number) for t, c in r.unit_items(u.unit_id) if LIGHT_LABELS[c.light] == "红"]
            print(f"{'':<10} 逾期任务：第{'、'.join(red)}项")
    if r.never_reported:
        print("从未上报：" + "、".join(u.name for u in r.never_reported))
    return EXIT_OK


def cmd_score(ledger, args) -> int:
    from core.supervise import scoring

    if args.set:
        changes = {}
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                raise InputError(f"“{item}”应写成 项=分值，例如 completion=40。")
            changes[key.strip()] = value.strip()
        scoring.set_weights(ledger, changes)
    if args.deduct:
        name, points, reason = args.deduct
        scoring.add_deduction(ledger, ledger.find_unit(name).id, points, reason)
    r = _rollup(ledger, args)
    scores = scoring.score_rollup(ledger, r)
    w = scoring.weights(ledger)
    if args.json:
        print(json.dumps({"weights": w, "scores": [s.to_json() for s in scores]}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print("满分：" + "，".join(f"{scoring.PART_WORDS[k]} {v:g}" for k, v in w.items()))
    for s in scores:
        p = s.parts
        print(f"{s.rank:>3}. {s.name:<10} {s.total:6.2f} 分 = 完成率 {p['completion']:g} + 时效 {p['timeliness']:g}"
              f" + 佐证 {p['evidence']:g} + 按时上报 {p['package']:g}" + (f" − 扣分 {p['deductions']:g}" if p['deductions'] else ""))
        for reason in s.reasons:
            print(f"       {reason}")
    return EXIT_OK


def cmd_supervisor_report(ledger, args) -> int:
    """report bulletin|reminders and export rollup."""
    out = Path(args.out).expanduser()
    r = _rollup(ledger, args)
    if args.kind == "rollup":
        from core.reports.rollup_xlsx import build_rollup_xlsx as build
    elif args.kind == "bulletin":
        from core.reports.bulletin import build_bulletin as build
    else:
        from core.reports.reminders import build_reminders as build
    result = build(ledger, r, out)
    pages = f"，共 {result.pages} 页" if result.pages else ""
    print(f"已生成{SUPERVISOR_REPORTS[args.kind]}：{result.path}{pages}。")
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"package": cmd_package, "supervise": cmd_supervise, "rollup": cmd_rollup, "score": cmd_score}
