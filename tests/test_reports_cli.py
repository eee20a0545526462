"""report self|lookback and export ledger on the command line."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader

from core.cli import main
from tests.test_reports_data import UNIT_FULL


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_report_and_export_commands(tmp_path, capsys):
    data = str(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run(capsys, "--data-dir", data, "--today", "2021-12-20", "report", "self",
                            "--unit", "财政局", "--out", str(out / "自查.pdf"))
    assert code == 0, err
    assert "已生成市财政局年度自查报告" in stdout and "页" in stdout
    assert "提示：" in err and "第18、23、32、41项" in err
    assert UNIT_FULL in PdfReader(str(out / "自查.pdf")).pages[0].extract_text()

    code, stdout, err = run(capsys, "--data-dir", data, "report", "lookback", "--unit", "市财政局",
                            "--out", str(out / "回头看.pdf"))
    assert code == 0, err
    assert "回头看核查清单" in stdout
    code, stdout, err = run(capsys, "--data-dir", data, "export", "ledger", "--unit", "东莞市财政局",
                            "--out", str(out / "台账.xlsx"))
    assert code == 0, err
    assert openpyxl.load_workbook(out / "台账.xlsx").active.max_row == 3 + 40
    assert {p.name for p in out.iterdir()} == {"回头看.pdf", "台账.xlsx", "自查.pdf"}


def test_bad_input_says_so_in_chinese_and_writes_nothing(tmp_path, capsys):
    data = str(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    cases = [
        (["report", "self", "--unit", "不存在的局", "--out", str(out / "a.pdf")], 1, "找不到单位"),
        (["report", "self", "--unit", "市财政局", "--out", str(out / "a.xlsx")], 1, ".pdf"),
        (["export", "ledger", "--unit", "市财政局", "--out", str(out / "a.pdf")], 1, ".xlsx"),
        (["report", "self", "--unit", "市财政局", "--out", str(tmp_path / "no" / "a.pdf")], 1, "不存在"),
        (["report", "self", "--unit", "市财政局", "--plan", "1999", "--out", str(out / "a.pdf")], 1, "找不到方案"),
        (["report", "annual", "--unit", "市财政局", "--out", str(out / "a.pdf")], 2, "无效的选项"),
        (["report", "self", "--unit", "市财政局"], 2, "缺少必需的参数"),
        (["export", "ledger", "--out", str(out / "a.xlsx")], 2, "缺少必需的参数"),
    ]
    for argv, want, words in cases:
        code, stdout, err = run(capsys, "--data-dir", data, *argv)
        assert code == want, (argv, err)
        assert words in err, (argv, err)
        assert "Traceback" not in err
    assert list(out.iterdir()) == []
    assert not (tmp_path / "no").exists()


def test_self_test_checks_the_report_fonts_and_pdf_accelerator(capsys):
    code, stdout, err = run(capsys, "--self-test")
    assert code == 0, stdout + err
    assert "字体" in stdout
    assert "报表加速模块：已启用" in stdout  # rl_accel, a pinned requirement


def test_self_test_says_when_the_pdf_accelerator_is_missing(capsys, monkeypatch):
    """A bundle built without it still passes, and says reports will be slower (CI greps for 已启用)."""
    import sys

    monkeypatch.setitem(sys.modules, "_rl_accel", None)  # as if not installed: its import fails
    code, stdout, err = run(capsys, "--self-test")
    assert code == 0, stdout + err
    assert "报表加速模块：未安装" in stdout and "已启用" not in stdout
