"""A synthetic graph shaped like mcfkg's, at any size, for the endpoint benchmark.

The real graph is a few thousand triples; the benchmark needs 100k-1M with the same shape so
the queries exercise what analysts will run: organisations located in a place hierarchy, plans
approved by agencies and funded by funds with amounts, projects with investments and areas,
source passages, one named graph per sentence that states facts (each derived from its
passage), English labels in the sentence graphs and Chinese labels in the curation graph.
A seeded RNG makes every run produce the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mcfkg.vocab import Vocab

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

AREAS = ["electronic-information", "nuclear-technology", "new-materials", "innovation-platform",
         "laser-technology", "air-traffic-control", "fine-chemicals", "mechatronics"]
ORG_KINDS = [("Company", "Group", "集团"), ("ResearchInstitute", "Institute", "研究所"),
             ("GovernmentAgency", "Commission", "委员会"), ("University", "University", "大学")]
WORDS = ["Jiuzhou", "Skyeye", "Changhong", "Fulin", "Huafeng", "Tianyi", "Xinda", "Jinjiang",
         "Longshan", "Boyuan", "Sichuan", "Mianyang", "Chengdu", "Kaiyuan", "Zhongke", "Hengtong"]
FIELDS = ["Electric", "Laser", "Nuclear", "Materials", "Aviation", "Optics", "Radar", "Software"]
HANZI = "九州天眼长虹富临华丰天一新达锦江龙山博远四川绵阳成都开元中科恒通电激光核材料航空光学雷达软件"


@dataclass(frozen=True)
class Sample:
    """IRIs the query mix needs, known to exist in the generated data."""

    organisation: str
    province: str
    country: str
    article_graph: str
    triples: int


class _Writer:
    """Collects quads and counts them; the graph shape lives in :func:`generate`."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal, g: ox.NamedNode) -> None:
        self.quads.append(ox.Quad(s, p, o, g))

    def term(self, local: str) -> ox.NamedNode:
        return ox.NamedNode(self.vocab.MCF[local])

    def entity(self, slug: str) -> ox.NamedNode:
        return ox.NamedNode(self.vocab.ID[slug])

    def graph(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.vocab.GRAPH[name])


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _zh(rng: random.Random, suffix: str) -> ox.Literal:
    return ox.Literal("".join(rng.choice(HANZI) for _ in range(rng.randint(2, 4))) + suffix, language="zh")


def _typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def _places(w: _Writer, rng: random.Random, cities: int) -> tuple[list[ox.NamedNode], list[ox.NamedNode]]:
    """A country, 34 provinces, ``cities`` cities and four districts per city, linked by mcf:partOf."""
    curation = w.graph("curation")
    country = w.entity("china")
    w.add(country, RDF_TYPE, w.term("Country"), curation)
    w.add(country, RDFS_LABEL, _en("China"), curation)
    provinces = []
    for i in range(34):
        province = w.entity(f"province-{i}")
        provinces.append(province)
        w.add(province, RDF_TYPE, w.term("Province"), curation)
        w.add(province, RDFS_LABEL, _en(f"{rng.choice(WORDS)} Province {i}"), curation)
        w.add(province, RDFS_LABEL, _zh(rng, "省"), curation)
        w.add(province, w.term("partOf"), country, curation)
    leaves = []
    for i in range(cities):
        city = w.entity(f"city-{i}")
        w.add(city, RDF_TYPE, w.term("City"), curation)
        w.add(city, RDFS_LABEL, _en(f"{rng.choice(WORDS)} City {i}"), curation)
        w.add(city, RDFS_LABEL, _zh(rng, "市"), curation)
        w.add(city, w.term("partOf"), provinces[i % len(provinces)], curation)
        for d in range(4):
            district = w.entity(f"city-{i}/district-{d}")
            leaves.append(district)
            w.add(district, RDF_TYPE, w.term("District"), curation)
            w.add(district, RDFS_LABEL, _en(f"District {d} of City {i}"), curation)
            w.add(district, w.term("partOf"), city, curation)
    return provinces, leaves


def _organisation(w: _Writer, rng: random.Random, i: int, place: ox.NamedNode, graph: ox.NamedNode) -> ox.NamedNode:
    kind, suffix_en, suffix_zh = ORG_KINDS[i % len(ORG_KINDS)]
    org = w.entity(f"org-{i}")
    w.add(org, RDF_TYPE, w.term(kind), graph)
    w.add(org, RDF_TYPE, w.term("Organisation"), graph)
    w.add(org, RDFS_LABEL, _en(f"{rng.choice(WORDS)} {rng.choice(FIELDS)} {suffix_en} {i}"), graph)
    w.add(org, RDFS_LABEL, _zh(rng, suffix_zh), w.graph("curation"))
    w.add(org, w.term("locatedIn"), place, graph)
    w.add(org, w.term("sector"), w.entity(rng.choice(AREAS)), graph)
    return org


def _article(w: _Writer, rng: random.Random, k: int, orgs: list[ox.NamedNode], places: list[ox.NamedNode]) -> None:
    """One source article: its passages, and the plan, fund and projects its sentences state."""
    source = w.graph(f"article-{k}")
    doc = w.entity(f"article-{k}")
    w.add(doc, RDF_TYPE, ox.NamedNode(PROV + "Entity"), source)
    w.add(doc, ox.NamedNode(DCT + "title"), _en(f"Military-civil fusion report {k}"), source)
    w.add(doc, ox.NamedNode(DCT + "publisher"), rng.choice(orgs), source)
    w.add(doc, ox.NamedNode(DCT + "language"), ox.Literal("en"), source)

    sentence_graphs = []
    for p in range(1, 5):
        for s in range(1, rng.randint(3, 7)):
            passage = w.entity(f"article-{k}/p{p}/s{s}")
            graph = w.graph(f"article-{k}/p{p}/s{s}")
            sentence_graphs.append(graph)
            w.add(passage, RDF_TYPE, w.term("Passage"), source)
            w.add(passage, ox.NamedNode(DCT + "isPartOf"), doc, source)
            w.add(passage, w.term("paragraph"), _typed(p, "integer"), source)
            w.add(passage, w.term("sentence"), _typed(s, "integer"), source)
            w.add(passage, w.term("excerpt"), _en(f"Sentence {s} of paragraph {p} of report {k}."), source)
            w.add(graph, ox.NamedNode(PROV + "wasDerivedFrom"), passage, source)

    plan, fund = w.entity(f"plan-{k}"), w.entity(f"fund-{k}")
    g = sentence_graphs[0]
    w.add(plan, RDF_TYPE, w.term("Plan"), g)
    w.add(plan, RDFS_LABEL, _en(f"Implementation Plan {k} for high-tech clusters"), g)
    w.add(plan, RDFS_LABEL, _zh(rng, "计划"), w.graph("curation"))
    w.add(plan, w.term("approvedBy"), rng.choice(orgs), g)
    w.add(plan, w.term("covers"), rng.choice(places), g)
    w.add(plan, w.term("fundedBy"), fund, g)
    w.add(fund, RDF_TYPE, w.term("Fund"), g)
    w.add(fund, w.term("amount"), _typed(rng.randrange(10, 5000) * 1_000_000, "decimal"), g)
    w.add(fund, w.term("currency"), ox.Literal("CNY"), g)
    w.add(fund, w.term("grantedBy"), rng.choice(orgs), g)
    for j in range(rng.randint(8, 16)):
        project = w.entity(f"project-{k}-{j}")
        g = rng.choice(sentence_graphs)
        w.add(project, RDF_TYPE, w.term("Project"), g)
        w.add(project, RDFS_LABEL, _en(f"{rng.choice(FIELDS)} project {k}-{j}"), g)
        if rng.random() < 0.6:
            w.add(project, RDFS_LABEL, _zh(rng, "项目"), w.graph("curation"))
        w.add(project, w.term("partOfPlan"), plan, g)
        w.add(project, w.term("ledBy"), rng.choice(orgs), g)
        w.add(project, w.term("area"), w.entity(rng.choice(AREAS)), g)
        w.add(project, w.term("investment"), _typed(rng.randrange(1, 900) * 100_000, "decimal"), g)
        w.add(project, w.term("locatedIn"), rng.choice(places), g)


def generate(triples: int, path: Path, vocab: Vocab, seed: int = 7) -> Sample:
    """Write about ``triples`` quads as N-Quads to ``path`` and return the IRIs the queries use."""
    rng = random.Random(seed)
    w = _Writer(vocab)
    provinces, places = _places(w, rng, cities=max(10, triples // 2000))
    org_count = max(50, triples // 100)
    registry = w.graph("curation")
    orgs = [_organisation(w, rng, i, rng.choice(places), registry) for i in range(org_count)]
    k = 0
    while len(w.quads) < triples:
        _article(w, rng, k, orgs, places)
        k += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        ox.serialize(w.quads, out, ox.RdfFormat.N_QUADS)
    return Sample(
        organisation=orgs[7].value,
        province=provinces[3].value,
        country=str(vocab.ID["china"]),
        article_graph=str(vocab.GRAPH["article-0"]),
        triples=len(w.quads),
    )
