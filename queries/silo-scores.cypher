// name: silo-scores
// title: Silo scores (Krackhardt E-I index)
// description: Agents with their group (Sector, General Secretariat or region office network)
//   and E-I index: -1 when every tie stays inside the group, +1 when every tie crosses it.
//   Written by `itu-graph analyze`; empty until it has run.
// category: metrics
// columns: agent, name, group, ei_index, ties
MATCH (a:Agent)
WHERE a.ei_index IS NOT NULL
RETURN a.id AS agent, a.name AS name, a.group AS group, a.ei_index AS ei_index, a.degree AS ties
ORDER BY ei_index, agent
