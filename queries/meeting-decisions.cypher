// title: What a meeting decided
// title_vi: Cuộc họp đã kết luận những gì
// description: The tasks assigned in the documents a meeting resulted in (e.g. the 22 May 2025 meeting and Notice 25-TB/TGV): who leads, who co-operates, the deadline and the recorded status.
// description_vi: Các nhiệm vụ được giao trong văn bản kết luận của một cuộc họp: cơ quan chủ trì, phối hợp, thời hạn và trạng thái.
// param: meeting string -- the id of the meeting
// row: one task decided: document (number), task_id, task_name, lead_ids, lead_names, supporter_ids, supporter_names, deadline, deadline_text, status (today's status property); then meeting, document node, task, leads, supporters and the relationships between them, for drawing
MATCH decided = (meeting:Meeting {id: $meeting})-[:RESULTED_IN]->(doc:Document)<-[:ASSIGNED_IN]-(task:Task)
OPTIONAL MATCH (task)-[led:LED_BY]->(lead:Agency)
WITH meeting, doc, task, decided, led, lead
ORDER BY lead.id
WITH meeting, doc, task, decided, collect(lead) AS leads, collect(led) AS led_links
OPTIONAL MATCH (task)-[sup:SUPPORTED_BY]->(supporter:Agency)
WITH meeting, doc, task, decided, leads, led_links, sup, supporter
ORDER BY supporter.id
WITH meeting, doc, task, decided, leads, led_links,
     collect(supporter) AS supporters, collect(sup) AS supported_links
RETURN coalesce(doc.number, doc.id) AS document, task.id AS task_id, task.name AS task_name,
       [l IN leads | l.id] AS lead_ids, [l IN leads | l.name] AS lead_names,
       [s IN supporters | s.id] AS supporter_ids, [s IN supporters | s.name] AS supporter_names,
       task.deadline AS deadline, task.deadline_text AS deadline_text, task.status AS status,
       meeting, doc AS document_node, task, leads, supporters, decided,
       led_links + supported_links AS links
ORDER BY document, task_id
