"""The dataset page (``/dataset``): statistics, named graphs, and every dump for download.

Statistics are counted by SPARQL on the store being served, so they describe exactly what
the endpoint answers (after any update), not what a build once wrote; each links to the
query that counted it. The dataset's RDF description is the build's ``void.ttl``. Dumps
are served from ``dist/`` at ``/download/<file>`` and at ``/dist/<file>`` (the IRIs VoID
gives them), by name from a fixed list, never by a path the client chooses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, PlainTextResponse
from rdflib import Graph, Literal, URIRef

from mcfkg.export import FORMATS, dump_file, serialise_graph
from mcfkg.sparql.negotiation import GRAPH, HTML, NotAcceptable, negotiate
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.errors import not_acceptable
from mcfkg.web.describe import label_query
from mcfkg.web.entity_view import Link, Presenter, format_number
from mcfkg.web.prefixes import sparql_prologue
from mcfkg.web.rdf_body import SERIALIZERS
from mcfkg.web.templating import render, settings_of, store_of, vocab_of

DOWNLOADS: dict[str, str] = {
    **{dump_file(spec): spec.media_type for spec in FORMATS.values()},
    "void.ttl": "text/turtle",
    "context.jsonld": "application/ld+json",
}
SOURCES_STAT = "source documents"
STATISTICS: dict[str, str] = {
    "triples (asserted and inferred)": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), STR(mcfid:))) }",
    "distinct subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "distinct objects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "classes in use": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }",
    # Listed with their metadata and counts on /sources (mcfkg.web.sources).
    SOURCES_STAT: "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a mcf:SourceDocument } }",
}
GRAPHS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CLASSES_QUERY = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY DESC(?n) ?c"

router = APIRouter()


@dataclass
class Stat:
    """One total on the dataset page, with the query that counted it (linked, so it can be checked)."""

    name: str
    value: str
    query: str


def statistics(store: Store, vocab: Vocab) -> tuple[list[Stat], list[tuple[Link, str]], list[tuple[Link, str]]]:
    """(totals, named graphs with sizes, classes with instance counts), each counted by a query."""
    prologue = sparql_prologue(vocab, ("mcf", "mcfid"))
    totals = []
    for name, query in STATISTICS.items():
        rows = store.select(prologue + query).rows
        totals.append(Stat(name, format_number(rows[0]["n"]) if rows else "0", prologue + query))
    # Only IRIs are linked and labelled: a blank-node graph name or class has no page (nor a SPARQL IRI).
    graph_counts = [(g, r["n"]) for r in store.select(GRAPHS_QUERY).rows if isinstance(g := r["g"], URIRef)]
    graph_counts.sort(key=lambda pair: natural_key(pair[0]))  # p2/s2 before p2/s10
    class_counts = [(c, r["n"]) for r in store.select(CLASSES_QUERY).rows if isinstance(c := r["c"], URIRef)]
    names = [iri for iri, _ in graph_counts + class_counts]
    labels: dict[URIRef, list[Literal]] = {}
    for row in store.select(label_query(names, vocab)).rows if names else []:
        if isinstance(iri := row["x"], URIRef) and isinstance(label := row["label"], Literal):
            labels.setdefault(iri, []).append(label)
    presenter = Presenter(vocab, labels)
    graphs = [(presenter.link(g), format_number(n)) for g, n in graph_counts]
    classes = [(presenter.link(c), format_number(n)) for c, n in class_counts]
    return totals, graphs, classes


def natural_key(text: str) -> list[int | str]:
    """Sorts numbers in names by value: ``p2/s2`` before ``p2/s10``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def downloads(dist_dir: Path) -> list[tuple[str, str, str]]:
    """(file name, media type, size) of every dump present in ``dist_dir``."""
    present = [(n, m, dist_dir / n) for n, m in DOWNLOADS.items() if (dist_dir / n).is_file()]
    return [(n, m, format_number(p.stat().st_size) + " bytes") for n, m, p in present]


@router.get("/dataset", summary="Dataset statistics (VoID), named graphs and downloads")
def dataset_page(request: Request) -> Response:
    settings, vocab = settings_of(request), vocab_of(request)
    try:
        media_type = negotiate(
            request.headers.get("accept"), request.query_params.get("format"), GRAPH, (HTML, *SERIALIZERS)
        )
    except NotAcceptable as exc:
        raise not_acceptable(str(exc)) from exc
    headers = {"Vary": "Accept"}
    if media_type != HTML:
        void_file = settings.dist_dir / "void.ttl"
        if not void_file.is_file():
            return PlainTextResponse(
                "No VoID description yet: run `mcfkg build` to write dist/void.ttl.", status_code=404
            )
        void = Graph().parse(void_file, format="turtle")
        return Response(serialise_graph(void, SERIALIZERS[media_type]), media_type=media_type, headers=headers)
    totals, graphs, classes = statistics(store_of(request), vocab)
    response = render(
        request,
        "dataset.html",
        totals=totals,
        graphs=graphs,
        classes=classes,
        downloads=downloads(settings.dist_dir),
        dataset_iri=vocab.base + "dataset",
        sources=next((s.value for s in totals if s.name == SOURCES_STAT), "0"),
    )
    response.headers.update(headers)
    return response


def _dump(request: Request, name: str) -> Response:
    if name not in DOWNLOADS:
        return PlainTextResponse(f"No dump named {name!r}; available: {', '.join(DOWNLOADS)}.", status_code=404)
    path = settings_of(request).dist_dir / name
    if not path.is_file():
        return PlainTextResponse(f"{name} has not been built yet: run `mcfkg build`.", status_code=404)
    response = FileResponse(path, media_type=DOWNLOADS[name], filename=name, stat_result=path.stat())
    etag = response.headers["etag"]
    wanted = {tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")}
    if etag in wanted or "*" in wanted:
        return Response(status_code=304, headers={"ETag": etag})  # the client's copy is current
    return response


@router.get("/download/{name}", summary="A dump of the whole dataset in one format")
def download(request: Request, name: str) -> Response:
    return _dump(request, name)


@router.get("/dist/{name}", summary="A dump, at the IRI the VoID description gives it")
def dist_file(request: Request, name: str) -> Response:
    return _dump(request, name)
