"""Content negotiation: q-values, wildcards, specificity, combined Accept headers, format=, 406."""

from __future__ import annotations

import pytest

from mcfkg.sparql.negotiation import (
    BOOLEAN,
    GRAPH,
    HTML,
    SOLUTIONS,
    NotAcceptable,
    negotiate,
    parse_accept,
    quality,
    result_formats,
)

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, SOLUTIONS, JSON),  # no header: anything, server's preference
        ("", GRAPH, "text/turtle"),
        ("*/*", SOLUTIONS, JSON),
        ("text/csv", SOLUTIONS, "text/csv"),
        ("application/sparql-results+xml", SOLUTIONS, XML),
        # q-values decide, not the order in the header
        ("text/csv;q=0.5, text/tab-separated-values", SOLUTIONS, "text/tab-separated-values"),
        ("application/sparql-results+json;q=0.1, application/sparql-results+xml;q=0.9", SOLUTIONS, XML),
        # the most specific range sets the quality: text/csv is refused although text/* is welcome
        ("text/*, text/csv;q=0, text/xml;q=0", SOLUTIONS, "text/tab-separated-values"),
        ("*/*;q=0.1, text/turtle;q=0", GRAPH, "application/n-triples"),
        # a browser: HTML first, generic XML next; for solutions the XML results win over */*
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SOLUTIONS, XML),
        # generic XML asks for RDF/XML when the answer is a graph
        ("application/xml", GRAPH, "application/rdf+xml"),
        ("application/json", SOLUTIONS, JSON),
        ("application/json", GRAPH, "application/ld+json"),
        # SPARQLWrapper's combined headers
        ("application/sparql-results+json,application/json,text/javascript,application/javascript", SOLUTIONS, JSON),
        ("application/rdf+xml,application/xml", GRAPH, "application/rdf+xml"),
        ("text/rdf+n3,application/n-triples,application/turtle,application/n3,text/n3,text/turtle", GRAPH,
         "text/turtle"),
        ("application/ld+json,application/x-json+ld", GRAPH, "application/ld+json"),
        # parameters other than q are ignored, case does not matter
        ("TEXT/CSV; charset=utf-8; q=0.7, text/tab-separated-values;q=0.6", SOLUTIONS, "text/csv"),
        ("application/trig", GRAPH, "application/trig"),
        # ASK answers in CSV and TSV too (Fuseki does)
        ("text/csv", BOOLEAN, "text/csv"),
        ("text/tab-separated-values", BOOLEAN, "text/tab-separated-values"),
        # a wildcard matches what we would send as Content-Type, not aliases such as text/xml
        ("text/*", SOLUTIONS, "text/csv"),
        ("text/*", BOOLEAN, "text/csv"),
        ("text/*", GRAPH, "text/turtle"),
        ("text/xml", SOLUTIONS, XML),  # an alias named in full still counts
        # lenient parsing: empty elements and malformed q are ignored, not a 406
        (",,,", SOLUTIONS, JSON),
        ("text/csv;q=abc", SOLUTIONS, "text/csv"),
        ("text/csv;q=nan, application/sparql-results+json;q=0.5", SOLUTIONS, "text/csv"),
        ("text/csv;;q=0.5;, , text/tab-separated-values;q=0.4", SOLUTIONS, "text/csv"),
    ],
)
def test_accept_header_picks_the_best_format(accept: str | None, kind: str, expected: str) -> None:
    assert negotiate(accept, None, kind) == expected


@pytest.mark.parametrize(
    ("accept", "kind"),
    [("image/png", SOLUTIONS), ("text/turtle", BOOLEAN), ("text/csv", GRAPH), ("*/*;q=0", GRAPH),
     ("text/turtle;q=0", GRAPH)],
)
def test_nothing_acceptable_is_refused_with_the_alternatives(accept: str, kind: str) -> None:
    with pytest.raises(NotAcceptable, match="available"):
        negotiate(accept, None, kind)


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("json", SOLUTIONS, JSON),
        ("json", GRAPH, "application/ld+json"),
        ("xml", SOLUTIONS, XML),
        ("xml", GRAPH, "application/rdf+xml"),
        ("csv", SOLUTIONS, "text/csv"),
        ("TSV", SOLUTIONS, "text/tab-separated-values"),
        ("turtle", GRAPH, "text/turtle"),
        ("n3", GRAPH, "text/n3"),
        ("rdf+xml", GRAPH, "application/rdf+xml"),
        ("json-ld", GRAPH, "application/ld+json"),
        ("text/csv", SOLUTIONS, "text/csv"),  # a full media type works too
        ("application/n-quads", GRAPH, "application/n-quads"),
    ],
)
def test_format_parameter_overrides_accept(value: str, kind: str, expected: str) -> None:
    assert negotiate("image/png", value, kind) == expected


def test_repeated_format_parameters_are_tried_in_order() -> None:
    assert negotiate(None, ("tsv", "text/tab-separated-values"), SOLUTIONS) == "text/tab-separated-values"
    assert negotiate(None, ("rdf+xml", "application/rdf+xml"), GRAPH) == "application/rdf+xml"
    assert negotiate(None, ("bogus", "csv"), SOLUTIONS) == "text/csv"


def test_format_parameter_that_cannot_express_the_result_is_406() -> None:
    with pytest.raises(NotAcceptable, match="csv"):
        negotiate(None, "turtle", SOLUTIONS)
    with pytest.raises(NotAcceptable):
        negotiate(None, "no-such-format", GRAPH)


def test_html_is_chosen_only_when_offered() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser, None, GRAPH, ("text/turtle", HTML)) == HTML
    assert negotiate("text/turtle, text/html;q=0.5", None, GRAPH, ("text/turtle", HTML)) == "text/turtle"


def test_malformed_ranges_are_ignored_and_q_is_clamped() -> None:
    ranges = parse_accept("garbage, text/csv;q=7, text/tsv;q=abc, text/n3;q=-1")
    assert quality(ranges, "text/csv") == 1.0
    assert quality(ranges, "text/tsv") == 1.0  # a malformed q is ignored: the range keeps the default
    assert quality(ranges, "text/n3") == 0.0


def test_format_names_offered_are_the_ones_that_work() -> None:
    with pytest.raises(NotAcceptable) as refused:
        negotiate(None, "html", SOLUTIONS)
    assert "html" not in str(refused.value).split("use one of")[1]
    assert "csv" in str(refused.value)


def test_result_formats_decides_every_kind_at_once() -> None:
    formats = result_formats("text/csv, text/turtle;q=0.5", None)
    assert (formats.solutions, formats.boolean, formats.graph) == ("text/csv", "text/csv", "text/turtle")
    graphs_only = result_formats("text/turtle", None)
    with pytest.raises(NotAcceptable, match="cannot express a SELECT result or an ASK result"):
        graphs_only.for_kind(BOOLEAN)


@pytest.mark.parametrize(("accept", "format_param"), [("image/png", None), (None, "bogus"), (None, "html")])
def test_one_refusal_message_for_a_query_nothing_can_express(accept, format_param) -> None:
    message = result_formats(accept, format_param).refusal
    assert message.count("cannot express") == 1 and message.count("SELECT and ASK results come as") == 1
    assert "format=json|xml|csv|tsv" in message and "html" not in message.replace(f"format={format_param}", "")
