"""Generated requests against /openapi.json: no server errors, responses match their schemas.

A modest number of examples per operation here; `make fuzz` runs the large campaign. The
operations are driven through Hypothesis directly (schemathesis' pytest plugin does not
support this pytest's version).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.deps import get_store
from loaders.load import load_paths
from tests.test_loader import VALID

EXAMPLES_PER_OPERATION = 25
# Schema-valid Cypher text can still be invalid Cypher: /api/cypher answers it with a 400.
# Two schema-valid dates can make a window that ends before it starts: /api/changes and
# /api/digest answer it with a 422 that says to swap them.
# A schema-valid review can still be an invalid one (no such source, an entry the loader refuses,
# no file and no text): the review desk answers it with a 400 naming the problem.
LENIENT = {"POST /api/cypher": [positive_data_acceptance], "GET /api/changes": [positive_data_acceptance],
           "GET /api/digest": [positive_data_acceptance],
           **{f"POST /api/review/{step}": [positive_data_acceptance]
              for step in ("read", "yaml", "diff", "load", "retract")}}


@pytest.mark.slow  # generated requests on every route
def test_api_has_no_server_errors_and_matches_its_schema(store):
    load_paths([VALID], store)
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        excluded = LENIENT.get(operation.label, [])

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
                  suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(excluded_checks=excluded)  # noqa: B023 - run at once

        check()
    assert store.counts() == (8, 8), "generated requests must never change the graph"
