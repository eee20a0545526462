"""The unit directory: who the units are and how a plan may name them."""

from __future__ import annotations

import difflib
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import InputError, UnknownUnitError

# Stable ids: the supervising office merges every unit's records by these.
NAMESPACE = uuid.UUID("6f1d3a52-58c4-4e55-9a4b-6b1f0f3c2a10")

KINDS = {"town": "镇街园区", "municipal": "市直单位", "vertical": "垂直管理单位"}
SUBKINDS = {"street": "街道", "town": "镇", "park": "园区", "department": "市直部门",
            "institution": "事业单位", "vertical": "垂直管理", "": ""}
REGION_PREFIXES = ("东莞市", "东莞")


def unit_uuid(full_name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "unit:" + full_name))


def normalize_name(name: str) -> str:
    """Whitespace out, full-width brackets and punctuation folded."""
    name = re.sub(r"\s+", "", name)
    return name.translate(str.maketrans("（）【】", "()[]"))


@dataclass(frozen=True)
class Unit:
    id: str
    full_name: str
    short_name: str
    kind: str  # town / municipal / vertical
    subkind: str = ""
    has_admin: bool | None = True
    has_website: bool | None = None
    aliases: tuple[str, ...] = ()
    retired: bool = False
    ord: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return (self.full_name, self.short_name, *self.aliases)

    def to_json(self) -> dict:
        return {
            "id": self.id, "full_name": self.full_name, "short_name": self.short_name,
            "aliases": list(self.aliases), "kind": self.kind, "kind_label": KINDS.get(self.kind, self.kind),
            "subkind": self.subkind, "has_admin": self.has_admin, "has_website": self.has_website,
            "retired": self.retired,
        }


def name_forms(name: str) -> set[str]:
    """The forms under which a plan may write a name.

    "东莞市财政局" is also "市财政局" and "财政局" — the last is how a list
    that shares one 市 prefix writes it ("市发改局、商务局、市场监管局牵头").
    """
    n = normalize_name(name)
    out = {n}
    for prefix in REGION_PREFIXES:
        if n.startswith(prefix) and len(n) > len(prefix) + 1:
            rest = n[len(prefix):]
            out |= {rest, "市" + rest if not rest.startswith("市") else rest}
    if n.startswith("市") and len(n) > 2:
        out |= {n[1:], "东莞" + n}
    return out


@dataclass
class UnitDirectory:
    units: list[Unit]
    _index: dict[str, str] = field(default_factory=dict, repr=False)
    _ambiguous: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {u.id: u for u in self.units}
        exact: dict[str, str] = {}
        for u in self.units:
            for n in u.names:
                exact[normalize_name(n)] = u.id
        for u in self.units:
            for n in u.names:
                for v in name_forms(n):
                    other = self._index.get(v)
                    if other and other != u.id:
                        self._ambiguous.add(v)
                    else:
                        self._index[v] = u.id
        # A name written out exactly always wins over a derived variant.
        for v, uid in exact.items():
            self._index[v] = uid
            self._ambiguous.discard(v)

    def get(self, unit_id: str) -> Unit | None:
        return self._by_id.get(unit_id)

    def lookup(self, name: str) -> Unit | None:
        n = normalize_name(name)
        if not n or n in self._ambiguous:
            return None
        uid = self._index.get(n)
        return self._by_id.get(uid) if uid else None

    def require(self, name: str) -> Unit:
        unit = self.lookup(name)
        if unit is None:
            raise UnknownUnitError(name, self.suggest(name))
        return unit

    def suggest(self, name: str, n: int = 3) -> list[str]:
        n_name = normalize_name(name)
        keys = list(self._index)
        close = difflib.get_close_matches(n_name, keys, n=8, cutoff=0.5)
        contains = [k for k in keys if n_name and (n_name in k or k in n_name) and len(k) >= 2]
        out: list[str] = []
        for k in contains + close:
            u = self._by_id[self._index[k]]
            if u.short_name not in out:
                out.append(u.short_name)
        return out[:n]

    def active(self) -> list[Unit]:
        return [u for u in self.units if not u.retired]


def load_directory_file(path: Path) -> list[Unit]:
    """Read resources/units.json (or a user's export of the same format)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"单位名录文件无法读取：{path.name}（{exc}）") from exc
    if doc.get("format") != "taizhang-units":
        raise InputError(f"“{path.name}”不是台账的单位名录文件。")
    units = []
    for i, row in enumerate(doc.get("units", [])):
        try:
            full = normalize_name(row["full_name"])
            units.append(Unit(
                id=row.get("id") or unit_uuid(full), full_name=full,
                short_name=normalize_name(row.get("short_name") or full),
                kind=row["kind"], subkind=row.get("subkind", ""),
                has_admin=row.get("has_admin", True), has_website=row.get("has_website"),
                aliases=tuple(normalize_name(a) for a in row.get("aliases", []) if a.strip()),
                retired=bool(row.get("retired", False)), ord=i,
            ))
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"单位名录第{i + 1}条缺少必要字段（{exc}）。") from exc
        if units[-1].kind not in KINDS:
            raise InputError(f"单位名录第{i + 1}条的类别“{units[-1].kind}”无效。")
    return units
