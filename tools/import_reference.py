"""Turn the shared reference facts (itu-facts.yaml) into data/itu/reference.trig.

Each fact goes into one named graph per source URL of its entry, so relationships and
entities carry those URLs as their sources. Entries marked ``unverified`` are left out (they
have no source); ``partial`` ones keep ``ig:confidence "partial"``. Entities the seed report
already names keep the seed's labels; this file adds their public sources and relations.
Chinese labels are standard ITU terms (reference README: names.zh are compiler-added terms);
where the file gives one it is used, otherwise the table below gives it.

Run: .venv/bin/python tools/import_reference.py ../shared/reference/itu-facts.yaml
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "itu" / "reference.trig"
SEED = ROOT / "data" / "itu" / "seed-report-2024.trig"

CLASS = {
    "organization": "Organization", "sector": "Sector", "bureau": "Bureau", "secretariat": "GeneralSecretariat",
    "department": "Department", "elected_official": "Post", "regional_office": "RegionalOffice",
    "area_office": "AreaOffice", "conference": "Conference", "assembly": "Conference",
    "conference_session": "ConferenceSession", "forum": "ConferenceSession", "governing_body": "Council",
    "board": "Council", "council_working_group": "CouncilWorkingGroup", "advisory_group": "AdvisoryGroup",
    "management_committee": "Committee", "management_group": "CoordinationGroup", "task_force": "TaskForce",
    "coordination_group": "CoordinationGroup",
    "intersector_rapporteur_group": "CoordinationGroup", "programme": "Programme", "study_group": "StudyGroup",
    "plan": "StrategicPlan", "goal": "StrategicGoal", "platform": "Platform", "process": "Programme",
    "coalition": "Platform", "initiative": "Programme", "partnership": "Programme", "event": "Programme",
    "coalition_role": "Programme", "pp_resolution": "Resolution", "ra_resolution": "Resolution",
    "wtsa_resolution": "Resolution", "wtdc_resolution": "Resolution", "council_resolution": "Resolution",
    "pp_decision": "Decision", "topic_of_mutual_interest": "Topic", "document": "Document", "region": "Region", "concept": "Concept",
}

ZH = {
    "osg": "秘书长办公室", "spm": "战略规划和成员部", "hrmd": "人力资源管理部", "frmd": "财务资源管理部",
    "telecom-secretariat": "国际电联电信展秘书处", "cp": "会议和出版部", "is": "信息服务部",
    "deputy-secretary-general": "副秘书长", "director-br": "无线电通信局主任", "director-tsb": "电信标准化局主任",
    "director-bdt": "电信发展局主任",
    "ro-africa": "国际电联非洲区域代表处", "ro-americas": "国际电联美洲区域代表处",
    "ro-arab": "国际电联阿拉伯国家区域代表处", "ro-asia-pacific": "国际电联亚太区域代表处",
    "ro-cis": "国际电联独联体区域代表处", "ro-europe": "国际电联欧洲代表处",
    "ao-new-delhi": "国际电联南亚地区办事处和创新中心", "ao-tegucigalpa": "国际电联特古西加尔巴地区办事处",
    "ao-bridgetown": "国际电联布里奇顿地区办事处", "ao-santiago": "国际电联圣地亚哥地区办事处",
    "rrb": "无线电规则委员会", "wrc": "世界无线电通信大会", "ra": "无线电通信全会", "wtsa": "世界电信标准化全会",
    "wtdc": "世界电信发展大会", "wtpf-26": "2026年世界电信/信息通信技术政策论坛",
    "cwg-fhr": "理事会财务和人力资源工作组", "cwg-wsis-sdg": "理事会信息社会世界峰会和可持续发展目标工作组",
    "cwg-internet": "理事会国际互联网相关公共政策问题工作组", "cwg-cop": "理事会儿童在线保护工作组",
    "cwg-lang": "理事会六种正式语文使用工作组", "cwg-sfp": "理事会战略规划和财务规划工作组",
    "eg-itrs": "国际电信规则专家组", "eg-dec482": "第482号决定专家组", "ieg-wtpf-26": "2026年世界电信政策论坛非正式专家组",
    "rag": "无线电通信顾问组", "tsag": "电信标准化顾问组", "tdag": "电信发展顾问组",
    "jca": "联合协调活动", "irg-ava": "国际电联视听媒体无障碍获取部门间报告人组", "focus-groups": "ITU-T焦点组",
    "itu-youth-task-force": "国际电联青年任务组",
    "itu-r-sg1": "ITU-R第1研究组（频谱管理）", "itu-r-sg3": "ITU-R第3研究组（无线电波传播）",
    "itu-r-sg4": "ITU-R第4研究组（卫星业务）", "itu-r-sg5": "ITU-R第5研究组（地面业务）",
    "itu-r-sg6": "ITU-R第6研究组（广播业务）", "itu-r-sg7": "ITU-R第7研究组（科学业务）",
    "itu-t-sg2": "ITU-T第2研究组（电信和信息通信技术的运营问题）", "itu-t-sg3": "ITU-T第3研究组（经济和政策问题）",
    "itu-t-sg5": "ITU-T第5研究组（环境、气候行动、循环经济和电磁场）",
    "itu-t-sg11": "ITU-T第11研究组（信令要求、协议、测试规范和打击假冒设备）",
    "itu-t-sg12": "ITU-T第12研究组（性能、服务质量和体验质量）", "itu-t-sg13": "ITU-T第13研究组（未来网络和新兴网络技术）",
    "itu-t-sg15": "ITU-T第15研究组（传送、接入和家庭网络）", "itu-t-sg17": "ITU-T第17研究组（安全）",
    "itu-t-sg20": "ITU-T第20研究组（物联网和智慧可持续城市与社区）",
    "itu-t-sg21": "ITU-T第21研究组（多媒体、内容分发和有线电视技术）",
    "itu-d-sg1": "ITU-D第1研究组（有利环境/有意义的连通）", "itu-d-sg2": "ITU-D第2研究组（数字化转型）",
    "goal-1": "普遍连通", "goal-2": "可持续数字化转型",
    "wsis": "信息社会世界峰会后续行动（WSIS论坛、WSIS+20）", "giga": "Giga学校联网倡议",
    "equals": "EQUALS数字时代性别平等全球伙伴关系", "generation-connect": "连通一代", "girls-in-ict-day": "国际信通技术女童日",
    "dtc-initiative": "数字化转型中心举措", "generation-equality-coalition": "平等一代技术和创新行动联盟（国际电联为共同牵头方）",
    "cop-initiative": "儿童在线保护举措",
    "dec-pp-11": "第11号决定（2022年，布加勒斯特，修订版）", "res-pp-140": "第140号决议（2022年，布加勒斯特，修订版）",
    "res-pp-154": "第154号决议（2022年，布加勒斯特，修订版）", "res-pp-179": "第179号决议",
    "res-pp-148": "第148号决议（2022年，布加勒斯特，修订版）", "res-pp-108": "第108号决议（2002年，马拉喀什）",
    "res-pp-200": "第200号决议（2022年，布加勒斯特，修订版）", "res-itu-r-6-7": "ITU-R第6号和第7号决议",
    "res-wtsa-18": "WTSA第18号决议（2024年，新德里，修订版）", "res-wtsa-45": "WTSA第45号决议",
    "res-wtsa-2": "WTSA第2号决议", "res-wtdc-5": "WTDC第5号决议（2022年，基加利，修订版）",
    "res-wtdc-59": "WTDC第59号决议（2022年，基加利，修订版）", "res-wtdc-88": "WTDC第88号决议",
    "res-wtdc-67-45": "WTDC第67号和第45号决议", "council-res-1333": "理事会第1333号决议",
    "topic-child-online-protection": "儿童在线保护", "topic-cybersecurity": "网络安全和信任",
    "topic-climate-environment": "气候变化、环境、循环经济和电磁场", "topic-ai": "人工智能", "topic-imt": "IMT/5G/6G",
    "topic-iot-smart-cities": "物联网和智慧可持续城市", "topic-digital-financial-services": "数字/移动金融服务",
    "topic-conformance-interoperability": "一致性和互操作性、假冒设备",
    "topic-bridging-standardization-gap": "弥合标准化工作差距/发展中国家参与",
    "topic-spectrum-developing-countries": "为发展中国家提供频谱管理援助；广播过渡",
    "topic-emergency-telecommunications": "应急通信/灾害响应",
    "c26-35": "C26/35号文件", "c23-29": "C23/29号文件", "c20-inf-10": "C20/INF/10号文件", "c17-38": "C17/38号文件",
    "region-africa": "非洲", "region-americas": "美洲", "region-arab-states": "阿拉伯国家", "region-asia-pacific": "亚洲及太平洋",
    "region-cis": "独联体", "region-europe": "欧洲",
}

REGIONS = {"ro-africa": ("region-africa", "Africa"), "ro-americas": ("region-americas", "Americas"),
           "ro-arab": ("region-arab-states", "Arab States"), "ro-asia-pacific": ("region-asia-pacific", "Asia and the Pacific"),
           "ro-cis": ("region-cis", "CIS"), "ro-europe": ("region-europe", "Europe")}

#: Session dates as the reference file states them (facts.dates or the body's description), by
#: the entry whose sources state them.
SESSION_DATES = {
    "pp-22": ("pp-22", "2022-09-26", "2022-10-14"),      # facts.dates: 26 Sep - 14 Oct 2022
    "pp-26": ("pp-26", "2026-11-09", "2026-11-27"),      # facts.dates: 9-27 Nov 2026
    "council": ("council-2024", "2024-06-04", "2024-06-14"),  # description: 2024 - 4-14 Jun
}

#: Free-text "handled_by" items of the topics that name an entity of the file.
HANDLED_BY_PREFIX = re.compile(r"^([a-z0-9-]+)")


#: Partners named in the initiatives' entries, as external organizations (zh: UN terms).
PARTNERS = {
    "40+ UN sister agencies (53 UN partners for the 2025 AI Governance Dialogue)": None,
    "Switzerland (co-convener)": ("switzerland", "Switzerland", "瑞士"),
    "XPRIZE Foundation and ACM (2020 edition)": ("xprize-acm", "XPRIZE Foundation and ACM", "XPRIZE基金会和美国计算机协会"),
    "IFIP (partner since 2022)": ("ifip", "International Federation for Information Processing", "国际信息处理联合会"),
    "Office of the UN Secretary-General's Envoy on Technology": ("un-tech-envoy", "Office of the UN Secretary-General's Envoy on Technology", "联合国秘书长技术问题特使办公室"),
    "UN-OHRLLS": ("un-ohrlls", "UN-OHRLLS", "联合国最不发达国家、内陆发展中国家和小岛屿发展中国家高级代表办事处"),
    "Boston Consulting Group (knowledge partner)": ("bcg", "Boston Consulting Group", "波士顿咨询公司"),
    "UNICEF (Office of Innovation)": ("unicef", "UNICEF", "联合国儿童基金会"),
    "UNICEF": ("unicef", "UNICEF", "联合国儿童基金会"),
    "Telefónica (co-leader of proposals)": ("telefonica", "Telefónica", "西班牙电信"),
    "industry, governments, civil society": None,
    "UN Women": ("un-women", "UN Women", "联合国妇女署"),
    "International Trade Centre": ("itc", "International Trade Centre", "国际贸易中心"),
    "UN University": ("unu", "United Nations University", "联合国大学"),
    "GSMA": ("gsma", "GSMA", "全球移动通信系统协会"),
    "Cisco": ("cisco", "Cisco", "思科"),
    "Norad (Norway)": ("norad", "Norad (Norway)", "挪威发展合作署"),
    "ST Foundation": ("st-foundation", "ST Foundation", "ST基金会"),
    "France": ("france", "France", "法国"),
    "Mexico": ("mexico", "Mexico", "墨西哥"),
}

#: Cities of the field offices (zh: standard names).
CITIES_ZH = {"Addis Ababa": "亚的斯亚贝巴", "Brasilia": "巴西利亚", "Cairo": "开罗", "Bangkok": "曼谷",
             "Moscow": "莫斯科", "Geneva": "日内瓦", "New Delhi": "新德里", "Tegucigalpa": "特古西加尔巴",
             "Bridgetown": "布里奇顿", "Santiago": "圣地亚哥"}

#: Resolutions and decisions: the body or session that adopted them, as their names state
#: ("Rev. Bucharest, 2022" is PP-22; "ITU-R" texts are the Radiocommunication Assembly's, ...).
ISSUERS = (("(Rev. Bucharest, 2022)", "pp-22"), ("(Marrakesh, 2002)", "pp"), ("Resolution ITU-R", "ra"),
           ("Resolutions ITU-R", "ra"), ("WTSA ", "wtsa"), ("WTDC ", "wtdc"), ("Council Resolution", "council"))

#: Links stated in an entry's description, keyed by entry: (property, target).
DESCRIBED = {
    "cwg-wsis-sdg": [("mandatedBy", "res-pp-140")],
    "cwg-lang": [("mandatedBy", "res-pp-154")],
    "cwg-cop": [("mandatedBy", "res-pp-179")],
    "cwg-fhr": [("worksOn", "topic-financial-planning")],
    "tsag": [("mandatedBy", "res-wtsa-45")],
    "wsis": [("mandatedBy", "res-pp-140")],
    "partner2connect": [("mandatedBy", "res-wtdc-88")],
    "coco": [("mandatedBy", "res-pp-108")],
}


#: What the confirmed Council documents are about, as their gist states.
DOCUMENT_SUBJECTS = {
    "c26-35": ["strategic-plan-2024-2027"], "c23-29": ["res-pp-148", "deputy-secretary-general"],
    "c20-inf-10": ["regional-presence"], "c17-38": ["res-pp-191", "isc-tf"],
}


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


class Writer:
    def __init__(self, existing: set[str]):
        self.existing = existing
        self.graphs: dict[str, list[str]] = defaultdict(list)
        self.known: dict[str, str] = {}  # id -> class
        self.pending_relations: list[tuple[str, str, str, list[str]]] = []

    def entity(self, eid, cls, names, acronyms, sources, confidence, extra=()):
        if not sources:
            return False
        self.known[eid] = cls
        lines = []
        if eid not in self.existing:
            lines.append(f"itu:{eid} a ig:{cls} .")
            en = names.get("en")
            zh = names.get("zh") or ZH.get(eid)
            if not en or not zh:
                raise SystemExit(f"no en/zh label for {eid}")
            lines.append(f'itu:{eid} skos:prefLabel "{esc(en)}"@en , "{esc(zh)}"@zh .')
            for a in acronyms or []:
                a = re.sub(r"\s*\(.*\)$", "", str(a)).strip()
                if a:
                    lines.append(f'itu:{eid} skos:altLabel "{esc(a)}" .')
        if names.get("fr"):  # the seed has no French names; the reference file does
            lines.append(f'itu:{eid} skos:prefLabel "{esc(names["fr"])}"@fr .')
        if confidence in ("confirmed", "partial"):
            lines.append(f'itu:{eid} ig:confidence "{confidence}" .')
        lines.extend(extra)
        for url in sources:
            self.graphs[url].extend(lines)
        return True

    def relation(self, subject, prop, target, sources):
        self.pending_relations.append((subject, prop, target, sources))

    def flush_relations(self):
        for subject, prop, target, sources in self.pending_relations:
            if (subject in self.known or subject in self.existing) and (target in self.known or target in self.existing):
                for url in sources:
                    self.graphs[url].append(f"itu:{subject} ig:{prop} itu:{target} .")

    def write(self, path: Path):
        out = ["# Generated by tools/import_reference.py from the shared reference facts (itu-facts.yaml).",
               "# One named graph per source URL: every triple in a graph is stated by that page.",
               "# Do not edit by hand; edit the reference file or the importer and run it again.",
               "@prefix ig:      <https://w3id.org/itu-graph/ontology#> .",
               "@prefix itu:     <https://w3id.org/itu-graph/itu/> .",
               "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
               "@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .", ""]
        for url in sorted(self.graphs):
            lines = list(dict.fromkeys(self.graphs[url]))
            out.append(f"<{url}> {{")
            out.extend("    " + line for line in lines)
            out.append("}")
            out.append("")
        path.write_text("\n".join(out), encoding="utf-8")


def relations_of(entry):
    return [(r["predicate"], r["target"]) for r in entry.get("relations", []) or []]


def main(reference: Path) -> None:
    facts = yaml.safe_load(reference.read_text(encoding="utf-8"))
    existing = set(re.findall(r"^itu:([a-z0-9-]+) a ig:", SEED.read_text(encoding="utf-8"), flags=re.M))
    w = Writer(existing)

    sources_of: dict[str, list[str]] = {}

    def add(entry, cls, sources=None, confidence=None, part_prop="subOrganizationOf", extra=()):
        eid = entry["id"]
        srcs = list(dict.fromkeys(sources or entry.get("sources") or []))
        sources_of[eid] = srcs
        conf = confidence or entry.get("confidence")
        if conf == "unverified":
            return False
        ok = w.entity(eid, cls, entry.get("names", {}), entry.get("acronyms"), srcs, conf, extra)
        if not ok:
            return False
        if entry.get("part_of"):
            w.relation(eid, part_prop, entry["part_of"], srcs)
        for predicate, target in relations_of(entry):
            map_relation(w, eid, predicate, target, srcs)
        return True

    for e in facts["organization"]:
        add(e, "Organization")
    for e in facts["sectors"]:
        add(e, "Sector")
    for e in facts["bureaux_and_secretariat"]:
        if e["type"] == "list":
            for item in e["items"]:
                add(dict(item, part_of=e["part_of"]), "Department", e["sources"], e["confidence"])
        else:
            add(e, CLASS[e["type"]])
    officials = facts["elected_officials"]
    for e in officials["items"]:
        add(e, "Post", officials["sources"], officials["confidence"])
    def site(e):
        sid = "site-" + re.sub(r"[^a-z]+", "-", e["city"].lower()).strip("-")
        w.entity(sid, "Site", {"en": f'{e["city"]}, {e["country"]}', "zh": CITIES_ZH[e["city"]]}, None, e["sources"], None)
        w.relation(e["id"], "basedIn", sid, e["sources"])

    rp = facts["regional_presence"]
    for e in rp["regional_offices"]:
        region_id, region_en = REGIONS[e["id"]]
        extra = [f'itu:{e["id"]} ig:city "{esc(e["city"])}" .', f'itu:{e["id"]} ig:country "{esc(e["country"])}" .',
                 f"itu:{e['id']} ig:servesRegion itu:{region_id} ."]
        if add(dict(e, part_of="regional-presence"), "RegionalOffice", extra=extra):
            w.entity(region_id, "Region", {"en": region_en}, None, e["sources"], None)
            site(e)
    for e in rp["area_offices"]:
        extra = [f'itu:{e["id"]} ig:city "{esc(e["city"])}" .', f'itu:{e["id"]} ig:country "{esc(e["country"])}" .'] \
            if e.get("city") else []
        if e.get("part_of") in REGIONS:
            extra.append(f"itu:{e['id']} ig:servesRegion itu:{REGIONS[e['part_of']][0]} .")
        if add(e, "AreaOffice", extra=extra) and e.get("city"):
            site(e)
    for e in facts["governance_bodies"]:
        extra = []
        if e["id"] in SESSION_DATES:
            session, start, end = SESSION_DATES[e["id"]]
            extra = [f'itu:{session} ig:startDate "{start}"^^xsd:date .', f'itu:{session} ig:endDate "{end}"^^xsd:date .']
        add(e, CLASS[e["type"]], part_prop="subOrganizationOf" if e["type"] != "conference_session" else "sessionOf",
            extra=extra)
    cwg = facts["council_working_groups"]
    for e in cwg["items"]:
        add(e, "CouncilWorkingGroup")
    for e in facts["advisory_groups"]:
        add(e, "AdvisoryGroup")
    for e in facts["coordination_mechanisms"]:
        if e["type"] == "mechanism_class":
            # "Joint Coordination Activities", "Focus Groups": a kind of body, not a body; each
            # one the sources name is in the data on its own, with its parent group
            continue
        add(e, CLASS[e["type"]])
        if e["id"] == "coco":
            # its description: statutory under Constitution Art. 26 and Convention Art. 6
            w.entity("itu-constitution-convention", "Instrument",
                     {"en": "Constitution and Convention of ITU", "zh": "国际电联组织法和公约"}, None, e["sources"], "confirmed")
            w.relation("coco", "mandatedBy", "itu-constitution-convention", e["sources"])
    for sector_key, block in facts["study_groups"].items():
        sector = {"itu_r": "itu-r", "itu_t": "itu-t", "itu_d": "itu-d"}[sector_key]
        for e in block["items"]:
            # the reference gives a study group's subject as its name; its name is its number
            # ("ITU-T Study Group 12"), as the Chinese name already says, with the subject after it
            number = re.fullmatch(r"itu-[rtd]-sg(\d+)", e["id"])
            if number and not e["names"]["en"].startswith(sector.upper()):
                subject = re.sub(rf"^Study Group {number.group(1)}\b\s*", "", e["names"]["en"]).strip(" :")
                subject = re.sub(r"^\(focus:\s*(.*)\)$", r"\1", subject)  # "(focus: X)" is the subject X
                subject = re.sub(r"\s*\((short form|older title:[^)]*)\)$", "", subject)  # the compiler's notes
                name = f"{sector.upper()} Study Group {number.group(1)}" + (f": {subject}" if subject else "")
                e = dict(e, names={**e["names"], "en": name})
            add(dict(e, part_of=sector), "StudyGroup", e.get("sources") or block.get("sources"),
                e.get("confidence") or block.get("confidence"))
    sp = facts["strategic_plan"]
    for goal in sp["strategic_goals"]:
        add(dict(goal, part_of="strategic-plan-2024-2027"), "StrategicGoal", sp["sources"], "confirmed",
            part_prop="partOf")
    for e in facts["initiatives"]:
        if add(e, CLASS.get(e.get("type"), "Programme")):
            lead = e.get("led_by")
            if lead and lead != "itu":
                w.relation(lead, "leads", e["id"], e["sources"])
            for partner in e.get("partners", []):
                if PARTNERS.get(partner) is None:
                    continue
                pid, en, zh = PARTNERS[partner]
                w.entity(pid, "ExternalOrganization", {"en": en, "zh": zh}, None, e["sources"], None)
                w.relation(e["id"], "partner", pid, e["sources"])
    for e in facts["resolutions"]:
        if add(e, CLASS[e["type"]]):
            for marker, issuer in ISSUERS:
                if marker in e["names"]["en"]:
                    w.relation(e["id"], "issuedBy", issuer, e["sources"])
                    break
    for entry_id, links in DESCRIBED.items():
        sources = sources_of.get(entry_id, [])
        for prop, target in links:
            w.relation(entry_id, prop, target, sources)
    for e in facts["intersectoral_topics"]["items"]:
        if not add(e, "Topic"):
            continue
        for sector in e.get("sectors", []):
            if "unverified" in sector:
                continue
            if sector.startswith("GS"):
                w.relation("general-secretariat", "worksOn", e["id"], e["sources"])
            for sid, token in (("itu-r", "ITU-R"), ("itu-t", "ITU-T"), ("itu-d", "ITU-D")):
                if sector.startswith(token):
                    w.relation(sid, "worksOn", e["id"], e["sources"])
        for item in e.get("handled_by", []):
            if "unverified" in item:
                continue
            match = HANDLED_BY_PREFIX.match(item)
            if match:
                w.pending_relations.append(("__handled__", match.group(1), e["id"], e["sources"]))
    for doc in facts["council_documents"]:
        if doc.get("confidence") != "confirmed":
            continue
        names = {"en": f'{doc["doc"]}: {doc["gist"].split(";")[0].rstrip(".")}'}
        extra = [f'itu:{doc["id"]} ig:symbol "{esc(doc["doc"])}" .']
        add(dict(doc, names=names), "Document", extra=extra)
        for target in DOCUMENT_SUBJECTS.get(doc["id"], []):
            w.relation(doc["id"], "describes", target, doc["sources"])
    # topics handled by an entity: it works on them. The reference file's "handled by" does not say
    # that a group coordinates the whole topic among the Sectors (IRG-AVA handles one corner of
    # accessibility); what a body coordinates comes from its terms of reference (data/itu/curated/).
    resolved = []
    for subject, prop, target, sources in w.pending_relations:
        if subject == "__handled__":
            entity = prop
            cls = w.known.get(entity)
            if cls is None:
                continue
            kind = "worksOn" if cls not in ("Resolution", "Decision") else None
            if kind:
                resolved.append((entity, kind, target, sources))
        else:
            resolved.append((subject, prop, target, sources))
    w.pending_relations = resolved
    w.flush_relations()
    w.write(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(w.known)} entities in {len(w.graphs)} source graphs")


PREDICATES = {"part_of": "subOrganizationOf", "advises": "advises", "reports_to": "reportsTo",
              "member_of": "participatesIn", "liaises_with": "liaisesWith", "mandated_by": "mandatedBy",
              "established_by": "mandatedBy", "works_on": "worksOn", "implements": "implements", "elects": "elects",
              "heads": "heads"}


def map_relation(w: Writer, subject, predicate, target, sources):
    if predicate in PREDICATES:
        w.relation(subject, PREDICATES[predicate], target, sources)
    elif predicate == "headed_by":
        w.relation(target, "heads", subject, sources)
    elif predicate in ("chairs", "leads"):
        w.relation(subject, "leads", target, sources)
    elif predicate == "chaired_by":
        w.relation(target, "leads", subject, sources)
    elif predicate == "member":
        w.relation(target, "participatesIn", subject, sources)
    elif predicate == "composed_of_reps_of":
        w.relation(target, "participatesIn", subject, sources)
    elif predicate == "receives_reports_from":
        w.relation(target, "reportsTo", subject, sources)
    elif predicate == "has_working_group":
        w.relation(target, "subOrganizationOf", subject, sources)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference" / "itu-facts.yaml"))
