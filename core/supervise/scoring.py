"""考评: a score per unit on a 100-point scale, with its parts, and the ranking.

The formula (weights are editable and kept in the settings, ``score_weights``;
the defaults add up to 100):

    完成率   completion × done / tasks
    时效     timeliness × on_time / due          (full marks when nothing is due yet)
             due: tasks with an explicit date deadline on or before the day of
             the roll-up; on_time: of those, 已完成 on or before the deadline
    佐证     evidence × done_with_evidence / done (0 when nothing is done)
             the share of done tasks backed by at least one evidence file
    按时上报  package × 1 when the latest package was made on or before the
             package due date, × 1/2 when later, 0 when none came
    扣分     the office's deductions, each with its reason (``score_deductions``)

    total = max(0, 完成率 + 时效 + 佐证 + 按时上报 − 扣分), each part rounded to 0.01

A unit that has sent no package has no facts to score: 0 in every part
(its deductions still listed).

Ranking: by total, then completion, then the directory's order; equal totals
share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from core.errors import InputError

K_WEIGHTS, K_DEDUCTIONS = "score_weights", "score_deductions"
DEFAULT_WEIGHTS = {"completion": 40.0, "timeliness": 25.0, "evidence": 20.0, "package": 15.0}
PART_WORDS = {"completion": "完成率", "timeliness": "时效", "evidence": "佐证", "package": "按时上报",
              "deductions": "扣分"}


@dataclass
class Score:
    unit_id: str
    name: str
    parts: dict[str, float]  # completion, timeliness, evidence, package, deductions (positive = points taken)
    total: float
    reasons: list[str] = field(default_factory=list)  # why each part is what it is, in words
    rank: int = 0

    def to_json(self) -> dict:
        return {"unit_id": self.unit_id, "name": self.name, "rank": self.rank, "total": self.total,
                "parts": self.parts, "reasons": self.reasons}


def weights(ledger) -> dict[str, float]:
    raw = ledger.store.get_setting(K_WEIGHTS)
    out = dict(DEFAULT_WEIGHTS)
    if raw:
        try:
            out.update({k: float(v) for k, v in json.loads(raw).items() if k in DEFAULT_WEIGHTS})
        except (ValueError, TypeError, AttributeError):
            pass
    return out


def set_weights(ledger, changes: dict[str, float | str]) -> dict[str, float]:
    new = weights(ledger)
    for k, v in changes.items():
        if k not in DEFAULT_WEIGHTS:
            raise InputError(f"考评项“{k}”无效，应为：{'、'.join(f'{key}（{PART_WORDS[key]}）' for key in DEFAULT_WEIGHTS)}。")
        try:
            value = float(v)
        except (TypeError, ValueError):
            raise InputError(f"“{k}”的分值“{v}”应是数字。") from None
        if not 0 <= value <= 100:
            raise InputError(f"“{k}”的分值应在 0 到 100 之间。")
        new[k] = value
    ledger.store.set_setting(K_WEIGHTS, json.dumps(new))
    return new


def deductions(ledger) -> dict[str, list[dict]]:
    raw = ledger.store.get_setting(K_DEDUCTIONS)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def add_deduction(ledger, unit_id: str, points: float | str, reason: str) -> list[dict]:
    try:
        pts = float(points)
    except (TypeError, ValueError):
        raise InputError(f"扣分“{points}”应是数字。") from None
    if not 0 < pts <= 100:
        raise InputError("扣分应大于 0、不超过 100。")
    reason = (reason or "").strip()
    if not reason:
        raise InputError("扣分须写明原因。")
    data = deductions(ledger)
    data.setdefault(unit_id, []).append({"points": pts, "reason": reason})
    ledger.store.set_setting(K_DEDUCTIONS, json.dumps(data, ensure_ascii=False))
    return data[unit_id]


def score_unit(u, w: dict[str, float], package_due: date, taken: list[dict] | None = None) -> Score:
    """One unit's score from its roll-up facts (core.supervise.rollup.UnitFacts)."""
    r2 = lambda x: round(x + 1e-9, 2)  # noqa: E731  (half up for the .005 cases)
    reasons = []
    if not u.reported:
        minus = r2(sum(float(d["points"]) for d in taken or []))
        return Score(u.unit_id, u.name, {"completion": 0.0, "timeliness": 0.0, "evidence": 0.0, "package": 0.0,
                                          "deductions": minus}, 0.0, ["未报送上报包，各项均不得分"] +
                     [f"扣分：{d['reason']}，扣 {float(d['points']):g} 分" for d in taken or []])
    completion = r2(w["completion"] * (u.done / u.tasks if u.tasks else 0))
    reasons.append(f"完成率：{u.done}/{u.tasks} 项已完成或持续推进，得 {completion:g} 分（满分 {w['completion']:g}）")
    timeliness = r2(w["timeliness"] * (u.on_time / u.due if u.due else 1))
    reasons.append(f"时效：到期的 {u.due} 项中按时完成 {u.on_time} 项，得 {timeliness:g} 分（满分 {w['timeliness']:g}）"
                   if u.due else f"时效：尚无到期任务，得满分 {timeliness:g} 分")
    evidence = r2(w["evidence"] * (u.done_with_evidence / u.done if u.done else 0))
    reasons.append(f"佐证：已完成的 {u.done} 项中 {u.done_with_evidence} 项有佐证材料，得 {evidence:g} 分"
                   f"（满分 {w['evidence']:g}）")
    if u.last_package is None:
        package, why = 0.0, "未报送上报包"
    elif date.fromisoformat(u.last_package[:10]) <= package_due:
        package, why = r2(w["package"]), f"上报包于 {u.last_package[:10]} 报送，按时"
    else:
        package, why = r2(w["package"] / 2), f"上报包于 {u.last_package[:10]} 报送，晚于 {package_due.isoformat()}，减半"
    reasons.append(f"按时上报：{why}，得 {package:g} 分（满分 {w['package']:g}）")
    minus = r2(sum(float(d["points"]) for d in taken or []))
    for d in taken or []:
        reasons.append(f"扣分：{d['reason']}，扣 {float(d['points']):g} 分")
    total = r2(max(0.0, completion + timeliness + evidence + package - minus))
    return Score(u.unit_id, u.name, {"completion": completion, "timeliness": timeliness, "evidence": evidence,
                                      "package": package, "deductions": minus}, total, reasons)


def rank(scores: list[Score], completion: dict[str, float] | None = None) -> list[Score]:
    order = {s.unit_id: i for i, s in enumerate(scores)}
    completion = completion or {}
    ranked = sorted(scores, key=lambda s: (-s.total, -completion.get(s.unit_id, 0), order[s.unit_id]))
    for i, s in enumerate(ranked):
        s.rank = ranked[i - 1].rank if i and ranked[i - 1].total == s.total else i + 1
    return ranked


def score_rollup(ledger, rollup) -> list[Score]:
    """Every unit of the roll-up scored with this desk's weights and deductions, ranked."""
    from core.supervise import package_due

    w = weights(ledger)
    due = package_due(ledger, rollup.plan)
    taken = deductions(ledger)
    scores = [score_unit(u, w, due, taken.get(u.unit_id)) for u in rollup.units]
    return rank(scores, {u.unit_id: u.completion for u in rollup.units})
