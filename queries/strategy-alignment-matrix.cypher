// name: strategy-alignment-matrix
// title: Strategy alignment matrix: elements x Sectors
// description: For each strategy element and each Sector, the initiatives and mechanisms that
//   support the element and that the Sector leads or takes part in (through its units, bodies or
//   heads). Cells without a row are empty.
// category: alignment
// columns: element, sector, initiatives
MATCH (e:StrategyElement)<-[:SUPPORTS]-(a:Resource)<-[:LEADS|PARTICIPATES_IN]-(p:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(s:Division)
RETURN e.id AS element, s.id AS sector, collect(DISTINCT a.id) AS initiatives
ORDER BY element, sector
