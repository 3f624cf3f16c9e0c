// name: mechanisms-by-sectors
// title: Coordination mechanisms and the Sectors taking part
// description: Each mechanism with the Sectors whose units, bodies or heads take part in or lead
//   it, and what it coordinates. A mechanism with no Sector is either Secretariat-only or lacks
//   participation data.
// category: coordination
// columns: mechanism, name, name_zh, sectors, sector_count, coordinates
MATCH (m:CoordinationMechanism)
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(s:Division)
WITH m, collect(DISTINCT s.id) AS sectors
OPTIONAL MATCH (m)-[:COORDINATES]->(t:Resource)
WITH m, sectors, collect(DISTINCT t.id) AS coordinates
RETURN m.id AS mechanism, m.name AS name, m.name_zh AS name_zh, sectors, size(sectors) AS sector_count, coordinates
ORDER BY sector_count DESC, mechanism
