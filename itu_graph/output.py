"""Rendering rows for the terminal and for scripts: table, json, csv."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

# Escape sequences (CSI, OSC, DCS, … and lone ESC pairs) and the other C0 and C1 controls: a name
# in the data must not retitle, recolour or rewrite someone's terminal.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_]|.?)"
                      r"|\x9b[0-?]*[ -/]*[@-~]|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?",
                      re.DOTALL)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def terminal_safe(text: str, keep_newlines: bool = True) -> str:
    """Text for a terminal: escape sequences removed, other control characters shown as U+FFFD
    (tab, line feed and carriage return kept unless ``keep_newlines`` is false)."""
    text = _CONTROLS.sub("\ufffd", _ESCAPES.sub("", text))
    return text if keep_newlines else re.sub(r"[\t\n\r\u2028\u2029]", " ", text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe
    (OWASP's advice); numbers are left as they are, so -5 stays a number."""
    text = _cell(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two columns."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_table(columns: list[str], rows: list[dict], max_width: int = 60) -> str:
    """For people at a terminal: control characters and escape sequences never pass."""
    if not columns:
        return "(no columns)"
    keys = list(columns)
    columns = [terminal_safe(str(c), keep_newlines=False) for c in columns]
    cells = [[terminal_safe(_cell(r.get(c)), keep_newlines=False) for c in keys] for r in rows]
    cells = [[c if _width(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def render(columns: list[str], rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(columns, rows).rstrip("\n")
    return to_table(columns, rows)
