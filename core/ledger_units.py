"""The Ledger's unit directory: the units, their names and aliases, and the
roles every task gives them (re-resolved after each change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import (
    InputError,
)
from core.units import (
    KINDS,
    Unit,
    UnitDirectory,
    from_elsewhere,
    name_forms,
    normalize_name,
    unit_uuid,
)

if TYPE_CHECKING:  # resolving a task's names: imported when the directory changes
    from core.assign import Context


@dataclass
class RoleChange:
    plan_id: str
    number: int
    unit: str
    before: str | None
    after: str | None


def _unit_from_row(row: dict) -> Unit:
    def tri(v):
        return None if v is None else bool(v)
    return Unit(id=row["id"], full_name=row["full_name"], short_name=row["short_name"], kind=row["kind"],
                subkind=row["subkind"], has_admin=tri(row["has_admin"]), has_website=tri(row["has_website"]),
                aliases=tuple(row["aliases"]), retired=bool(row["retired"]), ord=row["ord"],
                directory=row["directory"])

class UnitServices:
    # ---- unit directory ---------------------------------------------------
    def directory(self) -> UnitDirectory:
        if self._directory is None:
            self._directory = UnitDirectory([_unit_from_row(r) for r in self.store.list_units()])
        return self._directory

    def units(self, include_retired: bool = True) -> list[Unit]:
        units = self.directory().units
        return units if include_retired else [u for u in units if not u.retired]

    def find_unit(self, name: str) -> Unit:
        d = self.directory()
        unit = d.get(name) or d.lookup(name)
        if unit is None:
            return d.require(name)  # raises UnknownUnitError with suggestions
        return unit

    def load_directory(self, units: list[Unit]) -> None:
        try:
            with self.store.atomic():
                for i, u in enumerate(units):
                    self.store.upsert_unit(self._unit_row(u, ord_=i), list(u.aliases))
        finally:
            self._directory = None

    @staticmethod
    def _unit_row(u: Unit, ord_: int | None = None) -> dict:
        return {"id": u.id, "full_name": u.full_name, "short_name": u.short_name, "kind": u.kind,
                "subkind": u.subkind, "has_admin": u.has_admin, "has_website": u.has_website,
                "retired": int(u.retired), "ord": u.ord if ord_ is None else ord_, "directory": u.directory}

    def save_unit(self, unit: Unit) -> list[RoleChange]:
        """Add or edit a unit, then re-resolve every task; returns what changed."""
        try:
            with self.store.atomic():
                self._put_unit(unit)
                return self.reresolve()
        except BaseException:
            self._directory = None  # the cache must not keep an edit that was rolled back
            raise

    def _put_unit(self, unit: Unit) -> Unit:
        """Check and write one unit (inside the caller's transaction); no re-resolution."""
        full = normalize_name(unit.full_name)
        if not full:
            raise InputError("单位全称不能为空。")
        short = normalize_name(unit.short_name) or full
        aliases = tuple(dict.fromkeys(a for a in (normalize_name(x) for x in unit.aliases) if a and a not in (full, short)))
        unit_id = unit.id or unit_uuid(full, unit.directory)
        # A name is refused if any form of it ("东莞市财政局" = "市财政局" = "财政局")
        # is one another unit of the same directory already answers to: it would take that unit's tasks.
        for other in self.directory().units:
            if other.id == unit_id or other.directory != unit.directory:
                continue
            taken = set().union(*(name_forms(n) for n in other.names))
            clash = [n for n in (full, short, *aliases) if name_forms(n) & taken]
            if clash:
                raise InputError(f"名称“{'、'.join(dict.fromkeys(clash))}”与“{other.full_name}”的名称相同或可互相指代，请换一个名称。")
        if unit.kind not in KINDS:
            raise InputError(f"单位类别“{unit.kind}”无效，应为：{'、'.join(KINDS.values())}。")
        existing = self.directory().get(unit_id)
        ord_ = existing.ord if existing else max((u.ord for u in self.directory().units), default=-1) + 1
        new = Unit(id=unit_id, full_name=full, short_name=short, kind=unit.kind, subkind=unit.subkind,
                   has_admin=unit.has_admin, has_website=unit.has_website, aliases=aliases,
                   retired=unit.retired, ord=ord_, directory=unit.directory)
        self.store.upsert_unit(self._unit_row(new), list(aliases))
        self._directory = None
        return new

    def add_units(self, units: list[Unit]) -> list[RoleChange]:
        """Several units at once (``units import``), all or none; one re-resolution."""
        try:
            with self.store.atomic():
                for u in units:
                    self._put_unit(u)
                return self.reresolve()
        except BaseException:
            self._directory = None
            raise

    def retire_unit(self, unit_id: str, retired: bool = True) -> list[RoleChange]:
        unit = self.directory().get(unit_id)
        if unit is None:
            raise InputError("找不到该单位。")
        return self.save_unit(Unit(**{**unit.__dict__, "retired": retired}))

    def plan_context(self, plan: dict) -> tuple[UnitDirectory, Context]:
        """What a plan's names are looked up in: the city's units and those of its
        own directory; strictly for a plan from another city; the user's decisions first."""
        from core.assign import Context

        directory = self.directory().scoped(plan.get("directory") or "")
        strict = from_elsewhere(plan["title"], plan["issuer"])
        return directory, Context(strict, self.store.plan_names(plan["id"]) if plan.get("id") else {})

    def reresolve(self, plan_id: str | None = None) -> list[RoleChange]:
        """Recompute every task's mentions and roles from its text and the directory."""
        from core.assign import resolve

        directory = self.directory()
        before = {(a["task_id"], a["unit_id"]): a["role"] for a in self.store.all_assignments(plan_id)}
        tasks = self.store.list_tasks(plan_id)
        plans = {p["id"]: p for p in self.store.list_plans() + self.store.list_plans(deleted=True)}
        contexts = {pid: self.plan_context(p) for pid, p in plans.items() if plan_id in (None, pid)}
        after: dict[tuple[str, str], str] = {}
        with self.store.atomic():
            for t in tasks:
                scoped, context = contexts[t["plan_id"]]
                res = resolve(t["units_text"], scoped, t["lead_text"], t["cooperate_text"], context)
                self.store.replace_resolution(t["id"], [self._mention_row(m) for m in res.mentions], res.roles)
                after.update({(t["id"], u): r for u, r in res.roles.items()})
        by_id = {t["id"]: t for t in tasks}
        changes = []
        for key in sorted(set(before) | set(after), key=lambda k: (by_id[k[0]]["plan_id"], by_id[k[0]]["number"])):
            if before.get(key) != after.get(key):
                t = by_id[key[0]]
                unit = directory.get(key[1])
                changes.append(RoleChange(t["plan_id"], t["number"], unit.short_name if unit else key[1],
                                          before.get(key), after.get(key)))
        return changes

    @staticmethod
    def _mention_row(m) -> dict:
        return {"name": m.name, "kind": m.kind, "role": m.role, "unit_id": m.unit_id, "group_key": m.group}

