"""Reconcile an incoming source's new entities with the graph's: one thing, one IRI.

A new entity (an IRI the existing graph never describes) whose name matches a name of an
existing entity, ignoring case and spaces, may be the same thing under a second IRI. That is
never decided silently: the ingest stops and lists each match, and the user answers per entity
with ``--same-as NEW=EXISTING`` (the source is rewritten to the existing IRI) or ``--distinct
NEW`` (both are kept). Names are ``rdfs:label``, ``skos:altLabel`` and ``skos:hiddenLabel`` in
any language, so Chinese names (``"绵阳"@zh``) and recorded misspellings count too.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from mcfkg.sources.document import IncomingSource, Quad
from mcfkg.vocab import CANONICAL_BASE, Vocab

NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)


class DecisionError(Exception):
    """A --same-as or --distinct that does not fit the source; the message says which and why."""


@dataclass(frozen=True)
class Match:
    """A new entity of the source whose name ``name`` is also a name of ``existing``."""

    new: URIRef
    existing: URIRef
    name: str


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


def matches(source: IncomingSource, existing: Iterable[Quad]) -> list[Match]:
    """Every (new entity, existing entity) pair sharing a name, in a stable order.

    ``existing`` is every quad of the graph without the source; an entity it already describes
    (as a subject) is not new, so a source that adds facts about ``mcfid:mianyang`` is not asked.
    """
    existing_triples = [(s, p, o) for s, p, o, _ in existing]
    described = {s for s, _, _ in existing_triples}
    by_name: dict[str, set[URIRef]] = defaultdict(set)
    for entity, names in names_by_entity(existing_triples).items():
        for name in names:
            by_name[name].add(entity)
    found = set()
    for entity, names in names_by_entity((s, p, o) for s, p, o, _ in source.quads).items():
        if entity in described or entity == source.iri:
            continue
        for name in names:
            for other in by_name.get(name, ()):
                found.add(Match(entity, other, name))
    return sorted(found, key=lambda m: (str(m.new), str(m.existing)))


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
            raise DecisionError(f"{new} is not a new entity of this source with a matching name; check the IRI")
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
