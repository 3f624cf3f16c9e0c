"""Script payloads for names, acronyms and sources: they must show as text and never run."""
from __future__ import annotations

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "\"><script>alert(3)</script>",
    "'><svg onload=alert(4)>",
    "<svg/onload=alert(5)>",
    "javascript:alert(6)",
    "<iframe src=\"javascript:alert(7)\"></iframe>",
    "<body onload=alert(8)>",
    "<a href=\"javascript:alert(9)\">click</a>",
    "</script><script>alert(10)</script>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<details open ontoggle=alert(11)>",
    "<input autofocus onfocus=alert(12)>",
    "<video><source onerror=alert(13)></video>",
    "{{constructor.constructor('alert(14)')()}}",
    "${alert(15)}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(16)>",
    "<object data=\"javascript:alert(17)\"></object>",
    "<embed src=\"javascript:alert(18)\">",
    "\u2028alert(19)\u2029",
    "<!--<img src=\"--><img src=x onerror=alert(20)//\">",
    "<base href=\"http://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(21)\">",
    "x'}) DETACH DELETE n //",
    "<img src=\"http://evil.example/track.png\">",
]
SOURCE_PAYLOADS = ["javascript:alert(30)", "data:text/html,<script>alert(31)</script>"]


def turtle_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\u2028", "\\u2028") \
        .replace("\u2029", "\\u2029") + '"'


def payload_dataset() -> str:
    """A small organization whose every name is a payload; its overlap makes findings too."""
    lines = ["@prefix ig: <https://w3id.org/itu-graph/ontology#> .", "@prefix ex: <https://example.org/x/> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .", "@prefix dcterms: <http://purl.org/dc/terms/> .", ""]
    def entity(name, cls, payload, extra=""):
        lines.append(f"ex:{name} a ig:{cls} ; skos:prefLabel {turtle_literal(payload)}@en , "
                     f"{turtle_literal(payload + ' 中文')}@zh ; skos:altLabel {turtle_literal(payload)} {extra}.")
    entity("sa", "Sector", PAYLOADS[0])
    entity("sb", "Sector", PAYLOADS[1])
    entity("topic", "Topic", PAYLOADS[2], '; dcterms:source <javascript:alert(30)> ')
    lines.append("ex:sa ig:worksOn ex:topic . ex:sb ig:worksOn ex:topic .")
    for i, payload in enumerate(PAYLOADS[3:], start=3):
        cls = ("Bureau", "Programme", "Committee", "Topic")[i % 4]
        entity(f"e{i}", cls, payload)
        if cls == "Bureau":
            lines.append(f"ex:e{i} ig:subOrganizationOf ex:sa .")
        elif cls == "Committee":
            lines.append(f"ex:e{i} ig:coordinates ex:topic . ex:sa ig:participatesIn ex:e{i} .")
        elif cls == "Programme":
            lines.append(f'ex:e{i} ig:worksOn ex:topic ; ig:status "ongoing" .')
    return "\n".join(lines) + "\n"
