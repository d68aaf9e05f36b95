"""Terms and named graphs written as TriG text, byte for byte the same on every run.

The generator writes text itself rather than through rdflib: a 1M-triple data set is written
one source at a time, and each graph is only a dict of formatted terms until it is written out
(no rdflib objects, no second copy). Terms are formatted once, when they are added, so a graph
is counted exactly as a parser will read it: a triple added twice to one graph counts once.
"""

from __future__ import annotations

from typing import TextIO

MCF = "https://w3id.org/mcfkg/def/"
ID = "https://w3id.org/mcfkg/id/"
GRAPH = "https://w3id.org/mcfkg/graph/"

PREFIXES = {
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "mcf": MCF,
    "mcfg": GRAPH,
    "mcfid": ID,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def entity(slug: str) -> str:
    """``mcfid:slug``; slugs are lower-case words joined by hyphens, always a valid prefixed name."""
    return f"mcfid:{slug}"


def iri(text: str) -> str:
    """A full IRI (for passages and fact graphs, whose ``/p1/s2`` a prefixed name cannot carry)."""
    return f"<{text}>"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def en(text: str) -> str:
    """An English language-tagged string."""
    return _quoted(text) + "@en"


def zh(text: str) -> str:
    """A Chinese language-tagged string."""
    return _quoted(text) + "@zh"


def plain(text: str) -> str:
    """An ``xsd:string``."""
    return _quoted(text)


def typed(text: str, datatype: str) -> str:
    """A literal of an ``xsd:`` datatype, e.g. ``typed("2018-04-28", "date")``."""
    return f"{_quoted(text)}^^xsd:{datatype}"


def decimal(value: int) -> str:
    """Money in base units, an ``xsd:decimal`` as the shapes require (RMB 2.493 billion is 2493000000)."""
    return typed(str(value), "decimal")


def integer(value: int) -> str:
    """An ``xsd:integer`` (Turtle's bare number)."""
    return str(value)


def boolean(value: bool) -> str:
    return "true" if value else "false"


class NamedGraph:
    """The triples of one named graph, by subject then predicate, in the order they were added."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subjects: dict[str, dict[str, list[str]]] = {}
        self.count = 0

    def add(self, subject: str, predicate: str, obj: str) -> None:
        objects = self._subjects.setdefault(subject, {}).setdefault(predicate, [])
        if obj not in objects:
            objects.append(obj)
            self.count += 1

    def write(self, out: TextIO) -> None:
        """The graph as a TriG block; nothing for an empty graph (TriG would keep no trace of it)."""
        if not self.count:
            return
        out.write(f"{self.name} {{\n")
        for subject, predicates in self._subjects.items():
            lines = [f"{predicate} {' , '.join(objects)}" for predicate, objects in predicates.items()]
            out.write(f"    {subject} " + " ;\n        ".join(lines) + " .\n")
        out.write("}\n\n")


def write_header(out: TextIO, comment: str) -> None:
    """The comment lines and every prefix the generated files use."""
    for line in comment.splitlines():
        out.write(f"# {line}\n")
    for prefix, namespace in PREFIXES.items():
        out.write(f"@prefix {prefix}: <{namespace}> .\n")
    out.write("\n")
