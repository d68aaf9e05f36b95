"""Our side of a link: the entities of the graph, their labels, classes, places and links.

Read once from the same source files the build reads (``graph.source_files``), so the
linker judges exactly what will be published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from mcfkg.config import Settings
from mcfkg.graph import load_dataset, source_files, union_graph
from mcfkg.vocab import Vocab

# How the data marks a thing the source mentions without naming it: its labels are descriptions,
# lower-case "the ..." ("the research center (not named in the source)") or saying "not named".
UNNAMED_LABEL = re.compile(r"^the\s|\bnot named\b")
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
LINK_PROPERTIES = (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)
# The property of ours that says where a thing is (mcf:locatedIn), followed transitively.
LOCATION_TERM = "locatedIn"
# An entity of a subclass of one of these (or of mcf:Place, as small ontologies may say) is a place, which
# GeoNames may have.
PLACE_CLASSES = (URIRef("http://schema.org/Place"), URIRef("https://schema.org/Place"))
PLACE_TERM = "Place"
TARGETS = {
    "wikidata": ("http://www.wikidata.org/entity/",),
    "geonames": ("https://sws.geonames.org/", "http://sws.geonames.org/"),
    "dbpedia": ("http://dbpedia.org/resource/", "https://dbpedia.org/resource/"),
}


def target_dataset(iri: str) -> str | None:
    """Which external dataset an IRI belongs to (wikidata, geonames, dbpedia), if any."""
    return next((name for name, prefixes in TARGETS.items() if iri.startswith(prefixes)), None)


@dataclass
class Link:
    """One published link: our entity, the link predicate, the external IRI and its dataset."""

    subject: URIRef
    predicate: URIRef
    target: URIRef
    dataset: str


@dataclass
class Entity:
    """What the linker needs to know about one of our entities."""

    iri: URIRef
    labels: list[Literal] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # local names of our classes, with superclasses
    places: list[URIRef] = field(default_factory=list)  # where it is, transitively
    links: list[Link] = field(default_factory=list)
    place: bool = False  # a subclass of schema:Place (or mcf:Place): GeoNames may have it

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def label(self, language: str = "en") -> str:
        """A label to show a person: the first in ``language``, else any."""
        for lit in self.labels:
            if lit.language == language:
                return str(lit)
        return str(self.labels[0]) if self.labels else self.slug

    @property
    def named(self) -> bool:
        """Whether any label is a proper name; an unnamed thing has nothing to look up elsewhere."""
        return any(not UNNAMED_LABEL.search(str(label)) for label in self.labels)

    def linked(self, dataset: str) -> list[str]:
        """The IRIs of ``dataset`` (wikidata, geonames, dbpedia) this entity is linked to."""
        return [str(link.target) for link in self.links if link.dataset == dataset]


def load_union(settings: Settings, paths: list[Path] | None = None) -> Graph:
    """All triples of the ontology and data files (or ``paths``) as one graph."""
    return union_graph(load_dataset(paths or source_files(settings), settings.base_iri))


def entities(graph: Graph, settings: Settings) -> dict[URIRef, Entity]:
    """Every entity under our ``id/`` namespace with at least one label, keyed by IRI."""
    vocab = Vocab(settings.base_iri)
    id_ns, mcf = str(vocab.ID), str(vocab.MCF)
    located_in = vocab.MCF[LOCATION_TERM]
    places_classes = {*PLACE_CLASSES, vocab.MCF[PLACE_TERM]}
    found: dict[URIRef, Entity] = {}
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef) or not subject.startswith(id_ns):
            continue
        labels = [o for p in LABEL_PROPERTIES for o in graph.objects(subject, p) if isinstance(o, Literal)]
        if not labels:
            continue
        classes: list[str] = []
        is_place = False
        for cls in graph.objects(subject, RDF.type):
            for ancestor in graph.transitive_objects(cls, RDFS.subClassOf):
                is_place = is_place or ancestor in places_classes
                if isinstance(ancestor, URIRef) and ancestor.startswith(mcf):
                    name = ancestor[len(mcf):]
                    if name not in classes:
                        classes.append(name)
        places: list[URIRef] = []
        frontier = [subject]
        while frontier:
            node = frontier.pop()
            for place in graph.objects(node, located_in):
                if isinstance(place, URIRef) and place not in places and place != subject:
                    places.append(place)
                    frontier.append(place)
        links = [
            Link(subject, p, o, dataset)
            for p in LINK_PROPERTIES
            for o in graph.objects(subject, p)
            if isinstance(o, URIRef) and (dataset := target_dataset(str(o)))
        ]
        found[subject] = Entity(subject, labels, classes, places, links, is_place)
    return found
