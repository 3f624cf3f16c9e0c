// name: topic-scheme
// title: The topic scheme
// description: Every topic with its broader topic and how many narrower topics it has.
// category: structure
// columns: topic, name, name_zh, broader, narrower
MATCH (t:Topic)
OPTIONAL MATCH (t)-[:BROADER]->(b:Topic)
OPTIONAL MATCH (n:Topic)-[:BROADER]->(t)
RETURN t.id AS topic, t.name AS name, t.name_zh AS name_zh, b.id AS broader, count(DISTINCT n) AS narrower
ORDER BY topic
