// name: rule-overdue-mandate
// title: Rule: mandates whose due date or meeting has passed without an output
// description: A mandate due on a date, or at a session, that has begun (before `today`), with no
//   document recorded as fulfilling it.
// category: rules
// rule: overdue-mandate
// severity: high
// param: today = "2026-11-28"  (default) the day to judge against (ISO date; default today)
// columns: mandate, due, due_at, assigned_to, given_by
MATCH (m:Mandate)
WHERE NOT (m)-[:FULFILLED_BY]->(:Document)
OPTIONAL MATCH (m)-[:DUE_AT]->(s:ConferenceSession)
WITH m, coalesce(m.due_date, min(s.start_date), min(s.date)) AS due, collect(DISTINCT s.id) AS due_at
WHERE due IS NOT NULL AND due < $today
OPTIONAL MATCH (m)-[:ASSIGNED_TO]->(a:Agent)
OPTIONAL MATCH (m)-[:MANDATED_BY]->(g:Resource)
RETURN m.id AS mandate, due, due_at, collect(DISTINCT a.id) AS assigned_to, collect(DISTINCT g.id) AS given_by
ORDER BY mandate
