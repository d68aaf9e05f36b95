"""Run one SPARQL query locally (``mcfkg query``) on the reasoned dataset, safely.

The dataset is built from source in memory each time (load + reason, a few seconds), so the
answer always reflects the files on disk and the configured base IRI; no dist/ is needed.
The default graph is the union of all graphs, as on the server.

rdflib would fetch whatever a query names in ``FROM``/``FROM NAMED`` or ``SERVICE``, and
updates such as ``LOAD`` read URLs: all are refused before evaluation. (The server's policy,
:mod:`mcfkg.sparql.safety`, differs on purpose: Oxigraph never dereferences FROM.)

rdflib cannot interrupt a query, so :func:`run_limited` evaluates it in a child process and
kills that at the time limit: the only honest bound on a runaway query (e.g. a cross join).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from pyparsing import ParseException, ParseResults
from rdflib import Dataset, Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from mcfkg.sparql.execute import boolean_table
from mcfkg.sparql.safety import service_targets

if TYPE_CHECKING:
    from mcfkg.config import Settings

SOLUTION_FORMATS = ("table", "json", "csv", "tsv")
GRAPH_FORMATS = ("table", "turtle", "ntriples")  # table: a graph prints as Turtle
_TABLE_MEDIA_TYPES = {"csv": "text/csv", "tsv": "text/tab-separated-values"}


class QueryRefused(Exception):
    """The query is malformed or asks for something mcfkg does not do (fetching, updating, a format its kind lacks)."""


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped."""


class QueryFailed(Exception):
    """The query could not be evaluated (an engine error, or the process evaluating it died)."""


@dataclass(frozen=True)
class Answer:
    """A query's result and its kind: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""

    kind: str
    result: Result


@dataclass(frozen=True)
class Rendered:
    """An answer ready to print: ``body`` as written, or (a SELECT as ``table``) columns and rows of text."""

    kind: str
    body: bytes = b""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


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
    if service_targets(query.algebra):
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


def kind_of(parsed: ParseResults) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, from :func:`parse`'s tree."""
    return parsed[1].name.removesuffix("Query").upper()


def check_format(kind: str, fmt: str) -> None:
    """QueryRefused (one line, before any work) if a ``kind`` query's answer cannot be written as ``fmt``."""
    if kind in ("CONSTRUCT", "DESCRIBE") and fmt not in GRAPH_FORMATS:
        raise QueryRefused(f"{kind} returns a graph: use --format turtle or ntriples")
    if kind in ("SELECT", "ASK") and fmt not in SOLUTION_FORMATS:
        raise QueryRefused(f"{kind} returns {'solutions' if kind == 'SELECT' else 'true or false'}: "
                           f"use --format {', '.join(SOLUTION_FORMATS[:-1])} or {SOLUTION_FORMATS[-1]}")


def render(answer: Answer, fmt: str, shorten: Callable[[Node], str] = str) -> Rendered:
    """``answer`` written as ``fmt`` (one of :data:`SOLUTION_FORMATS` or :data:`GRAPH_FORMATS`).

    ``shorten`` turns a term into the text of a table cell (e.g. a prefixed name).
    """
    check_format(answer.kind, fmt)
    result, kind = answer.result, answer.kind
    if kind in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph if result.graph is not None else Graph()
        return Rendered(kind, graph.serialize(format="nt" if fmt == "ntriples" else "turtle", encoding="utf-8"))
    if kind == "ASK":
        answer_text = "true" if result.askAnswer else "false"
        table = boolean_table(bool(result.askAnswer), _TABLE_MEDIA_TYPES.get(fmt, ""))  # CSV/TSV: the server's
        if table is not None:
            return Rendered(kind, table)
        return Rendered(kind, (result.serialize(format="json") or b"") if fmt == "json" else f"{answer_text}\n".encode())
    if fmt == "tsv":
        return Rendered(kind, to_tsv(result).encode())
    if fmt in ("json", "csv"):
        return Rendered(kind, result.serialize(format=fmt) or b"")  # bytes: no destination was given
    variables = result.vars or []
    rows = [[shorten(row[var]) if var in row else "" for var in variables] for row in result.bindings]
    return Rendered(kind, columns=[f"?{var}" for var in variables], rows=rows)


def run_limited(settings: Settings, text: str, fmt: str, timeout_s: float) -> Rendered:
    """Load and reason as :func:`mcfkg.build.load_and_reason`, then run ``text`` for at most ``timeout_s`` seconds.

    The work happens in a child process (spawned: no state is shared with the caller); the
    clock starts once the data is loaded, and at the limit the child is killed. Raises
    QueryRefused (bad query, unreadable data, wrong format), QueryTimeout or QueryFailed.
    """
    check_format(kind_of(parse(text)), fmt)  # cheap mistakes are reported before the load
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_evaluate, args=(settings, text, fmt, sender), daemon=True, name="mcfkg-query")
    child.start()
    sender.close()
    try:
        status, payload = _receive(receiver, None)
        if status == "loaded":
            status, payload = _receive(receiver, timeout_s)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "refused":
        raise QueryRefused(payload)
    if status == "failed":
        raise QueryFailed(payload)
    return payload


def _receive(receiver: Connection, timeout_s: float | None) -> tuple[str, Any]:
    """The child's next message; QueryTimeout if none comes in ``timeout_s`` (None: wait)."""
    if timeout_s is not None and not receiver.poll(timeout_s):
        raise QueryTimeout(f"the query ran longer than {timeout_s:g} s and was stopped; narrow it or raise --timeout")
    try:
        return receiver.recv()
    except EOFError:
        return "failed", "the process evaluating the query ended unexpectedly (out of memory?)"


def _evaluate(settings: Settings, text: str, fmt: str, sender: Connection) -> None:
    """In the child process: load, report "loaded", run, and send the rendered answer or the error."""
    from mcfkg.build import load_and_reason  # the pipeline is only needed here
    from mcfkg.graph import LoadError
    from mcfkg.validate import short_name

    try:
        ds = load_and_reason(settings)
        sender.send(("loaded", None))
        sender.send(("done", render(run(ds, text), fmt, lambda term: short_name(term, ds))))
    except (LoadError, QueryRefused) as exc:
        sender.send(("refused", str(exc)))
    except Exception as exc:  # noqa: BLE001 - any engine error is reported as one line by the parent
        sender.send(("failed", f"{type(exc).__name__}: {exc}".splitlines()[0]))
    finally:
        sender.close()


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
