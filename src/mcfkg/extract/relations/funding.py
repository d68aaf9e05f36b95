"""Rules for approvals, grants and total investments: who approved a plan, who granted how much from
which fund to whom, and a portfolio's total investment."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, URIRef
from rdflib.term import Node

from mcfkg.extract.gazetteer import MCF
from mcfkg.extract.model import Candidate, Mention
from mcfkg.extract.relations.values import amount_candidate, date_candidates
from mcfkg.extract.relations.view import (
    AGENTS,
    DCTERMS,
    FUNDS,
    ORGS,
    PLANS,
    PROJECTS,
    View,
    english,
    is_money,
    lowered_confidence,
    make_candidate,
)

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
    found = [make_candidate(view, "relation", [(plan.iri, MCF.approvedBy, agent.iri)], [plan.span, trigger, agent.span],
                        rule, lowered_confidence(base, plan, agent))]
    found += date_candidates(view, plan.iri, DCTERMS.dateAccepted, "rule:approved-by/date", [trigger],
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
    triples: list[tuple[Node, Node, Node]] = [(grant, RDF.type, MCF.Grant), (grant, RDFS.label, english(" ".join(parts)))]
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
    found = [make_candidate(view, "relation", triples, evidence, rule, lowered_confidence(base, granter or fund), note)]
    if money:
        found.append(amount_candidate(view, grant, MCF.amount, money[0], "rule:grant/amount", 0.8, [trigger]))
    return found


TOTAL_INVESTMENT = re.compile(r"\b(?:a\s+)?total\s+investment\s+of\s*$|\binvestment\s+totall?ing\s*$|"
                              r"\b(?:total(?:ly|ling)?|worth|cost(?:ing)?)\s*$", re.I)


def total_investment(view: View, portfolio: URIRef | None) -> list[Candidate]:
    """"with a total investment of RMB 2.493 billion" → mcf:totalInvestment of the portfolio counted in
    the sentence ("12 ... projects"), else of the project or plan it is about."""
    found = []
    for i, q in enumerate(view.quantities):
        if i in view.used or not is_money(q):
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
        found.append(amount_candidate(view, owner, MCF.totalInvestment, i, "rule:total-investment/of", 0.8,
                                       [view.span(words.start(), words.end()), owner_span], suffix="investment"))
    return found


