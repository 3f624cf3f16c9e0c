// name: rule-uncovered-strategy-element
// title: Rule: goals, targets and enablers nothing serves, or only one division where all should
// description: A strategy element that no ongoing initiative or mechanism supports (support of a
//   part, such as a target of a goal, counts for the whole); or one the plan expects every division
//   to serve (expected_participation = "all") that the supporters of at most one division serve.
//   Supporters of unknown status are listed apart (`unknown_status`): they are neither ongoing
//   nor ended, so the analysis asks about them rather than count them either way. Elements of a
//   plan (or anything they are part of) whose period has ended (end_date before `today`, or
//   status completed or discontinued) are not judged.
// category: rules
// rule: uncovered-strategy-element
// severity: high
// param: today = "2026-11-28"  (default) elements of plans whose period ended before this day are not judged
// columns: element, kind, reason, supporters, unknown_status, divisions
MATCH (e:StrategyElement)
OPTIONAL MATCH (e)-[:PART_OF*1..3]->(plan:Resource)
WITH e, collect(plan) AS plans
WHERE none(p IN plans WHERE coalesce(p.end_date, '9999-12-31') < $today OR coalesce(p.status, '') IN ['completed', 'discontinued'])
OPTIONAL MATCH (e)<-[:PART_OF*0..2]-(:StrategyElement)<-[:SUPPORTS]-(a:Resource)
WITH e, collect(DISTINCT a) AS found
WITH e, [a IN found WHERE a.status = 'ongoing' | a.id] AS supporters,
     [a IN found WHERE a.status IS NULL | a.id] AS unknown_status
OPTIONAL MATCH (e)<-[:PART_OF*0..2]-(:StrategyElement)<-[:SUPPORTS]-(:Resource)<-[:LEADS|PARTICIPATES_IN*0..1]-(:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(s:Division)
WITH e, supporters, unknown_status, collect(DISTINCT s.id) AS divisions
WITH e, supporters, unknown_status, divisions,
     CASE WHEN size(supporters) = 0 THEN 'no ongoing initiative supports it'
          WHEN e.expected_participation = 'all' AND size(divisions) <= 1 THEN 'the plan expects all divisions; at most one serves it'
     END AS reason
WHERE reason IS NOT NULL
RETURN e.id AS element, [l IN labels(e) WHERE NOT l IN ['Resource', 'Entity', 'StrategyElement']][0] AS kind,
       reason, supporters, unknown_status, divisions
ORDER BY element
