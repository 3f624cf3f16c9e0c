// name: rule-uncoordinated-overlap
// title: Rule: topics several Sectors work on without a mechanism joining them
// description: A topic that units of two or more Sectors work on (themselves, through their
//   units and bodies, or through initiatives they lead or join) where no coordination mechanism
//   covering the topic (or a broader one) counts all of those Sectors among its participants.
//   This is the duplication "ITU as One" exists to prevent. Two parts: topics no mechanism covers at
//   all, and topics whose covering mechanisms (their Sectors computed once per mechanism, their
//   distinct Sector sets once per coordinated topic) miss one; `mechanisms` lists up to ten
//   covering mechanisms per coordinated topic, `covering` counts them all (per coordinated topic).
// category: rules
// rule: uncoordinated-overlap
// severity: high
// param: min_sectors = 2  (default) how many Sectors make an overlap
// columns: topic, sectors, workers, mechanisms, covering
MATCH (s:Sector)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(x:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(w:Resource)-[:WORKS_ON]->(t:Topic)
WITH t, collect(DISTINCT s.id) AS sectors, collect(DISTINCT w.id) AS workers
WHERE size(sectors) >= $min_sectors
OPTIONAL MATCH (t)-[:BROADER*0..4]->(c:Topic)
WHERE (c)<-[:COORDINATES]-(:CoordinationMechanism)
WITH t, sectors, workers, count(c) AS coverage
WHERE coverage = 0
RETURN t.id AS topic, sectors, workers, [] AS mechanisms, 0 AS covering
UNION
MATCH (m:CoordinationMechanism)
OPTIONAL MATCH (m)<-[:PARTICIPATES_IN|LEADS]-(p:Agent)
OPTIONAL MATCH (p)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(ms:Sector)
WITH m, collect(DISTINCT ms.id) AS mechanism_sectors
MATCH (m)-[:COORDINATES]->(c:Topic)
WITH c, collect(DISTINCT mechanism_sectors) AS sector_sets,
     collect({id: m.id, sectors: mechanism_sectors}) AS at_c
WITH c, sector_sets, at_c[0..10] AS sample, size(at_c) AS count
MATCH (c)<-[:BROADER*0..4]-(t:Topic)
WITH t, collect(sector_sets) AS nested_sets, collect(sample) AS nested_samples, sum(count) AS covering
WITH t, nested_sets, nested_samples, covering,
     reduce(acc = [], sid IN [(s:Sector)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(:Resource)-[:WORKS_ON]->(t) | s.id]
            | CASE WHEN sid IN acc THEN acc ELSE acc + sid END) AS sectors
WHERE size(sectors) >= $min_sectors
  AND none(sets IN nested_sets WHERE any(set IN sets WHERE all(sid IN sectors WHERE sid IN set)))
WITH t, sectors, nested_samples, covering,
     [(:Sector)<-[:HEADS|SUB_ORGANIZATION_OF*0..5]-(:Resource)-[:LEADS|PARTICIPATES_IN*0..1]->(w:Resource)-[:WORKS_ON]->(t) | w.id] AS found
RETURN t.id AS topic, sectors, reduce(acc = [], wid IN found | CASE WHEN wid IN acc THEN acc ELSE acc + wid END) AS workers,
       reduce(all = [], l IN nested_samples | all + l) AS mechanisms, covering
