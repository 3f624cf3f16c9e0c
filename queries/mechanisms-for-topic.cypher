// name: mechanisms-for-topic
// title: Coordination mechanisms covering a topic
// description: Mechanisms that coordinate the topic itself or a broader topic above it in the
//   scheme, with the agents that take part in each.
// category: coordination
// param: topic = "topic-youth"  id of the Topic
// columns: mechanism, name, name_zh, via_topic, participants
MATCH (t:Topic {id: $topic})-[:BROADER*0..4]->(c:Topic)<-[:COORDINATES]-(m:CoordinationMechanism)
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)
WITH m, c, collect(DISTINCT p.id) AS participants
RETURN m.id AS mechanism, m.name AS name, m.name_zh AS name_zh, c.id AS via_topic, participants
ORDER BY mechanism
