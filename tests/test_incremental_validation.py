"""Incremental validation (issue 13): a new source validated against a built graph's state gives the
full validation's verdict and violations.

The oracle is :func:`mcfkg.build.validate_dataset` on the whole new graph. The base is the shipped
data without its ingested source; the new sources are that ingested source (valid), a generated
one (valid, on generated data) and small hand-written ones, most of which break a shape only
through what they link to in the base. The reach the
shapes read is checked against ``ontology/shapes.ttl``, so a deeper shape fails here first.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, BNode, Dataset, Graph, URIRef

from mcfkg.build import load_and_reason, load_shapes, validate_dataset
from mcfkg.config import Settings
from mcfkg.graph import load_dataset, source_files, union_graph
from mcfkg.incremental.reach import shape_reach
from mcfkg.incremental.errors import NotIncremental
from mcfkg.incremental.state import open_state, write_state
from mcfkg.incremental.validation import validate_change
from mcfkg.reason import consequences, infer
from mcfkg.validate import ValidationReport, validate
from mcfkg.vocab import Vocab

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from generate import generate  # noqa: E402

V = Vocab()
SETTINGS = Settings()
INGESTED = SETTINGS.data_dir / "sources" / "mianyang-mcf-special-fund-2018-04-28.trig"
MCF, SCHEMA, ORG, PROV = V.MCF, "https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#"
SOURCE_ID = "test-release"


@dataclass
class Base:
    """The base graph: its dataset, asserted triples, validation closure and state store."""

    ds: Dataset
    stated: frozenset
    closure: frozenset
    store: ox.Store


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(SETTINGS)


def make_base(settings: Settings, files: list[Path], dist: Path) -> Base:
    """The graph of ``files`` built and written as a state in ``dist``."""
    ds = load_and_reason(settings, files=files)
    stated = frozenset(union_graph(ds, exclude=[V.inferred_graph]))
    found = consequences(stated, V)
    dump = dist / "mcfkg.nq"
    ds.serialize(dump, format="nquads")
    write_state(dist, dump, found.validation, found.published)
    store = open_state(dist, dump)
    assert store is not None
    return Base(ds, stated, frozenset(found.validation), store)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    """The shipped data without its ingested source."""
    files = [f for f in source_files(SETTINGS) if f != INGESTED]
    return make_base(SETTINGS, files, tmp_path_factory.mktemp("dist"))


def both(base: Base, source_file: Path, shapes: Graph, settings: Settings = SETTINGS,
         ) -> tuple[ValidationReport, ValidationReport]:
    """The incremental report and the full one, for the base plus the source in ``source_file``
    (``settings`` name the shapes of the full one: ``shapes`` must be theirs)."""
    source = load_dataset([source_file])
    whole = Dataset()
    for prefix, namespace in (*base.ds.namespaces(), *source.namespaces()):
        whole.bind(prefix, namespace, override=False)
    for dataset in (base.ds, source):
        for s, p, o, g in dataset.quads((None, None, None, None)):
            if g != V.inferred_graph:
                whole.graph(g).add((s, p, o))
    infer(whole, V)
    stated = frozenset(union_graph(whole, exclude=[V.inferred_graph]))
    added = stated - base.stated
    added_closure = frozenset(consequences(stated, V).validation) - base.closure
    return (validate_change(base.store, added, added_closure, source, shapes, V),
            validate_dataset(whole, settings))


def violations(report: ValidationReport) -> Counter:
    """The violations as the tests compare them (a blank focus node is any blank node: each load names its own)."""
    return Counter((r.focus if not isinstance(r.focus, BNode) else "_:b", r.focus_label, r.path, r.message, r.severity)
                   for r in report.results if r.severity == "Violation")


def release(tmp_path: Path, facts: str) -> Path:
    """A one-sentence source whose fact graph holds ``facts`` (Turtle), laid out as ``mcfkg ingest`` writes it."""
    passage, graph = f"<{V.ID}{SOURCE_ID}/p1/s1>", f"<{V.GRAPH}{SOURCE_ID}/p1/s1>"
    path = tmp_path / f"{SOURCE_ID}.trig"
    path.write_text(f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix mcf: <{MCF}> .
@prefix mcfg: <{V.GRAPH}> .
@prefix mcfid: <{V.ID}> .
@prefix org: <{ORG}> .
@prefix prov: <{PROV}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <{SCHEMA}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

{graph} {{ {facts} }}

mcfg:{SOURCE_ID} {{
    {graph} a mcf:FactGraph ; prov:wasDerivedFrom {passage} .
    {passage} a mcf:Passage ; rdfs:label "test release, paragraph 1, sentence 1"@en ;
        dcterms:isPartOf mcfid:{SOURCE_ID} ; mcf:paragraph 1 ; mcf:sentence 1 .
    mcfid:{SOURCE_ID} a mcf:SourceDocument ; rdfs:label "test release"@en ; dcterms:title "A test release"@en ;
        dcterms:language "en" ; dcterms:publisher mcfid:ndrc ; mcf:dateStated false .
}}
""")
    return path


def test_the_shipped_ingested_source_conforms_as_in_the_full_validation(base: Base, shapes: Graph) -> None:
    incremental, full = both(base, INGESTED, shapes)
    assert full.conforms, full.results
    assert incremental.conforms and violations(incremental) == violations(full) == Counter()


def test_a_generated_source_conforms_as_in_the_full_validation(tmp_path: Path, shapes: Graph) -> None:
    """The last source bench/generate writes (the newest file: no earlier source needs its entities)
    added to the others: many more shapes at work than in the hand-written sources."""
    generate(tmp_path / "data", 3_000, seed=3)
    settings = Settings(data_dir=tmp_path / "data")
    files = source_files(settings)
    last = max((tmp_path / "data" / "sources").glob("*.trig"), key=lambda f: f.stat().st_mtime_ns)
    base = make_base(settings, [f for f in files if f != last], tmp_path)
    assert validate_dataset(base.ds, settings).conforms
    incremental, full = both(base, last, shapes, settings)
    assert full.conforms, full.results
    assert incremental.conforms and violations(incremental) == violations(full) == Counter()


VALID = {
    "a new tier-1 supplier of an existing product, with its relationship": """
        mcfid:new-supplier a org:Organization ; rdfs:label "New Supplier"@en ; mcf:tierOneSupplierFor mcfid:c919 .
        mcfid:new-supply a mcf:SupplierRelationship ; rdfs:label "New Supplier for the C919"@en ;
            mcf:supplier mcfid:new-supplier ; mcf:suppliedProduct mcfid:c919 ; mcf:supplierTier 1 .""",
    "an existing set outnumbering in the province its city lies in, through a new province": """
        mcfid:mianyang-innovation-platforms mcf:outnumbersOtherCitiesIn mcfid:west-sichuan .
        mcfid:west-sichuan a mcf:Province ; rdfs:label "West Sichuan"@en ; mcf:locatedIn mcfid:china .
        mcfid:mianyang mcf:locatedIn mcfid:west-sichuan .""",
}

INVALID = {
    "a tier-1 supplier statement without its SupplierRelationship": """
        mcfid:ndrc mcf:tierOneSupplierFor mcfid:c919 .""",
    "a count credited to an existing city that is not in the province it outnumbers": """
        mcfid:mianyang-innovation-platforms mcf:outnumbersOtherCitiesIn mcfid:hubei .
        mcfid:hubei a mcf:Province ; rdfs:label "Hubei"@en ; mcf:locatedIn mcfid:china .""",
    "a grant with two amounts in one source": """
        mcfid:mianyang-mcf-grant mcf:amount mcfid:amount-1 , mcfid:amount-2 .
        mcfid:amount-1 a schema:MonetaryAmount ; rdfs:label "RMB 1"@en ; schema:currency "CNY" ;
            schema:value "1.0"^^xsd:decimal .
        mcfid:amount-2 a schema:MonetaryAmount ; rdfs:label "RMB 2"@en ; schema:currency "CNY" ;
            schema:value "2.0"^^xsd:decimal .""",
    "an existing plan approved by an existing product": """
        mcfid:mianyang-mcf-cluster-plan mcf:approvedBy mcfid:c919 .""",
    "a new grant granted by an existing product": """
        mcfid:new-grant a mcf:Grant ; rdfs:label "new grant"@en ; mcf:grantedBy mcfid:c919 ;
            mcf:funds mcfid:mianyang-mcf-cluster-plan ; mcf:amount mcfid:amount-1 .
        mcfid:amount-1 a schema:MonetaryAmount ; rdfs:label "RMB 1"@en ; schema:currency "CNY" ;
            schema:value "1.0"^^xsd:decimal .""",
    "an existing product typed as a grant, which it lacks everything of": """
        mcfid:c919 a mcf:Grant .""",
    "a new passage no fact graph is derived from": f"""
        <{V.ID}{SOURCE_ID}/p9/s9> a mcf:Passage ; rdfs:label "orphan"@en ; dcterms:isPartOf mcfid:{SOURCE_ID} ;
            mcf:paragraph 9 ; mcf:sentence 9 .""",
}


@pytest.mark.parametrize("facts", VALID.values(), ids=VALID.keys())
def test_a_valid_source_linking_to_existing_entities_conforms(base: Base, shapes: Graph, tmp_path: Path,
                                                             facts: str) -> None:
    incremental, full = both(base, release(tmp_path, facts), shapes)
    assert full.conforms, [r.message for r in full.results]
    assert incremental.conforms, [r.message for r in incremental.results]


@pytest.mark.parametrize("facts", INVALID.values(), ids=INVALID.keys())
def test_an_invalid_source_gives_the_full_validations_violations(base: Base, shapes: Graph, tmp_path: Path,
                                                                facts: str) -> None:
    incremental, full = both(base, release(tmp_path, facts), shapes)
    assert not full.conforms
    assert not incremental.conforms
    assert violations(incremental) == violations(full)


# Shapes that a triple far from the focus node can break (ontology/shapes.ttl has none: what it reads
# two steps away, a new triple can only satisfy), so only walking back from it finds the focus node.
FAR_READING = {
    "sh:not on a value node's class": ("""
        mcfsh:NotCreditedToACountry a sh:NodeShape ; sh:targetSubjectsOf mcf:creditedTo ;
            sh:property [ sh:path mcf:creditedTo ; sh:not [ sh:class mcf:Country ] ;
                sh:message "credited to a country" ] .
        """, "mcfid:mianyang a mcf:Country ."),
    "a SPARQL pattern three steps away": ("""
        mcfsh:NotInAMisspeltPlace a sh:NodeShape ; sh:targetSubjectsOf mcf:creditedTo ;
            sh:sparql [ sh:prefixes mcfsh: ; sh:message "credited to a place in a misspelt {?p}" ; sh:select \"\"\"
                SELECT $this ?p WHERE { $this mcf:creditedTo ?c . ?c mcf:locatedIn ?p .
                                        ?p skos:hiddenLabel ?h }\"\"\" ] .
        """, 'mcfid:china skos:hiddenLabel "Chnia"@en .'),
}


@pytest.mark.parametrize(("shape", "facts"), FAR_READING.values(), ids=FAR_READING.keys())
def test_a_focus_node_steps_away_from_the_new_triple_is_found(base: Base, tmp_path: Path, shape: str,
                                                             facts: str) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(SETTINGS.ontology_dir, ontology)
    with (ontology / "shapes.ttl").open("a") as shapes_file:
        shapes_file.write(shape)
    settings = Settings(ontology_dir=ontology)
    incremental, full = both(base, release(tmp_path, facts), load_shapes(settings), settings)
    assert not full.conforms
    assert violations(incremental) == violations(full)
    assert any(r.focus == V.ID["mianyang-innovation-platforms"] for r in incremental.results)


def test_the_shapes_read_at_most_two_steps_from_a_focus_node_as_derived(shapes: Graph) -> None:
    """ontology/shapes.ttl reads two steps at most, through the SPARQL constraints and sh:class; a
    shape reading further is followed by the derivation, and this test shows where it changed."""
    reach = shape_reach(shapes)
    assert reach.depth == 2
    paths = reach.paths
    assert ((MCF.creditedTo, True), (MCF.locatedIn, True)) in paths  # ?credited mcf:locatedIn ?province
    assert ((MCF.supplier, False), (MCF.supplierTier, True)) in paths  # ?r mcf:supplier $this ; mcf:supplierTier 1
    assert ((URIRef(PROV + "wasDerivedFrom"), False), (RDF.type, True)) in paths  # ?graph a mcf:FactGraph
    assert ((RDF.subject, True), (None, True)) in paths  # ?s ?p ?o of a link record
    assert ((MCF.approvedBy, True), (RDF.type, True)) in paths  # sh:class on a value node


def test_a_shape_reading_without_bound_is_refused(shapes: Graph) -> None:
    deeper = Graph() + shapes
    deeper.update(f"""PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX mcf: <{MCF}>
        INSERT DATA {{ <urn:s> sh:targetClass mcf:City ; sh:property [ sh:path [ sh:oneOrMorePath mcf:locatedIn ] ;
            sh:minCount 1 ] }}""")
    with pytest.raises(NotIncremental, match="oneOrMorePath"):
        shape_reach(deeper)
    unjoined = Graph() + shapes
    unjoined.update(f"""PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX mcf: <{MCF}>
        INSERT DATA {{ <urn:s> sh:targetClass mcf:City ; sh:sparql [ sh:select
            "SELECT $this WHERE {{ ?x <{MCF}locatedIn> ?y }}" ] }}""")
    with pytest.raises(NotIncremental, match="without joining it to"):
        shape_reach(unjoined)


def test_validation_restricted_to_focus_nodes_gives_their_results_of_the_whole(shapes: Graph) -> None:
    data = union_graph(load_and_reason(SETTINGS))
    data.add((V.ID.c919, RDF.type, MCF.Grant))
    data.add((V.ID.ndrc, MCF.tierOneSupplierFor, V.ID.c919))
    whole = validate(data, shapes)
    focus = {V.ID.c919, V.ID.mianyang}
    restricted = validate(data, shapes, focus)
    assert {r.focus for r in restricted.results} == {V.ID.c919}
    assert restricted.results == [r for r in whole.results if r.focus in focus]
