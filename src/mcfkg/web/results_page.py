"""Query results as an HTML table: what the query UI's plain form (no JavaScript) asks for with
``format=html``, so a reader without scripts gets a page, not a CSV download.

Only an explicit ``format=html`` gets this page. Content negotiation never picks it: a browser
that opens ``/sparql?query=…`` keeps getting SPARQL results, as from Fuseki or WDQS.

Only the answer's first ``Settings.html_max_rows`` rows leave the query process (``Store.atable``),
and the page is labelled and rendered in a worker thread: a long answer neither holds up other
requests nor fills the web process. A cut answer says so and links to all of it as CSV and JSON.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool

from mcfkg.sparql.negotiation import HTML
from mcfkg.sparql.table import Cell, Table
from mcfkg.store import QueryDataset, Store
from mcfkg.vocab import Vocab
from mcfkg.web.describe import label_query
from mcfkg.web.entity_view import Presenter
from mcfkg.web.templating import render, settings_of, store_of, vocab_of


def wants_html(formats: tuple[str, ...]) -> bool:
    """Whether the request's ``format=`` values ask for this page."""
    return any(value.strip().lower() in ("html", HTML) for value in formats)


def _term(cell: Cell) -> Node | None:
    """A table cell as the rdflib term the page's presenter shows."""
    if cell is None:
        return None
    kind, value, *literal = cell
    if kind == "iri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype, language = literal
    return Literal(value, lang=language or None, datatype=URIRef(datatype) if datatype else None)


def _labels(store: Store, vocab: Vocab, rows: list[list[Node | None]]) -> dict[URIRef, list[Literal]]:
    """The labels of every IRI in ``rows``, in one query."""
    iris = sorted({term for row in rows for term in row if isinstance(term, URIRef)})
    labels: dict[URIRef, list[Literal]] = {}
    if iris:
        for row in store.select(label_query(iris, vocab)).rows:
            if isinstance(iri := row["x"], URIRef) and isinstance(label := row["label"], Literal):
                labels.setdefault(iri, []).append(label)
    return labels


def _page(request: Request, text: str, table: Table) -> HTMLResponse:
    """The table with IRIs named by their labels and linked to their pages (blocking: run in a thread)."""
    store, vocab = store_of(request), vocab_of(request)
    rows = [[_term(cell) for cell in row] for row in table.rows]
    presenter = Presenter(vocab, _labels(store, vocab, rows))
    cells = [[presenter.value(term) if term is not None else None for term in row] for row in rows]
    return render(request, "results.html", columns=list(table.columns), rows=cells, cut=table.cut, query=text,
                  max_result_rows=settings_of(request).max_result_rows)


async def results_page(request: Request, text: str, dataset: QueryDataset) -> HTMLResponse:
    """Run ``text`` and show the first rows of its answer as a table."""
    table = await store_of(request).atable(text, dataset, settings_of(request).html_max_rows)
    request.state.outcome = f"ok {table.kind} html {len(table.rows)} rows{' (cut)' if table.cut else ''}"
    return await run_in_threadpool(_page, request, text, table)
