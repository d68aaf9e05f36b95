"""The OWL-RL rules the engine implements, each as the join of one new triple with the graph.

The engine hands every triple to :func:`apply` once, after it entered the graph. A rule with
several premises therefore matches the new triple against each premise in turn and joins the
rest with the graph: whichever premise arrives last completes the match (semi-naive
evaluation). Rule names are those of the OWL 2 RL profile (tables 4-9); where owlrl skips a
trivial case (``c1 != c2`` in cax-sco, scm-sco, scm-dom1, ...) so do these rules, because the
reflexive triples they would add are never published (see :mod:`mcfkg.reason`).

eq-ref, scm-cls and scm-op, which make every term the same as, a subclass or a sub-property of
itself, are left out: what they derive is reflexive or about ``owl:Thing``/``owl:Nothing``,
never published, and feeds no other rule to anything new. cax-eqc and prp-eqp are left to
scm-eqc and scm-eqp, which turn equivalences into the sub-class and sub-property axioms that
cax-sco and prp-spo1 then apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from mcfkg.reasoner.terms import (
    DOMAIN, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, FUNCTIONAL, INVERSE_OF, PROPERTY_CHAIN, RANGE, SAME_AS,
    SUB_CLASS_OF, SUB_PROPERTY_OF, TRANSITIVE, TYPE,
)  # fmt: skip


class Graph(Protocol):
    """What the rules read from and write to (:class:`mcfkg.reasoner.engine.Reasoner`)."""

    def objects(self, s: int, p: int) -> tuple[int, ...]: ...
    def subjects(self, p: int, o: int) -> tuple[int, ...]: ...
    def pairs(self, p: int) -> list[tuple[int, int]]: ...
    def predicates(self) -> tuple[int, ...]: ...
    def has(self, s: int, p: int, o: int) -> bool: ...
    def emit(self, s: int, p: int, o: int) -> None: ...
    def chains_through(self, p: int) -> Iterable[tuple[int, tuple[int, ...], int]]: ...
    def add_chain(self, p: int, head: int) -> tuple[int, ...]: ...


def apply(g: Graph, s: int, p: int, o: int) -> None:
    """Every rule in which ``s p o`` can be a premise."""
    _any_triple(g, s, p, o)
    by_predicate = _AXIOM_RULES.get(p)
    if by_predicate is not None:
        by_predicate(g, s, o)


def _any_triple(g: Graph, x: int, p: int, y: int) -> None:
    """The rules in which ``x p y`` is the instance premise: p is any property."""
    for q in g.objects(p, SUB_PROPERTY_OF):  # prp-spo1
        g.emit(x, q, y)
    for c in g.objects(p, DOMAIN):  # prp-dom
        g.emit(x, TYPE, c)
    for c in g.objects(p, RANGE):  # prp-rng
        g.emit(y, TYPE, c)
    for q in g.objects(p, INVERSE_OF):  # prp-inv1
        g.emit(y, q, x)
    for q in g.subjects(INVERSE_OF, p):  # prp-inv2
        g.emit(y, q, x)
    if g.has(p, TYPE, TRANSITIVE):  # prp-trp, with x p y as either premise
        for z in g.objects(y, p):
            g.emit(x, p, z)
        for w in g.subjects(p, x):
            g.emit(w, p, y)
    if g.has(p, TYPE, FUNCTIONAL):  # prp-fp
        for other in g.objects(x, p):
            if other != y:
                g.emit(y, SAME_AS, other)
                g.emit(other, SAME_AS, y)
    for chain_property, links, position in g.chains_through(p):  # prp-spo2
        _chain(g, chain_property, links, position, x, y)
    for same in g.objects(x, SAME_AS):  # eq-rep-s, eq-rep-p, eq-rep-o with x p y as the replaced triple
        g.emit(same, p, y)
    for same in g.objects(p, SAME_AS):
        g.emit(x, same, y)
    for same in g.objects(y, SAME_AS):
        g.emit(x, p, same)


def _chain(g: Graph, chain_property: int, links: tuple[int, ...], position: int, x: int, y: int) -> None:
    """prp-spo2 with ``x links[position] y`` as one link: walk back to the chain's starts and on to its ends."""
    starts = {x}
    for link in reversed(links[:position]):
        starts = {w for a in starts for w in g.subjects(link, a)}
    ends = {y}
    for link in links[position + 1 :]:
        ends = {z for b in ends for z in g.objects(b, link)}
    for a in starts:
        for b in ends:
            g.emit(a, chain_property, b)


def _type(g: Graph, x: int, c: int) -> None:
    for c2 in g.objects(c, SUB_CLASS_OF):  # cax-sco
        if c2 != c:
            g.emit(x, TYPE, c2)
    if c == TRANSITIVE:  # prp-trp, with the characteristic as the new premise
        for a, b in g.pairs(x):
            for z in g.objects(b, x):
                g.emit(a, x, z)
    elif c == FUNCTIONAL:  # prp-fp, likewise
        for a, b in g.pairs(x):
            for other in g.objects(a, x):
                if other != b:
                    g.emit(b, SAME_AS, other)


def _sub_class_of(g: Graph, c1: int, c2: int) -> None:
    if c1 != c2:
        for x in g.subjects(TYPE, c1):  # cax-sco
            g.emit(x, TYPE, c2)
        for c3 in g.objects(c2, SUB_CLASS_OF):  # scm-sco, as the first premise
            if c3 != c1:
                g.emit(c1, SUB_CLASS_OF, c3)
        for c0 in g.subjects(SUB_CLASS_OF, c1):  # scm-sco, as the second premise
            if c0 not in (c1, c2):
                g.emit(c0, SUB_CLASS_OF, c2)
        for p in g.subjects(DOMAIN, c1):  # scm-dom1
            g.emit(p, DOMAIN, c2)
        for p in g.subjects(RANGE, c1):  # scm-rng1
            g.emit(p, RANGE, c2)
    if g.has(c2, SUB_CLASS_OF, c1):  # scm-eqc2
        g.emit(c1, EQUIVALENT_CLASS, c2)
        g.emit(c2, EQUIVALENT_CLASS, c1)


def _sub_property_of(g: Graph, p1: int, p2: int) -> None:
    if p1 == p2:
        return
    for x, y in g.pairs(p1):  # prp-spo1, with the axiom as the new premise
        g.emit(x, p2, y)
    for p3 in g.objects(p2, SUB_PROPERTY_OF):  # scm-spo, as the first premise
        if p3 != p1:
            g.emit(p1, SUB_PROPERTY_OF, p3)
    for p0 in g.subjects(SUB_PROPERTY_OF, p1):  # scm-spo, as the second premise
        if p0 not in (p1, p2):
            g.emit(p0, SUB_PROPERTY_OF, p2)
    for c in g.objects(p2, DOMAIN):  # scm-dom2
        g.emit(p1, DOMAIN, c)
    for c in g.objects(p2, RANGE):  # scm-rng2
        g.emit(p1, RANGE, c)
    if g.has(p2, SUB_PROPERTY_OF, p1):  # scm-eqp2
        g.emit(p1, EQUIVALENT_PROPERTY, p2)
        g.emit(p2, EQUIVALENT_PROPERTY, p1)


def _equivalent(axiom: int) -> Callable[[Graph, int, int], None]:
    """scm-eqc1 or scm-eqp1: an equivalence is a sub-class (sub-property) axiom both ways."""

    def rule(g: Graph, a: int, b: int) -> None:
        if a != b:
            g.emit(a, axiom, b)
            g.emit(b, axiom, a)

    return rule


def _domain(g: Graph, p: int, c: int) -> None:
    for x, _ in g.pairs(p):  # prp-dom, with the axiom as the new premise
        g.emit(x, TYPE, c)
    for c2 in g.objects(c, SUB_CLASS_OF):  # scm-dom1
        if c2 != c:
            g.emit(p, DOMAIN, c2)
    for p1 in g.subjects(SUB_PROPERTY_OF, p):  # scm-dom2
        if p1 != p:
            g.emit(p1, DOMAIN, c)


def _range(g: Graph, p: int, c: int) -> None:
    for _, y in g.pairs(p):  # prp-rng, with the axiom as the new premise
        g.emit(y, TYPE, c)
    for c2 in g.objects(c, SUB_CLASS_OF):  # scm-rng1
        if c2 != c:
            g.emit(p, RANGE, c2)
    for p1 in g.subjects(SUB_PROPERTY_OF, p):  # scm-rng2
        if p1 != p:
            g.emit(p1, RANGE, c)


def _inverse_of(g: Graph, p1: int, p2: int) -> None:
    for x, y in g.pairs(p1):  # prp-inv1
        g.emit(y, p2, x)
    for x, y in g.pairs(p2):  # prp-inv2
        g.emit(y, p1, x)


def _same_as(g: Graph, x: int, y: int) -> None:
    g.emit(y, SAME_AS, x)  # eq-sym
    for z in g.objects(y, SAME_AS):  # eq-trans, as the first premise
        g.emit(x, SAME_AS, z)
    for w in g.subjects(SAME_AS, x):  # eq-trans, as the second premise
        g.emit(w, SAME_AS, y)
    for p in g.predicates():  # eq-rep-s, eq-rep-p, eq-rep-o with the equality as the new premise
        for o in g.objects(x, p):
            g.emit(y, p, o)
        for s in g.subjects(p, x):
            g.emit(s, p, y)
    for s, o in g.pairs(x):
        g.emit(s, y, o)


def _property_chain(g: Graph, p: int, head: int) -> None:
    links = g.add_chain(p, head)
    if links:
        for x, y in g.pairs(links[0]):  # prp-spo2, with the axiom as the new premise
            _chain(g, p, links, 0, x, y)


_AXIOM_RULES: dict[int, Callable[[Graph, int, int], None]] = {
    TYPE: _type,
    SUB_CLASS_OF: _sub_class_of,
    SUB_PROPERTY_OF: _sub_property_of,
    EQUIVALENT_CLASS: _equivalent(SUB_CLASS_OF),
    EQUIVALENT_PROPERTY: _equivalent(SUB_PROPERTY_OF),
    DOMAIN: _domain,
    RANGE: _range,
    INVERSE_OF: _inverse_of,
    SAME_AS: _same_as,
    PROPERTY_CHAIN: _property_chain,
}
