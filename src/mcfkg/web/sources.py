"""The sources page (``GET /sources``): every source document the server serves, with its counts.

The same list as ``mcfkg sources`` (:mod:`mcfkg.sources.catalogue`: its metadata query, its
columns and its rule for how a publication date was established), but counted by SPARQL on the
store being served, so it shows what the endpoint answers (after any ingest or update), not what
a build once wrote. HTML for people (titles link to each source's own page), JSON and CSV for
tools: by ``Accept`` or ``format=html|json|csv``.

A source's fact graphs are the ``mcf:FactGraph``\\ s derived from a passage that is part of it; its
facts are the triples in them (counted per graph, as ``mcfkg sources`` does), its entities the
distinct subjects under the entity namespace.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict
from pathlib import Path

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from rdflib.term import Node

from mcfkg.sources.catalogue import COLUMNS, SourceRow, date_method, metadata_query
from mcfkg.sparql.negotiation import HTML, SOLUTIONS, NotAcceptable, negotiate
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.errors import not_acceptable
from mcfkg.web.prefixes import sparql_prologue
from mcfkg.web.templating import render, settings_of, store_of, vocab_of

JSON = "application/json"
CSV = "text/csv"
OFFERS = (HTML, JSON, CSV)
FORMAT_NAMES = {"html": HTML, "json": JSON, "csv": CSV, HTML: HTML, JSON: JSON, CSV: CSV}
# The questions across sources, offered on the page as queries to open in the editor.
QUESTIONS = ("51-facts-with-several-sources.rq", "52-sources-disagree.rq", "53-what-each-source-added.rq")

router = APIRouter()


def counts_query(vocab: Vocab) -> str:
    """Per source document: its fact graphs, the triples in them (summed over the graphs) and the
    distinct entities (subjects under ``mcfid:``) they describe."""
    return sparql_prologue(vocab, ("mcf", "mcfid", "prov", "dcterms")) + (
        "SELECT ?doc (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(?s) AS ?facts) (COUNT(DISTINCT ?entity) AS ?entities) WHERE {\n"
        "  { SELECT DISTINCT ?doc ?g WHERE { ?g a mcf:FactGraph ; prov:wasDerivedFrom/dcterms:isPartOf ?doc } }\n"
        "  OPTIONAL {\n    GRAPH ?g { ?s ?p ?o }\n"
        "    BIND (IF(isIRI(?s) && STRSTARTS(STR(?s), STR(mcfid:)), ?s, ?unbound) AS ?entity)\n  }\n"
        "} GROUP BY ?doc\n"
    )


def _text(term: Node | None) -> str:
    """A result cell as plain text: a literal's lexical form, an IRI's string, empty when unbound."""
    return "" if term is None else str(term)


def _count(term: Node | None) -> int:
    try:
        return int(str(term)) if term is not None else 0
    except ValueError:
        return 0


def method_labels(store: Store, vocab: Vocab, iris: set[str]) -> dict[str, str]:
    """English labels of date-method concepts, wherever they are (the ontology's graph, which the
    default graph the metadata query reads leaves out, holds the methods of ``mcf:``)."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    query = sparql_prologue(vocab, ("rdfs",)) + (
        f"SELECT ?m (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?m {{ {values} }} GRAPH ?g {{ ?m rdfs:label ?l }} "
        'FILTER (LANGMATCHES(LANG(?l), "en")) } GROUP BY ?m'
    )
    return {_text(r.get("m")): _text(r.get("label")) for r in store.select(query).rows}


def list_sources(store: Store, vocab: Vocab) -> list[SourceRow]:
    """Every ``mcf:SourceDocument`` the store holds, in IRI order, as ``mcfkg sources`` lists them."""
    counts = {_text(r.get("doc")): r for r in store.select(counts_query(vocab)).rows}
    metadata = [
        {"doc": _text(row.get("doc")), **{name: _text(row.get(name)) for name in (
            "title", "publisher", "language", "url", "date", "dateStated", "retrieved", "method")}}
        for row in store.select(metadata_query(vocab)).rows
    ]
    # A method without a label in the default graph comes back as its IRI: name it as the ontology does.
    labels = method_labels(store, vocab, {m["method"] for m in metadata if m["method"].startswith(str(vocab.MCF))})
    rows = []
    for values in metadata:
        counted = counts.get(values["doc"], {})
        method = labels.get(values["method"], values["method"])
        rows.append(SourceRow(
            iri=values["doc"], title=values["title"], publisher=values["publisher"], language=values["language"],
            url=values["url"], published=values["date"],
            date_method=date_method(values["date"], values["dateStated"], method),
            retrieved=values["retrieved"], fact_graphs=_count(counted.get("graphs")), facts=_count(counted.get("facts")),
            entities=_count(counted.get("entities")),
        ))
    return rows


def as_csv(rows: list[SourceRow]) -> str:
    """The rows under the columns of ``mcfkg sources`` (RFC 4180: CRLF line ends, quotes where needed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue()


def questions(queries_dir: Path) -> list[tuple[str, str]]:
    """(title, query text) of the questions across sources that the queries folder holds."""
    found = []
    for name in QUESTIONS:
        path = queries_dir / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            title = re.search(r"^# title: (.*)$", text, flags=re.MULTILINE)
            found.append((title.group(1) if title else name, text))
    return found


@router.get("/sources", summary="Every source document, with its metadata and counts (HTML, JSON or CSV)")
def sources_page(
    request: Request,
    format: str | None = Query(None, description="html, json or csv; otherwise the Accept header decides"),
) -> Response:
    try:
        if format:
            if format.strip().lower() not in FORMAT_NAMES:
                raise NotAcceptable(f"format={format!r} cannot express the list of sources; use one of html, json, csv")
            media_type = FORMAT_NAMES[format.strip().lower()]
        else:
            media_type = negotiate(request.headers.get("accept"), None, SOLUTIONS, OFFERS)
    except NotAcceptable as exc:
        raise not_acceptable(str(exc)) from exc
    vocab = vocab_of(request)
    rows = list_sources(store_of(request), vocab)
    headers = {"Vary": "Accept"}
    if media_type == JSON:
        return JSONResponse({"total": len(rows), "sources": [asdict(row) for row in rows]}, headers=headers)
    if media_type == CSV:
        return Response(as_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)
    shown = [(row, vocab.local_path(row.iri) or row.iri) for row in rows]
    response = render(request, "sources.html", sources=shown, questions=questions(settings_of(request).queries_dir))
    response.headers.update(headers)
    return response
