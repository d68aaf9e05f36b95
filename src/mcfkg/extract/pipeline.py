"""``extract()``: an article's sentences through names, numbers, dates and relations to candidate facts.

Per sentence, in order: the names (:func:`~mcfkg.extract.entities.find_mentions`, then "the Plan" and
the like resolved to what was named before), the numbers (:func:`~mcfkg.extract.quantities.find_quantities`,
a bare amount taking the currency of the amounts before it), the dates
(:func:`~mcfkg.extract.dates.find_dates`, against the publication date when one was given), and the
relations (:func:`~mcfkg.extract.relations.find_relations`). A new entity gets one candidate of kind
``entity`` (its ``rdf:type`` and ``rdfs:label``, and the acronym given in brackets as ``skos:altLabel``)
in the sentence that first names it; a known entity needs none. What could not be resolved is in
``Extraction.notes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from mcfkg.extract.dates import find_dates
from mcfkg.extract.entities import acronyms, find_mentions, reserve_iris, resolve_anaphora
from mcfkg.extract.gazetteer import Gazetteer
from mcfkg.extract.model import Article, Candidate, Extraction, Mention, Sentence
from mcfkg.extract.quantities import find_quantities
from mcfkg.extract.relations import Context, canonical_order, find_relations
from mcfkg.link.local import target_dataset
from mcfkg.vocab import CANONICAL_BASE, Vocab

SOURCE_LINE = re.compile(r"^\s*sources?\s*[:：]", re.IGNORECASE)
_ORGANIZATION = URIRef("http://www.w3.org/ns/org#Organization")
PLACES_NEEDING_LOCATION = {URIRef("https://w3id.org/mcfkg/def/" + name) for name in ("City", "Province", "Region", "ScienceCity")}
Linker = Callable[[Sequence[Mention]], list[Mention]]


def extract(article: Article, gazetteer: Gazetteer, source_id: str, *, link: Linker | None = None,
            taken: Iterable[URIRef] = ()) -> Extraction:
    """Every candidate fact of ``article`` (see the module docstring). ``link``, when given, adds
    Wikidata and GeoNames candidates to new names (``mcfkg extract --link``); they go into the entity
    candidate's note. No IRI is minted onto the source's own (``mcfid:<source_id>``), an entity of
    ``gazetteer`` or one of ``taken`` (every other IRI the graph uses)."""
    minted: dict = {}
    reserve_iris(minted, [Vocab(CANONICAL_BASE).ID[source_id], *taken])
    ctx = Context(gazetteer, minted, source_id, article.published)
    candidates: list[Candidate] = []
    introduced = ctx.introduced  # new entities already typed by a candidate (one entity candidate each)
    currency: str | None = None
    for sentence in article.sentences:
        mentions = find_mentions(sentence, gazetteer, minted)
        mentions = resolve_anaphora(sentence, mentions, ctx.recent, gazetteer)
        if link is not None:
            mentions = link(mentions)
        quantities = find_quantities(sentence, currency)
        for quantity in quantities:
            if quantity.unit and quantity.unit.isupper() and len(quantity.unit) == 3:
                currency = quantity.unit
        dates = find_dates(sentence, article.published)
        short = acronyms(sentence, mentions, gazetteer, minted)
        for mention in mentions:
            if mention.known or mention.iri in introduced:
                continue
            introduced.add(mention.iri)
            candidates.append(entity_candidate(sentence, mention, short.get(mention.iri)))
        candidates.extend(find_relations(sentence, mentions, quantities, dates, ctx))
        if SOURCE_LINE.match(sentence.text) and article.publisher is None:
            named = [m for m in mentions if gazetteer.class_is_a(m.type, _ORGANIZATION)]
            if named:
                ctx.notes.append(
                    f"p{sentence.paragraph}/s{sentence.number}: no --publisher was given; the 'Source:' line names "
                    f"{named[0].label} ({_curie(named[0].iri)}): run again with --publisher {_curie(named[0].iri)} "
                    "to record it (a source needs its publisher)")
        ctx.remember(sentence, mentions)
    if article.publisher is None and not any("--publisher" in note for note in ctx.notes):
        ctx.notes.append("no --publisher was given and the text has no 'Source:' line naming a known organisation: "
                         "a source needs its publisher (dcterms:publisher) before it can be ingested")
    return Extraction(source_id, article, candidates, ctx.notes)


def _curie(iri: str) -> str:
    from mcfkg.vocab import Vocab

    base = str(Vocab().ID)
    return "mcfid:" + iri[len(base):] if iri.startswith(base) else f"<{iri}>"


def entity_candidate(sentence: Sentence, mention: Mention, acronym: str | None = None) -> Candidate:
    """The candidate that introduces a new entity: its type and English label (and acronym)."""
    triples: list[tuple[Node, Node, Node]] = [(mention.iri, RDF.type, mention.type),
                                              (mention.iri, RDFS.label, Literal(mention.label, lang="en"))]
    if acronym:
        triples.append((mention.iri, SKOS.altLabel, Literal(acronym, lang="en")))
    notes = []
    if mention.type in PLACES_NEEDING_LOCATION:
        notes.append("the shapes ask where a place lies (mcf:locatedIn, up to a country): accept or add that fact too")
    for dataset, name in (("wikidata", "Wikidata"), ("geonames", "GeoNames")):
        links = [str(link) for link in mention.links if target_dataset(str(link)) == dataset]
        if links:
            notes.append(f"{name} candidates (check with `mcfkg link propose`/`verify` before linking): "
                         + ", ".join(links))
    note = "; ".join(notes) or None
    return Candidate(sentence, "entity", canonical_order(triples), [mention.span], mention.rule, mention.confidence,
                     note=note)
