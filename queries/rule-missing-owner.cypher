// name: rule-missing-owner
// title: Rule: initiatives and mechanisms without a lead
// description: An initiative or coordinating agent (a coordination mechanism, or any agent with a
//   COORDINATES link), not an aggregate and not completed or discontinued, that no unit, body or
//   post leads, neither itself nor what it is part of (PART_OF or SUB_ORGANIZATION_OF, up to
//   three levels: a team of a task force is led by the task force's chair). A lead that is an
//   aggregate counts only when its members act for it. `parents` and `given_by` name who can
//   say who leads it.
// category: rules
// rule: missing-owner
// severity: medium
// columns: entity, kind, status, parents, given_by, aggregate_leads
MATCH (a:Resource)
WHERE (a:Initiative OR a:CoordinationMechanism OR (a)-[:COORDINATES]->(:Resource))
  AND NOT a:Aggregate
  AND NOT coalesce(a.status, '') IN ['completed', 'discontinued']
OPTIONAL MATCH (a)-[:PART_OF|SUB_ORGANIZATION_OF*0..3]->(:Resource)<-[:LEADS]-(l:Agent)
WITH a, collect(DISTINCT CASE WHEN NOT l:Aggregate OR l.members_act = true THEN l.id END) AS leads,
     collect(DISTINCT CASE WHEN l:Aggregate AND coalesce(l.members_act, false) = false THEN l.id END) AS aggregate_leads
WHERE size(leads) = 0
OPTIONAL MATCH (a)-[:PART_OF|SUB_ORGANIZATION_OF]->(parent:Resource)
OPTIONAL MATCH (a)-[:MANDATED_BY]->(giver:Resource)
RETURN a.id AS entity, CASE WHEN a:Initiative THEN 'initiative' ELSE 'mechanism' END AS kind, a.status AS status,
       collect(DISTINCT parent.id) AS parents, collect(DISTINCT giver.id) AS given_by, aggregate_leads
ORDER BY entity
