"""The one table model every plan format is read into.

A ``Grid`` is the table as rows of cell strings, with merged cells expanded:
a cell covered by a vertically merged cell (Word's vMerge, Excel's merged
range, HTML's rowspan) is "" and listed in ``merged`` as "same as above"; a
cell covered horizontally (gridSpan, colspan) is "" and listed in ``merged``
too. ``before`` holds the text lines before the table (title, issuer, date,
the notice), ``labels`` the number the user sees for each row (the line of a
text file, the row of a sheet or of a document's tables) so that messages can
name it. Nothing here knows what the columns mean: that is
``core.plan_parser.plan_from_grid``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Grid:
    rows: list[list[str]] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    merged: set[tuple[int, int]] = field(default_factory=set)
    source: str = ""  # the file name, for messages and as a title of last resort

    def add_row(self, cells: list[str], label: int | None = None, merged: set[int] | None = None) -> None:
        r = len(self.rows)
        self.rows.append([clean_cell(c) for c in cells])
        self.labels.append(label if label is not None else r + 1)
        for c in merged or ():
            self.merged.add((r, c))

    def is_merged(self, r: int, c: int) -> bool:
        return (r, c) in self.merged

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u200b]+")


def clean_cell(value: object) -> str:
    """A cell's text: line breaks kept as "\\n", runs of spaces folded, lines trimmed."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("_x000D_", "")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def text_lines(text: str) -> list[str]:
    return [ln for ln in (clean_cell(x) for x in text.replace("\r", "\n").split("\n")) if ln]


def decode_text(data: bytes, not_text: str, unknown: str) -> str:
    """The bytes of a table saved as text: UTF-8 or UTF-16 when a BOM says so
    (Excel's "CSV UTF-8", Notepad's and Excel's "Unicode"), else UTF-8, else
    GB18030 (what GBK and GB2312 mean in practice). ``not_text`` and ``unknown``
    are the messages for binary data and for an encoding none of these reads."""
    from core.errors import PlanParseError

    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise PlanParseError(None, not_text)
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PlanParseError(None, unknown)
