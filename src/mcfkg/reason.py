"""OWL-RL reasoning with inferred triples kept apart from asserted ones.

The closure of ontology + data is computed once per build by :mod:`mcfkg.reasoner` (owlrl's
closure, 50-100 times faster; owlrl itself when the input uses OWL that engine does not
implement). What it adds is kept in
the named graph ``Vocab(base).inferred_graph``, so a user can query the asserted graphs, the
inferred graph, or both (the endpoint's default graph, which leaves out the vocabulary).

``owl:sameAs`` links between one of our IRIs and an IRI outside the base (Wikidata, DBpedia,
GeoNames, in the links graph) are not given to the reasoner: they say where else the thing is
described, and OWL-RL would copy every fact onto the external IRI and back (a third of the
inferred graph, and false cardinality violations). They stay in the data, asserted.

owlrl also derives much that no analyst asks about. A new triple is kept only if

1. its subject is an IRI or blank node that is not a built-in term (``rdf:``, ``rdfs:``,
   ``owl:``, ``xsd:``), so no literal-subject junk and no facts about the built-ins;
2. its object is not a built-in term, which drops ``x a owl:Thing``, ``x a rdfs:Resource``,
   ``x a owl:Class``, ``p a rdf:Property``, ``C rdfs:subClassOf owl:Thing`` and the like;
3. it does not relate a term to itself by ``owl:sameAs``, ``rdfs:subClassOf``,
   ``rdfs:subPropertyOf``, ``owl:equivalentClass`` or ``owl:equivalentProperty``;
4. it is not about a term of the vocabulary (a subject of the ontology graph): what the
   ontology entails about its own classes and properties (superclasses, widened domains and
   ranges) stays with the vocabulary, which the endpoint's default graph leaves out, and is
   read from the ontology graph with property paths (``rdfs:subClassOf+``).

What remains is what matters: inferred facts, such as memberships in superclasses (including
reused vocabularies such as ``org:Organization``) and inverse and super-property relations.

SHACL validates the asserted graphs plus a smaller closure, without ``rdfs:domain`` and
``rdfs:range`` as premises (see :func:`validation_graph`). Both come from one run: the
reasoner first closes everything else, then adds the domain and range axioms and goes on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Set
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from rdflib import OWL, RDFS, Dataset, Graph, Literal
from rdflib.term import Node

from mcfkg.graph import union_graph
from mcfkg.reasoner import Reasoner, Unsupported
from mcfkg.reasoner.oracle import owlrl_closure
from mcfkg.reasoner.support import is_built_in
from mcfkg.reasoner.terms import RdfTriple
from mcfkg.vocab import Vocab

Triple = RdfTriple
REFLEXIVE_TRIVIA = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
TYPING_AXIOMS = (RDFS.domain, RDFS.range)


class ReasonerFallback(UserWarning):
    """The fast reasoner refused the input (an OWL construct it does not implement); owlrl reasoned instead."""


@dataclass(frozen=True)
class Consequences:
    """What follows from the asserted triples and is worth keeping (see the module docstring), none of it asserted."""

    validation: list[Triple]  # from every premise but the domain and range axioms
    published: list[Triple]  # from every premise: ``validation`` and what domain and range add


def worth_keeping(s: Node, p: Node, o: Node) -> bool:
    """The rule (see module docstring) that separates useful inferences from owlrl's axiomatic noise."""
    if isinstance(s, Literal) or is_built_in(s) or is_built_in(o):
        return False
    return not (s == o and p in REFLEXIVE_TRIVIA)


def is_external_link(triple: Triple, vocab: Vocab) -> bool:
    """True for ``owl:sameAs`` between one of our IRIs and an IRI outside ``vocab.base``."""
    s, p, o = triple
    return p == OWL.sameAs and str(s).startswith(vocab.base) != str(o).startswith(vocab.base)


def consequences(asserted: Iterable[Triple], vocab: Vocab) -> Consequences:
    """Both closures of ``asserted`` in one run of :mod:`mcfkg.reasoner`, or of owlrl if it refuses the input."""
    stated = set(asserted)
    untyped, typing = _premises(stated, vocab)
    try:
        reasoner = Reasoner()
        validation = _useful(reasoner.add(untyped), stated)
        return Consequences(validation, validation + _useful(reasoner.add(typing), stated))
    except Unsupported as refusal:
        warnings.warn(
            f"{refusal}; reasoning with owlrl instead (the same closure, 30-100 times slower). To reason fast "
            "again, leave the construct out of the ontology and data, or add its rule to mcfkg.reasoner.rules",
            ReasonerFallback,
            stacklevel=2,
        )
    return owlrl_consequences(stated, vocab)


def owlrl_consequences(asserted: Iterable[Triple], vocab: Vocab) -> Consequences:
    """:func:`consequences` as owlrl computes them, one closure each: the fallback, and the tests' oracle."""
    stated = set(asserted)
    untyped, typing = _premises(stated, vocab)
    return Consequences(_useful(owlrl_closure(untyped), stated), _useful(owlrl_closure(untyped + typing), stated))


def infer(ds: Dataset, vocab: Vocab) -> int:
    """Add the useful OWL-RL consequences of all asserted graphs about facts (rule 4) to the inferred
    graph; return how many.

    Re-running replaces the inferred graph, so the result depends only on the asserted graphs. The
    validation closure of the same run is kept for :func:`validation_graph` while they stay so.
    """
    ds.remove_graph(vocab.inferred_graph)
    stated = frozenset(union_graph(ds, exclude=[vocab.inferred_graph]))
    found = consequences(stated, vocab)
    _closures[ds] = (vocab.base, stated, found)
    terms = set(ds.graph(vocab.ontology_graph).subjects())
    inferred = ds.graph(vocab.inferred_graph)
    for triple in found.published:
        if triple[0] not in terms:
            inferred.add(triple)
    return len(inferred)


def validation_graph(ds: Dataset, vocab: Vocab) -> Graph:
    """What SHACL validates: the asserted graphs plus their consequences, minus typing by domain and range.

    OWL-RL types every value of a property with the property's ``rdfs:range`` (and every subject
    with its ``rdfs:domain``), so an ``sh:class`` check on that property could never fail: the
    plan "approved by" the C919 would make the C919 an organisation. Without those two axioms
    the reasoner still gives superclasses, inverses and super-properties, so a value's class is
    what the data and the class hierarchy say it is.

    After :func:`infer` on the same asserted graphs this reuses that run's closure.
    """
    stated = frozenset(union_graph(ds, exclude=[vocab.inferred_graph]))
    validation = closures(ds, vocab, stated).validation
    graph = Graph()
    for prefix, namespace in ds.namespaces():  # reports name paths and values by prefix
        graph.bind(prefix, namespace)
    for triple in stated:
        graph.add(triple)
    for triple in validation:
        graph.add(triple)
    return graph


def closures(ds: Dataset, vocab: Vocab, stated: Set[Triple] | None = None) -> Consequences:
    """Both closures of the asserted graphs of ``ds``: those of the last :func:`infer` while they still hold."""
    if stated is None:
        stated = frozenset(union_graph(ds, exclude=[vocab.inferred_graph]))
    base, reasoned, found = _closures.get(ds, ("", frozenset(), None))
    if found is None or base != vocab.base or reasoned != stated:
        found = consequences(stated, vocab)
    return found


# Per dataset: the base, the asserted triples and the consequences of the last infer().
_closures: WeakKeyDictionary[Dataset, tuple[str, Set[Triple], Consequences | None]] = WeakKeyDictionary()


def _premises(stated: Set[Triple], vocab: Vocab) -> tuple[list[Triple], list[Triple]]:
    """What the reasoner starts from (all but external ``owl:sameAs`` links), split into all but the
    domain and range axioms, and those axioms."""
    premises = [t for t in stated if not is_external_link(t, vocab)]
    return [t for t in premises if t[1] not in TYPING_AXIOMS], [t for t in premises if t[1] in TYPING_AXIOMS]


def _useful(derived: Iterable[Triple], stated: Set[Triple]) -> list[Triple]:
    return [t for t in derived if t not in stated and worth_keeping(*t)]
