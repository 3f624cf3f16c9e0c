"""Evidence in plain sentences and small tables of names, in English and Chinese (issue 17).

A finding's evidence is the row its rule returned (ids, lists of ids, counts). The Committee reads
it as sentences naming the entities, one builder per rule and language, and, where a list is
longer than a sentence holds, a small table. Internal ids never appear in these texts; the
report keeps them apart, as a reference for cross-checking.
"""
from __future__ import annotations

import re
from typing import Callable

Names = Callable[[str], str]

#: Rough names for the class of what a finding is about, when the ontology gives none.
KIND_WORDS = {"en": {"initiative": "initiative", "mechanism": "coordination mechanism"},
              "zh": {"initiative": "举措", "mechanism": "协调机制"}}
STATUS_WORDS = {"en": {"planned": "planned", "ongoing": "ongoing", "completed": "completed", "discontinued": "discontinued",
                       None: "status not recorded"},
                "zh": {"planned": "计划中", "ongoing": "进行中", "completed": "已完成", "discontinued": "已停止", None: "状态未记录"}}
DIRECT_WORDS = {"en": {"LIAISES_WITH": "a direct liaison", "ASSISTS": "assistance", "ADVISES": "advice"},
                "zh": {"LIAISES_WITH": "直接联络", "ASSISTS": "协助关系", "ADVISES": "咨询关系"}}

#: Table headers.
HEADERS = {
    "en": {"mechanism": "Mechanism covering the topic", "takes_part": "Who takes part", "division_missing": "Not taking part",
           "topics": "Topics it works on", "examples": "For example", "cut_off": "Cut off without it",
           "through": "Tied through", "member": "Member", "aspect": "What the record states", "source": "Source"},
    "zh": {"mechanism": "涵盖该主题的机制", "takes_part": "参与方", "division_missing": "未参与者",
           "topics": "从事的主题数", "examples": "示例", "cut_off": "缺少它即被隔断者",
           "through": "联系渠道", "member": "成员", "aspect": "记录载明", "source": "来源"},
}


def join(items: list[str], lang: str, limit: int = 8) -> str:
    """A list in prose: "A, B and C" / "A、B和C"; beyond ``limit``, "and N more" / "等N个"."""
    items = [i for i in items if i]
    if not items:
        return "—" if lang != "zh" else "无"
    more = len(items) - limit
    shown = items[:limit]
    if lang == "zh":
        text = "、".join(shown[:-1]) + ("和" if len(shown) > 1 else "") + shown[-1]
        return text + (f"等{len(items)}个" if more > 0 else "")
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


class Sentences:
    """Builders for one language; ``name`` gives an entity's name in it, ``short`` its short name
    (the acronym in English) for divisions, ``kind`` the class name of a label, ``word`` the
    organization's words (division, divisions)."""

    def __init__(self, lang: str, name: Names, short: Names, kind: Callable[[str], str], word: Callable[[str], str]):
        self.lang, self.name, self.short, self.kind, self.word = lang, name, short, kind, word

    def names(self, ids, short: bool = False, limit: int = 8) -> str:
        f = self.short if short else self.name
        return join([f(i) for i in ids or []], self.lang, limit)

    def zh(self) -> bool:
        return self.lang == "zh"

    # ------------------------------------------------------------------ per rule
    def evidence(self, finding: dict) -> tuple[list[str], dict | None]:
        """Sentences and an optional table ``{"headers": [...], "rows": [[...]]}`` for a finding."""
        row = (finding.get("evidence") or [{}])[0]
        rule = finding["rule"]
        method = getattr(self, "_" + rule.replace("-", "_"), None)
        if method is None:
            return [], None
        if rule == "broker-dependency":
            return self._bridge(row) if "bridge" in row else self._articulation(row)
        if rule == "silo":
            return self._silo_unit(row) if "unit" in row else self._silo_group(row)
        return method(row)

    def _uncoordinated_overlap(self, r):
        n, zh, h = self.names, self.zh(), HEADERS[self.lang]
        divisions, topic = n(r["divisions"], short=True), self.name(r["topic"])
        count = len(r["divisions"])
        s = [f"{divisions}通过{n(r['workers'])}开展{topic}相关工作。" if zh
             else f"{divisions} work on {topic} through {n(r['workers'])}."]
        mechanisms = r.get("mechanisms") or []
        if not mechanisms:
            s.append(f"没有记录涵盖{topic}或其上位主题的协调机制。" if zh
                     else f"No mechanism that covers {topic} or a broader topic is recorded.")
            return s, None
        all_of = ("both" if count == 2 else f"all {count}")
        s.append(f"涵盖{topic}（或其上位主题）的机制中，没有一个同时包含这{count}个{self.word('division')}。" if zh
                 else f"No mechanism that covers {topic} or a broader topic counts {all_of} among its participants.")
        table = {"headers": [h["mechanism"], h["takes_part"]],
                 "rows": [[self.name(m["id"]), n(m.get("divisions"), short=True)] for m in mechanisms[:12]]}
        return s, table

    def _partial_coordination(self, r):
        n, zh, h = self.names, self.zh(), HEADERS[self.lang]
        m, topic, one = self.name(r["mechanism"]), self.name(r["topic"]), len(r["missing"]) == 1
        present = n(r.get("present"), short=True)
        if zh:
            s = [f"{m}负责协调{topic}，参与的{self.word('division')}有{present}。",
                 f"{n(r['missing'], short=True)}也从事该主题或其下级主题的工作，但未参与其中。"]
        else:
            s = [f"{m} coordinates {topic}; {present} take{'s' if len(r.get('present') or []) == 1 else ''} part.",
                 f"{n(r['missing'], short=True)} also work{'s' if one else ''} on it or on narrower topics, "
                 f"but take{'s' if one else ''} no part."]
        rows = [[self.short(g["division"]), str(g.get("topics", "")), n(g.get("examples"), limit=5)] for g in r.get("gaps") or []]
        return s, ({"headers": [h["division_missing"], h["topics"], h["examples"]], "rows": rows} if rows else None)

    def _status(self, status):
        return STATUS_WORDS[self.lang].get(status, status or STATUS_WORDS[self.lang][None])

    def _unaligned_activity(self, r):
        zh, e = self.zh(), self.name(r["entity"])
        what = KIND_WORDS[self.lang].get(r.get("kind"), r.get("kind") or "")
        parents = r.get("parents") or []
        if zh:
            text = f"{e}（{what}，{self._status(r.get('status'))}）未支持战略规划的任何目标、具体目标、工作重点或推动因素"
            text += f"，其所属的{self.names(parents)}也未支持。" if parents else "。"
        else:
            text = f"{e} ({what}, {self._status(r.get('status'))}) supports no goal, target, priority or enabler of the plan"
            text += f", nor does {self.names(parents)}, which it is part of." if parents else "."
        return [text], None

    def _uncovered_strategy_element(self, r):
        zh, e, n = self.zh(), self.name(r["element"]), self.names
        kind = self.kind(r.get("kind") or "")
        reason = r.get("reason") or ""
        expects_all = "expects all" in reason
        if zh:
            s = [f"{e}（{kind}）：" + ("规划要求所有{0}为其服务，但至多一个{0}提供支持。".format(self.word('division'))
                                      if expects_all else "没有正在进行的举措提供支持。")]
            s.append(f"记录显示为其服务的举措：{n(r['supporters'])}。" if r.get("supporters") else "没有记录任何为其服务的举措。")
            if r.get("unknown_status"):
                s.append(f"其中状态未记录的：{n(r['unknown_status'])}。")
            if r.get("divisions"):
                s.append(f"为其服务的{self.word('division')}：{n(r['divisions'])}。")
        else:
            s = [f"{e} ({kind}): " + (f"the plan expects all {self.word('divisions')} to serve it; at most one does."
                                       if expects_all else "no ongoing initiative supports it.")]
            s.append(f"Initiatives recorded as serving it: {n(r['supporters'])}." if r.get("supporters")
                     else "No initiative is recorded as serving it.")
            if r.get("unknown_status"):
                s.append(f"Of these, status not recorded: {n(r['unknown_status'])}.")
            if r.get("divisions"):
                s.append(f"{self.word('Divisions')} serving it: {n(r['divisions'])}.")
        return s, None

    def _regional_gap(self, r):
        zh, n = self.zh(), self.names
        office, region = self.name(r["office"]), self.name(r["region"])
        if zh:
            s = [f"{office}服务于{region}，但未参与服务于该区域的任何工作：{n(r['expected'])}。"]
            if r.get("joined"):
                s.append(f"它参与了{n(r['joined'])}。")
        else:
            s = [f"{office} serves {region} but takes part in none of the work that serves it: {n(r['expected'])}."]
            if r.get("joined"):
                s.append(f"It takes part in {n(r['joined'])}.")
        return s, None

    def _missing_owner(self, r):
        zh, n, e = self.zh(), self.names, self.name(r["entity"])
        parents, givers, aggregate = r.get("parents") or [], r.get("given_by") or [], r.get("aggregate_leads") or []
        status = self._status(r.get("status"))
        if zh:
            s = [f"没有记录任何单位、机构或职位牵头{e}（{status}）" + (f"，其所属的{n(parents)}也没有牵头方。" if parents else "。")]
            if aggregate:
                s.append(f"牵头方记录为{n(aggregate)}，它代表一组单位，而非其中某一单位。")
            if givers:
                s.append(f"其设立依据为{n(givers)}。")
        else:
            s = [f"No unit, body or post is recorded as leading {e} ({status})"
                 + (f", nor {n(parents)}, which it is part of." if parents else ".")]
            if aggregate:
                s.append(f"It is led by {n(aggregate)}, which stands for a set of units, not by one of them.")
            if givers:
                s.append(f"It was set up by {n(givers)}.")
        return s, None

    def _missing_mandate(self, r):
        zh, n, m = self.zh(), self.names, self.name(r["mechanism"])
        parents, leads = r.get("parents") or [], r.get("leads") or []
        if zh:
            s = [f"没有记录{m}所依据的任何决议、决定、服务令、会议或机构" + (f"，其所属的{n(parents)}也没有。" if parents else "。")]
            if leads:
                s.append(f"牵头方为{n(leads)}。")
        else:
            s = [f"No resolution, decision, service order, session or body is recorded behind {m}"
                 + (f", nor behind {n(parents)}, which it is part of." if parents else ".")]
            if leads:
                s.append(f"It is led by {n(leads)}.")
        return s, None

    def _overdue_mandate(self, r):
        zh, n, m = self.zh(), self.names, self.name(r["mandate"])
        due = str(r.get("due") or "")
        if zh:
            text = f"{m}由{n(r.get('given_by'))}交办、由{n(r.get('assigned_to'))}承担，应于{due}"
            text += f"（{n(r['due_at'])}）" if r.get("due_at") else ""
            text += "完成；没有记录任何完成该任务的文件。"
        else:
            text = f"{m}, given by {n(r.get('given_by'))} and assigned to {n(r.get('assigned_to'))}, was due on {due}"
            text += f" ({n(r['due_at'])})" if r.get("due_at") else ""
            text += "; no document is recorded as fulfilling it."
        return [text], None

    def _via(self, items) -> str:
        words = DIRECT_WORDS[self.lang]
        return join([words.get(i) or self.name(i) for i in items or []], self.lang)

    def _articulation(self, r):
        zh, h, n = self.zh(), HEADERS[self.lang], self.names
        ap, group = self.name(r["articulation_point"]), self.name(r.get("group") or "")
        parts = [n(part, limit=4) for part in r.get("cut_off") or []]
        cut = ("；" if zh else "; ").join(parts)
        if zh:
            s = [f"缺少{ap}（{group}），{cut}将与网络其余部分失去一切协调联系。"]
        else:
            s = [f"Without {ap} ({group}), {cut} lose{'s' if len(parts) == 1 and len(r['cut_off'][0]) == 1 else ''} "
                 "every coordination tie to the rest of the network."]
        rows = [[self.name(agent), self._via(via)] for agent, via in sorted((r.get("ties") or {}).items())]
        return s, ({"headers": [h["cut_off"], h["through"]], "rows": rows[:12]} if rows else None)

    def _bridge(self, r):
        a, b = (self.name(x) for x in r["bridge"])
        ga, gb = (self.name(g) for g in r.get("groups") or ["", ""])
        via = self._via(r.get("through"))
        if self.zh():
            return [f"{a}（{ga}）与{b}（{gb}）通过{via}相联系；两个群体之间没有其他联系。"], None
        return [f"{a} ({ga}) and {b} ({gb}) are tied through {via}; no other tie joins their groups."], None

    def _silo_group(self, r):
        group, value = self.name(r["group"]), r.get("ei_index")
        members = r.get("members") or []
        if self.zh():
            return [f"{group}的E-I指数为{value:.2f}：其成员的协调联系大多留在内部。成员：{self.names(members)}。"], None
        return [f"The E-I index of {group} is {value:.2f}: most of its members' coordination ties stay inside it. "
                f"Members: {self.names(members)}."], None

    def _silo_unit(self, r):
        unit, group, value, ties = self.name(r["unit"]), self.name(r.get("group") or ""), r.get("ei_index"), r.get("ties")
        if self.zh():
            return [f"{unit}有{ties}条协调联系，E-I指数为{value:.2f}：大多留在{group}内部。"], None
        return [f"{unit} has {ties} coordination ties and an E-I index of {value:.2f}: most stay inside {group}."], None

    def _probable_duplicate(self, r):
        a, b = (self.name(x) for x in r["entities"])
        reasons = [why_text(w, self.lang) for w in r.get("why") or []]
        if self.zh():
            return [f"{a}与{b}：{'；'.join(reasons)}。"], None
        return [f"{a} and {b}: {'; '.join(reasons)}."], None

    # ------------------------------------------------------------------ completeness statements
    def statement(self, s: dict) -> str:
        """What a completeness or "no value" statement says, as a clause."""
        x, aspect, none = self.name(s["about"]), s["aspect"], bool(s.get("no_value"))
        zh = self.zh()
        texts = {
            ("participants", False): (f"the participants of {x} are recorded in full", f"{x}的参与方已完整记录"),
            ("participants", True): (f"{x} has no participants", f"{x}没有参与方"),
            ("lead", True): (f"{x} has no lead", f"{x}没有牵头方"),
            ("lead", False): (f"the lead of {x} is recorded in full", f"{x}的牵头方已完整记录"),
            ("mandate", True): (f"{x} has no mandate", f"{x}没有授权依据"),
            ("mandate", False): (f"the mandates of {x} are recorded in full", f"{x}的授权依据已完整记录"),
            ("coordination", True): (f"no mechanism coordinates {x}", f"没有任何机制协调{x}"),
            ("coordination", False): (f"the mechanisms that coordinate {x} are recorded in full", f"协调{x}的机制已完整记录"),
            ("supporters", False): (f"what serves {x} is recorded in full", f"为{x}服务的举措已完整记录"),
            ("supporters", True): (f"nothing serves {x}", f"没有任何举措为{x}服务"),
            ("output", True): (f"no document has fulfilled {x}", f"尚无文件完成{x}"),
            ("output", False): (f"the outputs of {x} are recorded in full", f"{x}的成果已完整记录"),
            ("participation", False): (f"what {x} takes part in is recorded in full", f"{x}参与的工作已完整记录"),
            ("participation", True): (f"{x} takes part in nothing", f"{x}未参与任何工作"),
            ("strategy", False): (f"what {x} serves in the plan is recorded in full", f"{x}在规划中服务的要素已完整记录"),
            ("strategy", True): (f"{x} serves nothing in the plan", f"{x}不服务于规划的任何要素"),
            ("topics", False): (f"the topics of {x} are recorded in full", f"{x}的主题已完整记录"),
            ("topics", True): (f"{x} works on no topic", f"{x}不从事任何主题"),
        }
        en, zh_text = texts.get((aspect, none), (f"{aspect} of {x}: recorded", f"{x}的{aspect}：已记录"))
        return zh_text if zh else en


_WHY_ZH = [(re.compile(r"same acronym \((.+)\) in one class"), r"同一类别中缩写相同（\1）"),
           (re.compile(r"same name zh after normalization"), "规范化后的中文名称相同"),
           (re.compile(r"same name (\w+) after normalization"), r"规范化后的名称（\1）相同"),
           (re.compile(r"same name after normalization"), "规范化后的名称相同"),
           (re.compile(r"(\d+) source\(s\) in common"), r"有\1个共同来源")]


def why_text(why: str, lang: str) -> str:
    """A probable duplicate's reason in the report's language."""
    if lang != "zh":
        return why.replace("name zh", "Chinese name").replace("name fr", "French name")
    for pattern, repl in _WHY_ZH:
        if pattern.fullmatch(why):
            return pattern.sub(repl, why)
    return why
