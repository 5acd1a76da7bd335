"""The graph page benchmark, for benchmarks.bench: seconds until a 2,000-node page drawn with
pyvis is interactive in headless Chromium. The measurement lives with the page builder
(`api.viz.bench`); this module only gives it its place among the benchmarks.

    python -m benchmarks.viz 2000
"""

from __future__ import annotations

import logging
import sys

from api.viz.bench import measure_viz_interactive_s

__all__ = ["measure_viz_interactive_s"]

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    logging.getLogger(__name__).info("%d nodes: interactive after %.2f s", count,
                                     measure_viz_interactive_s(count))
