// title: Everything directly connected to one entity
// title_vi: Các quan hệ trực tiếp của một thực thể
// description: Every relationship of one node, in both directions, with the node at the other end.
// description_vi: Mọi quan hệ của một nút, theo cả hai chiều.
// param: id string -- the id of the node, e.g. bo-tai-chinh
// row: one relationship: its type, direction and the node at the other end
MATCH (n {id: $id})-[r]-(m)
RETURN type(r) AS relationship,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       m.id AS other_id, labels(m)[0] AS other_label, m.name AS other_name
ORDER BY relationship, other_id
