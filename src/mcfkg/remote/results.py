"""A remote store's answers turned into what the Store interface promises.

The store is asked for one exchange format per result kind (SPARQL JSON results; N-Triples or
Turtle for graphs), which pyoxigraph reads lazily, and the answer is written again in the
format the client negotiated. So every format mcfkg offers works whatever the store can write,
every answer has the same shape as the embedded store's (CONSTRUCT grouped by subject with the
query's prefixes, Jena's CSV/TSV booleans), and the row cap (``max_result_rows``) holds: an answer
past it is refused, as the embedded store refuses it, never silently cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice
from typing import cast

import pyoxigraph as ox

from mcfkg.remote.client import Answer
from mcfkg.sparql.execute import Limits, graph_body, boolean_table
from mcfkg.sparql.lexical import code_only
from mcfkg.sparql.model import QueryOutcome, ResultTooLarge, StoreUnavailable
from mcfkg.sparql.negotiation import BOOLEAN, GRAPH, SOLUTIONS, ResultFormats
from mcfkg.sparql.table import Table, table_of

# What mcfkg asks a store for, by the query's form (the answer's kind is then read from its Content-Type).
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8"
EXCHANGE_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)
_IRI = re.compile(r"<[^<>\s]*>")
_GRAPH = re.compile(r"(?<![\w:?$])GRAPH(?![\w:-])", re.IGNORECASE)


def names_graphs(query: str) -> bool:
    """Whether a query has a GRAPH pattern (outside strings and comments), so needs the named graphs listed."""
    return _GRAPH.search(_IRI.sub(" ", code_only(query))) is not None


def accept_for(query: str) -> str:
    """The Accept header for a query's form, read from its first keyword (after the prologue's IRIs and
    prefixes): Virtuoso answers a CONSTRUCT in SPARQL results when an Accept header lists those first."""
    found = _FORM.search(_IRI.sub(" ", code_only(query)))
    if found is None:
        return EXCHANGE_ACCEPT  # not a query the store will run: its error message says why
    return GRAPH_ACCEPT if found.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
Parsed = ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]


def parse(answer: Answer) -> Parsed:
    """The answer read lazily as solutions, a boolean or triples, by its media type."""
    results_format = ox.QueryResultsFormat.from_media_type(answer.media_type)
    rdf_format = None if results_format else ox.RdfFormat.from_media_type(answer.media_type)
    try:
        if results_format:
            return _virtuoso_ask(ox.parse_query_results(answer.body, format=results_format))
        if rdf_format:
            return ox.parse(answer.body, format=rdf_format)
    except SyntaxError as exc:
        raise _garbled(answer, exc) from exc
    raise StoreUnavailable(f"the remote store answered with {answer.media_type or 'no media type'}, which is neither "
                           "SPARQL results nor RDF; is --store the store's SPARQL query endpoint?")


# Virtuoso 7 answers ASK over the protocol as one column of this name: a row holding 1 for true, none for false.
_VIRTUOSO_ASK = "__ASK_RETVAL"
_BOOLEANS = {answer: ox.parse_query_results(f'{{"head":{{}},"boolean":{str(answer).lower()}}}'.encode(),
                                            format=ox.QueryResultsFormat.JSON) for answer in (True, False)}


def _virtuoso_ask(parsed: ox.QuerySolutions | ox.QueryBoolean) -> ox.QuerySolutions | ox.QueryBoolean:
    """The answer, with Virtuoso's form of an ASK answer read as the boolean it is."""
    if not isinstance(parsed, ox.QuerySolutions) or [v.value for v in parsed.variables] != [_VIRTUOSO_ASK]:
        return parsed
    return _BOOLEANS[any(row[0] is not None and row[0].value not in ("0", "false") for row in parsed)]


def triples(answer: Answer) -> Iterator[ox.Triple]:
    """A CONSTRUCT's answer read lazily as triples; StoreUnavailable if the store sent something else."""
    parsed = parse(answer)
    if isinstance(parsed, (ox.QuerySolutions, ox.QueryBoolean)):
        raise StoreUnavailable(f"the remote store answered a CONSTRUCT with {answer.media_type}, not RDF")
    return parsed


def _garbled(answer: Answer, exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"the remote store's answer ({answer.media_type}) does not parse: {exc}")


def _kind(parsed: Parsed) -> str:
    if isinstance(parsed, ox.QueryBoolean):
        return BOOLEAN
    return SOLUTIONS if isinstance(parsed, ox.QuerySolutions) else GRAPH


def outcome(answer: Answer, formats: ResultFormats, text: str, limits: Limits) -> QueryOutcome:
    """The answer in the negotiated format; NotAcceptable, ResultTooLarge or StoreUnavailable."""
    parsed = parse(answer)
    kind = _kind(parsed)
    media_type = formats.for_kind(kind)
    try:
        if isinstance(parsed, ox.QueryBoolean):
            table = boolean_table(bool(parsed), media_type)
            body = table if table is not None else parsed.serialize(format=_results_format(media_type))
        elif isinstance(parsed, ox.QuerySolutions):
            body = _solutions(lambda: parse(answer), media_type, limits.max_result_rows)
        else:
            body = graph_body(cast(ox.QueryTriples, parsed), text, media_type, limits)  # it only iterates
    except SyntaxError as exc:  # the lazy parsers report a bad answer while it is read
        raise _garbled(answer, exc) from exc
    return QueryOutcome(body or b"", media_type, kind)


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    found = ox.QueryResultsFormat.from_media_type(media_type)
    assert found is not None, media_type  # negotiation only offers formats pyoxigraph writes
    return found


def _solutions(read: Callable[[], Parsed], media_type: str, cap: int) -> bytes:
    """Solutions counted (a lazy pass over the parsed answer, nothing kept), then written out."""
    rows = sum(1 for _ in islice(_as_solutions(read()), cap + 1))
    if rows > cap:
        raise ResultTooLarge(f"the result has more than {cap} rows, this endpoint's limit; "
                             "add LIMIT/OFFSET to page through it, or narrow the query")
    return _as_solutions(read()).serialize(format=_results_format(media_type)) or b""


def _as_solutions(parsed: Parsed) -> ox.QuerySolutions:
    assert isinstance(parsed, ox.QuerySolutions), "parsed again from the same bytes"
    return parsed


def table(answer: Answer, max_rows: int) -> Table:
    """The first ``max_rows`` rows (triples of a graph, sorted) for the HTML results page."""
    parsed = parse(answer)
    try:
        return table_of(parsed, max_rows)
    except SyntaxError as exc:
        raise _garbled(answer, exc) from exc
