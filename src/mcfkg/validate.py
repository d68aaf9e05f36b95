"""SHACL validation with pyshacl, and a report a person can read.

The data graph is the union of the asserted and inferred graphs, so shapes see class
memberships the reasoner derived. ``advanced=True`` makes SHACL-SPARQL constraints run.
Only ``sh:Violation`` results make the data non-conforming; warnings and infos are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node
from rich.table import Table

_LABELS = (SKOS.prefLabel, RDFS.label)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with the focus node's label and the path already made readable."""

    focus: Node
    focus_label: str
    path: str
    value: str | None
    message: str
    severity: str  # "Violation" | "Warning" | "Info"
    source_shape: str


@dataclass
class ValidationReport:
    """Whether the data conforms, every result, and pyshacl's report graph (for ``--format turtle``)."""

    conforms: bool
    results: list[ValidationResult]
    graph: Graph

    def as_table(self) -> Table:
        """A rich table: one row per result, focus label first, as a person scans it."""
        table = Table(title=f"SHACL: {len(self.results)} result(s)", show_lines=False)
        for column in ("severity", "focus node", "path", "value", "message"):
            table.add_column(column, overflow="fold")
        for r in self.results:
            table.add_row(r.severity, r.focus_label, r.path, r.value or "", r.message)
        return table

    def render(self) -> str:
        """Plain text, one line per result: ``Severity: focus label (focus) path: message``."""
        if self.conforms and not self.results:
            return "Conforms: no SHACL results."
        lines = [f"{r.severity}: {r.focus_label} [{r.path}] {r.message}" for r in self.results]
        verdict = "Conforms (warnings only)." if self.conforms else f"Does not conform: {len(self.results)} result(s)."
        return "\n".join([verdict, *lines])


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes``; ``ontology`` (if the data lacks it) supplies subclass links."""
    _, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    describe = data + ontology if ontology is not None else data
    results = sorted(
        (_result(report_graph, node, describe, shapes) for node in report_graph.subjects(SH.resultSeverity, None)),
        key=lambda r: (r.severity != "Violation", r.focus_label, r.path, r.message),
    )
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        graph=report_graph,
    )


def label(node: Node, graph: Graph) -> str:
    """A node's English (else any) label, else its prefixed name, for people to read."""
    if isinstance(node, Literal):
        return str(node)
    found = [o for p in _LABELS for o in graph.objects(node, p) if isinstance(o, Literal)]
    english = [lit for lit in found if lit.language == "en"]
    return str((english or found)[0]) if found else _short(node, graph)


def _result(report: Graph, node: Node, data: Graph, shapes: Graph) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    value = report.value(node, SH.value)
    messages = list(report.objects(node, SH.resultMessage))
    english = [m for m in messages if getattr(m, "language", None) == "en"]
    severity = report.value(node, SH.resultSeverity)
    shape = report.value(node, SH.sourceShape)
    return ValidationResult(
        focus=focus,
        focus_label=label(focus, data) if focus is not None else "",
        path=_path(report.value(node, SH.resultPath), report, data),
        value=_short(value, data) if value is not None else None,
        message=str((english or messages or ["(no message)"])[0]),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        source_shape=_short(shape, shapes) if isinstance(shape, URIRef) else "(anonymous shape)",
    )


def _path(path: Node | None, report: Graph, data: Graph) -> str:
    """A SHACL property path as text: ``p``, ``^p``, ``p/q`` or ``(p|q)``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _short(path, data)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(inverse, report, data)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(p, report, data) for p in Collection(report, alternatives)) + ")"
    if isinstance(path, BNode) and report.value(path, RDF.first) is not None:
        return "/".join(_path(p, report, data) for p in Collection(report, path))
    return str(path)


def _short(node: Node, graph: Graph) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - an IRI that has no prefixed form is shown whole
            return f"<{node}>"
    return str(node)
