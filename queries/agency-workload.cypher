// title: Workload per agency
// title_vi: Khối lượng nhiệm vụ của từng cơ quan
// description: For every agency with tasks assigned by as_of (by the rule of blocking-laws): how many it leads (LED_BY) and supports (SUPPORTED_BY), how many of those it leads were still open on as_of, and how many led or supported were overdue then (the category overdue of graph/asof.py and overdue-tasks: open past the deadline in force on as_of). Most overdue work first.
// description_vi: Với mỗi cơ quan có nhiệm vụ: số nhiệm vụ chủ trì, phối hợp, số nhiệm vụ chủ trì chưa xong và số nhiệm vụ quá hạn vào ngày as_of.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// row: one agency: agency_id, agency_name, abbr, led, supported, open_led, overdue_led, overdue_supported; then the node agency
MATCH (task:Task)
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
OPTIONAL MATCH (task)-[:HAS_STATUS]->(change:StatusChange)
UNWIND [doc.issued_on, meeting.held_on, change.on] AS known_date
WITH task, min(known_date) AS assigned_on
WHERE assigned_on IS NULL OR assigned_on <= $as_of
// the deadline in force on as_of (graph/asof.py): the latest DeadlineChange by then, else the first
OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(move:DeadlineChange)
WHERE move.on <= $as_of
WITH task, move
ORDER BY move.on DESC, move.deadline DESC
WITH task, coalesce(collect(move.deadline)[0], task.deadline) AS deadline
OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
WHERE s.on <= $as_of
WITH task, deadline, s
ORDER BY s.on DESC, s.status
WITH task, deadline, collect(s.status)[0] AS status
WITH task, deadline, status, coalesce(status, 'none') <> 'done' AS open
WITH task, open,
     open AND coalesce(deadline < $as_of, deadline IS NULL AND status = 'overdue') AS overdue
MATCH (task)-[role:LED_BY|SUPPORTED_BY]->(agency:Agency)
WITH agency, type(role) = 'LED_BY' AS leads, open, overdue
WITH agency,
     count(CASE WHEN leads THEN 1 END) AS led,
     count(CASE WHEN NOT leads THEN 1 END) AS supported,
     count(CASE WHEN leads AND open THEN 1 END) AS open_led,
     count(CASE WHEN leads AND overdue THEN 1 END) AS overdue_led,
     count(CASE WHEN NOT leads AND overdue THEN 1 END) AS overdue_supported
RETURN agency.id AS agency_id, agency.name AS agency_name, agency.abbr AS abbr,
       led, supported, open_led, overdue_led, overdue_supported, agency
ORDER BY overdue_led DESC, overdue_supported DESC, led DESC, agency_id
