// name: top-brokers
// title: Top brokers of the coordination network
// description: Agents ranked by betweenness in the coordination network, with Burt's constraint
//   and effective size and their Gould-Fernandez brokerage. Written by `itu-graph analyze`; empty
//   until it has run.
// category: metrics
// param: limit = 10  (default) how many
// columns: agent, name, betweenness, constraint, effective_size, brokerage, articulation_point
MATCH (a:Agent)
WHERE a.betweenness IS NOT NULL
RETURN a.id AS agent, a.name AS name, a.betweenness AS betweenness, a.constraint AS constraint,
       a.effective_size AS effective_size, a.brokerage_total AS brokerage, a.articulation_point AS articulation_point
ORDER BY betweenness DESC, agent
LIMIT $limit
