"""Several sources on one entity: queries 51-53, the entity page's agreement and disagreement views, /sources.

First the rule of ``queries/52-sources-disagree.rq`` on invented quads (on Oxigraph, the server's
engine, and on rdflib), and the entity page's copy of it (:func:`mcfkg.web.describe.disagreements`)
on the same cases. Then the invented fixture ``tests/data/sources/test-fixture-grant-note.trig``
ingested with ``mcfkg ingest`` into a copy of ``data/`` (never into ``data/`` itself): it states one
fact the shipped article states too (the NDRC approved the plan) and one that disagrees with it (the
grant is RMB 600 million, not 500 million). Queries 51-53 run with ``mcfkg query`` on that copy and
the pages are read from ``mcfkg serve`` on a free port. Other sources in ``data/`` may be there too:
every check is about the fixture's own rows, so it holds whatever else has been ingested.

The shapes cap a grant's amounts per source (``mcfsh:maxCountPerSource``), not over the union, so
the disagreement is ingested as it is; one source stating two amounts is still refused.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from live_mcfkg import MCFKG, mcfkg_serve
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, VOID

from mcfkg.config import Settings
from mcfkg.sparql import build_graphs
from mcfkg.sparql.execute import dataset_options
from mcfkg.store import query_limits
from mcfkg.sparql.model import QueryDataset
from mcfkg.vocab import Vocab
from mcfkg.web.describe import Fact, Source, disagreements

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
FIXTURE = ROOT / "tests" / "data" / "sources" / "test-fixture-grant-note.trig"
V = Vocab()
ID, GRAPH, MCF = V.ID, V.GRAPH, V.MCF
SCHEMA = Namespace("https://schema.org/")
ARTICLE, NOTE = ID["mianyang-mcf-article"], ID["test-fixture-grant-note"]
NOTE_TITLE = "Mianyang Cluster Plan Approved, RMB 600 Million Granted (invented test fixture)"
PLAN, GRANT, NDRC = ID["mianyang-mcf-cluster-plan"], ID["mianyang-mcf-grant"], ID["ndrc"]
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def query_text(number: int) -> str:
    return next(QUERIES.glob(f"{number}-*.rq")).read_text(encoding="utf-8")


# -- the rule, on invented quads -------------------------------------------------------------------

A, B = ID["source-a"], ID["source-b"]


def invented() -> Dataset:
    """Two invented sources (A and B) of one sentence each, stating values that agree or differ, and the
    real ontology in its graph (which properties take one value is read from it)."""
    ds = Dataset()
    ds.graph(V.ontology_graph).parse(ROOT / "ontology" / "mcf.ttl", format="turtle")
    facts = {}
    for source in (A, B):
        local = str(source)[len(str(ID)):]
        passage, graph = ID[f"{local}/p1/s1"], GRAPH[f"{local}/p1/s1"]
        description = ds.graph(GRAPH[local])
        description.add((source, RDF.type, MCF.SourceDocument))
        description.add((passage, DCTERMS.isPartOf, source))
        description.add((graph, RDF.type, MCF.FactGraph))
        description.add((graph, PROV.wasDerivedFrom, passage))
        facts[source] = ds.graph(graph)

    def amount(graph: Graph, node: URIRef, exact: Literal | None = None, minimum: Literal | None = None) -> URIRef:
        graph.add((node, RDF.type, SCHEMA.MonetaryAmount))
        graph.add((node, SCHEMA.currency, Literal("CNY")))
        if exact is not None:
            graph.add((node, SCHEMA.value, exact))
        if minimum is not None:
            graph.add((node, SCHEMA.minValue, minimum))
        return node

    a, b = facts[A], facts[B]
    a.add((ID.set, MCF.statedCount, Literal(12)))  # a functional property: 12 against 13
    b.add((ID.set, MCF.statedCount, Literal(13)))
    a.add((ID.plan, DCTERMS.dateAccepted, Literal("2018-04-18", datatype=XSD.date)))  # a date, and one without a year
    b.add((ID.plan, DCTERMS.dateAccepted, Literal("--04-18", datatype=XSD.gMonthDay)))
    a.add((ID.plan2, DCTERMS.dateAccepted, Literal("2018-04-18", datatype=XSD.date)))  # the same date: agree
    b.add((ID.plan2, DCTERMS.dateAccepted, Literal("2018-04-18", datatype=XSD.date)))
    decimal = XSD.decimal
    a.add((ID.grant, MCF.amount, amount(a, ID["amount-a"], Literal("500000000", datatype=decimal))))
    b.add((ID.grant, MCF.amount, amount(b, ID["amount-b"], Literal("500000000.0", datatype=decimal))))  # same number
    a.add((ID.grant2, MCF.amount, amount(a, ID["amount-c"], minimum=Literal("20", datatype=decimal))))
    b.add((ID.grant2, MCF.amount, amount(b, ID["amount-d"], Literal("20", datatype=decimal))))  # exact against bound
    a.add((ID.thing, RDFS.label, Literal("one name", lang="en")))  # labels may be many: never disputed
    b.add((ID.thing, RDFS.label, Literal("another name", lang="en")))
    a.add((ID.set2, MCF.statedCount, Literal(4)))  # one source with two values: no other source disagrees
    a.add((ID.set2, MCF.statedCount, Literal(5)))
    return ds


EXPECTED_52 = [  # (subject, property, value, number, unit, source, fact graph)
    (ID.grant2, MCF.amount, ID["amount-c"], Decimal(20), "CNY", A, GRAPH["source-a/p1/s1"]),
    (ID.grant2, MCF.amount, ID["amount-d"], Decimal(20), "CNY", B, GRAPH["source-b/p1/s1"]),
    (ID.plan, DCTERMS.dateAccepted, "--04-18", "--04-18", None, B, GRAPH["source-b/p1/s1"]),
    (ID.plan, DCTERMS.dateAccepted, "2018-04-18", "2018-04-18", None, A, GRAPH["source-a/p1/s1"]),
    (ID.set, MCF.statedCount, 12, 12, None, A, GRAPH["source-a/p1/s1"]),
    (ID.set, MCF.statedCount, 13, 13, None, B, GRAPH["source-b/p1/s1"]),
]


def plain(value: object) -> object:
    """A result cell as the value the expectations are written in (dates as their lexical form)."""
    if isinstance(value, Literal):
        return str(value) if value.datatype in (XSD.date, XSD.gMonthDay) else value.toPython()
    return value


def test_query_52_finds_different_values_of_single_valued_properties_on_oxigraph() -> None:
    with tempfile.TemporaryDirectory() as folder:
        build = Path(folder) / "mcfkg.nq"
        build.write_bytes(invented().serialize(format="nquads", encoding="utf-8"))
        store, limits = build_graphs.in_memory(str(build), query_limits(Settings()))
    options = dataset_options(store, False, QueryDataset(), limits)
    result = store.query(query_text(52), **options)
    rows = []
    for solution in result:
        row = []
        for variable in result.variables:
            term = solution[variable]
            if isinstance(term, ox.Literal):
                datatype = URIRef(term.datatype.value) if term.datatype else None
                row.append(plain(Literal(term.value, datatype=datatype)))
            else:
                row.append(None if term is None else URIRef(term.value))
        rows.append(tuple(row))
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[5])))
    assert rows == sorted(EXPECTED_52, key=lambda r: (str(r[0]), str(r[1]), str(r[5])))


def test_query_52_gives_the_same_rows_on_rdflib() -> None:
    ds = invented()
    served = Dataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        served.graph(g).add((s, p, o))
        if g != V.ontology_graph:
            served.default_graph.add((s, p, o))
    rows = [tuple(plain(term) for term in row) for row in served.query(query_text(52))]
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[5])))
    assert rows == sorted(EXPECTED_52, key=lambda r: (str(r[0]), str(r[1]), str(r[5])))


def test_query_51_lists_a_fact_once_with_each_source() -> None:
    ds = invented()
    both = ds.graph(GRAPH["source-b/p1/s1"])
    both.add((ID.grant, MCF.amount, ID["amount-a"]))  # B states A's fact as well
    served = Dataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g != V.ontology_graph:
            served.default_graph.add((s, p, o))
        served.graph(g).add((s, p, o))
    rows = [tuple(plain(t) for t in row) for row in served.query(query_text(51))]
    assert rows == [
        (ID.grant, MCF.amount, ID["amount-a"], 2, f"{A} {B}"),
        (ID.plan2, DCTERMS.dateAccepted, "2018-04-18", 2, f"{A} {B}"),
    ]


def fact(predicate: URIRef, other: object, *documents: URIRef, nested: list | None = None) -> Fact:
    sources = [Source(GRAPH[f"{str(d)[len(str(ID)):]}/p1/s1"], document=d) for d in documents]
    return Fact(predicate, other, sources, nested=nested or [])  # type: ignore[arg-type]


def test_the_entity_page_applies_the_same_rule() -> None:
    single = frozenset({MCF.statedCount, MCF.amount})

    def money(number: str, bound: bool = False) -> list:
        return [(SCHEMA.minValue if bound else SCHEMA.value, Literal(number, datatype=XSD.decimal)),
                (SCHEMA.currency, Literal("CNY"))]

    def disputed(*facts: Fact) -> list[URIRef]:
        return [prop for prop, _ in disagreements(list(facts), single)]

    assert disputed(fact(MCF.statedCount, Literal(12), A), fact(MCF.statedCount, Literal(13), B)) == [MCF.statedCount]
    assert disputed(fact(MCF.statedCount, Literal(12), A, B)) == []  # one fact, two sources: agreement
    assert disputed(fact(MCF.statedCount, Literal(4), A), fact(MCF.statedCount, Literal(5), A)) == []
    assert disputed(fact(RDFS.label, Literal("x"), A), fact(RDFS.label, Literal("y"), B)) == []
    same = (fact(MCF.amount, ID["amount-a"], A, nested=money("500000000")),
            fact(MCF.amount, ID["amount-b"], B, nested=money("500000000.0")))
    assert disputed(*same) == []
    bounds = (fact(MCF.amount, ID["amount-c"], A, nested=money("20", bound=True)),
              fact(MCF.amount, ID["amount-d"], B, nested=money("20")))
    assert disputed(*bounds) == [MCF.amount]
    dates = (fact(DCTERMS.dateAccepted, Literal("2018-04-18", datatype=XSD.date), A),
             fact(DCTERMS.dateAccepted, Literal("--04-18", datatype=XSD.gMonthDay), B))
    assert disputed(*dates) == [DCTERMS.dateAccepted]  # a date takes one value without the ontology saying so
    found = disagreements(list(bounds), single)
    assert [f.other for f in found[0][1]] == [ID["amount-c"], ID["amount-d"]]  # every value, each with its sources


# -- the fixture, ingested into a copy of data/ ------------------------------------------------------


def copy_project(root: Path) -> dict[str, str]:
    """data/ and ontology/ copied under ``root``; the environment that points the CLI at them."""
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    overrides = {"MCFKG_DATA_DIR": root / "data", "MCFKG_DIST_DIR": root / "dist", "MCFKG_ONTOLOGY_DIR": root / "ontology"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCFKG_")}
    return {**env, **{k: str(v) for k, v in overrides.items()}}


def ingest(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run([MCFKG, "ingest", str(FIXTURE), "--json"], env=env, capture_output=True, text=True, timeout=900)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    """A copy of the project with the fixture ingested: its settings and environment."""
    root = tmp_path_factory.mktemp("agreement")
    env = copy_project(root)
    outcome = ingest(env)
    assert outcome["status"] == "ingested", outcome
    settings = Settings(data_dir=root / "data", dist_dir=root / "dist", ontology_dir=root / "ontology")
    return settings, env


def test_one_source_stating_two_amounts_for_a_grant_is_refused(tmp_path: Path) -> None:
    """The cap holds within each source: a second amount node for the grant in the same source is refused."""
    env = copy_project(tmp_path)
    text = FIXTURE.read_text(encoding="utf-8")
    doubled = tmp_path / FIXTURE.name
    doubled.write_text(text.replace("mcf:amount ", "mcf:amount mcfid:mianyang-mcf-grant-amount , ", 1), encoding="utf-8")
    done = subprocess.run([MCFKG, "ingest", str(doubled), "--json"], env=env, capture_output=True, text=True, timeout=900)
    outcome = json.loads(done.stdout)
    assert outcome["status"] == "refused", outcome
    assert any("each states one" in v["message"] and v["path"] == "mcf:amount" for v in outcome["violations"]), outcome


def run_query(env: dict[str, str], number: int) -> list[dict[str, str]]:
    """A query file's rows through `mcfkg query` (the server's engine and default graph), as plain strings."""
    path = next(QUERIES.glob(f"{number}-*.rq"))
    done = subprocess.run([MCFKG, "query", "--file", str(path), "--format", "json"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(done.stdout)["results"]["bindings"]]


def test_query_51_lists_the_fact_both_sources_state(project) -> None:
    rows = [r for r in run_query(project[1], 51) if str(NOTE) in r["sourceList"].split()]
    assert [(r["subject"], r["property"], r["value"]) for r in rows] == [(str(PLAN), str(MCF.approvedBy), str(NDRC))]
    listed = rows[0]["sourceList"].split()
    assert str(ARTICLE) in listed and int(rows[0]["sources"]) == len(listed) == len(set(listed))
    assert listed == sorted(listed)


def test_query_52_lists_both_amounts_of_the_grant_each_with_its_source(project) -> None:
    rows = run_query(project[1], 52)
    grant = {(r["value"], r["number"], r["unit"], r["source"], r["factGraph"])
             for r in rows if r["subject"] == str(GRANT) and r["property"] == str(MCF.amount)}
    assert (str(ID["mianyang-mcf-grant-amount"]), "500000000", "CNY", str(ARTICLE),
            str(GRAPH["mianyang-mcf-article/p1/s1"])) in grant
    assert [r for r in rows if r["source"] == str(NOTE)] == [{
        "subject": str(GRANT), "property": str(MCF.amount), "value": str(ID["test-fixture-grant-note-amount"]),
        "number": "600000000", "unit": "CNY", "source": str(NOTE), "factGraph": str(GRAPH["test-fixture-grant-note/p1/s2"]),
    }]
    assert not [r for r in rows if r["property"] == str(MCF.approvedBy)], "agreeing is not disagreeing"


def test_query_53_counts_what_the_fixture_added(project) -> None:
    rows = {r["source"]: r for r in run_query(project[1], 53)}
    assert rows[str(NOTE)] == {"source": str(NOTE), "title": NOTE_TITLE, "facts": "6", "factsAdded": "5",
                               "entities": "3", "entitiesIntroduced": "1"}  # all but the approval; the new amount
    article = rows[str(ARTICLE)]
    assert int(article["factsAdded"]) < int(article["facts"]) and int(article["entitiesIntroduced"]) < int(article["entities"])


def test_the_void_description_lists_the_fixture_with_its_triples(project) -> None:
    void = Graph().parse(project[0].dist_dir / "void.ttl", format="turtle")
    dataset = URIRef(V.base + "dataset")
    assert {ARTICLE, NOTE} <= set(void.objects(dataset, DCTERMS.source))
    subset = URIRef(f"{dataset}/source/test-fixture-grant-note")
    assert (dataset, VOID.subset, subset) in void and (subset, DCTERMS.source, NOTE) in void
    assert str(void.value(subset, DCTERMS.title)) == NOTE_TITLE
    assert int(void.value(subset, VOID.triples)) == 6
    assert set(void.objects(subset, VOID.subset)) == {GRAPH["test-fixture-grant-note/p1/s1"], GRAPH["test-fixture-grant-note/p1/s2"]}


# -- the pages, from `mcfkg serve` ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(project) -> Iterator[httpx.Client]:
    with mcfkg_serve(env=project[1], timeout=120) as endpoint:
        with httpx.Client(base_url=endpoint.removesuffix("/sparql"), timeout=60) as c:
            yield c


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``; empty if there is none."""
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, flags=re.DOTALL)
    return found.group(0) if found else ""


def rows_of(fragment: str) -> list[str]:
    return re.findall(r"<tr\b.*?</tr>", fragment, flags=re.DOTALL)


def test_the_grant_page_shows_the_disagreement_with_each_value_and_source(client: httpx.Client) -> None:
    response = client.get("/id/mianyang-mcf-grant", headers={"Accept": HTML_ACCEPT})
    assert response.status_code == 200
    block = section(response.text, "disagreements-h")
    assert "Sources disagree" in block and "<strong>amount</strong>" in block
    rows = rows_of(block.split("<tbody>")[1])
    new = [r for r in rows if "RMB 600,000,000 (CNY)" in r]
    old = [r for r in rows if "RMB 500,000,000 (CNY)" in r]
    assert len(new) == 1 and len(old) >= 1
    assert 'href="/id/test-fixture-grant-note"' in new[0] and NOTE_TITLE in html.unescape(new[0])
    assert 'href="/id/test-fixture-grant-note/p1/s2"' in new[0] and "RMB 600 million" in new[0]  # sentence and excerpt
    assert any('href="/id/mianyang-mcf-article/p1/s1"' in r and 'href="/id/mianyang-mcf-article"' in r for r in old)
    assert "/id/mianyang-mcf-article" not in new[0]
    facts = section(response.text, "facts-h")
    assert facts.count('class="badge disputed"') >= 2, "each disputed value is marked in the facts table"


def test_the_plan_page_shows_the_shared_fact_once_with_both_sources(client: httpx.Client) -> None:
    response = client.get("/id/mianyang-mcf-cluster-plan", headers={"Accept": HTML_ACCEPT})
    assert response.status_code == 200
    assert not section(response.text, "disagreements-h")
    approved = [r for r in rows_of(section(response.text, "facts-h")) if 'href="/id/ndrc"' in r]
    assert len(approved) == 1, "one row for the fact, however many sources state it"
    stated = re.search(r"stated by (\d+) sources", approved[0])
    assert stated and int(stated.group(1)) >= 2
    assert 'href="/id/test-fixture-grant-note/p1/s1"' in approved[0]
    assert 'href="/id/mianyang-mcf-article/p1/s1"' in approved[0]
    assert ">Test fixture: grant note</a>" in approved[0], "with several sources, each names its document"


def test_a_page_with_one_source_names_no_document(client: httpx.Client) -> None:
    page = client.get("/id/test-fixture-grant-note-amount", headers={"Accept": HTML_ACCEPT}).text
    assert "RMB 600 million" in page and 'href="/id/test-fixture-grant-note/p1/s2"' in page
    assert 'class="document"' not in page and 'class="badge agreed"' not in page and "disagreements-h" not in page


def test_the_sources_page_lists_the_fixture_as_mcfkg_sources_does(project, client: httpx.Client) -> None:
    from mcfkg.sources.catalogue import list_sources

    served = client.get("/sources", headers={"Accept": "application/json"}).json()
    listed = [asdict(row) for row in list_sources(project[0], lambda note: None)]
    assert served["sources"] == listed and served["total"] == len(listed)
    note = next(s for s in served["sources"] if s["iri"] == str(NOTE))
    assert (note["title"], note["fact_graphs"], note["facts"], note["entities"]) == (NOTE_TITLE, 2, 6, 3)
    assert (note["publisher"], note["published"], note["retrieved"]) == ("Invented Test Newsdesk", "2026-02-03", "2026-02-04")
    page = client.get("/sources", headers={"Accept": HTML_ACCEPT}).text
    assert f'<a href="/id/test-fixture-grant-note">{html.escape(NOTE_TITLE)}</a>' in page
