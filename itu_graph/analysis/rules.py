"""Turn the rows of the rule queries (queries/rule-*.cypher) into findings.

Each rule has templates in English and Chinese for its title (a statement for a gap, a question
for a question to verify), its suggested action, and an *assessment*: which completeness or "no
value" statements (ontology: ig:CompletenessStatement) the absence it reports rests on. A row is a
gap (``basis: recorded``) only when those statements exist; otherwise it becomes a question that
names the facts that would settle it and who can answer. docs/analysis.md gives each rule's
semantics and a worked example.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from string import Formatter
from typing import Callable, NamedTuple

from .findings import RECORDED, UNRECORDED, Finding, finding_id

ZH_SEP = "、"
ENDED = ("completed", "discontinued")
ACTIVE = ("ongoing", "planned")


class Completeness:
    """Completeness and "no value" statements by (entity id, aspect), and the source silences
    (ig:SourceSilence: a source that describes the entity names none of the aspect), which never
    settle anything but tell the reader where one has already looked."""

    def __init__(self, rows: list[dict], silences: list[dict] = ()):
        self.by_key = self._index(rows)
        self.silent_by_key = self._index(silences)

    @staticmethod
    def _index(rows) -> dict[tuple[str, str], list[dict]]:
        index: dict[tuple[str, str], list[dict]] = {}
        for row in rows:
            index.setdefault((row["about"], row["aspect"]), []).append(row)
        return index

    def get(self, entity: str, aspect: str) -> list[dict]:
        return self.by_key.get((entity, aspect), [])

    def silent(self, entity: str, aspect: str) -> list[dict]:
        return self.silent_by_key.get((entity, aspect), [])

    def find(self, entities, aspect: str) -> "Found":
        """What the record says of one aspect of any of ``entities`` (an entity and what it is
        part of, a topic and its broader ones): the statements, and the silences."""
        return Found([x for e in entities for x in self.get(e, aspect)],
                     [x for e in entities for x in self.silent(e, aspect)])


class Found(NamedTuple):
    statements: list[dict]
    silences: list[dict]


@dataclass
class Assessment:
    """What a row rests on: the statements found, and the facts still missing (en, zh)."""
    statements: list[dict] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)
    #: source silences on the facts still missing: sources already read that name none
    checked: list[dict] = field(default_factory=list)

    def need(self, found: Found, en: str, zh: str) -> None:
        if found.statements:
            self.statements.extend(found.statements)
        else:
            self.missing.append((en, zh))
            self.checked.extend(found.silences)

    @property
    def basis(self) -> str:
        return UNRECORDED if self.missing else RECORDED


def _names(ids, names, lang):
    return (ZH_SEP if lang == "zh" else ", ").join(names(i, lang) for i in ids)


def _status_known(a: Assessment, row: dict, entity: str, names) -> None:
    if row.get("status") not in ACTIVE:
        a.missing.append((f"record the status of {names(entity, 'en')} (planned, ongoing, completed or discontinued)",
                          f"记录{names(entity, 'zh')}的状态（计划中、进行中、已完成或已停止）"))


def assess_overlap(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    topic = row["topic"]
    covered = [row["topic"], *row.get("broader", [])]
    a.need(st.find(covered, "coordination"), f"state which mechanisms coordinate {names(topic, 'en')} (or a broader topic) in full, "
                         "or that none does (a completeness statement, aspect coordination)",
           f"说明协调{names(topic, 'zh')}（或其上位主题）的全部机制，或说明没有任何机制协调该主题（完整性声明，方面：coordination）")
    for m in row["mechanisms"]:
        a.need(st.find([m["id"]], "participants"),
               f"record who takes part in {names(m['id'], 'en')}, or state that its list of participants is complete",
               f"记录{names(m['id'], 'zh')}的参与方，或说明其参与方名单完整")
    return a


def assess_partial(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    m = row["mechanism"]
    a.need(st.find([m], "participants"),
           f"state whether the participants recorded for {names(m, 'en')} are all of them",
           f"说明所记录的{names(m, 'zh')}参与方是否完整")
    return a


def assess_unaligned(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    e = row["entity"]
    _status_known(a, row, e, names)
    a.need(st.find([e], "strategy"),
           f"record the goal, target or enabler {names(e, 'en')} serves, or state that it serves none",
           f"记录{names(e, 'zh')}所服务的目标、具体目标或推动因素，或说明其不服务于任何要素")
    a.ask = list(row.get("parents") or [])
    return a


def assess_uncovered(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    e = row["element"]
    a.need(st.find([e], "supporters"),
           f"record the initiatives that serve {names(e, 'en')}, or state that the list recorded is complete",
           f"记录服务于{names(e, 'zh')}的举措，或说明所记录的名单完整")
    for u in row.get("unknown_status") or []:
        a.missing.append((f"record whether {names(u, 'en')} is ongoing", f"记录{names(u, 'zh')}是否仍在进行"))
    return a


def assess_regional(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    office = row["office"]
    participation = st.get(office, "participation")
    if participation:
        a.statements.extend(participation)
    else:
        for w in row["expected"]:
            a.need(st.find([w], "participants"),
                   f"record who takes part in {names(w, 'en')} (or state that {names(office, 'en')}'s participation "
                   "recorded is complete)",
                   f"记录{names(w, 'zh')}的参与方（或说明{names(office, 'zh')}的参与记录完整）")
    a.ask = [office]
    return a


def assess_owner(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    e = row["entity"]
    _status_known(a, row, e, names)
    # a lead of what it is part of leads it too
    a.need(st.find([e, *(row.get("parents") or [])], "lead"),
           f"record who leads or chairs {names(e, 'en')}, or state (with a source) that no lead is named",
           f"记录{names(e, 'zh')}的牵头方或主席，或（附来源）说明未指定牵头方")
    a.ask = list(dict.fromkeys([*(row.get("parents") or []), *(row.get("given_by") or []),
                                *(row.get("aggregate_leads") or [])]))
    return a


def assess_mandate(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    m = row["mechanism"]
    a.need(st.find([m, *(row.get("parents") or [])], "mandate"),
           f"record the resolution, decision or service order behind {names(m, 'en')}, "
           "or state (with a source) that none exists",
           f"记录{names(m, 'zh')}所依据的决议、决定或服务令，或（附来源）说明并无授权依据")
    a.ask = list(dict.fromkeys([*(row.get("leads") or []), *(row.get("parents") or [])]))
    return a


def assess_overdue(row, st: Completeness, names) -> Assessment:
    a = Assessment()
    m = row["mandate"]
    a.need(st.find([m], "output"),
           f"record the document that fulfilled {names(m, 'en')}, or state that none has been issued",
           f"记录完成{names(m, 'zh')}的文件，或说明尚未发布任何文件")
    a.ask = list(row.get("assigned_to") or [])
    return a


@dataclass(frozen=True)
class RuleSpec:
    key: Callable[[dict], list[str]]          # entity ids that identify the finding
    entities: Callable[[dict], list[str]]     # every entity id the finding involves
    title: str
    title_zh: str
    question: str
    question_zh: str
    action: str
    action_zh: str
    assess: Callable[[dict, Completeness, Callable], Assessment]


RULES: dict[str, RuleSpec] = {
    "uncoordinated-overlap": RuleSpec(
        key=lambda r: [r["topic"]],
        entities=lambda r: [r["topic"], *r["divisions"], *r["workers"], *[m["id"] for m in r["mechanisms"]]],
        title="{topic}: {n} {divisions} work on it ({divisions_of}) and no coordination mechanism joins them",
        title_zh="{topic}：{n}个{division}（{divisions_of}）开展相关工作，但没有将它们联系起来的协调机制",
        question="{topic}: {n} {divisions} work on it ({divisions_of}); does a mechanism coordinate it among them?",
        question_zh="{topic}：{n}个{division}（{divisions_of}）开展相关工作；是否有机制在它们之间协调该主题？",
        action="Give the topic to a mechanism in which {divisions_of} all take part, or record the mechanism that already coordinates it.",
        action_zh="将该主题交由{divisions_of}共同参与的协调机制负责，或记录已在协调该主题的机制。",
        assess=assess_overlap),
    "partial-coordination": RuleSpec(
        key=lambda r: [r["mechanism"], r["topic"]],
        entities=lambda r: [r["mechanism"], r["topic"], *r["working"]],
        title="{mechanism} coordinates {topic}, but {missing}, which also work(s) on it or on a narrower topic, "
              "take(s) no part",
        title_zh="{mechanism}负责协调{topic}，但同样开展该主题（或其下级主题）工作的{missing}未参与其中",
        question="{mechanism} coordinates {topic}; do {missing}, which also work(s) on it, take part?",
        question_zh="{mechanism}负责协调{topic}；同样开展该主题工作的{missing}是否参与其中？",
        action="Invite {missing} to {mechanism}, or agree who represents them there.",
        action_zh="邀请{missing}参加{mechanism}，或商定由谁代表其参与。",
        assess=assess_partial),
    "unaligned-activity": RuleSpec(
        key=lambda r: [r["entity"]], entities=lambda r: [r["entity"]],
        title="{entity} supports no goal, target, priority or enabler of the plan",
        title_zh="{entity}未与战略规划的任何目标、具体目标、工作重点或推动因素挂钩",
        question="Which goal, target, priority or enabler of the plan does {entity} serve?",
        question_zh="{entity}服务于战略规划的哪个目标、具体目标、工作重点或推动因素？",
        action="Link it to the goal or enabler it serves, or review whether it is still needed.",
        action_zh="将其与所服务的目标或推动因素挂钩，或评估其是否仍有必要。",
        assess=assess_unaligned),
    "uncovered-strategy-element": RuleSpec(
        key=lambda r: [r["element"]], entities=lambda r: [r["element"], *r["supporters"], *r["divisions"]],
        title="{element}: {reason}",
        title_zh="{element}：{reason}",
        question="{element}: {reason} in the record; which initiatives serve it?",
        question_zh="{element}：记录显示{reason}；哪些举措服务于该要素？",
        action="Name the initiatives that serve it and their lead units in every {division} concerned, or plan them.",
        action_zh="明确各相关{division}中支持该要素的举措及其牵头单位，或规划相应举措。",
        assess=assess_uncovered),
    "regional-gap": RuleSpec(
        key=lambda r: [r["office"], r["region"]], entities=lambda r: [r["office"], r["region"], *r["expected"]],
        title="{office} takes part in none of the regional work of {region} ({expected})",
        title_zh="{office}未参与{region}的任何区域工作（{expected}）",
        question="Does {office} take part in the regional work of {region} ({expected})?",
        question_zh="{office}是否参与{region}的区域工作（{expected}）？",
        action="Record or arrange the office's part in {expected}.",
        action_zh="记录或安排该办事处在{expected}中的参与。",
        assess=assess_regional),
    "missing-owner": RuleSpec(
        key=lambda r: [r["entity"]], entities=lambda r: [r["entity"]],
        title="{entity} has no lead unit",
        title_zh="{entity}没有牵头单位",
        question="Who leads {entity}?",
        question_zh="{entity}由谁牵头？",
        action="Name the unit or post accountable for it.",
        action_zh="明确对其负责的单位或职位。",
        assess=assess_owner),
    "missing-mandate": RuleSpec(
        key=lambda r: [r["mechanism"]], entities=lambda r: [r["mechanism"]],
        title="{mechanism} has no mandate",
        title_zh="{mechanism}没有授权依据",
        question="What mandates {mechanism}?",
        question_zh="{mechanism}的授权依据是什么？",
        action="Seek a mandate for it from the body it serves, or record the resolution, decision or service order behind it.",
        action_zh="请其所服务的机构给予授权，或记录其所依据的决议、决定或服务令。",
        assess=assess_mandate),
    "overdue-mandate": RuleSpec(
        key=lambda r: [r["mandate"]], entities=lambda r: [r["mandate"], *r["due_at"], *r["assigned_to"], *r["given_by"]],
        title="{mandate} was due on {due} ({due_at}) and no output has been issued",
        title_zh="{mandate}应于{due}（{due_at}）完成，但尚未发布任何成果",
        question="{mandate} was due on {due} ({due_at}); which document fulfilled it?",
        question_zh="{mandate}应于{due}（{due_at}）完成；由哪份文件完成？",
        action="Report on its status to {report_to}, or record the document that fulfilled it.",
        action_zh="向{report_to}报告其进展，或记录完成该任务的文件。",
        assess=assess_overdue),
}

#: The query's reasons, in the organization's words (en, zh).
REASONS = {
    "no ongoing initiative supports it": ("no ongoing initiative supports it", "没有正在进行的举措提供支持"),
    "the plan expects all divisions; at most one serves it": ("the plan expects all {divisions}; at most one serves it",
                                                               "规划要求所有{division}参与，但至多一个{division}提供支持"),
}


#: Columns that hold divisions: shown by acronym in titles, where full names would crowd them.
SHORT_COLUMNS = {"divisions_of", "working", "present", "missing"}


def render(template: str, row: dict, names, lang: str) -> str:
    # {divisions} is the organization's word for its divisions; {divisions_of} the row's list of them
    row = {**row, "divisions_of": row.get("divisions") or []}
    values = {}
    wanted = {field for _text, field, _spec, _conversion in Formatter().parse(template) if field}
    for key, value in row.items():
        if key not in wanted:
            continue
        if isinstance(value, list):
            if value and isinstance(value[0], dict):
                value = [v.get("id") for v in value]
            if key in SHORT_COLUMNS and value:
                values[key] = (ZH_SEP if lang == "zh" else ", ").join(names.short(v, lang) for v in value)
            else:
                values[key] = _names(value, names, lang) if value else ("—" if lang != "zh" else "无")
        elif key == "reason":
            en, zh = REASONS.get(value, (value, value))
            values[key] = names.wording.apply(zh if lang == "zh" else en, lang)
        elif isinstance(value, str) and key not in ("due", "kind", "status", "reason"):
            values[key] = names(value, lang)
        else:
            values[key] = value
    values["n"] = len(row.get("divisions") or [])
    for token in ("division", "divisions", "org"):
        values[token] = names.wording.get(token, lang)
    return template.format(**values)


def to_finding(rule: str, severity: str, row: dict, names, completeness: Completeness) -> Finding:
    spec = RULES[rule]
    a = spec.assess(row, completeness, names)
    gap = a.basis == RECORDED
    return Finding(
        id=finding_id(rule, *spec.key(row)), rule=rule, severity=severity,
        title=render(spec.title if gap else spec.question, row, names, "en"),
        title_zh=render(spec.title_zh if gap else spec.question_zh, row, names, "zh"),
        entities=list(dict.fromkeys(spec.entities(row))), evidence=[row],
        suggested_action=render(spec.action, row, names, "en"),
        suggested_action_zh=render(spec.action_zh, row, names, "zh"),
        basis=a.basis, statements=_unique(a.statements), checked=_unique(a.checked),
        to_settle=[en for en, _ in a.missing], to_settle_zh=[zh for _, zh in a.missing],
        ask=[i for i in dict.fromkeys(a.ask) if i])


def _unique(statements: list[dict]) -> list[dict]:
    seen, out = set(), []
    for s in statements:
        if s["id"] not in seen:
            seen.add(s["id"])
            out.append(s)
    return out


def one_per_gap(rule: str, rows: list[dict]) -> list[dict]:
    """Report a gap once, where it is broadest: an overlap on a topic is dropped when a broader
    topic shows an overlap of the same divisions or more; a partial coordination when the same
    mechanism's broader coordinated topic misses the same divisions or more; a missing lead or
    mandate of a part when what it is part of lacks it too (the finding on the whole covers it)."""
    if rule == "uncoordinated-overlap":
        by_topic = {r["topic"]: set(r["divisions"]) for r in rows}
        return [r for r in rows if not any(b in by_topic and by_topic[b] >= set(r["divisions"])
                                           for b in r.get("broader") or [])]
    if rule == "partial-coordination":
        by_key = {(r["mechanism"], r["topic"]): set(r["missing"]) for r in rows}
        return [r for r in rows if not any(by_key.get((r["mechanism"], b), set()) >= set(r["missing"])
                                           for b in r.get("broader_coordinated") or [])]
    if rule in ("missing-owner", "missing-mandate"):
        key = "entity" if rule == "missing-owner" else "mechanism"
        flagged = {r[key] for r in rows}
        return [r for r in rows if not any(p in flagged for p in r.get("parents") or [])]
    return rows
