"""The data generator of ``bench/generate/`` (issue 13): many sources in the project's own model.

Generated data sets go through the real ``mcfkg build`` (load, reason, SHACL and the per-source
caps) exactly as the command the generator prints tells a user to run it; the rest reads the
files back with the project's loader: sources are several and share entities, they disagree
where the editors' notes say so, the same seed gives the same bytes, and the size reported is
the size written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from mcfkg.graph import load_dataset, load_graph, union_graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import Generated, OutputNotEmpty, generate  # noqa: E402

MCFKG = Path(sys.executable).parent / "mcfkg"
MCF, ID = "https://w3id.org/mcfkg/def/", "https://w3id.org/mcfkg/id/"
SCHEMA = "https://schema.org/"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _dataset(folder: Path) -> Dataset:
    return load_dataset([folder / "curation.trig", *sorted((folder / "sources").glob("*.trig"))])


@pytest.fixture(scope="module")
def ten_k(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generated]:
    """A 10k-triple set (no build: generating it takes a fraction of a second)."""
    out = tmp_path_factory.mktemp("gen") / "data"
    return out, generate(out, 10_000, seed=5)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_small_generated_set_builds_and_conforms_through_mcfkg_build(tmp_path: Path, seed: int) -> None:
    data = tmp_path / "data"
    generate(data, 2_000, seed)
    env = {**os.environ, "MCFKG_DATA_DIR": str(data), "MCFKG_DIST_DIR": str(tmp_path / "dist")}
    done = subprocess.run([str(MCFKG), "build"], env=env, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (tmp_path / "dist" / "mcfkg.trig").is_file()


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", 3_000, seed=7)
    generate(tmp_path / "b", 3_000, seed=7)
    generate(tmp_path / "c", 3_000, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


@pytest.mark.parametrize("target", [500, 2_000, 10_000])
def test_the_size_is_near_the_target_and_reported_exactly(tmp_path: Path, target: int) -> None:
    done = generate(tmp_path / "data", target, seed=3)
    written = sum(len(g) for g in _dataset(tmp_path / "data").graphs())
    assert done.triples == written == json.loads((tmp_path / "data" / "generated.json").read_text())["triples"]
    assert abs(written - target) <= max(30, target // 50)


def test_sources_are_several_and_talk_about_the_same_entities(ten_k: tuple[Path, Generated]) -> None:
    folder, done = ten_k
    ds = _dataset(folder)
    part_of = {p: d for p, _, d, _ in ds.quads((None, DCTERMS.isPartOf, None, None))}
    source_of = {g: part_of[p] for g, _, p, _ in ds.quads((None, PROV.wasDerivedFrom, None, None)) if p in part_of}
    sources_about: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, _, o, g in ds.quads((None, None, None, None)):
        for node in (s, o):
            if g in source_of and isinstance(node, URIRef) and node.startswith(ID):
                sources_about[node].add(source_of[g])
    assert done.sources == len(set(source_of.values())) == len(list((folder / "sources").glob("*.trig"))) >= 20
    cities = list(union_graph(ds).subjects(RDF.type, URIRef(MCF + "City")))
    assert sum(len(sources_about[c]) >= 2 for c in cities) >= len(cities) / 2 > 1
    assert max(len(sources_about[c]) for c in cities) >= 3
    shared = [node for node, sources in sources_about.items() if len(sources) >= 2]
    assert len(shared) >= 30


def test_sources_disagree_on_an_amount_and_the_editors_note_says_so(ten_k: tuple[Path, Generated]) -> None:
    """Two sources give one grant different amounts: both kept, each in its source's graphs, with a note."""
    folder, _ = ten_k
    ds = _dataset(folder)
    source_of = {g: p.rsplit("/p", 1)[0] for g, _, p, _ in ds.quads((None, PROV.wasDerivedFrom, None, None))}
    amounts: dict[URIRef, dict[URIRef, set[str]]] = defaultdict(lambda: defaultdict(set))
    for grant, _, amount, graph in ds.quads((None, URIRef(MCF + "amount"), None, None)):
        amounts[grant][amount].add(source_of[graph])
    disputed = [grant for grant, found in amounts.items() if len(found) > 1]
    assert disputed
    for grant in disputed:  # each source states one amount; the amounts come from different sources
        claims = list(amounts[grant].values())
        assert all(a.isdisjoint(b) for i, a in enumerate(claims) for b in claims[i + 1:])
    curation = ds.graph(URIRef("https://w3id.org/mcfkg/graph/curation"))
    assert all(curation.value(grant, SKOS.editorialNote) is not None for grant in disputed)


def _terms(ds: Dataset) -> set[URIRef]:
    """Every predicate and class a data set uses, and every ``mcf:`` term it names."""
    used = {p for _, p, _, _ in ds.quads((None, None, None, None))}
    used |= {o for _, _, o, _ in ds.quads((None, RDF.type, None, None))}
    return used | {o for _, _, o, _ in ds.quads((None, None, None, None)) if isinstance(o, URIRef) and o.startswith(MCF)}


def test_only_terms_the_ontology_defines_or_the_shipped_data_uses_appear(ten_k: tuple[Path, Generated]) -> None:
    """``mcf:`` terms must be defined by the ontology; reused ones (dcterms:title, ...) used by the real data too."""
    ontology = load_graph(ROOT / "ontology" / "mcf.ttl")
    data = ROOT / "data"
    shipped = _terms(load_dataset([*sorted(data.glob("*.trig")), *sorted((data / "sources").glob("*.trig"))]))
    generated = _terms(_dataset(ten_k[0]))
    assert sorted(str(t) for t in generated if t.startswith(MCF) and (t, None, None) not in ontology) == []
    reused = [t for t in generated if not t.startswith(MCF) and t not in shipped and (t, None, None) not in ontology]
    assert sorted(map(str, reused)) == []


def test_amounts_are_in_base_units_with_a_currency_and_bounds_keep_the_qualifier(ten_k: tuple[Path, Generated]) -> None:
    union = union_graph(_dataset(folder := ten_k[0]))
    money = set(union.subjects(RDF.type, URIRef(SCHEMA + "MonetaryAmount")))
    assert money and all(union.value(m, URIRef(SCHEMA + "currency")) is not None for m in money)
    bounds = set(union.subjects(URIRef(SCHEMA + "minValue"), None))
    assert bounds and all(union.value(b, URIRef(MCF + "qualifier")) is not None for b in bounds)
    assert "@zh" in (folder / "curation.trig").read_text(encoding="utf-8")


def test_an_output_directory_that_holds_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "old.trig").write_text("")
    with pytest.raises(OutputNotEmpty, match="not empty"):
        generate(tmp_path, 1_000, seed=1)
