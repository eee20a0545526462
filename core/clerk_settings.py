"""The clerk's choices the store keeps in its settings table: 本单位, 经办人
and the current plan. Here, not in the Ledger, because the window's first
screen (core.first_screen) reads them from a store it has not opened the
full way, without importing the Ledger."""

from __future__ import annotations

K_UNIT, K_HANDLER, K_PLAN = "my_unit_id", "handler", "current_plan_id"


def handler(store) -> str:
    """The 经办人's name ("" when not given)."""
    return store.get_setting(K_HANDLER, "") or ""


def current_plan(store) -> dict | None:
    """The plan last chosen, else the newest in use; None when there is none.
    ``store`` is a db.store.Store."""
    plans = store.list_plans()
    wanted = store.get_setting(K_PLAN)
    return next((p for p in plans if p["id"] == wanted), plans[0] if plans else None)
