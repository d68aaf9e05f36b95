"""Run one SPARQL query locally (``mcfkg query``) on the reasoned dataset, safely.

The dataset is built from source in memory each time (load + reason, a few seconds), so the
answer always reflects the files on disk and the configured base IRI; no dist/ is needed.
The default graph is the union of all graphs, as on the server.

rdflib would fetch whatever a query names in ``FROM``/``FROM NAMED`` or ``SERVICE``, and
updates such as ``LOAD`` read URLs: all are refused before evaluation. (The server's policy,
:mod:`mcfkg.sparql.safety`, differs on purpose: Oxigraph never dereferences FROM.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib import Dataset
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result


class QueryRefused(Exception):
    """The query is malformed or asks for something mcfkg does not do (fetching, updating)."""


@dataclass(frozen=True)
class Answer:
    """A query's result and its kind: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""

    kind: str
    result: Result


def parse(text: str) -> ParseResults:
    """The query's syntax tree; QueryRefused with the parser's message if it is malformed or an update."""
    try:
        return parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise QueryRefused("updates (INSERT, DELETE, LOAD, CLEAR, ...) are not allowed: mcfkg query is read-only") from None
        raise QueryRefused(f"malformed SPARQL: {exc}") from None


def prepare(text: str, prefixes: Mapping[str, Any] | None = None) -> Query:
    """Parse and translate ``text`` (``prefixes`` may be used undeclared); QueryRefused if it must not run."""
    parsed = parse(text)
    try:
        query = translateQuery(parsed, initNs=dict(prefixes or {}))
    except Exception as exc:  # noqa: BLE001 - e.g. an undeclared prefix: still the query's fault
        raise QueryRefused(f"malformed SPARQL: {exc}") from None
    if query.algebra.get("datasetClause"):  # unlike Oxigraph, rdflib would load these IRIs
        raise QueryRefused("FROM / FROM NAMED are not allowed here (rdflib would load them); use GRAPH <name> { ... }")
    names: list[str] = []
    traverse(query.algebra, visitPre=lambda node: names.append(getattr(node, "name", "")))
    if "ServiceGraphPattern" in names:
        raise QueryRefused("SERVICE is not allowed: mcfkg query never calls remote endpoints")
    return query


def run(ds: Dataset, text: str) -> Answer:
    """Evaluate a SELECT/ASK/CONSTRUCT/DESCRIBE query on ``ds`` with the union as default graph."""
    query = prepare(text, dict(ds.namespaces()))
    union = Dataset(store=ds.store, default_union=True)
    for prefix, namespace in ds.namespaces():
        union.bind(prefix, namespace, override=False)
    kind = query.algebra.name.removesuffix("Query").upper()
    return Answer(kind=kind, result=union.query(query))


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def to_tsv(result: Result) -> str:
    """SELECT solutions as SPARQL 1.1 TSV (rdflib writes CSV but not TSV): ``?var`` header, terms in N-Triples form."""
    variables = result.vars or []
    lines = ["\t".join(f"?{var}" for var in variables)]
    for row in result.bindings:
        lines.append("\t".join(row[var].n3() if var in row else "" for var in variables))
    return "\n".join(lines) + "\n"
