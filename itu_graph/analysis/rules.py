"""Turn the rows of the rule queries (queries/rule-*.cypher) into findings.

Each rule has a template in English and Chinese for its title and suggested action, a way to
name the entities a row is about (its key, which makes the stable id) and a completeness
caveat where the data behind it is known to be thin.
"""
from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from typing import Callable

from .findings import Finding, finding_id

ZH_SEP = "、"


@dataclass(frozen=True)
class RuleSpec:
    key: Callable[[dict], list[str]]          # entity ids that identify the finding
    entities: Callable[[dict], list[str]]     # every entity id the finding involves
    title: str
    title_zh: str
    action: str
    action_zh: str


def _names(ids, names, lang):
    return (ZH_SEP if lang == "zh" else ", ").join(names(i, lang) for i in ids)


RULES: dict[str, RuleSpec] = {
    "uncoordinated-overlap": RuleSpec(
        key=lambda r: [r["topic"]],
        entities=lambda r: [r["topic"], *r["sectors"], *r["workers"], *[m["id"] for m in r["mechanisms"]]],
        title="{topic}: {n} Sectors work on it ({sectors}) and no coordination mechanism joins them",
        title_zh="{topic}：{n}个部门（{sectors}）开展相关工作，但没有将它们联系起来的协调机制",
        action="Give the topic to an inter-sectoral mechanism in which {sectors} all take part, or record the mechanism that already coordinates it.",
        action_zh="将该主题交由{sectors}共同参与的跨部门协调机制负责，或记录已在协调该主题的机制。"),
    "partial-coordination": RuleSpec(
        key=lambda r: [r["mechanism"], r["topic"]],
        entities=lambda r: [r["mechanism"], r["topic"], *r["working"]],
        title="{mechanism} coordinates {topic}, but {missing}, which also work(s) on it or on a narrower topic, "
              "take(s) no part",
        title_zh="{mechanism}负责协调{topic}，但同样开展该主题（或其下级主题）工作的{missing}未参与其中",
        action="Invite {missing} to {mechanism}, or agree who represents them there.",
        action_zh="邀请{missing}参加{mechanism}，或商定由谁代表其参与。"),
    "unaligned-activity": RuleSpec(
        key=lambda r: [r["entity"]], entities=lambda r: [r["entity"]],
        title="{entity} supports no goal, target, priority or enabler of the plan",
        title_zh="{entity}未与战略规划的任何目标、具体目标、工作重点或推动因素挂钩",
        action="Link it to the goal or enabler it serves, or review whether it is still needed.",
        action_zh="将其与所服务的目标或推动因素挂钩，或评估其是否仍有必要。"),
    "uncovered-strategy-element": RuleSpec(
        key=lambda r: [r["element"]], entities=lambda r: [r["element"], *r["supporters"], *r["sectors"]],
        title="{element}: {reason}",
        title_zh="{element}：{reason}",
        action="Name the initiatives that serve it and their lead units in every Sector concerned, or plan them.",
        action_zh="明确各相关部门中支持该要素的举措及其牵头单位，或规划相应举措。"),
    "regional-gap": RuleSpec(
        key=lambda r: [r["office"]], entities=lambda r: [r["office"], *([r["region"]] if r["region"] else []), *r["expected"]],
        title="{office} takes part in none of its network's regional work ({expected})",
        title_zh="{office}未参与所属网络的任何区域工作（{expected}）",
        action="Record or arrange the office's part in {expected}.",
        action_zh="记录或安排该代表处在{expected}中的参与。"),
    "missing-owner": RuleSpec(
        key=lambda r: [r["entity"]], entities=lambda r: [r["entity"]],
        title="{entity} has no lead unit",
        title_zh="{entity}没有牵头单位",
        action="Name the unit or post accountable for it.",
        action_zh="明确对其负责的单位或职位。"),
    "missing-mandate": RuleSpec(
        key=lambda r: [r["mechanism"]], entities=lambda r: [r["mechanism"]],
        title="{mechanism} has no recorded mandate",
        title_zh="{mechanism}没有记录在案的授权依据",
        action="Record the resolution, decision or service order behind it, or seek one.",
        action_zh="记录其所依据的决议、决定或服务令，或寻求相应授权。"),
    "overdue-mandate": RuleSpec(
        key=lambda r: [r["mandate"]], entities=lambda r: [r["mandate"], *r["due_at"], *r["assigned_to"], *r["given_by"]],
        title="{mandate} was due on {due} ({due_at}) and no output is recorded",
        title_zh="{mandate}应于{due}（{due_at}）完成，但没有记录任何成果",
        action="Record the document that fulfilled it, or report on its status to {given_by}.",
        action_zh="记录完成该任务的文件，或向{given_by}报告其进展。"),
}

REASON_ZH = {
    "no ongoing initiative supports it": "没有正在进行的举措提供支持",
    "the plan expects all Sectors; at most one serves it": "规划要求所有部门参与，但至多一个部门提供支持",
}


#: Columns that hold Sectors: shown by acronym in titles, where full names would crowd them.
SHORT_COLUMNS = {"sectors", "working", "present", "missing"}


def render(template: str, row: dict, names, lang: str) -> str:
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
        elif key == "reason" and lang == "zh":
            values[key] = REASON_ZH.get(value, value)
        elif isinstance(value, str) and key not in ("due", "kind", "status"):
            values[key] = names(value, lang)
        else:
            values[key] = value
    values["n"] = len(row.get("sectors") or [])
    return template.format(**values)


def to_finding(rule: str, severity: str, row: dict, names) -> Finding:
    spec = RULES[rule]
    return Finding(
        id=finding_id(rule, *spec.key(row)), rule=rule, severity=severity,
        title=render(spec.title, row, names, "en"), title_zh=render(spec.title_zh, row, names, "zh"),
        entities=list(dict.fromkeys(spec.entities(row))), evidence=[row],
        suggested_action=render(spec.action, row, names, "en"),
        suggested_action_zh=render(spec.action_zh, row, names, "zh"))
