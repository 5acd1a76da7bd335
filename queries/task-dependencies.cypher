// title: Upstream and downstream of one task
// title_vi: Các phụ thuộc thượng nguồn và hạ nguồn của một nhiệm vụ
// description: What one task waits for (upstream: the tasks, laws and documents it depends on, directly or through other tasks) and what waits for it (downstream: the tasks that depend on it), each with the length of the shortest DEPENDS_ON chain and its status on as_of (from the StatusChange history; a law loaded without history counts by its status and status_on).
// description_vi: Nhiệm vụ chờ gì (thượng nguồn: nhiệm vụ, luật, văn bản nó phụ thuộc) và cái gì chờ nó (hạ nguồn), với độ dài chuỗi DEPENDS_ON ngắn nhất và trạng thái vào ngày as_of.
// param: task string -- the id of the task, e.g. task-25-tb-tgv-1b
// param: as_of date = today -- the date statuses are read on, YYYY-MM-DD
// row: one node upstream or downstream: direction (upstream or downstream), hops, id, label, name, status (on as_of; null when none), deadline; then the node other and the shortest chain, for drawing
MATCH (task:Task {id: $task})
CALL {
  WITH task
  MATCH chain = (task)-[:DEPENDS_ON*1..8]->(other)
  RETURN 'upstream' AS direction, other, chain
  UNION
  WITH task
  MATCH chain = (other)-[:DEPENDS_ON*1..8]->(task)
  RETURN 'downstream' AS direction, other, chain
}
WITH direction, other, chain
ORDER BY length(chain)
WITH direction, other, collect(chain)[0] AS chain
OPTIONAL MATCH (other)-[:HAS_STATUS]->(s:StatusChange)
WHERE s.on <= $as_of
WITH direction, other, chain, s
ORDER BY s.on DESC, s.status
WITH direction, other, chain, collect(s.status)[0] AS recorded,
     size([(other)-[:HAS_STATUS]->(any:StatusChange) | any]) AS history_size
RETURN direction, length(chain) AS hops, other.id AS id, labels(other)[0] AS label,
       other.name AS name,
       CASE
         WHEN recorded IS NOT NULL THEN recorded
         WHEN history_size = 0 AND other.status_on <= $as_of THEN other.status
       END AS status,
       other.deadline AS deadline, other, chain
ORDER BY direction DESC, hops, id
