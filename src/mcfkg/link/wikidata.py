"""What the linker knows about Wikidata's RDF model, and the queries it sends.

Wikidata's RDF (and any mirror or extract in its shape) gives an item ``rdfs:label`` /
``schema:name`` / ``skos:altLabel`` per language, ``wdt:P31`` (instance of), ``wdt:P279``
(subclass of), ``wdt:P131`` (located in) and ``wdt:P17`` (country); a redirected or merged
item is just ``owl:sameAs`` its target. Queries use only those triples, so they run on
query.wikidata.org and on a plain SPARQL server loaded with an extract.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal

from mcfkg.link.endpoint import SparqlClient

WD = "http://www.wikidata.org/entity/"
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
# Wikidata tags Chinese labels as zh and as its script/region variants.
LANGUAGE_VARIANTS = {"en": ("en",), "zh": ("zh", "zh-hans", "zh-cn", "zh-hant")}

# Our class (local name in the mcf: namespace) -> Wikidata classes an instance must reach
# through wdt:P31/wdt:P279*. Each QID was checked against public Wikidata-based code
# (2026-11-26): Q515 city, Q748149 prefecture-level city of China, Q1615742 province of
# China, Q6256 country, Q3624078 sovereign state, Q327333 government agency, Q4830453
# business, Q43229 organization, Q31855 research institute, Q7278 political party,
# Q15056995 aircraft model, Q15056993 aircraft family, Q618779 award.
TYPE_RULES: dict[str, tuple[str, ...]] = {
    "City": ("Q515", "Q748149"),
    "Province": ("Q1615742",),
    "Country": ("Q6256", "Q3624078"),
    "GovernmentAgency": ("Q327333", "Q43229"),
    "Enterprise": ("Q4830453", "Q43229"),
    "ResearchInstitute": ("Q31855", "Q43229"),
    "PoliticalParty": ("Q7278",),
    "Aircraft": ("Q15056995", "Q15056993"),
    "Award": ("Q618779",),
    # Linkable, but no Wikidata class verified for them yet: candidates are searched without a
    # type constraint, score lower, and a person checks the type by hand.
    "PartyOrgan": (),
    "PartyCongress": (),
    "GuidingIdeology": (),
    "ScienceCity": (),
    "Region": (),
}
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


def qid(iri: str) -> str | None:
    """The QID of a Wikidata entity IRI, or None for any other IRI."""
    return iri[len(WD):] if iri.startswith(WD) and iri[len(WD):].startswith("Q") else None


def allowed_classes(local_classes: Iterable[str]) -> tuple[str, ...]:
    """The Wikidata classes acceptable for an entity with these classes of ours."""
    allowed: list[str] = []
    for name in local_classes:
        allowed.extend(q for q in TYPE_RULES.get(name, ()) if q not in allowed)
    return tuple(allowed)


def linkable(local_classes: Iterable[str]) -> bool:
    """Whether entities of these classes of ours are the kind of thing Wikidata has items for."""
    return any(name in TYPE_RULES for name in local_classes)


def untyped_class(local_classes: Iterable[str]) -> str | None:
    """The linkable class of ours with no Wikidata type constraint, when no class of ours has one."""
    names = [name for name in local_classes if name in TYPE_RULES]
    return names[0] if names and not allowed_classes(names) else None


@dataclass
class Item:
    """What an endpoint says about one item: enough to judge a link or a candidate."""

    qid: str
    exists: bool = False
    labels: list[Literal] = field(default_factory=list)
    instance_of: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)  # every P131/P17 ancestor
    redirect_to: str | None = None
    type_ok: bool | None = None  # None: no type rule to check against


def _literal(text: str, lang: str) -> str:
    return Literal(text, lang=lang).n3()


def search_labels(client: SparqlClient, labels: Iterable[Literal], limit: int = 50) -> dict[str, list[Literal]]:
    """Items whose label, name or alias equals one of ``labels`` (in any variant of its language)."""
    values = []
    for label in labels:
        for lang in LANGUAGE_VARIANTS.get(label.language or "en", (label.language or "en",)):
            values.append(_literal(str(label), lang))
    if not values:
        return {}
    query = PREFIXES + f"""SELECT DISTINCT ?item ?label WHERE {{
  VALUES ?label {{ {' '.join(sorted(set(values)))} }}
  ?item rdfs:label|schema:name|skos:altLabel ?label .
  FILTER(STRSTARTS(STR(?item), STR(wd:Q)))
}} LIMIT {int(limit)}"""
    found: dict[str, list[Literal]] = {}
    for row in client.select(query):
        item, name = qid(str(row["item"])), row["label"]
        if item and isinstance(name, Literal):
            found.setdefault(item, []).append(name)
    return found


def fetch_items(client: SparqlClient, qids: Iterable[str], classes: tuple[str, ...] = ()) -> dict[str, Item]:
    """Labels, types, places and redirect of each item; with ``classes``, whether its type reaches one."""
    items = {q: Item(q) for q in dict.fromkeys(qids)}
    if not items:
        return items
    values = " ".join(f"wd:{q}" for q in items)
    langs = ", ".join(f'"{lang}"' for variants in LANGUAGE_VARIANTS.values() for lang in variants)
    query = PREFIXES + f"""SELECT ?item ?label ?type ?place ?redirect WHERE {{
  VALUES ?item {{ {values} }}
  {{ ?item rdfs:label|schema:name|skos:altLabel ?label FILTER(LANG(?label) IN ({langs})) }}
  UNION {{ ?item wdt:P31 ?type }}
  UNION {{ ?item (wdt:P131|wdt:P17)+ ?place }}
  UNION {{ ?item owl:sameAs ?redirect FILTER(STRSTARTS(STR(?redirect), STR(wd:Q))) }}
}}"""
    exists = PREFIXES + f"SELECT ?item WHERE {{ VALUES ?item {{ {values} }} FILTER EXISTS {{ ?item ?p ?o }} }}"
    for row in client.select(exists):
        if (item := items.get(qid(str(row["item"])) or "")) is not None:
            item.exists = True
    for row in client.select(query):
        item = items.get(qid(str(row["item"])) or "")
        if item is None:
            continue
        if "label" in row and isinstance(row["label"], Literal):
            item.labels.append(row["label"])
        if "type" in row:
            item.instance_of.add(qid(str(row["type"])) or str(row["type"]))
        if "place" in row:
            item.places.add(qid(str(row["place"])) or str(row["place"]))
        if "redirect" in row:
            item.redirect_to = qid(str(row["redirect"]))
    if classes:
        reached = _items_reaching(client, list(items), classes)
        for item in items.values():
            item.type_ok = item.qid in reached
    return items


def _items_reaching(client: SparqlClient, qids: list[str], classes: tuple[str, ...]) -> set[str]:
    query = PREFIXES + f"""SELECT DISTINCT ?item WHERE {{
  VALUES ?item {{ {' '.join(f'wd:{q}' for q in qids)} }}
  VALUES ?class {{ {' '.join(f'wd:{c}' for c in classes)} }}
  ?item wdt:P31/wdt:P279* ?class .
}}"""
    return {qid(str(row["item"])) or "" for row in client.select(query)}
