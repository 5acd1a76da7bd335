"""The API reads the briefing's derived states as it starts (api/warm.py): after start-up the
states and /risk's default answer are already kept, the answers are the same as without the
warm-up, and a store that cannot be read never stops the API from starting."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.warm import warm
from graph import depends_state, task_state
from graph.settings import Settings
from loaders.load import load_paths
from tests.test_loader import VALID


def test_start_up_reads_the_states_the_briefing_serves(store, monkeypatch):
    load_paths([VALID], store)
    reads: list[str] = []
    original = store.read
    monkeypatch.setattr(store, "read", lambda text, *a, **k: reads.append(text) or original(text, *a, **k))
    app = create_app(Settings(warm_on_start=True))
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as client:
        warmed = len(reads)
        assert warmed > 0, "start-up read the states"
        assert task_state.state(store) is not None and depends_state.state(store) is not None
        page = client.get("/api/risk")
        assert page.status_code == 200
    cold = create_app(Settings(warm_on_start=False))
    cold.dependency_overrides[get_store] = lambda: store
    with TestClient(cold) as client:
        assert client.get("/api/risk").json() == page.json()


def test_a_store_that_cannot_be_read_leaves_the_api_starting(caplog):
    def broken():
        raise ConnectionError("no store")
    app = create_app(Settings(warm_on_start=True))
    app.dependency_overrides[get_store] = broken
    with TestClient(app) as client:  # started: the warm-up was skipped, not fatal
        assert client.get("/docs").status_code == 200
    assert "warm-up skipped: no store" in caplog.text


def test_warm_reports_what_it_read(store):
    load_paths([VALID], store)
    took = warm(store)
    assert set(took) == {"task_state", "depends_state", "change_state", "risk"}
