"""The names of every format mcfkg reads or writes, in one vocabulary.

Each format has one canonical name (``turtle``), the other names people type for it (``ttl``,
its file extension), its media type, the kinds of answer it can carry and its rdflib plugin.
``mcfkg query --format``, ``mcfkg export --format``, the HTTP ``format=`` parameter, the pages'
suffixes (``/id/mianyang.ttl``) and the dumps' file names all come from here, so a name that
works in one place works in every other.

``json`` and ``xml`` name two formats each: SPARQL results for SELECT and ASK, JSON-LD and
RDF/XML for graphs; which one is meant follows from the kind of answer.
"""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of answer a format may carry: SELECT solutions, an ASK boolean, an RDF graph.
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"
RESULTS = frozenset({SOLUTIONS, BOOLEAN})


@dataclass(frozen=True)
class Format:
    """One format: ``names[0]`` is canonical, ``suffix`` its file extension, ``rdflib`` its rdflib plugin."""

    names: tuple[str, ...]
    media_type: str
    kinds: frozenset[str]
    suffix: str
    rdflib: str = ""  # "": rdflib neither reads nor writes it (SPARQL results are pyoxigraph's)
    quads: bool = False  # keeps named graphs

    @property
    def name(self) -> str:
        return self.names[0]


_GRAPH = frozenset({GRAPH})
FORMATS: tuple[Format, ...] = (
    Format(("json", "srj"), "application/sparql-results+json", RESULTS, ".srj"),
    Format(("xml", "srx"), "application/sparql-results+xml", RESULTS, ".srx"),
    Format(("csv",), "text/csv", RESULTS, ".csv"),
    Format(("tsv",), "text/tab-separated-values", RESULTS, ".tsv"),
    Format(("turtle", "ttl"), "text/turtle", _GRAPH, ".ttl", "turtle"),
    Format(("ntriples", "nt", "n-triples"), "application/n-triples", _GRAPH, ".nt", "nt"),
    Format(("jsonld", "json-ld", "json"), "application/ld+json", _GRAPH, ".jsonld", "json-ld"),
    Format(("rdfxml", "rdf", "rdf+xml", "xml", "owl"), "application/rdf+xml", _GRAPH, ".rdf", "xml"),
    Format(("trig",), "application/trig", _GRAPH, ".trig", "trig", quads=True),
    Format(("nquads", "nq", "n-quads"), "application/n-quads", _GRAPH, ".nq", "nquads", quads=True),
    Format(("n3",), "text/n3", _GRAPH, ".n3", "n3"),
)
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if GRAPH in f.kinds)


class UnknownFormat(ValueError):
    """A format name that is not in the vocabulary for this kind of answer; the message lists the names that are."""


def names_for(kinds: frozenset[str] | set[str]) -> list[str]:
    """The canonical names of the formats that carry any of ``kinds``, in the vocabulary's order."""
    return [f.name for f in FORMATS if f.kinds & kinds]


def find(name: str, kinds: frozenset[str] | set[str]) -> Format | None:
    """The format a name (any alias, a file extension with or without its dot) means for these kinds."""
    key = name.strip().lower().removeprefix(".")
    return next((f for f in FORMATS if f.kinds & kinds and key in f.names), None)


def resolve(name: str, kinds: frozenset[str] | set[str], what: str = "format", extra: tuple[str, ...] = ()) -> Format:
    """Like :func:`find`, but UnknownFormat when nothing matches, listing every accepted name
    (``extra`` first: names the caller accepts besides the vocabulary's, such as ``table``)."""
    found = find(name, kinds)
    if found is None:
        accepted = [*extra, *(f"{f.name} ({', '.join(f.names[1:])})" if len(f.names) > 1 else f.name
                              for f in FORMATS if f.kinds & kinds)]
        raise UnknownFormat(f"unknown {what} {name!r}; use one of: {', '.join(accepted)}")
    return found


def by_name(name: str) -> Format:
    """The format whose canonical name is ``name`` (KeyError for any other string)."""
    found = next((f for f in FORMATS if f.name == name), None)
    if found is None:
        raise KeyError(name)
    return found
