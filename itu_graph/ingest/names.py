"""Names the data may not know yet: bodies and units by their head words, sessions and meetings,
strategic-plan codes, reviews and reports by other bodies, and coordinated ("elliptic") lists.

A body's name is found by its head word in the six UN languages (Office, Bureau, Oficina, Бюро,
مكتب, 办公室, …), the way gazetteer-free named-entity recognizers use trigger words (McDonald,
"Internal and external evidence in the identification and semantic categorization of proper
names", 1996): the head word gives the class, the words around it (capitalized words and the
connectors between them in English; the head and its complements in French, Spanish, Russian
and Arabic; the run of Chinese characters before the head, cut at a clause boundary) give the
extent. Precision guards: a name needs a head word; a head word alone, a head word with generic
modifiers only ("Regional Offices", "Member States") and a Chinese name opened by a determiner
(各, 该, 本) are not names.

A coordinated list shares its head word or its first words among conjuncts ("the ITU
Radiocommunication, Telecommunication Standardization and Telecommunication Development
Sectors"); each conjunct is expanded with what it shares into a full name (the
conjunction-reduction reading of Chantree, Kilgarriff, de Roeck and Willis, "Disambiguating
coordinations using word distribution information", RANLP 2005).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .acronyms import CJK_BOUNDARY, find_definitions
from .text import is_cjk

_W = r"[^\W\d_]"
_CAP = r"(?:[A-Z](?:[\w'’&-]|\.(?=\w))*)"


@dataclass
class Phrase:
    kind: str  # definition, name, session, code, review, list
    start: int
    end: int
    text: str
    cls: str | None = None
    acronym: str | None = None
    acronym_span: tuple[int, int] | None = None
    body: str | None = None  # session: the body's words; review: the issuer's words
    body_span: tuple[int, int] | None = None
    year: str | None = None
    number: str | None = None
    expansion: str | None = None  # list: the conjunct's full name
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------- head words
#: head word (folded) -> class it suggests; longer heads first when matched
HEADS_EN = {
    "working group": "CoordinationGroup", "task force": "TaskForce", "advisory group": "AdvisoryGroup",
    "study group": "StudyGroup", "expert group": "GovernanceBody", "group of experts": "GovernanceBody",
    "regional office": "RegionalOffice", "area office": "AreaOffice", "office": "Department",
    "department": "Department", "division": "Department", "unit": "Department", "service": "Department",
    "branch": "Department", "section": "Department", "group": "CoordinationGroup", "committee": "Committee",
    "commission": "GovernanceBody", "secretariat": "Department", "conference": "Conference",
    "assembly": "Conference", "council": "Council", "board": "Council", "bureau": "Bureau", "team": "Team",
    "forum": "Event", "sector": "Sector", "centre": "Department", "center": "Department", "panel": "AdvisoryGroup",
}
HEADS_ROMANCE = {
    "groupe de travail": "CoordinationGroup", "grupo de trabajo": "CoordinationGroup",
    "équipe spéciale": "TaskForce", "grupo especial": "TaskForce", "groupe consultatif": "AdvisoryGroup",
    "grupo asesor": "AdvisoryGroup", "commission d'études": "StudyGroup", "comisión de estudio": "StudyGroup",
    "groupe d'experts": "GovernanceBody", "grupo de expertos": "GovernanceBody",
    "bureau régional": "RegionalOffice", "oficina regional": "RegionalOffice",
    "bureau": "Bureau", "oficina": "Bureau", "département": "Department", "departamento": "Department",
    "division": "Department", "división": "Department", "unité": "Department", "unidad": "Department",
    "service": "Department", "servicio": "Department", "dependencia": "Department", "cellule": "Department",
    "groupe": "CoordinationGroup", "grupo": "CoordinationGroup", "comité": "Committee",
    "commission": "GovernanceBody", "comisión": "GovernanceBody", "secrétariat": "Department",
    "secretaría": "Department", "conférence": "Conference", "conferencia": "Conference",
    "assemblée": "Conference", "asamblea": "Conference", "conseil": "Council", "consejo": "Council",
    "junta": "Council", "équipe": "Team", "equipo": "Team", "secteur": "Sector", "sector": "Sector",
    "forum": "Event", "foro": "Event",
}
HEADS_RU = {"рабоч": "CoordinationGroup", "целев": "TaskForce", "консультативн": "AdvisoryGroup",
            "бюро": "Bureau", "департамент": "Department", "отдел": "Department", "управлени": "Department",
            "групп": "CoordinationGroup", "комитет": "Committee", "комисси": "GovernanceBody",
            "секретариат": "Department", "конференци": "Conference", "ассамбле": "Conference",
            "совет": "Council", "сектор": "Sector"}
HEADS_AR = {"فريق العمل": "CoordinationGroup", "فرقة العمل": "TaskForce", "مكتب": "Bureau", "إدارة": "Department",
            "شعبة": "Department", "وحدة": "Department", "فريق": "CoordinationGroup", "لجنة": "Committee",
            "أمانة": "Department", "مؤتمر": "Conference", "جمعية": "Conference", "مجلس": "Council", "قطاع": "Sector"}
HEADS_ZH = {"工作组": "CoordinationGroup", "任务组": "TaskForce", "专家组": "GovernanceBody", "顾问组": "AdvisoryGroup",
            "研究组": "StudyGroup", "协调组": "CoordinationGroup", "报告人组": "CoordinationGroup", "小组": "Team",
            "委员会": "Committee", "秘书处": "Department", "办公室": "Department", "办事处": "FieldOffice",
            "区域代表处": "RegionalOffice", "代表处": "FieldOffice", "理事会": "Council", "全会": "Conference",
            "大会": "Conference", "论坛": "Event", "部门": "Sector", "局": "Bureau", "部": "Department",
            "处": "Department", "司": "Department", "组": "CoordinationGroup"}
#: what a one-character Chinese head word must not be followed by (组织 is not a group, 部分 not a department)
_ZH_NOT_AFTER = {"局": "面势限部长", "部": "分署长队件位落委门内外下属际", "处": "理于在境罚所长", "司": "长法机",
                 "组": "织成建合长员别"}
_ZH_GENERIC_START = ("各", "该", "本", "此", "这", "其", "每", "有关", "相关", "所有", "一个", "新", "两个", "三个")
_COUNCIL_WORDS = re.compile(r"\b(?:Council|Conseil|Consejo)\b|Совета|المجلس|理事会")
#: modifiers that leave a name generic ("Regional Offices", "Member States")
_GENERIC = {"regional", "area", "field", "national", "member", "members", "sector", "union", "new", "its", "all",
            "three", "two", "other", "these", "those", "each", "the", "this", "that", "régional", "regional",
            "régionaux", "regionales", "nouveau", "nouvelle", "nuevo", "nueva", "le", "la", "les", "el", "los", "las"}

_EN_CONNECT = {"of", "on", "for", "and", "the", "to", "in", "&"}
_ROMANCE_CONNECT = {"de", "du", "des", "d'", "d’", "sur", "pour", "et", "del", "sobre", "para", "y", "en", "aux"}
_ROMANCE_ARTICLE = {"la", "le", "les", "l'", "l’", "el", "los", "las"}
_ADJ = re.compile(r"(?:al|ale|aux|ales|el|elle|els|elles|ique|iques|ico|ica|icos|icas|if|ive|ifs|ives|ivo|iva|ivos|"
                  r"ivas|aire|aires|ario|aria|é|ée|és|ées|ado|ada|ados|adas|ido|ida|ier|ière|iers|ières|iero|iera|"
                  r"ieros|ieras|ien|ienne|iens|iennes|ain|aine|ains|aines|ano|ana|anos|anas|ais|aise|ant|ante|"
                  r"ente|erne|ernes|erno|erna|ial|iales|nal|ral)$")
_TOKENS = re.compile(r"[^\W_](?:[\w'’&-]|\.(?=\w))*|[(),.;:!?]", re.UNICODE)


def _generic(words: list[str]) -> bool:
    return all(w.casefold() in _GENERIC or w.casefold().rstrip("s") in _HEAD_WORDS for w in words)


_HEAD_WORDS = {w for head in list(HEADS_EN) + list(HEADS_ROMANCE) for w in head.split()}


def _class_for(name: str, head: str, table: dict[str, str]) -> str:
    cls = table[head]
    if cls == "CoordinationGroup" and head != "group" and _COUNCIL_WORDS.search(name):
        return "CouncilWorkingGroup"
    if "general secretariat" in name.casefold() or "secrétariat général" in name.casefold() or \
            "secretaría general" in name.casefold() or name.endswith("总秘书处"):
        return "GeneralSecretariat"
    return cls


_EN_LEADING = {"The", "A", "An", "At", "In", "On", "For", "Its", "This", "Each", "Under", "Below", "Most", "All",
               "Both", "Some", "Their", "Since", "After", "Before", "When", "While", "Our", "Every"}


def _en_head(folded: list[str]) -> tuple[int, str] | None:
    """(index after the head word, head) of the last head word before the first of/on/for."""
    found = None
    i = 0
    while i < len(folded):
        if folded[i] in ("of", "on", "for") and found:
            break
        for h in sorted(HEADS_EN, key=len, reverse=True):
            parts = h.split()
            window = folded[i:i + len(parts)]
            if window == parts or [singular_en(w) for w in window] == parts:
                found = (i + len(parts), h)
                i += len(parts) - 1
                break
        i += 1
    return found


def singular_en(word: str) -> str:
    return word[:-1] if word.endswith("s") and word[:-1] in _HEAD_WORDS else word


def find_names_en(text: str) -> list[Phrase]:
    """English names: a run of capitalized words (with of/on/for/and/the between them) holding a
    head word. The run is split where "and/in/to" joins two names; words before an "of" that hold
    no head word ("Recommendations of the …") and a leading "The" are left out."""
    found = []
    seq = rf"{_CAP}(?:(?:[ \t]+(?:of|on|for|and|the|to|in|&))*[ \t]+{_CAP})*"
    for m in re.finditer(rf"(?<![\w'’-]){seq}", text):
        tokens = [(t.group(0), m.start() + t.start(), m.start() + t.end()) for t in re.finditer(r"\S+", m.group(0))]
        segments, current = [], []
        for i, tok in enumerate(tokens):
            if tok[0] in ("and", "in", "to", "&") and current:
                left = [x[0].casefold() for x in current]
                right = [x[0].casefold() for x in tokens[i + 1:]]
                after_the = i + 1 < len(tokens) and tokens[i + 1][0] == "the"
                if (_en_head(left) or after_the) and _en_head(right):
                    segments.append(current)
                    current = []
                    continue
            current.append(tok)
        segments.append(current)
        for seg in segments:
            while seg and (seg[0][0] in _EN_LEADING or seg[0][0] in _EN_CONNECT):
                seg = seg[1:]
            while seg and seg[-1][0] in _EN_CONNECT:
                seg = seg[:-1]
            folded = [x[0].casefold() for x in seg]
            # "Recommendations of the Joint Inspection Unit": the name starts after the "of"
            for i, w in enumerate(folded):
                if w in ("of", "on", "for"):
                    if not _en_head(folded[:i]):
                        seg, folded = seg[i + 1:], folded[i + 1:]
                        while seg and seg[0][0] in _EN_CONNECT:
                            seg, folded = seg[1:], folded[1:]
                    break
            found_head = _en_head(folded)
            if not seg or found_head is None:
                continue
            head_end, head = found_head
            if head_end < len(seg) and folded[head_end] not in ("of", "on", "for"):
                seg = seg[:head_end]  # "Ethics Office and Target 1.1": the name ends at its head
            words = [x[0] for x in seg]
            if len(words) == len(head.split()) or (head_end == len(words) and _generic(words[:head_end])):
                continue
            start, end = seg[0][1], seg[-1][2]
            name = text[start:end]
            found.append(Phrase("name", start, end, name, _class_for(name, head, HEADS_EN)))
    return found


def find_names_romance(text: str) -> list[Phrase]:
    """French and Spanish names: a capitalized head word, then adjectives and "de …/sur …/pour …"
    complements (an article allowed after the connector), "et/y" only before a complement or an
    adjective."""
    found = []
    heads = sorted(HEADS_ROMANCE, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'’])(" + "|".join(re.escape(h[0].upper() + h[1:]) for h in heads) + r")(?![\w])")
    for m in pattern.finditer(text):
        tokens = [(t.group(0), t.start(), t.end()) for t in _TOKENS.finditer(text, m.end(), min(len(text), m.end() + 300))]
        end = m.end()
        i = 0
        last_noun = False
        while i < len(tokens):
            word, s, e = tokens[i]
            low = word.casefold()
            split = re.match(r"^(d['’]|l['’])(.+)$", word)
            if low in ("et", "y"):
                nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
                if nxt.casefold() in _ROMANCE_CONNECT or re.match(r"^d['’]", nxt):
                    i += 1
                    continue
                if nxt and re.match(rf"^{_W}", nxt) and (nxt[0].isupper() or _ADJ.search(nxt.casefold())) \
                        and nxt.casefold() not in _ROMANCE_ARTICLE:
                    end = tokens[i + 1][2]
                    i += 2
                    continue
                break
            if low in ("sur", "sobre", "pour", "para") and i == 0 and m.group(1) in ("Conseil", "Consejo") and not (
                    i + 1 < len(tokens) and any(x[0][:1].isupper() for x in tokens[i + 1:i + 4])):
                break
            if low in _ROMANCE_CONNECT or split:
                j = i + 1
                noun = None
                if split:
                    rest = split.group(2)
                    noun = (rest, s, e)
                    if split.group(1).startswith("d") and re.match(r"^l['’]", rest):
                        noun = (rest[2:], s, e)
                elif j < len(tokens) and (tokens[j][0].casefold() in _ROMANCE_ARTICLE or re.match(r"^l['’]", tokens[j][0])):
                    if re.match(r"^l['’]", tokens[j][0]):
                        noun = (tokens[j][0][2:], tokens[j][1], tokens[j][2])
                        j += 1
                    else:
                        j += 1
                if noun is None:
                    if j >= len(tokens) or not re.match(rf"^{_W}", tokens[j][0]):
                        break
                    noun = tokens[j]
                    j += 1
                if low in ("pour", "para") and re.search(r"(?:er|ir|re|ar)$", noun[0]) and not noun[0][0].isupper():
                    break
                if low in ("en",) and not noun[0][0].isupper():
                    break
                end = noun[2]
                i = j
                last_noun = True
                continue
            if re.match(rf"^{_W}", word) and (word[0].isupper() or _ADJ.search(low)) and low not in _ROMANCE_ARTICLE:
                end = e
                i += 1
                continue
            break
        name = text[m.start():end]
        words = name.split()
        if len(words) < 2 or not last_noun and _generic(words[1:]):
            continue
        head = next(h for h in heads if name.casefold().startswith(h))
        found.append(Phrase("name", m.start(), end, name, _class_for(name, head, HEADS_ROMANCE)))
    return found


def find_names_ru(text: str) -> list[Phrase]:
    """Russian names: a capitalized word opening a noun phrase whose first two words hold a head
    word, through its genitive and "по …/для …" complements (at most eight words)."""
    found = []
    for m in re.finditer(r"(?<![\w])[А-ЯЁ][а-яё-]+(?:\s+[а-яёА-ЯЁ-]+){0,8}", text):
        words = list(re.finditer(r"[а-яёА-ЯЁ-]+", m.group(0)))
        heads = [i for i, w in enumerate(words[:2]) if any(w.group(0).casefold().startswith(h) for h in HEADS_RU)]
        if not heads:
            continue
        end = words[heads[0]].end()
        for w in words[heads[0] + 1:]:
            low = w.group(0).casefold()
            if low in ("по", "для", "при", "и", "в") or re.search(r"(?:ого|его|ому|ым|им|ых|их|ой|ей|ая|яя|ое|ые|ие|"
                                                                 r"ий|ый|ов|ев|ам|ям|ами|ями|ии|ия|ции|сти|ства|ения|"
                                                                 r"ания|ов|ам|ах|ях|ресурсам|МСЭ)$", low):
                end = w.end()
                continue
            break
        name = m.group(0)[:end].rstrip()
        if len(name.split()) < 2:
            continue
        head = next(h for h in HEADS_RU if words[heads[0]].group(0).casefold().startswith(h))
        found.append(Phrase("name", m.start(), m.start() + len(name), name, HEADS_RU[head]))
    return found


def find_names_ar(text: str) -> list[Phrase]:
    """Arabic names: a head word, then words with the article (ال، لل، بال، وال) and the word of an
    annexation (إضافة) before one, at most seven."""
    found = []
    heads = sorted(HEADS_AR, key=len, reverse=True)
    for m in re.finditer(r"(?<![\u0600-\u06ff])(?:ال)?(" + "|".join(heads) + r")(?![\u0600-\u06ff])", text):
        tokens = list(re.finditer(r"[\u0600-\u06ff]+", text[m.end(): m.end() + 200]))
        end = m.end()
        for i, t in enumerate(tokens[:7]):
            if text[m.end() + (tokens[i - 1].end() if i else 0): m.end() + t.start()].strip():
                break
            word = t.group(0)
            nxt = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
            if re.match(r"^(?:ال|لل|بال|وال)", word) or word in ("المعني", "المعنية", "التابع", "التابعة") or \
                    re.match(r"^(?:ال|لل|بال)", nxt):
                end = m.end() + t.end()
                continue
            break
        name = text[m.start():end]
        if end == m.end():
            continue
        head = m.group(1)
        found.append(Phrase("name", m.start(), end, name, HEADS_AR[head]))
    return found


def _zh_start(text: str, head_start: int, limit: int = 20) -> int:
    start = head_start
    while start > 0 and head_start - start < limit and is_cjk(text[start - 1]):
        start -= 1
    run = text[start:head_start]
    cut = 0
    for b in CJK_BOUNDARY.finditer(run):
        cut = b.end()
    # 和/与/及 join two names when what precedes them ends in a head word: 电信标准化局和无线电通信局
    for c in re.finditer(r"[和与及]", run):
        if c.start() > cut and any(run[cut:c.start()].endswith(h) for h in HEADS_ZH):
            cut = c.end()
    while cut < len(run) and run[cut] in "和与及同跟而":
        cut += 1
    return start + cut


def find_names_zh(text: str) -> list[Phrase]:
    """Chinese names: a head word (工作组, 委员会, 局, …) and the characters before it back to a
    clause boundary or a verb that introduces a body; a name of one character before its head, or
    opened by a determiner (各, 该, 本), is generic."""
    found = []
    heads = sorted(HEADS_ZH, key=len, reverse=True)
    for m in re.finditer("|".join(heads), text):
        head = m.group(0)
        after = text[m.end(): m.end() + 1]
        if head in _ZH_NOT_AFTER and after and after in _ZH_NOT_AFTER[head]:
            continue
        if head == "部" and (text[m.end():m.end() + 1] == "门" or text[m.start() - 1:m.start()] in "内外全总干局东西南北中"):
            continue
        start = _zh_start(text, m.start())
        name = text[start:m.end()]
        modifier = name[: len(name) - len(head)]
        if len(modifier) < 2 or name.startswith(_ZH_GENERIC_START) or re.search(r"[个些类]$|跨$|不同|多个|几个", modifier):
            continue
        found.append(Phrase("name", start, m.end(), name, _class_for(name, head, HEADS_ZH)))
    # keep the longest name ending at each position
    best: dict[int, Phrase] = {}
    for p in found:
        if p.end not in best or p.start < best[p.end].start:
            best[p.end] = p
    return sorted(best.values(), key=lambda p: p.start)


# ----------------------------------------------------------------------------- acronym definitions
def find_definition_phrases(text: str) -> list[Phrase]:
    phrases = []
    for d in find_definitions(text):
        start = min(d.long_span[0], d.short_span[0])
        end = max(d.long_span[1], d.short_span[1])
        if end < len(text) and text[end] in ")）":
            end += 1
        phrases.append(Phrase("definition", start, end, d.long, acronym=d.short, acronym_span=d.short_span,
                              extra={"long_span": d.long_span}))
    return phrases


# ------------------------------------------------------------------------------ sessions, meetings
_YEAR = r"((?:19|20)\d{2})"
SESSION_PATTERNS = [
    # the 2019 session of the Council; the 2024 meeting of TDAG
    re.compile(rf"\b{_YEAR}\s+(?:session|meeting)s?\s+of\s+(?:the\s+)?(?P<body>{_CAP}(?:\s+{_CAP}){{0,5}})"),
    # the Council's 2025 session; Council 2024; PP-22 (a body then its year)
    re.compile(rf"(?P<body>\b{_CAP}(?:\s+{_CAP}){{0,4}})(?:['’]s)?\s+{_YEAR}(?:\s+(?:session|meeting))?\b"),
    re.compile(r"(?<![\w-])(?P<body>[A-Z][A-Z&]{1,7})-(\d{2})(?![\w/-])"),
    # session de 2019 du Conseil; sesión/reunión de 2025 del Consejo
    re.compile(rf"\b(?:session|réunion|sesión|reunión)\s+de\s+{_YEAR}(?:\s+(?:du|de la|del|de l['’])\s*"
               rf"(?P<body>[A-ZÉ][\w'’-]+(?:\s+(?:de|des|du|de la|del)?\s*[\w'’-]+){{0,3}}?))?(?=[\s,.;:)]|$)"),
    # сессия Совета 2024 года; دورة المجلس لعام 2024
    re.compile(rf"(?:сесси[яиюей]|собрани[ея])\s+(?P<body>[А-ЯЁ][\w-]+(?:\s+[\w-]+){{0,2}}?)\s+{_YEAR}\s+года"),
    re.compile(rf"دورة\s+(?P<body>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+)?)\s+(?:لعام|عام)\s+{_YEAR}"),
    # 理事会2019年会议; 2024年理事会会议; 电信发展顾问组第32次会议
    re.compile(rf"(?P<body>[\u4e00-\u9fff]{{2,12}}?){_YEAR}年(?:会议|届会|会)"),
    re.compile(rf"{_YEAR}年(?P<body>[\u4e00-\u9fff]{{2,12}}?)(?:会议|届会)"),
]
_NOT_BODIES = re.compile(r"^(?:In|On|At|By|Since|From|Until|The|January|February|March|April|May|June|July|August|"
                         r"September|October|November|December|Resolution|Decision|Goal|Target|Report|Plan|Strategic|"
                         r"Agenda|Connect|Vision|Year|Document|Article|Annex|Table|Figure|Rev|Add|Corr|UTC)\b")


def find_sessions(text: str) -> list[Phrase]:
    """Sessions and meetings named by body and year: "the 2019 session of the Council", "Council
    2024", "PP-22", "session de 2025 du Conseil", "理事会2019年会议". The body may be left to the
    sentence ("à sa session de 2025"): then ``body`` is None."""
    found = []
    for pattern in SESSION_PATTERNS:
        for m in pattern.finditer(text):
            body = m.group("body")
            year = next(g for i, g in enumerate(m.groups(), 1) if g and re.fullmatch(r"\d{2}|\d{4}", g)
                        and m.start(i) != m.start("body"))
            if body and _NOT_BODIES.match(body):
                continue
            if body and any(is_cjk(ch) for ch in body):
                cut = 0
                for b in CJK_BOUNDARY.finditer(body):
                    if b.end() < len(body):
                        cut = b.end()
                body = body[cut:]
                if len(body) < 2:
                    continue
            year = year if len(year) == 4 else "20" + year
            start = m.start("body") if body and m.start("body") < m.start() + 1 else m.start()
            if body and any(is_cjk(ch) for ch in body):
                start = m.start("body") + (len(m.group("body")) - len(body))
            span_body = (m.end("body") - len(body), m.end("body")) if body else None
            found.append(Phrase("session", start, m.end(), text[start:m.end()], "ConferenceSession",
                                body=body, body_span=span_body, year=year))
    return found


# ------------------------------------------------------------------------------ strategic-plan codes
CODE_WORDS = {
    "StrategicGoal": r"Strategic Goal|Goal|Objective|But stratégique|But|Objectif stratégique|Objectif|"
                     r"Objetivo estratégico|Objetivo|Finalidad|Цель|الهدف|战略目标|总目标",
    "Target": r"Target|Cible|Meta|Задача|Целевой показатель|الغاية|المقصد|具体目标",
    "ThematicPriority": r"Thematic Priority|Priorité thématique|Prioridad temática|Тематический приоритет|"
                        r"主题工作重点|主题优先事项",
    "Enabler": r"Enabler|Catalyseur|Facilitador|Фактор содействия|推动因素",
    "StrategyElement": r"Outcome|Output|Résultat|Produit|Resultado|Producto|Outcome",
}
_CODE = r"(?P<code>[A-Z]\.\d{1,2}(?:\.\d{1,2})?|\d{1,2}(?:\.\d{1,2})*|[A-Z])"


def find_codes(text: str) -> list[Phrase]:
    """Codes of a strategic plan's goals, targets, priorities and outputs: "Goal 2", "Target 1.1",
    "Thematic Priority T.4", "Objectif 2", "Meta 1.1", "目标1", "具体目标1.1"."""
    found = []
    zh_goal = re.compile(r"(?<![具体])(?P<word>目标)\s*(?P<code>\d{1,2}(?:\.\d{1,2})?)(?![\d.])")
    for cls, words in CODE_WORDS.items():
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?P<word>{words})\s*{_CODE}(?![A-Za-z0-9]|\.\d)")
        for m in pattern.finditer(text):
            if not m.group("word")[0].isupper() and not is_cjk(m.group("word")[0]) and \
                    not re.match(r"[\u0600-\u06ff]", m.group("word")):
                continue
            if m.group("code").isalpha() and cls not in ("StrategyElement", "StrategicGoal"):
                continue
            found.append(Phrase("code", m.start(), m.end(), m.group(0), cls, number=m.group("code"),
                                extra={"word": m.group("word")}))
    for m in zh_goal.finditer(text):
        found.append(Phrase("code", m.start(), m.end(), m.group(0), "StrategicGoal", number=m.group("code"),
                            extra={"word": m.group("word")}))
    return found


# ------------------------------------------------------------------------- reviews and reports
_REPORT_EN = r"review|report|evaluation|audit|assessment|study|inspection"
_OBJECT_STOP = re.compile(r"^(?:that|which|who|was|were|is|are|has|have|had|will|would|should|shall|can|may|found|"
                          r"showed|shows|recommended|recommends|noted|notes|said|before|after|when|while|as|but|"
                          r"comes|came|goes|went|finds|covers|says|gives|gave|makes|made|takes|took|remains|"
                          r"because|qui|que|a|ont|est|sont|sera|avant|après|lorsque|antes|después|cuando|es|son|"
                          r"será|fue|ha|han|se|señaló|señala)$", re.IGNORECASE)
REVIEW_PATTERNS = [
    re.compile(rf"(?P<issuer>\b(?:[A-Z][\w-]*\s+){{0,4}}[A-Z][\w-]*)(?:['’]s)?\s+(?P<what>{_REPORT_EN})\s+"
               rf"(?:of|on|into)\s+(?P<object>[^,.;:()\n]+)"),
    re.compile(rf"\b(?P<what>{_REPORT_EN})\s+(?:of|by)\s+the\s+(?P<issuer>(?:[A-Z][\w-]*\s+){{0,4}}[A-Z][\w-]*)\s+"
               rf"(?:of|on|into)\s+(?P<object>[^,.;:()\n]+)"),
    re.compile(r"\b(?P<what>rapport|examen|évaluation|audit|étude|informe|evaluación|auditoría|estudio)\s+"
               r"(?:du|de la|de l['’]|des|del|de los|de las)\s*(?P<issuer>[A-ZÉ][\w'’-]*(?:\s+[\w'’-]+){0,4}?)\s+"
               r"(?:sur|concernant|sobre|acerca de|relatif à|relativo a)\s+(?P<object>[^,.;:()\n]+)"),
    re.compile(r"\b(?P<what>доклад|обзор|оценка|аудит|отчет|отчёт)\s+(?P<issuer>[А-ЯЁ][\w-]*(?:\s+[\w-]+){0,3}?)\s+"
               r"(?:о|об|по)\s+(?P<object>[^,.;:()\n]+)"),
    re.compile(r"(?P<what>تقرير|استعراض|تقييم)\s+(?P<issuer>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+){0,3}?)\s+"
               r"(?:بشأن|عن|حول)\s+(?P<object>[^،,.;:()\n]+)"),
    re.compile(r"(?P<issuer>[A-Za-z][A-Za-z-]+|[\u4e00-\u9fff]{2,12}?)(?:关于|对于)(?P<object>[^，。；：、\n]{2,40}?)"
               r"的(?P<what>审查|报告|评估|审计|审议|评价)"),
]


def find_reviews(text: str) -> list[Phrase]:
    """Reviews and reports by other bodies: "the JIU review of …", "the External Auditor's report
    on …", "rapport du Vérificateur extérieur des comptes sur …", "联检组关于……的审查"."""
    found = []
    for pattern in REVIEW_PATTERNS:
        for m in pattern.finditer(text):
            issuer, obj = m.group("issuer"), m.group("object")
            if is_cjk(text[m.start()]):
                cut = 0
                for b in CJK_BOUNDARY.finditer(issuer):
                    if b.end() < len(issuer):
                        cut = b.end()
                start = m.start("issuer") + cut
                end = m.end()
            else:
                kept = []
                for word in re.finditer(r"\S+", obj):
                    if _OBJECT_STOP.match(word.group(0)) or (word.group(0).endswith("ed") and len(kept) >= 2 and
                                                             not word.group(0)[0].isupper()) or len(kept) >= 10:
                        break
                    kept.append(word)
                if not kept:
                    continue
                end = m.start("object") + kept[-1].end()
                issuer_words = issuer.split()
                while issuer_words and issuer_words[0] in ("The", "A", "An", "At", "In", "Under", "Le", "La", "El"):
                    issuer_words = issuer_words[1:]
                if not issuer_words:
                    continue
                issuer = " ".join(issuer_words)
                start = min(m.start("what"), m.end("issuer") - len(issuer))
            found.append(Phrase("review", start, end, text[start:end], "Document", body=issuer,
                                body_span=(m.end("issuer") - len(issuer), m.end("issuer"))))
    return found


# ---------------------------------------------------------------------------- coordinated lists
_PLURAL_EN = {"sectors": "Sector", "bureaux": "Bureau", "bureaus": "Bureau", "offices": "Office",
              "departments": "Department", "groups": "Group", "committees": "Committee",
              "conferences": "Conference", "assemblies": "Assembly", "divisions": "Division", "units": "Unit",
              "teams": "Team", "task forces": "Task Force", "working groups": "Working Group"}
_PLURAL_ROMANCE = {"Secteurs": "Secteur", "Bureaux": "Bureau", "Départements": "Département", "Groupes": "Groupe",
                   "Comités": "Comité", "Sectores": "Sector", "Oficinas": "Oficina", "Departamentos": "Departamento",
                   "Grupos": "Grupo", "Commissions": "Commission", "Comisiones": "Comisión"}
_ZH_LIST_HEADS = ["区域代表处", "部门", "局", "工作组", "委员会", "研究组", "顾问组", "办事处"]


def find_lists(text: str) -> list[Phrase]:
    """Coordinated lists sharing a head word or leading words: one Phrase per conjunct, its
    ``expansion`` the conjunct with what it shares."""
    found = []
    # English: [Prefix] A, B and C <plural head>
    conj = rf"{_CAP}(?:\s+{_CAP})*"
    heads = "|".join(h.title() for h in sorted(_PLURAL_EN, key=len, reverse=True))
    pattern = re.compile(rf"(?P<list>{conj}(?:,\s+{conj})*,?\s+(?:and|or)\s+{conj})\s+(?P<head>{heads})\b")
    for m in pattern.finditer(text):
        head = _PLURAL_EN[m.group("head").casefold()]
        parts = [p for p in re.finditer(rf"{conj}", m.group("list")) if p.group(0) not in ("and", "or")]
        if len(parts) < 2:
            continue
        first = parts[0].group(0).split()
        prefix = first[0] if first[0] in ("ITU", "UIT") and len(first) > 1 else ""
        base = m.start("list")
        for i, p in enumerate(parts):
            words = p.group(0)
            if words.split()[0] in ("The",) and len(words.split()) > 1:
                words = words.split(" ", 1)[1]
                p_start = p.start() + 4
            else:
                p_start = p.start()
            if i == 0:
                first = words.split()
                prefix = first[0] if first[0] in ("ITU", "UIT") and len(first) > 1 else ""
            core = words[len(prefix) + 1:] if prefix and i == 0 else words
            expansion = f"{prefix + ' ' if prefix else ''}{core} {head}"
            start, end = base + p_start, base + p.end()
            if i == len(parts) - 1:
                end = m.end("head")
            found.append(Phrase("list", start, end, text[start:end], expansion=expansion))
    # French and Spanish: <plural head> des A, de la B et du C
    heads = "|".join(_PLURAL_ROMANCE)
    comp = r"(?:des|du|de la|de l['’]|de|del)\s*[\w'’-]+(?:\s+(?:des|du|de la|de l['’]|de|del|de las|de los)\s*[\w'’-]+)*"
    pattern = re.compile(rf"\b(?P<head>{heads})\s+(?P<first>{comp})(?P<rest>(?:,\s+{comp})*\s+(?:et|y)\s+{comp})")
    for m in pattern.finditer(text):
        head = _PLURAL_ROMANCE[m.group("head")]
        parts = [(m.start("first"), m.end("first"))]
        for p in re.finditer(comp, m.group("rest")):
            parts.append((m.start("rest") + p.start(), m.start("rest") + p.end()))
        for i, (s, e) in enumerate(parts):
            start = m.start() if i == 0 else s
            found.append(Phrase("list", start, e, text[start:e], expansion=f"{head} {text[s:e]}"))
    # Chinese: A、B和C<head>
    for head in _ZH_LIST_HEADS:
        pattern = re.compile(rf"(?P<list>[\u4e00-\u9fff]{{2,12}}(?:、[\u4e00-\u9fff]{{2,12}})*[和与及][\u4e00-\u9fff]{{2,12}}?){head}")
        for m in pattern.finditer(text):
            items = re.split(r"[、和与及]", m.group("list"))
            if len(items) < 2 or any(len(i) < 2 or any(h in i for h in HEADS_ZH if len(h) > 1) or CJK_BOUNDARY.search(i)
                                     for i in items):
                continue
            first_start = _zh_start(text, m.start("list") + len(items[0]), 12)
            items[0] = text[first_start: m.start("list") + len(items[0])]
            pos = first_start
            for i, item in enumerate(items):
                start = text.index(item, pos)
                end = start + len(item) + (len(head) if i == len(items) - 1 else 0)
                pos = start + len(item)
                found.append(Phrase("list", start, end, text[start:end], expansion=item + head))
    return found


def find_phrases(text: str) -> list[Phrase]:
    """Every phrase the finders above see in ``text``."""
    phrases: list[Phrase] = []
    for finder in (find_definition_phrases, find_names_en, find_names_romance, find_names_ru, find_names_ar,
                   find_names_zh, find_sessions, find_codes, find_reviews, find_lists):
        phrases += finder(text)
    return phrases
