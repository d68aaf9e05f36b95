"""Real SPARQL clients against the live server: SPARQLWrapper in every return format, rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
import xml.dom.minidom

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, VOID
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

EX = "http://example.org/"
SELECT = f"SELECT ?book ?label WHERE {{ ?book a <{EX}Book> ; <{RDFS.label}> ?label FILTER(lang(?label) = 'en') }} ORDER BY ?label"
CONSTRUCT = f"CONSTRUCT {{ ?book <{RDFS.label}> ?label }} WHERE {{ ?book a <{EX}Book> ; <{RDFS.label}> ?label }}"
TOKEN = "clients-token"


@pytest.fixture(scope="module")
def server(live_server_factory):
    return live_server_factory(update_token=TOKEN)


def _wrapper(server, query: str, return_format: str, method: str | None = None, conneg_only: bool = False,
             request_method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.sparql, returnFormat=return_format)
    sparql.setQuery(query)
    sparql.setOnlyConneg(conneg_only)
    if method:
        sparql.setMethod(method)
    if request_method:
        sparql.setRequestMethod(request_method)
    return sparql


@pytest.mark.parametrize("method", [None, POST])
@pytest.mark.parametrize("conneg_only", [False, True])
def test_sparqlwrapper_select_in_every_results_format(server, method, conneg_only) -> None:
    expected = [("http://example.org/dune", "Dune"), ("http://example.org/emma", "Emma")]

    data = _wrapper(server, SELECT, JSON, method, conneg_only).queryAndConvert()
    assert [(b["book"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]] == expected
    assert data["results"]["bindings"][0]["label"]["xml:lang"] == "en"

    doc = _wrapper(server, SELECT, XML, method, conneg_only).queryAndConvert()
    assert isinstance(doc, xml.dom.minidom.Document)
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["Dune", "Emma"]

    table = _wrapper(server, SELECT, CSV, method, conneg_only).queryAndConvert()
    assert list(csv.reader(io.StringIO(table.decode()))) == [["book", "label"], *map(list, expected)]

    tsv = _wrapper(server, SELECT, TSV, method, conneg_only).queryAndConvert().decode().splitlines()
    assert tsv == ["?book\t?label", '<http://example.org/dune>\t"Dune"@en', '<http://example.org/emma>\t"Emma"@en']


@pytest.mark.parametrize("method", [None, POST])
@pytest.mark.parametrize("return_format", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_sparqlwrapper_construct_in_every_rdf_format(server, method, return_format) -> None:
    result = _wrapper(server, CONSTRUCT, return_format, method).queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format={
        TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[return_format])
    assert set(graph.objects(URIRef(EX + "dune"), RDFS.label)) == {Literal("Dune", lang="en"), Literal("沙丘", lang="zh")}
    assert len(graph) == 3


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask(server, return_format) -> None:
    sparql = _wrapper(server, f"ASK {{ <{EX}dune> a <{EX}Book> }}", return_format)
    result = sparql.queryAndConvert()
    answer = result["boolean"] if return_format == JSON else \
        result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert answer is True


@pytest.mark.parametrize("request_method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_update_with_token(server, request_method) -> None:
    subject = f"{EX}update-{request_method}"
    sparql = _wrapper(server, f"INSERT DATA {{ GRAPH <{EX}scratch> {{ <{subject}> a <{EX}Note> }} }}", JSON,
                      POST, request_method=request_method)
    sparql.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert sparql.query().response.status == 204
    check = _wrapper(server, f"ASK {{ <{subject}> a <{EX}Note> }}", JSON).queryAndConvert()
    assert check["boolean"] is True


def test_rdflib_sparqlstore_reads_solutions_booleans_and_graphs(server) -> None:
    graph = Graph(store=SPARQLStore(server.sparql, returnFormat="xml"))
    rows = list(graph.query(SELECT))
    assert [(str(r.book), str(r.label)) for r in rows] == [(EX + "dune", "Dune"), (EX + "emma", "Emma")]
    assert graph.query(f"ASK {{ <{EX}austen> a <{EX}Person> }}").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert len(constructed) == 3
    # triples() goes through the endpoint too
    assert (URIRef(EX + "herbert"), RDFS.label, Literal("Frank Herbert")) in graph


@pytest.mark.parametrize("return_format", ["json", "xml", "csv"])
def test_rdflib_sparqlstore_result_formats(server, return_format) -> None:
    graph = Graph(store=SPARQLStore(server.sparql, returnFormat=return_format))
    labels = {str(r.label) for r in graph.query(SELECT)}
    assert labels == {"Dune", "Emma"}


def test_rdflib_sparqlupdatestore_writes_with_token(server) -> None:
    store = SPARQLUpdateStore(server.sparql, server.sparql, headers={"Authorization": f"Bearer {TOKEN}"})
    graph = Graph(store=store, identifier=URIRef(EX + "rdflib-graph"))
    graph.add((URIRef(EX + "added"), RDFS.label, Literal("added by rdflib")))
    reader = Graph(store=SPARQLStore(server.sparql))
    assert reader.query(f"ASK {{ GRAPH <{EX}rdflib-graph> {{ <{EX}added> ?p ?o }} }}").askAnswer is True


def test_service_description_for_rdf_clients_and_redirect_for_browsers(server) -> None:
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml"), (None, "turtle")]:
        response = httpx.get(server.sparql, headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        g = Graph().parse(data=response.content, format=fmt)
        service = URIRef(server.sparql)
        assert (service, RDF.type, sd.Service) in g
        assert (service, sd.endpoint, service) in g
        assert (service, sd.supportedLanguage, sd.SPARQL11Update) in g  # this server has a token
        assert (service, sd.feature, sd.UnionDefaultGraph) in g
        names = {g.value(n, sd.name): g.value(g.value(n, sd.graph), VOID.triples).toPython()
                 for n in g.objects(None, sd.namedGraph)}
        assert names[URIRef(EX + "books")] == 9
        assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in set(g.objects(service, sd.resultFormat))
    browser = httpx.get(server.sparql, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"] == "/"
