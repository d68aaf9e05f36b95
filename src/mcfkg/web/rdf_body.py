"""Serialise a description's quads in the RDF format that was negotiated.

Formats that carry named graphs (TriG, N-Quads, JSON-LD) keep each fact in its graph, so a
reader sees which sentence states it and which facts were inferred; triple formats (Turtle,
N-Triples, RDF/XML) carry the union, plus the graph → passage provenance statements.
"""

from __future__ import annotations

from typing import Any

from rdflib import Dataset, Graph

from mcfkg.vocab import Vocab
from mcfkg.web.describe import Quad
from mcfkg.web.prefixes import prefixes

# media type -> (rdflib serializer, keeps named graphs)
SERIALIZERS: dict[str, tuple[str, bool]] = {
    "text/turtle": ("turtle", False),
    "application/n-triples": ("nt", False),
    "application/rdf+xml": ("xml", False),
    "text/n3": ("n3", False),
    "application/ld+json": ("json-ld", True),
    "application/trig": ("trig", True),
    "application/n-quads": ("nquads", True),
}


def serialise(quads: list[Quad], media_type: str, vocab: Vocab) -> bytes:
    """``quads`` as ``media_type`` (a key of :data:`SERIALIZERS`), with our prefixes bound."""
    serializer, keeps_graphs = SERIALIZERS[media_type]
    target: Graph
    if keeps_graphs:
        dataset = Dataset()
        for s, p, o, g in quads:
            dataset.graph(g).add((s, p, o))
        target = dataset
    else:
        target = Graph()
        for s, p, o, _ in quads:
            target.add((s, p, o))
    for prefix, ns in prefixes(vocab).items():
        target.bind(prefix, ns, override=True)
    options: dict[str, Any] = {"auto_compact": True} if serializer == "json-ld" else {}
    return target.serialize(format=serializer, encoding="utf-8", **options)
