"""What an analyst learns the model from, through the real server over the project's graph: facts
apart from vocabulary in the default graph, descriptions that follow n-ary nodes to their numbers,
and /ontology documenting datatype properties and query patterns."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SDO, VOID
from rdflib.term import Node

from mcfkg.vocab import Vocab
from mcfkg.web.model_docs import PATTERNS

V = Vocab()
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HTML_ACCEPT = "text/html,application/xhtml+xml"
PROLOGUE = (f"PREFIX mcf: <{V.MCF}> PREFIX mcfid: <{V.ID}> PREFIX mcfg: <{V.GRAPH}> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#> ")
APPLICATION = V.ID["skyeye-laser-low-level-flying-platform-application"]
SECTORS = V.ID["skyeye-laser-low-level-flying-platform-application-sectors"]
SICHUAN_PRIZES = V.ID["sichuan-st-progress-awards-to-mianyang"]


@pytest.fixture(scope="module")
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as c:
        yield c


def select(client: httpx.Client, query: str, prologue: str = PROLOGUE, **params: str) -> list[dict[str, str]]:
    """A SELECT through /sparql (JSON results) as rows of plain values."""
    response = client.get("/sparql", params={"query": prologue + query, **params},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def ask(client: httpx.Client, query: str) -> bool:
    response = client.get("/sparql", params={"query": PROLOGUE + query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


# ---------------------------------------------------------------- facts and vocabulary apart

def test_a_generic_pattern_finds_things_not_the_vocabulary(client: httpx.Client) -> None:
    labelled = {row["x"] for row in select(client, "SELECT DISTINCT ?x WHERE { ?x rdfs:label ?l }")}
    assert str(V.ID.mianyang) in labelled and str(APPLICATION) in labelled
    assert not [x for x in labelled if x.startswith(str(V.MCF))], "ontology terms are not in the default graph"
    assert not ask(client, "ASK { ?class a owl:Class }")
    assert not ask(client, "ASK { GRAPH mcfg:inferred { mcf:City ?p ?o } }"), "no inferences about the vocabulary"


def test_the_vocabulary_is_reached_with_graph_from_or_the_protocol(client: httpx.Client) -> None:
    in_graph = select(client, "SELECT ?l WHERE { GRAPH mcfg:ontology { mcf:Enterprise rdfs:label ?l } } ORDER BY ?l")
    assert [row["l"] for row in in_graph] == ["enterprise", "企业"]
    classes = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a owl:Class }"
    from_clause = select(client, classes.replace("WHERE", f"FROM <{V.ontology_graph}> WHERE"))
    by_protocol = select(client, classes, **{"default-graph-uri": str(V.ontology_graph)})
    assert int(from_clause[0]["n"]) == int(by_protocol[0]["n"]) > 60
    joined = select(client, "SELECT ?kind ?count WHERE { ?set mcf:statedCount ?count ; a ?c . "
                            "VALUES ?c { mcf:PatentSet } GRAPH mcfg:ontology { ?c rdfs:label ?kind } FILTER(LANG(?kind) = 'en') }")
    assert joined == [{"kind": "authorized patent set", "count": "138"}]


def test_the_service_description_says_what_the_default_graph_leaves_out(client: httpx.Client) -> None:
    description = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert not list(description.triples((None, SD.feature, SD.UnionDefaultGraph)))
    default = next(description.objects(None, SD.defaultGraph))
    named = {description.value(n, SD.name): description.value(description.value(n, SD.graph), VOID.triples)
             for n in description.objects(None, SD.namedGraph)}
    facts = sum(int(count) for name, count in named.items() if name != V.ontology_graph)
    assert int(description.value(default, VOID.triples)) == facts
    assert str(V.ontology_graph) in str(description.value(default, RDFS.comment))


# ---------------------------------------------------------------- descriptions that follow n-ary nodes

def rdf(client: httpx.Client, path: str, suffix: str) -> Dataset:
    """An IRI's description as served with ``suffix``, every quad of it in one dataset."""
    response = client.get(f"{path}{suffix}")
    assert response.status_code == 200, (path, suffix)
    return Dataset().parse(data=response.text, format={".ttl": "turtle", ".jsonld": "json-ld"}[suffix])


def has(ds: Dataset, s: URIRef, p: URIRef | None, o: Node | None) -> bool:
    """True when some graph of ``ds`` holds the triple (``None``: any)."""
    return next(ds.quads((s, p, o, None)), None) is not None


def details(page: str, linked: str) -> str:
    """The text of the details list under the link to ``linked`` on an entity page."""
    match = re.search(rf'<a href="{linked}"[^>]*>[^<]*</a><ul class="details">(.*?)</ul>', page, re.DOTALL)
    assert match, f"no details under {linked}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1).replace("</li>", "\n")))


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_skyeye_lasers_description_holds_its_sector_count(client: httpx.Client, suffix: str) -> None:
    described = rdf(client, "/id/skyeye-laser", suffix)
    assert has(described, APPLICATION, V.MCF.appliedProduct, V.ID["skyeye-laser"])
    assert has(described, APPLICATION, V.MCF.quantity, SECTORS)
    assert has(described, SECTORS, SDO.minValue, Literal(20))
    assert has(described, SECTORS, V.MCF.bound, Literal("exclusive"))
    assert not has(described, V.ID["low-level-flying-platform"], None, None), "the co-product is a value, not described"


def test_skyeye_lasers_page_shows_more_than_20_sectors_under_its_application(client: httpx.Client) -> None:
    page = client.get("/id/skyeye-laser", headers={"Accept": HTML_ACCEPT}).text
    shown = details(page, "/id/skyeye-laser-low-level-flying-platform-application")
    assert "quantity: more than 20 sectors" in shown
    assert "applied product: low-level flying platform" in shown and "Skyeye Laser" not in shown  # not itself again


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_mianyangs_description_holds_the_prize_count_of_its_conferral(client: httpx.Client, suffix: str) -> None:
    described = rdf(client, "/id/mianyang", suffix)
    assert has(described, SICHUAN_PRIZES, V.MCF.recipient, V.ID.mianyang)
    assert has(described, SICHUAN_PRIZES, V.MCF.prizeCount, Literal(2))
    assert has(described, V.ID["mianyang-authorized-patents"], V.MCF.statedCount, Literal(138))
    award = V.ID["sichuan-science-and-technology-progress-award"]
    assert has(described, SICHUAN_PRIZES, V.MCF.awardConferred, award)
    assert not has(described, award, V.MCF.awardingJurisdiction, None), "one hop to the n-ary node, no further"


def test_mianyangs_page_shows_the_prize_count_once(client: httpx.Client) -> None:
    page = client.get("/id/mianyang", headers={"Accept": HTML_ACCEPT}).text
    shown = details(page, "/id/sichuan-st-progress-awards-to-mianyang")
    assert "prize count: 2" in shown and "award conferred: Science and Technology Progress Award of Sichuan Province" in shown
    assert page.count('<a href="/id/sichuan-st-progress-awards-to-mianyang"') >= 2  # also as an inferred inverse
    assert page.count("prize count</a>: <span>2</span>") == 1


def test_a_class_page_does_not_follow_its_instances(client: httpx.Client) -> None:
    described = rdf(client, "/def/ProductApplication", ".ttl")
    assert not has(described, APPLICATION, V.MCF.quantity, None)


# ---------------------------------------------------------------- /ontology

def test_the_ontology_page_documents_reused_datatype_properties_and_the_value_shapes(client: httpx.Client) -> None:
    page = html.unescape(client.get("/ontology").text)
    min_value = page.split('id="minValue"', 1)[1].split("</article>", 1)[0]
    assert "In mcfkg:" in min_value and "on schema:MonetaryAmount: xsd:decimal, ≥ 0, at most one" in min_value
    bound = page.split('id="bound"', 1)[1].split("</article>", 1)[0]
    assert 'one of "exclusive", "inclusive", exactly one' in bound and "Example:" in bound
    attributed = page.split('id="wasAttributedTo"', 1)[1].split("</article>", 1)[0]
    assert "prov:wasGeneratedBy" in attributed  # says which of the two "made by" properties is used
    assert "<code>GRAPH mcfg:ontology" in page


def test_the_ontology_page_teaches_each_query_pattern_with_a_runnable_example(client: httpx.Client) -> None:
    page = client.get("/ontology").text
    section = page.split('id="query-patterns"', 1)[1]
    headings = [html.unescape(h) for h in re.findall(r"<h3>([^:<]+):", section)]
    assert [h.lower() for h in headings] == list(PATTERNS)
    for name in re.findall(r'href="/\?example=([\w-]+)"', section):
        config = json.loads(html.unescape(re.search(r'id="ui-config">(.*?)</script>', client.get(f"/?example={name}").text,
                                                    re.DOTALL).group(1)))
        example = next(e for e in config["examples"] if e["name"] == name)
        assert select(client, example["query"], prologue=""), name  # the example answers on the served graph
