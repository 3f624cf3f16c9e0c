// name: unsupported-strategy-elements
// title: Goals and enablers no initiative supports
// description: Strategy elements with no ongoing initiative or mechanism supporting them.
// category: alignment
// columns: element, name, name_zh, kind, plan
MATCH (e:StrategyElement)
WHERE NOT (e)<-[:SUPPORTS]-(:Resource {status: 'ongoing'})
OPTIONAL MATCH (e)-[:PART_OF]->(p:StrategicPlan)
RETURN e.id AS element, e.name AS name, e.name_zh AS name_zh,
       [l IN labels(e) WHERE NOT l IN ['Resource', 'Entity', 'StrategyElement']][0] AS kind, p.id AS plan
ORDER BY element
