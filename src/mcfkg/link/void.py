"""VoID linksets describing our links, counted from the links themselves so they never drift.

``export.void_description`` adds these to ``void.ttl``: one ``void:Linkset`` per target dataset and link
predicate, with ``void:triples`` the number of such links.
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, VOID, XSD, Graph, Literal, URIRef

from mcfkg.link.local import LINK_PROPERTIES, target_dataset
from mcfkg.vocab import Vocab

# The dataset IRIs the linksets point at, as their publishers name them in their own VoID.
TARGET_DATASETS = {
    "wikidata": URIRef("http://www.wikidata.org/"),
    "geonames": URIRef("https://sws.geonames.org/"),
    "dbpedia": URIRef("http://dbpedia.org/"),
}


def linksets(links: Graph, dataset: URIRef, vocab: Vocab) -> Graph:
    """A ``void:Linkset`` per (target, predicate) found in ``links``; ``dataset`` is ours."""
    counts: Counter[tuple[str, URIRef]] = Counter()
    for predicate in LINK_PROPERTIES:
        for subject, target in links.subject_objects(predicate):
            name = target_dataset(str(target))
            if name and str(subject).startswith(str(vocab.ID)):
                counts[(name, predicate)] += 1
    out = Graph()
    out.bind("void", VOID)
    for (name, predicate), count in sorted(counts.items()):
        local = predicate.rsplit("#", 1)[-1]
        linkset = URIRef(f"{str(dataset).rstrip('/')}/linkset/{name}-{local}")
        out.add((linkset, RDF.type, VOID.Linkset))
        out.add((linkset, VOID.subjectsTarget, dataset))
        out.add((linkset, VOID.objectsTarget, TARGET_DATASETS[name]))
        out.add((linkset, VOID.linkPredicate, predicate))
        out.add((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
        out.add((dataset, VOID.subset, linkset))
    return out
