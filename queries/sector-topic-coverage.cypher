// name: sector-topic-coverage
// title: Sector x topic coverage
// description: For each Sector and topic, how many of the Sector's units, bodies and initiatives
//   work on the topic (the data behind the report's heatmap).
// category: overlap
// columns: sector, topic, topic_name, topic_name_zh, workers, count
MATCH (s:Division)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(w:Resource)-[:WORKS_ON]->(t:Topic)
WITH s, t, collect(DISTINCT w.id) AS workers
RETURN s.id AS sector, t.id AS topic, t.name AS topic_name, t.name_zh AS topic_name_zh, workers, size(workers) AS count
ORDER BY sector, topic
