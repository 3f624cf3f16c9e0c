"""Neo4j's own Cypher linter (npm ``@neo4j-cypher/language-support``, ``lintCypherQuery``).

Used by the tests and ``itu-graph query lint`` to check every statement meant for Neo4j
against the schema derived from the ontology. Needs Node.js and ``tools/cypher-lint``
installed (``make setup-tests``).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass

from .errors import StoreError
from .settings import PROJECT_ROOT

LINT_DIR = PROJECT_ROOT / "tools" / "cypher-lint"
ERROR, WARNING = 1, 2


@dataclass(frozen=True)
class Diagnostic:
    statement: str
    severity: int
    message: str
    line: int | None
    column: int | None


def available() -> bool:
    return shutil.which("node") is not None and (LINT_DIR / "node_modules" / "@neo4j-cypher").is_dir()


def lint(statements: dict[str, tuple[str, dict]], schema: dict) -> list[Diagnostic]:
    """Lint ``{id: (cypher, example_parameters)}`` with the given schema; all diagnostics."""
    if not available():
        raise StoreError("Neo4j's Cypher linter is not installed: run `make setup-tests` "
                         "(needs Node.js and npm)")
    payload = {"schema": schema,
               "statements": [{"id": k, "text": text, "parameters": params}
                              for k, (text, params) in statements.items()]}
    proc = subprocess.run(["node", str(LINT_DIR / "lint.mjs")], input=json.dumps(payload),
                          capture_output=True, text=True, cwd=LINT_DIR, timeout=300)
    if proc.returncode != 0:
        raise StoreError(f"Cypher linter failed: {proc.stderr.strip()[:500]}")
    return [Diagnostic(item["id"], d["severity"], d["message"], d.get("line"), d.get("column"))
            for item in json.loads(proc.stdout) for d in item["diagnostics"]]
