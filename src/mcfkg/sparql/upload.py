"""Uploads are parsed in killable child processes, never in the store process.

An upload is untrusted input for a parser: a 9.2 MB RDF/XML body nested 200 000 deep kept
the parser busy for over five minutes while every other write waited, triple terms nested a
few thousand deep overflow its stack, and entity declarations can blow a kilobyte up into
gigabytes (those are refused outright: ``mcfkg.xml_entities``). So the store process hands each
upload to a *parse process*, forked by a fork server (a clean process: a parse starts in
milliseconds, even beside RocksDB's threads or a running write), which

- may allocate ``process_memory_mb`` beyond what it starts with, and dies with its parent;
  if it dies, the upload is refused (503) with a message naming that limit;
- is killed when the upload's time is up (``query_timeout_s`` after it arrived): refused, 503;
- answers with the upload's triples as N-Triples, which the store process queues as a write
  (``("load", triples, graph, replace)``: one transaction, see ``execute.load``).

Up to ``PARALLEL_PARSES`` uploads are parsed at once, beside the writes the store process
applies, so a slow upload holds up neither other writes nor the next upload; later uploads
wait their turn, and their time counts from their arrival.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import multiprocessing.connection
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from mcfkg.sparql import children, execute, sandbox
from mcfkg.sparql.children import Child
from mcfkg.sparql.model import InvalidRdf, QueryTimeout, StoreUnavailable, out_of_memory
from mcfkg.xml_entities import REFUSAL, declares_entities

MULTIPART = "multipart/form-data"
# Uploads parsed at once. Each parse process may use process_memory_mb, so this bounds their total.
PARALLEL_PARSES = 2
# The store process reads the parsed triples again as a SPARQL update, whose parser recurses once
# per level of triple-term nesting and overflows its stack in the thousands: deeper is refused
# here, where a crash is harmless. Real data nests a triple term or two.
MAX_TRIPLE_TERM_DEPTH = 64
_GRAPH_TYPES = "text/turtle, application/n-triples, application/ld+json, application/rdf+xml or text/n3"

Outcome = tuple[bool, tuple]  # (True, the write job that stores the triples) or (False, (error name, message))


def parse(data: bytes, media_type: str, base_iri: str | None) -> bytes:
    """An upload's triples as N-Triples: one RDF document, or each part of a multipart/form-data body.

    Named graphs in it are merged (a Graph Store upload fills one graph); blank nodes get fresh
    labels, so two parts' ``_:b`` stay apart. InvalidRdf, saying which part and why, if any part
    is refused or does not parse.
    """
    triples = itertools.chain.from_iterable(_checked(name, body, part_type, base_iri)
                                            for name, body, part_type in _documents(data, media_type))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _documents(data: bytes, media_type: str) -> list[tuple[str, bytes, str]]:
    """(name for messages, bytes, media type) of each RDF document of an upload."""
    if media_type.split(";")[0].strip().lower() != MULTIPART:
        return [("the body", data, media_type)]
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + media_type.encode("latin-1") + b"\r\n\r\n" + data)
    if not message.is_multipart():
        raise InvalidRdf("the multipart/form-data body has no parts (is its boundary right?)")
    documents = []
    for part in message.iter_parts():
        name = part.get_filename() or part.get_param("name", header="content-disposition") or "part"
        payload = part.get_payload(decode=True)  # bytes for a leaf part, None for a nested multipart one
        documents.append((f"part {name!r}", payload if isinstance(payload, bytes) else b"",
                          part.get("content-type", "text/turtle")))
    return documents


def _checked(name: str, data: bytes, media_type: str, base_iri: str | None) -> Iterator[ox.Triple]:
    """The triples of one document, refusing entity declarations and deeply nested triple terms."""
    try:
        fmt = execute.rdf_format(media_type)
    except ValueError:
        raise InvalidRdf(f"{name} has type {media_type}, which is not RDF; send {_GRAPH_TYPES}") from None
    if fmt == ox.RdfFormat.RDF_XML and declares_entities(data):
        raise InvalidRdf(f"{name} was refused. {REFUSAL}")
    for triple in _parsed(name, data, media_type, fmt, base_iri):
        if _nesting(triple) > MAX_TRIPLE_TERM_DEPTH:
            raise InvalidRdf(f"{name} nests triple terms more than {MAX_TRIPLE_TERM_DEPTH} deep, which this "
                             "store refuses; flatten them and try again")
        yield triple


def _parsed(name: str, data: bytes, media_type: str, fmt: ox.RdfFormat, base_iri: str | None) -> Iterator[ox.Triple]:
    """The triples of one document, named graphs merged; a parse error as InvalidRdf naming the document."""
    try:
        for quad in ox.parse(data, fmt, base_iri=base_iri, rename_blank_nodes=True):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)
    except (SyntaxError, ValueError) as exc:
        if "LoadDocumentCallback" in str(exc):  # pyoxigraph's words for a remote @context it did not fetch
            raise InvalidRdf(f"{name}: remote JSON-LD contexts are refused: the server fetches nothing; "
                             "put the @context inline") from None
        raise InvalidRdf(f"{name} is not valid {media_type}: {exc}") from None


def _nesting(triple: ox.Triple) -> int:
    """How deep triple terms nest inside ``triple`` (0: not at all), counted without recursion."""
    if not isinstance(triple.subject, ox.Triple) and not isinstance(triple.object, ox.Triple):
        return 0  # nearly every triple: keep it quick
    deepest, pending = 0, [(triple, 0)]
    while pending:
        term, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_TRIPLE_TERM_DEPTH:  # deeper is refused anyway
            pending += [(inner, depth + 1) for inner in (term.subject, term.object) if isinstance(inner, ox.Triple)]
    return deepest


def _parse_main(conn: multiprocessing.connection.Connection, data: bytes, media_type: str,
                base_iri: str | None, limits: execute.Limits) -> None:
    """The parse process: confined, it sends back (True, N-Triples) or (False, (error name, message)).

    Running out of memory (a MemoryError, or an abort in pyoxigraph) ends the process, and
    the store process reports that.
    """
    sandbox.confine(limits.process_memory_mb)
    try:
        reply: tuple = (True, parse(data, media_type, base_iri))
    except InvalidRdf as exc:
        reply = (False, (InvalidRdf.__name__, str(exc)))
    conn.send(reply)


@dataclass(eq=False, kw_only=True)
class _Parse(Child):
    """An upload being parsed (its bytes are the parse process's now), and where its triples go."""

    graph: str | None
    replace: bool


@dataclass(eq=False)
class Parses:
    """A store process's uploads on their way to its writer (see the module docstring)."""

    context: Any  # a fork server's multiprocessing context
    limits: execute.Limits
    timeout_s: float
    waiting: deque = field(default_factory=deque)  # (request, job, deadline)
    running: list[_Parse] = field(default_factory=list)

    def add(self, request: int, job: tuple, deadline: float) -> None:
        """Parse an ``("upload", ...)`` job now, or once fewer than PARALLEL_PARSES run."""
        self.waiting.append((request, job, deadline))
        if len(self.running) < PARALLEL_PARSES:
            self.running.append(self._start(*self.waiting.popleft()))

    @property
    def pipes(self) -> list[multiprocessing.connection.Connection]:
        return children.pipes(self.running)

    def next_deadline(self) -> float | None:
        return children.next_deadline(self.running)

    def finished(self, ready: list[Any]) -> list[tuple[int, Outcome]]:
        """``(request, outcome)`` for each upload whose parse answered, died or ran out of time (their
        processes are gone), and for each that waited past its deadline; the next ones start."""
        now, done = time.monotonic(), []
        for parse in children.due(self.running, ready, now):
            done.append((parse.request, self._outcome(parse)))
            parse.end()
        while self.waiting and len(self.running) < PARALLEL_PARSES:
            request, job, deadline = self.waiting.popleft()
            if deadline > now:
                self.running.append(self._start(request, job, deadline))
            else:
                done.append((request, (False, (QueryTimeout.__name__, (
                    f"the upload waited {self.timeout_s:g} s, this endpoint's time limit, behind other uploads "
                    "and was not parsed; nothing was stored; try again later")))))
        return done

    def stop_all(self) -> None:
        children.stop_all(self.running)

    def _start(self, request: int, job: tuple, deadline: float) -> _Parse:
        _, data, media_type, graph, replace, base_iri = job
        parent, child = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_parse_main, name="mcfkg-upload-parse", daemon=True,
                                       args=(child, data, media_type, base_iri, self.limits))
        process.start()
        child.close()
        return _Parse(request=request, deadline=deadline, process=process, conn=parent, graph=graph, replace=replace)

    def _outcome(self, parse: _Parse) -> Outcome:
        if not parse.conn.poll():
            return False, (QueryTimeout.__name__, (
                f"parsing the upload was stopped after {self.timeout_s:g} s, this endpoint's time limit, and "
                "nothing was stored; send the data in smaller parts (POST adds to a graph) and try again"))
        try:
            ok, value = parse.conn.recv()
        except (EOFError, OSError):
            return False, (StoreUnavailable.__name__,
                           out_of_memory("parsing the upload failed; nothing was stored", self.limits.process_memory_mb))
        if not ok:
            return False, value
        return True, ("load", value, parse.graph, parse.replace)
