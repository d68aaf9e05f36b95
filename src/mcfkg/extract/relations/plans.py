"""Rules about what plans and projects aim at: expected outcomes, policies implemented, cooperation,
jurisdictions and technology fields."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, SKOS
from rdflib.term import Node

from mcfkg.extract.entities import register, slugify
from mcfkg.extract.gazetteer import MCF
from mcfkg.extract.model import Candidate, Mention, Span
from mcfkg.extract.relations.counts import listed
from mcfkg.extract.relations.values import amount_candidate
from mcfkg.extract.relations.view import (
    AGENTS,
    AWARDS,
    FUNDS,
    FUTURE,
    ID,
    INDICATORS,
    ORGS,
    PLACES,
    PLANS,
    PROJECTS,
    SDO,
    SECTORS,
    VERB_INDICATOR,
    VERB_PARTICIPLES,
    View,
    english,
    is_money,
    lowered_confidence,
    make_candidate,
    singular,
)


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
        if indicator is None and verb and q.what and not is_money(q):
            indicator = f"{singular(q.what.lower())} {VERB_PARTICIPLES[verb.group(1).lower()]}"
        if indicator is None and not is_money(q) and q.what and last_indicator == "attracted investment":
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
        triples += [(indicator_iri, RDF.type, MCF.Indicator), (indicator_iri, RDFS.label, english(indicator)),
                    (indicator_iri, SKOS.inScheme, ID["indicator-scheme"])]
    triples.append((node, MCF.indicator, indicator_iri))
    evidence: list[Span | None] = [owner.span, view.span(future.start(), future.end()), q.span]
    label = f"{q.span.text} attracted" if not is_money(q) else f"{q.span.text} {indicator}"
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
                    (sector_iri, RDFS.label, english(sector_label)), (sector_iri, SKOS.inScheme, ID["sector-scheme"])]
        start = q.span.end + in_words.start(1)
        evidence.append(view.span(start, start + len(in_words.group(1))))
        label += f" in the {sector_label}"
    if indicator == "attracted investment":
        source = view.after(q.span.end, AGENTS, gap=r"\s+from\s+(?:the\s+)?")
        if source is not None:
            triples.append((node, MCF.investmentFrom, source.iri))
            evidence.append(source.span)
            label += f" from {source.label}"
    triples.append((node, RDFS.label, english(label)))
    outcome = make_candidate(view, "relation", triples, evidence, "rule:expected-outcome/future", lowered_confidence(0.7, owner))
    amount = amount_candidate(view, node, MCF.quantity, index, "rule:expected-outcome/quantity", 0.7,
                               suffix="amount" if is_money(q) else "count")
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
    return [make_candidate(view, "relation", triples, evidence, "rule:implements-policy/implement",
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
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.Project), (node, RDFS.label, english(f"cooperation between {names}"))]
    triples += [(node, MCF.implementedBy, p.iri) for p in parties]
    return [make_candidate(view, "relation", triples, [view.span(match.start(), match.end()), *(p.span for p in parties)],
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
                    found.append(make_candidate(view, "entity", [(minted.iri, RDF.type, minted.type),
                                                             (minted.iri, RDFS.label, english(minted.label))],
                                            [span], minted.rule, minted.confidence,
                                            f"named only inside '{m.label}'"))
        if place is None:
            continue
        prop = MCF.awardingJurisdiction if award else MCF.jurisdiction
        triples.append((m.iri, prop, place[0]))
        found.append(make_candidate(view, "relation", triples, [m.span], "rule:jurisdiction/named-after-place",
                                lowered_confidence(0.65, m)))
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
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.ProjectPortfolio), (node, RDFS.label, english(label)),
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
                triples += [(field_iri, RDF.type, MCF.TechnologyField), (field_iri, RDFS.label, english(label_text)),
                            (field_iri, SKOS.inScheme, ID["technology-field-scheme"])]
        triples.append((node, MCF.technologyField, field_iri))
        evidence.append(view.span(a, b))
    return [make_candidate(view, "relation", triples, evidence, "rule:technology-field/projects-in-areas",
                       lowered_confidence(0.65, agent))]


