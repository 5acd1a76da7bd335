// title: Obstacles, their root-cause laws and what they hinder
// title_vi: Điểm nghẽn, luật là nguyên nhân gốc và những gì bị cản trở
// description: Every obstacle named in the sources, with the laws it is rooted in (ROOTED_IN) and their status on as_of (from the StatusChange history; null when none is recorded; a law loaded without history counts by its status and status_on), how many of those laws were not yet passed or in force then, and the tasks and topics it hinders (HINDERS). Obstacles with the most unresolved root laws first.
// description_vi: Mọi điểm nghẽn được nêu trong nguồn, với các luật là nguyên nhân gốc và trạng thái của chúng vào ngày as_of, cùng các nhiệm vụ và chủ đề bị cản trở.
// param: as_of date = today -- the date law statuses are read on, YYYY-MM-DD
// row: one obstacle: obstacle_id, obstacle_name, root_law_ids, root_law_names, root_law_statuses (on as_of, in the same order), unresolved_root_laws, hinders_ids, hinders_names, sources; then obstacle, laws, hindered and the relationships, for drawing
MATCH (obstacle:Obstacle)
OPTIONAL MATCH (obstacle)-[rooted:ROOTED_IN]->(law:Law)
OPTIONAL MATCH (law)-[:HAS_STATUS]->(s:StatusChange)
WHERE s.on <= $as_of
WITH obstacle, rooted, law, s
ORDER BY s.on DESC, s.status
WITH obstacle, rooted, law, collect(s.status)[0] AS recorded,
     size([(law)-[:HAS_STATUS]->(any:StatusChange) | any]) AS history_size
WITH obstacle, rooted, law,
     CASE
       WHEN recorded IS NOT NULL THEN recorded
       WHEN history_size = 0 AND law.status_on <= $as_of THEN law.status
     END AS law_status
ORDER BY law.id
WITH obstacle, collect(law) AS laws, collect(rooted) AS rooted,
     collect(CASE WHEN law IS NOT NULL THEN {id: law.id, name: law.name, status: law_status} END) AS roots
OPTIONAL MATCH (obstacle)-[hinders:HINDERS]->(target)
WITH obstacle, laws, rooted, roots, hinders, target
ORDER BY target.id
WITH obstacle, laws, rooted, roots, collect(target) AS hindered, collect(hinders) AS hinders
RETURN obstacle.id AS obstacle_id, obstacle.name AS obstacle_name,
       [r IN roots | r.id] AS root_law_ids, [r IN roots | r.name] AS root_law_names,
       [r IN roots | r.status] AS root_law_statuses,
       size([r IN roots WHERE NOT coalesce(r.status, 'none') IN ['passed', 'in_force']]) AS unresolved_root_laws,
       [t IN hindered | t.id] AS hinders_ids, [t IN hindered | t.name] AS hinders_names,
       obstacle.sources AS sources, obstacle, laws, hindered, rooted + hinders AS links
ORDER BY unresolved_root_laws DESC, obstacle_id
