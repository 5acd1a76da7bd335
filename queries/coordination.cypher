// title: Agencies that must co-operate
// title_vi: Các cặp cơ quan phải phối hợp
// description: Pairs of agencies that share tasks (one leads and the other supports, or both support), with how many tasks they share and how many of those one of them leads. The pairs with the most shared work first: who must talk to whom.
// description_vi: Các cặp cơ quan cùng tham gia nhiệm vụ (một bên chủ trì, bên kia phối hợp, hoặc cùng phối hợp), với số nhiệm vụ chung.
// pair: agency_a agency_b shared_tasks
// param: min_shared int = 1 -- only pairs that share at least this many tasks
// row: one pair of agencies (agency_a_id < agency_b_id): agency_a_id, agency_a_name, agency_b_id, agency_b_name, shared_tasks, led_by_one (shared tasks one of the two leads), task_ids; then the nodes agency_a and agency_b
MATCH (a:Agency)<-[ra:LED_BY|SUPPORTED_BY]-(task:Task)-[rb:LED_BY|SUPPORTED_BY]->(b:Agency)
WHERE a.id < b.id
WITH a, b, task, type(ra) = 'LED_BY' OR type(rb) = 'LED_BY' AS led_by_one
ORDER BY task.id
WITH a, b, collect(task.id) AS task_ids,
     count(CASE WHEN led_by_one THEN 1 END) AS led_by_one
WHERE size(task_ids) >= $min_shared
RETURN a.id AS agency_a_id, a.name AS agency_a_name, b.id AS agency_b_id, b.name AS agency_b_name,
       size(task_ids) AS shared_tasks, led_by_one, task_ids, a AS agency_a, b AS agency_b
ORDER BY shared_tasks DESC, agency_a_id, agency_b_id
