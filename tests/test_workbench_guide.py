"""/help, /schema and /about: the workbench's reference pages, read from the real store and
the schema contract (issue 31 §3)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.workbench.pages import vn_date
from graph.schema import get_schema


@pytest.fixture(scope="module")
def app_client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    return TestClient(app)


@pytest.mark.parametrize("path", ["/help", "/schema", "/about"])
def test_header_links_every_reference_page(app_client, path):
    page = app_client.get("/queries").text
    assert f'href="{path}"' in page
    answer = app_client.get(path)
    assert answer.status_code == 200
    assert 'aria-current="page"' in answer.text.split(f'href="{path}"', 1)[1].split(">", 1)[0]


def test_help_names_each_page_the_way_to_cite_and_the_console_keys(app_client):
    page = app_client.get("/help").text
    for path in ("/risk", "/changes", "/digest", "/queries", "/cypher", "/review", "/schema", "/about"):
        assert f'<a href="{path}">' in page, path
    assert "UNWIND t.sources AS sid" in page
    assert "<kbd>Ctrl</kbd>+<kbd>Enter</kbd>" in page


def test_schema_counts_and_examples_come_from_the_store(app_client, bundled_store):
    page = app_client.get("/schema").text
    schema = get_schema()
    for label in schema.label_names:
        assert f'id="label-{label}"' in page, label
        held = bundled_store.read(f"MATCH (n:`{label}`) RETURN count(n) AS c").rows[0]["c"]
        section = page.split(f'id="label-{label}"', 1)[1]
        assert re.search(rf'data-count="{held}"', section.split("</h3>", 1)[0]), label
    for rel in schema.relationship_names:
        held = bundled_store.read(f"MATCH ()-[r:`{rel}`]->() RETURN count(r) AS c").rows[0]["c"]
        row = page.split(f'id="rel-{rel}"', 1)[1].split("</tr>", 1)[0]
        assert f'data-count="{held}"' in row, rel
    # a real example value: the name of some task in the store
    task = page.split('id="label-Task"', 1)[1].split("</section>", 1)[0]
    titles = {r["t"] for r in bundled_store.read("MATCH (t:Task) RETURN t.name AS t").rows}
    shown = re.search(r"<code>name</code>.*?<td class=\"example\">([^<]*)</td>", task, re.S).group(1)
    assert any(t.startswith(shown.rstrip("…").replace("&#34;", '"').replace("&#39;", "'")) for t in titles)
    assert "search_key" not in page  # internal properties stay out of the reader's schema


def test_about_lists_the_loaded_sources_with_dates_and_version(app_client, bundled_store):
    from importlib.metadata import version
    page = app_client.get("/about").text
    assert f"policygraph {version('policygraph')}" in page
    sources = bundled_store.read("MATCH (s:Source) RETURN s.id AS id, s.published_on AS d, s.url AS u").rows
    assert sources
    assert f'id="source-count">{len(sources)}<' in page
    for s in sources[:20]:
        assert f"/viz/node/{s['id']}" in page
        if s["d"]:
            assert vn_date(s["d"]) in page
        if s["u"]:
            assert f'href="{s["u"]}"' in page


def test_vn_date_reads_iso_dates_only():
    assert vn_date("2025-05-22") == "22/05/2025"
    assert vn_date(None) == ""
    assert vn_date("soon") == "soon"


def test_console_offers_every_named_query_ready_to_run(app_client):
    import json

    from queries import library
    page = app_client.get("/cypher").text
    block = re.search(r'<script id="wb-data" type="application/json">(.*?)</script>', page, re.S)
    samples = {s["name"]: s for s in json.loads(block.group(1))["samples"]}
    assert set(samples) == set(library())
    for name, sample in samples.items():
        assert f'data-name="{name}"' in page
        params = {}
        for line in sample["params"].splitlines():
            key, value = line.split("=", 1)
            params[key] = json.loads(value) if value.isdigit() or value == "null" else value
        answer = app_client.post("/api/cypher", json={"query": sample["query"], "params": params})
        assert answer.status_code == 200, (name, sample["params"], answer.text)
    assert "law=law-khcn-dmst" in samples["law-impact"]["params"]  # the help's example id
    assert app_client.post("/api/cypher", json={"query": samples["law-impact"]["query"], "params": {
        "law": "law-khcn-dmst", "as_of": "2025-07-02"}}).json()["count"] > 0


def test_console_schema_panel_names_every_label_type_and_property(app_client):
    page = app_client.get("/cypher").text
    schema = get_schema()
    panel = page.split('id="schema-panel"', 1)[1].split("</details>", 1)[0]
    for label in schema.label_names:
        assert f'data-insert=":{label}"' in panel
    for rel in schema.relationship_names:
        assert f'data-insert=":{rel}"' in panel
    assert 'data-insert="deadline"' in panel
