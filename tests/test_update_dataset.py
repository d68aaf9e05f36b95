"""using-graph-uri / using-named-graph-uri written into updates as USING clauses, at the right places."""

from __future__ import annotations

import pytest

from mcfkg.sparql.update_dataset import UpdateDatasetConflict, apply_using


def test_using_goes_before_each_top_level_where() -> None:
    update = ('PREFIX where: <http://e/> INSERT { ?s <http://e/p> "WHERE {" } WHERE { ?s ?p ?o } ; '
              "DELETE WHERE { ?s ?p 1 } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { ?s ?p ?o } }")
    rewritten = apply_using(update, ("http://g/1",), ("http://g/2",))
    assert rewritten.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 2
    assert "DELETE WHERE { ?s ?p 1 }" in rewritten  # the short form takes no USING
    assert '"WHERE {"' in rewritten  # strings are left alone


def test_nothing_changes_without_protocol_graphs() -> None:
    assert apply_using("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", (), ()) .startswith("WITH")


@pytest.mark.parametrize("update", [
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } using named <http://g> where { ?s ?p ?o }",
])
def test_own_using_or_with_conflicts_with_protocol_graphs(update: str) -> None:
    with pytest.raises(UpdateDatasetConflict):
        apply_using(update, ("http://other",), ())


def test_keywords_inside_iris_comments_and_prefixed_names_are_not_clauses() -> None:
    update = "# WITH <x>\nINSERT { <http://e/WITH> <http://e/p> ex:USING } WHERE { ?s ?p ?o }"
    assert "USING <http://g> WHERE" in apply_using(update, ("http://g",), ())
