"""policygraph for notebooks: `policygraph.connect(url_or_home)`.

    import policygraph
    pg = policygraph.connect("http://127.0.0.1:8000")   # a running API, or a store's home folder
    pg.query("blocking-laws", as_of="2025-05-22")        # a pandas DataFrame
"""

from __future__ import annotations

from policygraph.client import Client, ClientError, connect

__all__ = ["Client", "ClientError", "connect"]
