"""The IRIs mcfkg mints, in one place.

Files in ``ontology/`` and ``data/`` are written against the canonical base
``https://w3id.org/mcfkg/``; a deployment under another base rewrites them at load
time (see :func:`mcfkg.graph.rebase`), so nothing else may hard-code the base.
"""

from urllib.parse import urlsplit

import pyoxigraph
from rdflib import Namespace, URIRef

CANONICAL_BASE = "https://w3id.org/mcfkg/"
BASE_IRI_EXAMPLE = "https://kg.example.org/mcf/"


def base_iri_problem(base: str) -> str | None:
    """Why ``base`` cannot be the base IRI, or None when it can.

    A base is an absolute http(s) IRI without a query, ending in ``/`` or ``#``: every IRI the
    data mints is the base plus a path, and the server answers under the base's path. Anything
    else was accepted once and gave dumps that pyoxigraph (so the server) cannot read.
    """
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "it is not an absolute http(s) IRI"
    if not base.endswith(("/", "#")):
        return "it must end in / or #"
    if parts.query:
        return "it must not have a query (?...)"
    try:
        pyoxigraph.NamedNode(base + "id/example")
    except ValueError as exc:
        return f"it is not a valid IRI ({exc})"
    return None


class Vocab:
    """Namespaces derived from one base IRI: ontology terms, entities and named graphs."""

    def __init__(self, base: str = CANONICAL_BASE) -> None:
        if not base.endswith("/"):
            base += "/"
        self.base = base
        self.MCF = Namespace(base + "def/")  # ontology terms (classes, properties)
        self.SHAPES = Namespace(base + "shapes/")  # SHACL shapes (ontology/shapes.ttl)
        self.ID = Namespace(base + "id/")  # entities described by the data
        self.GRAPH = Namespace(base + "graph/")  # named graphs

    @property
    def mount(self) -> str:
        """The path under which the server answers: the base IRI's own path (``/mcf`` for
        ``https://kg.example.org/mcf/``), so every IRI dereferences exactly as minted; empty for
        the canonical base, whose w3id.org redirect lands at the root of the server it points to."""
        return "" if self.base == CANONICAL_BASE else urlsplit(self.base).path.rstrip("/")

    def local_path(self, iri: str) -> str | None:
        """Where one of our IRIs answers on this server (``/mcf/id/mianyang``); None for other IRIs."""
        return f"{self.mount}/{iri[len(self.base):]}" if iri.startswith(self.base) else None

    @property
    def ontology_graph(self) -> URIRef:
        """The named graph that holds the ontology (``ontology/mcf.ttl``)."""
        return self.GRAPH["ontology"]

    @property
    def union_graph(self) -> URIRef:
        """Where a server keeps the set union of the build's graphs but the vocabulary: its default
        graph's facts, each once however many sources state it (``mcfkg.sparql.build_graphs``). The
        underscore keeps it apart from every source's graphs (source ids have none)."""
        return self.GRAPH["_union"]

    @property
    def vocabulary_graphs(self) -> tuple[URIRef, ...]:
        """The graphs that hold vocabulary rather than facts: the default graph leaves them out, as a
        Fuseki union default graph leaves out the stored default graph, so a generic pattern such as
        ``?x rdfs:label ?l`` finds things, not classes; ``GRAPH`` or ``FROM`` reach them."""
        return (self.ontology_graph,)

    @property
    def inferred_graph(self) -> URIRef:
        """The named graph the build fills with OWL-RL inferences, kept apart from asserted facts."""
        return self.GRAPH["inferred"]


# The namespaces as the files in ontology/ and data/ are written.
CANONICAL = Vocab()
