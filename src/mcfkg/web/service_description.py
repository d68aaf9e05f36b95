"""The SPARQL Service Description of ``/sparql`` (https://www.w3.org/TR/sparql11-service-description/).

Answered to GET ``/sparql`` without a query for RDF media types: what the endpoint speaks,
which result formats and features it has, and its default dataset described with VoID
(triple counts of the default graph and of each named graph), computed from the store.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from mcfkg.config import Settings
from mcfkg.export import serialise_graph
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.rdf_body import SERIALIZERS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads", "N3")


def _counts(store: Store) -> tuple[int, dict[str, int]]:
    """Triples in the default graph as served, and in each named graph."""
    total = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    per_graph = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    # A COUNT is an xsd:integer literal: its lexical form is the number.
    return int(str(total[0]["n"])) if total else 0, {str(row["g"]): int(str(row["n"])) for row in per_graph}


def describe_service(endpoint: str, settings: Settings, store: Store) -> Graph:
    """The description as an rdflib graph (computed on each call: the store may have changed)."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    total, per_graph = _counts(store)
    left_out = sorted(set(map(str, Vocab(settings.base_iri).vocabulary_graphs)) & per_graph.keys())
    if settings.union_default_graph and not left_out:  # the feature means the union of *all* named graphs
        g.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))  # inferences are stored, not computed

    dataset, default_graph = BNode(), BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, service))
    g.add((dataset, VOID.triples, Literal(total, datatype=XSD.integer)))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(total, datatype=XSD.integer)))
    if settings.union_default_graph and left_out:
        g.add((default_graph, RDFS.comment, Literal(
            f"The union of every named graph but the vocabulary ({', '.join(left_out)}), which GRAPH and FROM reach.",
            lang="en")))
    for name, count in sorted(per_graph.items()):
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count, datatype=XSD.integer)))
    return g


def serialize_description(graph: Graph, media_type: str) -> bytes:
    """The description in any RDF format pages are offered in."""
    return serialise_graph(graph, SERIALIZERS[media_type])
