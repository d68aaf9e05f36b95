"""The SPARQL reads of the shapes kept in a file between ingests (mcfkg.incremental.reach.shape_reach with a cache)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from mcfkg.build import load_shapes
from mcfkg.config import Settings
from mcfkg.incremental import query_reach
from mcfkg.incremental.reach import shape_reach


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(Settings())


def _no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a query that is not in the cache fails the test."""
    query_reach.query_reach.cache_clear()

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a SPARQL query was parsed again")

    monkeypatch.setattr(query_reach, "prepareQuery", refuse)


def test_the_reads_of_the_queries_come_back_from_the_cache(shapes: Graph, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "shape-reach.json"
    first = shape_reach(shapes, cache)
    assert cache.is_file()
    _no_parser(monkeypatch)
    assert shape_reach(shapes, cache) == first


def test_an_unreadable_cache_is_written_again(shapes: Graph, tmp_path: Path) -> None:
    cache = tmp_path / "shape-reach.json"
    cache.write_text("{not json")
    expected = shape_reach(shapes)
    assert shape_reach(shapes, cache) == expected
    assert shape_reach(shapes, cache) == expected
    assert cache.read_text().startswith("{\"")


def test_a_changed_query_is_parsed_and_a_query_gone_is_dropped(shapes: Graph, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "shape-reach.json"
    shape_reach(shapes, cache)
    kept = cache.read_text()
    fewer = Graph() + shapes
    fewer.update("PREFIX sh: <http://www.w3.org/ns/shacl#> DELETE { ?s sh:sparql ?c } WHERE { ?s sh:sparql ?c }")
    shape_reach(fewer, cache)
    assert len(cache.read_text()) < len(kept)  # the file holds the queries of the last run only
    _no_parser(monkeypatch)
    with pytest.raises(AssertionError, match="parsed again"):
        shape_reach(shapes, cache)
