// name: duplicate-initiatives
// title: Initiatives with overlapping scope
// description: Pairs of initiatives that work on the same topic, with the strategy elements both
//   serve; candidates for merging or for an explicit division of labour.
// category: overlap
// columns: initiative, other, shared_topics, shared_elements
MATCH (a:Initiative)-[:WORKS_ON]->(t:Topic)<-[:WORKS_ON]-(b:Initiative)
WHERE a.id < b.id
OPTIONAL MATCH (a)-[:SUPPORTS]->(e:StrategyElement)<-[:SUPPORTS]-(b)
RETURN a.id AS initiative, b.id AS other, collect(DISTINCT t.id) AS shared_topics, collect(DISTINCT e.id) AS shared_elements
ORDER BY initiative, other
