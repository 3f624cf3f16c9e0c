// name: rule-partial-coordination
// title: Rule: a mechanism misses a Sector that works on the topic it coordinates
// description: A mechanism that coordinates a topic and has Sectors among its participants, but
//   not every Sector that works on that topic or on a narrower one (up to four levels down): the
//   missing Sector's work is outside the coordination that exists. One finding per mechanism and
//   coordinated topic; `gaps` gives, per missing Sector, how many of those topics it works on and
//   up to five of them. Narrower topics are gathered once per coordinated topic, not once per
//   mechanism, so the work grows with the mechanisms, not with mechanisms times topics.
// category: rules
// rule: partial-coordination
// severity: medium
// columns: mechanism, topic, working, present, missing, gaps
MATCH (m:CoordinationMechanism)
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)
OPTIONAL MATCH (p)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(ms:Sector)
WITH m, collect(DISTINCT ms.id) AS present
WHERE size(present) > 0
MATCH (m)-[:COORDINATES]->(c:Topic)
WITH c, collect(DISTINCT {id: m.id, present: present}) AS mechanisms
MATCH (c)<-[:BROADER*0..4]-(t:Topic)
MATCH (s:Sector)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(:Resource)-[:WORKS_ON]->(t)
WITH c, mechanisms, s.id AS sector, collect(DISTINCT t.id) AS topics
WITH c, mechanisms, collect({sector: sector, topics: topics}) AS work
UNWIND mechanisms AS mm
WITH mm, c, work, [w IN work WHERE NOT w.sector IN mm.present] AS gaps
WHERE size(gaps) > 0
RETURN mm.id AS mechanism, c.id AS topic, [w IN work | w.sector] AS working, mm.present AS present,
       [g IN gaps | g.sector] AS missing,
       [g IN gaps | {sector: g.sector, topics: size(g.topics), examples: g.topics[0..5]}] AS gaps
ORDER BY mechanism, topic
