// name: coordination-path
// title: Shortest coordination path between two agents
// description: The shortest chain of participation, leadership, headship and membership links
//   between two agents (in either direction), up to six hops. A bounded variable-length match
//   ordered by length is used instead of shortestPath(), which FalkorDB runs only directed.
// category: coordination
// param: from = "ro-africa"  id of the first agent
// param: to = "tsag"  id of the second agent
// columns: path, names, hops
MATCH p = (a:Agent {id: $from})-[:PARTICIPATES_IN|LEADS|SUB_ORGANIZATION_OF|HEADS*1..6]-(b:Agent {id: $to})
RETURN [n IN nodes(p) | n.id] AS path, [n IN nodes(p) | n.name] AS names, length(p) AS hops
ORDER BY hops
LIMIT 1
