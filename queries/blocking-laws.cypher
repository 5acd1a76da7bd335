// title: Laws not yet passed that block unfinished tasks
// title_vi: Luật chưa được thông qua đang cản trở nhiệm vụ chưa hoàn thành
// description: Every law that is not passed or in force on as_of, with each task that is not done on that date and depends on the law directly or through other tasks (DEPENDS_ON chains). Statuses come from the dated StatusChange history, not from today's status property: a law with no status on or before as_of counts as not passed (a law loaded without any history counts by its status and status_on); a task with none counts as not done. A task assigned after as_of is left out: it is assigned on the earliest of its document's issue date, the date of the meeting that resulted in that document and its first recorded status (assigned_on; null when none is known, and then it counts as always there). hops is the length of the shortest chain; chain is that chain, for drawing.
// description_vi: Mọi luật chưa được thông qua hoặc chưa có hiệu lực vào ngày as_of, cùng từng nhiệm vụ chưa hoàn thành vào ngày đó phụ thuộc vào luật, trực tiếp hoặc qua nhiệm vụ khác (chuỗi DEPENDS_ON). Trạng thái lấy từ lịch sử StatusChange có ngày, không lấy từ trạng thái hiện tại.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// param: law string = null -- only this law (its id), e.g. law-khcn-dmst; every law when left out
// row: one law and one unfinished task it blocks, by shortest hops, first deadline and id: law_id, law_name, law_status (on as_of; null when none is recorded), task_id, task_name, task_status (its recorded progress on as_of, task-status's progress; null when none), category (its derived category on as_of, as task-status gives it: overdue, open_within_deadline or open_no_deadline), deadline (in force on as_of, as task-status gives it: its latest move by then, else the first), first_deadline (as first assigned), hops, assigned_on, lead_ids, lead_names; then the nodes law, task, leads and the shortest DEPENDS_ON chain, for drawing
MATCH (law:Law)
WHERE $law IS NULL OR law.id = $law
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
WITH law, law_status
ORDER BY law.id
// One law at a time, in id order, each law's tasks sorted inside: the answer comes out in its
// order without a final sort over every (law, task) pair, so a first page (LIMIT) stops after
// the laws it needs instead of computing the whole country.
CALL {
  WITH law
  MATCH (task:Task)-[:DEPENDS_ON*1..8]->(law)
  WITH DISTINCT law, task
  // assigned_on: the earliest of the task's statuses, its document and that document's meeting
  // (the zero-length steps keep a task that has none of them)
  MATCH (task)-[:HAS_STATUS|ASSIGNED_IN*0..1]->(fact)
  MATCH (fact)<-[:RESULTED_IN*0..1]-(known)
  WITH law, task, min(coalesce(known.on, known.issued_on, known.held_on)) AS assigned_on
  WHERE assigned_on IS NULL OR assigned_on <= $as_of
  // the task's status on as_of: its latest change by then (a tie: the first status by name).
  // One aggregation over a zero-or-one step; an OPTIONAL MATCH and a sort cost FalkorDB twice
  // as much per task
  MATCH (task)-[:HAS_STATUS*0..1]->(change)
  WITH law, task, assigned_on,
       collect(CASE WHEN change:StatusChange AND change.on <= $as_of
                    THEN [change.on, change.status] END) AS dated
  WITH law, task, assigned_on,
       reduce(latest = null, entry IN dated |
              CASE WHEN latest IS NULL OR entry[0] > latest[0]
                        OR (entry[0] = latest[0] AND entry[1] < latest[1])
                   THEN entry ELSE latest END)[1] AS task_status
  WHERE task_status IS NULL OR task_status <> 'done'
  // its category on as_of by task-status's rule (graph/asof.py; never done here): the deadline
  // in force then (its latest move by then, the later deadline on a tie; else the first)
  MATCH (task)-[:HAS_DEADLINE*0..1]->(move)
  WITH law, task, assigned_on, task_status,
       collect(CASE WHEN move:DeadlineChange AND move.on <= $as_of
                    THEN [move.on, move.deadline] END) AS moves
  WITH law, task, assigned_on, task_status,
       coalesce(reduce(best = null, e IN moves |
                       CASE WHEN best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] > best[1])
                            THEN e ELSE best END)[1], task.deadline) AS in_force
  WITH law, task, assigned_on, task_status, in_force,
       CASE
         WHEN in_force IS NOT NULL THEN
           CASE WHEN in_force < $as_of THEN 'overdue' ELSE 'open_within_deadline' END
         WHEN task_status = 'overdue' THEN 'overdue'
         ELSE 'open_no_deadline'
       END AS category
  MATCH path = (task)-[:DEPENDS_ON*1..8]->(law)
  WITH law, task, assigned_on, task_status, in_force, category, min(length(path)) AS hops
  // leads sorted by id, gathered before the sort (a pattern comprehension costs more per row)
  OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
  WITH law, task, assigned_on, task_status, in_force, category, hops, lead
  ORDER BY lead.id
  WITH law, task, assigned_on, task_status, in_force, category, hops, collect(lead) AS leads
  ORDER BY hops, coalesce(task.deadline, '9999-12-31'), task.id
  // after the sort, so only the rows read get their chain: one shortest chain, for drawing
  RETURN task, task_status, in_force, category, assigned_on, leads,
         [chain = (task)-[:DEPENDS_ON*1..8]->(law) WHERE length(chain) = hops | chain][0] AS chain
}
RETURN law.id AS law_id, law.name AS law_name, law_status,
       task.id AS task_id, task.name AS task_name, task_status, category,
       in_force AS deadline, task.deadline AS first_deadline, length(chain) AS hops, assigned_on,
       [l IN leads | l.id] AS lead_ids, [l IN leads | l.name] AS lead_names,
       law, task, leads, chain
