"""Numbers and dates as the ontology writes them: a quantity node exactly as precise as the text
(:func:`quantity_node`), and a date literal with how it was resolved (:func:`date_literal`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.term import Node

from mcfkg.extract.dates import MONTHS
from mcfkg.extract.gazetteer import MCF
from mcfkg.extract.model import Candidate, DateMention, Kind, Quantity, Span
from mcfkg.extract.relations.view import (
    BOUNDS,
    SDO,
    UNIT_CODES,
    UNIT_WORDS,
    View,
    english,
    is_money,
    make_candidate,
    singular,
)
from mcfkg.graph import canonical


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
    money = is_money(quantity)
    triples: list[tuple[Node, Node, Node]] = [(node, RDF.type, SDO.MonetaryAmount if money else SDO.QuantitativeValue),
                                              (node, RDFS.label, english(label))]
    notes = []
    if money:
        triples.append((node, SDO.currency, Literal(quantity.unit)))
    elif quantity.unit is None:
        triples.append((node, SDO.unitText, Literal(unit_text or counted_unit(quantity))))
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


def amount_candidate(view: View, owner: URIRef, prop: URIRef, index: int, rule: str, confidence: float,
                      evidence: Iterable[Span | None] = (), suffix: str = "amount") -> Candidate:
    quantity = view.quantities[index]
    node, triples, note = quantity_node(view, owner, index, suffix)
    kind: Kind = "amount" if is_money(quantity) else quantity_kind(quantity)
    return make_candidate(view, kind, [(owner, prop, node), *triples], [quantity.span, *evidence], rule, confidence, note)


def quantity_kind(quantity: Quantity) -> Kind:
    if is_money(quantity):
        return "amount"
    if quantity.unit in ("percent", "percentage-point"):
        return "percentage"
    return "area" if quantity.unit else "count"


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


def date_candidates(view: View, subject: URIRef, prop: URIRef, rule: str, evidence: Iterable[Span | None],
                     what: str) -> list[Candidate]:
    """A date candidate for each date of the sentence (the relation's), a scope note for a vague one."""
    found = []
    for i, mention in enumerate(view.dates):
        if i in view.used_dates:
            continue
        view.used_dates.add(i)
        literal, note = date_literal(mention)
        if literal is not None:
            found.append(make_candidate(view, "date", [(subject, prop, literal)], [mention.span, *evidence], rule,
                                    0.7 if note is None else 0.6, note))
        else:
            where = f"p{view.sentence.paragraph}/s{view.sentence.number}"
            view.ctx.notes.append(f"{where}: '{mention.span.text}' dates {what} but gives no date "
                                  f"({mention.resolution}); not recorded")
            verb = "Approved" if "approval" in what else "Established" if "establishment" in what else "Dated"
            found.append(make_candidate(view, "date", [(subject, SKOS.scopeNote,
                                                    english(f"{verb} '{mention.span.text.lower()}'; the source gives no date."))],
                                    [mention.span, *evidence], rule.replace("/date", "/vague-date"), 0.4,
                                    f"'{mention.span.text}': {mention.resolution}"))
    return found


def counted_unit(q: Quantity) -> str:
    """What a count counts, singular, in the text's words ("more than 20 sectors", "between 20 and 30
    sectors" → "sector")."""
    phrase = re.sub(r"^.*\d[\d.,]*\s+|^(?:\S+\s+)*?(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"eleven|twelve|dozen|\w+teen|\w+ty(?:-\w+)?)\s+", "", q.span.text, count=1, flags=re.I)
    words = phrase.split()
    if not words or len(words) > 3:
        return singular(q.what or "item")
    words[-1] = singular(words[-1])
    return " ".join(words)


