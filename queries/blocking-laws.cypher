// title: Laws not yet passed that block unfinished tasks
// title_vi: Luật chưa được thông qua đang cản trở nhiệm vụ chưa hoàn thành
// description: Every law that is not passed or in force on as_of, with each task that is not done on that date and depends on the law directly or through other tasks (DEPENDS_ON chains). Statuses come from the dated StatusChange history, not from today's status property: a law with no status on or before as_of counts as not passed (a law loaded without any history counts by its status and status_on); a task with none counts as not done. A task assigned after as_of is left out: it is assigned on the earliest of its document's issue date, the date of the meeting that resulted in that document and its first recorded status (assigned_on; null when none is known, and then it counts as always there). hops is the length of the shortest chain; chain is that chain, for drawing.
// description_vi: Mọi luật chưa được thông qua hoặc chưa có hiệu lực vào ngày as_of, cùng từng nhiệm vụ chưa hoàn thành vào ngày đó phụ thuộc vào luật, trực tiếp hoặc qua nhiệm vụ khác (chuỗi DEPENDS_ON). Trạng thái lấy từ lịch sử StatusChange có ngày, không lấy từ trạng thái hiện tại.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// row: one law and one unfinished task it blocks: law_id, law_name, law_status (on as_of; null when none is recorded), task_id, task_name, task_status (on as_of; null when none), hops, deadline, assigned_on, lead_ids, lead_names; then the nodes law, task, leads and the shortest DEPENDS_ON chain, for drawing
MATCH (law:Law)
OPTIONAL MATCH (law)-[:HAS_STATUS]->(ls:StatusChange)
WHERE ls.on <= $as_of
WITH law, ls
ORDER BY ls.on DESC, ls.status
WITH law, collect(ls.status)[0] AS recorded,
     size([(law)-[:HAS_STATUS]->(any:StatusChange) | any]) AS history_size
WITH law,
     CASE
       WHEN recorded IS NOT NULL THEN recorded
       WHEN history_size = 0 AND law.status_on <= $as_of THEN law.status
     END AS law_status
WHERE law_status IS NULL OR NOT law_status IN ['passed', 'in_force']
MATCH chain = (task:Task)-[:DEPENDS_ON*1..8]->(law)
WITH law, law_status, task, chain
ORDER BY length(chain)
WITH law, law_status, task, collect(chain)[0] AS chain
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
OPTIONAL MATCH (task)-[:HAS_STATUS]->(change:StatusChange)
UNWIND [doc.issued_on, meeting.held_on, change.on] AS known_date
WITH law, law_status, task, chain, min(known_date) AS assigned_on
WHERE assigned_on IS NULL OR assigned_on <= $as_of
OPTIONAL MATCH (task)-[:HAS_STATUS]->(ts:StatusChange)
WHERE ts.on <= $as_of
WITH law, law_status, task, chain, assigned_on, ts
ORDER BY ts.on DESC, ts.status
WITH law, law_status, task, chain, assigned_on, collect(ts.status)[0] AS task_status
WHERE task_status IS NULL OR task_status <> 'done'
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH law, law_status, task, task_status, assigned_on, chain, lead
ORDER BY lead.id
WITH law, law_status, task, task_status, assigned_on, chain, collect(lead) AS leads
RETURN law.id AS law_id, law.name AS law_name, law_status,
       task.id AS task_id, task.name AS task_name, task_status,
       length(chain) AS hops, task.deadline AS deadline, assigned_on,
       [l IN leads | l.id] AS lead_ids, [l IN leads | l.name] AS lead_names,
       law, task, leads, chain
ORDER BY law_id, hops, coalesce(deadline, '9999-12-31'), task_id
