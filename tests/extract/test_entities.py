"""Names in a sentence: the gazetteer, known names resolved, new ones proposed with a type and an IRI.

A small graph of our own (below) keeps these tests independent of data/; the class hierarchy is the
real ontology's. Linking runs against the local Wikidata stand-in the link tests use
(`mcfkg serve --data tests/data/wikidata-extract.ttl` on 127.0.0.1): nothing goes online.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from mcfkg.extract.entities import find_mentions, mint_iri, propose_links, resolve_anaphora, slugify
from mcfkg.extract.gazetteer import Gazetteer, name_key
from mcfkg.extract.model import Mention, Sentence, Span
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[2]
V = Vocab()
MCF, ID = V.MCF, V.ID
SCHEMA = "https://schema.org/"
GRAPH = """@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix mcfg: <https://w3id.org/mcfkg/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
mcfg:known {
  mcfid:mianyang a mcf:City ; rdfs:label "Mianyang"@en , "绵阳"@zh ; skos:hiddenLabel "Miangyang"@en .
  mcfid:sichuan a mcf:Province ; rdfs:label "Sichuan"@en ; skos:hiddenLabel "Sichan"@en .
  mcfid:ndrc a mcf:GovernmentAgency ; rdfs:label "National Development and Reform Commission"@en ;
      skos:altLabel "NDRC"@en .
  mcfid:china-sci-tech-city a mcf:ScienceCity ; rdfs:label "China Science and Technology City (Mianyang)"@en ;
      skos:altLabel "China Sci-Tech City"@en .
  mcfid:sichuan-jiuzhou-electric-group a mcf:EnterpriseGroup ; rdfs:label "Sichuan Jiuzhou Electric Group"@en .
  mcfid:c919 a mcf:Aircraft ; rdfs:label "C919"@en .
  mcfid:sichuan-award a mcf:Award ; rdfs:label "Science and Technology Progress Award of Sichuan Province"@en .
  mcfid:mianyang-mcf-cluster-plan a mcf:ImplementationPlan ; rdfs:label "Mianyang Cluster Plan"@en .
  mcfid:great-progress a mcf:Achievement ; rdfs:label "great progress"@en .
  mcfid:research-center a mcf:ResearchInstitute ; rdfs:label "the research center (not named in the source)"@en .
}
mcfg:secret {
  mcfid:hidden-works a mcf:Enterprise ; rdfs:label "Hidden Works Group"@en .
  mcfid:mianyang skos:altLabel "Mianyang Prefecture"@en .
}
<https://w3id.org/mcfkg/graph/secret/p1/s1> { mcfid:other-hidden a mcf:Enterprise ; rdfs:label "Another Hidden Group"@en . }
mcfg:secretive { mcfid:kept a mcf:Enterprise ; rdfs:label "Kept Works Group"@en . }
"""


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=GRAPH, format="trig")
    return ds


@pytest.fixture(scope="module")
def gazetteer(dataset: Dataset) -> Gazetteer:
    return Gazetteer.from_dataset(dataset)


def sentence(text: str, paragraph: int = 1, number: int = 1) -> Sentence:
    return Sentence(paragraph, number, text, 0)


def names(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.span.text: m for m in mentions}


# --------------------------------------------------------------------------- the gazetteer
def test_gazetteer_knows_labels_alternative_hidden_and_chinese_names(gazetteer: Gazetteer) -> None:
    for name, iri in [("Mianyang", "mianyang"), ("绵阳", "mianyang"), ("Miangyang", "mianyang"),
                      ("NDRC", "ndrc"), ("china sci tech city", "china-sci-tech-city"), ("SICHAN", "sichuan")]:
        assert [entry.iri for entry, _ in gazetteer.lookup(name)] == [ID[iri]], name
    assert gazetteer.entries[ID["sichuan-jiuzhou-electric-group"]].type == MCF.EnterpriseGroup  # most specific
    assert gazetteer.is_a(ID["sichuan-jiuzhou-electric-group"], URIRef("http://www.w3.org/ns/org#Organization"))
    assert gazetteer.is_a(ID["mianyang"], URIRef(SCHEMA + "Place"))


def test_name_key_ignores_case_spacing_punctuation_and_plural() -> None:
    assert name_key("China Sci-Tech City (Mianyang)") == name_key("china sci tech city mianyang")
    assert name_key("People's Republic") == name_key("People’s  Republic")
    assert name_key("Progress Awards") == name_key("Progress Award")
    assert name_key("中国（绵阳）科技城") == name_key("中国(绵阳)科技城")


def test_excluded_graphs_take_their_names_with_them(dataset: Dataset) -> None:
    full = Gazetteer.from_dataset(dataset)
    assert ID["hidden-works"] in full and full.lookup("Mianyang Prefecture")
    cut = Gazetteer.from_dataset(dataset, exclude_graph_prefixes=["https://w3id.org/mcfkg/graph/secret"])
    assert ID["hidden-works"] not in cut and ID["other-hidden"] not in cut  # the graph and graphs under it
    assert not cut.lookup("Mianyang Prefecture")  # a name stated only there
    assert cut.lookup("Mianyang")  # the entity stays, with the names other graphs state
    assert ID["kept"] in cut  # mcfg:secretive is not under mcfg:secret


# --------------------------------------------------------------------------- known names
def test_known_names_resolve_whatever_the_case_spacing_and_punctuation(gazetteer: Gazetteer) -> None:
    s = sentence("The china sci tech city and CHINA SCI-TECH CITY lie in Miangyang, in Sichan province (绵阳市).")
    found = [(m.span.text, m.iri, m.known) for m in find_mentions(s, gazetteer, {})]
    assert ("china sci tech city", ID["china-sci-tech-city"], True) in found
    assert ("CHINA SCI-TECH CITY", ID["china-sci-tech-city"], True) in found
    assert ("Miangyang", ID["mianyang"], True) in found
    assert ("Sichan", ID["sichuan"], True) in found
    assert ("绵阳", ID["mianyang"], True) in found  # Chinese names are found inside Chinese words


def test_longest_known_name_wins(gazetteer: Gazetteer) -> None:
    s = sentence("Mianyang won two prizes of Science and Technology Progress Awards of Sichuan Province, and "
                 "Sichuan Jiuzhou Electric Group supplies the C919 of China Science and Technology City (Mianyang).")
    found = names(find_mentions(s, gazetteer, {}))
    assert found["Science and Technology Progress Awards of Sichuan Province"].iri == ID["sichuan-award"]
    assert found["Sichuan Jiuzhou Electric Group"].iri == ID["sichuan-jiuzhou-electric-group"]
    assert found["China Science and Technology City (Mianyang)"].iri == ID["china-sci-tech-city"]
    assert "Sichuan" not in found and "Sichuan Province" not in found
    assert [m.span.text for m in find_mentions(s, gazetteer, {})].count("Mianyang") == 1  # the first word only


def test_descriptions_and_unnamed_things_are_never_matched(gazetteer: Gazetteer) -> None:
    s = sentence("Mianyang made great progress with the research center.")
    assert [m.iri for m in find_mentions(s, gazetteer, {})] == [ID["mianyang"]]


# --------------------------------------------------------------------------- new names
NEW = [
    ("Chengdu Aircraft Industry (Group) Co., Ltd.", MCF.EnterpriseGroup, "org/head"),
    ("China Academy of Engineering Physics", MCF.ResearchInstitute, "org/head"),
    ("Ministry of Industry and Information Technology", MCF.GovernmentAgency, "org/head"),
    ("Mianyang Science and Technology Bureau", MCF.GovernmentAgency, "org/head"),
    ("Yunhe Industrial Investment Fund", MCF.Fund, "fund/head"),
    ("Implementation Plan for the Deyang Aviation Cluster", MCF.ImplementationPlan, "plan/head"),
    ("Deyang Municipal People's Government", MCF.Government, "org/head"),
    ("Yunhe Provincial Science and Technology Progress Award", MCF.Award, "award/head"),
    ("Deyang High-Tech Zone", MCF.ScienceCity, "place/zone"),
]


@pytest.mark.parametrize(("name", "cls", "rule"), NEW)
def test_new_names_are_proposed_with_the_class_their_head_word_implies(gazetteer: Gazetteer, name: str,
                                                                       cls: URIRef, rule: str) -> None:
    s = sentence(f"Recently, the {name} signed an agreement.")
    new = [m for m in find_mentions(s, gazetteer, {}) if not m.known]
    assert [(m.span.text, m.label, m.type, m.rule) for m in new] == [(name, name, cls, f"rule:entity/{rule}")]
    assert new[0].iri == ID[slugify(name)] and 0 < new[0].confidence < 1


def test_new_places_and_products(gazetteer: Gazetteer) -> None:
    s = sentence("The park is located in Anzhou District of Deyang City, Yunhe Province, where the BS-200 "
                 "unmanned aircraft and the Qiaotou radar are made.")
    new = {m.span.text: (m.label, m.type) for m in find_mentions(s, gazetteer, {}) if not m.known}
    assert new["Deyang City"] == ("Deyang", MCF.City)  # the label without the suffix, as "Mianyang" is
    assert new["Yunhe Province"] == ("Yunhe", MCF.Province)
    assert new["Anzhou District"] == ("Anzhou District", URIRef(SCHEMA + "AdministrativeArea"))
    assert new["BS-200"] == ("BS-200", MCF.Aircraft)
    assert new["Qiaotou"] == ("Qiaotou", MCF.Product)
    s = sentence("The zone lies in Qingshan, a city in the north of Yunhe Province.")
    assert ("Qingshan", MCF.City) in {(m.label, m.type) for m in find_mentions(s, gazetteer, {}) if not m.known}


def test_known_names_are_not_proposed_again(gazetteer: Gazetteer) -> None:
    s = sentence("It was approved by the National Development and Reform Commission of the People's Republic "
                 "of China (NDRC) and the Mianyang Cluster Plan was published.")
    assert all(m.known for m in find_mentions(s, gazetteer, {}) if "Commission" in m.span.text or "Plan" in m.span.text)


def test_one_name_one_iri_across_sentences(gazetteer: Gazetteer) -> None:
    minted: dict = {}
    first = find_mentions(sentence("Baishui Hangtian Electronics Group Co., Ltd. and the Yunhe Provincial Development "
                                   "and Reform Commission (YPDRC) met.", 1, 1), gazetteer, minted)
    group = next(m for m in first if m.label.startswith("Baishui"))
    agency = next(m for m in first if m.label.startswith("Yunhe"))
    assert group.type == MCF.EnterpriseGroup
    again = find_mentions(sentence("Later Baishui Hangtian Electronics Group thanked the YPDRC.", 1, 2), gazetteer, minted)
    assert {m.span.text: m.iri for m in again} == {"Baishui Hangtian Electronics Group": group.iri, "YPDRC": agency.iri}
    assert all(not m.known for m in again)


def test_minted_iris_never_reuse_the_graphs_own(gazetteer: Gazetteer) -> None:
    minted: dict = {}
    assert mint_iri("Mianyang", minted, gazetteer) == ID["mianyang-2"]
    assert mint_iri("Mianyang", minted, gazetteer) == ID["mianyang-3"]
    assert mint_iri("Deyang Works", minted, gazetteer) == ID["deyang-works"]
    assert slugify("People's Republic of China (PRC)") == "peoples-republic-of-china-prc"


def test_the_plan_refers_to_the_last_plan_named(gazetteer: Gazetteer) -> None:
    first = sentence("The Mianyang Cluster Plan was approved by the NDRC.", 1, 1)
    mentions = find_mentions(first, gazetteer, {})
    second = sentence("The Plan focused on 12 projects, and the plan of the city was another matter.", 1, 2)
    resolved = resolve_anaphora(second, find_mentions(second, gazetteer, {}), mentions, gazetteer)
    assert [(m.span.text, m.iri, m.rule) for m in resolved] == [
        ("The Plan", ID["mianyang-mcf-cluster-plan"], "rule:entity/anaphor/the-plan")]


# --------------------------------------------------------------------------- linking, only when asked
def test_propose_links_asks_the_local_wikidata_stand_in(gazetteer: Gazetteer) -> None:
    from live_mcfkg import mcfkg_serve

    from mcfkg.link.endpoint import SparqlClient

    new = [Mention(Span(0, 8, "Mianyang"), ID["mianyang-new"], MCF.City, "Mianyang", False, "rule:test", 0.7),
           Mention(Span(9, 15, "Nowhere"), ID["nowhere"], MCF.City, "Nowhere Town", False, "rule:test", 0.7),
           Mention(Span(0, 4, "NDRC"), ID["ndrc"], MCF.GovernmentAgency, "NDRC", True, "gazetteer/name", 0.9)]
    with mcfkg_serve(ROOT / "tests" / "data" / "wikidata-extract.ttl") as url:
        linked = propose_links(new, gazetteer, SparqlClient(url, timeout_s=20.0))
    assert URIRef("http://www.wikidata.org/entity/Q426130") in linked[0].links  # Mianyang, a prefecture-level city
    assert linked[1].links == ()  # nothing of that name
    assert linked[2] == new[2]  # known names are not looked up
