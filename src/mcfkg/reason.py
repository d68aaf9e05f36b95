"""OWL-RL reasoning with inferred triples kept apart from asserted ones.

owlrl computes the closure of ontology + data on a scratch union; what it adds is kept in
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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal
from rdflib.term import Node

from mcfkg.graph import union_graph
from mcfkg.vocab import Vocab

BUILT_IN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
REFLEXIVE_TRIVIA = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}


def is_built_in(node: Node) -> bool:
    """True for the terms of RDF, RDFS, OWL and XSD themselves."""
    return not isinstance(node, Literal) and str(node).startswith(BUILT_IN_NAMESPACES)


def worth_keeping(s: Node, p: Node, o: Node) -> bool:
    """The rule (see module docstring) that separates useful inferences from owlrl's axiomatic noise."""
    if isinstance(s, Literal) or is_built_in(s) or is_built_in(o):
        return False
    return not (s == o and p in REFLEXIVE_TRIVIA)


def is_external_link(triple: tuple[Node, Node, Node], vocab: Vocab) -> bool:
    """True for ``owl:sameAs`` between one of our IRIs and an IRI outside ``vocab.base``."""
    s, p, o = triple
    return p == OWL.sameAs and str(s).startswith(vocab.base) != str(o).startswith(vocab.base)


def infer(ds: Dataset, vocab: Vocab) -> int:
    """Add the useful OWL-RL consequences of all asserted graphs about facts (rule 4) to the inferred
    graph; return how many.

    Re-running replaces the inferred graph, so the result depends only on the asserted graphs.
    """
    ds.remove_graph(vocab.inferred_graph)
    asserted = union_graph(ds, exclude=[vocab.inferred_graph])
    terms = set(ds.graph(vocab.ontology_graph).subjects())
    inferred = ds.graph(vocab.inferred_graph)
    for triple in _consequences(asserted, vocab, lambda triple: True):
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
    """
    asserted = union_graph(ds, exclude=[vocab.inferred_graph])
    graph = Graph()
    for prefix, namespace in ds.namespaces():  # reports name paths and values by prefix
        graph.bind(prefix, namespace)
    for triple in asserted:
        graph.add(triple)
    for triple in _consequences(asserted, vocab, lambda triple: triple[1] not in (RDFS.domain, RDFS.range)):
        graph.add(triple)
    return graph


def _consequences(asserted: Graph, vocab: Vocab, premise: Callable[[tuple[Node, Node, Node]], bool]) -> Iterator[tuple[Node, Node, Node]]:
    """The useful triples OWL-RL derives from the ``premise`` triples of ``asserted`` that are not asserted."""
    closure = Graph()
    for triple in asserted:
        if not is_external_link(triple, vocab) and premise(triple):
            closure.add(triple)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    for s, p, o in closure:
        if (s, p, o) not in asserted and worth_keeping(s, p, o):
            yield s, p, o
