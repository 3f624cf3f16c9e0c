// name: multi-sector-topics
// title: Topics several Sectors work on
// description: Topics that at least `min_divisions` Sectors work on, themselves, through their
//   units and bodies, or through initiatives they lead or join; the candidates for duplication.
// category: overlap
// param: min_divisions = 2  (default) how many Sectors at least
// columns: topic, name, name_zh, sectors, workers
MATCH (s:Division)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(w:Resource)-[:WORKS_ON]->(t:Topic)
WITH t, collect(DISTINCT s.id) AS sectors, collect(DISTINCT w.id) AS workers
WHERE size(sectors) >= $min_divisions
RETURN t.id AS topic, t.name AS name, t.name_zh AS name_zh, sectors, workers
ORDER BY size(sectors) DESC, topic
