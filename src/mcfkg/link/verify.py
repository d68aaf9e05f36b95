"""Check the links we publish against the datasets they point into.

A wrong ``owl:sameAs`` silently merges two things for every reasoner downstream, so each
Wikidata link is checked for: the item exists, it is not a redirect or merged item
(``owl:sameAs`` to another item in Wikidata's RDF), one of its labels resembles ours, and,
for identity links, its type fits our class. GeoNames and DBpedia links are checked for
existence and label when an endpoint for them is given, and reported as not checked
otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDFS, SKOS, Literal, URIRef

from mcfkg.link.endpoint import SparqlClient
from mcfkg.link.local import Entity, Link
from mcfkg.link.match import best_match
from mcfkg.link.wikidata import allowed_classes, fetch_items, qid, untyped_class

LABEL_THRESHOLD = 80.0
# Links that claim the same thing: their target's type must fit our class.
IDENTITY_LINKS = (OWL.sameAs, SKOS.exactMatch)
GN_NAME = URIRef("http://www.geonames.org/ontology#name")
GN_ALTERNATE = URIRef("http://www.geonames.org/ontology#alternateName")
DBO_REDIRECT = URIRef("http://dbpedia.org/ontology/wikiPageRedirects")


@dataclass(frozen=True)
class Finding:
    """The outcome of one check of one link, as a row of the verification table."""

    link: Link
    status: str  # ok | problem | note | not checked
    check: str
    detail: str


def verify(entities: dict[URIRef, Entity], wikidata: SparqlClient | None,
           others: dict[str, SparqlClient] | None = None) -> list[Finding]:
    """One finding per check per link; ``others`` maps geonames/dbpedia to their endpoints."""
    others = others or {}
    links = [link for e in entities.values() for link in e.links]
    findings: list[Finding] = []
    for dataset in ("wikidata", "geonames", "dbpedia"):
        subset = [link for link in links if link.dataset == dataset]
        client = wikidata if dataset == "wikidata" else others.get(dataset)
        if not subset:
            continue
        if client is None:
            findings += [Finding(link, "not checked", "endpoint", f"no {dataset} endpoint given") for link in subset]
        elif dataset == "wikidata":
            findings += _verify_wikidata(client, entities, subset)
        else:
            findings += _verify_by_labels(client, entities, subset, dataset)
    return findings


def _verify_wikidata(client: SparqlClient, entities: dict[URIRef, Entity], links: list[Link]) -> list[Finding]:
    findings: list[Finding] = []
    for link in links:
        entity = entities[link.subject]
        q = qid(str(link.target))
        if q is None:
            findings.append(Finding(link, "problem", "target", "not a Wikidata item IRI (wd:Q…)"))
            continue
        strict = link.predicate in IDENTITY_LINKS
        classes = allowed_classes(entity.classes) if strict else ()
        item = fetch_items(client, [q], classes)[q]
        if not item.exists:
            findings.append(Finding(link, "problem", "exists", f"{q} not found at the endpoint (deleted or mistyped?)"))
            continue
        if item.redirect_to:
            findings.append(Finding(link, "problem", "redirect", f"{q} is a redirect/merged item: use {item.redirect_to}"))
            continue
        findings.append(_label_finding(link, entity, item.labels))
        if strict and classes:
            if item.type_ok:
                findings.append(Finding(link, "ok", "type", f"P31 {'/'.join(sorted(item.instance_of))} fits {'/'.join(entity.classes)}"))
            else:
                findings.append(Finding(
                    link, "problem", "type",
                    f"P31 {'/'.join(sorted(item.instance_of)) or 'none'} reaches none of {', '.join(classes)} "
                    f"expected for {'/'.join(entity.classes)}",
                ))
        elif strict and (untyped := untyped_class(entity.classes)):
            findings.append(Finding(link, "note", "type", f"not checked: no type constraint known for class {untyped}"))
    return findings


def _verify_by_labels(client: SparqlClient, entities: dict[URIRef, Entity], links: list[Link],
                      dataset: str) -> list[Finding]:
    findings: list[Finding] = []
    for link in links:
        rows = client.select(f"""SELECT ?label ?redirect WHERE {{
  {{ <{link.target}> <{RDFS.label}>|<{GN_NAME}>|<{GN_ALTERNATE}> ?label }}
  UNION {{ <{link.target}> <{DBO_REDIRECT}> ?redirect }}
}}""")
        if not rows:
            findings.append(Finding(link, "problem", "exists", f"{link.target} not found at the {dataset} endpoint"))
            continue
        redirect = next((row["redirect"] for row in rows if "redirect" in row), None)
        if redirect is not None:
            findings.append(Finding(link, "problem", "redirect", f"redirects to {redirect}"))
            continue
        labels = [label for row in rows if isinstance(label := row.get("label"), Literal)]
        findings.append(_label_finding(link, entities[link.subject], labels))
    return findings


def _label_finding(link: Link, entity: Entity, labels: list[Literal]) -> Finding:
    match = best_match(entity.labels, labels)
    if match is None:
        return Finding(link, "problem", "label", "no label in a language we have (en, zh)")
    detail = f"{match.score:g}: '{match.ours}' ~ '{match.theirs}'@{match.language}"
    if match.score >= LABEL_THRESHOLD:
        return Finding(link, "ok", "label", detail)
    # A close match may be named differently (a designation vs the city); only identity must agree.
    return Finding(link, "problem" if link.predicate in IDENTITY_LINKS else "note", "label", detail)
