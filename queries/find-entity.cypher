// name: find-entity
// title: Find entities by name
// description: Entities whose English or Chinese name, or acronym, contains the text (case
//   sensitive in Chinese, case-insensitive in English).
// category: search
// param: text = "协调"  text to look for
// columns: id, name, name_zh, labels
MATCH (n:Resource)
WHERE toLower(n.name) CONTAINS toLower($text) OR n.name_zh CONTAINS $text
   OR any(a IN coalesce(n.acronyms, []) WHERE toLower(a) CONTAINS toLower($text))
RETURN n.id AS id, n.name AS name, n.name_zh AS name_zh,
       [l IN labels(n) WHERE NOT l IN ['Resource', 'Entity']] AS labels
ORDER BY id
