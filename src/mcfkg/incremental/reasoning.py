"""What one new source adds to both closures of a built graph, found by reasoning only where it joins.

The state store (:mod:`.state`) holds a built graph that is already closed: its asserted quads
and both closures of :func:`mcfkg.reason.consequences`. Adding a source to a closed graph needs
no new pass over it: :mod:`mcfkg.reasoner` is semi-naive, each new triple meets the rest of the
graph once, through the index lookups of its rules. So the reasoner here starts from the state
as its graph, without firing any of it, and fires only the source's triples and what follows.

That graph is loaded lazily: a rule that asks for the objects of ``s p`` loads those quads from
the store, for the subjects of ``p o`` those, for a predicate's pairs the whole predicate, and
before a triple counts as derived the store is asked what it holds about the triple's subject.
An ingest so reads the neighbourhood of what it adds, not the million triples around it; hubs
(the country every place lies in) are only read by the slice a rule asks for. The axioms every
rule asks about (sub-properties, domains, characteristics, ...) are read whole at the start: they
are as many as the ontology has, and asked for once per triple fired.

The two closures take two runs here (:mod:`mcfkg.reason` gets both from one run, in two steps):
the validation run starts from the asserted triples but the ``rdfs:domain``/``rdfs:range``
axioms plus the validation closure, the published run from all asserted triples plus the
published closure; external ``owl:sameAs`` links are premises of neither. A source that changes
what the vocabulary entails (a class or property axiom, a characteristic such as
``owl:TransitiveProperty``, anything about a term of the ontology) reaches every fact: it raises
:class:`~mcfkg.incremental.state.NotIncremental`, unless the graph asserts that triple already.
:class:`~mcfkg.reasoner.Unsupported` propagates as from a full build. Either way the caller
builds in full.

The state keeps only the useful consequences (:func:`mcfkg.reason.worth_keeping`), so a run
here lacks the rest of the full closure (reflexive equalities, ``owl:Thing`` types, triples
about literals), and an external link that the full run would derive as well as assert is no
premise here either. None of these feeds a useful triple unless a literal is equated with another (two values of a
functional datatype property on one subject, which the shapes reject), a class is declared a
subclass of ``owl:TransitiveProperty`` or ``owl:FunctionalProperty``, a property is equated
with a transitive or functional one, or reasoning equates one of our IRIs with an external
one: mcfkg's ontology and data do none of these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

import pyoxigraph as ox
from rdflib import OWL, RDF

from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.state import PUBLISHED_CLOSURE, VALIDATION_CLOSURE
from mcfkg.incremental.terms import OxTerm, Triple, to_ox, to_rdflib, triples_to_rdflib
from mcfkg.reason import TYPING_AXIOMS, Consequences, is_external_link, worth_keeping
from mcfkg.reasoner import Reasoner, Unsupported
from mcfkg.reasoner.support import AXIOMS, IMPLEMENTED_CLASSES, problem, show
from mcfkg.reasoner.terms import (
    DOMAIN, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, FUNCTIONAL, INVERSE_OF, PROPERTY_CHAIN, RANGE, SAME_AS,
    SUB_CLASS_OF, SUB_PROPERTY_OF, TRANSITIVE, TYPE,
)  # fmt: skip
from mcfkg.vocab import Vocab

_ANY = -1  # a wildcard in the patterns the reasoner has loaded
CROWD = 1000  # triples of one subject beyond which they are not loaded at once
_SAME_AS = ox.NamedNode(str(OWL.sameAs))
_TYPING = frozenset(ox.NamedNode(str(p)) for p in TYPING_AXIOMS)
# What the rules ask about the vocabulary for every triple they fire (its predicate's super-properties,
# domains, characteristics, ...): as large as the ontology, not the data, so loaded whole at once.
_VOCABULARY = (
    *((_ANY, p, _ANY) for p in (SUB_CLASS_OF, SUB_PROPERTY_OF, DOMAIN, RANGE, INVERSE_OF, EQUIVALENT_CLASS,
                                EQUIVALENT_PROPERTY, PROPERTY_CHAIN)),
    (_ANY, TYPE, TRANSITIVE), (_ANY, TYPE, FUNCTIONAL),
)


def delta_consequences(store: ox.Store, added: Iterable[Triple], vocab: Vocab) -> Consequences:
    """The consequences both closures gain when ``added`` joins the asserted graphs of ``store``.

    Each list holds what follows from the old asserted triples plus ``added`` and is worth keeping,
    but is not yet in the store (asserted, or in that closure's graph) and not in ``added``. So
    the new closure is the old one plus these, minus what ``added`` now asserts.
    """
    given = list(dict.fromkeys(added))
    premises = [t for t in _changes(store, given, vocab) if not is_external_link(t, vocab)]
    stated = set(given)
    return Consequences(
        _gained(_Base(store, VALIDATION_CLOSURE, vocab), premises, stated),
        _gained(_Base(store, PUBLISHED_CLOSURE, vocab), premises, stated),
    )


def _gained(base: _Base, premises: list[Triple], stated: set[Triple]) -> list[Triple]:
    reasoner = _LazyReasoner(base)
    derived = reasoner.add(premises)
    return [t for t in derived if t not in stated and worth_keeping(*t) and not base.holds_hidden(t)]


def _changes(store: ox.Store, added: list[Triple], vocab: Vocab) -> list[Triple]:
    """``added`` but the vocabulary triples the store already asserts, which change nothing.

    Raises NotIncremental for a new one, whose consequences can reach the whole graph, and
    Unsupported for an ontology the fast reasoner would not have closed (a full build reasons
    with owlrl then).
    """
    graph = ox.NamedNode(str(vocab.ontology_graph))
    ontology = list(triples_to_rdflib(store.quads_for_pattern(None, None, None, graph)))
    for triple in ontology:
        if why := problem(*triple):
            raise Unsupported(f"the reasoner does not implement {why}")
    terms = {s for s, _, _ in ontology}
    asserted = _Base(store, PUBLISHED_CLOSURE, vocab).asserts
    changes = []
    for s, p, o in added:
        about_vocabulary = s in terms or (p == OWL.sameAs and o in terms)
        if p in AXIOMS or (p == RDF.type and o in IMPLEMENTED_CLASSES) or about_vocabulary:
            if asserted((s, p, o)):
                continue
            raise NotIncremental(
                f"the new triple {' '.join(map(show, (s, p, o)))} changes what the vocabulary entails, "
                "which can reach every fact: the graph has to be built in full (mcfkg build)"
            )
        changes.append((s, p, o))
    return changes


class _Base:
    """The closed graph one run starts from: the state's asserted quads (minus what the run does not
    reason from) and one of its two closures."""

    def __init__(self, store: ox.Store, closure: ox.NamedNode, vocab: Vocab) -> None:
        self.store, self.closure, self._iri = store, closure, vocab.base
        other = PUBLISHED_CLOSURE if closure == VALIDATION_CLOSURE else VALIDATION_CLOSURE
        self._elsewhere = {other, ox.NamedNode(str(vocab.inferred_graph))}  # not asserted, not this run's
        self._untyped = closure == VALIDATION_CLOSURE

    def quads(self, s: OxTerm | None, p: ox.NamedNode | None, o: OxTerm | None) -> Iterator[ox.Quad]:
        """The quads of the base that match (one per graph that holds the triple)."""
        for quad in self.store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
            if quad.graph_name == self.closure or (self._asserted(quad) and not self._hidden(quad)):
                yield quad

    def asserts(self, triple: Triple) -> bool:
        """True when an asserted graph of the store holds ``triple``."""
        return any(self._asserted(quad) for quad in self._find(triple))

    def holds_hidden(self, triple: Triple) -> bool:
        """True when ``triple`` is asserted in the store though this run does not reason from it."""
        p = triple[1]
        if p != OWL.sameAs and not (self._untyped and p in TYPING_AXIOMS):
            return False
        return any(self._asserted(quad) and self._hidden(quad) for quad in self._find(triple))

    def _find(self, triple: Triple) -> Iterator[ox.Quad]:
        s, p, o = map(to_ox, triple)
        return self.store.quads_for_pattern(s, p, o, None)  # type: ignore[arg-type]

    def _asserted(self, quad: ox.Quad) -> bool:
        return quad.graph_name != self.closure and quad.graph_name not in self._elsewhere

    def _hidden(self, quad: ox.Quad) -> bool:
        """An asserted triple that is no premise here: an external link (mcfkg.reason), or a typing
        axiom in the validation run."""
        if quad.predicate == _SAME_AS:
            return _plain(quad.subject).value.startswith(self._iri) != _plain(quad.object).value.startswith(self._iri)
        return self._untyped and quad.predicate in _TYPING


class _LazyReasoner(Reasoner):
    """A :class:`~mcfkg.reasoner.Reasoner` whose graph starts as a :class:`_Base`, read as the rules ask.

    Every read loads its pattern first, so a rule sees the base plus what was derived; each
    derived triple is looked up in the store before it counts as new. Only ``owl:sameAs`` reads
    by :meth:`predicates` (eq-rep: every triple of the equated term), so an equality loads all
    triples of its subject, both ways, before it fires.
    """

    def __init__(self, base: _Base) -> None:
        super().__init__()
        self._base = base
        self._ids: dict[OxTerm, int] = {}
        self._ox: dict[int, OxTerm] = {}
        self._loaded: set[tuple[int, int, int]] = set()
        self._whole: set[int] = set()  # predicates loaded whole: every read of them is answered in memory
        self._crowded: set[int] = set()  # subjects with more than CROWD triples: looked up a triple at a time
        for pattern in _VOCABULARY:
            self._load(*pattern)
        for p, head in self.pairs(PROPERTY_CHAIN):  # the engine applies a chain once its axiom fires
            self.add_chain(p, head)

    def add(self, triples: Iterable[Triple]) -> list[Triple]:
        given = list(triples)
        for triple in given:
            self._recall(*self.terms.encode(triple))
        return super().add(given)

    def objects(self, s: int, p: int) -> tuple[int, ...]:
        if p not in self._whole:  # tested here too: most reads are of the vocabulary, loaded whole
            self._load(s, p, _ANY)
        return super().objects(s, p)

    def subjects(self, p: int, o: int) -> tuple[int, ...]:
        if p not in self._whole:
            self._load(_ANY, p, o)
        return super().subjects(p, o)

    def pairs(self, p: int) -> list[tuple[int, int]]:
        self._load(_ANY, p, _ANY)
        return super().pairs(p)

    def has(self, s: int, p: int, o: int) -> bool:
        if super().has(s, p, o):
            return True
        self._load(s, p, o)
        return super().has(s, p, o)

    def emit(self, s: int, p: int, o: int) -> None:
        self._recall(s, p, o)
        super().emit(s, p, o)

    def _recall(self, s: int, p: int, o: int) -> None:
        """Know whether the base holds ``s p o`` (so it is not derived again), and all about an equated term.

        The rules go on to ask about the triple's subject (its types, its equals, its values of the
        predicate), so all its triples are loaded with one lookup rather than one lookup each,
        unless it has more than :data:`CROWD`.
        """
        if p == SAME_AS:
            self._load(s, _ANY, _ANY)
            self._load(_ANY, _ANY, s)
        elif s not in self._crowded and (s, _ANY, _ANY) not in self._loaded:
            subject = self._term(s)
            if isinstance(subject, ox.Literal):
                return  # no triple has a literal subject
            found = list(islice(self._base.quads(subject, None, None), CROWD + 1))
            if len(found) > CROWD:
                self._crowded.add(s)
            else:
                self._loaded.add((s, _ANY, _ANY))
                self.assume([self._encode(q) for q in found])
        self.has(s, p, o)

    def _load(self, s: int, p: int, o: int) -> None:
        """Index the base's triples that match the pattern, unless a pattern as wide was loaded.

        Called for every read a rule makes, so the common answers come first: a predicate loaded
        whole, the pattern itself. The wider patterns loaded otherwise are one subject's or one
        object's triples (an equality) and one subject's or object's values of a predicate.
        """
        if p in self._whole:
            return
        loaded, key = self._loaded, (s, p, o)
        if key in loaded or (s, p, _ANY) in loaded or (_ANY, p, o) in loaded or (s, _ANY, _ANY) in loaded \
                or (_ANY, _ANY, o) in loaded:
            return
        loaded.add(key)
        if s == _ANY and o == _ANY:
            self._whole.add(p)
        subject, predicate, obj = (None if i == _ANY else self._term(i) for i in (s, p, o))
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode | None):
            return  # no quad has a literal subject, or a predicate that is not an IRI
        self.assume([self._encode(q) for q in self._base.quads(subject, predicate, obj)])

    def _encode(self, quad: ox.Quad) -> tuple[int, int, int]:
        return self._id(_plain(quad.subject)), self._id(quad.predicate), self._id(_plain(quad.object))

    def _id(self, term: OxTerm) -> int:
        found = self._ids.get(term)
        if found is None:
            found = self._ids[term] = self.terms.id(to_rdflib(term))
            self._ox[found] = term
        return found

    def _term(self, ident: int) -> OxTerm:
        found = self._ox.get(ident)
        if found is None:
            found = self._ox[ident] = to_ox(self.terms.term(ident))
        return found


def _plain(term: OxTerm | ox.Triple) -> OxTerm:
    """``term``, which in the state of a build is never an RDF-star triple."""
    if isinstance(term, ox.Triple):
        raise TypeError(f"the state holds the RDF-star triple {term}, which no build writes: build in full")
    return term
