// title: What the graph holds
// title_vi: Đồ thị có gì
// description: Node counts per label, so a reader sees at a glance how much is known about what.
// description_vi: Số nút theo từng nhãn.
// row: one label and how many nodes carry it
MATCH (n)
RETURN labels(n)[0] AS label, count(n) AS nodes
ORDER BY nodes DESC, label
