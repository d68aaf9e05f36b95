"""What every rule reads: the sentence with its names, numbers and dates (:class:`View`), what the
whole extraction shares (:class:`Context`), the classes rules look for, and how a candidate is made."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.term import Node

from mcfkg.extract.entities import mint_iri
from mcfkg.extract.gazetteer import MCF, SCHEMA, Gazetteer
from mcfkg.extract.model import Candidate, DateMention, Kind, Mention, Quantity, Sentence, Span
from mcfkg.vocab import CANONICAL_BASE, Vocab

SDO = Namespace(SCHEMA)
DCTERMS = Namespace("http://purl.org/dc/terms/")
ORG_NS = Namespace("http://www.w3.org/ns/org#")
ID = Vocab(CANONICAL_BASE).ID

ORGS = (ORG_NS.Organization, MCF.OrganizationCollective)
PLACES = (SDO.Place,)
AGENTS = ORGS + PLACES  # a city "acting through its institutions" is credited and supported like one
PLANS = (MCF.PolicyDocument,)
PROJECTS = (MCF.Project, MCF.ProjectPortfolio)
PRODUCTS = (MCF.Product,)
FUNDS = (MCF.Fund,)
AWARDS = (MCF.Award,)
SECTORS = (MCF.Sector,)

# The stated set a counted noun makes (curated: "25 innovation platforms" is an InnovationPlatformSet).
COUNTED_SETS: dict[str, URIRef] = {
    "project": MCF.ProjectPortfolio, "platform": MCF.InnovationPlatformSet, "patent": MCF.PatentSet,
    "standard": MCF.StandardSet, "product": MCF.ProductSet, "mechanism": MCF.MechanismSet,
    "model": MCF.ModelSet, "area": MCF.FocusAreaSet, "field": MCF.FocusAreaSet,
}
COUNTED_OUTPUTS = (MCF.InnovationPlatformSet, MCF.PatentSet, MCF.StandardSet, MCF.ProductSet)
# How each kind of bound is written: the property of its number, the property of its kind, and the kind.
BOUNDS: dict[str, tuple[URIRef, URIRef, str]] = {
    "lower-exclusive": (SDO.minValue, MCF.bound, "exclusive"), "lower-inclusive": (SDO.minValue, MCF.bound, "inclusive"),
    "upper-exclusive": (SDO.maxValue, MCF.maxBound, "exclusive"), "upper-inclusive": (SDO.maxValue, MCF.maxBound, "inclusive")}
# The measures :mod:`~mcfkg.extract.quantities` reads, in words, and the UN/CEFACT Common Code of those that
# have one (mu and percentage points have none: schema:unitText alone, the number as written).
UNIT_WORDS = {"percent": "percent", "percentage-point": "percentage point", "km2": "square kilometre",
              "m2": "square metre", "ha": "hectare", "acre": "acre", "mu": "mu"}
UNIT_CODES = {"percent": "P1", "km2": "KMK", "m2": "MTK", "ha": "HAR", "acre": "ACR"}
# The indicator of an expected outcome, from the words before its amount (curated: mcfid:indicator-*).
INDICATORS = (
    (re.compile(r"\boutput(?:\s+value)?\s+of\s+(?:(?:the|an?|its)\s+)?(?:[a-z-]+\s+){0,2}?$|\boutput(?:\s+value)?\s+of\s*$", re.I), "output"),
    (re.compile(r"\b(?:increase|growth)\s+of\s*$", re.I), "increase"),
    (re.compile(r"\b(?:revenue|sales|income)\s+of\s*$", re.I), "revenue"),
    (re.compile(r"\battract\w*\s+(?:\w+\s+){0,2}investments?\s+of\s*$", re.I), "attracted investment"),
    (re.compile(r"\b(?:tax(?:es)?|tax revenue)\s+of\s*$", re.I), "tax revenue"),
)
VERB_INDICATOR = re.compile(r"\b(create|attract|cultivate|add|employ|introduce|train|incubate)(?:s|ing)?\s+$", re.I)
VERB_PARTICIPLES = {"create": "created", "attract": "attracted", "cultivate": "cultivated", "add": "added",
                    "employ": "employed", "introduce": "introduced", "train": "trained", "incubate": "incubated"}
FUTURE = re.compile(r"\b(?:will|shall|is expected to|are expected to|expects? to|aims? to|is set to|plans? to)\b", re.I)


@dataclass
class Context:
    """What the rules share across the sentences of one extraction."""

    gazetteer: Gazetteer
    minted: dict
    source_id: str
    published: date | None = None
    recent: list[Mention] = field(default_factory=list)  # every mention of the sentences before
    notes: list[str] = field(default_factory=list)
    nodes: dict[str, URIRef] = field(default_factory=dict)  # "event:<iri>" ... → the node minted for it
    paragraph_of: dict[int, int] = field(default_factory=dict)  # id(mention in recent) → its paragraph
    portfolio: URIRef | None = None  # the last project portfolio counted ("these projects")
    introduced: set[URIRef] = field(default_factory=set)  # new entities typed by a candidate already

    def remember(self, sentence: Sentence, mentions: Iterable[Mention]) -> None:
        """Add a sentence's mentions to ``recent`` (for "the Plan" and for the paragraph's topic)."""
        for mention in mentions:
            self.recent.append(mention)
            self.paragraph_of[id(mention)] = sentence.paragraph

    def mint(self, label: str) -> URIRef:
        return mint_iri(label, self.minted, self.gazetteer)

    def node(self, key: str, label: str) -> URIRef:
        """The node minted for ``key`` in this extraction (one establishment event per place, ...)."""
        if key not in self.nodes:
            self.nodes[key] = self.mint(label)
        return self.nodes[key]


@dataclass
class View:
    """One sentence as the rules see it, and which of its numbers and dates a rule has used."""

    sentence: Sentence
    mentions: list[Mention]
    quantities: list[Quantity]
    dates: list[DateMention]
    ctx: Context
    used: set[int] = field(default_factory=set)  # indices of quantities attached
    used_dates: set[int] = field(default_factory=set)
    portfolio: tuple[URIRef, Span] | None = None  # the project portfolio counted in this sentence

    @property
    def text(self) -> str:
        return self.sentence.text

    def is_a(self, mention: Mention, classes: Sequence[URIRef]) -> bool:
        return any(self.ctx.gazetteer.class_is_a(mention.type, cls) for cls in classes)

    def before(self, pos: int, classes: Sequence[URIRef], within: int = 400) -> Mention | None:
        """The last name of one of ``classes`` ending at or before ``pos`` (no further than ``within``)."""
        found = [m for m in self.mentions if m.span.end <= pos and pos - m.span.end <= within and self.is_a(m, classes)]
        return found[-1] if found else None

    def after(self, pos: int, classes: Sequence[URIRef], gap: str = r"[\s,]*(?:the\s+|a\s+|an\s+|its\s+)?") -> Mention | None:
        """The first name of one of ``classes`` starting after ``pos`` with only ``gap`` in between."""
        for m in self.mentions:
            if m.span.start >= pos and self.is_a(m, classes) and re.fullmatch(gap, self.text[pos:m.span.start], re.I):
                return m
        return None

    def all_after(self, pos: int, classes: Sequence[URIRef], until: int | None = None) -> list[Mention]:
        end = len(self.text) if until is None else until
        return [m for m in self.mentions if pos <= m.span.start < end and self.is_a(m, classes)]

    def subject(self, pos: int, classes: Sequence[URIRef] = AGENTS, strict: bool = True) -> Mention | None:
        """The name a clause ending at ``pos`` is about: the first such name of that clause (not strict:
        else the first of the sentence before ``pos``)."""
        clause_start = max(self.text.rfind(sep, 0, pos) for sep in (";", ":", ", and ", " and then "))
        found = [m for m in self.mentions if max(clause_start, 0) <= m.span.start < pos and self.is_a(m, classes)]
        if not found and not strict:
            found = [m for m in self.mentions if m.span.start < pos and self.is_a(m, classes)]
        return found[0] if found else None

    def topic(self, classes: Sequence[URIRef] = AGENTS) -> Mention | None:
        """What the sentences before, in this paragraph, were about: the name of ``classes`` they
        mention most (the last on a tie), for a passive sentence that names no one."""
        same = [m for m in self.ctx.recent if m.span is not None and self.is_a(m, classes)
                and self.ctx.paragraph_of.get(id(m)) == self.sentence.paragraph]
        if not same:
            return None
        tally: dict[URIRef, int] = {}
        for m in same:
            tally[m.iri] = tally.get(m.iri, 0) + 1
        best = max(tally.values())
        return next(m for m in reversed(same) if tally[m.iri] == best)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def range_parts(self, index: int) -> list[int]:
        """The indices of the number at ``index`` and, when it is one bound of a range ("between 20 and 30",
        "RMB 2-3 billion"), of the other bound: :func:`~mcfkg.extract.quantities.find_quantities` gives a
        range as its lower and upper bound, in that order, with one span, and the graph puts both on one node."""
        q = self.quantities[index]
        partner = {"lower-inclusive": (index + 1, "upper-inclusive"), "upper-inclusive": (index - 1, "lower-inclusive")}
        other, bound = partner.get(q.bound, (-1, ""))
        if 0 <= other < len(self.quantities) and self.quantities[other].span == q.span and self.quantities[other].bound == bound:
            return sorted((index, other))
        return [index]

    def money(self, near: int, window: int = 120) -> tuple[int, Quantity] | None:
        """The unused amount of money nearest to ``near`` (within ``window`` characters)."""
        found = [(abs(q.span.start - near), i, q) for i, q in enumerate(self.quantities)
                 if i not in self.used and is_money(q) and abs(q.span.start - near) <= window]
        return (min(found)[1], min(found)[2]) if found else None


def is_money(q: Quantity) -> bool:
    return q.unit is not None and q.unit.isupper() and len(q.unit) == 3


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def english(text: str) -> Literal:
    return Literal(re.sub(r"\s+", " ", text).strip(), lang="en")


def make_candidate(view: View, kind: Kind, triples: list[tuple[Node, Node, Node]], evidence: Iterable[Span | None],
               rule: str, confidence: float, note: str | None = None) -> Candidate:
    spans = sorted({s for s in evidence if s is not None}, key=lambda s: (s.start, s.end))
    return Candidate(view.sentence, kind, canonical_order(triples), spans, rule, round(confidence, 2), note=note)


def canonical_order(triples: Iterable[tuple[Node, Node, Node]]) -> list[tuple[Node, Node, Node]]:
    """Triples without repeats, in the order the review file reads them back (subject, then rdf:type,
    rdfs:label, other predicates, each by IRI and object): so a round trip gives the same list."""
    rank: dict[Node, int] = {RDF.type: 0, RDFS.label: 1}
    unique = list(dict.fromkeys(triples))
    return sorted(unique, key=lambda t: (str(t[0]), rank.get(t[1], 2), str(t[1]), t[2].n3()))


def lowered_confidence(base: float, *mentions: Mention | None) -> float:
    """A rule's confidence lowered when a name it relies on is new or uncertain."""
    factor = 1.0
    for mention in mentions:
        if mention is not None:
            factor *= min(1.0, mention.confidence + 0.1)
    return base * factor


