"""The sources of the built graph: what ``mcfkg sources`` lists.

Read from ``dist/mcfkg.nq`` (rebuilt first when stale), not from the files, so the list is what
the server serves: a source appears once the build has validated it. A publication date is
reported with how it was established: the English label of the source's ``mcf:dateEstablishedBy``
method ("derived from the URL path", "stated in the document", ...), read from the ontology's
concepts. Nothing is inferred here (a date no method gives is never guessed, and the shapes refuse
a date without its method).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions, RdfFormat, Store

from mcfkg.config import Settings
from mcfkg.dist import dump_path, ensure_build
from mcfkg.vocab import Vocab

COLUMNS = (
    "source", "title", "publisher", "language", "url", "published", "date established",
    "retrieved", "fact graphs", "facts", "entities",
)


@dataclass(frozen=True)
class SourceRow:
    """One source with its metadata (empty when not recorded) and counts over its fact graphs."""

    iri: str
    title: str
    publisher: str
    language: str
    url: str
    published: str
    date_method: str
    retrieved: str
    fact_graphs: int
    facts: int
    entities: int

    def cells(self) -> tuple[str, ...]:
        return (self.iri, self.title, self.publisher, self.language, self.url, self.published, self.date_method,
                self.retrieved, str(self.fact_graphs), str(self.facts), str(self.entities))


_QUERY = """
PREFIX mcf: <{mcf}> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
PREFIX pav: <http://purl.org/pav/>
SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?pubLabel) AS ?publisher) (SAMPLE(?lang) AS ?language)
       (SAMPLE(?u) AS ?url) (SAMPLE(?d) AS ?date) (SAMPLE(?stated) AS ?dateStated) (SAMPLE(?r) AS ?retrieved)
       (SAMPLE(?how) AS ?method)
WHERE {{
  ?doc a mcf:SourceDocument .
  OPTIONAL {{ ?doc dcterms:title ?t }}
  OPTIONAL {{ ?doc dcterms:publisher ?pub . OPTIONAL {{ ?pub rdfs:label ?pl FILTER (LANGMATCHES(LANG(?pl), "en")) }}
             BIND (COALESCE(?pl, STR(?pub)) AS ?pubLabel) }}
  OPTIONAL {{ ?doc dcterms:language ?lang }}
  OPTIONAL {{ ?doc schema:url ?u }}
  OPTIONAL {{ {{ ?doc dcterms:issued ?d }} UNION {{ ?doc dcterms:date ?d }} }}
  OPTIONAL {{ ?doc mcf:dateStated ?stated }}
  OPTIONAL {{ ?doc mcf:dateEstablishedBy ?m . OPTIONAL {{ ?m rdfs:label ?ml FILTER (LANGMATCHES(LANG(?ml), "en")) }}
             BIND (COALESCE(?ml, STR(?m)) AS ?how) }}
  OPTIONAL {{ ?doc pav:retrievedOn ?r }}
}} GROUP BY ?doc ORDER BY ?doc
"""

_FACT_GRAPHS = """
PREFIX mcf: <{mcf}> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?doc ?g WHERE {{ ?g a mcf:FactGraph ; prov:wasDerivedFrom/dcterms:isPartOf ?doc }}
"""


def date_method(date: str, stated: str, method: str = "") -> str:
    """How a publication date was established, from the source's own record: never a guess.

    ``method`` is the English label of the source's ``mcf:dateEstablishedBy`` concept (its IRI when
    it has none), such as "derived from the URL path"; ``stated`` is its ``mcf:dateStated``.
    """
    if not date:
        return "unknown (not stated)" if stated == "false" else "unknown"
    return method or "recorded, method not stated"


def list_sources(settings: Settings, announce: Callable[[str], None]) -> list[SourceRow]:
    """Every ``mcf:SourceDocument`` of the build, in IRI order, with its fact, triple and entity counts."""
    ensure_build(settings, announce)
    vocab = Vocab(settings.base_iri)
    store = Store()
    store.bulk_load(path=str(dump_path(settings)), format=RdfFormat.N_QUADS)
    graphs: dict[str, set[NamedNode]] = {}
    for row in _select(store, _FACT_GRAPHS.format(mcf=vocab.MCF)):
        graphs.setdefault(row["doc"].value, set()).add(row["g"])
    rows = []
    for row in _select(store, _QUERY.format(mcf=vocab.MCF)):
        iri = row["doc"].value
        facts, entities = 0, set()
        for graph in graphs.get(iri, ()):
            for quad in store.quads_for_pattern(None, None, None, graph):
                facts += 1
                if isinstance(quad.subject, NamedNode) and quad.subject.value.startswith(str(vocab.ID)):
                    entities.add(quad.subject.value)
        values = {name: _text(row[name]) for name in ("title", "publisher", "language", "url", "date",
                                                     "dateStated", "retrieved", "method")}
        rows.append(SourceRow(
            iri=iri, title=values["title"], publisher=values["publisher"], language=values["language"],
            url=values["url"], published=values["date"],
            date_method=date_method(values["date"], values["dateStated"], values["method"]),
            retrieved=values["retrieved"], fact_graphs=len(graphs.get(iri, ())), facts=facts, entities=len(entities),
        ))
    return rows


def _select(store: Store, query: str) -> QuerySolutions:
    """The solutions of a SELECT over the union of every graph (the catalogue's queries are all SELECTs)."""
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    return solutions


def _text(term: object) -> str:
    """A result cell as plain text: a literal's lexical form, an IRI's string, empty when unbound."""
    if term is None:
        return ""
    return term.value if isinstance(term, (Literal, NamedNode)) else str(term)


def metadata_query(vocab: Vocab) -> str:
    """The SELECT of every source document's metadata, one row each in IRI order (``?doc ?title ?publisher
    ?language ?url ?date ?dateStated ?retrieved ?method``, the last the label of its date method): shared with the server's ``/sources`` page, which runs
    it on the store it serves."""
    return _QUERY.format(mcf=vocab.MCF)
