"""Taking a build into a remote store: only the graphs that changed, in one update where it fits.

As with the embedded store (``mcfkg.sparql.build_graphs``), each build graph whose content changed
is dropped and refilled and each graph the build no longer has is dropped, in one SPARQL update:
one request, which the store applies as one transaction, so readers see the old build or the new
one. What the store took is recorded *in the store*, in ``RECORD_GRAPH`` (graph -> digest of the
build's content), written by that same update: the record cannot disagree with the graphs, and
every mcfkg server sharing the store sees it (the first to notice a new build syncs it; the others
then find nothing to do). A store limits the size of one request (Virtuoso 7: 10 MB of text), so
past ``store_max_update_bytes`` the sync goes in several requests (``updates``): no longer one
transaction, but safe to cut short.

The fill is ``INSERT DATA`` in chunks of ``FILL_CHUNK_TRIPLES`` (Virtuoso 7 compiles one operation into
SQL and refuses it past 10,000 lines of that), but for the triples with blank nodes, which Virtuoso
refuses in INSERT DATA: those go into an ``INSERT { GRAPH ... } WHERE {}`` per graph (Virtuoso fails
on a template with blank nodes in two graphs and has no BNODE()). So a blank node the build shares
between two graphs becomes one node per graph in a remote store; within a graph (the union graph,
which queries read, included) it stays one node. The build's blank nodes today are the ontology's
RDF lists, in its one graph.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from mcfkg.remote.client import SparqlClient
from mcfkg.remote import results
from mcfkg.sparql.build_graphs import BuildFile, SyncReport
from mcfkg.sparql.execute import Limits

RECORD_GRAPH = "urn:mcfkg:build-record"
_DIGEST = ox.NamedNode("urn:mcfkg:digest")
# The graphs clients wrote with the Graph Store Protocol, noted by the same updates that write them.
CLIENT_GRAPHS = "urn:mcfkg:client-graphs"
_CLIENT_GRAPH = ox.NamedNode("urn:mcfkg:ClientGraph")
# The graphs mcfkg knows it wrote, without scanning the store.
KNOWN_GRAPHS = (f"SELECT ?g WHERE {{ {{ GRAPH <{RECORD_GRAPH}> {{ ?g {_DIGEST} ?digest }} }} UNION "
                f"{{ GRAPH <{CLIENT_GRAPHS}> {{ ?g a {_CLIENT_GRAPH} }} }} }}")
FILL_CHUNK_TRIPLES = 1000
# Operations in one request: Virtuoso compiles a request into one procedure, and refuses one with
# thousands of operations ("variables in state over the limit").
MAX_OPERATIONS = 200


def read_record(client: SparqlClient) -> dict[str, str]:
    """The build graphs the store holds (graph -> digest), {} for a store that never took a build."""
    answer = client.query(f"SELECT ?graph ?digest WHERE {{ GRAPH <{RECORD_GRAPH}> {{ ?graph {_DIGEST} ?digest }} }}",
                          results.RESULTS_ACCEPT)
    parsed = results.parse(answer)
    assert isinstance(parsed, ox.QuerySolutions), "a SELECT answers with solutions"
    return {row["graph"].value: row["digest"].value for row in parsed}


def read_build(build_path: Path | str, limits: Limits) -> tuple[BuildFile, dict[str, str]]:
    """The N-Quads build with its union graph, and the record of a store that holds it (graph -> digest)."""
    build = BuildFile.read(build_path, limits.union_graph, limits.union_excludes)
    return build, {graph: build.digest(graph) for graph in build.graphs}


def sync(client: SparqlClient, build_path: Path | str, limits: Limits, timeout_s: float, max_update_bytes: int,
         existing: frozenset[str]) -> tuple[SyncReport, frozenset[str]]:
    """Bring the store in step with the N-Quads build; what changed, and the build's graphs.

    ``existing``: the graphs the store holds; only those are dropped before they are filled (dropping
    thousands of absent graphs costs Virtuoso more than its transaction time limit).
    """
    build, new = read_build(build_path, limits)
    record = read_record(client)
    replaced = sorted(graph for graph, digest in new.items() if record.get(graph) != digest)
    dropped = sorted(set(record) - set(new))
    if replaced or dropped:
        present = [graph for graph in replaced if graph in existing or graph in record]
        for update in updates(build, present, replaced, dropped, record, new, max_update_bytes):
            client.update(update, timeout_s=timeout_s)
    return SyncReport(tuple(replaced), tuple(dropped)), frozenset(new)


def updates(build: BuildFile, present: list[str], replaced: list[str], dropped: list[str], old: dict[str, str],
            new: dict[str, str], max_update_bytes: int) -> list[str]:
    """The update requests of one sync (``present``: the replaced graphs the store holds, emptied first): one,
    or, past ``max_update_bytes`` or ``MAX_OPERATIONS``, several in a row.

    Several are not one transaction: the first widens the record to every graph the sync touches,
    marked unknown (an empty digest), so a sync cut short leaves a record that makes the next one
    replace them all; the last writes the new record.
    """
    operations = [f"DROP SILENT GRAPH {ox.NamedNode(graph)}" for graph in (*present, *dropped)]
    operations += _fills(build, replaced)
    whole = " ;\n".join([*operations, *_record(new)])
    if len(whole.encode()) <= max_update_bytes and len(operations) <= MAX_OPERATIONS:
        return [whole]
    requests = [" ;\n".join(_record({**old, **{graph: "" for graph in (*replaced, *dropped)}}))]
    batch: list[str] = []
    size = 0
    for operation in operations:
        if batch and (size + len(operation.encode()) > max_update_bytes or len(batch) >= MAX_OPERATIONS):
            requests.append(" ;\n".join(batch))
            batch, size = [], 0
        batch.append(operation)
        size += len(operation.encode()) + 3
    requests.append(" ;\n".join([*batch, *_record(new)]))
    return requests


def _fills(build: BuildFile, replaced: list[str]) -> list[str]:
    return [operation for graph in replaced for operation in fill(graph, build.graphs[graph].decode())]


def fill(graph: str | None, ntriples: str) -> list[str]:
    """Operations that add N-Triples to ``graph`` (None: the default graph) within Virtuoso's limits (module
    docstring): INSERT DATA in chunks, and the triples with blank nodes in one template."""
    lines = ntriples.splitlines(keepends=True)
    ground = [line for line in lines if "_:" not in line]  # a literal holding "_:" goes below: harmless

    def into(triples: str) -> str:
        return f"GRAPH {ox.NamedNode(graph)} {{\n{triples}}}" if graph else triples

    operations = [f"INSERT DATA {{ {into(''.join(ground[i:i + FILL_CHUNK_TRIPLES]))} }}"
                  for i in range(0, len(ground), FILL_CHUNK_TRIPLES)]
    if len(ground) < len(lines):
        operations.append(f"INSERT {{ {into(''.join(line for line in lines if '_:' in line))} }} WHERE {{}}")
    return operations


def note_client_graph(graph: str, present: bool) -> str:
    """The operation that notes a client's graph in ``CLIENT_GRAPHS`` (or forgets it, when dropped)."""
    return f"{'INSERT' if present else 'DELETE'} DATA {{ GRAPH <{CLIENT_GRAPHS}> {{ {ox.NamedNode(graph)} a {_CLIENT_GRAPH} }} }}"


def record_quads(record: dict[str, str]) -> list[ox.Quad]:
    """The record ``record`` (graph -> digest) as the quads of ``RECORD_GRAPH``."""
    return [ox.Quad(ox.NamedNode(graph), _DIGEST, ox.Literal(digest), ox.NamedNode(RECORD_GRAPH))
            for graph, digest in sorted(record.items())]


def _record(record: dict[str, str]) -> list[str]:
    """The operations that replace the record with ``record`` (graph -> digest)."""
    entries = "\n".join(f"{quad.triple} ." for quad in record_quads(record))
    return [f"DROP SILENT GRAPH <{RECORD_GRAPH}>", f"INSERT DATA {{ GRAPH <{RECORD_GRAPH}> {{\n{entries}\n}} }}"]
