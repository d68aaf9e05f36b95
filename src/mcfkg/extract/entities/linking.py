"""Wikidata and GeoNames candidates for new names of a linkable class, asked only with ``--link``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef

from mcfkg.extract.entities.patterns import SCHEMA_PLACE
from mcfkg.extract.gazetteer import MCF, Gazetteer
from mcfkg.extract.model import Mention

if TYPE_CHECKING:
    from mcfkg.link.endpoint import SparqlClient
    from mcfkg.link.geonames import GeoNamesClient

LINKABLE = (MCF.City, MCF.Province, MCF.Country, MCF.GovernmentAgency, MCF.Enterprise, MCF.ResearchInstitute,
            MCF.PoliticalParty, MCF.Aircraft, MCF.Award, MCF.ScienceCity, MCF.Region)


def propose_links(mentions: Sequence[Mention], gazetteer: Gazetteer, client: SparqlClient,
                  geonames: GeoNamesClient | None = None, limit: int = 3) -> list[Mention]:
    """The new mentions with ``links``: the Wikidata items (IRIs) that ``mcfkg link propose``'s ranking finds
    for names of a linkable class and, with ``geonames``, the GeoNames features it finds for places
    (subclasses of schema:Place), best first, leaving out candidates it would advise against. Only called
    on request (``mcfkg extract --link``): it asks ``client`` (a Wikidata-shaped SPARQL endpoint, such as
    the local stand-in ``mcfkg serve --data tests/data/wikidata-extract.ttl``) and ``geonames``. Raises
    :class:`mcfkg.link.endpoint.EndpointError` when either cannot be used."""
    from rdflib import Literal

    from mcfkg.link.candidates import propose, propose_places
    from mcfkg.link.local import Entity

    done: dict[URIRef, tuple[URIRef, ...]] = {}
    result = []
    for mention in mentions:
        wikidata = mention.type in LINKABLE
        place = geonames is not None and gazetteer.class_is_a(mention.type, SCHEMA_PLACE)
        if mention.known or not (wikidata or place):
            result.append(mention)
            continue
        if mention.iri not in done:
            local = str(mention.type).rsplit("/", 1)[-1]
            classes = [local] + (["Enterprise"] if local == "EnterpriseGroup" else [])
            entity = Entity(mention.iri, [Literal(mention.label, lang="en")], classes, place=place)
            found = propose(client, entity, {}, limit) if wikidata else []
            if place and geonames is not None:
                found += propose_places(geonames, entity, [], limit)
            done[mention.iri] = tuple(URIRef(c.target) for c in found if not c.doubts)
        result.append(replace(mention, links=done[mention.iri]))
    return result
