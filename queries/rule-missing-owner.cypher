// name: rule-missing-owner
// title: Rule: initiatives and mechanisms without a lead
// description: An ongoing or planned initiative, or a coordination mechanism, that no unit,
//   body or post leads: nobody is accountable for it.
// category: rules
// rule: missing-owner
// severity: medium
// columns: entity, kind, status
MATCH (a:Resource)
WHERE (a:Initiative OR a:CoordinationMechanism)
  AND coalesce(a.status, 'ongoing') IN ['ongoing', 'planned']
  AND NOT (a)<-[:LEADS]-(:Agent)
  AND NOT (a)-[:PART_OF]->(:Resource)<-[:LEADS]-(:Agent)
RETURN a.id AS entity, CASE WHEN a:Initiative THEN 'initiative' ELSE 'mechanism' END AS kind, a.status AS status
ORDER BY entity
