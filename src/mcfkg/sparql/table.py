"""A query's answer as a short table, for the HTML results page: only its first rows leave the query process.

The page used to fetch the whole answer (up to ``max_result_rows``) as SPARQL JSON and parse it in
the web process: 99 000 rows held every other request for 5 s and took about 1 GB. Here the query
process reads the answer lazily and stops after ``max_rows``, so evaluation stops there too (unless
the query itself must see every row, as ORDER BY does) and only those rows are sent as plain tuples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from mcfkg.sparql.execute import Limits, dataset_options
from mcfkg.sparql.model import QueryDataset, QueryError
from mcfkg.sparql.negotiation import BOOLEAN, GRAPH, SOLUTIONS
from mcfkg.sparql.safety import check_query

# A cell: ("iri", iri), ("bnode", label) or ("literal", text, datatype IRI or "", language or ""); None: unbound.
Cell = tuple[str, ...] | None
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@dataclass(frozen=True)
class Table:
    """The first rows of an answer: ``kind`` is solutions, boolean or graph; ``cut``: the answer had more."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    cut: bool = False


def cell(term: object) -> Cell:
    """One term of an answer as the results page shows it: kind, value, datatype (none for plain strings), language."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return ("literal", term.value, "" if datatype in _PLAIN else datatype, term.language or "")
    return ("literal", str(term), "", "")  # a quoted triple (RDF 1.2): shown as written


def table_of(result: ox.QueryBoolean | ox.QuerySolutions | Iterator[ox.Triple], max_rows: int) -> Table:
    """The first ``max_rows`` rows of an Oxigraph answer (triples of a graph, sorted), wherever it was
    computed: here, or parsed from a remote store's reply. Rows are read lazily, so a parse or
    evaluation error surfaces here as the caller's to translate."""
    if isinstance(result, ox.QueryBoolean):
        return Table(BOOLEAN, ("answer",), ((("literal", str(bool(result)).lower(), _BOOLEAN, ""),),))
    if isinstance(result, ox.QuerySolutions):
        width = len(result.variables)
        rows = [tuple(cell(row[i]) for i in range(width)) for row in islice(result, max_rows + 1)]
        return Table(SOLUTIONS, tuple(v.value for v in result.variables), tuple(rows[:max_rows]), len(rows) > max_rows)
    triples = list(islice(result, max_rows + 1))
    cells = sorted((cell(t.subject), cell(t.predicate), cell(t.object)) for t in triples[:max_rows])
    return Table(GRAPH, ("subject", "predicate", "object"), tuple(cells), len(triples) > max_rows)


def run_table(store: ox.Store, text: str, dataset: QueryDataset, limits: Limits, max_rows: int) -> Table:
    """Check and run ``text`` like any query, keeping at most ``max_rows`` rows (triples for CONSTRUCT)."""
    info = check_query(text, limits.service_allowlist)
    options = dataset_options(store, info.has_dataset_clause, dataset, limits)
    try:
        return table_of(store.query(text, base_iri=dataset.base_iri, **options), max_rows)
    except (SyntaxError, ValueError, OSError) as exc:  # OSError: evaluation errors, raised while rows are read
        raise QueryError(str(exc)) from exc
