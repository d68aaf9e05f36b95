"""Propose Wikidata items for our entities that have no Wikidata link yet, and GeoNames features
for our places that have no GeoNames link yet.

Wikidata candidates come from exact label/alias lookups in English and Chinese (cheap on any
endpoint, including query.wikidata.org), GeoNames ones from its name search (English names).
Each is scored the same way (:func:`scored`): by label similarity, by whether its type fits
our class, and by whether it lies in the place we know the entity is in. Nothing is linked
here: a person accepts or rejects each row of the review file. Every unlinked entity of a
linkable class is accounted for: it gets candidates, or a reason why it got none (not named
in the source, no matching label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef

from mcfkg.link.endpoint import SparqlClient
from mcfkg.link.geonames import COMPARABLE_PLACES, GeoNamesClient
from mcfkg.link.local import Entity
from mcfkg.link.match import base_language, best_match
from mcfkg.link.wikidata import (
    WD,
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
# A GeoNames feature's province or country name counts as ours from this label score ("China" ~
# "People's Republic of China" scores 90).
PLACE_NAME_THRESHOLD = 85.0
_SUFFIXES = re.compile(r"(\s+(city|province|prefecture)|[市省])$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item or GeoNames feature proposed for one of our entities, with its score and evidence."""

    entity: Entity
    target: str  # the IRI proposed
    dataset: str  # wikidata | geonames, as link.local.TARGETS names them
    score: float
    label_score: float
    matched_label: str
    their_label: str
    language: str
    type_ok: bool | None
    place_ok: bool | None
    kind: str = ""  # what the other dataset says the target is: "P31 Q515/Q748149", "GeoNames P.PPLA2"
    untyped: str | None = None  # our class with no type rule for that dataset, when none of ours has one

    @property
    def short(self) -> str:
        """``Q426130`` or ``geonames:1800627``: the target as a person names it."""
        return qid(self.target) or f"{self.dataset}:{self.target.rstrip('/').rsplit('/', 1)[-1]}"

    @property
    def evidence(self) -> str:
        """One line a reviewer can read: what matched and what did not."""
        parts = [f"label {self.label_score:g} ('{self.matched_label}' ~ '{self.their_label}'@{self.language})"]
        unchecked = f"no type constraint known for class {self.untyped}" if self.untyped else "type not checked"
        parts.append({True: "type fits", False: "type does not fit", None: unchecked}[self.type_ok])
        parts.append({True: "place fits", False: "elsewhere", None: "place unknown"}[self.place_ok])
        if self.kind:
            parts.append(self.kind)
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


def scored(entity: Entity, target: str, dataset: str, theirs: list[Literal], type_ok: bool | None,
           place_ok: bool | None, kind: str = "", untyped: str | None = None) -> Candidate | None:
    """``target`` as a candidate for ``entity``, scored on the same evidence whatever dataset it is from:
    its best label against ours, its type, its place. None when no label shares a language with ours."""
    match = best_match(entity.labels, theirs)
    if match is None:
        return None
    score = LABEL_WEIGHT * match.score + _weigh(type_ok, TYPE_WEIGHT) + _weigh(place_ok, PLACE_WEIGHT)
    return Candidate(entity, target, dataset, round(score, 1), match.score, match.ours, match.theirs, match.language,
                     type_ok, place_ok, kind, untyped)


def ranked(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """The best ``limit`` candidates, best first (ties in IRI order, so runs are repeatable)."""
    return sorted(candidates, key=lambda c: (-c.score, c.target))[:limit]


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
    untyped = untyped_class(entity.classes)
    found_candidates = []
    for item in items.values():
        if item.redirect_to:
            continue  # a redirect is never the right target; its target is found by its own labels
        place_ok = places <= item.places if places else None  # in every place we know it is in
        kind = "P31 " + "/".join(sorted(item.instance_of)) if item.instance_of else ""
        candidate = scored(entity, WD + item.qid, "wikidata", item.labels or found[item.qid], item.type_ok,
                           place_ok, kind, untyped)
        if candidate is not None:
            found_candidates.append(candidate)
    return ranked(found_candidates, limit)


def propose_places(client: GeoNamesClient, entity: Entity, around: list[Entity], limit: int = 5) -> list[Candidate]:
    """Ranked GeoNames features for one of our places, searched by its English names; ``around`` are
    the entities of ours it lies in (only a province and a country can be compared: GeoNames names
    every feature's first-level division and country)."""
    names = dict.fromkeys(str(label) for label in label_variants(entity.labels)
                          if base_language(label.language) == "en")
    features = {f.geoname_id: f for name in names for f in client.search(name, max_rows=limit * 2)}
    comparable = [(place, attribute) for place in around for name, attribute in COMPARABLE_PLACES.items()
                  if name in place.classes]
    untyped = next(iter(entity.classes), None)
    found: list[Candidate] = []
    for feature in features.values():
        place_ok = all(_named_like(place, getattr(feature, attribute)) for place, attribute in comparable
                       ) if comparable else None
        type_ok = feature.fits(entity.classes)
        where = ", ".join(part for part in (feature.admin_name1, feature.country_name) if part)
        kind = f"GeoNames {feature.feature}" + (f" in {where}" if where else "")
        candidate = scored(entity, feature.iri, "geonames", feature.labels, type_ok, place_ok, kind,
                           untyped if type_ok is None else None)
        if candidate is not None:
            found.append(candidate)
    return ranked(found, limit)


def _named_like(place: Entity, name: str) -> bool:
    """Whether one of our labels of ``place`` is ``name`` (as GeoNames writes it, in English)."""
    match = best_match(place.labels, [Literal(name, lang="en")]) if name else None
    return match is not None and match.score >= PLACE_NAME_THRESHOLD


def propose_all(client: SparqlClient, entities: dict[URIRef, Entity], limit: int = 5,
                geonames: GeoNamesClient | None = None) -> tuple[list[Candidate], list[tuple[Entity, str]]]:
    """Candidates for every linkable entity without a Wikidata link, and, with ``geonames``, for every
    place without a GeoNames link; and why the others got none.

    Linkable: of a class Wikidata has items for, or linked to GeoNames or DBpedia already.
    """
    known = {str(e.iri): q for e in entities.values() for iri in e.linked("wikidata") if (q := qid(iri))}
    candidates: list[Candidate] = []
    without: list[tuple[Entity, str]] = []
    for entity in sorted(entities.values(), key=lambda e: str(e.iri)):
        wanted_wikidata = not entity.linked("wikidata") and (linkable(entity.classes) or bool(entity.links))
        wanted_geonames = geonames is not None and entity.place and not entity.linked("geonames")
        if not (wanted_wikidata or wanted_geonames):
            continue
        if not entity.named:
            without.append((entity, f"not named in the source ('{entity.label()}'): not searched"))
            continue
        if wanted_wikidata:
            found = propose(client, entity, known, limit)
            candidates.extend(found)
            if not found:
                untyped = untyped_class(entity.classes)
                reason = "no item with a matching English or Chinese label"
                without.append((entity, reason + (f" (searched without a type constraint: none known for class "
                                                  f"{untyped})" if untyped else "")))
        if wanted_geonames and geonames is not None:
            around = [entities[place] for place in entity.places if place in entities]
            places = propose_places(geonames, entity, around, limit)
            candidates.extend(places)
            if not places:
                without.append((entity, "no GeoNames feature with a matching English name"))
    return candidates, without
