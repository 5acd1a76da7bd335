"""The README's Cypher examples print what the README says they print, on the bundled data.

An example is a ```cypher block followed directly by a plain ``` block holding its CSV output.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph.schema_doc import README

POLICYGRAPH = Path(sys.executable).with_name("policygraph")
EXAMPLE = re.compile(r"```cypher\n(?P<query>[^`]*)```\n```\n(?P<output>[^`]*)```")


def readme_examples() -> list[tuple[str, str]]:
    return [(m["query"], m["output"]) for m in EXAMPLE.finditer(README.read_text(encoding="utf-8"))]


def test_the_readme_has_examples_with_output():
    assert len(readme_examples()) >= 3


@pytest.mark.parametrize(("query", "output"), readme_examples(),
                         ids=[q.splitlines()[0] for q, _ in readme_examples()])
def test_readme_example_prints_its_documented_output(query, output, bundled_store, cli_env):
    env = {**cli_env, "POLICYGRAPH_GRAPH": bundled_store.graph_name}
    result = subprocess.run([POLICYGRAPH, "query", "--cypher", query, "--format", "csv"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.replace("\r\n", "\n") == output
