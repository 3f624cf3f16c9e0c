// name: unlinked-initiatives
// title: Initiatives linked to nothing in the plan
// description: Initiatives that support no goal, target, priority or enabler, directly or
//   through the initiative they are part of, and implement no plan.
// category: alignment
// columns: initiative, name, name_zh, status
MATCH (i:Initiative)
WHERE NOT (i)-[:SUPPORTS]->(:StrategyElement)
  AND NOT (i)-[:PART_OF]->(:Initiative)-[:SUPPORTS]->(:StrategyElement)
  AND NOT (i)-[:IMPLEMENTS]->(:StrategicPlan)
RETURN i.id AS initiative, i.name AS name, i.name_zh AS name_zh, i.status AS status
ORDER BY initiative
