"""Propose Wikidata items for our entities that have no Wikidata link yet.

Candidates come from exact label/alias lookups in English and Chinese (cheap on any
endpoint, including query.wikidata.org), then each is scored by label similarity, by
whether its type fits our class, and by whether it lies in the place we know the entity
is in. Nothing is linked here: a person accepts or rejects each row of the review file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef

from mcfkg.link.endpoint import SparqlClient
from mcfkg.link.local import Entity
from mcfkg.link.match import best_match
from mcfkg.link.wikidata import Item, allowed_classes, fetch_items, qid, search_labels

# Weights of the evidence in a candidate's score (0-100).
LABEL_WEIGHT, TYPE_WEIGHT, PLACE_WEIGHT = 0.6, 25.0, 15.0
_SUFFIXES = re.compile(r"(\s+(city|province|prefecture)|[市省])$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item proposed for one of our entities, with its score and the evidence for it."""

    entity: Entity
    item: Item
    score: float
    label_score: float
    matched_label: str
    their_label: str
    language: str
    place_ok: bool | None

    @property
    def type_ok(self) -> bool | None:
        return self.item.type_ok

    @property
    def evidence(self) -> str:
        """One line a reviewer can read: what matched and what did not."""
        parts = [f"label {self.label_score:g} ('{self.matched_label}' ~ '{self.their_label}'@{self.language})"]
        parts.append({True: "type fits", False: "type does not fit", None: "type not checked"}[self.type_ok])
        parts.append({True: "place fits", False: "elsewhere", None: "place unknown"}[self.place_ok])
        if self.item.instance_of:
            parts.append("P31 " + "/".join(sorted(self.item.instance_of)))
        return "; ".join(parts)


def label_variants(labels: list[Literal]) -> list[Literal]:
    """Our labels plus the forms without a 'City'/'Province'/'市'/'省' suffix."""
    variants = list(labels)
    for label in labels:
        short = _SUFFIXES.sub("", str(label)).strip()
        if short and short != str(label):
            variants.append(Literal(short, lang=label.language))
    return variants


def _weigh(agrees: bool | None, weight: float) -> float:
    """Full weight when the evidence agrees, none when it disagrees, half when it is unknown."""
    return weight / 2 if agrees is None else weight * agrees


def propose(client: SparqlClient, entity: Entity, known: dict[str, str], limit: int = 5) -> list[Candidate]:
    """Ranked candidates for one entity; ``known`` maps our place IRIs to their linked QIDs."""
    found = search_labels(client, label_variants(entity.labels))
    if not found:
        return []
    classes = allowed_classes(entity.classes)
    items = fetch_items(client, found, classes)
    places = {known[str(place)] for place in entity.places if str(place) in known}
    ranked: list[Candidate] = []
    for item in items.values():
        if item.redirect_to:
            continue  # a redirect is never the right target; its target is found by its own labels
        match = best_match(entity.labels, item.labels or found[item.qid])
        if match is None:
            continue
        place_ok = places <= item.places if places else None  # in every place we know it is in
        score = LABEL_WEIGHT * match.score + _weigh(item.type_ok, TYPE_WEIGHT) + _weigh(place_ok, PLACE_WEIGHT)
        ranked.append(
            Candidate(entity, item, round(score, 1), match.score, match.ours, match.theirs, match.language, place_ok)
        )
    ranked.sort(key=lambda c: (-c.score, c.item.qid))
    return ranked[:limit]


def propose_all(client: SparqlClient, entities: dict[URIRef, Entity], limit: int = 5) -> tuple[list[Candidate], list[Entity]]:
    """Candidates for every entity without a Wikidata link, and the entities that got none."""
    known = {str(e.iri): q for e in entities.values() for iri in e.wikidata() if (q := qid(iri))}
    candidates: list[Candidate] = []
    without: list[Entity] = []
    for entity in sorted(entities.values(), key=lambda e: str(e.iri)):
        if entity.wikidata() or not allowed_classes(entity.classes):
            continue
        found = propose(client, entity, known, limit)
        candidates.extend(found)
        if not found:
            without.append(entity)
    return candidates, without
