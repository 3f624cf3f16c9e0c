// name: reporting-lines
// title: Who reports to, advises or heads whom
// description: Every REPORTS_TO, ADVISES and HEADS link between agents: the lines along which
//   decisions and information travel outside the unit hierarchy.
// category: structure
// columns: from, from_name, relation, to, to_name
MATCH (a:Agent)-[r:REPORTS_TO|ADVISES|HEADS]->(b:Resource)
RETURN a.id AS from, a.name AS from_name, type(r) AS relation, b.id AS to, b.name AS to_name
ORDER BY relation, from, to
