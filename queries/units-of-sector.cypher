// name: units-of-sector
// title: Units of a Sector
// description: Every unit, body and group inside a Sector (bureau, advisory group, study groups,
//   assemblies, teams), at any depth, with its kind and how deep it sits.
// category: structure
// param: sector = "itu-t"  id of the Sector
// columns: unit, name, name_zh, kind, depth
MATCH path = (s:Division {id: $sector})<-[:SUB_ORGANIZATION_OF*1..5]-(u:Agent)
WITH u, min(length(path)) AS depth
RETURN u.id AS unit, u.name AS name, u.name_zh AS name_zh,
       [l IN labels(u) WHERE NOT l IN ['Resource', 'Entity', 'Agent', 'GovernanceBody', 'OrganizationalUnit', 'CoordinationMechanism']] AS kind,
       depth
ORDER BY depth, unit
