"""Serving benchmark: mcfkg against the Oxigraph server and Virtuoso, same data, same queries, same client.

Not a test: run it by hand, e.g. ``.venv/bin/python bench/serving.py --sizes 100k,1m``. Needs
Debian's ``wrk`` and, for Virtuoso, ``virtuoso-opensource`` (``apt-get install wrk
virtuoso-opensource``), and ``pip install -e '.[bench]'`` (the Oxigraph server, matplotlib,
rdflib-endpoint). For each size it:

1. writes a seeded synthetic graph shaped like mcfkg's (bench/synthetic.py) as one N-Quads file;
2. starts every system on free ports of 127.0.0.1 from that same file, each under an address-space
   limit (``prlimit --as``), and records how long it took to answer;
3. asks every system every query once and compares the answers by content (SPARQL JSON results
   parsed, rows sorted, numbers compared as numbers, language tags in lower case): a mismatch is
   reported in the tables, never dropped;
4. drives each timed query with ``wrk`` (bench/wrk/sparql.lua; the lookup picks a random IRI from a
   list for every request), interleaved: per query, round after round, every system in turn (the
   order rotates each round), so a busy shared machine slows all alike; then ``ASK {}`` on one
   connection (the fixed cost of one request);
5. reads each system's memory from /proc (RSS and PSS summed over its process tree) after the load
   and after the runs, then stops it.

It prints a Markdown report and saves it with a plot and the raw numbers (JSON) to bench/results/
(gitignored). Every system sees the union of the named graphs as its default graph: mcfkg by
default, the Oxigraph server with ``--union-default-graph``, Virtuoso because a query without FROM
reads all its graphs (its own system graphs hold none of our predicates).

``--systems ...,fastapi-floor`` adds the floor of issue 12's per-request target: a bare FastAPI app
over pyoxigraph in its own process (``FLOOR_APP``); the report then gives mcfkg's ``ASK {}`` p50 over it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx
from query_mix import query_mix
from synthetic import Sample, generate

from mcfkg.config import Settings
from mcfkg.vocab import Vocab

BENCH = Path(__file__).resolve().parent
RESULTS_DIR = BENCH / "results"
LUA = BENCH / "wrk" / "sparql.lua"
BIN = Path(sys.executable).parent
JSON_RESULTS = "application/sparql-results+json"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
ALL_SYSTEMS = ("mcfkg", "mcfkg-disk", "oxigraph", "virtuoso", "rdflib-endpoint", "fastapi-floor")
ASK = "ASK {}"


# --- queries -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    """One query text, the same for every system. ``{{IRI}}`` is replaced per request (``varies``)."""

    name: str
    text: str
    varies: bool = False
    timed: bool = True  # False: its answers are compared, but wrk does not drive it


def queries(vocab: Vocab, sample: Sample) -> list[Query]:
    """The timed queries of issue 12, then the rest of bench/query_mix.py and a quad count, checked only."""
    mix = query_mix(vocab, sample)
    timed = [
        Query("lookup (IRI varies)", "SELECT ?p ?o WHERE { <{{IRI}}> ?p ?o }", varies=True),
        Query("2-hop join", mix.pop("2-hop join")),
        Query("aggregate", mix.pop("aggregate GROUP BY")),
        Query(ASK, ASK),
    ]
    mix.pop("lookup by IRI")
    count = ("SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } "
             f'FILTER(STRSTARTS(STR(?g), "{vocab.GRAPH}")) }}')
    return timed + [Query(name, text, timed=False) for name, text in mix.items()] + [
        Query("quads in our named graphs", count, timed=False)]


def lookup_iris(data: Path, namespace: str, count: int, seed: int) -> list[str]:
    """``count`` distinct subjects of ``namespace`` from the N-Quads file, picked with a seeded RNG."""
    subjects: set[str] = set()
    prefix = "<" + namespace
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(prefix):
                subjects.add(line[1:line.index(">")])
    ordered = sorted(subjects)
    return random.Random(seed).sample(ordered, min(count, len(ordered)))


# --- canonical answers ---------------------------------------------------------------------------

def _term(term: dict) -> tuple:
    kind = term.get("type")
    if kind == "uri":
        return ("iri", term["value"])
    if kind == "bnode":
        return ("bnode",)  # labels are per answer; none of our queries returns one
    if kind in ("literal", "typed-literal"):  # Virtuoso says typed-literal (SPARQL JSON of 2008)
        value, datatype, lang = term["value"], term.get("datatype"), term.get("xml:lang") or term.get("lang")
        if lang:
            return ("lang", value, lang.lower())
        if datatype in NUMERIC:
            try:
                return ("number", str(Decimal(value.strip()).normalize()))
            except InvalidOperation:
                pass
        if datatype in (None, XSD + "string"):
            return ("string", value)
        return ("typed", value, datatype)
    return (str(kind), json.dumps(term, sort_keys=True))


def canonical(body: bytes) -> tuple:
    """A SPARQL JSON result as a comparable value: the boolean, or the sorted multiset of rows."""
    answer = json.loads(body)
    if "boolean" in answer:
        return ("boolean", bool(answer["boolean"]))
    rows = [tuple(sorted((var, _term(t)) for var, t in binding.items())) for binding in answer["results"]["bindings"]]
    return ("rows", tuple(sorted(rows, key=repr)))


def size_of(answer: tuple) -> str:
    return str(answer[1]).lower() if answer[0] == "boolean" else str(len(answer[1]))


def difference(answer: tuple, reference: tuple) -> str:
    """What one answer has that the reference lacks and the other way round, briefly."""
    if answer[0] != reference[0] or answer[0] == "boolean":
        return f"{size_of(answer)} vs {size_of(reference)}"
    mine, theirs = Counter(answer[1]), Counter(reference[1])
    extra, missing = list((mine - theirs).elements()), list((theirs - mine).elements())
    text = f"{len(answer[1])} rows vs {len(reference[1])}; {len(extra)} extra, {len(missing)} missing"
    if extra:
        text += f"; e.g. extra {dict(extra[0])}"
    if missing:
        text += f"; e.g. missing {dict(missing[0])}"
    return text


# --- processes ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def _kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Memory:
    processes: int
    rss_mb: float  # resident set sizes summed: counts pages shared by forked workers once per process
    pss_mb: float  # proportional set sizes summed: shared pages split among their sharers


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by the live processes of ``root``'s tree."""
    ticks = 0
    for pid in process_tree(root):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory(root: int) -> Memory:
    pids = process_tree(root)
    rss = sum(_kb(Path(f"/proc/{p}/status"), "VmRSS:") for p in pids)
    pss = sum(_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:") for p in pids)
    return Memory(len([p for p in pids if Path(f"/proc/{p}").exists()]), rss / 1024, pss / 1024)


class Failed(RuntimeError):
    """A system could not be started; the benchmark goes on without it."""


class Server:
    """One system in its own process group on free ports of 127.0.0.1, under an address-space limit."""

    path = "/sparql"

    def __init__(self, name: str, work: Path, data: Path, mem_limit: int, load_timeout: float, args: argparse.Namespace):
        self.name, self.data, self.mem_limit, self.load_timeout, self.args = name, data, mem_limit, load_timeout, args
        self.work = work / name
        self.work.mkdir(parents=True)
        self.log = self.work / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.startup_s = 0.0
        self.version = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def limited(self, argv: list[str]) -> list[str]:
        return ["prlimit", f"--as={self.mem_limit}", "--", *argv]

    def spawn(self, argv: list[str], cwd: Path | None = None) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.limited(argv), stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                         stdin=subprocess.DEVNULL, start_new_session=True)

    def run_step(self, argv: list[str], timeout: float, cwd: Path | None = None) -> str:
        """A preparation step (a loader), bounded in time and memory; its output is logged and returned."""
        try:
            done = subprocess.run(self.limited(argv), capture_output=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise Failed(f"{argv[0]} took more than {timeout:g} s") from exc
        output = (done.stdout + done.stderr).decode(errors="replace")
        with self.log.open("a") as log:
            log.write(f"$ {' '.join(argv)}\n{output}\n")
        if done.returncode:
            raise Failed(f"{' '.join(argv[:2])} exited with {done.returncode}: {output.strip()[-300:]}")
        return output

    def wait_ready(self, started: float) -> None:
        while time.perf_counter() - started < self.load_timeout:
            if self.proc is None or self.proc.poll() is not None:
                raise Failed(f"exited with {self.proc.returncode if self.proc else '?'}; log: {self.log_tail()}")
            try:
                response = httpx.get(self.url, params={"query": ASK}, headers={"Accept": JSON_RESULTS}, timeout=5)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise Failed(f"did not answer within {self.load_timeout:g} s; log: {self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return " / ".join(self.log.read_text(errors="replace").strip().splitlines()[-3:])[-400:]
        except OSError:
            return "(no log)"

    def start(self) -> None:
        started = time.perf_counter()
        self.launch()
        self.wait_ready(started)
        self.startup_s = time.perf_counter() - started

    def launch(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """SIGTERM to the server, then SIGKILL to whatever of its process group is left."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this script created for it: workers, forks
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def memory(self) -> Memory | None:
        return memory(self.proc.pid) if self.proc and self.proc.poll() is None else None

    def settle(self, cap: float = 120.0) -> bool:
        """Wait until the server is idle (under 10% of a core for half a second): the requests wrk left
        in flight when it stopped must not run into the next system's time. False if ``cap`` passed."""
        if self.proc is None or self.proc.poll() is not None:
            return True
        deadline = time.monotonic() + cap
        before = cpu_seconds(self.proc.pid)
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = cpu_seconds(self.proc.pid)
            if now - before < 0.05:
                return True
            before = now
        return False


class Mcfkg(Server):
    """``mcfkg serve --data FILE``: in memory at the default settings (``mcfkg-disk``: ``--store DIR`` too)."""

    def launch(self) -> None:
        self.port = free_port()
        argv = [str(BIN / "mcfkg"), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data", str(self.data)]
        if self.name == "mcfkg-disk":
            argv += ["--store", str(self.work / "store")]
        self.version = _package_version("mcfkg") + _git_revision()
        self.spawn(argv)


class Oxigraph(Server):
    """The Oxigraph server (PyPI ``oxigraph``): ``oxigraph load`` into RocksDB, then serve it read-only."""

    path = "/query"

    def launch(self) -> None:
        exe = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
        if not exe:
            raise Failed("the oxigraph command is missing: pip install -e '.[bench]'")
        self.version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
        location = self.work / "db"
        self.run_step([exe, "load", "--location", str(location), "--file", str(self.data)], self.load_timeout)
        self.port = free_port()
        self.spawn([exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                    "--union-default-graph"])


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = {threads}
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = ., {data_dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
SingleCPU = 0
ThreadsPerQuery = {cores}
AsyncQueueMaxThreads = 10
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
VectorSize = 1000
MaxVectorSize = 1000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/vsp
MaxClientConnections = {threads}
ServerThreads = {threads}
MaxKeepAlives = {threads}
KeepAliveTimeout = 60
EnabledDavVSP = 0
HTTPProxyEnabled = 0
EnabledGzipContent = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


class Virtuoso(Server):
    """Virtuoso Open Source 7 (Debian ``virtuoso-opensource``): its own database and ports, the N-Quads
    loaded with the bulk loader (``ld_dir`` + ``rdf_loader_run``: each quad into its own graph)."""

    def launch(self) -> None:
        exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
        if not exe or not isql:
            raise Failed("virtuoso-t or isql-vt is missing: apt-get install virtuoso-opensource")
        banner = subprocess.run([exe, "-?"], capture_output=True, text=True)
        self.version = "Virtuoso Open Source " + next((line.strip() for line in (banner.stdout + banner.stderr).splitlines()
                             if line.startswith("Version")), "")
        db = self.work / "db"
        (db / "vsp").mkdir(parents=True)
        sql_port, self.port = free_port(), free_port()
        threads = max(self.args.connections + 8, 16)
        buffers = self.args.virtuoso_buffers
        (db / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
            db=db, sql_port=sql_port, http_port=self.port, data_dir=self.data.parent, threads=threads,
            cores=os.cpu_count() or 1, buffers=buffers, dirty=buffers * 3 // 4))
        self.spawn([exe, "+foreground", "+configfile", str(db / "virtuoso.ini")], cwd=db)
        deadline = time.perf_counter() + 120
        script = (f"ld_dir('{self.data.parent}', '{self.data.name}', 'urn:mcfkg:bench:unused'); rdf_loader_run(); "
                  "checkpoint; select 'LOADERRORS', count(*) from DB.DBA.load_list where ll_error is not null;")
        while True:  # the SQL port answers once the database is created or opened
            if self.proc is None or self.proc.poll() is not None:
                raise Failed(f"virtuoso-t exited; log: {self.log_tail()}")
            probe = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", "exec=select 1;"],
                                   capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
            if probe.returncode == 0:
                break
            if time.perf_counter() > deadline:
                raise Failed(f"its SQL port did not open within 120 s; log: {self.log_tail()}")
            time.sleep(0.5)
        # A fresh database's dba password is "dba"; it listens on 127.0.0.1 only and is deleted afterwards.
        output = self.run_step([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={script}"], self.load_timeout)
        errors = re.search(r"LOADERRORS\s+(\d+)", output)
        if "*** Error" in output or not errors or errors.group(1) != "0":
            raise Failed(f"loading failed: {output.strip()[-400:]}")


class RdflibEndpoint(Server):
    """rdflib-endpoint (the Python baseline): rdflib's in-memory store and SPARQL engine."""

    path = "/"

    def launch(self) -> None:
        self.port = free_port()
        self.version = _package_version("rdflib-endpoint")
        self.spawn([str(BIN / "rdflib-endpoint"), "serve", str(self.data), "--host", "127.0.0.1", "--port", str(self.port)])


# The floor of issue 12's per-request target: FastAPI and uvicorn (as mcfkg uses them) answering from
# pyoxigraph in the same process, with none of mcfkg's safety (worker processes, limits, checks).
FLOOR_APP = """
import sys
import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI, Request, Response

store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
app = FastAPI()

@app.get("/sparql")
def sparql(request: Request) -> Response:
    answer = store.query(request.query_params["query"], use_default_graph_as_union=True)
    return Response(answer.serialize(format=ox.QueryResultsFormat.JSON), media_type="application/sparql-results+json")

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), access_log=False, log_level="warning")
"""


class FastapiFloor(Server):
    """A bare FastAPI app over in-process pyoxigraph (``FLOOR_APP``): what mcfkg's request path costs beyond it."""

    def launch(self) -> None:
        self.port = free_port()
        self.version = f"fastapi {_package_version('fastapi')}, pyoxigraph {_package_version('pyoxigraph')}"
        self.spawn([sys.executable, "-c", FLOOR_APP, str(self.data), str(self.port)])


KINDS: dict[str, type[Server]] = {"mcfkg": Mcfkg, "mcfkg-disk": Mcfkg, "oxigraph": Oxigraph, "virtuoso": Virtuoso,
                                  "rdflib-endpoint": RdflibEndpoint, "fastapi-floor": FastapiFloor}


def _package_version(name: str) -> str:
    try:
        return f"{name} {version(name)}"
    except PackageNotFoundError:
        return f"{name} (not installed)"


def _git_revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(BENCH), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(BENCH), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return f" (git {rev}{', with uncommitted changes' if dirty else ''})" if rev else ""


# --- answers -----------------------------------------------------------------------------------

def ask(server: Server, text: str, timeout: float) -> tuple:
    response = httpx.get(server.url, params={"query": text}, headers={"Accept": JSON_RESULTS}, timeout=timeout)
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return canonical(response.content)


@dataclass
class Check:
    """One query's answers compared across systems: per system "same", the difference, or the error."""

    size: str  # rows (summed over the checked IRIs for the lookup), or the boolean
    verdicts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v == "same" for v in self.verdicts.values())


def check_answers(servers: list[Server], query: Query, iris: list[str], reference: str, timeout: float) -> Check:
    texts = [query.text.replace("{{IRI}}", iri) for iri in iris] if query.varies else [query.text]
    answers: dict[str, list[tuple] | str] = {}
    for server in servers:
        try:
            answers[server.name] = [ask(server, text, timeout) for text in texts]
        except (RuntimeError, httpx.HTTPError, ValueError, KeyError) as exc:
            answers[server.name] = f"error: {type(exc).__name__}: {str(exc)[:200]}"
    ref = answers.get(reference)
    if not isinstance(ref, list):  # the reference failed: compare with the first system that answered
        ref = next((a for a in answers.values() if isinstance(a, list)), None)
    if ref is None:
        return Check("?", {name: str(a) for name, a in answers.items()})
    if ref[0][0] == "boolean":
        size = ", ".join(sorted({size_of(a) for a in ref}))
    else:
        size = str(sum(len(a[1]) for a in ref))
    check = Check(size)
    for name, mine in answers.items():
        if isinstance(mine, str):
            check.verdicts[name] = mine
        elif mine == ref:
            check.verdicts[name] = "same"
        else:
            diffs = [(t, difference(a, r)) for t, a, r in zip(texts, mine, ref) if a != r]
            where = f" (for {len(diffs)} of {len(texts)} IRIs, e.g. {diffs[0][0][-60:]})" if query.varies else ""
            check.verdicts[name] = f"DIFFERS{where}: {diffs[0][1]}"
    return check


# --- load --------------------------------------------------------------------------------------

@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def wrk(url: str, template: Path, iri_file: Path | None, connections: int, threads: int, duration: float) -> Run:
    argv = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{duration:g}s", "--latency",
            "--timeout", "30s", "-s", str(LUA), url, "--", str(template)] + ([str(iri_file)] if iri_file else [])
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 90)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("JSON ")), None)
    if done.returncode or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {(done.stderr or done.stdout)[-300:]}")
    r = json.loads(line[5:])
    errors = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"] + r["timeouts"]
    ok = r["requests"] - r["status_errors"]  # wrk counts a non-2xx/3xx answer as a request and a status error
    if not r["requests"]:  # nothing finished within the run: no latency to report
        return Run(0.0, math.nan, math.nan, 0, errors)
    return Run(ok / (r["duration_us"] / 1e6), r["p50_us"] / 1000, r["p99_us"] / 1000, r["requests"], errors)


@dataclass
class Summary:
    """The median over rounds of one system on one query; ``runs`` keeps every round."""

    runs: list[Run]

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.runs)

    @property
    def p50(self) -> float:  # over the runs in which some request finished
        return statistics.median([r.p50_ms for r in self.runs if r.requests] or [math.nan])

    @property
    def p99(self) -> float:
        return statistics.median([r.p99_ms for r in self.runs if r.requests] or [math.nan])

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def spread(self) -> str:
        low, high = min(r.rps for r in self.runs), max(r.rps for r in self.runs)
        return f"{rate(low)}-{rate(high)}" if len(self.runs) > 1 else ""


def rate(rps: float) -> str:
    return f"{rps:,.0f}" if rps >= 10 else f"{rps:.1f}"


def ms(value: float, digits: int = 2) -> str:
    return "—" if math.isnan(value) else f"{value:,.{digits}f}"


def interleaved(servers: list[Server], template: Path, iri_file: Path | None, connections: int, threads: int,
                duration: float, rounds: int, label: str, peaks: dict[str, Memory]) -> dict[str, Summary]:
    """``rounds`` runs per system, round by round, the systems' order rotated each round. Each system's
    memory is read as each run ends, and the largest kept in ``peaks``."""
    runs: dict[str, list[Run]] = {s.name: [] for s in servers}
    for r in range(rounds):
        order = servers[r % len(servers):] + servers[:r % len(servers)]
        for server in order:
            if server.proc is None or server.proc.poll() is not None:
                continue
            try:
                run = wrk(server.url, template, iri_file, connections, threads, duration)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                print(f"  {label} / {server.name}: {exc}", file=sys.stderr)
                server.settle()
                continue
            runs[server.name].append(run)
            m = server.memory()
            if m and (server.name not in peaks or m.rss_mb > peaks[server.name].rss_mb):
                peaks[server.name] = m
            if not server.settle():
                print(f"  {server.name} still busy 120 s after the run", file=sys.stderr)
            print(f"  {label} / {server.name}, round {r + 1}: {rate(run.rps)} req/s, p50 {ms(run.p50_ms)} ms, "
                  f"p99 {ms(run.p99_ms)} ms, {run.errors} errors", file=sys.stderr)
    return {name: Summary(rs) for name, rs in runs.items() if rs}


# --- one size ----------------------------------------------------------------------------------

@dataclass
class SizeResult:
    label: str
    triples: int
    systems: list[str]
    failed: dict[str, str]
    versions: dict[str, str]
    startup: dict[str, float]
    checks: dict[str, Check]
    load: dict[str, dict[str, Summary]]
    overhead: dict[str, Summary]
    memory_loaded: dict[str, Memory]
    memory_peak: dict[str, Memory]
    memory_after: dict[str, Memory]
    lookup_iris: int


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def bench_size(label: str, args: argparse.Namespace, vocab: Vocab, tmp: Path) -> SizeResult:
    work = tmp / label
    data = work / "data" / "synthetic.nq"
    print(f"\n== {label}: generating the data", file=sys.stderr)
    sample = generate(parse_size(label), data, vocab, args.seed)
    iris = lookup_iris(data, str(vocab.ID), args.iris, args.seed)
    iri_file = work / "iris.txt"
    iri_file.write_text("\n".join(iris) + "\n")
    mix = queries(vocab, sample)
    templates = {}
    for n, q in enumerate(mix):
        templates[q.name] = work / f"query-{n}.rq"
        templates[q.name].write_text(q.text)

    names = [n for n in args.systems.split(",") if n]
    servers: list[Server] = []
    created: list[Server] = []
    failed: dict[str, str] = {}
    startup: dict[str, float] = {}
    memory_loaded: dict[str, Memory] = {}
    memory_peak: dict[str, Memory] = {}
    memory_after: dict[str, Memory] = {}
    try:
        for name in names:
            server = KINDS[name](name, work, data, args.mem_limit_bytes, args.load_timeout, args)
            created.append(server)
            print(f"== {label}: starting {name}", file=sys.stderr)
            try:
                server.start()
            except (Failed, OSError, subprocess.SubprocessError) as exc:
                failed[name] = str(exc)
                print(f"  {name} skipped: {exc}", file=sys.stderr)
                server.stop()
                continue
            servers.append(server)
            startup[name] = server.startup_s
            print(f"  {name} answers after {server.startup_s:.1f} s", file=sys.stderr)
        reference = "oxigraph" if any(s.name == "oxigraph" for s in servers) else (servers[0].name if servers else "")
        print(f"== {label}: comparing answers (reference: {reference})", file=sys.stderr)
        checks = {q.name: check_answers(servers, q, iris[:args.check_iris], reference, args.check_timeout) for q in mix}
        for name, c in checks.items():
            print(f"  {name}: {c.size}; " + ", ".join(f"{s} {v}" for s, v in c.verdicts.items()), file=sys.stderr)
        for server in servers:
            server.settle()
            m = server.memory()
            if m:
                memory_loaded[server.name] = m
        load: dict[str, dict[str, Summary]] = {}
        for q in mix:
            if q.timed:
                print(f"== {label}: {q.name}, {args.connections} connections", file=sys.stderr)
                load[q.name] = interleaved(servers, templates[q.name], iri_file if q.varies else None, args.connections,
                                           args.threads, args.duration, args.rounds, q.name,
                                           memory_peak)
        print(f"== {label}: ASK {{}} on one connection", file=sys.stderr)
        overhead = interleaved(servers, templates[ASK], None, 1, 1, args.duration, args.rounds, "ASK {}, 1 connection",
                               memory_peak)
        for server in servers:
            m = server.memory()
            if m:
                memory_after[server.name] = m
    finally:
        for server in created:
            server.stop()
            if server.log.exists():  # the end of it: mcfkg and rdflib-endpoint log every request
                (RESULTS_DIR / f"serving-{label}-{server.name}.log").write_bytes(server.log.read_bytes()[-200_000:])
    return SizeResult(label, sample.triples, [s.name for s in servers], failed,
                      {s.name: s.version for s in servers}, startup, checks, load, overhead, memory_loaded,
                      memory_peak, memory_after, len(iris))


# --- report ------------------------------------------------------------------------------------

def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


def ratio_table(result: SizeResult, base: str, others: list[str]) -> list[str]:
    """req/s of ``base`` over each other system, per query, then their median and geometric mean."""
    others = [o for o in others if o != base and o in result.systems]
    if base not in result.systems or not others:
        return []
    lines = ["| query | " + " | ".join(f"{base} / {o}" for o in others) + " |", "|---|" + "---|" * len(others)]
    ratios: dict[str, list[float]] = {o: [] for o in others}
    for query, by_system in result.load.items():
        cells = []
        for o in others:
            if base in by_system and o in by_system and by_system[o].rps > 0 and by_system[base].rps > 0:
                r = by_system[base].rps / by_system[o].rps
                ratios[o].append(r)
                cells.append(f"{r:.2f}")
            else:
                cells.append("—")
        lines.append(f"| {query} | " + " | ".join(cells) + " |")
    lines.append("| **median** | " + " | ".join(f"**{statistics.median(ratios[o]):.2f}**" if ratios[o] else "—"
                                                for o in others) + " |")
    lines.append("| **geometric mean** | " + " | ".join(f"**{geomean(ratios[o]):.2f}**" if ratios[o] else "—"
                                                        for o in others) + " |")
    return lines


def render_size(result: SizeResult, args: argparse.Namespace) -> str:
    systems = result.systems
    out = [f"## {result.label}: {result.triples:,} triples", ""]
    for name, why in result.failed.items():
        out.append(f"- **{name} not measured**: {why}")
    out += [f"- {name}: {result.versions.get(name, '')}; answered {result.startup[name]:.1f} s after start "
            "(load included)" for name in systems]
    out += ["", f"### Answers, compared by content before timing (reference: "
            f"{'oxigraph' if 'oxigraph' in systems else systems[0] if systems else '—'})", "",
            "| query | timed | rows | " + " | ".join(systems) + " |", "|---|---|---|" + "---|" * len(systems)]
    for name, check in result.checks.items():
        timed = "yes" if name in result.load else "no"
        label = f"{name} ({args.check_iris} IRIs)" if name.startswith("lookup") else name
        out.append(f"| {label} | {timed} | {check.size} | " + " | ".join(
            check.verdicts.get(s, "—").replace("|", "\\|") for s in systems) + " |")
    bad = [n for n, c in result.checks.items() if not c.ok]
    out += ["", f"**Mismatches: {', '.join(bad)}.**" if bad else "All answers agree.", ""]
    out += [f"### Load: wrk, {args.connections} connections, {args.threads} thread(s), {args.duration:g} s per run, "
            f"median of {args.rounds} round(s)", "",
            "| query | system | req/s | req/s range | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|"]
    for query, by_system in result.load.items():
        for name in systems:
            s = by_system.get(name)
            if s:
                out.append(f"| {query} | {name} | {rate(s.rps)} | {s.spread} | {ms(s.p50)} | {ms(s.p99)} | {s.errors} |")
            else:
                out.append(f"| {query} | {name} | — | | | | |")
    for base in [s for s in systems if s.startswith("mcfkg")]:
        out += ["", f"### Ratios of requests per second, {base}", ""]
        out += ratio_table(result, base, [s for s in systems if not s.startswith("mcfkg")])
    out += ["", f"The median and geometric mean are over the timed queries above, `ASK {{}}` ({args.connections} "
            "connections) included.",
            "", "### Per request: `ASK {}` on one connection", "", "| system | p50 ms | p99 ms | req/s |", "|---|---|---|---|"]
    for name in systems:
        s = result.overhead.get(name)
        out.append(f"| {name} | {ms(s.p50, 3)} | {ms(s.p99, 3)} | {rate(s.rps)} |" if s else f"| {name} | — | — | — |")
    floor = result.overhead.get("fastapi-floor")
    for name in [s for s in systems if s.startswith("mcfkg") and s in result.overhead]:
        if floor and floor.p50 > 0:
            out += ["", f"{name} p50 / fastapi-floor p50: **{result.overhead[name].p50 / floor.p50:.2f}** "
                        "(issue 12's target: at most 1.5)"]
    out += ["", "### Memory (summed over each system's process tree, from /proc)", "",
            "Processes, RSS MB and PSS MB: after load (data loaded, answers checked), at the peak (the largest "
            "RSS read as a run ended: a pool that grows under load shows here) and at the end (after the "
            "one-connection runs). RSS counts a page shared by forked processes once in each of them (the "
            "figure of issue 12); PSS shares it out among them.", "",
            "| system | after load | peak | at the end |", "|---|---|---|---|"]
    for name in systems:
        cells = [f"{m.processes} proc, RSS {m.rss_mb:.0f}, PSS {m.pss_mb:.0f}" if m else "—" for m in
                 (result.memory_loaded.get(name), result.memory_peak.get(name), result.memory_after.get(name))]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def render(results: list[SizeResult], args: argparse.Namespace, meta: dict[str, str]) -> str:
    head = [f"# Serving benchmark, {meta.pop('date')}", ""] + [f"- {k}: {v}" for k, v in meta.items()] + [""]
    return "\n".join(head) + "\n" + "\n".join(render_size(r, args) for r in results)


def plot(results: list[SizeResult], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return False
    fig, axes = plt.subplots(len(results), 3, figsize=(17, 4 * len(results)), squeeze=False,
                             gridspec_kw={"width_ratios": [3, 3, 1.4]})
    for row, result in zip(axes, results):
        queries_ = list(result.load)
        systems = result.systems
        width = 0.8 / max(len(systems), 1)
        for i, name in enumerate(systems):
            xs = [q + (i - (len(systems) - 1) / 2) * width for q in range(len(queries_))]
            rps = [result.load[q][name].rps if name in result.load[q] else 0 for q in queries_]
            p99 = [result.load[q][name].p99 if name in result.load[q] else 0 for q in queries_]
            row[0].bar(xs, rps, width, label=name)
            row[1].bar(xs, p99, width, label=name)
        for ax, title in ((row[0], "requests/s (higher is better)"), (row[1], "p99 latency, ms (lower is better)")):
            ax.set_yscale("log")
            ax.set_xticks(range(len(queries_)), queries_, fontsize=8)
            ax.set_title(f"{result.label} ({result.triples:,} triples): {title}", fontsize=10)
            ax.grid(axis="y", alpha=0.3)
        row[0].legend(fontsize=8)
        after = [result.memory_peak.get(n) for n in systems]
        row[2].bar(range(len(systems)), [m.rss_mb if m else 0 for m in after], 0.6, color="lightgray", label="RSS sum")
        row[2].bar(range(len(systems)), [m.pss_mb if m else 0 for m in after], 0.35, color="dimgray", label="PSS sum")
        row[2].set_xticks(range(len(systems)), systems, fontsize=8, rotation=30)
        row[2].set_title("memory at the peak, MB", fontsize=10)
        row[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def raw(results: list[SizeResult]) -> dict:
    def summary(s: Summary) -> dict:
        return {"runs": [r.__dict__ for r in s.runs], "rps": s.rps, "p50_ms": s.p50, "p99_ms": s.p99}

    return {r.label: {
        "triples": r.triples, "systems": r.systems, "failed": r.failed, "versions": r.versions, "startup_s": r.startup,
        "checks": {q: {"size": c.size, **c.verdicts} for q, c in r.checks.items()},
        "load": {q: {n: summary(s) for n, s in by.items()} for q, by in r.load.items()},
        "ask_one_connection": {n: summary(s) for n, s in r.overhead.items()},
        "memory_after_load": {n: m.__dict__ for n, m in r.memory_loaded.items()},
        "memory_peak": {n: m.__dict__ for n, m in r.memory_peak.items()},
        "memory_at_end": {n: m.__dict__ for n, m in r.memory_after.items()},
    } for r in results}


# --- main --------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated graph sizes in triples, e.g. 100k,1m")
    parser.add_argument("--systems", default="mcfkg,oxigraph,virtuoso",
                        help=f"comma-separated, from {', '.join(ALL_SYSTEMS)} (mcfkg-disk: mcfkg serve --store; "
                             "fastapi-floor: a bare FastAPI app over pyoxigraph, the floor of the per-request cost)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (concurrent requests)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1 leaves the other cores to the servers)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per system and query, interleaved")
    parser.add_argument("--iris", type=int, default=1000, help="IRIs the lookup picks from at random")
    parser.add_argument("--check-iris", type=int, default=20, help="of those, how many are compared on every system")
    parser.add_argument("--check-timeout", type=float, default=120.0, help="seconds one answer may take in the check")
    parser.add_argument("--seed", type=int, default=7, help="RNG seed of the data and of the IRI list")
    parser.add_argument("--mem-limit", type=float, default=8.0, help="address-space limit of each server process, GiB")
    parser.add_argument("--load-timeout", type=float, default=1800.0, help="seconds a system may take to load and answer")
    parser.add_argument("--virtuoso-buffers", type=int, default=100_000,
                        help="Virtuoso NumberOfBuffers (8 kB pages; 100000: about 800 MB at most)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.systems.split(",") if n and n not in KINDS]
    if unknown:
        parser.error(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(ALL_SYSTEMS)}")
    if args.connections < 1 or args.rounds < 1 or args.duration <= 0:
        parser.error("--connections, --rounds and --duration must be positive")
    args.mem_limit_bytes = int(args.mem_limit * 2**30)
    return args


def main(argv: list[str] | None = None) -> str:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # stop the servers on the way out
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if not shutil.which("prlimit"):
        sys.exit("prlimit is missing (util-linux)")
    vocab = Vocab(Settings.from_env().base_iri)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc)
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" Copyright")[0].strip()
    meta = {
        "date": stamp.strftime("%Y-%m-%d %H:%M UTC"),
        "command": "`" + " ".join([".venv/bin/python bench/serving.py", *(argv if argv is not None else sys.argv[1:])]) + "`",
        "machine": f"{os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.2f}",
        "client": f"{wrk_version}, bench/wrk/sparql.lua: HTTP GET ?query=, Accept {JSON_RESULTS}, no compression; "
                  "closed loop (latency is that of the requests sent, not of a fixed arrival rate)",
        "data": f"bench/synthetic.py, seed {args.seed}, one N-Quads file loaded by every system",
        "lookup": f"`SELECT ?p ?o WHERE {{ <IRI> ?p ?o }}`, IRI picked per request from {args.iris} subjects of our namespace",
        "default graph": "the union of the named graphs on every system (mcfkg: its default; Oxigraph: "
                         "--union-default-graph; Virtuoso: no FROM reads all graphs)",
        "limits": f"each server process under prlimit --as={args.mem_limit:g} GiB; Virtuoso NumberOfBuffers "
                  f"{args.virtuoso_buffers}, HTTP threads max(connections + 8, 16), no query time limit",
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="mcfkg-bench-serving-") as tmp:
        for label in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            results.append(bench_size(label, args, vocab, Path(tmp)))
            shutil.rmtree(Path(tmp) / label, ignore_errors=True)
    meta["machine"] += f", at end {os.getloadavg()[0]:.2f}"
    name = f"serving-{stamp:%Y%m%dT%H%M%S}"
    picture = RESULTS_DIR / f"{name}.png"
    report = render(results, args, meta)
    if plot(results, picture):
        report += f"\n![requests per second and p99 latency]({picture.name})\n"
    (RESULTS_DIR / f"{name}.md").write_text(report)
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(raw(results), indent=1, default=str))
    print(report)
    print(f"saved to {RESULTS_DIR / name}.md, .png and .json")
    return report


if __name__ == "__main__":
    main()
