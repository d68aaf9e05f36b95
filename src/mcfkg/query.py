"""Run one SPARQL query from the command line (``mcfkg query``) exactly as the server runs it.

Same engine and same code: the query runs on pyoxigraph over the build (``dist/mcfkg.nq``, rebuilt
first when it is stale, see :mod:`mcfkg.dist`) through :func:`mcfkg.sparql.execute.run_query`, the
function the server's query processes call, with the server's limits, its default graph (the union
of every graph but the vocabulary) and its SERVICE/LOAD policy. So a query gives the same answer,
written the same way (``2493000000``, not rdflib's ``2493000000.0``), and the same error text, at
the same line and column, as ``/sparql``. Prefixes must be declared, as there.

The store is loaded in this process (milliseconds for the shipped graph) and the query runs in a
forked child, as on the server: it is killed at the time limit (pyoxigraph cannot interrupt a
query), may allocate only so much memory, and has no network. The command line never federates:
SERVICE is refused whatever the server's allow-list says.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from mcfkg.config import Settings
from mcfkg.dist import dump_path, ensure_build
from mcfkg.formats import GRAPH, RESULTS, find, names_for, resolve
from mcfkg.sparql import build_graphs, sandbox
from mcfkg.sparql.execute import Limits, run_query
from mcfkg.sparql.lexical import code_only, declared_prefixes
from mcfkg.sparql.model import ERRORS, QueryDataset, QueryError, QueryOutcome, QueryTimeout, failure, outcome
from mcfkg.sparql.negotiation import BOOLEAN, SOLUTIONS, ResultFormats
from mcfkg.store import query_limits
from mcfkg.vocab import Vocab
from mcfkg.web.prefixes import curie, prefixes

TABLE = "table"  # SELECT as a table of readable cells, ASK as true/false, CONSTRUCT/DESCRIBE as Turtle
SOLUTION_FORMATS = (TABLE, *names_for(RESULTS))
GRAPH_FORMATS = (TABLE, *names_for({GRAPH}))
_TABLE_TYPES = ResultFormats("application/sparql-results+json", "application/sparql-results+json", "text/turtle")
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    """An answer ready to print: ``body`` as written, or (a SELECT as ``table``) columns and rows of text."""

    kind: str
    body: bytes = b""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def format_name(value: str) -> str:
    """A ``--format`` value, normalised, once it is ``table`` or a name or file extension of
    :mod:`mcfkg.formats`; UnknownFormat, listing every accepted name, otherwise."""
    name = value.strip().lower()
    if name != TABLE:
        resolve(name, RESULTS | {GRAPH}, "--format", extra=(TABLE,))
    return name


def result_formats(name: str) -> ResultFormats:
    """What each kind of result is written as for ``--format name``; a kind it cannot express is refused
    with one line that lists the formats of both kinds."""
    if name == TABLE:
        return _TABLE_TYPES
    solutions, boolean, graph = (getattr(find(name, {kind}), "media_type", None) for kind in (SOLUTIONS, BOOLEAN, GRAPH))
    refusal = (f"--format {name} does not fit this query: SELECT and ASK take {', '.join(SOLUTION_FORMATS)}; "
               f"CONSTRUCT and DESCRIBE take {', '.join(GRAPH_FORMATS)}")
    return ResultFormats(solutions, boolean, graph, refusal=refusal)


def run_limited(settings: Settings, text: str, fmt: str, timeout_s: float,
                announce: Callable[[str], None]) -> Rendered:
    """Run ``text`` on the build for at most ``timeout_s`` seconds and render it as ``fmt`` (a :func:`format_name`).

    ``announce`` hears why the build is made first, when it is stale. Raises what the server's query
    processes raise (QueryError, UnsafeOperation, NotAcceptable, ResultTooLarge, StoreUnavailable) and
    QueryTimeout; a build that fails raises LoadError or BuildFailed.
    """
    ensure_build(settings, announce)
    store, limits = build_graphs.in_memory(str(dump_path(settings)),
                                           dataclasses.replace(query_limits(settings), service_allowlist=frozenset()))
    vocab = Vocab(settings.base_iri)
    dataset = QueryDataset(union_default_graph=settings.union_default_graph, base_iri=vocab.base + "sparql")
    try:
        outcome = _in_child(store, text, result_formats(fmt), dataset, limits, timeout_s)
    except QueryError as exc:
        if _UPDATE.match(code_only(text)):
            raise QueryError(f"mcfkg query is read-only and this is an update (INSERT, DELETE, LOAD, ...): send it "
                             f"to a server's /sparql as update= with its token. Read as a query: {exc}") from None
        raise
    return render(outcome, fmt, {**prefixes(vocab), **declared_prefixes(text)})


def _in_child(store: ox.Store, text: str, formats: ResultFormats, dataset: QueryDataset, limits: Limits,
              timeout_s: float) -> QueryOutcome:
    """:func:`run_query` in a forked copy of this process, killed at ``timeout_s``; its error re-raised here."""
    context = multiprocessing.get_context("fork")  # the store is shared copy-on-write: no reload
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_evaluate, args=(store, text, formats, dataset, limits, sender),
                            daemon=True, name="mcfkg-query")
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise QueryTimeout(f"the query ran longer than {timeout_s:g} s and was stopped; "
                               "narrow it or raise --timeout")
        reply: tuple[bool, Any] = receiver.recv()
    except EOFError:
        reply = failure(MemoryError(), limits.process_memory_mb)  # it died: killed for its memory
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    ok, value = reply
    if not ok:
        name, message = value
        raise ERRORS.get(name, QueryError)(message)
    return value


def _evaluate(store: ox.Store, text: str, formats: ResultFormats, dataset: QueryDataset, limits: Limits,
              sender: Connection) -> None:
    """In the child: confine it as the server confines its query processes, run, send the outcome or the error."""
    sandbox.isolate_network()  # best effort: without it SERVICE and LOAD are still refused by the check
    sandbox.confine(limits.process_memory_mb)
    sender.send(outcome(lambda: run_query(store, text, formats, dataset, limits), limits.process_memory_mb))
    sender.close()


def render(outcome: QueryOutcome, fmt: str, table_prefixes: dict[str, str]) -> Rendered:
    """``outcome`` ready to print: as written by the engine, or for ``table`` a SELECT's cells (IRIs
    shortened with ``table_prefixes``, literals by their value) and an ASK's ``true``/``false``."""
    if fmt != TABLE or outcome.kind == GRAPH:
        return Rendered(outcome.kind, outcome.body)
    results = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)
    if isinstance(results, ox.QueryBoolean):
        return Rendered(outcome.kind, f"{str(bool(results)).lower()}\n".encode())
    variables = [v.value for v in results.variables]
    rows = [[_cell(solution[name], table_prefixes) for name in variables] for solution in results]
    return Rendered(outcome.kind, columns=[f"?{name}" for name in variables], rows=rows)


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, table: dict[str, str]) -> str:
    """A term as a person reads it in a table: a prefixed name, a literal's value, ``_:id``; "" when unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        short = curie(term.value, table=table)
        return short if short != term.value else f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
