"""Tests on single RDF terms that SHACL Core components need: datatype, node kind, order, language."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import RDF, SH, XSD, BNode, Literal, URIRef
from rdflib.term import Node

_KINDS = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}
_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE, "q": 0}


def has_datatype(node: Node, datatype: Node) -> bool:
    """``sh:datatype``: a literal of that datatype whose lexical form is valid for it."""
    if not isinstance(node, Literal):
        return False
    if datatype == RDF.langString:
        return node.language is not None
    if datatype == XSD.string:
        return node.language is None and node.datatype in (None, XSD.string)
    return node.datatype == datatype and not node.ill_typed


def has_kind(node: Node, kind: Node) -> bool:
    return isinstance(node, _KINDS.get(kind, ()))  # type: ignore[call-overload]


def compare(value: Node, bound: Node) -> int | None:
    """-1, 0 or 1 as ``value`` is below, equal to or above ``bound``; None when they cannot be compared."""
    if not (isinstance(value, Literal) and isinstance(bound, Literal)) or value.ill_typed or bound.ill_typed:
        return None
    a, b = value.toPython(), bound.toPython()
    numbers = (int, float, Decimal)
    if isinstance(a, bool) or isinstance(b, bool):
        comparable = isinstance(a, bool) and isinstance(b, bool)
    elif isinstance(a, numbers) and isinstance(b, numbers):
        a, b = (float(a), float(b)) if isinstance(a, float) or isinstance(b, float) else (Decimal(a), Decimal(b))
        comparable = True
    else:
        comparable = any(isinstance(a, t) and isinstance(b, t) for t in (datetime, date, time, str)) and (
            isinstance(a, datetime) == isinstance(b, datetime))
    if not comparable:
        return None
    try:
        return (a > b) - (a < b)
    except TypeError:  # e.g. a date-time with a time zone against one without
        return None


def matches(node: Node, pattern: str, flags: str) -> bool:
    """``sh:pattern``: the regular expression matches the node's string form; blank nodes never match."""
    if isinstance(node, BNode):
        return False
    bits = 0
    for flag in flags:
        bits |= _FLAGS.get(flag, 0)
    return re.search(pattern, str(node), bits) is not None


def language_in(node: Node, ranges: list[Node]) -> bool:
    """``sh:languageIn``: a literal whose language tag matches one of the ranges (SPARQL langMatches)."""
    if not isinstance(node, Literal) or not node.language:
        return False
    tag = node.language.lower()
    return any(str(r) == "*" or tag == str(r).lower() or tag.startswith(str(r).lower() + "-") for r in ranges)


def text_length(node: Node) -> int | None:
    """The length ``sh:minLength``/``sh:maxLength`` compare, None for blank nodes (which always fail)."""
    return None if isinstance(node, BNode) else len(str(node))
