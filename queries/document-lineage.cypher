// title: Lineage of a document
// title_vi: Quan hệ thực hiện và dẫn chiếu của một văn bản
// description: Upstream, what a document implements or refers to, transitively (a notice implements a plan that implements Resolution 57); downstream, the documents and tasks that implement or refer to it. Each with the shortest IMPLEMENTS/REFERS_TO chain and the relationship types along it.
// description_vi: Thượng nguồn: văn bản này thực hiện hoặc dẫn chiếu những gì (bắc cầu); hạ nguồn: văn bản, nhiệm vụ nào thực hiện hoặc dẫn chiếu nó.
// param: document string -- the id of the document, e.g. doc-25-tb-tgv
// row: one related node: direction (upstream or downstream), hops, via (relationship types along the chain, from the start), id, label, name, number, issued_on; then the node other and the chain, for drawing
MATCH (doc:Document {id: $document})
CALL {
  WITH doc
  MATCH chain = (doc)-[:IMPLEMENTS|REFERS_TO*1..8]->(other)
  RETURN 'upstream' AS direction, other, chain
  UNION
  WITH doc
  MATCH chain = (other)-[:IMPLEMENTS|REFERS_TO*1..8]->(doc)
  RETURN 'downstream' AS direction, other, chain
}
WITH direction, other, chain
ORDER BY length(chain)
WITH direction, other, collect(chain)[0] AS chain
RETURN direction, length(chain) AS hops, [r IN relationships(chain) | type(r)] AS via,
       other.id AS id, labels(other)[0] AS label, other.name AS name, other.number AS number,
       other.issued_on AS issued_on, other, chain
ORDER BY direction DESC, hops, id
