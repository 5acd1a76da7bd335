// title: Everything that depends on one law
// title_vi: Mọi thứ phụ thuộc vào một luật
// description: Every task that depends on the law, directly or through other tasks (DEPENDS_ON chains), with the length of the shortest chain, its status on as_of (from the StatusChange history; null when none is recorded on or before that date), its deadline and its lead agencies. Answers "what moves when this law passes?".
// description_vi: Mọi nhiệm vụ phụ thuộc vào luật, trực tiếp hoặc qua nhiệm vụ khác, với độ dài chuỗi ngắn nhất, trạng thái vào ngày as_of, thời hạn và cơ quan chủ trì.
// param: law string -- the id of the law, e.g. law-khcn-dmst
// param: as_of date = today -- the date statuses are read on, YYYY-MM-DD
// row: one dependent: id, label, name, hops, status (on as_of), deadline, lead_ids, lead_names; then the nodes law, dependent, leads and the shortest chain, for drawing
MATCH chain = (dependent)-[:DEPENDS_ON*1..8]->(law:Law {id: $law})
WITH law, dependent, chain
ORDER BY length(chain)
WITH law, dependent, collect(chain)[0] AS chain
OPTIONAL MATCH (dependent)-[:HAS_STATUS]->(s:StatusChange)
WHERE s.on <= $as_of
WITH law, dependent, chain, s
ORDER BY s.on DESC, s.status
WITH law, dependent, chain, collect(s.status)[0] AS status
OPTIONAL MATCH (dependent)-[:LED_BY]->(lead:Agency)
WITH law, dependent, chain, status, lead
ORDER BY lead.id
WITH law, dependent, chain, status, collect(lead) AS leads
RETURN dependent.id AS id, labels(dependent)[0] AS label, dependent.name AS name,
       length(chain) AS hops, status, dependent.deadline AS deadline,
       [l IN leads | l.id] AS lead_ids, [l IN leads | l.name] AS lead_names,
       law, dependent, leads, chain
ORDER BY hops, id
