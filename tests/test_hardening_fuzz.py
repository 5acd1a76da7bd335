"""Bad input never crashes the loader: Hypothesis throws random and malformed YAML, JSON and
CSV at `load_paths` on the real store.

Every outcome is either a LoadReport, after which the store holds exactly the values that
validation accepted, or a ValidationFailed whose every problem names the file, after which
the store holds nothing. Any other exception fails the test, and so does a partial write
(batches of 3 rows make every load several transactions). Oversized inputs (a file over
50 MB, text over 10,000 characters, an alias bomb, nesting deeper than Python's stack) are
refused with a message. `FUZZ_EXAMPLES` raises the number of examples (`make fuzz`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import QueryError, ValidationFailed
from graph.schema import _BAD_CHAR, get_schema, is_clean_text
from loaders.load import LoadReport, load_paths
from loaders.read import MAX_FILE_BYTES, read_paths
from loaders.validate import validate
from tests.conftest import REPO

SCHEMA = get_schema()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SOURCE = {"label": "Source", "id": "src-f", "name": "Fuzz source"}
POLICYGRAPH = str(Path(sys.executable).with_name("policygraph"))

# -- strategies: near-valid documents with every kind of wrong value mixed in ----------------
PROPERTY_NAMES = sorted({name for label in SCHEMA.label_names for name in SCHEMA.node_properties(label)}
                        | set(SCHEMA.common_relationship_properties))
ENUM_VALUES = sorted({v for label in SCHEMA.labels.values() for p in label.properties.values()
                      for v in p.values})
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
texts = st.text(max_size=20) | st.sampled_from(["Bộ Tài chính", "Bộ KH&CN", "a\x00b", "\ud800",
                                                "x" * 10_001, "", " ", "MOF", "25-TB/TGV"])
numbers = (st.integers() | st.integers(min_value=2**63 - 2, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True))
dates = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["2025-02-30", "28/5/2025"])
scalars = (st.none() | st.booleans() | numbers | texts | slugs | dates | st.sampled_from(ENUM_VALUES))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
labels = st.sampled_from(SCHEMA.label_names) | st.text(max_size=8)
rel_types = st.sampled_from(SCHEMA.relationship_names) | st.text(max_size=8)
ids = slugs | slugs | values
sources = st.just(["src-f"]) | st.lists(st.sampled_from(["src-f", "src-none"]) | values, max_size=2)
properties = st.dictionaries(st.sampled_from(PROPERTY_NAMES) | st.text(max_size=8),
                             scalars | values, max_size=4)
targets = slugs | texts | st.fixed_dictionaries({"to": slugs | values}, optional={"note": texts})
history = st.lists(st.fixed_dictionaries(
    {"status": st.sampled_from(ENUM_VALUES) | values, "on": dates | values}), max_size=2)


@st.composite
def nodes(draw) -> dict:
    node = {"label": draw(labels), "id": draw(ids), "name": draw(texts | values),
            "sources": draw(sources)}
    node.update(draw(properties))
    if draw(st.booleans()):
        node["links"] = draw(st.dictionaries(rel_types, targets | st.lists(targets, max_size=2),
                                             max_size=2))
    if draw(st.booleans()):
        node["history"] = draw(history)
    return node


relationships = st.fixed_dictionaries(
    {"type": rel_types, "from": slugs | values, "to": slugs | values, "sources": sources},
    optional={"note": texts, "span": values})


@st.composite
def documents(draw):
    if draw(st.integers(0, 9)) == 0:  # now and then not a mapping at all
        return draw(values)
    document: dict = {}
    if draw(st.integers(0, 4)) > 0:
        document["nodes"] = ([SOURCE] if draw(st.booleans()) else []) + draw(st.lists(nodes(), max_size=4))
    if draw(st.booleans()):
        document["relationships"] = draw(st.lists(relationships, max_size=3))
    if draw(st.integers(0, 9)) == 0:
        document[draw(st.text(max_size=6))] = draw(values)
    return document


def mutated(data: bytes, draw) -> bytes:
    """`data` with a few random bytes replaced, inserted or cut: malformed files."""
    edits = draw(st.lists(st.tuples(st.integers(0, max(len(data), 1)), st.binary(max_size=3),
                                    st.integers(0, 3)), max_size=3))
    for position, insert, cut in edits:
        data = data[:position] + insert + data[position + cut:]
    return data


def encoded(text: str) -> bytes:
    # lone surrogates become bytes that are not UTF-8, which the reader must refuse cleanly
    return text.encode("utf-8", "surrogatepass")


@st.composite
def yaml_files(draw) -> bytes:
    data = encoded(yaml.safe_dump(draw(documents()), allow_unicode=draw(st.booleans())))
    return mutated(data, draw) if draw(st.integers(0, 3)) == 0 else data


@st.composite
def json_files(draw) -> bytes:
    data = encoded(json.dumps(draw(documents()), ensure_ascii=draw(st.booleans())))
    return mutated(data, draw) if draw(st.integers(0, 3)) == 0 else data


CSV_COLUMNS = ["id", "name", "label", "type", "from", "to", "sources", *PROPERTY_NAMES]


@st.composite
def csv_files(draw) -> tuple[str, bytes]:
    stem = draw(st.sampled_from([*SCHEMA.label_names, *SCHEMA.relationship_names, "Agency", "PART_OF"])
                | st.from_regex(r"[A-Za-z_]{1,8}", fullmatch=True))
    header = draw(st.lists(st.sampled_from(CSV_COLUMNS) | st.text(max_size=6), min_size=1, max_size=6))
    cell = (st.sampled_from(["src-f", "src-f|src-none", "ministry", "2025-05-28", "277",
                             "99999999999999999999", "1.5", "nan", "a|b", "bo-tai-chinh"])
            | slugs | texts)
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 1), max_size=4))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    if "id" in header and draw(st.booleans()):
        writer.writerow(["src-f" if h == "id" else "Source" if h == "label" else "F" if h == "name"
                         else "" for h in header])
    writer.writerows(rows)
    data = encoded(out.getvalue())
    return stem, mutated(data, draw) if draw(st.integers(0, 3)) == 0 else data


# -- the property --------------------------------------------------------------------------------
def check_load(store, path: Path) -> str:
    """Load `path` into the empty `store` and check the outcome; 'loaded' or 'refused'."""
    store.clear()
    try:
        report = load_paths([path], store, batch_size=3)
    except ValidationFailed as failed:
        assert failed.problems, "a refusal must list its problems"
        for problem in failed.problems:
            assert problem.origin.file == str(path), problem
            assert problem.message and str(problem).startswith(str(path))
        assert store.counts() == (0, 0), "a refused load must write nothing"
        return "refused"
    assert isinstance(report, LoadReport)
    assert store.counts() == (report.node_count, report.relationship_count)
    plan, problems = validate(read_paths([path]), SCHEMA)
    assert problems == []
    expected = {row["id"]: row["props"] for rows in plan.nodes.values() for row in rows}
    stored = {row["id"]: row["p"] for row in
              store.read("MATCH (n) RETURN n.id AS id, properties(n) AS p").rows}
    assert stored.keys() == expected.keys()
    assert all(_same(stored[k], expected[k]) for k in expected), \
        "the store must hold exactly the validated values"
    return "loaded"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_random_yaml_loads_or_is_refused_cleanly(store, tmp_path):
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(data=yaml_files())
    def run(data: bytes) -> None:
        outcomes[check_load(store, _write(tmp_path, "fuzz.yaml", data))] += 1

    run()
    assert outcomes["loaded"] > 0 and outcomes["refused"] > 0, outcomes


def test_random_json_loads_or_is_refused_cleanly(store, tmp_path):
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(data=json_files())
    def run(data: bytes) -> None:
        outcomes[check_load(store, _write(tmp_path, "fuzz.json", data))] += 1

    run()
    assert outcomes["loaded"] > 0 and outcomes["refused"] > 0, outcomes


def test_random_csv_loads_or_is_refused_cleanly(store, tmp_path):
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(file=csv_files())
    def run(file: tuple[str, bytes]) -> None:
        stem, data = file
        folder = tmp_path / "csv"
        folder.mkdir(exist_ok=True)
        outcomes[check_load(store, _write(folder, f"{stem}.csv", data))] += 1

    run()
    assert outcomes["refused"] > 0, outcomes


@FUZZ
@given(value=values)
def test_any_parameter_round_trips_or_is_refused(store, value):
    """What the API and CLI pass as `params` comes back exactly, or a QueryError says why."""
    try:
        rows = store.read("RETURN $p AS p", {"p": value}).rows
    except QueryError as refused:
        assert "parameter 'p'" in refused.message
        return
    assert _same(rows[0]["p"], value)


def _same(got, sent) -> bool:
    """Equal values; FalkorDB keeps doubles exactly but writes them in replies with 15
    significant digits, so a float may come back rounded there (and only there)."""
    if isinstance(sent, float) and isinstance(got, float):
        if math.isinf(got) and math.isfinite(sent):  # 15 digits round the largest up to inf
            return abs(sent) >= 1.797693134862315e308 and (got > 0) == (sent > 0)
        return math.isclose(got, sent, rel_tol=1e-14, abs_tol=0.0) or got == sent
    if isinstance(sent, list):
        return isinstance(got, list) and len(got) == len(sent) and all(map(_same, got, sent))
    if isinstance(sent, dict):
        return isinstance(got, dict) and got.keys() == sent.keys() and all(
            _same(got[k], sent[k]) for k in sent)
    if isinstance(sent, str) and isinstance(got, str):  # a NUL cannot travel in FalkorDB's query text
        return got == sent.replace("\x00", "\ufffd")
    return got == sent and type(got) is type(sent)


def test_the_printable_shortcut_of_clean_text_lets_no_refused_character_through():
    """`is_clean_text` clears printable text without searching it: that is only sound while
    no character the search refuses counts as printable."""
    refused = [c for c in map(chr, range(sys.maxunicode + 1)) if _BAD_CHAR.search(c)]
    assert len(refused) == 30 + 2048  # C0 controls but tab and line breaks, DEL; surrogates
    assert [c for c in refused if c.isprintable()] == []
    assert is_clean_text("Bộ Tài chính\tKH&CN\n") and not is_clean_text("Bộ\u00a0\x7f")


# -- what the fuzzing found, kept as exact regressions ----------------------------------------
SRC_YAML = "nodes:\n  - {label: Source, id: src-f, name: F}\n"


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("bigint.yaml", SRC_YAML + "  - {label: Expert, id: e, name: E, headcount: 99999999999999999999,"
     " sources: [src-f]}\n",
     "[headcount]: headcount 99999999999999999999 is outside the 64-bit range a store can hold"),
    ("nan.yaml", SRC_YAML + "  - {label: Task, id: t, name: T, min_budget_share_pct: .nan,"
     " sources: [src-f]}\n", "[min_budget_share_pct]: min_budget_share_pct must be a finite number"),
    ("nul.json", json.dumps({"nodes": [{"label": "Source", "id": "src-f", "name": "a\u0000b"}]}),
     "[name]: name contains the control or invalid character U+0000 at position 2"),
    ("surrogate.json", '{"nodes": [{"label": "Source", "id": "src-f", "name": "\\ud800"}]}',
     "[name]: name contains the control or invalid character U+D800 at position 1"),
    ("deep.yaml", "nodes: " + "[" * 3000 + "]" * 3000 + "\n", ": nested too deeply to read"),
    ("deep.json", '{"nodes": ' + "[" * 3000 + "]" * 3000 + "}", ": nested too deeply to read"),
    ("line.json", '{"nodes": [{"label": "Task", "id": "t", "name": "T", "sources": ["src-f"],'
     ' "links": {"LED_BY": {"to": "x", "__line__": [1], "__item__": [2]}}}]}',
     "[to]: unknown node or alias 'x'"),
    ("history.yaml", SRC_YAML + "  - {label: Task, id: t, name: T, sources: [src-f], history: "
     "[{status: [x], on: 2025-01-01}, {status: done, on: 2025-01-01}]}\n",
     "is not a slug"),  # it used to crash comparing a list status with a text one
    ("twice.yaml", SRC_YAML + "  - {label: Agency, id: a, name: A, kind: ministry, sources: [src-f]}\n"
     "relationships:\n  - {type: PART_OF, from: a, to: a, sources: [null]}\n"
     "  - {type: PART_OF, from: a, to: a, sources: [src-f]}\n",
     "[sources]: sources must be a list of text values"),  # merging the two used to crash
])
def test_found_cases_are_refused_with_their_place(store, tmp_path, name, text, expected):
    path = _write(tmp_path, name, text.encode("utf-8", "surrogatepass"))
    with pytest.raises(ValidationFailed) as refused:
        load_paths([path], store)
    assert any(expected in str(problem) and str(problem).startswith(str(path))
               for problem in refused.value.problems), [str(p) for p in refused.value.problems]
    assert store.counts() == (0, 0)


def test_yaml_alias_bomb_is_refused_quickly(store, tmp_path):
    """Nine levels of ten aliases name 10**9 items; printed in full they would never end."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    text = "\n".join(levels) + (
        "\nnodes:\n  - {label: Source, id: src-f, name: F}\n"
        "  - {label: Agency, id: a1, name: *i, kind: *i, sources: *i, history: [{status: *i, on: *i}]}\n"
        "  - {label: Agency, id: *i, name: A, kind: ministry, sources: [src-f]}\n")
    path = _write(tmp_path, "bomb.yaml", text.encode())
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as refused:
        load_paths([path], store)
    assert time.monotonic() - started < 10
    messages = [str(p) for p in refused.value.problems]
    assert f"{path}:12 [kind]: kind must be one of party, national_assembly, government, ministry, " \
           "local, steering_committee, working_group, enterprise, university, institute, other " \
           "(got [[[...], [...], [...], [...], ...], [[...], [...], [...], [...], ...], " \
           "[[...], [...], [...], [...], ...], [[...], [...], [...], [...], ...], ...])" in messages
    assert any(m.startswith(f"{path}:13 [id]: id [[[...]") for m in messages), messages
    assert max(len(m) for m in messages) < 1_000
    assert store.counts() == (0, 0)


# -- oversized inputs ----------------------------------------------------------------------------
def test_file_over_50_mb_is_refused_with_a_message(store, tmp_path, cli_env):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # sparse: 50 MB + 1 byte without writing them
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ValidationFailed) as refused:
        load_paths([big], store)
    assert [str(p) for p in refused.value.problems] == [
        f"{big}: file is 52 MB, over the 50 MB limit — Split it into several files."]
    result = subprocess.run([POLICYGRAPH, "load", str(big)], capture_output=True, text=True,
                            env=cli_env, timeout=120, cwd=REPO)
    assert result.returncode == 2
    assert "over the 50 MB limit" in result.stderr and "Traceback" not in result.stderr


def test_text_over_10000_characters_is_refused_and_10000_loads(store, tmp_path):
    def node(name: str, alias: str = "ok") -> str:
        return SRC_YAML + f"  - {{label: Agency, id: a, name: {name}, kind: ministry, aliases: [{alias}], " \
                          "sources: [src-f]}\n"

    too_long = _write(tmp_path, "long.yaml", node("x" * 10_001).encode())
    with pytest.raises(ValidationFailed) as refused:
        load_paths([too_long], store)
    assert [str(p) for p in refused.value.problems] == [
        f"{too_long}:3 [name]: name is 10001 characters long; keep text under 10000 characters"]
    long_alias = _write(tmp_path, "alias.yaml", node("A", "y" * 20_000).encode())
    with pytest.raises(ValidationFailed, match="1 problem") as refused:
        load_paths([long_alias], store)
    assert "aliases item 1: is 20000 characters long" in str(refused.value.problems[0])
    assert store.counts() == (0, 0)
    just_fits = _write(tmp_path, "fits.yaml", node("x" * 10_000).encode())
    load_paths([just_fits], store)
    assert store.read("MATCH (a:Agency) RETURN size(a.name) AS n").rows == [{"n": 10_000}]


def test_malformed_files_through_the_cli_give_messages_not_tracebacks(cli_env, tmp_path):
    files = {
        "broken.yaml": b"nodes:\n  - {label: Agency, id: [unclosed\n",
        "bomb.json": b'{"nodes": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "latin1.csv": "id,name\nx,Bộ\n".encode("utf-16"),
        "Agency.csv": b'id,name,kind,sources\n"a,b\n',
    }
    for name, data in files.items():
        path = _write(tmp_path, name, data)
        result = subprocess.run([POLICYGRAPH, "load", str(path)], capture_output=True, text=True,
                                env=cli_env, timeout=120, cwd=REPO)
        assert result.returncode == 2, (name, result.stderr)
        assert f"✗ {path}" in result.stderr and "nothing was written" in result.stderr
        assert "Traceback" not in result.stderr, result.stderr
