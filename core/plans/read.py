"""One entry for every plan file: ``read_grid(path)`` checks the file (never a
FIFO or a device, never more than 5 MB read), tells the format from its
content and extension and hands it to that format's reader; the clipboard
goes through ``grid_from_clipboard``. Readers and their libraries are
imported only when used."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from core.errors import InputError, PlanParseError, os_error_text
from core.plans.grid import Grid

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_SAVE_AS_DOCX = "请在 Word 或 WPS 中打开，“另存为” Word 文档（.docx）后再导入"
_SAVE_AS_XLSX = "请在 Excel 或 WPS 表格中打开，“另存为” Excel 工作簿（.xlsx）后再导入"


def read_grid(path: Path | str) -> Grid:
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"找不到文件“{path}”。") from None
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”（{os_error_text(exc)}）。") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"“{path}”是一个文件夹，不是方案文件。")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"“{path}”不是普通文件（可能是管道或设备），不能作为方案导入。")
    if st.st_size > MAX_FILE_BYTES:
        raise PlanParseError(None, _too_large(st.st_size))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”（{os_error_text(exc)}）。") from exc
    if len(data) > MAX_FILE_BYTES:
        raise PlanParseError(None, _too_large(len(data)))
    return grid_from_bytes(data, path.name)


def _too_large(size: int) -> str:
    return f"文件过大（{size // 1024} KB），方案文件通常不超过 {MAX_FILE_BYTES // 1024 // 1024} MB"


def grid_from_bytes(data: bytes, name: str) -> Grid:
    ext = Path(name).suffix.lower()
    if not data.strip():
        raise PlanParseError(None, "文件为空")
    if data.startswith(b"PK\x03\x04"):
        return _zip_grid(data, name, ext)
    if data.startswith(OLE2):
        return _ole2_grid(data, name, ext)
    if data.startswith(b"%PDF-"):
        return _guarded(name, "PDF 文件", lambda: _pdf(data, name))
    if data.lstrip().startswith(b"{\\rtf"):
        raise PlanParseError(None, f"这是 RTF 格式的文档，{_SAVE_AS_DOCX}")
    if ext in (".csv", ".tsv"):
        from core.plans.delimited import decode_delimited, delimited_grid

        return delimited_grid(decode_delimited(data), name, ext)
    if ext in (".html", ".htm", ".xhtml", ".shtml") or _looks_like_html(data[:2048]):
        from core.plans.html import decode_html, html_grid

        return html_grid(decode_html(data), name)
    from core.plan_parser import decode_plan_bytes
    from core.plans.text import text_grid

    text = decode_plan_bytes(data)
    if _looks_like_html(text[:2048].encode("utf-8", "replace")):
        from core.plans.html import html_grid

        return html_grid(text, name)
    return text_grid(text, name)


def _looks_like_html(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return h.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<?xml version")) and b"<" in h \
        and (b"<html" in h or b"<table" in h or b"<body" in h)


def _zip_grid(data: bytes, name: str, ext: str) -> Grid:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PlanParseError(None, f"文件“{name}”已损坏，无法打开（请重新下载或重新保存后再试）") from None
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise PlanParseError(None, "文件解压后过大，不像是一份工作方案")
    if "word/document.xml" in names:
        from core.plans.office import docx_grid

        return _guarded(name, "Word 文档", lambda: docx_grid(data, name))
    if "xl/workbook.xml" in names:
        from core.plans.office import xlsx_grid

        return _guarded(name, "Excel 工作簿", lambda: xlsx_grid(data, name))
    if any(n.startswith("Contents/") for n in names) or "content.xml" in names:
        raise PlanParseError(None, f"这是 WPS 或 OpenDocument 格式的文件，{_SAVE_AS_DOCX}")
    raise PlanParseError(None, f"“{name}”是一个压缩包，不是 Word（.docx）或 Excel（.xlsx）文件，请解压后导入其中的方案文件")


def _ole2_grid(data: bytes, name: str, ext: str) -> Grid:
    if _ENCRYPTED in data:
        raise PlanParseError(None, f"文件“{name}”设有打开密码，无法读取。请在 Word/WPS/Excel 中打开，取消密码后另存，再导入")
    workbook = "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data
    if ext == ".xls" or ext not in (".et", ".ett", ".xlt", ".docx", ".xlsx") and workbook \
            and "WordDocument".encode("utf-16-le") not in data:
        from core.plans.office import xls_grid

        return _guarded(name, "Excel 97-2003 工作簿", lambda: xls_grid(data, name))
    if ext in (".et", ".ett", ".xlt"):
        raise PlanParseError(None, f"这是旧版表格文件（{ext}），{_SAVE_AS_XLSX}")
    if ext in (".docx", ".xlsx"):
        raise PlanParseError(None, f"文件“{name}”设有打开密码或已损坏，无法读取。请在 Word/WPS/Excel 中打开后重新另存，再导入")
    kind = f"（{ext}）" if ext else ""
    if "WordDocument".encode("utf-16-le") in data:
        raise PlanParseError(None, f"这是旧版 Word/WPS 文档{kind}，{_SAVE_AS_DOCX}")
    raise PlanParseError(None, f"这是旧版 Office/WPS 文件{kind}，{_SAVE_AS_DOCX}；如果是表格文件，{_SAVE_AS_XLSX}")


def _pdf(data: bytes, name: str) -> Grid:
    from core.plans.pdf import pdf_grid

    return pdf_grid(data, name)


def _guarded(name: str, what: str, read) -> Grid:
    """A reader's library fails in its own words on a damaged file: say it in ours."""
    try:
        return read()
    except (PlanParseError, InputError):
        raise
    except ImportError as exc:
        raise InputError(f"本程序缺少读取{what}的组件（{exc.name}），请重新安装台账程序。") from exc
    except MemoryError:
        raise PlanParseError(None, f"“{name}”内容过大，无法读取") from None
    except Exception as exc:
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise PlanParseError(None, f"文件“{name}”设有密码，无法读取。请取消密码后另存，再导入") from None
        raise PlanParseError(None, f"“{name}”不是有效的{what}或已损坏，无法读取（请重新保存后再试）") from None


def grid_from_clipboard(html: str | None, text: str | None) -> Grid:
    """A table copied from WPS, Word, Excel or a browser: text/html first, then text."""
    from core.plans.columns import find_header_row

    if html and "<t" in html.lower():
        from core.plans.html import html_grid

        start = html.find("<")  # Windows' CF_HTML puts "Version:0.9 StartHTML:…" first
        try:
            grid = html_grid(html[start:], "剪贴板")
            if find_header_row(grid.rows) is not None:
                return grid
        except PlanParseError:
            if not text:
                raise
    if text and text.strip():
        from core.plans.text import text_grid

        return text_grid(text, "剪贴板")
    raise PlanParseError(None, "剪贴板中没有表格（请在 WPS、Word、Excel 或浏览器中选中整张方案表格后复制）")
