// name: rule-partial-coordination
// title: Rule: a mechanism misses a Sector that works on the topic it coordinates
// description: A mechanism that coordinates a topic and has Sectors among its participants, but
//   not every Sector that works on that topic or on a narrower one (up to four levels down): the
//   missing Sector's work is outside the coordination that exists. One finding per mechanism and
//   coordinated topic; `gaps` gives, per missing Sector, how many of those topics it works on and
//   up to five of them. What Sectors work on under a topic is gathered once per coordinated
//   topic, before the mechanisms are joined, so the work grows with the mechanisms, not with
//   mechanisms times topics.
// category: rules
// rule: partial-coordination
// severity: medium
// columns: mechanism, topic, working, present, missing, gaps
MATCH (:CoordinationMechanism)-[:COORDINATES]->(c:Topic)
WITH DISTINCT c
MATCH (c)<-[:BROADER*0..4]-(t:Topic)
MATCH (s:Sector)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(:Resource)-[:WORKS_ON]->(t)
WITH c, s.id AS sector, collect(DISTINCT t.id) AS topics
WITH c, collect({sector: sector, topics: size(topics), examples: topics[0..5]}) AS work
MATCH (c)<-[:COORDINATES]-(m:CoordinationMechanism)
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)
OPTIONAL MATCH (p)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(ms:Sector)
WITH c, work, m, collect(DISTINCT ms.id) AS present
WHERE size(present) > 0
WITH m, c, work, present, [w IN work WHERE NOT w.sector IN present] AS gaps
WHERE size(gaps) > 0
RETURN m.id AS mechanism, c.id AS topic, [w IN work | w.sector] AS working, present,
       [g IN gaps | g.sector] AS missing, gaps
ORDER BY mechanism, topic
