// name: coordination-partners
// title: Who coordinates with a unit
// description: Agents that share at least one coordination mechanism with the given agent, how
//   many mechanisms they share (the strength of the tie) and which.
// category: coordination
// param: unit = "tsb"  id of the unit, body or post
// columns: partner, name, strength, shared_mechanisms
MATCH (u:Agent {id: $unit})-[:PARTICIPATES_IN|LEADS]->(m:CoordinationMechanism)<-[:PARTICIPATES_IN|LEADS]-(other:Agent)
WHERE other.id <> u.id
WITH other, collect(DISTINCT m.id) AS shared
RETURN other.id AS partner, other.name AS name, size(shared) AS strength, shared AS shared_mechanisms
ORDER BY strength DESC, partner
