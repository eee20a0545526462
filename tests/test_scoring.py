"""考评 against examples computed by hand (core/supervise/scoring.py's formula)."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import InputError
from core.supervise.rollup import UnitFacts
from core.supervise.scoring import DEFAULT_WEIGHTS, rank, score_unit

DUE = date(2021, 12, 20)


def facts(name, **kw) -> UnitFacts:
    base = dict(unit_id=name, name=name, full_name=name, kind="town", reported=True)
    return UnitFacts(**{**base, **kw})


def test_a_hand_computed_score():
    a = facts("甲镇", tasks=20, done=15, due=4, on_time=3, done_with_evidence=12,
              last_package="2021-12-22T08:00:00Z")
    s = score_unit(a, DEFAULT_WEIGHTS, DUE, [{"points": 2, "reason": "政务信息发布差错一次"}])
    # 40×15/20 = 30; 25×3/4 = 18.75; 20×12/15 = 16; late: 15/2 = 7.5; minus 2
    assert s.parts == {"completion": 30.0, "timeliness": 18.75, "evidence": 16.0, "package": 7.5, "deductions": 2.0}
    assert s.total == 70.25
    assert any("政务信息发布差错一次" in r for r in s.reasons)
    assert any("晚于 2021-12-20" in r for r in s.reasons)


def test_full_marks_and_nothing_due_and_custom_weights():
    b = facts("乙局", tasks=10, done=10, due=0, on_time=0, done_with_evidence=7, last_package="2021-12-18T08:00:00Z")
    s = score_unit(b, DEFAULT_WEIGHTS, DUE)
    # 40; nothing due yet: 25; 20×7/10 = 14; on time: 15
    assert (s.parts["completion"], s.parts["timeliness"], s.parts["evidence"], s.parts["package"]) == (40, 25, 14, 15)
    assert s.total == 94
    a = facts("甲镇", tasks=20, done=15, due=4, on_time=3, done_with_evidence=12, last_package="2021-12-22T08:00:00Z")
    w = {"completion": 50, "timeliness": 20, "evidence": 20, "package": 10}
    # 50×0.75 = 37.5; 20×0.75 = 15; 16; 10/2 = 5; minus 2 → 71.5
    assert score_unit(a, w, DUE, [{"points": 2, "reason": "x"}]).total == 71.5


def test_a_unit_that_never_reported_scores_nothing():
    c = facts("丙街道", reported=False, tasks=12)
    s = score_unit(c, DEFAULT_WEIGHTS, DUE)
    assert s.total == 0 and s.parts["package"] == 0 and "未报送" in s.reasons[0]


def test_ranking_shares_a_rank_on_equal_totals():
    scores = [score_unit(facts(n, tasks=4, done=d, due=0, done_with_evidence=d, last_package="2021-12-01T00:00:00Z"),
                         DEFAULT_WEIGHTS, DUE) for n, d in (("甲", 2), ("乙", 4), ("丙", 2), ("丁", 1))]
    ranked = rank(scores)
    assert [(s.name, s.rank) for s in ranked] == [("乙", 1), ("甲", 2), ("丙", 2), ("丁", 4)]
    # 乙: 40 + 25 + 20 + 15 = 100; 甲, 丙: 20 + 25 + 20 + 15 = 80; 丁: 10 + 25 + 20 + 15 = 70
    assert [s.total for s in ranked] == [100, 80, 80, 70]


def test_weights_and_deductions_are_kept_in_the_settings(ledger):
    from core.supervise import scoring

    assert scoring.weights(ledger) == DEFAULT_WEIGHTS
    scoring.set_weights(ledger, {"completion": "50"})
    assert scoring.weights(ledger)["completion"] == 50
    with pytest.raises(InputError, match="考评项"):
        scoring.set_weights(ledger, {"speed": 3})
    with pytest.raises(InputError, match="原因"):
        scoring.add_deduction(ledger, "u1", 2, " ")
    scoring.add_deduction(ledger, "u1", 1.5, "迟报")
    assert scoring.deductions(ledger) == {"u1": [{"points": 1.5, "reason": "迟报"}]}
