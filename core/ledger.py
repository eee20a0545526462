"""The ledger: one facade over the store that every operation receives.

Services for the clerk of one unit — my tasks, actions, evidence files,
status and internal division, search — and for the directory and plans.
Every write is one transaction; bad input raises an ``InputError`` with a
Chinese message before anything is written. Every storage error (full disk,
read-only folder, pulled stick, damaged file) comes out as a Chinese
``StoreError`` (see _speaks_chinese at the end).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core import attachments as files
from core.assign import Context, resolve
from core.datafolder import DataFolder
from core.errors import InputError, StoreError, TaizhangError, UnknownTaskError, store_error
from core.paths import resource_path
from core.plan_life import LARGE_PLAN, NameDecision  # noqa: F401  (for callers: ledger.LARGE_PLAN …)
from core.plan_life import ADD, MAP, Lost, Moved, Replacement, TaskRecords, match_tasks, plan_home
from core.plan_parser import PlanDraft, decode_plan_bytes, parse_plan
from core.plans.check import read_plan_file, task_deadline
from core.tasks import TaskView, compute_light, default_date, parse_user_date
from core.units import (
    KINDS,
    NAMESPACE,
    Unit,
    UnitDirectory,
    from_elsewhere,
    load_directory_file,
    name_forms,
    normalize_name,
    unit_uuid,
)
from core.vocabulary import (
    DECISIONS,
    DISMISSED,
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    RELATED,
    STATUSES,
)
from db.errors import DbError
from db.store import Store, now

MAX_TEXT = 20000
EMBEDDED_PLAN = "dongguan-2021.txt"

K_UNIT, K_HANDLER, K_PLAN = "my_unit_id", "handler", "current_plan_id"


@dataclass
class ImportResult:
    plan_id: str
    title: str
    year: int
    categories: int
    tasks: int
    unresolved: dict[int, list[str]]
    warnings: list[str] = field(default_factory=list)
    uncertain: dict[str, str] = field(default_factory=dict)  # name -> the Dongguan unit it may mean (asked)


@dataclass
class RoleChange:
    plan_id: str
    number: int
    unit: str
    before: str | None
    after: str | None


def plan_uuid(draft: PlanDraft) -> str:
    return str(uuid.uuid5(NAMESPACE, f"plan:{draft.year}:{draft.issuer}:{draft.title}"))


def _child_uuid(parent: str, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(parent), what))


def _unit_from_row(row: dict) -> Unit:
    def tri(v):
        return None if v is None else bool(v)
    return Unit(id=row["id"], full_name=row["full_name"], short_name=row["short_name"], kind=row["kind"],
                subkind=row["subkind"], has_admin=tri(row["has_admin"]), has_website=tri(row["has_website"]),
                aliases=tuple(row["aliases"]), retired=bool(row["retired"]), ord=row["ord"],
                directory=row["directory"])


# Kept out of every text: C0/C1 controls (NUL too), DEL, bidirectional marks,
# overrides and isolates (an RTL override turns "fdp.exe" round in a report),
# BOM, line/paragraph separators. \n and \t stay in long texts.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       "\u2028\u2029\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MIN_YEAR, MAX_YEAR = 1990, 2100
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
LINK_SCHEMES = ("http", "https", "file")


def _clean_text(value: str, what: str, required: bool = False, limit: int = MAX_TEXT) -> str:
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


def _check_date(d: date, what: str) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise InputError(f"{what}“{d.isoformat()}”不在 {MIN_YEAR}—{MAX_YEAR} 年之间，请检查年份。")
    return d


def _user_date(value: date | str, what: str) -> date:
    return _check_date(parse_user_date(value) if isinstance(value, str) else value, what)


def _check_link(link: str) -> str:
    """http(s) and file links only: javascript:, data:, vbscript: … are refused."""
    m = _SCHEME.match(link)
    if m and m[1].lower() not in LINK_SCHEMES and not re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+:\d+(/|$)", link):
        raise InputError(f"公开链接“{link[:60]}”无效：只能是 http://、https:// 或 file:// 开头的网址。")
    return link


class Ledger:
    def __init__(self, store: Store, folder: DataFolder | None = None):
        self.store = store
        self.folder = folder  # None for a store in memory
        self._directory: UnitDirectory | None = None
        # Chinese sentences for the clerk about the store as opened (a damaged
        # store, a backup that could not be made); the window shows them.
        self.warnings: list[str] = []
        self.check_seconds = 0.0  # how long quick_check took when the store opened

    @property
    def read_only(self) -> bool:
        """True when the store was found damaged and opened read-only: every write
        raises StoreError; ``damage_message`` says what to do."""
        return self.store.read_only

    @property
    def damage_message(self) -> str:
        if not self.read_only:
            return ""
        where = self.folder.backups if self.folder else "backups"
        found = " ".join(" ".join(self.store.problems).split())
        found = found if len(found) <= 120 else found[:120] + "…"
        return (f"数据文件“{self.store.path}”已损坏（{found}），"
                f"已以只读方式打开：可以查看和导出，不能修改。请从备份恢复：备份在“{where}”中"
                "（窗口“从备份恢复”，或命令行 taizhang restore 备份文件），或联系技术人员。")

    # ---- life cycle -------------------------------------------------------
    @classmethod
    def open(cls, folder: DataFolder | Path | str, seed: bool = True) -> Ledger:
        """The store in the data folder (created if missing), seeded unless ``seed`` is false."""
        from core import backup

        folder = folder if isinstance(folder, DataFolder) else DataFolder(folder)
        folder.ensure()
        backup.refuse_orphaned(folder)
        started = time.perf_counter()
        try:
            store = Store.open(folder.store, folder.backups)
        except DbError as exc:
            raise store_error(exc) from exc
        ledger = cls(store, folder)
        ledger.check_seconds = time.perf_counter() - started
        if ledger.read_only:
            ledger.warnings.append(ledger.damage_message)
            return ledger
        try:
            if seed:
                ledger.ensure_seeded()
            try:
                backup.auto_backup(store, folder)
            except StoreError as exc:  # the store itself is fine: say so, and go on
                ledger.warnings.append(f"今天的自动备份未能完成：{exc}")
            files.remove_stale_parts(ledger.attachments_dir)
        except BaseException:
            ledger.close()
            raise
        return ledger

    @classmethod
    def memory(cls, seed: bool = True) -> Ledger:
        try:
            ledger = cls(Store.memory())
        except DbError as exc:
            raise store_error(exc) from exc
        if seed:
            ledger.ensure_seeded()
        return ledger

    def close(self) -> None:
        self.store.close()

    @property
    def attachments_dir(self) -> Path:
        if self.folder is None:
            raise TaizhangError("内存中的数据库不能保存附件。")
        return self.folder.attachments

    def ensure_seeded(self) -> None:
        """A new store gets the unit directory and the embedded plan (in one
        transaction: of several programs starting at once on a new folder, one
        seeds and the others find it done)."""
        if self.store.count_units() and self.store.list_plans():
            return
        with self.store.atomic():
            self._seed()

    def _seed(self) -> None:
        if self.store.count_units() == 0:
            self.load_directory(load_directory_file(resource_path("units.json")))
        if not self.store.list_plans():
            path = resource_path("plans", EMBEDDED_PLAN)
            self.import_plan_text(decode_plan_bytes(path.read_bytes()), source=f"内置：{EMBEDDED_PLAN}")

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
        directory = self.directory().scoped(plan.get("directory") or "")
        strict = from_elsewhere(plan["title"], plan["issuer"])
        return directory, Context(strict, self.store.plan_names(plan["id"]) if plan.get("id") else {})

    def reresolve(self, plan_id: str | None = None) -> list[RoleChange]:
        """Recompute every task's mentions and roles from its text and the directory."""
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

    # ---- plans ------------------------------------------------------------
    def plans(self) -> list[dict]:
        return self.store.list_plans()

    def plan(self, plan_id: str) -> dict:
        plan = self.store.get_plan(plan_id)
        if plan is None:
            raise InputError("找不到所选的工作方案。")
        return plan

    def current_plan(self) -> dict:
        plans = self.store.list_plans()
        if not plans:
            raise TaizhangError("数据中还没有任何工作方案。")
        wanted = self.store.get_setting(K_PLAN)
        for p in plans:
            if p["id"] == wanted:
                return p
        return plans[0]

    def set_current_plan(self, plan_ref: str) -> dict:
        plan = self.find_plan(plan_ref)
        self.store.set_setting(K_PLAN, plan["id"])
        return plan

    def find_plan(self, ref: str, deleted: bool = False) -> dict:
        """A plan by id, year or title (``deleted``: one in the 回收站)."""
        plans = self.store.list_plans(deleted)
        for p in plans:
            if ref in (p["id"], str(p["year"]), p["title"]):
                return p
        where = "回收站中" if deleted else ""
        raise InputError(f"{where}找不到方案“{ref}”，可用 plans 命令查看已导入的方案。")

    def removed_plans(self) -> list[dict]:
        return self.store.list_plans(deleted=True)

    def edit_plan(self, plan_ref: str, title: str | None = None, issuer: str | None = None,
                  issued_date: date | str | None = "", year: int | str | None = None) -> dict:
        """Title, issuer, date (None clears it; "" leaves it) and year of a plan."""
        plan = self.find_plan(plan_ref)
        fields: dict = {}
        if title is not None:
            fields["title"] = _clean_text(title, "方案标题", required=True, limit=200)
        if issuer is not None:
            fields["issuer"] = _clean_text(issuer, "发文单位", limit=100)
        if issued_date != "":
            if isinstance(issued_date, str):
                issued_date = parse_user_date(issued_date)
            fields["issued_date"] = issued_date.isoformat() if issued_date else None
        if year is not None:
            if not re.fullmatch(r"\s*(19|20)\d\d\s*", str(year)):
                raise InputError(f"年度“{year}”无效，应为四位年份。")
            fields["year"] = int(year)
        if fields:
            with self.store.atomic():
                self.store.update_plan(plan["id"], fields)
                self.reresolve(plan["id"])  # a new title or issuer may make it another city's plan
        return self.plan(plan["id"])

    def remove_plan(self, plan_ref: str) -> dict:
        """To the 回收站, with every record on it; restore_plan brings it back."""
        plan = self.find_plan(plan_ref)
        if len(self.store.list_plans()) == 1:
            raise InputError("这是唯一的工作方案，不能删除（可先导入新的方案）。")
        with self.store.atomic():
            self.store.set_plan_deleted(plan["id"], True)
            if self.store.get_setting(K_PLAN) == plan["id"]:
                self.store.set_setting(K_PLAN, self.store.list_plans()[0]["id"])
        return plan

    def restore_plan(self, plan_ref: str) -> dict:
        plan = self.find_plan(plan_ref, deleted=True)
        self.store.set_plan_deleted(plan["id"], False)
        return self.plan(plan["id"])

    def import_plan_file(self, path: Path) -> ImportResult:
        """A plan file of any format core.plans reads (.docx .xlsx .xls .html .csv .txt .pdf)."""
        return self.import_draft(read_plan_file(path), source=Path(path).name)

    def import_plan_text(self, text: str, source: str = "") -> ImportResult:
        return self.import_draft(parse_plan(text, source), source)

    def import_draft(self, draft: PlanDraft, source: str = "",
                     decisions: dict[str, NameDecision] | None = None) -> ImportResult:
        """A parsed plan, with the user's decisions for its unknown (or uncertain) names."""
        plan_id = plan_uuid(draft)
        if self.store.get_plan(plan_id):
            bin_ = "（在回收站中，可恢复）" if self.store.get_plan(plan_id)["deleted_at"] else ""
            raise InputError(f"方案《{draft.title}》已经导入过了{bin_}。")
        try:
            with self.store.atomic():
                self._insert_draft(plan_id, draft, source, decisions or {})
                if self.store.get_setting(K_PLAN) is None:
                    self.store.set_setting(K_PLAN, plan_id)
        finally:
            self._directory = None
        return self._import_result(plan_id, draft)

    def _insert_draft(self, plan_id: str, draft: PlanDraft, source: str,
                      decisions: dict[str, NameDecision]) -> None:
        """The plan, its categories and tasks, the units the decisions add, resolved
        (inside the caller's transaction)."""
        home = plan_home(draft, decisions, self.directory().directories())
        stamp = now()
        plan = {"id": plan_id, "title": draft.title, "issuer": draft.issuer,
                "issued_date": draft.issued_date.isoformat() if draft.issued_date else None,
                "year": draft.year, "preamble": draft.preamble, "source": source,
                "created_at": stamp, "updated_at": stamp, "directory": home}
        cat_ids = {name: _child_uuid(plan_id, f"category:{name}") for name in draft.categories}
        categories = [{"id": cat_ids[n], "plan_id": plan_id, "ord": i, "name": n}
                      for i, n in enumerate(draft.categories)]
        tasks = []
        for t in draft.tasks:
            dl = task_deadline(t, draft.year)
            tasks.append({"id": _child_uuid(plan_id, f"task:{t.number}"), "plan_id": plan_id,
                          "category_id": cat_ids[t.category], "number": t.number, "text": t.text,
                          "units_text": t.units_text, "lead_text": t.lead_text, "cooperate_text": t.cooperate_text,
                          "deadline": dl.iso, "deadline_kind": dl.kind, "deadline_explicit": int(dl.explicit),
                          "source_line": t.line})
        self.store.insert_plan(plan, categories, tasks)
        self._apply_decisions(plan_id, home, decisions)
        self.reresolve(plan_id)

    def _apply_decisions(self, plan_id: str, home: str, decisions: dict[str, NameDecision]) -> None:
        for name, d in decisions.items():
            name = normalize_name(name)
            if d.action == ADD:
                unit = self._put_unit(Unit(id="", full_name=name, short_name=name, kind=d.kind or "office",
                                           directory=home if d.kind == "office" else "", has_admin=None))
            elif d.action == MAP:
                unit = self.directory().get(d.unit_id or "")
                if unit is None:
                    raise InputError(f"“{name}”要对应的单位不存在。")
                if name not in unit.names:
                    try:  # the name is kept as an alias, unless another unit answers to it
                        self._put_unit(Unit(**{**unit.__dict__, "aliases": (*unit.aliases, name)}))
                    except InputError:
                        pass  # the plan's own decision below still holds
            else:
                continue
            self.store.set_plan_name(plan_id, name, unit.id)

    def _import_result(self, plan_id: str, draft: PlanDraft) -> ImportResult:
        tasks = self.store.list_tasks(plan_id)
        number_of = {t["id"]: t["number"] for t in tasks}
        scoped, context = self.plan_context(self.plan(plan_id))
        unresolved: dict[int, list[str]] = {}
        uncertain: dict[str, str] = {}
        for t in tasks:
            res = resolve(t["units_text"], scoped, t["lead_text"], t["cooperate_text"], context)
            for name in res.unresolved:
                unresolved.setdefault(number_of[t["id"]], []).append(name)
            uncertain.update({n: scoped.get(uid).short_name for n, uid in res.uncertain.items()})
        return ImportResult(plan_id, draft.title, draft.year, len(self.store.list_categories(plan_id)), len(tasks),
                            unresolved, list(draft.warnings), uncertain)

    # ---- replacing a plan by a corrected import ----------------------------
    def plan_replacement_preview(self, plan_ref: str, draft: PlanDraft) -> Replacement:
        """What replace_plan would do, computed without writing: the tasks kept,
        corrected or renumbered (their records follow), lost (their records stay
        with the old plan in the 回收站) and added."""
        old = self.find_plan(plan_ref)
        tasks = self.store.list_tasks(old["id"])
        matches = match_tasks([(t["number"], t["text"]) for t in tasks], [(t.number, t.text) for t in draft.tasks])
        new_text = {t.number: t.text for t in draft.tasks}
        records: dict[str, list[TaskRecords]] = {}
        for r in self.store.record_counts(old["id"]):
            unit = self.directory().get(r["unit_id"])
            records.setdefault(r["task_id"], []).append(
                TaskRecords(unit.short_name if unit else r["unit_id"], r["actions"], r["attachments"], bool(r["state"])))
        rep = Replacement(old["id"], old["title"], matches=matches)
        for t in tasks:
            n = matches.get(t["number"])
            if n is None:
                rep.lost.append(Lost(t["number"], t["text"], records.get(t["id"], [])))
            elif n == t["number"] and new_text[n] == t["text"]:
                rep.kept.append(n)
            else:
                rep.moved.append(Moved(t["number"], n, new_text[n] != t["text"], records.get(t["id"], [])))
        rep.added = sorted(set(new_text) - set(matches.values()))
        return rep

    def replace_plan(self, plan_ref: str, draft: PlanDraft, source: str = "",
                     decisions: dict[str, NameDecision] | None = None) -> ImportResult:
        """The corrected plan takes the old one's place (and its current-plan mark);
        the records of matched tasks move to their new task; the old plan goes to
        the 回收站, keeping the records of the tasks that have no match."""
        rep = self.plan_replacement_preview(plan_ref, draft)
        old = self.plan(rep.plan_id)
        plan_id, k = plan_uuid(draft), 0
        while self.store.get_plan(plan_id):
            k += 1
            plan_id = str(uuid.uuid5(NAMESPACE, f"plan:{old['id']}:replaced:{k}"))
        by_number = {t["number"]: t["id"] for t in self.store.list_tasks(old["id"])}
        try:
            with self.store.atomic():
                self._insert_draft(plan_id, draft, source or old["source"], decisions or {})
                new_ids = {t["number"]: t["id"] for t in self.store.list_tasks(plan_id)}
                for o, n in rep.matches.items():
                    self.store.move_task_records(by_number[o], new_ids[n], plan_id)
                self.store.move_plan_texts(old["id"], plan_id)
                self.reresolve(plan_id)
                self.store.set_plan_deleted(old["id"], True)
                if self.store.get_setting(K_PLAN) in (None, old["id"]):
                    self.store.set_setting(K_PLAN, plan_id)
        finally:
            self._directory = None
        return self._import_result(plan_id, draft)

    # ---- next year ----------------------------------------------------------
    def previous_plan(self, plan_id: str | None = None) -> dict | None:
        """The latest plan in use of an earlier year than this one (default: the current plan)."""
        year = self.plan(self._plan_id(plan_id))["year"]
        earlier = [p for p in self.store.list_plans() if p["year"] < year]
        return earlier[0] if earlier else None

    def unfinished_last_year(self, unit_id: str, plan_id: str | None = None,
                             today: date | None = None) -> tuple[dict | None, list[TaskView]]:
        """Last year's plan and this unit's tasks in it that are not 已完成: what
        the new year's 回头看 takes up again (those with a unit and a deadline first)."""
        prev = self.previous_plan(plan_id)
        if prev is None:
            return None, []
        views = [v for v in self.tasks(unit_id, prev["id"], today=today) if v.status != DONE]
        views.sort(key=lambda v: (v.deadline is None, v.number))
        return prev, views

    # ---- who I am ---------------------------------------------------------
    def my_unit(self) -> Unit | None:
        uid = self.store.get_setting(K_UNIT)
        return self.directory().get(uid) if uid else None

    def set_my_unit(self, name_or_id: str) -> Unit:
        unit = self.find_unit(name_or_id)
        self.store.set_setting(K_UNIT, unit.id)
        return unit

    def handler(self) -> str:
        return self.store.get_setting(K_HANDLER, "") or ""

    def set_handler(self, name: str) -> str:
        name = _clean_text(name, "经办人姓名", limit=50)
        self.store.set_setting(K_HANDLER, name)
        return name

    # ---- tasks ------------------------------------------------------------
    def _plan_id(self, plan_id: str | None) -> str:
        return plan_id or self.current_plan()["id"]

    def tasks(self, unit_id: str, plan_id: str | None = None, today: date | None = None,
              include_all: bool = False, include_dismissed: bool = False) -> list[TaskView]:
        plan_id = self._plan_id(plan_id)
        today = today or date.today()
        mentions: dict[str, list[dict]] = {}
        for m in self.store.mentions(plan_id):
            mentions.setdefault(m["task_id"], []).append(m)
        out = []
        for r in self.store.unit_task_rows(plan_id, unit_id):
            if not include_all:
                if r["role"] is None:
                    continue
                if r["role"] == RELATED and r["decision"] == DISMISSED and not include_dismissed:
                    continue
            out.append(self._view(r, mentions.get(r["id"], []), today))
        return out

    def task(self, unit_id: str, task_id: str, today: date | None = None) -> TaskView:
        task = self.store.get_task(task_id)
        if task is None:
            raise UnknownTaskError(task_id)
        for r in self.store.unit_task_rows(task["plan_id"], unit_id):
            if r["id"] == task_id:
                return self._view(r, self.store.mentions_of_task(task_id), today or date.today())
        raise UnknownTaskError(task_id)

    def task_id(self, number: int | str, plan_id: str | None = None) -> str:
        plan = self.plan(self._plan_id(plan_id))
        try:
            n = int(number)
        except (TypeError, ValueError):
            raise InputError(f"任务序号“{number}”应是数字。") from None
        if not 0 < n < 100000:
            raise UnknownTaskError(n, plan["title"])
        row = self.store.task_by_number(plan["id"], n)
        if row is None:
            raise UnknownTaskError(n, plan["title"])
        return row["id"]

    @staticmethod
    def _view(r: dict, mentions: list[dict], today: date) -> TaskView:
        due = date.fromisoformat(r["deadline"]) if r["deadline"] else None
        return TaskView(
            id=r["id"], plan_id=r["plan_id"], number=r["number"], category=r["category"],
            category_ord=r["category_ord"], text=r["text"], units_text=r["units_text"], role=r["role"],
            deadline=due, deadline_kind=r["deadline_kind"], deadline_explicit=bool(r["deadline_explicit"]),
            status=r["status"], dept=r["dept"], person=r["person"], notes=r["notes"], decision=r["decision"],
            light=compute_light(due, r["deadline_kind"], r["status"], today),
            action_count=r["action_count"], attachment_count=r["attachment_count"],
            last_action=r["last_action"] or "", last_action_date=r["last_action_date"],
            units=[{"name": m["name"], "role": m["role"], "kind": m["kind"], "unit_id": m["unit_id"],
                    "group": m["group_key"]} for m in mentions],
            problem=r["problem"], remedy=r["remedy"],
            remedy_due=date.fromisoformat(r["remedy_due"]) if r["remedy_due"] else None,
            done_date=date.fromisoformat(r["done_date"]) if r["done_date"] else None,
        )

    def _task_row(self, task_id: str) -> dict:
        task = self.store.get_task(task_id)
        if task is None:
            raise UnknownTaskError(task_id)
        return task

    def _assigned_task(self, unit_id: str, task_id: str) -> dict:
        task = self._task_row(task_id)
        role = self.store.assignment(task_id, unit_id)
        unit = self.directory().get(unit_id)
        name = unit.short_name if unit else "该单位"
        if role is None:
            raise InputError(f"第{task['number']}项任务没有分配给{name}，不能记录。")
        if role == RELATED:
            state = self.store.get_state(unit_id, task_id)
            if state and state["decision"] == DISMISSED:
                raise InputError(f"第{task['number']}项任务已标记为“与本单位无关”，请先撤销该标记再记录。")
        return task

    # ---- state ------------------------------------------------------------
    def set_status(self, unit_id: str, task_id: str, status: str, done_date: date | str | None = None,
                   today: date | None = None) -> dict:
        """The unit's status of a task; returns the state row.

        已完成 keeps a completion date: ``done_date`` when given, else the date of
        the latest record, else ``default_date`` (today, or the plan year's last
        day once it is over). Any other status clears it."""
        if status not in STATUSES:
            raise InputError(f"状态“{status}”无效，应为：{'、'.join(STATUSES)}。")
        task = self._assigned_task(unit_id, task_id)
        if status != DONE:
            if done_date is not None:
                raise InputError("只有“已完成”的任务才有完成日期。")
            return self.store.update_state(task["plan_id"], unit_id, task_id, status=status, done_date=None)
        when = self._done_date(unit_id, task, done_date, today)
        return self.store.update_state(task["plan_id"], unit_id, task_id, status=status, done_date=when)

    def _done_date(self, unit_id: str, task: dict, given: date | str | None, today: date | None) -> str:
        if isinstance(given, str):
            given = parse_user_date(given)
        if given is not None:
            _check_date(given, "完成日期")
        if given is not None:
            return given.isoformat()
        dates = [a["action_date"] for a in self.store.list_actions(unit_id, task["id"])]
        if dates:
            return max(dates)
        year = self.plan(task["plan_id"])["year"]
        return default_date(year, today or date.today()).isoformat()

    def _start_on_first_record(self, unit_id: str, task: dict) -> str | None:
        """Status follows the work: a record on a 未启动 task makes it 推进中.
        Inside the caller's transaction; returns the status it replaced, or None."""
        state = self.store.get_state(unit_id, task["id"])
        if state is not None and state["status"] != NOT_STARTED:
            return None
        self.store.update_state(task["plan_id"], unit_id, task["id"], status=IN_PROGRESS)
        return NOT_STARTED

    def set_division(self, unit_id: str, task_id: str, dept: str | None = None, person: str | None = None,
                     notes: str | None = None) -> dict:
        task = self._assigned_task(unit_id, task_id)
        fields = {}
        if dept is not None:
            fields["dept"] = _clean_text(dept, "责任科室", limit=200)
        if person is not None:
            fields["person"] = _clean_text(person, "责任人", limit=200)
        if notes is not None:
            fields["notes"] = _clean_text(notes, "备注")
        return self.store.update_state(task["plan_id"], unit_id, task_id, **fields)

    def set_lookback(self, unit_id: str, task_id: str, problem: str | None = None, remedy: str | None = None,
                     remedy_due: date | str | None = "") -> dict:
        """存在问题, 整改措施 and 整改时限 of an unfinished task (the 回头看 checklist).
        ``remedy_due`` "" leaves it unchanged; None clears it."""
        task = self._assigned_task(unit_id, task_id)
        fields: dict = {}
        if problem is not None:
            fields["problem"] = _clean_text(problem, "存在问题")
        if remedy is not None:
            fields["remedy"] = _clean_text(remedy, "整改措施")
        if remedy_due != "":
            if isinstance(remedy_due, str):
                remedy_due = parse_user_date(remedy_due)
            if remedy_due:
                _check_date(remedy_due, "整改时限")
            fields["remedy_due"] = remedy_due.isoformat() if remedy_due else None
        return self.store.update_state(task["plan_id"], unit_id, task_id, **fields)

    def report_texts(self, unit_id: str, plan_id: str | None = None) -> dict:
        """The clerk's own texts for the self-report: summary, problems, next_steps."""
        row = self.store.get_unit_report(self._plan_id(plan_id), unit_id)
        return {k: (row or {}).get(k, "") for k in ("summary", "problems", "next_steps")}

    def set_report_texts(self, unit_id: str, plan_id: str | None = None, summary: str | None = None,
                         problems: str | None = None, next_steps: str | None = None) -> dict:
        if self.directory().get(unit_id) is None:
            raise InputError("找不到该单位。")
        fields = {}
        for key, value, what in (("summary", summary, "总体情况"), ("problems", problems, "存在问题"),
                                 ("next_steps", next_steps, "下一步工作计划")):
            if value is not None:
                fields[key] = _clean_text(value, what)
        self.store.update_unit_report(self._plan_id(plan_id), unit_id, **fields)
        return self.report_texts(unit_id, plan_id)

    def decide_related(self, unit_id: str, task_id: str, decision: str | None) -> dict:
        """Confirm (本单位负责) or dismiss (与本单位无关) a related task; None undoes it."""
        if decision is not None and decision not in DECISIONS:
            raise InputError("确认结果无效。")
        task = self._task_row(task_id)
        if self.store.assignment(task_id, unit_id) != RELATED:
            raise InputError(f"第{task['number']}项任务不是待确认的相关任务。")
        return self.store.update_state(task["plan_id"], unit_id, task_id, decision=decision)

    # ---- actions ----------------------------------------------------------
    def _action_fields(self, content: str, action_date: date | str | None, handler: str | None,
                       link: str | None) -> dict:
        if isinstance(action_date, str):
            action_date = parse_user_date(action_date)
        if action_date is not None:
            _check_date(action_date, "日期")
        return {
            "action_date": (action_date or date.today()).isoformat(),
            "content": _clean_text(content, "进展内容", required=True),
            "handler": _clean_text(self.handler() if handler is None else handler, "经办人", limit=50),
            "link": _check_link(_clean_text(link or "", "公开链接", limit=2000)),
        }

    def add_action(self, unit_id: str, task_id: str, content: str, action_date: date | str | None = None,
                   handler: str | None = None, link: str | None = None) -> dict:
        """A record of work done; the action row plus two keys: ``status_changed_from``
        (NOT_STARTED when this first record moved the task to IN_PROGRESS, else
        None: the window offers to undo it with set_status) and ``status`` (the
        task's status now)."""
        task = self._assigned_task(unit_id, task_id)
        fields = self._action_fields(content, action_date, handler, link)
        with self.store.atomic():
            action = self.store.insert_action({"plan_id": task["plan_id"], "unit_id": unit_id, "task_id": task_id,
                                               **fields})
            before = self._start_on_first_record(unit_id, task)
        return {**action, "status_changed_from": before, "status": self._status(unit_id, task_id)}

    def _status(self, unit_id: str, task_id: str) -> str:
        state = self.store.get_state(unit_id, task_id)
        return state["status"] if state else NOT_STARTED

    def _action(self, action_id: str) -> dict:
        row = self.store.get_action(action_id)
        if row is None:
            raise InputError("找不到这条进展记录。")
        return row

    def edit_action(self, action_id: str, content: str | None = None, action_date: date | str | None = None,
                    handler: str | None = None, link: str | None = None) -> dict:
        old = self._action(action_id)
        fields = self._action_fields(
            old["content"] if content is None else content,
            old["action_date"] if action_date is None else action_date,
            old["handler"] if handler is None else handler,
            old["link"] if link is None else link)
        if all(old[k] == v for k, v in fields.items()):
            return old
        return self.store.update_action(action_id, fields)

    def delete_action(self, action_id: str) -> None:
        """Moves the action to the 回收站; restore_action brings it back."""
        self._action(action_id)
        self.store.set_action_deleted(action_id, True)

    def restore_action(self, action_id: str) -> None:
        self._action(action_id)
        self.store.set_action_deleted(action_id, False)

    def actions(self, unit_id: str, task_id: str) -> list[dict]:
        return self.store.list_actions(unit_id, task_id)

    def deleted_actions(self, unit_id: str, plan_id: str | None = None) -> list[dict]:
        return self.store.list_actions(unit_id, plan_id=self._plan_id(plan_id), deleted=True)

    def action_history(self, action_id: str) -> list[dict]:
        """Earlier versions, oldest first (the current one is not included)."""
        return self.store.action_versions(action_id)

    # ---- attachments ------------------------------------------------------
    def attach_file(self, unit_id: str, task_id: str, path: Path | str, action_id: str | None = None,
                    progress: files.Progress | None = None, cancelled: files.IsCancelled | None = None) -> dict:
        task = self._assigned_task(unit_id, task_id)
        if action_id is not None and self._action(action_id)["task_id"] != task_id:
            raise InputError("这条进展记录不属于该任务。")
        self._writable()
        part = files.copy_in(Path(path), self.attachments_dir, progress, cancelled)
        with self._placed([part]) as [stored]:
            return self.store.insert_attachment({"plan_id": task["plan_id"], "unit_id": unit_id,
                                                 "task_id": task_id, "action_id": action_id,
                                                 "sha256": stored.sha256, "name": stored.name,
                                                 "size": stored.size})

    def _writable(self) -> None:
        """Refuse a write before its long part (copying a file) when the store is read-only."""
        if self.read_only:
            raise StoreError(self.damage_message)

    @contextlib.contextmanager
    def _placed(self, parts: list[files.Part]) -> Iterator[list[files.StoredFile]]:
        """A write transaction in which the copied files are moved into place.

        The blob appears under the store's write lock and is committed with
        the row that uses it; collect_unused_files takes the same lock, so it
        never removes a blob between its placing and the commit. When the body
        fails, the blobs this transaction created are removed before the lock
        is released (no committed row can use them); when the commit itself
        fails, a blob may stay until the next collect_unused_files."""
        try:
            with self.store.atomic():
                placed: list[files.StoredFile] = []
                try:
                    for part in parts:
                        placed.append(files.place(part, self.attachments_dir))
                    yield placed
                except BaseException:
                    for stored in placed:
                        if stored.created:
                            with contextlib.suppress(OSError):
                                stored.path.unlink()
                    raise
        finally:
            for part in parts:
                part.discard()

    # ---- 清空回收站, 清理未用文件 --------------------------------------------------
    def empty_recycle_bin(self, unit_id: str, plan_id: str | None = None) -> files.Freed:
        """Delete for good the unit's records and files in the 回收站 (of one plan,
        or of every plan when ``plan_id`` is None). Returns Freed(count: records
        and files removed, bytes: disk space freed by the evidence files no
        other row uses)."""
        actions, rows = self.store.recycled(unit_id, plan_id)
        if not actions and not rows:
            return files.Freed()
        self.store.purge([a["id"] for a in actions], [r["id"] for r in rows])
        freed = self._collect({r["sha256"] for r in rows})
        return files.Freed(len(actions) + len(rows), freed.bytes)

    def collect_unused_files(self) -> files.Freed:
        """清理未用文件: evidence files no record refers to (left by a crash or a
        failed save), copies in progress abandoned for over a day, and the
        viewer's and previews' temporary copies older than a day. Returns
        Freed(count of files, bytes)."""
        if self.folder is None:
            return files.Freed()
        freed = self._collect(None)
        freed += files.remove_stale_parts(self.attachments_dir)
        freed += files.remove_abandoned(self.folder.open_copies)
        freed += files.remove_abandoned(self.folder.previews)
        freed += files.remove_abandoned(self.folder.tmp, "backup-*.db")
        freed += files.remove_abandoned(self.folder.backups, "*.part")
        return freed

    def _collect(self, only: set[str] | None) -> files.Freed:
        """The one place blobs are deleted: under the store's write lock, those
        that no committed row uses (``only``: among these hashes)."""
        if self.folder is None:
            return files.Freed()
        with self.store.atomic():
            return files.remove_unused(self.attachments_dir, self.store.shas_in_use(), only)

    # ---- backups -----------------------------------------------------------
    def backup_to(self, path: Path | str, progress: files.Progress | None = None,
                  cancelled: files.IsCancelled | None = None):
        """备份到…: the whole data folder (store + evidence files) as one verified
        zip at ``path`` (core.backup.write_archive). Returns an ArchiveResult
        (path, records, files, bytes, missing); raises SaveError/StoreError
        (Chinese) or Cancelled, leaving nothing half-written."""
        from core import backup

        return backup.write_archive(self, path, progress, cancelled)

    def check_store(self) -> list[str]:
        """quick_check now: [] when the store is sound."""
        return self.store.check()

    def attachments(self, unit_id: str, task_id: str) -> list[dict]:
        return self.store.list_attachments(unit_id, task_id)

    def deleted_attachments(self, unit_id: str, plan_id: str | None = None) -> list[dict]:
        return self.store.list_attachments(unit_id, plan_id=self._plan_id(plan_id), deleted=True)

    def files_of_deleted_actions(self, unit_id: str, plan_id: str | None = None) -> list[dict]:
        """The files each deleted record took to the 回收站 (restoring the record brings them back)."""
        return self.store.attachments_of_deleted_actions(unit_id, self._plan_id(plan_id))

    def remove_attachment(self, attachment_id: str) -> None:
        if self.store.get_attachment(attachment_id) is None:
            raise InputError("找不到这个佐证材料。")
        self.store.set_attachment_deleted(attachment_id, True)

    def restore_attachment(self, attachment_id: str) -> None:
        if self.store.get_attachment(attachment_id) is None:
            raise InputError("找不到这个佐证材料。")
        self.store.set_attachment_deleted(attachment_id, False)

    def attachment_path(self, row: dict) -> Path:
        return files.blob_path(self.attachments_dir, row["sha256"])

    # ---- one record, as the command line takes it ------------------------
    def record(self, unit_id: str, task_id: str, content: str, action_date: date | str | None = None,
               handler: str | None = None, link: str | None = None, attach: list[Path] | None = None,
               status: str | None = None) -> dict:
        """An action with its files and an optional status, all or nothing.
        Returns the action row with ``status_changed_from`` (the status before,
        when it changed: by ``status`` or by the first record on a 未启动 task)
        and ``status`` (the status now), as add_action does."""
        task = self._assigned_task(unit_id, task_id)
        fields = self._action_fields(content, action_date, handler, link)
        if status is not None and status not in STATUSES:
            raise InputError(f"状态“{status}”无效，应为：{'、'.join(STATUSES)}。")
        paths = [Path(p) for p in attach or []]
        for p in paths:
            files.check_source(p)
        self._writable()
        parts: list[files.Part] = []
        try:
            for p in paths:
                parts.append(files.copy_in(p, self.attachments_dir))
        except BaseException:
            for part in parts:
                part.discard()
            raise
        with self._placed(parts) as stored:
            action = self.store.insert_action({"plan_id": task["plan_id"], "unit_id": unit_id,
                                               "task_id": task_id, **fields})
            for s in stored:
                self.store.insert_attachment({"plan_id": task["plan_id"], "unit_id": unit_id,
                                              "task_id": task_id, "action_id": action["id"],
                                              "sha256": s.sha256, "name": s.name, "size": s.size})
            old = self._status(unit_id, task_id)
            if status is None:
                self._start_on_first_record(unit_id, task)
            elif status == DONE:
                self.store.update_state(task["plan_id"], unit_id, task_id, status=status,
                                        done_date=self._done_date(unit_id, task, None, None))
            else:
                self.store.update_state(task["plan_id"], unit_id, task_id, status=status, done_date=None)
            now_status = self._status(unit_id, task_id)
        return {**action, "status_changed_from": old if old != now_status else None, "status": now_status}

    # ---- search -----------------------------------------------------------
    def search(self, unit_id: str | None, query: str, plan_id: str | None = None) -> list[int]:
        """Numbers of the tasks whose text, category, units, division or this
        unit's actions contain every word of ``query`` (two-character words too)."""
        terms = [t for t in re.split(r"\s+", query.strip()) if t]
        return [r["number"] for r in self.store.search(self._plan_id(plan_id), unit_id, terms)]


def _speaks_chinese(cls):
    """Every method of the Ledger turns a storage error from db/ (full disk,
    read-only folder, pulled stick, damaged or read-only store) into the
    clerk's Chinese StoreError (core.errors.store_error)."""
    def wrap(fn):
        if inspect.isgeneratorfunction(fn):
            return fn

        @functools.wraps(fn)
        def method(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except DbError as exc:
                raise store_error(exc) from exc
        return method

    for name, value in list(vars(cls).items()):
        if inspect.isfunction(value) and not name.startswith("__"):
            setattr(cls, name, wrap(value))
    return cls


Ledger = _speaks_chinese(Ledger)
