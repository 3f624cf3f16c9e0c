// name: mechanism-mandates
// title: The texts and decisions behind each mechanism
// description: Each coordination mechanism with the resolutions, decisions, service orders or
//   sessions that mandate it, or that it implements (an empty list means no mandate is recorded).
// category: mandates
// columns: mechanism, name, mandates
MATCH (m:CoordinationMechanism)
OPTIONAL MATCH (m)-[:MANDATED_BY|IMPLEMENTS]->(x:Instrument)
RETURN m.id AS mechanism, m.name AS name, collect(DISTINCT x.id) AS mandates
ORDER BY mechanism
