// name: rule-regional-gap
// title: Rule: a regional office absent from the regional work of its region
// description: Work that serves a region (an initiative with SERVES_REGION, such as a regional
//   initiative of the development conference), not completed or discontinued, and a regional
//   office that serves the same region but leads or takes part in none of it (itself, or through
//   an aggregate whose members act for it). An aggregate that leads regional work does not make
//   each office responsible for it unless the data says its members act.
// category: rules
// rule: regional-gap
// severity: medium
// columns: office, region, expected, joined
MATCH (o:RegionalOffice)-[:SERVES_REGION]->(r:Region)<-[:SERVES_REGION]-(w:Initiative)
WHERE NOT o:Aggregate AND NOT coalesce(w.status, '') IN ['completed', 'discontinued']
WITH o, r, collect(DISTINCT w.id) AS expected
OPTIONAL MATCH (o)-[:SUB_ORGANIZATION_OF|PART_OF*0..2]->(actor:Agent)-[:LEADS|PARTICIPATES_IN]->(j:Resource)
WHERE actor = o OR actor.members_act = true
WITH o, r, expected, collect(DISTINCT j.id) AS joined
WHERE none(w IN expected WHERE w IN joined)
RETURN o.id AS office, r.id AS region, expected, joined
ORDER BY office, region
