"""Query results as an HTML table: what the query UI's plain form (no JavaScript) asks for with
``format=html``, so a reader without scripts gets a page, not a CSV download.

Only an explicit ``format=html`` gets this page. Content negotiation never picks it: a browser
that opens ``/sparql?query=…`` keeps getting SPARQL results, as from Fuseki or WDQS.
"""

from __future__ import annotations

import io

from fastapi import Request
from fastapi.responses import HTMLResponse
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool

from mcfkg.sparql.negotiation import GRAPH, HTML, SOLUTIONS, ResultFormats
from mcfkg.store import QueryDataset
from mcfkg.web.describe import label_query
from mcfkg.web.entity_view import Presenter
from mcfkg.web.templating import render, store_of, vocab_of

SHOWN_ROWS = 1000  # a longer answer is better read as CSV; the page links to it
_JSON = "application/sparql-results+json"
_FORMATS = ResultFormats(solutions=_JSON, boolean=_JSON, graph="application/n-triples")


def wants_html(formats: tuple[str, ...]) -> bool:
    """Whether the request's ``format=`` values ask for this page."""
    return any(value.strip().lower() in ("html", HTML) for value in formats)


def _table(kind: str, body: bytes) -> tuple[list[str], list[list[Node | None]]]:
    """Column names and rows of a JSON results document or an N-Triples graph."""
    if kind == GRAPH:
        graph = Graph().parse(data=body, format="nt")
        return ["subject", "predicate", "object"], [list(t) for t in sorted(graph)]
    result = Result.parse(io.BytesIO(body), format="json")
    if kind != SOLUTIONS:
        return ["answer"], [[Literal(bool(result.askAnswer))]]
    variables = result.vars or []
    return [str(v) for v in variables], [[row.get(v) for v in variables] for row in result.bindings]


async def results_page(request: Request, text: str, dataset: QueryDataset) -> HTMLResponse:
    """Run ``text`` and show its answer as a table, IRIs named by their labels and linked to their pages."""
    store, vocab = store_of(request), vocab_of(request)
    outcome = await store.aquery(text, _FORMATS, dataset)
    columns, rows = _table(outcome.kind, outcome.body)
    shown = rows[:SHOWN_ROWS]
    iris = sorted({term for row in shown for term in row if isinstance(term, URIRef)})
    labels: dict[URIRef, list[Literal]] = {}
    if iris:
        for row in (await run_in_threadpool(store.select, label_query(iris, vocab))).rows:
            if isinstance(iri := row["x"], URIRef) and isinstance(label := row["label"], Literal):
                labels.setdefault(iri, []).append(label)
    presenter = Presenter(vocab, labels)
    cells = [[presenter.value(term) if term is not None else None for term in row] for row in shown]
    request.state.outcome = f"ok {outcome.kind} html {len(rows)} rows"
    return render(request, "results.html", columns=columns, rows=cells, total=len(rows), query=text)
