"""Turn a SPARQL 1.1 Protocol HTTP request into one query or update operation.

The protocol (https://www.w3.org/TR/sparql11-protocol/) allows a query by GET, by POST of an
``application/x-www-form-urlencoded`` form, or by POST of the query itself as
``application/sparql-query``; an update only by POST (form or ``application/sparql-update``).
Exactly one query or update per request; text must be UTF-8; the dataset comes from
``default-graph-uri``/``named-graph-uri`` (queries) or ``using-graph-uri``/
``using-named-graph-uri`` (updates), given in the URL or, for forms, in the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

# Characters an IRI may not contain (the IRIREF production of SPARQL and Turtle).
_NOT_IN_IRI = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


class ProtocolError(ValueError):
    """The request breaks the protocol; ``status`` is 400 or 415 and the message says how to fix it."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryOperation:
    text: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # format= overrides of content negotiation, in order


@dataclass(frozen=True)
class UpdateOperation:
    text: str
    using_graph_uris: tuple[str, ...] = ()
    using_named_graph_uris: tuple[str, ...] = ()


Params = list[tuple[str, str]]


def _values(params: Params, name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _single(params: Params, name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise ProtocolError(f"the request has {len(values)} '{name}' parameters; send exactly one {name} per request")
    return values[0] if values else None


def _iris(params: Params, name: str) -> tuple[str, ...]:
    iris = _values(params, name)
    for iri in iris:
        if ":" not in iri or any(ch in _NOT_IN_IRI for ch in iri):
            raise ProtocolError(f"{name}={iri!r} is not an absolute IRI")
    return tuple(iris)


def _query(text: str, params: Params) -> QueryOperation:
    if _values(params, "update"):
        raise ProtocolError("a request carries either a query or an update, not both")
    return QueryOperation(text, _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"),
                          tuple(_values(params, "format") + _values(params, "output")))  # output=: Fuseki's name


def _update(text: str, params: Params) -> UpdateOperation:
    if _values(params, "query"):
        raise ProtocolError("a request carries either a query or an update, not both")
    return UpdateOperation(text, _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri"))


def parse_query_string(raw: str | bytes) -> Params:
    """Decode ``a=b&c=d`` strictly: percent-escapes must decode to UTF-8."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the parameters are not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc


def from_get(url_params: Params) -> QueryOperation | None:
    """The query of a GET request, or None when there is none (then: the service description)."""
    if _values(url_params, "update"):
        raise ProtocolError("an update must be sent with POST (form field 'update' or application/sparql-update), "
                            "never with GET")
    text = _single(url_params, "query")
    return None if text is None else _query(text, url_params)


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    main, *params = [part.strip() for part in content_type.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return main.lower(), charset


def _utf8(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(f"the body is declared as {charset}; this endpoint reads SPARQL as UTF-8 only")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the body is not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                            "send SPARQL encoded as UTF-8") from exc


def from_post(content_type: str | None, body: bytes, url_params: Params) -> QueryOperation | UpdateOperation:
    """The query or update of a POST request."""
    media_type, charset = _media_type(content_type)
    if media_type == FORM:
        _utf8(body, charset)
        params = url_params + parse_query_string(body)
        query, update = _single(params, "query"), _single(params, "update")
        if query is not None:
            return _query(query, params)
        if update is not None:
            return _update(update, params)
        raise ProtocolError("the form has neither a 'query' nor an 'update' field")
    if media_type == SPARQL_QUERY:
        return _query(_utf8(body, charset), url_params)
    if media_type == SPARQL_UPDATE:
        return _update(_utf8(body, charset), url_params)
    shown = media_type or "no Content-Type"
    raise ProtocolError(f"cannot read a POST body with {shown}; use {FORM} (query= or update=), "
                        f"{SPARQL_QUERY} or {SPARQL_UPDATE}", status=415)
