"""Realistic synthetic organizations in the itu-graph ontology, at a given size.

Shape: a handful of Sectors with bureaux, departments and study groups; regional and area
offices; a SKOS topic tree; coordination mechanisms whose participation is skewed (a few
mechanisms gather many units, most gather few: a Zipf draw); initiatives with lead units,
topics and strategy elements; documents that cite and mention; one named graph per source
document, as in the real data. Everything has English and Chinese labels. Seeded: the same
arguments give the same file.

    python benchmarks/generate.py --triples 100000 -o /tmp/org-100k.trig
"""
from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

HEADER = """@prefix ig: <https://w3id.org/itu-graph/ontology#> .
@prefix s: <https://example.org/synthetic/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
STATUSES = ("planned", "ongoing", "ongoing", "ongoing", "completed", "discontinued")
INITIATIVE_CLASSES = ("Programme", "Project", "Platform", "Policy", "Strategy")
MECHANISM_CLASSES = ("Committee", "CoordinationGroup", "TaskForce", "InterSectoralTeam", "MeetingSeries")


def zipf_choice(rng: random.Random, n: int, exponent: float = 1.1) -> int:
    """An index in [0, n) drawn with probability proportional to 1/(i+1)^exponent."""
    u = rng.random()
    # inverse of the continuous approximation of the Zipf CDF
    if exponent == 1.0:
        return min(n - 1, int(math.exp(u * math.log(n + 1))) - 1)
    a = 1 - exponent
    x = ((u * ((n + 1) ** a - 1)) + 1) ** (1 / a)
    return min(n - 1, max(0, int(x) - 1))


class Writer:
    def __init__(self):
        self.graphs: dict[str, list[str]] = {}
        self.triples = 0

    def add(self, graph: str, line: str, triples: int):
        self.graphs.setdefault(graph, []).append(line)
        self.triples += triples


def entity(w: Writer, graph: str, eid: str, cls: str, name: str, extra: str = "", extra_triples: int = 0):
    w.add(graph, f's:{eid} a ig:{cls} ; skos:prefLabel "{name}"@en , "{name}（中文）"@zh{extra} .', 3 + extra_triples)


def generate(target_triples: int, seed: int = 7) -> tuple[str, int]:
    rng = random.Random(seed)
    w = Writer()
    # about two asserted triples per unit of scale once mechanisms, initiatives and documents are in
    scale = max(1, int(target_triples / 1.98))
    sectors = max(3, min(8, int(math.log10(scale + 10))))
    n_units = max(10, scale // 12)
    n_topics = max(10, scale // 25)
    n_mechanisms = max(5, scale // 30)
    n_initiatives = max(8, scale // 12)
    n_documents = max(5, scale // 20)
    n_elements = max(4, min(60, scale // 400 + 4))
    core = "s:doc-charter"
    entity(w, core, "doc-charter", "Document", "Charter")
    entity(w, core, "org", "Organization", "Synthetic Organization", ' ; skos:altLabel "SYN"', 1)
    entity(w, core, "plan", "StrategicPlan", "Strategic Plan")
    entity(w, core, "gs", "GeneralSecretariat", "General Secretariat", " ; ig:subOrganizationOf s:org", 1)
    for i in range(sectors):
        entity(w, core, f"sector-{i}", "Sector", f"Sector {i}", f' ; ig:subOrganizationOf s:org ; skos:altLabel "S{i}"', 2)
        entity(w, core, f"bureau-{i}", "Bureau", f"Bureau {i}", f" ; ig:subOrganizationOf s:sector-{i}", 1)
    regions = max(2, min(8, sectors))
    for r in range(regions):
        entity(w, core, f"region-{r}", "Region", f"Region {r}")
        entity(w, core, f"ro-{r}", "RegionalOffice", f"Regional office {r}",
               f" ; ig:subOrganizationOf s:gs ; ig:servesRegion s:region-{r}", 2)
    for e in range(n_elements):
        cls = "StrategicGoal" if e < 3 else ("Enabler" if e % 3 else "Target")
        extra = ' ; ig:expectedSectors "all"' if e % 5 == 0 else ""
        entity(w, core, f"element-{e}", cls, f"Plan element {e}", " ; ig:partOf s:plan" + extra, 1 + bool(extra))
    units = []
    for u in range(n_units):
        parent = f"bureau-{u % sectors}" if u % 4 else f"sector-{u % sectors}"
        cls = "StudyGroup" if u % 4 == 0 else ("Department" if u % 4 == 1 else "Team")
        graph = f"s:doc-structure-{u % 50}"
        entity(w, graph, f"unit-{u}", cls, f"Unit {u}", f" ; ig:subOrganizationOf s:{parent}", 1)
        units.append(f"unit-{u}")
    for t in range(n_topics):
        extra = f" ; ig:broader s:topic-{rng.randrange(t)}" if t > 10 else ""
        entity(w, core, f"topic-{t}", "Topic", f"Topic {t}", extra, 1 if extra else 0)
    for m in range(n_mechanisms):
        graph = f"s:doc-mechanisms-{m % 40}"
        cls = MECHANISM_CLASSES[m % len(MECHANISM_CLASSES)]
        topic = zipf_choice(rng, n_topics)
        entity(w, graph, f"mech-{m}", cls, f"Mechanism {m}",
               f' ; ig:coordinates s:topic-{topic} ; ig:status "{rng.choice(STATUSES)}"', 2)
        size = 2 + zipf_choice(rng, 40, 1.6)
        members = {units[zipf_choice(rng, n_units, 0.9)] for _ in range(size)}
        for k, unit in enumerate(sorted(members)):
            w.add(graph, f"s:{unit} ig:{'leads' if k == 0 else 'participatesIn'} s:mech-{m} .", 1)
        if rng.random() < 0.6:
            w.add(graph, f"s:mech-{m} ig:mandatedBy s:doc-{rng.randrange(n_documents)} .", 1)
    for i in range(n_initiatives):
        graph = f"s:doc-initiatives-{i % 60}"
        cls = INITIATIVE_CLASSES[i % len(INITIATIVE_CLASSES)]
        entity(w, graph, f"init-{i}", cls, f"Initiative {i}",
               f' ; ig:status "{rng.choice(STATUSES)}" ; ig:worksOn s:topic-{zipf_choice(rng, n_topics)}', 2)
        if rng.random() < 0.85:
            w.add(graph, f"s:{units[zipf_choice(rng, n_units, 0.8)]} ig:leads s:init-{i} .", 1)
        if rng.random() < 0.5:
            w.add(graph, f"s:{units[rng.randrange(n_units)]} ig:participatesIn s:init-{i} .", 1)
        if rng.random() < 0.8:
            w.add(graph, f"s:init-{i} ig:supports s:element-{rng.randrange(n_elements)} .", 1)
    for u in range(0, n_units, 3):
        w.add(f"s:doc-structure-{u % 50}", f"s:unit-{u} ig:worksOn s:topic-{zipf_choice(rng, n_topics)} .", 1)
    for d in range(n_documents):
        graph = f"s:doc-{d}"
        entity(w, graph, f"doc-{d}", "Document", f"Document {d}", f' ; ig:symbol "S{d // 1000}/{d}"', 1)
        for _ in range(2):
            w.add(graph, f"s:doc-{d} ig:mentions s:{units[zipf_choice(rng, n_units)]} .", 1)
        w.add(graph, f"s:doc-{d} ig:mentions s:init-{zipf_choice(rng, n_initiatives)} .", 1)
        if d:
            w.add(graph, f"s:doc-{d} ig:cites s:doc-{rng.randrange(d)} .", 1)
    # the structure/mechanism/initiative graphs are documents too
    for graph in list(w.graphs):
        eid = graph.removeprefix("s:")
        if eid.startswith("doc-") and not eid[4:].isdigit() and eid != "doc-charter":
            entity(w, graph, eid, "Document", eid.replace("-", " ").title())
    out = [HEADER]
    for graph, lines in w.graphs.items():
        out.append(f"{graph} {{\n" + "\n".join(lines) + "\n}\n")
    return "".join(out), w.triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    text, triples = generate(args.triples, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: ~{triples:,} triples")


if __name__ == "__main__":
    main()
