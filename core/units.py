"""The unit directory: who the units are and how a plan may name them.

Every unit belongs to a directory: "" is the city's (the embedded Dongguan
directory and every unit added to it); a bureau's own plan brings its own
directory, named after the bureau (the plan's issuer), holding its offices
(kind ``office``, 科室). A plan sees the city's units and those of its own
directory (``UnitDirectory.scoped``): offices are never seen by the city's
plans, and no city-level group ever counts them. Two bureaus may both have a
办公室: a full name is unique only within its directory.

A plan from another city (``from_elsewhere``) may write "财政局" or "市财政局"
for its own bureau; such a name matches a Dongguan unit only by a short form,
so it is asked about (``UnitDirectory.certain``), never matched silently.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import InputError, UnknownUnitError

# Stable ids: the supervising office merges every unit's records by these.
NAMESPACE = uuid.UUID("6f1d3a52-58c4-4e55-9a4b-6b1f0f3c2a10")

KINDS = {"town": "镇街园区", "municipal": "市直单位", "vertical": "垂直管理单位", "office": "科室"}
SUBKINDS = {"street": "街道", "town": "镇", "park": "园区", "department": "市直部门",
            "institution": "事业单位", "vertical": "垂直管理", "team": "工作组", "affiliate": "局属单位", "": ""}
REGION = "东莞"
REGION_PREFIXES = ("东莞市", "东莞")


def unit_uuid(full_name: str, directory: str = "") -> str:
    return str(uuid.uuid5(NAMESPACE, "unit:" + (f"{directory}/{full_name}" if directory else full_name)))


def kind_key(value: str) -> str | None:
    """A kind given as its key ("office") or its label ("科室"); None if neither."""
    value = value.strip()
    if value in KINDS:
        return value
    return next((k for k, label in KINDS.items() if label == value), None)


_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:省|市|县|区)")


def from_elsewhere(title: str, issuer: str) -> bool:
    """A plan whose title or issuer starts with another place's name ("佛山市…",
    "某某县…") is another city's; one naming the city, or no place, is not."""
    if REGION in title + issuer:
        return False
    return any(_PLACE.match(t or "") for t in (title, issuer))


_FOLD = str.maketrans("（）【】", "()[]")
_SPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Whitespace out, full-width brackets and punctuation folded."""
    return _SPACE.sub("", name).translate(_FOLD)


@dataclass(frozen=True)
class Unit:
    id: str
    full_name: str
    short_name: str
    kind: str  # town / municipal / vertical / office
    subkind: str = ""
    has_admin: bool | None = True
    has_website: bool | None = None
    aliases: tuple[str, ...] = ()
    retired: bool = False
    ord: int = 0
    directory: str = ""  # "" = the city's directory; else the bureau whose office it is

    @property
    def names(self) -> tuple[str, ...]:
        return (self.full_name, self.short_name, *self.aliases)

    def to_json(self) -> dict:
        return {
            "id": self.id, "full_name": self.full_name, "short_name": self.short_name,
            "aliases": list(self.aliases), "kind": self.kind, "kind_label": KINDS.get(self.kind, self.kind),
            "subkind": self.subkind, "has_admin": self.has_admin, "has_website": self.has_website,
            "retired": self.retired, "directory": self.directory,
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
    home: str = ""  # the plan's own directory: its units win every name they answer to
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
        for u in self.units:
            if self.home and u.directory == self.home:
                for v in set().union(*(name_forms(n) for n in u.names)):
                    self._index[v] = u.id
                    self._ambiguous.discard(v)

    def scoped(self, home: str) -> UnitDirectory:
        """What a plan of directory ``home`` sees: the city's units and its own."""
        return UnitDirectory([u for u in self.units if u.directory in ("", home)], home=home)

    def directories(self) -> list[str]:
        return list(dict.fromkeys(u.directory for u in self.units if u.directory))

    @staticmethod
    def certain(name: str, unit: Unit) -> bool:
        """In a plan from another city: does ``name`` surely mean ``unit``? Only its
        full name, or a name that says the city, does; an office of the plan's
        own directory always does."""
        n = normalize_name(name)
        return bool(unit.directory) or n == unit.full_name or REGION in n

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
        import difflib  # only when a name is not found

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
                retired=bool(row.get("retired", False)), ord=i, directory=row.get("directory", ""),
            ))
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"单位名录第{i + 1}条缺少必要字段（{exc}）。") from exc
        if units[-1].kind not in KINDS:
            raise InputError(f"单位名录第{i + 1}条的类别“{units[-1].kind}”无效。")
    return units
