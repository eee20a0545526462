"""Who does what: the resolution rules one by one, and the seed's facts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from core.assign import resolve
from core.plan_parser import parse_plan
from core.units import UnitDirectory, load_directory_file

ROOT = Path(__file__).resolve().parent.parent

TOWNS = ["莞城", "南城", "东城", "万江", "石碣", "石龙", "茶山", "石排", "企石", "横沥", "桥头", "谢岗", "东坑",
         "常平", "寮步", "樟木头", "大朗", "黄江", "清溪", "塘厦", "凤岗", "大岭山", "长安", "虎门", "厚街", "沙田",
         "道滘", "洪梅", "麻涌", "望牛墩", "中堂", "高埗", "松山湖", "滨海湾新区"]


@pytest.fixture(scope="module")
def directory() -> UnitDirectory:
    return UnitDirectory(load_directory_file(ROOT / "resources" / "units.json"))


@pytest.fixture(scope="module")
def seed_tasks():
    return {t.number: t for t in parse_plan((ROOT / "resources/plans/dongguan-2021.txt").read_text("utf-8")).tasks}


def roles_of(directory, text):
    res = resolve(text, directory)
    return {directory.get(uid).short_name: role for uid, role in res.roles.items()}, res


def test_directory_has_every_town_level_unit(directory):
    towns = [u for u in directory.units if u.kind == "town"]
    assert len(towns) == 34
    assert sum(u.subkind == "street" for u in towns) == 4
    assert sum(u.subkind == "town" for u in towns) == 28
    for name in TOWNS:
        unit = directory.lookup(name)
        assert unit is not None and unit.kind == "town", name
    assert directory.lookup("东莞松山湖高新技术产业开发区").short_name == "松山湖"


@pytest.mark.parametrize("name, short", [
    ("人力资源社会保障局", "市人力资源社会保障局"), ("人社局", "市人力资源社会保障局"),
    ("东莞市人力资源和社会保障局", "市人力资源社会保障局"), ("政数局", "市政数局"),
    ("住房城乡建设局", "市住房城乡建设局"), ("文广旅体局", "市文化广电旅游体育局"), ("城管局", "市城管局"),
    ("市场监管局", "市市场监管局"), ("东莞市税务局", "东莞市税务局"), ("市政府办公室", "市政府办公室"),
    ("虎门", "虎门镇"), ("东莞市虎门镇人民政府", "虎门镇"),
])
def test_names_full_short_and_aliases_resolve(directory, name, short):
    assert directory.lookup(name).short_name == short


def test_every_name_the_seed_uses_resolves(directory, seed_tasks):
    for n, t in seed_tasks.items():
        assert resolve(t.units_text, directory).unresolved == [], n


def test_role_words(directory):
    roles, _ = roles_of(directory, "市财政局牵头,市审计局配合,市统计局按职责分工落实,市林业局落实,市信访局")
    assert roles == {"市财政局": "lead", "市审计局": "cooperate", "市统计局": "implement",
                     "市林业局": "implement", "市信访局": "implement"}


def test_a_shared_city_prefix_and_a_role_word_cover_the_whole_list(directory):
    roles, res = roles_of(directory, "市发改局、商务局、市场监管局牵头")
    assert roles == {"市发改局": "lead", "市商务局": "lead", "市市场监管局": "lead"}
    assert [m.name for m in res.mentions] == ["市发改局", "市商务局", "市市场监管局"]


def test_separators_ascii_and_full_width(directory):
    a, _ = roles_of(directory, "市财政局牵头;市审计局配合,市统计局")
    b, _ = roles_of(directory, "市财政局牵头；市审计局配合，市统计局")
    assert a == b == {"市财政局": "lead", "市审计局": "cooperate", "市统计局": "implement"}


def test_towns_group(directory):
    roles, res = roles_of(directory, "各镇街(园区)")
    assert set(roles) == {directory.lookup(n).short_name for n in TOWNS}
    assert set(roles.values()) == {"implement"}
    assert roles_of(directory, "各镇街（园区）")[0] == roles


def test_admin_municipal_group_excludes_towns_vertical_and_non_admin(directory):
    roles, _ = roles_of(directory, "具有行政职能的市直各单位")
    assert roles["市财政局"] == "implement"
    assert "虎门镇" not in roles
    assert "东莞市税务局" not in roles  # vertically managed, not a city department
    assert "市公共资源交易中心" not in roles  # no administrative functions
    assert roles_of(directory, "市直各单位")[0]["市公共资源交易中心"] == "implement"


def test_other_units_means_the_group_minus_those_named_in_the_cell(directory):
    roles, _ = roles_of(directory, "各镇街(园区);市政府办公室牵头,市政数局配合,具有行政职能的其他单位按职责分工落实")
    assert roles["市政府办公室"] == "lead"
    assert roles["市政数局"] == "cooperate"
    assert roles["市财政局"] == "implement"
    assert roles["虎门镇"] == "implement"


def test_vague_mentions_are_related(directory):
    assert roles_of(directory, "市直相关单位按职责分工落实")[0]["市财政局"] == "related"
    assert roles_of(directory, "市政府办公室牵头,有关单位按职责分工落实")[0]["市财政局"] == "related"
    roles, res = roles_of(directory, "市发改局、教育局等单位按职责分工落实")
    assert roles["市发改局"] == roles["市教育局"] == "implement"
    assert roles["市财政局"] == "related"  # the unnamed rest of "…等单位"
    assert [m.kind for m in res.mentions] == ["unit", "unit", "group"]


def test_website_group_follows_the_attribute(directory):
    text = "市政数局、开设网站的市府直属各单位"
    roles, _ = roles_of(directory, text)
    assert roles["市财政局"] == "related"  # unknown: the unit confirms or dismisses
    assert roles["市政府办公室"] == "implement"  # known to run the portal
    fin = directory.lookup("市财政局")
    for value, expected in ((True, "implement"), (False, None)):
        changed = UnitDirectory([replace(u, has_website=value) if u.id == fin.id else u for u in directory.units])
        assert roles_of(changed, text)[0].get("市财政局") == expected


def test_duplicates_collapse_and_the_stronger_role_wins(directory, seed_tasks):
    res = resolve(seed_tasks[34].units_text, directory)
    names = [m.name for m in res.mentions]
    assert names.count("市司法局") == 1
    assert len(names) == 20  # 21 names written, 司法局 twice
    roles, _ = roles_of(directory, "市财政局配合;具有行政职能的市直各单位;市财政局牵头")
    assert roles["市财政局"] == "lead"


def test_unknown_names_stay_on_the_task(directory):
    roles, res = roles_of(directory, "市财政局牵头,市星际旅行局配合")
    assert res.unresolved == ["市星际旅行局"]
    assert roles == {"市财政局": "lead"}
    assert [(m.name, m.role, m.kind) for m in res.mentions][-1] == ("市星际旅行局", "cooperate", "unresolved")


# The seed's facts, worked out by hand from the plan's 落实单位 column.
FINANCE = {"lead": [9, 10, 11], "related": [18, 23, 32, 41],
           None: [28, 31, 33, 35, 39, 40, 45, 46, 47, 48]}
HUMEN_NONE = [24, 29, 33, 34, 39, 40, 41]
OFFICE = {"lead": [3, 4, 18, 21, 22, 25, 30, 31, 36], "related": [23, 41], None: [34, 35, 39, 40]}


def _by_role(directory, seed_tasks, name):
    uid = directory.lookup(name).id
    out: dict = {}
    for n, t in sorted(seed_tasks.items()):
        out.setdefault(resolve(t.units_text, directory).roles.get(uid), []).append(n)
    return out


def test_seed_roles_of_the_finance_bureau(directory, seed_tasks):
    got = _by_role(directory, seed_tasks, "市财政局")
    implement = sorted(set(range(1, 51)) - {n for v in FINANCE.values() for n in v})
    assert got == {**FINANCE, "implement": implement}
    assert len(implement) == 33


def test_seed_roles_of_humen_town(directory, seed_tasks):
    got = _by_role(directory, seed_tasks, "虎门镇")
    assert got == {None: HUMEN_NONE, "implement": sorted(set(range(1, 51)) - set(HUMEN_NONE))}


def test_seed_roles_of_the_city_office_and_the_tax_bureau(directory, seed_tasks):
    got = _by_role(directory, seed_tasks, "市政府办公室")
    implement = sorted(set(range(1, 51)) - {n for v in OFFICE.values() for n in v})
    assert got == {**OFFICE, "implement": implement}
    assert _by_role(directory, seed_tasks, "东莞市税务局") == {"implement": [34], None: sorted(set(range(1, 51)) - {34})}
    justice = _by_role(directory, seed_tasks, "市司法局")
    assert {28, 34, 39, 40} <= set(justice["implement"])  # named: 28 with the office, 34 twice, 39 and 40 alone
    assert "lead" not in justice


def test_role_words_in_brackets_and_you_prefix(directory):
    roles, res = roles_of(directory, "市发改局（牵头）、市商务局（配合）;由市财政局牵头")
    assert roles == {"市发改局": "lead", "市商务局": "cooperate", "市财政局": "lead"}
    assert res.unresolved == []


def test_towns_written_with_a_dunhao(directory):
    roles, res = roles_of(directory, "各镇、街道(园区)")
    assert len(roles) == 34 and res.unresolved == []
