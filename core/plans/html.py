"""Saved web pages and the clipboard's text/html → Grid (stdlib html.parser).

Every table of the page is read (rowspan/colspan expanded, a nested table
being a table of its own); the first one holding a plan's header is the plan.
The text blocks before it (outside tables, without scripts, styles and
navigation; in a page laid out with a table, the text of the cell holding the
plan's table) are the text before the table. ``<p>``, ``<br>``, ``<div>`` and
``<li>`` inside a cell become line breaks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from core.plans.grid import Grid, clean_cell

_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "center",
          "blockquote", "pre", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "nav", "select", "option", "button", "head", "template", "svg", "iframe"}


class _Table:
    def __init__(self, start_block: int):
        self.rows: list[list[tuple[str, int, int]]] = []  # (text, rowspan, colspan)
        self.start_block = start_block
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.prefix: list[str] = []  # in a layout table: the text of the outer cell before this table
        self.outer: _Table | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.stack: list[_Table] = []
        self.blocks: list[str] = []
        self.buf: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def _flush(self) -> None:
        text = clean_cell("".join(self.buf))
        if text:
            self.blocks.extend(text.split("\n"))
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in _SKIP:
            self.skip += 1
            return
        t = self.stack[-1] if self.stack else None
        if tag == "table":
            if not self.stack:
                self._flush()
            table = _Table(len(self.blocks))
            if t is not None:
                table.outer = t
                table.prefix = clean_cell("".join(t.cell or [])).split("\n")
            self.tables.append(table)
            self.stack.append(table)
        elif t is not None and tag == "tr":
            t.rows.append([])
            t.cell = None
        elif t is not None and tag in ("td", "th"):
            if not t.rows:
                t.rows.append([])
            a = dict(attrs)
            t.cell = []
            t.span = (_int(a.get("rowspan"), 1000), _int(a.get("colspan"), 50))
        elif tag in _BLOCK:
            if t is not None and t.cell is not None:
                t.cell.append("\n")
            elif not self.stack:
                self._flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        t = self.stack[-1] if self.stack else None
        if tag in ("td", "th") and t is not None and t.cell is not None:
            self._end_cell(t)
        elif tag == "table" and t is not None:
            if t.cell is not None:
                self._end_cell(t)
            self.stack.pop()
        elif tag in _BLOCK and t is not None and t.cell is not None:
            t.cell.append("\n")
        elif tag in _BLOCK and not self.stack:
            self._flush()

    def _end_cell(self, t: _Table) -> None:
        t.rows[-1].append((clean_cell("".join(t.cell or [])), *t.span))
        t.cell = None

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.skip:
            return
        t = self.stack[-1] if self.stack else None
        if t is not None:
            if t.cell is not None:
                t.cell.append(data)
        else:
            self.buf.append(data)


def _int(v: str | None, limit: int) -> int:
    try:
        return max(1, min(int(v or 1), limit))
    except ValueError:
        return 1


def _expand(table: _Table, source: str) -> Grid:
    grid = Grid(source=source)
    taken: dict[tuple[int, int], bool] = {}  # covered by a span from above or the left
    for r, row in enumerate(table.rows):
        cells: dict[int, str] = {}
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            cells[c] = text
            for dr in range(min(rowspan, len(table.rows) - r)):
                for dc in range(colspan):
                    if dr or dc:
                        taken[(r + dr, c + dc)] = True
            if len(taken) > 1_000_000:
                from core.errors import PlanParseError

                raise PlanParseError(None, "网页中的表格过大（合并单元格过多），不像是一份工作方案")
            c += colspan
        width = max([*cells, *(cc for rr, cc in taken if rr == r)], default=-1) + 1
        grid.add_row([cells.get(k, "") for k in range(width)], r + 1,
                     {k for k in range(width) if (r, k) in taken})
    return grid


def html_grid(html: str, source: str = "") -> Grid:
    from core.plans.columns import find_header_row

    p = _Parser()
    p.feed(html)
    p.close()
    p._flush()
    chosen = None
    for table in p.tables:
        grid = _expand(table, source)
        if find_header_row(grid.rows) is not None:
            chosen, grid_of = table, grid
            break
    if chosen is None:
        from core.errors import PlanParseError

        if not p.tables:
            raise PlanParseError(None, "网页中没有表格（请确认保存的是方案正文所在的页面）")
        raise PlanParseError(None, "网页的表格中未找到表头（应含“工作任务”“具体要求”“落实单位”等列名）")
    outermost = chosen
    while outermost.outer is not None:
        outermost = outermost.outer
    prefix = [ln for ln in chosen.prefix if ln]
    grid_of.before = p.blocks[max(0, outermost.start_block - 40):outermost.start_block] + prefix[-40:]
    if not grid_of.before and p.title:
        grid_of.before = [clean_cell("".join(p.title))]
    return grid_of


_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """Charset from the BOM, then the meta tag, then UTF-8, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    m = _META.search(data[:8192])
    if m:
        enc = m[1].decode("ascii").lower()
        if enc in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    enc = (best.encoding if best else "gb18030").lower()
    if enc in ("gb2312", "gbk", "cp936", "hz"):
        enc = "gb18030"
    return data.decode(enc, errors="replace")
