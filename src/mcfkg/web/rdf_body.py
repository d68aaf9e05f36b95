"""Serialise a description's quads in the RDF format that was negotiated.

Formats that carry named graphs (TriG, N-Quads, JSON-LD) keep each fact in its graph, so a
reader sees which sentence states it and which facts were inferred; triple formats (Turtle,
N-Triples, RDF/XML) carry the union, plus the graph → passage provenance statements.
Only the project's prefixes are bound (not rdflib's ~30 defaults), and JSON-LD is compacted
with the project's context inline, as in the ``dist/`` dumps.

Every RDF format of :mod:`mcfkg.formats` can be written from a description's quads, and from a
plain graph with :func:`mcfkg.export.serialise_graph`, so whatever negotiation picks can be produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph
from rdflib.namespace import NamespaceManager

from mcfkg.config import Settings
from mcfkg.export import load_context, to_jsonld
from mcfkg.formats import RDF_FORMATS, Format
from mcfkg.vocab import Vocab
from mcfkg.web.describe import Quad
from mcfkg.web.prefixes import prefixes

# The RDF formats pages, descriptions and the dataset's VoID are offered in, by media type.
SERIALIZERS: dict[str, Format] = {f.media_type: f for f in RDF_FORMATS}


@lru_cache(maxsize=4)
def jsonld_context(settings: Settings) -> Mapping[str, Any] | None:
    """The project's JSON-LD context under the configured base, read once per settings."""
    return load_context(settings)


def serialise(quads: list[Quad], media_type: str, vocab: Vocab, context: Mapping[str, Any] | None = None) -> bytes:
    """``quads`` as ``media_type`` (a key of :data:`SERIALIZERS`), with our prefixes; ``context`` compacts JSON-LD."""
    fmt = SERIALIZERS[media_type]
    serializer = fmt.rdflib
    target: Graph
    if fmt.quads or serializer == "json-ld":  # JSON-LD keeps named graphs too
        target = Dataset()
        for s, p, o, g in quads:
            target.graph(g).add((s, p, o))
            if serializer == "json-ld":
                # A JSON-LD reader that wants one graph reads the default graph only: give it the
                # union, as this server's SPARQL default graph is; the named graphs keep provenance.
                target.add((s, p, o))
    else:
        target = Graph()
        for s, p, o, _ in quads:
            target.add((s, p, o))
    target.namespace_manager = NamespaceManager(target, bind_namespaces="none")
    for prefix, ns in prefixes(vocab).items():
        target.bind(prefix, ns, override=True)
    if serializer == "json-ld":
        return to_jsonld(target, context or prefixes(vocab))
    return target.serialize(format=serializer, encoding="utf-8")
