"""Reconcile an incoming source's new entities with the graph's: one thing, one IRI.

A new entity (an IRI the existing graph never describes) may be an existing one under a second
IRI when it shares with it

- a name, ignoring case and spaces: ``rdfs:label``, ``skos:altLabel`` and ``skos:hiddenLabel`` in
  any language, so Chinese names (``"绵阳"@zh``) and recorded misspellings count too; or
- an external ID: both are ``owl:sameAs`` or ``skos:exactMatch`` (either direction) the same
  Wikidata item, GeoNames feature or DBpedia resource, whichever of that dataset's IRIs each uses
  (``http://www.wikidata.org/entity/Q19770`` and ``https://www.wikidata.org/wiki/Q19770`` are
  both ``wikidata:Q19770``), or the same other IRI outside the graph's base. ``skos:closeMatch``
  is not an identity (a near counterpart: a city's seat for the prefecture-level city), so it
  does not count.

That is never decided silently: the ingest stops and lists each match with the shared name or
ID, and the user answers per entity with ``--same-as NEW=EXISTING`` (the source is rewritten to
the existing IRI) or ``--distinct NEW`` (both are kept).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from rdflib import OWL, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from mcfkg.sources.document import IncomingSource, Quad
from mcfkg.vocab import CANONICAL_BASE, Vocab

NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)
IDENTITY_PROPERTIES = (OWL.sameAs, SKOS.exactMatch)  # both symmetric: a link counts in either direction
_DATASETS = (  # an external IRI's dataset and local ID, whichever of the dataset's IRI forms it takes
    ("wikidata", re.compile(r"^https?://(?:www\.|m\.)?wikidata\.org/(?:entity/|wiki/(?:Special:EntityPage/|Property:|"
                            r"Lexeme:)?)([QPL][1-9][0-9]*)(?:[/?#].*)?$")),
    ("geonames", re.compile(r"^https?://(?:sws\.|www\.)?geonames\.org/([1-9][0-9]*)(?:[/?#].*)?$")),
    ("dbpedia", re.compile(r"^https?://dbpedia\.org/(?:resource|page)/([^?#]+)$")),
)


class DecisionError(Exception):
    """A --same-as or --distinct that does not fit the source; the message says which and why."""


@dataclass(frozen=True)
class Match:
    """A new entity of the source that shares ``name`` with ``existing``: a name (normalised) or an
    external ID (``wikidata:Q19770``, ``geonames:1794299``, ``dbpedia:Sichuan`` or the IRI itself)."""

    new: URIRef
    existing: URIRef
    name: str


@dataclass(frozen=True)
class Existing:
    """The graph a source joins, as an ingest reads it: entities by match key (:func:`match_keys`), the
    subjects it describes (all of them, or at least the source's) and the names of its graphs (idem)."""

    by_key: dict[str, set[URIRef]]
    described: set[Node]
    graphs: set[Node]

    @classmethod
    def of(cls, quads: Iterable[Quad]) -> Existing:
        """What ``quads`` (every quad of the graph without the source) hold."""
        quads = list(quads)
        triples = [(s, p, o) for s, p, o, _ in quads]
        by_key: dict[str, set[URIRef]] = defaultdict(set)
        for entity, keys in match_keys(triples).items():
            for key in keys:
                by_key[key].add(entity)
        return cls(dict(by_key), {s for s, _, _ in triples}, {g for *_, g in quads})


def normalise(name: str) -> str:
    """A name as compared: Unicode-normalised (NFKC), case-folded, without any white space."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def names_by_entity(quads: Iterable[tuple[Node, Node, Node]]) -> dict[URIRef, set[str]]:
    """Each entity IRI (under ``id/``) → its normalised names."""
    prefix = Vocab(CANONICAL_BASE).ID
    names: dict[URIRef, set[str]] = defaultdict(set)
    for s, p, o in quads:
        if p in NAME_PROPERTIES and isinstance(s, URIRef) and s.startswith(prefix) and isinstance(o, Literal):
            names[s].add(normalise(str(o)))
    return names


def external_id(iri: Node) -> str | None:
    """An IRI outside the graph's base as compared: ``wikidata:Q19770``, ``geonames:1794299``,
    ``dbpedia:Sichuan`` for the datasets mcfkg links to (any of their IRI forms), else the IRI itself.
    None for the graph's own IRIs and for anything that is not an http(s) IRI."""
    text = str(iri)  # rdflib's URIRef.startswith does not take a tuple
    if not isinstance(iri, URIRef) or not text.startswith(("http://", "https://")):
        return None
    if text.startswith(Vocab(CANONICAL_BASE).base):
        return None
    for dataset, pattern in _DATASETS:
        found = pattern.match(text)
        if found:
            return f"{dataset}:{unquote(found.group(1))}"
    return text


def ids_by_entity(quads: Iterable[tuple[Node, Node, Node]]) -> dict[URIRef, set[str]]:
    """Each entity IRI (under ``id/``) → the external IDs it is ``owl:sameAs`` / ``skos:exactMatch``."""
    prefix = Vocab(CANONICAL_BASE).ID
    ids: dict[URIRef, set[str]] = defaultdict(set)
    for s, p, o in quads:
        if p not in IDENTITY_PROPERTIES:
            continue
        for entity, other in ((s, o), (o, s)):
            shared = external_id(other)
            if isinstance(entity, URIRef) and entity.startswith(prefix) and shared is not None:
                ids[entity].add(shared)
    return ids


def match_keys(triples: Iterable[tuple[Node, Node, Node]]) -> dict[URIRef, set[str]]:
    """Each entity IRI (under ``id/``) → what it is matched by: ``name:`` its normalised names and ``id:``
    its external IDs (two kinds, so a name never meets an ID)."""
    triples = list(triples)
    keys: dict[URIRef, set[str]] = defaultdict(set)
    for kind, found in (("name", names_by_entity(triples)), ("id", ids_by_entity(triples))):
        for entity, shared in found.items():
            keys[entity].update(f"{kind}:{key}" for key in shared)
    return keys


def matches(source: IncomingSource, existing: Existing) -> list[Match]:
    """Every (new entity, existing entity) pair sharing a name or an external ID, in a stable order.

    An entity the existing graph already describes (as a subject) is not new, so a source that adds
    facts about ``mcfid:mianyang`` is not asked.
    """
    found = set()
    for entity, shared in match_keys((s, p, o) for s, p, o, _ in source.quads).items():
        if entity in existing.described or entity == source.iri:
            continue
        for key in shared:
            for other in existing.by_key.get(key, ()):
                if other != entity:
                    found.add(Match(entity, other, key.partition(":")[2]))
    return sorted(found, key=lambda m: (str(m.new), str(m.existing), m.name))


def decide(
    found: list[Match], same_as: Mapping[URIRef, URIRef], distinct: set[URIRef]
) -> tuple[dict[URIRef, URIRef], list[Match]]:
    """The rewrite the decisions ask for, and the matches still waiting for a decision.

    A decision for an entity that has no match is an error rather than ignored: it is most likely
    a typo, and a silently unused ``--same-as`` would leave two IRIs for one thing.
    """
    pending = [m for m in found if m.new not in same_as and m.new not in distinct]
    candidates: dict[URIRef, set[URIRef]] = defaultdict(set)
    for m in found:
        candidates[m.new].add(m.existing)
    for new in [*same_as, *distinct]:
        if new not in candidates:
            raise DecisionError(f"{new} is not a new entity of this source with a matching name or external ID; "
                                "check the IRI")
    for new, target in same_as.items():
        if new in distinct:
            raise DecisionError(f"{new} is given both --same-as and --distinct; choose one")
        if target not in candidates[new]:
            options = ", ".join(sorted(str(c) for c in candidates[new]))
            raise DecisionError(f"--same-as {new}={target}: {target} is not a match for it; the matches are {options}")
    return dict(same_as), pending


def parse_iri(value: str) -> URIRef:
    """An entity given on the command line: a full IRI, ``mcfid:local`` or a bare local name."""
    vocab = Vocab(CANONICAL_BASE)
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    return vocab.ID[value.removeprefix("mcfid:")]
