"""Content negotiation for every response mcfkg serves, in one place.

RFC 9110 rules: each media range in ``Accept`` carries a q-value (default 1); a
representation's quality is the q of the *most specific* range that matches it
(``text/csv;q=0`` beats ``text/*``); q=0 means "not acceptable". Among equally
acceptable representations the server's order decides. A ``format=`` parameter
overrides ``Accept`` (a name of :mod:`mcfkg.formats` like ``json`` or ``ttl``, or a media type), the way
YASGUI, SPARQLWrapper and most endpoints use it. Nothing acceptable: 406.

Wildcards (``text/*``, ``*/*``) match only the media type we send in Content-Type, never
the other names a format is known by: ``text/*`` gets CSV, not XML results via ``text/xml``.

Parsing is lenient (RFC 9110 asks recipients to be robust): empty list elements and ranges
that are not ``type/subtype`` are skipped, a malformed or non-finite ``q`` is ignored (the
range keeps q=1, as if it had none), and a header with no usable range counts as absent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from mcfkg.formats import BOOLEAN, FORMATS, GRAPH, RDF_FORMATS, SOLUTIONS, find

# The canonical media types we produce per result kind, in the server's order of preference
# (the order of mcfkg.formats, where the names of each format are defined).
SOLUTION_TYPES = tuple(f.media_type for f in FORMATS if SOLUTIONS in f.kinds)
BOOLEAN_TYPES = SOLUTION_TYPES  # CSV/TSV booleans in Jena's form (see mcfkg.sparql.execute)
GRAPH_TYPES = tuple(f.media_type for f in RDF_FORMATS)
HTML = "text/html"

# Other names clients send for the same formats.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/sparql-results+json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/x-json+ld": "application/ld+json",
    "application/json+ld": "application/ld+json",
    "text/rdf+n3": "text/n3",
    "application/n3": "text/n3",
    "application/x-trig": "application/trig",
    "text/x-nquads": "application/n-quads",
}
# RDF/XML answers a request for generic XML when the result is a graph.
_GRAPH_ALIASES = {"application/xml": "application/rdf+xml", "text/xml": "application/rdf+xml",
                  "application/json": "application/ld+json"}

class NotAcceptable(Exception):
    """No representation we can produce matches the request; the message lists what we offer."""


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing header, or one without a usable range, accepts anything."""
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        main, slash, sub = fields[0].lower().partition("/")
        if not main or not slash or not sub:
            continue  # empty or malformed range: ignore it rather than fail the request
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = _qvalue(value, q)
                break  # parameters after q are accept-extensions
        ranges.append(MediaRange(main, sub, q))
    return ranges or [MediaRange("*", "*", 1.0)]


def _qvalue(text: str, default: float) -> float:
    """A q parameter's value clamped to [0, 1]; ``default`` when it is not a finite number."""
    try:
        value = float(text.strip().strip('"'))
    except ValueError:
        return default
    return min(max(value, 0.0), 1.0) if math.isfinite(value) else default


def _best_match(ranges: list[MediaRange], media_type: str, exact_only: bool = False) -> MediaRange | None:
    best: MediaRange | None = None
    for r in ranges:
        if exact_only and r.specificity < 2:
            continue
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best


def quality(ranges: list[MediaRange], *names: str) -> float:
    """q of the most specific range matching a format: its media type (``names[0]``, also by wildcard)
    or one of its other ``names`` (only when named in full). 0 when none matches.

    ``text/turtle;q=0`` refuses Turtle even when ``*/*`` would match one of its other names.
    """
    found = [_best_match(ranges, name, exact_only=i > 0) for i, name in enumerate(names)]
    matches = [m for m in found if m is not None]
    if not matches:
        return 0.0
    top = max(m.specificity for m in matches)
    return max(m.q for m in matches if m.specificity == top)


def _names_for(canonical: str, kind: str) -> list[str]:
    aliases = {**ALIASES, **(_GRAPH_ALIASES if kind == GRAPH else {})}
    return [canonical] + [alias for alias, target in aliases.items() if target == canonical and alias != canonical]


def choose(accept: str | None, offers: tuple[str, ...], kind: str = GRAPH) -> str:
    """The best of ``offers`` (in server preference order) for this Accept header, or NotAcceptable.

    A format is as acceptable as the best of its names (``application/xml`` asks for SPARQL XML
    results, or RDF/XML when the answer is a graph).
    """
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, *_names_for(offer, kind))
        if q > best_q:
            best, best_q = offer, q
    if best is None:
        raise NotAcceptable(f"none of the media types in 'Accept: {accept}' can be produced here; "
                            f"available: {', '.join(offers)}")
    return best


def _offered_names(kind: str, offers: tuple[str, ...]) -> list[str]:
    """The canonical ``format=`` name of each offered media type (``json, xml, csv, tsv``)."""
    return [f.name for f in FORMATS if kind in f.kinds and f.media_type in offers] + (["html"] if HTML in offers else [])


def from_format_param(value: str, kind: str, offers: tuple[str, ...]) -> str:
    """The media type a ``format=`` value names for this result kind, or NotAcceptable.

    A value is a name of :mod:`mcfkg.formats` (``ttl``, ``json``, ``.nq``), ``html``, or a media type.
    """
    key = value.strip().lower()
    found = find(key, {kind})
    named = HTML if key == "html" else found.media_type if found else None
    if named is None:
        canonical = {**ALIASES, **(_GRAPH_ALIASES if kind == GRAPH else {})}.get(key, key)
        named = canonical if "/" in canonical else None
    if named is None or named not in offers:
        raise NotAcceptable(f"format={value!r} cannot express this result; "
                            f"use one of {', '.join(_offered_names(kind, offers))}")
    return named


def negotiate(accept: str | None, format_param: str | Sequence[str] | None, kind: str,
              offers: tuple[str, ...] | None = None) -> str:
    """The media type to answer with: ``format=`` if given, else the Accept header.

    Several ``format`` values (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``)
    are tried in order; the first that can express this kind of result wins.
    """
    offers = offers or {SOLUTIONS: SOLUTION_TYPES, BOOLEAN: BOOLEAN_TYPES, GRAPH: GRAPH_TYPES}[kind]
    values = [format_param] if isinstance(format_param, str) else [v for v in format_param or () if v]
    if not values:
        return choose(accept, offers, kind)
    for value in values[:-1]:
        try:
            return from_format_param(value, kind, offers)
        except NotAcceptable:
            continue
    return from_format_param(values[-1], kind, offers)


_KIND_NAMES = {SOLUTIONS: "a SELECT result", BOOLEAN: "an ASK result", GRAPH: "a CONSTRUCT or DESCRIBE result"}


def query_refusal(accept: str | None, format_param: Sequence[str], kinds: Sequence[str]) -> str:
    """One 406 message for a query whose result (of one of ``kinds``) cannot be sent as asked."""
    asked = " ".join(f"format={v}" for v in format_param) if format_param else f"'Accept: {accept}'"
    what = " or ".join(_KIND_NAMES[k] for k in kinds) if len(kinds) < 3 else "any query result"
    results, graphs = "|".join(_offered_names(SOLUTIONS, SOLUTION_TYPES)), "|".join(_offered_names(GRAPH, GRAPH_TYPES))
    return (f"{asked} cannot express {what}. SELECT and ASK results come as {', '.join(SOLUTION_TYPES)} "
            f"(format={results}); CONSTRUCT and DESCRIBE results as {', '.join(GRAPH_TYPES)} (format={graphs})")


@dataclass(frozen=True)
class ResultFormats:
    """The media type to use for each kind of query result, decided before the query runs.

    A query's kind is known only once it is parsed, so the worker picks the entry for the kind
    it gets; ``None`` means that kind is not acceptable to the client (406 with ``refusal``).
    """

    solutions: str | None
    boolean: str | None
    graph: str | None
    refusal: str = ""

    @property
    def any(self) -> bool:
        return bool(self.solutions or self.boolean or self.graph)

    def for_kind(self, kind: str) -> str:
        chosen = getattr(self, kind)
        if chosen is None:
            raise NotAcceptable(self.refusal or f"no acceptable format for {_KIND_NAMES[kind]}")
        return chosen

    @classmethod
    def only(cls, media_type: str) -> "ResultFormats":
        """Ask for exactly one media type (in-process callers); other kinds are not acceptable."""
        return cls(
            solutions=media_type if media_type in SOLUTION_TYPES else None,
            boolean=media_type if media_type in BOOLEAN_TYPES else None,
            graph=media_type if media_type in GRAPH_TYPES else None,
            refusal=f"{media_type} cannot express this result",
        )


def result_formats(accept: str | None, format_param: str | Sequence[str] | None) -> ResultFormats:
    """Negotiate once per request for all three result kinds.

    Clients send the same few Accept headers over and over and the answer depends on nothing
    else, so it is cached: negotiating afresh was a quarter of the server's own time per query.
    """
    params = (format_param,) if isinstance(format_param, str) else tuple(format_param or ())
    return _result_formats(accept, params)


@lru_cache(maxsize=256)
def _result_formats(accept: str | None, format_param: tuple[str, ...]) -> ResultFormats:
    chosen: dict[str, str | None] = {}
    for kind in (SOLUTIONS, BOOLEAN, GRAPH):
        try:
            chosen[kind] = negotiate(accept, format_param, kind)
        except NotAcceptable:
            chosen[kind] = None
    refused = [kind for kind, media_type in chosen.items() if media_type is None]
    return ResultFormats(refusal=query_refusal(accept, format_param, refused) if refused else "", **chosen)
