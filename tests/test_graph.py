"""Loading files into a Dataset: graphs per file, rebasing, errors with file and line, no fetching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDFS, XSD, Literal, URIRef

from mcfkg.config import Settings
from mcfkg.graph import LoadError, load_dataset, source_files, union_graph
from mcfkg.vocab import Vocab

CANON = Vocab()


def _load(settings: Settings, base: str | None = None):
    return load_dataset(source_files(settings), base or settings.base_iri)


def test_source_files_lists_ontology_then_trig_in_name_order(pipeline_settings: Settings) -> None:
    (pipeline_settings.data_dir / "a-first.trig").write_text("")
    files = source_files(pipeline_settings)
    assert files[0] == pipeline_settings.ontology_dir / "mcf.ttl"
    assert [f.name for f in files[1:]] == ["a-first.trig", "article.trig"]


def test_source_files_skip_vendored_sources_and_notes(pipeline_settings: Settings) -> None:
    """data/ also holds the source texts and READMEs; only TriG files are RDF: those of data/ itself,
    then the ingested sources of data/sources/ (``mcfkg ingest``)."""
    (pipeline_settings.data_dir / "README.md").write_text("# notes\n")
    (pipeline_settings.data_dir / "sources").mkdir()
    (pipeline_settings.data_dir / "sources" / "article.txt").write_text("Plain text, not RDF.\n")
    (pipeline_settings.data_dir / "sources" / "b-ingested.trig").write_text("")
    (pipeline_settings.data_dir / "sources" / "deeper").mkdir()
    (pipeline_settings.data_dir / "sources" / "deeper" / "nested.trig").write_text("not even trig")
    assert [f.name for f in source_files(pipeline_settings)[1:]] == ["article.trig", "b-ingested.trig"]
    assert len(union_graph(_load(pipeline_settings)))  # loading them all does not trip over the other files


def test_ontology_goes_to_its_graph_and_trig_keeps_its_graphs(pipeline_settings: Settings) -> None:
    ds = _load(pipeline_settings)
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert CANON.ontology_graph in names
    assert {CANON.GRAPH["article/p1/s1"], CANON.GRAPH["article/p1/s2"], CANON.GRAPH["curation"]} <= names
    assert (CANON.MCF.Enterprise, RDFS.label, Literal("enterprise", lang="en")) in ds.graph(CANON.ontology_graph)
    assert (CANON.ID.jiuzhou, CANON.MCF.tierOneSupplierFor, CANON.ID.c919) in ds.graph(CANON.GRAPH["article/p1/s1"])


def test_other_turtle_file_gets_a_graph_named_after_it(tmp_path: Path) -> None:
    extra = tmp_path / "extra-facts.ttl"
    extra.write_text('<https://w3id.org/mcfkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    ds = load_dataset([extra])
    assert len(ds.graph(CANON.GRAPH["extra-facts"])) == 1


def test_rebase_rewrites_every_canonical_iri_including_graph_names(pipeline_settings: Settings) -> None:
    base = "http://localhost:8000/kg/"
    ds = _load(pipeline_settings, base)
    local = Vocab(base)
    assert (local.ID.jiuzhou, local.MCF.tierOneSupplierFor, local.ID.c919) in ds.graph(local.GRAPH["article/p1/s1"])
    every_iri = {t for quad in ds.quads((None, None, None, None)) for t in quad if isinstance(t, URIRef)}
    assert not any(str(iri).startswith("https://w3id.org/mcfkg/") for iri in every_iri)


def test_rebase_rewrites_anyuri_literals_such_as_shacl_prefix_declarations(tmp_path: Path) -> None:
    """SHACL-SPARQL prefixes are ``sh:namespace "…"^^xsd:anyURI``: left unrebased, every SPARQL constraint misfires."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/mcfkg/shapes/> sh:declare [ sh:prefix "mcf" ;\n'
        '  sh:namespace "https://w3id.org/mcfkg/def/"^^xsd:anyURI ] .\n'
        '<https://w3id.org/mcfkg/shapes/> <http://www.w3.org/2000/01/rdf-schema#comment> "https://w3id.org/mcfkg/ is our base" .\n'
    )
    union = union_graph(load_dataset([shapes], "http://localhost:8000/kg/"))
    namespace = Literal("http://localhost:8000/kg/def/", datatype=XSD.anyURI)
    assert (None, URIRef("http://www.w3.org/ns/shacl#namespace"), namespace) in union
    assert (None, RDFS.comment, Literal("https://w3id.org/mcfkg/ is our base")) in union  # text is not an IRI


def test_union_graph_holds_every_graph_and_can_exclude_one(pipeline_settings: Settings) -> None:
    ds = _load(pipeline_settings)
    union = union_graph(ds)
    assert (CANON.ID.jiuzhou, RDFS.label, Literal("四川九洲电器集团", lang="zh")) in union
    assert (CANON.MCF.Enterprise, RDFS.label, Literal("enterprise", lang="en")) in union
    assert (CANON.MCF.Enterprise, None, None) not in union_graph(ds, exclude=[CANON.ontology_graph])


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", '@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', 3),
        ("bad.trig", "@prefix ex: <http://e/> .\nex:g {\n ex:a ex:b ex:c .\n ex:a ex:b ex:c ex:d .\n}\n", 4),
        ("bad.nt", "<http://e/a> <http://e/b> <http://e/c> .\n\n<http://e/a> <http://e/b> .\n", 3),
        ("bad.nq", "<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n<http://e/a> <http://e/b> .\n", 2),
        ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<x>\n</rdf:RDF>\n', 4),
        ("bad.jsonld", '{\n "@id": "http://e/a",\n "http://e/b": \n}\n', 4),
    ],
)
def test_malformed_file_reports_file_and_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(LoadError) as caught:
        load_dataset([path])
    assert caught.value.path == path
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert caught.value.message


def test_error_in_one_data_file_names_that_file(pipeline_settings: Settings) -> None:
    bad = pipeline_settings.data_dir / "zz-broken.trig"
    bad.write_text('@prefix ex: <http://e/> .\nex:g { ex:a ex:b ex:c . }\nex:g2 { ex:a ex:b "open\n')
    with pytest.raises(LoadError, match="zz-broken.trig:3"):
        _load(pipeline_settings)


def test_unknown_extension_says_which_are_known(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(LoadError, match="unknown RDF file extension '.csv'.*ttl"):
        load_dataset([path])


@pytest.mark.parametrize(
    "document",
    [
        lambda url: {"@context": f"{url}/ctx.jsonld", "@id": "http://e/a", "b": "c"},
        lambda url: {"@context": [{"x": "http://e/x"}, f"{url}/ctx.jsonld"], "@id": "http://e/a", "b": "c"},
        lambda url: {"@context": {"@import": f"{url}/ctx.jsonld"}, "@id": "http://e/a", "b": "c"},
        lambda url: {"@context": {"t": {"@id": "http://e/t", "@context": f"{url}/ctx.jsonld"}}, "@id": "http://e/a"},
        lambda url: {"@graph": [{"@context": f"{url}/ctx.jsonld", "@id": "http://e/a", "b": "c"}]},
    ],
    ids=["top", "in-list", "import", "scoped", "nested"],
)
def test_jsonld_with_remote_context_is_refused_without_fetching(tmp_path: Path, context_server, document) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(document(context_server.url)))
    with pytest.raises(LoadError, match="would be fetched"):
        load_dataset([path])
    assert context_server.requests == []


def test_jsonld_with_file_context_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"b": "http://e/b"}}))
    path = tmp_path / "local.jsonld"
    path.write_text(json.dumps({"@context": "ctx.jsonld", "@id": "http://e/a", "b": "c"}))
    with pytest.raises(LoadError, match="'ctx.jsonld' is a reference"):
        load_dataset([path])


def test_jsonld_with_inline_context_loads(tmp_path: Path) -> None:
    path = tmp_path / "inline.jsonld"
    path.write_text(json.dumps({"@context": {"b": "http://e/b"}, "@id": "http://e/a", "b": "c"}))
    ds = load_dataset([path])
    assert (URIRef("http://e/a"), URIRef("http://e/b"), Literal("c")) in union_graph(ds)


def test_decimals_are_loaded_in_canonical_form_so_turtle_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "amounts.ttl"
    path.write_text('<https://w3id.org/mcfkg/id/f> <https://w3id.org/mcfkg/def/amount> "2493000000"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n')
    union = union_graph(load_dataset([path]))
    (amount,) = union.objects()
    assert str(amount) == "2493000000.0" and amount.value == 2493000000
    back = type(union)().parse(data=union.serialize(format="turtle"), format="turtle")
    assert set(back) == set(union)


def test_rdfxml_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    path = tmp_path / "xxe.rdf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">\n'
        '  <rdf:Description rdf:about="http://e/a"><ex:b>&leak;</ex:b></rdf:Description>\n</rdf:RDF>\n'
    )
    with pytest.raises(LoadError, match="DTD entity declarations") as refused:  # refused before any parser reads it
        load_dataset([path])
    assert "TOPSECRET" not in str(refused.value)
