"""Rules for counted sets ("12 projects", "nine national key laboratories"): the stated count, the
listed members, focus areas, and products applied in a field."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from mcfkg.extract.entities import slugify
from mcfkg.extract.gazetteer import MCF
from mcfkg.extract.model import Candidate, Mention, Span
from mcfkg.extract.relations.funding import total_investment
from mcfkg.extract.relations.values import counted_unit, quantity_node
from mcfkg.extract.relations.view import (
    AGENTS,
    COUNTED_OUTPUTS,
    COUNTED_SETS,
    ID,
    PLACES,
    PLANS,
    PRODUCTS,
    View,
    english,
    make_candidate,
    singular,
)

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
                triples += [(member, RDF.type, member_class), (member, RDFS.label, english(label)),
                            (member, SKOS.inScheme, ID[scheme])]
        triples.append((node, prop, member))
        evidence.append(view.span(a, b))


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
        noun = singular(q.what.lower())
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
        triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, cls), (node, RDFS.label, english(q.span.text)),
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
        found.append(make_candidate(view, "count", triples, evidence, f"rule:count/{noun}", confidence, note))
    found += total_investment(view, portfolio)
    return found


def _focus_areas(view: View, index: int, portfolio: URIRef | None, plan: Mention | None) -> list[Candidate]:
    q = view.quantities[index]
    view.used.add(index)
    owner = portfolio or (plan.iri if plan else ID[view.ctx.source_id])
    node = view.ctx.mint(owner.rsplit("/", 1)[-1] + "-focus-areas")
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.FocusAreaSet), (node, RDFS.label, english(q.span.text)),
                                              (node, MCF.statedCount, Literal(int(q.value)))]
    evidence: list[Span | None] = [q.span]
    if portfolio is not None:
        triples.append((portfolio, MCF.focusAreas, node))
    intro = LIST_INTRO.match(view.text, q.span.end)
    if intro:
        _members(view, node, MCF.FocusAreaSet, intro.end(), triples, evidence)
    return [make_candidate(view, "count", triples, evidence, "rule:count/focus-areas", 0.7)]


def _product_application(view: View, products: list[Mention], index: int, applied: re.Match[str]) -> Candidate:
    q = view.quantities[index]
    slug = "-".join(m.iri.rsplit("/", 1)[-1] for m in products)
    node = view.ctx.mint(f"{slug}-application")
    names = " and ".join(m.label for m in products)
    quantity, q_triples, note = quantity_node(view, node, index, slugify(q.what or "quantity"), counted_unit(q))
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, MCF.ProductApplication),
                                              (node, RDFS.label, english(f"application of {names} in {q.span.text}")),
                                              (node, MCF.quantity, quantity), *q_triples]
    triples += [(node, MCF.appliedProduct, m.iri) for m in products]
    evidence = [q.span, view.span(applied.start(), applied.end()), *(m.span for m in products)]
    return make_candidate(view, "count", triples, evidence, "rule:count/applied-in", 0.7, note)


