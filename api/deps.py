"""FastAPI dependencies: the settings, the store and the core object over them, passed in,
never a global of the app's."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends

from graph.core import PolicyGraph
from graph.settings import Settings, get_settings
from graph.store import Store, open_store

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def get_store(settings: Annotated[Settings, Depends(get_settings)]) -> Store:
    """The store of `settings` (the app's: `create_app(settings)` overrides `get_settings`):
    one connection pool per process and configuration; the store holds the data, not the app."""
    key = settings.model_dump_json()
    with _stores_lock:
        if key not in _stores:
            _stores[key] = open_store(settings, start=False)
        return _stores[key]


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]


def get_policygraph(settings: SettingsDep, store: StoreDep) -> PolicyGraph:
    """The core object over this process's store (cheap: it holds the settings and the store)."""
    return PolicyGraph(settings, store)


PolicyGraphDep = Annotated[PolicyGraph, Depends(get_policygraph)]
