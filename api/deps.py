"""FastAPI dependencies: the settings, the store and the core object over them, passed in,
never a global of the app's."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from graph.core import PolicyGraph
from graph.settings import Settings, get_settings
from graph.store import Store, open_store


@lru_cache(maxsize=4)
def _store_for(settings_key: str) -> Store:
    # One connection pool per process and configuration; the store holds the data, not the app.
    return open_store(get_settings(), start=False)


def get_store(settings: Annotated[Settings, Depends(get_settings)]) -> Store:
    return _store_for(settings.model_dump_json())


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]


def get_policygraph(settings: SettingsDep, store: StoreDep) -> PolicyGraph:
    """The core object over this process's store (cheap: it holds the settings and the store)."""
    return PolicyGraph(settings, store)


PolicyGraphDep = Annotated[PolicyGraph, Depends(get_policygraph)]
