"""The supervising office's desk (汇总单位): a mode of the same data folder.

A data folder is a supervisor's when its settings say so (``desk_mode`` =
"supervisor", with the office's own unit); ``make_supervisor`` turns one into
it (CLI: ``supervise --unit 市政府办公室``). Such a folder imports the units'
report packages (core/exchange/importer.py) and holds every unit's records in
the ordinary tables; the roll-up (rollup.py), 考评 (scoring.py) and the outputs
(core/reports/rollup_xlsx.py, bulletin.py, reminders.py) read them.
"""

from __future__ import annotations

from datetime import date

K_MODE, K_SUPERVISOR_UNIT, K_PACKAGE_DUE = "desk_mode", "supervisor_unit_id", "package_due"
SUPERVISOR, CLERK = "supervisor", "clerk"


def is_supervisor(ledger) -> bool:
    return ledger.store.get_setting(K_MODE) == SUPERVISOR


def supervisor_unit(ledger):
    uid = ledger.store.get_setting(K_SUPERVISOR_UNIT)
    return ledger.directory().get(uid) if uid else None


def make_supervisor(ledger, unit_name: str, package_due: date | str | None = None):
    """Make this data folder the supervising office's; returns its unit. The
    office is also the folder's own unit (本单位) when none is chosen yet: its
    own tasks are kept in the same window."""
    unit = ledger.find_unit(unit_name)
    with ledger.store.atomic():
        ledger.store.set_setting(K_MODE, SUPERVISOR)
        ledger.store.set_setting(K_SUPERVISOR_UNIT, unit.id)
        if ledger.my_unit() is None:
            ledger.set_my_unit(unit.id)
        if package_due is not None:
            set_package_due(ledger, package_due)
    return unit


def require_supervisor(ledger) -> None:
    from core.exchange import PackageError

    if not is_supervisor(ledger):
        raise PackageError("本数据文件夹是经办人（单位）的，不能汇总上报包。如本机用于汇总，"
                         "请先运行 supervise --unit 汇总单位名称（例如 市政府办公室）。")


def package_due(ledger, plan: dict) -> date:
    """The date by which units should send their package: the setting, else 12月20日 of the plan's year."""
    value = ledger.store.get_setting(K_PACKAGE_DUE)
    if value:
        return date.fromisoformat(value)
    return date(int(plan["year"]), 12, 20)


def set_package_due(ledger, value: date | str) -> date:
    from core.tasks import parse_user_date

    d = parse_user_date(value) if isinstance(value, str) else value
    ledger.store.set_setting(K_PACKAGE_DUE, d.isoformat())
    return d
