"""The search finds exactly what the plain substring search (instr() over every
field) finds: terms of 1, 2, 3 and more characters, records edited, moved to
the 回收站, restored and purged, handlers, division — and what another program
(the command line beside the window) wrote meanwhile."""

from __future__ import annotations

import pytest


def before(led, unit_id: str, terms: list[str]) -> list[int]:
    """The search as it was before the index: instr() over everything."""
    plan_id = led.current_plan()["id"]
    where, params = [], {"p": plan_id, "u": unit_id}
    for i, term in enumerate(terms):
        params[f"t{i}"] = term
        where.append(
            f"(instr(t.text, :t{i}) > 0 OR instr(c.name, :t{i}) > 0 OR instr(t.units_text, :t{i}) > 0"
            f" OR EXISTS (SELECT 1 FROM actions x WHERE x.task_id = t.id AND x.unit_id = :u"
            f"   AND x.deleted_at IS NULL AND (instr(x.content, :t{i}) > 0 OR instr(x.handler, :t{i}) > 0))"
            f" OR EXISTS (SELECT 1 FROM task_states s WHERE s.task_id = t.id AND s.unit_id = :u"
            f"   AND (instr(s.dept, :t{i}) > 0 OR instr(s.person, :t{i}) > 0 OR instr(s.notes, :t{i}) > 0)))")
    sql = ("SELECT t.number FROM tasks t JOIN categories c ON c.id = t.category_id "
           "WHERE t.plan_id = :p AND " + " AND ".join(where) + " ORDER BY t.number")
    return [r[0] for r in led.store.conn.execute(sql, params)]


QUERIES = ["舆情", "荔枝", "荔枝节", "荔枝节期间", "专项债", "债", "ABC", "abc", "Ab", "王五", "王五六",
           "预算科", "公开 荔枝节", "荔枝 专项债信息", "周报", "第3期周报", '"引号"', "100%", "a_b", "*", "OR",
           "政务公开", "门户网站", "x"]


@pytest.fixture
def filled(ledger):
    fin = ledger.find_unit("市财政局")
    hm = ledger.find_unit("虎门")
    t9, t10 = ledger.task_id(9), ledger.task_id(10)
    a1 = ledger.add_action(fin.id, t9, "荔枝节期间公开专项债信息 ABC", handler="王五六")
    a2 = ledger.add_action(fin.id, t10, "第3期周报 100% a_b OR \"引号\"")
    ledger.add_action(hm.id, ledger.task_id(1), "荔枝节期间的虎门记录")
    ledger.set_division(fin.id, t10, dept="预算科", person="李四")
    return ledger, fin, a1, a2


def check(led, unit_id):
    for q in QUERIES:
        assert led.search(unit_id, q) == before(led, unit_id, q.split()), q


def test_every_term_length_finds_what_it_found_before(filled):
    led, fin, _, _ = filled
    check(led, fin.id)
    assert led.search(fin.id, "荔枝节期间") == [9]  # 5 characters
    assert led.search(fin.id, "荔枝") == [9]  # 2 characters: instr
    assert led.search(fin.id, "abc") == []  # as typed, like instr()
    assert led.search(fin.id, "王五六") == [9]  # the handler
    assert led.search(fin.id, "预算科") == [10]  # the division
    assert led.search(led.find_unit("虎门").id, "荔枝节") == [1]  # each unit its own records


def test_the_search_follows_edits_the_recycle_bin_and_purges(filled):
    led, fin, a1, a2 = filled
    led.edit_action(a1["id"], content="改为台风天气期间的记录")
    assert led.search(fin.id, "荔枝节") == []
    assert led.search(fin.id, "台风天气") == [9]
    check(led, fin.id)
    led.delete_action(a2["id"])
    assert led.search(fin.id, "第3期周报") == []
    check(led, fin.id)
    led.restore_action(a2["id"])
    assert led.search(fin.id, "第3期周报") == [10]
    led.delete_action(a2["id"])
    led.empty_recycle_bin(fin.id)
    assert led.search(fin.id, "第3期周报") == []
    check(led, fin.id)


def test_a_record_or_division_written_since_the_last_search_is_found(filled, data_dir):
    from core.ledger import Ledger

    led, fin, _, _ = filled
    t11 = led.task_id(11)
    assert led.search(fin.id, "防汛简报") == []
    led.add_action(fin.id, t11, "报送防汛简报")  # this connection
    assert led.search(fin.id, "防汛简报") == [11]
    led.set_division(fin.id, t11, dept="综合科", person="赵六")
    assert led.search(fin.id, "赵六") == [11]
    other = Ledger.open(data_dir)  # another program on the same folder
    try:
        other.add_action(fin.id, led.task_id(12), "台风期间值班信息公开")
    finally:
        other.close()
    assert led.search(fin.id, "台风期间") == [12]
    assert led.search(fin.id, "防汛 赵六") == [11]  # both words in one task, from two fields
    assert led.search(fin.id, "简报 台风期间") == []  # the two words are in different tasks
    check(led, fin.id)
