"""The report contract (core/reports/__init__.py), the shared wording, and
``populate``: a 市财政局 ledger the other report tests build on."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT

TODAY = date(2021, 12, 20)
UNIT = "市财政局"
UNIT_FULL = "东莞市财政局"
# Facts of the seed plan for 市财政局 (checked against the plan text by hand):
ALL_40 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
          29, 30, 32, 34, 36, 37, 38, 41, 42, 43, 44, 49, 50]
PENDING = [18, 23, 32, 41]  # related: 有关单位 / 市直相关单位 / 开设网站的… / …等单位
ACCEPTED = [n for n in ALL_40 if n not in PENDING]  # 36
LEAD = [9, 10, 11]
RARE = "堃玥喆珺燊"
SPECIAL = "ABC xyz 0123456789，。；：？！“”（）《》①％"
# What populate() records
ACTION_9A = f"在门户网站公开债务限额、余额信息①，完成率100％（经办：张{RARE[0]}）"
ACTION_9B = f"=SUM(A1:A3) 核对{RARE}提交的数据 ABC xyz 0123456789，。；：？！“”（）《》"
ACTION_10 = "+惠民惠农补贴“一卡通”信息在村（社区）公示栏公开"
ACTION_29 = "-清理规范性文件12件，公开目录"
ACTION_34 = "@推进基层政务公开标准化，已起草目录初稿"
SUMMARY = f"我局成立政务公开工作领导小组，{RARE}等同志具体负责。{SPECIAL}"
PROBLEMS = "一是部分科室重视不够；二是公开内容的规范性有待提高。"
NEXT_STEPS = "下一步，我局将继续深化财政信息公开，提高公开质量。"
PROBLEM_10 = "部分镇街公示不及时，数据口径不统一。"
REMEDY_10 = "=建立月度通报机制"


def populate(ledger, tmp_path: Path | None = None, decide: bool = False) -> str:
    """Record a year's work for 市财政局; returns its unit id.

    decide=True confirms task 18 and dismisses task 23 (32 and 41 stay pending).
    """
    u = ledger.find_unit(UNIT)
    tid = ledger.task_id
    ledger.set_handler(f"王{RARE[1]}")
    ledger.add_action(u.id, tid(9), ACTION_9A, "2021-09-01", link="http://www.dg.gov.cn/czj/zfzq/post_3612345.html")
    ledger.add_action(u.id, tid(9), ACTION_9B, "2021-10-15")
    ledger.add_action(u.id, tid(10), ACTION_10, "2021-08-20")
    ledger.add_action(u.id, tid(29), ACTION_29, "2021-11-30")
    ledger.add_action(u.id, tid(34), ACTION_34, "2021-09-09")
    ledger.set_status(u.id, tid(9), "已完成")
    ledger.set_status(u.id, tid(43), "持续推进")
    ledger.set_status(u.id, tid(10), "推进中")
    ledger.set_status(u.id, tid(29), "已完成")
    ledger.set_lookback(u.id, tid(10), problem=PROBLEM_10, remedy=REMEDY_10, remedy_due="2022-03-31")
    ledger.set_division(u.id, tid(9), dept="=预算科", person=f"@李{RARE[2]}", notes="-按月更新")
    ledger.set_report_texts(u.id, summary=SUMMARY, problems=PROBLEMS, next_steps=NEXT_STEPS)
    if tmp_path is not None:
        f = tmp_path / f"债务公开截图{RARE[3]}.png"
        f.write_bytes(b"\x89PNG evidence")
        ledger.attach_file(u.id, tid(9), f)
    if decide:
        ledger.decide_related(u.id, tid(18), "confirmed")
        ledger.decide_related(u.id, tid(23), "dismissed")
    return u.id


def test_the_seed_facts_this_module_relies_on(ledger):
    u = ledger.find_unit(UNIT)
    views = ledger.tasks(u.id)
    assert [v.number for v in views] == ALL_40
    assert [v.number for v in views if v.pending] == PENDING
    assert [v.number for v in views if v.role == "lead"] == LEAD


def test_default_filenames():
    from core.reports import default_filename

    assert default_filename("self", "市财政局", 2021) == "市财政局2021年政务公开年度自查报告.pdf"
    assert default_filename("lookback", "虎门镇", 2021) == "虎门镇2021年政务公开回头看核查清单.pdf"
    assert default_filename("ledger", "市财政局", 2022) == "市财政局2022年政务公开工作台账.xlsx"
    assert default_filename("ledger", 'a/b:c*"', 2021) == "a_b_c__2021年政务公开工作台账.xlsx"


def test_importing_core_reports_is_cheap():
    code = ("import sys, core.reports, core.safe_write\n"
            "heavy = [m for m in ('reportlab', 'openpyxl', 'reportlab.platypus') if m in sys.modules]\n"
            "print(heavy); sys.exit(1 if heavy else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_importing_the_cli_does_not_load_reportlab_or_openpyxl():
    code = ("import sys, core.cli\n"
            "p = core.cli.build_parser(); p.parse_args(['report', 'self', '--unit', 'x', '--out', 'a.pdf'])\n"
            "heavy = [m for m in ('reportlab', 'openpyxl') if m in sys.modules]\n"
            "print(heavy); sys.exit(1 if heavy else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_bad_kind_unit_plan_and_extension_are_refused_before_anything_is_written(ledger, tmp_path):
    from core.errors import InputError
    from core.reports import build_report

    uid = ledger.find_unit(UNIT).id
    folder = tmp_path / "out"
    folder.mkdir()
    cases = [("annual", uid, "a.pdf", None, "报表类型"), ("self", "no-such-unit", "a.pdf", None, "找不到该单位"),
             ("self", uid, "a.xlsx", None, ".pdf"), ("ledger", uid, "a.pdf", None, ".xlsx"),
             ("lookback", uid, "a.pdf", "no-such-plan", "方案")]
    for kind, unit_id, name, plan_id, words in cases:
        with pytest.raises(InputError) as err:
            build_report(kind, ledger, unit_id, folder / name, plan_id=plan_id, today=TODAY)
        assert words in str(err.value)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["self", "lookback", "ledger"])
def test_progress_reaches_the_end_and_cancel_leaves_nothing(ledger, tmp_path, kind):
    from core.errors import Cancelled
    from core.reports import REPORT_KINDS, build_report

    uid = populate(ledger)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"r{REPORT_KINDS[kind][1]}"
    seen = []
    build_report(kind, ledger, uid, out, today=TODAY, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] and len(seen) > 10
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    old = out.read_bytes()

    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 15  # part-way through

    with pytest.raises(Cancelled):
        build_report(kind, ledger, uid, out, today=TODAY, cancelled=cancelled)
    assert out.read_bytes() == old  # the earlier file is untouched
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary file left


def test_task_titles_are_the_plans_own_words_never_cut(ledger):
    from core.reports.data import cn_punct, task_title

    views = ledger.tasks(ledger.find_unit("虎门").id, include_all=True)
    assert len(views) == 50
    for v in views:
        title = task_title(v.text, v.category)
        assert "……" not in title and "," not in title, v.number
        assert title in cn_punct(v.text.replace(" ", "")) or title == v.category, (v.number, title)
    by = {v.number: task_title(v.text, v.category) for v in views}
    assert by[9] == "持续深化地方政府债务信息公开"
    assert by[11] == "落实补贴信息公开向村和社区延伸"  # not its subject "财政部门要有效推动有关业务主管部门"
    assert by[12] == "扎实做好疫苗接种信息公开和舆论引导工作"  # not the scene "重点围绕…"
    assert by[27] == "在本机关网站上及时更新本系统实施的行政法规文本"  # not "对照…"
    assert by[22] == "持续加强政府信息公开窗口建设"  # "基层政府要" dropped
    assert by[15] == "持续推进粤港澳大湾区建设等重大政策发布解读"  # a 154-character sentence: its category


def test_a_records_date_is_written_once_in_official_form():
    from core.reports.data import action_line, dated_text

    def d(text, when="2021-03-15"):
        return dated_text({"content": text, "action_date": when})

    assert d("在门户网站公开债务信息") == "2021年3月15日，在门户网站公开债务信息"
    assert d("3月15日在虎门镇政府网站公开") == "2021年3月15日在虎门镇政府网站公开"
    assert d("2021年3月15日，召开专题会议") == "2021年3月15日，召开专题会议"
    assert d("2021年03月05日召开专题会议") == "2021年3月5日召开专题会议"
    assert d("2021-03-15 召开专题会议") == "2021年3月15日，召开专题会议"
    assert d("２０２１年３月１５日召开专题会议") == "2021年3月15日召开专题会议"
    assert d("3月中旬开展自查") == "2021年3月中旬开展自查"
    assert d("今年3月起按月公开") == "今年3月起按月公开"
    assert d("13个镇街完成公示") == "2021年3月15日，13个镇街完成公示"  # a number, not a month
    # no calendar has these: the text stays as typed, after the record's date
    assert d("2021-15-20 召开会议") == "2021年3月15日，2021-15-20 召开会议"
    assert d("2021年13月5日召开会议") == "2021年3月15日，2021年13月5日召开会议"
    assert d("3月45日公开") == "2021年3月15日，3月45日公开"
    assert d("2021-02-00 召开会议") == "2021年3月15日，2021-02-00 召开会议"
    # full-width digits and punctuation, and a long record: only its start is looked at
    assert d("２０２１－０３－１５，公开预算，完成率１００％：" + "按月更新。" * 20) == \
        "2021年3月15日，公开预算，完成率１００％：" + "按月更新。" * 20  # only the date is rewritten
    assert d("2021-03-15 召开会议（第一次），研究部署") == "2021年3月15日，召开会议（第一次），研究部署"
    # a character that folds into two (㋈ is 9月, ㏤ is 5日): the text after the date loses nothing
    assert d("㋈５日公开预算") == "2021年9月5日公开预算" and d("3月㏤公开预算") == "2021年3月5日公开预算"
    assert d("９月１日在门户网站公开，完成率１００％") == "2021年9月1日在门户网站公开，完成率１００％"
    assert d("第３条：公开，完成率１００％") == "2021年3月15日，第３条：公开，完成率１００％"
    assert d("2021 -  03 -  05" + " " * 30 + "召开专题会议") == "2021年3月5日，召开专题会议"
    a = {"content": "3月15日公开", "action_date": "2021-03-15", "handler": "张三", "link": "http://x.cn/a"}
    assert action_line(a, with_handler=True) == "2021年3月15日公开（经办人：张三；公开链接：http://x.cn/a）"


def test_chinese_punctuation_in_sentences():
    from core.reports.data import as_sentence, cn_punct

    assert cn_punct("信息,通过平台(试行);见 http://a.cn/b?c=1,共2,316次") == "信息，通过平台（试行）；见 http://a.cn/b?c=1，共2,316次"
    assert as_sentence("公开目录") == "公开目录。" and as_sentence("公开目录。") == "公开目录。"
    assert as_sentence("公开目录.") == "公开目录。" and as_sentence("公开目录，") == "公开目录。"
