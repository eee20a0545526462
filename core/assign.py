"""From a task's 落实单位 text to (unit or group, role) and one role per unit.

Rules (the foundation issue, §4):

* a role word ends a clause and covers the names before it in that clause:
  牵头 / 主办 / 负责 → lead, 配合 / 协办 / 参与 / 协助 → cooperate,
  按职责分工落实 / 落实 / no role word → implement ("负责落实" stays implement);
  "A会同B" makes A lead and B cooperate; roles mix in one cell
  ("办公室牵头,各科室配合", "局防控办主办、各工作组协办");
* clauses are separated by ; , (ASCII or full width); names in a clause by 、;
  a 市 prefix written once is shared by the list (the directory knows
  "商务局" as 市商务局);
* groups: 各镇街(园区) = every town-level unit; 具有行政职能的市直各单位 =
  municipal units with administrative functions; 市直各单位; "…其他单位" = the
  group minus the units named in the same cell;
* vague mentions — 有关单位, 市直相关单位, the unnamed rest of "…等单位", and a
  group whose deciding attribute is unknown for a unit (开设网站的…) — give
  the role ``related``: the unit confirms or dismisses it;
* a bureau's own plan names its offices (科室) and their groups: 各科室 /
  各股室 / 各处室, 各工作组 / 各专班, 局属各单位 / 直属各单位, 相关科室: these mean
  the offices of the plan's own directory (``UnitDirectory.home``), never the
  city's units; no city group ever counts an office;
* a name that matches no unit stays on the task as ``unresolved``; in a plan
  from another city (``strict``) so does a name that matches a Dongguan unit
  only by a short form, with that unit as its ``candidate``; ``names`` are the
  decisions the user took for this plan's names (name -> unit id) and win;
* duplicates collapse; a unit holding two roles keeps the stronger
  (lead > cooperate > implement > related).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from core.units import Unit, UnitDirectory, normalize_name
from core.vocabulary import COOPERATE, IMPLEMENT, LEAD, RELATED

STRENGTH = {LEAD: 4, COOPERATE: 3, IMPLEMENT: 2, RELATED: 1}


def stronger(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if STRENGTH[a] >= STRENGTH[b] else b


_ROLE_WORDS: list[tuple[str, str]] = [
    ("按职责分工落实", "implement"), ("按职责分工负责", "implement"), ("按职责落实", "implement"),
    ("按职责分工", "implement"), ("分工落实", "implement"), ("负责落实", "implement"),
    ("具体落实", "implement"), ("牵头负责", "lead"), ("牵头落实", "lead"), ("牵头", "lead"),
    ("配合落实", "cooperate"), ("配合", "cooperate"), ("协助", "cooperate"), ("参与", "cooperate"),
    ("主办", "lead"), ("协办", "cooperate"), ("会同", "cooperate"),
    ("落实", "implement"), ("负责", "lead"), ("执行", "implement"),
]
_TOGETHER = re.compile(r"^(?P<lead>.+?)会同(?P<with>.+)$")
_ETC = re.compile(r"等(?:相关|有关)?(?:单位|部门)?$")


@dataclass(frozen=True)
class Group:
    key: str
    patterns: tuple[str, ...]
    # For a unit: True = member in the clause's role; None = member, but only
    # "related" (the attribute is unknown); False = not a member.
    member: Callable[[Unit], bool | None]
    vague: bool = False

    def matches(self, name: str) -> re.Match[str] | None:
        for p in self.patterns:
            m = re.fullmatch(p, name)
            if m:
                return m
        return None


def _town(u: Unit) -> bool:
    return u.kind == "town"


def _municipal(u: Unit) -> bool:
    return u.kind == "municipal"


def _admin_municipal(u: Unit) -> bool | None:
    return False if u.kind != "municipal" else u.has_admin


def _website_municipal(u: Unit) -> bool | None:
    return False if u.kind != "municipal" else u.has_website


def _city_not_vertical(u: Unit) -> bool:
    return u.kind in ("town", "municipal")


def office_group(u: Unit) -> str | None:
    """Which of its bureau's groups an office belongs to: offices, teams or affiliates."""
    if u.kind != "office":
        return None
    if u.subkind in ("team", "affiliate"):
        return u.subkind + "s"
    return "teams" if re.search(r"(组|专班)$", u.short_name) else "offices"


def _member_of(key: str) -> Callable[[Unit], bool]:
    return lambda u: office_group(u) == key


_OTHER = r"(?P<other>其他|其它)"
GROUPS: tuple[Group, ...] = (
    Group("towns", (r"各镇街(?:\(园区\))?", r"各镇街园区", r"各镇街道(?:\(园区\))?",
                    r"各镇(?:人民政府)?\(街道(?:办事处)?\)(?:\(园区\))?", r"各镇、街道(?:\(园区\))?",
                    r"全市各镇街(?:\(园区\))?"), _town),
    Group("admin_municipal", (rf"具有行政职能的(?:市直|市府直属|市)?(?:各|{_OTHER})?(?:单位|部门)",
                              rf"具有行政职能的市直(?:各|{_OTHER})?(?:单位|部门)"), _admin_municipal),
    Group("website_municipal", (r"开设(?:了)?(?:政府)?网站的(?:市府直属|市直|市)?各?(?:单位|部门)",),
          _website_municipal),
    Group("municipal", (rf"(?:市直|市府直属|市)(?:各|{_OTHER})(?:单位|部门)", r"市直(?:单位|部门)",
                        rf"市直{_OTHER}各?(?:单位|部门)"), _municipal),
    Group("related_municipal", (r"(?:市直|市)(?:相关|有关)(?:单位|部门)", r"相关市直(?:单位|部门)",
                                r"市各有关(?:单位|部门)", r"有关市直(?:单位|部门)"), _municipal, vague=True),
    Group("related_all", (r"(?:其他|其它)?(?:相关|有关)(?:单位|部门)", r"各有关(?:单位|部门)"),
          _city_not_vertical, vague=True),
    # a bureau's own directory
    Group("offices", (r"(?:局|委|办)?(?:机关)?(?:内设)?各(?:业务)?(?:科室|股室|处室|科|股)",
                      r"(?:局|委|办)?(?:机关)?全体科室"), _member_of("offices")),
    Group("teams", (r"(?:局|委|办)?各(?:工作组|专班|小组|工作专班)",), _member_of("teams")),
    Group("affiliates", (r"(?:局|委|办)?(?:属|直属|下属)各(?:单位|事业单位)", r"各(?:直属|下属|局属)(?:单位|事业单位)",
                         r"局属(?:单位|事业单位)"), _member_of("affiliates")),
    Group("related_offices", (r"(?:其他|其它)?(?:相关|有关)(?:科室|股室|处室|工作组)",),
          lambda u: u.kind == "office", vague=True),
)
REST = Group("rest", (), _municipal, vague=True)
GROUP_LABELS = {
    "towns": "各镇街(园区)", "admin_municipal": "具有行政职能的市直单位", "website_municipal": "开设网站的市直单位",
    "municipal": "市直各单位", "related_municipal": "市直相关单位", "related_all": "有关单位",
    "rest": "其他未列明单位（“等单位”）", "offices": "各科室", "teams": "各工作组", "affiliates": "局属各单位",
    "related_offices": "相关科室",
}


@dataclass(frozen=True)
class Mention:
    """One responsible unit or group as the task names it."""
    name: str
    kind: str  # "unit" | "group" | "unresolved"
    role: str
    unit_id: str | None = None
    group: str | None = None
    minus_named: bool = False
    candidate: str | None = None  # unresolved: the Dongguan unit it may mean (asked, not matched)

    def to_json(self) -> dict:
        return {"name": self.name, "role": self.role, "kind": self.kind,
                "unit_id": self.unit_id, "group": self.group, "candidate": self.candidate}


@dataclass
class Resolution:
    mentions: list[Mention] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # unit id -> role

    @property
    def unresolved(self) -> list[str]:
        """Names that match no unit (the uncertain ones are in ``uncertain``)."""
        return [m.name for m in self.mentions if m.kind == "unresolved" and not m.candidate]

    @property
    def uncertain(self) -> dict[str, str]:
        """Name -> the unit id it matches only by a short form (a plan from another city)."""
        return {m.name: m.candidate for m in self.mentions if m.kind == "unresolved" and m.candidate}


def _split_outside_parens(text: str, seps: str) -> list[str]:
    out, buf, depth = [], [], 0
    for ch in text:
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    return [s.strip() for s in out if s.strip()]


def _strip_role(item: str) -> tuple[str, str | None]:
    """ "市发改局牵头", "市发改局(牵头)", "由市发改局牵头" -> ("市发改局", "lead")."""
    if item.startswith("由") and len(item) > 2:
        item = item[1:]
    for word, role in _ROLE_WORDS:
        for form in (f"({word})", word):
            if item.endswith(form) and len(item) > len(form):
                return item[: -len(form)], role
    return item, None


@dataclass(frozen=True)
class Context:
    """How a plan's names are read: another city's plan is ``strict``; ``names``
    holds the user's decisions for its names (normalized name -> unit id)."""
    strict: bool = False
    names: dict[str, str] = field(default_factory=dict)


def parse_mentions(text: str, directory: UnitDirectory, default_role: str = "implement",
                   context: Context = Context()) -> list[Mention]:
    """Mentions in the order written; duplicates not yet collapsed."""
    out: list[Mention] = []
    text = normalize_name(text).rstrip("。.").replace("各镇、街道", "各镇街道")
    for clause in _split_outside_parens(text, ";；,，"):
        items = []
        for item in _split_outside_parens(clause, "、"):
            m = _TOGETHER.match(item)  # "市财政局会同市发改局(负责)": the first leads, the others cooperate
            if m and not _strip_role(m["lead"])[1]:
                items += [f"{m['lead']}牵头", *(f"{w}配合" for w in _split_outside_parens(_strip_role(m["with"])[0], "和与及"))]
            else:
                items.append(item)
        stripped = [_strip_role(it) for it in items]
        # a role word covers the names before it that have none of their own
        roles: list[str] = []
        carry = None
        for _name, role in reversed(stripped):
            carry = role or carry
            roles.append(carry or default_role)
        roles.reverse()
        for (name, _own), role in zip(stripped, roles):
            etc = _ETC.search(name)
            rest = False
            if etc and len(name) > len(etc[0]):
                name, rest = name[: etc.start()], True
            out.append(_mention(name, role, directory, context))
            if rest:
                out.append(Mention(GROUP_LABELS["rest"], "group", "related", group="rest", minus_named=True))
    return out


def _mention(name: str, role: str, directory: UnitDirectory, context: Context) -> Mention:
    decided = directory.get(context.names.get(normalize_name(name), ""))
    if decided is not None:
        return Mention(decided.short_name, "unit", role, unit_id=decided.id)
    for group in GROUPS:
        m = group.matches(name)
        if m:
            minus = bool(m.groupdict().get("other"))
            return Mention(name, "group", "related" if group.vague else role, group=group.key, minus_named=minus)
    unit = directory.lookup(name)
    if unit is not None and context.strict and not directory.certain(name, unit):
        return Mention(name, "unresolved", role, candidate=unit.id)
    if unit is not None:
        return Mention(unit.short_name, "unit", role, unit_id=unit.id)
    return Mention(name, "unresolved", role)


def resolve(units_text: str, directory: UnitDirectory, lead_text: str = "", cooperate_text: str = "",
            context: Context = Context()) -> Resolution:
    raw = (parse_mentions(lead_text, directory, "lead", context)
           + parse_mentions(cooperate_text, directory, "cooperate", context)
           + parse_mentions(units_text, directory, "implement", context))
    res = Resolution()
    seen: dict[tuple, int] = {}
    for m in raw:
        key = (m.kind, m.unit_id or m.group or m.name, m.minus_named) if m.kind != "unresolved" else ("u", m.name)
        if key in seen:
            i = seen[key]
            res.mentions[i] = Mention(**{**res.mentions[i].__dict__, "role": stronger(res.mentions[i].role, m.role)})
        else:
            seen[key] = len(res.mentions)
            res.mentions.append(m)
    named = {m.unit_id for m in res.mentions if m.unit_id}
    groups = {g.key: g for g in (*GROUPS, REST)}
    for m in res.mentions:
        if m.kind == "unit":
            res.roles[m.unit_id] = stronger(res.roles.get(m.unit_id), m.role)
        elif m.kind == "group":
            group = groups[m.group]
            if m.group == "related_all" and directory.home:  # 有关单位 in a bureau's plan: its own units
                group = Group("related_all", (), lambda u: u.directory == directory.home, vague=True)
            for u in directory.active():
                if (m.minus_named or m.group == "rest") and u.id in named:
                    continue
                member = group.member(u)
                if member is False:
                    continue
                role = m.role if member else "related"
                res.roles[u.id] = stronger(res.roles.get(u.id), role)
    return res
