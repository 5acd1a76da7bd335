// title: Experts by topic
// title_vi: Chuyên gia theo chủ đề
// description: The experts and expert cohorts that take part in each topic (PARTICIPATES_IN), with their headcount (a cohort where the sources give only a count, e.g. 100 AI experts), field and the agencies they are affiliated with. Largest first within a topic.
// description_vi: Chuyên gia và nhóm chuyên gia tham gia từng chủ đề, với số lượng, lĩnh vực và cơ quan trực thuộc.
// param: topic string = null -- only this topic (its id); all topics when left out
// row: one expert in one topic: topic_id, topic_name, expert_id, expert_name, headcount (null for one person), field, affiliation_ids, affiliation_names; then topic, expert, affiliations and the relationships, for drawing
MATCH (expert:Expert)-[takes_part:PARTICIPATES_IN]->(topic:Topic)
WHERE $topic IS NULL OR topic.id = $topic
OPTIONAL MATCH (expert)-[affiliated:AFFILIATED_WITH]->(agency:Agency)
WITH topic, expert, takes_part, affiliated, agency
ORDER BY agency.id
WITH topic, expert, takes_part, collect(agency) AS affiliations, collect(affiliated) AS affiliated
RETURN topic.id AS topic_id, topic.name AS topic_name, expert.id AS expert_id,
       expert.name AS expert_name, expert.headcount AS headcount, expert.field AS field,
       [a IN affiliations | a.id] AS affiliation_ids, [a IN affiliations | a.name] AS affiliation_names,
       topic, expert, affiliations, [takes_part] + affiliated AS links
ORDER BY topic_id, coalesce(headcount, 1) DESC, expert_id
