"""What the load test's simulated analysts do: open neighbourhoods and ask a named query.

Node ids come from the environment (`PG_LOAD_TASKS`, comma-separated), so locust itself needs
no access to the store. Each user is held to a fixed request rate, so a run is bounded in
requests as well as in time.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, constant_throughput, task

TASKS = [t for t in os.environ.get("PG_LOAD_TASKS", "").split(",") if t]
RATE_PER_USER = float(os.environ.get("PG_LOAD_RATE", "2"))


class Analyst(HttpUser):
    wait_time = constant_throughput(RATE_PER_USER)

    @task(2)
    def neighbourhood(self) -> None:
        node = random.choice(TASKS)
        self.client.get(f"/api/graph/neighborhood/{node}?depth=2&limit=200",
                        name="/api/graph/neighborhood/[id]?depth=2")

    @task(1)
    def named_query(self) -> None:
        node = random.choice(TASKS)
        self.client.get(f"/api/queries/task-dependencies?task={node}&as_of=2025-10-01",
                        name="/api/queries/task-dependencies")
