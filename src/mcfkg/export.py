"""Dumps of the dataset in every RDF format, and a VoID description of them.

Quad formats (TriG, N-Quads) keep the named graphs, so provenance survives; single-graph
formats (Turtle, N-Triples, RDF/XML, JSON-LD) carry the union of all graphs. JSON-LD is
compacted with ``ontology/context.jsonld`` embedded inline: a context given by reference would
make every reader fetch it. A build replaces its own files in ``dist/``, only after every one is written.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import DCAT, DCTERMS, OWL, PROV, RDF, SDO, VOID, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import IdentifiedNode, Node

from mcfkg.config import Settings
from mcfkg.formats import GRAPH, Format, by_name, resolve
from mcfkg.graph import LoadError, union_graph
from mcfkg.link.void import linksets
from mcfkg.vocab import CANONICAL_BASE, Vocab

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_RDF_TYPE = ox.NamedNode(str(RDF.type))
CONTEXT_FILE = "context.jsonld"
VOID_FILE = "void.ttl"
VOID_PREFIXES = {"void": str(VOID), "dcat": str(DCAT), "dcterms": str(DCTERMS), "sd": str(SD), "xsd": str(XSD)}


# The dumps a build writes to dist/: every RDF format of mcfkg.formats but N3 (Turtle says the same), by name.
FORMATS: dict[str, Format] = {name: by_name(name) for name in ("trig", "nquads", "turtle", "ntriples", "rdfxml", "jsonld")}


def dump_file(fmt: Format) -> str:
    """The file name of a dump in dist/: ``mcfkg`` and the format's extension (``mcfkg.nq``)."""
    return f"mcfkg{fmt.suffix}"


def load_context(settings: Settings) -> dict[str, Any] | None:
    """The JSON-LD context object from ``ontology/context.jsonld`` (rebased), or None if there is none."""
    path = settings.ontology_dir / CONTEXT_FILE
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    if settings.base_iri != CANONICAL_BASE:
        text = text.replace(CANONICAL_BASE, Vocab(settings.base_iri).base)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(path, exc.lineno, exc.msg) from None
    context = document.get("@context", document) if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise LoadError(path, None, "the JSON-LD context must be an object (inline terms, no references)")
    return context


def to_jsonld(source: Graph, context: Mapping[str, Any] | None) -> bytes:
    """``source`` as JSON-LD compacted with ``context`` embedded inline (a Dataset keeps its named graphs).

    Without a context rdflib would compact with every namespace bound to the store (its ~30 defaults).
    """
    options: dict[str, Any] = {"context": dict(context)} if context else {}
    data = source.serialize(format="json-ld", encoding="utf-8", auto_compact=True, **options)
    if not source.context_aware:
        return data
    return json.dumps(_default_graph_at_top(json.loads(data)), indent=2, ensure_ascii=False).encode()


def _default_graph_at_top(document: Any) -> Any:
    """A dataset's JSON-LD with the default graph's nodes at the top level, beside the named graphs.

    rdflib wraps them in a ``{"@graph": [...]}`` object of their own, without an ``@id``, which
    the JSON-LD algorithms (pyld, jsonld.js) read as a named graph with a blank-node name: those
    readers saw an empty default graph. rdflib reads either form the same way.
    """
    if not isinstance(document, dict) or not isinstance(document.get("@graph"), list):
        return document
    top: list[Any] = []
    for item in document["@graph"]:
        is_default_graph = isinstance(item, dict) and set(item) == {"@graph"}
        top.extend(item["@graph"] if is_default_graph else [item])
    return {**document, "@graph": top}


def export(ds: Dataset, fmt: str, context: Mapping[str, Any] | None = None) -> bytes:
    """``ds`` serialised as ``fmt`` (any RDF format name or extension of :mod:`mcfkg.formats`: ``ttl``,
    ``nq``, ``jsonld`` ...); ``context`` compacts JSON-LD. UnknownFormat (a ValueError) lists the names."""
    return Dumps(ds, context).serialise(resolve(fmt, {GRAPH}, "export format"))


class Dumps:
    """A dataset ready to be written in any RDF format.

    It is read into pyoxigraph once, which writes every format but compacted JSON-LD in milliseconds
    where rdflib took most of a build's time; JSON-LD stays rdflib's, for its compaction with our context.
    Statements are written sorted (subjects grouped, ``rdf:type`` first), so Turtle and TriG read well.
    """

    def __init__(self, ds: Dataset, context: Mapping[str, Any] | None = None) -> None:
        self.ds, self.context = ds, context
        # N-Quads is the bridge: rdflib writes it fast, and it carries every term exactly as it is.
        text = ds.serialize(format="nquads", encoding="utf-8")
        quads = ox.parse(text, format=ox.RdfFormat.N_QUADS)
        self.quads = sorted(quads, key=lambda quad: (str(quad.graph_name), *_reading_order(quad.triple)))
        self.triples = sorted({quad.triple for quad in self.quads}, key=_reading_order)
        # The bound prefixes that the IRIs use: rdflib binds ~30 by default, most of them unused.
        self.prefixes = {prefix: str(ns) for prefix, ns in ds.namespaces() if f"<{ns}".encode() in text}

    @cached_property
    def union(self) -> Graph:
        """Every triple of every graph, as an rdflib Graph (for JSON-LD and the VoID description)."""
        return union_graph(self.ds)

    def serialise(self, spec: Format) -> bytes:
        """The dataset in ``spec``'s format: quad formats keep the named graphs, the others write their union."""
        if spec.rdflib == "json-ld":
            return to_jsonld(self.ds if spec.quads else self.union, self.context)
        statements: list[Any] = self.quads if spec.quads else self.triples
        out = io.BytesIO()
        ox.serialize(statements, out, ox.RdfFormat.from_media_type(spec.media_type), prefixes=self.prefixes)
        return out.getvalue()


def _reading_order(triple: ox.Triple) -> tuple[str, bool, str, str]:
    """Subject, then ``rdf:type`` before the other predicates (Turtle's ``a`` first), then predicate and object."""
    return str(triple.subject), triple.predicate != _RDF_TYPE, str(triple.predicate), str(triple.object)


def serialise_graph(graph: Graph, fmt: Format) -> bytes:
    """A plain graph (no named graphs) in any RDF format; in TriG and N-Quads its triples are the default graph's.

    rdflib writes quad formats only from a Dataset: handing it a Graph was a 500 for
    ``Accept: application/n-quads``, which Comunica sends with every request.
    """
    target = graph
    if fmt.quads:
        target = Dataset()
        target.namespace_manager = graph.namespace_manager
        target.default_graph += graph
    return target.serialize(format=fmt.rdflib, encoding="utf-8")


def write_dist(ds: Dataset, dist_dir: Path, context: Mapping[str, Any] | None, vocab: Vocab) -> list[Path]:
    """Write every format, ``context.jsonld`` and ``void.ttl`` to ``dist_dir``; return the written paths.

    Files go to a temporary sibling directory first and are moved into ``dist_dir`` one by one
    (``os.replace``) only when all are written, so a failure leaves the previous build as it was.
    Only the files a build writes are replaced: anything else in ``dist_dir`` is left alone.
    """
    dist_dir = Path(dist_dir)
    dist_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dist_dir.name}-", dir=dist_dir.parent))
    try:
        dumps = Dumps(ds, context)
        for spec in FORMATS.values():
            (staging / dump_file(spec)).write_bytes(dumps.serialise(spec))
        if context:
            (staging / CONTEXT_FILE).write_text(json.dumps({"@context": dict(context)}, indent=2, ensure_ascii=False) + "\n")
        # rdflib's Turtle for the VoID: it nests the partitions' blank nodes (``[ void:class ... ]``), pyoxigraph labels them
        void = void_description(ds, vocab, dumps.union).serialize(format="turtle", encoding="utf-8")
        (staging / VOID_FILE).write_bytes(void)
        dist_dir.mkdir(exist_ok=True)
        # The N-Quads dump last: servers take a build by it, and a build cut short before it is
        # replaced is one that dist.staleness still reports (older than its sources), so it is redone.
        written = sorted(staging.iterdir(), key=lambda path: (path.name == dump_file(FORMATS["nquads"]), path.name))
        for path in written:
            os.replace(path, dist_dir / path.name)
        if not context:  # a context from an earlier build would no longer describe the dumps
            (dist_dir / CONTEXT_FILE).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [dist_dir / path.name for path in written]


def built_for(dist_dir: Path, vocab: Vocab) -> bool:
    """True when ``dist_dir`` holds a build made for ``vocab``'s base: the N-Quads dump, and a VoID whose
    ``void:uriSpace`` is that base's entity namespace (what a build under another base must not be served as)."""
    void_file = Path(dist_dir) / VOID_FILE
    if not (Path(dist_dir) / dump_file(FORMATS["nquads"])).is_file() or not void_file.is_file():
        return False
    try:
        text = void_file.read_bytes()
        # mcfkg query and serve check this on every start, and the VoID of a large build is tens of MB:
        # the statement as the build and an ingest write it is looked for first, the file parsed only without it
        if _states_uri_space(text, str(vocab.ID)):
            return True
        spaces = {quad.object.value for quad in ox.parse(text, format=ox.RdfFormat.TURTLE)
                  if quad.predicate.value == str(VOID.uriSpace)}
    except (OSError, SyntaxError, ValueError):  # an unreadable VoID is no evidence of the base: rebuild
        return False
    return str(vocab.ID) in spaces


def _states_uri_space(text: bytes, space: str) -> bool:
    """Whether the Turtle ``text`` plainly states ``void:uriSpace "space"`` (prefixed or in full)."""
    value = re.escape(f'"{space}"'.encode())
    return re.search(rb"(?:void:uriSpace|<http://rdfs\.org/ns/void#uriSpace>)\s+" + value, text) is not None


def void_description(ds: Dataset, vocab: Vocab, union: Graph | None = None) -> Graph:
    """A VoID description of the dataset: totals, class and property partitions, dumps, one subset per graph,
    and the source documents (``dcterms:source``), each with a subset of its fact graphs.
    ``union`` is ``ds``'s union graph when the caller has it already (it costs a pass over every quad).

    Its parts are functions of their own so that :mod:`mcfkg.incremental.void` can update them after a change.
    """
    union = union_graph(ds) if union is None else union
    dataset = void_dataset(vocab)
    void = Graph()
    for prefix, ns in VOID_PREFIXES.items():
        void.bind(prefix, ns)
    describe_from_ontology(void, dataset, ds.graph(vocab.ontology_graph), union)
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, VOID.triples, integer(len(union))))
    void.add((dataset, VOID.entities, integer(len({s for s in union.subjects() if is_entity(s, vocab)}))))
    classes = Counter(o for o in union.objects(None, RDF.type))
    properties = Counter(union.predicates())
    void.add((dataset, VOID.classes, integer(len(classes))))
    void.add((dataset, VOID.properties, integer(len(properties))))
    void.add((dataset, VOID.distinctSubjects, integer(len(set(union.subjects())))))
    void.add((dataset, VOID.distinctObjects, integer(len(set(union.objects())))))
    void.add((dataset, VOID.sparqlEndpoint, URIRef(vocab.base + "sparql")))
    void.add((dataset, VOID.uriSpace, Literal(str(vocab.ID))))
    for kind, counts in ((CLASS_PARTITION, classes), (PROPERTY_PARTITION, properties)):
        for key, n in sorted(counts.items()):
            add_partition(void, dataset, kind, key, n)
    for spec in FORMATS.values():
        dump = URIRef(vocab.base + "dist/" + dump_file(spec))
        void.add((dataset, VOID.dataDump, dump))
        void.add((dump, DCAT.mediaType, Literal(spec.media_type)))
        void.add((dump, DCTERMS["format"], Literal(spec.media_type)))
    sizes = {g.identifier: len(g) for g in ds.graphs() if len(g)}
    _describe_graphs(void, dataset, sizes, vocab)
    describe_sources(void, dataset, union, sizes, vocab)
    void += linksets(union, dataset, vocab)
    return void


def void_dataset(vocab: Vocab) -> URIRef:
    """The IRI the VoID description gives the whole dataset."""
    return URIRef(vocab.base + "dataset")


def integer(n: int) -> Literal:
    """A VoID count (``xsd:integer``)."""
    return Literal(n, datatype=XSD.integer)


def is_entity(subject: Node, vocab: Vocab) -> bool:
    """Whether ``subject`` counts among the dataset's ``void:entities``: it is named in the entity namespace."""
    return str(subject).startswith(str(vocab.ID))


@dataclass(frozen=True)
class Partition:
    """A kind of VoID partition: how the dataset links to one, what it is about, and what it counts."""

    link: URIRef  # void:classPartition
    about: URIRef  # void:class
    size: URIRef  # void:entities


CLASS_PARTITION = Partition(VOID.classPartition, VOID["class"], VOID.entities)
PROPERTY_PARTITION = Partition(VOID.propertyPartition, VOID.property, VOID.triples)


def add_partition(void: Graph, dataset: URIRef, kind: Partition, key: Node, n: int) -> None:
    """A ``kind`` partition of ``dataset`` (a blank node) about ``key``, counting ``n``."""
    part = BNode()
    void.add((dataset, kind.link, part))
    void.add((part, kind.about, key))
    void.add((part, kind.size, integer(n)))


def describe_sources(void: Graph, dataset: URIRef, union: Graph, sizes: Mapping[IdentifiedNode, int], vocab: Vocab) -> None:
    """Each ``mcf:SourceDocument`` of ``union`` as a ``dcterms:source`` of the dataset, and a subset per source
    (titled like it) whose triples are those of its fact graphs (``mcf:FactGraph`` derived from a passage that is
    part of it), counted per graph (``sizes``, by graph name; 0 if absent) as ``mcfkg sources`` counts them, with
    those graphs as its subsets."""
    documents = sorted(d for d in union.subjects(RDF.type, vocab.MCF.SourceDocument) if isinstance(d, URIRef))
    graphs: dict[URIRef, set[URIRef]] = {d: set() for d in documents}
    for graph in union.subjects(RDF.type, vocab.MCF.FactGraph):
        for passage in union.objects(graph, PROV.wasDerivedFrom):
            for document in union.objects(passage, DCTERMS.isPartOf):
                if isinstance(document, URIRef) and document in graphs and isinstance(graph, URIRef):
                    graphs[document].add(graph)
    for document in documents:
        part = source_subset(dataset, document, vocab)
        void.add((dataset, DCTERMS.source, document))
        void.add((dataset, VOID.subset, part))
        void.add((part, RDF.type, VOID.Dataset))
        void.add((part, DCTERMS.source, document))
        for title in union.objects(document, DCTERMS.title):
            void.add((part, DCTERMS.title, title))
        own = sorted(graphs[document])
        void.add((part, VOID.triples, integer(sum(sizes.get(g, 0) for g in own))))
        for graph in own:
            void.add((part, VOID.subset, graph))


def source_subset(dataset: URIRef, document: URIRef, vocab: Vocab) -> URIRef | BNode:
    """The subset of a source document: named after it when it is one of our entities, else a blank node."""
    if is_entity(document, vocab):
        return URIRef(f"{dataset}/source/{str(document)[len(str(vocab.ID)) :]}")
    return BNode()


GRAPH_KINDS = ("asserted", "inferred")


def graph_subset(dataset: URIRef, kind: str) -> URIRef:
    """The subset of the ``asserted`` or ``inferred`` triples (a :data:`GRAPH_KINDS`)."""
    return URIRef(f"{dataset}/{kind}")


def graph_kind(name: Node, vocab: Vocab) -> str:
    """Which of :data:`GRAPH_KINDS` the named graph ``name`` belongs to."""
    return "inferred" if name == vocab.inferred_graph else "asserted"


def _describe_graphs(void: Graph, dataset: URIRef, sizes: Mapping[IdentifiedNode, int], vocab: Vocab) -> None:
    """``asserted`` and ``inferred`` subsets of the dataset, each with one subset per named graph (``sizes``: the
    non-empty ones, by name)."""
    for kind in GRAPH_KINDS:
        part = graph_subset(dataset, kind)
        names = [n for n in sizes if graph_kind(n, vocab) == kind]
        void.add((dataset, VOID.subset, part))
        void.add((part, RDF.type, VOID.Dataset))
        void.add((part, DCTERMS.title, Literal(f"{kind} triples", lang="en")))
        void.add((part, VOID.triples, integer(sum(sizes[n] for n in names))))
        for name in sorted(names):
            describe_graph(void, part, name, sizes[name])


def describe_graph(void: Graph, part: URIRef, name: Node, size: int) -> None:
    """The named graph ``name`` (``size`` triples) as a subset of ``part`` (see :func:`graph_subset`)."""
    void.add((part, VOID.subset, name))
    void.add((name, RDF.type, VOID.Dataset))
    void.add((name, RDF.type, SD.NamedGraph))
    void.add((name, SD.name, name))
    void.add((name, VOID.triples, integer(size)))


HEADER_PROPERTIES = (DCTERMS.title, DCTERMS.description, DCTERMS.license, SDO.license)


def describe_from_ontology(void: Graph, dataset: URIRef, ontology: Graph, union: Graph) -> None:
    """Title, description and licence of the dataset, taken from the ``owl:Ontology`` header if present
    (its :data:`HEADER_PROPERTIES` in ``union``; ``schema:license`` is given as ``dcterms:license``)."""
    header = next(ontology.subjects(RDF.type, OWL.Ontology), None)
    if header is None:
        return
    for prop in HEADER_PROPERTIES:
        for value in union.objects(header, prop):
            void.add((dataset, DCTERMS.license if prop == SDO.license else prop, value))
