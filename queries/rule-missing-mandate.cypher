// name: rule-missing-mandate
// title: Rule: coordination mechanisms with no mandate recorded
// description: A coordination mechanism with no resolution, decision, service order or session
//   behind it or implemented by it (directly or through the mechanism it is part of): its standing rests on practice only.
// category: rules
// rule: missing-mandate
// severity: low
// columns: mechanism, name
MATCH (m:CoordinationMechanism)
WHERE NOT (m)-[:MANDATED_BY]->(:Resource)
  AND NOT (m)-[:IMPLEMENTS]->(:Instrument)
  AND NOT (m)-[:PART_OF]->(:CoordinationMechanism)-[:MANDATED_BY]->(:Resource)
RETURN m.id AS mechanism, m.name AS name
ORDER BY mechanism
