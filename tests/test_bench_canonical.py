"""``canonical()`` of bench/serving.py: the benchmark trusts it to say two systems gave the same answer.

Each test feeds it SPARQL JSON results the way the peers write them (Oxigraph, Virtuoso's 2008
``typed-literal``, rdflib) and checks that equal answers compare equal and different ones do not.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def serving() -> ModuleType:
    """bench/serving.py, imported as its script imports its neighbours (``query_mix``, ``synthetic``)."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("serving")
    finally:
        sys.path.remove(str(BENCH))


def select(*rows: dict[str, Any]) -> bytes:
    variables = sorted({name for row in rows for name in row})
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": list(rows)}}).encode()


def iri(value: str) -> dict[str, str]:
    return {"type": "uri", "value": value}


def literal(value: str, **extra: str) -> dict[str, str]:
    return {"type": "literal", "value": value, **extra}


def test_rows_compare_as_a_multiset_in_any_order(serving: ModuleType) -> None:
    first = {"s": iri("http://ex.org/a"), "o": literal("x")}
    second = {"s": iri("http://ex.org/b"), "o": literal("y")}
    assert serving.canonical(select(first, second)) == serving.canonical(select(second, first))
    assert serving.canonical(select(first, first)) != serving.canonical(select(first)), "a duplicate row counts"


def test_numbers_compare_as_numbers_whatever_their_lexical_form(serving: ModuleType) -> None:
    oxigraph = select({"n": literal("42", datatype=XSD + "integer")}, {"n": literal("1.50", datatype=XSD + "decimal")})
    virtuoso = select({"n": {"type": "typed-literal", "value": " 42.0", "datatype": XSD + "integer"}},
                      {"n": literal("1.5", datatype=XSD + "decimal")})
    assert serving.canonical(oxigraph) == serving.canonical(virtuoso)
    assert serving.canonical(oxigraph) != serving.canonical(select({"n": literal("43", datatype=XSD + "integer")},
                                                                   {"n": literal("1.5", datatype=XSD + "decimal")}))


def test_language_tags_are_case_folded_and_either_key_is_read(serving: ModuleType) -> None:
    assert serving.canonical(select({"l": literal("Beijing", **{"xml:lang": "en-GB"})})) == \
        serving.canonical(select({"l": literal("Beijing", lang="en-gb")}))
    assert serving.canonical(select({"l": literal("Beijing", **{"xml:lang": "en"})})) != \
        serving.canonical(select({"l": literal("Beijing", **{"xml:lang": "zh"})}))


def test_a_plain_literal_equals_an_xsd_string_but_not_an_iri(serving: ModuleType) -> None:
    plain = serving.canonical(select({"o": literal("x")}))
    assert plain == serving.canonical(select({"o": literal("x", datatype=XSD + "string")}))
    assert plain != serving.canonical(select({"o": iri("x")}))


def test_a_real_mismatch_is_detected_and_described(serving: ModuleType) -> None:
    reference = serving.canonical(select({"s": iri("http://ex.org/a")}, {"s": iri("http://ex.org/b")}))
    answer = serving.canonical(select({"s": iri("http://ex.org/a")}, {"s": iri("http://ex.org/c")}))
    assert answer != reference
    described = serving.difference(answer, reference)
    assert "1 extra, 1 missing" in described and "http://ex.org/c" in described and "http://ex.org/b" in described


def test_booleans_compare_by_value(serving: ModuleType) -> None:
    assert serving.canonical(b'{"head": {}, "boolean": true}') == ("boolean", True)
    assert serving.canonical(b'{"head": {}, "boolean": true}') != serving.canonical(b'{"head": {}, "boolean": false}')
