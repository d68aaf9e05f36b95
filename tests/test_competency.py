"""Competency questions: every query in ``queries/`` gives the answer the article supports.

The queries are the analyst's questions (and the UI's examples); each runs against the
reasoned dataset (asserted graphs plus the inferred graph) with the union of all graphs as
the default graph, as the server answers them. Answers are compared exactly: amounts as
decimals in base units, counts as integers, lower bounds with their qualifier. A query file
without an expected answer here fails the suite.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Dataset, Literal, Namespace
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from mcfkg.build import load_and_reason
from mcfkg.config import Settings

QUERIES = Path(__file__).resolve().parents[1] / "queries"
SOURCE_TEXT = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "mianyang-mcf-article.txt"
ID = "https://w3id.org/mcfkg/id/"
MCF = Namespace("https://w3id.org/mcfkg/def/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ARTICLE_GRAPHS = "https://w3id.org/mcfkg/graph/mianyang-mcf-article/"
PLAN = 'Implementation Plan for the High-Tech Cluster Development of the Military-Civilian Integration in China Science and Technology City (Mianyang)'
FEDERATED = object()  # the query calls a remote SERVICE: checked for syntax only, tests stay offline

EXPECTED: dict[str, object] = {
    "01-plan-approver.rq": {
        (PLAN, 'National Development and Reform Commission'),
    },
    "02-central-government-grant.rq": {
        ('central government', D("500000000"), 'CNY', PLAN),
    },
    "03-total-investment.rq": {
        (12, D("2493000000"), 'CNY'),
    },
    "04-focus-areas.rq": {
        ('application of nuclear technology', 4),
        ('comprehensive innovation and reform experiment platform', 4),
        ('electronic information technology', 4),
        ('new materials', 4),
    },
    "05-project-count.rq": {
        (12, 0),
    },
    "06-innovation-platforms.rq": {
        (25, 'national-local joint engineering laboratory'),
        (25, 'national-local joint engineering research center'),
        (25, 'state-level enterprise technology center'),
    },
    "07-patents-and-standards.rq": {
        ('authorized patent set', 138),
        ('standard set', 9),
    },
    "08-awards-and-prizes.rq": {
        ('Army Science and Technology Progress Award', None),
        ('National Science and Technology Progress Award', None),
        ('Science and Technology Progress Award of Sichuan Province', 2),
    },
    "09-awards-received-inferred.rq": {
        ('Army Science and Technology Progress Award',),
        ('National Science and Technology Progress Award',),
        ('Science and Technology Progress Award of Sichuan Province',),
    },
    "10-c919-supplier.rq": {
        ('Sichuan Jiuzhou Electric Group', 1),
    },
    "11-c919-tier-one-suppliers-inverse.rq": {
        (ID + 'sichuan-jiuzhou-electric-group',),
    },
    "12-products-sector-counts.rq": {
        ('Skyeye Laser', 'more than', 20, 'exclusive'),
        ('low-level flying platform', 'more than', 20, 'exclusive'),
    },
    "13-high-tech-products.rq": {
        (48, 'civilian sectors'),
        (48, 'military sector'),
    },
    "14-chain-project-expected-outcomes.rq": {
        ('attracted investment', D("20000000000"), None, None, 'CNY', None),
        ('increase', None, D("39600000000"), 'exclusive', 'CNY', 'upstream, downstream and related industries'),
        ('output', D("8100000000"), None, None, 'CNY', 'strategic emerging industries'),
        ('technology cooperation', None, 40, 'exclusive', None, None),
    },
    "15-attracted-investment-source.rq": {
        (D("20000000000"), 'CNY', 'enterprises outside'),
    },
    "16-integration-mechanisms.rq": {
        (4, 'defense scientific research services'),
        (4, 'military-civilian integration and exchange'),
        (4, 'military-civilian integration'),
        (4, 'military-civilian resource sharing'),
    },
    "17-models-stated-vs-listed.rq": {
        (4, 3),
    },
    "18-integration-models.rq": {
        ('private enterprises joining the military sector', 'military sector'),
        ('private enterprises joining the military sector', 'private enterprises'),
        ('technology transfer from the research center to enterprises', 'the research center (not named in the source)'),
        ('technology transfer within the research center and the military sector', 'military sector'),
        ('technology transfer within the research center and the military sector', 'the research center (not named in the source)'),
    },
    "19-policy-context.rq": {
        ('Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era',),
        ('decisions of the Central Committee of the Communist Party and the State Council',),
        ('guidelines from the 19th National Congress',),
    },
    "20-policy-decision-makers.rq": {
        ('19th National Congress',),
        ('Central Committee of the Communist Party',),
        ('State Council',),
    },
    "21-fact-provenance.rq": {
        (2, 12, 'tier 1 provider for the C919'),
    },
    "22-facts-of-a-sentence.rq": {
        (ID + 'mianyang-core-competency-breakthroughs', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/mcfkg/def/Achievement'),
        (ID + 'mianyang-core-competency-breakthroughs', 'http://www.w3.org/2000/01/rdf-schema#label', 'major breakthroughs in core competencies in the military-civilian integration industry'),
        (ID + 'mianyang-core-competency-breakthroughs', 'https://w3id.org/mcfkg/def/creditedTo', ID + 'mianyang'),
    },
    "23-chinese-names-of-organisations.rq": {
        ('Central Committee of the Communist Party', '中国共产党中央委员会'),
        ('Communist Party', '中国共产党'),
        ('Mianyang Development and Reform Commission', '绵阳市发展和改革委员会'),
        ('National Development and Reform Commission', '国家发展和改革委员会'),
        ('Sichuan Jiuzhou Electric Group', '四川九洲电器集团'),
        ('State Council', '国务院'),
        ('central government', '中央政府'),
    },
    "24-source-publisher.rq": {
        ('Mianyang Development and Reform Commission', 'en', False),
    },
    "25-variant-spellings.rq": {
        ('Mianyang', 'Miangyang'),
        ('Sichuan', 'Sichan'),
        ('vanguard for military-civilian integration innovation', 'vanguard for military-military integration innovation'),
    },
    "26-ndrc-support.rq": {
        ('Mianyang', 'establishment of China Science and Technology City (Mianyang)'),
    },
    "27-ndrc-technology-transfer-fields.rq": {
        ('air traffic control systems',),
        ('fine chemicals',),
        ('laser technology',),
        ('mechatronics',),
        ('nuclear physics',),
    },
    "28-organisations-inferred.rq": {
        ('Central Committee of the Communist Party',),
        ('Communist Party',),
        ('Mianyang Development and Reform Commission',),
        ('National Development and Reform Commission',),
        ('Sichuan Jiuzhou Electric Group',),
        ('State Council',),
        ('central government',),
        ('the research center (not named in the source)',),
    },
    "29-places-containing-mianyang.rq": {
        ('China',),
        ('Sichuan',),
        ('western region',),
    },
    "30-target-roles.rq": {
        ('growth pole for the development of the western region', 'western region'),
        ('pilot city for national innovation-driven development', None),
        ('vanguard for military-civilian integration innovation', None),
    },
    "31-transferred-resources.rq": {
        ('military enterprises', 'capacity', 'civilian sectors'),
        ('military enterprises', 'talent', 'civilian sectors'),
        ('military enterprises', 'technology', 'civilian sectors'),
        ('military scientific research institutes', 'capacity', 'civilian sectors'),
        ('military scientific research institutes', 'talent', 'civilian sectors'),
        ('military scientific research institutes', 'technology', 'civilian sectors'),
    },
    "32-mianyang-achievements.rq": {
        ('accelerated development of the military-civilian integration industry cluster',),
        ('an example for the development path of military-civilian integration',),
        ('great progress in military-civilian integration',),
        ('improved industrial innovation',),
        ('local economic dynamism fully unleashed',),
        ('major breakthroughs in core competencies in the military-civilian integration industry',),
        ('strength in the defense industry turned into strength in the local economy',),
        ('transferred technology became the core competencies of industries in Mianyang',),
    },
    "33-passages-per-paragraph.rq": {
        (0, 1),
        (1, 3),
        (2, 19),
        (3, 2),
        (4, 1),
    },
    "34-editorial-fund-link.rq": {
        ('https://w3id.org/mcfkg/graph/curation', 'mcfkg editors'),
    },
    "35-sci-tech-city-priorities.rq": {
        ('accelerating the development of high-tech industry clusters',),
        ('developing military-civilian integration',),
        ('transformation and upgrading of industries',),
    },
    "36-date-not-guessed.rq": True,
    "37-platforms-outpace-province.rq": {
        ('Sichuan', 25),
    },
    "38-jiuzhou-superclasses.rq": True,
    "39-grant-amount-provenance.rq": {
        (1, 1, 'a fund of RMB 500 million'),
    },
    "90-federation-wikidata.rq": FEDERATED,
}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = load_and_reason(Settings())
    ds.default_union = True
    return ds


def python_value(term: Node | None) -> object:
    """A result term as the plain Python value the expectations are written in."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return str(term) if term.datatype in (None, RDF.langString, XSD.string) else term.toPython()
    return str(term)


def query_files() -> list[str]:
    return sorted(p.name for p in QUERIES.glob("*.rq"))


def test_there_are_at_least_32_questions() -> None:
    assert len([name for name in query_files() if EXPECTED.get(name) is not FEDERATED]) >= 32


def test_every_expectation_has_a_query_file() -> None:
    assert sorted(EXPECTED) == query_files()


@pytest.mark.parametrize("name", query_files())
def test_query_file_is_documented(name: str) -> None:
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert re.match(r"# title: \S.*\n# description: \S.*\n", text), "start with '# title:' and '# description:' lines"
    prepareQuery(text)  # parses, with every prefix it uses declared


@pytest.mark.parametrize("name", query_files())
def test_competency_question(name: str, dataset: Dataset) -> None:
    assert name in EXPECTED, f"add the expected answer of queries/{name} to EXPECTED"
    expected = EXPECTED[name]
    text = (QUERIES / name).read_text(encoding="utf-8")
    if expected is FEDERATED:
        assert "SERVICE" in text
        return
    result = dataset.query(text)
    if result.type == "ASK":
        assert result.askAnswer is expected
        return
    rows = [tuple(python_value(term) for term in row) for row in result]
    assert len(rows) == len(set(rows)), "duplicate rows"
    assert set(rows) == expected


def test_every_article_graph_is_derived_from_its_passage(dataset: Dataset) -> None:
    """Each fact graph of the article is declared and derived from the passage with the same locator."""
    graphs = [g.identifier for g in dataset.graphs() if str(g.identifier).startswith(ARTICLE_GRAPHS) and len(g)]
    assert len(graphs) == 26
    for graph in graphs:
        passages = list(dataset.objects(graph, PROV.wasDerivedFrom))
        assert len(passages) == 1, graph
        locator = str(graph)[len(ARTICLE_GRAPHS):]
        assert str(passages[0]) == ID + "mianyang-mcf-article/" + locator
        assert (graph, RDF.type, MCF.FactGraph) in dataset


def sentences(text: str) -> dict[tuple[int, int], str]:
    """The article's sentences by (paragraph, sentence): paragraph 0 is the headline."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return {
        (p, s): sentence
        for p, paragraph in enumerate(paragraphs)
        for s, sentence in enumerate(re.split(r"(?<=\.)\s+(?=[A-Z0-9])", paragraph), start=1)
    }


@pytest.mark.skipif(not SOURCE_TEXT.exists(), reason="the source article is not checked out next to the repository")
def test_excerpts_are_short_phrases_of_their_sentence(dataset: Dataset) -> None:
    by_locator = sentences(SOURCE_TEXT.read_text(encoding="utf-8"))
    passages = set(dataset.subjects(RDF.type, MCF.Passage))
    assert len(passages) == len(by_locator) == 26, "every sentence of the article states facts"
    for passage in passages:
        locator = (int(dataset.value(passage, MCF.paragraph)), int(dataset.value(passage, MCF.sentence)))
        excerpt = str(dataset.value(passage, MCF.excerpt))
        assert excerpt in by_locator[locator], (locator, excerpt)
        assert len(excerpt.split()) <= 6 and len(excerpt) < len(by_locator[locator]) / 2
