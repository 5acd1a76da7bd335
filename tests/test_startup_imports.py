"""What a command's process imports before it works: cheap starts stay cheap.

The dev-set scorer (../shared/extract-dev/score) starts `policygraph extract` once per
document; the store's client (redis) and the settings (pydantic-settings) were a third of
its start-up until graph.store imported them on first use. And the suite's workers keep the collector
off what later tests keep (tests/heap.py).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from tests.conftest import REPO
from tests.heap import YOUNG_THRESHOLD


def test_extraction_and_the_store_protocol_do_not_import_the_store_client_or_settings():
    probe = ("import json, sys; from graph.store.base import Store; import graph.store; "
             "import loaders.extract, loaders.extract.resolve, cli.extract; "
             "print(json.dumps({m: m in sys.modules for m in ('redis', 'pydantic_settings')}))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert json.loads(out) == {"redis": False, "pydantic_settings": False}


def test_the_store_package_still_names_its_server_when_asked():
    import graph.store
    from graph.store.embedded import EmbeddedServer, StoreLimits

    assert (graph.store.EmbeddedServer, graph.store.StoreLimits) == (EmbeddedServer, StoreLimits)


def test_the_workers_collector_runs_with_the_suites_thresholds_and_frozen_survivors():
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert gc.get_freeze_count() > 0  # what survived the suite's collection
