// name: mechanism-members
// title: Members of a coordination mechanism
// description: Who leads and who takes part in a mechanism, with each member's Sector (when it
//   belongs to one).
// category: coordination
// param: mechanism = "isc-tf"  id of the mechanism
// columns: member, name, name_zh, role, sector
MATCH (m:CoordinationMechanism {id: $mechanism})<-[r:PARTICIPATES_IN|LEADS]-(p:Agent)
OPTIONAL MATCH (p)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(s:Division)
RETURN p.id AS member, p.name AS name, p.name_zh AS name_zh, type(r) AS role, s.id AS sector
ORDER BY role DESC, member
