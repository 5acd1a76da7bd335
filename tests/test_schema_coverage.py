"""Every label of graph/schema.yaml reaches a page, an export, the generator, search and the
README: adding a label to the YAML and forgetting one of them fails here, naming it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import yaml

from api.viz import style
from graph.export_formats import EXPORT_FORMATS
from graph.schema import SCHEMA_FILE, get_schema, parse_schema
from graph.schema_doc import README
from graph.search import LABEL_ORDER
from loaders.generate import NODE_COLUMNS, REL_EXTRA_COLUMNS

SCHEMA = get_schema()
LABELS = SCHEMA.label_names


def test_every_label_has_a_style_and_a_place_in_the_legend():
    assert set(style.LABELS) == set(LABELS)
    assert [entry["label"] for entry in style.legend()["labels"]] == list(LABELS)


def test_tooltips_and_the_generator_name_only_declared_properties():
    for label, keys in style.KEY_PROPERTIES.items():
        assert set(keys) <= set(SCHEMA.node_properties(label)), label
    assert set(NODE_COLUMNS) == set(LABELS)
    for label, columns in NODE_COLUMNS.items():
        assert set(columns) <= set(SCHEMA.node_properties(label)), label
        assert columns[:2] == ("id", "name"), label
    for rel_type, columns in REL_EXTRA_COLUMNS.items():
        assert set(columns) <= set(SCHEMA.relationship_properties(rel_type)), rel_type


def test_search_ranks_every_label():
    assert set(LABEL_ORDER) == set(LABELS) and len(LABEL_ORDER) == len(LABELS)


def test_the_readme_names_every_label_and_relationship_type():
    readme = README.read_text(encoding="utf-8")
    for name in (*LABELS, *SCHEMA.relationship_names):
        assert f"`{name}`" in readme, name


def _one_of_each() -> dict:
    """One node of every label; ids and names do not spell the label, so only the format can."""
    nodes = [{"id": f"n{i}", "label": label, "labels": [label], "name": f"node {i}", "name_en": None,
              "properties": {"id": f"n{i}", "name": f"node {i}", "sources": ["s0"]}}
             for i, label in enumerate(LABELS)]
    return {"nodes": nodes, "edges": []}


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_every_export_format_writes_every_label(fmt):
    data = EXPORT_FORMATS[fmt].write(_one_of_each())
    if fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert sorted(names) == sorted(f"{label}.csv" for label in LABELS)
        return
    text = data.decode("utf-8")
    if fmt == "cytoscape":
        text = json.dumps(json.loads(text))
    for label in LABELS:
        assert label in text, (fmt, label)


def test_a_relationship_to_an_undeclared_label_is_refused_by_name():
    raw = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    raw["relationships"]["LED_BY"]["to"] = ["Agencey"]
    with pytest.raises(ValueError, match=r"LED_BY's 'to' names the label Agencey"):
        parse_schema(raw)
