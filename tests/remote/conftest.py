"""The remote SPARQL servers, one of each kind per test session (starting Virtuoso takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from remote_servers import STARTERS, RunningServer


@pytest.fixture(scope="session", params=sorted(STARTERS))
def remote_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    yield server
    server.stop()
