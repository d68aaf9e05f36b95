"""The build's graphs in the store: brought in step with ``dist/mcfkg.nq``, and kept from other writes.

The files under ``data/`` are the truth for sources; ``mcfkg build`` turns them into
``dist/mcfkg.nq``, and the store holds that build's graphs beside whatever clients write over
HTTP into other graphs. Two rules keep the two from drifting apart:

- **sync**: the store takes a build by replacing each graph whose content changed (and
  dropping each graph the build no longer has) in one transaction; a reader sees the old build
  or the new one, never a mix. An on-disk store records which graphs it took from which build
  (``RECORD``), so after a restart, or a build made while no server ran, only what changed is
  replaced, and a crash half-way through a sync is repaired by the next one;
- **protection**: a build graph changes only by a sync. Every other write that would change one
  is refused with nothing changed (``model.ProtectedGraph``): uploads and drops by the graph they
  name, SPARQL updates by comparing the build graphs' digests before and after a trial run.
  The check reads what the engine wrote, not the update's text.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from mcfkg.sparql.execute import Limits

RECORD = "mcfkg-build.json"  # inside an on-disk store's directory; RocksDB leaves other files alone


def protected_message(graph: str) -> str:
    """Why a write to ``graph`` is refused, and what to do instead."""
    return (f"graph <{graph}> belongs to the build of data/ (a source, the ontology or the inferences) and changes "
            "only with it: ingest or retract the source (mcfkg ingest / mcfkg retract, or POST /sources and "
            "DELETE /sources/ID); write your own triples into another graph. Nothing was changed.")


@dataclass(frozen=True)
class BuildFile:
    """One build's named graphs, each as sorted N-Triples, with a digest per graph."""

    graphs: dict[str, bytes]

    @classmethod
    def read(cls, path: str | Path, union_graph: str | None = None, union_excludes: frozenset[str] = frozenset()
             ) -> BuildFile:
        """Parse an N-Quads build; ValueError if it puts triples in the default graph (the build never does).

        With ``union_graph``, that graph is added: the set union of every graph but ``union_excludes``
        (see ``execute.Limits.union_graph``). Blank node labels are the build file's, one per node
        across its graphs, so the union's blank nodes stay one node each within it.
        """
        groups: dict[str, list[ox.Triple]] = defaultdict(list)
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise ValueError(f"{path}: a build keeps every triple in a named graph; found {quad} in the default graph")
            groups[quad.graph_name.value].append(quad.triple)
        graphs = {}
        for name, triples in groups.items():
            lines = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").splitlines(keepends=True)
            graphs[name] = b"".join(sorted(lines))
        if union_graph:
            union = {line for name, lines in graphs.items() if name not in union_excludes
                     for line in lines.splitlines(keepends=True)}
            graphs[union_graph] = b"".join(sorted(union))
        return cls(graphs)

    def digest(self, graph: str) -> str:
        return hashlib.blake2b(self.graphs[graph], digest_size=16).hexdigest()


def read_record(store_path: str) -> dict[str, str | None]:
    """The build graphs an on-disk store took (graph -> digest; None: content unknown), {} if none."""
    try:
        return json.loads((Path(store_path) / RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _write_record(store_path: str, record: Mapping[str, str | None]) -> None:
    """Replace the record at once (temporary file, fsync, rename)."""
    target = Path(store_path) / RECORD
    temp = target.with_suffix(".tmp")
    with open(temp, "w", encoding="utf-8") as out:
        json.dump(record, out, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, target)


@dataclass(frozen=True)
class SyncReport:
    """What one sync changed: graphs replaced (new or changed) and dropped."""

    replaced: tuple[str, ...]
    dropped: tuple[str, ...]

    def __str__(self) -> str:
        return f"{len(self.replaced)} graph(s) replaced, {len(self.dropped)} dropped"


def sync(store: ox.Store, build_path: str, record: Mapping[str, str | None], store_path: str | None,
         union_graph: str | None = None, union_excludes: frozenset[str] = frozenset()
         ) -> tuple[SyncReport, dict[str, str | None]]:
    """Bring ``store`` in step with the build at ``build_path``; returns what changed and the new record.

    ``record`` is what the store took before (graph -> digest). On disk the record is first widened
    to every graph this sync may touch, marked unknown, so a crash before the transaction commits
    leaves a record that makes the next sync replace them all. ``union_graph`` is kept as the set
    union of the build's graphs but ``union_excludes`` (``BuildFile.read``).
    """
    build = BuildFile.read(build_path, union_graph, union_excludes)
    new: dict[str, str | None] = {graph: build.digest(graph) for graph in build.graphs}
    replaced = sorted(graph for graph, digest in new.items() if record.get(graph) != digest)
    dropped = sorted(set(record) - set(new))
    if store_path and (replaced or dropped):
        _write_record(store_path, {**record, **{graph: None for graph in (*replaced, *dropped)}})
    if not record and replaced and not dropped and len(store) == 0 and not union_graph:  # fresh: load, much faster
        store.load(path=str(build_path), format=ox.RdfFormat.N_QUADS)
    elif replaced or dropped:
        store.update(_replacement(build, replaced, dropped))
    if store_path and (replaced or dropped or read_record(store_path) != new):
        _write_record(store_path, new)
    return SyncReport(tuple(replaced), tuple(dropped)), new


def _replacement(build: BuildFile, replaced: list[str], dropped: list[str]) -> str:
    """One SPARQL update (Oxigraph runs it as one transaction) that drops and refills those graphs.

    One INSERT DATA for all graphs, so a blank node shared between graphs of the build stays one node.
    """
    parts = [f"DROP SILENT GRAPH {ox.NamedNode(graph)} ;" for graph in (*replaced, *dropped)]
    if replaced:
        blocks = (f"GRAPH {ox.NamedNode(graph)} {{\n{build.graphs[graph].decode()}}}" for graph in replaced)
        parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    else:
        parts[-1] = parts[-1].rstrip(" ;")
    return "\n".join(parts)


def digests(store: ox.Store, graphs: list[str] | set[str]) -> dict[str, str]:
    """Each graph's content digest as the store holds it: a hash over its quads' hashes in sorted order.

    (A sum of per-quad hashes would be cheaper, but crafted quads can cancel out in a sum.) Blank
    node labels are the store's own, so two digests compare only within one store and its copies
    (a forked process, a checkpoint): enough to tell whether a trial changed a graph.
    """
    result = {}
    for graph in graphs:
        hashes = sorted(hashlib.blake2b(str(quad).encode(), digest_size=16).digest()
                        for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        result[graph] = hashlib.blake2b(b"".join(hashes), digest_size=16).hexdigest()
    return result


def changed(store: ox.Store, protected: dict[str, str]) -> str | None:
    """The first build graph whose content differs from ``protected`` (graph -> digest), or None."""
    now = digests(store, set(protected))
    return next((graph for graph in sorted(protected) if now[graph] != protected[graph]), None)


def in_memory(build_path: str, limits: Limits) -> tuple[ox.Store, Limits]:
    """A new in-memory store holding the build (with its union graph), and ``limits`` that know its graphs."""
    store = ox.Store()
    _, record = sync(store, build_path, {}, None, limits.union_graph, limits.union_excludes)
    return store, replace(limits, build_graphs=frozenset(record))
