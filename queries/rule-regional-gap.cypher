// name: rule-regional-gap
// title: Rule: a regional office absent from the regional work it should take part in
// description: Regional work is recorded on the office network (initiatives the regional presence
//   leads, such as the regional action plans). A regional office that belongs to that network
//   but takes part in, or leads, none of that work is a regional gap.
// category: rules
// rule: regional-gap
// severity: medium
// columns: office, region, expected, joined
MATCH (o:RegionalOffice)-[:SUB_ORGANIZATION_OF*1..3]->(network:Agent)-[:LEADS]->(work:Initiative)
WITH o, collect(DISTINCT work.id) AS expected
OPTIONAL MATCH (o)-[:SERVES_REGION]->(r:Region)
OPTIONAL MATCH (o)-[:LEADS|PARTICIPATES_IN]->(j:Resource)
WITH o, expected, collect(DISTINCT r.id) AS regions, collect(DISTINCT j.id) AS joined
WHERE none(w IN expected WHERE w IN joined)
RETURN o.id AS office, regions[0] AS region, expected, joined
ORDER BY office
