// title: Tasks at risk of missing their deadline
// title_vi: Nhiệm vụ có nguy cơ trễ hạn
// description: Open tasks on as_of (the categories of task-status, graph/asof.py) likely to miss their deadline, ranked within each lead agency, and agencies with the most level-1 risks first. Level 1: due within days days (the deadline in force on as_of, from today to days ahead) and still blocked, by a law not passed or in force on as_of (through DEPENDS_ON chains, as in blocking-laws) or by an upstream task not done on as_of. Level 2: already overdue, with open tasks that depend on it. Level 3: due within days days, nothing blocking it. Within a level: fewest days left, most dependants, most slips, then id. Each row says why: the laws and upstream tasks in the way, a shortest chain to the first of them (of several as short, the first by their ids), the days left, dependants and how often the deadline moved (later).
// description_vi: Nhiệm vụ chưa hoàn thành có nguy cơ trễ hạn vào ngày as_of, xếp hạng theo từng cơ quan chủ trì: sắp đến hạn mà vẫn bị luật chưa thông qua hoặc nhiệm vụ phía trước cản trở; đã quá hạn mà có nhiệm vụ khác phụ thuộc; sắp đến hạn.
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// param: days int = 30 -- how many days ahead counts as due soon
// param: agency string = null -- only the tasks this agency leads (its id); all when left out
// row: one lead agency and one task at risk: agency_id, agency_name, rank (within the agency), level (1 to 3), reasons (sentences), task_id, task_name, category, progress, deadline (in force), days_left (negative: overdue by), blocking_laws, waiting_on (upstream task ids), chain (ids from the task to the first thing in the way), dependants, deadline_moves, slipped; then the nodes task and agency
MATCH (task:Task)
WHERE $agency IS NULL OR (task)-[:LED_BY]->(:Agency {id: $agency})
// the deadline in force on as_of first: a task due after the horizon is not at risk, and most
// tasks are cut here before their history is read
OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(d:DeadlineChange)
WITH task, d
ORDER BY d.on, d.deadline
WITH task, [e IN collect([d.on, d.deadline]) WHERE e[0] IS NOT NULL AND e[0] <= $as_of] AS moves
WITH task, moves,
     coalesce(reduce(best = null, e IN moves |
            CASE WHEN best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] > best[1])
                 THEN e ELSE best END)[1], task.deadline) AS deadline
// days left: the difference of two day numbers, each from its ISO date (a civil-calendar count
// from March, so leap days fall at the end of a year); no date functions, portable
WITH task, moves, deadline,
     [v IN [x IN [coalesce(deadline, $as_of), $as_of] |
            [toInteger(substring(x, 0, 4)) - CASE WHEN toInteger(substring(x, 5, 2)) <= 2 THEN 1 ELSE 0 END,
             (toInteger(substring(x, 5, 2)) + 9) % 12, toInteger(substring(x, 8, 2))]] |
      v[0] * 365 + toInteger(v[0] / 4.0) - toInteger(v[0] / 100.0) + toInteger(v[0] / 400.0)
      + toInteger((153 * v[1] + 2) / 5.0) + v[2]] AS day_numbers
WHERE deadline IS NULL OR day_numbers[0] - day_numbers[1] <= $days
OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
WITH task, moves, deadline, day_numbers, [e IN collect([s.on, s.status]) WHERE e[0] IS NOT NULL] AS statuses
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
WITH task, moves, deadline, day_numbers, statuses,
     collect(doc.issued_on) + collect(meeting.held_on) + [e IN statuses | e[0]] AS known
WITH task, moves, deadline, day_numbers, statuses,
     reduce(first = null, x IN known | CASE WHEN x IS NOT NULL AND (first IS NULL OR x < first)
                                            THEN x ELSE first END) AS assigned_on
WHERE assigned_on IS NULL OR assigned_on <= $as_of
WITH task, moves, deadline, day_numbers,
     reduce(best = null, e IN statuses |
            CASE WHEN e[0] <= $as_of AND (best IS NULL OR e[0] > best[0] OR (e[0] = best[0] AND e[1] < best[1]))
                 THEN e ELSE best END)[1] AS progress
WHERE coalesce(progress, 'none') <> 'done'
WITH task, progress, deadline, day_numbers, size(moves) AS deadline_moves,
     reduce(acc = [task.deadline, 0], e IN moves |
            [e[1], acc[1] + CASE WHEN acc[0] IS NOT NULL AND e[1] > acc[0] THEN 1 ELSE 0 END])[1] AS slipped
WITH task, progress, deadline, deadline_moves, slipped,
     CASE WHEN deadline IS NOT NULL THEN day_numbers[0] - day_numbers[1] END AS days_left,
     CASE WHEN deadline IS NOT NULL THEN
            CASE WHEN deadline < $as_of THEN 'overdue' ELSE 'open_within_deadline' END
          WHEN progress = 'overdue' THEN 'overdue' ELSE 'open_no_deadline' END AS category
WITH task, progress, deadline, deadline_moves, slipped, days_left, category,
     days_left IS NOT NULL AND days_left >= 0 AND days_left <= $days AS due_soon
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, due_soon,
     due_soon OR size([(task)<-[:DEPENDS_ON]-(down) | down]) > 0 AS candidate
// an overdue task counts only when tasks may depend on it: a cheap look before the walks below
WHERE candidate AND (due_soon OR category = 'overdue')
// what is in the way: laws not passed or in force on as_of, upstream tasks not done on as_of
CALL {
  WITH task
  OPTIONAL MATCH (task)-[:DEPENDS_ON*1..8]->(law:Law)
  WITH DISTINCT law
  OPTIONAL MATCH (law)-[:HAS_STATUS]->(ls:StatusChange)
  WHERE ls.on <= $as_of
  WITH law, ls
  ORDER BY ls.on DESC, ls.status
  WITH law, collect(ls.status)[0] AS recorded, size([(law)-[:HAS_STATUS]->(any:StatusChange) | any]) AS history_size
  WITH law, CASE WHEN recorded IS NOT NULL THEN recorded
                 WHEN history_size = 0 AND law.status_on <= $as_of THEN law.status END AS law_status
  WHERE law IS NOT NULL AND (law_status IS NULL OR NOT law_status IN ['passed', 'in_force'])
  WITH law
  ORDER BY law.id
  RETURN collect(law.id) AS blocking_laws
}
CALL {
  WITH task
  OPTIONAL MATCH (task)-[:DEPENDS_ON*1..8]->(up:Task)
  WITH DISTINCT up
  OPTIONAL MATCH (up)-[:HAS_STATUS]->(us:StatusChange)
  WHERE us.on <= $as_of
  WITH up, us
  ORDER BY us.on DESC, us.status
  WITH up, collect(us.status)[0] AS up_status
  WHERE up IS NOT NULL AND coalesce(up_status, 'none') <> 'done'
  WITH up
  ORDER BY up.id
  RETURN collect(up.id) AS waiting_on
}
// dependants: tasks assigned by as_of, not done on as_of, that depend on it
CALL {
  WITH task
  OPTIONAL MATCH (down:Task)-[:DEPENDS_ON*1..8]->(task)
  WITH DISTINCT down
  WHERE down IS NOT NULL
  MATCH (down)-[:HAS_STATUS|ASSIGNED_IN*0..1]->(fact)
  MATCH (fact)<-[:RESULTED_IN*0..1]-(known)
  WITH down, min(coalesce(known.on, known.issued_on, known.held_on)) AS down_assigned
  WHERE down_assigned IS NULL OR down_assigned <= $as_of
  OPTIONAL MATCH (down)-[:HAS_STATUS]->(ds:StatusChange)
  WHERE ds.on <= $as_of
  WITH down, ds
  ORDER BY ds.on DESC, ds.status
  WITH down, collect(ds.status)[0] AS down_status
  WHERE coalesce(down_status, 'none') <> 'done'
  RETURN count(down) AS dependants
}
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, due_soon,
     blocking_laws, waiting_on, dependants,
     size(blocking_laws) + size(waiting_on) > 0 AS blocked
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, blocking_laws,
     waiting_on, dependants,
     CASE WHEN due_soon AND blocked THEN 1
          WHEN category = 'overdue' AND dependants > 0 THEN 2
          WHEN due_soon THEN 3 END AS level
WHERE level IS NOT NULL
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, blocking_laws,
     waiting_on, dependants, level, coalesce(head(blocking_laws), head(waiting_on)) AS first_in_way
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, blocking_laws,
     waiting_on, dependants, level,
     [path = (task)-[:DEPENDS_ON*1..8]->(target) WHERE target.id = first_in_way |
      [n IN nodes(path) | n.id]] AS chains
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, blocking_laws,
     waiting_on, dependants, level,
     // of the shortest, the first by their ids joined (each ended by '>'): the same on every store
     reduce(shortest = null, c IN chains |
            CASE WHEN shortest IS NULL OR size(c) < size(shortest)
                      OR (size(c) = size(shortest)
                          AND reduce(t = '', n IN c | t + n + '>') < reduce(t = '', n IN shortest | t + n + '>'))
                 THEN c ELSE shortest END) AS chain
WITH task, progress, deadline, deadline_moves, slipped, days_left, category, blocking_laws,
     waiting_on, dependants, level, chain,
     [reason IN [
        CASE WHEN days_left >= 0 THEN 'due in ' + toString(days_left) + ' days (' + deadline + ')' END,
        CASE WHEN days_left < 0 THEN 'overdue by ' + toString(-days_left) + ' days (due ' + deadline + ')' END,
        CASE WHEN days_left IS NULL THEN 'recorded overdue, no deadline date' END,
        CASE WHEN size(blocking_laws) > 0 THEN 'blocked by laws not passed: ' + reduce(t = '', l IN blocking_laws | t + CASE WHEN t = '' THEN '' ELSE ', ' END + l) END,
        CASE WHEN size(waiting_on) > 0 THEN 'waits for open tasks: ' + reduce(t = '', u IN waiting_on | t + CASE WHEN t = '' THEN '' ELSE ', ' END + u) END,
        CASE WHEN dependants > 0 THEN toString(dependants) + ' open tasks depend on it' END,
        CASE WHEN slipped > 0 THEN 'deadline moved later ' + toString(slipped) + ' times' END
      ] WHERE reason IS NOT NULL] AS reasons
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH lead, task, progress, deadline, deadline_moves, slipped, days_left, category, blocking_laws,
     waiting_on, dependants, level, chain, reasons
ORDER BY level, coalesce(days_left, -100000), dependants DESC, slipped DESC, task.id
WITH lead, collect({task: task, progress: progress, deadline: deadline, deadline_moves: deadline_moves,
                    slipped: slipped, days_left: days_left, category: category,
                    blocking_laws: blocking_laws, waiting_on: waiting_on, dependants: dependants,
                    level: level, chain: chain, reasons: reasons}) AS rows
WITH lead, rows, size([r IN rows WHERE r.level = 1]) AS critical
UNWIND range(0, size(rows) - 1) AS i
WITH lead, critical, size(rows) AS at_risk, i + 1 AS rank, rows[i] AS row
RETURN lead.id AS agency_id, lead.name AS agency_name, rank, row.level AS level, row.reasons AS reasons,
       row.task.id AS task_id, row.task.name AS task_name, row.category AS category,
       row.progress AS progress, row.deadline AS deadline, row.days_left AS days_left,
       row.blocking_laws AS blocking_laws, row.waiting_on AS waiting_on, row.chain AS chain,
       row.dependants AS dependants, row.deadline_moves AS deadline_moves, row.slipped AS slipped,
       row.task AS task, lead AS agency
ORDER BY critical DESC, at_risk DESC, coalesce(agency_id, '~'), rank
