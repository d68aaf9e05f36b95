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

from collections.abc import Callable, Sequence

from mcfkg.extract.model import Candidate, DateMention, Mention, Quantity, Sentence
from mcfkg.extract.relations.counts import counts
from mcfkg.extract.relations.funding import approved_by, grants
from mcfkg.extract.relations.organisations import awards, establishment, located_in, suppliers, supports
from mcfkg.extract.relations.plans import (
    cooperation,
    expected_outcomes,
    implements_policy,
    jurisdictions,
    technology_fields,
)
from mcfkg.extract.relations.values import date_literal, quantity_kind, quantity_node
from mcfkg.extract.relations.view import ID, Context, View, canonical_order, is_money, make_candidate

__all__ = ["RULES", "Context", "canonical_order", "date_literal", "find_relations", "quantity_node"]


def leftovers(view: View) -> list[Candidate]:
    """A number no rule attached: its node on its own, with a note to attach it; an unused date: a note."""
    found = []
    for i, q in enumerate(view.quantities):
        if i in view.used:
            continue
        if not is_money(q) and q.unit is None and not q.what:
            continue
        owner = ID[f"{view.ctx.source_id}-p{view.sentence.paragraph}-s{view.sentence.number}"]
        node, triples, note = quantity_node(view, owner, i, "amount" if is_money(q) else "quantity")
        attach = "attach it with mcf:quantity (or mcf:amount, mcf:totalInvestment) to what it measures, or reject it"
        if not is_money(q) and q.unit is None and q.bound == "exact":
            attach = (f"a count of {q.what}: if it counts a set, make it that set's mcf:statedCount; "
                      "else attach the node with mcf:quantity")
        found.append(make_candidate(view, quantity_kind(q), triples, [q.span], "rule:quantity/unattached", 0.3,
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
