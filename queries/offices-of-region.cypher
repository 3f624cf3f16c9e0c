// name: offices-of-region
// title: Field offices serving a region
// description: Regional and area offices that serve a region, with their city and the office
//   they report through.
// category: structure
// param: region = "region-americas"  id of the Region
// columns: office, name, name_zh, city, part_of
MATCH (o:FieldOffice)-[:SERVES_REGION]->(r:Region {id: $region})
OPTIONAL MATCH (o)-[:SUB_ORGANIZATION_OF]->(parent:FieldOffice)
RETURN o.id AS office, o.name AS name, o.name_zh AS name_zh, o.city AS city, parent.id AS part_of
ORDER BY office
