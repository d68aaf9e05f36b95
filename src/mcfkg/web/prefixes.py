"""The prefixes people see: in Turtle we serve, in CURIEs on pages and preloaded in the query UI."""

from __future__ import annotations

from collections.abc import Mapping

from mcfkg.vocab import Vocab

_STANDARD: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
    "gn": "https://sws.geonames.org/",
    "dbr": "http://dbpedia.org/resource/",
}


def prefixes(vocab: Vocab) -> dict[str, str]:
    """Our three namespaces (from the configured base) followed by the standard ones."""
    return {"mcf": str(vocab.MCF), "mcfid": str(vocab.ID), "mcfg": str(vocab.GRAPH), **_STANDARD}


def sparql_prologue(vocab: Vocab, names: tuple[str, ...] | None = None) -> str:
    """PREFIX lines for a query, for all prefixes or only ``names``."""
    table = prefixes(vocab)
    return "".join(f"PREFIX {p}: <{table[p]}>\n" for p in (names or tuple(table)))


def curie(iri: str, vocab: Vocab | None = None, table: Mapping[str, str] | None = None) -> str:
    """``prefix:local`` when a prefix fits and the local part is simple, else the IRI itself.

    The prefixes are ``table`` (prefix -> namespace) when given, else those of :func:`prefixes`.
    """
    for prefix, ns in (table if table is not None else prefixes(vocab or Vocab())).items():
        local = iri[len(ns) :]
        if iri.startswith(ns) and local and all(c.isalnum() or c in "-_./" for c in local):
            return f"{prefix}:{local}"
    return iri
