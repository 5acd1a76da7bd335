// title: What changed between two dates
// title_vi: Những gì đã thay đổi giữa hai ngày
// description: Everything that happened after since and up to until (since < date <= until), each item with its date and its sources: tasks assigned (by which document or meeting), tasks done (detail: done_on_time or done_late), tasks that became overdue (overdue on until and not on since; date: the deadline they missed, or the record that says so), deadline moves (detail: old -> new), law status changes (detail: the new status), tasks a law no longer blocks because it passed (unblocked: blocked by the law on since, the law passed or in force by until, the task still open) and tasks newly blocked (blocked on until, not on since; date: the latest of the task's assignment, its status and the law's status). Categories are those of task-status (graph/asof.py), blocking that of blocking-laws. since defaults to the date of the latest Meeting before until (the last meeting); with agency, only tasks it leads, and laws it drafts or that hold up tasks it leads.
// description_vi: Mọi diễn biến sau ngày since đến hết ngày until, mỗi mục có ngày và nguồn: nhiệm vụ mới được giao, hoàn thành (đúng hạn/chậm), trở nên quá hạn, lùi hạn, luật thay đổi trạng thái, nhiệm vụ hết bị cản trở vì luật đã thông qua, nhiệm vụ mới bị cản trở. Mặc định since là ngày cuộc họp gần nhất trước until.
// param: since date = null -- the start of the window (not included); the latest Meeting before until when left out
// param: until date = today -- the end of the window (included), YYYY-MM-DD
// param: agency string = null -- only what concerns this agency (its id); everything when left out
// row: one item: date, kind (assigned, done, overdue, deadline_moved, law_status, unblocked, blocked), task_id, task_name, law_id, law_name, detail, via (the documents and meetings that assigned a task), sources (Source ids), lead_ids, since and until (the window used); then the nodes task and law, for drawing
OPTIONAL MATCH (meeting:Meeting)
WHERE meeting.held_on < $until
WITH coalesce($since, max(meeting.held_on), '0001-01-01') AS since
CALL {
  // tasks: assigned, done, became overdue (each task's standing on since and on until)
  WITH since
  MATCH (task:Task)
  WHERE $agency IS NULL OR (task)-[:LED_BY]->(:Agency {id: $agency})
  OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
  WITH since, task, [e IN collect([s.on, s.status, s.sources]) WHERE e[0] IS NOT NULL] AS statuses
  OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(d:DeadlineChange)
  WITH since, task, statuses, [e IN collect([d.on, d.deadline]) WHERE e[0] IS NOT NULL] AS moves
  OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
  OPTIONAL MATCH (held:Meeting)-[:RESULTED_IN]->(doc)
  WITH since, task, statuses, moves,
       collect(doc.issued_on) + collect(held.held_on) + [e IN statuses | e[0]] AS known,
       collect(DISTINCT coalesce(doc.number, doc.id)) + collect(DISTINCT held.id) AS via
  WITH since, task, statuses, moves, via,
       reduce(first = null, x IN known | CASE WHEN x IS NOT NULL AND (first IS NULL OR x < first)
                                              THEN x ELSE first END) AS assigned_on
  UNWIND [since, $until] AS day
  WITH since, task, statuses, moves, via, assigned_on, day,
       reduce(best = null, e IN statuses |
              CASE WHEN e[0] <= day AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] < best[1]))
                   THEN e ELSE best END)[1] AS progress,
       coalesce(reduce(best = null, e IN moves |
              CASE WHEN e[0] <= day AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] > best[1]))
                   THEN e ELSE best END)[1], task.deadline) AS deadline
  WITH since, task, statuses, via, assigned_on, day, progress, deadline,
       CASE WHEN progress = 'done' THEN
         reduce(first = null, e IN statuses |
                CASE WHEN e[1] = 'done' AND e[0] <= day AND (first IS NULL OR e[0] < first)
                     THEN e[0] ELSE first END) END AS finished_on
  WITH since, task, statuses, via, assigned_on, day, deadline, finished_on,
       CASE
         WHEN assigned_on IS NOT NULL AND assigned_on > day THEN null
         WHEN finished_on IS NOT NULL AND deadline IS NOT NULL THEN
           CASE WHEN finished_on > deadline THEN 'done_late' ELSE 'done_on_time' END
         WHEN finished_on IS NOT NULL THEN
           CASE WHEN size([e IN statuses WHERE e[1] = 'overdue' AND e[0] < finished_on]) > 0
                THEN 'done_late' ELSE 'done_on_time' END
         WHEN deadline IS NOT NULL THEN
           CASE WHEN deadline < day THEN 'overdue' ELSE 'open_within_deadline' END
         WHEN progress = 'overdue' THEN 'overdue'
         ELSE 'open_no_deadline'
       END AS category
  WITH since, task, statuses, via, assigned_on,
       collect({day: day, category: category, deadline: deadline, finished_on: finished_on}) AS standing
  WITH since, task, statuses, via, assigned_on,
       [x IN standing WHERE x.day = since][0] AS before, [x IN standing WHERE x.day = $until][0] AS after
  WITH since, task, via, assigned_on, before, after,
       [e IN statuses WHERE e[1] = 'done' AND e[0] = after.finished_on][0] AS done_record,
       reduce(last = null, e IN statuses |
              CASE WHEN e[1] = 'overdue' AND e[0] <= $until AND (last IS NULL OR e[0] > last[0])
                   THEN e ELSE last END) AS overdue_record
  UNWIND [
    CASE WHEN assigned_on > since AND assigned_on <= $until THEN
      {date: assigned_on, kind: 'assigned', rank: 1, detail: null, via: via, sources: task.sources} END,
    CASE WHEN after.finished_on > since THEN
      {date: after.finished_on, kind: 'done', rank: 2, detail: after.category, via: [],
       sources: done_record[2]} END,
    CASE WHEN after.category = 'overdue' AND coalesce(before.category, 'none') <> 'overdue' THEN
      CASE WHEN after.deadline IS NOT NULL
           THEN {date: after.deadline, kind: 'overdue', rank: 3, detail: 'due ' + after.deadline,
                 via: [], sources: task.sources}
           ELSE {date: overdue_record[0], kind: 'overdue', rank: 3, detail: 'recorded overdue',
                 via: [], sources: overdue_record[2]} END END
  ] AS item
  WITH task, item
  WHERE item IS NOT NULL
  RETURN item.date AS date, item.kind AS kind, item.rank AS rank, task, null AS law,
         item.detail AS detail, item.via AS via, item.sources AS sources
  UNION ALL
  // deadline moves: from the deadline in force before the move (moves in (on, deadline) order)
  WITH since
  MATCH (task:Task)-[:HAS_DEADLINE]->(move:DeadlineChange)
  WHERE move.on > since AND move.on <= $until
    AND ($agency IS NULL OR (task)-[:LED_BY]->(:Agency {id: $agency}))
  OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(earlier:DeadlineChange)
  WHERE earlier.on < move.on OR (earlier.on = move.on AND earlier.deadline < move.deadline)
  WITH task, move, earlier
  ORDER BY earlier.on DESC, earlier.deadline DESC
  WITH task, move, coalesce(collect(earlier.deadline)[0], task.deadline) AS previous
  RETURN move.on AS date, 'deadline_moved' AS kind, 4 AS rank, task, null AS law,
         coalesce(previous, '?') + ' -> ' + move.deadline AS detail, [] AS via, move.sources AS sources
  UNION ALL
  // laws whose status changed
  WITH since
  MATCH (law:Law)-[:HAS_STATUS]->(change:StatusChange)
  WHERE change.on > since AND change.on <= $until
    AND ($agency IS NULL OR (law)-[:DRAFTED_BY]->(:Agency {id: $agency})
         OR (law)<-[:DEPENDS_ON*1..8]-(:Task)-[:LED_BY]->(:Agency {id: $agency}))
  RETURN change.on AS date, 'law_status' AS kind, 5 AS rank, null AS task, law,
         change.status AS detail, [] AS via, change.sources AS sources
  UNION ALL
  // (law, task) pairs blocked on one date and not on the other, by the rule of blocking-laws
  WITH since
  MATCH (task:Task)-[:DEPENDS_ON*1..8]->(law:Law)
  WITH DISTINCT since, task, law
  WHERE $agency IS NULL OR (task)-[:LED_BY]->(:Agency {id: $agency})
  OPTIONAL MATCH (law)-[:HAS_STATUS]->(ls:StatusChange)
  WITH since, task, law, [e IN collect([ls.on, ls.status, ls.sources]) WHERE e[0] IS NOT NULL] AS law_history
  OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
  WITH since, task, law, law_history, [e IN collect([s.on, s.status, s.sources]) WHERE e[0] IS NOT NULL] AS statuses
  OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
  OPTIONAL MATCH (held:Meeting)-[:RESULTED_IN]->(doc)
  WITH since, task, law, law_history, statuses,
       collect(doc.issued_on) + collect(held.held_on) + [e IN statuses | e[0]] AS known
  WITH since, task, law, law_history, statuses,
       reduce(first = null, x IN known |
              CASE WHEN x IS NOT NULL AND (first IS NULL OR x < first) THEN x ELSE first END) AS assigned_on
  WITH since, task, law, law_history, statuses, assigned_on,
       [day IN [since, $until] |
        [CASE WHEN size(law_history) = 0
              THEN CASE WHEN law.status_on <= day THEN [law.status_on, law.status, law.sources] END
              ELSE reduce(best = null, e IN law_history |
                          CASE WHEN e[0] <= day AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] < best[1]))
                               THEN e ELSE best END) END,
         reduce(best = null, e IN statuses |
                CASE WHEN e[0] <= day AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] < best[1]))
                     THEN e ELSE best END)]] AS standing
  WITH task, law, assigned_on, since, standing,
       [i IN [0, 1] |
        coalesce(NOT standing[i][0][1] IN ['passed', 'in_force'], true)
        AND (assigned_on IS NULL OR assigned_on <= [since, $until][i])
        AND coalesce(standing[i][1][1], 'none') <> 'done'] AS blocked
  WHERE blocked[0] <> blocked[1]
  WITH task, law, assigned_on, since, standing, blocked,
       reduce(latest = null, x IN [CASE WHEN assigned_on > since THEN [assigned_on, task.sources] END,
                                   standing[1][0], standing[1][1]] |
              CASE WHEN x IS NOT NULL AND x[0] IS NOT NULL AND (latest IS NULL OR x[0] > latest[0])
                   THEN [x[0], x[size(x) - 1]] ELSE latest END) AS cause
  WITH task, law, blocked, standing, cause
  WHERE blocked[1] OR (standing[1][0][1] IN ['passed', 'in_force'] AND coalesce(standing[1][1][1], 'none') <> 'done')
  RETURN CASE WHEN blocked[1] THEN cause[0] ELSE standing[1][0][0] END AS date,
         CASE WHEN blocked[1] THEN 'blocked' ELSE 'unblocked' END AS kind,
         CASE WHEN blocked[1] THEN 7 ELSE 6 END AS rank, task, law,
         CASE WHEN blocked[1] THEN 'blocked by ' + law.id ELSE law.id + ' ' + standing[1][0][1] END AS detail,
         [] AS via,
         CASE WHEN blocked[1] THEN cause[1] ELSE standing[1][0][2] END AS sources
}
WITH since, date, kind, rank, task, law, detail, via, sources
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH since, date, kind, rank, task, law, detail, via, sources, lead
ORDER BY lead.id
WITH since, date, kind, rank, task, law, detail, via, sources, collect(lead.id) AS lead_ids
RETURN date, kind, task.id AS task_id, task.name AS task_name, law.id AS law_id, law.name AS law_name,
       detail, via, sources, lead_ids, since, $until AS until, task, law
ORDER BY date, rank, task_id, law_id
