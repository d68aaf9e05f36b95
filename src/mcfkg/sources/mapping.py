"""A CSV file as a source, through a declared CSVW mapping: one fact graph per row, derived from that row.

The mapping is a CSVW metadata file (W3C "Metadata Vocabulary for Tabular Data"; the ``csvw``
package reads it, parses and checks every cell by its column's datatype and expands the
``aboutUrl``, ``propertyUrl`` and ``valueUrl`` templates). It describes one table, names its CSV
file by ``url`` and the source's description, a Turtle file, by ``rdfs:seeAlso``; both lie in the
mapping's folder::

    projects.csv                  the table
    projects.csv-metadata.json    the mapping: columns, datatypes, IRI templates
    projects.source.ttl           the mcf:SourceDocument mcfid:<id> (title, publisher, URL, dates)

Each data row that yields facts (the CSVW "Generating RDF from Tabular Data" rules, minimal mode)
becomes the graph ``mcfg:<id>/row/<n>``, declared in the source's graph ``mcfg:<id>`` as an
``mcf:FactGraph`` that ``prov:wasDerivedFrom`` the row: an ``mcf:Passage`` (also a ``csvw:Row``)
``mcfid:<id>/p<n>/s1`` with ``csvw:rownum n``, the file and its line as ``dcterms:identifier
"projects.csv#row=<line>"`` (an RFC 7111 fragment, as CSVW's own row URLs) and the row's title
(``rowTitles``) as its excerpt when it is short enough. A table is numbered like a document whose
paragraph n is data row n, each one sentence; the source says so in a ``skos:editorialNote``.

Nothing is fetched and nothing outside the mapping's folder is read: every link of the mapping
(``url``, ``rdfs:seeAlso``) must be a relative path inside the folder, schema and dialect must be
inline, and ``@base`` is refused, so the library never resolves a reference on its own.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from mcfkg.graph import LoadError, canonical, load_dataset
from mcfkg.vocab import CANONICAL_BASE, Vocab

Quad = tuple[Node, Node, Node, URIRef]
CSVW = Namespace("http://www.w3.org/ns/csvw#")
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
METADATA_SUFFIXES = (".json", ".jsonld")
_HTTP_SCHEMA_ORG = "http://schema.org/"  # CSVW's prefix "schema:"; mcfkg uses https://schema.org/
_XSD_NAMES = {"number": "double", "datetime": "dateTime", "any": "anyAtomicType", "binary": "base64Binary"}
_RDF_DATATYPES = {"json": CSVW.JSON, "xml": RDF.XMLLiteral, "html": RDF.HTML}  # CSVW's mapping of these bases
_EXCERPT = re.compile(r"^\S+(\s+\S+){0,5}$")  # the shapes' limit: six words, 60 characters
_CSVW_WARNINGS = r"csvw(\.|$)"  # the library's warnings (an unusable property, an unknown column) are errors here
Triple = tuple[Node, Node, Node]


class MappingError(ValueError):
    """A mapping, its CSV or its description that cannot become a source; the message says what to change."""


def is_mapping(path: Path) -> bool:
    """Whether ``path`` is read through a CSVW mapping: a ``.csv`` file (its mapping beside it) or a JSON
    file whose ``@context`` is the CSVW one (a JSON-LD document of RDF never has that context)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return True
    if suffix not in METADATA_SUFFIXES:
        return False
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False  # not ours to report: the JSON-LD reader says what is wrong with it
    context = data.get("@context") if isinstance(data, dict) else None
    return context == CSVW_CONTEXT or (isinstance(context, list) and CSVW_CONTEXT in context)


def read_mapped(path: Path) -> set[Quad]:
    """The quads of the source a CSVW mapping describes (canonical base), checked to be one source.

    ``path`` is the mapping (``*-metadata.json``) or its CSV file, whose mapping is then located as
    CSVW says: ``<file>-metadata.json``, else ``csv-metadata.json``, in the same folder.
    """
    metadata_path = _locate_metadata(path) if path.suffix.lower() == ".csv" else path
    folder = metadata_path.resolve().parent
    metadata = _read_json(metadata_path)
    table_description = _one_table(metadata_path, metadata)
    _refuse_fetching(metadata_path, metadata)
    _refuse_fetching(metadata_path, table_description)
    csv_path = _inside(folder, metadata_path, "url", table_description.get("url"))
    if path.suffix.lower() == ".csv" and csv_path != path.resolve():
        raise MappingError(f"{metadata_path}: this mapping describes {csv_path.name}, not {path.name}")
    description_path = _inside(folder, metadata_path, "rdfs:seeAlso", _link(metadata, table_description))
    if description_path.suffix.lower() != ".ttl":
        raise MappingError(f"{metadata_path}: the source description (rdfs:seeAlso) must be a Turtle file (.ttl)")

    vocab = Vocab(CANONICAL_BASE)
    description = _read_description(description_path)
    document, source_id = _document(description_path, description, vocab)
    source_graph = vocab.GRAPH[source_id]
    quads: set[Quad] = {(s, p, o, source_graph) for s, p, o in description}
    rows = 0
    for number, line, triples, title in _rows(metadata_path, metadata, csv_path):
        rows += 1
        if not triples:
            continue  # a row that states nothing needs no passage (the shapes refuse one without facts)
        graph = URIRef(f"{source_graph}/row/{number}")
        passage = URIRef(f"{document}/p{number}/s1")
        quads |= {(s, p, o, graph) for s, p, o in triples}
        quads |= {(s, p, o, source_graph)
                  for s, p, o in _provenance(passage, graph, document, csv_path.name, number, line, title)}
    if not rows:
        raise MappingError(f"{csv_path}: the table has no data rows")
    quads.add((document, SKOS.editorialNote, Literal(
        f"A table ({csv_path.name}) read through a CSVW mapping: paragraph n is its data row n (csvw:rownum, "
        "after the header), each row one sentence; the facts of row n are the graph …/row/n.", lang="en"),
        source_graph))
    return quads


def _rows(metadata_path: Path, metadata: dict[str, Any], csv_path: Path
          ) -> list[tuple[int, int, set[Triple], str | None]]:
    """(data row number from 1, line in the file, its triples, its title) for every row, by the CSVW rules.

    The title is the row's ``rowTitles`` cells, for the passage's excerpt.
    """
    rows: list[tuple[int, int, set[Triple], str | None]] = []
    from csvw import Table, TableGroup  # type: ignore[import-untyped]  # read the mapping; imported when needed

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", category=UserWarning, module=_CSVW_WARNINGS)
            if "tables" in metadata:
                group = TableGroup.fromvalue(metadata)
                group._fname = metadata_path  # relative template results resolve to a path: refused below
                table = group.tables[0]
            else:
                table = Table.fromvalue(metadata)
                table._fname = metadata_path
    except (ValueError, TypeError, KeyError, AssertionError, UserWarning) as exc:
        raise MappingError(f"{metadata_path}: not a usable CSVW table description: {exc}") from None
    columns = list(table.tableSchema.columns)
    if not columns:
        raise MappingError(f"{metadata_path}: the mapping declares no columns (tableSchema.columns)")
    row_titles = list(table.tableSchema.rowTitles or [])
    default_about = table.tableSchema.inherit("aboutUrl")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", category=UserWarning, module=_CSVW_WARNINGS)
            for number, (_, line, row) in enumerate(
                    table.iterdicts(with_metadata=True, fname=csv_path, strict=True), start=1):
                triples: set[Triple] = set()
                row_subject: Node = _iri(table, default_about, row, number, None, metadata_path, "aboutUrl") \
                    if default_about else BNode()
                for column in columns:
                    if column.suppressOutput:
                        continue
                    value = row.get(column.header)
                    if column.virtual:
                        values: list[Any] = [None]
                    elif value is None or value == "" or value == []:
                        continue
                    else:
                        values = [v for v in (value if isinstance(value, list) else [value]) if v is not None]
                    about = column.inherit("aboutUrl")
                    subject = _iri(table, about, row, number, column.name, metadata_path, "aboutUrl") \
                        if about else row_subject
                    predicate = _property(table, column, row, number, metadata_path)
                    for item in values:
                        triples.add((subject, predicate, _object(table, column, row, number, item, metadata_path)))
                titles = [str(row[name]) for name in row_titles if row.get(name) not in (None, "")]
                rows.append((number, line, triples, " ".join(titles) or None))
    except MappingError:
        raise
    except (ValueError, UserWarning) as exc:  # a cell that does not fit its column, a header the mapping lacks
        message = str(exc)  # csvw's own messages name the file, line and column of a bad cell
        raise MappingError(message if message.startswith(str(csv_path)) else f"{csv_path}: {message}") from None
    return rows


def _property(table: Any, column: Any, row: Mapping[str, Any], number: int, where: Path) -> URIRef:
    template = column.inherit("propertyUrl")
    if not template:
        raise MappingError(f"{where}: column {column.name!r} has no propertyUrl; give each column that is not "
                           "suppressOutput the property its cells state")
    return _iri(table, template, row, number, column.name, where, "propertyUrl")


def _object(table: Any, column: Any, row: Mapping[str, Any], number: int, value: Any, where: Path) -> Node:
    template = column.inherit("valueUrl")
    if template:
        return _iri(table, template, row, number, column.name, where, "valueUrl")
    if column.virtual:
        raise MappingError(f"{where}: virtual column {column.name!r} needs a valueUrl")
    return _literal(column, value)


def _iri(table: Any, template: Any, row: Mapping[str, Any], number: int, name: str | None, where: Path,
         what: str) -> URIRef:
    """A URI template of the mapping expanded for one row; only absolute http(s) IRIs are accepted."""
    expanded = table.expand(template, row, _row=number, _name=name)
    text = str(expanded)
    if isinstance(expanded, Path) or not re.match(r"^https?://[^\s{}<>\"]+$", text):
        raise MappingError(f"{where}: {what} {getattr(template, 'uri', template)!r} gives {text!r} for row {number}; "
                           "templates must give absolute http(s) IRIs (write them in full)")
    if text.startswith(_HTTP_SCHEMA_ORG):
        raise MappingError(f"{where}: {what} gives {text}: mcfkg uses https://schema.org/ (CSVW's prefix schema: "
                           "is http://schema.org/); write the IRI in full")
    return URIRef(text)


def _literal(column: Any, value: Any) -> Literal:
    """A cell's value as the literal its column's datatype says, in canonical lexical form."""
    datatype = column.inherit("datatype")
    base = datatype.base if datatype else "string"
    custom = datatype.at_props.get("id") if datatype else None
    if isinstance(value, bool):
        lexical = "true" if value else "false"
    elif isinstance(value, decimal.Decimal):  # 45500000.50 and 45500000.5 are one number, one literal
        lexical = format(value.normalize(), "f")
    elif isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        lexical = value.isoformat()
    else:
        lexical = str(value)
    if base == "string" and not custom:
        lang = column.inherit("lang")
        return Literal(lexical, lang=lang) if lang and lang != "und" else Literal(lexical)
    iri = URIRef(custom) if custom else _RDF_DATATYPES.get(base) or XSD[_XSD_NAMES.get(base, base)]
    literal = canonical(Literal(lexical, datatype=iri))
    assert isinstance(literal, Literal)
    return literal


def _provenance(passage: URIRef, graph: URIRef, document: URIRef, file_name: str, number: int, line: int,
                title: str | None) -> Iterator[Triple]:
    """The row as a passage of the source, and the row's graph declared as derived from it."""
    mcf = Vocab(CANONICAL_BASE).MCF
    yield passage, RDF.type, mcf.Passage
    yield passage, RDF.type, CSVW.Row
    yield passage, RDFS.label, Literal(f"{file_name}, row {number}", lang="en")
    yield passage, DCTERMS.isPartOf, document
    yield passage, mcf.paragraph, Literal(number)
    yield passage, mcf.sentence, Literal(1)
    yield passage, CSVW.rownum, Literal(number)
    yield passage, DCTERMS.identifier, Literal(f"{file_name}#row={line}")
    if title and len(title) <= 60 and _EXCERPT.match(title):
        yield passage, mcf.excerpt, Literal(title)
    yield graph, RDF.type, mcf.FactGraph
    yield graph, PROV.wasDerivedFrom, passage


def _locate_metadata(csv_path: Path) -> Path:
    """The CSVW mapping of a CSV file: ``<file>-metadata.json``, else ``csv-metadata.json`` beside it."""
    for candidate in (csv_path.with_name(csv_path.name + "-metadata.json"), csv_path.with_name("csv-metadata.json")):
        if candidate.is_file():
            return candidate
    raise MappingError(f"{csv_path}: a CSV file is ingested through its CSVW mapping, {csv_path.name}-metadata.json "
                       "(or csv-metadata.json) beside it; none was found")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise MappingError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise MappingError(f"{path}:{exc.lineno}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise MappingError(f"{path}: not UTF-8 text: {exc.reason}") from None
    if not isinstance(data, dict):
        raise MappingError(f"{path}: a CSVW mapping is one JSON object")
    context = data.get("@context")
    if isinstance(context, list):
        extra = [c for c in context if c != CSVW_CONTEXT]
        if any(not isinstance(c, dict) or "@base" in c for c in extra):
            raise MappingError(f"{path}: @context may add only @language to {CSVW_CONTEXT} (no @base: links are "
                               "relative to the mapping's folder)")
    elif context != CSVW_CONTEXT:
        raise MappingError(f"{path}: a CSVW mapping has the @context {CSVW_CONTEXT!r}")
    return data


def _one_table(path: Path, metadata: dict[str, Any]) -> dict[str, Any]:
    """The one table a mapping describes (a table, or a table group of one table)."""
    if "tables" not in metadata:
        return metadata
    tables = metadata["tables"]
    if not isinstance(tables, list) or len(tables) != 1 or not isinstance(tables[0], dict):
        raise MappingError(f"{path}: a source is one CSV file; this mapping describes {len(tables) if isinstance(tables, list) else 'no'} "
                           "tables. Map each file as its own source")
    table: dict[str, Any] = tables[0]
    return table


def _refuse_fetching(path: Path, description: dict[str, Any]) -> None:
    """Schema and dialect inline, no foreign keys and no transformations: nothing the library would go and get."""
    for key in ("tableSchema", "dialect"):
        if key in description and not isinstance(description[key], dict):
            raise MappingError(f"{path}: give {key} inline (a JSON object), not as a link: mcfkg reads nothing but "
                               "the CSV and the source description beside the mapping")
    schema = description.get("tableSchema")
    if isinstance(schema, dict) and schema.get("foreignKeys"):
        raise MappingError(f"{path}: foreignKeys are not supported: a source is one CSV file")
    if description.get("transformations"):
        raise MappingError(f"{path}: transformations are not supported: the mapping itself says what RDF each cell is")


def _link(metadata: dict[str, Any], table: dict[str, Any]) -> Any:
    """The mapping's ``rdfs:seeAlso`` (on the table or the group): a string or ``{"@id": ...}``."""
    value = table.get("rdfs:seeAlso", metadata.get("rdfs:seeAlso"))
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@id")
    return value


def _inside(folder: Path, where: Path, what: str, link: Any) -> Path:
    """A link of the mapping as a file inside the mapping's folder; absolute paths, URLs and ``..`` are refused."""
    if not isinstance(link, str) or not link:
        needs = "the CSV file" if what == "url" else "the source description (a Turtle file)"
        raise MappingError(f"{where}: the mapping must name {needs} by {what}, a path relative to the mapping")
    relative = PurePosixPath(link)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", link) or relative.is_absolute() or ".." in relative.parts \
            or "\\" in link or any(mark in link for mark in "?#"):
        raise MappingError(f"{where}: {what} {link!r} must be a relative path inside the mapping's folder "
                           "(no URL, no absolute path, no '..'): mcfkg reads nothing else")
    target = (folder / Path(*relative.parts)).resolve()
    if not target.is_relative_to(folder):
        raise MappingError(f"{where}: {what} {link!r} leads outside the mapping's folder (a symbolic link?)")
    if not target.is_file():
        raise MappingError(f"{where}: {what} {link!r}: no such file beside the mapping")
    return target


def _read_description(path: Path) -> set[Triple]:
    try:
        dataset = load_dataset([path], CANONICAL_BASE)
    except LoadError as exc:
        raise MappingError(str(exc)) from None
    return {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}


def _document(path: Path, triples: set[Triple], vocab: Vocab) -> tuple[URIRef, str]:
    """The source document the description describes, and its id (checked by ``read_incoming``)."""
    documents = sorted({s for s, p, o in triples
                        if p == RDF.type and o == vocab.MCF.SourceDocument and isinstance(s, URIRef)})
    if len(documents) != 1:
        found = ", ".join(str(d) for d in documents) or "none"
        raise MappingError(f"{path}: the source description describes exactly one mcf:SourceDocument (found {found})")
    document = documents[0]
    if not document.startswith(vocab.ID):
        raise MappingError(f"{path}: the source document {document} must be named {vocab.ID}<id>")
    return document, document[len(vocab.ID):]


__all__ = ["MappingError", "is_mapping", "read_mapped"]
