"""Rules about organisations and places: located in, tier-1 suppliers, awards, establishment and
support relationships."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from mcfkg.extract.gazetteer import MCF
from mcfkg.extract.model import Candidate, Mention, Span
from mcfkg.extract.relations.values import date_candidates
from mcfkg.extract.relations.view import (
    AGENTS,
    AWARDS,
    DCTERMS,
    FUNDS,
    ORGS,
    PLACES,
    PLANS,
    PRODUCTS,
    PROJECTS,
    SDO,
    View,
    english,
    lowered_confidence,
    make_candidate,
    singular,
)

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
        found.append(make_candidate(view, "relation", [(thing.iri, MCF.locatedIn, place.iri)],
                                [thing.span, trigger, place.span], rule, lowered_confidence(confidence, thing, place)))

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
                   (relation, RDFS.label, english(f"{supplier.label} as tier-{tier} provider for the {product.label}")),
                   (relation, MCF.supplier, supplier.iri), (relation, MCF.suppliedProduct, product.iri),
                   (relation, MCF.supplierTier, Literal(tier))]
        found.append(make_candidate(view, "relation", triples, [supplier.span, view.span(match.start(), match.end()),
                                                            product.span],
                                f"rule:tier-{tier}-supplier/provider-for", lowered_confidence(0.85, supplier, product)))
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
            if i in view.used or q.unit is not None or not q.what or singular(q.what.lower()) not in {"prize", "award"}:
                continue
            if 0 <= award.span.start - q.span.end <= 25 and re.fullmatch(r"\s*(?:of|for)?\s*(?:the\s+)?", view.text[q.span.end:award.span.start]):
                view.used.add(i)
                triples.append((node, MCF.prizeCount, Literal(int(q.value))))
                evidence.append(q.span)
                label = f"{q.span.text} of {award.label} conferred on {recipient.label}"
        triples.append((node, RDFS.label, english(label)))
        found.append(make_candidate(view, "relation", triples, evidence, "rule:award/awarded", lowered_confidence(0.8, recipient, award)))
    return found


ESTABLISHED_PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been)\s+(?:\w+ly\s+)?(?:established|founded|set up|"
                                 r"inaugurated|launched|unveiled)\b", re.I)
ESTABLISHED_ACTIVE = re.compile(r"\b(?:has |have |had )?(?:established|founded|set up|launched)\s+(?:the\s+|a\s+|an\s+)?", re.I)
SINCE_ESTABLISHMENT = re.compile(r"\bsince\s+the\s+(?:establishment|founding|launch)\s+of\s+(?:the\s+)?", re.I)
ESTABLISHED_THINGS = ORGS + PLACES + PROJECTS + FUNDS + (MCF.IndustryCluster,)


def _event(view: View, thing: Mention) -> tuple[URIRef, list[tuple[Node, Node, Node]]]:
    event = view.ctx.node(f"event:{thing.iri}", f"{thing.iri.rsplit('/', 1)[-1]}-establishment")
    return event, [(event, RDF.type, MCF.EstablishmentEvent), (event, RDFS.label, english(f"establishment of {thing.label}")),
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
        found.append(make_candidate(view, "relation", triples, [view.span(match.start(), match.end()), thing.span],
                                "rule:established/since-the-establishment-of", lowered_confidence(0.7, thing)))
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
    found = [make_candidate(view, "relation", triples, [thing.span, trigger], rule, lowered_confidence(base, thing))]
    found += date_candidates(view, event, DCTERMS.date, rule.rsplit("/", 1)[0] + "/date", [trigger],
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
        found.append(make_candidate(view, "relation", [(supporter.iri, MCF.supports, supported.iri)],
                                [supporter.span, trigger, supported.span], "rule:supports/provided-support-for",
                                lowered_confidence(0.7, supporter, supported)))
        if clause_end:
            thing = view.after(clause_end.end(), ESTABLISHED_THINGS, gap=r"")
            if thing is not None:
                event, event_triples = _event(view, thing)
                relation = view.ctx.mint(f"{supporter.iri.rsplit('/', 1)[-1]}-support-for-{supported.iri.rsplit('/', 1)[-1]}")
                triples = [(relation, RDF.type, MCF.SupportRelationship),
                           (relation, RDFS.label, english(f"{supporter.label} support for {supported.label}")),
                           (relation, MCF.supporter, supporter.iri), (relation, MCF.supported, supported.iri),
                           (relation, MCF.supportSince, event), *event_triples]
                found.append(make_candidate(view, "relation", triples,
                                        [supporter.span, trigger, supported.span,
                                         view.span(clause_end.start(), clause_end.end()), thing.span],
                                        "rule:supports/since-establishment", lowered_confidence(0.65, supporter, thing)))
    for pattern, rule in ((SUPPORT_FROM, "rule:supported-by/receives-support-from"),
                          (SUPPORTED_BY, "rule:supported-by/passive")):
        for match in pattern.finditer(view.text):
            supported = view.subject(match.start(), AGENTS + PROJECTS + PLANS)
            supporter = view.after(match.end(), AGENTS + FUNDS, gap=r"")
            if supported and supporter:
                found.append(make_candidate(view, "relation", [(supported.iri, MCF.supportedBy, supporter.iri)],
                                        [supported.span, view.span(match.start(), match.end()), supporter.span],
                                        rule, lowered_confidence(0.75, supported, supporter)))
    return found


