"""Write latency of an on-disk store: an update with a WHERE, then the first read that must see it.

Not a test (no timing asserts anywhere in the suite): a figure to compare with Oxigraph's own
commit time, which it prints too. Run: ``.venv/bin/python bench/write_latency.py [ROUNDS]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from mcfkg.config import Settings
from mcfkg.store import OxigraphStore

LIBRARY = Path(__file__).resolve().parents[1] / "tests" / "data" / "http" / "library.trig"
JSON = "application/sparql-results+json"


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Settings(store_path=Path(folder) / "store"), [(LIBRARY, None)])
        try:
            store.query("ASK {}", JSON)
            writes, reads = [], []
            for i in range(rounds):
                started = time.perf_counter()
                store.update(f"INSERT {{ <urn:x{i}> <urn:p> ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
                writes.append(time.perf_counter() - started)
                started = time.perf_counter()
                assert store.query(f"ASK {{ <urn:x{i}> <urn:p> ?o }}", JSON).body.endswith(b"true}")
                reads.append(time.perf_counter() - started)
        finally:
            store.close()
        bare = ox.Store(str(Path(folder) / "bare"))
        bare.load(path=str(LIBRARY), format=ox.RdfFormat.TRIG)
        commits = []
        for i in range(rounds):
            started = time.perf_counter()
            bare.update(f"INSERT {{ <urn:x{i}> <urn:p> ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
            commits.append(time.perf_counter() - started)
    print(f"{rounds} rounds, medians: update with WHERE {statistics.median(writes) * 1000:.0f} ms, "
          f"first read after it {statistics.median(reads) * 1000:.0f} ms; "
          f"the same update on a bare pyoxigraph store {statistics.median(commits) * 1000:.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
