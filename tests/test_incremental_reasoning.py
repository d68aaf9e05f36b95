"""mcfkg.incremental.reasoning: what a new source adds to both closures of a built graph's state.

The oracle is :func:`mcfkg.reason.consequences` on the old asserted triples plus the new ones:
the old closure (read from the state) plus what the incremental run says is gained, minus what
is now asserted, must be that full closure, for the validation and the published closure alike.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Literal, Namespace, URIRef

from mcfkg.config import Settings
from mcfkg.graph import load_dataset, source_files, union_graph
from mcfkg.incremental.reasoning import delta_consequences
from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.state import PUBLISHED_CLOSURE, STATE_GRAPHS, VALIDATION_CLOSURE, write_state
from mcfkg.incremental.terms import Triple, to_ox, triples_to_rdflib
from mcfkg.reason import Consequences, consequences, infer
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

SETTINGS = Settings()
VOCAB = Vocab(SETTINGS.base_iri)
MCF, ID = Namespace("https://w3id.org/mcfkg/def/"), Namespace("https://w3id.org/mcfkg/id/")
ORG = Namespace("http://www.w3.org/ns/org#")

# A new organisation in an existing place (the closure puts it in Mianyang, Sichuan and China) that
# approved an existing plan, an alias of an existing body, an external link, and a restatement of
# what the shipped graph already infers (the cluster lies in Mianyang: China Sci-Tech City does).
HAND_SOURCE = """
@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/mcfkg/graph/hand-source> {
    mcfid:hand-org a mcf:Enterprise ;
        rdfs:label "Hand-written enterprise"@en ;
        mcf:locatedIn mcfid:china-sci-tech-city ;
        mcf:approved mcfid:mianyang-mcf-cluster-plan ;
        owl:sameAs <http://www.wikidata.org/entity/Q1> .
    mcfid:ndrc-alias owl:sameAs mcfid:ndrc ;
        rdfs:label "NDRC, as the hand source names it"@en .
    mcfid:mianyang-mcf-industry-cluster mcf:locatedIn mcfid:mianyang .
}
"""


def _state(folder: Path, files: list[Path]) -> ox.Store:
    """The state a full build of ``files`` writes (dist/state/), opened."""
    ds = load_dataset(files, SETTINGS.base_iri)
    infer(ds, VOCAB)
    found = consequences(union_graph(ds, exclude=[VOCAB.inferred_graph]), VOCAB)
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / "mcfkg.nq"
    ds.serialize(dump, format="nquads")
    return ox.Store(str(write_state(folder, dump, found.validation, found.published)))


def _triples(path: Path) -> list[Triple]:
    return list(load_dataset([path], SETTINGS.base_iri).quads((None, None, None, None)))  # type: ignore[arg-type]


def _asserted(store: ox.Store) -> set[Triple]:
    skip = {*STATE_GRAPHS, to_ox(VOCAB.inferred_graph)}
    return set(triples_to_rdflib(q for q in store if q.graph_name not in skip))


def _closure(store: ox.Store, graph: ox.NamedNode) -> set[Triple]:
    return set(triples_to_rdflib(store.quads_for_pattern(None, None, None, graph)))


def _check(store: ox.Store, added: list[Triple]) -> Consequences:
    """Assert that the gained consequences complete the old closures into the full ones; return them."""
    gained = delta_consequences(store, added, VOCAB)
    now_asserted = _asserted(store) | {(s, p, o) for s, p, o, *_ in added}
    full = consequences(now_asserted, VOCAB)
    for graph, found, expected in (
        (VALIDATION_CLOSURE, gained.validation, full.validation),
        (PUBLISHED_CLOSURE, gained.published, full.published),
    ):
        assert len(found) == len(set(found))
        assert not set(found) & _closure(store, graph)
        assert (_closure(store, graph) | set(found)) - now_asserted == set(expected)
    return gained


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The state of the shipped data."""
    return _state(tmp_path_factory.mktemp("shipped"), source_files(SETTINGS))


def test_a_generated_source_added_to_the_shipped_graph_gains_what_the_full_closure_has(
    shipped: ox.Store, tmp_path: Path
) -> None:
    generate(tmp_path / "gen", 2_000, seed=3)
    source = max((tmp_path / "gen" / "sources").glob("*.trig"), key=lambda p: p.stat().st_size)
    gained = _check(shipped, [t[:3] for t in _triples(source)])
    assert gained.validation and len(gained.published) > len(gained.validation)


def test_a_source_linking_to_existing_entities_gains_their_inferences(shipped: ox.Store, tmp_path: Path) -> None:
    source = tmp_path / "hand-source.trig"
    source.write_text(HAND_SOURCE)
    added = [t[:3] for t in _triples(source)]
    gained = _check(shipped, added)
    org, plan = ID["hand-org"], ID["mianyang-mcf-cluster-plan"]
    for closure in (gained.validation, gained.published):
        assert (org, MCF.locatedIn, ID.sichuan) in closure  # transitive through the existing places
        assert (ID.china, MCF.containsPlace, org) in closure  # and its inverse, on the hub
        assert (plan, MCF.approvedBy, org) in closure
        assert (ID["ndrc-alias"], MCF.jurisdiction, ID.china) in closure  # eq-rep from the existing body
        assert (ID.ndrc, RDFS.label, Literal("NDRC, as the hand source names it", lang="en")) in closure
        assert (org, RDF.type, ORG.Organization) in closure
    assert (ID["mianyang-mcf-industry-cluster"], MCF.locatedIn, ID.mianyang) not in gained.published  # now asserted
    assert not any(URIRef("http://www.wikidata.org/entity/Q1") in t for t in gained.published)  # links are no premise


def test_sources_added_one_at_a_time_to_a_generated_graph_keep_the_full_closure(tmp_path: Path) -> None:
    data = tmp_path / "gen"
    generate(data, 4_000, seed=11)
    sources = sorted((data / "sources").glob("*.trig"))
    base, later = sources[:-3], sources[-3:]
    store = _state(tmp_path / "dist", [SETTINGS.ontology_dir / "mcf.ttl", data / "curation.trig", *base])
    for source in later:
        quads = _triples(source)
        gained = _check(store, [t[:3] for t in quads])
        assert gained.published
        # What an ingest writes into the state: the source's quads and what each closure gains.
        now_asserted = {t[:3] for t in quads}
        store.extend(ox.Quad(*map(to_ox, q)) for q in quads)  # type: ignore[misc]
        for graph, found in ((VALIDATION_CLOSURE, gained.validation), (PUBLISHED_CLOSURE, gained.published)):
            for triple in now_asserted & _closure(store, graph):
                store.remove(ox.Quad(*map(to_ox, triple), graph))  # type: ignore[misc]
            store.extend(ox.Quad(*map(to_ox, t), graph) for t in found)  # type: ignore[misc]


def test_the_validation_closure_gains_what_only_the_published_one_had(tmp_path: Path) -> None:
    """A document typed only by the range of ``mcf:approved`` (published, not validated) is later
    stated a plan: the validation closure gains its superclasses, the published one nothing new."""
    typed_by_range = tmp_path / "typed-by-range.trig"
    typed_by_range.write_text(
        "@prefix mcf: <https://w3id.org/mcfkg/def/> . @prefix mcfid: <https://w3id.org/mcfkg/id/> .\n"
        "<https://w3id.org/mcfkg/graph/typed-by-range> { mcfid:ndrc mcf:approved mcfid:hand-document . }\n"
    )
    store = _state(tmp_path / "dist", [*source_files(SETTINGS), typed_by_range])
    document = ID["hand-document"]
    published_only = _closure(store, PUBLISHED_CLOSURE) - _closure(store, VALIDATION_CLOSURE)
    assert (document, RDF.type, MCF.PolicyDocument) in published_only
    gained = _check(store, [(document, RDF.type, MCF.ImplementationPlan)])
    assert (document, RDF.type, MCF.PolicyDocument) in gained.validation
    assert (document, RDF.type, MCF.PolicyDocument) not in gained.published


def test_vocabulary_triples_the_graph_already_asserts_change_nothing(shipped: ox.Store) -> None:
    """Restated, an axiom is no premise: were the domain axiom fired in the validation run, every
    approving body would gain the domain's class there."""
    restated = [
        (MCF.approved, RDFS.domain, ORG.Organization),
        (MCF.ImplementationPlan, RDFS.subClassOf, MCF.PolicyDocument),
    ]
    gained = _check(shipped, [*restated, (ID["hand-plan"], RDF.type, MCF.ImplementationPlan)])
    assert (ID["hand-plan"], RDF.type, MCF.PolicyDocument) in gained.validation


@pytest.mark.parametrize(
    "schema",
    [
        (ID["hand-org"], RDFS.subClassOf, MCF.Enterprise),
        (ID["hand-property"], RDF.type, OWL.TransitiveProperty),
        (MCF.Enterprise, RDFS.label, Literal("a label on a class of the ontology")),
    ],
)
def test_a_source_that_changes_the_vocabulary_is_not_incremental(shipped: ox.Store, schema: Triple) -> None:
    with pytest.raises(NotIncremental, match="built in full"):
        delta_consequences(shipped, [(ID["hand-org"], RDFS.label, Literal("x")), schema], VOCAB)
