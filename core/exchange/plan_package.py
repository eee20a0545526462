"""The plan package (方案包, .tzfa): the plan as the supervising office imported
and corrected it, with its unit directory and the assignments made there.

A unit that imports it gets the same plan with the same ids (plan, categories,
tasks and units keep the ids they have at the office) and no parsing: the
categories, tasks, mentions and assignments are taken as they are.

``plan_content(ledger, plan_id)`` is the plan's content in a canonical form;
its sha256 goes into every package's manifest, so a desk can tell whether a
unit worked on the same text of the plan.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from core.clerk_settings import K_PLAN
from core.errors import InputError
from core.exchange import PLAN_DATA, PLAN_EXT, PLAN_KIND, PackageError
from core.exchange.reader import open_package
from core.exchange.writer import Entry, base_manifest, json_bytes, write_package

_PLAN_FIELDS = ("id", "title", "issuer", "issued_date", "year", "preamble")
_TASK_FIELDS = ("id", "category_id", "number", "text", "units_text", "lead_text", "cooperate_text", "deadline",
                "deadline_kind", "deadline_explicit", "source_line")
_UNIT_FIELDS = ("id", "full_name", "short_name", "kind", "subkind", "has_admin", "has_website", "retired", "ord")


def plan_content(ledger, plan_id: str) -> dict:
    plan = ledger.plan(plan_id)
    return {
        "plan": {k: plan[k] for k in _PLAN_FIELDS},
        "categories": [{"id": c["id"], "ord": c["ord"], "name": c["name"]}
                       for c in ledger.store.list_categories(plan_id)],
        "tasks": [{k: t[k] for k in _TASK_FIELDS} for t in ledger.store.list_tasks(plan_id)],
    }


def content_sha256(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()


def plan_sha256(ledger, plan_id: str) -> str:
    return content_sha256(plan_content(ledger, plan_id))


def default_plan_package_name(year: int, day: date | None = None) -> str:
    return f"{year}年工作方案-方案包-{(day or date.today()).strftime('%Y%m%d')}{PLAN_EXT}"


def export_plan_package(ledger, out: Path | str, plan_id: str | None = None) -> Path:
    plan_id = plan_id or ledger.current_plan()["id"]
    content = plan_content(ledger, plan_id)
    out = Path(out)
    if out.is_dir():
        out = out / default_plan_package_name(content["plan"]["year"])
    if out.suffix.lower() != PLAN_EXT:
        raise InputError(f"方案包应保存为 {PLAN_EXT} 文件，“{out.name}”的扩展名不对。")
    plan = ledger.plan(plan_id)
    data = {
        **content,
        "source": plan["source"],
        "units": [{**{k: r[k] for k in _UNIT_FIELDS}, "aliases": r["aliases"]} for r in ledger.store.list_units()],
        "mentions": [{k: m[k] for k in ("task_id", "ord", "name", "kind", "role", "unit_id", "group_key")}
                     for m in ledger.store.mentions(plan_id)],
        "assignments": ledger.store.all_assignments(plan_id),
    }
    manifest = {**base_manifest(PLAN_KIND, ledger),
                "plan": {"id": plan_id, "title": plan["title"], "year": plan["year"],
                         "content_sha256": content_sha256(content)}}
    write_package(out, manifest, [Entry(PLAN_DATA, json_bytes(data))])
    return out


def import_plan_package(ledger, path: Path | str) -> dict:
    """Import the plan carried in a plan package; returns {"plan_id", "title", "tasks", "units_added"}.
    A plan already here with the same content is said so; with other content it is refused."""
    with open_package(path, expect_kind=PLAN_KIND) as pkg:
        data = pkg.read_json(PLAN_DATA)
        label = f"“{Path(path).name}”"
        try:
            plan, cats, tasks = data["plan"], data["categories"], data["tasks"]
            for key in ("units", "mentions", "assignments"):
                if not isinstance(data[key], list):
                    raise TypeError(key)
            content = {"plan": {k: plan[k] for k in _PLAN_FIELDS},
                       "categories": [{k: c[k] for k in ("id", "ord", "name")} for c in cats],
                       "tasks": [{k: t[k] for k in _TASK_FIELDS} for t in tasks]}
        except (KeyError, TypeError) as exc:
            raise PackageError(f"{label}中的方案数据不完整，未导入。") from exc
        if content_sha256(content) != pkg.manifest.get("plan", {}).get("content_sha256"):
            raise PackageError(f"{label}中的方案内容与其说明不符，可能被改动过，未导入。")
        existing = ledger.store.get_plan(plan["id"])
        if existing is not None:
            if plan_sha256(ledger, plan["id"]) == content_sha256(content):
                return {"plan_id": plan["id"], "title": plan["title"], "tasks": len(tasks), "units_added": 0,
                        "unchanged": True}
            raise PackageError(f"本机已有方案《{plan['title']}》，但内容与方案包不同，未导入。"
                               "如需改用汇总单位下发的方案，请先删除本机的该方案或使用新的数据文件夹。")
        return _insert(ledger, data, content, label)


def _insert(ledger, data: dict, content: dict, label: str) -> dict:
    from core.units import Unit
    from db.store import now

    known = {u.id for u in ledger.units()}
    by_name = {u.full_name: u.id for u in ledger.units()}
    added = 0
    stamp = now()
    plan = content["plan"]
    try:
        with ledger.store.atomic():
            for u in data["units"]:
                if u["id"] in known:
                    continue
                if u["full_name"] in by_name:
                    raise PackageError(f"{label}中的单位“{u['full_name']}”与本机名录中的同名单位编号不同，未导入。")
                unit = Unit(id=u["id"], full_name=u["full_name"], short_name=u["short_name"], kind=u["kind"],
                            subkind=u.get("subkind") or "", has_admin=u.get("has_admin"),
                            has_website=u.get("has_website"), aliases=tuple(u.get("aliases") or ()),
                            retired=bool(u.get("retired")), ord=int(u.get("ord") or 0))
                ledger.store.upsert_unit(ledger._unit_row(unit), list(unit.aliases))
                added += 1
            ledger.store.insert_plan(
                {**plan, "source": data.get("source") or "方案包", "created_at": stamp, "updated_at": stamp},
                [{**c, "plan_id": plan["id"]} for c in content["categories"]],
                [{**t, "plan_id": plan["id"]} for t in content["tasks"]])
            by_task: dict[str, list[dict]] = {}
            for m in data["mentions"]:
                by_task.setdefault(m["task_id"], []).append(m)
            roles: dict[str, dict[str, str]] = {}
            for a in data["assignments"]:
                roles.setdefault(a["task_id"], {})[a["unit_id"]] = a["role"]
            for t in content["tasks"]:
                ms = sorted(by_task.get(t["id"], []), key=lambda m: m["ord"])
                ledger.store.replace_resolution(
                    t["id"], [{k: m[k] for k in ("name", "kind", "role", "unit_id", "group_key")} for m in ms],
                    roles.get(t["id"], {}))
            if ledger.store.get_setting(K_PLAN) is None:
                ledger.store.set_setting(K_PLAN, plan["id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PackageError(f"{label}中的方案数据不完整，未导入。") from exc
    except PackageError:
        raise
    except Exception as exc:
        import sqlite3
        if isinstance(exc, sqlite3.Error):
            raise PackageError(f"{label}中的方案数据与本机数据冲突（{exc}），未导入。") from exc
        raise
    finally:
        ledger._directory = None
    return {"plan_id": plan["id"], "title": plan["title"], "tasks": len(content["tasks"]), "units_added": added,
            "unchanged": False}
