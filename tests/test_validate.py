"""SHACL validation: each kind of violation is caught and reported with focus label, path and message."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, SH, XSD, Graph, Literal
from rich.console import Console

from mcfkg.build import load_and_reason, load_shapes
from mcfkg.config import Settings
from mcfkg.graph import union_graph
from mcfkg.tables import print_table
from mcfkg.validate import validate
from mcfkg.vocab import Vocab

V = Vocab()
FUND = V.ID["special-fund"]


@pytest.fixture
def data(pipeline_settings: Settings) -> Graph:
    return union_graph(load_and_reason(pipeline_settings))


@pytest.fixture
def shapes(pipeline_settings: Settings) -> Graph:
    return load_shapes(pipeline_settings)


def test_fixture_data_conforms(data: Graph, shapes: Graph) -> None:
    report = validate(data, shapes)
    assert report.conforms and report.results == [], report.results


def _corrupt_amount_to_text(g: Graph) -> None:
    g.set((FUND, V.MCF.amount, Literal("five hundred million")))


def _corrupt_amount_negative(g: Graph) -> None:
    g.set((FUND, V.MCF.amount, Literal("-1", datatype=XSD.decimal)))


def _drop_label(g: Graph) -> None:
    g.remove((V.ID.c919, RDFS.label, None))


def _wrong_class(g: Graph) -> None:
    g.add((FUND, V.MCF.grantedTo, V.ID.c919))


def _drop_currency(g: Graph) -> None:
    g.remove((FUND, V.MCF.currency, None))


@pytest.mark.parametrize(
    ("corrupt", "focus_label", "path", "message"),
    [
        (_corrupt_amount_to_text, "national special fund", "mcf:amount", "A fund's amount is one xsd:decimal."),
        (_corrupt_amount_negative, "national special fund", "mcf:amount", "A fund's amount cannot be negative."),
        (_drop_label, "mcfid:c919", "rdfs:label", "A product needs a label."),
        (_wrong_class, "national special fund", "mcf:grantedTo", "A fund is granted to an organisation."),
        (_drop_currency, "national special fund", "mcf:currency", "A fund with an amount must state its currency."),
    ],
    ids=["amount-as-text", "negative-amount", "missing-label", "wrong-class", "sparql-constraint"],
)
def test_each_kind_of_violation_is_reported(data: Graph, shapes: Graph, corrupt, focus_label: str, path: str, message: str) -> None:
    data.bind("mcf", V.MCF)
    data.bind("mcfid", V.ID)
    corrupt(data)
    report = validate(data, shapes)
    assert not report.conforms
    rows = [(r.focus_label, r.path, r.message, r.severity) for r in report.results]
    assert (focus_label, path, message, "Violation") in rows
    assert {(r.focus_label, r.path) for r in report.results} == {(focus_label, path)}  # nothing else is flagged
    assert (None, RDF.type, SH.ValidationReport) in report.graph  # the SHACL report graph, for --format turtle
    assert (None, SH.conforms, Literal(False)) in report.graph
    console = Console(record=True, width=200, force_terminal=True)
    print_table(report.as_table(), console)
    table_text = console.export_text()
    assert focus_label in table_text and path in table_text and message in table_text


def test_warnings_are_reported_but_do_not_break_conformance(data: Graph, shapes: Graph) -> None:
    shapes.update(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX mcf: <https://w3id.org/mcfkg/def/>
        INSERT DATA { mcf:WarnShape a sh:NodeShape ; sh:targetClass mcf:Product ;
            sh:property [ sh:path mcf:madeBy ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "Say who makes a product."@en ] . }"""
    )
    report = validate(data, shapes)
    assert report.conforms
    assert [(r.severity, r.message) for r in report.results] == [("Warning", "Say who makes a product.")]
