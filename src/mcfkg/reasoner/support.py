"""What the engine implements, and the check that refuses everything else.

The engine implements the OWL-RL rules for ``rdfs:subClassOf``, ``rdfs:subPropertyOf``,
``rdfs:domain``, ``rdfs:range``, ``owl:equivalentClass``, ``owl:equivalentProperty``,
``owl:inverseOf``, ``owl:TransitiveProperty``, ``owl:FunctionalProperty``,
``owl:propertyChainAxiom`` and ``owl:sameAs`` (eq-sym, eq-trans, eq-rep-s/p/o). Terms of RDF,
RDFS and OWL on which owlrl has no rule (labels, comments, reification, ontology headers) are
inert. Any other built-in term, as a predicate or as a class, means an OWL construct this
engine would ignore (a restriction, a disjointness, ``owl:differentFrom``, a symmetric property,
...): :func:`problem` names it, so the closure never silently shrinks when the ontology grows.
So does a literal whose lexical form does not fit its datatype, which owlrl reports as an
inconsistency in the graph itself.
"""

from __future__ import annotations

from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal
from rdflib.term import Node

BUILT_IN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
_PREFIXES = Graph().namespace_manager  # messages say owl:SymmetricProperty, not its whole IRI

IMPLEMENTED_PREDICATES = frozenset({
    RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
    OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs, OWL.propertyChainAxiom, RDF.first, RDF.rest,
})  # fmt: skip
INERT_PREDICATES = frozenset({
    RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, RDF.value, RDF.subject, RDF.predicate,
    RDF.object, OWL.versionInfo, OWL.versionIRI, OWL.imports, OWL.priorVersion, OWL.deprecated,
    OWL.backwardCompatibleWith, OWL.incompatibleWith,
})  # fmt: skip
IMPLEMENTED_CLASSES = frozenset({OWL.TransitiveProperty, OWL.FunctionalProperty})
INERT_CLASSES = frozenset({
    OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
    OWL.Ontology, OWL.NamedIndividual, OWL.Thing, RDFS.Resource, RDF.Statement, RDF.List, RDFS.Datatype,
    RDFS.Literal, RDF.PlainLiteral, RDF.langString, RDF.XMLLiteral, RDF.HTML, RDF.JSON,
})  # fmt: skip
# Axioms whose subject is a class or property; on a built-in term they would change OWL itself.
AXIOMS = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.equivalentClass,
    OWL.equivalentProperty, OWL.propertyChainAxiom,
})  # fmt: skip


class Unsupported(Exception):
    """The input uses OWL the engine does not implement: its closure would be smaller than owlrl's."""


def is_built_in(node: Node) -> bool:
    """True for the terms of RDF, RDFS, OWL and XSD themselves."""
    return not isinstance(node, Literal) and str(node).startswith(BUILT_IN_NAMESPACES)


def problem(s: Node, p: Node, o: Node) -> str | None:
    """Why the engine cannot reason with the triple ``s p o`` exactly as owlrl does, or None."""
    if is_built_in(p) and p not in IMPLEMENTED_PREDICATES and p not in INERT_PREDICATES:
        return f"the predicate {show(p)} (in {_show(s, p, o)})"
    if p == RDF.type and is_built_in(o) and not _known_class(o):
        return f"the class {show(o)} (in {_show(s, p, o)})"
    if p in AXIOMS and is_built_in(s):
        return f"an axiom about the built-in term {show(s)} ({_show(s, p, o)})"
    if p in (RDFS.subClassOf, OWL.equivalentClass) and is_built_in(o) and not _known_class(o):
        return f"a class axiom on the built-in class {show(o)} ({_show(s, p, o)})"
    if p == OWL.sameAs and (is_built_in(s) or is_built_in(o)):
        return f"owl:sameAs on a built-in term ({_show(s, p, o)})"
    return None


def literal_problem(literal: Literal) -> str | None:
    """Why owlrl would report ``literal`` as an inconsistency (dt-not-type), or None."""
    if literal.datatype not in OWL_RL_Datatypes:
        return None
    try:
        AltXSDToPYTHON.get(literal.datatype, str)(str(literal))
    except ValueError:
        return f"the ill-typed literal {show(literal)}, which owlrl reports as an inconsistency"
    return None


def _known_class(o: Node) -> bool:
    return o in IMPLEMENTED_CLASSES or o in INERT_CLASSES or str(o).startswith(str(XSD))


def show(term: Node) -> str:
    """``term`` in Turtle, with the rdf:, rdfs:, owl: and xsd: prefixes."""
    return term.n3(_PREFIXES)


def _show(s: Node, p: Node, o: Node) -> str:
    return " ".join(map(show, (s, p, o)))
