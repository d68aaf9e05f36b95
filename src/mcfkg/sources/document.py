"""One incoming source as quads, checked to be retractable before anything else looks at it.

A source must describe exactly one ``mcf:SourceDocument`` ``mcfid:<id>`` and keep all its
triples in graphs named ``mcfg:<id>`` or ``mcfg:<id>/...``: then its file holds everything it
added and nothing anyone else did, and removing the file removes exactly the source. A file in
a triple format (Turtle, N-Triples, RDF/XML) is one per-source graph, ``mcfg:<id>``. JSON-LD
carries quads: its named graphs (``@graph`` objects with an ``@id``) stay named graphs, and its
default graph, if any, is the per-source graph. A CSV file comes with its CSVW mapping
(:mod:`mcfkg.sources.mapping`), which makes a graph of each row.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rdflib import RDF, Dataset, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from mcfkg.graph import LoadError, add_quads, canonical, load_dataset, parse_file, rdf_format
from mcfkg.sources.mapping import MappingError, is_mapping, read_mapped
from mcfkg.vocab import CANONICAL_BASE, Vocab

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
QUAD_FORMATS = {"trig", "nquads", "json-ld"}  # their graph names are kept
DEFAULT_GRAPH_IS_SOURCE_GRAPH = {"json-ld"}  # a quad format whose default graph becomes mcfg:<id>
Quad = tuple[Node, Node, Node, URIRef]


class SourceError(Exception):
    """An incoming file that cannot become a source as it is; the message says what to change."""


@dataclass
class IncomingSource:
    """The quads of one source (canonical base), its document IRI and the id its file is named by."""

    iri: URIRef
    id: str
    quads: set[Quad]

    def rewrite(self, mapping: dict[URIRef, URIRef]) -> None:
        """Replace entity IRIs (``--same-as NEW=EXISTING``) wherever they occur."""
        def swap(node: Node) -> Node:
            return mapping.get(node, node) if isinstance(node, URIRef) else node

        self.quads = {(swap(s), p, swap(o), g) for s, p, o, g in self.quads}

    def dataset(self, base_iri: str = CANONICAL_BASE) -> Dataset:
        """The quads as a Dataset with the project's prefixes: as its file is written (canonical base), or
        as the build reads that file under ``base_iri`` (without writing and parsing it)."""
        vocab = Vocab(CANONICAL_BASE)
        prefixes = (("mcf", vocab.MCF), ("mcfid", vocab.ID), ("mcfg", vocab.GRAPH), ("pav", URIRef("http://purl.org/pav/")))
        return add_quads(Dataset(), self.quads, prefixes, base_iri)

    def trig(self) -> bytes:
        """The file ``data/sources/<id>.trig`` will hold."""
        header = (
            f"# Source {self.iri}, written by `mcfkg ingest`. Remove it with `mcfkg retract {self.id}`;\n"
            "# edit it only together with `mcfkg build`, which validates it with the rest of data/.\n"
        )
        return header.encode() + self.dataset().serialize(format="trig", encoding="utf-8")

    def same_as(self, path: Path) -> bool:
        """Whether ``path`` already holds exactly these quads (blank nodes compared canonically)."""
        try:
            stored = read_quads(path)
        except LoadError:
            return False
        return _canonical(stored) == _canonical(self.quads)


def read_incoming(path: Path) -> IncomingSource:
    """Parse ``path`` (format from its extension) into one source; SourceError if it is not one.

    A CSVW mapping (``*-metadata.json``) or a CSV file with its mapping beside it is read by
    :func:`mcfkg.sources.mapping.read_mapped`: one graph per row, each derived from its row.
    """
    mapped = is_mapping(path)
    try:
        quads = read_mapped(path) if mapped else read_quads(path)
    except MappingError as exc:
        raise SourceError(str(exc)) from None
    vocab = Vocab(CANONICAL_BASE)
    documents = sorted({s for s, p, o, _ in quads
                        if p == RDF.type and o == vocab.MCF.SourceDocument and isinstance(s, URIRef)})
    if len(documents) != 1:
        found = ", ".join(str(d) for d in documents) or "none"
        raise SourceError(
            f"{path}: a source file describes exactly one mcf:SourceDocument (found {found}); "
            "split it into one file per source"
        )
    iri = documents[0]
    source_id = iri[len(vocab.ID) :] if iri.startswith(vocab.ID) else ""
    if not SOURCE_ID.match(source_id):
        raise SourceError(
            f"{path}: the source document {iri} must be named {vocab.ID}<id>, the id of lower-case letters, "
            "digits and hyphens (it names the file data/sources/<id>.trig)"
        )
    fmt = None if mapped else rdf_format(path)
    if fmt is not None and fmt not in QUAD_FORMATS:  # a triple format is one per-source graph
        quads = {(s, p, o, vocab.GRAPH[source_id]) for s, p, o, _ in quads}
    elif fmt in DEFAULT_GRAPH_IS_SOURCE_GRAPH:
        quads = {(s, p, o, vocab.GRAPH[source_id] if g == DATASET_DEFAULT_GRAPH_ID else g) for s, p, o, g in quads}
    own = str(vocab.GRAPH[source_id])
    foreign = sorted({str(g) for *_, g in quads if str(g) != own and not str(g).startswith(own + "/")})
    if foreign:
        shown = ", ".join("the default graph" if g == str(DATASET_DEFAULT_GRAPH_ID) else g for g in foreign[:3])
        raise SourceError(
            f"{path}: every triple of source {source_id} must be in graph {own} or {own}/...; found {shown}. "
            "Move them there, so that `mcfkg retract` can remove exactly this source"
        )
    return IncomingSource(iri=iri, id=source_id, quads=quads)


def read_quads(path: Path) -> set[Quad]:
    """Every quad of one RDF file, read safely (no fetching), IRIs against the canonical base.

    JSON-LD keeps its named graphs (``load_dataset`` reads it as a triple format: the build has no
    JSON-LD input); its default graph's triples come with ``DATASET_DEFAULT_GRAPH_ID``.
    """
    if rdf_format(path) == "json-ld":
        parsed = parse_file(path)  # refuses remote contexts, as every JSON-LD read does
        return {(s, p, canonical(o), g if g is not None else DATASET_DEFAULT_GRAPH_ID)  # type: ignore[misc]
                for s, p, o, g in parsed.quads((None, None, None, None))}
    ds = load_dataset([path], CANONICAL_BASE)
    return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))}  # type: ignore[misc]


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once (see :func:`replacing`)."""
    with replacing(path) as out:
        out.write(data)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` only once the block ends without an error: a temporary
    file beside it, synced, then renamed. A crash leaves the old file or the new one, never a partial
    one; a reader holding the old file (a hard link, an open handle) keeps it as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _canonical(quads: set[Quad]) -> dict[str, frozenset[tuple[Node, Node, Node]]]:
    """Graph name → its triples with blank nodes relabelled canonically, for comparing contents."""
    ds = Dataset()
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    return {str(g): frozenset(to_canonical_graph(ds.graph(g))) for g in {g for *_, g in quads}}
