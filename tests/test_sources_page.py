"""The sources page (``GET /sources``) on a live server over the project's real graph: HTML, JSON and CSV
by ``Accept`` or ``format=``, each source's counts as the build's quads give them, and the links to it.

Expectations are computed here from the build's N-Quads dump, independently of the server's queries,
so they hold for whichever sources ``data/`` holds.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterator

import httpx
import pytest
from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS

from mcfkg.sources.catalogue import COLUMNS
from mcfkg.vocab import Vocab

V = Vocab()
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends


@pytest.fixture(scope="module")
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def built(site) -> Dataset:
    """The quads the server was loaded with."""
    ds = Dataset(default_union=True)  # subjects() and the like over every graph
    ds.parse(site.settings.dist_dir / "mcfkg.nq", format="nquads")
    return ds


def english(ds: Dataset, node: URIRef, prop: URIRef) -> str:
    values = [o for o in ds.objects(node, prop) if isinstance(o, Literal) and (o.language or "en").startswith("en")]
    return str(values[0]) if values else ""


def expected_sources(ds: Dataset) -> dict[str, dict[str, object]]:
    """Each source document's title, publisher, language, fact graphs, facts (triples of its fact graphs,
    per graph) and entities (distinct subjects under the entity namespace), from the quads themselves."""
    found = {}
    for doc in sorted(set(ds.subjects(RDF.type, V.MCF.SourceDocument))):
        graphs = {g for g in ds.subjects(RDF.type, V.MCF.FactGraph)
                  for p in ds.objects(g, PROV.wasDerivedFrom) if (p, DCTERMS.isPartOf, doc) in ds}
        triples = [t for g in graphs for t in ds.graph(g)]
        publisher = ds.value(doc, DCTERMS.publisher)
        found[str(doc)] = {
            "title": english(ds, doc, DCTERMS.title),
            "publisher": english(ds, publisher, RDFS.label) if publisher is not None else "",
            "language": str(ds.value(doc, DCTERMS.language) or ""),
            "fact_graphs": len(graphs),
            "facts": len(triples),
            "entities": len({s for s, _, _ in triples if str(s).startswith(str(V.ID))}),
        }
    return found


def test_json_lists_every_source_with_its_counts(client: httpx.Client, built: Dataset) -> None:
    response = client.get("/sources", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert "Accept" in response.headers["vary"]
    body = response.json()
    expected = expected_sources(built)
    assert [s["iri"] for s in body["sources"]] == sorted(expected) and body["total"] == len(expected)
    assert str(V.ID["mianyang-mcf-article"]) in expected
    for source in body["sources"]:
        assert {k: source[k] for k in expected[source["iri"]]} == expected[source["iri"]], source["iri"]
        assert set(source) == {"iri", "title", "publisher", "language", "url", "published", "date_method",
                               "retrieved", "fact_graphs", "facts", "entities"}
    assert client.get("/sources", params={"format": "json"}).json() == body


def test_the_date_method_is_named_as_the_ontology_names_it(client: httpx.Client, built: Dataset) -> None:
    """The methods' labels are in the ontology's graph, outside the default graph the server queries."""
    sources = {s["iri"]: s for s in client.get("/sources", params={"format": "json"}).json()["sources"]}
    for doc, source in sources.items():
        method = built.value(URIRef(doc), V.MCF.dateEstablishedBy)
        if source["published"] and method is not None:
            assert source["date_method"] == english(built, method, RDFS.label), doc
        elif not source["published"]:
            assert source["date_method"].startswith("unknown"), doc


def test_csv_has_the_columns_of_mcfkg_sources(client: httpx.Client) -> None:
    response = client.get("/sources", headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert tuple(table[0]) == COLUMNS
    sources = client.get("/sources", params={"format": "json"}).json()["sources"]
    assert table[1:] == [[str(s[k]) for k in ("iri", "title", "publisher", "language", "url", "published",
                                              "date_method", "retrieved", "fact_graphs", "facts", "entities")]
                         for s in sources]
    assert client.get("/sources", params={"format": "csv"}, headers={"Accept": HTML_ACCEPT}).text == response.text


def test_html_links_each_title_to_the_source_page(client: httpx.Client, built: Dataset) -> None:
    response = client.get("/sources", headers={"Accept": HTML_ACCEPT})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    for iri, source in expected_sources(built).items():
        path = V.local_path(iri)
        assert f'<a href="{path}">{html.escape(str(source["title"]))}</a>' in page, iri
        assert client.get(path, headers={"Accept": HTML_ACCEPT}).status_code == 200
    assert 'href="/sources?format=json"' in page and 'href="/sources?format=csv"' in page
    assert "Which facts are stated by more than one source?" in page  # queries 51-53 open in the editor
    assert client.get("/sources", params={"format": "html"}, headers={"Accept": "application/json"}).text == page


def test_every_page_links_the_sources_page(client: httpx.Client) -> None:
    for path in ("/", "/dataset", "/id/mianyang", "/search?q=Mianyang"):
        assert 'href="/sources">Sources</a>' in client.get(path, headers={"Accept": HTML_ACCEPT}).text, path
    dataset = client.get("/dataset", headers={"Accept": HTML_ACCEPT}).text
    assert '<a href="/sources">source documents</a>' in dataset


@pytest.mark.parametrize(("headers", "params"), [({"Accept": "image/png"}, {}), ({}, {"format": "ttl"})])
def test_what_cannot_be_given_is_a_406(client: httpx.Client, headers: dict[str, str], params: dict[str, str]) -> None:
    response = client.get("/sources", headers=headers, params=params)
    assert response.status_code == 406
