"""The indexed triple store the rules join against, and the work list that runs them to a fixpoint."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal

from mcfkg.reasoner import rules
from mcfkg.reasoner.support import Unsupported, literal_problem, problem, show
from mcfkg.reasoner.terms import FIRST, FIXED, NIL, PROPERTY_CHAIN, REST, TYPE, RdfTriple, Terms, Triple

_NONE: tuple[int, ...] = ()


class Reasoner:
    """An OWL-RL closure that grows: :meth:`add` asserts triples and returns what follows from them.

    Adding in steps gives the closure of everything added, so one run serves two closures: first
    the premises SHACL validates against, then the rest (``rdfs:domain``/``rdfs:range``, see
    :mod:`mcfkg.reason`) on top. Raises :class:`Unsupported` when a given or derived triple
    uses OWL the rules do not implement (:mod:`mcfkg.reasoner.support`).
    """

    def __init__(self) -> None:
        self.terms = Terms()
        self._pso: dict[int, dict[int, set[int]]] = {}
        self._pos: dict[int, dict[int, set[int]]] = {}
        self._chains: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}
        self._pending: list[Triple] = []
        self._derived: list[Triple] = []
        self._vetted: set[tuple[int, int]] = set()

    def add(self, triples: Iterable[RdfTriple]) -> list[RdfTriple]:
        """Assert ``triples``; return the new triples that follow (none of them given), as owlrl would add them."""
        start = len(self._derived)
        for triple in triples:
            if isinstance(triple[2], Literal) and (why := literal_problem(triple[2])):
                raise Unsupported(f"the input holds {why}")
            encoded = self.terms.encode(triple)
            self._vet(encoded)
            if self._insert(encoded):
                self._pending.append(encoded)
        while self._pending:
            rules.apply(self, *self._pending.pop())
        decode, blank = self.terms.decode, self.terms.blank
        # owlrl drops triples whose predicate is a blank node once it is done (generalised RDF).
        return [decode(t) for t in self._derived[start:] if t[1] not in blank]

    def assume(self, triples: Iterable[Triple]) -> None:
        """Index encoded ``triples`` as already closed: the rules join new triples with them, never fire them.

        An incremental run (:mod:`mcfkg.incremental.reasoning`) loads a built graph's closure so,
        piece by piece, and fires only what a new source adds.
        """
        for triple in triples:
            self._insert(triple)

    # What the rules read (mcfkg.reasoner.rules.Graph).

    def objects(self, s: int, p: int) -> tuple[int, ...]:
        found = self._pso.get(p, {}).get(s)
        return tuple(found) if found else _NONE  # a copy: rules emit while they iterate

    def subjects(self, p: int, o: int) -> tuple[int, ...]:
        found = self._pos.get(p, {}).get(o)
        return tuple(found) if found else _NONE

    def pairs(self, p: int) -> list[tuple[int, int]]:
        return [(s, o) for s, objects in self._pso.get(p, {}).items() for o in objects]

    def predicates(self) -> tuple[int, ...]:
        return tuple(self._pso)

    def has(self, s: int, p: int, o: int) -> bool:
        return o in self._pso.get(p, {}).get(s, _NONE)

    def emit(self, s: int, p: int, o: int) -> None:
        if p in self.terms.not_predicates:  # owlrl never stores a triple with a literal predicate
            return
        triple = (s, p, o)
        if not self._insert(triple):
            return
        if p in (PROPERTY_CHAIN, FIRST, REST):
            raise Unsupported(f"the reasoner does not implement a property chain reached by inference ({self._show(triple)})")
        self._vet(triple)
        self._derived.append(triple)
        self._pending.append(triple)

    def chains_through(self, p: int) -> list[tuple[int, tuple[int, ...], int]]:
        return self._chains.get(p, [])

    def add_chain(self, p: int, head: int) -> tuple[int, ...]:
        """Read the ``owl:propertyChainAxiom`` list at ``head`` and apply it to every later link triple."""
        links = self._list(head)
        for position, link in enumerate(links):
            self._chains.setdefault(link, []).append((p, links, position))
        return links

    def _list(self, head: int) -> tuple[int, ...]:
        items: list[int] = []
        node, seen = head, set()
        while node != NIL:
            first, rest = self.objects(node, FIRST), self.objects(node, REST)
            if len(first) != 1 or len(rest) != 1 or node in seen:
                at = show(self.terms.term(node))
                raise Unsupported(f"the reasoner does not implement a property chain that is not a well-formed rdf:List (at {at})")
            seen.add(node)
            items.append(first[0])
            node = rest[0]
        return tuple(items)

    def _insert(self, triple: Triple) -> bool:
        s, p, o = triple
        objects = self._pso.setdefault(p, {}).setdefault(s, set())
        if o in objects:
            return False
        objects.add(o)
        self._pos.setdefault(p, {}).setdefault(o, set()).add(s)
        return True

    def _vet(self, triple: Triple) -> None:
        """Raise Unsupported for a triple the rules would not treat as owlrl does.

        Whether a triple is supported depends on its predicate alone, or on its class for
        ``rdf:type``, except for the few axioms and equalities: the rest is checked once per key.
        """
        s, p, o = triple
        key = (p, o) if p == TYPE else (p, -1) if p >= len(FIXED) else None
        if key is not None and key in self._vetted:
            return
        why = problem(*self.terms.decode(triple))
        if why is not None:
            raise Unsupported(f"the reasoner does not implement {why}")
        if key is not None:
            self._vetted.add(key)

    def _show(self, triple: Triple) -> str:
        return " ".join(map(show, self.terms.decode(triple)))


