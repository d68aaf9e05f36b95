"""The fast reasoner against owlrl, the oracle: the same closures, triple for triple.

On the shipped graph, on 10k triples of generated multi-source data (``bench/generate``), and on
a small graph per rule. What the engine does not implement must not shrink the closure: it
refuses, and :func:`mcfkg.reason.consequences` falls back to owlrl (tests/test_reasoner_fallback.py).
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace

from mcfkg.config import Settings
from mcfkg.graph import load_dataset, source_files, union_graph
from mcfkg.reason import Consequences, ReasonerFallback, Triple, consequences, owlrl_consequences
from mcfkg.reasoner import Reasoner
from mcfkg.vocab import Vocab

V = Vocab()
EX = Namespace(V.base + "id/")
T = Namespace(V.base + "def/")
BENCH = Path(__file__).resolve().parents[1] / "bench"


def _reasoned(stated: set[Triple]) -> Consequences:
    """The engine's consequences; a fallback to owlrl here would make the comparison vacuous."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReasonerFallback)
        return consequences(stated, V)


def _assert_same(ours: list[Triple], oracle: list[Triple]) -> None:
    assert len(ours) == len(set(ours)), "the engine repeats a triple"
    missing, extra = set(oracle) - set(ours), set(ours) - set(oracle)
    assert not missing and not extra, f"missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"


@pytest.fixture(scope="module")
def shipped() -> set[Triple]:
    return set(union_graph(load_dataset(source_files(Settings()))))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> set[Triple]:
    """10k triples from bench/generate (many sources, valid against the shapes) with the shipped ontology."""
    sys.path.insert(0, str(BENCH))
    try:
        generate = importlib.import_module("generate")
    finally:
        sys.path.remove(str(BENCH))
    out = tmp_path_factory.mktemp("generated")
    generate.generate(out, 10_000, 1)
    ontology = [path for path in source_files(Settings()) if path.suffix == ".ttl"]
    return set(union_graph(load_dataset([*ontology, *sorted(out.rglob("*.trig"))])))


def test_shipped_graph_both_closures_match_owlrl(shipped: set[Triple]) -> None:
    ours, oracle = _reasoned(shipped), owlrl_consequences(shipped, V)
    _assert_same(ours.validation, oracle.validation)
    _assert_same(ours.published, oracle.published)
    assert len(ours.published) > len(ours.validation) > 0


@pytest.mark.timeout(900)  # owlrl takes one to two minutes per closure at 10k on a busy 2-core machine
def test_generated_10k_closures_match_owlrl(generated: set[Triple]) -> None:
    ours, oracle = _reasoned(generated), owlrl_consequences(generated, V)
    _assert_same(ours.validation, oracle.validation)
    _assert_same(ours.published, oracle.published)


PREFIXES = f"""
@prefix rdf: <{RDF}> . @prefix rdfs: <{RDFS}> . @prefix owl: <{OWL}> . @prefix xsd: <{XSD}> .
@prefix t: <{T}> . @prefix : <{EX}> .
"""
# One small graph per rule family, each with the triple it must derive (a check that the case bites).
CASES = {
    "classes, domain and range": ("""
        t:Enterprise rdfs:subClassOf t:Organization . t:Organization rdfs:subClassOf t:Agent .
        t:Agent owl:equivalentClass t:Actor . t:A rdfs:subClassOf t:B . t:B rdfs:subClassOf t:A .
        t:supplies rdfs:domain t:Enterprise ; rdfs:range t:Product . t:suppliesPart rdfs:subPropertyOf t:supplies .
        :jiuzhou a t:Enterprise ; t:suppliesPart :c919 . :x a t:A .
        """, (EX.c919, RDF.type, T.Product)),
    "sub- and equivalent properties": ("""
        t:tierOne rdfs:subPropertyOf t:supplier . t:supplier rdfs:subPropertyOf t:related .
        t:related owl:equivalentProperty t:linked . :a t:tierOne :b .
        """, (EX.a, T.linked, EX.b)),
    "inverse": ("""
        t:approvedBy owl:inverseOf t:approved . t:approved rdfs:range t:Plan . t:label owl:inverseOf t:labelOf .
        t:labelOf rdfs:range t:Thing . :plan t:approvedBy :ndrc . :ndrc t:approved :other . :x t:label "Mianyang" .
        """, (EX.ndrc, T.approved, EX.plan)),
    "transitive": ("""
        t:locatedIn a owl:TransitiveProperty . t:inCity rdfs:subPropertyOf t:locatedIn .
        t:Chain rdfs:subClassOf owl:TransitiveProperty . t:partOf a t:Chain .
        :park t:inCity :mianyang . :mianyang t:locatedIn :sichuan . :sichuan t:locatedIn :china .
        :a t:partOf :b . :b t:partOf :c .
        """, (EX.park, T.locatedIn, EX.china)),
    "functional": ("""
        t:headquarters a owl:FunctionalProperty . t:code a owl:FunctionalProperty , owl:DatatypeProperty .
        :jiuzhou t:headquarters :mianyang , :mian-yang . :mian-yang t:in :sichuan .
        :a t:code "1" , "01" . :b t:other "1" .
        """, (EX.mianyang, T["in"], EX.sichuan)),
    "sameAs": ("""
        :a owl:sameAs :b . :c owl:sameAs :b . :a t:p :x . :y t:q :c . t:p rdfs:domain t:D .
        :p2 owl:sameAs t:r . :s t:r :o . :x a t:C . t:C rdfs:subClassOf t:E .
        """, (EX.c, T.p, EX.x)),
    "property chain": ("""
        t:received owl:propertyChainAxiom ( t:receivedConferral t:awardConferred ) .
        t:via owl:propertyChainAxiom ( t:l1 t:l2 t:l3 ) . t:received rdfs:range t:Award .
        :institute t:receivedConferral :conferral . :conferral t:awardConferred :prize .
        :c2 owl:sameAs :conferral . :lab t:receivedConferral :c2 .
        :a t:l1 :b . :b t:l2 :c . :b t:l2 :d . :c t:l3 :e . :d t:l3 :f .
        """, (EX.lab, T.received, EX.prize)),
    "reused vocabulary, blank nodes and literals": ("""
        t:amount rdfs:range t:MonetaryAmount ; rdfs:domain t:Grant . t:MonetaryAmount rdfs:subClassOf t:Value .
        :g t:amount [ a t:Money ; t:value "500000000"^^xsd:decimal ; rdfs:label "five hundred million"@en ] .
        t:Money rdfs:subClassOf owl:Thing . :g a owl:NamedIndividual .
        """, (EX.g, RDF.type, T.Grant)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_matches_owlrl(case: str) -> None:
    text, expected = CASES[case]
    stated = set(Graph().parse(data=PREFIXES + text, format="turtle"))
    ours, oracle = _reasoned(stated), owlrl_consequences(stated, V)
    _assert_same(ours.validation, oracle.validation)
    _assert_same(ours.published, oracle.published)
    assert expected in ours.published


def test_domain_and_range_only_reach_the_published_closure() -> None:
    stated = set(Graph().parse(data=PREFIXES + CASES["classes, domain and range"][0], format="turtle"))
    ours = _reasoned(stated)
    assert (EX.c919, RDF.type, T.Product) not in ours.validation
    assert (EX.jiuzhou, RDF.type, T.Actor) in ours.validation


@pytest.mark.parametrize("case", sorted(CASES))
def test_axioms_added_after_the_data_give_the_same_closure(case: str) -> None:
    """Each rule joins from every premise: a run that adds the data, then the axioms (as the build adds
    domain and range last) derives what one run over everything derives."""
    stated = list(Graph().parse(data=PREFIXES + CASES[case][0], format="turtle"))
    axioms = [t for t in stated if str(t[0]).startswith(str(T)) or isinstance(t[0], BNode)]
    stepwise = Reasoner()
    derived = stepwise.add([t for t in stated if t not in axioms])
    derived += stepwise.add(axioms)
    assert len(derived) == len(set(derived))
    assert set(derived) == set(Reasoner().add(stated))
    assert not set(derived) & set(stated)
    assert not any(isinstance(t[1], (BNode, Literal)) for t in derived)
