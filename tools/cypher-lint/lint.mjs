// Lints Cypher statements with Neo4j's own parser and semantic analyser.
// stdin: {"schema": {labels, relationshipTypes, propertyKeys}, "statements": [{"id", "text", "parameters"}]}
// stdout: [{"id", "diagnostics": [{"severity", "message", "line", "column"}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = [];
for (const statement of input.statements) {
  const dbSchema = { ...input.schema, parameters: statement.parameters || {} };
  const result = lintCypherQuery(statement.text, dbSchema);
  const diagnostics = (result.diagnostics || result || []).map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range?.start?.line,
    column: d.range?.start?.character,
  }));
  out.push({ id: statement.id, diagnostics });
}
process.stdout.write(JSON.stringify(out));
