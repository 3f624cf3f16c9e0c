// name: rule-unaligned-activity
// title: Rule: initiatives and mechanisms linked to nothing in the plan
// description: An initiative or coordinating agent (a coordination mechanism, or any agent with a
//   COORDINATES link), not an aggregate and not completed or discontinued, that supports no goal,
//   target, thematic priority or enabler and implements no strategic plan, neither directly nor
//   through what it is part of (PART_OF or SUB_ORGANIZATION_OF, up to three levels): work the
//   Strategic Plan cannot account for. Unknown status is neither ongoing nor ended: such rows
//   become questions.
// category: rules
// rule: unaligned-activity
// severity: low
// columns: entity, kind, status, parents
MATCH (a:Resource)
WHERE (a:Initiative OR a:CoordinationMechanism OR (a)-[:COORDINATES]->(:Resource))
  AND NOT a:Aggregate
  AND NOT coalesce(a.status, '') IN ['completed', 'discontinued']
  AND NOT (a)-[:SUPPORTS]->(:StrategyElement)
  AND NOT (a)-[:IMPLEMENTS]->(:StrategicPlan)
  AND NOT (a)-[:PART_OF|SUB_ORGANIZATION_OF*1..3]->(:Resource)-[:SUPPORTS]->(:StrategyElement)
  AND NOT (a)-[:PART_OF|SUB_ORGANIZATION_OF*1..3]->(:Resource)-[:IMPLEMENTS]->(:StrategicPlan)
OPTIONAL MATCH (a)-[:PART_OF|SUB_ORGANIZATION_OF]->(parent:Resource)
RETURN a.id AS entity, CASE WHEN a:Initiative THEN 'initiative' ELSE 'mechanism' END AS kind, a.status AS status,
       collect(DISTINCT parent.id) AS parents
ORDER BY entity
