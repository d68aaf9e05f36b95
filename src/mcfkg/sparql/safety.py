"""What a query or update may make the server do besides reading its own store.

Policy (secure by default):
- ``SERVICE`` runs only against IRIs named in ``Settings.service_allowlist`` (empty: never);
  a variable ``SERVICE ?x`` is refused because its target cannot be checked.
- ``LOAD`` is always refused: data enters the store through the graph store protocol.
- ``FROM`` / ``FROM NAMED`` (and update ``USING``/``WITH``) are allowed: Oxigraph resolves
  them to graphs already in the store and never dereferences them, so ``FROM <file:...>`` or
  ``FROM <http://...>`` reads nothing from disk or network (an unknown graph is simply empty).

This module reads the text with rdflib's parser, not the engine's, so it cannot be the
guarantee: the store's processes run without network (``sandbox.isolate_network``) unless
an operator allow-lists SERVICE endpoints. What this check adds is a clear 400 that says why,
and, with an allow-list, a conservative reading: the two lexical conventions in use disagree
on ``\\u`` escapes (SPARQL 1.1 expands them before tokenising, as rdflib does; Oxigraph
reads them inside strings and IRIs only), so an operation that mentions the keyword under
either convention must parse under *both*, and neither reading may call a SERVICE outside
the allow-list. A reading that does not parse makes the operation refused, not waved through.

The parse is skipped only when the keyword cannot occur at all: neither the text nor its
escape-expanded form contains it, case-folded, even as a substring (for ``from``: outside
prefixed names). Verdicts are cached by query text: they depend on nothing else but the
allow-list, fixed when the store starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import Query, UpdateUnit, expandUnicodeEscapes
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from mcfkg.sparql.lexical import code_only


class UnsafeOperation(ValueError):
    """The request asks for something the policy forbids; the message says what and why."""


@dataclass(frozen=True)
class QueryInfo:
    """What the endpoint needs to know about a query before running it."""

    has_dataset_clause: bool  # FROM / FROM NAMED: the query chooses its own dataset
    services: tuple[str, ...] = ()  # the (allow-listed) SERVICE endpoints it calls


def _walk(node: object) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _walk(value)


def service_targets(algebra: object) -> list[object]:
    """Every SERVICE target in a query's or update's algebra (sub-queries and EXISTS included):
    an IRI, or a variable."""
    return [node.get("term") for node in _walk(algebra) if node.name == "ServiceGraphPattern"]


def _check_services(algebra: object, allowlist: frozenset[str]) -> tuple[str, ...]:
    """The SERVICE endpoints ``algebra`` calls; UnsafeOperation unless each is a fixed, allow-listed IRI."""
    called: list[str] = []
    for target in service_targets(algebra):
        if not isinstance(target, URIRef):
            raise UnsafeOperation(
                f"SERVICE {target.n3() if hasattr(target, 'n3') else target} is refused: federated queries "
                "must name a fixed endpoint IRI that the server's SERVICE allow-list permits")
        if str(target) not in allowlist:
            allowed = ", ".join(sorted(allowlist)) or "none"
            raise UnsafeOperation(
                f"SERVICE <{target}> is refused: this endpoint only federates to allow-listed endpoints "
                f"(allowed: {allowed}; an operator can add one with --allow-service)")
        called.append(str(target))
    return tuple(dict.fromkeys(called))


# "from" at the end of a prefixed name's local part (``prov:wasDerivedFrom``) is no keyword.
_LOCAL_NAME_FROM = re.compile(r":[\w-]*from")


def _mentions(text: str, *words: str) -> set[str]:
    """The keywords among ``words`` that may occur in ``text``, read with or without expanding ``\\u`` escapes.

    A plain, case-folded substring test: a keyword glued to other tokens (``1SERVICE``) or
    spelled with a letter that folds to ASCII is still found. Only for ``from``, which decides
    semantics and not safety, the ``wasDerivedFrom`` of our provenance model is discounted, so
    provenance queries need no rdflib parse (~4 ms each).
    """
    folded = text.casefold() + " " + expandUnicodeEscapes(text).casefold()
    found = {word for word in words if word in folded}
    if "from" in found and "from" not in _LOCAL_NAME_FROM.sub("", folded):
        found.discard("from")
    return found


def _readings(text: str, grammar: Any) -> tuple[list[Any], list[Exception]]:
    """``text`` parsed by ``grammar`` as written and with ``\\u`` escapes expanded first (once if
    they agree): the readings that parse, and the errors of those that do not."""
    expanded = expandUnicodeEscapes(text)
    parsed: list[Any] = []
    errors: list[Exception] = []
    for each in [text] if expanded == text else [text, expanded]:
        try:
            parsed.append(grammar.parse_string(each, parse_all=True))
        except Exception as exc:  # pyparsing and rdflib raise several exception types for bad syntax
            errors.append(exc)
    return parsed, errors


# Deeper than this, a query is refused: Oxigraph's recursive parser overflows its stack at about
# 3000 nested groups and kills the process. Hand-written queries nest a few levels.
MAX_NESTING = 256


def check_nesting(text: str) -> None:
    """Refuse an operation whose brackets nest deeper than :data:`MAX_NESTING` (outside strings and comments)."""
    depth = deepest = 0
    for char in code_only(text):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(depth - 1, 0)
    if deepest > MAX_NESTING:
        raise UnsafeOperation(f"the operation nests brackets {deepest} deep; this endpoint allows {MAX_NESTING}")


@lru_cache(maxsize=512)
def check_query(text: str, allowlist: frozenset[str] = frozenset()) -> QueryInfo:
    """Refuse a query that would reach outside the store; report whether it has FROM clauses.

    Raises UnsafeOperation. A syntax error is left to the store, whose message is better,
    except when the text mentions SERVICE: then an unparseable query is refused outright.
    """
    check_nesting(text)
    present = _mentions(text, "service", "from")
    if not present:
        return QueryInfo(has_dataset_clause=False)
    readings, errors = _readings(text, Query)
    if errors and "service" in present:
        raise UnsafeOperation(f"SERVICE is refused: the query mentions it in a form this endpoint cannot "
                              f"check ({errors[0]}); write it plainly, without \\u escapes")
    try:
        queries = [translateQuery(reading) for reading in readings]
    except Exception as exc:  # the algebra translation refuses some parseable texts (e.g. scoping errors)
        if "service" in present:
            raise UnsafeOperation(f"SERVICE is refused: the query mentions it in a form this endpoint cannot "
                                  f"check ({exc})") from exc
        return QueryInfo(has_dataset_clause=False)
    services = tuple(dict.fromkeys(s for query in queries for s in _check_services(query.algebra, allowlist)))
    return QueryInfo(has_dataset_clause=any(query.algebra.get("datasetClause") for query in queries),
                     services=services)


@lru_cache(maxsize=128)
def check_update(text: str, allowlist: frozenset[str] = frozenset()) -> None:
    """Refuse an update that would LOAD anything or call a SERVICE outside the allow-list."""
    check_nesting(text)
    present = _mentions(text, "service", "load")
    if not present:
        return
    readings, errors = _readings(text, UpdateUnit)
    try:
        if errors:
            raise errors[0]
        updates = [translateUpdate(reading[0]) for reading in readings]
    except Exception as exc:
        keywords = " or ".join(sorted(p.upper() for p in present))
        raise UnsafeOperation(f"the update is refused: it mentions {keywords} in a form this endpoint cannot "
                              f"check ({exc}); write it plainly, without \\u escapes") from exc
    for update in updates:
        for operation in update.algebra:
            if operation.name == "Load":
                raise UnsafeOperation(
                    f"LOAD <{operation.get('iri')}> is refused: the server never fetches data from the network "
                    "or disk; upload it with the graph store protocol (PUT/POST /rdf-graph-store) instead")
        _check_services(update.algebra, allowlist)
