"""The VoID description after an incremental change (issue 13): updated from the change and lookups in the
state, it is the description a full build of the new data gives.

Each case builds the data before and after with the real loader and reasoner, writes the state of the
first as a build does, takes the published quads that differ between the two as the change (the new
source's quads and inferences, and the inferred triples it now states), and compares
``updated_void`` with ``void_description`` of the second, blank-node partitions included. Taking
the change backwards (the source retracted) drives the figures down: partitions, graphs, a source's
subset and a linkset that disappear.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import DCTERMS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from mcfkg.build import load_and_reason
from mcfkg.config import Settings
from mcfkg.export import void_description
from mcfkg.graph import source_files
from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.state import STATE_GRAPHS, open_state, write_state
from mcfkg.incremental.terms import to_ox
from mcfkg.incremental.void import Quad, updated_void
from mcfkg.reason import closures
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

SETTINGS = Settings(ontology_dir=ROOT / "ontology", data_dir=ROOT / "data")
VOCAB = Vocab(SETTINGS.base_iri)

# A small release in the layout `mcfkg ingest` writes. It restates a fact already asserted elsewhere
# (NDRC's jurisdiction), states one the shipped data only infers (the C919's supplier), and brings a
# class, a property and a kind of link (skos:exactMatch to Wikidata) that the shipped data lacks.
RELEASE = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix mcfg: <https://w3id.org/mcfkg/graph/> .
@prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .

<https://w3id.org/mcfkg/graph/void-test-release/p1/s1> {
    mcfid:c919 mcf:hasSupplier mcfid:sichuan-jiuzhou-electric-group .
    mcfid:ndrc mcf:jurisdiction mcfid:china .
}

<https://w3id.org/mcfkg/graph/void-test-release/p1/s2> {
    mcfid:void-test-lab a mcf:Enterprise ;
        rdfs:label "a laboratory named only in the test release"@en ;
        mcf:locatedIn mcfid:mianyang ;
        owl:sameAs wd:Q123456789 ;
        skos:exactMatch wd:Q987654321 .
}

mcfg:void-test-release {
    <https://w3id.org/mcfkg/graph/void-test-release/p1/s1> a mcf:FactGraph ; prov:wasDerivedFrom <https://w3id.org/mcfkg/id/void-test-release/p1/s1> .
    <https://w3id.org/mcfkg/graph/void-test-release/p1/s2> a mcf:FactGraph ; prov:wasDerivedFrom <https://w3id.org/mcfkg/id/void-test-release/p1/s2> .
    <https://w3id.org/mcfkg/id/void-test-release/p1/s1> a mcf:Passage ; dcterms:isPartOf mcfid:void-test-release ;
        mcf:paragraph 1 ; mcf:sentence 1 .
    <https://w3id.org/mcfkg/id/void-test-release/p1/s2> a mcf:Passage ; dcterms:isPartOf mcfid:void-test-release ;
        mcf:paragraph 1 ; mcf:sentence 2 .
    mcfid:void-test-release a mcf:SourceDocument, schema:NewsArticle ;
        dcterms:title "A release written for the VoID test"@en ;
        schema:keywords "military-civil fusion" .
}
"""


def _published(ds: Dataset) -> set[Quad]:
    """The quads of ``ds`` a change can touch: all but the ontology graph's (the only ones with blank nodes)."""
    return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None)) if g != VOCAB.ontology_graph}


def _state(ds: Dataset, dist: Path) -> ox.Store:
    """The state a build of ``ds`` writes to ``dist``, opened as an ingest opens it."""
    dist.mkdir(parents=True)
    dump = dist / "mcfkg.nq"
    ds.serialize(destination=str(dump), format="nquads")
    found = closures(ds, VOCAB)
    write_state(dist, dump, found.validation, found.published)
    store = open_state(dist, dump)
    assert store is not None
    return store


Pair = tuple[Dataset, Dataset]  # the dataset without and with the new source


def _datasets(base: list[Path], source: Path) -> Pair:
    return load_and_reason(SETTINGS, files=base), load_and_reason(SETTINGS, files=[*base, source])


@pytest.fixture(scope="module")
def shipped_data(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    """The shipped data without and with the hand-written release."""
    release = tmp_path_factory.mktemp("release") / "void-test-release.trig"
    release.write_text(RELEASE, encoding="utf-8")
    return _datasets(source_files(SETTINGS), release)


@pytest.fixture(scope="module")
def generated_data(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    """A generated data set without and with its last source."""
    data = tmp_path_factory.mktemp("generated") / "data"
    generate(data, 4_000, seed=11)
    *sources, last = sorted((data / "sources").glob("*.trig"))
    return _datasets([SETTINGS.ontology_dir / "mcf.ttl", data / "curation.trig", *sources], last)


class Case:
    """A change from one dataset to another: the state and VoID of the first, and the published quads that differ."""

    def __init__(self, before: Dataset, after: Dataset, dist: Path) -> None:
        self.before, self.after = before, after
        self.store = _state(before, dist)
        old, new = _published(before), _published(after)
        self.added, self.removed = sorted(new - old), sorted(old - new)
        assert not any(isinstance(term, BNode) for quad in self.added + self.removed for term in quad)

    def updated(self) -> Graph:
        """The VoID of the state, as read back from ``void.ttl``, updated by the change."""
        void = Graph().parse(data=void_description(self.before, VOCAB).serialize(format="turtle"), format="turtle")
        return updated_void(void, self.store, self.added, self.removed, VOCAB)

    def expected(self) -> Graph:
        return void_description(self.after, VOCAB)


def _case(pair: Pair, request: pytest.FixtureRequest, dist: Path) -> Case:
    """The change that adds the source (``ingest``) or takes it out again (``retract``), as ``request`` asks."""
    before, after = pair
    return Case(after, before, dist) if request.param == "retract" else Case(before, after, dist)


@pytest.fixture(params=["ingest", "retract"])
def shipped(request: pytest.FixtureRequest, shipped_data: Pair, tmp_path: Path) -> Case:
    return _case(shipped_data, request, tmp_path / "dist")


@pytest.fixture(params=["ingest", "retract"])
def generated(request: pytest.FixtureRequest, generated_data: Pair, tmp_path: Path) -> Case:
    return _case(generated_data, request, tmp_path / "dist")


def _assert_isomorphic(got: Graph, expected: Graph) -> None:
    if not isomorphic(got, expected):
        _, extra, missing = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(f"updated VoID differs:\nextra:\n{extra.serialize(format='nt')}\nmissing:\n{missing.serialize(format='nt')}")


def test_the_release_moves_a_triple_out_of_the_inferred_graph_and_restates_an_asserted_one(
    shipped_data: Pair, tmp_path: Path
) -> None:
    case = Case(*shipped_data, tmp_path / "dist")
    c919 = VOCAB.ID["c919"], VOCAB.MCF.hasSupplier, VOCAB.ID["sichuan-jiuzhou-electric-group"]
    assert (*c919, VOCAB.inferred_graph) in case.removed
    restated = (VOCAB.ID.ndrc, VOCAB.MCF.jurisdiction, VOCAB.ID.china)
    assert any(case.before.quads((*restated, None)))
    assert (*restated, VOCAB.GRAPH["void-test-release/p1/s1"]) in case.added


def test_the_updated_void_is_the_full_builds_for_the_shipped_data(shipped: Case) -> None:
    _assert_isomorphic(shipped.updated(), shipped.expected())


def test_the_updated_void_is_the_full_builds_for_a_generated_source(generated: Case) -> None:
    assert generated.added and generated.removed
    _assert_isomorphic(generated.updated(), generated.expected())


def test_what_the_state_graphs_hold_is_not_counted(shipped_data: Pair, tmp_path: Path) -> None:
    """The closures the state keeps for reasoning are not published: the new triples there change nothing."""
    case = Case(*shipped_data, tmp_path / "dist")
    case.store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)  # type: ignore[arg-type]
                      for s, p, o, _ in case.added for graph in STATE_GRAPHS)
    _assert_isomorphic(case.updated(), case.expected())


def test_a_title_stated_about_the_ontology_header_is_the_datasets_too(shipped_data: Pair, tmp_path: Path) -> None:
    header = tmp_path / "header.trig"
    header.write_text('<https://w3id.org/mcfkg/graph/header-note> { <https://w3id.org/mcfkg/def/> '
                      '<http://purl.org/dc/terms/title> "Another title"@en . }\n', encoding="utf-8")
    before = shipped_data[0]
    case = Case(before, load_and_reason(SETTINGS, files=[*source_files(SETTINGS), header]), tmp_path / "dist")
    got = case.updated()
    assert Literal("Another title", lang="en") in set(got.objects(URIRef(VOCAB.base + "dataset"), DCTERMS.title))
    _assert_isomorphic(got, case.expected())


def test_a_change_to_the_ontology_graph_is_refused(shipped_data: Pair, tmp_path: Path) -> None:
    store = _state(shipped_data[0], tmp_path / "dist")
    change = [(VOCAB.MCF.Enterprise, DCTERMS.title, Literal("Enterprise"), VOCAB.ontology_graph)]
    with pytest.raises(NotIncremental, match="build in full"):
        updated_void(Graph(), store, change, [], VOCAB)
