"""When the safety check parses a query with rdflib (slow), and that its verdicts hold either way."""

from __future__ import annotations

import pytest

from mcfkg.sparql import safety
from mcfkg.sparql.safety import UnsafeOperation, check_nesting, check_query

PROVENANCE = ("PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?p WHERE { GRAPH ?g { ?s ?p ?o } "
              "?g prov:wasDerivedFrom ?p }")


@pytest.fixture
def no_parsing(monkeypatch):
    """Make any rdflib parse fail loudly, to prove a verdict was reached without one."""
    def refuse(text: str) -> None:
        raise AssertionError(f"parsed: {text}")
    monkeypatch.setattr(safety, "_readings", refuse)
    check_query.cache_clear()
    yield
    check_query.cache_clear()


def test_provenance_queries_need_no_parse(no_parsing) -> None:
    assert not check_query(PROVENANCE).has_dataset_clause
    assert not check_query("PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:from ?o }").has_dataset_clause


@pytest.mark.parametrize("query", [
    PROVENANCE.replace("WHERE", "FROM <http://example.org/g> WHERE"),
    PROVENANCE.replace("WHERE", "FROM\n<http://example.org/g> WHERE"),
    PROVENANCE.replace("WHERE", "\\u0046ROM <http://example.org/g> WHERE"),
])
def test_a_real_from_clause_is_still_found(query: str) -> None:
    check_query.cache_clear()
    assert check_query(query).has_dataset_clause


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p 1 SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1 } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:x ?o . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_service_next_to_other_tokens_is_still_refused(query: str) -> None:
    check_query.cache_clear()
    with pytest.raises(UnsafeOperation):
        check_query(query)


def test_code_only_drops_strings_and_comments_and_keeps_iris() -> None:
    from mcfkg.sparql.lexical import code_only, declared_prefixes

    text = ('PREFIX ex: <http://example.org/a#b> # PREFIX no: <urn:comment> ((((\n'
            'CONSTRUCT { ?s ex:p "PREFIX y: <urn:evil> ." } WHERE { ?s ex:q \'\'\'{{{\n\'\'\' }')
    kept = code_only(text)
    assert "<http://example.org/a#b>" in kept and "urn:comment" not in kept and "urn:evil" not in kept
    assert "((((" not in kept and "{{{" not in kept
    assert declared_prefixes(text) == {"ex": "http://example.org/a#b"}


def test_only_updates_with_a_where_are_tried_under_the_time_limit() -> None:
    from mcfkg.sparql.lexical import matches_patterns

    assert matches_patterns("PREFIX ex: <http://e/> DELETE { ?s ?p ?o } WHERE { ?s ex:gone ?o }")
    assert matches_patterns("DELETE WHERE { ?s ?p ?o }")
    assert not matches_patterns('INSERT DATA { <urn:a> <urn:b> "WHERE" } # WHERE in a comment')
    assert not matches_patterns("CLEAR GRAPH <urn:g> ; DROP SILENT GRAPH <urn:h>")


def test_brackets_in_comments_do_not_count_towards_nesting() -> None:
    check_nesting("ASK { ?s ?p ?o } # " + "(" * 300)
    with pytest.raises(UnsafeOperation, match="nests brackets"):
        check_nesting("ASK { " + "{" * 300 + "}" * 300 + " }")
