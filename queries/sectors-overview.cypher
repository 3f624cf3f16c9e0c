// name: sectors-overview
// title: The Sectors at a glance
// description: For each Sector: how many units and bodies it has, how many study groups, how
//   many topics it works on (itself or through its units) and how many mechanisms it takes part in.
// category: structure
// columns: sector, name, name_zh, units, study_groups, topics, mechanisms
MATCH (s:Division)
OPTIONAL MATCH (s)<-[:SUB_ORGANIZATION_OF*1..5]-(u:Agent)
WITH s, collect(DISTINCT u) AS units
OPTIONAL MATCH (s)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Resource)-[:WORKS_ON]->(t:Topic)
WITH s, units, collect(DISTINCT t.id) AS topics
OPTIONAL MATCH (s)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(p:Agent)-[:PARTICIPATES_IN|LEADS]->(m:CoordinationMechanism)
WITH s, units, topics, collect(DISTINCT m.id) AS mechanisms
RETURN s.id AS sector, s.name AS name, s.name_zh AS name_zh, size(units) AS units,
       size([u IN units WHERE u:StudyGroup]) AS study_groups, size(topics) AS topics, size(mechanisms) AS mechanisms
ORDER BY sector
