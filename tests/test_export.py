"""Exports: every format parses back to what was exported; dist/ is complete or untouched; VoID counts are right."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from rdflib import DCAT, DCTERMS, PROV, RDF, VOID, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from mcfkg import export as export_module
from mcfkg.build import load_and_reason, load_context
from mcfkg.config import Settings
from mcfkg.export import FORMATS, export, write_dist
from mcfkg.graph import load_dataset, union_graph
from mcfkg.vocab import Vocab

V = Vocab()
PARSERS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}


@pytest.fixture
def ds(pipeline_settings: Settings) -> Dataset:
    """The reasoned fixture plus a graph of awkward values: blank nodes, datatypes, quotes, newlines, Chinese."""
    ds = load_and_reason(pipeline_settings)
    extra = ds.graph(V.GRAPH["extra"])
    note = BNode()
    extra.add((V.ID.jiuzhou, V.MCF.note, note))
    extra.add((note, V.MCF.text, Literal('says "Sichan"\nnot Sichuan', lang="en")))
    extra.add((note, V.MCF["count"], Literal(20, datatype=XSD.integer)))
    extra.add((note, V.MCF.amount, Literal("2493000000.0", datatype=XSD.decimal)))
    extra.add((note, V.MCF.on, Literal("2016-01-01", datatype=XSD.date)))
    extra.add((V.ID.mianyang, V.MCF.name, Literal("绵阳", lang="zh")))
    return ds


@pytest.mark.parametrize("fmt", [name for name, spec in FORMATS.items() if spec.quads])
def test_quad_formats_round_trip_graph_by_graph(ds: Dataset, fmt: str) -> None:
    back = Dataset()
    back.parse(data=export(ds, fmt), format=PARSERS[fmt])
    expected = {g.identifier: g for g in ds.graphs() if len(g)}
    got = {g.identifier: g for g in back.graphs() if len(g)}
    assert set(got) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), f"graph {name} changed in {fmt}"


@pytest.mark.parametrize("fmt", [name for name, spec in FORMATS.items() if not spec.quads])
def test_single_graph_formats_round_trip_the_union(ds: Dataset, pipeline_settings: Settings, fmt: str) -> None:
    data = export(ds, fmt, load_context(pipeline_settings))
    back = Graph().parse(data=data, format=PARSERS[fmt])
    assert to_isomorphic(back) == to_isomorphic(union_graph(ds))


def test_jsonld_is_compact_with_the_context_inline(ds: Dataset, pipeline_settings: Settings) -> None:
    context = load_context(pipeline_settings)
    document = json.loads(export(ds, "jsonld", context))
    assert document["@context"] == context  # an object, not a URL a reader would have to fetch
    assert any(node.get("label") for node in document["@graph"])  # terms of the context are used


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_turtle_and_trig_declare_the_prefixes_they_use_and_group_subjects(ds: Dataset, fmt: str) -> None:
    text = export(ds, fmt).decode()
    declared = dict(re.findall(r"^@prefix (\w*): <([^>]*)> \.$", text, re.MULTILINE))
    assert declared["mcf"] == str(V.MCF) and declared["mcfid"] == str(V.ID)
    body = text.split("\n", len(declared))[-1]
    assert {prefix for prefix in declared if f"{prefix}:" not in body} <= {"rdf"}  # rdf:type is written ``a``
    assert "brick" not in declared  # rdflib binds ~30 namespaces by default; only used ones are written
    if fmt == "turtle":  # one block per subject, its type first
        assert len(re.findall(r"^mcfid:jiuzhou ", text, re.MULTILINE)) == 1
        assert re.search(r"^mcfid:jiuzhou a ", text, re.MULTILINE)

def test_unknown_format_lists_the_known_ones(ds: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown export format 'yaml'.*turtle"):
        export(ds, "yaml")


def test_write_dist_writes_every_file_and_each_parses(ds: Dataset, pipeline_settings: Settings, tmp_path: Path) -> None:
    dist = tmp_path / "out" / "dist"
    written = write_dist(ds, dist, load_context(pipeline_settings), V)
    assert {p.name for p in written} == {
        "mcfkg.trig", "mcfkg.nq", "mcfkg.ttl", "mcfkg.nt", "mcfkg.rdf", "mcfkg.jsonld", "void.ttl", "context.jsonld"
    }
    # the JSON-LD dump loads through the safe loader, which refuses any context reference
    assert to_isomorphic(union_graph(load_dataset([dist / "mcfkg.jsonld"]))) == to_isomorphic(union_graph(ds))
    assert [p.name for p in dist.parent.iterdir()] == ["dist"]  # no staging directory left behind


def test_write_dist_replaces_only_its_own_files(ds: Dataset, pipeline_settings: Settings, tmp_path: Path) -> None:
    dist = tmp_path / "out" / "dist"
    dist.mkdir(parents=True)
    (dist / "marker").write_text("not ours\n")
    (dist / "mcfkg.ttl").write_text("previous build\n")
    written = write_dist(ds, dist, load_context(pipeline_settings), V)
    assert (dist / "marker").read_text() == "not ours\n"
    assert "marker" not in {p.name for p in written}
    assert (dist / "mcfkg.ttl").read_text() != "previous build\n"
    assert [p.name for p in dist.parent.iterdir()] == ["dist"]  # no staging directory left behind


def test_failed_write_leaves_the_previous_dist_intact(ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "out" / "dist"
    dist.mkdir(parents=True)
    (dist / "mcfkg.ttl").write_text("previous build\n")
    (dist / "marker").write_text("not ours\n")
    # a format no serialiser knows, after four dumps were written to the staging directory
    broken = dict(FORMATS, rdfxml=dataclasses.replace(FORMATS["rdfxml"], media_type="application/x-no-such-format"))
    monkeypatch.setattr(export_module, "FORMATS", broken)
    with pytest.raises(ValueError, match="format"):
        write_dist(ds, dist, None, V)
    assert sorted(p.name for p in dist.iterdir()) == ["marker", "mcfkg.ttl"]
    assert (dist / "mcfkg.ttl").read_text() == "previous build\n"
    assert [p.name for p in dist.parent.iterdir()] == ["dist"]


def test_void_counts_match_the_data(ds: Dataset, tmp_path: Path) -> None:
    write_dist(ds, tmp_path / "dist", None, V)
    void = Graph().parse(tmp_path / "dist" / "void.ttl")
    dataset = URIRef(V.base + "dataset")
    union = union_graph(ds)

    def number(node, prop) -> int:
        return int(void.value(node, prop))

    assert (dataset, RDF.type, VOID.Dataset) in void
    assert number(dataset, VOID.triples) == len(union)
    assert number(dataset, VOID.properties) == len(set(union.predicates()))
    assert number(dataset, VOID.distinctSubjects) == len(set(union.subjects()))
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(V.base + "sparql")
    assert str(void.value(dataset, VOID.uriSpace)) == str(V.ID)
    enterprise = next(p for p in void.objects(dataset, VOID.classPartition) if void.value(p, VOID["class"]) == V.MCF.Enterprise)
    assert number(enterprise, VOID.entities) == 1
    dumps = set(void.objects(dataset, VOID.dataDump))
    assert len(dumps) == len(FORMATS) and all(void.value(d, DCAT.mediaType) for d in dumps)
    assert number(V.inferred_graph, VOID.triples) == len(ds.graph(V.inferred_graph))
    assert number(V.GRAPH["article/p1/s1"], VOID.triples) == len(ds.graph(V.GRAPH["article/p1/s1"]))
    asserted, inferred = URIRef(f"{dataset}/asserted"), URIRef(f"{dataset}/inferred")
    assert (inferred, VOID.subset, V.inferred_graph) in void
    assert (asserted, VOID.subset, V.ontology_graph) in void
    assert number(asserted, VOID.triples) + number(inferred, VOID.triples) == sum(len(g) for g in ds.graphs())


def test_void_names_each_source_with_the_triples_of_its_fact_graphs(ds: Dataset, tmp_path: Path) -> None:
    """dcterms:source on the dataset for every mcf:SourceDocument, and a subset per source, titled like it,
    counting the triples of its fact graphs (those derived from its passages) and listing them."""
    description = ds.graph(V.GRAPH["article"])
    description.add((V.ID.article, RDF.type, V.MCF.SourceDocument))
    for sentence in ("p1/s1", "p1/s2"):
        description.add((V.GRAPH[f"article/{sentence}"], RDF.type, V.MCF.FactGraph))
    other = ds.graph(V.GRAPH["other"])  # a second source of one sentence, and no title
    other.add((V.ID.other, RDF.type, V.MCF.SourceDocument))
    other.add((V.ID["other/p1/s1"], DCTERMS.isPartOf, V.ID.other))
    other.add((V.GRAPH["other/p1/s1"], RDF.type, V.MCF.FactGraph))
    other.add((V.GRAPH["other/p1/s1"], PROV.wasDerivedFrom, V.ID["other/p1/s1"]))
    ds.graph(V.GRAPH["other/p1/s1"]).add((V.ID.jiuzhou, V.MCF.tierOneSupplierFor, V.ID.c919))
    write_dist(ds, tmp_path / "dist", None, V)
    void = Graph().parse(tmp_path / "dist" / "void.ttl")
    dataset = URIRef(V.base + "dataset")
    assert set(void.objects(dataset, DCTERMS.source)) == {V.ID.article, V.ID.other}
    article, other_part = URIRef(f"{dataset}/source/article"), URIRef(f"{dataset}/source/other")
    assert {article, other_part} <= set(void.objects(dataset, VOID.subset))
    assert (article, DCTERMS.source, V.ID.article) in void and (article, RDF.type, VOID.Dataset) in void
    assert void.value(article, DCTERMS.title) == Literal("A test article", lang="en")
    facts = [V.GRAPH["article/p1/s1"], V.GRAPH["article/p1/s2"]]
    assert int(void.value(article, VOID.triples)) == sum(len(ds.graph(g)) for g in facts)
    assert set(void.objects(article, VOID.subset)) == set(facts)
    assert int(void.value(other_part, VOID.triples)) == 1 and void.value(other_part, DCTERMS.title) is None
