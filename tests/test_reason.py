"""OWL-RL reasoning: useful inferences land in the inferred graph, never in asserted ones; noise is dropped."""

from __future__ import annotations

import warnings

import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Literal, URIRef

from mcfkg.config import Settings
from mcfkg.graph import load_dataset, source_files
from mcfkg.reason import ReasonerFallback, consequences, infer, validation_graph, worth_keeping
from mcfkg.graph import union_graph
from mcfkg.vocab import Vocab

V = Vocab()
ORG_ORGANIZATION = URIRef("http://www.w3.org/ns/org#Organization")


@pytest.fixture
def reasoned(pipeline_settings: Settings) -> tuple[Dataset, int]:
    ds = load_dataset(source_files(pipeline_settings))
    return ds, infer(ds, V)


def _asserted(ds: Dataset):
    return [g for g in ds.graphs() if g.identifier != V.inferred_graph]


def test_inverse_relation_is_inferred_into_the_inferred_graph_only(reasoned) -> None:
    ds, _ = reasoned
    triple = (V.ID.c919, V.MCF.hasTierOneSupplier, V.ID.jiuzhou)
    assert triple in ds.graph(V.inferred_graph)
    assert not any(triple in g for g in _asserted(ds))


def test_superclass_membership_through_reused_vocabulary(reasoned) -> None:
    ds, _ = reasoned
    inferred = ds.graph(V.inferred_graph)
    membership = (V.ID.jiuzhou, RDF.type, ORG_ORGANIZATION)  # mcf:Enterprise ⊑ mcf:Organization ⊑ org:Organization
    assert membership in inferred
    assert (V.ID.jiuzhou, RDF.type, V.MCF.Organization) in inferred
    assert not any(membership in g for g in _asserted(ds))


def test_nothing_is_inferred_about_the_vocabulary_itself(reasoned) -> None:
    """Superclasses of a class are the ontology's business: read with rdfs:subClassOf+ from its graph."""
    ds, _ = reasoned
    inferred = ds.graph(V.inferred_graph)
    assert (V.MCF.Enterprise, RDFS.subClassOf, ORG_ORGANIZATION) not in inferred
    assert not set(inferred.subjects()) & set(ds.graph(V.ontology_graph).subjects())


def test_count_is_the_size_of_the_inferred_graph_and_nothing_asserted_is_repeated(reasoned) -> None:
    ds, count = reasoned
    inferred = ds.graph(V.inferred_graph)
    assert count == len(inferred) > 0
    assert not any(t in g for t in inferred for g in _asserted(ds))


def test_axiomatic_noise_is_not_kept(reasoned) -> None:
    ds, _ = reasoned
    inferred = ds.graph(V.inferred_graph)
    assert (None, RDF.type, OWL.Thing) not in inferred
    assert (None, RDF.type, RDFS.Resource) not in inferred
    assert not [s for s, p, o in inferred.triples((None, OWL.sameAs, None)) if s == o]
    assert not [s for s in inferred.subjects() if str(s).startswith(str(OWL)) or isinstance(s, Literal)]


def test_reasoning_again_gives_the_same_inferred_graph(reasoned) -> None:
    ds, count = reasoned
    before = set(ds.graph(V.inferred_graph))
    assert infer(ds, V) == count
    assert set(ds.graph(V.inferred_graph)) == before


@pytest.mark.parametrize(
    ("triple", "keep"),
    [
        ((V.ID.a, RDF.type, V.MCF.Organization), True),
        ((V.ID.a, RDF.type, OWL.Thing), False),
        ((V.ID.a, OWL.sameAs, V.ID.a), False),
        ((V.ID.a, OWL.sameAs, V.ID.b), True),
        ((V.MCF.A, RDFS.subClassOf, V.MCF.A), False),
        ((OWL.Thing, RDF.type, OWL.Class), False),
        ((Literal(1), RDF.type, RDFS.Literal), False),
        ((V.ID.a, V.MCF.amount, Literal(5)), True),
    ],
)
def test_the_keep_rule(triple, keep: bool) -> None:
    assert worth_keeping(*triple) is keep


def test_sameas_links_to_external_iris_are_not_smushed(pipeline_settings: Settings) -> None:
    wikidata = URIRef("http://www.wikidata.org/entity/Q1")
    links = pipeline_settings.data_dir / "links.trig"
    links.write_text(
        "<https://w3id.org/mcfkg/graph/links> { <https://w3id.org/mcfkg/id/jiuzhou> "
        f"<http://www.w3.org/2002/07/owl#sameAs> <{wikidata}> . }}\n"
    )
    ds = load_dataset(source_files(pipeline_settings))
    infer(ds, V)
    inferred = ds.graph(V.inferred_graph)
    assert (V.ID.jiuzhou, OWL.sameAs, wikidata) in ds.graph(V.GRAPH.links)  # the link stays, asserted
    assert not [t for t in inferred if wikidata in t]  # facts are not copied onto the external IRI
    assert (V.ID.c919, V.MCF.hasTierOneSupplier, V.ID.jiuzhou) in inferred


def test_the_validation_graph_is_the_asserted_graphs_plus_the_closure_without_domain_and_range(reasoned) -> None:
    ds, _ = reasoned
    asserted = set(union_graph(ds, exclude=[V.inferred_graph]))
    graph = set(validation_graph(ds, V))
    assert graph == asserted | set(consequences(asserted, V).validation)
    assert (V.ID.c919, V.MCF.hasTierOneSupplier, V.ID.jiuzhou) in graph  # an inverse, as in the inferred graph


def test_the_validation_graph_follows_a_change_made_after_infer(reasoned) -> None:
    """infer() keeps its run's validation closure for the build; a changed dataset is reasoned again."""
    ds, _ = reasoned
    before = set(validation_graph(ds, V))
    ds.graph(V.GRAPH.curation).add((V.ID.newcomer, V.MCF.tierOneSupplierFor, V.ID.c919))
    after = set(validation_graph(ds, V))
    assert (V.ID.c919, V.MCF.hasTierOneSupplier, V.ID.newcomer) in after - before


def test_the_shipped_ontology_and_data_need_no_fallback_to_owlrl(pipeline_settings: Settings) -> None:
    ds = load_dataset(source_files(Settings()))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReasonerFallback)
        assert infer(ds, V) > 0
