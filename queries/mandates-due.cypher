// name: mandates-due
// title: Mandates and their due reports
// description: Every mandate with who gave it, to whom, when it is due (a date or a session's
//   start) and what fulfilled it; overdue when the due day has passed without an output.
// category: mandates
// param: today = "2026-11-28"  (default) the day to judge against (ISO date; default today)
// columns: mandate, name, given_by, assigned_to, due, fulfilled_by, overdue
MATCH (m:Mandate)
OPTIONAL MATCH (m)-[:MANDATED_BY]->(g:Resource)
OPTIONAL MATCH (m)-[:ASSIGNED_TO]->(a:Agent)
OPTIONAL MATCH (m)-[:DUE_AT]->(s:ConferenceSession)
OPTIONAL MATCH (m)-[:FULFILLED_BY]->(d:Document)
WITH m, collect(DISTINCT g.id) AS given_by, collect(DISTINCT a.id) AS assigned_to,
     coalesce(m.due_date, min(s.start_date), min(s.date)) AS due, collect(DISTINCT d.id) AS fulfilled_by
RETURN m.id AS mandate, m.name AS name, given_by, assigned_to, due, fulfilled_by,
       (due IS NOT NULL AND due < $today AND size(fulfilled_by) = 0) AS overdue
ORDER BY mandate
