"""Recall and precision of a review file against hand-marked mentions (the gold set of issue 20).

A gold text marks its mentions inline: ``[[surface|entity-id]]`` for an entity the data knows,
``[[surface|new]]`` for one it does not; marks may nest (a known issuer inside the name of a new
review). The plain text, marks removed, is what ingestion reads.

Matching is by character spans (the review's offsets into the plain text): a review line covers a
gold mention when their spans overlap and the line names the gold entity (a mention, citation or
variant of it), or the line is a candidate and the gold mention is new or its entity is among the
candidate's similar entities (the reviewer links instead of creating). Recall counts gold mentions
covered by at least one line; precision counts line occurrences that cover at least one gold
mention. This is the usual span-overlap ("lenient") scoring of named-entity evaluation (MUC-7).

Run on a folder of marked texts: ``python -m itu_graph.ingest.evaluate DIR [--data DIR]``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

_MARK = re.compile(r"\[\[|\|([A-Za-z0-9][A-Za-z0-9._-]*)\]\]")


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    entity: str  # an id, or "new"


def parse_marked(marked: str) -> tuple[str, list[GoldMention]]:
    """The plain text and the gold mentions of a text marked with [[surface|id]] (nesting allowed)."""
    plain: list[str] = []
    length = 0
    stack: list[int] = []
    gold: list[GoldMention] = []
    position = 0
    for m in _MARK.finditer(marked):
        chunk = marked[position:m.start()]
        plain.append(chunk)
        length += len(chunk)
        position = m.end()
        if m.group(0) == "[[":
            stack.append(length)
        else:
            if not stack:
                raise ValueError(f"a mark closes at {m.start()} that was never opened")
            start = stack.pop()
            text = "".join(plain)[start:length]
            gold.append(GoldMention(start, length, text, m.group(1)))
    if stack:
        raise ValueError("a mark is never closed")
    plain.append(marked[position:])
    gold.sort(key=lambda g: (g.start, -g.end))
    return "".join(plain), gold


@dataclass(frozen=True)
class Line:
    """One occurrence of a review line: its span, what it names, and its kind."""
    start: int
    end: int
    section: str  # mentions, citations, variants, candidates
    entities: tuple[str, ...]
    similar: tuple[str, ...] = ()


def review_lines(doc: dict) -> list[Line]:
    """Every occurrence of every line of one document of a review file."""
    lines = []
    for m in doc.get("mentions", []):
        for start, length in m["offsets"]:
            lines.append(Line(start, start + length, "mentions", tuple(m["entities"])))
    for c in doc.get("citations", []):
        start, length = c["offset"]
        lines.append(Line(start, start + length, "citations", (c["entity"],)))
    for v in doc.get("variants", []):
        for start, length in v["offsets"]:
            lines.append(Line(start, start + length, "variants", tuple(v["entities"])))
    for c in doc.get("candidates", []):
        similar = tuple(s["id"] for s in c.get("similar") or [])
        for start, length in c["offsets"]:
            lines.append(Line(start, start + length, "candidates", (), similar))
    return lines


def _covers(line: Line, gold: GoldMention) -> bool:
    if line.end <= gold.start or gold.end <= line.start:
        return False
    if line.section == "candidates":
        return gold.entity == "new" or gold.entity in line.similar
    return gold.entity in line.entities


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    lines: int = 0
    right: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.lines if self.lines else 1.0

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.found += other.found
        self.lines += other.lines
        self.right += other.right
        self.missed += other.missed
        self.wrong += other.wrong


def score_document(text: str, gold: list[GoldMention], doc: dict, name: str = "") -> Score:
    """Recall and precision of one reviewed document against its gold mentions."""
    lines = review_lines(doc)
    score = Score(gold=len(gold), lines=len(lines))
    for g in gold:
        if any(_covers(line, g) for line in lines):
            score.found += 1
        else:
            score.missed.append(f"{name}: {g.text!r} ({g.entity})")
    for line in lines:
        if any(_covers(line, g) for g in gold):
            score.right += 1
        else:
            what = line.entities or ("candidate", *line.similar[:3])
            score.wrong.append(f"{name}: {text[line.start:line.end]!r} {line.section} {', '.join(what)}")
    return score


def evaluate(settings, folder: Path, work_dir: Path) -> dict[str, Score]:
    """Scan every marked text of ``folder`` (its plain text written to ``work_dir``) and score it:
    one Score per language (the file name's prefix before the first "-") and "all"."""
    from .scan import scan_documents
    scores: dict[str, Score] = defaultdict(Score)
    for path in sorted(Path(folder).glob("*.txt")):
        text, gold = parse_marked(path.read_text(encoding="utf-8"))
        plain = Path(work_dir) / path.name
        plain.write_text(text, encoding="utf-8")
        doc = scan_documents(settings, [plain], max_offsets=1000)["documents"][0]
        score = score_document(text, gold, doc, path.name)
        scores[path.name.split("-")[0]].add(score)
        scores["all"].add(score)
    return dict(scores)


def format_scores(scores: dict[str, Score]) -> str:
    rows = [f"{'language':<8} {'gold':>5} {'found':>5} {'recall':>7} {'lines':>5} {'right':>5} {'precision':>9}"]
    for lang in sorted(scores, key=lambda k: (k == "all", k)):
        s = scores[lang]
        rows.append(f"{lang:<8} {s.gold:>5} {s.found:>5} {s.recall:>7.3f} {s.lines:>5} {s.right:>5} {s.precision:>9.3f}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile
    from ..settings import Settings, shipped_data, shipped_ontology
    parser = argparse.ArgumentParser(description="Score ingestion against hand-marked texts ([[surface|id]]).")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--data", type=Path, action="append")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what was missed and what was wrong")
    args = parser.parse_args(argv)
    settings = Settings(data_dirs=args.data or [shipped_data()], ontology_dir=shipped_ontology())
    with tempfile.TemporaryDirectory() as work:
        scores = evaluate(settings, args.folder, Path(work))
    print(format_scores(scores))
    if args.verbose:
        print("\nmissed:\n  " + "\n  ".join(scores["all"].missed))
        print("\nwrong:\n  " + "\n  ".join(scores["all"].wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
