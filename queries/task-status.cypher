// title: Status of every task on a date
// title_vi: Tình trạng của mọi nhiệm vụ vào một ngày
// description: Every task assigned by as_of with its derived category on that date, the rule of graph/asof.py: done_on_time, done_late, open_within_deadline, overdue (open past its deadline) or open_no_deadline, and beside it the recorded progress (its latest StatusChange on or before as_of; a tie: the first status by name). The deadline in force is the deadline of the latest DeadlineChange on or before as_of (a tie: the later deadline), else the deadline first assigned. A task is done when its progress is done; it was finished on its earliest done record, late when that is after the deadline in force. An open task is overdue when the deadline in force is before as_of; where the sources give no deadline date but record the task as overdue, that record stands for it (and a task so recorded and finished later was finished late). A task is assigned on the earliest of its document's issue date, that document's meeting and its first recorded status (as in blocking-laws); one assigned after as_of is left out. Optionally only the tasks one agency leads.
// description_vi: Mọi nhiệm vụ đã được giao đến ngày as_of cùng phân loại vào ngày đó: hoàn thành đúng hạn, hoàn thành chậm, đang thực hiện trong hạn, quá hạn, không có thời hạn; kèm tiến độ được ghi nhận.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// param: agency string = null -- only the tasks this agency leads (its id); all when left out
// row: one task: task_id, task_name, category, progress (recorded on as_of; null when none), deadline (in force on as_of), first_deadline, deadline_moves (by as_of), slipped (moves to a later date by as_of), finished_on, assigned_on, lead_ids; then the node task
MATCH (task:Task)
WHERE $agency IS NULL OR (task)-[:LED_BY]->(:Agency {id: $agency})
OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
WITH task, [e IN collect([s.on, s.status]) WHERE e[0] IS NOT NULL] AS statuses
// deadline moves in date order (a tie: the earlier deadline first)
OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(d:DeadlineChange)
WITH task, statuses, d
ORDER BY d.on, d.deadline
WITH task, statuses, [e IN collect([d.on, d.deadline]) WHERE e[0] IS NOT NULL] AS moves
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
WITH task, statuses, moves,
     collect(doc.issued_on) + collect(meeting.held_on) + [e IN statuses | e[0]] AS known
WITH task, statuses, moves,
     reduce(first = null, x IN known | CASE WHEN x IS NOT NULL AND (first IS NULL OR x < first)
                                            THEN x ELSE first END) AS assigned_on
WHERE assigned_on IS NULL OR assigned_on <= $as_of
// progress: the latest status by as_of (a tie: the first by name); deadline: the latest move
WITH task, statuses, moves, assigned_on,
     reduce(best = null, e IN statuses |
            CASE WHEN e[0] <= $as_of AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] < best[1]))
                 THEN e ELSE best END)[1] AS progress,
     coalesce(reduce(best = null, e IN moves |
            CASE WHEN e[0] <= $as_of AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] > best[1]))
                 THEN e ELSE best END)[1], task.deadline) AS deadline
WITH task, statuses, moves, assigned_on, progress, deadline,
     CASE WHEN progress = 'done' THEN
       reduce(first = null, e IN statuses |
              CASE WHEN e[1] = 'done' AND e[0] <= $as_of AND (first IS NULL OR e[0] < first)
                   THEN e[0] ELSE first END) END AS finished_on
// slipped: moves by as_of that set a later deadline than the one before them
WITH task, assigned_on, progress, deadline, finished_on, statuses,
     [e IN moves WHERE e[0] <= $as_of] AS made
WITH task, assigned_on, progress, deadline, finished_on, statuses, made,
     reduce(acc = [task.deadline, 0], e IN made |
            [e[1], acc[1] + CASE WHEN acc[0] IS NOT NULL AND e[1] > acc[0] THEN 1 ELSE 0 END])[1] AS slipped
WITH task, assigned_on, progress, deadline, finished_on, size(made) AS deadline_moves, slipped,
     CASE
       WHEN finished_on IS NOT NULL AND deadline IS NOT NULL THEN
         CASE WHEN finished_on > deadline THEN 'done_late' ELSE 'done_on_time' END
       WHEN finished_on IS NOT NULL THEN
         CASE WHEN size([e IN statuses WHERE e[1] = 'overdue' AND e[0] < finished_on]) > 0
              THEN 'done_late' ELSE 'done_on_time' END
       WHEN deadline IS NOT NULL THEN
         CASE WHEN deadline < $as_of THEN 'overdue' ELSE 'open_within_deadline' END
       WHEN progress = 'overdue' THEN 'overdue'
       ELSE 'open_no_deadline'
     END AS category
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH task, assigned_on, progress, deadline, finished_on, deadline_moves, slipped, category, lead
ORDER BY lead.id
WITH task, assigned_on, progress, deadline, finished_on, deadline_moves, slipped, category,
     collect(lead.id) AS lead_ids
RETURN task.id AS task_id, task.name AS task_name, category, progress, deadline,
       task.deadline AS first_deadline, deadline_moves, slipped, finished_on, assigned_on, lead_ids,
       task
ORDER BY task_id
