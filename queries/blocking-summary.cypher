// title: Blocking laws at a glance: blocked tasks per law and per agency or province
// title_vi: Tổng quan luật đang cản trở: số nhiệm vụ bị cản trở theo luật và theo cơ quan hoặc tỉnh
// description: The blocking-laws answer counted instead of listed, for the national picture: for every law not passed or in force on as_of, how many unfinished tasks it blocks (law_tasks), and how many of those each holder leads (tasks). The holder of a task is the province or city where its lead agency sits (a commune's or a provincial department's task counts for its province), else the lead agency itself (a ministry); a task with no lead counts under no holder. Blocking is the rule of blocking-laws, word for word: the law's status and the task's status on as_of from the dated StatusChange history, tasks assigned after as_of left out, DEPENDS_ON chains of any length up to 8.
// description_vi: Câu trả lời của blocking-laws được đếm thay vì liệt kê: với mỗi luật chưa được thông qua hoặc chưa có hiệu lực vào ngày as_of, số nhiệm vụ chưa hoàn thành bị cản trở (law_tasks), và số nhiệm vụ trong đó mỗi tỉnh/thành phố hoặc cơ quan chủ trì (tasks).
// param: as_of date = today -- the date asked about, YYYY-MM-DD
// row: one law and one holder of tasks it blocks: law_id, law_name, law_status (on as_of; null when none is recorded), law_tasks (the law's blocked tasks in all), holder_id, holder_label (Place or Agency), holder_name, tasks (blocked tasks the holder leads); ordered by law_tasks, then tasks, descending
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
CALL {
  WITH law
  MATCH (task:Task)-[:DEPENDS_ON*1..8]->(law)
  WITH DISTINCT law, task
  MATCH (task)-[:HAS_STATUS|ASSIGNED_IN*0..1]->(fact)
  MATCH (fact)<-[:RESULTED_IN*0..1]-(known)
  WITH law, task, min(coalesce(known.on, known.issued_on, known.held_on)) AS assigned_on
  WHERE assigned_on IS NULL OR assigned_on <= $as_of
  MATCH (task)-[:HAS_STATUS*0..1]->(change)
  WITH law, task,
       collect(CASE WHEN change:StatusChange AND change.on <= $as_of
                    THEN [change.on, change.status] END) AS dated
  WITH law, task,
       reduce(latest = null, entry IN dated |
              CASE WHEN latest IS NULL OR entry[0] > latest[0]
                        OR (entry[0] = latest[0] AND entry[1] < latest[1])
                   THEN entry ELSE latest END)[1] AS task_status
  WHERE task_status IS NULL OR task_status <> 'done'
  WITH law, collect(task) AS blocked
  UNWIND blocked AS task
  OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
  RETURN size(blocked) AS law_tasks, lead, count(task) AS led
}
// the holder of a lead's tasks, looked up once per agency: the province where it sits (a
// commune lies in its province) or where the body it is part of sits (a provincial
// department); a ministry sits in none and holds its own tasks
WITH lead, collect({law: law, law_status: law_status, law_tasks: law_tasks, led: led}) AS blocked_here
WHERE lead IS NOT NULL
WITH lead, blocked_here,
     [(lead)-[:PART_OF*0..1]->(:Agency)-[:LOCATED_IN]->(:Place)-[:LOCATED_IN*0..1]->(p:Place)
      WHERE p.kind IN ['province', 'city'] | p][0] AS province
UNWIND blocked_here AS here
WITH here.law AS law, here.law_status AS law_status, here.law_tasks AS law_tasks,
     coalesce(province, lead) AS holder, toInteger(sum(here.led)) AS tasks
RETURN law.id AS law_id, law.name AS law_name, law_status, law_tasks,
       holder.id AS holder_id, labels(holder)[0] AS holder_label, holder.name AS holder_name, tasks
ORDER BY law_tasks DESC, law_id, tasks DESC, holder_id
