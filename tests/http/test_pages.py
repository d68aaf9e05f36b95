"""Linked-data pages on a live server over the project's real graph: dereferencing, negotiation,
entity pages, search, dataset, ontology and shapes pages, and a deployment under another base."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pages_site import build_project, serve_project
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from mcfkg.export import load_context
from mcfkg.vocab import CANONICAL_BASE, Vocab
from mcfkg.web.prefixes import prefixes
from mcfkg.web.search import TIERS

OTHER_BASE = "http://example.org/kg/"
OTHER_MOUNT = "/kg"  # the base IRI's path: where that deployment answers
JIUZHOU = "id/sichuan-jiuzhou-electric-group"
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends


@pytest.fixture(scope="module")
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as c:
        yield c


def minted_iris(site, base: str) -> list[str]:
    """Every IRI under the base the store mentions: as subject, object or graph name."""
    query = (
        "SELECT DISTINCT ?x WHERE { { GRAPH ?g { ?x ?p ?o } } UNION { GRAPH ?g { ?s ?p ?x } } UNION { GRAPH ?x { ?s ?p ?o } } "
        f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{base}")) }}'
    )
    return sorted(str(row["x"]) for row in site.store.select(query).rows)


def test_every_minted_iri_answers_with_html_and_turtle(site, client: httpx.Client) -> None:
    iris = minted_iris(site, CANONICAL_BASE)
    assert len(iris) > 100, "the project graph should mint entities, terms and graphs"
    failures = []
    for iri in iris:
        path = "/" + iri[len(CANONICAL_BASE) :]
        html = client.get(path, headers={"Accept": HTML_ACCEPT})
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        if html.status_code != 200 or not html.headers["content-type"].startswith("text/html"):
            failures.append(f"{path} HTML: {html.status_code}")
        if turtle.status_code != 200 or not turtle.headers["content-type"].startswith("text/turtle"):
            failures.append(f"{path} Turtle: {turtle.status_code}")
            continue
        graph = Graph().parse(data=turtle.text, format="turtle")
        if not len(graph):
            failures.append(f"{path} Turtle is empty")
        elif (
            path.startswith("/id/")
            and (URIRef(iri), None, None) not in graph
            and (None, None, URIRef(iri)) not in graph
        ):
            failures.append(f"{path} Turtle does not mention <{iri}>")
    assert not failures, failures[:20]


def test_an_unknown_iri_is_404_in_every_representation(client: httpx.Client) -> None:
    for accept in (HTML_ACCEPT, "text/turtle", "application/ld+json"):
        response = client.get("/id/no-such-thing", headers={"Accept": accept})
        assert response.status_code == 404, accept
    assert "Nothing is known" in client.get("/id/no-such-thing", headers={"Accept": HTML_ACCEPT}).text
    assert client.get("/def/NoSuchClass.ttl").status_code == 404
    assert client.get("/graph/no-such-graph").status_code == 404
    # Characters no IRI may hold cannot name anything (and never reach a query).
    assert client.get("/id/x%3E%20%3Fp%20%3Fo%20%7D%20%23").status_code == 404
    assert client.get("/id/%ff").status_code == 404  # not UTF-8: no IRI
    assert client.get("/id/mianyang%0A").status_code == 404  # not Mianyang with a newline


def test_a_404_page_offers_a_search_for_the_name_in_the_path(client: httpx.Client) -> None:
    page = client.get("/id/jiuzhou-electric", headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 404
    search = re.search(r'href="(/search\?q=[^"]+)"', page.text)
    assert search and html.unescape(search.group(1)) == "/search?q=jiuzhou%20electric"
    assert f'href="/{JIUZHOU}"' in client.get(html.unescape(search.group(1))).text


def test_linked_data_404s_are_negotiated_and_vary_on_accept(client: httpx.Client) -> None:
    expected = {HTML_ACCEPT: "text/html", "application/json": "application/json", "text/turtle": "text/plain"}
    for path in ("/id/nope", "/def/Nope", "/graph/nope"):
        for accept, media_type in expected.items():
            response = client.get(path, headers={"Accept": accept})
            assert response.status_code == 404, (path, accept)
            assert response.headers["content-type"].startswith(media_type), (path, accept)
            assert "accept" in response.headers["vary"].lower(), (path, accept, response.headers["vary"])
        assert "Nothing is known" in client.get(path, headers={"Accept": "application/json"}).json()["detail"]
        assert f"{CANONICAL_BASE}{path[1:]}" in html.unescape(client.get(path, headers={"Accept": HTML_ACCEPT}).text)


def test_head_answers_like_get_without_a_body(client: httpx.Client) -> None:
    head = client.head(f"/{JIUZHOU}", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/turtle") and not head.content
    assert client.head("/id/no-such-thing").status_code == 404


def test_the_ontology_iri_leads_to_its_documentation(client: httpx.Client) -> None:
    page = client.get("/def/", headers={"Accept": HTML_ACCEPT}).text
    assert '<a href="/ontology">Read the ontology' in html.unescape(page)


def test_negotiation_at_the_iri_names_the_document_and_varies_on_accept(client: httpx.Client) -> None:
    expected = {
        "text/turtle": ".ttl",
        "application/ld+json": ".jsonld",
        "application/n-triples": ".nt",
        "application/rdf+xml": ".rdf",
        "application/trig": ".trig",
        "application/n-quads": ".nq",
        HTML_ACCEPT: ".html",
    }
    for accept, suffix in expected.items():
        response = client.get(f"/{JIUZHOU}", headers={"Accept": accept})
        assert response.status_code == 200, accept
        assert "Accept" in response.headers["vary"]
        assert response.headers["content-location"] == f"/{JIUZHOU}{suffix}"
        assert 'rel="alternate"' in response.headers["link"]
    # q-values decide; a type we cannot produce is 406 with a hint.
    weighted = client.get(f"/{JIUZHOU}", headers={"Accept": "application/ld+json;q=0.5, text/turtle"})
    assert weighted.headers["content-type"].startswith("text/turtle")
    refused = client.get(f"/{JIUZHOU}", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and ".ttl" in refused.text
    assert "Accept" in refused.headers.get_list("vary", split_commas=True)


def test_pages_refuse_unproducible_types_with_a_406_that_varies_on_accept(client: httpx.Client) -> None:
    for path in ("/dataset", "/search?q=Mianyang", "/id/mianyang"):
        refused = client.get(path, headers={"Accept": "image/png"})
        assert refused.status_code == 406, path
        assert "Accept" in refused.headers.get_list("vary", split_commas=True), path


def test_suffixes_pick_the_format_and_carry_the_facts(client: httpx.Client) -> None:
    iri = URIRef(CANONICAL_BASE + JIUZHOU)
    c919 = URIRef(CANONICAL_BASE + "id/c919")
    tier_one = URIRef(CANONICAL_BASE + "def/tierOneSupplierFor")
    for suffix, media, parser in (
        (".ttl", "text/turtle", "turtle"),
        (".nt", "application/n-triples", "nt"),
        (".rdf", "application/rdf+xml", "xml"),
        (".jsonld", "application/ld+json", "json-ld"),
    ):
        response = client.get(f"/{JIUZHOU}{suffix}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media), suffix
        vary = [v.strip() for v in response.headers.get("vary", "").split(",")]
        assert "Accept" not in vary  # the suffixed URL names one document
        graph = Graph().parse(data=response.text, format=parser)  # JSON-LD too: its default graph is the union
        assert (iri, RDFS.label, Literal("Sichuan Jiuzhou Electric Group", lang="en")) in graph, suffix
        assert any(o == c919 for o in graph.objects(iri, None)), suffix
    # Quad formats keep each fact in the graph of the sentence that states it.
    trig = Dataset().parse(data=client.get(f"/{JIUZHOU}.trig").text, format="trig")
    graphs = {str(g) for *_, g in trig.quads((iri, tier_one, c919, None))}
    assert graphs == {CANONICAL_BASE + "graph/mianyang-mcf-article/p2/s12"}, graphs
    html = client.get(f"/{JIUZHOU}.html")
    assert html.headers["content-type"].startswith("text/html")


def test_rdf_bodies_use_the_projects_context_and_prefixes_only(site, client: httpx.Client) -> None:
    """JSON-LD is compacted with ontology/context.jsonld inline (as the dumps are); Turtle/TriG bind only our prefixes."""
    document = client.get("/id/c919.jsonld").json()
    assert document["@context"] == load_context(site.settings)
    assert "brick" not in document["@context"] and "odrl" not in document["@context"]  # none of rdflib's defaults
    body = json.dumps({k: v for k, v in document.items() if k != "@context"})
    assert '"label"' in body and '"mcfid:c919"' in body  # the context's terms and prefixes are used
    nquads = Dataset().parse(data=client.get("/id/c919.nq").text, format="nquads")
    jsonld = Dataset().parse(data=json.dumps(document), format="json-ld")
    named = {(s, p, o, g) for s, p, o, g in jsonld.quads() if g != jsonld.default_graph.identifier}
    assert named == set(nquads.quads())  # every fact in the graph of its sentence, as in N-Quads
    assert set(jsonld.default_graph) == {(s, p, o) for s, p, o, _ in nquads.quads()}  # and their union by default
    ours = prefixes(Vocab(site.settings.base_iri))
    for suffix in (".ttl", ".trig"):
        body = client.get(f"/id/c919{suffix}").text
        declared = dict(re.findall(r"^@prefix (\w*): <([^>]*)> \.$", body, re.MULTILINE))
        assert declared and all(ours.get(p) == ns for p, ns in declared.items()), declared


def test_entity_page_shows_names_types_sources_inferences_and_its_query(client: httpx.Client) -> None:
    page = client.get(f"/{JIUZHOU}", headers={"Accept": HTML_ACCEPT}).text
    assert "<h1" in page and "Sichuan Jiuzhou Electric Group" in page
    assert 'lang="zh"' in page and "九洲" in page
    assert re.search(r'Type: <a href="/def/[A-Za-z]+"', page), "types link to class pages"
    assert re.search(r'<a href="/id/c919"[^>]*>C919</a>', page)
    assert re.search(r"¶\d+, sentence \d+", page), "each fact shows the passage it comes from"
    assert "in the sentence with</span> <q>tier 1 provider for the C919</q>" in page  # a locator, not a quote of the fact
    assert 'class="badge inferred"' in page
    graph = json.loads(
        re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL).group(1)
    )
    assert {n["data"]["href"] for n in graph["nodes"]} >= {"/id/c919"}
    query_link = re.search(r'id="open-query" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(query_link).query)["query"][0]
    assert urlsplit(query_link).path == "/" and f"<{CANONICAL_BASE}{JIUZHOU}>" in query


def test_the_graph_view_merges_parallel_facts_and_leaves_out_bookkeeping(client: httpx.Client) -> None:
    page = client.get("/id/mianyang", headers={"Accept": HTML_ACCEPT}).text
    graph = json.loads(
        re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL).group(1)
    )
    hrefs = {n["data"]["href"]: n["data"] for n in graph["nodes"]}
    assert not [h for h in hrefs if h.startswith("/id/link/")], "link records are provenance, not neighbours"
    assert hrefs["/id/mianyang"]["centre"] and not hrefs["/id/sichuan"]["centre"] and not hrefs["/id/ndrc"]["centre"]
    products = f"{CANONICAL_BASE}id/mianyang-high-tech-products"
    between = [e["data"]["label"] for e in graph["edges"] if e["data"]["source"] == products]
    assert len(between) == 1 and set(between[0].split(", ")) == {"developed in", "produced in", "credited to"}
    pairs = [(e["data"]["source"], e["data"]["target"]) for e in graph["edges"]]
    assert len(pairs) == len(set(pairs))


def test_amounts_and_lower_bounds_are_written_out(client: httpx.Client) -> None:
    portfolio = client.get("/id/mianyang-mcf-project-portfolio", headers={"Accept": HTML_ACCEPT}).text
    assert "RMB 2,493,000,000 (CNY)" in portfolio
    sectors = client.get("/id/skyeye-laser-low-level-flying-platform-application", headers={"Accept": HTML_ACCEPT}).text
    assert "more than 20 sectors" in sectors


def test_external_links_are_links_out(client: httpx.Client) -> None:
    linked = {"/id/mianyang", "/id/sichuan", "/id/china"}
    pages = [client.get(path, headers={"Accept": HTML_ACCEPT}).text for path in linked]
    outbound = re.compile(
        r'<h2 id="links-h">.*?<a href="https?://[^"]*(wikidata\.org|geonames\.org|dbpedia\.org)/[^"]+" rel="external noopener">',
        re.DOTALL,
    )
    assert all(outbound.search(page) for page in pages)


def test_passages_and_graphs_list_what_they_state(client: httpx.Client) -> None:
    passage = client.get("/id/mianyang-mcf-article/p2/s12", headers={"Accept": HTML_ACCEPT}).text
    assert "made by this passage" in passage and "/id/c919" in passage
    graph = client.get("/graph/mianyang-mcf-article/p2/s12", headers={"Accept": HTML_ACCEPT}).text
    assert "in this graph" in graph and "/id/sichuan-jiuzhou-electric-group" in graph


def search(client: httpx.Client, q: str) -> list[dict]:
    response = client.get("/search", params={"q": q}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and "Accept" in response.headers["vary"]
    return response.json()["results"]


def test_search_finds_english_chinese_and_misspelled_names(client: httpx.Client) -> None:
    assert search(client, "Jiuzhou")[0]["href"] == f"/{JIUZHOU}"
    assert search(client, "九洲")[0]["href"] == f"/{JIUZHOU}"
    misspelt = search(client, "Miangyang")
    first = misspelt[0]
    assert all(hit["match"] != "fuzzy" for hit in misspelt), "no typo guesses when a name matched as written"
    assert (first["href"], first["matched"], first["matched_kind"], first["match"]) == (
        "/id/mianyang",
        "Miangyang",
        "variant",
        "exact",
    )
    assert search(client, "Sichan")[0]["href"] == "/id/sichuan"
    assert search(client, "Jiuzou")[0]["href"] == f"/{JIUZHOU}"  # a typo: fuzzy
    ranked = search(client, "Mianyang")
    assert ranked[0]["href"] == "/id/mianyang" and ranked[0]["match"] == "exact"
    assert [h["match"] for h in ranked] == sorted(
        (h["match"] for h in ranked), key=TIERS.index
    )
    assert all(h["href"].startswith("/") for h in search(client, "Mianyang")), "only our own entities"
    html = client.get("/search", params={"q": "Jiuzhou"}, headers={"Accept": HTML_ACCEPT})
    assert html.headers["content-type"].startswith("text/html") and f'href="/{JIUZHOU}"' in html.text


def test_dataset_page_counts_and_offers_every_dump(site, client: httpx.Client) -> None:
    page = client.get("/dataset", headers={"Accept": HTML_ACCEPT}).text
    for name in ("mcfkg.trig", "mcfkg.nq", "mcfkg.ttl", "mcfkg.nt", "mcfkg.jsonld", "mcfkg.rdf", "void.ttl"):
        assert f'href="/download/{name}"' in page, name
    assert "/graph/inferred" in page and "triples (asserted and inferred)" in page
    listed = re.findall(r'href="/graph/mianyang-mcf-article/p2/s(\d+)"', page)
    assert listed and listed == sorted(listed, key=int)  # s2 before s10, as a reader counts
    for name, media in (
        ("mcfkg.ttl", "text/turtle"),
        ("mcfkg.nq", "application/n-quads"),
        ("mcfkg.jsonld", "application/ld+json"),
    ):
        response = client.get(f"/download/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert response.content == (site.settings.dist_dir / name).read_bytes()
    first = client.get("/download/void.ttl")
    again = client.get("/download/void.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""  # a cache revalidates without the body
    assert client.get("/download/..%2Fpyproject.toml").status_code == 404
    assert client.get("/download/shapes.ttl").status_code == 404
    void = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert void.headers["content-type"].startswith("text/turtle") and "void:Dataset" in void.text


def test_ontology_and_shapes_pages_document_the_model(client: httpx.Client) -> None:
    ontology = client.get("/ontology").text
    assert "Classes" in ontology and 'href="/def/Enterprise"' in ontology
    shapes = client.get("/shapes")
    assert shapes.status_code == 200 and "Applies to every" in shapes.text
    text = html.unescape(re.sub(r"<[^>]+>", "", shapes.text))  # nested shapes are spelled out, not just messages
    assert "either (class guiding ideology) or (class policy document)" in text
    assert "either (not (datatype xsd:decimal)) or (minimum 0)" in text


def test_query_ui_is_served_locally_with_the_examples(site, client: httpx.Client) -> None:
    page = client.get("/").text
    titles = [
        line.partition(":")[2].strip()
        for p in sorted(site.settings.queries_dir.glob("*.rq"))
        for line in p.read_text().splitlines()[:1]
        if line.startswith("# title:")
    ]
    assert titles and all(t in html.unescape(page) for t in titles)
    scripts = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert all(s.startswith("/static/") for s in scripts), "no CDN"
    for path in scripts:
        assert client.get(path).status_code == 200, f"{path} missing: run `make ui` (npm ci + scripts/vendor.sh)"


@pytest.fixture(scope="module")
def rebased(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    server = serve_project(build_project(tmp_path_factory.mktemp("dist-rebased"), base_iri=OTHER_BASE))
    yield server
    server.stop()


def test_a_deployment_under_another_base_answers_for_its_own_iris(rebased) -> None:
    """Under http://example.org/kg/ every IRI dereferences at its own path, /kg/..., and so do the pages."""
    with httpx.Client(base_url=rebased.url + OTHER_MOUNT, timeout=30) as c:
        turtle = c.get(f"/{JIUZHOU}", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200
        graph = Graph().parse(io.StringIO(turtle.text), format="turtle")
        assert (URIRef(OTHER_BASE + JIUZHOU), None, None) in graph
        assert CANONICAL_BASE not in turtle.text
        page = c.get(f"/{JIUZHOU}", headers={"Accept": HTML_ACCEPT}).text
        assert f'<a href="{OTHER_MOUNT}/id/c919"' in page and f"{OTHER_BASE}{JIUZHOU}" in page
        assert f'href="{OTHER_MOUNT}/static/css/site.css"' in page and f'action="{OTHER_MOUNT}/search"' in page
        headers = c.get(f"/{JIUZHOU}", headers={"Accept": "text/turtle"}).headers
        assert headers["content-location"] == f"{OTHER_MOUNT}/{JIUZHOU}.ttl" and f"<{OTHER_MOUNT}/{JIUZHOU}.html>" in headers["link"]
        for path in re.findall(r'(?:href|src)="(/[^"#?]*)', page):
            assert path.startswith(OTHER_MOUNT + "/"), path
            assert httpx.get(rebased.url + path, timeout=30).status_code == 200, path
        assert search(c, "Jiuzhou")[0]["href"] == f"{OTHER_MOUNT}/{JIUZHOU}"
        assert search(c, "Jiuzhou")[0]["iri"] == OTHER_BASE + JIUZHOU
        iris = minted_iris(rebased, OTHER_BASE)
        assert iris and all(
            c.get("/" + i[len(OTHER_BASE) :], headers={"Accept": "text/turtle"}).status_code == 200 for i in iris[::10]
        )


def ui_config(page: str) -> dict:
    """The JSON the query UI's script reads: endpoint, base, prefixes, examples."""
    match = re.search(r'<script type="application/json" id="ui-config">(.*?)</script>', page, re.DOTALL)
    assert match, "the query page carries no ui-config"
    return json.loads(html.unescape(match.group(1)))


def test_a_rebased_deployment_is_reached_from_the_servers_root(rebased) -> None:
    root = httpx.get(rebased.url + "/", timeout=30)
    assert root.status_code == 308 and root.headers["location"].endswith(f"{OTHER_MOUNT}/")
    assert httpx.get(rebased.url + "/id/mianyang", timeout=30).status_code == 404  # not an IRI of this deployment
    unknown = httpx.get(rebased.url + OTHER_MOUNT + "/id/nope", timeout=30)
    assert unknown.status_code == 404 and f"{OTHER_MOUNT}/search" in unknown.text
    to_ui = httpx.get(rebased.url + OTHER_MOUNT + "/sparql", headers={"Accept": HTML_ACCEPT}, timeout=30)
    assert to_ui.status_code == 303 and to_ui.headers["location"] == f"{OTHER_MOUNT}/"


def test_a_rebased_deployments_examples_ask_about_its_own_iris(rebased) -> None:
    with httpx.Client(base_url=rebased.url + OTHER_MOUNT, timeout=30) as c:
        config = ui_config(c.get("/").text)
        assert config["endpoint"] == f"{OTHER_MOUNT}/sparql"
        listed = config["examples"]
        assert listed and all(CANONICAL_BASE not in e["query"] for e in listed)
        first = listed[0]
        assert f"<{OTHER_BASE}def/>" in first["query"]
        answer = c.post("/sparql", data={"query": first["query"]}, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.json()["results"]["bindings"], first["name"]
        noscript = html.unescape(c.get("/", params={"example": first["name"]}).text)
        assert f"<{OTHER_BASE}def/>" in noscript


def test_the_plain_form_gets_results_as_a_page(client: httpx.Client) -> None:
    """Without JavaScript the query UI's form posts format=html and gets a readable, linked table."""
    query = (f"SELECT ?supplier ?product WHERE {{ ?supplier <{CANONICAL_BASE}def/tierOneSupplierFor> ?product }}")
    page = client.post("/sparql", data={"query": query, "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert re.search(r'<th scope="col">supplier</th>\s*<th scope="col">product</th>', page.text)
    assert f'<a href="/{JIUZHOU}" lang="en">Sichuan Jiuzhou Electric Group</a>' in page.text  # named, linked
    assert '<a href="/id/c919" lang="en">C919</a>' in page.text and "1 row." in page.text
    edit = re.search(r'<a href="(/\?query=[^"]+)">Edit this query</a>', page.text)
    assert edit and parse_qs(urlsplit(html.unescape(edit.group(1))).query)["query"] == [query]
    ask = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }", "format": "html"}).text
    assert '<th scope="col">answer</th>' in ask and "<td><span>true</span></td>" in ask
    construct = client.post("/sparql", data={"query": f"CONSTRUCT WHERE {{ <{CANONICAL_BASE}id/c919> a ?t }}",
                                             "format": "html"}).text
    assert '<th scope="col">subject</th>' in construct and '<a href="/id/c919" lang="en">C919</a>' in construct
    everything = client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "html"})
    assert "The first 1000 rows of a longer answer" in everything.text and everything.text.count("<tr>") == 1001
    assert client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s ?p }", "format": "html"}).status_code == 400
    # Negotiation alone never picks the page: a browser opening a query URL gets SPARQL results.
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": HTML_ACCEPT}).headers[
        "content-type"].startswith("application/sparql-results+xml")
