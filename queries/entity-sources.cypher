// name: entity-sources
// title: Where the facts about an entity come from
// description: The sources of an entity and of each of its relationships, in both directions.
// category: provenance
// param: id = "isc-tf"  id of the entity
// columns: entity_sources, relation, other, direction, relation_sources
MATCH (x:Resource {id: $id})-[r]-(o:Resource)
RETURN x.sources AS entity_sources, type(r) AS relation, o.id AS other,
       CASE WHEN startNode(r) = x THEN 'out' ELSE 'in' END AS direction, r.sources AS relation_sources
ORDER BY relation, other
