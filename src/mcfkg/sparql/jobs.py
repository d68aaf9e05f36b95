"""What the store's processes do with the store: open it, and run one read or write job on it.

A job is a tuple naming the operation and its arguments, the form in which it crosses the
process boundary (see ``mcfkg.sparql.workers``); each runs one function of ``execute``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mcfkg.sparql import execute
from mcfkg.sparql.table import run_table
from mcfkg.xml_entities import REFUSAL, declares_entities


@dataclass(frozen=True)
class StoreSource:
    """Where the store's data comes from: an on-disk store directory and/or RDF files to load.

    ``files`` pairs a file with the graph its triples go into (None: the default graph; quad
    formats keep their own graphs). An on-disk store is loaded from the files only when empty.
    ``build`` is a build's N-Quads (``dist/mcfkg.nq``): the store is brought in step with it and
    its graphs are protected from other writes (``mcfkg.sparql.build_graphs``).
    """

    path: str | None = None
    files: tuple[tuple[str, str | None], ...] = ()
    build: str | None = None


def open_store(source: StoreSource) -> ox.Store:
    """The store described by ``source``, loaded. Raises OSError/SyntaxError with the file named."""
    if source.path:
        Path(source.path).mkdir(parents=True, exist_ok=True)  # RocksDB creates the last folder only
    store = ox.Store(source.path) if source.path else ox.Store()
    if source.path and len(store):
        return store  # a persistent store keeps what it has, including updates
    for file, graph in source.files:
        fmt = ox.RdfFormat.from_extension(Path(file).suffix.lstrip("."))
        if fmt is None:
            raise ValueError(f"{file}: unknown RDF file extension (use .nq, .trig, .ttl, .nt, .rdf, .jsonld)")
        if fmt == ox.RdfFormat.RDF_XML and declares_entities(Path(file).read_bytes()):
            raise SyntaxError(f"{file}: {REFUSAL}")
        try:  # load, not bulk_load: bulk loading leaves threads behind, and this process forks
            store.load(path=file, format=fmt, to_graph=execute.graph_node(graph))
        except SyntaxError as exc:
            raise SyntaxError(f"{file}: {exc}") from exc
    return store


def run_read(store: ox.Store, job: tuple, limits: execute.Limits) -> Any:
    name, *args = job
    if name == "query":
        text, formats, dataset = args
        return execute.run_query(store, text, formats, dataset, limits)
    if name == "table":  # the HTML results page: the first rows only
        text, dataset, max_rows = args
        return run_table(store, text, dataset, limits, max_rows)
    if name == "graphs":
        return execute.graph_names(store)
    if name == "dump":
        graph, media_type, prefixes = args
        return execute.dump(store, graph, media_type, limits, prefixes)
    raise ValueError(f"unknown read job {name}")


def run_write(store: ox.Store, job: tuple, limits: execute.Limits) -> Any:
    name, *args = job
    if name == "update":
        text, using, using_named, base_iri = args
        return execute.run_update(store, text, using, using_named, base_iri, limits)
    if name == "load":
        return execute.load(store, *args)
    if name == "drop":
        return execute.drop(store, *args)
    raise ValueError(f"unknown write job {name}")
