#!/usr/bin/env python3
"""Make the three reports for a sample 市财政局 year and render their pages.

    python tools/report_samples.py                  # docs/screenshots/*.png
    python tools/report_samples.py --keep /tmp/s    # also keep the PDFs and the xlsx there

Needs poppler's pdftoppm; the ledger is rendered only when LibreOffice
(soffice) is installed (apt-get install libreoffice-calc-nogui): it converts
the xlsx to PDF with the workbook's own print settings.  Neither is needed
by Taizhang or its tests.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHOTS = ROOT / "docs" / "screenshots"
TODAY = date(2021, 12, 20)
DPI = 80


def sample_ledger(folder: Path):
    from core.ledger import Ledger

    ledger = Ledger.open(folder / "data")
    u = ledger.find_unit("市财政局")
    tid = ledger.task_id
    ledger.set_handler("王玥")
    rec = [
        (9, "2021-03-31", "3月31日在市政府门户网站“财政信息”专栏公开2021年地方政府债务限额、余额情况，同步推送至省级集中统一平台。",
         "http://www.dg.gov.cn/czj/gkmlpt/content/3/3612/post_3612345.html"),
        (9, "2021-09-01", "公开2021年新增专项债券发行、品种、期限、利率及偿还计划，发布解读1篇，阅读量2,316次。", None),
        (10, "2021-06-15", "会同市农业农村局梳理惠民惠农财政补贴项目28项，形成“一卡通”补贴政策清单并在门户网站公开。", None),
        (10, "2021-10-20", "指导32个镇街（园区）在村（社区）公示栏公开补贴发放信息，抽查公示率100％。", None),
        (11, "2021-11-05", "印发《关于推动补贴信息公开向村和社区延伸的通知》，明确各业务主管部门职责分工①②③。", None),
        (8, "2021-04-20", "组织42个部门在统一平台公开2021年部门预算及“三公”经费预算，公开率100％。", None),
        (29, "2021-11-30", "清理本局现行有效规范性文件12件，在政府信息公开专栏集中公开并建立动态更新机制。", None),
        (2, "2021-07-12", "修订《市财政局政务公开工作制度》，新增政府信息公开保密审查、属性认定等5项制度。", None),
        (1, "2021-02-26", "调整政务公开工作领导小组，由局党组成员、副局长陈喆同志分管，办公室具体负责。", None),
        (34, "2021-09-28", "梳理财政领域基层政务公开事项标准目录，完成初稿并征求镇街意见。", None),
    ]
    for n, d, text, link in rec:
        ledger.add_action(u.id, tid(n), text, d, link=link)
    # the records already made 10, 11 and 34 推进中; 已完成 takes the latest record's date
    for n, s in ((9, "已完成"), (8, "已完成"), (29, "已完成"), (2, "已完成"), (1, "已完成"), (43, "持续推进")):
        ledger.set_status(u.id, tid(n), s)
    ledger.set_division(u.id, tid(9), dept="债务管理科", person="李堃")
    ledger.set_division(u.id, tid(10), dept="农业农村科", person="黄燊")
    ledger.set_lookback(u.id, tid(10), problem="部分镇街公示不及时，补贴数据口径不统一。",
                        remedy="建立月度通报机制，统一补贴信息公示模板。", remedy_due="2022-03-31")
    ledger.set_lookback(u.id, tid(34), problem="标准目录需与省级目录衔接，征求意见时间较长。",
                        remedy="2022年1月底前完成目录定稿并印发。", remedy_due="2022-01-31")
    ledger.decide_related(u.id, tid(18), "confirmed")
    ledger.decide_related(u.id, tid(23), "dismissed")
    ev = folder / "evidence"
    ev.mkdir(exist_ok=True)
    for n, name in ((9, "2021年债务信息公开网页截图.png"), (10, "惠民惠农补贴公示抽查记录表.xlsx"),
                    (29, "规范性文件目录（2021年）.pdf")):
        p = ev / name
        p.write_bytes(name.encode("utf-8"))
        ledger.attach_file(u.id, tid(n), p)
    ledger.set_report_texts(
        u.id,
        summary="今年以来，我局认真贯彻落实国家、省、市政务公开工作部署，围绕财政预决算、政府债务、惠民惠农资金等"
                "重点领域，持续加大信息公开力度，全年主动公开政府信息1,208条，办理依申请公开6件，均在法定期限内答复。",
        problems="一是个别科室对政务公开工作重视不够，信息报送不及时；二是部分公开内容的规范性和解读深度有待提高。",
        next_steps="（一）深化财政信息公开\n进一步规范预决算、政府债务信息公开，提高公开的及时性和完整性。\n"
                   "（二）加强队伍建设\n组织政务公开业务培训，提升工作人员业务能力。")
    return ledger, u.id


def render_pdf(pdf: Path, out_png: Path, page: int) -> None:
    stem = out_png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", metavar="DIR", help="also keep the reports in DIR")
    args = ap.parse_args()
    from core.reports import build_report, default_filename

    SHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="taizhang-samples-") as tmp:
        tmp = Path(tmp)
        ledger, uid = sample_ledger(tmp)
        made = {}
        for kind in ("self", "lookback", "ledger"):
            out = tmp / default_filename(kind, "市财政局", 2021)
            res = build_report(kind, ledger, uid, out, today=TODAY)
            made[kind] = out
            print(f"{out.name}: {res.pages or '-'} 页")
            for w in res.warnings:
                print(f"  提示：{w}")
            for g in res.gaps:
                print(f"  待填写（{g.kind}）：{','.join(map(str, g.numbers)) or '-'}")
        ledger.close()
        render_pdf(made["self"], SHOTS / "self-report-p1.png", 1)
        render_pdf(made["self"], SHOTS / "self-report-p2.png", 2)
        render_pdf(made["self"], SHOTS / "self-report-p3.png", 3)
        render_pdf(made["lookback"], SHOTS / "lookback-p1.png", 1)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            conv = tmp / "conv"
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp / 'lo'}", "--convert-to",
                            "pdf", "--outdir", str(conv), str(made["ledger"])], check=True,
                           capture_output=True, timeout=180)
            render_pdf(conv / made["ledger"].with_suffix(".pdf").name, SHOTS / "ledger.png", 1)
        else:
            print("LibreOffice not installed: ledger.png not made")
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for p in made.values():
                shutil.copy2(p, keep / p.name)
    print(f"pages in {SHOTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
