// name: rule-overdue-mandate
// title: Rule: mandates whose due date or meeting has passed without an output
// description: A mandate due on a date, or at a session, that has begun (before `today`), with no
//   document recorded as fulfilling it. `report_to` is the body whose session it is due at (or,
//   failing that, the body that issued the instrument behind it): where a status report goes.
// category: rules
// rule: overdue-mandate
// severity: high
// param: today = "2026-11-28"  (default) the day to judge against (ISO date; default today)
// columns: mandate, due, due_at, assigned_to, given_by, report_to
MATCH (m:Mandate)
WHERE NOT (m)-[:FULFILLED_BY]->(:Document)
OPTIONAL MATCH (m)-[:DUE_AT]->(s:ConferenceSession)
WITH m, coalesce(m.due_date, min(s.start_date), min(s.date)) AS due, collect(DISTINCT s.id) AS due_at
WHERE due IS NOT NULL AND due < $today
OPTIONAL MATCH (m)-[:ASSIGNED_TO]->(a:Agent)
OPTIONAL MATCH (m)-[:MANDATED_BY]->(g:Resource)
OPTIONAL MATCH (g)-[:ISSUED_BY|SESSION_OF*1..2]->(issuer:Agent)
WITH m, due, due_at, collect(DISTINCT a.id) AS assigned_to, collect(DISTINCT g.id) AS given_by,
     collect(DISTINCT issuer.id) AS issuers
RETURN m.id AS mandate, due, due_at, assigned_to, given_by,
       CASE WHEN size(due_at) > 0 THEN due_at WHEN size(issuers) > 0 THEN issuers ELSE given_by END AS report_to
ORDER BY mandate
