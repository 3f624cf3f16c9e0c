// name: rule-uncoordinated-overlap
// title: Rule: topics several divisions work on without a mechanism joining them
// description: A topic that units of two or more divisions work on (themselves, through their
//   units and bodies, or through initiatives they lead or join) where no agent that coordinates
//   the topic (or a broader one: any mechanism, body or group with a COORDINATES link) counts all
//   of those divisions among its participants. Aggregates (a node standing for a set of units) count
//   only when their members act for them. `mechanisms` lists every covering coordinator with the
//   divisions of its participants, `broader` the topic's broader topics: the analysis reads the
//   completeness statements on both to tell a recorded gap from a question, and reports an overlap
//   once, at the broadest topic where it holds.
// category: rules
// rule: uncoordinated-overlap
// severity: high
// param: min_divisions = 2  (default) how many divisions make an overlap
// columns: topic, divisions, workers, mechanisms, broader
MATCH (s:Division)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Agent)-[:LEADS|PARTICIPATES_IN*0..1]->(w:Resource)-[:WORKS_ON]->(t:Topic)
WHERE NOT x:Aggregate OR x.members_act = true
WITH t, collect(DISTINCT s.id) AS divisions, collect(DISTINCT w.id) AS workers
WHERE size(divisions) >= $min_divisions
OPTIONAL MATCH (t)-[:BROADER*0..4]->(:Topic)<-[:COORDINATES]-(m:Agent)
WITH t, divisions, workers, collect(DISTINCT m) AS coordinators
UNWIND CASE WHEN size(coordinators) = 0 THEN [null] ELSE coordinators END AS m
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(ms:Division)
WHERE NOT p:Aggregate OR p.members_act = true
WITH t, divisions, workers, m, collect(DISTINCT ms.id) AS mechanism_divisions
WITH t, divisions, workers, collect(CASE WHEN m IS NULL THEN null ELSE {id: m.id, divisions: mechanism_divisions} END) AS mechanisms
WHERE none(c IN mechanisms WHERE all(sid IN divisions WHERE sid IN c.divisions))
OPTIONAL MATCH (t)-[:BROADER*1..4]->(b:Topic)
RETURN t.id AS topic, divisions, workers, mechanisms, collect(DISTINCT b.id) AS broader
ORDER BY topic
