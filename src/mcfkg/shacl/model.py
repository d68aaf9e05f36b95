"""The shapes graph read into plain objects, refusing any SHACL feature the engine does not implement.

A shape the engine skipped would let bad data through silently, so every ``sh:`` predicate on a
shape must be one :mod:`mcfkg.shacl` evaluates (or a documentation-only one such as ``sh:name``);
anything else raises :class:`Unsupported`, and :func:`mcfkg.validate.validate` then hands the whole
validation to pySHACL. Other namespaces are not SHACL (``mcfsh:maxCountPerSource`` is checked by
:mod:`mcfkg.per_source`) and are left alone, as pySHACL leaves them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from mcfkg.shacl.errors import Unsupported
from mcfkg.shacl.prebind import check

# Parameters of the SHACL Core constraint components this engine evaluates (see mcfkg.shacl.core).
CORE_PARAMETERS = frozenset(SH[n] for n in (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "equals",
    "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "closed", "ignoredProperties",
    "hasValue", "in"))
_STRUCTURE = frozenset(SH[n] for n in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path", "sparql",
    "severity", "message", "deactivated", "prefixes", "declare", "select"))  # sh:select: a shape may be its own constraint
# Non-validating properties (SHACL 1.0 section 2.3.2 and 4.x): they change no result.
_DOCUMENTATION = frozenset(SH[n] for n in ("name", "description", "order", "group", "defaultValue"))
_SPARQL_CONSTRAINT = frozenset(SH[n] for n in ("select", "prefixes", "message", "deactivated"))


@dataclass(eq=False)
class SparqlConstraint:
    """One ``sh:sparql`` constraint: its node, SELECT text (prefixes resolved), messages."""

    node: Node
    select: str
    prefixes: dict[str, str]
    messages: list[Literal]


@dataclass(eq=False)
class Shape:
    """A node or property shape: targets, path (property shapes), parameters, nested property shapes."""

    node: Node
    path: Node | None
    severity: URIRef
    messages: list[Literal]
    deactivated: bool
    params: dict[URIRef, list[Node]]
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    implicit_class: bool = False  # also an rdfs:Class: its instances are targets

    def param(self, name: str) -> Node | None:
        values = self.params.get(SH[name])
        return values[0] if values else None

    def has_targets(self) -> bool:
        return any(t in self.params for t in _TARGETS) or self.implicit_class


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class ShapesGraph:
    """Every shape of ``graph``, parsed once; nested shapes are looked up by node."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._refuse_extensions()
        self.shapes: dict[Node, Shape] = {}
        for node in self._shape_nodes():
            self.shape(node)

    def shape(self, node: Node) -> Shape:
        """The parsed shape at ``node`` (parsed on first use, so nested shapes may refer to each other)."""
        if node not in self.shapes:
            self.shapes[node] = shape = self._parse(node)
            shape.properties = [self.shape(p) for p in self.graph.objects(node, SH.property)]
        return self.shapes[node]

    def top_level(self) -> list[Shape]:
        """The shapes with targets: where validation starts."""
        return [s for s in self.shapes.values() if s.has_targets() and not s.deactivated]

    def shape_list(self, head: Node) -> list[Shape]:
        """The shapes of an RDF list (``sh:or``, ``sh:and``, ``sh:xone``)."""
        return [self.shape(n) for n in Collection(self.graph, head)]

    def node_list(self, head: Node) -> list[Node]:
        return list(Collection(self.graph, head))

    def _shape_nodes(self) -> set[Node]:
        g = self.graph
        nodes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for t in (*_TARGETS, SH.path, SH.property, SH.sparql):
            nodes |= set(g.subjects(t, None))
        for p in (SH.node, SH.property, SH["not"], SH.qualifiedValueShape):
            nodes |= set(g.objects(None, p))
        for p in (SH["or"], SH["and"], SH.xone):
            for head in g.objects(None, p):
                nodes |= set(Collection(g, head))
        return nodes

    def _refuse_extensions(self) -> None:
        for term in (SH.ConstraintComponent, SH.SPARQLTarget, SH.SPARQLRule, SH.TripleRule, SH.JSConstraint):
            if (None, RDF.type, term) in self.graph:
                raise Unsupported(f"the shapes declare a {term.n3()} (SHACL-SPARQL extension or SHACL-AF)")
        for term in (SH.target, SH.rule, SH.js, SH.parameter, SH.validator, SH.nodeValidator, SH.propertyValidator):
            if (None, term, None) in self.graph:
                raise Unsupported(f"the shapes use {term.n3()} (custom constraint components or SHACL-AF)")

    def _parse(self, node: Node) -> Shape:
        g = self.graph
        params: dict[URIRef, list[Node]] = {}
        for p, o in g.predicate_objects(node):
            if not (isinstance(p, URIRef) and str(p).startswith(str(SH))) or p in _DOCUMENTATION or p == RDF.type:
                continue
            if p not in CORE_PARAMETERS and p not in _STRUCTURE:
                raise Unsupported(f"shape {node.n3()} uses {p.n3()}, which mcfkg.shacl does not implement")
            params.setdefault(p, []).append(o)
        deactivated = g.value(node, SH.deactivated)
        return Shape(
            node=node,
            path=g.value(node, SH.path),
            severity=g.value(node, SH.severity) or SH.Violation,  # type: ignore[arg-type]
            messages=[m for m in g.objects(node, SH.message) if isinstance(m, Literal)],
            deactivated=isinstance(deactivated, Literal) and deactivated.toPython() is True,
            params=params,
            sparql=[c for c in (self._sparql(n) for n in g.objects(node, SH.sparql)) if c is not None],
            implicit_class=(node, RDF.type, RDFS.Class) in g,
        )

    def _sparql(self, node: Node) -> SparqlConstraint | None:
        g = self.graph
        for p in g.predicates(node):
            known = _SPARQL_CONSTRAINT | _STRUCTURE | CORE_PARAMETERS | _DOCUMENTATION  # the node may be a shape too
            if str(p).startswith(str(SH)) and p not in known and p != RDF.type:
                raise Unsupported(f"SPARQL constraint {node.n3()} uses {p.n3()}, which mcfkg.shacl does not implement")
        deactivated = g.value(node, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.toPython() is True:
            return None
        select = g.value(node, SH.select)
        if select is None:
            raise Unsupported(f"SPARQL constraint {node.n3()} has no sh:select")
        if "$shapesGraph" in str(select):
            raise Unsupported(f"SPARQL constraint {node.n3()} uses $shapesGraph")
        check(str(select), node.n3())
        holders = {h for top in g.objects(node, SH.prefixes) for h in g.transitive_objects(top, OWL.imports)}
        prefixes = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
                    for holder in holders for d in g.objects(holder, SH.declare)}
        return SparqlConstraint(node, str(select), prefixes,
                                [m for m in g.objects(node, SH.message) if isinstance(m, Literal)])
