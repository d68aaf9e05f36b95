"""The layer under the SERVICE check that does not read queries: the store's processes have no network.

The check reads a query with rdflib's parser; Oxigraph runs it with its own, and the two disagree
on escapes, comments and more. So whatever the check says, the store process and every process it
starts live in a network namespace of their own with only a downed loopback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from faultkit import start_live_server

pytestmark = pytest.mark.skipif(os.geteuid() != 0 and not Path("/proc/self/ns/user").exists(),
                                reason="needs network namespaces")


def _namespace(pid: int | str) -> str:
    return os.readlink(f"/proc/{pid}/ns/net")


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


@pytest.mark.parametrize("allowlist", [(), ("http://127.0.0.1:9/sparql",)], ids=["default", "allow-listed"])
def test_the_store_and_its_workers_have_a_network_namespace_of_their_own(allowlist: tuple[str, ...],
                                                                        tmp_path: Path) -> None:
    live: Any = start_live_server(service_allowlist=allowlist)
    try:
        store = live.store._engine._process.pid
        workers = _children(store)
        assert workers
        ours = _namespace("self")
        assert _namespace(store) != ours
        assert all(_namespace(worker) == _namespace(store) for worker in workers)
        net_dev = Path(f"/proc/{store}/net/dev").read_text().splitlines()[2:]
        assert [line.split(":")[0].strip() for line in net_dev] == ["lo"]
    finally:
        live.stop()
