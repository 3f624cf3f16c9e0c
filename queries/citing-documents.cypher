// name: citing-documents
// title: Documents that cite, mention or describe an entity
// description: Which documents cite, mention or describe the entity, with their symbols.
// category: provenance
// param: id = "res-pp-191"  id of the entity
// columns: document, symbol, name, relation
MATCH (d:Document)-[r:CITES|MENTIONS|DESCRIBES]->(x:Resource {id: $id})
RETURN d.id AS document, d.symbol AS symbol, d.name AS name, type(r) AS relation
ORDER BY document
