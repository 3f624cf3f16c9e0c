// name: rule-unaligned-activity
// title: Rule: initiatives and mechanisms linked to nothing in the plan
// description: An initiative or coordination mechanism that supports no goal, target, thematic
//   priority or enabler, directly or through the initiative or mechanism it is part of: work the
//   Strategic Plan cannot account for.
// category: rules
// rule: unaligned-activity
// severity: low
// columns: entity, kind, status
MATCH (a:Resource)
WHERE (a:Initiative OR a:CoordinationMechanism)
  AND NOT (a)-[:SUPPORTS]->(:StrategyElement)
  AND NOT (a)-[:PART_OF]->(:Resource)-[:SUPPORTS]->(:StrategyElement)
  AND NOT (a)-[:IMPLEMENTS]->(:StrategicPlan)
RETURN a.id AS entity, CASE WHEN a:Initiative THEN 'initiative' ELSE 'mechanism' END AS kind, a.status AS status
ORDER BY entity
