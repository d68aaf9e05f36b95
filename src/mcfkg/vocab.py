"""The IRIs mcfkg mints, in one place.

Files in ``ontology/`` and ``data/`` are written against the canonical base
``https://w3id.org/mcfkg/``; a deployment under another base rewrites them at load
time (see :func:`mcfkg.graph.rebase`), so nothing else may hard-code the base.
"""

from urllib.parse import urlsplit

from rdflib import Namespace, URIRef

CANONICAL_BASE = "https://w3id.org/mcfkg/"


class Vocab:
    """Namespaces derived from one base IRI: ontology terms, entities and named graphs."""

    def __init__(self, base: str = CANONICAL_BASE) -> None:
        if not base.endswith("/"):
            base += "/"
        self.base = base
        self.MCF = Namespace(base + "def/")  # ontology terms (classes, properties)
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
    def inferred_graph(self) -> URIRef:
        """The named graph the build fills with OWL-RL inferences, kept apart from asserted facts."""
        return self.GRAPH["inferred"]


# The namespaces as the files in ontology/ and data/ are written.
CANONICAL = Vocab()
