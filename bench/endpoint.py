"""Endpoint benchmark: in-process pyoxigraph (the floor) vs `mcfkg serve` vs rdflib-endpoint.

Not a test: run it by hand, e.g. ``.venv/bin/python bench/endpoint.py --size 100k``. It builds a
synthetic graph shaped like mcfkg's (bench/synthetic.py), serves the same N-Quads file with both
servers on free ports of 127.0.0.1, runs the query mix (bench/query_mix.py) against the three side
by side, interleaved run by run so a busy shared machine slows all three alike, then a closed-loop
load test with concurrent clients, and prints a Markdown report that is also saved under
bench/results/ (gitignored).

Every measurement includes producing SPARQL JSON results: the floor serialises in process, the
servers answer an HTTP GET with ``Accept: application/sparql-results+json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import httpx
import pyoxigraph as ox
from query_mix import query_mix
from synthetic import generate

from mcfkg.config import Settings
from mcfkg.vocab import Vocab

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SIZES = {"100k": 100_000, "1M": 1_000_000}
JSON_RESULTS = "application/sparql-results+json"
TRIVIAL = "ASK {}"


@dataclass
class Timing:
    """Median wall time of one query on one target; ``None`` when it did not finish in time."""

    median_ms: float | None
    rows: int | None
    note: str = ""


def _rows(body: bytes) -> int:
    answer = json.loads(body)
    return len(answer["results"]["bindings"]) if "results" in answer else 1


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class Target:
    """Something that answers a query with SPARQL JSON results: the floor or a server."""

    name = "floor"

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def run(self, query: str) -> bytes:
        """Query and serialise in process: what any server on this store must at least spend."""
        return self._store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)

    def close(self) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A SPARQL server in a subprocess on a free local port, restartable after a runaway query."""

    def __init__(self, name: str, argv: Callable[[int], list[str]], path: str, log_dir: Path, load_timeout: float):
        self.name, self._argv, self._path = name, argv, path
        self._log_dir, self._load_timeout = log_dir, load_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.load_s = 0.0

    def start(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}{self._path}"
        log = (self._log_dir / f"{self.name}.log").open("ab")
        started = time.perf_counter()
        self._proc = subprocess.Popen(self._argv(port), stdout=log, stderr=subprocess.STDOUT)
        while time.perf_counter() - started < self._load_timeout:
            if self._proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self._proc.returncode}; see {log.name}")
            try:
                if httpx.get(self.url, params={"query": TRIVIAL}, headers={"Accept": JSON_RESULTS}).status_code == 200:
                    self.load_s = time.perf_counter() - started
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {self._load_timeout} s; see {log.name}")

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None


class HttpTarget(Target):
    """A server, asked by HTTP GET on one keep-alive connection."""

    def __init__(self, server: Server, timeout: float) -> None:
        self.name, self._server, self.timeout = server.name, server, timeout
        self._client = httpx.Client(timeout=timeout, headers={"Accept": JSON_RESULTS})

    def run(self, query: str) -> bytes:
        response = self._client.get(self._server.url, params={"query": query})
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return response.content

    def abandon(self) -> None:
        """After a timeout: restart the server, or the abandoned query would keep a core busy."""
        self._client.close()
        self._server.restart()
        self._client = httpx.Client(timeout=self.timeout, headers={"Accept": JSON_RESULTS})

    def close(self) -> None:
        self._client.close()


def measure(targets: list[Target], query: str, repeat: int, budget: float) -> dict[str, Timing]:
    """Run ``query`` on every target in turn, round after round, so all see the same machine load.

    A target stops after ``repeat`` runs, or after 3 once it has spent ``budget`` seconds on the query;
    a timeout or an error stops it at once.
    """
    samples: dict[str, list[float]] = {t.name: [] for t in targets}
    bodies: dict[str, bytes] = {}
    failed: dict[str, Timing] = {}

    def enough(name: str) -> bool:
        runs = samples[name]
        return name in failed or len(runs) >= repeat or (len(runs) >= 3 and sum(runs) > budget)

    while not all(enough(t.name) for t in targets):
        for target in targets:
            if enough(target.name):
                continue
            start = time.perf_counter()
            try:
                bodies[target.name] = target.run(query)
            except httpx.TimeoutException:
                assert isinstance(target, HttpTarget)
                target.abandon()
                failed[target.name] = Timing(None, None, f"> {target.timeout:g} s")
                continue
            except (RuntimeError, httpx.HTTPError) as exc:
                failed[target.name] = Timing(None, None, str(exc))
                continue
            samples[target.name].append(time.perf_counter() - start)
    return {t.name: failed.get(t.name) or Timing(_median_ms(samples[t.name]), _rows(bodies[t.name]))
            for t in targets}


async def _load(url: str, query: str, clients: int, seconds: float, heavy: str | None = None) -> dict[str, float]:
    """Closed loop: ``clients`` keep-alive clients send ``query`` for ``seconds``; latency of those.

    With ``heavy``, one more client sends that slow query over and over meanwhile: a server that
    runs queries on its event loop makes every other client wait behind it.
    """
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients + 1, max_keepalive_connections=clients + 1)
    async with httpx.AsyncClient(timeout=120, limits=limits, headers={"Accept": JSON_RESULTS}) as client:

        async def one_client(text: str, record: bool) -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    ok = (await client.get(url, params={"query": text})).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if not record:
                    continue
                if ok:
                    latencies.append(time.perf_counter() - start)
                else:
                    errors += 1

        started = time.perf_counter()
        jobs = [one_client(query, True) for _ in range(clients)] + ([one_client(heavy, False)] if heavy else [])
        await asyncio.gather(*jobs)
        elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else math.nan  # noqa: E731
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": pick(0.50), "p99": pick(0.99),
            "errors": errors}


def _ms(t: Timing) -> str:
    return t.note if t.median_ms is None else f"{t.median_ms:.2f}"


def _ratio(t: Timing, base: Timing) -> float | None:
    if t.median_ms is None or base.median_ms is None or base.median_ms == 0:
        return None
    return t.median_ms / base.median_ms


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


def render(meta: dict[str, str], names: list[str], results: dict[str, dict[str, Timing]],
           overhead: dict[str, Timing], load: dict[str, dict[str, float]], timeout: float) -> str:
    """The Markdown report: the query table with ratios, then the load test."""
    servers = [s for s in results if s != "floor"]
    head = "| query | rows | floor ms | " + " | ".join(f"{s} ms | {s} ×floor" for s in servers)
    if len(servers) == 2:
        head += f" | {servers[0]} speed-up vs {servers[1]}"
    lines = [f"# Endpoint benchmark, {meta['date']}", "", *(f"- {k}: {v}" for k, v in meta.items() if k != "date"), "",
             head + " |", "|" + "---|" * (head.count("|"))]
    ratios: dict[str, list[float]] = {s: [] for s in servers}
    speedups: list[float] = []
    for name in names:
        floor = results["floor"][name]
        cells = [name, str(floor.rows), _ms(floor)]
        for s in servers:
            t = results[s][name]
            r = _ratio(t, floor)
            if r is not None:
                ratios[s].append(r)
            mismatch = " (rows differ!)" if t.rows is not None and t.rows != floor.rows else ""
            cells += [_ms(t) + mismatch, "—" if r is None else f"{r:.2f}"]
        if len(servers) == 2:
            a, b = results[servers[0]][name], results[servers[1]][name]
            if a.median_ms and b.median_ms is None and b.note.startswith(">"):
                speedups.append(timeout * 1000 / a.median_ms)
                cells.append(f"> {timeout * 1000 / a.median_ms:.0f}×")
            else:
                s_up = _ratio(b, a)
                if s_up is not None:
                    speedups.append(s_up)
                cells.append("—" if s_up is None else f"{s_up:.1f}×")
        lines.append("| " + " | ".join(cells) + " |")
    geo = ["**geometric mean**", "", ""]
    for s in servers:
        geo += ["", f"**{_geomean(ratios[s]):.2f}**"]
    if len(servers) == 2:
        geo.append(f"**{_geomean(speedups):.1f}×**" + (" (lower bound: timeouts)" if any(
            results[servers[1]][n].median_ms is None for n in names) else ""))
    lines += ["| " + " | ".join(geo) + " |", ""]
    lines.append("Fixed cost of one request (`ASK {}`, median ms): " + ", ".join(
        f"{s} {_ms(t)}" for s, t in overhead.items()) + ".")
    if load:
        lines += ["", "| load test: lookups by IRI | requests | req/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
        for s, m in load.items():
            lines.append(f"| {s} | {m['requests']} | {m['rps']:.0f} | {m['p50']:.1f} | {m['p99']:.1f} | {m['errors']} |")
    return "\n".join(lines) + "\n"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="100k", help="synthetic graph size (triples)")
    parser.add_argument("--seed", type=int, default=7, help="RNG seed of the synthetic graph")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query per target (median reported)")
    parser.add_argument("--budget", type=float, default=15.0,
                        help="seconds one query may use per target before repeats stop (at least 3 runs)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a query counts as '> T s'")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients in the load test (0: skip it)")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="duration of each load test")
    parser.add_argument("--servers", default="mcfkg,rdflib-endpoint", help="comma-separated servers to compare with the floor")
    parser.add_argument("--load-timeout", type=float, default=1800.0, help="seconds a server may take to load the data")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> str:
    args = _parse_args(argv)
    bin_dir = Path(sys.executable).parent
    vocab = Vocab(Settings.from_env().base_iri)
    RESULTS_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mcfkg-bench-") as tmp:
        data = Path(tmp) / f"synthetic-{args.size}.nq"
        sample = generate(SIZES[args.size], data, vocab, args.seed)
        mix = query_mix(vocab, sample)
        meta = {
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "data": f"{sample.triples:,} triples (synthetic, seed {args.seed})",
            "command": "`" + " ".join(["python bench/endpoint.py", *(argv if argv is not None else sys.argv[1:])]) + "`",
            "machine": f"{os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.2f}",
            "versions": ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib", "fastapi", "uvicorn", "rdflib-endpoint")),
            "method": f"median of {args.repeat} runs, targets interleaved run by run (3+ runs for a query past {args.budget:g} s in total); HTTP GET with Accept {JSON_RESULTS}; timeout {args.timeout:g} s",
        }
        floor = ox.Store()
        floor.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        commands = {
            "mcfkg": (lambda port: [str(bin_dir / "mcfkg"), "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--data", str(data)], "/sparql"),
            "rdflib-endpoint": (lambda port: [str(bin_dir / "rdflib-endpoint"), "serve", str(data),
                                              "--host", "127.0.0.1", "--port", str(port)], "/"),
        }
        servers = [Server(name, *commands[name], Path(tmp), args.load_timeout) for name in args.servers.split(",") if name]
        targets: list[Target] = [Target(floor)]
        load: dict[str, dict[str, float]] = {}
        try:
            for server in servers:
                server.start()
                meta[f"{server.name} start-up (load + ready)"] = f"{server.load_s:.1f} s"
                targets.append(HttpTarget(server, args.timeout))
            by_query = {n: measure(targets, q, args.repeat, args.budget) for n, q in mix.items()}
            results = {t.name: {n: by_query[n][t.name] for n in mix} for t in targets}
            overhead = measure(targets, TRIVIAL, args.repeat, args.budget)
            if args.clients:
                for server in servers:
                    lookup, heavy = mix["lookup by IRI"], mix["aggregate GROUP BY"]
                    load[server.name] = asyncio.run(_load(server.url, lookup, args.clients, args.load_seconds))
                    load[f"{server.name}, + 1 client running the aggregate"] = asyncio.run(
                        _load(server.url, lookup, args.clients, args.load_seconds, heavy))
        finally:
            for target in targets:
                target.close()
            for server in servers:
                server.stop()
            for log in Path(tmp).glob("*.log"):
                (RESULTS_DIR / f"{args.size}-{log.name}").write_bytes(log.read_bytes()[-200_000:])
        meta["machine"] += f", at end {os.getloadavg()[0]:.2f}"
        if args.clients:
            meta["load test"] = f"{args.clients} concurrent keep-alive clients for {args.load_seconds:g} s each, client in this process"
    report = render(meta, list(mix), results, overhead, load, args.timeout)
    out = RESULTS_DIR / f"endpoint-{args.size}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.md"
    out.write_text(report)
    print(report)
    print(f"saved to {out}")
    return report


if __name__ == "__main__":
    main()
