// name: rule-partial-coordination
// title: Rule: a mechanism covering a topic misses a Sector that works on it
// description: A mechanism that coordinates a topic (or a broader one) and has Sectors among its
//   participants, but not every Sector that works on the topic: the missing Sector's work is
//   outside the coordination that exists.
// category: rules
// rule: partial-coordination
// severity: medium
// columns: mechanism, topic, working, present, missing
MATCH (m:CoordinationMechanism)
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)
OPTIONAL MATCH (p)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(ms:Sector)
WITH m, collect(DISTINCT ms.id) AS present
WHERE size(present) > 0
MATCH (m)-[:COORDINATES]->(:Topic)<-[:BROADER*0..4]-(t:Topic)
WITH t, collect(DISTINCT {id: m.id, present: present}) AS mechanisms
MATCH (s:Sector)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(w:Resource)-[:WORKS_ON]->(t)
WITH t, mechanisms, collect(DISTINCT s.id) AS working
UNWIND mechanisms AS mm
WITH mm, t, working
WHERE any(sid IN working WHERE NOT sid IN mm.present)
RETURN mm.id AS mechanism, t.id AS topic, working, mm.present AS present,
       [sid IN working WHERE NOT sid IN mm.present] AS missing
ORDER BY mechanism, topic
