// title: Everything one source supports
// title_vi: Mọi dữ kiện một nguồn hỗ trợ
// description: Every node and relationship that cites one source in its sources list: where each fact in the graph comes from, and what a source contributed. Nodes first, then relationships, by type.
// description_vi: Mọi nút và quan hệ dẫn một nguồn trong danh sách sources: mỗi dữ kiện đến từ đâu.
// param: source string -- the id of the Source node, e.g. src-25-tb-tgv
// row: one fact: kind (node or relationship), type (label or relationship type), id (a relationship's is from|TYPE|to), name, from_id, to_id; then the nodes and relationships, for drawing
CALL {
  MATCH (n)
  WHERE $source IN n.sources AND n.id <> $source
  RETURN 'node' AS kind, labels(n)[0] AS type, n.id AS id, n.name AS name,
         null AS from_id, null AS to_id, [n] AS nodes, [] AS relationships
  UNION ALL
  MATCH (a)-[r]->(b)
  WHERE $source IN r.sources
  RETURN 'relationship' AS kind, type(r) AS type, a.id + '|' + type(r) + '|' + b.id AS id,
         null AS name, a.id AS from_id, b.id AS to_id, [a, b] AS nodes, [r] AS relationships
}
RETURN kind, type, id, name, from_id, to_id, nodes, relationships
ORDER BY kind, type, id
