// name: document-assertions
// title: What a document asserts
// description: The relationships a source document states (those whose sources include it),
//   for checking a finding against its evidence.
// category: provenance
// param: document = "doc-itu-as-one-report-2024"  id of the document (a named graph of the data)
// columns: subject, relation, object
MATCH (d:Resource {id: $document})
WITH d.uri AS doc
MATCH (a:Resource)-[r]->(b:Resource)
WHERE doc IN r.sources
RETURN a.id AS subject, type(r) AS relation, b.id AS object
ORDER BY relation, subject, object
