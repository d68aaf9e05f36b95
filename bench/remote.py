"""Remote-store benchmark: the query mix through mcfkg over a remote store against the same store asked directly.

Not a test: run it by hand, e.g. ``nice -n 10 .venv/bin/python bench/remote.py --triples 50000``. Needs the
Oxigraph server (``pip install -e '.[test]'``) and Virtuoso (``make remote-stores``). For each store it:

1. starts the store on free ports of 127.0.0.1 in a temporary folder (as tests/remote does);
2. takes a seeded synthetic graph shaped like mcfkg's (bench/synthetic.py) into it as a build, with
   ``RemoteStore.take_build`` (one update), and serves it with mcfkg's app on another free port;
3. asks each query of the mix (bench/query_mix.py) ``--rounds`` times, alternating: directly from the
   store (with the same dataset mcfkg sends: the union graph as default graph, every graph named) and
   through mcfkg's /sparql (JSON results both ways), one request at a time;
4. prints the median latency of each and their ratio (mcfkg / direct): the overhead mcfkg adds,
   which is an HTTP hop, its checks, and reading and writing the answer again.

The report goes to bench/results/remote-<time>.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx
import uvicorn

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tests"), str(BENCH.parent / "tests" / "remote")]

from query_mix import query_mix  # noqa: E402
from remote_servers import STARTERS, RunningServer  # noqa: E402
from synthetic import generate  # noqa: E402

from live_mcfkg import free_port  # noqa: E402
from mcfkg.remote.store import RemoteStore  # noqa: E402
from mcfkg.vocab import Vocab  # noqa: E402
from mcfkg.web.app import create_app  # noqa: E402

RESULTS = BENCH / "results"
JSON_RESULTS = "application/sparql-results+json"


def timed(send: Callable[[], httpx.Response]) -> float:
    """Seconds one request took, to its last byte (httpx reads the whole body)."""
    started = time.perf_counter()
    answer = send()
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    return elapsed


def serve_in_thread(store: RemoteStore) -> tuple[uvicorn.Server, str]:
    """mcfkg's app over ``store`` on a free port, in this process (a thread), until ``should_exit``."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store.settings, store), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    root = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.05)
    return server, root


def bench_store(kind: str, data: Path, mix: dict[str, str], rounds: int, folder: Path) -> list[tuple[str, float, float]]:
    remote: RunningServer = STARTERS[kind](folder)
    store = RemoteStore(remote.settings(query_timeout_s=120.0, store_client_updates=False))
    rows = []
    try:
        started = time.perf_counter()
        print(f"{kind}: {store.take_build(data)} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        app, root = serve_in_thread(store)
        auth = remote.settings().store_user and store.client.endpoint.auth()
        with httpx.Client(timeout=120, auth=auth or None) as client:
            for name, text in mix.items():
                default, named = store._dataset(None, text, has_from=False)  # what mcfkg sends with the query
                direct_form = {"query": text, "default-graph-uri": list(default), "named-graph-uri": list(named)}
                direct, through = [], []
                for _ in range(rounds):
                    direct.append(timed(lambda: client.post(remote.query_url, data=direct_form,
                                                            headers={"Accept": JSON_RESULTS})))
                    through.append(timed(lambda: client.post(f"{root}/sparql", data={"query": text},
                                                             headers={"Accept": JSON_RESULTS})))
                rows.append((name, statistics.median(direct), statistics.median(through)))
                print(f"  {name}: direct {rows[-1][1] * 1000:.1f} ms, mcfkg {rows[-1][2] * 1000:.1f} ms", file=sys.stderr)
        app.should_exit = True
    finally:
        store.close()
        remote.stop()
    return rows


def report(results: dict[str, list[tuple[str, float, float]]], triples: int, rounds: int) -> str:
    lines = ["# mcfkg over a remote store: overhead on the query mix\n",
             f"{triples} synthetic triples (bench/synthetic.py), median of {rounds} sequential requests each, "
             "JSON results; ratio = through mcfkg / the store asked directly with the same dataset.\n"]
    for kind, rows in results.items():
        lines += [f"\n## {kind}\n", "| query | direct (ms) | through mcfkg (ms) | ratio |", "|---|---:|---:|---:|"]
        lines += [f"| {name} | {d * 1000:.1f} | {t * 1000:.1f} | {t / d:.2f} |" for name, d, t in rows]
        ratios = [t / d for _, d, t in rows]
        lines.append(f"| geometric mean | | | {statistics.geometric_mean(ratios):.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--stores", default="oxigraph,virtuoso")
    args = parser.parse_args(argv)
    vocab = Vocab()
    with tempfile.TemporaryDirectory(prefix="mcfkg-bench-remote-") as tmp:
        folder = Path(tmp)
        sample = generate(args.triples, folder / "build.nq", vocab)
        mix = query_mix(vocab, sample)
        results = {}
        for kind in args.stores.split(","):
            (folder / kind).mkdir()
            results[kind] = bench_store(kind, folder / "build.nq", mix, args.rounds, folder / kind)
    text = report(results, sample.triples, args.rounds)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"remote-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.md"
    out.write_text(text)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
