// title: Timeline
// title_vi: Dòng thời gian
// description: Meetings, documents issued, task deadlines and every dated status change of a law or task, in date order (on one date: meetings, then documents, status changes, deadlines). What happened since a meeting, and what falls due next.
// description_vi: Các cuộc họp, văn bản ban hành, thời hạn nhiệm vụ và mọi thay đổi trạng thái của luật và nhiệm vụ, theo thứ tự ngày.
// param: since date = null -- only events on or after this date; from the start when left out
// param: until date = null -- only events on or before this date; to the end when left out
// row: one event: date, kind (meeting, document, status or deadline), label of the node it is about, id, name, detail (a document's number, the new status, a deadline's wording)
CALL {
  MATCH (m:Meeting)
  WHERE m.held_on IS NOT NULL
  RETURN m.held_on AS date, 'meeting' AS kind, 1 AS rank, m AS node, null AS detail
  UNION ALL
  MATCH (d:Document)
  WHERE d.issued_on IS NOT NULL
  RETURN d.issued_on AS date, 'document' AS kind, 2 AS rank, d AS node, d.number AS detail
  UNION ALL
  MATCH (x)-[:HAS_STATUS]->(s:StatusChange)
  RETURN s.on AS date, 'status' AS kind, 3 AS rank, x AS node, s.status AS detail
  UNION ALL
  MATCH (t:Task)
  WHERE t.deadline IS NOT NULL
  RETURN t.deadline AS date, 'deadline' AS kind, 4 AS rank, t AS node, t.deadline_text AS detail
}
WITH date, kind, rank, node, detail
WHERE ($since IS NULL OR date >= $since) AND ($until IS NULL OR date <= $until)
RETURN date, kind, labels(node)[0] AS label, node.id AS id, node.name AS name, detail
ORDER BY date, rank, id, detail
