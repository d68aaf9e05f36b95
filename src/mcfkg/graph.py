"""Read ontology and data files safely into one rdflib Dataset.

Safe means: nothing is fetched and nothing explodes. Turtle, TriG, N-Triples and N-Quads never
fetch; RDF/XML is parsed with external entities off (the Python default), and a document that
declares entities at all is refused (``mcfkg.xml_entities``); JSON-LD would fetch any ``@context``
or ``@import`` given by reference (rdflib 7.6 has no document-loader hook), so such documents
are refused before rdflib sees them and the checked JSON is handed over already parsed.

Each file is parsed completely into a scratch dataset before anything is merged, so a
malformed file leaves the target untouched; the error names the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload
from xml.sax import SAXParseException

from rdflib import OWL, RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.parser import PythonInputSource
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import IdentifiedNode, Node

from mcfkg.vocab import CANONICAL_BASE, Vocab
from mcfkg.xml_entities import REFUSAL, declares_entities

if TYPE_CHECKING:
    from mcfkg.config import Settings

# File extension -> rdflib parser name. Quad formats keep their named graphs.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
_LINE_FORMATS = {"nt", "nquads"}


class LoadError(Exception):
    """A file that cannot be read as RDF: where (path, line if known) and why."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


def source_files(settings: "Settings") -> list[Path]:
    """The files a build reads: the ontology first, every TriG file of ``data/`` in name order, then
    the ingested sources, ``data/sources/*.trig`` (written by ``mcfkg ingest``), in name order.

    The vendored source texts in ``data/sources/`` and any notes (``.md``, ``.txt``) are for
    people and provenance, not RDF.
    """
    return [
        settings.ontology_dir / "mcf.ttl",
        *sorted(settings.data_dir.glob("*.trig")),
        *sorted((settings.data_dir / "sources").glob("*.trig")),
    ]


def rdf_format(path: Path) -> str:
    """The rdflib parser for a file, from its extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise LoadError(path, None, f"unknown RDF file extension {path.suffix!r}; use one of {known}") from None


def canonical(node: Node) -> Node:
    """An ``xsd:decimal`` literal in XSD canonical form (``2493000000`` becomes ``2493000000.0``).

    rdflib's Turtle and TriG writers print decimals that way, so without this an exported
    decimal would come back as a different literal; every other node is returned unchanged.
    """
    if isinstance(node, Literal) and node.datatype == XSD.decimal and node.value is not None:
        if not any(mark in node for mark in ".eE"):
            return Literal(f"{node}.0", datatype=XSD.decimal)
    return node


@overload
def rebase(node: IdentifiedNode, base_iri: str, from_base: str = ...) -> IdentifiedNode: ...
@overload
def rebase(node: Node, base_iri: str, from_base: str = ...) -> Node: ...


def rebase(node: Node, base_iri: str, from_base: str = CANONICAL_BASE) -> Node:
    """``node`` with the canonical base replaced by ``base_iri``; other nodes unchanged.

    IRIs and ``xsd:anyURI`` literals are both IRIs under the base: the shapes declare their
    SPARQL prefixes as ``sh:namespace "…/def/"^^xsd:anyURI``, and those must move with the data.
    """
    if base_iri == from_base or not isinstance(node, (URIRef, Literal)) or not node.startswith(from_base):
        return node
    if isinstance(node, URIRef):
        return URIRef(base_iri + node[len(from_base) :])
    if node.datatype == XSD.anyURI:
        return Literal(base_iri + node[len(from_base) :], datatype=XSD.anyURI)
    return node


def load_dataset(paths: Iterable[Path], base_iri: str = CANONICAL_BASE) -> Dataset:
    """Parse ``paths`` into one Dataset, rebased to ``base_iri``, decimals in :func:`canonical` form.

    A triple-format file (Turtle, N-Triples, RDF/XML, JSON-LD) becomes one named graph: the
    ontology graph if it declares an ``owl:Ontology``, otherwise ``graph/<file stem>``.
    TriG and N-Quads files keep their own graphs. Raises :class:`LoadError` on the first bad file;
    files before it have been merged, the bad one contributes nothing.
    """
    vocab = Vocab(base_iri)
    ds = Dataset()
    for path in paths:
        scratch = parse_file(Path(path))
        add_quads(ds, _quads(scratch, Path(path), vocab), scratch.namespaces(), base_iri)
    return ds


def add_quads(ds: Dataset, quads: Iterable[tuple[Node, Node, Node, IdentifiedNode]], namespaces: Iterable[tuple[str, str]],
              base_iri: str = CANONICAL_BASE) -> Dataset:
    """``ds`` with ``quads`` and ``namespaces`` (canonical base) as :func:`load_dataset` reads a file of them:
    rebased to ``base_iri``, decimals in :func:`canonical` form. Returns ``ds``."""
    if not base_iri.endswith("/"):
        base_iri += "/"
    for prefix, namespace in namespaces:
        ds.bind(prefix, rebase(URIRef(namespace), base_iri), override=False)
    for s, p, o, graph_name in quads:
        target = ds.graph(rebase(graph_name, base_iri)) if graph_name != DATASET_DEFAULT_GRAPH_ID else ds.default_graph
        target.add((rebase(s, base_iri), rebase(p, base_iri), canonical(rebase(o, base_iri))))
    return ds


def load_graph(path: Path, base_iri: str = CANONICAL_BASE) -> Graph:
    """One file as a single graph (e.g. the SHACL shapes), with the same safety as :func:`load_dataset`."""
    return union_graph(load_dataset([path], base_iri))


def union_graph(ds: Dataset, exclude: Iterable[URIRef] = ()) -> Graph:
    """Every triple of every graph of ``ds`` (minus the graphs named in ``exclude``) in one Graph."""
    skip = set(exclude)
    union = Graph()
    for prefix, namespace in ds.namespaces():
        union.bind(prefix, namespace, override=False)
    for s, p, o, graph_name in ds.quads((None, None, None, None)):
        if graph_name not in skip:
            union.add((s, p, o))
    return union


def _quads(scratch: Dataset, path: Path, vocab: Vocab) -> Iterator[tuple[Node, Node, Node, IdentifiedNode]]:
    """The quads of one parsed file; a triple-format file's triples get the file's graph name."""
    if FORMATS[path.suffix.lower()] in {"trig", "nquads"}:
        for s, p, o, graph_name in scratch.quads((None, None, None, None)):
            yield s, p, o, graph_name if graph_name is not None else DATASET_DEFAULT_GRAPH_ID
        return
    triples = scratch.default_graph
    is_ontology = next(triples.subjects(RDF.type, OWL.Ontology), None) is not None
    graph_name = vocab.ontology_graph if is_ontology else vocab.GRAPH[path.stem]
    for s, p, o in triples:
        yield s, p, o, graph_name


def parse_file(path: Path) -> Dataset:
    """Parse one file into a fresh Dataset, translating every parser error into a LoadError."""
    fmt = rdf_format(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, None, f"cannot read file: {exc.strerror or exc}") from None
    if fmt == "xml" and declares_entities(text):
        raise LoadError(path, None, REFUSAL)
    scratch = Dataset()
    try:
        if fmt == "json-ld":
            scratch.parse(PythonInputSource(_checked_json(path, text), path.resolve().as_uri()), format=fmt)
        else:
            scratch.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except LoadError:
        raise
    except BadSyntax as exc:
        raise LoadError(path, exc.lines + 1, exc._why) from None  # BadSyntax counts lines from 0
    except SAXParseException as exc:
        raise LoadError(path, exc.getLineNumber(), exc.getMessage()) from None
    except ParserError as exc:
        line = _first_bad_line(text, fmt) if fmt in _LINE_FORMATS else None
        raise LoadError(path, line, str(exc).split("\n")[0]) from None
    except Exception as exc:  # noqa: BLE001 - any other parser failure is still a bad input file
        raise LoadError(path, None, f"{type(exc).__name__}: {exc}") from None
    return scratch


def _checked_json(path: Path, text: bytes) -> Any:
    """The JSON of a JSON-LD file, refused if any context is a reference rdflib would fetch."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(path, exc.lineno, exc.msg) from None
    except UnicodeDecodeError as exc:
        raise LoadError(path, None, f"not UTF-8 text: {exc.reason}") from None
    reference = next(_context_references(data), None)
    if reference is not None:
        raise LoadError(
            path,
            None,
            f"JSON-LD context {reference!r} is a reference that would be fetched; "
            "mcfkg never fetches contexts: embed the context object in the document",
        )
    return data


def _context_references(value: Any) -> Iterator[str]:
    """Every string in ``@context`` (or a context's ``@import``) anywhere in a JSON document."""
    if isinstance(value, list):
        for item in value:
            yield from _context_references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "@import"):
                for entry in item if isinstance(item, list) else [item]:
                    if isinstance(entry, str):
                        yield entry
            yield from _context_references(item)


def _first_bad_line(text: bytes, fmt: str) -> int | None:
    """Line-based formats: the number of the first line that does not parse on its own."""
    for number, line in enumerate(text.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Dataset().parse(data=line, format=fmt)
        except Exception:  # noqa: BLE001 - we only want to know which line fails
            return number
    return None


__all__ = [
    "FORMATS",
    "LoadError",
    "load_dataset",
    "canonical",
    "load_graph",
    "rdf_format",
    "rebase",
    "source_files",
    "union_graph",
]
