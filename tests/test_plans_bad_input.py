"""Bad plan files: one clear Chinese line, exit 1, nothing written, no hang."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.errors import InputError
from core.plans.check import read_plan_file
from tests.conftest import ROOT
from tests.plan_files import write_docx, write_xlsx

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TABLE = [["工作任务", "具体要求", "落实单位"], ["制度", "1.完善制度。", "市财政局"]]


def _ole2(*stream_names: str) -> bytes:
    """The start of a compound file with the given directory entry names
    (enough for the sniffing; not a file Word could open)."""
    body = b"".join(n.encode("utf-16-le") + b"\x00" * (64 - 2 * len(n)) for n in stream_names)
    return OLE2 + b"\x00" * 504 + body + b"\x00" * 1024


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(20):  # a "scan": shapes, no text layer
        c.rect(50 + i * 10, 700 - i * 20, 300, 10, fill=1)
    c.save()
    return path


def _make(kind: str, tmp: Path) -> Path:
    if kind == "fifo":
        p = tmp / "方案.txt"
        os.mkfifo(p)
        return p
    if kind == "dev-zero":
        return Path("/dev/zero")
    if kind == "directory":
        (tmp / "方案").mkdir()
        return tmp / "方案"
    if kind == "missing":
        return tmp / "没有这个文件.docx"
    if kind == "too-large":
        p = tmp / "方案.txt"
        p.write_bytes(("工作任务 | 具体要求 | 落实单位\n" * 200000).encode("utf-8")[: 5 * 1024 * 1024 + 1])
        return p
    if kind == "sparse-10GB":
        p = tmp / "方案.csv"
        with open(p, "wb") as f:
            f.truncate(10 * 1024 ** 3)
        return p
    if kind == "zip-not-office":
        p = tmp / "方案.docx"
        p.write_bytes(_zip({"方案.txt": "工作任务".encode()}))
        return p
    if kind == "truncated-docx":
        data = write_docx(tmp / "x.docx", ["某市2021年方案"], TABLE).read_bytes()
        p = tmp / "方案.docx"
        p.write_bytes(data[: len(data) // 2])
        return p
    if kind == "broken-docx":
        p = tmp / "方案.docx"
        p.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not xml"}))
        return p
    if kind == "broken-xlsx":
        p = tmp / "方案.xlsx"
        p.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<<<"}))
        return p
    if kind in ("encrypted-docx", "encrypted-xlsx"):
        p = tmp / f"方案.{kind.split('-')[1]}"
        p.write_bytes(_ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"))
        return p
    if kind in ("doc", "wps"):
        p = tmp / f"方案.{kind}"
        p.write_bytes(_ole2("Root Entry", "WordDocument", "1Table"))
        return p
    if kind == "et":
        p = tmp / "方案.et"
        p.write_bytes(_ole2("Root Entry", "Workbook"))
        return p
    if kind == "broken-xls":
        p = tmp / "方案.xls"
        p.write_bytes(_ole2("Root Entry", "Workbook"))
        return p
    if kind == "html-without-table":
        p = tmp / "通知.html"
        p.write_text("<html><head><meta charset='utf-8'></head><body><h1>某市2021年方案</h1><p>通知正文。</p></body></html>",
                     encoding="utf-8")
        return p
    if kind == "no-requirement-column":
        return write_xlsx(tmp / "方案.xlsx", ["某市2021年方案"], [["工作任务", "责任单位"], ["制度", "市财政局"]])
    if kind == "scanned-pdf":
        return _scanned_pdf(tmp / "扫描件.pdf")
    if kind == "pdf-without-table":
        from reportlab.pdfgen import canvas

        from core.pdf_fonts import register_fonts

        c = canvas.Canvas(str(tmp / "通知.pdf"))
        c.setFont(register_fonts(prefer_windows=False).body, 12)
        c.drawString(72, 750, "某市2021年政务公开工作要点分工方案（正文没有表格）")
        c.save()
        return tmp / "通知.pdf"
    if kind == "binary":
        p = tmp / "方案.txt"
        p.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 10)
        return p
    raise AssertionError(kind)


BAD = {  # kind -> words the sentence must contain
    "fifo": "不是普通文件", "dev-zero": "不是普通文件", "directory": "文件夹", "missing": "找不到文件",
    "too-large": "文件过大", "sparse-10GB": "文件过大", "zip-not-office": "压缩包",
    "truncated-docx": "已损坏", "broken-docx": "已损坏", "broken-xlsx": "已损坏",
    "encrypted-docx": "密码", "encrypted-xlsx": "密码", "doc": "另存为” Word 文档（.docx）",
    "wps": "另存为” Word 文档（.docx）", "et": "另存为” Excel 工作簿（.xlsx）", "broken-xls": "已损坏",
    "html-without-table": "网页中没有表格", "no-requirement-column": "缺少“具体要求”列",
    "scanned-pdf": "扫描版 PDF", "pdf-without-table": "没有找到带框线的表格", "binary": "不是文本文件",
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_plan_files_are_one_chinese_sentence(kind, tmp_path):
    path = _make(kind, tmp_path)
    with pytest.raises(InputError) as err:
        read_plan_file(path)
    message = str(err.value)
    assert BAD[kind] in message, message
    assert "\n" not in message and "Error" not in message and "Traceback" not in message


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "sparse-10GB", "zip-not-office", "encrypted-docx", "scanned-pdf",
                                  "no-requirement-column"])
def test_the_command_line_exits_1_writes_nothing_and_does_not_hang(kind, tmp_path):
    path = _make(kind, tmp_path)
    data = tmp_path / "data"
    for check in ([], ["--check"]):
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "import-plan", str(path), *check],
                           capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT, check=False)
        assert r.returncode == 1, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误：") and BAD[kind] in lines[0], r.stderr
        assert r.stdout == ""
    from core.ledger import Ledger

    led = Ledger.open(data)
    try:
        assert [p["year"] for p in led.plans()] == [2021]  # only the embedded plan
    finally:
        led.close()


def test_merged_ranges_over_whole_columns_and_huge_spans_do_not_hang(tmp_path):
    import time

    from tests.plan_files import html_page

    rows = [["工作任务", "具体要求", "落实单位"], ["制度", "1.完善制度。", "市财政局"]]
    data = write_xlsx(tmp_path / "x.xlsx", ["某市2022年方案"], rows).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # the title's merge made to cover the whole sheet
        entries = {n: z.read(n) for n in z.namelist()}
    sheet = entries["xl/worksheets/sheet1.xml"]
    assert b'mergeCell ref="A1:C1"' in sheet
    entries["xl/worksheets/sheet1.xml"] = sheet.replace(b'mergeCell ref="A1:C1"', b'mergeCell ref="A1:XFD1048576"')
    (tmp_path / "a.xlsx").write_bytes(_zip(entries))
    page = html_page(["某市2022年方案"], rows).replace("<td>制度</td>", '<td rowspan="99999999">制度</td>')
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(InputError, match="合并单元格范围过大"):
        read_plan_file(tmp_path / "a.xlsx")
    plan = read_plan_file(tmp_path / "a.html")
    assert [(t.number, t.category, t.units_text) for t in plan.tasks] == [(1, "制度", "市财政局")]
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_a_real_password_protected_office_file(suffix, tmp_path):
    """Encrypted with a password as Word/Excel do it (an OLE2 file holding EncryptionInfo)."""
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    writer = write_docx if suffix == "docx" else write_xlsx
    plain = writer(tmp_path / f"plain.{suffix}", ["某市2021年方案"], TABLE)
    out = io.BytesIO()
    with open(plain, "rb") as f:
        ooxml.OOXMLFile(f).encrypt("123456", out)
    path = tmp_path / f"方案.{suffix}"
    path.write_bytes(out.getvalue())
    assert path.read_bytes().startswith(OLE2)
    with pytest.raises(InputError, match="设有打开密码"):
        read_plan_file(path)
