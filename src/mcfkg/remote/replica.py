"""A read-only remote store: ``--store sparql+http://QUERY`` without an UPDATE URL.

Some stores take no SPARQL update: QLever builds its index offline, and a cluster's reader
endpoint answers queries only. mcfkg then serves what the store holds and writes nothing: it
never takes a build into it (at start and at each new build of dist/ it only reports whether the
store holds that build: the downloads still come from dist/), and every write is refused (403)
saying where to write instead.

The store must hold what a sync would have written: the build's graphs, the union graph that
mcfkg's queries read as their default graph, and the build record (``build_sync.RECORD_GRAPH``),
which tells which build the store holds and which graphs are the build's. A writable store filled
by ``mcfkg serve`` holds all three; so does the file ``python -m mcfkg.remote.replica OUT.nq``
writes from dist/mcfkg.nq, to load a store offline (QLever's index builder, ``oxigraph load``).
A store loaded straight from dist/mcfkg.nq lacks the union graph, and mcfkg refuses to serve it
rather than answer every query with nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from mcfkg.remote import build_sync
from mcfkg.remote.client import SparqlClient
from mcfkg.sparql.execute import Limits
from mcfkg.sparql.model import StoreUnavailable

LOAD_FILE = "python -m mcfkg.remote.replica FILE.nq"


def refusal(query_url: str) -> str:
    """Why a write to the read-only store at ``query_url`` is refused, and where to write instead."""
    return (f"this server reads a read-only store ({query_url}: --store names no update URL), so it changes nothing "
            "there: not the build's graphs, not a source, not a graph of your own. Write through the mcfkg server "
            "whose --store also names the store's update URL (sparql+http://QUERY,sparql+http://UPDATE); for a store "
            f"loaded offline (QLever), change data/, run `mcfkg build` and load the store again from `{LOAD_FILE}`. "
            "Nothing was changed.")


def compare(client: SparqlClient, build_path: Path, limits: Limits, union_held: bool) -> str:
    """What the read-only store holds, against the build at ``build_path``, for the log; StoreUnavailable,
    saying how to load the store, when it lacks the union graph (``union_held`` False)."""
    union = limits.union_graph
    if union and not union_held:
        raise StoreUnavailable(
            f"the read-only store at {client.endpoint.query_url} holds no graph <{union}>, the union of the build's "
            "graphs that mcfkg's queries read as their default graph (a store loaded straight from dist/mcfkg.nq "
            f"lacks it). Load the store from the file `{LOAD_FILE}` writes (the build, its union graph and its "
            "record), or from a writable store that `mcfkg serve --store sparql+http://QUERY,sparql+http://UPDATE` "
            "filled")
    record = build_sync.read_record(client)
    if not record:
        return f"it holds no build record, so which build it holds is unknown (load it from `{LOAD_FILE}` to know)"
    _, built = build_sync.read_build(build_path, limits)
    differ = [graph for graph in sorted({*built, *record}) if built.get(graph) != record.get(graph)]
    if not differ:
        return f"it holds this build ({len(record)} graphs)"
    return (f"it holds another build than dist/ ({len(differ)} graph(s) differ, e.g. <{differ[0]}>): queries and pages "
            "answer from the store, downloads from dist/")


def write_load_file(build_path: Path, out: Path, limits: Limits) -> int:
    """Write to ``out`` (N-Quads) what a read-only store is loaded from: every quad a sync of the build at
    ``build_path`` writes (its graphs, the union graph, the record); the number of quads."""
    build, record = build_sync.read_build(build_path, limits)
    temp = out.with_name(f".{out.name}.tmp")
    count = 0
    with open(temp, "wb") as stream:
        for graph, lines in sorted(build.graphs.items()):
            name = ox.NamedNode(graph)
            quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)]
            ox.serialize(quads, stream, format=ox.RdfFormat.N_QUADS)
            count += len(quads)
        entries = build_sync.record_quads(record)
        ox.serialize(entries, stream, format=ox.RdfFormat.N_QUADS)
    temp.replace(out)
    return count + len(entries)


def main(arguments: list[str]) -> int:
    """``python -m mcfkg.remote.replica OUT.nq``: the load file of dist/mcfkg.nq, for the settings of
    ``mcfkg serve`` (``MCFKG_DIST_DIR``, ``MCFKG_BASE_IRI``)."""
    from mcfkg.config import Settings
    from mcfkg.dist import dump_path
    from mcfkg.store import query_limits

    if len(arguments) != 1 or not arguments[0].endswith(".nq"):
        print(f"usage: {LOAD_FILE}: writes the build of dist/ (MCFKG_DIST_DIR), with its union graph and build "
              "record, as N-Quads to load a read-only store with", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    build = dump_path(settings)
    if not build.is_file():
        print(f"{build} does not exist; run `mcfkg build` first", file=sys.stderr)
        return 1
    count = write_load_file(build, Path(arguments[0]), query_limits(settings))
    print(f"wrote {count} quads to {arguments[0]}: load them into the store, then "
          "`mcfkg serve --store sparql+http://HOST:PORT/QUERY_PATH` (no update URL: read-only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
