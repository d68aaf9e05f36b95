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

from mcfkg.sparql.lexical import measure, triple_term_depth


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


def _variants(text: str) -> list[str]:
    """The texts the two lexical conventions may see: as written or with ``\\u`` escapes expanded,
    and with a carriage return ending a comment (Oxigraph) or not (rdflib, which ends one at a line feed)."""
    expanded = expandUnicodeEscapes(text)
    return list(dict.fromkeys([text, text.replace("\r", "\n"), expanded, expanded.replace("\r", "\n")]))


def _readings(text: str, grammar: Any) -> tuple[list[Any], list[Exception]]:
    """``text`` parsed by ``grammar`` in each of its :func:`_variants`: the readings that parse,
    and the errors of those that do not."""
    parsed: list[Any] = []
    errors: list[Exception] = []
    for each in _variants(text):
        try:
            parsed.append(grammar.parse_string(each, parse_all=True))
        except Exception as exc:  # pyparsing and rdflib raise several exception types for bad syntax
            errors.append(exc)
    return parsed, errors


def _check_every_service_seen(text: str, algebras: list[object]) -> None:
    """Refuse a federating query that says SERVICE more often than any reading found SERVICE calls.

    A federated query runs where the network is reachable; a call hidden from this check behind
    a visible, allowed one would go out with it. Every occurrence of the word, in strings and
    comments too, must therefore be one of the calls the check has seen.
    """
    said = max(variant.casefold().count("service") for variant in _variants(text))
    seen = min(len(service_targets(algebra)) for algebra in algebras)
    if said > seen:
        raise UnsafeOperation(f"SERVICE is refused: the query says SERVICE {said} times but calls {seen} "
                              "endpoints; a federated query may use the word only in its SERVICE clauses "
                              "(not in comments, strings or names)")


# Oxigraph parses and evaluates recursively: past a few thousand levels it overflows its stack and
# the process dies (SIGSEGV). Measured with pyoxigraph 0.5.13 on an 8 MiB stack (a process's main
# thread; updates and federated queries run there), the first size that killed it:
#   nested brackets 2200; ORDER BY (1) (1) ... 2600 items (1 element each, the dearest per element);
#   OPTIONAL/MINUS/BIND chains 2600 (2-4 elements each); RDF collection items 4050; UNION 6600;
#   1+1+... 6900 terms; triple patterns 8100 (BGP or object list); &&, || and ! 9300; path | 10900.
# On the 64 MiB stack query workers use (``mcfkg.sparql.stack``) each figure is about 8 times
# larger (OPTIONAL 53 000, 1+1+... 75 000, brackets 17 500). Operations at twice both limits, in
# the dearest shapes (250 nested groups around ORDER BY, OPTIONAL, BIND or && chains), still ran
# on 8 MiB. Hand-written queries nest a few levels and have a few dozen elements (this project's
# largest: 5 and 24); a VALUES block, IN (...) list or INSERT DATA of any length counts 1 or 0.
MAX_NESTING = 256
MAX_ELEMENTS = 1000


def check_nesting(text: str) -> None:
    """Refuse an operation that would nest Oxigraph's recursion too deep for its stack: brackets deeper
    than :data:`MAX_NESTING`, or more than :data:`MAX_ELEMENTS` operators and pattern elements,
    which the engine nests too (``a && b && c`` is ``(a && b) && c``). See :func:`lexical.measure`."""
    if len(text) <= MAX_ELEMENTS and sum(map(text.count, ("{", "(", "[", "<<"))) <= MAX_NESTING:
        return  # every element takes a character and every level an opening bracket: too short to exceed either
    shape = measure(text)
    nesting = max(shape.nesting, triple_term_depth(text) if "<<" in text else 0)
    if nesting > MAX_NESTING:
        raise UnsafeOperation(f"the operation nests brackets or triple terms {nesting} deep; this endpoint "
                              f"allows {MAX_NESTING} (its nesting limit); flatten it and try again")
    if shape.elements > MAX_ELEMENTS:
        raise UnsafeOperation(
            f"the operation is too long: it chains {shape.elements} operators and pattern elements (&&, ||, +, "
            f"=, UNION, OPTIONAL, FILTER, path | and /, triple patterns, bracketed groups ...); this endpoint "
            f"allows {MAX_ELEMENTS} (its length limit), because the query engine nests one level per element. "
            "Pass long lists of values as VALUES or IN (...), which count once, or split the operation")


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
    if services:
        _check_every_service_seen(text, [query.algebra for query in queries])
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
        updates = [translateUpdate(reading[0]) for reading in readings if len(reading)]
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
