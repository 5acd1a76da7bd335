"""Time the whole blocking-laws answer in every shape, in-process, on a loaded store: what the
API streams (`api.row_stream.stream_answer`'s pieces), without HTTP or gzip, and the size.

    POLICYGRAPH_HOME=… POLICYGRAPH_GRAPH=… python -m benchmarks.profile_answer [AS_OF] [--runs N]
    python -m benchmarks.profile_answer --url http://127.0.0.1:8000   # over HTTP, gzip

For development (where the time goes); `make bench` gives the figures.
"""

from __future__ import annotations

import argparse
import resource
import time

from api.row_stream import stream_answer
from graph.settings import get_settings
from graph.store import open_store
from queries import get_query

SHAPES = (("ndjson", True), ("csv", True), ("csv", False), ("ndjson", False))


def whole(store, settings, fmt: str, lean: bool, as_of: str, name: str = "blocking-laws") -> bytes:
    """The bytes of the whole answer as the API would send them (before gzip)."""
    query = get_query(name)
    response = stream_answer(query, store, query.bind({"as_of": as_of}), fmt, settings, lean=lean)
    try:
        return b"".join(response._pieces)
    finally:
        response._give_back()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("as_of", nargs="?", default="2025-10-01")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--query", default="blocking-laws")
    parser.add_argument("--url", help="a running API: time its answers over HTTP instead")
    args = parser.parse_args()
    if args.url:
        over_http(args)
        return
    settings = get_settings()
    store = open_store(settings)
    for fmt, lean in SHAPES:
        for run in range(args.runs):
            started = time.perf_counter()
            body = whole(store, settings, fmt, lean, args.as_of, args.query)
            seconds = time.perf_counter() - started
            lines = body.count(b"\n")
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
            print(f"{fmt:6} lean={lean!s:5} run {run}: {seconds:6.3f} s  {len(body) / 1e6:7.1f} MB  "
                  f"{lines} lines, peak RSS {peak_mb:.0f} MB",
                  flush=True)


def over_http(args: argparse.Namespace) -> None:
    import httpx

    with httpx.Client(base_url=args.url, timeout=600) as client:
        for fmt, lean in SHAPES:
            for encoding in ("gzip", "identity"):
                for run in range(args.runs):
                    started = time.perf_counter()
                    response = client.get(f"/api/queries/{args.query}",
                                          params={"as_of": args.as_of, "format": fmt, "lean": lean},
                                          headers={"Accept-Encoding": encoding})
                    body = response.content
                    seconds = time.perf_counter() - started
                    print(f"{fmt:6} lean={lean!s:5} {encoding:8} run {run}: {seconds:6.3f} s  "
                          f"{len(body) / 1e6:7.1f} MB", flush=True)


if __name__ == "__main__":
    main()
