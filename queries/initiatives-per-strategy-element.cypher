// name: initiatives-per-strategy-element
// title: Initiatives behind each goal and enabler
// description: For every goal, target, thematic priority and enabler of a plan: the initiatives
//   and mechanisms that support it and how many are ongoing.
// category: alignment
// columns: element, name, name_zh, kind, supporters, ongoing
MATCH (e:StrategyElement)
OPTIONAL MATCH (a:Resource)-[:SUPPORTS]->(e)
WITH e, collect(DISTINCT a.id) AS supporters, count(DISTINCT CASE WHEN a.status = 'ongoing' THEN a END) AS ongoing
RETURN e.id AS element, e.name AS name, e.name_zh AS name_zh,
       [l IN labels(e) WHERE NOT l IN ['Resource', 'Entity', 'StrategyElement']][0] AS kind, supporters, ongoing
ORDER BY kind, element
