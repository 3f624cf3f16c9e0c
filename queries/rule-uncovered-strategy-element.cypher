// name: rule-uncovered-strategy-element
// title: Rule: goals, targets and enablers nothing serves, or only one Sector where all should
// description: A strategy element that no ongoing initiative or mechanism supports; or one the
//   plan expects every Sector to serve (expected_participation = "all") that the initiatives of at
//   most one Sector support.
// category: rules
// rule: uncovered-strategy-element
// severity: high
// columns: element, kind, reason, supporters, sectors
MATCH (e:StrategyElement)
OPTIONAL MATCH (a:Resource)-[:SUPPORTS]->(e)
WITH e, collect(DISTINCT CASE WHEN a.status = 'ongoing' THEN a.id END) AS supporters
OPTIONAL MATCH (e)<-[:SUPPORTS]-(:Resource)<-[:LEADS|PARTICIPATES_IN]-(:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(s:Sector)
WITH e, supporters, collect(DISTINCT s.id) AS sectors
WITH e, supporters, sectors,
     CASE WHEN size(supporters) = 0 THEN 'no ongoing initiative supports it'
          WHEN e.expected_participation = 'all' AND size(sectors) <= 1 THEN 'the plan expects all Sectors; at most one serves it'
     END AS reason
WHERE reason IS NOT NULL
RETURN e.id AS element, [l IN labels(e) WHERE NOT l IN ['Resource', 'Entity', 'StrategyElement']][0] AS kind,
       reason, supporters, sectors
ORDER BY element
