"""SHACL validation, and a report a person can read.

The data graph is the union of the asserted and inferred graphs, so shapes see class
memberships the reasoner derived. :mod:`mcfkg.shacl` validates (SHACL Core and SHACL-SPARQL
constraints, the same report as pySHACL in a fraction of the time); shapes using a feature it
does not implement are validated by pySHACL instead, with a warning, so no shape is ever skipped.
Only ``sh:Violation`` results make the data non-conforming; warnings and infos are reported.
"""

from __future__ import annotations

import logging
from collections.abc import Set
from dataclasses import dataclass

from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from mcfkg import shacl
from mcfkg.tables import TextTable

log = logging.getLogger(__name__)

_LABELS = (SKOS.prefLabel, RDFS.label)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with the focus node's label and the path already made readable."""

    focus: Node | None
    focus_label: str
    path: str
    value: str | None
    message: str
    severity: str  # "Violation" | "Warning" | "Info"


@dataclass
class ValidationReport:
    """Whether the data conforms, every result, and the SHACL report graph (for ``--format turtle``)."""

    conforms: bool
    results: list[ValidationResult]
    graph: Graph

    def as_table(self) -> TextTable:
        """One row per result, focus label first, as a person scans it (see :func:`mcfkg.tables.print_table`)."""
        table = TextTable(("severity", "focus node", "path", "value", "message"),
                          title=f"SHACL: {len(self.results)} result(s)")
        for r in self.results:
            table.add_row(r.severity, r.focus_label, r.path, r.value or "", r.message)
        return table


def validate(data: Graph, shapes: Graph, focus: Set[Node] | None = None) -> ValidationReport:
    """Validate ``data`` (already reasoned, ontology included) against ``shapes``.

    With ``focus``, only those focus nodes are validated (:mod:`mcfkg.incremental.validation`). That
    needs :mod:`mcfkg.shacl`: shapes it cannot evaluate raise :class:`mcfkg.shacl.Unsupported` then,
    since pySHACL's own restriction leaves blank nodes out; validate everything instead.
    """
    try:
        found = shacl.results(data, shapes, focus)
    except shacl.Unsupported as reason:
        if focus is not None:
            raise
        log.warning("mcfkg.shacl cannot validate these shapes (%s); validating with pySHACL, which is much slower",
                    reason)
        report_graph = pyshacl_report(data, shapes)
    else:
        conforms = not any(r.severity == SH.Violation for r in found)
        report_graph = shacl.report_graph(found, conforms, shapes, data)
    results = sorted(
        (_result(report_graph, node, data) for node in report_graph.subjects(SH.resultSeverity, None)),
        key=lambda r: (r.severity != "Violation", r.focus_label, r.path, r.message),
    )
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        graph=report_graph,
    )


def pyshacl_report(data: Graph, shapes: Graph) -> Graph:
    """pySHACL's report graph: the fallback, and the oracle the tests and ``bench/validation.py`` compare with."""
    from pyshacl import validate as pyshacl_validate  # only the fallback and the tests' oracle: 0.3 s per build saved

    _, report_graph, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                          allow_warnings=True)
    return report_graph


def label(node: Node, graph: Graph) -> str:
    """A node's English (else any) label, else its prefixed name, for people to read."""
    if isinstance(node, Literal):
        return str(node)
    found = [o for p in _LABELS for o in graph.objects(node, p) if isinstance(o, Literal)]
    english = [lit for lit in found if lit.language == "en"]
    return str((english or found)[0]) if found else short_name(node, graph)


def _result(report: Graph, node: Node, data: Graph) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    value = report.value(node, SH.value)
    messages = list(report.objects(node, SH.resultMessage))
    english = [m for m in messages if getattr(m, "language", None) == "en"]
    severity = report.value(node, SH.resultSeverity)
    return ValidationResult(
        focus=focus,
        focus_label=label(focus, data) if focus is not None else "",
        path=_path(report.value(node, SH.resultPath), report, data),
        value=short_name(value, data) if value is not None else None,
        message=str((english or messages)[0]) if messages else "(no message)",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
    )


def _path(path: Node | None, report: Graph, data: Graph) -> str:
    """A SHACL property path as text: ``p``, ``^p``, ``p/q`` or ``(p|q)``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return short_name(path, data)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(inverse, report, data)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(p, report, data) for p in Collection(report, alternatives)) + ")"
    if isinstance(path, BNode) and report.value(path, RDF.first) is not None:
        return "/".join(_path(p, report, data) for p in Collection(report, path))
    return str(path)


def short_name(node: Node, graph: Graph) -> str:
    """An IRI as ``prefix:local`` with ``graph``'s prefixes (``<iri>`` if none fits); other nodes as text."""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - an IRI that has no prefixed form is shown whole
            return f"<{node}>"
    return str(node)
