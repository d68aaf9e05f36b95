"""The build's state on disk (``dist/state/``): what an incremental ingest starts from instead of ``data/``.

A full build reasons over every source and validates everything; an ingest after it needs only
what the new source can change, but it needs the rest at hand to join with. So every build also
writes an on-disk pyoxigraph store (RocksDB) holding

- every quad the build published: the asserted graphs (sources, ontology, curation, links) and
  the inferred graph, exactly as in ``dist/mcfkg.nq``;
- :data:`VALIDATION_CLOSURE`: the consequences SHACL validates against (``Consequences.validation``
  of :mod:`mcfkg.reason`: no typing by ``rdfs:domain``/``rdfs:range``);
- :data:`PUBLISHED_CLOSURE`: every useful consequence (``Consequences.published``), including those
  about the vocabulary's own terms that the inferred graph leaves out: an incremental reasoner
  joins with them;
- :data:`VOID_GRAPH`: the build's VoID description, looked up and changed by an ingest, which then
  rewrites ``dist/void.ttl`` by the lines that changed: so a state's build writes that file one
  statement per line (N-Triples, which is Turtle too), its blank nodes labelled as in the state;
- :data:`MATCH_KEYS`: each entity's names and external IDs as reconciling compares them
  (:func:`mcfkg.sources.reconcile.match_keys`, canonical IRIs), so an ingest finds the entities
  sharing one with a new entity by lookup rather than by reading every name.

The state belongs to one N-Quads dump: its record names the dump's modification time and size, and :func:`open_state` returns None when they differ (a crash between writing one and
the other, a build made by an older version, a dump copied in by hand). The caller then builds in
full, which writes both again.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from mcfkg.export import FORMATS, VOID_FILE, dump_file
from mcfkg.graph import rebase
from mcfkg.incremental.reach import CACHE_FILE as REACH_CACHE, shape_reach
from mcfkg.reason import closures
from mcfkg.sources.document import replacing
from mcfkg.sources.reconcile import IDENTITY_PROPERTIES, NAME_PROPERTIES, match_keys
from mcfkg.vocab import CANONICAL_BASE, Vocab

from mcfkg.incremental.terms import Triple, to_ox

STATE_DIR = "state"
RECORD = "mcfkg-state.json"  # inside the store's directory; RocksDB leaves other files alone
VOID_HEADER = b"# The VoID description of this build, one statement per line: mcfkg ingest rewrites it by lines.\n"
VALIDATION_CLOSURE = ox.NamedNode("urn:mcfkg:state:validation-closure")
PUBLISHED_CLOSURE = ox.NamedNode("urn:mcfkg:state:published-closure")
VOID_GRAPH = ox.NamedNode("urn:mcfkg:state:void")
MATCH_KEYS = ox.NamedNode("urn:mcfkg:state:match-keys")
MATCH_KEY = ox.NamedNode("urn:mcfkg:state:match-key")
STATE_GRAPHS = (VALIDATION_CLOSURE, PUBLISHED_CLOSURE, VOID_GRAPH, MATCH_KEYS)


def state_dir(dist_dir: Path) -> Path:
    """Where the state of the build in ``dist_dir`` lives."""
    return Path(dist_dir) / STATE_DIR


def wanted(dump: Path, from_quads: int) -> bool:
    """Whether the build whose dump is ``dump`` is large enough to keep a state (``Settings.incremental_from_quads``).

    Below it a full build takes about as long as an ingest through a state, and rewrites every dump.
    """
    # an N-Quads line of this graph is about 230 bytes: the file's size decides, without a pass over it
    return dump.is_file() and dump.stat().st_size >= from_quads * 230


def remove_state(dist_dir: Path) -> None:
    """Remove the state beside a build that keeps none (an earlier, larger build may have left one)."""
    shutil.rmtree(state_dir(dist_dir), ignore_errors=True)


def dump_identity(dump: Path) -> list[int]:
    """What tells one N-Quads dump from another: a build or an ingest writes a new file, never edits one.

    Not the inode: a copy that keeps times (``cp -a``, ``shutil.copytree``) of ``dist/`` keeps its
    state, and a state belonging to it.
    """
    found = dump.stat()
    return [found.st_mtime_ns, found.st_size]


def write_build_state(ds: Dataset, dist_dir: Path, vocab: Vocab, shapes: Graph) -> Path:
    """The state of the build of ``ds`` just written to ``dist_dir`` (its dump and VoID are there), with the
    reach of ``shapes`` worked out (:mod:`mcfkg.incremental.reach`: parsing their SPARQL takes about a second)."""
    found = closures(ds, vocab)

    def canonical(node: Node) -> Node:
        return rebase(node, CANONICAL_BASE, from_base=vocab.base)

    named = ((s, p, o) for p in (*NAME_PROPERTIES, *IDENTITY_PROPERTIES) for s, _, o, g in ds.quads((None, p, None, None))
             if getattr(g, "identifier", g) != vocab.inferred_graph)
    keys = match_keys((canonical(s), p, canonical(o)) for s, p, o in named)
    target = write_state(dist_dir, dist_dir / dump_file(FORMATS["nquads"]), found.validation, found.published, keys,
                         dist_dir / VOID_FILE)
    shape_reach(shapes, cache=target / REACH_CACHE)
    return target


def write_state(dist_dir: Path, dump: Path, validation: Iterable[Triple], published: Iterable[Triple],
                keys: Mapping[URIRef, Iterable[str]] | None = None, void: Path | None = None) -> Path:
    """The state of the build whose N-Quads dump is ``dump``, written beside it; replaces any earlier state.
    With ``void``, the VoID file is taken into the state and written again one statement per line.

    The store is written in a temporary sibling and renamed into place, so a reader finds the
    old state, no state, or the new one, each with its record.
    """
    target = state_dir(dist_dir)
    scratch = Path(tempfile.mkdtemp(prefix=".state-", dir=dist_dir))
    try:
        store = ox.Store(str(scratch))
        # parse() keeps the dump's blank node labels (bulk_load renames them): the closures name the same nodes
        store.bulk_extend(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
        store.bulk_extend(key_quads(keys or {}))
        if void is not None:
            statements = list(ox.parse(path=str(void), format=ox.RdfFormat.TURTLE))
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, VOID_GRAPH) for q in statements)
            with replacing(void) as out:
                out.write(VOID_HEADER)
                ox.serialize(statements, out, ox.RdfFormat.N_QUADS)  # default graph: N-Triples lines
        for graph, triples in ((VALIDATION_CLOSURE, validation), (PUBLISHED_CLOSURE, published)):
            store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in triples)  # type: ignore[arg-type]
        store.flush()
        # Compacted now, not by the first ingest that opens it: at a million triples that compaction
        # costs three seconds of CPU, on the cores the ingest needs.
        store.optimize()
        del store
        record(scratch, dump)
        retired = target.with_name(f".state-old-{os.getpid()}")
        if target.exists():
            os.replace(target, retired)
        os.replace(scratch, target)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def key_quads(keys: Mapping[URIRef, Iterable[str]]) -> Iterator[ox.Quad]:
    """The quads of :data:`MATCH_KEYS` saying that each entity has each of its keys."""
    for entity, found in keys.items():
        for key in found:
            yield ox.Quad(ox.NamedNode(str(entity)), MATCH_KEY, ox.Literal(key), MATCH_KEYS)


def record(directory: Path, dump: Path) -> None:
    """Name ``dump`` as the dump the state in ``directory`` belongs to (written last, atomically)."""
    partial = directory / f".{RECORD}.part"
    partial.write_text(json.dumps({"dump": dump_identity(dump)}))
    os.replace(partial, directory / RECORD)


def forget(directory: Path) -> None:
    """Mark the state as belonging to no dump: done before the state is changed, so a crash half-way is seen."""
    (directory / RECORD).unlink(missing_ok=True)


def open_state(dist_dir: Path, dump: Path) -> ox.Store | None:
    """The state store of the build whose dump is ``dump``, or None when there is no such state."""
    directory = state_dir(dist_dir)
    try:
        recorded = json.loads((directory / RECORD).read_text())["dump"]
        if recorded != dump_identity(dump):
            return None
        return ox.Store(str(directory))
    except (OSError, ValueError, KeyError):
        return None
