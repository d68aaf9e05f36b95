"""How entity pages word amounts, quantities and numbers (mcfkg.web.entity_view)."""

from __future__ import annotations

from rdflib import RDF, Literal, URIRef

from mcfkg.vocab import Vocab
from mcfkg.web.entity_view import format_number, format_structured

SCHEMA = "https://schema.org/"
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
VOCAB = Vocab("http://example.org/kg/")


def schema(name: str) -> URIRef:
    return URIRef(SCHEMA + name)


def test_a_monetary_amount_reads_with_its_currency() -> None:
    pairs = [
        (RDF.type, schema("MonetaryAmount")),
        (schema("value"), Literal("2493000000", datatype=DECIMAL)),
        (schema("currency"), Literal("CNY")),
    ]
    assert format_structured(pairs, VOCAB) == "RMB 2,493,000,000 (CNY)"


def test_a_lower_bound_says_what_the_source_said() -> None:
    bound = [(schema("minValue"), Literal(20)), (schema("unitText"), Literal("sector"))]
    assert format_structured(bound, VOCAB) == "at least 20 sectors"
    exclusive = [*bound, (VOCAB.MCF.bound, Literal("exclusive"))]
    assert format_structured(exclusive, VOCAB) == "more than 20 sectors"
    qualified = [
        (schema("minValue"), Literal("39600000000", datatype=DECIMAL)),
        (schema("currency"), Literal("CNY")),
        (VOCAB.MCF.bound, Literal("exclusive")),
        (VOCAB.MCF.qualifier, Literal("over", lang="en")),
    ]
    assert format_structured(qualified, VOCAB) == "over RMB 39,600,000,000 (CNY)"


def test_multi_word_units_stay_as_written_and_other_nodes_are_not_amounts() -> None:
    pairs = [(schema("minValue"), Literal(40)), (schema("unitText"), Literal("technology cooperation"))]
    assert format_structured(pairs, VOCAB) == "at least 40 technology cooperation"
    assert format_structured([(schema("name"), Literal("x"))], VOCAB) == ""


def test_numbers_are_grouped_and_trimmed() -> None:
    assert format_number(Literal("8100000000", datatype=DECIMAL)) == "8,100,000,000"
    assert format_number(Literal("8.10", datatype=DECIMAL)) == "8.1"
    assert format_number("not a number") == "not a number"


def test_upper_bounds_ranges_approximations_and_coded_units_read_as_the_source_said() -> None:
    under = [(schema("maxValue"), Literal(800)), (schema("unitText"), Literal("mu")), (VOCAB.MCF.maxBound, Literal("exclusive"))]
    assert format_structured(under, VOCAB) == "less than 800 mu"
    assert format_structured([*under, (VOCAB.MCF.qualifier, Literal("under", lang="en"))], VOCAB) == "under 800 mu"
    assert format_structured([(schema("maxValue"), Literal(5))], VOCAB) == "at most 5"
    between = [(schema("minValue"), Literal(20)), (schema("maxValue"), Literal(25)), (schema("unitText"), Literal("company"))]
    assert format_structured(between, VOCAB) == "between 20 and 25 companies"
    nearly = [(VOCAB.MCF.approximateValue, Literal(2000)), (schema("unitText"), Literal("job")),
              (VOCAB.MCF.qualifier, Literal("nearly", lang="en"))]
    assert format_structured(nearly, VOCAB) == "nearly 2,000 jobs"
    share = [(VOCAB.MCF.approximateValue, Literal("15", datatype=DECIMAL)), (schema("unitCode"), Literal("P1")),
             (schema("unitText"), Literal("percent"))]
    assert format_structured(share, VOCAB) == "about 15%"
    area = [(schema("value"), Literal("3.6", datatype=DECIMAL)), (schema("unitCode"), Literal("KMK")),
            (schema("unitText"), Literal("square kilometre"))]
    assert format_structured(area, VOCAB) == "3.6 km²"
