// title: Overdue tasks
// title_vi: Nhiệm vụ quá hạn
// description: Tasks whose deadline was before as_of and that were not done on as_of (status from the StatusChange history; a task with no status recorded on or before that date counts as not done; a task assigned after as_of, by the rule of blocking-laws, is left out), oldest deadline first, with their leads and the document that assigned them.
// description_vi: Nhiệm vụ có thời hạn trước ngày as_of mà đến ngày đó chưa hoàn thành (theo lịch sử StatusChange), thời hạn cũ nhất trước.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// row: one overdue task: task_id, task_name, deadline, status (on as_of; null when none), lead_ids, lead_names, assigned_in (document numbers); then the nodes task and leads, for drawing
MATCH (task:Task)
WHERE task.deadline < $as_of
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
OPTIONAL MATCH (task)-[:HAS_STATUS]->(change:StatusChange)
UNWIND [doc.issued_on, meeting.held_on, change.on] AS known_date
WITH task, min(known_date) AS assigned_on
WHERE assigned_on IS NULL OR assigned_on <= $as_of
OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
WHERE s.on <= $as_of
WITH task, s
ORDER BY s.on DESC, s.status
WITH task, collect(s.status)[0] AS status
WHERE status IS NULL OR status <> 'done'
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH task, status, lead
ORDER BY lead.id
WITH task, status, collect(lead) AS leads
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
WITH task, status, leads, doc
ORDER BY doc.id
WITH task, status, leads, collect(coalesce(doc.number, doc.id)) AS assigned_in
RETURN task.id AS task_id, task.name AS task_name, task.deadline AS deadline, status,
       [l IN leads | l.id] AS lead_ids, [l IN leads | l.name] AS lead_names, assigned_in,
       task, leads
ORDER BY deadline, task_id
