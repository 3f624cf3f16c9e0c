// name: rule-missing-mandate
// title: Rule: coordination mechanisms with no mandate recorded
// description: A coordinating agent (a coordination mechanism, or any agent with a COORDINATES
//   link), not an aggregate and not completed or discontinued, with no resolution, decision,
//   service order, session or body behind it (MANDATED_BY) and implementing no instrument, neither
//   itself nor what it is part of (PART_OF or SUB_ORGANIZATION_OF, up to three levels): a team of a
//   task force carries the task force's mandate.
// category: rules
// rule: missing-mandate
// severity: low
// columns: mechanism, status, parents, leads
MATCH (m:Resource)
WHERE (m:CoordinationMechanism OR (m)-[:COORDINATES]->(:Resource))
  AND NOT m:Aggregate
  AND NOT coalesce(m.status, '') IN ['completed', 'discontinued']
  AND NOT (m)-[:MANDATED_BY]->(:Resource)
  AND NOT (m)-[:IMPLEMENTS]->(:Instrument)
  AND NOT (m)-[:PART_OF|SUB_ORGANIZATION_OF*1..3]->(:Resource)-[:MANDATED_BY]->(:Resource)
  AND NOT (m)-[:PART_OF|SUB_ORGANIZATION_OF*1..3]->(:Resource)-[:IMPLEMENTS]->(:Instrument)
OPTIONAL MATCH (m)-[:PART_OF|SUB_ORGANIZATION_OF]->(parent:Resource)
OPTIONAL MATCH (m)<-[:LEADS]-(lead:Agent)
RETURN m.id AS mechanism, m.status AS status, collect(DISTINCT parent.id) AS parents, collect(DISTINCT lead.id) AS leads
ORDER BY mechanism
