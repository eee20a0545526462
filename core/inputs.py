"""What the clerk types, checked before anything is stored: texts without
control or bidi characters and within bounds, dates in a sane range, links
that are web addresses."""

from __future__ import annotations

import re
from datetime import date

from core.errors import InputError

MAX_TEXT = 20000

# Kept out of every text: C0/C1 controls (NUL too), DEL, bidirectional marks,
# overrides and isolates (an RTL override turns "fdp.exe" round in a report),
# BOM, line/paragraph separators. \n and \t stay in long texts.
INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"  # a [class] range
_UNWANTED = re.compile(f"[\x00-\x08\x0b-\x1f{INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MIN_YEAR, MAX_YEAR = 1990, 2100
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
LINK_SCHEMES = ("http", "https", "file")


def clean_text(value: str, what: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    """A text as typed, without control or bidi characters; short texts (a
    name, a link: ``limit`` ≤ 2000) on one line."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(value):
        raise InputError(f"{what}中有无法识别的字符（不是有效的 UTF-8 文本），请重新输入。")
    value = _UNWANTED.sub("", value)
    if limit <= 2000:
        value = re.sub(r"[\n\t]+", " ", value)
    value = value.strip()
    if required and not value:
        raise InputError(f"{what}不能为空。")
    if len(value) > limit:
        raise InputError(f"{what}太长（{len(value)} 字），最多 {limit} 字。")
    return value


def check_date(d: date, what: str) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise InputError(f"{what}“{d.isoformat()}”不在 {MIN_YEAR}—{MAX_YEAR} 年之间，请检查年份。")
    return d



def check_link(link: str) -> str:
    """http(s) and file links only: javascript:, data:, vbscript: … are refused."""
    m = _SCHEME.match(link)
    if m and m[1].lower() not in LINK_SCHEMES and not re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+:\d+(/|$)", link):
        raise InputError(f"公开链接“{link[:60]}”无效：只能是 http://、https:// 或 file:// 开头的网址。")
    return link
