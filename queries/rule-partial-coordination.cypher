// name: rule-partial-coordination
// title: Rule: a mechanism misses a division that works on the topic it coordinates
// description: An agent that coordinates a topic (any mechanism, body or group with a COORDINATES
//   link) and has divisions among its participants, but not every division that works on that topic
//   or on a narrower one (up to four levels down). One row per coordinator and coordinated topic;
//   `gaps` gives, per missing division, how many of those topics it works on and up to five of them;
//   `broader_coordinated` lists broader topics the same coordinator coordinates (the finding is
//   reported there, once). Whether the participants listed are all of them is read from the
//   completeness statements by the analysis.
// category: rules
// rule: partial-coordination
// severity: medium
// columns: mechanism, topic, working, present, missing, gaps, broader_coordinated
MATCH (m:Agent)-[:COORDINATES]->(c:Topic)
WHERE NOT m:Aggregate
MATCH (c)<-[:BROADER*0..4]-(t:Topic)
MATCH (s:Division)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Agent)-[:LEADS|PARTICIPATES_IN*0..1]->(:Resource)-[:WORKS_ON]->(t)
WHERE NOT x:Aggregate OR x.members_act = true
WITH m, c, s.id AS division, collect(DISTINCT t.id) AS topics
WITH m, c, collect({division: division, topics: size(topics), examples: topics[0..5]}) AS work
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(ms:Division)
WHERE NOT p:Aggregate OR p.members_act = true
WITH m, c, work, collect(DISTINCT ms.id) AS present
WHERE size(present) > 0
WITH m, c, work, present, [w IN work WHERE NOT w.division IN present] AS gaps
WHERE size(gaps) > 0
OPTIONAL MATCH (c)-[:BROADER*1..4]->(b:Topic)<-[:COORDINATES]-(m)
RETURN m.id AS mechanism, c.id AS topic, [w IN work | w.division] AS working, present,
       [g IN gaps | g.division] AS missing, gaps, collect(DISTINCT b.id) AS broader_coordinated
ORDER BY mechanism, topic
