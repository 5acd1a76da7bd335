// title: Overdue tasks
// title_vi: Nhiệm vụ quá hạn
// description: Tasks open past their deadline on as_of: the category overdue of graph/asof.py. The deadline in force on as_of is the deadline of the task's latest DeadlineChange on or before as_of (a tie: the later deadline), else the deadline first assigned; the task is open when its latest StatusChange on or before as_of (a tie: the first status by name) is not done, or none is recorded. Where the sources give no deadline date but record the task as overdue on as_of, that record stands for the deadline. A task assigned after as_of (by the rule of blocking-laws) is left out. Oldest deadline first (undated ones last), with their leads and the document that assigned them.
// description_vi: Nhiệm vụ quá hạn vào ngày as_of: chưa hoàn thành và đã qua thời hạn đang có hiệu lực (thời hạn mới nhất theo DeadlineChange, nếu không thì thời hạn giao ban đầu); nhiệm vụ không ghi thời hạn nhưng được nguồn ghi nhận quá hạn cũng được tính. Thời hạn cũ nhất trước.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// row: one overdue task: task_id, task_name, deadline (in force on as_of; null when the sources give none), first_deadline (as first assigned), deadline_moves (moves by as_of), status (recorded on as_of; null when none), category (overdue), lead_ids, lead_names, assigned_in (document numbers); then the nodes task and leads, for drawing
MATCH (task:Task)
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
OPTIONAL MATCH (task)-[:HAS_STATUS]->(change:StatusChange)
UNWIND [doc.issued_on, meeting.held_on, change.on] AS known_date
WITH task, min(known_date) AS assigned_on
WHERE assigned_on IS NULL OR assigned_on <= $as_of
// the deadline in force on as_of: the latest move by then, else the deadline first assigned
OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(move:DeadlineChange)
WHERE move.on <= $as_of
WITH task, move
ORDER BY move.on DESC, move.deadline DESC
WITH task, coalesce(collect(move.deadline)[0], task.deadline) AS deadline, count(move) AS deadline_moves
OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
WHERE s.on <= $as_of
WITH task, deadline, deadline_moves, s
ORDER BY s.on DESC, s.status
WITH task, deadline, deadline_moves, collect(s.status)[0] AS status
WHERE coalesce(status, 'none') <> 'done'
  AND (deadline < $as_of OR (deadline IS NULL AND status = 'overdue'))
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH task, deadline, deadline_moves, status, lead
ORDER BY lead.id
WITH task, deadline, deadline_moves, status, collect(lead) AS leads
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
WITH task, deadline, deadline_moves, status, leads, doc
ORDER BY doc.id
WITH task, deadline, deadline_moves, status, leads, collect(coalesce(doc.number, doc.id)) AS assigned_in
RETURN task.id AS task_id, task.name AS task_name, deadline, task.deadline AS first_deadline,
       deadline_moves, status, 'overdue' AS category,
       [l IN leads | l.id] AS lead_ids, [l IN leads | l.name] AS lead_names, assigned_in,
       task, leads
ORDER BY coalesce(deadline, '9999-12-31'), task_id
