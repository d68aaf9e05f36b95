"""Propose Wikidata items for our entities that have no Wikidata link yet.

Candidates come from exact label/alias lookups in English and Chinese (cheap on any
endpoint, including query.wikidata.org), then each is scored by label similarity, by
whether its type fits our class, and by whether it lies in the place we know the entity
is in. Nothing is linked here: a person accepts or rejects each row of the review file.
Every unlinked entity of a linkable class is accounted for: it gets candidates, or a reason
why it got none (not named in the source, no matching label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef

from mcfkg.link.endpoint import SparqlClient
from mcfkg.link.local import Entity
from mcfkg.link.match import best_match
from mcfkg.link.wikidata import (
    Item,
    allowed_classes,
    fetch_items,
    linkable,
    qid,
    search_labels,
    untyped_class,
)

# Weights of the evidence in a candidate's score (0-100).
LABEL_WEIGHT, TYPE_WEIGHT, PLACE_WEIGHT = 0.6, 25.0, 15.0
# Below this score, or with the type or the place against it, no link is suggested. With type and
# place unknown an exact label scores 80; a label scoring under 92 falls below.
ACCEPT_THRESHOLD = 75.0
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
        untyped = untyped_class(self.entity.classes)
        unchecked = f"no type constraint known for class {untyped}" if untyped else "type not checked"
        parts.append({True: "type fits", False: "type does not fit", None: unchecked}[self.type_ok])
        parts.append({True: "place fits", False: "elsewhere", None: "place unknown"}[self.place_ok])
        if self.item.instance_of:
            parts.append("P31 " + "/".join(sorted(self.item.instance_of)))
        return "; ".join(parts)

    @property
    def doubts(self) -> list[str]:
        """Why this candidate should not be linked; empty when nothing speaks against it."""
        reasons = [] if self.score >= ACCEPT_THRESHOLD else [f"score {self.score:g} below {ACCEPT_THRESHOLD:g}"]
        if self.type_ok is False:
            reasons.append("type does not fit")
        if self.place_ok is False:
            reasons.append("not where our entity is")
        return reasons


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


def propose_all(client: SparqlClient, entities: dict[URIRef, Entity],
                limit: int = 5) -> tuple[list[Candidate], list[tuple[Entity, str]]]:
    """Candidates for every linkable entity without a Wikidata link, and why the others got none.

    Linkable: of a class Wikidata has items for, or linked to GeoNames or DBpedia already.
    """
    known = {str(e.iri): q for e in entities.values() for iri in e.wikidata() if (q := qid(iri))}
    candidates: list[Candidate] = []
    without: list[tuple[Entity, str]] = []
    for entity in sorted(entities.values(), key=lambda e: str(e.iri)):
        if entity.wikidata() or not (linkable(entity.classes) or entity.links):
            continue
        if not entity.named:
            without.append((entity, f"not named in the source ('{entity.label()}'): not searched"))
            continue
        found = propose(client, entity, known, limit)
        candidates.extend(found)
        if not found:
            untyped = untyped_class(entity.classes)
            reason = "no item with a matching English or Chinese label"
            without.append((entity, reason + (f" (searched without a type constraint: none known for class {untyped})"
                                              if untyped else "")))
    return candidates, without
