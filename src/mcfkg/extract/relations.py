"""The ontology's relations in one sentence, proposed by rules over its names, numbers and dates.

Each rule is a regular expression over the sentence's words plus conditions on the classes of the
names around it (:class:`~mcfkg.extract.model.Mention` spans, so "the Plan" resolved to the plan counts
as the plan). What it proposes is modelled exactly as ``data/mianyang-mcf-article.trig`` models the
same statement: a grant is an ``mcf:Grant`` node with ``mcf:grantedBy``/``mcf:fromFund``/``mcf:funds``/
``mcf:grantedTo`` and an ``mcf:amount`` node; a count is the ``mcf:statedCount`` of a stated set; a
number is written as exactly as the text gives it (:func:`quantity_node`); an award is an
``mcf:AwardConferral``; and so on. No node is blank: every node a rule creates gets a minted IRI
(``<owner>-amount`` style, as the curated graph names them), unique in the extraction.

Every candidate carries the rule that made it (``rule:<relation>/<pattern>``), a confidence and the
evidence: the trigger words, the names and the numbers it used (character spans of the sentence).
A number no rule can attach still becomes a candidate (an amount or count node on its own, with a
note saying to attach it); a date no rule uses, or one that cannot be resolved, becomes a note.

:data:`RULES` lists the rules (the README's table is made from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.term import Node

from mcfkg.extract.dates import MONTHS
from mcfkg.extract.entities import mint_iri, register, slugify
from mcfkg.extract.gazetteer import MCF, SCHEMA, Gazetteer
from mcfkg.extract.model import Candidate, DateMention, Kind, Mention, Quantity, Sentence, Span
from mcfkg.graph import canonical
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
                 if i not in self.used and _is_money(q) and abs(q.span.start - near) <= window]
        return (min(found)[1], min(found)[2]) if found else None


def _is_money(q: Quantity) -> bool:
    return q.unit is not None and q.unit.isupper() and len(q.unit) == 3


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _en(text: str) -> Literal:
    return Literal(re.sub(r"\s+", " ", text).strip(), lang="en")


def _candidate(view: View, kind: Kind, triples: list[tuple[Node, Node, Node]], evidence: Iterable[Span | None],
               rule: str, confidence: float, note: str | None = None) -> Candidate:
    spans = sorted({s for s in evidence if s is not None}, key=lambda s: (s.start, s.end))
    return Candidate(view.sentence, kind, canonical_order(triples), spans, rule, round(confidence, 2), note=note)


def canonical_order(triples: Iterable[tuple[Node, Node, Node]]) -> list[tuple[Node, Node, Node]]:
    """Triples without repeats, in the order the review file reads them back (subject, then rdf:type,
    rdfs:label, other predicates, each by IRI and object): so a round trip gives the same list."""
    rank: dict[Node, int] = {RDF.type: 0, RDFS.label: 1}
    unique = list(dict.fromkeys(triples))
    return sorted(unique, key=lambda t: (str(t[0]), rank.get(t[1], 2), str(t[1]), t[2].n3()))


def _confidence(base: float, *mentions: Mention | None) -> float:
    """A rule's confidence lowered when a name it relies on is new or uncertain."""
    factor = 1.0
    for mention in mentions:
        if mention is not None:
            factor *= min(1.0, mention.confidence + 0.1)
    return base * factor


# --------------------------------------------------------------------------- quantity nodes
def quantity_node(view: View, owner: URIRef, index: int, suffix: str,
                  unit_text: str | None = None) -> tuple[URIRef, list[tuple[Node, Node, Node]], str | None]:
    """A MonetaryAmount or QuantitativeValue node for the number at ``index`` (and the other bound of its
    range) named after ``owner`` (``<owner>-<suffix>``), its triples, and a note for the reviewer.

    The number is written as exactly as the text gives it, never more: ``schema:value`` when exact;
    ``schema:minValue``/``schema:maxValue`` with ``mcf:bound``/``mcf:maxBound`` for a bound, both for a range;
    ``mcf:approximateValue`` for "nearly"/"about" (never ``schema:value``, which queries read as exact);
    the source's words as ``mcf:qualifier``. Money is in base units with its currency, a count an
    integer with what it counts, a percentage or area a decimal in the unit written, with its
    UN/CEFACT ``schema:unitCode`` where the unit has one. Marks the numbers used."""
    parts = view.range_parts(index)
    view.used.update(parts)
    quantity = view.quantities[index]
    node = view.ctx.mint(owner.rsplit("/", 1)[-1] + "-" + suffix)
    label = quantity.span.text
    if quantity.qualifier and quantity.qualifier.lower() not in label.lower():
        label = f"{quantity.qualifier} {label}"
    money = _is_money(quantity)
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, SDO.MonetaryAmount if money else SDO.QuantitativeValue),
                                              (node, RDFS.label, _en(label))]
    notes = []
    if money:
        triples.append((node, SDO.currency, Literal(quantity.unit)))
    elif quantity.unit is None:
        triples.append((node, SDO.unitText, Literal(unit_text or _unit_text(quantity))))
    else:
        triples.append((node, SDO.unitText, Literal(UNIT_WORDS[quantity.unit])))
        if quantity.unit in UNIT_CODES:
            triples.append((node, SDO.unitCode, Literal(UNIT_CODES[quantity.unit])))
    for part in (view.quantities[i] for i in parts):
        number: Literal = canonical(Literal(str(part.value), datatype=XSD.decimal))  # type: ignore[assignment]
        if quantity.unit is None and not money:
            if part.value == part.value.to_integral_value():
                number = Literal(int(part.value))
            else:
                notes.append(f"'{part.span.text}' counts a fraction ({part.value}): a count is a whole number; edit or reject")
        if part.bound == "exact":
            triples.append((node, SDO.value, number))
            continue
        if part.bound == "approximate":
            triples.append((node, MCF.approximateValue, number))
        else:
            value_property, kind_property, kind = BOUNDS[part.bound]
            triples += [(node, value_property, number), (node, kind_property, Literal(kind))]
        if part.qualifier:
            triples.append((node, MCF.qualifier, Literal(part.qualifier, lang="en")))
    if quantity.currency_from_context:
        notes.append(f"currency {quantity.unit} taken from the amounts before it")
    return node, triples, "; ".join(notes) or None


def _amount_candidate(view: View, owner: URIRef, prop: URIRef, index: int, rule: str, confidence: float,
                      evidence: Iterable[Span | None] = (), suffix: str = "amount") -> Candidate:
    quantity = view.quantities[index]
    node, triples, note = quantity_node(view, owner, index, suffix)
    kind: Kind = "amount" if _is_money(quantity) else _quantity_kind(quantity)
    return _candidate(view, kind, [(owner, prop, node), *triples], [quantity.span, *evidence], rule, confidence, note)


def _quantity_kind(quantity: Quantity) -> Kind:
    if _is_money(quantity):
        return "amount"
    if quantity.unit in ("percent", "percentage-point"):
        return "percentage"
    return "area" if quantity.unit else "count"


# --------------------------------------------------------------------------- dates
def date_literal(mention: DateMention) -> tuple[Literal | None, str | None]:
    """The date as precise as the text gives it (a year is never supplied: "On April 18" is
    ``--04-18``), and a note on how it was resolved when that matters."""
    text = mention.span.text
    has_year = bool(re.search(r"\b(?:1[89]|20)\d{2}\b", text))
    month = next((n for name, n in MONTHS.items() if re.search(rf"\b{name}\b", text, re.I)), None)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", re.sub(r"\b(?:1[89]|20)\d{2}\b", "", text))
    if mention.precision == "day" and has_year and mention.value:
        return Literal(mention.value.isoformat(), datatype=XSD.date), None
    if mention.precision == "day" and month and day:
        resolved = f"; resolved against the publication date: {mention.value.isoformat()}" if mention.value else ""
        return Literal(f"--{month:02d}-{int(day.group(1)):02d}", datatype=XSD.gMonthDay), (
            f"the text gives no year ('{text}'), so none is recorded{resolved}")
    if mention.precision == "month" and mention.value:
        note = None if has_year else f"the year of '{text}' is {mention.resolution}"
        return Literal(mention.value.strftime("%Y-%m"), datatype=XSD.gYearMonth), note
    if mention.precision == "year" and mention.value:
        return Literal(str(mention.value.year), datatype=XSD.gYear), None
    if mention.value and mention.precision == "day":
        return Literal(mention.value.isoformat(), datatype=XSD.date), f"'{text}': {mention.resolution}"
    return None, None


def _date_candidates(view: View, subject: URIRef, prop: URIRef, rule: str, evidence: Iterable[Span | None],
                     what: str) -> list[Candidate]:
    """A date candidate for each date of the sentence (the relation's), a scope note for a vague one."""
    found = []
    for i, mention in enumerate(view.dates):
        if i in view.used_dates:
            continue
        view.used_dates.add(i)
        literal, note = date_literal(mention)
        if literal is not None:
            found.append(_candidate(view, "date", [(subject, prop, literal)], [mention.span, *evidence], rule,
                                    0.7 if note is None else 0.6, note))
        else:
            where = f"p{view.sentence.paragraph}/s{view.sentence.number}"
            view.ctx.notes.append(f"{where}: '{mention.span.text}' dates {what} but gives no date "
                                  f"({mention.resolution}); not recorded")
            verb = "Approved" if "approval" in what else "Established" if "establishment" in what else "Dated"
            found.append(_candidate(view, "date", [(subject, SKOS.scopeNote,
                                                    _en(f"{verb} '{mention.span.text.lower()}'; the source gives no date."))],
                                    [mention.span, *evidence], rule.replace("/date", "/vague-date"), 0.4,
                                    f"'{mention.span.text}': {mention.resolution}"))
    return found


# --------------------------------------------------------------------------- the rules
APPROVED_PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been|is|are|been)\s+(?:\w+ly\s+)?approved\s+by\b", re.I)
APPROVED_ACTIVE = re.compile(r"\b(?:has |have |had )?(?:approved|approves|ratified|issued|released|promulgated)\b", re.I)


def approved_by(view: View) -> list[Candidate]:
    """"<plan> was approved by <organisation>" / "<organisation> approved <plan>" → mcf:approvedBy,
    and the approval's date (dcterms:dateAccepted) when the sentence gives one."""
    found = []
    for match in APPROVED_PASSIVE.finditer(view.text):
        plan = view.before(match.start(), PLANS)
        agent = view.after(match.end(), ORGS)
        if plan and agent:
            found += _approval(view, plan, agent, match, "rule:approved-by/passive", 0.85)
    for match in APPROVED_ACTIVE.finditer(view.text):
        if not match.group(0).lower().endswith("approved") and "approves" not in match.group(0).lower():
            continue
        agent = view.before(match.start(), ORGS, within=3)
        plan = view.after(match.end(), PLANS)
        if plan and agent:
            found += _approval(view, plan, agent, match, "rule:approved-by/active", 0.8)
    return found


def _approval(view: View, plan: Mention, agent: Mention, match: re.Match[str], rule: str, base: float) -> list[Candidate]:
    trigger = view.span(match.start(), match.end())
    found = [_candidate(view, "relation", [(plan.iri, MCF.approvedBy, agent.iri)], [plan.span, trigger, agent.span],
                        rule, _confidence(base, plan, agent))]
    found += _date_candidates(view, plan.iri, DCTERMS.dateAccepted, "rule:approved-by/date", [trigger],
                              f"the approval of {plan.label}")
    return found


GRANTED = re.compile(r"\b(?:was|were|has been|have been|had been|is|are|will be)\s+(?:\w+ly\s+)?"
                     r"(?:granted|allocated|awarded|provided|earmarked|given)\b", re.I)
GRANTS_ACTIVE = re.compile(r"\b(?:grant(?:ed|s)?|allocat(?:ed|es|e))\b(?!\s+of\b)", re.I)
RECEIVED_FROM = re.compile(r"\b(?:receiv\w+|obtain\w+|won|secured?)\b(?![^.;]{0,30}?\bsupport\b)[^.;]{0,80}?\bfrom\b", re.I)


def grants(view: View) -> list[Candidate]:
    """"a fund of RMB 500 million was granted from the central government [for the plan] [to X]",
    "X received RMB N from the Y Fund" → an mcf:Grant with mcf:grantedBy / mcf:fromFund / mcf:grantedTo /
    mcf:funds, and its mcf:amount."""
    match = GRANTED.search(view.text) or RECEIVED_FROM.search(view.text) or GRANTS_ACTIVE.search(view.text)
    if not match:
        return []
    money = view.money(match.start(), window=160)
    trigger = view.span(match.start(), match.end())
    tail = view.text[match.end():]
    source = view.after(match.end(), FUNDS + ORGS,
                        gap=r"[\s,]*(?:(?:[\w$¥.,]+\s+){0,6}?(?:to\s+\w+\s+)?)?(?:from|by)\s+(?:the\s+)?")
    if source is None and match.group(0).lower().rstrip().endswith("from"):
        source = view.after(match.end(), FUNDS + ORGS)
    fund = source if source is not None and view.is_a(source, FUNDS) else None
    granter = source if source is not None and fund is None else None
    if fund is None:
        fund = next((m for m in view.mentions if view.is_a(m, FUNDS) and m.span.start > match.start()), None)
    passive = re.match(r"(?:was|were|has|have|had|is|are|will)\b", match.group(0), re.I)
    if granter is None and not passive and not RECEIVED_FROM.match(view.text, match.start()):
        granter = view.subject(match.start(), ORGS)  # "The commission approved ... and allocated RMB ..."
    grantee = None
    to = re.search(r"\bto\s+(?:the\s+)?", tail)
    if to and not re.match(r"\s*(?:support|help|fund|promote|build|develop)\b", tail[to.end():]):
        grantee = view.after(match.end() + to.end(), AGENTS + PROJECTS, gap=r"")
        if grantee is None and re.match(r"(?:these|those|the|its|their)\s+projects\b", tail[to.end():]) and \
                view.ctx.portfolio is not None:
            grantee = Mention(view.span(match.end() + to.end(), match.end() + to.end() + len(tail[to.end():].split(" projects")[0]) + 9),
                              view.ctx.portfolio, MCF.ProjectPortfolio, "the projects", False, "rule:entity/anaphor/these-projects", 0.6)
    receiver = None
    if RECEIVED_FROM.match(view.text, match.start()):
        receiver = view.subject(match.start(), AGENTS + PROJECTS)
    funded = None
    for_match = re.search(r"\bfor\s+(?:the\s+)?", tail)
    if for_match:
        funded = view.after(match.end() + for_match.end(), PLANS + PROJECTS, gap=r"")
    if funded is None and receiver is None:
        funded = view.before(match.start(), PLANS + PROJECTS)
    if money is None and fund is None:
        return []
    if granter is None and fund is None and grantee is None and receiver is None:
        return []
    owner = funded or grantee or receiver
    grant = view.ctx.mint((owner.iri.rsplit("/", 1)[-1] if owner else view.ctx.source_id) + "-grant")
    parts = []
    if money:
        parts.append(view.quantities[money[0]].span.text)
    parts.append("grant")
    if granter:
        parts.append(f"from the {granter.label}" if granter.label[:1].islower() else f"from {granter.label}")
    elif fund:
        parts.append(f"from the {fund.label}")
    if owner:
        parts.append(f"for {owner.label}")
    triples: list[tuple[Node, Node, Node]] = [(grant, RDF.type, MCF.Grant), (grant, RDFS.label, _en(" ".join(parts)))]
    if granter:
        triples.append((grant, MCF.grantedBy, granter.iri))
    if fund:
        triples.append((grant, MCF.fromFund, fund.iri))
    if grantee:
        triples.append((grant, MCF.grantedTo, grantee.iri))
    elif receiver:
        triples.append((grant, MCF.grantedTo, receiver.iri))
    if funded:
        triples.append((grant, MCF.funds, funded.iri))
    evidence = [trigger, *(m.span for m in (granter, fund, grantee, receiver, funded) if m)]
    rule = "rule:grant/received-from" if receiver else "rule:grant/granted"
    base = 0.8 if money else 0.6
    missing = [what for what, given in (("who granted it (mcf:grantedBy)", granter),
                                        ("what it pays for (mcf:funds)", funded)) if given is None]
    note = f"the text does not say {' or '.join(missing)}, which the shapes ask for" if missing else None
    found = [_candidate(view, "relation", triples, evidence, rule, _confidence(base, granter or fund), note)]
    if money:
        found.append(_amount_candidate(view, grant, MCF.amount, money[0], "rule:grant/amount", 0.8, [trigger]))
    return found


TOTAL_INVESTMENT = re.compile(r"\b(?:a\s+)?total\s+investment\s+of\s*$|\binvestment\s+totall?ing\s*$|"
                              r"\b(?:total(?:ly|ling)?|worth|cost(?:ing)?)\s*$", re.I)


def total_investment(view: View, portfolio: URIRef | None) -> list[Candidate]:
    """"with a total investment of RMB 2.493 billion" → mcf:totalInvestment of the portfolio counted in
    the sentence ("12 ... projects"), else of the project or plan it is about."""
    found = []
    for i, q in enumerate(view.quantities):
        if i in view.used or not _is_money(q):
            continue
        words = TOTAL_INVESTMENT.search(view.text[: q.span.start])
        if not words:
            continue
        owner = portfolio
        owner_span = None
        if owner is None:
            mention = view.before(q.span.start, PROJECTS) or view.subject(q.span.start, PLANS + PROJECTS)
            if mention is None:
                continue
            owner, owner_span = mention.iri, mention.span
        found.append(_amount_candidate(view, owner, MCF.totalInvestment, i, "rule:total-investment/of", 0.8,
                                       [view.span(words.start(), words.end()), owner_span], suffix="investment"))
    return found


LIST_INTRO = re.compile(r"\s*,?\s*(?:(?:including|such as|namely|covering|like)\s*:?|:)\s*", re.I)
LIST_END = re.compile(r",\s*(?:with|which|while|and the|attracting|as well)\b|;|\.\s*$|\)|\bto the\b|\bhave been\b|\bhas been\b")
QUOTES = " \t\n“”\"'ˇ°±‘’."
# What a stated set's listed members are (the curated graph's concepts, each in its scheme).
MEMBER_CLASSES: dict[URIRef, tuple[URIRef, URIRef, str]] = {
    MCF.FocusAreaSet: (MCF.FocusArea, MCF.member, "focus-area-scheme"),
    MCF.MechanismSet: (MCF.IntegrationMechanism, MCF.member, "integration-mechanism-scheme"),
    MCF.ModelSet: (MCF.IntegrationModel, MCF.member, "integration-model-scheme"),
    MCF.InnovationPlatformSet: (MCF.PlatformKind, MCF.exampleKind, "platform-kind-scheme"),
}


def listed(view: View, start: int) -> list[tuple[int, int, Mention | None]]:
    """The items of a list from ``start`` ("A, B, C and D"), up to ", with", ";", ")" or the end: the names
    found there as they are, and the words between them split at commas and "and"."""
    text = view.text
    stop = LIST_END.search(text, start)
    end = stop.start() if stop else len(text)
    items: list[tuple[int, int, Mention | None]] = []
    cursor = start
    inside = [m for m in view.mentions if start <= m.span.start and m.span.end <= end]
    oxford = bool(re.search(r",\s*and\s", text[start:end]))  # "A, B, and C": an "and" inside an item stays
    for mention in [*inside, None]:
        gap_end = mention.span.start if mention else end
        pieces = text[cursor:gap_end].split(",")
        if not oxford and pieces:
            pieces[-1:] = re.split(r"\band\b", pieces[-1])
        for piece in pieces:
            at = text.find(piece, cursor)
            a, b = at, at + len(piece)
            while a < b and text[a] in QUOTES:
                a += 1
            while b > a and text[b - 1] in QUOTES:
                b -= 1
            lead = re.match(r"(?:and|the|a|an|both)\s+", text[a:b], re.I)
            if lead:
                a += lead.end()
            if b - a > 2 and re.search(r"[a-z]", text[a:b], re.I) and text[a:b].lower() not in {"the", "and", "etc"}:
                items.append((a, b, None))
            cursor = max(cursor, at + len(piece))
        if mention is not None:
            items.append((mention.span.start, mention.span.end, mention))
            cursor = mention.span.end
    return items


def _members(view: View, node: URIRef, set_class: URIRef, start: int,
             triples: list[tuple[Node, Node, Node]], evidence: list[Span | None]) -> None:
    """The members (or examples) a list after a stated set names, known ones by IRI, others minted as
    concepts of the set's member class in its scheme."""
    member_class, prop, scheme = MEMBER_CLASSES[set_class]
    for a, b, mention in listed(view, start):
        if mention is not None:
            if not view.is_a(mention, (member_class,)):
                continue
            member = mention.iri
        else:
            label = re.sub(r"\s+", " ", view.text[a:b])
            known = view.ctx.gazetteer.resolve(label, within=member_class)
            if known is not None:
                member = known.iri
            else:
                member = view.ctx.node(f"{member_class}:{label.lower()}", label)
                triples += [(member, RDF.type, member_class), (member, RDFS.label, _en(label)),
                            (member, SKOS.inScheme, ID[scheme])]
        triples.append((node, prop, member))
        evidence.append(view.span(a, b))


def _unit_text(q: Quantity) -> str:
    """What a count counts, singular, in the text's words ("more than 20 sectors", "between 20 and 30
    sectors" → "sector")."""
    phrase = re.sub(r"^.*\d[\d.,]*\s+|^(?:\S+\s+)*?(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"eleven|twelve|dozen|\w+teen|\w+ty(?:-\w+)?)\s+", "", q.span.text, count=1, flags=re.I)
    words = phrase.split()
    if not words or len(words) > 3:
        return _singular(q.what or "item")
    words[-1] = _singular(words[-1])
    return " ".join(words)


PRODUCED_IN = re.compile(r"\b(?:have|has|had|were|was)\s+been\s+(developed|produced|made|manufactured)"
                         r"(?:\s+and\s+(developed|produced|made|manufactured))?\s+in\s+(?:the\s+)?", re.I)


def counts(view: View) -> list[Candidate]:
    """Counted things: "25 innovation platforms" → an mcf:InnovationPlatformSet with mcf:statedCount 25,
    credited to the sentence's subject (mcf:creditedTo; in a passive sentence, to what the paragraph's
    sentences before were about, at a lower confidence) and with its examples ("such as ..." →
    mcf:exampleKind); "12 ... projects" → an mcf:ProjectPortfolio of the plan (mcf:hasProjectPortfolio);
    "in four main areas including A, B ..." → its mcf:FocusAreaSet with members; "four ... mechanisms: A,
    B" → mcf:member; "48 ... products ... developed and produced in X" → mcf:developedIn/producedIn; "X
    and Y have been applied in more than 20 sectors" → an mcf:ProductApplication with that quantity.
    Numbers after "will ... attracting" are left to :func:`expected_outcomes` (which runs after this)."""
    found = []
    portfolio: URIRef | None = None
    for i, q in enumerate(view.quantities):
        if i in view.used or q.unit is not None or not q.what:
            continue
        noun = _singular(q.what.lower())
        if noun in {"prize"}:
            continue  # a prize count belongs to its award conferral
        cls = COUNTED_SETS.get(noun)
        before = view.text[: q.span.start]
        if q.bound != "exact" or cls is None:
            applied = re.search(r"\b(?:have|has|had)\s+been\s+(?:applied|used|deployed|sold|exported)\s+(?:in|to)\s*$", before)
            if applied:
                products = [m for m in view.mentions if m.span.end <= applied.start() and view.is_a(m, PRODUCTS)]
                if products:
                    found.append(_product_application(view, products, i, applied))
            continue
        plan = view.before(q.span.start, PLANS)
        if cls == MCF.FocusAreaSet:
            found += _focus_areas(view, i, portfolio, plan)
            continue
        subject = view.subject(q.span.start, AGENTS, strict=False)
        evidence: list[Span | None] = [q.span]
        note = None
        confidence = 0.75
        credited = subject
        made = PRODUCED_IN.search(view.text, q.span.end) if cls == MCF.ProductSet else None
        made_in = view.after(made.end(), PLACES, gap=r"") if made else None
        if subject is None and made_in is not None:
            credited = made_in
        elif subject is None and (cls in COUNTED_OUTPUTS or cls in (MCF.MechanismSet, MCF.ModelSet)):
            credited = view.topic()
            if credited is not None:
                confidence = 0.55
                note = (f"the sentence names no one to credit (passive): credited to {credited.label}, what the "
                        "paragraph's sentences before are about")
            else:
                note = "the sentence names no one to credit (passive): add mcf:creditedTo"
        if cls == MCF.ProjectPortfolio and plan is not None:
            owner = plan.iri
        else:
            owner = credited.iri if credited else (plan.iri if plan else ID[view.ctx.source_id])
        node = view.ctx.mint(f"{owner.rsplit('/', 1)[-1]}-{slugify(q.what)}")
        view.used.add(i)
        triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, cls), (node, RDFS.label, _en(q.span.text)),
                                                  (node, MCF.statedCount, Literal(int(q.value)))]
        if credited is not None and (cls in COUNTED_OUTPUTS or cls in (MCF.MechanismSet, MCF.ModelSet)):
            triples.append((node, MCF.creditedTo, credited.iri))
            if credited is subject:
                evidence.append(subject.span)
        if cls == MCF.ProjectPortfolio:
            portfolio = node
            view.portfolio = (node, q.span)
            view.ctx.portfolio = node
            if plan is not None:
                triples.append((plan.iri, MCF.hasProjectPortfolio, node))
                evidence.append(plan.span)
        if made is not None and made_in is not None:
            verbs = {v.lower() for v in made.groups() if v}
            if "developed" in verbs:
                triples.append((node, MCF.developedIn, made_in.iri))
            if verbs & {"produced", "made", "manufactured"}:
                triples.append((node, MCF.producedIn, made_in.iri))
            evidence += [view.span(made.start(), made.end()), made_in.span]
        intro = LIST_INTRO.match(view.text, q.span.end)
        if intro is None and cls in MEMBER_CLASSES:
            intro = re.compile(r"[^.;:]{0,40}?(?:,\s*)?(?:including|such as|namely|:)\s*", re.I).match(view.text, q.span.end)
        if intro and cls in MEMBER_CLASSES:
            _members(view, node, cls, intro.end(), triples, evidence)
            listed_members = {o for _, p, o in triples if p == MCF.member}
            if listed_members and len(listed_members) != int(q.value):
                note = ((note + "; ") if note else "") + (
                    f"the text lists {len(listed_members)} members but states {int(q.value)}: check the list, and add "
                    "a skos:editorialNote on the set if the text itself disagrees (the shapes ask for one)")
        found.append(_candidate(view, "count", triples, evidence, f"rule:count/{noun}", confidence, note))
    found += total_investment(view, portfolio)
    return found


def _focus_areas(view: View, index: int, portfolio: URIRef | None, plan: Mention | None) -> list[Candidate]:
    q = view.quantities[index]
    view.used.add(index)
    owner = portfolio or (plan.iri if plan else ID[view.ctx.source_id])
    node = view.ctx.mint(owner.rsplit("/", 1)[-1] + "-focus-areas")
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.FocusAreaSet), (node, RDFS.label, _en(q.span.text)),
                                              (node, MCF.statedCount, Literal(int(q.value)))]
    evidence: list[Span | None] = [q.span]
    if portfolio is not None:
        triples.append((portfolio, MCF.focusAreas, node))
    intro = LIST_INTRO.match(view.text, q.span.end)
    if intro:
        _members(view, node, MCF.FocusAreaSet, intro.end(), triples, evidence)
    return [_candidate(view, "count", triples, evidence, "rule:count/focus-areas", 0.7)]


def _product_application(view: View, products: list[Mention], index: int, applied: re.Match[str]) -> Candidate:
    q = view.quantities[index]
    slug = "-".join(m.iri.rsplit("/", 1)[-1] for m in products)
    node = view.ctx.mint(f"{slug}-application")
    names = " and ".join(m.label for m in products)
    quantity, q_triples, note = quantity_node(view, node, index, slugify(q.what or "quantity"), _unit_text(q))
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.ProductApplication),
                                              (node, RDFS.label, _en(f"application of {names} in {q.span.text}")),
                                              (node, MCF.quantity, quantity), *q_triples]
    triples += [(node, MCF.appliedProduct, m.iri) for m in products]
    evidence = [q.span, view.span(applied.start(), applied.end()), *(m.span for m in products)]
    return _candidate(view, "count", triples, evidence, "rule:count/applied-in", 0.7, note)


LOCATED = re.compile(r"\b(?:located|based|situated|headquartered|lies|lie|lying|sits)\s+in\s+(?:the\s+)?(?:city\s+of\s+)?", re.I)
CITY_IN = re.compile(r",\s+(?:a|the)\s+(?:[\w-]+\s+)?city\s+(?:in|of)\s+(?:the\s+(?:[\w-]+\s+){1,3}of\s+)?", re.I)


def located_in(view: View) -> list[Candidate]:
    """mcf:locatedIn: "X, located in Y"; "X (City), Y (Province)"; a new organisation or place right before
    "in Y"; "outpaced other cities in Y" for the city the sentence is about."""
    found: list[Candidate] = []
    seen: set[tuple[URIRef, URIRef]] = set()

    def add(thing: Mention, place: Mention, rule: str, confidence: float, trigger: Span | None) -> None:
        if thing.iri == place.iri or (thing.iri, place.iri) in seen:
            return
        seen.add((thing.iri, place.iri))
        found.append(_candidate(view, "relation", [(thing.iri, MCF.locatedIn, place.iri)],
                                [thing.span, trigger, place.span], rule, _confidence(confidence, thing, place)))

    for match in LOCATED.finditer(view.text):
        place = view.after(match.end(), PLACES, gap=r"")
        thing = view.subject(match.start(), AGENTS + PROJECTS) or view.before(match.start(), AGENTS + PROJECTS, within=40)
        if place and thing:
            add(thing, place, "rule:located-in/located", 0.8, view.span(match.start(), match.end()))
    for a, b in zip(view.mentions, view.mentions[1:]):
        between = view.text[a.span.end:b.span.start]
        city_in = CITY_IN.fullmatch(between)
        if (re.fullmatch(r",\s*(?:in\s+)?(?:[\w’'-]+\s+){0,3}?", between) or city_in) and \
                view.is_a(a, (MCF.City, SDO.AdministrativeArea)) and view.is_a(b, (MCF.Province, MCF.Country)) and \
                not view.is_a(a, (MCF.Province, MCF.Country)):
            add(a, b, "rule:located-in/a-city-in" if city_in else "rule:located-in/apposition", 0.7,
                view.span(a.span.end, b.span.start) if city_in else None)
        elif re.fullmatch(r"\s+of\s+", between) and view.is_a(a, (SDO.AdministrativeArea,)) and \
                view.is_a(b, (MCF.City, MCF.Province)) and not view.is_a(a, (MCF.City, MCF.Province, MCF.Country)):
            add(a, b, "rule:located-in/district-of", 0.7, view.span(a.span.end, b.span.start))
        elif re.fullmatch(r"\s+in\s+(?:the\s+)?(?:city\s+of\s+)?", between) and view.is_a(b, PLACES) and not a.known and \
                view.is_a(a, ORGS + PLACES + PROJECTS):
            add(a, b, "rule:located-in/new-name-in", 0.6, view.span(a.span.end, b.span.start))
    for a, b in zip(view.mentions, view.mentions[1:]):
        if re.fullmatch(r"['’]s?\s+", view.text[a.span.end:b.span.start]) and view.is_a(a, (MCF.Country, MCF.Province)) \
                and view.is_a(b, (MCF.Province, MCF.City)) and not view.is_a(b, (MCF.Country,)):
            add(b, a, "rule:located-in/possessive", 0.65, None)  # "China's Fuxi Province"
    for match in re.finditer(r"\bother (?:cities|counties|districts|provinces)\s+in\s+", view.text, re.I):
        place = view.after(match.end(), PLACES, gap=r"")
        city = view.before(match.start(), PLACES)
        if place and city and not view.is_a(city, (MCF.Province, MCF.Country)):
            add(city, place, "rule:located-in/other-cities-in", 0.6, view.span(match.start(), match.end()))
    return found


TIER = re.compile(r"\b(?:(?:a\s+|the\s+)?tier[- ]?(?P<n>1|2|3|one|two|three)|(?P<ord>first|second|third)[- ]tier)\s+"
                  r"(?:provider|supplier|vendor|partner)s?\s+(?:for|of|to)\s+(?:the\s+)?", re.I)
TIER_NUMBERS = {"1": 1, "one": 1, "first": 1, "2": 2, "two": 2, "second": 2, "3": 3, "three": 3, "third": 3}


def suppliers(view: View) -> list[Candidate]:
    """"<organisation> has become tier 1 provider for the <product>" → mcf:tierOneSupplierFor and the
    qualified mcf:SupplierRelationship (mcf:supplier, mcf:suppliedProduct, mcf:supplierTier)."""
    found = []
    for match in TIER.finditer(view.text):
        tier = TIER_NUMBERS[(match.group("n") or match.group("ord")).lower()]
        supplier = view.subject(match.start(), ORGS) or view.before(match.start(), ORGS)
        product = view.after(match.end(), PRODUCTS, gap=r"") or view.after(match.end(), PRODUCTS)
        if not supplier or not product:
            continue
        relation = view.ctx.mint(f"{supplier.iri.rsplit('/', 1)[-1]}-{product.iri.rsplit('/', 1)[-1]}-supply")
        direct = MCF.tierOneSupplierFor if tier == 1 else MCF.supplierFor
        triples: list[tuple[Node, Node, Node]] = [
                   (supplier.iri, direct, product.iri), (relation, RDF.type, MCF.SupplierRelationship),
                   (relation, RDFS.label, _en(f"{supplier.label} as tier-{tier} provider for the {product.label}")),
                   (relation, MCF.supplier, supplier.iri), (relation, MCF.suppliedProduct, product.iri),
                   (relation, MCF.supplierTier, Literal(tier))]
        found.append(_candidate(view, "relation", triples, [supplier.span, view.span(match.start(), match.end()),
                                                            product.span],
                                f"rule:tier-{tier}-supplier/provider-for", _confidence(0.85, supplier, product)))
    return found


AWARDED = re.compile(r"\b(?:was|were|has been|have been|had been)\s+awarded(?:\s+with)?\b|\b(?:won|wins|received|receives|"
                     r"has won|have won|was granted|garnered|bagged)\b", re.I)


def awards(view: View) -> list[Candidate]:
    """"<recipient> was awarded with the <award>, ... and two prizes of <award>" → one mcf:AwardConferral
    per award (mcf:awardConferred, mcf:recipient, mcf:prizeCount from "two prizes of")."""
    found: list[Candidate] = []
    match = AWARDED.search(view.text)
    if not match:
        return found
    recipient = view.subject(match.start(), AGENTS + PRODUCTS + PROJECTS)
    if recipient is None:
        return found
    trigger = view.span(match.start(), match.end())
    for award in view.all_after(match.end(), AWARDS):
        node = view.ctx.mint(f"{award.iri.rsplit('/', 1)[-1]}-to-{recipient.iri.rsplit('/', 1)[-1]}")
        triples: list[tuple[Node, Node, Node]] = [
            (node, RDF.type, MCF.AwardConferral), (node, MCF.awardConferred, award.iri), (node, MCF.recipient, recipient.iri)]
        evidence = [recipient.span, trigger, award.span]
        label = f"{award.label} conferred on {recipient.label}"
        for i, q in enumerate(view.quantities):
            if i in view.used or q.unit is not None or not q.what or _singular(q.what.lower()) not in {"prize", "award"}:
                continue
            if 0 <= award.span.start - q.span.end <= 25 and re.fullmatch(r"\s*(?:of|for)?\s*(?:the\s+)?", view.text[q.span.end:award.span.start]):
                view.used.add(i)
                triples.append((node, MCF.prizeCount, Literal(int(q.value))))
                evidence.append(q.span)
                label = f"{q.span.text} of {award.label} conferred on {recipient.label}"
        triples.append((node, RDFS.label, _en(label)))
        found.append(_candidate(view, "relation", triples, evidence, "rule:award/awarded", _confidence(0.8, recipient, award)))
    return found


ESTABLISHED_PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been)\s+(?:\w+ly\s+)?(?:established|founded|set up|"
                                 r"inaugurated|launched|unveiled)\b", re.I)
ESTABLISHED_ACTIVE = re.compile(r"\b(?:has |have |had )?(?:established|founded|set up|launched)\s+(?:the\s+|a\s+|an\s+)?", re.I)
SINCE_ESTABLISHMENT = re.compile(r"\bsince\s+the\s+(?:establishment|founding|launch)\s+of\s+(?:the\s+)?", re.I)
ESTABLISHED_THINGS = ORGS + PLACES + PROJECTS + FUNDS + (MCF.IndustryCluster,)


def _event(view: View, thing: Mention) -> tuple[URIRef, list[tuple[Node, Node, Node]]]:
    event = view.ctx.node(f"event:{thing.iri}", f"{thing.iri.rsplit('/', 1)[-1]}-establishment")
    return event, [(event, RDF.type, MCF.EstablishmentEvent), (event, RDFS.label, _en(f"establishment of {thing.label}")),
                   (event, MCF.establishes, thing.iri)]


def establishment(view: View) -> list[Candidate]:
    """"X was established (in 2005)", "Y established X", "since the establishment of X" → an
    mcf:EstablishmentEvent that mcf:establishes X, dated (dcterms:date) when the sentence gives a date.
    "established 25 innovation platforms" is a count (:func:`counts`), not an event."""
    found = []
    supported = bool(re.search(r"\bsupport", view.text, re.I))
    for match in SINCE_ESTABLISHMENT.finditer(view.text):
        thing = view.after(match.end(), ESTABLISHED_THINGS, gap=r"")
        if thing is None or supported:
            continue  # with "support", the support relationship carries the event (:func:`supports`)
        event, triples = _event(view, thing)
        found.append(_candidate(view, "relation", triples, [view.span(match.start(), match.end()), thing.span],
                                "rule:established/since-the-establishment-of", _confidence(0.7, thing)))
    for match in ESTABLISHED_PASSIVE.finditer(view.text):
        thing = view.before(match.start(), ESTABLISHED_THINGS, within=30)
        if thing is None:
            continue
        found += _establishment(view, thing, match, "rule:established/passive", 0.75)
    for match in ESTABLISHED_ACTIVE.finditer(view.text):
        thing = view.after(match.end(), ESTABLISHED_THINGS, gap=r"")
        if thing is None or any(q.span.start == match.end() for q in view.quantities):
            continue
        found += _establishment(view, thing, match, "rule:established/active", 0.7)
    return found


def _establishment(view: View, thing: Mention, match: re.Match[str], rule: str, base: float) -> list[Candidate]:
    event, triples = _event(view, thing)
    trigger = view.span(match.start(), match.end())
    found = [_candidate(view, "relation", triples, [thing.span, trigger], rule, _confidence(base, thing))]
    found += _date_candidates(view, event, DCTERMS.date, rule.rsplit("/", 1)[0] + "/date", [trigger],
                              f"the establishment of {thing.label}")
    return found


SUPPORT_FOR = re.compile(r"\b(?:provided|provides|provide|given|gives|offered|offers|extended)\s+(?:\w+\s+){0,2}"
                         r"support\s+(?:for|to)\s+(?:the\s+)?", re.I)
SUPPORT_FROM = re.compile(r"\b(?:receives?|received|gets?|got|obtained|wins?|won)\s+(?:\w+\s+){0,2}support\s+from\s+(?:the\s+)?", re.I)
SUPPORT_REACH = 50  # characters after "support for" within which the supported thing is named
SUPPORTED_BY = re.compile(r"\b(?:is|are|was|were|has been|have been)\s+(?:\w+ly\s+)?supported\s+by\s+(?:the\s+)?", re.I)


def supports(view: View) -> list[Candidate]:
    """"X has provided great support for ... Y (since the establishment of Z)" → X mcf:supports Y, and the
    mcf:SupportRelationship with mcf:supportSince the establishment event; "Y receives support from X",
    "Y is supported by X" → Y mcf:supportedBy X."""
    found = []
    for match in SUPPORT_FOR.finditer(view.text):
        supporter = view.subject(match.start(), AGENTS + FUNDS)
        clause_end = SINCE_ESTABLISHMENT.search(view.text, match.end())
        objects = view.all_after(match.end(), AGENTS + PROJECTS + PLANS,
                                 clause_end.start() if clause_end else match.end() + SUPPORT_REACH)
        supported = next((m for m in objects if view.is_a(m, PLACES + PROJECTS + ORGS)), None)
        if supporter is None or supported is None:
            continue
        trigger = view.span(match.start(), match.end())
        found.append(_candidate(view, "relation", [(supporter.iri, MCF.supports, supported.iri)],
                                [supporter.span, trigger, supported.span], "rule:supports/provided-support-for",
                                _confidence(0.7, supporter, supported)))
        if clause_end:
            thing = view.after(clause_end.end(), ESTABLISHED_THINGS, gap=r"")
            if thing is not None:
                event, event_triples = _event(view, thing)
                relation = view.ctx.mint(f"{supporter.iri.rsplit('/', 1)[-1]}-support-for-{supported.iri.rsplit('/', 1)[-1]}")
                triples = [(relation, RDF.type, MCF.SupportRelationship),
                           (relation, RDFS.label, _en(f"{supporter.label} support for {supported.label}")),
                           (relation, MCF.supporter, supporter.iri), (relation, MCF.supported, supported.iri),
                           (relation, MCF.supportSince, event), *event_triples]
                found.append(_candidate(view, "relation", triples,
                                        [supporter.span, trigger, supported.span,
                                         view.span(clause_end.start(), clause_end.end()), thing.span],
                                        "rule:supports/since-establishment", _confidence(0.65, supporter, thing)))
    for pattern, rule in ((SUPPORT_FROM, "rule:supported-by/receives-support-from"),
                          (SUPPORTED_BY, "rule:supported-by/passive")):
        for match in pattern.finditer(view.text):
            supported = view.subject(match.start(), AGENTS + PROJECTS + PLANS)
            supporter = view.after(match.end(), AGENTS + FUNDS, gap=r"")
            if supported and supporter:
                found.append(_candidate(view, "relation", [(supported.iri, MCF.supportedBy, supporter.iri)],
                                        [supported.span, view.span(match.start(), match.end()), supporter.span],
                                        rule, _confidence(0.75, supported, supporter)))
    return found


def expected_outcomes(view: View) -> list[Candidate]:
    """In a sentence about the future ("will deliver an output of RMB 8.1 billion in the strategic
    emerging industries with an increase of over RMB 39.6 billion ..., attracting investments of RMB 20
    billion from enterprises outside and over 40 technology cooperation"): one mcf:ExpectedOutcome per
    number, with its mcf:indicator, mcf:inSector, mcf:investmentFrom, and its quantity."""
    future = FUTURE.search(view.text)
    if not future:
        return []
    owner = None
    if view.portfolio is not None and view.portfolio[1].end <= future.start():
        node, span = view.portfolio
        owner = Mention(span, node, MCF.ProjectPortfolio, span.text, False, "rule:count/project", 0.75)
    owner = owner or view.subject(future.start(), PROJECTS + PLANS + FUNDS) or view.before(future.start(), PROJECTS + PLANS)
    these = re.search(r"\b(?:the|these|those|its|their)\s+projects\b", view.text[: future.start()], re.I)
    if owner is None and these and view.ctx.portfolio is not None:
        owner = Mention(view.span(these.start(), these.end()), view.ctx.portfolio, MCF.ProjectPortfolio, "the projects",
                        False, "rule:entity/anaphor/these-projects", 0.6)
    owner = owner or view.subject(future.start(), AGENTS)
    if owner is None:
        return []
    found = []
    last_indicator: str | None = None
    for i, q in enumerate(view.quantities):
        if i in view.used or q.span.start < future.start():
            continue
        indicator = next((name for pattern, name in INDICATORS if pattern.search(view.text[: q.span.start])), None)
        verb = VERB_INDICATOR.search(view.text[: q.span.start])
        if indicator is None and verb and q.what and not _is_money(q):
            indicator = f"{_singular(q.what.lower())} {VERB_PARTICIPLES[verb.group(1).lower()]}"
        if indicator is None and not _is_money(q) and q.what and last_indicator == "attracted investment":
            words = q.span.text
            indicator = re.sub(r"^(?:\S+\s+){0,2}?\d[\d.,]*\s+", "", words) if q.what else None
            indicator = re.sub(r"^(?:more than|over|about|nearly|at least)\s+", "", indicator or "") or q.what
        if indicator is None:
            continue
        last_indicator = indicator if indicator == "attracted investment" else last_indicator
        found += _outcome(view, owner, i, indicator, future)
    return found


def _outcome(view: View, owner: Mention, index: int, indicator: str, future: re.Match[str]) -> list[Candidate]:
    q = view.quantities[index]
    node = view.ctx.mint(f"{owner.iri.rsplit('/', 1)[-1]}-{slugify(indicator)}")
    known = view.ctx.gazetteer.resolve(indicator, within=MCF.Indicator)
    triples: list[tuple[Node, Node, Node]] = [(owner.iri, MCF.expectedOutcome, node), (node, RDF.type, MCF.ExpectedOutcome)]
    if known is not None:
        indicator_iri = known.iri
    else:
        indicator_iri = view.ctx.node("indicator:" + indicator, "indicator-" + indicator)
        triples += [(indicator_iri, RDF.type, MCF.Indicator), (indicator_iri, RDFS.label, _en(indicator)),
                    (indicator_iri, SKOS.inScheme, ID["indicator-scheme"])]
    triples.append((node, MCF.indicator, indicator_iri))
    evidence: list[Span | None] = [owner.span, view.span(future.start(), future.end()), q.span]
    label = f"{q.span.text} attracted" if not _is_money(q) else f"{q.span.text} {indicator}"
    after = view.text[q.span.end:]
    sector = view.after(q.span.end, SECTORS, gap=r"\s+in\s+(?:the\s+)?")
    in_words = re.match(r"\s+in\s+(?:the\s+)?((?:[a-z-]+,?\s+){0,5}?(?:industries|industry|sectors?))\b", after)
    if sector is not None:
        triples.append((node, MCF.inSector, sector.iri))
        evidence.append(sector.span)
        label += f" in the {sector.label}"
    elif in_words:
        sector_label = re.sub(r"\s+", " ", in_words.group(1))
        sector_iri = view.ctx.node("sector:" + sector_label.lower(), sector_label)
        triples += [(node, MCF.inSector, sector_iri), (sector_iri, RDF.type, MCF.Sector),
                    (sector_iri, RDFS.label, _en(sector_label)), (sector_iri, SKOS.inScheme, ID["sector-scheme"])]
        start = q.span.end + in_words.start(1)
        evidence.append(view.span(start, start + len(in_words.group(1))))
        label += f" in the {sector_label}"
    if indicator == "attracted investment":
        source = view.after(q.span.end, AGENTS, gap=r"\s+from\s+(?:the\s+)?")
        if source is not None:
            triples.append((node, MCF.investmentFrom, source.iri))
            evidence.append(source.span)
            label += f" from {source.label}"
    triples.append((node, RDFS.label, _en(label)))
    outcome = _candidate(view, "relation", triples, evidence, "rule:expected-outcome/future", _confidence(0.7, owner))
    amount = _amount_candidate(view, node, MCF.quantity, index, "rule:expected-outcome/quantity", 0.7,
                               suffix="amount" if _is_money(q) else "count")
    return [outcome, amount]


IMPLEMENTS = re.compile(r"\b(?:is|are)\s+to\s+(?:\w+ly\s+)?implement\b|\bimplement(?:s|ing)?\s+(?:the\s+)?", re.I)


def implements_policy(view: View) -> list[Candidate]:
    """"The implementation of <plan> is to fully implement <ideology>, <guidelines> and <decisions>" →
    mcf:implementsPolicy of the plan (named in the sentence, else the last one named before)."""
    match = IMPLEMENTS.search(view.text)
    if not match:
        return []
    policies = view.all_after(match.end(), (MCF.GuidingIdeology, MCF.PolicyDocument))
    if not policies:
        return []
    plan = view.before(match.start(), PLANS) or next(
        (m for m in reversed(view.ctx.recent) if view.is_a(m, (MCF.ImplementationPlan,))), None)
    if plan is None or plan in policies:
        return []
    triples: list[tuple[Node, Node, Node]] = [(plan.iri, MCF.implementsPolicy, p.iri) for p in policies if p.iri != plan.iri]
    in_sentence = plan.span.start < len(view.text) and view.text[plan.span.start:plan.span.end] == plan.span.text
    evidence = [view.span(match.start(), match.end()), *(p.span for p in policies)] + ([plan.span] if plan in view.mentions else [])
    return [_candidate(view, "relation", triples, evidence, "rule:implements-policy/implement",
                       0.6 if in_sentence and plan in view.mentions else 0.45,
                       None if plan in view.mentions else f"the plan is not named in the sentence: {plan.label} (named before)")]


COOPERATION = re.compile(r"\b(?:cooperation|cooperate[sd]?|co-operation|partnership|collaborat\w+|jointly|"
                         r"signed an? (?:\w+ )?agreement)\b", re.I)


def cooperation(view: View) -> list[Candidate]:
    """"A and B signed a cooperation agreement on X", "cooperation between A and B" → a joint mcf:Project
    mcf:implementedBy both (the ontology has no cooperation relation; the note says so)."""
    match = COOPERATION.search(view.text)
    if not match or any(q.span.start <= match.start() < q.span.end for q in view.quantities):
        return []
    parties: list[Mention] = []
    for m in view.mentions:
        if view.is_a(m, ORGS) and all(p.iri != m.iri for p in parties):
            parties.append(m)
    if len(parties) < 2:
        return []
    parties = parties[:3]
    names = " and ".join(p.label for p in parties)
    node = view.ctx.mint("cooperation-" + "-".join(p.iri.rsplit("/", 1)[-1] for p in parties))
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.Project), (node, RDFS.label, _en(f"cooperation between {names}"))]
    triples += [(node, MCF.implementedBy, p.iri) for p in parties]
    return [_candidate(view, "relation", triples, [view.span(match.start(), match.end()), *(p.span for p in parties)],
                       "rule:cooperation/between", 0.5,
                       "the ontology has no cooperation relation: proposed as a joint project implemented by each party")]


JURISDICTION_WORDS = {"provincial": MCF.Province, "province": MCF.Province, "municipal": MCF.City, "city": MCF.City,
                      "county": SDO.AdministrativeArea, "district": SDO.AdministrativeArea}
LEADING_PLACE = re.compile(r"^(?:the\s+)?([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)\s+(Provincial|Province|Municipal|City|County|District)\b")
TRAILING_PLACE = re.compile(r"\bof\s+(?:the\s+)?([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)\s+(Province|City|County|District)$")


def jurisdictions(view: View) -> list[Candidate]:
    """A new government body or award named after a place ("Fuxi Provincial Development and Reform
    Commission", "Mianyang Development and Reform Commission", "... Award of Sichuan Province") →
    mcf:jurisdiction / mcf:awardingJurisdiction that place (the place proposed too when it is new)."""
    found = []
    for m in view.mentions:
        if m.known or f"jurisdiction:{m.iri}" in view.ctx.nodes:
            continue
        agency = view.is_a(m, (MCF.GovernmentAgency, MCF.Government))
        award = view.is_a(m, AWARDS)
        if not agency and not award:
            continue
        match = LEADING_PLACE.match(m.label) or TRAILING_PLACE.search(m.label)
        place_name, cls = (match.group(1), JURISDICTION_WORDS[match.group(2).lower()]) if match else (None, None)
        place = None
        if place_name is None:
            for n in (2, 1):  # "Mianyang Development and Reform Commission": a known place first
                words = m.label.split()
                if len(words) > n:
                    entry = view.ctx.gazetteer.resolve(" ".join(words[:n]), within=SDO.Place)
                    earlier = view.ctx.minted.get(_key(" ".join(words[:n])))
                    if entry is not None:
                        place, place_name = (entry.iri, entry.label), entry.label
                        break
                    if isinstance(earlier, Mention) and view.is_a(earlier, PLACES):
                        place, place_name = (earlier.iri, earlier.label), earlier.label
                        break
            if place is None:
                continue
        view.ctx.nodes[f"jurisdiction:{m.iri}"] = m.iri
        triples: list[tuple[Node, Node, Node]] = []
        if place is None and place_name is not None and cls is not None:
            entry = view.ctx.gazetteer.resolve(place_name, within=cls) or view.ctx.gazetteer.resolve(place_name, within=SDO.Place)
            if entry is not None:
                place = (entry.iri, entry.label)
            else:
                start = view.text.find(place_name, m.span.start)
                span = view.span(start, start + len(place_name)) if start >= 0 else m.span
                minted = register(Mention(span, ID["_"], cls, place_name, False, "rule:entity/place/in-name", 0.6),
                                  view.ctx.gazetteer, view.ctx.minted)
                place = (minted.iri, minted.label)
                if minted.iri not in view.ctx.introduced:  # the place is new: its own entity candidate first
                    view.ctx.introduced.add(minted.iri)
                    found.append(_candidate(view, "entity", [(minted.iri, RDF.type, minted.type),
                                                             (minted.iri, RDFS.label, _en(minted.label))],
                                            [span], minted.rule, minted.confidence,
                                            f"named only inside '{m.label}'"))
        if place is None:
            continue
        prop = MCF.awardingJurisdiction if award else MCF.jurisdiction
        triples.append((m.iri, prop, place[0]))
        found.append(_candidate(view, "relation", triples, [m.span], "rule:jurisdiction/named-after-place",
                                _confidence(0.65, m)))
    return found


def _key(name: str) -> str:
    from mcfkg.extract.gazetteer import name_key

    return name_key(name)


AREAS_INCLUDING = re.compile(r"\bin\s+(?:several|many|various|a number of|\w+)\s+(?:areas|fields|sectors)\s*,?\s*"
                             r"(?:including|such as|namely|like)\s*:?\s*", re.I)
IMPLEMENTED_PROJECTS = re.compile(r"\b(?:has|have|had)?\s*(?:implemented|carried out|launched|undertaken)\s+projects\b", re.I)


def technology_fields(view: View) -> list[Candidate]:
    """"<organisation> has implemented projects of ... in several areas including A, B and C" → an
    mcf:ProjectPortfolio mcf:implementedBy the organisation, with mcf:technologyField A, B, C."""
    match = IMPLEMENTED_PROJECTS.search(view.text)
    areas = AREAS_INCLUDING.search(view.text, match.end()) if match else None
    if not match or not areas:
        return []
    agent = view.subject(match.start(), ORGS)
    if agent is None:
        return []
    node = view.ctx.mint(f"{agent.iri.rsplit('/', 1)[-1]}-projects")
    what = re.sub(r"\s+", " ", view.text[match.end():areas.start()]).strip(" ,")
    label = f"projects implemented by {agent.label}" + (f" {what}" if what and len(what) < 120 else "")
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.ProjectPortfolio), (node, RDFS.label, _en(label)),
                                              (node, MCF.implementedBy, agent.iri)]
    evidence: list[Span | None] = [agent.span, view.span(match.start(), match.end()), view.span(areas.start(), areas.end())]
    for a, b, mention in listed(view, areas.end()):
        if mention is not None and view.is_a(mention, (MCF.TechnologyField,)):
            field_iri = mention.iri
        else:
            label_text = re.sub(r"\s+", " ", view.text[a:b])
            known = view.ctx.gazetteer.resolve(label_text, within=MCF.TechnologyField)
            field_iri = known.iri if known else view.ctx.node(f"field:{label_text.lower()}", label_text)
            if known is None:
                triples += [(field_iri, RDF.type, MCF.TechnologyField), (field_iri, RDFS.label, _en(label_text)),
                            (field_iri, SKOS.inScheme, ID["technology-field-scheme"])]
        triples.append((node, MCF.technologyField, field_iri))
        evidence.append(view.span(a, b))
    return [_candidate(view, "relation", triples, evidence, "rule:technology-field/projects-in-areas",
                       _confidence(0.65, agent))]


# --------------------------------------------------------------------------- leftovers
def leftovers(view: View) -> list[Candidate]:
    """A number no rule attached: its node on its own, with a note to attach it; an unused date: a note."""
    found = []
    for i, q in enumerate(view.quantities):
        if i in view.used:
            continue
        if not _is_money(q) and q.unit is None and not q.what:
            continue
        owner = ID[f"{view.ctx.source_id}-p{view.sentence.paragraph}-s{view.sentence.number}"]
        node, triples, note = quantity_node(view, owner, i, "amount" if _is_money(q) else "quantity")
        attach = "attach it with mcf:quantity (or mcf:amount, mcf:totalInvestment) to what it measures, or reject it"
        if not _is_money(q) and q.unit is None and q.bound == "exact":
            attach = (f"a count of {q.what}: if it counts a set, make it that set's mcf:statedCount; "
                      "else attach the node with mcf:quantity")
        found.append(_candidate(view, _quantity_kind(q), triples, [q.span], "rule:quantity/unattached", 0.3,
                                f"not attached to any fact: {attach}" + (f"; {note}" if note else "")))
    where = f"p{view.sentence.paragraph}/s{view.sentence.number}"
    for i, mention in enumerate(view.dates):
        if i in view.used_dates:
            continue
        if mention.value is None:
            view.ctx.notes.append(f"{where}: '{mention.span.text}' could not be resolved ({mention.resolution})")
        else:
            view.ctx.notes.append(f"{where}: the date '{mention.span.text}' ({mention.value.isoformat()}, "
                                  f"{mention.precision}; {mention.resolution}) is attached to no fact")
    return found


Rule = Callable[[View], list[Candidate]]
RULES: tuple[tuple[str, Rule], ...] = (
    ("approved by (mcf:approvedBy, dcterms:dateAccepted)", approved_by),
    ("grant (mcf:Grant, mcf:grantedBy, mcf:fromFund, mcf:grantedTo, mcf:funds, mcf:amount)", grants),
    ("tier-1 supplier (mcf:tierOneSupplierFor, mcf:SupplierRelationship)", suppliers),
    ("award (mcf:AwardConferral, mcf:prizeCount)", awards),
    ("counted set (mcf:statedCount, mcf:creditedTo, mcf:hasProjectPortfolio, mcf:focusAreas, mcf:member, "
     "mcf:exampleKind), product application, total investment (mcf:totalInvestment)", counts),
    ("expected outcome (mcf:expectedOutcome, mcf:indicator, mcf:inSector, mcf:investmentFrom, mcf:quantity)",
     expected_outcomes),
    ("located in (mcf:locatedIn)", located_in),
    ("support (mcf:supports, mcf:SupportRelationship, mcf:supportSince, mcf:supportedBy)", supports),
    ("establishment (mcf:EstablishmentEvent, mcf:establishes, dcterms:date)", establishment),
    ("implements policy (mcf:implementsPolicy)", implements_policy),
    ("jurisdiction (mcf:jurisdiction, mcf:awardingJurisdiction)", jurisdictions),
    ("technology fields (mcf:ProjectPortfolio, mcf:implementedBy, mcf:technologyField)", technology_fields),
    ("cooperation (joint mcf:Project, mcf:implementedBy)", cooperation),
    ("unattached numbers and dates", leftovers),
)


def find_relations(sentence: Sentence, mentions: Sequence[Mention], quantities: Sequence[Quantity],
                   dates: Sequence[DateMention], ctx: Context) -> list[Candidate]:
    """Every candidate the rules propose for one sentence, in rule order (:data:`RULES`); notes on what
    could not be resolved go to ``ctx.notes``."""
    view = View(sentence, list(mentions), list(quantities), list(dates), ctx)
    found: list[Candidate] = []
    for _, rule in RULES:
        found.extend(rule(view))
    return found
