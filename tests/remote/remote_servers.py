"""Real SPARQL servers on 127.0.0.1 for the remote-store tests, each started here on free ports in a
temporary folder: the Oxigraph server (PyPI ``oxigraph``) and Virtuoso (Debian ``virtuoso-opensource``,
installed by ``make remote-stores``). A server that cannot start fails the test with its log."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from live_mcfkg import free_port
from mcfkg.config import Settings
from mcfkg.remote import build_sync

VIRTUOSO_PASSWORD = "mcfkg-test-dba"
START_TIMEOUT_S = 120.0
# Virtuoso's own SPARQL limits must not cut answers before mcfkg's (max_result_rows): it cuts silently.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@dataclass
class RunningServer:
    """A SPARQL server this suite started: how mcfkg reaches it, and its process and log."""

    name: str
    query_url: str
    update_url: str
    process: subprocess.Popen
    log: Path
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    timeout_parameter: str = ""
    lists_graphs: bool = True  # see Settings.store_lists_graphs

    def settings(self, **overrides: object) -> Settings:
        """Settings for a RemoteStore over this server (client updates on, a 10 s query limit) with ``overrides``."""
        values: dict[str, object] = dict(store_url=self.store_url, store_user=self.user, store_password=self.password,
                                         store_auth=self.auth, store_timeout_parameter=self.timeout_parameter,
                                             store_lists_graphs=self.lists_graphs, store_client_updates=True,
                                         query_timeout_s=10.0)
        return Settings(**{**values, **overrides})  # type: ignore[arg-type]

    def emptied(self) -> None:
        """Drop every graph mcfkg may see, and the build record, so a test starts from nothing."""
        from mcfkg.remote.store import RemoteStore

        store = RemoteStore(self.settings(store_lists_graphs=True))  # a scan: small test data
        try:
            for graph in [*store.graph_names(), build_sync.RECORD_GRAPH, build_sync.CLIENT_GRAPHS]:
                store.client.update(f"DROP SILENT GRAPH <{graph}>")
        finally:
            store.close()

    @property
    def store_url(self) -> str:
        """The ``--store`` value naming it."""
        return f"sparql+{self.query_url},sparql+{self.update_url}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)


def _log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no log)"


def _wait_until_answering(server: RunningServer) -> RunningServer:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited with status {server.process.returncode}; its log:\n{_log_tail(server.log)}")
        try:
            answer = httpx.post(server.query_url, data={"query": "ASK {}"}, timeout=5,
                                headers={"Accept": "application/sparql-results+json"})
            if answer.status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"{server.name} did not answer within {START_TIMEOUT_S:g} s; its log:\n{_log_tail(server.log)}")
        time.sleep(0.3)


def start_oxigraph(folder: Path) -> RunningServer:
    """``oxigraph serve`` on a free port, its database in ``folder``."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.fail(f"{binary} is missing: install the test extras (pip install -e '.[test]'), which bring oxigraph")
    port, log = free_port(), folder / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(binary), "serve", "--location", str(folder / "db"),
                                    "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=out)
    root = f"http://127.0.0.1:{port}"
    return _wait_until_answering(RunningServer("the Oxigraph server", f"{root}/query", f"{root}/update", process, log))


def start_virtuoso(folder: Path) -> RunningServer:
    """``virtuoso-t +foreground`` with a configuration of its own (ports, database in ``folder``); the dba
    password is then changed from the fresh database's default, and updates go to /sparql-auth (digest)."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.fail("virtuoso-t is not installed: run `make remote-stores` (apt-get install virtuoso-opensource)")
    db = folder / "db"
    db.mkdir()
    sql_port, http_port, log = free_port(), free_port(), folder / "virtuoso.log"
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port))
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out, stderr=out)
    root = f"http://127.0.0.1:{http_port}"
    server = _wait_until_answering(RunningServer("Virtuoso", f"{root}/sparql", f"{root}/sparql-auth", process, log,
                                                 "dba", VIRTUOSO_PASSWORD, "digest", "timeout", lists_graphs=False))
    isql = shutil.which("isql-vt") or shutil.which("isql")
    changed = subprocess.run([str(isql), str(sql_port), "dba", "dba",
                              f"exec=USER_SET_PASSWORD('dba', '{VIRTUOSO_PASSWORD}');"],
                             capture_output=True, text=True, timeout=60)
    if changed.returncode != 0 or "Error" in changed.stdout + changed.stderr:
        server.stop()
        pytest.fail(f"could not set Virtuoso's dba password: {changed.stdout}{changed.stderr}\n{_log_tail(log)}")
    return server


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
